# SPDX-License-Identifier: GPL-2.0-only
"""Linux v6.12 ``drivers/net/phy/phy-c45.c``: the ``genphy_c45_*`` helpers the
multi-gigabit drivers (Aquantia, Marvell 10G, Realtek RTL822x, MaxLinear GPY) call.

Each function issues the MMD accesses of the kernel function of the same name, in its
order, and writes only a change where the kernel uses ``phy_modify_mmd_changed``
(``phy_modify_mmd``, ``phy_set_bits_mmd`` and ``phy_clear_bits_mmd`` also skip an
unchanged write).  Registers and bits are IEEE 802.3 Clause 45 (45.2.1 PMA/PMD, 45.2.7
AN) under their ``include/uapi/linux/mdio.h`` names.

The older, simplified ``genphy_c45_*`` in :mod:`physcapy.pal.genphy` still serve
the "Generic Clause 45 PHY" driver; these serve the v6.12 vendor drivers.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_DISABLE,
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_UNKNOWN,
    SPEED_UNKNOWN,
    SUPPORTED,
)
from physcapy.pal.genphy import (
    _ADV_R4,
    _RESOLVE,
    ADVERTISE_OWNED,
    genphy_c45_an_config_eee_aneg,
    genphy_c45_read_eee_abilities,
    phy_resolve_aneg_pause,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = [
    "genphy_c45_an_config_aneg",
    "genphy_c45_aneg_done",
    "genphy_c45_check_and_restart_aneg",
    "genphy_c45_config_aneg",
    "genphy_c45_pma_read_abilities",
    "genphy_c45_pma_resume",
    "genphy_c45_pma_setup_forced",
    "genphy_c45_pma_suspend",
    "genphy_c45_read_link",
    "genphy_c45_read_lpa",
    "genphy_c45_read_pma",
    "genphy_c45_read_status",
    "modify_mmd_changed",
    "phy_resolve_aneg_linkmode",
]

_S = SUPPORTED

# MMDs (45.2) and the MDIO_DEVS_* bits of devices in package.
MDIO_MMD_PMAPMD, MDIO_MMD_PCS, MDIO_MMD_PHYXS, MDIO_MMD_AN = 1, 3, 4, 7
MDIO_MMD_VEND1, MDIO_MMD_VEND2 = 30, 31
MDIO_DEVS_AN = 1 << MDIO_MMD_AN
# Registers common to every MMD.
MDIO_CTRL1, MDIO_STAT1, MDIO_CTRL2, MDIO_STAT2 = 0, 1, 7, 8
MDIO_CTRL1_LPOWER = 0x0800
MDIO_CTRL1_SPEEDSEL = 0x207C  # bits 13, 6 and 5:2
MDIO_STAT1_LPOWERABLE, MDIO_STAT1_LSTATUS = 0x0002, 0x0004
# PMA/PMD (45.2.1).
MDIO_PMA_TXDIS = 9
MDIO_PMA_EXTABLE, MDIO_PMA_NG_EXTABLE = 11, 21
MDIO_PMA_STAT2_EXTABLE = 0x0200
MDIO_PMA_EXTABLE_10GBT, MDIO_PMA_EXTABLE_1000BT = 0x0004, 0x0020
MDIO_PMA_EXTABLE_100BTX, MDIO_PMA_EXTABLE_10BT = 0x0080, 0x0100
MDIO_PMA_EXTABLE_BT1, MDIO_PMA_EXTABLE_NBT = 0x0800, 0x4000
MDIO_PMA_NG_EXTABLE_2_5GBT, MDIO_PMA_NG_EXTABLE_5GBT = 0x0001, 0x0002
MDIO_PMA_CTRL1_SPEED1000, MDIO_PMA_CTRL1_SPEED100 = 0x0040, 0x2000
MDIO_CTRL1_SPEED10G, MDIO_CTRL1_SPEED2_5G, MDIO_CTRL1_SPEED5G = 0x2040, 0x2058, 0x205C
MDIO_PMA_CTRL2_TYPE = 0x000F
MDIO_PMA_CTRL2_10GBT, MDIO_PMA_CTRL2_1000BT, MDIO_PMA_CTRL2_100BTX = 0x0009, 0x000C, 0x000E
MDIO_PMA_CTRL2_10BT, MDIO_PMA_CTRL2_2_5GBT, MDIO_PMA_CTRL2_5GBT = 0x000F, 0x0030, 0x0031
# Auto-negotiation (45.2.7).
MDIO_AN_ADVERTISE, MDIO_AN_LPA = 16, 19
MDIO_AN_10GBT_CTRL, MDIO_AN_10GBT_STAT = 32, 33
MDIO_AN_CTRL1_RESTART, MDIO_AN_CTRL1_ENABLE = 0x0200, 0x1000
MDIO_AN_STAT1_LPABLE, MDIO_AN_STAT1_ABLE, MDIO_AN_STAT1_COMPLETE = 0x0001, 0x0008, 0x0020
MDIO_AN_10GBT_CTRL_ADV2_5G, MDIO_AN_10GBT_CTRL_ADV5G = 0x0080, 0x0100
MDIO_AN_10GBT_CTRL_ADV10G = 0x1000
MDIO_AN_10GBT_STAT_LP2_5G, MDIO_AN_10GBT_STAT_LP5G = 0x0020, 0x0040
MDIO_AN_10GBT_STAT_LP10G = 0x0800
LPA_PAUSE_CAP, LPA_PAUSE_ASYM = 0x0400, 0x0800

#: linkmode_adv_to_mii_10gbt_adv_t / mii_10gbt_stat_mod_linkmode_lpa_t
ADV_10GBT = (
    (_S["2500baseT_Full"], MDIO_AN_10GBT_CTRL_ADV2_5G),
    (_S["5000baseT_Full"], MDIO_AN_10GBT_CTRL_ADV5G),
    (_S["10000baseT_Full"], MDIO_AN_10GBT_CTRL_ADV10G),
)
LP_10GBT = (
    (_S["2500baseT_Full"], MDIO_AN_10GBT_STAT_LP2_5G),
    (_S["5000baseT_Full"], MDIO_AN_10GBT_STAT_LP5G),
    (_S["10000baseT_Full"], MDIO_AN_10GBT_STAT_LP10G),
)
_LP_10GBT_MODES = sum(mode for mode, _ in LP_10GBT)
_LP_BASE_MODES = sum(mode for mode, _ in _ADV_R4)
#: 1.11 bit -> link modes (genphy_c45_pma_read_ext_abilities, those physcapy has).
_EXTABLE = (
    (MDIO_PMA_EXTABLE_10GBT, _S["10000baseT_Full"]),
    (MDIO_PMA_EXTABLE_1000BT, _S["1000baseT_Full"]),
    (MDIO_PMA_EXTABLE_100BTX, _S["100baseT_Full"] | _S["100baseT_Half"]),
    (MDIO_PMA_EXTABLE_10BT, _S["10baseT_Full"] | _S["10baseT_Half"]),
)


def _bits(value: int, table: tuple[tuple[int, int], ...]) -> int:
    """The link modes of ``table`` (mode, register bit) whose bit ``value`` has."""
    return sum(mode for mode, bit in table if value & bit)


def _reg(modes: int, table: tuple[tuple[int, int], ...]) -> int:
    """The register bits of ``table`` for the link modes in ``modes``."""
    return sum(bit for mode, bit in table if modes & mode)


def modify_mmd_changed(dev: PhyDevice, devad: int, reg: int, mask: int, value: int) -> int:
    """phy_modify_mmd_changed: read, write only a change; 1 when it changed."""
    old = dev.read_mmd(devad, reg)
    new = (old & ~mask) | value
    if new == old:
        return 0
    dev.write_mmd(devad, reg, new)
    return 1


def baset1_able(dev: PhyDevice) -> bool:
    """genphy_c45_baset1_able: 1.11 bit 11, read once and kept (``pma_extable``)."""
    if dev.pma_extable is None:
        dev.pma_extable = dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_PMA_EXTABLE)
    return bool(dev.pma_extable & MDIO_PMA_EXTABLE_BT1)


# -- abilities ------------------------------------------------------------------------------


def genphy_c45_pma_read_ext_abilities(dev: PhyDevice) -> None:
    """1.11 (10GBASE-T, 1000BASE-T, 100BASE-TX, 10BASE-T), and with NBASE-T 1.21."""
    val = dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_PMA_EXTABLE)
    for bit, modes in _EXTABLE:
        dev.supported = (dev.supported & ~modes) | (modes if val & bit else 0)
    if val & MDIO_PMA_EXTABLE_NBT:
        ng = dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_PMA_NG_EXTABLE)
        for bit, mode in (
            (MDIO_PMA_NG_EXTABLE_2_5GBT, _S["2500baseT_Full"]),
            (MDIO_PMA_NG_EXTABLE_5GBT, _S["5000baseT_Full"]),
        ):
            dev.supported = (dev.supported & ~mode) | (mode if ng & bit else 0)


def genphy_c45_pma_read_abilities(dev: PhyDevice) -> int:
    """Autoneg from 7.1 (when the AN MMD is present), then 1.8 and, with its extended
    abilities bit, 1.11/1.21; then the EEE abilities (errors ignored).  Returns the
    supported modes (also left in ``dev.supported``)."""
    dev.supported &= ~_S["Autoneg"]
    if dev.mmds_present & MDIO_DEVS_AN and (
        dev.read_mmd(MDIO_MMD_AN, MDIO_STAT1) & MDIO_AN_STAT1_ABLE
    ):
        dev.supported |= _S["Autoneg"]
    # 1.8 10GBASE-SR/LR/ER bits: no physcapy part has them (no link modes here).
    if dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_STAT2) & MDIO_PMA_STAT2_EXTABLE:
        genphy_c45_pma_read_ext_abilities(dev)
    with contextlib.suppress(PalError):  # optional: the kernel ignores its failure
        genphy_c45_read_eee_abilities(dev)
    return dev.supported


# -- negotiation ----------------------------------------------------------------------------


def genphy_c45_an_config_aneg(dev: PhyDevice) -> int:
    """advertising &= supported; the EEE advertisement; 7.16 (10/100, pause) and 7.32
    (2.5G/5G/10G), each written only on a change; 1 when anything changed."""
    dev.advertising &= dev.supported
    changed = genphy_c45_an_config_eee_aneg(dev)
    adv = _reg(dev.advertising, _ADV_R4)
    changed |= modify_mmd_changed(dev, MDIO_MMD_AN, MDIO_AN_ADVERTISE, ADVERTISE_OWNED, adv)
    mask = MDIO_AN_10GBT_CTRL_ADV10G | MDIO_AN_10GBT_CTRL_ADV5G | MDIO_AN_10GBT_CTRL_ADV2_5G
    adv = _reg(dev.advertising, ADV_10GBT)
    changed |= modify_mmd_changed(dev, MDIO_MMD_AN, MDIO_AN_10GBT_CTRL, mask, adv)
    return changed


def genphy_c45_restart_aneg(dev: PhyDevice) -> None:
    """7.0 |= enable | restart (written only when not both set already)."""
    modify_mmd_changed(
        dev, MDIO_MMD_AN, MDIO_CTRL1, 0, MDIO_AN_CTRL1_ENABLE | MDIO_AN_CTRL1_RESTART
    )


def genphy_c45_check_and_restart_aneg(dev: PhyDevice, restart: bool) -> None:
    """Restart AN when asked, or when 7.0 shows AN disabled."""
    if not restart and not dev.read_mmd(MDIO_MMD_AN, MDIO_CTRL1) & MDIO_AN_CTRL1_ENABLE:
        restart = True
    if restart:
        genphy_c45_restart_aneg(dev)


def genphy_c45_an_disable_aneg(dev: PhyDevice) -> None:
    """7.0 &= ~(enable | restart)."""
    modify_mmd_changed(
        dev, MDIO_MMD_AN, MDIO_CTRL1, MDIO_AN_CTRL1_ENABLE | MDIO_AN_CTRL1_RESTART, 0
    )


_FORCED = {
    10: (0, MDIO_PMA_CTRL2_10BT),
    100: (MDIO_PMA_CTRL1_SPEED100, MDIO_PMA_CTRL2_100BTX),
    1000: (MDIO_PMA_CTRL1_SPEED1000, MDIO_PMA_CTRL2_1000BT),
    2500: (MDIO_CTRL1_SPEED2_5G, MDIO_PMA_CTRL2_2_5GBT),
    5000: (MDIO_CTRL1_SPEED5G, MDIO_PMA_CTRL2_5GBT),
    10000: (MDIO_CTRL1_SPEED10G, MDIO_PMA_CTRL2_10GBT),
}


def genphy_c45_pma_setup_forced(dev: PhyDevice) -> None:
    """Forced mode: full duplex only (EINVAL otherwise); 1.0 speed select and 1.7 PMA
    type (bits 5:0) read, then both written; AN disabled.  (BASE-T1 parts also set the
    role; physcapy's BASE-T1 parts are Clause 22 and never come here.)"""
    if dev.duplex != DUPLEX_FULL or dev.speed not in _FORCED:
        raise PalError(22, f"{dev.name}: forced {dev.speed}/{dev.duplex} is not possible")
    ctrl1 = dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_CTRL1) & ~MDIO_CTRL1_SPEEDSEL
    ctrl2 = dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_CTRL2) & ~(MDIO_PMA_CTRL2_TYPE | 0x30)
    speed_bits, pma_type = _FORCED[dev.speed]
    dev.write_mmd(MDIO_MMD_PMAPMD, MDIO_CTRL1, ctrl1 | speed_bits)
    dev.write_mmd(MDIO_MMD_PMAPMD, MDIO_CTRL2, ctrl2 | pma_type)
    genphy_c45_an_disable_aneg(dev)


