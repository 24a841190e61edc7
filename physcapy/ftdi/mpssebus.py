# SPDX-License-Identifier: GPL-2.0-only
"""An MDIO bus over an MPSSE port: the part ``ftdi://`` and ``ftdi-emu://`` share.

Frames are encoded by :mod:`physcapy.ftdi.mpsse` and grouped into USB writes whose
replies fit the chip's receive buffer.  The port is anything with pyftdi's
``write_data`` and ``read_data_bytes`` (see :mod:`physcapy.ftdi.port`).

    >>> from physcapy.ftdi.emubus import open_emulated
    >>> bus = open_emulated("ftdi-emu://2232h?phy=generic@3")
    >>> ids = bus.batch([Frame(22, "read", 3, 2), Frame(22, "read", 3, 3)])
    >>> [f.data for f in ids] == [bus.sim.read(3, 2), bus.sim.read(3, 3)], bus.usb_writes
    (True, 3)
"""

from __future__ import annotations

from physcapy.bus.clock import Clock
from physcapy.errors import PhyscapyError
from physcapy.ftdi.mpsse import chip, clock_divisor, init_commands, plan_batches, sync_check
from physcapy.ftdi.port import FtdiPort
from physcapy.ftdi.portbus import Exchange, PortBus, TransferError
from physcapy.mdio.frames import Frame

__all__ = ["MpsseBus", "TransferError"]


class MpsseBus(PortBus):
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
        # The H series are high-speed USB devices, the FT2232C/D full-speed ones.
        round_trip = 125e-6 if chip(chip_name).h_series else 1e-3
        super().__init__(url, port, chip_name, wiring, actual_hz, round_trip, clock, timeout)
        self.requested_hz = freq
        try:
            self._synchronise()
            self._exchange(init_commands(chip_name, freq, wiring), 0, "initialisation")
        except OSError as exc:  # USB failed while setting up: one line, not a traceback
            raise PhyscapyError(f"{url}: USB failed while setting up the MPSSE: {exc}") from None

    def _synchronise(self) -> None:
        # A bad opcode must come back as 0xFA + opcode (ftdi-mdio.md §1.4), so that a
        # stale reply left in the chip cannot shift every later read.
        probe, expected = sync_check()
        reply = self._exchange(probe, len(expected), "synchronisation")
        if reply != expected:
            raise PhyscapyError(
                f"the MPSSE answered the bad-opcode probe with {reply.hex() or 'nothing'}, "
                f"expected {expected.hex()}: not synchronised (is another program using it?)"
            )

    def _resynchronise(self) -> None:
        super()._resynchronise()
        self._synchronise()

    def _plan(self, frames: list[Frame]) -> list[Exchange]:
        return [
            Exchange(b.commands, b.reply_len, len(b.frames), b.decode)
            for b in plan_batches(frames, self.wiring, self.chip_name)
        ]
