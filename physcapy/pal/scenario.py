# SPDX-License-Identifier: GPL-2.0-only
"""Scenarios: what happens to a PHY over time, as the ``pal`` command takes them.

A scenario event is ``T:WHAT`` with T in seconds of bus time:

=====================  ==============================================================
``unplug`` / ``plug``  pull the cable / plug it back into the partner it had
``partner=MODES``      plug into a partner with these abilities (``100full,100half``,
                       ``forced-100full``, ``none``), as ``sim://?partner=``
``stop`` / ``start``   ``phy_stop`` / ``phy_start``
``bus-error``          every MDIO access fails with EIO from now (a dead adapter)
``bus-ok``             MDIO works again
``ethtool=MODE``       ``ethtool -s``: ``autoneg``, a forced ``100full``..., or (v6) a
                       MASTER-SLAVE setting such as ``forced-master``
``fault=KIND[:ARGS]``  a simulated PHY fault, as ``sim://?fault=ADDR:KIND:ARGS``
=====================  ==============================================================

    >>> parse_event("8:unplug")
    ScenarioEvent(t=8.0, what='unplug', arg='')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from physcapy.errors import PhyscapyError, RangeError

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice
    from physcapy.pal.kernel import Pal

__all__ = ["EVENT_KINDS", "ScenarioEvent", "apply_event", "parse_event"]

EVENT_KINDS = (
    "unplug",
    "plug",
    "partner",
    "stop",
    "start",
    "bus-error",
    "bus-ok",
    "ethtool",
    "fault",
)
_WITH_ARG = ("partner", "ethtool", "fault")
_MODE = re.compile(r"^(10|100|1000)(full|half)$")
#: ``ethtool -s DEV master-slave ...`` settings (v6, 1000BASE-T).
_MS = ("preferred-master", "preferred-slave", "forced-master", "forced-slave")


@dataclass(frozen=True)
class ScenarioEvent:
    t: float
    what: str
    arg: str = ""


def parse_event(text: str) -> ScenarioEvent:
    """``"8:unplug"``, ``"12:partner=100full,100half"``; bad text names what is allowed."""
    when, sep, rest = text.partition(":")
    allowed = ", ".join(f"{k}=..." if k in _WITH_ARG else k for k in EVENT_KINDS)
    if not sep:
        raise PhyscapyError(f"event {text!r} must be T:WHAT, WHAT one of {allowed}")
    try:
        t = float(when)
    except ValueError:
        raise RangeError(f"event time {when!r} in {text!r} is not a number of seconds") from None
    if not 0 <= t < 1e7:  # also refuses nan and inf
        raise RangeError(f"event time {when!r} in {text!r} is out of range: allowed 0-1e7 s")
    what, eq, arg = rest.partition("=")
    what = what.strip().lower()
    if what not in EVENT_KINDS:
        raise PhyscapyError(f"event {rest!r} in {text!r} is unknown: allowed {allowed}")
    if what in _WITH_ARG and not arg:
        raise PhyscapyError(f"event {what} needs a value: write T:{what}=VALUE")
    if what not in _WITH_ARG and eq:
        raise PhyscapyError(f"event {what} takes no value: write T:{what}")
    if what == "ethtool" and arg != "autoneg" and not _MODE.match(arg) and arg not in _MS:
        raise PhyscapyError(
            f"ethtool mode {arg!r} is unknown: allowed autoneg, 10half ... 1000full, "
            f"{', '.join(_MS)}"
        )
    if what == "partner":
        from physcapy.sim.partner import LinkPartner

        LinkPartner.parse(arg)  # refuse a bad partner now, not at time T
    return ScenarioEvent(t, what, arg)


def _sim(pal: Pal) -> Any:
    bus = pal.bus
    sim = getattr(bus, "sim", bus)
    if not hasattr(sim, "unplug"):
        raise PhyscapyError(
            f"cable and fault events need simulated PHYs (sim:// or ftdi-emu://), not {bus.url}"
        )
    return sim


def check_event(pal: Pal, event: ScenarioEvent, addr: int | None = None) -> None:
    """Refuse an event the bus cannot carry out, before anything runs (a fault on the
    PHY at ``addr`` is checked in full)."""
    if event.what in ("unplug", "plug", "partner", "fault"):
        sim = _sim(pal)
        if event.what == "fault" and addr is not None:
            sim._apply_fault(f"{addr}:{event.arg}", dry=True)


def apply_event(pal: Pal, dev: PhyDevice, event: ScenarioEvent) -> None:
    """Carry out ``event`` now on ``dev`` (and its bus)."""
    from physcapy.pal import phy
    from physcapy.pal.ethtool import phy_ethtool_gset, phy_ethtool_sset

    what = event.what
    pal.log(None, f"scenario: {what}{'=' + event.arg if event.arg else ''}")
    if what in ("unplug", "plug", "partner"):
        sim_phy = _sim(pal).phy(dev.addr)
        remembered = dev.priv.setdefault("scenario_partner", sim_phy.partner)
        if what == "unplug":
            sim_phy.unplug()
        elif what == "plug":
            sim_phy.plug(remembered)
        else:
            from physcapy.sim.partner import LinkPartner

            partner = LinkPartner.parse(event.arg)
            if partner is None:
                sim_phy.unplug()
            else:
                sim_phy.plug(partner)
    elif what == "fault":
        _sim(pal)._apply_fault(f"{dev.addr}:{event.arg}")
    elif what == "stop":
        phy.phy_stop(dev)
    elif what == "start":
        phy.phy_start(dev)
    elif what == "bus-error":
        dev.bus.error = 5
    elif what == "bus-ok":
        dev.bus.error = None
    elif what == "ethtool":
        cmd = phy_ethtool_gset(dev)
        if event.arg == "autoneg":
            cmd.autoneg = 1
            cmd.advertising = dev.supported
        elif event.arg in _MS:  # ethtool -s eth0 master-slave forced-master
            cmd.master_slave_cfg = event.arg
        else:
            m = _MODE.match(event.arg)
            assert m is not None
            cmd.autoneg, cmd.speed, cmd.duplex = 0, int(m.group(1)), int(m.group(2) == "full")
        phy_ethtool_sset(dev, cmd)
