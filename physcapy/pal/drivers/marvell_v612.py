# SPDX-License-Identifier: GPL-2.0-only
"""Marvell Alaska PHYs as Linux v6.12 ``drivers/net/phy/marvell.c`` drives them.

The v6.12 driver is not the 2.6.32 one (``marvell.py``): no driver lists features
(phy_probe reads BMSR/ESTATUS), every entry has ``marvell_config_intr`` and
``marvell_handle_interrupt`` (so the v6.12 core takes the interrupt line), config_init
programs downshift and ends in ``genphy_soft_reset`` (BMCR reset, then the 50 ms poll),
and config_aneg sets MDI-X with a read-modify-write of register 16 that writes only a
change, then soft-resets only when forced or when that polarity changed.  Only the
88E1101 keeps the register 29/30 errata writes::

    >>> from physcapy.pal import Pal
    >>> dev = Pal("sim://88e1111@1", "linux6", record_mdio=False).device("0:01")
    >>> dev.drv.name, dev.drv.config_init.__name__, dev.drv.features
    ('Marvell 88E1111', 'm88e1111gbe_config_init', 0)

Board settings read from ``dev.priv``: ``"mdix_ctrl"`` (``"mdi"``, ``"mdi-x"``,
``"auto"``; None = ETH_TP_MDI_INVALID, which v6.12 treats as auto).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from physcapy.pal.constants import (
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    DUPLEX_UNKNOWN,
    PHY_INTERRUPT_ENABLED,
    SPEED_UNKNOWN,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.drivers.marvell import (
    HWCFG_FIBER_COPPER_AUTO,
    HWCFG_FIBER_COPPER_RES,
    HWCFG_MODE_COPPER_RGMII,
    HWCFG_MODE_FIBER_RGMII,
    HWCFG_MODE_MASK,
    HWCFG_MODE_SGMII_NO_CLK,
    MARVELL_PHY_M1145_FLAGS_RESISTANCE,
    MII_88E1121_PHY_LED_DEF,
    MII_ERRATA_ADDR,
    MII_ERRATA_DATA,
    MII_M1011_IEVENT,
    MII_M1011_IMASK,
    MII_M1011_IMASK_CLEAR,
    MII_M1011_IMASK_INIT,
    MII_M1011_PHY_SCR,
    MII_M1011_PHY_STATUS,
    MII_M1111_PHY_EXT_CR,
    MII_M1111_PHY_EXT_SR,
    MII_M1111_PHY_LED_CONTROL,
    MII_M1111_PHY_LED_DIRECT,
    MII_M1111_RX_DELAY,
    MII_M1111_TX_DELAY,
    MII_MARVELL_PHY_PAGE,
    PHY_STATUS_100,
    PHY_STATUS_1000,
    PHY_STATUS_FULLDUPLEX,
    PHY_STATUS_SPD_MASK,
)
from physcapy.pal.genphy import (
    genphy_check_and_restart_aneg,
    genphy_config_aneg,
    genphy_read_abilities,
    genphy_read_lpa,
    genphy_read_status_fixed,
    genphy_resume,
    genphy_soft_reset,
    genphy_suspend,
    genphy_update_link,
    phy_resolve_aneg_pause,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS"]

# v6.12 marvell.c names for what marvell.py does not define.
MII_MARVELL_COPPER_PAGE, MII_MARVELL_FIBER_PAGE = 0x00, 0x01
MII_MARVELL_MSCR_PAGE, MII_MARVELL_LED_PAGE = 0x02, 0x03
MII_M1011_PHY_SCR_DOWNSHIFT_EN = 0x0800  # bit 11
MII_M1011_PHY_SCR_DOWNSHIFT_MASK = 0x7000  # bits 14:12
MII_M1011_PHY_SCR_MDI, MII_M1011_PHY_SCR_MDI_X, MII_M1011_PHY_SCR_AUTO_CROSS = 0x00, 0x20, 0x60
MII_M1111_PHY_EXT_CR_DOWNSHIFT_EN = 0x0100  # bit 8
MII_M1111_PHY_EXT_CR_DOWNSHIFT_MASK = 0x0E00  # bits 11:9
MII_M1111_HWCFG_MODE_COPPER_1000X_AN = 0x8
MII_M1011_PHY_STATUS_RESOLVED = 0x0800
MII_88E1121_PHY_MSCR_REG = 21
MII_88E1121_PHY_MSCR_RX_DELAY, MII_88E1121_PHY_MSCR_TX_DELAY = 0x0020, 0x0010
MII_PHY_LED_CTRL = 16
MARVELL_PHY_M1118_DNS323_LEDS = 0x00000002
#: Every config_init asks for a downshift after three failed 1000BASE-T attempts.
DOWNSHIFT_COUNT = 3

_RGMII = (Interface.RGMII, Interface.RGMII_ID, Interface.RGMII_RXID, Interface.RGMII_TXID)
_POLARITY = {
    "mdi": MII_M1011_PHY_SCR_MDI,
    "mdi-x": MII_M1011_PHY_SCR_MDI_X,
}


def _modify_changed(dev: PhyDevice, reg: int, mask: int, value: int) -> int:
    """phy_modify_changed: read, write only a change; 1 if it changed."""
    old = dev.read(reg)
    new = (old & ~mask) | value
    if new == old:
        return 0
    dev.write(reg, new)
    return 1


def _set_page(dev: PhyDevice, page: int) -> None:
    """marvell_set_page: a plain write of register 22."""
    dev.write(MII_MARVELL_PHY_PAGE, page)


def _modify_paged_changed(dev: PhyDevice, page: int, reg: int, mask: int, value: int) -> int:
    """phy_modify_paged_changed: select the page (read r22, write it if it differs),
    modify, restore the old page (always written)."""
    old_page = dev.select_page(MII_MARVELL_PHY_PAGE, page)
    try:
        return _modify_changed(dev, reg, mask, value)
    finally:
        dev.write(MII_MARVELL_PHY_PAGE, old_page)


# -- interrupts (marvell_config_intr, marvell_handle_interrupt) -------------------------


def marvell_config_intr(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (read r19), then r18 ← 0x6400; off: r18 ← 0, then
    acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dev.read(MII_M1011_IEVENT)
        dev.write(MII_M1011_IMASK, MII_M1011_IMASK_INIT)
    else:
        dev.write(MII_M1011_IMASK, MII_M1011_IMASK_CLEAR)
        dev.read(MII_M1011_IEVENT)


def marvell_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read r19 (which clears it); ours when a speed, duplex or link bit is set."""
    return bool(dev.read(MII_M1011_IEVENT) & MII_M1011_IMASK_INIT)


