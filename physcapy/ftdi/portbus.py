# SPDX-License-Identifier: GPL-2.0-only
"""What every FTDI-attached bus shares: USB exchanges through a port, the reply read
until complete or a deadline, byte and transfer counters, frames batched into
exchanges, and a failure mid-batch that says which frames ran.

A subclass says only how frames become exchanges (:meth:`PortBus._plan`): MPSSE
command batches (:mod:`physcapy.ftdi.mpssebus`) or bit-bang streams
(:mod:`physcapy.ftdi.bitbangbus`).

    >>> from physcapy.ftdi.emubus import open_emulated
    >>> bus = open_emulated("ftdi-emu://4232h?phy=generic@2")
    >>> answers = bus.batch([Frame(22, "read", 2, 1), Frame(22, "read", 9, 1)])
    >>> [(hex(f.data), f"{f.ta:02b}") for f in answers]  # nobody at 9: TA never driven
    [('0x796d', '10'), ('0xffff', '11')]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from physcapy.bus.base import Bus, as_frame
from physcapy.bus.clock import Clock
from physcapy.errors import PhyscapyError
from physcapy.ftdi.port import FtdiPort
from physcapy.mdio.frames import OP_NAMES, Frame

__all__ = ["Exchange", "PortBus", "ReplyTimeout", "TransferError"]


class TransferError(PhyscapyError):
    """The USB pipe failed part-way; ``completed`` frames took effect, the rest did not."""

    def __init__(self, message: str, completed: list[Frame], pending: list[Frame]):
        super().__init__(message)
        self.completed = completed
        self.pending = pending


class ReplyTimeout(PhyscapyError):
    """The chip did not send the whole reply in time."""


@dataclass(frozen=True)
class Exchange:
    """One USB write, the reply it brings back and the frames it carries."""

    commands: bytes
    reply_len: int
    frames: int
    decode: Callable[[bytes], list[tuple[int, bool]]]


class PortBus(Bus):
    """An MDIO bus over an FTDI port (anything with ``write_data``/``read_data_bytes``)."""

    def __init__(
        self,
        url: str,
        port: FtdiPort,
        chip_name: str,
        wiring: str,
        mdc_hz: float,
        usb_round_trip: float,
        clock: Clock | None = None,
        timeout: float = 1.0,
    ):
        super().__init__(url, clock, mdc_hz)
        self.port = port
        self.chip_name = chip_name
        self.wiring = wiring
        #: Host round trip per USB write, for modelled throughput: one 125 us microframe
        #: on high-speed chips, one 1 ms frame on full-speed ones (USB 2.0 §5.3.3).
        self.usb_round_trip = usb_round_trip
        self.timeout = timeout
        self.usb_writes = 0
        self.bytes_out = 0
        self.bytes_in = 0
        self._stale = False  # a failed exchange may have left a reply behind

    def _plan(self, frames: list[Frame]) -> list[Exchange]:
        raise NotImplementedError

    def _exchange(self, commands: bytes, reply_len: int, what: str) -> bytes:
        """One USB write, then read until ``reply_len`` bytes arrive or the deadline.

        The deadline allows the wire time of the whole write (8 MDC periods a byte
        at most) on top of ``timeout``, so a slow MDC is not taken for a dead chip.
        """
        if self._stale:
            self._resynchronise()
        try:
            self.port.write_data(commands)
            self.usb_writes += 1
            self.bytes_out += len(commands)
            reply = bytearray()
            allowed = self.timeout + 8 * len(commands) / self.mdc_hz
            deadline = time.monotonic() + allowed
            while len(reply) < reply_len:
                reply += self.port.read_data_bytes(reply_len - len(reply), 4)
                if len(reply) < reply_len and time.monotonic() > deadline:
                    raise ReplyTimeout(
                        f"the {self.chip_name} sent {len(reply)} of {reply_len} reply bytes "
                        f"for the {what} within {allowed:.2f} s"
                    )
        except (OSError, ReplyTimeout):
            # A late reply would otherwise answer the next exchange: every later read
            # would return the previous frame's value.  Flush and resynchronise first.
            self._stale = True
            raise
        self.bytes_in += len(reply)
        return bytes(reply)

    def _resynchronise(self) -> None:
        """Drop whatever a failed exchange left in the chip and the host's buffers."""
        purge = getattr(self.port, "purge_buffers", None)
        if purge is not None:
            purge()
        self._stale = False

    def _run(self, frames: list[Frame]) -> list[tuple[int, bool]]:
        out: list[tuple[int, bool]] = []
        done = 0
        for number, ex in enumerate(self._plan(frames), 1):
            try:
                reply = self._exchange(ex.commands, ex.reply_len, f"exchange {number}")
            except (OSError, ReplyTimeout) as exc:  # pyusb/pyftdi errors are OSErrors
                ran = f"frames 1-{done} completed" if done else "no frame completed"
                raise TransferError(
                    f"USB transfer failed in exchange {number} ({exc}): {ran}, frames "
                    f"{done + 1}-{len(frames)} not known to have run",
                    frames[:done],
                    frames[done:],
                ) from exc
            out += ex.decode(reply)
            done += ex.frames
        return out

    def _transfer(self, clause: int, op: int, phy: int, reg: int, data: int) -> tuple[int, bool]:
        frame = Frame(clause, OP_NAMES[clause][op], phy, reg, data if op in (0, 1) else 0)
        ((value, ok),) = self._run([frame])
        return (value if frame.is_read else data), ok

    def batch(self, frames: Iterable[Frame]) -> list[Frame]:
        """All frames in as few USB writes as the chip allows."""
        self._check_open()
        items = [f if isinstance(f, Frame) else as_frame(f) for f in frames]
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

    def close(self) -> None:
        """Close the port (the USB device, or a recording's file)."""
        closer = getattr(self.port, "close", None)
        if closer is not None:
            closer()
        super().close()
