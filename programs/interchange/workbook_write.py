"""Writing sheet documents as Excel worksheets laid out like the printed 事務事業分析シート.

Takes documents in either shape: the API's (programs.interchange.serializer.sheet_document, indicator values
as numbers with a "printed" text) or fixtures/FORMAT.md's (values as printed strings).
"""

import math
import unicodedata
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from evalsheets.lib.formatting import circled
from evalsheets.lib.numbers import NumberFormatError, parse_printed_number
from evalsheets.lib.spreadsheet_safety import xlsx_cell_protect
from evalsheets.lib.wareki import fiscal_year_label
from indicators.choices import KIND_ORDER, IndicatorKind
from programs.interchange import workbook_layout as L
from programs.profiles import DEFAULT_FORM, Form
from programs.sheet_fields import Block, Kind, fields_of, located

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
ANCHOR_FILL = PatternFill("solid", fgColor="DDEBF7")
FIRST_WIDTH, OTHER_WIDTH = 34, 14
LINE_HEIGHT = 15.0
# Rows printed even when empty, so a ward has room to write (more may be inserted).
MINIMUM_ROWS = {
    "sub_programs": 2,
    "history_events": 3,
    "indicators": 3,
    "activity": 3,
    "breakdown": 3,
    "issues": 3,
    "improvements": 3,
}


STYLE_NAMES = {"value": "シート値", "label": "シート項目名", "head": "シート表見出し", "anchor": "シート欄見出し"}


def _named_styles() -> list[NamedStyle]:
    """The four cell styles of the form (named styles: one registration per workbook, cheap per cell)."""
    return [
        NamedStyle(name=STYLE_NAMES["value"], border=BORDER, alignment=WRAP),
        NamedStyle(name=STYLE_NAMES["label"], border=BORDER, alignment=WRAP, font=BOLD, fill=LABEL_FILL),
        NamedStyle(name=STYLE_NAMES["head"], border=BORDER, alignment=CENTER, font=BOLD, fill=LABEL_FILL),
        NamedStyle(name=STYLE_NAMES["anchor"], border=BORDER, alignment=WRAP, font=BOLD, fill=ANCHOR_FILL),
    ]


def _register_styles(workbook) -> None:
    for style in _named_styles():
        if style.name not in workbook.named_styles:
            workbook.add_named_style(style)


class WorksheetCursor:
    """Writes one worksheet row by row (the next free row, cells, merged spans, drop-downs, row heights)."""

    def __init__(self, ws: Worksheet):
        _register_styles(ws.parent)
        self.ws = ws
        self.row = 1
        self.validations: dict[str, DataValidation] = {}

    def next(self, blank: int = 0) -> int:
        row = self.row
        self.row += 1 + blank
        return row

    def cell(self, row: int, column: int, value=None, *, fmt: str | None = None, style: str = "value", formula: bool = False):
        cell = self.ws.cell(row=row, column=column, value=None if value == "" else value)
        cell.style = STYLE_NAMES[style]
        if not formula:
            xlsx_cell_protect(cell)  # a text that starts with = + - @ stays text, never a formula
        if fmt:
            cell.number_format = fmt
        return cell

    def merged(self, row: int, first: int, last: int, value=None, *, fmt: str | None = None, style: str = "value"):
        """A value spanning columns first…last (only the first cell holds it; every cell keeps its border)."""
        cell = self.cell(row, first, value, fmt=fmt, style=style)
        for column in range(first + 1, last + 1):
            self.cell(row, column, style=style)
        if last > first:
            # Registering the range directly: Worksheet.merge_cells would re-style the edges (slow, and done above).
            self.ws.merged_cells.add(MergedCellRange(self.ws, f"{cell.coordinate}:{get_column_letter(last)}{row}"))
        return cell

    def validate(self, cell, options: list[str]) -> None:
        """A drop-down of the allowed values (blank allowed)."""
        formula = '"' + ",".join(options) + '"'
        if formula not in self.validations:
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.error = "一覧から選んでください"
            self.ws.add_data_validation(validation)
            self.validations[formula] = validation
        self.validations[formula].add(cell)

    def height(self, row: int, *texts_and_widths: tuple[str, float]) -> None:
        lines = max([_line_count(text, width) for text, width in texts_and_widths] + [1])
        if lines > 1:
            self.ws.row_dimensions[row].height = LINE_HEIGHT * lines


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line_count(text: str, width: float) -> int:
    if not text:
        return 1
    return sum(max(1, math.ceil(_display_width(line) / max(width, 1))) for line in str(text).split("\n"))


