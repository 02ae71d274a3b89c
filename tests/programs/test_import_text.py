"""The text importer (PDF text extraction → documents → database), against the seed source.

The seed file holds the same six sheets as fixtures/sheets/*.json; the importer must read them
into exactly those documents, reproduce every typed-in figure of tests/source_figures.py in an
empty database, and refuse bad files without changing anything.
"""

import json
import sys
import types
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from finance.costs import sheet_cost_statement
from finance.models import BreakdownLine, BudgetYear, CostLine, StatedCostTotal
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue
from programs.documents import DocumentError
from programs.interchange.imports import ImportFailed, sheet_file_import, sheets_import_files
from programs.interchange.text_corrections import CORRECTIONS, PARSER_RULES, corrections_apply
from programs.interchange.text_read import parse_sheets_text
from programs.models import (
    Department,
    HistoryEvent,
    Improvement,
    Measure,
    Policy,
    PolicyField,
    Program,
    Section,
    Sheet,
    SheetIssue,
    StaffMember,
    SubProgram,
)
from programs.services import SEED_DIR
from tests import source_figures as source
from tests.snapshots import sheet_snapshot

# The source text the fixtures were transcribed from (a copy of shared/seeds/, kept in the repository).
SEED_TEXT_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "000_0827d7d243b5a3c4.txt"
CORRECTIONS_MD = SEED_DIR.parent / "CORRECTIONS.md"
CODES = sorted(source.BUDGET_HISTORY)
COUNTED = [
    Program,
    Sheet,
    Department,
    Section,
    PolicyField,
    Policy,
    Measure,
    StaffMember,
    SubProgram,
    HistoryEvent,
    SheetIssue,
    Improvement,
    BudgetYear,
    BreakdownLine,
    CostLine,
    StatedCostTotal,
    Indicator,
    IndicatorValue,
    ActivityItem,
    ActivityValue,
]
# Keys of the parsed documents allowed to differ from the fixtures. Empty: every key, texts
# included, is read exactly as transcribed.
KNOWN_DIFFERENCES: dict[str, set[str]] = {}

# imports replace sheets being written: the seed sheets are reopened (作成中) for each test
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_drafts")]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_TEXT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(seed_text):
    return parse_sheets_text(seed_text, source_name=SEED_TEXT_PATH.name)


