# SPDX-License-Identifier: GPL-2.0-only
"""The frame finder's synchronisation and chunk hand-over pinned (issue 23: mutants of
physcapy/capture/decode.py in FrameDecoder._synchronise, _scan, finish, _note_skip).

Bit streams are fed to FrameDecoder directly, as edges with sample positions (4 a bit)
or with times.  Where the decoder synchronises (after a gap, at 17 ones, or where every
plausible alignment meets: IEEE 802.3 22.2.4.5.3, physcapy/capture/align.py), what it
reports as skipped before that, and the rows after are held to what the stream holds,
and to the same stream fed whole: where the chunks end changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from physcapy.capture import decode as decode_module
from physcapy.capture.align import SYNC_FRAMES, WINDOW, find_alignment
from physcapy.capture.decode import (
    TRANSACTION_DTYPE,
    Edges,
    FrameDecoder,
    decode_samples,
)
from tests.conftest import MUTATE
from tests.test_capture import _stream
from tests.test_mutants_decode import _word

#: A sync report: how, file position, time (frames and alternatives apart).
Sync = tuple[str, int, float] | None


def _edges(bits: Sequence[int], ticks: Sequence[int], clock: str, t0: float | None) -> Edges:
    b = np.array(bits, np.uint8)
    pos = np.array(ticks, np.int64)
    if clock == "samples":  # 1 MHz: a tick is a sample
        return Edges(None, pos, b, t0, rate=1e6)
    return Edges(pos / 1e6, pos, b, t0)  # a transition file: times, line numbers


def _feed(
    bits: Sequence[int],
    ticks: Sequence[int],
    chunks: Sequence[int] = (),
    *,
    clock: str = "samples",
    t0: float = 0.0,
    **options: Any,
) -> tuple[np.ndarray, FrameDecoder]:
    """The rows of a stream fed in chunks of the sizes given, in turn (whole: none)."""
    decoder = FrameDecoder(**options)
    out = []
    at, k = 0, 0
    while at < len(bits):
        size = chunks[k % len(chunks)] if chunks else len(bits)
        k += 1
        out.append(decoder.feed(_edges(bits[at : at + size], ticks[at : at + size], clock,
                                       t0 if at == 0 else None)))  # fmt: skip
        at += size
    out.append(decoder.finish())
    return np.concatenate(out), decoder


def _report(rows: np.ndarray, decoder: FrameDecoder) -> tuple[list[Any], list[Any], Sync]:
    """Every field of every row, every skipped stretch, how the decoder synchronised."""
    skipped = [(s.position, s.time, s.bits) for s in decoder.skipped]
    s = decoder.synced_by
    return rows.tolist(), skipped, None if s is None else (s.how, s.position, s.time)


def _frame(preamble: int, word: int) -> tuple[str, int, int]:
    return ("frame", preamble, word)


def _words(seed: int, count: int, last_bit: int | None = None) -> list[int]:
    """Well-formed Clause 22 frames (reads and writes), random fields."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        op = rng.choice([0b01, 0b10])
        data = rng.randrange(0x10000)
        if last_bit is not None:
            data = data & ~1 | last_bit
        out.append(_word(0b01, op, rng.randrange(32), rng.randrange(32), 0b10, data))
    return out


def _row(word: int, preamble: int, kept: int = 32) -> tuple[int, ...]:
    """The row a frame decodes to (clause, op, phy, reg, data, errors, preamble) when
    its first ``kept`` bits were clocked."""
    w = word & ~((1 << (32 - kept)) - 1)
    st, op, ta = w >> 30, w >> 28 & 3, w >> 16 & 3
    c22 = st == 1
    read = op == 0b10 if c22 else op >= 0b10
    errors = (preamble < 32) | ((ta & 1) != 0 if read else ta != 0b10) << 1
    errors |= (c22 and op in (0, 3)) << 2 | (kept < 32) << 4
    return (22 if c22 else 45, op, w >> 23 & 31, w >> 18 & 31, w & 0xFFFF, errors, preamble)


def _fields(rows: list[Any]) -> list[tuple[int, ...]]:
    """(clause, op, phy, reg, data, errors, preamble) of each row (rows as tolist())."""
    return [(*r[2:7], r[8], r[9]) for r in rows]


def _trailing_ones(word: int) -> int:
    return len(f"{word:032b}") - len(f"{word:032b}".rstrip("1"))


