"""Keyboard use that axe cannot judge: the skip link, and tables that scroll sideways on a phone.

axe itself runs on every main page in test_pages.py (desktop) and test_mobile.py (375 px)."""

import re

import pytest

from tests.browser.support import axe_violations, expect, visit

pytestmark = pytest.mark.browser


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(page):
    visit(page, "/sheets/2021/03-04-01/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # shown on screen while focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))  # the jump happens after the key press returns


def test_a_table_that_scrolls_sideways_can_be_scrolled_from_the_keyboard(mobile_page):
    page = mobile_page
    visit(page, "/sheets/2021/03-04-01/")
    box = page.locator(".table-scroll", has=page.locator("#table-budget"))
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # 7 years do not fit 375 px
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("aria-label", "予算額・決算額・執行率の推移（グラフの数値）：横にスクロールできる表")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())

    # at desktop width the same table fits: its box is a plain div again, out of the tab order
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(box).not_to_have_attribute("tabindex", "0")
    expect(box).not_to_have_attribute("role", "region")
    assert [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []
