# SPDX-License-Identifier: GPL-2.0-only
"""Frame alignment on a continuously clocked bus with preamble suppression.

IEEE 802.3 22.2.4.5.3 lets a station send frames with a 1-bit preamble to PHYs that
accept it, with at least one idle bit between frames (22.2.4.5.1), and MDC may run
through the idle bits.  Such a bus never shows the 17 ones or the MDC gap the decoder
otherwise synchronises on, so a capture that begins with MDC running is aligned by
consistency instead: from each place a frame can start (a 0 after a 1), frames are
followed one after the other -- ST 01 or 00, a Clause 22 OP of 01 or 10, the
turnaround of 22.2.4.5.7 (10 for a write; a 0 in the second bit of a read), no
unknown level, at least one idle 1 between a frame's 32 bits and the next ST.

The frames that start within the first :data:`WINDOW` bits of the first long chain
are the plausible alignments (frames are at most that far apart where no 17 ones
lie between them, so the true one is among them).  Where every plausible alignment
that holds :data:`SYNC_FRAMES` frames meets the others at one frame, every frame
from there on is certain whichever is true; the bits before it are not trusted.
Where they never meet (a poll loop repeating one frame can parse at two offsets),
nothing is guessed.

    >>> bits = np.array([1, 0, 1, 1, 1] * 8, np.uint8)  # no frame can parse here
    >>> find_alignment(bits, min_preamble=1).start is None
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["SYNC_FRAMES", "WINDOW", "Alignment", "consistent", "find_alignment"]

#: Consecutive frames an alignment must parse before it is trusted: a wrong one passes
#: a frame's checks about one time in eight, so sixteen in a row by chance is ~1e-14.
SYNC_FRAMES = 16
#: Bits within which the true alignment lies: a frame (32 bits) and at most 16 ones
#: before the next (17 would synchronise by themselves), and its first bit.
WINDOW = 49
#: Plausible alignments are followed this many frames to see where they meet.
_HORIZON = 4 * SYNC_FRAMES
#: Windows tried per call when the first ones are ambiguous.
_TRIES = 32


@dataclass
class Alignment:
    """The outcome: ``start`` is the ST bit of the first trusted frame (None: none),
    ``after`` the first bit its preamble may take, ``frames`` how many consecutive
    frames parse from there (up to the bits at hand), ``alternatives`` the plausible
    alignments that meet there; ``ambiguous`` the starts of the first alignments that
    parse :data:`SYNC_FRAMES` frames each and never meet (before ``start``, if any)."""

    start: int | None = None
    after: int = 0
    frames: int = 0
    alternatives: int = 0
    ambiguous: list[int] = field(default_factory=list)


def consistent(words: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Whether each 32-bit word (ST first) is a well-formed frame: ST 01 or 00, a Clause
    22 OP of 01 or 10, and the turnaround of 22.2.4.5.7 (10 for writes and Clause 45
    ADDRESS; a 0 driven by the PHY in the second bit of a read, or no PHY at all:
    the line left high through TA and data, 1 then 0xffff).

    >>> consistent(np.array([0x60860000, 0x6087FFFF, 0x60850000, 0x70860000], np.uint32)).tolist()
    [True, True, False, False]
    """
    st = words >> 30
    op = (words >> 28) & 3
    ta = (words >> 16) & 3
    c22 = st == 1
    read = op >= 0b10  # Clause 22 read 10 (11 is no OP there), Clause 45 read and read-inc
    good_op = ~c22 | (op == 0b01) | (op == 0b10)
    no_phy = (ta == 0b11) & ((words & 0xFFFF) == 0xFFFF)
    good_ta = np.where(read, ((ta & 1) == 0) | no_phy, ta == 0b10)
    return (st <= 1) & good_op & good_ta


def _power(step: npt.NDArray[np.intp], times: int) -> npt.NDArray[np.intp]:
    """``step`` applied ``times`` times to every index, by repeated squaring."""
    result = np.arange(step.size)
    base = step
    while times:
        if times & 1:
            result = base[result]
        base = base[base]
        times >>= 1
    return result


