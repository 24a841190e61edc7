# SPDX-License-Identifier: GPL-2.0-only
"""Vendor PHY drivers against their simulated parts: binding by ID, the exact MDIO
writes of connect + start, status from vendor registers, interrupt operations, and the
matching pitfalls of phylib-reference.md §4.1.

Expected register sequences are typed from the reference (§4.2-§4.12); where a
written value depends on what the part read back, the value comes from the model's
reset (``physcapy.registers.models``) and the test says so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from physcapy.errors import PalError
from physcapy.pal import DriverRegistry, Pal, PhyDevice, PhyDriver, Profile
from physcapy.pal.constants import (
    AUTONEG_DISABLE,
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    PHY_HAS_INTERRUPT,
    PHY_HAS_MAGICANEG,
    SUPPORTED,
)
from physcapy.pal.drivers import (
    cicada,
    davicom,
    default_drivers,
    lxt,
    marvell,
    micrel,
    qsemi,
    realtek,
    smsc,
    ti,
)
from physcapy.pal.events import Event
from physcapy.registers.models import model
from physcapy.sim.bus import SimBus

LINUX26 = Profile.parse("linux26")
LINUX6 = Profile.parse("linux6")
#: The 2.6.32 core with the reference forms of drivers v2.6.32 does not have (the 4.x
#: Realtek entries, [S12]/[S13] TI, the first KSZ9031), as a board's backport would
#: register them: the tests of those forms run against it.
REFERENCE = [
    *(d for d in default_drivers(LINUX26) if d is not realtek.RTL8211B),
    *realtek.DRIVERS_4X,
    *ti.DRIVERS_REFERENCE,
    *micrel.DRIVERS_REFERENCE,
]

Op = tuple[Any, ...]  # ("w", reg, value) or ("r", reg)


class Run:
    """One PHY at address 1 taken through phy_connect, phy_start and ``seconds`` of
    bus time; MDIO of the connect and of the run are kept apart."""

    def __init__(
        self,
        url: str,
        profile: str = "linux26",
        *,
        interface: str = "gmii",
        seconds: float = 4.0,
        interrupts: bool = False,
        flags: int = 0,
        priv: dict[str, Any] | None = None,
        setup: Callable[[PhyDevice], None] | None = None,
        at: tuple[tuple[float, Callable[[Pal], None]], ...] = (),
        drivers: list[PhyDriver] | None = None,
    ):
        self.pal = Pal(url, profile, interrupts=interrupts, drivers=drivers)
        self.dev = self.pal.device("0:01")
        self.dev.priv.update(priv or {})
        if setup is not None:
            setup(self.dev)
        start = len(self.pal.events)
        self.pal.phy_connect(self.pal.netdev(), "0:01", flags=flags, interface=interface)
        self.connected = len(self.pal.events)
        self.connect_events = self.pal.events[start : self.connected]
        self.pal.phy_start(self.dev)
        for t, fn in at:
            self.pal.at(t, functools.partial(fn, self.pal))
        self.pal.run(seconds)
        self.run_events = self.pal.events[self.connected :]

    @staticmethod
    def _mdio(events: list[Event]) -> list[Event]:
        return [
            e for e in events if e.kind == "mdio" and e.data["phy"] == 1 and e.data["clause"] == 22
        ]

    @classmethod
    def _writes(cls, events: list[Event]) -> list[tuple[int, int]]:
        return [
            (e.data["reg"], e.data["data"]) for e in cls._mdio(events) if e.data["op"] == "write"
        ]

    @classmethod
    def _ops(cls, events: list[Event], regs: set[int] | None = None) -> list[Op]:
        out: list[Op] = []
        for e in cls._mdio(events):
            if regs is not None and e.data["reg"] not in regs:
                continue
            if e.data["op"] == "write":
                out.append(("w", e.data["reg"], e.data["data"]))
            else:
                out.append(("r", e.data["reg"]))
        return out

    @property
    def init_writes(self) -> list[tuple[int, int]]:
        """Writes of phy_connect (config_init, and in v6 soft_reset/config_intr)."""
        return self._writes(self.connect_events)

    @property
    def run_writes(self) -> list[tuple[int, int]]:
        """Writes after phy_start (config_aneg, status, interrupts)."""
        return self._writes(self.run_events)

    def ops(self, regs: set[int] | None = None, *, connect: bool = False) -> list[Op]:
        return self._ops(self.connect_events if connect else self.run_events, regs)

    def reads(self, reg: int, *, connect: bool = False) -> list[int]:
        """The values the driver read from ``reg`` (what its writes derive from)."""
        events = self.connect_events if connect else self.run_events
        return [
            e.data["data"]
            for e in self._mdio(events)
            if e.data["op"] == "read" and e.data["reg"] == reg
        ]

    def first(self, kind: str, **match: Any) -> Event:
        for e in self.pal.events:
            if e.kind == kind and all(e.data.get(k) == v for k, v in match.items()):
                return e
        raise AssertionError(f"no {kind} event with {match}")


def mmd_writes(writes: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(devad, reg, value) of each phy_write_mmd in a write list (r13/r14 sequence:
    13 ← devad, 14 ← reg, 13 ← 0x4000 | devad, 14 ← value)."""
    out = []
    for i in range(len(writes) - 3):
        (a, devad), (b, reg), (c, func), (d, value) = writes[i : i + 4]
        if (a, b, c, d) == (13, 14, 13, 14) and func == 0x4000 | devad and devad < 32:
            out.append((devad, reg, value))
    return out


def unplug(pal: Pal) -> None:
    """Pull the cable of the simulated PHY at address 1."""
    bus = pal.bus
    assert isinstance(bus, SimBus)
    bus.unplug(1)


def reset(model_name: str, reg: str) -> int:
    return model(model_name).register(reg).reset


# -- binding and matching (§2.2, §4.1) ------------------------------------------------------


ALL = [(p, d) for p in (LINUX26, LINUX6) for d in default_drivers(p)]


@pytest.mark.parametrize(("profile", "drv"), ALL, ids=lambda x: getattr(x, "name", str(x)))
def test_every_driver_binds_its_simulated_model(profile: Profile, drv: PhyDriver) -> None:
    assert drv.model is not None
    m = model(drv.model)
    assert m.phy_id is not None and drv.matches(m.phy_id)
    pal = Pal(f"sim://{drv.model}@1", profile, record_mdio=False)
    assert pal.device("0:01").drv is drv


def test_drivers_per_release() -> None:
    """Issue 18 finding 2: a profile registers only the drivers its release has
    (v2.6.32: drivers/net/phy/{marvell,davicom,cicada,lxt,qsemi,smsc,realtek}.c;
    v6.12: the same families plus dp83848.c, dp83867.c, micrel.c), each in its form."""
    old, new = default_drivers(LINUX26), default_drivers(LINUX6)
    assert [d.name for d in old] == [
        *(f"Marvell 88E{n}" for n in ("1101", "1112", "1111", "1118", "1121R", "1145", "1240")),
        "Davicom DM9161E", "Davicom DM9161A", "Davicom DM9131",
        "Cicada Cis8204", "Cicada Cis8201",
        "LXT970", "LXT971",
        "QS6612",
        "SMSC LAN83C185", "SMSC LAN8187", "SMSC LAN8700", "SMSC LAN911x Internal PHY",
        "SMSC LAN8710/LAN8720",
        "RTL821x Gigabit Ethernet",
    ]  # fmt: skip
    assert old[:3] == [marvell.M88E1101, marvell.M88E1112, marvell.M88E1111]
    assert [d.name for d in new if d.model in ("dp83848", "ksz9031", "rtl8211b", "cis8201")] == [
        "Cicada Cis8201",  # v6.12 cicada.c registers the CIS8201 first
        "RTL8211B Gigabit Ethernet",
        "NS DP83848C 10/100 Mbps PHY",
        "Micrel KSZ9031 Gigabit PHY",
    ]
    assert not set(old) & set(new)  # every v6.12 entry is its own form
    # probe reads BMSR, except on the single-pair parts, whose v6.12 entries list
    # PHY_BASIC_T1_FEATURES / PHY_BASIC_T1S_P2MP_FEATURES.
    # marvell.c's 88E1510 entry lists PHY_GBIT_FIBRE_FEATURES (with the FIBRE port).
    t1 = ("tja1102", "lan8670")
    listed = (*t1, "88e1512")
    assert all(d.features == 0 for d in new if d.get_features is None and d.model not in listed)
    assert [d.features & SUPPORTED["FIBRE"] for d in new if d.model == "88e1512"] == [
        SUPPORTED["FIBRE"]
    ]
    assert all(d.features and not d.features & SUPPORTED["Autoneg"] for d in new if d.model in t1)
    # marvell10g.c has no interrupt support in v6.12: the 88X3310 is polled; nor has
    # realtek.c's RTL8221B-VB-CG entry, nor microchip_t1s.c's LAN867X entry, nor
    # motorcomm.c's YT8521 and YT8531 entries.
    polled = ("rtl8201cp", "88x3310", "rtl8221b", "lan8670", "yt8521", "yt8531")
    assert all(d.config_intr and d.handle_interrupt for d in new if d.model not in polled)
    assert smsc.LAN8710_MODERN in new and smsc.LAN8710_26 in old


def test_no_two_drivers_claim_one_id() -> None:
    drivers = default_drivers(LINUX26)
    for i, a in enumerate(drivers):
        for b in drivers[i + 1 :]:
            common = a.phy_id_mask & b.phy_id_mask
            assert (a.phy_id ^ b.phy_id) & common, f"{a.name} and {b.name} overlap"


@pytest.mark.parametrize(
    ("phy_id", "name"),
    [
        # Davicom: the mask 0x0ffffff0 ignores the top nibble of PHYSID1.
        (0x0181B880, "Davicom DM9161E"),
        (0xF181B881, "Davicom DM9161E"),
        (0x5181B8AF, "Davicom DM9161A"),
        (0x10181B80, "Davicom DM9131"),
        # Cicada: 0x000ffff0 / 0x000fffc0 ignore the top 12 bits; the CIS8204 also the
        # low six, so 0x...c440-0x...c47f is a CIS8204 and 0x...c480 nothing.
        (0xFFFFC47F, "Cicada Cis8204"),
        (0x000FC455, "Cicada Cis8204"),
        (0x000FC480, None),
        (0xABCFC41F, "Cicada Cis8201"),
        (0x000FC420, None),
        # Realtek: 0x001fffff keeps the revision but ignores the top 11 bits.
        (0xFFFCC916, "RTL8211F Gigabit Ethernet"),
        (0x001CC917, None),
        (0x001CC912, "RTL821x Gigabit Ethernet"),
        (0x001CC915, "RTL8211E Gigabit Ethernet"),
        (0xFFFF8201, "RTL8201CP Ethernet"),
        # A revision nibble in the driver's own ID (as DP83865's 0x20005c7a) is masked:
        # DP83867 is listed as 0x2000a231 and matches every revision.
        (0x2000A230, "TI DP83867"),
        (0x2000A23F, "TI DP83867"),
        (0x20005C9A, "NS DP83848C 10/100 Mbps PHY"),
        (0x01410CC2, "Marvell 88E1111"),
        (0x00221622, "Micrel KSZ9031 Gigabit PHY"),
        (0xFF221622, "Micrel KSZ9031 Gigabit PHY"),
        (0x0007C0F1, "SMSC LAN8710/LAN8720"),
    ],
)
def test_matching_pitfalls(phy_id: int, name: str | None) -> None:
    drv = DriverRegistry(REFERENCE).match(phy_id)
    assert (drv.name if drv else None) == name


# -- Marvell (§4.2) ---------------------------------------------------------------------------

