"""問題点・課題の推移 on the program page in Chromium: three years of 03-04-01 (roll-over twice), 「継続課題」 and the
marked words visible; at 1440 px the year stands beside its issues, at 375 px above them, with no sideways page
scroll, no word a character a line and no console error; on paper the timeline and its marks print."""

import pytest
from django.core.management import call_command

from tests.browser.support import MOBILE, character_lines, expect, screenshot_path, visit

pytestmark = pytest.mark.browser

PATH = "/programs/03-04-01/"


@pytest.fixture
def three_years(seeded):
    """令和3年度 (seed), 4年度 and 5年度 (前年度複写 copies the 問題点・課題), all published; in 令和5年度 ② carries
    markup."""
    from programs.choices import SheetStatus
    from programs.models import Sheet, SheetIssue

    for year in (2022, 2023):
        call_command("start_fiscal_year", str(year))
    Sheet.objects.update(status=SheetStatus.PUBLISHED)
    SheetIssue.objects.filter(sheet__fiscal_year=2023, sheet__program__code="03-04-01", number=2).update(
        text="<img src=x onerror=alert(1)>他課契約の業務システムの更改を支援すること。"
    )


def _timeline(page):
    timeline = page.locator("#issue-timeline")
    expect(timeline).to_be_visible()
    expect(timeline.locator(".issue-year")).to_have_count(3)
    latest = timeline.locator("#issues-2023")
    expect(latest.locator(".continuing-badge")).to_have_count(3)
    expect(latest.locator(".issue").first).to_contain_text("初出 令和3年度・3年連続")
    expect(latest.locator("mark", has_text="住民記録")).to_be_visible()
    expect(timeline.locator("#issues-2021 .continuing-badge")).to_have_count(0)
    # the markup is text: no image element, the words beside it still marked
    expect(latest.locator("img")).to_have_count(0)
    expect(latest.locator(".issue").nth(1)).to_contain_text("<img src=x onerror=alert(1)>他課契約")
    expect(latest.locator(".issue").nth(1).locator("mark", has_text="他課契約")).to_be_visible()
    return timeline


def _year_and_issues(page, year):
    return page.evaluate(
        """(id) => { const row = document.getElementById(id);
            const a = row.querySelector('h4').getBoundingClientRect(), b = row.querySelector('.issue-list').getBoundingClientRect();
            return {yearRight: a.right, yearBottom: a.bottom, listLeft: b.left, listTop: b.top}; }""",
        f"issues-{year}",
    )


def test_timeline_at_1440_px_has_each_year_beside_its_issues(page, page_log, three_years):
    page.set_viewport_size({"width": 1440, "height": 900})
    visit(page, PATH)
    timeline = _timeline(page)
    box = _year_and_issues(page, 2023)
    assert box["yearRight"] <= box["listLeft"] and box["listTop"] < box["yearBottom"], box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1440
    assert character_lines(page) == []
    timeline.screenshot(path=screenshot_path(PATH, "issue-trends-1440"))
    page_log.assert_clean()


def test_timeline_on_a_phone_stacks_the_years(mobile_page, page_log, three_years):
    page = mobile_page
    visit(page, PATH)
    timeline = _timeline(page)
    for year in (2021, 2022, 2023):
        box = _year_and_issues(page, year)
        assert box["yearBottom"] <= box["listTop"] + 0.5, box  # the year above its issues
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    assert character_lines(page) == []
    timeline.screenshot(path=screenshot_path(PATH, "issue-trends-mobile"))
    page_log.assert_clean()


def test_timeline_prints_with_its_marks(page, page_log, three_years):
    visit(page, PATH)
    page.emulate_media(media="print")
    timeline = _timeline(page)
    assert page.evaluate("() => getComputedStyle(document.querySelector('#issues-2023 mark')).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    box = _year_and_issues(page, 2023)
    assert box["yearRight"] <= box["listLeft"], box
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    timeline.screenshot(path=screenshot_path(PATH, "issue-trends-print"))
    page_log.assert_clean()
