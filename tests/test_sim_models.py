# SPDX-License-Identifier: GPL-2.0-only
"""Every simulated model: IEEE conformance, and vendor status registers that agree with the link.

The expected vendor bits below are typed from the datasheets (register tables cited
in each layers/*.toml file), not from the simulator's [sim] tables.
"""

from __future__ import annotations

import pytest

from physcapy import open_bus
from physcapy.bus.access import identify, read_raw, resolve_target
from physcapy.registers.models import all_models
from physcapy.sim.bus import SimBus
from physcapy.sim.config import sim_config

PHY_MODELS = [m for m in all_models() if m.kind == "phy"]
# Clause 22 auto-negotiating parts (BASE-T1 parts do not negotiate; see test_sim_parts.py)
C22_MODELS = [
    m.name for m in PHY_MODELS if sim_config(m).clause22 and sim_config(m).base_t1 is None
]


@pytest.mark.parametrize("name", [m.name for m in PHY_MODELS])
def test_model_identifies_itself(name: str) -> None:
    bus = open_bus(f"sim://{name}@4")
    _, found, clause = identify(bus, 4)
    assert found is not None and found.name == name
    assert clause == (22 if sim_config(found).clause22 else 45)


@pytest.mark.parametrize("name", C22_MODELS)
def test_ieee_clause22_conformance(name: str) -> None:
    bus = SimBus.from_url(f"sim://{name}@1")
    m = bus.phys[1].model
    bmcr_reset = m.registers[0].reset
    bmsr = bus.read(1, 1)
    assert bmsr & 0x0024 == 0x0024, "settled with a partner: link up, AN complete"
    assert bus.read(1, 1) == bmsr  # nothing latched while the link stays up
    # BMSR is read-only
    bus.write(1, 1, 0)
    assert bus.read(1, 1) == bmsr
    # link loss is latched low
    bus.unplug(1)
    bus.plug(1)
    bus.clock.advance(6)
    assert not bus.read(1, 1) & 0x0004 and bus.read(1, 1) & 0x0004
    # restart AN: self-clearing, the link drops and returns
    bus.write(1, 0, bmcr_reset | 0x1200)
    assert bus.read(1, 0) & 0x0200
    bus.clock.advance(0.01)
    assert not bus.read(1, 0) & 0x0200 and not bus.phys[1].link
    bus.clock.advance(6)
    assert bus.phys[1].link
    # soft reset takes time, then BMCR is back at its reset value; a part that applies
    # what was written with the reset bit (Marvell) gets that instead, so write it
    # with the reset value's bits to keep auto-negotiation on.
    applies = any(r.address == 0 for r in bus.phys[1].config.reset_applies)
    bus.write(1, 0, 0x8000 | (bmcr_reset if applies else 0))
    if bus.phys[1].config.reset_time > bus.frame_time():  # DP83867 resets within one frame
        assert bus.read(1, 0) & 0x8000
    bus.clock.advance(1)
    assert bus.read(1, 0) == bmcr_reset
    bus.clock.advance(6)
    assert bus.read(1, 1) & 0x0024 == 0x0024
    # no partner: no link, AN never completes
    bus.unplug(1)
    bus.clock.advance(6)
    bus.read(1, 1)
    assert bus.read(1, 1) & 0x0024 == 0


def test_clause45_model_conformance() -> None:
    bus = SimBus.from_url("sim://generic-c45@2?partner=10g,5g,2.5g,1000full,100full")
    assert bus.phys[2].mode == "10000full"
    assert bus.read_c45(2, 7, 1) & 0x0020  # AN complete
    assert bus.read_c45(2, 7, 33) & 0x0800  # partner 10GBASE-T able
    bus.unplug(2)
    assert not bus.read_c45(2, 1, 1) & 0x0004  # PMA receive link: latched low
    bus.plug(2)
    bus.clock.advance(6)
    assert not bus.read_c45(2, 3, 1) & 0x0004  # PCS link latched the drop too
    assert bus.read_c45(2, 3, 1) & 0x0004
    bus.write_c45(2, 1, 0, 0xA040)  # PMA reset
    assert bus.read_c45(2, 1, 0) & 0x8000
    bus.clock.advance(0.01)
    assert bus.read_c45(2, 1, 0) == 0x2040


