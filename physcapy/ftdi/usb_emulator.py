# SPDX-License-Identifier: GPL-2.0-only
"""Emulated FTDI chips at the USB level: a pyusb back end that pyftdi's own code runs on.

:class:`UsbEmulator` is a ``usb.backend.IBackend`` presenting FT232H, FT2232H,
FT4232H, FT2232D and FT232R chips (VID 0x0403) with their descriptors, the FTDI
vendor requests, and bulk endpoints whose bytes go into physcapy's pin-level MPSSE
and synchronous bit-bang emulators (:mod:`physcapy.ftdi.emulator`,
:mod:`physcapy.ftdi.bitbang`) wired to simulated PHYs.  Installed with
:func:`emulated_usb`, it is what ``pyftdi.usbtools.UsbTools`` loads, so URL lookup,
the control requests, the chunking of writes, the 2-byte modem status in every IN
packet and pyftdi's error conversion all run for real, with no adapter attached:

    >>> from pyftdi.ftdi import Ftdi
    >>> from physcapy.ftdi.device import open_ftdi
    >>> with emulated_usb("ft4232h", phys="lan8720a@1") as usb:
    ...     print(Ftdi.list_devices()[0][0].description)
    ...     bus = open_ftdi("ftdi://ftdi:4232h/1")
    ...     print(hex(bus.read(1, 2)), hex(bus.read(1, 3)))
    ...     bus.close()
    ...     print(usb.devices[0].channels[0].stats.bulk_writes > 0)
    Quad RS232-HS
    0x7 0xc0f1
    True

What the chip does with the bytes, as the FTDI application notes describe it:

* **Bulk OUT** bytes are queued in the channel's host-to-chip FIFO and executed as
  whole MPSSE commands (AN_108): a command split across two bulk transfers (pyftdi
  writes at most one FIFO's worth per transfer) waits for its missing bytes.  In
  synchronous bit-bang each byte is applied and answered with the pins sampled before
  it (AN232R-01).
* **Back-pressure**: the engine stops when the chip-to-host buffer is full (a reply is
  not dropped); the host-to-chip FIFO then fills and a bulk write that cannot place its
  bytes times out, as libusb reports it (a partial write returns its count).
* **Bulk IN** packets are ``wMaxPacketSize`` long at most, each starting with the two
  modem-status bytes (AN232B-04).  A full packet goes at once; less than a packet goes
  when SEND_IMMEDIATE (0x87) asked for it, or when the latency timer expires; an IN
  with nothing to send waits for the timer and returns the status bytes alone.
* **Time** is virtual (:attr:`UsbEmulator.clock_ms`): every bulk transfer takes one USB
  (micro)frame, MDC clocking takes its wire time, a latency-timer wait or a timeout
  moves the clock forward.  Nothing sleeps.

Faults for tests: :meth:`EmulatedDevice.unplug` (ENODEV on the next transfer, or after
a number of bulk writes), :meth:`EmulatedChannel.time_out_reads` /
:meth:`EmulatedChannel.time_out_writes` (libusb's timeout), a full reply buffer (lower
:attr:`EmulatedChannel.to_host_capacity`, or write without reading), and
``deny_access=True`` (the EACCES libusb gives without a udev rule).

Not modelled: electrical timing and real USB scheduling, UART data, asynchronous
bit-bang samples, CBUS, MCU/FIFO modes, WAIT_ON_IO, JTAG TMS commands (parsed for their
length, then left to the pin-level emulator, which rejects them); what a real chip does
when asked for a mode it lacks (MPSSE on an FT232R, on FT4232H channels C/D or FT2232D
channel B) is not documented: here the request is accepted and ignored.
"""

from __future__ import annotations

import array
import errno
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import usb.backend
from usb.core import USBError, USBTimeoutError
from usb.util import dispose_resources

from physcapy.errors import PhyscapyError, UnknownNameError
from physcapy.ftdi.bitbang import SyncBitbangEmulator
from physcapy.ftdi.emulator import MpsseEmulator
from physcapy.sim.bus import SimBus

__all__ = [
    "CHIP_SPECS",
    "MODEM_STATUS",
    "ChannelStats",
    "ChipSpec",
    "EmulatedChannel",
    "EmulatedDevice",
    "UsbEmulator",
    "UsbEmulatorError",
    "chip_spec",
    "decode_baudrate",
    "emulated_usb",
    "get_backend",
    "mpsse_command",
]

FTDI_VID = 0x0403

# libusb's messages and codes, as pyusb's libusb1 back end raises them.
_NO_DEVICE = ("No such device (it may have been disconnected)", -4, errno.ENODEV)
_ACCESS = ("Access denied (insufficient permissions)", -3, errno.EACCES)
_TIMEOUT = ("Operation timed out", -7, errno.ETIMEDOUT)
_PIPE = ("Pipe error", -9, errno.EPIPE)  # a STALLed request

# Bit modes (the high byte of SET_BITMODE's wValue; FTDI AN_232R-01, AN_108).
MODE_RESET, MODE_BITBANG, MODE_MPSSE, MODE_SYNCBB = 0x00, 0x01, 0x02, 0x04
_MODE_NAMES = {
    MODE_RESET: "uart",
    MODE_BITBANG: "bitbang",  # asynchronous: pins follow the bytes, no samples modelled
    MODE_MPSSE: "mpsse",
    MODE_SYNCBB: "syncbb",
}

