# SPDX-License-Identifier: GPL-2.0-only
"""Replay's report pinned exactly (issue 23: mutants of physcapy/traffic/replay.py)."""

from __future__ import annotations

from physcapy import open_bus
from physcapy.mdio.transactions import Transaction as T
from physcapy.traffic.replay import replay


def test_report_dataframe_has_one_row_per_mismatch_with_every_column() -> None:
    report = replay(
        [T(0.25, 0.26, 22, "read", 1, 1, 0x796D), T(0.5, 0.51, 22, "read", 7, 2, 0x0007)],
        open_bus("sim://?partner=none"),
    )
    df = report.to_dataframe()
    assert list(df.columns) == ["t", "phy", "reg", "name", "expected", "actual", "fields", "note"]
    assert df.to_dict("records") == [
        {
            "t": 0.25, "phy": 1, "reg": 1, "name": "BMSR", "expected": 0x796D, "actual": 0x7949,
            "fields": {"autoneg_complete": [1, 0], "link_status": [1, 0]}, "note": "",
        },
        {
            "t": 0.5, "phy": 7, "reg": 2, "name": "PHYSID1", "expected": 0x0007, "actual": 0xFFFF,
            "fields": {"oui_msb": [7, 0xFFFF]}, "note": "no turnaround from the device",
        },
    ]  # fmt: skip
