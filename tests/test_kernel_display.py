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
    "register": "rd(1, 'BMCR')",
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
    "events": "k.events",
    "dump": "dump(1)",
    "scan": "connect('sim://lan8720a@1,dp83848@3')\nscan()",
    "bus": "bus",
    "replay": "replay([T(0, 0, 22, 'read', 1, 1, 0x796D)] + "
    "[T(0, 0, 22, 'read', a, 2, 0x0007) for a in range(4, 9)], against='sim://?partner=none')",
    "diff": "from physcapy.traffic.diff import diff\n"
    "diff([T(0, 0, 22, 'read', 1, 1, 0x7809)] + [T(0, 0, 22, 'read', a, 2, 0xFFFF, errors=['turnaround']) for a in range(4, 9)],"
    " [T(0, 0, 22, 'read', 1, 1, 0x782D)])",
    "pal_live": "runner = pal(1)",
    "pal_wait": "import time\ntime.sleep(3.5)\nprint(runner.status())",
    "pal_events": "%pal events",
    "pal_stop": "%pal stop",
    "watch": "connect('sim://lan8720a@1?start=power-on')\nbus.clock.advance(1.0)\n"
    "changes = watch(1, 'BMSR', interval=1.0, count=4)",
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


def _html(outs: list[Any]) -> list[str]:
    return [o["data"]["text/html"] for o in outs if "text/html" in o.get("data", {})]


@pytest.mark.parametrize(
    ("cell", "wanted", "unwanted"),
    [
        # One table, hex values, a bit diagram, fields behind <details>.
        ("dump", ["<code>BMSR</code>", "0x796d", 'class="bits"', "<details>"], ["[BMCR"]),
        ("scan", ["0x0007c0f1", "lan8720a", "dp83848", "2 PHYs found"], ["ScanEntry("]),
        ("bus", ["sim://lan8720a@1,dp83848@3", "0x20005c90", "up 100full"], []),
        # Only what differs, in hex; the PHYs that never answered on one line.
        (
            "replay",
            [
                "0x796d",
                "0x7949",
                "autoneg_complete 1\u21920",
                "PHY 4-8: absent on the device (5 reads",
            ],
            ["expected=31085"],
        ),
        ("diff", ["0x7809", "0x782d", "PHY 4-8: no value on either side"], ["PHY 5 PHYSID1"]),
        ("events", ["Link is Up", "adjust_link", "var(--jp-"], ["#444"]),
    ],
)
def test_rich_views(outputs, cell: str, wanted: list[str], unwanted: list[str]) -> None:  # type: ignore[no-untyped-def]
    (html,) = _html(outputs[cell])
    for text in wanted:
        assert text in html, (text, html[:3000])
    for text in unwanted:
        assert text not in html
    # JupyterLab right-aligns cells; the stylesheet sets alignment, colours are the theme's.
    assert "text-align:left" in html and "var(--jp-content-font-color1" in html


def test_pal_events_magic_is_pal_events(outputs) -> None:  # type: ignore[no-untyped-def]
    (html,) = _html(outputs["pal_events"])
    assert html.startswith('<div class="physcapy">') and "Link is Up" in html


def test_pal_runs_in_one_live_panel(outputs) -> None:  # type: ignore[no-untyped-def]
    # The cell that ran the PAL holds one display, updated in place to the last state ...
    (panel,) = outputs["pal_live"]
    assert panel.output_type == "display_data"
    assert "HALTED" in panel["data"]["text/html"] and "HALTED" in panel["data"]["text/plain"]
    # ... and the cells that ran while it worked got nothing from it (no "[pal]" lines).
    (printed,) = outputs["pal_wait"]
    assert printed.text.startswith("0:01 [SMSC LAN8710/LAN8720]")
    assert "link up, 100/Full" in printed.text
    assert "[pal]" not in str(outputs)


def test_watch_updates_one_display(outputs) -> None:  # type: ignore[no-untyped-def]
    (shown,) = outputs["watch"]
    assert shown.output_type == "display_data"
    assert "0x7809 -&gt; 0x782d" in shown["data"]["text/html"]


def test_register_read_offers_edit_and_keeps_its_tables(outputs) -> None:  # type: ignore[no-untyped-def]
    # Two outputs: the static tables every page shows (a notebook reopened without
    # widget state keeps them), then the Edit bar, which has no text form.
    table, bar = outputs["register"]
    assert table.output_type == bar.output_type == "display_data"
    assert "physcapy-register" in table["data"]["text/html"]
    assert "autoneg_enable" in table["data"]["text/html"]
    assert table["data"]["text/plain"].startswith("BMCR = 0x1140")
    assert "text/html" not in bar["data"] and bar["data"]["text/plain"] == ""
    assert bar["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    # dump(): its bar above its table.
    bar, table = outputs["dump"]
    assert "application/vnd.jupyter.widget-view+json" in bar["data"]
    assert "<details>" in table["data"]["text/html"]