#: The two bytes at the start of every IN packet: modem status (bit 0 is always 1,
#: CTS/DSR/RI/DCD not asserted) and line status (transmitter holding register and
#: transmitter empty) - AN232B-04, the Linux ftdi_sio.h comments.
MODEM_STATUS = bytes([0x01, 0x60])

SEND_IMMEDIATE = 0x87


class UsbEmulatorError(PhyscapyError):
    """The emulated USB bus is used wrongly (unknown chip, installed twice...)."""


@dataclass(frozen=True)
class ChipSpec:
    """What a chip shows on USB and the FIFOs behind its endpoints."""

    name: str
    pid: int
    bcd_device: int
    #: iProduct of a chip without a programmed EEPROM (FTDI's defaults).
    product: str
    channels: int
    #: Channels (1-based, as pyftdi's URLs count) with an MPSSE.
    mpsse_channels: tuple[int, ...]
    high_speed: bool
    #: Host-to-chip and chip-to-host FIFO per channel, in bytes (datasheets).
    to_chip_fifo: int
    to_host_fifo: int
    eeprom_size: int
    #: The chip's name for :class:`physcapy.ftdi.emulator.MpsseEmulator`.
    emulator_chip: str | None

    @property
    def max_packet(self) -> int:
        return 512 if self.high_speed else 64


CHIP_SPECS: dict[str, ChipSpec] = {
    spec.name: spec
    for spec in (
        ChipSpec(
            "ft232h", 0x6014, 0x0900, "Single RS232-HS", 1, (1,), True, 1024, 1024, 256, "ft232h"
        ),
        ChipSpec(
            "ft2232h", 0x6010, 0x0700, "Dual RS232-HS", 2, (1, 2), True, 4096, 4096, 256, "ft2232h"
        ),
        ChipSpec(
            "ft4232h", 0x6011, 0x0800, "Quad RS232-HS", 4, (1, 2), True, 2048, 2048, 256, "ft4232h"
        ),
        # FT2232C and FT2232D share bcdDevice 0x0500; only channel A has the MPSSE.
        ChipSpec("ft2232d", 0x6010, 0x0500, "Dual RS232", 2, (1,), False, 128, 384, 256, "ft2232d"),
        ChipSpec("ft232r", 0x6001, 0x0600, "FT232R USB UART", 1, (), False, 256, 128, 128, None),
    )
}


def chip_spec(name: str) -> ChipSpec:
    key = name.lower().replace("-", "").replace("_", "")
    key = "ft" + key.removeprefix("ft")
    key = {"ft2232c": "ft2232d"}.get(key, key)
    if key not in CHIP_SPECS:
        raise UnknownNameError("emulated USB FTDI chip", name, CHIP_SPECS)
    return CHIP_SPECS[key]


# -- MPSSE command boundaries ------------------------------------------------------------

_H_ONLY = frozenset({0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x94, 0x95, 0x96, 0x97, 0x9C, 0x9D, 0x9E})
_TMS = frozenset({0x4A, 0x4B, 0x6A, 0x6B, 0x6E, 0x6F})


def mpsse_command(
    buf: bytes | bytearray, i: int, h_series: bool, drivezero: bool
) -> tuple[int, int] | None:
    """(length, reply bytes) of the MPSSE command at ``buf[i]``; None while incomplete.

    Lengths follow AN_108: clock-data commands (0x10-0x3F) carry a length and, when
    they write, their data; an opcode the chip does not know is one byte, answered
    with 0xFA and the opcode (so are the H-series commands on an FT2232D, and drive-zero
    anywhere but on the FT232H).

    >>> mpsse_command(bytes([0x11, 0x01, 0x00, 0xAA]), 0, True, False)  # one data byte short
    >>> mpsse_command(bytes([0x11, 0x01, 0x00, 0xAA, 0x55]), 0, True, False)
    (5, 0)
    >>> mpsse_command(b"\\x20\\x01\\x00", 0, True, False), mpsse_command(b"\\xaa", 0, True, False)
    ((3, 2), (1, 2))
    """
    op = buf[i]
    avail = len(buf) - i

    def sized(length: int, reply: int) -> tuple[int, int] | None:
        return (length, reply) if avail >= length else None

    if 0x10 <= op <= 0x3F:  # bit 1: bits, bit 4: writes data out, bit 5: reads data in
        if op & 0x02:
            return sized(3 if op & 0x10 else 2, 1 if op & 0x20 else 0)
        if avail < 3:
            return None
        count = (buf[i + 1] | buf[i + 2] << 8) + 1
        return sized(3 + (count if op & 0x10 else 0), count if op & 0x20 else 0)
    if op in _TMS:
        return sized(3, 1 if op & 0x20 else 0)
    if op in _H_ONLY and (not h_series or (op == 0x9E and not drivezero)):
        return (1, 2)  # not known to this chip: a bad opcode
    if op in (0x80, 0x82, 0x86, 0x8F, 0x9C, 0x9D, 0x9E):
        return sized(3, 0)
    if op == 0x8E:
        return sized(2, 0)
    if op in (0x81, 0x83):
        return (1, 1)
    if op in (0x84, 0x85, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x94, 0x95, 0x96, 0x97):
        return (1, 0)
    return (1, 2)  # bad command: 0xFA and the opcode come back


