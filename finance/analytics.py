"""Pure pandas over finance frames (no ORM, no request): testable with hand-made frames."""

import pandas as pd

from evalsheets.lib.frames import SHEET_IDENTITY, newest_report
from evalsheets.lib.rates import change_rate_series, execution_rate_series
from finance.choices import (
    ACCOUNT_SECTION,
    BASIS_ORDER,
    AmountBasis,
    BreakdownKind,
    CostAccount,
    CostSection,
    CostTotal,
    FundingSource,
    accounts_of,
)
from finance.costs import cost_totals


def execution_rates(budget: pd.DataFrame) -> pd.DataFrame:
    """Adds the figures of each year that need a final settlement (evalsheets.lib.rates):

    - `settled`: 決算額 when it is final; NA for a 見込み (estimate) or a missing settlement;
    - `execution_rate`: settled ÷ 予算額 × 100 (NA when not settled or the budget is 0 or missing);
    - `estimated_execution_rate`: the same from a 見込み, for that year only (pages show it marked 見込み);
    - `unused`: 不用額 = 予算額 − settled (NA when not settled).
    """
    flagged = budget["settlement_is_estimate"] if "settlement_is_estimate" in budget else pd.Series(False, index=budget.index)
    estimate = flagged.astype(bool)
    settlement = budget["settlement"].astype("Int64")
    settled, estimated = settlement.where(~estimate), settlement.where(estimate)
    return budget.assign(
        settled=settled,
        execution_rate=execution_rate_series(budget=budget["budget"], settlement=settled),
        estimated_execution_rate=execution_rate_series(budget=budget["budget"], settlement=estimated),
        unused=(budget["budget"].astype("Int64") - settled).astype("Int64"),
    )


