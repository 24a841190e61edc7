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
from physcapy.errors import PhyscapyError, UnsupportedError
from physcapy.mdio.frames import Frame
from physcapy.mdio.transactions import Transaction as T
from physcapy.registers.models import model
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


def test_parse_ignore_numbers_names_and_mmd_registers() -> None:
    items = [
        "26",
        "0x1a",
        " 1 ",
        "BMSR",
        "bmsr",
        "3.0x14",
        "3.20",
        "0x3.0x14",
        "PHYSID1",
        "pcs.ctrl1",
    ]
    assert parse_ignore(items) == {"1", "2", "26", "3.0x14", "3.0x0"}
    assert parse_ignore(["0", "31", "0.0", "31.0xffff"]) == {"0", "31", "0.0x0", "31.0xffff"}
    # A vendor name: its key when the part is known, else kept to match by name.
    assert parse_ignore(["PSCSR"], model("lan8720a")) == {"31"}
    assert parse_ignore(["SECR", "pscsr"]) == {"SECR", "PSCSR"}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("32", "--ignore register 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)"),
        ("-1", "--ignore register -1 (0x-1) is out of range: allowed 0-31 (0x00-0x1f)"),
        ("32.1", "--ignore DEVAD 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)"),
        ("-1.1", "--ignore DEVAD -1 (0x-1) is out of range: allowed 0-31 (0x00-0x1f)"),
        ("1.0x10000", "--ignore register address 65536 (0x10000) is out of range: "
                      "allowed 0-65535 (0x0000-0xffff)"),
        ("1.-1", "--ignore register address -1 (0x-1) is out of range: allowed 0-65535 (0x0000-0xffff)"),
        ("NOSUCHREG", "unknown register to ignore 'NOSUCHREG' (no PHY model has a register so named)"),
        ("x.y", "unknown MMD 'x': choose from AN (7), PCS (3), PMA (1)"),
    ],
)  # fmt: skip
def test_parse_ignore_errors(item: str, message: str) -> None:
    with pytest.raises(PhyscapyError) as exc:
        parse_ignore([item])
    assert str(exc.value) == message


def test_clause45_and_mmd_mismatches_decode_both_sides_with_the_same_register() -> None:
    c45 = replay(
        [T(0, 0, 45, "address", 1, 3, 0), T(0.2, 0.2, 45, "read_inc", 1, 1, 0x1234, addr=1)],
        open_bus("sim://generic-c45@1"),
    )
    assert [str(m) for m in c45.mismatches] == [
        "   0.2000000  PHY 1 STAT1 (1.0x1): expected 0x1234, got 0x2040  "
        "(STAT1.link_status: capture 1, device 0)"
    ]
    mmd = [T(0, 0, 22, "write", 1, 13, 0x0007), T(0, 0, 22, "write", 1, 14, 0x003C),
           T(0, 0, 22, "write", 1, 13, 0x4007), T(0.1, 0.1, 22, "read", 1, 14, 0x0006)]  # fmt: skip
    # The KSZ9031's file does not list 7.0x3c: both sides use the IEEE description,
    # whether the part is given or not.
    for models in ({1: "ksz9031"}, None):
        (m,) = replay(mmd, open_bus("sim://ksz9031@1"), models=models).mismatches
        assert (m.reg, m.name, m.expected, m.actual) == ("7.0x3c", "AN_EEE_ADV", 6, 0)
        assert m.fields == {"eee_1000base_t": [1, 0], "eee_100base_tx": [1, 0]}


