# SPDX-License-Identifier: GPL-2.0-only
"""The MDIO decoder: MDC/MDIO signals to transactions (design.md §3.4).

MDIO is sampled at each MDC rising edge (IEEE 802.3 22.3.4: the PHY and the
STA both sample on the rising edge).  Frames are found in that bit stream as a
run of ones (the preamble) followed by the start bits, and decoded 32 bits at a
time with the batch codec's arithmetic, chunk by chunk, so memory stays bounded
whatever the capture's length::

    >>> from physcapy.capture.synth import synth_samples
    >>> from physcapy.mdio.transactions import Transaction
    >>> t = [Transaction(0, 0, 22, "read", 1, 1, 0x796D)]
    >>> samples, rate = synth_samples(t)
    >>> [x.data for x in decode_samples(samples, rate)]
    [31085]

Errors a frame can carry: ``short_preamble`` (fewer than 32 ones, still decoded),
``turnaround`` (a read whose second TA bit the PHY did not drive low, or a write
whose TA is not 10), ``bad_opcode`` (Clause 22 OP 00 or 11), ``unknown`` (an x/z
level inside the frame) and ``truncated`` (the capture ends inside the frame).
Bits that cannot belong to a frame (a capture that begins mid-frame) are listed
in :attr:`FrameDecoder.skipped` with their sample position and time.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from physcapy.capture.base import UNKNOWN, CaptureReader, SampleBlock, TransitionBlock
from physcapy.capture.files import check_input
from physcapy.capture.threads import prefetch
from physcapy.capture.words import packed_words
from physcapy.errors import CaptureError, PhyscapyError
from physcapy.mdio.transactions import Transaction

__all__ = [
    "TRANSACTION_DTYPE",
    "Edges",
    "FrameDecoder",
    "decode",
    "decode_arrays",
    "decode_samples",
    "edges_from_reader",
    "open_capture",
    "to_transactions",
]

#: Ones that start a frame before the decoder is synchronised.  Inside a frame at most
#: 16 ones follow each other (DATA 0xffff after TA's 0), so 17 can only be preamble or
#: idle -- the same threshold sigrok's decoder uses.
SYNC_ONES = 17

_C22_OPS = {0b01: "write", 0b10: "read"}
_C45_OPS = {0b00: "address", 0b01: "write", 0b10: "read_inc", 0b11: "read"}
_ERRORS = ("short_preamble", "turnaround", "bad_opcode", "unknown", "truncated")

#: Bulk form of transactions: ``op`` is the wire code, ``addr`` -1 when none,
#: ``errors`` a bit mask over ``short_preamble, turnaround, bad_opcode, unknown,
#: truncated``, ``position`` the sample (or line) of the first preamble bit.
TRANSACTION_DTYPE = np.dtype(
    [
        ("start", np.float64),
        ("end", np.float64),
        ("clause", np.uint8),
        ("op", np.uint8),
        ("phy", np.uint8),
        ("reg", np.uint8),
        ("data", np.uint16),
        ("addr", np.int32),
        ("errors", np.uint8),
        ("preamble", np.int64),
        ("position", np.int64),
    ]
)


class Edges:
    """MDC rising edges: where in the file, the MDIO level sampled there, and when.

    Sample captures give ``rate`` and no ``times``: an edge's time is its sample
    position over the rate, computed only when asked for, since the decoder itself
    counts in samples and needs times for the frames alone.
    """

    __slots__ = ("_times", "bits", "positions", "rate", "t0")

    def __init__(
        self,
        times: npt.NDArray[np.float64] | None,
        positions: npt.NDArray[np.int64],
        bits: npt.NDArray[np.uint8],
        t0: float | None = None,
        *,
        rate: float | None = None,
    ) -> None:
        if times is None and rate is None:
            raise ValueError("Edges need times or a sample rate")
        self._times = times
        self.positions = positions
        self.bits = bits
        self.t0 = t0  # where the capture begins (FrameDecoder reads the first edges')
        self.rate = rate

    @property
    def times(self) -> npt.NDArray[np.float64]:
        if self._times is None:
            assert self.rate is not None
            self._times = self.positions / self.rate
        return self._times

    def __len__(self) -> int:
        return int(self.bits.size)


def _rising(s: npt.NDArray[np.unsignedinteger], mask: int, prev: int) -> npt.NDArray[np.intp]:
    """Indices where ``s & mask`` goes from 0 to non-zero (``prev``: the level before s[0])."""
    mdc = s & s.dtype.type(mask)  # 0 or the bit's value: no shift needed
    up = np.empty(s.size, np.bool_)  # up[i]: MDC rose at sample i
    if s.size:
        up[0] = prev == 0 and bool(mdc[0])
        np.greater(mdc[1:], mdc[:-1], out=up[1:])
    return np.flatnonzero(up)


#: Samples per row in the search for idle stretches.
_ROW = 4096


def _active_segments(s: npt.NDArray[np.unsignedinteger]) -> list[list[int]] | None:
    """Sample ranges where MDC may change, found a row of 4096 samples at a time; None
    if that is most of the block.

    Captures are mostly idle (MDIO polls once a second): a row whose smallest and
    largest sample are equal, and that starts at the level the row before ended on,
    holds no edge.  Two SIMD reductions per row cost a quarter of a per-sample pass.
    Each range starts one sample early, so the level before its first edge is known;
    the last one is the samples after the last whole row (only that early sample when
    there are none).
    """
    n = s.size - s.size % _ROW
    if n < 16 * _ROW:
        return None
    # A busy stretch (MDC toggling from the start) is decided on the first rows.
    head = s[: 16 * _ROW].reshape(16, _ROW)
    if np.count_nonzero(head.min(axis=1) != head.max(axis=1)) > 4:
        return None
    rows = s[:n].reshape(n // _ROW, _ROW)
    low = rows.min(axis=1)
    active = low != rows.max(axis=1)
    active[1:] |= s[_ROW:n:_ROW] != rows[:-1, -1]  # a change across rows
    active[0] = True  # the block's first sample follows the previous block's last
    if np.count_nonzero(active) > active.size // 4:
        return None
    idx = np.flatnonzero(active)
    breaks = np.flatnonzero(np.diff(idx) > 1)  # runs of active rows end there
    begins = np.maximum(np.concatenate((idx[:1], idx[breaks + 1])) * _ROW - 1, 0)
    ends = (np.concatenate((idx[breaks], idx[-1:])) + 1) * _ROW
    return np.column_stack((np.append(begins, n - 1), np.append(ends, s.size))).tolist()


def _deglitch(
    where: npt.NDArray[Any], levels: npt.NDArray[Any], shortest: float, prev: int
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Drop MDC pulses shorter than ``shortest``: both edges of each short high or low
    pulse go, so the level around it is unchanged.  ``where`` are change points
    (samples or seconds), ``levels`` the level after each.  From the first change on,
    each two closer than ``shortest`` are a pulse unless the first of them ended the
    pulse before: two short pulses in a row both go."""
    gone = np.zeros(where.size, np.bool_)
    free = 0  # the first change not taken by a pulse
    for i in np.flatnonzero(np.diff(where) < shortest).tolist():
        if i >= free:
            gone[i] = gone[i + 1] = True
            free = i + 2
    where, levels = where[~gone], levels[~gone]
    # Removing pulses can leave two changes to the same level in a row: keep the first.
    before = np.concatenate(([prev], levels[:-1])) if levels.size else levels
    real = levels != before
    return where[real], levels[real]


