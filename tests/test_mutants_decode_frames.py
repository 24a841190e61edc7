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

import numpy as np
import pytest

from physcapy.capture.decode import Edges, FrameDecoder

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


C22_READ = _word(0b01, 0b10, 1, 2, 0b10, 0x1234)  # data ends in 0
C45_ADDRESS = _word(0b00, 0b00, 2, 1, 0b10, 0x0000)


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