def year_changes(figures: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Adds, per group `by` (a sheet or a program), each year's change against the year before and the first year:

    `budget_change`/`budget_change_rate` (予算額 前年度比), `settled_change`/`settled_change_rate` (決算額 前年度比,
    final settlements only), `budget_since_first`/`budget_since_first_rate` against `first_year`, the group's first
    year shown. A change needs the previous fiscal year itself: after a gap there is none.
    """
    frame = figures.sort_values([by, "fiscal_year"]).copy()
    groups = frame.groupby(by)
    consecutive = groups["fiscal_year"].shift(1) == frame["fiscal_year"] - 1
    for column in ("budget", "settled"):
        values = frame[column].astype("Int64")
        previous = groups[column].shift(1).astype("Int64").where(consecutive)
        frame[f"{column}_change"] = (values - previous).astype("Int64")
        frame[f"{column}_change_rate"] = change_rate_series(values, previous)
    first = groups["budget"].transform("first").astype("Int64")
    frame["first_year"] = groups["fiscal_year"].transform("first")
    frame["budget_since_first"] = (frame["budget"].astype("Int64") - first).astype("Int64")
    frame["budget_since_first_rate"] = change_rate_series(frame["budget"], first)
    return frame.sort_index()


def breakdown_columns(breakdown: pd.DataFrame) -> list[dict]:
    """The 予算・決算の内訳 as printed: one column per (year, 決算/予算), lines in printed order, with a total."""
    columns = []
    for (year, kind), lines in breakdown.groupby(["fiscal_year", "kind"], sort=True):
        columns.append(
            {
                "fiscal_year": int(year),
                "kind": kind,
                "kind_label": BreakdownKind(kind).label,
                "lines": lines.sort_values("position")[["expense_class", "description", "amount"]].to_dict("records"),
                "total": int(lines["amount"].sum()),
            }
        )
    return columns


def breakdown_rows(columns: list[dict]) -> list[list[dict | None]]:
    """The columns side by side: row i holds line i of each column (None where a column is shorter)."""
    depth = max((len(c["lines"]) for c in columns), default=0)
    return [[c["lines"][i] if i < len(c["lines"]) else None for c in columns] for i in range(depth)]


def breakdown_by_class(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Amount per 節 per column (year, kind), 節 in order of first appearance; for stacked bars."""
    frame = breakdown.copy()
    frame["first_seen"] = (
        frame.groupby("expense_class")["position"].transform("min")
        + frame.groupby("expense_class")["fiscal_year"].transform("min") * 1000
    )
    grouped = frame.groupby(["fiscal_year", "kind", "expense_class"], as_index=False).agg(
        amount=("amount", "sum"), first_seen=("first_seen", "min")
    )
    return grouped.sort_values(["first_seen", "fiscal_year"]).drop(columns="first_seen").reset_index(drop=True)


def cost_statement(lines: pd.DataFrame, stated: pd.DataFrame | None = None) -> dict:
    """The 行政コスト計算書 of one sheet: accounts × years with 差額, computed totals, and mismatches.

    Returns {"years": [...], "accounts": DataFrame (index account, one column per year + "difference",
    plus "section"), "totals": DataFrame (index total item, same columns), "mismatches": [...]}.
    """
    if lines.empty:
        return {"years": [], "accounts": pd.DataFrame(), "totals": pd.DataFrame(), "mismatches": []}
    table = lines.pivot_table(index="account", columns="fiscal_year", values="amount", aggfunc="sum", fill_value=0)
    table = table.reindex([a.value for a in CostAccount], fill_value=0)
    years = [int(y) for y in table.columns]
    totals = pd.DataFrame({year: cost_totals(table[year].to_dict()) for year in years}).reindex([t.value for t in CostTotal])
    mismatches = []
    if stated is not None and not stated.empty:
        printed = stated.pivot_table(index="item", columns="fiscal_year", values="amount", aggfunc="sum")
        for year in years:
            for item, value in printed.get(year, pd.Series(dtype="float64")).dropna().items():
                if int(value) != int(totals.at[item, year]):
                    mismatches.append(
                        {
                            "fiscal_year": year,
                            "item": item,
                            "label": CostTotal(item).label,
                            "stated": int(value),
                            "computed": int(totals.at[item, year]),
                        }
                    )
    for frame in (table, totals):
        frame["difference"] = frame[years[-1]] - frame[years[0]] if len(years) > 1 else pd.NA
    table["section"] = [ACCOUNT_SECTION[a] for a in table.index]
    table["label"] = [CostAccount(a).label for a in table.index]
    return {"years": years, "accounts": table, "totals": totals, "mismatches": mismatches}


def cost_statement_rows(statement: dict) -> dict[str, list[dict]]:
    """Rows of the cost statement grouped as the form prints them: 行政費用 / 行政収入 / other lines."""
    if not statement["years"]:
        return {}
    years = statement["years"]

    def row(label, series):
        return {"label": label, "values": [int(series[y]) for y in years], "difference": _maybe_int(series["difference"])}

    accounts = statement["accounts"]
    totals = statement["totals"]
    by_section = {
        section: [
            row(accounts.at[account, "label"], accounts.loc[account])
            for account in accounts.index
            if accounts.at[account, "section"] == section
        ]
        for section in CostSection
    }
    return {
        "expense": by_section[CostSection.EXPENSE] + [row(CostTotal.EXPENSE.label, totals.loc[CostTotal.EXPENSE])],
        "revenue": by_section[CostSection.REVENUE] + [row(CostTotal.REVENUE.label, totals.loc[CostTotal.REVENUE])],
        "balances": [
            row(CostTotal.ADMINISTRATIVE_BALANCE.label, totals.loc[CostTotal.ADMINISTRATIVE_BALANCE]),
            row("金融収支差額 (d)", accounts.loc[CostAccount.FINANCIAL]),
            row(CostTotal.ORDINARY_BALANCE.label, totals.loc[CostTotal.ORDINARY_BALANCE]),
            row("特別費用 (g)", accounts.loc[CostAccount.SPECIAL_EXPENSE]),
            row("特別収入 (f)", accounts.loc[CostAccount.SPECIAL_REVENUE]),
            row(CostTotal.SPECIAL_BALANCE.label, totals.loc[CostTotal.SPECIAL_BALANCE]),
            row(CostTotal.NET_BALANCE.label, totals.loc[CostTotal.NET_BALANCE]),
        ],
    }


def _maybe_int(value):
    return None if pd.isna(value) else int(value)


# --- across programs and years -------------------------------------------------------------

MEASURE_LABELS = {"budget": "予算額", "settlement": "決算額"}


def budget_trend(budget: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """予算額・決算額 per program and year, each year from the newest sheet reporting it, with execution rates.

    `budget`: finance.selectors.budget_frame of the sheets; `sheets`: programs.selectors.sheet_frame.
    """
    return program_trend(newest_report(budget, sheets[SHEET_IDENTITY], keys=["code", "fiscal_year"]))


def program_trend(newest: pd.DataFrame) -> pd.DataFrame:
    """Newest-reported budget rows (evalsheets.lib.frames.newest_report) with the figures of execution_rates and
    year_changes, per program and year."""
    return _year_figures(newest, by="code").sort_values(["code", "fiscal_year"]).reset_index(drop=True)


def sheet_budget(budget: pd.DataFrame) -> pd.DataFrame:
    """One sheet's 予算・決算額等の推移 with the figures of execution_rates and year_changes."""
    return _year_figures(budget, by="sheet_id")


def _year_figures(budget: pd.DataFrame, *, by: str) -> pd.DataFrame:
    if budget.empty:
        return budget.assign(**{column: pd.Series(dtype="Float64") for column in YEAR_FIGURES})
    return year_changes(execution_rates(budget), by=by)


YEAR_FIGURES = [
    "settled",
    "execution_rate",
    "estimated_execution_rate",
    "unused",
    "budget_change",
    "budget_change_rate",
    "settled_change",
    "settled_change_rate",
    "first_year",
    "budget_since_first",
    "budget_since_first_rate",
]


def _measure_values(trend: pd.DataFrame, measure: str) -> pd.Series:
    """予算額, or 決算額 when final (a 見込み or a missing settlement is left out: NA)."""
    return trend["settled"] if measure == "settlement" else trend[measure]


def newest_cost_lines(lines: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """Cost-statement lines per program, year and account, each from the newest sheet reporting it."""
    return newest_report(lines, sheets[SHEET_IDENTITY], keys=["code", "fiscal_year", "account"])


def share_of_total(trend: pd.DataFrame, *, measure: str) -> pd.DataFrame:
    """Each program's share (%) of the selected programs' total of `measure` per year."""
    frame = trend[["code", "name", "fiscal_year"]].assign(**{measure: _measure_values(trend, measure)})
    totals = frame.groupby("fiscal_year")[measure].transform(lambda values: values.sum(min_count=1)).astype("Float64")
    frame["total"] = totals
    frame["share"] = (frame[measure].astype("Float64") * 100 / totals.where(totals != 0)).round(1)
    return frame


def year_on_year(trend: pd.DataFrame, *, measure: str) -> pd.DataFrame:
    """Change of `measure` against the previous year, in 千円 and %, per program."""
    frame = trend[["code", "name", "fiscal_year"]].assign(**{measure: _measure_values(trend, measure)})
    frame = frame.sort_values(["code", "fiscal_year"])
    values = frame[measure].astype("Float64")
    previous = values.groupby(frame["code"]).shift(1)
    frame["change"] = (values - previous).astype("Int64")
    frame["change_rate"] = change_rate_series(values, previous)
    return frame[frame["change"].notna()].reset_index(drop=True)


def cost_by_program(lines: pd.DataFrame) -> pd.DataFrame:
    """Per program: the latest statement year's amount by account, 行政費用合計, 行政収入合計 and 行政収支差額."""
    if lines.empty:
        return pd.DataFrame(columns=["code", "name", "fiscal_year"])
    latest = lines[lines["fiscal_year"] == lines.groupby("code")["fiscal_year"].transform("max")]
    table = latest.pivot_table(
        index=["code", "name", "fiscal_year"], columns="account", values="amount", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=[a.value for a in CostAccount], fill_value=0)
    expense = accounts_of(CostSection.EXPENSE)
    revenue = accounts_of(CostSection.REVENUE)
    table["expense_total"] = table[expense].sum(axis=1)
    table["revenue_total"] = table[revenue].sum(axis=1)
    table["administrative_balance"] = table["revenue_total"] - table["expense_total"]
    return table.reset_index()


def unit_cost(trend: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    """決算額 (千円 → 円, final settlements only) ÷ the program's first count-type 実績 item, per year.

    `activity` rows: code, item, unit, position, fiscal_year, value (newest-reported). Items in 千円 or %
    are not counts, nor are items that are zero in every year; a zero count gives no unit cost.
    """
    counts = activity[~activity["unit"].isin(["千円", "円", "%"])]
    counts = counts[counts.groupby(["code", "item"])["value"].transform("max") > 0]  # an all-zero item counts nothing
    if counts.empty or trend.empty:
        return pd.DataFrame(columns=["code", "name", "fiscal_year", "item", "unit", "settlement", "count", "unit_cost"])
    first_item = counts.sort_values(["code", "position"]).groupby("code")["item"].first()
    counts = counts[counts["item"] == counts["code"].map(first_item)]
    frame = (
        trend[["code", "name", "fiscal_year"]]
        .assign(settlement=trend["settled"])
        .dropna(subset=["settlement"])  # a 見込み or missing settlement has no unit cost
        .merge(counts[["code", "fiscal_year", "item", "unit", "value"]], on=["code", "fiscal_year"], how="inner")
        .rename(columns={"value": "count"})
    )
    count = frame["count"].astype("Float64")
    frame["unit_cost"] = (frame["settlement"].astype("Float64") * 1000 / count.where(count != 0)).round(0).astype("Int64")
    return frame.sort_values(["code", "fiscal_year"]).reset_index(drop=True)


def rate_matrix(trend: pd.DataFrame) -> pd.DataFrame:
    """執行率 per program (rows, code order) and year (columns) for a heatmap: `execution_rate` from final settlements,
    `is_estimate` where the year's settlement is a 見込み (no rate: the cell is marked instead)."""
    columns = ["code", "name", "fiscal_year", "execution_rate", "is_estimate"]
    if trend.empty:
        return pd.DataFrame(columns=columns)
    frame = trend.assign(is_estimate=trend["settlement_is_estimate"].astype(bool))
    return frame[columns].sort_values(["code", "fiscal_year"]).reset_index(drop=True)


def indexed(trend: pd.DataFrame, *, measure: str) -> pd.DataFrame:
    """`measure` per program as an index, the program's first year with a value = 100 (a small program's growth
    shows beside a large one's); 決算額 from final settlements only."""
    frame = trend[["code", "name", "fiscal_year"]].assign(value=_measure_values(trend, measure).astype("Float64"))
    frame = frame.sort_values(["code", "fiscal_year"])
    base = frame.groupby("code")["value"].transform("first")
    frame["base_year"] = frame["fiscal_year"].where(frame["value"].notna()).groupby(frame["code"]).transform("min")
    frame["index"] = (frame["value"] * 100 / base.where(base != 0)).round(1)
    return frame[frame["index"].notna()].reset_index(drop=True)


def unused_ranking(trend: pd.DataFrame) -> pd.DataFrame:
    """不用額 of each program in the latest year with a final settlement among them, largest first (with 執行率)."""
    columns = ["code", "name", "fiscal_year", "budget", "settled", "unused", "execution_rate"]
    settled = trend[trend["unused"].notna()]
    if settled.empty:
        return pd.DataFrame(columns=columns)
    rows = settled[settled["fiscal_year"] == settled["fiscal_year"].max()]
    return rows[columns].sort_values(["unused", "code"], ascending=[False, True]).reset_index(drop=True)


# --- 財源内訳, 人件費 and 総事業費 (トータルコスト) -----------------------------------------------------
# One home for their formulas: the sheet page, its charts and the data-quality finding read these.

MONEY_KEYS = ["sheet_id", "fiscal_year", "basis"]
SOURCES = FundingSource.values


def project_costs(budget: pd.DataFrame) -> pd.DataFrame:
    """事業費 of each year by basis, from 予算・決算額等の推移: sheet_id, fiscal_year, basis, project_cost.

    予算 → 予算額; 決算 → a final 決算額; 見込み → a 決算額 flagged 見込み (an estimate is never a settlement).
    A missing figure is NA, never 0.
    """
    estimate = budget["settlement_is_estimate"].astype(bool)
    settlement = budget["settlement"].astype("Int64")
    parts = [
        (AmountBasis.BUDGET, budget["budget"].astype("Int64")),
        (AmountBasis.SETTLEMENT, settlement.where(~estimate)),
        (AmountBasis.ESTIMATE, settlement.where(estimate)),
    ]
    frames = [
        pd.DataFrame(
            {"sheet_id": budget["sheet_id"], "fiscal_year": budget["fiscal_year"], "basis": basis.value, "project_cost": values}
        )
        for basis, values in parts
    ]
    costs = pd.concat(frames, ignore_index=True) if len(budget) else pd.DataFrame(columns=[*MONEY_KEYS, "project_cost"])
    return costs[costs["project_cost"].notna()].astype({"project_cost": "Int64"}).reset_index(drop=True)


def funding_totals(funding: pd.DataFrame) -> pd.DataFrame:
    """Adds `funding_total`: the sum of the reported sources (NA when none is reported; a missing source is not 0)."""
    return funding.assign(funding_total=funding[SOURCES].astype("Int64").sum(axis=1, min_count=1).astype("Int64"))


def funding_check(funding: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """The (year, basis) rows whose 財源 sum differs from the 事業費 of the same year and basis:
    sheet_id, fiscal_year, basis, funding_total, project_cost, difference. Rows missing either are not judged."""
    columns = [*MONEY_KEYS, "funding_total", "project_cost", "difference"]
    if funding.empty or budget.empty:
        return pd.DataFrame(columns=columns)
    merged = funding_totals(funding).merge(project_costs(budget), on=MONEY_KEYS, how="inner")
    merged = merged[merged["funding_total"].notna()]
    merged = merged.assign(difference=(merged["funding_total"] - merged["project_cost"]).astype("Int64"))
    return _in_basis_order(merged[merged["difference"] != 0])[columns]


def total_costs(personnel: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Adds to each 人件費 row `project_cost` (事業費 of the same year and basis) and `total_cost` = 事業費 + 人件費
    (総事業費 / トータルコスト); NA when either is missing."""
    costs = project_costs(budget) if not budget.empty else pd.DataFrame(columns=[*MONEY_KEYS, "project_cost"])
    merged = personnel.merge(costs, on=MONEY_KEYS, how="left")
    merged["project_cost"] = merged["project_cost"].astype("Int64")
    merged["total_cost"] = (merged["project_cost"] + merged["amount"].astype("Int64")).astype("Int64")
    return merged


def _in_basis_order(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame["basis"].map(BASIS_ORDER)
    return frame.assign(_order=order).sort_values(["sheet_id", "fiscal_year", "_order"]).drop(columns="_order")


def money_columns(funding: pd.DataFrame, personnel: pd.DataFrame, budget: pd.DataFrame) -> list[dict]:
    """One sheet's 財源内訳・人件費 as printed: one column per (year, basis) reported in either, oldest first, each with
    its sources, their sum, 事業費, 人工, 業務時間, 人件費 and 総事業費 (None where missing)."""
    keys = pd.concat([funding[MONEY_KEYS], personnel[MONEY_KEYS]], ignore_index=True).drop_duplicates()
    if keys.empty:
        return []
    frame = keys.merge(funding_totals(funding), on=MONEY_KEYS, how="left")
    frame = frame.merge(total_costs(personnel, budget).drop(columns=["project_cost"]), on=MONEY_KEYS, how="left")
    costs = project_costs(budget) if not budget.empty else pd.DataFrame(columns=[*MONEY_KEYS, "project_cost"])
    frame = _in_basis_order(frame.merge(costs, on=MONEY_KEYS, how="left"))
    columns = []
    for row in frame.to_dict("records"):
        value = {key: _maybe_int(row[key]) for key in [*SOURCES, "funding_total", "project_cost", "amount", "total_cost"]}
        columns.append(
            {
                "fiscal_year": int(row["fiscal_year"]),
                "basis": row["basis"],
                "basis_label": AmountBasis(row["basis"]).label,
                "sources": {source: value[source] for source in SOURCES},
                "funding_total": value["funding_total"],
                "project_cost": value["project_cost"],
                "persons": _printed_pair(row.get("persons"), row.get("persons_decimals")),
                "hours": _printed_pair(row.get("hours"), row.get("hours_decimals")),
                "personnel": value["amount"],
                "total_cost": value["total_cost"],
            }
        )
    return columns


def _printed_pair(value, decimals) -> tuple | None:
    """(value, decimals) for the printed filter, or None when missing."""
    if value is None or pd.isna(value):
        return None
    return value, int(decimals)
