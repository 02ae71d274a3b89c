"""前年度複写: FY2022 sheets started from the six FY2021 seed sheets."""

import json
import re

import pytest
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from finance.models import BreakdownLine, BudgetYear, CostLine, StatedCostTotal
from indicators.models import ActivityItem
from programs import rollover
from programs.admin_actions import start_next_fiscal_year
from programs.findings import findings_for_sheets
from programs.models import Program, Sheet
from programs.rollover import RolloverReport, Skipped, fiscal_year_start
from programs.services import SEED_DIR, sheet_upsert
from tests.snapshots import sheet_snapshot

pytestmark = pytest.mark.django_db

CODES = ["03-04-01", "03-04-02", "03-04-03", "03-04-04", "03-04-05", "03-04-06"]
TEXT_PARTS = ["staff", "sub_programs", "history_events", "issues"]
CHANGED_FIELDS = {"id", "fiscal_year", "classification_current", "classification_next", "status"}


def _sheet(code: str, year: int) -> Sheet:
    return Sheet.objects.get(program__code=code, fiscal_year=year)


def _snapshots(year: int) -> dict[str, dict]:
    return {s.program.code: sheet_snapshot(s) for s in Sheet.objects.filter(fiscal_year=year).select_related("program")}


@pytest.fixture
def started():
    before = _snapshots(2021)
    report = fiscal_year_start(fiscal_year=2022)
    return report, before


def test_creates_a_fy2022_sheet_for_each_of_the_six(started):
    report, _ = started
    assert report == RolloverReport(fiscal_year=2022, created=tuple(CODES), skipped=())
    assert sorted(Sheet.objects.filter(fiscal_year=2022).values_list("program__code", flat=True)) == CODES
    assert Program.objects.count() == 6


def test_fy2021_sheets_are_untouched(started):
    _, before = started
    assert _snapshots(2021) == before


@pytest.mark.parametrize("code", CODES)
def test_texts_staff_sub_programs_history_and_issues_are_copied(started, code):
    _, before = started
    new = sheet_snapshot(_sheet(code, 2022))
    old = before[code]
    assert {k: v for k, v in new.items() if k not in CHANGED_FIELDS and not isinstance(v, list)} == {
        k: v for k, v in old.items() if k not in CHANGED_FIELDS and not isinstance(v, list)
    }
    for part in TEXT_PARTS:
        assert new[part] == old[part], part
    assert new["fiscal_year"] == 2022
    assert (old["status"], new["status"]) == ("published", "draft")  # the new year's sheet is being written


@pytest.mark.parametrize("code", CODES)
def test_classification_current_is_last_years_next(started, code):
    old, new = _sheet(code, 2021), _sheet(code, 2022)
    assert (new.classification_current, new.classification_next) == (old.classification_next, "")
    assert new.classification_explanation == old.classification_explanation


def test_03_04_06_moves_from_continue_to_promote(started):
    assert _sheet("03-04-06", 2022).classification_current == "推進"


@pytest.mark.parametrize("code", CODES)
def test_improvements_plan_is_last_years_next(started, code):
    old = list(_sheet(code, 2021).improvements.values("number", "next"))
    new = list(_sheet(code, 2022).improvements.values("number", "plan", "result", "next"))
    assert new == [{"number": o["number"], "plan": o["next"], "result": "", "next": ""} for o in old]


@pytest.mark.parametrize("code", CODES)
def test_budget_window_moves_to_2016_2022(started, code):
    old = {r.fiscal_year: r for r in _sheet(code, 2021).budget_years.all()}
    rows = list(BudgetYear.objects.filter(sheet=_sheet(code, 2022)).order_by("fiscal_year"))
    assert [r.fiscal_year for r in rows] == list(range(2016, 2023))
    for row in rows[:-1]:
        assert (row.budget, row.settlement) == (old[row.fiscal_year].budget, old[row.fiscal_year].settlement)
    assert [r.fiscal_year for r in rows if r.settlement_is_estimate] == [2021]  # still to be confirmed
    assert (rows[-1].budget, rows[-1].settlement, rows[-1].settlement_is_estimate) == (None, None, False)


def test_budget_history_of_03_04_01_in_figures(started):
    rows = BudgetYear.objects.filter(sheet=_sheet("03-04-01", 2022)).values_list(
        "fiscal_year", "budget", "settlement", "settlement_is_estimate"
    )
    assert list(rows) == [
        (2016, 434429, 399463, False),
        (2017, 429265, 370454, False),
        (2018, 454535, 409032, False),
        (2019, 444755, 435304, False),
        (2020, 511414, 468557, False),
        (2021, 468771, 468771, True),
        (2022, None, None, False),
    ]


