# SPDX-License-Identifier: GPL-2.0-only
"""Realtek PHYs: RTL8201CP, RTL8211B, RTL8211DN, RTL8211E and RTL8211F
(phylib-reference.md §4.1 and §4.11).

Negotiation and status are generic.  Interrupts: INER r0x12 enables, INSR r0x13
reports (read clears); the RTL8211B enables speed, duplex and link changes (0x6400),
the RTL8211DN/E link changes (0x0400).  The RTL8211F is paged (page select r0x1f): its
INSR is r0x1d on page 0xa43 and its config_init sets the RGMII TX delay on page 0xd08.
The masks keep the revision nibble but ignore the top 11 bits::

    >>> RTL8211F.matches(0xfffcc916), RTL8211F.matches(0x001cc917)
    (True, False)

``DRIVERS`` is Linux v2.6.32 realtek.c: the RTL8211B entry alone ("RTL821x Gigabit
Ethernet"); ``MODERN_DRIVERS`` are the v6.12 entries (exact IDs, no features,
ack-then-enable config_intr, handle_interrupt, the RTL8211E/F RGMII delay pages).
``DRIVERS_4X`` keeps the 4.x forms of [S14].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import (
    PHY_BASIC_FEATURES,
    PHY_GBIT_FEATURES,
    PHY_HAS_INTERRUPT,
    PHY_INTERRUPT_ENABLED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    genphy_read_status,
    genphy_resume,
    genphy_soft_reset,
    genphy_suspend,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

RTL821X_INER = 0x12  # interrupt enable
RTL8211B_INER_INIT = 0x6400  # speed, duplex and link status changes
RTL8211E_INER_LINK_STATUS = 0x0400
RTL8211F_INER_LINK_STATUS = 0x0010
RTL821X_INSR = 0x13  # interrupt status (RTL8211B/DN/E), read clears
RTL8211F_PAGE_SELECT = 0x1F
RTL8211F_INSR_PAGE = 0xA43
RTL8211F_INSR = 0x1D
RTL8211F_RGMII_PAGE = 0xD08
RTL8211F_TXCR = 0x11  # TX delay control on page 0xd08
RTL8211F_TX_DELAY = 0x0100  # bit 8


def rtl821x_ack_interrupt(dev: PhyDevice) -> None:
    """RTL8211B/DN/E (§4.11): read INSR r0x13."""
    dev.read(RTL821X_INSR)


def rtl8211b_config_intr(dev: PhyDevice) -> None:
    """RTL8211B (§4.11): INER ← 0x6400 when enabled, 0 otherwise."""
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(RTL821X_INER, RTL8211B_INER_INIT if enabled else 0)


def rtl8211e_config_intr(dev: PhyDevice) -> None:
    """RTL8211DN/E (§4.11): INER ← 0x0400 (link status change) when enabled, else 0."""
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(RTL821X_INER, RTL8211E_INER_LINK_STATUS if enabled else 0)


def rtl8211f_ack_interrupt(dev: PhyDevice) -> None:
    """RTL8211F (§4.11): select page 0xa43, read INSR r0x1d, select page 0."""
    dev.write(RTL8211F_PAGE_SELECT, RTL8211F_INSR_PAGE)
    dev.read(RTL8211F_INSR)
    dev.write(RTL8211F_PAGE_SELECT, 0)


def rtl8211f_config_intr(dev: PhyDevice) -> None:
    """RTL8211F (§4.11): INER r0x12 ← 0x0010 (link status change) when enabled, else 0.

    Written on whatever page is selected, as the 4.x driver does: the driver leaves
    page 0 selected, which the part maps to its default page 0xa42 where INER lives.
    """
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(RTL821X_INER, RTL8211F_INER_LINK_STATUS if enabled else 0)


def rtl8211f_config_init(dev: PhyDevice) -> None:
    """RTL8211F (§4.11, 4.x): select page 0xd08, read r0x11, set bit 8 (TX delay) for
    RGMII_ID/RGMII_TXID and clear it for every other mode, write it back, select page 0.

    The 4.x driver first ran genphy_config_init, which in that era only narrowed
    ``supported`` to what BMSR/ESTATUS report (reads, no writes); the driver's
    features already describe the part, so it is not repeated here.
    """
    dev.write(RTL8211F_PAGE_SELECT, RTL8211F_RGMII_PAGE)
    reg = dev.read(RTL8211F_TXCR)
    if dev.interface in (Interface.RGMII_ID, Interface.RGMII_TXID):
        reg |= RTL8211F_TX_DELAY
    else:
        reg &= ~RTL8211F_TX_DELAY
    dev.write(RTL8211F_TXCR, reg)
    dev.write(RTL8211F_PAGE_SELECT, 0)


RTL8201CP = PhyDriver(
    0x00008201,
    0x0000FFFF,
    "RTL8201CP Ethernet",
    features=PHY_BASIC_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    model="rtl8201cp",
)
RTL8211B = PhyDriver(
    0x001CC912,
    0x001FFFFF,
    "RTL821x Gigabit Ethernet",
    features=PHY_GBIT_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    ack_interrupt=rtl821x_ack_interrupt,
    config_intr=rtl8211b_config_intr,
    model="rtl8211b",
)
RTL8211DN = PhyDriver(
    0x001CC914,
    0x001FFFFF,
    "RTL8211DN Gigabit Ethernet",
    features=PHY_GBIT_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    ack_interrupt=rtl821x_ack_interrupt,
    config_intr=rtl8211e_config_intr,
    model="rtl8211dn",
)
RTL8211E = PhyDriver(
    0x001CC915,
    0x001FFFFF,
    "RTL8211E Gigabit Ethernet",
    features=PHY_GBIT_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    ack_interrupt=rtl821x_ack_interrupt,
    config_intr=rtl8211e_config_intr,
    model="rtl8211e",
)
RTL8211F = PhyDriver(
    0x001CC916,
    0x001FFFFF,
    "RTL8211F Gigabit Ethernet",
    features=PHY_GBIT_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    config_init=rtl8211f_config_init,
    ack_interrupt=rtl8211f_ack_interrupt,
    config_intr=rtl8211f_config_intr,
    model="rtl8211f",
)

#: Linux v2.6.32 realtek.c has the RTL8211B entry alone (as "RTL821x Gigabit
#: Ethernet"); the other parts get the generic driver there.
DRIVERS: list[PhyDriver] = [RTL8211B]
#: The 4.x forms of [S14] (kept for reference and for tests that name them).
DRIVERS_4X: list[PhyDriver] = [RTL8201CP, RTL8211B, RTL8211DN, RTL8211E, RTL8211F]


# -- v6.12 realtek.c ------------------------------------------------------------------------

RTL821X_EXT_PAGE_SELECT = 0x1E
RTL8211F_PHYCR1, RTL8211F_PHYCR2 = 0x18, 0x19
RTL8211F_ALDPS = 0x1006  # PLL off (bit 1) | enable (bit 2) | XTAL off (bit 12)
RTL8211F_CLKOUT_EN = 0x0001
RTL8211F_RX_DELAY = 0x0008  # page 0xd08 r0x15 bit 3
RTL8211E_CTRL_DELAY, RTL8211E_TX_DELAY, RTL8211E_RX_DELAY = 0x2000, 0x1000, 0x0800
RTLGEN_SPEED_MASK = 0x0630
MII_MMD_DATA = 14
EXACT = 0xFFFFFFFF  # PHY_ID_MATCH_EXACT


def _paged_changed(dev: PhyDevice, page: int, reg: int, mask: int, value: int) -> int:
    """phy_modify_paged_changed with rtl821x_read_page/write_page (r0x1f)."""
    old_page = dev.select_page(RTL8211F_PAGE_SELECT, page)
    try:
        old = dev.read(reg)
        new = (old & ~mask) | value
        if new != old:
            dev.write(reg, new)
        return int(new != old)
    finally:
        dev.write(RTL8211F_PAGE_SELECT, old_page)


def rtl8211b_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (read INSR), INER ← 0x6400; off: INER ← 0, acknowledge."""
    _config_intr_612(dev, RTL8211B_INER_INIT)


