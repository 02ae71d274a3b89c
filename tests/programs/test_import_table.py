"""Flat tables through a mapping file: `import_sheets --mapping MAPPING.json TABLE.csv` (programs/interchange/table_mapping.py).

The shipped example (fixtures/examples/: 架空市, three made-up programs) must give exactly the documents expected —
program 0086 the same as its JSON example document, figure by figure — and a mapping that does not fit the table
must fail naming the column, writing nothing.
"""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from programs.interchange.document_schema import document_problems
from programs.interchange.imports import ImportFailed, sheet_file_import
from programs.interchange.table_mapping import MappingError, mapping_read, table_documents
from programs.models import Program, Sheet
from programs.services import SEED_DIR
from tests.snapshots import sheet_snapshot

EXAMPLES = SEED_DIR.parent / "examples"
MAPPING = EXAMPLES / "kakuu_city_mapping.json"
TABLE = EXAMPLES / "kakuu_city_2024.csv"
DOCUMENT_0086 = EXAMPLES / "kakuu_city_0086_2024.json"

pytestmark = pytest.mark.django_db

SMALL_MAPPING = {
    "municipality": {"code": "999997", "name": "架空市", "prefecture": "架空県", "kind": "市"},
    "fiscal_year": "年度",
    "code": "番号",
    "name": "事業名",
    "department": "部",
    "section": "課",
    "policy": {"field": {"code": "政策"}, "policy": {"code": "施策"}, "measure": {"code": "基本事業"}},
    "years": [
        {"fiscal_year": 2023, "budget": "R5予算", "settlement": "R5決算", "funding": {"general": "R5一般財源"}},
        {"fiscal_year": 2024, "estimate": True, "budget": "R6予算", "settlement": "R6決算見込"},
    ],
    "indicators": [{"kind": "activity", "number": 1, "name": "指標", "values": {"2023": "指標R5", "2024": "指標R6"}}],
}
SMALL_HEADER = ["年度", "番号", "事業名", "部", "課", "政策", "施策", "基本事業", "R5予算", "R5決算", "R5一般財源", "R6予算", "R6決算見込", "指標", "指標R5", "指標R6"]  # fmt: skip
SMALL_ROWS = [
    ["令和6年度", "0901", "架空事業A", "総務部", "総務課", "1", "1-1", "1-1-1", "1,234", "▲ 12", "１，２００", "１２３４", "", "参加者数", "1,500", "1,620.5"],
    ["2024", "0902", "架空事業B", "総務部", "総務課", "1", "1-1", "1-1-2", "", "980", "", "1000", "990", "", "", ""],
]  # fmt: skip


def _database() -> tuple[int, dict]:
    sheets = Sheet.objects.order_by("program__code", "fiscal_year")
    return Program.objects.count(), {(s.program.code, s.fiscal_year): sheet_snapshot(s) for s in sheets}


def _csv(tmp_path: Path, rows: list[list[str]], *, bom: bool = True, name: str = "table.csv") -> Path:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell

    path = tmp_path / name
    text = "\r\n".join(",".join(quoted(cell) for cell in row) for row in rows) + "\r\n"
    path.write_text(text, encoding="utf-8-sig" if bom else "utf-8")
    return path


