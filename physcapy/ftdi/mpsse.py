# SPDX-License-Identifier: GPL-2.0-only
"""MDIO frames as FTDI MPSSE command streams (no I/O).

MDC is the MPSSE clock (AD0, idle low); the station writes on the falling edge
and samples on the rising edge (IEEE 802.3 22.3.4: the PHY samples on the rising
edge and drives read data 0-300 ns after it).  MDIO is AD1 (data out) tied to
AD2 (data in), with one of three wirings (ftdi-mdio.md §1.2):

* ``tristate``: AD1 is switched to an input with SET_BITS_LOW around the
  turnaround and the read data, inside the same stream (every MPSSE chip);
* ``drivezero``: FT232H open-drain mode, a whole frame is one full-duplex command;
* ``resistor``: a series resistor from AD1, which keeps sending ones; the PHY
  overdrives it, so a frame is again one full-duplex command.

    >>> from physcapy.mdio.frames import Frame
    >>> e = encode_frame(Frame(22, "read", 1, 1), "tristate")
    >>> len(e.commands), e.reply_len
    (24, 3)
    >>> e.decode(bytes([0b10, 0x79, 0x6D]))
    (31085, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from physcapy.errors import FrameError, RangeError, UnknownNameError
from physcapy.mdio.frames import Frame

__all__ = [
    "CHIPS",
    "WIRINGS",
    "Batch",
    "Chip",
    "Encoded",
    "clock_divisor",
    "encode_frame",
    "init_commands",
    "plan_batches",
]

# MPSSE opcodes (FTDI AN_108; ftdi-mdio.md §1.3).
WRITE_BYTES_NVE_MSB = 0x11
WRITE_BITS_NVE_MSB = 0x13
READ_BYTES_PVE_MSB = 0x20
READ_BITS_PVE_MSB = 0x22
RW_BYTES_PVE_NVE_MSB = 0x31  # read on the rising edge, write on the falling edge
SET_BITS_LOW = 0x80
TCK_DIVISOR = 0x86
DISABLE_CLK_DIV5 = 0x8A
DISABLE_3PHASE = 0x8D
CLK_BITS_NO_DATA = 0x8E
DISABLE_ADAPTIVE = 0x97
SEND_IMMEDIATE = 0x87
DRIVE_ZERO = 0x9E
BAD_OPCODE = 0xAA  # the chip answers 0xFA 0xAA: a synchronisation check

# Low byte pins: AD0 = MDC (TCK), AD1 = MDIO out (TDI), AD2 = MDIO in (TDO).
_MDC, _MDIO_OUT = 0x01, 0x02
_IDLE_VALUE = _MDIO_OUT  # MDC low, MDIO released high; never AD0 = 1 (an MDC edge)

WIRINGS = ("tristate", "drivezero", "resistor")


@dataclass(frozen=True)
class Chip:
    """An MPSSE chip: clock base and the receive buffer a batch's reply must fit."""

    name: str
    base_hz: float  # the TCK divisor's input, with divide-by-5 off on H-series chips
    rx_buffer: int  # bytes
    h_series: bool  # knows 0x8A/0x8D/0x97 (and 0x8E/0x9E)
    drivezero: bool = False


#: FT232H 1 KiB, FT4232H 2 KiB, FT2232H 4 KiB receive buffers; FT2232C/D 12 MHz base.
CHIPS: dict[str, Chip] = {
    "ft232h": Chip("ft232h", 60e6, 1024, True, drivezero=True),
    "ft2232h": Chip("ft2232h", 60e6, 4096, True),
    "ft4232h": Chip("ft4232h", 60e6, 2048, True),
    "ft2232c": Chip("ft2232c", 12e6, 384, False),
    "ft2232d": Chip("ft2232d", 12e6, 384, False),
}


def chip(name: str) -> Chip:
    key = name.lower().replace("_", "").replace("-", "")
    if key not in CHIPS:
        raise UnknownNameError("MPSSE chip", name, CHIPS)
    return CHIPS[key]


