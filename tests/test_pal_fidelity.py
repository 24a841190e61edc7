# SPDX-License-Identifier: GPL-2.0-only
"""Each PAL profile is one kernel release (issue 18): linux26 = Linux v2.6.32,
linux6 = Linux v6.12.

Every test pins MDIO transactions as that release's source issues them and names the
kernel file and function it follows.  ``("r", reg)`` is a read, ``("w", reg, value)``
a write, at PHY address 1, in order.  The fidelity table in docs/pal-fidelity.md is
the same facts in prose; ``test_fidelity_table_*`` keep the two together.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from physcapy.pal import Pal, PhyDevice
from physcapy.pal.constants import DUPLEX_FULL, PHY_POLL
from physcapy.pal.ethtool import phy_ethtool_gset, phy_ethtool_sset
from physcapy.pal.events import Event
from physcapy.pal.genphy import genphy_soft_reset
from tests.test_pal_drivers import Run, unplug

#: phy_read_mmd(3, 20) through registers 13/14 (v6.12 phy-core.c mmd_phy_indirect).
EEE_ABLE_C22 = [("w", 13, 3), ("w", 14, 20), ("w", 13, 0x4003), ("r", 14)]
DOCS = Path(__file__).resolve().parent.parent / "docs" / "pal-fidelity.md"


def probe_ops(run: Run) -> list[tuple]:
    """MDIO of the scan at address 1 after its ID reads: what phy_probe did."""
    first = run.pal.events.index(run.connect_events[0]) if run.connect_events else None
    ops = Run._ops(run.pal.events[:first])
    assert ops[:2] == [("r", 2), ("r", 3)]
    return ops[2:]


def writes_to(run: Run, *regs: int) -> list[tuple[int, int]]:
    return [w for w in run.init_writes + run.run_writes if w[0] in regs]


# -- finding 1: v6.12 marvell.c drives the 88E1111 ------------------------------------------


def test_88e1111_v612_probe_attach_and_interrupts() -> None:
    """v6.12 marvell.c: phy_probe's phy_disable_interrupts is marvell_config_intr (r18 ← 0,
    ack r19); no .features, so genphy_read_abilities (BMSR, ESTATUS, 3.20); attach runs
    m88e1111gbe_config_init = m88e1111_set_downshift (r20, genphy_soft_reset) then
    m88e1111_config_init (GMII: genphy_soft_reset); phy_init_hw's config_intr off;
    phy_resume; phy_request_interrupt's config_intr on (ack, r18 ← 0x6400)."""
    run = Run("sim://88e1111@1?partner=1000full", "linux6", interrupts=True, seconds=4)
    assert run.dev.irq == 33 and run.dev.drv is not None and run.dev.drv.features == 0
    assert probe_ops(run) == [("w", 18, 0), ("r", 19), ("r", 1), ("r", 15), *EEE_ABLE_C22]
    reset = [("r", 0), ("w", 0, 0x1140 | 0x8000 | 0x0200), ("r", 0)]  # genphy_soft_reset
    assert run.ops(connect=True) == [
        ("r", 20),
        ("w", 20, 0x0500),  # downshift enable (bit 8) after 3 tries (bits 11:9 = 2)
        *reset,
        *reset,
        ("w", 18, 0),  # config_intr off, then ack
        ("r", 19),
        ("r", 0),  # genphy_resume: phy_modify, nothing to clear
        ("r", 19),  # config_intr on: ack, then the mask
        ("w", 18, 0x6400),
    ]
    attached = next(e for e in run.connect_events if e.kind == "log")
    assert attached.data["text"].endswith("(mii_bus:phy_addr=0:01, irq=33)")


def test_88e1111_v612_config_aneg_and_irq_no_errata() -> None:
    """v6.12 m88e1111_config_aneg: r27 read, then marvell_config_aneg: MDI-X by
    phy_modify_changed of r16, r24 ← 0x4100, genphy_config_aneg (no restart when the
    advertisement is unchanged), and genphy_soft_reset because the polarity changed.
    No BMCR ← 0x8000 first and never r29/r30.  The link comes from
    marvell_handle_interrupt (r19)."""
    run = Run("sim://88e1111@1?partner=1000full", "linux6", interrupts=True, seconds=4)
    (r16,) = run.reads(16)
    assert run.ops()[:13] == [
        ("r", 0),  # phy_start: __phy_resume
        ("r", 27),
        ("r", 16),
        ("w", 16, r16 | 0x0060),
        ("w", 24, 0x4100),
        ("r", 4),  # genphy_config_advert: unchanged, no write
        ("r", 1),  # BMSR: ESTATEN, so CTRL1000 too
        ("r", 9),
        ("r", 0),  # genphy_check_and_restart_aneg: AN on, not isolated
        ("r", 0),  # genphy_soft_reset (polarity changed)
        ("w", 0, 0x9340),
        ("r", 0),
        ("r", 17),  # marvell_read_status: r17 first
    ]
    assert writes_to(run, 29, 30) == []
    irq = run.first("mdio", reg=19, op="read")
    assert run.first("carrier", on=True).t > irq.t  # the interrupt brought the link up
    assert (run.dev.speed, run.dev.duplex) == (1000, DUPLEX_FULL)


def test_88e1101_v612_keeps_its_errata_after_a_soft_reset() -> None:
    """v6.12 m88e1101_config_aneg: genphy_soft_reset, then the five r29/r30 writes, then
    marvell_config_aneg (the 88E1101 and 88E1145 only)."""
    run = Run("sim://88e1101@1", "linux6", seconds=0.2)
    assert writes_to(run, 29, 30) == [
        (29, 0x001F),
        (30, 0x200C),
        (29, 0x0005),
        (30, 0x0000),
        (30, 0x0100),
    ]
    assert run.run_writes[0][0] == 0 and run.run_writes[0][1] & 0x8000  # the reset first


# -- finding 2: no driver v2.6.32 lacks ------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    ["dp83848", "dp83848ti", "dp83620", "tlk105", "dp83867", "ksz9031", "rtl8201cp", "rtl8211f"],
)
def test_linux26_binds_the_generic_driver_and_polls(model: str) -> None:
    """v2.6.32 has no dp83848.c, dp83867.c or micrel.c and realtek.c drives the RTL8211B
    only: phy_attach_direct binds genphy_driver, which lacks PHY_HAS_INTERRUPT, so
    phy_probe sets irq = PHY_POLL; genphy_config_init reads BMSR (and ESTATUS)."""
    run = Run(f"sim://{model}@1", interrupts=True, seconds=3)
    assert run.dev.drv is not None and run.dev.drv.name == "Generic PHY"
    assert run.dev.irq == PHY_POLL
    reads = [op[1] for op in run.ops(connect=True)]
    assert reads[0] == 1 and set(reads) <= {1, 15}  # genphy_config_init only
    assert ("RUNNING", "CHANGELINK") in [(a, b) for _, a, b in run.pal.events.states()]


# -- finding 3: v6.12 smsc.c LAN8710/LAN8720 ---------------------------------------------------


def test_lan8720a_v612_interrupt_mode() -> None:
    """v6.12 smsc.c: smsc_phy_config_init turns EDPD off when irq != PHY_POLL (r17 bit 13
    via phy_clear_bits: read, no write when clear) and reads no r29; smsc_phy_config_intr
    acks before enabling 0x50 and after disabling; lan95xx_config_aneg_ext leaves r16
    alone unless phy_id is exactly 0x0007c0f0; smsc_phy_handle_interrupt reads r29 only;
    so no 640 ms ENERGYON poll."""
    run = Run("sim://lan8720a@1?partner=100full", "linux6", interrupts=True, seconds=3)
    assert run.dev.phy_id == 0x0007C0F1
    assert run.ops(connect=True) == [
        ("r", 18),  # smsc_phy_reset: mode 111, no write
        ("r", 0),
        ("w", 0, 0x3000 | 0x8000 | 0x0200),
        ("r", 0),
        ("r", 17),  # smsc_phy_config_init: EDPD off (already off)
        ("w", 30, 0),  # config_intr off: mask, then ack
        ("r", 29),
        ("r", 0),  # genphy_resume
        ("r", 29),  # phy_request_interrupt: ack, then mask 0x50
        ("w", 30, 0x0050),
    ]
    assert writes_to(run, 16, 17) == [] and run.ops({17}) == []
    assert [op for op in run.ops({29, 30})] == [("r", 29)] * len(run.ops({29, 30}))
    assert run.dev.state.name == "RUNNING"