def rtl8211e_config_intr_612(dev: PhyDevice) -> None:
    """v6.12 RTL8211DN/E: as the RTL8211B with INER ← 0x0400 (link status)."""
    _config_intr_612(dev, RTL8211E_INER_LINK_STATUS)


def _config_intr_612(dev: PhyDevice, mask: int) -> None:
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        rtl821x_ack_interrupt(dev)
        dev.write(RTL821X_INER, mask)
    else:
        dev.write(RTL821X_INER, 0)
        rtl821x_ack_interrupt(dev)


def rtl821x_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read INSR, then INER; ours when they overlap."""
    status = dev.read(RTL821X_INSR)
    return bool(status & dev.read(RTL821X_INER))


def rtl8211f_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (INSR r0x1d read on page 0xa43), INER ← 0x0010 on page
    0xa42; off: INER ← 0 on page 0xa42, acknowledge.  Paged accesses read r0x1f,
    select the page if it differs, and restore the old page."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dev.read_paged(RTL8211F_PAGE_SELECT, RTL8211F_INSR_PAGE, RTL8211F_INSR)
        dev.write_paged(RTL8211F_PAGE_SELECT, 0xA42, RTL821X_INER, RTL8211F_INER_LINK_STATUS)
    else:
        dev.write_paged(RTL8211F_PAGE_SELECT, 0xA42, RTL821X_INER, 0)
        dev.read_paged(RTL8211F_PAGE_SELECT, RTL8211F_INSR_PAGE, RTL8211F_INSR)


def rtl8211f_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: INSR read on page 0xa43; ours when the link status bit is set."""
    status = dev.read_paged(RTL8211F_PAGE_SELECT, RTL8211F_INSR_PAGE, RTL8211F_INSR)
    return bool(status & RTL8211F_INER_LINK_STATUS)


