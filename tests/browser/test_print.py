"""Printing a sheet (print.css): no site chrome, charts kept, A4 pages, nothing wider than the paper."""

import io

import pytest

from tests.browser.support import A4_CONTENT_WIDTH, ARTIFACTS, SEED_CODES, expect, visit

pytestmark = pytest.mark.browser

# HTML elements (and each chart's outer SVG) whose right edge passes the given width.
OVERFLOWING = """(limit) => [...document.querySelectorAll('body *')]
  .filter(e => !(e instanceof SVGElement) || e.classList.contains('main-svg'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > limit + 0.5; })
  .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className.baseVal ?? e.className} in #${e.closest('[id]')?.id}: ${Math.round(e.getBoundingClientRect().right)}px`)"""


CHART_WIDTHS = (
    "() => [...document.querySelectorAll('.js-plotly-plot .main-svg:first-child')].map(s => s.getBoundingClientRect().width)"
)


@pytest.mark.parametrize("code", SEED_CODES)
def test_sheet_prints_on_a4(page, page_log, code):
    from pypdf import PdfReader

    visit(page, f"/sheets/2021/{code}/")
    screen_widths = page.evaluate(CHART_WIDTHS)
    assert max(screen_widths) > A4_CONTENT_WIDTH  # drawn for a 1280 px screen

    # Printing from the browser: on 'beforeprint' every chart is redrawn at once at its width on paper
    # (the print layout follows right after the event), and given back to the screen on 'afterprint'.
    on_paper = page.evaluate(f"() => {{ dispatchEvent(new Event('beforeprint')); return ({CHART_WIDTHS})(); }}")
    assert max(on_paper) <= A4_CONTENT_WIDTH, on_paper
    back = page.evaluate(f"() => {{ dispatchEvent(new Event('afterprint')); return ({CHART_WIDTHS})(); }}")
    assert back == pytest.approx(screen_widths, abs=1)

    page.emulate_media(media="print")
    page.wait_for_function(f"() => Math.max(...({CHART_WIDTHS})()) <= {A4_CONTENT_WIDTH}")

    for chrome in (".site-header", ".site-nav", ".sheet-nav", ".site-footer"):
        expect(page.locator(chrome)).to_be_hidden()
    charts = page.locator(".js-plotly-plot")
    assert charts.count() >= 5
    for i in range(charts.count()):
        expect(charts.nth(i)).to_be_visible()
        expect(charts.nth(i).locator(".main-svg").first).to_be_visible()

    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "print").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print" / f"sheet-2021-{code}.pdf").write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert 2 <= pages <= 8, f"{pages} A4 pages"

    # Laid out at the width of A4's content box (print.css: 10 mm side margins), nothing sticks out.
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.wait_for_function("w => window.innerWidth === w", arg=A4_CONTENT_WIDTH)  # the page has the new size
    assert page.evaluate(OVERFLOWING, A4_CONTENT_WIDTH) == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("() => document.body.scrollWidth <= window.innerWidth")
    page_log.assert_clean()
