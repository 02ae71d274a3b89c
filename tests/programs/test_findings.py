"""Data-quality findings: the exact list on the seed data, broken copies, the command, query counts."""

import json

import pytest
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from finance import analytics as finance_analytics
from finance import selectors as finance_selectors
from finance.models import StatedCostTotal
from indicators import selectors as indicator_selectors
from programs.admin_actions import check_selected_sheets
from programs.findings import (
    Finding,
    findings_attach,
    findings_by_code,
    findings_for_sheets,
    severity_counts,
    sheet_findings,
    sheet_findings_from_frames,
)
from programs.models import Municipality, Sheet
from programs.services import SEED_DIR, sheet_upsert
from tests.factories import sheets_bulk_create

pytestmark = pytest.mark.django_db

FIBRE_VALUES = [
    (2015, 120, 109),
    (2016, 122, 111),
    (2017, 124, 113),
    (2018, 123, 112),
    (2019, 124, 113),
    (2020, 123, 113),
    (2021, 121, 115),
]

# Worked out by hand from fixtures/sheets/*.json:
# - every printed cost total equals the computed one, no settlement exceeds its budget, every
#   indicator has a target, 見込み only in 2021 (= the evaluation year);
# - "%" indicators stay within 0–100, except 03-04-05 ② 印刷枚数前年度増加率 (−1.2, −1.6), a signed
#   change rate, which is not a share and is not checked;
# - only 03-04-01 (重点的に推進) and 03-04-02 (推進) are pushed, and none of their indicators fell
#   twice running (03-04-02 ① 職員一人あたりシステム経費: 49.1 → 92.6 → 75.0%);
# - 光ファイバ (回線) is above 施設数（合計） (施設) in all seven years of 03-04-04;
# - the 内訳 lines differ from 決算額/予算額 in 8 columns (the form lists main items only).
SEED_FINDINGS = [
    ("03-04-01", "breakdown_vs_budget", "info", 2019, {"kind": "settlement", "breakdown_total": 435298, "amount": 435304}),
    ("03-04-01", "breakdown_vs_budget", "info", 2020, {"kind": "settlement", "breakdown_total": 467781, "amount": 468557}),
    ("03-04-02", "breakdown_vs_budget", "info", 2019, {"kind": "settlement", "breakdown_total": 160349, "amount": 161149}),
    ("03-04-02", "breakdown_vs_budget", "info", 2020, {"kind": "settlement", "breakdown_total": 90746, "amount": 90745}),
    ("03-04-02", "breakdown_vs_budget", "info", 2021, {"kind": "budget", "breakdown_total": 128283, "amount": 145623}),
    ("03-04-03", "breakdown_vs_budget", "info", 2020, {"kind": "settlement", "breakdown_total": 61959, "amount": 61960}),
    (
        "03-04-04",
        "sub_item_exceeds_parent",
        "warning",
        None,
        {
            "item": "光ファイバ",
            "parent": "施設数（合計）",
            "years": [y for y, _, _ in FIBRE_VALUES],
            "values": [{"fiscal_year": y, "value": v, "parent_value": p} for y, v, p in FIBRE_VALUES],
        },
    ),
    ("03-04-04", "breakdown_vs_budget", "info", 2019, {"kind": "settlement", "breakdown_total": 44065, "amount": 44064}),
    ("03-04-06", "breakdown_vs_budget", "info", 2020, {"kind": "settlement", "breakdown_total": 14814, "amount": 14813}),
]


def _codes() -> dict[int, str]:
    return dict(Sheet.objects.values_list("pk", "program__code"))


def _listed(findings: dict[int, list[Finding]]) -> list[tuple]:
    codes = _codes()
    return [
        (codes[sheet_id], f.code, f.severity, f.fiscal_year, f.figures)
        for sheet_id in sorted(findings, key=codes.get)
        for f in findings[sheet_id]
    ]


