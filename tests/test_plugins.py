# SPDX-License-Identifier: GPL-2.0-only
"""Open registries: a third-party package adds a bus scheme and a register pack.

The package is built and installed for real (pip, hatchling, no network) into a folder
that the physcapy processes then find on PYTHONPATH, as a user's site-packages would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tests.conftest import run_physcapy

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "acme-bridge"
version = "0.1"

[project.entry-points."physcapy.buses"]
acmebridge = "acme_bridge:open_bridge"

[project.entry-points."physcapy.layers"]
acme-phys = "acme_bridge.layers"
"""

BRIDGE = '''\
"""acmebridge://PORT: the PHYs behind an imaginary ACME USB bridge (simulated here)."""

from physcapy.sim.bus import SimBus


def open_bridge(url):
    port = url.removeprefix("acmebridge://")
    # Port 0 of the bridge has an ACME9000 at address 4, with a 100 Mb/s partner.
    if port != "0":
        raise ValueError(f"acmebridge has port 0 only, not {port!r}")
    return SimBus.from_url("sim://acme9000@4?partner=100full")
'''

# A PHY family file as a vendor pack would ship it: inherits the IEEE set, adds a
# vendor register.
ACME9000 = """\
[model]
name = "acme9000"
title = "ACME 9000 10/100 PHY"
source = "ACME 9000 datasheet rev. 0 (a test's invention)"
kind = "phy"
inherits = ["ieee802.3-c22"]
phy_id = 0x0a0b0c10
phy_id_mask = 0xfffffff0

[[register]]
address = 17
name = "ACMESTAT"
title = "ACME status"
description = "Resolved speed and duplex."
reset = 0x0003

[[register.field]]
bits = "1"
name = "speed100"
access = "RO"
desc = "100 Mb/s"

[[register.field]]
bits = "0"
name = "full_duplex"
access = "RO"
desc = "Full duplex"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """acme-bridge, built and installed into a folder of its own."""
    src = tmp_path_factory.mktemp("acme-src")
    (src / "pyproject.toml").write_text(PYPROJECT)
    pkg = src / "acme_bridge"
    (pkg / "layers").mkdir(parents=True)
    (pkg / "__init__.py").write_text(BRIDGE)
    (pkg / "layers" / "__init__.py").write_text("")
    (pkg / "layers" / "acme9000.toml").write_text(ACME9000)
    target = tmp_path_factory.mktemp("acme-site")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run(
        [*pip, "--no-build-isolation", "--target", str(target), str(src)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert any(target.glob("acme_bridge-0.1.dist-info/entry_points.txt"))
    return target


def _env(site: Path) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def physcapy(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_physcapy(*args, env=_env(site))


def test_the_entry_point_reader_agrees_with_importlib_metadata(site: Path) -> None:
    # physcapy.plugins reads entry_points.txt itself (importlib.metadata costs ~15 ms
    # of every start); both must see the same entry points, third-party ones included.
    script = textwrap.dedent("""\
        import importlib.metadata, json
        from physcapy import plugins
        every = importlib.metadata.entry_points()
        theirs = sorted((e.group, e.name, e.value) for g in every.groups for e in every.select(group=g))
        ours = sorted((e.group, e.name, e.value) for g in every.groups for e in plugins.entry_points(g))
        print(json.dumps([theirs, ours]))
        """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=_env(site), check=True
    )
    theirs, ours = json.loads(result.stdout)
    assert ["physcapy.buses", "acmebridge", "acme_bridge:open_bridge"] in theirs
    assert len(theirs) > 20  # pytest, IPython, pip... declare entry points too
    assert ours == theirs


def test_entry_point_values_load_as_the_specification_says() -> None:
    from physcapy.plugins import EntryPoint

    ep = EntryPoint("g", "n", "physcapy.sim.bus:SimBus.from_url [extra]", "x")
    from physcapy.sim.bus import SimBus

    assert ep.load() == SimBus.from_url
    assert EntryPoint("g", "n", "physcapy.resources", "x").load().__name__ == "physcapy.resources"


def test_physcapy_registers_its_own_schemes_and_pack() -> None:
    buses = {ep.name: ep.value for ep in entry_points(group="physcapy.buses")}
    assert {"sim", "ftdi", "ftdi-emu", "linux"} <= buses.keys()
    assert buses["sim"] == "physcapy.sim.bus:SimBus.from_url"
    layers = {ep.name: ep.value for ep in entry_points(group="physcapy.layers")}
    assert layers["physcapy"] == "physcapy.resources:layers_dir"


def test_a_third_party_scheme_opens_from_the_command_line(site: Path) -> None:
    result = physcapy(site, "scan", "acmebridge://0", "--format", "json")
    assert result.returncode == 0, result.stderr
    (found,) = json.loads(result.stdout)
    # Identified by its ID from the third-party pack's description.
    assert found["address"] == 4
    assert found["model"] == "acme9000"
    assert found["phy_id"] == 0x0A0B0C10


def test_a_third_party_pack_names_and_decodes_registers(site: Path) -> None:
    result = physcapy(site, "read", "acmebridge://0", "4", "ACMESTAT", "--format", "json")
    assert result.returncode == 0, result.stderr
    value = json.loads(result.stdout)
    assert value["register"] == "ACMESTAT"
    assert value["fields"]["speed100"] == 1

    models = physcapy(site, "regs", "models")
    line = next(x for x in models.stdout.splitlines() if "acme9000" in x)
    assert line.endswith("[pack acme-phys]")
    assert "[pack" not in next(x for x in models.stdout.splitlines() if "lan8720a" in x)
    as_json = json.loads(physcapy(site, "regs", "models", "--format", "json").stdout)
    assert {m["name"]: m["pack"] for m in as_json}["acme9000"] == "acme-phys"
    assert {m["name"]: m["pack"] for m in as_json}["lan8720a"] == "physcapy"


def test_help_and_errors_list_the_installed_schemes(site: Path) -> None:
    helped = physcapy(site, "--help")
    assert "bus URL schemes installed: acmebridge://, ftdi://" in helped.stdout
    wrong = physcapy(site, "scan", "acme://0")
    assert wrong.returncode == 2
    assert wrong.stderr.count("\n") == 1
    assert (
        "unknown bus URL scheme 'acme': did you mean acmebridge://? (choose from acmebridge://"
        in (wrong.stderr)
    )


def test_a_failing_back_end_is_one_line_naming_it(site: Path) -> None:
    result = physcapy(site, "scan", "acmebridge://7")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # The bridge raised ValueError, not a physcapy error: reported, not a traceback.
    assert result.stderr.count("\n") == 1, result.stderr


def test_without_the_package_nothing_of_it_is_seen() -> None:
    result = run_physcapy("scan", "acmebridge://0")
    assert result.returncode == 2
    assert "unknown bus URL scheme 'acmebridge'" in result.stderr
    models = run_physcapy("regs", "models")
    assert "acme9000" not in models.stdout


def test_a_scheme_registered_twice_is_refused(site: Path, tmp_path: Path) -> None:
    # A second distribution claiming sim://: which one was meant cannot be guessed.
    dist = tmp_path / "impostor-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: impostor\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent("""\
        [physcapy.buses]
        sim = acme_bridge:open_bridge
        """)
    )
    env = _env(site)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env["PYTHONPATH"]])
    result = run_physcapy("read", "sim://", "1", "BMSR", env=env)
    assert result.returncode == 2
    assert "sim:// is registered twice: by impostor (acme_bridge:open_bridge)" in result.stderr
