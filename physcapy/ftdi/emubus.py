# SPDX-License-Identifier: GPL-2.0-only
"""``ftdi-emu://``: the whole FTDI path (encoder, MPSSE byte streams, batching)
against an emulated chip wired to simulated PHYs (design.md §3.2).

    >>> bus = open_emulated("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1")
    >>> hex(bus.read(1, 31))
    '0x1058'
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs, urlencode, urlsplit

from physcapy.bus.base import Bus
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError
from physcapy.frames import C22_OPS, C45_OPS, Frame
from physcapy.ftdi.emulator import MpsseEmulator
from physcapy.ftdi.mpsse import CHIPS, WIRINGS, init_commands, plan_batches, sync_check
from physcapy.sim.bus import SimBus

__all__ = ["FtdiEmuBus", "open_emulated"]

_OPTIONS = ("wiring", "freq", "phy", "partner", "start", "fault", "time")
_OP_NAMES = {22: {v: k for k, v in C22_OPS.items()}, 45: {v: k for k, v in C45_OPS.items()}}


class FtdiEmuBus(Bus):
    """An MDIO bus whose frames go through MPSSE bytes into an emulated FTDI chip."""

    scheme = "ftdi-emu"

    def __init__(self, url: str, chip_name: str, sim: SimBus, wiring: str, freq: float):
        super().__init__(url, sim.clock, freq)
        self.chip_name = chip_name
        self.wiring = wiring
        self.sim = sim
        self.emulator = MpsseEmulator(chip_name, sim, wiring)
        self.usb_writes = 0
        probe, expected = sync_check()
        if self.emulator.execute(probe) != expected:
            raise PhyscapyError("the MPSSE did not echo a bad opcode: not synchronised")
        self.emulator.execute(init_commands(chip_name, freq, wiring))

    @property
    def phys(self) -> dict[int, object]:
        return dict(self.sim.phys)

    def _transfer(self, clause: int, op: int, phy: int, reg: int, data: int) -> tuple[int, bool]:
        frame = Frame(clause, _OP_NAMES[clause][op], phy, reg, data if op in (0, 1) else 0)
        ((value, ok),) = self._run([frame])
        return (value if frame.is_read else data), ok

    def _run(self, frames: list[Frame]) -> list[tuple[int, bool]]:
        out: list[tuple[int, bool]] = []
        for batch in plan_batches(frames, self.wiring, self.chip_name):
            self.usb_writes += 1
            out += batch.decode(self.emulator.execute(batch.commands))
        return out

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


def open_emulated(url: str) -> FtdiEmuBus:
    """``ftdi-emu://CHIP?wiring=...&freq=...&phy=MODEL@ADDR,...`` (and sim:// options)."""
    parts = urlsplit(url)
    chip_name = "ft" + parts.netloc.lower().removeprefix("ft") if parts.netloc else "ft232h"
    if chip_name not in CHIPS:
        raise UnknownNameError(
            "emulated FTDI chip", parts.netloc, [c.removeprefix("ft") for c in CHIPS]
        )
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise PhyscapyError(
            f"ftdi-emu:// options {parts.query!r} are not NAME=VALUE "
            f"pairs: allowed {', '.join(_OPTIONS)}"
        ) from None
    for key in query:
        if key not in _OPTIONS:
            raise UnknownNameError("ftdi-emu:// option", key, _OPTIONS)
    wiring = query.get("wiring", ["tristate"])[-1]
    if wiring not in WIRINGS:
        raise UnknownNameError("MDIO wiring", wiring, WIRINGS)
    try:
        freq = float(query.get("freq", ["2.5e6"])[-1])
    except ValueError:
        raise RangeError(
            f"ftdi-emu:// freq {query['freq'][-1]!r} is not a frequency in Hz"
        ) from None
    sim_query = {k: v for k, v in query.items() if k in ("partner", "start", "fault", "time")}
    phys = query.get("phy", ["generic@1"])[-1]
    sim = SimBus.from_url(
        f"sim://{phys}" + (f"?{urlencode(sim_query, doseq=True)}" if sim_query else "")
    )
    return FtdiEmuBus(url, chip_name, sim, wiring, freq)
