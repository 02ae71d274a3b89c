"""Indicator inlines of the sheet change page, with their yearly values nested.

Figures are typed and shown as printed (34,911 / 3.0); a figure with more decimals than its 小数桁数 is refused with
the field named (indicators/precision.py, the same rule as the import services)."""

from django import forms

from evalsheets.lib.admin import ChildStackedInline, ChildTabularInline
from evalsheets.lib.formatting import era_fiscal_year, printed_number
from evalsheets.lib.forms import NewlineNormalisingForm, PrintedNumberField
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue
from indicators.precision import precision_error


class PrintedFigureForm(NewlineNormalisingForm):
    """A form whose `figures` ({value field: decimals field}) are shown as printed and checked against their
    printed precision."""

    figures: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value_name, decimals_name in self.figures.items():
            if value_name not in self.fields:
                continue  # a read-only form
            old = self.fields[value_name]
            self.fields[value_name] = PrintedNumberField(
                label=old.label, required=old.required, max_digits=18, decimal_places=3, help_text=old.help_text
            )
            stored = getattr(self.instance, value_name)
            if stored is not None:
                self.initial[value_name] = printed_number(stored, getattr(self.instance, decimals_name) or 0)

    def figure_label(self, value_name: str) -> str:
        return str(self.fields[value_name].label)

    def clean(self):
        cleaned = super().clean()
        for value_name, decimals_name in self.figures.items():
            problem = precision_error(cleaned.get(value_name), cleaned.get(decimals_name))
            if problem:
                self.add_error(value_name, f"{self.figure_label(value_name)}: {problem}")
        return cleaned


def _owner_label(owner) -> str:
    """成果指標③ / 実績の推移「施設数」 for an error message; "" before the owner exists."""
    if owner is None or owner.pk is None:
        return ""
    if isinstance(owner, Indicator):
        return f"{owner.get_kind_display()}{owner.mark} "
    return f"実績の推移「{owner}」 "


class YearlyValueForm(PrintedFigureForm):
    figures = {"value": "decimals"}
    owner_field = ""

    def figure_label(self, value_name: str) -> str:
        owner = getattr(self.instance, f"{self.owner_field}_id", None) and getattr(self.instance, self.owner_field)
        year = self.cleaned_data.get("fiscal_year")
        return f"{_owner_label(owner)}{era_fiscal_year(year) if year else ''}の値".lstrip()


class IndicatorValueForm(YearlyValueForm):
    owner_field = "indicator"


class ActivityValueForm(YearlyValueForm):
    owner_field = "item"


class IndicatorForm(PrintedFigureForm):
    figures = {"target": "target_decimals"}

    class Meta:
        widgets = {"description": forms.Textarea({"rows": 3, "cols": 80})}

    def figure_label(self, value_name: str) -> str:
        return f"{_owner_label(self.instance)}目標値".lstrip()


class IndicatorValueInline(ChildTabularInline):
    model = IndicatorValue
    form = IndicatorValueForm
    fields = ["fiscal_year", "value", "decimals", "is_estimate"]


class IndicatorInline(ChildStackedInline):
    model = Indicator
    form = IndicatorForm
    fields = [
        ("kind", "number", "name", "unit"),
        "description",
        ("direction", "target", "target_decimals", "target_fiscal_year"),
    ]
    inlines = [IndicatorValueInline]


class ActivityValueInline(ChildTabularInline):
    model = ActivityValue
    form = ActivityValueForm
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
