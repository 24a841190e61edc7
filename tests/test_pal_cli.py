# SPDX-License-Identifier: GPL-2.0-only
"""``physcapy pal``: the timeline in text and jsonl, both profiles, and one-line errors."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_physcapy

ISSUE_EXAMPLE = (
    "sim://lan8720a@1",
    "1",
    "--seconds",
    "20",
    "--event",
    "8:unplug",
    "--event",
    "12:plug",
)


def _jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_linux26_text_timeline(cli) -> None:
    status, out, err = cli("pal", *ISSUE_EXAMPLE)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert "eth0: attached PHY driver [SMSC LAN8710/LAN8720] (mii_bus:phy_addr=0:01, irq=-1)" in out
    states = [" ".join(ln.split()[-3:]) for ln in lines if "  state  " in ln]
    # The SMSC driver advertises pause: AN restarts at t=1 and the link is back at t=3.
    assert states[:5] == [
        "READY -> UP",
        "UP -> AN",
        "AN -> NOLINK",
        "NOLINK -> RUNNING",
        "RUNNING -> CHANGELINK",
    ]
    assert states.count("CHANGELINK -> NOLINK") == 1 and states.count("NOLINK -> RUNNING") == 2
    # Unplugged at 8.0 (a RUNNING -> CHANGELINK tick), seen by the CHANGELINK read at 9.0.
    assert any(
        ln.split()[0] == "9.000000" and ln.endswith("PHY: 0:01 - Link is Down") for ln in lines
    )
    up = [ln for ln in lines if ln.endswith("Link is Up - 100/Full")]
    assert [ln.split()[0] for ln in up] == ["3.000000", "14.000000"]
    assert not [ln for ln in lines if "  mdio  " in ln]  # text leaves MDIO out by default


def test_linux26_jsonl_timeline_has_every_kind(cli) -> None:
    status, out, _ = cli("pal", *ISSUE_EXAMPLE, "--format", "jsonl")
    events = _jsonl(out)
    assert status == 0
    kinds = {e["event"] for e in events}
    assert kinds == {"state", "carrier", "adjust_link", "log", "mdio"}
    assert {"t": 1.0, "event": "state", "phy": "0:01", "from": "UP", "to": "AN"} in events
    # Both ends advertise pause and 2.6 resolves it from LPA & ADVERTISE: pause 1.
    assert {
        "t": 3.0,
        "event": "adjust_link",
        "phy": "0:01",
        "link": 1,
        "speed": 100,
        "duplex": "full",
        "pause": 1,
    } in events
    # v2.6.32: the carrier is on from registration, so AN -> NOLINK at 2 s drops it.
    assert [(e["t"], e["on"]) for e in events if e["event"] == "carrier"] == [
        (2.0, False),
        (3.0, True),
        (9.0, False),
        (14.0, True),
    ]
    # The only writes: ADVERTISE with pause, then genphy_config_aneg's AN restart.
    writes = [(e["reg"], e["data"]) for e in events if e["event"] == "mdio" and e["op"] == "write"]
    assert writes == [(4, 0x0DE1), (0, 0x3200)]  # BMCR 0x3000 | AN enable + restart
    mdio = [e for e in events if e["event"] == "mdio"]
    assert mdio[0] == {**mdio[0], "clause": 22, "op": "read", "phy": 0, "reg": 2}
    assert {"start", "end", "data", "addr", "errors"} <= set(mdio[0])


def test_linux6_timeline_text_and_jsonl(cli) -> None:
    status, out, _ = cli(
        "pal", *ISSUE_EXAMPLE, "--profile", "linux6", "--format", "jsonl", "--no-mdio"
    )
    events = _jsonl(out)
    assert status == 0 and not [e for e in events if e["event"] == "mdio"]
    states = [(e["from"], e["to"]) for e in events if e["event"] == "state"]
    # v6 soft-resets the LAN8720 at attach, so the first run finds the link down.
    assert states == [
        ("READY", "UP"),
        ("UP", "NOLINK"),
        ("NOLINK", "RUNNING"),
        ("RUNNING", "NOLINK"),
        ("NOLINK", "RUNNING"),
    ]
    assert len([e for e in events if e["event"] == "adjust_link"]) == 4  # transitions only
    status, out, _ = cli("pal", *ISSUE_EXAMPLE, "--profile", "linux6")
    assert status == 0
    # The MAC stand-in declares no pause support, so v6 advertises none: "off".
    assert "physcapy-mac eth0: Link is Up - 100Mbps/Full - flow control off" in out
    assert "physcapy-mac eth0: Link is Down" in out
    assert out.splitlines()[0].endswith("Linux v6.12 phylib (physcapy PAL profile linux6)")


def test_other_events_and_options(cli) -> None:
    status, out, _ = cli(
        "pal",
        "sim://generic@1",
        "0:01",
        "--seconds",
        "6",
        "--event",
        "3.5:ethtool=100full",
        "--format",
        "jsonl",
    )
    events = _jsonl(out)
    assert status == 0
    states = [(e["t"], e["from"], e["to"]) for e in events if e["event"] == "state"]
    i = states.index((3.5, "CHANGELINK", "FORCING"))
    assert states[i + 1] == (4.0, "FORCING", "RUNNING")
    writes = [e for e in events if e["event"] == "mdio" and e["op"] == "write"]
    assert [(w["reg"], w["data"]) for w in writes] == [(0, 0x2100)]
    status, out, _ = cli(
        "pal",
        "sim://generic@1",
        "1",
        "--seconds",
        "4",
        "--variant",
        "2005",
        "--event",
        "2.5:bus-error",
    )
    assert status == 0 and "CHANGELINK -> HALTED" not in out and "-> HALTED" in out
    # v6: ethtool -s eth0 master-slave forced-master, then renegotiation.
    status, out, _ = cli(
        "pal",
        "sim://generic@1?partner=1000full",
        "1",
        "--profile",
        "linux6",
        "--seconds",
        "6",
        "--event",
        "3:ethtool=forced-master",
        "--format",
        "jsonl",
    )
    writes = [
        (e["reg"], e["data"]) for e in _jsonl(out) if e["event"] == "mdio" and e["op"] == "write"
    ]
    assert status == 0 and (9, 0x1B00) in writes
    assert writes[writes.index((9, 0x1B00)) + 1][0] == 0  # then BMCR: restart AN


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sim://lan8720a@1", "5"), "ENODEV: no PHY named '0:05'"),
        (("sim://lan8720a@1", "1", "--event", "3:foo"), "event 'foo' in '3:foo' is unknown"),
        (("sim://lan8720a@1", "1", "--event", "x:unplug"), "event time 'x'"),
        (("sim://lan8720a@1", "1", "--event", "3:ethtool=42full"), "ethtool mode '42full'"),
        (("sim://", "1", "--event", "3:ethtool=forced-master"), "allowed none on 2.6.32"),
        (
            ("sim://lan8720a@1", "1", "--profile", "linux6", "--event", "3:ethtool=forced-slave"),
            "EOPNOTSUPP: 0:01: master/slave configuration not supported",
        ),
        (("sim://lan8720a@1", "1", "--event", "3:partner=bogus"), "partner ability"),
        (("sim://lan8720a@1", "1", "--seconds", "-3"), "--seconds -3"),
        (("sim://lan8720a@1", "1", "--profile", "linux6", "--variant", "2005"), "linux6 variant"),
        (("sim://lan8720a@1", "1", "--interface", "qxgmii9"), "PHY interface mode"),
        (("sim://lan8720a@1", "99"), "PHY address 99"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message) -> None:
    result = run_physcapy("pal", *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr
