# SPDX-License-Identifier: GPL-2.0-only
"""The interactive shell (``physcapy``, ``make run``): IPython with physcapy loaded.

Built with ``IPython.start_ipython`` and physcapy's own extension
(:mod:`physcapy.shell.extension`), not Scapy's ``interact``.  A simulated bus runs in
real time here, so a cable pulled at the prompt is seen by a PAL running in the
background.  ``physcapy -c CODE`` and ``physcapy SCRIPT.py`` run code with the
same names, without IPython.  IPython is imported here only.

    >>> shell_url("sim://lan8720a@1"), shell_url("sim://?time=virtual")
    ('sim://lan8720a@1?time=real', 'sim://?time=virtual')
"""

from __future__ import annotations

import os
from typing import Any

from physcapy._version import __version__
from physcapy.shell.console import Console, shell_url

__all__ = ["banner", "run_code", "shell_url", "start_shell"]


def banner(bus: Any) -> str:
    """The version, the bus and what a scan of it found, then where to start."""
    from physcapy.bus.access import scan

    try:
        found = scan(bus)
        seen = ", ".join(
            f"{e.address}: {e.model or hex(e.phy_id)} ({'link up' if e.link else 'no link'})"
            for e in found
        )
        what = seen or "no PHY answered"
    except Exception as exc:  # the banner must not keep the shell from starting
        what = f"scan failed: {exc}"
    return (
        f"physcapy {__version__} - MDIO frames and PHY registers\n"
        f"bus = {bus.url}   scan: {what}\n"
        "  rd(1, 'BMSR')  wr(1, 'BMCR', 0x1200)  modify(1, 'BMCR', 0x0200, 0x0200)\n"
        "  dump(1)  scan()  connect('sim://lan8720a@1')  decode('capture.sr')\n"
        "  pal(1)  unplug(1)  plug(1)  replay('capture.sr')  ls()  BMSR(0x796D)\n"
        "  %mdio read 1 BMSR   %pal start 1   %pal status   %decode FILE\n"
    )


def start_shell(bus_url: str = "sim://") -> int:
    """Start IPython with the physcapy extension on ``bus_url``; returns the exit status."""
    from IPython import start_ipython
    from traitlets.config import Config

    from physcapy.bus import open_bus

    bus = open_bus(shell_url(bus_url))  # a bad URL fails here, as one line
    config = Config()
    config.TerminalInteractiveShell.banner2 = banner(bus)
    config.InteractiveShellApp.display_banner = True
    config.InteractiveShellApp.extensions = ["physcapy"]
    config.TerminalIPythonApp.display_banner = True
    if os.environ.get("NO_COLOR"):  # https://no-color.org
        config.InteractiveShell.colors = "nocolor"
    start_ipython(
        argv=[], user_ns={"bus": bus, "_physcapy_background_imports": True}, config=config
    )
    return 0


def run_code(code: str, filename: str, bus_url: str = "sim://") -> int:
    """``physcapy -c CODE`` / ``physcapy SCRIPT.py``: run with the shell's names."""
    from physcapy.shell.namespace import shell_namespace

    console = Console(bus_url)
    ns = shell_namespace(console.bus, current_bus=lambda: console.bus)
    ns.update(console.namespace(), __name__="__main__", __file__=filename)
    console.on_connect = lambda new: ns.__setitem__("bus", new)
    exec(compile(code, filename, "exec"), ns)
    return 0
