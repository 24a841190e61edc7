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

import time

from physcapy.bus.base import Bus
from physcapy.clock import Clock
from physcapy.errors import PhyscapyError
from physcapy.frames import C22_OPS, C45_OPS, Frame
from physcapy.ftdi.bitbang import encode_bitbang
from physcapy.ftdi.mpssebus import TransferError
from physcapy.ftdi.port import FtdiPort

__all__ = ["BitbangBus"]

_OP_NAMES = {22: {v: k for k, v in C22_OPS.items()}, 45: {v: k for k, v in C45_OPS.items()}}


class BitbangBus(Bus):
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
        super().__init__(url, clock, freq)
        self.port = port
        self.chip_name = chip_name
        self.wiring = "resistor"
        #: FT232R and FT-X are full-speed devices: a round trip costs a 1 ms USB frame.
        self.usb_round_trip = 1e-3
        self.timeout = timeout
        self.usb_writes = 0
        self.bytes_out = 0
        self.bytes_in = 0

    def _exchange(self, frame: Frame) -> tuple[int, bool]:
        stream, decode = encode_bitbang(frame)
        self.port.write_data(stream)
        self.usb_writes += 1
        self.bytes_out += len(stream)
        reply = bytearray()
        deadline = time.monotonic() + self.timeout
        while len(reply) < len(stream):
            reply += self.port.read_data_bytes(len(stream) - len(reply), 4)
            if len(reply) < len(stream) and time.monotonic() > deadline:
                raise PhyscapyError(
                    f"the {self.chip_name} sent {len(reply)} of {len(stream)} bit-bang "
                    f"samples within {self.timeout} s"
                )
        self.bytes_in += len(reply)
        return decode(bytes(reply))

    def _run(self, frames: list[Frame]) -> list[tuple[int, bool]]:
        out: list[tuple[int, bool]] = []
        for done, frame in enumerate(frames):
            try:
                out.append(self._exchange(frame))
            except OSError as exc:  # pyusb's USBError and pyftdi's FtdiError
                raise TransferError(
                    f"USB transfer failed at frame {done + 1} of {len(frames)} ({exc}): "
                    f"{done} completed, {len(frames) - done} not known to have run",
                    frames[:done],
                    frames[done:],
                ) from exc
        return out

    def _transfer(self, clause: int, op: int, phy: int, reg: int, data: int) -> tuple[int, bool]:
        frame = Frame(clause, _OP_NAMES[clause][op], phy, reg, data if op in (0, 1) else 0)
        ((value, ok),) = self._run([frame])
        return (value if frame.is_read else data), ok

    def close(self) -> None:
        """Close the port (the USB device, or a recording's file)."""
        closer = getattr(self.port, "close", None)
        if closer is not None:
            closer()
