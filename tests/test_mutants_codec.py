# SPDX-License-Identifier: GPL-2.0-only
"""Frame building, the batch codec, the MPSSE encoder and the FT2232H emulator's checks,
pinned exactly (issue 23: mutants of physcapy/mdio/frames.py, mdio/batch.py,
ftdi/mpsse.py and ftdi/emulator.py)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from physcapy.errors import FrameError, PhyscapyError, RangeError
from physcapy.ftdi import mpsse
from physcapy.ftdi.emulator import EmulatorError, MpsseEmulator
from physcapy.ftdi.mpsse import init_commands
from physcapy.mdio import batch
from physcapy.mdio.frames import Frame, c45_frames, c45_over_c22_frames, op_name
from physcapy.sim.bus import SimBus


def _ops(frames: list[Frame]) -> list[tuple[int, str, int, int, int]]:
    return [(f.clause, f.op, f.phy, f.reg, f.data) for f in frames]


def test_clause45_access_is_an_address_frame_then_the_operation() -> None:
    assert _ops(c45_frames("read", 1, 3, 0x20)) == [
        (45, "address", 1, 3, 0x20),
        (45, "read", 1, 3, 0),
    ]
    assert _ops(c45_frames("post-read-increment", 2, 1, 0)) == [
        (45, "address", 2, 1, 0), (45, "read_inc", 2, 1, 0),
    ]  # fmt: skip
    assert _ops(c45_frames("write", 31, 31, 0xFFFF, 0xABCD)) == [
        (45, "address", 31, 31, 0xFFFF), (45, "write", 31, 31, 0xABCD),
    ]  # fmt: skip


def test_clause45_over_22_is_the_four_writes_of_22_2_4_3_11() -> None:
    assert _ops(c45_over_c22_frames("read", 1, 3, 0x14)) == [
        (22, "write", 1, 13, 0x0003), (22, "write", 1, 14, 0x0014),
        (22, "write", 1, 13, 0x4003), (22, "read", 1, 14, 0),
    ]  # fmt: skip
    # A read carries no data even when some is given; a write carries it.
    assert _ops(c45_over_c22_frames("read", 1, 0, 0, 0x55AA))[-1] == (22, "read", 1, 14, 0)
    assert _ops(c45_over_c22_frames("write", 1, 31, 0xFFFF, 0x1234, function=2)) == [
        (22, "write", 1, 13, 0x001F), (22, "write", 1, 14, 0xFFFF),
        (22, "write", 1, 13, 0x801F), (22, "write", 1, 14, 0x1234),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("function", "code"),
    [("data", 1), ("DATA", 1), ("noincr", 1), ("1", 1), (1, 1), ("data_inc", 2), ("incr_rdwt", 2),
     ("data_inc_write", 3), ("INCR_ON_WT", 3), (3, 3), ("address", 0), (0, 0)],
)  # fmt: skip
def test_mmd_functions_by_name_alias_and_number(function: str | int, code: int) -> None:
    assert c45_over_c22_frames("read", 4, 7, 0x3C, function=function)[2].data == code << 14 | 7


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: c45_frames("address", 1, 3, 1), FrameError,
         "op 'address' is the first frame of every access: ask for read, write or read_inc"),
        (lambda: c45_frames("read", 1, 3, 0x10000), RangeError,
         "Clause 45 register address 65536 (0x10000) is out of range: allowed 0-65535 (0x0000-0xffff)"),
        (lambda: c45_frames("read", 1, 3, -1), RangeError,
         "Clause 45 register address -1 (0x-1) is out of range: allowed 0-65535 (0x0000-0xffff)"),
        (lambda: c45_over_c22_frames("read", 1, 32, 1), RangeError,
         "DEVAD 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)"),
        (lambda: c45_over_c22_frames("read", 1, -1, 1), RangeError,
         "DEVAD -1 (0x-1) is out of range: allowed 0-31 (0x00-0x1f)"),
        (lambda: c45_over_c22_frames("read", 1, 3, 0x10000), RangeError,
         "Clause 45 register address 65536 (0x10000) is out of range: allowed 0-65535 (0x0000-0xffff)"),
        (lambda: c45_over_c22_frames("read", 1, 3, 1, function="bogus"), FrameError,
         "MMD function 'bogus' is unknown: allowed address (00), data (01), data_inc (10), "
         "data_inc_write (11)"),
    ],
)  # fmt: skip
def test_bad_clause45_requests_name_the_value_and_what_is_allowed(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        call()  # type: ignore[operator]
    assert str(exc.value) == message


def test_clause45_accepts_devad_0_and_register_0() -> None:
    assert _ops(c45_over_c22_frames("read", 0, 0, 0))[0] == (22, "write", 0, 13, 0)
    assert _ops(c45_frames("read", 0, 0, 0))[0] == (45, "address", 0, 0, 0)


# -- the batch codec -----------------------------------------------------------------------


def test_validate_flags_exactly_the_st_op_pairs_no_clause_defines() -> None:
    st, op = np.divmod(np.arange(16), 4)
    f = batch.frames(st=st, op=op)
    # ST 00 is Clause 45 (all four opcodes); ST 01 is Clause 22 (read 10, write 01 only);
    # ST 1x is neither (22.2.4.5.2, 45.3.2).
    assert batch.validate(f).tolist() == [4, 7, 8, 9, 10, 11, 12, 13, 14, 15]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: batch.frames(foo=1), FrameError,
         "unknown frame field 'foo': allowed st, op, phy, reg, ta, data"),
        (lambda: batch.frames(phy=[1, 31, 40]), RangeError,
         "PHYAD/PRTAD 40 at index 2 is out of range: allowed 0-31"),
        (lambda: batch.frames(reg=[[0, 1], [32, 0]]), RangeError,
         "REGAD/DEVAD 32 at index 2 is out of range: allowed 0-31"),
        (lambda: batch.frames(data=[0, -1]), RangeError,
         "DATA -1 at index 1 is out of range: allowed 0-65535"),
        (lambda: batch.frames(ta=4), RangeError, "TA 4 at index 0 is out of range: allowed 0-3"),
        (lambda: batch.frames(st=4), RangeError, "ST 4 at index 0 is out of range: allowed 0-3"),
        (lambda: batch.frames(op=[3, 4]), RangeError, "OP 4 at index 1 is out of range: allowed 0-3"),
        (lambda: batch.frames(data=1.5), RangeError, "DATA values must be integers, got float64"),
        (lambda: batch.encode_bits(batch.frames(), -1), RangeError,
         "preamble -1 is not a bit count: allowed 0 or more"),
        (lambda: batch.decode_bits(np.ones((2, 60), np.uint8), preamble=32), FrameError,
         "rows have 28 preamble bits, expected 32"),
        (lambda: batch.decode_bits(np.ones(3, np.uint8)), FrameError,
         "bit array of shape (3,) is not (frames, bits >= 32)"),
        (lambda: batch.decode_bits(np.ones((3, 31), np.uint8)), FrameError,
         "bit array of shape (3, 31) is not (frames, bits >= 32)"),
    ],
)  # fmt: skip
def test_bad_batch_input_names_the_value_and_what_is_allowed(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        call()  # type: ignore[operator]
    assert str(exc.value) == message


def test_frames_defaults_broadcast_and_empty_fields() -> None:
    f = batch.frames(3, reg=np.arange(3))
    assert f.tolist() == [(1, 2, 0, 0, 2, 0), (1, 2, 0, 1, 2, 0), (1, 2, 0, 2, 2, 0)]
    assert batch.frames(4).shape == (4,) and batch.frames().tolist() == [(1, 2, 0, 0, 2, 0)]
    assert batch.frames(data=np.zeros(0, np.int64)).shape == (0,)


@pytest.mark.parametrize("preamble", [0, 1, 7, 8, 9, 18, 27, 31, 32, 33, 40])
def test_bits_round_trip_and_a_zero_in_any_preamble_is_refused(preamble: int) -> None:
    f = batch.frames(
        st=[0, 1], op=[3, 1], phy=[31, 5], reg=[7, 30], ta=[1, 2], data=[0xA5C3, 0xFFFF]
    )
    b = batch.encode_bits(f, preamble)
    assert b.shape == (2, preamble + 32) and b[:, :preamble].all()
    assert batch.decode_bits(b).tolist() == f.tolist()
    assert batch.decode_bits(b, preamble).tolist() == f.tolist()
    assert int(batch.encode_words(f)[1]) == 0b01_01_00101_11110_10_1111111111111111
    if preamble:
        b[1, preamble - 1] = 0
        with pytest.raises(FrameError) as exc:
            batch.decode_bits(b)
        assert str(exc.value) == f"frame 1 has a 0 inside its {preamble}-bit preamble"


def test_words_decode_by_their_32_bit_pattern_whatever_the_integer_type() -> None:
    """A word is its 32 bits ST..DATA: an int32 -1 (C's view of 0xffffffff, what an idle,
    pulled-up line reads) is ST 11 OP 11 PHY 31 REG 31 TA 11 DATA 0xffff, and the bits of
    a 64-bit integer above the frame (its preamble) are not part of it."""
    ones = (3, 3, 31, 31, 3, 0xFFFF)
    assert batch.decode_words(np.array([-1], np.int32)).tolist() == [ones]
    assert batch.decode_words(np.array([0xFFFFFFFF], np.uint32)).tolist() == [ones]
    word = int(batch.encode_words(batch.frames(op=1, phy=5, reg=9, data=0x1234))[0])
    assert batch.decode_words(np.array([0xFFFFFFFF << 32 | word], np.uint64)).tolist() == [
        (1, 1, 5, 9, 2, 0x1234)
    ]


@pytest.mark.parametrize("preamble", [32, 5])
def test_bits_given_as_floats_decode_like_integers(preamble: int) -> None:
    """0.0/1.0 bits (a sample column read with np.loadtxt) are the same bits as 0/1."""
    f = batch.frames(st=[1, 0], op=[2, 3], phy=[1, 30], reg=[1, 7], data=[0x796D, 0x8001])
    b = batch.encode_bits(f, preamble)
    assert batch.decode_bits(b.astype(np.float64)).tolist() == f.tolist()


# -- Frame text forms ----------------------------------------------------------------------


def test_frame_text_names_c22_registers_and_shows_odd_turnaround_and_preamble() -> None:
    assert str(Frame(22, "read", 1, 1, 0x796D)) == "C22 read PHY 1 REG 1 (BMSR) = 0x796d"
    assert str(Frame(22, "read", 1, 17, 0x1234, ta=3, preamble=31)) == (
        "C22 read PHY 1 REG 17 = 0x1234 (turnaround 11) (31-bit preamble)"
    )
    assert str(Frame(22, "write", 1, 31, 0, preamble=33)) == (
        "C22 write PHY 1 REG 31 = 0x0000 (33-bit preamble)"
    )
    assert str(Frame(45, "read_inc", 2, 7, 0xABCD, ta=0, preamble=0)) == (
        "C45 read_inc PRTAD 2 DEVAD 7 = 0xabcd (0-bit preamble)"
    )


_READ_BMSR = "0110" + "00000" + "00001" + "10" + "0" * 16  # ST OP PHYAD REGAD TA DATA


def test_frame_from_bits_strings_and_iterables() -> None:
    read_bmsr = _READ_BMSR
    assert Frame.from_bits(" 0b" + "1111_1111 " * 2 + read_bmsr + "\n") == Frame(
        22, "read", 0, 1, 0, preamble=16
    )
    assert Frame.from_bits([1] * 32 + [int(c) for c in read_bmsr]) == Frame(22, "read", 0, 1, 0)
    assert Frame.from_bits([True, 5, *(int(c) for c in read_bmsr)]).preamble == 2


@pytest.mark.parametrize(
    ("bits", "message"),
    [
        ("0b 1111_0110 ", "frame truncated: 4 bits after the 4-bit preamble, a frame has exactly 32 "
                          "(ST OP PHYAD REGAD TA DATA)"),
        ("1" * 10 + "0" * 31, "frame truncated: 31 bits after the 10-bit preamble, a frame has exactly 32 "
                              "(ST OP PHYAD REGAD TA DATA)"),
        ("10" + "0" * 32, "frame too long: 33 bits after the 1-bit preamble, a frame has exactly 32 "
                          "(ST OP PHYAD REGAD TA DATA)"),
        ("1" * 30 + "x", "bit string has 'x' at position 30: allowed only 0 and 1"),
        # 22.2.4.5 writes a read's turnaround as Z0 and IDLE as Z: notation, not bits,
        # wherever it stands (before, inside or after the preamble's ones).
        ("X" + "1" * 32 + _READ_BMSR, "bit string has 'X' at position 0: allowed only 0 and 1"),
        ("1111X" + "1" * 28 + _READ_BMSR, "bit string has 'X' at position 4: allowed only 0 and 1"),
        ("1" * 32 + "0110" + "00000" + "00001" + "Z0" + "0" * 16,
         "bit string has 'Z' at position 46: allowed only 0 and 1"),
        ("1" * 32 + _READ_BMSR + "Z", "bit string has 'Z' at position 64: allowed only 0 and 1"),
    ],
)  # fmt: skip
def test_frame_from_bits_errors(bits: str, message: str) -> None:
    """Bit strings carry only 0 and 1, each error names the first other symbol and its
    position, and a frame is exactly 32 bits after the preamble's ones (22.2.4.5)."""
    with pytest.raises(FrameError) as exc:
        Frame.from_bits(bits)
    assert str(exc.value) == message


