# SPDX-License-Identifier: GPL-2.0-only
"""The PHY Abstraction Layer in Python: Linux phylib over any physcapy bus.

mii_bus registration and scanning, phy_device, drivers matched by
``phy_id & phy_id_mask`` (the generic driver otherwise), the state machine of
2.6-era phylib (``linux26``) or of v6 (``linux6``), ethtool and MII ioctl glue, all
on the bus clock (virtual time by default).  phylib-reference.md is the contract::

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://lan8720a@1")
    >>> dev = pal.phy_connect(pal.netdev(), "0:01")
    >>> pal.phy_start(dev); pal.run(3)
    >>> [e.data["text"] for e in pal.events.of("log") if "Link" in e.data["text"]]
    ['PHY: 0:01 - Link is Up - 100/Full']
"""

from __future__ import annotations

from physcapy.pal.constants import Interface, Linux6State, State
from physcapy.pal.device import PhyDevice, Profile
from physcapy.pal.driver import GENPHY, DriverRegistry, PhyDriver
from physcapy.pal.events import Event, EventLog, NetDevice
from physcapy.pal.kernel import Pal
from physcapy.pal.mdiobus import MiiBus, mdiobus_register, mdiobus_unregister

__all__ = [
    "GENPHY",
    "DriverRegistry",
    "Event",
    "EventLog",
    "Interface",
    "Linux6State",
    "MiiBus",
    "NetDevice",
    "Pal",
    "PhyDevice",
    "PhyDriver",
    "Profile",
    "State",
    "mdiobus_register",
    "mdiobus_unregister",
]
