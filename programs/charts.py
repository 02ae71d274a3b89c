"""Plotly figures of sheet-level summaries: the policy roll-up and the classification distribution."""

import pandas as pd
import plotly.graph_objects as go

from evalsheets.lib import charts

BRANCH_COLOURS = {"field": "#d6dde5", "policy": "#c3cfdb", "measure": "#afc1d2"}


def rollup_treemap(nodes: pd.DataFrame, *, fiscal_year: int) -> go.Figure:
    """分野 → 政策 → 施策 as nested rectangles sized by budget (a branch is the sum of its children); the deepest
    level's rectangles (the leaves) in the palette's colours, the branches in greys."""
    title = f"行政評価事業体系別の予算額（{charts.era_label(fiscal_year)}）"
    if nodes.empty or nodes["budget"].fillna(0).sum() == 0:
        return charts.empty_figure("この年度の予算額がありません", title=title)
    leaf = "program" if (nodes["level"] == "program").any() else "measure"
    leaves = (nodes["level"] == leaf).cumsum()
    colours = [
        charts.PALETTE[(n - 1) % len(charts.PALETTE)] if level == leaf else BRANCH_COLOURS[level]
        for level, n in zip(nodes["level"], leaves, strict=True)
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
    return fig.update_layout(margin={"l": 10, "r": 10})


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
    charts.count_axis(fig)  # 事業数: whole numbers (a fixed step of 1 drew hundreds of ticks for a large municipality)
    charts.headroom(fig, counts["current"], counts["next"])
    return charts.styled(fig, title=title, y_title="事業数", height=340)


# --- the same kind of program across municipalities (frames of programs.analytics) ---------------------------------


def _by_program(frame: pd.DataFrame):
    """(colour index, "団体 コード", "団体 コード 事務事業名", rows) per program, by municipality then code."""
    for i, (_key, rows) in enumerate(frame.groupby(["municipality_code", "program_code"], sort=True)):
        first = rows.iloc[0]
        short = f"{first['municipality']} {first['program_code']}"
        yield i, short, f"{short} {rows['name'].iloc[-1]}", rows.sort_values("fiscal_year")


def _year_categories(fig: go.Figure, years) -> None:
    """One era-year axis in fiscal-year order, whichever program's years come first."""
    labels = [charts.era_label(year) for year in sorted({int(y) for y in years})]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)


def _estimate_markers(rows: pd.DataFrame, symbol: str) -> dict:
    """Hollow markers for 見込み years (the table says 見込み too)."""
    return {"size": 9, "symbol": [f"{symbol}-open" if e else symbol for e in rows["is_estimate"].astype(bool)]}


def _yen_text(value, unit: str) -> str:
    return "—" if pd.isna(value) else f"{charts.hover_amounts([round(value)])[0]} {unit}"


def _cost_lines(frame: pd.DataFrame, columns: list[tuple[str, str, str]], *, unit: str, title: str, y_title: str, empty: str):
    """One line per program and column (solid: 事業費, dashed: 総事業費); 見込み years hollow."""
    if frame.empty or frame[[c for c, _label, _dash in columns]].isna().all().all():
        return charts.empty_figure(empty, title=title)
    fig = go.Figure()
    for i, short, name, rows in _by_program(frame):
        colour, symbol = charts.PALETTE[i % len(charts.PALETTE)], charts.SYMBOLS[i % len(charts.SYMBOLS)]
        for column, label, dash in columns:
            if rows[column].isna().all():
                continue
            fig.add_scatter(
                name=f"{short} {label}",
                x=[charts.era_label(y) for y in rows["fiscal_year"]],
                y=rows[column].astype("Float64"),
                mode="lines+markers",
                line={"color": colour, "dash": dash},
                marker=_estimate_markers(rows, symbol),
                customdata=[
                    f"{_yen_text(v, unit)}{'（見込み）' if e else ''}"
                    for v, e in zip(rows[column], rows["is_estimate"].astype(bool), strict=True)
                ],
                hovertemplate=f"{name}<br>%{{x}}<br>{label} %{{customdata}}<extra></extra>",
            )
    _year_categories(fig, frame["fiscal_year"])
    return charts.styled(fig, title=title, y_title=y_title, height=440)


