"""Importing sheet files (PDF text extractions, Excel workbooks) into the database.

Each file is all or nothing: its sheets are written in one transaction, and anything that makes
a required field unreadable raises ImportFailed (file, sheet, field, line, message) and leaves
the database exactly as before. Files are independent of each other.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from programs.documents import DocumentError
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


def _fail_on_fatal(path: Path, result: ParseResult) -> None:
    fatal = result.fatal_problems
    if fatal:
        first = fatal[0]
        raise ImportFailed(file=str(path), sheet=first.sheet, field=first.field, line=first.line, message=first.message)


def _fail_on_repeated_code(path: Path, documents: list[dict]) -> None:
    counts = Counter(doc.get("code") for doc in documents)
    repeated = [code for code, count in counts.items() if count > 1]
    if repeated:
        raise ImportFailed(
            file=str(path),
            sheet=str(repeated[0]),
            field="code",
            line=None,
            message=f"事務事業コード {repeated[0]} がこのファイルに{counts[repeated[0]]}回あります",
        )


def _fail_on_overlong(path: Path, documents: list[dict]) -> None:
    for index, document in enumerate(documents, start=1):
        overlong = document_overlong(document)
        if overlong:
            sheet = str(document.get("code") or f"{index}枚目")
            raise ImportFailed(file=str(path), sheet=sheet, field=overlong.path, line=None, message=overlong.message)


def sheet_file_import(*, path: Path, apply_corrections: bool = True) -> FileReport:
    """Import every sheet of one file in one transaction; raise ImportFailed and write nothing on failure.

    `.xlsx` files are read by programs.interchange.workbook.workbook_read; any other file is UTF-8 text
    extracted from the printed PDF. Non-required fields that could not be read are reported
    per sheet (and left empty); the OCR corrections of CORRECTIONS.md are applied unless
    `apply_corrections` is False.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
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
            report.sheets.append(_sheet_write(path=path, index=index, document=document, problems=problems))
    return report


def _sheet_write(*, path: Path, index: int, document: dict, problems: list[Problem]) -> SheetReport:
    """sheet_upsert one document; a refusal becomes ImportFailed naming the sheet and field."""
    sheet = document.get("code") or f"{index}枚目"
    try:
        upserted = sheet_upsert(document=document)
    except DocumentError as exc:
        raise ImportFailed(file=str(path), sheet=sheet, field=exc.path, line=None, message=exc.message) from None
    except IntegrityError as exc:  # a database rule the document check does not cover
        message = f"データベースの制約に反します: {exc}"
        raise ImportFailed(file=str(path), sheet=sheet, field="-", line=None, message=message) from None
    written = upserted.sheet
    return SheetReport(written.program.code, written.name, written.fiscal_year, upserted.created, problems)


def sheets_import_files(*, paths: list[Path], apply_corrections: bool = True) -> list[FileReport]:
    """Import each file on its own (all of a file or none of it); a failed file carries its ImportFailed."""
    reports = []
    for path in paths:
        try:
            reports.append(sheet_file_import(path=Path(path), apply_corrections=apply_corrections))
        except ImportFailed as exc:
            reports.append(FileReport(path=Path(path), failure=exc))
    return reports
