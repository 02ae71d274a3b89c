"""Plotly figures of the finance parts of a sheet, built from the frames of finance/analytics.py."""

import pandas as pd
import plotly.graph_objects as go

from evalsheets.lib import charts
from evalsheets.lib.formatting import amount, percent
from evalsheets.lib.rates import RATE_LEVELS, rate_level
from evalsheets.lib.wareki import short_fiscal_year_label
from finance.analytics import MEASURE_LABELS
from finance.choices import AmountBasis, BreakdownKind, CostAccount, CostSection, CostTotal, FundingSource, accounts_of


def budget_trend(budget: pd.DataFrame) -> go.Figure:
    """予算額 vs 決算額 (bars) with 執行率 (line, right axis); estimate years hatched and labelled 見込み."""
    title = "予算額・決算額と執行率の推移"
    if budget.empty:
        return charts.empty_figure("予算・決算額のデータがありません", title=title)
    x = [charts.era_label(y, estimate=e) for y, e in zip(budget["fiscal_year"], budget["settlement_is_estimate"], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        name="予算額",
        x=x,
        y=budget["budget"].astype("Float64"),
        marker_color=charts.BUDGET,
        customdata=charts.hover_amounts(budget["budget"]),
        hovertemplate="%{x}<br>予算額 %{customdata} 千円<extra></extra>",
    )
    estimates = budget["settlement_is_estimate"].astype(bool).tolist()
    fig.add_bar(
        name="決算額（明るい斜線の棒は見込み）",
        x=x,
        y=budget["settlement"].astype("Float64"),
        marker=charts.settlement_markers(estimates),
        customdata=[
            f"{a}{'（見込み）' if e else ''}" for a, e in zip(charts.hover_amounts(budget["settlement"]), estimates, strict=True)
        ],
        hovertemplate="%{x}<br>決算額 %{customdata} 千円<extra></extra>",
    )
    fig.add_scatter(
        name="執行率",
        x=x,
        y=budget["execution_rate"].astype("Float64"),
        yaxis="y2",
        mode="lines+markers",
        line={"color": charts.RATE},
        customdata=[percent(v) for v in budget["execution_rate"]],
        hovertemplate="%{x}<br>執行率 %{customdata}<extra></extra>",
    )
    fig.update_layout(
        barmode="group",
        yaxis2=charts.rate_axis("執行率（%）"),
        margin={"r": 70},
    )
    charts.headroom(fig, budget["budget"].astype("Float64").dropna(), budget["settlement"].astype("Float64").dropna())
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
            name=expense_class,
            x=x,
            y=amounts.astype("Float64"),
            customdata=charts.hover_amounts(amounts.fillna(0)),
            hovertemplate=f"%{{x}}<br>{expense_class} %{{customdata}} 千円<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    return charts.styled(fig, title=title, y_title="千円")


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
        for i, (_account, row) in enumerate(shown.iterrows()):
            values = [int(row[y]) for y in years]
            fig.add_bar(
                marker_color=shades[i % len(shades)],
                name=f"{category}：{row['label']}",
                x=[year_labels, [category] * len(years)],
                y=values,
                customdata=charts.hover_amounts(values),
                legendgroup=category,
                hovertemplate=f"%{{x}}<br>{row['label']} %{{customdata}} 千円<extra></extra>",
            )
    balance = [int(totals.at[CostTotal.ADMINISTRATIVE_BALANCE, y]) for y in years]
    fig.add_bar(
        name="行政収支差額",
        x=[year_labels, ["収支差額"] * len(years)],
        y=balance,
        marker_color="#5d6d7e",
        customdata=charts.hover_amounts(balance),
        hovertemplate="%{x}<br>行政収支差額 %{customdata} 千円<extra></extra>",
    )
    fig.update_layout(barmode="relative")
    return charts.styled(fig, title=title, y_title="千円", height=440)


FUNDING_COLOURS = dict(zip(FundingSource.values, charts.PALETTE, strict=False))


def _money_x(columns: list[dict]) -> list[str]:
    """令和2年度（決算）, 令和6年度（見込み）…: the year and the basis of each column."""
    return [f"{charts.era_label(c['fiscal_year'])}（{c['basis_label']}）" for c in columns]


def funding_composition(columns: list[dict], *, labels: dict[str, str]) -> go.Figure:
    """財源内訳 over the years: one stacked bar per (year, basis), one colour per source (labels as the municipality
    prints them: finance.choices.funding_source_labels); a 見込み column is hatched."""
    title = "財源内訳の推移"
    shown = [c for c in columns if c["funding_total"] is not None]
    if not shown:
        return charts.empty_figure("財源内訳のデータがありません", title=title)
    x = _money_x(shown)
    estimates = ["/" if c["basis"] == AmountBasis.ESTIMATE else "" for c in shown]
    fig = go.Figure()
    for source in FundingSource.values:
        amounts = [c["sources"][source] for c in shown]
        if all(a is None for a in amounts):
            continue
        fig.add_bar(
            name=labels[source],
            x=x,
            y=[None if a is None else float(a) for a in amounts],
            marker={"color": FUNDING_COLOURS[source], "pattern": {"shape": estimates, "fgcolor": "#ffffff", "solidity": 0.3}},
            customdata=charts.hover_amounts(amounts),
            hovertemplate=f"%{{x}}<br>{labels[source]} %{{customdata}} 千円<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    return charts.styled(fig, title=title, y_title="千円")


def cost_with_personnel(columns: list[dict]) -> go.Figure:
    """事業費 and 人件費 stacked per (year, basis): the bar's height is the 総事業費 where both are reported."""
    title = "事業費と人件費（総事業費）の推移"
    shown = [c for c in columns if c["project_cost"] is not None or c["personnel"] is not None]
    if not shown:
        return charts.empty_figure("事業費・人件費のデータがありません", title=title)
    x = _money_x(shown)
    totals = [charts.hover_amounts([c["total_cost"]])[0] for c in shown]
    fig = go.Figure()
    for key, name, colour in (("project_cost", "事業費", charts.SETTLEMENT), ("personnel", "人件費", charts.TARGET)):
        amounts = [c[key] for c in shown]
        fig.add_bar(
            name=name,
            x=x,
            y=[None if a is None else float(a) for a in amounts],
            marker_color=colour,
            customdata=list(zip(charts.hover_amounts(amounts), totals, strict=True)),
            hovertemplate=f"%{{x}}<br>{name} %{{customdata[0]}} 千円<br>総事業費 %{{customdata[1]}} 千円<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    return charts.styled(fig, title=title, y_title="千円")


# --- across programs ----------------------------------------------------------------------


def _programs(frame: pd.DataFrame):
    """(code, label, rows) per program in code order, with a stable colour index."""
    for i, (code, rows) in enumerate(frame.groupby("code", sort=True)):
        yield i, code, f"{code} {rows['name'].iloc[0]}", rows


def programs_budget(trend: pd.DataFrame, *, measure: str) -> go.Figure:
    """予算額 or 決算額 per program per year (grouped bars) with each program's 執行率 (dotted line, right axis)."""
    label = MEASURE_LABELS[measure]
    title = f"事務事業別の{label}と執行率"
    if trend.empty:
        return charts.empty_figure("選択した範囲にデータがありません", title=title)
    fig = go.Figure()
    for i, _code, name, rows in _programs(trend):
        colour = charts.PALETTE[i % len(charts.PALETTE)]
        x = [charts.era_label(y) for y in rows["fiscal_year"]]
        code = name.split(" ", 1)[0]  # the legend names programs by code (a phone's width); hover names them in full
        fig.add_bar(
            name=code,
            x=x,
            y=rows[measure].astype("Float64"),
            marker_color=colour,
            legendgroup=name,
            customdata=charts.hover_amounts(rows[measure]),
            hovertemplate=f"{name}<br>%{{x}}<br>{label} %{{customdata}} 千円<extra></extra>",
        )
        fig.add_scatter(
            name=f"{code} 執行率",
            x=x,
            y=rows["execution_rate"].astype("Float64"),
            yaxis="y2",
            mode="lines+markers",
            line={"color": colour, "dash": "dot"},
            legendgroup=name,
            customdata=[percent(v) for v in rows["execution_rate"]],
            hovertemplate=f"{name}<br>%{{x}}<br>執行率 %{{customdata}}<extra></extra>",
        )
    fig.update_layout(
        barmode="group",
        yaxis2=charts.rate_axis("執行率（%・点線）"),
    )
    return charts.styled(fig, title=title, y_title="千円", height=460)


def _percent_with_amount(rates, amounts) -> list[str]:
    """Hover text "54.4%（468,771 千円）"."""
    return [f"{percent(r)}（{a} 千円）" for r, a in zip(rates, charts.hover_amounts(amounts), strict=True)]


def programs_share(share: pd.DataFrame, *, measure: str) -> go.Figure:
    """Each program's share of the selected programs' total over the years (stacked area, %)."""
    label = MEASURE_LABELS[measure]
    title = f"{label}の構成比（選択した事務事業の合計＝100%）"
    if share.empty:
        return charts.empty_figure("選択した範囲にデータがありません", title=title)
    fig = go.Figure()
    for _i, _code, name, rows in _programs(share):
        fig.add_scatter(
            name=name,
            x=[charts.era_label(y) for y in rows["fiscal_year"]],
            y=rows["share"].astype("Float64"),
            mode="lines",
            stackgroup="share",
            customdata=_percent_with_amount(rows["share"], rows[measure]),
            hovertemplate=f"{name}<br>%{{x}}<br>%{{customdata}}<extra></extra>",
        )
    fig.update_yaxes(range=[0, 100], ticksuffix="%", tickformat=None)
    return charts.styled(fig, title=title, y_title="構成比（%）", height=420)


def programs_year_on_year(change: pd.DataFrame, *, measure: str) -> go.Figure:
    """Change of 予算額/決算額 against the previous year, % per program (grouped bars)."""
    label = MEASURE_LABELS[measure]
    title = f"{label}の対前年度増減率"
    if change.empty:
        return charts.empty_figure("比較できる前年度がありません（2年度以上を選んでください）", title=title)
    fig = go.Figure()
    for _i, _code, name, rows in _programs(change):
        fig.add_bar(
            name=name,
            x=[charts.era_label(y) for y in rows["fiscal_year"]],
            y=rows["change_rate"].astype("Float64"),
            customdata=_percent_with_amount(rows["change_rate"], rows["change"]),
            hovertemplate=f"{name}<br>%{{x}}<br>対前年度 %{{customdata}}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(ticksuffix="%", rangemode="normal", tickformat=None)
    return charts.styled(fig, title=title, y_title="増減率（%）", height=420)


def programs_cost(cost: pd.DataFrame) -> go.Figure:
    """行政コスト計算書 per program: 行政費用 stacked by account, and 行政収支差額 as a marker."""
    title = "事務事業別の行政費用の構成と行政収支差額"
    if cost.empty:
        return charts.empty_figure("行政コスト計算書のデータがありません", title=title)
    # short heads (code and the form's year head) keep a phone's width; the hover names the program in full
    x = [f"{code}<br>{short_fiscal_year_label(year)}" for code, year in zip(cost["code"], cost["fiscal_year"], strict=True)]
    full = [
        f"{code} {name}（{charts.era_label(year)}）"
        for code, name, year in zip(cost["code"], cost["name"], cost["fiscal_year"], strict=True)
    ]
    fig = go.Figure()
    accounts = [a for a in accounts_of(CostSection.EXPENSE) if a in cost.columns]
    for i, account in enumerate(a for a in accounts if (cost[a] != 0).any()):
        label = CostAccount(account).label
        fig.add_bar(
            name=label,
            x=x,
            y=cost[account],
            marker_color=charts.EXPENSE_SHADES[i % len(charts.EXPENSE_SHADES)],
            customdata=[f"{n}<br>{label} {a}" for n, a in zip(full, charts.hover_amounts(cost[account]), strict=True)],
            hovertemplate="%{customdata} 千円<extra></extra>",
        )
    fig.add_scatter(
        name="行政収支差額",
        x=x,
        y=cost["administrative_balance"],
        mode="markers",
        marker={"symbol": "diamond", "size": 12, "color": "#34495e"},
        customdata=[
            f"{n}<br>行政収支差額 {a}" for n, a in zip(full, charts.hover_amounts(cost["administrative_balance"]), strict=True)
        ],
        hovertemplate="%{customdata} 千円<extra></extra>",
    )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(rangemode="normal")
    return charts.styled(fig, title=title, y_title="千円", height=460)


def programs_unit_cost(unit_cost: pd.DataFrame) -> go.Figure:
    """決算額 ÷ 実績件数 (円) per program over the years."""
    title = "単位当たりコスト（決算額 ÷ 実績）"
    if unit_cost.empty:
        return charts.empty_figure("件数型の実績がある事務事業がありません", title=title)
    fig = go.Figure()
    for _i, _code, name, rows in _programs(unit_cost):
        item, unit = rows["item"].iloc[0], rows["unit"].iloc[0]
        fig.add_scatter(
            name=f"{name}（{item}）",
            x=[charts.era_label(y) for y in rows["fiscal_year"]],
            y=rows["unit_cost"].astype("Float64"),
            mode="lines+markers",
            customdata=[f"{amount(v)} 円／{unit or '件'}" for v in rows["unit_cost"]],
            hovertemplate=f"{name}<br>%{{x}}<br>%{{customdata}}<extra></extra>",
        )
    return charts.styled(fig, title=title, y_title="円", height=420)


def program_budget_panel(code: str, label: str, frame: pd.DataFrame) -> go.Figure:
    """One program's small 予算額 (line) / 決算額 (bars, 見込み hatched) chart, on its own amount axis; panels are
    laid side by side by the page's grid (three on a screen, one on a phone), their key stated once in the caption."""
    x = [short_fiscal_year_label(y) for y in frame["fiscal_year"]]  # the form's year heads: 27年度 … 3年度
    eras = [charts.era_label(y) for y in frame["fiscal_year"]]
    estimates = frame["settlement_is_estimate"].astype(bool).tolist()
    fig = go.Figure()
    fig.add_bar(
        name="決算額",
        x=x,
        y=frame["settlement"].astype("Float64"),
        marker=charts.settlement_markers(estimates),
        customdata=[
            f"{era}<br>{'決算見込み' if e else '決算額'} {a}"
            for era, a, e in zip(eras, charts.hover_amounts(frame["settlement"]), estimates, strict=True)
        ],
        hovertemplate=f"{label}<br>%{{customdata}} 千円<extra></extra>",
    )
    fig.add_scatter(
        name="予算額",
        x=x,
        y=frame["budget"].astype("Float64"),
        mode="lines+markers",
        line={"color": charts.RATE},
        customdata=[f"{e}<br>予算額 {a}" for e, a in zip(eras, charts.hover_amounts(frame["budget"]), strict=True)],
        hovertemplate=f"{label}<br>%{{customdata}} 千円<extra></extra>",
    )
    fig.update_layout(showlegend=False, margin={"l": 60, "r": 10, "b": 40})
    fig.update_xaxes(tickfont={"size": 11}, type="category")
    charts.headroom(fig, frame["settlement"], frame["budget"])
    return charts.styled(fig, title=label, y_title="千円", height=250)


def programs_small_multiples(trend: pd.DataFrame) -> list[go.Figure]:
    """One small 予算額/決算額 chart per program, in code order."""
    if trend.empty:
        return [charts.empty_figure("予算・決算額のデータがありません", title="事務事業ごとの予算額と決算額")]
    return [program_budget_panel(code, label, frame) for _i, code, label, frame in _programs(trend)]


def programs_rate_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """執行率 by program (rows) and year (columns); a 見込み year is marked, never coloured as a settlement."""
    title = "執行率（確定した決算）"
    if matrix.empty:
        return charts.empty_figure("選択した範囲にデータがありません", title=title)
    years = sorted(int(y) for y in matrix["fiscal_year"].unique())
    programs = list(dict.fromkeys(f"{c} {n}" for c, n in zip(matrix["code"], matrix["name"], strict=True)))
    cells = matrix.assign(label=matrix["code"] + " " + matrix["name"]).set_index(["label", "fiscal_year"])
    z, text = [], []
    for program in programs:
        z_row, text_row = [], []
        for year in years:
            row = cells.loc[(program, year)] if (program, year) in cells.index else None
            rate = None if row is None or pd.isna(row["execution_rate"]) else float(row["execution_rate"])
            z_row.append(rate)
            if row is not None and bool(row["is_estimate"]):
                text_row.append("見込み")
            else:
                mark = RATE_LEVELS[rate_level(rate)][0] if rate_level(rate) else ""
                text_row.append("—" if rate is None else f"{mark}{percent(rate)}")
        z.append(z_row)
        text.append(text_row)
    # short heads (27年度, 元年度 as the form's columns) and codes keep a phone's width; hover names them in full
    hover = [[f"{program}<br>{charts.era_label(year)}" for year in years] for program in programs]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[short_fiscal_year_label(y) for y in years],
            y=[program.split(" ", 1)[0] for program in programs],
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            colorscale=charts.RATE_SCALE,
            zmin=70,
            zmax=100,
            colorbar={
                "title": {"text": "執行率"},
                "ticksuffix": "%",
                "orientation": "h",
                "y": -0.12,
                "yanchor": "top",
                "len": 0.8,
            },
            hovertemplate="%{customdata}<br>執行率 %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(type="category", autorange="reversed", tickformat="", rangemode="normal", automargin=True)
    fig.update_xaxes(type="category")
    fig.update_layout(margin={"l": 70, "r": 10, "t": 90, "b": 70})
    return charts.styled(fig, title=title, height=max(300, 150 + 42 * len(programs)))


def programs_index(indexed: pd.DataFrame, *, measure: str) -> go.Figure:
    """Each program's 予算額/決算額 as an index (its first year = 100), so growth compares whatever the size."""
    label = MEASURE_LABELS[measure]
    title = f"{label}の伸び（各事業の最初の年度＝100）"
    if indexed.empty:
        return charts.empty_figure("選択した範囲にデータがありません", title=title)
    fig = go.Figure()
    for i, _code, name, rows in _programs(indexed):
        fig.add_scatter(
            name=name,
            x=[charts.era_label(y) for y in rows["fiscal_year"]],
            y=rows["index"].astype("Float64"),
            mode="lines+markers",
            line={"color": charts.PALETTE[i % len(charts.PALETTE)]},
            marker={"symbol": charts.SYMBOLS[i % len(charts.SYMBOLS)], "size": 8},
            customdata=[f"{v:.1f}（{a} 千円）" for v, a in zip(rows["index"], charts.hover_amounts(rows["value"]), strict=True)],
            hovertemplate=f"{name}<br>%{{x}}<br>指数 %{{customdata}}<extra></extra>",
        )
    fig.add_hline(y=100, line={"color": "#888", "dash": "dot"})
    fig.update_yaxes(rangemode="normal", tickformat=None)
    return charts.styled(fig, title=title, y_title="指数（最初の年度＝100）", height=440)


def programs_unused_rank(ranking: pd.DataFrame) -> go.Figure:
    """不用額 of the latest settled year, one bar per program, largest on top."""
    if ranking.empty:
        return charts.empty_figure("確定した決算がありません", title="不用額の順位")
    year = int(ranking["fiscal_year"].iloc[0])
    title = f"不用額の順位（{charts.era_label(year)}・確定した決算）"
    labels = [f"{c} {n}" for c, n in zip(ranking["code"], ranking["name"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=ranking["unused"].astype("Float64"),
            y=labels,
            orientation="h",
            marker_color=charts.SETTLEMENT,
            customdata=[
                f"{a} 千円（執行率 {percent(r)}）"
                for a, r in zip(charts.hover_amounts(ranking["unused"]), ranking["execution_rate"], strict=True)
            ],
            text=charts.hover_amounts(ranking["unused"]),
            textposition="outside",
            hovertemplate="%{y}<br>不用額 %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", tickformat=None, rangemode="normal", automargin=True)
    fig.update_xaxes(tickformat=",~r", rangemode="tozero", title_text="千円")
    charts.headroom(fig, ranking["unused"].astype("Float64").dropna(), axis="x")
    return charts.styled(fig, title=title, height=max(260, 90 + 40 * len(labels)))
