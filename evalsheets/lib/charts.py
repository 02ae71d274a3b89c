"""The one place that owns how charts look: theme, colours, era-year axes, empty figures, rendering.

Chart builders in `<app>/charts.py` take pandas frames and return `go.Figure`; templates get
HTML from `render_figure`, which never embeds plotly.js (base.html loads it once from static/).
"""

import json

import plotly.graph_objects as go
import plotly.io as pio
from django.utils.html import format_html, format_html_join, json_script

from evalsheets.lib.formatting import amount, is_missing
from evalsheets.lib.wareki import fiscal_year_label

FONT = "'Hiragino Kaku Gothic ProN', 'Noto Sans JP', 'Noto Sans CJK JP', Meiryo, sans-serif"
BUDGET = "#9bb7d4"
SETTLEMENT = "#1f4e79"
# A 見込み (estimate) bar: a light fill, a dark outline and dark hatching, visible on screen and on paper.
ESTIMATE_BAR = {
    "marker": {
        "color": "#c9d9ea",
        "line": {"color": SETTLEMENT, "width": 1.5},
        "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": SETTLEMENT, "fgopacity": 0.55, "size": 7, "solidity": 0.25},
    }
}
RATE = "#c0392b"
TARGET = "#e67e22"
EXPENSE_SHADES = ["#7b241c", "#a93226", "#cd6155", "#e6b0aa", "#922b21", "#d98880", "#641e16", "#f1948a", "#c0392b"]
REVENUE_SHADES = ["#145a32", "#1e8449", "#52be80", "#a9dfbf", "#196f3d", "#7dcea0"]
# Okabe–Ito: eight colours told apart with any colour vision (and in greys by their lightness), for programs side by side.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "cross"]  # lines told apart without colour
RATE_SCALE = "Cividis"  # 執行率 heatmap: a colour-blind-safe sequential scale

LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom"}

_TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13, "color": "#1b1b1b"},
        "colorway": PALETTE,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT}},
        # Every legend sits at the foot of the chart (not of the plot), so the plot keeps its width on a phone or on
        # paper, and tick labels push the margins: nothing overlaps the plot, its labels or the title.
        "legend": LEGEND,
        # Labels never turned (a turned year label is cut off on a phone): static/js/evalsheets.js keeps every n-th
        # label where they do not fit side by side.
        "xaxis": {"showgrid": False, "linecolor": "#888", "ticks": "outside", "automargin": True, "tickangle": 0},
        "yaxis": {
            "gridcolor": "#e5e5e5",
            "zerolinecolor": "#888",
            "tickformat": ",~r",
            "rangemode": "tozero",
            "automargin": True,
        },
        "margin": {"l": 80, "r": 30, "t": 40, "b": 50, "autoexpand": True},  # the title pushes the top margin
    }
)


def settlement_markers(estimates: list[bool]) -> dict:
    """Bar markers of settlements in one trace: final bars solid, 見込み bars drawn like ESTIMATE_BAR."""
    estimate = ESTIMATE_BAR["marker"]
    return {
        "color": [estimate["color"] if e else SETTLEMENT for e in estimates],
        "line": {"color": SETTLEMENT, "width": [estimate["line"]["width"] if e else 0 for e in estimates]},
        "pattern": {**estimate["pattern"], "shape": ["/" if e else "" for e in estimates]},
    }


