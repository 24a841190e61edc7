# SPDX-License-Identifier: GPL-2.0-only
"""MDIO buses: one interface, several back ends, chosen by URL (design.md §3.2).

>>> bus = open_bus("sim://lan8720a@1?partner=none")
>>> hex(bus.read(1, "BMSR"))
'0x7809'
"""

from __future__ import annotations

from urllib.parse import urlsplit

from physcapy.bus.base import Bus, Listener
from physcapy.errors import PhyscapyError, UnknownNameError

__all__ = ["SCHEMES", "Bus", "Listener", "open_bus"]

#: URL schemes and what they are; the ones not yet built say so.
SCHEMES = {
    "sim": "simulated PHYs",
    "ftdi": "an FTDI MPSSE adapter through pyftdi",
    "ftdi-emu": "an emulated FTDI chip wired to simulated PHYs",
    "linux": "a Linux network interface through the MII ioctls",
}


def open_bus(url: str = "sim://") -> Bus:
    """Build the bus a URL names: ``sim://``, ``ftdi://``, ``ftdi-emu://``, ``linux://``."""
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme not in SCHEMES:
        raise UnknownNameError(
            "bus URL scheme", scheme or url, [f"{s}://" for s in SCHEMES], hint="for example sim://"
        )
    if scheme == "sim":
        from physcapy.sim.bus import SimBus

        return SimBus.from_url(url)
    if scheme == "linux":
        from physcapy.bus.linux import LinuxBus

        return LinuxBus.from_url(url)
    if scheme == "ftdi":
        from physcapy.ftdi.device import open_ftdi

        return open_ftdi(url)
    if scheme == "ftdi-emu":
        from physcapy.ftdi.emubus import open_emulated

        return open_emulated(url)
    raise PhyscapyError(
        f"{scheme}:// ({SCHEMES[scheme]}) is not available in this version: use sim://"
    )
