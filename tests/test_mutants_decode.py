# SPDX-License-Identifier: GPL-2.0-only
"""The capture decoder's corners pinned exactly (issue 23: mutants of
physcapy/capture/decode.py).

The golden part writes one mixed transaction list (Clause 22 and 45, every opcode, a
missing turnaround) in every capture format at coarse and fine sample rates, odd duty
cycles, suppressed and short preambles, same-instant edges, jitter and glitches, decodes
it, and compares every transaction (sample-exact times, fields, errors) with
tests/data/decode_golden.json.  After a deliberate change, review the difference and
rewrite the file with ``python -m tests.test_mutants_decode``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from physcapy.capture import decode as decode_module
from physcapy.capture.base import CaptureReader, SampleBlock, TransitionBlock
from physcapy.capture.decode import (
    TRANSACTION_DTYPE,
    decode,
    decode_arrays,
    decode_samples,
    edges_from_reader,
)
from physcapy.capture.synth import (
    Timing,
    Waveform,
    render_samples,
    synth,
    synth_samples,
    write_capture,
)
from physcapy.errors import CaptureError
from physcapy.mdio.transactions import Transaction as T
from tests.conftest import MUTATE, SHARED, need

GOLDEN = Path(__file__).parent / "data" / "decode_golden.json"


def test_shared_capture_decodes_to_its_exact_transactions() -> None:
    path = SHARED / "captures" / "lan8720a_read_write_read.sr"
    need(path.exists(), "the shared captures")
    got = [(round(t.start * 24e6), round(t.end * 24e6), t.op, t.phy, t.reg, t.data, t.errors)
           for t in decode(path)]  # fmt: skip
    # Sample numbers at 24 MHz: BMCR read, soft reset written, the reset bit read back set.
    assert got == [
        (100, 982, "read", 1, 0, 0x3000, []),
        (1396, 2278, "write", 1, 0, 0x8000, []),
        (2306, 3188, "read", 1, 0, 0x8000, []),
    ]


def test_byte_tables_count_the_ones_at_each_end_of_a_packed_byte() -> None:
    """The tables the preamble search uses (bit 7 is first in time)."""
    lead, trail = decode_module._byte_tables()
    for v in range(256):
        bits = f"{v:08b}"
        assert lead[v] == len(bits) - len(bits.lstrip("1")), v
        assert trail[v] == len(bits) - len(bits.rstrip("1")), v
    assert lead.dtype == trail.dtype == np.int64 and lead.shape == trail.shape == (256,)


def _traffic() -> list[T]:
    out = []
    t = 1e-5
    for i, (clause, op, phy, reg, data, errors) in enumerate([
        (22, "read", 1, 2, 0x0007, []), (22, "read", 1, 3, 0xC0F1, []),
        (22, "write", 1, 0, 0x8000, []), (22, "read", 1, 0, 0x3100, []),
        (22, "write", 31, 31, 0xFFFF, []), (22, "write", 0, 0, 0x0000, []),
        (22, "read", 7, 1, 0xFFFF, ["turnaround"]), (22, "read", 1, 1, 0x782D, []),
        (45, "address", 2, 1, 0x0002, []), (45, "read", 2, 1, 0x0141, []),
        (45, "address", 2, 7, 0xFFFF, []), (45, "write", 2, 7, 0xA5A5, []),
        (45, "read_inc", 2, 3, 0x1234, []), (45, "read_inc", 31, 31, 0x0001, []),
        (22, "read", 5, 17, 0x5555, []), (22, "write", 5, 17, 0xAAAA, []),
    ]):  # fmt: skip
        out.append(T(t, t, clause, op, phy, reg, data, None, errors))
        t += 2e-5 * (1 + i % 3)
    return out


#: name -> (Timing, decode options)
TIMINGS: dict[str, tuple[Timing, dict[str, float | int]]] = {
    "default": (Timing(), {}),
    "coarse 4 samples a period": (Timing(samplerate=10e6, mdc_hz=2.5e6), {}),
    "fine, slow clock, short duty, no preamble": (
        Timing(samplerate=100e6, mdc_hz=1e6, duty=0.3, preamble=0, idle_bits=3), {"min_preamble": 0}),
    # The PHY's changes 0.1 ns after MDC rises: under a sample and a VCD or CSV tick, so
    # synth moves each to the next sample or tick (a change at the edge's own instant
    # would count there, as sigrok reads such files, one bit early); every format reads
    # back what was sent.  The STA's changes land on the falling edges.
    "same-instant edges": (Timing(samplerate=20e6, mdc_hz=2.5e6, sta_delay=0.0, phy_delay=1e-10), {}),
    "jitter and glitches, filtered": (
        Timing(samplerate=50e6, mdc_hz=2.5e6, jitter=4e-9, glitches=True, seed=3), {"glitch": 30e-9}),
    "glitches unfiltered": (Timing(samplerate=50e6, mdc_hz=2.5e6, glitches=True, seed=4), {}),
    "short preamble, 32 required": (Timing(preamble=16, gap=1e-6), {"min_preamble": 32}),
    "wide duty, long gap": (Timing(samplerate=12e6, mdc_hz=1.5e6, duty=0.7, gap=2e-5, idle_bits=5), {}),
}  # fmt: skip
FORMATS = ["x.sr", "x.vcd", "x.csv", "bin/"]


def _rows(ts: list[T], rate: float) -> list[str]:
    return [
        f"{t.start * rate:.3f} {t.end * rate:.3f} {t.clause} {t.op} {t.phy} {t.reg} "
        f"{t.data:#06x} {t.addr} {','.join(t.errors)}"
        for t in ts
    ]


def decoded(timing_name: str, fmt: str, folder: Path) -> list[str]:
    timing, options = TIMINGS[timing_name]
    path = folder / fmt
    write_capture(path, _traffic(), timing)
    channels = {"mdc": 0, "mdio": 1} if fmt.endswith("/") else {}  # a binary export has no names
    return _rows(list(decode(str(path), **channels, **options)), timing.samplerate)  # type: ignore[arg-type]


def in_memory(timing_name: str) -> list[str]:
    timing, _ = TIMINGS[timing_name]
    samples, rate = synth_samples(_traffic(), timing)
    return _rows(decode_samples(samples, rate), rate)


CASES = [f"{n} | {f}" for n in TIMINGS for f in FORMATS] + [f"{n} | samples" for n in TIMINGS]


def _case(case: str, folder: Path) -> list[str]:
    name, fmt = case.split(" | ")
    return in_memory(name) if fmt == "samples" else decoded(name, fmt, folder)


@pytest.mark.parametrize("case", CASES)
def test_decodes_match_the_pinned_golden_file(case: str, tmp_path: Path) -> None:
    expected = json.loads(GOLDEN.read_text())[case]
    got = _case(case, tmp_path)
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        assert g == e, f"transaction {i + 1}"
    assert len(got) == len(expected)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        golden = {}
        for i, c in enumerate(CASES):
            (Path(d) / str(i)).mkdir()
            golden[c] = _case(c, Path(d) / str(i))
    GOLDEN.write_text(json.dumps(golden, indent=0) + "\n")


# -- the MDC glitch filter ---------------------------------------------------------------
#
# Times on a grid of U = 2**-27 s (7.45 ns), so that pulse widths are exact in seconds and
# in samples (the sample rate is 1/U): a pulse of exactly the filter's width is not under
# it.  MDC runs at 54 U a period; every third period gets a 5 U pulse: a spike in the low
# phase or a dropout in the high one, each an extra rising edge (an extra bit) unfiltered.

U = 2.0**-27
PULSE = 5 * U


def _glitch_traffic() -> list[T]:
    # Under `make mutate` the block-size sweeps below (a block per sample) take half.
    return [t for t in _traffic() if t.clause == 22][: 3 if MUTATE else 6]


def _glitchy_wave(pulse: float = PULSE) -> tuple[Waveform, Waveform]:
    """The clean waveform (times on the grid) and the same with MDC pulses added."""
    wave = synth(_glitch_traffic(), Timing(samplerate=1 / U, mdc_hz=1 / (54 * U)))
    grid = [np.round(t / U) * U for t in (wave.mdc_times, wave.mdio_times)]
    clean = Waveform(grid[0], wave.mdc_levels, grid[1], wave.mdio_levels, wave.end)
    rises = clean.mdc_times[clean.mdc_levels == 1]
    extra_t, extra_v = [], []
    for k, r in enumerate(rises[::3].tolist()):
        if k % 2:  # a dropout 10 U into the high phase
            extra_t += [r + 10 * U, r + 10 * U + pulse]
            extra_v += [0, 1]
        else:  # a spike 10 U into the low phase
            extra_t += [r + 37 * U, r + 37 * U + pulse]
            extra_v += [1, 0]
    t = np.concatenate((clean.mdc_times, extra_t))
    order = np.argsort(t, kind="stable")
    levels = np.concatenate((clean.mdc_levels, np.array(extra_v, np.uint8)))[order]
    return clean, Waveform(t[order], levels, clean.mdio_times, clean.mdio_levels, wave.end)


class _Transitions(CaptureReader):
    """A waveform as transition blocks of ``size`` MDC changes each (MDIO cut at the same
    times), with line-like positions or without."""

    def __init__(self, wave: Waveform, size: int, positions: bool = True) -> None:
        self.wave, self.size, self.with_pos = wave, size, positions
        self.mdc, self.mdio, self.initial, self.samplerate = 0, 1, (0, 1), None

    def blocks(self) -> Iterator[TransitionBlock]:
        w = self.wave
        cuts = [*w.mdc_times[self.size :: self.size].tolist(), w.end + 1]
        begin = 0.0
        for end in cuts:
            m = (w.mdc_times >= begin) & (w.mdc_times < end)
            d = (w.mdio_times >= begin) & (w.mdio_times < end)
            pos = {}
            if self.with_pos:
                pos = {"mdc_pos": np.flatnonzero(m) * 2, "mdio_pos": np.flatnonzero(d) * 2 + 1}
            yield TransitionBlock(
                begin, end, w.mdc_times[m], w.mdc_levels[m], w.mdio_times[d], w.mdio_levels[d],
                **pos,
            )  # fmt: skip
            begin = end


class _Samples(CaptureReader):
    """A waveform sampled at 1/U, in blocks of ``size`` samples."""

    def __init__(self, wave: Waveform, size: int) -> None:
        self.samples = render_samples(wave, 1 / U)
        self.size, self.samplerate = size, 1 / U
        self.mdc, self.mdio, self.initial = 0, 1, (0, 1)

    def blocks(self) -> Iterator[SampleBlock]:
        for k in range(0, self.samples.size, self.size):
            yield SampleBlock(k, self.samples[k : k + self.size])


def _decoded(
    reader: CaptureReader, glitch: float, positions: bool = True
) -> list[tuple[object, ...]]:
    """Every field of every decoded row, times included, and file positions if asked."""
    rows = np.concatenate([np.zeros(0, TRANSACTION_DTYPE), *decode_arrays(reader, glitch=glitch)])
    return [tuple(r) if positions else tuple(r)[:-1] for r in rows.tolist()]


def _readers(wave: Waveform, size: int) -> dict[str, CaptureReader]:
    return {
        "samples": _Samples(wave, size),
        "transitions": _Transitions(wave, size),
        "transitions, no positions": _Transitions(wave, size, positions=False),
    }


@pytest.mark.parametrize("kind", ["samples", "transitions", "transitions, no positions"])
def test_glitch_filter_drops_pulses_under_its_width_only(kind: str) -> None:
    """--glitch W ignores MDC pulses shorter than W (both edges, high or low): with W just
    above the pulses the decode is the clean capture's, times and positions included; a
    pulse of exactly W is not under it and is kept, as without the filter."""
    clean, glitchy = _glitchy_wave()
    # A transition file's positions count the changes, the glitches' too.
    same = kind == "samples"
    want = _decoded(_readers(clean, 1 << 20)[kind], 0.0, same)
    assert [r[2:7] for r in want] == [
        (t.clause, {"read": 2, "write": 1}[t.op], t.phy, t.reg, t.data) for t in _glitch_traffic()
    ]
    assert _decoded(_readers(glitchy, 1 << 20)[kind], PULSE + U, same) == want
    unfiltered = _decoded(_readers(glitchy, 1 << 20)[kind], 0.0, same)
    assert unfiltered != want
    assert _decoded(_readers(glitchy, 1 << 20)[kind], PULSE, same) == unfiltered


@pytest.mark.parametrize("kind", ["samples", "transitions", "transitions, no positions"])
def test_glitch_filter_does_not_depend_on_where_blocks_end(kind: str) -> None:
    """The filter pairs the edges of a short pulse even when a block ends between them
    (or a run of blocks holds nothing but short pulses): every block size decodes alike,
    to the clean capture's rows."""
    clean, glitchy = _glitchy_wave()
    # Without positions from the file, an edge's position is its index in its block.
    pos = kind != "transitions, no positions"
    want = _decoded(_readers(glitchy, 1 << 20)[kind], PULSE + U, pos)
    assert [r[:10] for r in want] == [r[:10] for r in _decoded(_readers(clean, 1 << 20)[kind], 0.0)]
    sizes = [1, 2, 3, 5, 8, 13, 31, 54, 55, 97] if kind == "samples" else [1, 2, 3, 4, 5, 7, 9, 40]
    for size in sizes:
        assert _decoded(_readers(glitchy, size)[kind], PULSE + U, pos) == want, size