def rtl821x_probe(dev: PhyDevice) -> None:
    """v6.12: keep PHYCR1's ALDPS bits and PHYCR2's CLKOUT bit (page 0xa43 r0x18/0x19)
    as the board left them (DT ``realtek,aldps-enable`` / ``realtek,clkout-disable``
    as ``priv`` flags)."""
    phycr1 = dev.read_paged(RTL8211F_PAGE_SELECT, RTL8211F_INSR_PAGE, RTL8211F_PHYCR1)
    phycr1 &= RTL8211F_ALDPS
    if dev.priv.get("realtek,aldps-enable"):
        phycr1 |= RTL8211F_ALDPS
    phycr2 = dev.read_paged(RTL8211F_PAGE_SELECT, RTL8211F_INSR_PAGE, RTL8211F_PHYCR2)
    phycr2 &= RTL8211F_CLKOUT_EN
    if dev.priv.get("realtek,clkout-disable"):
        phycr2 &= ~RTL8211F_CLKOUT_EN
    dev.priv.update(phycr1=phycr1, phycr2=phycr2)


def rtl8211f_config_init_612(dev: PhyDevice) -> None:
    """v6.12: ALDPS (page 0xa43 PHYCR1, written only on change); for RGMII modes the TX
    delay (page 0xd08 r0x11 bit 8) and RX delay (r0x15 bit 3), each written only on
    change, then CLKOUT (page 0xa43 PHYCR2) and genphy_soft_reset; other modes stop
    after ALDPS (delays as strapped)."""
    _paged_changed(
        dev, RTL8211F_INSR_PAGE, RTL8211F_PHYCR1, RTL8211F_ALDPS, int(dev.priv.get("phycr1", 0))
    )
    iface = dev.interface
    if iface not in (
        Interface.RGMII,
        Interface.RGMII_ID,
        Interface.RGMII_RXID,
        Interface.RGMII_TXID,
    ):
        return
    tx = RTL8211F_TX_DELAY if iface in (Interface.RGMII_ID, Interface.RGMII_TXID) else 0
    rx = RTL8211F_RX_DELAY if iface in (Interface.RGMII_ID, Interface.RGMII_RXID) else 0
    _paged_changed(dev, RTL8211F_RGMII_PAGE, RTL8211F_TXCR, RTL8211F_TX_DELAY, tx)
    _paged_changed(dev, RTL8211F_RGMII_PAGE, 0x15, RTL8211F_RX_DELAY, rx)
    _paged_changed(
        dev, RTL8211F_INSR_PAGE, RTL8211F_PHYCR2, RTL8211F_CLKOUT_EN, int(dev.priv.get("phycr2", 0))
    )
    genphy_soft_reset(dev)


