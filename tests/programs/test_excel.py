"""The Excel round trip: export → import into an empty database → export again changes nothing."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError

from finance.models import BudgetYear
from programs import selectors
from programs.documents import DocumentError
from programs.interchange.serializer import sheet_document
from programs.interchange.workbook import blank_template_bytes, workbook_load, workbook_read, workbook_write
from programs.interchange.workbook_layout import AMOUNT_FORMAT
from programs.models import Department, Measure, Policy, PolicyField, Program, Section, Sheet
from programs.services import sheet_upsert
from tests import source_figures as source

# imports replace sheets being written: the seed sheets are reopened (作成中) for each test
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_drafts")]
CODES = sorted(source.BUDGET_HISTORY)
URL_KEYS = {"url", "api_url"}


def _documents() -> list[dict]:
    sheets = selectors.sheet_document_queryset(viewer=None).order_by("program__code", "fiscal_year")
    return [{k: v for k, v in sheet_document(sheet).items() if k not in URL_KEYS} for sheet in sheets]


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _save(workbook: openpyxl.Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _row(ws, label: str, *, after: int = 0) -> int:
    """The row whose column A holds `label` (the first after row `after`)."""
    for row in range(after + 1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == label:
            return row
    raise AssertionError(f"{label} not found in column A")


def _column(ws, row: int, head: str) -> int:
    for column in range(1, ws.max_column + 1):
        if ws.cell(row=row, column=column).value == head:
            return column
    raise AssertionError(f"{head} not found in row {row}")


def _cells(workbook: openpyxl.Workbook) -> dict:
    return {
        ws.title: (
            sorted(str(r) for r in ws.merged_cells.ranges),
            [[(c.value, c.number_format, bool(c.font.b)) for c in row] for row in ws.iter_rows()],
        )
        for ws in workbook.worksheets
    }


def _empty_database() -> None:
    Sheet.objects.all().delete()
    Program.objects.all().delete()
    for model in (Measure, Policy, PolicyField, Section, Department):
        model.objects.all().delete()


def _counts() -> tuple:
    return (Program.objects.count(), Sheet.objects.count(), BudgetYear.objects.count(), PolicyField.objects.count())


@pytest.fixture
def exported() -> tuple[list[dict], bytes]:
    documents = _documents()
    return documents, workbook_write(documents)


@pytest.fixture
def pair() -> bytes:
    """A workbook of 03-04-01 and 03-04-02 only (small: quick to edit with openpyxl)."""
    return workbook_write([d for d in _documents() if d["code"] in {"03-04-01", "03-04-02"}])


@pytest.fixture
def round_trip(exported):
    """Export the six seed sheets, empty the database, import the workbook."""
    documents, data = exported
    _empty_database()
    assert _counts() == (0, 0, 0, 0)
    results = workbook_load(file=io.BytesIO(data), name="export.xlsx")
    return documents, data, results


def test_export_import_export_is_identical(round_trip):
    documents, data, results = round_trip
    assert [(r.sheet.program.code, r.created) for r in results] == [(code, True) for code in CODES]
    again = _documents()
    assert again == documents
    assert _cells(_workbook(workbook_write(again))) == _cells(_workbook(data))


def test_every_budget_figure_survives_the_round_trip(round_trip):
    _, data, _ = round_trip
    workbook = _workbook(data)
    for code, years in source.BUDGET_HISTORY.items():
        ws = workbook[code]
        head = _row(ws, "年度", after=_row(ws, "予算・決算額等の推移"))
        budget_row, settlement_row = _row(ws, "予算額", after=head), _row(ws, "決算額", after=head)
        for year, (budget, settlement) in years.items():
            label = {2015: "平成27年度", 2016: "平成28年度", 2017: "平成29年度", 2018: "平成30年度"}.get(year) or (
                "令和元年度" if year == 2019 else f"令和{year - 2018}年度"
            )
            column = _column(ws, head, label)
            for row, expected in ((budget_row, budget), (settlement_row, settlement)):
                cell = ws.cell(row=row, column=column)
                assert (cell.value, type(cell.value), cell.number_format) == (expected, int, AMOUNT_FORMAT)
        stored = BudgetYear.objects.filter(sheet__program__code=code)
        assert {b.fiscal_year: (b.budget, b.settlement) for b in stored} == years
        assert [b.fiscal_year for b in stored if b.settlement_is_estimate] == [2021]


def test_indicator_precision_and_estimates_are_kept(exported):
    _, data = exported
    ws = _workbook(data)["03-04-01"]
    row = _row(ws, "③システム評価におけるユーザ満足度調査の平均値")
    head = _row(ws, "指標名")
    cell = ws.cell(row=row, column=_column(ws, head, "平成30年度"))
    assert (cell.value, cell.number_format) == (3, "#,##0.0")
    doc = workbook_read(io.BytesIO(data), name="export.xlsx")[0]
    satisfaction = doc["indicators"][2]
    assert [v["value"] for v in satisfaction["values"]] == ["3.0", "3.3", "3.4", "3.5"]
    assert [v["is_estimate"] for v in satisfaction["values"]] == [False, False, False, True]
    assert satisfaction["target"] == "4.0"
    assert doc["budget_history"][-1] == {
        "fiscal_year": 2021,
        "budget": 468771,
        "settlement": 468771,
        "settlement_is_estimate": True,
    }


def test_texts_keep_their_line_breaks_and_negative_amounts_show_a_triangle(exported):
    documents, data = exported
    ws = _workbook(data)["03-04-01"]
    content = ws.cell(row=_row(ws, "内容"), column=2)
    assert content.value == documents[0]["content"] and "\n" in content.value
    assert content.alignment.wrap_text
    balance = ws.cell(row=_row(ws, "行政収支差額 (a)-(b)=(c)"), column=2)
    assert (balance.value, balance.number_format) == (-425739, '#,##0;"▲ "#,##0')


def test_two_years_of_one_code_get_year_suffixes():
    document = _documents()[0]
    later = {**document, "fiscal_year": 2022}
    data = workbook_write([document, later, _documents()[1]])
    assert _workbook(data).sheetnames == ["03-04-01_2021", "03-04-01_2022", "03-04-02"]
    assert [(d["code"], d["fiscal_year"]) for d in workbook_read(io.BytesIO(data))] == [
        ("03-04-01", 2021),
        ("03-04-01", 2022),
        ("03-04-02", 2021),
    ]


# -- the blank template -------------------------------------------------------------------------


def _fill_required(ws) -> None:
    ws.cell(row=_row(ws, "事務事業コード"), column=2, value="99-01-01")
    ws.cell(row=_row(ws, "事務事業名"), column=2, value="新しい事業")
    ws.cell(row=_row(ws, "部課名"), column=2, value="区民生活部")
    ws.cell(row=_row(ws, "部課名"), column=3, value="戸籍住民課")
    for label, code, name in (("分野", "Ⅰ", "生涯健康都市"), ("政策", "01", "健康"), ("施策", "01", "健康づくり")):
        ws.cell(row=_row(ws, label), column=2, value=code)
        ws.cell(row=_row(ws, label), column=3, value=name)


def test_blank_template_has_every_label_and_the_year_heads():
    workbook = _workbook(blank_template_bytes(2022))
    assert workbook.sheetnames == ["新規", "記入方法"]
    ws = workbook["新規"]
    assert ws["A1"].value == "事務事業分析シート（令和4年度）"
    for label in (
        "事務事業コード",
        "事務事業名",
        "部課名",
        "成果指標",
        "予算・決算額等の推移",
        "実績の推移",
        "予算・決算の内訳",
        "行政コスト計算書",
        "備考",
        "問題点・課題",
        "問題点・課題の改善策",
        "他区の実況",
        "議会（要旨）",
    ):
        _row(ws, label)
    budget_head = _row(ws, "年度", after=_row(ws, "予算・決算額等の推移"))
    assert [c.value for c in ws[budget_head]][1:8] == [
        "平成28年度",
        "平成29年度",
        "平成30年度",
        "令和元年度",
        "令和2年度",
        "令和3年度",
        "令和4年度",
    ]
    indicator_head = _row(ws, "指標名")
    assert _column(ws, indicator_head, "令和4年度") and _column(ws, indicator_head, "目標値")


def test_blank_template_defaults_to_the_latest_fiscal_year():
    assert _workbook(blank_template_bytes())["新規"]["A1"].value == "事務事業分析シート（令和3年度）"


def test_blank_template_needs_the_required_fields():
    with pytest.raises(DocumentError) as error:
        workbook_read(io.BytesIO(blank_template_bytes(2021)), name="blank.xlsx")
    assert error.value.path == "blank.xlsx / シート 新規 / 事務事業コード"


def test_filled_blank_template_reads_back_as_an_empty_valid_sheet():
    workbook = _workbook(blank_template_bytes(2021))
    _fill_required(workbook["新規"])
    [doc] = workbook_read(_save(workbook), name="filled.xlsx")
    assert (doc["code"], doc["fiscal_year"], doc["name"], doc["department"], doc["section"]) == (
        "99-01-01",
        2021,
        "新しい事業",
        "区民生活部",
        "戸籍住民課",
    )
    for key in (
        "staff",
        "sub_programs",
        "history",
        "indicators",
        "budget_history",
        "activity",
        "budget_breakdown",
        "cost_statement",
        "issues",
        "improvements",
        "direct_staff",
    ):
        assert doc[key] == [], key
    assert doc["purpose"] == doc["remarks"] == doc["council"] == doc["classification"]["current"] == ""
    assert doc["other_wards"] == {"implemented": None, "not_implemented": None, "unknown": None, "notes": ""}
    result = sheet_upsert(document=doc)
    assert result.created
    loaded = sheet_document(selectors.sheet_document_queryset(viewer=None).get(pk=result.sheet.pk))
    assert loaded["budget_history"] == loaded["indicators"] == loaded["cost_statement"] == []
    assert loaded["policy"]["measure"] == {"code": "01", "name": "健康づくり"}


def test_a_ward_may_insert_rows_and_type_values_as_text():
    workbook = _workbook(blank_template_bytes(2021))
    ws = workbook["新規"]
    _fill_required(ws)
    ws.insert_rows(_row(ws, "予算・決算額等の推移"), amount=2)  # rows inserted above a block move it down
    head = _row(ws, "年度", after=_row(ws, "予算・決算額等の推移"))
    column = _column(ws, head, "令和元年度")
    ws.cell(row=_row(ws, "予算額", after=head), column=column, value="1,234")
    ws.cell(row=_row(ws, "決算額", after=head), column=column, value=1000)
    activity_head = _row(ws, "事項名")
    ws.insert_rows(activity_head + 2)
    ws.cell(row=activity_head + 2, column=1, value="相談件数")
    ws.cell(row=activity_head + 2, column=_column(ws, activity_head, "令和3年度"), value="42.0")
    [doc] = workbook_read(_save(workbook))
    assert doc["budget_history"] == [{"fiscal_year": 2019, "budget": 1234, "settlement": 1000, "settlement_is_estimate": False}]
    assert doc["activity"] == [
        {"name": "相談件数", "unit": "", "parent": None, "values": [{"fiscal_year": 2021, "value": "42.0", "is_estimate": True}]}
    ]


def test_texts_that_look_like_formulas_and_dates_that_excel_converted_are_read_as_meant():
    import datetime

    workbook = _workbook(blank_template_bytes(2021))
    ws = workbook["新規"]
    _fill_required(ws)
    ws.cell(row=_row(ws, "年月") + 1, column=1, value=datetime.datetime(2021, 4, 1))  # Excel turned 令和3年4月 into a date
    ws.cell(row=_row(ws, "年月") + 1, column=3, value="新システム稼働")
    [doc] = workbook_read(_save(workbook))
    assert doc["history"] == [{"era_label": "令和3年4月", "year": 2021, "month": 4, "group": "", "text": "新システム稼働"}]
    doc["remarks"] = "=SUM(A1) は式ではなく文字"
    assert workbook_read(io.BytesIO(workbook_write([doc])))[0]["remarks"] == "=SUM(A1) は式ではなく文字"


# -- bad inputs ---------------------------------------------------------------------------------


def _budget_cell(ws, row_label: str, year_label: str):
    head = _row(ws, "年度", after=_row(ws, "予算・決算額等の推移"))
    return ws.cell(row=_row(ws, row_label, after=head), column=_column(ws, head, year_label))


def _set_budget_words(ws):
    _budget_cell(ws, "予算額", "令和元年度").value = "四百"


def _delete_budget_row(ws):
    ws.delete_rows(_budget_cell(ws, "予算額", "令和元年度").row)


def _delete_budget_block(ws):
    start = _row(ws, "予算・決算額等の推移")
    ws.delete_rows(start, _row(ws, "実績の推移") - start)


def _unreadable_year_head(ws):
    cell = _budget_cell(ws, "予算額", "令和2年度")
    ws.cell(row=cell.row - 1, column=cell.column, value="令和X年度")


def _cost_amount_words(ws):
    head = _row(ws, "勘定科目")
    ws.cell(row=_row(ws, "物件費", after=head), column=_column(ws, head, "令和2年度"), value="たくさん")


def _indicator_value_words(ws):
    head = _row(ws, "指標名")
    second = next(row for row in range(head, ws.max_row + 1) if str(ws.cell(row=row, column=1).value).startswith("②"))
    ws.cell(row=second, column=_column(ws, head, "令和元年度"), value="なし")


def _delete_target_head(ws):
    head = _row(ws, "指標名")
    ws.cell(row=head, column=_column(ws, head, "目標値")).value = None


def _delete_name_row(ws):
    ws.delete_rows(_row(ws, "事務事業名"))


def _bad_estimate_mark(ws):
    _budget_cell(ws, "見込み", "令和2年度").value = "たぶん"


BAD_INPUTS = [
    (_set_budget_words, "予算・決算額等の推移 / 令和元年度 / 予算額", "「四百」は数値として読めません"),
    (_delete_budget_row, "予算・決算額等の推移 / 予算額", "「予算額」の行"),
    (_delete_budget_block, "予算・決算額等の推移", "「予算・決算額等の推移」の欄"),
    (_unreadable_year_head, "予算・決算額等の推移 / 見出し G", "「令和X年度」は年度として読めません"),
    (_cost_amount_words, "行政コスト計算書 / 令和2年度 / 物件費", "「たくさん」は数値として読めません"),
    (_indicator_value_words, "成果指標 / ② / 令和元年度", "「なし」は数値として読めません"),
    (_delete_target_head, "成果指標 / 目標値", "列「目標値」"),
    (_delete_name_row, "事務事業名", "「事務事業名」の欄"),
    (_bad_estimate_mark, "予算・決算額等の推移 / 令和2年度 / 見込み", "見込みの印"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUTS, ids=[c.__name__ for c, _, _ in BAD_INPUTS])
def test_bad_workbook_names_file_worksheet_and_field_and_changes_nothing(pair, change, field, message):
    workbook = _workbook(pair)
    workbook["03-04-01"].cell(row=_row(workbook["03-04-01"], "事務事業名"), column=2, value="変更されたはずの名前")
    change(workbook["03-04-02"])
    before = (
        _counts(),
        list(Sheet.objects.values_list("name", flat=True)),
        list(BudgetYear.objects.values_list("budget", flat=True)),
    )
    with pytest.raises(DocumentError) as error:
        workbook_load(file=_save(workbook), name="区の記入.xlsx")
    assert error.value.path.startswith(f"区の記入.xlsx / シート 03-04-02 / {field}")
    assert message in error.value.message
    after = (
        _counts(),
        list(Sheet.objects.values_list("name", flat=True)),
        list(BudgetYear.objects.values_list("budget", flat=True)),
    )
    assert after == before


def test_a_sheet_refused_by_the_loader_rolls_back_the_sheets_before_it(pair):
    workbook = _workbook(pair)
    first = workbook["03-04-01"]
    first.cell(row=_row(first, "事務事業名"), column=2, value="変更されたはずの名前")
    second = workbook["03-04-02"]
    head = _row(second, "事項名")
    second.cell(row=head + 2, column=_column(second, head, "親項目"), value="存在しない親")
    with pytest.raises(DocumentError) as error:
        workbook_load(file=_save(workbook), name="区の記入.xlsx")
    assert error.value.path == "区の記入.xlsx / シート 03-04-02 / 実績の推移（activity[0].parent）"
    assert Sheet.objects.get(program__code="03-04-01").name == "業務系システム運用管理"


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(DocumentError) as error:
        workbook_read(io.BytesIO(b"not a zip"), name="memo.xlsx")
    assert error.value.path == "memo.xlsx"


def test_the_same_sheet_twice_in_one_workbook_is_refused(pair):
    workbook = _workbook(pair)
    workbook.copy_worksheet(workbook["03-04-01"]).title = "コピー"
    with pytest.raises(DocumentError, match="03-04-01"):
        workbook_read(_save(workbook), name="dup.xlsx")


# -- the export command -------------------------------------------------------------------------


def test_export_command_writes_six_worksheets(tmp_path, capsys):
    out = tmp_path / "sheets.xlsx"
    call_command("export_sheets", str(out))
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == CODES
    assert "6 枚のシート" in capsys.readouterr().out
    call_command("export_sheets", str(out), "--fiscal-year", "2021", "--code", "03-04-05", "03-04-01")
    assert openpyxl.load_workbook(out).sheetnames == ["03-04-01", "03-04-05"]


def test_export_command_refuses_an_empty_selection(tmp_path):
    with pytest.raises(CommandError, match="条件に合うシートがありません"):
        call_command("export_sheets", str(tmp_path / "x.xlsx"), "--fiscal-year", "2020")
    with pytest.raises(CommandError, match="99-99-99"):
        call_command("export_sheets", str(tmp_path / "x.xlsx"), "--code", "03-04-01", "99-99-99")


# -- the views ----------------------------------------------------------------------------------


def _download(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def test_one_sheet_download(client):
    assert client.get("/sheets/2021/03-04-05/excel/").status_code == 404  # 作成中 (this module's fixture): not public
    Sheet.objects.filter(program__code="03-04-05").update(status="published")
    workbook = _download(client.get("/sheets/2021/03-04-05/excel/"))
    assert workbook.sheetnames == ["03-04-05"]
    assert client.get("/sheets/2021/99-99-99/excel/").status_code == 404
    assert client.get("/sheets/2020/03-04-05/excel/").status_code == 404


def test_filtered_list_download_uses_the_sheets_filters(admin_client):
    client = admin_client
    assert _download(client.get("/sheets/excel/")).sheetnames == CODES
    assert _download(client.get("/sheets/excel/", {"q": "03-04-05"})).sheetnames == ["03-04-05"]
    assert _download(client.get("/sheets/excel/", {"q": "ネットワーク"})).sheetnames == ["03-04-02", "03-04-04", "03-04-06"]
    assert _download(client.get("/sheets/excel/", {"classification": "継続", "sort": "code"})).sheetnames == CODES[2:]
    assert client.get("/sheets/excel/", {"fiscal_year": "abcd"}).status_code == 400


def test_the_workbook_of_all_sheets_needs_a_login(client, django_user_model):
    response = client.get("/sheets/excel/", {"q": "03-04"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/sheets/excel/%3Fq%3D03-04"
    assert "様式Excelはログインが必要です" in client.get("/sheets/").content.decode()
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert client.get("/sheets/excel/").status_code == 200
    assert "様式Excelはログインが必要です" not in client.get("/sheets/").content.decode()


def test_the_workbook_of_the_filtered_sheets_is_capped_at_the_upload_limit(admin_client, settings):
    """No request builds a workbook of every sheet of a large installation (worker timeout): over the number of
    worksheets an upload may hold, a 400 asks to narrow the filters; the table's CSV/XLSX have no cap."""
    settings.EVALSHEETS_UPLOAD_MAX_WORKSHEETS = 4
    response = admin_client.get("/sheets/excel/")
    assert response.status_code == 400
    message = response.content.decode()
    assert "様式Excelは4シートまで" in message and "条件に合うシートは6件" in message
    assert _download(admin_client.get("/sheets/excel/", {"classification": "継続"})).sheetnames == CODES[2:]
    assert admin_client.get("/sheets/", {"_export": "csv"}).status_code == 200


