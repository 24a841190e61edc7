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
from dataclasses import replace
from pathlib import Path

import pytest

from physcapy.cli.main import main
from physcapy.errors import PalError
from physcapy.pal import Pal, genphy
from physcapy.pal import phy as pal_phy
from physcapy.pal.constants import SUPPORTED
from physcapy.pal.device import PhyDevice
from physcapy.pal.mdiobus import EIO


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


# -- interrupt corners through the API: unwired lines, failing config_intr, not ours -----


def _flaky(dev: PhyDevice, failing: set[int], calls: list[int]) -> None:
    """The driver's config_intr, failing on the listed calls (1 = the first)."""
    real = dev.drv.config_intr if dev.drv is not None else None
    assert real is not None

    def config_intr(d: PhyDevice) -> None:
        calls.append(d.interrupts)
        if len(calls) in failing:
            raise PalError(EIO, f"config_intr call {len(calls)} failed")
        real(d)

    dev.drv = replace(dev.drv, config_intr=config_intr)  # type: ignore[arg-type]


#: name -> (profile, variant, config_intr calls that fail, IRQ number forced, did_interrupt)
IRQ_CASES: dict[str, tuple[str, str | None, set[int], int | None, bool | None]] = {
    "linux26 unwired irq": ("linux26", None, set(), 12, None),
    "linux6 unwired irq": ("linux6", None, set(), 12, None),
    "linux26 enable fails": ("linux26", None, {1}, None, None),
    "linux26 phy_change disable fails": ("linux26", None, {3}, None, None),
    "linux26 phy_change re-enable fails": ("linux26", None, {4}, None, None),
    "linux26 stop disable fails": ("linux26", None, set(range(5, 99)), None, None),
    "2005 phy_change disable fails": ("linux26", "2005", {3}, None, None),
    "2005 phy_change re-enable fails": ("linux26", "2005", {4}, None, None),
    "2005 stop fails": ("linux26", "2005", set(range(5, 99)), None, None),
    "linux6 init fails": ("linux6", None, {1}, None, None),
    "linux6 enable fails": ("linux6", None, {2}, None, None),
    "linux6 free disable fails": ("linux6", None, set(range(3, 99)), None, None),
    "2005 not our interrupt": ("linux26", "2005", set(), None, False),
    "linux26 not our interrupt": ("linux26", None, set(), None, False),
}


def irq_timeline(name: str) -> list[str]:
    profile, variant, failing, irq, ours = IRQ_CASES[name]
    pal = Pal(
        "sim://lan8720a@1", profile, interrupts=True, **({"variant": variant} if variant else {})
    )  # type: ignore[arg-type]
    dev = pal.device("0:01")
    calls: list[int] = []
    _flaky(dev, failing, calls)
    if irq is not None:
        dev.irq = irq
    if ours is not None:
        dev.drv = replace(dev.drv, did_interrupt=lambda d: ours)  # type: ignore[arg-type]
    lines = []
    try:
        pal.phy_connect(pal.netdev("eth0"), "0:01")
        pal.phy_start(dev)
        pal.run_until(3.5)
        getattr(pal.bus, "sim", pal.bus).unplug(1)
        pal.run_until(6.5)
        getattr(pal.bus, "sim", pal.bus).plug(1)
        pal.run_until(9.5)
        pal.phy_disconnect(dev)
        pal.run_until(11)
    except PalError as exc:
        lines.append(f"raised {exc}")
    lines += [
        f"{e.t:.6f} {e.phy or '-'} {e.kind} {sorted(e.data.items())}"
        for e in pal.events
        if e.kind != "mdio"
    ]
    lines.append(
        f"irq {dev.irq} irq_disable {dev.irq_disable} interrupts {dev.interrupts:#x} calls {calls}"
    )
    lines.append(
        f"lines {[(n, line.depth, len(line.handlers)) for n, line in sorted(pal.irq_lines.items())]}"
    )
    return lines


@pytest.mark.parametrize("name", sorted(IRQ_CASES))
def test_interrupt_corners_match_the_pinned_golden_file(name: str) -> None:
    expected = json.loads(GOLDEN.read_text())["irq: " + name]
    got = irq_timeline(name)
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        assert g == e, f"line {i + 1}"
    assert len(got) == len(expected)


def test_v2632_not_our_interrupt_is_ignored_and_asked_again_until_it_is_ours() -> None:
    """2.6.32 phy_change: did_interrupt "not ours" goes to ``ignore`` (irq_disable back,
    line unmasked, no disable/ack/CHANGELINK).  The PHY's line stays asserted, so the
    interrupt comes again (IRQ_HANDLED: never "nobody cared") until did_interrupt says
    ours; then the queued phy_change disables, acks and sends the machine to CHANGELINK."""
    pal = Pal("sim://lan8720a@1", "linux26", interrupts=True)
    dev = pal.device("0:01")
    asked: list[float] = []
    ours = [False]

    def did_interrupt(d: PhyDevice) -> bool:
        asked.append(pal.now())
        return ours[0]

    assert dev.drv is not None
    dev.drv = replace(dev.drv, did_interrupt=did_interrupt)
    pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    pal.run_until(3.5)  # the link came up by the NOLINK poll (2.6.32 polls NOLINK)
    sim = getattr(pal.bus, "sim", pal.bus)
    sim.unplug(1)
    n = len(pal.events)
    pal.run_until(6.5)
    # Ignored: the unplug is never seen, nothing is written to the PHY (no disable or
    # ack: LAN8720A r30 untouched), the line is masked only while a phy_change waits.
    assert (dev.state.name, dev.link, pal.netdevs["eth0"].carrier) == ("RUNNING", 1, True)
    assert [m for m in _mdio(pal, n) if m[0] == "write"] == []
    assert asked and len(asked) < 50  # asked again as time goes on, not forever at once
    assert (dev.irq_disable, pal.irq_lines[dev.irq].depth) == (1, 1)
    ours[0] = True
    n = len(pal.events)
    pal.run_until(8.5)
    writes = [m for m in _mdio(pal, n) if m[0] == "write"]
    assert writes[:2] == [("write", 30, 0x0000), ("write", 30, 0x0050)]  # disable, enable
    states = [(a, b) for _, a, b in pal.events.states()]
    assert ("RUNNING", "CHANGELINK") in states and states[-1] == ("CHANGELINK", "NOLINK")
    assert (dev.link, pal.netdevs["eth0"].carrier) == (0, False)
    pal.phy_disconnect(dev)
    assert (dev.irq_disable, pal.irq_lines[dev.irq].depth) == (0, 0)


