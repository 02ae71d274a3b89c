"""Municipality as a scope: two municipalities with the same program code and 分野 code coexist, every page, the API,
exports and imports keep them apart, detail URLs without a municipality mean the default one (荒川区), and the overview
shows each municipality at its own latest year."""

import copy
import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError

from programs.documents import DocumentError
from programs.findings import sheet_findings
from programs.models import Municipality, NameConflict, PolicyField, Program, Sheet
from programs.models.municipality import local_government_code_check_digit, validate_local_government_code
from programs.services import SEED_DIR, sheet_upsert
from tests.factories import published

pytestmark = pytest.mark.django_db

KAKUU = {"code": "999997", "name": "架空市", "prefecture": "架空県", "kind": "市"}


def _seed_document(code: str = "03-04-01") -> dict:
    return json.loads((SEED_DIR / f"{code}_2021.json").read_text(encoding="utf-8"))


def _other_city_sheet(*, fiscal_year: int = 2024, name: str = "架空市の情報システム運用") -> Sheet:
    """The same program code (03-04-01) and 分野 code (Ⅶ, another name) in another municipality, a newer year."""
    doc = _seed_document()
    doc["municipality"] = dict(KAKUU)
    doc["fiscal_year"] = fiscal_year
    doc["name"] = name
    doc["department"] = "総務部"
    doc["section"] = "情報政策課"
    doc["policy"]["field"]["name"] = "行財政運営"
    doc["budget_history"] = [
        {"fiscal_year": 2023, "budget": 1000, "settlement": 900, "settlement_is_estimate": False},
        {"fiscal_year": 2024, "budget": 1200, "settlement": None, "settlement_is_estimate": False},
    ]
    doc["budget_breakdown"], doc["cost_statement"] = [], []
    return published(sheet_upsert(document=doc)).sheet


def _json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.content)


def test_the_seed_belongs_to_arakawa_the_default_municipality():
    arakawa = Municipality.objects.get(code="131181")
    assert (arakawa.name, arakawa.prefecture, arakawa.kind, arakawa.is_default) == ("荒川区", "東京都", "特別区", True)
    assert arakawa.prefectural_grant_label == "都支出金"
    assert set(Program.objects.values_list("municipality__code", flat=True)) == {"131181"}


def test_local_government_codes_carry_their_check_digit():
    assert local_government_code_check_digit("13118") == 1  # 荒川区 131181
    assert local_government_code_check_digit("99999") == 7  # 架空市 999997
    validate_local_government_code("131181")
    for bad in ("131182", "13118", "1311810", "１３１１８１", "abcdef"):
        with pytest.raises(ValidationError):
            validate_local_government_code(bad)


def test_prefectural_grant_label_follows_the_prefecture():
    labels = {
        p: Municipality(prefecture=p).prefectural_grant_label
        for p in ("東京都", "北海道", "大阪府", "京都府", "架空県", "架空都")
    }
    assert labels == {
        "東京都": "都支出金",
        "北海道": "道支出金",
        "大阪府": "府支出金",
        "京都府": "府支出金",
        "架空県": "県支出金",
        "架空都": "都支出金",
    }


def test_same_program_code_and_field_code_coexist_in_two_municipalities():
    arakawa_sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)
    before = (arakawa_sheet.name, arakawa_sheet.section_id, arakawa_sheet.measure_id, arakawa_sheet.version)
    other = _other_city_sheet()
    assert Program.objects.filter(code="03-04-01").count() == 2
    assert PolicyField.objects.filter(code="Ⅶ").count() == 2
    assert other.program.municipality.code == "999997"
    assert other.measure.policy.field.name == "行財政運営"
    arakawa_sheet.refresh_from_db()
    assert (arakawa_sheet.name, arakawa_sheet.section_id, arakawa_sheet.measure_id, arakawa_sheet.version) == before
    assert arakawa_sheet.measure.policy.field.name == "計画推進のために"
    # importing the other city's sheet again updates that sheet only
    doc = _seed_document()
    doc |= {"municipality": dict(KAKUU), "fiscal_year": 2024, "name": "改名した事業", "department": "総務部"}
    doc |= {"section": "情報政策課", "budget_breakdown": [], "cost_statement": []}
    doc["policy"]["field"]["name"] = "行財政運営"
    Sheet.objects.filter(pk=other.pk).update(status="draft")
    sheet_upsert(document=doc)
    assert Sheet.objects.get(pk=other.pk).name == "改名した事業"
    assert Sheet.objects.get(pk=arakawa_sheet.pk).name == before[0]


