# SPDX-License-Identifier: GPL-2.0-only
"""Issue 22's parts in simulation: multi-gigabit AN with the vendor status registers
Linux reads, BASE-T1 without AN, 10BASE-T1S PLCA, and indirect register access.

Expected register values are typed from the Linux v6.12 decode rules cited in each
layers file (the function named beside each check), not from the [sim] tables.
"""

from __future__ import annotations

import json

import pytest

from physcapy import open_bus
from physcapy.bus.access import read_raw, resolve_target, write_raw
from physcapy.sim.bus import SimBus
from physcapy.traffic.annotate import annotate

# Each part and the PHY identifier Linux v6.12 matches (phy_id, mask).
PARTS = {
    "ksz8081": (0x00221560, 0x00FFFFF0),
    "lan8742a": (0x0007C130, 0xFFFFFFF2),
    "ksz9131": (0x00221640, 0x00FFFFF0),
    "dp83822": (0x2000A240, 0xFFFFFFF0),
    "yt8521": (0x0000011A, 0xFFFFFFFF),
    "yt8531": (0x4F51E91B, 0xFFFFFFFF),
    "bcm54213pe": (0x600D84A0, 0xFFFFFFF0),  # bound by the BCM54210E entry
    "88e1512": (0x01410DD0, 0xFFFFFFF0),
    "rtl8221b": (0x001CC849, 0xFFFFFFFF),
    "aqr113c": (0x31C31C12, 0xFFFFFFF0),
    "88x3310": (0x002B09A0, 0xFFFFFFF0),
    "gpy211": (0x67C9DE10, 0xFFFFFFF0),
    "tja1102": (0x0180DC80, 0xFFFFFFF0),
    "lan8670": (0x0007C162, 0xFFFFFFFF),
}


@pytest.mark.parametrize("name", sorted(PARTS))
def test_scan_names_each_part_and_linux_would_bind_it(cli, name: str) -> None:
    status, out, _ = cli("scan", f"sim://{name}@9", "--format", "json")
    assert status == 0
    (row,) = json.loads(out)
    linux_id, mask = PARTS[name]
    assert row["model"] == name
    assert int(row["phy_id"]) & mask == linux_id & mask


def test_regs_models_lists_ids_and_masks(cli) -> None:
    status, out, _ = cli("regs", "models", "--format", "json")
    assert status == 0
    listed = {m["name"]: (m["phy_id"], m["phy_id_mask"]) for m in json.loads(out)}
    for name, (linux_id, mask) in PARTS.items():
        phy_id, listed_mask = listed[name]
        assert listed_mask == mask and phy_id & mask == linux_id & mask, name


# -- multi-gigabit auto-negotiation ---------------------------------------------------


@pytest.mark.parametrize(
    ("partner", "mode", "rate"),
    [
        ("10g,5g,2.5g,1000full", "10000full", 3),
        ("5g,2.5g,1000full", "5000full", 5),
        ("2.5g,1000full,100full", "2500full", 4),
        ("1000full,100full", "1000full", 2),
        ("100full", "100full", 1),
    ],
)
def test_aqr113c_resolves_and_reports_the_rate_linux_reads(
    partner: str, mode: str, rate: int
) -> None:
    bus = SimBus.from_url(f"sim://aqr113c@0?partner={partner}")
    assert bus.phys[0].mode == mode
    # aqr107_read_rate: AN 0xC800 bits 3:1 rate (3 = 10G, 4 = 2.5G, 5 = 5G), bit 0 full
    status = bus.read_c45(0, 7, 0xC800)
    assert (status >> 1) & 7 == rate and status & 1
    assert bus.read_c45(0, 7, 1) & 0x0020  # AN complete (genphy_c45_read_status)
    lp = bus.read_c45(0, 7, 33)  # 7.33: what the partner offered (mii_10gbt_stat)
    assert bool(lp & 0x0800) == ("10g" in partner) and bool(lp & 0x0020) == ("2.5g" in partner)
    # aqr_read_status: the partner's 1000BASE-T ability is in AN 0xE820 bit 15
    assert bool(bus.read_c45(0, 7, 0xE820) & 0x8000) == ("1000full" in partner)


