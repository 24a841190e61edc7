# SPDX-License-Identifier: GPL-2.0-only
"""ftdi-emu://: the MPSSE path against an emulated chip gives what sim:// gives, and the
emulator catches byte streams that would misbehave on real hardware."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyftdi.ftdi import FtdiError

from physcapy import open_bus
from physcapy.bus.access import scan
from physcapy.ftdi.emulator import EmulatorError, MpsseEmulator
from physcapy.ftdi.mpsse import encode_frame, init_commands, plan_batches
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
    # Bit-bang takes two bytes per MDC period and pyftdi refuses more than 3 MBd of
    # sync bit-bang, so 2 MHz MDC is for the MPSSE chips only (as on a real FT232R).
    freq = "1e6" if chip == "232r" else "2e6"
    _, emulated, _ = cli(
        "dump",
        f"ftdi-emu://{chip}?wiring={wiring}&phy=lan8720a@1&freq={freq}",
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
    with pytest.raises(EmulatorError) as caught:
        emulator().execute(wrong)
    # Edge 47 is TA2 (32 preamble, 14 header bits, TA1): the PHY's first driven bit.
    assert str(caught.value) == (
        "MDIO contention at MDC edge 47: the station drives 1 while the PHY drives 0 "
        "(release AD1 before the turnaround)"
    )
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
    # Unread replies count too: two writes without a read in between.  Through the USB
    # level the chip stops executing when its 1 KiB reply buffer is full, its command
    # FIFO fills, and pyftdi's bulk write times out, as libusb reports it.
    bus = open_bus("ftdi-emu://232h?phy=generic@1")
    bus.port.write_data(read * 200)  # type: ignore[attr-defined]
    with pytest.raises(FtdiError, match="timed out"):
        bus.port.write_data(read * 200)  # type: ignore[attr-defined]
    assert bus.channel.stats.write_timeouts >= 1  # type: ignore[attr-defined]


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


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftdi-emu://232h?freq=1e8", "ftdi-emu:// freq='1e8': allowed"),
        ("ftdi-emu://232r?freq=2e6", "for bit-bang on ftdi-emu://232r\\?freq=2e6: allowed"),
        ("ftdi-emu://2232d?freq=3e7", "cannot open ftdi-emu://2232d\\?freq=3e7: Unsupported freq"),
        ("ftdi-emu://232h?record={missing}", "ftdi-emu://232h\\?record=.*No such file"),
        ("ftdi-emu://232r?record={missing}", "ftdi-emu://232r\\?record=.*No such file"),
        ("ftdi-emu://232h?record={directory}", "ftdi-emu://232h\\?record=.*Is a directory"),
    ],
)
def test_errors_name_the_url_typed_not_the_internal_one(
    tmp_path: Path, url: str, message: str
) -> None:
    from physcapy.errors import PhyscapyError

    typed = url.format(missing=tmp_path / "no" / "log.jsonl", directory=tmp_path)
    with pytest.raises(PhyscapyError, match=message) as caught:
        open_bus(typed)
    assert "EMU0" not in str(caught.value) and "ftdi://" not in str(caught.value)


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


# -- ftdi-emu:// runs through pyftdi and pyusb (issue 16 part 2) ----------------------------

#: Every chip name ftdi-emu:// takes, with every wiring it can use.
URL_COMBOS = [*COMBOS, *[("2232c", w) for w in ("tristate", "resistor")]]


@pytest.mark.parametrize(("chip", "wiring"), URL_COMBOS)
def test_dump_at_default_frequency_matches_the_simulator(cli, chip: str, wiring: str) -> None:
    _, emulated, _ = cli(
        "dump", f"ftdi-emu://{chip}?wiring={wiring}&phy=lan8720a@1", "1", "--format", "json"
    )
    _, simulated, _ = cli("dump", "sim://lan8720a@1", "1", "--format", "json")
    assert json.loads(emulated) == json.loads(simulated)


@pytest.mark.parametrize(("chip", "wiring"), URL_COMBOS)
def test_reads_go_through_pyftdi_and_pyusb(
    monkeypatch: pytest.MonkeyPatch, chip: str, wiring: str
) -> None:
    import usb.core
    from pyftdi.ftdi import Ftdi

    calls = {"write_data": 0, "read_data_bytes": 0, "bulk": 0}

    def counted(cls: type, name: str, key: str) -> None:
        real = getattr(cls, name)

        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[key] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    counted(Ftdi, "write_data", "write_data")
    counted(Ftdi, "read_data_bytes", "read_data_bytes")
    counted(usb.core.Device, "write", "bulk")
    bus = open_bus(f"ftdi-emu://{chip}?wiring={wiring}&phy=lan8720a@1")
    assert isinstance(bus.port, Ftdi)
    assert (bus.scheme, bus.url) == (
        "ftdi-emu",
        f"ftdi-emu://{chip}?wiring={wiring}&phy=lan8720a@1",
    )
    before = dict(calls)
    stats = bus.channel.stats  # type: ignore[attr-defined]
    writes = stats.bulk_writes
    assert bus.read(1, 2) == 0x0007
    assert calls["write_data"] - before["write_data"] >= 1
    assert calls["read_data_bytes"] - before["read_data_bytes"] >= 1
    assert calls["bulk"] - before["bulk"] >= 1 and stats.bulk_writes > writes
    channel = bus.channel  # type: ignore[attr-defined]
    assert bus.emulator in (channel.mpsse, channel.bitbang)  # type: ignore[attr-defined]
    bus.close()


def test_the_emulated_chip_goes_away_with_the_bus_and_real_back_ends_stay() -> None:
    from pyftdi.usbtools import UsbTools

    from physcapy.ftdi.usb_emulator import get_backend

    backends = UsbTools.BACKENDS
    bus = open_bus("ftdi-emu://2232h?phy=lan8720a@1")
    # pyftdi still looks for real adapters with its own back ends while the bus is open.
    assert backends == UsbTools.BACKENDS and get_backend() is None
    device = bus.usb_device  # type: ignore[attr-defined]
    assert device in device.usb.devices and device.serial.startswith("EMU")
    other = open_bus("ftdi-emu://2232h?phy=lan8720a@1")
    assert other.usb_device.serial != device.serial  # type: ignore[attr-defined]
    assert bus.read(1, 3) == other.read(1, 3) == 0xC0F1
    bus.close()
    assert device not in device.usb.devices and device.unplugged
    assert other.read(1, 2) == 0x0007
    other.close()


def test_inside_a_tests_emulated_usb_bus_the_chip_is_plugged_into_it() -> None:
    from pyftdi.ftdi import Ftdi

    from physcapy.ftdi.usb_emulator import emulated_usb

    with emulated_usb("ft232h") as usb:
        bus = open_bus("ftdi-emu://4232h?phy=lan8720a@1")
        assert bus.usb_device in usb.devices  # type: ignore[attr-defined]
        assert len(Ftdi.list_devices()) == 2
        assert bus.read(1, 2) == 0x0007
        bus.close()
        assert len(usb.devices) == 1


def test_an_unplugged_emulated_chip_fails_the_read_and_the_bus_still_closes() -> None:
    from physcapy.ftdi.portbus import TransferError

    bus = open_bus("ftdi-emu://232h?phy=lan8720a@1")
    assert bus.read(1, 2) == 0x0007
    device = bus.usb_device  # type: ignore[attr-defined]
    device.unplug()
    with pytest.raises(TransferError, match="No such device"):
        bus.read(1, 3)
    bus.close()
    assert device not in device.usb.devices


# -- faults through ftdi-emu:// (pyftdi and pyusb on the emulated USB chip) ---------


@pytest.mark.parametrize("chip", ["232h", "2232d", "232r"])
def test_a_read_that_times_out_then_purge_and_resynchronisation(chip: str) -> None:
    from physcapy.ftdi.portbus import TransferError

    bus = open_bus(f"ftdi-emu://{chip}?wiring=resistor&phy=lan8720a@1")
    channel = bus.channel  # type: ignore[attr-defined]
    requests = bus.usb_device.requests  # type: ignore[attr-defined]
    writes = channel.stats.bulk_writes
    channel.time_out_reads(1)
    with pytest.raises(TransferError, match=r"\[Errno 110\] Operation timed out") as caught:
        bus.read(1, 2)
    assert (len(caught.value.completed), len(caught.value.pending)) == (0, 1)
    assert channel.to_host  # the late answer is still in the chip
    before = len(requests)
    # The next operation purges both ways (and, with an MPSSE, probes again) first: it
    # gets its own answer, not the late one.
    assert (bus.read(1, 3), bus.read(1, 2)) == (0xC0F1, 0x0007)
    purges = [r[2] for r in requests[before:] if r[1] == 0x00]
    assert purges == [1, 2]
    assert channel.stats.bulk_writes - writes == (3 if chip == "232r" else 4)
    bus.close()


@pytest.mark.parametrize(("chip", "frames"), [("232h", 1400), ("232r", 10)])
def test_unplugged_mid_batch_says_which_frames_ran(chip: str, frames: int) -> None:
    from physcapy.ftdi.portbus import TransferError

    bus = open_bus(f"ftdi-emu://{chip}?wiring=resistor&phy=lan8720a@1")
    batch = [Frame(22, "read", 1, 2)] * frames
    if chip == "232r":
        # Bit-bang: one frame per exchange and per bulk write; the fifth write fails.
        writes, done = 4, 4
    else:
        # MPSSE: the batch is split where the replies fill the chip's buffer, and pyftdi
        # writes each part in 1 KiB bulk transfers; the cable goes in the second
        # transfer of the second part.
        first = plan_batches(batch, "resistor", f"ft{chip}")[0]
        writes, done = -(-len(first.commands) // 1024) + 1, len(first.frames)
        assert 0 < done < frames
    bus.usb_device.unplug(after_writes=writes)  # type: ignore[attr-defined]
    with pytest.raises(TransferError, match=r"No such device") as caught:
        bus.batch(batch)
    exc = caught.value
    assert (len(exc.completed), len(exc.pending)) == (done, frames - done)
    assert exc.completed + exc.pending == batch
    exchange = 5 if chip == "232r" else 2
    assert f"exchange {exchange} " in str(exc)
    assert f"frames 1-{done} completed, frames {done + 1}-{frames} not known" in str(exc)
    bus.close()


def test_mdc_just_above_the_limit_is_refused() -> None:
    """60 MHz / ((1 + 11) * 2) = 2.5 MHz is allowed; divisor 10 gives 2.73 MHz: refused."""
    ok = MpsseEmulator("ft232h", SimBus.from_url("sim://"))
    ok.execute(bytes([0x8A, 0x86, 11, 0x00, 0x8E, 0x00]))
    assert ok.edges == 1
    fast = MpsseEmulator("ft232h", SimBus.from_url("sim://"))
    fast.execute(bytes([0x8A, 0x86, 10, 0x00]))
    with pytest.raises(EmulatorError, match=r"MDC at 2\.72727e\+06 Hz is faster"):
        fast.execute(bytes([0x8E, 0x00]))


def test_both_ends_driving_the_same_level_is_no_contention() -> None:
    """Contention is a fight between levels: a station that keeps driving 0 (REGAD's last
    bit) through a read of a register holding 0 only agrees with the PHY's TA2 and data."""
    read = encode_frame(Frame(22, "read", 1, 2), "tristate").commands  # PHYID1 = 0 here
    kept = read.replace(bytes([0x80, 0x02, 0x01]), b"")  # AD1 stays an output
    assert emulator().execute(kept + b"\x87") == bytes([0b00, 0x00, 0x00])  # TA1 0: AD1's


