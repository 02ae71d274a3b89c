"""The Excel round trip of 事務事業分析シート (issue 5, point 2).

- workbook_write(documents) → .xlsx bytes, one worksheet per sheet laid out like the printed form;
- workbook_read(path_or_file) → documents in the fixtures/FORMAT.md shape (loadable by sheet_upsert);
- blank_template_bytes() → an empty form a ward fills in for a new program;
- workbook_load(file=…) → reads a workbook and upserts every sheet in one transaction.

The layout lives in workbook_layout, writing in workbook_write, reading in workbook_read (all in programs.interchange).
"""

import datetime
import io
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from defusedxml import DefusedXmlException
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from evalsheets.lib.fiscal_years import fiscal_year_of
from programs import selectors
from programs.documents import DocumentError
from programs.interchange import workbook_layout as L
from programs.interchange.text_lengths import document_overlong
from programs.interchange.workbook_limits import LimitExceeded, ReadBudget, WorkbookLimits, archive_check
from programs.interchange.workbook_read import Grid, WorksheetReader
from programs.interchange.workbook_write import worksheet_write
from programs.profiles import DEFAULT_FORM, documents_forms
from programs.services import UpsertResult, sheet_upsert
from programs.sheet_fields import SHEET_FIELDS, Block, document_part, empty_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BAD_TITLE_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
# Top-level document keys → the form's labels, to name a field when sheet_upsert refuses a document.
FIELD_LABELS = {
    "code": L.CODE,
    "name": L.NAME,
    "department": L.DEPARTMENT,
    "section": L.DEPARTMENT,
    "sub_programs": L.SUB_PROGRAMS,
    "policy": "分野・政策・施策",
    "history": L.HISTORY_EVENTS,
    "indicators": L.INDICATORS,
    "classification": "事務事業の分類",
    "budget_history": L.BUDGET,
    "funding": L.FUNDING,
    "personnel": L.FUNDING,
    "activity": L.ACTIVITY,
    "budget_breakdown": L.BREAKDOWN,
    "cost_statement": L.COSTS,
    "issues": L.ISSUES,
    "improvements": L.IMPROVEMENTS,
    "other_wards": L.OTHER_WARDS,
    **{field.key: field.label for field in SHEET_FIELDS if len(field.path) == 1},
}


# ---------------------------------------------------------------------------------------------
# Writing


