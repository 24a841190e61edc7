# SPDX-License-Identifier: GPL-2.0-only
"""Microchip KSZ8081 and KSZ9131 as Linux v6.12 ``drivers/net/phy/micrel.c`` drives them
("Micrel KSZ8081 or KSZ8091" 0x00221560 and "Microchip KSZ9131 Gigabit PHY"
0x00221640, both under ``MICREL_PHY_ID_MASK`` 0x00fffff0).

Shared (``kszphy_*``): probe allocates the private data (no MDIO without an RMII
reference clock or an LED mode, which physcapy boards do not set); soft_reset is
genphy_soft_reset; ``kszphy_config_intr`` first clears the interrupt-level bit in r0x1f
(the driver data's ``interrupt_level_mask``: bit 14 on the KSZ9131, else bit 9), then
INTCS r0x1b ← 0x0500 (after an acknowledge) or 0 (before one);
``kszphy_handle_interrupt`` reads r0x1b; suspend turns interrupts off when the PHY has
a line, resume waits 1-2 ms and turns them back on.

KSZ8081 (``ksz8081_type``: broadcast and NAND-tree disable): config_init clears OMSO
r0x16 bit 15 (factory test), writes OMSO with bit 9 (broadcast address off) and reads
it for the NAND tree; config_aneg is genphy_config_aneg then the MDI-X setting in r0x1f
(once ``mdix_ctrl`` is known); read_status reads r0x1f and r0x1e (MDI-X) then
genphy_read_status.

KSZ9131: get_features is ``ksz9477_get_features`` (genphy_read_abilities; the EEE
modes from ``supported``); config_init sets ``mdix_ctrl`` to auto and, only with a
device-tree node, programs RGMII delays and skews (not modelled: physcapy boards have
none); config_aneg is r0x1c (MDI-X, written on change) then genphy_config_aneg;
read_status reads DIG_AXAN_STS r0x14 then genphy_read_status.

Neither exists in Linux v2.6.32 (no micrel.c): the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import (
    PHY_IGNORE_INTERRUPT,
    PHY_INTERRUPT_DISABLED,
    PHY_INTERRUPT_ENABLED,
    PHY_POLL,
    SUPPORTED,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    genphy_config_aneg,
    genphy_read_abilities,
    genphy_read_status,
    genphy_resume,
    genphy_soft_reset,
    genphy_suspend,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "KSZ8081", "KSZ9131", "MODERN_DRIVERS"]

MICREL_PHY_ID_MASK = 0x00FFFFF0
PHY_ID_KSZ8081, PHY_ID_KSZ9131 = 0x00221560, 0x00221640
# micrel.c registers and bits.
MII_KSZPHY_OMSO = 0x16
KSZPHY_OMSO_FACTORY_TEST, KSZPHY_OMSO_B_CAST_OFF, KSZPHY_OMSO_NAND_TREE_ON = 0x8000, 0x0200, 0x20
MII_KSZPHY_INTCS = 0x1B
KSZPHY_INTCS_ALL = 0x0500  # link up (bit 8) | link down (bit 10)
KSZPHY_INTCS_STATUS = 0x0005  # link down status (bit 2) | link up status (bit 0)
MII_KSZPHY_CTRL_1, MII_KSZPHY_CTRL_2 = 0x1E, 0x1F
MII_KSZPHY_CTRL = MII_KSZPHY_CTRL_2
KSZPHY_CTRL_INT_ACTIVE_HIGH = 0x0200  # bit 9: the default interrupt-level bit
KSZ9131_INTERRUPT_LEVEL_MASK = 0x4000  # ksz9131_type.interrupt_level_mask, bit 14
KSZ8081_CTRL1_MDIX_STAT = 0x0010
KSZ8081_CTRL2_HP_MDIX, KSZ8081_CTRL2_MDI_MDI_X_SELECT = 0x8000, 0x4000
KSZ8081_CTRL2_DISABLE_AUTO_MDIX = 0x2000
MII_KSZ9131_AUTO_MDIX = 0x1C
MII_KSZ9131_AUTO_MDI_SET, MII_KSZ9131_AUTO_MDIX_SWAP_OFF = 0x0080, 0x0040
MII_KSZ9131_DIG_AXAN_STS = 0x14
MII_KSZ9131_DIG_AXAN_STS_LINK_DET, MII_KSZ9131_DIG_AXAN_STS_A_SELECT = 0x4000, 0x1000
# ethtool MDI-X values (include/uapi/linux/ethtool.h).
ETH_TP_MDI_INVALID, ETH_TP_MDI, ETH_TP_MDI_X, ETH_TP_MDI_AUTO = 0, 1, 2, 3
#: PHY_EEE_CAP1_FEATURES as far as physcapy has the modes.
_EEE_CAP1 = SUPPORTED["100baseT_Full"] | SUPPORTED["1000baseT_Full"]


def _irq_valid(dev: PhyDevice) -> bool:
    """phy_interrupt_is_valid."""
    return dev.irq not in (PHY_POLL, PHY_IGNORE_INTERRUPT)


def _config_intr(dev: PhyDevice, level_mask: int) -> None:
    """micrel.c kszphy_config_intr: r0x1f &= ~level_mask (read, written back: pin active
    low); on: acknowledge (r0x1b), r0x1b ← 0x0500; off: r0x1b ← 0, acknowledge."""
    ctrl = dev.read(MII_KSZPHY_CTRL)
    dev.write(MII_KSZPHY_CTRL, ctrl & ~level_mask)
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dev.read(MII_KSZPHY_INTCS)
        dev.write(MII_KSZPHY_INTCS, KSZPHY_INTCS_ALL)
    else:
        dev.write(MII_KSZPHY_INTCS, 0)
        dev.read(MII_KSZPHY_INTCS)


def ksz8081_config_intr(dev: PhyDevice) -> None:
    """kszphy_config_intr with ksz8081_type (no interrupt_level_mask: bit 9)."""
    _config_intr(dev, KSZPHY_CTRL_INT_ACTIVE_HIGH)


def ksz9131_config_intr(dev: PhyDevice) -> None:
    """kszphy_config_intr with ksz9131_type (interrupt_level_mask bit 14)."""
    _config_intr(dev, KSZ9131_INTERRUPT_LEVEL_MASK)


def kszphy_handle_interrupt(dev: PhyDevice) -> bool:
    """micrel.c kszphy_handle_interrupt: r0x1b (read clears); ours when a link up or
    link down status bit is set."""
    return bool(dev.read(MII_KSZPHY_INTCS) & KSZPHY_INTCS_STATUS)


def kszphy_suspend(dev: PhyDevice) -> None:
    """micrel.c kszphy_suspend: with an interrupt line, config_intr with interrupts
    off; then genphy_suspend."""
    if _irq_valid(dev) and dev.drv is not None and dev.drv.config_intr is not None:
        dev.interrupts = PHY_INTERRUPT_DISABLED
        dev.drv.config_intr(dev)
    genphy_suspend(dev)


def kszphy_resume(dev: PhyDevice) -> None:
    """micrel.c kszphy_resume: genphy_resume, 1-2 ms (2 ms here), kszphy_config_reset
    (no MDIO: no RMII clock selection, no LED mode), then with an interrupt line
    config_intr with interrupts on."""
    genphy_resume(dev)
    dev.kernel.sleep(0.002)
    if _irq_valid(dev) and dev.drv is not None and dev.drv.config_intr is not None:
        dev.interrupts = PHY_INTERRUPT_ENABLED
        dev.drv.config_intr(dev)


# -- KSZ8081 --------------------------------------------------------------------------------


def ksz8081_config_init(dev: PhyDevice) -> None:
    """micrel.c ksz8081_config_init: phy_clear_bits(OMSO, factory test) (written on
    change), then kszphy_config_init: kszphy_broadcast_disable (OMSO read, written with
    bit 9 whatever it held), kszphy_nand_tree_disable (OMSO read, written only with the
    NAND tree on), kszphy_config_reset (no MDIO here)."""
    dev.modify(MII_KSZPHY_OMSO, KSZPHY_OMSO_FACTORY_TEST, 0)
    omso = dev.read(MII_KSZPHY_OMSO)
    dev.write(MII_KSZPHY_OMSO, omso | KSZPHY_OMSO_B_CAST_OFF)
    omso = dev.read(MII_KSZPHY_OMSO)
    if omso & KSZPHY_OMSO_NAND_TREE_ON:
        dev.write(MII_KSZPHY_OMSO, omso & ~KSZPHY_OMSO_NAND_TREE_ON)


def ksz8081_config_aneg(dev: PhyDevice) -> int:
    """micrel.c ksz8081_config_aneg: genphy_config_aneg, then ksz8081_config_mdix:
    r0x1f bits 15:13 (HP MDI-X | the setting), written on change, for a known
    ``mdix_ctrl`` only (it is unknown until the first status read)."""
    ret = genphy_config_aneg(dev)
    values = {
        ETH_TP_MDI: KSZ8081_CTRL2_DISABLE_AUTO_MDIX,
        ETH_TP_MDI_X: KSZ8081_CTRL2_DISABLE_AUTO_MDIX | KSZ8081_CTRL2_MDI_MDI_X_SELECT,
        ETH_TP_MDI_AUTO: 0,
    }
    ctrl = int(dev.priv.get("mdix_ctrl", ETH_TP_MDI_INVALID))
    if ctrl in values:
        mask = KSZ8081_CTRL2_HP_MDIX | KSZ8081_CTRL2_MDI_MDI_X_SELECT
        mask |= KSZ8081_CTRL2_DISABLE_AUTO_MDIX
        dev.modify(MII_KSZPHY_CTRL_2, mask, KSZ8081_CTRL2_HP_MDIX | values[ctrl])
    return ret


def ksz8081_read_status(dev: PhyDevice) -> None:
    """micrel.c ksz8081_read_status: ksz8081_mdix_update (r0x1f: the MDI-X setting;
    r0x1e bit 4: the MDI-X state), then genphy_read_status."""
    ctrl2 = dev.read(MII_KSZPHY_CTRL_2)
    if ctrl2 & KSZ8081_CTRL2_DISABLE_AUTO_MDIX:
        mdi_x = ctrl2 & KSZ8081_CTRL2_MDI_MDI_X_SELECT
        dev.priv["mdix_ctrl"] = ETH_TP_MDI_X if mdi_x else ETH_TP_MDI
    else:
        dev.priv["mdix_ctrl"] = ETH_TP_MDI_AUTO
    ctrl1 = dev.read(MII_KSZPHY_CTRL_1)
    dev.priv["mdix"] = ETH_TP_MDI if ctrl1 & KSZ8081_CTRL1_MDIX_STAT else ETH_TP_MDI_X
    genphy_read_status(dev)


#: PHY_BASIC_FEATURES is implied (no .features in v6.12: genphy_read_abilities).
KSZ8081 = PhyDriver(
    PHY_ID_KSZ8081,
    MICREL_PHY_ID_MASK,
    "Micrel KSZ8081 or KSZ8091",
    soft_reset=genphy_soft_reset,
    config_init=ksz8081_config_init,
    config_aneg=ksz8081_config_aneg,
    read_status=ksz8081_read_status,
    config_intr=ksz8081_config_intr,
    handle_interrupt=kszphy_handle_interrupt,
    suspend=kszphy_suspend,
    resume=kszphy_resume,
    model="ksz8081",
)


# -- KSZ9131 --------------------------------------------------------------------------------


def ksz9477_get_features(dev: PhyDevice) -> int:
    """micrel.c ksz9477_get_features: genphy_read_abilities, then the EEE modes taken
    from ``supported`` (3.20 is not trusted on these parts)."""
    supported = genphy_read_abilities(dev)
    dev.supported_eee = supported & _EEE_CAP1
    return supported


def ksz9131_config_init(dev: PhyDevice) -> None:
    """micrel.c ksz9131_config_init: mdix_ctrl ← auto; without a device-tree node
    nothing else (the RGMII delays, skews and LED errata need one)."""
    dev.priv["mdix_ctrl"] = ETH_TP_MDI_AUTO


def ksz9131_config_aneg(dev: PhyDevice) -> int:
    """micrel.c ksz9131_config_aneg: ksz9131_config_mdix (r0x1c bits 7:6 ← the setting,
    written on change), then genphy_config_aneg."""
    values = {
        ETH_TP_MDI: MII_KSZ9131_AUTO_MDIX_SWAP_OFF | MII_KSZ9131_AUTO_MDI_SET,
        ETH_TP_MDI_X: MII_KSZ9131_AUTO_MDIX_SWAP_OFF,
        ETH_TP_MDI_AUTO: 0,
    }
    ctrl = int(dev.priv.get("mdix_ctrl", ETH_TP_MDI_INVALID))
    if ctrl in values:
        mask = MII_KSZ9131_AUTO_MDIX_SWAP_OFF | MII_KSZ9131_AUTO_MDI_SET
        dev.modify(MII_KSZ9131_AUTO_MDIX, mask, values[ctrl])
    return genphy_config_aneg(dev)


def ksz9131_read_status(dev: PhyDevice) -> None:
    """micrel.c ksz9131_read_status: ksz9131_mdix_update (with auto MDI-X, r0x14: link
    detected, and which pair), then genphy_read_status."""
    ctrl = int(dev.priv.get("mdix_ctrl", ETH_TP_MDI_INVALID))
    if ctrl != ETH_TP_MDI_AUTO:
        dev.priv["mdix"] = ctrl
    else:
        sts = dev.read(MII_KSZ9131_DIG_AXAN_STS)
        if sts & MII_KSZ9131_DIG_AXAN_STS_LINK_DET:
            a_select = sts & MII_KSZ9131_DIG_AXAN_STS_A_SELECT
            dev.priv["mdix"] = ETH_TP_MDI if a_select else ETH_TP_MDI_X
        else:
            dev.priv["mdix"] = ETH_TP_MDI_INVALID
    genphy_read_status(dev)


KSZ9131 = PhyDriver(
    PHY_ID_KSZ9131,
    MICREL_PHY_ID_MASK,
    "Microchip KSZ9131 Gigabit PHY",
    soft_reset=genphy_soft_reset,
    config_init=ksz9131_config_init,
    config_intr=ksz9131_config_intr,
    config_aneg=ksz9131_config_aneg,
    read_status=ksz9131_read_status,
    handle_interrupt=kszphy_handle_interrupt,
    suspend=kszphy_suspend,
    resume=kszphy_resume,
    get_features=ksz9477_get_features,
    model="ksz9131",
)

#: Linux v2.6.32 has no micrel.c.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 micrel.c's KSZ8081 and KSZ9131 entries, in its order.
MODERN_DRIVERS: list[PhyDriver] = [KSZ8081, KSZ9131]