def _same_fed_whole_and_in_chunks(
    bits: Sequence[int],
    ticks: Sequence[int],
    chunkings: Sequence[Sequence[int]],
    **options: Any,
) -> tuple[list[Any], list[Any], Sync]:
    """The report of the stream fed whole, after checking that it is the same fed in each
    chunking, by the vectorised searches and by the walk alone."""
    rows, decoder = _feed(bits, ticks, **options)
    whole = _report(rows, decoder)
    ambiguous = [s.ambiguous for s in decoder.skipped]
    for chunks in chunkings:
        for vectorised in (True, False):
            rows, decoder = _feed(bits, ticks, chunks, vectorised=vectorised, **options)
            assert _report(rows, decoder) == whole, (chunks, vectorised)
            assert [s.ambiguous for s in decoder.skipped] == ambiguous, (chunks, vectorised)
    return whole


# -- where chunks end changes nothing ------------------------------------------------------


def _idle_between_frames() -> tuple[list[int], list[int]]:
    """Frames after idle runs longer than a chunk: 300 ones, 130, 100 after a frame of 16
    (too short a preamble when 32 are asked for: junk then), 70 after one of 2."""
    w = _words(1, 7)
    pieces = [_frame(40, w[0]), _frame(300, w[1]), _frame(16, w[2]), _frame(100, w[3]),
              _frame(130, w[4]), _frame(2, w[5]), _frame(70, w[6])]  # fmt: skip
    return _stream(pieces, unknown=False)


@pytest.mark.parametrize("min_preamble", [1, 32])
def test_ones_dropped_with_a_chunk_still_count_towards_the_next_preamble(
    min_preamble: int,
) -> None:
    """Idle ones run over several chunks (a chunk keeps only the last 64 bits): each
    frame's preamble is every one since the last frame's end (or since the last bit of
    a frame too short to count, with min_preamble 32), as when the stream is fed whole."""
    bits, ticks = _idle_between_frames()
    rows, _, sync = _same_fed_whole_and_in_chunks(
        bits, ticks, [[1], [7], [50], [97], [300], [33, 150]], min_preamble=min_preamble
    )
    w = _words(1, 7)
    if min_preamble == 1:
        want = [_row(x, p) for x, p in zip(w, [40, 300, 16, 100, 130, 2, 70], strict=True)]
    else:  # the 16- and 2-one frames are junk: the ones they end with count too
        want = [_row(w[0], 40), _row(w[1], 300), _row(w[3], 100 + _trailing_ones(w[2])),
                _row(w[4], 130), _row(w[6], 70 + _trailing_ones(w[5]))]  # fmt: skip
    assert _fields(rows) == want
    assert sync == ("preamble", 4, 4e-06)


def test_a_gap_inside_a_frame_left_for_the_next_chunk_still_cuts_it() -> None:
    """MDC stops 10 bits into a frame (the STA gave up: truncated there) and the chunk
    ends before the frame's 32 bits would: the gap is kept with the frame's bits, at its
    place among them, wherever the chunk ends.  (32 ones required: the rest of a cut
    frame is no frame, its last ones count towards the next preamble.)"""
    w = _words(2, 5)
    pieces = [_frame(32, w[0]), ("stopped-frame", 32, w[1]), _frame(40, w[2]),
              ("stopped-frame", 33, w[3]), _frame(40, w[4])]  # fmt: skip
    bits, ticks = _stream(pieces, unknown=False)
    rows, skipped, sync = _same_fed_whole_and_in_chunks(
        bits, ticks, [[size] for size in range(60, 140, 5)], min_preamble=32
    )
    assert _fields(rows) == [_row(w[0], 32), _row(w[1], 32, 10), _row(w[2], 40),
                             _row(w[3], 33, 10), _row(w[4], 40 + _trailing_ones(w[3]))]  # fmt: skip
    assert skipped == [] and sync == ("preamble", 4, 4e-06)


def test_a_frame_that_starts_right_after_a_cut_is_found_by_the_walk() -> None:
    """MDC stops 10 bits into a frame and, when it resumes, the STA starts a new frame
    after a single 1 (min_preamble 1): the new frame begins before the cut frame's 32 bits
    would have ended, and is found from the cut, not from where the cut frame would
    have ended."""
    w = _words(5, 4)
    frame_bits = [[(x >> (31 - k)) & 1 for k in range(32)] for x in w]
    bits = [1] * 32 + frame_bits[0] + [1] * 32 + frame_bits[1][:10]
    ticks = [4 * (k + 1) for k in range(len(bits))]
    resumed = [1] + frame_bits[2] + [1] * 32 + frame_bits[3]
    ticks += [ticks[-1] + 1000 + 4 * k for k in range(len(resumed))]
    bits += resumed
    rows, skipped, sync = _same_fed_whole_and_in_chunks(
        bits, ticks, [[size] for size in (70, 100, 107, 130)], min_preamble=1
    )
    assert _fields(rows) == [_row(w[0], 32), _row(w[1], 32, 10), _row(w[2], 1), _row(w[3], 32)]
    assert skipped == [] and sync == ("preamble", 4, 4e-06)


