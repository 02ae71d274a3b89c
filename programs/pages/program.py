"""/programs/<code>/: one program across all its sheets, each year's figure from the newest sheet reporting it."""

import pandas as pd

from evalsheets.lib.charts import render_figure
from finance import charts as finance_charts
from indicators import charts as indicator_charts
from indicators.choices import NUMBER_MARKS
from programs import selectors, trends


def program_panels(program) -> dict:
    sheets = selectors.sheet_frame(codes=[program.code])
    trend = trends.budget_trend(sheets)
    history = trends.indicator_trend(sheets)
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
