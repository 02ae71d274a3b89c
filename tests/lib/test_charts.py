import json
import re

import plotly.graph_objects as go

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
