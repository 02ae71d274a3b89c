"""The sheets table of /sheets/: every numeric column sorted by the database (annotations)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from evalsheets.lib import formatting
from evalsheets.lib.tables import (
    AmountColumn,
    BaseTable,
    PercentColumn,
    computed,
    empty_to_none,
    export_columns,
    export_fields,
    export_rows,
    plain,
    rounded,
)
from evalsheets.lib.templatetags import rate
from programs import selectors
from programs.models import Sheet

# The column chooser (?cols=): the columns a reader may show, in the table's order (団体 is shown by the view while
# several municipalities are listed; 課 and 施策 are filters, and choosable). Exports always hold every column.
DEFAULT_COLUMNS = (
    "code",
    "name",
    "fiscal_year",
    "classification",
    "own_budget",
    "own_settlement",
    "latest_settled_settlement",
    "latest_execution_rate",
    "min_execution_rate",
    "cost_balance",
    "achievement",
)
# Headers on the page, short enough for two lines (the unit 千円 is stated once above the table); the full name is the
# header's title and the export's header.
PAGE_HEADERS = {
    "code": "コード",
    "classification": "分類（当年度→翌年度）",
    "own_budget": "予算額",
    "own_settlement": "決算額",
    "budget_change": "予算額 前年度比",
    "latest_settled_settlement": "決算額 最新確定年度",
    "latest_unused": "不用額 最新確定年度",
    "latest_execution_rate": "執行率 最新確定年度",
    "max_unused": "最大不用額 全年度",
    "min_execution_rate": "最低執行率 全年度",
    "cost_expense": "行政費用合計",
    "cost_balance": "行政収支差額",
    "achievement": "指標達成度 平均",
}
ALWAYS_SHOWN = ("code", "name")  # a row needs its code and name whatever is chosen
# On a phone: the columns that matter (code, name, the budget, settlement and rate); the rest behind 「すべての列」.
PHONE_COLUMNS = ("code", "name", "own_budget", "own_settlement", "latest_execution_rate")


def chosen_columns(values: list[str]) -> list[str]:
    """The columns of ?cols= (repeated, or comma separated), in the table's order: names that are no choosable column
    are ignored; nothing valid chosen gives DEFAULT_COLUMNS. Always with ALWAYS_SHOWN."""
    wanted = {part.strip() for value in values for part in value.split(",")}
    choosable = [name for name, _ in column_choices()]
    chosen = [name for name in choosable if name in wanted]
    if not chosen:
        return list(DEFAULT_COLUMNS)
    return [name for name in choosable if name in chosen or name in ALWAYS_SHOWN]


def column_choices() -> list[tuple[str, str]]:
    """(name, header) of every column a reader may choose, in the table's order (hidden-by-default detail columns such
    as 最新の確定決算の年度 stay in the exports only)."""
    return [
        (name, str(SheetTable.base_columns[name].verbose_name))
        for name in SheetTable.Meta.sequence
        if name != "municipality" and SheetTable.base_columns[name].visible
    ]


class SheetTable(BaseTable):
    municipality = tables.Column(
        "団体", accessor="program__municipality__name", order_by=("program__municipality__code", "program__code")
    )
    code = tables.Column("事務事業コード", accessor="program__code", order_by=("program__code", "program__municipality__code"))
    name = tables.Column("事務事業名", order_by=("name",), attrs={"td": {"class": "col-name"}})
    section = tables.Column("課", accessor="section__name", order_by=("section__name", "program__code"))
    fiscal_year = tables.Column("年度", order_by=("fiscal_year",))
    measure = tables.Column(
        "施策", accessor="measure__name", order_by=("measure__policy__field__code", "measure__policy__code", "measure__code")
    )
    classification = tables.Column(
        "分類（当年度→翌年度）",
        accessor="classification_current",
        order_by=("classification_current",),
        attrs={"td": {"class": "col-wrap"}},
    )
    own_budget = AmountColumn("予算額（千円）")
    budget_change = AmountColumn("予算額 前年度比")
    budget_change_rate = PercentColumn("予算額 前年度比（%）", visible=False)
    own_settlement = AmountColumn("決算額（千円）")
    own_settlement_is_estimate = tables.BooleanColumn(verbose_name="決算見込み", visible=False)
    latest_settled_year = tables.Column("最新の確定決算の年度", visible=False)
    latest_settled_budget = AmountColumn("予算額（最新の確定決算の年度）", visible=False)
    latest_settled_settlement = AmountColumn("決算額（最新の確定年度）")
    latest_unused = AmountColumn("不用額（最新の確定年度）")
    latest_execution_rate = PercentColumn("執行率（最新の確定年度）")
    max_unused = AmountColumn("最大不用額（全年度）")
    max_unused_year = tables.Column("最大不用額の年度", visible=False)
    min_execution_rate = PercentColumn("最低執行率（全年度）")
    min_execution_rate_year = tables.Column("最低執行率の年度", visible=False)
    cost_expense = AmountColumn("行政費用合計（千円）")
    cost_balance = AmountColumn("行政収支差額（千円）")
    achievement = PercentColumn("指標達成度（平均）")

    class Meta(BaseTable.Meta):
        model = Sheet
        fields = []
        sequence = [
            "municipality",
            "code",
            "name",
            "section",
            "fiscal_year",
            "measure",
            "classification",
            "own_budget",
            "own_settlement",
            "own_settlement_is_estimate",
            "budget_change",
            "budget_change_rate",
            "latest_settled_year",
            "latest_settled_budget",
            "latest_settled_settlement",
            "latest_unused",
            "latest_execution_rate",
            "max_unused",
            "max_unused_year",
            "min_execution_rate",
            "min_execution_rate_year",
            "cost_expense",
            "cost_balance",
            "achievement",
        ]
        order_by = ("-fiscal_year", "code")

    def show_only(self, names: list[str], *, municipality: bool) -> None:
        """Show `names` (chosen_columns), the 団体 column when `municipality`; mark the columns a phone hides until
        「すべての列」 (class col-more) and the code, which stays in view while the table scrolls (col-first)."""
        for name in self.columns.names():
            if name == "municipality":
                shown = municipality
            else:
                shown = name in names
            if shown:
                self.columns.show(name)
            else:
                self.columns.hide(name)
        for bound in self.columns:
            if bound.name in PAGE_HEADERS:
                bound.column.attrs = {**bound.column.attrs, "th": {**bound.column.attrs.get("th", {}), "title": bound.header}}
                bound.column.verbose_name = PAGE_HEADERS[bound.name]
            classes = ["col-first"] if bound.name == "code" else []
            if bound.name not in PHONE_COLUMNS:
                classes.append("col-more")
            if classes:
                for part in ("th", "td"):
                    attrs = dict(bound.column.attrs.get(part, {}))
                    attrs["class"] = " ".join([attrs.get("class", ""), *classes]).strip()
                    bound.column.attrs = {**bound.column.attrs, part: attrs}

    def render_code(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value_code(self, value):
        return value

    def value_name(self, value):
        return value

    def value_own_settlement_is_estimate(self, value):
        return "見込み" if value else ""

    def render_fiscal_year(self, value):
        return formatting.era_fiscal_year(value)

    def value_fiscal_year(self, value):
        return value

    def render_measure(self, value, record):
        url = reverse("programs:sheet_list", kwargs=record.program.municipality.url_kwargs()) + f"?measure={record.measure_id}"
        return format_html('<a href="{}">{} {}</a>', url, record.measure.code, value)

    def value_measure(self, value, record):
        return f"{record.measure.code} {value}"

    def render_classification(self, value, record):
        return f"{value or '—'} → {record.classification_next or '—'}"

    def value_own_settlement(self, value):
        return value

    def value_classification(self, value, record):
        return f"{value} → {record.classification_next}"

    def render_own_settlement(self, value, record):
        text = formatting.amount(value)
        return format_html('{}<span class="estimate-badge">見込み</span>', text) if record.own_settlement_is_estimate else text

    # Exports hold the plain figures: a render_ method would otherwise also be the export value (django-tables2).
    def value_budget_change(self, value):
        return value

    def value_latest_settled_settlement(self, value):
        return value

    def value_latest_execution_rate(self, value):
        return None if value is None else round(value, 1)

    def value_max_unused(self, value):
        return value

    def value_min_execution_rate(self, value):
        return None if value is None else round(value, 1)

    def render_budget_change(self, value, record):
        rate = formatting.signed_percent(record.budget_change_rate)
        return format_html('{}<br><span class="sub">{}</span>', formatting.amount(value), rate)

    def render_latest_settled_settlement(self, value, record):
        return format_html(
            '{}<br><span class="sub">{}</span>', formatting.amount(value), formatting.era_fiscal_year(record.latest_settled_year)
        )

    def render_latest_execution_rate(self, value):
        return rate(value)

    def render_max_unused(self, value, record):
        return format_html(
            '{}<br><span class="sub">{}</span>', formatting.amount(value), formatting.era_fiscal_year(record.max_unused_year)
        )

    def render_min_execution_rate(self, value, record):
        return format_html(
            '{}<br><span class="sub">{}</span>', rate(value), formatting.era_fiscal_year(record.min_execution_rate_year)
        )


def _measure(row: dict):
    return None if empty_to_none(row["measure__name"]) is None else f"{row['measure__code']} {row['measure__name']}"


def _classification(row: dict):
    current = row["classification_current"]
    return None if empty_to_none(current) is None else f"{current} → {row['classification_next']}"


# The CSV/XLSX export of SheetTable from rows of selectors.sheet_table_export_rows: the same cells as its value_
# methods and columns give (tests/programs/test_sheet_table.py compares them with as_values()). The columns are
# Meta.sequence; the fields the query reads are the ones named here (export_fields), nowhere else.
SHEET_EXPORT_COLUMNS = export_columns(
    SheetTable,
    {
        "municipality": plain("program__municipality__name"),
        "code": plain("program__code"),
        "name": plain("name"),
        "section": plain("section__name"),
        "fiscal_year": plain("fiscal_year"),
        "measure": computed(_measure, "measure__code", "measure__name"),
        "classification": computed(_classification, "classification_current", "classification_next"),
        "own_budget": plain("own_budget"),
        "own_settlement": plain("own_settlement"),
        "own_settlement_is_estimate": computed(
            lambda row: "見込み" if row["own_settlement_is_estimate"] else "", "own_settlement_is_estimate"
        ),
        "budget_change": plain("budget_change"),
        "budget_change_rate": rounded("budget_change_rate"),
        "latest_settled_year": plain("latest_settled_year"),
        "latest_settled_budget": plain("latest_settled_budget"),
        "latest_settled_settlement": plain("latest_settled_settlement"),
        "latest_unused": plain("latest_unused"),
        "latest_execution_rate": rounded("latest_execution_rate"),
        "max_unused": plain("max_unused"),
        "max_unused_year": plain("max_unused_year"),
        "min_execution_rate": rounded("min_execution_rate"),
        "min_execution_rate_year": plain("min_execution_rate_year"),
        "cost_expense": plain("cost_expense"),
        "cost_balance": plain("cost_balance"),
        "achievement": rounded("achievement"),
    },
)
SHEET_EXPORT_FIELDS = export_fields(SHEET_EXPORT_COLUMNS)


def sheet_export_rows(queryset):
    """The header and the cells of every row of a filtered, sorted selectors.sheet_table_queryset (CSV and XLSX)."""
    return export_rows(SHEET_EXPORT_COLUMNS, selectors.sheet_table_export_rows(queryset, fields=SHEET_EXPORT_FIELDS))
