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
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from physcapy import open_bus
from physcapy.bus.clock import VirtualClock
from physcapy.errors import UnknownNameError
from physcapy.mdio.frames import Frame
from physcapy.registers.models import Model, model
from physcapy.sim.config import sim_config
from physcapy.sim.partner import ABILITIES, DEFAULT_ABILITIES, LinkPartner
from physcapy.sim.phy import SimPhy

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


# -- access semantics, timing and negotiation corners, one PHY on a virtual clock -----------
# (SimPhy directly: bus frames take 25.6 us each, these tests need exact instants.)


def sim_phy(name: str, partner: str = "", m: Model | None = None, **kw: Any) -> SimPhy:
    """One simulated PHY at address 1 on its own virtual clock (partner "" = a switch port)."""
    far = LinkPartner() if partner == "" else LinkPartner.parse(partner)
    return SimPhy(m or model(name), 1, VirtualClock(), far, **kw)


def at(phy: SimPhy, when: float) -> None:
    """Move the PHY's virtual clock to ``when`` exactly."""
    phy.clock.now = when  # type: ignore[attr-defined]


def variant(name: str, reg: int, reset: int) -> Model:
    """Model ``name`` with Clause 22 register ``reg`` resetting to ``reset`` (a strap)."""
    m = model(name)
    regs = dict(m.registers)
    regs[reg] = replace(regs[reg], reset=reset)
    return replace(m, registers=regs)


def test_clause45_frames_at_the_instant_a_reset_ends_see_the_reset_done() -> None:
    """45.2.1.1.1: 1.0.15 self-clears when the reset is done; a frame at that very instant
    sees the registers at their defaults and its write sticks.  Address and write frames
    are the station's: the line carries its data (and TA) even while a write is ignored."""
    phy = sim_phy("generic-c45")
    assert phy.c45(0, 7, 0x10) == (0x10, True)
    assert phy.c45(1, 7, 0x0DE1) == (0x0DE1, True)
    assert phy.c45(0, 1, 0) == (0, True)
    assert phy.c45(1, 1, 0x8000) == (0x8000, True)
    assert phy.c45(3, 1, 0)[0] & 0x8000  # resetting
    assert phy.c45(0, 7, 0x10) == (0x10, True)
    assert phy.c45(1, 7, 0x0041) == (0x0041, True)  # ignored: the reset is running
    at(phy, phy.resetting_until)
    assert phy.c45(3, 7, 0) == (0x3000, True)  # the MMD addresses reset to 0 as well
    phy.c45(0, 7, 0x10)
    assert phy.c45(3, 7, 0) == (0x0181, True)  # the advertisement is back at its default
    assert phy.c45(1, 7, 0x0DE1) == (0x0DE1, True)
    phy.clock.advance(1.0)
    assert phy.c45(3, 7, 0) == (0x0DE1, True)
    assert phy.c45(0, 1, 0) == (0, True) and phy.c45(3, 1, 0) == (0x2040, True)


def test_pma_loopback_is_neither_a_reset_nor_an_an_restart() -> None:
    """1.0.0 is PMA local loopback (45.2.1.1.5): setting it resets nothing and does not
    renegotiate; neither does rewriting 7.0 with AN enable as it was (45.2.7.1)."""
    phy = sim_phy("generic-c45")
    phy.c45(0, 7, 0x10)
    phy.c45(1, 7, 0x0DE1)
    phy.c45(0, 1, 0)
    phy.c45(1, 1, 0x2041)
    phy.c45(0, 7, 0)
    phy.c45(1, 7, 0x3000)
    phy.clock.advance(0.001)
    assert phy.link and phy.c45(3, 7, 0)[0] == 0x3000
    phy.c45(0, 1, 0)
    assert phy.c45(3, 1, 0)[0] == 0x2041
    phy.c45(0, 7, 0x10)
    assert phy.c45(3, 7, 0)[0] == 0x0DE1