# Every chart's toolbar: Japanese (plotly's ja locale, with our own word for the PNG button), nothing that sends
# data anywhere (no cloud/share/edit buttons, no link, no logo), and a PNG download drawn in the browser.
CONFIG = {
    "responsive": True,
    "locale": "ja",
    "locales": {
        "ja": {"dictionary": {"Download plot as a PNG": "PNG で保存", "Download plot as a png": "PNG で保存", "Pan": "移動"}}
    },
    "displaylogo": False,
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendDataToCloud", "editInChartStudio"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def era_label(fiscal_year: int, *, estimate: bool = False) -> str:
    """Axis tick for a fiscal year: 令和3年度, or 令和3年度（見込み） for an estimate."""
    return fiscal_year_label(int(fiscal_year)) + ("（見込み）" if estimate else "")


def hover_amounts(values) -> list[str]:
    """Exact figures for hover text, as on the form (▲ for negatives)."""
    return [amount(v) for v in values]


TITLE_GAP = 14  # px between a title and its plot: clear of the top tick label, which stands half above the plot


def styled(fig: go.Figure, *, title: str, y_title: str = "", height: int = 360) -> go.Figure:
    # A title is written on one line; static/js/evalsheets.js wraps it to the width the chart is drawn at.
    title_layout = {"text": title, "x": 0, "xanchor": "left", "automargin": True, "yref": "paper", "pad": {"b": TITLE_GAP}}
    fig.update_layout(template=_TEMPLATE, title=title_layout, height=height)
    if any(a.yref == "paper" and (a.y or 0) >= 0.99 for a in fig.layout.annotations):
        # subplot titles stand above the plots: the chart title goes to the top of the figure, clear of them
        extra = 20 * title_layout["text"].count("<br>")  # plotly anchors a wrapped title by its first line
        fig.update_layout(
            title={"automargin": False, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10 + extra}},
            margin={"t": 110 + extra},
        )
    if y_title:
        fig.layout.yaxis.title.text = y_title  # the amount axis (of the first panel), never a right-hand rate axis
    return fig


def rate_axis(title: str) -> dict:
    """A right-hand 0–120% axis for execution rates drawn over amount bars."""
    return {
        "title": {"text": title, "standoff": 14},
        "automargin": True,
        "overlaying": "y",
        "side": "right",
        "range": [0, 120],
        "dtick": 20,
        "ticksuffix": "%",
        "showgrid": False,
    }


def headroom(fig: go.Figure, *values, axis: str = "y") -> go.Figure:
    """Start the amount axis at 0 and end it 10% above the largest value, so no bar touches or crosses the top."""
    largest = max((float(v) for series in values for v in series if not is_missing(v)), default=0.0)
    if largest > 0:
        fig.update_layout({f"{axis}axis": {"range": [0, largest * 1.1], "autorange": False}})
    return fig


def empty_figure(message: str, *, title: str = "") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    styled(fig, title=title, height=220)
    # nothing to plot: the title sits at the top of the box (wrapped lines push the margin down, not out of the box)
    # and static/js/evalsheets.js wraps the message to the width drawn (meta.empty_message)
    return fig.update_layout(
        title={"automargin": False, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10}},
        margin={"t": 60},
        meta={"empty_message": message},
    )


def render_figure(fig: go.Figure, *, div_id: str) -> str:
    """An empty chart box and the figure as JSON beside it; static/js/evalsheets.js draws it once plotly.js (loaded
    deferred, only on pages with charts) is there. No inline code: the JSON is escaped like Django's json_script."""
    figure = json.loads(pio.to_json(fig, validate=False))
    figure["config"] = {**CONFIG, "toImageButtonOptions": {**CONFIG["toImageButtonOptions"], "filename": div_id}}
    return format_html(
        '<div id="{}" class="plotly-graph-div" data-figure="{}"></div>{}',
        div_id,
        f"{div_id}-figure",
        json_script(figure, f"{div_id}-figure"),
    )


def render_figures(figures: list[go.Figure], *, div_id: str) -> str:
    """Small multiples: one chart box per figure in a grid (`div_id`-1, -2, …) that the page's CSS lays out three
    to a row on a screen and on paper, one to a row on a phone."""
    boxes = format_html_join("", "{}", ((render_figure(fig, div_id=f"{div_id}-{i}"),) for i, fig in enumerate(figures, 1)))
    return format_html('<div id="{}" class="chart-multiples">{}</div>', div_id, boxes)
