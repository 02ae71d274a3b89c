"""/compare/: choosing programs and a year range in the form changes every chart and table."""

import re

import pytest

from tests import source_figures as source
from tests.browser.support import SEED_CODES, compare_traces, expect, table_rows, trace_counts, visit, wait_for_charts

pytestmark = pytest.mark.browser

CHOSEN = ["03-04-01", "03-04-04"]
YEARS = {2018: "平成30年度", 2019: "令和元年度", 2020: "令和2年度"}


def test_choosing_two_programs_and_a_year_range(page, page_log):
    visit(page, "/compare/")
    assert trace_counts(page) == compare_traces(SEED_CODES, with_unit_cost=5)
    default_rows = table_rows(page, "#table-compare-budget")
    assert len(default_rows) == len(SEED_CODES) * 7  # 平成27年度 … 令和3年度 for each program

    for code in CHOSEN:
        page.get_by_role("checkbox", name=code).check()
    page.get_by_label("年度（から）").select_option("2018")  # shown as 平成30年度
    page.get_by_label("年度（まで）").select_option("2020")
    with page.expect_navigation():
        page.get_by_role("button", name="比較する").click()
    page.wait_for_load_state("load")
    wait_for_charts(page)
    page_log.assert_clean()

    for part in ("programs=03-04-01&programs=03-04-04", "year_from=2018", "year_to=2020"):
        expect(page).to_have_url(re.compile(part))  # a regex is searched in the URL: "part in page.url"
    for code in SEED_CODES:  # the form shows the choice it was given
        expect(page.get_by_role("checkbox", name=code)).to_be_checked(checked=code in CHOSEN)
    expect(page.get_by_label("年度（から）")).to_have_value("2018")

    assert trace_counts(page) == compare_traces(CHOSEN, with_unit_cost=2)
    names = page.evaluate("() => document.getElementById('chart-compare-budget').data.map(t => t.name)")
    assert all(name.startswith(tuple(CHOSEN)) for name in names), names

    rows = table_rows(page, "#table-compare-budget")
    assert [(row[0], row[2]) for row in rows] == [(code, label) for code in CHOSEN for label in YEARS.values()]
    for row in rows:
        year = next(y for y, label in YEARS.items() if label == row[2])
        budget, settlement = source.BUDGET_HISTORY[row[0]][year]
        assert row[3:5] == [f"{budget:,}", f"{settlement:,}"]

    # every other table follows the selection too
    for key in ("share", "change", "achievement", "unit_cost", "cost"):
        codes = {row[0] for row in table_rows(page, f"#table-compare-{key}")}
        assert codes == set(CHOSEN), (key, codes)
    achievement_years = {row[2] for row in table_rows(page, "#table-compare-achievement")}
    assert achievement_years == set(YEARS.values())
