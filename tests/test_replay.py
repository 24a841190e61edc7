# SPDX-License-Identifier: GPL-2.0-only
"""Annotation, replay and diff of captured and recorded traffic (issue 7)."""

from __future__ import annotations

import json

import pytest

from physcapy import open_bus
from physcapy.mdio.transactions import Transaction as T
from physcapy.registers.models import all_models
from physcapy.traffic.annotate import Annotator, annotate
from physcapy.traffic.diff import diff
from physcapy.traffic.replay import parse_ignore, replay
from tests.conftest import SHARED

UNPLUGGED = SHARED / "captures" / "lan8720a_read_all_unplugged.sr"


def _recorded(url: str, actions) -> list[T]:  # type: ignore[no-untyped-def]
    bus = open_bus(url)
    seen: list[T] = []
    bus.subscribe(seen.append)
    actions(bus)
    return seen


# -- annotation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "m", [m for m in all_models() if m.kind == "phy" and 2 in m.registers], ids=lambda m: m.name
)
def test_each_vendor_model_is_identified_from_its_id_reads(m):
    traffic = _recorded(f"sim://{m.name}@4", lambda b: [b.read(4, r) for r in (2, 3, 1)])
    notes = list(annotate(traffic))
    assert notes[0].model is None  # not known before PHYSID2 is read
    assert notes[1].model == m.name and notes[2].model == m.name
    assert notes[2].name == "BMSR" and notes[2].fields["link_status"] in (0, 1)


def test_clause45_identification_and_address_context():
    traffic = _recorded(
        "sim://generic-c45@5",
        lambda b: (b.read_c45(5, 1, 2), b.read_c45(5, 1, 3), b.read_c45_burst(5, 7, 0, 2)),
    )
    notes = list(annotate(traffic))
    assert notes[3].model == "generic-c45"
    assert [(n.key, n.name) for n in notes[-3:]] == [
        ("7.0x0", "CTRL1"),
        ("7.0x0", "CTRL1"),
        ("7.0x1", "STAT1"),
    ]
    assert notes[-1].note == "post-read-increment" and "autoneg_complete" in notes[-1].fields


def test_page_tracking_rtl8211f():
    def actions(b):  # type: ignore[no-untyped-def]
        b.read(1, 2), b.read(1, 3)
        b.write(1, 31, 0xA43)
        b.read(1, 26)
        b.write(1, 31, 0)
        b.read(1, 18)

    notes = list(annotate(_recorded("sim://rtl8211f@1", actions)))
    assert notes[2].note == "page switch to 0xa43"
    assert (notes[3].name, notes[3].key) == ("PHYSR", "0xa43:26")
    assert notes[3].fields["link"] == 1
    # Page 0 selects the default page 0xa42 on this part: INER lives there.
    assert (notes[5].name, notes[5].key) == ("INER", "0xa42:18")


def test_marvell_page_select_on_a_part_without_modelled_pages():
    # 88E1111: register 22 selects copper (0) or fibre (1) copies of registers 0-8 and
    # 16-28; only the copper page is described, so fibre-page reads are not decoded.
    traffic = [
        T(0, 0, 22, "read", 1, 2, 0x0141),
        T(0, 0, 22, "read", 1, 3, 0x0CC2),
        T(0, 0, 22, "write", 1, 22, 0x0001),
        T(0, 0, 22, "read", 1, 17, 0xAC08),
        T(0, 0, 22, "write", 1, 22, 0x0000),
        T(0, 0, 22, "read", 1, 17, 0xAC08),
    ]
    notes = list(annotate(traffic))
    assert notes[2].note == "page switch to 0x1"
    assert (notes[3].key, notes[3].name, notes[3].fields) == ("0x1:17", None, {})
    assert notes[3].note == "page 0x1 (not described)"
    assert notes[5].name == "PSSR" and notes[5].fields["link"] == 1


def test_mmd_indirect_access_is_shown_as_one_logical_access():
    traffic = _recorded(
        "sim://ksz9031@1",
        lambda b: (b.read(1, 2), b.read(1, 3), b.read_mmd(1, 2, 4), b.read_mmd(1, 2, 5)),
    )
    notes = list(annotate(traffic))
    setup, access = notes[2:5], notes[5]
    assert [n.note.split(":")[0] for n in setup] == ["MMD indirect access"] * 3
    assert access.key == "2.0x4" and access.note.endswith("via 13/14")
    assert access.note.startswith("2.0x4 = 0x")
    assert notes[9].key == "2.0x5"


def test_driver_sequences_are_labelled():
    def actions(b):  # type: ignore[no-untyped-def]
        b.write(1, 0, 0x9140)  # soft reset
        b.read(1, 0)  # during the reset
        b.clock.advance(0.001)
        b.read(1, 0)
        b.write(1, 0, 0x1340)  # restart AN
        b.read(1, 1)
        b.read(1, 1)

    notes = list(annotate(_recorded("sim://generic@1", actions)))
    assert [n.note for n in notes] == [
        "soft reset (BMCR.reset)",
        "reset poll: still in reset",
        "reset poll: reset done",
        "restart auto-negotiation",
        "",
        "second BMSR read (genphy_update_link: the first flushes the latch)",
    ]


