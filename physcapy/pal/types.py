# SPDX-License-Identifier: GPL-2.0-only
"""The types phylib's pieces share, as ``include/linux/phy.h`` declares them for the C files.

A ``phy_device`` points at its ``mii_bus``, its driver and (here) the kernel that runs
it, and each of those points back at devices.  The concrete classes live in
``device.py``, ``mdiobus.py``, ``driver.py`` and ``kernel.py``; a device sees the other
three through the protocols below, so the modules import one way only: kernel above
mdiobus above phy_device, which uses phy and driver, which use genphy, which uses
device, which uses these.

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://lan8720a@1")
    >>> dev = pal.device("0:01")
    >>> isinstance(dev.kernel, Kernel), isinstance(dev.bus, MdioBus), isinstance(dev.drv, Driver)
    (True, True, True)
    >>> str(Profile.parse("linux26", "2005")), Profile.parse("linux6").release
    ('linux26/2005', 'v6.12')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from physcapy.errors import UnknownNameError
from physcapy.pal.events import EventLog
from physcapy.pal.scheduler import Scheduler

__all__ = ["PROFILES", "RELEASES", "Driver", "Kernel", "MdioBus", "Op", "Profile"]

PROFILES = ("linux26", "linux6")

#: A driver operation: called with the ``PhyDevice``; a negative int or a raised
#: ``PalError`` is a failure, as the kernel's ``int (*op)(struct phy_device *)``.
Op = Callable[[Any], Any]


#: The one kernel release each profile is (issue 18): every driver, genphy function,
#: probe step and state-machine detail follows that release's source.
RELEASES = {"linux26": "v2.6.32", "linux6": "v6.12"}


@dataclass(frozen=True)
class Profile:
    """Which phylib to be: ``linux26`` is Linux v2.6.32 (or, as the ``2005`` variant,
    the first phylib import, §1.8); ``linux6`` is Linux v6.12 (a long-term release)."""

    name: str = "linux26"
    variant: str = "2.6.32"

    def __post_init__(self) -> None:
        if self.name not in PROFILES:
            raise UnknownNameError("PAL profile", self.name, PROFILES)
        allowed = ("2.6.32", "2005") if self.name == "linux26" else ("6",)
        if self.variant not in allowed:
            raise UnknownNameError(f"{self.name} variant", self.variant, allowed)

    @classmethod
    def parse(cls, name: str, variant: str | None = None) -> Profile:
        if name == "linux6":
            return cls("linux6", variant or "6")
        return cls(name, variant or "2.6.32")

    @property
    def modern(self) -> bool:
        return self.name == "linux6"

    @property
    def v2005(self) -> bool:
        return self.variant == "2005"

    @property
    def release(self) -> str:
        """The kernel release this profile reproduces: ``"v2.6.32"``, ``"v6.12"``, or
        for the 2005 variant the first import (commit 00db8189, before v2.6.13)."""
        if self.v2005:
            return "2005 first import (00db8189)"
        return RELEASES[self.name]

    def __str__(self) -> str:
        return self.name if self.variant in ("2.6.32", "6") else f"{self.name}/{self.variant}"


@runtime_checkable
class Kernel(Protocol):
    """What phylib code asks of the kernel it runs in (:class:`physcapy.pal.Pal`): time,
    sleeping, delayed work, interrupt lines, the log, and the registered buses, drivers
    and board fixups."""

    profile: Profile
    scheduler: Scheduler
    events: EventLog
    #: The registered ``MiiBus`` objects.
    buses: list[Any]
    #: The ``DriverRegistry`` the driver core matches against.
    drivers: Any
    #: Board fixups (``phy_register_fixup``), in registration order.
    fixups: list[Any]

    def now(self) -> float: ...
    def jiffies_time(self) -> float: ...
    def event_time(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...
    def log(self, dev: Any, text: str) -> None: ...
    def request_irq(self, number: int, owner: Any, handler: Callable[[], bool]) -> bool: ...
    def free_irq(self, number: int, owner: Any) -> None: ...
    def disable_irq(self, number: int) -> None: ...
    def enable_irq(self, number: int) -> None: ...
    def note_interrupt(self, number: int, handled: bool) -> None: ...


@runtime_checkable
class MdioBus(Protocol):
    """A ``struct mii_bus`` as its devices use it (:class:`physcapy.pal.MiiBus`)."""

    id: str
    name: str
    irq: list[int] | None
    #: The devices found on it by address (``PhyDevice`` objects).
    phy_map: dict[int, Any]
    #: An errno every access fails with (a dead adapter), or None.
    error: int | None

    @property
    def kernel(self) -> Kernel: ...

    def read(self, addr: int, reg: int) -> int: ...
    def write(self, addr: int, reg: int, value: int) -> None: ...
    def read_c45(self, addr: int, devad: int, reg: int) -> int: ...
    def write_c45(self, addr: int, devad: int, reg: int, value: int) -> None: ...


@runtime_checkable
class Driver(Protocol):
    """A ``struct phy_driver`` as the core calls it (:class:`physcapy.pal.PhyDriver`);
    an operation that is None is a hook the driver does not have."""

    @property
    def phy_id(self) -> int: ...
    @property
    def phy_id_mask(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def features(self) -> int: ...
    @property
    def flags(self) -> int: ...
    @property
    def model(self) -> str | None: ...
    @property
    def config_init(self) -> Op | None: ...
    @property
    def probe(self) -> Op | None: ...
    @property
    def remove(self) -> Op | None: ...
    @property
    def suspend(self) -> Op | None: ...
    @property
    def resume(self) -> Op | None: ...
    @property
    def soft_reset(self) -> Op | None: ...
    @property
    def config_aneg(self) -> Op: ...
    @property
    def read_status(self) -> Op: ...
    @property
    def aneg_done(self) -> Op | None: ...
    @property
    def get_features(self) -> Op | None: ...
    @property
    def ack_interrupt(self) -> Op | None: ...
    @property
    def config_intr(self) -> Op | None: ...
    @property
    def did_interrupt(self) -> Callable[[Any], bool] | None: ...
    @property
    def handle_interrupt(self) -> Callable[[Any], bool] | None: ...

    def matches(self, phy_id: int) -> bool: ...
