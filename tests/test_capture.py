# SPDX-License-Identifier: GPL-2.0-only
"""Capture decoding against sigrok-cli and the real captures, synthesis round trips, bad input."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from physcapy.capture.base import CaptureReader, SampleBlock
from physcapy.capture.decode import FrameDecoder, decode, decode_samples, edges_from_reader
from physcapy.capture.sr import SrReader, write_sr
from physcapy.capture.synth import Timing, render_samples, synth, synth_samples, write_capture
from physcapy.errors import CaptureError
from physcapy.mdio.transactions import Transaction
from tests.conftest import MUTATE, SHARED, need

CAPTURES = SHARED / "captures"
REAL = ["lan8720a_read_all_unplugged", "lan8720a_read_write_read", "clause45_read_no_address"]


def sigrok_line(t: Transaction) -> str | None:
    """What sigrok-cli's mdio decoder prints for a transaction (nothing for ADDRESS)."""
    if t.op == "address":
        return None
    kind = "READ: " if t.op in ("read", "read_inc") else "WRITE:"
    error = " ERROR" if "turnaround" in t.errors else ""
    if t.clause == 22:
        return f"mdio-1: {kind} {t.data:04X} PHYAD: {t.phy:02d} REGAD: {t.reg:02d}{error}"
    addr = "UKWN" if t.addr is None else f"{t.addr:04X}"
    return f"mdio-1: ADDR: {addr} {kind} {t.data:04X} PRTAD: {t.phy:02d} DEVAD: {t.reg:02d}{error}"


def sigrok_lines(ts: list[Transaction]) -> list[str]:
    """sigrok's view of a transaction list.  Its decoder keeps one Clause 45 address for
    the whole bus (the last ADDRESS frame, +1 after each post-read-increment), where
    802.3 45.2 gives every MMD of every port its own; physcapy follows the standard, so
    the comparison re-derives sigrok's address here."""
    out = []
    addr: int | None = None
    for t in ts:
        if t.clause == 45:
            if t.op == "address":
                addr = t.data
                continue
            t = Transaction(t.start, t.end, t.clause, t.op, t.phy, t.reg, t.data, addr, t.errors)
            if t.op == "read_inc" and addr is not None:
                addr = (addr + 1) & 0xFFFF
        line = sigrok_line(t)
        if line:
            out.append(line)
    return out