def test_lan8720a_v612_polling_keeps_edpd() -> None:
    """v6.12 smsc_phy_config_init when polling: EDPD set (r17 |= 0x2000, phy_set_bits)."""
    run = Run("sim://lan8720a@1?partner=none", "linux6", seconds=0.1)
    (mcsr,) = run.reads(17, connect=True)
    assert (17, mcsr | 0x2000) in run.init_writes


# -- finding 4: v6.12 phy_probe traffic ------------------------------------------------------


def test_lan8720a_v612_probe_traffic() -> None:
    """v6.12 phy_probe: phy_disable_interrupts (smsc_phy_config_intr off: r30 ← 0, r29),
    then genphy_read_abilities (BMSR; no ESTATEN) and genphy_c45_read_eee_abilities:
    3.20 through r13/r14, 0xFFFF = no EEE, so no 7.60 read."""
    run = Run("sim://lan8720a@1", "linux6", seconds=0)
    assert probe_ops(run) == [("w", 30, 0), ("r", 29), ("r", 1), *EEE_ABLE_C22]
    assert run.dev.supported_eee == 0 and not run.dev.eee_enabled


def test_dp83848_v612_probe_reads_bmsr() -> None:
    """v6.12 dp83848.c has no .features: phy_probe reads BMSR (genphy_read_abilities),
    after dp83848_config_intr off (r17 read, INTEN cleared, MISR ack)."""
    run = Run("sim://dp83848@1", "linux6", seconds=0)
    assert probe_ops(run) == [("r", 17), ("w", 17, 0), ("r", 18), ("r", 1), *EEE_ABLE_C22]


def test_linux26_probe_reads_nothing() -> None:
    """v2.6.32 phy_probe takes the driver's features: no MDIO at probe."""
    run = Run("sim://lan8720a@1", seconds=0)
    assert probe_ops(run) == []


# -- finding 5: v6.12 dp83848_config_intr ------------------------------------------------------


def test_dp83848_v612_config_intr_acks_misr() -> None:
    """v6.12 dp83848_config_intr: MICR read; on: MISR read (ack), MISR ← 0x3c, MICR ← 0x3;
    off: MICR with INTEN cleared, then MISR read (ack).  dp83848_handle_interrupt reads
    MISR and claims events 0x3c00."""
    run = Run("sim://dp83848@1?partner=100full", "linux6", interrupts=True, seconds=3)
    assert run.ops({17, 18}, connect=True) == [
        ("r", 17),  # phy_init_hw: off
        ("w", 17, 0),
        ("r", 18),
        ("r", 17),  # phy_request_interrupt: on
        ("r", 18),
        ("w", 18, 0x003C),
        ("w", 17, 0x0003),
    ]
    assert run.ops({17, 18}) == [("r", 18)]  # one interrupt, read and acked
    assert run.dev.state.name == "RUNNING"


# -- finding 6: nothing after v6.12 ------------------------------------------------------------


