"""A flat table (CSV or .xlsx, one row per program, year blocks in columns) → sheet documents, by a mapping file.

Many municipalities publish their evaluation list as one table. A mapping file (JSON, described key by key in
the README, "Another municipality's sheets", example fixtures/examples/kakuu_city_mapping.json) names which
column holds what; `table_documents` turns every row into one sheet document of fixtures/FORMAT.md, which then
goes the way of any JSON document (schema check, then programs.services.sheet_upsert). A new city is loaded by
writing a mapping, not code.

Where a column may go, the mapping holds one of:
- "列名": the cell of that column (the header exactly as printed, surrounding spaces ignored);
- {"column": "列名", "codes": {"1": "現状維持", …}}: the cell translated by the table (an unlisted code is an error);
- {"value": …}: the same fixed value for every row.

Cells: amounts are 千円 integers and may be printed 1,234 / ▲ 1,234 / full-width digits; indicator values and 人工
keep the printed precision ("0.80"); an empty cell is missing (never 0). Any error names the column and the row.
"""

import csv
import io
import json
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from evalsheets.lib.numbers import NumberFormatError, parse_amount, parse_printed_number
from evalsheets.lib.wareki import WarekiError, parse_fiscal_year
from programs.interchange.workbook_limits import LimitExceeded, ReadBudget, WorkbookLimits, archive_check
from programs.sheet_fields import SHEET_FIELDS, Kind, nested

TABLE_MAX_COLUMNS = 1000
FUNDING_SOURCES = ("national", "prefectural", "bonds", "other_specific", "general")
PERSONNEL_KEYS = ("persons", "hours", "amount")
BASES = ("budget", "settlement", "estimate")
INDICATOR_KINDS = ("activity", "target", "outcome")
DIRECTIONS = ("up", "down", "zero", "none")
FIELDS = {field.key: field for field in SHEET_FIELDS}
TOP_KEYS = {
    "description",
    "header_row",
    "delimiter",
    "municipality",
    "fiscal_year",
    "code",
    "name",
    "department",
    "section",
    "policy",
    "fields",
    "texts",
    "years",
    "indicators",
}
YEAR_KEYS = {"fiscal_year", "estimate", "budget", "settlement", "funding", "personnel"}
INDICATOR_KEYS = {"kind", "number", "name", "unit", "description", "direction", "target", "target_fiscal_year", "values"}


class MappingError(ValueError):
    """The mapping does not fit the table (or itself): names the column or the mapping key, and the row if any."""

    def __init__(self, *, where: str, message: str, row: int | None = None, code: str = ""):
        self.where = where  # 列「R6予算額」 or the mapping key (years[2].fiscal_year)
        self.message = message
        self.row = row  # the table's row number (the header row is 1 unless header_row says otherwise)
        self.code = code  # the row's program code, once known
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class MappedRow:
    row: int  # the table's row number
    document: dict


# ---------------------------------------------------------------------------------------------
# Reading the table


@dataclass(frozen=True)
class Table:
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]  # (row number, cells), empty rows left out

    def column(self, name: str) -> int:
        matches = [i for i, head in enumerate(self.header) if head == name.strip()]
        if not matches:
            raise MappingError(where=f"列「{name}」", message=f"この列が表の見出し（{self.header_row}行目）にありません")
        if len(matches) > 1:
            raise MappingError(
                where=f"列「{name}」", message=f"同じ見出しの列が{len(matches)}列あります（{self.header_row}行目）"
            )
        return matches[0]


def table_read(path: Path, *, header_row: int = 1, delimiter: str = ",") -> Table:
    """The cells of a CSV (UTF-8, with or without BOM) or of the first worksheet of an .xlsx, as text."""
    grid = _xlsx_grid(path) if path.suffix.lower() == ".xlsx" else _csv_grid(path, delimiter)
    if len(grid) < header_row:
        raise MappingError(where="header_row", message=f"表に見出し行（{header_row}行目）がありません")
    header = [cell.strip() for cell in grid[header_row - 1]]
    rows = [
        (number, cells) for number, cells in enumerate(grid, start=1) if number > header_row and any(c.strip() for c in cells)
    ]
    return Table(header=header, header_row=header_row, rows=rows)