def _span_width(first: int, last: int) -> float:
    return sum(FIRST_WIDTH if column == 1 else OTHER_WIDTH for column in range(first, last + 1))


# ---------------------------------------------------------------------------------------------
# Values


def _year_label(year: int | None) -> str:
    return fiscal_year_label(year) if year else ""


def _printed(value) -> tuple[Decimal, int] | None:
    """An indicator/activity figure (API number + "printed", or a FORMAT.md string) → (value, decimals)."""
    if isinstance(value, dict):
        printed = value.get("printed")
        value = printed if printed not in (None, "", "—") else value.get("value")
    if value is None or value == "":
        return None
    try:
        return parse_printed_number(value)
    except NumberFormatError:
        return None


def _number_cell_value(number: Decimal, decimals: int) -> int | float:
    return float(number) if decimals else int(number)


# ---------------------------------------------------------------------------------------------
# Blocks


def _title(cursor: WorksheetCursor, fiscal_year: int) -> None:
    row = cursor.next(blank=1)
    cell = cursor.merged(row, 1, L.LAST_COLUMN, L.title_text(fiscal_year))
    cell.font = TITLE_FONT
    cursor.ws.row_dimensions[row].height = 24


def _field(cursor: WorksheetCursor, label: str, value, *, fmt: str | None = None, options: list[str] | None = None):
    row = cursor.next()
    cursor.cell(row, 1, label, style="label")
    cell = cursor.merged(row, 2, L.LAST_COLUMN, value, fmt=fmt)
    if options:
        cursor.validate(cell, options)
    cursor.height(row, (value if isinstance(value, str) else "", _span_width(2, L.LAST_COLUMN)))
    return cell


def _pair(cursor: WorksheetCursor, label: str, first: str, second: str) -> None:
    row = cursor.next()
    cursor.cell(row, 1, label, style="label")
    cursor.cell(row, 2, first, fmt=L.TEXT_FORMAT)
    cursor.merged(row, 3, L.LAST_COLUMN, second)


def _anchor(cursor: WorksheetCursor, label: str, note: str = "") -> None:
    row = cursor.next()
    cursor.cell(row, 1, label, style="anchor")
    for column in range(2, L.LAST_COLUMN + 1):
        cursor.cell(row, column, note if column == 2 else None, style="anchor")
    if note:
        cursor.ws.cell(row=row, column=2).font = Font(bold=False)


def _head_row(cursor: WorksheetCursor, spans: list[tuple[int, int, str]]) -> int:
    row = cursor.next()
    for first, last, text in spans:
        cursor.merged(row, first, last, text, style="head")
    return row


def _header(cursor: WorksheetCursor, doc: dict) -> None:
    municipality = doc.get("municipality") or {}
    row = cursor.next()
    cursor.cell(row, 1, L.MUNICIPALITY, style="label")
    for column, key in enumerate(("code", "name", "prefecture", "kind"), start=2):
        cursor.cell(row, column, municipality.get(key, ""), fmt=L.TEXT_FORMAT)
    _field(cursor, L.CODE, doc.get("code", ""), fmt=L.TEXT_FORMAT)
    _field(cursor, L.NAME, doc.get("name", ""))
    _pair(cursor, L.DEPARTMENT, doc.get("department", ""), doc.get("section", ""))
    _fields(cursor, doc, Block.HEAD)


def _fields(cursor: WorksheetCursor, doc: dict, *blocks: Block, form: Form = DEFAULT_FORM) -> None:
    """The declared simple fields of the blocks, one a row (programs.sheet_fields); 分類 offers `form`'s vocabulary."""
    for field in fields_of(*blocks):
        container, key = located(doc, field)
        value, fmt, options = container.get(key), None, None
        match field.kind:
            case Kind.CHOICE:
                value, options = value or "", list(field.choices.values)
            case Kind.VOCABULARY:
                value, options = value or "", form.values
            case Kind.FISCAL_YEAR:
                value = _year_label(value)
            case Kind.FLAG:
                value, options = ("有" if value else "無"), ["有", "無"]
            case Kind.COUNT:
                value = "" if value is None else value
            case Kind.NAMES | Kind.STAFF_KINDS:
                value = L.LIST_SEPARATOR.join(value or [])
            case _:
                value, fmt = value or "", L.TEXT_FORMAT if field.key in L.TEXT_CELLS else None
        _field(cursor, field.label, value, fmt=fmt, options=options)


