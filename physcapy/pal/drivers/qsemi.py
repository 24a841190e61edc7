# SPDX-License-Identifier: GPL-2.0-only
"""Quality Semiconductor QS6612 10/100 PHY: ``DRIVERS`` as Linux v2.6.32 qsemi.c drives
it (phylib-reference.md §4.1 and §4.6), ``MODERN_DRIVERS`` as v6.12.

At attach the driver writes 0x0dc0 into the 100BASE-TX PHY control register (r31):
the boards it was written for powered the PHY up isolated, and the kernel source
says the value is a guess.  Negotiation and status are generic.

    >>> QS6612.name, hex(QS6612.phy_id)
    ('QS6612', '0x181440')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import PHY_BASIC_FEATURES, PHY_HAS_INTERRUPT, PHY_INTERRUPT_ENABLED
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import MII_BMSR

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

MII_QS6612_ISR = 29  # interrupt source
MII_QS6612_IMR = 30  # interrupt mask
MII_QS6612_IMR_INIT = 0x003A
MII_QS6612_PCR = 31  # 100BASE-TX PHY control
MII_QS6612_PCR_INIT = 0x0DC0
MII_EXPANSION = 6


def qs6612_config_init(dev: PhyDevice) -> None:
    """§4.6: r31 ← 0x0dc0."""
    dev.write(MII_QS6612_PCR, MII_QS6612_PCR_INIT)


def qs6612_ack_interrupt(dev: PhyDevice) -> None:
    """§4.6: read r29, BMSR and EXPANSION (r6), in that order."""
    dev.read(MII_QS6612_ISR)
    dev.read(MII_BMSR)
    dev.read(MII_EXPANSION)


def qs6612_config_intr(dev: PhyDevice) -> None:
    """§4.6: r30 ← 0x003a when enabled, 0 otherwise."""
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(MII_QS6612_IMR, MII_QS6612_IMR_INIT if enabled else 0)


QS6612 = PhyDriver(
    0x00181440,
    0xFFFFFFF0,
    "QS6612",
    features=PHY_BASIC_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    config_init=qs6612_config_init,
    ack_interrupt=qs6612_ack_interrupt,
    config_intr=qs6612_config_intr,
    model="qs6612",
)

DRIVERS: list[PhyDriver] = [QS6612]


# -- v6.12 qsemi.c --------------------------------------------------------------------------


def qs6612_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (r29, BMSR, r6), r30 ← 0x003a; off: r30 ← 0, acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        qs6612_ack_interrupt(dev)
        dev.write(MII_QS6612_IMR, MII_QS6612_IMR_INIT)
    else:
        dev.write(MII_QS6612_IMR, 0)
        qs6612_ack_interrupt(dev)


def qs6612_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read r29; ours when a bit of 0x003a is set, then the full acknowledge
    (r29, BMSR, r6) before the machine runs."""
    if not dev.read(MII_QS6612_ISR) & MII_QS6612_IMR_INIT:
        return False
    qs6612_ack_interrupt(dev)
    return True


MODERN_DRIVERS: list[PhyDriver] = [
    PhyDriver(
        0x00181440,
        0xFFFFFFF0,
        "QS6612",
        config_init=qs6612_config_init,
        config_intr=qs6612_config_intr_612,
        handle_interrupt=qs6612_handle_interrupt,
        model="qs6612",
    )
]
