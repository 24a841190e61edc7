# SPDX-License-Identifier: GPL-2.0-only
"""Cicada CIS8201 (= Vitesse VSC8201) and CIS8204 gigabit PHYs: ``DRIVERS`` as Linux
v2.6.32 cicada.c drives them (phylib-reference.md §4.1 and §4.3), ``MODERN_DRIVERS`` as
v6.12 cicada.c (no features, ack-then-enable config_intr, handle_interrupt).

Negotiation and status are generic; the driver only sets the auxiliary control
register and the MAC interface register at attach, and owns the interrupt pair
r25 (mask) / r26 (status, cleared by reading).  Note the masks: 0x000ffff0 ignores the
top 12 bits of the identifier, and the CIS8204's 0x000fffc0 also the low six::

    >>> CIS8204.matches(0xffffc47f), CIS8201.matches(0x000fc41a)
    (True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import PHY_GBIT_FEATURES, PHY_HAS_INTERRUPT, PHY_INTERRUPT_ENABLED
from physcapy.pal.driver import PhyDriver

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

MII_CIS8201_EXT_CON1 = 23  # extended control 1 (MAC interface, I/O voltage)
MII_CIS8201_EXTCON1_INIT = 0x0000
MII_CIS8201_IMASK = 25  # interrupt mask: 0x8000 pin, 0x4000 speed, 0x2000 link, 0x1000 duplex
MII_CIS8201_IMASK_MASK = 0xF000
MII_CIS8201_ISTAT = 26  # interrupt status, cleared by reading
MII_CIS8201_AUX_CONSTAT = 28  # auxiliary control/status
MII_CIS8201_AUXCONSTAT_INIT = 0x0004


def cis820x_config_init(dev: PhyDevice) -> None:
    """§4.3: r28 ← 0x0004, then r23 ← 0x0000."""
    dev.write(MII_CIS8201_AUX_CONSTAT, MII_CIS8201_AUXCONSTAT_INIT)
    dev.write(MII_CIS8201_EXT_CON1, MII_CIS8201_EXTCON1_INIT)


def cis820x_ack_interrupt(dev: PhyDevice) -> None:
    """§4.3: read r26 (clears it)."""
    dev.read(MII_CIS8201_ISTAT)


def cis820x_config_intr(dev: PhyDevice) -> None:
    """§4.3: r25 ← 0xf000 (all four) when enabled, 0 otherwise."""
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(MII_CIS8201_IMASK, MII_CIS8201_IMASK_MASK if enabled else 0)


def _cicada(phy_id: int, mask: int, name: str, model: str) -> PhyDriver:
    return PhyDriver(
        phy_id,
        mask,
        name,
        features=PHY_GBIT_FEATURES,
        flags=PHY_HAS_INTERRUPT,
        config_init=cis820x_config_init,
        ack_interrupt=cis820x_ack_interrupt,
        config_intr=cis820x_config_intr,
        model=model,
    )


CIS8204 = _cicada(0x000FC440, 0x000FFFC0, "Cicada Cis8204", "cis8204")
CIS8201 = _cicada(0x000FC410, 0x000FFFF0, "Cicada Cis8201", "cis8201")

#: 2.6.32 cicada.c registers the CIS8204 first.
DRIVERS: list[PhyDriver] = [CIS8204, CIS8201]


# -- v6.12 cicada.c -----------------------------------------------------------------------


def cis820x_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (read r26), r25 ← 0xf000; off: r25 ← 0, acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        cis820x_ack_interrupt(dev)
        dev.write(MII_CIS8201_IMASK, MII_CIS8201_IMASK_MASK)
    else:
        dev.write(MII_CIS8201_IMASK, 0)
        cis820x_ack_interrupt(dev)


def cis820x_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read r26; ours when a status bit of 0xf000 is set."""
    return bool(dev.read(MII_CIS8201_ISTAT) & MII_CIS8201_IMASK_MASK)


def _cicada612(phy_id: int, mask: int, name: str, model: str) -> PhyDriver:
    """v6.12 entries: no features (probe reads BMSR/ESTATUS), no flags."""
    return PhyDriver(
        phy_id,
        mask,
        name,
        config_init=cis820x_config_init,
        config_intr=cis820x_config_intr_612,
        handle_interrupt=cis820x_handle_interrupt,
        model=model,
    )


#: v6.12 cicada.c registers the CIS8201 first.
MODERN_DRIVERS: list[PhyDriver] = [
    _cicada612(0x000FC410, 0x000FFFF0, "Cicada Cis8201", "cis8201"),
    _cicada612(0x000FC440, 0x000FFFC0, "Cicada Cis8204", "cis8204"),
]
