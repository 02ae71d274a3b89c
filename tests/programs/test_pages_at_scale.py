"""The overview, roll-up, compare and program pages at scale (issue 13): the same queries for 6 sheets as for hundreds
in several municipalities, nothing per program beyond what is drawn, and cached aggregates that follow every edit."""

import copy
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import BudgetYear
from programs.choices import SheetStatus
from programs.models import Sheet
from programs.pages.overview import PROGRAM_ROWS
from programs.services import SEED_DIR, sheet_upsert
from tests.factories import published, sheets_bulk_create

pytestmark = pytest.mark.django_db

KAKUU = {"code": "999997", "name": "架空市", "prefecture": "架空県", "kind": "市"}
PAGES = [
    "/",
    "/m/131181/",
    "/rollup/",
    "/rollup/?measure=1",
    "/compare/",
    "/compare/?programs=03-04-01&programs=03-04-02",
    "/compare/municipalities/",
    "/programs/03-04-01/",
]


def _other_city_sheet(code: str = "03-04-01", fiscal_year: int = 2024) -> Sheet:
    doc = json.loads((SEED_DIR / f"{code}_2021.json").read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc) | {"municipality": dict(KAKUU), "fiscal_year": fiscal_year}
    doc["policy"]["field"]["name"] = "行財政運営"
    return published(sheet_upsert(document=doc)).sheet


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_query_counts_are_the_same_for_six_and_for_hundreds_of_sheets_in_several_municipalities(client, url):
    _other_city_sheet()
    small = _queries(client, url)
    sheets_bulk_create(150, template_code="03-04-05")
    sheets_bulk_create(30, template_code="03-04-02", prefix="91")
    _other_city_sheet("03-04-02")
    assert _queries(client, url) == small


def test_several_municipalities_get_one_summary_row_each_from_one_grouped_query(client):
    _other_city_sheet()
    sheets_bulk_create(40)
    response = client.get("/")
    rows = {row["municipality"].code: row for row in response.context["summary"]}
    assert rows["131181"]["headline"]["programs"] == 46 and rows["999997"]["headline"]["programs"] == 1
    assert (rows["131181"]["fiscal_year"], rows["999997"]["fiscal_year"]) == (2021, 2024)
    # the summary row is what the municipality's own overview shows
    full = client.get("/m/131181/").context["municipalities"][0]["headline"]
    assert rows["131181"]["headline"]["budget"] == full["budget"]
    assert rows["131181"]["headline"]["settled"] == full["settled"]


def test_the_program_table_is_capped_and_links_to_the_whole_year(client):
    sheets_bulk_create(PROGRAM_ROWS + 20)
    response = client.get("/")
    section = response.context["municipalities"][0]
    assert len(section["programs"]) == PROGRAM_ROWS and section["programs_capped"]
    assert section["headline"]["programs"] == PROGRAM_ROWS + 26  # the headline counts every program of the year
    assert [p["code"] for p in section["programs"]] == sorted(p["code"] for p in section["programs"])
    assert "?fiscal_year=2021&amp;municipality=131181" in response.content.decode()
    assert response.content.decode().count('id="table-overview-programs"') == 1


def test_the_roll_up_stops_at_measures_and_opens_one(client):
    sheets_bulk_create(50)
    nodes = client.get("/rollup/").context["nodes"]
    assert {n["level"] for n in nodes} == {"field", "policy", "measure"}
    assert nodes[0]["programs"] == 56
    measures = [n for n in nodes if n["level"] == "measure"]
    assert sum(m["programs"] for m in measures) == 56
    assert sum(m["budget"] for m in measures if m["budget"] == m["budget"]) == nodes[0]["budget"]
    measure_id = Sheet.objects.get(program__code="03-04-01").measure_id
    opened = client.get(f"/rollup/?measure={measure_id}").context["nodes"]
    programs = [n for n in opened if n["level"] == "program"]
    assert len(programs) == Sheet.objects.filter(measure_id=measure_id, fiscal_year=2021).count()
    assert all(n["parent"].endswith(f"/{measure_id}") for n in programs)
    assert client.get("/rollup/?measure=x%00").status_code == 200


