# SPDX-License-Identifier: GPL-2.0-only
"""MDIO timing analysis: does a captured bus meet IEEE 802.3 22.3.4?

22.3.4 (MDIO timing relationship to MDC) asks of the wire:

* MDC: period at least 400 ns, high and low at least 160 ns each;
* MDIO driven by the STA: set up at least 10 ns before, and held at least 10 ns after,
  the MDC rising edge at which it is sampled;
* MDIO driven by the PHY (turnaround's second bit and a read's data): valid 0-300 ns
  after the rising edge that precedes the bit.

Clause 45's MDIO (45.5) uses the same MDC/MDIO timing relationship at its 1.2 V levels,
so Clause 45 frames are checked against the same figures.

Every figure carries the capture's resolution: an edge seen at sample *n* happened
somewhere in the sample period before it, so a measured interval is known only to
within one resolution step either way.  A limit is passed or failed only when the
whole uncertainty lies on one side of it, otherwise it is "not resolvable at ..."::

    >>> from physcapy.capture.synth import Timing, synth
    >>> from physcapy.mdio.transactions import Transaction
    >>> w = synth([Transaction(0, 0, 22, "read", 1, 1, 0x796D)],
    ...           Timing(samplerate=1e9, sta_delay=20e-9, phy_delay=100e-9))
    >>> r = analyse_waveform(w, 1e-9)
    >>> r.checks["setup"].verdict, round(r.setup.minimum * 1e9)
    ('pass', 180)
    >>> r.checks["output_delay"].verdict, round(r.output_delay.maximum * 1e9)
    ('pass', 100)

The capture streams through in blocks, memory bounded by a block (issue 20: within 2x
of ``physcapy decode``; ``benchmarks/timing.py``).  A thread reads each block and finds
its edges in one pass over the samples (:class:`_Extractor`), in whole sample ticks;
the analyser walks the frames and measures every edge with whole-array passes, using
each rise's count of MDIO changes to find the changes around it without a search.
The report does not depend on where blocks or steps fall (tests/test_timing_reference.py).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from physcapy.capture.base import UNKNOWN, CaptureReader, SampleBlock, TransitionBlock
from physcapy.capture.threads import prefetch

if TYPE_CHECKING:
    from physcapy.capture.synth import Waveform

__all__ = [
    "LIMITS",
    "Check",
    "Limit",
    "Stat",
    "TimingReport",
    "analyse_waveform",
    "timing",
]

#: Ones before a start that synchronise without a gap (as the decoder: 17 ones can only
#: be preamble or idle, never the inside of a frame).
_SYNC_ONES = 17
#: Rises processed per step, at least; a frame's tail is carried over to the next step.
_STEP = 1 << 16
#: Free entries left in front of a sampled block's edge arrays: the edges a step
#: carries over (a frame's tail, a short run of preamble) go there, not into a copy.
_ROOM = 1 << 12
#: A period this many times the running median is MDC stopping (an idle gap).
_GAP_FACTOR = 2.5
#: Preamble ones counted before a start bit (longer runs count as this many).
_KEEP_ONES = 256
#: Worst cases listed per figure.
_WORST = 5


@dataclass(frozen=True)
class Limit:
    """One limit of 22.3.4: ``minimum`` or ``maximum`` seconds."""

    name: str
    text: str
    minimum: float | None = None
    maximum: float | None = None
    clause: str = "22.3.4"


#: The limits checked, by the figure they apply to.
LIMITS: dict[str, Limit] = {
    "mdc_period": Limit("mdc_period", "MDC period >= 400 ns", minimum=400e-9),
    "mdc_high": Limit("mdc_high", "MDC high time >= 160 ns", minimum=160e-9),
    "mdc_low": Limit("mdc_low", "MDC low time >= 160 ns", minimum=160e-9),
    "setup": Limit("setup", "STA MDIO setup before MDC rise >= 10 ns", minimum=10e-9),
    "hold": Limit("hold", "STA MDIO hold after MDC rise >= 10 ns", minimum=10e-9),
    "output_delay": Limit(
        "output_delay", "PHY MDIO valid 0-300 ns after MDC rise", minimum=0.0, maximum=300e-9
    ),
}


@dataclass
class Stat:
    """Minimum, median and maximum of one figure, and its worst cases
    ``(value, frame, time)`` (smallest for minimum limits, largest for maximum; of equal
    values, the earliest)."""

    count: int = 0
    minimum: float = math.nan
    median: float = math.nan
    maximum: float = math.nan
    worst: list[tuple[float, int, float]] = field(default_factory=list)

    def to_json(self, unit: str = "s") -> dict[str, Any]:
        return {
            "count": self.count,
            f"min_{unit}": _num(self.minimum),
            f"median_{unit}": _num(self.median),
            f"max_{unit}": _num(self.maximum),
            "worst": [{f"value_{unit}": v, "frame": f, "time_s": t} for v, f, t in self.worst],
        }


@dataclass(frozen=True)
class Check:
    """A limit against what was measured: ``pass``, ``fail``, ``not resolvable`` (the
    resolution straddles the limit) or ``not measured`` (nothing to measure)."""

    limit: Limit
    verdict: str
    measured: float
    resolution: float

    def to_json(self) -> dict[str, Any]:
        return {
            "limit": self.limit.text,
            "clause": self.limit.clause,
            "verdict": self.verdict,
            "measured_s": _num(self.measured),
            "resolution_s": self.resolution,
        }


@dataclass
class TimingReport:
    """What :func:`timing` found; ``to_json()`` is the documented object."""

    source: str
    resolution: float
    frames: int = 0
    reads: int = 0
    mdc_hz: Stat = field(default_factory=Stat)
    mdc_period: Stat = field(default_factory=Stat)
    mdc_high: Stat = field(default_factory=Stat)
    mdc_low: Stat = field(default_factory=Stat)
    duty: Stat = field(default_factory=Stat)
    jitter: float = math.nan
    setup: Stat = field(default_factory=Stat)
    hold: Stat = field(default_factory=Stat)
    output_delay: Stat = field(default_factory=Stat)
    release: Stat = field(default_factory=Stat)
    preambles: dict[int, int] = field(default_factory=dict)
    gaps: Stat = field(default_factory=Stat)
    ta_first_low: int = 0
    no_answer: int = 0
    checks: dict[str, Check] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "resolution_s": self.resolution,
            "frames": self.frames,
            "reads": self.reads,
            "mdc": {
                "frequency": self.mdc_hz.to_json("hz"),
                "period": self.mdc_period.to_json(),
                "high": self.mdc_high.to_json(),
                "low": self.mdc_low.to_json(),
                "duty": self.duty.to_json("fraction"),
                "jitter_s": _num(self.jitter),
            },
            "preambles": {str(k): v for k, v in sorted(self.preambles.items())},
            "idle_gaps": self.gaps.to_json(),
            "setup": self.setup.to_json(),
            "hold": self.hold.to_json(),
            "output_delay": self.output_delay.to_json(),
            "turnaround": {
                "reads": self.reads,
                "first_bit_low": self.ta_first_low,
                "no_answer": self.no_answer,
                "release": self.release.to_json(),
            },
            "checks": {name: c.to_json() for name, c in self.checks.items()},
        }

    def text(self) -> str:
        """A short table: each check, then the worst frames of what did not pass."""
        res = _ns(self.resolution)
        lines = [
            f"{self.source}: {self.frames} frames ({self.reads} reads), resolution {res}",
            f"MDC {_hz(self.mdc_hz.minimum)} .. {_hz(self.mdc_hz.median)} .. "
            f"{_hz(self.mdc_hz.maximum)}, duty {_pct(self.duty.minimum)}-"
            f"{_pct(self.duty.maximum)}, jitter {_ns(self.jitter)} (std dev)",
            "preambles: "
            + (", ".join(f"{n} bits x{c}" for n, c in sorted(self.preambles.items())) or "none"),
            f"idle gaps: {self.gaps.count}"
            + (
                f" ({_ns(self.gaps.minimum)} .. {_ns(self.gaps.maximum)})"
                if self.gaps.count
                else ""
            ),
            f"turnaround: {self.no_answer} read(s) unanswered, {self.ta_first_low} with the "
            f"first TA bit low; bus released {_ns(self.release.maximum)} after the last "
            "data bit at worst",
            "",
            f"{'check':<44} {'measured':>10}  verdict",
        ]
        for name, c in self.checks.items():
            lines.append(f"{c.limit.text:<44} {_ns(c.measured):>10}  {c.verdict}")
            if c.verdict in ("fail", "not resolvable"):
                for value, frame, t in getattr(self, name).worst[:3]:
                    lines.append(f"    frame {frame} at {t:.9f} s: {_ns(value)}")
        return "\n".join(lines)


def _num(x: float) -> float | None:
    return None if math.isnan(x) else x


def _ns(x: float) -> str:
    if math.isnan(x):
        return "-"
    if abs(x) < 1e-9:
        return f"{x * 1e12:.0f} ps"
    return f"{x * 1e9:.1f} ns" if abs(x) < 1e-6 else f"{x * 1e6:.3f} us"


def _hz(x: float) -> str:
    return "-" if math.isnan(x) else f"{x / 1e6:.3f} MHz"


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{x * 100:.0f}%"


# -- collecting the figures --------------------------------------------------------------


def _median(values: npt.NDArray[Any]) -> float:
    """``np.median(values)``, counted instead of partitioned for whole numbers in a
    small range (a steady clock's periods are a handful of values, which partitioning
    handles at its slowest)."""
    if values.dtype.kind in "iu" and values.size:
        lo = int(values.min())
        span = int(values.max()) - lo
        if span < 1 << 16:
            cumulative = np.cumsum(np.bincount(values - lo, minlength=span + 1))
            n = values.size
            below = int(np.searchsorted(cumulative, (n - 1) // 2, side="right"))
            above = int(np.searchsorted(cumulative, n // 2, side="right"))
            return (below + above) / 2 + lo
    return float(np.median(values))


def _count(q: npt.NDArray[Any], lo: int, hi: int) -> npt.NDArray[np.int64]:
    """How many of ``q`` (whole numbers, all in [lo, hi]) are lo, lo + 1, ... hi.

    A steady clock's periods are one value, or a crystal's N and N + 1 ticks: then a
    comparison counts them, where bincount takes three passes."""
    if hi == lo:
        return np.array([q.size], np.int64)
    if hi == lo + 1:
        first = np.count_nonzero(q == lo)
        return np.array([first, q.size - first], np.int64)
    return np.bincount(q)[lo:] if lo < 1 << 12 else np.bincount(q - lo)


class _Figure:
    """Values of one figure: exact minimum and maximum, a histogram for the median
    (bins of the resolution, 100 ps at the finest; bounded memory whatever the capture's
    length, values past the histogram in a small counter) and the worst cases.

    Values come in units of ``1 / per_unit`` seconds (the capture's ticks), so a sampled
    capture's intervals are whole sample counts: their own histogram bins, no rounding.
    The worst cases are the ``_WORST`` smallest (or largest) values, ties going to the
    earlier frame: each batch is offered in time order, so a batch whose best value only
    ties the worst case kept needs no search at all (the usual case on a steady bus).
    """

    BINS = 1 << 16

    def __init__(self, step: float, smallest_worst: bool, per_unit: float = 1.0):
        self.step = max(step, 1e-10)
        self.per_unit = per_unit
        self.ratio = self.step * per_unit  # value units per histogram bin
        self.exact = abs(self.ratio - 1.0) < 1e-9
        self.hist = np.zeros(self.BINS, np.int64)
        self.over: Counter[int] = Counter()
        self.lo: float = math.inf
        self.hi: float = -math.inf
        self.smallest = smallest_worst
        # (key, frame, time in seconds), key the value (or minus it for largest-worst),
        # sorted: the first is the worst case.
        self.worst: list[tuple[float, int, float]] = []
        self.moments: list[float] = [0.0, 0.0, 0.0]  # count, sum, sum of squares

    def add(
        self,
        values: npt.NDArray[Any],
        locate: Callable[[npt.NDArray[np.intp]], tuple[npt.NDArray[Any], npt.NDArray[Any]]]
        | None = None,
        moments: bool = False,
    ) -> None:
        """Add ``values``; ``locate(indexes)`` gives the frame numbers and times (seconds)
        of values, asked only for the few that may be worst cases.  ``moments`` keeps
        their sum and sum of squares (for the jitter)."""
        if not values.size:
            return
        vmin, vmax = values.min(), values.max()
        self.lo = min(self.lo, vmin.item())
        self.hi = max(self.hi, vmax.item())
        whole = values.dtype.kind in "iu" and self.exact
        if whole:
            q, qmin, qmax = values, int(vmin), int(vmax)
        else:
            q = np.rint(values / self.ratio).astype(np.int64)
            qmin, qmax = int(q.min()), int(q.max())
        if moments and not whole:  # whole values: the histogram has the moments
            f = values.astype(np.float64)
            self.moments[0] += f.size
            self.moments[1] += float(f.sum())
            self.moments[2] += float((f * f).sum())
        if qmin >= 0 and qmax < self.BINS:
            self.hist[qmin : qmax + 1] += _count(q, qmin, qmax)
        else:
            q = np.maximum(q, 0)
            inside = q < self.BINS
            self.hist += np.bincount(q[inside], minlength=self.BINS)
            if not inside.all():
                keys, counts = np.unique(q[~inside], return_counts=True)
                self.over.update(dict(zip(keys.tolist(), counts.tolist(), strict=True)))
        if locate is not None:
            self._offer(values, vmin.item() if self.smallest else vmax.item(), locate)

    def add_counted(self, values: npt.NDArray[Any], counts: npt.NDArray[np.int64]) -> None:
        """Add each of ``values`` ``counts`` times (no worst cases)."""
        if not values.size:
            return
        self.lo = min(self.lo, values.min().item())
        self.hi = max(self.hi, values.max().item())
        if values.dtype.kind in "iu" and self.exact:
            q = values.astype(np.int64)
        else:
            q = np.rint(values / self.ratio).astype(np.int64)
        q = np.maximum(q, 0)
        inside = q < self.BINS
        np.add.at(self.hist, q[inside], counts[inside])
        if not inside.all():
            self.over.update(dict(zip(q[~inside].tolist(), counts[~inside].tolist(), strict=True)))

    def _offer(
        self,
        values: npt.NDArray[Any],
        best: float,
        locate: Callable[[npt.NDArray[np.intp]], tuple[npt.NDArray[Any], npt.NDArray[Any]]],
    ) -> None:
        sign = 1 if self.smallest else -1
        if len(self.worst) >= _WORST:
            key, frame, t = self.worst[-1]
            if sign * best > key:
                return
            if sign * best == key:
                f0, t0 = locate(np.zeros(1, np.intp))
                if (int(f0[0]), float(t0[0])) >= (frame, t):
                    return  # a tie, no earlier than the worst cases kept
        keys = values if self.smallest else -values
        if keys.size > _WORST:
            kth = np.partition(keys, _WORST - 1)[_WORST - 1]
            below = np.flatnonzero(keys < kth)
            ties = np.flatnonzero(keys == kth)[: _WORST - below.size]
            idx = np.sort(np.concatenate((below, ties)))
        else:
            idx = np.arange(keys.size)
        frames, times = locate(idx)
        self.worst.extend(zip(keys[idx].tolist(), frames.tolist(), times.tolist(), strict=True))
        self.worst.sort()
        del self.worst[_WORST:]

    def stat(self) -> Stat:
        total = int(self.hist.sum()) + sum(self.over.values())
        if not total:
            return Stat()
        half = (total + 1) // 2
        cumulative = np.cumsum(self.hist)
        if cumulative[-1] >= half:
            median = float(np.searchsorted(cumulative, half)) * self.step
        else:
            seen = int(cumulative[-1])
            median = self.hi / self.per_unit
            for key in sorted(self.over):
                seen += self.over[key]
                if seen >= half:
                    median = key * self.step
                    break
        lo, hi = self.lo / self.per_unit, self.hi / self.per_unit
        sign = 1 if self.smallest else -1
        worst = [(sign * k / self.per_unit, f, t) for k, f, t in self.worst]
        median = min(max(median, lo), hi)
        return Stat(total, lo, median, hi, worst)

    def std(self) -> float:
        """Standard deviation of the values added with ``moments`` (seconds)."""
        if self.exact and not self.moments[0]:
            # Whole values: exact integer moments from the histogram (no cancellation).
            q = np.flatnonzero(self.hist)
            c = self.hist[q]
            count = int(c.sum()) + sum(self.over.values())
            total = int((q * c).sum()) + sum(k * v for k, v in self.over.items())
            squares = sum(int(x) * int(x) * int(y) for x, y in zip(q, c, strict=True))
            squares += sum(k * k * v for k, v in self.over.items())
            if count < 2:
                return math.nan
            return math.sqrt(count * squares - total * total) / count / self.per_unit
        n, s, s2 = self.moments
        if n < 2:
            return math.nan
        mean = s / n
        return math.sqrt(max(s2 / n - mean * mean, 0.0)) / self.per_unit


class _BitView:
    """``bits[i]`` as a Python int, converting the array in slices as the walk asks."""

    def __init__(self, bits: npt.NDArray[np.uint8]):
        self.bits = bits
        self.base = 0
        self.cache: list[int] = []

    def __getitem__(self, i: int) -> int:
        k = i - self.base
        if not 0 <= k < len(self.cache):
            self.base = i
            self.cache = self.bits[i : i + 4096].tolist()
            k = 0
        return self.cache[k]


@dataclass
class _Edges:
    """One stretch of a capture: MDC's changes (alternating, the first to ``mdc_first``),
    MDIO's changes, and at each MDC rise the MDIO level there and how many MDIO changes
    the capture had up to it.  Times are in the analyser's units (sample numbers, VCD
    ticks, or seconds when the format has no time base).

    A change in the same sample as a rise, or at the same instant, counts as before it
    (the level sampled there is the new one, as the decoder and sigrok have it).
    """

    mdc_t: npt.NDArray[Any]
    mdc_first: int
    rise_bits: npt.NDArray[np.uint8]
    rise_k: npt.NDArray[np.int64]
    mdio_t: npt.NDArray[Any]
    room: int = 0  # free entries in front of each array (see _ROOM)

    def rises(self) -> int:
        return (self.mdc_t.size + self.mdc_first) // 2


class _Extractor:
    """Blocks of a reader as :class:`_Edges`, carrying levels and counts across blocks.

    A sampled block takes one pass over its samples: the samples where either line
    changes, then which line it was from the XOR of consecutive changed values.  The
    MDIO level at a rise is the rise's own sample; the MDIO changes up to it a running
    count.  That is everything per-rise work needs, with no search later.
    """

    def __init__(self, reader: CaptureReader | None, per_second: float | None):
        self.per_second = per_second
        self.n_mdio = 0  # MDIO changes so far
        self.smallest = math.inf  # the smallest interval seen (formats with no time base)
        if reader is not None and reader.samplerate:
            m, d = 1 << reader.mdc, 1 << reader.mdio
            mdc0, mdio0 = reader.initial
            self.mask = m | d
            self.m, self.d = m, d
            # Other channels' changes would only be skipped: mask them off first when
            # the file has any.
            self.masked = len(reader.channels) > 2 or self.mask > 3
            self.prev = (m if mdc0 == 1 else 0) | (d if mdio0 == 1 else 0)
        # Transitions: the first change is always kept (as a level the format states);
        # MDIO counts as released (1) until it changes.
        self.prev_mdc, self.prev_mdio, self.mdio_level = -1, -1, 1

    def samples(self, block: SampleBlock) -> _Edges:
        """A block of samples' edges (with room in front for carried ones)."""
        s = block.samples
        if self.masked:
            s = s & s.dtype.type(self.mask)
        # ch[i] + 1: the sample of change i (the +1 is added to the positions at the
        # end, not to every change).
        ch = np.flatnonzero(s[1:] != s[:-1]).astype(np.int64, copy=False)
        v = s[1:][ch]
        if s.size and int(s[0]) != self.prev:  # a change at the block's first sample
            ch = np.concatenate((np.full(1, -1, ch.dtype), ch))
            v = np.concatenate((s[:1], v))
        x = np.empty_like(v)
        if v.size:
            x[0] = v[0] ^ v.dtype.type(self.prev)
            np.bitwise_xor(v[1:], v[:-1], out=x[1:])
            self.prev = int(v[-1])
        mi = np.flatnonzero((x & x.dtype.type(self.m)) != 0)  # bool: scanned ~4x faster
        di = np.flatnonzero((x & x.dtype.type(self.d)) != 0)
        first = int(bool(v[mi[0]] & self.m)) if mi.size else 0
        ri = mi[(1 - first) :: 2]  # the rises
        mdc_t = _roomy(mi.size, np.int64)
        np.take(ch, mi, out=mdc_t, mode="clip")  # "raise" would buffer `out`
        mdc_t += block.start + 1
        mdio_t = _roomy(di.size, np.int64)
        np.take(ch, di, out=mdio_t, mode="clip")
        mdio_t += block.start + 1
        rise_bits = _roomy(ri.size, np.uint8)
        np.not_equal(v[ri] & v.dtype.type(self.d), 0, out=rise_bits.view(np.bool_))
        # MDIO changes up to each rise, counted without a pass over the changes: of the
        # changes up to rise j's (ri[j] + 1 of them), 2j + 2 - first changed MDC; the
        # rest changed MDIO only; add those that changed both lines (rare).
        rise_k = _roomy(ri.size, np.int64)
        c = self.n_mdio - (1 - first)
        np.subtract(ri, np.arange(-c, 2 * ri.size - c, 2), out=rise_k)  # ri[j] - 2j + c
        both = np.flatnonzero(x == x.dtype.type(self.mask))
        if both.size:
            rise_k += np.searchsorted(both, ri, side="right")
        self.n_mdio += di.size
        return _Edges(mdc_t, first, rise_bits, rise_k, mdio_t, _ROOM)

    def transitions(
        self,
        mdc_t: npt.NDArray[Any],
        mdc_v: npt.NDArray[np.uint8],
        mdio_t: npt.NDArray[Any],
        mdio_v: npt.NDArray[np.uint8],
    ) -> _Edges:
        """Changes as listed (VCD, Saleae, a synthesized waveform): only the real ones
        kept, in the analyser's units."""
        if self.per_second is None:
            for t in (mdc_t, mdio_t):  # the resolution: estimated from these
                if t.size > 1:
                    d = np.diff(t)
                    d = d[d > 0]
                    if d.size:
                        self.smallest = min(self.smallest, float(d.min()))
        mdc_t, mdc_v, self.prev_mdc = _real_changes(mdc_t, mdc_v, self.prev_mdc)
        mdio_t, mdio_v, self.prev_mdio = _real_changes(mdio_t, mdio_v, self.prev_mdio)
        if self.per_second is not None:
            mdc_t = np.rint(mdc_t * self.per_second).astype(np.int64)
            mdio_t = np.rint(mdio_t * self.per_second).astype(np.int64)
        first = int(mdc_v[0]) if mdc_v.size else 0
        rises = mdc_t[(1 - first) :: 2]
        k = np.searchsorted(mdio_t, rises, side="right")
        levels = np.concatenate(([self.mdio_level], mdio_v)).astype(np.uint8)
        rise_bits = levels[k]
        rise_k = k.astype(np.int64) + self.n_mdio
        self.n_mdio += mdio_t.size
        if mdio_v.size:
            self.mdio_level = int(mdio_v[-1])
        return _Edges(mdc_t, first, rise_bits, rise_k, mdio_t)

    def block(self, block: SampleBlock | TransitionBlock) -> _Edges:
        if isinstance(block, SampleBlock):
            return self.samples(block)
        # An unknown MDC level is no edge; an unknown MDIO level samples as 1 (released).
        known = block.mdc_levels != UNKNOWN
        return self.transitions(
            block.mdc_times[known].astype(np.float64),
            block.mdc_levels[known].astype(np.uint8),
            block.mdio_times.astype(np.float64),
            np.where(block.mdio_levels == UNKNOWN, 1, block.mdio_levels).astype(np.uint8),
        )