def test_seed_sheets_have_exactly_the_findings_worked_out_by_hand():
    findings = findings_for_sheets(_codes())
    assert _listed(findings) == SEED_FINDINGS
    assert findings[Sheet.objects.get(program__code="03-04-05").pk] == []


def test_findings_read_in_japanese():
    sheet = Sheet.objects.get(program__code="03-04-04")
    fibre, breakdown = sheet_findings(sheet)
    assert fibre.message.startswith("実績の推移「光ファイバ」（回線）が親項目「施設数（合計）」（施設）を 7 か年で上回っています")
    assert "平成27年度 120 > 109" in fibre.message and "令和3年度 121 > 115" in fibre.message
    assert breakdown.message == (
        "令和元年度の予算・決算の内訳（決算）は主な事項のみのため、計 44,065 千円と決算額 44,064 千円に 1 千円の差があります"
        "（確認不要）。"
    )
    # what to check, and where on the page
    assert fibre.message.endswith("内訳の項目か親項目の値・単位を原本で確かめてください。")
    assert (fibre.place, breakdown.place) == (("実績の推移", "activity-heading"), ("予算・決算の内訳", "breakdown-heading"))
    assert severity_counts([fibre, breakdown]) == {"error": 0, "warning": 1, "info": 1}


def test_sheet_findings_equal_findings_for_sheets():
    ids = _codes()
    together = findings_for_sheets(ids)
    for sheet in Sheet.objects.all():
        assert sheet_findings(sheet) == together[sheet.pk]


# ---------------------------------------------------------------- broken copies of 03-04-05 (no findings on the seed)


def _document() -> dict:
    document = json.loads((SEED_DIR / "03-04-05_2021.json").read_text(encoding="utf-8"))
    document["code"] = "99-00-05"
    return document


def _indicator(document, number):
    return next(i for i in document["indicators"] if i["number"] == number)


def _value(owner, year):
    return next(v for v in owner["values"] if v["fiscal_year"] == year)


def _budget(document, year):
    return next(b for b in document["budget_history"] if b["fiscal_year"] == year)


def _activity(document, name):
    return next(a for a in document["activity"] if a["name"] == name)


def _stated_total_raised(d):
    d["cost_statement"][0]["stated_totals"]["expense"] += 1


def _settlement_above_budget(d):
    _budget(d, 2017)["settlement"] = 134400


def _percent_120(d):
    _value(_indicator(d, 1), 2019)["value"] = "120"


def _percent_below_zero(d):
    _value(_indicator(d, 3), 2018)["value"] = "-0.5"


def _target_deleted(d):
    _indicator(d, 3)["target"] = None


def _estimates_in_2019(d):
    _value(_indicator(d, 2), 2019)["is_estimate"] = True
    _budget(d, 2019)["settlement_is_estimate"] = True


def _pushed_but_falling(d):
    d["classification"]["current"] = "推進"
    for year, value in [(2019, "95"), (2020, "90"), (2021, "85.5")]:  # achievement 100.0 → 94.7 → 90.0
        _value(_indicator(d, 1), year)["value"] = value


def _sub_item_above_parent(d):
    _activity(d, "ヘルプデスク問合せ件数")["parent"] = "PC配備台数"


def _breakdown_line_raised(d):
    next(line for line in d["budget_breakdown"] if line["fiscal_year"] == 2020)["amount"] += 10