@pytest.mark.parametrize("wiring", ["tristate", "resistor"])
def test_a_line_nobody_drives_reads_high(wiring: str) -> None:
    """MDIO is pulled up (ftdi-mdio.md 1.1): AD1 an input and no PHY driving, AD2 reads 1;
    AD1 driving 0 pulls it low."""
    emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"), wiring)
    assert emu.execute(b"\x81") == bytes([0b100])  # at power-up every pin is an input
    assert emu.execute(bytes([0x80, 0x00, 0x03, 0x81])) == bytes([0b000])


def test_drive_zero_makes_only_the_pins_in_its_mask_open_drain() -> None:
    """0x9E's mask (AN_108 3.8.4) names the open-drain pins: with AD0's bit alone, AD1 still
    pushes its 1s and fights the PHY's TA2."""
    read = encode_frame(Frame(22, "read", 1, 1), "drivezero").commands + b"\x87"
    setup = init_commands("ft232h", 2.5e6, "drivezero")
    assert setup.endswith(bytes([0x9E, 0x02, 0x00]))
    emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"), "drivezero")
    emu.execute(setup[:-3] + bytes([0x9E, 0x01, 0x00]))
    with pytest.raises(EmulatorError, match="^MDIO contention at MDC edge 47: the station "):
        emu.execute(read)
    emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"), "drivezero")
    emu.execute(setup)
    assert emu.execute(read)[-2:] == bytes([0x79, 0x6D])