def test_an_restart_bits_self_clear_after_restart_time() -> None:
    """22.2.4.1.7 and 45.2.7.1.2: restart AN reads 1 until the restart is done; a later
    BMCR write does not clear it early."""
    phy = sim_phy("generic-c45")
    t = phy.clock.time()
    phy.c45(0, 7, 0)
    phy.c45(1, 7, 0x3200)
    assert phy.c45(3, 7, 0)[0] == 0x3200
    at(phy, t + phy.config.restart_time * 0.9)
    assert phy.c45(3, 7, 0)[0] == 0x3200
    at(phy, t + phy.config.restart_time)
    assert phy.c45(3, 7, 0)[0] == 0x3000
    c22 = sim_phy("generic")
    t = c22.clock.time()
    c22.write(0, 0x1140)  # no restart requested
    at(c22, t + c22.config.restart_time / 2)
    c22.write(0, 0x1340)
    at(c22, t + c22.config.restart_time * 1.2)
    assert c22.read(0) == 0x1340  # its own restart is not done yet
    at(c22, t + c22.config.restart_time * 1.5)
    assert c22.read(0) == 0x1140


def test_base_t1_links_only_with_opposite_forced_roles() -> None:
    """96.5 / 97: a BASE-T1 link needs one MASTER and one SLAVE (no AN to resolve it)."""
    for local, far, link in [(0x8000, "slave", True), (0x0000, "slave", False),
                             (0x0000, "master", True), (0x8000, "master", False)]:  # fmt: skip
        phy = sim_phy("tja1102", f"forced-100full,{far}")
        phy.write(18, local | (phy.read(18) & 0x7FFF))
        phy.clock.advance(0.2)
        assert (phy.link, phy.master) == (link, bool(local) if link else phy.master), (local, far)


def test_base_t1_role_clash_raises_the_ms_fault_interrupt_source() -> None:
    """A role clash is an event like a MASTER-SLAVE fault: with the part's interrupt
    configuration naming an ms_fault source it latches there and drives the pin."""
    m = model("tja1102")
    cfg = sim_config(m)
    assert cfg.interrupts is not None
    ints = replace(cfg.interrupts, events={**cfg.interrupts.events,
                                            "ms_fault": cfg.interrupts.status.field("temp_err")})  # fmt: skip
    phy = sim_phy("tja1102", "forced-100full,slave", config=replace(cfg, interrupts=ints))
    phy.write(22, 0x0002)
    phy.read(21)
    assert not phy.irq
    phy.write(18, phy.read(18) & 0x7FFF)  # SLAVE against a SLAVE
    assert phy.irq and phy.read(21) & 0x0002
    assert not phy.link


def test_power_down_during_link_training_cancels_the_pending_link_up() -> None:
    """22.2.4.1.5: power-down drops everything in progress; after power-up the link
    comes up a full training time later, not when the old training would have ended."""
    for name, bmcr, up in [("tja1102", 0x2100, 0.1), ("generic", 0x2100, 0.2)]:
        phy = sim_phy(name, "forced-100full,slave" if name == "tja1102" else "forced-100full")
        phy.write(0, bmcr | 0x0800)
        phy.write(0, bmcr)  # training starts
        t = phy.clock.time()
        at(phy, t + up / 2)
        phy.write(0, bmcr | 0x0800)
        phy.write(0, bmcr)  # starts again
        at(phy, t + up * 1.2)
        assert not phy.link, name
        at(phy, t + up * 1.5)
        assert phy.link and phy.mode == "100full", name


def test_a_pending_gigabit_link_up_is_dropped_by_an_an_restart() -> None:
    """28.3.4: restarting AN throws away a negotiation in progress, including the
    1000BASE-T training after the page exchange."""
    phy = sim_phy("generic", "1000full")
    cfg = phy.config
    t = phy.clock.time()
    phy.write(0, 0x1340)
    at(phy, t + cfg.an_time + cfg.gigabit_link_time / 2)  # pages done, training
    phy.write(0, 0x1340)
    at(phy, t + cfg.an_time + cfg.gigabit_link_time * 1.1)
    assert not phy.link and not phy.read(1) & 0x0020
    at(phy, t + 2 * cfg.an_time + cfg.gigabit_link_time * 1.6)
    assert phy.mode == "1000full"


def test_a_reset_holds_the_link_down_until_it_ends() -> None:
    """22.2.4.1.1: a negotiation under way when a (slow) reset starts does not complete
    during the reset; afterwards the PHY negotiates from its defaults."""
    phy = sim_phy("generic", "100full")
    phy.faults.reset_time = 2.0
    t = phy.clock.time()
    phy.write(0, 0x1340)
    at(phy, t + 1.0)
    phy.write(0, 0x9140)
    at(phy, t + phy.config.an_time + 0.1)
    assert not phy.link and phy.read(0) & 0x8000
    at(phy, t + 3.0 + phy.config.an_time + 0.1)
    assert phy.mode == "100full"


