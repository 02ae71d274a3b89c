"""/programs/<code>/: one program across all its sheets, each year's figure from the newest sheet reporting it."""

import pandas as pd

from evalsheets.charts import render_figure
from evalsheets.frames import newest_report
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import charts as indicator_charts
from indicators import selectors as indicator_selectors
from indicators.choices import NUMBER_MARKS
from programs import selectors


def program_panels(program) -> dict:
    sheets = selectors.sheet_frame(codes=[program.code])
    ids = list(sheets["sheet_id"])
    identity = sheets[["sheet_id", "sheet_fiscal_year", "code", "name"]]
    budget = newest_report(finance_selectors.budget_frame(sheet_ids=ids), identity, keys=["code", "fiscal_year"])
    trend = finance_analytics.program_trend(budget)
    indicators, values = indicator_selectors.indicator_frames(sheet_ids=ids)
    history = indicator_analytics.indicator_history(indicators, values, sheets)
    return {
        "budget": {
            "rows": trend.to_dict("records"),
            "chart": render_figure(finance_charts.budget_trend(trend), div_id="chart-program-budget"),
        },
        "indicators": _indicator_panels(history),
    }


def _indicator_panels(history: pd.DataFrame) -> list[dict]:
    panels = []
    for (number, name), rows in history.groupby(["number", "indicator"], sort=True):
        latest = rows.iloc[-1]
        meta = {
            "mark": NUMBER_MARKS.get(int(number), str(number)),
            "name": name,
            "unit": latest["unit"],
            "target": latest["target"],
            "target_decimals": int(latest["target_decimals"]),
            "target_fiscal_year": latest["target_fiscal_year"],
            "achievement": None if pd.isna(latest["achievement"]) else float(latest["achievement"]),
        }
        frame = rows.rename(columns={"indicator": "name"})[["fiscal_year", "value", "decimals", "is_estimate"]]
        panels.append(
            {
                **meta,
                "rows": rows.to_dict("records"),
                "chart": render_figure(indicator_charts.indicator_trend(meta, frame), div_id=f"chart-program-indicator-{number}"),
            }
        )
    return panels
