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

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physcapy.capture.base import CaptureReader, SampleBlock, TransitionBlock
from physcapy.capture.decode import edges_from_reader

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