def _words(bits: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64]) -> npt.NDArray[np.uint32]:
    """The 32 bits from each start as a word (bits past the end read 0)."""
    bytes_ = np.packbits(bits == 1)
    packed = np.zeros(bytes_.size + 4, np.uint64)  # a word's 5 bytes: up to 4 past the last
    packed[: bytes_.size] = bytes_
    k = starts >> 3
    forty = packed[k] << np.uint64(32) | packed[k + 1] << np.uint64(24)
    forty |= packed[k + 2] << np.uint64(16) | packed[k + 3] << np.uint64(8) | packed[k + 4]
    shift = np.uint64(8) - (starts & 7).astype(np.uint64)
    return ((forty >> shift) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def find_alignment(
    bits: npt.NDArray[np.uint8],
    *,
    min_preamble: int,
    gaps: npt.NDArray[np.int64] | None = None,
    frames: int = SYNC_FRAMES,
    complete: bool = True,
) -> Alignment:
    """The first trusted frame of a continuously clocked stretch of MDIO bits (sampled
    at MDC's rising edges; ``gaps``: indices of edges after MDC stopped, which no frame
    may straddle).  Only the frames whole within ``bits`` count.

    ``complete=False``: more bits follow these.  Then no alignment is taken while a
    frame or link the decision rests on lies past the last bit (a plausible alignment
    whose chain the end cut short could still join the window, or meet the others):
    the outcome is no alignment yet, and a decision taken never depends on where a
    stream was cut into chunks."""
    n = bits.size
    not_one = np.flatnonzero(bits != 1)
    is_cand = (bits[not_one] == 0) & (not_one > 0)
    is_cand[is_cand] = bits[not_one[is_cand] - 1] == 1
    cands = not_one[is_cand].astype(np.int64)
    prev_break = np.concatenate(([-1], not_one[:-1]))[is_cand]
    runs = cands - prev_break - 1  # ones just before each candidate
    count = cands.size
    if count < frames:  # not enough places for one chain of frames
        return Alignment()
    ok = consistent(_words(bits, cands)) & (cands + 32 <= n)
    unknown = np.concatenate(([0], np.cumsum(bits > 1, dtype=np.int64)))
    ok &= unknown[np.minimum(cands + 32, n)] == unknown[cands]
    if gaps is not None and gaps.size:
        ok &= np.searchsorted(gaps, cands + 1) == np.searchsorted(gaps, cands + 32)
    # The next frame: the first candidate after the 32 bits, with only ones (at least
    # one idle bit, 22.2.4.5.1, and min_preamble) between them.
    nxt = np.searchsorted(cands, cands + 32)
    has = nxt < count
    j = np.minimum(nxt, count - 1)
    between = cands[j] - (cands + 32)
    link = has & (between >= max(1, min_preamble)) & (runs[j] >= between)
    sentinel = count
    step = np.append(np.where(ok & link, nxt, sentinel), sentinel)
    valid = np.append(ok, False)
    end = _power(step, frames - 1)[:count]
    long = (end != sentinel) & valid[end]
    # Where a chain stops for want of bits (none when they are complete): a frame not
    # whole yet, or a whole one with no place for the next frame to start among them.
    is_open = ((cands + 32 > n) | (ok & ~has)) & (not complete)
    stop = np.where(step[:count] == sentinel, np.arange(count), step[:count])
    undecided = ~long & is_open[_power(stop, frames - 1)]  # chains more bits may make long
    step_l, valid_l, open_l = step.tolist(), valid.tolist(), is_open.tolist()

    def chain(i: int, most: int = _HORIZON) -> list[int]:
        out: list[int] = []
        for _ in range(most):
            if not valid_l[i]:  # the sentinel is not valid either
                break
            out.append(i)
            i = step_l[i]
        return out

    def cut_short(c: list[int]) -> bool:
        """Whether the chain ``c`` ends where the bits do (more may lengthen it)."""
        if len(c) == _HORIZON:
            return False
        after = step_l[c[-1]]
        return open_l[c[-1]] if after == sentinel else open_l[after]

    first = np.flatnonzero(long)
    ambiguous: list[int] = []
    waiting = np.flatnonzero(undecided)
    tries = 0
    while first.size and tries < _TRIES:
        tries += 1
        i0 = int(first[0])
        if waiting.size and cands[waiting[0]] < cands[i0] + WINDOW:
            return Alignment(ambiguous=ambiguous)  # the window may change: wait
        window = first[cands[first] < cands[i0] + WINDOW].tolist()
        chains = [chain(i) for i in window]
        common = set(chains[0]).intersection(*chains[1:])
        meet = min(common) if common else None
        if (meet is None and any(cut_short(c) for c in chains)) or (
            meet is not None and not long[meet] and undecided[meet]
        ):
            return Alignment(ambiguous=ambiguous)  # they may meet yet: wait
        if meet is not None and long[meet]:
            preds = [c[c.index(meet) - 1] for c in chains if c.index(meet) > 0]
            start = int(cands[meet])
            after = start - int(runs[meet])
            if preds:
                after = max(after, max(int(cands[p]) + 32 for p in preds))
            held = len(chain(meet, count))
            return Alignment(start, max(after, 0), held, len(window) - 1, ambiguous)
        if not ambiguous:
            ambiguous = [int(cands[c[0]]) for c in chains if c]
        first = first[cands[first] >= cands[i0] + WINDOW]
    return Alignment(ambiguous=ambiguous)