@pytest.mark.parametrize("seed", range(12 if MUTATE else 40))
def test_where_a_suppressed_preamble_stream_aligns_does_not_depend_on_its_chunks(
    seed: int,
) -> None:
    """Random continuously clocked streams (junk, MDC stopping, a poll loop that parses
    at two offsets at times, then frames with short preambles, a stop among them at
    times): fed whole, or in chunks of 7, 40, 2 and 60, or 997 edges, they synchronise
    at the same place the same way and give the same rows and skipped stretches.
    (Before, a chunk ending inside the plausible alignments' chains let the first ones
    whole decide alone: one stream in five synchronised elsewhere.)"""
    rng = random.Random(seed)
    w = _words(100 + seed, 40)
    pieces: list[tuple[str, int, int]] = [
        rng.choice([("junk", rng.randrange(12), rng.randrange(1 << 12)), ("gap", 0, 0)])
        for _ in range(rng.randrange(1, 4))
    ]
    if rng.random() < 0.3:  # a poll loop that parses at two offsets, ending in junk at times
        poll = _word(0b01, rng.choice([0b01, 0b10]), rng.randrange(32), 1, 0b10, 0x796D)
        pieces += [_frame(rng.choice([1, 2]), poll)] * rng.randrange(20, 120)
        pieces += [("junk", 40, rng.getrandbits(40))] * rng.choice([0, 0, 3])
    pre = rng.choice([1, 1, 2, 3, 5])
    pieces += [_frame(rng.choice([pre, pre, rng.randrange(1, 17)]), x)
               for x in w[: rng.randrange(10, 40)]]  # fmt: skip
    if rng.random() < 0.3:
        pieces.insert(rng.randrange(len(pieces)), ("gap", 0, 0))
    bits, ticks = _stream(pieces, unknown=False)
    _same_fed_whole_and_in_chunks(bits, ticks, [[7], [40], [2, 60], [997]])


@pytest.mark.parametrize("repeats", [30, 200])
def test_a_long_poll_loop_aligns_where_it_ends_however_the_stream_is_cut(repeats: int) -> None:
    """A poll loop on a continuously clocked bus (one read repeated, 1-bit preambles),
    longer than the 32 windows one search used to try, then varied traffic: every
    window is tried whatever the bits at hand, so fed whole or in chunks the decoder
    aligns at the same frame near the loop's end and reports the same stretch before
    it, naming the same ambiguous alignments.  (Before, fed whole the loop was given up
    on and its bits dropped: the stream was aligned elsewhere, or not at all.)"""
    poll = _word(0b01, 0b10, 1, 1, 0b10, 0x796D)
    w = _words(77, 30)
    pieces = [("junk", 9, 0b101101001)] + [_frame(1, poll)] * repeats
    bits, ticks = _stream(pieces + [_frame(1, x) for x in w], unknown=False)
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[40], [2, 60], [997]])
    assert sync is not None and sync[0] == "alignment"
    sts = [9 + 1 + 33 * k for k in range(repeats + len(w))]  # each frame's ST bit
    first = sts.index(sync[1] // 4)  # bit k at tick 4k + 4; synchronised at the idle 1
    assert repeats - 4 <= first < repeats
    assert _fields(rows) == [_row(poll, 1)] * (repeats - first) + [_row(x, 1) for x in w]
    assert len(skipped) == 1 and skipped[0][0] == 4


# -- what is skipped before the first frame ---------------------------------------------------


def test_a_bus_stuck_low_for_many_chunks_is_one_skipped_stretch() -> None:
    """MDIO low for 12000 edges (nothing like a frame), then MDC stops and frames follow:
    one skipped stretch from the first edge, of every edge before the gap, however many
    chunks it was dropped in (the decoder keeps 4096 bits while it waits)."""
    assert decode_module._KEEP_UNSYNCED == 4096
    w = _words(2, 4)
    bits, ticks = _stream([("junk", 12000, 0), ("gap", 0, 0)] + [_frame(2, x) for x in w],
                          unknown=False)  # fmt: skip
    rows, skipped, sync = _same_fed_whole_and_in_chunks(
        bits, ticks, [[2800], [4400, 1200], [256], [12001]]
    )
    assert skipped == [(4, 4e-06, 12000)]
    assert sync == ("gap", ticks[12000], ticks[12000] / 1e6)
    assert _fields(rows) == [_row(x, 2) for x in w]


def test_a_stretch_that_begins_with_idle_ones_is_reported_from_its_first_edge() -> None:
    """4400 idle ones (MDC running, MDIO released), an x level, junk, then MDC stops and
    frames follow: the skipped stretch is every edge before the gap, from the first,
    also when the ones were dropped with a chunk of their own before the junk came.
    (The stretch was reported from where the first chunk with junk began.)"""
    w = _words(3, 3)
    pieces = [("x-start", 4400, 0x2A2A2A2A), ("junk", 40, 0x123456789), ("gap", 0, 0)]
    bits, ticks = _stream(pieces + [_frame(2, x) for x in w], unknown=True)
    rows, skipped, sync = _same_fed_whole_and_in_chunks(
        bits, ticks, [[2400], [4200], [1200]], clock="seconds"
    )
    assert skipped == [(4, 4e-06, 4472)]
    assert sync == ("gap", ticks[4472], ticks[4472] / 1e6)
    assert _fields(rows) == [_row(x, 2) for x in w]


def test_ones_dropped_before_synchronising_are_no_preamble_after_the_gap() -> None:
    """A long stretch of junk (a 0 every 11 bits: never 17 ones) dropped in chunks while
    the decoder waits, one chunk ending inside a run of its ones, then MDC stops and a
    frame follows after 2 ones: its preamble is those 2, not the junk's ones before the
    chunk's end."""
    junk = [0] + [1] * 10
    pattern = sum(bit << k for k, bit in enumerate(junk * 546))  # 6006 bits
    w = _words(6, 3)
    bits, ticks = _stream([("junk", 6006, pattern), ("gap", 0, 0)] + [_frame(2, x) for x in w],
                          unknown=False)  # fmt: skip
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[4500], [5000, 100]])
    assert sync == ("gap", ticks[6006], ticks[6006] / 1e6)
    assert skipped == [(4, 4e-06, 6006)]
    assert _fields(rows) == [_row(x, 2) for x in w]


@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_idle_ones_alone_are_not_skipped(clock: str) -> None:
    """Idle ones before MDC stops (fewer than 17, or the next preamble would take them
    in), and a capture of nothing but idle ones over several chunks, are no skipped
    stretch."""
    w = _words(4, 2)
    bits, ticks = _stream([("junk", 10, 0x3FF), ("gap", 0, 0)] + [_frame(2, x) for x in w],
                          unknown=False)  # fmt: skip
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[5], [40]], clock=clock)
    assert skipped == [] and sync == ("gap", ticks[10], ticks[10] / 1e6)
    assert _fields(rows) == [_row(x, 2) for x in w]
    ones, ticks = _stream([("junk", 12000, (1 << 12000) - 1)], unknown=False)
    rows, skipped, sync = _same_fed_whole_and_in_chunks(ones, ticks, [[6000]], clock=clock)
    assert rows == [] and skipped == [] and sync is None


# -- where the decoder synchronises -----------------------------------------------------------


@pytest.mark.parametrize("ones", [16, 17])
def test_seventeen_ones_synchronise_sixteen_do_not(ones: int) -> None:
    """A capture that begins on a bus held low, then a frame after ``ones`` ones and
    frames with 1-one preambles (MDC never stops): 17 ones are a preamble to synchronise
    on, from the first of them; 16 are not, and nothing is decoded then."""
    w = _words(3, 4)
    bits, ticks = _stream([("junk", 5, 0), _frame(ones, w[0])] + [_frame(1, x) for x in w[1:]],
                          unknown=False)  # fmt: skip
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[10], [30]])
    if ones == 17:
        assert sync == ("preamble", ticks[5], ticks[5] / 1e6)
        assert skipped == [(4, 4e-06, 5)]
        assert _fields(rows) == [_row(w[0], 17)] + [_row(x, 1) for x in w[1:]]
    else:
        assert sync is None and rows == [] and skipped == [(4, 4e-06, len(bits))]


def test_an_idle_start_synchronises_as_a_gap_even_before_a_full_preamble() -> None:
    """The capture begins idle (MDC stopped before its first edge), the first frame has
    32 ones and 19 follow with 1-one preambles: a gap at the first edge, not the
    preamble starting there; frames and alternatives are an alignment's only (the 20
    frames parse, but no alignment was needed)."""
    w = _words(4, 20)
    bits, ticks = _stream([("gap", 0, 0), _frame(32, w[0])] + [_frame(1, x) for x in w[1:]],
                          unknown=False)  # fmt: skip
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[100]])
    assert sync == ("gap", 1004, 1004e-6) and skipped == []
    assert _fields(rows) == [_row(w[0], 32)] + [_row(x, 1) for x in w[1:]]
    decoder = _feed(bits, ticks)[1]
    assert decoder.synced_by is not None
    assert (decoder.synced_by.frames, decoder.synced_by.alternatives) == (0, 0)


