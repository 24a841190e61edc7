# SPDX-License-Identifier: GPL-2.0-only
"""The capture decoder's stream pinned (issue 23: mutants of physcapy/capture/decode.py in
edge finding, block hand-over and grouping).

Edges found with the idle-row skip (rows of 4096 samples whose level never changes are
passed over) are held to the plain definition of a rising edge, sample by sample, on
sparse waveforms built to hit the skip's corners; the capture's start counts the same
whichever block its first edge is in; the glitch filter cuts blocks on MDC's own
channel; and decode_arrays hands out rows while the capture is still being read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physcapy.capture import decode as decode_module
from physcapy.capture.base import CaptureReader, SampleBlock, TransitionBlock
from physcapy.capture.decode import (
    MERGE_EDGES,
    TRANSACTION_DTYPE,
    FrameDecoder,
    decode_arrays,
    edges_from_reader,
)
from physcapy.capture.synth import Timing, Waveform, render_samples, synth, write_capture
from physcapy.capture.vcd import VcdReader
from physcapy.mdio.transactions import Transaction as T
from tests.test_mutants_decode import PULSE, U, _glitch_traffic, _glitchy_wave

# -- the idle-row skip finds the edges a per-sample search finds --------------------------

ROW = 4096  # samples a row (decode._ROW)
FAST = 16 * ROW  # the shortest block the idle-row skip is tried on


class _Blocks(CaptureReader):
    """Samples in blocks of ``size`` (channel k in bit k), MDC idling at ``initial``."""

    def __init__(
        self,
        samples: npt.NDArray[np.unsignedinteger],
        size: int,
        *,
        initial: int = 0,
        rate: float = 1e6,
        mdc: int = 0,
        mdio: int = 1,
    ) -> None:
        self.samples, self.size, self.samplerate = samples, size, rate
        self.mdc, self.mdio, self.initial = mdc, mdio, (initial, 1)
        self.taken = 0

    def blocks(self) -> Iterator[SampleBlock]:
        for k in range(0, self.samples.size, self.size):
            self.taken += 1
            yield SampleBlock(k, self.samples[k : k + self.size])


def _found(reader: CaptureReader, glitch: float = 0.0) -> tuple[list[int], list[int]]:
    """Every edge's position and MDIO level, as edges_from_reader streams them."""
    got = list(edges_from_reader(reader, glitch))
    positions = np.concatenate([np.zeros(0, np.int64), *(e.positions for e in got)])
    bits = np.concatenate([np.zeros(0, np.uint8), *(e.bits for e in got)])
    return positions.tolist(), bits.tolist()


def _rises(samples: npt.NDArray[np.unsignedinteger], initial: int) -> tuple[list[int], list[int]]:
    """The definition: MDC (bit 0) low at the sample before (``initial`` before the
    first) and high at this one; MDIO (bit 1) read at that sample."""
    mdc = samples & 1
    before = np.concatenate(([initial], mdc[:-1]))
    at = np.flatnonzero((before == 0) & (mdc == 1))
    return at.tolist(), ((samples[at] >> 1) & 1).tolist()


def _sparse(length: int, highs: Sequence[tuple[int, int]]) -> npt.NDArray[np.uint8]:
    """MDC high over each ``[a, b)`` of ``highs``; MDIO high but over every second range,
    low from its MDC rise to its fall (so the levels read alternate 1, 0, 1, ...)."""
    s = np.full(length, 0b10, np.uint8)
    for k, (a, b) in enumerate(highs):
        s[a:b] |= 1
        if k % 2:
            s[a:b] &= 0b01
    return s