#: marvell_config_aneg before genphy_config_aneg: reset, errata pair, auto-MDIX, LEDs.
MARVELL_ANEG = [
    (0, 0x8000),
    (29, 0x001F),
    (30, 0x200C),
    (29, 0x0005),
    (30, 0x0000),
    (30, 0x0100),
    (16, 0x0060),
    (24, 0x4100),
]
#: The part applies BMCR written with the reset bit (an "update on reset" register), so
#: marvell_config_aneg's 0x8000 leaves AN off and genphy_config_aneg restarts it.
AN_BACK_ON = (0, 0x1200)
BMCR_1111 = reset("88e1111", "BMCR")  # 0x1140: m88e1111_config_init ORs the reset bit in
R27_1111 = reset("88e1111", "EPSSR")  # 0: copper, no mode bits


@pytest.mark.parametrize(
    ("interface", "r20", "r27"),
    [
        ("gmii", None, None),
        ("rgmii", 0x0000, 0x000B),  # delays left as they are; copper-RGMII mode
        ("rgmii_id", 0x0082, 0x000B),
        ("rgmii_rxid", 0x0080, 0x000B),
        ("rgmii_txid", 0x0002, 0x000B),
        ("sgmii", None, 0x8004),  # SGMII without clock, fibre/copper auto bit set
    ],
)
def test_m88e1111_connect_and_start(interface: str, r20: int | None, r27: int | None) -> None:
    run = Run("sim://88e1111@1?partner=100full,100half", interface=interface)
    assert run.dev.drv is marvell.M88E1111 and run.dev.drv.name == "Marvell 88E1111"
    expected = [(27, R27_1111 & ~0x8000), (0, BMCR_1111 | 0x8000)]
    if r20 is not None:
        expected.append((20, r20))
    if r27 is not None:
        expected.append((27, r27))
    expected.append((0, 0x8000))
    assert run.init_writes == expected
    # Nothing after the errata: the advertisement already matches (genphy writes only
    # what changed) and AN was running.
    assert run.run_writes == [*MARVELL_ANEG, AN_BACK_ON]
    assert (run.dev.link, run.dev.speed, run.dev.duplex) == (1, 100, DUPLEX_FULL)


def test_m88e1111_fibre_resolution_selects_fibre_rgmii() -> None:
    # r27 bit 13 (fibre/copper resolution) reads 1: the mode nibble becomes 0x3.
    run = Run("sim://88e1111@1?fault=1:stuck:27:0x2000:0x2000", interface="rgmii_id")
    assert run.init_writes == [
        (27, 0x2000),
        (0, BMCR_1111 | 0x8000),
        (20, 0x0082),
        (27, 0x2003),
        (0, 0x8000),
    ]


@pytest.mark.parametrize(
    ("name", "init"),
    [
        ("88e1101", []),
        ("88e1112", [(27, 0x0000), (0, 0x9140), (0, 0x8000)]),
        ("88e1240", [(27, 0x0000), (0, 0x9140), (0, 0x8000)]),
    ],
)
def test_marvell_family_connect_and_start(name: str, init: list[tuple[int, int]]) -> None:
    run = Run(f"sim://{name}@1")
    assert run.dev.drv is not None and run.dev.drv.name == f"Marvell {name.upper()}"
    assert run.init_writes == init
    assert run.run_writes == [*MARVELL_ANEG, AN_BACK_ON]
    assert run.dev.state.name in ("RUNNING", "CHANGELINK")


def test_m88e1111_forced_mode_resets_to_apply_it() -> None:
    def forced(dev: PhyDevice) -> None:
        dev.autoneg, dev.speed, dev.duplex = AUTONEG_DISABLE, 100, DUPLEX_FULL

    run = Run("sim://88e1111@1", setup=forced, seconds=1.5)
    # genphy_setup_forced writes 0x2100; Marvell reads it back and adds the reset bit.
    assert run.run_writes == [*MARVELL_ANEG, (0, 0x2100), (0, 0xA100)]


@pytest.mark.parametrize("name", ["88e1111", "88e1121r"])
def test_marvell_status_comes_from_r17(name: str) -> None:
    # LPA and STAT1000 read 0: generic resolution would say 10/half.
    url = f"sim://{name}@1?partner=1000full&fault=1:stuck:5:0xffff:0&fault=1:stuck:10:0xffff:0"
    run = Run(url, seconds=5)
    assert (run.dev.link, run.dev.speed, run.dev.duplex) == (1, 1000, DUPLEX_FULL)
    generic = Run(url, seconds=5, drivers=[])
    assert generic.dev.drv is not None and generic.dev.drv.name == "Generic PHY"
    assert (generic.dev.link, generic.dev.speed, generic.dev.duplex) == (1, 10, DUPLEX_HALF)


def test_m88e1118_pages() -> None:
    run = Run("sim://88e1118@1")
    assert run.dev.drv is marvell.M88E1118
    assert run.init_writes == [(22, 2), (21, 0x1070), (22, 3), (16, 0x021E), (22, 0), (0, 0x8000)]
    assert run.run_writes == [(0, 0x8000), (16, 0x0060), AN_BACK_ON]
    dev = run.dev
    dev.write(22, 3)
    assert dev.read(16) == 0x021E  # the LED page kept its value through the resets
    dev.write(22, 0)
    assert dev.read(16) == 0x0060


def test_m88e1121r_led_page_and_restored_page() -> None:
    run = Run("sim://88e1121r@1")
    assert run.dev.drv is marvell.M88E1121R
    assert run.init_writes == []
    assert run.run_writes == [
        (0, 0x8000),
        (16, 0x0060),
        (22, 3),
        (16, 0x0030),
        (22, 0),
        AN_BACK_ON,
    ]
    assert run.ops({16, 22})[:5] == [
        ("w", 16, 0x0060),
        ("r", 22),  # saved...
        ("w", 22, 3),
        ("w", 16, 0x0030),
        ("w", 22, 0),  # ...and restored
    ]
    dev = run.dev
    dev.write(22, 3)
    assert dev.read(16) == 0x0030
    dev.write(22, 0)
    assert dev.read(16) == 0x0060


M1145_ERRATA = [(29, 0x001B), (30, 0x418F), (29, 0x0016), (30, 0xA2DA)]