def run_sigrok(path: Path, mdc: str = "MDC", mdio: str = "MDIO") -> list[str]:
    tool = shutil.which("sigrok-cli")
    need(tool is not None, "sigrok-cli")
    assert tool is not None
    out = subprocess.run(
        [tool, "-i", str(path), "-P", f"mdio:mdc={mdc}:mdio={mdio}", "-A", "mdio=decode"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    return [line.strip() for line in out.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("name", REAL)
def test_real_captures_match_sigrok(name: str) -> None:
    path = CAPTURES / f"{name}.sr"
    need(path.exists(), str(path))
    ours = list(decode(path))
    lines = sigrok_lines(ours)
    reference = [
        line.strip()
        for line in (CAPTURES / f"{name}.sigrok.txt").read_text().splitlines()
        if line.strip()
    ]
    assert lines == reference
    assert lines == run_sigrok(path)  # the oracle, run on the same file


def test_real_capture_details() -> None:
    need((CAPTURES / "clause45_read_no_address.sr").exists(), "captures")
    c45 = list(decode(CAPTURES / "clause45_read_no_address.sr"))
    assert [(t.op, t.addr, t.errors) for t in c45] == [("read_inc", None, ["turnaround"])] * 3
    lan = list(decode(CAPTURES / "lan8720a_read_all_unplugged.sr"))
    assert [t.reg for t in lan] == list(range(32))
    assert all(t.start < t.end for t in lan) and lan[0].start > 0


# -- round trips -----------------------------------------------------------------------------


def random_transactions(n: int, seed: int = 1) -> list[Transaction]:
    """Clause 22 and 45 reads, writes, address and post-read-increment frames; some reads
    that no PHY answers (turnaround error, all ones)."""
    rng = random.Random(seed)
    out = []
    ops22 = ["read", "write"]
    ops45 = ["address", "write", "read", "read_inc"]
    for _ in range(n):
        clause = rng.choice([22, 45])
        op = rng.choice(ops22 if clause == 22 else ops45)
        errors: list[str] = []
        data = rng.randrange(0x10000)
        if op in ("read", "read_inc") and rng.random() < 0.05:
            errors, data = ["turnaround"], 0xFFFF
        out.append(
            Transaction(0, 0, clause, op, rng.randrange(32), rng.randrange(32), data, None, errors)
        )
    return out


def with_addresses(ts: list[Transaction]) -> list[tuple[object, ...]]:
    """The fields a decode must give back, with the Clause 45 address worked out here."""
    ctx: dict[tuple[int, int], int] = {}
    out = []
    for t in ts:
        addr = None
        if t.clause == 45:
            key = (t.phy, t.reg)
            if t.op == "address":
                ctx[key] = t.data
            addr = ctx.get(key)
            if t.op == "read_inc" and key in ctx:
                ctx[key] = (ctx[key] + 1) & 0xFFFF
        out.append((t.clause, t.op, t.phy, t.reg, t.data, addr, tuple(t.errors)))
    return out


def fields(ts: list[Transaction]) -> list[tuple[object, ...]]:
    return [(t.clause, t.op, t.phy, t.reg, t.data, t.addr, tuple(t.errors)) for t in ts]


def test_round_trip_10000_transactions_through_sr_and_sigrok(tmp_path: Path) -> None:
    ts = random_transactions(2_000 if MUTATE else 10_000)
    path = tmp_path / "random.sr"
    write_capture(path, ts, Timing(samplerate=10e6, mdc_hz=2.5e6, gap=2e-6))
    decoded = list(decode(path))
    assert fields(decoded) == with_addresses(ts)
    assert run_sigrok(path) == sigrok_lines(decoded)


@pytest.mark.parametrize(
    "timing",
    [
        Timing(samplerate=10e6, mdc_hz=2.5e6, jitter=0.2, seed=3),  # +-20 % per period
        Timing(samplerate=25e6, mdc_hz=2.5e6, glitches=True),  # MDIO glitches between edges
        Timing(samplerate=10e6, mdc_hz=2.5e6, preamble=1),  # 1-bit preambles, 4 samples/period
        Timing(samplerate=10e6, mdc_hz=2.5e6, jitter=0.2, glitches=True, preamble=1, seed=5),
        Timing(samplerate=25e6, mdc_hz=2.5e6, duty=0.3, idle_bits=8, gap=0.0),  # MDC never stops
    ],
    ids=["jitter", "glitches", "preamble-1", "everything", "duty-idle"],
)
def test_round_trip_hard_timing(timing: Timing) -> None:
    ts = random_transactions(1_000, seed=7)
    samples, rate = synth_samples(ts, timing)
    decoded = decode_samples(samples, rate)
    expected = with_addresses(ts)
    if timing.preamble < 32 and not timing.idle_bits:
        expected = [(*e[:-1], ("short_preamble", *e[-1])) for e in expected]
    assert fields(decoded) == expected


@pytest.mark.parametrize(
    ("timing", "target"),
    [
        # 0.1 ns output delay: under a 50 ns sample, a 1 ns VCD tick and a CSV's 1 ns.
        *[
            (Timing(samplerate=20e6, phy_delay=1e-10), t)
            for t in ("x.sr", "x.vcd", "x.csv", "bin/")
        ],
        # Edges off the sample grid (jitter): a change 0.1 ns after one mostly shares its sample.
        (Timing(samplerate=20e6, phy_delay=1e-10, jitter=0.2, seed=1), "x.sr"),
        (Timing(samplerate=20e6, phy_delay=1e-10, jitter=0.2, seed=1), "samples"),
        # The default delay (1.5 samples, 0.375 ns at 4 GHz) under the CSV's nanosecond.
        (Timing(samplerate=4e9), "x.csv"),
    ],
    ids=["sr", "vcd", "csv", "bin", "jitter-sr", "jitter-samples", "4GHz-csv"],
)
def test_phy_output_delay_under_the_resolution_reads_at_the_next_edge(
    tmp_path: Path, timing: Timing, target: str
) -> None:
    """IEEE 802.3 22.3.4: the PHY drives MDIO after MDC rises and the STA samples it at the
    next rise.  However short the output delay, a synthesized capture keeps each change off
    the edge it follows at the file's resolution (a change recorded at the edge's own
    instant reads there, a bit early): every read decodes to the data the PHY sent."""
    ts = [t for t in random_transactions(40, seed=11) if t.op in ("read", "read_inc")]
    ts += [Transaction(0, 0, 22, "read", 1, 1, 0x5555), Transaction(0, 0, 22, "read", 1, 1, 0xAAAA)]
    if target == "samples":
        decoded = decode_samples(*synth_samples(ts, timing))
    else:
        write_capture(tmp_path / target, ts, timing)
        channels = {"mdc": 0, "mdio": 1} if target.endswith("/") else {}
        decoded = list(decode(tmp_path / target, **channels))  # type: ignore[arg-type]
    assert fields(decoded) == with_addresses(ts)


def test_sixteen_channels_on_other_positions(tmp_path: Path) -> None:
    ts = random_transactions(200, seed=9)
    path = tmp_path / "sixteen.sr"
    write_capture(path, ts, Timing(samplerate=10e6, mdc_hz=2.5e6), channels=16, positions=(11, 5))
    reader = SrReader(path)
    assert (reader.unitsize, reader.mdc, reader.mdio) == (2, 11, 5)
    assert fields(list(decode(reader))) == with_addresses(ts)
    assert fields(list(decode(path, mdc="11", mdio="5"))) == with_addresses(ts)
    assert run_sigrok(path, "MDC", "MDIO") == sigrok_lines(list(decode(path)))


def test_capture_that_starts_mid_frame_and_ends_mid_frame() -> None:
    """Frames back to back, MDC never stopping; the capture is cut inside frames 2 and 18."""
    from physcapy.capture.decode import to_transactions

    ts = random_transactions(20, seed=11)
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6, gap=0.0)
    samples = render_samples(synth(ts, timing), timing.samplerate)
    per_frame = 64 * 4  # 64 MDC periods of 4 samples
    cut = samples[2 * per_frame + 130 : 18 * per_frame + 200]  # 50 bits into frame 18
    decoder = FrameDecoder()
    out = list(
        to_transactions(
            np.concatenate(
                [decoder.feed(e) for e in edges_from_reader(_ArrayReader(cut, timing.samplerate))]
                + [decoder.finish()]
            )
        )
    )
    expected = with_addresses(ts)
    # Frame 2's tail is not a frame; nothing before frame 3's full preamble is trusted.
    assert [f[:5] for f in fields(out[:-1])] == [e[:5] for e in expected[3:18]]
    assert out[-1].errors == ["truncated"] and out[-1].phy == ts[18].phy
    assert decoder.skipped and decoder.skipped[0].position == 0


class _ArrayReader(CaptureReader):
    """A capture held in memory, for tests, read in small blocks to exercise the carry."""

    def __init__(self, samples: np.ndarray, rate: float):
        self.samples, self.samplerate = samples, rate
        self.mdc, self.mdio, self.initial = 0, 1, (0, 1)

    def blocks(self):  # type: ignore[no-untyped-def]
        for k in range(0, self.samples.size, 1000):  # small blocks: exercise the carry
            yield SampleBlock(k, self.samples[k : k + 1000])


def test_streaming_blocks_give_the_same_decode() -> None:
    ts = random_transactions(500, seed=13)
    samples, rate = synth_samples(ts, Timing(samplerate=10e6, mdc_hz=2.5e6))
    reader = _ArrayReader(samples, rate)
    assert fields(list(decode(reader))) == with_addresses(ts)


def test_groups_of_edges_decode_as_the_edges_one_by_one() -> None:
    """FrameDecoder.feed takes a group of consecutive edges (what decode_arrays hands it,
    joined with the carried bits in one copy) with the same result as each in turn,
    whatever the group sizes, for sample and transition clocks."""
    from physcapy.capture.decode import Edges, to_transactions

    ts = random_transactions(300, seed=21)
    samples, rate = synth_samples(ts, Timing(samplerate=10e6, mdc_hz=2.5e6))
    edges = list(edges_from_reader(_ArrayReader(samples, rate)))
    assert len(edges) > 20  # small reader blocks: many parts
    timed = [Edges(e.times, e.positions, e.bits, e.t0) for e in edges]
    for parts in (edges, timed):
        one = FrameDecoder()
        expected = np.concatenate([*(one.feed(e) for e in parts), one.finish()])
        assert fields(list(to_transactions(expected))) == with_addresses(ts)
        for sizes in ((2,), (7, 1, 3), (len(parts),)):
            grouped, out, at, k = FrameDecoder(), [], 0, 0
            while at < len(parts):
                group = parts[at : at + sizes[k % len(sizes)]]
                out.append(grouped.feed(group))
                at, k = at + len(group), k + 1
            out.append(grouped.finish())
            assert np.concatenate(out).tolist() == expected.tolist(), sizes
    mixed = FrameDecoder()
    with pytest.raises(CaptureError, match="cannot be mixed"):
        mixed.feed([edges[0], timed[1]])


# -- bad input -------------------------------------------------------------------------------


def make_sr(tmp_path: Path, **members: bytes) -> Path:
    path = tmp_path / "x.sr"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name.replace("_", "-"), data)
    return path


META = b"[device 1]\nsamplerate=1 MHz\ntotal probes=2\nprobe1=MDC\nprobe2=MDIO\nunitsize=1\n"


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"version": b"2"}, "no 'metadata' member"),
        ({"version": b"3", "metadata": META, "logic_1_1": b"\0"}, "version b'3' is not supported"),
        ({"version": b"2", "metadata": b"[device 1]\nunitsize=1\n"}, "gives no samplerate"),
        (
            {"version": b"2", "metadata": META.replace(b"1 MHz", b"fast")},
            "samplerate 'fast' is not a rate",
        ),
        ({"version": b"2", "metadata": META}, "holds no logic data"),
        (
            {
                "version": b"2",
                "metadata": META.replace(b"probe1=MDC", b"probe1=CLK"),
                "logic_1_1": b"\0",
            },
            "no channel named MDC: the file has 0:CLK, 1:MDIO",
        ),
    ],
)
def test_bad_sessions(tmp_path: Path, members: dict[str, bytes], message: str) -> None:
    with pytest.raises(CaptureError, match=message):
        SrReader(make_sr(tmp_path, **members))