def worksheet_titles(documents: list[dict]) -> list[str]:
    """The sheet code ("03-04-01"), with "_2022" only when two documents share a code."""
    codes = [str(doc.get("code") or "新規") for doc in documents]
    titles, used = [], set()
    for doc, code in zip(documents, codes, strict=True):
        title = f"{code}_{doc['fiscal_year']}" if codes.count(code) > 1 else code
        title = _BAD_TITLE_CHARACTERS.sub("_", title)[:31] or "シート"
        candidate, n = title, 2
        while candidate in used or candidate in L.SKIPPED_WORKSHEETS:
            candidate = f"{title[:28]}({n})"
            n += 1
        used.add(candidate)
        titles.append(candidate)
    return titles


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_write(documents: list[dict]) -> bytes:
    """One worksheet per document, in the given order; an empty list gives a one-line notice worksheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    forms = documents_forms(documents)
    for doc, title in zip(documents, worksheet_titles(documents), strict=True):
        worksheet_write(
            workbook.create_sheet(title), doc, form=forms.get((doc.get("municipality") or {}).get("code"), DEFAULT_FORM)
        )
    if not documents:
        workbook.create_sheet(L.EMPTY_TITLE)["A1"] = "条件に合う事務事業分析シートはありません。"
    return _workbook_bytes(workbook)


def empty_document(fiscal_year: int) -> dict:
    """A sheet with nothing filled in (fixtures/FORMAT.md shape)."""
    empty = document_part(empty_value, *Block)
    return {
        "fiscal_year": fiscal_year,
        **{key: "" for key in ("code", "name", "department", "section")},
        **empty,
        "sub_programs": [],
        "policy": {key: {"code": "", "name": ""} for _, key in L.POLICY_LEVELS},
        "history": [],
        "indicators": [],
        "budget_history": [],
        "texts": [],
        "activity": [],
        "budget_breakdown": [],
        "cost_statement": [],
        "issues": [],
        "improvements": [],
    }


def default_fiscal_year() -> int:
    """The year heads of a blank form: the newest evaluation year in the database, else the fiscal year of today."""
    return selectors.latest_fiscal_year(viewer=None) or fiscal_year_of(datetime.date.today())


INSTRUCTIONS = [
    "事務事業分析シート（Excel）の記入方法",
    "",
    "・「新規」のワークシートに1事業を記入します。複数の事業は、ワークシートをコピーして1枚に1事業を記入してください。",
    "・A列の見出し（事務事業コード、予算・決算額等の推移 など）と表の見出し行は変更・削除しないでください。"
    "読み込みは見出しの文字で欄を探します。",
    "・表の途中には行を挿入できます（経過、実績の推移、予算・決算の内訳 など）。空の行は読み飛ばします。",
    "・必須: 表題の年度、事務事業コード、事務事業名、部課名（B列に部、C列に課）、分野・政策・施策のコード（B列、名称はC列）。",
    "・団体: B列に団体コード（6桁、例 131181）、C列に団体名、D列に都道府県、E列に区分（特別区・市・町・村）。"
    "空欄なら既定の団体（荒川区）のシートとして読み込みます。",
    "・金額は千円単位の整数で入力します。マイナスは -1414 または ▲ 1,414。",
    "・成果指標・実績の値は印刷する桁数で入力します（3.0 と印刷するならセルの書式を小数1桁にするか、'3.0 と文字で入力）。",
    "・「見込み」の行: その年度の値が見込みなら「見込み」と入力し、確定値なら空欄にします。",
    "・財源内訳・人件費: 列ごとに年度と区分（予算・決算・見込み）を記入します（列は右に追加できます）。"
    "空欄は「記載なし」で、0 とはみなしません。都道府県支出金の行は 都支出金・県支出金 などと書き換えても読めます。"
    "人工・業務時間は印刷する桁数で入力します。",
    "・年度は和暦（令和3年度、令和元年度、平成27年度）または西暦（2021年度）で入力します。",
    "・成果指標の欄には活動指標・対象指標・成果指標をすべて記入し、「種別」で区別します（空欄は成果指標）。"
    "指標名の前に種別ごとの番号（①②③…）を付けます。指標が多いときは行を挿入します。選択肢のある欄はセルの一覧から選べます。",
    "・指標の年度が足りないときは、見出し行の目標年度の右（または目標値の左に挿入した列）に年度（令和7年度 など）を"
    "書き足すと、その列も読み込みます。",
    "・記入したブックは管理画面の「Excelから読み込む」で登録します。誤りがあるとファイル名・シート名・欄を示して中止し、何も変更しません。",
]


def _instructions(workbook: Workbook) -> None:
    ws = workbook.create_sheet(L.INSTRUCTIONS_TITLE)
    ws.column_dimensions["A"].width = 120
    for row, text in enumerate(INSTRUCTIONS, start=1):
        cell = ws.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)


def blank_template_bytes(fiscal_year: int | None = None) -> bytes:
    """A blank form for a new program: every label, the year heads of `fiscal_year` (default: the latest)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    worksheet_write(workbook.create_sheet("新規"), empty_document(fiscal_year or default_fiscal_year()))
    _instructions(workbook)
    return _workbook_bytes(workbook)


# ---------------------------------------------------------------------------------------------
# Reading


def _file_name(path_or_file, name: str | None) -> str:
    if name:
        return Path(name).name
    if isinstance(path_or_file, str | Path):
        return Path(path_or_file).name
    return Path(getattr(path_or_file, "name", "") or "ブック").name


def _defused(exc: BaseException | None) -> bool:
    """defusedxml refused the XML (openpyxl re-raises it as a ValueError "from" it)."""
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _grid(ws, file_name: str, budget: ReadBudget) -> Grid:
    try:
        return Grid(ws, budget.rows(ws))
    except LimitExceeded as exc:
        raise DocumentError(f"{file_name} / シート {ws.title}", str(exc)) from None


