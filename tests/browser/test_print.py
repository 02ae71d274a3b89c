"""Printing a sheet (print.css, print.js): like the form in at most 3 A4 pages, small charts or none, no site chrome or\ndata-quality notes, nothing wider than the paper; the PDF link, the table of contents, the upload page's login note."""

import io
import re
import shutil
import subprocess
import unicodedata

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
    assert 2 <= pages <= 4, f"{pages} A4 pages"  # 3 for all but 03-04-02 (a long 経過: 4 with charts, 3 without)

    # Laid out at the width of A4's content box (print.css: 10 mm side margins), nothing sticks out.
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.wait_for_function("w => window.innerWidth === w", arg=A4_CONTENT_WIDTH)  # the page has the new size
    assert page.evaluate(OVERFLOWING, A4_CONTENT_WIDTH) == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("() => document.body.scrollWidth <= window.innerWidth")
    page_log.assert_clean()


# ---------------------------------------------------------------- printed like the form (issue 14 part 2)

# The headings of the form, in its order (the seed's printed form: page 1 to 事務事業の分類, page 2 from 予算・決算額等の推移).
FORM_HEADINGS = [
    "事務事業コード",
    "事務事業名",
    "事務事業の種類",
    "開始年度",
    "終期設定",
    "実施基準",
    "行政評価事業体系",
    "目的",
    "対象者等",
    "内容",
    "経過",
    "必要性",
    "実施方法",
    "指標",
    "事務事業の成果とする指標名",
    "事務事業の分類",
    "予算・決算額等の推移",
    "実績の推移",
    "予算・決算の内訳",
    "行政コスト計算書",
    "備考",
    "問題点・課題",
    "問題点・課題の改善策",
    "他区の実況",
    "議会",
]
# Words of the data-quality panel and of its findings (programs/findings.py): never on paper.
DATA_QUALITY_WORDS = ["データ品質", "確認事項", "確認不要", "確かめてください", "確認する場所"]

# Every small chart (data-print-columns) drawn for paper: no wider than its box (print.js + print.css's zoom); a chart
# left off the paper (グラフなしで印刷) has a box of no width.
SMALL_CHARTS_ON_PAPER = """() => [...document.querySelectorAll('[data-print-columns] .js-plotly-plot')].every(el => {
  const box = el.closest('figure').getBoundingClientRect(), svg = el.querySelector('.main-svg').getBoundingClientRect();
  return box.width === 0 || (el._fullLayout && svg.width > 0 && svg.right <= box.right + 1); })"""


