# SPDX-License-Identifier: GPL-2.0-only
"""The PAL's "kernel": buses, drivers, fixups, IRQ lines, the clock and the timeline.

:class:`Pal` is what one Linux kernel's phylib holds globally, over one physcapy
bus (more can be registered).  It opens the bus, registers it as mii_bus ``"0"``
(scanning it), and offers the phylib entry points as methods::

    >>> pal = Pal("sim://lan8720a@1?partner=100full,100half")
    >>> dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
    >>> pal.phy_start(dev)
    >>> pal.run(3)
    >>> dev.state.name, dev.speed, pal.netdevs["eth0"].carrier
    ('RUNNING', 100, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from physcapy.bus.base import Bus
from physcapy.errors import RangeError, UnknownNameError
from physcapy.mdio.transactions import Transaction
from physcapy.pal import phy as _phy
from physcapy.pal import phy_device as _pd
from physcapy.pal.constants import PHY_MAX_ADDR, PHY_POLL, Interface
from physcapy.pal.device import PhyDevice, Profile
from physcapy.pal.driver import DriverRegistry, PhyDriver
from physcapy.pal.events import EventLog, NetDevice
from physcapy.pal.mdiobus import MiiBus, mdiobus_register
from physcapy.pal.scheduler import Scheduler

__all__ = ["IrqLine", "Pal"]

#: IRQ numbers given to simulated PHY interrupt outputs: 32 + the PHY address.
IRQ_BASE = 32


@dataclass
class IrqLine:
    """A level-triggered interrupt line; ``depth`` counts disable_irq calls."""

    number: int
    level: bool = False
    depth: int = 0
    #: Interrupts in a row that no (threaded) handler claimed.
    unhandled: int = 0
    handlers: list[tuple[Any, Callable[[], bool]]] = field(default_factory=list)


class Pal:
    """One phylib instance over ``bus`` (a URL or a :class:`~physcapy.bus.Bus`).

    ``profile`` is ``linux26`` (``variant="2005"`` for the first import) or
    ``linux6``.  ``interrupts=True`` wires each simulated PHY's interrupt output to
    IRQ ``32 + address`` and puts it in the bus's irq table (a back end without
    interrupt lines leaves the table at PHY_POLL); ``irqs`` sets table entries
    directly (``{1: -2}`` is PHY_IGNORE_INTERRUPT: the MAC handles the PHY's
    interrupt).  ``record_mdio`` puts every MDIO transaction on the timeline.
    """

    def __init__(
        self,
        bus: Bus | str = "sim://",
        profile: str | Profile = "linux26",
        *,
        variant: str | None = None,
        bus_id: str = "0",
        phy_mask: int = 0,
        interrupts: bool = False,
        irqs: dict[int, int] | None = None,
        drivers: Iterable[PhyDriver] | None = None,
        record_mdio: bool = True,
        turnaround_errors: bool = False,
        register: bool = True,
        probe_delay: float | None = None,
    ):
        if isinstance(bus, str):
            from physcapy.bus import open_bus

            bus = open_bus(bus)
        self.bus = bus
        self.profile = profile if isinstance(profile, Profile) else Profile.parse(profile, variant)
        self.clock = bus.clock
        self.scheduler = Scheduler(bus.clock)
        self.events = EventLog()
        self.buses: list[MiiBus] = []
        self.fixups: list[_pd.Fixup] = []
        self.netdevs: dict[str, NetDevice] = {}
        self.irq_lines: dict[int, IrqLine] = {}
        if drivers is None:
            from physcapy.pal.drivers import default_drivers

            drivers = default_drivers(self.profile)
        self.drivers = DriverRegistry(drivers)
        self._mdio_listener = None
        # The timeline says first which kernel it is a timeline of (issue 18).
        self.events.emit(
            self.clock.time(),
            "log",
            "",
            text=f"Linux {self.profile.release} phylib (physcapy PAL profile {self.profile})",
        )
        if record_mdio:
            self._mdio_listener = bus.subscribe(self._on_mdio)
        irq = None
        if interrupts:
            irq = [PHY_POLL] * PHY_MAX_ADDR
            for addr in range(PHY_MAX_ADDR):
                if self._wire(addr):
                    irq[addr] = IRQ_BASE + addr
            self.scheduler.sources.append(bus)
        if irqs:
            irq = irq or [PHY_POLL] * PHY_MAX_ADDR
            for addr, number in irqs.items():
                irq[addr] = number
        single = bus.single_phy_address()
        if single is not None:
            # A MAC driver that answers every address from its one PHY (linux:// on
            # e1000): as such a driver would set mii_bus.phy_mask, only that address
            # is scanned.
            phy_mask |= 0xFFFFFFFF & ~(1 << single)
        self.mii = MiiBus(
            self,
            bus,
            bus_id,
            phy_mask=phy_mask,
            irq=irq,
            turnaround_errors=turnaround_errors,
        )
        self.probe_delay = self.PROBE_DELAY if probe_delay is None else float(probe_delay)
        if self.probe_delay < 0:
            raise RangeError(f"probe_delay {self.probe_delay:g} s is out of range: allowed >= 0")
        if register:
            self.register_bus()

    #: Seconds from power-on to the MDIO scan: the boot to the MAC driver's probe, or a
    #: device tree's ``reset-deassert-us`` after the PHY's reset.  100 ms covers the
    #: power-up time of the parts physcapy models (20 ms for the simulated ones; a
    #: LAN8720A needs 21 ms after power-on, 802.3 22.2.4.1.1 allows 0.5 s after a reset)
    #: and is shorter than any real boot to a network driver.
    PROBE_DELAY = 0.1

    def register_bus(self) -> None:
        """mdiobus_register of bus ``0``, ``probe_delay`` after its PHYs were powered
        (simulated PHYs started with ``start=power-on``; other buses: now)."""
        powered = [
            p.powered_at
            for p in (getattr(self.bus, "phys", None) or {}).values()
            if getattr(p, "powered_at", None) is not None
        ]
        if powered:
            when = max(powered) + self.probe_delay
            if when > self.now():
                self.log(
                    None,
                    f"MDIO bus probed {self.probe_delay * 1e3:g} ms after power-on "
                    "(boot / reset-deassert delay)",
                )
                self.scheduler.run_until(when)
        mdiobus_register(self.mii)

    #: Timer ticks per second (CONFIG_HZ; 250 was the 2.6 default): delayed work is due
    #: a whole number of jiffies after the jiffy it was queued in.
    HZ = 250

    # -- time and the timeline ----------------------------------------------------------

    def now(self) -> float:
        return self.clock.time()

    def jiffies_time(self) -> float:
        """The start of the current jiffy, in seconds."""
        return math.floor(self.clock.time() * self.HZ + 1e-6) / self.HZ

    def event_time(self) -> float:
        """The time events are stamped with: the running work item's, else now."""
        t = self.scheduler.work_time
        return t if t is not None else self.clock.time()

    def run(self, seconds: float) -> None:
        """Let ``seconds`` of bus time pass, running every tick and interrupt due."""
        self.scheduler.run_for(seconds)

    def run_until(self, t: float) -> None:
        self.scheduler.run_until(t)

    def at(self, t: float, fn: Callable[[], None]) -> None:
        """Do ``fn`` at bus time ``t`` (a scenario event: unplug, plug...)."""
        self.scheduler.at(t, fn)

    def sleep(self, seconds: float) -> None:
        """msleep from inside an operation: the clock moves, nothing else runs.  Events
        of the running work item after the sleep are stamped with the wake-up time, so
        none is stamped before MDIO that happened earlier (issue 18)."""
        if self.clock.virtual:
            self.clock.now = self.clock.time() + seconds  # type: ignore[attr-defined]
        else:
            self.clock.advance(seconds)
        if self.scheduler.work_time is not None:
            self.scheduler.work_time = self.clock.time()

    def log(self, dev: PhyDevice | None, text: str) -> None:
        self.events.emit(self.event_time(), "log", dev.name if dev else "", text=text)

    def _on_mdio(self, t: Transaction) -> None:
        self.events.emit(t.start, "mdio", "", **t.to_dict())

    def close(self) -> None:
        if self._mdio_listener is not None:
            self.bus.unsubscribe(self._mdio_listener)
            self._mdio_listener = None

    # -- IRQ lines --------------------------------------------------------------------

    def _wire(self, addr: int) -> bool:
        number = IRQ_BASE + addr

        def level(_addr: int, high: bool) -> None:
            self._set_level(number, high)

        phys = getattr(self.bus, "phys", None)
        if phys is None or addr not in phys:
            return False
        return self.bus.connect_interrupt(addr, level)

    def _set_level(self, number: int, high: bool) -> None:
        line = self.irq_lines.setdefault(number, IrqLine(number))
        line.level = high
        self._deliver(line)

    #: Times a high, unmasked line may find no handler claiming it before it is
    #: disabled ("nobody cared"); Linux counts 99,900 of 100,000, a simulation needs few.
    SPURIOUS_LIMIT = 100

    def _deliver(self, line: IrqLine) -> None:
        # Level-triggered: while the line is high and unmasked the handlers run again.
        unclaimed = 0
        while line.level and line.depth == 0 and line.handlers:
            claimed = False
            for _, handler in list(line.handlers):
                claimed = handler() or claimed
            if claimed:
                return  # a handler masked the line or cleared the source
            unclaimed += 1
            if unclaimed >= self.SPURIOUS_LIMIT:
                self._nobody_cared(line)
                return

    def _nobody_cared(self, line: IrqLine) -> None:
        line.depth += 1
        self.log(None, f"irq {line.number}: nobody cared, disabling it")

    def note_interrupt(self, number: int, handled: bool) -> None:
        """A threaded handler's result: SPURIOUS_LIMIT unhandled in a row disable the
        line (the IRQ core counts thread results too)."""
        line = self.irq_lines.setdefault(number, IrqLine(number))
        line.unhandled = 0 if handled else line.unhandled + 1
        if line.unhandled >= self.SPURIOUS_LIMIT:
            line.unhandled = 0
            self._nobody_cared(line)

    def request_irq(self, number: int, owner: Any, handler: Callable[[], bool]) -> bool:
        """Attach ``handler`` to a wired line; False when nothing drives that IRQ."""
        if number not in self.irq_lines and not self._is_wired(number):
            return False
        line = self.irq_lines.setdefault(number, IrqLine(number))
        if not line.handlers:
            line.depth = 0  # the first handler starts the line up unmasked
        line.handlers.append((owner, handler))
        self._deliver(line)
        return True

    def _is_wired(self, number: int) -> bool:
        table = self.mii.irq if hasattr(self, "mii") else None
        return table is not None and number in table and number > 0

    def free_irq(self, number: int, owner: Any) -> None:
        line = self.irq_lines.get(number)
        if line is not None:
            line.handlers = [(o, h) for o, h in line.handlers if o is not owner]

    def disable_irq(self, number: int) -> None:
        self.irq_lines.setdefault(number, IrqLine(number)).depth += 1

    def enable_irq(self, number: int) -> None:
        line = self.irq_lines.setdefault(number, IrqLine(number))
        if line.depth == 0:
            self.log(None, f"Unbalanced enable for IRQ {number}")
            return
        line.depth -= 1
        self._deliver(line)

    # -- devices --------------------------------------------------------------------------

    def device(self, name: str) -> PhyDevice:
        """The PHY device named ``name`` (``"0:01"``); an int is an address on bus 0."""
        if isinstance(name, int):
            name = f"{self.mii.id}:{name:02x}"
        return _pd.find_device(self, name)

    @property
    def devices(self) -> list[PhyDevice]:
        return [d for b in self.buses for d in b.phy_map.values()]

    def netdev(self, name: str = "eth0") -> NetDevice:
        """A network device stand-in (created on first use) whose adjust_link handler
        does what MAC drivers do: remember the last link, speed and duplex and print the
        status when the link comes or goes, or changes speed or duplex while up."""
        if name not in self.netdevs:
            net = NetDevice(name)
            old = {"link": 0, "speed": 0, "duplex": -1}

            def handler(netdev: NetDevice) -> None:
                dev = netdev.phydev
                if dev is None:
                    return
                if dev.link:
                    changed = (
                        not old["link"] or dev.speed != old["speed"] or dev.duplex != old["duplex"]
                    )
                else:
                    changed = bool(old["link"])
                old.update(link=dev.link, speed=dev.speed, duplex=dev.duplex)
                if changed:
                    _phy.phy_print_status(dev)

            net.handler = handler  # type: ignore[method-assign]
            self.netdevs[name] = net
        return self.netdevs[name]

    # -- phylib entry points -------------------------------------------------------------

    def phy_connect(
        self,
        netdev: NetDevice,
        bus_id: str,
        handler: Callable[[NetDevice], None] | None = None,
        flags: int = 0,
        interface: Interface | str = Interface.GMII,
    ) -> PhyDevice:
        return _pd.phy_connect(self, netdev, bus_id, handler, flags, _interface(interface))

    def phy_attach(
        self,
        netdev: NetDevice,
        bus_id: str,
        flags: int = 0,
        interface: Interface | str = Interface.GMII,
    ) -> PhyDevice:
        return _pd.phy_attach(self, netdev, bus_id, flags, _interface(interface))

    phy_detach = staticmethod(_pd.phy_detach)
    phy_disconnect = staticmethod(_pd.phy_disconnect)
    phy_start = staticmethod(_phy.phy_start)
    phy_stop = staticmethod(_phy.phy_stop)
    phy_start_aneg = staticmethod(_phy.phy_start_aneg)
    phy_start_machine = staticmethod(_phy.phy_start_machine)
    phy_stop_machine = staticmethod(_phy.phy_stop_machine)
    phy_read = staticmethod(_phy.phy_read)
    phy_write = staticmethod(_phy.phy_write)
    phy_print_status = staticmethod(_phy.phy_print_status)
    phy_sanitize_settings = staticmethod(_phy.phy_sanitize_settings)
    phy_start_interrupts = staticmethod(_phy.phy_start_interrupts)
    phy_stop_interrupts = staticmethod(_phy.phy_stop_interrupts)

    def phy_register_fixup(
        self, bus_id: str, phy_uid: int, phy_uid_mask: int, run: Callable[[PhyDevice], Any]
    ) -> _pd.Fixup:
        return _pd.phy_register_fixup(self, bus_id, phy_uid, phy_uid_mask, run)

    def __repr__(self) -> str:
        return f"<Pal {self.profile} on {self.bus.url} t={self.now():.3f}s>"


#: Kernel names (phy_modes()) that are not Python identifiers.
_KERNEL_MODES = {
    "10gbase-r": Interface.BASER_10G,
    "2500base-x": Interface.BASEX_2500,
    "5gbase-r": Interface.BASER_5G,
    "10gbase-kr": Interface.BASEKR_10G,
}


def _interface(value: Interface | str) -> Interface:
    if isinstance(value, Interface):
        return value
    if str(value).lower() in _KERNEL_MODES:
        return _KERNEL_MODES[str(value).lower()]
    try:
        return Interface[str(value).upper().replace("-", "_")]
    except KeyError:
        raise UnknownNameError(
            "PHY interface mode", value, [i.name.lower() for i in Interface]
        ) from None
