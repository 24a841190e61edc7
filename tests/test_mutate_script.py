# SPDX-License-Identifier: GPL-2.0-only
"""scripts/mutate.py's report (issue 23): scores from mutmut's result files, honestly."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("mutate_script", ROOT / "scripts/mutate.py")
assert _spec is not None and _spec.loader is not None
mutate = importlib.util.module_from_spec(_spec)
sys.modules["mutate_script"] = mutate
_spec.loader.exec_module(mutate)


def _meta(work: Path, module: str, codes: dict[str, int | None]) -> None:
    path = work / "mutants" / (module + ".meta")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exit_code_by_key": codes}))


def _rows(out: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}


def _source(work: Path, module: str, text: str) -> None:
    path = work / "mutants" / module
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


_A = """
def x_f__mutmut_orig(v):
    return v & 0x10
def x_f__mutmut_4(v):
    return v & 17
def x_f__mutmut_5(v):
    return v | 0x10
"""
_B = """
def x_g__mutmut_orig(v):
    return None
def x_g__mutmut_1(v):
    return ""
"""


def test_report_scores_counts_and_marks_modules_without_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = "physcapy/a.py", "physcapy/b.py", "physcapy/c.py"
    m = [f"physcapy.a.x_f__mutmut_{k}" for k in range(7)]
    # a: 3 killed (pytest failure, type checker), 1 survivor, 1 listed equivalent.
    # ... and one an interrupted run never reached (neither killed nor alive).
    _meta(tmp_path, a, {m[1]: 1, m[2]: 37, m[3]: 1, m[4]: 0, m[5]: 0, m[6]: None})
    _source(tmp_path, a, _A)
    # b: its only mutant is equivalent, so there is nothing to score.
    _meta(tmp_path, b, {"physcapy.b.x_g__mutmut_1": 0})
    _source(tmp_path, b, _B)
    # c: never run (no .meta file).
    monkeypatch.setattr(mutate, "EQUIVALENT", {m[5]: "why", "physcapy.b.x_g__mutmut_1": "why not"})
    monkeypatch.setattr(mutate, "CHECKED", tmp_path / "checked.json")
    mutate.CHECKED.write_text(json.dumps({
        m[5]: "return v & 0x10 => return v | 0x10",
        "physcapy.b.x_g__mutmut_1": 'return None => return ""',
    }))  # fmt: skip
    score = mutate.report({tmp_path: [a, b, c]}, diffs=False)
    out = capsys.readouterr().out
    rows = _rows(out)
    assert rows[a] == ["6", "3", "1", "1", "1", "75.0%"]
    assert rows[b] == ["1", "0", "0", "1", "0", "n/a"]
    assert rows[c] == ["0", "0", "0", "0", "0", "not", "run"]
    assert rows["all"] == ["7", "3", "1", "2", "1", "75.0%"]
    assert score == 75.0
    assert f"{m[4]} (survived) {tmp_path}" in out
    assert f"{m[5]}: why" in out and "physcapy.b.x_g__mutmut_1: why not" in out


def test_a_listed_equivalent_whose_change_moved_is_counted_alive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit renumbered the function's mutants: the name listed as equivalent now
    changes another line (| instead of the 17 that was read), so it is not taken on
    trust: it is shown with both changes and counted alive until it is pinned again;
    --pin records it (a survivor) and forgets a listed mutant that was killed."""
    a = "physcapy/a.py"
    m4, m5 = "physcapy.a.x_f__mutmut_4", "physcapy.a.x_f__mutmut_5"
    _meta(tmp_path, a, {m4: 1, m5: 0})
    _source(tmp_path, a, _A)
    monkeypatch.setattr(mutate, "EQUIVALENT", {m4: "bit 0 reads 0", m5: "bit 0 reads 0"})
    monkeypatch.setattr(mutate, "CHECKED", tmp_path / "checked.json")
    checked = {m4: "return v & 0x10 => return v & 17", m5: "return v & 0x10 => return v & 17"}
    mutate.CHECKED.write_text(json.dumps(checked))
    assert mutate.report({tmp_path: [a]}, diffs=False) == 50.0
    out = capsys.readouterr().out
    assert _rows(out)[a] == ["2", "1", "1", "0", "0", "50.0%"]
    assert f"  {m5}\n    checked: return v & 0x10 => return v & 17\n" in out
    assert "    now:     return v & 0x10 => return v | 0x10\n" in out
    assert mutate.pin({tmp_path: [a]}) == 0
    assert json.loads(mutate.CHECKED.read_text()) == {m5: "return v & 0x10 => return v | 0x10"}
    assert mutate.report({tmp_path: [a]}, diffs=False) == 100.0


def test_report_without_any_result_is_not_a_perfect_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mutate.report({tmp_path: ["physcapy/a.py"]}, diffs=False) == 0.0
    assert _rows(capsys.readouterr().out)["all"][-2:] == ["not", "run"]


def test_every_core_module_is_in_one_group_with_existing_tests() -> None:
    core = [f for g, (files, _) in mutate.GROUPS.items() if g != "quick" for f in files]
    assert sorted(core) == sorted(set(core)) == sorted(mutate.CORE)
    assert len(core) == 14
    for files, tests in mutate.GROUPS.values():
        assert all((ROOT / f).is_file() for f in files + tests)


def test_register_name_case_mutants_are_recognised_as_equivalent(tmp_path: Path) -> None:
    module = "physcapy/m.py"
    source = """
def x_f__mutmut_orig(self):
    self._set_named("AN.STAT1", "remote_fault", 1)
    if "PAGE" in names:
        return 1
def x_f__mutmut_1(self):
    self._set_named("an.stat1", "remote_fault", 1)
    if "PAGE" in names:
        return 1
def x_f__mutmut_2(self):
    self._set_named("AN.STAT1", "REMOTE_FAULT", 1)
    if "PAGE" in names:
        return 1
def x_f__mutmut_3(self):
    self._set_named("AN.STAT1", "remote_fault", 1)
    if "page" in names:
        return 1
def x_f__mutmut_4(self):
    self._set_named("XXAN.STAT1XX", "remote_fault", 1)
    if "PAGE" in names:
        return 1
"""
    (tmp_path / "mutants" / "physcapy").mkdir(parents=True)
    (tmp_path / "mutants" / module).write_text(source)
    names = [f"physcapy.m.x_f__mutmut_{i}" for i in range(1, 5)]
    # Only the register name's case: a field name, a compared string or a changed name differ.
    assert mutate._equivalent(tmp_path, module, names) == ({names[0]: mutate.CASE_REASON}, {})


def test_test_mapping_is_forgotten_when_the_package_or_tests_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mutmut adds only new tests to its test-to-function map: after any source or test
    change the map is dropped, so a new function's mutants meet every test reaching it."""
    root = tmp_path / "root"
    (root / "physcapy").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "physcapy" / "m.py").write_text("def f(): pass\n")
    (root / "tests" / "test_m.py").write_text("def test_f(): pass\n")
    monkeypatch.setattr(mutate, "ROOT", root)
    work = tmp_path / "work"
    stats = work / "mutants" / "mutmut-stats.json"
    stats.parent.mkdir(parents=True)

    def run() -> bool:
        stats.write_text("{}")
        mutate._forget_stale_stats(work)
        return not stats.exists()

    assert run()  # first run: nothing known about the sources
    assert not run()  # unchanged: the map is kept
    (root / "tests" / "test_m.py").write_text("def test_f(): assert True\n")
    assert run()
    assert not run()
    (root / "physcapy" / "n.py").write_text("def g(): pass\n")
    assert run()
