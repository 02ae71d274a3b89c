"""programs/sheet_fields.py drives every way a simple field moves: document, model, admin, workbook."""

import io
import json

import pytest

from programs import selectors
from programs.admin import SheetAdmin
from programs.interchange.serializer import sheet_document
from programs.interchange.workbook import empty_document, workbook_read, workbook_write
from programs.models import Sheet
from programs.models.sheet import SHEET_FIGURE_FIELDS
from programs.services import SEED_DIR, sheet_upsert
from programs.sheet_fields import DIRECT_STAFF_FLAGS, SHEET_FIELDS, Kind, empty_value, located

# imports replace sheets being written: the seed sheets are reopened (作成中) for each test
pytestmark = pytest.mark.usefixtures("seed_drafts")

SEED_FILES = sorted(SEED_DIR.glob("*.json"))
# Sheet fields that are not simple fields: identity, relations and bookkeeping (their own code moves them); the
# publication status and the version belong to the workflow, not to the printed form.
STRUCTURAL = {"id", "program", "fiscal_year", "name", "section", "measure", "updated_at", "status", "version"}
STRUCTURAL |= set(SHEET_FIGURE_FIELDS)  # computed from the sheet's parts (programs/figures.py), not on the form


def _value(document: dict, field) -> object:
    container, key = located(document, field)
    return container.get(key, empty_value(field))


SAMPLES = {
    Kind.TEXT: lambda field: f"{field.label}の記入例",
    Kind.CHOICE: lambda field: field.choices.values[-1],
    Kind.FISCAL_YEAR: lambda field: 2026,
    Kind.FLAG: lambda field: True,
    Kind.COUNT: lambda field: 3,
    Kind.NAMES: lambda field: ["記入例"],
    Kind.STAFF_KINDS: lambda field: list(DIRECT_STAFF_FLAGS),
}


def _every_field_filled() -> dict:
    """03-04-01 under a new code with every declared field the seed leaves empty filled in by its kind
    (a field added to the declaration is covered here without touching this test)."""
    document = json.loads(SEED_FILES[0].read_text(encoding="utf-8")) | {"code": "99-99-99"}
    for field in SHEET_FIELDS:
        container, key = located(document, field)
        if container.get(key) in ("", None, [], False, 0):
            *parents, _ = field.path
            target = document
            for part in parents:
                target = target.setdefault(part, {})
            target[key] = SAMPLES[field.kind](field)
    return document


CASES = [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in SEED_FILES] + [
    ("every-field-filled", _every_field_filled())
]


@pytest.mark.parametrize(("name", "source"), CASES, ids=[name for name, _ in CASES])
def test_every_declared_field_survives_document_model_document_workbook_document(db, name, source):
    sheet_upsert(document=source)  # document → model
    sheet = selectors.sheet_document_queryset(viewer=None).get(program__code=source["code"], fiscal_year=source["fiscal_year"])
    from_model = sheet_document(sheet)  # model → document
    from_workbook = workbook_read(io.BytesIO(workbook_write([from_model])), name=f"{name}.xlsx")[0]  # → workbook → document
    for field in SHEET_FIELDS:
        expected = _value(source, field)
        assert _value(from_model, field) == expected, (name, field.key, "model")
        assert _value(from_workbook, field) == expected, (name, field.key, "workbook")


def test_the_round_trip_cases_fill_every_declared_field():
    """So the round trip above does not pass on empty values only."""
    filled = {field.key for _, source in CASES for field in SHEET_FIELDS if _value(source, field) not in ("", None, [], False)}
    assert filled == {field.key for field in SHEET_FIELDS}


def test_every_field_of_the_sheet_model_is_declared_or_structural():
    model_fields = {f.name for f in Sheet._meta.concrete_fields}
    declared = {f.model_field for f in SHEET_FIELDS if f.model_field} | set(DIRECT_STAFF_FLAGS.values())
    assert model_fields - declared == STRUCTURAL
    assert declared <= model_fields


def test_the_admin_edits_every_declared_field():
    shown = set()
    for _title, options in SheetAdmin.fieldsets:
        for row in options["fields"]:
            shown |= set(row) if isinstance(row, tuple) else {row}
    for field in SHEET_FIELDS:
        assert set(field.admin_fields) <= shown, field.key


def test_the_blank_document_has_every_declared_field_empty():
    blank = empty_document(2022)
    for field in SHEET_FIELDS:
        container, key = located(blank, field)
        assert key in container and container[key] == empty_value(field), field.key