# -- baud rate and EEPROM ----------------------------------------------------------------

#: AN232B-05: the divisor's three sub-integer bits -> eighths.
_FRACTION_EIGHTHS = (0, 4, 2, 1, 3, 5, 6, 7)


def decode_baudrate(value: int, index: int, spec: ChipSpec) -> float:
    """The UART rate a SET_BAUDRATE request sets (AN232B-05 / AN_120 divisors).

    >>> decode_baudrate(0x4138, 0x0000, CHIP_SPECS["ft232r"])  # 9600 Bd: 312.5
    9600.0
    """
    multi = spec.bcd_device >= 0x0700 or spec.bcd_device == 0x0500
    divisor = value | ((index >> 8) if multi else index) << 16
    integer, eighths = divisor & 0x3FFF, _FRACTION_EIGHTHS[(divisor >> 14) & 7]
    clock = 12e6 if spec.high_speed and divisor & 0x20000 else 3e6
    if integer == 0 and eighths == 0:
        return clock  # divisor 0 means 1
    if integer == 1 and eighths == 0:
        return clock / 1.5  # divisor 1 means 1.5
    return clock / (integer + eighths / 8)


def _eeprom_checksum(data: bytes | bytearray) -> int:
    """FTDI's EEPROM checksum over every word but the last (0xAAAA, xor, rotate left)."""
    checksum = 0xAAAA
    for k in range(0, len(data) - 2, 2):
        checksum ^= data[k] | data[k + 1] << 8
        checksum = ((checksum << 1) | (checksum >> 15)) & 0xFFFF
    return checksum


def _eeprom_image(spec: ChipSpec, serial: str) -> bytearray:
    """An FT232R's factory EEPROM (IDs, power, the three strings, checksum); for the
    chips with an external EEPROM, a blank one (all 0xFF)."""
    image = bytearray(b"\xff" * spec.eeprom_size)
    if spec.name != "ft232r":
        return image
    image[:] = bytes(spec.eeprom_size)
    for offset, word in ((2, FTDI_VID), (4, spec.pid), (6, spec.bcd_device)):
        image[offset : offset + 2] = word.to_bytes(2, "little")
    image[8], image[9] = 0xA0, 45  # bus powered, remote wake-up; 90 mA
    offset = 0x18  # the strings, as USB string descriptors, pointed at from 0x0E
    for slot, text in enumerate(("FTDI", spec.product, serial)):
        encoded = text.encode("utf-16-le")
        desc = bytes([2 + len(encoded), 3]) + encoded
        image[0x0E + 2 * slot] = offset | 0x80
        image[0x0F + 2 * slot] = len(desc)
        image[offset : offset + len(desc)] = desc
        offset += len(desc)
    checksum = _eeprom_checksum(image)
    image[-2:] = checksum.to_bytes(2, "little")
    return image


# -- one channel (interface) of a chip ---------------------------------------------------


@dataclass
class ChannelStats:
    """What crossed one channel's endpoints (payload bytes, without status headers)."""

    bulk_writes: int = 0
    bulk_reads: int = 0
    bytes_out: int = 0
    bytes_in: int = 0
    #: IN packets by why they were sent: full, after SEND_IMMEDIATE, at the latency
    #: timer with data, at the latency timer with the status bytes alone.
    full_packets: int = 0
    immediate_packets: int = 0
    latency_packets: int = 0
    status_only_packets: int = 0
    #: Bulk writes that ended inside an MPSSE command (its rest came in the next one).
    straddles: int = 0
    #: Times the engine stopped because the chip-to-host buffer was full.
    stalls: int = 0
    write_timeouts: int = 0
    read_timeouts: int = 0


