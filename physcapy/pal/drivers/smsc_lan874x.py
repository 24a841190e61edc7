# SPDX-License-Identifier: GPL-2.0-only
"""Microchip LAN8742A as Linux v6.12 ``drivers/net/phy/smsc.c`` drives it ("Microchip
LAN8742", 0x0007c130 under the mask 0xfffffff2, which keeps the LAN88xx 0x0007c132 out
and takes revisions 0 and 1).

The entry shares smsc.c's probe (smsc_phy_probe: EDPD wanted unless the board disables
it), soft_reset (smsc_phy_reset), interrupt pair (smsc_phy_config_intr,
smsc_phy_handle_interrupt) and status read (lan87xx_read_status) with the LAN8710/LAN8720
entry (physcapy.pal.drivers.smsc); its own are:

* config_init = ``lan874x_phy_config_init``: WUCSR (MMD 3.0x8010) ← PME on LED2/nINT/nPME
  (bits 12:11 = 2) | PME self-clear (bit 9), MCFGR (MMD 3.0x8064) ← 0x1000 (the self-clear
  delay), both plain phy_write_mmd through registers 13/14; then smsc_phy_config_init
  (EDPD, r17 bit 13, off in interrupt mode);
* config_aneg: none (the core's genphy_config_aneg; no MDI-X override in r27 and no
  crossover-timer extension, unlike the LAN8710/LAN8720 entry);
* flags PHY_RST_AFTER_CLK_EN (used by MAC drivers' phy_reset_after_clk_enable only).

Wake-on-LAN (lan874x_set_wol/get_wol) and the tunables are ethtool operations, not
modelled.  Linux v2.6.32 smsc.c has no LAN8742 entry: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.driver import PhyDriver
from physcapy.pal.drivers.smsc import (
    lan87xx_read_status,
    smsc_phy_config_init_612,
    smsc_phy_config_intr_612,
    smsc_phy_handle_interrupt,
    smsc_phy_probe,
    smsc_phy_reset,
)
from physcapy.pal.genphy import genphy_config_aneg, genphy_resume, genphy_suspend

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "LAN8742", "MODERN_DRIVERS"]

PHY_ID_LAN8742, PHY_ID_LAN8742_MASK = 0x0007C130, 0xFFFFFFF2
MDIO_MMD_PCS = 3
# include/linux/smscphy.h (v6.12).
MII_LAN874X_PHY_MMD_WOL_WUCSR = 0x8010
MII_LAN874X_PHY_MMD_MCFGR = 0x8064
MII_LAN874X_PHY_PME2_SET = 2 << 11
MII_LAN874X_PHY_PME_SELF_CLEAR = 0x0200
MII_LAN874X_PHY_PME_SELF_CLEAR_DELAY = 0x1000
#: PHY_RST_AFTER_CLK_EN (include/linux/phy.h).
PHY_RST_AFTER_CLK_EN = 0x00000002


def lan874x_phy_config_init(dev: PhyDevice) -> None:
    """smsc.c lan874x_phy_config_init: WUCSR ← PME2 | self-clear, MCFGR ← the self-clear
    delay (MMD 3, written without reading), then smsc_phy_config_init."""
    wucsr = MII_LAN874X_PHY_PME2_SET | MII_LAN874X_PHY_PME_SELF_CLEAR
    dev.write_mmd(MDIO_MMD_PCS, MII_LAN874X_PHY_MMD_WOL_WUCSR, wucsr)
    dev.write_mmd(MDIO_MMD_PCS, MII_LAN874X_PHY_MMD_MCFGR, MII_LAN874X_PHY_PME_SELF_CLEAR_DELAY)
    smsc_phy_config_init_612(dev)


#: PHY_BASIC_FEATURES is implied (no .features in v6.12: genphy_read_abilities).
LAN8742 = PhyDriver(
    PHY_ID_LAN8742,
    PHY_ID_LAN8742_MASK,
    "Microchip LAN8742",
    flags=PHY_RST_AFTER_CLK_EN,
    probe=smsc_phy_probe,
    soft_reset=smsc_phy_reset,
    config_init=lan874x_phy_config_init,
    config_aneg=genphy_config_aneg,
    read_status=lan87xx_read_status,
    config_intr=smsc_phy_config_intr_612,
    handle_interrupt=smsc_phy_handle_interrupt,
    suspend=genphy_suspend,
    resume=genphy_resume,
    model="lan8742a",
)

#: Linux v2.6.32 smsc.c has no LAN8742 entry.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 smsc.c's LAN8742 entry (the LAN8740, 0x0007c110, has no physcapy model).
MODERN_DRIVERS: list[PhyDriver] = [LAN8742]
