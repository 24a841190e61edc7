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
from pathlib import Path

import numpy as np
import pytest

from physcapy.capture import decode as decode_module
from physcapy.capture.decode import decode, decode_samples
from physcapy.capture.synth import Timing, synth_samples, write_capture
from physcapy.mdio.transactions import Transaction as T
from tests.conftest import SHARED, need

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
