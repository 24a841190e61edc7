# SPDX-License-Identifier: GPL-2.0-only
"""The FTDI path's figures (issue 6): what a batch of Clause 22 reads costs on the wire,
on USB and in Python.

    python benchmarks/ftdi.py [--ops 10000] [--freq 2.5e6]

For each chip and wiring it runs ``physcapy bench`` on ``ftdi-emu://`` (the real
encoder and batcher, through pyftdi and pyusb into the USB-level emulated chip and its
pin-level emulator) and prints bytes out and in
per read, USB transfers per 1,000 reads and the modelled hardware rate: MDC periods
of the emitted stream at the real MDC plus one USB round trip per write (125 us, a
high-speed microframe; 1 ms on the full-speed FT2232D and FT232R).  The baseline is
the wire limit itself, 64 MDC periods per Clause 22 frame (IEEE 802.3 22.2.4.5:
32-bit preamble + 32-bit frame).  The 232r row bit-bangs at its 500 kHz default.

It also times the Python encoder alone (``plan_batches``) and compares it with the
modelled wire time per frame.  Targets: >= 30,000 reads/s modelled at 2.5 MHz, and
encoder time <= half the wire time.

A second table (issue 16) times the same batch of reads through the real stack:
``open_ftdi("ftdi://ftdi:<chip>/1?...")`` on the USB-level emulated device
(:func:`physcapy.ftdi.usb_emulator.emulated_usb`), so physcapy's ``PortBus`` ->
pyftdi's ``Ftdi`` -> pyusb -> the emulated chip -> the pin-level emulator.  The
emulator's own time (the pyusb back end's bulk transfers, the pin-level engine
included) and the time inside pyftdi's ``write_data``/``read_data_bytes`` are timed
separately, so the wall time splits into the emulator, pyftdi + pyusb (inside the
port calls, less the emulator) and physcapy (the rest: planning, encoding, decoding).
Median of five runs; per read and per USB write (batch).  Nothing here changes the
modelled wire rate above, which is the hardware figure.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from physcapy.cli.main import main as physcapy
from physcapy.ftdi.bitbang import encode_bitbang
from physcapy.ftdi.device import open_ftdi
from physcapy.ftdi.mpsse import clock_divisor, plan_batches
from physcapy.ftdi.usb_emulator import emulated_usb
from physcapy.mdio.frames import Frame

COMBOS = [
    ("232h", "tristate"),
    ("232h", "drivezero"),
    ("232h", "resistor"),
    ("2232h", "tristate"),
    ("4232h", "tristate"),
    ("2232d", "tristate"),
    ("232r", "resistor"),  # synchronous bit-bang: no MPSSE
]


#: Bit-bang MDC: physcapy's default (pyftdi refuses paces above 3 MBd, two bytes a bit).
BITBANG_MDC = 500e3


def bench(chip: str, wiring: str, ops: int, freq: float) -> dict[str, float]:
    out = io.StringIO()
    url = f"ftdi-emu://{chip}?wiring={wiring}&freq={freq}&phy=generic@1"
    with contextlib.redirect_stdout(out):
        status = physcapy(["bench", url, "--ops", str(ops), "--format", "json"])
    if status != 0:
        raise SystemExit(f"physcapy bench {url} exited {status}")
    result: dict[str, float] = json.loads(out.getvalue())
    return result


def encoder_us_per_frame(chip: str, wiring: str, ops: int) -> float:
    frames = [Frame(22, "read", 1, r % 32) for r in range(ops)]
    best = float("inf")
    for _ in range(3):  # best of three: the encoder's cost, not the machine's noise
        start = time.perf_counter()
        if chip == "232r":
            for f in frames:
                encode_bitbang(f)
        else:
            plan_batches(frames, wiring, "ft" + chip)
        best = min(best, time.perf_counter() - start)
    return best / ops * 1e6


#: Runs of the real-stack timing; the median is printed.
STACK_REPEATS = 5


def _timed(fn: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    """``fn``, adding its wall time to ``spent[0]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    return wrapper