def test_v2632_disconnect_cancels_a_phy_change_still_queued() -> None:
    """phy_stop_interrupts: free the line, cancel the queued phy_change (it never runs:
    no did_interrupt call, no MDIO after) and undo the masking its interrupt left."""
    pal = Pal("sim://lan8720a@1", "linux26", interrupts=True)
    dev = pal.device("0:01")
    asked: list[float] = []
    assert dev.drv is not None
    dev.drv = replace(dev.drv, did_interrupt=lambda d: asked.append(pal.now()) is not None)
    pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    pal.run_until(3.5)
    assert dev.irq_disable == 1 and asked  # a "not ours" phy_change waits
    pal.phy_disconnect(dev)
    assert (dev.irq_disable, pal.irq_lines[dev.irq].depth) == (0, 0)
    n, calls = len(pal.events), len(asked)
    pal.run(3)
    assert len(asked) == calls
    assert _mdio(pal, n) == []


# -- calls in the wrong state and out of order -----------------------------------------------

#: name -> (URL, profile or variant, [(time, call)]): phy_start/phy_stop twice, before
#: attach-time states settle, after an error; phy_disconnect from HALTED.
ORDER_CASES: dict[str, tuple[str, str, list[tuple[float, str]]]] = {
    f"{url} {prof} {tag}": (url, prof, calls)
    for url in ["sim://lan8720a@1", "sim://generic@1?partner=forced-100full"]
    for prof in ["linux26", "2005", "linux6"]
    for tag, calls in {
        "twice": [(0.5, "start"), (1.5, "start"), (4.0, "stop"), (4.5, "stop"), (6.0, "start")],
        "error": [
            (3.0, "bus-error"),
            (5.0, "start"),
            (6.0, "bus-ok"),
            (7.0, "stop"),
            (7.5, "start"),
        ],
        "halted disconnect": [(3.0, "stop"), (4.0, "disconnect")],
        "aneg while down": [(0.2, "aneg"), (3.0, "unplug"), (5.0, "aneg"), (9.0, "plug")],
    }.items()
}


def order_timeline(name: str) -> list[str]:
    url, prof, calls = ORDER_CASES[name]
    profile, variant = ("linux26", "2005") if prof == "2005" else (prof, None)
    pal = Pal(url, profile, **({"variant": variant} if variant else {}))  # type: ignore[arg-type]
    dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    sim = getattr(pal.bus, "sim", pal.bus)
    actions = {
        "start": lambda: pal.phy_start(dev),
        "stop": lambda: pal.phy_stop(dev),
        "disconnect": lambda: pal.phy_disconnect(dev),
        "aneg": lambda: pal.phy_start_aneg(dev),
        "unplug": lambda: sim.unplug(1),
        "plug": lambda: sim.plug(1),
        "bus-error": lambda: setattr(dev.bus, "error", 5),
        "bus-ok": lambda: setattr(dev.bus, "error", None),
    }
    for t, what in calls:
        pal.at(t, actions[what])
    pal.run_until(12)
    out = [f"{e.t:.6f} {e.kind} {sorted(e.data.items())}" for e in pal.events if e.kind != "mdio"]
    writes = [
        (e.data["reg"], e.data["data"])
        for e in pal.events
        if e.kind == "mdio" and e.data["op"] == "write"
    ]
    return [
        *out,
        f"writes {writes}",
        f"end {dev.state.name} link {dev.link} {dev.speed}/{dev.duplex}",
    ]


@pytest.mark.parametrize("name", sorted(ORDER_CASES))
def test_calls_out_of_order_match_the_pinned_golden_file(name: str) -> None:
    expected = json.loads(GOLDEN.read_text())["order: " + name]
    got = order_timeline(name)
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        assert g == e, f"line {i + 1}"
    assert len(got) == len(expected)


if __name__ == "__main__":
    golden = {n: timeline(*SCENARIOS[n]) for n in sorted(SCENARIOS)}
    golden |= {"irq: " + n: irq_timeline(n) for n in sorted(IRQ_CASES)}
    golden |= {"order: " + n: order_timeline(n) for n in sorted(ORDER_CASES)}
    GOLDEN.write_text(json.dumps(golden, indent=0) + "\n")


# -- genphy's Clause 45 helpers (IEEE 802.3 45.2.1.4, 45.2.7) over a register file ----------


class _C45Regs:
    """What genphy's Clause 45 helpers use of a PHY device: MMD registers (a dict) with
    every access recorded, the MMDs present and the ethtool-side fields."""

    def __init__(self, regs: dict[tuple[int, int], int], mmds: int, **fields: int) -> None:
        self.regs = dict(regs)
        self.mmds_present = mmds
        self.ops: list[tuple[int, ...]] = []
        self.autoneg, self.supported, self.advertising = 1, 0, 0
        self.link = self.speed = self.duplex = self.pause = self.asym_pause = 0
        self.autoneg_complete = self.lp_advertising = 0
        for name, value in fields.items():
            setattr(self, name, value)

    def read_mmd(self, devad: int, reg: int) -> int:
        self.ops.append((devad, reg))
        return self.regs.get((devad, reg), 0)

    def write_mmd(self, devad: int, reg: int, value: int) -> None:
        self.ops.append((devad, reg, value))
        self.regs[(devad, reg)] = value


PMA, PCS, AN = 1, 3, 7
ALL_MMDS = (1 << PMA) | (1 << PCS) | (1 << AN)
S = SUPPORTED


@pytest.mark.parametrize(
    ("speed", "mmds", "expected"),
    [
        (0x0001, (1 << PMA) | (1 << PCS), S["10000baseT_Full"]),
        (0x0030, ALL_MMDS, S["1000baseT_Full"] | S["100baseT_Full"] | S["100baseT_Half"]
         | S["Autoneg"]),
        (0x0000, 1 << PMA, 0),
    ],
)  # fmt: skip
def test_c45_abilities_are_the_pma_speed_bits_and_an_presence(
    speed: int, mmds: int, expected: int
) -> None:
    """45.2.1.4: 1.4 bit 0 is 10G, bit 4 1000 Mb/s, bit 5 100 Mb/s; Autoneg only with an
    AN MMD (45.2.7); every PHY is twisted pair on an MII ("basic ports")."""
    dev = _C45Regs({(PMA, 4): speed}, mmds)
    got = genphy.genphy_c45_read_abilities(dev)  # type: ignore[arg-type]
    assert got == S["TP"] | S["MII"] | expected
    assert dev.ops == [(PMA, 4)]


def test_c45_config_aneg_programs_7_16_and_7_32_then_restarts() -> None:
    """The advertisement (7.16 base page bits, 7.32 bit 12 10GBASE-T) is written when it
    differs, and AN is enabled and restarted (7.0 bits 12 and 9); result 1: changed."""
    adv = S["100baseT_Full"] | S["10000baseT_Full"]
    dev = _C45Regs({(AN, 16): 0x0001, (AN, 0): 0x1000}, ALL_MMDS, supported=adv, advertising=adv)
    assert genphy.genphy_c45_config_aneg(dev) == 1  # type: ignore[arg-type]
    writes = [op for op in dev.ops if len(op) == 3]
    assert writes == [(AN, 16, 0x0101), (AN, 32, 0x1000), (AN, 0, 0x1200)]


