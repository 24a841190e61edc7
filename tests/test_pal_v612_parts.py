# SPDX-License-Identifier: GPL-2.0-only
"""The Linux v6.12 drivers of issue 22's remaining parts against their simulated models:
binding by the v6.12 name, the exact MDIO sequences of probe, connect and the status
poll, and the v6.12 link line.

Each expected sequence is typed from the kernel function the comment names (Linux v6.12
``drivers/net/phy/<file>.c``); values written that depend on what was read come from the
model's reset, as the comment beside them says.  ``("r", reg)`` / ``("w", reg, value)``
are Clause 22 frames, ``("r", devad, reg)`` / ``("w", devad, reg, value)`` Clause 45 ones.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from physcapy.pal import Pal
from physcapy.pal.events import Event

Op = tuple[Any, ...]


def mdio_ops(events: list[Event]) -> list[Op]:
    """The reads and writes among ``events`` (Clause 45 address frames dropped)."""
    out: list[Op] = []
    for e in events:
        d = e.data
        if e.kind != "mdio" or d["op"] == "address":
            continue
        if d["clause"] == 45:
            key: Op = (d["reg"], d["addr"])
        else:
            key = (d["reg"],)
        out.append(("w", *key, d["data"]) if d["op"] == "write" else ("r", *key))
    return out


def mmd(devad: int, reg: int, value: int | None = None) -> list[Op]:
    """phy_read_mmd / phy_write_mmd over Clause 22 (mmd_phy_indirect: 13, 14, 13, 14)."""
    head: list[Op] = [("w", 13, devad), ("w", 14, reg), ("w", 13, 0x4000 | devad)]
    return [*head, ("r", 14) if value is None else ("w", 14, value)]


def paged(page: int, reg: int, value: int | None = None, old: int = 0) -> list[Op]:
    """phy_read_paged / phy_write_paged through the page register 0x1f (read_page,
    write_page when it differs, the access, write_page of the old page)."""
    access: Op = ("r", reg) if value is None else ("w", reg, value)
    return [("r", 0x1F), ("w", 0x1F, page), access, ("w", 0x1F, old)]


def contains(ops: list[Op], seq: list[Op]) -> bool:
    return any(ops[i : i + len(seq)] == seq for i in range(len(ops) - len(seq) + 1))


class Run:
    """sim://URL at address 1 under linux6: scan (``probe``), connect, start, run."""

    def __init__(
        self, url: str, interface: str = "gmii", seconds: float = 5.0, interrupts: bool = False
    ):
        self.pal = Pal(url, "linux6", interrupts=interrupts)
        self.dev = self.pal.device("0:01")
        self.probe = mdio_ops(list(self.pal.events))
        start = len(self.pal.events)
        self.pal.phy_connect(self.pal.netdev(), "0:01", interface=interface)
        connected = len(self.pal.events)
        self.connect = mdio_ops(self.pal.events[start:connected])
        self.pal.phy_start(self.dev)
        self.pal.run(seconds)
        self.run = mdio_ops(self.pal.events[connected:])
        self.logs = [e.data["text"] for e in self.pal.events if e.kind == "log"]


def cli_run(cli: Any, url: str, profile: str = "linux6") -> tuple[list[str], list[dict[str, Any]]]:
    status, out, _ = cli(
        "pal", url, "1", "--profile", profile, "--format", "jsonl", "--seconds", "8"
    )
    assert status == 0
    events = [json.loads(line) for line in out.splitlines()]
    texts = [e["text"] for e in events if e["event"] == "log"]
    links = [e for e in events if e["event"] == "adjust_link" and e["link"]]
    return texts, links


# -- Realtek RTL8221B-VB-CG (realtek.c) -----------------------------------------------------


def test_rtl8221b_c22_entry_binds_and_reads_features_on_page_a61() -> None:
    from physcapy.pal.drivers import realtek_c45

    run = Run("sim://rtl8221b@1?partner=2.5g")
    assert run.dev.drv is realtek_c45.RTL8221B_VB_CG_C22
    assert run.dev.drv.name == "RTL8221B-VB-CG 2.5Gbps PHY (C22)"
    # phy_probe -> rtl822x_get_features: page 0xa61 r0x13 (PMA speed ability, 0x2030:
    # 2.5G), genphy_read_abilities (BMSR, ESTATUS), genphy_c45_read_eee_abilities: 3.20
    # and, 2.5G being supported, 3.21, through 13/14 (the C22 entry has no read_mmd).
    features = [*paged(0xA61, 0x13), ("r", 1), ("r", 15), *mmd(3, 20), *mmd(3, 21)]
    i = run.probe.index(("r", 0x1F))
    assert run.probe[i : i + len(features)] == features
    assert run.dev.supported & (1 << 47)  # ETHTOOL_LINK_MODE_2500baseT_Full_BIT