def clock_divisor(chip_name: str, freq: float) -> tuple[int, float]:
    """The TCK divisor for MDC at most ``freq`` Hz, and the frequency it gives.

    f = base / ((1 + divisor) * 2); the divisor is rounded up so that MDC never
    runs faster than asked (2.5 MHz is the 22.2.2.11 maximum).

    >>> clock_divisor("ft232h", 2.5e6), clock_divisor("ft2232d", 2.5e6)
    ((11, 2500000.0), (2, 2000000.0))
    """
    c = chip(chip_name)
    slowest = c.base_hz / (2 * 65536)
    if not slowest <= freq <= c.base_hz / 2:
        raise RangeError(
            f"MDC frequency {freq:g} Hz is out of range for {c.name}: allowed "
            f"{slowest:g}-{c.base_hz / 2:g} Hz"
        )
    # Exact (a float is a fraction): no rounding can pick a divisor one too fast.  The
    # range check above makes the quotient at least 1, the divisor at least 0.
    divisor = math.ceil(Fraction(c.base_hz) / (2 * Fraction(freq))) - 1
    return divisor, c.base_hz / ((1 + divisor) * 2)


def _wiring(name: str) -> str:
    if name not in WIRINGS:
        raise UnknownNameError("MDIO wiring", name, WIRINGS)
    return name


def init_commands(chip_name: str, freq: float, wiring: str) -> bytes:
    """Commands that set the chip up for MDIO: clocking, idle pins, open drain."""
    c, wiring = chip(chip_name), _wiring(wiring)
    if wiring == "drivezero" and not c.drivezero:
        raise UnknownNameError(
            f"wiring for {c.name}",
            wiring,
            ["tristate", "resistor"],
            hint="open-drain (drive-zero) mode exists on the FT232H only",
        )
    divisor, _ = clock_divisor(chip_name, freq)
    # H-series: 60 MHz base, no three-phase clocking (I2C only), no adaptive clocking (JTAG
    # RTCK).  The divisor is 16 bits, little-endian (AN_108 3.8.2).
    out = bytes([DISABLE_CLK_DIV5, DISABLE_3PHASE, DISABLE_ADAPTIVE]) if c.h_series else b""
    out += bytes([TCK_DIVISOR]) + divisor.to_bytes(2, "little")
    out += bytes([SET_BITS_LOW, _IDLE_VALUE, _MDC | _MDIO_OUT])
    if wiring == "drivezero":
        out += bytes([DRIVE_ZERO, _MDIO_OUT, 0x00])
    return out


def sync_check() -> tuple[bytes, bytes]:
    """A bad opcode, SEND_IMMEDIATE (so the answer does not wait for the latency timer,
    AN_108 3.9) and the answer a synchronised MPSSE gives (0xFA, the opcode)."""
    return bytes([BAD_OPCODE, SEND_IMMEDIATE]), bytes([0xFA, BAD_OPCODE])


@dataclass(frozen=True)
class Encoded:
    """One frame's commands, the reply bytes it produces, and how to read them."""

    frame: Frame
    commands: bytes
    reply_len: int
    decode: Callable[[bytes], tuple[int, bool]]  # reply -> (data, turnaround driven)


def _length(count: int) -> bytes:
    """The length field of a clock-data byte command: count - 1, 16 bits little-endian
    (AN_108 3.3)."""
    return (count - 1).to_bytes(2, "little")


def _bits_to_commands(bits: str) -> bytes:
    """Write-on-falling-edge commands for a frame's bits (at least the 14 of ST..REGAD):
    the whole bytes, then the bits left over."""
    whole, rest = divmod(len(bits), 8)
    out = bytes([WRITE_BYTES_NVE_MSB]) + _length(whole) + int(bits[: whole * 8], 2).to_bytes(whole)
    if rest:
        # WRITE_BITS sends the top n bits of its byte.
        out += bytes([WRITE_BITS_NVE_MSB, rest - 1, int(bits[-rest:].ljust(8, "0"), 2)])
    return out


_IDLE_CLOCK_WRITE = bytes([WRITE_BITS_NVE_MSB, 0x00, 0x80])  # one clock, MDIO released (1)