def test_c45_config_aneg_withdraws_10g_and_leaves_a_running_an_alone() -> None:
    """A 10GBASE-T bit set in 7.32 but not advertised is cleared (and AN restarted); an
    advertisement already in place with AN enabled writes nothing and returns 0."""
    adv = S["100baseT_Full"]
    regs = {(AN, 16): 0x0101, (AN, 32): 0x1000 | 0x0001, (AN, 0): 0x1000}
    dev = _C45Regs(regs, ALL_MMDS, supported=adv | S["10000baseT_Full"], advertising=adv)
    assert genphy.genphy_c45_config_aneg(dev) == 1  # type: ignore[arg-type]
    assert [op for op in dev.ops if len(op) == 3] == [(AN, 32, 0x0001), (AN, 0, 0x1200)]
    again = _C45Regs(dev.regs | {(AN, 0): 0x1000}, ALL_MMDS, supported=adv, advertising=adv)
    result = genphy.genphy_c45_config_aneg(again)  # type: ignore[arg-type]
    assert result == 0 and result is not None
    assert [op for op in again.ops if len(op) == 3] == []


def test_c45_config_aneg_enables_an_that_is_off_and_does_nothing_when_forced() -> None:
    """AN off in 7.0 is turned on and restarted even with the advertisement unchanged;
    with autoneg disabled nothing is read or written (forced PMA setup not modelled)."""
    adv = S["100baseT_Full"]
    dev = _C45Regs({(AN, 16): 0x0101}, ALL_MMDS, supported=adv, advertising=adv)
    assert genphy.genphy_c45_config_aneg(dev) == 0  # type: ignore[arg-type]
    assert [op for op in dev.ops if len(op) == 3] == [(AN, 0, 0x1200)]
    forced = _C45Regs({}, ALL_MMDS, supported=adv, advertising=adv, autoneg=0)
    assert genphy.genphy_c45_config_aneg(forced) == 0  # type: ignore[arg-type]
    assert forced.ops == []


def test_c45_link_needs_every_present_mmd_and_skips_absent_ones() -> None:
    """Link is up only when STAT1 bit 2 of every present MMD says so (each read twice:
    latched low, 45.2.1.2); an absent MMD (PCS here) is not read at all."""
    mmds = (1 << PMA) | (1 << AN)
    up = {(PMA, 1): 0x0004, (AN, 1): 0x0004}
    dev = _C45Regs(up, mmds)
    genphy.genphy_c45_read_status(dev)  # type: ignore[arg-type]
    assert dev.link == 1
    assert dev.ops == [(PMA, 1), (PMA, 1), (AN, 1), (AN, 1), (AN, 1)]
    down = _C45Regs(up | {(AN, 1): 0x0020}, mmds)  # AN complete, its link bit low
    genphy.genphy_c45_read_status(down)  # type: ignore[arg-type]
    assert down.link == 0


def test_c45_status_without_an_complete_clears_the_partner() -> None:
    """AN incomplete (7.1 bit 5 clear): no partner pages, speed and duplex unknown."""
    dev = _C45Regs({(AN, 1): 0x0008}, ALL_MMDS, lp_advertising=S["100baseT_Full"], speed=100)
    genphy.genphy_c45_read_status(dev)  # type: ignore[arg-type]
    assert (dev.lp_advertising, dev.speed, dev.autoneg_complete) == (0, -1, 0)
    assert dev.lp_advertising is not None


@pytest.mark.parametrize(
    ("lpa", "lp_pause", "pause"),
    [(0x0800, S["Asym_Pause"], (0, 1)), (0x0400, S["Pause"], (1, 0))],
)
def test_c45_status_resolves_the_partner_pages(
    lpa: int, lp_pause: int, pause: tuple[int, int]
) -> None:
    """The partner's 7.19 base page and 7.33 bit 11 (10GBASE-T) become lp_advertising;
    the highest common mode wins; pause and asym pause are the partner's bits."""
    regs = {(AN, 1): 0x0024, (AN, 19): 0x0181 | lpa, (AN, 33): 0x0800}
    adv = S["100baseT_Full"] | S["10000baseT_Full"]
    dev = _C45Regs(regs | {(PMA, 1): 4, (PCS, 1): 4}, ALL_MMDS, advertising=adv)
    genphy.genphy_c45_read_status(dev)  # type: ignore[arg-type]
    expected = S["100baseT_Full"] | S["100baseT_Half"] | S["10000baseT_Full"] | lp_pause
    assert dev.lp_advertising == expected
    assert (dev.link, dev.speed, dev.duplex) == (1, 10000, 1)
    assert (dev.pause, dev.asym_pause) == pause


