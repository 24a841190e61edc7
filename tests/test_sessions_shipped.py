# SPDX-License-Identifier: GPL-2.0-only
"""The sessions in sessions/: each round-trips through synth, decode, annotate and replay."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from physcapy import open_bus
from physcapy.capture.decode import decode
from physcapy.capture.session import read_session
from physcapy.capture.synth import Timing, write_capture
from physcapy.resources import sessions_dir
from physcapy.traffic.annotate import annotate
from physcapy.traffic.replay import replay

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_sessions", ROOT / "scripts/make_sessions.py")
assert _spec is not None and _spec.loader is not None
make_sessions = importlib.util.module_from_spec(_spec)
sys.modules["make_sessions"] = make_sessions  # dataclasses look their module up there
_spec.loader.exec_module(make_sessions)
RECIPES = {r.file: r for r in make_sessions.SESSIONS}

#: The labels each session's annotation must show (what its driver does).
LABELS = {
    "lan8720a-linux26-bringup.jsonl": {"restart auto-negotiation", "second BMSR read"},
    # The reset is over within 0.5 ms, so the first 50 ms poll already finds it done.
    "lan8720a-linux6-bringup.jsonl": {"soft reset (BMCR.reset)", "reset poll: reset done"},
    "dp83848-linux26-bringup.jsonl": {"second BMSR read"},
    "rtl8211f-linux26-paged.jsonl": {"page switch to 0xd08", "second BMSR read"},
    "ksz9031-linux26-mmd.jsonl": {"MMD indirect access", "via 13/14", "restart auto-negotiation"},
    "generic-c45-bursts.jsonl": {"post-read-increment", "address 1.0x0"},
    "generic-no-an-complete.jsonl": {"forced mode", "second BMSR read"},
}


def _files() -> list[Path]:
    return sorted(sessions_dir().glob("*.jsonl"))


def test_every_session_has_a_recipe_and_a_readme_line():
    readme = (sessions_dir() / "README.md").read_text()
    names = [p.name for p in _files()]
    assert sorted(names) == sorted(RECIPES) and names
    for name in names:
        assert f"`{name}`" in readme


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_session_round_trip(path, tmp_path):
    recipe = RECIPES[path.name]
    s = read_session(path)
    assert s.meta.models == open_bus(recipe.bus).known_models()
    vcd = tmp_path / "s.vcd"
    write_capture(vcd, s.transactions, Timing(samplerate=25e6, mdc_hz=2.5e6))
    back = list(decode(vcd))
    assert [(t.clause, t.op, t.phy, t.reg, t.data, t.addr) for t in back] == [
        (t.clause, t.op, t.phy, t.reg, t.data, t.addr) for t in s.transactions
    ]
    notes = " | ".join(n.note for n in annotate(back, s.meta.models))
    for label in LABELS[path.name]:
        assert label in notes, label
    report = replay(back, open_bus(recipe.bus), realtime=True, models=s.meta.models)
    assert report.ok and report.matched == report.reads > 0, report.mismatches[:3]


def test_round_trip_through_the_command_line(cli, tmp_path):
    src = sessions_dir() / "lan8720a-linux26-bringup.jsonl"
    sr = tmp_path / "bringup.sr"
    status, _, err = cli("synth", str(src), "-o", str(sr), "--samplerate", "10e6")
    assert status == 0, err
    status, out, _ = cli("decode", str(sr), "--annotate", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and rows[-1]["model"] == "lan8720a"
    status, out, _ = cli("replay", str(sr), "--against", "sim://lan8720a@1", "--realtime")
    assert status == 0 and " 0 mismatched" in out
    # Without real timing the PHY has not negotiated yet when the status reads come.
    status, out, _ = cli("replay", str(sr), "--against", "sim://lan8720a@1")
    assert status == 1