def test_rtl8221b_config_init_for_a_2500basex_host() -> None:
    run = Run("sim://rtl8221b@1?partner=2.5g", interface="2500base-x")
    # rtl822xb_config_init (2500BASE-X host alone: SerDes option mode 2): VEND1 0x75f3 <- 0,
    # phy_modify_mmd_changed VEND1 0x697a (reset 0 -> 2), VEND1 0x6a04/0x6f10/0x6f11.
    init = [
        *mmd(30, 0x75F3, 0),
        *mmd(30, 0x697A),
        *mmd(30, 0x697A, 0x0002),
        *mmd(30, 0x6A04, 0x0503),
        *mmd(30, 0x6F10, 0xD455),
        *mmd(30, 0x6F11, 0x8020),
    ]
    assert run.connect[: len(init)] == init


def test_rtl8221b_config_init_does_nothing_for_gmii() -> None:
    run = Run("sim://rtl8221b@1?partner=2.5g")
    # rtl822xb_config_init returns at once: neither 2500BASE-X nor SGMII. phy_init_hw
    # then has no config_intr; only phy_resume's genphy_resume (BMCR read) is left.
    assert run.connect == [("r", 0)]


def test_rtl8221b_config_aneg_and_read_status_at_2500() -> None:
    run = Run("sim://rtl8221b@1?partner=2.5g")
    # phy_start: rtlgen_resume (genphy_resume: BMCR), then rtl822x_config_aneg:
    # phy_modify_paged_changed(0xa5d, 0x12) (0x0080 already advertises 2.5G: read only),
    # __genphy_config_aneg: genphy_config_advert (r4, BMSR for ESTATUS, r9 read only:
    # unchanged), genphy_check_and_restart_aneg (BMCR: AN on, no restart).
    aneg = [("r", 0), *paged(0xA5D, 0x12), ("r", 4), ("r", 1), ("r", 9), ("r", 0)]
    # rtl822xb_read_status: page 0xa5d r0x13 (partner 2.5G), genphy_read_status
    # (genphy_update_link: BMCR, BMSR; master-slave r9/r10; genphy_read_lpa r10, r5),
    # with link page 0xa43 r0x12 (rtlgen_decode_speed), rtl822xb_update_interface
    # (VEND1 0x7580 through 13/14).
    status = [
        *paged(0xA5D, 0x13),
        ("r", 0),
        ("r", 1),
        ("r", 9),
        ("r", 10),
        ("r", 10),
        ("r", 5),
        *paged(0xA43, 0x12),
        *mmd(30, 0x7580),
    ]
    assert run.run[: len(aneg) + len(status)] == aneg + status
    # The next poll: link stayed up, so genphy_read_status stops after the link update.
    again = [*paged(0xA5D, 0x13), ("r", 0), ("r", 1), *paged(0xA43, 0x12), *mmd(30, 0x7580)]
    assert run.run[len(aneg) + len(status) :][: len(again)] == again
    assert run.dev.speed == 2500
    assert "physcapy-mac eth0: Link is Up - 2.5Gbps/Full - flow control off" in run.logs


def test_rtl8221b_with_a_gigabit_partner() -> None:
    # The common mode is 1000BASE-T; page 0xa43 r0x12 (rtlgen_decode_speed) says 1000 too.
    run = Run("sim://rtl8221b@1?partner=1000full")
    assert run.dev.speed == 1000
    assert "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off" in run.logs


# -- MaxLinear GPY211C (mxl-gpy.c) ----------------------------------------------------------


