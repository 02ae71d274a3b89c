import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from evalsheets.lib import charts


def test_render_figure_never_embeds_plotly_js():
    html = charts.render_figure(go.Figure(go.Bar(x=[1], y=[2])), div_id="x")
    assert 'id="x"' in html and 'data-figure="x-figure"' in html
    assert len(html) < 20_000  # plotly.js itself is ~4.8 MB
    assert "cdn.plot.ly" not in html


def test_render_figure_is_escaped_json_with_no_inline_code():
    """A title typed by a user cannot close the script element: the figure is data, drawn by static/js/evalsheets.js."""
    fig = go.Figure(go.Bar(x=[1], y=[2]), layout={"title": {"text": "</script><script>alert(1)</script>"}})
    html = charts.render_figure(fig, div_id="x")
    assert html.count("<script") == 1 and '<script id="x-figure" type="application/json">' in html
    assert "</script><script>alert" not in html and "Plotly.newPlot" not in html
    figure = json.loads(re.search(r'type="application/json">(.*)</script>', html, re.S)[1])
    assert figure["layout"]["title"]["text"] == "</script><script>alert(1)</script>"
    config = figure["config"]
    assert config["locale"] == "ja" and config["displaylogo"] is False and config["showSendToCloud"] is False
    assert {"sendDataToCloud", "editInChartStudio"} <= set(config["modeBarButtonsToRemove"])


def test_era_labels_for_axes():
    assert charts.era_label(2019) == "令和元年度"
    assert charts.era_label(2021, estimate=True) == "令和3年度（見込み）"


def test_empty_figure_shows_a_message_and_no_axes():
    fig = charts.empty_figure("データがありません", title="t")
    assert fig.layout.annotations[0].text == "データがありません"
    assert fig.layout.xaxis.visible is False


def test_the_amount_axis_unit_is_written_across_over_the_axis_and_a_right_hand_rate_axis_keeps_its_own_title():
    single = charts.styled(go.Figure(go.Bar(x=[1], y=[2])), title="予算額", y_title="件")
    # a turned axis title laid a one-character unit such as 件 on its side: it is an annotation over the axis's top
    assert charts.unit_text(single) == "件" and not single.layout.yaxis.title.text
    unit = single.layout.annotations[0]
    assert (unit.xref, unit.yref, unit.x, unit.y, unit.xanchor, unit.yanchor) == ("x domain", "y domain", 0, 1, "left", "bottom")
    with_rate = go.Figure(go.Bar(x=[1], y=[2])).update_layout(yaxis2=charts.rate_axis("執行率（%）"))
    with_rate = charts.styled(with_rate, title="予算額と執行率", y_title="千円")
    assert charts.unit_text(with_rate) == "千円" and with_rate.layout.yaxis2.title.text == "執行率（%）"


def test_every_title_hangs_from_the_top_with_a_margin_for_its_lines_and_the_unit():
    plain = charts.styled(go.Figure(go.Bar(x=[1], y=[2])), title="予算額")
    assert (plain.layout.title.yref, plain.layout.title.yanchor, plain.layout.title.automargin) == ("container", "top", False)
    two_lines = charts.styled(go.Figure(go.Bar(x=[1], y=[2])), title="① 件数<br><sub>達成度 100.0%</sub>")
    with_unit = charts.styled(go.Figure(go.Bar(x=[1], y=[2])), title="予算額", y_title="千円")
    assert two_lines.layout.margin.t == plain.layout.margin.t + charts.TITLE_LINE
    assert with_unit.layout.margin.t == plain.layout.margin.t + charts.UNIT_LINE


def test_a_count_axis_ticks_whole_numbers():
    fig = charts.count_axis(go.Figure(go.Scatter(x=[1, 2], y=[0, 1])))
    assert fig.layout.yaxis.tickformat == charts.COUNT_FORMAT == ",d"  # static/js/evalsheets.js turns a 0.5 step into 1
    assert fig.layout.yaxis.dtick is None  # plotly's own step for a large range (a fixed 1 drew hundreds of ticks)


def test_small_multiples_are_one_chart_box_each_inside_one_grid():
    figures = [charts.styled(go.Figure(go.Bar(x=[1], y=[v])), title=f"事業{v}") for v in (1, 2)]
    html = charts.render_figures(figures, div_id="chart-x")
    assert html.startswith('<div id="chart-x" class="chart-multiples">')
    assert re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', html) == ["chart-x-1", "chart-x-2"]


def test_headroom_ignores_missing_amounts():
    fig = charts.headroom(go.Figure(), [100, None, float("nan")], [pd.NA, 50])
    assert list(fig.layout.yaxis.range) == [0, pytest.approx(110)]
