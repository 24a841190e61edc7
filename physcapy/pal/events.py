# SPDX-License-Identifier: GPL-2.0-only
"""What the PAL does, as a timeline: state changes, carrier, adjust_link, log lines, MDIO.

Every observable effect is an :class:`Event`; tests assert on the list and the
``pal`` command prints it::

    >>> e = Event(3.0, "adjust_link", "0:01", {"link": 1, "speed": 100, "duplex": "full",
    ...     "pause": 0})
    >>> e.to_json()
    '{"t": 3.0, "event": "adjust_link", "phy": "0:01", "link": 1, "speed": 100, "duplex": "full", "pause": 0}'
    >>> str(e)
    '    3.000000  0:01  adjust_link  link=1 speed=100 duplex=full pause=0'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KINDS", "Event", "EventLog", "NetDevice"]

KINDS = ("state", "carrier", "adjust_link", "log", "mdio")


@dataclass(slots=True)
class Event:
    """``t`` is the time of the tick (or interrupt work) that caused a state, carrier,
    adjust_link or log event, and a frame's start for ``mdio``; ``phy`` is the device
    name (``"0:01"``), empty for bus-level events."""

    t: float
    kind: str
    phy: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"t": round(self.t, 9), "event": self.kind}
        if self.phy:
            out["phy"] = self.phy
        out.update(self.data)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    def __str__(self) -> str:
        d = self.data
        if self.kind == "state":
            text = f"{d['from']} -> {d['to']}"
        elif self.kind == "carrier":
            text = "on" if d["on"] else "off"
        elif self.kind == "log":
            text = d["text"]
        elif self.kind == "mdio":
            name = f" {d['name']}" if d.get("name") else ""
            err = f" [{', '.join(d['errors'])}]" if d.get("errors") else ""
            if d["clause"] == 22:
                where = f"phy {d['phy']} reg {d['reg']}{name}"
            else:
                addr = "" if d.get("addr") is None else f".{d['addr']:#06x}"
                where = f"prtad {d['phy']} devad {d['reg']}{addr}"
            text = f"C{d['clause']} {d['op']:<8} {where} = 0x{d['data']:04x}{err}"
        else:
            text = " ".join(f"{k}={v}" for k, v in d.items())
        return f"{self.t:12.6f}  {self.phy or '-':<4}  {self.kind:<11}  {text}"


class EventLog(list[Event]):
    """The recorded events, in order; ``listeners`` see each one as it happens."""

    def __init__(self) -> None:
        super().__init__()
        self.listeners: list[Callable[[Event], None]] = []
        #: Kinds not recorded (the benchmark leaves out ``mdio``).
        self.muted: set[str] = set()

    def emit(self, t: float, kind: str, phy: str, /, **data: Any) -> None:
        if kind in self.muted:
            return
        e = Event(t, kind, phy, data)
        self.append(e)
        for listener in self.listeners:
            listener(e)

    def of(self, *kinds: str, phy: str | None = None) -> list[Event]:
        """The events of the given kinds (all when none given), optionally of one PHY."""
        return [e for e in self if (not kinds or e.kind in kinds) and (phy is None or e.phy == phy)]

    def states(self, phy: str | None = None) -> list[tuple[float, str, str]]:
        """``[(t, from, to), ...]``: the state changes, the shape most tests compare."""
        return [(e.t, e.data["from"], e.data["to"]) for e in self.of("state", phy=phy)]

    def to_dataframe(self) -> Any:
        """One row per event (``t``, ``event``, ``phy`` and the event's data as columns;
        needs pandas: ``pip install 'physcapy[pandas]'``)."""
        from physcapy.plugins import optional

        columns = ["t", "event", "phy"]
        return (
            optional("pandas", "pandas")
            .DataFrame([e.to_dict() for e in self])
            .reindex(columns=[*columns, *{k: 0 for e in self for k in e.data}])
        )

    # A timeline shows what phylib did; the MDIO frames are there but left out of the
    # display (thousands of them), as `physcapy pal` leaves them out of its text.
    _SHOWN = ("state", "carrier", "adjust_link", "log")

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        if cycle:
            p.text("EventLog(...)")
            return
        shown = self.of(*self._SHOWN)
        hidden = len(self) - len(shown)
        p.text(f"{len(shown)} events ({hidden} MDIO transactions not shown)\n")
        p.text("\n".join(str(e) for e in shown[-400:]))

    def _repr_html_(self) -> str:
        import html

        colors = {"state": "#1f77b4", "carrier": "#2ca02c", "adjust_link": "#9467bd", "log": "#444"}
        rows = []
        for e in self.of(*self._SHOWN)[-400:]:
            text = str(e).split(None, 3)[-1] if e.kind != "log" else e.data["text"]
            rows.append(
                f"<tr><td>{e.t:.6f}</td><td>{html.escape(e.phy)}</td>"
                f"<td style='color:{colors[e.kind]}'>{e.kind}</td>"
                f"<td style='text-align:left'>{html.escape(text)}</td></tr>"
            )
        return (
            "<table class='physcapy-timeline'><tr><th>t (s)</th><th>PHY</th><th>event</th>"
            f"<th>what</th></tr>{''.join(rows)}</table>"
        )


class NetDevice:
    """A network device stand-in: the MAC side that phylib calls back.

    It records carrier on/off and every ``adjust_link`` call with what the PHY
    reported (as a MAC driver's handler would read it), so that tests can assert on
    both.  ``handler`` is the adjust_link callback phy_connect installs by default.
    """

    def __init__(self, name: str = "eth0", driver: str = "physcapy-mac"):
        self.name = name
        #: The MAC driver's name, which netdev_info puts before the device name.
        self.driver = driver
        #: A registered net_device starts with its carrier on (no NOCARRIER bit):
        #: v6.12 phy_attach_direct turns it off, v2.6.32 phylib never does.
        self.carrier = True
        self.phydev: Any = None
        #: (t, link, speed, duplex, pause) per adjust_link call.
        self.adjust_calls: list[tuple[float, int, int, int, int]] = []
        self.carrier_changes: list[tuple[float, bool]] = []

    def handler(self, netdev: NetDevice) -> None:
        """The MAC's adjust_link: take what the PHY now says (recorded by the PAL)."""

    def __repr__(self) -> str:
        return f"<NetDevice {self.name} carrier={'on' if self.carrier else 'off'}>"
