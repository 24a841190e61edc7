# SPDX-License-Identifier: GPL-2.0-only
"""Simulated PHYs behave like silicon: access semantics, timing, negotiation, faults."""

from __future__ import annotations

import re
from itertools import product

import pytest

from physcapy import open_bus
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError
from physcapy.mdio.transactions import Transaction
from physcapy.sim.bus import SimBus
from physcapy.sim.partner import LinkPartner
from tests.conftest import SHARED, need

CAPTURES = SHARED / "captures"


def sigrok_reads(name: str) -> dict[int, int]:
    """REGAD -> data of the reads in a sigrok-cli reference decode."""
    path = CAPTURES / name
    need(path.exists(), f"reference decode {path}")
    reads = {}
    for line in path.read_text().splitlines():
        m = re.search(r"READ:\s+([0-9A-F]{4}) PHYAD: (\d+) REGAD: (\d+)", line)
        if m:
            reads[int(m.group(3))] = int(m.group(1), 16)
    return reads


# -- the real LAN8720A --------------------------------------------------------------------------


def test_lan8720a_unplugged_reproduces_the_capture() -> None:
    """Every register 0-31 of a real LAN8720A with no cable, as sigrok decoded them."""
    captured = sigrok_reads("lan8720a_read_all_unplugged.sigrok.txt")
    assert sorted(captured) == list(range(32))
    bus = open_bus("sim://lan8720a@1?partner=none")
    simulated = {reg: bus.read(1, reg) for reg in range(32)}
    assert {r: f"{v:04x}" for r, v in simulated.items()} == {
        r: f"{v:04x}" for r, v in captured.items()
    }


def test_lan8720a_soft_reset_reads_as_the_capture_shows() -> None:
    """lan8720a_read_write_read: BMCR 0x3000, write 0x8000, read 0x8000 (reset running)."""
    reads = (
        [
            line
            for line in (CAPTURES / "lan8720a_read_write_read.sigrok.txt").read_text().splitlines()
        ]
        if (CAPTURES / "lan8720a_read_write_read.sigrok.txt").exists()
        else []
    )
    need(bool(reads), "lan8720a_read_write_read.sigrok.txt")
    bus = open_bus("sim://lan8720a@1?partner=none")
    first = bus.read(1, 0)
    bus.write(1, 0, 0x8000)
    during = bus.read(1, 0)
    assert [f"{first:04X}", "8000", f"{during:04X}"] == [
        re.search(r"(READ|WRITE):\s+([0-9A-F]{4})", r).group(2) for r in reads
    ]  # type: ignore[union-attr]
    bus.clock.advance(0.001)
    assert bus.read(1, 0) == 0x3000  # defaults again once the reset is done


def test_lan8720a_with_a_100_partner_is_consistent() -> None:
    bus = open_bus("sim://lan8720a@1?partner=100full,100half,10full,10half,pause")
    phy = bus.phys[1]
    assert phy.link and phy.mode == "100full"
    bmsr = bus.read(1, "BMSR")
    assert bmsr & 0x0024 == 0x0024  # link, AN complete
    lpa = bus.read(1, "LPA")
    assert lpa & 0x05E0 == 0x05E0 and lpa & 0x4000  # 10/100 half/full, pause, acknowledge
    assert bus.read(1, 31) == 0x1058  # autodone, 100BASE-TX full duplex
    assert bus.read(1, 17) & 0x0002  # ENERGYON
    assert bus.read(1, 6) & 0x0001  # partner is AN able


# -- access semantics ---------------------------------------------------------------------------


def test_link_drop_is_latched_low_until_read() -> None:
    bus = open_bus("sim://")
    assert bus.read(1, 1) & 0x0004
    bus.unplug(1)
    bus.plug(1)
    bus.clock.advance(5)  # the link is back up by now
    assert bus.phys[1].link
    assert not bus.read(1, 1) & 0x0004  # first read after the drop: 0
    assert bus.read(1, 1) & 0x0004  # then the live state


def test_remote_fault_is_latched_high_until_read() -> None:
    bus = open_bus("sim://")
    bus.phys[1].partner = LinkPartner(remote_fault=True)
    bus.clock.advance(5)
    assert bus.read(1, 1) & 0x0010
    assert not bus.read(1, 1) & 0x0010  # cleared by the read


def test_read_only_bits_ignore_writes() -> None:
    bus = open_bus("sim://")
    before = bus.read(1, "BMSR")
    bus.write(1, "BMSR", 0x0000)
    assert bus.read(1, "BMSR") == before
    bus.write(1, "PHYSID1", 0x1234)
    assert bus.read(1, 2) == 0x0000


