# SPDX-License-Identifier: GPL-2.0-only
"""FTDI at the USB level: pyftdi's real ``Ftdi`` and ``UsbTools`` on the emulated USB bus
of physcapy.ftdi.usb_emulator - lookup by URL, descriptors, vendor requests, pyftdi's
chunking of writes and stripping of the modem status, the latency timer, and the faults
(unplug, timeouts, a full reply buffer, permission denied).

Three defects of physcapy's own FTDI code were found here first (issue 16): the emulator
answered SET_BITS_HIGH with 0xFA, the sync probe waited for the latency timer, and a
permission failure lost the udev hint; the tests below hold them fixed."""

from __future__ import annotations

import array
import errno
import logging
from collections.abc import Iterable

import pytest
import usb.control
import usb.core
from pyftdi.ftdi import Ftdi, FtdiError, FtdiMpsseError
from pyftdi.usbtools import UsbTools, UsbToolsError
from usb.core import USBError

from physcapy.errors import PhyscapyError
from physcapy.ftdi.bitbang import MDC, MDO, encode_bitbang
from physcapy.ftdi.device import NoDeviceError, open_ftdi
from physcapy.ftdi.mpsse import encode_frame, init_commands, plan_batches
from physcapy.ftdi.portbus import TransferError
from physcapy.ftdi.usb_emulator import (
    MODEM_STATUS,
    EmulatedDevice,
    UsbEmulator,
    UsbEmulatorError,
    emulated_usb,
    get_backend,
    mpsse_command,
)
from physcapy.mdio.frames import Frame
from physcapy.sim.bus import SimBus

LAN = "lan8720a@1"
PHYSID = (0x0007, 0xC0F1)  # LAN8720A: PHYSID1, PHYSID2

#: chip -> (pyftdi URL product name, bcdDevice, PID, iProduct, interfaces, max packet)
CHIPS = {
    "ft232h": ("232h", 0x0900, 0x6014, "Single RS232-HS", 1, 512),
    "ft2232h": ("2232h", 0x0700, 0x6010, "Dual RS232-HS", 2, 512),
    "ft4232h": ("4232h", 0x0800, 0x6011, "Quad RS232-HS", 4, 512),
    "ft2232d": ("2232d", 0x0500, 0x6010, "Dual RS232", 2, 64),
    "ft232r": ("232r", 0x0600, 0x6001, "FT232R USB UART", 1, 64),
}
#: Every MPSSE channel of every chip.
MPSSE_CHANNELS = [("ft232h", 1), ("ft2232h", 1), ("ft2232h", 2), ("ft4232h", 1)]
MPSSE_CHANNELS += [("ft4232h", 2), ("ft2232d", 1)]


def sim_values(regs: Iterable[int] = range(32)) -> list[int]:
    """What a fresh sim:// gives for these reads, in this order (some bits clear on read)."""
    sim = SimBus.from_url(f"sim://{LAN}")
    return [sim.read(1, r) for r in regs]


def open_raw(url: str, frequency: float = 2.5e6) -> Ftdi:
    """pyftdi's own MPSSE open, its read buffer purged."""
    ftdi = Ftdi()
    ftdi.open_mpsse_from_url(url, direction=0x03, initial=0x02, frequency=frequency, latency=2)
    ftdi.purge_buffers()
    return ftdi


def mpsse_read(ftdi: Ftdi, chip: str, regs: list[int], wiring: str = "tristate") -> list[int]:
    """Read registers of the PHY at 1 with physcapy's encoder over a raw pyftdi port."""
    ftdi.write_data(init_commands(chip, 2e6, wiring))
    values = []
    for batch in plan_batches([Frame(22, "read", 1, r) for r in regs], wiring, chip):
        ftdi.write_data(batch.commands)
        decoded = batch.decode(bytes(ftdi.read_data_bytes(batch.reply_len, 4)))
        assert all(answered for _, answered in decoded), "a PHY did not drive the turnaround"
        values += [value for value, _ in decoded]
    return values


# -- the bus itself --------------------------------------------------------------------------


