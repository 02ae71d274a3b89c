"""前年度との差分 in Chromium: after 前年度複写 and three edits, the diff page at 1440 and 375 px without console errors or
page scroll, reached from the sheet page's link, and printed (emulated print media) with its marks still struck
through and underlined."""

from decimal import Decimal

import pytest

from tests.browser.support import axe_violations, expect, visit

pytestmark = pytest.mark.browser

URL = "/sheets/2022/03-04-01/diff/"
MARKS = """() => [...document.querySelectorAll('.sheet-diff del, .sheet-diff ins')].map(e => {
  const s = getComputedStyle(e); return [e.tagName, s.textDecorationLine, s.color, s.display]; })"""


@pytest.fixture
def edited(seeded):
    """FY2022 started from the seed, published, and one 問題点, one indicator value and one budget figure changed."""
    from django.core.management import call_command

    from finance.models import BudgetYear
    from indicators.models import IndicatorValue
    from programs.choices import SheetStatus
    from programs.models import Sheet

    call_command("start_fiscal_year", "2022")
    Sheet.objects.filter(fiscal_year=2022).update(status=SheetStatus.PUBLISHED)
    sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2022)
    issue = sheet.issues.get(number=1)
    issue.text += "<b>クラウド移行</b>を検討する。"
    issue.save()
    IndicatorValue.objects.filter(indicator__sheet=sheet, indicator__number=1, fiscal_year=2020).update(value=Decimal(2))
    BudgetYear.objects.filter(sheet=sheet, fiscal_year=2021).update(budget=460000)


def _fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.evaluate("() => window.innerWidth")


@pytest.mark.parametrize("width", [1440, 375])
def test_diff_page_fits_without_console_errors_or_accessibility_faults(request, edited, page_log, width):
    page = request.getfixturevalue("page" if width == 1440 else "mobile_page")
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, "/sheets/2022/03-04-01/")
    page.get_by_role("link", name="前年度との差分").click()
    expect(page).to_have_url(f"{page_log.origin}{URL}")
    expect(page.locator("#diff-summary")).to_have_text("本文 1 箇所・数値 2 箇所")
    expect(page.locator(".diff-change")).to_have_count(3)
    expect(page.locator(".diff-text-change ins")).to_have_text("<b>クラウド移行</b>を検討する。")
    _fits(page)
    assert [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []
    page_log.assert_clean()


def test_diff_prints_with_marks_visible_in_black_and_white(page, edited, page_log):
    visit(page, URL)
    page.emulate_media(media="print")
    expect(page.locator(".sheet-nav")).to_be_hidden()
    marks = page.evaluate(MARKS)
    assert {tag for tag, *_ in marks} == {"DEL", "INS"}
    for tag, decoration, color, display in marks:
        assert decoration == ("line-through" if tag == "DEL" else "underline"), (tag, decoration)
        assert color == "rgb(0, 0, 0)" and display != "none"
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page_log.assert_clean()
