import pandas as pd
import pytest

from evalsheets.lib.charts import unit_text
from indicators import analytics, charts


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (0, 0, "zero", 100.0),  # zero incidents, target met
        (1, 0, "zero", 0.0),
        (3.5, 4.0, "up", 87.5),
        (46.0, 46.0, "up", 100.0),
        (40011, 30000, "down", 75.0),
        (29000, 30000, "down", 100.0),
        (-1.6, -5.0, "down", 32.0),  # a growth rate to be pushed below −5.0%
        (-6.0, -5.0, "down", 100.0),
    ],
)
def test_achievement_is_direction_aware(value, target, direction, expected):
    result = analytics.achievement(pd.Series([value]), pd.Series([target]), pd.Series([direction]))
    assert result.iloc[0] == expected


def test_achievement_without_target_is_missing():
    result = analytics.achievement(pd.Series([3.0]), pd.Series([float("nan")]), pd.Series(["up"]))
    assert pd.isna(result.iloc[0])


def _indicator():
    indicators = pd.DataFrame(
        [
            {
                "id": 7,
                "sheet_id": 1,
                "number": 3,
                "name": "満足度",
                "unit": "点",
                "description": "",
                "direction": "up",
                "target": 4.0,
                "target_decimals": 1,
                "target_fiscal_year": 2026,
            }
        ]
    )
    values = pd.DataFrame(
        {
            "owner_id": 7,
            "fiscal_year": [2018, 2019, 2020, 2021],
            "value": [3.0, 3.3, 3.4, 3.5],
            "decimals": 1,
            "is_estimate": [False, False, False, True],
        }
    )
    return indicators, values


def test_indicator_table_marks_estimates_and_computes_latest_achievement():
    years, rows = analytics.indicator_table(*_indicator())
    assert years == [2018, 2019, 2020, 2021]
    row = rows[0]
    assert row["mark"] == "③"
    assert [c["is_estimate"] for c in row["cells"]] == [False, False, False, True]
    assert row["achievement"] == 87.5


def test_indicator_trend_plots_values_and_target_at_the_target_year():
    indicators, values = _indicator()
    _, rows = analytics.indicator_table(indicators, values)
    fig = charts.indicator_trend(rows[0], values)
    actual, target = fig.data
    assert list(actual.y) == [3.0, 3.3, 3.4, 3.5]
    assert list(target.x) == [2021, 2026] and list(target.y) == [3.5, 4.0]
    assert actual.customdata[3] == "令和3年度: 3.5 点（見込み）"
    assert list(actual.marker.symbol) == ["circle", "circle", "circle", "circle-open"]
    assert "令和8年度" in fig.layout.xaxis.ticktext
    assert "達成度 87.5%" in fig.layout.title.text
    assert fig.layout.yaxis.tickformat != ",d"  # 3.5 点: a figure with a decimal keeps fractional ticks


def test_activity_trends_one_chart_per_item_in_its_own_unit():
    items = pd.DataFrame(
        [
            {"id": 1, "sheet_id": 1, "position": 0, "name": "施設数（合計）", "unit": "施設", "parent_id": None},
            {"id": 2, "sheet_id": 1, "position": 1, "name": "光ファイバ", "unit": "回線", "parent_id": 1},
        ]
    )
    values = pd.DataFrame(
        {
            "owner_id": [1, 1, 2, 2],
            "fiscal_year": [2020, 2021, 2020, 2021],
            "value": [113.0, 115.0, 123.0, 121.0],
            "decimals": 0,
            "is_estimate": [False, True, False, True],
        }
    )
    _, rows = analytics.activity_table(items, values)
    assert rows[1]["parent"] == "施設数（合計）"
    parent, child = charts.activity_trends(rows, values)
    assert [len(parent.data), len(child.data)] == [1, 1]
    assert list(parent.data[0].y) == [113.0, 115.0] and list(child.data[0].y) == [123.0, 121.0]
    assert unit_text(parent) == "施設" and unit_text(child) == "回線"
    assert parent.layout.yaxis.tickformat == ",d"  # counts (no decimals): whole-number ticks
    assert child.layout.title.text == "施設数（合計） ＞ 光ファイバ"
    assert list(child.data[0].marker.symbol) == ["circle", "circle-open"]  # the 見込み year hollow
    assert list(child.layout.xaxis.ticktext) == ["令和2年度", "令和3年度"]