BROKEN = {
    "stated_total": (
        _stated_total_raised,
        ("cost_total_mismatch", "error", 2019, {"item": "expense", "stated": 163224, "computed": 163223}),
    ),
    "settlement": (
        _settlement_above_budget,
        ("settlement_over_budget", "warning", 2017, {"budget": 134315, "settlement": 134400, "is_estimate": False}),
    ),
    "percent_120": (
        _percent_120,
        ("percentage_out_of_range", "warning", 2019, {"number": 1, "name": "パソコン稼働率(%)", "value": 120}),
    ),
    "percent_negative": (
        _percent_below_zero,
        (
            "percentage_out_of_range",
            "warning",
            2018,
            {"number": 3, "name": "ヘルプデスクの当日中間問い合わせ対応(%)", "value": -0.5},
        ),
    ),
    "target": (
        _target_deleted,
        ("indicator_without_target", "warning", None, {"number": 3, "name": "ヘルプデスクの当日中間問い合わせ対応(%)"}),
    ),
    "estimate": (
        _estimates_in_2019,
        (
            "estimate_in_closed_year",
            "warning",
            2019,
            {
                "items": [
                    {"part": "budget", "name": "決算額"},
                    {"part": "indicator", "name": "印刷枚数前年度増加率(%) (複合機・レーザープリンタ)"},
                ]
            },
        ),
    ),
    "trend": (
        _pushed_but_falling,
        (
            "classification_vs_trend",
            "warning",
            2021,
            {
                "number": 1,
                "name": "パソコン稼働率(%)",
                "classification": "推進",
                "achievements": [
                    {"fiscal_year": 2019, "achievement": 100.0},
                    {"fiscal_year": 2020, "achievement": 94.7},
                    {"fiscal_year": 2021, "achievement": 90.0},
                ],
            },
        ),
    ),
    "sub_item": (
        _sub_item_above_parent,
        (
            "sub_item_exceeds_parent",
            "warning",
            None,
            {
                "item": "ヘルプデスク問合せ件数",
                "parent": "PC配備台数",
                "years": [2020, 2021],
                "values": [
                    {"fiscal_year": 2020, "value": 3054, "parent_value": 2263},
                    {"fiscal_year": 2021, "value": 3200, "parent_value": 2325},
                ],
            },
        ),
    ),
    "breakdown": (
        _breakdown_line_raised,
        ("breakdown_vs_budget", "info", 2020, {"kind": "settlement", "breakdown_total": 134580, "amount": 134570}),
    ),
}


def _broken_copy(*changes) -> Sheet:
    document = _document()
    for change in changes:
        change(document)
    return sheet_upsert(document=document).sheet


def test_an_unbroken_copy_has_no_findings():
    assert sheet_findings(_broken_copy()) == []


@pytest.mark.parametrize("case", BROKEN)
def test_each_breakage_raises_exactly_its_finding(case):
    change, expected = BROKEN[case]
    findings = sheet_findings(_broken_copy(change))
    assert [(f.code, f.severity, f.fiscal_year, f.figures) for f in findings] == [expected]
    assert findings[0].message


def test_all_breakages_together_errors_first_then_in_check_order():
    sheet = _broken_copy(*(change for change, _ in BROKEN.values()))
    # All at once, the trend case overwrites ①'s 2019 value of 120; ③'s −0.5 still breaks the % range.
    codes = [f.code for f in sheet_findings(sheet)]
    assert codes == [
        "cost_total_mismatch",
        "settlement_over_budget",
        "percentage_out_of_range",
        "indicator_without_target",
        "estimate_in_closed_year",
        "classification_vs_trend",
        "sub_item_exceeds_parent",
        "breakdown_vs_budget",
    ]


def test_change_rate_in_percent_may_be_negative():
    """03-04-05 ② 印刷枚数前年度増加率(%) is −1.2 and −1.6 on the form: a signed rate, not a share."""
    sheet = _broken_copy(lambda d: _value(_indicator(d, 2), 2020).update(value="-150"))
    assert sheet_findings(sheet) == []


def test_estimate_for_the_evaluation_year_itself_is_fine():
    sheet = _broken_copy(lambda d: _value(_indicator(d, 1), 2021).update(is_estimate=True))
    assert sheet_findings(sheet) == []


# ---------------------------------------------------------------- the command