def test_aqr113c_gigabit_advertisement_lives_in_the_vendor_register() -> None:
    bus = SimBus.from_url("sim://aqr113c@0?partner=1000full,100full")
    # aqr_config_aneg: 1000BASE-T is advertised in AN 0xC400 bit 15; clear it, restart
    bus.write_c45(0, 7, 0xC400, bus.read_c45(0, 7, 0xC400) & ~0x8000)
    bus.write_c45(0, 7, 0, 0x3200)
    bus.clock.advance(6)
    assert bus.phys[0].mode == "100full"
    assert (bus.read_c45(0, 7, 0xC800) >> 1) & 7 == 1


def test_88x3310_copper_speed_in_cssr1() -> None:
    # mv3310_read_status_copper: PCS 0x8008 bits 15:14 = 3 selects bits 3:2 (2 = 5G,
    # 1 = 2.5G, 0 = 10G); bit 13 full duplex, bit 11 resolved; 3.0x1001 stays down.
    for partner, speed1, speed2 in (("5g,1000full", 3, 2), ("2.5g", 3, 1), ("10g", 3, 0)):
        bus = SimBus.from_url(f"sim://88x3310@0?partner={partner}")
        cssr1 = bus.read_c45(0, 3, 0x8008)
        assert (cssr1 >> 14, (cssr1 >> 2) & 3) == (speed1, speed2), partner
        assert cssr1 & 0x2800 == 0x2800
        assert not bus.read_c45(0, 3, 0x1001) & 0x0004
    bus = SimBus.from_url("sim://88x3310@0?partner=1000full")
    assert bus.read_c45(0, 3, 0x8008) >> 14 == 2
    assert bus.read_c45(0, 7, 0x8001) & 0x0800  # partner 1000BASE-T FD (MV_AN_STAT1000)


def test_rtl8221b_speed_over_clause22_and_clause45() -> None:
    bus = SimBus.from_url("sim://rtl8221b@1?partner=2.5g,1000full")
    assert bus.phys[1].mode == "2500full"
    # rtlgen_decode_speed: 0xA43:0x12 & 0x0630 == 0x0210 is 2.5G (C22 path, paged)
    bus.write(1, 31, 0xA43)
    assert bus.read(1, 0x12) & 0x0630 == 0x0210
    bus.write(1, 31, 0)
    # rtl822x_c45_read_status reads the same register as VEND2 0xA434
    assert bus.read_c45(1, 31, 0xA434) & 0x0630 == 0x0210
    # rtl822x_read_status: partner multi-gig abilities at 0xA5D:0x13 (7.33 layout)
    assert read_raw(bus, 1, resolve_target(bus.phys[1].model, "0xa5d:19")) & 0x0020
    # VEND2 0xA412 is register 9 seen over Clause 45 (1000BASE-T advertisement)
    bus.write(1, 9, 0x0000)
    assert bus.read_c45(1, 31, 0xA412) & 0x0200 == 0
    bus.write_c45(1, 31, 0xA412, 0x0200)
    assert bus.read(1, 9) & 0x0200
    bus = SimBus.from_url("sim://rtl8221b@1?partner=1000full")
    bus.write(1, 31, 0xA43)
    assert bus.read(1, 0x12) & 0x0630 == 0x0020


def test_gpy211_miistat() -> None:
    # gpy_read_status: PHY_MIISTAT (0x18) speed 2:0 (4 = 2.5G), bit 3 duplex, bit 10 link
    bus = SimBus.from_url("sim://gpy211@3?partner=2.5g,1000full")
    assert bus.read(3, 0x18) & 0x040F == 0x040C
    bus = SimBus.from_url("sim://gpy211@3?partner=100full")
    assert bus.read(3, 0x18) & 0x040F == 0x0409
    bus.unplug(3)
    assert not bus.read(3, 0x18) & 0x0400


# -- BASE-T1: no auto-negotiation -------------------------------------------------------