@pytest.mark.parametrize(
    ("interface", "flags", "extra"),
    [
        ("gmii", 1, []),  # the resistance setting only applies in RGMII_ID mode
        ("rgmii_id", 0, [(20, 0x0082)]),
        (
            "rgmii_id",
            1,
            [
                (20, 0x0082),
                (29, 0x0012),
                # r30 reads back the last value written to it (0xa2da): 36/39 ohm fields
                (30, (0xA2DA & 0xF03F) | 2 << 9 | 2 << 6),
                (29, 0x0003),
                (30, 0x8000),
            ],
        ),
    ],
)
def test_m88e1145_errata_and_resistance(
    interface: str, flags: int, extra: list[tuple[int, int]]
) -> None:
    run = Run("sim://88e1145@1", interface=interface, flags=flags)
    assert run.dev.drv is marvell.M88E1145
    assert run.init_writes == M1145_ERRATA + extra
    assert run.run_writes == [*MARVELL_ANEG, AN_BACK_ON]


def test_marvell_interrupts() -> None:
    run = Run("sim://88e1111@1?partner=100full", interrupts=True)
    assert run.dev.irq == 33
    # phy_start_interrupts: ack (read r19), then r18 ← 0x6400.
    assert run.ops({18, 19}, connect=True) == [("r", 19), ("w", 18, 0x6400)]
    # The link-up interrupt: disable, ack, enable; the CHANGELINK tick enables again.
    assert run.ops({18, 19}) == [
        ("w", 18, 0x0000),
        ("r", 19),
        ("w", 18, 0x6400),
        ("w", 18, 0x6400),
    ]
    carrier = run.first("carrier", on=True)
    assert 2.4 < carrier.t < 2.6  # from the interrupt, not from the tick at 3.0


def test_m88e1121r_did_interrupt_ignores_what_is_not_its() -> None:
    run = Run("sim://88e1121r@1?partner=100full", interrupts=True)
    ops = run.ops({18, 19})
    # The soft reset at t=1 raises the line for a moment; did_interrupt reads r19, sees
    # nothing of 0x6400 and leaves the interrupt enabled (no r18 write follows).
    assert ops[0] == ("r", 19) and ops[1] == ("r", 19)
    # The link-up interrupt: did_interrupt reads r19, then disable, ack, enable.
    assert ops[1:] == [
        ("r", 19),
        ("w", 18, 0x0000),
        ("r", 19),
        ("w", 18, 0x6400),
        ("w", 18, 0x6400),  # the CHANGELINK tick enables again
    ]
    assert run.dev.state.name == "RUNNING"


# -- Cicada, Davicom, LXT, QSemi (§4.3-§4.6) --------------------------------------------------------


@pytest.mark.parametrize("name", ["cis8201", "cis8204"])
def test_cicada(name: str) -> None:
    run = Run(f"sim://{name}@1", interrupts=True)
    assert run.dev.drv is (cicada.CIS8201 if name == "cis8201" else cicada.CIS8204)
    assert run.init_writes == [(28, 0x0004), (23, 0x0000), (25, 0xF000)]
    assert run.ops({26}, connect=True) == [("r", 26)]
    assert run.run_writes == []
    assert run.dev.state.name == "RUNNING"


DM9161_INIT = [(0, 0x0400), (16, 0x0610), (18, 0x7800), (0, 0x1000)]


@pytest.mark.parametrize("name", ["dm9161e", "dm9161a"])
@pytest.mark.parametrize("interface", ["mii", "rmii"])
def test_dm9161(name: str, interface: str) -> None:
    run = Run(f"sim://{name}@1", interface=interface)
    assert run.dev.drv is not None and run.dev.drv.name == f"Davicom {name.upper()}"
    init = list(DM9161_INIT)
    if interface == "rmii":
        init[1] = (16, 0x0710)
    assert run.init_writes == init
    # config_aneg isolates, so genphy_config_aneg restarts AN (and de-isolates).
    assert run.run_writes == [(0, 0x0400), (0, 0x1200)]
    assert (run.dev.link, run.dev.speed) == (1, 100)


def test_dm9161_refuses_other_interfaces() -> None:
    pal = Pal("sim://dm9161e@1")
    with pytest.raises(PalError) as exc:
        pal.phy_connect(pal.netdev(), "0:01", interface="rgmii")
    assert exc.value.errno == 22
    writes = [
        (e.data["reg"], e.data["data"]) for e in pal.events.of("mdio") if e.data["op"] == "write"
    ]
    assert writes == [(0, 0x0400)]  # isolated, then refused


def test_dm9131_interrupt_masks_are_active_low() -> None:
    run = Run("sim://dm9131@1?partner=100full", interrupts=True, at=((2.5, unplug),))
    assert run.dev.drv is davicom.DM9131
    # connect: ack (read r21), then read r21 and write it with the 0x0f00 masks cleared
    assert run.ops({21}, connect=True)[:2] == [("r", 21), ("r", 21)]
    assert run.init_writes == [(21, run.reads(21, connect=True)[1] & ~0x0F00)]
    # the unplug interrupt: masks set (disable), ack, masks cleared (enable)
    writes = [v for r, v in run.run_writes if r == 21]
    assert [w & 0x0F00 for w in writes[:2]] == [0x0F00, 0x0000]
    assert run.dev.link == 0
    quiet = Run("sim://dm9131@1")  # no config_init, generic negotiation: nothing written
    assert quiet.init_writes == quiet.run_writes == []


def test_lxt970() -> None:
    run = Run("sim://lxt970@1", interrupts=True)
    assert run.dev.drv is lxt.LXT970
    assert run.init_writes == [(19, 0x0000), (17, 0x0002)]
    # ack reads BMSR, then r18
    assert run.ops({1, 17, 18}, connect=True) == [("r", 1), ("r", 18), ("w", 17, 0x0002)]
    assert run.run_writes == []
    assert (run.dev.link, run.dev.speed) == (1, 100)


def test_lxt971() -> None:
    run = Run("sim://lxt971@1", interrupts=True)
    assert run.dev.drv is lxt.LXT971
    assert run.init_writes == [(18, 0x00F2)]
    assert run.ops({18, 19}, connect=True) == [("r", 19), ("w", 18, 0x00F2)]
    assert run.run_writes == []


