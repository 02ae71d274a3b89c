"""The Content-Security-Policy holds in Chromium: every main page and the admin send it, nothing on them
violates it, the charts still draw, and plotly's PNG export still works."""

import pytest

from tests.browser.support import MAIN_PAGES, expect, visit, wait_for_charts

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = "kanri", "browser-test-password"

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} @ ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def csp_page(page):
    """The page, with every CSP console message and securitypolicyviolation event recorded."""
    messages = []
    page.on("console", lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_messages = messages
    return page


def _assert_no_violation(page, path):
    violations = page.evaluate("() => window.__cspViolations")
    assert not page.csp_messages and not violations, f"{path}: {page.csp_messages} {violations}"


def _assert_policy(response, path):
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy and "script-src 'self'" in policy, f"{path}: {policy!r}"


@pytest.mark.parametrize("path", [*MAIN_PAGES, "/api/sheets/", "/accounts/login/"])
def test_main_pages_draw_their_charts_under_the_policy(csp_page, path):
    response = visit(csp_page, path)
    _assert_policy(response, path)
    charts = csp_page.locator(".js-plotly-plot").count()
    if path in MAIN_PAGES and path != "/sheets/":
        assert charts > 0, f"{path}: no chart drawn"
    _assert_no_violation(csp_page, path)


def test_png_export_of_a_chart_works_under_the_policy(csp_page):
    visit(csp_page, "/sheets/2021/03-04-01/")
    chart = csp_page.locator("#chart-budget")
    chart.hover()
    with csp_page.expect_download() as download_info:
        chart.locator(".modebar-btn[data-title='PNG で保存']").click()
    assert download_info.value.suggested_filename.endswith(".png")
    with open(download_info.value.path(), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    _assert_no_violation(csp_page, "PNG export")


def test_the_admin_works_under_the_policy(csp_page):
    from django.contrib.auth import get_user_model

    from programs.models import Sheet

    get_user_model().objects.create_superuser(USERNAME, "kanri@example.com", PASSWORD)
    response = csp_page.goto("/admin/login/")
    _assert_policy(response, "/admin/login/")
    csp_page.get_by_label("ユーザー名").fill(USERNAME)
    csp_page.get_by_label("パスワード").fill(PASSWORD)
    with csp_page.expect_navigation():
        csp_page.locator("#login-form [type=submit]").click()
    expect(csp_page.locator("#user-tools")).to_contain_text(USERNAME)

    sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)
    for path in [
        "/admin/",
        "/admin/programs/sheet/",
        f"/admin/programs/sheet/{sheet.pk}/change/",
        f"/admin/programs/sheet/{sheet.pk}/history/",
        "/excel/upload/",
    ]:
        response = csp_page.goto(path)
        assert response.ok, f"{path}: HTTP {response.status}"
        _assert_policy(response, path)
        csp_page.wait_for_load_state("networkidle")
        _assert_no_violation(csp_page, path)

    # The nested admin's scripts run: "add another" on an inline adds a row (only a 作成中 sheet is editable).
    from programs.choices import SheetStatus

    Sheet.objects.filter(pk=sheet.pk).update(status=SheetStatus.DRAFT)
    csp_page.goto(f"/admin/programs/sheet/{sheet.pk}/change/")
    add_links = csp_page.locator(".djn-add-item a.djn-add-handler:visible, .add-row a:visible")
    assert add_links.count() > 0
    rows_before = csp_page.locator(".djn-item:visible, .dynamic-form:visible").count()
    add_links.first.click()
    expect(csp_page.locator(".djn-item:visible, .dynamic-form:visible")).to_have_count(rows_before + 1)
    wait_for_charts(csp_page)
    _assert_no_violation(csp_page, "nested admin add row")