def pdf_lines(pdf: bytes) -> list[list[str]]:
    """The text of each PDF page as lines read top to bottom (pieces on one baseline joined left to right), NFKC
    (Chromium's PDF maps some kanji to Kangxi radicals: ⼈ → 人) and with its middle dot (‧ U+2027) read as ・."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pieces = []

        def visit(text, cm, tm, _font, _size, pieces=pieces):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                pieces.append((-round(y), x, unicodedata.normalize("NFKC", text).replace("\u2027", "・")))

        page.extract_text(visitor_text=visit)
        lines: dict[int, list] = {}
        for y, x, text in pieces:
            lines.setdefault(y, []).append((x, text))
        pages.append(["".join(t for _, t in sorted(parts)).replace(" ", "") for _, parts in sorted(lines.items())])
    return pages


def in_order(text: str, words: list[str]) -> list[str]:
    """The words not found in `text` after the previous one (empty: all there, in this order)."""
    missing, start = [], 0
    for word in words:
        found = text.find(word, start)
        if found < 0:
            missing.append(word)
        else:
            start = found + len(word)
    return missing


def printed(page, path: str, name: str) -> bytes:
    """`path` printed to an A4 PDF as Chromium prints it (print media, charts drawn for paper); kept with a PNG of each
    page in test-artifacts/print/ to look at."""
    visit(page, path)
    page.emulate_media(media="print")
    page.wait_for_function(SMALL_CHARTS_ON_PAPER)
    pdf = page.pdf(format="A4", print_background=True)
    out = ARTIFACTS / "print"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(out / f"{name}.pdf"), str(out / name)], check=False)
    return pdf


@pytest.mark.parametrize("code", ["03-04-01", "03-04-04"])
def test_sheet_prints_like_the_form_in_three_pages(page, page_log, code):
    pdf = printed(page, f"/sheets/2021/{code}/", f"form-{code}")
    pages = pdf_lines(pdf)
    assert len(pages) <= 3, f"{len(pages)} A4 pages"
    text = "\n".join("\n".join(lines) for lines in pages)
    assert in_order(text, FORM_HEADINGS) == []
    assert [word for word in DATA_QUALITY_WORDS if word in text] == []
    # the form's first page holds 基本情報 to 指標; every page is used (none with a few lines only)
    assert in_order("\n".join(pages[0]), FORM_HEADINGS[:14]) == []
    assert all(len(lines) >= 15 for lines in pages), [len(lines) for lines in pages]
    # small charts printed beside or under their tables, each inside its box
    charts = page.locator("[data-print-columns] .js-plotly-plot")
    assert charts.count() >= 5
    for i in range(charts.count()):
        expect(charts.nth(i)).to_be_visible()
    for hidden in (".toc", "#findings", ".findings-summary", ".sheet-nav"):
        expect(page.locator(hidden)).to_be_hidden()
    page_log.assert_clean()


@pytest.mark.parametrize("code", ["03-04-01", "03-04-04"])
def test_sheet_prints_without_charts_when_asked(page, page_log, code):
    with_charts = len(pdf_lines(printed(page, f"/sheets/2021/{code}/", f"form-{code}-charts")))
    page.emulate_media(media="screen")
    pdf = printed(page, f"/sheets/2021/{code}/?print=nocharts", f"form-{code}-nocharts")
    expect(page.locator("figure.chart").first).to_be_hidden()
    pages = pdf_lines(pdf)
    assert len(pages) <= min(3, with_charts)
    assert in_order("\n".join("\n".join(lines) for lines in pages), FORM_HEADINGS) == []
    # the choice on the page: the checkbox (ticked by ?print=nocharts) takes the charts off the paper and back
    expect(page.locator("#print-nocharts")).to_be_checked()
    page.emulate_media(media="screen")
    page.locator("#print-nocharts").uncheck()
    page.emulate_media(media="print")
    expect(page.locator("figure.chart").first).to_be_visible()
    page_log.assert_clean()


def test_program_page_prints_in_a4_pages(page, page_log):
    pages = pdf_lines(printed(page, "/programs/03-04-01/", "program-03-04-01"))
    assert len(pages) <= 3
    text = "\n".join("\n".join(lines) for lines in pages)
    assert in_order(text, ["予算額・決算額の推移", "成果指標と目標", "事務事業の分類", "問題点・課題と改善策の変遷"]) == []
    page_log.assert_clean()


@pytest.mark.parametrize("path", ["/sheets/2021/03-04-01/", "/programs/03-04-01/"])
def test_pdf_link_opens_the_print_dialog(page, page_log, path):
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    visit(page, path)
    link = page.get_by_role("link", name="PDF", exact=True)
    expect(link).to_be_visible()
    link.click()
    page.wait_for_function("() => window.__printed === 1")
    page_log.assert_clean()


@pytest.mark.parametrize("path", ["/sheets/2021/03-04-01/", "/programs/03-04-01/", "/compare/"])
def test_table_of_contents_reaches_each_section(page, page_log, path):
    visit(page, path)
    links = page.locator("nav.toc a")
    assert links.count() >= 4
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert target.startswith("#")
        links.nth(i).click()
        section = page.locator(target)
        if page.evaluate("t => document.querySelector(t).tagName === 'DETAILS'", target):
            section = section.locator("summary")
        expect(section).to_be_in_viewport()
        expect(page).to_have_url(re.compile(re.escape(target) + "$"))
        # not hidden under the sticky table of contents
        assert page.evaluate(
            "t => document.querySelector(t).getBoundingClientRect().top >= document.querySelector('nav.toc').getBoundingClientRect().bottom - 1",
            target,
        ), target
    page_log.assert_clean()


def test_sheet_page_shows_the_data_quality_panel_last(page, page_log):
    visit(page, "/sheets/2021/03-04-01/")
    order = page.evaluate(
        "() => [...document.querySelectorAll('article.sheet > section, article.sheet > details, article.sheet > p')]"
        ".map(e => e.id || e.className)"
    )
    assert order[-1] == "findings", order
    assert "findings-summary no-print" in order[:2], order
    panel = page.locator("#findings")
    expect(panel.locator("li.finding").first).to_be_hidden()  # collapsed
    page.locator("a[href='#findings']").first.click()
    page.locator("#findings summary").click()
    expect(panel.locator("li.finding").first).to_be_visible()
    expect(panel.locator(".finding-place a").first).to_have_attribute("href", "#breakdown-heading")
    page_log.assert_clean()


def test_upload_page_tells_an_anonymous_visitor_to_log_in(page, live_server):
    response = page.goto(f"{live_server.url}/excel/upload/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Excel ブックの読み込みには、編集者のログインが必要です")
    page.get_by_role("link", name="ログインする").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/excel/upload/$"))