def _sample_edges(
    block: SampleBlock,
    mdc_bit: int,
    mdio_bit: int,
    rate: float,
    prev: int,
    glitch: float = 0.0,
) -> tuple[Edges, int]:
    s = block.samples
    mask = 1 << mdc_bit
    if glitch:
        mdc = (s & s.dtype.type(mask)) != 0
        changes = np.flatnonzero(mdc[1:] != mdc[:-1]) + 1
        if s.size and int(mdc[0]) != prev:
            changes = np.concatenate(([0], changes))
        where, levels = _deglitch(changes, mdc[changes], glitch * rate, prev)
        rise = where[levels == 1]
    else:
        segments = _active_segments(s)
        if segments is None:
            rise = _rising(s, mask, prev)
        else:
            parts = []
            for begin, end in segments:
                part = _rising(s[begin:end], mask, prev)
                # A range after the first starts a sample early, for the level before its
                # first change: a rise at that sample is the range before's, or none.
                parts.append(part[part > 0] + begin if begin else part)
            rise = np.concatenate(parts)  # never empty: the first row is always a range
    # sigrok samples MDIO at the first sample where MDC is high; so does physcapy, which
    # keeps the two decodes identical on real captures.  np.take and in-place shifts take
    # half the time of s[rise] and its temporaries (0.13 ms against 0.29 ms for a dense
    # 2 MiB block).
    level = np.take(s, rise)
    np.right_shift(level, mdio_bit, out=level)
    np.bitwise_and(level, 1, out=level)
    bits = level.astype(np.uint8, copy=False)
    positions = rise.astype(np.int64, copy=False)  # intp: int64 already on 64-bit hosts
    positions += block.start
    last = int(bool(s[-1] & mask)) if s.size else prev
    return Edges(None, positions, bits, rate=rate), last


def _transition_edges(
    block: TransitionBlock, prev: tuple[int, int], glitch: float
) -> tuple[Edges, tuple[int, int]]:
    levels = block.mdc_levels
    if glitch:
        # The filter runs on the changes' indices: what it keeps are the ones to use.
        _, sub = _deglitch(block.mdc_times, np.arange(levels.size), glitch, -1)
        lv = levels[sub]
        before = np.concatenate(([prev[0]], lv[:-1])) if lv.size else lv
        rising = sub[(before == 0) & (lv == 1)]
    else:
        before = np.concatenate(([prev[0]], levels[:-1])) if levels.size else levels
        rising = np.flatnonzero((before == 0) & (levels == 1))
    times = block.mdc_times[rising]
    positions = (
        block.mdc_pos[rising]
        if block.mdc_pos.size == block.mdc_times.size
        else rising.astype(np.int64)
    )
    # MDIO at the edge: a change at the very same instant counts (as sigrok does when it
    # imports such a file: the new level is in the sample where MDC rises).
    idx = np.searchsorted(block.mdio_times, times, side="right")
    levels_from = np.concatenate(([prev[1]], block.mdio_levels)).astype(np.uint8)
    mdio = levels_from[idx]
    last_mdc = int(levels[-1]) if levels.size else prev[0]
    last_mdio = int(block.mdio_levels[-1]) if block.mdio_levels.size else prev[1]
    return Edges(times.astype(np.float64), positions.astype(np.int64), mdio), (last_mdc, last_mdio)


def _glitch_safe_cut(block: SampleBlock, mask: int, shortest: float) -> int:
    """Where a sample block can end without splitting a pulse shorter than ``shortest``
    samples: at the end of the last stretch of one MDC level that lasts at least that
    long (the glitch filter pairs only changes closer than that, so no pair spans it),
    counted from the block's first sample (it may be a change); the block's end when
    MDC has not changed for that long, so an idle MDC carries nothing over.  0: no
    such stretch (all glitches so far: the whole block waits for the next one)."""
    s = block.samples
    mdc = s & s.dtype.type(mask)
    ends = np.append(np.flatnonzero(mdc[1:] != mdc[:-1]) + 1, s.size)  # where each level ends
    long_enough = np.flatnonzero(np.diff(ends, prepend=0) >= shortest)
    return int(ends[long_enough[-1]]) if long_enough.size else 0


def _glitch_safe_time(block: TransitionBlock, shortest: float) -> float | None:
    """Where a transition block can end without splitting a pulse shorter than
    ``shortest`` seconds: at the last MDC change after an interval at least that long
    (the glitch filter pairs only changes closer than that).  None: no such change."""
    long_enough = np.flatnonzero(np.diff(block.mdc_times) >= shortest)
    return float(block.mdc_times[long_enough[-1] + 1]) if long_enough.size else None