class EmulatedChannel:
    """One FTDI channel (USB interface): its mode, FIFOs, latency timer and engine."""

    def __init__(self, device: EmulatedDevice, number: int, sim: SimBus, wiring: str):
        spec = device.spec
        self.device = device
        self.number = number  # 1 = A, as pyftdi's URLs count
        self.sim = sim
        self.wiring = wiring
        self.mode = "uart"
        self.direction = 0
        self.mpsse: MpsseEmulator | None = None
        self.bitbang: SyncBitbangEmulator | None = None
        self.to_chip = bytearray()  # written by the host, not yet executed
        self.to_host = bytearray()  # answers not yet sent to the host
        self.to_chip_capacity = spec.to_chip_fifo
        self.to_host_capacity = spec.to_host_fifo
        self.latency_ms = 16  # the power-on value
        self.baudrate: float | None = None
        self.settings: dict[str, int] = {}  # event/error characters, flow control, line...
        self.refused_modes: list[int] = []
        self.stats = ChannelStats()
        self._flush = 0  # bytes at the front of to_host that SEND_IMMEDIATE releases
        self._last_packet_ms = 0.0
        self._stalled = False
        self._read_timeouts = 0
        self._write_timeouts = 0

    @property
    def in_endpoint(self) -> int:
        return 0x81 + 2 * (self.number - 1)

    @property
    def out_endpoint(self) -> int:
        return 0x02 + 2 * (self.number - 1)

    @property
    def has_mpsse(self) -> bool:
        return self.number in self.device.spec.mpsse_channels

    # -- faults ------------------------------------------------------------------------

    def time_out_reads(self, count: int = 1) -> None:
        """The next ``count`` bulk reads time out (the chip stops answering IN tokens);
        what it holds stays, and comes late."""
        self._read_timeouts += count

    def time_out_writes(self, count: int = 1) -> None:
        """The next ``count`` bulk writes time out with nothing accepted."""
        self._write_timeouts += count

    # -- control requests --------------------------------------------------------------

    def set_bitmode(self, mask: int, mode: int) -> None:
        if mode == MODE_MPSSE and not self.has_mpsse:
            # Not documented what the silicon does; pyftdi never asks (it checks the
            # chip first), so accept and ignore, and keep a note for tests.
            self.refused_modes.append(mode)
            return
        if mode not in _MODE_NAMES:
            self.refused_modes.append(mode)  # CBUS, MCU, fast opto, FIFO: not modelled
            return
        self.mode, self.direction = _MODE_NAMES[mode], mask
        self.mpsse = self.bitbang = None
        self._stalled = False
        if mode == MODE_MPSSE:
            chip = self.device.spec.emulator_chip
            assert chip is not None  # every chip with an MPSSE channel has one
            self.mpsse = MpsseEmulator(chip, self.sim, self.wiring)
        elif mode in (MODE_SYNCBB, MODE_BITBANG):
            self.bitbang = SyncBitbangEmulator(self.sim, self.device.spec.name)
        self._run()

    def reset(self, what: int) -> None:
        """SIO_RESET: 0 resets the channel's buffers, 1 purges host-to-chip, 2 chip-to-host."""
        if what in (0, 1):
            self.to_chip.clear()
            self._stalled = False
        if what in (0, 2):
            self.to_host.clear()
            self._flush = 0
            self._run()  # a stalled engine goes on

    def read_pins(self) -> int:
        if self.mpsse is not None:
            return self.mpsse.low_value
        if self.bitbang is not None:
            return self.bitbang.pins | self.bitbang.line() << 2
        return 0xFF

    # -- bulk transfers ----------------------------------------------------------------

    def write(self, data: bytes, timeout_ms: int) -> int:
        usb = self.device.usb
        usb.clock_ms += self.device.frame_ms
        self.stats.bulk_writes += 1
        if self._write_timeouts:
            self._write_timeouts -= 1
            return self._write_timed_out(0, timeout_ms)
        accepted = 0
        while accepted < len(data):
            if self._stalled:
                room = self.to_chip_capacity - len(self.to_chip)
                if room <= 0:
                    break
                take = data[accepted : accepted + room]
            else:
                take = data[accepted:]
            self.to_chip += take
            accepted += len(take)
            self._run()
        self.stats.bytes_out += accepted
        if self.mode == "mpsse" and self.to_chip and not self._stalled:
            self.stats.straddles += 1
        if accepted < len(data):
            return self._write_timed_out(accepted, timeout_ms)
        return accepted

    def _write_timed_out(self, accepted: int, timeout_ms: int) -> int:
        self.device.usb.clock_ms += timeout_ms
        self.stats.write_timeouts += 1
        if accepted:
            return accepted  # libusb returns what went before the timeout
        raise USBTimeoutError(*_TIMEOUT)

    def read(self, size: int, timeout_ms: int) -> bytes:
        usb = self.device.usb
        usb.clock_ms += self.device.frame_ms
        self.stats.bulk_reads += 1
        if self._read_timeouts:
            self._read_timeouts -= 1
            usb.clock_ms += timeout_ms
            self.stats.read_timeouts += 1
            raise USBTimeoutError(*_TIMEOUT)
        start = usb.clock_ms
        packet_size = self.device.spec.max_packet
        out = bytearray()
        while size - len(out) >= 2:
            room = min(packet_size, size - len(out)) - 2
            if len(self.to_host) >= packet_size - 2 and room == packet_size - 2:
                self.stats.full_packets += 1
            elif self._flush:
                self.stats.immediate_packets += 1
            else:
                due = self._last_packet_ms + self.latency_ms
                if due - start > timeout_ms:
                    usb.clock_ms = start + timeout_ms
                    if out:
                        return bytes(out)
                    self.stats.read_timeouts += 1
                    raise USBTimeoutError(*_TIMEOUT)
                usb.clock_ms = max(usb.clock_ms, due)
                if self.to_host:
                    self.stats.latency_packets += 1
                else:
                    self.stats.status_only_packets += 1
            payload = bytes(self.to_host[:room])
            del self.to_host[:room]
            self._flush = max(0, self._flush - len(payload))
            self._last_packet_ms = usb.clock_ms
            out += MODEM_STATUS + payload
            self.stats.bytes_in += len(payload)
            self._run()  # room in the buffer again: a stalled engine goes on
            if len(payload) < packet_size - 2:
                break  # a short packet ends the transfer
        return bytes(out)

    # -- the engines -------------------------------------------------------------------

    def _run(self) -> None:
        if self.mpsse is not None:
            self._run_mpsse(self.mpsse)
        elif self.bitbang is not None:
            self._run_bitbang(self.bitbang)
        else:
            self.to_chip.clear()  # UART mode: the bytes leave on TXD (not modelled)

    def _run_mpsse(self, engine: MpsseEmulator) -> None:
        spec = self.device.spec
        h_series, drivezero = spec.high_speed, spec.name == "ft232h"
        was_stalled, self._stalled = self._stalled, False
        while self.to_chip:
            end, expected, immediate = 0, 0, False
            while end < len(self.to_chip):
                command = mpsse_command(self.to_chip, end, h_series, drivezero)
                if command is None:
                    break  # the rest of this command is in a later bulk transfer
                length, reply = command
                if (end or self.to_host) and (
                    len(self.to_host) + expected + reply > self.to_host_capacity
                ):
                    self._stalled = True  # the MPSSE waits for the host to read
                    break
                immediate = self.to_chip[end] == SEND_IMMEDIATE
                end += length
                expected += reply
                if immediate:
                    break
            if not end:
                break
            commands = bytes(self.to_chip[:end])
            del self.to_chip[:end]
            edges = engine.edges
            self.to_host += engine.execute(commands)
            if immediate:
                self._flush = len(self.to_host)
            if engine.edges != edges and engine.divisor is not None:
                base = engine.chip.base_hz / (5 if engine.chip.h_series and engine.div5 else 1)
                mdc_hz = base / ((1 + engine.divisor) * 2)
                self.device.usb.clock_ms += (engine.edges - edges) / mdc_hz * 1e3
            if self._stalled:
                break
        if self._stalled and not was_stalled:
            self.stats.stalls += 1

    def _run_bitbang(self, engine: SyncBitbangEmulator) -> None:
        sync = self.mode == "syncbb"
        was_stalled, self._stalled = self._stalled, False
        while self.to_chip:
            room = self.to_host_capacity - len(self.to_host) if sync else len(self.to_chip)
            if room <= 0:
                self._stalled = True  # sync bit-bang waits for room for its samples
                self.stats.stalls += 0 if was_stalled else 1
                return
            chunk = bytes(self.to_chip[: min(room, 256)])
            del self.to_chip[: len(chunk)]
            engine.write_data(chunk)
            samples = engine.read_data_bytes(len(chunk))
            if sync:
                self.to_host += samples  # asynchronous samples are not modelled


