"""/sheets/ readable at 1440 and 375 px (issue 14 parts 1 and 5): the default columns fit a 1440 px screen, no page-level
sideways scroll, no header one character a line, the column chooser in the URL, removable filter chips, filters
behind 絞り込み on a phone with the columns that matter, the code column in view while the table scrolls."""

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.support import expect, visit

pytestmark = pytest.mark.browser

LAYOUT = """() => {
  const table = document.querySelector('table.data-table');
  const box = table.closest('.table-scroll');
  const lineHeight = parseFloat(getComputedStyle(table.querySelector('thead th')).lineHeight) || 20;
  const headers = [...table.querySelectorAll('thead th')].filter(th => th.offsetParent);
  const tall = headers.filter(th => {
    const text = th.querySelector('a') || th;
    const range = document.createRange(); range.selectNodeContents(text);
    return range.getBoundingClientRect().height > 2.5 * lineHeight;  // more than two lines of text
  }).map(th => th.innerText);
  return {page: document.documentElement.scrollWidth, viewport: window.innerWidth, table: table.scrollWidth,
          box: box.clientWidth, headers: headers.map(th => th.innerText.replace(/\\s+/g, ' ').trim()), tall};
}"""


def _layout(page) -> dict:
    return page.evaluate(LAYOUT)


@pytest.fixture
def several_municipalities(seeded):
    call_command("generate_demo", wards=2, programs=4, years=1, seed=1, stdout=io.StringIO())


@pytest.mark.parametrize("path", ["/sheets/", "/sheets/?fiscal_year=2021&sort=-own_budget"])
def test_default_columns_fit_at_1440_without_scrolling(page, several_municipalities, path):
    page.set_viewport_size({"width": 1440, "height": 900})
    visit(page, path)
    layout = _layout(page)
    assert layout["page"] <= layout["viewport"], layout
    assert layout["table"] <= layout["box"], layout  # every default column in view, no hidden cue-less columns
    assert layout["tall"] == [], layout
    assert layout["headers"][:3] == ["団体", "コード", "事務事業名"]
    assert "課" not in layout["headers"] and not any(h.startswith("施策") for h in layout["headers"])


@pytest.mark.parametrize("width", [1440, 375])
def test_every_column_chosen_scrolls_in_its_box_not_the_page(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    cols = "&".join(f"cols={name}" for name in ["section", "measure", "budget_change", "max_unused", "cost_expense"])
    visit(page, f"/sheets/?{cols}")
    if width == 375:
        page.get_by_text("すべての列を表示").click()
    layout = _layout(page)
    assert layout["page"] <= layout["viewport"], layout
    assert layout["tall"] == [], layout


def test_column_chooser_round_trips_through_the_url(page):
    page.set_viewport_size({"width": 1440, "height": 900})
    visit(page, "/sheets/")
    chooser = page.locator(".column-chooser")
    chooser.get_by_label("課の列", exact=True).check()
    chooser.get_by_label("指標達成度（平均）の列").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="絞り込む").click()
    expect(page).to_have_url(re.compile(r"cols=section"))
    assert "cols=achievement" not in page.url
    headers = _layout(page)["headers"]
    assert "課" in headers and "指標達成度 平均" not in headers
    # the choice survives sorting by a header link and the chooser shows it
    with page.expect_navigation():
        page.locator("table.data-table thead th[title='予算額（千円）']").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sort=own_budget"))
    expect(page.locator(".column-chooser").get_by_label("課の列", exact=True)).to_be_checked()
    assert "課" in _layout(page)["headers"]


def test_chips_show_the_active_filters_and_remove_one(page):
    visit(page, "/sheets/?classification=継続&fiscal_year=2021")
    chips = page.locator(".filter-chips .chip")
    expect(chips).to_have_count(2)
    expect(page.locator("#result-heading")).to_have_text("4 件のシート")
    with page.expect_navigation():
        chips.filter(has_text="分類（当年度）").click()
    expect(page.locator(".filter-chips .chip")).to_have_count(1)
    expect(page.locator(".filter-chips")).to_contain_text("令和3年度")
    expect(page.locator("#result-heading")).to_have_text("6 件のシート")
    assert "classification" not in page.url and "fiscal_year=2021" in page.url


def test_phone_collapses_the_filters_and_shows_the_columns_that_matter(mobile_page):
    page = mobile_page
    visit(page, "/sheets/?fiscal_year=2021")
    layout = _layout(page)
    assert layout["page"] <= layout["viewport"], layout
    assert layout["tall"] == [], layout
    assert layout["headers"] == ["コード", "事務事業名", "予算額", "決算額", "執行率 最新確定年度"]
    filters = page.locator("details.filter-panel")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_label("キーワード")).to_be_hidden()
    # the first result is on the first screen, not 2.3 screens down
    assert page.locator("table.data-table tbody tr").first.bounding_box()["y"] < 2 * 800
    expect(page.locator(".filter-chips")).to_contain_text("令和3年度")
    page.locator("summary.filter-toggle").click()
    expect(page.get_by_label("キーワード")).to_be_visible()
    # the rest of the columns are reachable, and the code stays in view while the table scrolls
    page.get_by_text("すべての列を表示").click()
    expect(page.locator("table.data-table thead th", has_text="最低執行率")).to_be_visible()
    box = page.locator(".table-scroll").first
    box.evaluate("el => el.scrollLeft = el.scrollWidth")
    code = page.locator("table.data-table tbody td.col-first").first
    box_left = box.bounding_box()["x"]
    expect(code).to_be_visible()
    assert abs(code.bounding_box()["x"] - box_left) < 2


def test_admin_sheet_list_keeps_its_figures_in_view_at_1440(page, several_municipalities):
    """The admin sheet list: 予算額/決算額/データ品質 inside the list's box at 1440 px beside the filters (課 and 施策
    are filters, not columns), and no header a character a line."""
    from tests.browser.test_admin import _log_in

    page.set_viewport_size({"width": 1440, "height": 900})
    _log_in(page)
    page.goto("/admin/programs/sheet/?fiscal_year__exact=2021")
    layout = page.evaluate(
        """() => {
      const table = document.querySelector('#result_list');
      const box = table.parentElement.getBoundingClientRect();
      const cell = name => document.querySelector(`#result_list th.column-${name}`).getBoundingClientRect();
      const tall = [...table.querySelectorAll('thead th .text')].filter(t => t.getBoundingClientRect().height > 3 * 16)
        .map(t => t.innerText);
      return {page: document.documentElement.scrollWidth, boxRight: box.right,
              right: ['budget_display', 'settlement_display', 'findings_badges'].map(n => cell(n).right), tall};
    }"""
    )
    assert layout["page"] <= 1440, layout
    assert all(right <= layout["boxRight"] + 1 for right in layout["right"]), layout
    assert layout["tall"] == [], layout
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert not any(h.strip() in ("課", "部課名", "施策") for h in headers)