def _split_transitions(
    block: TransitionBlock, at: float
) -> tuple[TransitionBlock, TransitionBlock]:
    """The changes before ``at`` and those from ``at`` on (positions a reader did not
    give stay empty in both)."""
    m = int(np.searchsorted(block.mdc_times, at))
    d = int(np.searchsorted(block.mdio_times, at))
    mt, ml, dt, dl = block.mdc_times, block.mdc_levels, block.mdio_times, block.mdio_levels
    mp, dp = block.mdc_pos, block.mdio_pos
    return (
        TransitionBlock(block.t_begin, at, mt[:m], ml[:m], dt[:d], dl[:d], mp[:m], dp[:d]),
        TransitionBlock(at, block.t_end, mt[m:], ml[m:], dt[d:], dl[d:], mp[m:], dp[d:]),
    )


def _join_transitions(a: TransitionBlock, b: TransitionBlock) -> TransitionBlock:
    """Two consecutive transition blocks of one reader as one (a reader gives positions
    for all its blocks or for none: empty joined to empty)."""
    return TransitionBlock(
        a.t_begin,
        b.t_end,
        np.concatenate((a.mdc_times, b.mdc_times)),
        np.concatenate((a.mdc_levels, b.mdc_levels)),
        np.concatenate((a.mdio_times, b.mdio_times)),
        np.concatenate((a.mdio_levels, b.mdio_levels)),
        np.concatenate((a.mdc_pos, b.mdc_pos)),
        np.concatenate((a.mdio_pos, b.mdio_pos)),
    )


def edges_from_reader(reader: CaptureReader, glitch: float = 0.0) -> Iterator[Edges]:
    """Stream the MDC rising edges of a capture (MDC pulses under ``glitch`` s ignored).

    With the glitch filter on, each block is cut where no short pulse can straddle
    the cut and the rest is carried into the next block, so the result does not
    depend on where the reader's blocks end.  Every Edges has ``t0``, where the
    capture begins (its first block's start), whichever block its first edge is in.
    """
    sample_prev = reader.initial[0]
    trans_prev = reader.initial
    t0: float | None = None
    carry: SampleBlock | TransitionBlock | None = None
    blocks: Iterator[SampleBlock | TransitionBlock] = iter(reader.blocks())
    while True:
        block = next(blocks, None)
        last = block is None
        if block is None:
            if carry is None:
                return
            block, carry = carry, None
        elif t0 is None:  # the capture's first block: idle before the first edge counts from here
            t0 = block.t_begin if isinstance(block, TransitionBlock) else 0.0
        if isinstance(block, SampleBlock):
            assert reader.samplerate is not None
            if glitch:
                if isinstance(carry, SampleBlock):  # the next carry is cut off below
                    block = SampleBlock(carry.start, np.concatenate((carry.samples, block.samples)))
                if not last:
                    cut = _glitch_safe_cut(block, 1 << reader.mdc, glitch * reader.samplerate)
                    carry = SampleBlock(block.start + cut, block.samples[cut:])
                    block = SampleBlock(block.start, block.samples[:cut])
                    if not block.samples.size:
                        continue
            edges, sample_prev = _sample_edges(
                block, reader.mdc, reader.mdio, reader.samplerate, sample_prev, glitch
            )
        else:
            if glitch:
                if isinstance(carry, TransitionBlock):  # the next carry is split off below
                    block = _join_transitions(carry, block)
                if not last:
                    at = _glitch_safe_time(block, glitch)
                    if at is None:  # all short pulses so far: keep them for the next block
                        carry = block
                        continue
                    block, carry = _split_transitions(block, at)
            edges, trans_prev = _transition_edges(block, trans_prev, glitch)
        if len(edges):
            edges.t0 = t0
            yield edges


#: Edges handed to the frame finder at a time, at least: it costs about the same per
#: call whatever the count, so small reader blocks are grouped before it sees them.
MERGE_EDGES = 1 << 18


def _merged(edges: Iterator[Edges], at_least: int = MERGE_EDGES) -> Iterator[list[Edges]]:
    """Consecutive edges grouped until there are ``at_least`` (the last group may hold
    fewer).  The groups are not joined here: the decoder joins them with the bits it
    carries over in one copy (FrameDecoder.feed), instead of two."""
    pending: list[Edges] = []
    count = 0
    try:
        for e in edges:
            pending.append(e)
            count += len(e)
            if count >= at_least:
                yield pending
                pending, count = [], 0
    except CaptureError:
        if pending:  # a damaged file: what was read before the damage is decoded too
            yield pending
        raise
    if pending:
        yield pending


def _byte_tables() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Ones at the top (first in time) and at the bottom (last) of each packed byte."""
    v = np.arange(256)
    lead = np.zeros(256, np.int64)
    trail = np.zeros(256, np.int64)
    for k in range(8):
        lead += np.all([(v >> (7 - j)) & 1 for j in range(k + 1)], axis=0)
        trail += np.all([(v >> j) & 1 for j in range(k + 1)], axis=0)
    return lead, trail


#: Bits are packed most significant first (``np.packbits``): bit 7 of byte k is bit 8k.
_LEAD_ONES, _TRAIL_ONES = _byte_tables()


def _frame_words(
    b: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    cuts: npt.NDArray[np.int64],
    packed: npt.NDArray[np.uint8] | None,
    may_be_unknown: bool,
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_] | None, npt.NDArray[np.bool_]]:
    """The 32-bit words beginning at each start bit, whether an unknown (x/z) level falls
    inside (None: no such level among the bits), and whether the bits run past the end
    (missing bits read 0).

    The bit stream is packed once (``packed``: ``np.packbits(b == 1)``, reused when
    the caller has it) and the words read from it (words.py).
    """
    words = packed_words(np.packbits(b == 1) if packed is None else packed, starts)
    short = cuts < starts + 32
    if short.any():  # bits after a frame's cut are not its bits: they read 0
        keep_bits = (cuts[short] - starts[short]).astype(np.uint64)
        mask = ~((np.uint64(1) << (np.uint64(32) - keep_bits)) - np.uint64(1)) & np.uint64(
            0xFFFFFFFF
        )
        words[short] &= mask.astype(np.uint32)
    if may_be_unknown:  # x/z levels: transition formats only
        is_unknown = b == UNKNOWN
        if is_unknown.any():
            unknown_cs = np.concatenate(([0], np.cumsum(is_unknown)))
            return words, unknown_cs[cuts] - unknown_cs[starts] > 0, short
    return words, None, short


def _median(values: npt.NDArray[Any]) -> float:
    """The median by partial sort (``np.median`` imports numpy.ma: 15 ms of start-up)."""
    half = values.size // 2
    part = np.partition(values, half)  # the values before ``half`` are the smaller ones
    if values.size % 2:
        return float(part[half])
    return (float(part[:half].max()) + float(part[half])) / 2


def _candidates(
    b: npt.NDArray[np.uint8], rb: int, one_before: bool
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Where a frame can start (a 0 right after a 1: ST's first bit after the preamble)
    and the run of ones before each (``rb`` ones precede ``b[0]``; ``one_before``: the
    bit before ``b[0]`` is a 1, a preamble one or a frame's last bit)."""
    not_one = np.flatnonzero(b != 1)
    before = not_one - 1
    is_cand = (b[not_one] == 0) & (
        ((before >= 0) & (b[np.maximum(before, 0)] == 1)) | ((not_one == 0) & one_before)
    )
    cands = not_one[is_cand]
    prev_break = np.concatenate(([-1], not_one[:-1]))[is_cand]
    return cands, cands - prev_break - 1 + np.where(prev_break < 0, rb, 0)


