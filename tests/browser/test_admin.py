"""The admin in a browser: log in, reopen a published sheet, edit one budget figure on the sheet's nested page,
see it in the history, publish again and see it everywhere."""

import re

import pytest

from tests.browser.support import expect, table_rows, trace_values, visit

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = "kanri", "browser-test-password"


def _log_in(page):
    """Create a superuser and log in through the admin's login form."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(USERNAME, "kanri@example.com", PASSWORD)
    page.goto("/admin/")
    page.get_by_label("ユーザー名").fill(USERNAME)
    page.get_by_label("パスワード").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_contain_text(USERNAME)


def _workflow_step(page, label: str, reason: str = ""):
    """Press a status button on the sheet page (with its reason when it asks for one)."""
    step = page.locator("form.workflow-step").filter(has=page.get_by_role("button", name=label))
    if reason:
        step.get_by_label("理由（必須）").fill(reason)
    with page.expect_navigation():
        step.get_by_role("button", name=label).click()
    expect(page.locator(".messages")).to_be_visible()


def _reopen(page, path="/sheets/2021/03-04-01/"):
    visit(page, path)
    _workflow_step(page, "作成中に戻す", "予算額の誤りを直す")
    expect(page.locator(".status-badge")).to_have_text("作成中")


def _log_in_again(page):
    page.goto("/admin/")
    page.get_by_label("ユーザー名").fill(USERNAME)
    page.get_by_label("パスワード").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#login-form [type=submit]").click()


def _save(page):
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/programs/sheet/$"))


def test_editing_a_budget_figure_in_the_admin(page, page_log):
    from finance.models import BudgetYear
    from programs.models import Sheet

    sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)
    versions_before = sheet.history.count()
    _log_in(page)
    _reopen(page)  # a published sheet is edited only after 「作成中に戻す」

    # the 2015 予算額 of the 予算・決算額等の推移 inline: 473845 → 473846
    page.goto(f"/admin/programs/sheet/{sheet.pk}/change/")
    prefix = page.eval_on_selector(
        "input[name^='budget_years-'][name$='-fiscal_year'][value='2015']", "el => el.name.replace(/-fiscal_year$/, '')"
    )
    budget = page.locator(f"input[name='{prefix}-budget']")
    expect(budget).to_have_value("473845")
    budget.fill("473846")
    _save(page)
    page_log.assert_clean()

    # our own history page: the save, the field, old → new, by this user; then submit, approve and publish again
    visit(page, "/sheets/2021/03-04-01/history/")
    newest = page.locator("section.revision").first
    expect(newest).to_contain_text(USERNAME)
    expect(newest.locator("tbody tr").first).to_contain_text("473,845")
    expect(newest.locator("tbody tr").first).to_contain_text("473,846")
    expect(newest.locator("tbody tr").first).to_contain_text("平成27年度")
    visit(page, "/sheets/2021/03-04-01/")
    for label in ("提出する", "承認する", "公開する"):
        _workflow_step(page, label)
    expect(page.locator(".status-badge")).to_have_text("公開")
    page.context.clear_cookies()  # the public sees the new figure

    # the sheet page: the budget table and the chart's data
    visit(page, "/sheets/2021/03-04-01/")
    assert table_rows(page, "#table-budget")[0][:2] == ["予算額", "473,846"]  # 平成27年度 is the first year
    budget_trace = trace_values(page, "chart-budget", 0)
    assert budget_trace[0] == 473846 and 473845 not in budget_trace
    page_log.assert_clean()

    # the Sheet's 履歴 page (django-simple-history) lists the saves, newest first: the edit by this user between
    # the reopening and the three steps to 公開
    _log_in_again(page)
    page.goto(f"/admin/programs/sheet/{sheet.pk}/change/")
    with page.expect_navigation():
        page.get_by_role("link", name="履歴", exact=True).click()
    history = page.locator("#change-history tbody tr")
    expect(history).to_have_count(versions_before + 5)
    expect(history.nth(3)).to_contain_text("変更")
    expect(history.nth(3).locator("td").nth(3)).to_have_text(USERNAME)
    expect(history.last).to_contain_text("作成")
    expect(page.locator("#change-history thead")).to_contain_text("変更者")  # the history page is in Japanese
    page_log.assert_clean()

    # the BudgetYear's own history (it has no admin page of its own) records the figure and who changed it
    row = BudgetYear.objects.get(sheet=sheet, fiscal_year=2015)
    assert row.history.values_list("budget", "history_user__username").first() == (473846, USERNAME)


def test_saving_the_change_page_unchanged_in_a_browser_keeps_every_value(page):
    from programs.models import Sheet
    from tests.snapshots import sheet_snapshot

    sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)
    _log_in(page)
    _reopen(page)
    before = sheet_snapshot(Sheet.objects.get(pk=sheet.pk))
    page.goto(f"/admin/programs/sheet/{sheet.pk}/change/")
    _save(page)
    after = sheet_snapshot(Sheet.objects.get(pk=sheet.pk))
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert not changed, {key: [repr(value)[:300] for value in pair] for key, pair in changed.items()}