def test_qs6612() -> None:
    run = Run("sim://qs6612@1", interrupts=True)
    assert run.dev.drv is qsemi.QS6612
    assert run.init_writes == [(31, 0x0DC0), (30, 0x003A)]
    # ack reads r29, BMSR, EXPANSION
    assert run.ops({1, 6, 29, 30}, connect=True) == [
        ("r", 29),
        ("r", 1),
        ("r", 6),
        ("w", 30, 0x003A),
    ]
    assert run.run_writes == []


# -- SMSC (§4.7) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "drv"),
    [
        ("lan83c185", smsc.LAN83C185),
        ("lan8187", smsc.LAN8187),
        ("lan8700", smsc.LAN8700),
        ("lan911x", smsc.LAN911X_INT),
        ("lan8720a", smsc.LAN8710_26),
    ],
)
def test_smsc_26(name: str, drv: PhyDriver) -> None:
    assert drv.flags == PHY_HAS_INTERRUPT | PHY_HAS_MAGICANEG
    run = Run(f"sim://{name}@1")
    assert run.dev.drv is drv
    assert run.ops(connect=True) == [("r", 29)]  # config_init only acknowledges
    # Pause and Asym_Pause are features: ADVERTISE changes, so AN restarts.
    adv = reset("lan8720a", "ADVERTISE") | 0x0C00
    assert run.run_writes == [(4, adv), (0, reset("lan8720a", "BMCR") | 0x1200)]
    assert (run.dev.link, run.dev.speed, run.dev.duplex) == (1, 100, DUPLEX_FULL)


def test_smsc_26_interrupts() -> None:
    run = Run("sim://lan8720a@1?partner=100full", interrupts=True)
    assert run.ops({29, 30}, connect=True) == [("r", 29), ("r", 29), ("w", 30, 0x0050)]
    # Each interrupt (link down at the AN restart, AN complete): 0, ack, 0x50.
    assert run.ops({29, 30})[:3] == [("w", 30, 0x0000), ("r", 29), ("w", 30, 0x0050)]
    assert 2.4 < run.first("carrier", on=True).t < 2.6


def test_lan8720_modern_connect_and_start() -> None:
    run = Run("sim://lan8720a@1?partner=100full", "linux6", interface="rmii", seconds=3)
    assert run.dev.drv is smsc.LAN8710_MODERN
    assert run.dev.priv["energy_enable"] is True
    bmcr = reset("lan8720a", "BMCR")
    (mcsr,) = run.reads(17, connect=True)  # 0x0002: ENERGYON, a partner is on the cable
    assert run.init_writes == [
        (0, bmcr | 0x8000 | 0x0200),  # soft_reset: generic (the mode was not power-down)
        (17, mcsr | 0x2000),  # config_init: EDPWRDOWN (polling: EDPD stays on)
        (30, 0x0000),  # config_intr (disabled)
    ]
    # v6.12 smsc_phy_config_init no longer reads r29; config_intr off: mask 0, then ack
    assert run.ops({29, 30}, connect=True) == [("w", 30, 0), ("r", 29)]
    wake = [(17, mcsr), (17, mcsr | 0x2000)]  # EDPD off, ENERGYON at the first poll, on
    # v6.12 lan95xx_config_aneg_ext sets r16 bit 0 only for phy_id 0x0007c0f0 exactly;
    # this part reads 0x0007c0f1: no r16 write.  The soft reset restarted AN (1.5 s), so
    # the ticks at 0.06 s and 1.06 s find no link and wake the PHY; 2.06 s finds it.
    assert run.reads(16) == [] and run.run_writes == [*wake, *wake]
    assert (run.dev.link, run.dev.speed) == (1, 100)


def test_lan8720_modern_energy_poll_times_out_after_640ms() -> None:
    run = Run("sim://lan8720a@1?partner=none", "linux6", seconds=0.5)
    ev = Run._mdio(run.run_events)
    r17 = [e for e in ev if e.data["reg"] == 17]
    clear = next(e for e in r17 if e.data["op"] == "write" and not e.data["data"] & 0x2000)
    again = next(e for e in r17 if e.data["op"] == "write" and e.t > clear.t)
    assert again.data["data"] & 0x2000
    assert 0.640 <= again.t - clear.t < 0.660  # 10 ms steps up to 640 ms, no error
    polls = [e for e in r17 if clear.t < e.t < again.t and e.data["op"] == "read"]
    assert 60 <= len(polls) <= 70 and not any(e.data["data"] & 0x0002 for e in polls)
    assert run.dev.state.name == "NOLINK"


def test_lan8720_modern_without_energy_detect() -> None:
    run = Run(
        "sim://lan8720a@1?partner=none",
        "linux6",
        priv={"energy_enable": False},
        interrupts=True,
        seconds=2,
    )
    assert all(reg != 17 for reg, _ in run.init_writes + run.run_writes)
    assert ("w", 30, 0x0050) in run.ops({30}, connect=True)


@pytest.mark.parametrize(("mdix", "bits"), [("mdi", 0x8000), ("mdi-x", 0xA000), ("auto", 0x4000)])
def test_lan8720_modern_mdix(mdix: str, bits: int) -> None:
    run = Run("sim://lan8720a@1", "linux6", priv={"mdix_ctrl": mdix}, seconds=0.5)
    (r27,) = run.reads(27)
    # v6.12 lan87xx_config_aneg: r27 read and written; r16 untouched (ID 0x0007c0f1)
    assert [w for w in run.run_writes if w[0] in (16, 27)] == [(27, (r27 & ~0xE000) | bits)]
    unset = Run("sim://lan8720a@1", "linux6", seconds=0.5)
    assert not [w for w in unset.run_writes if w[0] == 27]  # unspecified: r27 untouched


def test_lan8720_modern_soft_reset_leaves_power_down_mode() -> None:
    # SMR mode bits 7:5 read 110 (power-down): set 111 before the generic reset.
    run = Run("sim://lan8720a@1?fault=1:stuck:18:0x00e0:0x00c0", "linux6", seconds=0.5)
    smr = run.reads(18, connect=True)[0]
    assert smr & 0x00E0 == 0x00C0
    assert run.init_writes[:2] == [(18, smr | 0x00E0), (0, reset("lan8720a", "BMCR") | 0x8200)]
    normal = Run("sim://lan8720a@1", "linux6", seconds=0)
    assert normal.init_writes[0][0] == 0  # mode 111: straight to the BMCR reset