@dataclass
class _Skip:
    position: int
    time: float
    bits: int
    #: Starts (file positions) of alignments that each parse SYNC_FRAMES frames and
    #: never meet: why a continuously clocked stretch was not decoded.
    ambiguous: list[int] = field(default_factory=list)


@dataclass
class _Sync:
    """How the decoder found the first frame: ``how`` is ``gap`` (MDC stopped before
    it, or the capture begins idle), ``preamble`` (17 ones or more) or ``alignment``
    (consecutive frames parse from there; ``frames`` of them, and ``alternatives``
    other plausible alignments meet it there: align.py)."""

    how: str
    position: int
    time: float
    frames: int = 0
    alternatives: int = 0


#: Bits kept from one chunk to the next before the first frame: a frame cut by the
#: chunk's end, or the chains of frames (align.py) still to be confirmed -- a window of
#: 49 bits and chains followed for up to 64 frames, each at most 49 bits from the last
#: (17 ones would synchronise by themselves): 3,217 bits, so a pending alignment keeps
#: every bit its decision rests on.
_KEEP_UNSYNCED = 4096

#: What a frame search returns: starts (ST bit), preamble lengths, cuts, and where the
#: last frame ends.
_Chain = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], int]
#: No frame (before the decoder is synchronised).
_NO_FRAMES: _Chain = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), 0)


