"""Reading worksheets written by programs.interchange.workbook_write (or filled in by a ward) back into documents.

Blocks are found by their Japanese label in column A, table columns by their head text, so rows
may be inserted anywhere. Every error names the file, the worksheet and the field:
`予算.xlsx / シート 03-04-01 / 予算・決算額等の推移 / 令和元年度 / 予算額: 「四百」は数値として読めません`.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import NoReturn

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from evalsheets.lib.formatting import CIRCLED_NUMBERS, circled, circled_value
from evalsheets.lib.numbers import NumberFormatError, parse_amount, parse_printed_number
from evalsheets.lib.wareki import WarekiError, era_of_year, era_year_number, fiscal_year_label, parse_era_date, parse_fiscal_year
from finance.choices import ACCOUNT_BY_LABEL, SIGNED_ACCOUNTS
from indicators.choices import IndicatorKind
from programs import choices
from programs.documents import DocumentError
from programs.interchange import workbook_layout as L
from programs.sheet_fields import Block, Kind, SheetField, fields_of, nested


class CellError(ValueError):
    """A malformed cell value; the reader adds where it is."""


# ---------------------------------------------------------------------------------------------
# Cell values


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def cell_amount(value, *, signed: bool = False) -> int | None:
    """An amount in 千円: 1234, "1,234", "▲ 1,414"; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"「{value}」は数値ではありません")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"「{value}」は千円単位の整数ではありません")
        value = int(value)
    try:
        amount = value if isinstance(value, int) else parse_amount(str(value))
    except NumberFormatError as exc:
        raise CellError(str(exc)) from None
    if amount < 0 and not signed:
        raise CellError(f"{amount} はマイナスにできません")
    return amount


