"""The per-sheet figures /sheets/ sorts by are stored (programs/figures.py): every write of a sheet keeps them as a
rebuild from scratch (`manage.py refresh_sheet_figures`) computes them."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from finance.models import BudgetYear
from indicators.models import IndicatorValue
from programs.choices import SheetStatus
from programs.interchange.serializer import sheet_document
from programs.models import Sheet
from programs.models.sheet import SHEET_FIGURE_FIELDS
from programs.revisions import sheet_restore, sheet_revisions
from programs.rollover import fiscal_year_start
from programs.services import sheet_upsert
from tests.factories import sheets_bulk_create
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def stored() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in Sheet.objects.order_by("pk").values_list("pk", *SHEET_FIGURE_FIELDS)}


def rebuilt() -> dict[int, tuple]:
    """Every figure wiped, then recomputed by the command."""
    Sheet.objects.update(**dict.fromkeys(SHEET_FIGURE_FIELDS))
    call_command("refresh_sheet_figures", "--batch-size", "7", stdout=io.StringIO())
    return stored()


def assert_rebuild_equals_incremental():
    incremental = stored()
    assert rebuilt() == incremental


def figures(code: str, fiscal_year: int = 2021) -> dict:
    return Sheet.objects.filter(program__code=code, fiscal_year=fiscal_year).values(*SHEET_FIGURE_FIELDS).get()


def test_seed_figures_are_stored_when_the_seed_is_loaded():
    assert figures("03-04-01")["max_unused"] == 58811
    assert figures("03-04-01")["max_unused_year"] == 2017
    assert round(figures("03-04-03")["min_execution_rate"], 1) == 74.5
    assert figures("03-04-03")["min_execution_rate_year"] == 2015
    own = BudgetYear.objects.get(sheet__program__code="03-04-04", sheet__fiscal_year=2021, fiscal_year=2021)
    assert figures("03-04-04")["own_budget"] == own.budget
    assert figures("03-04-01")["own_settlement_is_estimate"] is True
    assert figures("03-04-01")["latest_settled_year"] == 2020
    assert_rebuild_equals_incremental()


def test_stored_figures_are_not_in_the_sheets_history(sheet):
    history_fields = {f.name for f in Sheet.history.model._meta.fields}
    assert not history_fields & set(SHEET_FIGURE_FIELDS)


def test_an_admin_edit_of_a_budget_updates_the_figures(admin_client, draft_sheet):
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    key = next(k for k, v in data.items() if k.endswith("-fiscal_year") and "budget_years" in k and v == ["令和3年度"])
    data[key.replace("fiscal_year", "budget")] = ["1000"]
    assert admin_client.post(url, data).status_code == 302
    assert figures("03-04-01")["own_budget"] == 1000
    previous = BudgetYear.objects.get(sheet=draft_sheet, fiscal_year=2020).budget
    assert figures("03-04-01")["budget_change"] == 1000 - previous
    assert_rebuild_equals_incremental()


def test_an_import_updates_the_figures(seed_drafts, sheet):
    document = json.loads(json.dumps(sheet_document(sheet)))
    for row in document["budget_history"]:
        if row["fiscal_year"] == 2016:
            row["budget"], row["settlement"] = 1000, 10  # 執行率 1.0%: the lowest, 不用額 990
    for indicator in document["indicators"]:
        indicator["target"] = None  # no achievement without a target
    sheet_upsert(document=document)
    assert figures("03-04-01")["min_execution_rate"] == pytest.approx(1.0)
    assert figures("03-04-01")["min_execution_rate_year"] == 2016
    assert figures("03-04-01")["achievement"] is None
    assert_rebuild_equals_incremental()


def test_roll_over_computes_the_new_sheets_figures():
    report = fiscal_year_start(fiscal_year=2022)
    assert len(report.created) == 6
    new = figures("03-04-01", 2022)
    old = figures("03-04-01", 2021)
    assert new["max_unused"] == old["max_unused"]  # the same budget history, one year on
    assert new["own_budget"] != old["own_budget"] or new["previous_budget"] == old["own_budget"]
    assert_rebuild_equals_incremental()


def test_restore_recomputes_the_figures(admin_user, seed_drafts, sheet):
    before = figures("03-04-01")
    document = json.loads(json.dumps(sheet_document(sheet)))
    for row in document["budget_history"]:
        row["settlement_is_estimate"] = False
    sheet_upsert(document=document)
    assert figures("03-04-01") != before
    revisions = sheet_revisions(sheet)
    sheet_restore(sheet=sheet, history_id=revisions[1].history_id, user=admin_user)
    assert figures("03-04-01") == before
    assert_rebuild_equals_incremental()


def test_a_bulk_generated_set_rolled_over_and_edited_rebuilds_the_same(admin_client):
    sheets = sheets_bulk_create(40, template_code="03-04-04")
    IndicatorValue.objects.filter(indicator__sheet__in=sheets[:10]).delete()  # written behind the services' back
    call_command("refresh_sheet_figures", stdout=io.StringIO())
    fiscal_year_start(fiscal_year=2022, program_ids=[s.program_id for s in sheets])
    Sheet.objects.filter(pk=sheets[0].pk).update(status=SheetStatus.DRAFT)
    url = reverse("admin:programs_sheet_change", args=[sheets[0].pk])
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    key = next(k for k, v in data.items() if k.endswith("-fiscal_year") and "budget_years" in k and v == ["令和3年度"])
    data[key.replace("fiscal_year", "budget")] = ["7"]
    assert admin_client.post(url, data).status_code == 302
    assert Sheet.objects.get(pk=sheets[0].pk).own_budget == 7
    assert Sheet.objects.filter(fiscal_year=2022).count() == 40
    assert_rebuild_equals_incremental()


def test_a_budget_row_saved_on_its_own_admin_page_updates_the_figures(admin_client, draft_sheet):
    row = BudgetYear.objects.get(sheet=draft_sheet, fiscal_year=2021)
    url = reverse("admin:finance_budgetyear_change", args=[row.pk])
    data = form_data(admin_client.get(url).content.decode(), "budgetyear_form")
    data["budget"] = ["4321"]
    assert admin_client.post(url, data).status_code == 302
    assert figures("03-04-01")["own_budget"] == 4321
    assert_rebuild_equals_incremental()
