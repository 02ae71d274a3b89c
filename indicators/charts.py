"""Plotly figures of indicators of each kind (against target) and 実績の推移 (one small chart per item)."""

import pandas as pd
import plotly.graph_objects as go

from evalsheets.lib import charts
from evalsheets.lib.formatting import percent, printed_number
from indicators.choices import IndicatorKind


def _year_axis(fig: go.Figure, years: list[int], **selector) -> None:
    fig.update_xaxes(
        tickmode="array",
        tickvals=years,
        ticktext=[charts.era_label(y) for y in years],
        range=[min(years) - 0.5, max(years) + 0.5],
        **selector,
    )


def _hover_texts(values: pd.DataFrame, unit: str) -> list[str]:
    """令和3年度: 3.5 点（見込み） — the exact printed figure for hover text."""
    return [
        f"{charts.era_label(y)}: {printed_number(v, d)}" + (f" {unit}" if unit else "") + ("（見込み）" if e else "")
        for y, v, d, e in zip(values["fiscal_year"], values["value"], values["decimals"], values["is_estimate"], strict=True)
    ]


def _counts(values: pd.DataFrame) -> bool:
    """Every figure printed without decimals (件, 回, 人 …): the value axis ticks whole numbers."""
    return bool((values["decimals"].fillna(0) == 0).all())


def indicator_chart_id(indicator: dict, *, prefix: str) -> str:
    """The chart's element id: prefix-1 for 成果指標 ① (as before kinds existed), prefix-activity-1 for 活動指標 ①."""
    kind = indicator.get("kind", IndicatorKind.OUTCOME)
    return f"{prefix}-{indicator['number']}" if kind == IndicatorKind.OUTCOME else f"{prefix}-{kind}-{indicator['number']}"


def indicator_title(indicator: dict) -> str:
    """① 名前 for a 成果指標 (as on 荒川区's form); 活動指標① 名前 for the other kinds."""
    kind = indicator.get("kind", IndicatorKind.OUTCOME)
    prefix = "" if kind == IndicatorKind.OUTCOME else IndicatorKind(kind).label
    return f"{prefix}{indicator['mark']} {indicator['name']}"


def indicator_trend(indicator: dict, values: pd.DataFrame) -> go.Figure:
    """One indicator's values over the years (estimates hollow) against its target at the target year."""
    title = indicator_title(indicator)
    if indicator.get("achievement") is not None:
        title += f"<br><sub>達成度 {percent(indicator['achievement'])}</sub>"  # own line: long names fit narrow charts
    if values.empty:
        return charts.empty_figure("この指標の値がありません", title=title)
    unit = indicator["unit"]
    texts = _hover_texts(values, unit)
    fig = go.Figure()
    fig.add_scatter(
        name="実績（白抜きは見込み）",
        x=values["fiscal_year"],
        y=values["value"],
        mode="lines+markers",
        line={"color": charts.SETTLEMENT},
        marker={"size": 10, "symbol": ["circle-open" if e else "circle" for e in values["is_estimate"]]},
        customdata=texts,
        hovertemplate="%{customdata}<extra></extra>",
    )
    years = [int(y) for y in values["fiscal_year"]]
    target_year = indicator.get("target_fiscal_year")
    target_year = None if target_year is None or pd.isna(target_year) else int(target_year)  # a target may have no year
    if indicator.get("target") is not None and not pd.isna(indicator["target"]) and target_year:
        target_text = printed_number(indicator["target"], indicator["target_decimals"]) + (f" {unit}" if unit else "")
        fig.add_scatter(
            name=f"目標値（{charts.era_label(target_year)}）",
            x=[years[-1], target_year],
            y=[values["value"].iloc[-1], indicator["target"]],
            mode="lines+markers",
            line={"color": charts.TARGET, "dash": "dot"},
            marker={"symbol": ["circle", "star"], "size": [1, 16]},
            customdata=["", f"目標 {target_text}"],
            hovertemplate="%{customdata}<extra></extra>",
        )
        years.append(int(target_year))
    _year_axis(fig, sorted(set(years)))
    fig.update_yaxes(rangemode="normal" if values["value"].min() < 0 else "tozero")
    target_decimals = indicator.get("target_decimals")
    if _counts(values) and (target_decimals is None or pd.isna(target_decimals) or target_decimals == 0):
        charts.count_axis(fig)
    return charts.styled(fig, title=title, y_title=unit or "値", height=300)


def activity_trend(row: dict, values: pd.DataFrame, *, colour_index: int = 0) -> go.Figure:
    """実績の推移 of one item in its own unit (a sub-item named with its parent); one small chart per item, laid out
    by the page's chart grid (two columns on a screen, one on a phone)."""
    name = f"{row['parent']} ＞ {row['name']}" if row["parent"] else row["name"]
    unit = row["unit"]
    if values.empty:
        return charts.empty_figure("実績のデータがありません", title=name)
    fig = go.Figure()
    fig.add_scatter(
        name=name,
        x=values["fiscal_year"],
        y=values["value"],
        mode="lines+markers",
        showlegend=False,
        marker={"symbol": ["circle-open" if e else "circle" for e in values["is_estimate"]], "size": 9},
        line={"color": charts.PALETTE[colour_index % len(charts.PALETTE)]},
        customdata=_hover_texts(values, unit),
        hovertemplate=f"{name}<br>%{{customdata}}<extra></extra>",
    )
    _year_axis(fig, sorted(int(y) for y in values["fiscal_year"]))
    fig.update_yaxes(rangemode="tozero", separatethousands=True)
    if _counts(values):
        charts.count_axis(fig)
    return charts.styled(fig, title=name, y_title=unit or "値", height=280)


def activity_trends(rows: list[dict], values: pd.DataFrame) -> list[go.Figure]:
    """One 実績の推移 chart per item, in the order of the sheet."""
    return [activity_trend(row, values[values["owner_id"] == row["id"]], colour_index=i) for i, row in enumerate(rows)]


def programs_achievement(by_program: pd.DataFrame) -> go.Figure:
    """Average indicator achievement (%) per program over the years; 100% = on target."""
    title = "成果指標の達成度（事務事業ごとの平均、目標＝100%）"
    if by_program.empty:
        return charts.empty_figure("目標値のある成果指標がありません", title=title)
    fig = go.Figure()
    for code, rows in by_program.groupby("code", sort=True):
        name = f"{code} {rows['program'].iloc[0]}"
        fig.add_scatter(
            name=name,
            x=[charts.era_label(y) for y in rows["fiscal_year"]],
            y=rows["achievement"].astype("Float64"),
            mode="lines+markers",
            customdata=[f"{percent(a)}（指標{n}件の平均）" for a, n in zip(rows["achievement"], rows["indicators"], strict=True)],
            hovertemplate=f"{name}<br>%{{x}}<br>達成度 %{{customdata}}<extra></extra>",
        )
    fig.add_hline(y=100, line_dash="dash", line_color=charts.TARGET, annotation_text="目標", annotation_position="bottom right")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero", tickformat=None)
    return charts.styled(fig, title=title, y_title="達成度（%）", height=420)
