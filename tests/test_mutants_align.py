# SPDX-License-Identifier: GPL-2.0-only
"""Preamble-suppression alignment (physcapy/capture/align.py) pinned (issue 23: its
mutants).  Bit streams are built as in tests/test_mutants_decode_sync.py: frames with
1- or 2-bit preambles on a continuously clocked bus (IEEE 802.3 22.2.4.5.3), junk, x
levels and MDC gaps where a test needs them."""

from __future__ import annotations

import random

import numpy as np
import pytest

from physcapy.capture import align
from physcapy.capture.align import Alignment, consistent, find_alignment
from physcapy.capture.base import UNKNOWN
from tests.conftest import MUTATE
from tests.test_capture import _stream
from tests.test_mutants_decode import _word
from tests.test_mutants_decode_sync import _frame, _words


def _bits(pieces: list[tuple[str, int, int]]) -> np.ndarray:
    return np.array(_stream(pieces, unknown=False)[0], np.uint8)


def _clean(seed: int, count: int = 40) -> list[tuple[str, int, int]]:
    """``count`` random Clause 22 frames, each after one idle 1 (a 1-bit preamble)."""
    return [_frame(1, x) for x in _words(seed, count)]


def _decided(a: Alignment) -> tuple[int | None, int, int, list[int]]:
    return a.start, a.after, a.alternatives, a.ambiguous


def test_st_10_is_no_frame_and_st_00_is_clause_45() -> None:
    """ST 10 is neither clause; ST 00 is Clause 45, whose OP 10 is a read (TA 10 from
    the PHY's 0 in its second bit) as Clause 22's is."""
    words = np.array([0xA0860000, 0x20860000, 0x30860000, 0x60860000], np.uint32)
    assert consistent(words).tolist() == [False, True, True, True]


def test_power_applies_a_step_any_number_of_times() -> None:
    step = np.array([1, 2, 3, 3])
    assert align._power(step, 0).tolist() == [0, 1, 2, 3]
    assert align._power(step, 2).tolist() == [2, 3, 3, 3]
    assert align._power(step, 1).tolist() == [1, 2, 3, 3]


def test_a_frame_at_the_first_bit_has_no_preamble_to_show_it() -> None:
    """A frame at bit 1 (after one idle 1) is a place a frame can start, one at bit 0
    is not, whatever the last bit is: the window of plausible alignments starts at the
    first place after a 1, and meets the second frame it holds."""
    body = _bits(_clean(1))
    whole = find_alignment(body, min_preamble=1)
    assert (whole.start, whole.after, whole.alternatives) == (34, 33, 1)
    cut = np.append(body[1:], 1)  # the first frame's ST at bit 0, a 1 at the end
    found = find_alignment(cut, min_preamble=1)
    assert (found.start, found.after, found.alternatives) == (66, 65, 1)


def test_an_x_level_inside_a_frame_or_right_after_it() -> None:
    """An unknown level in a frame makes it no frame; one in the idle bit right after a
    frame does not (it ends the run of ones, so the chain stops there): 16 frames before
    it are a chain of their own."""
    bits = _bits([("junk", 1, 1), *_clean(2)])
    sts = [2 + 33 * k for k in range(40)]  # each frame's ST
    clean = find_alignment(bits, min_preamble=1)
    meet = sts.index(clean.start)
    inside = bits.copy()
    inside[sts[meet + 5] + 20] = UNKNOWN  # in a frame's data, the chain cut there
    # The first chain after it starts at the next frame: as in a stream begun there.
    rest = sts[meet + 6] - 1
    assert find_alignment(inside, min_preamble=1).start == (
        rest + find_alignment(bits[rest:], min_preamble=1).start
    )
    # An x in the idle bit after the 16th frame from the meeting point, then the 1.
    after = np.insert(bits, sts[meet + 15] + 32, UNKNOWN)
    assert find_alignment(after, min_preamble=1).start == clean.start