def test_installing_swaps_pyftdis_back_end_and_removing_restores_it() -> None:
    before = (UsbTools.BACKENDS, dict(UsbTools.Devices), dict(UsbTools.UsbDevices))
    with emulated_usb("ft232h") as bus:
        assert get_backend() is bus and UsbTools.BACKENDS == ("physcapy.ftdi.usb_emulator",)
        assert UsbTools.find_backend() is bus
        Ftdi.get_device("ftdi://ftdi:232h/1")  # pyftdi now holds a device of this bus
        with pytest.raises(UsbEmulatorError, match="installed already"):
            UsbEmulator().install()
    assert get_backend() is None
    assert (UsbTools.BACKENDS, dict(UsbTools.Devices), dict(UsbTools.UsbDevices)) == before


def test_enumeration_through_pyftdi() -> None:
    with emulated_usb(*CHIPS) as bus:
        found = {d.sn: (d, count) for d, count in Ftdi.list_devices()}
        assert len(found) == 5
        for device in bus.devices:
            desc, count = found[device.serial]
            _, _, pid, product, interfaces, _ = CHIPS[device.spec.name]
            assert (desc.vid, desc.pid, desc.description, count) == (
                0x0403,
                pid,
                product,
                interfaces,
            )
            assert (desc.bus, desc.address) == (1, device.address)
        # A chip that came later is found at once (pyftdi's cache is flushed on plug-in).
        late = bus.add("ft232h", serial="LATE0001")
        assert "LATE0001" in {d.sn for d, _ in Ftdi.list_devices()}
        bus.remove(late)
        assert "LATE0001" not in {d.sn for d, _ in Ftdi.list_devices()}


@pytest.mark.parametrize("chip", CHIPS)
def test_descriptors(chip: str) -> None:
    name, bcd, pid, product, interfaces, packet = CHIPS[chip]
    with emulated_usb(chip) as bus:
        dev = Ftdi.get_device(f"ftdi://ftdi:{name}/1")
        assert (dev.idVendor, dev.idProduct, dev.bcdDevice, dev.bcdUSB) == (
            0x0403,
            pid,
            bcd,
            0x0200,
        )
        assert dev.bMaxPacketSize0 == (64 if packet == 512 else 8)
        assert dev.speed == (3 if packet == 512 else 2)  # libusb: high / full speed
        assert dev.langids == (0x0409,)
        assert (dev.manufacturer, dev.product, dev.serial_number) == ("FTDI", product, "FTEMU001")
        config = dev.get_active_configuration()
        assert (config.bConfigurationValue, config.bNumInterfaces) == (1, interfaces)
        for n, intf in enumerate(config):
            assert (intf.bInterfaceNumber, intf.bAlternateSetting, intf.bInterfaceClass) == (
                n,
                0,
                0xFF,
            )
            eps = [(e.bEndpointAddress, e.bmAttributes, e.wMaxPacketSize) for e in intf]
            assert eps == [(0x81 + 2 * n, 2, packet), (0x02 + 2 * n, 2, packet)]
        # The same through GET_DESCRIPTOR on the wire.
        raw = usb.control.get_descriptor(dev, 18, 1, 0)
        assert raw[0:2].tolist() == [18, 1]
        assert int.from_bytes(raw[8:14].tobytes(), "little") == 0x0403 | pid << 16 | bcd << 32
        total = usb.control.get_descriptor(dev, 255, 2, 0)
        assert len(total) == 9 + interfaces * 23 == total[2] | total[3] << 8
        assert bus.devices[0].spec.max_packet == packet


def test_a_chip_without_a_serial_number() -> None:
    with emulated_usb() as bus:
        bus.add("ft232h", serial="")  # an unprogrammed EEPROM
        dev = Ftdi.get_device("ftdi://ftdi:232h/1")
        assert dev.iSerialNumber == 0 and dev.serial_number is None
        assert Ftdi.list_devices()[0][0].sn is None


# -- lookup by URL ---------------------------------------------------------------------------


def several() -> UsbEmulator:
    bus = UsbEmulator()
    bus.add("ft232h", LAN, serial="FTA00001")
    bus.add("ft232h", "lan8720a@2", serial="FTA00002")
    bus.add("ft2232h", [LAN, "lan8720a@3"], serial="FTB00001")
    return bus