@pytest.mark.parametrize("start", ["preamble", "gap"])
def test_synchronised_at_the_first_bit_each_chunk_returns_the_frames_it_completes(
    start: str,
) -> None:
    """A capture that synchronises at its first bit (a full preamble there, or MDC idle
    before its first edge) has no earlier alignment to wait for: each feed returns the
    frames whose last bit it brought, as a live capture shows them, not only once 17
    alignment windows of bits (833) are in."""
    w = _words(11, 12)
    head = [_frame(32, w[0])] if start == "preamble" else [("gap", 0, 0), _frame(2, w[0])]
    bits, ticks = _stream(head + [_frame(32, x) for x in w[1:]], unknown=False)
    first = 64 if start == "preamble" else 34  # bits up to the first frame's end
    ends = [first + 64 * k for k in range(len(w))]
    assert ends[-1] == len(bits)
    decoder = FrameDecoder()
    for at in range(0, len(bits), 50):
        rows = decoder.feed(_edges(bits[at : at + 50], ticks[at : at + 50], "samples",
                                   0.0 if at == 0 else None))  # fmt: skip
        brought = [k for k, end in enumerate(ends) if at < end <= at + 50]
        assert _fields(rows.tolist()) == [_row(w[k], 32 if k else first - 32) for k in brought]
    assert decoder.finish().size == 0


def test_an_alignment_reports_its_frames_and_alternatives() -> None:
    """A capture that begins mid-frame on a continuously clocked bus with 1-one preambles
    synchronises where the plausible alignments meet, and reports how many frames parse
    from there and how many other alignments meet it, as align.py finds them."""
    w = _words(5, 30)
    bits, ticks = _stream([("junk", 5, 0b10110)] + [_frame(1, x) for x in w], unknown=False)
    found = find_alignment(np.array(bits, np.uint8), min_preamble=1)
    assert found.start is not None and found.alternatives > 0
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[1000]])
    assert sync == ("alignment", ticks[found.after], ticks[found.after] / 1e6)
    decoder = _feed(bits, ticks)[1]
    assert decoder.synced_by is not None
    assert decoder.synced_by.frames == found.frames >= SYNC_FRAMES
    assert decoder.synced_by.alternatives == found.alternatives
    assert skipped == [(4, 4e-06, found.after)]
    first = (found.start - 5) // 33  # the frame the alignment starts with
    assert _fields(rows) == [_row(x, 1) for x in w[first:]]


def test_seventeen_ones_where_the_alignment_starts_are_a_preamble() -> None:
    """17 ones, then a frame that every plausible alignment agrees on (the next ones are
    18 ones apart, beyond its window): the alignment starts where the preamble does, so
    the preamble synchronises (an alignment is taken only where it starts first)."""
    w = _words(3, 17)
    bits, ticks = _stream([("junk", 5, 0), _frame(17, w[0])] + [_frame(18, x) for x in w[1:]],
                          unknown=False)  # fmt: skip
    found = find_alignment(np.array(bits, np.uint8), min_preamble=1)
    assert (found.start, found.after) == (22, 5)  # the first frame, its 17 ones
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[100], [300]])
    assert sync == ("preamble", ticks[5], ticks[5] / 1e6) and skipped == [(4, 4e-06, 5)]
    assert _fields(rows) == [_row(w[0], 17)] + [_row(x, 18) for x in w[1:]]


@pytest.mark.parametrize(("ones", "aligned"), [(24, True), (25, False)])
def test_an_alignment_is_looked_for_within_seventeen_windows_of_the_preamble(
    ones: int, aligned: bool
) -> None:
    """A frame A after 16 ones (no preamble to synchronise on), then 17 ones and frames
    ``ones`` ones apart: A is taken only where the 16 frames that align it lie within
    (SYNC_FRAMES + 1) * WINDOW bits of the 17 ones (the search is bounded there): with 24
    ones between frames they do, with 25 not, and A is skipped."""
    w = _words(3, 16)
    pieces = [("junk", 5, 0), _frame(16, w[0]), _frame(17, w[1])]
    bits, ticks = _stream(pieces + [_frame(ones, x) for x in w[2:]], unknown=False)
    at = 5 + 16 + 32  # the 17 ones
    last = at + 17 + 14 * (32 + ones) + 32  # the end of the 16th frame from A
    assert (last <= at + (SYNC_FRAMES + 1) * WINDOW) is aligned
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[200], [500]])
    tail = [_row(w[1], 17)] + [_row(x, ones) for x in w[2:]]
    if aligned:
        assert sync == ("alignment", ticks[5], ticks[5] / 1e6) and skipped == [(4, 4e-06, 5)]
        assert _fields(rows) == [_row(w[0], 16), *tail]
    else:
        assert sync == ("preamble", ticks[at], ticks[at] / 1e6)
        assert skipped == [(4, 4e-06, at)] and _fields(rows) == tail


