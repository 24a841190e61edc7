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

The frames that start within :data:`WINDOW` bits of a place that starts a long chain
are the plausible alignments there (frames are at most that far apart where no 17
ones lie between them, so a true one is among them).  Where every plausible
alignment in such a window that holds :data:`SYNC_FRAMES` frames meets the others
at one frame, every frame from there on is certain whichever is true; the bits
before it are not trusted.  Where they never meet (a poll loop repeating one frame
can parse at two offsets), nothing is guessed, and the window from the next place
is tried: every one is, to the last bit, so the outcome depends on the bits only,
never on how many of them one call was given.  A window that holds a chain of a few
frames that stops short of :data:`SYNC_FRAMES` decides nothing either: that may be
the true traffic ending, with only wrong alignments left long around it.

    >>> bits = np.array([1, 0, 1, 1, 1] * 8, np.uint8)  # no frame can parse here
    >>> find_alignment(bits, min_preamble=1).start is None
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from physcapy.capture.words import packed_words

__all__ = ["SYNC_FRAMES", "WINDOW", "Alignment", "consistent", "find_alignment"]

#: Consecutive frames an alignment must parse before it is trusted: a wrong one passes
#: a frame's checks about one time in eight, so sixteen in a row by chance is ~1e-14.
SYNC_FRAMES = 16
#: Bits within which the true alignment lies: a frame (32 bits) and at most 16 ones
#: before the next (17 would synchronise by themselves), and its first bit.
WINDOW = 49
#: Plausible alignments are followed this many frames to see where they meet.
_HORIZON = 4 * SYNC_FRAMES
#: A chain of this many frames that still falls short of SYNC_FRAMES may be the true
#: traffic ending (the capture, or MDIO activity, stops within SYNC_FRAMES frames): a
#: window holding one decides nothing, for the long chains around it may all be false
#: ones (a poll loop parses at a wrong offset as long as it lasts).  A wrong alignment
#: makes such a chain by chance about one time in 8**3; a true one that ends sooner
#: leaves wrong long chains 13 frames or more to parse by chance past its end.
_DYING = 4
#: Windows decided at once (then four times as many): the first nearly always decides.
_BATCH = 32


@dataclass
class Alignment:
    """The outcome: ``start`` is the ST bit of the first trusted frame (None: none),
    ``after`` the first bit its preamble may take, ``frames`` how many consecutive
    frames parse from there (up to the bits at hand), ``alternatives`` the plausible
    alignments that meet there; ``ambiguous`` the starts of the first window's
    alignments that parse :data:`SYNC_FRAMES` frames each and never meet (before
    ``start``, if any)."""

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
    ok = consistent(packed_words(np.packbits(bits == 1), cands)) & (cands + 32 <= n)
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
    first = np.flatnonzero(long)
    if not first.size:
        return Alignment()
    # Each chain as a path to its last frame: a node's parent is the next frame when
    # that one is well formed (the sentinel, its own parent, ends every path).
    parent = np.where(valid[step], step, sentinel)
    parent[~valid] = sentinel
    depth = _depths(parent, valid)  # frames in the chain from each node, to its end
    up = [parent]  # up[k]: the node 2**k frames on
    while len(up) < (_HORIZON - 1).bit_length():
        up.append(up[-1][up[-1]])
    long_s, undecided_s = np.append(long, False), np.append(undecided, False)
    pos = cands[first]
    ends = np.searchsorted(pos, pos + WINDOW)  # window k: the long chains first[k:ends[k]]
    waiting = np.flatnonzero(undecided)
    # A chain more bits may make long would join every window it falls in: those wait.
    # (Since the _DYING rule such a window, and every one after it, also holds a frame
    # of that chain 4 to 15 frames from the end of the bits -- the chain reaches past
    # the window's 16 whole frames with fewer, a frame in every 49 bits unless a run of
    # 32 ones or more joins it to them -- so none of them can decide; the wait keeps
    # them from naming alignments as ambiguous that more bits may still change.)
    last = (
        int(np.searchsorted(pos, cands[waiting[0]] - WINDOW, "right"))
        if waiting.size
        else first.size
    )
    # Windows holding a chain that parses a few frames, then stops short of long.
    dying = np.concatenate(([0], np.cumsum(~long & (depth[:count] >= _DYING))))
    doubtful = dying[np.searchsorted(cands, pos + WINDOW)] > dying[first]
    short = _cut_short(up, depth, step, is_open, first, sentinel)
    cut = np.concatenate(([0], np.cumsum(short)))  # windows holding a chain cut short
    ambiguous: list[int] = []
    lo, batch = 0, _BATCH
    while lo < last:
        hi = min(last, lo + batch)
        k = np.arange(lo, hi)
        meet, met = _window_meetings(up, depth, first, ends, k, sentinel)
        wait = (~met & (cut[ends[k]] > cut[k])) | (~long_s[meet] & undecided_s[meet])
        decided = np.flatnonzero(wait | (long_s[meet] & ~doubtful[k]))
        seen = decided[0] if decided.size else k.size  # windows before decide nothing
        apart = np.flatnonzero(~met[:seen])  # of those, the ones whose chains never meet
        if apart.size and not ambiguous:
            w = lo + int(apart[0])
            ambiguous = cands[first[w : ends[w]]].tolist()
        if decided.size:
            w = lo + int(seen)
            if wait[seen]:
                return Alignment(ambiguous=ambiguous)  # they may meet yet: wait
            return _aligned(int(meet[seen]), first[w : ends[w]], up, depth, cands, runs, ambiguous)
        lo, batch = hi, 4 * batch
    return Alignment(ambiguous=ambiguous)