def test_lookup_by_serial_index_and_interface() -> None:
    bus = several()
    bus.install()
    try:
        for url, device, channel in [
            ("ftdi://ftdi:232h:FTA00002/1", 1, 1),
            ("ftdi://ftdi:2232h/2", 2, 2),  # interface 2 = channel B
            ("ftdi://ftdi:2232h:FTB00001/1", 2, 1),
            ("ftdi://0x403:0x6010/2", 2, 2),
        ]:
            ftdi = Ftdi()
            ftdi.open_mpsse_from_url(url, frequency=1e6)
            target = bus.devices[device].channel(channel)
            assert target.mode == "mpsse", url
            if "FTA00002" in url:
                assert ftdi.usb_dev.serial_number == "FTA00002"
            ftdi.close()
            assert target.mode == "uart"  # pyftdi's close resets the bit mode
        # By index: the n-th FT232H pyftdi enumerates (in no promised order).
        ftdi = Ftdi()
        ftdi.open_mpsse_from_url("ftdi://ftdi:232h:1/1", frequency=1e6)
        first = ftdi.usb_dev.serial_number
        ftdi.close()
        assert first in ("FTA00001", "FTA00002")
        # pyftdi 0.57 narrows the candidates to the one the index chose (by serial and
        # bus/address) and then applies the index again: any index but 1 finds nothing.
        ftdi = Ftdi()
        try:
            ftdi.open_mpsse_from_url("ftdi://ftdi:232h:2/1", frequency=1e6)
        except OSError as exc:
            assert str(exc) == "No such device"
        else:  # a pyftdi that gets this right
            assert ftdi.usb_dev.serial_number not in (first, None)
            ftdi.close()
    finally:
        bus.uninstall()


def test_lookup_failures() -> None:
    bus = several()
    bus.install()
    try:
        with pytest.raises(UsbToolsError, match="2 USB devices match URL"):
            Ftdi().open_mpsse_from_url("ftdi://ftdi:232h/1")
        with pytest.raises(UsbToolsError, match="No USB device with S/N NOPE"):
            Ftdi().open_mpsse_from_url("ftdi://ftdi:232h:NOPE/1")
        with pytest.raises(FtdiError, match="No such FTDI port: 3"):
            Ftdi().open_mpsse_from_url("ftdi://ftdi:2232h/3")
        # physcapy's error for a missing adapter lists what pyftdi does see.
        with pytest.raises(NoDeviceError) as caught:
            open_ftdi("ftdi://ftdi:4232h/1")
        message = str(caught.value)
        assert "no FTDI device found for ftdi://ftdi:4232h/1" in message
        assert "0403:6014 Single RS232-HS (serial FTA00001, 1 interface)" in message
        assert "0403:6010 Dual RS232-HS (serial FTB00001, 2 interfaces)" in message
    finally:
        bus.uninstall()


def test_ft2232h_and_ft2232d_differ_only_in_bcd_device() -> None:
    # Same PID 0x6010: pyftdi's names 2232h/2232d cannot tell them apart.
    with emulated_usb("ft2232h", "ft2232d"):
        with pytest.raises(UsbToolsError, match="2 USB devices match"):
            Ftdi().open_mpsse_from_url("ftdi://ftdi:2232d/1")
        ftdi = Ftdi()
        ftdi.open_mpsse_from_url("ftdi://ftdi:2232d:FTEMU002/1", frequency=1e6)
        assert (ftdi.ic_name, ftdi.is_H_series, ftdi.fifo_sizes) == ("ft2232c", False, (128, 384))
        ftdi.close()


# -- vendor requests -------------------------------------------------------------------------


