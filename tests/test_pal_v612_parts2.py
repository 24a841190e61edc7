# SPDX-License-Identifier: GPL-2.0-only
"""The Linux v6.12 drivers of issue 22's last parts against their simulated models (the
sequel of ``test_pal_v612_parts``): binding by the v6.12 name, the exact MDIO sequences of
probe, connect, the status poll and the interrupt, and the v6.12 link line.

Each expected sequence is typed from the kernel function the comment names (Linux v6.12
``drivers/net/phy/<file>.c``); values written that depend on what was read come from the
model's reset, as the comment beside them says.  ``("r", reg)`` / ``("w", reg, value)``
are Clause 22 frames; ``mmd`` spells an MMD access through registers 13/14.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.test_pal_v612_parts import Op, Run, cli_run, contains, mdio_ops, mmd

# -- NXP TJA1102 port 0 (nxp-tja11xx.c) -----------------------------------------------------


def test_tja1102_binds_port_0_by_match_phy_device() -> None:
    from physcapy.pal.drivers import nxp_tja11xx

    run = Run("sim://tja1102@1", interface="rmii")
    assert run.dev.drv is nxp_tja11xx.TJA1102_P0
    assert run.dev.drv.name == "NXP TJA1102 Port 0"
    # phy_bus_match -> tja1102_p0_match_phy_device: PHYSID2 read again (non-zero: port
    # 0); phy_probe: tja1102_p0_probe (no MDIO: hwmon, port 1 needs a device-tree child),
    # phy_disable_interrupts -> tja11xx_config_intr off (INTEN r22 <- 0, INTSRC r21);
    # .features = PHY_BASIC_T1_FEATURES (no EEE mode: no 3.20 read).
    i = run.probe.index(("w", 22, 0))
    assert run.probe[i - 1 : i + 2] == [("r", 3), ("w", 22, 0), ("r", 21)]
    assert run.probe[i + 2 : i + 4] == [("r", 2), ("r", 3)]  # the scan goes on
    assert run.dev.autoneg == 0  # no Autoneg in the features


def test_tja1102_connect_wakes_the_phy_from_standby() -> None:
    run = Run("sim://tja1102@1", interface="rmii")
    # phy_init_hw: tja11xx_soft_reset (ECTRL r17 config_en already set: read only;
    # genphy_soft_reset: BMCR <- 0x2100 | reset, polled; autoneg off, so
    # genphy_setup_forced with the speed and duplex still unknown: BMCR <- 0).
    reset = [("r", 17), ("r", 0), ("w", 0, 0xA100), ("r", 0), ("r", 0), ("w", 0, 0)]
    # tja11xx_config_init (PHY_ID_TJA1102): ECTRL config_en (read only), COMMCFG r27 auto_op
    # set, CFG1 r18 sleep_confirm already clear, CFG2 r19 <- 16 ms; tja11xx_wakeup: ECTRL
    # power mode standby (reset 0x6004): phy_modify_check(standby) (read, poll read),
    # normal mode (r17 <- 0x1804), phy_modify_check(GENSTAT r24 PLL locked) (read, poll
    # read), link control on (r17 <- 0x9804); INTSRC r21 read (acknowledge).
    init = [
        ("r", 17),
        ("r", 27),
        ("w", 27, 0x8000),
        ("r", 18),
        ("r", 19),
        ("w", 19, 0x0003),
        ("r", 17),
        ("r", 17),
        ("r", 17),
        ("r", 17),
        ("w", 17, 0x1804),
        ("r", 24),
        ("r", 24),
        ("r", 17),
        ("w", 17, 0x9804),
        ("r", 21),
    ]
    # tja11xx_config_intr off (INTEN <- 0, INTSRC), phy_resume's genphy_resume (BMCR).
    tail = [("w", 22, 0), ("r", 21), ("r", 0)]
    assert run.connect == reset + init + tail


def test_tja1102_config_aneg_runs_the_cable_test_and_forces_100_full() -> None:
    run = Run("sim://tja1102@1", interface="rmii")
    # phy_start: genphy_resume (BMCR); tja11xx_config_aneg: master_slave_set unsupported
    # (no CFG1 write); link down, so tja11xx_config_aneg_cable_test:
    # tja11xx_cable_test_start (COMMCFG auto_op cleared; tja11xx_wakeup in normal mode:
    # wake request set then cleared; link control off; ECTRL cable_test on), then
    # tja11xx_cable_test_get_status: ECTRL (the model keeps the self-clearing bit set:
    # not finished, so no COMMCFG/EXTSTAT access); __genphy_config_aneg -> genphy_setup_forced
    # (BMCR 0 -> 0x2100: 100 Mb/s full from config_init).
    aneg = [
        ("r", 0),
        ("r", 27),
        ("w", 27, 0),
        ("r", 17),
        ("r", 17),
        ("w", 17, 0x9805),
        ("r", 17),
        ("w", 17, 0x9804),
        ("r", 17),
        ("w", 17, 0x1804),
        ("r", 17),
        ("w", 17, 0x1824),
        ("r", 17),
        ("r", 0),
        ("w", 0, 0x2100),
    ]
    # tja11xx_read_status: genphy_update_link (BMCR, BMSR twice: link down), CFG1 (the
    # role); the next poll: BMCR, BMSR (up), CFG1, COMMSTAT r23 (link_up).
    status = [("r", 0), ("r", 1), ("r", 1), ("r", 18)]
    up = [("r", 0), ("r", 1), ("r", 18), ("r", 23)]
    assert run.run[: len(aneg) + len(status) + len(up)] == aneg + status + up
    assert (run.dev.speed, run.dev.duplex) == (100, 1)
    assert run.dev.master_slave_get == "forced-master"  # CFG1 reset 0x8000
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in run.logs


def test_tja1102_interrupts() -> None:
    run = Run("sim://tja1102@1", interface="rmii", interrupts=True, seconds=3)
    assert run.dev.irq > 0
    # phy_request_interrupt -> tja11xx_config_intr on: INTSRC (acknowledge), INTEN <-
    # link fail | link up | undervoltage | overtemperature (0x060a).
    assert run.connect[-2:] == [("r", 21), ("w", 22, 0x060A)]
    # The link-up interrupt: tja11xx_handle_interrupt reads INTSRC, then the state
    # machine's tja11xx_read_status.
    assert contains(run.run, [("r", 18), ("r", 21), ("r", 0), ("r", 1), ("r", 18), ("r", 23)])
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in run.logs


# -- Microchip LAN8670 Rev.B1 (microchip_t1s.c) ---------------------------------------------


def test_lan8670_config_init_checks_reset_and_applies_the_an1699_fixups() -> None:
    from physcapy.pal.drivers import microchip_t1s

    run = Run("sim://lan8670@1", interface="rmii")
    assert run.dev.drv is microchip_t1s.LAN867X_REVB1
    assert run.dev.drv.name == "LAN867X Rev.B1"
    # phy_probe: .features = PHY_BASIC_T1S_P2MP_FEATURES (no Autoneg: autoneg off; no EEE
    # mode: no 3.20 read); no config_intr: polled, nothing written after the ID reads.
    assert run.dev.autoneg == 0 and run.dev.irq == -1
    assert not [op for op in run.probe if op[0] == "w"]
    # phy_init_hw: no soft_reset; lan867x_revb1_config_init: STS2 (MMD 31.0x19, reset
    # complete set in the model: read once), then the twelve phy_modify_mmd of AN1699 on
    # MMD 31. The model describes none of those registers (they read 0), so each fixup
    # with a non-zero value is written; 0xd1 (value 0) is read only. No resume op.
    expected = mmd(31, 0x19)
    for reg, _mask, value in microchip_t1s.LAN867X_REVB1_FIXUPS:
        expected += mmd(31, reg)
        if value:
            expected += mmd(31, reg, value)
    assert run.connect == expected
    assert contains(run.connect, [*mmd(31, 0xD0), *mmd(31, 0xD0, 0x0002), *mmd(31, 0xD1)])


def test_lan8670_forced_10_half_and_status_without_mdio() -> None:
    run = Run("sim://lan8670@1", interface="rmii")
    # phy_start: _phy_start_aneg -> phy_sanitize_settings (speed unknown: the last
    # supported row of v6.12's settings table, 10baseT1S_P2MP_Half: 10/Half); the core's
    # genphy_config_aneg -> genphy_setup_forced (BMCR already 0: read only);
    # lan86xx_read_status reads nothing (link always up, 10/Half).
    assert run.run == [("r", 0)]
    assert (run.dev.speed, run.dev.duplex, run.dev.link) == (10, 0, 1)
    assert "physcapy-mac eth0: Link is Up - 10Mbps/Half - flow control off" in run.logs


# -- Microchip LAN8742A (smsc.c) -------------------------------------------------------------


def test_lan8742a_connect_programs_the_pme_pin_and_edpd() -> None:
    from physcapy.pal.drivers import smsc_lan874x

    run = Run("sim://lan8742a@1", interface="rmii")
    assert run.dev.drv is smsc_lan874x.LAN8742 and run.dev.drv.name == "Microchip LAN8742"
    # phy_init_hw: smsc_phy_reset (r18 special modes: not power-down, so no write;
    # genphy_soft_reset: BMCR <- reset | AN restart from 0x3100, polled once);
    # lan874x_phy_config_init: WUCSR MMD 3.0x8010 <- PME2 | self-clear (0x1200), MCFGR
    # MMD 3.0x8064 <- 0x1000, then smsc_phy_config_init (polled: EDPD on, r17 bit 13
    # set); smsc_phy_config_intr off (r30 <- 0, r29); phy_resume (BMCR).
    assert run.connect == [
        ("r", 18),
        ("r", 0),
        ("w", 0, 0x9340),
        ("r", 0),
        *mmd(3, 0x8010, 0x1200),
        *mmd(3, 0x8064, 0x1000),
        ("r", 17),
        ("w", 17, 0x2002),
        ("w", 30, 0),
        ("r", 29),
        ("r", 0),
    ]


def test_lan8742a_generic_aneg_and_edpd_wake_while_polling() -> None:
    run = Run("sim://lan8742a@1", interface="rmii")
    # phy_start: genphy_resume (BMCR); no config_aneg of its own: genphy_config_aneg (r4,
    # BMSR, BMCR: nothing changed; no r27 MDI-X, no r16 crossover timer);
    # lan87xx_read_status: genphy_read_status (BMCR, BMSR twice: no link yet), then with
    # EDPD and no link: r17 bit 13 cleared, ENERGYON polled (10 ms sleep first: set),
    # EDPWRDOWN set again.
    aneg = [("r", 0), ("r", 4), ("r", 1), ("r", 0)]
    status = [("r", 0), ("r", 1), ("r", 1)]
    wake = [("r", 17), ("w", 17, 0x0002), ("r", 17), ("r", 17), ("w", 17, 0x2002)]
    assert run.run[: len(aneg) + len(status) + len(wake)] == aneg + status + wake
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in run.logs


def test_lan8742a_interrupts_turn_edpd_off() -> None:
    run = Run("sim://lan8742a@1", interface="rmii", interrupts=True, seconds=3)
    assert run.dev.irq > 0
    # smsc_phy_config_init in interrupt mode: EDPD off (r17 bit 13 already clear: read
    # only); smsc_phy_config_intr on: r29 (acknowledge), r30 <- 0x50 (AN complete | link
    # down).
    assert run.connect[12:] == [
        ("r", 17),
        ("w", 30, 0),
        ("r", 29),
        ("r", 0),
        ("r", 29),
        ("w", 30, 0x50),
    ]
    # The AN-complete interrupt: smsc_phy_handle_interrupt r29, then lan87xx_read_status
    # (no EDPD wake: EDPD is off).
    assert contains(run.run, [("r", 29), ("r", 0), ("r", 1), ("r", 5)])
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in run.logs


# -- TI DP83822 (dp83822.c) -------------------------------------------------------------------


def test_dp83822_probe_reads_the_straps() -> None:
    from physcapy.pal.drivers import ti_dp83822

    run = Run("sim://dp83822@1", interface="rmii")
    assert run.dev.drv is ti_dp83822.DP83822 and run.dev.drv.name == "TI DP83822"
    # dp83822_probe -> dp83822_read_straps: SOR1 (MMD 31.0x467; COL strap 0: copper);
    # phy_disable_interrupts -> dp83822_config_intr off (MISR1 <- 0, MISR2 <- 0, PHYSCR
    # read and written without INTEN); genphy_read_abilities (BMSR; EEE 3.20).
    i = run.probe.index(("w", 13, 31))
    expected = [*mmd(31, 0x467), ("w", 18, 0), ("w", 19, 0), ("r", 17), ("w", 17, 0)]
    assert run.probe[i : i + len(expected) + 1] == [*expected, ("r", 1)]
    assert contains(run.probe, mmd(3, 20))
    assert not run.dev.priv["fx_enabled"]


def test_dp83822_reset_runs_config_init_twice() -> None:
    run = Run("sim://dp83822@1", interface="rmii")
    # phy_init_hw: dp83822_phy_reset (PHYRCR r31 <- 0x8000, then config_init), then
    # config_init again. dp83822_config_init (RMII): phy_clear_bits_mmd(RCSR at MMD
    # 31.0x17, RGMII mode) (clear: read only), dp83822_config_wol without options:
    # phy_clear_bits_mmd(WOL_CFG MMD 31.0x4a0) (read only). config_intr off; phy_resume
    # -> dp83822_resume: genphy_resume (BMCR), WOL_CFG read and written with bit 11.
    init = [*mmd(31, 0x17), *mmd(31, 0x4A0)]
    intr_off = [("w", 18, 0), ("w", 19, 0), ("r", 17), ("w", 17, 0)]
    resume = [("r", 0), *mmd(31, 0x4A0), *mmd(31, 0x4A0, 0x0800)]
    assert run.connect == [("w", 31, 0x8000), *init, *init, *intr_off, *resume]


def test_dp83822_rgmii_delays_go_to_rcsr_in_mmd_31() -> None:
    run = Run("sim://dp83822@1", interface="rgmii-id")
    # dp83822_config_init (RGMII-ID: phy_get_internal_delay without device-tree values
    # gives 1 for both): RCSR (MMD 31.0x17, not C22 r23) RX shift on, TX shift off
    # (0x1000), then RGMII mode on (0x1200); the second config_init finds both set.
    first = [*mmd(31, 0x17), *mmd(31, 0x17, 0x1000), *mmd(31, 0x17), *mmd(31, 0x17, 0x1200)]
    assert run.connect[1 : 1 + len(first)] == first
    second = [*mmd(31, 0x17), *mmd(31, 0x17), *mmd(31, 0x4A0)]
    assert contains(run.connect, second)
    assert run.dev.bus.read(1, 23) == 0  # the C22 RCSR was never written


def test_dp83822_status_and_interrupts() -> None:
    run = Run("sim://dp83822@1", interface="rmii", interrupts=True, seconds=3)
    # dp83822_config_intr on: MISR1 read, written with the copper enables (0xfc: link,
    # energy, quality, AN complete, duplex, speed; the status byte read, 0x24, written
    # back), MISR2 read, written with 0xf7, PHYSCR |= INT_OE | INTEN.
    assert run.connect[-6:] == [
        ("r", 18),
        ("w", 18, 0x24FC),
        ("r", 19),
        ("w", 19, 0x00F7),
        ("r", 17),
        ("w", 17, 0x0003),
    ]
    # phy_start: dp83822_resume, genphy_config_aneg (r4, BMSR, BMCR);
    # dp83822_read_status: PHYSTS r16 first, then genphy_read_status.
    assert run.run[9:13] == [("r", 4), ("r", 1), ("r", 0), ("r", 16)]
    assert (run.dev.speed, run.dev.duplex) == (100, 1)
    # dp83822_handle_interrupt reads MISR1 and MISR2, both, every time.
    start = len(run.pal.events)
    run.dev.drv.handle_interrupt(run.dev)
    assert mdio_ops(run.pal.events[start:]) == [("r", 18), ("r", 19)]
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in run.logs


# -- Motorcomm YT8531 (motorcomm.c) -----------------------------------------------------------


def ext(reg: int, write: int | None = None, read: bool = True) -> list[Op]:
    """ytphy_modify_ext: r0x1e <- the extended address, r0x1f read, written on change."""
    ops: list[Op] = [("w", 0x1E, reg)]
    if read:
        ops.append(("r", 0x1F))
    if write is not None:
        ops.append(("w", 0x1F, write))
    return ops


def test_yt8531_probe_disables_the_clock_output() -> None:
    from physcapy.pal.drivers import motorcomm

    run = Run("sim://yt8531@1", interface="rgmii-id")
    assert run.dev.drv is motorcomm.YT8531 and run.dev.drv.name == "YT8531 Gigabit Ethernet"
    # yt8531_probe without motorcomm,clk-out-frequency-hz: EXT 0xa012 bit 6 cleared
    # (already clear: read only); no config_intr (polled); genphy_read_abilities (BMSR,
    # ESTATUS, EEE 3.20).
    i = run.probe.index(("w", 0x1E, 0xA012))
    assert run.probe[i : i + 4] == [*ext(0xA012), ("r", 1), ("r", 15)]
    assert run.dev.irq == -1


def test_yt8531_config_init_rgmii_delays_and_drive_strength() -> None:
    run = Run("sim://yt8531@1", interface="rgmii-id")
    # yt8531_config_init: ytphy_rgmii_clk_delay_config (RGMII-ID, no device-tree delays:
    # RX clock delay enable EXT 0xa001 bit 8 cleared (model reset 0x0100); EXT 0xa003
    # RX and TX delay codes 13 (1.950 ns): 0x00f0 -> 0x34fd); yt8531_set_ds (EXT 0xa010
    # RX clock strength 3 -> 0x6000, then RX data strength 3 -> 0x6030); then
    # phy_resume's genphy_resume (BMCR).
    assert run.connect == [
        *ext(0xA001, 0x0000),
        *ext(0xA003, 0x34FD),
        *ext(0xA010, 0x6000),
        *ext(0xA010, 0x6030),
        ("r", 0),
    ]
    # Generic from here: genphy_config_aneg (r4, BMSR, r9, BMCR) and genphy_read_status.
    assert run.run[:5] == [("r", 0), ("r", 4), ("r", 1), ("r", 9), ("r", 0)]
    assert "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off" in run.logs


def test_yt8531_config_init_refuses_a_non_rgmii_interface() -> None:
    from physcapy.errors import PalError

    # ytphy_rgmii_clk_delay_config: EOPNOTSUPP for anything but the four RGMII modes,
    # before any MDIO; phy_attach_direct fails.
    with pytest.raises(PalError, match="EOPNOTSUPP"):
        Run("sim://yt8531@1", interface="gmii")


# -- the command line: the v6.12 name and speed; the generic driver under v2.6.32 --------

CLI_CASES = [
    ("sim://tja1102@1", "NXP TJA1102 Port 0", 100, "100Mbps/Full"),
    ("sim://lan8670@1", "LAN867X Rev.B1", 10, "10Mbps/Half"),
    ("sim://lan8742a@1", "Microchip LAN8742", 100, "100Mbps/Full"),
    ("sim://dp83822@1", "TI DP83822", 100, "100Mbps/Full"),
]


@pytest.mark.parametrize(("url", "name", "speed", "text"), CLI_CASES)
def test_cli_binds_the_v612_driver_and_reports_the_speed(
    cli: Any, url: str, name: str, speed: int, text: str
) -> None:
    texts, links = cli_run(cli, url)
    assert any(t.startswith(f"{name} 0:01: attached PHY driver") for t in texts)
    assert links and links[-1]["speed"] == speed
    assert any(t.startswith(f"physcapy-mac eth0: Link is Up - {text}") for t in texts)


@pytest.mark.parametrize("url", [case[0] for case in CLI_CASES])
def test_cli_linux26_binds_the_generic_driver(cli: Any, url: str) -> None:
    texts, _ = cli_run(cli, url, "linux26")
    assert any("attached PHY driver [Generic PHY]" in t for t in texts)


def test_cli_yt8531_needs_an_rgmii_interface(cli: Any) -> None:
    # The default MAC interface (GMII) makes yt8531_config_init fail, as in the kernel;
    # with RGMII-ID the v6.12 driver binds and the link comes up at 1000.
    args = ("pal", "sim://yt8531@1", "1", "--profile", "linux6", "--format", "jsonl")
    status, _, err = cli(*args, "--seconds", "3")
    assert status != 0 and "EOPNOTSUPP" in err
    status, out, _ = cli(*args, "--seconds", "8", "--interface", "rgmii-id")
    assert status == 0
    events = [json.loads(line) for line in out.splitlines()]
    texts = [e["text"] for e in events if e["event"] == "log"]
    links = [e for e in events if e["event"] == "adjust_link" and e["link"]]
    assert any(t.startswith("YT8531 Gigabit Ethernet 0:01: attached PHY driver") for t in texts)
    assert links and links[-1]["speed"] == 1000
    assert any(t.startswith("physcapy-mac eth0: Link is Up - 1Gbps/Full") for t in texts)
    texts, _ = cli_run(cli, "sim://yt8531@1", "linux26")
    assert any("attached PHY driver [Generic PHY]" in t for t in texts)


# -- Motorcomm YT8521 (motorcomm.c, UTP-to-RGMII strap) -----------------------------------------

#: yt8521_read_page (EXT 0xa000 read) and, the page being UTP already, yt8521_write_page's
#: ytphy_modify_ext of EXT 0xa000 bit 1 without a write: phy_select_page of the UTP page,
#: and phy_restore_page to it, each spell this.
YT_PAGE: list[Op] = ext(0xA000)


def test_yt8521_probe_reads_the_strap_and_features_on_the_utp_page() -> None:
    from physcapy.pal.drivers import motorcomm

    run = Run("sim://yt8521@1", interface="rgmii-id")
    assert run.dev.drv is motorcomm.YT8521 and run.dev.drv.name == "YT8521 Gigabit Ethernet"
    # yt8521_probe: ytphy_read_ext EXT 0xa001 (model reset 0x0100: strap 0, UTP to RGMII),
    # ytphy_write_ext EXT 0xa000 <- UTP space (0); no clock-output frequency: EXT 0xa012
    # bit 5 cleared (already clear: read only).  yt8521_get_features ->
    # yt8521_get_features_paged: phy_select_page(UTP), ytphy_utp_read_abilities (BMSR,
    # ESTATUS: no EEE read, unlike genphy_read_abilities), phy_restore_page.
    i = run.probe.index(("w", 0x1E, 0xA001))
    probe = [
        *ext(0xA001),
        ("w", 0x1E, 0xA000),
        ("w", 0x1F, 0),
        *ext(0xA012),
        *YT_PAGE,
        ("r", 1),
        ("r", 15),
        *YT_PAGE,
    ]
    assert run.probe[i : i + len(probe)] == probe
    assert run.dev.irq == -1  # no config_intr: polled
    assert run.dev.supported & (1 << 5)  # ETHTOOL_LINK_MODE_1000baseT_Full_BIT


def test_yt8521_connect_soft_reset_config_init_and_resume() -> None:
    run = Run("sim://yt8521@1", interface="rgmii-id")
    # phy_init_hw: yt8521_soft_reset -> yt8521_modify_bmcr_paged(UTP, 0, BMCR_RESET):
    # BMCR read, written with reset (0x1140 -> 0x9140), polled after ~1 ms; page restored.
    reset = [*YT_PAGE, ("r", 0), ("w", 0, 0x9140), ("r", 0), *YT_PAGE]
    # yt8521_config_init: phy_select_page(UTP), ytphy_rgmii_clk_delay_config (RGMII-ID:
    # EXT 0xa001 bit 8 cleared, EXT 0xa003 0x00f1 -> 0x34fd), phy_restore_page.
    init = [*YT_PAGE, *ext(0xA001, 0x0000), *ext(0xA003, 0x34FD), *YT_PAGE]
    # phy_resume -> yt8521_resume: EXT 0x27 auto-sleep bit 15 cleared (0x8000 -> 0),
    # EXT 0xa00a WoL config read (WoL off), yt8521_modify_bmcr_paged(UTP, BMCR_PDOWN, 0)
    # (already up: BMCR read only).
    resume = [*ext(0x27, 0x0000), *ext(0xA00A), *YT_PAGE, ("r", 0), *YT_PAGE]
    assert run.connect == [*reset, *init, *resume]


def test_yt8521_config_aneg_and_read_status_are_paged() -> None:
    run = Run("sim://yt8521@1", interface="rgmii-id")
    # yt8521_config_aneg -> yt8521_config_aneg_paged(UTP) -> ytphy_utp_config_aneg:
    # MASTER-SLAVE unset (no MDIO), ytphy_utp_config_advert (ADVERTISE and CTRL1000
    # already hold the supported modes: r4, BMSR, r9 read only), ytphy_check_and_restart_aneg
    # (BMCR read: AN on), all between the page select and restore.
    aneg = [*YT_PAGE, ("r", 4), ("r", 1), ("r", 9), ("r", 0), *YT_PAGE]
    i = run.run.index(("r", 4)) - len(YT_PAGE)
    assert run.run[i : i + len(aneg)] == aneg
    # yt8521_read_status -> yt8521_read_status_paged(UTP): SSR r0x11, BMSR (AN complete);
    # link down: nothing more.  Link up: yt8521_adjust_status -> ytphy_utp_read_lpa
    # (STAT1000 r10, LPA r5).  No genphy_update_link, no BMCR.
    down = [*YT_PAGE, ("r", 0x11), ("r", 1), *YT_PAGE]
    up = [*YT_PAGE, ("r", 0x11), ("r", 1), ("r", 10), ("r", 5), *YT_PAGE]
    rest = run.run[i + len(aneg) :]
    assert rest[: len(down)] == down
    assert contains(rest, up)
    assert run.dev.speed == 1000 and run.dev.duplex == 1
    assert "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off" in run.logs
    # yt8521_aneg_done -> yt8521_aneg_done_paged: SSR link bit on the page.
    start = len(run.pal.events)
    assert run.dev.drv is not None and run.dev.drv.aneg_done is not None
    assert run.dev.drv.aneg_done(run.dev) is True
    assert mdio_ops(run.pal.events[start:]) == [*YT_PAGE, ("r", 0x11), *YT_PAGE]


def test_yt8521_config_init_refuses_gmii_after_selecting_the_page() -> None:
    from physcapy.errors import PalError

    # yt8521_config_init: the page select happens, ytphy_rgmii_clk_delay_config returns
    # EOPNOTSUPP for GMII, phy_restore_page; phy_attach_direct fails.
    with pytest.raises(PalError, match="EOPNOTSUPP"):
        Run("sim://yt8521@1", interface="gmii")


def test_cli_yt8521_binds_the_v612_driver_at_1000_full(cli: Any) -> None:
    args = ("pal", "sim://yt8521@1", "1", "--profile", "linux6", "--format", "jsonl")
    status, _, err = cli(*args, "--seconds", "3")
    assert status != 0 and "EOPNOTSUPP" in err
    status, out, _ = cli(*args, "--seconds", "8", "--interface", "rgmii-id")
    assert status == 0
    events = [json.loads(line) for line in out.splitlines()]
    texts = [e["text"] for e in events if e["event"] == "log"]
    links = [e for e in events if e["event"] == "adjust_link" and e["link"]]
    assert any(t.startswith("YT8521 Gigabit Ethernet 0:01: attached PHY driver") for t in texts)
    assert links and links[-1]["speed"] == 1000
    assert any(t.startswith("physcapy-mac eth0: Link is Up - 1Gbps/Full") for t in texts)
    texts, _ = cli_run(cli, "sim://yt8521@1", "linux26")
    assert any("attached PHY driver [Generic PHY]" in t for t in texts)


# -- Marvell 88E1512 (marvell.c "Marvell 88E1510" entry) ---------------------------------------


def test_88e1512_binds_the_88e1510_entry_with_fibre_features() -> None:
    from physcapy.pal.constants import SUPPORTED
    from physcapy.pal.drivers import marvell_88e1510

    run = Run("sim://88e1512@1", interface="rgmii-id")
    assert run.dev.drv is marvell_88e1510.M88E1510 and run.dev.drv.name == "Marvell 88E1510"
    # phy_probe: irq POLL; m88e1510_probe (marvell_probe, hwmon, phy_sfp_probe: no MDIO);
    # phy_disable_interrupts -> marvell_config_intr off (IMASK r18 <- 0, IEVENT r19);
    # .features = PHY_GBIT_FIBRE_FEATURES: no BMSR read, genphy_c45_read_eee_abilities
    # (3.20 through 13/14).
    i = run.probe.index(("w", 18, 0))
    assert run.probe[i : i + 6] == [("w", 18, 0), ("r", 19), *mmd(3, 20)]
    assert run.dev.supported & SUPPORTED["FIBRE"]


def test_88e1512_config_init_errata_pages_downshift_and_leds() -> None:
    run = Run("sim://88e1512@1", interface="rgmii-id")
    # m88e1510_config_init: marvell_set_page(0xff) and the four r17/r16 errata pairs,
    # marvell_set_page(0xfb), r7 <- 0xc00d, copper page; (not SGMII: no page 18);
    # m88e1011_set_downshift(3): r16 (model reset 0x0800) <- enable + count 2 (0x2800),
    # genphy_soft_reset (BMCR 0x1340 | reset, polled);
    # m88e1318_config_init (polled: no page 3 r18), marvell_config_led: phy_write_paged
    # page 3 r16 <- 0x1177; marvell_config_intr off; phy_resume -> marvell_resume: fibre
    # page genphy_resume (BMCR read), copper page, genphy_resume (BMCR read).
    init = [
        ("w", 22, 0xFF),
        ("w", 17, 0x214B),
        ("w", 16, 0x2144),
        ("w", 17, 0x0C28),
        ("w", 16, 0x2146),
        ("w", 17, 0xB233),
        ("w", 16, 0x214D),
        ("w", 17, 0xCC0C),
        ("w", 16, 0x2159),
        ("w", 22, 0xFB),
        ("w", 7, 0xC00D),
        ("w", 22, 0),
        ("r", 16),
        ("w", 16, 0x2800),
        ("r", 0),
        ("w", 0, 0x9340),
        ("r", 0),
        ("r", 22),
        ("w", 22, 3),
        ("w", 16, 0x1177),
        ("w", 22, 0),
        ("w", 18, 0),
        ("r", 19),
        ("w", 22, 1),
        ("r", 0),
        ("w", 22, 0),
        ("r", 0),
    ]
    assert run.connect == init
    # The model pages registers 0-15 too ([model] paged_from = 0): a page 0xfb r7 write
    # stays on that page, off the copper r7 (next page transmit).  (The soft reset that
    # follows config_init's write puts every simulated register back to reset, so the
    # check writes its own value.)
    dev = run.dev
    copper = dev.read(7)
    dev.write(22, 0xFB)
    dev.write(7, 0xC00D)
    dev.write(22, 0)
    assert dev.read(7) == copper != 0xC00D
    dev.write(22, 0xFB)
    assert dev.read(7) == 0xC00D
    dev.write(22, 0)


def test_88e1512_config_aneg_copper_then_fibre_and_status_fibre_first() -> None:
    run = Run("sim://88e1512@1", interface="rgmii-id")
    # m88e1510_config_aneg: copper page; m88e1318_config_aneg: phy_modify_paged page 2 r16
    # bit 6 (PAD_ODD: 0 -> 0x40); m88e1121_config_aneg: RGMII-ID delays page 2 r21 bits 5:4
    # (0 -> 0x30), marvell_set_polarity r16 bits 6:5 auto (0x0800 -> 0x0860: the model's
    # soft reset put every register back to reset, the downshift count included),
    # genphy_config_aneg (r4, BMSR, r9, BMCR read; nothing to restart), genphy_soft_reset
    # (changed); the fibre page: marvell_config_aneg_fiber (r4: no 1000BASE-X mode
    # advertised, read only; genphy_check_and_restart_aneg: fibre BMCR has AN off, so
    # restart: r0, r0 <- 0x1200); copper page.
    aneg = [
        ("w", 22, 0),
        ("r", 22),
        ("w", 22, 2),
        ("r", 16),
        ("w", 16, 0x0040),
        ("w", 22, 0),
        ("r", 22),
        ("w", 22, 2),
        ("r", 21),
        ("w", 21, 0x0030),
        ("w", 22, 0),
        ("r", 16),
        ("w", 16, 0x0860),
        ("r", 4),
        ("r", 1),
        ("r", 9),
        ("r", 0),
        ("r", 0),
        ("w", 0, 0x9340),
        ("r", 0),
        ("w", 22, 1),
        ("r", 4),
        ("r", 0),
        ("r", 0),
        ("w", 0, 0x1200),
        ("w", 22, 0),
    ]
    assert contains(run.run, aneg)
    # marvell_read_status: FIBRE supported, RGMII: fibre page r17 (no fibre link), copper
    # page, marvell_read_status_page: r17, genphy_update_link (BMCR, BMSR), then with the
    # link resolved genphy_read_lpa (STAT1000 r10, LPA r5).
    down = [("w", 22, 1), ("r", 17), ("w", 22, 0), ("r", 17), ("r", 0), ("r", 1), ("r", 1)]
    up = [("w", 22, 1), ("r", 17), ("w", 22, 0), ("r", 17), ("r", 0), ("r", 1), ("r", 10)]
    assert contains(run.run, down) and contains(run.run, [*up, ("r", 5)])
    assert run.dev.speed == 1000 and run.dev.duplex == 1
    assert "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off" in run.logs


def test_88e1512_sgmii_sets_the_mode_on_page_18_and_skips_the_fibre_page() -> None:
    run = Run("sim://88e1512@1", interface="sgmii")
    # m88e1510_config_init, SGMII: page 18, r20 mode 1 (phy_modify), r20 reset bit
    # (phy_set_bits), copper page.
    sgmii = [("w", 22, 18), ("r", 20), ("w", 20, 0x0001), ("r", 20), ("w", 20, 0x8001)]
    assert contains(run.connect, [*sgmii, ("w", 22, 0)])
    # Only marvell_resume (FIBRE supported) selects the fibre page; m88e1510_config_aneg
    # and marvell_read_status skip it in SGMII: the status poll is the copper one alone.
    assert run.run[:4] == [("w", 22, 1), ("r", 0), ("w", 22, 0), ("r", 0)]
    assert ("w", 22, 1) not in run.run[4:]
    assert contains(run.run, [("r", 17), ("r", 0), ("r", 1), ("r", 10), ("r", 5)])


def test_88e1512_with_an_interrupt_line_enables_intn_on_page_3() -> None:
    run = Run("sim://88e1512@1", interface="rgmii-id", interrupts=True)
    assert run.dev.irq > 0
    # m88e1318_config_init with a valid IRQ: phy_modify_paged page 3 r18 (force-INT
    # cleared, INTn enable bit 7 and active-low bit 11 set: 0 -> 0x0880), before the
    # LED default; phy_init_hw's marvell_config_intr (still off); after phy_resume the
    # core enables it: IEVENT r19 read, IMASK r18 <- 0x6400.
    intn = [("r", 22), ("w", 22, 3), ("r", 18), ("w", 18, 0x0880), ("w", 22, 0)]
    led = [("r", 22), ("w", 22, 3), ("w", 16, 0x1177), ("w", 22, 0)]
    assert contains(run.connect, [*intn, *led, ("w", 18, 0), ("r", 19)])
    assert run.connect[-2:] == [("r", 19), ("w", 18, 0x6400)]
    assert "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off" in run.logs


def test_cli_88e1512_binds_marvell_88e1510_at_1000_full(cli: Any) -> None:
    texts, links = cli_run(cli, "sim://88e1512@1")
    assert any(t.startswith("Marvell 88E1510 0:01: attached PHY driver") for t in texts)
    assert links and links[-1]["speed"] == 1000
    assert any(t.startswith("physcapy-mac eth0: Link is Up - 1Gbps/Full") for t in texts)
    texts, _ = cli_run(cli, "sim://88e1512@1", "linux26")
    assert any("attached PHY driver [Generic PHY]" in t for t in texts)


# -- Broadcom BCM54213PE (broadcom.c "Broadcom BCM54210E" entry, bcm-phy-lib.c) -----------------

#: bcm54xx_config_init for RGMII-ID, second and later runs (SHD 0x05 DLLAPD_DIS already
#: set: read only).  ECR r16 interrupt mask, IMR r27 <- ~(link|speed|duplex);
#: bcm54xx_adjust_rxrefclk: bcm_phy_read_shadow SHD 0x05, SHD 0x0a (APD_EN already clear);
#: bcm54xx_config_clock_delay: bcm54xx_auxctl_read(MISC) (0x18 <- 0x7007, model reset
#: 0x7007), bcm54xx_auxctl_write(MISC, WREN | RGMII skew), SHD 0x03 read (reset 0x0c00
#: with the selector) and written with GTXCLK; bcm54xx_phydsp_config: AUXCTL 0 <-
#: SMDSP | 6 dB, then 6 dB; LEDS1 SHD 0x0d <- 0xaa; EXP 0x04 <- in-phase; the WoL status
#: bcm_phy_read_exp(0xe94) with the 0x17 <- 0 restore.
BCM_INIT_TAIL: list[Op] = [
    ("w", 0x1C, 0x2800),
    ("r", 0x1C),
    ("w", 0x18, 0x7007),
    ("r", 0x18),
    ("w", 0x18, 0xF107),
    ("w", 0x1C, 0x0C00),
    ("r", 0x1C),
    ("w", 0x1C, 0x8E00),
    ("w", 0x18, 0x0C00),
    ("w", 0x18, 0x0400),
    ("w", 0x1C, 0xB4AA),
    ("w", 0x17, 0x0F04),
    ("w", 0x15, 0x0100),
    ("w", 0x17, 0x0E94),
    ("r", 0x15),
    ("w", 0x17, 0),
]
BCM_INIT_HEAD: list[Op] = [("r", 16), ("w", 16, 0x1000), ("w", 27, 0xFFF1), ("w", 0x1C, 0x1400)]


def test_bcm54213pe_binds_the_bcm54210e_entry() -> None:
    from physcapy.pal.drivers import broadcom

    run = Run("sim://bcm54213pe@1", interface="rgmii-id")
    assert run.dev.drv is broadcom.BCM54210E and run.dev.drv.name == "Broadcom BCM54210E"
    # phy_probe: bcm54xx_phy_probe (no PTP, no wakeup GPIO: no MDIO); phy_disable_interrupts
    # -> bcm_phy_config_intr off (ECR r16 read, interrupt mask set, ISR r26 read); no
    # features listed: genphy_read_abilities (BMSR, ESTATUS, 3.20).
    i = run.probe.index(("r", 16))
    assert run.probe[i : i + 9] == [
        ("r", 16),
        ("w", 16, 0x1000),
        ("r", 26),
        ("r", 1),
        ("r", 15),
        *mmd(3, 20),
    ]


def test_bcm54213pe_config_init_shadows_auxctl_and_expansion() -> None:
    run = Run("sim://bcm54213pe@1", interface="rgmii-id")
    # First bcm54xx_config_init: SHD 0x05 gets DLLAPD_DIS (reset 0 -> 0x9403 with the
    # write bit and selector); then bcm_phy_config_intr off; phy_resume ->
    # bcm54xx_resume: genphy_resume (BMCR), fsleep(40), bcm54xx_config_init again.
    first = [*BCM_INIT_HEAD, ("r", 0x1C), ("w", 0x1C, 0x9403), *BCM_INIT_TAIL]
    intr_off = [("r", 16), ("w", 16, 0x1000), ("r", 26)]
    again = [*BCM_INIT_HEAD, ("r", 0x1C), *BCM_INIT_TAIL]
    assert run.connect == [*first, *intr_off, ("r", 0), *again]
    # The AUXCTL shadows hold what was written: MISC with the RGMII skew, shadow 0 the 6 dB.
    dev = run.dev
    dev.write(0x18, 0x7007)
    assert dev.read(0x18) == 0x7107
    dev.write(0x18, 0x0007)
    assert dev.read(0x18) == 0x0400
    # Generic negotiation and status; the link comes up at 1000/Full.
    assert "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off" in run.logs


def test_bcm54213pe_plain_rgmii_clears_both_delays() -> None:
    run = Run("sim://bcm54213pe@1", interface="rgmii")
    # bcm54xx_config_clock_delay, RGMII: MISC written with WREN and the skew bit clear,
    # SHD 0x03 written with GTXCLK clear.
    assert contains(run.connect, [("w", 0x18, 0x7007), ("r", 0x18), ("w", 0x18, 0xF007)])
    assert contains(run.connect, [("w", 0x1C, 0x0C00), ("r", 0x1C), ("w", 0x1C, 0x8C00)])


def test_bcm54213pe_interrupts_and_suspend() -> None:
    from physcapy.pal.constants import PHY_INTERRUPT_ENABLED

    run = Run("sim://bcm54213pe@1", interface="rgmii-id")
    dev, drv = run.dev, run.dev.drv
    assert drv is not None and drv.config_intr and drv.handle_interrupt and drv.suspend
    start = len(run.pal.events)
    # bcm_phy_config_intr on: ECR read, ISR read (ack), ECR mask cleared.
    dev.interrupts = PHY_INTERRUPT_ENABLED
    drv.config_intr(dev)
    # bcm_phy_handle_interrupt: ISR then IMR.
    drv.handle_interrupt(dev)
    # bcm54xx_suspend: WoL status (EXP 0xe94), BMCR <- power-down (a plain write).
    drv.suspend(dev)
    assert mdio_ops(run.pal.events[start:]) == [
        ("r", 16),
        ("r", 26),
        ("w", 16, 0x0000),
        ("r", 26),
        ("r", 27),
        ("w", 0x17, 0x0E94),
        ("r", 0x15),
        ("w", 0x17, 0),
        ("w", 0, 0x0800),
    ]


def test_cli_bcm54213pe_binds_broadcom_bcm54210e_at_1000_full(cli: Any) -> None:
    texts, links = cli_run(cli, "sim://bcm54213pe@1")
    assert any(t.startswith("Broadcom BCM54210E 0:01: attached PHY driver") for t in texts)
    assert links and links[-1]["speed"] == 1000
    assert any(t.startswith("physcapy-mac eth0: Link is Up - 1Gbps/Full") for t in texts)
    texts, _ = cli_run(cli, "sim://bcm54213pe@1", "linux26")
    assert any("attached PHY driver [Generic PHY]" in t for t in texts)