def test_frame_bytes_forms() -> None:
    assert Frame.from_bytes(b"\xff\xff\x60\x06\x00\x00") == Frame(22, "read", 0, 1, 0, preamble=16)
    assert Frame.from_bytes(b"\x60\x06\x12\x34") == Frame(22, "read", 0, 1, 0x1234)
    assert Frame(22, "read", 0, 1, 0, preamble=16).wire_bytes() == b"\xff\xff\x60\x06\x00\x00"
    for data, message in [
        (b"\x60", "1 bytes is too short for an MDIO frame: need 4 (ST..DATA) or more with leading "
                  "0xff preamble bytes"),
        (b"\xfe\xff\x60\x06\x00\x00", "bytes before the frame must be 0xff preamble, got feff"),
    ]:  # fmt: skip
        with pytest.raises(FrameError) as exc:
            Frame.from_bytes(data)
        assert str(exc.value) == message
    with pytest.raises(FrameError) as exc:
        Frame(22, "read", 1, 1, 0, preamble=12).wire_bytes()
    assert str(exc.value) == (
        "preamble of 12 bits is not a whole number of bytes: use bits() for odd preamble lengths"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: op_name(22, "address"), "op 'address' is not valid for Clause 22: allowed write (01), read (10)"),
        (lambda: op_name(22, 0), "OP 00 is not a Clause 22 opcode: allowed 10 read, 01 write "
                                 "(00 and 11 are Clause 45 opcodes)"),
        (lambda: op_name(22, 3), "OP 11 is not a Clause 22 opcode: allowed 10 read, 01 write "
                                 "(00 and 11 are Clause 45 opcodes)"),
        (lambda: op_name(45, 4), "OP 4 is out of range: allowed 0-3"),
        (lambda: op_name(22, -1), "OP -1 is out of range: allowed 0-3"),
        (lambda: op_name(45, "bogus"), "op 'bogus' is not valid for Clause 45: allowed address (00), "
                                       "write (01), read_inc (10), read (11)"),
        (lambda: Frame(22, "read", 1, 32), "REGAD 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)"),
        (lambda: Frame(45, "read", 1, 32), "DEVAD 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)"),
        (lambda: Frame(22, "read", 1, 1, ta=4), "TA 4 is out of range: allowed 0-3"),
        (lambda: Frame(22, "read", 1, 1, preamble=True), "preamble True is not a bit count: allowed 0 or "
                                                         "more (32 is the standard, 0 is preamble suppression)"),
        (lambda: Frame(22, "read", 1, 1, preamble=1.5), "preamble 1.5 is not a bit count: allowed 0 or "
                                                        "more (32 is the standard, 0 is preamble suppression)"),
        (lambda: Frame.from_word(1 << 32), "frame word 4294967296 (0x100000000) is out of range: "
                                           "allowed 0-4294967295 (0x00000000-0xffffffff)"),
        (lambda: Frame.from_bytes(b"\x58\x60\x06\x00\x00"), "bytes before the frame must be 0xff preamble, got 58"),
    ],
)  # fmt: skip
def test_bad_opcodes_and_frame_fields_name_the_value_and_what_is_allowed(
    call: Any, message: str
) -> None:
    with pytest.raises(PhyscapyError) as exc:
        call()
    assert str(exc.value) == message