def test_pages_and_api_keep_two_municipalities_apart(client):
    _other_city_sheet()
    arakawa = client.get("/sheets/2021/03-04-01/").content.decode()
    assert "業務系システム運用管理" in arakawa and "架空市" not in arakawa
    other = client.get("/m/999997/sheets/2024/03-04-01/").content.decode()
    assert "架空市の情報システム運用" in other and "架空市 事務事業分析シート" in other
    assert client.get("/sheets/2024/03-04-01/").status_code == 404  # no 2024 sheet in the default municipality
    assert client.get("/m/131181/sheets/2021/03-04-01/").status_code == 200
    assert client.get("/m/999997/sheets/2021/03-04-01/").status_code == 404
    assert client.get("/m/123456/sheets/2021/03-04-01/").status_code == 404  # unknown municipality
    assert client.get("/m/12345/sheets/2021/03-04-01/").status_code == 404  # not a 団体コード
    assert "架空市の情報システム運用" in client.get("/m/999997/programs/03-04-01/").content.decode()
    assert "業務系システム運用管理" in client.get("/programs/03-04-01/").content.decode()

    detail = _json(client, "/api/m/999997/sheets/2024/03-04-01/")
    assert detail["municipality"] == KAKUU
    assert detail["url"] == "/m/999997/sheets/2024/03-04-01/"
    assert detail["api_url"] == "/api/m/999997/sheets/2024/03-04-01/"
    assert _json(client, "/api/sheets/2021/03-04-01/")["municipality"]["code"] == "131181"

    every = _json(client, "/api/sheets/?page_size=200")
    assert every["count"] == 7
    assert {r["municipality"]["code"] for r in every["results"]} == {"131181", "999997"}
    assert _json(client, "/api/sheets/?municipality=999997")["count"] == 1
    assert _json(client, "/api/m/131181/sheets/")["count"] == 6
    assert client.get("/api/sheets/?municipality=abc").status_code == 400


def test_sheet_list_and_export_name_the_municipality(client):
    _other_city_sheet()
    html = client.get("/sheets/").content.decode()
    assert "架空市" in html and "荒川区" in html  # the 団体 column, shown once there are two municipalities
    assert "架空市" not in client.get("/sheets/?municipality=131181").content.decode().split("<tbody")[1]
    assert client.get("/m/999997/sheets/").context["table"].paginator.count == 1
    response = client.get("/sheets/?_export=csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][0] == "団体"
    assert sorted({row[0] for row in rows[1:]}) == ["架空市", "荒川区"]
    assert [row[0] for row in rows[1:]].count("架空市") == 1


def test_the_overview_shows_each_municipality_at_its_own_latest_year(client):
    _other_city_sheet(fiscal_year=2024)
    response = client.get("/")
    summary = response.context["summary"]  # several municipalities: one summary row each, no full section
    assert [(row["municipality"].code, row["fiscal_year"], row["headline"]["programs"]) for row in summary] == [
        ("131181", 2021, 6),
        ("999997", 2024, 1),
    ]
    html = response.content.decode()
    assert 'href="/m/131181/"' in html and 'href="/m/999997/"' in html
    assert response.context["municipalities"] == [] and "table-overview-programs" not in html
    one = client.get("/m/999997/")
    assert [s["municipality"].code for s in one.context["municipalities"]] == ["999997"]
    assert "架空市 令和6年度の事務事業 概要" in one.content.decode()
    assert 'href="/m/999997/sheets/2024/03-04-01/"' in one.content.decode()
    arakawa = client.get("/?municipality=131181")
    assert [s["fiscal_year"] for s in arakawa.context["municipalities"]] == [2021]
    assert 'href="/sheets/2021/03-04-01/"' in arakawa.content.decode()
    # the summary row is the municipality's own headline
    indicators = {"indicators_on_track": None, "indicators_behind": None}
    full = arakawa.context["municipalities"][0]["headline"]
    assert summary[0]["headline"] | indicators == full | indicators


def test_compare_and_rollup_work_within_one_municipality(client):
    _other_city_sheet()
    compare = client.get("/compare/?programs=03-04-01")
    assert compare.context["form"].municipality.code == "131181"
    assert "業務系システム運用管理" in compare.content.decode()
    other = client.get("/m/999997/compare/?programs=03-04-01")
    assert "架空市の情報システム運用" in other.content.decode()
    assert "業務系システム運用管理" not in other.content.decode()
    assert client.get("/m/999997/rollup/").context["fiscal_year"] == 2024
    assert client.get("/rollup/").context["fiscal_year"] == 2021


def test_a_field_code_printed_under_another_name_is_a_finding_not_a_silent_merge():
    doc = _seed_document("03-04-02")
    doc["code"] = "03-04-99"
    doc["policy"]["field"]["name"] = "計画推進のため（旧名称）"
    sheet = sheet_upsert(document=doc).sheet
    field = PolicyField.objects.get(municipality__code="131181", code="Ⅶ")
    assert field.name == "計画推進のために"  # the stored name is kept
    conflict = NameConflict.objects.get(sheet=sheet)
    assert (conflict.level, conflict.code, conflict.document_name) == ("field", "Ⅶ", "計画推進のため（旧名称）")
    found = [f for f in sheet_findings(sheet) if f.code == "hierarchy_name_differs"]
    assert len(found) == 1 and "計画推進のため（旧名称）" in found[0].message and "計画推進のために" in found[0].message
    # reloading the sheet with the stored name clears it
    doc["policy"]["field"]["name"] = "計画推進のために"
    sheet_upsert(document=doc)
    assert not NameConflict.objects.filter(sheet=sheet).exists()


def test_a_document_without_municipality_means_the_default_one_and_a_bad_code_is_refused():
    doc = _seed_document("03-04-03")
    del doc["municipality"]
    doc["code"] = "03-04-98"
    assert sheet_upsert(document=doc).sheet.program.municipality.code == "131181"
    bad = copy.deepcopy(doc) | {"municipality": {"code": "999990", "name": "x", "prefecture": "y", "kind": "市"}}
    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=bad)
    assert error.value.path == "municipality.code" and "検査数字" in error.value.message
    new_without_kind = copy.deepcopy(doc) | {"municipality": {"code": "999997", "name": "架空市", "prefecture": "架空県"}}
    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=new_without_kind)
    assert error.value.path == "municipality.kind"
    assert not Municipality.objects.filter(code="999997").exists()
