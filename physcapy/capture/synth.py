# SPDX-License-Identifier: GPL-2.0-only
"""Waveform synthesis: transactions to MDC/MDIO as a logic analyzer would see them.

Timing follows IEEE 802.3 22.3.4 and 22.2.2.13: MDC idles low; the station (STA)
changes MDIO after MDC's falling edge and both ends sample on the rising edge;
the PHY drives read data (and the second turnaround bit) a short output delay
after the rising edge (0-300 ns allowed); a released line reads 1 (pull-up).

    >>> from physcapy.mdio.transactions import Transaction
    >>> s, rate = synth_samples([Transaction(0, 0, 22, "write", 3, 0, 0x9140)],
    ...                         Timing(samplerate=10e6, mdc_hz=2.5e6))
    >>> rate, len(s) > 64 * 4
    (10000000.0, True)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from physcapy.errors import CaptureError, RangeError
from physcapy.mdio import batch
from physcapy.mdio.frames import C22_OPS, C45_OPS
from physcapy.mdio.transactions import Transaction

__all__ = [
    "MAX_SAMPLES",
    "Timing",
    "Waveform",
    "render_samples",
    "synth",
    "synth_samples",
    "write_capture",
]

#: The largest .sr physcapy synthesises (about 2 minutes at 25 MHz).
MAX_SAMPLES = 4e9


@dataclass(frozen=True)
class Timing:
    """How frames are clocked onto the wire.

    ``duty`` is the fraction of a period MDC is high; ``sta_delay`` how long after
    the falling edge the STA changes MDIO; ``phy_delay`` how long after the rising
    edge the PHY changes it; ``idle_bits`` extra MDC periods with MDIO released
    before each frame (they lengthen the preamble as seen on the wire);
    ``gap`` seconds MDC stays stopped between frames; ``jitter`` the +-fraction
    each MDC period varies by; ``glitches`` adds a short MDIO pulse between the
    edges of every period.
    """

    samplerate: float = 25e6
    mdc_hz: float = 2.5e6
    duty: float = 0.5
    sta_delay: float | None = None  # default: one sample after the falling edge
    phy_delay: float | None = None  # default: 1.5 samples after the rising edge
    preamble: int = 32
    idle_bits: int = 0
    gap: float | None = None  # default: 4 MDC periods
    jitter: float = 0.0
    glitches: bool = False
    seed: int = 0

    def check(self) -> None:
        if self.samplerate < 4 * self.mdc_hz:
            raise RangeError(
                f"samplerate {self.samplerate:g} Hz is under 4 samples per MDC "
                f"period at {self.mdc_hz:g} Hz: allowed >= {4 * self.mdc_hz:g} Hz"
            )
        if not 0.2 <= self.duty <= 0.8:
            raise RangeError(f"duty {self.duty} is out of range: allowed 0.2-0.8")
        if not 0 <= self.jitter <= 0.3:
            raise RangeError(f"jitter {self.jitter} is out of range: allowed 0-0.3")
        if self.preamble < 0:
            raise RangeError(f"preamble {self.preamble} is not a bit count: allowed 0 or more")


@dataclass
class Waveform:
    """Level changes of MDC and MDIO (times in seconds, levels 0/1), and the end time."""

    mdc_times: npt.NDArray[np.float64]
    mdc_levels: npt.NDArray[np.uint8]
    mdio_times: npt.NDArray[np.float64]
    mdio_levels: npt.NDArray[np.uint8]
    end: float


def _frames(transactions: Sequence[Transaction]) -> np.ndarray:
    st = np.array([1 if t.clause == 22 else 0 for t in transactions], np.uint8)
    ops = np.array([(C22_OPS if t.clause == 22 else C45_OPS)[t.op] for t in transactions], np.uint8)
    reads = np.array([t.op in ("read", "read_inc") for t in transactions])
    bad_ta = np.array(["turnaround" in t.errors for t in transactions])
    # TA: a read samples Z0 as 10 (pull-up, then the PHY's 0); a missing PHY leaves 11.
    ta = np.where(reads & bad_ta, 0b11, 0b10).astype(np.uint8)
    return batch.frames(
        st=st,
        op=ops,
        phy=np.array([t.phy for t in transactions], np.uint8),
        reg=np.array([t.reg for t in transactions], np.uint8),
        ta=ta,
        data=np.array([t.data for t in transactions], np.uint16),
    )


def synth(transactions: Iterable[Transaction], timing: Timing = Timing()) -> Waveform:
    """Render transactions to MDC/MDIO transitions.

    A frame's first rising edge of MDC is at its transaction's ``start`` time when that
    leaves room, else the frame follows the previous one and its gap; so a capture
    written from transactions decodes to the same times.
    """
    timing.check()
    ts = list(transactions)
    period = 1.0 / timing.mdc_hz
    sample = 1.0 / timing.samplerate
    sta_delay = timing.sta_delay if timing.sta_delay is not None else sample
    phy_delay = timing.phy_delay if timing.phy_delay is not None else 1.5 * sample
    if not 0 <= sta_delay < (1 - timing.duty) * period * 0.8:
        raise RangeError(f"sta_delay {sta_delay:g} s must fall within MDC's low time")
    if not 0 < phy_delay < timing.duty * period * 0.8 + (1 - timing.duty) * period * 0.5:
        raise RangeError(f"phy_delay {phy_delay:g} s is too long for {timing.mdc_hz:g} Hz MDC")
    gap = timing.gap if timing.gap is not None else 4 * period
    if not ts:
        return Waveform(np.zeros(0), np.zeros(0, np.uint8), np.zeros(0), np.zeros(0, np.uint8), gap)
    words = batch.encode_words(_frames(ts))
    reads = [t.op in ("read", "read_inc") for t in ts]
    rng = np.random.default_rng(timing.seed)
    pre = timing.idle_bits + timing.preamble
    nbits = pre + 32
    # Per frame and bit: value and who drives it (1 = PHY).
    frame_bits = batch.encode_bits(batch.decode_words(words), preamble=pre)
    drivers = np.zeros(nbits, np.uint8)
    starts: list[float] = []
    t = gap
    # A transaction starts at its first rising edge of MDC (where the decoder, like
    # sigrok, samples the first bit); the bit period begins half a period before.
    lead = (1 - timing.duty) * period
    for k, tr in enumerate(ts):
        begin = max(t, tr.start - lead) if tr.start > 0 else t
        starts.append(begin)
        t = begin + nbits * period * (1 + timing.jitter) + gap
        del k
    mdc_t: list[npt.NDArray[np.float64]] = []
    mdio_t: list[npt.NDArray[np.float64]] = []
    mdio_v: list[npt.NDArray[np.uint8]] = []
    for k, begin in enumerate(starts):
        periods = (
            period * (1 + rng.uniform(-timing.jitter, timing.jitter, nbits))
            if timing.jitter
            else np.full(nbits, period)
        )
        falls = begin + np.concatenate(([0.0], np.cumsum(periods[:-1])))
        rises = falls + (1 - timing.duty) * periods
        values = frame_bits[k].copy()
        phy = drivers.copy()
        if reads[k]:
            phy[pre + 15 :] = 1  # second TA bit and the data come from the PHY
            values[pre + 14] = 1  # first TA bit: released, pulled up
        change = np.where(
            phy == 1, np.concatenate(([rises[0]], rises[:-1])) + phy_delay, falls + sta_delay
        )
        # Released after the last bit: by the PHY after its last rising edge, by the STA
        # after the falling edge that ends the frame's last period.
        end = rises[-1] + (phy_delay if reads[k] else timing.duty * periods[-1] + sta_delay)
        times: list[npt.NDArray[np.float64]] = [change, np.array([end])]
        levels: list[npt.NDArray[np.uint8]] = [values, np.array([1], np.uint8)]
        if timing.glitches:
            # A short pulse between the edges: the inverse level for a tenth of a period.
            at = falls + (1 - timing.duty) * periods * 0.45
            width = periods * 0.1
            glitch_t = np.stack([at, at + width], axis=1).reshape(-1)
            glitch_v = np.stack([1 - values, values], axis=1).reshape(-1)
            keep = ~(phy == 1)
            times.append(glitch_t[np.repeat(keep, 2)])
            levels.append(glitch_v[np.repeat(keep, 2)])
        t_all = np.concatenate(times)
        v_all = np.concatenate(levels).astype(np.uint8)
        order = np.argsort(t_all, kind="stable")
        mdio_t.append(t_all[order])
        mdio_v.append(v_all[order])
        mdc_t.append(np.stack([rises, falls + periods], axis=1).reshape(-1))
    mdc_times = np.concatenate(mdc_t)
    mdc_levels = np.tile(np.array([1, 0], np.uint8), mdc_times.size // 2)
    mdio_times = np.concatenate(mdio_t)
    mdio_levels = np.concatenate(mdio_v)
    # Drop changes that do not change the level (cleaner files, same waveform).
    keep = np.concatenate(([mdio_levels[0] != 1], mdio_levels[1:] != mdio_levels[:-1]))
    return Waveform(
        mdc_times,
        mdc_levels,
        mdio_times[keep],
        mdio_levels[keep],
        float(max(mdc_times[-1], mdio_times[-1]) + gap),
    )


def render_samples(
    wave: Waveform,
    samplerate: float,
    *,
    start: int = 0,
    stop: int | None = None,
    mdc_bit: int = 0,
    mdio_bit: int = 1,
    dtype: type = np.uint8,
) -> npt.NDArray[np.unsignedinteger]:
    """Samples ``start..stop`` of a waveform (the level at each sample instant)."""
    stop = stop if stop is not None else int(np.ceil(wave.end * samplerate))
    t = np.arange(start, stop, dtype=np.float64) / samplerate
    # A change at exactly a sample instant is visible at that sample.
    mdc_i = np.searchsorted(wave.mdc_times, t, side="right") - 1
    mdio_i = np.searchsorted(wave.mdio_times, t, side="right") - 1
    mdc = np.where(mdc_i >= 0, wave.mdc_levels[np.maximum(mdc_i, 0)], 0)
    mdio = np.where(mdio_i >= 0, wave.mdio_levels[np.maximum(mdio_i, 0)], 1)
    return ((mdc.astype(dtype) << mdc_bit) | (mdio.astype(dtype) << mdio_bit)).astype(dtype)


def synth_samples(
    transactions: Iterable[Transaction], timing: Timing = Timing()
) -> tuple[npt.NDArray[np.unsignedinteger], float]:
    """Render transactions to one sample array (MDC in bit 0, MDIO in bit 1) and its rate."""
    wave = synth(transactions, timing)
    return render_samples(wave, timing.samplerate), timing.samplerate


def _sample_blocks(
    wave: Waveform, rate: float, positions: tuple[int, int], channels: int, block: int = 1 << 22
) -> Iterator[npt.NDArray[np.unsignedinteger]]:
    total = int(np.ceil(wave.end * rate))
    dtype = np.uint8 if channels <= 8 else np.uint16
    for begin in range(0, total, block):
        yield render_samples(
            wave,
            rate,
            start=begin,
            stop=min(total, begin + block),
            mdc_bit=positions[0],
            mdio_bit=positions[1],
            dtype=dtype,
        )


def write_capture(
    path: str | Path,
    transactions: Iterable[Transaction],
    timing: Timing = Timing(),
    *,
    channels: int = 2,
    positions: tuple[int, int] = (0, 1),
    wave: Waveform | None = None,
) -> Waveform:
    """Synthesise transactions and write them as ``.sr``, ``.vcd``, ``.csv`` (Saleae) or a
    Saleae binary export (a path ending in ``/`` or without extension: a directory)."""
    p = Path(path)
    wave = wave or synth(transactions, timing)
    if wave.mdc_times.size == 0:
        raise CaptureError(f"{p}: no transactions to write")
    samples = wave.end * timing.samplerate
    if p.suffix.lower() == ".sr" and samples > MAX_SAMPLES:
        raise CaptureError(
            f"{p}: the waveform would be {samples:.3g} samples (transactions up to "
            f"{wave.end:.3g} s at {timing.samplerate:g} samples/s): allowed up to "
            f"{MAX_SAMPLES:.0e}; lower --samplerate or the start times"
        )
    names = [f"D{i}" for i in range(channels)]
    if channels < 2 or len(set(positions)) != 2 or max(positions) >= channels:
        raise RangeError(f"positions {positions} do not fit {channels} channels")
    names[positions[0]], names[positions[1]] = "MDC", "MDIO"
    suffix = p.suffix.lower()
    if suffix not in (".sr", ".vcd", ".csv", "", ".bin"):
        raise CaptureError(
            f"{p}: cannot write {suffix!r} captures: allowed .sr, .vcd, .csv, "
            "or a directory for a Saleae binary export"
        )
    # Files are written beside the target and renamed, so a failed run leaves no half file.
    part = p.with_name(p.name + ".part")
    try:
        if suffix == ".sr":
            from physcapy.capture.sr import write_sr

            write_sr(
                part,
                _sample_blocks(wave, timing.samplerate, positions, channels),
                timing.samplerate,
                names,
            )
        elif suffix == ".vcd":
            from physcapy.capture.vcd import write_vcd

            write_vcd(
                part,
                wave.mdc_times,
                wave.mdc_levels,
                wave.mdio_times,
                wave.mdio_levels,
                extra_channels=channels - 2,
                positions=positions,
            )
        elif suffix == ".csv":
            from physcapy.capture.saleae import write_saleae_csv

            write_saleae_csv(
                part,
                wave.mdc_times,
                wave.mdc_levels,
                wave.mdio_times,
                wave.mdio_levels,
                extra_channels=channels - 2,
                positions=positions,
            )
        else:
            from physcapy.capture.saleae import write_saleae_binary

            write_saleae_binary(
                p if suffix == "" else p.parent,
                wave.mdc_times,
                wave.mdc_levels,
                wave.mdio_times,
                wave.mdio_levels,
                extra_channels=channels - 2,
                positions=positions,
            )
            return wave
        os.replace(part, p)
    except OSError as exc:
        raise CaptureError(f"{p}: cannot write: {exc.strerror or exc}") from None
    finally:
        if part.exists():
            part.unlink()
    return wave
