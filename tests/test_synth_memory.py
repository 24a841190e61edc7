# SPDX-License-Identifier: GPL-2.0-only
"""Synthesis and capture writing in bounded chunks: the bytes of a one-piece render.

write_capture renders CHUNK_FRAMES frames at a time and writes each chunk before it
reads the next transactions.  These tests take chunks of a few frames, so every
boundary case -- a frame's MDIO release or a rounded timestamp shared with the next
chunk, start times that overlap or leave room, jitter drawn across chunks -- comes up
many times in a few hundred transactions.
"""

from __future__ import annotations

import hashlib
import random
import re
import struct
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from physcapy.capture.base import UNKNOWN
from physcapy.capture.decode import decode
from physcapy.capture.saleae import (
    write_saleae_binary,
    write_saleae_binary_chunks,
    write_saleae_csv,
    write_saleae_csv_chunks,
)
from physcapy.capture.sr import SrReader
from physcapy.capture.synth import (
    MAX_SAMPLES,
    Timing,
    Waveform,
    render_samples,
    synth,
    synth_chunks,
    write_capture,
)
from physcapy.capture.vcd import write_vcd, write_vcd_chunks
from physcapy.errors import CaptureError, RangeError, SessionError
from physcapy.mdio.transactions import Transaction

TIMINGS = {
    "plain": Timing(samplerate=10e6, mdc_hz=2.5e6),
    "jitter": Timing(samplerate=10e6, mdc_hz=2.5e6, jitter=0.2, seed=3),
    "glitches": Timing(samplerate=25e6, mdc_hz=2.5e6, glitches=True),
    "everything": Timing(
        samplerate=10e6, mdc_hz=2.5e6, jitter=0.2, glitches=True, preamble=1, seed=5
    ),
    # MDC never stops: a read's MDIO release comes after the next frame's first edge.
    "back-to-back": Timing(samplerate=25e6, mdc_hz=2.5e6, duty=0.3, idle_bits=8, gap=0.0),
}
FORMATS = [".sr", ".vcd", ".csv", "/"]


def transactions(n: int, seed: int = 1) -> Iterator[Transaction]:
    """Reads (some without a PHY) and writes of both clauses; start times that are
    0 (as soon as possible), overlap the frame before, or leave a gap."""
    rng = random.Random(seed)
    t = 0.0
    for _ in range(n):
        clause = rng.choice([22, 45])
        op = rng.choice(["read", "write"] if clause == 22 else ["address", "write", "read_inc"])
        errors = ["turnaround"] if op.startswith("read") and rng.random() < 0.2 else []
        t += rng.choice([0.0, 1e-6, 20e-6, 40e-6, 300e-6])
        start = 0.0 if rng.random() < 0.3 else t
        phy, reg, data = rng.randrange(32), rng.randrange(32), rng.randrange(0x10000)
        yield Transaction(start, 0, clause, op, phy, reg, data, None, errors)


def session(n: int, seed: int = 1) -> list[Transaction]:
    return list(transactions(n, seed))


def target(tmp_path: Path, name: str, fmt: str) -> Path:
    return tmp_path / name if fmt == "/" else tmp_path / f"{name}{fmt}"


def contents(path: Path) -> dict[str, bytes]:
    """A written capture's bytes: a .sr's members (the zip stamps the time), a
    binary export's files."""
    if path.suffix == ".sr":
        with zipfile.ZipFile(path) as z:
            return {name: z.read(name) for name in z.namelist()}
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.suffix: path.read_bytes()}


