import pytest
from django.urls import reverse

from programs.models import Sheet
from tests.html_forms import form_data
from tests.snapshots import sheet_snapshot

pytestmark = pytest.mark.django_db


def test_changelist_lists_all_six_sheets(admin_client):
    response = admin_client.get(reverse("admin:programs_sheet_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in ["03-04-01", "03-04-02", "03-04-03", "03-04-04", "03-04-05", "03-04-06"]:
        assert code in html
    assert "令和3年度" in html
    assert "468,771" in html


def test_changelist_filters_and_search(admin_client):
    url = reverse("admin:programs_sheet_changelist")
    response = admin_client.get(url, {"q": "ネットワーク"})  # 03-04-04's name and 03-04-06's 目的
    assert response.status_code == 200
    assert {s.program.code for s in response.context["cl"].result_list} == {"03-04-04", "03-04-06"}
    response = admin_client.get(url, {"q": "03-04-05"})
    assert [s.name for s in response.context["cl"].result_list] == ["OA機器管理"]
    response = admin_client.get(url, {"classification_current__exact": "継続"})
    assert response.context["cl"].result_count == 4  # 03-04-03 … 03-04-06


def test_change_page_shows_every_section_and_computed_totals(admin_client, sheet):
    response = admin_client.get(reverse("admin:programs_sheet_change", args=[sheet.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    labels = [
        "成果指標",
        "予算・決算額等の推移",
        "実績の推移",
        "予算・決算の内訳",
        "行政コスト計算書",
        "問題点・課題",
        "改善策",
        "経過",
    ]
    for label in labels:
        assert label in html
    assert "▲ 425,739" in html  # 行政収支差額 元年度, computed from the lines
    assert "不一致" not in html


def test_saving_the_change_page_unchanged_keeps_every_value(admin_client, draft_sheet):
    sheet = draft_sheet
    url = reverse("admin:programs_sheet_change", args=[sheet.pk])
    before = sheet_snapshot(sheet)
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    assert data, "the change form was not found"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert sheet_snapshot(Sheet.objects.get(pk=sheet.pk)) == before


def test_editing_a_budget_figure_is_saved_and_recorded_in_history(admin_client, draft_sheet):
    sheet = draft_sheet
    url = reverse("admin:programs_sheet_change", args=[sheet.pk])
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    # the page shows the year as 平成27年度 and the amount with separators; the edit is typed the same way
    budget_key = next(k for k, v in data.items() if k.endswith("-fiscal_year") and "budget_years" in k and v == ["平成27年度"])
    assert data[budget_key.replace("fiscal_year", "budget")] == ["473,845"]
    data[budget_key.replace("fiscal_year", "budget")] = ["473,846"]
    response = admin_client.post(url, data)
    assert response.status_code == 302
    row = sheet.budget_years.get(fiscal_year=2015)
    assert row.budget == 473846
    assert row.history.first().history_user.is_superuser


def test_browser_line_breaks_are_stored_as_lf(admin_client, draft_sheet):
    sheet = draft_sheet
    """Browsers submit textareas with CRLF; saving unchanged must not rewrite the texts."""
    url = reverse("admin:programs_sheet_change", args=[sheet.pk])
    before = sheet_snapshot(sheet)
    data = form_data(admin_client.get(url).content.decode(), "sheet_form")
    data = {key: [v.replace("\n", "\r\n") for v in values] for key, values in data.items()}
    assert admin_client.post(url, data).status_code == 302
    assert sheet_snapshot(Sheet.objects.get(pk=sheet.pk)) == before
    assert "\r" not in Sheet.objects.get(pk=sheet.pk).content


def test_seed_figures_have_a_first_history_entry_and_their_own_admin_page(admin_client, sheet):
    row = sheet.budget_years.get(fiscal_year=2015)
    assert row.history.filter(history_type="+").exists()
    response = admin_client.get(reverse("admin:finance_budgetyear_history", args=[row.pk]))
    assert response.status_code == 200


def test_changelist_lists_findings_per_sheet_without_per_row_queries(admin_client, django_assert_max_num_queries):
    from tests.factories import sheets_bulk_create

    url = reverse("admin:programs_sheet_changelist")
    html = admin_client.get(url).content.decode()
    assert "データ品質の指摘" in html
    assert "警告 1" in html  # 03-04-04: 光ファイバ above 施設数
    with django_assert_max_num_queries(30) as small:
        admin_client.get(url)
    sheets_bulk_create(90)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(url)


def _changelist_query_counts(client, queries: list[dict]) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:programs_sheet_changelist")
    counts = []
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, query).status_code == 200
        counts.append(len(captured))
    return counts


def test_changelist_query_counts_are_identical_for_the_seed_and_a_generated_set(admin_client):
    """A fixed number of queries whatever the number of sheets, 施策 and 課 (the filters' choices are read in one
    query each, the figures and findings columns without per-row queries)."""
    import io

    from django.core.management import call_command

    from programs.models import Measure, Municipality

    sheet = Sheet.objects.get(program__code="03-04-01")
    arakawa = Municipality.objects.get(code="131181")
    queries = [
        {},
        {"q": "ネットワーク"},
        {"measure__id__exact": sheet.measure_id, "o": "-1"},
        {"section__id__exact": sheet.section_id, "fiscal_year": 2021},
        {"program__municipality__id__exact": arakawa.pk, "classification_current__exact": "継続"},
        {"status__exact": "published", "p": "1"},
    ]
    small = _changelist_query_counts(admin_client, queries)
    call_command("generate_demo", wards=2, programs=120, years=2, seed=1, stdout=io.StringIO())
    assert Sheet.objects.count() == 6 + 2 * 120 * 2 and Measure.objects.count() > 10
    large = _changelist_query_counts(admin_client, queries)
    assert large == small
    assert max(small) <= 11  # session, user, 3 filters, 2 counts, the page, findings (1), 2 distinct values


def _filter_labels(client, field_path: str, query: dict) -> list[str]:
    response = client.get(reverse("admin:programs_sheet_changelist"), query)
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.field_path == field_path)
    return [label for _, label in spec.lookup_choices]


def test_changelist_filters_offer_the_chosen_municipalitys_measures_and_sections(admin_client):
    import io

    from django.core.management import call_command

    from programs.demo_data import demo_code
    from programs.models import Measure, Municipality, Section

    call_command("generate_demo", wards=2, programs=30, years=1, seed=1, stdout=io.StringIO())
    ward = Municipality.objects.get(code=demo_code(1))
    measures = Measure.objects.select_related("policy").order_by("policy__field__municipality__code", "policy__code", "code")
    assert len(_filter_labels(admin_client, "measure", {})) == measures.count()
    one_ward = {"program__municipality__id__exact": ward.pk}
    ward_measures = measures.filter(policy__field__municipality=ward)
    assert 1 < ward_measures.count() < measures.count()
    assert sorted(_filter_labels(admin_client, "measure", one_ward)) == sorted(str(m) for m in ward_measures)
    ward_sections = Section.objects.select_related("department").filter(department__municipality=ward)
    assert 1 < ward_sections.count() < Section.objects.count()
    assert sorted(_filter_labels(admin_client, "section", one_ward)) == sorted(str(s) for s in ward_sections)