#: name -> (samples, MDC's level before the first), each read whole by the idle-row skip.
_L = 32 * ROW + 100  # 32 rows and a tail that is not a whole row
CORNERS: dict[str, tuple[npt.NDArray[np.uint8], int]] = {
    # A rise at the first sample of a row after an idle one (a change across rows), one
    # at the last sample of a row.
    "row ends": (_sparse(_L, [(17 * ROW, 17 * ROW + 3), (20 * ROW - 1, 20 * ROW + 2)]), 0),
    # High over whole rows: the rows after the rise hold one level, and the range after
    # them starts a sample early, where MDC is high (no edge there).
    "high across rows": (_sparse(_L, [(18 * ROW, 21 * ROW), (25 * ROW + 9, 25 * ROW + 10)]), 0),
    # A rise at the last whole row's last sample, high into the tail: the tail's range
    # starts at that sample and must not count it again; a rise in the tail, high to the end.
    "into the tail": (_sparse(_L, [(32 * ROW - 1, 32 * ROW + 10), (32 * ROW + 50, _L)]), 0),
    # The tail's first sample rises after an idle row.
    "tail begins": (_sparse(_L, [(32 * ROW, 32 * ROW + 5)]), 0),
    # The block begins with MDC high: an edge at sample 0 after MDC low, none after high.
    "begins high": (_sparse(_L, [(0, 5), (20 * ROW, 20 * ROW + 1)]), 0),
    "begins high after high": (_sparse(_L, [(0, 5), (20 * ROW, 20 * ROW + 1)]), 1),
    # High through the whole first row: no change inside it, but one from before the block.
    "first row high": (_sparse(_L, [(0, ROW + 10), (20 * ROW, 20 * ROW + 1)]), 0),
    # A one-sample pulse at the last sample of a row, and at the first of the next row.
    "pulses at a row boundary": (
        _sparse(_L, [(19 * ROW - 1, 19 * ROW), (23 * ROW, 23 * ROW + 1)]),
        0,
    ),
    # Exactly a whole number of rows, the shortest block the skip is tried on.
    "sixteen rows": (_sparse(FAST, [(5, 6), (FAST - 1, FAST)]), 0),
}


def _busy(rows: Sequence[int]) -> npt.NDArray[np.uint8]:
    """32 rows, a pulse inside each of ``rows`` (the first row counts as busy in the whole
    block, as the level before it is another block's, not in the first 16 rows)."""
    return _sparse(32 * ROW, [(r * ROW + 100, r * ROW + 200) for r in rows])


#: Around where the skip is given up for the search of every sample (more than 4 busy
#: rows of the first 16, more than a quarter of all rows): either way, the same edges.
THRESHOLDS: dict[str, tuple[npt.NDArray[np.uint8], int]] = {
    "four busy rows first": (_busy([3, 6, 9, 12]), 0),
    "five busy rows first": (_busy([3, 6, 9, 12, 15]), 0),
    "a quarter of the rows busy": (_busy([3, 6, 9, 18, 21, 24, 27]), 0),
    "over a quarter busy": (_busy([3, 6, 9, 18, 21, 24, 27, 30]), 0),
}


@pytest.mark.parametrize("name", [*CORNERS, *THRESHOLDS])
def test_skipping_idle_rows_finds_every_edge_a_sample_by_sample_search_finds(name: str) -> None:
    """Rows whose samples all equal the one before them hold no edge and are skipped; each
    stretch around the others is searched from one sample before it.  Whole or in
    blocks of any size (blocks under 16 rows are searched sample by sample), the
    edges are exactly those of the definition, positions and MDIO levels alike."""
    samples, initial = CORNERS.get(name) or THRESHOLDS[name]
    if name in CORNERS:  # the skip is taken on the whole block
        assert decode_module._active_segments(samples) is not None
    want = _rises(samples, initial)
    assert want[0], "no edge: the case tests nothing"
    for size in (samples.size, FAST, FAST + 1, 5000):
        assert _found(_Blocks(samples, size, initial=initial)) == want, size


