"""A 375 px phone: no sideways page scroll (wide tables scroll in their own box), charts fit, the menu
folds, and axe finds nothing serious at this width either (most tables scroll sideways here). At 375 and 1440 px
nothing overlaps (charts, the page header, the sheet's header tables) and no word wraps a character a line; the
sheet's header tables reflow into label/value pairs on a phone and small multiples stand one to a row."""

import re

import pytest

from tests.browser.support import (
    CHARTS_FITTED,
    MAIN_PAGES,
    MOBILE,
    assert_accessible,
    character_lines,
    chart_overlaps,
    expect,
    header_overlaps,
    screenshot_path,
    visit,
)

pytestmark = pytest.mark.browser

WIDTH = MOBILE["width"]


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_page_fits_a_phone(mobile_page, page_log, path):
    page = mobile_page
    visit(page, path)
    page_log.assert_clean()

    # is_mobile: Chromium would widen the layout viewport to fit overflowing content, so both count
    assert page.evaluate("() => window.innerWidth") == WIDTH
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    # tables wider than the phone scroll inside their .table-scroll box
    escaping = page.evaluate(
        """(w) => [...document.querySelectorAll('main table')]
            .filter(t => t.getBoundingClientRect().right > w + 0.5 && !t.closest('.table-scroll'))
            .map(t => t.id || t.className)""",
        WIDTH,
    )
    assert escaping == []
    chart_rights = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .main-svg')].map(s => s.getBoundingClientRect().right)"
    )
    assert all(right <= WIDTH + 0.5 for right in chart_rights), chart_rights

    # the menu is folded behind ☰ until it is opened
    nav = page.locator(".site-nav")
    expect(nav).to_be_hidden()
    page.screenshot(path=screenshot_path(path, "mobile"), full_page=True)
    page.locator(".nav-toggle-label").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="シート一覧")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    page.locator(".nav-toggle-label").click()
    expect(nav).to_be_hidden()

    assert_accessible(page)


def test_the_folded_menu_opens_and_leads_to_a_page(mobile_page):
    page = mobile_page
    visit(page, "/")
    expect(page.locator(".site-nav")).to_be_hidden()
    page.get_by_text("☰ メニュー").click()
    with page.expect_navigation():
        page.locator(".site-nav").get_by_role("link", name="比較").click()
    expect(page).to_have_url(re.compile(r"/compare/$"))
    expect(page.locator(".site-nav")).to_be_hidden()  # folded again on the new page


def test_the_folded_menu_opens_from_the_keyboard(mobile_page):
    page = mobile_page
    visit(page, "/")
    for _ in range(3):  # 本文へ移動, the brand link, then the menu toggle
        page.keyboard.press("Tab")
    expect(page.locator("#nav-toggle")).to_be_focused()
    outline = page.eval_on_selector(".nav-toggle-label", "l => getComputedStyle(l).outlineStyle")
    assert outline != "none"  # keyboard focus is visible on the ☰ label (the checkbox itself is invisible)
    page.keyboard.press("Space")
    expect(page.locator(".site-nav")).to_be_visible()
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.activeElement.textContent === '概要'")


def test_desktop_shows_the_menu_without_the_toggle(page):
    visit(page, "/")
    expect(page.locator(".site-nav")).to_be_visible()
    expect(page.locator(".nav-toggle-label")).to_be_hidden()


LAYOUT_PAGES = [*MAIN_PAGES, "/compare/municipalities/"]


@pytest.mark.parametrize("width", [WIDTH, 1440])
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_nothing_overlaps_and_no_word_stands_a_character_a_line(request, path, width):
    page = request.getfixturevalue("mobile_page" if width == WIDTH else "page")
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, path)
    page.wait_for_function(CHARTS_FITTED)
    assert chart_overlaps(page) == []
    assert header_overlaps(page) == []
    assert character_lines(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.evaluate("() => window.innerWidth") == width
    page.screenshot(path=screenshot_path(path, f"layout-{width}"), full_page=True)


# (label cell, its value cell) pairs' boxes of the sheet's header tables, per table
HEADER_PAIRS = """() => [...document.querySelectorAll('table.form-pairs')].map(t => [...t.rows].map(row =>
    [...row.cells].filter(c => c.checkVisibility()).map(c => { const b = c.getBoundingClientRect(); return [c.tagName, b.left, b.top]; })))"""


def test_the_sheet_header_reflows_into_label_value_pairs_on_a_phone(mobile_page):
    page = mobile_page
    visit(page, "/sheets/2021/03-04-01/")
    tables = page.evaluate(HEADER_PAIRS)
    assert len(tables) == 2  # 基本情報 and 事業の概要
    left = min(cell[1] for rows in tables for row in rows for cell in row)
    for rows in tables:
        for row in rows:
            labels = [cell for cell in row if cell[0] == "TH"]
            # every label starts a line at the table's left edge (the 行政評価事業体系 heading has its own line)
            assert all(abs(label[1] - left) < 1 for label in labels), row
            assert len({round(label[2]) for label in labels}) == len(labels), row  # one pair a line
    # the long 小事業名及び予算事業コード label stands on its own line over its value (not five lines in the label column)
    sub = page.locator("table.form-pairs tr.label-above")
    label, value = sub.locator("th").bounding_box(), sub.locator("td").bounding_box()
    assert label["y"] + label["height"] <= value["y"] + 1 and abs(label["x"] - value["x"]) < 1, (label, value)
    assert label["height"] < 3 * 20, label  # two lines at most
    header = page.locator("table.form-pairs").first
    expect(header.locator("tr").filter(has_text="事務事業名")).to_contain_text("業務系システム運用管理")
    # the 分類 of both years: whole badges, one line each, their year beside them
    for badge in page.locator("#classification-heading ~ .table-scroll .badge").all():
        box = badge.bounding_box()
        assert box["height"] < 2 * 16, box
        assert badge.text_content() == "重点的に推進"


def test_the_sheet_header_stays_a_form_table_on_a_desktop(page):
    page.set_viewport_size({"width": 1440, "height": 900})
    visit(page, "/sheets/2021/03-04-01/")
    rows = page.evaluate(HEADER_PAIRS)[0]
    # 事務事業名 | name | 部課名 | … | 課長名 | …: three pairs on one line, as on the printed form
    assert len(rows[1]) == 6 and len({round(cell[2]) for cell in rows[1]}) == 1


@pytest.mark.parametrize(("width", "columns"), [(WIDTH, 1), (1440, 3)])
def test_small_multiples_stand_one_to_a_row_on_a_phone(request, width, columns):
    page = request.getfixturevalue("mobile_page" if width == WIDTH else "page")
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, "/")
    lefts = page.evaluate(
        "() => [...document.querySelectorAll('.chart-multiples > .plotly-graph-div')].map(d => Math.round(d.getBoundingClientRect().left))"
    )
    assert len(lefts) == 6 and len(set(lefts)) == columns, lefts
