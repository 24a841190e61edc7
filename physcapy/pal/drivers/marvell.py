# SPDX-License-Identifier: GPL-2.0-only
"""Marvell Alaska gigabit PHYs (88E1101, 88E1112, 88E1111, 88E1118, 88E1121R, 88E1145,
88E1240) as 2.6.32 phylib drives them.

Register operations are phylib-reference.md §4.1 (table) and §4.2; register meanings
are those of ``layers/marvell-88e1111.toml`` (the family file every simulated Marvell
model inherits).  Negotiation goes through a soft reset and the undocumented r29/r30
errata pair before the generic code programs the advertisement::

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://88e1111@1", record_mdio=False)
    >>> dev = pal.device("0:01")
    >>> dev.drv.name, dev.drv.model
    ('Marvell 88E1111', '88e1111')

The 2.6.32 forms are used under both profiles (the reference documents no other).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from physcapy.pal.constants import (
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    PHY_GBIT_FEATURES,
    PHY_HAS_INTERRUPT,
    PHY_INTERRUPT_ENABLED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    ADVERTISE_PAUSE_ASYM,
    ADVERTISE_PAUSE_CAP,
    BMCR_FULLDPLX,
    BMCR_RESET,
    BMCR_SPEED100,
    BMCR_SPEED1000,
    MII_ADVERTISE,
    MII_BMCR,
    MII_LPA,
    genphy_config_aneg,
    genphy_update_link,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS"]

# Vendor registers (§4.2).
MII_M1011_PHY_SCR = 16  # PHY specific control
MII_M1011_PHY_SCR_AUTO_CROSS = 0x0060  # automatic MDI/MDI-X crossover
MII_M1011_PHY_STATUS = 17  # PHY specific status
PHY_STATUS_SPD_MASK = 0xC000
PHY_STATUS_1000 = 0x8000
PHY_STATUS_100 = 0x4000
PHY_STATUS_FULLDUPLEX = 0x2000
MII_M1011_IMASK = 18  # interrupt enable
MII_M1011_IMASK_INIT = 0x6400  # speed, duplex and link changes
MII_M1011_IMASK_CLEAR = 0x0000
MII_M1011_IEVENT = 19  # interrupt status, cleared by reading
MII_M1111_PHY_EXT_CR = 20  # extended PHY specific control
MII_M1111_RX_DELAY = 0x0080
MII_M1111_TX_DELAY = 0x0002
MII_M1145_PHY_EXT_CR = 20
MII_M1145_RGMII_DELAYS = 0x0082  # RX delay 0x80 | TX delay 0x02
MII_MARVELL_PHY_PAGE = 22  # page select (88E1118, 88E1121R)
MII_M1111_PHY_LED_CONTROL = 24
MII_M1111_PHY_LED_DIRECT = 0x4100
MII_M1111_PHY_EXT_SR = 27  # extended PHY specific status / hardware configuration
HWCFG_MODE_MASK = 0x000F
HWCFG_MODE_FIBER_RGMII = 0x3
HWCFG_MODE_SGMII_NO_CLK = 0x4
HWCFG_MODE_COPPER_RGMII = 0xB
HWCFG_FIBER_COPPER_AUTO = 0x8000
HWCFG_FIBER_COPPER_RES = 0x2000
MII_ERRATA_ADDR, MII_ERRATA_DATA = 29, 30  # undocumented extended address/data pair
#: dev_flags bit a MAC passes to ask the 88E1145 for 36/39 ohm output resistance.
MARVELL_PHY_M1145_FLAGS_RESISTANCE = 0x00000001

#: marvell_config_aneg's errata writes, in order (§4.2).
CONFIG_ANEG_ERRATA = (
    (MII_ERRATA_ADDR, 0x001F),
    (MII_ERRATA_DATA, 0x200C),
    (MII_ERRATA_ADDR, 0x0005),
    (MII_ERRATA_DATA, 0x0000),
    (MII_ERRATA_DATA, 0x0100),
)
#: m88e1145_config_init's errata E0/E1 writes, in order (§4.2).
M1145_ERRATA = (
    (MII_ERRATA_ADDR, 0x001B),
    (MII_ERRATA_DATA, 0x418F),
    (MII_ERRATA_ADDR, 0x0016),
    (MII_ERRATA_DATA, 0xA2DA),
)

_RGMII = (Interface.RGMII, Interface.RGMII_ID, Interface.RGMII_RXID, Interface.RGMII_TXID)


# -- interrupts -------------------------------------------------------------------------


def marvell_ack_interrupt(dev: PhyDevice) -> None:
    """Read the interrupt status (r19); the read clears it (§4.2 "Interrupts")."""
    dev.read(MII_M1011_IEVENT)


def marvell_config_intr(dev: PhyDevice) -> None:
    """r18 ← 0x6400 (speed, duplex, link) when enabled, 0x0000 otherwise (§4.2)."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dev.write(MII_M1011_IMASK, MII_M1011_IMASK_INIT)
    else:
        dev.write(MII_M1011_IMASK, MII_M1011_IMASK_CLEAR)


