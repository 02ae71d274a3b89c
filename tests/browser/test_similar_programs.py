"""類似する事務事業 in Chromium: the section on the sheet page and the program page, at 1440 px and on a 375 px phone,
without console errors, without sideways scroll or a character a line, and on paper."""

import pytest

from programs.similarity import similar_programs_refresh
from tests.browser.support import A4_CONTENT_WIDTH, MOBILE, character_lines, expect, screenshot_path, visit

pytestmark = pytest.mark.browser

PATHS = ["/sheets/2021/03-04-01/", "/programs/03-04-01/"]
WIDE = {"width": 1440, "height": 900}


def _check_section(page, page_log, path: str, width: int):
    similar_programs_refresh()
    visit(page, path)
    page_log.assert_clean()
    section = page.locator("section.similar-programs")
    expect(section.get_by_role("heading", name="類似する事務事業")).to_be_visible()
    items = section.locator(".similar-list > li")
    expect(items).to_have_count(5)
    first = items.first
    expect(first.get_by_role("link")).to_have_text("03-04-02 情報系システム運用管理")
    expect(first.locator(".similar-reasons li").first).to_have_text("同じ施策")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    rights = section.evaluate("s => [...s.querySelectorAll('*')].map(e => e.getBoundingClientRect().right)")
    assert max(rights) <= width + 0.5
    assert character_lines(page) == []
    expect(page.locator(".toc a[href='#similar-heading']")).to_have_text("類似する事務事業")  # in the table of contents
    page.screenshot(path=screenshot_path(path, f"similar-{width}"), full_page=True)


@pytest.mark.parametrize("path", PATHS)
def test_section_at_1440_px(page, page_log, path):
    page.set_viewport_size(WIDE)
    _check_section(page, page_log, path, WIDE["width"])
    page.locator("section.similar-programs .similar-list > li").first.get_by_role("link").click()
    page.wait_for_url("**/programs/03-04-02/")
    expect(page.locator("h1")).to_contain_text("情報系システム運用管理")
    page_log.assert_clean()


@pytest.mark.parametrize("path", PATHS)
def test_section_on_a_phone(mobile_page, page_log, path):
    _check_section(mobile_page, page_log, path, MOBILE["width"])


def test_section_prints_within_the_paper(page, page_log):
    """On the program page's paper; the sheet prints as the form (three A4 pages, tests/browser/test_print.py), so
    there the section stays on the screen."""
    similar_programs_refresh()
    visit(page, "/sheets/2021/03-04-01/")
    page.emulate_media(media="print")
    expect(page.locator("section.similar-programs")).to_be_hidden()
    visit(page, "/programs/03-04-01/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    section = page.locator("section.similar-programs")
    expect(section).to_be_visible()
    expect(section.locator(".similar-list > li")).to_have_count(5)
    rights = section.evaluate("s => [...s.querySelectorAll('*')].map(e => e.getBoundingClientRect().right)")
    assert max(rights) <= A4_CONTENT_WIDTH + 0.5
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page_log.assert_clean()