def test_the_value_a_part_reads_during_reset() -> None:
    """reset_reads: what BMCR reads while a soft reset runs, then its reset value."""
    cfg = replace(sim_config(model("generic")), reset_reads=0x8040)
    phy = sim_phy("generic", config=cfg)
    bmsr = phy.read(1)
    phy.write(0, 0x8000)
    assert (phy.read(0), phy.read(1) & ~0x0024) == (0x8040, bmsr & ~0x0024)
    phy.clock.advance(0.001)
    assert phy.read(0) == 0x1140


def test_forced_speed_bits_both_set_mean_1000() -> None:
    """22.2.4.1.3: 0.6 and 0.13 both set is reserved; like Linux's decode (0.6 first) the
    PHY forces 1000 Mb/s, and 0.8 picks the duplex."""
    for bmcr, mode in [(0x2140, "1000full"), (0x2040, "1000half"), (0x2100, "100full")]:
        phy = sim_phy("generic", f"forced-{mode}")
        phy.write(0, bmcr)
        phy.clock.advance(1)
        assert phy.mode == mode, hex(bmcr)


def test_a_phy_strapped_to_a_forced_mode_starts_with_its_link_up() -> None:
    """A part whose BMCR resets to AN off and 100 full (strap pins) comes up settled in
    that mode against a forced partner, without a negotiation."""
    phy = sim_phy("generic", "forced-100full", m=variant("generic", 0, 0x2100))
    assert phy.mode == "100full" and phy.read(1) & 0x0024 == 0x0004


@pytest.mark.parametrize(
    ("bmsr", "link"), [(0x7949, True), (0x5949, True), (0x3949, True), (0x1949, False)]
)
def test_parallel_detection_needs_the_detected_speed(bmsr: int, link: bool) -> None:
    """28.2.3.1: parallel detection of a 100BASE-TX partner needs 100 Mb/s ability (half
    or full); the link is half duplex and comes up link_time after the AN attempt."""
    phy = sim_phy("generic-fe", "forced-100full", m=variant("generic-fe", 1, bmsr))
    t = phy.clock.time()
    phy.write(0, 0x1200 | (phy.read(0) & 0x3100))
    at(phy, t + phy.config.an_time + phy.config.link_time / 2)
    assert not phy.link
    at(phy, t + phy.config.an_time + phy.config.link_time)
    assert (phy.mode, phy.an_complete) == (("100half", True) if link else (None, False))


def test_clause22_frames_to_a_present_phy() -> None:
    """22.2.4.5: the station drives a write frame's TA and data; a read is the PHY's."""
    phy = sim_phy("generic")
    assert phy.c22(True, 4, 0x0061) == (0x0061, True)
    assert phy.c22(False, 4, 0xFFFF) == (0x0061, True)
    phy.faults.no_turnaround = True
    assert phy.c22(False, 4, 0xFFFF) == (0xFFFF, False)


def test_mmd_data_before_any_address_reaches_register_0() -> None:
    """22.2.4.3.11/12: the MMD address register resets to 0, so data access through
    register 14 before an address was set reaches the MMD's register 0."""
    phy = sim_phy("generic")
    phy.write(13, 0x4003)
    assert phy.read(14) == 0x2040  # 3.0 PCS control 1
    phy.write(13, 0x4007)
    assert phy.read(14) == 0x3000  # 7.0 AN control


def test_actions_due_at_the_same_instant_run_in_the_order_they_were_given() -> None:
    phy = sim_phy("generic")
    done: list[str] = []
    t = phy.clock.time() + 0.5
    for name in ("first", "second", "third"):
        phy.at(t, partial(done.append, name))
    phy.at(t - 0.1, partial(done.append, "earlier"))
    phy.clock.advance(1)
    phy.advance()
    assert done == ["earlier", "first", "second", "third"]


def test_a_part_without_an_interrupt_enable_register_drives_the_pin_for_every_source() -> None:
    """With no mask register every latched source asserts the interrupt output until the
    status register is read (clear on read)."""
    cfg = sim_config(model("tja1102"))
    assert cfg.interrupts is not None
    phy = sim_phy(
        "tja1102",
        "forced-100full,slave",
        config=replace(cfg, interrupts=replace(cfg.interrupts, enable=None)),
    )
    phy.read(21)
    assert not phy.irq
    phy.unplug()
    assert phy.irq
    assert phy.read(21) == 0x0400 and not phy.irq


