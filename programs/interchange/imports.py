"""Importing sheet files into the database: PDF text extractions, Excel workbooks, JSON sheet documents, and flat
tables (CSV or .xlsx, one row per program) through a mapping file.

Each file is all or nothing: its sheets are written in one transaction, and anything that makes
a required field unreadable raises ImportFailed (file, sheet, field, line, message) and leaves
the database exactly as before. Files are independent of each other. JSON documents and the documents a
mapping makes of a table's rows are checked against fixtures/sheet.schema.json before anything is written.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from programs.documents import DocumentError
from programs.interchange.document_schema import document_problems
from programs.interchange.table_mapping import MappingError, mapping_read, table_documents
from programs.interchange.text_corrections import AppliedCorrection
from programs.interchange.text_lengths import document_overlong
from programs.interchange.text_read import ParseResult, Problem, parse_sheets_text
from programs.services import sheet_upsert


class ImportFailed(Exception):
    """A file could not be imported; nothing of it was written."""

    def __init__(self, *, file: str, sheet: str, field: str, line: int | None, message: str):
        self.file = file
        self.sheet = sheet
        self.field = field
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"、{self.line}行目" if self.line else ""
        return f"{self.file}: シート {self.sheet}、項目 {self.field}{where}: {self.message}"


@dataclass(frozen=True)
class SheetReport:
    code: str
    name: str
    fiscal_year: int
    created: bool
    problems: list[Problem] = field(default_factory=list)  # fields that could not be read (not required ones)


@dataclass
class FileReport:
    path: Path
    sheets: list[SheetReport] = field(default_factory=list)
    corrections: list[AppliedCorrection] = field(default_factory=list)
    failure: ImportFailed | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def _text_read(path: Path, *, apply_corrections: bool) -> ParseResult:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"UTF-8 のテキストとして読めません: {exc}"
        raise ImportFailed(file=str(path), sheet="-", field="-", line=None, message=message) from None
    return parse_sheets_text(text, source_name=path.name, apply_corrections=apply_corrections)


def _workbook_read(path: Path) -> ParseResult:
    """An Excel workbook through programs.interchange.workbook (imported here, so text import works without it)."""
    try:
        from programs.interchange.workbook import workbook_read
    except ImportError:
        raise ImportFailed(file=str(path), sheet="-", field="-", line=None, message="Excel の読み込みはまだ使えません") from None
    try:
        return ParseResult(documents=workbook_read(path))
    except DocumentError as exc:
        raise ImportFailed(file=str(path), sheet="-", field=exc.path, line=None, message=exc.message) from None


def _json_read(path: Path) -> ParseResult:
    """A .json file holding one sheet document or a list of them, each checked against the schema."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(
            file=str(path), sheet="-", field="-", line=None, message=f"UTF-8 のテキストとして読めません: {exc}"
        ) from None
    except json.JSONDecodeError as exc:
        message = f"JSON として読めません（{exc.colno}文字目）: {exc.msg}"
        raise ImportFailed(file=str(path), sheet="-", field="-", line=exc.lineno, message=message) from None
    documents = data if isinstance(data, list) else [data]
    if not documents:
        raise ImportFailed(file=str(path), sheet="-", field="-", line=None, message="シートの文書がありません（空の配列）")
    for index, document in enumerate(documents, start=1):
        _fail_on_schema(path, document, sheet=_document_label(document, index), line=None)
    return ParseResult(documents=documents)


def _table_read(path: Path, mapping_path: Path) -> tuple[ParseResult, list[int]]:
    """A flat table's rows as documents by the mapping (each checked against the schema), with their row numbers."""
    try:
        rows = table_documents(path=path, mapping=mapping_read(mapping_path))
    except MappingError as exc:
        sheet = exc.code or (f"{exc.row}行目" if exc.row else "-")
        message = f"{exc.message}（対応表 {mapping_path.name}）"
        raise ImportFailed(file=str(path), sheet=sheet, field=exc.where, line=exc.row, message=message) from None
    if not rows:
        raise ImportFailed(file=str(path), sheet="-", field="-", line=None, message="表にデータの行がありません")
    for row in rows:
        _fail_on_schema(path, row.document, sheet=row.document.get("code") or f"{row.row}行目", line=row.row)
    return ParseResult(documents=[row.document for row in rows]), [row.row for row in rows]


def _document_label(document, index: int) -> str:
    """ "0086（2件目）": the code and the place of a document in its file."""
    code = document.get("code") if isinstance(document, dict) else None
    return f"{code}（{index}件目）" if isinstance(code, str) and code.strip() else f"{index}件目"


