# SPDX-License-Identifier: GPL-2.0-only
"""physcapy timing's vectorised analysis against a plain reference: every figure of
22.3.4 recomputed edge by edge in Python from the capture's own changes, on
synthesized captures that violate each limit, that the resolution cannot decide, with
preamble suppression, Clause 45 frames, unanswered reads, MDIO glitches and stopped
clocks; and the report is the same however the capture is cut into blocks and steps
(the streaming: edges carried between steps, holds waiting for MDIO's next change)."""

from __future__ import annotations

import math
import random
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from physcapy.capture import timing as timing_module
from physcapy.capture.base import UNKNOWN, CaptureReader, SampleBlock, TransitionBlock
from physcapy.capture.decode import open_capture
from physcapy.capture.synth import Timing, write_capture
from physcapy.capture.timing import timing
from physcapy.mdio.transactions import Transaction


def _transactions(n: int, seed: int) -> list[Transaction]:
    """Clause 22 and 45 frames of every opcode; every ninth read unanswered."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        clause = rng.choice([22, 45])
        ops = ["read", "write"] if clause == 22 else ["address", "write", "read", "read_inc"]
        op = rng.choice(ops)
        errors = ["turnaround"] if op.startswith("read") and k % 9 == 4 else []
        out.append(
            Transaction(
                0, 0, clause, op, rng.randrange(32), rng.randrange(32), rng.randrange(1 << 16)
            )
        )
        out[-1].errors = errors
    return out


P = 400e-9  # 2.5 MHz
CASES: dict[str, Timing] = {
    # 40 ns sampling: a 20 ns setup and the 400 ns period are not resolvable.
    "coarse.sr": Timing(samplerate=25e6, sta_delay=P / 2 - 20e-9, phy_delay=60e-9),
    # 1 ns sampling, each limit violated: setup 6 ns, PHY delay 330 ns, 3 MHz, duty 0.3.
    "setup.sr": Timing(samplerate=1e9, sta_delay=P / 2 - 6e-9, phy_delay=100e-9),
    "delay.sr": Timing(samplerate=1e9, phy_delay=330e-9),
    "fast.sr": Timing(samplerate=1e9, mdc_hz=3e6, phy_delay=50e-9),
    "duty.sr": Timing(samplerate=1e9, duty=0.3, phy_delay=50e-9),
    # Preamble suppression: one preamble bit, one idle bit, MDC never stops.
    "suppressed.sr": Timing(samplerate=50e6, preamble=1, idle_bits=1, gap=0.0),
    # MDIO glitches between the edges and a jittery clock.
    "glitch.sr": Timing(samplerate=200e6, glitches=True, jitter=0.1, seed=2),
    # VCDs: 100 ps ticks; a 4 ns hold; and 1 ns ticks with jitter and a skewed duty.
    "hold.vcd": Timing(samplerate=1e10, sta_delay=4e-9 - P / 2, phy_delay=20e-9),
    "jitter.vcd": Timing(samplerate=1e9, duty=0.6, jitter=0.05, seed=5, idle_bits=3),
}

#: For the streaming test only: a format with no time base (times in seconds).
CUT_ONLY: dict[str, Timing] = {"saleae.csv": Timing(samplerate=50e6, jitter=0.05, seed=1)}


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("timing-ref")
    out = {}
    for k, (name, t) in enumerate({**CASES, **CUT_ONLY}.items()):
        out[name] = root / name
        write_capture(out[name], _transactions(60, seed=k), t)
    return out


# -- the reference ------------------------------------------------------------------------


def _changes(reader: CaptureReader) -> tuple[list[int], list[int], list[int], list[int], float]:
    """MDC and MDIO changes (ticks, levels) of a whole capture, and ticks per second."""
    if reader.samplerate:
        s = np.concatenate([b.samples for b in reader.blocks() if isinstance(b, SampleBlock)])
        out: list[list[int]] = []
        for bit, init in ((reader.mdc, reader.initial[0]), (reader.mdio, reader.initial[1])):
            level = ((s >> bit) & 1).astype(int).tolist()
            prev = init
            ticks, levels = [], []
            for n, v in enumerate(level):
                if v != prev:
                    ticks.append(n)
                    levels.append(v)
                prev = v
            out += [ticks, levels]
        return out[0], out[1], out[2], out[3], reader.samplerate
    per_second = round(1 / reader.timescale)  # type: ignore[attr-defined]
    blocks = [b for b in reader.blocks() if isinstance(b, TransitionBlock)]
    lists: list[list[int]] = []
    for times, levels in (("mdc_times", "mdc_levels"), ("mdio_times", "mdio_levels")):
        prev = -1  # the file's first level counts as a change
        ticks, kept = [], []
        for b in blocks:
            for t, v in zip(getattr(b, times).tolist(), getattr(b, levels).tolist(), strict=True):
                if v == UNKNOWN:
                    if times == "mdc_times":
                        continue  # an unknown MDC level is no edge
                    v = 1  # an unknown MDIO level samples as released
                if v != prev:
                    ticks.append(round(t * per_second))
                    kept.append(v)
                prev = v
        lists += [ticks, kept]
    return lists[0], lists[1], lists[2], lists[3], float(per_second)


def _figure(values: list[tuple[int, int, int]], smallest: bool, rate: float) -> dict[str, Any]:
    """(ticks, frame, time ticks) -> the report's figure: count, min, median (the lower
    middle value), max and the five worst, ties to the earlier frame."""
    if not values:
        return {"count": 0, "min_s": None, "median_s": None, "max_s": None, "worst": []}
    v = sorted(x[0] for x in values)
    sign = 1 if smallest else -1
    worst = sorted(values, key=lambda x: (sign * x[0], x[1], x[2]))[:5]
    return {
        "count": len(v),
        "min_s": v[0] / rate,
        "median_s": v[(len(v) + 1) // 2 - 1] / rate,
        "max_s": v[-1] / rate,
        "worst": [{"value_s": a / rate, "frame": f, "time_s": t / rate} for a, f, t in worst],
    }


def _reference(path: Path, sent: list[Transaction], shape: Timing) -> dict[str, Any]:
    with open_capture(path) as reader:
        mdc_t, mdc_v, mdio_t, mdio_v, rate = _changes(reader)
    rises = [at for at, v in zip(mdc_t, mdc_v, strict=True) if v == 1]

    def level_at(t: int) -> int:  # after every change at or before t
        i = bisect_right(mdio_t, t)
        return mdio_v[i - 1] if i else 1

    def before(t: int) -> int | None:
        i = bisect_right(mdio_t, t)
        return mdio_t[i - 1] if i else None

    def after(t: int) -> int | None:
        i = bisect_right(mdio_t, t)
        return mdio_t[i] if i < len(mdio_t) else None

    bits = [level_at(r) for r in rises]
    periods = [b - a for a, b in pairwise(rises)]
    limit = 2.5 * statistics.median(periods)
    clocking = [p for p in periods if p <= limit]
    high, low, duty = [], [], []
    for i, at in enumerate(mdc_t):
        if mdc_v[i] == 1 and 0 < i < len(mdc_t) - 1:
            h, lo = mdc_t[i + 1] - at, at - mdc_t[i - 1]
            if h + lo <= limit:
                high.append((h, 0, 0))
                low.append((lo, 0, 0))
                duty.append(h / (h + lo))
    setup, hold, delay, release = [], [], [], []
    reads = ta_first_low = no_answer = 0
    preambles: Counter[int] = Counter()
    pre = shape.preamble + shape.idle_bits  # ones before each frame's ST: one rise per bit
    for f, tr in enumerate(sent):
        z = f * (pre + 32) + pre
        preambles[pre] += 1
        read = tr.op in ("read", "read_inc")
        for j in range(14 if read else 32):
            r = rises[z + j]
            b, a = before(r), after(r)
            if b is not None:
                setup.append((r - b, f, r))
            if a is not None:
                hold.append((a - r, f, r))
        if not read:
            continue
        reads += 1
        ta_first_low += bits[z + 14] == 0
        if bits[z + 15] != 0:
            no_answer += 1
            continue
        for j in range(15, 32):
            prev, this = rises[z + j - 1], rises[z + j]
            a = after(prev)
            if a is not None and a <= this:
                delay.append((a - prev, f, prev))
        last = rises[z + 31]
        a = after(last)
        if bits[z + 31] == 0 and a is not None:
            release.append((a - last, f, last))
    return {
        "frames": len(sent),
        "reads": reads,
        "period": _figure([(p, 0, 0) for p in clocking], True, rate),
        "high": _figure(high, True, rate),
        "low": _figure(low, True, rate),
        "duty": (min(duty), max(duty)),
        "jitter_s": statistics.pstdev(clocking) / rate,
        "gaps": len(periods) - len(clocking),
        "preambles": {str(k): v for k, v in sorted(preambles.items())},
        "setup": _figure(setup, True, rate),
        "hold": _figure(hold, True, rate),
        "output_delay": _figure(delay, False, rate),
        "release": _figure(release, False, rate),
        "first_bit_low": ta_first_low,
        "no_answer": no_answer,
    }


def _same_figure(got: dict[str, Any], want: dict[str, Any], worst: bool = True) -> None:
    assert got["count"] == want["count"]
    for key in ("min_s", "median_s", "max_s"):
        assert got[key] == pytest.approx(want[key], rel=1e-12), key
    if worst:
        assert [w["frame"] for w in got["worst"]] == [w["frame"] for w in want["worst"]]
        for g, w in zip(got["worst"], want["worst"], strict=True):
            assert g["value_s"] == pytest.approx(w["value_s"], rel=1e-12)
            assert g["time_s"] == pytest.approx(w["time_s"], rel=1e-12)


@pytest.mark.parametrize("name", list(CASES))
def test_equals_the_edge_by_edge_reference(captures: dict[str, Path], name: str) -> None:
    got = timing(captures[name]).to_json()
    k = list(CASES).index(name)
    want = _reference(captures[name], _transactions(60, seed=k), CASES[name])
    assert got["frames"] == want["frames"] == 60
    assert got["reads"] == want["reads"]
    assert got["preambles"] == want["preambles"]
    mdc = got["mdc"]
    _same_figure(mdc["period"], want["period"], worst=False)
    _same_figure(mdc["high"], want["high"], worst=False)
    _same_figure(mdc["low"], want["low"], worst=False)
    assert (mdc["duty"]["min_fraction"], mdc["duty"]["max_fraction"]) == pytest.approx(
        want["duty"], rel=1e-12
    )
    assert mdc["jitter_s"] == pytest.approx(want["jitter_s"], rel=1e-9, abs=1e-18)
    assert got["idle_gaps"]["count"] == want["gaps"]
    for figure in ("setup", "hold", "output_delay"):
        _same_figure(got[figure], want[figure])
    ta = got["turnaround"]
    _same_figure(ta["release"], want["release"])
    assert (ta["first_bit_low"], ta["no_answer"]) == (want["first_bit_low"], want["no_answer"])
    assert want["no_answer"] > 0 and want["output_delay"]["count"] > 0


def test_the_cases_cover_every_verdict(captures: dict[str, Path]) -> None:
    verdicts = {
        name: {k: c["verdict"] for k, c in timing(p).to_json()["checks"].items()}
        for name, p in captures.items()
    }
    fails = {name: {k for k, v in c.items() if v == "fail"} for name, c in verdicts.items()}
    assert fails["setup.sr"] == {"setup"}
    assert fails["delay.sr"] == {"output_delay"}
    assert fails["fast.sr"] == {"mdc_period"}
    assert fails["duty.sr"] == {"mdc_high"}
    assert fails["hold.vcd"] == {"hold"}
    assert verdicts["coarse.sr"]["setup"] == "not resolvable at 40.0 ns"
    assert verdicts["coarse.sr"]["mdc_period"] == "not resolvable at 40.0 ns"


# -- the same report however the capture is cut -------------------------------------------


class _Cut(CaptureReader):
    """A reader's blocks cut into pieces of ``size`` samples (or ``size`` MDC changes)."""

    def __init__(self, reader: CaptureReader, size: int):
        self.inner, self.size = reader, size
        self.path, self.channels = reader.path, reader.channels
        self.mdc, self.mdio = reader.mdc, reader.mdio
        self.samplerate, self.initial = reader.samplerate, reader.initial
        self.timescale = getattr(reader, "timescale", None)

    def blocks(self) -> Iterator[SampleBlock | TransitionBlock]:
        for b in self.inner.blocks():
            if isinstance(b, SampleBlock):
                for i in range(0, b.samples.size, self.size):
                    yield SampleBlock(b.start + i, b.samples[i : i + self.size])
                continue
            cuts = [*b.mdc_times[:: self.size].tolist()[1:], b.t_end]
            begin = b.t_begin
            for end in cuts:
                m = slice(*np.searchsorted(b.mdc_times, [begin, end]))
                d = slice(*np.searchsorted(b.mdio_times, [begin, end]))
                yield TransitionBlock(
                    begin,
                    end,
                    b.mdc_times[m],
                    b.mdc_levels[m],
                    b.mdio_times[d],
                    b.mdio_levels[d],
                )
                begin = end

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize(
    "name", ["coarse.sr", "suppressed.sr", "glitch.sr", "jitter.vcd", "saleae.csv"]
)
@pytest.mark.parametrize(("size", "step"), [(997, 50), (20_011, 700), (64, 33)])
def test_same_report_whatever_the_blocks_and_steps(
    captures: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    size: int,
    step: int,
) -> None:
    whole = timing(captures[name]).to_json()
    monkeypatch.setattr(timing_module, "_STEP", step)
    monkeypatch.setattr(timing_module, "_ROOM", step * 3)
    cut = timing(_Cut(open_capture(captures[name]), size)).to_json()
    # Whole ticks sum exactly; seconds (a format with no time base) to rounding.
    jitter = cut["mdc"].pop("jitter_s"), whole["mdc"].pop("jitter_s")
    assert jitter[0] == (pytest.approx(jitter[1], rel=1e-9) if name.endswith(".csv") else jitter[1])
    assert cut == whole
    assert not math.isnan(jitter[0])


