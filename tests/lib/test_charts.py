import plotly.graph_objects as go

from evalsheets.lib import charts


def test_render_figure_never_embeds_plotly_js():
    html = charts.render_figure(go.Figure(go.Bar(x=[1], y=[2])), div_id="x")
    assert 'id="x"' in html
    assert "Plotly.newPlot" in html
    assert len(html) < 20_000  # plotly.js itself is ~4.8 MB
    assert "cdn.plot.ly" not in html


def test_era_labels_for_axes():
    assert charts.era_label(2019) == "令和元年度"
    assert charts.era_label(2021, estimate=True) == "令和3年度（見込み）"


def test_empty_figure_shows_a_message_and_no_axes():
    fig = charts.empty_figure("データがありません", title="t")
    assert fig.layout.annotations[0].text == "データがありません"
    assert fig.layout.xaxis.visible is False