def test_a_filter_under_one_sample_changes_nothing_at_any_block_size() -> None:
    """No pulse of a sampled capture is shorter than a sample: a filter of half a sample
    gives the unfiltered decode (times, positions) wherever the blocks end."""
    _, glitchy = _glitchy_wave()
    want = _decoded(_Samples(glitchy, 1 << 20), 0.0)
    for size in (1, 2, 3, 54):
        assert _decoded(_Samples(glitchy, size), U / 2) == want, size


class _Counted(CaptureReader):
    """A reader's blocks, counting how many were taken."""

    def __init__(self, inner: CaptureReader) -> None:
        self.inner, self.taken = inner, 0
        self.mdc, self.mdio, self.initial = inner.mdc, inner.mdio, inner.initial
        self.samplerate = inner.samplerate

    def blocks(self) -> Iterator[SampleBlock | TransitionBlock]:
        for block in self.inner.blocks():
            self.taken += 1
            yield block


@pytest.mark.parametrize("kind", ["samples", "transitions"])
def test_glitch_filtered_edges_stream_block_by_block(kind: str) -> None:
    """With the filter on, edges still come as the blocks are read (bounded memory, design
    §3.4), also when every MDC pulse is exactly the filter's width: such a pulse is not
    under it, so a cut there splits no glitch."""
    half = 5 * U  # MDC high and low for exactly the filter's width
    edges_t = np.arange(1, 401) * half
    mdio = (np.zeros(1), np.ones(1, np.uint8))
    wave = Waveform(edges_t, np.tile(np.array([1, 0], np.uint8), 200), *mdio, 401 * half)
    reader = _Counted(_Samples(wave, 50) if kind == "samples" else _Transitions(wave, 10))
    stream = edges_from_reader(reader, glitch=half)
    first = next(stream)
    assert reader.taken <= 2 and len(first) > 0
    rises = len(first) + sum(len(e) for e in stream)
    assert rises == 200 and reader.taken >= 40