def test_op_names_are_case_insensitive_and_take_aliases_and_numbers() -> None:
    assert [op_name(22, "READ"), op_name(45, "Post-Read-Increment"), op_name(45, 3), op_name(22, 2)] == [
        "read", "read_inc", "read", "read",
    ]  # fmt: skip


def test_a_write_without_data_writes_zero() -> None:
    assert c45_frames("write", 1, 3, 5)[-1] == Frame(45, "write", 1, 3, 0)
    assert c45_over_c22_frames("write", 1, 3, 5)[-1] == Frame(22, "write", 1, 14, 0)


# -- the FT2232H/FT232H emulator's opcode checks (AN_108 section 3.2 bit layout) ----------

RISING = ("changes MDIO on the rising edge of MDC, where the PHY samples it "
          "(IEEE 802.3 22.3.4: 10 ns setup and hold around the rising edge)")  # fmt: skip
FALLING = ("samples MDIO on the falling edge, but the PHY may drive read data up to "
           "300 ns after the rising edge (IEEE 802.3 22.3.4)")  # fmt: skip
LSB = "shifts LSB first; MDIO frames go MSB first"
IDLE = "clocks MDC without moving MDIO the way an MDIO frame needs"


def _expected_mistake(op: int) -> str:
    writes_on_rising = op & 0x10 and not op & 0x01  # bit 4: data out; bit 0: on -ve edge
    reads_on_falling = op & 0x20 and op & 0x04  # bit 5: data in; bit 2: on -ve edge
    return (
        RISING if writes_on_rising else FALLING if reads_on_falling else LSB if op & 0x08 else IDLE
    )