def snapshot(path: Path) -> dict[str, bytes]:
    """Every byte of a file or folder as it is on disk."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {"": path.read_bytes()}


def fields(ts: list[Transaction]) -> list[tuple[object, ...]]:
    return [(t.clause, t.op, t.phy, t.reg, t.data) for t in ts]


# -- the chunked path gives the one-piece bytes


@pytest.mark.parametrize("chunk", [1, 3, 50])
@pytest.mark.parametrize("name", list(TIMINGS))
def test_chunks_join_to_the_whole_waveform(name: str, chunk: int) -> None:
    ts = session(120)
    whole = synth(ts, TIMINGS[name])
    parts = list(synth_chunks(iter(ts), TIMINGS[name], chunk_frames=chunk))
    assert len(parts) == -(-120 // chunk)
    for field in ("mdc_times", "mdc_levels", "mdio_times", "mdio_levels"):
        joined = np.concatenate([getattr(p, field) for p in parts])
        assert np.array_equal(joined, getattr(whole, field)), field
    assert parts[-1].end == whole.end
    # MDIO changes that change nothing are dropped across chunk boundaries too.
    levels = np.concatenate(([1], whole.mdio_levels))
    assert (levels[1:] != levels[:-1]).all()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(TIMINGS))
def test_files_do_not_depend_on_the_chunk_size(tmp_path: Path, name: str, fmt: str) -> None:
    timing = TIMINGS[name]
    ts = session(150, seed=2)
    wave = synth(ts, timing)
    one = target(tmp_path, "one", fmt)
    write_capture(one, ts, timing, wave=wave)  # the waveform in one piece
    expected = contents(one)
    for chunk in (1, 4, 37):
        out = target(tmp_path, f"chunks-{chunk}", fmt)
        written = write_capture(out, iter(ts), timing, chunk_frames=chunk)
        assert contents(out) == expected, chunk
        assert (written.transactions, written.end) == (150, wave.end)
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize(("channels", "positions"), [(2, (0, 1)), (16, (11, 5))])
def test_sr_samples_are_those_of_the_whole_waveform(
    tmp_path: Path, channels: int, positions: tuple[int, int]
) -> None:
    """Against render_samples on the whole waveform: frames far apart (several
    million-sample blocks between them), overlapping, and back to back."""
    starts = [0.0, 0.05, 0.05 + 1e-6, 0.0, 0.12, 0.1201, 0.25]
    ts = [
        Transaction(s, 0, 22, "read" if k % 2 else "write", k, k + 1, 0x1234 * k)
        for k, s in enumerate(starts)
    ]
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6, jitter=0.1, glitches=True)
    path = tmp_path / "far.sr"
    write_capture(path, iter(ts), timing, channels=channels, positions=positions, chunk_frames=2)
    reader = SrReader(path)
    samples = np.concatenate([b.samples for b in reader.blocks()])
    dtype = np.uint8 if channels <= 8 else np.uint16
    whole = render_samples(
        synth(ts, timing), 10e6, mdc_bit=positions[0], mdio_bit=positions[1], dtype=dtype
    )
    assert samples.dtype == whole.dtype and samples.size == whole.size > 2_500_000
    assert np.array_equal(samples, whole)
    assert fields(list(decode(path))) == fields(ts)


def random_changes(
    rng: np.random.Generator, n: int, unknown: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    """Changes in time order with repeated times and times a rounding apart."""
    steps = rng.choice([0.0, 0.3e-9, 1e-9, 2.5e-9, 40e-9], n)
    t = rng.choice([0.0, 1e-9, 5e-6]) + np.cumsum(steps)
    return t, rng.choice([0, 1, UNKNOWN] if unknown else [0, 1], n).astype(np.uint8)


def pieces(
    rng: np.random.Generator, t: npt.NDArray[np.float64], lv: npt.NDArray[np.uint8], k: int
) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]]:
    cuts = np.sort(rng.integers(0, t.size + 1, k - 1))
    return list(zip(np.split(t, cuts), np.split(lv, cuts), strict=True))


@pytest.mark.parametrize("seed", range(16))
def test_chunk_writers_write_what_the_one_piece_writers_do(tmp_path: Path, seed: int) -> None:
    """Any split of the two channels' changes (each in order; a chunk may hold none
    of one channel's), against the writers given all of them at once."""
    rng = np.random.default_rng(seed)
    unknown = seed % 2 == 1
    mdc = random_changes(rng, int(rng.integers(0, 60)), unknown)
    mdio = random_changes(rng, int(rng.integers(1, 60)), unknown)
    k = int(rng.integers(1, 9))
    split = [
        (tm, lm, to, lo)
        for (tm, lm), (to, lo) in zip(pieces(rng, *mdc, k), pieces(rng, *mdio, k), strict=True)
    ]
    last = max(mdc[0][-1] if mdc[0].size else 0.0, mdio[0][-1])
    one, chunked = tmp_path / "one", tmp_path / "chunked"
    vcd_options: dict[str, Any] = {
        "extra_channels": 1,
        "positions": (2, 0),
        "dumpvars": seed % 4 < 2,
        "end_time": last + 1e-6 if seed % 3 else None,
    }
    write_vcd(one.with_suffix(".vcd"), *mdc, *mdio, **vcd_options)
    write_vcd_chunks(chunked.with_suffix(".vcd"), split, **vcd_options)
    write_saleae_csv(one.with_suffix(".csv"), *mdc, *mdio, extra_channels=seed % 3)
    write_saleae_csv_chunks(chunked.with_suffix(".csv"), split, extra_channels=seed % 3)
    version = 1 if unknown else seed % 4 // 2  # version 0 refuses UNKNOWN
    write_saleae_binary(one, *mdc, *mdio, version=version, extra_channels=1)
    write_saleae_binary_chunks(chunked, split, version=version, extra_channels=1)
    for suffix in (".vcd", ".csv"):
        assert one.with_suffix(suffix).read_bytes() == chunked.with_suffix(suffix).read_bytes()
    assert contents(one) == contents(chunked)


