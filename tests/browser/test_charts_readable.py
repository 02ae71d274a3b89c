"""What a manager sees in a chart: a visible 見込み bar, and a toolbar in Japanese that sends nothing anywhere."""

import re

import pytest

from tests.browser.support import expect, visit

pytestmark = pytest.mark.browser

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_the_chart_toolbar_is_japanese_and_has_no_share_button(page):
    visit(page, "/sheets/2021/03-04-01/")
    page.locator("#chart-budget").hover()
    buttons = page.locator("#chart-budget .modebar-btn")
    expect(buttons.first).to_be_attached()
    titles = buttons.evaluate_all("els => els.map(e => e.getAttribute('data-title'))")
    assert "PNG で保存" in titles
    assert all(JAPANESE.search(title) for title in titles), titles
    assert not any(re.search(r"share|cloud|studio|edit|共有", title, re.I) for title in titles), titles
    assert page.locator("#chart-budget .modebar a[href]").count() == 0  # no link out of the page (no logo)


def test_the_estimate_bar_is_filled_outlined_and_hatched(page):
    visit(page, "/sheets/2021/03-04-01/")
    settlement_bars = page.locator("#chart-budget g.trace.bars").nth(1).locator("g.point path")
    expect(settlement_bars).to_have_count(7)
    estimate = settlement_bars.nth(6)  # 令和3年度（見込み）
    style = estimate.evaluate("p => ({fill: p.style.fill, stroke: p.style.stroke, width: parseFloat(p.style.strokeWidth)})")
    assert style["width"] >= 1 and style["stroke"] == "rgb(31, 78, 121)", style  # a dark outline
    pattern_id = re.search(r'url\("#([^"]+)"\)', style["fill"])[1]
    pattern = page.locator(f"#chart-budget pattern[id='{pattern_id}']")
    background = pattern.locator("rect").get_attribute("fill")
    assert background not in (None, "none", "transparent", "rgb(255, 255, 255)", "#ffffff"), background
    assert pattern.locator("path").count() >= 1  # the hatching is drawn over the fill
    final = settlement_bars.nth(5).evaluate("p => p.style.fill")
    assert final == "rgb(31, 78, 121)"  # a settled year stays solid
