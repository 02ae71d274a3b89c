"""Shared constants and helpers of the browser tests (fixtures are in conftest.py)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from tests import source_figures as source

BROWSER_DIR = Path(__file__).resolve().parent
AXE_JS = BROWSER_DIR / "vendor" / "axe.min.js"
ARTIFACTS = BROWSER_DIR.parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}
# A4 portrait with print.css's @page margins (10 mm left and right) at 96 px per inch:
# (210 mm − 20 mm) / 25.4 × 96 ≈ 718 px of content width.
A4_CONTENT_WIDTH = 718

SEED_CODES = sorted(source.BUDGET_HISTORY)
SHEET_PATHS = [f"/sheets/2021/{code}/" for code in SEED_CODES]
PROGRAM_PATH = "/programs/03-04-01/"
MAIN_PAGES = ["/", "/sheets/", *SHEET_PATHS, PROGRAM_PATH, "/compare/", "/rollup/"]

# --- how many traces each chart must draw, from the source figures ---------------------------

_COST_ACCOUNTS = list(source.COST_LINES["03-04-01"][2019])
EXPENSE_ACCOUNTS = _COST_ACCOUNTS[:9]
REVENUE_ACCOUNTS = _COST_ACCOUNTS[9:15]


def _non_zero_accounts(codes, accounts) -> set[str]:
    return {a for code in codes for year in source.COST_LINES[code].values() for a in accounts if year[a] != 0}


def sheet_traces(code: str) -> dict[str, int]:
    """The charts of a seed sheet page and their trace counts, derived from tests/source_figures.py."""
    charts = {f"chart-indicator-{number}": 2 for number, *_ in source.INDICATORS[code]}  # 実績 + 目標値
    charts["chart-budget"] = 3  # 予算額, 決算額, 執行率
    charts.update({f"chart-activity-{i}": 1 for i in range(1, len(source.ACTIVITY[code]) + 1)})  # one chart per 事項
    charts["chart-breakdown"] = len({row[2] for row in source.BREAKDOWN[code]})  # one stack per 節
    # one bar per account with a non-zero amount in either year, and the 行政収支差額
    charts["chart-cost"] = len(_non_zero_accounts([code], EXPENSE_ACCOUNTS + REVENUE_ACCOUNTS)) + 1
    return charts


def compare_traces(codes: list[str], *, with_unit_cost: int) -> dict[str, int]:
    """/compare/ for the given programs (all years)."""
    return {
        "chart-compare-budget": 2 * len(codes),  # each program's bars and its 執行率 line
        "chart-compare-share": len(codes),
        "chart-compare-change": len(codes),
        "chart-compare-cost": len(_non_zero_accounts(codes, EXPENSE_ACCOUNTS)) + 1,  # + 行政収支差額
        "chart-compare-achievement": len([c for c in codes if source.INDICATORS[c]]),
        "chart-compare-unit_cost": with_unit_cost,
        "chart-compare-rates": 1,  # one heatmap: programs × years
        "chart-compare-index": len(codes),  # one index line per program
        "chart-compare-unused": 1,  # one ranked bar trace
        **{f"chart-compare-multiples-{i}": 2 for i in range(1, len(codes) + 1)},  # per program: 決算額 bars, 予算額 line
    }


EXPECTED_TRACES = {
    "/": {
        **{f"chart-overview-programs-{i}": 2 for i in range(1, len(SEED_CODES) + 1)},  # per program: 決算額, 予算額
        "chart-overview-classification": 2,
    },
    "/sheets/": {},
    **{f"/sheets/2021/{code}/": sheet_traces(code) for code in SEED_CODES},
    PROGRAM_PATH: {"chart-program-budget": 3, **{f"chart-program-indicator-{n}": 2 for n, *_ in source.INDICATORS["03-04-01"]}},
    # 03-04-03's only 実績 are failure counts (all 0), so it has no cost per unit.
    "/compare/": compare_traces(SEED_CODES, with_unit_cost=len(SEED_CODES) - 1),
    "/rollup/": {"chart-rollup": 1},
}

# --- page helpers ----------------------------------------------------------------------------


class PageLog:
    """Everything a page did that a test may hold against it: requests, console errors, failures."""

    def __init__(self, origin: str):
        self.origin = origin
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []

    def attach(self, page):
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url}: {request.failure}"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type in ("error", "assert"):
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def foreign_requests(self) -> list[str]:
        """Requests that left the live server (data: and blob: URLs stay in the page)."""
        return [url for url in self.requests if not (url.startswith(self.origin + "/") or url.startswith(("data:", "blob:")))]

    def problems(self) -> dict[str, list[str]]:
        found = {
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "failed requests": self.failed,
            "requests to other hosts": self.foreign_requests(),
        }
        return {kind: entries for kind, entries in found.items() if entries}

    def assert_clean(self):
        assert not self.problems(), self.problems()

    def clear(self):
        for entries in (self.requests, self.console_errors, self.page_errors, self.failed):
            entries.clear()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CHARTS_DRAWN = """() => document.readyState === 'complete' && [...document.querySelectorAll('.plotly-graph-div')].every(
  d => d.classList.contains('js-plotly-plot') && d._fullLayout && d.querySelector('.main-svg'))"""


def wait_for_charts(page):
    """Every plotly div of the page has been drawn (plotly.js draws asynchronously after load)."""
    page.wait_for_function(CHARTS_DRAWN)


def visit(page, path: str):
    """Open `path` and wait until the network is idle and every chart is drawn; returns the response."""
    response = page.goto(path, wait_until="load")  # the whole document parsed, every chart div present
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    wait_for_charts(page)
    return response


def chart_traces(page) -> dict[str, dict]:
    """Per chart div id: how many traces plotly holds (`el.data`) and how many trace groups it drew in the SVG."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.js-plotly-plot')].map(el => [el.id, {
            data: el.data.length,
            drawn: el.querySelectorAll('.main-svg g.trace').length,
            width: el.getBoundingClientRect().width,
            height: el.getBoundingClientRect().height,
        }]))"""
    )


def trace_counts(page) -> dict[str, int]:
    return {chart_id: info["data"] for chart_id, info in chart_traces(page).items()}


def trace_values(page, chart_id: str, index: int, axis: str = "y") -> list:
    """The values plotly plotted for one trace (`_fullData`: plotly.py sends numbers as base64 typed
    arrays, which `el.data` keeps encoded)."""
    return page.evaluate(
        "([id, i, axis]) => Array.from(document.getElementById(id)._fullData.find(t => t.index === i)[axis])",
        [chart_id, index, axis],
    )


def table_rows(page, selector: str) -> list[list[str]]:
    """The body rows of a table as lists of cell texts (a table folded under its chart is opened first, as a person would)."""
    return page.eval_on_selector(
        selector,
        """t => {
            const folded = t.closest("details");
            if (folded) folded.open = true;
            return [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()));
        }""",
    )


def screenshot_path(path: str, suffix: str) -> Path:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", path).strip("-") or "overview"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{slug}-{suffix}.png"


# --- accessibility ---------------------------------------------------------------------------

AXE_BLOCKING = {"serious", "critical"}

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden')
  .filter(el => !([...(el.labels || [])].some(l => l.textContent.trim())
                   || (el.getAttribute('aria-label') || '').trim()
                   || el.getAttribute('aria-labelledby')
                   || (el.tagName === 'BUTTON' && el.textContent.trim())))
  .map(el => el.outerHTML.slice(0, 160))"""


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is. The vendored script is evaluated through the DevTools protocol, not
    added as an inline <script> (no request, and the page's Content-Security-Policy, script-src 'self', stays whole)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.split('\\n').slice(1).join(' ').trim()),
        }))"""
    )


def assert_accessible(page):
    """html[lang=ja], every form control labelled, and no axe violation of impact serious or critical."""
    assert page.evaluate("() => document.documentElement.lang") == "ja"
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    blocking = [v for v in axe_violations(page) if v["impact"] in AXE_BLOCKING]
    assert not blocking, "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in blocking)


def expect(*args, **kwargs):
    """playwright's `expect`, imported late so that collecting this folder never needs playwright
    (the conftest's `browser` fixture is what reports a missing playwright or Chromium)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(*args, **kwargs)


# Boxes that must not overlap inside a chart: its title, legend, axis titles, tick labels, subplot titles and toolbar
# (an x tick label may touch a y tick label at the corner of a plot: those two kinds are not compared).
CHART_OVERLAPS = r"""
() => {
  const found = [];
  const box = el => { const r = el.getBoundingClientRect(); return r.width && r.height ? r : null; };
  const hit = (a, b) => a.left < b.right - 2 && b.left < a.right - 2 && a.top < b.bottom - 2 && b.top < a.bottom - 2;
  document.querySelectorAll('.js-plotly-plot').forEach(chart => {
    const frame = box(chart.querySelector('.main-svg'));
    const parts = [];
    const add = (kind, selector) => chart.querySelectorAll(selector).forEach(el => {
      const b = box(el); if (b) parts.push({kind, b, text: (el.textContent || '').slice(0, 24)});
    });
    add('title', '.gtitle');
    add('legend', '.legend .bg');
    add('axis title', '.g-xtitle, .g-ytitle, .g-y2title, [class^="g-x"][class$="title"], [class^="g-y"][class$="title"]');
    add('tick', '.xaxislayer-above .xtick text, .xaxislayer-above [class*="tick"] text');
    add('ytick', '.yaxislayer-above [class*="tick"] text');
    add('subplot title', '.infolayer .annotation-text');
    add('toolbar', '.modebar');  // shown while the chart is touched or hovered: it must not cover a title or a label
    const corner = (a, b) => [a.kind, b.kind].sort().join() === 'tick,ytick';
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
      const a = parts[i], b = parts[j];
      if (a.kind !== b.kind && !corner(a, b) && hit(a.b, b.b)) found.push(`${chart.id}: ${a.kind} '${a.text}' overlaps ${b.kind} '${b.text}'`);
    }
    parts.forEach(p => {
      if (frame && (p.b.left < frame.left - 2 || p.b.right > frame.right + 2 || p.b.top < frame.top - 2 || p.b.bottom > frame.bottom + 2))
        found.push(`${chart.id}: ${p.kind} '${p.text}' is cut off`);
    });
    // a (wrapped) title ends above the plot area, whose top tick label and unit stand above it too
    const size = chart._fullLayout && chart._fullLayout._size;
    parts.filter(p => p.kind === 'title').forEach(p => {
      if (frame && size && p.b.bottom > frame.top + size.t - 2) found.push(`${chart.id}: title '${p.text}' runs into the plot`);
    });
  });
  return [...new Set(found)];
}
"""


def chart_overlaps(page) -> list[str]:
    return page.evaluate(CHART_OVERLAPS)


# Text boxes of the page's header and of the sheet's header tables (the label/value tables of _sheet_header.html,
# _sheet_outline.html, _classification.html) that overlap each other or run out of their cell.
HEADER_OVERLAPS = r"""
() => {
  const found = [];
  const hit = (a, b) => a.left < b.right - 2 && b.left < a.right - 2 && a.top < b.bottom - 2 && b.top < a.bottom - 2;
  // text inside a visually hidden box (a 1 px clipped head row kept for screen readers) is never seen: not compared
  const clipped = el => { for (let a = el; a; a = a.parentElement) { const r = a.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1 && getComputedStyle(a).overflow === 'hidden') return true; } return false; };
  const shown = el => el.checkVisibility() && el.textContent.trim() && !clipped(el);
  const contents = el => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  const groups = [[...document.querySelectorAll('.site-header .brand, .site-header .nav-toggle-label, .site-nav > *')]];
  document.querySelectorAll('table.form-pairs, table.form-columns').forEach(t => groups.push([...t.querySelectorAll('th, td')]));
  groups.forEach(group => {
    const parts = group.filter(shown).map(el => ({el, text: el.textContent.trim().slice(0, 16), b: contents(el), frame: el.getBoundingClientRect()}));
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
      if (parts[i].el.contains(parts[j].el) || parts[j].el.contains(parts[i].el)) continue;
      if (hit(parts[i].b, parts[j].b)) found.push(`'${parts[i].text}' overlaps '${parts[j].text}'`);
    }
    parts.forEach(p => {
      if (p.b.left < p.frame.left - 1 || p.b.right > p.frame.right + 1) found.push(`'${p.text}' runs out of its box`);
    });
  });
  return [...new Set(found)];
}
"""

# Words laid out one or two characters a line (重/点/的/に/推/進): every word of 3 to 12 characters of the visible text
# in <main> (split at spaces and Japanese punctuation) must take at most two lines. Chart text (SVG) is not wrapped
# by the browser and is checked by CHART_OVERLAPS.
CHARACTER_LINES = r"""
() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  const splitter = /[\s、。・，,（）()「」：:／/]+/;
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('svg, .visually-hidden, script, [hidden]') || !el.checkVisibility()) continue;
    const text = node.textContent;
    let at = 0;
    for (const word of text.split(splitter)) {
      const start = text.indexOf(word, at);
      at = start + word.length;
      if (word.length < 3 || word.length > 12) continue;
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + word.length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 2) found.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}: '${word}' on ${lines.size} lines`);
    }
  }
  return [...new Set(found)];
}
"""


def header_overlaps(page) -> list[str]:
    return page.evaluate(HEADER_OVERLAPS)


def character_lines(page) -> list[str]:
    return page.evaluate(CHARACTER_LINES)


CHARTS_FITTED = "() => [...document.querySelectorAll('.js-plotly-plot')].every(el => !el._fitting)"
