"""Plotly figures of 成果指標 (against target) and 実績の推移 (small multiples)."""

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from evalsheets.lib import charts
from evalsheets.lib.formatting import percent, printed_number


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


def indicator_trend(indicator: dict, values: pd.DataFrame) -> go.Figure:
    """One indicator's values over the years (estimates hollow) against its target at the target year."""
    title = f"{indicator['mark']} {indicator['name']}"
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
    return charts.styled(fig, title=title, y_title=unit or "値", height=300)


def activity_small_multiples(rows: list[dict], values: pd.DataFrame) -> go.Figure:
    """実績の推移: one small chart per item, each with its own unit axis (sub-items named with their parent)."""
    title = "実績の推移"
    if not rows or values.empty:
        return charts.empty_figure("実績のデータがありません", title=title)
    cols = 1 if len(rows) == 1 else 2
    nrows = math.ceil(len(rows) / cols)
    names = [f"{r['parent']} ＞ {r['name']}" if r["parent"] else r["name"] for r in rows]
    fig = make_subplots(
        rows=nrows, cols=cols, subplot_titles=names, vertical_spacing=0.6 / max(nrows, 1), horizontal_spacing=0.16
    )
    for i, (row, name) in enumerate(zip(rows, names, strict=True)):
        own = values[values["owner_id"] == row["id"]]
        unit = row["unit"]
        texts = _hover_texts(own, unit)
        position = {"row": i // cols + 1, "col": i % cols + 1}
        fig.add_scatter(
            name=name,
            x=own["fiscal_year"],
            y=own["value"],
            mode="lines+markers",
            showlegend=False,
            marker={"symbol": ["circle-open" if e else "circle" for e in own["is_estimate"]], "size": 8},
            line={"color": charts.PALETTE[i % len(charts.PALETTE)]},
            customdata=texts,
            hovertemplate=f"{name}<br>%{{customdata}}<extra></extra>",
            **position,
        )
        fig.update_yaxes(title_text=unit, rangemode="tozero", separatethousands=True, **position)
        years = sorted(int(y) for y in own["fiscal_year"])
        if years:
            fig.update_xaxes(
                tickmode="array", tickvals=years[::2], ticktext=[charts.era_label(y) for y in years[::2]], **position
            )
    return charts.styled(fig, title=title + "（白抜きは見込み）", height=max(300, 260 * nrows))


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
