# SPDX-License-Identifier: GPL-2.0-only
"""physcapy.shell.plots and physcapy.shell.watch: what the figures hold, what watch prints."""

from __future__ import annotations

import io
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless: the tests look at the figures' contents, not pixels

import matplotlib.pyplot as plt
import numpy as np
import pytest

from physcapy import open_bus
from physcapy.capture.base import CaptureReader, TransitionBlock
from physcapy.capture.decode import decode, open_capture
from physcapy.capture.session import read_session
from physcapy.capture.synth import Timing, synth, write_capture
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError
from physcapy.mdio.transactions import Transaction
from physcapy.pal import Pal
from physcapy.pal.constants import Linux6State, State
from physcapy.registers.models import model
from physcapy.shell.plots import plot_register_history, plot_timeline, plot_waveform
from physcapy.shell.watch import Change, watch
from physcapy.traffic.annotate import Annotator
from tests.conftest import ROOT, SHARED, need

CAPTURES = SHARED / "captures"
SESSIONS = ROOT / "sessions"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def capture(name: str) -> Path:
    path = CAPTURES / name
    need(path.exists(), str(path))  # skipped locally when absent, a failure in CI
    return path


def line(ax: Any, label: str) -> Any:
    (found,) = [x for x in ax.lines if x.get_label() == label]
    return found


def labels(ax: Any) -> list[str]:
    """The whole-frame labels of a waveform (not its field texts)."""
    return [t.get_text() for t in ax.texts if t.get_gid() == "mdio-frame"]