def test_editing_a_sheet_changes_the_overview_and_compare_at_once(admin_client, draft_sheet):
    url = "/compare/?programs=03-04-01&measure=budget"
    before, compare_before = admin_client.get("/").context["headline"], admin_client.get(url).context["panels"]
    assert admin_client.get("/").context["headline"] == before  # served from the cache …
    doc = json.loads((SEED_DIR / "03-04-01_2021.json").read_text(encoding="utf-8"))
    own_year = next(row for row in doc["budget_history"] if row["fiscal_year"] == 2021)
    own_year["budget"] += 1000
    sheet_upsert(document=doc)  # … until the sheet is written (an import, as the admin's save: the same service)
    assert admin_client.get("/").context["headline"]["budget"] == before["budget"] + 1000
    compare_after = admin_client.get(url).context["panels"]
    budget_table = lambda panels: next(p["table"] for p in panels if p["key"] == "budget")  # noqa: E731
    assert budget_table(compare_after) != budget_table(compare_before)
    assert f"{own_year['budget']:,}" in admin_client.get(url).content.decode()


def test_a_part_saved_on_its_own_changes_the_comparison(client):
    url = "/compare/?programs=03-04-01&measure=budget"
    client.get(url)
    row = BudgetYear.objects.get(sheet__program__code="03-04-01", sheet__fiscal_year=2021, fiscal_year=2020)
    row.budget += 1000
    row.save()  # a post_save of any model of the data apps bumps the cache generation
    assert f"{row.budget:,}" in client.get(url).content.decode()


def test_a_status_change_and_a_bulk_update_change_what_anyone_sees(client, admin_client):
    assert client.get("/").context["headline"]["programs"] == 6
    sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)
    sheet.status = SheetStatus.DRAFT
    sheet.save(update_fields=["status"])
    assert client.get("/").context["headline"]["programs"] == 5  # visitors: published sheets only
    assert admin_client.get("/").context["headline"]["programs"] == 6  # staff: every sheet, cached apart
    Sheet.objects.update(status=SheetStatus.PUBLISHED)  # no signal: the sheets' fingerprint changes
    assert client.get("/").context["headline"]["programs"] == 6
    assert client.get("/rollup/").context["nodes"][0]["programs"] == 6


@pytest.mark.parametrize("url", ["/", "/rollup/", "/compare/?programs=03-04-01", "/compare/municipalities/"])
def test_a_cached_page_reads_only_what_decides_its_key(client, url):
    first = _queries(client, url)
    again = _queries(client, url)
    assert again < first  # the data version and the forms' choices, not the frames
    loads = ("finance_budgetyear", "indicators_indicatorvalue")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not any(table in q["sql"] and "programs_sheet" not in q["sql"] for q in queries for table in loads)


def test_compare_across_municipalities_compares_a_bounded_number_of_programs(client, monkeypatch):
    from programs.models import Program, ProgramKind
    from programs.pages import compare_municipalities

    _other_city_sheet()
    sheets_bulk_create(12, template_code="03-04-05")
    kind = ProgramKind.objects.order_by("position").first()
    Program.objects.update(kind=kind)
    monkeypatch.setattr(compare_municipalities, "MAX_PROGRAMS", 6)
    response = client.get(f"/compare/municipalities/?kind={kind.code}")
    programs = response.context["programs"]
    assert response.context["capped"] and len(programs) == 4  # 6 // 2 municipalities = 3 each, 架空市 has one
    arakawa = [p["program_code"] for p in programs if p["municipality_code"] == "131181"]
    assert arakawa == ["03-04-01", "03-04-02", "03-04-05"]  # the largest budgets of their newest sheets
    assert "計4事業（上限6）" in response.content.decode()


def test_the_overviews_findings_are_the_stored_findings_counted_in_sql(client):
    from programs.findings import findings_by_code, severity_counts
    from programs.models import Municipality, SheetFinding

    _other_city_sheet()
    arakawa = Municipality.objects.get(code="131181")
    stored = findings_by_code(viewer=None, municipality=arakawa, fiscal_year=2021)
    section = client.get("/m/131181/").context["municipalities"][0]
    assert section["findings"] == sum(len(found) for found in stored.values())
    assert {p["code"]: p["finding_counts"] for p in section["programs"]} == {
        code: severity_counts(found) for code, found in stored.items()
    }
    summary = {row["municipality"].code: row["findings"] for row in client.get("/").context["summary"]}
    assert summary == {
        "131181": section["findings"],
        "999997": SheetFinding.objects.filter(sheet__program__municipality__code="999997", sheet__fiscal_year=2024).count(),
    }
