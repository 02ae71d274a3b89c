"""Overview, program page, compare and roll-up: content, empty states, errors and flat query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Program, Sheet
from programs.services import sheet_upsert
from tests.factories import published, sheets_bulk_create

pytestmark = pytest.mark.django_db


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_overview_headline_figures_for_the_latest_year(client):
    html = _html(client, "/")
    assert "令和3年度の事務事業 概要" in html
    assert ">862,063<" in html  # total budget FY2021
    assert ">6<" in html
    assert "chart-overview-programs" in html and "chart-overview-classification" in html
    response = client.get("/")
    headline = response.context["headline"]
    assert headline["indicators_on_track"] + headline["indicators_behind"] == 14
    assert {row["classification"]: row["current"] for row in response.context["classification"]} == {
        "重点的に推進": 1,
        "推進": 1,
        "継続": 4,
        "改善・見直し": 0,
        "休止・完了": 0,
    }


def test_overview_with_no_sheets_says_so(client):
    Program.objects.all().delete()
    assert "シートがまだ登録されていません" in _html(client, "/")


def test_program_page_shows_trend_indicators_classification_and_issues(client):
    html = _html(client, "/programs/03-04-05/")
    for figure in ["119,369", "116,991", "133,026"]:
        assert figure in html
    assert "パソコン稼働率(%)" in html and "95" in html
    assert "印刷枚数削減のため" in html
    assert "chart-program-budget" in html and "chart-program-indicator-1" in html
    assert "1年度分です" in html


def test_program_page_takes_each_year_from_the_newest_sheet(client):
    later = client.get("/api/sheets/2021/03-04-06/").json()
    later["fiscal_year"] = 2022
    for row in later["budget_history"]:
        if row["fiscal_year"] == 2021:
            row.update(settlement=15999, settlement_is_estimate=False)
    published(sheet_upsert(document=later))
    response = client.get("/programs/03-04-06/")
    rows = {row["fiscal_year"]: row for row in response.context["panels"]["budget"]["rows"]}
    assert rows[2021]["settlement"] == 15999 and not rows[2021]["settlement_is_estimate"]
    assert rows[2021]["reported_in"] == 2022
    assert "1年度分です" not in response.content.decode()


def test_unknown_program_is_404(client):
    assert client.get("/programs/00-00-00/").status_code == 404


def test_compare_defaults_to_the_section_of_the_latest_sheet(client):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert response.context["selection"].codes == ["03-04-01", "03-04-02", "03-04-03", "03-04-04", "03-04-05", "03-04-06"]
    html = response.content.decode()
    for key in ["budget", "share", "change", "cost", "achievement", "unit_cost"]:
        assert f'id="chart-compare-{key}"' in html and f'id="table-compare-{key}"' in html


def test_compare_selection_changes_charts_and_tables(client):
    response = client.get("/compare/?programs=03-04-01&programs=03-04-05&year_from=2019&year_to=2020&measure=budget")
    panels = {p["key"]: p for p in response.context["panels"]}
    rows = panels["budget"]["table"]["rows"]
    assert {(r[0], r[2]) for r in rows} == {("03-04-01", 2019), ("03-04-01", 2020), ("03-04-05", 2019), ("03-04-05", 2020)}
    share = panels["share"]["table"]
    assert share["headers"][3] == "予算額（千円）"
    first = dict(zip(share["keys"], share["rows"][0], strict=True))
    assert first["total"] == 444755 + 187082


def test_compare_csv_download_matches_the_table(client):
    response = client.get("/compare/?programs=03-04-06&download=budget")
    body = response.content.decode()
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:5] == ["コード", "事務事業名", "年度", "予算額（千円）", "決算額（千円）"]
    assert rows[1][:5] == ["03-04-06", "電子自治体推進", "2015", "14069", "12814"]
    assert len(rows) == 8


@pytest.mark.parametrize(
    "query",
    ["year_from=abc", "year_from=2021&year_to=2015", "programs=zzz", "measure=bogus", "year_from=99999", "download=nothing"],
)
def test_compare_bad_input_shows_a_message_not_a_500(client, query):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 200
    if "download" not in query:
        assert "入力を確認してください" in response.content.decode()


def test_compare_empty_range_renders_clear_messages(client):
    html = _html(client, "/compare/?year_from=2030&year_to=2031")
    assert "選択した範囲にデータがありません" in html


def test_rollup_totals_and_drill_down_links(client):
    response = client.get("/rollup/")
    nodes = response.context["nodes"]
    assert [n["label"] for n in nodes[:3]] == [
        "Ⅶ 計画推進のために",
        "15 目標の設定と管理による行財政運営の戦略的推進",
        "05 情報システムの適正な整備と安全確保",
    ]
    assert all(n["budget"] == 862063 for n in nodes[:3])
    sheet = Sheet.objects.get(program__code="03-04-01")
    assert f"measure={sheet.measure_id}" in response.content.decode()
    assert "この年度のシートがありません" in _html(client, "/rollup/?fiscal_year=1999")


@pytest.mark.parametrize("url", ["/", "/programs/03-04-01/", "/compare/", "/rollup/", "/sheets/"])
def test_page_query_counts_do_not_grow_with_more_sheets(client, url):
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    sheets_bulk_create(250, template_code="03-04-05")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    # ≤ 16: the overview reads the data version (cache key), the municipalities' latest years, the year's aggregates
    # (figures, 成果指標, 分類, 100 table rows, their stored findings and the year's count, the 12 largest budgets'
    # frames) and its 分類 vocabulary (14); compare the data version, its form's choices and the chosen programs'
    # frames (16); roll-up the municipality and the list of them.
    assert len(large) == len(small) <= 16


def test_large_sections_start_with_their_largest_programs(client):
    sheets_bulk_create(20, template_code="03-04-06")  # 20 small programs in the same 課
    response = client.get("/compare/")
    selection = response.context["selection"]
    assert selection.capped and len(selection.codes) == 12
    assert {"03-04-01", "03-04-02", "03-04-05"} <= set(selection.codes)  # the largest budgets are kept
    assert "上位12事業" in response.content.decode()
    overview = client.get("/")
    assert overview.context["multiples_capped"]
    assert len(overview.context["programs"]) == 26  # the table still lists every program