def test_advertised_is_what_the_registers_offer_within_the_abilities() -> None:
    """Annex 28B.2 / 40.5.1.1: the base page carries 10/100, pause, asymmetric pause and
    next page; CTRL1000 the 1000BASE-T abilities; a technology the PHY cannot do (BMSR,
    ESTATUS) is not offered whatever the register says."""
    phy = sim_phy("generic")
    phy.write(4, 0x8DE1)
    phy.write(9, 0x0200)
    assert phy.advertised() == {"10half", "10full", "100half", "100full", "1000full",
                                "pause", "asym_pause", "next_page"}  # fmt: skip
    phy.write(4, 0x0421)
    phy.write(9, 0x0100)
    assert phy.advertised() == {"10half", "pause", "1000half"}
    fe = sim_phy("generic-fe")
    fe.write(4, 0x0DE1)
    assert fe.advertised() == {"10half", "10full", "100half", "100full", "pause", "asym_pause"}


def test_a_clause22_write_at_the_instant_a_reset_ends_sticks() -> None:
    """22.2.4.1.1: writes are ignored while the reset runs, and taken from the instant the
    reset bit has cleared (the registers are at their defaults by then), whatever else
    is scheduled (here a scripted action later on)."""
    phy = sim_phy("generic")
    phy.at(100.0, phy.unplug)
    phy.write(0, 0x9140)
    phy.write(4, 0x0061)  # ignored
    at(phy, phy.resetting_until)
    phy.write(4, 0x0041)
    phy.clock.advance(1)
    assert (phy.read(0) & 0x8000, phy.read(4)) == (0, 0x0041)


def test_bmcr_and_an_control_bit_0_is_reserved_in_every_model() -> None:
    """22.2.4.1 and 45.2.7.1: bit 0 of BMCR and of AN control 7.0 is reserved: writing 1
    there leaves it 0 (the equivalent-mutant reasons in scripts/mutate.py rely on it)."""
    from physcapy.registers.models import all_models

    for m in all_models():
        phy = SimPhy(m, 1, VirtualClock())
        if 0 in m.registers:
            phy.write(0, phy.read(0) | 0x0001)
            assert not phy.read(0) & 0x0001, m.name
        if 7 not in m.mmds or 0 not in m.mmds[7].registers:
            continue
        if phy.config.native_c45:
            phy.c45(0, 7, 0)
            phy.c45(1, 7, phy.c45(3, 7, 0)[0] | 0x0001)
            assert not phy.c45(3, 7, 0)[0] & 0x0001, m.name
        elif 13 in m.registers:  # 22.2.4.3.11: function "data, no post increment"
            phy.write(13, 0x0007)
            phy.write(14, 0x0000)
            phy.write(13, 0x4007)
            phy.write(14, phy.read(14) | 0x0001)
            assert not phy.read(14) & 0x0001, m.name


def test_writes_dropped_for_some_registers_only() -> None:
    """Faults.drop_writes as a set: writes to those registers are lost, others land."""
    phy = sim_phy("generic")
    phy.faults.drop_writes = {4}
    phy.write(4, 0x0061)
    phy.write(9, 0x0000)
    assert (phy.read(4), phy.read(9)) == (0x01E1, 0x0000)


def test_remote_fault_in_the_partners_base_page_reaches_the_lp_ability_register() -> None:
    """28.2.1.2.4: the partner's Remote Fault bit (D13) arrives in its base page: LPA.13
    (7.19.13 on a Clause 45 part) reads 1 next to Acknowledge and the selector, and the
    status remote-fault bit (1.4, 7.1.4) latches high."""
    phy = sim_phy("generic")
    phy.partner = LinkPartner(frozenset({"100full"}), remote_fault=True)
    phy.clock.advance(5)
    assert phy.read(5) == 0x6101 and phy.read(1) & 0x0010
    phy.partner = LinkPartner(frozenset({"100full"}))
    phy.clock.advance(5)
    assert phy.read(5) == 0x4101
    c45 = sim_phy("generic-c45", m=None)
    c45.partner = LinkPartner(frozenset({"100full"}), remote_fault=True)
    c45.clock.advance(5)
    c45.c45(0, 7, 19)
    assert c45.c45(3, 7, 0)[0] == 0x6101
    c45.c45(0, 7, 1)
    assert c45.c45(3, 7, 0)[0] & 0x0010
    ksz = sim_phy("ksz9031")  # ICSR 0x1B: remote fault status bit 1, its enable bit 9
    ksz.write(0x1B, 0x0200)
    ksz.read(0x1B)
    ksz.partner = LinkPartner(frozenset({"100full"}), remote_fault=True)
    ksz.clock.advance(5)
    assert ksz.irq and ksz.read(0x1B) & 0x0002


