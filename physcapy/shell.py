# SPDX-License-Identifier: GPL-2.0-only
"""The interactive shell: IPython with physcapy's names imported.

This is the face of ``make run`` and of ``physcapy`` with no arguments; the bus,
magics and completion arrive with the shell issue.  IPython is imported here
only, so the rest of physcapy starts fast.
"""

from __future__ import annotations

from physcapy._version import __version__

__all__ = ["banner", "start_shell"]


def banner(bus_url: str = "sim://") -> str:
    from physcapy.models import all_models

    phys = [m.name for m in all_models() if m.kind == "phy"]
    return (
        f"physcapy {__version__} - MDIO frames and PHY registers; bus = {bus_url}\n"
        "  bus.read(1, 'BMSR')            read a register; scan(bus), dump(bus, 1)\n"
        "  read_register(bus, 1, 'BMSR')  read and decode\n"
        "  BMSR(0x796D)                   decode a register (BMCR, BMSR, ... are loaded)\n"
        "  register('0x1f', 0x1058, model='lan8720a')\n"
        "  MDIO(op='read', phyad=1, regad='BMSR')   a Scapy frame layer\n"
        "  Frame.from_bits('...')         parse a captured frame\n"
        f"  models: {', '.join(phys)}\n"
    )


def start_shell(bus_url: str = "sim://") -> int:
    """Start IPython with the physcapy namespace; returns the exit status."""
    from IPython import start_ipython
    from traitlets.config import Config

    from physcapy import shell_namespace

    config = Config()
    namespace = shell_namespace(bus_url)  # opens the bus first: a bad URL fails here
    config.TerminalInteractiveShell.banner2 = banner(bus_url)
    config.InteractiveShellApp.display_banner = True
    start_ipython(argv=[], user_ns=namespace, config=config)
    return 0
