# SPDX-License-Identifier: GPL-2.0-only
"""The MPSSE encoder: the byte recipes of ftdi-mdio.md §1.4, clocking, batching."""

from __future__ import annotations

import math

import pytest

from physcapy.errors import FrameError, RangeError, UnknownNameError
from physcapy.ftdi.emulator import MpsseEmulator
from physcapy.ftdi.mpsse import (
    clock_divisor,
    encode_frame,
    init_commands,
    plan_batches,
    sync_check,
)
from physcapy.mdio.frames import Frame
from physcapy.sim.bus import SimBus


def written_bits(commands: bytes) -> str:
    """The bits the 0x11/0x13/0x31 commands of a stream put on MDIO, in order."""
    bits, i = "", 0
    while i < len(commands):
        op = commands[i]
        if op in (0x11, 0x31):
            n = commands[i + 1] + (commands[i + 2] << 8) + 1
            bits += "".join(format(b, "08b") for b in commands[i + 3 : i + 3 + n])
            i += 3 + n
        elif op == 0x13:
            n = commands[i + 1] + 1
            bits += format(commands[i + 2], "08b")[:n]
            i += 3
        elif op in (0x80, 0x20):
            i += 3
        elif op in (0x22, 0x8E):
            i += 2
        else:
            raise AssertionError(f"unexpected opcode {op:#x}")
    return bits


def test_c22_read_tristate_recipe() -> None:
    e = encode_frame(Frame(22, "read", 1, 1), "tristate")
    assert e.commands.hex(" ") == (
        "11 04 00 ff ff ff ff 60 13 05 84 80 02 01 22 01 20 01 00 8e 00 80 02 03"
    )
    assert len(e.commands) == 24 and e.reply_len == 3
    assert e.decode(bytes([0b10, 0x79, 0x6D])) == (0x796D, True)
    assert e.decode(bytes([0b11, 0xFF, 0xFF])) == (0xFFFF, False)  # no PHY: TA2 stays 1
    assert written_bits(e.commands) == "1" * 32 + "0110" + "00001" + "00001"


@pytest.mark.parametrize("wiring", ["tristate", "drivezero", "resistor"])
def test_writes_are_the_frame_then_an_idle_clock(wiring: str) -> None:
    f = Frame(45, "write", 2, 7, 0x1234)
    e = encode_frame(f, wiring)
    assert len(e.commands) == 14 and e.reply_len == 0
    assert written_bits(e.commands) == f.bits() + "1"
    assert Frame.from_bits(written_bits(e.commands)[:-1]) == f


@pytest.mark.parametrize("wiring", ["drivezero", "resistor"])
def test_full_duplex_read(wiring: str) -> None:
    f = Frame(45, "read_inc", 3, 1)
    e = encode_frame(f, wiring)
    assert e.commands[:3] == bytes([0x31, 0x07, 0x00]) and len(e.commands) == 14
    assert e.reply_len == 8
    sent = written_bits(e.commands)
    assert sent[32:46] == f.bits()[32:46] and sent[46:] == "1" * 18 + "1"  # ones to sample
    reply = (0xFFFFFFFF).to_bytes(4, "big") + (0x2E06_0000 | 0x00BE).to_bytes(4, "big")
    assert e.decode(reply) == (0x00BE, True)  # TA2 (bit 16) low: a PHY answered


def test_short_preambles() -> None:
    e = encode_frame(Frame(22, "read", 1, 1, preamble=1), "tristate")
    assert written_bits(e.commands) == "1" + "0110" + "00001" + "00001"
    with pytest.raises(FrameError, match="does not make whole bytes"):
        encode_frame(Frame(22, "read", 1, 1, preamble=1), "resistor")


def test_clock_divisor_never_exceeds_the_request() -> None:
    assert clock_divisor("ft232h", 2.5e6) == (11, 2.5e6)
    div, freq = clock_divisor("ft2232h", 2.4e6)
    assert freq <= 2.4e6 and div == 12
    assert clock_divisor("ft2232d", 2.5e6) == (2, 2.0e6)  # 12 MHz base: 2 MHz is the best
    for f in (1e3, 1e5, 1.1e6, 2.5e6, 7.7e6, 30e6):
        assert clock_divisor("ft4232h", f)[1] <= f
    with pytest.raises(RangeError, match="MDC frequency 4e\\+07 Hz is out of range for ft232h"):
        clock_divisor("ft232h", 40e6)


def test_init_sequences() -> None:
    assert init_commands("ft232h", 2.5e6, "tristate").hex(" ") == ("8a 8d 97 86 0b 00 80 02 03")
    assert init_commands("ft232h", 2.5e6, "drivezero").endswith(bytes([0x9E, 0x02, 0x00]))
    assert init_commands("ft2232d", 1e6, "resistor")[0] == 0x86  # no H-series opcodes
    with pytest.raises(UnknownNameError, match="exists on the FT232H only"):
        init_commands("ft2232h", 2.5e6, "drivezero")
    with pytest.raises(UnknownNameError, match="unknown MDIO wiring 'wet'"):
        init_commands("ft232h", 2.5e6, "wet")
    assert sync_check() == (b"\xaa\x87", b"\xfa\xaa")


