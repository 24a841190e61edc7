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

import pytest

from physcapy.pal import Pal, PhyDevice
from physcapy.pal.constants import DUPLEX_FULL, PHY_POLL
from physcapy.pal.ethtool import phy_ethtool_gset, phy_ethtool_sset
from physcapy.pal.events import Event
from physcapy.pal.genphy import genphy_soft_reset
from tests.test_pal_drivers import Run

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
    from tests import test_pal_c45_drivers, test_pal_drivers, test_pal_v612_parts

    modules = (test_pal_drivers, test_pal_c45_drivers, test_pal_v612_parts)
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