def encode_frame(frame: Frame, wiring: str, h_series: bool = True) -> Encoded:
    """The MPSSE commands for one frame (ftdi-mdio.md §1.4 recipes).

    ``h_series``: the chip has CLK_BITS_NO_DATA (0x8E); FT2232C/D clock the idle bit
    with a one-bit write instead (AD1 is an input then, so nothing is driven).
    """
    wiring = _wiring(wiring)
    if not frame.is_read:
        # The station drives every bit: PRE ST OP addresses TA=10 DATA, then one idle
        # clock with the line released.
        word = Frame(frame.clause, frame.op, frame.phy, frame.reg, frame.data, 0b10, frame.preamble)
        commands = _bits_to_commands(word.bits()) + _IDLE_CLOCK_WRITE
        return Encoded(frame, commands, 0, lambda reply: (frame.data, True))
    if wiring == "tristate":
        header = frame.bits()[: frame.preamble + 14]  # PRE ST OP PHYAD REGAD
        commands = (
            _bits_to_commands(header)
            + bytes([SET_BITS_LOW, _IDLE_VALUE, _MDC])  # AD1 becomes an input, MDC low
            + bytes([READ_BITS_PVE_MSB, 0x01])  # TA: 2 bits, right-aligned in the reply
            + bytes([READ_BYTES_PVE_MSB, 0x01, 0x00])  # DATA: 2 bytes
            + (bytes([CLK_BITS_NO_DATA, 0x00]) if h_series else _IDLE_CLOCK_WRITE)
            # ^ one idle clock: the PHY lets go
            + bytes([SET_BITS_LOW, _IDLE_VALUE, _MDC | _MDIO_OUT])  # drive AD1 high again
        )

        def decode_tristate(reply: bytes) -> tuple[int, bool]:
            _check_reply(reply, 3)
            return reply[1] << 8 | reply[2], (reply[0] & 0b01) == 0

        return Encoded(frame, commands, 3, decode_tristate)
    # drivezero / resistor: one full-duplex command; ones where the PHY drives.
    word = Frame(frame.clause, frame.op, frame.phy, frame.reg, 0xFFFF, 0b11, frame.preamble)
    bits = word.bits()
    if len(bits) % 8:
        raise FrameError(
            f"a {frame.preamble}-bit preamble does not make whole bytes: the "
            f"{wiring} wiring needs preambles that are multiples of 8 bits"
        )
    n = len(bits) // 8
    commands = (
        bytes([RW_BYTES_PVE_NVE_MSB]) + _length(n) + int(bits, 2).to_bytes(n) + _IDLE_CLOCK_WRITE
    )

    def decode_duplex(reply: bytes) -> tuple[int, bool]:
        # The reply is every sampled bit, MSB first: DATA is the last 16, TA2 the one before.
        _check_reply(reply, n)
        return reply[-2] << 8 | reply[-1], (reply[-3] & 0b01) == 0

    return Encoded(frame, commands, n, decode_duplex)


def _check_reply(reply: bytes, expected: int) -> None:
    if len(reply) != expected:
        raise FrameError(f"MPSSE reply of {len(reply)} bytes for a frame that returns {expected}")


@dataclass(frozen=True)
class Batch:
    """Commands for one USB write (ending with SEND_IMMEDIATE) and the frames in it."""

    commands: bytes
    frames: tuple[Encoded, ...]

    @property
    def reply_len(self) -> int:
        return sum(e.reply_len for e in self.frames)

    def decode(self, reply: bytes) -> list[tuple[int, bool]]:
        """Split a batch's reply into (data, turnaround driven) per frame."""
        _check_reply(reply, self.reply_len)
        out, offset = [], 0
        for e in self.frames:
            out.append(e.decode(reply[offset : offset + e.reply_len]))
            offset += e.reply_len
        return out


def plan_batches(
    frames: Iterable[Frame], wiring: str, chip_name: str, max_write: int = 65536
) -> list[Batch]:
    """Group frames into USB writes whose replies fit the chip's receive buffer."""
    c = chip(chip_name)
    # Two bytes short of the buffer, as pyftdi's own MPSSE drivers size their replies
    # (its I2C controller keeps room for the 2 modem-status bytes); unverified on
    # hardware whether the last two bytes would really stall the engine.
    limit = c.rx_buffer - 2
    batches: list[Batch] = []
    current: list[Encoded] = []
    size = reply = 0
    for f in frames:
        e = encode_frame(f, wiring, c.h_series)
        if current and (reply + e.reply_len > limit or size + len(e.commands) + 1 > max_write):
            batches.append(_batch(current))
            current, size, reply = [], 0, 0
        current.append(e)
        size += len(e.commands)
        reply += e.reply_len
    if current:
        batches.append(_batch(current))
    return batches


def _batch(encoded: list[Encoded]) -> Batch:
    return Batch(b"".join(e.commands for e in encoded) + bytes([SEND_IMMEDIATE]), tuple(encoded))