def _csv_grid(path: Path, delimiter: str) -> list[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError(where="(ファイル)", message=f"UTF-8 の CSV として読めません（{exc.start} バイト目）") from None
    return [
        [cell.replace("\r\n", "\n") for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]


def _xlsx_grid(path: Path) -> list[list[str]]:
    """The first worksheet, within the upload limits of programs.interchange.workbook_limits, except that a table
    may be TABLE_MAX_COLUMNS wide (year blocks in columns: six years of a city's list are some 150 columns)."""
    limits = WorkbookLimits.from_settings()
    budget = ReadBudget(replace(limits, max_columns=max(limits.max_columns, TABLE_MAX_COLUMNS)))
    try:
        archive_check(path, budget.limits)
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return [[_cell_text(cell.value) for cell in row] for row in budget.rows(workbook.worksheets[0])]
        finally:
            workbook.close()
    except LimitExceeded as exc:
        raise MappingError(where="(ファイル)", message=str(exc)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError, IndexError) as exc:
        raise MappingError(where="(ファイル)", message=f"Excel ブック（.xlsx）として読めません（{type(exc).__name__}）") from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------------------------
# The mapping


class Source:
    """Where one value comes from: a column (optionally through a code table) or a fixed value."""

    def __init__(self, spec, where: str, table: Table):
        self.where = where
        self.fixed = None
        self.column = None
        self.codes = None
        if isinstance(spec, str):
            self.column_name = spec
        elif isinstance(spec, dict) and set(spec) == {"value"}:
            self.fixed = spec["value"]
            self.column_name = ""
            return
        elif isinstance(spec, dict) and "column" in spec and set(spec) <= {"column", "codes"}:
            self.column_name = spec["column"]
            codes = spec.get("codes")
            if codes is not None and not isinstance(codes, dict):
                raise MappingError(where=f"{where}.codes", message='codes は {"印刷された値": "文書の値"} のオブジェクトです')
            self.codes = {_key(code): value for code, value in (codes or {}).items()}
        else:
            raise MappingError(
                where=where, message='列名（"列名"）、{"column": "列名", "codes": {…}} または {"value": 固定値} を書きます'
            )
        if not isinstance(self.column_name, str) or not self.column_name.strip():
            raise MappingError(where=where, message="列名が空です")
        self.column = table.column(self.column_name)

    @property
    def label(self) -> str:
        return f"列「{self.column_name}」" if self.column_name else self.where

    def raw(self, cells: list[str]):
        """The cell's text (stripped; "" when the row is short) or the fixed value; codes translated."""
        if self.column is None:
            return self.fixed
        text = cells[self.column].strip() if self.column < len(cells) else ""
        if self.codes is None or not text:
            return text
        key = _key(text)
        if key not in self.codes:
            raise MappingError(where=self.label, message=f"「{text}」は対応表の codes（{'、'.join(self.codes)}）にありません")
        return self.codes[key]


def _key(text) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def _object(spec, where: str, allowed: set[str]) -> dict:
    if not isinstance(spec, dict):
        raise MappingError(where=where, message="オブジェクト（{...}）ではありません")
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise MappingError(where=f"{where}.{unknown[0]}" if where else unknown[0], message="対応表にない項目です")
    return spec


def _year(value, where: str) -> int:
    try:
        year = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        year = None
    if year is None or not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise MappingError(
            where=where, message=f"年度「{value}」は {MIN_FISCAL_YEAR}〜{MAX_FISCAL_YEAR} の西暦の整数ではありません"
        )
    return year


class TableMapping:
    """A mapping file, checked against the table's header: every named column must exist."""

    def __init__(self, spec: dict, table: Table):
        spec = _object(spec, "", TOP_KEYS)
        self.table = table
        self.municipality = spec.get("municipality")
        if self.municipality is not None and not isinstance(self.municipality, dict):
            raise MappingError(where="municipality", message='自治体は固定値のオブジェクト {"code": …} で書きます')
        fiscal_year = spec.get("fiscal_year")
        if fiscal_year is None:
            raise MappingError(where="fiscal_year", message="評価年度（固定の年度か列名）がありません")
        self.fiscal_year = self.source(
            {"value": _year(fiscal_year, "fiscal_year")} if isinstance(fiscal_year, int) else fiscal_year, "fiscal_year"
        )
        self.identity = {key: self.source(spec.get(key), key, required=True) for key in ("code", "name", "department", "section")}
        self.policy = self.policy_sources(spec.get("policy"))
        self.fields = self.field_sources(spec.get("fields") or {})
        self.texts = self.text_sources(spec.get("texts") or [])
        self.years = self.year_blocks(spec.get("years") or [])
        self.estimate_years = {block["fiscal_year"] for block in self.years if block["estimate"]}
        self.indicators = self.indicator_specs(spec.get("indicators") or [])

    def source(self, spec, where: str, *, required: bool = False) -> Source | None:
        if spec is None:
            if required:
                raise MappingError(where=where, message="必須の項目です（列名を書きます）")
            return None
        return Source(spec, where, self.table)

    def policy_sources(self, spec) -> dict:
        spec = _object(spec if spec is not None else {}, "policy", {"field", "policy", "measure"})
        levels = {}
        for level in ("field", "policy", "measure"):
            where = f"policy.{level}"
            level_spec = _object(spec.get(level), where, {"code", "name"}) if level in spec else None
            if level_spec is None:
                raise MappingError(where=where, message="行政評価事業体系の三つの段（field, policy, measure）が必要です")
            levels[level] = {
                "code": self.source(level_spec.get("code"), f"{where}.code", required=True),
                "name": self.source(level_spec.get("name"), f"{where}.name"),
            }
        return levels

    def field_sources(self, spec) -> dict:
        spec = _object(spec, "fields", set(FIELDS))
        return {key: self.source(value, f"fields.{key}") for key, value in spec.items()}

    def text_sources(self, spec) -> list[dict]:
        if not isinstance(spec, list):
            raise MappingError(where="texts", message="配列（[...]）ではありません")
        texts = []
        for i, item in enumerate(spec):
            where = f"texts[{i}]"
            item = _object(item, where, {"key", "label", "role", "text"})
            if not isinstance(item.get("key"), str) or not item["key"]:
                raise MappingError(where=f"{where}.key", message="キー（intent など）がありません")
            texts.append(
                {
                    "key": item["key"],
                    "label": str(item.get("label", "")),
                    "role": str(item.get("role", "")),
                    "text": self.source(item.get("text"), f"{where}.text", required=True),
                }
            )
        return texts

    def year_blocks(self, spec) -> list[dict]:
        if not isinstance(spec, list):
            raise MappingError(where="years", message="配列（[...]）ではありません")
        blocks, seen = [], set()
        for i, item in enumerate(spec):
            where = f"years[{i}]"
            item = _object(item, where, YEAR_KEYS)
            year = _year(item.get("fiscal_year"), f"{where}.fiscal_year")
            if year in seen:
                raise MappingError(where=f"{where}.fiscal_year", message=f"年度 {year} の年度ブロックが2つあります")
            seen.add(year)
            estimate = item.get("estimate", False)
            if not isinstance(estimate, bool):
                raise MappingError(where=f"{where}.estimate", message="true（見込み）か false です")
            default_basis = "estimate" if estimate else "settlement"
            blocks.append(
                {
                    "fiscal_year": year,
                    "estimate": estimate,
                    "budget": self.source(item.get("budget"), f"{where}.budget"),
                    "settlement": self.source(item.get("settlement"), f"{where}.settlement"),
                    "funding": self.basis_blocks(item.get("funding"), f"{where}.funding", FUNDING_SOURCES, default_basis),
                    "personnel": self.basis_blocks(item.get("personnel"), f"{where}.personnel", PERSONNEL_KEYS, default_basis),
                }
            )
        return blocks

    def basis_blocks(self, spec, where: str, keys: tuple[str, ...], default_basis: str) -> list[dict]:
        """財源内訳 or 人件費 of one year: one block, or a list of blocks of different bases."""
        if spec is None:
            return []
        items = spec if isinstance(spec, list) else [spec]
        blocks = []
        for i, item in enumerate(items):
            at = f"{where}[{i}]" if isinstance(spec, list) else where
            item = _object(item, at, {"basis", *keys})
            basis = item.get("basis", default_basis)
            if basis not in BASES:
                raise MappingError(where=f"{at}.basis", message=f"「{basis}」は budget / settlement / estimate ではありません")
            blocks.append({"basis": basis, **{key: self.source(item.get(key), f"{at}.{key}") for key in keys}})
        return blocks

    def indicator_specs(self, spec) -> list[dict]:
        if not isinstance(spec, list):
            raise MappingError(where="indicators", message="配列（[...]）ではありません")
        indicators = []
        for i, item in enumerate(spec):
            where = f"indicators[{i}]"
            item = _object(item, where, INDICATOR_KEYS)
            kind = item.get("kind", "outcome")
            if kind not in INDICATOR_KINDS:
                raise MappingError(where=f"{where}.kind", message=f"「{kind}」は activity / target / outcome ではありません")
            number = item.get("number")
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise MappingError(where=f"{where}.number", message="番号（1 以上の整数）がありません")
            values = item.get("values") or {}
            if not isinstance(values, dict):
                raise MappingError(where=f"{where}.values", message='{"2019": "列名", …} のオブジェクトではありません')
            indicators.append(
                {
                    "kind": kind,
                    "number": number,
                    **{
                        key: self.source(item.get(key), f"{where}.{key}", required=key == "name")
                        for key in ("name", "unit", "description", "direction", "target", "target_fiscal_year")
                    },
                    "values": [
                        (_year(year, f"{where}.values.{year}"), self.source(column, f"{where}.values.{year}"))
                        for year, column in values.items()
                    ],
                }
            )
        return indicators

    # -- one row -------------------------------------------------------------------------------

    def document(self, number: int, cells: list[str]) -> dict:
        row = RowReader(number, cells)
        identity = {key: row.text(source) for key, source in self.identity.items()}
        row.code = identity["code"]
        for key in ("code", "name", "department", "section"):
            if not identity[key]:
                raise MappingError(where=self.identity[key].label, message="空です（必須）", row=number, code=row.code)
        document = {"fiscal_year": row.fiscal_year(self.fiscal_year)}
        if self.municipality is not None:
            document["municipality"] = self.municipality
        document |= identity
        document["policy"] = {
            level: {"code": row.text(sources["code"]), "name": row.text(sources["name"])}
            for level, sources in self.policy.items()
        }
        document |= nested([FIELDS[key] for key in self.fields], lambda field: row.field(field, self.fields[field.key]))
        if self.texts:
            document["texts"] = [
                {"key": text["key"], "label": text["label"], "role": text["role"], "text": row.text(text["text"])}
                for text in self.texts
            ]
        document |= self.money(row)
        if self.indicators:
            document["indicators"] = [self.indicator(row, spec) for spec in self.indicators]
            document["indicators"] = [indicator for indicator in document["indicators"] if indicator["name"]]
        return document

    def money(self, row: "RowReader") -> dict:
        """予算・決算額等の推移, 財源内訳 and 人件費 of every year block; a year with nothing printed is left out."""
        history, funding, personnel = [], [], []
        for block in self.years:
            year = block["fiscal_year"]
            budget, settlement = row.amount(block["budget"]), row.amount(block["settlement"])
            if budget is not None or settlement is not None:
                history.append(
                    {"fiscal_year": year, "budget": budget, "settlement": settlement, "settlement_is_estimate": block["estimate"]}
                )
            for part in block["funding"]:
                sources = {key: row.amount(part[key]) for key in FUNDING_SOURCES}
                if any(value is not None for value in sources.values()):
                    funding.append({"fiscal_year": year, "basis": part["basis"], **sources})
            for part in block["personnel"]:
                cost = {
                    "persons": row.printed(part["persons"]),
                    "hours": row.printed(part["hours"]),
                    "amount": row.amount(part["amount"]),
                }
                if any(value is not None for value in cost.values()):
                    personnel.append({"fiscal_year": year, "basis": part["basis"], **cost})
        document = {}
        if any(block["budget"] or block["settlement"] for block in self.years):
            document["budget_history"] = history
        if any(block["funding"] for block in self.years):
            document["funding"] = funding
        if any(block["personnel"] for block in self.years):
            document["personnel"] = personnel
        return document

    def indicator(self, row: "RowReader", spec: dict) -> dict:
        """One indicator: unit, target and target year always (""/null when not mapped); description when mapped;
        direction when mapped and printed (an empty cell leaves the importer's default)."""
        indicator = {
            "kind": spec["kind"],
            "number": spec["number"],
            "name": row.text(spec["name"]),
            "unit": row.text(spec["unit"]),
        }
        if spec["description"] is not None:
            indicator["description"] = row.text(spec["description"])
        direction = row.choice(spec["direction"], DIRECTIONS) if spec["direction"] is not None else ""
        if direction:
            indicator["direction"] = direction
        indicator["target"] = row.printed(spec["target"])
        indicator["target_fiscal_year"] = row.fiscal_year(spec["target_fiscal_year"], required=False)
        values = []
        for year, source in spec["values"]:
            value = row.printed(source)
            if value is not None:
                values.append({"fiscal_year": year, "value": value, "is_estimate": year in self.estimate_years})
        indicator["values"] = values
        return indicator


class RowReader:
    """The cells of one row, read as the document wants them; an unreadable cell names its column and row."""

    def __init__(self, number: int, cells: list[str]):
        self.number = number
        self.cells = cells
        self.code = ""

    def fail(self, source: Source, message: str):
        raise MappingError(where=source.label, message=message, row=self.number, code=self.code)

    def raw(self, source: Source | None):
        if source is None:
            return None
        try:
            return source.raw(self.cells)
        except MappingError as exc:
            raise MappingError(where=exc.where, message=exc.message, row=self.number, code=self.code) from None

    def text(self, source: Source | None) -> str:
        value = self.raw(source)
        return "" if value is None else str(value)

    def amount(self, source: Source | None) -> int | None:
        value = self.raw(source)
        if value is None or value == "":
            return None
        try:
            return parse_amount(value)
        except NumberFormatError:
            self.fail(source, f"「{value}」は千円単位の金額（1,234 / ▲ 1,234）として読めません")

    def printed(self, source: Source | None) -> str | None:
        """A value kept as printed, without thousands separators ("1,234" → "1234", "0.80" stays)."""
        value = self.raw(source)
        if value is None or value == "":
            return None
        try:
            number, decimals = parse_printed_number(value)
        except NumberFormatError:
            self.fail(source, f"「{value}」は数値として読めません")
        return format(number, f".{decimals}f")

    def fiscal_year(self, source: Source | None, *, required: bool = True) -> int | None:
        value = self.raw(source)
        if value is None or value == "":
            if required:
                self.fail(source, "年度が空です")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _key(value)
        try:
            year = int(text) if text.isdigit() else parse_fiscal_year(text)
        except WarekiError:
            self.fail(source, f"「{value}」は年度（2024 / 令和6年度）として読めません")
        if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
            self.fail(source, f"年度 {year} は {MIN_FISCAL_YEAR}〜{MAX_FISCAL_YEAR} の範囲外です")
        return year

    def choice(self, source: Source, allowed: tuple[str, ...]) -> str:
        value = self.text(source)
        if value and value not in allowed:
            self.fail(source, f"「{value}」は {' / '.join(allowed)} ではありません（codes で対応させます）")
        return value

    def field(self, field, source: Source | None):
        """A declared simple field (programs/sheet_fields.py) by its kind."""
        match field.kind:
            case Kind.FISCAL_YEAR:
                return self.fiscal_year(source, required=False)
            case Kind.COUNT:
                return self.amount(source)
            case Kind.FLAG:
                raw = self.raw(source)
                if isinstance(raw, bool):
                    return raw
                value = _key(raw if raw is not None else "")
                if value not in ("", "有", "無", "true", "false"):
                    self.fail(source, f"「{value}」は 有 / 無 ではありません")
                return value in ("有", "true")
            case Kind.NAMES | Kind.STAFF_KINDS:
                return [name.strip() for name in self.text(source).replace("・", "、").split("、") if name.strip()]
        return self.text(source)


# ---------------------------------------------------------------------------------------------
# A whole file


def mapping_read(path: Path) -> dict:
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(where=f"対応表 {Path(path).name}", message=f"JSON として読めません: {exc}") from None
    if not isinstance(spec, dict):
        raise MappingError(where=f"対応表 {Path(path).name}", message="オブジェクト（{...}）ではありません")
    return spec


def table_documents(*, path: Path, mapping: dict) -> list[MappedRow]:
    """Every non-empty row of the table as a sheet document (not yet checked by the schema)."""
    header_row = mapping.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
        raise MappingError(where="header_row", message="見出し行の行番号（1 以上の整数）ではありません")
    delimiter = mapping.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise MappingError(where="delimiter", message="区切り文字は1文字です（既定はカンマ）")
    table = table_read(Path(path), header_row=header_row, delimiter=delimiter)
    spec = TableMapping(mapping, table)
    return [MappedRow(number, spec.document(number, cells)) for number, cells in table.rows]