def _texts(cursor: WorksheetCursor, doc: dict, *, form: Form) -> None:
    """その他の記載事項: the sheet's texts, then the profile's text fields it has not filled (to be written in)."""
    texts = list(doc.get("texts") or [])
    filled = {text.get("key") for text in texts}
    texts += [{"key": f.key, "label": f.label, "role": f.role, "text": ""} for f in form.text_fields if f.key not in filled]
    if not texts:
        return
    _anchor(cursor, L.TEXTS, "キーは英小文字・数字・_。内容が空の行は読み込みません")
    heads = L.TEXT_HEADS
    _head_row(cursor, [(1, 1, heads["key"]), (2, 2, heads["label"]), (3, 3, heads["role"]), (4, L.LAST_COLUMN, heads["text"])])
    for text in texts:
        row = cursor.next()
        cursor.cell(row, 1, text.get("key", ""), fmt=L.TEXT_FORMAT)
        cursor.cell(row, 2, text.get("label", ""))
        cursor.cell(row, 3, text.get("role", ""))
        cursor.merged(row, 4, L.LAST_COLUMN, text.get("text", ""))
        cursor.height(row, (text.get("text", ""), _span_width(4, L.LAST_COLUMN)))


def _sub_programs(cursor: WorksheetCursor, doc: dict) -> None:
    _anchor(cursor, L.SUB_PROGRAMS)
    _head_row(cursor, [(1, 1, L.SUB_PROGRAM_HEADS[0]), (2, L.LAST_COLUMN, L.SUB_PROGRAM_HEADS[1])])
    items = doc.get("sub_programs") or []
    for i in range(max(len(items), MINIMUM_ROWS["sub_programs"])):
        item = items[i] if i < len(items) else {}
        row = cursor.next()
        cursor.cell(row, 1, item.get("budget_code", ""), fmt=L.TEXT_FORMAT)
        cursor.merged(row, 2, L.LAST_COLUMN, item.get("name", ""))


def _plan(cursor: WorksheetCursor, doc: dict) -> None:
    _fields(cursor, doc, Block.PLAN)
    policy = doc.get("policy") or {}
    for label, key in L.POLICY_LEVELS:
        level = policy.get(key) or {}
        _pair(cursor, label, level.get("code", ""), level.get("name", ""))


def _history_events(cursor: WorksheetCursor, doc: dict) -> None:
    _anchor(cursor, L.HISTORY_EVENTS)
    heads = L.HISTORY_EVENT_HEADS
    _head_row(cursor, [(1, 1, heads[0]), (2, 2, heads[1]), (3, L.LAST_COLUMN, heads[2])])
    events = doc.get("history") or []
    for i in range(max(len(events), MINIMUM_ROWS["history_events"])):
        event = events[i] if i < len(events) else {}
        row = cursor.next()
        cursor.cell(row, 1, event.get("era_label", ""), fmt=L.TEXT_FORMAT)
        cursor.cell(row, 2, event.get("group", ""))
        cursor.merged(row, 3, L.LAST_COLUMN, event.get("text", ""))
        cursor.height(row, (event.get("text", ""), _span_width(3, L.LAST_COLUMN)), (event.get("group", ""), OTHER_WIDTH))


def _estimate_row(cursor: WorksheetCursor, year_columns: dict[int, int], estimates: set[int]) -> None:
    row = cursor.next()
    cursor.cell(row, 1, L.ESTIMATE_MARK, style="label")
    for year, column in year_columns.items():
        cursor.cell(row, column, L.ESTIMATE_MARK if year in estimates else None)


def _values_by_year(values: list[dict]) -> dict[int, tuple[Decimal, int]]:
    result = {}
    for value in values or []:
        printed = _printed(value)
        if printed is not None:
            result[value["fiscal_year"]] = printed
    return result


