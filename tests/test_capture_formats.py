# SPDX-License-Identifier: GPL-2.0-only
"""VCD and Saleae (CSV, binary v0/v1) capture files: round trips, quirks, errors, fuzzing."""

from __future__ import annotations

import doctest
import os
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from physcapy.capture import saleae, vcd
from physcapy.capture.base import UNKNOWN, CaptureReader, TransitionBlock
from physcapy.capture.saleae import (
    SaleaeBinaryReader,
    SaleaeCsvReader,
    write_saleae_binary,
    write_saleae_csv,
)
from physcapy.capture.vcd import VcdReader, parse_timescale, write_vcd
from physcapy.errors import CaptureError

Wave = tuple[list[float], list[int], list[float], list[int], tuple[int, int]]
# PHYSCAPY_EXAMPLES=2000 for a longer search.
FAST = settings(
    max_examples=int(os.environ.get("PHYSCAPY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# -- helpers


def read_all(reader: CaptureReader) -> dict[str, Any]:
    """Every block of ``reader`` joined, after checking what blocks promise."""
    blocks = list(reader.blocks())
    assert blocks, "a reader yields at least its last block"
    prev = reader.initial
    for i, b in enumerate(blocks):
        assert isinstance(b, TransitionBlock)
        assert b.t_begin <= b.t_end
        if i:
            assert b.t_begin == blocks[i - 1].t_end  # consecutive windows
        for ch, (t, lv, pos) in enumerate(
            ((b.mdc_times, b.mdc_levels, b.mdc_pos), (b.mdio_times, b.mdio_levels, b.mdio_pos))
        ):
            assert t.dtype == np.float64 and lv.dtype == np.uint8 and pos.dtype == np.int64
            assert t.size == lv.size == pos.size
            assert (np.diff(t) > 0).all()
            assert ((t >= b.t_begin) & (t < b.t_end)).all()
            # every entry changes the level
            assert (lv != np.concatenate(([prev[ch]], lv[:-1]))).all()
            if lv.size:
                prev = (int(lv[-1]), prev[1]) if ch == 0 else (prev[0], int(lv[-1]))
    join = {
        name: np.concatenate([getattr(b, name) for b in blocks])
        for name in ("mdc_times", "mdc_levels", "mdio_times", "mdio_levels", "mdc_pos", "mdio_pos")
    }
    join["blocks"] = blocks
    join["initial"] = reader.initial
    return join


def model(
    times: list[float], levels: list[int], start: float, init: int
) -> tuple[int, list[float], list[int]]:
    """What a reader reports for one channel written from (times, levels)."""
    if not times or times[0] > start:
        times, levels = [start, *times], [init, *levels]
    last: dict[float, int] = {}
    for t, lv in zip(times, levels, strict=True):
        last[t] = lv  # the last entry at a time wins
    items = sorted(last.items())
    initial = items[0][1]
    out_t, out_l, cur = [], [], initial
    for t, lv in items[1:]:
        if lv != cur:
            out_t.append(t)
            out_l.append(lv)
            cur = lv
    return initial, out_t, out_l


def check_against_model(
    got: dict[str, Any], wave: Wave, *, drop_after: float | None = None
) -> None:
    t_mdc, l_mdc, t_mdio, l_mdio, init = wave
    expect = [model(t_mdc, l_mdc, 0.0, init[0]), model(t_mdio, l_mdio, 0.0, init[1])]
    assert got["initial"] == (expect[0][0], expect[1][0])
    for (_, t, lv), name in zip(expect, ("mdc", "mdio"), strict=True):
        if drop_after is not None:  # nothing is reported at or after the end of the data
            keep = [i for i, x in enumerate(t) if not (x >= drop_after and lv[i] == UNKNOWN)]
            t, lv = [t[i] for i in keep], [lv[i] for i in keep]
        assert got[f"{name}_times"].tolist() == t, name
        assert got[f"{name}_levels"].tolist() == lv, name


@st.composite
def waves(draw: st.DrawFn, unknown: bool = True, min_time: int = 0) -> Wave:
    """Two channels of entries at whole nanoseconds (repeats allowed), and initial levels."""
    level = st.sampled_from([0, 1, UNKNOWN] if unknown else [0, 1])
    chans: list[Any] = []
    for _ in range(2):
        n = draw(st.integers(0, 30))
        ns = sorted(draw(st.lists(st.integers(min_time, 10**6), min_size=n, max_size=n)))
        chans += [[x / 1e9 for x in ns], draw(st.lists(level, min_size=n, max_size=n))]
    known = st.sampled_from([0, 1])
    init = (draw(level if unknown else known), draw(level if unknown else known))
    return chans[0], chans[1], chans[2], chans[3], init


@st.composite
def layouts(draw: st.DrawFn) -> tuple[int, tuple[int, int]]:
    extra = draw(st.integers(0, 3))
    order = draw(st.permutations(range(2 + extra)))
    return extra, (order[0], order[1])


def write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


def hyp_dir() -> tempfile.TemporaryDirectory[str]:
    """A directory per example (hypothesis does not mix with function-scoped tmp_path)."""
    return tempfile.TemporaryDirectory()


# -- round trips


@FAST
@given(
    waves(),
    layouts(),
    st.sampled_from(["1ns", "100 ps", "10ps", "1 ps"]),
    st.booleans(),
    st.integers(64, 600),
    st.integers(1, 20),
)
def test_vcd_round_trip(
    wave: Wave,
    layout: tuple[int, tuple[int, int]],
    timescale: str,
    dumpvars: bool,
    chunk: int,
    block: int,
) -> None:
    extra, positions = layout
    with hyp_dir() as d:
        path = Path(d) / "w.vcd"
        write_vcd(
            path,
            *wave[:4],
            initial=wave[4],
            timescale=timescale,
            extra_channels=extra,
            positions=positions,
            dumpvars=dumpvars,
        )
        for mdc, mdio in ((None, None), (positions[0], positions[1]), ("mdc", str(positions[1]))):
            with VcdReader(path, mdc, mdio, chunk_bytes=chunk, block_changes=block) as r:
                assert r.kind == "vcd" and r.samplerate is None
                assert (r.mdc, r.mdio) == positions
                assert r.timescale == parse_timescale(timescale)
                got = read_all(r)
            check_against_model(got, wave)
        # Line numbers point at the changes.
        lines = path.read_text().splitlines()
        for pos, levels, ident in (
            (got["mdc_pos"], got["mdc_levels"], vcd._vcd_id(positions[0]).decode()),
            (got["mdio_pos"], got["mdio_levels"], vcd._vcd_id(positions[1]).decode()),
        ):
            for line, level in zip(pos.tolist(), levels.tolist(), strict=True):
                assert "01x"[level] + ident in lines[line - 1].split()


@FAST
@given(waves(), layouts(), st.integers(1, 20), st.booleans())
def test_csv_round_trip(
    wave: Wave, layout: tuple[int, tuple[int, int]], block: int, crlf: bool
) -> None:
    extra, positions = layout
    with hyp_dir() as d:
        path = Path(d) / "digital.csv"
        write_saleae_csv(
            path, *wave[:4], initial=wave[4], extra_channels=extra, positions=positions
        )
        if crlf:
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        for mdc, mdio in ((None, None), (positions[0], positions[1])):
            with SaleaeCsvReader(path, mdc, mdio, chunk_bytes=1, block_changes=block) as r:
                assert r.kind == "saleae-csv" and r.samplerate is None
                assert (r.mdc, r.mdio) == positions
                got = read_all(r)
            check_against_model(got, wave)
        rows = path.read_text().splitlines()
        for pos, levels, col in (
            (got["mdc_pos"], got["mdc_levels"], positions[0]),
            (got["mdio_pos"], got["mdio_levels"], positions[1]),
        ):
            for line, level in zip(pos.tolist(), levels.tolist(), strict=True):
                assert rows[line - 1].split(",")[col + 1] == "01X"[level]


@FAST
@given(waves(unknown=False, min_time=1), layouts(), st.integers(4, 20), st.integers(1, 7))
def test_binary_v0_round_trip(
    wave: Wave, layout: tuple[int, tuple[int, int]], block: int, piece: int
) -> None:
    extra, positions = layout
    with hyp_dir() as d:
        out = Path(d) / "export"
        write_saleae_binary(
            out, *wave[:4], initial=wave[4], extra_channels=extra, positions=positions
        )
        assert sorted(p.name for p in out.iterdir()) == [
            f"digital_{k}.bin" for k in range(2 + extra)
        ]
        for source, mdc, mdio in (
            (out, positions[0], positions[1]),
            (out / "digital_0.bin", f"digital_{positions[0]}", str(positions[1])),
            (out, out / f"digital_{positions[0]}.bin", f"digital_{positions[1]}.bin"),
        ):
            with SaleaeBinaryReader(source, mdc, mdio, piece=piece, block_changes=block) as r:
                assert r.kind == "saleae-binary" and r.samplerate is None
                assert r.channels[r.mdc] == f"digital_{positions[0]}"
                got = read_all(r)
            check_against_model(got, wave)
            # positions are transition indices in the channel's file
            for pos in (got["mdc_pos"], got["mdio_pos"]):
                assert pos.tolist() == list(range(pos.size))


@FAST
@given(waves(min_time=1), st.integers(4, 20), st.integers(1, 7))
def test_binary_v1_round_trip_with_gaps(wave: Wave, block: int, piece: int) -> None:
    wave = (*wave[:4], (wave[4][0] % 2, wave[4][1] % 2))  # the export starts with data
    with hyp_dir() as d:
        out = Path(d)
        write_saleae_binary(out, *wave[:4], initial=wave[4], version=1)
        with SaleaeBinaryReader(out, 0, 1, piece=piece, block_changes=block) as r:
            got = read_all(r)
    # The export ends where the data of the last channel to stop stops; a channel
    # going unknown at that very time is not reported.
    end = max([0.0, *wave[0], *wave[2]])
    stops = []
    for t, lv, init in ((wave[0], wave[1], wave[4][0]), (wave[2], wave[3], wave[4][1])):
        _, mt, ml = model(t, lv, 0.0, init)
        stops.append(mt[-1] if ml and ml[-1] == UNKNOWN else end)
    check_against_model(got, wave, drop_after=max(stops))


@FAST
@given(waves(unknown=False, min_time=1))
def test_all_formats_agree(wave: Wave) -> None:
    with hyp_dir() as d:
        base = Path(d)
        write_vcd(base / "a.vcd", *wave[:4], initial=wave[4])
        write_saleae_csv(base / "a.csv", *wave[:4], initial=wave[4])
        write_saleae_binary(base / "v0", *wave[:4], initial=wave[4])
        write_saleae_binary(base / "v1", *wave[:4], initial=wave[4], version=1)
        results = [
            read_all(VcdReader(base / "a.vcd")),
            read_all(SaleaeCsvReader(base / "a.csv")),
            read_all(SaleaeBinaryReader(base / "v0", 0, 1)),
            read_all(SaleaeBinaryReader(base / "v1", 0, 1)),
        ]
    for got in results[1:]:
        assert got["initial"] == results[0]["initial"]
        for name in ("mdc_times", "mdc_levels", "mdio_times", "mdio_levels"):
            assert got[name].tolist() == results[0][name].tolist()


def test_many_blocks_stay_small(tmp_path: Path) -> None:
    n = 20_000
    t = np.arange(n) * 1e-7
    lv = np.arange(n) % 2
    write_vcd(tmp_path / "a.vcd", t, lv, t[::4] + 5e-8, lv[::4])
    write_saleae_csv(tmp_path / "a.csv", t, lv, t[::4] + 5e-8, lv[::4])
    write_saleae_binary(tmp_path / "bin", t, lv, t[::4] + 5e-8, lv[::4], version=1)
    readers: list[CaptureReader] = [
        VcdReader(tmp_path / "a.vcd", chunk_bytes=4096, block_changes=1000),
        SaleaeCsvReader(tmp_path / "a.csv", chunk_bytes=4096, block_changes=1000),
        SaleaeBinaryReader(tmp_path / "bin", 0, 1, piece=300, block_changes=1000),
    ]
    for r in readers:
        got = read_all(r)
        sizes = [b.mdc_times.size + b.mdio_times.size for b in got["blocks"]]
        assert len(sizes) > 10 and max(sizes) < 2000
        assert got["mdc_times"].size == n - 1
        np.testing.assert_allclose(got["mdc_times"], t[1:], rtol=0, atol=1e-15)


# -- VCD quirks

SIGROK = """$date Thu Nov 26 2026 $end
$version libsigrok 0.5.2 $end
$comment
  Acquisition with 2/2 channels at 25 MHz
$end
$timescale 10 ns $end
$scope module libsigrok $end
$var wire 1 ! MDC $end
$var wire 1 " MDIO $end
$upscope $end
$enddefinitions $end
#0 0! 1"
#2 1!
#4 0! 0"
#6 1!
#8
"""


def test_vcd_sigrok_style(tmp_path: Path) -> None:
    r = VcdReader(write_text(tmp_path / "s.vcd", SIGROK))
    assert r.channels == ["MDC", "MDIO"] and r.timescale == 1e-8 and r.initial == (0, 1)
    got = read_all(r)
    assert got["mdc_times"].tolist() == [2e-8, 4e-8, 6e-8]
    assert got["mdc_levels"].tolist() == [1, 0, 1]
    assert got["mdio_times"].tolist() == [4e-8] and got["mdio_levels"].tolist() == [0]
    assert got["mdc_pos"].tolist() == [13, 14, 15] and got["mdio_pos"].tolist() == [14]
    assert got["blocks"][0].t_begin == 0.0 and got["blocks"][-1].t_end == 8e-8


NESTED = """$timescale
   1 us
$end
$scope module top $end
$var reg 8 % data [7:0] $end
$var wire 1 ! clk $end
$scope module phy0 $end
$var wire 1 # mdc $end
$var real 64 & temp $end
$var wire 1 $ mdio $end
$upscope $end
$scope module phy1 $end
$var wire 1 ' mdc $end
$var wire 1 ( mdio $end
$upscope $end
$upscope $end
$enddefinitions $end
"""


def test_vcd_nested_scopes_vectors_and_reals(tmp_path: Path) -> None:
    body = """#0
$dumpvars
b00000000 %
r0.5 &
0!
x#
z$
0'
1(
$end
#1 0# 1$ b1010 % r1.25 & 1!
#2 b1 # 1#
#3 0# 0( 1'
#4 x$
"""
    path = write_text(tmp_path / "n.vcd", NESTED + body)
    r = VcdReader(path)
    assert r.channels == ["clk", "mdc", "mdio", "mdc", "mdio"]
    assert (r.mdc, r.mdio) == (1, 2) and r.timescale == 1e-6
    assert r.initial == (UNKNOWN, UNKNOWN)  # x and z are reported, not guessed
    got = read_all(r)
    assert got["mdc_times"].tolist() == [1e-6, 2e-6, 3e-6]
    assert got["mdc_levels"].tolist() == [0, 1, 0]
    assert got["mdio_times"].tolist() == [1e-6, 4e-6]
    assert got["mdio_levels"].tolist() == [1, UNKNOWN]
    # The second PHY's wires, by dotted path or by index.
    for mdc, mdio in (("top.phy1.mdc", "TOP.PHY1.MDIO"), (3, "4")):
        other = read_all(VcdReader(path, mdc, mdio))
        assert other["initial"] == (0, 1)
        assert other["mdc_times"].tolist() == [3e-6] and other["mdio_times"].tolist() == [3e-6]


def test_vcd_identifiers_that_look_like_other_tokens(tmp_path: Path) -> None:
    # Identifiers may start with b, # or $; the token after a vector value is always
    # its identifier.  Both the numpy and the token-by-token path must agree.
    head = """$timescale 1ns $end
$var wire 1 b MDC $end
$var wire 1 $x MDIO $end
$var wire 4 # bus $end
$var wire 4 bb other $end
$enddefinitions $end
#0 0b 1$x
"""
    body = "".join(
        f"#{10 * i + 10} b{i % 16:04b} # b0 bb {'01'[i % 2]}b b1 # b1 bb\n" for i in range(40)
    )
    for comment in ("", "$comment a b1 # $end\n"):
        path = write_text(tmp_path / "ids.vcd", head + comment + body + "#500 0$x\n")
        for chunk in (64, 100, 1 << 19):
            got = read_all(VcdReader(path, chunk_bytes=chunk))
            assert got["mdc_levels"].tolist() == [i % 2 for i in range(1, 40)]
            assert got["mdc_times"].tolist() == [(10 * i + 10) / 1e9 for i in range(1, 40)]
            assert got["mdio_times"].tolist() == [500e-9]


def test_vcd_quirks(tmp_path: Path) -> None:
    text = """$var wire 1 ! MDC $end $var wire 1 " MDIO $end $enddefinitions $end
1! 0"
#5 1! 0! 1!
$comment #1 is not a time, nor is 0! a change $end
#5 0!
#7
$dumpoff x! x" $end
#9 $dumpon 1! 1" $end
#9
"""
    path = write_text(tmp_path / "q.vcd", text.replace("\n", "\r\n"))
    for chunk in (64, 1 << 19):
        r = VcdReader(path, chunk_bytes=chunk)
        assert r.timescale == 1e-9  # no $timescale: 1 ns
        got = read_all(r)
        # Changes before the first time and in the whole first step (#5, twice): the
        # last one wins.
        assert r.initial == (0, 0)
        assert got["mdc_times"].tolist() == [7e-9, 9e-9]
        assert got["mdc_levels"].tolist() == [UNKNOWN, 1]
        assert got["mdio_times"].tolist() == [7e-9, 9e-9]
        assert got["mdc_pos"].tolist() == [7, 8]
        assert got["blocks"][-1].t_end > 9e-9


def test_vcd_without_times_or_changes(tmp_path: Path) -> None:
    head = '$var wire 1 ! MDC $end $var wire 1 " MDIO $end $enddefinitions $end\n'
    r = VcdReader(write_text(tmp_path / "e.vcd", head))
    assert r.initial == (0, 1)  # the file says nothing: MDC 0, MDIO 1
    got = read_all(r)
    assert got["mdc_times"].size == 0 and len(got["blocks"]) == 1
    r = VcdReader(write_text(tmp_path / "e.vcd", head + "#100\n#200 1!\n"))
    assert r.initial == (0, 1)
    assert read_all(r)["mdc_times"].tolist() == [200e-9]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1ns", 1e-9),
        ("10 ns", 1e-8),
        ("100 ps", 1e-10),
        ("1 s", 1.0),
        ("1us", 1e-6),
        ("10fs", 1e-14),
    ],
)
def test_vcd_timescales(tmp_path: Path, text: str, seconds: float) -> None:
    body = f'$timescale {text} $end\n$var wire 1 ! MDC $end\n$var wire 1 " MDIO $end\n$enddefinitions $end\n#0 0! 1"\n#3 1!\n'
    r = VcdReader(write_text(tmp_path / "t.vcd", body))
    assert r.timescale == pytest.approx(seconds, rel=1e-15)
    assert read_all(r)["mdc_times"].tolist() == [pytest.approx(3 * seconds, rel=1e-15)]


IDS = ["!", '"', "b", "#", "$x", "bb", "0", "%%"]


@st.composite
def vcd_bodies(draw: st.DrawFn) -> str:
    """Random but mostly valid VCD bodies over identifiers that look like other tokens."""
    token = st.one_of(
        st.integers(0, 3).map(lambda step: ("#", step)),
        st.tuples(st.sampled_from("01xzXZ"), st.sampled_from(IDS)).map("".join),
        st.tuples(st.sampled_from(["b1", "b0", "bx", "b0101", "B1"]), st.sampled_from(IDS)).map(
            " ".join
        ),
        st.sampled_from(IDS[2:]).map(lambda i: f"r2.5 {i}"),
        st.sampled_from(["$dumpvars", "$end", "$dumpall", "$dumpoff", "$dumpon"]),
    )
    t = 0
    out = []
    for item in draw(st.lists(token, max_size=60)):
        if isinstance(item, tuple):
            t += item[1]
            item = f"#{t}"
        out.append(item + draw(st.sampled_from([" ", "\n", "\t", "\r\n", "  \n"])))
    return "".join(out)


@FAST
@given(vcd_bodies(), st.integers(1, 80))
def test_vcd_fast_and_slow_paths_agree(body: str, chunk: int) -> None:
    head = (
        "$var wire 1 b MDC $end\n$var wire 1 $x MDIO $end\n$var wire 4 # v $end\n"
        "$var wire 1 bb other $end\n$enddefinitions $end\n#0\n"
    )
    results = []
    with hyp_dir() as d:
        path = Path(d) / "r.vcd"
        # A $comment sends a whole chunk down the token-by-token path.
        path.write_text(head + body + "\n#1000000\n$comment slow $end\n")
        for size in (chunk, 1 << 20):
            try:
                got = read_all(VcdReader(path, chunk_bytes=size))
                results.append({k: np.asarray(v).tolist() for k, v in got.items() if k != "blocks"})
            except CaptureError as exc:
                results.append({"error": str(exc)})
    assert results[0] == results[1]


# -- VCD errors

VCD_HEAD = (
    '$timescale 1ns $end\n$var wire 1 ! MDC $end\n$var wire 1 " MDIO $end\n$enddefinitions $end\n'
)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ('#0 0! 1"\n#5 1!\n?oops\n', r"t\.vcd:7: syntax error at '\?oops'"),
        ("#0 0!\n#10 1!\n#5 0!\n", r"t\.vcd:7: time goes backwards: #5 after #10"),
        ("#0 0!\n#1x\n", r"t\.vcd:6: bad timestamp '#1x'"),
        ("#0 0!\n#1 1\n", r"t\.vcd:6: value '1' has no identifier"),
        ("#0 0!\n#1 $scope\n", r"t\.vcd:6: unexpected '\$scope'"),
        ("#0 0!\n#1 r1.5 !\n", r"t\.vcd:6: value 'r1.5' for the 1-bit wire MDC"),
        ("#0 0!\n$comment never ends\n", r"t\.vcd:6: \$comment has no \$end"),
        ("#0 0!\n#1 b1\n", r"t\.vcd:6: value 'b1' has no identifier"),
        ("0! #3 ?\n", r"t\.vcd:5: syntax error"),
        ("#" + "9" * 19 + "\n", r"t\.vcd:5: bad timestamp"),
    ],
)
def test_vcd_body_errors(tmp_path: Path, body: str, match: str) -> None:
    path = write_text(tmp_path / "t.vcd", VCD_HEAD + body)
    for chunk in (64, 1 << 19):
        with pytest.raises(CaptureError, match=match):
            read_all(VcdReader(path, chunk_bytes=chunk))