def _write(tmp_path: Path, text: str, name: str = "sheets.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _database() -> tuple[dict, dict]:
    """Counts of every table and a full snapshot of every sheet."""
    sheets = Sheet.objects.order_by("program__code", "fiscal_year")
    return _counts(), {(s.program.code, s.fiscal_year): sheet_snapshot(s) for s in sheets}


def _empty_database() -> None:
    Program.objects.all().delete()  # sheets and all their parts go with them
    for model in (Measure, Policy, PolicyField, Section, Department):
        model.objects.all().delete()


def _printed(text: str) -> tuple[Decimal, int]:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(text), decimals


# --- parsing ---------------------------------------------------------------------------------


def test_the_seed_file_has_six_sheets_and_no_problems(parsed):
    assert [doc["code"] for doc in parsed.documents] == CODES
    assert {doc["fiscal_year"] for doc in parsed.documents} == {2021}
    assert parsed.problems == []


@pytest.mark.parametrize("code", CODES)
def test_parsed_documents_equal_the_fixtures_key_by_key(parsed, code):
    document = next(doc for doc in parsed.documents if doc["code"] == code)
    expected = json.loads((SEED_DIR / f"{code}_2021.json").read_text(encoding="utf-8"))
    del expected["municipality"]  # the PDF text does not name it: its import means the default municipality (荒川区)
    assert set(document) == set(expected)
    for key in expected:
        if key not in KNOWN_DIFFERENCES.get(code, set()):
            assert document[key] == expected[key], key


def test_every_documented_text_correction_is_applied_once(parsed):
    applied = [c.correction for c in parsed.corrections]
    documented = [c for c in CORRECTIONS if c.documented_as]
    assert sorted(applied, key=documented.index) == documented


def test_every_row_of_corrections_md_is_represented():
    rows = set()
    for line in CORRECTIONS_MD.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 4 and cells[0] not in {"sheet", ""} and not set(cells[0]) <= {"-"}:
            rows.add(f"{cells[0]} | {cells[1]}")
    represented = {c.documented_as for c in CORRECTIONS if c.documented_as} | {r.documented_as for r in PARSER_RULES}
    assert len(rows) == 24
    assert represented == rows


def test_without_corrections_the_ocr_slips_stay_and_bad_choices_are_reported(seed_text):
    result = parse_sheets_text(seed_text, source_name="seed.txt", apply_corrections=False)
    documents = {doc["code"]: doc for doc in result.documents}
    assert documents["03-04-05"]["name"] == "○ A 機器管理"
    assert documents["03-04-06"]["policy"]["field"]["code"] == "VII"
    assert "LGVAN" in documents["03-04-06"]["content"]
    assert documents["03-04-04"]["outsourcing"] == ""  # 3委託 is not an option
    reported = {(p.sheet, p.field, p.line) for p in result.problems}
    assert reported == {("03-04-04", "outsourcing", 267), ("03-04-06", "outsourcing", 440)}
    assert not result.fatal_problems
    assert "ベストフォート" in documents["03-04-04"]["implementation_note"]
    assert [c.path for c in corrections_apply(documents["03-04-04"])] == ["implementation_note"]


def test_radio_marks_decide_the_options(seed_text):
    checked = seed_text.replace('（ <input type="radio"/> 一部委託）', '（ <input checked="" type="radio"/> 一部委託）', 1)
    checked = checked.replace(
        '<input type="radio"/> 新規事業（ <input type="radio"/> 3年度',
        '<input checked="" type="radio"/> 新規事業（ <input checked="" type="radio"/> 3年度',
        1,
    )
    first = parse_sheets_text(checked, source_name="x.txt").documents[0]
    assert (first["outsourcing"], first["business_type"], first["new_business_fiscal_year"]) == ("一部委託", "新規", 2021)


def test_half_width_header_and_rows_split_over_lines(seed_text):
    text = seed_text.replace("事務事業分析シート（令和3年度）", "事務事業分析シート(令和 3年度)")
    text = text.replace(
        "\t平成14年度\tインターネットデータセンターにおける運用監視開始",
        "\t平成14年度\n\tインターネットデータセンターにおける運用監視開始",
    )
    result = parse_sheets_text(text, source_name="x.txt")
    assert result.problems == []
    assert result.documents == parse_sheets_text(seed_text, source_name="x.txt").documents


def test_an_unreadable_optional_field_is_reported_with_its_line(seed_text):
    text = seed_text.replace("(実施 22 区 未実施 0 区 不明 0 区)", "(実施 二十二 区)", 1)
    result = parse_sheets_text(text, source_name="x.txt")
    [problem] = result.problems
    assert (problem.sheet, problem.field, problem.line, problem.fatal) == ("03-04-01", "other_wards", 81, False)
    assert problem.text == "他区の実況\t(実施 二十二 区)"
    assert result.documents[0]["other_wards"]["implemented"] is None


# --- importing -------------------------------------------------------------------------------


def test_import_into_an_empty_database_reproduces_every_figure_and_twice_changes_nothing():
    _empty_database()
    assert Sheet.objects.count() == PolicyField.objects.count() == Department.objects.count() == 0

    first = sheet_file_import(path=SEED_TEXT_PATH)
    assert [(s.code, s.created) for s in first.sheets] == [(code, True) for code in CODES]
    _assert_every_source_figure()

    before = _database()
    second = sheet_file_import(path=SEED_TEXT_PATH)
    assert [(s.code, s.created) for s in second.sheets] == [(code, False) for code in CODES]
    assert _database() == before  # same rows, same content
    assert Program.objects.count() == Sheet.objects.count() == 6
    _assert_every_source_figure()


def _assert_every_source_figure() -> None:
    for code in CODES:
        sheet = Sheet.objects.get(program__code=code, fiscal_year=2021)
        budget = {r.fiscal_year: (r.budget, r.settlement) for r in sheet.budget_years.all()}
        assert budget == source.BUDGET_HISTORY[code], code
        assert {r.fiscal_year for r in sheet.budget_years.all() if r.settlement_is_estimate} == {2021}

        indicators = [
            (i.number, i.name, {v.fiscal_year: (v.value, v.decimals) for v in i.values.all()}, (i.target, i.target_decimals))
            for i in Indicator.objects.filter(sheet=sheet).prefetch_related("values")
        ]
        assert indicators == [
            (number, name, {y: _printed(v) for y, v in values.items()}, _printed(target))
            for number, name, values, target in source.INDICATORS[code]
        ], code

        activity = [
            (item.name, {v.fiscal_year: (v.value, v.decimals) for v in item.values.all()})
            for item in ActivityItem.objects.filter(sheet=sheet).prefetch_related("values")
        ]
        assert activity == [(name, {y: _printed(v) for y, v in values.items()}) for name, values in source.ACTIVITY[code]]

        breakdown = [(ln.fiscal_year, ln.kind, ln.expense_class, ln.description, ln.amount) for ln in sheet.breakdown_lines.all()]
        assert breakdown == list(source.BREAKDOWN[code]), code

        lines: dict[int, dict[str, int]] = {}
        for line in CostLine.objects.filter(sheet=sheet):
            lines.setdefault(line.fiscal_year, {})[line.get_account_display()] = line.amount
        assert lines == source.COST_LINES[code], code

        statement = sheet_cost_statement(sheet.cost_lines.all(), StatedCostTotal.objects.filter(sheet=sheet))
        assert {year: data["stated"] for year, data in statement.items()} == source.COST_PRINTED_TOTALS[code]
        assert {year: data["totals"] for year, data in statement.items()} == source.COST_PRINTED_TOTALS[code]
    fibre = ActivityItem.objects.get(sheet__program__code="03-04-04", name="光ファイバ")
    assert fibre.parent.name == "施設数（合計）"


def _cut_before_budget_table_of_second_sheet(text: str) -> str:
    second = text.index("03-04-02")
    return text[: text.index("予算・決算額等の推移", second)]


BAD_INPUTS = [
    pytest.param(lambda t: "これは会議録です。\n議題\t予算\n", "-", "header", id="not-a-sheet"),
    pytest.param(_cut_before_budget_table_of_second_sheet, "03-04-02", "budget_history", id="truncated-sheet"),
    pytest.param(lambda t: t.replace("473,845", "1,2,3", 1), "03-04-01", "budget_history[0].budget", id="budget-1,2,3"),
    pytest.param(lambda t: t.replace("473,845", "四百", 1), "03-04-01", "budget_history[0].budget", id="budget-四百"),
    pytest.param(
        lambda t: t.replace("事務事業分析シート（令和3年度）", "事務事業分析シート（令和99年度）", 1),
        "03-04-01",
        "fiscal_year",
        id="fiscal-year-out-of-range",
    ),
    pytest.param(
        lambda t: t.replace("事務事業コード\t03-04-02", "事務事業コード\t03-04-01", 1), "03-04-01", "code", id="same-code-twice"
    ),
    pytest.param(
        lambda t: t.replace(" - ②更改などを", " - ①更改などを", 1), "03-04-01", "issues[1].number", id="issue-number-twice"
    ),
    pytest.param(  # only the loader can refuse it: sheets 1-5 are written first, then rolled back
        lambda t: t.replace("14,069\t14,517", "▲ 5\t14,517", 1),
        "03-04-06",
        "budget_history[0].budget",
        id="negative-budget-in-sheet-6",
    ),
]


def _changed_first_sheet() -> None:
    """Make the database differ from the seed file, so that a write that was not rolled back shows."""
    sheet = Sheet.objects.get(program__code="03-04-01")
    sheet.purpose = "変更済み"
    sheet.save()
    BudgetYear.objects.filter(sheet=sheet, fiscal_year=2015).update(budget=1)


@pytest.mark.parametrize(("edit", "sheet", "field"), BAD_INPUTS)
def test_a_bad_file_fails_naming_file_sheet_and_field_and_changes_nothing(tmp_path, seed_text, edit, sheet, field):
    _changed_first_sheet()
    path = _write(tmp_path, edit(seed_text), name="bad.txt")
    before = _database()

    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=path)
    assert (failed.value.file, failed.value.sheet, failed.value.field) == (str(path), sheet, field)
    assert _database() == before

    with pytest.raises(CommandError) as error:
        call_command("import_sheets", str(path))
    assert str(path) in str(error.value) and f"シート {sheet}" in str(error.value) and f"項目 {field}" in str(error.value)
    assert _database() == before


