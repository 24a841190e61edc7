# SPDX-License-Identifier: GPL-2.0-only
"""The interactive shell: IPython with physcapy's names imported.

This is the face of ``make run`` and of ``physcapy`` with no arguments; the bus,
magics and completion arrive with the shell issue.  IPython is imported here
only, so the rest of physcapy starts fast.
"""

from __future__ import annotations

from physcapy._version import __version__

__all__ = ["banner", "start_shell"]


def banner() -> str:
    from physcapy.models import all_models

    phys = [m.name for m in all_models() if m.kind == "phy"]
    return (
        f"physcapy {__version__} - MDIO frames and PHY registers\n"
        "  BMSR(0x796D)                   decode a register (BMCR, BMSR, ... are loaded)\n"
        "  register('0x1f', 0x1058, model='lan8720a')\n"
        "  MDIO(op='read', phyad=1, regad='BMSR')   a Scapy frame layer\n"
        "  Frame.from_bits('...')         parse a captured frame\n"
        f"  models: {', '.join(phys)}\n"
    )


def start_shell() -> int:
    """Start IPython with the physcapy namespace; returns the exit status."""
    from IPython import start_ipython
    from traitlets.config import Config

    from physcapy import shell_namespace

    config = Config()
    config.TerminalInteractiveShell.banner2 = banner()
    config.InteractiveShellApp.display_banner = True
    start_ipython(argv=[], user_ns=shell_namespace(), config=config)
    return 0