def test_annotate_cli_on_a_capture_jsonl(cli):
    status, out, _ = cli("decode", str(UNPLUGGED), "--annotate", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and len(rows) == 32
    by_reg = {r["reg"]: r for r in rows}
    assert by_reg[1]["name"] == "BMSR" and by_reg[1]["fields"]["link_status"] == 0
    assert by_reg[31]["model"] == "lan8720a" and by_reg[31]["name"] == "PSCSR"
    assert by_reg[0]["model"] is None  # read before the PHYSID reads
    status, out, _ = cli("decode", str(UNPLUGGED), "--annotate", "--model", "1=lan8720a")
    assert status == 0 and "PSCSR" in out and "+aneg-capable" in out


# -- replay -------------------------------------------------------------------------------


def test_replay_unplugged_capture_matches_an_unplugged_simulation(cli):
    status, out, _ = cli("replay", str(UNPLUGGED), "--against", "sim://lan8720a@1?partner=none")
    assert status == 0, out
    assert out.splitlines()[0] == (
        "32 reads: 32 matched, 0 mismatched, 0 ignored; 0 writes; 0 errors"
    )


def test_replay_against_a_linked_phy_differs_in_link_fields_only(cli):
    status, out, _ = cli(
        "replay", str(UNPLUGGED), "--against", "sim://lan8720a@1", "--format", "json"
    )
    doc = json.loads(out)
    assert status == 1
    got = {m["name"]: set(m["fields"]) for m in doc["mismatches"]}
    assert got == {
        "BMSR": {"link_status", "autoneg_complete"},
        "LPA": {
            "next_page",
            "acknowledge",
            "asym_pause",
            "pause",
            "cap_100base_tx_fd",
            "cap_100base_tx_hd",
            "cap_10base_t_fd",
            "cap_10base_t_hd",
        },
        "EXPANSION": {"lp_autoneg_able", "page_received", "lp_next_page_able"},
        "MCSR": {"energyon"},
        "ISFR": {"energyon", "autoneg_complete", "autoneg_page_received"},
        "PSCSR": {"autodone", "speed_indication"},
    }
    assert doc["summary"] == {
        "reads": 32,
        "matched": 26,
        "mismatched": 6,
        "writes": 0,
        "errors": 0,
        "ignored": 0,
        "skipped": 0,
    }
    bmsr = next(m for m in doc["mismatches"] if m["name"] == "BMSR")
    assert (bmsr["expected"], bmsr["actual"], bmsr["fields"]["link_status"]) == (
        0x7809,
        0x782D,
        [0, 1],
    )


def test_replay_options_ignore_map_dry_run(cli):
    moved = ("replay", str(UNPLUGGED), "--against", "sim://lan8720a@3", "--map", "1=3")
    ignored = ("BMSR", "5", "6", "MCSR", "ISFR", "PSCSR")
    status, out, _ = cli(*moved, *(a for reg in ignored for a in ("--ignore", reg)))
    # SMR reads back the strapped address: moving the PHY to 3 shows there.
    assert status == 1 and "SMR.phyad: capture 1, device 3" in out
    status, out, _ = cli(*moved, *(a for reg in (*ignored, "SMR") for a in ("--ignore", reg)))
    assert status == 0 and "25 matched, 0 mismatched, 7 ignored" in out
    status, out, _ = cli("replay", str(UNPLUGGED), "--against", "sim://", "--dry-run")
    assert status == 0 and "dry run: nothing sent" in out
    # Without --map nobody answers at address 1 on that bus: every read differs.
    status, out, _ = cli("replay", str(UNPLUGGED), "--against", "sim://lan8720a@3")
    assert status == 1 and "no turnaround from the device" in out


def test_replay_realtime_reads_during_a_reset():
    traffic = [
        T(0.0, 0.0, 22, "write", 1, 0, 0x8000),
        T(0.0001, 0.0001, 22, "read", 1, 0, 0x8000),
        T(0.01, 0.01, 22, "read", 1, 0, 0x3000),
    ]
    # LAN8720A's reset lasts 0.5 ms: in real timing the second read sees it still set.
    assert replay(traffic, open_bus("sim://lan8720a@1"), realtime=True).ok
    fast = replay(traffic, open_bus("sim://lan8720a@1"))
    assert fast.mismatched == 1 and fast.mismatches[0].expected == 0x3000


def test_parse_ignore_forms():
    assert parse_ignore(["26", "0x1a", "BMSR", "3.0x14", "PMA.STAT1"]) == {
        "26",
        "1",
        "3.0x14",
        "1.0x1",
    }


def test_replay_bad_session_line_is_one_line_exit_2(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"physcapy_session": 1}\n{"start": 0, "end": 0, "clause": 22, '
        '"op": "read", "phy": 1, "reg": 1, "data": 99999}\n'
    )
    status, _, err = cli("replay", str(bad), "--against", "sim://")
    assert status == 2 and err.count("\n") == 1 and "bad.jsonl:2: DATA 99999" in err


# -- diff ---------------------------------------------------------------------------------


def test_diff_unplugged_capture_against_a_linked_session(cli, tmp_path):
    session = tmp_path / "linked.jsonl"
    status, _, _ = cli("dump", "sim://lan8720a@1", "1", "--record", str(session))
    assert status == 0
    status, out, _ = cli("diff", str(UNPLUGGED), str(session), "--format", "json")
    doc = json.loads(out)
    assert status == 1
    names = {r["name"]: r for r in doc["registers"]}
    assert {"BMSR", "LPA", "EXPANSION", "PSCSR"} <= set(names)
    assert names["BMSR"]["fields"]["link_status"] == [0, 1]
    assert (
        names["PSCSR"]["fields"]["speed_indication"] == [0, "100BASE-TX full duplex"]
        or names["PSCSR"]["fields"]["speed_indication"][1] == "100BASE-TX full duplex"
    )
    status, out, _ = cli("diff", str(UNPLUGGED), str(UNPLUGGED))
    assert status == 0 and "no difference" in out


def test_diff_write_sequences():
    a = [T(0, 0, 22, "write", 1, 0, 0x1200)]
    b = [T(0, 0, 22, "write", 1, 0, 0x1200), T(0, 0, 22, "write", 1, 4, 0x01E1)]
    d = diff(a, b)
    assert d.writes_differ and d.write_delta() == ["+PHY 1 ADVERTISE (4) = 0x01e1"]
    # Both program ADVERTISE, differently: the fields say how.
    d = diff([T(0, 0, 22, "write", 1, 4, 0x01E1)], [T(0, 0, 22, "write", 1, 4, 0x0DE1)])
    (w,) = d.written
    assert (w.name, w.fields) == ("ADVERTISE", {"asym_pause": [0, 1], "pause": [0, 1]})
    assert d.to_dict()["writes"]["registers"][0]["fields"]["pause"] == [0, 1]
    assert Annotator().annotate(a[0]).note == "restart auto-negotiation"


def test_damaged_frames_are_not_replayed():
    traffic = [
        T(0.0, 0.0, 22, "write", 1, 0, 0x0800, None, ["truncated"]),
        T(0.0, 0.0, 22, "read", 1, 2, 0x0000, None, ["short_preamble"]),
    ]
    bus = open_bus("sim://")
    report = replay(traffic, bus)
    assert bus.read(1, 0) & 0x0800 == 0  # the half-captured power-down was not sent
    assert report.summary["skipped"] == 1 and report.skipped[0].op == "write"
    assert report.matched == 1  # a short preamble is a whole frame: compared


def test_short_preamble_frames_are_annotated():
    notes = list(
        annotate(
            [
                T(0, 0, 22, "read", 1, 2, 0x0007, None, ["short_preamble"]),
                T(0, 0, 22, "read", 1, 3, 0xC0F1, None, ["short_preamble"]),
                T(0, 0, 22, "read", 1, 31, 0x1058, None, ["short_preamble"]),
            ]
        )
    )
    assert notes[2].model == "lan8720a" and notes[2].fields["autodone"] == 1


def test_ignore_rejects_a_register_no_model_has():
    from physcapy.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="NOSUCH"):
        parse_ignore(["NOSUCH"])


