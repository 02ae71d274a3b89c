"""Indicator inlines of the sheet change page, with their yearly values nested."""

from evalsheets.lib.admin import ChildStackedInline, ChildTabularInline
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue


class IndicatorValueInline(ChildTabularInline):
    model = IndicatorValue
    fields = ["fiscal_year", "value", "decimals", "is_estimate"]


class IndicatorInline(ChildStackedInline):
    model = Indicator
    fields = [
        ("kind", "number", "name", "unit"),
        "description",
        ("direction", "target", "target_decimals", "target_fiscal_year"),
    ]
    inlines = [IndicatorValueInline]


class ActivityValueInline(ChildTabularInline):
    model = ActivityValue
    fields = ["fiscal_year", "value", "decimals", "is_estimate"]


class ActivityItemInline(ChildStackedInline):
    model = ActivityItem
    fields = [("position", "name", "unit", "parent")]
    inlines = [ActivityValueInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            sheet_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = ActivityItem.objects.filter(sheet_id=sheet_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
