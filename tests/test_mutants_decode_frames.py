# SPDX-License-Identifier: GPL-2.0-only
"""The frame finder's corners pinned exactly (issue 23: mutants of the FrameDecoder
methods in physcapy/capture/decode.py that the decode tests reached but did not pin).

Edges are built here bit by bit (4 clock units a bit, MDC stops where a test says), fed
to FrameDecoder in chunks, and the rows compared field by field with what the stream
was built from -- or, where MDC stops inside a frame, with the Python walk's rows
(``vectorised=False``), the reference the numpy searches must match.  Clean traffic
(a full preamble before each frame, only ones between frames) must be found by the
full-preamble search alone: neither the chain search nor the walk may run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from physcapy.capture import decode as decode_module
from physcapy.capture.base import UNKNOWN
from physcapy.capture.decode import TRANSACTION_DTYPE, Edges, FrameDecoder
from physcapy.errors import CaptureError

RATE = 1e6  # clock units (samples) a second
BIT = 4  # clock units a bit
PAUSE = 1000  # clock units MDC stops for where a test makes it stop
NAMES = ["clause", "op", "phy", "reg", "data", "errors", "preamble", "start", "end", "position"]


def _word(st: int, op: int, phy: int, reg: int, ta: int, data: int) -> int:
    return st << 30 | op << 28 | phy << 23 | reg << 18 | ta << 16 | data


def _bits(word: int) -> list[int]:
    return [word >> (31 - k) & 1 for k in range(32)]


def _fields(word: int, pre: int, truncated: bool = False, unknown: bool = False) -> list[int]:
    """clause, op, phy, reg, data and the error mask a decode gives a frame's word."""
    st, op, ta = word >> 30, word >> 28 & 3, word >> 16 & 3
    clause = 22 if st == 1 else 45
    read = op == 0b10 if clause == 22 else op >= 0b10
    errors = (pre < 32) * 1 | ((ta & 1) != 0 if read else ta != 0b10) * 2
    errors |= (clause == 22 and op in (0, 3)) * 4 | unknown * 8 | truncated * 16
    return [clause, op, word >> 23 & 31, word >> 18 & 31, word & 0xFFFF, errors]


class _Stream:
    """Bits at MDC's rising edges, their clock (BIT units apart, PAUSE more where MDC
    stops before an edge) and the rows a decode of them must give."""

    def __init__(self, lead: list[int] | None = None) -> None:
        self.bits: list[int] = list(lead or [])
        self.ticks: list[int] = [BIT * (k + 1) for k in range(len(self.bits))]
        self.frames: list[tuple[int, int, int]] = []  # (ST index, preamble, word)

    def add(self, ones: int, word: int | None = None, pause: int | None = None) -> _Stream:
        """``ones`` ones, then ``word``'s 32 bits; MDC stops before the ``pause``-th of
        these bits (``ones``: before ST)."""
        new = [1] * ones + (_bits(word) if word is not None else [])
        for k, bit in enumerate(new):
            last = self.ticks[-1] if self.ticks else 0
            self.ticks.append(last + BIT + (PAUSE if k == pause else 0))
            self.bits.append(bit)
        if word is not None:
            self.frames.append((len(self.bits) - 32, ones, word))
        return self

    def rows(self, end: int | None = None) -> list[list[object]]:
        """The rows of a decode of the first ``end`` bits (all by default)."""
        end = len(self.bits) if end is None else end
        out: list[list[object]] = []
        for z, pre, word in self.frames:
            if z >= end:
                break
            cut = min(z + 32, end)
            masked = word & ~((1 << (z + 32 - cut)) - 1)
            first = z - min(pre, 32)
            out.append([*_fields(masked, pre, cut < z + 32), pre, self.ticks[first] / RATE,
                        self.ticks[cut - 1] / RATE, self.ticks[first]])  # fmt: skip
        return out

    def edges(self, a: int, b: int, clock: str, t0: float | None = 0.0) -> Edges:
        bits = np.array(self.bits[a:b], np.uint8)
        ticks = np.array(self.ticks[a:b], np.int64)
        if clock == "samples":
            return Edges(None, ticks, bits, t0 if a == 0 else None, rate=RATE)
        return Edges(ticks / RATE, ticks, bits, t0 if a == 0 else None)