@pytest.mark.parametrize(("offset", "same"), [(0, True), (1, False), (32, True)])
def test_a_gap_cuts_only_the_frame_it_falls_inside(offset: int, same: bool) -> None:
    """MDC stopping right before a frame's ST (the edge after the gap is its first) or
    right after its last bit leaves it whole; stopping after its first bit cuts it, and
    the chain through it."""
    bits = _bits([("junk", 1, 1), *_clean(3)])
    st3 = 1 + 33 * 3 + 1
    plain = find_alignment(bits, min_preamble=1)
    gapped = find_alignment(bits, min_preamble=1, gaps=np.array([st3 + offset]))
    assert (gapped.start == plain.start) is same
    if not same:
        assert gapped.start is not None and gapped.start > st3


@pytest.mark.parametrize("repeats", [20, 76, 77, 400])
def test_every_window_is_tried_however_long_the_poll_loop(repeats: int) -> None:
    """A poll loop (one write repeated, 2-bit preambles, 34 bits a frame) parses at two
    offsets until it ends.  Each window of it is tried in turn, however many: the
    second-last repeat is the first frame whose window holds no wrong chain of 4 frames
    or more, and there the plausible alignments meet.  (Up to issue 21's second round
    the search gave up after 32 windows: 77 repeats or more found nothing.)"""
    poll = _word(0b01, 0b01, 0, 0, 0b10, 0x796D)
    found = find_alignment(_bits([_frame(2, poll)] * repeats + _clean(7)), min_preamble=1)
    start = 2 + 34 * (repeats - 2)
    assert (found.start, found.after, found.frames, found.alternatives) == (start, start - 2, 42, 1)
    assert found.ambiguous == [2, 23, 29, 36]


def test_where_a_loop_aligns_does_not_depend_on_where_the_bits_begin() -> None:
    """A window starts at each place a long chain starts, not 49 bits after the last
    one: the frame where the windows decide is the same from wherever in the loop the
    bits begin (as when a decoder has dropped the bits before)."""
    poll = _word(0b01, 0b01, 0, 0, 0b10, 0x796D)
    bits = _bits([_frame(2, poll)] * 76 + _clean(7))
    start = find_alignment(bits, min_preamble=1).start
    assert start == 2 + 34 * 74
    for cut in range(1, 2000, 7):
        assert cut + find_alignment(bits[cut:], min_preamble=1).start == start, cut


@pytest.mark.parametrize("extra", range(34))
@pytest.mark.parametrize("then", ["end", "junk"])
def test_a_poll_loop_that_ends_is_never_aligned_on_its_wrong_offset(extra: int, then: str) -> None:
    """Where a poll loop ends (the capture, or its traffic), the true frames' chains
    fall short of 16 frames a frame or two before the wrong offset's do: a window there
    can hold wrong long chains only.  A chain of 4 to 15 frames in a window keeps it
    from deciding, so the loop is reported ambiguous, never aligned on a wrong frame
    (before this rule, 20 of these 68 streams aligned on a wrong frame)."""
    poll = _word(0b01, 0b01, 0, 0, 0b10, 0x796D)
    rng = random.Random(extra)
    pieces = [("junk", 7, 0b1010110)] + [_frame(2, poll)] * 45
    if then == "junk":
        pieces += [("junk", 40, rng.getrandbits(40)) for _ in range(12)]
    bits = np.concatenate((_bits(pieces), np.ones(extra, np.uint8)))
    found = find_alignment(bits, min_preamble=1)
    assert found.start is None or (found.start - 9) % 34 == 0
    if then == "end":
        assert found.start is None and found.ambiguous == [9, 30, 36, 43]


def test_the_window_of_plausible_alignments_is_49_bits() -> None:
    """Frames 49 bits apart (17-bit preambles): the second frame is just outside the
    first one's window, so the window holds the first alone and it is taken."""
    bits = _bits([("junk", 1, 1)] + [_frame(17, x) for x in _words(62, 20)])
    found = find_alignment(bits, min_preamble=1)
    assert (found.start, found.after, found.alternatives) == (18, 0, 0)


