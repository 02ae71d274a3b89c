"""/improvements/ in Chromium: the 改善策 ledger at 1440 and 375 px and in print, with trails of three years (two
roll-overs, published so the public sees them): no console errors, no sideways page scroll on a phone, nothing
overlapping, no word standing a character a line."""

import io

import pytest
from django.core.management import call_command

from tests.browser.support import MOBILE, character_lines, header_overlaps, screenshot_path, visit

pytestmark = pytest.mark.browser

PATH = "/improvements/"


@pytest.fixture
def trails(seeded):
    from programs.choices import SheetStatus
    from programs.models import Sheet

    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    call_command("start_fiscal_year", "2023", stdout=io.StringIO())
    Sheet.objects.update(status=SheetStatus.PUBLISHED)


def _fits(page, width: int) -> None:
    assert page.evaluate("() => window.innerWidth") == width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert header_overlaps(page) == []
    assert character_lines(page) == []


@pytest.mark.parametrize("width", [1440, MOBILE["width"]])
def test_the_ledger_fits_the_screen_without_errors(request, trails, page_log, width):
    page = request.getfixturevalue("mobile_page" if width == MOBILE["width"] else "page")
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, PATH)
    page_log.assert_clean()
    assert page.locator("h2#ledger-summary").inner_text().startswith("改善策 ")
    assert page.locator(".ledger-entry").count() == 17  # one per trail of the six programs
    assert page.locator(".ledger-entry").first.locator(".ledger-year").count() == 3  # 令和3・4・5年度
    _fits(page, width)
    page.screenshot(path=screenshot_path(PATH, f"layout-{width}"), full_page=True)


def test_the_ledger_prints_without_overflow(page, trails, page_log):
    visit(page, PATH + "?program=03-04-01")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 content width (support.A4_CONTENT_WIDTH)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 718
    assert not page.locator(".filter-form").is_visible()
    assert character_lines(page) == []
    page.pdf(path=str(screenshot_path(PATH, "print").with_suffix(".pdf")))
    page_log.assert_clean()


def test_filters_submit_into_the_url(page, trails):
    """As it stood in 令和4年度, every promise carried from 令和3年度 is still without a reported result."""
    visit(page, PATH)
    page.get_by_label("年度（まで）").select_option("2022")
    page.get_by_label("約束したが完了報告なし").check()
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**promised_not_done=on**")
    assert "year_to=2022" in page.url
    assert page.locator(".ledger-entry").count() >= 10
    assert page.locator(".ledger-entry .ledger-status").first.inner_text().startswith("計画")