@pytest.mark.parametrize(
    "setting", ["preferred-master", "preferred-slave", "forced-master", "forced-slave"]
)
def test_v6_master_slave_configuration_reads_back_from_ctrl1000(setting: str) -> None:
    """40.5.1.1: CTRL1000 bit 12 manual configuration, bit 11 manual MASTER, bit 10
    multiport (preferred master); v6 config_aneg writes them and read_status reports
    the configuration the register holds."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    dev.master_slave_set = setting
    genphy.genphy_config_aneg(dev)
    genphy.genphy_read_status(dev)
    assert dev.master_slave_get == setting


def test_v6_failing_handle_interrupt_is_a_phy_error_and_its_storm_is_stopped() -> None:
    """v6.12 phy_interrupt: a handle_interrupt error is phy_error (WARN with the error,
    ERROR state) and IRQ_NONE; the PHY's line stays asserted, and after SPURIOUS_LIMIT
    unhandled interrupts the IRQ core disables it ("nobody cared"), once."""
    pal = Pal("sim://lan8720a@1", "linux6", interrupts=True)
    dev = pal.device("0:01")

    def handle_interrupt(d: PhyDevice) -> bool:
        raise PalError(EIO, "r29 read failed")

    assert dev.drv is not None
    dev.drv = replace(dev.drv, handle_interrupt=handle_interrupt)
    pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    errors = [e for e in pal.events.of("log") if "phy_error" in e.data["text"]]
    assert len(errors) == pal.SPURIOUS_LIMIT
    assert {(e.phy, e.data["text"]) for e in errors} == {
        ("0:01", "0:01: phy_error: EIO: r29 read failed")
    }
    assert "ERROR" in [to for _, _, to in pal.events.states()]
    logs = [e.data["text"] for e in pal.events.of("log")]
    assert logs.count(f"irq {dev.irq}: nobody cared, disabling it") == 1
    assert pal.irq_lines[dev.irq].depth == 1


def test_v6_handled_interrupts_do_not_add_up_to_nobody_cared() -> None:
    """Only unhandled interrupts in a row count: one handled in between starts again."""
    pal = Pal("sim://lan8720a@1", "linux6", interrupts=True)
    for _ in range(3):
        for _ in range(pal.SPURIOUS_LIMIT - 1):
            pal.note_interrupt(40, False)
        pal.note_interrupt(40, True)
    assert pal.irq_lines[40].depth == 0
    pal.note_interrupt(40, False)
    assert pal.irq_lines[40].depth == 0


# -- genphy: abilities, forced 1000, the partner's pages -------------------------------------

#: BMSR without 10BASE-T half and without AN ability; ESTATUS 1000BASE-X full and
#: 1000BASE-T full only (22.2.4.2, 22.2.4.4).
ODD_ABILITIES = "sim://generic@1?fault=1:stuck:1:0x0808:0&fault=1:stuck:15:0xF000:0xA000"


def test_abilities_follow_bmsr_and_estatus_bit_by_bit() -> None:
    """2.6 config_init: the five ports plus what BMSR/ESTATUS say (only the 1000BASE-T
    bits of ESTATUS, no Autoneg without BMSR bit 3); v6 read_abilities: TP and MII, and
    1000BASE-X full too."""
    modes = S["10baseT_Full"] | S["100baseT_Half"] | S["100baseT_Full"] | S["1000baseT_Full"]
    pal = Pal(ODD_ABILITIES, "linux26")
    dev = pal.device("0:01")
    genphy.genphy_config_init(dev)
    ports = S["TP"] | S["MII"] | S["AUI"] | S["FIBRE"] | S["BNC"]
    assert dev.supported == dev.advertising == ports | modes
    pal6 = Pal(ODD_ABILITIES, "linux6")
    dev6 = pal6.device("0:01")
    got = genphy.genphy_read_abilities(dev6)
    assert got == dev6.supported == S["TP"] | S["MII"] | modes | S["1000baseX_Full"]


@pytest.mark.parametrize(
    ("url", "duplex", "writes"),
    [
        # r4: 10/100 withdrawn; r9: only the forced mode; BMCR: AN on and restarted.
        ("sim://generic@1", 1, [(4, 0x0001), (9, 0x0200), (0, 0x1340)]),
        ("sim://generic@1", 0, [(4, 0x0001), (9, 0x0100), (0, 0x1340)]),
        # No 1000BASE-T: nothing to advertise, no CTRL1000 (no ESTATEN), still restarted.
        ("sim://generic-fe@1", 1, [(4, 0x0001), (0, 0x3300)]),
        # 1000BASE-X only (ESTATUS): CTRL1000 exists but 1000BASE-T is not supported.
        ("sim://generic@1?fault=1:stuck:15:0xF000:0x8000", 1, [(4, 1), (9, 0), (0, 0x1340)]),
    ],
)
def test_v6_forced_1000_is_negotiated_advertising_only_that_mode(
    url: str, duplex: int, writes: list[tuple[int, int]]
) -> None:
    """v6.12 __genphy_config_aneg: 1000BASE-T cannot be forced (40.5.1), so a forced
    1000 Mb/s advertises exactly the supported mode asked for (phy_lookup_setting exact)
    and restarts AN; below 1000 it is genphy_setup_forced."""
    pal = Pal(url, "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    dev.autoneg, dev.speed, dev.duplex = 0, 1000, duplex
    n = len(pal.events)
    assert genphy.genphy_config_aneg(dev) == 0
    got = [(r, v) for op, r, v in _mdio(pal, n) if op == "write" and r not in (13, 14)]
    assert got == writes
    dev.speed = 100
    n = len(pal.events)
    assert genphy.genphy_config_aneg(dev) == 0
    got = [(r, v) for op, r, v in _mdio(pal, n) if op == "write" and r not in (13, 14)]
    assert got == [(0, 0x2100 if duplex else 0x2000)]


def test_v6_master_slave_fault_is_enolink_with_a_hint_when_configured_by_hand() -> None:
    """STAT1000 bit 15 (MASTER-SLAVE configuration fault, 40.5.1.1): genphy_read_lpa
    fails with ENOLINK; the message suggests conflicting manual settings only when
    CTRL1000 bit 12 (manual configuration) is set."""
    pal = Pal("sim://generic@1?fault=1:stuck:10:0x8000:0x8000", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    dev.autoneg_complete = 1
    with pytest.raises(PalError) as err:
        genphy.genphy_read_lpa(dev)
    assert err.value.errno == 67
    assert str(err.value).endswith("0:01: Master/Slave resolution failed")
    dev.master_slave_set = "forced-master"
    genphy.genphy_config_aneg(dev)
    with pytest.raises(PalError) as err:
        genphy.genphy_read_lpa(dev)
    assert err.value.errno == 67
    assert str(err.value).endswith(
        "0:01: Master/Slave resolution failed, maybe conflicting manual settings?"
    )


def test_v6_partner_pages_become_link_modes() -> None:
    """genphy_read_lpa: STAT1000 bits 11/10 are the partner's 1000BASE-T full/half, LPA
    its 10/100 and pause bits, LPA bit 14 (acknowledge) means it negotiates."""
    pal = Pal("sim://generic@1?partner=1000half,100half,pause", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    assert dev.autoneg_complete == 1
    assert dev.lp_advertising == (
        S["1000baseT_Half"] | S["100baseT_Half"] | S["Pause"] | S["Autoneg"]
    )


# -- EEE (45.2.3.10/11, 45.2.7.13/16): 3.20/3.21 abilities, 7.60/7.62 advertisement ---------

EEE_1 = S["100baseT_Full"] | S["1000baseT_Full"]  # 3.20 bits 1 and 2 / 7.60
EEE_2 = S["2500baseT_Full"] | S["5000baseT_Full"]  # 3.21 bits 0 and 1 / 7.62


def _eee(regs: dict[tuple[int, int], int], **fields: int) -> _C45Regs:
    base = {"supported_eee": 0, "eee_enabled": 1, "advertising_eee": 0}
    return _C45Regs(regs, ALL_MMDS, **(base | fields))


def test_eee_abilities_read_3_20_and_3_21_only_for_the_modes_the_phy_has() -> None:
    """genphy_c45_read_eee_abilities: 3.20 only with a 100TX/1000T/10GT mode (limited to
    ``supported``), 3.21 only with 2.5G/5GBASE-T; 0xFFFF (no register) means no EEE."""
    dev = _eee({(PCS, 20): 0x0006, (PCS, 21): 0x0003}, supported=S["100baseT_Full"] | EEE_2)
    genphy.genphy_c45_read_eee_abilities(dev)  # type: ignore[arg-type]
    assert dev.ops == [(PCS, 20), (PCS, 21)]
    assert dev.supported_eee == S["100baseT_Full"] | EEE_2
    only2 = _eee({(PCS, 21): 0x0001}, supported=S["2500baseT_Full"])
    genphy.genphy_c45_read_eee_abilities(only2)  # type: ignore[arg-type]
    assert only2.ops == [(PCS, 21)] and only2.supported_eee == S["2500baseT_Full"]
    absent = _eee({(PCS, 20): 0xFFFF, (PCS, 21): 0xFFFF}, supported=EEE_1 | EEE_2)
    genphy.genphy_c45_read_eee_abilities(absent)  # type: ignore[arg-type]
    assert absent.supported_eee == 0


def test_eee_advertisement_reads_7_60_and_7_62() -> None:
    """genphy_c45_read_eee_adv: the union of 7.60 (when a 3.20 mode is EEE-capable) and
    7.62 (when 2.5G/5G is)."""
    dev = _eee({(AN, 60): 0x0004, (AN, 62): 0x0002}, supported_eee=EEE_1 | EEE_2)
    got = genphy.genphy_c45_read_eee_adv(dev)  # type: ignore[arg-type]
    assert got == S["1000baseT_Full"] | S["5000baseT_Full"]
    assert dev.ops == [(AN, 60), (AN, 62)]
    only2 = _eee({(AN, 60): 0x0004, (AN, 62): 0x0001}, supported_eee=EEE_2)
    assert genphy.genphy_c45_read_eee_adv(only2) == S["2500baseT_Full"]  # type: ignore[arg-type]
    assert only2.ops == [(AN, 62)]


def test_eee_config_writes_only_owned_bits_and_only_a_change() -> None:
    """genphy_c45_write_eee_adv: 7.60 bits 1-6 and 7.62 bits 0-1 are set from the EEE
    advertisement (cleared when EEE is off), other bits kept; 1 when a register changed."""
    regs = {(AN, 60): 0x8000, (AN, 62): 0x8004}
    adv = S["100baseT_Full"] | S["2500baseT_Full"]
    on = _eee(regs, supported_eee=EEE_1 | EEE_2, advertising_eee=adv)
    assert genphy.genphy_c45_an_config_eee_aneg(on) == 1  # type: ignore[arg-type]
    assert [op for op in on.ops if len(op) == 3] == [(AN, 60, 0x8002), (AN, 62, 0x8005)]
    off = _eee(on.regs, supported_eee=EEE_1 | EEE_2, advertising_eee=adv, eee_enabled=0)
    assert genphy.genphy_c45_an_config_eee_aneg(off) == 1  # type: ignore[arg-type]
    assert [op for op in off.ops if len(op) == 3] == [(AN, 60, 0x8000), (AN, 62, 0x8004)]
    same = _eee(off.regs, supported_eee=EEE_2, advertising_eee=0)
    assert genphy.genphy_c45_an_config_eee_aneg(same) == 0  # type: ignore[arg-type]
    assert same.ops == [(AN, 62)]
    only2 = _eee(off.regs, supported_eee=EEE_2, advertising_eee=S["5000baseT_Full"])
    assert genphy.genphy_c45_an_config_eee_aneg(only2) == 1  # type: ignore[arg-type]
    assert only2.ops == [(AN, 62), (AN, 62, 0x8006)]


# -- phy.c: status line, pause string, sanitize, stop/start, the machine's corners ----------


def test_v6_status_line_with_unknown_speed_and_duplex_and_no_net_device() -> None:
    """v6.12 phy_print_status: phy_speed_to_str and phy_duplex_to_str say "Unknown";
    without an attached net_device the PHY's name leads the line."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.device("0:01")
    dev.link, dev.speed, dev.duplex, dev.autoneg = 1, -1, -1, 0
    assert pal.phy_print_status(dev) == "0:01: Link is Up - Unknown/Unknown - flow control off"
    dev.speed, dev.duplex = 100, 0
    assert pal.phy_print_status(dev) == "0:01: Link is Up - 100Mbps/Half - flow control off"