@pytest.mark.parametrize(("count", "aligned"), [(16, False), (17, True)])
@pytest.mark.parametrize("last", ["random", "no place after its ST"])
def test_seventeen_frames_are_the_fewest_that_align(count: int, aligned: bool, last: str) -> None:
    """1-bit preambles put two frames in each window (33 bits apart), and the second
    is where their chains meet: it must parse 16 frames, the last ending at the last
    bit, and the first must too (a chain of 15 in the window decides nothing).  The
    last frame may be the last place a frame can start: a Clause 45 read-increment
    nobody answers is ones after its ST 00 (the line left high: 22.2.4.5.7)."""
    pieces = [("junk", 1, 1), *_clean(5, count)]
    if last != "random":
        pieces[-1] = _frame(1, 0x3FFFFFFF)
    found = find_alignment(_bits(pieces), min_preamble=1)
    if aligned:
        assert (found.start, found.after, found.frames, found.alternatives) == (35, 34, 16, 1)
    else:
        assert found.start is None and found.ambiguous == []


def _sts(pieces: list[tuple[str, int, int]]) -> list[int]:
    """The ST bit of each frame of a stream."""
    out, at = [], 0
    for kind, size, _ in pieces:
        out += [at + size] if kind == "frame" else []
        at += size + (32 if kind == "frame" else 0)
    return out


@pytest.mark.parametrize(
    ("seed", "loop", "expected"),
    [(6, False, (75, 62, 116, 2)), (289, True, (837, 835, 116, 3))],
)
def test_chains_that_run_side_by_side_meet_where_they_join(
    seed: int, loop: bool, expected: tuple[int, int, int, int]
) -> None:
    """Plausible alignments whose chains run side by side for frames, and a poll loop's
    two offsets followed by 70 frames or more of other traffic, meet where the chains
    join: at a true frame, the one the window's chains first share (found by climbing
    the chains in step, not only by one being on the other's path)."""
    rng = random.Random(seed)
    poll = _word(0b01, rng.choice([0b01, 0b10]), rng.randrange(32), 1, 0b10, 0x796D) if loop else 0
    pieces: list[tuple[str, int, int]] = [("junk", rng.randrange(1, 30), rng.getrandbits(30))]
    if loop:
        pieces += [_frame(rng.choice([1, 2, 3]), poll)] * rng.randrange(20, 90)
        pieces += [_frame(rng.choice([1, 2, 3, 5]), w)
                   for w in _words(seed + 7, rng.randrange(70, 150))]  # fmt: skip
    else:
        pres = [rng.choice([1, 2, 3, 5, 8, 12, 16]) for _ in range(3)]
        pieces += [_frame(rng.choice(pres), w) for w in _words(seed + 7, rng.randrange(20, 120))]
    found = find_alignment(_bits(pieces), min_preamble=1)
    assert (found.start, found.after, found.frames, found.alternatives) == expected
    assert found.start in _sts(pieces)
    assert bool(found.ambiguous) is loop


def _random_stream(seed: int) -> np.ndarray:
    """Junk, then frames with short preambles, or a poll loop that parses two ways."""
    rng = random.Random(seed)
    pieces: list[tuple[str, int, int]] = [("junk", rng.randrange(1, 12), rng.randrange(4096))]
    if rng.random() < 0.4:
        poll = _word(0b01, rng.choice([0b01, 0b10]), rng.randrange(32), 0, 0b10, 0x796D)
        pieces += [_frame(rng.choice([1, 2, 3]), poll)] * rng.randrange(20, 90)
        if rng.random() < 0.3:  # the loop's traffic ends in junk
            pieces += [("junk", 40, rng.getrandbits(40)) for _ in range(rng.randrange(1, 8))]
    pre = rng.choice([1, 1, 2, 3])
    pieces += [_frame(rng.choice([pre, pre, rng.randrange(1, 17)]), x)
               for x in _words(500 + seed, rng.randrange(0, 40))]  # fmt: skip
    return _bits(pieces)