def test_gpy211_probe_reads_c45_ids_firmware_and_masks_interrupts() -> None:
    from physcapy.pal.drivers import mxl_gpy

    run = Run("sim://gpy211@1?partner=2.5g", interface="sgmii")
    assert run.dev.drv is mxl_gpy.GPY211C and run.dev.drv.name == "Maxlinear Ethernet GPY211C"
    # gpy_probe: phy_get_c45_ids (native Clause 45: devices in package 1.6/1.5, the IDs of
    # MMDs 1, 3, 7, the STAT2 of vendor MMDs 30 and 31), r0x1e firmware version; then
    # phy_probe's phy_disable_interrupts (gpy_config_intr: r0x1a, r0x19 <- 0) and
    # get_features = genphy_c45_pma_read_abilities through 13/14 (7.1, 1.8, 1.11, 1.21).
    i = run.probe.index(("r", 1, 6))
    assert run.probe[i : i + 13] == [
        ("r", 1, 6),
        ("r", 1, 5),
        ("r", 1, 2),
        ("r", 1, 3),
        ("r", 3, 2),
        ("r", 3, 3),
        ("r", 7, 2),
        ("r", 7, 3),
        ("r", 30, 8),
        ("r", 31, 8),
        ("r", 0x1E),
        ("r", 0x1A),
        ("w", 0x19, 0),
    ]
    assert run.probe[i + 13 : i + 13 + 16] == [*mmd(7, 1), *mmd(1, 8), *mmd(1, 11), *mmd(1, 21)]
    assert "Maxlinear Ethernet GPY211C 0:01: Firmware Version: 8.8 (0x8808)" in run.logs
    # No maxlinear,use-broken-interrupts: PHY_F_NO_IRQ, polled.
    assert run.dev.irq == -1


def test_gpy211_config_aneg_and_read_status_at_2500() -> None:
    run = Run("sim://gpy211@1?partner=2.5g", interface="sgmii")
    # gpy_config_aneg: gpy_config_mdix does nothing before mdix_ctrl is known;
    # genphy_c45_an_config_aneg (7.16, 7.32 read only: unchanged); CTRL1000 (reset 0 ->
    # 1000BASE-T full: written); genphy_c45_check_and_restart_aneg (7.0 |= 0x1200);
    # firmware 8.8 needs the SGMII re-negotiation: gpy_2500basex_chk (r0x18, no link yet),
    # gpy_sgmii_aneg_en (VEND1 8), state UP: BMSR polled every 20 ms until link.
    aneg = [
        ("r", 0),  # phy_resume: genphy_resume
        *mmd(7, 16),
        *mmd(7, 32),
        ("r", 9),
        ("w", 9, 0x0200),
        *mmd(7, 0),
        *mmd(7, 0, 0x3200),
        ("r", 0x18),
        *mmd(30, 8),
        ("r", 1),
    ]
    assert run.run[: len(aneg)] == aneg
    # Link up: VEND1 8 |= ANRS (restart SGMII AN, from 0x0000 at 2.5G).
    rest = run.run[len(aneg) :]
    while rest[0] == ("r", 1):
        rest = rest[1:]
    assert rest[:8] == [*mmd(30, 8), *mmd(30, 8, 0x0200)]
    # gpy_read_status: genphy_update_link (BMCR, BMSR), AN complete: genphy_c45_read_lpa
    # (7.1, 7.19, 7.33 through 13/14) and STAT1000, r0x18 (2.5G, full); link:
    # gpy_update_interface (2500BASE-X: VEND1 8 AN already off, read only;
    # genphy_read_master_slave r9, r10; gpy_update_mdix r0x13 and PMA 0x82).
    status = [
        ("r", 0),
        ("r", 1),
        *mmd(7, 1),
        *mmd(7, 19),
        *mmd(7, 33),
        ("r", 10),
        ("r", 0x18),
        *mmd(30, 8),
        ("r", 9),
        ("r", 10),
        ("r", 0x13),
        *mmd(1, 0x82),
    ]
    assert contains(rest, status)
    assert run.dev.speed == 2500
    assert run.dev.interface.name == "BASEX_2500"
    assert "physcapy-mac eth0: Link is Up - 2.5Gbps/Full - flow control off" in run.logs


# -- Microchip KSZ8081 and KSZ9131 (micrel.c) -----------------------------------------------


