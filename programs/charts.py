"""Plotly figures of sheet-level summaries: the policy roll-up and the classification distribution."""

import pandas as pd
import plotly.graph_objects as go

from evalsheets.lib import charts

BRANCH_COLOURS = {"field": "#d6dde5", "policy": "#c3cfdb", "measure": "#afc1d2"}


def rollup_treemap(nodes: pd.DataFrame, *, fiscal_year: int) -> go.Figure:
    """分野 → 政策 → 施策 → 事務事業 as nested rectangles sized by budget (a branch is the sum of its children)."""
    title = f"行政評価事業体系別の予算額（{charts.era_label(fiscal_year)}）"
    if nodes.empty or nodes["budget"].fillna(0).sum() == 0:
        return charts.empty_figure("この年度の予算額がありません", title=title)
    programs = (nodes["level"] == "program").cumsum()
    colours = [
        BRANCH_COLOURS.get(level) or charts.PALETTE[(n - 1) % len(charts.PALETTE)]
        for level, n in zip(nodes["level"], programs, strict=True)
    ]
    fig = go.Figure(
        go.Treemap(
            ids=nodes["id"],
            parents=nodes["parent"],
            labels=nodes["label"],
            values=nodes["budget"].astype("Float64"),
            branchvalues="total",
            marker={"colors": colours},
            customdata=charts.hover_amounts(nodes["budget"]),
            texttemplate="%{label}<br>%{customdata} 千円",
            hovertemplate="%{label}<br>予算額 %{customdata} 千円<extra></extra>",
        )
    )
    fig = charts.styled(fig, title=title, height=520)
    # a treemap has no plot for a paper-anchored title to stand on: the title hangs from the top of the figure
    return fig.update_layout(
        title={"automargin": False, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10}},
        margin={"l": 10, "r": 10, "t": 50},
    )


def classification_bars(counts: pd.DataFrame, *, fiscal_year: int) -> go.Figure:
    title = "事務事業の分類の分布"
    if counts[["current", "next"]].to_numpy().sum() == 0:
        return charts.empty_figure("分類が登録されていません", title=title)
    fig = go.Figure()
    for column, label, colour in (
        ("current", charts.era_label(fiscal_year), charts.SETTLEMENT),
        ("next", charts.era_label(fiscal_year + 1), charts.BUDGET),
    ):
        fig.add_bar(
            name=label,
            x=counts["classification"],
            y=counts[column],
            marker_color=colour,
            hovertemplate=f"{label}<br>%{{x}}: %{{y}} 事業<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(dtick=1, tickformat="d")
    charts.headroom(fig, counts["current"], counts["next"])
    return charts.styled(fig, title=title, y_title="事業数", height=340)
