# SPDX-License-Identifier: GPL-2.0-only
"""The decoder's rows pinned where mutants of the code that builds them changed them
unseen (issue 23: Edges, _candidates, FrameDecoder._emit, _times and _gaps in
physcapy/capture/decode.py).

Every opcode of both clauses with every turnaround is decoded and its error mask
compared bit for bit; runs of ones are counted exactly where they decide whether the
decoder synchronises (16 ones do not, 17 do) and where junk lies between frames; and
MDC stopping is told from MDC running on to the sample: an interval of exactly the
limit is no gap at a chunk's end as inside one, one sample more is a gap even where
float64 cannot tell the two intervals apart.  Streams are built with the helpers of
tests/test_mutants_decode_frames.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from physcapy.capture.base import UNKNOWN
from physcapy.capture.decode import Edges, FrameDecoder
from tests.test_mutants_decode_frames import (
    C22_READ,
    RATE,
    _decode,
    _fields,
    _Stream,
    _word,
)


def test_edges_need_times_or_a_sample_rate() -> None:
    """Edges without times must say the rate their sample positions count in."""
    with pytest.raises(ValueError) as err:
        Edges(None, np.array([4], np.int64), np.ones(1, np.uint8))
    assert str(err.value) == "Edges need times or a sample rate"


# -- what each frame's bits say -------------------------------------------------------------

#: Frames the PHY drives data in: only they hand the turnaround's first bit to nobody
#: and its second to the PHY (22.2.4.5.7); every other frame's station drives TA 10.
READS = {(22, 0b10), (45, 0b10), (45, 0b11)}


@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_each_opcode_is_held_to_its_own_turnaround(clock: str) -> None:
    """Every opcode of both clauses with each of the four turnarounds, full preambles:
    a read (Clause 22 OP 10, Clause 45 post-read-increment and read) is flagged
    ``turnaround`` only for a 1 in TA's second bit, any other frame (writes, ADDRESS,
    Clause 22 OP 00 and 11, which are ``bad_opcode`` too) for a TA other than 10.  No
    frame has a short preamble, so each error mask is exactly those bits; a Clause 22
    frame acts on no Clause 45 address (-1), nor does a Clause 45 one before an
    ADDRESS frame of its port and device (each frame here has its own port)."""
    s = _Stream()
    want = []
    for k, (st, op, ta) in enumerate(
        (st, op, ta) for st in (0b01, 0b00) for op in range(4) for ta in range(4)
    ):
        clause = 22 if st == 0b01 else 45
        word = _word(st, op, k, 31 - k, ta, 0x5A00 | k)
        s.add(32, word)
        read = (clause, op) in READS
        errors = 2 * ((ta & 1) == 1 if read else ta != 0b10)
        errors |= 4 * (clause == 22 and op in (0b00, 0b11))
        addr = 0x5A00 | k if (clause, op) == (45, 0b00) else -1
        want.append([clause, op, k, 31 - k, 0x5A00 | k, errors, addr])
    s.add(40)
    rows, _ = _decode(s, [1 << 20], clock)
    assert [r[:6] for r in rows] == [w[:6] for w in want]
    assert [r[:6] for r in rows] == [_fields(w, 32) for _, _, w in s.frames]
    decoder = FrameDecoder()
    out = np.concatenate([decoder.feed(s.edges(0, len(s.bits), clock)), decoder.finish()])
    assert out["addr"].tolist() == [w[6] for w in want]


# -- runs of ones --------------------------------------------------------------------------

#: Bits that parse as no frame and hold no run of ones longer than 3.
JUNK = [0, 1, 1, 1, 0, 0, 1, 0]


@pytest.mark.parametrize("vectorised", [True, False])
@pytest.mark.parametrize("lead", [[], JUNK])
@pytest.mark.parametrize("ones", [16, 17])
def test_a_run_of_17_ones_synchronises_and_one_of_16_does_not(
    ones: int, lead: list[int], vectorised: bool
) -> None:
    """A capture that begins with MDC running (its first edge at its start: no idle
    before it) synchronises on the first run of 17 ones (SYNC_ONES): with ``ones`` ones
    before the first frame, counted from the capture's first bit or from a 0 of junk,
    it does so there for 17 and decodes the frame, while 16 leave the frame skipped
    until the full preamble of the next."""
    s = _Stream(lead).add(ones, C22_READ).add(40, C22_READ).add(40)
    t0 = s.ticks[0] / RATE
    decoder = FrameDecoder(vectorised=vectorised)
    edges = s.edges(0, len(s.bits), "samples", t0=t0)
    rows = np.concatenate([decoder.feed(edges), decoder.finish()])
    first, second = s.frames
    assert decoder.synced_by is not None and decoder.synced_by.how == "preamble"
    if ones == 17:
        assert rows["position"].tolist() == [s.ticks[len(lead)], s.ticks[second[0] - 32]]
        assert rows["preamble"].tolist() == [17, 40]
        skipped = [(s.ticks[0], len(lead))] if lead else []
    else:
        assert rows["position"].tolist() == [s.ticks[second[0] - 32]]
        skipped = [(s.ticks[0], first[0] + 32)]
    assert [(k.position, k.bits) for k in decoder.skipped] == skipped


@pytest.mark.parametrize("vectorised", [True, False])
@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_junk_between_frames_ends_the_run_of_ones(clock: str, vectorised: bool) -> None:
    """Bits between frames that are not ones and start no frame (zeros after a frame's
    last 0, an x/z level of a transition capture) are no preamble: a frame's preamble
    is the run of ones after the last of them, not all the bits since the frame before."""
    x = [UNKNOWN, 1, 1, UNKNOWN] if clock == "seconds" else [0, 0]  # ones after x: no ST
    s = _Stream().add(40, C22_READ)  # its data ends in 0
    for run, junk in ((3, [0]), (5, [0, 0, 0]), (1, x), (20, [0, 0, 0, 0, 0])):
        s.bits += junk
        s.ticks += [s.ticks[-1] + 4 * (k + 1) for k in range(len(junk))]
        s.add(run, C22_READ)
    s.add(40)
    rows, _ = _decode(s, [1 << 20], clock, vectorised=vectorised)
    assert [r[6] for r in rows] == [40, 3, 5, 1, 20]
    assert rows == s.rows()


@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_a_run_counts_from_the_bit_a_chunk_begins_with(clock: str) -> None:
    """A chunk may begin with a bit that ends a run of ones (the chunk before kept its
    last 64 bits, from an x/z level or a 0 that starts no frame): the next frame's
    preamble is the ones after that bit, not those dropped before it too."""
    x, min_preamble = (UNKNOWN, 1) if clock == "seconds" else (0, 32)
    s = _Stream().add(40, C22_READ).add(5)
    s.bits.append(x)
    s.ticks.append(s.ticks[-1] + 4)
    at = len(s.bits) - 1
    s.add(40, C22_READ).add(40)
    for sizes in ([1 << 20], [at + 64, 1 << 20]):
        rows, _ = _decode(s, sizes, clock, min_preamble=min_preamble)
        assert rows == s.rows(), sizes


# -- where MDC stops -------------------------------------------------------------------------


def _paused(pause: int) -> _Stream:
    """A frame whose 21st bit comes ``pause`` clock units after its 20th (a bit is 4)."""
    s = _Stream().add(40, C22_READ).add(40)
    s.ticks[60:] = [t + pause - 4 for t in s.ticks[60:]]
    return s


@pytest.mark.parametrize("vectorised", [True, False])
@pytest.mark.parametrize(("pause", "gap"), [(16, False), (17, True)])
def test_an_interval_of_exactly_the_limit_is_no_gap_where_a_chunk_ends(
    pause: int, gap: bool, vectorised: bool
) -> None:
    """gap_periods 3.999 and the 0.1 % of a period to spare make the limit exactly 4 bit
    times (16 units): MDC pausing for exactly that long inside a frame does not cut it,
    one unit more does, whether the pause falls inside a chunk or a chunk ends right
    before the edge after it."""
    s = _paused(pause)
    z = s.frames[0][0]
    want = s.rows()[0]
    if gap:  # cut after its 20 bits, truncated: the rest reads 0
        want[:6] = _fields(C22_READ & ~0xFFF, 40, truncated=True)
        want[8] = s.ticks[z + 19] / RATE
    for sizes in ([1 << 20], [z + 20, 1 << 20]):
        rows, _ = _decode(s, sizes, gap_periods=3.999, vectorised=vectorised)
        assert rows[0] == want, sizes
        # Without a gap that is the only frame; the frame's last 12 bits, after one, are
        # read as a frame of their own.
        assert len(rows) == 1 + gap, sizes


@pytest.mark.parametrize("extra", [0, 1])
@pytest.mark.parametrize(("period", "gap_periods"), [(2**52, 4), (4, 2**60)])
def test_a_sample_past_the_limit_is_a_gap_beyond_float_precision(
    extra: int, period: int, gap_periods: int
) -> None:
    """Sample positions compare with the gap limit as integers: with MDC's period 2**52
    samples (or a limit of 2**62 samples, where an int64 is near its end), an interval
    of one sample more than the limit's whole part is a gap (the decoder synchronises
    there, where MDC resumes, and decodes the frame after its 5-bit preamble), one of
    exactly the whole part is not (no 17 ones, no gap: nothing is decoded) -- although
    as float64 the two intervals are the same number."""
    lead = [0, 1, 1, 0, 1, 0, 0, 1]
    s = _Stream(lead).add(5, C22_READ).add(10)
    limit = (gap_periods + 1e-3) * period  # and 0.1 % of a period
    interval = math.floor(limit) + extra
    assert float(interval) <= limit  # float64 cannot tell interval from the limit
    ticks = [period * (k + 1) for k in range(len(lead))]
    ticks += [ticks[-1] + interval + period * k for k in range(len(s.bits) - len(lead))]
    s.ticks = ticks
    decoder = FrameDecoder(gap_periods=gap_periods)
    rows = np.concatenate([decoder.feed(s.edges(0, len(s.bits), "samples")), decoder.finish()])
    if extra:
        assert decoder.synced_by is not None and decoder.synced_by.how == "gap"
        assert [list(r) for r in rows[["data", "preamble", "position"]].tolist()] == [
            [0x1234, 5, ticks[len(lead)]]
        ]
        assert [(k.position, k.bits) for k in decoder.skipped] == [(period, len(lead))]
    else:
        assert decoder.synced_by is None and rows.size == 0
        assert [(k.position, k.bits) for k in decoder.skipped] == [(period, len(s.bits))]
