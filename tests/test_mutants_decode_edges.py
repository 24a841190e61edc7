# SPDX-License-Identifier: GPL-2.0-only
"""MDC edge finding pinned exactly (issue 23: mutants of physcapy/capture/decode.py).

The search that skips idle rows of a sample block must find every edge a per-sample
search finds, on waveforms built for its corners (row edges, whole busy stretches,
exactly a quarter of the rows active, blocks of 16 rows and around it, a tail that is
not a whole row).  The MDC glitch filter drops every pulse under its width, also two
in a row, and cuts sample blocks where no pulse can straddle the cut (an idle MDC
carries nothing over).  Transition blocks keep MDC's level across a block without MDC
changes; the capture's start is its first block's, whichever block holds the first
edge; and a preamble counts only the ones after the point the decoder synchronised
on, wherever chunks end and however frames are searched.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physcapy.capture.base import CaptureReader, SampleBlock, TransitionBlock
from physcapy.capture.decode import (
    TRANSACTION_DTYPE,
    Edges,
    FrameDecoder,
    decode_arrays,
    edges_from_reader,
)

#: Samples in a row of the idle-row search (decode._ROW); it gives up on blocks under
#: 16 rows, on more than 4 busy rows among the first 16, or more than a quarter busy.
ROW = 4096


class _Samples(CaptureReader):
    """Samples (MDC in bit 0, MDIO in bit 1) in blocks of ``sizes`` (the last size
    repeats)."""

    def __init__(
        self,
        samples: npt.NDArray[np.uint8],
        sizes: Sequence[int],
        rate: float = 1e6,
        initial: tuple[int, int] = (0, 1),
    ) -> None:
        self.samples, self.sizes, self.samplerate = samples, list(sizes), rate
        self.mdc, self.mdio, self.initial = 0, 1, initial
        self.taken = 0

    def blocks(self) -> Iterator[SampleBlock]:
        at = 0
        while at < self.samples.size:
            size = self.sizes[min(self.taken, len(self.sizes) - 1)]
            self.taken += 1
            yield SampleBlock(at, self.samples[at : at + size])
            at += size


class _Transitions(CaptureReader):
    """Hand-made transition blocks."""

    def __init__(self, blocks: list[TransitionBlock], initial: tuple[int, int] = (0, 1)) -> None:
        self._blocks, self.initial = blocks, initial
        self.mdc, self.mdio, self.samplerate = 0, 1, None

    def blocks(self) -> Iterator[TransitionBlock]:
        yield from self._blocks


def _edges(reader: CaptureReader, glitch: float = 0.0) -> list[tuple[float, int, int]]:
    """(time, position, MDIO bit) of each MDC rising edge the reader's capture holds."""
    out: list[tuple[float, int, int]] = []
    for e in edges_from_reader(reader, glitch):
        out += zip(e.times.tolist(), e.positions.tolist(), e.bits.tolist(), strict=True)
    return out


def _wave(size: int, mdc: Sequence[int], mdio: Sequence[int] = ()) -> npt.NDArray[np.uint8]:
    """Samples where MDC (bit 0, starting low) and MDIO (bit 1, starting high) toggle at
    the given sample positions (a position given twice toggles twice)."""
    s = np.zeros(size, np.uint8)
    for bit, toggles, idle in ((0, mdc, 0), (1, mdio, 1)):
        count = np.zeros(size, np.uint8)
        np.add.at(count, np.asarray(toggles, np.int64), 1)
        s |= ((np.cumsum(count, dtype=np.uint8) & 1) ^ idle) << bit  # an even wrap: parity holds
    return s


def _rises(reader: CaptureReader) -> tuple[list[int], list[int]]:
    """Positions and MDIO bits of the MDC rising edges the reader's capture holds."""
    found = list(edges_from_reader(reader))
    return (
        np.concatenate([np.zeros(0, np.int64), *(e.positions for e in found)]).tolist(),
        np.concatenate([np.zeros(0, np.uint8), *(e.bits for e in found)]).tolist(),
    )


def _plain_rises(s: npt.NDArray[np.uint8]) -> tuple[list[int], list[int]]:
    """The per-sample search: MDC low (as it idles before the capture), then high."""
    mdc = s & 1
    rise = np.flatnonzero(np.diff(mdc, prepend=0) == 1)
    return rise.tolist(), ((s[rise] >> 1) & 1).tolist()