def genphy_c45_config_aneg(dev: PhyDevice) -> int:
    """Forced: genphy_c45_pma_setup_forced; else advertise and restart on a change."""
    if dev.autoneg == AUTONEG_DISABLE:
        genphy_c45_pma_setup_forced(dev)
        return 0
    changed = genphy_c45_an_config_aneg(dev)
    genphy_c45_check_and_restart_aneg(dev, bool(changed))
    return changed


def genphy_c45_aneg_done(dev: PhyDevice) -> bool:
    """7.1 bit 5."""
    return bool(dev.read_mmd(MDIO_MMD_AN, MDIO_STAT1) & MDIO_AN_STAT1_COMPLETE)


# -- status ---------------------------------------------------------------------------------


def genphy_c45_read_link(dev: PhyDevice) -> None:
    """With an AN MMD, 7.0 first: a restart in progress is link down.  Then 1.1 (the
    PMA/PMD alone is in the kernel's mask): latched low, read twice unless polling
    with the link up (a single read then catches a short drop)."""
    if dev.mmds_present & MDIO_DEVS_AN and (
        dev.read_mmd(MDIO_MMD_AN, MDIO_CTRL1) & MDIO_AN_CTRL1_RESTART
    ):
        dev.link = 0
        return
    first_read = not dev.polling() or not dev.link
    if first_read and dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_STAT1) & MDIO_STAT1_LSTATUS:
        dev.link = 1
        return
    dev.link = int(bool(dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_STAT1) & MDIO_STAT1_LSTATUS))