def m88e1121_did_interrupt(dev: PhyDevice) -> bool:
    """88E1121R: the interrupt was this PHY's when r19 has a bit of 0x6400 (§4.2)."""
    return bool(dev.read(MII_M1011_IEVENT) & MII_M1011_IMASK_INIT)


# -- negotiation ------------------------------------------------------------------------


def marvell_config_aneg(dev: PhyDevice) -> int:
    """88E1101/1112/1111/1145/1240 (§4.2): BMCR ← 0x8000, the r29/r30 errata sequence,
    r16 ← 0x0060 (auto crossover), r24 ← 0x4100 (direct LEDs), genphy_config_aneg; in
    forced mode BMCR is read and written back with the reset bit, since the part only
    applies forced speed/duplex after a soft reset."""
    dev.write(MII_BMCR, BMCR_RESET)
    for reg, value in CONFIG_ANEG_ERRATA:
        dev.write(reg, value)
    dev.write(MII_M1011_PHY_SCR, MII_M1011_PHY_SCR_AUTO_CROSS)
    dev.write(MII_M1111_PHY_LED_CONTROL, MII_M1111_PHY_LED_DIRECT)
    result = genphy_config_aneg(dev)
    if dev.autoneg != AUTONEG_ENABLE:
        ctl = dev.read(MII_BMCR)
        dev.write(MII_BMCR, ctl | BMCR_RESET)
    return result


def m88e1118_config_aneg(dev: PhyDevice) -> int:
    """88E1118 (§4.2): BMCR ← 0x8000, r16 ← 0x0060, genphy_config_aneg; its result is
    discarded and 0 returned."""
    dev.write(MII_BMCR, BMCR_RESET)
    dev.write(MII_M1011_PHY_SCR, MII_M1011_PHY_SCR_AUTO_CROSS)
    genphy_config_aneg(dev)
    return 0


#: 88E1121R page 3 (LED control) register 16 and the LED default the driver loads.
MII_88E1121_PHY_LED_PAGE = 3
MII_88E1121_PHY_LED_CTRL = 16
MII_88E1121_PHY_LED_DEF = 0x0030


def m88e1121_config_aneg(dev: PhyDevice) -> int:
    """88E1121R (§4.2): BMCR ← 0x8000; r16 ← 0x0060; save r22; r22 ← 3;
    r16 ← 0x0030 (LED default, page 3); restore r22; genphy_config_aneg."""
    dev.write(MII_BMCR, BMCR_RESET)
    dev.write(MII_M1011_PHY_SCR, MII_M1011_PHY_SCR_AUTO_CROSS)
    oldpage = dev.read(MII_MARVELL_PHY_PAGE)
    dev.write(MII_MARVELL_PHY_PAGE, MII_88E1121_PHY_LED_PAGE)
    dev.write(MII_88E1121_PHY_LED_CTRL, MII_88E1121_PHY_LED_DEF)
    dev.write(MII_MARVELL_PHY_PAGE, oldpage)
    return genphy_config_aneg(dev)


# -- initialisation ---------------------------------------------------------------------


