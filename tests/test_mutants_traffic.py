# SPDX-License-Identifier: GPL-2.0-only
"""Replay's report pinned exactly (issue 23: mutants of physcapy/traffic/replay.py).

The golden part replays the traffic of tests/test_mutants_annotate.py (every kind of part,
damaged frames, Clause 45) against the simulator and compares every mismatch line and
summary with tests/data/replay_golden.txt; it pins the simulator's answers too.  After a
deliberate change, review the difference and rewrite the file with
``python -m tests.test_mutants_traffic``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from physcapy import open_bus
from physcapy.capture.session import read_session
from physcapy.errors import UnsupportedError
from physcapy.mdio.transactions import Transaction as T
from physcapy.resources import sessions_dir
from physcapy.traffic.replay import ReplayReport, parse_ignore, replay
from tests.test_mutants_annotate import C22, C45, _c22_traffic, _c45_traffic


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


def test_report_dataframe_without_pandas_says_which_extra_installs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = replay([T(0.25, 0.26, 22, "read", 1, 1, 0x796D)], open_bus("sim://?partner=none"))
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(UnsupportedError) as exc:
        report.to_dataframe()
    assert str(exc.value) == (
        "this needs pandas, which is not installed: pip install 'physcapy[pandas]'"
    )


def test_report_dict_lists_summary_mismatches_and_skipped_frames() -> None:
    truncated = T(0.75, 0.76, 22, "write", 1, 0, 0x8000, None, ["truncated"])
    report = replay(
        [T(0.25, 0.26, 22, "read", 1, 1, 0x796D), truncated], open_bus("sim://?partner=none")
    )
    assert report.to_dict() == {
        "summary": {"reads": 1, "matched": 0, "mismatched": 1, "writes": 0, "errors": 0,
                    "ignored": 0, "skipped": 1},
        "mismatches": [{"t": 0.25, "phy": 1, "reg": 1, "name": "BMSR", "expected": 0x796D,
                        "actual": 0x7949, "fields": {"autoneg_complete": [1, 0], "link_status": [1, 0]}}],
        "skipped": [truncated.to_dict()],
    }  # fmt: skip


# -- replay of varied traffic against the simulator, pinned line by line --------------------

GOLDEN = Path(__file__).parent / "data" / "replay_golden.txt"


def _report_lines(report: ReplayReport) -> list[str]:
    lines = [str(m) for m in report.mismatches]
    lines.append(f"summary {report.summary} ok={report.ok}")
    lines += [f"skipped {t}" for t in report.skipped]
    return lines


def golden_lines() -> list[str]:
    lines: list[str] = []
    for i, name in enumerate(C22):
        traffic = _c22_traffic(name, i)
        sim = "generic" if name == "ieee802.3" else name
        lines.append(f"# {name} against sim://{sim}@1")
        lines += _report_lines(replay(traffic, open_bus(f"sim://{sim}@1"), models={1: name}))
        lines.append(f"# {name} realtime, moved to address 5, BMSR and PHYSID1 ignored")
        bus = open_bus(f"sim://{sim}@5")
        ignore = parse_ignore(["BMSR", "0x2"])
        lines += _report_lines(
            replay(traffic, bus, realtime=True, address_map={1: 5}, ignore=ignore)
        )
    for i, name in enumerate(C45):
        traffic = _c45_traffic(name, 100 + i)
        lines.append(f"# {name} against sim://{name}@2")
        lines += _report_lines(replay(traffic, open_bus(f"sim://{name}@2")))
        lines.append(f"# {name} dry run")
        lines += _report_lines(replay(traffic, open_bus(f"sim://{name}@2"), dry_run=True))
    for path in sorted(sessions_dir().glob("*.jsonl")):
        s = read_session(path)
        url = "sim://" + ",".join(f"{m}@{a}" for a, m in sorted(s.meta.models.items()))
        lines.append(f"# session {path.name} against {url}")
        lines += _report_lines(replay(s.transactions, open_bus(url), models=dict(s.meta.models)))
    return lines


def test_replays_match_the_pinned_golden_file() -> None:
    expected = GOLDEN.read_text().splitlines()
    got = golden_lines()
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        assert g == e, f"line {i + 1}"
    assert len(got) == len(expected)


if __name__ == "__main__":
    GOLDEN.write_text("\n".join(golden_lines()) + "\n")
