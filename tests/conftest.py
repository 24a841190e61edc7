# SPDX-License-Identifier: GPL-2.0-only
"""Shared fixtures: where the real captures are, and how to run the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"
#: Under `make mutate` (scripts/mutate.py): a surviving mutant runs every test that
#: reaches it, so the few slowest tests of a subsystem take smaller inputs there.
MUTATE = os.environ.get("PHYSCAPY_HYPOTHESIS") == "mutate"

# Under `make mutate` every mutant must meet the same examples: a mutant that only random
# inputs happen to kill would be counted one run and not the next.
if MUTATE:
    from hypothesis import settings

    settings.register_profile("mutate", derandomize=True, database=None, deadline=None)
    settings.load_profile("mutate")

    def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
        """Under `make mutate`, the fastest tests first: mutmut runs a mutant's tests with
        -x, so a mutant dies at its first failing test, and the run takes minutes, not
        hours, when that test is a quick one.  The durations are mutmut's own (measured
        once, in mutants/mutmut-stats.json, where the tests run)."""
        import json

        stats = Path("mutmut-stats.json")
        if not stats.exists():  # the first, timing run
            return
        took = json.loads(stats.read_text()).get("duration_by_test", {})
        items.sort(key=lambda item: took.get(item.nodeid, 0.0))


# The suite (and the physcapy processes it starts) keeps its caches to itself.
_CACHE = tempfile.mkdtemp(prefix="physcapy-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


def need(condition: bool, what: str) -> None:
    """Skip when something optional is missing locally; in CI it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must have it")
    pytest.skip(f"{what} is missing")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``physcapy ARGS`` in-process; returns (exit status, stdout, stderr)."""
    from physcapy.cli.main import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse --help/--version/usage errors
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def run_physcapy(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``physcapy`` entry point in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "physcapy", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