def _mapping(tmp_path: Path, mapping: dict, name: str = "mapping.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    return path


def _example_rows():
    return table_documents(path=TABLE, mapping=mapping_read(MAPPING))


# --- the shipped example -------------------------------------------------------------------------


def test_the_example_table_gives_program_0086_exactly_as_its_json_document():
    rows = _example_rows()
    assert [(row.row, row.document["code"]) for row in rows] == [(2, "0086"), (3, "0112"), (4, "0231")]
    expected = json.loads(DOCUMENT_0086.read_text(encoding="utf-8"))
    document = rows[0].document
    for key in expected:  # key by key first, so that a failure names the part that differs
        assert document[key] == expected[key], key
    assert document == expected


def test_every_figure_of_0086_is_where_the_contract_puts_it():
    document = _example_rows()[0].document
    assert document["budget_history"][0] == {
        "fiscal_year": 2019,
        "budget": 52340,
        "settlement": 49876,
        "settlement_is_estimate": False,
    }
    assert document["budget_history"][-1] == {
        "fiscal_year": 2024,
        "budget": 66210,
        "settlement": 66210,
        "settlement_is_estimate": True,
    }
    assert [(f["fiscal_year"], f["basis"]) for f in document["funding"]] == [
        (2019, "settlement"), (2020, "settlement"), (2021, "settlement"), (2022, "settlement"), (2023, "settlement"), (2024, "estimate")
    ]  # fmt: skip
    assert document["funding"][0] == {
        "fiscal_year": 2019,
        "basis": "settlement",
        "national": 0,
        "prefectural": 1250,
        "bonds": None,
        "other_specific": 3126,
        "general": 45500,
    }  # an empty cell is not reported: None, never 0
    for row, history in zip(document["funding"], document["budget_history"], strict=True):
        sources = [row[key] for key in ("national", "prefectural", "bonds", "other_specific", "general")]
        assert sum(value for value in sources if value is not None) == history["settlement"]
    assert document["personnel"][0] == {
        "fiscal_year": 2019,
        "basis": "settlement",
        "persons": "2.50",
        "hours": None,
        "amount": 20000,
    }
    kinds = [(i["kind"], i["number"]) for i in document["indicators"]]
    assert kinds == [
        ("activity", 1),
        ("activity", 2),
        ("activity", 3),
        ("target", 1),
        ("target", 2),
        ("outcome", 1),
        ("outcome", 2),
    ]
    uptime = document["indicators"][5]
    assert (uptime["name"], uptime["unit"], uptime["direction"], uptime["target"], uptime["target_fiscal_year"]) == (
        "システム稼働率", "%", "up", "99.90", 2026
    )  # fmt: skip
    assert [(v["fiscal_year"], v["value"], v["is_estimate"]) for v in uptime["values"]][-2:] == [
        (2023, "99.93", False),
        (2024, "99.95", True),
    ]
    assert document["indicators"][1]["values"][0]["value"] == "3120"  # printed 3,120
    assert [i["direction"] for i in document["indicators"]] == ["none", "none", "up", "none", "none", "up", "zero"]
    assert document["classification"] == {
        "current": "改革改善",
        "next": "改革改善",
        "explanation": "クラウド移行を見据え、運用委託の範囲と契約を見直す。",
    }  # printed "２ 改革改善", translated by the mapping's codes
    assert [(t["key"], t["role"]) for t in document["texts"]][-2:] == [
        ("comment_department", "担当課"),
        ("comment_section_chief", "課長"),
    ]
    assert document["policy"]["measure"] == {"code": "5-2-3", "name": "情報化による事務の効率化"}


def test_the_other_example_programs_leave_missing_years_missing():
    _, cleanup, reading = (row.document for row in _example_rows())
    assert [h["fiscal_year"] for h in cleanup["budget_history"]] == [2021, 2022, 2023, 2024]
    assert [p["fiscal_year"] for p in cleanup["personnel"]] == [2023, 2024]
    assert [v["fiscal_year"] for v in cleanup["indicators"][1]["values"]] == [2021, 2022, 2023, 2024]
    assert [f["fiscal_year"] for f in reading["funding"]] == [2022, 2023, 2024]
    assert reading["personnel"] == []
    assert [i["name"] for i in reading["indicators"]] == ["ブックスタート絵本配布率"]  # empty indicator slots left out
    assert reading["classification"]["next"] == "縮小"


def test_every_mapped_document_fits_the_schema():
    for row in _example_rows():
        assert document_problems(row.document) == [], row.document["code"]


# --- cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [True, False])
def test_amounts_with_separators_triangles_and_full_width_digits_and_empty_cells(tmp_path, bom):
    path = _csv(tmp_path, [SMALL_HEADER, *SMALL_ROWS], bom=bom)
    first, second = (row.document for row in table_documents(path=path, mapping=SMALL_MAPPING))
    assert first["fiscal_year"] == 2024  # printed 令和6年度
    assert first["budget_history"] == [
        {"fiscal_year": 2023, "budget": 1234, "settlement": -12, "settlement_is_estimate": False},
        {"fiscal_year": 2024, "budget": 1234, "settlement": None, "settlement_is_estimate": True},
    ]
    assert first["funding"] == [{"fiscal_year": 2023, "basis": "settlement", "national": None, "prefectural": None,
                                 "bonds": None, "other_specific": None, "general": 1200}]  # fmt: skip
    assert first["indicators"][0]["values"] == [
        {"fiscal_year": 2023, "value": "1500", "is_estimate": False},
        {"fiscal_year": 2024, "value": "1620.5", "is_estimate": True},
    ]
    assert second["budget_history"][0] == {
        "fiscal_year": 2023,
        "budget": None,
        "settlement": 980,
        "settlement_is_estimate": False,
    }
    assert second["funding"] == [] and second["indicators"] == []
    assert second["policy"] == {
        "field": {"code": "1", "name": ""},
        "policy": {"code": "1-1", "name": ""},
        "measure": {"code": "1-1-2", "name": ""},
    }


def test_the_first_worksheet_of_an_xlsx_reads_as_the_csv_does(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row in [SMALL_HEADER, *SMALL_ROWS]:
        sheet.append(row)
    workbook.create_sheet("メモ").append(["この表は読みません"])
    path = tmp_path / "table.xlsx"
    workbook.save(path)
    from_csv = table_documents(path=_csv(tmp_path, [SMALL_HEADER, *SMALL_ROWS]), mapping=SMALL_MAPPING)
    assert [row.document for row in table_documents(path=path, mapping=SMALL_MAPPING)] == [row.document for row in from_csv]


def test_an_unreadable_amount_names_its_column_and_row(tmp_path):
    rows = copy.deepcopy(SMALL_ROWS)
    rows[1][9] = "九百八十"
    with pytest.raises(MappingError) as failed:
        table_documents(path=_csv(tmp_path, [SMALL_HEADER, *rows]), mapping=SMALL_MAPPING)
    assert (failed.value.where, failed.value.row, failed.value.code) == ("列「R5決算」", 3, "0902")
    assert "九百八十" in failed.value.message


# --- mapping errors: the column named, nothing written ------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda m: m["years"][5]["personnel"].update(hours="R6業務時間数"), "列「R6業務時間数」"),
        (lambda m: m["indicators"][0]["values"].update({"2025": "活動指標1_R7"}), "列「活動指標1_R7」"),
        (lambda m: m.update(code="事業コード"), "列「事業コード」"),
        (lambda m: m["years"][0].update(fiscal_year="令和元"), "years[0].fiscal_year"),
        (lambda m: m["indicators"][0]["values"].update({"20X5": "活動指標1_R1"}), "indicators[0].values.20X5"),
        (lambda m: m["years"][1].update(fiscal_year=2019), "years[1].fiscal_year"),
        (lambda m: m.update(sheet_name="一覧"), "sheet_name"),
        (lambda m: m["fields"].update(purpose_text="目的"), "fields.purpose_text"),
    ],
)
def test_a_mapping_that_does_not_fit_fails_naming_the_column_and_writes_nothing(tmp_path, edit, field):
    mapping = mapping_read(MAPPING)
    edit(mapping)
    mapping_path = _mapping(tmp_path, mapping)
    before = _database()

    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=TABLE, mapping=mapping_path)
    assert (failed.value.file, failed.value.field) == (str(TABLE), field)
    assert "mapping.json" in failed.value.message
    assert _database() == before

    with pytest.raises(CommandError) as error:
        call_command("import_sheets", "--mapping", str(mapping_path), str(TABLE))
    assert f"項目 {field}" in str(error.value)
    assert _database() == before