def m88e1111_config_init(dev: PhyDevice) -> None:
    """88E1111/1112/1240 (§4.2), each step a read followed by a write as 2.6.32 does:

    1. r27 bit 15 cleared (fibre/copper auto-selection on);
    2. BMCR |= 0x8000;
    3. RGMII modes: r20 delays (RGMII_ID sets 0x80 and 0x02, RGMII_RXID sets 0x80 and
       clears 0x02, RGMII_TXID sets 0x02 and clears 0x80; plain RGMII writes the value
       back unchanged, as the kernel does), then r27 low nibble ← 0x3 when r27 bit 13
       (fibre resolved) is set, else 0xb;
    4. SGMII: r27 low nibble ← 0x4 and bit 15 set;
    5. BMCR ← 0x8000.
    """
    temp = dev.read(MII_M1111_PHY_EXT_SR)
    dev.write(MII_M1111_PHY_EXT_SR, temp & ~HWCFG_FIBER_COPPER_AUTO)
    temp = dev.read(MII_BMCR)
    dev.write(MII_BMCR, temp | BMCR_RESET)
    if dev.interface in _RGMII:
        temp = dev.read(MII_M1111_PHY_EXT_CR)
        if dev.interface == Interface.RGMII_ID:
            temp |= MII_M1111_RX_DELAY | MII_M1111_TX_DELAY
        elif dev.interface == Interface.RGMII_RXID:
            temp = (temp & ~MII_M1111_TX_DELAY) | MII_M1111_RX_DELAY
        elif dev.interface == Interface.RGMII_TXID:
            temp = (temp & ~MII_M1111_RX_DELAY) | MII_M1111_TX_DELAY
        dev.write(MII_M1111_PHY_EXT_CR, temp)
        temp = dev.read(MII_M1111_PHY_EXT_SR) & ~HWCFG_MODE_MASK
        if temp & HWCFG_FIBER_COPPER_RES:
            temp |= HWCFG_MODE_FIBER_RGMII
        else:
            temp |= HWCFG_MODE_COPPER_RGMII
        dev.write(MII_M1111_PHY_EXT_SR, temp)
    if dev.interface == Interface.SGMII:
        temp = dev.read(MII_M1111_PHY_EXT_SR) & ~HWCFG_MODE_MASK
        temp |= HWCFG_MODE_SGMII_NO_CLK | HWCFG_FIBER_COPPER_AUTO
        dev.write(MII_M1111_PHY_EXT_SR, temp)
    dev.write(MII_BMCR, BMCR_RESET)


def m88e1118_config_init(dev: PhyDevice) -> None:
    """88E1118 (§4.2): r22 ← 2, r21 ← 0x1070 (enable 1000, MAC control page),
    r22 ← 3, r16 ← 0x021e (LEDs), r22 ← 0, BMCR ← 0x8000."""
    for reg, value in (
        (MII_MARVELL_PHY_PAGE, 0x0002),
        (21, 0x1070),
        (MII_MARVELL_PHY_PAGE, 0x0003),
        (16, 0x021E),
        (MII_MARVELL_PHY_PAGE, 0x0000),
        (MII_BMCR, BMCR_RESET),
    ):
        dev.write(reg, value)


def m88e1145_config_init(dev: PhyDevice) -> None:
    """88E1145 (§4.2): errata r29/r30 writes; for RGMII_ID r20 |= 0x0082 and, when the
    MAC passed ``dev_flags & 0x1``, the output resistance: r29 ← 0x0012,
    r30 ← (r30 & 0xf03f) | 2<<9 | 2<<6 (36 Ω / 39 Ω), r29 ← 0x0003, r30 ← 0x8000.

    The resistance block runs only in RGMII_ID mode: the reference lists it after the
    RGMII_ID step, and the 2.6.32 driver nests it there.
    """
    for reg, value in M1145_ERRATA:
        dev.write(reg, value)
    if dev.interface != Interface.RGMII_ID:
        return
    temp = dev.read(MII_M1145_PHY_EXT_CR)
    dev.write(MII_M1145_PHY_EXT_CR, temp | MII_M1145_RGMII_DELAYS)
    if dev.dev_flags & MARVELL_PHY_M1145_FLAGS_RESISTANCE:
        dev.write(MII_ERRATA_ADDR, 0x0012)
        temp = dev.read(MII_ERRATA_DATA)
        temp = (temp & 0xF03F) | (2 << 9) | (2 << 6)
        dev.write(MII_ERRATA_DATA, temp)
        dev.write(MII_ERRATA_ADDR, 0x0003)
        dev.write(MII_ERRATA_DATA, 0x8000)