def test_soft_reset_takes_time_and_ignores_writes_meanwhile() -> None:
    bus = open_bus("sim://")
    bus.write(1, "ADVERTISE", 0x0061)
    bus.write(1, "BMCR", 0x8000)
    assert bus.read(1, "BMCR") & 0x8000
    bus.write(1, "ADVERTISE", 0x0021)  # ignored: the PHY is in reset
    bus.clock.advance(0.001)
    assert bus.read(1, "BMCR") == 0x1140
    assert bus.read(1, "ADVERTISE") == 0x01E1  # back to its reset value
    assert not bus.phys[1].link  # reset drops the link; negotiation starts again
    bus.clock.advance(3)
    assert bus.phys[1].link


def test_slow_reset_fault() -> None:
    bus = open_bus("sim://?fault=1:slow-reset:2.0")
    bus.write(1, 0, 0x8000)
    bus.clock.advance(1.9)
    assert bus.read(1, 0) & 0x8000
    bus.clock.advance(0.2)
    assert not bus.read(1, 0) & 0x8000


def test_restart_autoneg_self_clears_after_a_while() -> None:
    bus = open_bus("sim://")
    bus.write(1, 0, 0x1340)
    assert bus.read(1, 0) & 0x0200  # still set right after the write
    bus.clock.advance(0.01)
    assert bus.read(1, 0) == 0x1140
    assert not bus.phys[1].link
    bus.clock.advance(3)
    assert bus.phys[1].link


def test_interrupt_status_clears_on_read_and_drives_the_line() -> None:
    bus = open_bus("sim://lan8720a@1")
    levels: list[tuple[int, bool]] = []
    phy = bus.phys[1]
    phy.on_interrupt = lambda addr, level: levels.append((addr, level))
    bus.read(1, 29)  # clear what power-up latched
    assert bus.read(1, 29) == 0
    bus.write(1, 30, 0x0010)  # enable link-down interrupts
    bus.unplug(1)
    assert levels == [(1, True)] and phy.irq
    assert bus.read(1, 29) & 0x0010  # link down latched
    assert levels == [(1, True), (1, False)] and not phy.irq
    assert bus.read(1, 29) & 0x0010 == 0


def test_mmd_through_13_14_with_post_increment() -> None:
    bus = open_bus("sim://")
    # function 01: plain data access
    assert bus.read_mmd(1, 7, 0x3C) == 0x0006  # EEE advertisement
    bus.write_mmd(1, 7, 0x3C, 0x0002)
    assert bus.read_mmd(1, 7, 0x3C) == 0x0002
    # function 10: post-increment on reads: 3.20 then 3.21 ...
    assert bus.read_mmd_burst(1, 3, 20, 2) == [0x0006, bus.read_mmd(1, 3, 21)]
    # function 11: increments on writes only
    bus.write(1, 13, 7)
    bus.write(1, 14, 0x3C)
    bus.write(1, 13, 0xC007)
    assert [bus.read(1, 14), bus.read(1, 14)] == [0x0002, 0x0002]  # reads do not move it
    bus.write(1, 14, 0x0004)  # 7.60, then the address moves to 7.61
    bus.write(1, 13, 0x0007)
    assert bus.read(1, 14) == 0x3D  # function 00 reads the address register
    assert bus.read_mmd(1, 7, 0x3C) == 0x0004


def test_native_clause45_and_post_read_increment() -> None:
    bus = open_bus("sim://generic-c45@5")
    assert bus.read_c45(5, 1, 3) == 0x0030  # PMA DEVID2
    assert bus.read_c45_burst(5, 1, 2, 2) == [0x0000, 0x0030]
    assert bus.read_c45(5, 1, 5) == 0x008A  # PMA devices in package: PMA, PCS, AN
    assert bus.read(5, 1) == 0xFFFF  # a Clause 45-only part ignores Clause 22 frames
    log: list[Transaction] = []
    bus.subscribe(log.append)
    bus.read_c45_burst(5, 7, 0x20, 3)
    assert [(t.op, t.addr) for t in log] == [
        ("address", 0x20),
        ("read_inc", 0x20),
        ("read_inc", 0x21),
        ("read_inc", 0x22),
    ]