def _grids(path_or_file, file_name: str, budget: ReadBudget) -> list[Grid]:
    """Every worksheet's cells (read-only: fast, and merged ranges are not re-styled), 記入方法 skipped.

    Within the limits of programs.interchange.workbook_limits: size and zip checked before openpyxl opens the
    file, worksheets, rows, columns and time while it reads; XML entities are refused by defusedxml."""
    try:
        archive_check(path_or_file, budget.limits)
        workbook = load_workbook(path_or_file, read_only=True, data_only=True)
        try:
            budget.check_worksheets(len(workbook.worksheets))
            return [_grid(ws, file_name, budget) for ws in workbook.worksheets if ws.title not in L.SKIPPED_WORKSHEETS]
        finally:
            workbook.close()
    except DocumentError:
        raise
    except LimitExceeded as exc:
        raise DocumentError(file_name, str(exc)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as exc:
        if _defused(exc):
            message = "XML に実体（ENTITY）の定義があるため読み込みません（billion laughs などの攻撃を防ぐため）"
            raise DocumentError(file_name, message) from None
        raise DocumentError(file_name, f"Excel ブック（.xlsx）として読めません（{type(exc).__name__}）") from None


def workbook_sheets(
    path_or_file: str | Path | BinaryIO, *, name: str | None = None, budget: ReadBudget | None = None
) -> list[tuple[str, dict]]:
    """(worksheet title, document) of every sheet worksheet; 記入方法 and empty worksheets are skipped.

    `budget`: the reading limits (default: the settings' EVALSHEETS_UPLOAD_*, from now)."""
    file_name = _file_name(path_or_file, name)
    budget = budget or ReadBudget(WorkbookLimits.from_settings())
    grids = _grids(path_or_file, file_name, budget)
    results: list[tuple[str, dict]] = []
    seen: dict[tuple[str, int], str] = {}
    for grid in grids:
        if grid.is_blank():
            continue
        reader = WorksheetReader(grid, file_name=file_name)
        doc = reader.document()
        _fail_on_overlong(reader, doc)
        key = (doc["code"], doc["fiscal_year"])
        if key in seen:
            reader.fail(L.CODE, message=f"{doc['code']}（{doc['fiscal_year']}年度）はシート {seen[key]} にもあります")
        seen[key] = grid.title
        results.append((grid.title, doc))
    if not results:
        raise DocumentError(file_name, "事務事業分析シートのワークシートがありません")
    return results


def _fail_on_overlong(reader: WorksheetReader, doc: dict) -> None:
    """A text longer than its database field: the error names the field, its cell (C12) and the limit."""
    overlong = document_overlong(doc)
    if overlong:
        cell = reader.grid.coordinate_of(overlong.text)
        reader.fail(_field_label(overlong.path), *([f"セル {cell}"] if cell else []), message=overlong.message)


def workbook_read(path_or_file: str | Path | BinaryIO, *, name: str | None = None) -> list[dict]:
    """The documents of a workbook written by workbook_write or filled in from blank_template_bytes."""
    return [doc for _, doc in workbook_sheets(path_or_file, name=name)]


def _field_label(path: str) -> str:
    root = re.split(r"[.\[]", path, maxsplit=1)[0]
    label = FIELD_LABELS.get(root)
    return f"{label}（{path}）" if label else path


@transaction.atomic
def workbook_load(*, file: str | Path | BinaryIO, name: str | None = None) -> list[UpsertResult]:
    """Read a workbook and create/update every sheet in it; all or nothing."""
    file_name = _file_name(file, name)
    budget = ReadBudget(WorkbookLimits.from_settings())
    results = []
    for title, doc in workbook_sheets(file, name=file_name, budget=budget):
        try:
            budget.check_time()
            results.append(sheet_upsert(document=doc))
        except LimitExceeded as exc:
            raise DocumentError(file_name, str(exc)) from None
        except DocumentError as exc:
            raise DocumentError(f"{file_name} / シート {title} / {_field_label(exc.path)}", exc.message) from None
    return results