def test_blank_template_download(client):
    assert (
        _download(client.get("/sheets/blank.xlsx", {"fiscal_year": "2022"}))["新規"]["A1"].value
        == "事務事業分析シート（令和4年度）"
    )
    assert client.get("/sheets/blank.xlsx", {"fiscal_year": "20x2"}).status_code == 400


def test_upload_is_for_staff_with_sheet_permissions(client):
    anonymous = client.get("/excel/upload/")  # a page saying why, with the login link (not a silent redirect)
    assert anonymous.status_code == 403
    html = anonymous.content.decode()
    assert "編集者のログインが必要です" in html and 'href="/accounts/login/?next=/excel/upload/"' in html
    client.force_login(User.objects.create_user("reader", password="x"))  # logged in, not staff: told to ask for it
    assert "権限がありません" in client.get("/excel/upload/").content.decode()
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/excel/upload/").status_code == 403
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_sheet", "change_sheet"]))
    client.force_login(User.objects.get(pk=staff.pk))
    response = client.get("/excel/upload/")
    assert response.status_code == 200
    assert "Excel ブックからシートを読み込む" in response.content.decode()


def _upload(client, data, name="区の記入.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post("/excel/upload/", {"file": upload})


def test_upload_updates_every_sheet_and_lists_them(admin_client, exported):
    documents, data = exported
    workbook = _workbook(data)
    ws = workbook["03-04-06"]
    ws.cell(row=_row(ws, "事務事業名"), column=2, value="電子自治体の推進（改）")
    response = _upload(admin_client, _save(workbook).getvalue())
    assert response.status_code == 200
    html = response.content.decode()
    assert "6 枚のシートを読み込みました" in html
    assert html.count("<td>更新</td>") == 6
    assert Sheet.objects.get(program__code="03-04-06").name == "電子自治体の推進（改）"
    assert _documents()[:5] == documents[:5]


def test_upload_with_an_error_shows_where_and_changes_nothing(admin_client, pair):
    workbook = _workbook(pair)
    _set_budget_words(workbook["03-04-02"])
    before = _documents()
    response = _upload(admin_client, _save(workbook).getvalue())
    assert response.status_code == 400
    html = response.content.decode()
    assert "区の記入.xlsx / シート 03-04-02 / 予算・決算額等の推移 / 令和元年度 / 予算額" in html
    assert "データベースは変更されていません" in html
    assert _documents() == before


def test_upload_refuses_a_file_that_is_not_xlsx(admin_client):
    response = _upload(admin_client, b"a,b\n", name="sheets.csv")
    assert response.status_code == 400
    assert ".xlsx" in response.content.decode()