def _fail_on_schema(path: Path, document, *, sheet: str, line: int | None) -> None:
    problems = document_problems(document)
    if problems:
        first = problems[0]
        more = f"（ほか {len(problems) - 1} 件）" if len(problems) > 1 else ""
        field = first.path or "(文書全体)"
        raise ImportFailed(file=str(path), sheet=sheet, field=field, line=line, message=f"{first.message}{more}")


def _fail_on_fatal(path: Path, result: ParseResult) -> None:
    fatal = result.fatal_problems
    if fatal:
        first = fatal[0]
        raise ImportFailed(file=str(path), sheet=first.sheet, field=first.field, line=first.line, message=first.message)


def _fail_on_repeated_code(path: Path, documents: list[dict]) -> None:
    """The same sheet twice in one file: the same code (and fiscal year, which a text file shares) in one municipality."""
    counts = Counter(_sheet_key(doc) for doc in documents)
    repeated = [key for key, count in counts.items() if count > 1]
    if repeated:
        municipality, code, fiscal_year = repeated[0]
        raise ImportFailed(
            file=str(path),
            sheet=str(code),
            field="code",
            line=None,
            message=f"事務事業コード {code}（{fiscal_year}年度）がこのファイルに{counts[repeated[0]]}回あります",
        )


def _sheet_key(document: dict) -> tuple:
    municipality = document.get("municipality") or {}
    return (municipality.get("code"), document.get("code"), document.get("fiscal_year"))


def _fail_on_overlong(path: Path, documents: list[dict]) -> None:
    for index, document in enumerate(documents, start=1):
        overlong = document_overlong(document)
        if overlong:
            sheet = str(document.get("code") or f"{index}枚目")
            raise ImportFailed(file=str(path), sheet=sheet, field=overlong.path, line=None, message=overlong.message)


def sheet_file_import(*, path: Path, apply_corrections: bool = True, mapping: Path | None = None) -> FileReport:
    """Import every sheet of one file in one transaction; raise ImportFailed and write nothing on failure.

    With `mapping` (a mapping file, programs.interchange.table_mapping) the file is a flat table (CSV or .xlsx)
    whose every row is one sheet. Otherwise `.json` files hold one sheet document of fixtures/FORMAT.md or a list
    of them; `.xlsx` files are read by programs.interchange.workbook.workbook_read; any other file is UTF-8 text
    extracted from the printed PDF. Non-required fields that could not be read are reported
    per sheet (and left empty); the OCR corrections of CORRECTIONS.md are applied unless
    `apply_corrections` is False.
    """
    path = Path(path)
    lines: list[int] = []  # a table's row number of each document
    if mapping is not None:
        result, lines = _table_read(path, Path(mapping))
    elif path.suffix.lower() == ".json":
        result = _json_read(path)
    elif path.suffix.lower() == ".xlsx":
        result = _workbook_read(path)
    else:
        result = _text_read(path, apply_corrections=apply_corrections)
    _fail_on_fatal(path, result)
    _fail_on_repeated_code(path, result.documents)
    _fail_on_overlong(path, result.documents)
    report = FileReport(path=path, corrections=result.corrections)
    with transaction.atomic():
        for index, document in enumerate(result.documents, start=1):
            problems = [p for p in result.problems if p.sheet_index == index]
            line = lines[index - 1] if lines else None
            report.sheets.append(_sheet_write(path=path, index=index, document=document, problems=problems, line=line))
    return report


def _sheet_write(*, path: Path, index: int, document: dict, problems: list[Problem], line: int | None = None) -> SheetReport:
    """sheet_upsert one document; a refusal becomes ImportFailed naming the sheet and field (and a table's row)."""
    sheet = document.get("code") or f"{index}枚目"
    try:
        upserted = sheet_upsert(document=document)
    except DocumentError as exc:
        raise ImportFailed(file=str(path), sheet=sheet, field=exc.path, line=line, message=exc.message) from None
    except IntegrityError as exc:  # a database rule the document check does not cover
        message = f"データベースの制約に反します: {exc}"
        raise ImportFailed(file=str(path), sheet=sheet, field="-", line=line, message=message) from None
    written = upserted.sheet
    return SheetReport(written.program.code, written.name, written.fiscal_year, upserted.created, problems)


def sheets_import_files(*, paths: list[Path], apply_corrections: bool = True, mapping: Path | None = None) -> list[FileReport]:
    """Import each file on its own (all of a file or none of it); a failed file carries its ImportFailed.

    `mapping`: every file is a flat table read through this mapping file."""
    reports = []
    for path in paths:
        try:
            reports.append(sheet_file_import(path=Path(path), apply_corrections=apply_corrections, mapping=mapping))
        except ImportFailed as exc:
            reports.append(FileReport(path=Path(path), failure=exc))
    return reports