def _frame_ends(bits: np.ndarray) -> list[int]:
    """Where each frame of the whole stream's chains may end: every place a frame can
    start (a 0 after a 1), 32 bits on, and the bits either side."""
    starts = np.flatnonzero((bits[1:] == 0) & (bits[:-1] == 1)) + 1
    ends = {int(e) + d for e in starts + 32 for d in (-1, 0, 1, 2)}
    return sorted(e for e in ends if 0 <= e <= bits.size)


@pytest.mark.parametrize("seed", range(10 if MUTATE else 30))
def test_a_decision_on_part_of_a_stream_is_the_decision_on_all_of_it(seed: int) -> None:
    """With more bits to come (complete=False), an alignment is taken only when no bit
    past the last could change it: on every prefix of a stream it is none or the one
    the whole stream gives, with the same alternatives; ambiguity reported is the same
    too.  And it is taken once the bits reach far enough: a prefix followed by 70 more
    frames decides as that longer stream does when it is complete.  The streams hold
    poll loops (two offsets parse) that end in junk or in other traffic."""
    bits = _random_stream(seed)
    whole = find_alignment(bits, min_preamble=1)
    # Every third prefix, and every one that ends at, just before or just after the end
    # of a frame some chain could hold (where "no frame after it yet" is decided).
    for n in sorted(set(range(0, bits.size + 1, 3)) | set(_frame_ends(bits))):
        part = find_alignment(bits[:n], min_preamble=1, complete=False)
        if part.start is not None:
            assert (part.start, part.after, part.alternatives) == (
                whole.start,
                whole.after,
                whole.alternatives,
            ), n
        if part.ambiguous:
            assert part.ambiguous == whole.ambiguous, n
    longer = np.concatenate((bits, _bits(_clean(900 + seed, 70))))
    assert _decided(find_alignment(longer, min_preamble=1, complete=False)) == _decided(
        find_alignment(longer, min_preamble=1)
    )


def test_a_poll_loop_is_reported_ambiguous_before_the_capture_ends() -> None:
    """Plausible alignments that never meet are followed 64 frames: a longer poll loop
    is reported ambiguous while more bits are still to come, as the whole one is."""
    poll = _word(0b01, 0b01, 0, 0, 0b10, 0x796D)
    bits = _bits([("junk", 7, 0b1010110)] + [_frame(2, poll)] * 150)
    whole = find_alignment(bits, min_preamble=1)
    assert whole.start is None and len(whole.ambiguous) >= 2
    assert find_alignment(bits, min_preamble=1, complete=False).ambiguous == whole.ambiguous
    # Not yet 64 frames past the window: the chains may meet further on.
    assert find_alignment(bits[:2000], min_preamble=1, complete=False).ambiguous == []


@pytest.mark.parametrize("preamble", [1, 2])
@pytest.mark.parametrize(
    "poll", [_word(0b01, 0b01, 0, 0, 0b10, 0x796D), _word(0b01, 0b10, 3, 1, 0b10, 0x7949)]
)
def test_a_poll_loop_is_named_ambiguous_once_its_chains_reach_the_horizon(
    preamble: int, poll: int
) -> None:
    """Plausible alignments are followed 64 frames (the horizon): with more bits to come,
    a poll loop's alignments are named ambiguous on the bit that completes the 64th frame
    of the window's last chain -- from then on no bit can make them meet within it --
    and on none of the 40 bits before, while that frame could still be where they meet:
    from where the 63rd ends (no place for the next to start yet), through the 64th's ST
    (the last place a frame starts), to the 64th's last bit but one."""
    bits = _bits([("junk", 7, 0b1010110)] + [_frame(preamble, poll)] * 120)
    whole = find_alignment(bits, min_preamble=1)
    assert whole.start is None and len(whole.ambiguous) >= 2
    horizon_end = max(whole.ambiguous) + 63 * (32 + preamble) + 32
    for n in range(horizon_end - 40, horizon_end):
        before = find_alignment(bits[:n], min_preamble=1, complete=False)
        assert (before.start, before.ambiguous) == (None, []), n
    at = find_alignment(bits[:horizon_end], min_preamble=1, complete=False)
    assert (at.start, at.ambiguous) == (None, whole.ambiguous)