# -- the idle-row search -------------------------------------------------------------------


def _busy(rows: Sequence[int], shift: int = 2) -> list[int]:
    """MDC toggling all through the rows, period 8 (high from offset ``shift`` for 4
    samples): with ``shift`` 2 each row starts and ends low, so no change crosses
    from one row to the next."""
    return [r * ROW + k + d for r in rows for k in range(0, ROW - 7, 8) for d in (shift, shift + 4)]


#: name -> (rows, samples after the last whole row, MDC toggles, MDIO toggles)
_ROW_CASES: dict[str, tuple[int, int, list[int], list[int]]] = {
    "edges on the first and last sample of rows": (
        40, 0, [0, 1, ROW - 1, ROW, 3 * ROW - 1, 3 * ROW + 1, 7 * ROW, 20 * ROW - 1], [5, 7 * ROW]),
    "a level change exactly at every row boundary": (
        20, 0, [k * ROW for k in range(1, 20)], [18 * ROW + 9]),
    # Rows 4 and 11 end low, rows 5 and 12 are high throughout: row 4 began high, row
    # 11's sample before the last is high.
    "a rise exactly on a row boundary after a changing row": (
        24, 0, [3 * ROW + 7, 4 * ROW + 50, 5 * ROW, 12 * ROW - 1, 12 * ROW], []),
    "MDC high from the capture's first sample": (20, 0, [0, 5 * ROW + 3], []),
    "row 0 ending high, a rise exactly on a later row boundary": (
        20, 0, [ROW - 5, 6 * ROW + 100, 9 * ROW], []),
    "busy rows after a mostly idle head": (
        64, 0, [*_busy(range(3, 7)), *_busy(range(16, 64))], []),
    "a busy stretch starting high at a row boundary": (
        40, 0, [*_busy(range(20, 28), shift=0)], [20 * ROW + 3]),
    "4 busy rows of the first 16, a quarter busy in all": (
        64, 0, [r * ROW + 100 + d for r in range(0, 64, 4) for d in (0, 1)], []),
    "5 busy rows of the first 16": (
        64, 0, [r * ROW + 100 + d for r in (1, 4, 8, 12, 15) for d in (0, 1)] + [63 * ROW + 5], []),
    "one row over a quarter busy": (
        64, 0, [r * ROW + 100 + d for r in [*range(0, 64, 4), 17] for d in (0, 1)], []),
    "runs of active rows one idle row apart": (
        40, 0, [r * ROW + 50 + d for r in (18, 19, 21, 22, 24, 27) for d in (0, 1)], []),
    "an edge in the tail after an active last row": (
        17, 100, [17 * ROW - 30, 17 * ROW - 20, 17 * ROW + 50, 17 * ROW + 60], []),
    "an edge in the tail's first and last sample": (
        20, ROW - 1, [20 * ROW, 20 * ROW + 1, 21 * ROW - 2], [20 * ROW]),
    "MDC high from the tail's first sample": (16, 7, [16 * ROW - 1, 16 * ROW], []),
    "exactly 16 rows": (16, 0, [3, 9, 15 * ROW + 4, 16 * ROW - 1], []),
    "one sample over 16 rows": (16, 1, [3, 9, 16 * ROW], []),
    "one sample under 16 rows": (15, ROW - 1, [3, 9, 16 * ROW - 2], []),
    "17 rows": (17, 0, [5 * ROW + 1, 5 * ROW + 3, 17 * ROW - 1], []),
    "MDIO changes alone": (32, 5, [10, 11], [3 * ROW + k for k in range(0, 3000, 7)]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(_ROW_CASES))
def test_idle_rows_are_skipped_without_losing_or_repeating_an_edge(case: str) -> None:
    """A block of at least 16 rows of 4096 samples may be searched row by row, only
    where samples change; every edge (position, MDIO sampled) is the per-sample
    search's, in one block or two (the second's first sample following the first's
    last, MDC rising between them or not)."""
    rows, tail, mdc, mdio = _ROW_CASES[case]
    s = _wave(rows * ROW + tail, mdc, mdio)
    want = _plain_rises(s)
    assert want[0]  # every case has edges
    assert _rises(_Samples(s, [s.size])) == want
    for first in (ROW - 1, 16 * ROW + 1):  # the second block begins with a rising edge or not
        if first < s.size:
            assert _rises(_Samples(s, [first, s.size])) == want, first


@settings(max_examples=30, deadline=None)
@given(
    rows=st.sampled_from([16, 17, 20, 33, 48]),
    tail=st.sampled_from([0, 1, ROW - 1, 1234]),
    near=st.lists(st.tuples(st.integers(0, 48), st.integers(-2, 2)), max_size=12),
    anywhere=st.lists(st.integers(0, 49 * ROW), max_size=6),
    busy=st.lists(st.integers(0, 47), max_size=12),
    split=st.integers(1, 49 * ROW),
    high=st.booleans(),
)
def test_the_row_search_finds_the_per_sample_edges(
    rows: int,
    tail: int,
    near: list[tuple[int, int]],
    anywhere: list[int],
    busy: list[int],
    split: int,
    high: bool,
) -> None:
    """The same on sparse waveforms: changes on and next to row boundaries, busy rows
    anywhere (from none to most of them), MDC high from the first sample (an edge
    there, MDC idling low before the capture), one block or two."""
    size = rows * ROW + tail
    mdc = [at for at in (*(r * ROW + d for r, d in near), *anywhere) if 0 <= at < size]
    mdc += _busy(sorted({r for r in busy if r < rows}))
    s = _wave(size, [*mdc, *([0] if high else [])], mdc[::3])
    want = _plain_rises(s)
    assert _rises(_Samples(s, [s.size])) == want
    assert _rises(_Samples(s, [min(split, size), s.size])) == want


# -- the MDC glitch filter -----------------------------------------------------------------
#
# One sample is T = 2**-20 s, so that widths are exact in samples and in seconds; the
# filter is W = 3 samples wide.  MDC runs 20 samples low, 20 high; MDIO changes 2
# samples after some rising edges (as a PHY drives it).

T = 2.0**-20
W = 3
SIZE = 500


def _clock(periods: int) -> list[int]:
    """MDC toggles of ``periods`` periods of 40 samples, rising at 20, 60, ..."""
    return [40 * k + d for k in range(periods) for d in (20, 40)]


def _cut(
    mdc: Sequence[int], mdio: Sequence[int], cuts: Sequence[int], mdc_first: int = 1
) -> list[TransitionBlock]:
    """The toggles (sample indices, each once; MDIO starts high) as transition blocks
    ending at the ``cuts``; MDC's first change is to ``mdc_first``."""
    mdc, mdio = sorted(mdc), sorted(mdio)
    blocks, begin = [], 0
    for end in cuts:
        m = [(k, at) for k, at in enumerate(mdc) if begin <= at < end]
        d = [(k, at) for k, at in enumerate(mdio) if begin <= at < end]
        blocks.append(
            TransitionBlock(
                begin * T, end * T,
                np.array([at * T for _, at in m]),
                np.array([(k + mdc_first) % 2 for k, _ in m], np.uint8),
                np.array([at * T for _, at in d]), np.array([k % 2 for k, _ in d], np.uint8),
                np.array([at for _, at in m], np.int64), np.array([at for _, at in d], np.int64),
            )
        )  # fmt: skip
        begin = end
    return blocks


def _transitions(
    size: int, mdc: Sequence[int], mdio: Sequence[int], per_block: int
) -> _Transitions:
    """Transition blocks of ``per_block`` MDC changes, each cut at the next block's first."""
    return _Transitions(_cut(mdc, mdio, [*sorted(mdc)[per_block::per_block], size]))


def _reader(
    kind: str, mdc: Sequence[int], mdio: Sequence[int], size: int = 1 << 20
) -> CaptureReader:
    """The toggles as a sample capture in blocks of ``size`` samples, or as transition
    blocks of ``size`` MDC changes."""
    if kind == "samples":
        return _Samples(_wave(SIZE, mdc, mdio), [size], rate=1 / T)
    return _transitions(SIZE, mdc, mdio, size)


def _positions(reader: CaptureReader, glitch: float) -> list[tuple[int, int]]:
    """(sample position, MDIO bit) of each rising edge."""
    return [(p, b) for _, p, b in _edges(reader, glitch)]


#: Short pulses on a clock of 12 periods: a spike before the first edge (the capture's
#: first change), two spikes in one low phase (1 and 2 samples, 4 apart), a burst of
#: four changes, two dropouts in one high phase, a spike of exactly W (not under it:
#: it stays), a spike right after a falling edge, and a bounce on a rising edge (380,
#: 381, 382: the edge is at its last change).
_PULSES = [3, 4, 45, 46, 50, 52, 85, 86, 87, 88, 105, 106, 110, 112, 205, 208, 321, 322, 381, 382]
_GLITCHY = sorted({*_clock(12), *_PULSES})
_MDIO = [22, 62, 182, 302, 422]  # 2 samples after rising edges
#: What the filter must leave: the clock, the spike of exactly W, the bounced edge moved.
_FILTERED = sorted({*_clock(12), 205, 208, 381, 382} - {380, 381})


@pytest.mark.parametrize("kind", ["samples", "transitions"])
def test_the_glitch_filter_drops_every_pulse_under_its_width(kind: str) -> None:
    """Pulses shorter than W go, both edges, also two or more in a row (a burst, two
    spikes in one phase); a pulse of exactly W stays; a bounce on an edge leaves the
    edge at its last change.  MDIO is sampled at the edges that stay."""
    want = _positions(_reader(kind, _FILTERED, _MDIO), 0.0)
    assert [p for p, _ in want] == sorted({*range(20, 480, 40), 205, 382} - {380})
    assert _positions(_reader(kind, _GLITCHY, _MDIO), W * T) == want
    unfiltered = _positions(_reader(kind, _GLITCHY, _MDIO), 0.0)
    assert len(unfiltered) == len(want) + 9  # 4 spikes, 2 of the burst, 2 dropouts, a bounce


@pytest.mark.parametrize("kind", ["samples", "transitions"])
def test_the_glitch_filter_gives_the_same_edges_wherever_blocks_end(kind: str) -> None:
    """The filter's result does not depend on where the reader's blocks end, pulses
    straddling block ends and blocks holding nothing but pulses included."""
    want = _positions(_reader(kind, _FILTERED, _MDIO), 0.0)
    for size in range(1, 25) if kind == "samples" else range(1, 7):
        assert _positions(_reader(kind, _GLITCHY, _MDIO, size), W * T) == want, size


@pytest.mark.parametrize("kind", ["samples", "transitions"])
def test_a_filter_under_every_pulse_changes_nothing(kind: str) -> None:
    """On a capture with no pulse under the filter's width the filter changes no edge,
    time or MDIO level, wherever blocks end (MDIO changing after rising edges, at
    first only after the edges of a block that is split to wait for the next)."""
    mdc = _clock(8)
    mdio = [at + 5 for at in mdc[4::4]]
    want = _edges(_reader(kind, mdc, mdio))
    for size in (1, 2, 3, 5, 40, 1 << 20):
        assert _edges(_reader(kind, mdc, mdio, size), W * T) == want, size


def test_glitch_filtered_sample_edges_come_as_soon_as_no_pulse_can_follow() -> None:
    """A block's edges are handed on with the block when nothing after them can be part
    of a pulse: MDC steady for W samples from the block's first sample (a rising edge
    there) or up to the block's end.  Otherwise they wait for the next block."""
    # Block 1 (8 samples): a rise at 0, W high, then two 1-sample dropouts to its end.
    # Block 2: high.  Block 3 (16): a fall, a rise W + 1 before its end.  Block 4 (16):
    # a fall, a rise W - 1 before its end.
    s = _wave(48, [0, W, W + 1, W + 2, W + 3, 20, 32 - W - 1, 40, 48 - W + 1])
    reader = _Samples(s, [8, 8, 16, 16], rate=1 / T)
    stream = edges_from_reader(reader, W * T)
    assert [(e.positions.tolist(), reader.taken) for e in stream] == [
        ([0], 1),
        ([32 - W - 1], 3),
        ([48 - W + 1], 4),
    ]


def test_an_idle_mdc_is_not_carried_from_block_to_block() -> None:
    """With the filter on, a long stretch of idle MDC (a capture between polls) is not
    held back block after block: memory stays at a few blocks' worth."""
    size, blocks = 4096, 200

    class _Idle(CaptureReader):
        mdc, mdio, initial, samplerate = 0, 1, (0, 1), 1 / T

        def blocks(self) -> Iterator[SampleBlock]:
            for k in range(blocks):
                s = np.full(size, 2, np.uint8)  # MDIO high, MDC low
                if k == blocks - 1:
                    s[100:120] |= 1
                yield SampleBlock(k * size, s)

    tracemalloc.start()
    try:
        found = _positions(_Idle(), W * T)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [((blocks - 1) * size + 100, 1)]
    assert peak < 16 * size


# -- transition blocks -------------------------------------------------------------------------


@pytest.mark.parametrize("glitch", [0.0, W * T])
def test_a_block_without_mdc_changes_keeps_mdcs_level(glitch: float) -> None:
    """A transition block holding no MDC change (an empty one, or MDIO changes alone)
    leaves MDC at its level, not MDIO's: MDC low and MDIO high before, the next
    block's first MDC change to high is a rising edge."""
    mdc, mdio = _clock(4), [5, 22, 62]
    want = _edges(_Transitions(_cut(mdc, mdio, [SIZE])))
    for cuts in ([3, SIZE], [3, 6, SIZE], [10, 20, SIZE]):  # empty, MDIO-only blocks first
        assert _edges(_Transitions(_cut(mdc, mdio, cuts)), glitch) == want, cuts


@pytest.mark.parametrize("kind", ["samples", "transitions"])
@pytest.mark.parametrize("glitch", [0.0, W * T])
def test_each_edge_carries_its_mdio_level_in_a_byte(kind: str, glitch: float) -> None:
    """The MDIO level sampled at each edge is a uint8 (0, 1, or 2 for an unknown level),
    from sample and transition captures alike, filtered or not: the decoder buffers
    them, a byte each."""
    found = list(edges_from_reader(_reader(kind, _GLITCHY, _MDIO, 7), glitch))
    assert found and all(e.bits.dtype == np.uint8 for e in found)
    assert {b for e in found for b in e.bits.tolist()} == {0, 1}


# -- preambles where the decoder synchronises ----------------------------------------------------


def _word(st: int, op: int, phy: int, reg: int, ta: int, data: int) -> list[int]:
    w = st << 30 | op << 28 | phy << 23 | reg << 18 | ta << 16 | data
    return [w >> (31 - k) & 1 for k in range(32)]


def _feed(decoder: FrameDecoder, chunks: list[tuple[list[int], list[int]]]) -> npt.NDArray[np.void]:
    """Feed (bits, sample positions) chunks at 1 MHz; every row decoded."""
    out = [np.zeros(0, TRANSACTION_DTYPE)]
    for k, (bits, pos) in enumerate(chunks):
        edges = Edges(None, np.array(pos, np.int64), np.array(bits, np.uint8),
                      0.0 if k == 0 else None, rate=1e6)  # fmt: skip
        out.append(decoder.feed(edges))
    out.append(decoder.finish())
    return np.concatenate(out)


@pytest.mark.parametrize("vectorised", [True, False])
def test_a_preamble_counts_from_the_gap_the_decoder_synchronised_on(vectorised: bool) -> None:
    """Unsynchronised bits the decoder dropped while it waited (junk ending in ones) do
    not count towards the preamble of the first frame after MDC resumes: its preamble
    is the ones from the gap on, also when ones run on across the gap."""
    junk = [0] * 1100
    junk[73:76] = [1, 1, 1]  # the last bits of what is dropped: 3 ones
    junk[-2:] = [1, 1]  # ones just before MDC stops
    first = _word(0b01, 0b01, 3, 4, 0b10, 0x1234)
    rest = [1, 1, 1, *first]
    for k in range(13):
        rest += [1] * 32 + _word(0b01, 0b10, 5, k, 0b10, 0xBEEF)
    rest += [1] * 8
    pos = [4 * (k + 1) for k in range(len(junk) + len(rest))]
    pos[len(junk) :] = [p + 1000 for p in pos[len(junk) :]]  # MDC stopped
    decoder = FrameDecoder(vectorised=vectorised)
    rows = _feed(decoder, [(junk, pos[: len(junk)]), (rest, pos[len(junk) :])])
    assert decoder.synced_by is not None and decoder.synced_by.how == "gap"
    assert rows[["phy", "reg", "data", "errors", "preamble"]].tolist()[:2] == [
        (3, 4, 0x1234, 1, 3), (5, 0, 0xBEEF, 0, 32)]  # fmt: skip
    assert rows["start"][0] == pos[len(junk)] / 1e6
    assert len(rows) == 14


@pytest.mark.parametrize("vectorised", [True, False])
def test_mdc_stopping_right_after_st_s_first_bit_cuts_the_frame_there(vectorised: bool) -> None:
    """A frame MDC stops in after one bit (its first ST bit) ends there, truncated,
    whichever search finds the frames around it."""
    a = _word(0b01, 0b01, 1, 2, 0b10, 0x0F0F)
    b = _word(0b01, 0b10, 1, 3, 0b10, 0x7FFF)
    c = _word(0b01, 0b01, 1, 4, 0b10, 0x00F0)
    bits = [1] * 40 + a + [1] * 32 + b + [1] * 32 + c + [1] * 10
    stop = 40 + 32 + 32 + 1  # B's second bit follows the stop
    pos = [4 * (k + 1) + (1000 if k >= stop else 0) for k in range(len(bits))]
    rows = _feed(FrameDecoder(min_preamble=32, vectorised=vectorised), [(bits, pos)])
    # Bits after the cut read 0: ST 00 (Clause 45), no TA 10: truncated and turnaround.
    assert rows[["reg", "data", "errors"]].tolist() == [(2, 0x0F0F, 0), (0, 0, 18), (4, 0x00F0, 0)]


def _frame_toggles(bits: list[int], start: int) -> tuple[list[int], list[int]]:
    """MDC and MDIO toggles clocking ``bits`` out from sample ``start`` (a rise 20
    samples into each 40-sample bit, MDIO set 10 samples before it; MDIO idles high)."""
    mdc = [start + 40 * k + d for k in range(len(bits)) for d in (20, 40)]
    mdio, level = [], 1
    for k, bit in enumerate(bits):
        if bit != level:
            mdio.append(start + 40 * k + 10)
            level = bit
    return mdc, mdio


def _rows(reader: CaptureReader, glitch: float = 0.0) -> list[tuple[object, ...]]:
    return np.concatenate(
        [np.zeros(0, TRANSACTION_DTYPE), *decode_arrays(reader, glitch=glitch)]
    ).tolist()


@pytest.mark.parametrize(
    ("name", "glitch"),
    [("nothing in the first block", 0.0), ("MDIO alone in the first block", 0.0),
     ("a falling edge alone first, filtered", W * T)],
)  # fmt: skip
def test_idle_before_the_first_edge_counts_from_the_captures_start(
    name: str, glitch: float
) -> None:
    """MDC idle from the capture's start (its first block's) for more than 4 bit times
    before the first edge is a gap the decoder synchronises on: a frame with a 3-bit
    preamble right there is decoded, also when the first blocks hold no rising edge
    (the start is not the block the first edge is in)."""
    mdc, mdio = _frame_toggles([1, 1, 1, *_word(0b01, 0b01, 2, 9, 0b10, 0xC0DE), 1, 1], 400)
    initial, first = (0, 1), 1
    if name == "nothing in the first block":
        cuts = [300, 2000]
    elif name == "MDIO alone in the first block":
        mdio, cuts = [350, 355, *mdio], [390, 2000]  # MDIO 0 at 350, 1 again at 355
    else:  # MDC idles high before the capture, falls at 10; a block per MDC change
        mdc, initial, first = [10, *mdc], (1, 1), 0
        cuts = [*mdc[1:], 2000]
    whole = _Transitions(_cut(mdc, mdio, [2000], first), initial)
    want = _rows(whole, glitch)
    assert [r[4:10] for r in want] == [(2, 9, 0xC0DE, -1, 1, 3)]  # phy .. preamble
    assert _rows(_Transitions(_cut(mdc, mdio, cuts, first), initial), glitch) == want