def _decode(
    stream: _Stream,
    sizes: list[int],
    clock: str = "samples",
    *,
    end: int | None = None,
    **options: object,
) -> tuple[list[list[object]], FrameDecoder]:
    """The rows of the first ``end`` bits fed in chunks of ``sizes`` (cycled), and the
    decoder (for its skipped list)."""
    end = len(stream.bits) if end is None else end
    decoder = FrameDecoder(**options)  # type: ignore[arg-type]
    parts, at, k = [], 0, 0
    while at < end:
        size = min(sizes[k % len(sizes)], end - at)
        parts.append(decoder.feed(stream.edges(at, at + size, clock)))
        at, k = at + size, k + 1
    rows = np.concatenate([*parts, decoder.finish()])
    return [list(r) for r in rows[NAMES].tolist()], decoder


def _counting(name: str, calls: list[str]) -> Callable[..., object]:
    original = getattr(FrameDecoder, name)

    def counting(self: FrameDecoder, *args: object) -> object:
        calls.append(name)
        return original(self, *args)

    return counting


@pytest.fixture
def fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Calls of the chain search and the Python walk (clean traffic needs neither)."""
    calls: list[str] = []
    for name in ("_chain", "_walk"):
        monkeypatch.setattr(FrameDecoder, name, _counting(name, calls))
    return calls


# -- clean traffic: the full-preamble search alone ----------------------------------------

C22_READ = _word(0b01, 0b10, 1, 2, 0b10, 0x1234)  # data ends in 0
ALL_ONES = _word(0b01, 0b01, 31, 31, 0b10, 0xFFFF)  # 12 ones inside, 16 at its end
C45_ADDRESS = _word(0b00, 0b00, 2, 1, 0b10, 0x0000)
#: Frames with runs of ones inside (a whole packed byte, at some alignment: no preamble).
BYTE_OF_ONES = [
    _word(0b00, 0b11, 3, 1, 0b10, 0x00FF),
    _word(0b01, 0b10, 0, 0, 0b10, 0xFF00),
    _word(0b00, 0b10, 31, 31, 0b10, 0x0FF0),
    _word(0b01, 0b01, 5, 17, 0b10, 0x8001),
]


def _clean(lead: int, min_preamble: int = 1) -> _Stream:
    """Full preambles (17 ones at least, or 32 with ``min_preamble`` 32: exactly that
    many too), ones inside frames at every alignment (a whole packed byte among them:
    no preamble), MDC stopping in the ones between frames (right after a frame, right
    before ST, in between), after ``lead`` bits of a frame's end (zeros)."""
    short = 17 if min_preamble < 32 else 32
    s = _Stream([0] * lead).add(32 + 8, C22_READ)
    s.add(short, ALL_ONES)  # a run of exactly 17 (or 32) after data ending in 0
    s.add(short, C45_ADDRESS, pause=0)  # MDC stops right after the frame before
    s.add(short + 3, C22_READ, pause=short + 3)  # ... and right before ST
    s.add(33, C22_READ, pause=32)  # ... before the last preamble one
    for k in range(8):  # every alignment of the frames' own ones
        s.add(short + k, BYTE_OF_ONES[k % 4], pause=k if k % 3 else None)
    return s.add(40)  # idle after the last frame


@pytest.mark.parametrize("clock", ["samples", "seconds"])
@pytest.mark.parametrize("min_preamble", [1, 32])
@pytest.mark.parametrize(
    "sizes", [[1 << 20], [1], [9, 8, 31, 33, 64, 7, 65, 100]], ids=["whole", "1", "mixed"]
)
def test_clean_traffic_needs_neither_the_chain_search_nor_the_walk(
    fallbacks: list[str], clock: str, min_preamble: int, sizes: list[int]
) -> None:
    """Frames with full preambles and only ones between them (MDC may stop there) are
    found from the packed bytes in every chunk, the one where the decoder synchronises
    (3 bits into the capture) included, wherever the chunks end: the rows are exact."""
    stream = _clean(3, min_preamble)
    rows, decoder = _decode(stream, sizes, clock, min_preamble=min_preamble)
    assert rows == stream.rows()
    assert fallbacks == []
    assert decoder.synced_by is not None and decoder.synced_by.how == "preamble"
    assert [(s.position, s.bits) for s in decoder.skipped] == [(BIT, 3)]


@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_a_capture_may_end_anywhere_in_clean_traffic(fallbacks: list[str], clock: str) -> None:
    """A capture cut at any bit of its last frame (or of the preamble before it) ends
    in a truncated frame, still found by the full-preamble search alone."""
    stream = _clean(0)
    z = stream.frames[-1][0]
    for end in range(z - 9, z + 33):
        rows, _ = _decode(stream, [1 << 20], clock, end=end)
        assert rows == stream.rows(end), end
    assert fallbacks == []


