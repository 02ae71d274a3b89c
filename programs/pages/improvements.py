"""/improvements/: the 改善策 follow-up ledger. One entry per trail (its newest row), with the trail over the years,
its status, and beside it what moved in the same years: the program's 予算額 and 決算額 (見込み marked) and the related
成果指標's values, each year's figure from the newest sheet reporting it (finance and indicators analytics).

Queries per page: fixed (count, status counts, the page's rows, their trails, sheets, budget, indicators), whatever the
number of sheets."""

from collections.abc import Iterator

from django.core.paginator import Paginator

from evalsheets.lib.formatting import EMPTY, amount, circled, era_fiscal_year, printed_number
from finance import analytics as finance_analytics
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import selectors as indicator_selectors
from indicators.choices import Direction, IndicatorKind
from programs import ledger_analytics, ledger_selectors, selectors
from programs.choices import ImprovementStatus
from programs.improvements import status_label
from programs.ledger_filters import ImprovementFilterSet
from programs.models import Improvement, Municipality

PER_PAGE = 50
EXPORT_CHUNK = 200  # trails per round of queries in the CSV


def ledger_filterset(data, *, request, municipality: Municipality) -> ImprovementFilterSet:
    """The filters, with the ledger's rows as they stood in 年度（まで） (the trails' newest rows) to filter."""
    filterset = ImprovementFilterSet(data, request=request, municipality=municipality, queryset=Improvement.objects.none())
    filterset.queryset = ledger_selectors.ledger_rows(
        viewer=request.user, municipality=municipality, year_to=filterset.year_to_value()
    )
    return filterset


def _summary(counts: dict[str, int]) -> str:
    """「改善策 12 件（完了 5・実施中 4・計画 2・見送り 1）」: every status present, in the order of the choices."""
    total = sum(counts.values())
    parts = [f"{status.label} {counts[status.value]:,}" for status in ImprovementStatus if counts.get(status.value)]
    if counts.get(""):
        parts.append(f"状況なし {counts['']:,}")
    return f"改善策 {total:,} 件" + (f"（{'・'.join(parts)}）" if parts else "")


def _status(row: dict) -> dict:
    value = row["status"] or row["proposed_status"]
    return {"value": value, "label": status_label(value) or EMPTY, "set": bool(row["status"])}


def _trail(end: Improvement, by_id: dict[int, dict], *, year_from: int | None) -> list[dict]:
    """The rows of one trail, oldest first, back from its newest row (only readable rows: ledger_selectors)."""
    rows, row = [], by_id.get(end.pk)
    while row is not None and (year_from is None or row["sheet__fiscal_year"] >= year_from):
        rows.append(row)
        row = by_id.get(row["previous_id"])
    return rows[::-1]


def _related_indicator(end: dict, lookup) -> dict | None:
    by_id, by_number = lookup
    indicator_id = end["indicator_id"] or by_number.get((end["sheet_id"], IndicatorKind.OUTCOME.value, end["number"]))
    return by_id.get(indicator_id)


def _moved(code: str, years: list[int], money: dict, values: dict, indicator: dict | None) -> list[dict]:
    """Each year's 予算額, 決算額 (見込み marked; missing stays missing) and the related indicator's value."""
    series = values.get((code, indicator["kind"], indicator["name"]), {}) if indicator else {}
    cells = []
    for year in years:
        figures = money.get((code, year), {})
        value = series.get(year)
        cells.append(
            {
                "year": year,
                "era": era_fiscal_year(year),
                "budget": figures.get("budget"),
                "settlement": figures.get("settlement"),
                "estimate": figures.get("estimate", False),
                "value": printed_number(value["value"], value["decimals"]) if value else None,
                "value_estimate": bool(value and value["estimate"]),
            }
        )
    return cells