def test_tja1102_links_by_pma_status_with_forced_roles() -> None:
    bus = SimBus.from_url("sim://tja1102@4")
    bmsr = bus.read(4, 1)
    assert bmsr & 0x0004 and not bmsr & 0x0020  # link up, no AN complete: no AN at all
    assert bus.read(4, 23) & 0x8000  # COMMSTAT.link_up (tja11xx_read_status)
    assert bus.read(4, 18) & 0x8000 and bus.phys[4].master  # strapped MASTER
    # a partner forced to MASTER as well: no link
    bus = SimBus.from_url("sim://tja1102@4?partner=forced-100full,master")
    bus.clock.advance(1)
    assert not bus.read(4, 1) & 0x0004 and not bus.read(4, 23) & 0x8000
    # make the local end SLAVE (CFG1 bit 15 = 0, writes enabled by ECTRL.config_en)
    bus.write(4, 18, bus.read(4, 18) & ~0x8000)
    assert not bus.phys[4].link
    bus.clock.advance(0.5)
    assert bus.phys[4].link and not bus.phys[4].master and bus.phys[4].mode == "100full"


def test_tja1102_interrupts_on_link_fail() -> None:
    bus = SimBus.from_url("sim://tja1102@4")
    bus.write(4, 22, 0x0600)  # INTEN link fail + link up
    bus.read(4, 21)
    bus.unplug(4)
    assert bus.read(4, 21) & 0x0400 and bus.phys[4].irq is False  # read cleared it
    assert not bus.read(4, 21) & 0x0400


# -- 10BASE-T1S PLCA --------------------------------------------------------------------


def test_lan8670_plca_status_follows_enable_node_id_and_cable() -> None:
    bus = SimBus.from_url("sim://lan8670@2")
    assert bus.phys[2].mode == "10half"
    assert bus.read_mmd(2, 31, 0xCA00) >> 8 == 0x0A  # genphy_c45_plca_get_cfg: OATC14_IDM
    assert not bus.read_mmd(2, 31, 0xCA03) & 0x8000  # PLCA off: CSMA/CD
    bus.write_mmd(2, 31, 0xCA02, 0x0800)  # 8 nodes, local ID 0: coordinator
    bus.write_mmd(2, 31, 0xCA01, 0x8000)  # PLCA enable
    assert bus.read_mmd(2, 31, 0xCA03) & 0x8000
    bus.write_mmd(2, 31, 0xCA02, 0x08FF)  # ID 255: not configured
    assert not bus.read_mmd(2, 31, 0xCA03) & 0x8000
    bus.write_mmd(2, 31, 0xCA02, 0x0803)
    assert bus.read_mmd(2, 31, 0xCA03) & 0x8000
    bus.unplug(2)
    assert not bus.read_mmd(2, 31, 0xCA03) & 0x8000
    assert bus.read_mmd(2, 31, 0x19) & 0x0800  # STS2 reset complete (lan867x config_init)


# -- indirect registers -----------------------------------------------------------------


def test_motorcomm_extended_registers_through_0x1e_0x1f() -> None:
    bus = SimBus.from_url("sim://yt8531@1")
    bus.write(1, 0x1E, 0xA003)  # ytphy_write_ext: address to 0x1E, data to 0x1F
    bus.write(1, 0x1F, 0x3CF7)
    bus.write(1, 0x1E, 0xA001)
    chip = bus.read(1, 0x1F)
    bus.write(1, 0x1E, 0xA003)
    assert bus.read(1, 0x1F) == 0x3CF7 and chip != 0x3CF7
    assert bus.read(1, 0x1E) == 0xA003  # the address register reads back
    m = bus.phys[1].model
    assert read_raw(bus, 1, resolve_target(m, "EXT:RGMII_CONFIG1")) == 0x3CF7


