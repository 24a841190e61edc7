# SPDX-License-Identifier: GPL-2.0-only
"""The names the shell, ``%load_ext physcapy`` and ``physcapy -c`` give the user.

>>> ns = shell_namespace("sim://", scapy=False)
>>> ns["BMSR"](0x796D).link_status, hex(ns["bus"].read(1, "BMSR"))
(1, '0x796d')
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["scapy_names", "shell_namespace"]


def scapy_names() -> dict[str, Any]:
    """The Scapy frame and register layers (``MDIO``, ``MDIO45``...) by name."""
    from physcapy.mdio import scapy
    from physcapy.registers.values import register_packet

    names: dict[str, Any] = {name: getattr(scapy, name) for name in scapy.__all__}
    names["register_packet"] = register_packet
    return names


def shell_namespace(bus_url: Any = "sim://", *, scapy: bool = True) -> dict[str, Any]:
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
    if scapy:
        ns.update(scapy_names())
    ns.update(
        open_bus=open_bus,
        bus=open_bus(bus_url) if isinstance(bus_url, str) else bus_url,
        scan=scan,
        dump=dump,
        read_register=read_register,
        write_register=write_register,
        LinkPartner=LinkPartner,
    )
    return ns