@pytest.mark.parametrize("vectorised", [True, False])
def test_mdc_stopping_at_any_bit_of_a_frame_cuts_it_there(vectorised: bool) -> None:
    """MDC stopping inside a frame (after its first bit, its 31st, anywhere) ends it
    there, truncated; the numpy searches leave such a chunk to the walk, so every
    search gives the walk's rows."""
    for at in range(1, 32):
        stream = _Stream().add(40, C22_READ).add(32, C45_ADDRESS, pause=32 + at).add(40)
        rows, _ = _decode(stream, [1 << 20], vectorised=vectorised)
        walk, _ = _decode(stream, [1 << 20], vectorised=False)
        assert rows == walk, at
        z = stream.frames[1][0]
        masked = C45_ADDRESS & ~((1 << (32 - at)) - 1)
        assert rows[1][:7] == [*_fields(masked, 32, truncated=True), 32], at
        assert rows[1][8] == stream.ticks[z + at - 1] / RATE, at


# -- where the capture begins, and the bit period ------------------------------------------


@pytest.mark.parametrize("clock", ["samples", "seconds"])
@pytest.mark.parametrize("given_by", ["edges", "decoder"])
@pytest.mark.parametrize("idle", [False, True])
def test_idle_before_the_first_edge_counts_from_the_capture_start(
    clock: str, given_by: str, idle: bool
) -> None:
    """A capture that begins 1 s in (its own start, not 0 s; said by the first edges'
    t0 or by FrameDecoder.t0): bits clocked from its start are the end of a frame, not
    a frame, and are skipped; more than 4 bit times of idle MDC before the first edge
    is a gap, after which frames can start at once."""
    t0 = 1.0
    lead = [1, 0, 1, 1, 0, 0, 1, 0]
    stream = _Stream(lead).add(40, C22_READ).add(40)
    shift = int(t0 * RATE) + (PAUSE if idle else 0)
    ticks = np.array(stream.ticks, np.int64) + shift
    bits = np.array(stream.bits, np.uint8)
    first = t0 if given_by == "edges" else None
    if clock == "samples":
        edges = Edges(None, ticks, bits, first, rate=RATE)
    else:
        edges = Edges(ticks / RATE, ticks, bits, first)
    decoder = FrameDecoder(t0=t0 if given_by == "decoder" else 0.0)
    rows = np.concatenate([decoder.feed(edges), decoder.finish()])
    assert decoder.synced_by is not None
    assert decoder.synced_by.how == ("gap" if idle else "preamble")
    assert decoder.synced_by.position == int(ticks[0 if idle else len(lead)])
    skipped = [(s.position, s.time, s.bits) for s in decoder.skipped]
    assert skipped == ([] if idle else [(int(ticks[0]), ticks[0] / RATE, len(lead))])
    assert rows[-1]["data"] == 0x1234
    if idle:  # frames can start at once: the lead's first 0 after a 1 starts one
        assert rows["position"].tolist() == [ticks[0], ticks[1 + 32]]
    else:
        assert rows["position"].tolist() == [ticks[len(lead) + 8]]


def _period_stream(slow: int, pause: int) -> _Stream:
    """``slow`` edges 40 units apart, then bits 4 apart: a full preamble and a frame in
    which MDC stops for ``pause`` units 20 bits in."""
    s = _Stream()
    s.bits, s.ticks = [1] * slow, [40 * (k + 1) for k in range(slow)]
    s.add(32, C22_READ)
    s.ticks[-12:] = [t + pause - BIT for t in s.ticks[-12:]]
    return s.add(40)


@pytest.mark.parametrize(("slow", "period"), [(8, BIT), (9, 40)])
def test_the_bit_period_is_measured_once_more_than_8_edges_are_buffered(
    slow: int, period: int
) -> None:
    """The decoder waits for 9 edges to know MDC's period (the median interval): 8 slow
    edges alone in the first chunk do not set it, 9 do; a pause of 5 fast bit times
    inside a frame then is a gap (the frame is cut there) or not."""
    stream = _period_stream(slow, 5 * BIT)
    rows, _ = _decode(stream, [slow, 1 << 20])
    truncated = period == BIT
    word = C22_READ & ~0xFFF if truncated else C22_READ  # cut 20 bits in: the rest reads 0
    assert rows[0][:7] == [*_fields(word, 32 + slow, truncated), 32 + slow]


