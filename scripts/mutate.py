"""Mutation testing of physcapy's core with mutmut (issue 23): `make mutate`, `make mutate-quick`.

mutmut rewrites every function of the chosen modules into a trampoline plus its mutants,
records once which tests reach which function, then forks one worker per mutant that runs
only those tests; a mutant that no test fails on "survived".  This script runs it once per
group of modules (GROUPS: a subsystem and its test files), each in a scratch copy
(.cache/mutate/GROUP/) so the work tree is never touched and the verdicts of unchanged
code are kept between runs, then prints a per-module score and every survivor with its
diff (`python scripts/mutate.py --report` reprints it; `--list` names groups and tests).

    python scripts/mutate.py                 # the core, under an hour on two cores
    python scripts/mutate.py --quick         # a small fixed sample, under five minutes
    python scripts/mutate.py --only batch    # the core modules whose path contains 'batch'

Equivalent mutants (no observable behaviour can differ) are listed in EQUIVALENT below with
the reason; they are reported apart and not counted against the score.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The core modules (issue 23) in groups, each with the test files of its subsystem.  A
#: group runs in a scratch copy of its own, so mutmut collects only those files for a
#: mutant: with one selection for everything, a simulator mutant made pytest collect the
#: PAL, capture and FTDI suites too (reached through the simulator), seconds a mutant,
#: hours a run.  Tests of other subsystems that happen to reach a module are left out;
#: the ones written for it (and the golden files in tests/data) are in.
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "sim": (
        ["physcapy/sim/phy.py", "physcapy/sim/partner.py"],  # access semantics (22.2.4), AN
        ["tests/test_sim.py", "tests/test_sim_models.py", "tests/test_sim_parts.py",
         "tests/test_properties.py", "tests/test_mutants_sim.py", "tests/test_mutants_traffic.py"],
    ),
    "codec": (
        ["physcapy/mdio/frames.py", "physcapy/mdio/batch.py"],
        ["tests/test_frames.py", "tests/test_agreement.py", "tests/test_mutants_codec.py"],
    ),
    "ftdi": (
        ["physcapy/ftdi/mpsse.py", "physcapy/ftdi/emulator.py"],  # encoder, emulator checks
        ["tests/test_mpsse.py", "tests/test_ftdi_emu.py", "tests/test_ftdi_device.py",
         "tests/test_ftdi_bitbang.py", "tests/test_ftdi_usb.py", "tests/test_mutants_codec.py"],
    ),
    "pal": (
        ["physcapy/pal/genphy.py", "physcapy/pal/phy.py"],  # genphy, the state machine
        ["tests/test_pal.py", "tests/test_pal_drivers.py", "tests/test_pal_fidelity.py",
         "tests/test_pal_c45_drivers.py", "tests/test_mutants_pal.py"],
    ),
    "traffic": (
        ["physcapy/traffic/replay.py", "physcapy/traffic/annotate.py"],
        ["tests/test_replay.py", "tests/test_sessions_shipped.py",
         "tests/test_mutants_annotate.py", "tests/test_mutants_traffic.py"],
    ),
    "cli": (
        ["physcapy/cli/common.py"],  # exit codes, option checks, progress lines
        ["tests/test_cli.py", "tests/test_mutants_cli.py"],
    ),
    "decode": (
        ["physcapy/capture/decode.py"],
        ["tests/test_capture.py", "tests/test_capture_formats.py", "tests/test_timing.py",
         "tests/test_preamble_suppression.py", "tests/test_properties.py",
         "tests/test_mutants_decode.py", "tests/test_mutants_cli.py"],
    ),
}  # fmt: skip
CORE: list[str] = [f for files, _ in GROUPS.values() for f in files]

#: `make mutate-quick`: two small modules and the few test files that reach them.
GROUPS["quick"] = (
    ["physcapy/mdio/batch.py", "physcapy/sim/partner.py"],
    ["tests/test_agreement.py", "tests/test_mutants_codec.py", "tests/test_mutants_sim.py",
     "tests/test_sim.py"],
)  # fmt: skip

#: What the tests read besides the package: copied into the scratch tree.
COPY = ["physcapy", "tests", "layers", "sessions", "scripts", "docs", "README.md", "LICENSE"]

#: mutant name -> why no test can tell it from the original (each read and checked).
_RESHAPE = "numpy takes any negative size in reshape as 'the rest' (-2 reads as -1)"
_PACKBITS = (
    "the rows are whole bytes (64 or 32 bits): packing the flattened array gives the "
    "same bytes as packing each row"
)
_INT_DTYPE = (
    "the bit and word arrays the codec takes are integer or bool; uncast, numpy keeps "
    "them exact and the shifts and masks give the same values"
)
_OPCASE = "op and MMD function names are case-insensitive (op_name and the lookup lower-case them)"
_BIT0 = (
    "adds bit 0 to a mask over BMCR or AN control 7.0, whose bit 0 is reserved and reads 0 "
    "in every model (tests/test_mutants_sim.py checks it): the masked value is the same"
)
_AUX_SELECT = (
    "the AUXCTL read selector (14:12) is the top field but bit 15, the write enable, which is "
    "0 on this path (a 16-bit value): any wider mask gives the same shadow number"
)
_MMD_PAIR = (
    "every model describes registers 13 and 14 together (MMD access control and data, "
    "22.2.4.3.11/12), so '14 in' tests the same as '13 in'"
)
_SIM = "physcapy.sim.phy.xǁSimPhyǁ"
EQUIVALENT: dict[str, str] = {
    **{f"{_SIM}_bmcr_written__mutmut_{n}": _BIT0 for n in (3, 6, 18, 20, 26, 27, 28, 30)},
    **{f"{_SIM}_c45_ctrl1_written__mutmut_{n}": _BIT0 for n in (10, 12, 24)},
    f"{_SIM}_clear_restart__mutmut_10": _BIT0,
    f"{_SIM}_begin_reset__mutmut_10": _BIT0 + " (BMCR is the only register reset_applies names)",
    **{f"{_SIM}_forced_mode__mutmut_{n}": _BIT0 for n in (7, 12, 20)},
    **{f"{_SIM}_space_write__mutmut_{n}": _AUX_SELECT for n in (37, 38, 40, 41)},
    f"{_SIM}write__mutmut_15": _MMD_PAIR,
    f"{_SIM}read__mutmut_8": _MMD_PAIR,
    f"{_SIM}_write_key__mutmut_4": (
        "no key equals _PAGE (page 0, register 0, undescribed): page 0 is the default page "
        "(its registers are the Clause 22 ones) or aliased (RTL8211F), MMD keys are higher"
    ),
    f"{_SIM}_read_key__mutmut_4": (
        "no key equals _PAGE (see _write_key__mutmut_4): '<=' and '<' split the keys alike"
    ),
    f"{_SIM}_after_write__mutmut_63": (
        "a separate interrupt status register has no writable bit in any model (checked), "
        "so a write to it changes nothing the pin follows; extra _update_irq calls are no-ops"
    ),
    f"{_SIM}_bmcr__mutmut_6": _BIT0 + " (the default serves parts without a BMCR)",
    **{f"{_SIM}_an_enabled__mutmut_{n}": _BIT0 for n in (6, 17, 18)},
    f"{_SIM}_an_enabled__mutmut_1": (
        "clause22 is false only for Clause 45 parts, and none of them describes a BMCR "
        "(checked over all models)"
    ),
    f"{_SIM}_an_enabled__mutmut_2": "every model describes BMCR and BMSR together (checked)",
    f"{_SIM}_after_write__mutmut_34": (
        "the LAN8670, the only PLCA part, has enable and node ID in two registers, so a write "
        "to either is 'not the other' and composes the status; writes elsewhere compose too, "
        "but its only status-rule target (PLCA_STATUS.pst) is read-only and follows the state"
    ),
    "physcapy.mdio.batch.x__check__mutmut_22": _RESHAPE,
    "physcapy.mdio.batch.x_decode_bits__mutmut_34": _RESHAPE,
    "physcapy.mdio.batch.x_decode_bits__mutmut_74": _RESHAPE,
    "physcapy.mdio.batch.x_decode_bits__mutmut_27": _PACKBITS,
    "physcapy.mdio.batch.x_decode_bits__mutmut_29": _PACKBITS,
    "physcapy.mdio.batch.x_decode_bits__mutmut_63": _PACKBITS,
    "physcapy.mdio.batch.x_decode_bits__mutmut_65": _PACKBITS,
    "physcapy.mdio.batch.x_decode_bits__mutmut_3": _INT_DTYPE,
    "physcapy.mdio.batch.x_decode_bits__mutmut_5": _INT_DTYPE,
    "physcapy.mdio.batch.x_decode_words__mutmut_3": _INT_DTYPE,
    "physcapy.mdio.batch.x_decode_words__mutmut_5": _INT_DTYPE,
    "physcapy.mdio.batch.x_decode_bits__mutmut_46": (
        "the masked word is below 2**32: as float64 it is exact, and decode_words casts "
        "it back to uint32"
    ),
    "physcapy.mdio.batch.x_encode_bits__mutmut_19": (
        "'/ 8 == 0' holds only for preamble 0, which then takes the general path: both "
        "paths build the same rows"
    ),
    "physcapy.mdio.frames.x_c45_frames__mutmut_40": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_3": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_63": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_77": _OPCASE,
    "physcapy.mdio.frames.x_c45_over_c22_frames__mutmut_91": _OPCASE,
}

#: A survivor whose only change is a register name's case (``"LPA"`` -> ``"lpa"``) where
#: the name is looked up as a register: Model.register upper-cases names (and MMD names),
#: so no behaviour can differ.  Recognised from the mutant's source by this rule rather than
#: listed one by one; field and event names are case-sensitive and do not qualify.
_REGISTER_NAME = re.compile(r'"[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)?"')
_REGISTER_LOOKUPS = ("_set_named(", "_latch_named(", "_field_of(", "_named_value(", ".register(",
                     "for reg in (", "regs = {", "base = ", "_bit(", "ctrl = ")  # fmt: skip
CASE_REASON = "register names are case-insensitive (Model.register upper-cases them)"

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          37: "killed", -11: "segfault", -9: "segfault"}  # fmt: skip


def _select(args: argparse.Namespace) -> dict[str, list[str]]:
    """group -> the modules of it to mutate."""
    if args.quick:
        return {"quick": GROUPS["quick"][0]}
    chosen = {
        g: [f for f in files if not args.only or any(o in f for o in args.only)]
        for g, (files, _) in GROUPS.items()
        if g != "quick"
    }
    chosen = {g: files for g, files in chosen.items() if files}
    if not chosen:
        sys.exit(f"no core module matches {args.only}; --list names them")
    return chosen


def _prepare(work: Path, files: list[str], tests: list[str]) -> None:
    """Copy the sources into work/ (mtimes kept, so mutmut re-tests changed files only)
    and write its pyproject.toml with the [tool.mutmut] section for these modules."""
    work.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, work / name)
            continue
        shutil.rmtree(work / name, ignore_errors=True)
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    # The tests find the shared captures beside the checkout (tests/conftest.py SHARED).
    shared, link = ROOT.parent / "shared", work / "shared"
    if shared.is_dir() and not link.exists():
        link.symlink_to(shared)
    # The project's pytest options, less the doctests (mutmut selects tests by file).
    conf = (ROOT / "pyproject.toml").read_text()
    conf = conf.replace("--doctest-modules ", "")
    conf += (
        "\n[tool.mutmut]\n"
        'source_paths = ["physcapy"]\n'
        f"only_mutate = {json.dumps(files)}\n"
        f"also_copy = {json.dumps([n for n in COPY if n not in ('physcapy', 'tests')])}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]\n'
        "timeout_multiplier = 5.0\n"
    )
    (work / "pyproject.toml").write_text(conf)


def _retry_survivors(work: Path) -> None:
    """Forget every verdict but "killed": mutmut keeps a survivor's verdict even when the
    tests changed since, and a kill cannot be undone by stronger tests."""
    for meta in (work / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data.get("exit_code_by_key", {})
        codes.update({k: None for k, v in codes.items() if STATUS.get(v) != "killed"})
        meta.write_text(json.dumps(data))


def _mutmut(work: Path, *args: str) -> int:
    """Run mutmut in work/; its progress display goes to work/mutmut.log."""
    env = dict(os.environ, PYTHONHASHSEED="0", PHYSCAPY_HYPOTHESIS="mutate")
    with open(work / "mutmut.log", "w") as log:
        return subprocess.call([sys.executable, "-m", "mutmut", *args], cwd=work, env=env,
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


def _bodies(source: str) -> dict[str, list[str]]:
    """Function name -> its body's lines, for every function of a mutated module."""
    lines = source.splitlines()
    out: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name:
            out[node.name] = lines[node.lineno : node.end_lineno]
    return out