# -- downshift and init ----------------------------------------------------------------


def m88e1111_set_downshift(dev: PhyDevice, cnt: int = DOWNSHIFT_COUNT) -> None:
    """r20 bit 8 (enable) and bits 11:9 (count - 1), phy_modify; then genphy_soft_reset."""
    val = MII_M1111_PHY_EXT_CR_DOWNSHIFT_EN | (cnt - 1) << 9
    dev.modify(
        MII_M1111_PHY_EXT_CR,
        MII_M1111_PHY_EXT_CR_DOWNSHIFT_EN | MII_M1111_PHY_EXT_CR_DOWNSHIFT_MASK,
        val,
    )
    genphy_soft_reset(dev)


def m88e1011_set_downshift(dev: PhyDevice, cnt: int = DOWNSHIFT_COUNT) -> None:
    """r16 bit 11 (enable) and bits 14:12 (count - 1), phy_modify; then genphy_soft_reset."""
    val = MII_M1011_PHY_SCR_DOWNSHIFT_EN | (cnt - 1) << 12
    dev.modify(
        MII_M1011_PHY_SCR, MII_M1011_PHY_SCR_DOWNSHIFT_EN | MII_M1011_PHY_SCR_DOWNSHIFT_MASK, val
    )
    genphy_soft_reset(dev)


def _rgmii_delays(dev: PhyDevice) -> None:
    """m88e1111_config_init_rgmii_delays: r20 bits 7 (RX) and 1 (TX) per mode, phy_modify."""
    delay = {
        Interface.RGMII_ID: MII_M1111_RX_DELAY | MII_M1111_TX_DELAY,
        Interface.RGMII_RXID: MII_M1111_RX_DELAY,
        Interface.RGMII_TXID: MII_M1111_TX_DELAY,
    }.get(Interface(dev.interface), 0)
    dev.modify(MII_M1111_PHY_EXT_CR, MII_M1111_RX_DELAY | MII_M1111_TX_DELAY, delay)


def _hwcfg_mode(dev: PhyDevice, mode: int) -> None:
    """m88e1111_config_init_hwcfg_mode with fibre/copper auto-selection on."""
    dev.modify(
        MII_M1111_PHY_EXT_SR,
        HWCFG_MODE_MASK | HWCFG_FIBER_COPPER_AUTO | HWCFG_FIBER_COPPER_RES,
        mode | HWCFG_FIBER_COPPER_AUTO,
    )


