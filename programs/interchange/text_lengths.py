"""The longest text each field of a sheet document may hold: the max_length of the model field that stores it.

Checked on every imported document before anything is written, so an over-long value is a clear error
naming the field and the limit (PostgreSQL would refuse it with a database error; SQLite would keep it).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

from finance.models import BreakdownLine
from indicators.models import ActivityItem, Indicator
from programs.models import (
    Department,
    HistoryEvent,
    Measure,
    Policy,
    PolicyField,
    Program,
    Section,
    Sheet,
    SheetText,
    StaffMember,
    SubProgram,
)
from programs.sheet_fields import SHEET_FIELDS, Kind, located

POLICY_MODELS = {"field": PolicyField, "policy": Policy, "measure": Measure}
# Repeating parts of the document: (key, model, fields of each item that are stored in a CharField).
ITEM_TEXTS = [
    ("sub_programs", SubProgram, ("budget_code", "name")),
    ("history", HistoryEvent, ("era_label", "group")),
    ("indicators", Indicator, ("name", "unit")),
    ("activity", ActivityItem, ("name", "unit")),
    ("budget_breakdown", BreakdownLine, ("expense_class", "description")),
    ("texts", SheetText, ("key", "label", "role")),
]


@dataclass(frozen=True)
class Overlong:
    path: str  # document path, e.g. indicators[0].unit
    label: str  # the model field's verbose name, e.g. 単位
    text: str
    limit: int

    @property
    def message(self) -> str:
        return f"「{self.label}」は {self.limit} 文字以内にしてください（{len(self.text)} 文字あります）"


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def _texts(document: dict) -> Iterator[tuple[str, object, models.Field]]:
    """(path, value, model field) of every text the document stores in a CharField."""
    for key, model, name in (("code", Program, "code"), ("name", Sheet, "name")):
        yield key, document.get(key), _field(model, name)
    yield "department", document.get("department"), _field(Department, "name")
    yield "section", document.get("section"), _field(Section, "name")
    for field in SHEET_FIELDS:
        parent, leaf = located(document, field)
        if field.kind is Kind.NAMES:
            for index, name in enumerate(parent.get(leaf) or []):
                yield f"{field.key}[{index}]", name, _field(StaffMember, "name")
        elif field.kind in (Kind.TEXT, Kind.CHOICE, Kind.VOCABULARY):
            yield field.key, parent.get(leaf), _field(Sheet, field.model_field)
    for level, model in POLICY_MODELS.items():
        part = (document.get("policy") or {}).get(level) or {}
        for name in ("code", "name"):
            yield f"policy.{level}.{name}", part.get(name), _field(model, name)
    for key, model, names in ITEM_TEXTS:
        for index, item in enumerate(document.get(key) or []):
            for name in names:
                yield f"{key}[{index}].{name}", item.get(name) if isinstance(item, dict) else None, _field(model, name)


def document_overlong(document: dict) -> Overlong | None:
    """The first text longer than its model field's max_length, or None."""
    for path, value, field in _texts(document):
        limit = getattr(field, "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            return Overlong(path=path, label=str(field.verbose_name), text=value, limit=limit)
    return None