def test_frames_that_mdc_stops_inside_do_not_align() -> None:
    """A capture that begins mid-frame on a continuously clocked bus, 1-one preambles, and
    MDC pausing before the last bit of the 11th frame: no alignment runs through that
    frame (the frames before it are too few to trust), so the decoder synchronises at
    the pause, and the frames after it decode (the cut frame's last bit joins the next
    preamble)."""
    w = _words(4, 31, last_bit=1)
    bits, ticks = _stream([("junk", 3, 0b101)] + [_frame(1, x) for x in w], unknown=False)
    pause = 3 + 10 * 33 + 1 + 31  # the 11th frame's last bit
    ticks = ticks[:pause] + [t + 1000 for t in ticks[pause:]]
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[300]])
    assert sync == ("gap", ticks[pause], ticks[pause] / 1e6)
    assert skipped == [(4, 4e-06, pause)]
    assert _fields(rows) == [_row(x, 2 if k == 0 else 1) for k, x in enumerate(w[11:])]


def test_a_stray_edge_before_mdc_stops_waits_for_the_alignment_through_it() -> None:
    """One edge, MDC stops, then 3 ones and a frame whose alignment (frames 20 ones apart
    after it) starts at that first edge, before the gap: the decoder waits for the
    alignment's bits however few edges the first chunks hold, and takes it."""
    w = _words(3, 18)
    pieces = [("junk", 1, 1), ("gap", 0, 0), ("junk", 3, 0b111), _frame(2, w[0])]
    bits, ticks = _stream(pieces + [_frame(20, x) for x in w[1:]], unknown=False)
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, [[40], [2, 60], [7]])
    assert sync == ("alignment", 4, 4e-06) and skipped == []
    assert _fields(rows) == [_row(w[0], 6)] + [_row(x, 20) for x in w[1:]]


def test_ambiguous_alignments_are_reported_with_the_stretch() -> None:
    """One write polled over and over on a continuously clocked bus parses as frames at
    more than one offset: nothing is decoded, and the skipped stretch (the whole
    capture) names the alignments found, at their file positions; a stretch without
    such alignments names none."""
    word = _word(0b01, 0b01, 0, 0, 0b10, 0x796D)
    bits, ticks = _stream([("junk", 7, 0b1010110)] + [_frame(2, word)] * 60, unknown=False)
    found = find_alignment(np.array(bits, np.uint8), min_preamble=1)
    assert found.start is None and len(found.ambiguous) >= 2
    rows, decoder = _feed(bits, ticks)
    assert rows.size == 0 and decoder.synced_by is None
    assert [(s.position, s.bits) for s in decoder.skipped] == [(4, len(bits))]
    assert decoder.skipped[0].ambiguous == [ticks[k] for k in found.ambiguous]
    # Synchronised at once (the window after the 17 ones is whole in the first chunk).
    w = _words(3, 30)
    bits, ticks = _stream([("junk", 5, 0), _frame(17, w[0])] + [_frame(1, x) for x in w[1:]],
                          unknown=False)  # fmt: skip
    assert [s.ambiguous for s in _feed(bits, ticks)[1].skipped] == [[]]