def test_vcd_error_lines_deep_in_the_file(tmp_path: Path) -> None:
    good = "".join(f"#{i} {i % 2}!\n" for i in range(1, 3000))
    for bad, match in (("#2999 ?\n", "syntax error"), ("#1000 1!\n", "time goes backwards")):
        path = write_text(tmp_path / "t.vcd", VCD_HEAD + '#0 0! 1"\n' + good + bad)
        for chunk in (64, 1000, 1 << 19):
            with pytest.raises(CaptureError, match=rf"t\.vcd:3005: {match}"):
                read_all(VcdReader(path, chunk_bytes=chunk))


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        (
            '$var wire 8 ! MDC $end $var wire 1 " MDIO $end $enddefinitions $end',
            {},
            r":1: MDC is 8 bits wide: MDC must be a 1-bit wire",
        ),
        (
            '$var real 1 ! MDC $end $var wire 1 " MDIO $end $enddefinitions $end',
            {},
            r"MDC is a real: MDC must be a 1-bit wire",
        ),
        (
            '$var wire 1 ! clk $end $var wire 1 " dio $end $enddefinitions $end',
            {},
            r"no channel named MDC: the file has 0:clk, 1:dio; choose with --mdc",
        ),
        (
            '$var wire 1 ! clk $end $var wire 1 " dio $end $enddefinitions $end',
            {"mdc": "clk", "mdio": 5},
            r"MDIO channel index 5 does not exist",
        ),
        (
            "$var wire 1 ! MDC $end $var wire 1 ! MDIO $end $enddefinitions $end",
            {},
            r"MDC and MDIO are the same signal",
        ),
        (
            '$var wire 1 ! MDC $end $var wire 1 " MDIO $end $enddefinitions $end',
            {"mdc": 0, "mdio": "mdc"},
            r"MDC and MDIO are the same",
        ),
        (
            "$timescale 3 parsecs $end",
            {},
            r":1: timescale '3 parsecs' is not a number and a unit: allowed",
        ),
        ("$var wire 1 ! $end", {}, r":1: bad \$var: expected"),
        ("$var wire one ! MDC $end", {}, r":1: bad \$var"),
        (
            '$scope module a $end\n$var wire 1 ! MDC\n$var wire 1 " MDIO $end',
            {},
            r":3: '\$var' \(line 2\) has no \$end before '\$var'",
        ),
        ("$upscope $end", {}, r"\$upscope without \$scope"),
        ("$var wire 1 ! MDC $end", {}, r"no \$enddefinitions"),
        ("$date today", {}, r":1: '\$date' has no \$end"),
        (
            "hello world",
            {},
            r":1: expected a \$keyword in the VCD header, found 'hello': not a VCD file",
        ),
        ("", {}, r"no \$enddefinitions"),
    ],
)
def test_vcd_header_errors(tmp_path: Path, text: str, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(CaptureError, match=match):
        VcdReader(write_text(tmp_path / "h.vcd", text + "\n"), **kwargs)


def test_vcd_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="No such file"):
        VcdReader(tmp_path / "nothing.vcd")


