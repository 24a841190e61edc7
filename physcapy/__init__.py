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

from typing import Any

from physcapy._version import __version__
from physcapy.errors import PhyscapyError
from physcapy.frames import Frame, c45_frames, c45_over_c22_frames

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

_SCAPY_NAMES = {"MDIO", "MDIO45", "MDIOPreamble", "register_packet"}


def __getattr__(name: str) -> Any:
    if name == "open_bus":
        from physcapy.bus import open_bus

        return open_bus
    if name in ("model", "all_models", "model_for_id"):
        from physcapy import models

        return getattr(models, name)
    if name in ("register", "register_class", "RegisterValue"):
        from physcapy import registers

        return getattr(registers, name)
    if name in _SCAPY_NAMES:
        from physcapy import scapy_layers

        return getattr(scapy_layers, name)
    if name.isupper():
        from physcapy.errors import UnknownNameError
        from physcapy.models import model
        from physcapy.registers import register_class

        try:
            return register_class(model().register(name))
        except UnknownNameError:
            pass
    raise AttributeError(f"module 'physcapy' has no attribute {name!r}")


def __dir__() -> list[str]:
    from physcapy.models import model

    return sorted(
        {*globals(), *__all__, *_SCAPY_NAMES, *(r.name for r in model().registers.values())}
    )


def scapy_names() -> dict[str, Any]:
    """The Scapy frame layers (``MDIO``, ``MDIO45``...) by name."""
    from physcapy import scapy_layers

    return {name: getattr(scapy_layers, name) for name in _SCAPY_NAMES}


def load_ipython_extension(ip: Any) -> None:
    """``%load_ext physcapy`` (see :mod:`physcapy.ipython_ext`)."""
    from physcapy.ipython_ext import load_ipython_extension as load

    load(ip)


def unload_ipython_extension(ip: Any) -> None:
    from physcapy.ipython_ext import unload_ipython_extension as unload

    unload(ip)


def shell_namespace(bus_url: Any = "sim://", *, scapy: bool = True) -> dict[str, Any]:
    """What ``physcapy shell`` puts in the user's namespace (``bus`` on ``bus_url``,
    a URL or an open bus).  ``scapy=False`` leaves the Scapy frame layers out (the
    shell adds them from a background thread once the prompt is up: Scapy takes a
    tenth of a second to import)."""
    import physcapy
    from physcapy.models import model
    from physcapy.registers import register, register_class

    ns: dict[str, Any] = {
        "physcapy": physcapy,
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
    from physcapy.bus import open_bus
    from physcapy.bus.access import dump, read_register, scan, write_register
    from physcapy.sim.partner import LinkPartner

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