def _own_decimals(value: float) -> int:
    if value.is_integer():
        return 0
    exponent = Decimal(repr(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def cell_figure(value, number_format: str | None) -> str | None:
    """An indicator/activity figure as printed, without separators: 3.0 in a "0.0" cell → "3.0"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"「{value}」は数値ではありません")
    if isinstance(value, str):
        try:
            number, decimals = parse_printed_number(value)
        except NumberFormatError as exc:
            raise CellError(str(exc)) from None
        return f"{number:.{decimals}f}"
    if not isinstance(value, int | float):
        raise CellError(f"「{value}」は数値ではありません")
    if number_format and "%" in number_format:
        raise CellError("パーセント書式のセルは読めません。書式を「数値」にして 46.0 のように入力してください")
    own = _own_decimals(float(value)) if isinstance(value, float) else 0
    decimals = max(L.format_decimals(number_format) or 0, own)
    number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    return f"{number:.{decimals}f}"


def cell_fiscal_year(value) -> int | None:
    """令和3年度, 2021年度 or 2021 → 2021; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    else:
        try:
            year = parse_fiscal_year(cell_text(value))
        except WarekiError as exc:
            raise CellError(str(exc)) from None
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise CellError(f"年度 {year} は {MIN_FISCAL_YEAR}〜{MAX_FISCAL_YEAR} の範囲外です")
    return year


def cell_choice(value, key: str) -> str:
    """The stored value of a choice; its printed label is accepted too (新規事業 → 新規)."""
    text = cell_text(value)
    if not text:
        return ""
    options = L.CHOICES[key]
    for option, label in options.choices:
        if L.normalise(text) in {L.normalise(option), L.normalise(str(label))}:
            return option
    raise CellError(f"「{text}」は選択肢（{'、'.join(str(label) for _, label in options.choices)}）にありません")


def cell_estimate(value) -> bool:
    if value is True:
        return True
    text = cell_text(value)
    if not text or value is False:
        return False
    if L.normalise(text).upper() in {L.normalise(mark).upper() for mark in L.ESTIMATE_TRUE}:
        return True
    raise CellError(f"「{text}」は見込みの印として読めません（見込みなら「{L.ESTIMATE_MARK}」、そうでなければ空欄）")


def cell_count(value) -> int | None:
    return cell_amount(value)


def cell_era_label(value) -> tuple[str, int | None, int | None]:
    """経過の年月: (label, year, month). Excel may have turned 令和3年4月 into a date; that is read back too."""
    if isinstance(value, datetime | date):
        label = f"{era_of_year(value.year).name}{era_year_number(value.year)}年{value.month}月"
        return label, value.year, value.month
    label = re.sub(r"\s+", "", cell_text(value))
    if not label:
        return "", None, None
    try:
        parsed = parse_era_date(label)
    except WarekiError as exc:
        raise CellError(f"{exc}（例: 令和3年4月、平成14年度）") from None
    return label, parsed.year, parsed.month


def split_list(value) -> list[str]:
    return [part.strip() for part in L.LIST_SPLIT.split(cell_text(value)) if part.strip()]


def mark_number(text: str) -> tuple[int | None, str]:
    """ "①システム…" → (1, "システム…"); "2" → (2, ""); "" → (None, "")."""
    match = re.match(rf"^\s*([{CIRCLED_NUMBERS}]|\d+)[\s.．:：)）]*(.*)$", text, re.S)
    if not match:
        return None, text.strip()
    mark = match[1]
    number = circled_value(mark) if mark in CIRCLED_NUMBERS else int(mark)
    return number, match[2].strip()


# ---------------------------------------------------------------------------------------------
# One worksheet


class Grid:
    """The non-empty cells of a worksheet (value and number format), read once; works on read-only worksheets.

    `rows` replaces ws.iter_rows() (the workbook reader passes them through its ReadBudget)."""

    def __init__(self, ws: Worksheet, rows: Iterable[tuple] | None = None):
        self.title = ws.title
        self.values: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        for row in ws.iter_rows() if rows is None else rows:
            for cell in row:
                if getattr(cell, "value", None) is None:
                    continue
                self.values[cell.row, cell.column] = cell.value
                self.formats[cell.row, cell.column] = cell.number_format
        self.max_row = max((r for r, _ in self.values), default=0)
        self.max_column = max((c for _, c in self.values), default=0)

    def is_blank(self) -> bool:
        return not any(cell_text(value) for value in self.values.values())

    def coordinate_of(self, text: str) -> str | None:
        """The cell ("C12") whose text is `text`, else the first that contains it (a ①-numbered name, a list of names)."""
        cells = sorted(self.values)
        for exact in (True, False):
            for row, column in cells:
                found = cell_text(self.values[row, column])
                if found == text if exact else text in found:
                    return f"{get_column_letter(column)}{row}"
        return None


class WorksheetReader:
    """One worksheet: its blocks (found by label) and the path of every field for errors."""

    def __init__(self, grid: Grid, *, file_name: str):
        self.grid = grid
        self.file_name = file_name
        self.anchors = self._anchors()
        self.anchor_rows = sorted(self.anchors.values())

    # -- locating ---------------------------------------------------------------------------

    def path(self, *parts: str) -> str:
        return " / ".join([self.file_name, f"シート {self.grid.title}", *parts])

    def fail(self, *parts: str, message: str) -> NoReturn:
        raise DocumentError(self.path(*parts), message)

    def read(self, parts: tuple[str, ...], convert: Callable, *args, **kwargs):
        try:
            return convert(*args, **kwargs)
        except CellError as exc:
            self.fail(*parts, message=str(exc))

    def value(self, row: int, column: int):
        return self.grid.values.get((row, column))

    def number_format(self, row: int, column: int) -> str | None:
        return self.grid.formats.get((row, column))

    def text(self, row: int, column: int) -> str:
        return cell_text(self.value(row, column))

    def _anchors(self) -> dict[str, int]:
        labels = {L.normalise(label): label for label in L.ANCHORS}
        found: dict[str, int] = {}
        for row in range(1, self.grid.max_row + 1):
            label = labels.get(L.normalise(self.text(row, 1)))
            if label is None:
                continue
            if label in found:
                self.fail(label, message=f"「{label}」が {found[label]} 行目と {row} 行目の2か所にあります")
            found[label] = row
        return found

    def anchor(self, label: str) -> int:
        if label not in self.anchors:
            self.fail(label, message=f"「{label}」の欄（A列の見出し）が見つかりません")
        return self.anchors[label]

    def block_end(self, label: str) -> int:
        start = self.anchor(label)
        later = [row for row in self.anchor_rows if row > start]
        return later[0] - 1 if later else self.grid.max_row

    def row_labeled(self, block: str, label: str, *, after: int | None = None) -> int:
        start = after or self.anchor(block)
        for row in range(start + 1, self.block_end(block) + 1):
            if L.normalise(self.text(row, 1)) == L.normalise(label):
                return row
        self.fail(block, label, message=f"「{label}」の行（A列）が見つかりません")

    def head_row(self, block: str) -> int:
        return self.row_labeled(block, L.HEAD_LABEL[block])

    def head_columns(
        self, block: str, row: int, *, key_of: Callable[[str], str | None], years: bool
    ) -> tuple[dict[str, int], dict[int, int]]:
        """Columns of a head row: {key: column} for the named heads, {year: column} for 令和3年度 …"""
        named: dict[str, int] = {}
        year_columns: dict[int, int] = {}
        for column in range(1, self.grid.max_column + 1):
            text = self.text(row, column)
            if not text:
                continue
            key = key_of(text)
            if key is None and column == 1 and L.normalise(text) == L.normalise(L.HEAD_LABEL[block]):
                key = "head"
            if key is not None:
                named.setdefault(key, column)
            elif years:
                where = (block, f"見出し {get_column_letter(column)}{row}")
                year = self.read(where, cell_fiscal_year, text)
                if year in year_columns:
                    self.fail(*where, message=f"{fiscal_year_label(year)} の列が2つあります")
                year_columns[year] = column
        return named, year_columns

    def require_columns(self, block: str, named: dict[str, int], heads: dict[str, str]) -> None:
        for key, label in heads.items():
            if key not in named:
                self.fail(block, label, message=f"列「{label}」（見出し行）が見つかりません")

    def is_empty(self, row: int) -> bool:
        return all(self.text(row, column) == "" for column in range(1, self.grid.max_column + 1))

    def data_rows(self, block: str, first: int, *, skip: set[int] = frozenset()) -> list[int]:
        return [row for row in range(first, self.block_end(block) + 1) if row not in skip and not self.is_empty(row)]

    # -- key-value fields -------------------------------------------------------------------

    def field(self, label: str, column: int = 2):
        return self.value(self.anchor(label), column)

    def field_text(self, label: str, *, column: int = 2, required: bool = False, parts: tuple[str, ...] = ()) -> str:
        text = cell_text(self.field(label, column))
        if required and not text:
            self.fail(label, *parts, message="必須項目が空です")
        return text

    def field_choice(self, label: str, key: str) -> str:
        return self.read((label,), cell_choice, self.field(label), key)

    def field_year(self, label: str) -> int | None:
        return self.read((label,), cell_fiscal_year, self.field(label))

    # -- the document -----------------------------------------------------------------------

    def fiscal_year(self) -> int:
        for row in range(1, min(self.grid.max_row, 10) + 1):
            text = self.text(row, 1)
            if L.normalise(text).startswith(L.TITLE_PREFIX):
                match = re.search(r"[（(](.+?)[）)]", text)
                if not match:
                    self.fail(f"表題「{text}」", message="評価年度（例: 事務事業分析シート（令和3年度））が読めません")
                return self.read((f"表題「{text}」",), cell_fiscal_year, match[1])
        self.fail("表題", message=f"A列の表題「{L.title_text(2021)}」のような見出しが見つかりません")

    def document(self) -> dict:
        fiscal_year = self.fiscal_year()
        return {
            "fiscal_year": fiscal_year,
            **self.header(),
            "sub_programs": self.sub_programs(),
            **self.plan(),
            "policy": self.policy(),
            **self.fields(Block.OUTLINE),
            "history": self.history_events(),
            **self.fields(Block.NECESSITY, Block.IMPLEMENTATION),
            "indicators": self.indicators(),
            **self.fields(Block.CLASSIFICATION),
            "texts": self.texts(),
            "budget_history": self.budget_history(),
            **self.funding_and_personnel(),
            "activity": self.activity(),
            "budget_breakdown": self.breakdown(),
            "cost_statement": self.cost_statement(),
            **self.fields(Block.REMARKS),
            "issues": self.issues(),
            "improvements": self.improvements(fiscal_year),
            "other_wards": self.other_wards(),
            **self.fields(Block.COUNCIL),
        }

    def municipality(self) -> dict:
        """The 団体 row (団体コード, 団体名, 都道府県, 区分): {} when absent or without a code (the default municipality)."""
        if L.MUNICIPALITY not in self.anchors or not self.field_text(L.MUNICIPALITY):
            return {}
        keys = ("code", "name", "prefecture", "kind")
        return {"municipality": {key: self.field_text(L.MUNICIPALITY, column=c) for c, key in enumerate(keys, start=2)}}

    def header(self) -> dict:
        return {
            **self.municipality(),
            "code": self.field_text(L.CODE, required=True),
            "name": self.field_text(L.NAME, required=True),
            "department": self.field_text(L.DEPARTMENT, required=True, parts=("部",)),
            "section": self.field_text(L.DEPARTMENT, column=3, required=True, parts=("課",)),
            **self.fields(Block.HEAD),
        }

    def plan(self) -> dict:
        result = self.fields(Block.PLAN)
        if result["end_fiscal_year"] and not result["has_end_date"]:
            self.fail("終期年度", message="終期設定が「無」なのに終期年度があります")
        return result

    def policy(self) -> dict:
        return {
            key: {
                "code": self.field_text(label, required=True, parts=("コード",)),
                "name": self.field_text(label, column=3),
            }
            for label, key in L.POLICY_LEVELS
        }

    def fields(self, *blocks: Block) -> dict:
        """The declared simple fields of the blocks (programs.sheet_fields), nested as the document nests them."""
        fields = fields_of(*blocks)
        values = {field.key: self.field_value(field) for field in fields}
        return nested(fields, lambda field: values[field.key])

    def field_value(self, field: SheetField):
        label = field.label
        match field.kind:
            case Kind.CHOICE:
                return self.field_choice(label, field.key)
            case Kind.FISCAL_YEAR:
                return self.field_year(label)
            case Kind.FLAG:
                text = self.field_text(label)
                if text not in L.HAS_END_DATE:
                    self.fail(label, message=f"「{text}」は「有」か「無」で入力してください")
                return L.HAS_END_DATE[text]
            case Kind.COUNT:
                return self.read((label,), cell_count, self.field(label))
            case Kind.NAMES:
                return split_list(self.field(label))
            case Kind.STAFF_KINDS:
                kinds = split_list(self.field(label))
                unknown = [kind for kind in kinds if kind not in choices.DirectStaffKind.values]
                if unknown:
                    allowed = "、".join(choices.DirectStaffKind.values)
                    self.fail(label, message=f"「{'、'.join(unknown)}」は選択肢（{allowed}）にありません")
                return kinds
        return self.field_text(label)

    # -- tables -----------------------------------------------------------------------------

    def exact_heads(self, block: str, heads: dict[str, str]) -> tuple[int, dict[str, int], dict[int, int]]:
        """Head row, its named and year columns; fails on a missing named column."""
        row = self.head_row(block)
        lookup = {L.normalise(label): key for key, label in heads.items()}
        named, years = self.head_columns(block, row, key_of=lambda text: lookup.get(L.normalise(text)), years=True)
        self.require_columns(block, named, heads)
        return row, named, years

    def simple_table(self, block: str, heads: dict[str, str]) -> tuple[dict[str, int], list[int]]:
        row = self.head_row(block)
        lookup = {L.normalise(label): key for key, label in heads.items()}
        named, _ = self.head_columns(block, row, key_of=lambda text: lookup.get(L.normalise(text)), years=False)
        self.require_columns(block, named, heads)
        return named, self.data_rows(block, row + 1)

    def texts(self) -> list[dict]:
        """その他の記載事項 → `texts`, in row order; a row whose 内容 is empty is left out; none without the block."""
        if L.TEXTS not in self.anchors:
            return []
        columns, rows = self.simple_table(L.TEXTS, L.TEXT_HEADS)
        texts = []
        for row in rows:
            text = {key: self.text(row, columns[key]) for key in L.TEXT_HEADS}
            if not text["text"]:
                continue
            if not text["key"]:
                self.fail(L.TEXTS, f"{row}行目", L.TEXT_HEADS["key"], message="必須項目が空です")
            texts.append(text)
        return texts

    def sub_programs(self) -> list[dict]:
        code_head, name_head = L.SUB_PROGRAM_HEADS
        columns, rows = self.simple_table(L.SUB_PROGRAMS, {"budget_code": code_head, "name": name_head})
        items = []
        for row in rows:
            code, name = self.text(row, columns["budget_code"]), self.text(row, columns["name"])
            if not code and not name:
                continue
            if not code:
                self.fail(L.SUB_PROGRAMS, f"{row}行目", code_head, message="必須項目が空です")
            items.append({"budget_code": code, "name": name})
        return items

    def history_events(self) -> list[dict]:
        date_head, group_head, text_head = L.HISTORY_EVENT_HEADS
        columns, rows = self.simple_table(L.HISTORY_EVENTS, {"date": date_head, "group": group_head, "text": text_head})
        events = []
        for row in rows:
            where = (L.HISTORY_EVENTS, f"{row}行目")
            label, year, month = self.read((*where, date_head), cell_era_label, self.value(row, columns["date"]))
            group, text = self.text(row, columns["group"]), self.text(row, columns["text"])
            if not (label or group or text):
                continue
            if not text:
                self.fail(*where, text_head, message="必須項目が空です")
            events.append({"era_label": label, "year": year, "month": month, "group": group, "text": text})
        return events

    def estimates(self, block: str, years: dict[int, int], head: int) -> tuple[int, dict[int, bool]]:
        row = self.row_labeled(block, L.ESTIMATE_MARK, after=head)
        flags = {
            year: self.read((block, fiscal_year_label(year), L.ESTIMATE_MARK), cell_estimate, self.value(row, column))
            for year, column in years.items()
        }
        return row, flags

    def figures(self, block: str, item: str, row: int, years: dict[int, int], flags: dict[int, bool]) -> list[dict]:
        values = []
        for year, column in sorted(years.items()):
            where = (block, item, fiscal_year_label(year))
            value = self.read(where, cell_figure, self.value(row, column), self.number_format(row, column))
            if value is not None:
                values.append({"fiscal_year": year, "value": value, "is_estimate": flags[year]})
        return values

    def indicators(self) -> list[dict]:
        """Every indicator row; 種別 is optional (a workbook from before kinds: every indicator is a 成果指標)."""
        heads = {"name": L.HEAD_LABEL[L.INDICATORS], **L.INDICATOR_HEADS}
        head = self.head_row(L.INDICATORS)
        lookup = {L.normalise(label): key for key, label in {**heads, "kind": L.INDICATOR_KIND_HEAD}.items()}
        named, years = self.head_columns(L.INDICATORS, head, key_of=lambda text: lookup.get(L.normalise(text)), years=True)
        self.require_columns(L.INDICATORS, named, heads)
        flag_row, flags = self.estimates(L.INDICATORS, years, head)
        items = []
        for row in self.data_rows(L.INDICATORS, head + 1, skip={flag_row}):
            item = self.indicator(row, named, years, flags)
            if item:
                items.append(item)
        return items

    def indicator_kind(self, row: int, column: int | None) -> str:
        """The row's 種別 (活動指標 / 対象指標 / 成果指標, value or label); 成果指標 when empty or without the column."""
        if column is None:
            return IndicatorKind.OUTCOME.value
        where = (L.INDICATORS, f"{row}行目", L.INDICATOR_KIND_HEAD)
        return self.read(where, cell_choice, self.value(row, column), "indicator_kind") or IndicatorKind.OUTCOME.value

    def indicator(self, row: int, named: dict[str, int], years: dict[int, int], flags: dict[int, bool]) -> dict | None:
        number, name = mark_number(self.text(row, named["name"]))
        kind = self.indicator_kind(row, named.get("kind"))
        mark = circled(number) if number else f"{row}行目"
        where = (L.INDICATORS, mark if kind == IndicatorKind.OUTCOME else f"{L.INDICATOR_KIND_LABEL[kind]}{mark}")
        # the 種別 cell is filled on every row of a blank form: it alone does not make a row an indicator
        others = [self.text(row, c) for key, c in named.items() if key not in ("name", "kind")]
        others += [self.text(row, c) for c in years.values()]
        if not name:
            if any(others):
                self.fail(*where, L.HEAD_LABEL[L.INDICATORS], message="指標名が空です")
            return None
        if number is None or number < 1:
            self.fail(*where, L.HEAD_LABEL[L.INDICATORS], message="指標名の前に番号（①②③…）を付けてください")
        target = (self.value(row, named["target"]), self.number_format(row, named["target"]))
        return {
            "kind": kind,
            "number": number,
            "name": name,
            "unit": self.text(row, named["unit"]),
            "description": self.text(row, named["description"]),
            "direction": self.read((*where, "方向"), cell_choice, self.value(row, named["direction"]), "direction"),
            "target": self.read((*where, "目標値"), cell_figure, *target),
            "target_fiscal_year": self.read((*where, "目標年度"), cell_fiscal_year, self.value(row, named["target_year"])),
            "values": self.figures(L.INDICATORS, where[1], row, years, flags),
        }

    def budget_history(self) -> list[dict]:
        head = self.head_row(L.BUDGET)
        _, years = self.head_columns(L.BUDGET, head, key_of=lambda text: None, years=True)
        rows = {key: self.row_labeled(L.BUDGET, label, after=head) for key, label in L.BUDGET_ROWS.items()}
        history = []
        for year, column in sorted(years.items()):
            label = fiscal_year_label(year)
            budget = self.read((L.BUDGET, label, L.BUDGET_ROWS["budget"]), cell_amount, self.value(rows["budget"], column))
            settlement = self.read(
                (L.BUDGET, label, L.BUDGET_ROWS["settlement"]), cell_amount, self.value(rows["settlement"], column)
            )
            estimate = self.read((L.BUDGET, label, L.ESTIMATE_MARK), cell_estimate, self.value(rows["estimate"], column))
            if budget is not None or settlement is not None:
                history.append(
                    {"fiscal_year": year, "budget": budget, "settlement": settlement, "settlement_is_estimate": estimate}
                )
        return history

    def funding_and_personnel(self) -> dict:
        """財源内訳・人件費 → the `funding` and `personnel` lists; none when the block is absent (an older workbook) or
        a column is empty. A blank cell is not reported (never 0)."""
        if L.FUNDING not in self.anchors:
            return {"funding": [], "personnel": []}
        head = self.head_row(L.FUNDING)
        basis_row = self.row_labeled(L.FUNDING, L.FUNDING_BASIS_ROW, after=head)
        labels = {L.normalise(label): key for key, label in L.FUNDING_ROWS.items()}
        labels |= {L.normalise(label): key for label, key in L.FUNDING_ROW_ALIASES.items()}
        labels |= {L.normalise(label): key for key, label in L.PERSONNEL_ROWS.items()}
        rows = {}
        for row in range(basis_row + 1, self.block_end(L.FUNDING) + 1):
            key = labels.get(L.normalise(self.text(row, 1)))
            if key is not None:
                rows.setdefault(key, row)
        funding, personnel, seen = [], [], set()
        for column in range(2, self.grid.max_column + 1):
            heading = self.text(head, column)
            if not heading:
                continue
            where = (L.FUNDING, f"見出し {get_column_letter(column)}{head}")
            year = self.read(where, cell_fiscal_year, heading)
            basis = L.BASIS_BY_LABEL.get(L.normalise(self.text(basis_row, column)))
            if basis is None:
                allowed = "、".join(L.BASIS_LABEL.values())
                self.fail(L.FUNDING, fiscal_year_label(year), L.FUNDING_BASIS_ROW, message=f"区分は {allowed} のどれかです")
            if (year, basis) in seen:
                self.fail(*where, message=f"{fiscal_year_label(year)}（{L.BASIS_LABEL[basis]}）の列が2つあります")
            seen.add((year, basis))
            sources, people = self.funding_column(rows, column, year, basis)
            if any(value is not None for value in sources.values()):
                funding.append({"fiscal_year": year, "basis": basis, **sources})
            if any(value is not None for value in people.values()):
                personnel.append({"fiscal_year": year, "basis": basis, **people})
        return {"funding": funding, "personnel": personnel}

    def funding_column(self, rows: dict[str, int], column: int, year: int, basis: str) -> tuple[dict, dict]:
        """One (year, 区分) column of 財源内訳・人件費: its sources (千円) and its 人工, 業務時間 (as printed), 人件費."""
        where = (L.FUNDING, f"{fiscal_year_label(year)}（{L.BASIS_LABEL[basis]}）")

        def cell(key: str, label: str, convert: Callable):
            row = rows.get(key)
            if row is None:
                return None
            if convert is cell_figure:
                return self.read((*where, label), cell_figure, self.value(row, column), self.number_format(row, column))
            return self.read((*where, label), convert, self.value(row, column))

        sources = {key: cell(key, label, cell_amount) for key, label in L.FUNDING_ROWS.items()}
        people = {
            "persons": cell("persons", L.PERSONNEL_ROWS["persons"], cell_figure),
            "hours": cell("hours", L.PERSONNEL_ROWS["hours"], cell_figure),
            "amount": cell("amount", L.PERSONNEL_ROWS["amount"], cell_amount),
        }
        return sources, people

    def activity(self) -> list[dict]:
        heads = {"name": L.HEAD_LABEL[L.ACTIVITY], **L.ACTIVITY_HEADS}
        head, named, years = self.exact_heads(L.ACTIVITY, heads)
        flag_row, flags = self.estimates(L.ACTIVITY, years, head)
        items = []
        for row in self.data_rows(L.ACTIVITY, head + 1, skip={flag_row}):
            name = self.text(row, named["name"])
            if not name:
                self.fail(L.ACTIVITY, f"{row}行目", heads["name"], message="事項名が空です")
            items.append(
                {
                    "name": name,
                    "unit": self.text(row, named["unit"]),
                    "parent": self.text(row, named["parent"]) or None,
                    "values": self.figures(L.ACTIVITY, name, row, years, flags),
                }
            )
        return items

    def breakdown_groups(self, head: int) -> list[tuple[int, str, int]]:
        """(fiscal_year, kind, first column) of each 3-column group: 令和元年度 決算 | 令和2年度 決算 | 令和3年度 予算."""
        groups = []
        for column in range(2, self.grid.max_column + 1):
            text = self.text(head, column)
            if not text:
                continue
            where = (L.BREAKDOWN, f"見出し {get_column_letter(column)}{head}")
            match = re.fullmatch(r"(.+?)\s*[（(]?\s*(決算|予算)\s*[）)]?", text)
            if not match:
                self.fail(*where, message=f"「{text}」は「令和元年度 決算」の形で読めません")
            year = self.read(where, cell_fiscal_year, match[1])
            groups.append((year, L.BREAKDOWN_KIND_BY_LABEL[match[2]], column))
        for year, kind, column in groups:
            for offset, sub in enumerate(L.BREAKDOWN_SUBHEADS):
                if L.normalise(self.text(head + 1, column + offset)) != sub:
                    group = f"{fiscal_year_label(year)} {L.BREAKDOWN_KIND_LABEL[kind]}"
                    cell = f"{get_column_letter(column + offset)}{head + 1}"
                    self.fail(L.BREAKDOWN, group, sub, message=f"列「{sub}」（{cell}）が見つかりません")
        return groups

    def breakdown(self) -> list[dict]:
        head = self.head_row(L.BREAKDOWN)
        groups = self.breakdown_groups(head)
        rows = self.data_rows(L.BREAKDOWN, head + 2)
        lines = []
        for year, kind, column in groups:
            group = f"{fiscal_year_label(year)} {L.BREAKDOWN_KIND_LABEL[kind]}"
            for row in rows:
                expense_class, description = self.text(row, column), self.text(row, column + 1)
                where = (L.BREAKDOWN, group, f"{row}行目")
                amount = self.read((*where, "金額"), cell_amount, self.value(row, column + 2))
                if not expense_class and not description and amount is None:
                    continue
                if not expense_class:
                    self.fail(*where, "費目", message="必須項目が空です")
                if amount is None:
                    self.fail(*where, "金額", message="必須項目が空です")
                lines.append(
                    {
                        "fiscal_year": year,
                        "kind": kind,
                        "expense_class": expense_class,
                        "description": description,
                        "amount": amount,
                    }
                )
        return lines

    def cost_rows(self, head: int) -> dict[str, int]:
        labels = {L.normalise(L.cost_row_label(kind, key)): L.cost_row_label(kind, key) for kind, key in L.COST_ROWS}
        found: dict[str, int] = {}
        for row in range(head + 1, self.block_end(L.COSTS) + 1):
            text = self.text(row, 1)
            if not text:
                continue
            label = labels.get(L.normalise(text))
            if label is None:
                self.fail(L.COSTS, text, message=f"「{text}」は勘定科目にありません")
            if label in found:
                self.fail(L.COSTS, label, message=f"「{label}」の行が2つあります")
            found[label] = row
        for kind, key in L.COST_ROWS:
            if kind == "account" and key not in found:
                self.fail(L.COSTS, key, message=f"「{key}」の行（A列）が見つかりません")
        return found

    def cost_statement(self) -> list[dict]:
        head = self.head_row(L.COSTS)
        _, years = self.head_columns(L.COSTS, head, key_of=lambda text: None, years=True)
        rows = self.cost_rows(head)
        statements = []
        for year, column in sorted(years.items()):
            lines, stated = [], {}
            for kind, key in L.COST_ROWS:
                label = L.cost_row_label(kind, key)
                if label not in rows:
                    continue
                signed = kind == "total" or ACCOUNT_BY_LABEL.get(key) in SIGNED_ACCOUNTS
                where = (L.COSTS, fiscal_year_label(year), label)
                amount = self.read(where, cell_amount, self.value(rows[label], column), signed=signed)
                if amount is None:
                    continue
                if kind == "account":
                    lines.append({"account": key, "amount": amount})
                else:
                    stated[key] = amount
            if lines or stated:
                statements.append({"fiscal_year": year, "lines": lines, "stated_totals": stated})
        return statements

    def issues(self) -> list[dict]:
        columns, rows = self.simple_table(L.ISSUES, {"number": L.HEAD_LABEL[L.ISSUES], "text": L.ISSUE_HEAD})
        issues = []
        for row in rows:
            text = self.text(row, columns["text"])
            if not text:
                continue
            number, _ = mark_number(self.text(row, columns["number"]))
            if number is None:
                self.fail(L.ISSUES, f"{row}行目", "番号", message="番号（①②③）がありません")
            issues.append({"number": number, "text": text})
        return issues

    def improvements(self, fiscal_year: int) -> list[dict]:
        block = L.IMPROVEMENTS
        row = self.head_row(block)
        named, _ = self.head_columns(
            block, row, key_of=lambda text: "number" if text == L.HEAD_LABEL[block] else L.improvement_key(text), years=False
        )
        self.require_columns(block, named, {"number": L.HEAD_LABEL[block], **L.improvement_heads(fiscal_year)})
        plans = []
        for data_row in self.data_rows(block, row + 1):
            texts = {key: self.text(data_row, named[key]) for key in ("plan", "result", "next")}
            if not any(texts.values()):
                continue
            number, _ = mark_number(self.text(data_row, named["number"]))
            if number is None:
                self.fail(block, f"{data_row}行目", "番号", message="番号（①②③）がありません")
            plans.append({"number": number, **texts})
        return plans

    def other_wards(self) -> dict:
        heads = dict(L.OTHER_WARDS_HEADS)
        head = self.head_row(L.OTHER_WARDS)
        lookup = {L.normalise(label): key for key, label in heads.items()}
        named, _ = self.head_columns(L.OTHER_WARDS, head, key_of=lambda text: lookup.get(L.normalise(text)), years=False)
        self.require_columns(L.OTHER_WARDS, named, heads)
        row = head + 1
        if row > self.block_end(L.OTHER_WARDS):
            self.fail(L.OTHER_WARDS, message="見出し行の下に件数の行がありません")
        result: dict = {}
        for field in fields_of(Block.OTHER_WARDS):
            key = field.path[-1]
            if field.kind is Kind.COUNT:
                result[key] = self.read((L.OTHER_WARDS, field.label), cell_count, self.value(row, named[key]))
            else:
                result[key] = self.text(row, named[key])
        return result