def test_check_sheets_prints_findings_per_sheet_and_succeeds_on_the_seed(capsys):
    call_command("check_sheets")
    out = capsys.readouterr().out
    assert "03-04-05 OA機器管理（令和3年度）: 指摘なし" in out
    assert "03-04-04 ネットワーク管理（令和3年度）: 2 件" in out
    assert "[警告] 実績の推移「光ファイバ」" in out
    assert "6 枚のシートを確認しました: エラー 0 件、警告 1 件、参考 8 件" in out


def test_check_sheets_filters_by_code_and_fiscal_year(capsys):
    call_command("check_sheets", "--code", "03-04-05", "--fiscal-year", "2021")
    out = capsys.readouterr().out
    assert "1 枚のシートを確認しました: エラー 0 件、警告 0 件、参考 0 件" in out
    call_command("check_sheets", "--fiscal-year", "2030")
    assert "該当するシートがありません" in capsys.readouterr().out


def _exit_status(*args: str) -> int:
    """The status manage.py exits with: BaseCommand.run_from_argv turns CommandError into sys.exit(returncode).

    (run_from_argv itself closes the database connections, which would end the test's transaction.)
    """
    try:
        call_command("check_sheets", *args)
    except CommandError as exc:
        return exc.returncode
    return 0


def test_check_sheets_exit_status_is_zero_on_seed_and_one_after_breaking_a_stated_total(capsys):
    assert _exit_status() == 0
    StatedCostTotal.objects.filter(sheet__program__code="03-04-02", fiscal_year=2020, item="revenue").update(
        amount=F("amount") + 5
    )
    assert _exit_status() == 0  # written behind the services' back: the stored findings do not know yet
    with pytest.raises(CommandError, match="エラーが 1 件あります"):
        call_command("check_sheets", "--rebuild")
    assert _exit_status() == 1
    out = capsys.readouterr().out
    assert (
        "[エラー] 令和2年度の行政コスト計算書「行政収入合計 (a)」の記載額 15,142 千円が、勘定科目から計算した 15,137 千円と一致しません"
        in out
    )
    assert _exit_status("--code", "03-04-01") == 0
    assert _exit_status("--code", "03-04-02") == 1


# ---------------------------------------------------------------- query counts


def test_query_count_is_fixed_whatever_the_number_of_sheets():
    seed = _codes()
    with CaptureQueriesContext(connection) as six:
        findings_for_sheets(seed)
    sheets_bulk_create(200)
    ids = _codes()
    assert len(ids) == 206
    with CaptureQueriesContext(connection) as many:
        findings = findings_for_sheets(ids)
    assert len(many) == len(six) == 11  # one per frame (財源内訳 and 名称の相違 included), whatever the number of sheets
    generated = [f for sheet_id, found in findings.items() if ids[sheet_id].startswith("90-") for f in found]
    assert len(generated) == 200 * 2  # each copy of 03-04-01 has its two 内訳 notes
    sheet = Sheet.objects.get(program__code="90-0100")
    with CaptureQueriesContext(connection) as one:
        sheet_findings(sheet)
    assert len(one) == 10


# ---------------------------------------------------------------- edge cases


def test_a_sheet_with_nothing_in_it_and_no_sheets_at_all():
    template = Sheet.objects.get(program__code="03-04-01")
    program = template.program.__class__.objects.create(
        municipality=template.program.municipality, code="99-00-00", name="空のシート"
    )
    empty = Sheet.objects.create(
        program=program, fiscal_year=2021, name="空のシート", section=template.section, measure=template.measure
    )
    assert sheet_findings(empty) == []
    assert findings_for_sheets([]) == {}


def test_an_indicator_without_values_is_only_missing_its_target():
    sheet = _broken_copy(
        lambda d: d.update(indicators=[{"number": 1, "name": "新しい指標", "unit": "%", "values": []}], activity=[])
    )
    assert [f.code for f in sheet_findings(sheet)] == ["indicator_without_target"]


# ---------------------------------------------------------------- display helpers


