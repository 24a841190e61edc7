# SPDX-License-Identifier: GPL-2.0-only
"""What a Jupyter kernel sends for physcapy's objects (issue 19): each plot once, rich
HTML for what a user evaluates, live panels that update one display in place.

One kernel (nbclient) runs all the cells below; each test looks at its cells' outputs.
"""

from __future__ import annotations

from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

#: name -> cell source; run in this order in one kernel.
CELLS: dict[str, str] = {
    "setup": "%load_ext physcapy\nfrom physcapy.mdio.transactions import Transaction as T\n"
    "txs = [T(0, 0, 22, 'read', 1, 1, 0x796D)]",
    "plot_last": "plot_waveform(txs)",
    "plot_assigned": "p = plot_waveform(txs)",
    "plot_assigned_then_shown": "p2 = plot_waveform(txs)\np2",
    "plot_in_loop": "for _ in range(2):\n    plot_waveform(txs)\nprint('drawn')",
    "plot_again": "p",
    "plot_pyplot_axes": "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
    "plot_waveform(txs, ax=ax)",
    "plot_timeline": "from physcapy.pal import Pal\nk = Pal(bus, 'linux26')\n"
    "d = k.phy_connect(k.netdev('eth0'), '0:01'); k.phy_start(d); k.run(4)\n"
    "plot_timeline(k.events)",
}


@pytest.fixture(scope="module")
def outputs() -> dict[str, list[Any]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS.values()]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    out = {name: cell.outputs for name, cell in zip(CELLS, nb.cells, strict=True)}
    errors = [(n, o) for n, os in out.items() for o in os if o.output_type == "error"]
    assert not errors, errors
    return out


def _pngs(outs: list[Any]) -> int:
    return sum("image/png" in o.get("data", {}) for o in outs)


@pytest.mark.parametrize(
    ("cell", "pictures"),
    [
        ("plot_last", 1),
        ("plot_assigned", 1),
        ("plot_assigned_then_shown", 1),
        ("plot_in_loop", 2),
        ("plot_again", 1),
        ("plot_pyplot_axes", 1),
        ("plot_timeline", 1),
    ],
)
def test_each_plot_shows_once_assigned_or_not(outputs, cell: str, pictures: int) -> None:  # type: ignore[no-untyped-def]
    assert _pngs(outputs[cell]) == pictures, outputs[cell]
