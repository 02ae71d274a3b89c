"""/sheets/<fy>/<code>/: one sheet, whole, in the form's order, with its charts and data-quality findings."""

from evalsheets.lib.charts import render_figure
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import choices as finance_choices
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import charts as indicator_charts
from indicators import selectors as indicator_selectors
from programs import issue_trends, selectors, workflow
from programs.findings import severity_counts, stored_findings
from programs.models import Sheet
from programs.pages.similar_programs import similar_programs_panel
from programs.profiles import Form, municipality_form


def sheet_context(sheet: Sheet, *, viewer) -> dict:
    """`sheet` comes from selectors.sheet_page_queryset (text parts prefetched); the figures are loaded here as frames.
    The municipality's form profile decides the form's name, the policy levels' names, the blocks shown and their
    labels, how 分類 prints and the extra texts."""
    form = municipality_form(sheet.program.municipality)
    program_issues = selectors.program_sheet_issues(sheet.program_id, viewer=viewer)
    return {
        "sheet": sheet,
        "form": form,
        "classification": {
            "current": form.choice_label(sheet.classification_current),
            "next": form.choice_label(sheet.classification_next),
        },
        "texts": sheet_texts(sheet, form=form),
        "panels": sheet_panels(sheet),
        "workflow": sheet_workflow(sheet, viewer=viewer),
        "neighbours": selectors.sheet_neighbours(sheet, viewer=viewer),
        "other_years": list(dict.fromkeys(fiscal_year for fiscal_year, _, _ in program_issues)),
        "issue_rows": sheet_issue_runs(sheet, program_issues),
        "similar": similar_programs_panel(sheet.program, viewer=viewer),
        "previous_fiscal_year": sheet.fiscal_year - 1,
        "next_fiscal_year": sheet.fiscal_year + 1,
    }


def sheet_texts(sheet: Sheet, *, form: Form) -> list[dict]:
    """The extra texts: the profile's fields in its order (empty when the sheet has none), then any other texts the
    sheet holds; label and role as the sheet has them, else the profile's."""
    own = {text.key: text for text in sheet.texts.all()}
    rows = []
    for field in form.text_fields:
        text = own.pop(field.key, None)
        rows.append(
            {
                "key": field.key,
                "label": (text and text.label) or field.label,
                "role": (text and text.role) or field.role,
                "text": text.text if text else "",
            }
        )
    rows += [{"key": t.key, "label": t.label or t.key, "role": t.role, "text": t.text} for t in own.values()]
    return rows


def sheet_issue_runs(sheet: Sheet, program_issues: list[tuple]) -> list[dict]:
    """The sheet's 問題点・課題 (prefetched), each with its run over the program's earlier sheets (issue_trends: 「継続課題」
    after three consecutive years); `program_issues` from selectors.program_sheet_issues."""
    earlier = issue_trends.issues_by_year(row for row in program_issues if row[0] < sheet.fiscal_year)
    issues = list(sheet.issues.all())
    timeline = issue_trends.issue_timeline([*earlier, (sheet.fiscal_year, [(i.number, i.text) for i in issues])])
    return [{"issue": issue, "run": run} for issue, run in zip(issues, timeline[-1].issues, strict=True)]


def sheet_workflow(sheet: Sheet, *, viewer) -> dict:
    """Status, the steps `viewer` may take and whether they may edit; shown to staff who may see unpublished sheets."""
    if not viewer.has_perm("programs.view_unpublished_sheet"):
        return {"shown": False}
    return {
        "shown": True,
        "transitions": workflow.transitions_for(viewer, sheet),
        "can_edit": workflow.can_edit(viewer, sheet),
        "last_change": sheet.status_changes.select_related("user").first(),
    }