# -- one USB device ----------------------------------------------------------------------


class _Handle:
    """What ``open_device`` returns: an open device."""

    def __init__(self, device: EmulatedDevice):
        self.device = device


class EmulatedDevice:
    """One FTDI chip on the emulated bus."""

    def __init__(
        self,
        usb: UsbEmulator,
        spec: ChipSpec,
        buses: Sequence[SimBus],
        wiring: str,
        serial: str,
        address: int,
        deny_access: bool = False,
    ):
        self.usb = usb
        self.spec = spec
        self.serial = serial
        self.bus_number = 1
        self.address = address
        self.deny_access = deny_access
        self.unplugged = False
        self.configuration = 1
        self.channels = [
            EmulatedChannel(self, n + 1, buses[n], wiring) for n in range(spec.channels)
        ]
        self.eeprom = _eeprom_image(spec, serial)
        #: Every control request: (bmRequestType, bRequest, wValue, wIndex).
        self.requests: list[tuple[int, int, int, int]] = []
        self._unplug_after: int | None = None

    def __repr__(self) -> str:
        return f"<EmulatedDevice {self.spec.name} serial {self.serial!r} at {self.bus_number}:{self.address}>"

    @property
    def frame_ms(self) -> float:
        """One USB (micro)frame: 125 us at high speed, 1 ms at full speed."""
        return 0.125 if self.spec.high_speed else 1.0

    def channel(self, number: int) -> EmulatedChannel:
        """Channel ``number`` (1 = A)."""
        return self.channels[number - 1]

    def unplug(self, after_writes: int = 0) -> None:
        """Pull the cable now, or when ``after_writes`` more bulk writes have gone
        through: every later transfer fails with ENODEV, enumeration no longer finds it."""
        if after_writes:
            self._unplug_after = after_writes
        else:
            self.unplugged = True

    def check_present(self) -> None:
        if self.unplugged:
            raise USBError(*_NO_DEVICE)

    def _count_write(self) -> None:
        if self._unplug_after is not None:
            if self._unplug_after == 0:
                self.unplugged = True
                self._unplug_after = None
            else:
                self._unplug_after -= 1
        self.check_present()

    # -- descriptors -------------------------------------------------------------------

    def strings(self) -> dict[int, str]:
        found = {1: "FTDI", 2: self.spec.product}
        if self.serial:
            found[3] = self.serial
        return found

    def device_descriptor(self) -> SimpleNamespace:
        spec = self.spec
        return SimpleNamespace(
            bLength=18,
            bDescriptorType=1,
            bcdUSB=0x0200,
            bDeviceClass=0,
            bDeviceSubClass=0,
            bDeviceProtocol=0,
            bMaxPacketSize0=64 if spec.high_speed else 8,
            idVendor=FTDI_VID,
            idProduct=spec.pid,
            bcdDevice=spec.bcd_device,
            iManufacturer=1,
            iProduct=2,
            iSerialNumber=3 if self.serial else 0,
            bNumConfigurations=1,
            address=self.address,
            bus=self.bus_number,
            port_number=self.address,
            port_numbers=(self.address,),
            speed=3 if spec.high_speed else 2,  # libusb: LIBUSB_SPEED_HIGH / _FULL
        )

    def configuration_descriptor(self) -> SimpleNamespace:
        return SimpleNamespace(
            bLength=9,
            bDescriptorType=2,
            wTotalLength=9 + self.spec.channels * (9 + 2 * 7),
            bNumInterfaces=self.spec.channels,
            bConfigurationValue=1,
            iConfiguration=0,
            bmAttributes=0xA0 if self.spec.name == "ft232r" else 0x80,
            bMaxPower=45,  # 90 mA
            extra_descriptors=[],
        )

    def interface_descriptor(self, number: int) -> SimpleNamespace:
        return SimpleNamespace(
            bLength=9,
            bDescriptorType=4,
            bInterfaceNumber=number,
            bAlternateSetting=0,
            bNumEndpoints=2,
            bInterfaceClass=0xFF,
            bInterfaceSubClass=0xFF,
            bInterfaceProtocol=0xFF,
            iInterface=2,
            extra_descriptors=[],
        )

    def endpoint_descriptor(self, interface: int, index: int) -> SimpleNamespace:
        channel = self.channels[interface]
        return SimpleNamespace(
            bLength=7,
            bDescriptorType=5,
            bEndpointAddress=channel.in_endpoint if index == 0 else channel.out_endpoint,
            bmAttributes=0x02,  # bulk
            wMaxPacketSize=self.spec.max_packet,
            bInterval=0,
            bRefresh=0,
            bSynchAddress=0,
            extra_descriptors=[],
        )

    def descriptor_bytes(self, kind: int, index: int) -> bytes:
        """GET_DESCRIPTOR's answer: device (1), configuration (2) or string (3)."""
        if kind == 1:
            d = self.device_descriptor()
            return (
                bytes([18, 1])
                + d.bcdUSB.to_bytes(2, "little")
                + bytes([0, 0, 0, d.bMaxPacketSize0])
                + b"".join(x.to_bytes(2, "little") for x in (d.idVendor, d.idProduct, d.bcdDevice))
                + bytes([1, 2, d.iSerialNumber, 1])
            )
        if kind == 2 and index == 0:
            c = self.configuration_descriptor()
            out = bytearray([9, 2, *c.wTotalLength.to_bytes(2, "little"), c.bNumInterfaces])
            out += bytes([1, 0, c.bmAttributes, c.bMaxPower])
            for n in range(self.spec.channels):
                out += bytes([9, 4, n, 0, 2, 0xFF, 0xFF, 0xFF, 2])
                for e in range(2):
                    ep = self.endpoint_descriptor(n, e)
                    out += bytes([7, 5, ep.bEndpointAddress, 2])
                    out += ep.wMaxPacketSize.to_bytes(2, "little") + b"\x00"
            return bytes(out)
        if kind == 3 and index == 0:
            return bytes([4, 3, 0x09, 0x04])  # LANGID 0x0409, English (United States)
        if kind == 3 and index in self.strings():
            encoded = self.strings()[index].encode("utf-16-le")
            return bytes([2 + len(encoded), 3]) + encoded
        raise USBError(*_PIPE)

    # -- vendor requests (FTDI AN232B-04/-05, AN_108, and what pyftdi sends) -----------

    def _channel_of(self, index: int) -> EmulatedChannel:
        if self.spec.channels == 1:
            return self.channels[0]  # FT232R/FT232H: wIndex may carry divisor bits
        number = (index & 0xFF) or 1
        if number > self.spec.channels:
            raise USBError(*_PIPE)
        return self.channels[number - 1]

    def vendor_out(self, request: int, value: int, index: int) -> None:
        if request == 0x91:  # write one EEPROM word
            address = 2 * (index % (len(self.eeprom) // 2))
            self.eeprom[address : address + 2] = value.to_bytes(2, "little")
            return
        if request == 0x92:  # erase the EEPROM
            self.eeprom[:] = b"\xff" * len(self.eeprom)
            return
        channel = self._channel_of(index)
        if request == 0x00:
            channel.reset(value)
        elif request == 0x01:
            channel.settings["modem_ctrl"] = value
        elif request == 0x02:
            channel.settings["flow_ctrl"] = index >> 8
        elif request == 0x03:
            channel.baudrate = decode_baudrate(value, index, self.spec)
        elif request == 0x04:
            channel.settings["line"] = value
        elif request == 0x06:
            channel.settings["event_char"] = value
        elif request == 0x07:
            channel.settings["error_char"] = value
        elif request == 0x09:
            channel.latency_ms = value & 0xFF
        elif request == 0x0B:
            channel.set_bitmode(value & 0xFF, value >> 8)
        else:
            raise USBError(*_PIPE)

    def vendor_in(self, request: int, value: int, index: int) -> bytes:
        if request == 0x90:  # read one EEPROM word
            address = 2 * (index % (len(self.eeprom) // 2))
            return bytes(self.eeprom[address : address + 2])
        channel = self._channel_of(index)
        if request == 0x05:
            return MODEM_STATUS
        if request == 0x0A:
            return bytes([channel.latency_ms])
        if request == 0x0C:
            return bytes([channel.read_pins() & 0xFF])
        raise USBError(*_PIPE)


# -- the pyusb back end --------------------------------------------------------------------


def _as_sim(phys: SimBus | str | None) -> SimBus:
    if isinstance(phys, SimBus):
        return phys
    if phys is None:
        return SimBus({})  # nothing on the wire: MDIO stays pulled up
    return SimBus.from_url(phys if phys.startswith("sim://") else f"sim://{phys}")


_ACTIVE: UsbEmulator | None = None


def get_backend() -> UsbEmulator | None:
    """The installed emulator; pyftdi calls this after importing the module by name."""
    return _ACTIVE


class UsbEmulator(usb.backend.IBackend):
    """A USB bus of emulated FTDI chips, as a pyusb back end."""

    def __init__(self) -> None:
        super().__init__()
        self.devices: list[EmulatedDevice] = []
        #: Virtual time on this bus, in milliseconds.
        self.clock_ms = 0.0
        self._saved: tuple[Any, dict[Any, Any], dict[Any, Any]] | None = None

    def add(
        self,
        chip: str,
        phys: SimBus | str | Sequence[SimBus | str | None] | None = None,
        *,
        serial: str | None = None,
        wiring: str = "tristate",
        deny_access: bool = False,
    ) -> EmulatedDevice:
        """Plug in a chip.

        ``phys``: channel A's simulated PHYs (a :class:`SimBus`, a ``sim://`` URL or its
        part after ``sim://``, e.g. ``"lan8720a@1"``), or a sequence with one entry per
        channel; channels without one have an empty bus.  ``serial`` defaults to
        ``FTEMU001``, ``FTEMU002``...; ``""`` is a chip without a serial number (an
        unprogrammed EEPROM).  ``wiring`` is how MDIO reaches the pins.
        """
        spec = chip_spec(chip)
        if phys is None or isinstance(phys, (SimBus, str)):
            given: list[SimBus | str | None] = [phys]
        else:  # one per channel
            given = list(phys)
        if len(given) > spec.channels:
            raise UsbEmulatorError(
                f"{len(given)} PHY buses for a {spec.name}, which has {spec.channels} channel(s)"
            )
        given += [None] * (spec.channels - len(given))
        address = 1 + max((d.address for d in self.devices), default=0)
        device = EmulatedDevice(
            self,
            spec,
            [_as_sim(p) for p in given],
            wiring,
            f"FTEMU{len(self.devices) + 1:03d}" if serial is None else serial,
            address,
            deny_access,
        )
        self.devices.append(device)
        if _ACTIVE is self:
            _flush_pyftdi()  # a hot-plug: pyftdi would not look again otherwise
        return device

    def remove(self, device: EmulatedDevice) -> None:
        """Unplug ``device`` and take it off the bus for good."""
        device.unplug()
        self.devices.remove(device)
        if _ACTIVE is self:
            _flush_pyftdi()

    # -- installing ----------------------------------------------------------------------

    def install(self) -> None:
        """Make pyftdi's ``UsbTools`` use this bus (and only it)."""
        global _ACTIVE
        from pyftdi.usbtools import UsbTools

        if _ACTIVE is not None:
            raise UsbEmulatorError("an emulated USB bus is installed already")
        with UsbTools.Lock:
            self._saved = (UsbTools.BACKENDS, dict(UsbTools.Devices), dict(UsbTools.UsbDevices))
            UsbTools.Devices.clear()
            UsbTools.UsbDevices.clear()
            UsbTools.BACKENDS = (__name__,)
            _ACTIVE = self

    def uninstall(self) -> None:
        """Release what pyftdi still holds of this bus and give it its back ends back."""
        global _ACTIVE
        from pyftdi.usbtools import UsbTools

        if _ACTIVE is not self or self._saved is None:
            return
        with UsbTools.Lock:
            for dev, _count in list(UsbTools.Devices.values()):
                with suppress(USBError):  # an unplugged device: nothing left to release
                    dispose_resources(dev)
            backends, devices, usb_devices = self._saved
            UsbTools.Devices.clear()
            UsbTools.Devices.update(devices)
            UsbTools.UsbDevices.clear()
            UsbTools.UsbDevices.update(usb_devices)
            UsbTools.BACKENDS = backends
            _ACTIVE = None
            self._saved = None

    # -- IBackend ------------------------------------------------------------------------

    def enumerate_devices(self) -> Iterator[EmulatedDevice]:
        return iter([d for d in self.devices if not d.unplugged])

    def get_parent(self, dev: EmulatedDevice) -> None:
        return None

    def get_device_descriptor(self, dev: EmulatedDevice) -> SimpleNamespace:
        return dev.device_descriptor()

    def get_configuration_descriptor(self, dev: EmulatedDevice, config: int) -> SimpleNamespace:
        if config != 0:
            raise IndexError("configuration index out of range")
        return dev.configuration_descriptor()

    def get_interface_descriptor(
        self, dev: EmulatedDevice, intf: int, alt: int, config: int
    ) -> SimpleNamespace:
        if config != 0 or alt != 0 or not 0 <= intf < dev.spec.channels:
            raise IndexError("interface index out of range")
        return dev.interface_descriptor(intf)

    def get_endpoint_descriptor(
        self, dev: EmulatedDevice, ep: int, intf: int, alt: int, config: int
    ) -> SimpleNamespace:
        if config != 0 or alt != 0 or not 0 <= intf < dev.spec.channels or ep not in (0, 1):
            raise IndexError("endpoint index out of range")
        return dev.endpoint_descriptor(intf, ep)

    def open_device(self, dev: EmulatedDevice) -> _Handle:
        dev.check_present()
        if dev.deny_access:
            raise USBError(*_ACCESS)
        return _Handle(dev)

    def close_device(self, dev_handle: _Handle) -> None:
        return None

    def set_configuration(self, dev_handle: _Handle, config_value: int) -> None:
        dev_handle.device.check_present()
        if config_value not in (0, 1):
            raise USBError(*_PIPE)
        dev_handle.device.configuration = config_value

    def get_configuration(self, dev_handle: _Handle) -> int:
        dev_handle.device.check_present()
        return dev_handle.device.configuration

    def set_interface_altsetting(self, dev_handle: _Handle, intf: int, altsetting: int) -> None:
        dev_handle.device.check_present()
        if altsetting != 0:
            raise USBError(*_PIPE)

    def claim_interface(self, dev_handle: _Handle, intf: int) -> None:
        dev_handle.device.check_present()

    def release_interface(self, dev_handle: _Handle, intf: int) -> None:
        # libusb on Linux: the release ioctl fails with ENODEV once the device is gone.
        dev_handle.device.check_present()

    def _channel_at(self, dev: EmulatedDevice, ep: int) -> EmulatedChannel:
        for channel in dev.channels:
            if ep in (channel.in_endpoint, channel.out_endpoint):
                return channel
        raise USBError(*_PIPE)

    def bulk_write(
        self, dev_handle: _Handle, ep: int, intf: int, data: array.array[int], timeout: int
    ) -> int:
        dev = dev_handle.device
        dev._count_write()
        return self._channel_at(dev, ep).write(bytes(data), timeout)

    def bulk_read(
        self, dev_handle: _Handle, ep: int, intf: int, buff: array.array[int], timeout: int
    ) -> int:
        dev = dev_handle.device
        dev.check_present()
        data = self._channel_at(dev, ep).read(len(buff), timeout)
        buff[: len(data)] = array.array("B", data)
        return len(data)

    def ctrl_transfer(
        self,
        dev_handle: _Handle,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: array.array[int],
        timeout: int,
    ) -> int:
        dev = dev_handle.device
        dev.check_present()
        dev.requests.append((bmRequestType, bRequest, wValue, wIndex))
        device_to_host = bool(bmRequestType & 0x80)
        kind = bmRequestType & 0x60
        answer: bytes | None = None
        if kind == 0x00 and device_to_host and bRequest == 0x06:  # GET_DESCRIPTOR
            answer = dev.descriptor_bytes(wValue >> 8, wValue & 0xFF)
        elif kind == 0x00 and device_to_host and bRequest == 0x00:  # GET_STATUS
            answer = bytes(2)
        elif kind == 0x00 and device_to_host and bRequest == 0x08:  # GET_CONFIGURATION
            answer = bytes([dev.configuration])
        elif kind == 0x00 and not device_to_host and bRequest == 0x09:  # SET_CONFIGURATION
            self.set_configuration(dev_handle, wValue)
        elif kind == 0x40 and device_to_host:
            answer = dev.vendor_in(bRequest, wValue, wIndex)
        elif kind == 0x40:
            dev.vendor_out(bRequest, wValue, wIndex)
        else:
            raise USBError(*_PIPE)
        if answer is None:
            return len(data)
        count = min(len(answer), len(data))
        data[:count] = array.array("B", answer[:count])
        return count

    def clear_halt(self, dev_handle: _Handle, ep: int) -> None:
        dev_handle.device.check_present()

    def reset_device(self, dev_handle: _Handle) -> None:
        dev_handle.device.check_present()
        for channel in dev_handle.device.channels:
            channel.set_bitmode(0, MODE_RESET)
            channel.reset(0)

    # No kernel driver (ftdi_sio) is bound to an emulated chip.
    def is_kernel_driver_active(self, dev_handle: _Handle, intf: int) -> bool:
        dev_handle.device.check_present()
        return False

    def detach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        dev_handle.device.check_present()

    def attach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        dev_handle.device.check_present()


def _flush_pyftdi() -> None:
    from pyftdi.usbtools import UsbTools

    UsbTools.flush_cache()


@contextmanager
def emulated_usb(
    *chips: str,
    phys: SimBus | str | Sequence[SimBus | str | None] | None = None,
    wiring: str = "tristate",
) -> Iterator[UsbEmulator]:
    """Install an emulated USB bus for pyftdi, with ``chips`` plugged in (each with its
    own copy of ``phys`` on channel A when that is a URL); remove it afterwards, with
    pyftdi's device caches as they were.  More chips: :meth:`UsbEmulator.add`."""
    emulator = UsbEmulator()
    for name in chips:
        emulator.add(name, phys, wiring=wiring)
    emulator.install()
    try:
        yield emulator
    finally:
        emulator.uninstall()
