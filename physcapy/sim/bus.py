# SPDX-License-Identifier: GPL-2.0-only
"""``sim://``: a bus of simulated PHYs (design.md §3.2).

    >>> bus = SimBus.from_url("sim://lan8720a@1,dp83848@3?partner=100full,100half")
    >>> sorted(bus.phys), bus.phys[1].mode
    ([1, 3], '100full')

Every frame takes 64 MDC periods of bus time (25.6 us at the default 2.5 MHz), so
a read right after a soft reset happens during the reset, as on the wire.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from urllib.parse import urlsplit

from physcapy.bus.base import Bus
from physcapy.bus.clock import Clock, RealClock, VirtualClock
from physcapy.bus.url import url_options
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError, parse_int
from physcapy.registers.models import Model, all_models, model
from physcapy.sim.partner import SWITCH_PORT, LinkPartner
from physcapy.sim.phy import SimPhy

__all__ = ["SimBus", "sim_model_names"]

_OPTIONS = ("partner", "start", "time", "mdc", "fault")
_FAULTS = ("no-turnaround", "drop-writes", "slow-reset", "stuck", "flip")


def sim_model_names() -> list[str]:
    """Model names ``sim://`` accepts (PHY models; the generic ones first)."""
    names = [m.name for m in all_models() if m.kind == "phy"]
    return sorted(names, key=lambda n: (not n.startswith("generic"), n))


def _sim_model(name: str) -> Model:
    try:
        m = model(name)
    except UnknownNameError:
        raise UnknownNameError("simulated PHY model", name, sim_model_names()) from None
    if m.kind != "phy":
        raise UnknownNameError(
            "simulated PHY model",
            name,
            sim_model_names(),
            hint=f"{m.name} is a register set, not a PHY",
        )
    return m