def test_the_bit_period_is_the_median_of_the_first_4095_intervals() -> None:
    """MDC's period is measured once, on the first 4096 edges: intervals of 3 units
    (2048 of them) and 2 (2047) make it 3, whatever follows (here a 4096th interval of
    2), so a pause of 12 units inside a frame is no gap and one of 13 is."""
    for pause, cut in ((12, False), (13, True)):
        s = _Stream()
        steps = [3] * 2049 + [2] * 2048 + [3] * 200
        s.ticks = np.cumsum(steps).tolist()
        s.bits = [1] * len(steps)
        s.add(32, C22_READ)
        s.ticks[-12:] = [t + pause - BIT for t in s.ticks[-12:]]
        s.add(40)
        rows, _ = _decode(s, [1 << 20])
        assert bool(rows[0][5] & 16) is cut, pause
        assert rows[0][4] == (0x1000 if cut else 0x1234), pause


def test_edges_that_mostly_share_an_instant_make_no_gaps() -> None:
    """A timestamped clock whose rising edges mostly repeat an instant has a median
    interval of 0: no pause is a gap then (a gap is a multiple of the period), not
    every interval, and the frame is decoded whole."""
    s = _Stream().add(40, C22_READ).add(40)
    t = (np.arange(len(s.bits)) // 3).astype(float) * 1e-6
    t[40 + 20 :] += 1.0  # MDC stops for a second inside the frame
    decoder = FrameDecoder()
    bits = np.array(s.bits, np.uint8)
    rows = np.concatenate([decoder.feed(Edges(t, np.arange(t.size), bits, 0.0)), decoder.finish()])
    assert rows[["phy", "reg", "data", "errors"]].tolist() == [(1, 2, 0x1234, 0)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 9), st.floats(-1e3, 1e3)), min_size=1, max_size=40))
@example([1, 2, 3, 4])
@example([4, 3, 2, 1, 5, 0])
def test_median_is_the_middle_value_or_the_mean_of_the_two(values: list[float]) -> None:
    """_median (MDC's period from the edge intervals) is the statistician's median."""
    ordered = sorted(values)
    half = len(ordered) // 2
    want = ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2
    assert decode_module._median(np.array(values)) == want


# -- feeding -------------------------------------------------------------------------------


@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_feeding_no_edges_decodes_nothing_and_changes_nothing(clock: str) -> None:
    """No edges (an empty list, a list of empty edges, empty edges) give an empty array
    of rows, and the decode that follows is the one without them."""
    stream = _Stream().add(40, C22_READ).add(40)
    whole, _ = _decode(stream, [1 << 20], clock)
    decoder = FrameDecoder()
    empty = stream.edges(0, 0, clock)
    outs = [decoder.feed([]), decoder.feed([empty, empty]), decoder.feed(empty)]
    outs += [decoder.feed(stream.edges(0, 50, clock)), decoder.feed(empty)]
    outs += [decoder.feed(stream.edges(50, len(stream.bits), clock)), decoder.finish()]
    for out in outs[:3] + outs[4:5]:
        assert out.dtype == TRANSACTION_DTYPE and out.shape == (0,)
    assert [list(r) for r in np.concatenate(outs)[NAMES].tolist()] == whole


def test_edges_with_sample_positions_and_with_times_cannot_be_mixed() -> None:
    stream = _Stream().add(40, C22_READ)
    decoder = FrameDecoder()
    decoder.feed(stream.edges(0, 20, "samples"))
    with pytest.raises(CaptureError) as err:
        decoder.feed(stream.edges(20, 40, "seconds"))
    assert str(err.value) == "edges with sample positions and with times cannot be mixed"


@pytest.mark.parametrize("vectorised", [True, False])
def test_a_frame_with_no_preamble_may_begin_a_chunk(vectorised: bool) -> None:
    """With min_preamble 0 a frame may follow the one before at once, when that one's
    last bit is a 1 (a 0 after a 1 starts a frame): it is decoded whether or not a
    chunk ends between the two (a bug: it was lost there, and a frame read out of its
    bits instead)."""
    first = _word(0b01, 0b01, 1, 2, 0b10, 0x0001)
    stream = _Stream().add(40, first).add(0, C22_READ).add(40)
    want = stream.rows()
    for cut in range(64, len(stream.bits)):
        rows, _ = _decode(stream, [cut, 1 << 20], min_preamble=0, vectorised=vectorised)
        assert rows == want, cut


