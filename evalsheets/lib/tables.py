"""Shared table base and export (NetBox keeps these in one place too)."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import django_tables2 as tables
from django.http import StreamingHttpResponse

from evalsheets.lib import formatting
from evalsheets.lib.spreadsheet_safety import csv_stream


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


@dataclass(frozen=True)
class ExportColumn:
    """One column of a streamed export: its header and the cell's value from one row of `.values()` (a dict).

    An export is a list of these, built once per table (no per-cell look-up of render/value methods): the
    cells are what django-tables2's as_values() gives for the same table (tests compare them)."""

    header: str
    value: Callable[[dict], object]


def empty_to_none(value):
    """A missing value as django-tables2 exports it: None and "" are None."""
    return None if value is None or value == "" else value


def plain(key: str) -> Callable[[dict], object]:
    return lambda row: empty_to_none(row[key])


def rounded(key: str, digits: int = 1) -> Callable[[dict], object]:
    """A percentage to one decimal (PercentColumn.value)."""
    return lambda row: None if row[key] is None else round(row[key], digits)


def export_columns(table_class: type[tables.Table], values: dict[str, Callable[[dict], object]]) -> list[ExportColumn]:
    """The export columns of `table_class`, in its Meta.sequence, each header its verbose_name; `values` names how each
    column's cell is read from a row (every column of the sequence needs one)."""
    sequence = table_class.Meta.sequence
    if set(values) != set(sequence):
        raise ValueError(f"export values do not match the table's columns: {sorted(set(values) ^ set(sequence))}")
    return [ExportColumn(str(table_class.base_columns[name].verbose_name), values[name]) for name in sequence]


def export_rows(columns: list[ExportColumn], rows: Iterable[dict]) -> Iterator[list]:
    """The header, then each row's cells."""
    yield [column.header for column in columns]
    for row in rows:
        yield [column.value(row) for column in columns]


def csv_streaming_response(rows: Iterable[list], *, filename: str) -> StreamingHttpResponse:
    """UTF-8 CSV with a byte-order mark (Excel opens Japanese text correctly), formula-safe, streamed as it is written."""
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
