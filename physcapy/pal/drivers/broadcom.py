# SPDX-License-Identifier: GPL-2.0-only
"""Broadcom BCM54213PE as Linux v6.12 ``drivers/net/phy/broadcom.c`` drives it: mainline
has no BCM54213PE entry, and the part's ID 0x600d84a2 matches PHY_ID_BCM54210E
0x600d84a0 under mask 0xfffffff0, so the "Broadcom BCM54210E" entry binds.

Helpers of ``bcm-phy-lib.c``: ``bcm_phy_read_shadow`` (0x1C <- shadow << 10, read 0x1C,
bits 9:0 kept), ``bcm_phy_write_shadow`` (0x1C <- 0x8000 | shadow << 10 | data),
``bcm_phy_read_exp`` (0x17 <- register, read 0x15, 0x17 <- 0), ``bcm_phy_write_exp``
(0x17 <- register, 0x15 <- value), ``bcm54xx_auxctl_read`` (0x18 <- 7 | shadow << 12,
read 0x18) and ``bcm54xx_auxctl_write`` (0x18 <- shadow | value).

* no features listed (phy_probe reads BMSR/ESTATUS and the EEE abilities);
* probe (``bcm54xx_phy_probe``): private data, PTP (not configured: CONFIG_BCM_NET_PHYPTP
  assumed off), no wakeup GPIO: no MDIO;
* config_init (``bcm54xx_config_init``): ECR (r16) interrupt mask set, IMR (r27) <-
  ~(link | speed | duplex); ``bcm54xx_adjust_rxrefclk`` (SHD 0x05 DLLAPD_DIS set, SHD 0x0A
  APD_EN clear, each written only on change); ``bcm54210e_config_init`` ->
  ``bcm54xx_config_clock_delay`` (AUXCTL MISC RGMII skew, SHD 0x03 GTXCLK by interface
  mode; written whatever the mode); ``bcm54xx_phydsp_config`` (AUXCTL 0 <- SMDSP | 6 dB,
  then 6 dB alone); the LEDs (SHD 0x0D <- 0xaa, EXP 0x04 <- in-phase link/activity); the
  WoL status read (EXP 0xe94 through 0x17/0x15);
* config_intr / handle_interrupt (``bcm_phy_config_intr``, ``bcm_phy_handle_interrupt``);
* suspend (``bcm54xx_suspend``): WoL status read, BMCR <- power-down (a plain write);
  resume (``bcm54xx_resume``): genphy_resume, 40 µs, ``bcm54xx_config_init`` again;
* aneg and status are the generic ones; no device-tree flags (IDDQ, auto power-down,
  master mode, RX refclk unused); WoL, PTP, statistics and LEDs class not modelled.

Linux v2.6.32 has no BCM54210E entry: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import PHY_INTERRUPT_ENABLED, Interface
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import BMCR_PDOWN, MII_BMCR, genphy_resume

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["BCM54210E", "DRIVERS", "MODERN_DRIVERS"]

PHY_ID_BCM54210E = 0x600D84A0
MII_BCM54XX_ECR, MII_BCM54XX_ECR_IM = 0x10, 0x1000
MII_BCM54XX_EXP_DATA, MII_BCM54XX_EXP_SEL = 0x15, 0x17
MII_BCM54XX_AUX_CTL, MII_BCM54XX_ISR, MII_BCM54XX_IMR = 0x18, 0x1A, 0x1B
MII_BCM54XX_INT_LINK, MII_BCM54XX_INT_SPEED, MII_BCM54XX_INT_DUPLEX = 0x0002, 0x0004, 0x0008
MII_BCM54XX_SHD, MII_BCM54XX_SHD_WRITE = 0x1C, 0x8000
MII_BCM54XX_AUXCTL_SHDWSEL_AUXCTL, MII_BCM54XX_AUXCTL_SHDWSEL_MISC = 0x0, 0x7
MII_BCM54XX_AUXCTL_ACTL_TX_6DB, MII_BCM54XX_AUXCTL_ACTL_SMDSP_ENA = 0x0400, 0x0800
MII_BCM54XX_AUXCTL_SHDWSEL_MISC_RGMII_SKEW_EN = 0x0100
MII_BCM54XX_AUXCTL_MISC_WREN = 0x8000
MII_BCM54XX_AUXCTL_SHDWSEL_MASK, MII_BCM54XX_AUXCTL_SHDWSEL_READ_SHIFT = 0x0007, 12
BCM54810_SHD_CLK_CTL, BCM54810_SHD_CLK_CTL_GTXCLK_EN = 0x03, 0x0200
BCM54XX_SHD_SCR3, BCM54XX_SHD_SCR3_DLLAPD_DIS = 0x05, 0x0002
BCM54XX_SHD_APD, BCM54XX_SHD_APD_EN = 0x0A, 0x0020
BCM54XX_SHD_LEDS1, BCM_LED_SRC_MULTICOLOR1 = 0x0D, 0xA
BCM_EXP_MULTICOLOR, BCM_LED_MULTICOLOR_IN_PHASE, BCM_LED_MULTICOLOR_LINK_ACT = 0x0F04, 0x100, 0
BCM54XX_WOL_INT_STATUS = 0x0E94


# -- bcm-phy-lib.c access helpers ---------------------------------------------------------


def bcm_phy_read_shadow(dev: PhyDevice, shadow: int) -> int:
    """bcm-phy-lib.c bcm_phy_read_shadow: 0x1C <- shadow << 10, read 0x1C, bits 9:0."""
    dev.write(MII_BCM54XX_SHD, (shadow & 0x1F) << 10)
    return dev.read(MII_BCM54XX_SHD) & 0x3FF


def bcm_phy_write_shadow(dev: PhyDevice, shadow: int, value: int) -> None:
    """bcm-phy-lib.c bcm_phy_write_shadow: 0x1C <- write | shadow << 10 | bits 9:0."""
    dev.write(MII_BCM54XX_SHD, MII_BCM54XX_SHD_WRITE | (shadow & 0x1F) << 10 | value & 0x3FF)


def bcm_phy_read_exp(dev: PhyDevice, reg: int) -> int:
    """bcm-phy-lib.c __bcm_phy_read_exp: 0x17 <- register, read 0x15, 0x17 <- 0."""
    dev.write(MII_BCM54XX_EXP_SEL, reg)
    value = dev.read(MII_BCM54XX_EXP_DATA)
    dev.write(MII_BCM54XX_EXP_SEL, 0)
    return value


def bcm_phy_write_exp(dev: PhyDevice, reg: int, value: int) -> None:
    """bcm-phy-lib.c __bcm_phy_write_exp: 0x17 <- register, 0x15 <- value."""
    dev.write(MII_BCM54XX_EXP_SEL, reg)
    dev.write(MII_BCM54XX_EXP_DATA, value)


def bcm54xx_auxctl_read(dev: PhyDevice, shadow: int) -> int:
    """bcm-phy-lib.c bcm54xx_auxctl_read: 0x18 <- 7 | shadow << 12, read 0x18."""
    read_select = MII_BCM54XX_AUXCTL_SHDWSEL_MASK
    dev.write(MII_BCM54XX_AUX_CTL, read_select | shadow << MII_BCM54XX_AUXCTL_SHDWSEL_READ_SHIFT)
    return dev.read(MII_BCM54XX_AUX_CTL)


def bcm54xx_auxctl_write(dev: PhyDevice, shadow: int, value: int) -> None:
    """bcm-phy-lib.c bcm54xx_auxctl_write: 0x18 <- shadow | value."""
    dev.write(MII_BCM54XX_AUX_CTL, shadow | value)


# -- config_init ---------------------------------------------------------------------------


def bcm54xx_adjust_rxrefclk(dev: PhyDevice) -> None:
    """broadcom.c bcm54xx_adjust_rxrefclk for the BCM54210E without board flags (125 MHz
    clock on, no auto power-down): SHD 0x05 DLLAPD_DIS set, SHD 0x0A APD_EN cleared,
    each shadow written back only when it changed."""
    val = bcm_phy_read_shadow(dev, BCM54XX_SHD_SCR3)
    new = val | BCM54XX_SHD_SCR3_DLLAPD_DIS
    if new != val:
        bcm_phy_write_shadow(dev, BCM54XX_SHD_SCR3, new)
    val = bcm_phy_read_shadow(dev, BCM54XX_SHD_APD)
    new = val & ~BCM54XX_SHD_APD_EN
    if new != val:
        bcm_phy_write_shadow(dev, BCM54XX_SHD_APD, new)


def bcm54xx_config_clock_delay(dev: PhyDevice) -> None:
    """broadcom.c bcm54xx_config_clock_delay: AUXCTL MISC read, write-enable set, RGMII
    skew (RX delay) cleared for RGMII/TXID, set for ID/RXID, written back; SHD 0x03 read,
    GTXCLK (TX delay) cleared for RGMII/RXID, set for ID/TXID, written back.  Other
    interfaces change no bit but are written all the same."""
    iface = dev.interface
    val = bcm54xx_auxctl_read(dev, MII_BCM54XX_AUXCTL_SHDWSEL_MISC)
    val |= MII_BCM54XX_AUXCTL_MISC_WREN
    if iface in (Interface.RGMII, Interface.RGMII_TXID):
        val &= ~MII_BCM54XX_AUXCTL_SHDWSEL_MISC_RGMII_SKEW_EN
    if iface in (Interface.RGMII_ID, Interface.RGMII_RXID):
        val |= MII_BCM54XX_AUXCTL_SHDWSEL_MISC_RGMII_SKEW_EN
    bcm54xx_auxctl_write(dev, MII_BCM54XX_AUXCTL_SHDWSEL_MISC, val)
    val = bcm_phy_read_shadow(dev, BCM54810_SHD_CLK_CTL)
    if iface in (Interface.RGMII, Interface.RGMII_RXID):
        val &= ~BCM54810_SHD_CLK_CTL_GTXCLK_EN
    if iface in (Interface.RGMII_ID, Interface.RGMII_TXID):
        val |= BCM54810_SHD_CLK_CTL_GTXCLK_EN
    bcm_phy_write_shadow(dev, BCM54810_SHD_CLK_CTL, val)


def bcm54xx_phydsp_config(dev: PhyDevice) -> None:
    """broadcom.c bcm54xx_phydsp_config (no BCM50610/BCM57780 work-arounds): AUXCTL
    shadow 0 <- SMDSP clock on | 6 dB, then 6 dB alone (SMDSP clock off)."""
    on = MII_BCM54XX_AUXCTL_ACTL_SMDSP_ENA | MII_BCM54XX_AUXCTL_ACTL_TX_6DB
    bcm54xx_auxctl_write(dev, MII_BCM54XX_AUXCTL_SHDWSEL_AUXCTL, on)
    bcm54xx_auxctl_write(dev, MII_BCM54XX_AUXCTL_SHDWSEL_AUXCTL, MII_BCM54XX_AUXCTL_ACTL_TX_6DB)


def bcm54xx_config_init(dev: PhyDevice) -> None:
    """broadcom.c bcm54xx_config_init for the BCM54210E: ECR interrupt mask, IMR,
    bcm54xx_adjust_rxrefclk, bcm54210e_config_init (the clock delays), phydsp, the LED
    selectors (not on an SFP), no PTP, the WoL interrupt status read."""
    ecr = dev.read(MII_BCM54XX_ECR)
    dev.write(MII_BCM54XX_ECR, ecr | MII_BCM54XX_ECR_IM)
    unmasked = MII_BCM54XX_INT_DUPLEX | MII_BCM54XX_INT_SPEED | MII_BCM54XX_INT_LINK
    dev.write(MII_BCM54XX_IMR, ~unmasked & 0xFFFF)
    bcm54xx_adjust_rxrefclk(dev)
    bcm54xx_config_clock_delay(dev)  # bcm54210e_config_init, no master-mode flag
    bcm54xx_phydsp_config(dev)
    src = BCM_LED_SRC_MULTICOLOR1
    bcm_phy_write_shadow(dev, BCM54XX_SHD_LEDS1, src << 4 | src)
    act = BCM_LED_MULTICOLOR_LINK_ACT
    bcm_phy_write_exp(dev, BCM_EXP_MULTICOLOR, BCM_LED_MULTICOLOR_IN_PHASE | act << 4 | act)
    bcm_phy_read_exp(dev, BCM54XX_WOL_INT_STATUS)


# -- interrupts ------------------------------------------------------------------------------


def bcm_phy_config_intr(dev: PhyDevice) -> None:
    """bcm-phy-lib.c bcm_phy_config_intr: ECR read; on: ISR read (bcm_phy_ack_intr), ECR
    interrupt mask cleared; off: ECR mask set, then ISR read."""
    ecr = dev.read(MII_BCM54XX_ECR)
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dev.read(MII_BCM54XX_ISR)
        dev.write(MII_BCM54XX_ECR, ecr & ~MII_BCM54XX_ECR_IM)
    else:
        dev.write(MII_BCM54XX_ECR, ecr | MII_BCM54XX_ECR_IM)
        dev.read(MII_BCM54XX_ISR)


def bcm_phy_handle_interrupt(dev: PhyDevice) -> bool:
    """bcm-phy-lib.c bcm_phy_handle_interrupt: ISR, then IMR; ours when a status bit is
    not masked."""
    status = dev.read(MII_BCM54XX_ISR)
    mask = dev.read(MII_BCM54XX_IMR)
    return bool(status & ~mask & 0xFFFF)


# -- power -------------------------------------------------------------------------------------


def bcm54xx_suspend(dev: PhyDevice) -> None:
    """broadcom.c bcm54xx_suspend (no PTP, WoL off, no IDDQ flag): the WoL status read,
    then BMCR <- power-down (a write of the bit alone)."""
    bcm_phy_read_exp(dev, BCM54XX_WOL_INT_STATUS)
    dev.write(MII_BMCR, BMCR_PDOWN)
    dev.suspended = True


def bcm54xx_resume(dev: PhyDevice) -> None:
    """broadcom.c bcm54xx_resume (WoL off, no IDDQ flag): genphy_resume, fsleep(40),
    bcm54xx_config_init."""
    genphy_resume(dev)
    dev.kernel.sleep(40e-6)
    bcm54xx_config_init(dev)


BCM54210E = PhyDriver(
    PHY_ID_BCM54210E,
    0xFFFFFFF0,
    "Broadcom BCM54210E",
    config_init=bcm54xx_config_init,
    config_intr=bcm_phy_config_intr,
    handle_interrupt=bcm_phy_handle_interrupt,
    suspend=bcm54xx_suspend,
    resume=bcm54xx_resume,
    model="bcm54213pe",
)

#: Linux v2.6.32 broadcom.c has no BCM54210E entry.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 broadcom.c's "Broadcom BCM54210E" entry.
MODERN_DRIVERS: list[PhyDriver] = [BCM54210E]