def _changed_line(bodies: dict[str, list[str]], mutant: str) -> tuple[str, str] | None:
    """The one line a mutant changes in its function (None: more, or not found)."""
    name = mutant.rsplit(".", 1)[-1]
    orig, mut = bodies.get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"), bodies.get(name)
    if orig is None or mut is None or len(orig) != len(mut):
        return None
    changed = [(a, b) for a, b in zip(orig, mut, strict=True) if a != b]
    return changed[0] if len(changed) == 1 else None


def _register_case_only(line: tuple[str, str] | None) -> bool:
    if line is None or not any(call in line[0] for call in _REGISTER_LOOKUPS):
        return False
    a, b = (re.findall(r'"[^"]*"', x) for x in line)
    diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    return (
        len(a) == len(b)
        and len(diff) == 1
        and _REGISTER_NAME.fullmatch(diff[0][0]) is not None
        and diff[0][1] == diff[0][0].lower()
    )


def _equivalent(work: Path, module: str, survivors: list[str]) -> dict[str, str]:
    """The listed and the rule-recognised equivalents among a module's survivors."""
    out = {m: EQUIVALENT[m] for m in survivors if m in EQUIVALENT}
    path = work / "mutants" / module
    if path.exists() and any(m not in out for m in survivors):
        bodies = _bodies(path.read_text())
        for m in survivors:
            if m not in out and _register_case_only(_changed_line(bodies, m)):
                out[m] = CASE_REASON
    return out