@pytest.mark.parametrize(
    ("name", "mode"),
    [("generic", m) for m in ("1000full", "1000half", "100full", "100half", "10full", "10half")]
    + [("aqr113c", m) for m in ("10000full", "5000full", "2500full")],
)
def test_each_mode_links_after_its_training_and_gigabit_modes_resolve_master_slave(
    name: str, mode: str
) -> None:
    """28.3.4: a 10/100 link is up when the pages are exchanged; 1000BASE-T and faster
    train first (40.5.2, 55.4.2.5).  Those resolve MASTER-SLAVE: against a partner
    configured SLAVE the local end is MASTER (40.5.1.1, 45.2.7.10)."""
    phy = sim_phy(name, f"{mode},slave")
    t = phy.clock.time()
    if name == "generic":
        phy.write(0, 0x1340)
    else:
        phy.c45(0, 7, 0)
        phy.c45(1, 7, 0x3200)
    gig = mode not in ("100full", "100half", "10full", "10half")
    up = t + phy.config.an_time + (phy.config.gigabit_link_time if gig else 0.0)
    at(phy, up - 0.01)
    assert not phy.link
    at(phy, up)
    assert (phy.mode, phy.master) == (mode, gig)


def test_stuck_and_flipped_bits_apply_alone_and_only_to_their_register() -> None:
    """Faults: stuck bits read as the forced value (the other bits as they are), flipped
    bits read inverted, each on its own register only, with or without the other kind."""
    phy = sim_phy("generic")
    phy.faults.stuck = {4: (0x0F00, 0x0A00)}
    assert (phy.read(4), phy.read(9)) == (0x0AE1, 0x0300)
    phy.faults.stuck = {}
    phy.faults.flip = {9: 0x0101}
    assert (phy.read(4), phy.read(9)) == (0x01E1, 0x0201)


def test_the_page_register_pages_registers_from_paged_from_to_30() -> None:
    """Marvell (page in 22): registers 16-30 are per page on the 88E1118 and 0-30 on the
    88E1512; register 31 is outside the paged range (undescribed on the 88E1118)."""
    m = sim_phy("88e1118")
    m.write(22, 3)
    m.write(16, 0x0234)  # LED function control on page 3
    m.write(30, 0x0055)
    m.write(31, 0x0077)
    m.write(22, 0)
    assert (m.read(16) != 0x0234, m.read(30) != 0x0055, m.read(31)) == (True, True, 0)
    m.write(22, 3)
    assert (m.read(16), m.read(30), m.read(31)) == (0x0234, 0x0055, 0)
    fibre = sim_phy("88e1512")
    copper_bmcr = fibre.read(0)
    fibre.write(22, 1)  # fibre page
    fibre.write(0, 0x0140)  # forced 1000 full, AN off on the fibre side
    fibre.write(22, 0)
    assert fibre.read(0) == copper_bmcr
    fibre.write(22, 1)
    assert fibre.read(0) == 0x0140


def test_a_negotiation_without_a_common_mode_tries_again_after_an_time() -> None:
    """28.3.4: pages exchanged but no common technology: no link, and the arbitration
    starts over; each attempt takes an_time, so pages arrive every 2 * an_time (the
    retry waits an_time, then the exchange takes another)."""
    phy = sim_phy("generic", "10half")
    phy.write(4, 0x0101)  # 100 full only
    phy.write(9, 0)
    t, a = phy.clock.time(), phy.config.an_time
    phy.write(0, 0x1340)
    at(phy, t + 1.5 * a)
    assert phy.read(6) & 0x0002 and not phy.link  # EXPANSION.page_received (LH)
    at(phy, t + 2.5 * a)
    assert not phy.read(6) & 0x0002
    at(phy, t + 3.5 * a)
    assert phy.read(6) & 0x0002 and not phy.link