def m88e1111_config_init(dev: PhyDevice) -> None:
    """RGMII: delays, then r27 mode 0xb (copper) or 0x3 (fibre resolved), read then
    written; SGMII: r27 mode 0x4 with auto-selection, then page 0; RTBI: delays, mode
    0x7, a soft reset, mode 0x7 again; then genphy_soft_reset; SGMII re-reads the
    abilities (genphy_read_abilities) after the reset."""
    iface = dev.interface
    if iface in _RGMII:
        _rgmii_delays(dev)
        temp = dev.read(MII_M1111_PHY_EXT_SR) & ~HWCFG_MODE_MASK
        temp |= HWCFG_MODE_FIBER_RGMII if temp & HWCFG_FIBER_COPPER_RES else HWCFG_MODE_COPPER_RGMII
        dev.write(MII_M1111_PHY_EXT_SR, temp)
    if iface == Interface.SGMII:
        _hwcfg_mode(dev, HWCFG_MODE_SGMII_NO_CLK)
        _set_page(dev, MII_MARVELL_COPPER_PAGE)
    if iface == Interface.RTBI:
        _rgmii_delays(dev)
        _hwcfg_mode(dev, 0x7)
        genphy_soft_reset(dev)
        _hwcfg_mode(dev, 0x7)
    genphy_soft_reset(dev)
    if iface == Interface.SGMII:
        dev.advertising |= genphy_read_abilities(dev)


def m88e1111gbe_config_init(dev: PhyDevice) -> None:
    """88E1111: downshift in r20 (and its soft reset), then m88e1111_config_init."""
    m88e1111_set_downshift(dev)
    m88e1111_config_init(dev)


def m88e1112_config_init(dev: PhyDevice) -> None:
    """88E1112, 88E1240: downshift in r16 (and its soft reset), then m88e1111_config_init."""
    m88e1011_set_downshift(dev)
    m88e1111_config_init(dev)


def marvell_config_init(dev: PhyDevice) -> None:
    """88E1101: marvell_config_led does nothing for this family; no DT reg-init."""
    _config_led(dev)


def _config_led(dev: PhyDevice) -> None:
    """marvell_config_led: the 88E1121R family gets LED default 0x0030 in page 3 r16."""
    if dev.phy_id & 0xFFFFFFF0 == 0x01410CB0:
        dev.write_paged(
            MII_MARVELL_PHY_PAGE, MII_MARVELL_LED_PAGE, MII_PHY_LED_CTRL, MII_88E1121_PHY_LED_DEF
        )


def marvell_1011gbe_config_init(dev: PhyDevice) -> None:
    """88E1121R: downshift in r16 (and its soft reset), then marvell_config_init."""
    m88e1011_set_downshift(dev)
    _config_led(dev)


def _m88e1121_rgmii_delays(dev: PhyDevice) -> int:
    """m88e1121_config_aneg_rgmii_delays: page 2 r21 bits 5 (RX) and 4 (TX)."""
    mscr = {
        Interface.RGMII_ID: MII_88E1121_PHY_MSCR_RX_DELAY | MII_88E1121_PHY_MSCR_TX_DELAY,
        Interface.RGMII_RXID: MII_88E1121_PHY_MSCR_RX_DELAY,
        Interface.RGMII_TXID: MII_88E1121_PHY_MSCR_TX_DELAY,
    }.get(Interface(dev.interface), 0)
    return _modify_paged_changed(
        dev,
        MII_MARVELL_MSCR_PAGE,
        MII_88E1121_PHY_MSCR_REG,
        MII_88E1121_PHY_MSCR_RX_DELAY | MII_88E1121_PHY_MSCR_TX_DELAY,
        mscr,
    )


def m88e1118_config_init(dev: PhyDevice) -> None:
    """88E1118: page 2 r21 ← 0x1070 (enable 1000), RGMII delays, page 3 r16 ← 0x021e
    (LEDs; 0x1100 with the DNS-323 flag), page 0, genphy_soft_reset."""
    dev.write_paged(MII_MARVELL_PHY_PAGE, MII_MARVELL_MSCR_PAGE, MII_88E1121_PHY_MSCR_REG, 0x1070)
    if dev.interface in _RGMII:
        _m88e1121_rgmii_delays(dev)
    leds = 0x1100 if dev.dev_flags & MARVELL_PHY_M1118_DNS323_LEDS else 0x021E
    dev.write_paged(MII_MARVELL_PHY_PAGE, MII_MARVELL_LED_PAGE, 0x10, leds)
    _set_page(dev, MII_MARVELL_COPPER_PAGE)
    genphy_soft_reset(dev)


