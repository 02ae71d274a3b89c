"""Nothing in a chart overlaps or is cut off: titles, legends, axis titles, tick labels, subplot titles and the toolbar.

On a desktop (1440 px), a tablet (800 px) and a phone (375 px), for every page with charts. Titles are wrapped (short
of the toolbar; the top margin and the height grow by the lines added), year labels abbreviated (平成27年度 → H27) then thinned and long legend entries wrapped to the width each chart is drawn at (static/js/evalsheets.js); small
multiples are separate charts that the page's grid lays three, two or one to a row."""

import re

import pytest

from tests.browser.support import CHARTS_FITTED, MAIN_PAGES, chart_overlaps, visit

pytestmark = pytest.mark.browser

CHART_PAGES = [path for path in MAIN_PAGES if path != "/sheets/"] + ["/compare/municipalities/"]


@pytest.mark.parametrize("width", [1440, 800, 375])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_nothing_in_a_chart_overlaps(page, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, path)
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(el => !el._fitting)")
    assert chart_overlaps(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no chart makes the page scroll sideways


def test_a_phone_sees_year_labels_abbreviated_and_the_newest_year(page):
    """Where full era names run into each other the year labels are abbreviated (平成27年度 → H27, 令和3年度（見込み） →
    R3見込) and, if they still do not fit, thinned keeping the evaluation year; hover keeps the full name, and a turned
    phone (wider) gets every full label back."""
    page.set_viewport_size({"width": 375, "height": 800})
    visit(page, "/sheets/2021/03-04-01/")
    ticks = "() => [...document.querySelectorAll('#chart-budget .xtick text')].map(t => t.textContent)"
    page.wait_for_function("() => !document.getElementById('chart-budget')._fitting")
    narrow = page.evaluate(ticks)
    assert narrow[0] == "H27" and narrow[-1] == "R3見込", narrow
    assert all(re.fullmatch(r"[HR]([0-9]+|元)(見込)?", label) for label in narrow), narrow
    categories = page.evaluate("() => document.getElementById('chart-budget')._fullLayout.xaxis._categories")
    assert categories[0] == "平成27年度" and categories[-1] == "令和3年度（見込み）"  # what hover and the table show
    page.set_viewport_size({"width": 1440, "height": 800})
    page.wait_for_function(f"() => ({ticks})().length === 7 && ({ticks})()[0] === '平成27年度'")


def test_a_narrow_chart_keeps_a_short_toolbar_clear_of_its_title(page):
    """On a phone the toolbar keeps PNG で保存 and reset only, and the title is wrapped short of it."""
    page.set_viewport_size({"width": 375, "height": 800})
    visit(page, "/")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(el => !el._fitting)")
    buttons = page.locator("#chart-overview-programs-1 .modebar-btn").evaluate_all(
        "els => els.map(e => e.getAttribute('data-title'))"
    )
    assert "PNG で保存" in buttons and len(buttons) <= 3, buttons
    assert chart_overlaps(page) == []  # the toolbar is one of the boxes compared


def test_a_count_axis_ticks_whole_numbers_and_its_unit_is_written_across_on_a_phone(page):
    """03-04-01's 成果指標① counts failures (件, all 0): no 0.5 tick on a short axis, and 件 stands upright above the
    plot instead of lying on its side as a turned axis title."""
    page.set_viewport_size({"width": 375, "height": 800})
    visit(page, "/sheets/2021/03-04-01/")
    page.wait_for_function(CHARTS_FITTED)
    ticks = page.locator("#chart-indicator-1 .ytick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"[0-9,]+", tick) for tick in ticks), ticks
    unit = page.locator("#chart-indicator-1 .annotation-text", has_text="件")
    box = unit.bounding_box()
    turned = unit.evaluate(
        "el => { const found = []; for (let a = el; a && a.tagName !== 'svg'; a = a.parentElement) "
        "found.push(a.getAttribute('transform') || ''); return found.some(t => /rotate\\(\\s*-?[1-9]/.test(t)); }"
    )
    assert not turned and box["height"] < 24, box  # across, one line
    assert page.locator("#chart-indicator-1 .g-ytitle text").count() == 0
    plot_top = page.evaluate(
        "() => { const el = document.getElementById('chart-indicator-1'); "
        "return el.querySelector('.main-svg').getBoundingClientRect().top + el._fullLayout._size.t; }"
    )
    assert box["y"] + box["height"] <= plot_top  # above the plot, where the top tick label does not reach


@pytest.mark.parametrize("width", [375, 800])
def test_a_wrapped_title_takes_room_above_the_plot_and_gives_it_back(page, width):
    """A title wrapped on a narrow chart grows the top margin and the chart's height by its lines, so the plot keeps its
    size; a wider chart (a turned phone) has its title on one line and its height as written again."""
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, "/")
    page.wait_for_function(CHARTS_FITTED)
    read = """() => { const el = document.getElementById('chart-overview-programs-1');
        return {lines: el.layout.title.text.split('<br>').length, height: el._fullLayout.height, plot: el._fullLayout._size.h}; }"""
    narrow = page.evaluate(read)
    assert chart_overlaps(page) == []
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_function(f"() => ({read})().lines === 1")
    page.wait_for_function(CHARTS_FITTED)
    wide = page.evaluate(read)
    if narrow["lines"] > 1:
        assert narrow["height"] > wide["height"]
    assert abs(narrow["plot"] - wide["plot"]) <= 30, (narrow, wide)  # the plot keeps its size
    assert chart_overlaps(page) == []
