# SPDX-License-Identifier: GPL-2.0-only
"""Microchip LAN8670/1/2 Rev.B1 as Linux v6.12 ``drivers/net/phy/microchip_t1s.c`` drives
it ("LAN867X Rev.B1", PHY_ID_LAN867X_REVB1 0x0007c162 matched exactly).

10BASE-T1S (Clause 147) multidrop has no auto-negotiation: ``.features`` is
PHY_BASIC_T1S_P2MP_FEATURES (TP and 10baseT1S_P2MP_Half, no Autoneg), so phy_probe turns
autoneg off and _phy_start_aneg's phy_sanitize_settings picks 10/Half (the last row of
v6.12's settings table the PHY supports, for an unknown speed); config_aneg is the core's
genphy_config_aneg (genphy_setup_forced: BMCR 10/Half).

``lan867x_revb1_config_init`` reads STS2 (MMD 31 register 0x19) for bit 11, reset
complete (once more after 5 us; ENODEV if still clear), then applies the twelve AN1699
fixups with phy_modify_mmd on MMD 31 (register, mask, value tables of the driver).
``lan86xx_read_status`` reads nothing: link up, 10 Mb/s, half duplex, autoneg off.
No interrupt hooks (polled), no soft_reset, suspend or resume.  PLCA is reached through
ethtool's ``genphy_c45_plca_*`` (not modelled here).

Linux v2.6.32 has no microchip_t1s.c: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import AUTONEG_DISABLE, DUPLEX_HALF, SUPPORTED
from physcapy.pal.driver import PhyDriver

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "LAN867X_REVB1", "MODERN_DRIVERS"]

PHY_ID_LAN867X_REVB1 = 0x0007C162
MDIO_MMD_VEND2 = 31
LAN867X_REG_STS2 = 0x0019
LAN867X_RESET_COMPLETE_STS = 0x0800
#: microchip_t1s.c lan867x_revb1_fixup_registers / _masks / _values (AN1699), in order.
LAN867X_REVB1_FIXUPS: tuple[tuple[int, int, int], ...] = (
    (0x00D0, 0x0E03, 0x0002),
    (0x00D1, 0x0300, 0x0000),
    (0x0084, 0xFFC0, 0x3380),
    (0x0085, 0x000F, 0x0006),
    (0x008A, 0xF800, 0xC000),
    (0x0087, 0x801C, 0x801C),
    (0x0088, 0x1FFF, 0x033F),
    (0x008B, 0xFFFF, 0x0404),
    (0x0080, 0x0600, 0x0600),
    (0x00F1, 0x7F00, 0x2400),
    (0x0096, 0x2000, 0x2000),
    (0x0099, 0xFFFF, 0x7F80),
)
#: PHY_BASIC_T1S_P2MP_FEATURES (drivers/net/phy/phy_device.c): TP, 10baseT1S_P2MP_Half.
PHY_BASIC_T1S_P2MP_FEATURES = SUPPORTED["TP"] | SUPPORTED["10baseT1S_P2MP_Half"]


def _modify_mmd(dev: PhyDevice, devad: int, reg: int, mask: int, value: int) -> None:
    """phy_modify_mmd: read, then write only when the masked bits change."""
    old = dev.read_mmd(devad, reg)
    new = (old & ~mask) | value
    if new != old:
        dev.write_mmd(devad, reg, new)


def lan867x_revb1_config_init(dev: PhyDevice) -> None:
    """microchip_t1s.c lan867x_revb1_config_init: STS2 (MMD 31.0x19) bit 11, read again
    after udelay(5) if clear ("PHY reset failed", ENODEV, if still clear); then the AN1699
    fixups, each a phy_modify_mmd on MMD 31."""
    if not dev.read_mmd(MDIO_MMD_VEND2, LAN867X_REG_STS2) & LAN867X_RESET_COMPLETE_STS:
        dev.kernel.sleep(5e-6)
        if not dev.read_mmd(MDIO_MMD_VEND2, LAN867X_REG_STS2) & LAN867X_RESET_COMPLETE_STS:
            dev.log(f"LAN867X Rev.B1 {dev.name}: PHY reset failed")
            raise PalError(19, f"{dev.name}: PHY reset failed")
    for reg, mask, value in LAN867X_REVB1_FIXUPS:
        _modify_mmd(dev, MDIO_MMD_VEND2, reg, mask, value)


def lan86xx_read_status(dev: PhyDevice) -> None:
    """microchip_t1s.c lan86xx_read_status: no MDIO; the link is always up, 10 Mb/s,
    half duplex, no auto-negotiation."""
    dev.link = 1
    dev.duplex = DUPLEX_HALF
    dev.speed = 10
    dev.autoneg = AUTONEG_DISABLE


LAN867X_REVB1 = PhyDriver(
    PHY_ID_LAN867X_REVB1,
    0xFFFFFFFF,
    "LAN867X Rev.B1",
    features=PHY_BASIC_T1S_P2MP_FEATURES,
    config_init=lan867x_revb1_config_init,
    read_status=lan86xx_read_status,
    model="lan8670",
)

#: Linux v2.6.32 has no microchip_t1s.c.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 microchip_t1s.c's LAN867X entry (the LAN865X MAC-PHY is not modelled).
MODERN_DRIVERS: list[PhyDriver] = [LAN867X_REVB1]
