# SPDX-License-Identifier: GPL-2.0-only
"""physcapy: Scapy-style scripting of MDIO frames and Ethernet PHY registers.

    >>> from physcapy import BMSR, Frame
    >>> BMSR(0x796D).link_status
    1
    >>> Frame(22, "read", phy=1, reg=1).to_bytes().hex()
    '60860000'

Importing physcapy loads neither Scapy nor IPython: register classes (``BMCR``,
``BMSR``... of the IEEE set) are made on first use, and ``MDIO``/``MDIO45``
import Scapy's packet machinery only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from physcapy._version import __version__
from physcapy.errors import PhyscapyError

if TYPE_CHECKING:
    from physcapy.mdio.frames import Frame, c45_frames, c45_over_c22_frames

__all__ = [
    "Frame",
    "PhyscapyError",
    "__version__",
    "c45_frames",
    "c45_over_c22_frames",
    "model",
    "open_bus",
    "register",
]

#: The Scapy frame layers, imported with Scapy on first use.
SCAPY_FRAMES = ("MDIO", "MDIO45", "MDIOPreamble")

#: Scapy's workflow on MDIO (physcapy.traffic), by the module that defines each name.
SCAPY_WORKFLOW = {
    "sr": "physcapy.traffic.sendrecv",
    "sr1": "physcapy.traffic.sendrecv",
    "srloop": "physcapy.traffic.sendrecv",
    "send": "physcapy.traffic.sendrecv",
    "sniff": "physcapy.traffic.sendrecv",
    "c45_over_c22_packets": "physcapy.traffic.sendrecv",
    "rdcapture": "physcapy.traffic.packets",
    "wrcapture": "physcapy.traffic.packets",
    "MDIOSocket": "physcapy.traffic.socket",
    "register_layer": "physcapy.mdio.scapy",
}


#: Made on first use: ``python -m physcapy decode`` imports this package and needs none
#: of them (dataclasses and the frame tables cost each start 2.5 ms).
FRAMES = ("Frame", "c45_frames", "c45_over_c22_frames")


def __getattr__(name: str) -> Any:
    if name in FRAMES:
        from physcapy.mdio import frames

        return getattr(frames, name)
    if name == "open_bus":
        from physcapy.bus import open_bus

        return open_bus
    if name in ("model", "all_models", "model_for_id"):
        from physcapy.registers import models

        return getattr(models, name)
    if name in ("register", "register_class", "RegisterValue"):
        from physcapy.registers import values as registers

        return getattr(registers, name)
    if name in SCAPY_FRAMES:
        from physcapy.mdio import scapy

        return getattr(scapy, name)
    if name in SCAPY_WORKFLOW:
        from importlib import import_module

        return getattr(import_module(SCAPY_WORKFLOW[name]), name)
    if name in ("register_packet", "register_packet_class"):
        from physcapy.registers import values

        return getattr(values, name)
    if name.isupper():
        from physcapy.errors import UnknownNameError
        from physcapy.registers.models import model
        from physcapy.registers.values import register_class

        try:
            return register_class(model().register(name))
        except UnknownNameError:
            pass
    raise AttributeError(f"module 'physcapy' has no attribute {name!r}")


def __dir__() -> list[str]:
    from physcapy.registers.models import model

    return sorted(
        {
            *globals(),
            *__all__,
            *SCAPY_FRAMES,
            *SCAPY_WORKFLOW,
            "register_packet",
            *(r.name for r in model().registers.values()),
        }
    )


def load_ipython_extension(ip: Any) -> None:
    """``%load_ext physcapy`` (see :mod:`physcapy.shell.extension`)."""
    from physcapy.shell.extension import load_ipython_extension as load

    load(ip)


def unload_ipython_extension(ip: Any) -> None:
    from physcapy.shell.extension import unload_ipython_extension as unload

    unload(ip)
