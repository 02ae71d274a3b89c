"""Who may see and change what: identities × actions, for a published and for a draft sheet.

03-04-02 (令和3年度) is made a draft (作成中) for these tests; the five other seed sheets stay published.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from programs.choices import SheetStatus
from programs.models import Section, Sheet, StatusChange
from tests.html_forms import form_data

DRAFT_CODE, PUBLISHED_CODE = "03-04-02", "03-04-01"
FY = 2021
IDENTITIES = ["anonymous", "閲覧", "編集・自課", "編集・他課", "承認", "管理"]
READERS = {"閲覧", "編集・自課", "編集・他課", "承認", "管理"}  # may see drafts


@pytest.fixture
def draft(db):
    sheet = Sheet.objects.select_related("program", "section").get(program__code=DRAFT_CODE, fiscal_year=FY)
    Sheet.objects.filter(pk=sheet.pk).update(status=SheetStatus.DRAFT)
    sheet.refresh_from_db()
    return sheet


@pytest.fixture
def published(db):
    return Sheet.objects.select_related("program", "section").get(program__code=PUBLISHED_CODE, fiscal_year=FY)


def _user(identity: str, section: Section) -> User | None:
    if identity == "anonymous":
        return None
    role = identity.split("・")[0]
    user = User.objects.create_user(f"user-{role}-{len(identity)}", password="x-very-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if identity == "編集・自課":
        section.members.add(user)
    elif identity == "編集・他課":
        other = Section.objects.create(department=section.department, name="他の課")
        other.members.add(user)
    return user


@pytest.fixture(params=IDENTITIES)
def identity(request, client, draft):
    user = _user(request.param, draft.section)  # every seed sheet is in the same 課 as the draft
    if user is not None:
        client.force_login(user)
    return request.param


def _sees(client, sheet: Sheet) -> dict[str, bool]:
    """Whether each public page, export and API shows the sheet."""
    code, name = sheet.program.code, sheet.name
    sheet_page = client.get(reverse("programs:sheet_detail", args=[FY, code]))
    program_page = client.get(reverse("programs:program_detail", args=[code]))
    api_detail = client.get(reverse("api:sheet_detail", args=[FY, code]))
    api_list = client.get(reverse("api:sheet_list"), {"fiscal_year": FY}).json()
    table = client.get(reverse("programs:sheet_list"), {"fiscal_year": FY}).content.decode()
    table_csv = client.get(reverse("programs:sheet_list"), {"fiscal_year": FY, "_export": "csv"}).getvalue().decode("utf-8-sig")
    table_xlsx = client.get(reverse("programs:sheet_list"), {"fiscal_year": FY, "_export": "xlsx"}).getvalue()
    xlsx_codes = {row[1] for row in openpyxl.load_workbook(io.BytesIO(table_xlsx)).active.iter_rows(values_only=True)}
    form_workbook = client.get(reverse("programs:sheet_workbook", args=[FY, code]))
    compare_csv = client.get(reverse("programs:compare"), {"programs": [code], "download": "budget"}).content.decode("utf-8-sig")
    rollup = client.get(reverse("programs:rollup"), {"fiscal_year": FY, "measure": sheet.measure_id}).content.decode()
    overview = client.get(reverse("programs:overview")).content.decode()
    return {
        "sheet page": sheet_page.status_code == 200,
        "program page": program_page.status_code == 200,
        "api detail": api_detail.status_code == 200,
        "api list": code in {row["code"] for row in api_list["results"]},
        "table": f">{code}<" in table,
        "table csv": code in {row[1] for row in csv.reader(io.StringIO(table_csv))},  # after 団体
        "table xlsx": code in xlsx_codes,
        "form workbook": form_workbook.status_code == 200,
        "compare csv": code in compare_csv,
        "rollup": code in rollup,
        "overview": code in overview and name in overview,
    }


def test_every_page_export_and_the_api_show_a_draft_only_to_staff_who_may_read_drafts(client, identity, draft, published):
    allowed = identity in READERS
    assert _sees(client, draft) == dict.fromkeys(_sees(client, published), allowed)
    assert all(_sees(client, published).values())
    if not allowed:
        assert client.get(reverse("programs:sheet_detail", args=[FY, DRAFT_CODE])).status_code == 404


def test_overview_and_rollup_totals_leave_a_draft_out_for_the_public(client, draft):
    from finance.models import BudgetYear

    draft_budget = BudgetYear.objects.get(sheet=draft, fiscal_year=FY).budget
    public = client.get(reverse("programs:rollup"), {"fiscal_year": FY}).context["nodes"][0]["budget"]
    client.force_login(_user("閲覧", draft.section))
    staff = client.get(reverse("programs:rollup"), {"fiscal_year": FY}).context["nodes"][0]["budget"]
    assert staff - public == draft_budget


EDIT = {"anonymous": "login", "閲覧": 403, "編集・自課": 302, "編集・他課": 403, "承認": 403, "管理": 302}


def test_admin_edits_only_drafts_of_the_editors_own_section(client, identity, draft, published):
    url = reverse("admin:programs_sheet_change", args=[draft.pk])
    page = client.get(url)
    if identity == "anonymous":
        assert page.status_code == 302 and "/login/" in page["Location"]
        return
    assert page.status_code == 200  # every role reads it
    data = form_data(page.content.decode(), "sheet_form")
    data["name"] = ["名前を変えた"]
    response = client.post(url, data)
    expected = EDIT[identity]
    assert response.status_code == expected, identity
    assert (Sheet.objects.get(pk=draft.pk).name == "名前を変えた") == (expected == 302)
    # a published sheet is changed only by reopening it: nobody edits it as it is
    assert client.post(reverse("admin:programs_sheet_change", args=[published.pk]), data).status_code == 403


SUBMIT = {"anonymous": False, "閲覧": False, "編集・自課": True, "編集・他課": False, "承認": False, "管理": True}
REOPEN = {"anonymous": False, "閲覧": False, "編集・自課": False, "編集・他課": False, "承認": True, "管理": True}


def test_status_changes_follow_the_roles(client, identity, draft, published):
    status_url = lambda s: reverse("programs:sheet_status", args=[FY, s.program.code])  # noqa: E731
    client.post(status_url(draft), {"target": SheetStatus.SUBMITTED})
    draft.refresh_from_db()
    assert (draft.status == SheetStatus.SUBMITTED) == SUBMIT[identity], identity
    client.post(status_url(published), {"target": SheetStatus.DRAFT, "reason": "目標値の誤りを直す"})
    published.refresh_from_db()
    assert (published.status == SheetStatus.DRAFT) == REOPEN[identity], identity
    if REOPEN[identity]:
        change = StatusChange.objects.get(sheet=published)
        assert (change.from_status, change.to_status, change.reason) == ("published", "draft", "目標値の誤りを直す")
        assert published.history.first().history_change_reason == "状態の変更: 公開 → 作成中（目標値の誤りを直す）"


def test_reopening_needs_a_reason_and_the_whole_workflow_ends_public(client, draft):
    approver = _user("承認", draft.section)
    editor = _user("編集・自課", draft.section)
    url = reverse("programs:sheet_status", args=[FY, DRAFT_CODE])
    client.force_login(editor)
    client.post(url, {"target": "submitted"})
    client.force_login(approver)
    client.post(url, {"target": "approved"})
    client.post(url, {"target": "published"})
    draft.refresh_from_db()
    assert draft.status == SheetStatus.PUBLISHED
    response = client.post(url, {"target": "draft"}, follow=True)
    assert "理由の入力が必要です" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == SheetStatus.PUBLISHED
    assert [c.to_status for c in StatusChange.objects.filter(sheet=draft).order_by("id")] == [
        "submitted",
        "approved",
        "published",
    ]
    client.logout()
    assert client.get(reverse("programs:sheet_detail", args=[FY, DRAFT_CODE])).status_code == 200


RESTORE = {"anonymous": "login", "閲覧": 403, "編集・自課": 302, "編集・他課": 403, "承認": 403, "管理": 302}


def test_restore_is_for_editors_of_a_draft(client, identity, draft):
    history = draft.history.order_by("history_date").first()
    url = reverse("programs:sheet_restore", args=[FY, DRAFT_CODE, history.history_id])
    response = client.post(url)
    expected = RESTORE[identity]
    if expected == "login":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == expected, identity


def test_new_users_roles_exist_with_their_permissions(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"閲覧", "編集", "承認", "管理"} <= names
    editor = Group.objects.get(name="編集").permissions.values_list("codename", flat=True)
    assert {"change_sheet", "change_budgetyear", "submit_sheet", "view_unpublished_sheet"} <= set(editor)
    assert "publish_sheet" not in editor and "change_user" not in editor
    assert "change_user" in Group.objects.get(name="管理").permissions.values_list("codename", flat=True)


def test_the_admin_refuses_a_program_code_no_url_can_hold(admin_client):
    response = admin_client.post(reverse("admin:programs_program_add"), {"code": "03/04\x0701", "name": "試し"})
    assert response.status_code == 200
    assert "事務事業コードに / や制御文字は使えません" in response.content.decode()


def test_a_year_of_drafts_only_is_not_offered_to_the_public(client, db):
    from programs.filtersets import fiscal_year_choices
    from programs.rollover import fiscal_year_start

    fiscal_year_start(fiscal_year=2022)  # 前年度複写: six new sheets, 作成中
    assert [year for year, _label in fiscal_year_choices(None)] == [2022, 2021]
    html = client.get(reverse("programs:sheet_list")).content.decode()
    assert 'value="2022"' not in html and 'value="2021"' in html
    assert client.get(reverse("programs:sheet_list"), {"fiscal_year": 2022}).context["filter"].errors
