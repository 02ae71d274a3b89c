"""Across municipalities: 事業の種別 by the keyword rule or the admin, and /compare/municipalities/ with the seed
(荒川区) and the made-up 架空市 example side by side — 事業費, 総事業費, per person, per unit of an activity indicator
and 成果指標 achievement, each table and its CSV with the same numbers."""

import csv
import io

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.analytics import municipality_costs
from programs.choices import SheetStatus
from programs.models import Municipality, MunicipalityPopulation, Program, ProgramKind, Sheet
from programs.program_kinds import program_kind_match, program_kinds_assign
from tests.factories import sheets_bulk_create
from tests.programs.test_import_example_city import MAPPING, PROFILE, TABLE

pytestmark = pytest.mark.django_db

URL = "/compare/municipalities/"
KAKUU_2023_POPULATION = 185_000


def _kind(code: str) -> ProgramKind:
    return ProgramKind.objects.get(code=code)


def _import_kakuu() -> None:
    call_command("import_sheets", "--mapping", str(MAPPING), str(TABLE))


@pytest.fixture
def kakuu():
    """架空市's profile (its vocabulary) and table imported, its sheets published, and one population entered: 2023
    (the profile's populations are removed so that the test says which years have one)."""
    call_command("load_profile", str(PROFILE))
    _import_kakuu()
    Sheet.objects.filter(program__municipality__code="999997").update(status=SheetStatus.PUBLISHED)
    city = Municipality.objects.get(code="999997")
    MunicipalityPopulation.objects.filter(municipality=city).delete()
    MunicipalityPopulation.objects.create(municipality=city, fiscal_year=2023, population=KAKUU_2023_POPULATION)
    return city


def _rows(response, panel: str) -> list[dict]:
    table = next(p["table"] for p in response.context["panels"] if p["key"] == panel)
    return [dict(zip(table["keys"], row, strict=True)) for row in table["rows"]]


def _row(rows: list[dict], municipality: str, code: str, year: int) -> dict:
    return next(r for r in rows if r["municipality"] == municipality and r["program_code"] == code and r["fiscal_year"] == year)


# --- kinds -------------------------------------------------------------------------------------------------------


def test_the_keyword_rule_files_every_seed_program():
    kinds = dict(Program.objects.filter(municipality__code="131181").values_list("code", "kind__code"))
    assert kinds == {
        "03-04-01": "information_systems",  # 業務系システム
        "03-04-02": "information_systems",  # 情報系システム (its 文書管理システム comes later in the list)
        "03-04-03": "system_facilities",  # システム設置設備
        "03-04-04": "network",  # ネットワーク管理
        "03-04-05": "system_facilities",  # OA機器 (its 目的 mentions 庁内LAN, no longer a network keyword)
        "03-04-06": "e_government",  # 電子申請 (its 行政専用ネットワーク is not a network keyword)
    }
    assert set(Program.objects.values_list("kind_source", flat=True)) == {"keyword"}


def test_the_first_kind_by_position_wins_and_full_width_letters_match():
    kinds = list(ProgramKind.objects.order_by("position"))
    assert program_kind_match(["ＤＸ推進事業"], kinds).code == "e_government"
    assert program_kind_match(["情報系システムと庁内ネットワーク管理"], kinds).code == "information_systems"
    assert program_kind_match(["かくう川の清掃", ""], kinds) is None


def test_an_import_assigns_kinds_and_an_admin_choice_survives_a_later_import(kakuu, admin_client):
    program = Program.objects.get(municipality=kakuu, code="0231")  # かくう子ども読書推進: "4か月児健診での絵本配布"
    assert (program.kind.code, program.kind_source) == ("health_checkups", "keyword")
    assert Program.objects.get(municipality=kakuu, code="0086").kind.code == "information_systems"
    assert Program.objects.get(municipality=kakuu, code="0112").kind is None  # no keyword: no kind

    url = reverse("admin:programs_program_change", args=[program.pk])
    data = {"municipality": kakuu.pk, "code": "0231", "name": program.name, "kind": _kind("libraries").pk}
    assert admin_client.post(url, data).status_code == 302
    program.refresh_from_db()
    assert (program.kind.code, program.kind_source) == ("libraries", "admin")

    Sheet.objects.filter(program__municipality=kakuu).update(status=SheetStatus.DRAFT)
    _import_kakuu()  # the same sheets again
    call_command("assign_program_kinds")
    program.refresh_from_db()
    assert (program.kind.code, program.kind_source) == ("libraries", "admin")

    assert admin_client.post(url, {**data, "kind": ""}).status_code == 302  # empty: back to the keyword rule
    program.refresh_from_db()
    assert (program.kind.code, program.kind_source) == ("health_checkups", "keyword")


