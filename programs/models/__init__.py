from programs.models.hierarchy import Department, Measure, Policy, PolicyField, Section
from programs.models.parts import HistoryEvent, Improvement, SheetIssue, StaffMember, SubProgram
from programs.models.sheet import Program, Sheet, StatusChange

__all__ = [
    "Department",
    "HistoryEvent",
    "Improvement",
    "Measure",
    "Policy",
    "PolicyField",
    "Program",
    "Section",
    "Sheet",
    "SheetIssue",
    "StaffMember",
    "StatusChange",
    "SubProgram",
]
