# SPDX-License-Identifier: GPL-2.0-only
"""Pictures for the shell and notebooks: MDIO waveforms, PAL timelines, register history.

Three plots, each drawn with matplotlib (``pip install physcapy[plot]``), each
taking an optional ``ax`` to draw into and returning a
:class:`~physcapy.shell.figure.Plot` (the ``Figure``, shown once in a notebook
whether the result is assigned or not; ``.figure``, ``.axes``, ``.savefig``):

* :func:`plot_waveform`: MDC and MDIO as a logic analyzer shows them, from a
  capture file or from transactions, with every frame shaded and labelled and its
  fields marked under the traces, as sigrok's MDIO decoder draws them;
* :func:`plot_timeline`: what the PAL did -- state, link, speed, carrier, log lines;
* :func:`plot_register_history`: one register's reads over a session, field by field.

matplotlib is imported only when a plot is made; pyplot only by ``Plot.show()``
(a window, from the terminal) or when ``ax`` is the caller's pyplot axes::

    >>> import matplotlib; matplotlib.use("Agg")  # headless, for this example only
    >>> from physcapy.mdio.transactions import Transaction
    >>> fig = plot_waveform([Transaction(0, 0, 22, "read", 1, 1, 0x796D)])
    >>> [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "mdio-frame"]
    ['C22 read PHY 1 BMSR = 0x796d']
    >>> [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "mdio-field"]
    ['PRE 32', 'ST 01', 'OP R', 'PHY 1', 'REG 1 BMSR', 'TA Z0', 'DATA 0x796d']
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['MDC', 'MDIO']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from physcapy.capture.base import UNKNOWN, CaptureReader, SampleBlock, TransitionBlock
from physcapy.errors import PhyscapyError
from physcapy.mdio.transactions import Transaction
from physcapy.shell.figure import INK, Plot, new_figure, themed

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from physcapy.capture.decode import Edges
    from physcapy.capture.session import Session
    from physcapy.pal.events import Event
    from physcapy.registers.regdesc import RegisterSpec
    from physcapy.traffic.annotate import Annotation

__all__ = ["MAX_LEVEL_CHANGES", "plot_register_history", "plot_timeline", "plot_waveform"]

#: Level changes one trace of :func:`plot_waveform` may hold: a window with more is
#: refused (narrow it) rather than read into memory and drawn as a solid block.
MAX_LEVEL_CHANGES = 1_000_000
#: Frames labelled in one waveform; beyond this only their spans are drawn.
_MAX_LABELS = 200
#: MDC rising edges read past the window's end before decoding stops: a frame that
#: begins inside the window is complete after at most 64 more bits.
_EDGES_AFTER = 70
#: MDC rising edges kept from before the window: a frame (at most 32 preamble bits and
#: 32 more) that ends inside it began at most this many edges before its first.
_EDGES_BEFORE = 64

_OP_COLORS = {"read": "tab:blue", "read_inc": "tab:blue", "write": "tab:orange"}


# ------------------------------------------------------------------------------------------
# Shared helpers


_F = TypeVar("_F", bound=Any)


def _themed(plot: _F) -> _F:
    """Draw ``plot`` in the ink that reads on the light and the dark theme, on a
    transparent figure (see :data:`~physcapy.shell.figure.INK`)."""

    @wraps(plot)
    def draw(*args: Any, **kwargs: Any) -> Plot:
        with themed():
            return cast(Plot, plot(*args, **kwargs))

    return cast(_F, draw)


def _new_axes(ax: Axes | None, ratios: Sequence[float], size: tuple[float, float]) -> list[Axes]:
    """``len(ratios)`` axes stacked top to bottom and sharing x.

    Without ``ax`` they fill a new figure that pyplot does not manage (the returned
    :class:`~physcapy.shell.figure.Plot` shows it, once); with ``ax`` its place in
    the grid is split and ``ax`` becomes the top one.
    """
    if ax is None:
        fig = new_figure(size)
        if len(ratios) == 1:
            return [fig.add_subplot()]
        grid = fig.add_gridspec(len(ratios), 1, height_ratios=list(ratios))
        top = fig.add_subplot(grid[0])
        return [top, *(fig.add_subplot(grid[i], sharex=top) for i in range(1, len(ratios)))]
    if len(ratios) == 1:
        return [ax]
    spec = ax.get_subplotspec()
    parent = _figure(ax)
    if spec is None:
        # An axes placed by hand (fig.add_axes): the others go just below its box.
        height = 1.0 / sum(ratios)
        out = [ax]
        below = 0.0
        for r in ratios[1:]:
            below += r * height
            out.append(ax.inset_axes((0.0, -below - 0.08 * len(out), 1.0, r * height), sharex=ax))
        return out
    sub = spec.subgridspec(len(ratios), 1, height_ratios=list(ratios))
    ax.set_subplotspec(sub[0])
    return [ax, *(parent.add_subplot(sub[i], sharex=ax) for i in range(1, len(ratios)))]


def _figure(ax: Axes) -> Figure:
    """The top-level figure ``ax`` is drawn in (through any subfigure)."""
    from matplotlib.figure import Figure

    fig = ax.get_figure(root=False)
    while fig is not None and not isinstance(fig, Figure):
        fig = fig.get_figure(root=False)
    if fig is None:
        raise PhyscapyError("the axes given belong to no figure")
    return fig


def _seconds_axis(ax: Axes) -> None:
    from matplotlib.ticker import EngFormatter

    # Frames last microseconds and sessions seconds: engineering prefixes fit both.
    ax.xaxis.set_major_formatter(EngFormatter(unit="s"))


def _lane(ax: Axes, base: float, scale: float = 1.0) -> Any:
    """A transform that draws raw values (0/1, a field's value) in a lane starting at
    ``base``: the line keeps the true values as its data, so they read back unchanged."""
    from matplotlib.transforms import Affine2D

    return Affine2D().scale(1.0, scale).translate(0.0, base) + ax.transData


def _seconds(what: str, value: float | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PhyscapyError(f"{what} {value!r} is not a time in seconds") from None
    if not math.isfinite(number):
        raise PhyscapyError(f"{what} {value!r} is not a time in seconds: allowed a finite number")
    return number


# ------------------------------------------------------------------------------------------
# Waveform


class _WindowTap(CaptureReader):
    """A reader that passes another's blocks through and keeps, on the way, the MDC and
    MDIO level changes inside ``[lo, hi]`` -- and nothing else, so memory is bounded by
    the window whatever the capture's length."""

    def __init__(self, inner: CaptureReader, lo: float, hi: float, limit: int):
        self.inner = inner
        self.path = inner.path
        self.channels = inner.channels
        self.mdc, self.mdio = inner.mdc, inner.mdio
        self.samplerate = inner.samplerate
        self.initial = inner.initial
        self.kind = inner.kind
        self.lo, self.hi, self.limit = lo, hi, limit
        self.begin: float | None = None  # where the capture starts
        self.read_to = -math.inf  # how far it has been read
        self.first: float | None = None  # time of the window's first level
        self.last = -math.inf  # time of its last sample (or its end, for transitions)
        # Per trace (0 = MDC, 1 = MDIO): level at ``first``, then the changes.
        self.level_at_first = [0, 0]
        self.levels = list(self.initial)  # the level now, while reading
        self.times: tuple[list[npt.NDArray[np.float64]], ...] = ([], [])
        self.values: tuple[list[npt.NDArray[np.uint8]], ...] = ([], [])
        self.count = [0, 0]

    def blocks(self) -> Iterator[SampleBlock | TransitionBlock]:
        for block in self.inner.blocks():
            if isinstance(block, SampleBlock):
                self._samples(block)
            else:
                self._transitions(block)
            yield block
            if self.past_window():
                return  # MDC stopped after the window: the rest of the file is not needed

    def past_window(self) -> bool:
        """Read as far past the window's end as the window is long (1 ms at least): a
        frame begun inside it that has not ended by then was given up."""
        opened = self.begin if self.lo == -math.inf else self.lo
        length = max(self.hi - (opened or 0.0), 1e-3)
        return self.read_to > self.hi + length

    def close(self) -> None:
        self.inner.close()

    def _keep(self, trace: int, times: npt.NDArray[np.float64], values: npt.NDArray[Any]) -> None:
        if not times.size:
            return
        self.count[trace] += times.size
        if self.count[trace] > self.limit:
            name = ("MDC", "MDIO")[trace]
            raise PhyscapyError(
                f"window {_span(self.lo, self.hi)} holds more than {self.limit} {name} level "
                f"changes: too many to draw; narrow it with start= and end="
            )
        self.times[trace].append(times.astype(np.float64))
        self.values[trace].append(values.astype(np.uint8))

    def _samples(self, block: SampleBlock) -> None:
        assert self.samplerate is not None
        rate = self.samplerate
        s = block.samples
        n0 = block.start
        if self.begin is None:
            self.begin = n0 / rate
        self.read_to = (n0 + s.size) / rate
        # Sample numbers inside the window, clipped to this block.
        i0 = 0 if self.lo == -math.inf else max(0, math.ceil(self.lo * rate - 1e-9) - n0)
        i1 = (
            s.size
            if self.hi == math.inf
            else min(s.size, math.floor(self.hi * rate + 1e-9) - n0 + 1)
        )
        if i0 >= i1:
            return
        part = s[i0:i1]
        opening = self.first is None
        if opening:
            self.first = (n0 + i0) / rate
        self.last = (n0 + i1 - 1) / rate
        for trace, bit in enumerate((self.mdc, self.mdio)):
            level = ((part >> bit) & 1).astype(np.uint8)
            if opening:
                # The trace starts at the window's first sample: no change there.
                self.level_at_first[trace] = int(level[0])
            before = self.level_at_first[trace] if opening else self.levels[trace]
            changed = np.flatnonzero(np.diff(level, prepend=np.uint8(before)))
            self._keep(trace, (n0 + i0 + changed) / rate, level[changed])
            self.levels[trace] = int(level[-1])

    def _transitions(self, block: TransitionBlock) -> None:
        if self.begin is None:
            self.begin = block.t_begin
        self.read_to = block.t_end
        start = max(self.lo, block.t_begin)
        # The window opens in this block ([t_begin, t_end)) when its start falls inside.
        opening = self.first is None and start < block.t_end and start <= self.hi
        first = start if opening else self.first
        for trace, (times, levels) in enumerate(
            ((block.mdc_times, block.mdc_levels), (block.mdio_times, block.mdio_levels))
        ):
            if opening:
                # Its first level is the one in force there (a change at that very
                # instant included).
                k = int(np.searchsorted(times, start, side="right")) - 1
                self.level_at_first[trace] = int(levels[k]) if k >= 0 else self.levels[trace]
            if first is not None and block.t_begin <= self.hi:
                keep = (times > first) & (times <= self.hi)
                self._keep(trace, times[keep], levels[keep])
            if levels.size:
                self.levels[trace] = int(levels[-1])
        if opening:
            self.first = start
        if first is not None and block.t_begin <= self.hi:
            self.last = max(self.last, min(self.hi, block.t_end))

    def trace(self, trace: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Step points of one trace over the window: its first level, each change, and
        the last level held to the window's end (UNKNOWN drawn half-way)."""
        assert self.first is not None
        parts_t = [np.array([self.first]), *self.times[trace], np.array([self.last])]
        first = np.array([self.level_at_first[trace]], np.uint8)
        parts_v = [first, *self.values[trace]]
        values = np.concatenate(parts_v)
        values = np.concatenate((values, values[-1:]))
        y = np.where(values == UNKNOWN, 0.5, values).astype(np.float64)
        return np.concatenate(parts_t), y


def _span(lo: float, hi: float) -> str:
    a = "start of capture" if lo == -math.inf else f"{lo:.9g} s"
    b = "end of capture" if hi == math.inf else f"{hi:.9g} s"
    return f"{a} to {b}"


class _WaveReader(CaptureReader):
    """Synthesised transitions (:func:`physcapy.capture.synth.synth`) as a capture."""

    kind = "synth"

    def __init__(self, wave: Any):
        self.path = Path("<transactions>")
        self.channels = ["MDC", "MDIO"]
        self.mdc, self.mdio = 0, 1
        self.initial = (0, 1)  # MDC idles low, a released MDIO reads 1 (synth's rules)
        self.wave = wave

    def blocks(self) -> Iterator[TransitionBlock]:
        w = self.wave
        yield TransitionBlock(
            0.0, float(w.end), w.mdc_times, w.mdc_levels, w.mdio_times, w.mdio_levels
        )


@dataclass
class _Frame:
    transaction: Transaction
    annotation: Annotation
    preamble: int = 32  # the ones just before ST, as the decoder counted them


class _EdgeKeeper:
    """The MDC rising edges (time, MDIO level sampled) a window's frames need: the
    ``_EDGES_BEFORE`` before it (a frame ending inside began at most that many
    earlier), every one inside, and up to ``_EDGES_AFTER`` after it."""

    def __init__(self, lo: float, hi: float):
        self.lo, self.hi = lo, hi
        self.times: list[npt.NDArray[np.float64]] = [np.zeros(0)]
        self.bits: list[npt.NDArray[np.uint8]] = [np.zeros(0, np.uint8)]
        self.inside = False  # the first list entries are the edges before the window
        self.after = 0

    def add(self, edges: Edges) -> None:
        t, b = edges.times, edges.bits
        i = int(np.searchsorted(t, self.lo, side="left"))
        j = int(np.searchsorted(t, self.hi, side="right"))
        if i and not self.inside:  # before the window: only the last few matter
            self.times = [np.concatenate((self.times[0], t[:i]))[-_EDGES_BEFORE:]]
            self.bits = [np.concatenate((self.bits[0], b[:i]))[-_EDGES_BEFORE:]]
        k = min(t.size, j + max(_EDGES_AFTER - self.after, 0))
        if k > i:
            self.inside = True
            self.after += max(k - max(i, j), 0)
            self.times.append(t[i:k])
            self.bits.append(b[i:k])

    def arrays(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
        return np.concatenate(self.times), np.concatenate(self.bits)


def _read_window(
    reader: CaptureReader, lo: float, hi: float, models: dict[int, str] | None
) -> tuple[_WindowTap, list[_Frame], _EdgeKeeper]:
    """Stream the capture once: keep the window's level changes and MDC edges, and
    decode (and annotate, in order, so that PHY identification follows the traffic)
    its frames."""
    from physcapy.capture.decode import FrameDecoder, edges_from_reader, to_transactions
    from physcapy.traffic.annotate import Annotator

    tap = _WindowTap(reader, lo, hi, MAX_LEVEL_CHANGES)
    decoder = FrameDecoder()
    annotator = Annotator(dict(models or {}))
    frames: list[_Frame] = []
    kept = _EdgeKeeper(lo, hi)

    def take(rows: np.ndarray) -> None:
        for pre, t in zip(rows["preamble"].tolist(), to_transactions(rows), strict=True):
            note = annotator.annotate(t)
            if t.end >= lo and t.start <= hi:
                frames.append(_Frame(t, note, int(pre)))

    edges_after = 0
    edges = edges_from_reader(tap)
    try:
        for chunk in edges:
            kept.add(chunk)
            take(decoder.feed(chunk))
            edges_after += int(np.count_nonzero(chunk.times > hi))
            # Past the window: stop once any frame begun inside it has all its bits.
            if edges_after >= _EDGES_AFTER or tap.past_window():
                break
    finally:
        stop = getattr(edges, "close", None)  # end the generator before its file closes
        if stop is not None:
            stop()
        tap.close()
    take(decoder.finish())
    return tap, frames, kept


def _label(t: Transaction, a: Annotation) -> str:
    """``C22 read PHY 1 BMSR = 0x796d``, with the register name where it is known."""
    errors = f" [{', '.join(t.errors)}]" if t.errors else ""
    if t.clause == 22:
        what = a.name or f"REG {t.reg}"
        if a.key and a.key != str(t.reg):
            what += f" ({a.key})"  # a paged register, or an MMD one reached through 13/14
        return f"C22 {t.op} PHY {t.phy} {what} = 0x{t.data:04x}{errors}"
    where = f"PRTAD {t.phy} DEVAD {t.reg}"
    if a.name:
        where += f" {a.name}"
    elif t.addr is not None:
        where += f" ADDR {t.addr:#06x}"
    return f"C45 {t.op} {where} = 0x{t.data:04x}{errors}"


# The frame's fields after ST (IEEE 802.3 22.2.4.5, 45.3): bit offsets from ST's first bit.
_LAYOUT = (("ST", 0, 2), ("OP", 2, 4), ("PHYAD", 4, 9), ("REGAD", 9, 14), ("TA", 14, 16))
_C45_KINDS = {"PHYAD": "PRTAD", "REGAD": "DEVAD"}
_PREFIX = {"PHYAD": "PHY", "REGAD": "REG", "ADDRESS": "ADDR"}
_OP_LETTERS = {"read": "R", "write": "W", "address": "ADDR", "read_inc": "RI"}
#: The field boxes are opaque light chips (a colour a third strong on white), so that
#: their labels read in dark ink on either theme's background.
_FIELD_INK = "#222222"


def _chip(color: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (1 - 0.3 * (1 - r), 1 - 0.3 * (1 - g), 1 - 0.3 * (1 - b), 1.0)


_FIELD_COLORS = {
    "PRE": "0.8",
    "ST": "tab:cyan",
    "OP": "tab:olive",
    "PHYAD": "tab:green",
    "PRTAD": "tab:green",
    "REGAD": "tab:purple",
    "DEVAD": "tab:purple",
    "TA": "tab:gray",
    "DATA": "tab:blue",
    "ADDRESS": "tab:brown",
}
#: Where the field boxes go: a band under the MDIO trace (which is drawn in 0-1).
_BAND = (-1.25, -0.35)


@dataclass
class _Field:
    """One field's box: its kind (``PRE``, ``ST``, ``OP``, ``PHYAD``/``PRTAD``,
    ``REGAD``/``DEVAD``, ``TA``, ``DATA``/``ADDRESS``), span (s) and label."""

    kind: str
    x0: float
    x1: float
    text: str
    error: bool = False


def _st_index(f: _Frame, times: npt.NDArray[np.float64]) -> int | None:
    """Index in ``times`` of the edge that samples the frame's first ST bit.

    A frame's ``end`` is the edge of its last bit and its ``start`` that of its first
    preamble bit (at most 32 before ST): both are edge times the decoder was given."""
    t = f.transaction

    def find(x: float) -> int | None:
        k = int(np.searchsorted(times, x))
        for i in (k - 1, k):
            if 0 <= i < times.size and abs(times[i] - x) <= 1e-12 * max(1.0, abs(x)):
                return i
        return None

    if "truncated" not in t.errors:
        k = find(t.end)
        if k is not None and k >= 31:
            return k - 31
    k = find(t.start)
    return None if k is None else k + min(f.preamble, 32)


def _field_label(kind: str, f: _Frame, raw: str, partial: bool) -> tuple[str, bool]:
    """``OP R``, ``REG 1 BMSR``, ``TA Z0``...: the text of one field and whether it is
    in error.  ``raw`` are the bits sampled (``X`` for an unknown level)."""
    from physcapy.registers.models import MMD_NAMES

    t, a = f.transaction, f.annotation
    prefix = _PREFIX.get(kind, kind)
    if partial or ("X" in raw and kind not in ("ST", "OP", "TA")):
        return f"{prefix} {raw}…" if partial else f"{prefix} {raw}", True
    if kind == "ST":
        return f"ST {raw}", raw not in ("01", "00")
    if kind == "OP":
        if "bad_opcode" in t.errors or "X" in raw:
            return f"OP {raw}", True
        return f"OP {_OP_LETTERS.get(t.op, raw)}", False
    if kind in ("PHYAD", "PRTAD"):
        return f"{prefix} {t.phy}", False
    if kind == "REGAD":
        name = a.name
        if a.key is not None and "." in a.key:
            name = "MMD_DATA"  # 14 reaching an MMD register: its name is in the frame label
        return f"REG {t.reg}" + (f" {name}" if name else ""), False
    if kind == "DEVAD":
        mmd = MMD_NAMES.get(t.reg)
        return f"DEVAD {t.reg}" + (f" {mmd}" if mmd else ""), False
    if kind == "TA":
        # A read's TA is released (Z: the pull-up's 1), then driven 0 by the PHY; a
        # PHY that never drives it leaves ZZ.
        if t.op in ("read", "read_inc") and "bad_opcode" not in t.errors:
            raw = raw.replace("1", "Z")
        return f"TA {raw}", "turnaround" in t.errors
    return f"{prefix} 0x{t.data:04x}", False


def _frame_fields(
    f: _Frame,
    times: npt.NDArray[np.float64],
    bits: npt.NDArray[np.uint8],
    first: float,
    last: float,
) -> list[_Field]:
    """The boxes of one frame's fields inside ``[first, last]``.

    Each box runs from the MDC rising edge that samples the field's first bit to the
    one that samples the next field's; the last bit of the frame ends at the next
    edge when MDC keeps running, else one bit period (the frame's median) later.
    """
    t = f.transaction
    s = _st_index(f, times)
    n = times.size
    if s is None or not 0 <= s < n:
        return []
    pre = min(f.preamble, 32, s)
    avail = min(32, n - s)  # bits of the frame the edges hold
    spacing = np.diff(times[s - pre : s + avail])
    if not spacing.size:
        return []
    period = float(np.median(spacing))
    stops = np.flatnonzero(np.diff(times[s : s + avail]) > 4 * period)
    if stops.size:  # MDC stopped inside the frame (truncated): its bits end there
        avail = int(stops[0]) + 1
    k = s + avail - 1
    close = k + 1 < n and times[k + 1] - times[k] <= 1.5 * period
    end = float(times[k + 1]) if close else float(times[k]) + period

    def edge(offset: int) -> float:
        return float(times[s + offset]) if offset < avail else end

    c45 = t.clause == 45
    out: list[_Field] = []
    if pre:
        out.append(_Field("PRE", float(times[s - pre]), float(times[s]), f"PRE {pre}"))
    data_kind = "ADDRESS" if c45 and t.op == "address" else "DATA"
    for kind, a, b in (*_LAYOUT, (data_kind, 16, 32)):
        if a >= avail:
            break
        kind = _C45_KINDS.get(kind, kind) if c45 else kind
        stop = min(b, avail)
        raw = "".join("01X"[min(int(v), 2)] for v in bits[s + a : s + stop].tolist())
        text, error = _field_label(kind, f, raw, stop < b)
        out.append(_Field(kind, edge(a), edge(stop), text, error))
    inside = []
    for fld in out:
        if fld.x1 <= first or fld.x0 >= last:
            continue  # a frame partly inside the window keeps the fields inside
        fld.x0, fld.x1 = max(fld.x0, first), min(fld.x1, last)
        inside.append(fld)
    return inside


@cache
def _field_text_class() -> Any:
    """The text of a field box: drawn only while it fits in its box at the current
    scale (so zooming in brings the labels of narrow fields back)."""
    from matplotlib.artist import allow_rasterization
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Text

    class FieldText(Text):
        def __init__(self, x0: float, x1: float, y: float, text: str, **kwargs: Any):
            super().__init__((x0 + x1) / 2, y, text, **kwargs)
            self.box = (x0, x1)
            self.shown = False  # whether the last draw had room for it

        @allow_rasterization
        def draw(self, renderer: RendererBase) -> None:
            self.shown = False
            ax = self.axes
            if renderer is None or ax is None or not self.get_visible():
                return
            (a, _), (b, _) = ax.transData.transform([(self.box[0], 0.0), (self.box[1], 0.0)])
            room = abs(b - a) - cast(float, renderer.points_to_pixels(2.0))
            em = cast(float, renderer.points_to_pixels(self.get_fontsize()))
            # Far too narrow for any font: decided without laying the text out.
            if room < 0.3 * em * len(self.get_text()):
                return
            if self.get_window_extent(renderer).width > room:
                return
            self.shown = True
            super().draw(renderer)

    return FieldText


def _draw_fields(ax: Axes, fields: list[list[_Field]]) -> None:
    """The field boxes (one collection per kind, for speed) and, for the labelled
    frames, their texts."""
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_rgba

    y0, y1 = _BAND
    kinds: dict[str, list[_Field]] = {}
    for per_frame in fields:
        for fld in per_frame:
            kinds.setdefault(fld.kind, []).append(fld)
    for kind, items in kinds.items():
        boxes = PolyCollection(
            [[(f.x0, y0), (f.x0, y1), (f.x1, y1), (f.x1, y0)] for f in items],
            facecolors=[_chip("tab:red" if f.error else _FIELD_COLORS[kind]) for f in items],
            edgecolors=to_rgba(INK, 0.8),
            linewidths=0.5,
            label=kind,
            gid="mdio-fields",
        )
        ax.add_collection(boxes, autolim=False)
    text_class = _field_text_class()
    for per_frame in fields[:_MAX_LABELS]:
        for fld in per_frame:
            label = text_class(
                fld.x0,
                fld.x1,
                (y0 + y1) / 2,
                fld.text,
                ha="center",
                va="center",
                fontsize=7,
                color="tab:red" if fld.error else _FIELD_INK,
                clip_on=True,
                gid="mdio-field",
            )
            ax.add_artist(label)


@_themed
def plot_waveform(
    source: str | Path | CaptureReader | Session | Iterable[Transaction],
    start: float | None = None,
    end: float | None = None,
    *,
    mdc: str | int | None = None,
    mdio: str | int | None = None,
    models: dict[int, str] | None = None,
    ax: Axes | None = None,
) -> Plot:
    """MDC and MDIO over ``[start, end]`` seconds, each frame shaded and labelled.

    Under the traces each frame's fields are boxed as sigrok's MDIO decoder draws
    them -- PRE (the preamble ones seen, at most 32), ST, OP, PHYAD/PRTAD,
    REGAD/DEVAD, TA, DATA (ADDRESS for a Clause 45 address frame) -- each from the
    MDC rising edge that samples its first bit to the one that samples the next
    field's (the frame's last bit ends at the next edge if MDC runs on, else a
    median bit period of the frame later).  The edges are those of the capture (or
    of the synthesised waveform), so slow or jittery clocks line up.  Boxes are
    PolyCollections labelled with their kind (gid ``mdio-fields``); their texts
    (``OP R``, ``REG 1 BMSR``, ``TA Z0``, gid ``mdio-field``) are drawn only while
    they fit in the box at the current scale, and for the first 200 frames, like
    the frame labels (gid ``mdio-frame``).  A frame partly in the window gets the
    (clipped) fields inside it; fields in error (turnaround, opcode, missing bits)
    are red.

    ``source`` is a capture (any format :func:`~physcapy.capture.decode.open_capture`
    reads; ``mdc``/``mdio`` pick its channels) or transactions (a list, a
    :class:`~physcapy.capture.session.Session`), which are synthesised onto the wire first.
    The capture is streamed: only the window's level changes are kept.  Register
    names come from the IEEE set, or the model identified from PHYSID reads, or
    ``models`` (``{address: model}``).
    """
    lo = _seconds("start", start)
    hi = _seconds("end", end)
    if lo is not None and hi is not None and not lo < hi:
        raise PhyscapyError(f"window start {lo:g} s is not before end {hi:g} s")
    lo_f = -math.inf if lo is None else lo
    hi_f = math.inf if hi is None else hi
    if isinstance(source, (str, Path, CaptureReader)):
        from physcapy.capture.decode import open_capture

        reader = source if isinstance(source, CaptureReader) else open_capture(source, mdc, mdio)
        title = str(reader.path.name)
    else:
        if mdc is not None or mdio is not None:
            raise PhyscapyError(
                f"mdc={mdc!r}/mdio={mdio!r} choose a capture's channels: transactions have none"
            )
        reader, title, session_models = _synth_reader(source, hi_f)
        models = models if models is not None else session_models
    tap, frames, kept = _read_window(reader, lo_f, hi_f, models)
    if tap.first is None or not tap.first <= tap.last:
        spans = (
            "holds no data"
            if tap.begin is None
            else f"spans {tap.begin:.9g} s to {tap.read_to:.9g} s"
        )
        raise PhyscapyError(
            f"window {_span(lo_f, hi_f)} is empty: the {title} {spans}; "
            "choose start= and end= inside it"
        )
    first, last = tap.first, tap.last
    frames = [f for f in frames if f.transaction.end >= first and f.transaction.start <= last]
    times, bits = kept.arrays()
    fields = [_frame_fields(f, times, bits, first, last) for f in frames]
    (axes,) = _new_axes(ax, [1.0], (12.0, 4.5))
    _draw_waveform(axes, tap, frames, fields, first, last, title)
    return Plot(_figure(axes), "waveform")


def _synth_reader(
    source: Session | Iterable[Transaction], hi: float
) -> tuple[CaptureReader, str, dict[int, str]]:
    from physcapy.capture.session import Session
    from physcapy.capture.synth import synth

    models: dict[int, str] = {}
    if isinstance(source, Session):
        models = dict(source.meta.models)
        items: Iterable[Transaction] = source.transactions
        title = source.name or "session"
    else:
        items, title = source, "transactions"
    # synth places each frame at its start time or later, never earlier: frames that
    # start after the window cannot reach into it, so they need no rendering.
    ts = [t for t in items if t.start <= hi]
    if not ts:
        raise PhyscapyError(
            f"no transactions to draw{'' if hi == math.inf else f' before {hi:g} s'}"
        )
    return _WaveReader(synth(ts)), title, models


def _draw_waveform(
    ax: Axes,
    tap: _WindowTap,
    frames: list[_Frame],
    fields: list[list[_Field]],
    first: float,
    last: float,
    title: str,
) -> None:
    # MDIO in the lane 0-1, MDC in 1.5-2.5: the lines keep their 0/1 levels as data.
    for trace, (name, base, color) in enumerate(
        (("MDC", 1.5, "tab:green"), ("MDIO", 0.0, "tab:blue"))
    ):
        x, y = tap.trace(trace)
        ax.plot(
            x,
            y,
            drawstyle="steps-post",
            color=color,
            linewidth=0.8,
            label=name,
            transform=_lane(ax, base),
        )
    rotate = len(frames) > 4
    labelled = frames[:_MAX_LABELS]
    for f in frames:
        t = f.transaction
        color = "tab:red" if t.errors else _OP_COLORS.get(t.op, "tab:purple")
        ax.axvspan(max(t.start, first), min(t.end, last), color=color, alpha=0.15, linewidth=0)
    for f in labelled:
        t = f.transaction
        ax.text(
            (max(t.start, first) + min(t.end, last)) / 2,
            2.75,
            _label(t, f.annotation),
            rotation=90 if rotate else 0,
            ha="center",
            va="bottom",
            fontsize=7 if rotate else 8,
            clip_on=True,
            gid="mdio-frame",
        )
    _draw_fields(ax, fields)
    ax.set_xlim(first, last)
    ax.set_ylim(_BAND[0] - 0.2, 7.0 if rotate else 3.5)
    ax.set_yticks([sum(_BAND) / 2, 0.5, 2.0], ["fields", "MDIO", "MDC"])
    ax.set_xlabel("time")
    _seconds_axis(ax)
    more = f", labels for the first {_MAX_LABELS}" if len(frames) > _MAX_LABELS else ""
    ax.set_title(f"{title}: {len(frames)} frame{'s' if len(frames) != 1 else ''}{more}")


# ------------------------------------------------------------------------------------------
# PAL timeline


def _profile_states(names: set[str], logs: Iterable[str], profile: Any) -> list[str]:
    """The state names of the profile, in enum order.

    Events do not say which phylib made them: a Pal or ``profile=`` does; else the
    state names decide (AN/CHANGELINK... are 2.6's, ERROR/CABLETEST v6's), then the
    v6 link message (``100Mbps/Full``), then the PAL's default, linux26.
    """
    from physcapy.pal.constants import Linux6State, State

    if profile is not None:
        modern = str(profile).startswith("linux6")
    else:
        old_only = {s.name for s in State} - {s.name for s in Linux6State}
        new_only = {s.name for s in Linux6State} - {s.name for s in State}
        if names & new_only:
            modern = True
        elif names & old_only:
            modern = False
        else:
            modern = any("Mbps/" in text for text in logs)
    order = [s.name for s in (Linux6State if modern else State)]
    return order + sorted(names - set(order))  # a name no enum has still gets a row


@_themed
def plot_timeline(
    events: Iterable[Event] | Any,
    phy: str | int | None = None,
    ax: Axes | None = None,
    *,
    profile: str | None = None,
) -> Plot:
    """A PAL timeline: state (a step line over the states visited, in the profile's
    order), link and speed (from ``adjust_link``), carrier changes and log lines (those
    close together in time share one label, so they do not overlap).

    ``events`` is an :class:`~physcapy.pal.events.EventLog`, a list of events, or a
    :class:`~physcapy.pal.Pal` (whose profile then names the states).  ``phy`` picks
    one device (``"0:01"`` or its address, 1); all are drawn when None.
    """
    if hasattr(events, "events") and hasattr(events, "profile"):
        profile = profile or str(events.profile)
        events = events.events
    items: list[Event] = sorted(events, key=lambda e: e.t)
    if not items:
        raise PhyscapyError("no events to draw: the timeline is empty")
    devices = sorted({e.phy for e in items if e.kind in ("state", "adjust_link", "carrier")})
    if phy is not None:
        chosen = [
            d
            for d in devices
            if d == phy or (isinstance(phy, int) and d.rpartition(":")[2] == f"{phy:02x}")
        ]
        if not chosen:
            raise PhyscapyError(
                f"no state, link or carrier events of PHY {phy!r}: the events have "
                f"{', '.join(devices) or 'none'}"
            )
        devices = chosen
        items = [e for e in items if e.phy in devices or (e.kind == "log" and not e.phy)]
    t_begin, t_end = items[0].t, items[-1].t
    if t_end <= t_begin:
        t_end = t_begin + 1.0  # a single instant: give it some width
    states = [e for e in items if e.kind == "state"]
    logs = [e for e in items if e.kind == "log"]
    names = {e.data["from"] for e in states} | {e.data["to"] for e in states}
    # The states visited, in the profile's order (a profile has twelve; a run uses a few).
    everything = _profile_states(names, (str(e.data.get("text", "")) for e in logs), profile)
    order = [name for name in everything if name in names] or everything
    row = {name: i for i, name in enumerate(order)}
    seen_speeds: set[int] = set()
    ax_state, ax_link, ax_speed = _new_axes(ax, [3.0, 1.0, 1.2], (12.0, 6.5))

    for device in devices:
        mine = [e for e in states if e.phy == device]
        if mine:
            x = [t_begin, *(e.t for e in mine), t_end]
            y = [row[mine[0].data["from"]], *(row[e.data["to"]] for e in mine)]
            ax_state.plot(x, [*y, y[-1]], drawstyle="steps-post", marker=".", label=device)
        calls = [e for e in items if e.kind == "adjust_link" and e.phy == device]
        if calls:
            x = [*(e.t for e in calls), t_end]
            link = [int(e.data.get("link", 0)) for e in calls]
            # SPEED_UNKNOWN (-1) and 0 are not speeds: the line breaks while unknown.
            speed = [
                float(e.data["speed"]) if int(e.data.get("speed", -1)) > 0 else math.nan
                for e in calls
            ]
            seen_speeds |= {int(s) for s in speed if not math.isnan(s)}
            ax_link.plot(x, [*link, link[-1]], drawstyle="steps-post", label=device)
            ax_speed.plot(x, [*speed, speed[-1]], drawstyle="steps-post", label=device)
        carrier = [e for e in items if e.kind == "carrier" and e.phy == device]
        for on, marker in ((True, "^"), (False, "v")):
            at = [e.t for e in carrier if bool(e.data.get("on")) is on]
            if at:
                ax_link.plot(
                    at,
                    [1.0 if on else 0.0] * len(at),
                    linestyle="none",
                    marker=marker,
                    markersize=8,
                    color="tab:green" if on else "tab:red",
                    label=f"carrier {'on' if on else 'off'}",
                )
    _draw_logs(ax_state, [ax_link, ax_speed], logs)

    ax_state.set_yticks(range(len(order)), order)
    ax_state.set_ylim(-0.5, len(order) - 0.5)
    ax_state.set_ylabel("state")
    ax_state.grid(axis="y", alpha=0.3)
    ax_link.set_yticks([0, 1], ["down", "up"])
    ax_link.set_ylim(-0.3, 1.3)
    ax_link.set_ylabel("link")
    speeds = sorted(seen_speeds)
    ax_speed.set_yticks(speeds, [f"{s:g}" for s in speeds])
    if speeds:
        ax_speed.set_ylim(0, max(speeds) * 1.15)
    ax_speed.set_ylabel("speed (Mb/s)")
    ax_speed.set_xlabel("time")
    ax_state.set_xlim(t_begin, t_end)
    for a in (ax_state, ax_link):
        a.tick_params(labelbottom=False)
    _seconds_axis(ax_speed)
    if len(devices) > 1:
        ax_state.legend(loc="upper left", fontsize=8)
    ax_state.set_title(f"PAL timeline: {', '.join(devices) or 'no device'}")
    return Plot(_figure(ax_state), "timeline")


def _draw_logs(ax: Axes, others: list[Axes], logs: list[Event]) -> None:
    """Log lines as dotted verticals, their text along the top of the state axes.

    Lines logged within 2 % of the time span of the previous label join it (one text,
    one line each: rotated, they stand side by side instead of on top of each other).
    """
    from matplotlib.transforms import blended_transform_factory

    on_top = blended_transform_factory(ax.transData, ax.transAxes)
    lo, hi = ax.get_xlim() if not logs else (logs[0].t, logs[-1].t)
    near = 0.02 * max(hi - lo, 1e-9)
    groups: list[tuple[float, list[str]]] = []
    for e in logs[:_MAX_LABELS]:
        text = str(e.data.get("text", ""))
        text = text if len(text) <= 48 else text[:47] + "…"
        for a in (ax, *others):
            a.axvline(e.t, color="0.6", linestyle=":", linewidth=0.8)
        if groups and e.t - groups[-1][0] <= near:
            groups[-1][1].append(text)
        else:
            groups.append((e.t, [text]))
    for t, texts in groups:
        ax.text(
            t,
            0.98,
            "\n".join(texts),
            transform=on_top,
            rotation=90,
            ha="left",
            va="top",
            fontsize=7,
            color=INK,
            clip_on=True,
            gid="pal-log",
        )


# ------------------------------------------------------------------------------------------
# Register history


def _where(key: str | None, t: Transaction) -> tuple[str, int, int] | None:
    """An annotation's register key as (space, devad-or-page, address)."""
    if key is None:
        return None
    if ":" in key:
        page, _, reg = key.partition(":")
        if reg == "?":
            return None  # an indirect register selected before the capture
        if not page[:1].isdigit():  # an indirect space: EXT:0xa001, AUX:0x7
            return (f"ind:{page}", 0, int(reg, 0))
        return ("page", int(page, 0), int(reg, 0))
    if "." in key:
        devad, _, addr = key.partition(".")
        return ("mmd", int(devad, 0), int(addr, 0))
    return ("c22", 0, int(key, 0))


def _spec_where(spec: RegisterSpec) -> tuple[str, int, int]:
    if spec.space is not None:
        return (f"ind:{spec.space}", 0, spec.address)
    if spec.devad is not None:
        return ("mmd", spec.devad, spec.address)
    if spec.page is not None:
        return ("page", spec.page, spec.address)
    return ("c22", 0, spec.address)


def _key_text(where: tuple[str, int, int]) -> str:
    space, outer, address = where
    if space.startswith("ind:"):
        return f"{space[4:]}:{address:#x}"
    if space == "mmd":
        return f"{outer}.{address}"
    return f"{outer:#x}:{address}" if space == "page" else str(address)


def _reads(
    source: str | Path | Session | Iterable[Transaction], phy: int, model_name: str | None
) -> tuple[str, list[tuple[float, tuple[str, int, int] | None, int]], Any, float]:
    """Every answered read at ``phy``: (time, where, value); and the model, end time."""
    from physcapy.capture.session import Session, read_session
    from physcapy.registers.models import model
    from physcapy.traffic.annotate import Annotator

    if isinstance(source, (str, Path)):
        source = read_session(source)
    if isinstance(source, Session):
        title = Path(source.name).name or "session"
        models: dict[int, str] = dict(source.meta.models)
        items: Iterable[Transaction] = source.transactions
    else:
        title, models, items = "transactions", {}, source
    if model_name is not None:
        models[phy] = model_name
    annotator = Annotator(dict(models))
    out: list[tuple[float, tuple[str, int, int] | None, int]] = []
    end = -math.inf
    for t in items:
        a = annotator.annotate(t)
        end = max(end, t.end)
        if t.phy != phy or t.op not in ("read", "read_inc") or t.errors:
            continue
        where = _where(a.key, t)
        if where is None and t.clause == 22 and a.model is None and t.reg not in (13, 14):
            where = ("c22", 0, t.reg)  # read before the part was identified: plain C22
        out.append((t.start, where, t.data))
    m = annotator.model_at(phy) or model()
    return title, out, m, end


@_themed
def plot_register_history(
    session_or_transactions: str | Path | Session | Iterable[Transaction],
    phy: int,
    reg: int | str,
    *,
    fields: Sequence[str] | None = None,
    model: str | None = None,
    ax: Axes | None = None,
) -> Plot:
    """One register's value over a session's reads, and one step line per field.

    ``reg`` is a number, a name (``"BMSR"``) or ``"DEVAD.REG"`` of the PHY's model
    (from the session's metadata, ``model=``, or identified from PHYSID reads);
    ``fields`` are the fields to draw (default: every single-bit field).  Reads
    through registers 13/14 count as reads of the MMD register they reach.
    """
    title, reads, m, end = _reads(session_or_transactions, phy, model)
    spec = m.register(reg)
    where = _spec_where(spec)
    points = [(t, value) for t, w, value in reads if w == where]
    if not points:
        seen = sorted({w for _, w, _ in reads if w is not None})
        listing = ", ".join(_key_text(w) for w in seen) or "none"
        raise PhyscapyError(
            f"no answered reads of {spec.name} (register {spec.key}) at PHY {phy} in "
            f"{title}: registers read there: {listing}"
        )
    chosen = (
        [spec.field(name) for name in fields]
        if fields is not None
        else [f for f in spec.named_fields if f.width == 1]
    )
    times = [t for t, _ in points]
    values = [v for _, v in points]
    # The last value holds until the traffic ends.
    x = [*times, max(end, times[-1])]
    ax_value, ax_fields = _new_axes(ax, [1.0, max(1.0, 0.35 * len(chosen))], (12.0, 7.0))
    ax_value.plot(x, [*values, values[-1]], drawstyle="steps-post", marker=".", label=spec.name)
    from matplotlib.ticker import FuncFormatter

    # Ticks at the values read (a locator's round numbers mean nothing in hex).
    distinct = sorted(set(values))
    if len(distinct) <= 8:
        ax_value.set_yticks(distinct)
    ax_value.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"0x{int(v) & 0xFFFF:04x}"))
    changes = [k for k in range(len(values)) if k == 0 or values[k] != values[k - 1]]
    for k in changes[:_MAX_LABELS]:
        ax_value.annotate(
            f"0x{values[k]:04x}",
            (times[k], values[k]),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=7,
        )
    ax_value.set_ylabel(spec.name)
    ax_value.tick_params(labelbottom=False)
    ticks = []
    for i, f in enumerate(chosen):
        base = (len(chosen) - 1 - i) * 1.5  # MSB-first fields read top to bottom
        raw = [f.extract(v) for v in values]
        ax_fields.plot(
            x,
            [*raw, raw[-1]],
            drawstyle="steps-post",
            label=f.name,
            transform=_lane(ax_fields, base, 1.0 / max(1, f.maximum)),
        )
        if f.width > 1:  # a multi-bit field: write each new value where it starts
            shown = [k for k in range(len(raw)) if k == 0 or raw[k] != raw[k - 1]]
            for k in shown[:_MAX_LABELS]:
                ax_fields.text(
                    x[k], base + 1.05, f.meaning(raw[k]) if f.enum else hex(raw[k]), fontsize=7
                )
        # A shaded band per field, so each line reads against its own name.
        ax_fields.axhspan(
            base - 0.2, base + 1.2, color=INK, alpha=0.12 if i % 2 else 0.05, zorder=0
        )
        ticks.append((base + 0.5, f.name))
    ax_fields.set_yticks([t for t, _ in ticks], [n for _, n in ticks])
    ax_fields.set_ylim(-0.3, max(1.5 * len(chosen), 1.5))
    # On the right, each lane's values: 0 and 1 (or the enum's names, lowest and highest).
    right = ax_fields.secondary_yaxis("right")  # a child of ax_fields, not a new axes
    marks: list[tuple[float, str]] = []
    for i, f in enumerate(chosen):
        base = (len(chosen) - 1 - i) * 1.5
        lo_text, hi_text = (f.meaning(0), f.meaning(f.maximum)) if f.enum else ("0", str(f.maximum))
        marks += [(base, lo_text[:16]), (base + 1.0, hi_text[:16])]
    right.set_yticks([m for m, _ in marks], [t for _, t in marks], fontsize=7)
    ax_fields.set_xlabel("time")
    ax_value.set_xlim(times[0], x[-1] if x[-1] > times[0] else times[0] + 1.0)
    _seconds_axis(ax_fields)
    ax_value.set_title(f"{spec.name} ({spec.key}) of PHY {phy} in {title}: {len(points)} reads")
    return Plot(_figure(ax_value), "register history")