def rises(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Times where a step line goes from 0 to 1."""
    return x[1:][(y[:-1] == 0) & (y[1:] == 1)]


def sample_edges(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """MDC rising edges and MDIO changes (seconds) straight from the file's samples."""
    reader = open_capture(path)
    samples = np.concatenate([b.samples for b in reader.blocks()])
    rate = reader.samplerate
    assert rate is not None
    mdc = (samples >> reader.mdc) & 1
    mdio = (samples >> reader.mdio) & 1
    rising = np.flatnonzero((mdc[1:] == 1) & (mdc[:-1] == 0)) + 1
    mdio_changes = np.flatnonzero(mdio[1:] != mdio[:-1]) + 1
    return rising / rate, mdio_changes / rate


# -- waveform ----------------------------------------------------------------------------


def test_waveform_traces_toggle_at_the_capture_mdc_edges() -> None:
    path = capture("lan8720a_read_write_read.sr")
    fig = plot_waveform(path)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    mdc, mdio = line(ax, "MDC"), line(ax, "MDIO")
    want_rises, want_mdio = sample_edges(path)
    x, y = np.asarray(mdc.get_xdata()), np.asarray(mdc.get_ydata())
    assert set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_allclose(rises(x, y), want_rises)
    mx, my = np.asarray(mdio.get_xdata()), np.asarray(mdio.get_ydata())
    np.testing.assert_allclose(mx[1:-1][np.diff(my)[:-1] != 0], want_mdio)
    texts = labels(ax)
    assert texts == [
        "C22 read PHY 1 BMCR = 0x3000",
        "C22 write PHY 1 BMCR = 0x8000",
        "C22 read PHY 1 BMCR = 0x8000",
    ]
    assert len(ax.patches) == 3  # one shaded span per frame
    assert [t.get_text() for t in ax.get_yticklabels()] == ["fields", "MDIO", "MDC"]


def test_waveform_window_keeps_only_its_samples_and_frames() -> None:
    path = capture("lan8720a_read_all_unplugged.sr")
    start, end = 0.00045, 0.0006
    fig = plot_waveform(path, start, end)
    ax = fig.axes[0]
    x = np.asarray(line(ax, "MDC").get_xdata())
    assert x[0] == pytest.approx(start, abs=1 / 12e6) and x[-1] == pytest.approx(end, abs=1 / 12e6)
    assert ((x >= start - 1e-12) & (x <= end + 1e-12)).all()
    want_rises, _ = sample_edges(path)
    inside = want_rises[(want_rises > x[0]) & (want_rises <= x[-1])]
    np.testing.assert_allclose(rises(x, np.asarray(line(ax, "MDC").get_ydata())), inside)
    texts = labels(ax)
    # The IEEE names come from the annotator; the frames overlapping the window only.
    assert texts == [
        "C22 read PHY 1 BMCR = 0x3000",
        "C22 read PHY 1 BMSR = 0x7809",
        "C22 read PHY 1 PHYSID1 = 0x0007",
        "C22 read PHY 1 PHYSID2 = 0xc0f1",
        "C22 read PHY 1 ADVERTISE = 0x01e1",
    ]
    assert ax.get_xlim() == pytest.approx((x[0], x[-1]))


def test_waveform_names_the_identified_model_registers() -> None:
    fig = plot_waveform(capture("lan8720a_read_all_unplugged.sr"))
    texts = labels(fig.axes[0])
    assert len(texts) == len(list(decode(capture("lan8720a_read_all_unplugged.sr"))))
    # After PHYSID1/2 the LAN8720A's own registers are named.
    assert "C22 read PHY 1 PSCSR = 0x0040" in texts


def test_waveform_clause45_capture() -> None:
    fig = plot_waveform(capture("clause45_read_no_address.sr"))
    texts = labels(fig.axes[0])
    assert texts == ["C45 read_inc PRTAD 0 DEVAD 31 = 0xffff [turnaround]"] * 3


def test_waveform_from_transactions_draws_64_clocks_a_frame() -> None:
    ts = [
        Transaction(0.0, 0.0, 22, "read", 1, 1, 0x796D),
        Transaction(0.0, 0.0, 22, "write", 1, 0, 0x1200),
    ]
    fig = plot_waveform(ts)
    ax = fig.axes[0]
    mdc = line(ax, "MDC")
    assert len(rises(np.asarray(mdc.get_xdata()), np.asarray(mdc.get_ydata()))) == 128
    assert labels(ax) == [
        "C22 read PHY 1 BMSR = 0x796d",
        "C22 write PHY 1 BMCR = 0x1200",
    ]


def test_waveform_of_a_session_window_and_other_formats(tmp_path: Path) -> None:
    session = read_session(SESSIONS / "lan8720a-linux26-bringup.jsonl")
    fig = plot_waveform(session, 0.0, 0.0004)
    texts = labels(fig.axes[0])
    assert texts and all(t.startswith("C22 ") for t in texts)
    assert any("PHYSID1" in t for t in texts)
    # Any format open_capture reads: a VCD written from the same frames.
    vcd = tmp_path / "frames.vcd"
    write_capture(vcd, [Transaction(0, 0, 22, "read", 3, 1, 0x782D)])
    texts = labels(plot_waveform(vcd, mdc="MDC", mdio="MDIO").axes[0])
    assert texts == ["C22 read PHY 3 BMSR = 0x782d"]


class Chunked(CaptureReader):
    """A long synthesised capture served in many small transition blocks, counting
    how many the plot pulls."""

    def __init__(self, frames: int, chunk: float):
        self.path = Path("chunked")
        self.channels, self.mdc, self.mdio, self.initial = ["MDC", "MDIO"], 0, 1, (0, 1)
        self.wave = synth(
            [Transaction(i * 1e-4, 0, 22, "read", 1, i % 32, i) for i in range(frames)]
        )
        self.chunk, self.pulled = chunk, 0

    def blocks(self) -> Iterator[TransitionBlock]:
        w = self.wave
        for begin in np.arange(0.0, w.end, self.chunk):
            end = min(begin + self.chunk, w.end)
            a = np.searchsorted(w.mdc_times, [begin, end])
            b = np.searchsorted(w.mdio_times, [begin, end])
            self.pulled += 1
            yield TransitionBlock(
                float(begin),
                float(end),
                w.mdc_times[a[0] : a[1]],
                w.mdc_levels[a[0] : a[1]],
                w.mdio_times[b[0] : b[1]],
                w.mdio_levels[b[0] : b[1]],
            )


def test_waveform_streams_and_stops_after_the_window() -> None:
    reader = Chunked(frames=500, chunk=2e-4)  # 50 ms of traffic in 250 blocks
    # Frames start (first MDC rising edge) every 100 us; the window ends just before
    # the fourth one's first bit period.
    fig = plot_waveform(reader, 0.0100, 0.01029)
    # Read from the start (the decoder synchronises there) to just past the window:
    # the 200 blocks after it are never pulled.
    assert reader.pulled <= math.ceil(0.0103 / 2e-4) + 2
    texts = labels(fig.axes[0])
    assert texts == [
        "C22 read PHY 1 ADVERTISE = 0x0064",
        "C22 read PHY 1 LPA = 0x0065",
        "C22 read PHY 1 EXPANSION = 0x0066",
    ]
    x = line(fig.axes[0], "MDC").get_xdata()
    assert x[0] == 0.0100 and x[-1] == 0.01029


def test_waveform_draws_into_a_given_axes() -> None:
    fig, (top, bottom) = plt.subplots(2, 1)
    out = plot_waveform([Transaction(0, 0, 22, "read", 1, 2, 0x0007)], ax=bottom)
    assert out.figure is fig
    assert not top.lines and {x.get_label() for x in bottom.lines} == {"MDC", "MDIO"}


def test_waveform_bad_and_empty_windows_name_the_values() -> None:
    path = capture("lan8720a_read_write_read.sr")
    with pytest.raises(PhyscapyError, match=r"start 0.002 s is not before end 0.001 s"):
        plot_waveform(path, 0.002, 0.001)
    with pytest.raises(PhyscapyError, match=r"start nan is not a time"):
        plot_waveform(path, math.nan, 1.0)
    with pytest.raises(PhyscapyError, match=r"window 5 s to 6 s is empty.*spans 0 s to 0.000208"):
        plot_waveform(path, 5.0, 6.0)
    with pytest.raises(PhyscapyError, match=r"transactions have none"):
        plot_waveform([Transaction(0, 0, 22, "read", 1, 1, 0)], mdc="MDC")
    with pytest.raises(PhyscapyError, match=r"no transactions to draw"):
        plot_waveform([])


def test_waveform_refuses_a_window_too_dense_to_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    import physcapy.shell.plots

    monkeypatch.setattr(physcapy.shell.plots, "MAX_LEVEL_CHANGES", 100)
    path = capture("lan8720a_read_all_unplugged.sr")
    with pytest.raises(PhyscapyError, match=r"window 0 s to end of capture holds more than 100"):
        plot_waveform(path, 0.0)
    plot_waveform(path, 0.00045, 0.00046)  # a narrow window still fits


# -- waveform: the fields of each frame ----------------------------------------------------

#: Bit offsets of the fields after ST's first bit (IEEE 802.3 22.2.4.5, 45.3).
LAYOUT = (("ST", 0, 2), ("OP", 2, 4), ("PHYAD", 4, 9), ("REGAD", 9, 14), ("TA", 14, 16))
C45_KINDS = {"PHYAD": "PRTAD", "REGAD": "DEVAD"}


def field_boxes(ax: Any) -> dict[str, list[tuple[float, float]]]:
    """The field boxes by kind, in time order: (start, end) of each."""
    return {
        c.get_label(): [(p.vertices[:, 0].min(), p.vertices[:, 0].max()) for p in c.get_paths()]
        for c in ax.collections
        if c.get_gid() == "mdio-fields"
    }


def field_texts(ax: Any) -> list[Any]:
    return [t for t in ax.texts if t.get_gid() == "mdio-field"]


def at(edges: np.ndarray, when: float, tol: float) -> int:
    """Index of the edge at ``when``."""
    k = int(np.argmin(np.abs(edges - when)))
    assert abs(edges[k] - when) <= tol, (when, edges[k])
    return k


def expected_boxes(
    edges: np.ndarray, pre0: int, st: int, clause: int = 22, address: bool = False
) -> dict[str, tuple[float, float]]:
    """Each field from the rising edge of its first bit to that of the next field's; the
    last bit ends at the next edge while MDC runs on, else one (median) period later."""
    period = float(np.median(np.diff(edges[pre0 : st + 32])))
    running = st + 32 < edges.size and edges[st + 32] - edges[st + 31] <= 1.5 * period
    end = edges[st + 32] if running else edges[st + 31] + period
    out = {"PRE": (edges[pre0], edges[st])}
    for kind, a, b in LAYOUT:
        out[C45_KINDS.get(kind, kind) if clause == 45 else kind] = (edges[st + a], edges[st + b])
    out["ADDRESS" if address else "DATA"] = (edges[st + 16], end)
    return out


def check_frames(ax: Any, edges: np.ndarray, frames: list[dict[str, Any]], tol: float) -> None:
    """Every frame's boxes (and their texts' boxes) where ``expected_boxes`` puts them."""
    boxes = field_boxes(ax)
    seen = {kind: 0 for kind in boxes}
    texts = field_texts(ax)
    for frame in frames:
        want = expected_boxes(edges, **frame)
        for kind, (x0, x1) in want.items():
            got = boxes[kind][seen[kind]]
            seen[kind] += 1
            assert got == pytest.approx((x0, x1), abs=tol), (kind, frame)
            text = texts.pop(0)
            assert text.box == pytest.approx(got)
    assert seen == {kind: len(v) for kind, v in boxes.items()}  # no box left over
    assert not texts


def test_waveform_field_boxes_span_the_capture_mdc_edges() -> None:
    path = capture("lan8720a_read_write_read.sr")
    rate = 12e6
    edges, _ = sample_edges(path)
    decoded = list(decode(path))
    fig = plot_waveform(path)
    ax = fig.axes[0]
    frames = [
        {"pre0": at(edges, t.start, 0.5 / rate), "st": at(edges, t.end, 0.5 / rate) - 31}
        for t in decoded
    ]
    check_frames(ax, edges, frames, tol=1 / rate)
    # Texts: the values decoded, the register named as the frame label names it.
    notes = Annotator()
    want: list[str] = []
    for t, frame in zip(decoded, frames, strict=True):
        assert not t.errors
        name = notes.annotate(t).name
        want += [
            f"PRE {frame['st'] - frame['pre0']}",
            "ST 01",
            f"OP {'R' if t.op == 'read' else 'W'}",
            f"PHY {t.phy}",
            f"REG {t.reg} {name}",
            "TA Z0" if t.op == "read" else "TA 10",
            f"DATA 0x{t.data:04x}",
        ]
    texts = field_texts(ax)
    assert [t.get_text() for t in texts] == want
    assert want[:7] == ["PRE 32", "ST 01", "OP R", "PHY 1", "REG 0 BMCR", "TA Z0", "DATA 0x3000"]
    # At this scale a 2-bit box is too narrow for its text: the box stays, the text not.
    fig.canvas.draw()
    shown = {t.get_text() for t in texts if t.shown}
    assert "PRE 32" in shown and "ST 01" not in shown and "TA Z0" not in shown
    assert len(field_boxes(ax)["ST"]) == 3
    # Zoomed on the first frame every text fits.
    t0 = decoded[0]
    fig = plot_waveform(path, t0.start - 1e-6, t0.end + 1e-6)
    fig.canvas.draw()
    texts = field_texts(fig.axes[0])
    assert [t.get_text() for t in texts] == want[:7] and all(t.shown for t in texts)


def test_waveform_frame_partly_in_the_window_gets_the_fields_inside() -> None:
    path = capture("lan8720a_read_write_read.sr")
    edges, _ = sample_edges(path)
    t0 = next(iter(decode(path)))
    st = at(edges, t0.end, 1e-9) - 31
    # From inside REGAD's second bit to inside DATA.
    fig = plot_waveform(path, (edges[st + 10] + edges[st + 11]) / 2, edges[st + 20] + 1e-7)
    ax = fig.axes[0]
    first, last = ax.get_xlim()
    boxes = field_boxes(ax)
    assert boxes == {
        "REGAD": [pytest.approx((first, edges[st + 14]), abs=1 / 12e6)],
        "TA": [pytest.approx((edges[st + 14], edges[st + 16]), abs=1 / 12e6)],
        "DATA": [pytest.approx((edges[st + 16], last), abs=1 / 12e6)],
    }
    assert [t.get_text() for t in field_texts(ax)] == ["REG 0 BMCR", "TA Z0", "DATA 0x3000"]


def c45_frames() -> list[Transaction]:
    return [
        Transaction(0.0, 0.0, 45, "address", 3, 1, 0x0008),
        Transaction(0.0, 0.0, 45, "write", 3, 1, 0x1234),
        Transaction(0.0, 0.0, 45, "read", 3, 1, 0x1234),
        Transaction(0.0, 0.0, 45, "read_inc", 3, 7, 0x01E1),
    ]


def test_waveform_clause45_fields_from_transactions() -> None:
    ts = c45_frames()
    fig = plot_waveform(ts)
    ax = fig.axes[0]
    wave = synth(ts)  # what plot_waveform draws for them
    edges = wave.mdc_times[wave.mdc_levels == 1]
    frames = [
        {"pre0": 64 * k, "st": 64 * k + 32, "clause": 45, "address": t.op == "address"}
        for k, t in enumerate(ts)
    ]
    check_frames(ax, edges, frames, tol=1e-12)
    assert sorted(field_boxes(ax)) == sorted(
        ["PRE", "ST", "OP", "PRTAD", "DEVAD", "TA", "ADDRESS", "DATA"]
    )
    texts = [t.get_text() for t in field_texts(ax)]
    common = ["PRE 32", "ST 00"]
    assert texts == [
        *common, "OP ADDR", "PRTAD 3", "DEVAD 1 PMA", "TA 10", "ADDR 0x0008",
        *common, "OP W", "PRTAD 3", "DEVAD 1 PMA", "TA 10", "DATA 0x1234",
        *common, "OP R", "PRTAD 3", "DEVAD 1 PMA", "TA Z0", "DATA 0x1234",
        *common, "OP RI", "PRTAD 3", "DEVAD 7 AN", "TA Z0", "DATA 0x01e1",
    ]  # fmt: skip


def test_waveform_clause45_capture_fields() -> None:
    ax = plot_waveform(capture("clause45_read_no_address.sr")).axes[0]
    texts = [t.get_text() for t in field_texts(ax)]
    # No device answers: TA is never driven low (ZZ).
    assert texts[:7] == [
        "PRE 32",
        "ST 00",
        "OP RI",
        "PRTAD 0",
        "DEVAD 31 VEND2",
        "TA ZZ",
        "DATA 0xffff",
    ]
    assert [t.get_color() for t in field_texts(ax)][5] == "tab:red"


class Wave(CaptureReader):
    """A synthesised waveform served as one transition block."""

    def __init__(self, wave: Any):
        self.path = Path("wave")
        self.channels, self.mdc, self.mdio, self.initial = ["MDC", "MDIO"], 0, 1, (0, 1)
        self.wave = wave

    def blocks(self) -> Iterator[TransitionBlock]:
        w = self.wave
        yield TransitionBlock(0.0, w.end, w.mdc_times, w.mdc_levels, w.mdio_times, w.mdio_levels)


@pytest.mark.parametrize(
    ("timing", "suffix"),
    [
        (Timing(jitter=0.3, seed=7), ""),  # transitions: exact edge times
        (Timing(samplerate=2e6, mdc_hz=50e3, jitter=0.25, seed=3), ".sr"),  # slow, sampled
    ],
)
def test_waveform_fields_follow_jittery_or_slow_mdc(
    timing: Timing, suffix: str, tmp_path: Path
) -> None:
    ts = [
        Transaction(0.0, 0.0, 22, "read", 1, 1, 0x796D),
        *c45_frames()[:2],
        Transaction(0.0, 0.0, 22, "write", 2, 0, 0x1200),
    ]
    wave = synth(ts, timing)
    edges = wave.mdc_times[wave.mdc_levels == 1]
    sample = 1 / timing.samplerate
    # The jitter moves edges by many samples: boxes from nominal timing would not line up.
    nominal = edges[0] + np.arange(64) / timing.mdc_hz
    assert np.abs(edges[:64] - nominal).max() > 3 * sample
    if suffix:
        path = tmp_path / f"jitter{suffix}"
        write_capture(path, ts, timing, wave=wave)
        fig, tol = plot_waveform(path), sample
    else:
        fig, tol = plot_waveform(Wave(wave)), 1e-12
    frames = [
        {"pre0": 64 * k, "st": 64 * k + 32, "clause": t.clause, "address": t.op == "address"}
        for k, t in enumerate(ts)
    ]
    ax = fig.axes[0]
    check_frames(ax, edges, frames, tol=tol)
    texts = [t.get_text() for t in field_texts(ax)]
    assert texts[4::7] == ["REG 1 BMSR", "DEVAD 1 PMA", "DEVAD 1 PMA", "REG 0 BMCR"]
    assert texts[6::7] == ["DATA 0x796d", "ADDR 0x0008", "DATA 0x1234", "DATA 0x1200"]


# -- PAL timeline ------------------------------------------------------------------------


def unplug_scenario(profile: str = "linux26") -> Pal:
    pal = Pal("sim://lan8720a@1", profile)
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    pal.at(8, lambda: pal.bus.unplug(1))
    pal.at(12, lambda: pal.bus.plug(1))
    pal.run(20)
    return pal


def test_timeline_states_link_speed_carrier_and_logs() -> None:
    pal = unplug_scenario()
    events = pal.events
    fig = plot_timeline(events)
    assert len(fig.axes) == 3
    ax_state, ax_link, ax_speed = fig.axes
    states = events.of("state")
    # Only the states visited, in the profile's order.
    visited = [
        s.name for s in State if s.name in {e.data[k] for e in states for k in ("from", "to")}
    ]
    assert [t.get_text() for t in ax_state.get_yticklabels()] == visited
    assert len(visited) < len(State)
    state_line = line(ax_state, "0:01")
    x, y = list(state_line.get_xdata()), list(state_line.get_ydata())
    assert x[1:-1] == [e.t for e in states]
    assert y[1:-1] == [visited.index(e.data["to"]) for e in states]
    assert y[0] == visited.index(states[0].data["from"])
    calls = events.of("adjust_link")
    link = line(ax_link, "0:01")
    assert list(link.get_xdata())[:-1] == [e.t for e in calls]
    assert list(link.get_ydata())[:-1] == [e.data["link"] for e in calls]
    speed = line(ax_speed, "0:01")
    assert list(speed.get_ydata())[:-1] == [e.data["speed"] for e in calls]
    on, off = line(ax_link, "carrier on"), line(ax_link, "carrier off")
    carrier = events.of("carrier")
    assert list(on.get_xdata()) == [e.t for e in carrier if e.data["on"]] == [3.0, 14.0]
    # v2.6.32: the carrier is on from registration; AN -> NOLINK at 2 s drops it.
    assert list(off.get_xdata()) == [e.t for e in carrier if not e.data["on"]] == [2.0, 9.0]
    texts = [line for t in ax_state.texts for line in t.get_text().split("\n")]
    assert texts.count("PHY: 0:01 - Link is Up - 100/Full") == 2
    assert "PHY: 0:01 - Link is Down" in texts
    # The lines logged at start-up share one label instead of overlapping.
    first = next(t for t in ax_state.texts if t.get_gid() == "pal-log")
    assert "probed" in first.get_text() and "attached PHY driver" in first.get_text()


def test_timeline_of_a_linux6_pal_uses_its_states() -> None:
    pal = unplug_scenario("linux6")
    seen = {e.data[k] for e in pal.events.of("state") for k in ("from", "to")}
    names = [s.name for s in Linux6State if s.name in seen]
    for source in (pal, pal.events):  # the Pal says its profile; the log alone suggests it
        ax = plot_timeline(source, phy=1).axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == names
    ax = plot_timeline(pal.events, profile="linux26").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [s.name for s in State if s.name in seen]


def test_timeline_choices_and_errors() -> None:
    pal = unplug_scenario()
    fig, ax = plt.subplots()
    assert plot_timeline(list(pal.events), phy="0:01", ax=ax).figure is fig
    assert len(fig.axes) == 3 and fig.axes[0] is ax
    with pytest.raises(PhyscapyError, match=r"PHY '0:05'.*the events have 0:01"):
        plot_timeline(pal.events, phy="0:05")
    with pytest.raises(PhyscapyError, match="no events"):
        plot_timeline([])


# -- register history --------------------------------------------------------------------


def reads_of(path: Path, phy: int, reg: int) -> list[Transaction]:
    return [
        t
        for t in read_session(path).transactions
        if t.clause == 22 and t.phy == phy and t.reg == reg and t.op == "read" and not t.errors
    ]


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in SESSIONS.glob("*.jsonl") if "c45" not in p.name),
)
def test_register_history_steps_are_the_session_reads(name: str) -> None:
    path = SESSIONS / name
    phy = min(read_session(path).meta.models)
    want = reads_of(path, phy, 1)
    fig = plot_register_history(path, phy, "BMSR")
    assert len(fig.axes) == 2
    value = fig.axes[0].lines[0]
    assert list(value.get_ydata())[:-1] == [t.data for t in want]
    assert list(value.get_xdata())[:-1] == [t.start for t in want]
    lanes = fig.axes[1].lines
    single = [f for f in model("ieee802.3").register("BMSR").named_fields if f.width == 1]
    assert [x.get_label() for x in lanes] == [f.name for f in single]
    link = line(fig.axes[1], "link_status")
    assert list(link.get_ydata())[:-1] == [t.data >> 2 & 1 for t in want]
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == [f.name for f in single]


