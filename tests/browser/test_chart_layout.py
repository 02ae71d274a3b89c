"""Nothing in a chart overlaps or is cut off: titles, legends, axis titles, tick labels and subplot titles.

On a desktop (1440 px), a tablet (800 px) and a phone (375 px), for every page with charts. Titles are wrapped, year
labels thinned and long legend entries wrapped to the width each chart is drawn at (static/js/evalsheets.js); small
multiples are separate charts that the page's grid lays three, two or one to a row."""

import pytest

from tests.browser.support import MAIN_PAGES, chart_overlaps, visit

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


def test_a_phone_sees_every_year_label_it_keeps_whole_and_the_newest_year(page):
    """Thinned year labels keep the evaluation year, and a turned phone (wider) gets every label back."""
    page.set_viewport_size({"width": 375, "height": 800})
    visit(page, "/sheets/2021/03-04-01/")
    ticks = "() => [...document.querySelectorAll('#chart-budget .xtick text')].map(t => t.textContent)"
    page.wait_for_function("() => !document.getElementById('chart-budget')._fitting")
    narrow = page.evaluate(ticks)
    assert narrow[-1].startswith("令和3年度") and len(narrow) < 7
    page.set_viewport_size({"width": 1440, "height": 800})
    page.wait_for_function(f"() => ({ticks})().length === 7")