@dataclass
class FrameDecoder:
    """Streaming frame finder over MDC-edge bits.

    Before the first frame the decoder needs to know where frames can start: a run
    of at least 17 ones (``SYNC_ONES``), or an idle gap (MDC stopped for more than
    ``gap_periods`` bit times; exactly that many is not a gap), or idle time before
    the first edge.  After that any preamble of at least ``min_preamble`` ones (1 by
    default: preamble suppression) starts a frame.

    Each chunk is searched the cheapest way its traffic allows: full preambles with
    only ones between frames from the packed bit stream (n/8 bytes); back-to-back
    frames with any preamble by checking the chain of candidates with numpy; the
    rest (preambles too short to count, junk, MDC stopping inside a frame) by the
    Python walk.  All three give the same frames.

    It counts in the edges' own clock: sample positions for sample captures (times
    are computed for the frames only), seconds for transition formats.
    """

    min_preamble: int = 1
    gap_periods: float = 4.0
    t0: float = 0.0
    skipped: list[_Skip] = field(default_factory=list)
    #: Search frames with numpy where the traffic allows (full preambles; no frame cut
    #: short or skipped); False leaves every chunk to the Python walk, which gives the
    #: same frames, only slower (tests compare the two).
    vectorised: bool = True

    def __post_init__(self) -> None:
        self._bits = np.zeros(0, np.uint8)
        self._clock: npt.NDArray[Any] = np.zeros(0, np.int64)  # per buffered edge
        self._pos = self._clock  # file positions: the clock itself for sample captures
        self._rate: float | None = None  # sample captures: clock units per second
        self._started = False
        self._run_before = 0  # ones just before _bits[0] that were already dropped
        # Before the first frame: the file position and time of the first of them.
        self._run_from: tuple[int, float] = (0, 0.0)
        self._one_before = False  # the bit dropped just before _bits[0] is a 1
        # The stretch before the first frame (listed in skipped once it holds more than
        # idle ones), and the first ambiguous alignments found in it (file positions).
        self._skip: _Skip | None = None
        self._ambiguous: list[int] = []
        self.synced_by: _Sync | None = None  # set when synchronised
        self._period: float | None = None  # in clock units
        self._last: float | None = None  # clock of the last edge seen (capture start before)
        # Clause 45 address per port * 32 + device, -1 until an ADDRESS frame sets it.
        self._c45 = np.full(32 * 32, -1)
        # Gaps among the bits kept for the next chunk (indices into them): a gap found
        # while waiting to synchronise, or inside a frame not complete yet, still counts.
        self._kept_gaps = np.zeros(0, np.int64)

    # -- feeding -------------------------------------------------------------------------

    def _start(self, edges: Edges) -> None:
        """The first edges say the clock's unit and where the capture begins.  (The empty
        clock and positions of __post_init__ serve both kinds: times joined to them make
        a float clock.)"""
        self._started = True
        t0 = edges.t0 if edges.t0 is not None else self.t0
        self._rate = edges.rate
        self._last = t0 if edges.rate is None else t0 * edges.rate

    def feed(self, edges: Edges | list[Edges]) -> np.ndarray:
        """Decode what the new edges (or consecutive groups of them) complete; returns
        a TRANSACTION_DTYPE array."""
        parts = [edges] if isinstance(edges, Edges) else [e for e in edges if len(e)]
        if not parts:
            return np.zeros(0, TRANSACTION_DTYPE)
        if not self._started:
            self._start(parts[0])
        if not len(parts[0]):
            return np.zeros(0, TRANSACTION_DTYPE)
        if any((e.rate is None) != (self._rate is None) for e in parts):
            raise CaptureError("edges with sample positions and with times cannot be mixed")
        base = self._bits.size
        # One copy joins what is carried over (at most a frame's bits) and the new edges.
        self._bits = np.concatenate([self._bits, *(e.bits for e in parts)])
        if self._rate is not None:
            self._clock = self._pos = np.concatenate([self._clock, *(e.positions for e in parts)])
        else:
            self._clock = np.concatenate([self._clock, *(e.times for e in parts)])
            self._pos = np.concatenate([self._pos, *(e.positions for e in parts)])
        new = self._clock[base:]
        assert self._last is not None
        if self._period is None:
            if self._clock.size <= 8:
                return np.zeros(0, TRANSACTION_DTYPE)  # not enough edges to know the clock
            self._period = _median(np.diff(self._clock[:4096]))
            gaps = self._gaps(self._clock, self._last)  # everything buffered so far
        else:
            gaps = np.concatenate((self._kept_gaps, self._gaps(new, self._last) + base))
        self._last = self._clock[-1].item()
        return self._scan(gaps, final=False)

    def finish(self) -> np.ndarray:
        """The capture ended: a frame in progress is reported ``truncated``."""
        if self._period is not None:
            return self._scan(self._kept_gaps, final=True)
        if not self._clock.size:  # not one edge
            return np.zeros(0, TRANSACTION_DTYPE)
        # Too few edges to have measured the clock on: their own intervals give it.
        d = np.diff(self._clock)
        self._period = _median(d) if d.size else math.inf
        assert self._last is not None  # where the capture begins (_start)
        return self._scan(self._gaps(self._clock, self._last), final=True)

    def _gaps(self, clock: npt.NDArray[Any], before: float) -> npt.NDArray[np.int64]:
        """Indices (within ``clock``, one edge or more) of edges that follow an idle gap
        (MDC stopped)."""
        # More than gap_periods bit times between rising edges; an interval of exactly
        # that many is not a gap, with 0.1 % of a period to spare so that timestamps
        # rounded in a file (VCD, CSV) decide it the same way as sample counts do.
        limit = (self.gap_periods + 1e-3) * (self._period or float("inf"))
        # Differences in place (no shifted copy of the clock): this runs on every edge.
        d = np.subtract(clock[1:], clock[:-1])
        # Whole sample counts compare with the limit's whole part, as integers: exact at
        # any size (numpy >= 2 compares int64 with a Python int of any size exactly; a
        # float64 bound would round limits over 2**53), and without converting every
        # difference to a float.
        bound: float | int = (
            math.floor(limit) if d.dtype.kind == "i" and limit < math.inf else limit
        )
        found = np.flatnonzero(np.greater(d, bound, out=np.empty(d.size, np.bool_))) + 1
        if clock[0] - before > limit:
            found = np.concatenate(([0], found))
        return found.astype(np.int64, copy=False)

    def _times(self, index: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Seconds at the edges ``index``: a transition capture's clock counts in them
        already (the rows' float64 fields and float() take it as it is)."""
        if self._rate is not None:
            return self._clock[index] / self._rate
        return self._clock[index]

    # -- the frame finder ----------------------------------------------------------------

    def _scan(self, gaps: npt.NDArray[np.int64], final: bool) -> np.ndarray:
        b = self._bits
        n = b.size
        rb = self._run_before  # ones just before b[0], after the last frame
        packed = None
        chain: _Chain | None = None
        frame_end = 0 if self.synced_by is not None else self._synchronise(gaps, final)
        if frame_end is None:  # where frames can start is not known yet
            chain = _NO_FRAMES
        else:
            if self.vectorised:
                packed = np.packbits(b == 1)
                chain = self._full_preambles(packed, frame_end, rb, n, final, gaps)
            if chain is None:
                cands, runs = _candidates(b, rb, self._one_before)
                nxt = np.searchsorted(cands, cands + 32)
                if self.vectorised:
                    chain = self._chain(cands, runs, nxt, frame_end, rb, n, final, gaps)
                if chain is None:
                    chain = self._walk(cands, runs, nxt, frame_end, rb, n, final, gaps)
        starts, pres, cuts, frame_end = chain
        out = self._emit(starts, pres, cuts, packed)
        if final:
            keep_from = n
        elif self.synced_by is not None:
            keep_from = max(frame_end, n - 64)
        else:  # enough bits for an alignment to show itself in the next chunk
            keep_from = max(0, n - _KEEP_UNSYNCED)
        if self.synced_by is None:  # what is dropped before the first frame (at the end: all)
            self._note_skip(keep_from)
        # Ones dropped after the last frame still count towards the next preamble (the
        # last frame ends at keep_from or before).
        tail = b[frame_end:keep_from]
        breaks = np.flatnonzero(tail != 1)
        self._run_before = (
            tail.size - int(breaks[-1]) - 1
            if breaks.size
            else tail.size + (rb if frame_end == 0 else 0)
        )
        first_one = keep_from - self._run_before
        if self.synced_by is None and self._run_before and first_one >= 0:
            # Where those ones begin, should they turn out to be a full preamble (a run
            # that began in bits dropped before keeps the start recorded then).
            self._run_from = (
                int(self._pos[first_one]),
                float(self._times(np.array([first_one]))[0]),
            )
        if keep_from:
            # A frame's last bit is no preamble, but a 0 right after a 1 starts a frame
            # even then (min_preamble 0), as when the chunk had not ended there.
            self._one_before = bool(b[keep_from - 1] == 1)
        self._kept_gaps = gaps[gaps >= keep_from] - keep_from
        self._bits = b[keep_from:]
        self._clock = self._clock[keep_from:]
        self._pos = self._pos[keep_from:]  # the clock itself for sample captures
        return out

    def _synchronise(self, gaps: npt.NDArray[np.int64], final: bool) -> int | None:
        """Where frames can start, before the first frame: after the first idle gap
        (MDC stopped; at the capture's start when it begins idle), at the first run of
        ``SYNC_ONES`` ones, or -- on a continuously clocked bus with preamble
        suppression -- at the first frame every plausible alignment agrees on
        (align.py), whichever comes first.  What lies before is listed in ``skipped``
        and how it synchronised in ``synced_by``.  Returns that bit's index (None: not
        known yet)."""
        from physcapy.capture.align import SYNC_FRAMES, WINDOW, find_alignment

        cands, runs = _candidates(self._bits, self._run_before, self._one_before)
        long_run = np.flatnonzero(runs >= SYNC_ONES)
        # A full preamble that starts before the gap synchronises by itself.
        run_start = int(cands[long_run[0]] - runs[long_run[0]]) if long_run.size else None
        if gaps.size and (run_start is None or run_start >= gaps[0]):
            at, how = int(gaps[0]), "gap"
        elif run_start is not None:
            at, how = max(run_start, 0), "preamble"
        else:
            at, how = self._bits.size, ""
        # An alignment is of use only if it starts first: its chain may run past ``at``.
        reach = at + (SYNC_FRAMES + 1) * WINDOW
        window = self._bits[:reach]
        # Bits past the window are never looked at, so a whole window is complete.
        found = find_alignment(window, min_preamble=self.min_preamble, gaps=gaps,
                               complete=final or window.size == reach)  # fmt: skip
        counts = (0, 0)  # frames parsed and alternatives: an alignment's only
        if not self._ambiguous:  # the first found: why the stretch is not decoded
            self._ambiguous = [int(self._pos[k]) for k in found.ambiguous]
        if found.start is not None and found.after < at:
            at, how, counts = found.after, "alignment", (found.frames, found.alternatives)
        elif not how or (at > 0 and window.size != reach and not final):
            # Nothing yet, or an alignment before ``at`` may still show itself in the
            # next bits (the window is not whole yet): wait for them (so where chunks
            # end changes nothing).
            return None
        position, time = int(self._pos[at]), float(self._times(np.array([at]))[0])
        if how == "preamble" and run_start is not None and run_start < 0:
            # The preamble began in ones already dropped (counted in the stretch before):
            # it starts where they do, and the stretch ends there, as when fed whole.
            assert self._skip is not None  # bits were dropped
            position, time = self._run_from
            self._skip.bits += run_start
        # The stretch names only alignments that lie in it: the search looks up to 17
        # windows past a gap or preamble, and an alignment's window may reach past it.
        self._ambiguous = [p for p in self._ambiguous if p < position]
        if self._skip is not None:
            self._skip.ambiguous = [p for p in self._skip.ambiguous if p < position]
        self._note_skip(at)  # what lies before (at < n: a bit of this chunk)
        self.synced_by = _Sync(how, position, time, *counts)
        return at

    def _full_preambles(
        self,
        packed: npt.NDArray[np.uint8],
        frame_end: int,
        rb: int,
        n: int,
        final: bool,
        gaps: npt.NDArray[np.int64],
    ) -> _Chain | None:
        """Normal traffic, found without looking at every bit: each frame is preceded by
        a run of at least ``SYNC_ONES`` ones, and only ones lie between one frame's end
        and the next frame's run.

        Runs that long hold a whole packed 0xff byte, so the runs are found among the
        n/8 bytes and measured with the lead/trail tables.  None when the traffic is
        not like that (short preambles, junk between frames, MDC stopping inside a
        frame): the general walk decides then, and gives the same frames here.
        """
        full = np.flatnonzero(packed == 0xFF)  # (none: every array below is empty)
        breaks = np.flatnonzero(np.diff(full) != 1)
        first = np.concatenate((full[:1], full[breaks + 1]))
        last = np.concatenate((full[breaks], full[-1:]))
        before = packed[np.maximum(first - 1, 0)]
        start = first * 8 - np.where(first > 0, _TRAIL_ONES[before], 0)
        after = last + 1
        # A run through the last byte gets a z of 8 * packed.size or more: past the bits.
        z = after * 8 + _LEAD_ONES[packed[np.minimum(after, packed.size - 1)]]
        runs = z - start + np.where(start == 0, rb, 0)
        # A run reaching past the buffered bits ends in the next chunk; the junk before
        # the synchronisation point is not looked at.
        keep = (runs >= SYNC_ONES) & (z < n) & (z >= frame_end)
        z, start = z[keep], start[keep]
        b = self._bits
        if (b[z] != 0).any():  # an x/z level where ST's 0 should be
            return None
        ends = np.concatenate(([frame_end], z[:-1] + 32))
        if (start > ends).any() or (z < ends).any():
            return None  # something between frames, or a long run inside one
        # Only ones from each frame's end (or the capture's last dropped ones) to the next
        # frame's ST: all of them are its preamble, and no more than its run.
        pre = z - ends + np.where(ends == 0, rb, 0)
        if (pre < self.min_preamble).any():
            return None
        if gaps.size and (np.searchsorted(gaps, z + 1) < np.searchsorted(gaps, z + 32)).any():
            return None  # MDC stopped inside a frame: the walk cuts it there
        if not final:  # the last frame may not be complete yet
            whole = z + 32 <= n
            z, pre = z[whole], pre[whole]
        cuts = np.minimum(z + 32, n)
        frame_end = int(cuts[-1]) if z.size else frame_end
        # Nothing after the last frame that the walk would take for a frame.
        limit = n if final else n - 31
        if limit > frame_end and (b[frame_end:limit] != 1).any():
            return None
        return z, pre, cuts, frame_end

    def _chain(
        self,
        cands: npt.NDArray[np.intp],
        runs: npt.NDArray[np.intp],
        nxt: npt.NDArray[np.intp],
        frame_end: int,
        rb: int,
        n: int,
        final: bool,
        gaps: npt.NDArray[np.int64],
    ) -> _Chain | None:
        """Back-to-back frames with preambles of any length (preamble suppression): follow
        ``nxt`` (the first candidate after each frame's 32 bits) from the first one and
        check the whole chain at once.  None when a candidate's preamble is too short
        (the walk then tries the next one) or MDC stops inside a frame."""
        nxt_l = nxt.tolist()
        count = len(nxt_l)
        chain = []
        i = int(np.searchsorted(cands, frame_end))
        while i < count:  # one step per frame: nxt skips the frame's own bits
            chain.append(i)
            i = nxt_l[i]
        index = np.array(chain, np.intp)
        z = cands[index].astype(np.int64)
        ends = np.concatenate(([frame_end - (rb if frame_end == 0 else 0)], z[:-1] + 32))
        pre = np.minimum(runs[index], z - ends).astype(np.int64)
        if (pre < self.min_preamble).any():
            return None
        if gaps.size and (np.searchsorted(gaps, z + 1) < np.searchsorted(gaps, z + 32)).any():
            return None
        if z.size and not final and z[-1] + 32 > n:
            z, pre = z[:-1], pre[:-1]  # the last frame is not complete yet
        cuts = np.minimum(z + 32, n)
        return z, pre, cuts, int(cuts[-1]) if z.size else frame_end

    def _walk(
        self,
        cands: npt.NDArray[np.intp],
        runs: npt.NDArray[np.intp],
        nxt_arr: npt.NDArray[np.intp],
        frame_end: int,
        rb: int,
        n: int,
        final: bool,
        gaps: npt.NDArray[np.int64],
    ) -> _Chain:
        """The general frame walk: short preambles, junk between frames, aborted frames."""
        nxt = nxt_arr.tolist()
        extra = rb if frame_end == 0 else 0
        cands_l, runs_l = cands.tolist(), runs.tolist()
        gaps_l = gaps.tolist()
        starts: list[int] = []
        pres: list[int] = []
        cuts: list[int] = []
        i, count = int(np.searchsorted(cands, frame_end)), len(cands_l)
        min_pre = self.min_preamble
        while i < count:
            z = cands_l[i]
            pre = runs_l[i]
            since = z - frame_end + extra  # only ones after the last frame are preamble
            if since < pre:
                pre = since
            if pre < min_pre:
                i += 1
                continue
            if z + 32 > n and not final:
                break
            # MDC stopping inside the frame ends it there: the STA gave up (truncated).
            k = bisect_right(gaps_l, z)
            cut = min(z + 32, n)
            if k < len(gaps_l) and gaps_l[k] < cut:
                cut = gaps_l[k]
            starts.append(z)
            pres.append(pre)
            cuts.append(cut)
            frame_end = cut
            extra = 0
            if cut < z + 32:
                i = int(np.searchsorted(cands, cut))
                continue
            i = nxt[i]
        return (
            np.array(starts, np.int64),
            np.array(pres, np.int64),
            np.array(cuts, np.int64),
            frame_end,
        )

    def _note_skip(self, end: int) -> None:
        """The first ``end`` bits go before the first frame.  All that go so, over however
        many chunks, are one stretch from its first bit to the synchronisation point (or
        the capture's end), listed in ``skipped`` once it holds more than idle ones: a
        partial frame, or a bus that never looks like MDIO (stuck low)."""
        if self._skip is None:  # the stretch begins here
            self._skip = _Skip(int(self._pos[0]), float(self._times(np.array([0]))[0]), 0)
        self._skip.bits += end
        if (self._bits[:end] != 1).any():  # more than idle ones: a stretch to report
            if not (self.skipped and self.skipped[-1] is self._skip):
                self.skipped.append(self._skip)
            if not self._skip.ambiguous:
                self._skip.ambiguous = self._ambiguous

    def _emit(
        self,
        starts: npt.NDArray[np.int64],
        pres: npt.NDArray[np.int64],
        cuts: npt.NDArray[np.int64],
        packed: npt.NDArray[np.uint8] | None,
    ) -> np.ndarray:
        out = np.zeros(starts.size, TRANSACTION_DTYPE)
        if not starts.size:
            return out
        words, unknown, truncated = _frame_words(
            self._bits, starts, cuts, packed, self._rate is None
        )
        st = words >> 30
        op = (words >> 28) & 3
        out["clause"] = np.where(st == 1, 22, 45)
        out["op"] = op
        out["phy"] = (words >> 23) & 31
        out["reg"] = (words >> 18) & 31
        ta = (words >> 16) & 3
        out["data"] = words & 0xFFFF
        first = np.maximum(starts - np.minimum(pres, 32), 0)
        out["start"] = self._times(first)
        out["end"] = self._times(cuts - 1)  # the last bit: where MDC stopped, if it did
        out["position"] = self._pos[first]
        out["preamble"] = pres
        is_read = np.where(st == 1, op == 0b10, op >= 0b10)
        bad_ta = np.where(is_read, (ta & 1) != 0, ta != 0b10)
        errors = (pres < 32).astype(np.uint8)  # bit k: _ERRORS[k]
        errors |= bad_ta.astype(np.uint8) * 2
        errors |= ((st == 1) & ((op == 0) | (op == 3))).astype(np.uint8) * 4
        if unknown is not None:
            errors |= unknown.astype(np.uint8) * 8
        errors |= truncated.astype(np.uint8) * 16
        out["errors"] = errors
        out["addr"] = -1
        c45 = np.flatnonzero(st == 0)
        if c45.size:
            out["addr"][c45] = self._c45_addresses(
                out["phy"][c45], out["reg"][c45], op[c45], out["data"][c45]
            )
        return out

    def _c45_addresses(
        self,
        phy: npt.NDArray[Any],
        devad: npt.NDArray[Any],
        code: npt.NDArray[Any],
        data: npt.NDArray[Any],
    ) -> npt.NDArray[np.int64]:
        """The register address each Clause 45 frame acts on (-1: none set yet), and the
        context left for the next frames (802.3 45.3: per port and device, set by
        ADDRESS, advanced by each post-read-increment).

        Sequential in principle, computed per (port, device) at once: frames sorted by
        that key (stably, so in time order) fall into runs that start at an ADDRESS
        frame (or at the key's first frame, from the context so far), and a frame's
        address is its run's base plus the increments before it in the run.
        """
        # 16-bit keys: numpy's stable sort of them is a radix sort, ~3x a merge sort's speed.
        key = phy.astype(np.uint16) * np.uint16(32) + devad.astype(np.uint16)
        order = np.argsort(key, kind="stable")
        k, c, d = key[order], code[order], data[order].astype(np.int64)
        new_key = np.ones(k.size, np.bool_)
        new_key[1:] = k[1:] != k[:-1]
        run_first = np.flatnonzero(new_key | (c == 0b00))
        run = np.cumsum(new_key | (c == 0b00)) - 1
        base = np.where(c[run_first] == 0b00, d[run_first], self._c45[k[run_first]])
        inc = (c == 0b10).astype(np.int64)
        before = np.cumsum(inc) - inc  # increments before each frame, over all keys
        steps = before - before[run_first][run]
        addr = np.where(base[run] >= 0, (base[run] + steps) & 0xFFFF, -1)
        last = np.flatnonzero(np.append(new_key, True)[1:])  # each key's last frame
        self._c45[k[last]] = np.where(addr[last] >= 0, (addr[last] + inc[last]) & 0xFFFF, -1)
        result = np.empty_like(addr)
        result[order] = addr
        return result


#: Operation names by op code: Clause 22 (OP 00 and 11 named by the TA's direction)
#: and Clause 45.
_C22_NAMES = tuple(_C22_OPS.get(code, "read" if code == 3 else "write") for code in range(4))
_C45_NAMES = tuple(_C45_OPS[code] for code in range(4))
#: Error names for each value of the ``errors`` bit mask.
_ERROR_NAMES = tuple(
    tuple(e for k, e in enumerate(_ERRORS) if mask >> k & 1) for mask in range(256)
)


def to_transactions(arr: np.ndarray) -> Iterator[Transaction]:
    """TRANSACTION_DTYPE rows as :class:`Transaction` objects."""
    for start, end, clause, op, phy, reg, data, addr, errors, _pre, _pos in arr.tolist():
        name = (_C22_NAMES if clause == 22 else _C45_NAMES)[op & 3]
        yield Transaction(
            start,
            end,
            clause,
            name,
            phy,
            reg,
            data,
            None if addr < 0 else addr,
            list(_ERROR_NAMES[errors]),
        )


def decode_arrays(
    reader: CaptureReader,
    min_preamble: int = 1,
    holder: list[FrameDecoder] | None = None,
    glitch: float = 0.0,
) -> Iterator[np.ndarray]:
    """Decode a capture in chunks of TRANSACTION_DTYPE rows (``holder`` receives the
    decoder, for its ``skipped`` list; MDC pulses under ``glitch`` seconds are ignored)."""
    decoder = FrameDecoder(min_preamble=min_preamble)
    if holder is not None:
        holder.append(decoder)
    try:
        for edges in prefetch(_merged(edges_from_reader(reader, glitch))):
            out = decoder.feed(edges)
            if out.size:
                yield out
    except CaptureError:
        # The capture is damaged past here: the frames before it are reported (one cut
        # short by the damage as truncated), then the error.
        out = decoder.finish()
        if out.size:
            yield out
        raise
    out = decoder.finish()
    if out.size:
        yield out


def decode(
    source: str | Path | CaptureReader,
    *,
    mdc: str | int | None = None,
    mdio: str | int | None = None,
    min_preamble: int = 1,
    glitch: float = 0.0,
) -> Iterator[Transaction]:
    """Decode a capture file (or an open reader) to transactions, streaming."""
    reader = source if isinstance(source, CaptureReader) else open_capture(source, mdc, mdio)
    for arr in decode_arrays(reader, min_preamble, glitch=glitch):
        yield from to_transactions(arr)


def decode_samples(
    samples: npt.ArrayLike, samplerate: float, mdc_bit: int = 0, mdio_bit: int = 1
) -> list[Transaction]:
    """Decode an in-memory sample array (channel k in bit k)."""
    s = np.asarray(samples)
    edges, _ = _sample_edges(SampleBlock(0, s), mdc_bit, mdio_bit, samplerate, 0)
    decoder = FrameDecoder()  # the capture starts at 0 s (FrameDecoder.t0)
    parts = [decoder.feed(edges), decoder.finish()]
    return list(to_transactions(np.concatenate(parts)))


def open_capture(
    path: str | Path, mdc: str | int | None = None, mdio: str | int | None = None
) -> CaptureReader:
    """Open a capture by its format: ``.sr``, ``.vcd``, Saleae ``.csv`` or binary export."""
    try:
        p = check_input(path, "a capture", folder=True)
    except PhyscapyError as exc:
        raise CaptureError(str(exc)) from None
    reader = _reader(p, mdc, mdio)
    if reader.mdc == reader.mdio:
        reader.close()
        raise CaptureError(
            f"{p}: MDC and MDIO are both channel {reader.mdc}:{reader.channels[reader.mdc]}: "
            "they are two signals; choose them with --mdc and --mdio"
        )
    return reader  # a .sr's samplerate is checked as it is read (sr.parse_samplerate)


def _reader(p: Path, mdc: str | int | None, mdio: str | int | None) -> CaptureReader:
    suffix = p.suffix.lower()
    if suffix == ".sr":
        from physcapy.capture.sr import SrReader

        return SrReader(p, mdc, mdio)
    if suffix == ".vcd":
        from physcapy.capture.vcd import VcdReader

        return VcdReader(p, mdc, mdio)
    if suffix == ".csv":
        from physcapy.capture.saleae import SaleaeCsvReader

        return SaleaeCsvReader(p, mdc, mdio)
    if p.is_dir() or suffix == ".bin":
        from physcapy.capture.saleae import SaleaeBinaryReader

        return SaleaeBinaryReader(p, mdc, mdio)
    raise CaptureError(
        f"{p}: unknown capture format {suffix or '(no extension)'!r}: allowed "
        ".sr (sigrok), .vcd, .csv (Saleae Logic 2), a Saleae binary export "
        "(directory or digital_N.bin)"
    )
