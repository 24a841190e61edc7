# SPDX-License-Identifier: GPL-2.0-only
"""MDIO by synchronous bit-bang, for FTDI chips without an MPSSE (FT232R, FT-X).

In synchronous bit-bang every byte written sets the data pins, and the chip answers
each byte with the pins as they were sampled *just before* that byte was applied
(FTDI AN232R-01; ftdi-mdio.md §1.8).  Each MDIO bit is two bytes, (MDC low, data) and
(MDC high, data), so the sample returned for the MDC-high byte is the line just
before the rising edge: the standard's sample point (IEEE 802.3 22.3.4).

The pin directions cannot change inside a stream (that takes a SET_BITMODE control
transfer), so the only wiring is ``resistor``: D1 reaches MDIO through a series
resistor and holds 1 while the PHY drives, D2 reads the net.  Pins: D0 = MDC,
D1 = MDIO out, D2 = MDIO in.

    >>> from physcapy.mdio.frames import Frame
    >>> stream, decode = encode_bitbang(Frame(22, "read", 1, 2))
    >>> len(stream), stream[:2].hex(), stream[-2:].hex()
    (130, '0203', '0203')
"""

from __future__ import annotations

from collections.abc import Callable

from physcapy.errors import PhyscapyError
from physcapy.mdio.frames import Frame

__all__ = ["BITBANG_CHIPS", "MDC", "MDI", "MDO", "SyncBitbangEmulator", "encode_bitbang"]

MDC, MDO, MDI = 0x01, 0x02, 0x04  # D0, D1 (through the series resistor), D2

#: pyftdi ``ic_name``s of chips that can only bit-bang.
BITBANG_CHIPS = ("ft232r", "ft-x")

#: Largest write per exchange (ftdi-mdio.md §1.8: "keep one frame per exchange,
#: <= 256 bytes out").  The FT232R's FIFOs are 128 bytes towards the host and 256
#: from it, so a 130-byte frame's answer is drained while it is produced; this relies
#: on sync bit-bang pausing, not dropping, when the host falls behind (unverified on
#: hardware).
MAX_EXCHANGE = 256


def _line_bits(frame: Frame) -> str:
    """What the station puts on D1: the frame, with TA and data released (1) on reads,
    then one idle bit so the PHY sees the line released before the next preamble."""
    bits = frame.bits()
    if frame.is_read:
        bits = bits[:-18] + "1" * 18
    return bits + "1"


def encode_bitbang(frame: Frame) -> tuple[bytes, Callable[[bytes], tuple[int, bool]]]:
    """One frame as sync bit-bang bytes, and the decoder of the chip's answer.

    The decoder returns ``(data, turnaround driven)``; for writes ``data`` is 0.
    """
    stream = bytearray()
    for bit in _line_bits(frame):
        d = MDO if bit == "1" else 0
        stream += bytes([d, d | MDC])  # data changes with MDC low, PHY samples on the rise
    length = len(stream)
    first = 2 * (frame.preamble + 14)  # TA1's bit index, after the preamble and header

    def decode(reply: bytes) -> tuple[int, bool]:
        if len(reply) != length:
            raise PhyscapyError(f"sync bit-bang answered {len(reply)} bytes, expected {length}")
        if not frame.is_read:
            return 0, True
        # The answer to byte k is the pins before byte k: the (MDC high) byte of bit b
        # is at 2b + 1 and shows the line during bit b's setup time.
        ta2 = (reply[first + 3] & MDI) >> 2
        data = 0
        for j in range(16):
            data = data << 1 | (reply[first + 5 + 2 * j] & MDI) >> 2
        return data, ta2 == 0

    return bytes(stream), decode


class SyncBitbangEmulator:
    """A FT232R in synchronous bit-bang, with the resistor wiring, clocking the PHYs'
    pin-level front end; it has the two ``Ftdi`` methods a port needs."""

    def __init__(self, sim: object, chip_name: str = "ft232r"):
        from physcapy.ftdi.emulator import PhyPins

        self.chip_name = chip_name
        self.phy = PhyPins(sim)  # type: ignore[arg-type]
        self.pins = MDO  # MDC low, D1 high: the idle bus
        self.edges = 0
        self.bytes_out = 0
        self.bytes_in = 0
        self._reply = bytearray()

    def line(self) -> int:
        # Through the series resistor a driving PHY wins; otherwise D1 sets the net.
        drive = self.phy.drive
        return drive if drive is not None else (self.pins & MDO) >> 1

    def write_data(self, data: bytes) -> int:
        if len(data) > MAX_EXCHANGE:
            raise PhyscapyError(
                f"a sync bit-bang write of {len(data)} bytes outruns the "
                f"{self.chip_name}'s {MAX_EXCHANGE}-byte limit: send one frame per exchange"
            )
        self.bytes_out += len(data)
        for byte in data:
            if byte & ~(MDC | MDO):
                raise PhyscapyError(f"byte 0x{byte:02x} drives D2 or above, which are inputs")
            sampled = self.line()
            self._reply.append((self.pins & (MDC | MDO)) | sampled << 2)
            rising = not self.pins & MDC and byte & MDC
            self.pins = byte
            if rising:
                self.edges += 1
                self.phy.rising(self.line())
        return len(data)

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        out, self._reply = bytes(self._reply[:size]), self._reply[size:]
        self.bytes_in += len(out)
        return out