def test_lan8720_modern_interrupts() -> None:
    run = Run("sim://lan8720a@1?partner=100full", "linux6", interrupts=True, seconds=3)
    assert run.dev.irq == 33
    # v6.12 smsc_phy_config_intr: off at phy_init_hw (mask 0, ack), then on at
    # phy_request_interrupt: ack, mask 0x10|0x40 (no ENERGYON source).
    assert run.ops({29, 30}, connect=True) == [
        ("w", 30, 0x0000),
        ("r", 29),
        ("r", 29),
        ("w", 30, 0x0050),
    ]
    # v6.12 smsc_phy_config_init: EDPD off in interrupt mode (r17 read, bit 13 already
    # clear: no write), so read_status never wakes the PHY (no r17 access after start).
    assert run.ops({17}, connect=True) == [("r", 17)] and run.ops({17}) == []
    # smsc_phy_handle_interrupt reads r29 alone; the link comes up from the interrupt.
    assert ("r", 30) not in run.ops({29, 30}) and run.ops({29, 30})[:1] == [("r", 29)]
    carrier = run.first("carrier", on=True)
    assert 1.4 < carrier.t < 1.6 and run.dev.state.name == "RUNNING"


# -- Realtek (§4.11) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "iner"),
    [("rtl8211b", 0x6400), ("rtl8211dn", 0x0400), ("rtl8211e", 0x0400)],
)
def test_rtl8211b_e_interrupts(name: str, iner: int) -> None:
    run = Run(
        f"sim://{name}@1?partner=100full", interrupts=True, at=((2.5, unplug),), drivers=REFERENCE
    )
    assert run.dev.drv is not None and run.dev.drv.model == name
    assert run.init_writes == [(18, iner)]
    assert run.ops({18, 19}, connect=True) == [("r", 19), ("w", 18, iner)]
    assert run.ops({18, 19})[:3] == [("w", 18, 0), ("r", 19), ("w", 18, iner)]
    assert 2.5 <= run.first("carrier", on=False).t < 2.6


def test_rtl8201cp_binds_with_its_short_mask() -> None:
    run = Run("sim://rtl8201cp@1", drivers=REFERENCE)
    assert run.dev.drv is realtek.RTL8201CP and run.init_writes == run.run_writes == []
    assert (run.dev.link, run.dev.speed) == (1, 100)


TXCR = reset("rtl8211f", "0xd08:0x11")


@pytest.mark.parametrize(
    ("interface", "tx_delay"),
    [("rgmii_id", True), ("rgmii_txid", True), ("rgmii_rxid", False), ("rgmii", False)],
)
def test_rtl8211f_config_init_tx_delay(interface: str, tx_delay: bool) -> None:
    run = Run("sim://rtl8211f@1", interface=interface, drivers=REFERENCE)
    value = TXCR | 0x0100 if tx_delay else TXCR & ~0x0100
    assert run.init_writes == [(31, 0x0D08), (17, value), (31, 0x0000)]
    assert run.run_writes == []
    dev = run.dev
    assert dev.read_paged(31, 0xD08, 0x11) & 0x0100 == (0x0100 if tx_delay else 0)


def test_rtl8211f_clears_a_tx_delay_it_does_not_want() -> None:
    run = Run(
        "sim://rtl8211f@1?fault=1:stuck:17:0x0100:0x0100", interface="rgmii_rxid", drivers=REFERENCE
    )
    assert run.init_writes[1] == (17, (TXCR | 0x0100) & ~0x0100)


def test_rtl8211f_paged_interrupt_ack() -> None:
    run = Run(
        "sim://rtl8211f@1?partner=100full", interrupts=True, interface="rgmii_id", drivers=REFERENCE
    )
    assert run.ops({18, 29, 31}, connect=True) == [
        ("w", 31, 0x0D08),  # config_init
        ("w", 31, 0x0000),
        ("w", 31, 0x0A43),  # ack
        ("r", 29),
        ("w", 31, 0x0000),
        ("w", 18, 0x0010),
    ]


# -- TI (§4.9, §4.10) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "drv"),
    [
        ("dp83848ti", ti.TI_DP83848C),
        ("dp83848", ti.NS_DP83848C),
        ("dp83620", ti.TI_DP83620),
        ("tlk105", ti.TI_TLK10X),
    ],
)
def test_dp83848_family_interrupts(name: str, drv: PhyDriver) -> None:
    run = Run(
        f"sim://{name}@1?partner=100full", interrupts=True, at=((2.5, unplug),), drivers=REFERENCE
    )
    assert run.dev.drv is drv and run.dev.irq == 33
    assert run.init_writes == [(0x12, 0x003C), (0x11, 0x0003)]
    # ack (read MISR), then config_intr: read MICR, MISR ← 0x3c, MICR |= 3
    assert run.ops({0x11, 0x12}, connect=True) == [
        ("r", 0x12),
        ("r", 0x11),
        ("w", 0x12, 0x003C),
        ("w", 0x11, 0x0003),
    ]
    # the unplug: MICR &= ~INTEN, ack, then enabled again
    assert run.ops({0x11, 0x12})[:6] == [
        ("r", 0x11),
        ("w", 0x11, 0x0001),
        ("r", 0x12),
        ("r", 0x11),
        ("w", 0x12, 0x003C),
        ("w", 0x11, 0x0003),
    ]
    assert run.first("carrier", on=False).t == pytest.approx(2.5, abs=0.01)
    quiet = Run(
        f"sim://{name}@1", drivers=REFERENCE
    )  # polling: generic negotiation, nothing written
    assert quiet.init_writes == quiet.run_writes == []


