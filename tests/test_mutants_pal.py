# SPDX-License-Identifier: GPL-2.0-only
"""PAL paths the scenario tests did not reach or pin (issue 23: mutants of
physcapy/pal/phy.py and physcapy/pal/genphy.py)."""

from __future__ import annotations

from physcapy.pal import Pal
from physcapy.pal import phy as pal_phy
from physcapy.pal.device import PhyDevice


def _connect(
    url: str, profile: str = "linux6", seconds: float = 3.0, **kw: object
) -> tuple[Pal, PhyDevice]:
    pal = Pal(url, profile, **kw)  # type: ignore[arg-type]
    dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    pal.run_until(seconds)
    return pal, dev


def _mdio(pal: Pal, since: int = 0) -> list[tuple[str, int, int]]:
    return [
        (e.data["op"], e.data["reg"], e.data["data"])
        for e in pal.events[since:]
        if e.kind == "mdio"
    ]


def test_phy_read_and_write_are_one_clause22_access_at_the_device_address() -> None:
    pal, dev = _connect("sim://lan8720a@1")
    n = len(pal.events)
    assert pal_phy.phy_read(dev, 2) == 0x0007
    pal_phy.phy_write(dev, 4, 0x01E1)
    assert _mdio(pal, n) == [("read", 2, 0x0007), ("write", 4, 0x01E1)]
    assert pal_phy.phy_read(dev, 4) == 0x01E1


def test_phy_read_status_runs_the_drivers_read_status() -> None:
    pal, dev = _connect("sim://lan8720a@1")
    assert (dev.link, dev.speed, dev.duplex) == (1, 100, 1)
    getattr(pal.bus, "sim", pal.bus).unplug(1)
    pal_phy.phy_read_status(dev)
    assert dev.link == 0


def test_v6_disconnect_with_an_interrupt_disables_it_and_frees_the_line() -> None:
    pal, dev = _connect("sim://lan8720a@1", interrupts=True)
    assert dev.irq > 0
    n = len(pal.events)
    pal.phy_disconnect(dev)
    assert ("write", 30, 0x0000) in _mdio(pal, n)  # LAN8720A interrupt mask cleared
    assert all(not line.handlers for line in pal.irq_lines.values())


def test_v6_mac_interrupt_runs_the_machine_at_once() -> None:
    """PHY_MAC_INTERRUPT: phylib does not poll; the link is seen when the MAC says so."""
    pal, dev = _connect("sim://lan8720a@1", irqs={1: -2}, seconds=6)
    assert (dev.irq, dev.link, dev.state.name) == (-2, 0, "NOLINK")
    t = pal.now()
    pal_phy.phy_mac_interrupt(dev)
    pal.run(0.001)
    assert [(s[0], s[2]) for s in pal.events.states() if s[0] >= t] == [(t, "RUNNING")]
    assert dev.link == 1
