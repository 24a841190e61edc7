# SPDX-License-Identifier: GPL-2.0-only
"""The PAL against simulated PHYs: scenarios with exact event sequences and tick times
(phylib-reference.md §1.5-§1.10), scan rules (§2.1), genphy and the worked vectors
(§2.3-§2.10), ethtool and ioctl glue (§2.8), misuse errors."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from physcapy.bus import open_bus
from physcapy.errors import PalError
from physcapy.pal import Pal, PhyDriver
from physcapy.pal import genphy as g
from physcapy.pal.constants import PHY_BASIC_FEATURES, SUPPORTED, State
from physcapy.pal.device import PhyDevice
from physcapy.pal.ethtool import (
    SIOCGMIIPHY,
    SIOCGMIIREG,
    SIOCSMIIREG,
    MiiIoctlData,
    phy_ethtool_gset,
    phy_ethtool_sset,
    phy_mii_ioctl,
)
from physcapy.pal.phy import phy_sanitize_settings

Action = Callable[[Pal, PhyDevice], None]


def connect(
    url: str,
    profile: str = "linux26",
    *,
    events: tuple[tuple[float, Action], ...] = (),
    start: bool = True,
    seconds: float = 0.0,
    **kw: object,
) -> tuple[Pal, PhyDevice]:
    pal = Pal(url, profile, **kw)  # type: ignore[arg-type]
    dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
    for t, fn in events:
        pal.at(t, lambda fn=fn: fn(pal, dev))  # type: ignore[misc]
    if start:
        pal.phy_start(dev)
    pal.run_until(seconds)
    return pal, dev


def ticks(pal: Pal, after: float = 0.5) -> list[tuple[float, str, str]]:
    """State changes from the first tick on (the phy_start change happens at connect time)."""
    return [s for s in pal.events.states() if s[0] >= after]


def adjust_times(pal: Pal) -> list[float]:
    return [e.t for e in pal.events.of("adjust_link")]


def logs(pal: Pal) -> list[tuple[float, str]]:
    return [(e.t, e.data["text"]) for e in pal.events.of("log") if e.phy]


def writes(pal: Pal, start: float = 0.0, end: float = 1e9) -> list[tuple[int, int]]:
    return [
        (e.data["reg"], e.data["data"])
        for e in pal.events.of("mdio")
        if e.data["op"] == "write" and start <= e.t < end
    ]


def unplug(pal: Pal, dev: PhyDevice) -> None:
    getattr(pal.bus, "sim", pal.bus).unplug(dev.addr)


def plug(pal: Pal, dev: PhyDevice) -> None:
    getattr(pal.bus, "sim", pal.bus).plug(dev.addr)


# -- linux26 scenarios -------------------------------------------------------------------


def test_healthy_polled_negotiation_linux26():
    pal, dev = connect("sim://generic@1", seconds=10)
    assert ticks(pal) == [
        (1.0, "UP", "AN"),
        (2.0, "AN", "RUNNING"),
        (3.0, "RUNNING", "CHANGELINK"),
        (4.0, "CHANGELINK", "RUNNING"),
        (5.0, "RUNNING", "CHANGELINK"),
        (6.0, "CHANGELINK", "RUNNING"),
        (7.0, "RUNNING", "CHANGELINK"),
        (8.0, "CHANGELINK", "RUNNING"),
        (9.0, "RUNNING", "CHANGELINK"),
        (10.0, "CHANGELINK", "RUNNING"),
    ]
    # adjust_link fires every 2 s without any change: MAC drivers diff themselves.
    assert adjust_times(pal) == [2.0, 4.0, 6.0, 8.0, 10.0]
    # A registered net_device has its carrier on and v2.6.32 phylib never turns it off
    # at attach, so AN -> RUNNING's netif_carrier_on changes nothing (issue 18).
    assert pal.events.of("carrier") == [] and pal.netdevs["eth0"].carrier
    assert logs(pal)[-1] == (2.0, "PHY: 0:01 - Link is Up - 1000/Full")
    assert (dev.speed, dev.duplex, dev.link) == (1000, 1, 1)
    first = pal.events.states()[0]
    assert first[1:] == ("READY", "UP") and first[0] < 0.01  # phy_start: no MDIO


def test_negotiation_from_power_on_reaches_running_after_the_second_tick():
    bus = open_bus("sim://generic@1?start=power-on")
    # The scan waits Pal.PROBE_DELAY (0.1 s) after power-on, so the PHY answers.
    pal, _dev = connect(bus, seconds=4)  # type: ignore[arg-type]
    # AN completes at 1.52 s, the 1000BASE-T link trains until 2.52 s.  phy_start ran
    # in the jiffy that began at 0.1 s (HZ 250), so the ticks fall 0.1 s past.
    j = 0.1
    assert [(round(t - j, 9), a, b) for t, a, b in ticks(pal)] == [
        (1.0, "UP", "AN"),
        (2.0, "AN", "NOLINK"),
        (3.0, "NOLINK", "RUNNING"),
    ]
    assert [round(t - j, 9) for t in adjust_times(pal)] == [2.0, 3.0]
    # The carrier was on (v2.6.32 never turns it off at attach): AN -> NOLINK drops it.
    carrier = [(round(e.t - j, 9), e.data["on"]) for e in pal.events.of("carrier")]
    assert carrier == [(2.0, False), (3.0, True)]


@pytest.mark.parametrize("when", [7.5, 8.5])
def test_unplug_is_seen_within_two_ticks_and_replug(when):
    pal, _dev = connect(
        "sim://generic@1", events=((when, unplug), (when + 4, plug)), seconds=when + 8
    )
    down = [e.t for e in pal.events.of("carrier") if not e.data["on"]]
    assert len(down) == 1 and 0 < down[0] - when <= 2.0
    nolink = [s for s in ticks(pal) if s[2] == "NOLINK"]
    assert nolink == [(down[0], "CHANGELINK", "NOLINK")]
    # NOLINK polls every tick; the partner is back 2.5 s after the plug (AN + training).
    up = [e.t for e in pal.events.of("carrier") if e.data["on"]]
    assert up[-1] == math.ceil(when + 4 + 2.5)  # a tick at that very time sees it
    assert (up[-1], "NOLINK", "RUNNING") in ticks(pal)
    assert ("PHY: 0:01 - Link is Down") in [text for _, text in logs(pal)]


def test_partner_that_links_without_completing_an_forces_then_steps_down():
    # BMSR bit 5 (AN complete) stuck at 0: the link is up but AN never completes.
    pal, dev = connect("sim://generic@1?fault=1:stuck:1:0x20:0", seconds=37)
    assert ticks(pal) == [
        (1.0, "UP", "AN"),
        (12.0, "AN", "FORCING"),  # the eleventh AN tick with link up fires the timeout
        (35.0, "FORCING", "RUNNING"),
        (36.0, "RUNNING", "CHANGELINK"),
        (37.0, "CHANGELINK", "RUNNING"),
    ]
    trying = [(t, text) for t, text in logs(pal) if text.startswith("Trying")]
    assert trying == [
        (12.0, "Trying 1000/FULL"),  # the AN timeout forces the fastest supported mode
        (23.0, "Trying 1000/HALF"),
        (34.0, "Trying 100/FULL"),
    ]
    bmcr = [
        (e.t, e.data["data"])
        for e in pal.events.of("mdio")
        if e.data["op"] == "write" and e.data["reg"] == 0
    ]
    # First forced attempt is the fastest supported mode, then one notch per 11 ticks;
    # 2.6.32 writes the whole register (AN enable cleared).
    assert [(round(t), v) for t, v in bmcr] == [(12, 0x0140), (23, 0x0040), (34, 0x2100)]
    # adjust_link on every FORCING tick, link or not.
    assert adjust_times(pal) == [float(t) for t in range(13, 36)] + [37.0]
    assert dev.autoneg == 0 and (dev.speed, dev.duplex) == (100, 1)


def test_forced_fallback_bottoms_out_at_10_half_and_keeps_trying():
    # Link without AN complete until the AN timeout, then no cable: every forced mode
    # fails, one step per 11 FORCING ticks, then 10/HALF forever.
    pal, _dev = connect(
        "sim://generic@1?fault=1:stuck:1:0x20:0", events=((12.5, unplug),), seconds=80
    )
    assert ticks(pal) == [(1.0, "UP", "AN"), (12.0, "AN", "FORCING")]
    trying = [(t, text) for t, text in logs(pal) if text.startswith("Trying")]
    assert trying == [
        (12.0, "Trying 1000/FULL"),
        (23.0, "Trying 1000/HALF"),
        (34.0, "Trying 100/FULL"),
        (45.0, "Trying 100/HALF"),
        (56.0, "Trying 10/FULL"),
        (67.0, "Trying 10/HALF"),
        (78.0, "Trying 10/HALF"),
    ]


def test_2005_forced_reset_loses_the_forced_mode_on_a_strict_phy():
    # 2005 writes BMCR with RESET and the speed bits; a PHY that resets to its defaults
    # (22.2.4.1.1) drops them, and the FORCING tick's read_status reads 100/FULL back,
    # so the step-down never gets past 100/HALF.
    pal, _dev = connect("sim://generic-fe@1?partner=none", variant="2005", seconds=46)
    assert ticks(pal) == [(1.0, "UP", "AN"), (12.0, "AN", "FORCING")]
    trying = [(t, text) for t, text in logs(pal) if text.startswith("Trying")]
    assert trying == [
        (12.0, "Trying 100/FULL"),
        (23.0, "Trying 100/HALF"),
        (34.0, "Trying 100/HALF"),
        (45.0, "Trying 100/HALF"),
    ]


def test_phy_stop_drops_carrier_once_then_start_resumes():
    def stop(pal: Pal, dev: PhyDevice) -> None:
        pal.phy_stop(dev)

    def start(pal: Pal, dev: PhyDevice) -> None:
        pal.phy_start(dev)

    pal, _dev = connect("sim://generic@1", events=((5.5, stop), (8.5, start)), seconds=10)
    assert ticks(pal, 5) == [
        (5.0, "RUNNING", "CHANGELINK"),
        (5.5, "CHANGELINK", "HALTED"),
        (8.5, "HALTED", "RESUMING"),
        (9.0, "RESUMING", "RUNNING"),
        (10.0, "RUNNING", "CHANGELINK"),
    ]
    assert [(e.t, e.data["on"]) for e in pal.events.of("carrier")] == [
        (6.0, False),  # the HALTED tick drops the carrier, not phy_stop itself
        (9.0, True),
    ]
    assert [t for t in adjust_times(pal) if t > 5] == [6.0, 9.0]
    assert pal.netdevs["eth0"].carrier


def test_bus_read_error_halts_linux26():
    def fail(pal: Pal, dev: PhyDevice) -> None:
        dev.bus.error = 5

    pal, _dev = connect("sim://generic@1", events=((5.5, fail),), seconds=9)
    assert ticks(pal, 5) == [(5.0, "RUNNING", "CHANGELINK"), (6.0, "CHANGELINK", "HALTED")]
    assert [(e.t, e.data["on"]) for e in pal.events.of("carrier")][-1] == (7.0, False)
    assert not [e for e in pal.events.of("log") if "EIO" in e.data["text"]]  # 2.6: silent


def test_missing_turnaround_is_a_read_error_when_the_controller_checks_it():
    def vanish(pal: Pal, dev: PhyDevice) -> None:
        pal.bus.phy(1).faults.no_turnaround = True  # type: ignore[attr-defined]

    # Such a controller would abort a 2.6 scan at the first empty address: mask them.
    pal, _ = connect(
        "sim://generic@1",
        events=((3.5, vanish),),
        seconds=6,
        turnaround_errors=True,
        phy_mask=0xFFFFFFFF & ~(1 << 1),
    )
    assert (4.0, "CHANGELINK", "HALTED") in ticks(pal)
    # A bit-bang bus reads 0xFFFF instead: the PHY then looks linked (BMSR bit 2 set).
    pal, _dev = connect("sim://generic@1", events=((3.5, vanish),), seconds=6)
    assert "HALTED" not in [s[2] for s in ticks(pal)]


def test_2005_variant_differences():
    # AN checks aneg_done first, so an unplugged cable times out into FORCING.
    pal, _dev = connect("sim://generic@1?partner=none", variant="2005", seconds=13)
    assert ticks(pal) == [(1.0, "UP", "AN"), (12.0, "AN", "FORCING")]
    pal26, _ = connect("sim://generic@1?partner=none", seconds=13)
    assert ticks(pal26) == [(1.0, "UP", "AN"), (2.0, "AN", "NOLINK")]
    # 2005 always rewrites the advertisement and restarts AN.
    assert writes(pal, 0.5, 1.5) == [(4, 0x01E1), (9, 0x0300), (0, 0x1340)]
    assert writes(pal26, 0.5, 1.5) == []
    # The forced write carries RESET in 2005.
    assert next(v for r, v in writes(pal, 11.5, 12.5) if r == 0) == 0x8140


# -- linux6 -------------------------------------------------------------------------------


def test_linux6_runs_at_once_and_calls_adjust_link_only_on_transitions():
    pal, dev = connect(
        "sim://generic@1", "linux6", events=((8.5, unplug), (12.5, plug)), seconds=20
    )
    t0 = pal.events.states()[0][0]  # after the C22 and C45 scan passes
    j = math.floor(t0 * 250) / 250  # ticks re-arm one second after the current jiffy
    assert pal.events.states() == [
        (t0, "READY", "UP"),
        (t0, "UP", "RUNNING"),
        (9.0 + j, "RUNNING", "NOLINK"),
        (15.0 + j, "NOLINK", "RUNNING"),  # link back at 15.0 (AN 1.5 s + training 1 s)
    ]
    assert len(pal.events.of("adjust_link")) == 3
    # The generic driver does not advertise pause: v6 prints "off" whatever the partner.
    # v6.12 phy_print_status: netdev_info on the MAC's net_device.
    assert logs(pal)[-1][1] == "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off"
    assert dev.link_down_events == 1


def test_linux6_bus_error_goes_to_error_and_stop_start_recovers():
    def fail(pal: Pal, dev: PhyDevice) -> None:
        dev.bus.error = 5

    def heal(pal: Pal, dev: PhyDevice) -> None:
        dev.bus.error = None
        pal.phy_stop(dev)
        pal.phy_start(dev)

    pal, _dev = connect("sim://generic@1", "linux6", events=((5.5, fail), (8.5, heal)), seconds=14)
    names = [(a, b) for _, a, b in pal.events.states()]
    assert ("RUNNING", "ERROR") in names
    i = names.index(("RUNNING", "ERROR"))
    # phy_stop suspends (BMCR power-down), phy_start resumes: the PHY negotiates again.
    assert names[i + 1 :] == [
        ("ERROR", "HALTED"),
        ("HALTED", "UP"),
        ("UP", "NOLINK"),
        ("NOLINK", "RUNNING"),
    ]
    # v6.12 phy_attach_direct turns the carrier off first.
    assert [e.data["on"] for e in pal.events.of("carrier")] == [False, True, False, True]


def test_linux6_halted_suspends_the_phy():
    def stop(pal: Pal, dev: PhyDevice) -> None:
        pal.phy_stop(dev)

    pal, dev = connect("sim://generic@1", "linux6", events=((3.0, stop),), seconds=5)
    assert pal.bus.read(1, 0) & 0x0800  # BMCR power-down
    assert not pal.netdevs["eth0"].carrier and dev.state.name == "HALTED"


# -- ethtool and ioctl --------------------------------------------------------------------


def test_ethtool_sset_forced_100_full_writes_bmcr_2100():
    pal, dev = connect("sim://generic@1", seconds=3)
    cmd = phy_ethtool_gset(dev)
    assert (cmd.port, cmd.transceiver, cmd.phy_address, cmd.autoneg) == (2, 1, 1, 1)
    cmd.autoneg, cmd.speed, cmd.duplex = 0, 100, 1
    before = len(pal.events)
    phy_ethtool_sset(dev, cmd)
    after = [e for e in pal.events[before:] if e.kind == "mdio" and e.data["op"] == "write"]
    assert [(e.data["reg"], e.data["data"]) for e in after] == [(0, 0x2100)]
    assert dev.state == State.FORCING


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"phy_address": 2}, "phy_address 2"),
        ({"autoneg": 2}, "autoneg 2"),
        ({"autoneg": 1, "advertising": 0}, "nothing advertised"),
        ({"autoneg": 0, "speed": 42, "duplex": 1}, "speed 42"),
        ({"autoneg": 0, "speed": 100, "duplex": 7}, "duplex 7"),
    ],
)
def test_ethtool_sset_validation_order_and_einval(change, why):
    _pal, dev = connect("sim://generic@1", start=False)
    cmd = phy_ethtool_gset(dev)
    for k, v in change.items():
        setattr(cmd, k, v)
    with pytest.raises(PalError, match=f"^EINVAL: .*{why}") as info:
        phy_ethtool_sset(dev, cmd)
    assert info.value.errno == 22


def test_mii_ioctl_reads_own_address_and_shadows_writes_linux26():
    pal, dev = connect("sim://generic@1,generic@2", start=False)
    data = phy_mii_ioctl(dev, SIOCGMIIPHY, MiiIoctlData(reg_num=1))
    assert (data.phy_id, data.val_out) == (1, pal.bus.read(1, 1))
    # 2.6.32 reads this PHY's register whatever phy_id asks for.
    pal.bus.write(2, 4, 0x0061)
    assert phy_mii_ioctl(dev, SIOCGMIIREG, MiiIoctlData(phy_id=2, reg_num=4)).val_out == 0x01E1
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=0, val_in=0x2100))
    assert (dev.autoneg, dev.speed, dev.duplex) == (0, 100, 1)
    assert pal.bus.read(1, 0) == 0x2100
    speed = dev.speed
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=0, val_in=0x0000))
    assert (dev.autoneg, dev.speed, dev.duplex) == (0, speed, 0)  # 10 is never set
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=4, val_in=0x0DE1))
    assert dev.advertising == 0x0DE1  # raw register bits: the kernel's wart
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=0, val_in=0x1200))
    assert dev.autoneg == 1
    # A write to another phy_id is not shadowed (and goes to this PHY's address).
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=2, reg_num=0, val_in=0x0100))
    assert dev.autoneg == 1 and pal.bus.read(1, 0) & 0x1FFF == 0x0100
    with pytest.raises(PalError, match="^EOPNOTSUPP"):
        phy_mii_ioctl(dev, 0x8946, MiiIoctlData())


def test_mii_ioctl_2005_shadow_is_inverted():
    _pal, dev = connect("sim://generic@1", variant="2005", start=False)
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=0, val_in=0x1200))
    assert dev.autoneg == 0
    with pytest.raises(PalError, match="^EPERM"):
        phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1), capable=False)


def test_mii_ioctl_linux6_any_address_c45_and_renegotiation():
    pal, dev = connect("sim://generic@1,generic-c45@5", "linux6", seconds=2)
    assert (
        phy_mii_ioctl(dev, SIOCGMIIREG, MiiIoctlData(phy_id=5 << 5 | 0x8000 | 1, reg_num=3)).val_out
        == 0x0030
    )
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=9, val_in=0x0000))
    assert not dev.advertising & (SUPPORTED["1000baseT_Full"] | SUPPORTED["1000baseT_Half"])
    pal.run(4)
    # phy_start_aneg found the registers already as advertised: no AN restart, no change.
    assert dev.speed == 1000
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=0, val_in=0x1200))
    pal.run(4)
    assert dev.speed == 100  # renegotiated without gigabit
    phy_mii_ioctl(dev, SIOCSMIIREG, MiiIoctlData(phy_id=1, reg_num=0, val_in=0x0100))
    assert (dev.autoneg, dev.speed, dev.duplex) == (0, 10, 1)  # v6 sets 10 explicitly


# -- worked vectors (§2.10) and genphy ------------------------------------------------------


def _status(url: str, *regs: tuple[int, int], autoneg: int = 1) -> PhyDevice:
    faults = "&".join(f"fault=1:stuck:{r}:0xffff:{v:#x}" for r, v in regs)
    pal = Pal(url + ("?" + faults if faults else ""), record_mdio=False)
    dev = pal.device("0:01")
    g.genphy_config_init(dev)
    dev.autoneg = autoneg
    g.genphy_read_status(dev)
    return dev


@pytest.mark.parametrize(
    ("url", "regs", "expect"),
    [
        ("sim://generic-fe@1", ((4, 0x01E1), (5, 0x45E1)), (100, 1, 0, 0)),
        ("sim://generic-fe@1", ((4, 0x05E1), (5, 0x45E1)), (100, 1, 1, 0)),
        ("sim://generic@1", ((9, 0x0300), (10, 0x3C00)), (1000, 1, 0, 0)),
        ("sim://generic@1", ((9, 0x0100), (10, 0x0800), (4, 0x01E1), (5, 0x41E1)), (100, 1, 0, 0)),
        ("sim://generic-fe@1", ((4, 0x0061), (5, 0x4021)), (10, 0, 0, 0)),
    ],
)
def test_worked_vectors_status(url, regs, expect):
    dev = _status(url, *regs)
    assert (dev.speed, dev.duplex, dev.pause, dev.asym_pause) == expect


@pytest.mark.parametrize(
    ("bmcr", "expect"), [(0x2100, (100, 1)), (0x0140, (1000, 1)), (0, (10, 0))]
)
def test_worked_vectors_forced_decode(bmcr, expect):
    dev = _status("sim://generic@1", (0, bmcr), autoneg=0)
    assert (dev.speed, dev.duplex) == expect


def test_worked_vector_advert_write_and_forced_write():
    pal = Pal("sim://generic@1")
    dev = pal.device("0:01")
    g.genphy_config_init(dev)
    assert dev.supported == dev.advertising == 0xFFF  # BMSR 0x7949/0x796d, ESTATUS 0x3000
    pal.bus.write(1, 9, 0x0000)
    old_bmcr = pal.bus.read(1, 0)
    n = len(pal.events)
    g.genphy_config_aneg(dev)
    got = [
        (e.data["reg"], e.data["data"])
        for e in pal.events[n:]
        if e.kind == "mdio" and e.data["op"] == "write"
    ]
    assert got == [(9, 0x0300), (0, (old_bmcr | 0x1200) & ~0x0400)]
    dev.autoneg, dev.speed, dev.duplex = 0, 100, 1
    n = len(pal.events)
    g.genphy_config_aneg(dev)
    assert [
        (e.data["reg"], e.data["data"]) for e in pal.events[n:] if e.data.get("op") == "write"
    ] == [(0, 0x2100)]


def test_config_init_worked_example_bmsr_7949():
    dev = _status("sim://generic@1?partner=none")
    assert dev.supported == 0xFFF
    assert dev.link == 0


def test_sanitize_settings():
    pal = Pal("sim://generic-fe@1", record_mdio=False)
    dev = pal.device("0:01")
    dev.supported = PHY_BASIC_FEATURES
    dev.speed, dev.duplex = 1000, 1
    phy_sanitize_settings(dev)
    assert (dev.speed, dev.duplex) == (100, 1)
    dev.speed, dev.duplex = 0, -1
    phy_sanitize_settings(dev)
    assert (dev.speed, dev.duplex) == (10, 0)
    dev.supported = PHY_BASIC_FEATURES & ~SUPPORTED["Autoneg"]
    phy_sanitize_settings(dev)
    assert dev.autoneg == 0


# -- scan, names, binding, fixups, misuse -------------------------------------------------


@pytest.mark.parametrize(
    ("r2", "r3", "found"),
    [
        (0xFFFF, 0xFFFF, False),
        (0x1FFF, 0xFFFF, False),
        (0x0000, 0x0000, True),
    ],
)
def test_scan_id_rules(r2, r3, found):
    url = f"sim://generic@1?fault=1:stuck:2:0xffff:{r2:#x}&fault=1:stuck:3:0xffff:{r3:#x}"
    assert (1 in Pal(url, record_mdio=False).mii.phy_map) == found
    modern = Pal(url, "linux6", record_mdio=False)
    assert (1 in modern.mii.phy_map) == found
    if found:
        assert modern.device("0:01").phy_id == 0 and not modern.device("0:01").is_c45


def test_scan_2005_only_skips_all_ones():
    url = "sim://generic@1?fault=1:stuck:2:0xffff:0x1fff&fault=1:stuck:3:0xffff:0xffff"
    assert 1 in Pal(url, variant="2005", record_mdio=False).mii.phy_map
    assert 1 not in Pal(url, record_mdio=False).mii.phy_map


def test_scan_read_error_aborts_2_6_registration():
    bus = open_bus("sim://generic@1")
    with pytest.raises(PalError, match="^EIO"):
        pal = Pal(bus, register=False)
        pal.mii.error = 5
        from physcapy.pal import mdiobus_register

        mdiobus_register(pal.mii)
    assert pal.buses == [] and pal.mii.phy_map == {}


def test_scan_modern_finds_c45_and_skips_it_after_micrel():
    pal = Pal("sim://generic@1,generic-c45@4", "linux6", record_mdio=False)
    dev = pal.device("0:04")
    assert dev.is_c45 and dev.c45_ids[1] == 0x00000030 and dev.mmds_present & 0x80
    assert dev.drv is None  # no driver has its ids; the generic one binds on attach
    pal.phy_attach(pal.netdev(), "0:04")
    assert dev.drv is not None and dev.drv.name == "Generic Clause 45 PHY"
    pal = Pal("sim://ksz9031@1,generic-c45@4", "linux6", record_mdio=False)
    assert sorted(pal.mii.phy_map) == [1]  # Micrel OUI: no Clause 45 pass
    # linux26 has no Clause 45 pass at all.
    assert sorted(Pal("sim://generic@1,generic-c45@4", record_mdio=False).mii.phy_map) == [1]


def test_phy_mask_names_and_irq_defaults():
    pal = Pal("sim://generic@1,generic@10", bus_id="stmmac-0", phy_mask=1 << 10, record_mdio=False)
    assert [d.name for d in pal.devices] == ["stmmac-0:01"]
    dev = pal.devices[0]
    assert (dev.speed, dev.duplex, dev.link, dev.irq, dev.interface.name) == (0, -1, 1, -1, "GMII")


def test_driver_matching_order_and_generic_on_attach():
    first = PhyDriver(0x00000010, 0xFFFFFFF0, "first")
    second = PhyDriver(0x00000000, 0x00000000, "catch-all")
    pal = Pal("sim://generic@1,generic-fe@2", drivers=[first, second], record_mdio=False)
    assert pal.device("0:01").drv is first
    assert pal.device("0:02").drv is second
    pal = Pal("sim://generic@1", drivers=[], record_mdio=False)
    dev = pal.device("0:01")
    assert dev.drv is None and dev.state == State.DOWN
    pal.phy_attach(pal.netdev(), "0:01")
    assert dev.drv is not None and dev.drv.name == "Generic PHY" and dev.state == State.READY
    pal.phy_detach(dev)
    assert dev.drv is None  # the generic driver is unbound again


def test_fixups_run_at_registration_and_before_config_init():
    seen: list[tuple[str, int]] = []
    pal = Pal("sim://generic@1,generic-fe@2", register=False, record_mdio=False)
    pal.phy_register_fixup("0:01", 0xFFFFFFFF, 0xFFFFFFFF, lambda d: seen.append(("bus", d.addr)))
    pal.phy_register_fixup(
        "MATCH ANY PHY", 0x00000020, 0xFFFFFFF0, lambda d: seen.append(("uid", d.addr))
    )
    from physcapy.pal import mdiobus_register

    mdiobus_register(pal.mii)
    assert seen == [("bus", 1), ("uid", 2)]
    pal.phy_connect(pal.netdev(), "0:01")
    assert seen[-1] == ("bus", 1)


def test_misuse_errors():
    pal, _dev = connect("sim://generic@1", start=False)
    with pytest.raises(PalError, match="^ENODEV: no PHY named '0:05'") as e1:
        pal.phy_connect(pal.netdev("eth1"), "0:05")
    assert e1.value.errno == 19
    with pytest.raises(PalError, match="^EBUSY: 0:01 is already attached to eth0") as e2:
        pal.phy_connect(pal.netdev("eth1"), "0:01")
    assert e2.value.errno == 16


# -- interrupts, MAGICANEG (vendor drivers) -------------------------------------------------


def test_interrupt_mode_follows_the_phy_interrupt_line():
    pal, dev = connect(
        "sim://lan8720a@1",
        events=((7.5, unplug), (10.0, plug)),
        seconds=14,
        interrupts=True,
    )
    assert dev.irq == 33
    # The SMSC driver enables link-down and AN-complete (ISFR/IMR bits 4 and 6).  t=1:
    # the new advertisement restarts AN, the link-down interrupt runs the machine at
    # once (AN -> NOLINK); AN completes 1.5 s after the restart and its interrupt brings
    # RUNNING at that instant, not at a tick.  RUNNING never polls in IRQ mode.
    got = [(round(t, 6), a, b) for t, a, b in ticks(pal)]
    assert got == [
        (1.0, "UP", "AN"),
        (1.000179, "AN", "NOLINK"),
        (2.500102, "NOLINK", "CHANGELINK"),
        (2.500179, "CHANGELINK", "RUNNING"),
        (7.5, "RUNNING", "CHANGELINK"),  # the unplug's link-down interrupt
        (7.500077, "CHANGELINK", "NOLINK"),
        # NOLINK still polls (ticks now at x.5): the poll at 11.5 and the AN-complete
        # interrupt at 11.5 both see the link.
        (11.5, "NOLINK", "RUNNING"),
        (11.5, "RUNNING", "CHANGELINK"),
        (11.500179, "CHANGELINK", "RUNNING"),
    ]
    assert [(round(e.t, 6), e.data["on"]) for e in pal.events.of("carrier")] == [
        (1.000179, False),  # on since registration (v2.6.32): AN -> NOLINK drops it
        (2.500179, True),
        (7.500077, False),
        (11.5, True),
    ]
    # The ISFR reads that ack each interrupt, and IMR written 0x50 / 0 / 0x50 around them.
    imr = [
        e.data["data"]
        for e in pal.events.of("mdio")
        if e.data["op"] == "write" and e.data["reg"] == 30
    ]
    assert imr[:3] == [0x0050, 0x0000, 0x0050] and set(imr) == {0x0000, 0x0050}


def test_interrupts_fall_back_to_polling_without_a_line():
    pal, dev = connect("ftdi-emu://232h?phy=lan8720a@1", seconds=4, interrupts=True)
    assert dev.irq == -1  # a real adapter carries no interrupt line: phylib polls
    assert (4.0, "RUNNING", "CHANGELINK") in ticks(pal)


def test_magicaneg_rearms_instead_of_forcing():
    # A boot loader already advertised pause and negotiated: phylib's advertisement
    # matches, so AN is not restarted and the link stays up while AN never completes.
    bus = open_bus("sim://lan8720a@1?fault=1:stuck:1:0x20:0")
    bus.write(1, 4, 0x0DE1)
    bus.write(1, 0, 0x3300)
    bus.clock.advance(3.0)
    pal, dev = connect(bus, seconds=30)  # type: ignore[arg-type]
    assert dev.drv is not None and dev.drv.flags & 0x2  # PHY_HAS_MAGICANEG
    assert ticks(pal, 3.5) == [(4.0, "UP", "AN")]  # never FORCING
    assert not [t for t in logs(pal) if t[1].startswith("Trying")]
    # The eleventh AN tick (15 s, then 26 s) re-runs config_aneg: the advertisement is
    # unchanged and AN is on, so nothing is written; only the timer is re-armed.
    assert writes(pal, 3.5, 31) == []
    assert dev.link_timeout == 10 - 4  # re-armed at 26, then four more AN ticks


# -- the same machine over the FTDI emulator -----------------------------------------------


def test_pal_runs_against_ftdi_emu_exactly_as_against_sim():
    def story(url: str) -> list[tuple[float, str, object]]:
        pal, _dev = connect(url, events=((6.5, unplug), (9.0, plug)), seconds=16)
        return [
            (e.t, e.kind, e.data)
            for e in pal.events
            if e.kind in ("state", "carrier", "adjust_link") and e.t >= 0.5
        ]

    sim = story("sim://lan8720a@1")
    emu = story("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1")
    assert sim == emu and len(sim) > 10


# -- the rest of the phy_device API ---------------------------------------------------------


def test_phy_start_machine_handler_runs_first_in_every_tick():
    pal = Pal("sim://generic@1", record_mdio=False)
    net = pal.netdev()
    dev = pal.phy_attach(net, "0:01")
    seen: list[tuple[float, str]] = []
    dev.adjust_link = net.handler
    pal.phy_start_machine(dev, lambda n: seen.append((pal.event_time(), dev.state.name)))
    pal.phy_start(dev)
    pal.run(3)
    assert seen == [(1.0, "UP"), (2.0, "AN"), (3.0, "RUNNING")]
    pal.phy_stop_machine(dev)
    assert dev.state == State.UP and dev.timer is None
    pal.run(3)
    assert len(seen) == 3


def test_phy_disconnect_stops_everything_and_frees_the_device():
    pal, dev = connect("sim://lan8720a@1", seconds=3, interrupts=True)
    pal.phy_disconnect(dev)
    n = len(pal.events)
    pal.run(5)
    assert dev.attached_dev is None and dev.timer is None and dev.state == State.UP
    assert [e for e in pal.events[n:] if e.kind != "mdio"] == []
    assert all(not line.handlers for line in pal.irq_lines.values())
    pal.phy_connect(pal.netdev("eth1"), "0:01")  # free to connect again


def test_starting_pending_and_ignore_interrupt():
    pal, dev = connect("sim://generic@1", start=False)
    dev.state = State.STARTING  # only a driver sets it
    pal.phy_start(dev)
    assert dev.state == State.PENDING
    pal.run(3)
    assert dev.state == State.PENDING  # the driver must set UP
    # PHY_IGNORE_INTERRUPT (a driver with PHY_HAS_INTERRUPT; without it probe forces
    # PHY_POLL): RUNNING waits for the MAC to move it.
    pal, dev = connect("sim://lan8720a@1", irqs={1: -2}, seconds=6)
    assert dev.irq == -2
    # The SMSC driver advertises pause, so AN restarts at t=1 and the link returns at 3.
    assert ticks(pal) == [(1.0, "UP", "AN"), (2.0, "AN", "NOLINK"), (3.0, "NOLINK", "RUNNING")]


def test_real_time_clock_runs_ticks_in_wall_time():
    import time

    pal = Pal("sim://generic@1?time=real", record_mdio=False)
    dev = pal.phy_connect(pal.netdev(), "0:01")
    t0 = time.monotonic()
    pal.phy_start(dev)
    pal.run(1.1)
    assert 1.0 <= time.monotonic() - t0 < 2.0
    assert [s[1:] for s in pal.events.states()] == [("READY", "UP"), ("UP", "AN")]


# -- v6 MASTER-SLAVE configuration ----------------------------------------------------------


def _ethtool_ms(setting: str) -> Callable[[Pal, PhyDevice], None]:
    def run(pal: Pal, dev: PhyDevice) -> None:
        cmd = phy_ethtool_gset(dev)
        cmd.master_slave_cfg = setting
        phy_ethtool_sset(dev, cmd)

    return run


def test_linux6_master_slave_setting_is_programmed_and_resolved():
    """ethtool -s eth0 master-slave forced-master: CTRL1000 bits 12:11 set, AN restarted,
    and the link comes back as MASTER (40.5.2: a manual end gets its role)."""
    pal, dev = connect(
        "sim://generic@1?partner=1000full",
        "linux6",
        events=((3.0, _ethtool_ms("forced-master")),),
        seconds=2.9,
    )
    before = phy_ethtool_gset(dev)  # CTRL1000 as reset; the partner won the draw
    assert (before.master_slave_cfg, before.master_slave_state) == ("preferred-slave", "slave")
    pal.run_until(8)
    writes = [
        (e.t, e.data["reg"], e.data["data"])
        for e in pal.events
        if e.kind == "mdio" and e.data["op"] == "write" and e.t >= 3.0
    ]
    ctrl1000 = [w for w in writes if w[1] == 9]
    assert ctrl1000 and ctrl1000[0][2] & 0x1C00 == 0x1800
    assert any(w[1] == 0 and w[2] & 0x0200 for w in writes if w[0] >= ctrl1000[0][0])
    cmd = phy_ethtool_gset(dev)
    assert (cmd.master_slave_cfg, cmd.master_slave_state) == ("forced-master", "master")
    assert dev.link and pal.netdevs["eth0"].carrier


def test_linux6_conflicting_master_slave_settings_keep_the_link_down():
    """Both ends forced SLAVE: a MASTER-SLAVE configuration fault (STAT1000 bit 15,
    latched high, set again at each AN attempt); the link does not come up."""
    seen: list[str] = []

    def watch(pal: Pal, dev: PhyDevice) -> None:
        seen.append(dev.master_slave_state)
        pal.at(pal.now() + 0.25, lambda: watch(pal, dev))

    pal, dev = connect(
        "sim://generic@1?partner=1000full,slave",
        "linux6",
        events=((3.0, _ethtool_ms("forced-slave")), (3.1, watch)),
        seconds=10,
    )
    faults = [
        e.t
        for e in pal.events
        if e.kind == "mdio" and e.data["op"] == "read" and e.data["reg"] == 10 and e.t > 3
        if e.data["data"] & 0x8000
    ]
    assert faults and "err" in seen
    assert not dev.link and not pal.netdevs["eth0"].carrier


def test_master_slave_setting_needs_v6_and_a_gigabit_phy():
    _pal, dev = connect("sim://generic@1", "linux26", seconds=2)
    cmd = phy_ethtool_gset(dev)
    cmd.master_slave_cfg = "forced-master"
    with pytest.raises(PalError, match="master/slave 'forced-master' is unknown: allowed none"):
        phy_ethtool_sset(dev, cmd)
    _pal, dev = connect("sim://lan8720a@1", "linux6", seconds=2)
    cmd = phy_ethtool_gset(dev)
    assert cmd.master_slave_cfg == "unsupported"
    cmd.master_slave_cfg = "preferred-master"
    with pytest.raises(PalError, match="master/slave configuration not supported") as err:
        phy_ethtool_sset(dev, cmd)
    assert err.value.errno == 95  # EOPNOTSUPP


# -- unhappy paths the mutation run found untested (issue 23) -----------------------------


def _mdio_since(pal: Pal, n: int, op: str) -> list[tuple[int, int]]:
    return [
        (e.data["reg"], e.data["data"])
        for e in pal.events[n:]
        if e.kind == "mdio" and e.data["op"] == op
    ]


@pytest.mark.parametrize("profile", ["linux26", "linux6"])
def test_config_aneg_restarts_an_isolated_phy_whose_advert_is_unchanged(profile):
    """genphy_config_aneg (2.6.32 and v6.12 genphy_check_and_restart_aneg): advertisement
    unchanged, AN enabled but BMCR ISOLATE set -> AN is restarted and isolate cleared."""
    pal = Pal("sim://generic@1", profile, record_mdio=True)
    dev = pal.device("0:01")
    g.genphy_config_init(dev)
    g.genphy_config_aneg(dev)  # the advertisement is now what the device wants
    pal.bus.write(1, 0, 0x1400)  # AN enabled, isolated, no restart pending
    n = len(pal.events)
    assert g.genphy_config_aneg(dev) == 0  # the kernel's: restart_aneg's 0
    assert _mdio_since(pal, n, "write")[-1] == (0, 0x1200)
    assert pal.bus.read(1, 0) & 0x0400 == 0
    # Neither isolated nor AN off: nothing to restart, BMCR left alone.
    pal.bus.write(1, 0, 0x1000)
    n = len(pal.events)
    assert g.genphy_config_aneg(dev) == 0
    assert all(reg != 0 for reg, _ in _mdio_since(pal, n, "write"))
    # AN off with the advertisement unchanged: restarted too.
    pal.bus.write(1, 0, 0x0000)
    n = len(pal.events)
    g.genphy_config_aneg(dev)
    assert _mdio_since(pal, n, "write")[-1] == (0, 0x1200)


@pytest.mark.parametrize(
    ("polling", "was_up", "bmsr_up", "reads"),
    [
        (True, True, True, 1),  # polling, link up: one read, so a latched drop is seen
        (True, True, False, 1),
        (True, False, True, 1),  # polling, link down: first read shows it up -> done
        (True, False, False, 2),  # polling, link down and still down: the double read
        (False, True, True, 1),  # interrupts: always the flush read first
        (False, True, False, 2),
    ],
)
def test_linux6_update_link_bmsr_read_count(polling, was_up, bmsr_up, reads):
    pal = Pal("sim://generic@1" + ("" if bmsr_up else "?partner=none"), "linux6")
    dev = pal.device("0:01")
    dev.irq = -1 if polling else 7
    assert dev.polling() is polling
    dev.link = int(was_up)
    pal.bus.write(1, 0, 0x1200)
    pal.run_until(5.0)  # negotiated (or not, without a partner)
    pal.bus.read(1, 1)  # the latched-low flush: BMSR now reads the live link
    assert pal.bus.read(1, 0) & 0x0200 == 0  # no restart pending
    n = len(pal.events)
    g.genphy_update_link(dev)
    got = [reg for reg, _ in _mdio_since(pal, n, "read")]
    assert got == [0] + [1] * reads
    # 2.6 always reads BMSR twice.
    pal = Pal("sim://generic@1", "linux26")
    dev = pal.device("0:01")
    n = len(pal.events)
    g.genphy_update_link(dev)
    assert [reg for reg, _ in _mdio_since(pal, n, "read")] == [1, 1]