def test_register_history_fields_inputs_and_paged_registers() -> None:
    path = SESSIONS / "lan8720a-linux26-bringup.jsonl"
    session = read_session(path)
    want = [t.data for t in reads_of(path, 1, 1)]
    for source in (session, session.transactions):
        fig = plot_register_history(source, 1, 1, fields=["autoneg_complete", "link_status"])
        assert [x.get_label() for x in fig.axes[1].lines] == ["autoneg_complete", "link_status"]
        assert list(fig.axes[0].lines[0].get_ydata())[:-1] == want
    # A multi-bit enum field is drawn with its meaning written where it changes.
    lpa = [t.data for t in reads_of(path, 1, 5)]
    fig = plot_register_history(path, 1, "LPA", fields=["selector"])
    selector = model().register("LPA").field("selector")
    assert list(line(fig.axes[1], "selector").get_ydata())[:-1] == [v & 0x1F for v in lpa]
    assert selector.meaning(lpa[0] & 0x1F) in [t.get_text() for t in fig.axes[1].texts]
    # The LAN8720A's own register, named by the session's model.
    linux6 = SESSIONS / "lan8720a-linux6-bringup.jsonl"
    fig = plot_register_history(linux6, 1, "MCSR")
    assert list(fig.axes[0].lines[0].get_ydata())[:-1] == [t.data for t in reads_of(linux6, 1, 17)]
    # A paged register: the reads made with page 0xd08 selected.
    rtl = SESSIONS / "rtl8211f-linux26-paged.jsonl"
    annotator = Annotator(read_session(rtl).meta.models)
    paged = [
        t.data
        for t in read_session(rtl).transactions
        if annotator.annotate(t).key == "0xd08:17" and t.op == "read"
    ]
    fig = plot_register_history(rtl, 1, "0xd08:17")
    assert paged and list(fig.axes[0].lines[0].get_ydata())[:-1] == paged


