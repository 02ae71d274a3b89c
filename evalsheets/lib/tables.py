"""Shared table base and export (NetBox keeps these in one place too)."""

import django_tables2 as tables
from django_tables2.export import TableExport

from evalsheets.lib import formatting
from evalsheets.lib.spreadsheet_safety import csv_text, xlsx_bytes


class BaseTable(tables.Table):
    """Every listed table: the form's table CSS, a scrolling container, empty text in Japanese."""

    class Meta:
        attrs = {"class": "form data-table"}
        template_name = "tables/table.html"
        empty_text = "条件に合うデータがありません。絞り込み条件を変えてください。"


class AmountColumn(tables.Column):
    """千円 with separators and ▲ for negatives; exports the plain integer."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return formatting.amount(value)

    def value(self, value):
        return value


class PercentColumn(tables.Column):
    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return formatting.percent(value)

    def value(self, value):
        return None if value is None else round(value, 1)


class BomTableExport(TableExport):
    """CSV as UTF-8 with a byte-order mark, so Excel opens Japanese text correctly; CSV and XLSX
    formula-safe (a text starting with = + - @ stays text: evalsheets.lib.spreadsheet_safety)."""

    def export(self):
        if self.format == self.CSV:
            return csv_text(self.dataset)
        if self.format == self.XLSX:
            return xlsx_bytes(self.dataset)
        return super().export()