def _estimate_years(items: list[dict], fiscal_year: int) -> set[int]:
    """Years marked 見込み; with no figures yet, the evaluation year (the form's 3年度見込み)."""
    values = [v for item in items for v in item.get("values") or []]
    if not values:
        return {fiscal_year}
    return {v["fiscal_year"] for v in values if v.get("is_estimate")}


def _figure_cell(cursor: WorksheetCursor, row: int, column: int, figure: tuple[Decimal, int] | None) -> None:
    if figure is None:
        cursor.cell(row, column)  # General: a ward's 3.5 reads back as 3.5
        return
    number, decimals = figure
    cursor.cell(row, column, _number_cell_value(number, decimals), fmt=L.number_format(decimals))


def _years(doc: dict, kind: str, items: list[dict]) -> list[int]:
    years = {v["fiscal_year"] for item in items for v in item.get("values") or []}
    return sorted(years | set(L.year_span(doc["fiscal_year"], kind)))


def _indicator_years(doc: dict, items: list[dict]) -> list[int]:
    """The value years of the indicators; a form without any offers six years up to the evaluation year."""
    if any(item.get("values") for item in items):
        return _years(doc, "indicators", items)
    return list(range(doc["fiscal_year"] - L.BLANK_INDICATOR_YEARS + 1, doc["fiscal_year"] + 1))


def _indicator_rows(items: list[dict]) -> list[tuple[str, int, dict]]:
    """(kind, number, indicator) kind by kind; 成果指標 ①②③ always have a row (and every kind on a blank form)."""
    by_key = {(item.get("kind") or IndicatorKind.OUTCOME.value, item.get("number")): item for item in items}
    padded = list(IndicatorKind) if not items else [IndicatorKind.OUTCOME]
    keys = set(by_key) | {(kind.value, n) for kind in padded for n in (1, 2, 3)}
    ordered = sorted(keys, key=lambda k: (KIND_ORDER.get(k[0], len(KIND_ORDER)), k[1] is None, k[1] or 0))
    return [(kind, number, by_key.get((kind, number), {})) for kind, number in ordered]


def _indicators(cursor: WorksheetCursor, doc: dict) -> None:
    items = doc.get("indicators") or []
    years = _indicator_years(doc, items)
    heads = L.INDICATOR_HEADS
    _anchor(cursor, L.INDICATORS)
    spans = [(1, 1, L.HEAD_LABEL[L.INDICATORS]), (2, 2, L.INDICATOR_KIND_HEAD), (3, 3, heads["unit"])]
    spans += [(4, 4, heads["description"]), (5, 5, heads["direction"])]
    year_columns = {year: 6 + i for i, year in enumerate(years)}
    spans += [(column, column, fiscal_year_label(year)) for year, column in year_columns.items()]
    target_column = 6 + len(years)
    spans += [(target_column, target_column, heads["target"]), (target_column + 1, target_column + 1, heads["target_year"])]
    _head_row(cursor, spans)
    _estimate_row(cursor, year_columns, _estimate_years(items, doc["fiscal_year"]))
    for kind, number, item in _indicator_rows(items):
        _indicator_row(cursor, item, kind, number, year_columns, target_column)


def _indicator_row(
    cursor: WorksheetCursor, item: dict, kind: str, number: int, year_columns: dict[int, int], target_column: int
) -> None:
    row = cursor.next()
    mark = circled(number)
    mark += "" if mark != str(number) else " "  # past ⑳ a plain number, spaced from a name that starts with a digit
    cursor.cell(row, 1, mark + (item.get("name") or ""), style="label")
    kind_cell = cursor.cell(row, 2, L.INDICATOR_KIND_LABEL.get(kind, kind))
    cursor.validate(kind_cell, list(L.INDICATOR_KIND_LABEL.values()))
    cursor.cell(row, 3, item.get("unit", ""))
    cursor.cell(row, 4, item.get("description", ""))
    direction = cursor.cell(row, 5, L.DIRECTION_LABEL.get(item.get("direction") or "", ""))
    cursor.validate(direction, list(L.DIRECTION_LABEL.values()))
    values = _values_by_year(item.get("values"))
    for year, column in year_columns.items():
        _figure_cell(cursor, row, column, values.get(year))
    target = item.get("target_printed", item.get("target"))
    _figure_cell(cursor, row, target_column, _printed(target))
    cursor.cell(row, target_column + 1, _year_label(item.get("target_fiscal_year")))
    cursor.height(row, (item.get("name", ""), FIRST_WIDTH - 2), (item.get("description", ""), OTHER_WIDTH))