def _load(work: Path, files: list[str]) -> dict[str, dict[str, str]]:
    """module path -> {mutant name: status} from mutmut's .meta files."""
    out: dict[str, dict[str, str]] = {}
    for f in files:
        meta = work / "mutants" / (f + ".meta")
        if not meta.exists():  # every function of it is excluded or untouched
            continue
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        out[f] = {
            k: STATUS.get(v, "suspicious") if v is not None else "not checked"
            for k, v in codes.items()
        }
    return out


def report(works: dict[Path, list[str]], *, diffs: bool = True) -> float:
    """The score per module and overall; ``works`` maps each scratch copy to its modules."""
    results: dict[str, dict[str, str]] = {}
    where: dict[str, Path] = {}
    for work, files in works.items():
        results.update(_load(work, files))
        where.update(dict.fromkeys(files, work))
    files = [f for fs in works.values() for f in fs]
    total_k = total_n = total_u = 0
    survivors: list[str] = []
    equivalent: list[str] = []
    head = f"{'module':34} {'mutants':>8} {'killed':>7} {'alive':>6} {'equiv':>6} {'unrun':>6}"
    print(f"\n{head} {'score':>7}")
    reasons: dict[str, str] = {}
    for f in files:
        r = results.get(f, {})
        found = _equivalent(where[f], f, [m for m, s in r.items() if s == "survived"])
        reasons.update(found)
        eq = [m for m, s in r.items() if m in found]
        # "not checked": an interrupted run; neither killed nor alive, shown apart.
        unrun = [m for m, s in r.items() if s == "not checked"]
        alive = [m for m, s in r.items() if s not in ("killed", "not checked") and m not in found]
        killed = sum(1 for s in r.values() if s == "killed")
        n = killed + len(alive)
        total_k, total_n, total_u = total_k + killed, total_n + n, total_u + len(unrun)
        # A module without results (never run, or every mutant equivalent) has no score:
        # "100.0 %" there would read as "all killed".
        shown = f"{100.0 * killed / n:6.1f}%" if n else ("n/a" if eq else "not run")
        row = f"{f:34} {len(r):8} {killed:7} {len(alive):6} {len(eq):6} {len(unrun):6}"
        print(f"{row} {shown:>7}")
        survivors += [f"{m} ({r[m]}) {where[f]}" for m in alive]
        equivalent += eq
    # No results at all is a failure to measure, not a perfect score (--min-score fails).
    score = 100.0 * total_k / total_n if total_n else 0.0
    shown = f"{score:6.1f}%" if total_n else "not run"
    mutants = total_n + len(equivalent) + total_u
    row = f"{'all':34} {mutants:8} {total_k:7} {len(survivors):6} {len(equivalent):6} {total_u:6}"
    print(f"{row} {shown:>7}")
    if equivalent:
        print("\nEquivalent mutants (not counted):")
        for m in equivalent:
            print(f"  {m}: {reasons[m]}")
    if survivors:
        print(f"\nSurvivors ({len(survivors)}):")
        for s in survivors:
            print("  " + s)
            if diffs:
                name, work = s.split(" ")[0], Path(s.split(" ")[-1])
                subprocess.call([sys.executable, "-m", "mutmut", "show", name], cwd=work,
                                stdout=sys.stdout, stderr=subprocess.DEVNULL)  # fmt: skip
    return score


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--quick", action="store_true", help="the fixed small sample (make mutate-quick)"
    )
    p.add_argument("--only", nargs="*", help="core modules whose path contains one of these")
    p.add_argument("--report", action="store_true", help="reprint the last run's report")
    p.add_argument("--list", action="store_true", help="name the core modules and their tests")
    p.add_argument("--no-diffs", action="store_true", help="survivors by name only")
    p.add_argument("--min-score", type=float, default=0.0, help="exit 1 below this score (%%)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    args = p.parse_args(argv)
    if args.list:
        for group, (files, tests) in GROUPS.items():
            print(f"{group}: {' '.join(files)}\n    tests: {' '.join(tests)}")
        return 0
    groups = _select(args)
    works = {ROOT / ".cache" / "mutate" / g: files for g, files in groups.items()}
    if not args.report:
        begin = time.monotonic()
        for (work, files), group in zip(works.items(), groups, strict=True):
            _prepare(work, files, GROUPS[group][1])
            _retry_survivors(work)
            start = time.monotonic()
            print(f"mutmut over {', '.join(files)} (log: {work / 'mutmut.log'})", flush=True)
            rc = _mutmut(work, "run", "--max-children", str(args.jobs))
            print(f"  took {time.monotonic() - start:.0f} s", flush=True)
            if rc:
                print(f"mutmut run exited {rc}; see {work / 'mutmut.log'}", file=sys.stderr)
                return rc
        print(f"mutmut runs took {time.monotonic() - begin:.0f} s in all")
    score = report(works, diffs=not args.no_diffs)
    return 1 if score < args.min_score else 0


if __name__ == "__main__":
    sys.exit(main())