def sheet_panels(sheet: Sheet) -> dict:
    """Tables and rendered charts for 指標, 予算・決算額等の推移, 実績の推移, 内訳 and 行政コスト計算書."""
    ids = [sheet.pk]
    budget = finance_analytics.sheet_budget(finance_selectors.budget_frame(sheet_ids=ids))
    breakdown = finance_selectors.breakdown_frame(sheet_ids=ids)
    breakdown_columns = finance_analytics.breakdown_columns(breakdown)
    costs, stated = finance_selectors.cost_frame(sheet_ids=ids), finance_selectors.stated_cost_frame(sheet_ids=ids)
    statement = finance_analytics.cost_statement(costs, stated)
    funding, personnel = finance_selectors.funding_frame(sheet_ids=ids), finance_selectors.personnel_frame(sheet_ids=ids)
    indicators, indicator_values = indicator_selectors.indicator_frames(sheet_ids=ids)
    indicator_years, indicator_rows = indicator_analytics.indicator_table(indicators, indicator_values)
    items, item_values = indicator_selectors.activity_frames(sheet_ids=ids)
    activity_years, activity_rows = indicator_analytics.activity_table(items, item_values)

    indicator_groups = indicator_analytics.indicator_groups(indicator_rows)
    values_of = indicator_analytics.values_by_owner(indicators, indicator_values)
    for row in indicator_rows:
        own = values_of[row["id"]]
        chart = indicator_charts.indicator_trend(row, own)
        row["chart"] = render_figure(chart, div_id=indicator_charts.indicator_chart_id(row, prefix="chart-indicator"))
    for i, (row, fig) in enumerate(zip(activity_rows, indicator_charts.activity_trends(activity_rows, item_values), strict=True)):
        row["chart"] = render_figure(fig, div_id=f"chart-activity-{i + 1}")
    findings = stored_findings(sheet)  # computed when the sheet was written (programs/findings.py), one query
    return {
        "findings": findings,
        "finding_counts": severity_counts(findings),  # the summary line at the top of the page
        "budget": {
            "rows": budget.to_dict("records"),
            "chart": render_figure(finance_charts.budget_trend(budget), div_id="chart-budget"),
        },
        "indicators": {
            "years": indicator_years,
            "rows": indicator_rows,
            # a sheet with 成果指標 alone (荒川区) shows one unheaded table as the form does; others one table per kind
            "groups": indicator_groups,
            "by_kind": not indicator_analytics.only_outcomes(indicator_groups),
        },
        "activity": {
            "years": activity_years,
            "rows": activity_rows,
        },
        "breakdown": {
            "columns": breakdown_columns,
            "rows": finance_analytics.breakdown_rows(breakdown_columns),
            "chart": render_figure(
                finance_charts.breakdown_stack(finance_analytics.breakdown_by_class(breakdown)), div_id="chart-breakdown"
            ),
        },
        "cost": {
            "years": statement["years"],
            "rows": finance_analytics.cost_statement_rows(statement),
            "mismatches": statement["mismatches"],
            "parts": [("expense", "行政費用"), ("revenue", "行政収入"), ("balances", "収支差額")],
            "chart": render_figure(finance_charts.cost_composition(statement), div_id="chart-cost"),
        },
        "money": money_panel(sheet, finance_analytics.money_columns(funding, personnel, budget)),
    }


def prefectural_grant_label(sheet: Sheet) -> str:
    """都支出金 / 道支出金 / 府支出金 / 県支出金 as the sheet's municipality prints 都道府県支出金."""
    municipality = getattr(sheet.program, "municipality", None)
    return municipality.prefectural_grant_label if municipality else "都支出金"


def money_panel(sheet: Sheet, columns: list[dict]) -> dict:
    """財源内訳・人件費 and 総事業費 per (year, basis) with their two charts; shown only when the sheet reports them."""
    if not columns:
        return {"shown": False}
    labels = finance_choices.funding_source_labels(prefectural_grant_label(sheet))
    return {
        "shown": True,
        "columns": columns,
        "source_rows": [(label, [c["sources"][source] for c in columns]) for source, label in labels.items()],
        "funding_chart": render_figure(finance_charts.funding_composition(columns, labels=labels), div_id="chart-funding"),
        "cost_chart": render_figure(finance_charts.cost_with_personnel(columns), div_id="chart-total-cost"),
    }