def test_assign_program_kinds_reports_counts_and_keeps_admin_choices(capsys):
    Program.objects.filter(code="03-04-05").update(kind=_kind("parks"), kind_source="admin")
    Program.objects.filter(code="03-04-04").update(kind=None, kind_source="")
    call_command("assign_program_kinds")
    out = capsys.readouterr().out
    assert "情報システム運用: 2 事業" in out and "ネットワーク管理: 1 事業" in out
    assert "キーワードで 5 事業を判定しました（管理画面で指定した 1 事業はそのまま）" in out
    assert Program.objects.get(code="03-04-05").kind.code == "parks"
    assert Program.objects.get(code="03-04-04").kind.code == "network"


def test_the_rule_costs_a_few_queries_whatever_the_number_of_sheets(django_assert_max_num_queries):
    program = Program.objects.get(code="03-04-01")
    Program.objects.filter(pk=program.pk).update(kind=None, kind_source="")
    with django_assert_max_num_queries(5):  # kinds, the program, its newest sheets' texts, one UPDATE, the source
        program_kinds_assign(program_ids=[program.pk])
    sheets_bulk_create(40, template_code="03-04-04")
    with django_assert_max_num_queries(3 + ProgramKind.objects.count()):
        counts = program_kinds_assign()
    assert counts["ネットワーク管理"] == 41
    assert Program.objects.get(pk=program.pk).kind.code == "information_systems"


def test_the_kind_admin_lists_how_many_programs_each_kind_has(admin_client):
    html = admin_client.get(reverse("admin:programs_programkind_changelist")).content.decode()
    assert "事業数" in html and "情報システム運用" in html
    row = html[html.index(">情報システム運用<") :]
    assert '<td class="field-program_count">2</td>' in row[: row.index("</tr>")]


# --- the page ----------------------------------------------------------------------------------------------------


def test_the_page_shows_both_municipalities_side_by_side(client, kakuu):
    response = client.get(URL, {"kind": "information_systems"})
    assert response.status_code == 200
    html = response.content.decode()
    codes = [(p["municipality"], p["program_code"]) for p in response.context["programs"]]
    assert codes == [("荒川区", "03-04-01"), ("荒川区", "03-04-02"), ("架空市", "0086")]

    costs = _rows(response, "costs")
    assert _row(costs, "荒川区", "03-04-01", 2020)["project_cost"] == 468557  # 決算額
    assert _row(costs, "荒川区", "03-04-01", 2020)["total_cost"] is None  # no 人件費: missing, never 事業費 alone
    assert _row(costs, "荒川区", "03-04-01", 2020)["personnel_note"] == "人件費の記載なし"
    kakuu_2023 = _row(costs, "架空市", "0086", 2023)
    assert (kakuu_2023["project_cost"], kakuu_2023["personnel"], kakuu_2023["total_cost"]) == (61377, 25200, 86577)
    assert kakuu_2023["is_estimate"] == "確定"
    assert _row(costs, "架空市", "0086", 2024)["is_estimate"] == "見込み"  # 決算見込額 66,210: marked, not a 決算
    assert _row(costs, "荒川区", "03-04-01", 2021)["is_estimate"] == "見込み"

    per_person = _rows(response, "per_person")
    # by hand: 61,377千円 × 1000 ÷ 185,000人 = 331.767… → 331.8 円; 86,577千円 → 467.984… → 468.0 円
    row = _row(per_person, "架空市", "0086", 2023)
    assert (row["population"], row["project_cost_per_person_yen"], row["total_cost_per_person_yen"]) == (185000, 331.8, 468.0)
    assert ">331.8<" in html and ">468.0<" in html
    no_population = _row(per_person, "架空市", "0086", 2022)  # no population entered for 2022
    assert no_population["project_cost_per_person_yen"] is None and no_population["population_note"] == "人口未登録"
    arakawa = [r for r in per_person if r["municipality"] == "荒川区"]
    assert arakawa and all(r["project_cost_per_person_yen"] is None and r["population_note"] == "人口未登録" for r in arakawa)
    assert "人口未登録" in html

    per_unit = _rows(response, "per_unit")
    unit = _row(per_unit, "架空市", "0086", 2023)  # 運用管理するシステム数 44: 61,377,000 ÷ 44 = 1,394,931.8 円
    assert (unit["indicator"], unit["unit"], unit["count"], unit["project_cost_per_unit_yen"]) == (
        "運用管理するシステム数",
        "システム",
        "44",
        1394931.8,
    )
    assert ">1,394,931.8<" in html
    assert _row(per_unit, "荒川区", "03-04-01", 2020)["note"] == "活動指標なし"
    assert _row(per_unit, "荒川区", "03-04-01", 2020)["project_cost_per_unit_yen"] is None

    achievement = _rows(response, "achievement")
    by_indicator = {(r["program_code"], r["indicator_label"]): r for r in achievement}
    assert by_indicator[("0086", "成果指標① システム稼働率")]["achievement"] == 100.1  # 99.95 ÷ 99.90, 令和6年度見込み
    assert by_indicator[("0086", "成果指標① システム稼働率")]["is_estimate"] == "見込み"
    assert by_indicator[("03-04-01", "成果指標③ システム評価におけるユーザ満足度調査の平均値")]["achievement"] == 87.5
    for key in ("costs", "per_person", "per_unit", "achievement"):
        assert f'id="chart-municipalities-{key}"' in html
    assert "令和5年度" in html and "総事業費（事業費＋人件費・千円）" in html


