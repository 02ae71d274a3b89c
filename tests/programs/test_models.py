import pytest
from django.db import IntegrityError, transaction

from finance.choices import ACCOUNT_BY_LABEL
from finance.models import BudgetYear, CostLine
from indicators.models import Indicator
from programs.models import Sheet

pytestmark = pytest.mark.django_db


def _copy(sheet: Sheet, **changes) -> Sheet:
    sheet.pk = None
    sheet.id = None
    sheet._state.adding = True
    for key, value in changes.items():
        setattr(sheet, key, value)
    sheet.save()
    return sheet


def test_duplicate_sheet_for_same_program_and_year_is_rejected(sheet):
    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(sheet)


def test_same_program_in_another_year_is_allowed(sheet):
    assert _copy(sheet, fiscal_year=2022).program_id == sheet.program_id


def test_two_budget_rows_for_the_same_year_are_rejected(sheet):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetYear.objects.create(sheet=sheet, fiscal_year=2021, budget=1, settlement=1)


def test_negative_budget_is_rejected(sheet):
    BudgetYear.objects.filter(sheet=sheet, fiscal_year=2015).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetYear.objects.create(sheet=sheet, fiscal_year=2015, budget=-1, settlement=0)


def test_negative_expense_line_is_rejected_but_financial_balance_may_be_negative(sheet):
    line = CostLine.objects.get(sheet=sheet, fiscal_year=2019, account=ACCOUNT_BY_LABEL["物件費"])
    line.amount = -5
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()
    financial = CostLine.objects.get(sheet=sheet, fiscal_year=2019, account=ACCOUNT_BY_LABEL["金融収支差額"])
    financial.amount = -5
    financial.save()


def test_indicator_numbers_are_positive_and_unique_within_their_kind(sheet):
    """Any number of indicators per kind (a 4th 成果指標, 活動指標 ①), but never number 0 or a kind's number twice."""
    Indicator.objects.create(sheet=sheet, number=4, name="x")
    Indicator.objects.create(sheet=sheet, kind="activity", number=1, name="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(sheet=sheet, kind="activity", number=1, name="z")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(sheet=sheet, number=0, name="z")


def test_end_year_requires_end_date(sheet):
    sheet.end_fiscal_year = 2030
    with pytest.raises(IntegrityError), transaction.atomic():
        sheet.save()


def test_execution_rate_is_settlement_over_budget(sheet):
    row = BudgetYear.objects.get(sheet=sheet, fiscal_year=2020)
    assert str(row.execution_rate) == "91.6"  # 468,557 / 511,414
    row.budget = 0
    assert row.execution_rate is None
