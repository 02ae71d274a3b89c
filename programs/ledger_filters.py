"""Filters of the 改善策 ledger (/improvements/), all in the URL so a list can be bookmarked and shared.

年度（まで） is not a plain filter: it decides which row is a trail's newest (the ledger as it stood in that year), so
the view gives it to ledger_selectors.ledger_rows before the other filters run."""

import django_filters
from django import forms
from django.db.models import Q

from evalsheets.lib.params import prohibit_control_characters
from evalsheets.lib.widgets import QuickSelect
from programs import ledger_selectors
from programs.choices import ImprovementStatus
from programs.filtersets import ALL, fiscal_year_choices, selected_id
from programs.models import Department, Improvement, Municipality, Section


class ImprovementFilterSet(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label="部",
        field_name="sheet__section__department",
        queryset=Department.objects.all(),
        widget=QuickSelect,
        empty_label=ALL,
    )
    section = django_filters.ModelChoiceFilter(
        label="課",
        field_name="sheet__section",
        queryset=Section.objects.select_related("department"),
        widget=QuickSelect,
        empty_label=ALL,
    )
    program = django_filters.CharFilter(
        label="事務事業コード",
        field_name="sheet__program__code",
        validators=[prohibit_control_characters],
        widget=forms.TextInput(attrs={"placeholder": "例: 03-04-01", "size": 10}),
    )
    status = django_filters.ChoiceFilter(label="状況", field_name="effective", choices=ImprovementStatus.choices, empty_label=ALL)
    year_from = django_filters.ChoiceFilter(
        label="年度（から）", field_name="sheet__fiscal_year", lookup_expr="gte", choices=[], empty_label=ALL
    )
    year_to = django_filters.ChoiceFilter(label="年度（まで）", method="as_of", choices=[], empty_label=ALL)
    promised_not_done = django_filters.BooleanFilter(
        label="約束したが完了報告なし", method="only_promised_not_done", widget=forms.CheckboxInput
    )
    done_indicator_fell = django_filters.BooleanFilter(
        label="完了したが指標が悪化", method="only_done_indicator_fell", widget=forms.CheckboxInput
    )

    class Meta:
        model = Improvement
        fields: list[str] = []

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data or {}
        for name, scope in (("department", "municipality"), ("section", "department__municipality")):
            select = self.filters[name]
            chosen = selected_id(data.get(name))
            select.queryset = select.queryset.filter(Q(**{scope: municipality}) | Q(pk=chosen if chosen is not None else -1))
        years = fiscal_year_choices(getattr(self.request, "user", None))
        for name in ("year_from", "year_to"):
            self.filters[name].extra["choices"] = years

    def as_of(self, queryset, name, value):
        return queryset  # applied by ledger_selectors.ledger_rows (see the module docstring)

    def only_promised_not_done(self, queryset, name, value):
        return ledger_selectors.promised_not_done(queryset) if value else queryset

    def only_done_indicator_fell(self, queryset, name, value):
        return ledger_selectors.done_indicator_fell(queryset) if value else queryset

    def year_to_value(self) -> int | None:
        """年度（まで） when valid (a year offered), else None."""
        if not self.form.is_valid():
            return None
        value = self.form.cleaned_data.get("year_to")
        return int(value) if value else None