def _budget(cursor: WorksheetCursor, doc: dict) -> None:
    rows = {row["fiscal_year"]: row for row in doc.get("budget_history") or []}
    years = sorted(set(rows) | set(L.year_span(doc["fiscal_year"], "budget")))
    year_columns = {year: 2 + i for i, year in enumerate(years)}
    _anchor(cursor, L.BUDGET, "単位：千円")
    _head_row(cursor, [(1, 1, L.HEAD_LABEL[L.BUDGET])] + [(c, c, fiscal_year_label(y)) for y, c in year_columns.items()])
    amounts = {key: {y: rows.get(y, {}).get(key) for y in year_columns} for key in ("budget", "settlement")}
    budget_row = _amount_row(cursor, L.BUDGET_ROWS["budget"], amounts["budget"], year_columns)
    settlement_row = _amount_row(cursor, L.BUDGET_ROWS["settlement"], amounts["settlement"], year_columns)
    estimates = {y for y, r in rows.items() if r.get("settlement_is_estimate")} if rows else {doc["fiscal_year"]}
    _estimate_row(cursor, year_columns, estimates)
    _rate_row(cursor, year_columns, budget_row, settlement_row)


def _amount_row(cursor: WorksheetCursor, label: str, amounts: dict[int, int | None], year_columns: dict[int, int]) -> int:
    row = cursor.next()
    cursor.cell(row, 1, label, style="label")
    for year, column in year_columns.items():
        cursor.cell(row, column, amounts.get(year), fmt=L.AMOUNT_FORMAT)
    return row


def _rate_row(cursor: WorksheetCursor, year_columns: dict[int, int], budget_row: int, settlement_row: int) -> None:
    """執行率 = 決算額 ÷ 予算額, an Excel formula (computed, never read back)."""
    row = cursor.next()
    cursor.cell(row, 1, L.RATE_ROW, style="label")
    for column in year_columns.values():
        letter = get_column_letter(column)
        budget, settlement = f"{letter}{budget_row}", f"{letter}{settlement_row}"
        formula = f'=IF(AND(ISNUMBER({budget}),{budget}<>0,ISNUMBER({settlement})),{settlement}/{budget},"")'
        cursor.cell(row, column, formula, fmt=L.RATE_FORMAT, formula=True)


def _funding(cursor: WorksheetCursor, doc: dict) -> None:
    """財源内訳・人件費: one column per (year, 区分) reported, or the blank form's three; 人工/業務時間 as printed."""
    funding, personnel = doc.get("funding") or [], doc.get("personnel") or []
    by_key = {(row["fiscal_year"], row["basis"]): row for row in funding}
    people = {(row["fiscal_year"], row["basis"]): row for row in personnel}
    order = {basis: i for i, basis in enumerate(L.BASIS_LABEL)}
    keys = sorted(set(by_key) | set(people), key=lambda k: (k[0], order.get(k[1], 0))) or L.funding_columns(doc["fiscal_year"])
    columns = {key: 2 + i for i, key in enumerate(keys)}
    _anchor(cursor, L.FUNDING, "単位：千円（人工・業務時間を除く）。空欄は記載なし")
    _head_row(cursor, [(1, 1, L.HEAD_LABEL[L.FUNDING])] + [(c, c, fiscal_year_label(y)) for (y, _), c in columns.items()])
    row = cursor.next()
    cursor.cell(row, 1, L.FUNDING_BASIS_ROW, style="label")
    for (_, basis), column in columns.items():
        cursor.validate(cursor.cell(row, column, L.BASIS_LABEL.get(basis, basis)), list(L.BASIS_LABEL.values()))
    for source, label in L.FUNDING_ROWS.items():
        _amount_row(cursor, label, {key: by_key.get(key, {}).get(source) for key in columns}, columns)
    for key, label in L.PERSONNEL_ROWS.items():
        row = cursor.next()
        cursor.cell(row, 1, label, style="label")
        for column_key, column in columns.items():
            value = people.get(column_key, {}).get(key)
            if key == "amount":
                cursor.cell(row, column, value, fmt=L.AMOUNT_FORMAT)
            else:
                _figure_cell(cursor, row, column, _printed(value))


