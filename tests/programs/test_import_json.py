"""JSON sheet documents: the schema (fixtures/sheet.schema.json) and `import_sheets FILE.json`.

The schema accepts every seed document, every exported document and the made-up city's example; a document that
does not fit it is refused naming the document and the field's path, and nothing of its file is written.
"""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

from programs import selectors
from programs.interchange.document_schema import document_path, document_problems, sheet_schema
from programs.interchange.imports import ImportFailed, sheet_file_import
from programs.interchange.serializer import sheet_document
from programs.models import Sheet
from programs.services import SEED_DIR
from programs.sheet_fields import SHEET_FIELDS
from tests.snapshots import sheet_snapshot

EXAMPLES = SEED_DIR.parent / "examples"
SEED_PATHS = sorted(SEED_DIR.glob("*.json"))
EXAMPLE_DOCUMENT = EXAMPLES / "kakuu_city_0086_2024.json"

pytestmark = pytest.mark.django_db


def _read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data, name: str = "sheets.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _database() -> dict:
    return {(s.program.code, s.fiscal_year): sheet_snapshot(s) for s in Sheet.objects.order_by("program__code", "fiscal_year")}


# --- the schema --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda path: path.stem)
def test_the_schema_accepts_every_seed_document(path):
    assert document_problems(_read(path)) == []


def test_the_schema_accepts_the_example_citys_document():
    document = _read(EXAMPLE_DOCUMENT)
    assert document_problems(document) == []
    assert document["municipality"] == {"code": "999997", "name": "架空市", "prefecture": "架空県", "kind": "市"}


def test_the_schema_accepts_every_exported_seed_document():
    sheets = selectors.sheet_document_queryset(viewer=None).order_by("program__code")
    documents = [json.loads(json.dumps(sheet_document(sheet), cls=DjangoJSONEncoder)) for sheet in sheets]
    assert len(documents) == 6
    for document in documents:
        assert document_problems(document) == [], document["code"]


def test_the_schema_knows_every_declared_simple_field_and_is_strict():
    schema = sheet_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for field in SHEET_FIELDS:
        properties = schema["properties"]
        *parents, leaf = field.path
        for part in parents:
            properties = properties[part]["properties"]
        assert leaf in properties, field.key
    for key in ("municipality", "funding", "personnel", "texts", "classification", "indicators"):
        assert key in schema["properties"]
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("edit", "path", "words"),
    [
        (lambda d: d["indicators"][0]["values"][1].update(value="四百"), "indicators[0].values[1].value", "四百"),
        (lambda d: d["indicators"][0].update(kind="output"), "indicators[0].kind", "選択肢"),
        (lambda d: d["indicators"][0].update(direction="sideways"), "indicators[0].direction", "sideways"),
        (lambda d: d["budget_history"][0].update(budget="52,340"), "budget_history[0].budget", "整数"),
        (lambda d: d["funding"][2].update(basis="決算"), "funding[2].basis", "estimate"),
        (lambda d: d["personnel"][0].update(persons="二人"), "personnel[0].persons", "二人"),
        (lambda d: d["municipality"].update(code="99999"), "municipality.code", "99999"),
        (lambda d: d["texts"][0].pop("key"), "texts[0]", "key"),
        (lambda d: d.update(budjet_history=[]), "", "budjet_history"),
        (lambda d: d["policy"].pop("measure"), "policy", "measure"),
        (lambda d: d.update(code="00/86"), "code", "00/86"),
    ],
)
def test_a_document_that_does_not_fit_names_the_path_in_japanese(edit, path, words):
    document = _read(EXAMPLE_DOCUMENT)
    edit(document)
    [problem] = document_problems(document)
    assert problem.path == path
    assert words in problem.message


def test_document_paths_read_like_the_document_readers():
    assert document_path(["indicators", 2, "values", 0, "value"]) == "indicators[2].values[0].value"
    assert document_path([]) == ""


# --- import_sheets FILE.json ----------------------------------------------------------------------


@pytest.mark.usefixtures("seed_drafts")
def test_a_seed_document_and_a_list_of_them_import_as_json(tmp_path):
    one = _read(SEED_PATHS[0])
    one["purpose"] = "JSON から読み込んだ目的"
    report = sheet_file_import(path=_write(tmp_path, one, "one.json"))
    assert [(s.code, s.created) for s in report.sheets] == [("03-04-01", False)]
    assert Sheet.objects.get(program__code="03-04-01").purpose == "JSON から読み込んだ目的"

    documents = [_read(path) for path in SEED_PATHS[1:3]]
    documents[1]["remarks"] = "一覧の2件目"
    call_command("import_sheets", str(_write(tmp_path, documents, "list.json")))
    assert Sheet.objects.get(program__code="03-04-03").remarks == "一覧の2件目"


@pytest.mark.usefixtures("seed_drafts")
def test_a_bad_document_in_a_list_fails_naming_file_document_and_path_and_writes_nothing(tmp_path):
    good = _read(SEED_PATHS[0])
    good["purpose"] = "書かれてはならない"
    bad = _read(SEED_PATHS[1])
    bad["indicators"][1]["values"][2]["value"] = "四十二"
    path = _write(tmp_path, [good, bad], "bad.json")
    before = _database()

    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=path)
    assert (failed.value.file, failed.value.sheet, failed.value.field) == (
        str(path),
        "03-04-02（2件目）",
        "indicators[1].values[2].value",
    )
    assert "四十二" in failed.value.message and "ではありません" in failed.value.message
    assert _database() == before

    with pytest.raises(CommandError) as error:
        call_command("import_sheets", str(path))
    assert "シート 03-04-02（2件目）、項目 indicators[1].values[2].value" in str(error.value)
    assert _database() == before


def test_a_file_that_is_not_json_names_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "code": "0086",\n  "name": \n}\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=path)
    assert failed.value.line == 4
    assert "JSON として読めません" in failed.value.message


def test_the_same_sheet_twice_in_one_file_is_refused(tmp_path):
    document = _read(SEED_PATHS[0])
    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=_write(tmp_path, [document, copy.deepcopy(document)]))
    assert (failed.value.sheet, failed.value.field) == ("03-04-01", "code")
