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
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from physcapy.capture.base import UNKNOWN, CaptureReader, SampleBlock, TransitionBlock

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
#: Rises processed per step; a frame's tail is carried over to the next step.
_STEP = 1 << 18
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
    ``(value, frame, time)`` (smallest for minimum limits, largest for maximum)."""

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


class _Figure:
    """Values of one figure: exact minimum and maximum, a histogram for the median
    (bins of the resolution, 100 ps at the finest; bounded memory whatever the capture's
    length, values past the histogram in a small counter) and the worst cases."""

    BINS = 1 << 16

    def __init__(self, step: float, smallest_worst: bool):
        self.step = max(step, 1e-10)
        self.hist = np.zeros(self.BINS, np.int64)
        self.over: Counter[int] = Counter()
        self.lo, self.hi = math.inf, -math.inf
        self.smallest = smallest_worst
        self.heap: list[tuple[float, int, float]] = []

    def add(
        self,
        values: npt.NDArray[np.float64],
        frames: npt.NDArray[np.int64] | None = None,
        times: npt.NDArray[np.float64] | None = None,
    ) -> None:
        if not values.size:
            return
        self.lo = min(self.lo, float(values.min()))
        self.hi = max(self.hi, float(values.max()))
        q = np.rint(values / self.step).astype(np.int64)
        np.clip(q, 0, None, out=q)
        inside = q < self.BINS
        self.hist += np.bincount(q[inside], minlength=self.BINS)
        if not inside.all():
            keys, counts = np.unique(q[~inside], return_counts=True)
            self.over.update(dict(zip(keys.tolist(), counts.tolist(), strict=True)))
        if frames is None or times is None:
            return
        k = min(_WORST, values.size)
        order = np.argpartition(values if self.smallest else -values, k - 1)[:k]
        sign = 1.0 if self.smallest else -1.0
        for i in order.tolist():
            item = (-sign * float(values[i]), int(frames[i]), float(times[i]))
            if len(self.heap) < _WORST:
                heapq.heappush(self.heap, item)
            elif item > self.heap[0]:
                heapq.heapreplace(self.heap, item)

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
            median = self.hi
            for key in sorted(self.over):
                seen += self.over[key]
                if seen >= half:
                    median = key * self.step
                    break
        sign = 1.0 if self.smallest else -1.0
        worst = sorted(((-sign * v, f, t) for v, f, t in self.heap), reverse=not self.smallest)
        median = min(max(median, self.lo), self.hi)
        return Stat(total, self.lo, median, self.hi, worst)


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
    """MDC and MDIO level changes, in seconds."""

    mdc_t: npt.NDArray[np.float64]
    mdc_v: npt.NDArray[np.uint8]
    mdio_t: npt.NDArray[np.float64]
    mdio_v: npt.NDArray[np.uint8]


def _changes(
    bits: npt.NDArray[np.uint8], prev: int, start: int, rate: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    # A change first seen at sample n happened in ((n-1)/rate, n/rate]: n/rate stands
    # for it, and the resolution carries the rest.
    edges = np.flatnonzero(bits[1:] != bits[:-1]) + 1
    if bits.size and bits[0] != prev:
        edges = np.concatenate(([0], edges))
    return (start + edges) / rate, bits[edges]


def _edges(reader: CaptureReader) -> Iterator[_Edges]:
    prev_mdc, prev_mdio = reader.initial
    for block in reader.blocks():
        if isinstance(block, SampleBlock):
            rate = reader.samplerate or 1.0
            s = block.samples
            mdc = ((s >> reader.mdc) & 1).astype(np.uint8)
            mdio = ((s >> reader.mdio) & 1).astype(np.uint8)
            mt, mv = _changes(mdc, prev_mdc, block.start, rate)
            dt, dv = _changes(mdio, prev_mdio, block.start, rate)
            if s.size:
                prev_mdc, prev_mdio = int(mdc[-1]), int(mdio[-1])
            yield _Edges(mt, mv, dt, dv)
        else:
            yield _transition_edges(block)


def _transition_edges(block: TransitionBlock) -> _Edges:
    # An unknown MDC level is no edge; an unknown MDIO level counts as a change (the
    # line is moving) and samples as 1 (released).
    known = block.mdc_levels != UNKNOWN
    mdio_v = np.where(block.mdio_levels == UNKNOWN, 1, block.mdio_levels).astype(np.uint8)
    return _Edges(
        block.mdc_times[known].astype(np.float64),
        block.mdc_levels[known].astype(np.uint8),
        block.mdio_times.astype(np.float64),
        mdio_v,
    )


def _real_changes(
    t: npt.NDArray[np.float64], v: npt.NDArray[np.uint8], prev: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8], int]:
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


class _Analyser:
    """Rises of MDC with what happened around them, frame by frame, in steps."""

    def __init__(self, resolution: float | None):
        self.resolution = resolution  # None: estimated from the smallest interval seen
        self.smallest_interval = math.inf
        step = resolution or 1e-12
        self.period = _Figure(step, True)
        self.high = _Figure(step, True)
        self.low = _Figure(step, True)
        self.duty = _Figure(1e-4, True)
        self.setup = _Figure(step, True)
        self.hold = _Figure(step, True)
        self.delay = _Figure(step, False)
        self.release = _Figure(step, False)
        self.gaps = _Figure(step, True)
        self.preambles: Counter[int] = Counter()
        self.frames = self.reads = self.ta_first_low = self.no_answer = 0
        self.sum = self.sum_sq = 0.0
        self.n_periods = 0
        self.median_period: float | None = None
        # Carried between steps: edges not yet used, and where the frame walk is.
        self.mdc_t = np.zeros(0)
        self.mdc_v = np.zeros(0, np.uint8)
        self.mdio_t = np.zeros(0)
        self.mdio_v = np.zeros(0, np.uint8)
        self.mdio_level = 1
        self.last_rise = math.nan
        self.chained = False
        self.prev_mdc, self.prev_mdio = -1, -1

    # -- input --------------------------------------------------------------------------

    def feed(self, e: _Edges, final: bool = False) -> None:
        mdc_t, mdc_v, self.prev_mdc = _real_changes(e.mdc_t, e.mdc_v, self.prev_mdc)
        mdio_t, mdio_v, self.prev_mdio = _real_changes(e.mdio_t, e.mdio_v, self.prev_mdio)
        self.mdc_t = np.concatenate((self.mdc_t, mdc_t))
        self.mdc_v = np.concatenate((self.mdc_v, mdc_v))
        self.mdio_t = np.concatenate((self.mdio_t, mdio_t))
        self.mdio_v = np.concatenate((self.mdio_v, mdio_v))
        for t in (e.mdc_t, e.mdio_t):
            if t.size > 1:
                d = np.diff(t)
                d = d[d > 0]
                if d.size:
                    self.smallest_interval = min(self.smallest_interval, float(d.min()))
        rises = np.flatnonzero(self.mdc_v == 1)
        if rises.size < _STEP and not final:
            return
        self._step(final)

    def finish(self) -> None:
        self._step(final=True)

    # -- one step -----------------------------------------------------------------------

    def _step(self, final: bool) -> None:
        mdc_t, mdc_v = self.mdc_t, self.mdc_v
        rise_idx = np.flatnonzero(mdc_v == 1)
        if rise_idx.size < 2:
            if final:
                self.mdc_t = self.mdc_t[:0]
            return
        rises = mdc_t[rise_idx]
        # Frames are walked up to the last sync point the data allows: the rest waits.
        bits = self._levels_at(rises)
        starts, ones, read, end = self._walk(rises, bits, final)
        use = end  # rises [0, use) are done
        self._clock(mdc_t, mdc_v, rise_idx, use, final)
        self._frames(rises, bits, starts, ones, read)
        # Keep what is not done: every MDC edge after the last rise used (the fall after
        # it is the next rise's "fall before"), MDIO from two periods before that.
        if final:
            self.mdc_t, self.mdc_v = mdc_t[:0], mdc_v[:0]
            return
        if use <= 0:
            return
        last = float(rises[min(use, rises.size) - 1])
        self.last_rise = last
        k_mdc = int(np.searchsorted(mdc_t, last, side="right"))
        k_mdio = int(np.searchsorted(self.mdio_t, last - 2 * (self.median_period or 0.0)))
        if k_mdio > 0:
            self.mdio_level = int(self.mdio_v[k_mdio - 1])
        self.mdc_t, self.mdc_v = mdc_t[k_mdc:], mdc_v[k_mdc:]
        self.mdio_t, self.mdio_v = self.mdio_t[k_mdio:], self.mdio_v[k_mdio:]

    def _levels_at(self, times: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
        """MDIO at each time, after every change at or before it (as sampled at a rise)."""
        k = np.searchsorted(self.mdio_t, times, side="right") - 1
        out = np.where(k >= 0, self.mdio_v[np.maximum(k, 0)], self.mdio_level)
        return out.astype(np.uint8)

    def _clock(
        self,
        mdc_t: npt.NDArray[np.float64],
        mdc_v: npt.NDArray[np.uint8],
        rise_idx: npt.NDArray[np.intp],
        use: int,
        final: bool,
    ) -> None:
        """Periods, high and low times and idle gaps of the rises [0, use)."""
        if use <= 0:
            return
        rises = mdc_t[rise_idx[:use]]
        if math.isnan(self.last_rise):
            periods = np.diff(rises)
        else:
            periods = np.diff(rises, prepend=self.last_rise)
        if self.median_period is None and periods.size:
            # The clock's period from the first step (a median: idle gaps do not move it);
            # it tells idle gaps from clocking for the rest of the capture.
            self.median_period = float(np.median(periods))
        limit = _GAP_FACTOR * (self.median_period or math.inf)
        clocking = periods <= limit
        c = periods[clocking]
        self.period.add(c)
        self.gaps.add(periods[~clocking])
        self.sum += float(c.sum())
        self.sum_sq += float((c * c).sum())
        self.n_periods += c.size
        # MDC's changes alternate (only real changes are kept), so the fall after the
        # rise at index j is j + 1 and the fall before it j - 1: with d = diff(times),
        # the high time is d[j] and the low time d[j - 1], every other entry.
        d = np.diff(mdc_t)
        first, last = int(rise_idx[0]), int(rise_idx[use - 1])
        a = first if first >= 1 else first + 2
        b = min(last, d.size - 1)
        if a > b:
            return
        high, low = d[a : b + 1 : 2], d[a - 1 : b : 2]
        ok = (high + low) <= limit  # not across an idle gap
        high, low = high[ok], low[ok]
        self.high.add(high)
        self.low.add(low)
        self.duty.add(high / (high + low))

    # -- frames ---------------------------------------------------------------------------

    def _gaps(self, rises: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
        """Indexes of the rises that follow an idle gap (MDC stopped)."""
        n = rises.size
        gap_limit = _GAP_FACTOR * (self.median_period or float(np.median(np.diff(rises))))
        after_gap = np.zeros(n, bool)
        after_gap[1:] = np.diff(rises) > gap_limit
        after_gap[0] = math.isnan(self.last_rise) or rises[0] - self.last_rise > gap_limit
        return np.flatnonzero(after_gap)

    def _walk(
        self, rises: npt.NDArray[np.float64], bits: npt.NDArray[np.uint8], final: bool
    ) -> tuple[list[int], list[int], list[bool], int]:
        """Frame starts (index of ST's first bit), preamble ones and read flags, and the
        index of the first rise not yet used: :meth:`_walk_slow`'s answer, found with
        whole-array passes where the frames need no chain.

        A zero after 17 or more ones (or after a gap) always starts a frame (a frame
        holds at most 16 ones in a row), so those starts need no walk; only frames whose
        short preamble follows the previous frame directly (preamble suppression) are
        chained, a few passes for the usual chains, the walk for anything else.
        """
        n = rises.size
        gaps = self._gaps(rises)
        zeros = np.flatnonzero(bits == 0)
        if not zeros.size:
            return self._walk_slow(rises, bits, final, gaps, zeros)
        prev_zero = np.empty(zeros.size, np.int64)
        prev_zero[0] = -1
        prev_zero[1:] = zeros[:-1]
        g = np.searchsorted(gaps, zeros, side="right") - 1
        gap_at = np.where(g >= 0, gaps[np.maximum(g, 0)], -1) if gaps.size else g * 0 - 1
        run_from = np.maximum(prev_zero + 1, np.maximum(gap_at, 0))
        ones = zeros - run_from
        fits = zeros + 32 <= n
        z3 = np.minimum(zeros + 3, n - 1)
        st1 = bits[np.minimum(zeros + 1, n - 1)]
        op = (bits[np.minimum(zeros + 2, n - 1)].astype(np.int64) << 1) | bits[z3]
        valid = fits & ((st1 == 0) | (op == 0b01) | (op == 0b10))
        definite = (ones >= _SYNC_ONES) | ((ones >= 1) & (gap_at == run_from))
        accepted = valid & definite
        # Chains: after a frame's end E the walk takes the first zero past E as the next
        # start when one or more ones (or a gap) lie between (a short preamble).
        new_ends = zeros[accepted] + 32
        if self.chained:
            new_ends = np.concatenate(([0], new_ends))
        for _ in range(64):
            idx = np.searchsorted(zeros, new_ends)
            keep = idx < zeros.size
            idx, e = idx[keep], new_ends[keep]
            rf = np.maximum(e, gap_at[idx])
            grow = (zeros[idx] - rf >= 1) & valid[idx] & ~accepted[idx]
            if not grow.any():
                break
            accepted[idx[grow]] = True
            new_ends = zeros[idx[grow]] + 32
        else:
            return self._walk_slow(rises, bits, final, gaps, zeros)
        starts = zeros[accepted]
        if starts.size > 1 and (np.diff(starts) < 32).any():
            return self._walk_slow(rises, bits, final, gaps, zeros)
        # Each start checked against the walk's own rule, with the frame before it known:
        # ones counted from the previous frame's end, the last zero or gap after it.
        pos = np.flatnonzero(accepted)
        k = np.arange(starts.size) - 1
        prev_end = np.where(k >= 0, starts[np.maximum(k, 0)] + 32, 0)
        rf = np.maximum(np.maximum(prev_end, prev_zero[pos] + 1), gap_at[pos])
        pre = starts - rf
        chained_before = (prev_zero[pos] + 1 <= prev_end) & ((k >= 0) | self.chained)
        synced = (pre >= _SYNC_ONES) | ((pre >= 1) & (chained_before | (gap_at[pos] == rf)))
        if not synced.all():
            return self._walk_slow(rises, bits, final, gaps, zeros)
        # Where the walk stops: after the last frame, past the zeros it rejects.
        last_end = int(starts[-1] + 32) if starts.size else 0
        after = zeros[zeros >= last_end]
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
        reads = np.where(st1[accepted] == 1, op[accepted] == 0b10, op[accepted] >= 0b10)
        return starts.tolist(), pre.tolist(), reads.tolist(), end

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
        rises: npt.NDArray[np.float64],
        bits: npt.NDArray[np.uint8],
        starts: list[int],
        ones: list[int],
        read: list[bool],
    ) -> None:
        if not starts:
            return
        base = self.frames
        s = np.array(starts, np.int64)
        rd = np.array(read, bool)
        self.frames += s.size
        self.reads += int(rd.sum())
        self.preambles.update(ones)
        frame_no = base + np.arange(s.size)
        offs = np.arange(32)
        idx = s[:, None] + offs[None, :]  # every bit of every frame
        sta = np.ones((s.size, 32), bool)
        sta[rd, 14:] = False  # TA and data of a read: not the STA's
        ta1 = bits[s[rd] + 14]
        ta2 = bits[s[rd] + 15]
        self.ta_first_low += int((ta1 == 0).sum())
        answered = ta2 == 0
        self.no_answer += int((~answered).sum())
        # STA-driven bits: setup and hold around each rise.
        st_idx = idx[sta]
        st_frame = np.broadcast_to(frame_no[:, None], idx.shape)[sta]
        r = rises[st_idx]
        k = np.searchsorted(self.mdio_t, r, side="right")
        before = k - 1
        has_before = before >= 0
        setup = r[has_before] - self.mdio_t[before[has_before]]
        self.setup.add(setup, st_frame[has_before], r[has_before])
        has_after = k < self.mdio_t.size
        hold = self.mdio_t[k[has_after]] - r[has_after]
        self.hold.add(hold, st_frame[has_after], r[has_after])
        # PHY-driven bits of answered reads: the change after the previous rise.
        ans = np.flatnonzero(rd)[answered]
        if ans.size:
            p_idx = (s[ans][:, None] + np.arange(15, 32)[None, :]).reshape(-1)
            p_frame = np.repeat(frame_no[ans], 17)
            prev_r = rises[p_idx - 1]
            this_r = rises[p_idx]
            k = np.searchsorted(self.mdio_t, prev_r, side="right")
            ok = k < self.mdio_t.size
            changed = np.zeros(p_idx.size, bool)
            changed[ok] = self.mdio_t[k[ok]] <= this_r[ok]
            delay = self.mdio_t[k[changed]] - prev_r[changed]
            self.delay.add(delay, p_frame[changed], prev_r[changed])
            # Release: after the last data bit's rise, the line goes back high.
            last = s[ans] + 31
            low_last = bits[last] == 0
            lr = rises[last[low_last]]
            k = np.searchsorted(self.mdio_t, lr, side="right")
            ok = k < self.mdio_t.size
            rel = self.mdio_t[k[ok]] - lr[ok]
            self.release.add(rel, frame_no[ans][low_last][ok], lr[ok])

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
        if self.n_periods > 1:
            mean = self.sum / self.n_periods
            rep.jitter = math.sqrt(max(self.sum_sq / self.n_periods - mean * mean, 0.0))
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
        a = _Analyser(_resolution(reader))
        for e in _edges(reader):
            a.feed(e)
        a.finish()
        return a.report(str(reader.path))
    finally:
        if not isinstance(source, CaptureReader):
            reader.close()


def analyse_waveform(w: Waveform, resolution: float) -> TimingReport:
    """The analysis of a synthesized :class:`~physcapy.capture.synth.Waveform` (exact
    times) as if captured at ``resolution`` seconds."""
    q = resolution
    mdc_t = np.ceil(np.asarray(w.mdc_times) / q - 1e-9) * q
    mdio_t = np.ceil(np.asarray(w.mdio_times) / q - 1e-9) * q
    a = _Analyser(resolution)
    a.feed(
        _Edges(
            mdc_t, np.asarray(w.mdc_levels, np.uint8), mdio_t, np.asarray(w.mdio_levels, np.uint8)
        )
    )
    a.finish()
    return a.report("waveform")