def m88e1145_config_init(dev: PhyDevice) -> None:
    """88E1145: errata E0/E1 (r29/r30); RGMII_ID: r20 delays and, with the resistance
    flag, r29 ← 0x12, r30 36/39 ohm (phy_modify), r29 ← 3, r30 ← 0x8000; SGMII: r27
    mode; then downshift in r20 (and its soft reset)."""
    for reg, value in (
        (MII_ERRATA_ADDR, 0x001B),
        (MII_ERRATA_DATA, 0x418F),
        (MII_ERRATA_ADDR, 0x0016),
        (MII_ERRATA_DATA, 0xA2DA),
    ):
        dev.write(reg, value)
    if dev.interface == Interface.RGMII_ID:
        _rgmii_delays(dev)
        if dev.dev_flags & MARVELL_PHY_M1145_FLAGS_RESISTANCE:
            dev.write(MII_ERRATA_ADDR, 0x0012)
            dev.modify(MII_ERRATA_DATA, 0x0FC0, 2 << 9 | 2 << 6)
            dev.write(MII_ERRATA_ADDR, 0x0003)
            dev.write(MII_ERRATA_DATA, 0x8000)
    if dev.interface == Interface.SGMII:
        _hwcfg_mode(dev, HWCFG_MODE_SGMII_NO_CLK)
    m88e1111_set_downshift(dev)


# -- negotiation -----------------------------------------------------------------------


def marvell_set_polarity(dev: PhyDevice) -> int:
    """r16 bits 6:5 ← MDI (0), MDI-X (1) or auto (3), written only on change; 1 if
    changed."""
    val = _POLARITY.get(str(dev.priv.get("mdix_ctrl")), MII_M1011_PHY_SCR_AUTO_CROSS)
    return _modify_changed(dev, MII_M1011_PHY_SCR, MII_M1011_PHY_SCR_AUTO_CROSS, val)


def marvell_config_aneg(dev: PhyDevice) -> int:
    """Polarity, r24 ← 0x4100 (LEDs), genphy_config_aneg, then genphy_soft_reset only
    when forced (the part applies BMCR speed/duplex after a reset) or the polarity
    changed."""
    changed = marvell_set_polarity(dev)
    dev.write(MII_M1111_PHY_LED_CONTROL, MII_M1111_PHY_LED_DIRECT)
    genphy_config_aneg(dev)
    if dev.autoneg != AUTONEG_ENABLE or changed:
        genphy_soft_reset(dev)
    return 0


def m88e1101_config_aneg(dev: PhyDevice) -> int:
    """88E1101, 88E1145: genphy_soft_reset, the r29/r30 errata writes, then
    marvell_config_aneg."""
    genphy_soft_reset(dev)
    for reg, value in (
        (MII_ERRATA_ADDR, 0x001F),
        (MII_ERRATA_DATA, 0x200C),
        (MII_ERRATA_ADDR, 0x0005),
        (MII_ERRATA_DATA, 0x0000),
        (MII_ERRATA_DATA, 0x0100),
    ):
        dev.write(reg, value)
    return marvell_config_aneg(dev)


def m88e1111_config_aneg(dev: PhyDevice) -> int:
    """88E1111: read r27; unless SGMII or mode 0x8 (copper to 1000BASE-X with AN), plain
    marvell_config_aneg; else copper page, marvell_config_aneg, fibre page, (SGMII)
    genphy_check_and_restart_aneg, copper page.  The 1000BASE-X fibre advertisement
    (marvell_config_aneg_fiber) is not modelled: physcapy's models have no fibre page."""
    extsr = dev.read(MII_M1111_PHY_EXT_SR)
    copper_1000x = extsr & HWCFG_MODE_MASK == MII_M1111_HWCFG_MODE_COPPER_1000X_AN
    if dev.interface != Interface.SGMII and not copper_1000x:
        return marvell_config_aneg(dev)
    _set_page(dev, MII_MARVELL_COPPER_PAGE)
    marvell_config_aneg(dev)
    _set_page(dev, MII_MARVELL_FIBER_PAGE)
    if dev.interface == Interface.SGMII:
        genphy_check_and_restart_aneg(dev, False)
    _set_page(dev, MII_MARVELL_COPPER_PAGE)
    return 0