def _activity(cursor: WorksheetCursor, doc: dict) -> None:
    items = doc.get("activity") or []
    years = _years(doc, "activity", items)
    year_columns = {year: 4 + i for i, year in enumerate(years)}
    heads = L.ACTIVITY_HEADS
    _anchor(cursor, L.ACTIVITY)
    spans = [(1, 1, L.HEAD_LABEL[L.ACTIVITY]), (2, 2, heads["unit"]), (3, 3, heads["parent"])]
    _head_row(cursor, spans + [(c, c, fiscal_year_label(y)) for y, c in year_columns.items()])
    _estimate_row(cursor, year_columns, _estimate_years(items, doc["fiscal_year"]))
    for i in range(max(len(items), MINIMUM_ROWS["activity"])):
        item = items[i] if i < len(items) else {}
        row = cursor.next()
        cursor.cell(row, 1, item.get("name", ""), style="label")
        cursor.cell(row, 2, item.get("unit", ""))
        cursor.cell(row, 3, item.get("parent") or "")
        values = _values_by_year(item.get("values"))
        for year, column in year_columns.items():
            _figure_cell(cursor, row, column, values.get(year))
        cursor.height(row, (item.get("name", ""), FIRST_WIDTH - 2), (item.get("parent") or "", OTHER_WIDTH))


def _breakdown_groups(doc: dict) -> dict[tuple[int, str], list[dict]]:
    groups: dict[tuple[int, str], list[dict]] = {key: [] for key in L.breakdown_groups(doc["fiscal_year"])}
    for line in doc.get("budget_breakdown") or []:
        groups.setdefault((line["fiscal_year"], line["kind"]), []).append(line)
    kind_order = {"settlement": 0, "budget": 1}
    return dict(sorted(groups.items(), key=lambda item: (item[0][0], kind_order.get(item[0][1], 2))))


def _breakdown(cursor: WorksheetCursor, doc: dict) -> None:
    groups = _breakdown_groups(doc)
    _anchor(cursor, L.BREAKDOWN, "単位：千円")
    spans = [(1, 1, L.HEAD_LABEL[L.BREAKDOWN])]
    for i, (year, kind) in enumerate(groups):
        first = 2 + 3 * i
        spans.append((first, first + 2, f"{fiscal_year_label(year)} {L.BREAKDOWN_KIND_LABEL.get(kind, kind)}"))
    _head_row(cursor, spans)
    columns = [2 + 3 * i + j for i in range(len(groups)) for j in range(3)]
    subheads = [(column, column, L.BREAKDOWN_SUBHEADS[(column - 2) % 3]) for column in columns]
    _head_row(cursor, [(1, 1, ""), *subheads])
    lines = list(groups.values())
    for index in range(max([len(g) for g in lines] + [MINIMUM_ROWS["breakdown"]])):
        row = cursor.next()
        cursor.cell(row, 1)
        texts = []
        for i, group in enumerate(lines):
            line = group[index] if index < len(group) else {}
            first = 2 + 3 * i
            cursor.cell(row, first, line.get("expense_class", ""))
            cursor.cell(row, first + 1, line.get("description", ""))
            cursor.cell(row, first + 2, line.get("amount"), fmt=L.AMOUNT_FORMAT)
            texts += [(line.get("expense_class", ""), OTHER_WIDTH), (line.get("description", ""), OTHER_WIDTH)]
        cursor.height(row, *texts)


def _costs(cursor: WorksheetCursor, doc: dict) -> None:
    statements = {s["fiscal_year"]: s for s in doc.get("cost_statement") or []}
    years = sorted(set(statements) | set(L.cost_years(doc["fiscal_year"])))
    year_columns = {year: 2 + i for i, year in enumerate(years)}
    _anchor(cursor, L.COSTS, "単位：千円")
    _head_row(cursor, [(1, 1, L.HEAD_LABEL[L.COSTS])] + [(c, c, fiscal_year_label(y)) for y, c in year_columns.items()])
    amounts = {
        year: {line["account"]: line.get("amount") for line in statement.get("lines") or []}
        for year, statement in statements.items()
    }
    stated = {year: statement.get("stated_totals") or {} for year, statement in statements.items()}
    for kind, key in L.COST_ROWS:
        row = cursor.next()
        cursor.cell(row, 1, L.cost_row_label(kind, key), style="label" if kind == "total" else "value")
        source = amounts if kind == "account" else stated
        for year, column in year_columns.items():
            cursor.cell(row, column, source.get(year, {}).get(key), fmt=L.AMOUNT_FORMAT)