# -- Saleae CSV


def test_csv_quirks(tmp_path: Path) -> None:
    text = (
        '\ufeffTime [s],"Clock, MDC",MDIO,Channel 2\r\n'
        "-0.000001000,X,1,0\r\n"
        "\r\n"
        "-5e-7,0,1,0\r\n"
        "0.0,1,X,1\r\n"
        "0.0,1,0,1\r\n"
        "1.5E-6,1,0,0"  # no newline at the end
    )
    path = write_text(tmp_path / "digital.csv", text)
    r = SaleaeCsvReader(path, mdc="clock, mdc")
    assert r.channels == ["Clock, MDC", "MDIO", "Channel 2"]
    assert r.initial == (UNKNOWN, 1)
    got = read_all(r)
    assert got["mdc_times"].tolist() == [-5e-7, 0.0] and got["mdc_levels"].tolist() == [0, 1]
    assert got["mdio_times"].tolist() == [0.0] and got["mdio_levels"].tolist() == [0]
    assert got["mdc_pos"].tolist() == [4, 6] and got["mdio_pos"].tolist() == [6]  # last wins
    assert got["blocks"][0].t_begin == -1e-6 and got["blocks"][-1].t_end == 1.5e-6


def test_csv_header_only(tmp_path: Path) -> None:
    r = SaleaeCsvReader(write_text(tmp_path / "d.csv", "Time [s],MDC,MDIO\n"))
    got = read_all(r)
    assert r.initial == (0, 1) and got["mdc_times"].size == 0


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("MDC,MDIO\n0,1\n", {}, r"d\.csv:1: 'MDC' is not a header: expected 'Time \[s\],<channel>"),
        ("Trigger [s],Time [s],A,B\n", {}, r"d\.csv:1: 'Trigger \[s\]' is an analog export"),
        ("Time [s],MDC\n0,1\n", {}, r"d\.csv:1: the header has 1 channel\(s\)"),
        ("\xff\xfe\n", {}, r"d\.csv:1: the header is not UTF-8"),
        ("Time [s],A,B\n0,0,1\n", {}, r"no channel named MDC: the file has 0:A, 1:B"),
        (
            "Time [s],MDC,MDIO\n0,1,2\n",
            {},
            r"d\.csv:2: column 3 \(MDIO\) is '2': allowed 0, 1 or X",
        ),
        ("Time [s],MDC,MDIO\nabc,1,1\n", {}, r"d\.csv:2: time 'abc' is not a number of seconds"),
        ("Time [s],MDC,MDIO\n0,1\n", {}, r"d\.csv:2: 2 fields: the header has 3"),
    ],
)
def test_csv_errors_in_the_constructor(
    tmp_path: Path, text: str, kwargs: dict[str, Any], match: str
) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(CaptureError, match=match):
        SaleaeCsvReader(path, **kwargs)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("0.5,1,1", r"d\.csv:1002: time 0\.5 s goes backwards \(line 1001 has 0\.999 s\)"),
        ("1.5,1,x", r"d\.csv:1002: column 3 \(MDIO\) is 'x': allowed 0, 1 or X"),
        ("1.5,10,1", r"d\.csv:1002: column 2 \(MDC\) is '10'"),
        ("1.5,,1", r"d\.csv:1002: column 2 \(MDC\) is ''"),
        ("1.5s,1,1", r"d\.csv:1002: time '1.5s' is not a number"),
        ("nan,1,1", r"d\.csv:1002: time 'nan' is not a number"),
        (",1,1", r"d\.csv:1002: time '' is not a number"),
        ("1" * 80 + ",1,1", r"d\.csv:1002: time '1111"),
        ("1.5,1,1,0", r"d\.csv:1002: 4 fields: the header has 3"),
        ("1.5;1;1", r"d\.csv:1002: 1 fields"),
    ],
)
def test_csv_errors_in_rows(tmp_path: Path, bad: str, match: str) -> None:
    rows = "".join(f"{i / 1000},{i % 2},1\n" for i in range(1000))
    path = write_text(tmp_path / "d.csv", "Time [s],MDC,MDIO\n" + rows + bad + "\n1e9,0,0\n")
    for chunk in (1, 1 << 20):
        with pytest.raises(CaptureError, match=match):
            read_all(SaleaeCsvReader(path, chunk_bytes=chunk))


