"""Admin actions on sheets (registered in programs/admin.py)."""

from collections import defaultdict

from django.contrib import admin, messages
from django.db import IntegrityError, transaction

from evalsheets.lib.formatting import era_fiscal_year
from programs.findings import SEVERITY_LABELS, findings_for_sheets, severity_counts
from programs.rollover import fiscal_year_start, report_lines

LEVELS = {"error": messages.ERROR, "warning": messages.WARNING, "info": messages.INFO}


@admin.action(description="選択したシートの翌年度シートを作成（前年度複写）", permissions=["add"])
def start_next_fiscal_year(modeladmin, request, queryset) -> None:
    """For each selected sheet (program, year N), create the program's N+1 sheet from it; existing sheets are kept."""
    programs_by_year: dict[int, list[int]] = defaultdict(list)
    for fiscal_year, program_id in queryset.order_by().values_list("fiscal_year", "program_id").distinct():
        programs_by_year[fiscal_year].append(program_id)
    try:
        with transaction.atomic():
            reports = [
                fiscal_year_start(fiscal_year=year + 1, program_ids=ids, user=request.user)
                for year, ids in sorted(programs_by_year.items())
            ]
    except (ValueError, IntegrityError) as exc:
        modeladmin.message_user(request, f"作成を中止しました（変更はありません）: {exc}", messages.ERROR)
        return
    for report in reports:
        created, *skipped = report_lines(report=report)
        modeladmin.message_user(request, created, messages.SUCCESS if report.created else messages.INFO)
        for line in skipped:
            modeladmin.message_user(request, line, messages.WARNING)


@admin.action(description="選択したシートのデータ品質を確認")
def check_selected_sheets(modeladmin, request, queryset) -> None:
    """One message per sheet with findings (its worst severity), then the totals; 10 queries for any selection."""
    sheets = list(queryset.select_related("program").order_by("program__code", "fiscal_year"))
    found = findings_for_sheets([s.pk for s in sheets])
    for sheet in sheets:
        findings = found[sheet.pk]
        if not findings:
            continue
        counts = severity_counts(findings)
        summary = "、".join(f"{SEVERITY_LABELS[k]} {n} 件" for k, n in counts.items() if n)
        details = " / ".join(f"[{f.severity_label}] {f.message}" for f in findings)
        head = f"{sheet.program.code} {sheet.name}（{era_fiscal_year(sheet.fiscal_year)}）"
        modeladmin.message_user(request, f"{head}: {summary} — {details}", LEVELS[findings[0].severity])
    totals = severity_counts(f for findings in found.values() for f in findings)
    summary = "、".join(f"{SEVERITY_LABELS[k]} {n} 件" for k, n in totals.items())
    modeladmin.message_user(request, f"{len(sheets)} 枚のシートを確認しました: {summary}", messages.SUCCESS)