def test_register_history_clause45() -> None:
    path = SESSIONS / "generic-c45-bursts.jsonl"
    want = [
        t.data
        for t in read_session(path).transactions
        if t.clause == 45 and t.op != "address" and t.reg == 1 and t.addr == 1 and not t.errors
    ]
    fig = plot_register_history(path, 5, "PMA.1")
    assert want and list(fig.axes[0].lines[0].get_ydata())[:-1] == want
    assert "STAT1 (1.1)" in fig.axes[0].get_title()


def test_register_history_errors() -> None:
    path = SESSIONS / "ksz9031-linux26-mmd.jsonl"
    with pytest.raises(PhyscapyError, match=r"no answered reads of CTRL_PAD_SKEW \(register 2.4\)"):
        plot_register_history(path, 1, "2.4")  # only ever written
    with pytest.raises(UnknownNameError, match="field of BMSR"):
        plot_register_history(path, 1, "BMSR", fields=["no_such_field"])


# -- watch ---------------------------------------------------------------------------------


class Scripted:
    """A bus that runs ``actions[n]`` just before its n-th read (1-based)."""

    def __init__(self, bus: Any, actions: dict[int, Callable[[], object]]):
        self.bus, self.actions, self.reads = bus, actions, 0

    def read(self, *args: Any) -> int:
        self.reads += 1
        if self.reads in self.actions:
            self.actions[self.reads]()
        value: int = self.bus.read(*args)
        return value

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bus, name)


