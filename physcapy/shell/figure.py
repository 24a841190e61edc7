# SPDX-License-Identifier: GPL-2.0-only
"""A plot that shows once: what every ``plot_*`` function returns.

A pyplot figure is shown by the inline backend at the end of a cell, and the
returned ``Figure`` once more as the cell's value: the double picture of issue 19.
The plots draw on a plain :class:`matplotlib.figure.Figure` (pyplot never hears of
it) wrapped in a :class:`Plot`, which a notebook shows exactly once per cell:

* as the cell's value when the call ends the cell (the displayhook asks for it);
* otherwise (``p = plot_waveform(...)``, or a call in a loop) at the end of the cell,
  from a ``post_execute`` hook, as pyplot's inline backend would.

Anything else is passed to the figure (``p.axes``, ``p.savefig(...)``), and
``p.show()`` opens it in a pyplot window from the terminal.  When the axes came
from the caller (``ax=``) and pyplot manages their figure, pyplot shows it and the
Plot stays text::

    >>> from matplotlib.figure import Figure
    >>> p = Plot(Figure(), "waveform")
    >>> p, len(p.axes)
    (<Plot waveform: 0 axes; .savefig(path) or .show()>, 0)
    >>> sorted(p._repr_mimebundle_())
    ['image/png', 'text/plain']
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["INK", "Plot", "new_figure", "themed"]

#: The ink of the stored plots: texts, ticks, spines, grid.  A mid grey has about the
#: same contrast (some 4:1) on JupyterLab's light background (#fff) and its dark one
#: (#111), and the figure and axes are transparent, so a PNG in a notebook reads in
#: either theme instead of being a white block on the dark one.  (The zoomable
#: plotly views do the same with their own grey.)
INK = "#808080"

#: matplotlib settings for :func:`themed`.
THEME_RC: dict[str, Any] = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.titlecolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "grid.color": INK,
    "legend.edgecolor": INK,
    "legend.facecolor": "none",
    "legend.framealpha": None,
}


def themed() -> Any:
    """A context in which the plots draw in :data:`INK` on a transparent figure
    (matplotlib reads these settings when each text and axes is made)::

        >>> with themed():
        ...     fig = new_figure((2, 1)); ax = fig.add_subplot(); t = ax.set_title("x")
        >>> fig.get_facecolor()[3], t.get_color()
        (0.0, '#808080')
    """
    from matplotlib import rc_context

    return rc_context(cast(Any, THEME_RC))  # typed as matplotlib's literal keys


def new_figure(size: tuple[float, float]) -> Figure:
    """A figure that pyplot does not manage (so no backend shows it by itself), on an
    Agg canvas (``fig.canvas.draw()`` lays the texts out as a PNG would)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _pyplot_manages(fig: Figure) -> bool:
    import sys

    if "matplotlib.pyplot" not in sys.modules:
        return False
    from matplotlib._pylab_helpers import Gcf

    return any(m.canvas.figure is fig for m in Gcf.get_all_fig_managers())


def kernel_shell() -> Any:
    """The IPython shell when it runs in a Jupyter kernel, else None."""
    import sys

    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


class Plot:
    """A matplotlib figure that a notebook shows once per cell; ``figure`` is the
    :class:`~matplotlib.figure.Figure` itself."""

    def __init__(self, figure: Figure, what: str = "plot"):
        self.figure = figure
        self.what = what
        self._shown = False
        shell = kernel_shell()
        # The caller's pyplot figure (ax= given) is shown by pyplot; show nothing more.
        if shell is not None and not _pyplot_manages(figure):
            self._watch(shell)

    def _watch(self, shell: Any) -> None:
        def end_of_cell(*_: Any) -> None:
            shell.events.unregister("post_execute", end_of_cell)
            if not self._shown:
                from IPython.display import display

                display(self)
            self._shown = False  # evaluated again in a later cell: shown again

        shell.events.register("post_execute", end_of_cell)

    def png(self, dpi: float = 100) -> bytes:
        """The figure as PNG bytes."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        if _pyplot_manages(self.figure):  # pyplot shows it (and forgets it once shown)
            return {"text/plain": repr(self)}
        self._shown = True
        return {"image/png": self.png(), "text/plain": repr(self)}

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def show(self) -> None:
        """Open the figure in a pyplot window (the terminal's way to see it)."""
        import matplotlib.pyplot as plt

        plt.figure(self.figure)
        plt.show()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.figure, name)

    def __repr__(self) -> str:
        return f"<Plot {self.what}: {len(self.figure.axes)} axes; .savefig(path) or .show()>"
