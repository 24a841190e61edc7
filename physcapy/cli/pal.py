# SPDX-License-Identifier: GPL-2.0-only
"""``physcapy pal BUS PHY``: connect, start and run the state machine; print the timeline.

>>> import argparse, io, contextlib
>>> from physcapy.bus import open_bus
>>> args = argparse.Namespace(profile="linux26", variant=None, interrupts=False,
...     interface="gmii", event=[], mdio=None, format="text", phy="1")
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = run_pal(args, 3.0, open_bus("sim://lan8720a@1"))
>>> status, "PHY: 0:01 - Link is Up - 100/Full" in out.getvalue()
(0, True)
"""

from __future__ import annotations

import argparse
import sys

from physcapy.bus.base import Bus
from physcapy.errors import PhyscapyError, parse_int
from physcapy.pal.device import Profile
from physcapy.pal.events import Event
from physcapy.pal.kernel import Pal
from physcapy.pal.mdiobus import mdiobus_register
from physcapy.pal.scenario import apply_event, check_event, parse_event

__all__ = ["run_pal"]

MAX_SECONDS = 1e6


def _device_name(text: str, bus_id: str) -> str:
    if ":" in text:
        return text
    return f"{bus_id}:{parse_int('PHY address', text, 0, 31):02x}"


def run_pal(args: argparse.Namespace, seconds: float, bus: Bus) -> int:
    if seconds > MAX_SECONDS:
        raise PhyscapyError(f"--seconds {seconds:g} is out of range: allowed up to {MAX_SECONDS:g}")
    profile = Profile.parse(args.profile, args.variant)
    scenario = sorted((parse_event(e) for e in args.event), key=lambda e: e.t)
    mdio = args.mdio if args.mdio is not None else args.format == "jsonl"
    pal = Pal(bus, profile, interrupts=args.interrupts, record_mdio=mdio, register=False)
    for event in scenario:
        check_event(pal, event)
    name = _device_name(args.phy, pal.mii.id)

    def show(e: Event) -> None:
        print(e.to_json() if args.format == "jsonl" else str(e))

    pal.events.listeners.append(show)
    try:
        mdiobus_register(pal.mii)
        dev = pal.phy_connect(pal.netdev("eth0"), name, interface=args.interface)
        for event in scenario:
            pal.at(event.t, lambda event=event: apply_event(pal, dev, event))  # type: ignore[misc]
        pal.phy_start(dev)
        # Long simulations show how far they are on a terminal (quiet when piped).
        ticking = sys.stderr.isatty() and seconds > 600
        step = 60.0 if ticking else seconds
        t = 0.0
        while t < seconds:
            t = min(seconds, t + step)
            pal.run_until(t)
            if ticking:
                sys.stderr.write(f"\rsimulated {t:g} of {seconds:g} s")
                sys.stderr.flush()
        if ticking:
            sys.stderr.write("\r" + " " * 40 + "\r")
    finally:
        sys.stdout.flush()
        pal.close()
    return 0
