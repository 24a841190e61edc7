# SPDX-License-Identifier: GPL-2.0-only
"""The simulator's partner strings and scripted scenarios, pinned exactly (issue 23:
mutants of physcapy/sim/partner.py and physcapy/sim/phy.py).

The golden part writes forced modes, AN restarts, power-down, isolate, loopback and
reset to parts of every kind (and the Clause 45 AN/PMA/PCS controls to Clause 45 parts)
against partners that negotiate, force a mode or are absent, reads the status registers
as time passes, and compares every value with tests/data/sim_golden.json.  After a
deliberate change, review the difference and rewrite the file with
``python -m tests.test_mutants_sim``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from physcapy import open_bus
from physcapy.errors import UnknownNameError
from physcapy.mdio.frames import Frame
from physcapy.registers.models import model
from physcapy.sim.config import sim_config
from physcapy.sim.partner import ABILITIES, DEFAULT_ABILITIES, LinkPartner

CHOICES = "10full, 10half, 100full, 100half, 1000full, 1000half, 2500full, 5000full, 10000full"


@pytest.mark.parametrize(
    ("text", "abilities", "forced", "master", "shown"),
    [
        ("100full", {"100full"}, None, "auto", "100full"),
        (" 100FULL , pause,asym ", {"100full", "pause", "asym_pause"}, None, "auto", "100full,pause,asym_pause"),
        ("1000,np,slave", {"1000full", "next_page"}, None, "slave", "1000full,next_page"),
        ("10g,5g,2.5g,2500,10,100,master", {"10000full", "5000full", "2500full", "10full", "100full"},
         None, "master", "10000full,5000full,2500full,100full,10full"),
        ("10gfull", {"10000full"}, None, "auto", "10000full"),
        ("all,slave", set(ABILITIES), None, "slave", ",".join(ABILITIES)),
        ("master,100full,slave", {"100full"}, None, "slave", "100full"),
        ("forced-100full", {"100full"}, "100full", "auto", "forced-100full"),
        ("forced_10half,pause", {"10half", "pause"}, "10half", "auto", "forced-10half"),
        ("forced-1000", {"1000full"}, "1000full", "auto", "forced-1000full"),
        ("all", set(ABILITIES), None, "auto", ",".join(ABILITIES)),
    ],
)  # fmt: skip
def test_partner_strings(
    text: str, abilities: set[str], forced: str | None, master: str, shown: str
) -> None:
    p = LinkPartner.parse(text)
    assert p is not None
    assert (set(p.abilities), p.forced, p.master, p.plugged, p.autoneg) == (
        abilities, forced, master, True, forced is None,
    )  # fmt: skip
    assert str(p) == shown


@pytest.mark.parametrize("text", ["none", " None ", "UNPLUGGED"])
def test_no_cable(text: str) -> None:
    assert LinkPartner.parse(text) is None


def test_partner_defaults_and_an_unplugged_one() -> None:
    p = LinkPartner()
    assert (p.abilities, p.forced, p.plugged, p.master, p.multiport, p.remote_fault) == (
        DEFAULT_ABILITIES, None, True, "auto", True, False,
    )  # fmt: skip
    assert str(LinkPartner(plugged=False)) == "unplugged"
    assert str(LinkPartner(forced="10full", plugged=False)) == "unplugged"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"unknown partner '': choose from {CHOICES}, asym_pause, forced-<mode>, next_page, none, "
             "pause (write partner=none for no cable)"),
        ("  ", "unknown partner ''"),
        ("forced-42full", "unknown forced partner mode '42full': did you mean 2500full, 10full, "
                          f"100full? (choose from {CHOICES})"),
        ("forced-100full,forced-10half", "unknown partner 'forced-100full,forced-10half': did you mean"),
        ("forced-100full,forced-10half", "(a forced partner has exactly one mode)"),
        ("foo", f"unknown partner ability 'foo': choose from {CHOICES}, asym_pause, forced-<mode>, "
                "master, next_page, none, pause, slave"),
        ("pause", f"unknown partner (no speed given) 'pause': choose from {CHOICES} "
                  "(name at least one of these)"),
        ("master,slave", "unknown partner (no speed given) 'master,slave'"),
    ],
)  # fmt: skip
def test_bad_partner_strings_name_the_value_and_the_choices(text: str, message: str) -> None:
    with pytest.raises(UnknownNameError) as exc:
        LinkPartner.parse(text)
    assert message in str(exc.value)
    assert str(exc.value).startswith("unknown ")


def test_repr_shows_model_address_link_and_partner() -> None:
    assert repr(open_bus("sim://lan8720a@1").phy(1)) == (
        "<SimPhy lan8720a@1 link 100full, partner 1000full,100full,100half,10full,10half,pause,asym_pause>"
    )
    assert repr(open_bus("sim://rtl8211f@3?partner=none").phy(3)) == (
        "<SimPhy rtl8211f@3 no link, partner None>"
    )


def test_a_scripted_action_runs_when_the_phy_catches_up_with_the_clock() -> None:
    bus = open_bus("sim://lan8720a@1")
    phy = bus.phy(1)
    start = bus.clock.time()
    phy.at(start + 0.5, phy.unplug)
    assert bus.read(1, 1) & 0x0004  # link up, the action is not due
    assert phy.next_event_time() == pytest.approx(start + 0.5)
    bus.clock.advance(0.6)
    assert bus.read(1, 1) & 0x0004 == 0  # latched low: the cable went at +0.5 s
    assert repr(phy) == "<SimPhy lan8720a@1 no link, partner None>"


def test_clause45_frames_on_a_clause45_part_and_on_a_clause22_only_one() -> None:
    c45 = open_bus("sim://generic-c45@1")
    got = c45.batch([Frame(45, "address", 1, 3, 7), Frame(45, "write", 1, 3, 0x1234),
                     Frame(45, "read", 1, 3), Frame(45, "read_inc", 1, 3), Frame(45, "read", 1, 3),
                     Frame(45, "address", 1, 1, 0xFFFF), Frame(45, "read_inc", 1, 1),
                     Frame(45, "read", 1, 1)])  # fmt: skip
    # 3.7 (PCS control 2) keeps its value; read_inc moves to 3.8 (status 2), and from
    # 1.0xffff wraps to 1.0 (PMA control 1).
    assert [(f.data, f.ta_ok) for f in got][2:] == [
        (4, True), (4, True), (0x8000, True), (0xFFFF, True), (0, True), (0x2040, True),
    ]  # fmt: skip
    c22 = open_bus("sim://generic@1")
    (read,) = c22.batch([Frame(45, "read", 1, 3)])
    assert (read.data, read.ta_ok) == (0xFFFF, False)  # no Clause 45 here: nobody answers


def test_clause45_writes_during_a_reset_are_lost_until_it_ends() -> None:
    bus = open_bus("sim://generic-c45@1")
    phy = bus.phy(1)
    assert phy.next_event_time() is None
    bus.clock.advance(10)

    def write_read(value: int) -> int:
        bus.c45_address(1, 7, 0x10)
        bus.c45_write(1, 7, value)
        bus.c45_address(1, 7, 0x10)
        return bus.c45_read(1, 7)

    bus.c45_address(1, 1, 0)
    bus.c45_write(1, 1, 0x8000)  # PMA/PMD reset (45.2.1.1.1)
    assert write_read(0x0DE1) == 0x0181  # lost: the advertisement keeps its reset value
    bus.clock.advance(phy.resetting_until - bus.clock.time())  # the reset's last instant
    assert write_read(0x0DE1) == 0x0DE1


# -- the simulator's registers through forced modes, AN, resets and power states -----------

GOLDEN = Path(__file__).parent / "data" / "sim_golden.json"
C22_MODELS = [
    "generic",
    "lan8720a",
    "rtl8211f",
    "88e1111",
    "dp83848",
    "bcm54213pe",
    "yt8521",
    "ksz9031",
]
C45_MODELS = ["generic-c45", "aqr113c"]
PARTNERS = [
    "",
    "100half",
    "forced-100full",
    "1000half,100full",
    "2500full,100full",
    "5000full,10full",
    "10000full,asym",
    "forced-10half",
    "10full,100full,pause",
    "1000full,master",
    "none",
]
#: BMCR writes: forced 100/full, 10/half, 1000/full, AN restart, power down, isolate,
#: loopback, reset, AN on without restart, then AN back on with a restart.
BMCR = [
    0x2100,
    0x0000,
    0x0140,
    0x1200,
    0x1800,
    0x1600,
    0x5140,
    0x8000,
    0x1000,
    0x3300,
    0x0001,
    0x1001,
    0x2001,
    0x0041,
    0x1000,
    0x8001,
    0x1000,
]  # (bit 0 tells masks apart)
C22_READS = [0, 1, 1, 4, 5, 6, 9, 10, 15, 0x1F]
C45_WRITES = [(7, 0, 0x1200), (7, 0, 0x0000), (7, 0, 0x3000), (1, 0, 0x0800), (1, 0, 0x0000),
              (3, 0, 0x8000), (7, 0x10, 0x0001), (7, 0, 0x1200), (7, 0x20, 0x0000), (7, 0, 0x1200),
              (7, 0, 0x0001), (7, 0, 0x1001), (7, 0, 0x0201), (7, 0, 0x1000), (3, 0, 0x0001),
              (1, 0, 0x8001)]  # fmt: skip
#: 13/14 accesses (22.2.4.3.11): address, data, post-increment on read and write, on write
#: only, wrapping at 0xFFFF; (register, value or None for a read).
MMD = [(13, 0x0007), (14, 0xFFFF), (13, 0x8007), (14, None), (14, None), (13, None),
       (13, 0x0003), (14, 0x0014), (13, 0xC003), (14, 0x0000), (14, None), (13, 0x0003),
       (14, None), (13, 0x4003), (14, None), (14, 0x1234), (14, None), (13, 0x0001), (14, 0x0000),
       (13, 0x4001), (14, None), (13, 0x401F), (14, None)]  # fmt: skip
C45_READS = [(1, 1), (1, 1), (3, 1), (7, 0), (7, 1), (7, 1), (7, 0x13), (7, 0x21), (1, 0), (3, 0)]


def sim_trace(name: str, partner: str) -> list[str]:
    url = f"sim://{name}@1" + (f"?partner={partner}" if partner else "")
    bus = open_bus(url)
    lines = []
    c45 = name in C45_MODELS
    for i, write in enumerate(C45_WRITES if c45 else BMCR):
        if c45:
            devad, reg, value = write  # type: ignore[misc]
            bus.c45_address(1, devad, reg)
            bus.c45_write(1, devad, value)
        else:
            bus.write(1, 0, write)  # type: ignore[arg-type]
        for step in (0.0, 0.3, 1.0, 3.5):
            bus.clock.advance(step)
            if c45:
                values = []
                for devad, reg in C45_READS:
                    bus.c45_address(1, devad, reg)
                    values.append(bus.c45_read(1, devad))
            else:
                values = [bus.read(1, reg) for reg in C22_READS]
            lines.append(f"{i} +{step}: " + " ".join(f"{v:04x}" for v in values))
    if not c45:
        got = []
        for reg, value in MMD:
            if value is None:
                got.append(f"{reg}={bus.read(1, reg):04x}")
            else:
                bus.write(1, reg, value)
        lines.append("mmd " + " ".join(got))
    lines.append(repr(bus.phy(1)))
    return lines


CASES = [f"{m} {p}".strip() for m in C22_MODELS + C45_MODELS for p in PARTNERS]


@pytest.mark.parametrize("case", CASES)
def test_sim_registers_match_the_pinned_golden_file(case: str) -> None:
    name, _, partner = case.partition(" ")
    expected = json.loads(GOLDEN.read_text())[case]
    got = sim_trace(name, partner)
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        assert g == e, f"line {i + 1}"
    assert len(got) == len(expected)


# -- interrupt status, enables and the pin ---------------------------------------------------

IRQ_MODELS = ["lan8720a", "dm9161e", "bcm54213pe", "cis8201", "ksz9031", "dp83867", "lxt971",
              "88e1111", "tja1102"]  # fmt: skip


def irq_trace(name: str, partner: str = "") -> list[str]:
    """Status reads and pin changes through enables all set, all clear, cable events and
    (for a gigabit part) a forced MASTER against a MASTER partner (40.5.2: a fault)."""
    bus = open_bus(f"sim://{name}@1" + (f"?partner={partner}" if partner else ""))
    ints = sim_config(model(name)).interrupts
    assert ints is not None
    pin: list[str] = []
    bus.connect_interrupt(1, lambda addr, level: pin.append(f"{bus.clock.time():.4f}:{int(level)}"))
    status, enable = ints.status.address, (ints.enable or ints.status).address
    lines = []

    def step(what: str, seconds: float = 0.0) -> None:
        bus.clock.advance(seconds)
        lines.append(f"{what}: {status}={bus.read(1, status):04x} pin {' '.join(pin)}")
        pin.clear()

    step("start")
    bus.write(1, enable, 0xFFFF)
    step("all enabled, +3 s", 3.0)
    if partner:  # (before the cable events: a plug brings the default partner back)
        bus.write(1, 9, 0x1B00)  # manual MASTER
        bus.write(1, 0, 0x1340)
        step("forced MASTER, AN restarted, +3 s", 3.0)
    bus.unplug(1)
    step("unplugged, +1 s", 1.0)
    bus.write(1, enable, 0x0000)
    bus.plug(1)
    step("enables clear, plugged, +3 s", 3.0)
    bus.write(1, enable, 0xFFFF)
    step("enabled again")
    step("read again")
    lines.append(repr(bus.phy(1)))
    return lines


@pytest.mark.parametrize("name", [*IRQ_MODELS, "88e1111 1000full,master", "dp83867 1000full,slave"])
def test_interrupts_match_the_pinned_golden_file(name: str) -> None:
    expected = json.loads(GOLDEN.read_text())["irq " + name]
    assert irq_trace(*name.split(" ")) == expected


if __name__ == "__main__":
    golden = {c: sim_trace(*(c.partition(" ")[::2])) for c in CASES}
    for n in [*IRQ_MODELS, "88e1111 1000full,master", "dp83867 1000full,slave"]:
        golden["irq " + n] = irq_trace(*n.split(" "))
    GOLDEN.write_text(json.dumps(golden, indent=0) + "\n")
