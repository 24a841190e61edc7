# SPDX-License-Identifier: GPL-2.0-only
"""PAL paths the scenario tests did not reach or pin (issue 23: mutants of
physcapy/pal/phy.py and physcapy/pal/genphy.py).

The timelines part runs `physcapy pal` over parts of every kind, both kernels (and the
2005 variant), polled and interrupt driven, through cable, partner, ethtool, stop/start,
bus-error and fault events, and compares every line (states, carrier, adjust_link, logs,
MDIO) with tests/data/pal_golden.json.  After a deliberate change, review the difference
and rewrite the file with ``python -m tests.test_mutants_pal``.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from physcapy.cli.main import main
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


# -- whole timelines, pinned line by line ------------------------------------------------

GOLDEN = Path(__file__).parent / "data" / "pal_golden.json"
EVENTS = [
    "6:unplug", "9:plug", "12:ethtool=100full", "15:ethtool=autoneg", "17:partner=10half",
    "19:stop", "20:start", "22:bus-error", "23:bus-ok", "24:partner=1000full,100full,pause",
    "27:ethtool=10half", "29:fault=no-turnaround", "31:fault=stuck:1:0x4:0", "33:ethtool=autoneg",
]  # fmt: skip
#: (bus URL, extra options): every profile over parts of every kind, polled and interrupt
#: driven, with cable, partner, ethtool, stop/start and bus error events.
SCENARIOS = {
    f"{url} {' '.join(opts)}".strip(): (url, opts)
    for url, opts in [
        (url, [*profile, *irq])
        for url in ["sim://lan8720a@1", "sim://generic@1", "sim://rtl8211f@1", "sim://ksz9031@1",
                    "sim://88e1111@1", "sim://dp83848@1"]
        for profile in (["--profile", "linux26"], ["--variant", "2005"], ["--profile", "linux6"])
        for irq in ([], ["--interrupts"])
        if not (irq and url == "sim://dp83848@1")
    ]
    + [
        ("sim://generic-c45@1", ["--profile", "linux6"]),
        ("sim://generic-c45@1?partner=10000full,pause", ["--profile", "linux6"]),
        ("sim://lan8720a@1?start=power-on", ["--profile", "linux6", "--probe-delay", "0.5"]),
        ("sim://lan8720a@1?start=power-on", ["--profile", "linux26", "--probe-delay", "0.01"]),
    ]
}  # fmt: skip


def timeline(url: str, opts: list[str]) -> list[str]:
    """`physcapy pal` with MDIO (less the scan of the empty addresses), then stderr."""
    events = [w for e in EVENTS for w in ("--event", e)]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["pal", url, "1", "--seconds", "36", "--mdio", *opts, *events])
    lines = [
        line for line in out.getvalue().splitlines() if not line.endswith("= 0xffff [turnaround]")
    ]
    return [f"exit {status}", *lines, *err.getvalue().splitlines()]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_pal_timelines_match_the_pinned_golden_file(name: str) -> None:
    expected = json.loads(GOLDEN.read_text())[name]
    got = timeline(*SCENARIOS[name])
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        assert g == e, f"line {i + 1}"
    assert len(got) == len(expected)


if __name__ == "__main__":
    golden = {n: timeline(*SCENARIOS[n]) for n in sorted(SCENARIOS)}
    GOLDEN.write_text(json.dumps(golden, indent=0) + "\n")
