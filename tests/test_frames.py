# SPDX-License-Identifier: GPL-2.0-only
"""MDIO frames: build, parse, validation, Clause 45 expansion (IEEE 802.3 22.2.4.5, 45.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from physcapy.errors import FrameError, RangeError
from physcapy.mdio.frames import Frame, c45_frames, c45_over_c22_frames

# (clause, op, phy, reg, data) -> the 32 bits ST..DATA, worked out from the standard's tables
VECTORS = [
    ((22, "read", 1, 1, 0x796D), "01100000100001100111100101101101"),
    ((22, "write", 3, 0, 0x9140), "01010001100000101001000101000000"),
    ((45, "address", 0, 1, 0x0008), "00000000000001100000000000001000"),
    ((45, "write", 2, 7, 0x1000), "00010001000111100001000000000000"),
    ((45, "read_inc", 31, 3, 0xFFFF), "00101111100011101111111111111111"),
    ((45, "read", 5, 30, 0x0001), "00110010111110100000000000000001"),
]


@pytest.mark.parametrize(("fields", "bits"), VECTORS)
def test_known_frames(fields: tuple[int, str, int, int, int], bits: str) -> None:
    f = Frame(*fields)
    assert f.bits() == "1" * 32 + bits
    assert f.to_bytes() == int(bits, 2).to_bytes(4, "big")
    assert Frame.from_bits(f.bits()) == f
    assert Frame.from_bytes(f.wire_bytes()) == f
    assert Frame.from_word(int(bits, 2)) == f


def test_scapy_example_from_the_notes() -> None:
    # ecosystem-notes §0: "write 0x9140 to PHY 3, reg 0" builds to 51 82 91 40
    assert Frame(22, "write", 3, 0, 0x9140).to_bytes() == bytes.fromhex("51829140")


@st.composite
def frames(draw: st.DrawFn) -> Frame:
    clause = draw(st.sampled_from([22, 45]))
    ops = ["read", "write"] if clause == 22 else ["address", "write", "read", "read_inc"]
    return Frame(
        clause,
        draw(st.sampled_from(ops)),
        draw(st.integers(0, 31)),
        draw(st.integers(0, 31)),
        draw(st.integers(0, 0xFFFF)),
        draw(st.integers(0, 3)),
        draw(st.integers(0, 40)),
    )


@given(frames())
def test_build_parse_identity(f: Frame) -> None:
    assert Frame.from_bits(f.bits()) == f
    assert Frame.from_word(f.word, f.preamble) == f
    if f.preamble % 8 == 0 and f.preamble:
        assert Frame.from_bytes(f.wire_bytes()) == f
    # Four bytes are the frame proper; the standard 32-bit preamble is assumed.
    assert Frame.from_bytes(f.to_bytes()).word == f.word


def test_preamble_suppression_and_short_preambles() -> None:
    f = Frame(22, "read", 1, 1, 0x796D, preamble=0)
    assert f.bits() == format(f.word, "032b")
    assert Frame.from_bits(f.bits()).preamble == 0
    assert Frame.from_bits("1" + f.bits()).preamble == 1
    assert "1-bit preamble" in str(Frame.from_bits("1" + f.bits()))


def test_turnaround() -> None:
    assert Frame(22, "read", ta=0b10).ta_ok
    assert not Frame(22, "read", ta=0b11).ta_ok  # nobody drove the second TA bit low
    assert Frame(22, "read", ta=0b00).ta_ok  # station released late, PHY drove 0
    assert not Frame(22, "write", ta=0b11).ta_ok
    assert "turnaround 11" in str(Frame(22, "read", ta=0b11))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"phy": 32}, "PHYAD 32 (0x20) is out of range: allowed 0-31"),
        ({"reg": -1}, "REGAD -1"),
        ({"data": 0x10000}, "DATA 65536 (0x10000) is out of range: allowed 0-65535"),
        ({"op": "address"}, "op 'address' is not valid for Clause 22"),
        ({"clause": 46}, "clause 46 is not an MDIO clause"),
        ({"preamble": -1}, "preamble -1 is not a bit count"),
        ({"clause": 45, "phy": 40}, "PRTAD 40"),
    ],
)
def test_bad_frames(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(
        (RangeError, FrameError), match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        Frame(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bits", "message"),
    [
        ("1" * 32 + "01" + "00" + "0" * 28, "OP 00 is not a Clause 22 opcode"),
        ("1" * 32 + "01" + "11" + "0" * 28, "OP 11 is not a Clause 22 opcode"),
        ("1" * 32 + "0110", "frame truncated: 4 bits after the 32-bit preamble"),
        ("1" * 32 + "0" * 33, "frame too long"),
        ("1" * 32 + "012", "has '2' at position 34"),
    ],
)
def test_bad_bits(bits: str, message: str) -> None:
    with pytest.raises(FrameError, match=message):
        Frame.from_bits(bits)


def test_bad_bytes() -> None:
    with pytest.raises(FrameError, match="too short"):
        Frame.from_bytes(b"\x60\x86")
    with pytest.raises(FrameError, match="must be 0xff preamble"):
        Frame.from_bytes(bytes.fromhex("fffe60860000"))
    with pytest.raises(FrameError, match="ST 11 is not a start of frame"):
        Frame.from_word(0xC0000000)


def test_c45_expansion() -> None:
    addr, read = c45_frames("read", 0, 1, 0x0008)
    assert (addr.op, addr.data, read.op) == ("address", 0x0008, "read")
    assert addr.reg == read.reg == 1
    _, write = c45_frames("write", 2, 7, 0x20, 0x1000)
    assert (write.op, write.data) == ("write", 0x1000)
    _, pri = c45_frames("post-read-increment", 2, 7, 0x20)
    assert pri.op == "read_inc"
    with pytest.raises(FrameError, match="address"):
        c45_frames("address", 0, 1, 0)
    with pytest.raises(RangeError, match="Clause 45 register address 65536"):
        c45_frames("read", 0, 1, 0x10000)


@pytest.mark.parametrize(
    ("function", "code"),
    [
        ("address", 0x0000),
        ("data", 0x4000),
        ("data_inc", 0x8000),
        ("data_inc_write", 0xC000),
        ("noincr", 0x4000),
        ("incr_rdwt", 0x8000),
        ("incr_on_wt", 0xC000),
        (2, 0x8000),
    ],
)
def test_c45_over_c22_each_function(function: str | int, code: int) -> None:
    frames = c45_over_c22_frames("write", 4, 3, 0x0014, 0xBEEF, function)
    summary = [(f.clause, f.op, f.phy, f.reg, f.data) for f in frames]
    assert summary == [
        (22, "write", 4, 13, 0x0003),  # function 00, DEVAD 3
        (22, "write", 4, 14, 0x0014),  # the MMD register address
        (22, "write", 4, 13, code | 3),  # the chosen function, DEVAD 3
        (22, "write", 4, 14, 0xBEEF),  # the data
    ]
    assert c45_over_c22_frames("read", 4, 3, 0x14, function=function)[3].op == "read"


def test_c45_over_c22_bad_function() -> None:
    with pytest.raises(FrameError, match="MMD function 'sideways' is unknown: allowed address"):
        c45_over_c22_frames("read", 1, 3, 0, function="sideways")
    with pytest.raises(RangeError, match="DEVAD 32"):
        c45_over_c22_frames("read", 1, 32, 0)
