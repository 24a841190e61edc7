# SPDX-License-Identifier: GPL-2.0-only
"""Vendor PHY drivers (phylib-reference.md §4), in registration order.

One module per vendor family; each exports ``DRIVERS`` (the 2.6.32 forms, or the
form of the reference's source for drivers newer than 2.6.32) and, where the v6
driver differs in a way the reference documents, ``MODERN_DRIVERS`` (the whole list
for that family under ``linux6``).  Each driver's ``model`` names the simulated part
(``sim://MODEL``) whose identifier binds to it::

    >>> from physcapy.pal import Profile
    >>> drivers = default_drivers(Profile.parse("linux26"))
    >>> [d.name for d in drivers if d.model == "lan8720a"]
    ['SMSC LAN8710/LAN8720']
    >>> modern = default_drivers(Profile.parse("linux6"))
    >>> [d.soft_reset is not None for d in modern if d.model == "lan8720a"]
    [True]
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from physcapy.pal.device import Profile
    from physcapy.pal.driver import PhyDriver

__all__ = ["default_drivers", "families"]


def families() -> list[ModuleType]:
    """The driver modules, in registration order: the 2.6.32 families in the order of
    that tree's drivers/net/phy/Makefile (Marvell, Davicom, Cicada, LXT, QSemi, SMSC,
    Realtek), then those added later (TI, Micrel)."""
    from physcapy.pal.drivers import (
        cicada,
        davicom,
        lxt,
        marvell,
        micrel,
        qsemi,
        realtek,
        smsc,
        ti,
    )

    return [marvell, davicom, cicada, lxt, qsemi, smsc, realtek, ti, micrel]


def default_drivers(profile: Profile) -> list[PhyDriver]:
    """Every vendor driver physcapy has, as the kernel would register them; under a
    modern profile a family's ``MODERN_DRIVERS`` replace its ``DRIVERS``.

    No two of them match a common identifier, so the order decides nothing in
    binding; it is the order listings show.
    """
    out: list[PhyDriver] = []
    for family in families():
        drivers = family.DRIVERS
        if profile.modern:
            drivers = getattr(family, "MODERN_DRIVERS", drivers)
        out.extend(drivers)
    return out