# (model, partner, expected mode, register, mask, value): vendor status per datasheet
VENDOR_STATUS = [
    ("88e1111", "1000full", "1000full", "17", 0xEC00, 0xAC00),  # PSSR 15:14=10, FD, resolved, link
    ("88e1111", "100full", "100full", "17", 0xEC00, 0x6C00),
    ("88e1111", "10half", "10half", "17", 0xEC00, 0x0C00),
    ("cis8201", "1000full", "1000full", "28", 0x0038, 0x0030),  # AUXCS speed 4:3, FD 5
    ("cis8201", "100half", "100half", "28", 0x0038, 0x0008),
    ("dm9161e", "100full", "100full", "17", 0xF000, 0x8000),  # DSCSR 100FDX
    ("dm9161e", "10half", "10half", "17", 0xF000, 0x1000),  # DSCSR 10HDX
    ("dp83848", "100full", "100full", "0x10", 0x0017, 0x0015),  # PHYSTS link, FD, AN done
    ("dp83848", "10half", "10half", "0x10", 0x0017, 0x0013),  # + 10 Mb/s bit
    ("dp83867", "1000full", "1000full", "0x11", 0xEC00, 0xAC00),  # PHYSTS 15:14=10, FD, ...
    ("dp83867", "100half", "100half", "0x11", 0xEC00, 0x4C00),
    ("ksz9031", "1000full", "1000full", "0x1f", 0x0078, 0x0048),  # PHYCON 1000, FD
    ("ksz9031", "10half", "10half", "0x1f", 0x0078, 0x0010),
    ("lxt971", "100full", "100full", "17", 0x4680, 0x4680),  # SR2 100, link, FD, AN done
    ("lxt971", "10half", "10half", "17", 0x4680, 0x0480),
    ("qs6612", "100full", "100full", "31", 0x101C, 0x1018),  # PCR AN done, mode 110
    ("qs6612", "10half", "10half", "31", 0x101C, 0x1004),
    ("rtl8211f", "1000full", "1000full", "0xa43:0x1a", 0x003C, 0x002C),  # PHYSR 5:4=10, FD, link
    ("rtl8211f", "100half", "100half", "0xa43:0x1a", 0x003C, 0x0014),
    ("lan8720a", "100full", "100full", "31", 0x101C, 0x1018),  # PSCSR autodone, 110
    ("lan8720a", "10half", "10half", "31", 0x101C, 0x1004),
]


@pytest.mark.parametrize(("name", "partner", "mode", "reg", "mask", "value"), VENDOR_STATUS)
def test_vendor_status_follows_the_link(
    name: str, partner: str, mode: str, reg: str, mask: int, value: int
) -> None:
    bus = SimBus.from_url(f"sim://{name}@1?partner={partner}")
    assert bus.phys[1].mode == mode
    target = resolve_target(bus.phys[1].model, reg)
    assert read_raw(bus, 1, target) & mask == value
    bus.unplug(1)
    bus.read(1, 1)
    assert read_raw(bus, 1, target) & mask != value  # no link: the status says so


@pytest.mark.parametrize(
    "name", [m.name for m in PHY_MODELS if m.sim.get("interrupts") is not None]
)
def test_interrupt_status_latches_and_clears(name: str) -> None:
    bus = SimBus.from_url(f"sim://{name}@1")
    phy = bus.phys[1]
    ints = phy.config.interrupts
    assert ints is not None
    status = resolve_target(
        phy.model,
        ints.status.key
        if ints.status.page is None
        else f"{ints.status.page:#x}:{ints.status.address}",
    )
    read_raw(bus, 1, status)  # acknowledge what power-up latched
    bus.unplug(1)
    latched = read_raw(bus, 1, status)
    events = {f.mask for e, f in ints.events.items() if e in ("link_change", "link_down")}
    if events:
        assert any(latched & mask for mask in events), f"{name}: link change not latched"
    again = read_raw(bus, 1, status)
    assert again & sum(f.mask for f in ints.events.values()) == 0, "clear on read"


def test_marvell_applies_bmcr_written_with_the_reset_bit() -> None:
    # 88E1111: speed, duplex and AN enable are "update on reset" bits: 0xA100 forces
    # 100/Full after the soft reset, where a strict IEEE part would reload 0x1140.
    bus = open_bus("sim://88e1111@1?partner=forced-100full")
    bus.write(1, 0, 0xA100)
    bus.clock.advance(1)
    assert bus.read(1, 0) == 0x2100 and bus.phys[1].mode == "100full"
    strict = open_bus("sim://generic@1?partner=forced-100full")
    strict.write(1, 0, 0xA100)
    strict.clock.advance(1)
    assert strict.read(1, 0) == 0x1140
