# SPDX-License-Identifier: GPL-2.0-only
"""The Linux v6.12 multi-gigabit Clause 45 drivers against their simulated parts (issue 22
part 3): binding, the exact MMD sequences of connect and of the status poll, and the
v6.12 link line at 2.5G and 10G.

Each expected sequence is typed from the kernel function the test names (Linux v6.12
``drivers/net/phy/aquantia/aquantia_main.c``, ``drivers/net/phy/marvell10g.c``,
``drivers/net/phy/phy-c45.c``); values written that depend on what was read come from
the model's reset, as the comment beside them says.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from physcapy.errors import PalError
from physcapy.pal import Pal
from physcapy.pal.drivers import aquantia, marvell10g
from physcapy.pal.events import Event

Op = tuple[Any, ...]  # ("r", devad, reg) or ("w", devad, reg, value)


def c45_ops(events: list[Event]) -> list[Op]:
    """The Clause 45 reads and writes among ``events`` (address frames dropped)."""
    out: list[Op] = []
    for e in events:
        d = e.data
        if e.kind != "mdio" or d["clause"] != 45 or d["op"] == "address":
            continue
        out.append(
            ("w", d["reg"], d["addr"], d["data"])
            if d["op"] == "write"
            else ("r", d["reg"], d["addr"])
        )
    return out


class C45Run:
    """sim://URL at address 1 under linux6: scan, connect (USXGMII), start, run."""

    def __init__(self, url: str, seconds: float = 7.0, interrupts: bool = False):
        self.pal = Pal(url, "linux6", interrupts=interrupts)
        self.dev = self.pal.device("0:01")
        start = len(self.pal.events)
        self.pal.phy_connect(self.pal.netdev(), "0:01", interface="usxgmii")
        connected = len(self.pal.events)
        self.connect = c45_ops(self.pal.events[start:connected])
        self.pal.phy_start(self.dev)
        self.pal.run(seconds)
        self.run = c45_ops(self.pal.events[connected:])
        self.logs = [e.data["text"] for e in self.pal.events if e.kind == "log"]


# -- Aquantia AQR113C -----------------------------------------------------------------------

# aqr107_config_init: aqr_wait_reset_complete (VEND1 0x20), aqr107_chip_info (0x20, 0xC885),
# aqr107_set_downshift (AN 0xC400 ← reset 0x8C04 with DOWNSHIFT_EN | 4 = 0x8C14);
# aqr113c_config_init: 1.9 TX disable already clear (read only),
# aqr107_wait_processor_intensive_op (VEND1 0xC831), aqr113c_fill_interface_modes
# (0x031B until non-zero, then aqr107_fill_interface_modes over the six 0x031x).
AQR113C_CONFIG_INIT: list[Op] = [
    ("r", 30, 0x0020),
    ("r", 30, 0x0020),
    ("r", 30, 0xC885),
    ("r", 7, 0xC400),
    ("w", 7, 0xC400, 0x8C14),
    ("r", 1, 0x0009),
    ("r", 30, 0xC831),
    ("r", 30, 0x031B),
    *(("r", 30, reg) for reg in (0x0310, 0x031B, 0x031C, 0x031D, 0x031E, 0x031F)),
]
# aqr_config_intr with interrupts off (phy_init_hw): the three masks cleared, then the
# pending status read.
AQR113C_INTR_OFF: list[Op] = [
    ("w", 7, 0xD401, 0),
    ("w", 30, 0xFF00, 0),
    ("w", 30, 0xFF01, 0),
    ("r", 7, 0xCC01),
]
# aqr107_resume: VEND1 0.0 low power already clear (read only), then the 0xC831 wait.
AQR107_RESUME: list[Op] = [("r", 30, 0x0000), ("r", 30, 0xC831)]


def test_aqr113c_binds_and_connects_with_the_v612_sequence() -> None:
    run = C45Run("sim://aqr113c@1?partner=2.5g,1000full")
    assert run.dev.drv is aquantia.AQR113C and run.dev.drv.name == "Aquantia AQR113C"
    assert run.connect == AQR113C_CONFIG_INIT + AQR113C_INTR_OFF + AQR107_RESUME