def test_glitch_filter_keeps_where_a_transition_capture_begins() -> None:
    """A capture that starts mid-frame, late in time (its own start, not 0 s): idle before
    the first edge counts from the capture's start, so the partial frame is skipped with
    or without the filter, and the decode is the same wherever the blocks end."""
    clean, _ = _glitchy_wave()
    cut = float(clean.mdc_times[150])  # inside the third frame
    late = 1e-3

    def shifted(w: Waveform) -> Waveform:
        m, d = w.mdc_times >= cut, w.mdio_times >= cut
        return Waveform(
            w.mdc_times[m] + late,
            w.mdc_levels[m],
            w.mdio_times[d] + late,
            w.mdio_levels[d],
            w.end + late,
        )

    class _Late(_Transitions):
        def blocks(self) -> Iterator[TransitionBlock]:
            for block in super().blocks():
                if block.t_begin == 0.0:
                    block.t_begin = cut + late
                yield block

    want = _decoded(_Late(shifted(clean), 1 << 20), 0.0)
    assert 0 < len(want) < len(_glitch_traffic())
    for size in (2, 3, 7):
        assert _decoded(_Late(shifted(clean), size), PULSE + U) == want, size


# -- the frame finder: preambles counted exactly, wherever a chunk ends -----------------------


def _word(st: int, op: int, phy: int, reg: int, ta: int, data: int) -> int:
    return st << 30 | op << 28 | phy << 23 | reg << 18 | ta << 16 | data


