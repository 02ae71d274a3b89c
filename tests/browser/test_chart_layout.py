"""Nothing in a chart overlaps or is cut off: titles, legends, axis titles, tick labels and subplot titles.

At desktop width (1440 px) for every page with charts. On a 375 px phone long indicator and subplot titles are still
cut off (the phone layout is its own issue), so no phone test is claimed here."""

import pytest

from tests.browser.support import MAIN_PAGES, chart_overlaps, visit

pytestmark = pytest.mark.browser

CHART_PAGES = [path for path in MAIN_PAGES if path != "/sheets/"]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_nothing_in_a_chart_overlaps_at_desktop_width(page, path):
    page.set_viewport_size({"width": 1440, "height": 900})
    visit(page, path)
    assert chart_overlaps(page) == []
