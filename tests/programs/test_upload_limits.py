"""Workbook uploads (/excel/upload/ and import_sheets) refuse costly or hostile files with a clear error
and leave the database as it was (issue 11 part 5; programs/interchange/workbook_limits.py)."""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from finance.models import BudgetYear
from programs.interchange.serializer import sheet_document
from programs.interchange.workbook import workbook_write
from programs.models import Program, Sheet
from tests.snapshots import sheet_snapshot

pytestmark = pytest.mark.django_db
FILE_NAME = "区の記入.xlsx"
BILLION_LAUGHS = (
    '\n<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>"
)


def _row(ws, label: str, *, after: int = 0) -> int:
    return next(row for row in range(after + 1, ws.max_row + 1) if ws.cell(row=row, column=1).value == label)


def _column(ws, row: int, head: str) -> int:
    return next(column for column in range(1, ws.max_column + 1) if ws.cell(row=row, column=column).value == head)


def _bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, *, replace: dict[str, str | bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same .xlsx with some members replaced or added."""
    replace, add = replace or {}, add or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, replace.get(member.filename, source.read(member.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker) -> bytes:
    """The export of 03-04-01 and 03-04-02 (2021), written once."""
    with django_db_blocker.unblock():
        sheets = Sheet.objects.filter(program__code__in=["03-04-01", "03-04-02"], fiscal_year=2021).order_by("program__code")
        return workbook_write([sheet_document(sheet) for sheet in sheets])


@pytest.fixture
def workbook(exported) -> openpyxl.Workbook:
    """The two sheets, the first turned into a new program 99-99-01: a write that a refusal must undo."""
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    first = workbook["03-04-01"]
    first.cell(row=_row(first, "事務事業コード"), column=2, value="99-99-01")
    first.cell(row=_row(first, "事務事業名"), column=2, value="作成されたはずの事業")
    return workbook


@pytest.fixture
def database_before():
    def picture():
        counts = tuple(model.objects.count() for model in (Program, Sheet, BudgetYear))
        return counts, [sheet_snapshot(sheet) for sheet in Sheet.objects.order_by("program__code", "fiscal_year")]

    before = picture()
    yield
    assert picture() == before


def _long_unit(workbook: openpyxl.Workbook) -> str:
    """A 36-character 単位 on the first indicator of 03-04-02 (the field holds 20); returns its cell."""
    ws = workbook["03-04-02"]
    head = _row(ws, "指標名")
    first = next(row for row in range(head, ws.max_row + 1) if str(ws.cell(row=row, column=1).value).startswith("①"))
    cell = ws.cell(row=first, column=_column(ws, head, "単位"), value="あ" * 36)
    return cell.coordinate


def _zip_bomb(workbook: openpyxl.Workbook) -> bytes:
    return _rezip(_bytes(workbook), add={"xl/media/bomb.bin": bytes(60 * 1024 * 1024)})  # 60 MB of zeros, ~60 KB zipped


def _billion_laughs(workbook: openpyxl.Workbook) -> bytes:
    """Entities that would expand to 10⁹ "lol"s, declared in the first worksheet and used in its first text."""
    data = _bytes(workbook)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    body = xml.split("?>", 1)[-1].replace("<t>", "<t>&lol9;", 1)
    return _rezip(data, replace={"xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?>{BILLION_LAUGHS}{body}'})


# (name, settings to override, the file, words the error must hold)
CASES = [
    ("too_large", {"EVALSHEETS_UPLOAD_MAX_BYTES": 20 * 1024}, _bytes, ["ファイルが大きすぎます", "上限は 20 KB"]),
    ("zip_bomb", {}, _zip_bomb, ["展開後の大きさ", "50.0 MB", "圧縮爆弾"]),
    ("billion_laughs", {}, _billion_laughs, ["ENTITY", "billion laughs"]),
    ("too_many_rows", {"EVALSHEETS_UPLOAD_MAX_ROWS": 50}, _bytes, ["シート 03-04-01", "行が多すぎます", "50 行"]),
    ("too_many_worksheets", {"EVALSHEETS_UPLOAD_MAX_WORKSHEETS": 1}, _bytes, ["ワークシートが多すぎます", "上限 1 枚"]),
    ("too_slow", {"EVALSHEETS_UPLOAD_SECONDS": 0}, _bytes, ["制限時間（0 秒）"]),
]


@pytest.mark.parametrize(("overrides", "make", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_the_upload_page_refuses_with_a_clear_error_and_changes_nothing(
    admin_client, settings, workbook, database_before, overrides, make, words
):
    data = make(workbook)
    for name, value in overrides.items():
        setattr(settings, name, value)
    upload = io.BytesIO(data)
    upload.name = FILE_NAME
    response = admin_client.post("/excel/upload/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    for word in words:
        assert word in html


@pytest.mark.parametrize(("overrides", "make", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_the_import_command_refuses_with_a_one_line_error_and_changes_nothing(
    tmp_path, settings, workbook, database_before, overrides, make, words
):
    path = tmp_path / FILE_NAME
    path.write_bytes(make(workbook))
    for name, value in overrides.items():
        setattr(settings, name, value)
    with pytest.raises(CommandError) as error:
        call_command("import_sheets", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert error.value.returncode == 1
    header, line = str(error.value).splitlines()
    assert "1 件のファイルを取り込めませんでした" in header
    assert FILE_NAME in line and "Traceback" not in line
    for word in words:
        assert word in line


def test_an_overlong_value_names_sheet_cell_and_limit_on_the_upload_page(admin_client, workbook, database_before):
    cell = _long_unit(workbook)
    upload = io.BytesIO(_bytes(workbook))
    upload.name = FILE_NAME
    response = admin_client.post("/excel/upload/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{FILE_NAME} / シート 03-04-02 / 成果指標（indicators[0].unit） / セル {cell}" in html
    assert "「単位」は 20 文字以内にしてください（36 文字あります）" in html
    assert "データベースは変更されていません" in html


def test_an_overlong_value_is_one_line_from_the_import_command(tmp_path, workbook, database_before):
    cell = _long_unit(workbook)
    path = tmp_path / FILE_NAME
    path.write_bytes(_bytes(workbook))
    with pytest.raises(CommandError) as error:
        call_command("import_sheets", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert error.value.returncode == 1
    line = str(error.value).splitlines()[1]
    assert f"シート 03-04-02 / 成果指標（indicators[0].unit） / セル {cell}" in line
    assert "20 文字以内" in line


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_workbook_within_the_limits_still_loads(admin_client, workbook):
    del workbook["03-04-02"]
    upload = io.BytesIO(_bytes(workbook))
    upload.name = FILE_NAME
    response = admin_client.post("/excel/upload/", {"file": upload})
    assert response.status_code == 200
    assert Sheet.objects.get(program__code="99-99-01", fiscal_year=2021).name == "作成されたはずの事業"