def test_other_channels_and_channel_order_change_nothing(tmp_path: Path) -> None:
    """The one pass over the samples masks off a busy third channel and finds MDC and
    MDIO on whichever bits they are."""
    from physcapy.capture.sr import write_sr
    from physcapy.capture.synth import render_samples, synth

    shape = CASES["coarse.sr"]
    s = render_samples(synth(_transactions(20, seed=3), shape), shape.samplerate)
    noise = (np.arange(s.size) % 3 == 0).astype(np.uint8) << 2
    swapped = ((s & 1) << 1) | ((s >> 1) & 1)
    variants = {
        "plain.sr": ([s], ["MDC", "MDIO"]),
        "noisy.sr": ([s | noise], ["MDC", "MDIO", "NOISE"]),
        "swapped.sr": ([swapped.astype(np.uint8)], ["MDIO", "MDC"]),
    }
    reports = []
    for name, (samples, channels) in variants.items():
        write_sr(tmp_path / name, samples, shape.samplerate, channels)
        got = timing(tmp_path / name).to_json()
        got.pop("source")
        reports.append(got)
    assert reports[0]["frames"] == 20
    assert reports[1] == reports[0] and reports[2] == reports[0]


@pytest.mark.parametrize("block", range(6))
def test_candidate_walk_equals_the_frame_by_frame_walk(block: int) -> None:
    """The vectorised walk looks only at zeros that follow a one; the frame-by-frame
    walk at every zero: both find the same frames, on many more random bit streams
    (short and long preambles, noise, stopped clocks) than tests/test_timing.py's."""
    from tests.test_timing import _random_traffic

    for seed in range(1000 + block * 100, 1100 + block * 100):
        times, bits = _random_traffic(seed, 40 + (seed * 37) % 700)
        rises, b = np.array(times), np.array(bits, np.uint8)
        for final in (False, True):
            for chained in (False, True):
                fast, slow = timing_module._Analyser(1e-9), timing_module._Analyser(1e-9)
                for a in (fast, slow):
                    a.median_period, a.chained = 1.0, chained
                    a.last_rise = -1.0 if seed % 2 else math.nan
                got = fast._walk(rises, b, final)
                want = slow._walk_slow(rises, b, final, slow._gaps(rises), np.flatnonzero(b == 0))
                assert got == want and fast.chained == slow.chained, (seed, final, chained)
