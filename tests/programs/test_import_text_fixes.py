"""The text importer's issue-12 fixes, on edits of the seed source text: a settlement without a budget, any unit in a
trailing parenthetical of an activity item, and a file saved with the wrong column separator."""

from pathlib import Path

import pytest

from finance.models import BudgetYear
from indicators.models import ActivityItem
from programs.interchange.imports import ImportFailed, sheet_file_import
from programs.interchange.text_read import _split_trailing_unit, _unit, parse_sheets_text
from programs.models import Sheet
from tests.snapshots import sheet_snapshot

SEED_TEXT_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "000_0827d7d243b5a3c4.txt"
BUDGET_ROW = "予算額\t\t473,845\t434,429"  # 03-04-01, 平成27年度 first
ITEM_ROW = "汎用機システム業務数\t\t"  # 03-04-01's second 実績の推移 item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_drafts")]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_TEXT_PATH.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "sheets.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_year_with_a_settlement_and_no_budget_is_read_with_the_budget_missing(tmp_path, seed_text):
    assert BUDGET_ROW in seed_text
    text = seed_text.replace(BUDGET_ROW, "予算額\t\t\t434,429", 1)
    result = parse_sheets_text(text, source_name="x.txt")
    assert result.problems == []
    assert result.documents[0]["budget_history"][0] == {
        "fiscal_year": 2015,
        "budget": None,
        "settlement": 433996,
        "settlement_is_estimate": False,
    }

    sheet_file_import(path=_write(tmp_path, text))
    row = BudgetYear.objects.get(sheet__program__code="03-04-01", fiscal_year=2015)
    assert (row.budget, row.settlement) == (None, 433996)


def test_a_year_with_neither_figure_is_reported_but_not_fatal(seed_text):
    text = seed_text.replace(BUDGET_ROW, "予算額\t\t\t434,429", 1).replace(
        "決算額 (3年度は見込み)\t\t433,996", "決算額 (3年度は見込み)\t\t", 1
    )
    result = parse_sheets_text(text, source_name="x.txt")
    [problem] = result.problems
    assert (problem.sheet, problem.field, problem.fatal) == ("03-04-01", "budget_history[0]", False)
    assert problem.message == "2015年度の予算額も決算額もありません"


@pytest.mark.parametrize(
    ("printed", "name", "unit"),
    [
        ("汎用機システム業務数 (基)", "汎用機システム業務数", "基"),
        ("汎用機システム業務数 （千人）", "汎用機システム業務数", "千人"),
        ("汎用機システム業務数 (ｋｇ)", "汎用機システム業務数", "kg"),
        ("汎用機システム業務数 (人/日)", "汎用機システム業務数", "人/日"),
        ("汎用機システム業務数 (合計)", "汎用機システム業務数 (合計)", ""),  # not a unit: stays in the name
        ("汎用機システム業務数(基)", "汎用機システム業務数(基)", "基"),  # unspaced: part of the name, as 電子決裁率(%)
    ],
)
def test_any_unit_in_a_trailing_parenthetical_of_an_activity_item_moves_to_its_unit(seed_text, printed, name, unit):
    assert ITEM_ROW in seed_text
    text = seed_text.replace(ITEM_ROW, f"{printed}\t\t", 1)
    result = parse_sheets_text(text, source_name="x.txt")
    assert result.problems == []
    item = result.documents[0]["activity"][1]
    assert (item["name"], item["unit"]) == (name, unit)


def test_the_seed_items_keep_their_names_and_units(seed_text):
    items = [
        (a["name"], a["unit"]) for doc in parse_sheets_text(seed_text, source_name="x.txt").documents for a in doc["activity"]
    ]
    assert ("システム開発変更", "千円") in items
    assert ("文書管理システムの電子決裁率(%)", "%") in items
    assert ("施設数（合計）", "施設") in items
    assert ("印刷枚数 (複合機・レーザープリンタ)", "枚") in items


def test_what_counts_as_a_unit():
    assert [_unit(text) for text in ("基", "千人", "百万円", "延べ人", "件/月", "％", "t")] == [
        "基",
        "千人",
        "百万円",
        "延べ人",
        "件/月",
        "%",
        "t",
    ]
    assert [_unit(text) for text in ("合計", "再掲", "総務部", "複合機・レーザープリンタ", "1", "A", "")] == [""] * 7
    assert _split_trailing_unit("来場者数 (千人)") == ("来場者数", "千人")


@pytest.mark.parametrize(("separator", "word"), [(",", "カンマ"), (";", "セミコロン")])
def test_a_file_split_by_commas_or_semicolons_is_reported_as_a_separator_problem(tmp_path, seed_text, separator, word):
    path = _write(tmp_path, seed_text.replace("\t", separator), name="sheets.csv")
    before = {s.pk: sheet_snapshot(s) for s in Sheet.objects.all()}
    items = ActivityItem.objects.count()
    with pytest.raises(ImportFailed) as failed:
        sheet_file_import(path=path)
    error = failed.value
    assert (error.file, error.field) == (str(path), "区切り文字")
    assert error.line == 7  # 事務事業コード,03-04-01,…: the first line with a separator (the header on line 3 has none)
    assert "sheets.csv" in error.message and "7行目" in error.message and word in error.message and "タブ" in error.message
    assert {s.pk: sheet_snapshot(s) for s in Sheet.objects.all()} == before
    assert ActivityItem.objects.count() == items
