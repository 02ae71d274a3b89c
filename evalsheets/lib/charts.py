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


# Every title hangs from the top of the chart (yref container) and the top margin is worked out from its lines: plotly's
# automargin for a title standing on the plot (yref paper) does not follow a wrapped title on a short chart (the
# overview's small multiples were cut off at the top). static/js/evalsheets.js wraps a title to the width drawn and
# grows the margin and the height by the lines it adds, then measures that nothing below starts under the title.
TITLE_TOP = 10  # px from the top of the chart to its title's first line
TITLE_LINE = 24  # px a line of a title takes (plotly: 18 px font, 1.3 line spacing)
TITLE_GAP = 14  # px between a title and its plot: clear of the top tick label, which stands half above the plot
SUBPLOT_TITLES = 62  # px of subplot titles between the chart title and the plots
UNIT_LINE = 20  # px of the unit written over the amount axis
UNIT_NAME = "y-unit"  # the annotation's name (tests and readers find the unit by it)


def styled(fig: go.Figure, *, title: str, y_title: str = "", height: int = 360) -> go.Figure:
    # A title is written on one line; static/js/evalsheets.js wraps it to the width the chart is drawn at.
    lines = title.count("<br>") + 1
    top = TITLE_TOP + TITLE_LINE * lines + TITLE_GAP
    if any(a.yref == "paper" and (a.y or 0) >= 0.99 for a in fig.layout.annotations):
        top += SUBPLOT_TITLES  # subplot titles stand above the plots, below the chart title
    if y_title:
        top += UNIT_LINE
        unit_label(fig, y_title)
    title_layout = {
        "text": title,
        "x": 0,
        "xanchor": "left",
        "automargin": False,
        "yref": "container",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": TITLE_TOP},
    }
    fig.update_layout(template=_TEMPLATE, title=title_layout, height=height, margin={"t": max(top, fig.layout.margin.t or 0)})
    return fig


def unit_label(fig: go.Figure, text: str) -> go.Figure:
    """The unit of the amount axis (of the first panel; never a right-hand rate axis) written across, above the plot
    from the axis rightwards (a long unit such as 指数（最初の年度＝100） is never cut off at the chart's left edge):
    a y-axis title is drawn turned, and a one-character unit such as 件 then lay on its side."""
    fig.add_annotation(
        name=UNIT_NAME,
        text=text,
        showarrow=False,
        xref="x domain",
        yref="y domain",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=10,
        font={"size": 12, "color": "#444"},
    )
    return fig


def unit_text(fig: go.Figure) -> str:
    """The unit written over the amount axis by unit_label ('' without one)."""
    return next((a.text for a in fig.layout.annotations if a.name == UNIT_NAME), "")


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


COUNT_FORMAT = ",d"  # static/js/evalsheets.js: an axis with this format never ticks a step under 1


def count_axis(fig: go.Figure, *, axis: str = "y") -> go.Figure:
    """An axis of counts (件, 事業, figures printed without decimals): whole-number ticks, never 0.5 件 (plotly picks a
    step of 0.5 where the range is a few units; static/js/evalsheets.js makes such a step 1)."""
    return fig.update_layout({f"{axis}axis": {"tickformat": COUNT_FORMAT}})


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
    # nothing to plot: static/js/evalsheets.js wraps the message to the width drawn (meta.empty_message) and keeps it
    # below the title's lines
    return fig.update_layout(meta={"empty_message": message})


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