def test_open_mpsse_sends_the_vendor_requests_the_chip_answers() -> None:
    with emulated_usb("ft232h", phys=LAN) as bus:
        device = bus.devices[0]
        ftdi = Ftdi()
        assert ftdi.open_mpsse_from_url("ftdi://ftdi:232h/1", frequency=2.5e6, latency=8) == 2.5e6
        vendor = [(req, value) for kind, req, value, _ in device.requests if kind == 0x40]
        # Purge both ways, reset, UART mode, latency 1 (open), then latency 8, event and
        # error characters off, MPSSE mode: what pyftdi 0.57 sends, in its order.
        assert vendor[:4] == [(0x00, 1), (0x00, 2), (0x00, 0), (0x0B, 0x0000)]
        assert (0x09, 8) in vendor and (0x06, 0) in vendor and (0x07, 0) in vendor
        assert vendor[-1] == (0x00, 1)  # purge after the clock was set
        assert (0x0B, 0x0200) in vendor  # MPSSE, direction mask 0
        channel = device.channel(1)
        assert (channel.mode, channel.latency_ms) == ("mpsse", 8)
        assert channel.settings["event_char"] == 0 and channel.settings["error_char"] == 0
        assert ftdi.get_latency_timer() == 8
        assert ftdi.poll_modem_status() == MODEM_STATUS[0] | MODEM_STATUS[1] << 8
        assert ftdi.modem_status() == ("", "thre", "txe")  # bit 0 (always 1) has no name
        assert ftdi.read_pins() == channel.mpsse.low_value
        # The engine got the clock pyftdi computed: 30 MHz / (1 + 11) / 2 = 2.5 MHz.
        assert (channel.mpsse.divisor, channel.mpsse.div5) == (11, False)
        with pytest.raises(USBError) as stalled:  # a vendor request FTDI chips do not know
            ftdi.usb_dev.ctrl_transfer(0x40, 0x42, 0, 1)
        assert stalled.value.errno == errno.EPIPE
        ftdi.close()
        assert channel.latency_ms == 255 and channel.mode == "uart"


def test_baud_rate_and_uart_requests() -> None:
    with emulated_usb("ft232r", "ft2232h") as bus:
        ftdi = Ftdi()
        ftdi.open_from_url("ftdi://ftdi:232r/1")
        ftdi.set_baudrate(115200)
        ftdi.set_line_property(8, 1, "N")
        ftdi.set_flowctrl("hw")
        ftdi.set_dtr_rts(True, False)
        r = bus.devices[0].channel(1)
        assert r.baudrate == pytest.approx(115384.6, abs=0.1)  # 3 MHz / 26 (pyftdi's pick)
        assert r.settings["line"] == 8 and r.settings["flow_ctrl"] == 1
        assert r.settings["modem_ctrl"] == 0x0301
        ftdi.close()
        h = Ftdi()
        h.open_from_url("ftdi://ftdi:2232h/2")
        h.set_baudrate(3_000_000)  # the 12 MHz high-speed clock, on channel B
        assert bus.devices[1].channel(2).baudrate == 3_000_000
        assert bus.devices[1].channel(1).baudrate is None
        h.close()


def test_eeprom() -> None:
    with emulated_usb("ft232h", "ft232r"):
        h = Ftdi()
        h.open_from_url("ftdi://ftdi:232h/1")
        assert h.read_eeprom(0, 256) == b"\xff" * 256  # a blank 93C56
        h.close()
        r = Ftdi()
        r.open_from_url("ftdi://ftdi:232r/1")
        image = r.read_eeprom()  # the FT232R's internal 128 bytes
        assert image[2:8] == bytes.fromhex("0304 0160 0006")
        assert int.from_bytes(image[-2:], "little") == r.calc_eeprom_checksum(image[:-2])
        strings = []
        for slot in range(3):
            offset, length = image[0x0E + 2 * slot] & 0x7F, image[0x0F + 2 * slot]
            strings.append(image[offset + 2 : offset + length].decode("utf-16-le"))
        assert strings == ["FTDI", "FT232R USB UART", "FTEMU002"]
        r.close()


# -- MPSSE and bit-bang through pyftdi -------------------------------------------------------