def test_linux6_halted_keeps_speed_duplex_and_partner_pages() -> None:
    """v6.12 _phy_state_machine, PHY_HALTED: link = 0 and phy_link_down only (clearing
    speed, duplex and lp_advertising came with a 2025 net-next change)."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run(4)
    lp = dev.lp_advertising
    pal.phy_stop(dev)
    assert dev.state.name == "HALTED" and dev.link == 0
    assert (dev.speed, dev.duplex, dev.lp_advertising) == (1000, DUPLEX_FULL, lp) and lp


def test_linux6_ethtool_forced_mode_is_not_checked_against_supported() -> None:
    """v6.12 phy_ethtool_ksettings_set checks speed in {10, 100, 1000} and duplex only
    (phy_check_valid came later); _phy_start_aneg's phy_sanitize_settings then picks the
    fastest supported mode at or below it (phy_lookup_setting, not exact)."""
    pal = Pal("sim://lan8720a@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run(1)
    cmd = replace(phy_ethtool_gset(dev), autoneg=0, speed=1000, duplex=DUPLEX_FULL)
    phy_ethtool_sset(dev, cmd)  # 1000/Full on a 10/100 PHY: accepted
    pal.run(1)
    assert (dev.speed, dev.duplex) == (100, DUPLEX_FULL)


# -- finding 7: messages, carrier, time stamps -------------------------------------------------


def test_v612_print_status_goes_through_the_netdev() -> None:
    """v6.12 phy_print_status: netdev_info(attached_dev, ...)."""
    pal = Pal("sim://lan8720a@1?partner=100full", "linux6")
    dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    pal.run(3)
    texts = [e.data["text"] for e in pal.events.of("log")]
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in texts


@pytest.mark.parametrize(("profile", "first"), [("linux26", None), ("linux6", False)])
def test_carrier_at_attach(profile: str, first: bool | None) -> None:
    """v6.12 phy_attach_direct calls netif_carrier_off; v2.6.32 phy_attach_direct never
    touches the carrier, which a registered net_device has on."""
    pal = Pal("sim://lan8720a@1", profile)
    pal.phy_connect(pal.netdev(), "0:01")
    carrier = pal.events.of("carrier")
    assert (carrier[0].data["on"] if carrier else None) is first


def test_events_after_a_sleep_are_stamped_after_the_mdio_before_them() -> None:
    """A work item that sleeps (genphy_soft_reset's 50 ms poll, as after an ioctl BMCR
    reset) stamps what it does afterwards with the time it woke up."""
    pal = Pal("sim://generic@1", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)

    def reset_then_stop(d: PhyDevice = dev) -> None:
        genphy_soft_reset(d)
        pal.phy_stop(d)

    pal.at(3.5, reset_then_stop)
    pal.run(5)
    halted = next(e for e in pal.events.of("state") if e.data["to"] == "HALTED")
    before = [e for e in pal.events[: pal.events.index(halted)] if e.kind == "mdio"]
    assert halted.t >= before[-1].t >= 3.55


# -- the release is named ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "variant", "release"),
    [("linux26", None, "v2.6.32"), ("linux26", "2005", "2005"), ("linux6", None, "v6.12")],
)
def test_timeline_starts_with_the_release(profile: str, variant: str | None, release: str) -> None:
    pal = Pal("sim://generic@1", profile, variant=variant)
    first: Event = pal.events[0]
    assert first.kind == "log" and release in first.data["text"]


def test_pal_help_names_the_releases(cli) -> None:
    status, out, _ = cli("pal", "--help")
    assert status == 0 and "v2.6.32" in out and "v6.12" in out


# -- the done-when checks --------------------------------------------------------------


def test_done_when_88e1111_linux6_interrupts(cli) -> None:
    """``physcapy pal 'sim://88e1111@1' 1 --profile linux6 --interrupts --format jsonl``:
    a real IRQ, no writes to 29/30, the v6.12 config sequence."""
    import json

    status, out, _ = cli(
        "pal", "sim://88e1111@1", "1", "--profile", "linux6", "--interrupts",
        "--format", "jsonl", "--seconds", "4",
    )  # fmt: skip
    assert status == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert "Linux v6.12" in events[0]["text"]
    assert any("irq=33)" in e.get("text", "") for e in events)
    writes = [(e["reg"], e["data"]) for e in events if e["event"] == "mdio" and e["op"] == "write"]
    assert not [w for w in writes if w[0] in (29, 30)]
    c22 = [w for w in writes if w[0] not in (13, 14)]  # 13/14: the EEE ability read
    assert c22[:2] == [(18, 0), (20, 0x0500)]  # probe's config_intr off, downshift
    assert (24, 0x4100) in writes and (18, 0x6400) in writes
    assert [e["to"] for e in events if e["event"] == "state"][-1] == "RUNNING"


def test_done_when_dp83848_linux26_generic_and_polled(cli) -> None:
    status, out, _ = cli(
        "pal", "sim://dp83848@1", "1", "--profile", "linux26", "--interrupts", "--seconds", "4"
    )
    assert status == 0
    assert "attached PHY driver [Generic PHY] (mii_bus:phy_addr=0:01, irq=-1)" in out
    assert "RUNNING -> CHANGELINK" in out  # polled: CHANGELINK every other tick


# -- the fidelity table and these tests stay together ----------------------------------------


def test_fidelity_table_names_each_test_that_checks_it() -> None:
    text = DOCS.read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_\w+)`", text))
    here = {n for n in globals() if n.startswith("test_")}
    from tests import (
        test_pal_c45_drivers,
        test_pal_drivers,
        test_pal_v612_parts,
        test_pal_v612_parts2,
    )

    modules = (test_pal_drivers, test_pal_c45_drivers, test_pal_v612_parts, test_pal_v612_parts2)
    there = {n for m in modules for n in dir(m) if n.startswith("test_")}
    assert named and named <= here | there, named - here - there


# -- power-on: the scan waits for the PHY --------------------------------------------------


def test_power_on_scan_waits_the_probe_delay(cli) -> None:
    """``physcapy pal 'sim://lan8720a@1?start=power-on' 1`` scans 0.1 s after power-on
    (the default boot / reset-deassert delay), after the 20 ms power-up, and runs."""
    status, out, err = cli("pal", "sim://lan8720a@1?start=power-on", "1", "--seconds", "4")
    assert status == 0 and err == ""
    assert "MDIO bus probed 100 ms after power-on" in out
    assert "PHY: 0:01 - Link is Up - 100/Full" in out


def test_power_on_scan_too_early_says_why(cli) -> None:
    status, out, err = cli("pal", "sim://lan8720a@1?start=power-on", "1", "--probe-delay", "0.005")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "ENODEV: no PHY named '0:01'" in err
    assert "the scan at 0.0050 s read no ID at address 1" in err
    assert "still powering up until 0.0200 s" in err and "--probe-delay" in err


@pytest.mark.parametrize("bad", ["x", "-1", "nan", "4000"])
def test_probe_delay_bad_input(cli, bad: str) -> None:
    status, _, err = cli("pal", "sim://", "1", "--probe-delay", bad)
    assert status == 2 and err.startswith("physcapy: error: --probe-delay")


def test_pal_probe_delay_api() -> None:
    pal = Pal("sim://lan8720a@1?start=power-on", probe_delay=0.05)
    assert pal.device("0:01").drv is not None and pal.mii.scanned_at == pytest.approx(0.05)
    with pytest.raises(Exception, match="probe_delay"):
        Pal("sim://", probe_delay=-1)


@pytest.mark.parametrize(("partner", "speed"), [("1000full", 1000), ("100full", 100)])
def test_rtl8211f_v612_speed_from_page_a43_register_18(partner: str, speed: int) -> None:
    """drivers/net/phy/realtek.c (v6.12) rtlgen_read_status: after genphy_read_status
    the speed comes from page 0xa43 register 0x12 (rtlgen_decode_speed), so the
    simulated RTL8211F must put the resolved speed there, or Linux says 10 Mb/s."""
    pal = Pal(f"sim://rtl8211f@1?partner={partner}", "linux6")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.run(5)
    assert dev.speed == speed
    reads = [
        e.data
        for e in pal.events.of("mdio")
        if e.data.get("op") == "read" and e.data.get("reg") == 18
    ]
    assert reads, "rtlgen_read_status did not read register 0x12"


# -- issue 18 item 3: the rest of the table, driver by driver ----------------------------------
#
# ``("mr", devad, reg)`` / ``("mw", devad, reg, value)`` stand for one phy_read_mmd /
# phy_write_mmd through registers 13/14 (v6.12 phy-core.c mmd_phy_indirect), so that the
# sequences read as the kernel source does.  Interrupt paths are taken by pulling the
# cable at 3.5 s; ``unplug_ops`` is the MDIO of the next 0.1 s (the interrupt handling
# and the state machine run it starts).

Op = tuple[int | str, ...]
UNPLUG_AT = 3.5
EEE_ABLE = ("mr", 3, 0x14)  # genphy_c45_read_eee_abilities (v6.12 phy-c45.c)


def mmd_ops(ops: list[Op]) -> list[Op]:
    """``ops`` with each 13/14 indirect MMD access folded into one ("mr"/"mw") entry."""
    out: list[Op] = []
    i = 0
    while i < len(ops):
        op = ops[i]
        if (
            op[:2] == ("w", 13)
            and i + 3 < len(ops)
            and ops[i + 1][:2] == ("w", 14)
            and ops[i + 2] == ("w", 13, 0x4000 | int(op[2]))
            and ops[i + 3][1] == 14
        ):
            devad, reg, last = op[2], ops[i + 1][2], ops[i + 3]
            out.append(("mw", devad, reg, last[2]) if last[0] == "w" else ("mr", devad, reg))
            i += 4
            continue
        out.append(op)
        i += 1
    return out


def unplugged(url: str, profile: str, **kw: Any) -> Run:
    """``url`` taken up with interrupts requested, its cable pulled at 3.5 s."""
    return Run(url, profile, interrupts=True, seconds=4, at=((UNPLUG_AT, unplug),), **kw)


def unplug_ops(run: Run) -> list[Op]:
    events = [e for e in run.pal.events if UNPLUG_AT <= e.t < UNPLUG_AT + 0.1]
    return mmd_ops(Run._ops(events))


def start_ops(run: Run, n: int) -> list[Op]:
    """The first ``n`` transactions after phy_start (resume, config_aneg, ...)."""
    return mmd_ops(run.ops())[:n]


# -- TI DP83867 (v6.12 dp83867.c) ----------------------------------------------------------------

DP83867_RESET_612 = [
    ("w", 0x1F, 0x8000),
    ("r", 0x10),
    ("mw", 0x1F, 0x12C, 0x0E81),
    ("w", 0x1F, 0x4000),
]
DP83867_INTR_ON = [("r", 0x13), ("r", 0x12), ("w", 0x12, 0xEC10)]


@pytest.mark.parametrize(
    ("interface", "verify", "rgmiictl"),
    [("rgmii", [("mr", 0x1F, 0x6F)], 0x0000), ("rgmii_id", [], 0x0003)],
)
def test_dp83867_v612_config_init_reads_the_strap_status(
    interface: str, verify: list[Op], rgmiictl: int
) -> None:
    """v6.12 dp83867.c, line by line: phy_init_hw runs dp83867_phy_reset (CTRL ←
    SW_RESET, PHYCR bit 10 by phy_modify, DSP FFE 0x12c ← 0x0e81, CTRL ← SW_RESTART),
    then dp83867_config_init: phy_modify CFG2 (downshift); dp83867_verify_rgmii_cfg,
    which for plain RGMII reads STRAP_STS2 (MMD 0x1f 0x6f) to warn about strapped
    skews; STRAP_STS2 read again for the FLD strap (bit 10 clear: no FLD_THR_CFG
    change); PHYCR FIFO depth read/write; PHYCR with the STRAP_STS1 bit-11 check;
    RGMIICTL read/write; RGMIIDCTL ← rx | tx << 4; CFG3 read, |= INT_OE | robust
    auto-MDIX, written.  Then config_intr off (MICR ← 0, ack ISR), dp83867_resume
    (config_intr on: ack, MICR |= 0xec10; genphy_resume), phy_request_interrupt (on)."""
    run = Run(
        "sim://dp83867@1?partner=1000full",
        "linux6",
        interface=interface,
        interrupts=True,
        seconds=0.1,
        priv={"ti,rx-internal-delay": 7, "ti,tx-internal-delay": 8},
    )
    assert mmd_ops(probe_ops(run)) == [("w", 0x12, 0), ("r", 0x13), ("r", 1), ("r", 15), EEE_ABLE]
    assert mmd_ops(run.ops(connect=True)) == [
        *DP83867_RESET_612,
        ("r", 0x14),  # CFG2: downshift
        ("w", 0x14, 0x0300),
        *verify,  # dp83867_verify_rgmii_cfg
        ("mr", 0x1F, 0x6F),  # STRAP_STS2: FLD strap
        ("r", 0x10),  # PHYCR: TX FIFO depth
        ("w", 0x10, 0x5048),
        ("r", 0x10),  # PHYCR: STRAP_STS1 bit 11
        ("mr", 0x1F, 0x6E),
        ("w", 0x10, 0x5048),
        ("mr", 0x1F, 0x32),  # RGMIICTL
        ("mw", 0x1F, 0x32, rgmiictl),
        ("mw", 0x1F, 0x86, 7 | 8 << 4),  # RGMIIDCTL
        ("r", 0x1E),  # CFG3
        ("w", 0x1E, 0x0280),
        ("w", 0x12, 0),  # phy_init_hw: config_intr off
        ("r", 0x13),
        *DP83867_INTR_ON,  # dp83867_resume
        ("r", 0),
        *DP83867_INTR_ON,  # phy_request_interrupt
    ]


def test_dp83867_v612_missing_delay_fails_after_the_cfg2_write() -> None:
    """v6.12 dp83867_config_init: the CFG2 phy_modify comes before
    dp83867_verify_rgmii_cfg, whose -EINVAL (RGMII_ID without ti,rx-internal-delay)
    stops config_init with nothing else written."""
    pal = Pal("sim://dp83867@1", "linux6")
    pal.device("0:01").priv["ti,tx-internal-delay"] = 8
    start = len(pal.events)
    with pytest.raises(Exception, match="ti,rx-internal-delay") as exc:
        pal.phy_connect(pal.netdev(), "0:01", interface="rgmii_id")
    assert getattr(exc.value, "errno", None) == 22
    ops = mmd_ops(Run._ops(pal.events[start:]))
    assert ops[-2:] == [("r", 0x14), ("w", 0x14, 0x0300)]


@pytest.mark.parametrize("fld", [False, True])
def test_dp83867_v612_fld_strap_restores_the_energy_lost_threshold(fld: bool) -> None:
    """v6.12 dp83867_config_init: STRAP_STS2 bit 10 (FLD strapped) makes it
    phy_modify_mmd FLD_THR_CFG (MMD 0x1f 0x2e) bits 2:0 to 1; without it 0x2e is not
    touched.  (The stuck r14 bit shows bit 10 in every MMD read.)"""
    fault = "&fault=1:stuck:14:0x0400:0x0400" if fld else ""
    run = Run(f"sim://dp83867@1?partner=1000full{fault}", "linux6", interface="sgmii", seconds=0)
    ops = mmd_ops(run.ops(connect=True))
    sts2 = ops.index(("mr", 0x1F, 0x6F))
    assert ops[sts2 + 1] == (("mr", 0x1F, 0x2E) if fld else ("r", 0x10))
    assert (("mr", 0x1F, 0x2E) in ops) is fld


def test_dp83867_v612_config_aneg_is_generic() -> None:
    """v6.12 dp83867.c has no config_aneg: phy_start runs dp83867_resume (config_intr
    on: ISR, MICR |= 0xec10; genphy_resume), then genphy_config_aneg (advertisement
    unchanged: r4, BMSR for ESTATEN, r9, BMCR: no restart); dp83867_read_status reads
    PHYSTS before genphy_read_status; dp83867_handle_interrupt reads ISR, then MICR."""
    run = unplugged("sim://dp83867@1?partner=100full", "linux6", interface="rgmii")
    assert start_ops(run, 10) == [
        *DP83867_INTR_ON,  # phy_start: __phy_resume = dp83867_resume
        ("r", 0),
        ("r", 4),  # genphy_config_aneg
        ("r", 1),
        ("r", 9),
        ("r", 0),
        ("r", 0x11),  # dp83867_read_status: PHYSTS first
        ("r", 0),
    ]
    assert unplug_ops(run)[:3] == [("r", 0x13), ("r", 0x12), ("r", 0x11)]


# -- Davicom (2.6.32 and v6.12 davicom.c) ----------------------------------------------------

DM9161_CONFIG_INIT = [("w", 0, 0x0400), ("w", 16, 0x0610), ("w", 18, 0x7800), ("w", 0, 0x1000)]
#: v6.12 dm9161_config_intr off: r21 read, written with the four masks (0x0f00) set,
#: acknowledged (r21 read); on: r21 read, acknowledged, written with the masks clear.
DM9161_INTR_OFF_612 = [("r", 21), ("w", 21, 0x0F04), ("r", 21)]
DM9161_INTR_ON_612 = [("r", 21), ("r", 21), ("w", 21, 0x0000)]


@pytest.mark.parametrize("model", ["dm9161e", "dm9161a"])
def test_davicom_dm9161_v2632(model: str) -> None:
    """2.6.32 davicom.c: PHY_BASIC_FEATURES, no PHY_HAS_INTERRUPT, so polled;
    dm9161_config_init isolates, loads r16 (MII: 0x0610) and r18, de-isolates with AN
    on; dm9161_config_aneg isolates again, so genphy_config_aneg (advertisement
    unchanged, BMCR read shows ISOLATE) restarts AN with genphy_restart_aneg."""
    run = unplugged(f"sim://{model}@1?partner=100full", "linux26", interface="mii")
    assert run.dev.irq == PHY_POLL
    assert probe_ops(run) == []
    assert run.ops(connect=True) == DM9161_CONFIG_INIT
    assert start_ops(run, 5) == [("w", 0, 0x0400), ("r", 4), ("r", 0), ("r", 0), ("w", 0, 0x1200)]
    assert unplug_ops(run) == []  # polled: the unplug is seen at the next tick


@pytest.mark.parametrize("model", ["dm9161e", "dm9161a"])
def test_davicom_dm9161_v612(model: str) -> None:
    """v6.12 davicom.c: every entry has dm9161_config_intr/dm9161_handle_interrupt and
    no features.  Probe: config_intr off, genphy_read_abilities.  phy_init_hw:
    dm9161_config_init (as 2.6.32), config_intr off; no resume op; phy_request_interrupt:
    config_intr on.  phy_start: dm9161_config_aneg (isolate; genphy_config_aneg restarts
    AN); the handler reads r21 only."""
    run = unplugged(f"sim://{model}@1?partner=100full", "linux6", interface="mii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == [*DM9161_INTR_OFF_612, ("r", 1), EEE_ABLE]
    assert run.ops(connect=True) == [
        *DM9161_CONFIG_INIT,
        *DM9161_INTR_OFF_612,
        *DM9161_INTR_ON_612,
    ]
    assert start_ops(run, 6) == [
        ("w", 0, 0x0400),  # dm9161_config_aneg
        ("r", 4),  # genphy_config_advert: unchanged
        ("r", 1),  # BMSR: no ESTATEN
        ("r", 0),  # genphy_check_and_restart_aneg: isolated, so genphy_restart_aneg
        ("r", 0),
        ("w", 0, 0x1200),
    ]
    assert unplug_ops(run)[:2] == [("r", 21), ("r", 0)]  # dm9161_handle_interrupt


@pytest.mark.parametrize(
    ("profile", "probe", "connect", "start", "unplugged_"),
    [
        (
            "linux26",
            [],
            # phy_start_interrupts: ack (r21), dm9161_config_intr (r21, masks cleared)
            [("r", 21), ("r", 21), ("w", 21, 0x0000)],
            [("r", 4), ("r", 0)],  # genphy_config_aneg: unchanged, AN on, no restart
            [
                ("r", 21),  # phy_change: phy_disable_interrupts = config_intr off, ack
                ("w", 21, 0x0F04),
                ("r", 21),
                ("r", 21),  # config_intr on
                ("w", 21, 0x0000),
                ("r", 1),  # CHANGELINK: genphy_read_status
                ("r", 1),
                ("r", 5),
                ("r", 4),
                ("r", 21),  # CHANGELINK with an IRQ: config_intr on again
                ("w", 21, 0x0000),
            ],
        ),
        (
            "linux6",
            [("r", 21), ("w", 21, 0x0F04), ("r", 21), ("r", 1), EEE_ABLE],
            [("r", 21), ("w", 21, 0x0F00), ("r", 21), *DM9161_INTR_ON_612],
            [("r", 4), ("r", 1), ("r", 0)],  # genphy_config_aneg
            [("r", 21), ("r", 0), ("r", 1), ("r", 1)],  # handler, then genphy_read_status
        ),
    ],
)
def test_davicom_dm9131(
    profile: str, probe: list[Op], connect: list[Op], start: list[Op], unplugged_: list[Op]
) -> None:
    """davicom.c's DM9131 (2.6.32: PHY_HAS_INTERRUPT, ack_interrupt r21; v6.12:
    dm9161_config_intr acking before enabling and after disabling, handle_interrupt
    r21): no config_init, genphy_config_aneg.  The r21 masks disable a source when set."""
    run = unplugged("sim://dm9131@1?partner=100full", profile, interface="mii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == probe
    assert run.ops(connect=True) == connect
    assert start_ops(run, len(start)) == start
    assert unplug_ops(run) == unplugged_


# -- Cicada (2.6.32 and v6.12 cicada.c) --------------------------------------------------------


@pytest.mark.parametrize("model", ["cis8201", "cis8204"])
@pytest.mark.parametrize(
    ("profile", "probe", "connect", "start", "unplugged_"),
    [
        (
            "linux26",
            [],
            # cis820x_config_init; phy_start_interrupts: ack r26, config_intr r25 ← 0xf000
            [("w", 28, 0x0004), ("w", 23, 0x0000), ("r", 26), ("w", 25, 0xF000)],
            [("r", 4), ("r", 9), ("r", 0)],  # genphy_config_aneg (gigabit: r9 too)
            [
                ("w", 25, 0x0000),  # phy_change: config_intr off, ack, on
                ("r", 26),
                ("w", 25, 0xF000),
                ("r", 1),  # CHANGELINK: genphy_read_status
                ("r", 1),
                ("r", 10),
                ("r", 9),
                ("r", 5),
                ("r", 4),
                ("w", 25, 0xF000),  # CHANGELINK: config_intr on again
            ],
        ),
        (
            "linux6",
            [("w", 25, 0x0000), ("r", 26), ("r", 1), ("r", 15), EEE_ABLE],
            [
                ("w", 28, 0x0004),  # cis820x_config_init
                ("w", 23, 0x0000),
                ("w", 25, 0x0000),  # phy_init_hw: config_intr off, then ack
                ("r", 26),
                ("r", 26),  # phy_request_interrupt: ack, then enable
                ("w", 25, 0xF000),
            ],
            [("r", 4), ("r", 1), ("r", 9), ("r", 0)],  # genphy_config_aneg
            [("r", 26), ("r", 0), ("r", 1), ("r", 1), ("r", 9), ("r", 10)],
        ),
    ],
)
def test_cicada(
    model: str,
    profile: str,
    probe: list[Op],
    connect: list[Op],
    start: list[Op],
    unplugged_: list[Op],
) -> None:
    """cicada.c, 2.6.32 (PHY_GBIT_FEATURES, PHY_HAS_INTERRUPT, config_intr writes r25
    only) and v6.12 (no features, cis820x_config_intr acks r26 before enabling and
    after disabling, cis820x_handle_interrupt reads r26): cis820x_config_init writes
    r28 ← 0x0004 then r23 ← 0; negotiation is generic."""
    run = unplugged(f"sim://{model}@1?partner=100full", profile)
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == probe
    assert run.ops(connect=True) == connect
    assert start_ops(run, len(start)) == start
    assert unplug_ops(run) == unplugged_


# -- LXT970/LXT971 (2.6.32 and v6.12 lxt.c) ------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "probe", "connect", "start"),
    [
        # lxt970_config_init r19 ← 0; phy_start_interrupts: lxt970_ack_interrupt (BMSR,
        # r18), lxt970_config_intr r17 ← 0x0002
        (
            "linux26",
            [],
            [("w", 19, 0), ("r", 1), ("r", 18), ("w", 17, 0x0002)],
            [("r", 4), ("r", 0)],
        ),
        (
            "linux6",
            [("w", 17, 0), ("r", 1), ("r", 18), ("r", 1), EEE_ABLE],
            [
                ("w", 19, 0),  # lxt970_config_init
                ("w", 17, 0),  # phy_init_hw: config_intr off, ack (BMSR, r18)
                ("r", 1),
                ("r", 18),
                ("r", 1),  # phy_request_interrupt: ack, r17 ← 0x0002
                ("r", 18),
                ("w", 17, 0x0002),
            ],
            [("r", 4), ("r", 1), ("r", 0)],
        ),
    ],
)
def test_lxt970(profile: str, probe: list[Op], connect: list[Op], start: list[Op]) -> None:
    """lxt.c LXT970: lxt970_config_init, lxt970_config_intr (v6.12: ack before enabling,
    after disabling), genphy_config_aneg; the acknowledge (and v6.12's
    lxt970_handle_interrupt) reads BMSR, then r18.  The simulated LXT970 raises no
    interrupt (its model leaves the output out), so the handlers are called directly."""
    run = Run("sim://lxt970@1?partner=100full", profile, interrupts=True, seconds=2)
    dev, drv = run.dev, run.dev.drv
    assert drv is not None and dev.irq == 33
    assert mmd_ops(probe_ops(run)) == probe
    assert run.ops(connect=True) == connect
    assert start_ops(run, len(start)) == start  # genphy_config_aneg, no restart
    before = len(run.pal.events)
    if profile == "linux26":
        assert drv.ack_interrupt is not None
        drv.ack_interrupt(dev)
    else:
        assert drv.handle_interrupt is not None
        drv.handle_interrupt(dev)
    assert Run._ops(run.pal.events[before:]) == [("r", 1), ("r", 18)]


@pytest.mark.parametrize(
    ("profile", "probe", "connect", "start", "unplugged_"),
    [
        (
            "linux26",
            [],
            [("r", 19), ("w", 18, 0x00F2)],  # phy_start_interrupts: ack r19, enable
            [("r", 4), ("r", 0)],
            [
                ("w", 18, 0x0000),  # phy_change: off, ack, on
                ("r", 19),
                ("w", 18, 0x00F2),
                ("r", 1),
                ("r", 1),
                ("r", 5),
                ("r", 4),
                ("w", 18, 0x00F2),  # CHANGELINK
            ],
        ),
        (
            "linux6",
            [("w", 18, 0x0000), ("r", 19), ("r", 1), EEE_ABLE],
            [
                ("w", 18, 0x0000),  # phy_init_hw: config_intr off, ack
                ("r", 19),
                ("r", 0),  # phy_resume: genphy_resume
                ("r", 19),  # phy_request_interrupt: ack, enable
                ("w", 18, 0x00F2),
            ],
            [("r", 0), ("r", 4), ("r", 1), ("r", 0)],  # genphy_resume; genphy_config_aneg
            [("r", 19), ("r", 0), ("r", 1), ("r", 1)],
        ),
    ],
)
def test_lxt971(
    profile: str, probe: list[Op], connect: list[Op], start: list[Op], unplugged_: list[Op]
) -> None:
    """lxt.c LXT971: no config_init; lxt971_config_intr r18 ← 0x00f2 / 0 (v6.12 acks
    r19 before enabling and after disabling); v6.12 adds genphy_suspend/genphy_resume
    and lxt971_handle_interrupt (r19, ours for bits 0x00f0)."""
    run = unplugged("sim://lxt971@1?partner=100full", profile, interface="mii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == probe
    assert run.ops(connect=True) == connect
    assert start_ops(run, len(start)) == start
    assert unplug_ops(run) == unplugged_


# -- QS6612 (2.6.32 and v6.12 qsemi.c) -------------------------------------------------------------

QS6612_ACK = [("r", 29), ("r", 1), ("r", 6)]  # qs6612_ack_interrupt: r29, BMSR, EXPANSION


@pytest.mark.parametrize(
    ("profile", "probe", "connect", "start", "unplugged_"),
    [
        (
            "linux26",
            [],
            [("w", 31, 0x0DC0), *QS6612_ACK, ("w", 30, 0x003A)],
            [("r", 4), ("r", 0)],
            [
                ("w", 30, 0x0000),  # phy_change: off, ack, on
                *QS6612_ACK,
                ("w", 30, 0x003A),
                ("r", 1),
                ("r", 1),
                ("r", 5),
                ("r", 4),
                ("w", 30, 0x003A),  # CHANGELINK
            ],
        ),
        (
            "linux6",
            [("w", 30, 0x0000), *QS6612_ACK, ("r", 1), EEE_ABLE],
            [
                ("w", 31, 0x0DC0),  # qs6612_config_init
                ("w", 30, 0x0000),  # config_intr off, ack
                *QS6612_ACK,
                *QS6612_ACK,  # phy_request_interrupt: ack, enable
                ("w", 30, 0x003A),
            ],
            [("r", 4), ("r", 1), ("r", 0)],
            # qs6612_handle_interrupt: r29, ours (0x003a), then the full acknowledge
            [("r", 29), *QS6612_ACK, ("r", 0), ("r", 1), ("r", 1)],
        ),
    ],
)
def test_qs6612(
    profile: str, probe: list[Op], connect: list[Op], start: list[Op], unplugged_: list[Op]
) -> None:
    """qsemi.c: qs6612_config_init r31 ← 0x0dc0; qs6612_config_intr r30 ← 0x003a / 0
    (v6.12: acknowledge before enabling, after disabling); genphy_config_aneg."""
    run = unplugged("sim://qs6612@1?partner=100full", profile, interface="mii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == probe
    assert run.ops(connect=True) == connect
    assert start_ops(run, len(start)) == start
    assert unplug_ops(run) == unplugged_


# -- Realtek (2.6.32 and v6.12 realtek.c) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "probe", "connect", "start", "unplugged_"),
    [
        (
            "linux26",
            [],
            [("r", 19), ("w", 18, 0x6400)],  # phy_start_interrupts: ack r19, r18 ← 0x6400
            [("r", 4), ("r", 9), ("r", 0)],
            [
                ("w", 18, 0x0000),  # phy_change: off, ack, on
                ("r", 19),
                ("w", 18, 0x6400),
                ("r", 1),
                ("r", 1),
                ("r", 10),
                ("r", 9),
                ("r", 5),
                ("r", 4),
                ("w", 18, 0x6400),  # CHANGELINK
            ],
        ),
        (
            "linux6",
            # no EEE read: read_mmd is genphy_read_mmd_unsupported
            [("w", 18, 0x0000), ("r", 19), ("r", 1), ("r", 15)],
            [
                ("w", 18, 0x0000),  # phy_init_hw: rtl8211b_config_intr off, ack
                ("r", 19),
                ("w", 14, 0x0000),  # phy_resume: rtl8211b_resume (r14 ← 0, genphy_resume)
                ("r", 0),
                ("r", 19),  # phy_request_interrupt: ack, r18 ← 0x6400
                ("w", 18, 0x6400),
            ],
            [("w", 14, 0x0000), ("r", 0), ("r", 4), ("r", 1), ("r", 9), ("r", 0)],
            # rtl821x_handle_interrupt: INSR, then INER
            [("r", 19), ("r", 18), ("r", 0), ("r", 1), ("r", 1), ("r", 9), ("r", 10)],
        ),
    ],
)
def test_rtl8211b(
    profile: str, probe: list[Op], connect: list[Op], start: list[Op], unplugged_: list[Op]
) -> None:
    """realtek.c RTL8211B: 2.6.32 "RTL821x Gigabit Ethernet" (PHY_GBIT_FEATURES,
    PHY_HAS_INTERRUPT, rtl821x_config_intr writes r18 only, ack r19); v6.12 "RTL8211B
    Gigabit Ethernet" (rtl8211b_config_intr acks around r18, rtl821x_handle_interrupt,
    rtl8211b_suspend/rtl8211b_resume through r14, no MMD access).  No config_init or
    config_aneg: genphy_config_aneg."""
    run = unplugged("sim://rtl8211b@1?partner=1000full", profile, interface="rgmii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == probe
    assert run.ops(connect=True) == connect
    assert start_ops(run, len(start)) == start
    assert unplug_ops(run) == unplugged_


RTL8211E_INTR = [
    ("w", 18, 0x0000),  # phy_init_hw: rtl8211e_config_intr off, ack r19
    ("r", 19),
    ("r", 0),  # phy_resume: genphy_resume
    ("r", 19),  # phy_request_interrupt: ack, r18 ← 0x0400 (link status)
    ("w", 18, 0x0400),
]


@pytest.mark.parametrize(
    ("model", "config_init"),
    [
        ("rtl8211dn", []),
        (
            "rtl8211e",
            # rtl8211e_config_init (RGMII: delay bits cleared, bit 13 set): phy_select_page
            # 7, r30 ← 0xa4 (extension page), __phy_modify r28, phy_restore_page
            [
                ("r", 31),
                ("w", 31, 0x0007),
                ("w", 30, 0x00A4),
                ("r", 28),
                ("w", 28, 0x2000),
                ("w", 31, 0x0000),
            ],
        ),
    ],
)
def test_rtl8211dn_rtl8211e_v612(model: str, config_init: list[Op]) -> None:
    """v6.12 realtek.c RTL8211DN/RTL8211E (exact IDs): rtl8211e_config_intr (r18 ←
    0x0400 link status, acks r19 around it), rtl821x_handle_interrupt (INSR r19, INER
    r18), genphy_suspend/genphy_resume, genphy_config_aneg; the RTL8211E has
    rtl8211e_config_init too."""
    run = unplugged(f"sim://{model}@1?partner=100full", "linux6", interface="rgmii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == [("w", 18, 0), ("r", 19), ("r", 1), ("r", 15), EEE_ABLE]
    assert run.ops(connect=True) == [*config_init, *RTL8211E_INTR]
    assert start_ops(run, 6) == [("r", 0), ("r", 4), ("r", 1), ("r", 9), ("r", 0), ("r", 0)]
    assert unplug_ops(run)[:3] == [("r", 19), ("r", 18), ("r", 0)]


def test_rtl8201cp_v612_is_polled_without_config_init() -> None:
    """v6.12 realtek.c "RTL8201CP Ethernet": read_page/write_page only, so no
    config_intr: phy_probe keeps PHY_POLL; no config_init; genphy_config_aneg."""
    run = unplugged("sim://rtl8201cp@1?partner=100full", "linux6", interface="mii")
    assert run.dev.irq == PHY_POLL
    assert mmd_ops(probe_ops(run)) == [("r", 1), EEE_ABLE]
    assert run.ops(connect=True) == []
    assert start_ops(run, 3) == [("r", 4), ("r", 1), ("r", 0)]
    assert unplug_ops(run) == []


def paged(page: int, *ops: Op, current: int = 0x0A42) -> list[Op]:
    """phy_read_paged/phy_write_paged/phy_modify_paged on the RTL8211F (realtek.c
    rtl821x_read_page/rtl821x_write_page, r31): save the page, select ``page`` unless
    already there, the access, restore the page."""
    select = [] if page == current else [("w", 31, page)]
    return [("r", 31), *select, *ops, ("w", 31, current)]


def test_rtl8211f_v612() -> None:
    """v6.12 realtek.c RTL8211F: rtl821x_probe reads PHYCR1 and PHYCR2 (page 0xa43
    r24, r25); rtl8211f_config_init: phy_modify_paged_changed PHYCR1, the RGMII TX/RX
    delays (page 0xd08 r17, r21), phy_modify_paged PHYCR2, genphy_soft_reset;
    rtl8211f_config_intr (page 0xa42 r18 ← 0x0010; ack page 0xa43 r29);
    rtl821x_resume (genphy_resume, 20 ms); rtl8211f_handle_interrupt (page 0xa43 r29)."""
    run = unplugged("sim://rtl8211f@1?partner=100full", "linux6", interface="rgmii")
    assert run.dev.irq == 33
    ack = paged(0x0A43, ("r", 29))
    assert mmd_ops(probe_ops(run)) == [
        *paged(0x0A43, ("r", 24)),  # rtl821x_probe
        *paged(0x0A43, ("r", 25)),
        *paged(0x0A42, ("w", 18, 0)),  # phy_disable_interrupts
        *ack,
        ("r", 1),
        ("r", 15),
        EEE_ABLE,
    ]
    assert run.ops(connect=True) == [
        *paged(0x0A43, ("r", 24)),  # PHYCR1 ALDPS bits: unchanged
        *paged(0x0D08, ("r", 17)),  # RGMII: no TX delay, already so
        *paged(0x0D08, ("r", 21)),  # no RX delay, already so
        *paged(0x0A43, ("r", 25)),  # PHYCR2 CLKOUT: unchanged
        ("r", 0),  # genphy_soft_reset
        ("w", 0, 0x9340),
        ("r", 0),
        *paged(0x0A42, ("w", 18, 0)),  # phy_init_hw: config_intr off, ack
        *ack,
        ("r", 0),  # rtl821x_resume
        *ack,  # phy_request_interrupt: ack, enable link status
        *paged(0x0A42, ("w", 18, 0x0010)),
    ]
    assert start_ops(run, 5) == [("r", 0), ("r", 4), ("r", 1), ("r", 9), ("r", 0)]
    assert unplug_ops(run)[:5] == [*ack, ("r", 0)]


# -- TI DP83620 and TLK10X (v6.12 dp83848.c) -------------------------------------------------------

DP83848_INTR_OFF = [("r", 17), ("w", 17, 0x0000), ("r", 18)]
DP83848_INTR_ON = [("r", 17), ("r", 18), ("w", 18, 0x003C), ("w", 17, 0x0003)]


@pytest.mark.parametrize(("model", "config_init"), [("dp83620", [("r", 0)]), ("tlk105", [])])
def test_dp83620_tlk10x_v612(model: str, config_init: list[Op]) -> None:
    """v6.12 dp83848.c DP83848_PHY_DRIVER entries "TI DP83620 10/100 Mbps PHY" and
    "TI TLK10X 10/100 Mbps PHY": genphy_soft_reset, config_init (the DP83620's
    dp83848_config_init reads BMCR for autoneg; the TLK10X has none),
    dp83848_config_intr off, genphy_resume, then on at phy_request_interrupt;
    genphy_config_aneg; dp83848_handle_interrupt reads MISR (r18).  (v2.6.32: the
    generic driver, test_linux26_binds_the_generic_driver_and_polls.)"""
    run = unplugged(f"sim://{model}@1?partner=100full", "linux6", interface="mii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == [*DP83848_INTR_OFF, ("r", 1), EEE_ABLE]
    assert run.ops(connect=True) == [
        ("r", 0),  # genphy_soft_reset
        ("w", 0, 0xB300),
        ("r", 0),
        *config_init,
        *DP83848_INTR_OFF,
        ("r", 0),  # genphy_resume
        *DP83848_INTR_ON,
    ]
    assert start_ops(run, 4) == [("r", 0), ("r", 4), ("r", 1), ("r", 0)]
    assert unplug_ops(run)[:2] == [("r", 18), ("r", 0)]


# -- Micrel KSZ9031 (v6.12 micrel.c) ----------------------------------------------------------------

#: v6.12 kszphy_config_intr: r31 read and written with bit 14 (ksz9021_type
#: interrupt_level_mask) cleared; off: r27 ← 0, ack r27; on: ack r27, r27 ← 0x0500.
KSZ_INTR_OFF = [("r", 31), ("w", 31, 0x0200), ("w", 27, 0x0000), ("r", 27)]
KSZ_INTR_ON = [("r", 31), ("w", 31, 0x0200), ("r", 27), ("w", 27, 0x0500)]


def test_ksz9031_v612_line_by_line() -> None:
    """v6.12 micrel.c "Micrel KSZ9031 Gigabit PHY", checked line by line: probe is
    kszphy_probe (no MDIO without an rmii-ref clock), phy_disable_interrupts, then
    ksz9031_get_features = genphy_read_abilities.  phy_init_hw: genphy_soft_reset;
    ksz9031_config_init: ksz9031_enable_edpd (MMD 0x1c 0x23 read, written | 1); no
    device-tree node, so no RGMII delays, skews or force-master;
    ksz9031_center_flp_timing (MMD 0 r4 ← 0x0006, MMD 0 r3 ← 0x1a80,
    genphy_restart_aneg); config_intr off.  kszphy_resume (genphy_resume, 1-2 ms,
    kszphy_config_reset: no MDIO, interrupts on) at attach and at phy_start;
    phy_request_interrupt; genphy_config_aneg; kszphy_handle_interrupt reads r27."""
    run = unplugged("sim://ksz9031@1?partner=100full", "linux6", interface="rgmii")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == [
        ("r", 31),
        ("w", 31, 0x0228),  # bit 14 clear (the link-up status bits show in the read)
        ("w", 27, 0x0000),
        ("r", 27),
        ("r", 1),
        ("r", 15),
        EEE_ABLE,
    ]
    assert mmd_ops(run.ops(connect=True)) == [
        ("r", 0),  # genphy_soft_reset
        ("w", 0, 0x9340),
        ("r", 0),
        ("mr", 0x1C, 0x23),  # ksz9031_enable_edpd
        ("mw", 0x1C, 0x23, 0x0001),
        ("mw", 0, 4, 0x0006),  # ksz9031_center_flp_timing
        ("mw", 0, 3, 0x1A80),
        ("r", 0),  # genphy_restart_aneg
        ("w", 0, 0x1340),
        *KSZ_INTR_OFF,  # phy_init_hw: config_intr off
        ("r", 0),  # kszphy_resume: genphy_resume, then interrupts on
        *KSZ_INTR_ON,
        *KSZ_INTR_ON,  # phy_request_interrupt
    ]
    assert start_ops(run, 9) == [
        ("r", 0),  # phy_start: kszphy_resume
        *KSZ_INTR_ON,
        ("r", 4),  # genphy_config_aneg
        ("r", 1),
        ("r", 9),
        ("r", 0),
    ]
    assert unplug_ops(run)[:2] == [("r", 27), ("r", 0)]


# -- Marvell (v6.12 marvell.c) --------------------------------------------------------------------

SOFT_RESET = [("r", 0), ("w", 0, 0x9340), ("r", 0)]  # genphy_soft_reset, AN on
MARVELL_INTR = [
    ("w", 18, 0x0000),  # phy_init_hw: marvell_config_intr off, ack r19
    ("r", 19),
    ("r", 0),  # phy_resume: genphy_resume
    ("r", 19),  # phy_request_interrupt: ack, r18 ← 0x6400
    ("w", 18, 0x6400),
]
GENPHY_ANEG = [("r", 4), ("r", 1), ("r", 9), ("r", 0)]  # advertisement unchanged
M1111_INIT_RGMII_ID = [  # m88e1111_config_init, RGMII_ID
    ("r", 20),  # m88e1111_config_init_rgmii_delays: r20 |= 0x0082
    ("w", 20, 0x0082),
    ("r", 27),  # HWCFG mode: copper RGMII (0xb)
    ("w", 27, 0x000B),
    *SOFT_RESET,
]


@pytest.mark.parametrize(
    ("model", "connect", "aneg"),
    [
        (
            "88e1118",
            [
                ("r", 22),  # m88e1118_config_init: phy_write_paged(2, r21 ← 0x1070)
                ("w", 22, 0x0002),
                ("w", 21, 0x1070),
                ("w", 22, 0x0000),
                ("r", 22),  # m88e1121_config_aneg_rgmii_delays: delays already set
                ("w", 22, 0x0002),
                ("r", 21),
                ("w", 22, 0x0000),
                ("r", 22),  # phy_write_paged(3, r16 ← 0x021e): LEDs
                ("w", 22, 0x0003),
                ("w", 16, 0x021E),
                ("w", 22, 0x0000),
                ("w", 22, 0x0000),  # marvell_set_page(copper)
                *SOFT_RESET,
            ],
            [
                ("r", 16),  # m88e1118_config_aneg: marvell_set_polarity (auto)
                ("w", 16, 0x0060),
                *GENPHY_ANEG,
                *SOFT_RESET,  # always
            ],
        ),
        (
            "88e1121r",
            [
                ("r", 16),  # marvell_1011gbe_config_init: m88e1011_set_downshift(3)
                ("w", 16, 0x2800),
                *SOFT_RESET,
                ("r", 22),  # marvell_config_led: phy_write_paged(3, r16 ← 0x0030)
                ("w", 22, 0x0003),
                ("w", 16, 0x0030),
                ("w", 22, 0x0000),
            ],
            [
                ("r", 22),  # m88e1121_config_aneg: RGMII delays on page 2 r21
                ("w", 22, 0x0002),
                ("r", 21),
                ("w", 21, 0x0030),
                ("w", 22, 0x0000),
                ("r", 16),  # marvell_set_polarity
                ("w", 16, 0x0860),
                *GENPHY_ANEG,
                *SOFT_RESET,  # changed
            ],
        ),
        *(
            (
                model,
                [
                    ("r", 16),  # m88e1112_config_init: m88e1011_set_downshift(3)
                    ("w", 16, 0x2800),
                    *SOFT_RESET,
                    *M1111_INIT_RGMII_ID,
                ],
                [
                    ("r", 16),  # marvell_config_aneg: marvell_set_polarity
                    ("w", 16, 0x0860),
                    ("w", 24, 0x4100),  # LED direct
                    *GENPHY_ANEG,
                    *SOFT_RESET,  # polarity changed
                ],
            )
            for model in ("88e1112", "88e1240")
        ),
        (
            "88e1145",
            [
                ("w", 29, 0x001B),  # m88e1145_config_init: errata pairs
                ("w", 30, 0x418F),
                ("w", 29, 0x0016),
                ("w", 30, 0xA2DA),
                ("r", 20),  # m88e1145_config_init_rgmii: delays
                ("w", 20, 0x0082),
                ("r", 20),  # m88e1111_set_downshift(3)
                ("w", 20, 0x0582),
                *SOFT_RESET,
            ],
            [
                *SOFT_RESET,  # m88e1101_config_aneg
                ("w", 29, 0x001F),
                ("w", 30, 0x200C),
                ("w", 29, 0x0005),
                ("w", 30, 0x0000),
                ("w", 30, 0x0100),
                ("r", 16),  # marvell_config_aneg
                ("w", 16, 0x0060),
                ("w", 24, 0x4100),
                *GENPHY_ANEG,
                *SOFT_RESET,
            ],
        ),
    ],
)
def test_marvell_v612_forms(model: str, connect: list[Op], aneg: list[Op]) -> None:
    """v6.12 marvell.c, RGMII_ID: the 88E1118 (m88e1118_config_init,
    m88e1118_config_aneg, genphy_read_status), 88E1121R (marvell_1011gbe_config_init,
    m88e1121_config_aneg, marvell_read_status), 88E1112 and 88E1240
    (m88e1112_config_init, marvell_config_aneg), 88E1145 (m88e1145_config_init,
    m88e1101_config_aneg); all with marvell_probe (no MDIO without hwmon),
    marvell_config_intr, marvell_handle_interrupt (r19), genphy_resume/genphy_suspend.
    The written r16 values follow the reads (read-modify-write of the model's reset
    state)."""
    run = unplugged(f"sim://{model}@1?partner=100full", "linux6", interface="rgmii_id")
    assert run.dev.irq == 33
    assert mmd_ops(probe_ops(run)) == [("w", 18, 0), ("r", 19), ("r", 1), ("r", 15), EEE_ABLE]
    assert run.ops(connect=True) == [*connect, *MARVELL_INTR]
    assert start_ops(run, 1 + len(aneg)) == [("r", 0), *aneg]  # phy_start: genphy_resume
    assert ("w", 16, run.reads(16)[0] | 0x0060) in aneg  # marvell_set_polarity: auto
    assert unplug_ops(run)[0] == ("r", 19)


def test_dp83867_v612_sgmii_config_init_keeps_the_16ms_an_timer() -> None:
    """v6.12 dp83867_config_init, SGMII: PHYCR with the TX and RX FIFO depths; no
    RGMII block; phy_modify_mmd 10M_SGMII_CFG (0x16f) bit 7 cleared; phy_modify_mmd
    CFG4 (0x31) bits 6:5 ← DP83867_CFG4_SGMII_ANEG_TIMER_16MS, which is 0 << 5 (11b
    is 11 ms), so CFG4 already at 16 ms is only read; SGMIICTL (0xd3) bit 14 cleared
    (4-wire); CFG3."""
    run = Run("sim://dp83867@1?partner=1000full", "linux6", interface="sgmii", seconds=0)
    assert mmd_ops(run.ops(connect=True))[4:17] == [
        ("r", 0x14),  # CFG2: downshift
        ("w", 0x14, 0x0300),
        ("mr", 0x1F, 0x6F),  # STRAP_STS2: FLD strap
        ("r", 0x10),  # PHYCR: TX and RX FIFO depth 1
        ("w", 0x10, 0x5048),
        ("mr", 0x1F, 0x16F),  # 10M SGMII rate adaptation off
        ("mw", 0x1F, 0x16F, 0x0015),
        ("mr", 0x1F, 0x31),  # CFG4: AN timer 16 ms (0b00), already
        ("mr", 0x1F, 0xD3),  # SGMIICTL: 4-wire
        ("mw", 0x1F, 0xD3, 0x0000),
        ("r", 0x1E),  # CFG3
        ("w", 0x1E, 0x0200),
        ("w", 0x12, 0x0000),  # config_intr off
    ]
