# SPDX-License-Identifier: GPL-2.0-only
"""The zoomable waveform and PAL timeline (issue 19 item 6), without a browser:
what the plotly figure holds in overview and as the view is zoomed in."""

from __future__ import annotations

from pathlib import Path

import pytest

from physcapy.capture.synth import write_capture
from physcapy.mdio.transactions import Transaction as T
from physcapy.pal import Pal
from physcapy.shell import interactive
from physcapy.shell.interactive import explore_timeline, explore_waveform


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 reads of BMSR, one every millisecond, as a sigrok capture."""
    path = tmp_path_factory.mktemp("wave") / "long.sr"
    write_capture(path, [T(i * 1e-3, 0, 22, "read", 1, 1, 0x796D) for i in range(2000)])
    return path


def test_a_long_capture_opens_as_an_overview(capture: Path) -> None:
    ex = explore_waveform(capture)
    mdc, mdio, bars = ex.figure.data
    assert ex.mode == "overview" and len(mdc.x) == 0 and len(mdio.x) == 0
    assert sum(bars.y) == 2000 and len(bars.y) == interactive.BINS  # decimated: 400 bars
    assert ex.labels() == []


def test_zooming_in_reads_the_window_and_labels_appear(capture: Path) -> None:
    ex = explore_waveform(capture)
    ex.figure.layout.xaxis.range = (0.5, 0.52)  # what a box zoom in the browser sends
    assert ex.mode == "frames" and len(ex.figure.data[0].x) > 0
    # 20 frames of a pixel or so each: no label fits, none is drawn (hover has them).
    assert ex.labels() == []
    ex.figure.layout.xaxis.range = (0.5, 0.500028)  # one frame fills the view
    assert ex.mode == "fields"
    labels = set(ex.labels())
    assert {"C22 read PHY 1 BMSR = 0x796d", "PRE 32", "PHY 1", "DATA 0x796d"} <= labels
    assert "ST 01" not in labels  # 2 bits: 22 px, too narrow for its text
    ex.figure.layout.xaxis.range = (0.500012, 0.5000155)  # 3.5 µs around ST and OP
    assert {"ST 01", "OP R"} <= set(ex.labels())
    # Only the window was read: the traces start and end inside it.
    xs = ex.figure.data[0].x
    assert min(xs) >= 0.500012 and max(xs) <= 0.5000155
    ex.figure.layout.xaxis.range = (0.0, 2.0)  # zoomed out again: the overview
    assert ex.mode == "overview" and len(ex.figure.data[0].x) == 0


def test_timeline_shows_the_states_visited_and_the_log_on_hover() -> None:
    pal = Pal("sim://lan8720a@1", "linux26")
    pal.phy_start(pal.phy_connect(pal.netdev(), "0:01"))
    pal.at(8, lambda: pal.bus.unplug(1))
    pal.run(12)
    fig = explore_timeline(pal)
    visited = {e.data[k] for e in pal.events.of("state") for k in ("from", "to")}
    assert set(fig.layout.yaxis.categoryarray) == visited
    log = next(t for t in fig.data if t.name == "log")
    assert "PHY: 0:01 - Link is Down" in log.text


def test_bad_windows_and_empty_sources_are_one_line() -> None:
    from physcapy.errors import PhyscapyError

    with pytest.raises(PhyscapyError, match="no MDIO frames"):
        explore_waveform([])
    ex = explore_waveform([T(0, 0, 22, "read", 1, 1, 0x796D)])
    with pytest.raises(PhyscapyError, match="is not before end"):
        ex.zoom(1.0, 0.5)
