"""Shared table base and export (NetBox keeps these in one place too)."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import django_tables2 as tables
from django.db import models
from django.http import StreamingHttpResponse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.utils import Accessor, AttributeDict, signature

from evalsheets.lib import formatting
from evalsheets.lib.spreadsheet_safety import csv_stream


class BaseTable(tables.Table):
    """Every listed table: the form's table CSS, a scrolling container, empty text in Japanese."""

    class Meta:
        attrs = {"class": "form data-table"}
        template_name = "tables/table.html"
        empty_text = "条件に合うデータがありません。絞り込み条件を変えてください。"

    def body_rows(self) -> list[SafeString]:
        """The <tr> of each row of the page, written in Python (templates/tables/table.html loops over them).

        The same cells as django-tables2's row template (the table's render_<name> or the column's render, the
        column's default for an empty value, get_<field>_display for a field with choices), but each column's
        accessor, render signature and <td> attributes are worked out once per table instead of once per cell:
        the row template's variable look-ups were most of /sheets/'s time (issue 13). Columns with a link
        transform fall back to django-tables2's own cell (tests/programs/test_sheet_table.py compares the two)."""
        renderers = [_CellRenderer(self, column) for column in self.columns]
        rows = []
        for index, row in enumerate(self.paginated_rows):
            cells = mark_safe("".join(renderer.cell(row) for renderer in renderers))
            rows.append(format_html('<tr class="{}">{}</tr>', "odd" if index % 2 else "even", cells))
        return rows


class _CellRenderer:
    """One column's cells for BaseTable.body_rows: what django-tables2 works out per cell, worked out once."""

    def __init__(self, table: tables.Table, bound_column):
        self.bound_column = bound_column
        self.name = bound_column.name
        self.accessor = Accessor(bound_column.accessor)
        self.render = bound_column.render
        self.arguments, catch_all = signature(self.render)
        self.catch_all = catch_all is not None
        self.empty_values = bound_column.column.empty_values
        self.default = bound_column.default
        self.fallback = bool(bound_column.link)
        self.display: str | None = None  # get_<field>_display, found from the first record
        self.display_checked = False
        self.td = AttributeDict(bound_column.attrs["td"]).as_html()
        self.table = table

    def _value(self, record):
        if not self.display_checked:
            self.display_checked = True
            penultimate, remainder = self.accessor.penultimate(record)
            if isinstance(penultimate, models.Model) and remainder:
                try:
                    field = self.accessor.get_field(record)
                except models.FieldDoesNotExist:
                    field = None
                if getattr(field, "choices", ()) and hasattr(penultimate, f"get_{remainder}_display"):
                    self.display = f"get_{remainder}_display"
        if self.display is not None:
            penultimate, _ = self.accessor.penultimate(record)
            return getattr(penultimate, self.display)()
        try:
            return self.accessor.resolve(record)
        except Exception:  # a missing link in the chain (django-tables2 shows the default too)
            return None

    def cell(self, row) -> str:
        if self.fallback:
            content = row.get_cell(self.name)
        else:
            value = self._value(row.record)
            if value in self.empty_values:
                content = self.default
            else:
                available = {"value": value, "record": row.record, "column": self.bound_column.column}
                available |= {"bound_column": self.bound_column, "bound_row": row, "table": self.table}
                if self.catch_all:
                    content = self.render(**available)
                elif all(argument in available for argument in self.arguments):
                    content = self.render(**{argument: available[argument] for argument in self.arguments})
                else:
                    content = None
        return format_html("<td {}>{}</td>", self.td, localize(content))  # as {{ cell }} in the row template


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


@dataclass(frozen=True)
class ExportColumn:
    """One column of a streamed export: its header and the cell's value from one row of `.values()` (a dict).

    An export is a list of these, built once per table (no per-cell look-up of render/value methods): the
    cells are what django-tables2's as_values() gives for the same table (tests compare them)."""

    header: str
    value: "CellValue"


@dataclass(frozen=True)
class CellValue:
    """How one export cell is read from a `.values()` row, and the fields it reads (the query asks for exactly these)."""

    fields: tuple[str, ...]
    read: Callable[[dict], object]

    def __call__(self, row: dict):
        return self.read(row)


def empty_to_none(value):
    """A missing value as django-tables2 exports it: None and "" are None."""
    return None if value is None or value == "" else value


def plain(key: str) -> CellValue:
    return CellValue((key,), lambda row: None if (value := row[key]) is None or value == "" else value)  # empty_to_none


def rounded(key: str, digits: int = 1) -> CellValue:
    """A percentage to one decimal (PercentColumn.value)."""
    return CellValue((key,), lambda row: None if row[key] is None else round(row[key], digits))


def computed(read: Callable[[dict], object], *fields: str) -> CellValue:
    """A cell made of several fields of the row."""
    return CellValue(fields, read)


def export_columns(table_class: type[tables.Table], values: dict[str, CellValue]) -> list[ExportColumn]:
    """The export columns of `table_class`, in its Meta.sequence, each header its verbose_name; `values` names how each
    column's cell is read from a row (every column of the sequence needs one)."""
    sequence = table_class.Meta.sequence
    if set(values) != set(sequence):
        raise ValueError(f"export values do not match the table's columns: {sorted(set(values) ^ set(sequence))}")
    return [ExportColumn(str(table_class.base_columns[name].verbose_name), values[name]) for name in sequence]


def export_fields(columns: list[ExportColumn]) -> list[str]:
    """The `.values()` fields an export of `columns` reads, each once, in column order."""
    return list(dict.fromkeys(field for column in columns for field in column.value.fields))


def export_rows(columns: list[ExportColumn], rows: Iterable[dict]) -> Iterator[list]:
    """The header, then each row's cells."""
    yield [column.header for column in columns]
    readers = [column.value.read for column in columns]  # a million cells at 46,000 rows: no per-cell indirection
    for row in rows:
        yield [read(row) for read in readers]


def csv_streaming_response(rows: Iterable[list], *, filename: str) -> StreamingHttpResponse:
    """UTF-8 CSV with a byte-order mark (Excel opens Japanese text correctly), formula-safe, streamed as it is written."""
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
