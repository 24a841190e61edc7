# SPDX-License-Identifier: GPL-2.0-only
"""``struct phy_driver``: an ID, a mask, features, flags and the operations.

A driver is a table of functions, as in the kernel; an operation left as None is a
hook the driver does not have (the core then skips it or uses its own default).
Binding follows phylib-reference.md §2.2: the first registered driver with
``(drv.phy_id & drv.phy_id_mask) == (phy_id & drv.phy_id_mask)`` wins, and a
device nothing matched gets the generic driver when it is attached::

    >>> GENPHY.name, GENPHY.matches(0x01410cc2)
    ('Generic PHY', False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from physcapy.errors import UnknownNameError
from physcapy.pal import genphy

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice, Profile

__all__ = ["GENPHY", "GENPHY_C45", "DriverRegistry", "Op", "PhyDriver"]

Op = Callable[["PhyDevice"], Any]


@dataclass(frozen=True, eq=False)
class PhyDriver:
    """One PHY driver.  ``model`` names the simulated model (``sim://MODEL``) whose ID it
    binds to, where physcapy has one."""

    phy_id: int
    phy_id_mask: int
    name: str
    features: int = 0
    flags: int = 0
    config_init: Op | None = None
    probe: Op | None = None
    remove: Op | None = None
    suspend: Op | None = None
    resume: Op | None = None
    #: Modern: run by phy_init_hw before config_init.
    soft_reset: Op | None = None
    config_aneg: Op = genphy.genphy_config_aneg
    read_status: Op = genphy.genphy_read_status
    #: Modern hook; the 2.6 core always reads BMSR bit 5 itself.
    aneg_done: Op | None = None
    #: Modern: fills ``supported`` at probe instead of ``features``.
    get_features: Op | None = None
    ack_interrupt: Op | None = None
    #: Called after the core set ``phydev.interrupts`` (enabled or disabled).
    config_intr: Op | None = None
    did_interrupt: Callable[[PhyDevice], bool] | None = None
    #: Modern: read and ack the interrupt status; True when it was this PHY's.
    handle_interrupt: Callable[[PhyDevice], bool] | None = None
    #: v6.12 read_mmd/write_mmd = genphy_*_mmd_unsupported: no MMD access at all.
    mmd_unsupported: bool = False
    model: str | None = None
    #: v6.12 match_phy_device: decides binding in place of the ID and mask (it may
    #: read the PHY, as the 88X3310's port count check does).
    match_phy_device: Callable[[PhyDevice], bool] | None = None

    def matches(self, phy_id: int) -> bool:
        return (self.phy_id & self.phy_id_mask) == (phy_id & self.phy_id_mask)

    def matches_device(self, dev: PhyDevice) -> bool:
        """phy_bus_match: match_phy_device when the driver has one; else the ID of a
        Clause 22 device, or of any MMD of a Clause 45 one."""
        if self.match_phy_device is not None:
            return self.match_phy_device(dev)
        if dev.is_c45:
            return any(self.matches(i) for i in dev.c45_ids.values() if i != 0xFFFFFFFF)
        return self.matches(dev.phy_id)

    def __repr__(self) -> str:
        return f"<PhyDriver {self.name!r} {self.phy_id:#010x}/{self.phy_id_mask:#010x}>"


#: The generic driver: never matches by ID, bound at attach when nothing else did.
GENPHY = PhyDriver(
    0xFFFFFFFF,
    0xFFFFFFFF,
    "Generic PHY",
    features=0,
    config_init=genphy.genphy_config_init,
    suspend=genphy.genphy_suspend,
    resume=genphy.genphy_resume,
)
#: v6.12 genphy_driver: get_features = genphy_read_abilities, no config_init.
GENPHY_612 = replace(GENPHY, config_init=None, get_features=genphy.genphy_read_abilities)
#: The 2005 generic driver had no suspend/resume.
GENPHY_2005 = replace(GENPHY, suspend=None, resume=None)
#: Modern kernels bind this one to Clause 45 devices that no driver matched.
GENPHY_C45 = PhyDriver(
    0xFFFFFFFF,
    0xFFFFFFFF,
    "Generic Clause 45 PHY",
    config_aneg=genphy.genphy_c45_config_aneg,
    read_status=genphy.genphy_c45_read_status,
    get_features=genphy.genphy_c45_read_abilities,
    suspend=None,
    resume=None,
)


def generic_driver(profile: Profile, c45: bool = False) -> PhyDriver:
    """The driver phy_attach binds when nothing matched."""
    if profile.modern:
        return GENPHY_C45 if c45 else GENPHY_612
    return GENPHY_2005 if profile.v2005 else GENPHY


class DriverRegistry:
    """Registered drivers, in registration order (the driver core tries them so)."""

    def __init__(self, drivers: Iterable[PhyDriver] = ()):
        self._drivers: list[PhyDriver] = list(drivers)

    def register(self, drv: PhyDriver) -> PhyDriver:
        self._drivers.append(drv)
        return drv

    def unregister(self, drv: PhyDriver) -> None:
        self._drivers.remove(drv)

    def match(self, phy_id: int) -> PhyDriver | None:
        for drv in self._drivers:
            if drv.matches(phy_id):
                return drv
        return None

    def by_name(self, name: str) -> PhyDriver:
        for drv in self._drivers:
            if drv.name == name:
                return drv
        raise UnknownNameError("PHY driver", name, [d.name for d in self._drivers])

    def __iter__(self) -> Iterator[PhyDriver]:
        return iter(self._drivers)

    def __len__(self) -> int:
        return len(self._drivers)
