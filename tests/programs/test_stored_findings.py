"""Data-quality findings are stored when a sheet is written (programs.findings.sheet_findings_store) and read by the
pages with one query: the stored findings equal the recomputed ones after create, edit, import and roll-over."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.models import BudgetYear
from programs.findings import (
    finding_counts_by_sheet,
    findings_attach,
    findings_for_sheets,
    severity_counts,
    sheet_findings,
    sheet_findings_store,
    stored_findings,
    stored_findings_by_sheet,
)
from programs.interchange.serializer import sheet_document
from programs.models import Sheet, SheetFinding
from programs.rollover import fiscal_year_start
from programs.services import sheet_upsert
from tests.factories import sheets_bulk_create
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def assert_stored_equal_recomputed():
    ids = list(Sheet.objects.order_by("pk").values_list("pk", flat=True))
    recomputed = findings_for_sheets(ids)
    assert stored_findings_by_sheet(ids) == {pk: found for pk, found in recomputed.items() if found}
    counts = finding_counts_by_sheet(Sheet.objects.all())
    assert counts == {pk: severity_counts(found) for pk, found in recomputed.items() if found}


def test_the_seeds_findings_are_stored_as_computed(sheet):
    assert SheetFinding.objects.count() == 9  # the seed's findings (tests/programs/test_findings.py SEED_FINDINGS)
    fibre = Sheet.objects.get(program__code="03-04-04")
    assert [f.code for f in stored_findings(fibre)] == ["sub_item_exceeds_parent", "breakdown_vs_budget"]
    assert stored_findings(fibre) == sheet_findings(fibre)  # wording, figures, order
    assert_stored_equal_recomputed()


def test_an_import_stores_the_new_findings(seed_drafts, sheet):
    document = json.loads(json.dumps(sheet_document(sheet)))
    for row in document["budget_history"]:
        if row["fiscal_year"] == 2018:
            row["settlement"] = row["budget"] + 5
    sheet_upsert(document=document)
    assert "settlement_over_budget" in [f.code for f in stored_findings(sheet)]
    assert_stored_equal_recomputed()


def test_a_new_sheet_gets_its_findings_and_loses_them_when_corrected(seed_drafts, sheet):
    document = json.loads(json.dumps(sheet_document(sheet)))
    document["code"] = "99-01-01"
    for indicator in document["indicators"]:
        indicator["target"] = None
    new = sheet_upsert(document=document).sheet
    assert "indicator_without_target" in [f.code for f in stored_findings(new)]
    document["indicators"] = []
    sheet_upsert(document=document)
    assert "indicator_without_target" not in [f.code for f in stored_findings(new)]
    assert_stored_equal_recomputed()


def test_an_admin_edit_stores_the_findings(admin_client, draft_sheet):
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    key = next(
        k for k, v in data.items() if k.endswith("-fiscal_year") and "budget_years" in k and v == ["平成28年度"]
    )  # shown as printed
    data[key.replace("fiscal_year", "settlement")] = ["999999"]
    assert admin_client.post(url, data).status_code == 302
    assert "settlement_over_budget" in [f.code for f in stored_findings(draft_sheet)]
    assert_stored_equal_recomputed()


def test_roll_over_stores_the_new_sheets_findings():
    fiscal_year_start(fiscal_year=2022)
    new = Sheet.objects.filter(fiscal_year=2022)
    assert new.count() == 6
    assert SheetFinding.objects.filter(sheet__in=new).exists()
    assert_stored_equal_recomputed()


def test_a_bulk_set_rolled_over_then_rebuilt(capsys):
    sheets = sheets_bulk_create(60, template_code="03-04-04")
    fiscal_year_start(fiscal_year=2022, program_ids=[s.program_id for s in sheets[:30]])
    assert_stored_equal_recomputed()
    BudgetYear.objects.filter(sheet__in=sheets[:5], fiscal_year=2019).update(settlement=10**9)  # behind the services
    sheet_findings_store(s.pk for s in sheets[:5])
    assert_stored_equal_recomputed()
    before = stored_findings_by_sheet(Sheet.objects.all())
    SheetFinding.objects.all().delete()
    call_command("check_sheets", "--rebuild", "--code", "03-04-05", stdout=io.StringIO())
    assert stored_findings_by_sheet(Sheet.objects.all()) == before


def test_check_sheets_prints_the_stored_findings(capsys):
    out = io.StringIO()
    call_command("check_sheets", "--code", "03-04-04", stdout=out)
    assert "[警告] 実績の推移「光ファイバ」" in out.getvalue()
    assert "1 枚のシートを確認しました: エラー 0 件、警告 1 件、参考 1 件" in out.getvalue()


def test_the_sheet_page_shows_the_stored_findings_exactly(client):
    for sheet in Sheet.objects.select_related("program"):
        response = client.get(sheet.get_absolute_url())
        assert response.context["findings"] == sheet_findings(sheet)


def test_reading_stored_findings_is_one_query_whatever_the_number_of_sheets():
    sheets_bulk_create(100)
    everything = Sheet.objects.select_related("program")
    with CaptureQueriesContext(connection) as queries:
        attached = findings_attach(sheets=everything)
    assert len(queries) == 2  # the sheets, their stored findings
    assert sum(len(s.findings) for s in attached) == 9 + 100 * 2  # each copy of 03-04-01 has its two 内訳 notes
    with CaptureQueriesContext(connection) as queries:
        finding_counts_by_sheet(everything)
    assert len(queries) == 1