def _issues(cursor: WorksheetCursor, doc: dict) -> None:
    _anchor(cursor, L.ISSUES)
    _head_row(cursor, [(1, 1, L.HEAD_LABEL[L.ISSUES]), (2, L.LAST_COLUMN, L.ISSUE_HEAD)])
    by_number = {issue.get("number"): issue for issue in doc.get("issues") or []}
    for number in sorted(set(by_number) | {1, 2, 3}):
        text = by_number.get(number, {}).get("text", "")
        row = cursor.next()
        cursor.cell(row, 1, circled(number), style="label")
        cursor.merged(row, 2, L.LAST_COLUMN, text)
        cursor.height(row, (text, _span_width(2, L.LAST_COLUMN)))


IMPROVEMENT_SPANS = {"plan": (2, 4), "result": (5, 7), "next": (8, L.LAST_COLUMN)}


def _improvements(cursor: WorksheetCursor, doc: dict) -> None:
    heads = L.improvement_heads(doc["fiscal_year"])
    _anchor(cursor, L.IMPROVEMENTS)
    _head_row(cursor, [(1, 1, L.HEAD_LABEL[L.IMPROVEMENTS])] + [(*IMPROVEMENT_SPANS[k], heads[k]) for k in IMPROVEMENT_SPANS])
    by_number = {plan.get("number"): plan for plan in doc.get("improvements") or []}
    for number in sorted(set(by_number) | {1, 2, 3}):
        plan = by_number.get(number, {})
        row = cursor.next()
        cursor.cell(row, 1, circled(number), style="label")
        for key, (first, last) in IMPROVEMENT_SPANS.items():
            cursor.merged(row, first, last, plan.get(key, ""))
        cursor.height(row, *[(plan.get(key, ""), _span_width(*span)) for key, span in IMPROVEMENT_SPANS.items()])


def _other_wards(cursor: WorksheetCursor, doc: dict) -> None:
    wards = doc.get("other_wards") or {}
    _anchor(cursor, L.OTHER_WARDS)
    heads = dict(L.OTHER_WARDS_HEADS)
    spans = [(1, 1, heads["implemented"]), (2, 2, heads["not_implemented"]), (3, 3, heads["unknown"])]
    _head_row(cursor, [*spans, (4, L.LAST_COLUMN, heads["notes"])])
    row = cursor.next()
    for column, key in enumerate(("implemented", "not_implemented", "unknown"), start=1):
        cursor.cell(row, column, wards.get(key), fmt='#,##0"区"')
    cursor.merged(row, 4, L.LAST_COLUMN, wards.get("notes", ""))
    cursor.height(row, (wards.get("notes", ""), _span_width(4, L.LAST_COLUMN)))


def _page_setup(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = FIRST_WIDTH
    for column in range(2, L.LAST_COLUMN + 8):
        ws.column_dimensions[get_column_letter(column)].width = OTHER_WIDTH
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def worksheet_write(ws: Worksheet, doc: dict, *, form: Form = DEFAULT_FORM) -> None:
    """One sheet document as one worksheet, block by block in the printed form's order; `form` is the profile of the
    document's municipality (its 分類 vocabulary, its extra text fields)."""
    cursor = WorksheetCursor(ws)
    _title(cursor, doc["fiscal_year"])
    _header(cursor, doc)
    _sub_programs(cursor, doc)
    _plan(cursor, doc)
    _fields(cursor, doc, Block.OUTLINE)
    _history_events(cursor, doc)
    _fields(cursor, doc, Block.NECESSITY, Block.IMPLEMENTATION)
    _indicators(cursor, doc)
    _fields(cursor, doc, Block.CLASSIFICATION, form=form)
    _texts(cursor, doc, form=form)
    _budget(cursor, doc)
    _funding(cursor, doc)
    _activity(cursor, doc)
    _breakdown(cursor, doc)
    _costs(cursor, doc)
    _fields(cursor, doc, Block.REMARKS)
    _issues(cursor, doc)
    _improvements(cursor, doc)
    _other_wards(cursor, doc)
    _fields(cursor, doc, Block.COUNCIL)
    _page_setup(ws)