@pytest.mark.parametrize("wiring", ["tristate", "drivezero", "resistor"])
@pytest.mark.parametrize("preamble", [32, 40])
def test_reads_decode_the_data_and_whether_a_phy_drove_ta2(wiring: str, preamble: int) -> None:
    """The read value is the last 16 bits sampled and TA2 low means a PHY answered
    (22.2.4.5.5); an absent PHY leaves all ones on the pulled-up line."""
    emu = emulator(wiring)
    for phy, reg, expected in ((1, 1, (0x796D, True)), (1, 3, (0x0010, True)),
                               (9, 1, (0xFFFF, False)), (2, 2, (0xFFFF, False))):  # fmt: skip
        e = encode_frame(Frame(22, "read", phy, reg, preamble=preamble), wiring)
        assert e.frame == Frame(22, "read", phy, reg, preamble=preamble)
        assert e.decode(emu.execute(e.commands + b"\x87")) == expected


@pytest.mark.parametrize("wiring", ["tristate", "drivezero", "resistor"])
def test_writes_carry_all_sixteen_data_bits(wiring: str) -> None:
    """A write frame's 16 data bits reach the PHY, bit 15 included (ANAR is read/write)."""
    emu = emulator(wiring)
    for value in (0xA5A5, 0x01E1):
        e = encode_frame(Frame(22, "write", 1, 4, value), wiring)
        assert e.frame.data == value and emu.execute(e.commands + b"\x87") == b""
        assert emu.sim.read(1, 4) == value