def test_the_default_kind_is_the_first_shared_by_two_municipalities(client, kakuu):
    assert client.get(URL).context["selection"].kind.code == "information_systems"
    Program.objects.filter(code="0086").update(kind=None, kind_source="admin")  # 架空市 no longer shares it
    Program.objects.filter(code="0231").update(kind=_kind("network"), kind_source="admin")
    assert client.get(URL).context["selection"].kind.code == "network"


def test_budget_measure_and_year_range(client, kakuu):
    response = client.get(URL, {"kind": "information_systems", "measure": "budget", "year_from": 2022, "year_to": 2024})
    costs = _rows(response, "costs")
    assert {r["fiscal_year"] for r in costs} == {2022, 2023, 2024}
    assert _row(costs, "架空市", "0086", 2023)["project_cost"] == 63900  # 予算額
    assert _row(costs, "架空市", "0086", 2023)["total_cost"] is None  # 人件費 is reported as 決算 only: no 予算 basis
    assert "is_estimate" not in response.context["panels"][0]["table"]["keys"]  # a 予算額 is neither
    per_unit = _rows(response, "per_unit")
    assert _row(per_unit, "架空市", "0086", 2023)["project_cost_per_unit_yen"] == 1452272.7  # 63,900,000 ÷ 44
    assert _row(per_unit, "架空市", "0086", 2023)["is_estimate"] == "確定"
    assert _row(per_unit, "架空市", "0086", 2024)["is_estimate"] == "見込み"  # its count (45 システム) is a 見込み


def test_unpublished_sheets_stay_hidden(client, kakuu):
    Sheet.objects.filter(program__municipality=kakuu).update(status=SheetStatus.DRAFT)
    response = client.get(URL, {"kind": "information_systems"})
    assert {p["municipality"] for p in response.context["programs"]} == {"荒川区"}


def test_each_csv_has_the_numbers_of_its_table(client, kakuu):
    params = {"kind": "information_systems"}
    page = client.get(URL, params)
    for panel in ("costs", "per_person", "per_unit", "achievement"):
        response = client.get(URL, {**params, "download": panel})
        assert response["Content-Type"].startswith("text/csv")
        assert f"evalsheets_compare_municipalities_{panel}.csv" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        table = next(p["table"] for p in page.context["panels"] if p["key"] == panel)
        assert rows[0] == table["headers"]
        assert rows[1:] == [["" if v is None else str(v) for v in row] for row in table["rows"]]
    per_person = client.get(URL, {**params, "download": "per_person"}).content.decode("utf-8-sig")
    assert "架空市,0086,情報システム運用管理,2023,確定,185000,331.8,468.0," in per_person
    assert "荒川区,03-04-01,業務系システム運用管理,2020,確定,,,,人口未登録" in per_person