def unplug_then_plug() -> tuple[Any, Scripted]:
    bus = open_bus("sim://lan8720a@1")
    return bus, Scripted(bus, {3: lambda: bus.phys[1].unplug(), 6: lambda: bus.phys[1].plug()})


def test_watch_prints_each_change_with_its_fields() -> None:
    bus, scripted = unplug_then_plug()
    out = io.StringIO()
    changes = watch(scripted, 1, "BMSR", interval=1.0, count=10, out=out)
    assert out.getvalue().splitlines() == [
        "   0.000 s  BMSR 0x782d",
        "   2.000 s  BMSR 0x782d -> 0x7809  link_status 1->0, autoneg_complete 1->0",
        "   7.000 s  BMSR 0x7809 -> 0x782d  link_status 0->1, autoneg_complete 0->1",
    ]
    assert [(c.old, c.new) for c in changes] == [(0x782D, 0x7809), (0x7809, 0x782D)]
    assert changes[0].fields == {"link_status": (1, 0), "autoneg_complete": (1, 0)}
    assert isinstance(changes[0], Change)
    assert scripted.reads == 10 and bus.clock.time() == pytest.approx(9.0, abs=1e-3)


def test_watch_prints_to_stdout_and_stops_on_ctrl_c(capsys: pytest.CaptureFixture[str]) -> None:
    bus = open_bus("sim://lan8720a@1")

    def interrupt() -> None:
        raise KeyboardInterrupt

    scripted = Scripted(bus, {2: lambda: bus.phys[1].unplug(), 4: interrupt})
    changes = watch(scripted, 1, 1, count=None)
    assert [c.new for c in changes] == [0x7809]
    assert (
        capsys.readouterr().out.splitlines()[-1].endswith("link_status 1->0, autoneg_complete 1->0")
    )