def test_a_malformed_budget_names_its_line(tmp_path, seed_text):
    path = _write(tmp_path, seed_text.replace("473,845", "1,2,3", 1))
    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=path)
    assert failed.value.line == 34
    assert "「1,2,3」" in failed.value.message


def test_files_are_independent_and_the_status_is_non_zero_if_any_failed(tmp_path, seed_text, capsys):
    bad = _write(tmp_path, seed_text.replace("473,845", "四百", 1), name="bad.txt")
    good = _write(tmp_path, seed_text.replace("区職員及び区民", "区職員、区民", 1), name="good.txt")

    reports = sheets_import_files(paths=[bad, good])
    assert [r.ok for r in reports] == [False, True]
    assert Sheet.objects.get(program__code="03-04-01").target_group == "区職員、区民"

    with pytest.raises(CommandError):
        call_command("import_sheets", str(bad), str(good))
    out = capsys.readouterr()
    assert "更新: 03-04-01 業務系システム運用管理（令和3年度）" in out.out
    assert f"失敗: {bad}" in out.err


def test_command_lists_created_and_updated_per_sheet(capsys):
    Program.objects.filter(code="03-04-06").delete()
    call_command("import_sheets", str(SEED_TEXT_PATH))
    out = capsys.readouterr().out
    assert f"ファイル: {SEED_TEXT_PATH}" in out
    for code, name in [
        ("03-04-01", "業務系システム運用管理"),
        ("03-04-02", "情報系システム運用管理"),
        ("03-04-03", "システム設置設備管理"),
        ("03-04-04", "ネットワーク管理"),
        ("03-04-05", "OA機器管理"),
    ]:
        assert f"更新: {code} {name}（令和3年度）" in out
    assert "作成: 03-04-06 電子自治体推進（令和3年度）" in out
    assert "6 枚のシートを取り込みました（作成 1・更新 5）" in out
    assert "OCR 補正: 13 件" in out