def test_bus_errors_are_counted_and_reported_with_the_register(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bus = open_bus("sim://lan8720a@1")

    def broken(*args: object, **kwargs: object) -> None:
        raise PhyscapyError("ftdi://: USB write failed")

    monkeypatch.setattr(bus, "write", broken)
    monkeypatch.setattr(bus, "batch", broken)
    report = replay(
        [T(0.5, 0.6, 22, "write", 1, 0, 0x1200), T(0.7, 0.8, 22, "read", 1, 1, 0x782D),
         T(0.9, 1.0, 45, "address", 1, 3, 0)],
        bus,
    )  # fmt: skip
    assert report.summary == {"reads": 1, "matched": 0, "mismatched": 0, "writes": 1, "errors": 2,
                              "ignored": 0, "skipped": 0}  # fmt: skip
    assert not report.ok
    assert [str(m) for m in report.mismatches] == [
        "   0.5000000  PHY 1 BMCR (0): bus error: ftdi://: USB write failed",
        "   0.7000000  PHY 1 BMSR (1): bus error: ftdi://: USB write failed",
    ]
    assert [(m.expected, m.actual) for m in report.mismatches] == [(0x1200, -1), (0x782D, -1)]


def test_named_mmd_registers_and_hex_devads_mix_with_other_ignore_items() -> None:
    """Every item counts, in any order; DEVAD is a number like the register (0x3.0x14),
    range-checked as one (45.3: DEVAD is 5 bits)."""
    assert parse_ignore(["pcs.ctrl1", "BMSR", "0x3.0x14"]) == {"3.0x0", "1", "3.0x14"}
    with pytest.raises(PhyscapyError) as exc:
        parse_ignore(["0x20.1"])
    assert str(exc.value) == "--ignore DEVAD 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)"


def test_write_errors_are_each_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    bus = open_bus("sim://lan8720a@1")

    def broken(*args: object, **kwargs: object) -> None:
        raise PhyscapyError("ftdi://: USB write failed")

    monkeypatch.setattr(bus, "write", broken)
    writes = [T(0.1, 0.1, 22, "write", 1, 0, 0x1200), T(0.2, 0.2, 22, "write", 1, 4, 0x01E1)]
    report = replay(writes, bus)
    assert (report.writes, report.errors, len(report.mismatches)) == (2, 2, 2)


def test_a_read_error_is_counted_and_the_replay_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    bus = open_bus("sim://lan8720a@1")
    batch = bus.batch
    failures = iter([True])

    def flaky(frames: list[Frame]) -> list[Frame]:
        if next(failures, False):
            raise PhyscapyError("ftdi://: USB read timed out")
        return batch(frames)

    monkeypatch.setattr(bus, "batch", flaky)
    reads = [T(0.1, 0.1, 22, "read", 1, 2, 0x0007), T(0.2, 0.2, 22, "read", 1, 3, 0xC0F1)]
    report = replay(reads, bus)
    assert (report.reads, report.errors, report.matched, report.mismatched) == (2, 1, 1, 0)


def test_an_ignored_read_is_counted_and_the_replay_goes_on() -> None:
    """--ignore by number works for registers no description names (vendor 26 on the
    IEEE set), and the reads after an ignored one are still compared."""
    traffic = [T(0.1, 0.1, 22, "read", 1, 26, 0x1234), T(0.2, 0.2, 22, "read", 1, 1, 0x782D),
               T(0.3, 0.3, 22, "read", 1, 2, 0x0007)]  # fmt: skip
    report = replay(traffic, open_bus("sim://lan8720a@1"), ignore=parse_ignore(["26", "BMSR"]))
    assert report.summary == {"reads": 3, "matched": 1, "mismatched": 0, "writes": 0, "errors": 0,
                              "ignored": 2, "skipped": 0}  # fmt: skip
    report = replay(traffic, open_bus("sim://lan8720a@1"), ignore=parse_ignore(["BMSR"]))
    assert [(m.reg, m.name) for m in report.mismatches] == [(26, None)]


def test_progress_is_reported_every_4096_transactions_with_the_count_done() -> None:
    calls: list[int] = []
    traffic = [T(0.0, 0.0, 22, "read", 1, 2, 0x0007)] * 4097
    report = replay(traffic, open_bus("sim://lan8720a@1"), dry_run=True, progress=calls.append)
    assert calls == [0, 4096] and report.reads == 4097


def test_realtime_keeps_the_spacing_of_traffic_that_starts_late() -> None:
    """The first frame goes at once, the others as far after it as in the capture."""
    bus = open_bus("sim://lan8720a@1")
    base = bus.clock.time()
    traffic = [T(5.0, 5.0, 22, "read", 1, 2, 0x0007), T(5.25, 5.25, 22, "read", 1, 3, 0xC0F1)]
    assert replay(traffic, bus, realtime=True).ok
    assert 0.25 <= bus.clock.time() - base < 0.26


def test_a_clause22_read_inc_is_replayed_as_a_read() -> None:
    """Clause 22 has no read_inc (22.2.4.5.4: read 10, write 01); a session that names
    one gets the register read and compared."""
    report = replay([T(0, 0, 22, "read_inc", 1, 2, 0x0007)], open_bus("sim://lan8720a@1"))
    assert report.summary["matched"] == 1 and report.ok


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