# -- status -----------------------------------------------------------------------------


def marvell_read_status(dev: PhyDevice) -> None:
    """88E1111/88E1121R (§4.2): link from BMSR (genphy_update_link); with autoneg,
    speed and duplex from r17 bits 15:14 and 13 (not from LPA), pause/asym pause from
    LPA & ADVERTISE when full duplex; forced: decoded from BMCR, pause cleared.

    r17, LPA and ADVERTISE are read in that order (the 2.6.32 order; the reference
    does not give one).
    """
    genphy_update_link(dev)
    dev.pause = dev.asym_pause = 0
    if dev.autoneg == AUTONEG_ENABLE:
        status = dev.read(MII_M1011_PHY_STATUS)
        lpa = dev.read(MII_LPA)
        lpa &= dev.read(MII_ADVERTISE)
        dev.duplex = DUPLEX_FULL if status & PHY_STATUS_FULLDUPLEX else DUPLEX_HALF
        speed = status & PHY_STATUS_SPD_MASK
        dev.speed = 1000 if speed == PHY_STATUS_1000 else 100 if speed == PHY_STATUS_100 else 10
        if dev.duplex == DUPLEX_FULL:
            dev.pause = int(bool(lpa & ADVERTISE_PAUSE_CAP))
            dev.asym_pause = int(bool(lpa & ADVERTISE_PAUSE_ASYM))
        return
    bmcr = dev.read(MII_BMCR)
    dev.duplex = DUPLEX_FULL if bmcr & BMCR_FULLDPLX else DUPLEX_HALF
    dev.speed = 1000 if bmcr & BMCR_SPEED1000 else 100 if bmcr & BMCR_SPEED100 else 10


# -- the table (§4.1, 2.6.32 registration order) ------------------------------------------


def _marvell(phy_id: int, name: str, model: str, **ops: Any) -> PhyDriver:
    """Every 2.6.32 Marvell entry: mask 0xfffffff0, GBIT, INT, ack r19 / config_intr r18."""
    return PhyDriver(
        phy_id,
        0xFFFFFFF0,
        name,
        features=PHY_GBIT_FEATURES,
        flags=PHY_HAS_INTERRUPT,
        ack_interrupt=marvell_ack_interrupt,
        config_intr=marvell_config_intr,
        model=model,
        **ops,
    )


M88E1101 = _marvell(0x01410C60, "Marvell 88E1101", "88e1101", config_aneg=marvell_config_aneg)
M88E1112 = _marvell(
    0x01410C90,
    "Marvell 88E1112",
    "88e1112",
    config_init=m88e1111_config_init,
    config_aneg=marvell_config_aneg,
)
M88E1111 = _marvell(
    0x01410CC0,
    "Marvell 88E1111",
    "88e1111",
    config_init=m88e1111_config_init,
    config_aneg=marvell_config_aneg,
    read_status=marvell_read_status,
)
M88E1118 = _marvell(
    0x01410E10,
    "Marvell 88E1118",
    "88e1118",
    config_init=m88e1118_config_init,
    config_aneg=m88e1118_config_aneg,
)
M88E1121R = _marvell(
    0x01410CB0,
    "Marvell 88E1121R",
    "88e1121r",
    config_aneg=m88e1121_config_aneg,
    read_status=marvell_read_status,
    did_interrupt=m88e1121_did_interrupt,
)
M88E1145 = _marvell(
    0x01410CD0,
    "Marvell 88E1145",
    "88e1145",
    config_init=m88e1145_config_init,
    config_aneg=marvell_config_aneg,
)
M88E1240 = _marvell(
    0x01410E30,
    "Marvell 88E1240",
    "88e1240",
    config_init=m88e1111_config_init,
    config_aneg=marvell_config_aneg,
)

#: 2.6.32 marvell.c, in its registration order.
DRIVERS: list[PhyDriver] = [M88E1101, M88E1112, M88E1111, M88E1118, M88E1121R, M88E1145, M88E1240]
