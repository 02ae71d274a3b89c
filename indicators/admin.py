"""Indicator inlines of the sheet change page, with their yearly values nested."""

import nested_admin

from evalsheets.lib.forms import NewlineNormalisingForm
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue


class IndicatorValueInline(nested_admin.NestedTabularInline):
    form = NewlineNormalisingForm
    model = IndicatorValue
    extra = 0
    fields = ["fiscal_year", "value", "decimals", "is_estimate"]


class IndicatorInline(nested_admin.NestedStackedInline):
    form = NewlineNormalisingForm
    model = Indicator
    extra = 0
    fields = [
        ("number", "name", "unit"),
        "description",
        ("direction", "target", "target_decimals", "target_fiscal_year"),
    ]
    inlines = [IndicatorValueInline]


class ActivityValueInline(nested_admin.NestedTabularInline):
    form = NewlineNormalisingForm
    model = ActivityValue
    extra = 0
    fields = ["fiscal_year", "value", "decimals", "is_estimate"]


class ActivityItemInline(nested_admin.NestedStackedInline):
    form = NewlineNormalisingForm
    model = ActivityItem
    extra = 0
    fields = [("position", "name", "unit", "parent")]
    inlines = [ActivityValueInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            sheet_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = ActivityItem.objects.filter(sheet_id=sheet_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