def test_h_series_chips_power_up_dividing_their_clock_by_5() -> None:
    """An H-series MPSSE starts on 60 MHz / 5 = 12 MHz until 0x8A turns the divider off and
    0x8B on again (AN_108 3.8.1); MDC = base / ((1 + divisor) * 2)."""
    emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"))
    emu.execute(bytes([0x86, 0x02, 0x00, 0x8E, 0x00]))  # 12 MHz / 6 = 2 MHz
    assert emu.edges == 1
    with pytest.raises(EmulatorError, match=r"^MDC at 3e\+06 Hz is faster than the PHYs take"):
        emu.execute(bytes([0x86, 0x01, 0x00, 0x8E, 0x00]))  # 12 MHz / 4
    with pytest.raises(EmulatorError, match=r"^MDC at 1e\+07 Hz is faster than the PHYs take"):
        emu.execute(bytes([0x8A, 0x86, 0x02, 0x00, 0x8E, 0x00]))  # 60 MHz / 6
    emu.execute(bytes([0x8B, 0x86, 0x02, 0x00, 0x8E, 0x00]))
    assert emu.edges == 2
    old = MpsseEmulator("ft2232d", SimBus.from_url("sim://"))  # 12 MHz, no divider to turn off
    assert old.execute(bytes([0x8A, 0x86, 0x02, 0x00, 0x13, 0x00, 0x80])) == b"\xfa\x8a"
    assert old.edges == 1
    with pytest.raises(EmulatorError, match=r"^MDC at 3e\+06 Hz is faster than the PHYs take"):
        old.execute(bytes([0x86, 0x01, 0x00, 0x13, 0x00, 0x80]))


@pytest.mark.parametrize("op", [0x8A, 0x8B, 0x8C, 0x8D, 0x96, 0x97, 0x8E, 0x8F, 0x9E])
def test_an_ft2232d_rejects_each_h_series_command(op: int) -> None:
    """The FT2232C/D MPSSE lacks the H-series commands (AN_108 3.8): each is a bad command,
    answered 0xFA and the opcode, and changes nothing (no clock, no divider)."""
    old = MpsseEmulator("ft2232d", SimBus.from_url("sim://"))
    assert old.execute(bytes([0x86, 0x02, 0x00, op])) == bytes([0xFA, op])
    assert old.execute(bytes([0x13, 0x00, 0x80, 0x81])) == bytes([0b100])  # 2 MHz: allowed
    assert old.edges == 1


@pytest.mark.parametrize("op", [0x00, 0x0F, 0x40, 0xFF])
def test_unknown_opcodes_outside_clock_data_are_echoed(op: int) -> None:
    """Only 0x10-0x3F are clock-data commands (AN_108 3.2); any other opcode the chip does
    not know is answered 0xFA and the opcode, and the stream goes on."""
    assert emulator().execute(bytes([op, 0x81])) == bytes([0xFA, op, 0b110])


