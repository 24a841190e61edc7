# SPDX-License-Identifier: GPL-2.0-only
"""``physcapy pal BUS PHY``: connect, start and run the state machine; print the timeline.

Holds the command's parser too; the PAL itself is imported only when the command runs.

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
from typing import TYPE_CHECKING, Any

from physcapy.cli.common import _BUS_HELP, _float_arg, _formats, _open, _record_option
from physcapy.errors import PhyscapyError, parse_int

if TYPE_CHECKING:
    from physcapy.bus.base import Bus
    from physcapy.pal.events import Event

__all__ = ["run_pal"]

MAX_SECONDS = 1e6


def add_parsers(sub: Any) -> None:
    """Add the pal subcommand to ``sub`` (``build_parser``'s)."""
    p = sub.add_parser(
        "pal",
        help="run Linux phylib's PHY state machine against a PHY and print the timeline",
        description=(
            "Register the bus as mii_bus 0, phy_connect a network device to PHY, phy_start "
            "it and run the PHY state machine for --seconds of bus time (virtual on sim:// "
            "and ftdi-emu://), printing every state change, carrier change, adjust_link "
            "call, log line and (jsonl, or text with --mdio) MDIO transaction. Each "
            "profile is one kernel release: linux26 is Linux v2.6.32, linux6 is Linux "
            "v6.12; the timeline's first line names it."
        ),
        epilog=(
            "events (T in seconds): T:unplug T:plug T:partner=100full,100half T:stop "
            "T:start T:bus-error T:bus-ok T:ethtool=100full|autoneg T:fault=KIND[:ARGS]\n"
            "example:\n  physcapy pal sim://lan8720a@1 1 --seconds 20 "
            "--event 8:unplug --event 12:plug"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("bus", metavar="BUS", help=_BUS_HELP)
    p.add_argument("phy", metavar="PHY", help="PHY address (0-31) or device name (0:01)")
    p.add_argument(
        "--profile",
        choices=["linux26", "linux6"],
        default="linux26",
        help="which kernel's phylib: linux26 = Linux v2.6.32 (default), linux6 = Linux v6.12",
    )
    p.add_argument(
        "--variant",
        choices=["2.6.32", "2005"],
        help="linux26 only: 2005 = the first phylib import (2005) instead of v2.6.32",
    )
    p.add_argument("--seconds", default="10", help="bus time to run (default 10)")
    p.add_argument(
        "--probe-delay",
        default="0.1",
        metavar="SECONDS",
        help="time from power-on to the MDIO scan (boot or reset-deassert delay; default "
        "0.1); matters for PHYs that start powered off (sim://...?start=power-on)",
    )
    p.add_argument(
        "--interrupts",
        action="store_true",
        help="wire the PHY's interrupt output (simulated PHYs) instead of polling",
    )
    p.add_argument(
        "--interface",
        default=None,
        help="MAC interface mode: mii, gmii, rmii, rgmii-id, sgmii, 2500base-x, usxgmii... "
        "(default gmii; usxgmii for a Clause-45-only PHY, as a 10G MAC wires it)",
    )
    p.add_argument("--event", action="append", default=[], metavar="T:WHAT")
    p.add_argument(
        "--mdio",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include MDIO transactions (default: in jsonl, not in text)",
    )
    _record_option(p)
    _formats(p, "text", "jsonl")
    p.set_defaults(func=_cmd_pal)


def _cmd_pal(args: argparse.Namespace) -> int:
    seconds = _float_arg("--seconds", args.seconds, MAX_SECONDS)
    return run_pal(args, seconds, _open(args.bus, args.record))


def _probe_delay(text: str) -> float:
    """``--probe-delay``: 0 up to an hour of bus time."""
    try:
        value = float(text)
    except ValueError:
        raise PhyscapyError(f"--probe-delay {text!r} is not a number of seconds") from None
    if not 0 <= value <= 3600:  # also refuses nan
        raise PhyscapyError(f"--probe-delay {value:g} is out of range: allowed 0-3600 s")
    return value


def _device_name(text: str, bus_id: str) -> str:
    if ":" in text:
        return text
    return f"{bus_id}:{parse_int('PHY address', text, 0, 31):02x}"


def _default_interface(pal: Any, name: str) -> str:
    """The MAC interface when --interface is not given: GMII, except for a PHY the scan
    found through Clause 45 only (AQR113C, 88X3310), whose drivers refuse parallel MAC
    interfaces: USXGMII, the one SerDes mode both accept."""
    try:
        dev = pal.device(name)
    except PhyscapyError:
        return "gmii"  # phy_connect reports the missing PHY
    return "usxgmii" if dev.is_c45 else "gmii"


def run_pal(args: argparse.Namespace, seconds: float, bus: Bus) -> int:
    # The PAL is imported here, not above: physcapy --help builds the parser too.
    from physcapy.pal.device import Profile
    from physcapy.pal.kernel import Pal
    from physcapy.pal.scenario import apply_event, check_event, parse_event

    if seconds > MAX_SECONDS:
        raise PhyscapyError(f"--seconds {seconds:g} is out of range: allowed up to {MAX_SECONDS:g}")
    profile = Profile.parse(args.profile, args.variant)
    scenario = sorted((parse_event(e) for e in args.event), key=lambda e: e.t)
    mdio = args.mdio if args.mdio is not None else args.format == "jsonl"
    probe_delay = _probe_delay(getattr(args, "probe_delay", "0.1"))
    pal = Pal(
        bus,
        profile,
        interrupts=args.interrupts,
        record_mdio=mdio,
        register=False,
        probe_delay=probe_delay,
    )
    name = _device_name(args.phy, pal.mii.id)
    tail = name.rpartition(":")[2]
    addr = int(tail, 16) if all(c in "0123456789abcdefABCDEF" for c in tail) and tail else None
    for event in scenario:
        check_event(pal, event, addr if addr is not None and addr <= 31 else None)
    # The timeline is held back until the PHY is connected: a bad PHY name or interface
    # is one error line, not a timeline that stops with one.
    held: list[Event] | None = list(pal.events)  # starts with the release line

    def show(e: Event) -> None:
        if held is not None:
            held.append(e)
        else:
            print(e.to_json() if args.format == "jsonl" else str(e))

    pal.events.listeners.append(show)
    try:
        pal.register_bus()
        interface = args.interface or _default_interface(pal, name)
        dev = pal.phy_connect(pal.netdev("eth0"), name, interface=interface)
        early, held = held or [], None
        for e in early:
            show(e)
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