def test_broadcom_shadow_and_expansion_registers() -> None:
    bus = SimBus.from_url("sim://bcm54213pe@1")
    # bcm_phy_write_shadow(LEDS1 = 0x0D): bit 15 | shadow << 10 | 10 data bits
    bus.write(1, 0x1C, 0x8000 | 0x0D << 10 | 0x00AA)
    bus.write(1, 0x1C, 0x0A << 10)  # select another shadow (APD)
    assert bus.read(1, 0x1C) >> 10 == 0x0A
    bus.write(1, 0x1C, 0x0D << 10)  # bcm_phy_read_shadow: select, then read
    assert bus.read(1, 0x1C) == 0x0D << 10 | 0x00AA
    # bcm_phy_write_exp(BCM_EXP_MULTICOLOR = 0x0F04)
    bus.write(1, 0x17, 0x0F04)
    bus.write(1, 0x15, 0x0100)
    bus.write(1, 0x17, 0)
    bus.write(1, 0x17, 0x0F04)
    assert bus.read(1, 0x15) == 0x0100


def test_annotate_names_the_registers_behind_indirect_access() -> None:
    bus = open_bus("sim://bcm54213pe@1")
    seen: list = []
    bus.subscribe(seen.append)
    bus.read(1, 2), bus.read(1, 3)
    m = bus.phys[1].model  # type: ignore[attr-defined]
    write_raw(bus, 1, resolve_target(m, "SHD:LEDS1"), 0x00AA)
    read_raw(bus, 1, resolve_target(m, "EXP:MULTICOLOR"))
    notes = list(annotate(seen))
    assert notes[1].model == "bcm54213pe"
    assert (notes[2].key, notes[2].name, notes[2].note) == ("SHD:0xd", "LEDS1", "SHD write")
    assert notes[2].fields["led1"] == "multicolor 1"  # 0xA (BCM_LED_SRC_MULTICOLOR1)
    assert (notes[3].note, notes[4].key, notes[4].name) == (
        "EXP select MULTICOLOR",
        "EXP:0x4",
        "MULTICOLOR",
    )


def test_broadcom_auxctl_shadows_on_register_0x18() -> None:
    bus = SimBus.from_url("sim://bcm54213pe@1")
    m = bus.phys[1].model
    # bcm54xx_auxctl_read(MISC): 0x18 <- 0x7 | 7 << 12, read 0x18 (model reset 0x7007).
    bus.write(1, 0x18, 0x7007)
    assert bus.read(1, 0x18) == 0x7007
    # bcm54xx_config_clock_delay: MISC | WREN | RGMII skew, written with selector 7.
    bus.write(1, 0x18, 0x8000 | 0x7007 | 0x0100)
    # bcm54xx_auxctl_write(AUXCTL = 0, SMDSP_ENA | TX_6DB): shadow 0 stored at once,
    # without a write enable; MISC keeps its value.
    bus.write(1, 0x18, 0x0C00)
    bus.write(1, 0x18, 0x0007)  # read select of shadow 0
    assert bus.read(1, 0x18) == 0x0C00
    bus.write(1, 0x18, 0x7007)
    assert bus.read(1, 0x18) == 0x7107
    # MISC without WREN is a read select, not a store.
    bus.write(1, 0x18, 0x7007 & ~0x0100)
    assert bus.read(1, 0x18) == 0x7107
    # physcapy's own access follows the kernel helpers, both ways.
    write_raw(bus, 1, resolve_target(m, "AUX:AUXCTL"), 0x0400)
    assert read_raw(bus, 1, resolve_target(m, "AUX:AUXCTL")) == 0x0400
    assert read_raw(bus, 1, resolve_target(m, "AUX:MISC")) == 0x7107


def test_annotate_names_the_auxctl_shadows() -> None:
    bus = open_bus("sim://bcm54213pe@1")
    seen: list = []
    bus.subscribe(seen.append)
    bus.read(1, 2), bus.read(1, 3)
    bus.write(1, 0x18, 0x7007)  # read select of MISC
    bus.read(1, 0x18)
    bus.write(1, 0x18, 0x0C00)  # AUXCTL write
    notes = list(annotate(seen))
    assert (notes[2].key, notes[2].note) == ("AUX:0x7", "AUX select MISC")
    assert (notes[3].name, notes[3].note) == ("MISC", "AUX read")
    assert (notes[4].name, notes[4].note) == ("AUXCTL", "AUX write")