#: (ones before the frame, its 32 bits): data ending in ones before short preambles, long
#: idle stretches (so a chunk can drop ones that still count), 1-bit and 31-bit preambles.
_FRAMES = [
    (40, _word(0b01, 0b01, 1, 0, 0b10, 0xFFFF)),
    (3, _word(0b01, 0b10, 2, 1, 0b10, 0x00FF)),
    (1, _word(0b01, 0b01, 3, 2, 0b10, 0x8001)),
    (31, _word(0b01, 0b10, 4, 3, 0b10, 0x1234)),
    (90, _word(0b01, 0b10, 5, 4, 0b10, 0xFFFF)),
    (2, _word(0b00, 0b00, 6, 5, 0b10, 0x7FFF)),
    (32, _word(0b00, 0b11, 6, 5, 0b11, 0xBEEF)),  # a read nobody answered: TA 11
    (17, _word(0b01, 0b11, 7, 6, 0b10, 0x0001)),  # Clause 22 OP 11
]
#: Bits clocked before MDC stops (a frame's tail: not a frame, its ones no preamble).
_JUNK = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1]


def _frame_stream(
    frames: list[tuple[int, int]], junk: list[int], idle: int = 10
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], list[tuple[object, ...]]]:
    """The bits (``junk``, then MDC stops for 100 bit times; the frames, ``idle`` ones),
    their sample positions (4 a bit), and each frame's expected (clause, op, phy, reg,
    data, errors, preamble, index of its first counted preamble bit, of its last bit)."""
    bits: list[int] = list(junk)
    want: list[tuple[object, ...]] = []
    for ones, w in frames:
        bits += [1] * ones
        st = len(bits)
        bits += [w >> (31 - k) & 1 for k in range(32)]
        clause, op = (22 if w >> 30 == 1 else 45), w >> 28 & 3
        ta = w >> 16 & 3
        read = op == 0b10 if clause == 22 else op >= 0b10
        errors = (ones < 32) * 1 | ((ta & 1) != 0 if read else ta != 0b10) * 2
        errors |= (clause == 22 and op in (0, 3)) * 4
        want.append((clause, op, w >> 23 & 31, w >> 18 & 31, w & 0xFFFF, errors, ones,
                     st - min(ones, 32), st + 31))  # fmt: skip
    bits += [1] * idle
    pos = (np.arange(len(bits), dtype=np.int64) + 1) * 4
    pos[len(junk) :] += 400 if junk else 0
    return np.array(bits, np.uint8), pos, want