def test_a_classification_code_the_mapping_does_not_list_names_column_and_row(tmp_path):
    text = TABLE.read_text(encoding="utf-8-sig").replace("５ 廃止", "６ 休止").replace("３ 縮小", "６ 休止")
    table = tmp_path / "kakuu.csv"
    table.write_text(text, encoding="utf-8")
    before = _database()
    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=table, mapping=MAPPING)
    assert (failed.value.sheet, failed.value.field, failed.value.line) == ("0231", "列「今後の方向性」", 4)
    assert "６ 休止" in failed.value.message
    assert _database() == before


def test_a_missing_mapping_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="対応表"):
        call_command("import_sheets", "--mapping", str(tmp_path / "none.json"), str(TABLE))


def test_declared_fields_are_read_by_their_kind(tmp_path):
    header = [*SMALL_HEADER, "終期", "終期年度", "担当者", "実施方法"]
    rows = [[*SMALL_ROWS[0], "有", "令和8年度", "岡本・西", "一部委託"], [*SMALL_ROWS[1], "", "", "", ""]]
    mapping = copy.deepcopy(SMALL_MAPPING)
    mapping["fields"] = {
        "has_end_date": "終期",
        "end_fiscal_year": "終期年度",
        "staff": "担当者",
        "outsourcing": "実施方法",
        "remarks": {"value": "一覧表から読み込み"},
    }
    first, second = (row.document for row in table_documents(path=_csv(tmp_path, [header, *rows]), mapping=mapping))
    assert (first["has_end_date"], first["end_fiscal_year"], first["staff"], first["outsourcing"]) == (
        True,
        2026,
        ["岡本", "西"],
        "一部委託",
    )
    assert (second["has_end_date"], second["end_fiscal_year"], second["staff"], second["outsourcing"]) == (False, None, [], "")
    assert first["remarks"] == second["remarks"] == "一覧表から読み込み"
    assert document_problems(second) == []
    assert [p.path for p in document_problems(first)] == ["budget_history[0].settlement"]  # ▲ 12: a settlement is never negative