def stack(chip: str, wiring: str, ops: int, freq: float) -> dict[str, float]:
    """Seconds per read through open_ftdi on the emulated USB chip: the wall time, the
    emulator's (pyusb back end) share and pyftdi's port calls (emulator included); and
    USB writes per batch of ``ops`` reads.  Medians of :data:`STACK_REPEATS` runs."""
    frames = [Frame(22, "read", 1, r % 32) for r in range(ops)]
    url = f"ftdi://ftdi:{chip}/1?wiring={wiring}&freq={freq}"
    runs: dict[str, list[float]] = {"wall": [], "emu": [], "port": [], "writes": []}
    with emulated_usb("ft" + chip, phys="generic@1", wiring=wiring) as usb:
        bus = open_ftdi(url)
        try:
            emu, port = [0.0], [0.0]
            # Instance attributes: pyusb calls the back end's, PortBus the port's.
            usb.bulk_write = _timed(usb.bulk_write, emu)  # type: ignore[method-assign]
            usb.bulk_read = _timed(usb.bulk_read, emu)  # type: ignore[method-assign]
            bus.port.write_data = _timed(bus.port.write_data, port)  # type: ignore[method-assign]
            bus.port.read_data_bytes = _timed(bus.port.read_data_bytes, port)  # type: ignore[method-assign]
            for _ in range(STACK_REPEATS):
                emu[0] = port[0] = 0.0
                writes = bus.usb_writes
                start = time.perf_counter()
                results = bus.batch(frames)
                runs["wall"].append(time.perf_counter() - start)
                runs["emu"].append(emu[0])
                runs["port"].append(port[0])
                runs["writes"].append(bus.usb_writes - writes)
                if not all(f.ta == 0b10 for f in results):
                    raise SystemExit(f"{url}: a read was not answered on the emulated chip")
        finally:
            bus.close()
    return {key: statistics.median(values) for key, values in runs.items()}


def print_stack(ops: int, freq: float) -> None:
    print()
    print(
        f"real stack, {ops:,} reads a batch: physcapy -> pyftdi -> pyusb -> emulated USB chip "
        "-> pin-level emulator (us, median of 5)"
    )
    print(
        "overhead = wall - emulator = pyftdi + pyusb (in the port calls) + physcapy (the rest, "
        "encoder included); /USB: per USB write"
    )
    print(
        f"{'chip':6} {'wiring':9} {'USB wr':>6} {'wall/op':>7} {'emu/op':>7} {'ovh/op':>7} "
        f"{'pyftdi':>7} {'physcapy':>8} {'ovh/USB':>8} {'pyftdi/USB':>10}"
    )
    for chip, wiring in COMBOS:
        t = stack(chip, wiring, ops, BITBANG_MDC if chip == "232r" else freq)
        overhead = t["wall"] - t["emu"]
        print(
            f"{chip:6} {wiring:9} {t['writes']:6.0f} {t['wall'] / ops * 1e6:7.2f} "
            f"{t['emu'] / ops * 1e6:7.2f} {overhead / ops * 1e6:7.2f} "
            f"{(t['port'] - t['emu']) / ops * 1e6:7.2f} "
            f"{(t['wall'] - t['port']) / ops * 1e6:8.2f} {overhead / t['writes'] * 1e6:8.1f} "
            f"{(t['port'] - t['emu']) / t['writes'] * 1e6:10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=10000)
    parser.add_argument("--freq", type=float, default=2.5e6)
    args = parser.parse_args()
    wire_limit = args.freq / 64
    print(f"wire limit at MDC {args.freq / 1e6:g} MHz: {wire_limit:,.0f} C22 reads/s ('of limit')")
    header = (
        f"{'chip':6} {'wiring':9} {'MDC MHz':>7} {'out B/op':>8} {'in B/op':>7} {'USB/1000':>8} "
        f"{'modelled/s':>10} {'of limit':>8} {'python/s':>9} {'enc us':>6} {'wire us':>7} "
        f"{'enc/wire':>8}"
    )
    print(header)
    for chip, wiring in COMBOS:
        r = bench(chip, wiring, args.ops, BITBANG_MDC if chip == "232r" else args.freq)
        modelled = r["modelled_reads_per_s"]
        enc = encoder_us_per_frame(chip, wiring, args.ops)
        wire_us = 1e6 / modelled
        # The MPSSE divisor rounds down; bit-bang runs at the requested pace.
        mdc = BITBANG_MDC if chip == "232r" else clock_divisor("ft" + chip, args.freq)[1]
        print(
            f"{chip:6} {wiring:9} {mdc / 1e6:7.2f} {r['bytes_out_per_op']:8.2f} {r['bytes_in_per_op']:7.2f} "
            f"{r['usb_transfers_per_1000_ops']:8.2f} {modelled:10,.0f} "
            f"{modelled / wire_limit:8.1%} {r['ops_per_s']:9,.0f} {enc:6.2f} {wire_us:7.2f} "
            f"{enc / wire_us:8.2f}"
        )
    print_stack(args.ops, args.freq)


if __name__ == "__main__":
    main()
