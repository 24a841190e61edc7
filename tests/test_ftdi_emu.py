# SPDX-License-Identifier: GPL-2.0-only
"""ftdi-emu://: the MPSSE path against an emulated chip gives what sim:// gives, and the
emulator catches byte streams that would misbehave on real hardware."""

from __future__ import annotations

import json

import pytest

from physcapy import open_bus
from physcapy.bus.access import scan
from physcapy.ftdi.emulator import EmulatorError, MpsseEmulator
from physcapy.ftdi.mpsse import encode_frame, init_commands
from physcapy.mdio.frames import Frame
from physcapy.sim.bus import SimBus

#: Every chip the emulator has, with every wiring it can take (drive-zero is FT232H
#: only; the 232r has no MPSSE and bit-bangs through the resistor).
COMBOS = [
    *[("232h", w) for w in ("tristate", "drivezero", "resistor")],
    *[(c, w) for c in ("2232h", "4232h", "2232d") for w in ("tristate", "resistor")],
    ("232r", "resistor"),
]


@pytest.mark.parametrize(("chip", "wiring"), COMBOS)
def test_dump_matches_the_simulator(cli, chip: str, wiring: str) -> None:
    _, emulated, _ = cli(
        "dump",
        f"ftdi-emu://{chip}?wiring={wiring}&phy=lan8720a@1&freq=2e6",
        "1",
        "--format",
        "json",
    )
    _, simulated, _ = cli("dump", "sim://lan8720a@1", "1", "--format", "json")
    assert json.loads(emulated) == json.loads(simulated)


@pytest.mark.parametrize(("chip", "wiring"), COMBOS)
def test_clause45_native_and_through_13_14(chip: str, wiring: str) -> None:
    emu = open_bus(f"ftdi-emu://{chip}?wiring={wiring}&phy=generic-c45@5,generic@1")
    sim = open_bus("sim://generic-c45@5,generic@1")
    for bus in (emu, sim):
        assert bus.read_c45(5, 1, 3) == 0x0030
        assert bus.read_c45_burst(5, 7, 0x20, 2) == [0x1181, bus.read_c45(5, 7, 0x21)]
        assert bus.read_mmd(1, 7, 0x3C) == 0x0006
    assert [(e.address, e.model) for e in scan(emu)] == [(e.address, e.model) for e in scan(sim)]


def test_batches_share_usb_writes() -> None:
    bus = open_bus("ftdi-emu://232h?phy=generic@1")
    writes = bus.usb_writes
    out = bus.batch([Frame(22, "read", 1, r) for r in range(32)] + [Frame(22, "read", 9, 1)])
    assert bus.usb_writes - writes == 1
    assert out[1].data == 0x796D and out[1].ta_ok and not out[-1].ta_ok


def emulator(wiring: str = "tristate") -> MpsseEmulator:
    emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"), wiring)
    emu.execute(init_commands("ft232h", 2.5e6, wiring))
    return emu


def test_contention_is_caught() -> None:
    """A tristate read that forgets to release AD1 fights the PHY's turnaround."""
    good = encode_frame(Frame(22, "read", 1, 1), "tristate").commands
    wrong = good.replace(bytes([0x80, 0x02, 0x01]), b"")  # AD1 stays an output
    with pytest.raises(EmulatorError, match="MDIO contention at MDC edge"):
        emulator().execute(wrong)
    assert emulator().execute(good + b"\x87")[1:] == bytes([0x79, 0x6D])


