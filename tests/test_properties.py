# SPDX-License-Identifier: GPL-2.0-only
"""Rules that hold for every input, checked on generated ones (issue 23): register access
semantics (IEEE 802.3 22.2.4), auto-negotiation resolution (Annex 28B.3) and capture
decoding (any transactions, any sample rate and timing, edges at the same instant)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from physcapy.bus.clock import VirtualClock
from physcapy.capture.decode import decode, decode_samples
from physcapy.capture.synth import Timing, Waveform, render_samples, synth, write_capture
from physcapy.mdio.transactions import Transaction
from physcapy.registers.models import model
from physcapy.sim.bus import SimBus
from physcapy.sim.partner import PRIORITY, LinkPartner, resolve
from physcapy.sim.phy import SimPhy, _Info
from tests.test_capture import fields, with_addresses

# -- access semantics (22.2.4) --------------------------------------------------------------

REG = 0x18  # an undescribed register of the generic model, given access masks here
ACCESS = ("RW", "RO", "SC", "LL", "LH", "RC", "WO")

events = st.one_of(
    st.tuples(st.just("live"), st.integers(0, 0xFFFF), st.integers(0, 0xFFFF)),
    st.tuples(st.just("latch"), st.integers(0, 0xFFFF), st.just(0)),
    st.tuples(st.just("read"), st.just(0), st.just(0)),
    st.tuples(st.just("write"), st.integers(0, 0xFFFF), st.just(0)),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(ACCESS), min_size=16, max_size=16),
    st.integers(0, 0xFFFF),
    st.lists(events, max_size=30),
)
def test_access_semantics_follow_22_2_4(codes: list[str], start: int, script: list) -> None:
    """Any mix of access codes, any sequence of condition changes, latch events, reads and
    writes: each read gives what 22.2.4 says, computed here from first principles."""
    mask = {c: sum(1 << i for i, x in enumerate(codes) if x == c) for c in ACCESS}
    phy = SimPhy(model("generic"), 1, VirtualClock(), partner=None)
    spec = phy._infos[1].spec  # BMSR's: writes to it start no action
    writable = mask["RW"] | mask["SC"] | mask["WO"]
    phy._infos[REG] = _Info(spec, writable, mask["LL"], mask["LH"], mask["RC"], mask["WO"])
    phy._store[REG] = start
    phy._named[("X", "lh")] = (REG, mask["LH"], 0)  # what _latch_named looks up
    live, low, high = start, 0, 0  # the condition, pending latched-low / latched-high bits
    for kind, a, b in script:
        if kind == "live":  # the conditions behind the bits in ``a`` become ``b``
            new = (live & ~a) | (b & a)
            low |= mask["LL"] & live & ~new  # LL: a drop reads 0 once
            high |= mask["LH"] & new & ~live  # LH: a rise reads 1 once
            phy._set_live(REG, a, b)
            live = new
        elif kind == "latch":  # an event on every LH bit (page received, remote fault)
            high |= mask["LH"]
            phy._latch_named("X", "lh")
        elif kind == "write":
            live = (live & ~writable) | (a & writable)
            phy.write(REG, a)
        else:
            expect = ((live & ~low) | high) & ~mask["WO"]
            assert phy.read(REG) == expect
            low = high = 0
            live &= ~mask["RC"]  # RC: cleared by the read
        assert phy._store[REG] == live
    assert phy.read(REG) == ((live & ~low) | high) & ~mask["WO"]
    live &= ~mask["RC"]
    assert phy.read(REG) == live & ~mask["WO"]  # the latches are spent


def test_a_latch_event_keeps_the_other_pending_latched_bits() -> None:
    """Two LH events in one register before a read: both read 1 (not only the last)."""
    phy = SimPhy(model("generic"), 1, VirtualClock(), partner=None)
    phy._infos[REG] = _Info(phy._infos[1].spec, 0, 0, 0x0003, 0, 0)
    phy._store[REG] = 0
    phy._named[("X", "a")] = (REG, 0x0001, 0)
    phy._named[("X", "b")] = (REG, 0x0002, 1)
    phy._latch_named("X", "a")
    phy._latch_named("X", "b")
    assert phy.read(REG) == 0x0003
    phy._set_live(REG, 0x0001, 0x0001)  # a live rise of an LH bit latches it too
    phy._set_live(REG, 0x0001, 0x0000)
    phy._latch_named("X", "b")
    assert phy.read(REG) == 0x0003
    assert phy.read(REG) == 0x0000


# -- auto-negotiation resolution (Annex 28B.3) --------------------------------------------

_LOCAL = {  # ability -> (ADVERTISE bits, CTRL1000 bits)
    "10half": (0x0020, 0),
    "10full": (0x0040, 0),
    "100half": (0x0080, 0),
    "100full": (0x0100, 0),
    "1000half": (0, 0x0100),
    "1000full": (0, 0x0200),
}
abilities = st.frozensets(st.sampled_from(sorted(_LOCAL)))


def _rank(mode: str) -> tuple[int, bool]:
    """28B.3 for 10-1000 Mb/s without 100BASE-T2/T4: faster first, then full duplex."""
    return int(mode[:-4]), mode.endswith("full")


@settings(max_examples=200, deadline=None)
@given(abilities, abilities)
def test_resolution_of_any_pair_of_abilities(local: frozenset[str], remote: frozenset[str]) -> None:
    common = local & remote
    best = max(common, key=_rank) if common else None
    assert resolve(local, remote) == resolve(remote, local) == best
    assert list(PRIORITY[3:]) == sorted(_LOCAL, key=_rank, reverse=True)
    # The same through the simulated PHY's registers and negotiation.
    bus = SimBus.from_url("sim://")
    bus.write(1, "ADVERTISE", 0x0001 | sum(_LOCAL[a][0] for a in local))
    bus.write(1, "CTRL1000", sum(_LOCAL[a][1] for a in local))
    bus.phys[1].partner = LinkPartner(remote)
    bus.write(1, "BMCR", 0x1340)
    bus.clock.advance(4)
    phy = bus.phys[1]
    assert phy.mode == best and phy.link == (best is not None)
    bus.read(1, 1)  # flush the latched-low link bit
    assert bool(bus.read(1, 1) & 0x0024 == 0x0024) == (best is not None)
    if remote:  # the partner's base page reaches LPA whatever was resolved
        base = sum(_LOCAL[a][0] for a in remote)
        assert bus.read(1, "LPA") & 0x01E0 == base


# -- decoding (any transactions, any timing) ------------------------------------------------

transactions = st.lists(
    st.builds(
        lambda clause, op, phy, reg, data, ta: Transaction(
            0,
            0,
            clause,
            op if clause == 45 else ("read" if op.startswith("read") else "write"),
            phy,
            reg,
            0xFFFF if ta and op.startswith("read") else data,
            None,
            ["turnaround"] if ta and op.startswith("read") else [],
        ),
        st.sampled_from([22, 45]),
        st.sampled_from(["address", "write", "read", "read_inc"]),
        st.integers(0, 31),
        st.integers(0, 31),
        st.integers(0, 0xFFFF),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)
timings = st.builds(
    lambda mdc, per, duty, jitter, idle, pre, seed: Timing(
        samplerate=mdc * per,
        mdc_hz=mdc,
        duty=duty,
        jitter=jitter,
        idle_bits=idle,
        preamble=pre,
        seed=seed,
    ),
    st.sampled_from([1e6, 2.5e6, 3e5]),
    st.integers(4, 40),
    st.floats(0.35, 0.65),
    st.floats(0, 0.1),
    st.integers(0, 3),
    st.sampled_from([32, 32, 1, 5, 31]),
    st.integers(0, 1000),
)


def expected(ts: list[Transaction], timing: Timing) -> list[tuple[object, ...]]:
    """What a decode must give back: a preamble under 32 bits (idle bits count) is flagged."""
    short = ("short_preamble",) if timing.preamble + timing.idle_bits < 32 else ()
    return [(*f[:6], tuple(sorted((*f[6], *short)))) for f in with_addresses(ts)]  # type: ignore[misc]


def decoded(ts: list[Transaction]) -> list[tuple[object, ...]]:
    return [(*f[:6], tuple(sorted(f[6]))) for f in fields(ts)]  # type: ignore[misc]


def same_instant(wave: Waveform) -> Waveform:
    """Every MDIO change moved onto the MDC rising edge that samples it: what a capture
    tool with a coarse time base records for a change inside the setup time."""
    rises = wave.mdc_times[wave.mdc_levels == 1]
    at = np.searchsorted(rises, wave.mdio_times, side="left")
    times = np.where(at < rises.size, rises[np.minimum(at, rises.size - 1)], wave.mdio_times)
    keep = np.append(times[1:] != times[:-1], True)  # several onto one edge: the last
    times, levels = times[keep], wave.mdio_levels[keep]
    change = np.insert(levels[1:] != levels[:-1], 0, True)
    return Waveform(wave.mdc_times, wave.mdc_levels, times[change], levels[change], wave.end)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(transactions, timings, st.booleans(), st.sampled_from(["x.vcd", "x.csv", "export"]))
def test_any_transactions_decode_back_from_any_format(
    tmp_path: Path, ts: list[Transaction], timing: Timing, coarse: bool, target: str
) -> None:
    wave = synth(ts, timing)
    if coarse:
        wave = same_instant(wave)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / target
    write_capture(path, ts, timing, wave=wave)
    mdc, mdio = ("0", "1") if target == "export" else (None, None)
    assert decoded(list(decode(path, mdc=mdc, mdio=mdio))) == expected(ts, timing)


@settings(max_examples=80, deadline=None)
@given(transactions, timings)
def test_any_transactions_decode_back_from_samples(ts: list[Transaction], timing: Timing) -> None:
    rate = timing.samplerate
    samples = render_samples(synth(ts, timing), rate)
    assert decoded(decode_samples(samples, rate)) == expected(ts, timing)


@pytest.mark.parametrize(
    ("local_manual", "local_master", "local_multiport", "partner", "expected"),
    [
        # 40.5.2: two manual ends asking for the same role is a fault.
        (True, True, False, "master", None),
        (True, False, False, "slave", None),
        (True, True, False, "slave", True),
        (True, False, True, "master", False),
        # One manual end gets its role, the other end takes the opposite.
        (True, True, False, "auto", True),
        (False, False, False, "master", False),
        (False, False, True, "slave", True),
        # Both automatic: a multiport device is MASTER over a single-port one.
        (False, False, True, "auto-single", True),
        (False, False, False, "auto", False),
        # Equals: the standard's seeds decide; the simulation lets the partner win.
        (False, False, True, "auto", False),
        (False, False, False, "auto-single", False),
    ],
)
def test_master_slave_resolution_40_5_2(
    local_manual: bool,
    local_master: bool,
    local_multiport: bool,
    partner: str,
    expected: bool | None,
) -> None:
    from physcapy.sim.partner import LinkPartner, resolve_master

    far = LinkPartner(
        master="auto" if partner.startswith("auto") else partner,
        multiport=partner != "auto-single",
    )
    assert resolve_master(local_manual, local_master, local_multiport, far) is expected


@pytest.mark.parametrize("ta", [(1, 1), (0, 0), (0, 1)])
def test_write_with_a_bad_turnaround_is_flagged(ta: tuple[int, int]) -> None:
    """22.2.4.5.7: in a write the STA drives TA as 10; anything else is a turnaround
    error, and the frame is still decoded (the data is the STA's)."""
    phy, reg, data = 3, 4, 0x01E1
    bits = [1] * 32 + [0, 1, 0, 1]  # preamble, ST 01, OP 01 (write)
    bits += [(phy >> (4 - i)) & 1 for i in range(5)] + [(reg >> (4 - i)) & 1 for i in range(5)]
    bits += list(ta) + [(data >> (15 - i)) & 1 for i in range(16)] + [1] * 4
    # Two samples a bit: MDC low with the new level, then MDC high (sampled there).
    samples = np.array([b << 1 | clk for b in bits for clk in (0, 1)], np.uint8)
    (t,) = decode_samples(samples, 1e6)
    assert (t.op, t.phy, t.reg, t.data) == ("write", phy, reg, data)
    assert "turnaround" in t.errors
    good = np.array(
        [b << 1 | clk for b in [*bits[:46], 1, 0, *bits[48:]] for clk in (0, 1)], np.uint8
    )
    (ok,) = decode_samples(good, 1e6)
    assert ok.errors == [] and ok.data == data
