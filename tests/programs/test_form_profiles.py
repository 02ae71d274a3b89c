"""Form profiles (issue 12 part 4): each municipality's form name, policy level names, blocks and labels, evaluation
vocabulary and extra texts. 荒川区's profile is today's form; 架空市 (fixtures/examples) has its own."""

import copy
import io
import json

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command
from django.urls import reverse

from programs import analytics, selectors
from programs.documents import DocumentError
from programs.interchange.serializer import sheet_document, sheet_summary
from programs.interchange.workbook import workbook_read, workbook_write
from programs.models import FormProfile, Municipality, MunicipalityPopulation, Program, Sheet, SheetText
from programs.models.profile import BLOCKS
from programs.profiles import DEFAULT_FORM, municipality_form
from programs.revisions import sheet_restore, sheet_revisions
from programs.rollover import fiscal_year_start
from programs.services import SEED_DIR, document_read, sheet_upsert
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

EXAMPLES = SEED_DIR.parent / "examples"
PROFILE = EXAMPLES / "kakuu_city_profile.json"
DOCUMENT_0086 = EXAMPLES / "kakuu_city_0086_2024.json"
KAKUU_VOCABULARY = ["現状維持", "改革改善", "縮小", "統合", "廃止"]
ARAKAWA_VOCABULARY = ["重点的に推進", "推進", "継続", "改善・見直し", "休止・完了"]


def _example() -> dict:
    return json.loads(DOCUMENT_0086.read_text(encoding="utf-8"))


@pytest.fixture
def kakuu():
    call_command("load_profile", str(PROFILE))
    return sheet_upsert(document=_example()).sheet


