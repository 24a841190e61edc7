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

The RTL8211B entry is 2.6.32's ("RTL821x Gigabit Ethernet"); the others are the 4.x
forms of [S14].  Under both profiles the same forms are registered.
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

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS"]

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

#: realtek.c order (4.x): RTL8201CP, then the RTL8211 family by model number.
DRIVERS: list[PhyDriver] = [RTL8201CP, RTL8211B, RTL8211DN, RTL8211E, RTL8211F]
