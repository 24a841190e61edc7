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

The YT8521 entry ("YT8521 Gigabit Ethernet", PHY_ID_YT8521 0x0000011a exact) reaches
registers 0-0x1F of its UTP or its fibre side through EXT 0xA000 bit 1 (its read_page /
write_page: ``yt8521_read_page`` reads EXT 0xA000, ``yt8521_write_page`` modifies bit 1);
every paged operation is phy_select_page (read the page, write it only on change),
the access, phy_restore_page (the old page written back, a modify: read, write on
change).  Modelled for a UTP-to-RGMII strap (EXT 0xA001 mode 0, the model's reset):

* probe (``yt8521_probe``): EXT 0xA001 read for the strap, EXT 0xA000 <- the UTP page,
  the clock output off (EXT 0xA012 bit 5 cleared);
* get_features (``yt8521_get_features`` / ``ytphy_utp_read_abilities``): BMSR and
  ESTATUS on the UTP page, no EEE read;
* soft_reset (``yt8521_soft_reset``): BMCR reset on the UTP page, polled every ~1 ms;
* suspend/resume (``yt8521_suspend``/``yt8521_resume``): WoL config EXT 0xA00A read,
  BMCR power-down on the page; resume first clears auto-sleep (EXT 0x27 bit 15);
* config_init (``yt8521_config_init``): on the UTP page, the RGMII delays unless SGMII;
* config_aneg (``yt8521_config_aneg`` / ``ytphy_utp_config_aneg``): MASTER-SLAVE, the
  advertisement, restart if needed, on the UTP page;
* aneg_done (``yt8521_aneg_done``): SSR link bit on the page;
* read_status (``yt8521_read_status_paged``): SSR (r0x11) for link, speed and duplex,
  BMSR for AN complete, then STAT1000 and LPA for the partner; no genphy_update_link.

The polling and fibre straps (both sides, arbitration) are not modelled.
Linux v2.6.32 has no motorcomm.c: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    DUPLEX_UNKNOWN,
    SPEED_UNKNOWN,
    SUPPORTED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    BMCR_FULLDPLX,
    BMCR_ISOLATE,
    BMCR_LOOPBACK,
    BMCR_PDOWN,
    BMCR_RESET,
    BMCR_SPEED100,
    BMCR_SPEED1000,
    BMSR_ANEGCAPABLE,
    BMSR_ANEGCOMPLETE,
    BMSR_ESTATEN,
    ESTATUS_1000_TFULL,
    ESTATUS_1000_THALF,
    ESTATUS_1000_XFULL,
    MII_BMCR,
    MII_BMSR,
    MII_ESTATUS,
    genphy_check_and_restart_aneg,
    genphy_config_advert,
    genphy_read_lpa,
    genphy_resume,
    genphy_setup_master_slave,
    genphy_suspend,
    phy_resolve_aneg_pause,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS", "YT8521", "YT8531"]

PHY_ID_YT8521, PHY_ID_YT8531 = 0x0000011A, 0x4F51E91B
YTPHY_SPECIFIC_STATUS_REG = 0x11
YTPHY_SSR_SPEED_MASK, YTPHY_SSR_DUPLEX, YTPHY_SSR_LINK = 0xC200, 0x2000, 0x0400
#: SSR speed codes (bits 15:14, bit 9 clear) -> Mb/s (motorcomm.c yt8521_adjust_status).
YTPHY_SSR_SPEEDS = {0x0000: 10, 0x4000: 100, 0x8000: 1000}
YT8521_REG_SPACE_SELECT_REG, YT8521_RSSR_SPACE_MASK = 0xA000, 0x0002
YT8521_RSSR_UTP_SPACE, YT8521_RSSR_FIBER_SPACE = 0x0000, 0x0002
YT8521_CCR_MODE_SEL_MASK = 0x0007
#: Straps of a UTP-only chip (YT8521_CCR_MODE_UTP_TO_RGMII, _UTP_TO_SGMII).
YT8521_UTP_STRAPS = (0, 3)
YT8521_SCR_SYNCE_ENABLE = 0x0020
YT8521_EXTREG_SLEEP_CONTROL1_REG, YT8521_ESC1R_SLEEP_SW = 0x27, 0x8000
YTPHY_WOL_CONFIG_REG, YTPHY_WCR_ENABLE = 0xA00A, 0x0008
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


# -- YT8521 ---------------------------------------------------------------------------------


def ytphy_write_ext(dev: PhyDevice, reg: int, value: int) -> None:
    """motorcomm.c ytphy_write_ext: r0x1e <- address, r0x1f <- value."""
    dev.write(YTPHY_PAGE_SELECT, reg)
    dev.write(YTPHY_PAGE_DATA, value)


def yt8521_read_page(dev: PhyDevice) -> int:
    """motorcomm.c yt8521_read_page: EXT 0xA000 read, bit 1 says fibre or UTP."""
    if ytphy_read_ext(dev, YT8521_REG_SPACE_SELECT_REG) & YT8521_RSSR_SPACE_MASK:
        return YT8521_RSSR_FIBER_SPACE
    return YT8521_RSSR_UTP_SPACE


def yt8521_write_page(dev: PhyDevice, page: int) -> None:
    """motorcomm.c yt8521_write_page: ytphy_modify_ext of EXT 0xA000 bit 1."""
    value = page & YT8521_RSSR_SPACE_MASK
    ytphy_modify_ext(dev, YT8521_REG_SPACE_SELECT_REG, YT8521_RSSR_SPACE_MASK, value)


def yt8521_select_page(dev: PhyDevice, page: int) -> int:
    """phy_select_page through the driver's read_page/write_page: the current page, and
    the new one written only when it differs; returns the page to restore."""
    old = yt8521_read_page(dev)
    if old != page:
        yt8521_write_page(dev, page)
    return old


def yt8521_probe(dev: PhyDevice) -> None:
    """motorcomm.c yt8521_probe: the strap from EXT 0xA001 bits 2:0; a UTP strap selects
    the UTP page (ytphy_write_ext of EXT 0xA000); no clock-output frequency in the
    device tree, so EXT 0xA012 bit 5 (YT8521_SCR_SYNCE_ENABLE) is cleared."""
    strap = ytphy_read_ext(dev, YT8521_CHIP_CONFIG_REG) & YT8521_CCR_MODE_SEL_MASK
    if strap not in YT8521_UTP_STRAPS:
        raise PalError(95, f"{dev.name}: YT8521 strap mode {strap} (fibre/poll) not modelled")
    dev.priv["reg_page"] = YT8521_RSSR_UTP_SPACE
    ytphy_write_ext(dev, YT8521_REG_SPACE_SELECT_REG, YT8521_RSSR_UTP_SPACE)
    ytphy_modify_ext(dev, YTPHY_SYNCE_CFG_REG, YT8521_SCR_SYNCE_ENABLE, 0)


def ytphy_utp_read_abilities(dev: PhyDevice) -> int:
    """motorcomm.c ytphy_utp_read_abilities: the basic ports, Autoneg and 10/100 from
    BMSR, 1000BASE-T half/full and 1000BASE-X full from ESTATUS (when BMSR has it)."""
    s = SUPPORTED
    out = s["Autoneg"] | s["TP"] | s["MII"]
    bmsr = dev.read(MII_BMSR)
    if not bmsr & BMSR_ANEGCAPABLE:
        out &= ~s["Autoneg"]
    for bit, name in (
        (0x4000, "100baseT_Full"),
        (0x2000, "100baseT_Half"),
        (0x1000, "10baseT_Full"),
        (0x0800, "10baseT_Half"),
    ):
        if bmsr & bit:
            out |= s[name]
    if bmsr & BMSR_ESTATEN:
        estatus = dev.read(MII_ESTATUS)
        for bit, name in (
            (ESTATUS_1000_TFULL, "1000baseT_Full"),
            (ESTATUS_1000_THALF, "1000baseT_Half"),
            (ESTATUS_1000_XFULL, "1000baseX_Full"),
        ):
            if estatus & bit:
                out |= s[name]
    return out


def yt8521_get_features(dev: PhyDevice) -> int:
    """motorcomm.c yt8521_get_features -> yt8521_get_features_paged (UTP page):
    phy_select_page, ytphy_utp_read_abilities, phy_restore_page."""
    old = yt8521_select_page(dev, dev.priv["reg_page"])
    try:
        return ytphy_utp_read_abilities(dev)
    finally:
        yt8521_write_page(dev, old)


def yt8521_modify_bmcr_paged(dev: PhyDevice, clear: int, setbits: int) -> None:
    """motorcomm.c yt8521_modify_bmcr_paged (through yt8521_modify_utp_fiber_bmcr, one
    page when it is decided): on the page, __phy_modify of BMCR; for a reset, BMCR read
    every ~1 ms (usleep_range(1000, 1100)) until bit 15 clears, at most 500 times; the
    page restored."""
    old = yt8521_select_page(dev, dev.priv["reg_page"])
    try:
        dev.modify(MII_BMCR, clear, setbits)
        if setbits == BMCR_RESET:
            for _ in range(500):
                dev.kernel.sleep(0.001)
                if not dev.read(MII_BMCR) & BMCR_RESET:
                    break
    finally:
        yt8521_write_page(dev, old)


def yt8521_soft_reset(dev: PhyDevice) -> None:
    """motorcomm.c yt8521_soft_reset: yt8521_modify_utp_fiber_bmcr(0, BMCR_RESET)."""
    yt8521_modify_bmcr_paged(dev, 0, BMCR_RESET)
    dev.suspended = False


def yt8521_suspend(dev: PhyDevice) -> None:
    """motorcomm.c yt8521_suspend: EXT 0xA00A (WOL_CONFIG) read; with WoL off, BMCR
    power-down on the page."""
    if ytphy_read_ext(dev, YTPHY_WOL_CONFIG_REG) & YTPHY_WCR_ENABLE:
        return
    yt8521_modify_bmcr_paged(dev, 0, BMCR_PDOWN)
    dev.suspended = True


def yt8521_resume(dev: PhyDevice) -> None:
    """motorcomm.c yt8521_resume: auto-sleep off (EXT 0x27 bit 15 cleared), EXT 0xA00A
    read; with WoL off, BMCR power-down cleared on the page."""
    ytphy_modify_ext(dev, YT8521_EXTREG_SLEEP_CONTROL1_REG, YT8521_ESC1R_SLEEP_SW, 0)
    if ytphy_read_ext(dev, YTPHY_WOL_CONFIG_REG) & YTPHY_WCR_ENABLE:
        return
    yt8521_modify_bmcr_paged(dev, BMCR_PDOWN, 0)
    dev.suspended = False


def yt8521_config_init(dev: PhyDevice) -> None:
    """motorcomm.c yt8521_config_init: on the UTP page, ytphy_rgmii_clk_delay_config
    unless the interface is SGMII (EOPNOTSUPP for GMII and the rest, after the page
    select; the page is restored either way); no auto-sleep or keep-PLL options."""
    old = yt8521_select_page(dev, YT8521_RSSR_UTP_SPACE)
    try:
        if dev.interface != Interface.SGMII:
            ytphy_rgmii_clk_delay_config(dev)
    finally:
        yt8521_write_page(dev, old)


def ytphy_utp_config_aneg(dev: PhyDevice) -> None:
    """motorcomm.c ytphy_utp_config_aneg (changed = false): ytphy_setup_master_slave
    (as genphy's: CTRL1000 bits 12:10, only when set); forced: BMCR from
    mii_bmcr_encode_fixed, loopback/isolate/power-down kept; autoneg:
    ytphy_utp_config_advert (ADVERTISE, BMSR, CTRL1000: genphy_config_advert's order)
    and ytphy_check_and_restart_aneg."""
    changed = genphy_setup_master_slave(dev)
    if dev.autoneg != AUTONEG_ENABLE:
        ctl = {1000: BMCR_SPEED1000, 100: BMCR_SPEED100}.get(dev.speed, 0)
        if dev.duplex == DUPLEX_FULL:
            ctl |= BMCR_FULLDPLX
        dev.modify(MII_BMCR, ~(BMCR_LOOPBACK | BMCR_ISOLATE | BMCR_PDOWN) & 0xFFFF, ctl)
        return
    changed |= genphy_config_advert(dev)
    genphy_check_and_restart_aneg(dev, bool(changed))


def yt8521_config_aneg(dev: PhyDevice) -> int:
    """motorcomm.c yt8521_config_aneg -> yt8521_config_aneg_paged (UTP page):
    phy_select_page, ytphy_utp_config_aneg, phy_restore_page."""
    old = yt8521_select_page(dev, dev.priv["reg_page"])
    try:
        ytphy_utp_config_aneg(dev)
    finally:
        yt8521_write_page(dev, old)
    return 0


def yt8521_aneg_done(dev: PhyDevice) -> bool:
    """motorcomm.c yt8521_aneg_done -> yt8521_aneg_done_paged: SSR (r0x11) link bit on
    the page."""
    old = yt8521_select_page(dev, dev.priv["reg_page"])
    try:
        return bool(dev.read(YTPHY_SPECIFIC_STATUS_REG) & YTPHY_SSR_LINK)
    finally:
        yt8521_write_page(dev, old)


def yt8521_read_status(dev: PhyDevice) -> None:
    """motorcomm.c yt8521_read_status -> yt8521_read_status_paged (UTP page): partner
    modes, speed, duplex and pause cleared; SSR for link; BMSR for AN complete; with the
    link up, yt8521_adjust_status: speed and duplex from SSR, ytphy_utp_read_lpa
    (STAT1000 then LPA, as genphy_read_lpa) and phy_resolve_aneg_pause; the page
    restored; ``link`` set."""
    dev.lp_advertising = 0
    dev.speed, dev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    dev.pause = dev.asym_pause = 0
    old = yt8521_select_page(dev, dev.priv["reg_page"])
    try:
        status = dev.read(YTPHY_SPECIFIC_STATUS_REG)
        link = int(bool(status & YTPHY_SSR_LINK))
        dev.autoneg_complete = int(bool(dev.read(MII_BMSR) & BMSR_ANEGCOMPLETE))
        if link:
            dev.duplex = DUPLEX_FULL if status & YTPHY_SSR_DUPLEX else DUPLEX_HALF
            speed = YTPHY_SSR_SPEEDS.get(status & YTPHY_SSR_SPEED_MASK, SPEED_UNKNOWN)
            dev.speed = speed
            genphy_read_lpa(dev)
            phy_resolve_aneg_pause(dev)
    finally:
        yt8521_write_page(dev, old)
    dev.link = link


YT8521 = PhyDriver(
    PHY_ID_YT8521,
    0xFFFFFFFF,
    "YT8521 Gigabit Ethernet",
    get_features=yt8521_get_features,
    probe=yt8521_probe,
    config_aneg=yt8521_config_aneg,
    aneg_done=yt8521_aneg_done,
    config_init=yt8521_config_init,
    read_status=yt8521_read_status,
    soft_reset=yt8521_soft_reset,
    suspend=yt8521_suspend,
    resume=yt8521_resume,
    model="yt8521",
)


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
#: Linux v6.12 motorcomm.c's YT8521 and YT8531 entries, in the file's order.
MODERN_DRIVERS: list[PhyDriver] = [YT8521, YT8531]