def test_multigigabit_master_slave_comes_from_7_32() -> None:
    """45.2.7.10: MultiGBASE-T MASTER-SLAVE manual configuration is in 7.32 bits 15:14,
    against a partner that does not force a role."""
    for ctrl, master in [(0xC000, True), (0x8000, False)]:
        phy = sim_phy("aqr113c", "5000full")
        phy.c45(0, 7, 32)
        phy.c45(1, 7, (phy.c45(3, 7, 0)[0] & 0x1FFF) | ctrl)
        phy.c45(0, 7, 0)
        phy.c45(1, 7, 0x3200)
        phy.clock.advance(10)
        assert (phy.mode, phy.master) == ("5000full", master), hex(ctrl)


def test_every_state_variable_drives_a_status_rule() -> None:
    """[sim.status] rules may follow any state variable (layers/README): with no cable,
    each variable's value reaches a 3-bit field (PSCSR speed indication of the LAN8720A)
    as state() gives it, "one" as the constant 1."""
    from physcapy.sim.config import STATE_VARS, StatusRule

    cfg = sim_config(model("lan8720a"))
    target = cfg.status[-1].target
    for var in STATE_VARS:
        if var == "mode":
            continue  # a name, mapped by rules (tests/test_sim_models.py)
        rules = (StatusRule(target, var),)
        phy = sim_phy("lan8720a", "none", config=replace(cfg, status=rules))
        field = (phy.read(31) >> target.field.lsb) & 7
        assert field == (1 if var == "one" else int(phy.state()[var]) & 7), var


def test_a_multiport_device_is_master_over_a_single_port_one() -> None:
    """40.5.2: without manual configuration a multiport device (CTRL1000.10) resolves
    MASTER against a single-port partner, and SLAVE the other way round."""
    for port_type, partner_multiport, master in [(0x0400, False, True), (0, True, False)]:
        phy = sim_phy("generic")
        phy.partner = LinkPartner(frozenset({"1000full"}), multiport=partner_multiport)
        phy.write(9, 0x0200 | port_type)
        phy.write(0, 0x1340)
        phy.clock.advance(5)
        assert (phy.mode, phy.master) == ("1000full", master)


def test_a_multigigabit_master_slave_fault_latches_in_7_33() -> None:
    """45.2.7.11.1: both ends manually MASTER: 7.33.15 (configuration fault) latches
    and there is no link."""
    phy = sim_phy("aqr113c", "5000full,master")
    phy.c45(0, 7, 32)
    phy.c45(1, 7, (phy.c45(3, 7, 0)[0] & 0x1FFF) | 0xC000)
    phy.c45(0, 7, 0)
    phy.c45(1, 7, 0x3200)
    phy.clock.advance(3)
    phy.c45(0, 7, 33)
    assert phy.c45(3, 7, 0)[0] & 0x8000 and not phy.link


def test_after_a_master_slave_fault_negotiation_starts_over_an_time_later() -> None:
    """40.5.2 / 28.3.4: a MASTER-SLAVE configuration fault ends the attempt; AN starts
    over an_time later and then picks up a configuration changed meanwhile."""
    phy = sim_phy("generic", "1000full,master")
    cfg = phy.config
    t, a, g = phy.clock.time(), cfg.an_time, cfg.gigabit_link_time
    phy.write(9, 0x1A00)  # manual MASTER, like the partner
    phy.write(0, 0x1340)
    at(phy, t + a + 0.1)
    assert phy.read(10) & 0x8000 and not phy.link  # STAT1000.ms_fault
    phy.write(9, 0x1200)  # manual SLAVE now; no restart written
    at(phy, t + 3 * a + g - 0.01)
    assert not phy.link
    at(phy, t + 3 * a + g)
    assert (phy.mode, phy.master) == ("1000full", False)


def test_speed_and_duplex_change_interrupts_compare_with_the_previous_link() -> None:
    """BCM54213PE ISR (0x1A): a new link raises speed change (bit 2) only when the speed
    differs from the last link's, duplex change (bit 3) only when the duplex does."""
    phy = sim_phy("bcm54213pe", "100full,10full,10half")
    phy.write(27, 0x0000)  # IMR: every source unmasked (active low)
    phy.read(26)
    phy.write(0, 0x0100)  # forced 10 full: 100 full -> 10 full
    phy.clock.advance(1)
    assert phy.mode == "10full" and phy.read(26) & 0x000E == 0x0006
    phy.write(0, 0x0000)  # forced 10 half: same speed, other duplex
    phy.clock.advance(1)
    assert phy.mode == "10half" and phy.read(26) & 0x000E == 0x000A