# -- Saleae binary


def v0_file(
    path: Path,
    initial: int,
    begin: float,
    end: float,
    times: list[float],
    count: int | None = None,
    magic: bytes = b"<SALEAE>",
    kind: int = 0,
    version: int = 0,
) -> Path:
    head = struct.pack("<8sii", magic, version, kind)
    n = len(times) if count is None else count
    path.write_bytes(
        head + struct.pack("<IddQ", initial, begin, end, n) + np.array(times, "<f8").tobytes()
    )
    return path


def v1_file(
    path: Path, chunks: list[tuple[int, float, float, list[float]]], count: int | None = None
) -> Path:
    data = struct.pack("<8siiQ", b"<SALEAE>", 1, 0, len(chunks) if count is None else count)
    for initial, begin, end, times in chunks:
        data += struct.pack("<IdddQ", initial, 1e9, begin, end, len(times))
        data += np.array(times, "<f8").tobytes()
    path.write_bytes(data)
    return path


def test_binary_layouts_match_the_documentation(tmp_path: Path) -> None:
    write_saleae_binary(tmp_path / "v0", [0.0, 1.0, 2.0], [1, 0, 1], [0.0], [1], end_time=3.0)
    raw = (tmp_path / "v0" / "digital_0.bin").read_bytes()
    assert raw[:8] == b"<SALEAE>" and len(raw) == 44 + 2 * 8
    assert struct.unpack("<iiIddQ", raw[8:44]) == (0, 0, 1, 0.0, 3.0, 2)
    assert np.frombuffer(raw, "<f8", offset=44).tolist() == [1.0, 2.0]
    write_saleae_binary(
        tmp_path / "v1", [0.0, 1.0, 2.0], [1, 0, 1], [0.0], [1], version=1, sample_rate=1e8
    )
    raw = (tmp_path / "v1" / "digital_0.bin").read_bytes()
    assert struct.unpack("<iiQ", raw[8:24]) == (1, 0, 1)
    assert struct.unpack("<IdddQ", raw[24:60]) == (1, 1e8, 0.0, 2.0, 2)
    assert np.frombuffer(raw, "<f8", offset=60).tolist() == [1.0, 2.0]


