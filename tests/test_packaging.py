# SPDX-License-Identifier: GPL-2.0-only
"""layers/ and sessions/ ship inside the wheel and are found without a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_carries_the_data_and_finds_it(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("physcapy-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("physcapy/layers/")}
    assert shipped >= {p.name for p in (ROOT / "layers").glob("*.toml")}
    assert any(n.startswith("physcapy/sessions/") for n in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "PHYSCAPY_LAYERS"}
    env["PYTHONPATH"] = str(site)
    code = (
        "import physcapy, physcapy.resources as r; "
        "print(r.layers_dir()); print(physcapy.model('lan8720a').register(31).name)"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    where, name = run.stdout.split()
    assert Path(where) == site / "physcapy" / "layers" and name == "PSCSR"