def genphy_c45_read_lpa(dev: PhyDevice) -> None:
    """7.1; AN incomplete: the partner's base and 10G modes cleared.  Complete: 7.19
    (base page, pause) and 7.33 (2.5G/5G/10G).  Other partner modes (1000BASE-T from a
    vendor register) are the driver's and stay."""
    val = dev.read_mmd(MDIO_MMD_AN, MDIO_STAT1)
    owned = _LP_BASE_MODES | _LP_10GBT_MODES | _S["Autoneg"]
    if not val & MDIO_AN_STAT1_COMPLETE:
        dev.lp_advertising &= ~owned
        dev.pause = dev.asym_pause = 0
        return
    lp = dev.lp_advertising & ~owned
    if val & MDIO_AN_STAT1_LPABLE:
        lp |= _S["Autoneg"]
    lpa = dev.read_mmd(MDIO_MMD_AN, MDIO_AN_LPA)
    lp |= _bits(lpa, _ADV_R4)
    dev.pause = int(bool(lpa & LPA_PAUSE_CAP))
    dev.asym_pause = int(bool(lpa & LPA_PAUSE_ASYM))
    lp |= _bits(dev.read_mmd(MDIO_MMD_AN, MDIO_AN_10GBT_STAT), LP_10GBT)
    dev.lp_advertising = lp