@pytest.mark.parametrize("split", [1, 2, 3, 4, 5])
def test_binary_export_keeps_the_last_entry_at_a_time_across_chunks(
    tmp_path: Path, split: int
) -> None:
    t = np.array([0.0, 1e-6, 1e-6, 2e-6, 2e-6, 3e-6])
    levels = np.array([0, 1, 0, 0, 1, 0], np.uint8)  # at 1 us: 0 holds; at 2 us: 1
    chunks = [(t[:split], levels[:split], [0.0], [1]), (t[split:], levels[split:], [], [])]
    write_saleae_binary_chunks(tmp_path, chunks)
    data = (tmp_path / "digital_0.bin").read_bytes()
    magic, version, kind = struct.unpack_from("<8sii", data)
    state, begin, end, count = struct.unpack_from("<IddQ", data, 16)
    assert (magic, version, kind, state, begin, end, count) == (b"<SALEAE>", 0, 0, 0, 0, 3e-6, 2)
    assert np.frombuffer(data[44:], "<f8").tolist() == [2e-6, 3e-6]


# The files the one-piece writer gave before chunking (SHA-256 of each format's
# bytes; a .sr's inflated members, whose zip stamps the time): chunking changed no byte.
BEFORE = {
    ("plain", ".sr"): "f87c26418dbd682b",
    ("plain", ".vcd"): "dd9e6cc556750d93",
    ("plain", ".csv"): "d0f0261cbd009af0",
    ("plain", "/"): "2f95e21e99951b66",
    ("everything", ".sr"): "ca40d39b8cfa149b",
    ("everything", ".vcd"): "615f938091c18ea6",
    ("everything", ".csv"): "c751ef7fe9f5fd0d",
    ("everything", "/"): "81863775000eda4c",
    ("back-to-back", ".sr"): "d9c1a34e844de1b0",
    ("back-to-back", ".vcd"): "3835ecf26814257c",
    ("back-to-back", ".csv"): "7e34566c892b4cc3",
    ("back-to-back", "/"): "588b985f9a4a0f12",
}


def digest(path: Path) -> str:
    h = hashlib.sha256()
    for name, data in sorted(contents(path).items()):
        h.update(name.encode() + b"\0" + data)
    return h.hexdigest()[:16]


@pytest.mark.parametrize(("name", "fmt"), list(BEFORE))
def test_bytes_are_those_written_before_chunking(tmp_path: Path, name: str, fmt: str) -> None:
    out = target(tmp_path, "out", fmt)
    write_capture(out, iter(session(60, seed=4)), TIMINGS[name], chunk_frames=7)
    assert digest(out) == BEFORE[name, fmt]


def traced_peak(path: Path, n: int) -> int:
    tracemalloc.start()
    try:
        # Transactions made as they are taken, like a session file's lines.
        write_capture(path, transactions(n, seed=10), MEMORY_TIMING, chunk_frames=50)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# 40 samples a period: 2,000 frames already fill a .sr member (4 MiB of samples).
MEMORY_TIMING = Timing(samplerate=100e6, mdc_hz=2.5e6)


@pytest.mark.parametrize("fmt", FORMATS)
def test_memory_does_not_grow_with_the_session(tmp_path: Path, fmt: str) -> None:
    traced_peak(target(tmp_path, "warm-up", fmt), 10)  # imports and caches, once
    small = traced_peak(target(tmp_path, "small", fmt), 2_000)
    large = traced_peak(target(tmp_path, "large", fmt), 8_000)
    assert large < 1.2 * small, (small, large)