@pytest.mark.parametrize("sizes", [[1 << 20], [90, 1 << 20]])
def test_with_no_preamble_required_still_only_a_0_after_a_1_starts_a_frame(
    sizes: list[int],
) -> None:
    """min_preamble 0: a frame needs no preamble ones, but its ST bit still follows a 1.
    Zeros first in a capture that begins idle, or after a frame whose data ends in 0,
    start no frame, whether or not a chunk ended before them."""
    stream = _Stream([0, 0]).add(101, C22_READ)
    stream.bits += [0] * 4
    stream.ticks += [stream.ticks[-1] + BIT * (k + 1) for k in range(4)]
    stream.add(40, C45_ADDRESS).add(40)
    stream.ticks = [t + PAUSE for t in stream.ticks]  # the capture begins idle
    rows, decoder = _decode(stream, sizes, min_preamble=0)
    assert rows == stream.rows()
    assert decoder.synced_by is not None and decoder.synced_by.how == "gap"


# -- the words and what they carry ---------------------------------------------------------


def _with_unknown(word: int, at: list[int]) -> list[int]:
    bits = _bits(word)
    for k in at:
        bits[k] = UNKNOWN
    return bits


def test_an_unknown_level_flags_the_frame_it_falls_in_only() -> None:
    """An x/z level (transition formats) inside a frame's 32 bits flags that frame
    ``unknown`` (one such bit, or two); one between frames flags none (the preamble
    after it counts from it)."""
    bits = [1] * 40 + _bits(C22_READ)
    bits += [1] * 10 + [UNKNOWN] + [1] * 21 + _bits(C45_ADDRESS)
    bits += [1] * 40 + _with_unknown(C22_READ, [20])
    bits += [1] * 40 + _with_unknown(C22_READ, [3, 30]) + [1] * 40
    t = np.arange(1, len(bits) + 1) * BIT
    decoder = FrameDecoder()
    rows = np.concatenate(
        [decoder.feed(Edges(t / RATE, t, np.array(bits, np.uint8), 0.0)), decoder.finish()]
    )
    assert rows[["data", "preamble", "errors"]].tolist() == [
        (0x1234, 40, 0), (0x0000, 21, 1), (0x1234, 40, 8), (0x1234, 40, 8)
    ]  # fmt: skip


def test_frame_words_count_unknown_levels_from_the_first_bit() -> None:
    """A frame whose ST is the first buffered bit (its preamble dropped with the chunk
    before) is flagged for an x/z level among its bits like any other; bits of the
    frame before or after are not its."""
    b = np.array(_with_unknown(C22_READ, [5]) + _bits(C22_READ) + [UNKNOWN], np.uint8)
    starts, cuts = np.array([0, 32], np.int64), np.array([32, 64], np.int64)
    words, unknown, short = decode_module._frame_words(b, starts, cuts, None, True)
    assert unknown.tolist() == [True, False] and short.tolist() == [False, False]
    assert words[1] == C22_READ
    _, without, _ = decode_module._frame_words(b, starts, cuts, None, False)
    assert without is None


def _c45_chunks(frames: list[int], cut: int) -> list[object]:
    """The addresses of Clause 45 frames (full preambles) fed in two chunks, the first
    ending right after frame ``cut``."""
    s = _Stream()
    for w in frames:
        s.add(32, w)
    s.add(40)
    decoder = FrameDecoder()
    out = np.concatenate(
        [decoder.feed(s.edges(0, s.frames[cut][0] + 32, "samples")),
         decoder.feed(s.edges(s.frames[cut][0] + 32, len(s.bits), "samples")), decoder.finish()]
    )  # fmt: skip
    return out["addr"].tolist()


@pytest.mark.parametrize(
    ("ops", "want"),
    [
        ([(0b00, 0x0000), (0b11, 0x1111)], [0, 0]),  # ADDRESS 0, then READ
        ([(0b00, 0x0000), (0b10, 0x1111), (0b11, 0x2222)], [0, 0, 1]),  # READ_INC at 0
        ([(0b11, 0x1111), (0b11, 0x2222)], [-1, -1]),  # no ADDRESS yet
        ([(0b00, 0xFFFF), (0b10, 0x1111), (0b11, 0x2222)], [0xFFFF, 0xFFFF, 0]),  # wraps
    ],
)
def test_clause45_address_0_carries_into_the_next_chunk(
    ops: list[tuple[int, int]], want: list[int]
) -> None:
    """The address context of each port and device carries from chunk to chunk, also
    when it is 0 (an ADDRESS of 0, a post-read-increment from 0xffff)."""
    frames = [_word(0b00, op, 4, 7, 0b10, data) for op, data in ops]
    for cut in range(len(frames) - 1):
        assert _c45_chunks(frames, cut) == want, cut