def test_binary_v1_gaps_are_unknown(tmp_path: Path) -> None:
    v1_file(tmp_path / "digital_0.bin", [(0, 0.0, 2.0, [1.0]), (1, 5.0, 9.0, [6.0, 7.0])])
    v1_file(tmp_path / "digital_1.bin", [(1, 1.0, 9.0, [8.0])])
    r = SaleaeBinaryReader(tmp_path, 0, 1)
    assert r.initial == (0, UNKNOWN)  # MDIO's data begins later than MDC's
    got = read_all(r)
    assert got["mdc_times"].tolist() == [1.0, 2.0, 5.0, 6.0, 7.0]
    assert got["mdc_levels"].tolist() == [1, UNKNOWN, 1, 0, 1]
    assert got["mdc_pos"].tolist() == [0, -1, -1, 1, 2]
    assert got["mdio_times"].tolist() == [1.0, 8.0] and got["mdio_levels"].tolist() == [1, 0]
    assert got["blocks"][0].t_begin == 0.0 and got["blocks"][-1].t_end == 9.0


def test_binary_channel_choice(tmp_path: Path) -> None:
    for k in (0, 3, 7):
        v0_file(tmp_path / f"digital_{k}.bin", k % 2, 0.0, 1.0, [0.5])
    (tmp_path / "analog_0.bin").write_bytes(b"<SALEAE>")
    r = SaleaeBinaryReader(tmp_path, "3", 7)
    assert r.channels == ["digital_0", "digital_3", "digital_7"] and (r.mdc, r.mdio) == (1, 2)
    assert SaleaeBinaryReader(tmp_path / "digital_7.bin", "DIGITAL_0", "digital_3").mdio == 1
    with pytest.raises(
        CaptureError,
        match=r"MDC channel 'digital_1' does not exist: the file has 0:digital_0, 1:digital_3, 2:digital_7",
    ):
        SaleaeBinaryReader(tmp_path, 1, 3)
    with pytest.raises(CaptureError, match=r"no channel named MDC"):
        SaleaeBinaryReader(tmp_path)
    with pytest.raises(CaptureError, match=r"same channel \(digital_3\)"):
        SaleaeBinaryReader(tmp_path, 3, tmp_path / "digital_3.bin")
    with pytest.raises(CaptureError, match=r"no such file \(the MDIO channel\)"):
        SaleaeBinaryReader(tmp_path, 3, "digital_9.bin")
    other = tmp_path / "elsewhere"
    other.mkdir()
    v0_file(other / "clock.bin", 0, 0.0, 1.0, [0.25])
    r = SaleaeBinaryReader(tmp_path, other / "clock.bin", 3)
    assert read_all(r)["mdc_times"].tolist() == [0.25]
    with pytest.raises(CaptureError, match="no such file or directory"):
        SaleaeBinaryReader(tmp_path / "gone", 0, 1)
    with pytest.raises(CaptureError, match="no channel named MDC: the file has ;"):
        SaleaeBinaryReader(other)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (
            lambda p: v0_file(p, 0, 0, 1, [0.5], magic=b"<SALEAF>"),
            r"not a Saleae binary export: no <SALEAE> magic",
        ),
        (lambda p: p.write_bytes(b"<SAL"), r"no <SALEAE> magic"),
        (
            lambda p: v0_file(p, 0, 0, 1, [0.5], kind=1),
            r"an analog channel: allowed type 0 \(digital\)",
        ),
        (lambda p: v0_file(p, 0, 0, 1, [0.5], version=2), r"version 2: allowed 0 or 1"),
        (
            lambda p: v0_file(p, 0, 0, 1, [0.5], count=3),
            r"truncated: the header says 3 transitions, the file holds 1",
        ),
        (
            lambda p: p.write_bytes(struct.pack("<8sii", b"<SALEAE>", 0, 0) + b"\0" * 10),
            r"truncated: the file ends in the header",
        ),
        (
            lambda p: v0_file(p, 0, 0, 1, [0.5, 0.25, 0.75]),
            r"transition 1 at 0\.25 s: times not increasing",
        ),
        (
            lambda p: v0_file(p, 0, 0, 1, [0.5, 0.5]),
            r"transition 1 at 0\.5 s: times not increasing",
        ),
        (
            lambda p: v0_file(p, 0, 0.5, 1, [0.25]),
            r"transition 0 at 0\.25 s: times not increasing \(or outside the chunk\)",
        ),
        (lambda p: v0_file(p, 0, 0, 1, [float("nan")]), r"transition 0 at nan s"),
        (lambda p: v0_file(p, 2, 0, 1, [0.5]), r"initial state 2: allowed 0 or 1"),
        (lambda p: v0_file(p, 0, 1, 0, []), r"begin 1\.0 s and end 0\.0 s are not a time span"),
        (
            lambda p: v1_file(p, [(0, 0, 1, [0.5])], count=2),
            r"truncated: the file ends in the header of chunk 1 of 2",
        ),
        (
            lambda p: v1_file(p, [(0, 0, 1, [0.5]), (0, 0.25, 1, [])]),
            r"chunk 1: begins at 0\.25 s, before the transition at 0\.5 s",
        ),
        (
            lambda p: v1_file(p, [(0, 0, 1, [0.5]), (0, 2, 3, [1.5])]),
            r"chunk 1: transition 0 at 1\.5 s",
        ),
        (
            lambda p: p.write_bytes(struct.pack("<8sii", b"<SALEAE>", 1, 0) + b"\0"),
            r"truncated: the file ends inside the header",
        ),
    ],
)
def test_binary_errors(tmp_path: Path, make: Callable[[Path], object], match: str) -> None:
    v0_file(tmp_path / "digital_0.bin", 0, 0.0, 1.0, [0.5])
    make(tmp_path / "digital_1.bin")
    with pytest.raises(CaptureError, match=r"digital_1\.bin.*" + match):
        read_all(SaleaeBinaryReader(tmp_path, 0, 1, piece=1))