def test_hardware_mistakes_are_caught() -> None:
    with pytest.raises(EmulatorError, match="raises AD0: an MDC edge"):
        emulator().execute(bytes([0x80, 0x03, 0x03]))
    fast = MpsseEmulator("ft232h", SimBus.from_url("sim://"))
    fast.execute(bytes([0x8A, 0x86, 0x00, 0x00]))  # 30 MHz MDC
    with pytest.raises(EmulatorError, match="faster than the PHYs take"):
        fast.execute(bytes([0x8E, 0x00]))
    slow = MpsseEmulator("ft232h", SimBus.from_url("sim://"))
    with pytest.raises(EmulatorError, match="before SET_TCK_DIVISOR"):
        slow.execute(bytes([0x8E, 0x00]))
    assert emulator().execute(b"\xaa") == b"\xfa\xaa"  # bad opcode echoed
    old = MpsseEmulator("ft2232d", SimBus.from_url("sim://"))
    assert old.execute(b"\x8a") == b"\xfa\x8a"  # H-series opcode on an FT2232D


def test_a_wrong_edge_encoder_is_caught() -> None:
    """Variants of the real encoder that would misbehave on hardware."""
    good = encode_frame(Frame(22, "read", 1, 1), "tristate").commands
    assert good.count(0x13) and good.count(0x22)  # bits out on -ve, bits in on +ve
    out_on_rising = good.replace(b"\x13", b"\x12")
    with pytest.raises(EmulatorError, match="0x12 .* changes MDIO on the rising edge"):
        emulator().execute(out_on_rising)
    in_on_falling = good.replace(b"\x22", b"\x26")
    with pytest.raises(EmulatorError, match="0x26 .* samples MDIO on the falling edge"):
        emulator().execute(in_on_falling)
    lsb_first = good.replace(b"\x13", b"\x1b")
    with pytest.raises(EmulatorError, match="LSB first"):
        emulator().execute(lsb_first)
    duplex = encode_frame(Frame(22, "read", 1, 1), "drivezero").commands
    assert duplex[0] == 0x31  # the whole frame as one full-duplex byte command
    with pytest.raises(EmulatorError, match="rising edge"):
        emulator("drivezero").execute(b"\x30" + duplex[1:])  # 0x31 with the -ve bit cleared


def test_a_batch_bigger_than_the_reply_buffer_is_caught() -> None:
    # 342 tristate reads want 3 reply bytes each: 1,026 bytes, over the FT232H's 1 KiB.
    read = encode_frame(Frame(22, "read", 1, 1), "tristate").commands
    with pytest.raises(EmulatorError, match="1026 reply bytes, more than the ft232h's 1024"):
        emulator().execute(read * 342 + b"\x87")
    emulator().execute(read * 341 + b"\x87")  # the chip's own limit; plan_batches sends 340
    # Unread replies count too: two writes without a read in between.
    bus = open_bus("ftdi-emu://232h?phy=generic@1")
    bus.port.write_data(read * 200)  # type: ignore[attr-defined]
    with pytest.raises(EmulatorError, match="1200 reply bytes are waiting"):
        bus.port.write_data(read * 200)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftdi-emu://9999?phy=generic@1", "unknown emulated FTDI chip '9999'"),
        ("ftdi-emu://232h?wiring=wet", "unknown MDIO wiring 'wet'"),
        ("ftdi-emu://2232h?wiring=drivezero", "exists on the FT232H only"),
        ("ftdi-emu://232h?colour=red", "unknown ftdi-emu:// option 'colour'"),
        ("ftdi-emu://232h?freq=fast", "freq 'fast' is not a frequency"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    from physcapy.errors import PhyscapyError

    with pytest.raises(PhyscapyError, match=message):
        open_bus(url)


def test_bench_reports_the_usb_figures(cli) -> None:
    status, out, _ = cli(
        "bench", "ftdi-emu://232h?phy=generic@1", "--ops", "2000", "--format", "json"
    )
    doc = json.loads(out)
    assert status == 0 and doc["ops"] == 2000
    assert doc["bytes_out_per_op"] == pytest.approx(24, abs=0.1)  # the tristate recipe
    assert doc["bytes_in_per_op"] == 3
    assert 0 < doc["usb_transfers_per_1000_ops"] < 4  # 340 reads fill the FT232H's 1 KiB less 2
    assert 30_000 < doc["modelled_reads_per_s"] < 39_100  # 2.5 MHz wire limit ~39,000
