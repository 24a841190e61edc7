# SPDX-License-Identifier: GPL-2.0-only
"""Synchronous bit-bang on chips without an MPSSE (FT232R, FT-X): exact bytes, the
emulated 232r against the simulator, the emulator catching a wrong-edge encoder, and
ftdi:// falling back to bit-bang when pyftdi says there is no MPSSE."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyftdi.ftdi import FtdiMpsseError

from physcapy import open_bus
from physcapy.bus.access import scan
from physcapy.errors import PhyscapyError
from physcapy.ftdi.bitbang import MDC, MDI, MDO, SyncBitbangEmulator, encode_bitbang
from physcapy.ftdi.bitbangbus import BitbangBus
from physcapy.ftdi.device import open_ftdi, open_replay
from physcapy.mdio.frames import Frame
from physcapy.sim.bus import SimBus


def test_golden_read_and_write_streams() -> None:
    stream, _ = encode_bitbang(Frame(22, "read", 1, 2))
    # Two bytes per bit, (MDC low, data) then (MDC high, data); 64 bits and one idle bit.
    assert len(stream) == 130
    assert stream[:64] == bytes([MDO, MDO | MDC]) * 32  # preamble: ones
    header = "0110" + "00001" + "00010"  # ST=01 OP=10 PHYAD=1 REGAD=2
    expect = b"".join(bytes([MDO * int(b), MDO * int(b) | MDC]) for b in header)
    assert stream[64:92] == expect
    assert stream[92:] == bytes([MDO, MDO | MDC]) * 19  # TA, data and idle released
    write, decode = encode_bitbang(Frame(22, "write", 3, 0, 0x8000))
    bits = "01" + "01" + "00011" + "00000" + "10" + "1" + "0" * 15 + "1"
    assert write[64:] == b"".join(bytes([MDO * int(b), MDO * int(b) | MDC]) for b in bits)
    assert decode(bytes(130)) == (0, True)


def test_decoder_reads_the_samples_before_each_rising_edge() -> None:
    _, decode = encode_bitbang(Frame(22, "read", 1, 2))
    reply = bytearray([MDI] * 130)
    value = 0x1234
    reply[2 * 47 + 1] = 0  # TA2 driven low
    for j in range(16):
        reply[2 * (48 + j) + 1] = MDI if value >> (15 - j) & 1 else 0
    assert decode(bytes(reply)) == (0x1234, True)
    assert decode(bytes([MDI] * 130)) == (0xFFFF, False)  # nobody drove the turnaround
    with pytest.raises(PhyscapyError, match="answered 129 bytes, expected 130"):
        decode(bytes(129))


def test_emulated_232r_matches_the_simulator(cli) -> None:
    url = "ftdi-emu://232r?phy=lan8720a@1,generic-c45@5"
    _, emulated, _ = cli("dump", url, "1", "--format", "json")
    _, simulated, _ = cli("dump", "sim://lan8720a@1,generic-c45@5", "1", "--format", "json")
    assert json.loads(emulated) == json.loads(simulated)
    emu, sim = open_bus(url), open_bus("sim://lan8720a@1,generic-c45@5")
    assert emu.read_c45(5, 1, 3) == sim.read_c45(5, 1, 3)
    assert emu.read_mmd(1, 3, 0x14) == sim.read_mmd(1, 3, 0x14)
    emu.write(1, 4, 0x0061)
    assert emu.read(1, 4) == 0x0061
    assert [(e.address, e.model) for e in scan(emu)] == [(e.address, e.model) for e in scan(sim)]


def test_a_wrong_edge_encoder_is_caught() -> None:
    # Changing data with MDC high makes the PHY sample each bit one byte late: the
    # frame it sees is not the one sent, so the read finds no PHY.
    sim = SimBus.from_url("sim://lan8720a@1")
    emu = SyncBitbangEmulator(sim)
    good, decode = encode_bitbang(Frame(22, "read", 1, 2))
    wrong = bytes(b ^ MDC for b in good)
    emu.write_data(wrong)
    value, answered = decode(emu.read_data_bytes(130))
    assert (value, answered) != (sim.read(1, 2), True)
    emu = SyncBitbangEmulator(sim)
    emu.write_data(good)
    assert decode(emu.read_data_bytes(130)) == (sim.read(1, 2), True)


def test_emulator_rules() -> None:
    emu = SyncBitbangEmulator(SimBus.from_url("sim://"))
    with pytest.raises(PhyscapyError, match="write of 260 bytes outruns the ft232r's 256"):
        emu.write_data(bytes([MDO]) * 260)
    with pytest.raises(PhyscapyError, match="byte 0x06 drives D2"):
        emu.write_data(bytes([MDO | MDI]))


def test_232r_wiring_must_be_resistor(cli) -> None:
    status, _, err = cli("read", "ftdi-emu://232r?wiring=tristate", "1", "1")
    assert status == 2 and "choose from resistor" in err


class FakeR:
    """An FT232R as pyftdi presents it: no MPSSE, synchronous bit-bang only."""

    chip = "ft232r"

    def __init__(self) -> None:
        self.sim = SimBus.from_url("sim://lan8720a@1")
        self.emu = SyncBitbangEmulator(self.sim)
        self.bitbang: dict[str, Any] = {}
        self.ic_name = "unknown"  # pyftdi's answer while no device is open

    def open_mpsse_from_url(self, url: str, **kwargs: Any) -> float:
        # pyftdi closes the device before it refuses, so ic_name stays 'unknown'.
        raise FtdiMpsseError("This device does not support MPSSE")

    def open_bitbang_from_url(self, url: str, **kwargs: Any) -> float:
        if kwargs["baudrate"] > 3_000_000:  # what pyftdi 0.57 does on FT232R/FT-X
            raise ValueError("Invalid baudrate (too high)")
        self.bitbang = {"url": url, **kwargs}
        self.ic_name = self.chip
        return float(kwargs["baudrate"])

    def write_data(self, data: bytes) -> int:
        return self.emu.write_data(data)

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        return self.emu.read_data_bytes(size, attempt)


def test_ftdi_url_falls_back_to_bitbang(tmp_path: Path) -> None:
    log = tmp_path / "r.jsonl"
    bus = open_ftdi(f"ftdi://ftdi:232r/1?wiring=resistor&freq=5e5&record={log}", FakeR)
    assert isinstance(bus, BitbangBus)
    sim = SimBus.from_url("sim://lan8720a@1")
    values = [bus.read(1, r) for r in range(8)]
    assert values == [sim.read(1, r) for r in range(8)]
    assert bus.port.port.bitbang == {  # type: ignore[attr-defined]
        "url": "ftdi://ftdi:232r/1",
        "direction": MDC | MDO,
        "latency": 2,
        "baudrate": 1_000_000,  # two bytes per MDC period
        "sync": True,
    }
    bus.close()
    replay = open_replay(str(log))
    assert isinstance(replay, BitbangBus)
    assert [replay.read(1, r) for r in range(8)] == values


def test_bitbang_pace() -> None:
    bus = open_ftdi("ftdi://ftdi:232r/1?wiring=resistor", FakeR)
    assert bus.mdc_hz == 500e3  # the bit-bang default, not the MPSSE's 2.5 MHz
    assert bus.port.bitbang["baudrate"] == 1_000_000  # type: ignore[attr-defined]
    with pytest.raises(
        PhyscapyError, match=r"freq='2e6' is out of range for bit-bang.*2,000 to 1,500,000 Hz"
    ):
        open_ftdi("ftdi://ftdi:232r/1?wiring=resistor&freq=2e6", FakeR)


def test_pyftdi_refusing_a_rate_is_one_line() -> None:
    class Refuses(FakeR):
        def open_bitbang_from_url(self, url: str, **kwargs: Any) -> float:
            raise ValueError("Invalid baudrate (too high)")

    with pytest.raises(PhyscapyError, match=r"cannot open ftdi://ftdi:232r/1: Invalid baudrate"):
        open_ftdi("ftdi://ftdi:232r/1?wiring=resistor", Refuses)


def test_ft4232h_channel_c_bitbangs_and_replays_as_bitbang(tmp_path: Path) -> None:
    class ChannelC(FakeR):
        chip = "ft4232h"  # channels C and D of an FT4232H have no MPSSE

    log = tmp_path / "c.jsonl"
    bus = open_ftdi(f"ftdi://ftdi:4232h/3?wiring=resistor&record={log}", ChannelC)
    assert isinstance(bus, BitbangBus) and bus.chip_name == "ft4232h"
    value = bus.read(1, 3)
    bus.close()
    replay = open_replay(str(log))
    assert isinstance(replay, BitbangBus)
    assert replay.read(1, 3) == value


def test_ftdi_without_mpsse_names_the_wiring_it_needs() -> None:
    with pytest.raises(
        PhyscapyError,
        match=r"232r/1 \(no MPSSE on it: .*\) 'tristate': choose from resistor",
    ):
        open_ftdi("ftdi://ftdi:232r/1", FakeR)