_PMA_SPEED = {
    0: 10,
    MDIO_PMA_CTRL1_SPEED100: 100,
    MDIO_PMA_CTRL1_SPEED1000: 1000,
    MDIO_CTRL1_SPEED2_5G: 2500,
    MDIO_CTRL1_SPEED5G: 5000,
    MDIO_CTRL1_SPEED10G: 10000,
}


def genphy_c45_read_pma(dev: PhyDevice) -> None:
    """Forced mode: partner modes cleared, speed from 1.0, full duplex."""
    dev.lp_advertising = 0
    val = dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_CTRL1)
    dev.speed = _PMA_SPEED.get(val & MDIO_CTRL1_SPEEDSEL, SPEED_UNKNOWN)
    dev.duplex = DUPLEX_FULL


def phy_resolve_aneg_linkmode(dev: PhyDevice) -> None:
    """phy-core.c: the fastest mode both ends advertise (the settings[] order), then
    the pause bits (full duplex only)."""
    common = dev.lp_advertising & dev.advertising
    for mode, speed, duplex in _RESOLVE:
        if common & mode:
            dev.speed, dev.duplex = speed, duplex
            break
    phy_resolve_aneg_pause(dev)


def genphy_c45_read_status(dev: PhyDevice) -> None:
    """genphy_c45_read_link; speed, duplex and pause reset; with AN the partner's
    pages and the resolution, else the forced mode from 1.0."""
    genphy_c45_read_link(dev)
    dev.speed, dev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    dev.pause = dev.asym_pause = 0
    if dev.autoneg == AUTONEG_ENABLE:
        genphy_c45_read_lpa(dev)
        phy_resolve_aneg_linkmode(dev)
    else:
        genphy_c45_read_pma(dev)


# -- power ----------------------------------------------------------------------------------


def _pma_can_sleep(dev: PhyDevice) -> bool:
    return bool(dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_STAT1) & MDIO_STAT1_LPOWERABLE)


def genphy_c45_pma_suspend(dev: PhyDevice) -> None:
    """1.0 |= low power, when 1.1 says the PMA can (EOPNOTSUPP otherwise)."""
    if not _pma_can_sleep(dev):
        raise PalError(95, f"{dev.name}: PMA has no low-power mode")
    modify_mmd_changed(dev, MDIO_MMD_PMAPMD, MDIO_CTRL1, 0, MDIO_CTRL1_LPOWER)
    dev.suspended = True


def genphy_c45_pma_resume(dev: PhyDevice) -> None:
    """1.0 &= ~low power, when 1.1 says the PMA can sleep (EOPNOTSUPP otherwise)."""
    if not _pma_can_sleep(dev):
        raise PalError(95, f"{dev.name}: PMA has no low-power mode")
    modify_mmd_changed(dev, MDIO_MMD_PMAPMD, MDIO_CTRL1, MDIO_CTRL1_LPOWER, 0)
    dev.suspended = False