def rtl8211e_config_init_612(dev: PhyDevice) -> None:
    """v6.12: for RGMII modes, page 7, extension page 0xa4 (r0x1e), r0x1c delay bits
    (CTRL 13 | TX 12 | RX 11) written only on change, page restored; other modes
    nothing."""
    delays = {
        Interface.RGMII: RTL8211E_CTRL_DELAY,
        Interface.RGMII_ID: RTL8211E_CTRL_DELAY | RTL8211E_TX_DELAY | RTL8211E_RX_DELAY,
        Interface.RGMII_RXID: RTL8211E_CTRL_DELAY | RTL8211E_RX_DELAY,
        Interface.RGMII_TXID: RTL8211E_CTRL_DELAY | RTL8211E_TX_DELAY,
    }
    if dev.interface not in delays:
        return
    old_page = dev.select_page(RTL8211F_PAGE_SELECT, 0x7)
    try:
        dev.write(RTL821X_EXT_PAGE_SELECT, 0xA4)
        dev.modify(
            0x1C,
            RTL8211E_CTRL_DELAY | RTL8211E_TX_DELAY | RTL8211E_RX_DELAY,
            delays[Interface(dev.interface)],
        )
    finally:
        dev.write(RTL8211F_PAGE_SELECT, old_page)


def rtl8211b_suspend(dev: PhyDevice) -> None:
    """v6.12: r14 ← bit 9, then genphy_suspend."""
    dev.write(MII_MMD_DATA, 0x0200)
    genphy_suspend(dev)


def rtl8211b_resume(dev: PhyDevice) -> None:
    """v6.12: r14 ← 0, then genphy_resume."""
    dev.write(MII_MMD_DATA, 0)
    genphy_resume(dev)


def rtl821x_resume(dev: PhyDevice) -> None:
    """v6.12 RTL8211F: genphy_resume, then 20 ms."""
    genphy_resume(dev)
    dev.kernel.sleep(0.020)


def rtlgen_read_status(dev: PhyDevice) -> None:
    """v6.12 RTL8211F: generic status; with link, speed from page 0xa43 r0x12."""
    genphy_read_status(dev)
    if not dev.link:
        return
    val = dev.read_paged(RTL8211F_PAGE_SELECT, RTL8211F_INSR_PAGE, 0x12) & RTLGEN_SPEED_MASK
    speed = {0x0000: 10, 0x0010: 100, 0x0020: 1000, 0x0200: 10000, 0x0210: 2500}.get(val)
    if speed is not None:
        dev.speed = speed


#: v6.12 realtek.c entries physcapy has models for, in its order (exact IDs; no
#: features; RTL8211B without MMD access).
MODERN_DRIVERS: list[PhyDriver] = [
    PhyDriver(0x00008201, EXACT, "RTL8201CP Ethernet", model="rtl8201cp"),
    PhyDriver(
        0x001CC912,
        EXACT,
        "RTL8211B Gigabit Ethernet",
        config_intr=rtl8211b_config_intr_612,
        handle_interrupt=rtl821x_handle_interrupt,
        suspend=rtl8211b_suspend,
        resume=rtl8211b_resume,
        mmd_unsupported=True,
        model="rtl8211b",
    ),
    PhyDriver(
        0x001CC914,
        EXACT,
        "RTL8211DN Gigabit Ethernet",
        config_intr=rtl8211e_config_intr_612,
        handle_interrupt=rtl821x_handle_interrupt,
        suspend=genphy_suspend,
        resume=genphy_resume,
        model="rtl8211dn",
    ),
    PhyDriver(
        0x001CC915,
        EXACT,
        "RTL8211E Gigabit Ethernet",
        config_init=rtl8211e_config_init_612,
        config_intr=rtl8211e_config_intr_612,
        handle_interrupt=rtl821x_handle_interrupt,
        suspend=genphy_suspend,
        resume=genphy_resume,
        model="rtl8211e",
    ),
    PhyDriver(
        0x001CC916,
        EXACT,
        "RTL8211F Gigabit Ethernet",
        probe=rtl821x_probe,
        config_init=rtl8211f_config_init_612,
        read_status=rtlgen_read_status,
        config_intr=rtl8211f_config_intr_612,
        handle_interrupt=rtl8211f_handle_interrupt,
        suspend=genphy_suspend,
        resume=rtl821x_resume,
        model="rtl8211f",
    ),
]