def _indicators(sheet):
    return [
        (
            {k: v for k, v in model_to_dict(i).items() if k not in {"id", "sheet"}},
            [(v.fiscal_year, v.value, v.decimals, v.is_estimate) for v in i.values.all()],
        )
        for i in sheet.indicators.prefetch_related("values")
    ]


@pytest.mark.parametrize("code", CODES)
def test_indicators_keep_2019_2021_with_2021_still_an_estimate(started, code):
    old, new = _indicators(_sheet(code, 2021)), _indicators(_sheet(code, 2022))
    assert [fields for fields, _ in new] == [fields for fields, _ in old]
    for (_, new_values), (_, old_values) in zip(new, old, strict=True):
        assert new_values == [v for v in old_values if v[0] >= 2019]
        assert [v[0] for v in new_values] == [2019, 2020, 2021]
        assert [v[0] for v in new_values if v[3]] == [2021]


@pytest.mark.parametrize("code", CODES)
def test_activity_window_moves_by_one_year_and_keeps_sub_items(started, code):
    def rows(sheet):
        return [
            (
                i.position,
                i.name,
                i.unit,
                i.parent.name if i.parent else None,
                [(v.fiscal_year, v.value, v.is_estimate) for v in i.values.all()],
            )
            for i in sheet.activity_items.select_related("parent").prefetch_related("values")
        ]

    old, new = rows(_sheet(code, 2021)), rows(_sheet(code, 2022))
    assert new == [(*o[:4], [v for v in o[4] if v[0] >= 2016]) for o in old]
    assert all([v[0] for v in item[4]] == list(range(2016, 2022)) for item in new)


def test_fibre_lines_stay_under_facilities_of_the_new_sheet(started):
    fibre = ActivityItem.objects.get(sheet=_sheet("03-04-04", 2022), name="光ファイバ")
    assert fibre.parent.name == "施設数（合計）" and fibre.parent.sheet_id == fibre.sheet_id


@pytest.mark.parametrize("code", CODES)
def test_breakdown_keeps_the_last_two_year_columns(started, code):
    def lines(sheet):
        return list(
            BreakdownLine.objects.filter(sheet=sheet).values_list("fiscal_year", "kind", "expense_class", "description", "amount")
        )

    old = lines(_sheet(code, 2021))
    new = lines(_sheet(code, 2022))
    assert new == [line for line in old if (line[0], line[1]) in {(2020, "settlement"), (2021, "budget")}]
    assert {(y, k) for y, k, *_ in new} == {(2020, "settlement"), (2021, "budget")}


@pytest.mark.parametrize("code", CODES)
def test_cost_statement_has_the_2020_lines_only(started, code):
    def lines(sheet, **filters):
        return sorted(CostLine.objects.filter(sheet=sheet, **filters).values_list("fiscal_year", "account", "amount"))

    new = _sheet(code, 2022)
    assert lines(new) == lines(_sheet(code, 2021), fiscal_year=2020)
    assert len(lines(new)) == 18
    assert not StatedCostTotal.objects.filter(sheet=new).exists()


def test_the_new_sheets_are_in_the_history_as_copies(started):
    record = _sheet("03-04-01", 2022).history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "前年度複写")


def test_running_again_creates_nothing(started):
    counts = (Sheet.objects.count(), BudgetYear.objects.count(), CostLine.objects.count())
    snapshots = _snapshots(2022)
    report = fiscal_year_start(fiscal_year=2022)
    assert report.created == ()
    assert report.skipped == tuple(Skipped(code, "令和4年度のシートが既にあります") for code in CODES)
    assert (Sheet.objects.count(), BudgetYear.objects.count(), CostLine.objects.count()) == counts
    assert _snapshots(2022) == snapshots


def test_an_existing_fy2022_sheet_is_untouched_and_reported_skipped():
    document = json.loads((SEED_DIR / "03-04-03_2021.json").read_text(encoding="utf-8"))
    document.update(fiscal_year=2022, purpose="令和4年度に手で作成したシート")
    existing = sheet_upsert(document=document).sheet
    before = sheet_snapshot(existing)
    report = fiscal_year_start(fiscal_year=2022)
    assert report.created == tuple(c for c in CODES if c != "03-04-03")
    assert report.skipped == (Skipped("03-04-03", "令和4年度のシートが既にあります"),)
    existing.refresh_from_db()
    assert sheet_snapshot(existing) == before


