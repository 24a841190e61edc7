# SPDX-License-Identifier: GPL-2.0-only
"""Capture decoding speed and memory: ``physcapy decode`` against sigrok-cli.

    python benchmarks/decode.py [--only dense,sparse,sparse176,vcd,suppressed,huge]
                                [--repeat N] [--workdir DIR]

Builds the captures issues 4 and 21 name (once; they are cached in --workdir), then
runs ``sigrok-cli -i FILE -P mdio:mdc=MDC:mdio=MDIO -A mdio=decode`` and ``physcapy
decode FILE --format jsonl`` on each in the same run, end to end (process start to
exit, output to /dev/null), N times each, alternating, and compares the medians (one
run of either can be off by 10 % on a busy machine).  Prints physcapy's time as a
fraction of sigrok-cli's and physcapy's peak resident memory:

* dense:      100,000 transactions, 25 MHz sampling, 2.5 MHz MDC, 8 idle bits between
              frames (~72 million samples) -- target: physcapy <= 0.010x sigrok-cli;
* sparse:     >= 150 million samples at 16 MHz holding a handful of transactions -- <= 0.15x;
* sparse176:  shaped like a real capture: 176 million samples at 16 MHz on 8 channels
              (six unused), 8 transactions in 11 s of idle bus -- <= 0.15x;
* vcd:        a VCD of about 3 million value changes, sigrok-cli -I vcd -- <= 0.1x;
* suppressed: 20,000 transactions with 1-bit preambles and 1 idle bit on a continuously
              clocked MDC (802.3 22.2.4.5.3), starting mid-frame; sigrok-cli's decoder
              needs a long preamble to find frames, so its count of decoded lines is
              printed next to the true count: its time is not a like-for-like decode;
* huge:       500 million samples, to show memory does not grow with length (<= 150 MB).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from physcapy.capture.synth import Timing, synth, write_capture
from physcapy.mdio.transactions import Transaction

#: Transactions in the preamble-suppressed capture.
SUPPRESSED = 20_000


def transactions(n: int, seed: int = 1, spacing: float = 0.0) -> list[Transaction]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        clause = rng.choice([22, 45])
        op = rng.choice(
            ["read", "write"] if clause == 22 else ["address", "write", "read", "read_inc"]
        )
        out.append(
            Transaction(
                k * spacing,
                0,
                clause,
                op,
                rng.randrange(32),
                rng.randrange(32),
                rng.randrange(0x10000),
            )
        )
    return out


def build(kind: str, workdir: Path) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    if kind == "dense":
        path = workdir / "dense.sr"
        if not path.exists():
            timing = Timing(samplerate=25e6, mdc_hz=2.5e6, idle_bits=8, gap=0.0)
            write_capture(path, transactions(100_000), timing)
    elif kind == "sparse":
        path = workdir / "sparse.sr"
        if not path.exists():
            timing = Timing(samplerate=16e6, mdc_hz=2.5e6)
            write_capture(path, transactions(6, spacing=1.9), timing)  # ~9.6 s: 153 M samples
    elif kind == "sparse176":
        path = workdir / "sparse176.sr"
        if not path.exists():
            timing = Timing(samplerate=16e6, mdc_hz=2.5e6)
            # 8 frames 1.35 s apart, ending at 11 s: 176 M samples of a mostly idle bus.
            write_capture(
                path, transactions(8, seed=3, spacing=1.35), timing, channels=8, positions=(2, 3)
            )
    elif kind == "suppressed":
        path = workdir / "suppressed.sr"
        if not path.exists():
            timing = Timing(samplerate=25e6, mdc_hz=2.5e6, preamble=1, idle_bits=1, gap=0.0)
            samples_per_frame = 34 * 10
            from physcapy.capture.sr import write_sr
            from physcapy.capture.synth import render_samples

            wave = synth(transactions(SUPPRESSED, seed=4), timing)
            samples = render_samples(wave, timing.samplerate)[samples_per_frame // 2 :]
            write_sr(path, [samples], timing.samplerate, ["MDC", "MDIO"])
    elif kind == "huge":
        path = workdir / "huge.sr"
        if not path.exists():
            timing = Timing(samplerate=50e6, mdc_hz=2.5e6)
            write_capture(path, transactions(10, spacing=1.0), timing)  # ~10 s: 500 M samples
    elif kind == "vcd":
        path = workdir / "changes.vcd"
        if not path.exists():
            timing = Timing(samplerate=25e6, mdc_hz=2.5e6, gap=2e-6)
            ts = transactions(20_000)
            wave = synth(ts, timing)
            write_capture(path, ts, timing, wave=wave)
    else:
        raise SystemExit(
            f"unknown capture kind {kind!r}: allowed dense, sparse, sparse176, vcd, suppressed, huge"
        )
    return path


def run(cmd: list[str], out: str = os.devnull) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command, output discarded (or kept in ``out``)."""
    start = time.perf_counter()
    with open(out, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{cmd[0]} failed ({status}): {err}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="dense,sparse,sparse176,vcd,suppressed,huge")
    parser.add_argument("--workdir", default="/tmp/physcapy-bench")
    parser.add_argument("--no-sigrok", action="store_true", help="time physcapy only")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each tool (median)")
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:  # a child process: builds one capture and exits
        build(args.build, Path(args.workdir))
        return
    sigrok = shutil.which("sigrok-cli")
    # Time physcapy as it runs for users: Python keeps the bytecode it compiles (an
    # installed package has it from pip).  A machine that sets PYTHONDONTWRITEBYTECODE
    # would compile every module on every start; the children run without it, after
    # one untimed run that writes the bytecode.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # The `physcapy` program users run (the venv's console script); `python -m physcapy`
    # where it is not installed, which also imports runpy (~3 ms more).
    script = Path(sys.executable).with_name("physcapy")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "physcapy"]
    physcapy = [*program, "decode", "--format", "jsonl"]
    # physcapy's time as a fraction of sigrok-cli's, at most (None: memory only).
    targets = {
        "dense": 0.010,
        "sparse": 0.15,
        "sparse176": 0.15,
        "vcd": 0.1,
        "suppressed": None,
        "huge": None,
    }
    for kind in args.only.split(","):
        # Build in a child process: a parent that held the synthesised waveform would make
        # every child it forks look big (ru_maxrss counts pages shared before exec).
        subprocess.run(
            [sys.executable, __file__, "--build", kind, "--workdir", args.workdir], check=True
        )
        path = build(kind, Path(args.workdir))
        run([*physcapy, str(path)])  # warm-up: bytecode and the page cache
        fmt = ["-I", "vcd"] if path.suffix == ".vcd" else []
        theirs_cmd = [sigrok or "sigrok-cli", "-i", str(path), *fmt]
        theirs_cmd += ["-P", "mdio:mdc=MDC:mdio=MDIO", "-A", "mdio=decode"]
        with_sigrok = bool(sigrok) and not args.no_sigrok and kind != "huge"
        ours_runs, theirs_runs, rss = [], [], 0.0
        for _ in range(max(args.repeat, 1)):
            seconds, peak = run([*physcapy, str(path)])
            ours_runs.append(seconds)
            rss = max(rss, peak)
            if with_sigrok:
                theirs_runs.append(run(theirs_cmd)[0])
        ours = statistics.median(ours_runs)
        line = f"{kind:<10} {path.name:<15} physcapy {ours:6.3f} s, peak {rss:6.1f} MB"
        if with_sigrok:
            theirs = statistics.median(theirs_runs)
            ratio = ours / theirs
            target = targets[kind]
            line += f" | sigrok-cli {theirs:7.3f} s | physcapy/sigrok {ratio:.4f}x"
            if target is not None:
                line += f" (target <= {target:g}x: {'met' if ratio <= target else 'MISSED'})"
        if kind == "suppressed":
            line += _suppressed_counts(physcapy, theirs_cmd, path, with_sigrok)
        line += f" | memory target 150 MB: {'met' if rss <= 150 else 'MISSED'}"
        print(line, flush=True)


def _suppressed_counts(physcapy: list[str], sigrok: list[str], path: Path, both: bool) -> str:
    """Lines each tool decodes from the preamble-suppressed capture, against the truth."""
    out = path.with_suffix(".out")
    run([*physcapy, str(path)], str(out))
    ours = len(out.read_bytes().splitlines())
    text = f" | frames: {SUPPRESSED} sent (the first cut), physcapy decodes {ours}"
    if both:
        run(sigrok, str(out))
        text += f", sigrok-cli prints {len(out.read_bytes().splitlines())} lines"
    out.unlink()
    return text


if __name__ == "__main__":
    main()
