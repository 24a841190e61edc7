# SPDX-License-Identifier: GPL-2.0-only
"""phylib's numbers: states, ethtool bits, feature masks, the forced-settings table.

Values are the 2.6.32 headers' (``include/linux/phy.h``, ``ethtool.h``, ``mii.h``;
phylib-reference.md §1.2, §1.3, §1.6, §3.2) unless a name says it is modern::

    >>> SUPPORTED["100baseT_Full"], hex(PHY_BASIC_FEATURES)
    (8, '0x2cf')
    >>> find_valid(find_setting(1000, DUPLEX_FULL) + 1, PHY_BASIC_FEATURES)
    3
"""

from __future__ import annotations

import errno as _errno
from enum import IntEnum

__all__ = [
    "ADVERTISED",
    "AN_TIMEOUT",
    "AUTONEG_DISABLE",
    "AUTONEG_ENABLE",
    "DUPLEX_FULL",
    "DUPLEX_HALF",
    "DUPLEX_UNKNOWN",
    "FORCE_TIMEOUT",
    "PHY_BASIC_FEATURES",
    "PHY_GBIT_FEATURES",
    "PHY_HAS_INTERRUPT",
    "PHY_HAS_MAGICANEG",
    "PHY_IGNORE_INTERRUPT",
    "PHY_MAX_ADDR",
    "PHY_POLL",
    "SETTINGS",
    "SETTINGS_612",
    "SPEED_UNKNOWN",
    "SUPPORTED",
    "Interface",
    "Linux6State",
    "State",
    "errno_name",
    "find_setting",
    "find_valid",
]

PHY_MAX_ADDR = 32
PHY_POLL = -1
#: The MAC handles the PHY's interrupt (2.6: PHY_IGNORE_INTERRUPT; v6: PHY_MAC_INTERRUPT).
PHY_IGNORE_INTERRUPT = -2
PHY_STATE_TIME = 1.0
AN_TIMEOUT = 10
FORCE_TIMEOUT = 10

# Driver flags (2.6.32 phy.h).
PHY_HAS_INTERRUPT = 0x00000001
PHY_HAS_MAGICANEG = 0x00000002
PHY_INTERRUPT_DISABLED = 0x0
PHY_INTERRUPT_ENABLED = 0x80000000

AUTONEG_DISABLE, AUTONEG_ENABLE = 0, 1
DUPLEX_HALF, DUPLEX_FULL = 0, 1
#: What phy_device_create leaves in ``duplex`` (2.6: -1) and modern UNKNOWN values.
DUPLEX_UNKNOWN = -1
SPEED_UNKNOWN = -1
PORT_MII = 2
XCVR_EXTERNAL = 1

#: ethtool SUPPORTED_* / ADVERTISED_* bit values (they share positions).
SUPPORTED = {
    "10baseT_Half": 1 << 0,
    "10baseT_Full": 1 << 1,
    "100baseT_Half": 1 << 2,
    "100baseT_Full": 1 << 3,
    "1000baseT_Half": 1 << 4,
    "1000baseT_Full": 1 << 5,
    "Autoneg": 1 << 6,
    "TP": 1 << 7,
    "AUI": 1 << 8,
    "MII": 1 << 9,
    "FIBRE": 1 << 10,
    "BNC": 1 << 11,
    "10000baseT_Full": 1 << 12,
    "Pause": 1 << 13,
    "Asym_Pause": 1 << 14,
    "2500baseX_Full": 1 << 15,
    "Backplane": 1 << 16,
    "1000baseKX_Full": 1 << 17,
    # Modern link-mode bit (ETHTOOL_LINK_MODE_1000baseX_Full_BIT = 41), beyond the 2.6
    # u32: genphy_read_abilities sets it from ESTATUS 0x8000.
    "1000baseX_Full": 1 << 41,
    # Further v6.12 link modes (ETHTOOL_LINK_MODE_*_BIT numbers): multi-gigabit BASE-T
    # (genphy_c45_pma_read_ext_abilities, 1.21) and single-pair BASE-T1/T1S.
    "2500baseT_Full": 1 << 47,
    "5000baseT_Full": 1 << 48,
    "100baseT1_Full": 1 << 67,
    "10baseT1S_Full": 1 << 99,
    "10baseT1S_Half": 1 << 100,
    "10baseT1S_P2MP_Half": 1 << 101,
}
ADVERTISED = SUPPORTED

PHY_BASIC_FEATURES = 0x2CF  # 10/100 half and full, Autoneg, TP, MII
PHY_GBIT_FEATURES = 0x2FF  # basic | 1000 half and full

