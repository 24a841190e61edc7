# SPDX-License-Identifier: GPL-2.0-only
"""An MDIO bus over an MPSSE port: the part ``ftdi://`` and ``ftdi-emu://`` share.

Frames are encoded by :mod:`physcapy.ftdi.mpsse`, grouped into USB writes whose
replies fit the chip's receive buffer, and each reply is read until it is complete or
a deadline passes.  The port is anything with pyftdi's ``write_data`` and
``read_data_bytes`` (see :mod:`physcapy.ftdi.port`).

    >>> from physcapy.ftdi.emubus import open_emulated
    >>> bus = open_emulated("ftdi-emu://2232h?phy=generic@3")
    >>> ids = bus.batch([Frame(22, "read", 3, 2), Frame(22, "read", 3, 3)])
    >>> [f.data for f in ids] == [bus.sim.read(3, 2), bus.sim.read(3, 3)], bus.usb_writes
    (True, 3)
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from physcapy.bus.base import Bus
from physcapy.clock import Clock
from physcapy.errors import PhyscapyError
from physcapy.frames import C22_OPS, C45_OPS, Frame
from physcapy.ftdi.mpsse import chip, clock_divisor, init_commands, plan_batches, sync_check
from physcapy.ftdi.port import FtdiPort

__all__ = ["MpsseBus", "TransferError"]

_OP_NAMES = {22: {v: k for k, v in C22_OPS.items()}, 45: {v: k for k, v in C45_OPS.items()}}


class TransferError(PhyscapyError):
    """The USB pipe failed part-way; ``completed`` frames took effect, the rest did not."""

    def __init__(self, message: str, completed: list[Frame], pending: list[Frame]):
        super().__init__(message)
        self.completed = completed
        self.pending = pending


class MpsseBus(Bus):
    """MDIO frames as MPSSE byte streams through an FTDI port."""

    def __init__(
        self,
        url: str,
        port: FtdiPort,
        chip_name: str,
        wiring: str,
        freq: float,
        clock: Clock | None = None,
        timeout: float = 1.0,
    ):
        # The chip's divisor rounds MDC down (an FT2232D asked for 2.5 MHz runs at 2 MHz):
        # frame times and modelled throughput must use the clock actually on the wire.
        _, actual_hz = clock_divisor(chip_name, freq)
        super().__init__(url, clock, actual_hz)
        self.requested_hz = freq
        #: Host round trip per USB write: one 125 us microframe on the high-speed H
        #: series, one 1 ms frame on the full-speed FT2232C/D (USB 2.0 §5.3.3).
        self.usb_round_trip = 125e-6 if chip(chip_name).h_series else 1e-3
        self.port = port
        self.chip_name = chip_name
        self.wiring = wiring
        self.timeout = timeout
        self.usb_writes = 0
        self.bytes_out = 0
        self.bytes_in = 0
        # Synchronise first (a bad opcode must come back as 0xFA + opcode: ftdi-mdio.md
        # §1.4), so that a stale reply left in the chip cannot shift every later read.
        probe, expected = sync_check()
        reply = self._exchange(probe, len(expected), "synchronisation")
        if reply != expected:
            raise PhyscapyError(
                f"the MPSSE answered the bad-opcode probe with {reply.hex() or 'nothing'}, "
                f"expected {expected.hex()}: not synchronised (is another program using it?)"
            )
        self._exchange(init_commands(chip_name, freq, wiring), 0, "initialisation")

    def _exchange(self, commands: bytes, reply_len: int, what: str) -> bytes:
        """One USB write, then read until ``reply_len`` bytes arrive or the deadline."""
        self.port.write_data(commands)
        self.usb_writes += 1
        self.bytes_out += len(commands)
        reply = bytearray()
        deadline = time.monotonic() + self.timeout
        while len(reply) < reply_len:
            reply += self.port.read_data_bytes(reply_len - len(reply), 4)
            if len(reply) < reply_len and time.monotonic() > deadline:
                raise PhyscapyError(
                    f"the FTDI chip sent {len(reply)} of {reply_len} reply bytes for the "
                    f"{what} within {self.timeout} s"
                )
        self.bytes_in += len(reply)
        return bytes(reply)

    def _transfer(self, clause: int, op: int, phy: int, reg: int, data: int) -> tuple[int, bool]:
        frame = Frame(clause, _OP_NAMES[clause][op], phy, reg, data if op in (0, 1) else 0)
        ((value, ok),) = self._run([frame])
        return (value if frame.is_read else data), ok

    def _run(self, frames: list[Frame]) -> list[tuple[int, bool]]:
        out: list[tuple[int, bool]] = []
        done = 0
        for number, batch in enumerate(plan_batches(frames, self.wiring, self.chip_name), 1):
            try:
                reply = self._exchange(batch.commands, batch.reply_len, f"batch {number}")
            except OSError as exc:  # pyusb's USBError and pyftdi's FtdiError are OSErrors
                raise TransferError(
                    f"USB transfer failed in batch {number} ({exc}): frames 1-{done} "
                    f"completed, frames {done + 1}-{len(frames)} not known to have run"
                    if done
                    else f"USB transfer failed in batch {number} ({exc}): "
                    f"none of the {len(frames)} frames is known to have run",
                    frames[:done],
                    frames[done:],
                ) from exc
            out += batch.decode(reply)
            done += len(batch.frames)
        return out

    def close(self) -> None:
        """Close the port (the USB device, or a recording's file)."""
        closer = getattr(self.port, "close", None)
        if closer is not None:
            closer()

    def batch(self, frames: Iterable[Frame]) -> list[Frame]:
        """All frames in as few USB writes as the chip's receive buffer allows."""
        items = list(frames)
        if self._listeners:
            return super().batch(items)  # one by one, so that each frame is logged
        results = self._run(items)
        for f in items:
            if f.clause == 45:
                self._track_c45(f.opcode, f.phy, f.reg, f.data)
        return [
            Frame(
                f.clause,
                f.op,
                f.phy,
                f.reg,
                value if f.is_read else f.data,
                (0b10 if ok else 0b11) if f.is_read else f.ta,
                f.preamble,
            )
            for f, (value, ok) in zip(items, results, strict=True)
        ]
