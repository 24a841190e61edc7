# SPDX-License-Identifier: GPL-2.0-only
"""Waveform synthesis: transactions to MDC/MDIO as a logic analyzer would see them.

Timing follows IEEE 802.3 22.3.4 and 22.2.2.13: MDC idles low; the station (STA)
changes MDIO after MDC's falling edge and both ends sample on the rising edge;
the PHY drives read data (and the second turnaround bit) a short output delay
after the rising edge (0-300 ns allowed); a released line reads 1 (pull-up).
A PHY change is never put where the capture puts the rising edge it follows
(the same sample, or the same tick of a VCD or CSV file): there it would read
as present at that edge, one bit early, where hardware samples it at the next.

    >>> from physcapy.mdio.transactions import Transaction
    >>> s, rate = synth_samples([Transaction(0, 0, 22, "write", 3, 0, 0x9140)],
    ...                         Timing(samplerate=10e6, mdc_hz=2.5e6))
    >>> rate, len(s) > 64 * 4
    (10000000.0, True)

Frames are rendered :data:`CHUNK_FRAMES` at a time (:func:`synth_chunks`), and
:func:`write_capture` writes each chunk before it takes the next transactions, so a
session of millions of transactions is written in the memory a few thousand take.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from physcapy.capture.files import reserve_part
from physcapy.errors import CaptureError, RangeError
from physcapy.mdio import batch
from physcapy.mdio.frames import C22_OPS, C45_OPS
from physcapy.mdio.transactions import Transaction

__all__ = [
    "CHUNK_FRAMES",
    "MAX_SAMPLES",
    "Timing",
    "Waveform",
    "Written",
    "render_samples",
    "synth",
    "synth_chunks",
    "synth_samples",
    "write_capture",
]

#: The largest .sr physcapy synthesises (about 2 minutes at 25 MHz).
MAX_SAMPLES = 4e9
#: Frames rendered at a time by :func:`synth_chunks` and :func:`write_capture`: the
#: memory they use depends on this, not on the number of transactions.  A frame takes
#: about 15 kB while its chunk is rendered and formatted (30 kB with glitches and
#: jitter), so 2048 keep ``physcapy synth`` under 100 MB; larger chunks are no faster.
CHUNK_FRAMES = 2048
#: Samples rendered at a time for a ``.sr`` file (about 10 bytes each while rendered).
_BLOCK_SAMPLES = 1 << 20
#: Decimals of the seconds in a Saleae CSV file written here (nanoseconds).
_CSV_DECIMALS = 9


@dataclass(frozen=True)
class Timing:
    """How frames are clocked onto the wire.

    ``duty`` is the fraction of a period MDC is high; ``sta_delay`` how long after
    the falling edge the STA changes MDIO; ``phy_delay`` how long after the rising
    edge the PHY changes it; ``idle_bits`` extra MDC periods with MDIO released
    before each frame (they lengthen the preamble as seen on the wire);
    ``gap`` seconds MDC stays stopped between frames; ``jitter`` the +-fraction
    each MDC period varies by; ``glitches`` adds a short MDIO pulse between the
    edges of every period.
    """

    samplerate: float = 25e6
    mdc_hz: float = 2.5e6
    duty: float = 0.5
    sta_delay: float | None = None  # default: one sample after the falling edge
    phy_delay: float | None = None  # default: 1.5 samples after the rising edge
    preamble: int = 32
    idle_bits: int = 0
    gap: float | None = None  # default: 4 MDC periods
    jitter: float = 0.0
    glitches: bool = False
    seed: int = 0

    def check(self) -> None:
        if self.samplerate < 4 * self.mdc_hz:
            raise RangeError(
                f"samplerate {self.samplerate:g} Hz is under 4 samples per MDC "
                f"period at {self.mdc_hz:g} Hz: allowed >= {4 * self.mdc_hz:g} Hz"
            )
        if not 0.2 <= self.duty <= 0.8:
            raise RangeError(f"duty {self.duty} is out of range: allowed 0.2-0.8")
        if not 0 <= self.jitter <= 0.3:
            raise RangeError(f"jitter {self.jitter} is out of range: allowed 0-0.3")
        if self.preamble < 0:
            raise RangeError(f"preamble {self.preamble} is not a bit count: allowed 0 or more")


@dataclass
class Waveform:
    """Level changes of MDC and MDIO (times in seconds, levels 0/1), and the end time."""

    mdc_times: npt.NDArray[np.float64]
    mdc_levels: npt.NDArray[np.uint8]
    mdio_times: npt.NDArray[np.float64]
    mdio_levels: npt.NDArray[np.uint8]
    end: float


@dataclass(frozen=True)
class Written:
    """What :func:`write_capture` wrote: the path, the number of frames (one per
    transaction) and where the waveform ends, in seconds."""

    path: Path
    transactions: int
    end: float


@dataclass(frozen=True)
class _Clock:
    """The per-frame constants :func:`synth` derives from a :class:`Timing`."""

    period: float
    sta_delay: float
    phy_delay: float
    gap: float
    pre: int  # idle bits and preamble
    nbits: int  # bits per frame
    samplerate: float
    ticks: float | None  # ticks a second of a file that rounds times (None: sampled)


def _clock(timing: Timing, ticks: float | None = None) -> _Clock:
    timing.check()
    period = 1.0 / timing.mdc_hz
    sample = 1.0 / timing.samplerate
    sta_delay = timing.sta_delay if timing.sta_delay is not None else sample
    phy_delay = timing.phy_delay if timing.phy_delay is not None else 1.5 * sample
    # The STA changes MDIO sta_delay after the falling edge: setup is then
    # (1 - duty) * period - sta_delay and hold duty * period + sta_delay, so a negative
    # delay (a change before the fall) is how a short hold time is synthesized.
    high, low = timing.duty * period, (1 - timing.duty) * period
    if not -high < sta_delay < low:
        raise RangeError(
            f"sta_delay {sta_delay:g} s is out of range: allowed between -{high:g} and "
            f"{low:g} s (MDC's high and low times), exclusive"
        )
    if not 0 < phy_delay < period:
        raise RangeError(
            f"phy_delay {phy_delay:g} s is out of range: allowed above 0 and under one "
            f"MDC period ({period:g} s)"
        )
    gap = timing.gap if timing.gap is not None else 4 * period
    pre = timing.idle_bits + timing.preamble
    return _Clock(period, sta_delay, phy_delay, gap, pre, pre + 32, timing.samplerate, ticks)


def _seen_at(t: npt.NDArray[np.float64], rate: float) -> npt.NDArray[np.float64]:
    """The first sample instant at or after each time: ceil(t * rate), to the ulp
    (where :func:`render_samples` shows a change at ``t``)."""
    at = np.ceil(t * rate)
    at -= (at - 1) / rate >= t
    at += at / rate < t
    return at


def _phy_changes(rises: npt.NDArray[np.float64], clock: _Clock) -> npt.NDArray[np.float64]:
    """When the PHY changes MDIO after each of these rising edges: its output delay
    later, but at the capture's resolution never at the edge's own instant (where
    the new level would be read at that edge, a bit early): in a later sample, or a
    later tick of a file that rounds times to ticks (VCD, CSV)."""
    delayed = rises + clock.phy_delay
    if clock.ticks is None:
        rate = clock.samplerate
        seen = _seen_at(rises, rate)  # the sample that shows the edge
        return np.where(_seen_at(delayed, rate) > seen, delayed, (seen + 0.5) / rate)
    # The tick the edge is written at (the next one from a quarter tick before a tie,
    # where the writer's rounding may differ from this by an ulp), and the tick after.
    edge = np.rint(rises * clock.ticks + 0.25)
    return np.maximum(delayed, (edge + 1) / clock.ticks)


def _frames(transactions: Sequence[Transaction], offset: int = 0) -> np.ndarray:
    st = np.array([1 if t.clause == 22 else 0 for t in transactions], np.uint8)
    ops = np.array([(C22_OPS if t.clause == 22 else C45_OPS)[t.op] for t in transactions], np.uint8)
    reads = np.array([t.op in ("read", "read_inc") for t in transactions])
    bad_ta = np.array(["turnaround" in t.errors for t in transactions])
    # TA: a read samples Z0 as 10 (pull-up, then the PHY's 0); a missing PHY leaves 11.
    ta = np.where(reads & bad_ta, 0b11, 0b10).astype(np.uint8)
    try:
        return batch.frames(
            st=st,
            op=ops,
            phy=np.array([t.phy for t in transactions], np.uint8),
            reg=np.array([t.reg for t in transactions], np.uint8),
            ta=ta,
            data=np.array([t.data for t in transactions], np.uint16),
        )
    except RangeError as exc:
        if not offset:
            raise
        # The index batch names counts from this chunk; the caller's from its first.
        message = re.sub(
            r"at index (\d+)", lambda m: f"at index {int(m.group(1)) + offset}", str(exc), count=1
        )
        raise RangeError(message) from None


def _placed(
    transactions: Iterable[Transaction], clock: _Clock, timing: Timing, chunk: int
) -> Iterator[tuple[list[Transaction], list[float]]]:
    """Transactions in lists of up to ``chunk``, with the time each frame's first bit
    period begins: half a period before its transaction's ``start`` (its first rising
    edge of MDC, where the decoder, like sigrok, samples the first bit) when that
    leaves room, else right after the previous frame and the gap."""
    it = iter(transactions)
    t = clock.gap
    length = clock.nbits * clock.period * (1 + timing.jitter)  # the longest a frame takes
    lead = (1 - timing.duty) * clock.period
    while True:
        ts = list(itertools.islice(it, chunk))
        if not ts:
            return
        starts: list[float] = []
        for tr in ts:
            begin = max(t, tr.start - lead) if tr.start > 0 else t
            starts.append(begin)
            t = begin + length + clock.gap
        yield ts, starts


def _render(
    ts: Sequence[Transaction],
    starts: Sequence[float],
    clock: _Clock,
    timing: Timing,
    rng: np.random.Generator,
    offset: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    """MDC's edges and MDIO's changes (frame by frame, each frame's in time order;
    changes to the level it already has included) of frames beginning at ``starts``.

    One row per frame, as if each were rendered on its own: the random periods are
    drawn frame after frame, and each row is sorted on its own.
    """
    n, nbits, pre, duty = len(ts), clock.nbits, clock.pre, timing.duty
    reads = np.array([t.op in ("read", "read_inc") for t in ts], bool)
    words = batch.encode_words(_frames(ts, offset))
    # Per frame and bit: value and who drives it (True = PHY).
    values = np.array(batch.encode_bits(batch.decode_words(words), preamble=pre), np.uint8)
    begins = np.array(starts, np.float64)[:, None]
    periods: npt.NDArray[np.float64]
    if timing.jitter:
        periods = clock.period * (1 + rng.uniform(-timing.jitter, timing.jitter, (n, nbits)))
        offsets = np.zeros((n, nbits))
        offsets[:, 1:] = np.cumsum(periods[:, :-1], axis=1)
    else:
        periods = np.full((1, nbits), clock.period)
        offsets = np.concatenate(([0.0], np.cumsum(periods[0, :-1])))[None, :]
    falls = begins + offsets
    del offsets
    rises = falls + (1 - duty) * periods
    phy = np.zeros((n, nbits), bool)
    phy[reads, pre + 15 :] = True  # second TA bit and the data come from the PHY
    values[reads, pre + 14] = 1  # first TA bit: released, pulled up
    after_rise = np.empty_like(rises)
    after_rise[:, 0] = rises[:, 0]
    after_rise[:, 1:] = rises[:, :-1]
    after_rise = _phy_changes(after_rise, clock)
    change = np.where(phy, after_rise, falls + clock.sta_delay)
    del after_rise
    # Released after the last bit: by the PHY after its last rising edge, by the STA
    # after the falling edge that ends the frame's last period.
    end = np.where(
        reads,
        _phy_changes(rises[:, -1], clock),
        rises[:, -1] + (duty * periods[:, -1] + clock.sta_delay),
    )
    times = [change, end[:, None]]
    levels = [values, np.ones((n, 1), np.uint8)]
    if timing.glitches:
        # A short pulse between the edges: the inverse level for a tenth of a period.
        # The PHY's bits have none: their slots are put last (+inf) and dropped.
        at = falls + (1 - duty) * periods * 0.45
        glitch_t = np.stack([at, at + periods * 0.1], axis=2).reshape(n, 2 * nbits)
        del at
        glitch_t[np.repeat(phy, 2, axis=1)] = np.inf
        times.append(glitch_t)
        levels.append(np.stack([1 - values, values], axis=2).reshape(n, 2 * nbits))
    t_all = np.concatenate(times, axis=1)
    v_all = np.concatenate(levels, axis=1)
    del times, levels, change, end
    order = np.argsort(t_all, axis=1, kind="stable")
    t_all = np.take_along_axis(t_all, order, axis=1)
    v_all = np.take_along_axis(v_all, order, axis=1)
    del order
    if timing.glitches:
        real = t_all != np.inf
        mdio_t, mdio_v = t_all[real], v_all[real]
    else:
        mdio_t, mdio_v = t_all.reshape(-1), v_all.reshape(-1)
    mdc_t = np.stack([rises, falls + periods], axis=2).reshape(-1)
    return mdc_t, mdio_t, mdio_v


def synth_chunks(
    transactions: Iterable[Transaction],
    timing: Timing = Timing(),
    *,
    chunk_frames: int = CHUNK_FRAMES,
    ticks: float | None = None,
) -> Iterator[Waveform]:
    """:func:`synth`, ``chunk_frames`` frames at a time: the transactions are read as
    the chunks are taken, so memory stays bounded whatever their number.

    ``ticks``: the times are for a file that rounds them to 1/``ticks`` s (a VCD or
    CSV file), instead of sampling at the timing's rate: the PHY's changes are kept
    off its rising edges' ticks rather than samples.

    Each waveform holds the changes of its frames (joined in order, they are
    :func:`synth`'s); its ``end`` is where synth's would end if the transactions
    stopped there, so the last one's is synth's.  No transactions: no chunks.
    """
    if chunk_frames < 1:
        raise RangeError(f"chunk_frames {chunk_frames} is out of range: allowed 1 or more")
    clock = _clock(timing, ticks)  # bad timing is reported here, not at the first chunk
    return _chunks(transactions, timing, clock, chunk_frames)


def _chunks(
    transactions: Iterable[Transaction], timing: Timing, clock: _Clock, chunk: int
) -> Iterator[Waveform]:
    rng = np.random.default_rng(timing.seed)
    level = 1  # MDIO is released before the first frame
    done = 0
    for ts, starts in _placed(transactions, clock, timing, chunk):
        mdc_t, mdio_t, mdio_v = _render(ts, starts, clock, timing, rng, done)
        done += len(ts)
        # Drop changes that do not change the level (cleaner files, same waveform).
        keep = np.empty(mdio_v.size, bool)
        keep[0] = mdio_v[0] != level
        np.not_equal(mdio_v[1:], mdio_v[:-1], out=keep[1:])
        level = int(mdio_v[-1])
        yield Waveform(
            mdc_t,
            np.tile(np.array([1, 0], np.uint8), mdc_t.size // 2),
            mdio_t[keep],
            mdio_v[keep],
            float(max(mdc_t[-1], mdio_t[-1]) + clock.gap),
        )


def synth(transactions: Iterable[Transaction], timing: Timing = Timing()) -> Waveform:
    """Render transactions to MDC/MDIO transitions.

    A frame's first rising edge of MDC is at its transaction's ``start`` time when that
    leaves room, else the frame follows the previous one and its gap; so a capture
    written from transactions decodes to the same times.  The whole waveform is
    held: :func:`synth_chunks` renders it a chunk at a time.
    """
    clock = _clock(timing)
    parts = list(_chunks(transactions, timing, clock, CHUNK_FRAMES))
    if not parts:
        return Waveform(
            np.zeros(0), np.zeros(0, np.uint8), np.zeros(0), np.zeros(0, np.uint8), clock.gap
        )
    if len(parts) == 1:
        return parts[0]
    return Waveform(
        np.concatenate([w.mdc_times for w in parts]),
        np.concatenate([w.mdc_levels for w in parts]),
        np.concatenate([w.mdio_times for w in parts]),
        np.concatenate([w.mdio_levels for w in parts]),
        parts[-1].end,
    )


def render_samples(
    wave: Waveform,
    samplerate: float,
    *,
    start: int = 0,
    stop: int | None = None,
    mdc_bit: int = 0,
    mdio_bit: int = 1,
    dtype: type = np.uint8,
) -> npt.NDArray[np.unsignedinteger]:
    """Samples ``start..stop`` of a waveform (the level at each sample instant)."""
    stop = stop if stop is not None else int(np.ceil(wave.end * samplerate))
    t = np.arange(start, stop, dtype=np.float64) / samplerate
    # A change at exactly a sample instant is visible at that sample.
    mdc_i = np.searchsorted(wave.mdc_times, t, side="right") - 1
    mdio_i = np.searchsorted(wave.mdio_times, t, side="right") - 1
    mdc = np.where(mdc_i >= 0, wave.mdc_levels[np.maximum(mdc_i, 0)], 0)
    mdio = np.where(mdio_i >= 0, wave.mdio_levels[np.maximum(mdio_i, 0)], 1)
    return ((mdc.astype(dtype) << mdc_bit) | (mdio.astype(dtype) << mdio_bit)).astype(dtype)


def synth_samples(
    transactions: Iterable[Transaction], timing: Timing = Timing()
) -> tuple[npt.NDArray[np.unsignedinteger], float]:
    """Render transactions to one sample array (MDC in bit 0, MDIO in bit 1) and its rate."""
    wave = synth(transactions, timing)
    return render_samples(wave, timing.samplerate), timing.samplerate


# -- writing


def _samples_before(t: float, rate: float) -> int:
    """How many sample instants (``i / rate``, i >= 0) come before ``t``."""
    if not t > 0:
        return 0
    n = math.ceil(t * rate)
    while n > 0 and (n - 1) / rate >= t:
        n -= 1
    while n / rate < t:
        n += 1
    return n


def _levels_at(
    times: npt.NDArray[np.float64],
    levels: npt.NDArray[np.uint8],
    start: int,
    stop: int,
    rate: float,
) -> npt.NDArray[np.uint8]:
    """The level at samples ``start..stop``: that of the last change at or before each
    sample instant, as :func:`render_samples` finds it (``times`` sorted, the first
    -inf); a run of samples per change instead of a search per sample."""
    first = int(np.searchsorted(times, start / rate, "right")) - 1  # holds at ``start``
    last = int(np.searchsorted(times, (stop - 1) / rate, "right"))
    t = times[first + 1 : last]
    at = _seen_at(t, rate)
    bounds = np.empty(t.size + 2, np.int64)
    bounds[0], bounds[-1] = start, stop
    bounds[1:-1] = at
    return np.repeat(levels[first:last], np.diff(bounds))


def _drop_before(
    times: npt.NDArray[np.float64], levels: npt.NDArray[np.uint8], t: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    """Changes at or before ``t`` folded into the leading -inf one (the last one's level)."""
    n = int(np.searchsorted(times, t, "right"))
    if n <= 1:
        return times, levels
    return np.concatenate(([-np.inf], times[n:])), np.concatenate((levels[n - 1 : n], levels[n:]))


def _sample_blocks(
    waves: Iterable[Waveform],
    rate: float,
    positions: tuple[int, int],
    channels: int,
    block: int = _BLOCK_SAMPLES,
) -> Iterator[npt.NDArray[np.unsignedinteger]]:
    """The samples of a waveform that arrives in chunks, ``block`` at a time, as
    :func:`render_samples` gives them: the samples before a chunk's first change are
    rendered when it arrives, from the changes still pending (led by one at -inf
    holding the level before them: MDC low, MDIO released)."""
    dtype = np.uint8 if channels <= 8 else np.uint16
    mdc_t, mdc_v = np.array([-np.inf]), np.array([0], np.uint8)
    mdio_t, mdio_v = np.array([-np.inf]), np.array([1], np.uint8)
    done = 0
    end = 0.0
    ordered = True  # every change after the one before it (synth's waveforms are)

    def render(stop: int) -> Iterator[npt.NDArray[np.unsignedinteger]]:
        for lo in range(done, stop, block):
            hi = min(stop, lo + block)
            if ordered:
                mdc = _levels_at(mdc_t, mdc_v, lo, hi, rate)
                mdio = _levels_at(mdio_t, mdio_v, lo, hi, rate)
                both = np.left_shift(mdc.astype(dtype), positions[0])
                yield np.bitwise_or(both, np.left_shift(mdio.astype(dtype), positions[1]))
            else:
                wave = Waveform(mdc_t, mdc_v, mdio_t, mdio_v, 0.0)
                yield render_samples(
                    wave,
                    rate,
                    start=lo,
                    stop=hi,
                    mdc_bit=positions[0],
                    mdio_bit=positions[1],
                    dtype=dtype,
                )

    for wave in waves:
        firsts = [float(t[0]) for t in (wave.mdc_times, wave.mdio_times) if t.size]
        if firsts:
            stop = _samples_before(min(firsts), rate)
            if stop > done:
                yield from render(stop)
                done = stop
                mdc_t, mdc_v = _drop_before(mdc_t, mdc_v, done / rate)
                mdio_t, mdio_v = _drop_before(mdio_t, mdio_v, done / rate)
        for t, before in ((wave.mdc_times, mdc_t), (wave.mdio_times, mdio_t)):
            if t.size and (t[0] < before[-1] or (np.diff(t) < 0).any()):
                ordered = False
        mdc_t = np.concatenate((mdc_t, wave.mdc_times))
        mdc_v = np.concatenate((mdc_v, wave.mdc_levels.astype(np.uint8, copy=False)))
        mdio_t = np.concatenate((mdio_t, wave.mdio_times))
        mdio_v = np.concatenate((mdio_v, wave.mdio_levels.astype(np.uint8, copy=False)))
        end = wave.end
    yield from render(int(np.ceil(end * rate)))


class _Tally:
    """Counts the frames and keeps the end of the chunks passing through."""

    def __init__(self, waves: Iterable[Waveform], nbits: int) -> None:
        self._waves = waves
        self._nbits = nbits
        self.frames = 0
        self.end = 0.0

    def __iter__(self) -> Iterator[Waveform]:
        for wave in self._waves:
            self.frames += wave.mdc_times.size // (2 * self._nbits)
            self.end = wave.end
            yield wave

    def changes(
        self,
    ) -> Iterator[
        tuple[
            npt.NDArray[np.float64],
            npt.NDArray[np.uint8],
            npt.NDArray[np.float64],
            npt.NDArray[np.uint8],
        ]
    ]:
        for wave in self:
            yield wave.mdc_times, wave.mdc_levels, wave.mdio_times, wave.mdio_levels


def _within_limit(waves: Iterable[Waveform], p: Path, rate: float) -> Iterator[Waveform]:
    """The chunks, refusing (before their samples are written) a waveform longer than
    MAX_SAMPLES; the rest is still synthesised, so the message gives its real end."""
    it = iter(waves)
    for wave in it:
        if wave.end * rate > MAX_SAMPLES:
            end = wave.end
            for rest in it:
                end = rest.end
            samples = end * rate
            raise CaptureError(
                f"{p}: the waveform would be {samples:.3g} samples (transactions up to "
                f"{end:.3g} s at {rate:g} samples/s): allowed up to "
                f"{MAX_SAMPLES:.0e}; lower --samplerate or the start times"
            )
        yield wave


def vcd_timescale(samplerate: float) -> str:
    """The VCD tick for a sample rate: the largest 1/10/100 of a unit within one sample
    period, 1 ns at most (a change is then never rounded onto a neighbouring edge).

    >>> vcd_timescale(25e6), vcd_timescale(1e11), vcd_timescale(1e12)
    ('1ns', '10ps', '1ps')
    """
    return _vcd_tick(samplerate)[0]


def _vcd_tick(samplerate: float) -> tuple[str, float]:
    """:func:`vcd_timescale` and its ticks a second."""
    period = 1.0 / samplerate
    for text, per_second in (("1ns", 1e9), ("100ps", 1e10), ("10ps", 1e11), ("1ps", 1e12),
                             ("100fs", 1e13)):  # fmt: skip
        if 1 / per_second <= period * (1 + 1e-9):
            return text, per_second
    return "1fs", 1e15


def write_capture(
    path: str | Path,
    transactions: Iterable[Transaction],
    timing: Timing = Timing(),
    *,
    channels: int = 2,
    positions: tuple[int, int] = (0, 1),
    wave: Waveform | None = None,
    chunk_frames: int = CHUNK_FRAMES,
) -> Written:
    """Synthesise transactions and write them as ``.sr``, ``.vcd``, ``.csv`` (Saleae) or a
    Saleae binary export (a path ending in ``/`` or without extension: a directory).

    The transactions are taken ``chunk_frames`` at a time and each chunk is written
    before the next is read, so an iterator (:func:`~physcapy.capture.session.iter_session`'s)
    is written in bounded memory; ``wave`` writes an already synthesised waveform
    instead.  The file is written as a part file beside ``PATH`` and renamed when complete (a
    binary export's ``digital_<n>.bin.part`` files likewise), so a run that fails,
    even on a bad transaction late in an iterator, leaves an older file as it was.
    Returns the path, the number of transactions written and the waveform's end.
    """
    p = Path(path)
    nbits = timing.preamble + timing.idle_bits + 32
    suffix = p.suffix.lower()
    # The resolution the file keeps times at: VCD ticks, CSV nanoseconds, else samples.
    timescale, per_second = _vcd_tick(timing.samplerate)
    ticks = {".vcd": per_second, ".csv": 10.0**_CSV_DECIMALS}.get(suffix)
    if wave is None:
        waves: Iterable[Waveform] = synth_chunks(
            transactions, timing, chunk_frames=chunk_frames, ticks=ticks
        )
    else:
        waves = [wave]
    names = [f"D{i}" for i in range(channels)]
    if channels < 2 or len(set(positions)) != 2 or max(positions) >= channels:
        raise RangeError(f"positions {positions} do not fit {channels} channels")
    names[positions[0]], names[positions[1]] = "MDC", "MDIO"
    if suffix not in (".sr", ".vcd", ".csv", "", ".bin"):
        raise CaptureError(
            f"{p}: cannot write {suffix!r} captures: allowed .sr, .vcd, .csv, "
            "or a directory for a Saleae binary export"
        )
    it = iter(waves)
    first = next(it, None)  # the first transactions are read before anything is written
    if first is None or first.mdc_times.size == 0:
        raise CaptureError(f"{p}: no transactions to write")
    tally = _Tally(itertools.chain([first], it), nbits)
    if suffix not in (".sr", ".vcd", ".csv"):
        from physcapy.capture.saleae import write_saleae_binary_chunks

        try:  # the export folder writes its own digital_<n>.bin.part files and renames them
            write_saleae_binary_chunks(
                p if suffix == "" else p.parent,
                tally.changes(),
                extra_channels=channels - 2,
                positions=positions,
            )
        except OSError as exc:
            raise CaptureError(f"{p}: cannot write: {exc.strerror or exc}") from None
        return Written(p, tally.frames, tally.end)
    # Files are written beside the target and renamed, so a failed run leaves no half file.
    part: Path | None = None
    try:
        part, target = reserve_part(p)
        if suffix == ".sr":
            from physcapy.capture.sr import write_sr

            rate = timing.samplerate
            blocks = _sample_blocks(_within_limit(tally, p, rate), rate, positions, channels)
            write_sr(part, blocks, rate, names)
        elif suffix == ".vcd":
            from physcapy.capture.vcd import write_vcd_chunks

            write_vcd_chunks(
                part,
                tally.changes(),
                extra_channels=channels - 2,
                positions=positions,
                timescale=timescale,
            )
        else:
            from physcapy.capture.saleae import write_saleae_csv_chunks

            write_saleae_csv_chunks(
                part,
                tally.changes(),
                extra_channels=channels - 2,
                positions=positions,
                decimals=_CSV_DECIMALS,
            )
        os.replace(part, target)
        part = None
    except OSError as exc:
        raise CaptureError(f"{p}: cannot write: {exc.strerror or exc}") from None
    finally:
        if part is not None:
            part.unlink(missing_ok=True)
    return Written(p, tally.frames, tally.end)