def test_page_query_count_does_not_grow_with_more_sheets(client, kakuu):
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"kind": "information_systems"}).status_code == 200
    sheets = sheets_bulk_create(60, template_code="03-04-01")
    Program.objects.filter(sheets__in=sheets).update(kind=_kind("information_systems"), kind_source="admin")
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, {"kind": "information_systems"})
    # 63 programs of the kind: each municipality's largest, MAX_PROGRAMS (48) // 2 municipalities = 24 each
    assert response.context["capped"] and len(response.context["programs"]) == 25
    assert len(large) == len(small) <= 12


@pytest.mark.parametrize(
    "query",
    [
        "kind=nope",
        "kind=%00",
        "year_from=abc&year_to=2020",
        "year_from=2023&year_to=2020",
        "year_from=99999",
        "measure=%E6%B1%BA",
        "download=nope",
        "download=costs&kind=nope&year_from=x",
        "kind=parks",  # a kind without programs
    ],
)
def test_bad_parameters_never_fail(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200


def test_links_from_compare_and_from_the_overview_with_two_municipalities(client, kakuu):
    link = 'href="/compare/municipalities/"'
    assert link in client.get("/").content.decode()
    assert link in client.get("/compare/").content.decode()


def test_no_link_on_the_overview_with_one_municipality(client):
    assert 'href="/compare/municipalities/"' not in client.get("/").content.decode()


# --- analytics (no database) -------------------------------------------------------------------------------------


def _frames():
    sheets = pd.DataFrame(
        {
            "sheet_id": [1, 2],
            "sheet_fiscal_year": [2023, 2024],
            "code": ["999997:0001", "999997:0001"],
            "name": ["事業", "事業"],
            "municipality_id": [7, 7],
            "municipality_code": ["999997", "999997"],
            "municipality": ["架空市", "架空市"],
            "program_code": ["0001", "0001"],
        }
    )
    budget = pd.DataFrame(
        {
            "sheet_id": [1, 2, 2],
            "fiscal_year": [2023, 2023, 2024],
            "budget": [100, 100, 120],
            "settlement": [90, 95, 110],
            "settlement_is_estimate": [True, False, True],
        }
    ).astype({"budget": "Int64", "settlement": "Int64"})
    personnel = pd.DataFrame(
        {"sheet_id": [1, 2], "fiscal_year": [2023, 2023], "basis": ["estimate", "settlement"], "amount": [10, 12]}
    ).astype({"amount": "Int64"})
    populations = pd.DataFrame({"municipality_id": [7], "fiscal_year": [2023], "population": [1000]}).astype(
        {"population": "Int64"}
    )
    return budget, personnel, sheets, populations


def test_each_year_comes_from_the_newest_sheet_and_missing_stays_missing():
    frame = municipality_costs(*_frames(), measure="settlement")
    first, second = frame.to_dict("records")
    # 2023: the 2024 sheet's final 95 (+ its 人件費 12), not the 2023 sheet's estimate 90 (+ 10)
    assert (first["fiscal_year"], first["basis"], first["project_cost"], first["total_cost"]) == (2023, "settlement", 95, 107)
    assert first["project_cost_per_person_yen"] == 95.0 and first["total_cost_per_person_yen"] == 107.0
    # 2024: an estimate, marked; no 人件費 and no population: missing with notes, never 0
    assert (second["basis"], bool(second["is_estimate"]), second["project_cost"]) == ("estimate", True, 110)
    assert pd.isna(second["total_cost"]) and second["personnel_note"] == "人件費の記載なし"
    assert pd.isna(second["project_cost_per_person_yen"]) and second["population_note"] == "人口未登録"


def test_cost_chart_draws_each_figure_of_each_program_with_estimates_hollow():
    from programs import charts

    frame = municipality_costs(*_frames(), measure="settlement")
    fig = charts.municipality_costs(frame, cost="決算額")
    assert [trace.name for trace in fig.data] == ["架空市 0001 事業費", "架空市 0001 総事業費"]
    assert list(fig.data[0].x) == ["令和5年度", "令和6年度"]
    assert list(fig.data[0].marker.symbol) == ["circle", "circle-open"]  # 令和6年度 is a 見込み
    per_person = charts.municipality_per_person(frame)
    assert [[None if pd.isna(v) else float(v) for v in trace.y] for trace in per_person.data] == [[95.0, None], [107.0, None]]
