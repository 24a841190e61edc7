# SPDX-License-Identifier: GPL-2.0-only
"""An MDIO bus over synchronous bit-bang: the fallback for FT232R and FT-X chips.

Slower than the MPSSE (two USB bytes per MDC period, one frame per exchange) but
it needs nothing but a series resistor (see :mod:`physcapy.ftdi.bitbang`).

    >>> from physcapy.ftdi.emubus import open_emulated
    >>> bus = open_emulated("ftdi-emu://232r?wiring=resistor&phy=lan8720a@1")
    >>> hex(bus.read(1, 2)), bus.usb_writes
    ('0x7', 1)
"""

from __future__ import annotations

from physcapy.bus.clock import Clock
from physcapy.ftdi.bitbang import encode_bitbang
from physcapy.ftdi.port import FtdiPort
from physcapy.ftdi.portbus import Exchange, PortBus
from physcapy.mdio.frames import Frame

__all__ = ["BitbangBus"]


class BitbangBus(PortBus):
    """MDIO frames as synchronous bit-bang bytes, one frame per USB exchange."""

    def __init__(
        self,
        url: str,
        port: FtdiPort,
        chip_name: str,
        freq: float,
        clock: Clock | None = None,
        timeout: float = 1.0,
    ):
        # FT232R and FT-X are full-speed devices: a round trip costs a 1 ms USB frame.
        super().__init__(url, port, chip_name, "resistor", freq, 1e-3, clock, timeout)

    def _plan(self, frames: list[Frame]) -> list[Exchange]:
        # One frame per exchange: the chip answers every byte, and more than one
        # frame's answer would outrun the FT232R's FIFO (ftdi-mdio.md §1.8).
        return [_exchange_of(frame) for frame in frames]


def _exchange_of(frame: Frame) -> Exchange:
    stream, decode = encode_bitbang(frame)
    return Exchange(stream, len(stream), 1, lambda reply: [decode(reply)])