@pytest.mark.parametrize(
    "op", [op for op in range(0x10, 0x40) if op not in (0x11, 0x13, 0x20, 0x22, 0x31, 0x33)]
)
def test_emulator_names_what_is_wrong_with_each_clock_data_opcode(op: int) -> None:
    emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"), wiring="tristate")
    emu.execute(init_commands("ft232h", 2.5e6, "tristate"))
    with pytest.raises(EmulatorError) as exc:
        emu.execute(bytes([0x87, op, 0x00, 0x00, 0xFF]))
    assert str(exc.value) == f"command 0x{op:02x} at byte 1 {_expected_mistake(op)}"


def _emulator(chip: str = "ft232h", divisor: bool = True) -> MpsseEmulator:
    emu = MpsseEmulator(chip, SimBus.from_url("sim://"), wiring="tristate")
    if divisor:
        emu.execute(init_commands(chip, 2.5e6, "tristate"))
    return emu


@pytest.mark.parametrize(
    ("chip", "commands", "reply", "edges"),
    [
        ("ft232h", "8187", "06", 0),  # GET_BITS_LOW: AD1 driven high, AD2 reads the line (1)
        ("ft232h", "8e0381", "06", 4),  # CLK_BITS_NO_DATA: 3 + 1 clocks
        ("ft232h", "8f010081", "06", 16),  # CLK_BYTES_NO_DATA: 8 * (1 + 1) clocks
        ("ft232h", "82000083", "00", 0),  # the high byte: set, and read as 0
        ("ft4232h", "82000083", "fa82fa00fa00fa83", 0),  # no high byte: each byte rejected
        ("ft2232d", "8e038a9e0000", "fa8efa03fa8afa9efa00fa00", 0),  # H-series commands
        ("ft2232h", "9e0200", "fa9efa02fa00", 0),  # drive-zero is the FT232H's alone
        ("ft232h", "9e020081", "06", 0),
        ("ft232h", "ab2207", "faabff", 8),  # a bad opcode echoed; then 8 bits read
        ("ft232h", "200100310000f03303a02202", "fffff00a00", 31),
    ],
)  # fmt: skip
def test_emulator_commands_reply_and_clock_exactly(
    chip: str, commands: str, reply: str, edges: int
) -> None:
    emu = _emulator(chip)
    assert emu.execute(bytes.fromhex(commands)).hex() == reply
    assert emu.edges == edges