@pytest.mark.parametrize(
    ("local", "pause", "asym", "text"),
    [
        (S["Pause"] | S["Asym_Pause"], 1, 0, "rx/tx"),
        (S["Pause"] | S["Asym_Pause"], 0, 1, "rx"),
        (S["Asym_Pause"], 1, 1, "tx"),
        (S["Pause"], 0, 1, "off"),
        (S["Asym_Pause"], 0, 1, "off"),
    ],
)
def test_v6_flow_control_in_the_status_line(local: int, pause: int, asym: int, text: str) -> None:
    """v6.12 phy_pause_str (Annex 28B.3 pause resolution): rx/tx when both ends pause;
    with asymmetric pause, rx if we advertise pause, tx if only the partner pauses."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    dev.link, dev.speed, dev.duplex, dev.autoneg = 1, 1000, 1, 1
    dev.advertising, dev.pause, dev.asym_pause = local, pause, asym
    line = pal.phy_print_status(dev)
    assert line == f"physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control {text}"


@pytest.mark.parametrize(
    ("supported", "asked", "expected"),
    [
        # exact mode supported: kept
        (S["100baseT_Full"] | S["10baseT_Full"], (10, 1), (10, 1)),
        # the fastest supported at or below the request (100/half -> 100/full)
        (S["100baseT_Full"] | S["10baseT_Full"], (100, 0), (100, 1)),
        # nothing at or below: the slowest supported (the table's last supported row)
        (S["1000baseT_Full"] | S["100baseT_Full"] | S["100baseT_Half"], (10, 0), (100, 0)),
        # nothing supported at all: unknown
        (0, (100, 1), (-1, -1)),
    ],
)
def test_v6_sanitize_settings_looks_up_the_nearest_supported_mode(
    supported: int, asked: tuple[int, int], expected: tuple[int, int]
) -> None:
    """v6.12 phy_sanitize_settings / phy_lookup_setting(exact=false)."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.device("0:01")
    dev.supported = supported | S["Autoneg"]
    dev.speed, dev.duplex = asked
    pal.phy_sanitize_settings(dev)
    assert (dev.speed, dev.duplex) == expected
    assert dev.autoneg == 1  # Autoneg supported: left as it was


def test_sanitize_settings_turns_autoneg_off_without_support_and_26_differs() -> None:
    """Without the Autoneg ability, autoneg is turned off (both kernels); 2.6.32
    phy_find_valid falls back to 10/HALF where v6 takes the slowest supported mode."""
    for profile, expected in (("linux26", (10, 0)), ("linux6", (100, 1))):
        pal = Pal("sim://generic@1", profile)
        dev = pal.device("0:01")
        dev.supported = S["100baseT_Full"]
        dev.autoneg, dev.speed, dev.duplex = 1, 10, 0
        pal.phy_sanitize_settings(dev)
        assert (dev.autoneg, dev.speed, dev.duplex) == (0, *expected), profile