def test_vendor_pages_have_one_bank_each() -> None:
    bus = open_bus("sim://rtl8211f@1")
    assert bus.read(1, 31) == 0x0A42  # default page
    bus.write(1, 31, 0x0D08)
    bus.write(1, 0x11, 0x0100)  # TX delay on page 0xd08
    bus.write(1, 31, 0x0A43)
    assert bus.read(1, 0x11) == 0x0000  # another bank: the write to 0xd08 is not here
    assert bus.read(1, 2) == 0x001C  # registers 0-15 are on every page
    bus.write(1, 31, 0x0D08)
    assert bus.read(1, 0x11) & 0x0100
    bus.write(1, 31, 0x0A42)


# -- negotiation --------------------------------------------------------------------------------

_LOCAL = {  # ability -> (ADVERTISE bits, CTRL1000 bits)
    "10half": (0x0021, 0),
    "10full": (0x0041, 0),
    "100half": (0x0081, 0),
    "100full": (0x0101, 0),
    "1000half": (0x0001, 0x0100),
    "1000full": (0x0001, 0x0200),
}


def negotiate(local: str, partner: set[str], pause: int = 0) -> SimBus:
    bus = SimBus.from_url("sim://")
    adv, gig = _LOCAL[local]
    bus.write(1, "ADVERTISE", adv | pause)
    bus.write(1, "CTRL1000", gig)
    bus.phys[1].partner = LinkPartner(frozenset(partner))
    bus.write(1, "BMCR", 0x1340)
    bus.clock.advance(4)
    return bus


@pytest.mark.parametrize(("local", "remote"), list(product(_LOCAL, _LOCAL)))
def test_resolution_for_every_pair_of_abilities(local: str, remote: str) -> None:
    bus = negotiate(local, {remote})
    phy = bus.phys[1]
    assert phy.link == (local == remote)
    assert phy.mode == (local if local == remote else None)
    if not phy.link:
        assert not bus.read(1, 1) & 0x0020  # no common mode: AN does not complete
    lpa = bus.read(1, "LPA")
    stat = bus.read(1, "STAT1000")
    if remote.startswith("1000"):
        assert stat & (0x0800 if remote == "1000full" else 0x0400)
    else:
        assert lpa & _LOCAL[remote][0] & 0x03E0


def test_highest_common_denominator_wins() -> None:
    everything = set(_LOCAL)
    assert negotiate("100full", everything).phys[1].mode == "100full"
    bus = SimBus.from_url("sim://?partner=10half,10full,100half,1000half")
    assert bus.phys[1].mode == "1000half"
    bus = SimBus.from_url("sim://?partner=10full,100half")
    assert bus.phys[1].mode == "100half"  # 100BASE-TX HD outranks 10BASE-T FD (28B.3)


@pytest.mark.parametrize(
    ("local_pause", "partner", "lpa_bits"),
    [
        (0x0400, {"100full", "pause"}, 0x0400),
        (0x0C00, {"100full", "pause", "asym_pause"}, 0x0C00),
        (0x0000, {"100full", "asym_pause"}, 0x0800),
    ],
)
def test_pause_bits_reach_lpa(local_pause: int, partner: set[str], lpa_bits: int) -> None:
    bus = negotiate("100full", partner, pause=local_pause)
    assert bus.read(1, "LPA") & 0x0C00 == lpa_bits
    assert bus.read(1, "ADVERTISE") & 0x0C00 == local_pause


def test_parallel_detection() -> None:
    bus = SimBus.from_url("sim://?partner=forced-100full")
    phy = bus.phys[1]
    assert phy.link and phy.mode == "100half"  # the duplex cannot be detected
    assert bus.read(1, "EXPANSION") & 0x0001 == 0  # partner is not AN able
    assert bus.read(1, "LPA") & 0x0080  # the detected technology
    assert bus.read(1, 1) & 0x0020
    assert not SimBus.from_url("sim://?partner=forced-1000full").phys[1].link


@pytest.mark.parametrize(
    ("bmcr", "partner", "mode"),
    [
        (0x2100, "100full,100half", "100full"),  # forced 100 full against a negotiating port
        (0x0000, "forced-10half", "10half"),
        (0x2100, "forced-100half", "100full"),  # duplex mismatch: both ends think they're right
        (0x2100, "forced-10full", None),
        (0x0100, "1000full", None),  # 1000BASE-T cannot be parallel-detected
    ],
)
def test_forced_modes(bmcr: int, partner: str, mode: str | None) -> None:
    bus = SimBus.from_url(f"sim://?partner={partner}")
    bus.write(1, "BMCR", bmcr)
    bus.clock.advance(1)
    assert bus.phys[1].mode == mode and bus.phys[1].link == (mode is not None)