@pytest.mark.parametrize("vectorised", [True, False])
@pytest.mark.parametrize("clock", ["samples", "seconds"])
def test_preambles_are_the_ones_since_the_last_frame_wherever_a_chunk_ends(
    vectorised: bool, clock: str
) -> None:
    """A frame's preamble is the run of ones before its ST bits, counted from the end of the
    frame before (that frame's trailing data ones are not preamble; 802.3 22.2.4.5.1),
    under 32 flagged short_preamble; its start is the 32nd one before ST at most.  The
    rows are exact whether the edges come in one piece or cut at any bit (the cut drops
    ones that still count), by the vectorised searches and by the walk alike."""
    from physcapy.capture.decode import Edges, FrameDecoder

    bits, pos, want = _frame_stream(_FRAMES, [])
    rate = 1e6

    def edges(a: int, b: int) -> Edges:
        t0 = 0.0 if a == 0 else None
        if clock == "samples":
            return Edges(None, pos[a:b], bits[a:b], t0, rate=rate)
        return Edges(pos[a:b] / rate, pos[a:b] // 4, bits[a:b], t0)

    expect = [(*w[:7], pos[w[7]] / rate, pos[w[8]] / rate) for w in want]
    for cut in range(0, bits.size, 1 if vectorised else 7):
        decoder = FrameDecoder(vectorised=vectorised)
        parts = [decoder.feed(edges(0, cut)) if cut else None, decoder.feed(edges(cut, bits.size))]
        rows = np.concatenate([p for p in parts if p is not None] + [decoder.finish()])
        names = ["clause", "op", "phy", "reg", "data", "errors", "preamble", "start", "end"]
        assert rows[names].tolist() == expect, cut


def test_a_capture_that_begins_with_mdc_high_has_an_edge_at_its_first_sample() -> None:
    """MDC idles low before a capture (as the readers assume): a capture whose first
    sample has MDC high begins with a rising edge there, and MDIO is sampled at it."""
    samples, rate = synth_samples([T(0, 0, 22, "write", 1, 0, 0x1234)], Timing(preamble=20))
    first = int(np.flatnonzero(samples & 1)[0])  # the first sample with MDC high
    (whole,) = decode_samples(samples, rate)
    (cut,) = decode_samples(samples[first:], rate)
    assert whole.errors == cut.errors == ["short_preamble"] and cut.data == 0x1234
    assert cut.start == 0.0 and cut.end == pytest.approx(whole.end - first / rate)


@pytest.mark.parametrize("positions", [True, False])
def test_repeated_levels_and_mdio_only_blocks_add_no_edges(positions: bool) -> None:
    """Only a change of MDC from 0 to 1 is a rising edge: an entry repeating the level MDC
    already has (a file may dump values again) is none, a block holding MDIO changes only
    keeps MDC's level for the next block, with or without the glitch filter."""
    clean, _ = _glitchy_wave()
    want = _decoded(_Transitions(clean, 1 << 20, positions), 0.0, positions)

    class _Noisy(_Transitions):
        def blocks(self) -> Iterator[TransitionBlock]:
            for block in super().blocks():
                t, v = block.mdc_times, block.mdc_levels
                again = np.repeat(np.arange(t.size), 2)  # every entry twice, 10 U apart
                times = t[again] + np.tile([0.0, 10 * U], t.size)
                # The MDIO changes within the first low phase: a block without MDC ones.
                early = block.mdio_times < t[0] if t.size else np.ones(block.mdio_times.size, bool)
                if early.any():
                    yield TransitionBlock(block.t_begin, t[0], np.zeros(0), np.zeros(0, np.uint8),
                                          block.mdio_times[early], block.mdio_levels[early])  # fmt: skip
                yield TransitionBlock(block.t_begin, block.t_end, times, v[again],
                                      block.mdio_times[~early], block.mdio_levels[~early])  # fmt: skip

    for glitch in (0.0, PULSE + U):
        for size in (1 << 20, 3):
            got = _decoded(_Noisy(clean, size, positions), glitch, False)
            assert got == [r[:10] for r in want], (glitch, size)


@pytest.mark.parametrize("fmt", ["x.sr", "x.vcd", "x.csv", "bin/", "bin/digital_2.bin"])
def test_channels_chosen_by_the_caller_are_the_ones_decoded(tmp_path: Path, fmt: str) -> None:
    """--mdc/--mdio pick the channels (by index or name) over the MDC/MDIO names: a
    4-channel capture with the bus on channels 2 and 3 decodes from them, and naming an
    idle channel instead decodes nothing.  A binary export opens as its folder or as
    one of its digital_N.bin files."""
    ts = _glitch_traffic()
    write_capture(tmp_path / fmt.split("/")[0], ts, Timing(), channels=4, positions=(2, 3))
    path = tmp_path / fmt

    def got(mdc: str | int | None, mdio: str | int | None) -> list[tuple[object, ...]]:
        return [(t.op, t.phy, t.reg, t.data) for t in decode(path, mdc=mdc, mdio=mdio)]

    want = [(t.op, t.phy, t.reg, t.data) for t in ts]
    assert got(2, "3") == want
    if not fmt.startswith("bin"):  # exports name no channel
        assert got(None, None) == want
        assert got(0, None) == [] and got(None, 1) == []


@pytest.mark.parametrize("name", ["x.txt", "noext"])
def test_an_unknown_capture_format_is_named_in_the_error(tmp_path: Path, name: str) -> None:
    """A file that is none of .sr, .vcd, .csv or a binary export is refused, naming its
    extension (or its lack of one) and the formats allowed."""
    (tmp_path / name).write_bytes(b"0,1\n")
    with pytest.raises(CaptureError) as err:
        list(decode(tmp_path / name))
    shown = "'.txt'" if name == "x.txt" else "'(no extension)'"
    assert str(err.value).endswith(
        f"unknown capture format {shown}: allowed .sr (sigrok), .vcd, .csv (Saleae Logic 2), "
        "a Saleae binary export (directory or digital_N.bin)"
    )


@pytest.mark.parametrize("vectorised", [True, False])
def test_a_frame_right_after_mdc_resumes_counts_its_preamble_from_there(vectorised: bool) -> None:
    """Bits clocked before MDC stops (a frame's tail) are skipped; the decoder
    synchronises where MDC resumes, and the next frame's preamble is the ones from there
    on (the tail's trailing ones are not counted).  Also when the capture is short (the
    decoder waits for more bits before it settles where frames start) and wherever a
    chunk ends: a gap found while waiting still counts."""
    from physcapy.capture.decode import Edges, FrameDecoder

    frames = [(3, _word(0b01, 0b01, 1, 9, 0b10, 0xFFF1)), *_FRAMES]
    names = ["clause", "op", "phy", "reg", "data", "errors", "preamble", "start", "end"]
    for idle in (500, 10):  # settles at once; waits for more bits
        bits, pos, want = _frame_stream(frames, _JUNK, idle=idle)
        expect = [(*w[:7], pos[w[7]] / 1e6, pos[w[8]] / 1e6) for w in want]
        for cut in (0, 5, 13, 40, 200, 600):
            if cut >= bits.size:
                continue
            decoder = FrameDecoder(vectorised=vectorised)
            parts = [decoder.feed(Edges(None, pos[:cut], bits[:cut], 0.0, rate=1e6))] if cut else []
            first = 0.0 if not cut else None
            parts.append(decoder.feed(Edges(None, pos[cut:], bits[cut:], first, rate=1e6)))
            rows = np.concatenate([*parts, decoder.finish()])
            assert rows[names].tolist() == expect, (idle, cut)
            assert decoder.synced_by is not None and decoder.synced_by.how == "gap"
            assert [(k.position, k.bits) for k in decoder.skipped] == [(4, len(_JUNK))]


def test_open_capture_names_a_missing_file_and_one_channel_given_twice(tmp_path: Path) -> None:
    """A path that does not exist is named as the capture it should be; MDC and MDIO on
    one channel are refused, naming it and how to choose."""
    with pytest.raises(CaptureError, match=r"x\.sr: no such file \(a capture\)"):
        list(decode(tmp_path / "x.sr"))
    write_capture(tmp_path / "x.sr", _glitch_traffic(), Timing())
    with pytest.raises(CaptureError) as err:
        list(decode(tmp_path / "x.sr", mdc=1, mdio="MDIO"))
    assert str(err.value).endswith(
        "MDC and MDIO are both channel 1:MDIO: they are two signals; choose them with "
        "--mdc and --mdio"
    )