def test_dp83848_modern_soft_reset_and_interrupts() -> None:
    run = Run("sim://dp83848@1?partner=100full", "linux6", interrupts=True, seconds=3)
    bmcr = reset("dp83848", "BMCR")
    assert run.init_writes == [(0, bmcr | 0x8200), (0x11, 0x0000), (0x12, 0x003C), (0x11, 0x0003)]
    assert run.ops({0x12})[0] == ("r", 0x12)  # handle_interrupt
    assert 1.4 < run.first("carrier", on=True).t < 1.6


def test_dp83620_takes_autoneg_off_from_bmcr() -> None:
    url = "fault=1:stuck:0:0x1000:0"  # BMCR reads AN disabled
    ti620 = Run(f"sim://dp83620@1?{url}", seconds=0, drivers=REFERENCE)
    ti848 = Run(f"sim://dp83848ti@1?{url}", seconds=0, drivers=REFERENCE)
    assert ti620.dev.autoneg == AUTONEG_DISABLE and ti848.dev.autoneg == AUTONEG_ENABLE


PHYCR = reset("dp83867", "PHYCR")
DELAYS = {"ti,rx-internal-delay": 7, "ti,tx-internal-delay": 8}


@pytest.mark.parametrize(
    ("interface", "ctl"),
    [("rgmii_id", 0x0003), ("rgmii_txid", 0x0002), ("rgmii_rxid", 0x0001), ("rgmii", 0x0000)],
)
def test_dp83867_config_init(interface: str, ctl: int) -> None:
    run = Run("sim://dp83867@1", interface=interface, priv=DELAYS, drivers=REFERENCE)
    assert run.dev.drv is ti.DP83867
    w = run.init_writes
    phycr = (PHYCR & ~0xC000) | 1 << 14  # TX FIFO depth 1 (4 bytes/nibbles)
    rgmiictl = reset("dp83867", "RGMIICTL")
    delay = 7 | 8 << 4  # the board's delays are loaded whatever the mode enables
    assert [x for x in w if x[0] not in (13, 14)] == [
        (0x14, reset("dp83867", "CFG2") | 0x0300),  # downshift
        (0x10, phycr),
        (0x10, phycr),  # STRAP_STS1 bit 11 clear: unchanged
        (0x1E, reset("dp83867", "CFG3") | 0x0200),  # robust auto-MDIX; no IRQ
    ]
    assert mmd_writes(w) == [
        (0x1F, 0x32, (rgmiictl & ~0x3) | ctl),
        (0x1F, 0x86, delay),
    ]
    assert run.run_writes == []


def test_dp83867_strap_reserved_bit_clears_phycr_bit_11() -> None:
    # PHYCR and every r14 read (so STRAP_STS1) show bit 11.
    run = Run(
        "sim://dp83867@1?fault=1:stuck:16:0x0800:0x0800&fault=1:stuck:14:0x0800:0x0800",
        interface="rgmii_id",
        priv=DELAYS,
        drivers=REFERENCE,
    )
    phycr = [v for r, v in run.init_writes if r == 0x10]
    assert [p & 0x0800 for p in phycr] == [0x0800, 0x0000]


def test_dp83867_needs_the_delays_its_mode_uses() -> None:
    pal = Pal("sim://dp83867@1", drivers=REFERENCE)
    pal.device("0:01").priv["ti,tx-internal-delay"] = 8
    with pytest.raises(PalError, match="ti,rx-internal-delay") as exc:
        pal.phy_connect(pal.netdev(), "0:01", interface="rgmii_id")
    assert exc.value.errno == 22


def test_dp83867_status_comes_from_physts() -> None:
    url = "sim://dp83867@1?partner=1000full&fault=1:stuck:5:0xffff:0&fault=1:stuck:10:0xffff:0"
    run = Run(url, interface="rgmii", seconds=6, drivers=REFERENCE)
    assert (run.dev.link, run.dev.speed, run.dev.duplex) == (1, 1000, DUPLEX_FULL)
    generic = Run(url, interface="rgmii", seconds=6, drivers=[])
    assert (generic.dev.speed, generic.dev.duplex) == (10, DUPLEX_HALF)


def test_dp83867_modern_reset_and_interrupts() -> None:
    run = Run(
        "sim://dp83867@1?partner=1000full", "linux6", interface="rgmii", interrupts=True, seconds=3
    )
    assert run.dev.irq == 33
    w = [x for x in run.init_writes if x[0] not in (13, 14)]
    # v6.12 dp83867_phy_reset: SW_RESET; PHYCR bit 10 already clear: no write; DSP FFE
    # (MMD 0x1f 0x12c ← 0x0e81); SW_RESTART.
    assert w[:2] == [(0x1F, 0x8000), (0x1F, 0x4000)]
    assert (0x1F, 0x012C, 0x0E81) in mmd_writes(run.init_writes)
    assert (0x1E, reset("dp83867", "CFG3") | 0x0200 | 0x0080) in w  # INT_OE with an IRQ
    # config_intr off at phy_init_hw (MICR ← 0), on from dp83867_resume at attach (the
    # PHY has a line), on again at phy_request_interrupt: read, |= 0xEC10
    on = [("r", 0x12), ("w", 0x12, 0xEC10)]
    assert run.ops({0x12}, connect=True) == [("w", 0x12, 0), *on, *on]
    # handle_interrupt: ISR, then MICR; link up from the interrupt, 1000 from PHYSTS
    assert run.ops({0x12, 0x13})[:2] == [("r", 0x13), ("r", 0x12)]
    assert 2.4 < run.first("carrier", on=True).t < 2.6
    assert (run.dev.speed, run.dev.duplex) == (1000, DUPLEX_FULL)


def test_dp83867_26_interrupts() -> None:
    run = Run(
        "sim://dp83867@1?partner=100full",
        interface="rgmii",
        interrupts=True,
        seconds=1,
        drivers=REFERENCE,
    )
    assert run.ops({0x12, 0x13}, connect=True) == [("r", 0x13), ("r", 0x12), ("w", 0x12, 0xEC10)]


# -- Micrel (§4.12) -------------------------------------------------------------------------------