@pytest.mark.parametrize(("chip", "channel"), MPSSE_CHANNELS)
def test_mpsse_open_and_mdio_through_pyftdi(chip: str, channel: int) -> None:
    name = CHIPS[chip][0]
    phys = [None] * (channel - 1) + [LAN]
    with emulated_usb(chip, phys=phys) as bus:
        ftdi = open_raw(f"ftdi://ftdi:{name}/{channel}", frequency=2e6)
        target = bus.devices[0].channel(channel)
        assert target.mode == "mpsse" and ftdi.is_mpsse
        assert mpsse_read(ftdi, chip, list(range(32))) == sim_values()
        # The other channels saw nothing.
        others = [c for c in bus.devices[0].channels if c is not target]
        assert all(c.stats.bulk_writes == 0 and c.mode == "uart" for c in others)
        ftdi.close()


@pytest.mark.parametrize(("chip", "channel"), [("ft232r", 1), ("ft4232h", 3), ("ft4232h", 4)])
def test_no_mpsse_where_the_chip_has_none(chip: str, channel: int) -> None:
    with emulated_usb(chip) as bus:
        with pytest.raises(FtdiMpsseError, match="does not support MPSSE"):
            Ftdi().open_mpsse_from_url(f"ftdi://ftdi:{CHIPS[chip][0]}/{channel}")
        # pyftdi refuses from the bcdDevice alone: the chip never got SET_BITMODE(MPSSE).
        assert not [r for r in bus.devices[0].requests if r[1] == 0x0B and r[2] >> 8 == 0x02]


def test_ft2232d_channel_b_has_no_mpsse() -> None:
    with emulated_usb("ft2232d") as bus:
        # pyftdi believes every FT2232C/D channel has one and asks; the chip ignores it.
        ftdi = Ftdi()
        ftdi.open_mpsse_from_url("ftdi://ftdi:2232d/2", frequency=1e6)
        assert bus.devices[0].channel(2).refused_modes == [0x02]
        assert bus.devices[0].channel(2).mode == "uart"
        ftdi.close()
        with pytest.raises(PhyscapyError, match="channel B of an FT2232C/D has no MPSSE"):
            open_ftdi("ftdi://ftdi:2232d/2")


def test_sync_bitbang_on_ft232r_through_pyftdi() -> None:
    with emulated_usb("ft232r", phys=LAN, wiring="resistor") as bus:
        ftdi = Ftdi()
        rate = ftdi.open_bitbang_from_url(
            "ftdi://ftdi:232r/1", direction=MDC | MDO, latency=2, baudrate=1_000_000, sync=True
        )
        channel = bus.devices[0].channel(1)
        assert (rate, channel.mode, channel.direction) == (1_000_000, "syncbb", MDC | MDO)
        assert channel.baudrate == 62_500  # the UART clock; bit-bang runs 16 times faster
        values = []
        for reg in (2, 3):
            stream, decode = encode_bitbang(Frame(22, "read", 1, reg))
            ftdi.write_data(stream)
            reply = bytes(ftdi.read_data_bytes(len(stream), 8))
            values.append(decode(reply)[0])
        assert tuple(values) == PHYSID
        # 130 answers, 128-byte buffer: the chip paused until the host read (no loss).
        assert channel.stats.stalls == 2
        ftdi.close()


@pytest.mark.parametrize(("chip", "url"), [("ft232r", "232r/1"), ("ft4232h", "4232h/3")])
def test_open_ftdi_falls_back_to_bitbang(chip: str, url: str) -> None:
    phys = LAN if chip == "ft232r" else [None, None, LAN]
    with emulated_usb(chip, phys=phys, wiring="resistor"):
        bus = open_ftdi(f"ftdi://ftdi:{url}?wiring=resistor")
        assert type(bus).__name__ == "BitbangBus" and bus.chip_name == chip
        assert [bus.read(1, r) for r in range(32)] == sim_values()
        bus.close()


# -- physcapy's open_ftdi on pyftdi's real Ftdi ----------------------------------------------

OPEN_FTDI = [
    pytest.param(chip, wiring)
    for chip, wiring in [
        ("ft4232h", "tristate"),
        ("ft4232h", "resistor"),
        ("ft232h", "tristate"),
        ("ft232h", "drivezero"),
        ("ft232h", "resistor"),
        ("ft2232h", "tristate"),
        ("ft2232h", "resistor"),
        ("ft2232d", "tristate"),
        ("ft2232d", "resistor"),
    ]
]


