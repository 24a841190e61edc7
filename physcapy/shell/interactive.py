# SPDX-License-Identifier: GPL-2.0-only
"""Zoomable views for notebooks: a waveform explorer and a PAL timeline (plotly).

Plotly's ``FigureWidget`` draws in the browser (pan, box zoom, hover; vector, so
crisp at any size) and tells the kernel the new x range after each zoom, through
the widget channel -- no extra server as a Bokeh app needs, no PNG per frame as
ipympl sends.  Plotly is imported on first use (``pip install 'physcapy[notebook]'``);
the matplotlib plots (:mod:`physcapy.shell.plots`) stay for terminals and stored
notebooks.

:func:`explore_waveform` never holds the capture: it decodes it once (streamed)
into transactions for the **overview** -- frames per time bin, as bars -- and on
each zoom reads again only the window's level changes (the same streaming window
reader as :func:`~physcapy.shell.plots.plot_waveform`).  Under
``DETAIL_FRAMES`` frames in view it draws MDC and MDIO with each frame shaded and
labelled; under ``FIELD_FRAMES`` every field box is labelled too, as PulseView
does when zoomed in::

    >>> from physcapy.mdio.transactions import Transaction as T
    >>> txs = [T(i * 1e-3, i * 1e-3 + 3e-5, 22, "read", 1, 1, 0x796D) for i in range(500)]
    >>> ex = explore_waveform(txs)
    >>> ex.mode, len(ex.figure.data[0].x)  # 500 frames: the overview, MDC not drawn
    ('overview', 0)
    >>> ex.zoom(1e-3, 1.03e-3); ex.mode, "DATA 0x796d" in ex.labels()
    ('fields', True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from physcapy.errors import PhyscapyError
from physcapy.mdio.transactions import Transaction

if TYPE_CHECKING:
    from physcapy.capture.base import CaptureReader
    from physcapy.pal.events import Event

__all__ = [
    "DETAIL_FRAMES",
    "FIELD_FRAMES",
    "WaveformExplorer",
    "explore_timeline",
    "explore_waveform",
]

#: Frames in view under which the traces are drawn (above: the overview's bars).
DETAIL_FRAMES = 60
#: Frames in view under which each field box is labelled.
FIELD_FRAMES = 8
#: Bars of the overview.
BINS = 400
#: The plot's width in pixels, as far as label fitting is concerned (JupyterLab's
#: output area at its usual size; ``figure.layout.width`` when set).
PLOT_WIDTH = 800

#: Greys and a few hues that read on JupyterLab's light and dark themes alike.
_FONT = "#8a8a8a"
_GRID = "rgba(128,128,128,0.25)"
_OPS = {
    "read": "rgba(31,119,180,0.25)",
    "read_inc": "rgba(31,119,180,0.25)",
    "write": "rgba(255,127,14,0.3)",
}


def _plotly() -> Any:
    from physcapy.plugins import optional

    return optional("plotly.graph_objects", "notebook")


def _layout(**extra: Any) -> dict[str, Any]:
    return {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": _FONT, "size": 11},
        "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
        "showlegend": False,
        "modebar": {"orientation": "v"},  # beside the plot, not over its title
        **extra,
    }


def _axis(**extra: Any) -> dict[str, Any]:
    return {"gridcolor": _GRID, "zerolinecolor": _GRID, "linecolor": _GRID, **extra}


class WaveformExplorer:
    """The zoomable waveform; ``figure`` is the plotly ``FigureWidget``."""

    def __init__(
        self,
        transactions: Sequence[Transaction],
        open_reader: Callable[[float], CaptureReader],
        title: str,
        models: dict[int, str] | None = None,
    ):
        if not transactions:
            raise PhyscapyError(f"{title}: no MDIO frames to explore")
        go = _plotly()
        self.transactions = sorted(transactions, key=lambda t: t.start)
        self.starts = np.array([t.start for t in self.transactions])
        self.open_reader = open_reader
        self.models = models
        self.title = title
        self.begin = float(self.starts[0])
        # A frame lasts 64 bits (25.6 µs at 2.5 MHz): room for the last one whatever its end says.
        self.end = max(max(t.end for t in self.transactions), float(self.starts[-1]) + 3e-5)
        self.mode = ""
        self.figure = go.FigureWidget(
            data=[
                go.Scatter(
                    name="MDC",
                    x=[],
                    y=[],
                    mode="lines",
                    line={"shape": "hv", "width": 1, "color": "#2ca02c"},
                    hoverinfo="skip",
                ),
                go.Scatter(
                    name="MDIO",
                    x=[],
                    y=[],
                    mode="lines",
                    line={"shape": "hv", "width": 1, "color": "#1f77b4"},
                    hoverinfo="skip",
                ),
                go.Bar(
                    name="frames",
                    x=[],
                    y=[],
                    marker={"color": "rgba(31,119,180,0.6)"},
                    hovertemplate="%{y} frames<extra></extra>",
                ),
            ],
            layout=_layout(
                height=320,
                bargap=0,
                dragmode="zoom",
                xaxis=_axis(title="time (s)", exponentformat="SI", ticksuffix="s"),
                yaxis=_axis(fixedrange=True, showticklabels=True),
            ),
        )
        self._busy = False
        self.figure.layout.xaxis.on_change(self._on_range, "range")
        self.zoom(self.begin, self.end)

    # -- what is drawn ---------------------------------------------------------------------

    def zoom(self, lo: float, hi: float) -> None:
        """Show ``[lo, hi]`` seconds (what a box zoom or pan in the browser does)."""
        if not hi > lo:
            raise PhyscapyError(f"window start {lo:g} s is not before end {hi:g} s")
        i, j = np.searchsorted(self.starts, [lo, hi])
        # The frame begun just before lo may reach into the window (ends may be unset: 0).
        in_view = self.transactions[max(0, i - 1) : j]
        in_view = [t for t in in_view if max(t.end, t.start + 3e-5) >= lo and t.start <= hi]
        self._busy = True  # our own range change must not call us back
        try:
            with self.figure.batch_update():
                if len(in_view) > DETAIL_FRAMES:
                    self._overview(lo, hi, len(in_view))
                else:
                    self._detail(lo, hi, in_view)
                self.figure.layout.xaxis.range = [lo, hi]
        finally:
            self._busy = False

    def _overview(self, lo: float, hi: float, count: int) -> None:
        edges = np.linspace(lo, hi, BINS + 1)
        counts, _ = np.histogram(self.starts, edges)
        mdc, mdio, bars = self.figure.data
        mdc.x, mdc.y, mdio.x, mdio.y = [], [], [], []
        bars.x, bars.y = ((edges[:-1] + edges[1:]) / 2).tolist(), counts.tolist()
        bars.width = float(edges[1] - edges[0])
        self.figure.layout.shapes, self.figure.layout.annotations = [], []
        self.figure.layout.yaxis.update(title="frames", tickvals=None, ticktext=None, range=None)
        self.figure.layout.title = (
            f"{self.title}: {count} frames in view (zoom in for the waveform)"
        )
        self.mode = "overview"

    def _detail(self, lo: float, hi: float, frames: list[Transaction]) -> None:
        from physcapy.shell.plots import _frame_fields, _label, _read_window

        reader = self.open_reader(hi)
        try:
            tap, decoded, kept = _read_window(reader, lo, hi, self.models)
        finally:
            reader.close()
        mdc, mdio, bars = self.figure.data
        bars.x, bars.y = [], []
        shapes, notes = [], []
        # Plotly does not hide a label that does not fit: keep those that fit its box at
        # this zoom (as PulseView does), assuming the usual plot width of a notebook.
        px = (self.figure.layout.width or PLOT_WIDTH) / (hi - lo)

        def fits(x0: float, x1: float, text: str, char: float) -> bool:
            return (x1 - x0) * px >= char * len(text)

        if tap.first is not None and tap.first <= tap.last:
            for trace, base, line in ((0, 1.5, mdc), (1, 0.0, mdio)):
                x, y = tap.trace(trace)
                line.x, line.y = x.tolist(), (y + base).tolist()
            times, bits = kept.arrays()
            with_fields = len(decoded) <= FIELD_FRAMES
            for f in decoded:
                t = f.transaction
                x0, x1 = max(t.start, lo), min(t.end, hi)
                fill = (
                    "rgba(214,39,40,0.3)" if t.errors else _OPS.get(t.op, "rgba(148,103,189,0.3)")
                )
                shapes.append(
                    {
                        "type": "rect",
                        "x0": x0,
                        "x1": x1,
                        "y0": -1.4,
                        "y1": 2.7,
                        "fillcolor": fill,
                        "line": {"width": 0},
                        "layer": "below",
                    }
                )
                label = _label(t, f.annotation)
                if fits(x0, x1, label, 6.5):
                    notes.append(
                        {
                            "x": (x0 + x1) / 2,
                            "y": 2.75,
                            "text": label,
                            "showarrow": False,
                            "yanchor": "bottom",
                            "font": {"size": 10},
                        }
                    )
                if with_fields:
                    for box in _frame_fields(f, times, bits, tap.first, tap.last):
                        shapes.append(
                            {
                                "type": "rect",
                                "x0": box.x0,
                                "x1": box.x1,
                                "y0": -1.25,
                                "y1": -0.35,
                                "line": {"width": 1, "color": _GRID},
                                "fillcolor": "rgba(214,39,40,0.35)"
                                if box.error
                                else "rgba(128,128,128,0.12)",
                            }
                        )
                        if fits(box.x0, box.x1, box.text, 5.5):
                            notes.append(
                                {
                                    "x": (box.x0 + box.x1) / 2,
                                    "y": -0.8,
                                    "text": box.text,
                                    "showarrow": False,
                                    "font": {"size": 9},
                                }
                            )
        else:
            mdc.x, mdc.y, mdio.x, mdio.y = [], [], [], []
        self.figure.layout.shapes, self.figure.layout.annotations = shapes, notes
        self.figure.layout.yaxis.update(
            title=None,
            tickvals=[-0.8, 0.5, 2.0],
            ticktext=["fields", "MDIO", "MDC"],
            range=[-1.5, 3.4],
        )
        self.figure.layout.title = (
            f"{self.title}: {len(frames)} frame{'s' if len(frames) != 1 else ''}"
        )
        self.mode = "fields" if len(decoded) <= FIELD_FRAMES else "frames"

    def labels(self) -> list[str]:
        """The texts drawn now (frame and field labels)."""
        return [a.text for a in self.figure.layout.annotations]

    def _on_range(self, _axis: Any, xrange: Any) -> None:
        if self._busy or not xrange or xrange[0] is None:
            return
        lo, hi = float(xrange[0]), float(xrange[1])
        self.zoom(max(lo, self.begin - (hi - lo)), hi)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.figure)

    def __repr__(self) -> str:
        return f"<WaveformExplorer {self.title}: {len(self.transactions)} frames, {self.mode}>"


def explore_waveform(
    source: str | Path | Iterable[Transaction],
    *,
    mdc: str | int | None = None,
    mdio: str | int | None = None,
    models: dict[int, str] | None = None,
) -> WaveformExplorer:
    """A zoomable waveform of a capture file (any length: it is streamed) or of
    transactions (synthesised onto the wire)."""
    from physcapy.shell.plots import _synth_reader

    if isinstance(source, (str, Path)):
        from physcapy.capture.decode import decode, open_capture

        path = Path(source)
        frames = list(decode(path, mdc=mdc, mdio=mdio))
        return WaveformExplorer(
            frames, lambda _hi: open_capture(path, mdc, mdio), path.name, models
        )
    items = list(source)
    sessions_models = getattr(source, "models", None) or getattr(
        getattr(source, "meta", None), "models", None
    )
    return WaveformExplorer(
        items,
        lambda hi: _synth_reader(items, hi)[0],
        "transactions",
        models if models is not None else sessions_models,
    )


def explore_timeline(events: Iterable[Event] | Any, phy: str | None = None) -> Any:
    """A zoomable PAL timeline: the states visited (a step line), link up/down, and the
    log lines as markers whose text shows on hover (a plotly ``FigureWidget``)."""
    from physcapy.shell.plots import _profile_states

    go = _plotly()
    from plotly.subplots import make_subplots

    profile = getattr(events, "profile", None)
    items = sorted(getattr(events, "events", events), key=lambda e: e.t)
    if phy is not None:
        items = [e for e in items if e.phy == phy or (e.kind == "log" and not e.phy)]
    states = [e for e in items if e.kind == "state"]
    if not items:
        raise PhyscapyError("no events to draw: the timeline is empty")
    names = {e.data["from"] for e in states} | {e.data["to"] for e in states}
    logs = [e for e in items if e.kind == "log"]
    order = [
        n
        for n in _profile_states(names, (str(e.data.get("text", "")) for e in logs), profile)
        if n in names
    ]
    end = items[-1].t if items[-1].t > items[0].t else items[0].t + 1.0
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.75, 0.25], vertical_spacing=0.04
    )
    if states:
        x = [items[0].t, *(e.t for e in states), end]
        y = [states[0].data["from"], *(e.data["to"] for e in states)]
        fig.add_trace(
            go.Scatter(
                x=x, y=[*y, y[-1]], mode="lines+markers", line={"shape": "hv"}, name="state"
            ),
            1,
            1,
        )
    calls = [e for e in items if e.kind == "adjust_link"]
    if calls:
        link = [int(e.data.get("link", 0)) for e in calls]
        text = [f"{e.data.get('speed')}/{e.data.get('duplex')}" for e in calls]
        fig.add_trace(
            go.Scatter(
                x=[*(e.t for e in calls), end],
                y=[*link, link[-1]],
                text=[*text, text[-1]],
                mode="lines",
                line={"shape": "hv"},
                name="link",
                hovertemplate="%{x:.3f} s: link %{y} %{text}<extra></extra>",
            ),
            2,
            1,
        )
    if logs:
        fig.add_trace(
            go.Scatter(
                x=[e.t for e in logs],
                y=[order[-1] if order else ""] * len(logs),
                mode="markers",
                marker={"symbol": "triangle-down", "size": 9},
                text=[str(e.data.get("text", "")) for e in logs],
                hovertemplate="%{x:.3f} s: %{text}<extra></extra>",
                name="log",
            ),
            1,
            1,
        )
    fig.update_layout(**_layout(height=380, title="PAL timeline (hover a marker for its log line)"))
    fig.update_yaxes(categoryorder="array", categoryarray=order, row=1, col=1, **_axis())
    fig.update_yaxes(
        tickvals=[0, 1], ticktext=["down", "up"], range=[-0.3, 1.3], row=2, col=1, **_axis()
    )
    fig.update_xaxes(**_axis(exponentformat="SI", ticksuffix="s"))
    return go.FigureWidget(fig)
