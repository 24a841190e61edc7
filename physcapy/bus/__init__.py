# SPDX-License-Identifier: GPL-2.0-only
"""MDIO buses: one interface, several back ends, chosen by URL (design.md §3.2).

``base`` is the interface every back end implements (Clause 22 and 45 access,
batches, the transaction log); ``access`` the register-level helpers on it (read by
name, dump, scan); ``clock`` virtual and real time; ``url`` the option parser;
``linux`` the ``linux://`` back end; ``schemes`` the registry that finds back ends
through the ``physcapy.buses`` entry points, so this floor never imports the
simulated or FTDI back ends above it.  May import ``capture`` (session recording),
``mdio`` and ``registers``.

>>> bus = open_bus("sim://lan8720a@1?partner=none")
>>> hex(bus.read(1, "BMSR"))
'0x7809'
"""

from __future__ import annotations

from physcapy.bus.base import Bus, Listener
from physcapy.bus.schemes import open_bus, schemes

__all__ = ["Bus", "Listener", "open_bus", "schemes"]