FLP = [(0, 4, 0x0006), (0, 3, 0x1A80)]
EDPD_ON = (0x1C, 0x23, reset("ksz9031", "EDPD.EDPD_CTRL") | 1)  # v6 always enables EDPD
BMCR_KSZ = reset("ksz9031", "BMCR")


def test_ksz9031_connect_and_start() -> None:
    run = Run("sim://ksz9031@1?partner=100full", drivers=REFERENCE)
    assert run.dev.drv is micrel.KSZ9031
    assert mmd_writes(run.init_writes) == FLP
    assert run.init_writes[-1] == (0, BMCR_KSZ | 0x1200)  # restart AN
    assert len(run.init_writes) == 9  # two MMD writes and the restart, nothing else
    # Pause but never Asym_Pause: ADVERTISE gains 0x0400 only, then AN restarts.
    assert run.run_writes == [(4, reset("ksz9031", "ADVERTISE") | 0x0400), (0, BMCR_KSZ | 0x1200)]
    assert (run.dev.link, run.dev.speed) == (1, 100)


def test_ksz9031_modern_features() -> None:
    run = Run("sim://ksz9031@1", "linux6", seconds=0)
    assert run.dev.drv is micrel.KSZ9031_MODERN
    assert (
        run.dev.supported & SUPPORTED["Pause"] and run.dev.supported & SUPPORTED["1000baseT_Full"]
    )
    assert not run.dev.supported & SUPPORTED["Asym_Pause"]
    assert mmd_writes(run.init_writes) == [EDPD_ON, *FLP]


def test_ksz9031_board_settings() -> None:
    priv = {
        "rxc-skew-ps": 1860,  # 31
        "txc-skew-ps": 0,  # both clock fields given: written from scratch
        "rxd0-skew-ps": 0,  # one data field: merged into the current value
        "micrel,force-master": True,
        "edpd": True,
    }
    run = Run("sim://ksz9031@1", priv=priv, drivers=REFERENCE)
    rxd = reset("ksz9031", "PAD_SKEW.RX_DATA_PAD_SKEW")
    edpd = reset("ksz9031", "EDPD.EDPD_CTRL")
    assert mmd_writes(run.init_writes) == [
        (0x1C, 0x23, edpd | 1),
        (2, 8, 31),
        (2, 5, rxd & ~0x000F),
        *FLP,
    ]
    ctrl1000 = reset("ksz9031", "CTRL1000") | 0x1800
    assert run.init_writes.index((9, ctrl1000)) < run.init_writes.index((13, 0x4000))


@pytest.mark.parametrize(
    ("interface", "control", "rx_data", "tx_data", "clock"),
    [
        # (RX_CTL << 4 | TX_CTL, RXD3..0, TXD3..0, TX clock << 5 | RX clock), 60 ps steps
        ("rgmii", 0xC7, 0xCCCC, 0x7777, 0x0F << 5 | 0x00),
        ("rgmii-id", 0x70, 0x7777, 0x0000, 0x1F << 5 | 0x19),
        ("rgmii-rxid", 0x77, 0x7777, 0x7777, 0x0F << 5 | 0x19),
        ("rgmii-txid", 0xC0, 0xCCCC, 0x0000, 0x1F << 5 | 0x00),
    ],
)
def test_ksz9031_v6_rgmii_delays(
    interface: str, control: int, rx_data: int, tx_data: int, clock: int
) -> None:
    """v6 (Linux >= 5.9) on a board with a device-tree node programs the RGMII delays of
    the interface mode into MMD 2 before anything else of the board's."""
    run = Run("sim://ksz9031@1", "linux6", interface=interface, priv={"of_node": True}, seconds=0)
    assert mmd_writes(run.init_writes) == [
        EDPD_ON,
        (2, 4, control),
        (2, 5, rx_data),
        (2, 6, tx_data),
        (2, 8, clock),
        *FLP,
    ]


def test_ksz9031_v6_board_skews_over_the_delays_and_nothing_without_a_device_tree() -> None:
    # A partial clock skew is merged into the register the delays just wrote.
    run = Run("sim://ksz9031@1", "linux6", interface="rgmii-id", priv={"txc-skew-ps": 0}, seconds=0)
    writes = mmd_writes(run.init_writes)
    assert writes[:5] == [EDPD_ON, (2, 4, 0x70), (2, 5, 0x7777), (2, 6, 0x0000), (2, 8, 0x3F9)]
    assert writes[5:] == [(2, 8, 0x019), *FLP]
    # No device-tree node (a PC board): no delays, no skews, and GMII never has delays.
    for interface, priv in (("rgmii-id", {}), ("gmii", {"of_node": True})):
        run = Run("sim://ksz9031@1", "linux6", interface=interface, priv=priv, seconds=0)
        assert mmd_writes(run.init_writes) == [EDPD_ON, *FLP]
    # The first form predates the delays.
    run = Run(
        "sim://ksz9031@1",
        interface="rgmii-id",
        priv={"of_node": True},
        seconds=0,
        drivers=REFERENCE,
    )
    assert mmd_writes(run.init_writes) == FLP


def test_ksz9031_idle_error_count_reinitialises() -> None:
    run = Run(
        "sim://ksz9031@1?partner=100full&fault=1:stuck:10:0x00ff:0x00ff",
        seconds=5,
        drivers=REFERENCE,
    )
    # Each status read finds 0xFF: config_init (FLP centring) runs again, link reported down.
    assert mmd_writes(run.run_writes).count(FLP[0]) >= 2
    assert run.dev.link == 0
    assert not [e for e in run.pal.events.of("carrier") if e.data["on"]]


def test_ksz9031_interrupts() -> None:
    run = Run("sim://ksz9031@1?partner=100full", interrupts=True, seconds=0, drivers=REFERENCE)
    phycon = [op for op in run.ops({0x1B, 0x1F}, connect=True)]
    assert phycon[0] == ("r", 0x1B)  # phy_start_interrupts: ack
    assert phycon[1] == ("r", 0x1F) and phycon[2][:2] == ("w", 0x1F) and not phycon[2][2] & 0x4000
    assert phycon[3:] == [("r", 0x1B), ("w", 0x1B, 0x0500)]