# -- writers


def test_writer_errors(tmp_path: Path) -> None:
    ok = ([0.0, 1e-6], [0, 1], [0.0], [1])
    with pytest.raises(ValueError, match=r"positions \(1, 1\) must be two different indices"):
        write_vcd(tmp_path / "a.vcd", *ok, positions=(1, 1))
    with pytest.raises(ValueError, match=r"positions \(0, 2\)"):
        write_saleae_csv(tmp_path / "a.csv", *ok, positions=(0, 2))
    with pytest.raises(ValueError, match="levels must be 0, 1 or UNKNOWN"):
        write_vcd(tmp_path / "a.vcd", [0.0], [3], [0.0], [1])
    with pytest.raises(ValueError, match="increasing order"):
        write_saleae_csv(tmp_path / "a.csv", [1.0, 0.0], [0, 1], [0.0], [1])
    with pytest.raises(ValueError, match="2 times but 1 levels"):
        write_vcd(tmp_path / "a.vcd", [0.0, 1.0], [0], [0.0], [1])
    with pytest.raises(ValueError, match="version 0 holds one stretch"):
        write_saleae_binary(tmp_path / "b", [0.0, 1.0, 2.0], [0, UNKNOWN, 1], [0.0], [1])
    with pytest.raises(ValueError, match="version 3"):
        write_saleae_binary(tmp_path / "b", *ok, version=3)
    with pytest.raises(ValueError, match="cannot be negative"):
        write_vcd(tmp_path / "a.vcd", [-1.0], [0], [0.0], [1])
    with pytest.raises(ValueError, match="without spaces"):
        write_vcd(tmp_path / "a.vcd", *ok, names=("M DC", "MDIO"))
    with pytest.raises(ValueError, match="timescale"):
        write_vcd(tmp_path / "a.vcd", *ok, timescale="fast")
    with pytest.raises(ValueError, match="end_time"):
        write_saleae_binary(tmp_path / "b", *ok, end_time=0.5e-6)