@pytest.mark.parametrize(
    ("commands", "message"),
    [
        ("8605", "command 0x86 at byte 0 lacks its 2 parameter byte(s)"),
        ("110300ff", "command 0x11 at byte 0 lacks its 6 parameter byte(s)"),
        ("1308ff", "bit command 0x13 at byte 0 asks for 9 bits: at most 8"),
        ("87200004", "one write asks for 1025 reply bytes, more than the ft232h's 1024-byte buffer holds"),
        ("8600008e00", "MDC at 3e+07 Hz is faster than the PHYs take (2.5e+06 Hz)"),
        ("800303", "SET_BITS_LOW at byte 0 raises AD0: an MDC edge outside a clock command"),
    ],
)  # fmt: skip
def test_emulator_refuses_what_would_break_mdio(commands: str, message: str) -> None:
    with pytest.raises(EmulatorError) as exc:
        _emulator().execute(bytes.fromhex(commands))
    assert str(exc.value) == message


def test_emulator_needs_the_clock_divisor_first_and_fills_the_buffer_exactly() -> None:
    with pytest.raises(EmulatorError) as exc:
        _emulator(divisor=False).execute(bytes.fromhex("8e00"))
    assert str(exc.value) == "MDC clocked before SET_TCK_DIVISOR: its frequency is unknown"
    assert len(_emulator().execute(bytes.fromhex("20ff03"))) == 1024  # the FT232H's whole buffer


