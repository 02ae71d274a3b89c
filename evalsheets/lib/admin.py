"""Base inlines for the child tables of the sheet's one-page admin (django-nested-admin).

Fiscal years are shown and typed as era years and 千円 amounts with separators (EraYearsAndAmounts) — also where the
sheet is read-only (a published sheet, another 課's): its rows then show 令和2年度, 473,845 / ▲ 1,414 and indicator
figures to their printed decimals instead of Django's raw 2020 and 3.400.

Every child table normalises browser line breaks (forms.NewlineNormalisingForm) and shows no empty extra rows. A
child row may be added, changed or deleted exactly when its sheet may be changed (the sheet admin's
has_change_permission for that sheet: the workflow and the editor's 課 decide), whatever the child model's own
permissions say.
"""

from functools import cache

import nested_admin
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MinValueValidator
from django.db import models

from evalsheets.lib.fiscal_years import MIN_FISCAL_YEAR
from evalsheets.lib.formatting import amount, era_fiscal_year, printed_number
from evalsheets.lib.forms import AmountField, AmountInput, EraFiscalYearField, EraFiscalYearInput, NewlineNormalisingForm


def is_fiscal_year_field(db_field) -> bool:
    """A field made by fiscal_year_field() (its lower bound is MIN_FISCAL_YEAR)."""
    return isinstance(db_field, models.PositiveSmallIntegerField) and any(
        isinstance(v, MinValueValidator) and v.limit_value == MIN_FISCAL_YEAR for v in db_field.validators
    )


def _decimals_field(model, name: str) -> str | None:
    """The field holding how many decimals `name` is printed with (value → decimals, target → target_decimals)."""
    for candidate in ("decimals" if name == "value" else "", f"{name}_decimals"):
        try:
            if candidate and model._meta.get_field(candidate):
                return candidate
        except FieldDoesNotExist:
            continue
    return None


@cache
def readonly_display(model, name: str):
    """A read-only cell showing field `name` of `model` as the form prints it, or None for a field shown as stored.
    One callable per field (cached), as the admin looks read-only fields up by identity."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.choices:
        return None
    if is_fiscal_year_field(field):

        def show(obj):
            value = getattr(obj, name)
            return era_fiscal_year(value) if value else "-"

    elif isinstance(field, models.BigIntegerField):

        def show(obj):
            return amount(getattr(obj, name))

    elif isinstance(field, models.DecimalField) and (decimals := _decimals_field(model, name)):

        def show(obj):
            return printed_number(getattr(obj, name), getattr(obj, decimals) or 0)

    else:
        return None
    show.__name__ = name  # the cell's CSS class, as for the field itself
    return admin.display(description=field.verbose_name)(show)


def _shown(model, entry):
    """A fields entry (a name or a line of names) with each formatted field replaced by its read-only display."""
    if isinstance(entry, (list, tuple)):
        return tuple(_shown(model, name) for name in entry)
    return (readonly_display(model, entry) if isinstance(entry, str) else None) or entry


def _displays(fields) -> list:
    flat = [name for entry in fields for name in (entry if isinstance(entry, (list, tuple)) else [entry])]
    return [name for name in flat if callable(name)]


class EraYearsAndAmounts:
    """Fiscal years typed and shown as era years (令和2年度), money (the 千円 BigIntegerFields) with separators."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_fiscal_year_field(db_field) and not db_field.choices:
            kwargs.update(form_class=EraFiscalYearField, widget=EraFiscalYearInput())
        elif isinstance(db_field, models.BigIntegerField) and not db_field.choices:
            kwargs.update(form_class=AmountField, widget=AmountInput())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ReadonlyAsPrinted:
    """A child table of a sheet the viewer may not change shows its years, 千円 and indicator figures as the form prints
    them (readonly_display), not Django's raw 2020 and 3.400. For inlines with declared `fields`."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [_shown(self.model, entry) for entry in fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.has_change_permission(request, obj):
            return readonly
        shown = [_shown(self.model, entry) for entry in self.fields or ()]
        return readonly + [name for name in _displays(shown) if name not in readonly]


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


class ChildTabularInline(ReadonlyAsPrinted, EraYearsAndAmounts, ParentDecidesPermissions, nested_admin.NestedTabularInline):
    form = NewlineNormalisingForm
    extra = 0


class ChildStackedInline(ReadonlyAsPrinted, EraYearsAndAmounts, ParentDecidesPermissions, nested_admin.NestedStackedInline):
    form = NewlineNormalisingForm
    extra = 0
