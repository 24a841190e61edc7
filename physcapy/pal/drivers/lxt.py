# SPDX-License-Identifier: GPL-2.0-only
"""Level One (Intel) LXT970 and LXT971 10/100 PHYs: ``DRIVERS`` as Linux v2.6.32 lxt.c
drives them (phylib-reference.md §4.1 and §4.5), ``MODERN_DRIVERS`` as v6.12.

Both negotiate and report status generically; they differ in where the interrupt
registers are (LXT970: enable r17, status r18, configuration r19; LXT971: enable
r18, status r19).  The reference notes the kernel source calls lxt.c "not tested".

    >>> [d.name for d in DRIVERS]
    ['LXT970', 'LXT971']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import PHY_BASIC_FEATURES, PHY_HAS_INTERRUPT, PHY_INTERRUPT_ENABLED
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import MII_BMSR, genphy_resume, genphy_suspend

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

MII_LXT970_IER = 17  # interrupt enable
MII_LXT970_IER_IEN = 0x0002
MII_LXT970_ISR = 18  # interrupt status
MII_LXT970_CONFIG = 19  # configuration
MII_LXT971_IER = 18
MII_LXT971_IER_IEN = 0x00F2
MII_LXT971_ISR = 19


def lxt970_config_init(dev: PhyDevice) -> None:
    """§4.5: r19 (configuration) ← 0."""
    dev.write(MII_LXT970_CONFIG, 0)


def lxt970_ack_interrupt(dev: PhyDevice) -> None:
    """§4.5: read BMSR, then r18."""
    dev.read(MII_BMSR)
    dev.read(MII_LXT970_ISR)


def lxt970_config_intr(dev: PhyDevice) -> None:
    """§4.5: r17 ← 0x0002 when enabled, 0 otherwise."""
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(MII_LXT970_IER, MII_LXT970_IER_IEN if enabled else 0)


def lxt971_ack_interrupt(dev: PhyDevice) -> None:
    """§4.5: read r19."""
    dev.read(MII_LXT971_ISR)


def lxt971_config_intr(dev: PhyDevice) -> None:
    """§4.5: r18 ← 0x00f2 when enabled, 0 otherwise."""
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(MII_LXT971_IER, MII_LXT971_IER_IEN if enabled else 0)


LXT970 = PhyDriver(
    0x78100000,
    0xFFFFFFF0,
    "LXT970",
    features=PHY_BASIC_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    config_init=lxt970_config_init,
    ack_interrupt=lxt970_ack_interrupt,
    config_intr=lxt970_config_intr,
    model="lxt970",
)
LXT971 = PhyDriver(
    0x001378E0,
    0xFFFFFFF0,
    "LXT971",
    features=PHY_BASIC_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    ack_interrupt=lxt971_ack_interrupt,
    config_intr=lxt971_config_intr,
    model="lxt971",
)

#: 2.6.32 lxt.c, in its registration order.
DRIVERS: list[PhyDriver] = [LXT970, LXT971]


# -- v6.12 lxt.c ----------------------------------------------------------------------------

MII_LXT970_IRS_MINT = 0x8000  # r18 bit 15: an interrupt is pending
MII_LXT971_ISR_MASK = 0x00F0


def lxt970_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (BMSR, r18), r17 ← 0x0002; off: r17 ← 0, acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        lxt970_ack_interrupt(dev)
        dev.write(MII_LXT970_IER, MII_LXT970_IER_IEN)
    else:
        dev.write(MII_LXT970_IER, 0)
        lxt970_ack_interrupt(dev)


def lxt970_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read BMSR, then r18; ours when bit 15 is set."""
    dev.read(MII_BMSR)
    return bool(dev.read(MII_LXT970_ISR) & MII_LXT970_IRS_MINT)


def lxt971_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (r19), r18 ← 0x00f2; off: r18 ← 0, acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        lxt971_ack_interrupt(dev)
        dev.write(MII_LXT971_IER, MII_LXT971_IER_IEN)
    else:
        dev.write(MII_LXT971_IER, 0)
        lxt971_ack_interrupt(dev)


def lxt971_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read r19; ours when a bit of 0x00f0 is set."""
    return bool(dev.read(MII_LXT971_ISR) & MII_LXT971_ISR_MASK)


#: v6.12 lxt.c (its LXT973 entries are left out: physcapy has no model of that part).
MODERN_DRIVERS: list[PhyDriver] = [
    PhyDriver(
        0x78100000,
        0xFFFFFFF0,
        "LXT970",
        config_init=lxt970_config_init,
        config_intr=lxt970_config_intr_612,
        handle_interrupt=lxt970_handle_interrupt,
        model="lxt970",
    ),
    PhyDriver(
        0x001378E0,
        0xFFFFFFF0,
        "LXT971",
        config_intr=lxt971_config_intr_612,
        handle_interrupt=lxt971_handle_interrupt,
        suspend=genphy_suspend,
        resume=genphy_resume,
        model="lxt971",
    ),
]
