"""Base inlines for the child tables of the sheet's one-page admin (django-nested-admin).

Fiscal years are shown and typed as era years and 千円 amounts with separators (EraYearsAndAmounts).

Every child table normalises browser line breaks (forms.NewlineNormalisingForm) and shows no empty extra rows. A
child row may be added, changed or deleted exactly when its sheet may be changed (the sheet admin's
has_change_permission for that sheet: the workflow and the editor's 課 decide), whatever the child model's own
permissions say.
"""

import nested_admin
from django.core.validators import MinValueValidator
from django.db import models

from evalsheets.lib.fiscal_years import MIN_FISCAL_YEAR
from evalsheets.lib.forms import AmountField, AmountInput, EraFiscalYearField, EraFiscalYearInput, NewlineNormalisingForm


def is_fiscal_year_field(db_field) -> bool:
    """A field made by fiscal_year_field() (its lower bound is MIN_FISCAL_YEAR)."""
    return isinstance(db_field, models.PositiveSmallIntegerField) and any(
        isinstance(v, MinValueValidator) and v.limit_value == MIN_FISCAL_YEAR for v in db_field.validators
    )


class EraYearsAndAmounts:
    """Fiscal years typed and shown as era years (令和2年度), money (the 千円 BigIntegerFields) with separators."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_fiscal_year_field(db_field) and not db_field.choices:
            kwargs.update(form_class=EraFiscalYearField, widget=EraFiscalYearInput())
        elif isinstance(db_field, models.BigIntegerField) and not db_field.choices:
            kwargs.update(form_class=AmountField, widget=AmountInput())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ParentDecidesPermissions:
    def _parent_allows(self, request, obj) -> bool:
        if obj is None:
            return True
        parent = getattr(obj, "sheet", obj)  # a nested inline gets its own parent row (an indicator): its sheet decides
        parent_admin = self.admin_site._registry.get(type(parent))
        return parent_admin is None or parent_admin.has_change_permission(request, parent)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_allows(request, obj)


class ChildTabularInline(EraYearsAndAmounts, ParentDecidesPermissions, nested_admin.NestedTabularInline):
    form = NewlineNormalisingForm
    extra = 0


class ChildStackedInline(EraYearsAndAmounts, ParentDecidesPermissions, nested_admin.NestedStackedInline):
    form = NewlineNormalisingForm
    extra = 0