class SimBus(Bus):
    """Simulated PHYs by address; the far end of each cable is a LinkPartner."""

    scheme = "sim"

    def __init__(
        self,
        phys: dict[int, tuple[Model, LinkPartner | None]] | None = None,
        *,
        url: str = "sim://",
        clock: Clock | None = None,
        start: str = "settled",
        mdc_hz: float = 2.5e6,
    ):
        super().__init__(url, clock or VirtualClock(), mdc_hz)
        self._frame_time = 64.0 / mdc_hz
        self._virtual = self.clock.virtual
        self.phys: dict[int, SimPhy] = {}
        if phys is None:
            phys = {1: (model("generic"), LinkPartner())}
        for address, (m, partner) in phys.items():
            self.add(address, m, partner, start=start)

    def add(
        self,
        address: int,
        m: Model | str,
        partner: LinkPartner | None = SWITCH_PORT,
        start: str = "settled",
    ) -> SimPhy:
        """Put a simulated PHY at ``address``."""
        address = parse_int("PHY address", address, 0, 31)
        if address in self.phys:
            raise PhyscapyError(
                f"address {address} already has a PHY ({self.phys[address].model.name})"
            )
        phy = SimPhy(
            _sim_model(m) if isinstance(m, str) else m, address, self.clock, partner, start=start
        )
        self.phys[address] = phy
        return phy

    def known_models(self) -> dict[int, str]:
        return {a: p.model.name for a, p in sorted(self.phys.items())}

    def phy(self, address: int) -> SimPhy:
        """The simulated PHY at ``address``."""
        if address not in self.phys:
            raise UnknownNameError("PHY address on this bus", address, [str(a) for a in self.phys])
        return self.phys[address]

    def _transfer(self, clause: int, op: int, phy: int, reg: int, data: int) -> tuple[int, bool]:
        if self._virtual:
            self.clock.now += self._frame_time  # type: ignore[attr-defined]
        target = self.phys.get(phy)
        if target is None:
            return 0xFFFF, False  # nobody drives the line: the pull-up reads all ones
        if clause == 22:
            return target.c22(op == 1, reg, data)
        return target.c45(op, reg, data)

    def unplug(self, address: int | None = None) -> None:
        """Pull the cable of one PHY (or of all)."""
        for phy in self._targets(address):
            phy.unplug()

    def plug(self, address: int | None = None, partner: LinkPartner | None = None) -> None:
        """Plug the cable of one PHY (or of all) into ``partner`` (a default switch port)."""
        for phy in self._targets(address):
            phy.plug(partner)

    def _targets(self, address: int | None) -> list[SimPhy]:
        return list(self.phys.values()) if address is None else [self.phy(address)]

    def reset(self) -> None:
        super().reset()

    # -- the PAL's view: device events and interrupt lines -----------------------------

    def next_event_time(self) -> float | None:
        times = [p.next_event_time() for p in self.phys.values()]
        due = [t for t in times if t is not None]
        return min(due) if due else None

    def run_events(self) -> None:
        for phy in self.phys.values():
            phy.advance()

    def connect_interrupt(self, phy: int, callback: Callable[[int, bool], None] | None) -> bool:
        self.phy(phy).on_interrupt = callback
        return True

    # -- URLs ------------------------------------------------------------------------------

    @classmethod
    def from_url(cls, url: str) -> SimBus:
        """``sim://[MODEL@ADDR,...][?partner=...&start=...&time=...&mdc=...&fault=...]``."""
        parts = urlsplit(url)
        spec = (parts.netloc + parts.path).strip("/")
        query = url_options(url, _OPTIONS)
        partner = LinkPartner()
        if "partner" in query:
            partner = LinkPartner.parse(query["partner"][-1])  # type: ignore[assignment]
        start = query.get("start", ["settled"])[-1]
        if start not in ("settled", "power-on"):
            raise UnknownNameError("sim:// start", start, ["settled", "power-on"])
        timing = query.get("time", ["virtual"])[-1]
        if timing not in ("virtual", "real"):
            raise UnknownNameError("sim:// time", timing, ["virtual", "real"])
        mdc = 2.5e6
        if "mdc" in query:
            try:
                mdc = float(query["mdc"][-1])
            except ValueError:
                raise RangeError(
                    f"sim:// mdc {query['mdc'][-1]!r} is not a frequency in Hz"
                ) from None
            if not 1.0 <= mdc <= 100e6:
                raise RangeError(f"sim:// mdc {mdc:g} Hz is out of range: allowed 1-100e6")
        phys: dict[int, tuple[Model, LinkPartner | None]] = {}
        items = [s for s in spec.split(",") if s] or ["generic@1"]
        for item in items:
            name, at, where = item.partition("@")
            if at and not where:
                raise PhyscapyError(
                    f"sim:// PHY {item!r} has nothing after '@': write {name}@ADDR (0-31)"
                )
            if not where:
                if len(items) > 1:
                    raise PhyscapyError(
                        f"sim:// PHY {item!r} needs an address: write {item}@ADDR (0-31)"
                    )
                where = "1"
            address = parse_int("sim:// PHY address", where, 0, 31)
            if address in phys:
                raise PhyscapyError(f"sim:// address {address} is given twice")
            phys[address] = (_sim_model(name), partner)
        bus = cls(
            phys,
            url=url,
            clock=RealClock() if timing == "real" else VirtualClock(),
            start=start,
            mdc_hz=mdc,
        )
        for fault in query.get("fault", []):
            bus._apply_fault(fault)
        return bus

    def _apply_fault(self, text: str, *, dry: bool = False) -> None:
        """``ADDR:no-turnaround``, ``ADDR:drop-writes``, ``ADDR:slow-reset:SECONDS``,
        ``ADDR:stuck:REG:MASK:VALUE``, ``ADDR:flip:REG:MASK``; ``dry`` only checks it."""
        parts = text.split(":")
        if len(parts) < 2:
            raise PhyscapyError(
                f"sim:// fault {text!r} must be ADDR:KIND[:ARGS], KIND one of {', '.join(_FAULTS)}"
            )
        address = parse_int("fault address", parts[0], 0, 31)
        kind, args = parts[1], parts[2:]
        if kind not in _FAULTS:
            raise UnknownNameError("sim:// fault", kind, _FAULTS)
        faults = self.phy(address).faults
        if dry:
            faults = copy.deepcopy(faults)
        need = {"no-turnaround": 0, "drop-writes": 0, "slow-reset": 1, "stuck": 3, "flip": 2}
        if len(args) != need[kind]:
            raise PhyscapyError(
                f"sim:// fault {kind} takes {need[kind]} argument(s) after "
                f"ADDR:{kind}, got {len(args)}"
            )
        if kind == "no-turnaround":
            faults.no_turnaround = True
        elif kind == "drop-writes":
            faults.drop_writes = True
        elif kind == "slow-reset":
            try:
                seconds = float(args[0])
            except ValueError:
                seconds = float("nan")
            if not 0 <= seconds <= 60:  # also refuses nan and inf
                raise RangeError(
                    f"slow-reset time {args[0]!r} is not a number of seconds: allowed 0-60"
                )
            faults.reset_time = seconds
        elif kind == "stuck":
            reg = parse_int("stuck register", args[0], 0, 31)
            faults.stuck[reg] = (
                parse_int("stuck mask", args[1], 0, 0xFFFF),
                parse_int("stuck value", args[2], 0, 0xFFFF),
            )
        else:
            faults.flip[parse_int("flip register", args[0], 0, 31)] = parse_int(
                "flip mask", args[1], 0, 0xFFFF
            )