def test_command_lists_the_fields_it_could_not_read(tmp_path, seed_text, capsys):
    path = _write(tmp_path, seed_text.replace("(実施 22 区 未実施 0 区 不明 0 区)", "(実施 二十二 区)", 1))
    call_command("import_sheets", str(path))
    out = capsys.readouterr().out
    assert (
        "読めなかった項目 other_wards（81行目「他区の実況 (実施 二十二 区)」）: 他区の実況（実施・未実施・不明の区数）が読めません"
        in out
    )


def test_xlsx_files_go_through_the_workbook_reader(tmp_path, monkeypatch):
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SEED_DIR.glob("*.json"))]
    documents[0]["purpose"] = "Excel から"
    monkeypatch.setitem(sys.modules, "programs.interchange.workbook", types.SimpleNamespace(workbook_read=lambda path: documents))
    report = sheet_file_import(path=tmp_path / "sheets.xlsx")
    assert [(s.code, s.created) for s in report.sheets] == [(code, False) for code in CODES]
    assert Sheet.objects.get(program__code="03-04-01").purpose == "Excel から"


def test_a_workbook_error_names_the_field_and_changes_nothing(tmp_path, monkeypatch):
    def broken(path):
        raise DocumentError("シート1!C5 budget_history[0].budget", "「四百」は数値として読めません")

    monkeypatch.setitem(sys.modules, "programs.interchange.workbook", types.SimpleNamespace(workbook_read=broken))
    before = _database()
    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=tmp_path / "sheets.xlsx")
    assert failed.value.field == "シート1!C5 budget_history[0].budget"
    assert _database() == before
