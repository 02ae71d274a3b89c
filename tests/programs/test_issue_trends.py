"""問題点・課題の推移: runs of the same words over consecutive fiscal years (programs/issue_trends.py) and the program
page's timeline with its 「継続課題」 badges."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.choices import SheetStatus
from programs.issue_trends import CONTINUING_YEARS, issue_timeline, issues_by_year, marked_segments, same_words
from programs.models import Sheet, SheetIssue

CARD = "住民記録システムの更改作業を計画的に進めること。"  # keywords: 住民記録, 更改作業, 計画的 (システム is generic)


def _issues(timeline, year):
    return next(entry.issues for entry in timeline if entry.fiscal_year == year)


# ---- the analytics, no database


def test_same_words_are_two_shared_words_or_one_of_four_characters():
    assert same_words(["回線", "見直"])
    assert same_words(["住民記録"])
    assert same_words(["セキュリティクラウド"])
    assert not same_words(["回線"])
    assert not same_words([])


def test_the_same_words_in_three_consecutive_years_make_a_continuing_issue():
    timeline = issue_timeline(
        [
            (2021, [(1, "住民記録システムの更改作業を行うこと。"), (2, "庁内LANの回線を見直すこと。")]),
            (2022, [(1, "住民記録の更改作業に遅れが出ないようにすること。")]),
            (2023, [(1, "国の標準化に合わせ、住民記録の移行を円滑に行うこと。"), (2, "電子申請の周知。")]),
        ]
    )
    first, second = _issues(timeline, 2021), _issues(timeline, 2022)
    assert [(issue.years, issue.continuing) for issue in first] == [(1, False), (1, False)]
    assert (second[0].years, second[0].first_year, second[0].continuing) == (2, 2021, False)
    assert second[0].shared_words == ("住民記録", "更改作業")
    standard, other = _issues(timeline, 2023)
    assert standard.continuing and standard.years == CONTINUING_YEARS and standard.first_year == 2021
    assert standard.shared_words == ("住民記録",)
    assert not other.recurring and other.shared_words == () and other.first_year == 2023


def test_four_consecutive_years_are_four_years_running():
    timeline = issue_timeline([(year, [(1, CARD)]) for year in (2024, 2021, 2023, 2022)])  # in any order
    assert [entry.fiscal_year for entry in timeline] == [2021, 2022, 2023, 2024]
    assert [(issue.years, issue.continuing) for entry in timeline for issue in entry.issues] == [
        (1, False),
        (2, False),
        (3, True),
        (4, True),
    ]
    assert _issues(timeline, 2024)[0].first_year == 2021
    assert _issues(timeline, 2024)[0].shared_words == ("住民記録", "更改作業", "計画的")


def test_an_issue_recurring_in_two_years_only_is_not_continuing():
    timeline = issue_timeline([(2021, [(1, "電子申請の周知に努める。")]), (2022, [(1, CARD)]), (2023, [(1, CARD)])])
    (issue,) = _issues(timeline, 2023)
    assert issue.recurring and not issue.continuing and issue.first_year == 2022


def test_a_year_without_a_sheet_breaks_the_run():
    timeline = issue_timeline([(2020, [(1, CARD)]), (2021, [(1, CARD)]), (2023, [(1, CARD)]), (2024, [(1, CARD)])])
    assert _issues(timeline, 2021)[0].years == 2
    assert [entry.missing_before for entry in timeline] == [(), (), (2022,), ()]
    assert _issues(timeline, 2023)[0].years == 1 and not _issues(timeline, 2024)[0].continuing


def test_a_year_with_no_issues_breaks_the_run():
    timeline = issue_timeline([(2021, [(1, CARD)]), (2022, []), (2023, [(1, CARD)])])
    assert _issues(timeline, 2023)[0].years == 1


def test_a_run_needs_the_same_words_all_along():
    """A shares 回線・見直 with B, B shares 住民記録 with C, but no word is in all three: two runs of two years."""
    timeline = issue_timeline(
        [
            (2021, [(1, "各施設の回線を見直すこと。")]),
            (2022, [(1, "回線を見直し、住民記録の更改に備えること。")]),
            (2023, [(1, "住民記録の移行を行うこと。")]),
        ]
    )
    (issue,) = _issues(timeline, 2023)
    assert (issue.years, issue.first_year, issue.continuing) == (2, 2022, False)


def test_words_every_system_issue_uses_do_not_link_issues():
    timeline = issue_timeline(
        [
            (year, [(1, f"{subject}の業務システムの管理について。")])
            for year, subject in ((2021, "保育園"), (2022, "税務"), (2023, "手当"))
        ]
    )
    assert not any(issue.recurring for entry in timeline for issue in entry.issues)


def test_shared_words_are_marked_in_the_text_as_written():
    timeline = issue_timeline(
        [(year, [(1, f"ＡＩとRPAを使い{verb}。")]) for year, verb in ((2021, "試行"), (2022, "拡大"), (2023, "定着"))]
    )
    (issue,) = _issues(timeline, 2023)
    assert issue.continuing and issue.shared_words == ("ＡＩ", "RPA")
    assert issue.segments == (("ＡＩ", True), ("と", False), ("RPA", True), ("を使い定着。", False))


def test_marked_segments_give_the_text_back():
    text = "住民記録<b>の</b>更改、ａｉ活用"
    pieces = marked_segments(text, ["住民記録", "ai"])
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, marked in pieces if marked] == ["住民記録", "ａｉ"]


def test_issue_rows_grouped_by_year_keep_a_sheet_without_issues():
    rows = [(2021, 1, CARD), (2021, 2, "電子申請"), (2022, None, None), (2023, 1, CARD)]
    assert issues_by_year(rows) == [(2021, [(1, CARD), (2, "電子申請")]), (2022, []), (2023, [(1, CARD)])]
    assert _issues(issue_timeline(issues_by_year(rows)), 2023)[0].years == 1  # 令和4年度 had no issue: no run


# ---- the program page


def _years(*years):
    """Roll the six seed sheets over to `years` (前年度複写 copies the 問題点・課題) and publish them all."""
    for year in years:
        call_command("start_fiscal_year", str(year))
    Sheet.objects.update(status=SheetStatus.PUBLISHED)


def _timeline_html(client, code="03-04-01"):
    response = client.get(f"/programs/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="issue-timeline"') : html.index('id="program-plans-heading"')], response


def _year_html(html, year):
    start = html.index(f'id="issues-{year}"')
    end = html.find('class="issue-year"', start + 1)
    return html[start : end if end > 0 else len(html)]


@pytest.mark.django_db
def test_program_page_marks_issues_copied_over_three_years_continuing(client):
    _years(2022, 2023)
    html, response = _timeline_html(client)
    assert "継続課題" not in _year_html(html, 2021) and "継続課題" not in _year_html(html, 2022)
    assert "初出 令和3年度・2年連続" in _year_html(html, 2022)
    latest = _year_html(html, 2023)
    assert latest.count("継続課題") == 3  # ①②③ of 03-04-01, copied twice
    assert "初出 令和3年度・3年連続" in latest
    assert "<mark>住民記録</mark>" in latest and "<mark>標準化</mark>" in latest
    assert [entry["year"].fiscal_year for entry in response.context["issue_timeline"]] == [2021, 2022, 2023]
    assert "<h3>問題点・課題</h3>" not in response.content.decode()  # the issues moved out of the 改善策 table


@pytest.mark.django_db
def test_program_page_four_years_shows_four_years_running(client):
    _years(2022, 2023, 2024)
    html, _ = _timeline_html(client, "03-04-05")
    assert "初出 令和3年度・4年連続" in _year_html(html, 2024)
    assert "<mark>印刷枚数削減</mark>" in _year_html(html, 2024)


@pytest.mark.django_db
def test_an_issue_rewritten_in_the_first_year_recurs_only_two_years(client):
    _years(2022, 2023)
    SheetIssue.objects.filter(sheet__program__code="03-04-01", sheet__fiscal_year=2021, number=1).update(
        text="電子申請の周知に努めること。"
    )
    html, _ = _timeline_html(client)
    latest = _year_html(html, 2023)
    assert latest.count("継続課題") == 2  # ②③ still three years; ① only since 令和4年度
    assert "初出 令和4年度・2年連続" in latest


@pytest.mark.django_db
def test_a_missing_year_breaks_the_run_on_the_page(client):
    _years(2022, 2023)
    Sheet.objects.filter(fiscal_year=2021).update(fiscal_year=2020)  # sheets for 令和2年度, 4年度, 5年度: 3年度 missing
    html, _ = _timeline_html(client)
    assert "継続課題" not in html
    assert "令和3年度のシートはありません" in html
    assert "初出 令和4年度・2年連続" in _year_html(html, 2023)


@pytest.mark.django_db
def test_the_public_sees_runs_of_published_sheets_only(client, admin_client):
    _years(2022, 2023)
    Sheet.objects.filter(fiscal_year=2022).update(status=SheetStatus.DRAFT)
    public, _ = _timeline_html(client)
    assert "継続課題" not in public and "令和4年度のシートはありません" in public
    staff, _ = _timeline_html(admin_client)
    assert _year_html(staff, 2023).count("継続課題") == 3


@pytest.mark.django_db
def test_markup_in_an_issue_is_escaped_and_its_shared_words_marked(client):
    _years(2022, 2023)
    SheetIssue.objects.filter(sheet__program__code="03-04-01", number=1).update(
        text='<script>alert("x")</script><b>住民記録</b>の更改作業'
    )
    html, _ = _timeline_html(client)
    assert "<script>alert" not in html and "<b>" not in html
    latest = _year_html(html, 2023)
    # the text in every year: its Latin words are shared words too, marked inside the escaped text
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(&quot;x&quot;)&lt;/<mark>script</mark>&gt;" in latest
    assert "&lt;b&gt;<mark>住民記録</mark>&lt;/b&gt;の<mark>更改作業</mark>" in latest
    assert "共通する語：script・alert・住民記録・更改作業" in latest


@pytest.mark.django_db
def test_program_page_queries_do_not_grow_with_the_years(client):
    with CaptureQueriesContext(connection) as one_year:
        assert client.get("/programs/03-04-01/").status_code == 200
    _years(2022, 2023, 2024)
    with CaptureQueriesContext(connection) as four_years:
        html, _ = _timeline_html(client)
    assert "継続課題" in html
    assert len(four_years) == len(one_year)


# ---- the sheet page: 継続課題 beside the issue, from the query that lists the program's years


@pytest.mark.django_db
def test_sheet_page_marks_its_continuing_issues(client):
    _years(2022, 2023)
    html = client.get("/sheets/2023/03-04-01/").content.decode()
    issues = html[html.index('id="issues-heading"') : html.index('id="improvements-heading"')]
    assert issues.count("継続課題") == 3
    assert issues.count('<a href="/programs/03-04-01/#issues-2023">初出 令和3年度・3年連続</a>') == 3
    assert "継続課題" not in client.get("/sheets/2022/03-04-01/").content.decode()
    assert "継続課題" not in client.get("/sheets/2021/03-04-01/").content.decode()


@pytest.mark.django_db
def test_sheet_page_counts_only_the_years_the_viewer_may_read(client):
    _years(2022, 2023)
    Sheet.objects.filter(fiscal_year=2022).update(status=SheetStatus.DRAFT)
    response = client.get("/sheets/2023/03-04-01/")
    assert response.context["other_years"] == [2021, 2023]
    assert "継続課題" not in response.content.decode()


@pytest.mark.django_db
def test_sheet_page_marks_continuing_issues_without_another_query(client):
    with CaptureQueriesContext(connection) as first_year:
        assert client.get("/sheets/2021/03-04-01/").status_code == 200
    _years(2022, 2023, 2024)
    with CaptureQueriesContext(connection) as fourth_year:
        response = client.get("/sheets/2024/03-04-01/")
    assert response.context["other_years"] == [2021, 2022, 2023, 2024]
    assert "初出 令和3年度・4年連続" in response.content.decode()
    assert len(fourth_year) == len(first_year)
