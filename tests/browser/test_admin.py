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

    # the 平成27年度 予算額 of the 予算・決算額等の推移 inline, reached by its jump link: 473,845 → 473,846
    page.goto(f"/admin/programs/sheet/{sheet.pk}/change/")
    page.locator(".sheet-sections-nav").get_by_role("link", name="予算・決算額等の推移", exact=True).click()
    prefix = page.eval_on_selector(
        "input[name^='budget_years-'][name$='-fiscal_year'][value='平成27年度']", "el => el.name.replace(/-fiscal_year$/, '')"
    )
    budget = page.locator(f"input[name='{prefix}-budget']")
    expect(budget).to_have_value("473,845")
    budget.fill("473,846")
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


def _open_change_page(page, code="03-04-01"):
    from programs.choices import SheetStatus
    from programs.models import Sheet

    sheet = Sheet.objects.get(program__code=code, fiscal_year=2021)
    Sheet.objects.filter(pk=sheet.pk).update(status=SheetStatus.DRAFT)  # only a draft is edited
    _log_in(page)
    page.goto(f"/admin/programs/sheet/{sheet.pk}/change/")
    expect(page.locator(".sheet-sections-tools")).to_be_visible()  # the sections' script has run
    return sheet


def test_each_section_of_the_change_page_is_reached_by_its_jump_link(page, page_log):
    from programs.admin_sections import SHEET_SECTIONS

    _open_change_page(page)
    nav = page.locator(".sheet-sections-nav")
    for spec in SHEET_SECTIONS:
        section = page.locator(f"#section-{spec.slug}")
        nav.get_by_role("link", name=spec.title, exact=True).click()
        expect(section).to_have_attribute("open", "")
        expect(section.locator("summary")).to_be_in_viewport()
        expect(section.locator(".sheet-section-body")).to_be_visible()
    # the section last opened is opened again on the next visit (localStorage), the others stay closed
    page.reload()
    expect(page.locator(f"#section-{SHEET_SECTIONS[-1].slug}")).to_have_attribute("open", "")
    expect(page.locator("#section-indicators")).not_to_have_attribute("open", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # no sideways scroll
    page_log.assert_clean()


def test_every_label_and_choice_of_the_change_page_is_japanese(page):
    _open_change_page(page)
    page.get_by_role("button", name="すべて開く").click()
    expect(page.locator("details.sheet-section:not([open])")).to_have_count(0)
    texts = page.eval_on_selector_all(
        "#sheet_form :is(label, th, option, summary, h2, h3, legend, .help, a, button, input[type=submit])",
        "els => els.map(el => (el.tagName === 'INPUT' ? el.value : el.textContent).trim())",
    )
    assert "給与関係費" in texts and "減価償却費" in texts  # 勘定科目 as on the form
    english = sorted({t for t in texts if re.search(r"\b[A-Za-z]{2,}\b", t) and "OA機器" not in t})
    assert not english, english  # codes and numbers (03-04-01, #4, ①) are not words
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440


def test_an_admin_fixes_outcome_indicator_3_of_reiwa_2_and_a_too_precise_value_is_refused(page, page_log):
    """成果指標③ 令和2年度: one jump link, the row labelled by its era year; 3.45 (one printed decimal) is refused
    with the field named, 3.5 is saved."""
    from indicators.models import IndicatorValue

    sheet = _open_change_page(page)
    page.locator(".sheet-sections-nav").get_by_role("link", name="成果指標", exact=True).click()
    indicator = (
        page.locator("#section-indicators .djn-inline-form").filter(has=page.locator("input[name$='-number'][value='3']")).first
    )
    row = indicator.locator("tr").filter(has=page.locator("input[value='令和2年度']"))
    value = row.locator("input[name$='-value']")
    expect(value).to_have_value("3.4")
    value.fill("3.45")
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()
    expect(page.locator("#section-indicators")).to_have_attribute("open", "")
    error = page.locator("#section-indicators .errorlist").filter(has_text="成果指標③ 令和2年度の値")
    expect(error).to_be_visible()
    expect(error).to_contain_text("小数桁数 1")
    stored = IndicatorValue.objects.get(indicator__sheet=sheet, indicator__number=3, fiscal_year=2020)
    assert float(stored.value) == 3.4  # nothing saved

    page.locator("#section-indicators input[value='3.45']").fill("3.5")
    _save(page)
    stored.refresh_from_db()
    assert float(stored.value) == 3.5
    page_log.assert_clean()


def test_history_is_one_era_date_and_one_line_of_text(page):
    _open_change_page(page)
    page.locator(".sheet-sections-nav").get_by_role("link", name="経過", exact=True).click()
    row = page.locator("#section-history tr.form-row").filter(has=page.locator("input[value='平成3年4月']"))
    expect(row.locator("input, textarea").filter(has_not=page.locator("[type=hidden]"))).not_to_have_count(0)
    assert row.locator("input[name$='-year'], input[name$='-month']").count() == 0
    boxes = [row.locator(sel).bounding_box() for sel in ("input[name$='-era_label']", "textarea[name$='-text']")]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < boxes[0]["height"]  # date and text on one line
    row.locator("input[name$='-era_label']").fill("令和3年13月")
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()
    expect(page.locator("#section-history .errorlist")).to_contain_text("年月（和暦）")
