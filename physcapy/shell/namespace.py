# SPDX-License-Identifier: GPL-2.0-only
"""The names the shell, ``%load_ext physcapy`` and ``physcapy -c`` give the user.

>>> ns = shell_namespace("sim://", scapy=False)
>>> ns["BMSR"](0x796D).link_status, hex(ns["bus"].read(1, "BMSR"))
(1, '0x796d')
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["scapy_names", "shell_namespace"]


#: Scapy's own helpers a Scapy user types without thinking.
_SCAPY_HELPERS = {
    "fuzz": "scapy.packet",
    "raw": "scapy.compat",
    "hexdump": "scapy.utils",
    "PacketList": "scapy.plist",
}


def scapy_names(current_bus: Callable[[], Any] | None = None) -> dict[str, Any]:
    """The Scapy layers (``MDIO``, ``MDIO45``...), Scapy's workflow on MDIO (``sr``,
    ``sr1``, ``sniff``, ``rdcapture``...) and Scapy's helpers (``fuzz``, ``hexdump``), by
    name; ``current_bus`` is where ``sr()`` and friends go without ``bus=``."""
    from importlib import import_module

    from physcapy.mdio import scapy
    from physcapy.registers.values import register_packet
    from physcapy.traffic import packets, sendrecv, socket

    names: dict[str, Any] = {name: getattr(scapy, name) for name in scapy.__all__}
    del names["conf"]
    names["register_packet"] = register_packet
    names["mdio_conf"] = scapy.conf
    for module in (sendrecv, packets, socket):
        names.update({name: getattr(module, name) for name in module.__all__})
    del names["conf"]
    for name, module_name in _SCAPY_HELPERS.items():
        names[name] = getattr(import_module(module_name), name)
    if current_bus is not None:
        sendrecv.conf.bus_source = current_bus
    return names


def shell_namespace(
    bus_url: Any = "sim://", *, scapy: bool = True, current_bus: Callable[[], Any] | None = None
) -> dict[str, Any]:
    """What ``physcapy shell`` puts in the user's namespace (``bus`` on ``bus_url``,
    a URL or an open bus).  ``scapy=False`` leaves the Scapy frame layers out (the
    shell adds them from a background thread once the prompt is up: Scapy takes a
    tenth of a second to import)."""
    from physcapy.bus import open_bus
    from physcapy.bus.access import dump, read_register, scan, write_register
    from physcapy.mdio.frames import Frame, c45_frames, c45_over_c22_frames
    from physcapy.registers.models import model
    from physcapy.registers.values import register, register_class
    from physcapy.sim.partner import LinkPartner

    ns: dict[str, Any] = {
        # The package itself, for physcapy.<Tab>; it is loaded, being this one's parent.
        "physcapy": sys.modules[__name__.partition(".")[0]],
        "Frame": Frame,
        "c45_frames": c45_frames,
        "c45_over_c22_frames": c45_over_c22_frames,
        "model": model,
        "register": register,
    }
    for reg in model().registers.values():
        ns[reg.name] = register_class(reg)
    bus = open_bus(bus_url) if isinstance(bus_url, str) else bus_url
    if scapy:
        ns.update(scapy_names(current_bus or (lambda: bus)))
    ns.update(
        open_bus=open_bus,
        bus=bus,
        scan=scan,
        dump=dump,
        read_register=read_register,
        write_register=write_register,
        LinkPartner=LinkPartner,
    )
    return ns