def test_watch_updates_one_display_in_a_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython
    import IPython.display

    shown: list[Any] = []

    class Handle:
        def update(self, obj: Any) -> None:
            shown.append(obj)

    def display(obj: Any, display_id: bool = False) -> Handle:
        assert display_id is True
        shown.append(obj)
        return Handle()

    monkeypatch.setattr(IPython, "get_ipython", lambda: type("Kernel", (), {"kernel": object()})())
    monkeypatch.setattr(IPython.display, "display", display)
    _bus, scripted = unplug_then_plug()
    changes = watch(scripted, 1, "BMSR", count=10)
    assert len(changes) == 2
    assert len(shown) == 4  # the display, then its first value and each change in place
    last = shown[-1].data
    assert "physcapy-register" in last and "0x782d" in last
    assert "BMSR 0x7809 -&gt; 0x782d  link_status 0-&gt;1" in last


def test_watch_clause45_mmd_and_real_clock() -> None:
    out = io.StringIO()
    watch(open_bus("sim://generic-c45@5"), 5, "PMA.1", count=2, out=out)
    assert out.getvalue() == "   0.000 s  STAT1 0x0004\n"
    out = io.StringIO()
    watch(open_bus("sim://ksz9031@1"), 1, "2.4", count=1, out=out)  # through 13/14
    assert out.getvalue() == "   0.000 s  CTRL_PAD_SKEW 0x0077\n"
    began = time.monotonic()
    watch(open_bus("sim://lan8720a@1?time=real"), 1, "BMSR", interval=0.02, count=3, out=out)
    assert time.monotonic() - began >= 0.035  # slept two intervals