def test_v6_start_from_running_is_refused_and_stop_right_after_start_halts() -> None:
    """v6.12 phy_start warns outside READY/HALTED (on the PHY); phy_stop from UP (started,
    before the first run) halts; phy_resume leaves ``suspended`` False."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    assert dev.state.name == "UP" and dev.suspended is False
    pal.phy_stop(dev)
    assert dev.state.name == "HALTED"
    assert not [e for e in pal.events.of("log") if "called from" in e.data["text"]]
    pal.phy_start(dev)
    pal.run_until(4)
    pal.phy_start(dev)
    refused = [e for e in pal.events.of("log") if "called from" in e.data["text"]]
    assert [(e.phy, e.data["text"]) for e in refused] == [
        ("0:01", "0:01: called from state RUNNING")
    ]


def test_v6_every_link_drop_is_counted_and_recorded_on_the_net_device() -> None:
    """Each carrier change and adjust_link call reaches the MAC's net_device records."""
    pal = Pal("sim://lan8720a@1", "linux6")
    net = pal.netdev("eth0")
    dev = pal.phy_connect(net, "0:01")
    pal.phy_start(dev)
    sim = getattr(pal.bus, "sim", pal.bus)
    pal.at(4, lambda: sim.unplug(1))
    pal.at(6, lambda: sim.plug(1))
    pal.run_until(12)
    # Link down when the machine first runs (no link yet) and after the unplug.
    assert dev.link_down_events == 2
    assert [on for _, on in net.carrier_changes] == [False, True, False, True]
    assert all(isinstance(t, float) for t, _ in net.carrier_changes)
    assert [c[1:] for c in net.adjust_calls] == [
        (0, -1, -1, 0),
        (1, 100, 1, 1),
        (0, -1, -1, 0),
        (1, 100, 1, 1),
    ]


def test_v6_enodev_stops_the_machine() -> None:
    """v6.12 phy_state_machine: -ENODEV (the device went away) ends it: no phy_error, no
    more runs, no more MDIO."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(3)
    dev.bus.error = 19  # type: ignore[attr-defined]
    pal.run_until(4.5)
    dev.bus.error = None  # type: ignore[attr-defined]
    n = len(pal.events)
    pal.run_until(8)
    assert _mdio(pal, n) == []
    assert "ERROR" not in [to for _, _, to in pal.events.states()]


def test_26_state_handler_gets_the_net_device_every_tick() -> None:
    """2.6 phy_start_machine(handler): the handler runs at the start of every tick with
    the attached net_device."""
    pal = Pal("sim://generic@1", "linux26")
    net = pal.netdev("eth0")
    dev = pal.phy_attach(net, "0:01")
    seen: list[tuple[float, object]] = []
    pal.phy_start_machine(dev, lambda n: seen.append((pal.now(), n)))
    pal.phy_start(dev)
    pal.run_until(3.5)
    assert seen == [(1.0, net), (2.0, net), (3.0, net)]


def test_26_read_status_resolves_1000_half_and_asymmetric_pause() -> None:
    """2.6.32 genphy_read_status: STAT1000 & CTRL1000<<2 gives the common 1000BASE-T
    modes (half here); at 100/full the pause bits are the common LPA & ADVERTISE bits."""
    pal = Pal("sim://generic@1?partner=1000half,100full", "linux26")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    assert (dev.link, dev.speed, dev.duplex) == (1, 1000, 0)
    pal2 = Pal("sim://generic-fe@1?partner=100full,asym", "linux26")
    dev2 = pal2.phy_connect(pal2.netdev(), "0:01")
    dev2.advertising |= S["Asym_Pause"]
    dev2.supported |= S["Asym_Pause"]
    pal2.phy_start(dev2)
    pal2.run_until(4)
    assert (dev2.speed, dev2.duplex, dev2.pause, dev2.asym_pause) == (100, 1, 0, 1)


def test_v6_read_status_takes_pause_from_the_partner_and_ms_state_unknown_when_down() -> None:
    """v6.12: pause and asym pause are the partner's bits at full duplex; with no link the
    MASTER-SLAVE state is "unknown" (genphy_read_master_slave)."""
    pal = Pal("sim://generic@1?partner=1000full,asym", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    assert (dev.speed, dev.duplex, dev.pause, dev.asym_pause) == (1000, 1, 0, 1)
    getattr(pal.bus, "sim", pal.bus).unplug(1)
    pal.run_until(6)
    assert (dev.link, dev.master_slave_state) == (0, "unknown")


def test_v6_resolve_aneg_pause_is_the_partners_at_full_duplex_only() -> None:
    """phy_resolve_aneg_pause: pause/asym pause from lp_advertising, at full duplex."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.device("0:01")
    dev.duplex, dev.lp_advertising = 1, S["Asym_Pause"]
    genphy.phy_resolve_aneg_pause(dev)
    assert (dev.pause, dev.asym_pause) == (0, 1)
    dev.lp_advertising = S["Pause"]
    genphy.phy_resolve_aneg_pause(dev)
    assert (dev.pause, dev.asym_pause) == (1, 0)
    dev.duplex, dev.lp_advertising = 0, S["Asym_Pause"]
    genphy.phy_resolve_aneg_pause(dev)
    assert (dev.pause, dev.asym_pause) == (1, 0)  # half duplex: left alone


def test_2005_config_advert_returns_the_last_value_written() -> None:
    """The 2005 import's genphy_config_advert always writes and returns the last register
    value written (CTRL1000 on a gigabit PHY, else ADVERTISE); 2.6.32 returns 'changed'."""
    pal = Pal("sim://generic@1", "linux26", variant="2005")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    assert genphy.genphy_config_advert(dev) == 0x0300
    fe = Pal("sim://generic-fe@1", "linux26", variant="2005")
    dev_fe = fe.phy_connect(fe.netdev(), "0:01")
    assert genphy.genphy_config_advert(dev_fe) == 0x01E1
    pal26 = Pal("sim://generic@1", "linux26")
    dev26 = pal26.phy_connect(pal26.netdev(), "0:01")
    assert genphy.genphy_config_advert(dev26) == 0  # what it would write is there


def test_forced_config_aneg_returns_0_and_v6_keeps_loopback_isolate_power_down() -> None:
    """genphy_config_aneg returns 0 when forcing (2.6.32 and v6); v6.12
    genphy_setup_forced keeps BMCR loopback, isolate and power-down (2.6.32 clears them)."""
    for profile, kept in (("linux26", 0), ("linux6", 0x4C00)):
        pal = Pal("sim://generic@1", profile)
        dev = pal.phy_connect(pal.netdev(), "0:01")
        pal.phy_write(dev, 0, 0x4C00 | 0x1000)
        dev.autoneg, dev.speed, dev.duplex = 0, 100, 1
        n = len(pal.events)
        assert genphy.genphy_config_aneg(dev) == 0
        writes = [(r, v) for op, r, v in _mdio(pal, n) if op == "write" and r not in (13, 14)]
        assert writes == [(0, kept | 0x2100)]