def _entries(ends: list[Improvement], *, viewer, municipality: Municipality, year_from, year_to) -> list[dict]:
    """The page's trails with their money and indicator years (a fixed number of queries for any number of ends)."""
    if not ends:
        return []
    codes = sorted({end.sheet.program.code for end in ends})
    by_id = {
        row["id"]: row
        for row in ledger_selectors.trail_rows(viewer=viewer, municipality=municipality, codes=codes, year_to=year_to)
    }
    sheets = selectors.sheet_frame(viewer=viewer, municipality=municipality, codes=codes, up_to=year_to)
    ids = list(sheets["sheet_id"])
    money = ledger_analytics.money_by_year(finance_analytics.budget_trend(finance_selectors.budget_frame(sheet_ids=ids), sheets))
    indicators, values = indicator_selectors.indicator_frames(sheet_ids=ids)
    lookup = ledger_analytics.indicator_lookup(indicators)
    indicator_values = ledger_analytics.indicator_values_by_year(
        indicator_analytics.indicator_history(indicators, values, sheets)
    )
    entries = []
    for end in ends:
        code = end.sheet.program.code
        trail = _trail(end, by_id, year_from=year_from)
        if not trail:
            continue
        years = list(range(trail[0]["sheet__fiscal_year"] - 2, trail[-1]["sheet__fiscal_year"] + 1))
        indicator = _related_indicator(trail[-1], lookup)
        entries.append(
            {
                "end": end,
                "code": code,
                "program": end.sheet.program,
                "sheet": end.sheet,
                "mark": circled(end.number),
                "status": _status(trail[-1]),
                "trail": [
                    {
                        **row,
                        "era": era_fiscal_year(row["sheet__fiscal_year"]),
                        "work_era": era_fiscal_year(row["sheet__fiscal_year"] - 1),
                        "state": _status(row),
                    }
                    for row in trail
                ],
                "indicator": indicator
                and {
                    **indicator,
                    "mark": circled(indicator["number"]),
                    "direction_label": Direction(indicator["direction"]).label,
                },
                "moved": _moved(code, years, money, indicator_values, indicator),
            }
        )
    return entries


def _year(filterset: ImprovementFilterSet, name: str) -> int | None:
    value = filterset.form.cleaned_data.get(name) if filterset.form.is_valid() else None
    return int(value) if value else None


def improvement_list_context(filterset: ImprovementFilterSet, *, viewer, municipality: Municipality, page) -> dict:
    rows = filterset.qs
    counts = ledger_selectors.status_counts(rows)
    page_obj = Paginator(rows, PER_PAGE).get_page(page)
    entries = _entries(
        list(page_obj.object_list),
        viewer=viewer,
        municipality=municipality,
        year_from=_year(filterset, "year_from"),
        year_to=_year(filterset, "year_to"),
    )
    return {
        "filter": filterset,
        "municipality": municipality,
        "page_obj": page_obj,
        "entries": entries,
        "summary": _summary(counts),
        "total": sum(counts.values()),
    }


CSV_HEADERS = [
    "事務事業コード",
    "事務事業名",
    "部",
    "課",
    "番号",
    "評価年度",
    "取組年度",
    "前年度に取り組む具体的な改善内容",
    "前年度に実施した改善内容および評価",
    "当年度以降に取り組む具体的な改善内容",
    "状況",
    "状況の決め方",
    "現在の状況",
    "関連する成果指標",
    "単位",
    "望ましい方向",
    "取組年度の予算額（千円）",
    "取組年度の決算額（千円）",
    "決算の区分",
    "取組年度の指標値",
    "指標値の区分",
]


def improvement_csv_rows(filterset: ImprovementFilterSet, *, viewer, municipality: Municipality) -> Iterator[list]:
    """The header, then one row per trail-year of every filtered trail (the year of the work: the sheet's year − 1),
    in the ledger's order; trails fetched EXPORT_CHUNK at a time."""
    yield CSV_HEADERS
    rows, year_from, year_to = filterset.qs, _year(filterset, "year_from"), _year(filterset, "year_to")
    ids = list(rows.values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = {row.pk: row for row in rows.filter(pk__in=ids[start : start + EXPORT_CHUNK])}
        ends = [chunk[pk] for pk in ids[start : start + EXPORT_CHUNK] if pk in chunk]
        for entry in _entries(ends, viewer=viewer, municipality=municipality, year_from=year_from, year_to=year_to):
            moved = {cell["year"]: cell for cell in entry["moved"]}
            indicator = entry["indicator"] or {}
            for row in entry["trail"]:
                cell = moved.get(row["sheet__fiscal_year"] - 1, {})
                settlement = cell.get("settlement")
                yield [
                    entry["code"],
                    entry["sheet"].name,
                    entry["sheet"].section.department.name,
                    entry["sheet"].section.name,
                    entry["mark"],
                    row["era"],
                    row["work_era"],
                    row["plan"],
                    row["result"],
                    row["next"],
                    row["state"]["label"],
                    "設定" if row["state"]["set"] else "本文から推定",
                    entry["status"]["label"],
                    f"{indicator['mark']} {indicator['name']}" if indicator else "",
                    indicator.get("unit", ""),
                    indicator.get("direction_label", ""),
                    amount(cell.get("budget")) if cell.get("budget") is not None else "",
                    amount(settlement) if settlement is not None else "",
                    ("見込み" if cell.get("estimate") else "決算") if settlement is not None else "",
                    cell.get("value") or "",
                    ("見込み" if cell.get("value_estimate") else "実績") if cell.get("value") else "",
                ]
