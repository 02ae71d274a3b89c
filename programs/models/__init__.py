from programs.models.finding import SheetFinding
from programs.models.hierarchy import Department, Measure, NameConflict, Policy, PolicyField, ProgramKind, Section
from programs.models.municipality import Municipality, MunicipalityKind, MunicipalityPopulation
from programs.models.parts import HistoryEvent, Improvement, SheetIssue, StaffMember, SubProgram
from programs.models.profile import EvaluationChoice, FormProfile, ProfileTextField, SheetText
from programs.models.search import SheetSearch
from programs.models.sheet import Program, Sheet, StatusChange
from programs.models.similarity import SimilarProgram

__all__ = [
    "Department",
    "EvaluationChoice",
    "FormProfile",
    "HistoryEvent",
    "Improvement",
    "Measure",
    "Municipality",
    "MunicipalityKind",
    "MunicipalityPopulation",
    "NameConflict",
    "Policy",
    "PolicyField",
    "Program",
    "ProfileTextField",
    "ProgramKind",
    "Section",
    "Sheet",
    "SheetFinding",
    "SheetIssue",
    "SheetSearch",
    "SheetText",
    "SimilarProgram",
    "StaffMember",
    "StatusChange",
    "SubProgram",
]