def test_aqr113c_config_aneg_and_read_status_at_2500() -> None:
    run = C45Run("sim://aqr113c@1?partner=2.5g,1000full")
    # phy_start resumes first; then aqr_config_aneg: genphy_c45_an_config_aneg (7.16 and
    # 7.32 already hold what is advertised: read only), AN 0xC400 (unchanged), and
    # genphy_c45_check_and_restart_aneg reads 7.0 (AN enabled: no restart).
    aneg = [("r", 7, 0x10), ("r", 7, 0x20), ("r", 7, 0xC400), ("r", 7, 0x0)]
    # aqr107_read_status: aqr_read_status (AN 0xE820, then genphy_c45_read_status:
    # read_link 7.0 and 1.1 (link up at the first read), read_lpa 7.1, 7.19, 7.33),
    # then PHY XS 0xE812 and aqr107_read_rate (AN 0xC800, VEND1 0x031D for 2.5G).
    status = [
        ("r", 7, 0xE820),
        ("r", 7, 0x0),
        ("r", 1, 0x1),
        ("r", 7, 0x1),
        ("r", 7, 0x13),
        ("r", 7, 0x21),
        ("r", 4, 0xE812),
        ("r", 7, 0xC800),
        ("r", 30, 0x031D),
    ]
    assert run.run[: 2 + 4 + 9] == AQR107_RESUME + aneg + status
    assert "physcapy-mac eth0: Link is Up - 2.5Gbps/Full - flow control off" in run.logs
    assert run.dev.speed == 2500
    assert run.dev.interface.name == "BASEX_2500"  # PHY XS 0xE812 type 10: OCSGMII


@pytest.mark.parametrize(
    ("partner", "speed", "text"), [("10g", 10000, "10Gbps"), ("5g", 5000, "5Gbps")]
)
def test_aqr113c_speed_comes_from_the_vendor_rate(partner: str, speed: int, text: str) -> None:
    run = C45Run(f"sim://aqr113c@1?partner={partner}")
    assert run.dev.speed == speed
    assert f"physcapy-mac eth0: Link is Up - {text}/Full - flow control off" in run.logs


def test_aqr113c_interrupts_on() -> None:
    run = C45Run("sim://aqr113c@1?partner=2.5g", seconds=4, interrupts=True)
    assert run.dev.irq > 0
    # aqr_config_intr on (phy_request_interrupt): pending status read first, then
    # AN 0xD401 ← link, VEND1 0xFF00 ← ALL, VEND1 0xFF01 ← GLOBAL3 | AN.
    on = [("r", 7, 0xCC01), ("w", 7, 0xD401, 1), ("w", 30, 0xFF00, 1), ("w", 30, 0xFF01, 0x1001)]
    assert run.connect[-4:] == on


def test_aqr113c_refuses_a_parallel_mac_interface() -> None:
    pal = Pal("sim://aqr113c@1", "linux6", record_mdio=False)
    with pytest.raises(PalError) as exc:
        pal.phy_connect(pal.netdev(), "0:01", interface="rgmii")
    assert exc.value.errno == 19  # aqr107_config_init: -ENODEV


# -- Marvell 88X3310 ------------------------------------------------------------------------


def test_88x3310_probe_matches_by_port_count_and_reads_firmware() -> None:
    pal = Pal("sim://88x3310@1", "linux6")
    assert pal.device("0:01").drv is marvell10g.MV88X3310
    ops = c45_ops(list(pal.events))
    # mv3310_match_phy_device reads PCS 0xD00D (one port); mv3310_probe: 1.0xC050 boot
    # status, 1.0xC011/0xC012 firmware version, mv3310_power_down (VEND2 0xF001 |=
    # 0x0800), mv3310_hwmon_config (VEND2 0xF08C ← 0x9600, 0xF08A sample = 0: read only).
    i = ops.index(("r", 3, 0xD00D))
    assert ops[i : i + 8] == [
        ("r", 3, 0xD00D),
        ("r", 1, 0xC050),
        ("r", 1, 0xC011),
        ("r", 1, 0xC012),
        ("r", 31, 0xF001),
        ("w", 31, 0xF001, 0x0800),
        ("w", 31, 0xF08C, 0x9600),
        ("r", 31, 0xF08A),
    ]
    assert "mv88x3310 0:01: Firmware version 0.3.0.0" in [
        e.data["text"] for e in pal.events if e.kind == "log"
    ]