def test_unplug_and_replug_in_virtual_time() -> None:
    bus = SimBus.from_url("sim://lan8720a@1")
    bus.unplug(1)
    assert not bus.phys[1].link and bus.read(1, 31) & 0x1000 == 0
    bus.plug(1)
    bus.clock.advance(1.0)
    assert not bus.phys[1].link  # negotiation is still running
    bus.clock.advance(1.0)
    assert bus.phys[1].link and bus.read(1, 31) == 0x1058


def test_master_slave_resolution_and_fault() -> None:
    bus = SimBus.from_url("sim://?partner=1000full,slave")
    assert bus.phys[1].master and bus.read(1, "STAT1000") & 0x4000
    bus = SimBus.from_url("sim://?partner=1000full")
    assert not bus.phys[1].master  # two multiport ends: the simulation lets the partner win
    bus.write(1, "CTRL1000", 0x1A00)  # manual MASTER
    bus.phys[1].partner = LinkPartner(frozenset({"1000full"}), master="master")
    bus.clock.advance(4)
    assert not bus.phys[1].link
    assert bus.read(1, "STAT1000") & 0x8000  # configuration fault, latched high


def test_power_on_start() -> None:
    bus = SimBus.from_url("sim://?start=power-on")
    assert bus.read(1, 1) == 0xFFFF  # not answering yet
    bus.clock.advance(0.05)
    assert bus.read(1, 1) & 0x0024 == 0
    bus.clock.advance(3)
    assert bus.read(1, 1) & 0x0024 == 0x0024


# -- faults -------------------------------------------------------------------------------------


def test_absent_phy_and_no_turnaround() -> None:
    bus = open_bus("sim://generic@1,generic-fe@2?fault=2:no-turnaround")
    log: list[Transaction] = []
    bus.subscribe(log.append)
    assert bus.read(3, 1) == 0xFFFF and bus.read(2, 1) == 0xFFFF
    assert [t.errors for t in log] == [["turnaround"], ["turnaround"]]


def test_stuck_flipped_and_dropped() -> None:
    bus = open_bus("sim://?fault=1:stuck:1:0x0004:0&fault=1:flip:2:0x00ff")
    assert not bus.read(1, 1) & 0x0004 and bus.phys[1].link
    assert bus.read(1, 2) == 0x00FF
    bus = open_bus("sim://?fault=1:drop-writes")
    bus.write(1, "ADVERTISE", 0x0021)
    assert bus.read(1, "ADVERTISE") == 0x01E1


# -- the bus --------------------------------------------------------------------------------------


def test_transaction_log_and_timestamps() -> None:
    bus = open_bus("sim://?mdc=1e6")
    log: list[Transaction] = []
    bus.subscribe(log.append)
    bus.read(1, "BMSR")
    bus.write(1, "BMCR", 0x1140)
    assert [t.to_dict() for t in log] == [
        {
            "start": 0.0,
            "end": 64e-6,
            "clause": 22,
            "op": "read",
            "phy": 1,
            "reg": 1,
            "data": 0x796D,
            "addr": None,
            "errors": [],
        },
        {
            "start": 64e-6,
            "end": 128e-6,
            "clause": 22,
            "op": "write",
            "phy": 1,
            "reg": 0,
            "data": 0x1140,
            "addr": None,
            "errors": [],
        },
    ]