def test_writers_default_to_an_idle_bus_at_time_zero(tmp_path: Path) -> None:
    # MDC rises at 1 us: before that the bus is idle (MDC 0, MDIO 1) from t=0.
    write_vcd(tmp_path / "a.vcd", [1e-6], [1], [2e-6], [0], dumpvars=False, end_time=3e-6)
    assert tmp_path.joinpath("a.vcd").read_text().splitlines()[-4:] == [
        '#0 0! 1"',
        "#1000 1!",
        '#2000 0"',
        "#3000",
    ]
    write_saleae_csv(tmp_path / "a.csv", [1e-6], [1], [2e-6], [0], decimals=7)
    assert tmp_path.joinpath("a.csv").read_text().splitlines() == [
        "Time [s],MDC,MDIO",
        "0.0000000,0,1",
        "0.0000010,1,1",
        "0.0000020,1,0",
    ]
    for r in (
        VcdReader(tmp_path / "a.vcd"),
        SaleaeCsvReader(tmp_path / "a.csv"),
    ):
        assert r.initial == (0, 1)
        got = read_all(r)
        assert got["mdc_times"].tolist() == [1e-6] and got["mdio_times"].tolist() == [2e-6]


# -- fuzzing: bad input raises CaptureError and nothing else


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, where, byte in edits:
        if not out:
            out.append(byte)
            continue
        i = where % len(out)
        if kind == 0:
            out[i] = byte
        elif kind == 1:
            out.insert(i, byte)
        else:
            del out[i]
    return bytes(out)