# -- frame placement across chunk boundaries

PERIOD, LEAD, GAP = 400e-9, 200e-9, 1.6e-6  # 2.5 MHz MDC, duty 0.5, gap 4 periods
LENGTH = 64 * PERIOD  # 25.6 us


def first_rises(parts: list[Waveform], nbits: int = 64) -> list[float]:
    mdc = np.concatenate([p.mdc_times for p in parts])
    return mdc[:: 2 * nbits].tolist()


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_frames_start_at_their_time_or_right_after_the_previous(chunk: int) -> None:
    starts = [
        0.0,  # no time: after the gap
        100e-6,  # room: its first rising edge of MDC is at its start
        101e-6,  # overlaps the frame before: follows it after the gap
        0.0,  # no time: right after the previous frame
        200e-6,
        200e-6 - LEAD + LENGTH + GAP + LEAD,  # just room after the frame before
        227.3e-6,  # overlaps by a little
    ]
    expected = [
        GAP + LEAD,
        100e-6,
        100e-6 - LEAD + LENGTH + GAP + LEAD,
        100e-6 - LEAD + 2 * (LENGTH + GAP) + LEAD,
        200e-6,
        200e-6 + LENGTH + GAP,
        200e-6 + 2 * (LENGTH + GAP),
    ]
    ts = [Transaction(s, 0, 22, "read", 1, k, 0) for k, s in enumerate(starts)]
    timing = Timing(samplerate=10e6, mdc_hz=2.5e6)
    parts = list(synth_chunks(iter(ts), timing, chunk_frames=chunk))
    assert first_rises(parts) == pytest.approx(expected, abs=1e-12)
    # A frame that has to wait reserves its longest length: with jitter, 20 % more
    # (the first rising edge moves with the first half period's jitter).
    jittery = Timing(samplerate=10e6, mdc_hz=2.5e6, jitter=0.2, seed=1)
    rises = first_rises(list(synth_chunks(iter(ts[1:3]), jittery, chunk_frames=chunk)))
    assert rises == pytest.approx([100e-6, 100e-6 + LENGTH * 1.2 + GAP], abs=0.21 * LEAD)


def test_written_frames_decode_to_their_times(tmp_path: Path) -> None:
    ts = session(200, seed=6)
    timing = Timing(samplerate=25e6, mdc_hz=2.5e6)
    path = tmp_path / "times.vcd"
    write_capture(path, iter(ts), timing, chunk_frames=3)
    decoded = list(decode(path))
    assert fields(decoded) == fields(ts)
    rises = first_rises(list(synth_chunks(ts, timing)))
    assert [t.start for t in decoded] == pytest.approx(rises, abs=1e-9)  # 1 ns timescale
    late = [(t.start, d.start) for t, d in zip(ts, decoded, strict=True) if t.start > 0]
    assert all(d >= t - 1e-9 for t, d in late)  # never before its time
    assert sum(abs(d - t) < 1e-9 for t, d in late) > len(late) // 3  # often exactly at it


# -- timing options are honoured in chunks


def test_jitter_varies_every_period_and_follows_the_seed(tmp_path: Path) -> None:
    ts = session(40, seed=7)
    timing = Timing(samplerate=25e6, mdc_hz=2.5e6, jitter=0.2, seed=11)
    wave = synth(ts, timing)
    rises = wave.mdc_times[0::2].reshape(40, 64)
    periods = np.diff(rises, axis=1) / PERIOD
    assert periods.min() >= 0.8 - 1e-9 and periods.max() <= 1.2 + 1e-9
    assert periods.std() > 0.05
    same, other = tmp_path / "same.vcd", tmp_path / "other.vcd"
    write_capture(same, iter(ts), timing, chunk_frames=3)
    write_capture(tmp_path / "again.vcd", iter(ts), timing, chunk_frames=5)
    write_capture(other, iter(ts), Timing(samplerate=25e6, mdc_hz=2.5e6, jitter=0.2, seed=12))
    assert same.read_bytes() == (tmp_path / "again.vcd").read_bytes() != other.read_bytes()
    assert fields(list(decode(same))) == fields(ts)


