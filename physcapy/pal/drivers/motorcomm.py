# SPDX-License-Identifier: GPL-2.0-only
"""Motorcomm YT8531 as Linux v6.12 ``drivers/net/phy/motorcomm.c`` drives it ("YT8531
Gigabit Ethernet", PHY_ID_YT8531 0x4f51e91b matched exactly).

Extended registers are reached through 0x1E (address) and 0x1F (data): ``ytphy_read_ext``
writes the address and reads the data, ``ytphy_modify_ext`` writes the address, reads the
data and writes it back only on change (__phy_modify).  The model describes them as the
``[[indirect]]`` space EXT.

* probe (``yt8531_probe``): no ``motorcomm,clk-out-frequency-hz``, so the clock output is
  disabled: EXT 0xA012 (SYNCE_CFG) bit 6 cleared;
* config_init (``yt8531_config_init``): ``ytphy_rgmii_clk_delay_config`` (RGMII modes only,
  EOPNOTSUPP otherwise; without device-tree delays both default to 1.950 ns, code 13, and
  the RX clock delay enable EXT 0xA001 bit 8 stays clear): EXT 0xA001 bit 8, EXT 0xA003
  bits 13:10 (RX) and 3:0 (TX) by interface mode; the auto-sleep and PLL device-tree
  options are absent; ``yt8531_set_ds``: EXT 0xA010 RX clock strength (bits 15:13) and RX
  data strength (bits 12, 5:4), both the default 3;
* no get_features, config_aneg, read_status, soft_reset or interrupt hooks: the generic
  ones, polled; suspend/resume genphy; link_change_notify does nothing without
  ``motorcomm,tx-clk-adj-enabled``.

The YT8521 entry (paged UTP/fibre access through EXT 0xA000) is not modelled yet.
Linux v2.6.32 has no motorcomm.c: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import Interface
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import genphy_resume, genphy_suspend

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS", "YT8531"]

PHY_ID_YT8531 = 0x4F51E91B
YTPHY_PAGE_SELECT, YTPHY_PAGE_DATA = 0x1E, 0x1F
YT8521_CHIP_CONFIG_REG, YT8521_CCR_RXC_DLY_EN = 0xA001, 0x0100
YT8521_RGMII_CONFIG1_REG = 0xA003
YT8521_RC1R_RX_DELAY_MASK, YT8521_RC1R_GE_TX_DELAY_MASK = 0x3C00, 0x000F
YT8521_RC1R_RGMII_1_950_NS = 13
YTPHY_PAD_DRIVE_STRENGTH_REG = 0xA010
YT8531_RGMII_RXC_DS_MASK, YT8531_RGMII_RXD_DS_HI_MASK = 0xE000, 0x1000
YT8531_RGMII_RXD_DS_LOW_MASK, YT8531_RGMII_RX_DS_DEFAULT = 0x0030, 3
YTPHY_SYNCE_CFG_REG, YT8531_SCR_SYNCE_ENABLE = 0xA012, 0x0040


def ytphy_read_ext(dev: PhyDevice, reg: int) -> int:
    """motorcomm.c ytphy_read_ext: r0x1e ← address, then r0x1f."""
    dev.write(YTPHY_PAGE_SELECT, reg)
    return dev.read(YTPHY_PAGE_DATA)


def ytphy_modify_ext(dev: PhyDevice, reg: int, mask: int, value: int) -> None:
    """motorcomm.c ytphy_modify_ext: r0x1e ← address, then __phy_modify of r0x1f (read,
    written only on change)."""
    dev.write(YTPHY_PAGE_SELECT, reg)
    dev.modify(YTPHY_PAGE_DATA, mask, value)


def yt8531_probe(dev: PhyDevice) -> None:
    """motorcomm.c yt8531_probe without a clock-output frequency: SYNCE_CFG bit 6
    (clock output enable) cleared."""
    ytphy_modify_ext(dev, YTPHY_SYNCE_CFG_REG, YT8531_SCR_SYNCE_ENABLE, 0)


def ytphy_rgmii_clk_delay_config(dev: PhyDevice) -> None:
    """motorcomm.c ytphy_rgmii_clk_delay_config without device-tree delays: both delays
    1.950 ns (code 13), RX clock delay enable 0; RGMII: none; RXID: RX; TXID: TX; ID:
    both; any other mode EOPNOTSUPP.  EXT 0xA001 bit 8, then EXT 0xA003."""
    code = YT8521_RC1R_RGMII_1_950_NS
    rx, tx = code << 10, code
    values = {
        Interface.RGMII: 0,
        Interface.RGMII_RXID: rx,
        Interface.RGMII_TXID: tx,
        Interface.RGMII_ID: rx | tx,
    }
    if dev.interface not in values:
        raise PalError(95, f"{dev.name}: interface {dev.interface.name} not supported")
    ytphy_modify_ext(dev, YT8521_CHIP_CONFIG_REG, YT8521_CCR_RXC_DLY_EN, 0)
    mask = YT8521_RC1R_RX_DELAY_MASK | YT8521_RC1R_GE_TX_DELAY_MASK
    ytphy_modify_ext(dev, YT8521_RGMII_CONFIG1_REG, mask, values[Interface(dev.interface)])


def yt8531_set_ds(dev: PhyDevice) -> None:
    """motorcomm.c yt8531_set_ds without device-tree currents: the default strength 3
    for the RX clock (bits 15:13) and the RX data (bit 12 = bit 2, bits 5:4 = bits 1:0),
    two modifies of EXT 0xA010."""
    ds = YT8531_RGMII_RX_DS_DEFAULT
    ytphy_modify_ext(dev, YTPHY_PAD_DRIVE_STRENGTH_REG, YT8531_RGMII_RXC_DS_MASK, ds << 13)
    hi = ((ds >> 2) & 1) << 12
    low = (ds & 3) << 4
    mask = YT8531_RGMII_RXD_DS_LOW_MASK | YT8531_RGMII_RXD_DS_HI_MASK
    ytphy_modify_ext(dev, YTPHY_PAD_DRIVE_STRENGTH_REG, mask, low | hi)


def yt8531_config_init(dev: PhyDevice) -> None:
    """motorcomm.c yt8531_config_init: the RGMII delays, (no auto-sleep or keep-PLL
    device-tree options), the pad drive strengths."""
    ytphy_rgmii_clk_delay_config(dev)
    yt8531_set_ds(dev)


YT8531 = PhyDriver(
    PHY_ID_YT8531,
    0xFFFFFFFF,
    "YT8531 Gigabit Ethernet",
    probe=yt8531_probe,
    config_init=yt8531_config_init,
    suspend=genphy_suspend,
    resume=genphy_resume,
    model="yt8531",
)

#: Linux v2.6.32 has no motorcomm.c.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 motorcomm.c's YT8531 entry (the YT8521 one is not here yet).
MODERN_DRIVERS: list[PhyDriver] = [YT8531]