#: phy_settings[] of 2.6.32 phy.c, fastest first: (speed, duplex, SUPPORTED bit).
SETTINGS: tuple[tuple[int, int, int], ...] = (
    (10000, DUPLEX_FULL, SUPPORTED["10000baseT_Full"]),
    (1000, DUPLEX_FULL, SUPPORTED["1000baseT_Full"]),
    (1000, DUPLEX_HALF, SUPPORTED["1000baseT_Half"]),
    (100, DUPLEX_FULL, SUPPORTED["100baseT_Full"]),
    (100, DUPLEX_HALF, SUPPORTED["100baseT_Half"]),
    (10, DUPLEX_FULL, SUPPORTED["10baseT_Full"]),
    (10, DUPLEX_HALF, SUPPORTED["10baseT_Half"]),
)

#: v6.12 settings[] of drivers/net/phy/phy-core.c (what phy_lookup_setting walks), for the
#: link modes physcapy has, in that table's order: the BASE-T1/T1S modes sit beside the
#: twisted-pair ones of their speed.
SETTINGS_612: tuple[tuple[int, int, int], ...] = (
    (10000, DUPLEX_FULL, SUPPORTED["10000baseT_Full"]),
    (5000, DUPLEX_FULL, SUPPORTED["5000baseT_Full"]),
    (2500, DUPLEX_FULL, SUPPORTED["2500baseT_Full"]),
    (2500, DUPLEX_FULL, SUPPORTED["2500baseX_Full"]),
    (1000, DUPLEX_FULL, SUPPORTED["1000baseT_Full"]),
    (1000, DUPLEX_HALF, SUPPORTED["1000baseT_Half"]),
    (1000, DUPLEX_FULL, SUPPORTED["1000baseX_Full"]),
    (1000, DUPLEX_FULL, SUPPORTED["1000baseKX_Full"]),
    (100, DUPLEX_FULL, SUPPORTED["100baseT_Full"]),
    (100, DUPLEX_FULL, SUPPORTED["100baseT1_Full"]),
    (100, DUPLEX_HALF, SUPPORTED["100baseT_Half"]),
    (10, DUPLEX_FULL, SUPPORTED["10baseT_Full"]),
    (10, DUPLEX_HALF, SUPPORTED["10baseT_Half"]),
    (10, DUPLEX_FULL, SUPPORTED["10baseT1S_Full"]),
    (10, DUPLEX_HALF, SUPPORTED["10baseT1S_Half"]),
    (10, DUPLEX_HALF, SUPPORTED["10baseT1S_P2MP_Half"]),
)


def find_setting(speed: int, duplex: int) -> int:
    """Index of the exact (speed, duplex) row, else the last row (10/HALF)."""
    for i, (s, d, _) in enumerate(SETTINGS):
        if s == speed and d == duplex:
            return i
    return len(SETTINGS) - 1


def find_valid(idx: int, features: int) -> int:
    """First row at or after ``idx`` whose bit is in ``features``; else the last row
    (10/HALF), even when that one is not supported (2.6.32 phy_find_valid)."""
    for i in range(idx, len(SETTINGS)):
        if SETTINGS[i][2] & features:
            return i
    return len(SETTINGS) - 1


class State(IntEnum):
    """The twelve 2.6-era states, in header order (phy_stop_machine compares ``> UP``)."""

    DOWN = 0
    STARTING = 1
    READY = 2
    PENDING = 3
    UP = 4
    AN = 5
    RUNNING = 6
    NOLINK = 7
    FORCING = 8
    CHANGELINK = 9
    HALTED = 10
    RESUMING = 11


class Linux6State(IntEnum):
    """The v6.x states (phylib-reference.md §1.10); "started" means ``>= UP``."""

    DOWN = 0
    READY = 1
    HALTED = 2
    ERROR = 3
    UP = 4
    RUNNING = 5
    NOLINK = 6
    CABLETEST = 7


class Interface(IntEnum):
    """phy_interface_t of 2.6.32, in enum order."""

    MII = 0
    GMII = 1
    SGMII = 2
    TBI = 3
    RMII = 4
    RGMII = 5
    RGMII_ID = 6
    RGMII_RXID = 7
    RGMII_TXID = 8
    RTBI = 9
    # Later phy_interface_t modes the v6.12 multi-gigabit drivers check for (their
    # kernel names, "2500base-x" and so on, are accepted by ``Pal`` and the CLI).
    XGMII = 20
    XAUI = 21
    RXAUI = 22
    BASER_10G = 23
    BASEX_2500 = 24
    USXGMII = 25
    BASER_5G = 26
    BASEKR_10G = 27


def errno_name(code: int) -> str:
    """``-19`` or ``19`` -> ``"ENODEV"``."""
    return _errno.errorcode.get(abs(code), f"errno {abs(code)}")
