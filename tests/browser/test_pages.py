"""Every main page loads cleanly from the live server alone, draws every plotly chart, and passes axe.

(One visit per page for all three: each visit costs a seed load and a plotly render, and the suite
must stay within a few minutes.)"""

import pytest

from tests.browser.support import EXPECTED_TRACES, MAIN_PAGES, assert_accessible, chart_traces, expect, screenshot_path, visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_page_loads_cleanly_draws_every_chart_and_passes_axe(page, page_log, path):
    visit(page, path)

    # No console errors, no failed or 4xx/5xx requests, nothing fetched from another host.
    page_log.assert_clean()
    assert page_log.requests[0] == page_log.origin + path
    scripts = page.evaluate("() => [...document.scripts].filter(s => s.src).map(s => s.src)")
    # plotly.js from our own static files (no CDN), and only on pages that draw charts
    assert (f"{page_log.origin}/static/vendor/plotly-evalsheets.min.js" in scripts) == bool(EXPECTED_TRACES[path])
    assert all(src.startswith(f"{page_log.origin}/static/") for src in scripts), scripts

    charts = chart_traces(page)
    assert page.locator(".plotly-graph-div").count() == len(charts)  # every chart div was handed to plotly
    assert {chart_id: info["data"] for chart_id, info in charts.items()} == EXPECTED_TRACES[path]
    for chart_id, info in charts.items():
        # plotly draws each trace's group into the SVG: wait for all of them rather than read the count once
        # (a heatmap draws its trace as a g.hm image)
        drawn = page.locator(f"#{chart_id} .main-svg g.trace, #{chart_id} .main-svg g.hm")
        expect(drawn, f"{chart_id}: traces drawn").to_have_count(info["data"])
        assert info["width"] > 200 and info["height"] > 150, f"{chart_id} is not laid out: {info}"

    page.screenshot(path=screenshot_path(path, "desktop"), full_page=True)

    # accessibility: html[lang=ja], labelled form controls, no serious or critical axe violation
    assert_accessible(page)
    page_log.assert_clean()


def _hover(page, bar, expected: str) -> str:
    """Move the mouse over the middle of a bar (plotly's drag layer above it takes the events) and
    return plotly's hover label once it shows `expected`."""
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=2)
    label = page.locator("#chart-budget .hoverlayer .hovertext")
    expect(label).to_contain_text(expected)
    return label.text_content()


def test_hover_on_a_budget_bar_shows_the_exact_figure(page):
    visit(page, "/sheets/2021/03-04-01/")
    page.locator("#chart-budget").scroll_into_view_if_needed()
    budget_bars = page.locator("#chart-budget g.trace.bars").nth(0).locator("g.point path")
    settlement_bars = page.locator("#chart-budget g.trace.bars").nth(1).locator("g.point path")
    expect(budget_bars).to_have_count(7)  # 平成27年度 … 令和3年度
    expect(settlement_bars).to_have_count(7)

    assert "令和3年度" in _hover(page, budget_bars.nth(6), "予算額 468,771 千円")
    assert "平成27年度" in _hover(page, budget_bars.nth(0), "予算額 473,845 千円")
    assert "令和2年度" in _hover(page, settlement_bars.nth(5), "決算額 468,557 千円")