def test_watch_checks_its_arguments() -> None:
    bus = open_bus("sim://lan8720a@1")
    with pytest.raises(RangeError, match="interval 0"):
        watch(bus, 1, "BMSR", interval=0)
    with pytest.raises(RangeError, match="count 0"):
        watch(bus, 1, "BMSR", count=0)
    rtl = open_bus("sim://rtl8211f@1")
    with pytest.raises(PhyscapyError, match="page 0xd08"):
        watch(rtl, 1, "0xd08:17", count=1)


def test_register_history_ticks_are_the_values_read() -> None:
    fig = plot_register_history(
        SESSIONS / "lan8720a-linux26-bringup.jsonl", 1, "BMSR", fields=["link_status"]
    )
    value_axis, field_axis = fig.axes
    assert [t.get_text() for t in value_axis.get_yticklabels()] == ["0x7809", "0x782d"]
    (right,) = field_axis.child_axes  # each field lane's values, on the right
    assert [t.get_text() for t in right.get_yticklabels()] == ["0", "1"]


def test_register_history_and_watch_of_an_indirect_register(tmp_path: Path) -> None:
    """Issue 22 part 4: a Motorcomm extended register (EXT:ADDR through 0x1E/0x1F) is
    plotted from a session as the annotator names it, and watch refuses to move the
    selector under a running driver instead of reading Clause 22 register ADDR."""
    from physcapy.bus.access import read_register
    from physcapy.registers.models import model
    from physcapy.shell.watch import watch

    space = next(iter(model("yt8521").spaces.values()))
    address = sorted(space.registers)[0]
    key = f"{space.name}:{address:#x}"
    bus = open_bus("sim://yt8521@4")
    path = tmp_path / "ext.jsonl"
    rec = bus.record(str(path))
    bus.read(4, 2)
    bus.read(4, 3)  # identifies the YT8521
    for _ in range(3):
        read_register(bus, 4, key)
    rec.close()
    plot = plot_register_history(path, 4, key)
    assert plot.axes[0].get_title().count(space.registers[address].name) >= 1
    with pytest.raises(PhyscapyError, match="watch does not move that selector"):
        watch(bus, 4, key, count=1, out=io.StringIO())