@pytest.mark.parametrize(
    ("gap", "ones", "preamble"), [(True, 0, 2), (False, 0, 2), (True, 0, 0), (True, 5000, 2)]
)
def test_a_stretch_names_no_alignment_that_lies_past_it(
    gap: bool, ones: int, preamble: int
) -> None:
    """Junk, then MDC stopping (or 17 ones), then a poll loop that parses at two
    offsets: the decoder synchronises on the gap (or the preamble) and decodes the loop.
    The search for an alignment looked past that point and found the loop ambiguous,
    but the skipped stretch is the junk before it: it names no alignment, fed whole
    or in chunks, also when the loop's first frame starts at the gap's first edge, or
    the junk left the decoder's bits thousands of ones before the gap.  (Before, it
    named the loop's alignments, which lie after it.)"""
    poll = _word(0b01, 0b01, 0, 0, 0b10, 0x796D)
    sync = [("gap", 0, 0)] if gap else [("junk", 17, (1 << 17) - 1)]
    junk = [("junk", 30, 0b101100111010001101011001110101), ("junk", ones, (1 << ones) - 1)]
    loop = [_frame(preamble, poll)] + [_frame(2, poll)] * 59
    bits, ticks = _stream(junk + sync + loop, unknown=False)
    found = find_alignment(np.array(bits[30 + ones :], np.uint8), min_preamble=1)
    assert found.start is None and found.ambiguous  # the loop alone is ambiguous
    chunks = [[40], [7], [2, 60], [1000]]
    rows, skipped, how = _same_fed_whole_and_in_chunks(bits, ticks, chunks)
    assert how is not None and how[0] == ("gap" if gap and not ones else "preamble")
    assert len(rows) == 60 and [s[0] for s in skipped] == [4]
    assert _feed(bits, ticks)[1].skipped[0].ambiguous == []


@pytest.mark.parametrize(("ones", "junk_end"), [(17, 1), (4200, 1), (9000, 1), (9000, 0)])
def test_a_preamble_that_began_in_dropped_bits_starts_where_it_began(
    ones: int, junk_end: int
) -> None:
    """Junk, then MDIO idle (ones) on a running MDC for longer than the 4096 bits kept
    before the first frame, then frames: fed in chunks, the run's first ones were
    dropped with the stretch before it is seen to be a full preamble.  It is still the
    synchronisation point, and the stretch ends where it begins, as when fed whole.
    (Before, chunks moved both to where the kept bits began.)"""
    w = _words(8, 5)
    junk = ("junk", 30, 0b001100111010001101011001110101 | junk_end << 29)
    bits, ticks = _stream([junk, ("junk", ones, (1 << ones) - 1)] + [_frame(1, x) for x in w],
                          unknown=False)  # fmt: skip
    # 4126 edges: the first chunk drops the junk alone, the next the first ones alone.
    chunks = [[40], [1000], [4097], [4096 + 30]]
    rows, skipped, sync = _same_fed_whole_and_in_chunks(bits, ticks, chunks)
    start = 29 + (1 - junk_end)  # the junk's last bit, when a 1, starts the run
    assert sync == ("preamble", 4 * start + 4, (4 * start + 4) / 1e6)
    assert skipped == [(4, 4e-06, start)]
    assert _fields(rows) == [_row(w[0], ones + 1 + junk_end)] + [_row(x, 1) for x in w[1:]]


# -- the capture's end --------------------------------------------------------------------------


@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_a_capture_of_a_few_edges_is_decoded_at_its_end(clock: str) -> None:
    """Fewer edges than it takes to measure the clock in feed(): finish() measures it on
    them.  After an idle start they are a truncated frame (1-one preamble); at the
    capture's start (or 4 bit times into it: no gap) they are skipped; one edge has no
    interval to measure, and is skipped unless it is an idle one."""
    bits = [1, 0, 1, 1, 0, 1, 0]
    late = [100 + 4 * k for k in range(7)]  # 100 us of idle, then 4 us a bit
    rows, skipped, sync = _report(*_feed(bits, late, clock=clock))
    assert sync == ("gap", 100, 1e-4) and skipped == []
    word = 0b01_10_10 << 26  # ST 01, OP 10 (a read), PHY 10...
    assert _fields(rows) == [_row(word, 1, 6)]
    assert rows[0][:2] == (1e-4, 124e-6) and rows[0][-1] == 100
    start = [4 * (k + 1) for k in range(7)]
    assert _report(*_feed(bits, start, clock=clock)) == ([], [(4, 4e-06, 7)], None)
    assert _report(*_feed([0], [4], clock=clock)) == ([], [(4, 4e-06, 1)], None)
    assert _report(*_feed([1], [4], clock=clock)) == ([], [], None)


def test_a_transition_capture_of_a_few_edges_counts_idle_from_its_own_start() -> None:
    """A capture that begins at 5 s (a file's own time line) with its first edge 4 us
    later: no idle time before it, so no gap, whatever its clock reads."""
    bits = [1, 0, 1, 1, 0, 1, 0]
    ticks = [5_000_004 + 4 * k for k in range(7)]
    rows, decoder = _feed(bits, ticks, clock="seconds", t0=5.0)
    assert rows.size == 0 and decoder.synced_by is None
    assert [(s.position, s.bits) for s in decoder.skipped] == [(5_000_004, 7)]


