# SPDX-License-Identifier: GPL-2.0-only
"""Marvell 88E1510/88E1512/88E1514/88E1518 as Linux v6.12 ``drivers/net/phy/marvell.c``
drives them (the "Marvell 88E1510" entry, MARVELL_PHY_ID_88E1510 0x01410dd0, mask
0xfffffff0).

* features = PHY_GBIT_FIBRE_FEATURES (10/100/1000BASE-T, Autoneg, TP, MII and the FIBRE
  port): phy_probe reads no BMSR, only the EEE abilities;
* probe (``m88e1510_probe``: marvell_probe, hwmon registration, phy_sfp_probe): no MDIO;
* config_init (``m88e1510_config_init``): the errata on page 0xFF (four r17/r16 pairs),
  page 0xFB r7 <- 0xC00D, the copper page; SGMII: page 18 r20 mode SGMII and its reset
  bit; ``m88e1011_set_downshift`` (r16, genphy_soft_reset); ``m88e1318_config_init``:
  with an interrupt line, page 3 r18 INTn enable / active low; ``marvell_config_led``:
  page 3 r16 <- 0x1177 (phy_write_paged);
* config_aneg (``m88e1510_config_aneg``): copper page, ``m88e1318_config_aneg`` (page 2
  r16 bit 6 PAD_ODD, then ``m88e1121_config_aneg``), then unless SGMII the fibre page
  and ``marvell_config_aneg_fiber`` (1000BASE-X advertisement in r4, restart on change
  or when AN is off), and the copper page again;
* read_status (``marvell_read_status``): FIBRE being supported and the interface not
  SGMII, the fibre page first (r17: link bit 10, resolved bit 11); a fibre link keeps
  that page, otherwise the copper page and ``marvell_read_status_page`` there;
* suspend/resume (``marvell_suspend``/``marvell_resume``): BMCR power-down on the fibre
  page, then the copper page;
* config_intr/handle_interrupt: ``marvell_config_intr``, ``marvell_handle_interrupt``.

The model pages every register but r22 (``paged_from = 0``), so the page 0xFB r7 and
fibre-page r0/r4 writes stay off the copper registers.  WoL, cable test, LEDs through
the LED class, hwmon reads and loopback are not modelled.  Linux v2.6.32 has no
88E1510 entry: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import (
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_UNKNOWN,
    PHY_GBIT_FEATURES,
    SPEED_UNKNOWN,
    SUPPORTED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.drivers.marvell import MII_M1011_PHY_STATUS, MII_MARVELL_PHY_PAGE
from physcapy.pal.drivers.marvell_v612 import (
    MII_MARVELL_COPPER_PAGE,
    MII_MARVELL_FIBER_PAGE,
    MII_MARVELL_LED_PAGE,
    MII_MARVELL_MSCR_PAGE,
    _modify_changed,
    _modify_paged_changed,
    _resolved_speed_duplex,
    _set_page,
    m88e1011_set_downshift,
    m88e1121_config_aneg,
    marvell_config_intr,
    marvell_handle_interrupt,
    marvell_read_status,
)
from physcapy.pal.genphy import (
    MII_LPA,
    genphy_check_and_restart_aneg,
    genphy_read_status_fixed,
    genphy_resume,
    genphy_setup_forced,
    genphy_suspend,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "M88E1510", "MODERN_DRIVERS"]

MARVELL_PHY_ID_88E1510 = 0x01410DD0
#: m88e1510_config_init's errata: (r17, r16) pairs written on page 0xFF.
M88E1510_ERRATA = ((0x214B, 0x2144), (0x0C28, 0x2146), (0xB233, 0x214D), (0xCC0C, 0x2159))
M88E1510_ERRATA_PAGE, M88E1510_FB_PAGE, M88E1510_FB_REG7 = 0x00FF, 0x00FB, 0xC00D
MII_88E1510_GEN_CTRL_REG_1, MII_88E1510_GEN_CTRL_PAGE = 20, 18
MII_88E1510_GEN_CTRL_REG_1_MODE_MASK, MII_88E1510_GEN_CTRL_REG_1_MODE_SGMII = 0x7, 0x1
MII_88E1510_GEN_CTRL_REG_1_RESET = 0x8000
MII_88E1318S_PHY_MSCR1_REG, MII_88E1318S_PHY_MSCR1_PAD_ODD = 16, 0x0040
MII_88E1318S_PHY_LED_TCR = 0x12
MII_88E1318S_PHY_LED_TCR_FORCE_INT, MII_88E1318S_PHY_LED_TCR_INTN_ENABLE = 0x8000, 0x0080
MII_88E1318S_PHY_LED_TCR_INT_ACTIVE_LOW = 0x0800
MII_PHY_LED_CTRL, MII_88E1510_PHY_LED_DEF = 16, 0x1177
MII_M1011_PHY_STATUS_LINK = 0x0400
#: 1000BASE-X advertisement bits (mii.h ADVERTISE_1000X*) by ethtool mode.
ADVERTISE_1000X = (
    ("1000baseX_Full", 0x0020),
    ("Pause", 0x0080),
    ("Asym_Pause", 0x0100),
)
ADVERTISE_1000X_MASK = 0x0040 | 0x0020 | 0x0080 | 0x0100
LPA_1000XFULL, LPA_PAUSE_FIBER, LPA_PAUSE_ASYM_FIBER = 0x0020, 0x0080, 0x0100
#: PHY_GBIT_FIBRE_FEATURES: the gigabit features plus the FIBRE port.
PHY_GBIT_FIBRE_FEATURES = PHY_GBIT_FEATURES | SUPPORTED["FIBRE"]


def _has_fibre(dev: PhyDevice) -> bool:
    """linkmode_test_bit(ETHTOOL_LINK_MODE_FIBRE_BIT, supported)."""
    return bool(dev.supported & SUPPORTED["FIBRE"])


# -- init ------------------------------------------------------------------------------


def marvell_config_led_1510(dev: PhyDevice) -> None:
    """marvell.c marvell_config_led, 88E1510 family (no LED0-link/LED1-active flag):
    phy_write_paged of page 3 r16 <- 0x1177."""
    dev.write_paged(
        MII_MARVELL_PHY_PAGE, MII_MARVELL_LED_PAGE, MII_PHY_LED_CTRL, MII_88E1510_PHY_LED_DEF
    )


def m88e1318_config_init(dev: PhyDevice) -> None:
    """marvell.c m88e1318_config_init: with a valid interrupt line, phy_modify_paged of
    page 3 r18 (force-INT cleared, INTn enable and active low set); then
    marvell_config_init (the LED default; no device-tree reg-init)."""
    if dev.irq > 0:
        _modify_paged_changed(
            dev,
            MII_MARVELL_LED_PAGE,
            MII_88E1318S_PHY_LED_TCR,
            MII_88E1318S_PHY_LED_TCR_FORCE_INT,
            MII_88E1318S_PHY_LED_TCR_INTN_ENABLE | MII_88E1318S_PHY_LED_TCR_INT_ACTIVE_LOW,
        )
    marvell_config_led_1510(dev)


def m88e1510_config_init(dev: PhyDevice) -> None:
    """marvell.c m88e1510_config_init: errata on page 0xFF (r17 then r16, four times),
    page 0xFB r7 <- 0xC00D, copper page; SGMII: page 18 r20 mode 1 (phy_modify) and
    its reset bit (phy_set_bits), copper page; m88e1011_set_downshift(3);
    m88e1318_config_init."""
    _set_page(dev, M88E1510_ERRATA_PAGE)
    for reg17, reg16 in M88E1510_ERRATA:
        dev.write(17, reg17)
        dev.write(16, reg16)
    _set_page(dev, M88E1510_FB_PAGE)
    dev.write(7, M88E1510_FB_REG7)
    _set_page(dev, MII_MARVELL_COPPER_PAGE)
    if dev.interface == Interface.SGMII:
        _set_page(dev, MII_88E1510_GEN_CTRL_PAGE)
        dev.modify(
            MII_88E1510_GEN_CTRL_REG_1,
            MII_88E1510_GEN_CTRL_REG_1_MODE_MASK,
            MII_88E1510_GEN_CTRL_REG_1_MODE_SGMII,
        )
        dev.modify(MII_88E1510_GEN_CTRL_REG_1, 0, MII_88E1510_GEN_CTRL_REG_1_RESET)
        _set_page(dev, MII_MARVELL_COPPER_PAGE)
    m88e1011_set_downshift(dev, 3)
    m88e1318_config_init(dev)


# -- negotiation -----------------------------------------------------------------------


def marvell_config_aneg_fiber(dev: PhyDevice) -> int:
    """marvell.c marvell_config_aneg_fiber (on the fibre page): forced:
    genphy_setup_forced; else the 1000BASE-X advertisement (linkmode_adv_to_fiber_adv_t)
    into r4 bits 5-8 (phy_modify_changed) and genphy_check_and_restart_aneg."""
    if dev.autoneg != AUTONEG_ENABLE:
        genphy_setup_forced(dev)
        return 0
    dev.advertising &= dev.supported
    adv = 0
    for name, bit in ADVERTISE_1000X:
        if dev.advertising & SUPPORTED[name]:
            adv |= bit
    changed = _modify_changed(dev, 4, ADVERTISE_1000X_MASK, adv)
    return genphy_check_and_restart_aneg(dev, bool(changed))


def m88e1318_config_aneg(dev: PhyDevice) -> int:
    """marvell.c m88e1318_config_aneg: phy_modify_paged of page 2 r16 (PAD_ODD, bit 6,
    set), then m88e1121_config_aneg."""
    _modify_paged_changed(
        dev,
        MII_MARVELL_MSCR_PAGE,
        MII_88E1318S_PHY_MSCR1_REG,
        0,
        MII_88E1318S_PHY_MSCR1_PAD_ODD,
    )
    return m88e1121_config_aneg(dev)


def m88e1510_config_aneg(dev: PhyDevice) -> int:
    """marvell.c m88e1510_config_aneg: copper page, m88e1318_config_aneg; unless SGMII,
    the fibre page, marvell_config_aneg_fiber, the copper page (restored on error
    too)."""
    _set_page(dev, MII_MARVELL_COPPER_PAGE)
    try:
        m88e1318_config_aneg(dev)
        if dev.interface == Interface.SGMII:
            return 0
        _set_page(dev, MII_MARVELL_FIBER_PAGE)
        marvell_config_aneg_fiber(dev)
    except BaseException:
        _set_page(dev, MII_MARVELL_COPPER_PAGE)
        raise
    _set_page(dev, MII_MARVELL_COPPER_PAGE)
    return 0


# -- status ----------------------------------------------------------------------------


def _read_status_fiber(dev: PhyDevice) -> None:
    """marvell.c marvell_read_status_page on the fibre page: r17 (link from bit 10);
    partner, pause, speed, duplex cleared; with autoneg marvell_read_status_page_an
    (unresolved: link down; else duplex and speed from r17, LPA r5 for 1000BASE-X full
    and the fibre pause bits); forced: genphy_read_status_fixed."""
    status = dev.read(MII_M1011_PHY_STATUS)
    dev.link = int(bool(status & MII_M1011_PHY_STATUS_LINK))
    dev.lp_advertising = 0
    dev.pause = dev.asym_pause = 0
    dev.speed, dev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    if dev.autoneg != AUTONEG_ENABLE:
        genphy_read_status_fixed(dev)
        return
    if not _resolved_speed_duplex(dev, status):
        return
    lpa = dev.read(MII_LPA)
    if lpa & LPA_1000XFULL:
        dev.lp_advertising |= SUPPORTED["1000baseX_Full"]
    if dev.duplex == DUPLEX_FULL and lpa & LPA_PAUSE_FIBER:
        dev.pause = 1
        dev.asym_pause = int(bool(lpa & LPA_PAUSE_ASYM_FIBER))


def m88e1510_read_status(dev: PhyDevice) -> None:
    """marvell.c marvell_read_status: FIBRE supported and not SGMII: fibre page, its
    status; a fibre link stays there; else the copper page, then the copper status
    (marvell_read_status_page)."""
    if _has_fibre(dev) and dev.interface != Interface.SGMII:
        _set_page(dev, MII_MARVELL_FIBER_PAGE)
        try:
            _read_status_fiber(dev)
        except BaseException:
            _set_page(dev, MII_MARVELL_COPPER_PAGE)
            raise
        if dev.link:
            return
        _set_page(dev, MII_MARVELL_COPPER_PAGE)
    marvell_read_status(dev)


# -- power -----------------------------------------------------------------------------


def marvell_suspend(dev: PhyDevice) -> None:
    """marvell.c marvell_suspend: with FIBRE, fibre page genphy_suspend, copper page;
    then genphy_suspend."""
    if _has_fibre(dev):
        _set_page(dev, MII_MARVELL_FIBER_PAGE)
        genphy_suspend(dev)
        _set_page(dev, MII_MARVELL_COPPER_PAGE)
    genphy_suspend(dev)


def marvell_resume(dev: PhyDevice) -> None:
    """marvell.c marvell_resume: with FIBRE, fibre page genphy_resume, copper page;
    then genphy_resume."""
    if _has_fibre(dev):
        _set_page(dev, MII_MARVELL_FIBER_PAGE)
        genphy_resume(dev)
        _set_page(dev, MII_MARVELL_COPPER_PAGE)
    genphy_resume(dev)


M88E1510 = PhyDriver(
    MARVELL_PHY_ID_88E1510,
    0xFFFFFFF0,
    "Marvell 88E1510",
    features=PHY_GBIT_FIBRE_FEATURES,
    config_init=m88e1510_config_init,
    config_aneg=m88e1510_config_aneg,
    read_status=m88e1510_read_status,
    config_intr=marvell_config_intr,
    handle_interrupt=marvell_handle_interrupt,
    suspend=marvell_suspend,
    resume=marvell_resume,
    model="88e1512",
)

#: Linux v2.6.32 marvell.c has no 88E1510 entry.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 marvell.c's "Marvell 88E1510" entry.
MODERN_DRIVERS: list[PhyDriver] = [M88E1510]