def municipality_costs(costs: pd.DataFrame, *, cost: str) -> go.Figure:
    """事業費 (solid) and 総事業費 = 事業費 + 人件費 (dashed) per program over the years, 千円."""
    return _cost_lines(
        costs,
        [("project_cost", "事業費", "solid"), ("total_cost", "総事業費", "dash")],
        unit="千円",
        title=f"事業費（{cost}）と総事業費（＋人件費）の推移",
        y_title="千円",
        empty="この種別の事業の金額がありません",
    )


def municipality_per_person(costs: pd.DataFrame) -> go.Figure:
    """事業費 and 総事業費 per person (円), where the municipality's population of the year is registered."""
    return _cost_lines(
        costs,
        [("project_cost_per_person_yen", "事業費／人", "solid"), ("total_cost_per_person_yen", "総事業費／人", "dash")],
        unit="円／人",
        title="住民1人当たりの事業費・総事業費（円）",
        y_title="円／人",
        empty="人口が登録された団体の金額がありません（人口は管理画面の「団体」で登録します）",
    )


def municipality_per_unit(per_unit: pd.DataFrame) -> go.Figure:
    """事業費 per unit of each program's first activity indicator (円 per its unit)."""
    title = "活動指標1単位当たりの事業費（円）"
    rows_with = per_unit[per_unit["project_cost_per_unit_yen"].notna()] if not per_unit.empty else per_unit
    if rows_with.empty:
        return charts.empty_figure("活動指標の実績がある事業がありません", title=title)
    fig = go.Figure()
    for i, short, name, rows in _by_program(rows_with):
        indicator, unit = rows["indicator"].iloc[0], rows["unit"].iloc[0] or "単位"
        fig.add_scatter(
            name=f"{short}（円／{unit}）",
            x=[charts.era_label(y) for y in rows["fiscal_year"]],
            y=rows["project_cost_per_unit_yen"].astype("Float64"),
            mode="lines+markers",
            line={"color": charts.PALETTE[i % len(charts.PALETTE)]},
            marker=_estimate_markers(rows, charts.SYMBOLS[i % len(charts.SYMBOLS)]),
            customdata=[
                f"{_yen_text(v, f'円／{unit}')}{'（見込み）' if e else ''}"
                for v, e in zip(rows["project_cost_per_unit_yen"], rows["is_estimate"].astype(bool), strict=True)
            ],
            hovertemplate=f"{name}<br>{indicator}<br>%{{x}}<br>%{{customdata}}<extra></extra>",
        )
    _year_categories(fig, rows_with["fiscal_year"])
    return charts.styled(fig, title=title, y_title="円／単位", height=420)


def municipality_achievements(achievements: pd.DataFrame) -> go.Figure:
    """The latest achievement (%) of every 成果指標 with a target, one horizontal bar each (read on a phone too),
    grouped by program; 100% = on target."""
    title = "成果指標の達成度（指標ごとの最新年度）"
    judged = achievements[achievements["achievement"].notna()] if not achievements.empty else achievements
    if judged.empty:
        return charts.empty_figure("目標値のある成果指標がありません", title=title)
    fig = go.Figure()
    labels = []
    for i, short, _name, rows in _by_program(judged):
        marks = [label.split(" ", 1)[0].removeprefix("成果指標") for label in rows["indicator_label"]]
        y = [f"{short} {mark}" for mark in marks]
        labels += y
        fig.add_bar(
            name=short,
            orientation="h",
            y=y,
            x=rows["achievement"].astype("Float64"),
            marker_color=charts.PALETTE[i % len(charts.PALETTE)],
            customdata=[
                f"{label}<br>{charts.era_label(year, estimate=bool(e))} 達成度 {a:.1f}%"
                for label, year, e, a in zip(
                    rows["indicator_label"], rows["fiscal_year"], rows["is_estimate"], rows["achievement"], strict=True
                )
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    fig.add_vline(x=100, line_dash="dash", line_color=charts.TARGET)
    largest = float(judged["achievement"].max())
    fig.update_xaxes(
        ticksuffix="%", tickformat=None, range=[0, max(110.0, largest * 1.05)], title={"text": "達成度（%・破線＝目標100%）"}
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1], tickformat=None)
    fig.update_layout(showlegend=False)
    return charts.styled(fig, title=title, height=max(300, 180 + 28 * len(labels)))