def test_vendor_reset_and_restart_bits_act_only_when_set() -> None:
    """DP83867 CTRL (0x1F): writing 0 is no reset and no restart; sw_restart (bit 14)
    restarts the link and reads 1 until restart_time has passed."""
    phy = sim_phy("dp83867")
    phy.write(4, 0x0061)
    phy.write(31, 0x0000)
    phy.clock.advance(0.01)
    assert phy.read(4) == 0x0061 and phy.link  # no reset, no restart
    t = phy.clock.time()
    phy.write(31, 0x4000)
    assert phy.read(31) == 0x4000 and not phy.link
    at(phy, t + phy.config.restart_time * 0.9)
    assert phy.read(31) == 0x4000
    at(phy, t + phy.config.restart_time)
    assert phy.read(31) == 0x0000 and phy.read(4) == 0x0061


def test_base_t1_retrains_only_when_the_role_changes() -> None:
    """TJA1102 CFG1: a write keeping the MASTER/SLAVE bit keeps the link."""
    phy = sim_phy("tja1102", "forced-100full,slave")
    phy.write(18, phy.read(18))
    assert phy.link


def test_a_powering_up_phy_answers_from_the_instant_its_boot_ends() -> None:
    phy = sim_phy("generic", start="power-on")
    assert phy.c22(False, 2, 0xFFFF) == (0xFFFF, False)
    at(phy, phy.booting_until)
    assert phy.c22(False, 2, 0xFFFF) == (phy.model.registers[2].reset, True)


def test_enabling_a_pending_interrupt_source_asserts_the_pin_at_once() -> None:
    """A source latched while masked drives the pin as soon as it is enabled (and the
    pin follows the enable register, not only status changes)."""
    phy = sim_phy("tja1102", "forced-100full,slave")
    levels: list[bool] = []
    phy.on_interrupt = lambda address, level: levels.append(level)
    phy.unplug()  # link fail latches, masked
    assert levels == [] and not phy.irq
    phy.write(22, 0x0400)  # INTEN.link_fail
    assert levels == [True]
    phy.write(22, 0x0000)
    assert levels == [True, False]


def test_the_strapped_address_reads_back_after_a_reset() -> None:
    """LAN8720A SMR.PHYAD (18, bits 4:0) reads the PHY's strapped address, also after a
    soft reset."""
    phy = SimPhy(model("lan8720a"), 5, VirtualClock())
    assert phy.read(18) & 0x1F == 5
    phy.write(0, 0x8000)
    phy.clock.advance(0.01)
    assert phy.read(18) & 0x1F == 5


def test_an_unknown_start_state_is_refused_with_the_choices() -> None:
    with pytest.raises(UnknownNameError) as caught:
        sim_phy("generic", start="cold")
    assert str(caught.value) == "unknown start state 'cold': choose from power-on, settled"


def test_powered_at_is_when_a_powering_up_phy_was_started() -> None:
    """What Pal.register_bus waits from (probe_delay after power-on): the clock's time at
    start=power-on, None for a part settled long ago."""
    clock = VirtualClock(2.5)
    assert SimPhy(model("generic"), 1, clock, start="power-on").powered_at == 2.5
    assert SimPhy(model("generic"), 1, clock).powered_at is None


NO_LINK_STATE = {
    "link": 0, "an_complete": 0, "speed": 0, "full": 0, "mode": "none", "resolved": 0,
    "master": 0, "lp_autoneg_able": 0, "speed10": 0, "speed100": 0, "speed1000": 0,
    "link1000": 0, "plca": 0, "one": 1,
}  # fmt: skip


def test_without_a_link_the_state_is_speed_0_and_mode_none() -> None:
    """state() as [sim.status] rules map it (mode 'none', speed '0' are the documented
    values of config._STATE_VALUES): no cable, then a cable and no link yet."""
    phy = sim_phy("generic", "none")
    assert phy.state() == {**NO_LINK_STATE, "energy": 0}
    phy.plug()
    assert phy.state() == {**NO_LINK_STATE, "energy": 1}


