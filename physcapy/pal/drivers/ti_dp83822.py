# SPDX-License-Identifier: GPL-2.0-only
"""TI DP83822 as Linux v6.12 ``drivers/net/phy/dp83822.c`` drives it ("TI DP83822",
DP83822_PHY_ID 0x2000a240 under PHY_ID_MATCH_MODEL, mask 0xfffffff0).

* probe (``dp83822_probe``): private data, ``dp83822_read_straps`` (SOR1, MMD 31.0x467:
  COL strap mode 2 or 3 means fibre; then the RX_ER strap for signal detect), the
  device-tree ``ti,fiber-mode`` (``priv["ti,fiber-mode"]`` here);
* soft_reset (``dp83822_phy_reset``): PHYRCR r31 ← 0x8000, then the driver's config_init
  (so phy_init_hw runs config_init twice);
* config_init (``dp83822_config_init``): RCSR through MMD 31 register 0x17 (RGMII: the
  clock shifts from phy_get_internal_delay, then RGMII mode on; otherwise RGMII mode off,
  written on change); fibre: CTRL_2 bit 14 (written on change), autoneg off, the fibre
  advertisement; then ``dp83822_config_wol`` without WoL options: WOL_CFG (MMD
  31.0x4a0) bits 7, 5, 0 cleared, written on change;
* config_aneg: none (the core's genphy_config_aneg);
* read_status (``dp83822_read_status``): PHYSTS r16 first (fibre: CTRL_2 without link),
  genphy_read_status, then duplex (bit 2) and speed (bit 1: 10, else 100) from PHYSTS;
* interrupts (``dp83822_config_intr``, ``dp83822_handle_interrupt``): MISR1 r18 and MISR2
  r19 enables (copper adds AN complete/duplex/speed and AN error/WoL), PHYSCR r17 INT_OE |
  INTEN; the handler reads both MISRs, ours when a status bit (15:8) has its enable
  (7:0) set;
* suspend / resume: WOL_CFG decides genphy_suspend; resume is genphy_resume then WOL_CFG
  with the clear-indication bit 11 written.

Linux v2.6.32 has no dp83822.c: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import PHY_INTERRUPT_ENABLED, Interface
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    genphy_config_aneg,
    genphy_read_status,
    genphy_resume,
    genphy_suspend,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DP83822", "DRIVERS", "MODERN_DRIVERS"]

DP83822_PHY_ID = 0x2000A240
DP83822_DEVADDR = 0x1F
# dp83822.c registers and bits.
MII_DP83822_CTRL_2, MII_DP83822_PHYSTS, MII_DP83822_PHYSCR = 0x0A, 0x10, 0x11
MII_DP83822_MISR1, MII_DP83822_MISR2, MII_DP83822_RCSR = 0x12, 0x13, 0x17
MII_DP83822_RESET_CTRL, MII_DP83822_GENCFG, MII_DP83822_SOR1 = 0x1F, 0x465, 0x467
MII_DP83822_WOL_CFG = 0x4A0
DP83822_FX_ENABLE, DP83822_SW_RESET = 0x4000, 0x8000
DP83822_PHYSTS_DUPLEX, DP83822_PHYSTS_10 = 0x0004, 0x0002
DP83822_PHYSCR_INT_OE, DP83822_PHYSCR_INTEN = 0x0001, 0x0002
#: MISR1 enables: link status | energy detect | link quality; copper adds AN complete |
#: duplex change | speed change.
MISR1_ALWAYS, MISR1_COPPER = 0x0020 | 0x0040 | 0x0080, 0x0004 | 0x0008 | 0x0010
#: MISR2 enables: jabber | sleep mode | loopback FIFO | page received | EEE error change;
#: copper adds AN error | WoL packet.
MISR2_ALWAYS, MISR2_COPPER = 0x0001 | 0x0004 | 0x0010 | 0x0020 | 0x0080, 0x0040 | 0x0002
DP83822_RGMII_MODE_EN, DP83822_RX_CLK_SHIFT, DP83822_TX_CLK_SHIFT = 0x0200, 0x1000, 0x0800
DP83822_WOL_MAGIC_EN, DP83822_WOL_SECURE_ON, DP83822_WOL_EN = 0x0001, 0x0020, 0x0080
DP83822_WOL_CLR_INDICATION = 0x0800
DP83822_COL_STRAP_MASK, DP83822_COL_SHIFT = 0x0C00, 10
DP83822_RX_ER_STR_MASK, DP83822_RX_ER_SHIFT = 0x0300, 8
#: MII_DP83822_FIBER_ADVERTISE: ADVERTISED_TP | MII | FIBRE | Pause | Asym_Pause (as
#: ethtool bits, written into r4 as the kernel does).
MII_DP83822_FIBER_ADVERTISE = 0x0080 | 0x0200 | 0x0400 | 0x2000 | 0x4000
_RGMII = (Interface.RGMII, Interface.RGMII_ID, Interface.RGMII_RXID, Interface.RGMII_TXID)


def _modify_mmd(dev: PhyDevice, reg: int, mask: int, value: int) -> None:
    """phy_modify_mmd on DP83822_DEVADDR (31): read, written only on change."""
    old = dev.read_mmd(DP83822_DEVADDR, reg)
    new = (old & ~mask) | value
    if new != old:
        dev.write_mmd(DP83822_DEVADDR, reg, new)


def dp83822_probe(dev: PhyDevice) -> None:
    """dp83822.c dp83822_probe: dp83822_read_straps (SOR1: COL strap mode 2 or 3 is
    fibre; with fibre, RX_ER strap mode 3 or 4 enables signal detect), then
    dp83822_of_init (``ti,fiber-mode``; ``ti,link-loss-low`` with signal detect)."""
    sor1 = dev.read_mmd(DP83822_DEVADDR, MII_DP83822_SOR1)
    col = (sor1 & DP83822_COL_STRAP_MASK) >> DP83822_COL_SHIFT
    fx = col in (1, 2)
    sd = fx and ((sor1 & DP83822_RX_ER_STR_MASK) >> DP83822_RX_ER_SHIFT) in (2, 3)
    dev.priv["fx_sd_enable"] = sd
    dev.priv["fx_signal_det_low"] = sd and bool(dev.priv.get("ti,link-loss-low"))
    dev.priv["fx_enabled"] = fx or bool(dev.priv.get("ti,fiber-mode"))


def dp83822_config_wol(dev: PhyDevice) -> None:
    """dp83822.c dp83822_config_wol without magic-packet options (physcapy sets none):
    phy_clear_bits_mmd(WOL_CFG, WoL enable | magic | SecureOn)."""
    clear = DP83822_WOL_EN | DP83822_WOL_MAGIC_EN | DP83822_WOL_SECURE_ON
    _modify_mmd(dev, MII_DP83822_WOL_CFG, clear, 0)


def dp83822_config_init(dev: PhyDevice) -> None:
    """dp83822.c dp83822_config_init: RCSR at MMD 31.0x17 (RGMII: RX shift for an RX
    delay, TX shift without a TX delay, then RGMII mode on; otherwise RGMII mode off);
    fibre mode; dp83822_config_wol."""
    if dev.interface in _RGMII:
        # phy_get_internal_delay without device-tree delays: 1 for the interface modes
        # that ask the PHY for the delay, else 0.
        rx = dev.interface in (Interface.RGMII_ID, Interface.RGMII_RXID)
        tx = dev.interface in (Interface.RGMII_ID, Interface.RGMII_TXID)
        delay = (DP83822_RX_CLK_SHIFT if rx else 0) | (0 if tx else DP83822_TX_CLK_SHIFT)
        _modify_mmd(dev, MII_DP83822_RCSR, DP83822_RX_CLK_SHIFT | DP83822_TX_CLK_SHIFT, delay)
        _modify_mmd(dev, MII_DP83822_RCSR, 0, DP83822_RGMII_MODE_EN)
    else:
        _modify_mmd(dev, MII_DP83822_RCSR, DP83822_RGMII_MODE_EN, 0)
    if dev.priv.get("fx_enabled"):
        # phy_modify(CTRL_2, FX_ENABLE, 1): the kernel passes 1, not the FX bit.
        dev.modify(MII_DP83822_CTRL_2, DP83822_FX_ENABLE, 1)
        if dev.read(0) & 0x1000:
            dev.modify(0, 0x1000, 0)
        dev.autoneg = 0
        dev.modify(4, MII_DP83822_FIBER_ADVERTISE, MII_DP83822_FIBER_ADVERTISE)
        if dev.priv.get("fx_signal_det_low"):
            _modify_mmd(dev, MII_DP83822_GENCFG, 0, 0x0001)
    dp83822_config_wol(dev)


def dp83822_phy_reset(dev: PhyDevice) -> None:
    """dp83822.c dp83822_phy_reset: PHYRCR ← software reset (no wait), then the driver's
    config_init."""
    dev.write(MII_DP83822_RESET_CTRL, DP83822_SW_RESET)
    dp83822_config_init(dev)


def dp83822_read_status(dev: PhyDevice) -> None:
    """dp83822.c dp83822_read_status: PHYSTS (fibre without link: CTRL_2 FX bit set
    again if lost), genphy_read_status, then duplex and speed from the PHYSTS read
    first."""
    status = dev.read(MII_DP83822_PHYSTS)
    if dev.priv.get("fx_enabled") and not status & 0x0001:
        ctrl2 = dev.read(MII_DP83822_CTRL_2)
        if not ctrl2 & DP83822_FX_ENABLE:
            dev.write(MII_DP83822_CTRL_2, DP83822_FX_ENABLE | ctrl2)
    genphy_read_status(dev)
    dev.duplex = 1 if status & DP83822_PHYSTS_DUPLEX else 0
    dev.speed = 10 if status & DP83822_PHYSTS_10 else 100


def dp83822_config_intr(dev: PhyDevice) -> None:
    """dp83822.c dp83822_config_intr: on, MISR1 and MISR2 read and written with their
    enables (copper adds its own), PHYSCR |= INT_OE | INTEN; off, MISR1 ← 0, MISR2 ← 0,
    PHYSCR &= ~INTEN (read, always written)."""
    copper = not dev.priv.get("fx_enabled")
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        misr1 = dev.read(MII_DP83822_MISR1) | MISR1_ALWAYS | (MISR1_COPPER if copper else 0)
        dev.write(MII_DP83822_MISR1, misr1)
        misr2 = dev.read(MII_DP83822_MISR2) | MISR2_ALWAYS | (MISR2_COPPER if copper else 0)
        dev.write(MII_DP83822_MISR2, misr2)
        physcr = dev.read(MII_DP83822_PHYSCR) | DP83822_PHYSCR_INT_OE | DP83822_PHYSCR_INTEN
    else:
        dev.write(MII_DP83822_MISR1, 0)
        dev.write(MII_DP83822_MISR2, 0)
        physcr = dev.read(MII_DP83822_PHYSCR) & ~DP83822_PHYSCR_INTEN
    dev.write(MII_DP83822_PHYSCR, physcr)


def dp83822_handle_interrupt(dev: PhyDevice) -> bool:
    """dp83822.c dp83822_handle_interrupt: MISR1 then MISR2 (both read, clearing them);
    ours when a status bit 15:8 has its enable bit 7:0 set."""
    ours = False
    for reg in (MII_DP83822_MISR1, MII_DP83822_MISR2):
        status = dev.read(reg)
        ours |= bool(status & ((status & 0xFF) << 8))
    return ours


def dp83822_suspend(dev: PhyDevice) -> None:
    """dp83822.c dp83822_suspend: WOL_CFG; without WoL enabled, genphy_suspend."""
    if not dev.read_mmd(DP83822_DEVADDR, MII_DP83822_WOL_CFG) & DP83822_WOL_EN:
        genphy_suspend(dev)


def dp83822_resume(dev: PhyDevice) -> None:
    """dp83822.c dp83822_resume: genphy_resume, then WOL_CFG read and written back with
    the clear-indication bit."""
    genphy_resume(dev)
    value = dev.read_mmd(DP83822_DEVADDR, MII_DP83822_WOL_CFG)
    dev.write_mmd(DP83822_DEVADDR, MII_DP83822_WOL_CFG, value | DP83822_WOL_CLR_INDICATION)


#: PHY_BASIC_FEATURES is implied (no .features in v6.12: genphy_read_abilities).
DP83822 = PhyDriver(
    DP83822_PHY_ID,
    0xFFFFFFF0,
    "TI DP83822",
    probe=dp83822_probe,
    soft_reset=dp83822_phy_reset,
    config_init=dp83822_config_init,
    config_aneg=genphy_config_aneg,
    read_status=dp83822_read_status,
    config_intr=dp83822_config_intr,
    handle_interrupt=dp83822_handle_interrupt,
    suspend=dp83822_suspend,
    resume=dp83822_resume,
    model="dp83822",
)

#: Linux v2.6.32 has no dp83822.c.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 dp83822.c's DP83822 entry (the DP83825/DP83826 parts have no model).
MODERN_DRIVERS: list[PhyDriver] = [DP83822]