# -- both themes --------------------------------------------------------------------------


def _contrast(a: Any, b: Any) -> float:
    """WCAG contrast ratio of two matplotlib colours."""
    from matplotlib.colors import to_rgb

    def lum(c: Any) -> float:
        ch = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(c)]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_stored_plots_read_on_the_light_and_the_dark_theme() -> None:
    from PIL import Image

    before = dict(matplotlib.rcParams)
    pal = Pal("sim://lan8720a@1", "linux26")
    pal.phy_start(pal.phy_connect(pal.netdev("eth0"), "0:01"))
    pal.run(4)
    plots = [
        plot_waveform([Transaction(0, 0, 22, "read", 1, 1, 0x796D)]),
        plot_timeline(pal),
        plot_register_history(SESSIONS / "lan8720a-linux26-bringup.jsonl", 1, "BMSR"),
    ]
    for p in plots:
        # A transparent figure: the notebook's background shows through, light or dark.
        png = Image.open(io.BytesIO(p.png())).convert("RGBA")
        assert png.getpixel((0, 0))[3] == 0 and png.getpixel((png.width - 1, 0))[3] == 0
        texts = [t for t in p.figure.findobj(matplotlib.text.Text) if t.get_text().strip()]
        assert len(texts) > 5
        for t in texts:
            if t.get_gid() == "mdio-field":  # on its own opaque chip
                (chips,) = [c for c in p.axes[0].collections if c.get_gid() == "mdio-fields"][:1]
                assert _contrast(t.get_color(), chips.get_facecolor()[0]) > 7, t
                continue
            for background in ("#ffffff", "#111111"):  # JupyterLab Light and Dark
                assert _contrast(t.get_color(), background) > 3.5, (t, t.get_color(), background)
        for ax in p.axes:
            assert ax.get_facecolor()[3] == 0
            for ln in ax.lines:  # the traces: no black line on the dark theme
                assert _contrast(ln.get_color(), "#111111") > 2.5, (ln, ln.get_color())
    # The user's own matplotlib settings are left as they were.
    assert dict(matplotlib.rcParams) == before
