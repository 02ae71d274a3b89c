"""A 375 px phone: no sideways page scroll (wide tables scroll in their own box), charts fit, the menu
folds, and axe finds nothing serious at this width either (most tables scroll sideways here)."""

import re

import pytest

from tests.browser.support import MAIN_PAGES, MOBILE, assert_accessible, expect, screenshot_path, visit

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