def m88e1121_config_aneg(dev: PhyDevice) -> int:
    """88E1121R: RGMII delays (page 2 r21), polarity, genphy_config_aneg, soft reset
    when forced or either changed."""
    changed = _m88e1121_rgmii_delays(dev) if dev.interface in _RGMII else 0
    changed |= marvell_set_polarity(dev)
    genphy_config_aneg(dev)
    if dev.autoneg != AUTONEG_ENABLE or changed:
        genphy_soft_reset(dev)
    return 0


def m88e1118_config_aneg(dev: PhyDevice) -> int:
    """88E1118: polarity, genphy_config_aneg, genphy_soft_reset (always)."""
    marvell_set_polarity(dev)
    genphy_config_aneg(dev)
    genphy_soft_reset(dev)
    return 0


# -- status ----------------------------------------------------------------------------


def marvell_read_status(dev: PhyDevice) -> None:
    """Copper page status (no fibre ability is learnt at probe, so the fibre page is
    never read): r17, genphy_update_link, then with autoneg speed/duplex from r17 only
    once it says "resolved" (else link down), the partner's pages (genphy_read_lpa) and
    pause from them; forced: from BMCR."""
    status = dev.read(MII_M1011_PHY_STATUS)
    genphy_update_link(dev)
    dev.lp_advertising = 0
    dev.pause = dev.asym_pause = 0
    dev.speed, dev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    if dev.autoneg != AUTONEG_ENABLE:
        genphy_read_status_fixed(dev)
        return
    if not _resolved_speed_duplex(dev, status):
        return
    genphy_read_lpa(dev)
    phy_resolve_aneg_pause(dev)


def _resolved_speed_duplex(dev: PhyDevice, status: int) -> bool:
    """marvell_read_status_page_an's start, for the copper and the fibre page: until
    r17 says "resolved" the link is down (False); then duplex and speed come from r17."""
    if not status & MII_M1011_PHY_STATUS_RESOLVED:
        dev.link = 0
        return False
    dev.duplex = DUPLEX_FULL if status & PHY_STATUS_FULLDUPLEX else DUPLEX_HALF
    speed = status & PHY_STATUS_SPD_MASK
    dev.speed = 1000 if speed == PHY_STATUS_1000 else 100 if speed == PHY_STATUS_100 else 10
    return True


# -- the table (v6.12 marvell_drivers[], the entries physcapy has models for) ----------


def _marvell(phy_id: int, name: str, model: str, **ops: Any) -> PhyDriver:
    """Every v6.12 entry: mask 0xfffffff0, no features, marvell_probe (no MDIO),
    config_intr/handle_interrupt, genphy suspend/resume."""
    return PhyDriver(
        phy_id,
        0xFFFFFFF0,
        name,
        config_intr=marvell_config_intr,
        handle_interrupt=marvell_handle_interrupt,
        suspend=genphy_suspend,
        resume=genphy_resume,
        model=model,
        **ops,
    )


DRIVERS: list[PhyDriver] = [
    _marvell(
        0x01410C60,
        "Marvell 88E1101",
        "88e1101",
        config_init=marvell_config_init,
        config_aneg=m88e1101_config_aneg,
    ),
    _marvell(
        0x01410C90,
        "Marvell 88E1112",
        "88e1112",
        config_init=m88e1112_config_init,
        config_aneg=marvell_config_aneg,
    ),
    _marvell(
        0x01410CC0,
        "Marvell 88E1111",
        "88e1111",
        config_init=m88e1111gbe_config_init,
        config_aneg=m88e1111_config_aneg,
        read_status=marvell_read_status,
    ),
    _marvell(
        0x01410E10,
        "Marvell 88E1118",
        "88e1118",
        config_init=m88e1118_config_init,
        config_aneg=m88e1118_config_aneg,
    ),
    _marvell(
        0x01410CB0,
        "Marvell 88E1121R",
        "88e1121r",
        config_init=marvell_1011gbe_config_init,
        config_aneg=m88e1121_config_aneg,
        read_status=marvell_read_status,
    ),
    _marvell(
        0x01410CD0,
        "Marvell 88E1145",
        "88e1145",
        config_init=m88e1145_config_init,
        config_aneg=m88e1101_config_aneg,
    ),
    _marvell(
        0x01410E30,
        "Marvell 88E1240",
        "88e1240",
        config_init=m88e1112_config_init,
        config_aneg=marvell_config_aneg,
    ),
]