def test_a_program_without_last_years_sheet_is_skipped():
    report = fiscal_year_start(fiscal_year=2023)
    assert report.created == ()
    assert report.skipped[0] == Skipped("03-04-01", "前年度（令和4年度）のシートがありません")


def test_all_or_nothing(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("途中で失敗")

    monkeypatch.setattr(rollover, "_activity_copy", broken)
    with pytest.raises(RuntimeError):
        fiscal_year_start(fiscal_year=2022)
    assert not Sheet.objects.filter(fiscal_year=2022).exists()
    assert not BudgetYear.objects.filter(fiscal_year=2022).exists()


def _statements(context) -> list[str]:
    """Verb and table of each statement run; a run of the same INSERT (the database's insert batches) counted once."""
    kinds = []
    for query in context.captured_queries:
        verb = query["sql"].split(" ")[0]
        table = re.search(r'(?:FROM|INTO) "(\w+)"', query["sql"])
        kinds.append(f"{verb} {table[1] if table else ''}")
    return [k for i, k in enumerate(kinds) if i == 0 or k != kinds[i - 1] or not k.startswith("INSERT")]


def test_query_count_does_not_grow_with_the_number_of_programs():
    one = [Program.objects.get(code="03-04-04").pk]  # the one with sub-items: as many item levels as all six
    with CaptureQueriesContext(connection) as single:
        fiscal_year_start(fiscal_year=2022, program_ids=one)
    Sheet.objects.filter(fiscal_year=2022).delete()
    with CaptureQueriesContext(connection) as six:
        fiscal_year_start(fiscal_year=2022)
    assert _statements(single) == _statements(six)
    # 担当者, 小事業 and 経過 keep history too: one history insert each; 財源内訳, 人件費 and the extra texts read;
    # the new sheets' stored figures: two UPDATEs (programs/figures.py); their findings: 11 reads, then replaced
    # (programs.findings.sheet_findings_store); their search documents: 10 reads and one upsert (programs/search.py)
    assert len(_statements(six)) == 76
    selects = [q for q in six.captured_queries if q["sql"].startswith("SELECT")]
    # 財源内訳, 人件費 and the extra texts (none in the seed) are read too; the findings: 12; the search documents: 10
    assert len(selects) == 40


def test_start_fiscal_year_command_prints_the_report(capsys):
    call_command("start_fiscal_year", "2022")
    out = capsys.readouterr().out
    assert "令和4年度のシートを 6 件作成しました: 03-04-01、03-04-02、03-04-03、03-04-04、03-04-05、03-04-06" in out
    call_command("start_fiscal_year", "2022")
    out = capsys.readouterr().out
    assert "令和4年度のシートは作成しませんでした" in out
    assert "作成しなかった事業 03-04-06: 令和4年度のシートが既にあります" in out
    with pytest.raises(CommandError, match="範囲外"):
        call_command("start_fiscal_year", "2101")


def test_admin_action_starts_the_next_year_for_the_selected_sheets(rf, admin_user):
    request = rf.post("/admin/programs/sheet/")
    request.user = admin_user
    request._messages = CookieStorage(request)
    queryset = Sheet.objects.filter(program__code__in=["03-04-01", "03-04-02"], fiscal_year=2021)
    start_next_fiscal_year(admin.site._registry[Sheet], request, queryset)
    assert sorted(Sheet.objects.filter(fiscal_year=2022).values_list("program__code", flat=True)) == ["03-04-01", "03-04-02"]
    assert [str(m) for m in request._messages] == ["令和4年度のシートを 2 件作成しました: 03-04-01、03-04-02"]
    assert _sheet("03-04-01", 2022).history.get().history_user == admin_user

    request._messages = CookieStorage(request)
    start_next_fiscal_year(admin.site._registry[Sheet], request, queryset)
    assert [str(m) for m in request._messages] == [
        "令和4年度のシートは作成しませんでした",
        "作成しなかった事業 03-04-01: 令和4年度のシートが既にあります",
        "作成しなかった事業 03-04-02: 令和4年度のシートが既にあります",
    ]


def test_last_years_estimates_are_flagged_to_be_confirmed_on_the_new_sheets(started):
    sheets = dict(Sheet.objects.filter(fiscal_year=2022).values_list("pk", "program__code"))
    estimates = {
        sheets[sheet_id]: [(f.fiscal_year, f.figures["items"][0]) for f in found if f.code == "estimate_in_closed_year"]
        for sheet_id, found in findings_for_sheets(sheets).items()
    }
    assert estimates == {code: [(2021, {"part": "budget", "name": "決算額"})] for code in CODES}