@pytest.mark.parametrize(("chip", "wiring"), OPEN_FTDI)
def test_open_ftdi_reads_what_the_simulator_holds(chip: str, wiring: str) -> None:
    with emulated_usb(chip, phys=LAN, wiring=wiring) as bus:
        mdio = open_ftdi(f"ftdi://ftdi:{CHIPS[chip][0]}/1?wiring={wiring}&freq=2e6")
        assert (mdio.read(1, 2), mdio.read(1, 3)) == PHYSID
        assert [f.data for f in mdio.batch([Frame(22, "read", 1, r) for r in range(32)])] == (
            sim_values()
        )
        mdio.write(1, 4, 0x0061)
        assert mdio.read(1, 4) == 0x0061
        channel = bus.devices[0].channel(1)
        assert channel.stats.bulk_writes >= mdio.usb_writes  # pyftdi's writes are real
        mdio.close()
        assert channel.mode == "uart"


def test_the_sync_probe_does_not_wait_for_the_latency_timer() -> None:
    with emulated_usb("ft4232h", phys=LAN) as bus:
        mdio = open_ftdi("ftdi://ftdi:4232h/1?latency=16")
        stats = bus.devices[0].channel(1).stats
        mdio.close()
        assert stats.latency_packets == 0, "an answer waited for the latency timer"


def test_frames_are_sent_with_send_immediate() -> None:
    with emulated_usb("ft4232h", phys=LAN) as bus:
        mdio = open_ftdi("ftdi://ftdi:4232h/1?latency=16")
        stats = bus.devices[0].channel(1).stats
        waited, start = stats.latency_packets, bus.clock_ms
        assert mdio.read(1, 2) == PHYSID[0]
        assert stats.latency_packets == waited and stats.immediate_packets >= 1
        assert bus.clock_ms - start < 1.0  # no 16 ms latency-timer wait
        mdio.close()


# -- bulk transfers --------------------------------------------------------------------------


def test_a_command_split_anywhere_between_two_bulk_writes() -> None:
    with emulated_usb("ft232h", phys=LAN) as bus:
        ftdi = open_raw("ftdi://ftdi:232h/1")
        ftdi.write_data(init_commands("ft232h", 2.5e6, "tristate"))
        channel = bus.devices[0].channel(1)
        commands = encode_frame(Frame(22, "read", 1, 3), "tristate").commands + b"\x87"
        boundaries, at = set(), 0
        while at < len(commands):
            at += mpsse_command(commands, at, True, True)[0]
            boundaries.add(at)
        for cut in range(1, len(commands)):
            before = channel.stats.straddles
            ftdi.usb_dev.write(0x02, commands[:cut])
            ftdi.usb_dev.write(0x02, commands[cut:])
            reply = bytes(ftdi.read_data_bytes(3, 4))
            assert reply[1] << 8 | reply[2] == PHYSID[1], cut
            assert channel.stats.straddles - before == (cut not in boundaries), cut
        ftdi.close()


def test_pyftdi_chunks_a_batch_and_commands_straddle_its_transfers() -> None:
    # Full-duplex reads are 14 bytes: the FT232H's 1 KiB bulk transfers cut commands.
    with emulated_usb("ft232h", phys=LAN, wiring="resistor") as bus:
        ftdi = open_raw("ftdi://ftdi:232h/1")
        channel = bus.devices[0].channel(1)
        writes = channel.stats.bulk_writes
        regs = list(range(32)) * 8
        assert mpsse_read(ftdi, "ft232h", regs, "resistor") == sim_values(regs)
        assert channel.stats.straddles >= 2
        assert channel.stats.bulk_writes - writes > 3  # 1 init + 2 batches of 1,779 bytes
        ftdi.close()


