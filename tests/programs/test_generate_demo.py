"""manage.py generate_demo: fictional wards with every part of their sheets filled, deterministic for a seed, apart
from the seed sheets."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from finance.costs import cost_totals
from finance.models import BudgetYear
from programs.demo_data import DemoSize, demo_code, demo_municipalities
from programs.figures import sheet_figures_refresh_all
from programs.findings import findings_for_sheets, stored_findings_by_sheet
from programs.interchange.serializer import sheet_document
from programs.models import Municipality, Sheet
from programs.models.municipality import validate_local_government_code
from programs.selectors import sheet_document_queryset

SIZE = {"wards": 2, "programs": 10, "years": 2, "seed": 1}


def _generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_demo", **{**SIZE, **options}, stdout=out)
    return out.getvalue()


def _documents(sheets) -> list[dict]:
    """Every generated sheet as its exported document, minus what a database assigns (urls carry codes only)."""
    queryset = (
        sheet_document_queryset(viewer=None)
        .filter(pk__in=sheets.values("pk"))
        .order_by("program__municipality__code", "program__code", "fiscal_year")
    )
    return [sheet_document(sheet) for sheet in queryset]


def _demo_sheets():
    return Sheet.objects.filter(program__municipality__in=demo_municipalities())


@pytest.fixture
def demo(db):
    return _generate()


def test_wards_are_fictional_special_wards_with_valid_codes_in_the_demo_range(demo):
    wards = list(demo_municipalities())
    assert [(m.code, m.name, m.prefecture, m.kind) for m in wards] == [
        (demo_code(1), "架空第1区", "架空都", "特別区"),
        (demo_code(2), "架空第2区", "架空都", "特別区"),
    ]
    for ward in wards:
        validate_local_government_code(ward.code)  # the check digit is right
        assert ward.code.startswith("9900")
        assert not hasattr(ward, "profile")  # no FormProfile: 荒川区's form
    assert "131181" not in [m.code for m in wards]


def test_one_published_sheet_per_program_and_year(demo):
    sheets = _demo_sheets()
    assert sheets.count() == 2 * 10 * 2
    assert set(sheets.values_list("fiscal_year", flat=True)) == {2020, 2021}
    assert set(sheets.values_list("status", flat=True)) == {"published"}
    codes = list(sheets.filter(fiscal_year=2021).values_list("program__code", flat=True))
    assert all(len(code.split("-")) == 3 for code in codes)
    assert "生成しました" in demo


def test_same_seed_gives_identical_rows_and_another_seed_does_not(db):
    _generate()
    first = _documents(_demo_sheets())
    _generate(clear=True)
    assert _documents(_demo_sheets()) == first
    _generate(clear=True, seed=2)
    assert _documents(_demo_sheets()) != first


def test_every_part_is_filled_and_plausible(demo):
    for document in _documents(_demo_sheets().filter(fiscal_year=2021)):
        assert document["purpose"] and document["content"] and document["history"] and document["staff"]
        assert document["sub_programs"] and document["issues"] and document["improvements"]
        assert 1 <= len(document["indicators"]) <= 3
        for indicator in document["indicators"]:
            assert indicator["target"] is not None and indicator["direction"] in {"up", "down", "zero"}
            assert [v["is_estimate"] for v in indicator["values"]] == [False, False, False, True]
        assert document["activity"] and document["budget_breakdown"] and document["cost_statement"]
        budget = document["budget_history"]
        assert [row["fiscal_year"] for row in budget] == list(range(2015, 2022))
        assert [row["settlement_is_estimate"] for row in budget] == [False] * 6 + [True]  # 見込み only this year
        for row in budget:
            assert 0.55 <= row["settlement"] / row["budget"] <= 1.0
    assert BudgetYear.objects.filter(sheet__in=_demo_sheets(), settlement_is_estimate=True).count() == 40
    with_parents = _demo_sheets().filter(activity_items__parent__isnull=False).distinct().count()
    assert with_parents > 0  # some 実績の推移 items have a parent row
    assert _demo_sheets().filter(funding_years__isnull=False).exists()
    assert _demo_sheets().filter(personnel_costs__isnull=False).exists()


def test_cost_statements_add_up_and_no_error_findings(demo):
    for document in _documents(_demo_sheets()):
        for year in document["cost_statement"]:
            amounts = {line["account"]: line["amount"] for line in year["lines"]}
            assert year["stated_totals"] == cost_totals({_account(k): v for k, v in amounts.items()})
    findings = findings_for_sheets(list(_demo_sheets().values_list("pk", flat=True)))
    assert stored_findings_by_sheet(_demo_sheets()) == {k: v for k, v in findings.items() if v}  # stored = recomputed
    severities = {(f.code, f.severity) for sheet_findings in findings.values() for f in sheet_findings}
    assert not [pair for pair in severities if pair[1] == "error"]
    assert not {"cost_total_mismatch", "breakdown_vs_budget", "funding_vs_cost", "settlement_over_budget"} & {
        code for code, _ in severities
    }


def _account(label: str) -> str:
    from finance.choices import ACCOUNT_BY_LABEL

    return ACCOUNT_BY_LABEL[label]


def test_stored_figures_of_generated_sheets_equal_a_rebuild(demo):
    columns = ["own_budget", "own_settlement", "latest_settled_year", "execution_rate", "achievement", "cost_expense"]
    stored = list(_demo_sheets().order_by("pk").values_list("pk", *columns))
    assert all(row[1] is not None and row[3] is not None for row in stored)  # refreshed, not left empty
    assert any(row[5] is not None for row in stored)
    sheet_figures_refresh_all()
    assert list(_demo_sheets().order_by("pk").values_list("pk", *columns)) == stored


def test_every_page_of_a_generated_sheet_renders(demo, admin_client):
    sheet = _demo_sheets().select_related("program__municipality").order_by("program__code", "fiscal_year").last()
    ward = sheet.program.municipality.code
    kwargs = sheet.url_kwargs()
    urls = [
        reverse("programs:sheet_detail", kwargs=kwargs),
        reverse("programs:sheet_history", kwargs=kwargs),
        reverse("programs:sheet_workbook", kwargs=kwargs),
        reverse("api:sheet_detail", kwargs=kwargs),
        reverse("programs:program_detail", kwargs={"code": sheet.program.code, "municipality": ward}),
        reverse("programs:overview", kwargs={"municipality": ward}),
        reverse("programs:sheet_list", kwargs={"municipality": ward}),
        reverse("programs:compare", kwargs={"municipality": ward}),
        reverse("programs:rollup", kwargs={"municipality": ward}),
        reverse("programs:compare_municipalities"),
        reverse("programs:sheet_list") + "?_export=csv",
        reverse("admin:programs_sheet_change", args=[sheet.pk]),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(urls[0]).content.decode()
    assert sheet.name in page and "架空第" in page
    assert "令和3年度" in page or "令和2年度" in page


def test_seed_sheets_untouched_and_clear_removes_only_the_demo(db):
    seed = Sheet.objects.exclude(program__municipality__in=demo_municipalities())
    before = _documents(seed)
    _generate()
    assert _documents(seed) == before
    output = _generate(clear=True, wards=0)
    assert "削除しました" in output
    assert not demo_municipalities().exists() and not _demo_sheets().exists()
    assert _documents(seed) == before
    assert Municipality.objects.filter(code="131181").exists()


def test_a_ward_already_generated_is_skipped(demo):
    output = _generate()
    assert "飛ばします" in output
    assert _demo_sheets().count() == 40


def test_demo_size_years_end_at_the_seed_year():
    assert DemoSize(years=5).fiscal_years == [2017, 2018, 2019, 2020, 2021]
    assert demo_code(1) == "990019" and demo_code(23)[:5] == "99023"
