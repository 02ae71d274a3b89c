"""Plotly figures of the finance parts of a sheet, built from the frames of finance/analytics.py."""

import pandas as pd
import plotly.graph_objects as go

from evalsheets import charts
from finance.choices import BreakdownKind, CostSection, CostTotal
from programs.formatting import percent


def budget_trend(budget: pd.DataFrame) -> go.Figure:
    """予算額 vs 決算額 (bars) with 執行率 (line, right axis); estimate years hatched and labelled 見込み."""
    title = "予算額・決算額と執行率の推移"
    if budget.empty:
        return charts.empty_figure("予算・決算額のデータがありません", title=title)
    x = [charts.era_label(y, estimate=e) for y, e in zip(budget["fiscal_year"], budget["settlement_is_estimate"], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        name="予算額", x=x, y=budget["budget"].astype("Float64"), marker_color=charts.BUDGET,
        customdata=charts.hover_amounts(budget["budget"]), hovertemplate="%{x}<br>予算額 %{customdata} 千円<extra></extra>",
    )
    fig.add_bar(
        name="決算額（斜線は見込み）", x=x, y=budget["settlement"].astype("Float64"), marker_color=charts.SETTLEMENT,
        marker_pattern={**charts.ESTIMATE_PATTERN, "shape": ["/" if e else "" for e in budget["settlement_is_estimate"]]},
        customdata=[f"{a}{'（見込み）' if e else ''}" for a, e in zip(
            charts.hover_amounts(budget["settlement"]), budget["settlement_is_estimate"], strict=True)],
        hovertemplate="%{x}<br>決算額 %{customdata} 千円<extra></extra>",
    )
    fig.add_scatter(
        name="執行率", x=x, y=budget["execution_rate"].astype("Float64"), yaxis="y2", mode="lines+markers",
        line={"color": charts.RATE}, customdata=[percent(v) for v in budget["execution_rate"]],
        hovertemplate="%{x}<br>執行率 %{customdata}<extra></extra>",
    )
    fig.update_layout(
        barmode="group",
        yaxis2={"title": {"text": "執行率（%）"}, "overlaying": "y", "side": "right", "range": [0, 120], "dtick": 20,
                "ticksuffix": "%", "showgrid": False},
    )
    return charts.styled(fig, title=title, y_title="千円")


def breakdown_stack(by_class: pd.DataFrame) -> go.Figure:
    """予算・決算の内訳: one stacked bar per column (year, 決算/予算), one colour per 節."""
    title = "予算・決算の内訳（節別）"
    if by_class.empty:
        return charts.empty_figure("内訳のデータがありません", title=title)
    columns = by_class[["fiscal_year", "kind"]].drop_duplicates().sort_values("fiscal_year")
    keys = list(zip(columns["fiscal_year"], columns["kind"], strict=True))
    x = [f"{charts.era_label(year)}（{BreakdownKind(kind).label}）" for year, kind in keys]
    fig = go.Figure()
    for expense_class, rows in by_class.groupby("expense_class", sort=False):
        amounts = rows.set_index(["fiscal_year", "kind"])["amount"].reindex(keys)
        fig.add_bar(
            name=expense_class, x=x, y=amounts.astype("Float64"),
            customdata=charts.hover_amounts(amounts.fillna(0)),
            hovertemplate=f"%{{x}}<br>{expense_class} %{{customdata}} 千円<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    return charts.legend_right(charts.styled(fig, title=title, y_title="千円"))


def cost_composition(statement: dict) -> go.Figure:
    """行政コスト計算書: per year, 行政費用 by account stacked beside 行政収入, and the 行政収支差額 bar."""
    title = "行政コスト計算書：行政費用と行政収入、行政収支差額"
    years = statement["years"]
    if not years:
        return charts.empty_figure("行政コスト計算書のデータがありません", title=title)
    accounts, totals = statement["accounts"], statement["totals"]
    year_labels = [charts.era_label(y) for y in years]
    fig = go.Figure()
    for section, category, shades in (
        (CostSection.EXPENSE, "行政費用", charts.EXPENSE_SHADES),
        (CostSection.REVENUE, "行政収入", charts.REVENUE_SHADES),
    ):
        rows = accounts[accounts["section"] == section]
        shown = rows[(rows[years] != 0).any(axis=1)]
        for i, (account, row) in enumerate(shown.iterrows()):
            values = [int(row[y]) for y in years]
            fig.add_bar(
                marker_color=shades[i % len(shades)],
                name=f"{category}：{account}", x=[year_labels, [category] * len(years)], y=values,
                customdata=charts.hover_amounts(values), legendgroup=category,
                hovertemplate=f"%{{x}}<br>{account} %{{customdata}} 千円<extra></extra>",
            )
    balance = [int(totals.at[CostTotal.ADMINISTRATIVE_BALANCE, y]) for y in years]
    fig.add_bar(
        name="行政収支差額", x=[year_labels, ["収支差額"] * len(years)], y=balance, marker_color="#5d6d7e",
        customdata=charts.hover_amounts(balance), hovertemplate="%{x}<br>行政収支差額 %{customdata} 千円<extra></extra>",
    )
    fig.update_layout(barmode="relative")
    return charts.legend_right(charts.styled(fig, title=title, y_title="千円", height=440))