@pytest.mark.parametrize("chip", ["ft232h", "ft2232d"])
def test_loopback_and_send_immediate_are_taken_without_a_reply(chip: str) -> None:
    """0x84/0x85 (loopback on/off) and 0x87 (send immediate) exist on every MPSSE chip,
    0x8C/0x8D and 0x96/0x97 (three-phase, adaptive clocking) on H-series ones (AN_108 3.7,
    3.8): accepted, no reply, no clock."""
    emu = MpsseEmulator(chip, SimBus.from_url("sim://"))
    ops = [0x84, 0x85, 0x87] + ([0x8C, 0x8D, 0x96, 0x97] if chip == "ft232h" else [])
    for op in ops:
        assert emu.execute(bytes([op])) == b""
    assert emu.edges == 0


def test_clock_lengths_and_the_divisor_are_16_bits_little_endian() -> None:
    """SET_TCK_DIVISOR and CLK_BYTES_NO_DATA take LengthL then LengthH (AN_108 3.8): 0x8F
    00 01 clocks 8 * 257 times; 0x86 b7 0b sets divisor 2999."""
    emu = emulator()
    emu.execute(bytes([0x8F, 0x00, 0x01]))
    assert emu.edges == 8 * 257
    emu.execute(init_commands("ft232h", 1e4, "tristate"))
    assert emu.divisor == 0x0BB7


def test_a_phy_takes_a_frame_only_after_an_idle_bit() -> None:
    """IEEE 802.3 22.2.4.5.1: the station leaves at least one idle (1) bit between frames,
    so a PHY accepting suppressed preambles takes a frame right after the idle clock of the
    one before, and none that starts with no idle bit at all, nor one at power-up."""
    e = encode_frame(Frame(22, "read", 1, 1, preamble=0), "tristate")
    fresh = MpsseEmulator("ft232h", SimBus.from_url("sim://"))
    setup = init_commands("ft232h", 2.5e6, "tristate")
    assert e.decode(fresh.execute(setup + e.commands + b"\x87")) == (0xFFFF, False)
    emu = emulator()
    for first in (Frame(22, "read", 9, 1), Frame(22, "read", 1, 1), Frame(22, "write", 1, 4, 0)):
        emu.execute(encode_frame(first, "tristate").commands)  # ends with one idle clock
        e = encode_frame(Frame(22, "read", 1, 1, preamble=0), "tristate")
        assert e.decode(emu.execute(e.commands + b"\x87")) == (0x796D, True)
    write = encode_frame(Frame(22, "write", 1, 4, 0), "tristate").commands
    emu.execute(write[:-3])  # the write without its idle clock
    e = encode_frame(Frame(22, "read", 1, 1, preamble=0), "tristate")
    assert e.decode(emu.execute(e.commands + b"\x87")) == (0xFFFF, False)


def _driven(bits: str) -> bytes:
    """The station drives ``bits`` (AD1 an output), 8 a command (0x13: write bits, MSB
    first, on the falling edge)."""
    chunks = [bits[i : i + 8] for i in range(0, len(bits), 8)]
    return b"".join(bytes([0x13, len(c) - 1, int(c.ljust(8, "0"), 2)]) for c in chunks)


def test_a_read_nobody_answers_still_lasts_its_32_bits() -> None:
    """Every PHY counts a read frame to its end, answered or not (22.2.4.5): what the
    station puts on the line in the turnaround and data of a read to an absent PHY is no
    frame.  A station that keeps driving sends an idle bit and a write of 0xFFFF to ANAR
    (PHY 1, register 4) in those 18 bit times: not taken.  After the read's 32 bits and an
    idle bit the same write is."""
    header = Frame(22, "read", 9, 1).bits()[: 32 + 14]  # PRE ST OP PHYAD REGAD, PHY 9 absent
    write = Frame(22, "write", 1, 4, 0xFFFF, 0b10, 0).bits()
    emu = emulator()
    anar = emu.sim.read(1, 4)
    emu.execute(_driven(header + "1" + write))
    assert emu.sim.read(1, 4) == anar
    emu.execute(_driven(header + "1" * 18 + "1" + write))
    assert emu.sim.read(1, 4) != anar


def test_the_emulator_takes_only_the_wirings_the_encoder_knows() -> None:
    """An emulator is tristate unless told otherwise, and a wiring name it does not know is
    refused rather than run as some other wiring."""
    from physcapy.errors import UnknownNameError

    assert MpsseEmulator("ft232h", SimBus.from_url("sim://")).wiring == "tristate"
    with pytest.raises(UnknownNameError, match="unknown MDIO wiring 'Resistor'"):
        MpsseEmulator("ft232h", SimBus.from_url("sim://"), "Resistor")