def test_a_capture_without_edges_decodes_to_nothing() -> None:
    """No edge at all (or only empty groups of them): no row, of the transaction dtype,
    nothing skipped, no synchronisation."""
    decoder = FrameDecoder()
    out = decoder.finish()
    assert out.dtype == TRANSACTION_DTYPE and out.size == 0
    assert decoder.skipped == [] and decoder.synced_by is None
    decoder = FrameDecoder()
    none = Edges(None, np.zeros(0, np.int64), np.zeros(0, np.uint8), 0.0, rate=1e6)
    assert decoder.feed(none).size == 0 and decoder.finish().size == 0
    assert decoder.skipped == [] and decoder.synced_by is None
    assert decode_samples(np.zeros(1000, np.uint8), 1e6) == []


@pytest.mark.parametrize("vectorised", [True, False])
def test_a_frame_the_capture_ends_inside_is_reported_truncated(vectorised: bool) -> None:
    """The capture ends 20 bits into a frame: finish() reports it truncated (the bits
    after the end read 0), by the vectorised searches and by the walk, also when the
    frame's bits came with earlier chunks."""
    w = _words(6, 2)
    bits, ticks = _stream([("gap", 0, 0), _frame(32, w[0]), _frame(3, w[1])], unknown=False)
    bits, ticks = bits[:-12], ticks[:-12]
    for chunks in ([], [40], [90]):
        rows, _ = _feed(bits, ticks, chunks, vectorised=vectorised)
        assert _fields(rows.tolist()) == [_row(w[0], 32), _row(w[1], 3, 20)], chunks


def test_back_to_back_frames_without_preamble_when_none_is_required() -> None:
    """min_preamble 0: after an idle start, frames follow each other with no idle bit
    (each one's last data bit a 1, the next one's ST a 0): each is a frame of its own."""
    w = _words(7, 6, last_bit=1)
    bits, ticks = _stream([("gap", 0, 0), _frame(32, w[0])] + [_frame(0, x) for x in w[1:]],
                          unknown=False)  # fmt: skip
    for vectorised in (True, False):
        rows, _ = _feed(bits, ticks, min_preamble=0, vectorised=vectorised)
        assert _fields(rows.tolist()) == [_row(w[0], 32)] + [_row(x, 0) for x in w[1:]]


def test_file_positions_are_exact_at_any_size() -> None:
    """Sample positions are int64 through the decoder: past 2**53 (where a float would
    round them) the rows, the skipped stretch and the synchronisation point keep them
    exactly."""
    w = _words(8, 3)
    bits, ticks = _stream([("junk", 5, 0b01101), ("gap", 0, 0)] + [_frame(2, x) for x in w],
                          unknown=False)  # fmt: skip
    far = 2**60 + 1
    rows, decoder = _feed(bits, [t + far for t in ticks], [50], t0=far / 1e6)
    position = list(TRANSACTION_DTYPE.names or ()).index("position")
    near, _ = _feed(bits, ticks, [50])
    assert [r[position] for r in rows.tolist()] == [r[position] + far for r in near.tolist()]
    assert [s.position for s in decoder.skipped] == [far + 4]
    assert decoder.synced_by is not None and decoder.synced_by.position == far + ticks[5]


@pytest.mark.parametrize("preamble", [32, 2])
def test_ordinary_traffic_is_found_without_the_walk(
    monkeypatch: pytest.MonkeyPatch, preamble: int
) -> None:
    """Frames after an idle start, fed in chunks: with full preambles every chunk is
    searched in the bits packed once (no chain of candidates, no walk) and the words are
    read from those packed bits; with 2-one preambles (after a full one) by the chain of
    candidates, never by the walk."""
    calls: list[str] = []
    for name in ("_chain", "_walk"):
        original = getattr(FrameDecoder, name)

        def counting(self: FrameDecoder, *args: Any, _name: str = name, _f: Any = original) -> Any:
            calls.append(_name)
            return _f(self, *args)

        monkeypatch.setattr(FrameDecoder, name, counting)
    words = decode_module._frame_words

    def packed_given(*args: Any, **kwargs: Any) -> Any:
        assert args[3] is not None, "the bits were packed again"
        return words(*args, **kwargs)

    monkeypatch.setattr(decode_module, "_frame_words", packed_given)
    w = _words(9, 12)
    ones = [32] + [preamble + k for k in range(1, len(w))]
    bits, ticks = _stream([("gap", 0, 0)] + [_frame(p, x) for p, x in zip(ones, w, strict=True)],
                          unknown=False)  # fmt: skip
    rows, _ = _feed(bits, ticks, [150])
    assert _fields(rows.tolist()) == [_row(x, p) for p, x in zip(ones, w, strict=True)]
    assert "_walk" not in calls and ("_chain" in calls) is (preamble < 17)