def test_batches_fit_the_receive_buffer() -> None:
    reads = [Frame(22, "read", 1, r % 32) for r in range(1000)]
    batches = plan_batches(reads, "tristate", "ft232h")
    assert all(b.reply_len <= 1022 and b.commands[-1] == 0x87 for b in batches)
    assert (
        sum(len(b.frames) for b in batches) == 1000 and len(batches) == 3
    )  # 340 x 3 bytes (1 KiB less 2)
    reply = bytes([0b10, 0x12, 0x34]) * len(batches[0].frames)
    assert batches[0].decode(reply)[:2] == [(0x1234, True), (0x1234, True)]
    with pytest.raises(FrameError, match="reply of 2 bytes"):
        batches[0].frames[0].decode(b"\x00\x00")
    assert len(plan_batches(reads, "tristate", "ft2232h")) == 1


def test_a_batch_is_one_usb_write_of_at_most_max_write_bytes() -> None:
    """A batch's commands and its SEND_IMMEDIATE fit max_write; each batch counts from 0."""
    writes = [Frame(22, "write", 1, 4, 0x01E1)] * 5  # 14 command bytes each
    batches = plan_batches(writes, "tristate", "ft232h", max_write=29)
    assert [len(b.commands) for b in batches] == [29, 29, 15]
    assert [e.frame for b in batches for e in b.frames] == writes
    # The default is 64 KiB: 4,675 writes of 14 bytes and 5 of 17 (a 33-bit preamble
    # takes a bit command more) make 65,536 bytes with SEND_IMMEDIATE; 4,669 and 10 one more.
    w, odd = writes[0], Frame(22, "write", 1, 4, 0x01E1, preamble=33)
    assert len(encode_frame(odd, "tristate").commands) == 17
    sizes = [
        [len(b.commands) for b in plan_batches(frames, "tristate", "ft232h")]
        for frames in (
            [w] * 4675 + [odd] * 5,
            [w] * 4675 + [odd] * 5 + [w],
            [w] * 4669 + [odd] * 10,
        )
    ]
    assert sizes == [[65536], [65536, 15], [65520, 18]]


def test_each_batch_fills_the_receive_buffer_less_two_bytes_afresh() -> None:
    """The FT2232C/D buffer holds 384 bytes, a batch's replies 382: 41 full-duplex reads
    of 8 bytes and 6 of 9 (40-bit preambles) fill it exactly, twice."""
    reads = ([Frame(22, "read", 1, 1)] * 41 + [Frame(22, "read", 1, 1, preamble=40)] * 6) * 2
    batches = plan_batches(reads, "resistor", "ft2232c")
    assert [b.reply_len for b in batches] == [382, 382]
    assert [e.frame for b in batches for e in b.frames] == reads
    assert [b.reply_len for b in plan_batches([*reads, reads[0]], "resistor", "ft2232c")] == [
        382, 382, 8,
    ]  # fmt: skip


def test_the_divisor_is_exact_at_every_edge_of_its_range() -> None:
    """f = base / ((1 + divisor) * 2) (AN_108 3.8.2): the fastest divisor not above the
    request, however close to a boundary the request is, from 0 to 65535."""
    assert clock_divisor("ft232h", 30e6) == (0, 30e6)
    assert clock_divisor("ft232h", 29.999e6) == (1, 15e6)
    assert clock_divisor("ft232h", math.nextafter(2.5e6, 0)) == (12, 60e6 / 26)
    assert clock_divisor("ft232h", math.nextafter(2.5e6, 1e9)) == (11, 2.5e6)
    assert clock_divisor("ft2232d", 12e6 / 131072) == (65535, 12e6 / 131072)
    with pytest.raises(RangeError, match="allowed 91.5527-6e\\+06 Hz"):
        clock_divisor("ft2232d", math.nextafter(12e6 / 131072, 0))


def test_init_sends_the_divisor_as_16_bits_little_endian() -> None:
    """SET_TCK_DIVISOR takes ValueL then ValueH (AN_108 3.8.2): 10 kHz on an FT232H is
    divisor 2999 (0x0BB7), and an emulated chip clocks at that rate."""
    init = init_commands("ft232h", 1e4, "tristate")
    assert init.hex(" ") == "8a 8d 97 86 b7 0b 80 02 03"
    assert init_commands("ft2232d", 1e4, "resistor").hex(" ") == "86 57 02 80 02 03"
    emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"), max_mdc_hz=1e4)
    emu.execute(init + bytes([0x8E, 0x00]))
    assert emu.edges == 1


def test_chip_names_ignore_case_dashes_and_underscores() -> None:
    """'FT_232H', 'ft-232h' and 'ft232h' name the same chip; other names are refused."""
    assert init_commands("FT_232H", 2.5e6, "drivezero") == init_commands(
        "ft-232h", 2.5e6, "drivezero"
    )
    assert clock_divisor("Ft_2232-D", 2.5e6) == (2, 2e6)
    with pytest.raises(UnknownNameError, match="unknown MPSSE chip 'ft232x'"):
        clock_divisor("ft232x", 2.5e6)
