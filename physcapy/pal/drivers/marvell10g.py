# SPDX-License-Identifier: GPL-2.0-only
"""Marvell Alaska X 88X3310 as Linux v6.12 ``drivers/net/phy/marvell10g.c`` drives it
("mv88x3310").

A native Clause 45 part: ``mv3310_match_phy_device`` binds it by the PMA/PMD ID and a
port count of one (PCS 0xD00D, read during matching); probe checks that PMA/PMD and AN
are in the package and the firmware booted (1.0xC050), reads the firmware version
(1.0xC011/0xC012), powers the port down (VEND2 0xF001 bit 11) and starts the
temperature sensor (VEND2 0xF08C/0xF08A; a kernel built with CONFIG_HWMON, as
distribution kernels are).  config_init powers up (and with firmware 0.3 or later
soft-resets the port), reads the MAC type (VEND2 0xF001 bits 2:0), enables
energy-detect power-down (PCS 0x8000 bits 9:8, with a BASE-T PCS reset when that
changed) and downshift (firmware 0.3.5.0 or later only).  config_aneg: MDI-X auto (PCS
0x8000 bits 6:5), the Clause 45 advertisement and 1000BASE-T in AN 0x8000.
read_status: the 10GBASE-R PCS status (3.0x1001) for a fibre link, else the copper
path: genphy_c45_read_link, 7.1, the copper status PCS 0x8008 (resolved, speed,
duplex, MDI-X) and, after AN, the partner pages (7.19, 7.33, AN 0x8001).  No
interrupt support in v6.12: the PHY is polled.

Linux v2.6.32 has no marvell10g.c and no Clause 45 scan: the part is not found there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_DISABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    DUPLEX_UNKNOWN,
    SPEED_UNKNOWN,
    SUPPORTED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import phy_resolve_aneg_pause
from physcapy.pal.phy_c45 import (
    MDIO_CTRL1,
    MDIO_MMD_AN,
    MDIO_MMD_PCS,
    MDIO_MMD_PMAPMD,
    MDIO_MMD_VEND2,
    MDIO_PMA_NG_EXTABLE,
    MDIO_PMA_NG_EXTABLE_2_5GBT,
    MDIO_PMA_NG_EXTABLE_5GBT,
    MDIO_STAT1,
    MDIO_STAT1_LSTATUS,
    genphy_c45_an_config_aneg,
    genphy_c45_aneg_done,
    genphy_c45_check_and_restart_aneg,
    genphy_c45_pma_read_abilities,
    genphy_c45_pma_setup_forced,
    genphy_c45_read_link,
    genphy_c45_read_lpa,
    modify_mmd_changed,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

_S = SUPPORTED
MARVELL_PHY_ID_88X3310, MARVELL_PHY_ID_MASK = 0x002B09A0, 0xFFFFFFF0
MV_PHY_ALASKA_NBT_QUIRK_MASK, MV_PHY_ALASKA_NBT_QUIRK_REV = 0xFFFFFFFE, 0x002B09AA
MDIO_DEVS_PMAPMD_AN = 1 << MDIO_MMD_PMAPMD | 1 << MDIO_MMD_AN
# PMA/PMD vendor registers.
MV_PMA_FW_VER0, MV_PMA_FW_VER1 = 0xC011, 0xC012
MV_PMA_BOOT, MV_PMA_BOOT_FATAL = 0xC050, 0x0001
# PCS vendor registers.
MV_PCS_BASE_T, MV_PCS_BASE_R = 0x0000, 0x1000
MV_PCS_CSCR1 = 0x8000
MV_PCS_CSCR1_ED_MASK, MV_PCS_CSCR1_ED_NLP = 0x0300, 0x0300
MV_PCS_CSCR1_MDIX_MASK, MV_PCS_CSCR1_MDIX_AUTO = 0x0060, 0x0060
MV_PCS_DSC1, MV_PCS_DSC1_ENABLE = 0x8003, 0x0200
MV_PCS_DSC1_FIELDS = 0x01FF  # 10GBASE-T 8:6, 1G/BASE-R 5:3, 100BASE-TX 2:0 retries
MV_PCS_DSC2, MV_PCS_DSC2_FIELDS = 0x8004, 0xFF00  # 2.5G 15:12, 5G 11:8
MV_PCS_CSSR1 = 0x8008
MV_PCS_CSSR1_SPD1_MASK, MV_PCS_CSSR1_SPD1_SPD2 = 0xC000, 0xC000
MV_PCS_CSSR1_DUPLEX_FULL, MV_PCS_CSSR1_RESOLVED = 0x2000, 0x0800
MV_PCS_CSSR1_SPD2_MASK = 0x000C
MV_PCS_PORT_INFO, MV_PCS_PORT_INFO_NPORTS_MASK = 0xD00D, 0x0380
# AN vendor registers: Clause 45 has no standard 1000BASE-T pages.
MV_AN_CTRL1000, MV_AN_STAT1000 = 0x8000, 0x8001
# VEND2 registers.
MV_V2_PORT_CTRL = 0xF001
MV_V2_PORT_CTRL_PWRDOWN, MV_V2_33X0_PORT_CTRL_SWRST = 0x0800, 0x8000
MV_V2_33X0_PORT_CTRL_MACTYPE_MASK = 0x0007
MV_V2_TEMP_CTRL, MV_V2_TEMP_CTRL_MASK, MV_V2_TEMP_CTRL_SAMPLE = 0xF08A, 0xC000, 0x0000
MV_V2_TEMP, MV_V2_TEMP_UNKNOWN = 0xF08C, 0x9600
ADVERTISE_1000FULL, ADVERTISE_1000HALF = 0x0200, 0x0100

#: CSSR1 speed bits (15:14, and 3:2 when 15:14 are both set) -> speed.
CSSR1_SPEEDS = {0xC000: 10000, 0xC008: 5000, 0xC004: 2500, 0x8000: 1000, 0x4000: 100, 0x0000: 10}
#: mv3310_init_supported_interfaces.
MV3310_INTERFACES = (
    Interface.SGMII,
    Interface.BASEX_2500,
    Interface.BASER_5G,
    Interface.XAUI,
    Interface.RXAUI,
    Interface.BASER_10G,
    Interface.USXGMII,
)
#: mv3310_mactypes: every MAC type 0-7 is valid on the 88X3310.
MV3310_MACTYPES = range(8)


def mv3310_match_phy_device(dev: PhyDevice) -> bool:
    """The PMA/PMD ID under the Marvell mask, and one port (PCS 0xD00D bits 9:7 = 0)."""
    if (dev.c45_ids.get(MDIO_MMD_PMAPMD, 0) & MARVELL_PHY_ID_MASK) != MARVELL_PHY_ID_88X3310:
        return False
    ports = (dev.read_mmd(MDIO_MMD_PCS, MV_PCS_PORT_INFO) & MV_PCS_PORT_INFO_NPORTS_MASK) >> 7
    return ports + 1 == 1


def mv3310_hwmon_config(dev: PhyDevice, enable: bool) -> None:
    """VEND2 0xF08C ← 0x9600, then VEND2 0xF08A bits 15:14 ← sample (0) or disable (3)."""
    dev.write_mmd(MDIO_MMD_VEND2, MV_V2_TEMP, MV_V2_TEMP_UNKNOWN)
    value = MV_V2_TEMP_CTRL_SAMPLE if enable else MV_V2_TEMP_CTRL_MASK
    modify_mmd_changed(dev, MDIO_MMD_VEND2, MV_V2_TEMP_CTRL, MV_V2_TEMP_CTRL_MASK, value)


def mv3310_power_down(dev: PhyDevice) -> None:
    """VEND2 0xF001 |= power-down (bit 11)."""
    modify_mmd_changed(dev, MDIO_MMD_VEND2, MV_V2_PORT_CTRL, 0, MV_V2_PORT_CTRL_PWRDOWN)


def mv3310_power_up(dev: PhyDevice) -> None:
    """VEND2 0xF001 &= ~power-down; 100 us; firmware 0.3 or later: |= soft reset."""
    modify_mmd_changed(dev, MDIO_MMD_VEND2, MV_V2_PORT_CTRL, MV_V2_PORT_CTRL_PWRDOWN, 0)
    dev.kernel.sleep(0.0001)
    if dev.priv.get("firmware_ver", 0) >= 0x00030000:
        modify_mmd_changed(dev, MDIO_MMD_VEND2, MV_V2_PORT_CTRL, 0, MV_V2_33X0_PORT_CTRL_SWRST)


def mv3310_reset(dev: PhyDevice, unit: int) -> None:
    """PCS (unit + 0) |= reset, then poll it every 5 ms (sleeping first) for up to
    100 ms until bit 15 clears."""
    reg = unit + MDIO_CTRL1
    modify_mmd_changed(dev, MDIO_MMD_PCS, reg, 0x8000, 0x8000)
    for _ in range(20):
        dev.kernel.sleep(0.005)
        if not dev.read_mmd(MDIO_MMD_PCS, reg) & 0x8000:
            return
    raise PalError(110, f"{dev.name}: PCS reset did not complete")


def mv3310_probe(dev: PhyDevice) -> None:
    """ENODEV unless Clause 45 with PMA/PMD and AN; the boot status; the firmware
    version (logged); downshift only from firmware 0.3.5.0; power down; hwmon."""
    in_package = dev.mmds_present
    if not dev.is_c45 or in_package & MDIO_DEVS_PMAPMD_AN != MDIO_DEVS_PMAPMD_AN:
        raise PalError(19, f"{dev.name}: not a Clause 45 PHY with PMA/PMD and AN")
    boot = dev.read_mmd(MDIO_MMD_PMAPMD, MV_PMA_BOOT)
    if boot & MV_PMA_BOOT_FATAL:
        raise PalError(19, f"{dev.name}: PHY failed to boot firmware, status={boot:04x}")
    ver = dev.read_mmd(MDIO_MMD_PMAPMD, MV_PMA_FW_VER0) << 16
    ver |= dev.read_mmd(MDIO_MMD_PMAPMD, MV_PMA_FW_VER1)
    dev.priv["firmware_ver"] = ver
    parts = ".".join(str(ver >> s & 0xFF) for s in (24, 16, 8, 0))
    dev.log(f"mv88x3310 {dev.name}: Firmware version {parts}")
    dev.priv["has_downshift"] = ver >= 0x00030500
    mv3310_power_down(dev)
    mv3310_hwmon_config(dev, True)


def mv3310_get_features(dev: PhyDevice) -> int:
    """genphy_c45_pma_read_abilities; revisions whose 1.11 hides NBASE-T (PMA ID
    0x002B09AA/AB) also read 1.21."""
    supported = genphy_c45_pma_read_abilities(dev)
    pma_id = dev.c45_ids.get(MDIO_MMD_PMAPMD, 0)
    if (pma_id & MV_PHY_ALASKA_NBT_QUIRK_MASK) == MV_PHY_ALASKA_NBT_QUIRK_REV:
        val = dev.read_mmd(MDIO_MMD_PMAPMD, MDIO_PMA_NG_EXTABLE)
        for bit, mode in (
            (MDIO_PMA_NG_EXTABLE_2_5GBT, _S["2500baseT_Full"]),
            (MDIO_PMA_NG_EXTABLE_5GBT, _S["5000baseT_Full"]),
        ):
            supported = (supported & ~mode) | (mode if val & bit else 0)
    return supported


def mv3310_set_edpd(dev: PhyDevice) -> None:
    """EDPD with NLPs (the default): PCS 0x8000 bits 9:8 ← 3; a BASE-T reset if it changed."""
    if modify_mmd_changed(
        dev, MDIO_MMD_PCS, MV_PCS_CSCR1, MV_PCS_CSCR1_ED_MASK, MV_PCS_CSCR1_ED_NLP
    ):
        mv3310_reset(dev, MV_PCS_BASE_T)


def mv3310_set_downshift(dev: PhyDevice) -> None:
    """Downshift after two attempts (DOWNSHIFT_DEV_DEFAULT_COUNT): PCS 0x8004 2.5G/5G
    fields ← 1, PCS 0x8003 enable with every field ← 1.  EOPNOTSUPP (ignored) on
    firmware before 0.3.5.0."""
    if not dev.priv.get("has_downshift"):
        return
    modify_mmd_changed(dev, MDIO_MMD_PCS, MV_PCS_DSC2, MV_PCS_DSC2_FIELDS, 0x1100)
    modify_mmd_changed(
        dev, MDIO_MMD_PCS, MV_PCS_DSC1, MV_PCS_DSC1_ENABLE | MV_PCS_DSC1_FIELDS, 0x0200 | 0x0049
    )


def mv3310_config_init(dev: PhyDevice) -> None:
    """ENODEV for a host interface the 88X3310 lacks; MDI-X auto; power up; the MAC
    type (no host interface list from an SFP cage: not changed); EDPD; downshift."""
    if dev.interface not in MV3310_INTERFACES:
        raise PalError(
            19, f"{dev.name}: 88X3310 cannot drive a {dev.interface.name} host interface"
        )
    dev.priv["mdix_ctrl"] = "auto"
    mv3310_power_up(dev)
    mactype = dev.read_mmd(MDIO_MMD_VEND2, MV_V2_PORT_CTRL) & MV_V2_33X0_PORT_CTRL_MACTYPE_MASK
    if mactype not in MV3310_MACTYPES:
        raise PalError(22, f"{dev.name}: MACTYPE configuration invalid")
    dev.priv["mactype"] = mactype
    mv3310_set_edpd(dev)
    mv3310_set_downshift(dev)


def mv3310_config_aneg(dev: PhyDevice) -> int:
    """mv3310_config_mdix (PCS 0x8000 bits 6:5 ← auto; a BASE-T reset on a change);
    forced: genphy_c45_pma_setup_forced; else genphy_c45_an_config_aneg, AN 0x8000
    (1000BASE-T full/half), restart on a change."""
    if modify_mmd_changed(
        dev, MDIO_MMD_PCS, MV_PCS_CSCR1, MV_PCS_CSCR1_MDIX_MASK, MV_PCS_CSCR1_MDIX_AUTO
    ):
        mv3310_reset(dev, MV_PCS_BASE_T)
    if dev.autoneg == AUTONEG_DISABLE:
        genphy_c45_pma_setup_forced(dev)
        return 0
    changed = genphy_c45_an_config_aneg(dev)
    reg = (ADVERTISE_1000FULL if dev.advertising & _S["1000baseT_Full"] else 0) | (
        ADVERTISE_1000HALF if dev.advertising & _S["1000baseT_Half"] else 0
    )
    mask = ADVERTISE_1000FULL | ADVERTISE_1000HALF
    changed |= modify_mmd_changed(dev, MDIO_MMD_AN, MV_AN_CTRL1000, mask, reg)
    genphy_c45_check_and_restart_aneg(dev, bool(changed))
    return changed


def mv3310_aneg_done(dev: PhyDevice) -> bool:
    """A 10GBASE-R link (3.0x1001) counts as done; else 7.1 bit 5."""
    if dev.read_mmd(MDIO_MMD_PCS, MV_PCS_BASE_R + MDIO_STAT1) & MDIO_STAT1_LSTATUS:
        return True
    return genphy_c45_aneg_done(dev)


def _read_status_copper(dev: PhyDevice) -> None:
    genphy_c45_read_link(dev)
    an_stat = dev.read_mmd(MDIO_MMD_AN, MDIO_STAT1)
    cssr1 = dev.read_mmd(MDIO_MMD_PCS, MV_PCS_CSSR1)
    if not cssr1 & MV_PCS_CSSR1_RESOLVED:
        dev.link = 0
        return
    speed = cssr1 & MV_PCS_CSSR1_SPD1_MASK
    if speed == MV_PCS_CSSR1_SPD1_SPD2:
        speed |= cssr1 & MV_PCS_CSSR1_SPD2_MASK
    if speed in CSSR1_SPEEDS:
        dev.speed = CSSR1_SPEEDS[speed]
    dev.duplex = DUPLEX_FULL if cssr1 & MV_PCS_CSSR1_DUPLEX_FULL else DUPLEX_HALF
    if an_stat & 0x0020:  # MDIO_AN_STAT1_COMPLETE
        genphy_c45_read_lpa(dev)
        stat1000 = dev.read_mmd(MDIO_MMD_AN, MV_AN_STAT1000)
        lp = dev.lp_advertising & ~(_S["1000baseT_Full"] | _S["1000baseT_Half"])
        lp |= _S["1000baseT_Full"] if stat1000 & 0x0800 else 0  # LPA_1000FULL
        lp |= _S["1000baseT_Half"] if stat1000 & 0x0400 else 0  # LPA_1000HALF
        dev.lp_advertising = lp
        phy_resolve_aneg_pause(dev)


def mv3310_read_status(dev: PhyDevice) -> None:
    """Everything reset; 3.0x1001: a 10GBASE-R link is 10G full (fibre); else the
    copper path.  The speed comes from CSSR1, not from the advertisements."""
    dev.speed, dev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    dev.lp_advertising = 0
    dev.link = 0
    dev.pause = dev.asym_pause = 0
    if dev.read_mmd(MDIO_MMD_PCS, MV_PCS_BASE_R + MDIO_STAT1) & MDIO_STAT1_LSTATUS:
        dev.link, dev.speed, dev.duplex = 1, 10000, DUPLEX_FULL
        return
    _read_status_copper(dev)


def mv3310_suspend(dev: PhyDevice) -> None:
    mv3310_power_down(dev)


def mv3310_resume(dev: PhyDevice) -> None:
    mv3310_power_up(dev)
    mv3310_hwmon_config(dev, True)


MV88X3310 = PhyDriver(
    MARVELL_PHY_ID_88X3310,
    MARVELL_PHY_ID_MASK,
    "mv88x3310",
    match_phy_device=mv3310_match_phy_device,
    get_features=mv3310_get_features,
    config_init=mv3310_config_init,
    probe=mv3310_probe,
    suspend=mv3310_suspend,
    resume=mv3310_resume,
    config_aneg=mv3310_config_aneg,
    aneg_done=mv3310_aneg_done,
    read_status=mv3310_read_status,
    model="88x3310",
)

#: Linux v2.6.32 has no marvell10g.c.
DRIVERS: list[PhyDriver] = []
MODERN_DRIVERS: list[PhyDriver] = [MV88X3310]