def _depths(parent: npt.NDArray[np.intp], valid: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Nodes on each node's path (0 for the sentinel, ``parent``'s last entry, and for
    nodes not ``valid``), by pointer jumping: a path is counted 2**k nodes at a time."""
    count = valid.astype(np.int64)
    on = parent.copy()
    end = parent.size - 1
    while (on != end).any():
        count += count[on]
        on = on[on]
    return count


def _lift(
    up: list[npt.NDArray[np.intp]], node: npt.NDArray[np.intp], steps: npt.NDArray[np.int64]
) -> npt.NDArray[np.intp]:
    """The node ``steps`` frames on from each (fewer than 2**len(up))."""
    for k, table in enumerate(up):
        move = (steps >> k) & 1 == 1
        node = np.where(move, table[node], node)
    return node


def _meet(
    up: list[npt.NDArray[np.intp]],
    depth: npt.NDArray[np.int64],
    a: npt.NDArray[np.intp],
    b: npt.NDArray[np.intp],
) -> npt.NDArray[np.intp]:
    """The first node the paths from ``a`` and ``b`` share (paths join for good where
    they meet) when that is within reach of up[] (2**len(up) - 1 frames) of both;
    otherwise a node 2**len(up) frames or more on from one of them, or the sentinel
    (the caller keeps only meetings within _HORIZON frames of every window's start)."""
    reach = (1 << len(up)) - 1
    diff = depth[a] - depth[b]
    a = _lift(up, a, np.clip(diff, 0, reach))  # the farther one climbs to the other's depth
    b = _lift(up, b, np.clip(-diff, 0, reach))
    for table in reversed(up):  # both climb while their nodes differ
        move = table[a] != table[b]
        a, b = np.where(move, table[a], a), np.where(move, table[b], b)
    return np.where(a == b, a, up[0][a])


def _window_meetings(
    up: list[npt.NDArray[np.intp]],
    depth: npt.NDArray[np.int64],
    first: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
    k: npt.NDArray[np.intp],
    sentinel: int,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """For each window ``k`` (its long chains start at ``first[k:ends[k]]``), the frame
    where all of them meet, and whether they do so within _HORIZON frames of the
    window's first frames (the sentinel where they do not).  The chains are folded in
    one at a time: the meeting of the first two, then of that and the third..."""
    meet, top = first[k], depth[first[k]]
    for offset in range(1, int((ends[k] - k).max())):
        more = np.flatnonzero(ends[k] > k + offset)  # windows with a chain this far in
        other = first[k[more] + offset]
        meet[more] = _meet(up, depth, meet[more], other)
        top[more] = np.maximum(top[more], depth[other])
    met = (meet != sentinel) & (depth[meet] > top - _HORIZON)
    return np.where(met, meet, sentinel), met


def _cut_short(
    up: list[npt.NDArray[np.intp]],
    depth: npt.NDArray[np.int64],
    step: npt.NDArray[np.intp],
    is_open: npt.NDArray[np.bool_],
    first: npt.NDArray[np.intp],
    sentinel: int,
) -> npt.NDArray[np.bool_]:
    """For each chain from ``first``: whether it ends within _HORIZON frames where the
    bits do (more bits may lengthen it)."""
    d = depth[first]
    short = d < _HORIZON
    end = _lift(up, first, np.where(short, d - 1, 0))  # its last frame
    after = step[end]
    open_ = np.where(after == sentinel, is_open[end], is_open[np.minimum(after, is_open.size - 1)])
    return short & open_


def _aligned(
    meet: int,
    window: npt.NDArray[np.intp],
    up: list[npt.NDArray[np.intp]],
    depth: npt.NDArray[np.int64],
    cands: npt.NDArray[np.int64],
    runs: npt.NDArray[np.int64],
    ambiguous: list[int],
) -> Alignment:
    """The alignment at ``meet``, where the chains from ``window`` meet: its preamble
    may take the ones before it, but not the frames that lead to it on any chain."""
    start = int(cands[meet])
    after = start - int(runs[meet])
    before = window[window != meet]
    if before.size:
        preds = _lift(up, before, depth[before] - depth[meet] - 1)
        after = max(after, int(cands[preds].max()) + 32)
    return Alignment(start, max(after, 0), int(depth[meet]), window.size - 1, ambiguous)