def test_v6_master_slave_is_not_programmed_without_1000base_t() -> None:
    """MASTER-SLAVE is a 1000BASE-T matter (40.5.1): a 10/100 PHY gets no CTRL1000 write."""
    pal = Pal("sim://generic-fe@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    dev.master_slave_set = "forced-master"
    assert genphy.genphy_setup_master_slave(dev) == 0
    n = len(pal.events)
    genphy.genphy_config_aneg(dev)
    assert [r for op, r, _ in _mdio(pal, n) if r == 9] == []


def test_26_an_timeout_forces_the_fastest_supported_mode_even_10g_and_half() -> None:
    """2.6.32 phy_find_valid(0, supported) walks the settings table from 10G; the
    message names the duplex ("Trying 100/HALF" on a half-duplex-only PHY)."""
    for extra, trying in (
        (S["10000baseT_Full"], "Trying 10000/FULL"),
        (0, "Trying 100/HALF"),
    ):
        pal = Pal("sim://generic@1?fault=1:stuck:1:0x20:0", "linux26")
        dev = pal.phy_connect(pal.netdev(), "0:01")
        if extra:
            dev.supported |= extra
        else:  # a half-duplex-only PHY, already advertising just that (no AN restart)
            dev.supported = S["100baseT_Half"] | S["10baseT_Half"] | S["Autoneg"]
            pal.phy_write(dev, 4, 0x00A1)
            pal.phy_write(dev, 9, 0x0000)
        pal.phy_start(dev)
        pal.run_until(12.5)
        logs = [e.data["text"] for e in pal.events.of("log")]
        assert [t for t in logs if t.startswith("Trying")] == [trying]


@pytest.mark.parametrize(("variant", "first"), [(None, "write"), ("2005", "read")])
def test_26_stop_turns_the_phy_interrupt_off_and_logs_failures(
    variant: str | None, first: str
) -> None:
    """2.6.32 phy_stop: phy_disable_interrupts then phy_clear_interrupt (the 2005 import:
    ack first), results ignored but logged on the PHY; then HALTED."""
    kw = {"variant": variant} if variant else {}
    pal = Pal("sim://lan8720a@1", "linux26", interrupts=True, **kw)  # type: ignore[arg-type]
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(3.5)
    n = len(pal.events)
    pal.phy_stop(dev)
    ops = [(op, r) for op, r, _ in _mdio(pal, n)]
    assert ops[0][0] == first and sorted(ops) == [("read", 29), ("write", 30)]
    assert dev.state.name == "HALTED" and dev.interrupts == 0 and dev.interrupts is not None
    assert dev.drv is not None

    def fail(d: PhyDevice) -> None:
        raise PalError(EIO, "bus gone")

    pal2 = Pal("sim://lan8720a@1", "linux26", interrupts=True, **kw)  # type: ignore[arg-type]
    dev2 = pal2.phy_connect(pal2.netdev(), "0:01")
    pal2.phy_start(dev2)
    pal2.run_until(3.5)
    assert dev2.drv is not None
    dev2.drv = replace(dev2.drv, config_intr=fail, ack_interrupt=fail)
    pal2.phy_stop(dev2)
    logs = [(e.phy, e.data["text"]) for e in pal2.events.of("log") if "bus gone" in e.data["text"]]
    assert logs == [("0:01", "0:01: EIO: bus gone")] * 2
    assert dev2.state.name == "HALTED"


def test_v6_stop_machine_sends_a_started_phy_back_to_up_and_stops_polling() -> None:
    """v6.12 phy_stop_machine: cancel the work; a started PHY is UP again."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    assert dev.state.name == "RUNNING"
    pal.phy_stop_machine(dev)
    assert dev.state.name == "UP"
    n = len(pal.events)
    pal.run_until(8)
    assert _mdio(pal, n) == []


@pytest.mark.parametrize(
    ("variant", "autoneg", "states"),
    [
        # AN enabled, AN not complete after the restart: AN again, with its timeout.
        (None, 1, [("HALTED", "RESUMING"), ("RESUMING", "AN"), ("AN", "NOLINK")]),
        # Forced, no cable: read_status, NOLINK.
        (None, 0, [("HALTED", "RESUMING"), ("RESUMING", "NOLINK")]),
        # 2005 forced: RUNNING at once, no status read.
        ("2005", 0, [("HALTED", "RESUMING"), ("RESUMING", "RUNNING")]),
    ],
)
def test_26_resuming_after_stop_with_the_cable_out(
    variant: str | None, autoneg: int, states: list[tuple[str, str]]
) -> None:
    """2.6 PHY_RESUMING (phy_start after phy_stop): AN done -> status; AN not done -> AN
    (link_timeout set); forced -> status then RUNNING/NOLINK (2005: RUNNING)."""
    kw = {"variant": variant} if variant else {}
    pal = Pal("sim://generic@1", "linux26", **kw)  # type: ignore[arg-type]
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    if not autoneg:
        dev.autoneg, dev.speed, dev.duplex = 0, 100, 1
    pal.phy_stop(dev)
    getattr(pal.bus, "sim", pal.bus).unplug(1)
    pal.run_until(5.5)
    pal.phy_write(dev, 0, 0x1200 if autoneg else 0x2100)  # restart AN / keep forced mode
    t = pal.now()
    pal.phy_start(dev)
    pal.run_until(t + 2)
    got = [(a, b) for when, a, b in pal.events.states() if when >= t]
    assert got[: len(states)] == states


def test_v6_forced_speed_without_a_link_mode_advertises_nothing() -> None:
    """phy_lookup_setting(exact) finds no 2500BASE-T half-duplex mode: nothing is
    advertised (r4 and CTRL1000 cleared), AN restarted."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    dev.autoneg, dev.speed, dev.duplex = 0, 2500, 0
    n = len(pal.events)
    genphy.genphy_config_aneg(dev)
    got = [(r, v) for op, r, v in _mdio(pal, n) if op == "write" and r not in (13, 14)]
    assert got == [(4, 0x0001), (9, 0x0000), (0, 0x1340)]


def test_v6_an_is_restarted_when_only_the_eee_advertisement_changed() -> None:
    """__genphy_config_aneg: a changed EEE advertisement (7.60) alone restarts AN, so the
    partner learns it (genphy_check_and_restart_aneg with changed=true)."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    dev.eee_enabled = False
    n = len(pal.events)
    genphy.genphy_config_aneg(dev)
    bmcr = [v for op, r, v in _mdio(pal, n) if op == "write" and r == 0]
    assert len(bmcr) == 1 and bmcr[0] & 0x1200 == 0x1200


@pytest.mark.parametrize(
    ("partner", "modes", "pause"),
    [
        ("1000full,1000half,pause", S["1000baseT_Full"] | S["1000baseT_Half"], (1, 0)),
        ("1000full", S["1000baseT_Full"], (0, 0)),
    ],
)
def test_v6_partner_gigabit_modes_and_pause_without_asym(
    partner: str, modes: int, pause: tuple[int, int]
) -> None:
    """STAT1000 bits 11 and 10 both count; pause without asym pause is (1, 0)."""
    pal = Pal(f"sim://generic@1?partner={partner}", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    assert dev.lp_advertising & (S["1000baseT_Full"] | S["1000baseT_Half"]) == modes
    assert (dev.speed, dev.duplex, dev.pause, dev.asym_pause) == (1000, 1, *pause)


def test_v6_partner_without_lpack_is_not_autoneg_and_forced_clears_the_pages() -> None:
    """LPA bit 14 (acknowledge) clear: no Autoneg in lp_advertising; with autoneg off
    genphy_read_lpa clears the partner's modes."""
    pal = Pal("sim://generic@1?fault=1:stuck:5:0x4000:0", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    assert dev.autoneg_complete == 1
    assert dev.lp_advertising and not dev.lp_advertising & S["Autoneg"]
    dev.autoneg = 0
    genphy.genphy_read_lpa(dev)
    assert dev.lp_advertising == 0


@pytest.mark.parametrize(
    ("partner", "speed"), [("1000full", 1000), ("100full", 100), ("10full", 10)]
)
def test_26_read_status_full_duplex_at_each_speed(partner: str, speed: int) -> None:
    """2.6.32 genphy_read_status: the best common mode, full duplex, at 1000/100/10."""
    pal = Pal(f"sim://generic@1?partner={partner}", "linux26")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    assert (dev.link, dev.speed, dev.duplex) == (1, speed, 1)


def test_26_resuming_into_an_that_never_completes_times_out() -> None:
    """RESUMING with AN not complete goes to AN with the AN timeout armed: with the link
    up and BMSR bit 5 stuck at 0, the eleventh AN tick forces the fastest mode."""
    pal = Pal("sim://generic@1?fault=1:stuck:1:0x20:0", "linux26")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.at(0.5, lambda: pal.phy_stop(dev))
    pal.at(0.6, lambda: pal.phy_start(dev))
    pal.run_until(13.5)
    assert [(t, a, b) for t, a, b in pal.events.states() if t >= 0.5][:3] == [
        (0.5, "READY", "HALTED"),
        (0.6, "HALTED", "RESUMING"),
        (1.0, "RESUMING", "AN"),
    ]
    trying = [(e.t, e.data["text"]) for e in pal.events.of("log") if "Trying" in e.data["text"]]
    assert trying == [(12.0, "Trying 1000/FULL")]


def test_v6_stop_before_start_is_refused_on_the_phy() -> None:
    """v6.12 phy_stop outside a started state (READY) warns "called from state"."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_stop(dev)
    refused = [(e.phy, e.data["text"]) for e in pal.events.of("log") if "called" in e.data["text"]]
    assert refused == [("0:01", "0:01: called from state READY")]
    assert dev.state.name == "READY"


def test_scheduler_turns_a_livelock_into_an_error() -> None:
    """Work that re-queues itself at the same instant forever stops the run with an error
    (the model's time would stand still) instead of hanging."""
    pal = Pal("sim://generic@1", "linux6")

    def again() -> None:
        pal.at(pal.now(), again)

    pal.at(1.0, again)
    with pytest.raises(RuntimeError, match="livelock"):
        pal.run_until(2.0)


# -- the last survivors: start/stop_machine, a HALTED PHY's interrupt, handled threads ------


def test_v6_start_machine_runs_the_machine_at_once() -> None:
    """v6.12 phy_start_machine is phy_trigger_machine: after phy_stop_machine (UP, no
    more polling) it runs the machine now (UP finds the link: RUNNING), and the polling
    goes on from there."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run_until(4)
    pal.phy_stop_machine(dev)
    pal.run_until(4.5)
    assert dev.state.name == "UP"
    pal.phy_start_machine(dev)
    pal.run(0)
    assert pal.events.states()[-1] == (4.5, "UP", "RUNNING")
    n = len(pal.events)
    pal.run_until(6)
    assert _mdio(pal, n)


def test_26_stop_machine_drops_the_tick_handler() -> None:
    """2.6.32 phy_stop_machine sets adjust_state to NULL: a tick after it (here the one
    phy_change schedules for an unplug) no longer calls the handler."""
    pal = Pal("sim://lan8720a@1", "linux26", interrupts=True)
    net = pal.netdev("eth0")
    dev = pal.phy_connect(net, "0:01")
    seen: list[float] = []
    pal.phy_start_machine(dev, lambda n: seen.append(pal.now()))
    pal.phy_start(dev)
    pal.run_until(3.5)
    ticks = len(seen)
    assert seen[0] == 1.0 and net.carrier
    pal.phy_stop_machine(dev)
    getattr(pal.bus, "sim", pal.bus).unplug(1)
    pal.run_until(6)
    assert len(seen) == ticks
    assert (dev.state.name, net.carrier) == ("NOLINK", False)  # the ticks did run


@pytest.mark.parametrize(("variant", "nobody_cared"), [(None, True), ("2005", False)])
def test_26_interrupt_of_a_halted_phy_is_not_ours(variant: str | None, nobody_cared: bool) -> None:
    """2.6.32 phy_interrupt: a HALTED PHY's interrupt "can't be ours" (IRQ_NONE).  A bus
    error halted the machine with the PHY's interrupt still on; the link coming up
    asserts the line, nobody claims it, and the IRQ core disables it ("nobody cared").
    The 2005 import has no such check: it masks the line and queues phy_change, which
    acks the PHY."""
    kw = {"variant": variant} if variant else {}
    pal = Pal("sim://lan8720a@1", "linux26", interrupts=True, **kw)  # type: ignore[arg-type]
    dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    pal.run_until(1.5)
    dev.bus.error = 19  # type: ignore[attr-defined]
    pal.run_until(2.2)
    dev.bus.error = None  # type: ignore[attr-defined]
    assert dev.state.name == "HALTED" and pal.irq_lines[dev.irq].depth == 0
    pal.run_until(5)  # the link comes up at 2.5 s: the PHY asserts its interrupt
    logs = [e.data["text"] for e in pal.events.of("log")]
    assert (f"irq {dev.irq}: nobody cared, disabling it" in logs) == nobody_cared
    assert pal.irq_lines[dev.irq].depth == int(nobody_cared)
    assert getattr(pal.bus, "sim", pal.bus).phys[1].irq == nobody_cared  # acked in 2005


def test_v6_interrupts_the_thread_handles_never_add_up_to_nobody_cared() -> None:
    """v6.12: the threaded handler's IRQ_HANDLED goes to note_interrupt, so however many
    link changes a PHY signals, the line stays on (with a limit of 2 here, the third
    change would find it disabled if handled interrupts counted as unhandled)."""
    pal = Pal("sim://lan8720a@1", "linux6", interrupts=True)
    pal.SPURIOUS_LIMIT = 2
    net = pal.netdev("eth0")
    dev = pal.phy_connect(net, "0:01")
    pal.phy_start(dev)
    sim = getattr(pal.bus, "sim", pal.bus)
    pal.run_until(3)
    for t in (3, 6, 9):
        pal.at(t, lambda: sim.unplug(1))
        pal.at(t + 1, lambda: sim.plug(1))  # link again 1.5 s later
    pal.run_until(12)
    assert [on for _, on in net.carrier_changes][-6:] == [False, True] * 3
    assert pal.irq_lines[dev.irq].depth == 0
    assert "nobody cared" not in " ".join(e.data["text"] for e in pal.events.of("log"))
