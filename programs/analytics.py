"""Pure pandas over sheet-level frames: the year's headline, policy roll-up and classification distribution, and the
same kind of program across municipalities."""

from decimal import Decimal

import pandas as pd

from evalsheets.lib.fiscal_years import ALL_YEARS, YearRange
from evalsheets.lib.formatting import circled
from evalsheets.lib.frames import SHEET_IDENTITY, newest_report
from evalsheets.lib.rates import execution_rate, execution_rate_series
from finance import analytics as finance_analytics
from finance.analytics import MONEY_KEYS
from finance.choices import AmountBasis
from indicators.analytics import with_kind
from indicators.choices import IndicatorKind
from programs.choices import Classification

LEVELS = [("field", "分野"), ("policy", "政策"), ("measure", "施策"), ("program", "事務事業")]


def settled_year(groups: pd.DataFrame) -> int | None:
    """The latest fiscal year any of the year's sheets has a final settlement for (a 見込み is not one)."""
    years = groups["latest_settled_year"].dropna()
    return None if years.empty else int(years.max())


def rollup(groups: pd.DataFrame, programs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Totals at every node of 分野 → 政策 → 施策 (and 事務事業 of the `programs` given: one 施策's): the year's 予算額,
    and the settled year's 予算額, 決算額 and 執行率 over the programs settled that year, with the number of programs
    not settled (`unsettled`).

    `groups`: selectors.rollup_groups (the year's sheets summed by 施策 and latest settled year); `programs`:
    selectors.rollup_programs (one row per sheet). Sums of nothing are NA, never 0.
    Returns rows with `level`, `id` (unique node key), `parent`, `label`, the filter to drill down with, and totals.
    """
    columns = [
        "level",
        "id",
        "parent",
        "label",
        "filter",
        "budget",
        "settled_budget",
        "settled",
        "execution_rate",
        "unsettled",
        "programs",
    ]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    year = settled_year(groups)
    keys = {
        "field": ["field_id"],
        "policy": ["field_id", "policy_id"],
        "measure": ["field_id", "policy_id", "measure_id"],
        "program": ["field_id", "policy_id", "measure_id", "code"],
    }
    parts = []
    for level, _label in LEVELS:
        frame = groups if level != "program" else programs
        if frame is None or frame.empty:
            continue
        same = (frame["latest_settled_year"] == year).fillna(False).astype(bool) if year is not None else frame["programs"] < 0
        frame = frame.assign(
            settled_budget=frame["settled_budget"].where(same),
            settled=frame["settled"].where(same),
            settled_programs=frame["programs"].where(same, 0),
        )
        if level == "program":
            frame = frame.assign(program_label=frame["code"] + " " + frame["name"])
        label = f"{level}_label" if level == "program" else f"{level}_code"
        grouped = frame.groupby(keys[level], as_index=False).agg(
            budget=("budget", total),
            settled_budget=("settled_budget", total),
            settled=("settled", total),
            programs=("programs", "sum"),
            settled_programs=("settled_programs", "sum"),
            label=(label, "first"),
            name=(label if level == "program" else f"{level}_name", "first"),
            filter_value=(f"{level}_id" if level != "program" else "code", "first"),
        )
        if level != "program":
            grouped["label"] = grouped["label"] + " " + grouped["name"]
        grouped["unsettled"] = (grouped["programs"] - grouped["settled_programs"]).astype(int)
        grouped["programs"] = grouped["programs"].astype(int)
        grouped["execution_rate"] = execution_rate_series(budget=grouped["settled_budget"], settlement=grouped["settled"])
        grouped["level"] = level
        grouped["id"] = grouped[keys[level]].astype(str).agg("/".join, axis=1)
        parent_keys = keys[level][:-1]
        grouped["parent"] = grouped[parent_keys].astype(str).agg("/".join, axis=1) if parent_keys else ""
        grouped["filter"] = (
            f"{level}=" + grouped["filter_value"].astype(str) if level != "program" else "q=" + grouped["filter_value"]
        )
        parts.append(grouped[columns])
    return pd.concat(parts, ignore_index=True)


def total(values: pd.Series):
    """A sum in which all missing stays missing (NA, never 0)."""
    return values.sum(min_count=1)


def classification_counts(frame: pd.DataFrame, *, vocabulary: list[str] | None = None) -> pd.DataFrame:
    """Number of programs by 分類, this year and next, in the vocabulary's order (zeros included): the municipality's
    vocabulary (its form profile), 荒川区's five by default; a stored value outside it follows, never dropped."""
    order = list(vocabulary or [c.value for c in Classification])
    present = pd.concat([frame["classification_current"], frame["classification_next"]])
    order += sorted({value for value in present if value and value not in order})
    current = frame["classification_current"].value_counts().reindex(order, fill_value=0)
    following = frame["classification_next"].value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"classification": order, "current": current.to_numpy(), "next": following.to_numpy()})


def headlines(groups: pd.DataFrame, *, indicator_counts: dict[str, int] | None = None) -> dict[int, dict]:
    """year_headline's figures per municipality from selectors.year_figure_groups (the year's sheets summed by
    municipality and latest settled year): {municipality_id: headline}. The settled year is the newest of the
    groups; its group's sums are the 決算 figures, every other program counts as 決算未確定. `indicator_counts`: the
    成果指標 counts (one municipality's page only)."""
    result = {}
    for municipality_id, group in groups.groupby("municipality_id"):
        years = group["latest_settled_year"].dropna()
        year = None if years.empty else int(years.max())
        settled = group[group["latest_settled_year"] == year] if year is not None else group.iloc[0:0]
        programs, estimates = int(group["programs"].sum()), int(group["estimates"].sum())
        settled_budget = int(settled["settled_budget"].sum()) if len(settled) else None
        settled_total = int(settled["settled"].sum()) if len(settled) else None
        rate = execution_rate(budget=settled_budget, settlement=settled_total) if len(settled) else None
        result[int(municipality_id)] = {
            "fiscal_year": int(group["fiscal_year"].iloc[0]),
            "programs": programs,
            "budget": int(group["budget"].sum()),
            "budget_missing": int(group["budget_missing"].sum()),
            "settled_year": year,
            "settled_budget": settled_budget,
            "settled": settled_total,
            "execution_rate": None if rate is None else float(rate),
            "unsettled": programs - int(settled["programs"].sum()),
            "estimate": int(group["estimate"].sum()) if estimates else None,
            "estimates": estimates,
            "indicators_on_track": (indicator_counts or {}).get("on_track"),
            "indicators_behind": (indicator_counts or {}).get("behind"),
        }
    return result


def classification_counts_of_pairs(pairs: pd.DataFrame, *, vocabulary: list[str] | None = None) -> pd.DataFrame:
    """classification_counts from selectors.classification_pairs (counts of each 分類 pair instead of one row per
    sheet): the same table."""
    order = list(vocabulary or [c.value for c in Classification])
    present = pd.concat([pairs["classification_current"], pairs["classification_next"]])
    order += sorted({value for value in present if value and value not in order})
    current = pairs.groupby("classification_current")["count"].sum().reindex(order, fill_value=0)
    following = pairs.groupby("classification_next")["count"].sum().reindex(order, fill_value=0)
    return pd.DataFrame({"classification": order, "current": current.to_numpy(), "next": following.to_numpy()})


DEPTHS = {"field": 0, "policy": 1, "measure": 2, "program": 3}


def rollup_tree(nodes: pd.DataFrame) -> pd.DataFrame:
    """Roll-up nodes in depth-first order (each node followed by its children, by label), with their `depth`."""
    nodes = nodes.assign(depth=nodes["level"].map(DEPTHS))
    labels = dict(zip(nodes["id"], nodes["label"], strict=True))
    parents = dict(zip(nodes["id"], nodes["parent"], strict=True))

    def path(node_id: str) -> tuple:
        chain = []
        while node_id:
            chain.append((labels[node_id], node_id))
            node_id = parents[node_id]
        return tuple(reversed(chain))

    order = sorted(range(len(nodes)), key=lambda i: path(nodes["id"].iloc[i]))
    return nodes.iloc[order].reset_index(drop=True)


# --- the same kind of program across municipalities (/compare/municipalities/) -------------------------------------
# `sheets` is programs.selectors.kind_sheet_frame: `code` is the program's key across municipalities, with
# municipality_id, municipality_code, municipality and program_code beside it. Money stays in 千円 until divided.

PROGRAM_IDENTITY = ["code", "municipality_id", "municipality_code", "municipality", "program_code"]
NO_PERSONNEL = "人件費の記載なし"
NO_POPULATION = "人口未登録"
NO_ACTIVITY = "活動指標なし"
NO_ACHIEVEMENT = "達成度なし（目標値または方向の記載なし）"


def yen_per(thousand_yen: pd.Series, divisor: pd.Series) -> pd.Series:
    """円 per person or per unit: 千円 × 1000 ÷ divisor, to 0.1 円; NA when either is missing or the divisor is 0."""
    divisor = divisor.astype("Float64")
    return (thousand_yen.astype("Float64") * 1000 / divisor.where(divisor != 0)).round(1)


def municipality_costs(
    budget: pd.DataFrame,
    personnel: pd.DataFrame,
    sheets: pd.DataFrame,
    populations: pd.DataFrame,
    *,
    measure: str,
    years: YearRange = ALL_YEARS,
) -> pd.DataFrame:
    """事業費, 人件費, 総事業費 and both per person, per program and fiscal year (each year from the newest sheet reporting
    it; 総事業費 = 事業費 + 人件費 of the same sheet, year and basis: finance.analytics.total_costs).

    `measure` "budget": 予算額 (basis 予算); "settlement": the final 決算額 (basis 決算) or, where the newest sheet has only
    a 見込み, that estimate (basis 見込み, `is_estimate`) — never counted as a settlement. A missing 人件費 or 人口 leaves
    its figures NA with a note (`personnel_note`, `population_note`), never 0.
    """
    columns = [
        *PROGRAM_IDENTITY,
        "name",
        "fiscal_year",
        "basis",
        "is_estimate",
        "project_cost",
        "personnel",
        "total_cost",
        "personnel_note",
        "population",
        "project_cost_per_person_yen",
        "total_cost_per_person_yen",
        "population_note",
        "reported_in",
    ]
    newest = newest_report(budget, sheets[SHEET_IDENTITY], keys=["code", "fiscal_year"])
    if newest.empty:
        return pd.DataFrame(columns=columns)
    costs = finance_analytics.project_costs(newest)
    bases = [AmountBasis.BUDGET] if measure == "budget" else [AmountBasis.SETTLEMENT, AmountBasis.ESTIMATE]
    costs = costs[costs["basis"].isin([b.value for b in bases])]
    reported = personnel[personnel["sheet_id"].isin(newest["sheet_id"])]
    totals = finance_analytics.total_costs(reported, newest)[[*MONEY_KEYS, "amount", "total_cost"]]
    frame = costs.merge(totals, on=MONEY_KEYS, how="left").rename(columns={"amount": "personnel"})
    frame = frame.merge(newest[["sheet_id", "fiscal_year", "code", "name", "reported_in"]], on=["sheet_id", "fiscal_year"])
    identity = sheets[PROGRAM_IDENTITY].drop_duplicates("code")
    frame = frame.merge(identity, on="code")
    frame = frame.merge(populations, on=["municipality_id", "fiscal_year"], how="left")
    frame = frame.astype({"personnel": "Int64", "total_cost": "Int64", "population": "Int64"})
    frame["is_estimate"] = frame["basis"] == AmountBasis.ESTIMATE
    frame["personnel_note"] = frame["personnel"].isna().map({True: NO_PERSONNEL, False: ""})
    frame["population_note"] = frame["population"].isna().map({True: NO_POPULATION, False: ""})
    frame["project_cost_per_person_yen"] = yen_per(frame["project_cost"], frame["population"])
    frame["total_cost_per_person_yen"] = yen_per(frame["total_cost"], frame["population"])
    frame = years.clip(frame)
    return frame[columns].sort_values(["municipality_code", "program_code", "fiscal_year"]).reset_index(drop=True)


def kind_programs(sheets: pd.DataFrame) -> pd.DataFrame:
    """The compared programs, by municipality and code, each named as in its newest sheet."""
    newest = sheets.sort_values("sheet_fiscal_year").groupby("code").tail(1)
    return newest[[*PROGRAM_IDENTITY, "name"]].sort_values(["municipality_code", "program_code"]).reset_index(drop=True)


def first_activity_indicator(history: pd.DataFrame) -> pd.DataFrame:
    """Each program's first 活動指標 (by number) with a value, its yearly values (indicators.analytics.indicator_history
    rows: code, indicator, unit, fiscal_year, value, decimals, is_estimate)."""
    history = with_kind(history)
    activity = history[(history["kind"] == IndicatorKind.ACTIVITY) & history["value"].notna()]
    if activity.empty:
        return activity
    first = activity.sort_values(["code", "number"]).groupby("code")["number"].first()
    return activity[activity["number"] == activity["code"].map(first)]


def cost_per_activity(costs: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """事業費 and 総事業費 per unit of each program's first 活動指標 (円 per unit, the unit named), per year. A program
    without one keeps its years with the note 活動指標なし; a 見込み cost or count makes the row 見込み."""
    columns = [
        *PROGRAM_IDENTITY,
        "name",
        "fiscal_year",
        "indicator",
        "unit",
        "count",
        "project_cost",
        "total_cost",
        "is_estimate",
        "project_cost_per_unit_yen",
        "total_cost_per_unit_yen",
        "note",
    ]
    if costs.empty:
        return pd.DataFrame(columns=columns)
    activity = first_activity_indicator(history)
    activity = activity.assign(
        count=[printed_plain(v, d) for v, d in zip(activity["value"], activity["decimals"], strict=True)],
        count_value=activity["value"],
        count_is_estimate=activity["is_estimate"].astype(bool),
    )[["code", "fiscal_year", "indicator", "unit", "count", "count_value", "count_is_estimate"]]
    frame = costs.merge(activity, on=["code", "fiscal_year"], how="left")
    has_indicator = frame["code"].isin(activity["code"])
    frame["is_estimate"] = frame["is_estimate"].astype(bool) | frame["count_is_estimate"].fillna(False).astype(bool)
    frame["project_cost_per_unit_yen"] = yen_per(frame["project_cost"], frame["count_value"])
    frame["total_cost_per_unit_yen"] = yen_per(frame["total_cost"], frame["count_value"])
    frame["note"] = ""
    frame.loc[~has_indicator, "note"] = NO_ACTIVITY
    frame.loc[has_indicator & frame["count_value"].isna(), "note"] = "この年度の実績なし"
    return frame[columns].reset_index(drop=True)


def printed_plain(value, decimals) -> str | None:
    """An indicator figure with its printed decimals and no separators ("99.95", "3120"): the same in a table and a CSV."""
    if pd.isna(value):
        return None
    return f"{Decimal(str(value)):.{int(decimals)}f}"


def latest_achievements(history: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """Every 成果指標 of each program at its latest year with an achievement (else its latest value, noted), with target
    and direction — the indicators side by side across municipalities."""
    columns = [
        *PROGRAM_IDENTITY,
        "name",
        "indicator_label",
        "unit",
        "target",
        "target_fiscal_year",
        "fiscal_year",
        "value",
        "is_estimate",
        "achievement",
        "note",
    ]
    history = with_kind(history)
    outcomes = history[(history["kind"] == IndicatorKind.OUTCOME) & history["value"].notna()]
    if outcomes.empty:
        return pd.DataFrame(columns=columns)
    judged = outcomes.assign(_judged=outcomes["achievement"].notna())
    latest = judged.sort_values(["_judged", "fiscal_year"]).groupby(["code", "number", "indicator"]).tail(1)
    latest = latest.merge(sheets[PROGRAM_IDENTITY].drop_duplicates("code"), on="code")
    latest = latest.assign(
        name=latest["program"],
        indicator_label=[f"成果指標{circled(n)} {name}" for n, name in zip(latest["number"], latest["indicator"], strict=True)],
        value=[printed_plain(v, d) for v, d in zip(latest["value"], latest["decimals"], strict=True)],
        target=[printed_plain(v, d) for v, d in zip(latest["target"], latest["target_decimals"], strict=True)],
        target_fiscal_year=latest["target_fiscal_year"].astype("Int64"),
        is_estimate=latest["is_estimate"].astype(bool),
        achievement=latest["achievement"].astype("Float64").round(1),
        note=latest["_judged"].map({True: "", False: NO_ACHIEVEMENT}),
    )
    return latest[columns].sort_values(["municipality_code", "program_code", "indicator_label"]).reset_index(drop=True)
