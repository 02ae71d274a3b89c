"""The 改善策 follow-up ledger (issue 15 part 2): statuses proposed from the texts, trails across roll-overs, imports
and the admin, /improvements/ with its filters, CSV, visibility and query counts."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from programs import selectors
from programs.choices import ImprovementStatus, SheetStatus
from programs.improvements import REPEAT_RATIO, improvements_refresh, proposed_status, text_ratio
from programs.interchange.serializer import sheet_document
from programs.models import Improvement, Sheet
from programs.services import sheet_upsert
from tests.factories import sheets_bulk_create
from tests.html_forms import form_data

URL = reverse("programs:improvement_list")
PLANNED, IN_PROGRESS, DONE, DROPPED = (s.value for s in ImprovementStatus)


def _row(code: str, year: int, number: int) -> Improvement:
    return Improvement.objects.get(sheet__program__code=code, sheet__fiscal_year=year, number=number)


def _keys(response) -> set[tuple[str, int]]:
    return {(entry["code"], entry["end"].number) for entry in response.context["entries"]}


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# ---------------------------------------------------------------- proposed status (no database)


@pytest.mark.parametrize(
    ("plan", "result", "next_", "expected"),
    [
        ("", "", "", ""),  # nothing said: nothing to follow
        ("研修を実施する。", "", "", PLANNED),  # a roll-over's new row: no result reported yet
        ("", "", "回線の増速を検討する。", PLANNED),
        ("研修を実施する。", "研修を2回実施した。", "研修を実施する。", IN_PROGRESS),  # the plan goes on
        ("研修を実施する。", "研修を2回実施した。", "研修を 実施する", IN_PROGRESS),  # spaces and punctuation do not count
        ("研修を実施する。", "研修を2回実施した。", "手順書を整備する。", DONE),
        ("", "移行スケジュールを作成した。", "国の動向を注視する。", DONE),
    ],
)
def test_proposed_status_follows_the_texts(plan, result, next_, expected):
    assert proposed_status(plan=plan, result=result, next=next_) == expected


def test_a_blank_row_carries_the_status_of_the_row_it_continues():
    assert proposed_status(plan="", result="", next="", carried=IN_PROGRESS) == IN_PROGRESS
    assert proposed_status(plan="研修を実施する。", result="", next="", carried=DONE) == PLANNED


def test_repeat_threshold_is_a_similarity_ratio():
    assert text_ratio("訓練を行う", "訓練を行う。") == 1.0
    assert text_ratio("訓練を行う", "") == 0.0
    assert 0 < REPEAT_RATIO <= 1


# ---------------------------------------------------------------- trails


@pytest.mark.django_db
def test_two_roll_overs_form_one_trail_of_three_years_on_the_ledger(admin_client):
    first = _row("03-04-01", 2021, 1)
    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    call_command("start_fiscal_year", "2023", stdout=io.StringIO())
    second, third = _row("03-04-01", 2022, 1), _row("03-04-01", 2023, 1)
    assert (second.previous_id, third.previous_id) == (first.pk, second.pk)
    assert second.plan == first.next and second.proposed_status == PLANNED
    assert third.plan == "" and third.proposed_status == PLANNED  # says nothing: stands where 令和4年度 left it

    response = admin_client.get(URL, {"program": "03-04-01"})
    assert response.status_code == 200
    entries = {entry["end"].number: entry for entry in response.context["entries"]}
    assert set(entries) == {1, 2, 3}  # one entry per trail, not per row
    trail = entries[1]["trail"]
    assert [row["sheet__fiscal_year"] for row in trail] == [2021, 2022, 2023]
    assert [row["id"] for row in trail] == [first.pk, second.pk, third.pk]
    html = response.content.decode()
    assert "令和3年度のシート" in html and "令和5年度のシート" in html
    assert first.next in html
    assert 'href="/programs/03-04-01/"' in html and 'href="/sheets/2023/03-04-01/"' in html
    # the promise of 令和3年度 for 令和4年度 was never reported on: still open when the trail ends in 令和5年度
    promised = admin_client.get(URL, {"program": "03-04-01", "promised_not_done": "on"})
    assert _keys(promised) == {("03-04-01", 1), ("03-04-01", 2), ("03-04-01", 3)}


@pytest.mark.django_db
def test_a_status_set_in_the_admin_shows_on_the_ledger(admin_client, draft_sheet):
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    page = admin_client.get(url).content.decode()
    assert "（本文から推定: 完了）" in page and "本文から推定した状況" in page
    data = form_data(page, "sheet_form")
    prefix = next(k for k, v in data.items() if "improvements" in k and k.endswith("-number") and v == ["2"])[: -len("number")]
    data[prefix + "status"] = [DROPPED]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = _row("03-04-01", 2021, 2)
    assert row.status == DROPPED and row.proposed_status == DONE

    ledger = admin_client.get(URL, {"program": "03-04-01"})
    entry = next(e for e in ledger.context["entries"] if e["end"].number == 2)
    assert entry["status"] == {"value": DROPPED, "label": "見送り", "set": True}
    assert "見送り" in ledger.context["summary"]
    only_dropped = admin_client.get(URL, {"program": "03-04-01", "status": DROPPED})
    assert _keys(only_dropped) == {("03-04-01", 2)}


@pytest.mark.django_db
def test_the_indicator_select_offers_only_this_sheets_outcome_indicators(admin_client, draft_sheet):
    page = admin_client.get(reverse("admin:programs_sheet_change", args=[draft_sheet.pk])).content.decode()
    own = Indicator.objects.filter(sheet=draft_sheet).values_list("pk", flat=True)
    other = Indicator.objects.exclude(sheet=draft_sheet).values_list("pk", flat=True)
    select = page[page.index('name="improvements-0-indicator"') :].split("</select>")[0]
    assert "（同じ番号の成果指標）" in select
    assert all(f'value="{pk}"' in select for pk in own)
    assert not any(f'value="{pk}"' in select for pk in other)


@pytest.mark.django_db
def test_a_published_sheet_shows_its_improvements_read_only_with_the_status(admin_client, sheet):
    page = admin_client.get(reverse("admin:programs_sheet_change", args=[sheet.pk])).content.decode()
    assert 'name="improvements-0-status"' not in page  # read-only (published)
    assert "本文から推定した状況" in page and "完了" in page


def _document(code: str, year: int) -> dict:
    sheet = selectors.sheet_document_queryset(viewer=None).get(program__code=code, fiscal_year=year)
    return json.loads(json.dumps(sheet_document(sheet), cls=DjangoJSONEncoder))


@pytest.mark.django_db
def test_an_import_links_the_trail_again_both_ways(seed_drafts):
    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    _row("03-04-01", 2021, 2).__class__.objects.filter(pk=_row("03-04-01", 2021, 2).pk).update(status=DROPPED)

    sheet_upsert(document=_document("03-04-01", 2021))  # replaces the 2021 rows: new primary keys
    old = {r.number: r for r in Improvement.objects.filter(sheet__program__code="03-04-01", sheet__fiscal_year=2021)}
    new = {r.number: r for r in Improvement.objects.filter(sheet__program__code="03-04-01", sheet__fiscal_year=2022)}
    assert {n: r.previous_id for n, r in new.items()} == {n: old[n].pk for n in new}
    assert old[2].status == DROPPED  # an editor's status stays with the number

    document = _document("03-04-01", 2022)  # the 2022 sheet with its 改善策 in another order and renumbered
    for item, number in zip(document["improvements"], [3, 1, 2], strict=True):
        item["number"] = number
    sheet_upsert(document=document)
    relinked = Improvement.objects.filter(sheet__program__code="03-04-01", sheet__fiscal_year=2022)
    assert {r.plan: r.previous_id for r in relinked} == {o.next: o.pk for o in old.values()}  # by text, not number
    assert all(r.proposed_status == PLANNED for r in relinked)


@pytest.mark.django_db
def test_a_restore_keeps_the_trail_whole(admin_client, draft_sheet):
    from programs.revisions import sheet_restore, sheet_revisions

    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    url = reverse("admin:programs_sheet_change", args=[draft_sheet.pk])
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    data["purpose"] = ["書き換えた目的"]
    assert admin_client.post(url, data).status_code == 302
    original = sheet_revisions(Sheet.objects.get(pk=draft_sheet.pk))[1]
    sheet_restore(sheet=Sheet.objects.get(pk=draft_sheet.pk), history_id=original.history_id, user=None)
    old = {r.number: r.pk for r in Improvement.objects.filter(sheet=draft_sheet)}
    new = Improvement.objects.filter(sheet__program__code="03-04-01", sheet__fiscal_year=2022)
    assert {r.number: r.previous_id for r in new} == old  # the restore's delete cut them; linked again


@pytest.mark.django_db
def test_refresh_improvements_fills_statuses_and_links_of_rows_written_before_the_ledger():
    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    call_command("start_fiscal_year", "2023", stdout=io.StringIO())
    expected = {r.pk: (r.previous_id, r.proposed_status) for r in Improvement.objects.all()}
    Improvement.objects.update(previous=None, proposed_status="")  # as migration 0020 left existing rows
    out = io.StringIO()
    call_command("refresh_improvements", "--batch-size", "5", stdout=out)
    assert "18 枚のシートの改善策を更新しました" in out.getvalue()
    assert {r.pk: (r.previous_id, r.proposed_status) for r in Improvement.objects.all()} == expected


@pytest.mark.django_db
def test_refresh_drops_a_link_to_another_programs_row():
    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    row = _row("03-04-02", 2022, 1)
    Improvement.objects.filter(pk=row.pk).update(previous=None)
    Improvement.objects.filter(pk=_row("03-04-01", 2022, 1).pk).update(previous=None)
    Improvement.objects.filter(pk=row.pk).update(previous=_row("03-04-01", 2021, 1))  # wrong program
    improvements_refresh(sheet_ids=[row.sheet_id])
    assert _row("03-04-02", 2022, 1).previous_id == _row("03-04-02", 2021, 1).pk


# ---------------------------------------------------------------- the two filters on constructed data


@pytest.mark.django_db
def test_promised_but_not_reported_done_is_exactly_the_open_promises(admin_client):
    Improvement.objects.filter(pk=_row("03-04-01", 2021, 3).pk).update(next="")  # nothing promised for 2022
    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    Improvement.objects.filter(pk=_row("03-04-01", 2022, 1).pk).update(result="実施した。", next="別の取組を行う。")
    Improvement.objects.filter(pk=_row("03-04-01", 2022, 2).pk).update(status=DROPPED)
    in_progress = _row("03-04-02", 2022, 2)
    Improvement.objects.filter(pk=in_progress.pk).update(result="一部を実施した。", next=in_progress.plan)
    improvements_refresh(sheet_ids=list(Sheet.objects.filter(fiscal_year=2022).values_list("pk", flat=True)))
    assert _row("03-04-02", 2022, 2).proposed_status == IN_PROGRESS

    response = admin_client.get(URL, {"promised_not_done": "on"})
    keys = {key for key in _keys(response) if key[0] in {"03-04-01", "03-04-02"}}
    expected = {
        ("03-04-02", r.number) for r in Improvement.objects.filter(sheet__program__code="03-04-02", sheet__fiscal_year=2022)
    }
    assert keys == expected  # 03-04-01: ① 完了, ② 見送り, ③ nothing promised — none of them
    assert ("03-04-02", 2) in keys  # 実施中 is not done


@pytest.mark.django_db
def test_done_but_the_indicator_fell_is_exactly_those_rows(client):
    sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)
    third = Indicator.objects.get(sheet=sheet, kind="outcome", number=3)  # 満足度, 増加が望ましい: 3.3 (R1) → 3.4 (R2)
    IndicatorValue.objects.filter(indicator=third, fiscal_year=2020).update(value="3.0")  # fell in the year of the work
    Improvement.objects.filter(sheet=sheet, number=3).update(status=DONE)  # ③ done, indicator ③ by its number
    Improvement.objects.filter(sheet=sheet, number=2).update(status=DROPPED, indicator=third)  # fell, but not done
    # ① done (proposed), indicator ① ゼロを維持 stays 0 → 0: not fallen
    other = Sheet.objects.get(program__code="03-04-02", fiscal_year=2021)
    first = Indicator.objects.get(sheet=other, kind="outcome", number=1)
    before = IndicatorValue.objects.get(indicator=first, fiscal_year=2019).value
    IndicatorValue.objects.filter(indicator=first, fiscal_year=2020).update(value=before)  # unchanged: not fallen

    response = client.get(URL, {"done_indicator_fell": "on", "section": sheet.section_id})
    assert response.status_code == 200
    assert {key for key in _keys(response) if key[0] in {"03-04-01", "03-04-02"}} == {("03-04-01", 3)}


# ---------------------------------------------------------------- CSV, bad parameters, visibility, queries


@pytest.mark.django_db
def test_csv_has_one_row_per_trail_year_with_japanese_headers_and_is_formula_safe(client):
    Improvement.objects.filter(pk=_row("03-04-01", 2021, 1).pk).update(plan="=HYPERLINK(1)")
    response = client.get(URL, {"program": "03-04-01", "_export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[:7] == ["事務事業コード", "事務事業名", "部", "課", "番号", "評価年度", "取組年度"]
    assert len(body) == 3 and [r[4] for r in body] == ["①", "②", "③"]
    first = dict(zip(header, body[0], strict=True))
    assert first["評価年度"] == "令和3年度" and first["取組年度"] == "令和2年度"
    assert first["前年度に取り組む具体的な改善内容"] == "'=HYPERLINK(1)"
    assert first["取組年度の予算額（千円）"] == "511,414" and first["決算の区分"] == "決算"
    assert first["関連する成果指標"].startswith("①") and first["状況"] == "完了" and first["状況の決め方"] == "本文から推定"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"year_from": "令和"},
        {"year_to": "99999"},
        {"department": "x"},
        {"section": "99999999999999999999"},
        {"program": "\x00"},
        {"page": "-1"},
        {"page": "zz", "_export": "csv"},
        {"promised_not_done": "maybe", "done_indicator_fell": "on"},
    ],
)
def test_bad_filter_values_never_give_a_server_error(client, query):
    response = client.get(URL, query)
    assert response.status_code in (200, 404)


@pytest.mark.django_db
def test_years_to_shows_the_ledger_as_it_stood_then(admin_client):
    call_command("start_fiscal_year", "2022", stdout=io.StringIO())
    now = admin_client.get(URL, {"program": "03-04-01"})
    assert {e["end"].sheet.fiscal_year for e in now.context["entries"]} == {2022}
    then = admin_client.get(URL, {"program": "03-04-01", "year_to": "2021"})
    assert {e["end"].sheet.fiscal_year for e in then.context["entries"]} == {2021}
    assert all(len(e["trail"]) == 1 for e in then.context["entries"])


@pytest.mark.django_db
def test_the_public_sees_no_improvement_of_an_unpublished_sheet(client, admin_client):
    Sheet.objects.filter(program__code="03-04-02", fiscal_year=2021).update(status=SheetStatus.DRAFT)
    secret = _row("03-04-02", 2021, 1).result
    call_command("start_fiscal_year", "2022", stdout=io.StringIO())  # 作成中 sheets of every program
    Improvement.objects.filter(pk=_row("03-04-01", 2022, 1).pk).update(result="非公開の実施内容")

    public = client.get(URL)
    assert not any(code == "03-04-02" for code, _ in _keys(public))
    assert {e["end"].sheet.fiscal_year for e in public.context["entries"]} == {2021}  # the trails end at 2021
    html = public.content.decode()
    assert secret not in html and "非公開の実施内容" not in html
    assert "非公開の実施内容" not in b"".join(client.get(URL, {"_export": "csv"}).streaming_content).decode("utf-8-sig")
    assert any(code == "03-04-02" for code, _ in _keys(admin_client.get(URL)))


def _queries(client, query: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, query).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"promised_not_done": "on"}, {"done_indicator_fell": "on"}])
def test_query_count_is_the_same_for_six_and_for_a_hundred_sheets(client, query):
    small = _queries(client, query)
    sheets_bulk_create(100)
    assert Improvement.objects.count() > 300
    assert _queries(client, query) == small


@pytest.mark.django_db
def test_the_ledger_is_in_the_header_nav(client):
    assert f'href="{URL}">改善策の進捗</a>' in client.get(reverse("programs:overview")).content.decode()


@pytest.mark.django_db
def test_generated_wards_have_trails_and_statuses():
    call_command("generate_demo", wards=1, programs=6, years=3, stdout=io.StringIO())
    rows = Improvement.objects.filter(sheet__program__municipality__code__startswith="99")
    later = rows.filter(sheet__fiscal_year__gt=2019)
    assert later.exists() and all(r.previous_id is not None for r in later.filter(number=1))
    for row in later.filter(previous__isnull=False).select_related("previous"):
        assert row.plan == row.previous.next and row.previous.number == row.number
    assert set(rows.values_list("proposed_status", flat=True)) <= {DONE, IN_PROGRESS}
    assert all(r.proposed_status == proposed_status(plan=r.plan, result=r.result, next=r.next) for r in rows)