def test_a_booting_phy_has_no_link_and_its_interrupt_output_is_off() -> None:
    """start=power-on: until the boot ends there is no link, no negotiation result and
    the interrupt pin is deasserted; the boot's own link-down event does not toggle it,
    and a part without an interrupt output never asserts one."""
    phy = sim_phy("lan8720a", start="power-on")
    levels: list[bool] = []
    phy.on_interrupt = lambda address, level: levels.append(level)
    assert (phy.link, phy.an_complete, phy.mode, phy.irq) == (False, False, None, False)
    assert phy.state() == {**NO_LINK_STATE, "energy": 1}
    at(phy, phy.booting_until)
    assert (phy.link, phy.irq, levels) == (False, False, [])
    plain = sim_phy("generic")
    assert plain.config.interrupts is None and plain.link and plain.irq is False


def test_a_cable_plugged_while_the_phy_powers_up_links_only_after_the_boot() -> None:
    """A part still in its power-on boot does not bring a link up: the LAN8670 links
    link_time (10 ms) after a cable appears, less than its 20 ms boot, and used to come
    up during the boot and drop again when the boot ended."""
    phy = sim_phy("lan8670", "none", start="power-on")
    boot, link_time = phy.booting_until, phy.config.link_time
    assert link_time < boot
    phy.plug()
    at(phy, boot - 0.001)
    assert not phy.link
    at(phy, boot + link_time - 0.001)
    assert not phy.link
    at(phy, boot + link_time)
    assert phy.link


def with_access(name: str, reg: int, field: str, access: str) -> Model:
    """Model ``name`` with field ``field`` of Clause 22 register ``reg`` given ``access``."""
    m = model(name)
    spec = m.registers[reg]
    fields = tuple(replace(f, access=access) if f.name == field else f for f in spec.fields)
    return replace(m, registers={**m.registers, reg: replace(spec, fields=fields)})


def test_a_write_only_command_bit_acts_when_written_and_reads_0() -> None:
    """WO bits are taken by a write (then read 0): DP83867 CTRL.sw_restart described as
    write-only still restarts the link, and CTRL reads 0 at once (SC would read 1 until
    restart_time has passed)."""
    phy = sim_phy("dp83867", m=with_access("dp83867", 31, "sw_restart", "WO"))
    assert phy.link
    phy.write(31, 0x4000)
    assert not phy.link and phy.read(31) == 0x0000


def test_a_status_rule_may_target_a_register_of_an_indirect_space() -> None:
    """[sim.status] names fields as the register look-up does, SPACE:REG included: a rule
    on BCM54213PE shadow 0x0A (SHD, the third space) follows the link there, read through
    0x1C as bcm_phy_read_shadow does (select, then read)."""
    m = model("bcm54213pe")
    phy = sim_phy("bcm54213pe", m=replace(m, sim={**m.sim, "status": {"SHD:APD.apd_en": "link"}}))
    phy.write(0x1C, 0x0A << 10)
    assert phy.link and phy.read(0x1C) == 0x2800 | 0x0020
    phy.unplug()
    assert phy.read(0x1C) == 0x2800


def mmd(phy: SimPhy, devad: int, reg: int, value: int | None = None) -> int:
    """Read (or write) MMD register ``devad.reg`` through 13/14 (22.2.4.3.11/12)."""
    phy.write(13, devad)
    phy.write(14, reg)
    phy.write(13, 0x4000 | devad)
    if value is not None:
        phy.write(14, value)
    return phy.read(14)


def test_plca_status_needs_the_enable_bit_with_a_configured_node_id() -> None:
    """LAN8670: a configured node ID and a link are not enough, PLCA_CTRL0.enable must
    be set too (aPLCAStatus, 148.4.4)."""
    phy = sim_phy("lan8670")
    mmd(phy, 31, 0xCA02, 0x0800)  # 8 nodes, local ID 0
    assert phy.link and not mmd(phy, 31, 0xCA03) & 0x8000
    mmd(phy, 31, 0xCA01, 0x8000)  # PLCA enable
    assert mmd(phy, 31, 0xCA03) & 0x8000
    mmd(phy, 31, 0xCA01, 0x0000)
    assert not mmd(phy, 31, 0xCA03) & 0x8000