def test_findings_partial_lists_each_finding_with_its_severity():
    html = render_to_string("programs/_findings.html", {"findings": sheet_findings(Sheet.objects.get(program__code="03-04-04"))})
    assert "データ品質の確認（2 件）" in html
    assert (
        '<li class="finding finding-warning" data-code="sub_item_exceeds_parent"><span class="badge">警告</span> 実績の推移「光ファイバ」'
        in html
    )
    assert render_to_string("programs/_findings.html", {"findings": []}).strip() == ""


def test_findings_attach_sets_findings_and_counts_on_each_sheet():
    sheets = list(Sheet.objects.select_related("program").order_by("program__code"))
    with CaptureQueriesContext(connection) as queries:
        findings_attach(sheets=sheets)
    assert len(queries) == 1  # the stored findings
    assert [(s.program.code, s.finding_counts) for s in sheets] == [
        ("03-04-01", {"error": 0, "warning": 0, "info": 2}),
        ("03-04-02", {"error": 0, "warning": 0, "info": 3}),
        ("03-04-03", {"error": 0, "warning": 0, "info": 1}),
        ("03-04-04", {"error": 0, "warning": 1, "info": 1}),
        ("03-04-05", {"error": 0, "warning": 0, "info": 0}),
        ("03-04-06", {"error": 0, "warning": 0, "info": 1}),
    ]


def test_admin_action_check_selected_sheets_messages_each_sheet_with_findings(rf, admin_user):
    request = rf.post("/admin/programs/sheet/")
    request.user = admin_user
    request._messages = CookieStorage(request)
    queryset = Sheet.objects.filter(program__code__in=["03-04-04", "03-04-05"])
    check_selected_sheets(admin.site._registry[Sheet], request, queryset)
    sent = [(m.level_tag, str(m)) for m in request._messages]
    assert [level for level, _ in sent] == ["warning", "success"]
    assert sent[0][1].startswith("03-04-04 ネットワーク管理（令和3年度）: 警告 1 件、参考 1 件 — [警告] 実績の推移「光ファイバ」")
    assert sent[1][1] == "2 枚のシートを確認しました: エラー 0 件、警告 1 件、参考 1 件"


def test_findings_by_code_for_the_overview():
    arakawa = Municipality.objects.default()
    with CaptureQueriesContext(connection) as queries:
        found = findings_by_code(viewer=None, municipality=arakawa, fiscal_year=2021)
    assert len(queries) == 2  # the sheets' codes, their stored findings
    assert {code: len(f) for code, f in found.items()} == {
        "03-04-01": 2,
        "03-04-02": 3,
        "03-04-03": 1,
        "03-04-04": 2,
        "03-04-05": 0,
        "03-04-06": 1,
    }
    assert sum(len(f) for f in found.values()) == len(SEED_FINDINGS)
    assert findings_by_code(viewer=None, municipality=Municipality.objects.default(), fiscal_year=2030) == {}


def test_sheet_page_frames_give_the_same_findings_without_a_query():
    """The sheet page already loads these frames (programs/pages/sheet.py); findings reuse them."""
    sheet = Sheet.objects.get(program__code="03-04-04")
    ids = [sheet.pk]
    indicators, indicator_values = indicator_selectors.indicator_frames(sheet_ids=ids)
    items, item_values = indicator_selectors.activity_frames(sheet_ids=ids)
    loaded = {
        "budget": finance_analytics.execution_rates(finance_selectors.budget_frame(sheet_ids=ids)),
        "breakdown": finance_selectors.breakdown_frame(sheet_ids=ids),
        "costs": finance_selectors.cost_frame(sheet_ids=ids),
        "stated": finance_selectors.stated_cost_frame(sheet_ids=ids),
        "indicators": indicators,
        "indicator_values": indicator_values,
        "items": items,
        "item_values": item_values,
    }
    with CaptureQueriesContext(connection) as queries:
        findings = sheet_findings_from_frames(sheet=sheet, **loaded)
    assert len(queries) == 0
    assert findings == sheet_findings(sheet)