def test_88x3310_config_init_and_10g_link() -> None:
    run = C45Run("sim://88x3310@1?partner=10g")
    # mv3310_config_init: mv3310_power_up (clear 0x0800; firmware >= 0.3: SWRST), the
    # MAC type (VEND2 0xF001), mv3310_set_edpd (PCS 0x8000 bits 9:8 ← 3 from reset
    # 0x0060: a change, so mv3310_reset of the BASE-T PCS: 3.0 |= 0x8000 from reset
    # 0x2040, then polled); no downshift on firmware 0.3.0.0.
    assert run.connect[:10] == [
        ("r", 31, 0xF001),
        ("w", 31, 0xF001, 0x0000),
        ("r", 31, 0xF001),
        ("w", 31, 0xF001, 0x8000),
        ("r", 31, 0xF001),
        ("r", 3, 0x8000),
        ("w", 3, 0x8000, 0x0360),
        ("r", 3, 0x0000),
        ("w", 3, 0x0000, 0xA040),
        ("r", 3, 0x0000),
    ]
    # mv3310_read_status: 3.0x1001 (no 10GBASE-R fibre link), then the copper path:
    # genphy_c45_read_link (7.0, 1.1 twice while down), 7.1, CSSR1 PCS 0x8008.
    poll = [
        ("r", 3, 0x1001),
        ("r", 7, 0x0),
        ("r", 1, 0x1),
        ("r", 1, 0x1),
        ("r", 7, 0x1),
        ("r", 3, 0x8008),
    ]
    assert any(run.run[i : i + 6] == poll for i in range(len(run.run)))
    assert run.dev.speed == 10000
    assert "physcapy-mac eth0: Link is Up - 10Gbps/Full - flow control off" in run.logs


# -- the command line and Linux v2.6.32 ----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name", "speed"),
    [
        ("sim://aqr113c@1?partner=2.5g,1000full", "Aquantia AQR113C", 2500),
        ("sim://aqr113c@1?partner=10g", "Aquantia AQR113C", 10000),
        ("sim://88x3310@1?partner=10g", "mv88x3310", 10000),
        ("sim://88x3310@1?partner=2.5g", "mv88x3310", 2500),
    ],
)
def test_cli_binds_the_v612_driver_and_reports_the_speed(
    cli, url: str, name: str, speed: int
) -> None:
    status, out, _ = cli(
        "pal", url, "1", "--profile", "linux6", "--format", "jsonl", "--seconds", "8"
    )
    assert status == 0
    events = [json.loads(line) for line in out.splitlines()]
    texts = [e["text"] for e in events if e["event"] == "log"]
    assert any(t.startswith(f"{name} 0:01: attached PHY driver") for t in texts)
    links = [e for e in events if e["event"] == "adjust_link" and e["link"]]
    assert links and links[-1]["speed"] == speed


@pytest.mark.parametrize("part", ["aqr113c", "88x3310"])
def test_linux26_does_not_find_a_clause45_only_part(part: str) -> None:
    """v2.6.32 get_phy_id reads registers 2/3 with Clause 22 frames only (no Clause 45 scan,
    no "Generic Clause 45 PHY"): a part that ignores Clause 22 is not registered."""
    pal = Pal(f"sim://{part}@1", "linux26", record_mdio=False)
    with pytest.raises(PalError) as exc:
        pal.device("0:01")
    assert exc.value.errno == 19