# -- the MPSSE encoder, pinned byte for byte ------------------------------------------------

MPSSE_GOLDEN = Path(__file__).parent / "data" / "mpsse_golden.json"
FRAMES = [Frame(22, "read", 1, 1), Frame(22, "write", 31, 0, 0x8000), Frame(45, "address", 2, 7, 0x3C),
          Frame(45, "read_inc", 2, 7), Frame(22, "read", 3, 2, preamble=0), Frame(22, "write", 3, 2, 0x5A5A, preamble=13),
          Frame(22, "read", 3, 17, preamble=16), Frame(45, "write", 0, 0, 0xFFFF, preamble=8)]  # fmt: skip


def _call(fn: Any) -> Any:
    try:
        value = fn()
        return value.hex() if isinstance(value, bytes) else value
    except PhyscapyError as exc:
        return f"{type(exc).__name__}: {exc}"


def mpsse_lines() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ["ft232h", "FT2232H", "ft4232h", "ft2232c", "ft2232-d", "ft2232x"]:
        for freq in [2.5e6, 1e6, 30e6, 30.1e6, 12e6 / 131072, 60e6 / 131072, 100.0, 3e6, 7e6]:
            out[f"divisor {name} {freq:g}"] = _call(partial(mpsse.clock_divisor, name, freq))
        for wiring in [*mpsse.WIRINGS, "open-drain"]:
            out[f"init {name} {wiring}"] = _call(partial(mpsse.init_commands, name, 2.5e6, wiring))
    for wiring in [*mpsse.WIRINGS, "bogus"]:
        for h in (True, False):
            for f in FRAMES:
                e = _call(partial(mpsse.encode_frame, f, wiring, h))
                out[f"encode {wiring} {h} {f}"] = (
                    e if isinstance(e, str) else [e.commands.hex(), e.reply_len]
                )
    for name in ["ft232h", "ft2232d"]:
        for wiring in ["tristate", "resistor"]:
            frames = [
                Frame(22, "read", 1, r % 32) if r % 3 else Frame(22, "write", 1, r % 32, r)
                for r in range(700)
            ]
            batches = mpsse.plan_batches(frames, wiring, name)
            out[f"batches {name} {wiring}"] = [
                (len(b.commands), b.reply_len, len(b.frames)) for b in batches
            ]
            small = mpsse.plan_batches(frames[:40], wiring, name, max_write=200)
            out[f"batches {name} {wiring} max_write 200"] = [
                (len(b.commands), b.reply_len) for b in small
            ]
    t = mpsse.encode_frame(Frame(22, "read", 1, 1), "tristate")
    out["decode tristate"] = [t.decode(bytes([0, 0x79, 0x6D])), t.decode(bytes([1, 0xFF, 0xFF])),
                              t.decode(bytes([2, 0x12, 0x34])), _call(lambda: t.decode(b"ab"))]  # fmt: skip
    d = mpsse.encode_frame(Frame(22, "read", 1, 1), "resistor")
    reply = bytes([0xFF] * 4) + (0b0110_00001_00001_10 << 16 | 0x796D).to_bytes(4, "big")
    out["decode duplex"] = [d.decode(reply), d.decode(reply[:5] + bytes([0xFF, 0x79, 0x6D])),
                            _call(lambda: d.decode(reply[:7]))]  # fmt: skip
    w = mpsse.encode_frame(Frame(22, "write", 1, 0, 0x1200), "tristate")
    b = mpsse.plan_batches(
        [Frame(22, "read", 1, 1), Frame(22, "write", 1, 0, 0x1200)], "tristate", "ft232h"
    )[0]
    out["decode write and batch"] = [w.decode(b""), b.decode(bytes([0, 0x79, 0x6D])),
                                     _call(lambda: b.decode(bytes(4)))]  # fmt: skip
    out["sync"] = [x.hex() for x in mpsse.sync_check()]
    return json.loads(json.dumps(out))


def test_mpsse_encoder_matches_the_pinned_golden_file() -> None:
    expected = json.loads(MPSSE_GOLDEN.read_text())
    got = mpsse_lines()
    assert list(got) == list(expected)
    for key, value in got.items():
        assert value == expected[key], key


if __name__ == "__main__":
    MPSSE_GOLDEN.write_text(json.dumps(mpsse_lines(), indent=0) + "\n")
