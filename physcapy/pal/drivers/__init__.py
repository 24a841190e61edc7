# SPDX-License-Identifier: GPL-2.0-only
"""Vendor PHY drivers, per kernel release, in registration order.

A driver is registered under a profile only if that release has it, with that
release's name, mask, flags, features and operations (issue 18); a PHY no driver
claims gets the release's generic driver (and, without PHY_HAS_INTERRUPT in
2.6.32 or without config_intr + handle_interrupt in v6.12, polling).

One module per vendor family; each exports ``DRIVERS`` (what Linux v2.6.32 has of
that family: none for TI and Micrel, the RTL8211B alone for Realtek) and
``MODERN_DRIVERS`` (the Linux v6.12 forms).  The Marvell v6.12 forms live in
``marvell_v612``.  Each driver's ``model`` names the simulated part (``sim://MODEL``)::

    >>> from physcapy.pal import Profile
    >>> drivers = default_drivers(Profile.parse("linux26"))
    >>> [d.name for d in drivers if d.model == "lan8720a"]
    ['SMSC LAN8710/LAN8720']
    >>> [d.name for d in drivers if d.model == "dp83848"]
    []
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
    Realtek), then those 2.6.32 lacks (TI, Micrel, and the multi-gigabit Aquantia and
    Marvell 10G families, and the v6.12 parts of issue 22)."""
    from physcapy.pal.drivers import (
        aquantia,
        broadcom,
        cicada,
        davicom,
        lxt,
        marvell,
        marvell10g,
        marvell_88e1510,
        micrel,
        micrel_v612,
        microchip_t1s,
        motorcomm,
        mxl_gpy,
        nxp_tja11xx,
        qsemi,
        realtek,
        realtek_c45,
        smsc,
        smsc_lan874x,
        ti,
        ti_dp83822,
    )

    return [
        marvell,
        davicom,
        cicada,
        lxt,
        qsemi,
        smsc,
        realtek,
        ti,
        micrel,
        aquantia,
        marvell10g,
        realtek_c45,
        mxl_gpy,
        micrel_v612,
        nxp_tja11xx,
        microchip_t1s,
        smsc_lan874x,
        ti_dp83822,
        motorcomm,
        marvell_88e1510,
        broadcom,
    ]


def default_drivers(profile: Profile) -> list[PhyDriver]:
    """Every vendor driver physcapy has that the profile's release has, in that
    release's form: ``DRIVERS`` for linux26 (v2.6.32), ``MODERN_DRIVERS`` for linux6
    (v6.12).

    No two of them match a common identifier, so the order decides nothing in
    binding; it is the order listings show.
    """
    from physcapy.pal.drivers import marvell, marvell_v612

    out: list[PhyDriver] = []
    for family in families():
        if not profile.modern:
            out.extend(family.DRIVERS)
        elif family is marvell:
            out.extend(marvell_v612.DRIVERS)
        else:
            out.extend(family.MODERN_DRIVERS)
    return out
