"""前年度との差分: /sheets/<fy>/<code>/diff/ after 前年度複写 (start_fiscal_year 2022) and a few edits of the new sheet."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import BudgetYear
from indicators.models import IndicatorValue
from programs.choices import SheetStatus
from programs.models import Improvement, Sheet, SheetIssue
from programs.pages.program import diff_pairs
from programs.pages.sheet_diff import sheet_diff_context
from programs.sheet_diff import Piece, word_diff

pytestmark = pytest.mark.django_db

CODES = ["03-04-01", "03-04-02", "03-04-03", "03-04-04", "03-04-05", "03-04-06"]
URL = "/sheets/2022/03-04-01/diff/"


def _sheet(code: str = "03-04-01", year: int = 2022) -> Sheet:
    return Sheet.objects.get(program__code=code, fiscal_year=year)


@pytest.fixture
def rolled():
    call_command("start_fiscal_year", "2022")


@pytest.fixture
def edited(rolled):
    """One 問題点 text, one indicator value and one budget figure of 03-04-01 2022 changed."""
    sheet = _sheet()
    issue = sheet.issues.get(number=1)
    issue.text = issue.text + "さらにクラウド移行を検討する。"
    issue.save()
    value = IndicatorValue.objects.get(indicator__sheet=sheet, indicator__number=1, fiscal_year=2020)
    value.value, value.decimals = Decimal(2), 0
    value.save()
    budget = BudgetYear.objects.get(sheet=sheet, fiscal_year=2021)
    budget.budget = 460000
    budget.save()
    return sheet


# ---------------------------------------------------------------- the invariant: roll-over changes nothing


@pytest.mark.parametrize("code", CODES)
def test_right_after_rollover_the_diff_counts_no_change(rolled, admin_client, code):
    response = admin_client.get(f"/sheets/2022/{code}/diff/")
    assert response.status_code == 200
    diff = response.context["diff"]
    assert diff.count == 0, diff.changes
    assert diff.summary == "変更はありません"
    assert "変更はありません" in response.content.decode()


def test_the_window_moving_is_mentioned_once_not_counted(rolled, admin_client):
    diff = admin_client.get(URL).context["diff"]
    assert diff.window == ("平成27〜令和3年度", "平成28〜令和4年度")
    assert admin_client.get(URL).content.decode().count("表示期間: 平成27〜令和3年度 → 平成28〜令和4年度") == 1


# ---------------------------------------------------------------- three edits, three changes


def test_three_edits_are_exactly_three_changes_with_old_and_new_values(edited, admin_client):
    response = admin_client.get(URL)
    diff = response.context["diff"]
    assert [(c.kind, c.label) for c in diff.changes] == [
        ("figure", "① システムの停止を伴う重大な障害件数 令和2年度"),
        ("figure", "予算額 令和3年度"),
        ("text", "問題点・課題①"),
    ]
    indicator, budget, issue = diff.changes
    assert (indicator.old, indicator.new, indicator.delta) == ("0", "2", "+2")
    assert (budget.old, budget.new, budget.delta) == ("468,771", "460,000", "▲ 8,771")
    assert [p for p in issue.pieces if p.op != "equal"] == [Piece("insert", "さらにクラウド移行を検討する。")]
    assert diff.summary == "本文 1 箇所・数値 2 箇所"
    assert [s.key for s in diff.changed_sections] == ["indicators", "budget", "issues"]
    html = response.content.decode()
    assert "本文 1 箇所・数値 2 箇所" in html
    assert '<del class="num">468,771</del> → <ins class="num">460,000</ins>' in html
    assert "<ins>さらにクラウド移行を検討する。</ins>" in html
    assert (
        html.count('"diff-change diff-figure-change"') == 2
        and html.count('"diff-change diff-text-change"') == 1
        and html.count('"diff-change ') == 3
    )


def test_an_estimate_that_became_a_settlement_is_a_change_estimate_to_settlement(rolled, admin_user):
    sheet = _sheet()
    BudgetYear.objects.filter(sheet=sheet, fiscal_year=2021).update(settlement_is_estimate=False)
    (change,) = _diff(admin_user).changes
    assert change.label == "決算額 令和3年度"
    assert (change.old, change.new, change.delta) == ("468,771（見込み）", "468,771", "見込み → 決算")


def test_a_figure_written_for_the_new_year_is_new_and_a_blank_one_is_not(rolled, admin_user):
    BudgetYear.objects.filter(sheet=_sheet(), fiscal_year=2022).update(budget=470000)
    (change,) = _diff(admin_user).changes
    assert (change.label, change.old, change.new, change.delta) == ("予算額 令和4年度", "—", "470,000", "新規")


def test_issues_and_improvements_added_and_removed_and_this_years_improvement_texts(rolled, admin_user):
    sheet = _sheet()
    sheet.issues.filter(number=1).delete()
    SheetIssue.objects.create(sheet=sheet, number=9, text="新しい課題")
    improvement = sheet.improvements.order_by("number").first()
    improvement.result = "実施した。"
    improvement.save()
    diff = _diff(admin_user)
    assert diff.summary == "本文 1 箇所・問題点 1 件追加・問題点 1 件削除"
    assert {(c.kind, c.label) for c in diff.changes} >= {("added", "問題点・課題⑨"), ("removed", "問題点・課題①")}
    (written,) = [c for c in diff.changes if c.kind == "text"]
    assert (
        written.label == f"改善策{'①' if improvement.number == 1 else improvement.number} 令和3年度に実施した改善内容および評価"
    )
    assert written.pieces == (Piece("insert", "実施した。"),)


def test_this_years_plan_is_compared_with_last_years_next(rolled, admin_user):
    improvement = _sheet().improvements.order_by("number").first()
    improvement.plan = improvement.plan + "追記"
    improvement.save()
    (change,) = _diff(admin_user).changes
    assert change.label.endswith("令和3年度に取り組む具体的な改善内容（令和3年度のシートの「以降に取り組む」から）")
    assert change.pieces[-1] == Piece("insert", "追記")


def test_classification_follows_the_year(rolled, admin_user):
    sheet = _sheet()
    sheet.classification_next = "推進"
    sheet.save()
    (change,) = _diff(admin_user).changes
    assert (change.label, change.old, change.new) == ("分類（令和5年度）", "—", "推進")


def _diff(viewer):
    """The diff of 03-04-01 2021 → 2022 as the page computes it."""
    return sheet_diff_context(viewer=viewer, municipality=None, code="03-04-01", fiscal_year=2022, query={})["diff"]


# ---------------------------------------------------------------- markup, parameters, visibility, links


def test_markup_typed_in_a_text_is_escaped_inside_the_diff(rolled, admin_client):
    issue = _sheet().issues.get(number=1)
    issue.text = issue.text + "<script>alert(1)</script><b>太字</b>"
    issue.save()
    html = admin_client.get(URL).content.decode()
    assert "<script>alert(1)" not in html and "<b>太字" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;太字&lt;/b&gt;" in html.replace("</ins>", "").replace("<ins>", "")


def test_from_and_to_choose_the_years(rolled, admin_client):
    default = admin_client.get(URL).context["diff"]
    chosen = admin_client.get("/sheets/2021/03-04-01/diff/?from=2021&to=2022").context["diff"]
    assert (chosen.old_year, chosen.new_year) == (default.old_year, default.new_year) == (2021, 2022)
    assert admin_client.get(f"{URL}?from=2021").context["diff"].new_year == 2022


@pytest.mark.parametrize(
    "query",
    ["?from=abc", "?to=20x1", "?from=2022&to=2022", "?from=2022&to=2021", "?from=2019", "?to=2023", "?from=", "?to=%00"],
)
def test_bad_parameters_are_a_404(rolled, admin_client, query):
    assert admin_client.get(f"{URL}{query}").status_code == 404


def test_a_sheet_without_a_previous_year_has_no_diff_link_and_no_diff(client, admin_client):
    assert "前年度との差分" not in client.get("/sheets/2021/03-04-01/").content.decode()
    assert "/diff/" not in admin_client.get("/programs/03-04-01/").content.decode()
    assert client.get("/sheets/2021/03-04-01/diff/").status_code == 404
    assert admin_client.get("/sheets/2021/03-04-01/diff/").status_code == 404


def test_the_diff_is_linked_from_the_sheet_and_the_program_page(rolled, admin_client):
    assert f'href="{URL}">前年度との差分' in admin_client.get("/sheets/2022/03-04-01/").content.decode()
    assert f'href="{URL}">差分 3年度→4年度' in admin_client.get("/programs/03-04-01/").content.decode()


def test_program_page_pairs_are_consecutive_years_with_from_when_a_year_is_missing():
    assert diff_pairs([2019, 2020, 2022]) == [
        {"from": 2019, "to": 2020, "query": ""},
        {"from": 2020, "to": 2022, "query": "?from=2020"},
    ]
    assert diff_pairs([2021]) == []


def test_public_visitors_cannot_diff_an_unpublished_sheet(rolled, client):
    assert client.get(URL).status_code == 404  # 2022 is 作成中
    assert "前年度との差分" not in client.get("/programs/03-04-01/").content.decode()
    Sheet.objects.filter(fiscal_year=2022).update(status=SheetStatus.PUBLISHED)
    assert client.get(URL).status_code == 200
    Sheet.objects.filter(fiscal_year=2021, program__code="03-04-01").update(status=SheetStatus.DRAFT)
    assert client.get(URL).status_code == 404


def test_the_municipality_form_of_the_url_works(rolled, admin_client):
    assert admin_client.get("/m/131181/sheets/2022/03-04-01/diff/").status_code == 200
    assert admin_client.get("/m/999999/sheets/2022/03-04-01/diff/").status_code == 404


def test_query_count_is_flat_as_the_sheets_grow(edited, admin_client):
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(URL).status_code == 200
    sheet = _sheet()
    SheetIssue.objects.bulk_create([SheetIssue(sheet=sheet, number=n, text=f"課題{n}") for n in range(10, 30)])
    Improvement.objects.bulk_create([Improvement(sheet=sheet, number=n, plan=f"計画{n}") for n in range(10, 30)])
    for indicator in sheet.indicators.all():
        IndicatorValue.objects.filter(indicator=indicator, fiscal_year=2021).update(value=Decimal(7))
    with CaptureQueriesContext(connection) as large:
        response = admin_client.get(URL)
    assert response.context["diff"].count > 40
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


# ---------------------------------------------------------------- the pieces


def test_word_diff_is_lossless_and_marks_whole_words():
    old, new = "住民記録・税務システムを運用する。", "住民記録・福祉システムを運用する。"
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op != "insert") == old
    assert "".join(p.text for p in pieces if p.op != "delete") == new
    assert [p for p in pieces if p.op != "equal"] == [Piece("delete", "税務"), Piece("insert", "福祉")]


def test_figures_keep_their_printed_decimals_and_mark_decreases():
    from programs.sheet_diff import _figure, money, printed

    (change,) = _figure("率", printed(3.4, "3.4"), printed(3.0, "3.0"), is_money=False)
    assert (change.old, change.new, change.delta) == ("3.4", "3.0", "▲ 0.4")
    (change,) = _figure("額", money(-1414), money(1000), is_money=True)
    assert (change.old, change.new, change.delta) == ("▲ 1,414", "1,000", "+2,414")
    assert _figure("額", None, money(None), is_money=True) == []  # roll-over's empty new year
    assert _figure("額", money(5), None, is_money=True) == []  # a year that left the window


def test_two_years_apart_compares_like_with_like(rolled, admin_client):
    """2021 → 2023 (two roll-overs): figures still aligned by year (nothing changed), while 分類 and 改善策 compare the
    same column of both sheets — the columns roll-over blanked differ, and say so under the sheet's own headings."""
    call_command("start_fiscal_year", "2023")
    diff = admin_client.get("/sheets/2023/03-04-01/diff/?from=2021").context["diff"]
    assert (diff.old_year, diff.new_year) == (2021, 2023)
    assert {s.key for s in diff.changed_sections} <= {"classification", "improvements"}
    assert not [c for c in diff.changes if c.kind == "figure"]
    assert all(c.label.startswith(("分類（当年度）", "分類（翌年度）", "改善策")) for c in diff.changes), diff.changes
    assert diff.window == ("平成27〜令和3年度", "平成29〜令和5年度")


def test_an_indicator_target_and_direction_change_as_the_form_prints_them(rolled, admin_user):
    from indicators.models import Indicator

    Indicator.objects.filter(sheet=_sheet(), number=1).update(direction="down", target=Decimal(1))
    changes = {c.label: (c.old, c.new, c.delta) for c in _diff(admin_user).changes}
    assert changes == {"① 目標値": ("0", "1", "+1"), "① 望ましい方向": ("ゼロを維持", "減少が望ましい", "")}


def test_an_erased_value_inside_the_window_is_a_change(rolled, admin_user):
    IndicatorValue.objects.filter(indicator__sheet=_sheet(), indicator__number=1, fiscal_year=2020).delete()
    (change,) = _diff(admin_user).changes
    assert (change.label, change.old, change.new) == ("① システムの停止を伴う重大な障害件数 令和2年度", "0", "—")