def test_a_block_that_begins_with_a_rise_after_the_last_block_ended_low() -> None:
    """Blocks of 16 rows each, read with the idle-row skip: MDC low at one block's last
    sample and high at the next one's first is an edge at that first sample, even with
    no change in that block's first row; high at both is none."""
    samples = _sparse(3 * FAST, [(FAST, FAST + ROW + 7), (2 * FAST - 1, 3 * FAST)])
    assert decode_module._active_segments(samples[FAST : 2 * FAST]) is not None
    want = _rises(samples, 0)
    assert want[0] == [FAST, 2 * FAST - 1]
    assert _found(_Blocks(samples, FAST)) == want


_ROWS = 24  # rows of the generated blocks
_corner = st.tuples(
    st.integers(0, _ROWS), st.sampled_from([0, 1, 2, ROW // 2, ROW - 2, ROW - 1])
).map(lambda rc: rc[0] * ROW + rc[1])
_length = st.sampled_from([FAST - 1, FAST, FAST + 1, FAST + ROW - 1, _ROWS * ROW, _ROWS * ROW + 77])
_pulses = st.lists(
    st.tuples(_corner, st.sampled_from([1, 2, 3, ROW - 1, ROW, ROW + 1, 3 * ROW])), max_size=6
)


@settings(max_examples=30, deadline=None)
@given(
    _length,
    _pulses,
    st.integers(0, 1),
    st.sampled_from([FAST, FAST + 1, 2 * FAST, 7000]),
)
def test_sparse_waveforms_give_the_edges_of_the_definition(
    length: int, pulses: list[tuple[int, int]], initial: int, size: int
) -> None:
    """Pulses starting at or next to row boundaries, of lengths around a row, in blocks
    that are (or are not) searched with the idle-row skip: the edges of the definition."""
    highs = sorted((a, min(a + n, length)) for a, n in pulses if a < length)
    samples = _sparse(length, highs)
    want = _rises(samples, initial)
    assert _found(_Blocks(samples, length, initial=initial)) == want
    assert _found(_Blocks(samples, size, initial=initial)) == want


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("glitch", [0.0, 1.5e-6])
def test_edges_hold_one_byte_a_level_and_int64_positions(
    dtype: type[np.unsignedinteger], glitch: float
) -> None:
    """What the decoder buffers for every edge: MDIO's level as one byte and the sample
    position as int64, whatever the capture's sample width and whichever search found
    the edge (the idle-row skip, sample by sample, the glitch filter)."""
    sparse = _sparse(_L, [(17 * ROW, 17 * ROW + 3), (20 * ROW - 1, 20 * ROW + 2)])
    busy = np.tile(np.array([0b10, 0b11, 0b01, 0b00], np.uint8), ROW)
    for samples in (sparse, busy):
        wide = samples.astype(dtype)
        edges = list(edges_from_reader(_Blocks(wide, wide.size, rate=1e6), glitch))
        assert edges and all(e.bits.dtype == np.uint8 for e in edges)
        assert all(e.positions.dtype == np.int64 for e in edges)
        want = _rises(samples, 0)
        assert _found(_Blocks(wide, 1000, rate=1e6), glitch) == want


# -- where the capture begins -----------------------------------------------------------------
#
# Two writes 20 us apart, each after 2 preamble ones only (preamble suppression), on an
# idle bus: the idle time from the capture's start to the first edge is what lets the
# decoder take the first frame's short preamble (a gap); 16 bit times between the frames
# are a gap too.

_START = [T(2e-5, 0, 22, "write", 1, 0, 0x1234), T(4e-5, 0, 22, "write", 1, 1, 0x5678)]
_TIMING = Timing(preamble=2)


def _start_wave() -> Waveform:
    """The two frames, MDIO pulsed low (with MDC idle) 5 us into the capture."""
    w = synth(_START, _TIMING)
    mdio_t = np.concatenate(([5e-6, 6e-6], w.mdio_times))
    mdio_v = np.concatenate((np.array([0, 1], np.uint8), w.mdio_levels))
    return Waveform(w.mdc_times, w.mdc_levels, mdio_t, mdio_v, w.end)


class _Transitions(CaptureReader):
    """A waveform's changes from ``begin`` on, as transition blocks cut at ``cuts``."""

    def __init__(self, wave: Waveform, begin: float, cuts: Sequence[float]) -> None:
        self.wave, self.begin, self.cuts = wave, begin, list(cuts)
        self.mdc, self.mdio, self.samplerate = 0, 1, None
        mdio_before = wave.mdio_levels[wave.mdio_times < begin]
        self.initial = (0, int(mdio_before[-1]) if mdio_before.size else 1)

    def blocks(self) -> Iterator[TransitionBlock]:
        w, begin = self.wave, self.begin
        for end in [*self.cuts, w.end + 1]:
            m = (w.mdc_times >= begin) & (w.mdc_times < end)
            d = (w.mdio_times >= begin) & (w.mdio_times < end)
            yield TransitionBlock(
                begin, end, w.mdc_times[m], w.mdc_levels[m], w.mdio_times[d], w.mdio_levels[d],
                np.flatnonzero(m), np.flatnonzero(d),
            )  # fmt: skip
            begin = end


def _decode(
    reader: CaptureReader, glitch: float = 0.0
) -> tuple[list[tuple[int, int, int, int]], FrameDecoder]:
    """(data, errors, preamble, start in ns) of each row, and the decoder (``holder``)."""
    holder: list[FrameDecoder] = []
    rows = np.concatenate(
        [np.zeros(0, TRANSACTION_DTYPE), *decode_arrays(reader, holder=holder, glitch=glitch)]
    )
    got = [
        (int(r["data"]), int(r["errors"]), int(r["preamble"]), round(float(r["start"]) * 1e9))
        for r in rows
    ]
    return got, holder[0]


def test_idle_before_the_first_edge_counts_from_the_capture_start_in_any_block() -> None:
    """The first frame after an idle start is taken with its 2-one preamble (a gap: MDC
    idle 20 us from the capture's start) however the capture is read: sampled, as one
    block of changes, with a first block that holds MDIO's pulse only, one MDC change a
    block under the glitch filter, or from a VCD file one change at a time.  (The start
    was taken from the block holding the first edge: the first frame was lost.)"""
    wave = _start_wave()
    first = float(wave.mdc_times[0])
    want = [(0x1234, 1, 2, 20000), (0x5678, 1, 2, 40000)]
    samples = render_samples(wave, _TIMING.samplerate)
    readers: dict[str, tuple[CaptureReader, float]] = {
        "samples": (_Blocks(samples, samples.size, rate=_TIMING.samplerate), 0.0),
        "samples in blocks": (_Blocks(samples, 1000, rate=_TIMING.samplerate), 0.0),
        "one block": (_Transitions(wave, 0.0, []), 0.0),
        "MDIO first": (_Transitions(wave, 0.0, [first - 1e-7]), 0.0),
        "glitch filter": (_Transitions(wave, 0.0, wave.mdc_times[1:].tolist()), 1e-9),
    }
    for name, (reader, glitch) in readers.items():
        got, decoder = _decode(reader, glitch)
        assert got == want, name
        assert decoder.synced_by is not None and decoder.synced_by.how == "gap", name
        assert decoder.synced_by.time == first and decoder.skipped == [], name


def test_a_vcd_read_one_change_at_a_time_decodes_as_read_whole(tmp_path: Path) -> None:
    """The same through the VCD reader: blocks cut after every change (the first one
    holds MDIO's pulse only) decode as the file read in one block."""
    write_capture(tmp_path / "x.vcd", _START, _TIMING, wave=_start_wave())
    whole = _decode(VcdReader(tmp_path / "x.vcd"))[0]
    assert [row[0] for row in whole] == [0x1234, 0x5678]
    assert _decode(VcdReader(tmp_path / "x.vcd", block_changes=1, chunk_bytes=16))[0] == whole


def test_a_capture_that_begins_inside_a_frame_begins_at_its_own_start() -> None:
    """A transition capture that starts 8 us into the time line, 0.1 us before an edge
    inside the first frame: its start is its first block's, so there is no idle time
    before that edge; the frame's tail is skipped (reported from its first edge) and the
    decoder synchronises at the gap before the second frame."""
    wave = _start_wave()
    begin = float(wave.mdc_times[20]) - 1e-7  # the 11th rising edge of the first frame
    for cuts in ([], [begin + 1e-6], wave.mdc_times[22::2].tolist()):
        got, decoder = _decode(_Transitions(wave, begin, cuts))
        assert got == [(0x5678, 1, 2, 40000)], cuts
        assert [(round(k.time * 1e9), k.bits) for k in decoder.skipped] == [
            (round(float(wave.mdc_times[20]) * 1e9), 24)
        ]
        assert decoder.synced_by is not None and decoder.synced_by.how == "gap"


# -- the glitch filter cuts blocks where MDC's own channel allows ------------------------------


def test_glitch_filter_on_an_mdc_channel_other_than_the_first() -> None:
    """MDC in bit 1 and MDIO in bit 0: blocks are cut between MDC's changes, not those of
    the other channel, so pulses under the filter's width are dropped wherever the blocks
    end, as with MDC in bit 0.  (The capture starts 42 samples before MDC first rises:
    its glitches come within the first few blocks.)"""
    clean, glitchy = _glitchy_wave()
    rate = 1 / U
    want = _decode(_Blocks(render_samples(clean, rate)[1300:], 1 << 20, rate=rate))[0]
    assert [row[0] for row in want] == [t.data for t in _glitch_traffic()]
    swapped = render_samples(glitchy, rate, mdc_bit=1, mdio_bit=0)[1300:]
    for size in (55, 200, 1 << 20):  # cuts at every phase of MDC's 54-sample period
        reader = _Blocks(swapped, size, rate=rate, mdc=1, mdio=0)
        assert _decode(reader, PULSE + U)[0] == want, size


# -- decode_arrays: its defaults, its holder, and rows as the capture is read -----------------


def test_decode_arrays_takes_one_one_preambles_by_default() -> None:
    """By default any preamble of at least one 1 starts a frame once the decoder is
    synchronised (preamble suppression, 22.2.4.5.3): frames back to back after an idle
    start, each after a single 1, all decode."""
    ts = [T(2e-5, 0, 22, "read", 3, k, 0x1000 + k) for k in range(4)]
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6, preamble=1, idle_bits=0, gap=0.0)
    samples = render_samples(synth(ts, timing), timing.samplerate)
    got, _ = _decode(_Blocks(samples, samples.size, rate=timing.samplerate))
    assert [(d, e, p) for d, e, p, _ in got] == [(0x1000 + k, 1, 1) for k in range(4)]


def test_decode_arrays_gives_rows_while_the_capture_is_read() -> None:
    """Edges go to the frame finder in groups of MERGE_EDGES (a few groups read ahead):
    the first rows come out long before the last block is read (memory stays bounded
    whatever the capture's length), and every frame of the capture is decoded."""
    frame = np.array([1] * 32 + [0, 1, 1, 0] + [1, 0] * 14, np.uint8)  # reads, full preambles
    groups, per_group = 6, 4
    bits = np.tile(frame, groups * MERGE_EDGES // frame.size)
    samples = np.empty(2 * bits.size, np.uint8)  # MDC low, then high, for each bit
    samples[0::2] = bits << 1
    samples[1::2] = samples[0::2] | 1
    reader = _Blocks(samples, 2 * MERGE_EDGES // per_group)
    chunks = decode_arrays(reader)
    first = next(chunks)
    # One group being decoded, two waiting (threads.prefetch), one being read.
    assert first.size > 0 and reader.taken <= 4 * per_group + 1
    rows = np.concatenate([first, *chunks])
    assert reader.taken == groups * per_group
    assert rows.size == bits.size // frame.size
    assert (rows["data"] == 0xAAAA).all() and not rows["errors"].any()
