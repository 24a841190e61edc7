# SPDX-License-Identifier: GPL-2.0-only
"""Davicom DM9161E, DM9161A and DM9131 10/100 PHYs: ``DRIVERS`` as Linux v2.6.32
davicom.c drives them (phylib-reference.md §4.1 and §4.4), ``MODERN_DRIVERS`` as v6.12
(no features; every part has config_intr and handle_interrupt).

The DM9161 parts are isolated while the specific configuration register (r16) and
the 10BASE-T register (r18) are loaded, then de-isolated with autoneg on; their
config_aneg isolates again so that genphy_config_aneg always restarts AN.  Only the
DM9131 declares interrupts (r21, whose mask bits *disable* a source).  The mask
0x0ffffff0 ignores the top nibble of PHYSID1::

    >>> DM9161E.matches(0xf181b881)
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    PHY_BASIC_FEATURES,
    PHY_HAS_INTERRUPT,
    PHY_INTERRUPT_ENABLED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import BMCR_ANENABLE, BMCR_ISOLATE, MII_BMCR, genphy_config_aneg

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

EINVAL = 22
MII_DM9161_SCR = 16  # specific configuration
MII_DM9161_SCR_INIT = 0x0610
MII_DM9161_SCR_RMII = 0x0100
MII_DM9161_10BTCSR = 18  # 10BASE-T configuration/status
MII_DM9161_10BTCSR_INIT = 0x7800
MII_DM9161_INTR = 21  # interrupt: 0x8000 pending, 0x0f00 masks, 0x001c change flags
MII_DM9161_INTR_STOP = 0x0F00  # duplex, speed, link and global masks (1 = masked)


def dm9161_config_init(dev: PhyDevice) -> None:
    """§4.4: BMCR ← 0x0400 (isolate); r16 ← 0x0610 (MII) or 0x0710 (RMII), any other
    interface is ``EINVAL``; r18 ← 0x7800; BMCR ← 0x1000 (AN on, de-isolated).

    The interface is checked after the isolate write, as the 2.6.32 driver does: a
    refused interface leaves the PHY isolated.
    """
    dev.write(MII_BMCR, BMCR_ISOLATE)
    if dev.interface == Interface.MII:
        scr = MII_DM9161_SCR_INIT
    elif dev.interface == Interface.RMII:
        scr = MII_DM9161_SCR_INIT | MII_DM9161_SCR_RMII
    else:
        raise PalError(
            EINVAL,
            f"{dev.name}: Davicom DM9161 supports MII and RMII only, not {dev.interface.name}",
        )
    dev.write(MII_DM9161_SCR, scr)
    dev.write(MII_DM9161_10BTCSR, MII_DM9161_10BTCSR_INIT)
    dev.write(MII_BMCR, BMCR_ANENABLE)


def dm9161_config_aneg(dev: PhyDevice) -> int:
    """§4.4: BMCR ← 0x0400, then genphy_config_aneg (which, seeing ISOLATE, restarts AN
    and clears it)."""
    dev.write(MII_BMCR, BMCR_ISOLATE)
    return genphy_config_aneg(dev)


def dm9161_ack_interrupt(dev: PhyDevice) -> None:
    """DM9131 (§4.4): read r21."""
    dev.read(MII_DM9161_INTR)


def dm9161_config_intr(dev: PhyDevice) -> None:
    """DM9131 (§4.4): read r21, clear 0x0f00 to enable (set it to disable), write."""
    temp = dev.read(MII_DM9161_INTR)
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        temp &= ~MII_DM9161_INTR_STOP
    else:
        temp |= MII_DM9161_INTR_STOP
    dev.write(MII_DM9161_INTR, temp)


DM9161E = PhyDriver(
    0x0181B880,
    0x0FFFFFF0,
    "Davicom DM9161E",
    features=PHY_BASIC_FEATURES,
    config_init=dm9161_config_init,
    config_aneg=dm9161_config_aneg,
    model="dm9161e",
)
DM9161A = PhyDriver(
    0x0181B8A0,
    0x0FFFFFF0,
    "Davicom DM9161A",
    features=PHY_BASIC_FEATURES,
    config_init=dm9161_config_init,
    config_aneg=dm9161_config_aneg,
    model="dm9161a",
)
DM9131 = PhyDriver(
    0x00181B80,
    0x0FFFFFF0,
    "Davicom DM9131",
    features=PHY_BASIC_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    ack_interrupt=dm9161_ack_interrupt,
    config_intr=dm9161_config_intr,
    model="dm9131",
)

#: 2.6.32 davicom.c, in its registration order.
DRIVERS: list[PhyDriver] = [DM9161E, DM9161A, DM9131]


# -- v6.12 davicom.c ----------------------------------------------------------------------

MII_DM9161_INTR_CHANGE = 0x001C  # duplex, speed and link change flags


def dm9161_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: read r21; on: acknowledge (read r21 again), r21 with 0x0f00 cleared; off:
    r21 with 0x0f00 set, then acknowledge."""
    temp = dev.read(MII_DM9161_INTR)
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dm9161_ack_interrupt(dev)
        dev.write(MII_DM9161_INTR, temp & ~MII_DM9161_INTR_STOP)
    else:
        dev.write(MII_DM9161_INTR, temp | MII_DM9161_INTR_STOP)
        dm9161_ack_interrupt(dev)


def dm9161_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read r21; ours when a change flag (0x001c) is set."""
    return bool(dev.read(MII_DM9161_INTR) & MII_DM9161_INTR_CHANGE)


def _dm612(phy_id: int, name: str, model: str, *, init: bool) -> PhyDriver:
    """v6.12 entries: no features, all with config_intr/handle_interrupt; the DM9161
    parts keep their 2.6.32 config_init/config_aneg (same register writes in v6.12)."""
    return PhyDriver(
        phy_id,
        0x0FFFFFF0,
        name,
        config_init=dm9161_config_init if init else None,
        config_aneg=dm9161_config_aneg if init else genphy_config_aneg,
        config_intr=dm9161_config_intr_612,
        handle_interrupt=dm9161_handle_interrupt,
        model=model,
    )


#: v6.12 davicom.c order; its "Davicom DM9161B/C" (0x0181b8b0) entry is left out:
#: physcapy has no model of that part.
MODERN_DRIVERS: list[PhyDriver] = [
    _dm612(0x0181B880, "Davicom DM9161E", "dm9161e", init=True),
    _dm612(0x0181B8A0, "Davicom DM9161A", "dm9161a", init=True),
    _dm612(0x00181B80, "Davicom DM9131", "dm9131", init=False),
]