def _page(client, sheet: Sheet) -> str:
    response = client.get(sheet.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- 荒川区: today's form


def test_arakawas_profile_is_todays_form():
    arakawa = Municipality.objects.get(code="131181")
    form = municipality_form(arakawa)
    assert form.name == "事務事業分析シート"
    assert form.level_names == ("分野", "政策", "施策")
    assert form.values == ARAKAWA_VOCABULARY
    assert form.blocks == set(BLOCKS)
    assert form.text_fields == ()
    assert form == DEFAULT_FORM  # the data migration's profile and the fallback are the same form


def test_a_municipality_without_a_profile_gets_arakawas_form():
    other = Municipality.objects.create(code="999997", name="架空市", prefecture="架空県", kind="市")
    assert not FormProfile.objects.filter(municipality=other).exists()
    assert municipality_form(other) == DEFAULT_FORM


def test_arakawas_sheet_page_keeps_every_block_and_its_wording(client):
    html = _page(client, Sheet.objects.get(program__code="03-04-01", fiscal_year=2021))
    assert "事務事業分析シート（令和3年度）" in html
    for wording in ("戦略プラン", "実施基準", "都基準内", "区独自基準", "他区の実況", "議会（要旨）", "行政コスト計算書"):
        assert wording in html, wording
    assert '<th scope="row">分野</th>' in html and '<th scope="row">施策</th>' in html
    assert 'id="texts-heading"' not in html  # no extra texts on 荒川区's form


# ---------------------------------------------------------------- 架空市: its own form


def test_load_profile_creates_the_city_its_populations_and_its_profile_and_is_idempotent(capsys):
    for _ in range(2):
        call_command("load_profile", str(PROFILE))
    assert "架空市（999997）の様式「事務事業評価シート」を登録しました" in capsys.readouterr().out
    city = Municipality.objects.get(code="999997")
    assert (city.name, city.prefecture, city.kind) == ("架空市", "架空県", "市")
    populations = MunicipalityPopulation.objects.filter(municipality=city)
    assert sorted(populations.values_list("fiscal_year", flat=True)) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert all(180_000 < p < 190_000 for p in populations.values_list("population", flat=True))
    form = municipality_form(city)
    assert form.name == "事務事業評価シート"
    assert form.level_names == ("政策", "施策", "基本事業")
    assert form.values == KAKUU_VOCABULARY
    assert [c.label for c in form.vocabulary][1] == "２ 改革改善"
    assert [(f.key, f.role) for f in form.text_fields][-2:] == [
        ("comment_department", "担当課"),
        ("comment_section_chief", "課長"),
    ]
    assert FormProfile.objects.filter(municipality=city).count() == 1
    assert city.profile.choices.count() == 5 and city.profile.text_fields.count() == 7


def test_the_example_citys_sheet_page_is_its_own_form(admin_client, kakuu):
    html = _page(admin_client, kakuu)
    assert "架空市 事務事業評価シート（令和6年度）" in html
    assert "事務事業分析シート（" not in html  # (the site footer names the dashboard itself)
    for level in ("政策", "施策", "基本事業"):
        assert f'<th scope="row">{level}</th>' in html, level
    assert '<th scope="row">分野</th>' not in html
    assert "評価結果" in html and "２ 改革改善" in html
    assert "事業の区分と評価" in html
    assert '課長意見<span class="text-role">（課長）</span>' in html
    assert '担当課の評価<span class="text-role">（担当課）</span>' in html
    assert "標準化・クラウド移行に合わせて運用体制を見直すこと。" in html
    assert "情報システム係" in html
    # Tokyo-only blocks and the ward's wording never print on another city's sheet
    for wording in ("他区の実況", "実施基準", "都基準内", "区独自基準", "戦略プラン", "行政コスト計算書", "実績の推移", "議会"):
        assert wording not in html, wording
    assert "事業費の推移" in html and "財源内訳・人件費" in html and "県支出金" in html


def test_the_example_imported_by_the_command_after_its_profile_shows_its_vocabulary(admin_client, capsys):
    call_command("load_profile", str(PROFILE))
    call_command("import_sheets", str(DOCUMENT_0086))
    sheet = Sheet.objects.get(program__municipality__code="999997", program__code="0086", fiscal_year=2024)
    assert (sheet.classification_current, sheet.classification_next) == ("改革改善", "改革改善")
    assert "２ 改革改善" in _page(admin_client, sheet)


# ---------------------------------------------------------------- the vocabulary is checked


@pytest.mark.parametrize("key", ["current", "next"])
def test_a_classification_outside_the_citys_vocabulary_is_refused_naming_field_and_allowed_values(key):
    call_command("load_profile", str(PROFILE))
    document = _example()
    document["classification"][key] = "推進"  # 荒川区's word, not 架空市's
    before = (Sheet.objects.count(), Program.objects.count(), SheetText.objects.count())
    with pytest.raises(DocumentError) as raised:
        sheet_upsert(document=document)
    assert raised.value.path == f"classification.{key}"
    assert "「推進」" in raised.value.message and "現状維持、改革改善、縮小、統合、廃止" in raised.value.message
    assert (Sheet.objects.count(), Program.objects.count(), SheetText.objects.count()) == before


def test_a_classification_outside_arakawas_five_is_refused_too():
    document = document_read(path=SEED_DIR / "03-04-01_2021.json")
    document["classification"]["current"] = "改革改善"
    with pytest.raises(DocumentError) as raised:
        sheet_upsert(document=document, replace_published=True)
    assert raised.value.path == "classification.current"
    assert "重点的に推進、推進、継続、改善・見直し、休止・完了" in raised.value.message


def test_the_printed_label_of_a_choice_is_read_as_its_value():
    call_command("load_profile", str(PROFILE))
    document = _example()
    document["classification"] |= {"current": "２ 改革改善", "next": "3縮小"}
    sheet = sheet_upsert(document=document).sheet
    assert (sheet.classification_current, sheet.classification_next) == ("改革改善", "縮小")


# ---------------------------------------------------------------- texts


def test_texts_round_trip_exactly_through_the_api(admin_client, kakuu):
    document = admin_client.get(sheet_summary(kakuu)["api_url"]).json()
    assert document["texts"] == _example()["texts"]
    assert document["classification"] == _example()["classification"]


def test_a_sheet_without_texts_exports_an_empty_list(client):
    document = client.get("/api/sheets/2021/03-04-01/").json()
    assert document["texts"] == []


def test_texts_round_trip_exactly_through_a_workbook(kakuu):
    exported = sheet_document(selectors.sheet_document_queryset(viewer=None).get(pk=kakuu.pk))
    data = workbook_write([exported])
    (read,) = workbook_read(io.BytesIO(data), name="kakuu.xlsx")
    assert read["texts"] == exported["texts"] == _example()["texts"]
    assert read["classification"] == exported["classification"]
    # the 分類 cells offer the city's vocabulary
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    offered = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("改革改善" in formula for formula in offered)
    assert not any("重点的に推進" in formula for formula in offered)


def test_an_arakawa_workbook_has_no_texts_block_and_offers_its_five():
    sheet = selectors.sheet_document_queryset(viewer=None).get(program__code="03-04-01", fiscal_year=2021)
    ws = openpyxl.load_workbook(io.BytesIO(workbook_write([sheet_document(sheet)]))).active
    column_a = {row[0] for row in ws.iter_rows(values_only=True)}
    assert "その他の記載事項" not in column_a
    assert any("重点的に推進" in dv.formula1 for dv in ws.data_validations.dataValidation)


def test_a_workbook_lists_the_profiles_text_fields_for_a_sheet_that_has_none_yet(kakuu):
    exported = sheet_document(selectors.sheet_document_queryset(viewer=None).get(pk=kakuu.pk)) | {"texts": []}
    ws = openpyxl.load_workbook(io.BytesIO(workbook_write([exported]))).active
    rows = [row[:3] for row in ws.iter_rows(values_only=True)]
    assert ("comment_section_chief", "課長意見", "課長") in rows
    (read,) = workbook_read(io.BytesIO(workbook_write([exported])), name="x.xlsx")
    assert read["texts"] == []  # rows left empty are not read


def test_a_text_takes_its_profiles_label_and_role_when_the_document_gives_none():
    call_command("load_profile", str(PROFILE))
    document = _example()
    document["texts"] = [{"key": "comment_section_chief", "text": "見直すこと。"}, {"key": "memo", "text": "メモ"}]
    sheet = sheet_upsert(document=document).sheet
    assert [(t.key, t.label, t.role, t.text) for t in sheet.texts.all()] == [
        ("comment_section_chief", "課長意見", "課長", "見直すこと。"),
        ("memo", "", "", "メモ"),  # a key the profile does not list is kept
    ]


@pytest.mark.parametrize(
    ("texts", "path"),
    [
        ([{"key": "intent", "text": "a"}, {"key": "intent", "text": "b"}], "texts[1].key"),
        ([{"key": "Intent-1", "text": "a"}], "texts[0].key"),
        ([{"text": "a"}], "texts[0].key"),
    ],
)
def test_a_bad_texts_key_is_refused_naming_it_and_nothing_is_written(texts, path):
    call_command("load_profile", str(PROFILE))
    document = _example() | {"texts": texts}
    with pytest.raises(DocumentError) as raised:
        sheet_upsert(document=document)
    assert raised.value.path == path
    assert not Program.objects.filter(municipality__code="999997").exists()


def test_rollover_copies_the_texts(kakuu):
    fiscal_year_start(fiscal_year=2025, program_ids=[kakuu.program_id])
    new = Sheet.objects.get(program=kakuu.program, fiscal_year=2025)
    assert [(t.key, t.label, t.role, t.text) for t in new.texts.all()] == [
        (t.key, t.label, t.role, t.text) for t in kakuu.texts.all()
    ]
    assert new.classification_current == kakuu.classification_next == "改革改善"


def test_a_profile_file_with_an_unknown_block_is_refused_and_changes_nothing(tmp_path):
    profile = json.loads(PROFILE.read_text(encoding="utf-8"))
    bad = copy.deepcopy(profile) | {"blocks": ["budget", "ward_things"]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(Exception, match="ward_things"):
        call_command("load_profile", str(path))
    assert not Municipality.objects.filter(code="999997").exists()


# ---------------------------------------------------------------- admin


def test_the_sheet_change_page_edits_texts_and_offers_the_citys_vocabulary(admin_client, kakuu):
    url = reverse("admin:programs_sheet_change", args=[kakuu.pk])
    html = admin_client.get(url).content.decode()
    assert "その他の記載事項" in html and "comment_section_chief" in html
    assert '<option value="改革改善" selected>２ 改革改善</option>' in html
    assert '<option value="推進"' not in html

    data = form_data(html, "sheet_form")
    text_key = next(k for k, v in data.items() if k.startswith("texts-") and k.endswith("-key") and v == ["intent"])
    data[text_key.replace("-key", "-text")] = ["職員が事務を滞りなく行える。"]
    data["classification_next"] = ["縮小"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    kakuu.refresh_from_db()
    assert kakuu.classification_next == "縮小"
    assert kakuu.texts.get(key="intent").text == "職員が事務を滞りなく行える。"


def test_the_admin_refuses_a_classification_outside_the_citys_vocabulary(admin_client, kakuu):
    url = reverse("admin:programs_sheet_change", args=[kakuu.pk])
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    data["classification_current"] = ["推進"]
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    kakuu.refresh_from_db()
    assert kakuu.classification_current == "改革改善"


def test_an_arakawa_sheets_change_page_offers_its_five(admin_client, draft_sheet):
    html = admin_client.get(reverse("admin:programs_sheet_change", args=[draft_sheet.pk])).content.decode()
    for value in ARAKAWA_VOCABULARY:
        assert f'<option value="{value}"' in html, value


def test_the_municipality_page_edits_its_profile(admin_client):
    call_command("load_profile", str(PROFILE))
    city = Municipality.objects.get(code="999997")
    html = admin_client.get(reverse("admin:programs_municipality_change", args=[city.pk])).content.decode()
    assert "様式" in html and "事務事業評価シート" in html and "基本事業" in html
    assert "２ 改革改善" in html and "comment_section_chief" in html
    assert admin_client.get(reverse("admin:programs_municipality_changelist")).status_code == 200


def test_the_sheet_add_page_offers_the_default_municipalitys_vocabulary(admin_client):
    html = admin_client.get(reverse("admin:programs_sheet_add")).content.decode()
    assert '<option value="重点的に推進">重点的に推進</option>' in html


# ---------------------------------------------------------------- filters, overview and chart by the vocabulary


def test_classification_counts_follow_the_vocabulary_and_keep_other_values():
    frame = pd.DataFrame(
        {"classification_current": ["改革改善", "縮小", "改革改善", ""], "classification_next": ["縮小", "", "謎", ""]}
    )
    counts = analytics.classification_counts(frame, vocabulary=KAKUU_VOCABULARY)
    assert list(counts["classification"]) == [*KAKUU_VOCABULARY, "謎"]
    assert list(counts["current"]) == [0, 2, 1, 0, 0, 0]
    assert list(counts["next"]) == [0, 0, 1, 0, 0, 1]
    default = analytics.classification_counts(frame.iloc[:0])
    assert list(default["classification"]) == ARAKAWA_VOCABULARY  # 荒川区's chart as today


def test_the_citys_sheet_list_filters_by_its_vocabulary(admin_client, kakuu):
    response = admin_client.get("/m/999997/sheets/", {"classification": "改革改善"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="改革改善" selected>２ 改革改善</option>' in html
    assert '<option value="重点的に推進"' not in html
    assert [row.record.program.code for row in response.context["table"].rows] == ["0086"]


def test_the_list_of_every_municipality_offers_every_vocabulary_the_default_first(admin_client, kakuu):
    form = admin_client.get("/sheets/").context["filter"].form
    values = [value for value, _ in form.fields["classification"].choices if value]
    assert values == ARAKAWA_VOCABULARY + KAKUU_VOCABULARY
    assert admin_client.get("/sheets/", {"classification": "改革改善"}).context["table"].rows[0].record == kakuu


def test_the_citys_overview_counts_its_classifications_in_its_order(admin_client, kakuu):
    (overview,) = admin_client.get("/m/999997/").context["municipalities"]
    assert [row["classification"] for row in overview["classification"]] == KAKUU_VOCABULARY
    assert [row["current"] for row in overview["classification"]] == [0, 1, 0, 0, 0]


def test_restoring_an_earlier_save_brings_the_texts_back(admin_user, kakuu):
    document = _example()
    document["texts"] = [{"key": "intent", "label": "意図", "role": "", "text": "書き換えた意図"}]
    changed = sheet_upsert(document=document).sheet
    assert [t.text for t in changed.texts.all()] == ["書き換えた意図"]
    revisions = sheet_revisions(changed)
    assert any(change.part == "追加の文章項目" for change in revisions[0].changes)
    sheet_restore(sheet=changed, history_id=revisions[1].history_id, user=admin_user)
    assert [(t.key, t.text) for t in Sheet.objects.get(pk=changed.pk).texts.all()] == [
        (t["key"], t["text"]) for t in _example()["texts"]
    ]