def test_modify_and_batch() -> None:
    from physcapy.mdio.frames import Frame

    bus = open_bus("sim://")
    assert bus.modify(1, "BMCR", 0x0000, 0x1000) == 0x0140  # clear AN enable
    assert bus.read(1, 0) == 0x0140
    out = bus.batch(
        [
            Frame(22, "read", 1, 2),
            Frame(22, "read", 1, 3),
            Frame(22, "read", 9, 1),
            Frame(22, "write", 1, 0, 0x1140),
        ]
    )
    assert [(f.data, f.ta_ok) for f in out] == [
        (0, True),
        (0x0010, True),
        (0xFFFF, False),
        (0x1140, True),
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sim://lan9999@1", "unknown simulated PHY model 'lan9999': choose from"),
        ("sim://generic@32", "sim:// PHY address 32 (0x20) is out of range: allowed 0-31"),
        ("sim://generic@1,generic@1", "address 1 is given twice"),
        ("sim://generic@1,lan8720a", "needs an address"),
        ("sim://?colour=red", "unknown sim:// option 'colour': choose from fault, mdc, partner"),
        ("sim://?partner=100fast", "unknown partner ability '100fast'"),
        ("sim://?start=later", "unknown sim:// start 'later': choose from power-on, settled"),
        ("sim://?fault=1:melt", "unknown sim:// fault 'melt'"),
        ("sim://ieee802.3-c22@1", "is a register set, not a PHY"),
        ("gopher://x", "unknown bus URL scheme 'gopher'"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(PhyscapyError, match=re.escape(message)):
        open_bus(url)


def test_bad_arguments() -> None:
    bus = open_bus("sim://")
    with pytest.raises(RangeError, match="PHY address 32"):
        bus.read(32, 1)
    with pytest.raises(RangeError, match=r"Clause 22 register 32 \(0x20\)"):
        bus.read(1, 32)
    with pytest.raises(RangeError, match="value 65536"):
        bus.write(1, 0, 0x10000)
    with pytest.raises(UnknownNameError, match="unknown register of model ieee802.3 'BMXR'"):
        bus.read(1, "BMXR")


def test_vendor_reset_and_restart_bits() -> None:
    """DP83867 CTRL (0x1f): bit 15 resets like BMCR.reset, bit 14 restarts the PHY."""
    bus = open_bus("sim://dp83867@1?partner=100full")
    bus.write(1, "ADVERTISE", 0x0061)
    bus.write(1, 0x1F, 0x8000)
    assert bus.read(1, 0x1F) == 0 and bus.read(1, "ADVERTISE") == 0x01E1
    bus.clock.advance(3)
    bus.write(1, 0x1F, 0x4000)
    assert not bus.phys[1].link
    bus.clock.advance(3)
    assert bus.read(1, 0x1F) == 0 and bus.phys[1].link


def test_page_alias() -> None:
    """RTL8211F: selecting page 0 selects the default page 0xa42."""
    bus = open_bus("sim://rtl8211f@1")
    bus.write(1, 31, 0)
    bus.write(1, 0x12, 0x0010)  # INER on page 0xa42
    bus.write(1, 31, 0x0A42)
    assert bus.read(1, 0x12) == 0x0010


def test_power_down_isolate_and_loopback() -> None:
    bus = open_bus("sim://")
    bus.write(1, "BMCR", 0x1940)  # power down
    assert not bus.phys[1].link
    bus.clock.advance(5)
    assert not bus.phys[1].link  # no negotiation while powered down
    bus.write(1, "BMCR", 0x1140)
    bus.clock.advance(5)
    assert bus.phys[1].link
    bus.write(1, "BMCR", 0x1540)  # isolate: the MII is cut, the line side keeps its link
    assert bus.read(1, "BMCR") & 0x0400 and bus.phys[1].link
    bus.write(1, "BMCR", 0x6100)  # loopback at forced 100 full: linked to itself
    assert bus.phys[1].mode == "100full"
    bus.unplug(1)
    assert bus.phys[1].mode == "100full"  # the cable does not matter in loopback
    bus.write(1, "BMCR", 0x2100)
    bus.clock.advance(1)
    assert not bus.phys[1].link  # loopback off, no cable: no link


def test_real_time_clock() -> None:
    import time

    bus = open_bus("sim://?time=real&start=power-on")
    assert not bus.clock.virtual
    assert bus.read(1, 1) == 0xFFFF  # still powering up
    time.sleep(0.05)
    assert bus.read(1, 1) != 0xFFFF


def test_marvell_soft_reset_keeps_its_configuration() -> None:
    """88E1111: writes right after BMCR.reset land (Linux's errata sequence relies on it),
    and the soft reset keeps configuration registers such as PSCR and ADVERTISE."""
    bus = open_bus("sim://88e1111@1")
    bus.write(1, "BMCR", 0x9140)
    bus.write(1, 16, 0x0060)  # PSCR: automatic crossover
    bus.write(1, "ADVERTISE", 0x0061)
    bus.write(1, "BMCR", 0x9140)
    bus.clock.advance(0.001)
    assert bus.read(1, 16) & 0x0060 == 0x0060
    assert bus.read(1, "ADVERTISE") == 0x0061


# -- behaviours found in review ------------------------------------------------------------------


def test_failed_negotiation_retries_stop_when_the_mode_changes() -> None:
    bus = SimBus.from_url("sim://?partner=forced-1000full")  # nothing to agree on
    bus.phys[1].partner = LinkPartner(frozenset({"10half"}))
    bus.write(1, "ADVERTISE", 0x0101)  # 100 full only: no common mode, AN keeps retrying
    bus.write(1, "CTRL1000", 0)
    bus.write(1, "BMCR", 0x1340)
    bus.clock.advance(2)
    bus.write(1, "BMCR", 0x0000)  # forced 10 half: links with the 10half partner
    bus.clock.advance(10)
    assert bus.phys[1].mode == "10half"  # no stale AN retry took the link down


def test_restart_autoneg_respects_power_down() -> None:
    bus = SimBus.from_url("sim://")
    bus.write(1, "BMCR", 0x1B40)  # power down and restart AN at once
    bus.clock.advance(5)
    assert not bus.phys[1].link
    bus.write(1, "BMCR", 0x0300)  # AN off and restart: the bit still self-clears
    bus.clock.advance(0.01)
    assert not bus.read(1, "BMCR") & 0x0200


def test_an_complete_waits_for_gigabit_training() -> None:
    bus = SimBus.from_url("sim://")
    bus.write(1, "BMCR", 0x1340)
    bus.clock.advance(2.0)  # pages exchanged (1.5 s), training still running
    assert bus.read(1, 1) & 0x0024 == 0
    bus.clock.advance(1.0)
    assert bus.read(1, 1) & 0x0024 == 0x0024
    assert bus.read(1, "LPA") & 0x8000  # 1000BASE-T abilities come in next pages
    assert bus.read(1, "EXPANSION") & 0x0008


def test_forced_speed_the_phy_cannot_do_gives_no_link() -> None:
    bus = SimBus.from_url("sim://generic-fe@1?partner=forced-1000full")
    bus.write(1, "BMCR", 0x0140)
    bus.clock.advance(1)
    assert not bus.phys[1].link


def test_interrupt_line_drops_after_a_reset() -> None:
    bus = SimBus.from_url("sim://lan8720a@1")
    bus.write(1, 30, 0x0010)
    bus.unplug(1)
    assert bus.phys[1].irq
    bus.write(1, 0, 0x8000)
    bus.clock.advance(0.01)
    assert not bus.phys[1].irq


def test_native_c45_writes_honour_faults_and_log_driven_data() -> None:
    bus = open_bus("sim://generic-c45@5?fault=5:drop-writes")
    bus.write_c45(5, "AN", 16, 0x0001)
    assert bus.read_c45(5, 7, 16) == 0x0181
    log: list[Transaction] = []
    bus.subscribe(log.append)
    bus.write(9, 0, 0x1200)  # nobody there: the log shows what the station drove
    bus.c45_address(9, 1, 0x0008)
    assert [t.data for t in log] == [0x1200, 0x0008]


def test_modify_does_not_write_after_an_unanswered_read() -> None:
    from physcapy.errors import NoAnswerError

    bus = open_bus("sim://")
    log: list[Transaction] = []
    bus.subscribe(log.append)
    with pytest.raises(NoAnswerError, match="nothing written"):
        bus.modify(5, "BMCR", 0, 0x8000)
    assert [t.op for t in log] == ["read"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sim://?fault=1:slow-reset:nan", "allowed 0-60"),
        ("sim://?fault=1:slow-reset:-1", "allowed 0-60"),
        ("sim://?partner=", "write partner=none for no cable"),
        ("sim://?partner=forced-100full,forced-10half", "a forced partner has exactly one mode"),
    ],
)
def test_more_bad_urls(url: str, message: str) -> None:
    with pytest.raises(PhyscapyError, match=message):
        open_bus(url)
    assert SimBus.from_url("sim://?partner=forced-100").phys[1].mode == "100half"


def test_sim_table_mistakes_name_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import shutil

    from physcapy.errors import LayerFileError
    from physcapy.resources import layers_dir

    for f in layers_dir().glob("*.toml"):
        shutil.copy(f, tmp_path)
    target = tmp_path / "generic-fe.toml"
    target.write_text(
        target.read_text() + '\n[sim.status]\n"BMCR.duplex" = { by = "mode", '
        'map = { "100ful" = 1 } }\n'
    )
    old = os.environ.get("PHYSCAPY_LAYERS")
    os.environ["PHYSCAPY_LAYERS"] = str(tmp_path)
    try:
        with pytest.raises(LayerFileError, match="mode is never '100ful'") as err:
            SimBus.from_url("sim://generic-fe@1")
        assert err.value.file.name == "generic-fe.toml" and err.value.line is not None
    finally:
        if old is None:
            del os.environ["PHYSCAPY_LAYERS"]
        else:
            os.environ["PHYSCAPY_LAYERS"] = old
