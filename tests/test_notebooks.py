# SPDX-License-Identifier: GPL-2.0-only
"""The tutorials in notebooks/: stored with their outputs, up to date, and they run.

Each notebook's cells assert what they show; here every notebook is executed again
in a fresh Jupyter kernel (nbclient), which is also the test that ``%load_ext
physcapy`` works in a kernel.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts/make_notebooks.py")
assert _spec is not None and _spec.loader is not None
make_notebooks = importlib.util.module_from_spec(_spec)
sys.modules["make_notebooks"] = make_notebooks
_spec.loader.exec_module(make_notebooks)
NAMES = sorted(make_notebooks.BOOKS)
#: What the stored outputs must show: HTML tables everywhere, plots where drawn.
RICH = {
    "01-frames-and-registers": {"text/html"},
    "02-simulated-phy-and-pal": {"text/html", "image/png"},
    "03-decode-annotate-replay": {"text/html", "image/png"},
    "04-ftdi": {"text/html"},
    "05-scapy-workflow": {"text/html"},
}


def _stored(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


def test_the_notebooks_on_disk_are_the_built_ones():
    assert sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")) == NAMES
    assert set(RICH) == set(NAMES)
    for name in NAMES:
        stored = [(c.cell_type, c.source) for c in _stored(name).cells]
        assert stored == list(make_notebooks.BOOKS[name]), f"{name}: run scripts/make_notebooks.py"


@pytest.mark.parametrize("name", NAMES)
def test_stored_outputs_show_tables_and_plots(name):
    nb = _stored(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code), "stored without running"
    kinds = {k for c in code for o in c.outputs for k in o.get("data", {})}
    assert RICH[name] <= kinds
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name):
    assert (SHARED / "captures").is_dir(), "the notebooks read ../../shared/captures"
    nb = copy.deepcopy(_stored(name))
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