def test_every_in_packet_starts_with_the_modem_status() -> None:
    with emulated_usb("ft232h", phys=LAN) as bus:
        ftdi = open_raw("ftdi://ftdi:232h/1")
        ftdi.write_data(init_commands("ft232h", 2.5e6, "tristate"))
        read = encode_frame(Frame(22, "read", 1, 2), "tristate").commands
        # 300 reads: 900 reply bytes, more than one 512-byte packet.
        ftdi.write_data(read * 300 + b"\x87")
        raw = ftdi.usb_dev.read(0x81, 1024).tobytes()
        assert len(raw) == 512 + 2 + 390
        assert raw[:2] == raw[512:514] == MODEM_STATUS
        payload = raw[2:512] + raw[514:]
        assert payload == bytes([0x02, 0x00, 0x07]) * 300  # TA2 low, then PHYSID1
        # pyftdi strips the two bytes from every packet.
        ftdi.write_data(read * 300 + b"\x87")
        assert bytes(ftdi.read_data_bytes(900, 4)) == payload
        # Nothing to send: the latency timer expires and only the status comes.
        start = bus.clock_ms
        assert ftdi.usb_dev.read(0x81, 512).tobytes() == MODEM_STATUS
        assert bus.clock_ms - start == pytest.approx(2, abs=0.2)  # latency=2 ms
        ftdi.close()


def test_latency_timer_and_send_immediate() -> None:
    with emulated_usb("ft4232h") as bus:
        ftdi = open_raw("ftdi://ftdi:4232h/1")
        ftdi.set_latency_timer(16)
        for probe, wait in ((b"\xaa", 16), (b"\xaa\x87", 0)):
            start = bus.clock_ms
            ftdi.write_data(probe)
            assert bytes(ftdi.read_data_bytes(2, 4)) == b"\xfa\xaa"
            assert bus.clock_ms - start == pytest.approx(wait, abs=0.5), probe
        ftdi.close()


# -- faults ----------------------------------------------------------------------------------


def test_unplugged_mid_batch(caplog: pytest.LogCaptureFixture) -> None:
    with emulated_usb("ft4232h", phys=LAN) as bus:
        mdio = open_ftdi("ftdi://ftdi:4232h/1")
        device: EmulatedDevice = bus.devices[0]
        # 1,400 reads: 682 per batch (2 KiB reply buffer), 8 bulk writes of 2 KiB each;
        # the cable goes in the second bulk write of the second batch.
        device.unplug(after_writes=9)
        frames = [Frame(22, "read", 1, 2)] * 1400
        with pytest.raises(TransferError, match=r"exchange 2 .*\[Errno 19\] No such device") as e:
            mdio.batch(frames)
        assert (len(e.value.completed), len(e.value.pending)) == (682, 718)
        with pytest.raises(TransferError, match="No such device"):
            mdio.read(1, 2)
        UsbTools.flush_cache()  # as pyftdi asks after an unplug
        assert Ftdi.list_devices() == []
        with caplog.at_level(logging.WARNING, logger="pyftdi.ftdi"):
            mdio.close()  # quiet: pyftdi logs that the device may be gone
        assert "may be gone" in caplog.text


def test_unplugged_during_one_write() -> None:
    with emulated_usb("ft232h", phys=LAN) as bus:
        ftdi = open_raw("ftdi://ftdi:232h/1")
        bus.devices[0].unplug(after_writes=2)
        sent = bus.devices[0].channel(1).stats.bytes_out
        with pytest.raises(FtdiError, match=r"UsbError: \[Errno 19\] No such device"):
            ftdi.write_data(b"\x85" * 5000)  # 5 bulk transfers; the third fails
        assert bus.devices[0].channel(1).stats.bytes_out - sent == 2048
        with pytest.raises(USBError) as caught:
            ftdi.usb_dev.read(0x81, 512)
        assert caught.value.errno == errno.ENODEV


def test_a_timeout_then_purge_and_resynchronisation() -> None:
    with emulated_usb("ft4232h", phys=LAN) as bus:
        mdio = open_ftdi("ftdi://ftdi:4232h/1")
        channel = bus.devices[0].channel(1)
        channel.time_out_reads(1)
        start = bus.clock_ms
        with pytest.raises(TransferError, match=r"\[Errno 110\] Operation timed out"):
            mdio.read(1, 2)
        assert bus.clock_ms - start >= 5000  # pyftdi's 5 s read timeout, in virtual time
        assert len(channel.to_host) == 3  # the late answer is still in the chip
        resets = [r for r in bus.devices[0].requests if r[1] == 0x00]
        assert (mdio.read(1, 3), mdio.read(1, 2)) == (PHYSID[1], PHYSID[0])
        purges = [r[2] for r in bus.devices[0].requests if r[1] == 0x00][len(resets) :]
        assert purges == [1, 2]  # physcapy purged both ways, then probed again
        mdio.close()