EDITS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.integers(0, 1 << 16),
        st.sampled_from([*range(256), *b"01xz#$!\n, .bX"]),
    ),
    max_size=6,
)


def _survive(make: Callable[[], CaptureReader], valid: bool = False) -> None:
    """Bad input raises CaptureError with a message; whatever reads is well formed: each
    block's changes increase inside [t_begin, t_end), levels are 0, 1 or UNKNOWN, blocks
    follow each other.  ``valid``: the input is a writer's unedited output and must read."""
    try:
        reader = make()
        blocks = list(reader.blocks())
    except CaptureError as exc:
        assert not valid, exc
        assert str(exc).strip()
        return
    end = -np.inf
    for b in blocks:
        assert isinstance(b, TransitionBlock)
        assert end <= b.t_begin <= b.t_end
        for times, levels in ((b.mdc_times, b.mdc_levels), (b.mdio_times, b.mdio_levels)):
            assert times.size == levels.size
            assert (np.diff(times) > 0).all()
            assert ((times >= b.t_begin) & (times < b.t_end)).all() or b.t_begin == b.t_end
            assert np.isin(levels, [0, 1, UNKNOWN]).all()
        end = b.t_end
    if valid:  # MDC's 0, 1, 0, x (the first level may be the initial one, not a change)
        assert sum(b.mdc_times.size for b in blocks) >= 3


def _example_dir(tmp_path: Path) -> Path:
    """A fresh folder under pytest's tmp_path for each hypothesis example."""
    return Path(tempfile.mkdtemp(dir=tmp_path))


FUZZ = settings(
    FAST, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _valid_vcd() -> bytes:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "v.vcd"
        write_vcd(
            path, [0, 1e-6, 2e-6, 3e-6], [0, 1, 0, UNKNOWN], [0, 1.5e-6], [1, 0], extra_channels=1
        )
        return path.read_bytes() + b'#4000 b101 ! r1.5 " $comment x $end\n'


def _valid_csv() -> bytes:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "v.csv"
        write_saleae_csv(path, [0, 1e-6, 2e-6, 3e-6], [0, 1, 0, UNKNOWN], [0, 1.5e-6], [1, 0])
        return path.read_bytes()


@FUZZ
@given(
    st.one_of(st.binary(max_size=300), EDITS.map(lambda e: _mutate(_valid_vcd(), e))),
    st.integers(64, 200),
)
def test_fuzz_vcd(tmp_path: Path, data: bytes, chunk: int) -> None:
    path = _example_dir(tmp_path) / "f.vcd"
    path.write_bytes(data)
    # (_valid_vcd ends in a real on a 1-bit wire on purpose: no input here must read)
    _survive(lambda: VcdReader(path, chunk_bytes=chunk))
    _survive(lambda: VcdReader(path, 0, 1, chunk_bytes=chunk))


@FUZZ
@given(st.one_of(st.binary(max_size=300), EDITS.map(lambda e: _mutate(_valid_csv(), e))))
def test_fuzz_csv(tmp_path: Path, data: bytes) -> None:
    path = _example_dir(tmp_path) / "f.csv"
    path.write_bytes(data)
    valid = data == _valid_csv()
    _survive(lambda: SaleaeCsvReader(path, chunk_bytes=1), valid)
    _survive(lambda: SaleaeCsvReader(path, 0, 1), valid)


@FUZZ
@given(
    st.booleans(),
    st.one_of(st.binary(max_size=200).map(lambda b: ("raw", b)), EDITS.map(lambda e: ("edit", e))),
    st.integers(0, 1),
)
def test_fuzz_binary(tmp_path: Path, v1: bool, change: tuple[str, Any], which: int) -> None:
    out = _example_dir(tmp_path)
    write_saleae_binary(
        out, [0, 1e-6, 2e-6, 3e-6], [0, 1, 0, 1], [0, 1.5e-6], [1, 0], version=int(v1)
    )
    target = out / f"digital_{which}.bin"
    kind, value = change
    before = target.read_bytes()
    target.write_bytes(value if kind == "raw" else _mutate(before, value))
    valid = target.read_bytes() == before
    _survive(lambda: SaleaeBinaryReader(out, 0, 1, piece=2, block_changes=4), valid)


def test_unreadable_paths_are_capture_errors(tmp_path: Path) -> None:
    (tmp_path / "dir.vcd").mkdir()
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(CaptureError):
        VcdReader(tmp_path / "dir.vcd")
    with pytest.raises(CaptureError):
        SaleaeCsvReader(tmp_path / "dir.csv")
    (tmp_path / "digital_0.bin").mkdir()
    with pytest.raises(CaptureError, match="no channel named MDC"):
        SaleaeBinaryReader(tmp_path)


def test_module_examples_run() -> None:
    for module in (vcd, saleae):
        failed, _ = doctest.testmod(module)
        assert not failed, module.__name__