def test_glitches_pulse_between_the_edges_and_still_decode(tmp_path: Path) -> None:
    ts = [t for t in session(40, seed=8) if t.op == "write"]
    plain = synth(ts, Timing(samplerate=25e6, mdc_hz=2.5e6))
    timing = Timing(samplerate=25e6, mdc_hz=2.5e6, glitches=True)
    glitchy = synth(ts, timing)
    # Writes: the STA drives every bit, each period gets a pulse of a tenth of it.
    pulses = glitchy.mdio_times.size - plain.mdio_times.size
    assert pulses == 2 * 64 * len(ts)
    widths = np.diff(glitchy.mdio_times)
    assert np.isclose(widths, 0.1 * PERIOD, rtol=0, atol=1e-12).sum() >= 64 * len(ts)
    path = tmp_path / "glitchy.sr"
    write_capture(path, iter(ts), timing, chunk_frames=2)
    assert fields(list(decode(path))) == fields(ts)


# -- atomic writing while streaming


def failing(
    ts: list[Transaction], at: int, seen: list[bool], tmp_path: Path
) -> Iterator[Transaction]:
    """The transactions up to ``at``, then a session error (a bad line late in a
    file); notes whether a .part file was being written by then."""
    for k, t in enumerate(ts[:at]):
        if k == at - 1:
            seen.append(bool(list(tmp_path.rglob("*.part"))))
        yield t
    raise SessionError(f"s.jsonl:{at + 2}: not JSON: Expecting value")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failure_midway_leaves_the_old_file(tmp_path: Path, fmt: str) -> None:
    out = target(tmp_path, "keep", fmt)
    if fmt == "/":
        out.mkdir()
        (out / "digital_0.bin").write_bytes(b"precious")
        (out / "digital_1.bin").write_bytes(b"also")
    else:
        out.write_bytes(b"precious")
    before = snapshot(out)
    seen: list[bool] = []
    with pytest.raises(SessionError, match="s.jsonl:42"):
        write_capture(out, failing(session(100), 40, seen, tmp_path), chunk_frames=8)
    assert seen == [True]  # streamed: writing had begun when the bad line came
    assert snapshot(out) == before
    assert not list(tmp_path.rglob("*.part"))


def test_a_new_export_folder_is_not_left_behind(tmp_path: Path) -> None:
    out = tmp_path / "new"
    with pytest.raises(SessionError):
        write_capture(out, failing(session(30), 20, [], tmp_path), chunk_frames=4)
    assert list(tmp_path.iterdir()) == []


def test_a_waveform_over_max_samples_is_refused_with_its_end(tmp_path: Path) -> None:
    rate = 25e6
    far = MAX_SAMPLES / rate + 10  # its samples would pass MAX_SAMPLES
    ts = [*session(30), Transaction(far, 0, 22, "read", 1, 1, 0), *session(5, seed=9)]
    end = synth(ts, Timing(samplerate=rate)).end
    out = tmp_path / "long.sr"
    out.write_bytes(b"precious")
    message = f"would be {end * rate:.3g} samples (transactions up to {end:.3g} s"
    with pytest.raises(CaptureError, match=re.escape(message)):
        write_capture(out, iter(ts), Timing(samplerate=rate), chunk_frames=4)
    assert out.read_bytes() == b"precious"
    assert not list(tmp_path.glob("*.part"))
    # The other formats hold changes, not samples: no limit.
    write_capture(tmp_path / "long.vcd", iter(ts), Timing(samplerate=rate), chunk_frames=4)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_transactions_write_nothing(tmp_path: Path, fmt: str) -> None:
    with pytest.raises(CaptureError, match="no transactions to write"):
        write_capture(target(tmp_path, "empty", fmt), iter([]))
    assert list(tmp_path.iterdir()) == []


def test_a_bad_transaction_is_named_by_its_place_in_the_session() -> None:
    ts = session(12)
    ts[9] = Transaction(0, 0, 22, "read", 40, 1, 0)
    with pytest.raises(RangeError, match="PHYAD/PRTAD 40 at index 9 is out of range"):
        list(synth_chunks(ts, chunk_frames=4))
    with pytest.raises(RangeError, match="chunk_frames 0"):
        synth_chunks(ts, chunk_frames=0)