def test_a_full_reply_buffer_stops_the_engine_and_the_write_times_out() -> None:
    with emulated_usb("ft4232h", phys=LAN) as bus:
        ftdi = open_raw("ftdi://ftdi:4232h/1")
        ftdi.write_data(init_commands("ft4232h", 2.5e6, "tristate"))
        channel = bus.devices[0].channel(1)
        read = encode_frame(Frame(22, "read", 1, 2), "tristate").commands
        ftdi.write_data(read * 200)  # 600 reply bytes, not read
        start = bus.clock_ms
        with pytest.raises(FtdiError, match=r"\[Errno 110\] Operation timed out"):
            ftdi.write_data(read * 600)  # 1,800 more: over the 2 KiB buffer
        assert channel.stats.stalls == 1 and channel.stats.write_timeouts == 2
        assert bus.clock_ms - start >= 5000
        assert len(channel.to_host) == 2047  # 682 answers; the 683rd waits for room
        assert len(channel.to_chip) == channel.to_chip_capacity  # and the FIFO is full
        # Reading lets the engine go on with what the FIFO holds; nothing was dropped.
        got = bytes(ftdi.read_data_bytes(4096, 4))
        assert len(got) % 3 == 0 and got == bytes([0x02, 0x00, 0x07]) * (len(got) // 3)
        assert not channel.to_chip and not channel.to_host
        ftdi.close()


def test_permission_denied_at_open_is_pyusbs_value_error() -> None:
    with emulated_usb() as bus:
        bus.add("ft232h", deny_access=True)
        # libusb_open fails with EACCES; pyusb then finds no LANGID and says so.
        with pytest.raises(ValueError, match=r"no langid \(permission issue"):
            Ftdi().open_mpsse_from_url("ftdi://ftdi:232h/1")
        dev = usb.core.find(backend=bus, idVendor=0x0403)
        with pytest.raises(USBError) as caught:
            dev.set_configuration()
        assert caught.value.errno == errno.EACCES


def test_permission_denied_names_the_udev_rule() -> None:
    with emulated_usb() as bus:
        bus.add("ft232h", deny_access=True)
        with pytest.raises(PhyscapyError, match=r"denied.*udev rule.*idVendor.*0403"):
            open_ftdi("ftdi://ftdi:232h/1")


def test_mpsse_command_lengths() -> None:
    def length(data: bytes, h_series: bool = True, drivezero: bool = True) -> object:
        found = mpsse_command(data, 0, h_series, drivezero)
        return found and found[0]

    assert length(b"\x11\x07\x00" + bytes(8)) == 11 and length(b"\x11\x07\x00" + bytes(7)) is None
    assert [length(b"\x13\x05\x00"), length(b"\x22\x01"), length(b"\x80\x02\x03")] == [3, 2, 3]
    assert [length(b"\x82\x00\x00"), length(b"\x8e\x00"), length(b"\x87")] == [3, 2, 1]
    assert length(b"\x9e\x02\x00") == 3 and length(b"\x9e\x02\x00", drivezero=False) == 1
    assert length(b"\x8e\x00", h_series=False) == 1  # a bad opcode on an FT2232D
    assert mpsse_command(b"\x31\x00\x00\xff", 0, True, True) == (4, 1)


def test_raw_control_transfers_need_a_present_device() -> None:
    with emulated_usb("ft232h") as bus:
        dev = Ftdi.get_device("ftdi://ftdi:232h/1")
        buf = array.array("B", bytes(2))
        assert dev.ctrl_transfer(0xC0, 0x05, 0, 1, buf) == 2 and bytes(buf) == MODEM_STATUS
        bus.devices[0].unplug()
        with pytest.raises(USBError) as caught:
            dev.ctrl_transfer(0xC0, 0x05, 0, 1, 2)
        assert caught.value.errno == errno.ENODEV
