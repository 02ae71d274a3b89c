"""No lost updates (optimistic locking) and the audit trail with restore, through the admin as two editors use it."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from programs.models import Sheet
from programs.revisions import sheet_revisions
from tests.html_forms import form_data
from tests.snapshots import sheet_snapshot


def _editor(name: str, sheet: Sheet) -> User:
    user = User.objects.create_user(name, password="x-very-long-passphrase", is_staff=True, first_name=name)
    user.groups.add(Group.objects.get(name="編集"))
    sheet.section.members.add(user)
    return user


@pytest.fixture
def two_editors(client, draft_sheet):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(_editor("佐藤", draft_sheet))
    second.force_login(_editor("鈴木", draft_sheet))
    return first, second


def _budget_key(data: dict, year: str) -> str:
    from evalsheets.lib.wareki import fiscal_year_label

    label = fiscal_year_label(int(year))  # the admin shows and submits the row's year as printed (平成28年度)
    key = next(k for k, v in data.items() if k.endswith("-fiscal_year") and "budget_years" in k and v == [label])
    return key.replace("fiscal_year", "budget")


def test_the_second_of_two_concurrent_editors_is_refused_and_nothing_is_overwritten(two_editors, draft_sheet):
    first, second = two_editors
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    first_form = form_data(first.get(url).content.decode(), "sheet_form")
    second_form = form_data(second.get(url).content.decode(), "sheet_form")  # both opened version 1

    first_form["purpose"] = ["佐藤が書いた目的"]
    assert first.post(url, first_form).status_code == 302
    after_first = sheet_snapshot(Sheet.objects.get(pk=draft_sheet.pk))

    second_form[_budget_key(second_form, "2016")] = ["1"]  # a field the first editor never touched
    response = second.post(url, second_form)
    assert response.status_code == 200  # the form again, with the message
    message = response.content.decode()
    assert "佐藤 さんが" in message and "保存しています" in message and "再読み込み" in message
    assert sheet_snapshot(Sheet.objects.get(pk=draft_sheet.pk)) == after_first
    assert Sheet.objects.get(pk=draft_sheet.pk).purpose == "佐藤が書いた目的"

    reloaded = form_data(second.get(url).content.decode(), "sheet_form")  # after reloading, the save goes through
    reloaded[_budget_key(reloaded, "2016")] = ["1"]
    assert second.post(url, reloaded).status_code == 302
    sheet = Sheet.objects.get(pk=draft_sheet.pk)
    assert sheet.purpose == "佐藤が書いた目的" and sheet.budget_years.get(fiscal_year=2016).budget == 1


def test_an_import_while_the_form_is_open_also_makes_the_save_stale(two_editors, draft_sheet):
    from programs.interchange.serializer import sheet_document
    from programs.selectors import sheet_document_queryset
    from programs.services import sheet_upsert

    first, _second = two_editors
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    opened = form_data(first.get(url).content.decode(), "sheet_form")
    sheet_upsert(document=sheet_document(sheet_document_queryset(viewer=None).get(pk=draft_sheet.pk)))
    assert first.post(url, opened).status_code == 200


def test_history_shows_an_inline_change_with_old_and_new_value_and_its_author(two_editors, draft_sheet):
    first, _second = two_editors
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    data = form_data(first.get(url).content.decode(), "sheet_form")
    data[_budget_key(data, "2016")] = ["398000"]
    data["change_reason"] = ["平成28年度の予算額を訂正"]
    assert first.post(url, data).status_code == 302

    newest = sheet_revisions(Sheet.objects.get(pk=draft_sheet.pk))[0]
    assert newest.user == "佐藤" and newest.reasons == ["平成28年度の予算額を訂正"]
    assert [(c.part, c.label, c.kind, c.fields) for c in newest.changes] == [
        ("予算・決算額等の推移", "平成28年度", "変更", [("予算額（千円）", "434,429", "398,000")])
    ]
    page = first.get(reverse("programs:sheet_history", args=[2021, "03-04-01"])).content.decode()
    assert "佐藤" in page and "434,429" in page and "398,000" in page and "平成28年度" in page
    assert "理由: 平成28年度の予算額を訂正" in page


def test_restore_brings_back_the_sheet_and_its_parts_and_is_itself_recorded(two_editors, draft_sheet):
    first, _second = two_editors
    before = sheet_snapshot(Sheet.objects.get(pk=draft_sheet.pk))
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    data = form_data(first.get(url).content.decode(), "sheet_form")
    data["purpose"] = ["書き換えた目的"]
    data[_budget_key(data, "2016")] = ["1"]
    assert first.post(url, data).status_code == 302
    issues_total = next(k for k in data if k.startswith("issues-") and k.endswith("TOTAL_FORMS"))
    assert issues_total  # parts are on the same form
    changed = Sheet.objects.get(pk=draft_sheet.pk)
    assert changed.purpose == "書き換えた目的"

    original = sheet_revisions(changed)[1]  # the save before the edit (the seed load)
    response = first.post(reverse("programs:sheet_restore", args=[2021, "03-04-01", original.history_id]))
    assert response.status_code == 302
    restored = Sheet.objects.get(pk=draft_sheet.pk)
    assert sheet_snapshot(restored) == before
    newest = sheet_revisions(restored)[0]
    assert newest.user == "佐藤" and any(reason.startswith("復元") for reason in newest.reasons)


def test_a_status_change_and_an_edit_moments_apart_are_two_saves(client, sheet):
    from programs import workflow

    editor = User.objects.create_superuser("kanri", password="x-very-long-passphrase")
    workflow.change_status(sheet=sheet, target="draft", user=editor, reason="訂正")
    client.force_login(editor)
    url = reverse("admin:programs_sheet_change", args=[sheet.pk])
    data = form_data(client.get(url).content.decode(), "sheet_form")
    data[_budget_key(data, "2016")] = ["1"]
    assert client.post(url, data).status_code == 302  # well within SAVE_WINDOW of the status change

    edit, reopening = sheet_revisions(Sheet.objects.get(pk=sheet.pk))[:2]
    assert [(c.part, c.fields) for c in edit.changes] == [("予算・決算額等の推移", [("予算額（千円）", "434,429", "1")])]
    assert reopening.reasons == ["状態の変更: 公開 → 作成中（訂正）"]