# -- corners the mutation run found untested (issue 23) -----------------------------------


@pytest.mark.parametrize("capture_ta", [True, False])
def test_all_ones_on_both_sides_with_one_turnaround_error_is_a_mismatch(capture_ta):
    """0xFFFF from the capture and from the bus, but only one side had no turnaround:
    one PHY answered all ones, the other did not answer at all -- not a match."""
    errors = ["turnaround"] if capture_ta else []
    url = "sim://generic@1" if capture_ta else "sim://generic@2"  # address 1: nobody
    bus = open_bus(url)
    if capture_ta:  # the simulated PHY answers, with all ones
        bus.phys[1].faults.stuck[0x18] = (0xFFFF, 0xFFFF)
    else:
        assert bus.read(1, 0x18) == 0xFFFF
    traffic = [T(0.0, 0.0, 22, "read", 1, 0x18, 0xFFFF, None, errors)]
    report = replay(traffic, bus)
    assert (report.matched, report.mismatched) == (0, 1)
    # The same read with the same turnaround on both sides matches.
    same = [T(0.0, 0.0, 22, "read", 1, 0x18, 0xFFFF, None, [] if capture_ta else ["turnaround"])]
    assert replay(same, bus).matched == 1


def test_physid_reads_do_not_override_a_model_the_user_gave():
    """--model (models=) fixes the model: the PHYSID reads of another part keep it."""
    traffic = _recorded("sim://lan8720a@1", lambda b: [b.read(1, r) for r in (2, 3, 31)])
    notes = list(annotate(traffic, models={1: "rtl8211f"}))
    assert [n.model for n in notes] == ["rtl8211f"] * 3
    assert list(annotate(traffic))[2].model == "lan8720a"  # not told: identified