def _no_edges() -> _Edges:
    z = np.zeros(0, np.int64)
    return _Edges(z, 0, np.zeros(0, np.uint8), z, z)


def _roomy(n: int, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """``n`` entries to fill, the tail of an array with ``_ROOM`` free ones before."""
    return np.empty(_ROOM + n, dtype)[_ROOM:]


def _in_front(carried: npt.NDArray[Any], a: npt.NDArray[Any], room: int) -> npt.NDArray[Any]:
    """``carried`` then ``a``, written into the free room in front of ``a``."""
    full = a.base
    assert isinstance(full, np.ndarray) and full.size == a.size + room
    k = carried.size
    full[room - k : room] = carried
    return full[room - k :]


def _joined(parts: list[_Edges]) -> _Edges:
    """Consecutive edges as one (only parts with edges count)."""
    parts = [p for p in parts if p.mdc_t.size or p.mdio_t.size]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return _no_edges()
    return _Edges(
        np.concatenate([p.mdc_t for p in parts]),
        next((p.mdc_first for p in parts if p.mdc_t.size), 0),
        np.concatenate([p.rise_bits for p in parts]),
        np.concatenate([p.rise_k for p in parts]),
        np.concatenate([p.mdio_t for p in parts]),
    )


def _real_changes(
    t: npt.NDArray[Any], v: npt.NDArray[np.uint8], prev: int
) -> tuple[npt.NDArray[Any], npt.NDArray[np.uint8], int]:
    """Only the entries that change the level (VCDs and synthesized waveforms also list
    a signal set to the level it has)."""
    if not v.size:
        return t, v, prev
    keep = np.empty(v.size, bool)
    keep[0] = v[0] != prev
    keep[1:] = v[1:] != v[:-1]
    return t[keep], v[keep], int(v[-1])


def _resolution(reader: CaptureReader) -> float | None:
    if reader.samplerate:
        return 1.0 / reader.samplerate
    scale = getattr(reader, "timescale", None)
    return float(scale) if scale else None


def _per_second(resolution: float | None) -> float | None:
    """Ticks per second for a resolution (a whole number when it is one)."""
    if not resolution:
        return None
    x = 1.0 / resolution
    return float(round(x)) if abs(round(x) - x) < 1e-6 * x else x


class _Analyser:
    """Rises of MDC with what happened around them, frame by frame, in steps.

    Times are ticks of ``1 / per_second`` seconds (integers: sample numbers, VCD ticks)
    or, with ``per_second`` None, seconds.
    """

    def __init__(self, resolution: float | None, per_second: float | None = None):
        self.resolution = resolution  # None: estimated from the smallest interval seen
        self.smallest_interval = math.inf
        self.per_second = per_second
        step = resolution or 1e-12
        unit = per_second or 1.0
        self.period = _Figure(step, True, unit)
        self.high = _Figure(step, True, unit)
        self.low = _Figure(step, True, unit)
        self.duty = _Figure(1e-4, True)
        self.setup = _Figure(step, True, unit)
        self.hold = _Figure(step, True, unit)
        self.delay = _Figure(step, False, unit)
        self.release = _Figure(step, False, unit)
        self.gaps = _Figure(step, True, unit)
        self.preambles: Counter[int] = Counter()
        self.frames = self.reads = self.ta_first_low = self.no_answer = 0
        self.median_period: float | None = None
        # Carried between steps: edges not yet used, and where the frame walk is.
        self.parts: list[_Edges] = []
        self.waiting = 0  # rises in parts
        self.mdio_base = 0  # MDIO changes dropped from the front of the carried ones
        # Rises whose hold (or a read's release) waits for MDIO's next change, which
        # the capture has not reached yet: times, frames, and which figure.
        self.pending: list[tuple[_Figure, npt.NDArray[Any], npt.NDArray[np.int64]]] = []
        self.pending_k = 0  # that change's number
        self.last_rise = math.nan
        self.open_pair: tuple[Any, Any] | None = None  # a used rise's time and low time
        self.chained = False

    def seconds(self, t: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return t / self.per_second if self.per_second else t.astype(np.float64)

    # -- input --------------------------------------------------------------------------

    def feed(self, e: _Edges) -> None:
        if len(self.parts) == 1 and e.room:
            c = self.parts[0]  # what the last step carried over: a few edges
            if max(c.mdc_t.size, c.rise_bits.size, c.mdio_t.size) <= e.room:
                room = e.room
                e = _Edges(
                    _in_front(c.mdc_t, e.mdc_t, room),
                    c.mdc_first if c.mdc_t.size else e.mdc_first,
                    _in_front(c.rise_bits, e.rise_bits, room),
                    _in_front(c.rise_k, e.rise_k, room),
                    _in_front(c.mdio_t, e.mdio_t, room),
                )
                self.parts, self.waiting = [], 0
        self.parts.append(e)
        self.waiting += e.rises()
        if self.waiting >= _STEP:
            self._step(False)

    def finish(self) -> None:
        self._step(final=True)

    # -- one step -----------------------------------------------------------------------

    def _step(self, final: bool) -> None:
        e = _joined(self.parts)
        self.parts, self.waiting = [e], e.rises()
        mdio_t = e.mdio_t
        self._resolve(mdio_t)
        if self.open_pair is not None and e.mdc_t.size:
            # The last rise used before, whose fall had not come: the fall is first here.
            at, low = self.open_pair
            self.open_pair = None
            self._high_low(
                e.mdc_t[:1] - at, np.array([low]), _GAP_FACTOR * (self.median_period or math.inf)
            )
        if e.rises() < 2 and (math.isnan(self.last_rise) or not e.rises()):
            if final:
                self.parts = []
            return
        f = 1 - e.mdc_first  # MDC index of the first rise
        rises = e.mdc_t[f::2]
        bits = e.rise_bits
        k = e.rise_k - self.mdio_base  # MDIO changes in mdio_t up to each rise
        # Frames are walked up to the last sync point the data allows: the rest waits.
        d = np.diff(rises)  # the periods, for the walk's idle gaps and the clock's figures
        starts, ones, read, end = self._walk_arrays(rises, bits, final, d)
        use = end  # rises [0, use) are done
        self._clock(e.mdc_t, f, rises, d, use)
        self._frames(rises, bits, k, mdio_t, starts, ones, read)
        if final:
            self.parts, self.pending = [], []
            return
        if use <= 0:
            return
        self.last_rise = float(rises[use - 1])
        # Keep what is not done: MDC from the fall after the last rise used (the next
        # rise's "fall before"), and MDIO from the last change before the next rise.
        nr = rises.size
        keep = max(int(k[use]) - 1 if use < nr else mdio_t.size - 1, 0)
        self.mdio_base += keep
        self.parts = [
            _Edges(
                e.mdc_t[f + 2 * use - 1 :],
                0,
                e.rise_bits[use:],
                e.rise_k[use:],
                mdio_t[keep:],
            )
        ]
        self.waiting = nr - use

    def _resolve(self, mdio_t: npt.NDArray[Any]) -> None:
        """Holds and releases that waited for MDIO's next change, once it is here."""
        j = self.pending_k - self.mdio_base
        if not self.pending or j >= mdio_t.size:
            return
        t = mdio_t[j]
        for figure, times, frames in self.pending:

            def locate(
                i: npt.NDArray[np.intp],
                times: npt.NDArray[Any] = times,
                frames: npt.NDArray[np.int64] = frames,
            ) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
                return frames[i], self.seconds(times[i])

            figure.add(t - times, locate)
        self.pending = []

    def _clock(
        self,
        mdc_t: npt.NDArray[Any],
        f: int,
        rises: npt.NDArray[Any],
        d: npt.NDArray[Any],
        use: int,
    ) -> None:
        """Periods, high and low times and idle gaps of the rises [0, use) (``d``: the
        intervals between all the rises)."""
        if use <= 0:
            return
        periods = d[: use - 1]
        if self.median_period is None and periods.size:
            # The clock's period from the first step (a median: idle gaps do not move it);
            # it tells idle gaps from clocking for the rest of the capture.
            self.median_period = _median(periods)
        limit = _GAP_FACTOR * (self.median_period or math.inf)
        if not math.isnan(self.last_rise):
            # The period from the step before's last rise: on its own, not copied in.
            self._periods(rises[:1] - rises.dtype.type(self.last_rise), limit)
        self._periods(periods, limit)
        # MDC's changes alternate, so the fall after the rise at index j is j + 1 and the
        # fall before it j - 1: the high time is t[j + 1] - t[j], the low t[j] - t[j - 1],
        # for the rises that have both in the buffer.
        first, last = f, f + 2 * (use - 1)
        if last == mdc_t.size - 1 and last >= 1:
            # Its fall is still to come (in the next block): its high time waits.
            self.open_pair = (mdc_t[last], mdc_t[last] - mdc_t[last - 1])
        a = first if first >= 1 else first + 2
        b = min(last, mdc_t.size - 2)
        if a > b:
            return
        at = mdc_t[a : b + 1 : 2]
        high = mdc_t[a + 1 : b + 2 : 2] - at
        low = at - mdc_t[a - 1 : b : 2]
        self._high_low(high, low, limit)

    def _periods(self, periods: npt.NDArray[Any], limit: float) -> None:
        """MDC periods, and the idle gaps (periods over ``limit``)."""
        if periods.size and periods.max() > limit:
            clocking = periods <= limit
            self.gaps.add(periods[~clocking])
            periods = periods[clocking]
        self.period.add(periods, moments=True)

    def _high_low(self, high: npt.NDArray[Any], low: npt.NDArray[Any], limit: float) -> None:
        """High and low times, and the duty cycle, of the periods under ``limit`` (not
        across an idle gap).  ``high`` is used up."""
        if self._pairs(high, low, limit):
            return
        whole = high + low
        if whole.max() > limit:
            ok = whole <= limit
            high, low, whole = high[ok], low[ok], whole[ok]
        self.high.add(high)
        self.low.add(low)
        self.duty.add(high / whole)

    def _pairs(self, high: npt.NDArray[Any], low: npt.NDArray[Any], limit: float) -> bool:
        """High, low and duty from a count of (high, low) pairs, when both are whole
        numbers in a small range: a steady clock has a handful of pairs, so one counting
        pass serves three figures and each duty cycle is divided once, not once per
        period.  False (nothing added) otherwise.  ``high`` is used up."""
        if high.dtype.kind not in "iu" or not high.size:
            return False
        hlo, llo = int(high.min()), int(low.min())
        hspan, lspan = int(high.max()) - hlo + 1, int(low.max()) - llo + 1
        if hspan * lspan > 1 << 16:
            return False
        # Pair (h, l) is number (h - hlo) * lspan + (l - llo).
        if hspan == 1:
            counts = _count(low, llo, llo + lspan - 1)
        else:
            key = high
            key -= hlo
            if lspan > 1:
                key *= lspan
                key += low
                key -= llo
            counts = _count(key, 0, hspan * lspan - 1)
        pairs = np.flatnonzero(counts)
        h, lo, c = pairs // lspan + hlo, pairs % lspan + llo, counts[pairs]
        ok = h + lo <= limit  # not across an idle gap
        h, lo, c = h[ok], lo[ok], c[ok]
        self.high.add_counted(h, c)
        self.low.add_counted(lo, c)
        self.duty.add_counted(h / (h + lo), c)
        return True

    # -- frames ---------------------------------------------------------------------------

    def _gaps(
        self, rises: npt.NDArray[Any], d: npt.NDArray[Any] | None = None
    ) -> npt.NDArray[np.intp]:
        """Indexes of the rises that follow an idle gap (MDC stopped); ``d`` is
        ``np.diff(rises)`` if the caller has it."""
        n = rises.size
        if d is None:
            d = np.diff(rises)
        gap_limit = _GAP_FACTOR * (self.median_period or _median(d))
        after_gap = np.zeros(n, bool)
        if d.size and d.max() > gap_limit:  # one pass when the clock never stops
            after_gap[1:] = d > gap_limit
        after_gap[0] = math.isnan(self.last_rise) or rises[0] - self.last_rise > gap_limit
        return np.flatnonzero(after_gap)

    def _walk(
        self,
        rises: npt.NDArray[Any],
        bits: npt.NDArray[np.uint8],
        final: bool,
        d: npt.NDArray[Any] | None = None,
    ) -> tuple[list[int], list[int], list[bool], int]:
        """:meth:`_walk_arrays` as lists (:meth:`_walk_slow`'s form)."""
        starts, pre, reads, end = self._walk_arrays(rises, bits, final, d)
        return starts.tolist(), pre.tolist(), reads.tolist(), end

    def _walk_arrays(
        self,
        rises: npt.NDArray[Any],
        bits: npt.NDArray[np.uint8],
        final: bool,
        d: npt.NDArray[Any] | None = None,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_], int]:
        """Frame starts (index of ST's first bit), preamble ones and read flags, and the
        index of the first rise not yet used: :meth:`_walk_slow`'s answer, found with
        whole-array passes where the frames need no chain.

        A zero after 17 or more ones (or after a gap) always starts a frame (a frame
        holds at most 16 ones in a row), so those starts need no walk; only frames whose
        short preamble follows the previous frame directly (preamble suppression) are
        chained, a few passes for the usual chains, the walk for anything else.
        """
        n = rises.size
        gaps = self._gaps(rises, d)

        def slow() -> tuple[
            npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_], int
        ]:
            return self._slow_arrays(rises, bits, final, gaps, np.flatnonzero(bits == 0))

        # Only a zero right after a one can start a frame (the walk wants one or more
        # ones before ST): the first zero of each run of zeros, the candidates, with
        # where the run of ones before it begins (the zero before it, plus one).
        flips = np.flatnonzero(bits[1:] != bits[:-1])
        flips += 1
        f = int(bits[flips[0]] != 0) if flips.size else 0
        cands = flips[f::2]
        ones_from = np.zeros(cands.size, np.int64)
        if f:
            ones_from[:] = flips[0::2][: cands.size]
        elif cands.size:
            ones_from[1:] = flips[1::2][: cands.size - 1]
        g = np.searchsorted(gaps, cands, side="right") - 1
        gap_at = np.where(g >= 0, gaps[np.maximum(g, 0)], -1) if gaps.size else g * 0 - 1
        run_from = np.maximum(ones_from, np.maximum(gap_at, 0))
        ones = cands - run_from
        fits = cands + 32 <= n
        # ST's second bit and the opcode after each candidate (past the end: ones,
        # which the fit test rejects anyway).
        padded = np.concatenate((bits, np.ones(3, np.uint8)))
        st1 = padded[cands + 1]
        op = (padded[cands + 2] << 1) | padded[cands + 3]
        valid = fits & ((st1 == 0) | (op == 0b01) | (op == 0b10))
        definite = (ones >= _SYNC_ONES) | ((ones >= 1) & (gap_at == run_from))
        accepted = valid & definite
        # Chains: after a frame's end E the walk takes the first zero past E as the next
        # start when one or more ones (or a gap) lie between (a short preamble).  That
        # zero is the first candidate past E if bit E is a one; if it is a zero, no
        # ones lie between and the chain ends.
        new_ends = cands[accepted] + 32
        if self.chained:
            new_ends = np.concatenate(([0], new_ends))
        for _ in range(64):
            new_ends = new_ends[new_ends < n]
            new_ends = new_ends[padded[new_ends] == 1]
            idx = np.searchsorted(cands, new_ends)
            keep = idx < cands.size
            idx, e = idx[keep], new_ends[keep]
            rf = np.maximum(e, gap_at[idx])
            grow = (cands[idx] - rf >= 1) & valid[idx] & ~accepted[idx]
            if not grow.any():
                break
            accepted[idx[grow]] = True
            new_ends = cands[idx[grow]] + 32
        else:
            return slow()
        starts = cands[accepted]
        if starts.size > 1 and (np.diff(starts) < 32).any():
            return slow()
        # Each start checked against the walk's own rule, with the frame before it known:
        # ones counted from the previous frame's end, the last zero or gap after it.
        pos = np.flatnonzero(accepted)
        k = np.arange(starts.size) - 1
        prev_end = np.where(k >= 0, starts[np.maximum(k, 0)] + 32, 0)
        rf = np.maximum(np.maximum(prev_end, ones_from[pos]), gap_at[pos])
        pre = starts - rf
        chained_before = (ones_from[pos] <= prev_end) & ((k >= 0) | self.chained)
        synced = (pre >= _SYNC_ONES) | ((pre >= 1) & (chained_before | (gap_at[pos] == rf)))
        if not synced.all():
            return slow()
        # Where the walk stops: after the last frame, past the zeros it rejects.
        last_end = int(starts[-1] + 32) if starts.size else 0
        after = np.flatnonzero(bits[last_end:] == 0) + last_end
        rejected = after[after + 32 <= n]
        i = int(rejected[-1]) + 1 if rejected.size else last_end
        waiting = after[after + 32 > n]
        waiting = waiting[waiting >= i]
        stop = int(waiting[0]) if waiting.size else n
        chained = bool(starts.size) and not rejected.size
        if not starts.size:
            chained = self.chained and not rejected.size and i == 0
        end = n if final else min(max(i, stop - _KEEP_ONES), n)
        self.chained = chained and end == i
        st1, op = padded[starts + 1], (padded[starts + 2] << 1) | padded[starts + 3]
        reads = np.where(st1 == 1, op == 0b10, op >= 0b10)
        return starts, pre, reads, end

    def _slow_arrays(
        self,
        rises: npt.NDArray[Any],
        bits: npt.NDArray[np.uint8],
        final: bool,
        gaps: npt.NDArray[np.intp],
        zeros: npt.NDArray[np.intp],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_], int]:
        starts, pre, reads, end = self._walk_slow(rises, bits, final, gaps, zeros)
        return np.array(starts, np.int64), np.array(pre, np.int64), np.array(reads, bool), end

    def _walk_slow(
        self,
        rises: npt.NDArray[np.float64],
        bits: npt.NDArray[np.uint8],
        final: bool,
        gaps: npt.NDArray[np.intp],
        zeros: npt.NDArray[np.intp],
    ) -> tuple[list[int], list[int], list[bool], int]:
        """The frame walk, frame after frame (see :meth:`_walk`)."""
        n = rises.size
        zl = zeros.tolist()
        gl = gaps.tolist()
        # Only a frame's first four bits are looked at here: as Python ints, per frame.
        bl = _BitView(bits)
        starts: list[int] = []
        ones_l: list[int] = []
        read_l: list[bool] = []
        i = 0  # first rise not yet looked at
        chained = self.chained  # the previous frame ended exactly at i
        stop = n  # where the frame that waits for the next step begins (its ST)
        while True:
            zi = bisect_left(zl, i)
            if zi >= len(zl):
                break
            z = zl[zi]
            if z + 32 > n:
                # The frame runs on into the next step (it waits), or the capture ends
                # inside it.
                stop = z
                break
            # The ones before z since i, or since the last gap in between.
            g = bisect_right(gl, z) - 1
            run_from = max(i, gl[g] if g >= 0 else 0)
            ones = z - run_from
            after_gap_run = g >= 0 and gl[g] == run_from
            synced = ones >= _SYNC_ONES or (ones >= 1 and (chained or after_gap_run))
            st1 = bl[z + 1]
            op = bl[z + 2] << 1 | bl[z + 3]
            if not synced or (st1 == 1 and op not in (0b01, 0b10)):
                i, chained = z + 1, False
                continue
            starts.append(z)
            ones_l.append(ones)
            read_l.append(op == 0b10 if st1 == 1 else op in (0b10, 0b11))
            i, chained = z + 32, True
        # A long run of ones waiting for its start bit is kept only as far back as the
        # preamble lengths are counted (and far beyond the 17 ones that synchronise).
        end = n if final else min(max(i, stop - _KEEP_ONES), n)
        self.chained = chained and end == i
        return starts, ones_l, read_l, end

    def _frames(
        self,
        rises: npt.NDArray[Any],
        bits: npt.NDArray[np.uint8],
        k: npt.NDArray[np.int64],
        mdio_t: npt.NDArray[Any],
        s: npt.NDArray[np.int64],
        ones: npt.NDArray[np.int64],
        rd: npt.NDArray[np.bool_],
    ) -> None:
        """Setup, hold, output delay and turnaround of the frames at ``starts``.

        ``k[i]`` is the number of MDIO changes in ``mdio_t`` up to rise i, so the change
        before it is ``mdio_t[k - 1]`` and the one after ``mdio_t[k]``: no search.
        """
        if not s.size:
            return
        base = self.frames
        self.frames += s.size
        self.reads += int(rd.sum())
        lengths, counts = np.unique(ones, return_counts=True)
        self.preambles.update(dict(zip(lengths.tolist(), counts.tolist(), strict=True)))
        m = mdio_t.size
        # STA-driven bits: all 32 of a write, a read's first 14; writes and reads in two
        # batches, each in time order.
        for rows, width in ((np.flatnonzero(~rd), 32), (np.flatnonzero(rd), 14)):
            if rows.size:
                self._sta_bits(rises, k, mdio_t, base + rows, s[rows], width)
        # Reads: who drives in turnaround, and the PHY's output delay.
        sr = s[rd]
        self.ta_first_low += int((bits[sr + 14] == 0).sum())
        answered = bits[sr + 15] == 0
        self.no_answer += int((~answered).sum())
        ans = np.flatnonzero(rd)[answered]
        if not ans.size:
            return
        # PHY-driven bits (TA's second and the data): the first change after the
        # previous rise, if it comes no later than this bit's rise.
        p = (s[ans][:, None] + np.arange(15, 32)[None, :]).reshape(-1)
        kp = k[p - 1]
        prev_r = rises[p - 1]
        nxt = mdio_t[np.minimum(kp, m - 1)] if m else prev_r
        changed = np.flatnonzero((kp < m) & (nxt <= rises[p]))
        self.delay.add(
            nxt[changed] - prev_r[changed],
            lambda j: (base + ans[changed[j] // 17], self.seconds(prev_r[changed[j]])),
        )
        # Release: after the last data bit's rise, the line goes back high.
        last = s[ans] + 31
        low = np.flatnonzero(bits[last] == 0)
        lr = rises[last[low]]
        kl = k[last[low]]
        known = kl < m
        rel_frames = base + ans[low]
        self.release.add(
            mdio_t[kl[known]] - lr[known],
            lambda j: (rel_frames[known][j], self.seconds(lr[known][j])),
        )
        if not known.all():
            self._wait(self.release, lr[~known], rel_frames[~known], m)

    def _sta_bits(
        self,
        rises: npt.NDArray[Any],
        k: npt.NDArray[np.int64],
        mdio_t: npt.NDArray[Any],
        frames: npt.NDArray[np.int64],
        starts: npt.NDArray[np.int64],
        width: int,
    ) -> None:
        """Setup and hold at the first ``width`` rises of each frame (all STA-driven)."""
        idx = (starts[:, None] + np.arange(width)[None, :]).reshape(-1)
        r = rises[idx]
        ks = k[idx]
        m = mdio_t.size

        def at(j: npt.NDArray[np.intp]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
            return frames[j // width], self.seconds(r[j])

        if ks[0] >= 1:  # k only grows: every rise has a change before it
            self.setup.add(r - mdio_t[ks - 1], at)
        else:
            has = np.flatnonzero(ks >= 1)
            self.setup.add(r[has] - mdio_t[ks[has] - 1], lambda j: at(has[j]))
        if ks[-1] < m:  # every rise has a change after it
            self.hold.add(mdio_t[ks] - r, at)
        else:
            cut = int(np.searchsorted(ks, m))  # the rest wait for MDIO's next change
            self.hold.add(mdio_t[ks[:cut]] - r[:cut], at)
            self._wait(self.hold, r[cut:], frames[np.arange(cut, ks.size) // width], m)

    def _wait(
        self, figure: _Figure, times: npt.NDArray[Any], frames: npt.NDArray[np.int64], m: int
    ) -> None:
        """Measure ``times`` to MDIO's next change (number ``m`` of the carried ones)
        when it comes."""
        if times.size:
            self.pending.append((figure, times, frames))
            self.pending_k = self.mdio_base + m

    # -- the report -----------------------------------------------------------------------

    def report(self, source: str) -> TimingReport:
        res = self.resolution
        if res is None:
            res = self.smallest_interval if math.isfinite(self.smallest_interval) else math.nan
        rep = TimingReport(source, res)
        rep.frames, rep.reads = self.frames, self.reads
        rep.ta_first_low, rep.no_answer = self.ta_first_low, self.no_answer
        rep.preambles = dict(self.preambles)
        rep.mdc_period = self.period.stat()
        rep.mdc_high, rep.mdc_low = self.high.stat(), self.low.stat()
        rep.duty = self.duty.stat()
        rep.duty.worst = []
        p = rep.mdc_period
        rep.mdc_hz = Stat(
            p.count,
            1 / p.maximum if p.count else math.nan,
            1 / p.median if p.count else math.nan,
            1 / p.minimum if p.count else math.nan,
        )
        rep.jitter = self.period.std()
        rep.setup, rep.hold = self.setup.stat(), self.hold.stat()
        rep.output_delay, rep.release = self.delay.stat(), self.release.stat()
        rep.gaps = self.gaps.stat()
        rep.gaps.worst = []
        for name, limit in LIMITS.items():
            stat = getattr(rep, name)
            rep.checks[name] = _check(limit, stat, res)
        return rep


def _check(limit: Limit, stat: Stat, res: float) -> Check:
    if not stat.count:
        return Check(limit, "not measured", math.nan, res)
    passes = True
    measured = stat.minimum
    # The true value lies within one resolution step of the measured one; "eps" keeps
    # floating-point noise (200 ns - 40 ns vs 160 ns) from deciding.
    eps = 1e-6 * res
    fails = False
    if limit.minimum is not None:
        passes = stat.minimum - res >= limit.minimum - eps
        fails = stat.minimum + res < limit.minimum - eps
    if limit.maximum is not None:
        measured = stat.maximum
        passes = passes and stat.maximum + res <= limit.maximum + eps
        fails = fails or stat.maximum - res > limit.maximum + eps
    if fails:
        return Check(limit, "fail", measured, res)
    if passes:
        return Check(limit, "pass", measured, res)
    return Check(limit, f"not resolvable at {_ns(res)}", measured, res)


# -- entry points ---------------------------------------------------------------------------
# -- entry points ---------------------------------------------------------------------------


def timing(
    source: str | Path | CaptureReader,
    *,
    mdc: str | int | None = None,
    mdio: str | int | None = None,
) -> TimingReport:
    """Measure a capture's MDC and MDIO timing against 22.3.4, streaming."""
    from physcapy.capture.decode import open_capture

    reader = source if isinstance(source, CaptureReader) else open_capture(source, mdc, mdio)
    try:
        res = _resolution(reader)
        per_second = _per_second(res)
        a = _Analyser(res, per_second)
        x = _Extractor(reader, per_second)
        # Reading and edge finding run a block ahead on their own thread (numpy and zlib
        # let go of the GIL), as the decoder's do.
        for e in prefetch(x.block(block) for block in reader.blocks()):
            a.feed(e)
        a.smallest_interval = x.smallest
        a.finish()
        return a.report(str(reader.path))
    finally:
        if not isinstance(source, CaptureReader):
            reader.close()


def analyse_waveform(w: Waveform, resolution: float) -> TimingReport:
    """The analysis of a synthesized :class:`~physcapy.capture.synth.Waveform` (exact
    times) as if captured at ``resolution`` seconds."""
    q = resolution
    per_second = _per_second(q)
    a = _Analyser(resolution, per_second)
    x = _Extractor(None, per_second)
    # Each change is seen at the first tick at or after it.
    a.feed(
        x.transitions(
            np.ceil(np.asarray(w.mdc_times) / q - 1e-9) * q,
            np.asarray(w.mdc_levels, np.uint8),
            np.ceil(np.asarray(w.mdio_times) / q - 1e-9) * q,
            np.asarray(w.mdio_levels, np.uint8),
        )
    )
    a.finish()
    return a.report("waveform")