def test_not_a_zip_and_truncated_member(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sr"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(CaptureError, match="not a sigrok session"):
        SrReader(junk)
    ts = random_transactions(100)
    good = tmp_path / "good.sr"
    write_capture(good, ts, Timing(samplerate=10e6, mdc_hz=2.5e6))
    raw = bytearray(good.read_bytes())
    info = zipfile.ZipFile(good).getinfo("logic-1-1")
    start = info.header_offset + 30 + len(info.filename)
    raw[start + info.compress_size // 2 : start + info.compress_size // 2 + 16] = b"\xff" * 16
    broken = tmp_path / "broken.sr"
    broken.write_bytes(bytes(raw))
    with pytest.raises(CaptureError, match="logic-1-1"):
        list(decode(broken))


def test_a_member_that_inflates_enormously_streams(tmp_path: Path) -> None:
    """200 MB of samples compressed to a few hundred kB: decoded in bounded blocks."""
    path = tmp_path / "bomb.sr"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("version", "2")
        z.writestr("metadata", META)
        with z.open("logic-1-1", "w") as f:
            block = bytes(8 << 20)
            for _ in range(25):
                f.write(block)
    assert path.stat().st_size < 1 << 20
    reader = SrReader(path)
    sizes = [b.samples.size for b in reader.blocks()]
    assert sum(sizes) == 200 << 20 and max(sizes) <= 8 << 20


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=400), st.integers(0, 2000), st.booleans())
def test_fuzzed_sessions_only_raise_capture_errors(
    tmp_path: Path, junk: bytes, offset: int, mutate: bool
) -> None:
    """A damaged .sr raises CaptureError or decodes to well-formed transactions; the
    undamaged one (no junk) decodes to what its samples hold: nothing (no MDC edges
    that make a frame), without error."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("version", "2")
        z.writestr("metadata", META if mutate else junk)
        z.writestr("logic-1-1", bytes(range(256)) * 4)
    data = bytearray(buf.getvalue())
    if mutate and junk:
        pos = offset % len(data)
        data[pos : pos + len(junk)] = junk
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "fuzz.sr"
    path.write_bytes(bytes(data))
    try:
        got = list(decode(path))
    except CaptureError as exc:
        assert str(exc).strip()
        return
    for t in got:
        assert 0 <= t.start <= t.end and t.clause in (22, 45) and 0 <= t.data <= 0xFFFF
        assert 0 <= t.phy < 32 and 0 <= t.reg < 32
    if mutate and not junk:
        assert got == list(decode(path))  # the same file decodes the same twice


def test_write_sr_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "w.sr"
    samples = np.arange(10_000, dtype=np.uint16) & 0x3FF
    write_sr(path, [samples[:5000], samples[5000:]], 12e6, [f"D{i}" for i in range(10)])
    reader = SrReader(path, mdc=0, mdio=1)
    assert reader.samplerate == 12e6 and reader.unitsize == 2
    assert np.array_equal(np.concatenate([b.samples for b in reader.blocks()]), samples)


def test_glitch_filter_on_mdc() -> None:
    """Short spikes on MDC would add bits; --glitch removes them."""
    ts = random_transactions(200, seed=17)
    timing = Timing(samplerate=25e6, mdc_hz=2.5e6)
    samples, rate = synth_samples(ts, timing)
    spiky = samples.copy()
    low = np.flatnonzero((spiky & 1) == 0)
    rng = np.random.default_rng(0)
    # one-sample MDC spikes in the middle of low phases, away from MDIO changes
    picks = rng.choice(low[(low > 3) & (low < low.size - 3)], 300, replace=False)
    picks = picks[((spiky[picks - 2] & 1) == 0) & ((spiky[picks + 2] & 1) == 0)]
    spiky[picks] |= 1
    assert fields(decode_samples(spiky, rate)) != with_addresses(ts)
    reader = _ArrayReader(spiky, rate)
    assert fields(list(decode(reader, glitch=60e-9))) == with_addresses(ts)


@pytest.mark.parametrize("target", ["x.vcd", "x.csv", "export", "x.sr"])
def test_round_trip_through_every_format(tmp_path: Path, target: str) -> None:
    """10,000 random transactions: synth -> file -> decode gives them back exactly."""
    ts = random_transactions(10_000, seed=21)
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6, jitter=0.1, seed=2)
    wave = synth(ts, timing)
    path = tmp_path / target
    write_capture(path, ts, timing, wave=wave, channels=4, positions=(2, 3))
    assert fields(
        list(
            decode(
                path,
                mdc=None if target != "export" else "2",
                mdio=None if target != "export" else "3",
            )
        )
    ) == with_addresses(ts)


def test_sigrok_reads_our_vcd_the_same(tmp_path: Path) -> None:
    ts = random_transactions(500 if MUTATE else 2_000, seed=23)
    path = tmp_path / "t.vcd"
    write_capture(path, ts, Timing(samplerate=10e6, mdc_hz=2.5e6))
    tool = shutil.which("sigrok-cli")
    need(tool is not None, "sigrok-cli")
    assert tool is not None
    out = subprocess.run(
        [tool, "-i", str(path), "-I", "vcd", "-P", "mdio:mdc=MDC:mdio=MDIO", "-A", "mdio=decode"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [x.strip() for x in out.stdout.splitlines() if x.strip()]
    assert lines == sigrok_lines(list(decode(path)))


def test_jsonl_output_is_the_transactions() -> None:
    """The numpy-assembled JSON lines parse to the same transactions (times to 0.1 ns)."""
    import json

    from physcapy.capture.decode import decode_arrays, to_transactions
    from physcapy.capture.jsonl import to_jsonl

    ts = random_transactions(3_000, seed=29)
    samples, rate = synth_samples(ts, Timing(samplerate=10e6, mdc_hz=2.5e6, jitter=0.2))
    arr = np.concatenate(list(decode_arrays(_ArrayReader(samples, rate))))
    lines = to_jsonl(arr).splitlines()
    expected = [t.to_dict() for t in to_transactions(arr)]
    assert len(lines) == len(expected) == 3_000
    for line, want in zip(lines, expected, strict=True):
        got = json.loads(line)
        assert list(got) == list(want)
        assert abs(got.pop("start") - want.pop("start")) < 1e-10
        assert abs(got.pop("end") - want.pop("end")) < 1e-10
        assert got == want


# -- cases found in review ----------------------------------------------------------------


class _SizedReader(_ArrayReader):
    def __init__(self, samples: np.ndarray, rate: float, size: int):
        super().__init__(samples, rate)
        self.size = size

    def blocks(self):  # type: ignore[no-untyped-def]
        for k in range(0, self.samples.size, self.size):
            yield SampleBlock(k, self.samples[k : k + self.size])


@pytest.mark.parametrize("size", [7, 13, 100, 257, 1000, 4096])
def test_decode_does_not_depend_on_block_size(size: int) -> None:
    """Cut mid-frame at the start, back-to-back frames, then frames after pauses."""
    ts = random_transactions(40, seed=31)
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6, gap=0.0)
    busy = render_samples(synth(ts[:20], timing), timing.samplerate)[300:]
    calm = render_samples(
        synth(ts[20:], Timing(samplerate=10e6, mdc_hz=2.5e6, preamble=2)), timing.samplerate
    )
    samples = np.concatenate((busy, calm))
    one = list(decode(_SizedReader(samples, 10e6, samples.size)))
    chunked = list(decode(_SizedReader(samples, 10e6, size)))
    assert fields(chunked) == fields(one)
    assert [f[:5] for f in fields(one)][-20:] == [e[:5] for e in with_addresses(ts)[20:]]


def test_an_aborted_frame_ends_at_the_gap() -> None:
    from physcapy.capture.decode import Edges, to_transactions

    def frame(phy: int, reg: int, data: int) -> list[int]:
        word = 0b01 << 30 | 0b10 << 28 | phy << 23 | reg << 18 | 0b10 << 16 | data
        return [1] * 32 + [(word >> (31 - k)) & 1 for k in range(32)]

    bits = frame(1, 2, 0x1234) + frame(3, 4, 0x5678)[:52]  # the second stops after 20 bits
    times = list(np.arange(len(bits), dtype=float) + 10)
    third = frame(5, 6, 0x9ABC)
    bits += third
    times += list(times[-1] + 1000 + np.arange(len(third)))  # MDC stopped, then a frame
    edges = Edges(
        np.array(times) * 1e-6, np.arange(len(bits), dtype=np.int64), np.array(bits, np.uint8)
    )
    decoder = FrameDecoder()
    out = list(to_transactions(np.concatenate([decoder.feed(edges), decoder.finish()])))
    assert [(t.phy, t.reg, t.data, t.errors) for t in out] == [
        (1, 2, 0x1234, []),
        (3, 4, 0x5000, ["truncated"]),
        (5, 6, 0x9ABC, []),
    ]


def test_idle_bus_in_transition_formats(tmp_path: Path) -> None:
    """MDC running while MDIO idles for whole blocks; a capture that starts at 1 ms."""
    from physcapy.capture.vcd import VcdReader

    ts = random_transactions(5, seed=37)
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6, idle_bits=3000)
    path = tmp_path / "idle.vcd"
    write_capture(path, ts, timing)
    reader = VcdReader(path, block_changes=500)
    assert fields(list(decode(reader))) == with_addresses(ts)


def test_negative_times_in_jsonl(tmp_path: Path) -> None:
    from physcapy.capture.decode import decode_arrays
    from physcapy.capture.jsonl import to_jsonl
    from physcapy.capture.saleae import SaleaeCsvReader, write_saleae_csv

    ts = random_transactions(3, seed=41)
    wave = synth(ts, Timing(samplerate=10e6, mdc_hz=2.5e6))
    path = tmp_path / "neg.csv"
    write_saleae_csv(
        path,
        wave.mdc_times - 1e-3,
        wave.mdc_levels,
        wave.mdio_times - 1e-3,
        wave.mdio_levels,
        start_time=-1.001e-3,
    )
    arr = np.concatenate(list(decode_arrays(SaleaeCsvReader(path))))
    import json

    starts = [json.loads(line)["start"] for line in to_jsonl(arr).splitlines()]
    assert len(starts) == 3 and all(-1e-3 < s < 0 for s in starts)


@pytest.mark.parametrize("size", [7, 50, 333, 10_000])
def test_glitch_filter_does_not_depend_on_block_size(size: int) -> None:
    ts = random_transactions(100, seed=43)
    samples, rate = synth_samples(ts, Timing(samplerate=25e6, mdc_hz=2.5e6))
    spiky = samples.copy()
    low = np.flatnonzero((spiky & 1) == 0)
    rng = np.random.default_rng(1)
    picks = rng.choice(low[(low > 3) & (low < low.size - 3)], 150, replace=False)
    picks = picks[((spiky[picks - 2] & 1) == 0) & ((spiky[picks + 2] & 1) == 0)]
    spiky[picks] |= 1
    got = list(decode(_SizedReader(spiky, rate, size), glitch=60e-9))
    assert fields(got) == with_addresses(ts)


def _stream(pieces: list[tuple[str, int, int]], unknown: bool) -> tuple[list[int], list[int]]:
    """Bits and clock ticks for a list of (kind, length/preamble, word) pieces."""
    bits: list[int] = []
    ticks: list[int] = []
    clock = 0
    for kind, size, word in pieces:
        if kind == "frame":
            new = [1] * size + [(word >> (31 - k)) & 1 for k in range(32)]
        elif kind == "junk":
            new = [(word >> k) & 1 for k in range(size)]
            if unknown and size:
                new[size // 2] = 2  # an x level (transition formats only)
        elif kind == "x-start":  # a preamble whose ST bit is an x level
            new = [1] * size + [2 if unknown else 0] + [(word >> k) & 1 for k in range(31)]
        elif kind == "stopped-frame":  # MDC stops 10 bits into a frame, then goes on
            new = [1] * size + [(word >> (31 - k)) & 1 for k in range(32)]
        else:  # MDC stops for a while, then the bits resume
            clock += 1000
            new = []
        for k, bit in enumerate(new):
            clock += 1004 if kind == "stopped-frame" and k == size + 10 else 4
            bits.append(bit)
            ticks.append(clock)
    return bits, ticks


_PIECE = st.one_of(
    st.tuples(
        st.just("frame"),
        st.sampled_from([0, 1, 2, 8, 15, 16, 17, 18, 31, 32, 40]),
        st.integers(0, 0xFFFFFFFF),
    ),
    st.tuples(st.just("junk"), st.integers(0, 40), st.integers(0, 2**40)),
    st.tuples(st.just("x-start"), st.sampled_from([17, 32]), st.integers(0, 2**31)),
    st.tuples(st.just("stopped-frame"), st.just(32), st.integers(0, 0xFFFFFFFF)),
    st.tuples(st.just("gap"), st.just(0), st.just(0)),
)


@settings(
    max_examples=100 if MUTATE else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    pieces=st.lists(_PIECE, max_size=30),
    chunks=st.lists(st.integers(1, 300), min_size=1, max_size=8),
    sample_clock=st.booleans(),
    min_preamble=st.sampled_from([1, 2, 32]),
)
def test_full_preamble_path_gives_the_walks_frames(
    pieces: list[tuple[str, int, int]], chunks: list[int], sample_clock: bool, min_preamble: int
) -> None:
    """The vectorised search for frames with full preambles must find what the general
    walk finds, whatever the stream and wherever the chunks end."""
    from physcapy.capture.decode import Edges

    pieces = [("frame", 32, 0x6000_0000), *pieces, ("frame", 40, 0x5FFF_FFFF)]
    bits, ticks = _stream(pieces, unknown=not sample_clock)
    results = []
    for vectorised in (True, False):
        decoder = FrameDecoder(min_preamble=min_preamble, vectorised=vectorised)
        out = []
        at, k = 0, 0
        while at < len(bits):
            size = chunks[k % len(chunks)]
            k += 1
            b = np.array(bits[at : at + size], np.uint8)
            pos = np.array(ticks[at : at + size], np.int64)
            if sample_clock:
                edges = Edges(None, pos, b, t0=0.0 if at == 0 else None, rate=1e6)
            else:
                edges = Edges(pos / 1e6, pos, b, t0=0.0 if at == 0 else None)
            out.append(decoder.feed(edges))
            at += size
        out.append(decoder.finish())
        results.append((np.concatenate(out).tolist(), [vars(s) for s in decoder.skipped]))
    assert results[0] == results[1]


@pytest.fixture
def walks(monkeypatch) -> list[tuple]:
    """The calls of the Python frame walk (the vectorised searches should make none)."""
    calls: list[tuple] = []
    original = FrameDecoder._walk

    def counting(self, *args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return original(self, *args)

    monkeypatch.setattr(FrameDecoder, "_walk", counting)
    return calls


def test_chain_path_is_taken_on_suppressed_preambles(walks: list[tuple]) -> None:
    """Back-to-back frames with 2-bit preambles (after one full one) need no Python walk
    either: the chain of candidates is checked with numpy."""
    ts = random_transactions(400, seed=8)
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6, gap=0.0, preamble=2)
    wave = synth(ts, timing)
    samples = render_samples(wave, timing.samplerate)
    first = synth(ts[:1], Timing(samplerate=10e6, mdc_hz=2.5e6, gap=0.0))
    samples = np.concatenate((render_samples(first, timing.samplerate), samples))
    out = list(decode(_ArrayReader(samples, timing.samplerate)))
    assert [f[:6] for f in fields(out)] == [e[:6] for e in with_addresses(ts[:1] + ts)]
    assert "short_preamble" not in out[0].errors
    assert all("short_preamble" in t.errors for t in out[1:])
    assert walks == []


def test_full_preamble_path_is_taken_on_ordinary_traffic(walks: list[tuple]) -> None:
    """Back-to-back frames with 32-bit preambles never need the walk, not even in the
    chunk where the decoder synchronises."""
    ts = random_transactions(300, seed=5)
    samples, rate = synth_samples(ts, Timing(samplerate=10e6, mdc_hz=2.5e6, gap=0.0))
    reader = _ArrayReader(samples, rate)
    assert fields(list(decode(reader))) == with_addresses(ts)
    assert walks == []


@settings(max_examples=200, deadline=None)
@given(
    changes=st.lists(st.integers(0, 40 * 4096 - 1), max_size=6),
    near_rows=st.lists(st.tuples(st.integers(1, 39), st.integers(-2, 1)), max_size=4),
    dtype=st.sampled_from([np.uint8, np.uint16]),
    prev=st.integers(0, 1),
    extra=st.integers(0, 4095),
)
def test_idle_rows_are_skipped_without_losing_an_edge(
    changes: list[int], near_rows: list[tuple[int, int]], dtype: type, prev: int, extra: int
) -> None:
    """Mostly idle blocks take the row-by-row path; every MDC edge and MDIO level it
    reports must be what the per-sample search reports, changes on row edges included."""
    from physcapy.capture.decode import _rising, _sample_edges

    size = 40 * 4096 + extra
    where = sorted({*changes, *(row * 4096 + d for row, d in near_rows)})
    s = np.zeros(size, dtype)
    for k, at in enumerate(where):  # toggle MDC (bit 3) and sometimes MDIO (bit 9 or 1)
        s[at:] ^= dtype(1 << 3) | (dtype(1 << (9 if dtype is np.uint16 else 1)) * (k % 3 == 0))
    mdio = 9 if dtype is np.uint16 else 1
    edges, last = _sample_edges(SampleBlock(100, s), 3, mdio, 1e6, prev)
    rise = _rising(s, 1 << 3, prev)
    assert edges.positions.tolist() == (rise + 100).tolist()
    assert edges.bits.tolist() == ((s[rise] >> mdio) & 1).tolist()
    assert last == int(bool(s[-1] & 8))


@settings(max_examples=200, deadline=None)
@given(
    frames=st.lists(
        st.tuples(
            st.integers(0, 2),
            st.integers(0, 2),
            st.sampled_from([0, 1, 2, 3]),
            st.integers(0, 0xFFFF),
        ),
        max_size=60,
    ),
    cut=st.integers(0, 60),
)
@example(frames=[(0, 0, 0, 5), (0, 0, 2, 0), (0, 0, 3, 0)], cut=2)  # increment carried over
@example(frames=[(1, 3, 0, 0xFFFF), (1, 3, 2, 0), (1, 3, 2, 0)], cut=3)  # wraps to 0
def test_clause45_address_context_follows_each_port_and_device(
    frames: list[tuple[int, int, int, int]], cut: int
) -> None:
    """The address each Clause 45 frame acts on, worked out one frame at a time (45.3:
    ADDRESS sets it per port and device, post-read-increment advances it after the
    read, 0xffff wraps to 0), whichever chunks the frames arrive in."""
    decoder = FrameDecoder()
    args = (
        [np.array(column) for column in zip(*frames, strict=True)] if frames else [np.zeros(0)] * 4
    )
    got = [
        *decoder._c45_addresses(*(a[:cut] for a in args)).tolist(),
        *decoder._c45_addresses(*(a[cut:] for a in args)).tolist(),
    ]
    context: dict[tuple[int, int], int] = {}
    expected = []
    for phy, devad, op, data in frames:
        if op == 0:
            context[phy, devad] = data
        expected.append(context.get((phy, devad), -1))
        if op == 2 and (phy, devad) in context:
            context[phy, devad] = (context[phy, devad] + 1) & 0xFFFF
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.floats(0, 1200), st.integers(0, 10**6).map(lambda k: k * 4e-8)),
            st.floats(0, 2e-5),
            st.sampled_from(
                [(22, 0), (22, 1), (22, 2), (22, 3), (45, 0), (45, 1), (45, 2), (45, 3)]
            ),
            st.integers(0, 31),
            st.integers(0, 31),
            st.integers(0, 0xFFFF),
            st.one_of(st.just(-1), st.integers(0, 0xFFFF)),
            st.integers(0, 31),
        ),
        min_size=1,
        max_size=40,
    )
)
@example(rows=[(999.99999999996, 0.0, (22, 2), 1, 1, 0, -1, 0)])  # written 1000.0
@example(rows=[(np.nextafter(1000, 0), 0.0, (45, 0), 31, 31, 0xFFFF, 0xFFFF, 31)])
def test_jsonl_lines_are_those_of_transaction_to_json(rows: list[tuple]) -> None:
    """The numpy formatter writes what Transaction.to_json() writes (keys, order,
    spacing, values), times as decimals rounded to 0.1 ns with no needless zeros, for
    every op code, address and error set, and past 1000 s (the general path) alike."""
    import json
    import re

    from physcapy.capture.decode import TRANSACTION_DTYPE, to_transactions
    from physcapy.capture.jsonl import jsonl_bytes

    arr = np.zeros(len(rows), TRANSACTION_DTYPE)
    for i, (start, length, (clause, op), phy, reg, data, addr, errors) in enumerate(rows):
        arr[i] = (start, start + length, clause, op, phy, reg, data, addr, errors, 32, i)
    lines = jsonl_bytes(arr).decode("ascii").splitlines()
    times = re.compile(r'"(start|end)": ([^,]+)')
    for line, t in zip(lines, to_transactions(arr), strict=True):
        assert times.sub(r'"\1": T', line) == times.sub(r'"\1": T', t.to_json())
        for key, text in times.findall(line):
            assert re.fullmatch(r"\d+\.(0|\d*[1-9])", text), text  # decimal, no needless 0
            assert float(text) == round(getattr(t, key) * 1e10) / 1e10
        assert json.loads(line)["data"] == t.data


def test_jsonl_times_drop_exactly_the_trailing_zeros() -> None:
    """Times are written from two five-digit halves of the ten decimals: every way the
    zeros can fall (none, in the second half only, the whole second half, into the
    first half, all ten) gives the text the one-at-a-time writer gives."""
    from physcapy.capture.decode import TRANSACTION_DTYPE
    from physcapy.capture.jsonl import _seconds, jsonl_bytes

    fractions = [0, 1, 10, 5_000, 99_999, 100_000, 100_001, 120_000, 1_000_000_000,
                 1_234_500_000, 1_234_567_890, 9_999_999_999, 50_000, 3_000_000_007]  # fmt: skip
    tenths = np.array([w * 10**10 + f for w in (0, 7, 999) for f in fractions], np.int64)
    arr = np.zeros(tenths.size, TRANSACTION_DTYPE)
    arr["start"] = tenths / 1e10
    arr["end"] = arr["start"][::-1]
    arr["clause"], arr["addr"] = 22, -1
    got = [line.split(", ") for line in jsonl_bytes(arr).decode("ascii").splitlines()]
    assert [g[0] for g in got] == [f'{{"start": {_seconds(t)}' for t in arr["start"]]
    assert [g[1] for g in got] == [f'"end": {_seconds(t)}' for t in arr["end"]]
    assert got[0][:2] == ['{"start": 0.0', '"end": 999.3000000007']


@pytest.mark.parametrize("sample_clock", [True, False])
@pytest.mark.parametrize(("pause", "cut"), [(16, False), (17, True)])
def test_mdc_pause_of_exactly_four_periods_is_not_a_gap(
    sample_clock: bool, pause: int, cut: bool
) -> None:
    """MDC stops inside a frame: an interval of exactly 4 bit times between rising edges
    is not a gap, one sample more is (the frame is then cut there), whether the clock is
    sample positions or file timestamps at 1000 s, where float rounding is coarse."""
    from physcapy.capture.decode import Edges

    word = 0b01 << 30 | 0b10 << 28 | 3 << 23 | 4 << 18 | 0b10 << 16 | 0x1234
    bits = [1] * 32 + [(word >> (31 - k)) & 1 for k in range(32)] + [1] * 40
    steps = [4] * len(bits)
    steps[32 + 20] = pause  # 20 bits into the frame (a period is 4 samples)
    positions = np.cumsum(steps).astype(np.int64) + 10**10
    b = np.array(bits, np.uint8)
    if sample_clock:
        edges = Edges(None, positions, b, t0=positions[0] / 1e7 - 1e-6, rate=1e7)
    else:
        edges = Edges(positions / 1e7, positions, b, t0=positions[0] / 1e7 - 1e-6)
    decoder = FrameDecoder()
    out = list(to_transactions_of(decoder, edges))
    assert (out[0].phy, out[0].reg) == (3, 4)
    assert ("truncated" in out[0].errors) is cut
    assert (out[0].data == 0x1234) is not cut
    assert len(out) == (2 if cut else 1)  # the rest after a cut is looked at anew


def to_transactions_of(decoder: FrameDecoder, edges) -> list[Transaction]:
    from physcapy.capture.decode import to_transactions

    return list(to_transactions(np.concatenate([decoder.feed(edges), decoder.finish()])))


def test_glitch_filter_does_not_depend_on_where_transition_blocks_end(tmp_path: Path) -> None:
    """A short MDC pulse that straddles the cut between two transition blocks is
    filtered like any other: the changes after the last safe point are carried over."""
    from physcapy.capture.vcd import VcdReader, write_vcd

    times, levels = [], []
    for k in range(600):  # 1 MHz MDC; a 20 ns high pulse in every 7th low phase
        times += [k * 1000, k * 1000 + 500]
        levels += [1, 0]
        if k % 7 == 3:
            times += [k * 1000 + 700, k * 1000 + 720]
            levels += [1, 0]
    path = tmp_path / "glitchy.vcd"
    write_vcd(path, np.array(times, float) * 1e-9, np.array(levels), [0.0], [1], timescale="1ns")

    def edges(block_changes: int, chunk_bytes: int = 1 << 19) -> list[int]:
        with VcdReader(path, block_changes=block_changes, chunk_bytes=chunk_bytes) as reader:
            found = edges_from_reader(reader, glitch=100e-9)
            return [int(p) for e in found for p in e.positions]

    whole = edges(1 << 20)
    assert len(whole) == 599  # the glitches are gone (and the first edge starts the clock)
    for block in (1, 2, 3, 5, 50, 97, 301):
        assert edges(block, chunk_bytes=64) == whole, block


def test_glitch_filter_ignores_a_level_written_again(tmp_path: Path) -> None:
    """A VCD may write MDC's level again without a change (a dump of every clock, an
    editor): those entries are no pulse.  With the filter on, a repeat 10 ns after each
    rise must not pair with the rise as a 10 ns pulse and take the edge with it."""
    from physcapy.capture.vcd import VcdReader

    lines = ["$timescale 1ns $end", "$var wire 1 ! mdc $end", "$var wire 1 # mdio $end",
             "$enddefinitions $end", "#0", "0!", "1#"]  # fmt: skip
    for k in range(40):  # 1 MHz MDC
        lines += [f"#{k * 1000}", "1!", f"#{k * 1000 + 10}", "1!", f"#{k * 1000 + 500}", "0!"]
    path = tmp_path / "repeats.vcd"
    path.write_text("\n".join(lines) + "\n")
    with VcdReader(path) as reader:
        found = edges_from_reader(reader, glitch=100e-9)
        # Each rise's own line (1-based); at #0 the last entry wins: MDC starts high.
        assert [int(p) for e in found for p in e.positions] == [9 + 6 * k for k in range(1, 40)]


def test_decode_output_before_a_damaged_member_is_the_good_output(tmp_path: Path) -> None:
    """Nothing read before the damage is lost: a capture whose last 4 MiB member is
    damaged prints every transaction the intact capture has before that member, in
    order, then one line naming the member, and exits 2."""
    import json

    from tests.conftest import run_physcapy

    # 50 samples a bit: a 2 MiB block holds ~42,000 MDC edges, so the decoder's groups
    # (at least 2**18 edges) span members and one is half full when the damage shows.
    ts = random_transactions(4_000, seed=41)
    samples, rate = synth_samples(ts, Timing(samplerate=25e6, mdc_hz=0.5e6))
    good, bad = tmp_path / "good.sr", tmp_path / "bad.sr"
    write_sr(good, [samples], rate, ["MDC", "MDIO"])
    with zipfile.ZipFile(good) as z:
        members = sorted((i for i in z.infolist() if i.filename.startswith("logic")),
                         key=lambda i: i.header_offset)  # fmt: skip
    assert len(members) >= 3
    last = members[-1]
    cut = sum(i.file_size for i in members[:-1]) / rate  # one byte a sample
    data = bytearray(good.read_bytes())
    # The member's first deflate block header says block type 3, which does not exist:
    # the damage shows before any of its bytes are read.
    data[last.header_offset + 30 + len(last.filename)] = 0b111
    bad.write_bytes(bytes(data))
    intact = run_physcapy("decode", str(good), "--format", "jsonl")
    assert intact.returncode == 0 and len(intact.stdout.splitlines()) == len(ts)
    broken = run_physcapy("decode", str(bad), "--format", "jsonl")
    assert broken.returncode == 2
    assert broken.stderr.count("\n") == 1 and repr(last.filename) in broken.stderr
    before = [x for x in intact.stdout.splitlines() if json.loads(x)["end"] < cut]
    assert len(before) > 2_000
    assert broken.stdout.splitlines()[: len(before)] == before  # all of them, in order


def test_decode_to_a_text_stream_writes_the_same_lines() -> None:
    """Where stdout has no binary buffer under it (a StringIO, as notebooks and tests
    give), the JSON lines go through the text layer unchanged."""
    import contextlib

    from physcapy.cli.main import main

    capture = SHARED / "captures" / "lan8720a_read_all_unplugged.sr"
    need(capture.exists(), str(capture))
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        assert main(["decode", str(capture), "--format", "jsonl"]) == 0
    binary = io.TextIOWrapper(io.BytesIO(), encoding="ascii", newline="\n")
    with contextlib.redirect_stdout(binary):
        assert main(["decode", str(capture), "--format", "jsonl"]) == 0
    binary.flush()
    assert text.getvalue() == binary.buffer.getvalue().decode("ascii")
    assert text.getvalue().count("\n") == len(list(decode(capture))) > 10
