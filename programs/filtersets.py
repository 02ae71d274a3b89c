"""Filters of the sheets table; every filter lives in the URL so a view can be bookmarked and shared."""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Model, Q
from django.http import QueryDict

from evalsheets.lib.formatting import era_fiscal_year
from evalsheets.lib.params import is_municipality_code, prohibit_control_characters
from evalsheets.lib.widgets import QuickSelect
from programs import choices
from programs.models import Department, Measure, Municipality, Policy, PolicyField, Section, Sheet
from programs.profiles import vocabulary_choices
from programs.search import search_sheets

ALL = "すべて"  # the empty choice of every select (not django's "---------")
HIERARCHY_HINT = "団体を選ぶと選べます"

# Each select of the policy hierarchy and the organisation, and how its options belong to a municipality.
HIERARCHY_SCOPES = {
    "field": "municipality",
    "policy": "field__municipality",
    "measure": "policy__field__municipality",
    "department": "municipality",
    "section": "department__municipality",
}


def selected_id(value) -> int | None:
    """A select's submitted id when it can be one (digits only), else None: the option is then not looked up."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10 else None


def fiscal_year_choices(viewer) -> list[tuple[int, str]]:
    """The evaluation years of the sheets `viewer` may see (a year of drafts only is not offered to the public)."""
    years = Sheet.objects.visible_to(viewer).order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
    return [(year, f"{era_fiscal_year(year)}（{year}）") for year in years]


class SheetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="キーワード",
        method="search",
        widget=forms.TextInput(attrs={"placeholder": "名称・コード・目的・内容・問題点"}),
        validators=[prohibit_control_characters],  # NUL too (CharField): the search never sees one
    )
    municipality = django_filters.ModelChoiceFilter(
        label="団体",
        field_name="program__municipality",
        to_field_name="code",
        queryset=Municipality.objects.all(),
        widget=QuickSelect,
        empty_label=ALL,
    )
    fiscal_year = django_filters.ChoiceFilter(label="年度", choices=[], widget=QuickSelect, empty_label=ALL)
    # the 分野/政策/施策/部/課 of the municipality listed (scope_hierarchy): a few dozen options, not every municipality's
    field = django_filters.ModelChoiceFilter(
        label="分野", field_name="measure__policy__field", queryset=PolicyField.objects.all(), widget=QuickSelect, empty_label=ALL
    )
    policy = django_filters.ModelChoiceFilter(
        label="政策", field_name="measure__policy", queryset=Policy.objects.all(), widget=QuickSelect, empty_label=ALL
    )
    measure = django_filters.ModelChoiceFilter(
        label="施策", queryset=Measure.objects.select_related("policy"), widget=QuickSelect, empty_label=ALL
    )
    department = django_filters.ModelChoiceFilter(
        label="部", field_name="section__department", queryset=Department.objects.all(), widget=QuickSelect, empty_label=ALL
    )
    section = django_filters.ModelChoiceFilter(
        label="課", queryset=Section.objects.select_related("department"), widget=QuickSelect, empty_label=ALL
    )
    # 分類: the vocabulary of the municipality listed (its form profile), every municipality's when all are listed
    classification = django_filters.ChoiceFilter(
        label="分類（当年度）", field_name="classification_current", choices=[], empty_label=ALL
    )
    classification_next = django_filters.ChoiceFilter(label="分類（翌年度）", choices=[], empty_label=ALL)
    business_type = django_filters.ChoiceFilter(label="事業の種類", choices=choices.BusinessType.choices, empty_label=ALL)
    implementation_standard = django_filters.ChoiceFilter(
        label="実施基準", choices=choices.ImplementationStandard.choices, empty_label=ALL
    )
    budget_min = django_filters.NumberFilter(label="予算額（千円）以上", field_name="own_budget", lookup_expr="gte", min_value=0)
    budget_max = django_filters.NumberFilter(label="予算額（千円）以下", field_name="own_budget", lookup_expr="lte", min_value=0)
    rate_below = django_filters.NumberFilter(
        label="執行率がこの%未満の年度がある", field_name="min_execution_rate", lookup_expr="lt", min_value=0, max_value=1000
    )

    class Meta:
        model = Sheet
        fields: list[str] = []

    def __init__(self, *args, municipality: Municipality | None = None, **kwargs):
        """`municipality`: the one listed (/m/<団体コード>/, ?municipality=, or the only one there is), whose 分野/政策/
        施策/部/課 the selects offer; None (several listed): they offer nothing but a value already chosen, with a
        hint to choose a 団体 first. A chosen value is always offered, so an old link such as ?measure=13 stays valid."""
        super().__init__(*args, **kwargs)
        self.scope_hierarchy(municipality)
        viewer = getattr(self.request, "user", None)  # no request: a logged-in export (every year it may see)
        self.filters["fiscal_year"].extra["choices"] = fiscal_year_choices(viewer)
        match = getattr(self.request, "resolver_match", None)
        code = (match.kwargs.get("municipality") if match else None) or (self.data or {}).get("municipality")
        vocabulary = vocabulary_choices(code if is_municipality_code(code or "") else None)
        for name in ("classification", "classification_next"):
            self.filters[name].extra["choices"] = vocabulary

    def scope_hierarchy(self, municipality: Municipality | None) -> None:
        data = self.data or {}
        for name, path in HIERARCHY_SCOPES.items():
            select = self.filters[name]
            chosen = selected_id(data.get(name))
            offered = Q(pk=chosen) if chosen is not None else Q(pk__in=[])
            if municipality is not None:
                offered |= Q(**{path: municipality})
            select.queryset = select.queryset.filter(offered)
            if municipality is None:
                select.extra["help_text"] = HIERARCHY_HINT

    def search(self, queryset, name, value):
        """Every word in the sheet's texts, in any width or kana, ranked (programs/search.py)."""
        return search_sheets(queryset, value)


def active_filters(filterset: SheetFilterSet, query: QueryDict) -> list[dict]:
    """The filters in use, as removable chips: label, the chosen value as the select shows it, and the URL without
    that filter (and without ?page=, which may not exist any more, or the form's empty fields)."""
    form = filterset.form
    cleaned = form.cleaned_data if form.is_valid() else {}
    chips = []
    for name, field in form.fields.items():
        raw = query.get(name, "")
        if raw == "":
            continue
        value = cleaned.get(name)
        if isinstance(value, Model):
            shown = str(value)
        elif getattr(field, "choices", None) and value not in (None, ""):
            shown = dict((str(key), label) for key, label in field.choices).get(str(value), raw)
        else:
            shown = raw
        rest = [(key, item) for key, items in query.lists() if key not in (name, "page") for item in items if item != ""]
        chips.append({"name": name, "label": field.label, "value": shown, "remove_url": f"?{urlencode(rest)}"})
    return chips
