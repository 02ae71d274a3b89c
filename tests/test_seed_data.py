"""The seed sheets read back from the database equal the source document.

The expected figures in tests/source_figures.py were typed from the source document
independently of fixtures/, so a slip in either shows up here.
"""

from decimal import Decimal

import pytest

from finance.choices import CostAccount
from finance.costs import sheet_cost_statement
from finance.models import BreakdownLine, BudgetYear, CostLine, StatedCostTotal
from indicators.models import ActivityItem, Indicator
from programs.models import Sheet
from tests import source_figures as source

CODES = sorted(source.BUDGET_HISTORY)
pytestmark = pytest.mark.django_db


def test_all_six_seed_sheets_are_loaded():
    assert list(Sheet.objects.order_by("program__code").values_list("program__code", "fiscal_year")) == [
        (code, 2021) for code in CODES
    ]


@pytest.mark.parametrize("code", CODES)
def test_budget_and_settlement_of_every_year(code):
    rows = BudgetYear.objects.filter(sheet__program__code=code, sheet__fiscal_year=2021)
    got = {r.fiscal_year: (r.budget, r.settlement) for r in rows}
    assert got == source.BUDGET_HISTORY[code]
    assert {r.fiscal_year for r in rows if r.settlement_is_estimate} == {2021}


@pytest.mark.parametrize("code", CODES)
def test_indicator_values_and_targets(code):
    indicators = Indicator.objects.filter(sheet__program__code=code).prefetch_related("values")
    got = [
        (
            i.number,
            i.name,
            {v.fiscal_year: (v.value, v.decimals) for v in i.values.all()},
            (i.target, i.target_decimals, i.target_fiscal_year),
        )
        for i in indicators
    ]
    expected = [
        (
            number,
            name,
            {year: _printed(text) for year, text in values.items()},
            (*_printed(target), 2026),
        )
        for number, name, values, target in source.INDICATORS[code]
    ]
    assert got == expected
    estimates = {v.fiscal_year for i in indicators for v in i.values.all() if v.is_estimate}
    assert estimates == {2021}


@pytest.mark.parametrize("code", CODES)
def test_activity_values(code):
    items = ActivityItem.objects.filter(sheet__program__code=code).prefetch_related("values")
    got = [(item.name, {v.fiscal_year: (v.value, v.decimals) for v in item.values.all()}) for item in items]
    expected = [(name, {year: _printed(text) for year, text in values.items()}) for name, values in source.ACTIVITY[code]]
    assert got == expected


def test_fibre_lines_are_sub_items_of_facilities_in_03_04_04():
    fibre = ActivityItem.objects.get(sheet__program__code="03-04-04", name="光ファイバ")
    assert fibre.parent.name == "施設数（合計）"


@pytest.mark.parametrize("code", CODES)
def test_budget_breakdown_lines(code):
    lines = BreakdownLine.objects.filter(sheet__program__code=code)
    got = [(ln.fiscal_year, ln.kind, ln.expense_class, ln.description, ln.amount) for ln in lines]
    assert got == list(source.BREAKDOWN[code])


@pytest.mark.parametrize("code", CODES)
def test_cost_statement_lines(code):
    lines = CostLine.objects.filter(sheet__program__code=code)
    got: dict[int, dict[str, int]] = {}
    for line in lines:
        got.setdefault(line.fiscal_year, {})[line.get_account_display()] = line.amount
    assert got == source.COST_LINES[code]


@pytest.mark.parametrize("code", CODES)
def test_computed_cost_totals_equal_the_printed_totals(code):
    sheet = Sheet.objects.get(program__code=code)
    statement = sheet_cost_statement(sheet.cost_lines.all())
    assert {year: data["totals"] for year, data in statement.items()} == source.COST_PRINTED_TOTALS[code]


@pytest.mark.parametrize("code", CODES)
def test_stated_totals_kept_for_checking_agree_with_computed(code):
    sheet = Sheet.objects.get(program__code=code)
    statement = sheet_cost_statement(sheet.cost_lines.all(), StatedCostTotal.objects.filter(sheet=sheet))
    assert all(data["stated"] == data["totals"] for data in statement.values())
    assert {year: data["stated"] for year, data in statement.items()} == source.COST_PRINTED_TOTALS[code]


@pytest.mark.parametrize("code", CODES)
def test_computed_year_on_year_differences_equal_the_printed_difference_column(code):
    sheet = Sheet.objects.get(program__code=code)
    statement = sheet_cost_statement(sheet.cost_lines.all())
    first, second = statement[2019], statement[2020]
    computed = {CostAccount(a).label: second["amounts"][a] - first["amounts"][a] for a in first["amounts"]}
    computed |= {t: second["totals"][t] - first["totals"][t] for t in first["totals"]}
    assert computed == source.COST_PRINTED_DIFFERENCES[code]


def test_seed_section_totals():
    assert sum(b for b, _ in (h[2021] for h in source.BUDGET_HISTORY.values())) == 862063
    rows = BudgetYear.objects.filter(sheet__fiscal_year=2021)
    assert sum(r.budget for r in rows if r.fiscal_year == 2021) == 862063
    assert sum(r.settlement for r in rows if r.fiscal_year == 2020) == 819274


def test_texts_of_the_first_sheet_are_exact():
    sheet = Sheet.objects.get(program__code="03-04-01")
    assert sheet.purpose == (
        "住民記録、税等の区民の重要な個人情報を取り扱う業務系システムを適切に運用することにより、"
        "区民サービスの向上及び事務の効率化を図る。"
    )
    assert [s.name for s in sheet.staff.all()] == ["岡本", "西", "荒", "高倉", "成田"]
    assert sheet.extension == "2155"
    assert sheet.start_fiscal_year == 1983
    assert (sheet.classification_current, sheet.classification_next) == ("重点的に推進", "重点的に推進")
    assert sheet.measure.code == "05" and sheet.measure.policy.code == "15" and sheet.measure.policy.field.code == "Ⅶ"
    first_event = sheet.history_events.first()
    assert (first_event.era_label, first_event.year, first_event.month, first_event.text) == (
        "昭和58年4月",
        1983,
        4,
        "住民情報システム運用開始",
    )
    assert [i.number for i in sheet.issues.all()] == [1, 2, 3]
    assert sheet.improvements.get(number=3).plan == ""


def test_ocr_corrections_are_applied():
    assert Sheet.objects.get(program__code="03-04-05").name == "OA機器管理"
    e_gov = Sheet.objects.get(program__code="03-04-06")
    assert "LGVAN" not in e_gov.content and "LGWAN" in e_gov.content
    assert not e_gov.history_events.filter(text__contains="LGVAN").exists()
    assert e_gov.outsourcing == "一部委託"
    assert e_gov.measure.policy.field.code == "Ⅶ"
    assert not Sheet.objects.get(program__code="03-04-02").history_events.filter(text__contains="ough").exists()


def _printed(text: str) -> tuple[Decimal, int]:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(text), decimals