def test_ksz8081_connect_and_status_poll() -> None:
    from physcapy.pal.drivers import micrel_v612

    run = Run("sim://ksz8081@1", interface="rmii")
    assert run.dev.drv is micrel_v612.KSZ8081 and run.dev.drv.name == "Micrel KSZ8081 or KSZ8091"
    # phy_init_hw: genphy_soft_reset (BMCR read, reset | restart AN, polled);
    # ksz8081_config_init: phy_clear_bits(OMSO r0x16, factory test) (clear: read only),
    # kszphy_broadcast_disable (r0x16, written with bit 9), kszphy_nand_tree_disable
    # (r0x16: NAND tree off, read only); kszphy_config_intr off (r0x1f bit 9 cleared:
    # read, written; r0x1b <- 0, acknowledge); phy_resume (BMCR).
    assert run.connect == [
        ("r", 0),
        ("w", 0, 0x9340),
        ("r", 0),
        ("r", 0x16),
        ("r", 0x16),
        ("w", 0x16, 0x0200),
        ("r", 0x16),
        ("r", 0x1F),
        ("w", 0x1F, 0x8000),
        ("w", 0x1B, 0),
        ("r", 0x1B),
        ("r", 0),
    ]
    # phy_start: kszphy_resume (genphy_resume: BMCR); ksz8081_config_aneg:
    # genphy_config_aneg (r4, BMSR, BMCR: nothing changed) and no MDI-X write (mdix_ctrl
    # unknown before the first status read); ksz8081_read_status: ksz8081_mdix_update
    # (r0x1f, r0x1e), genphy_read_status (BMCR, BMSR...).
    assert run.run[:7] == [
        ("r", 0),
        ("r", 4),
        ("r", 1),
        ("r", 0),
        ("r", 0x1F),
        ("r", 0x1E),
        ("r", 0),
    ]
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in run.logs


def test_ksz8081_interrupts_use_bit_9_of_ctrl2() -> None:
    run = Run("sim://ksz8081@1", interface="rmii", interrupts=True, seconds=3)
    assert run.dev.irq > 0
    # kszphy_config_intr on (phy_request_interrupt): r0x1f bit 9 cleared, acknowledge,
    # r0x1b <- 0x0500 (link up | link down).
    assert contains(
        run.connect, [("r", 0x1F), ("w", 0x1F, 0x8000), ("r", 0x1B), ("w", 0x1B, 0x0500)]
    )


def test_ksz9131_mdix_and_status() -> None:
    from physcapy.pal.drivers import micrel_v612

    run = Run("sim://ksz9131@1", interface="rgmii-id")
    assert run.dev.drv is micrel_v612.KSZ9131
    assert run.dev.drv.name == "Microchip KSZ9131 Gigabit PHY"
    # ksz9131_config_init: no device-tree node, no MDIO; kszphy_config_intr off clears
    # r0x1f bit 14 (ksz9131_type.interrupt_level_mask).
    assert run.connect[3:7] == [("r", 0x1F), ("w", 0x1F, 0), ("w", 0x1B, 0), ("r", 0x1B)]
    # ksz9131_config_aneg: ksz9131_config_mdix(auto) (r0x1c bits 7:6 already 0: read
    # only), genphy_config_aneg (EEE 7.60 through 13/14: ksz9477_get_features gave EEE
    # modes; r4, BMSR, r9; BMCR). ksz9131_read_status: r0x14 then genphy_read_status.
    aneg = [("r", 0), ("r", 0x1C), *mmd(7, 60), ("r", 4), ("r", 1), ("r", 9), ("r", 0)]
    assert run.run[: len(aneg) + 2] == [*aneg, ("r", 0x14), ("r", 0)]
    assert "physcapy-mac eth0: Link is Up - 1Gbps/Full - flow control off" in run.logs


# -- the command line: the v6.12 name and speed; the generic driver under v2.6.32 --------

CLI_CASES = [
    ("sim://rtl8221b@1?partner=2.5g", "RTL8221B-VB-CG 2.5Gbps PHY (C22)", 2500, "2.5Gbps/Full"),
    ("sim://gpy211@1?partner=2.5g", "Maxlinear Ethernet GPY211C", 2500, "2.5Gbps/Full"),
    ("sim://ksz8081@1", "Micrel KSZ8081 or KSZ8091", 100, "100Mbps/Full"),
    ("sim://ksz9131@1", "Microchip KSZ9131 Gigabit PHY", 1000, "1Gbps/Full"),
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
