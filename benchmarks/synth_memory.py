# SPDX-License-Identifier: GPL-2.0-only
"""Peak memory of ``physcapy synth`` against session length (target: <= 150 MB at 1,000,000).

    python benchmarks/synth_memory.py [--sizes 20000,100000,1000000]
                                      [--formats sr,vcd,csv,dir] [--via cli|api] [--workdir DIR]

Writes sessions of 20,000, 100,000 and 1,000,000 transactions (both clauses, every
op, frames back to back, as ``benchmarks/decode.py`` makes them) to a temporary
folder, then runs ``physcapy synth SESSION -o OUT`` for each output format --
sigrok ``.sr``, ``.vcd``, Saleae ``.csv`` and a Saleae binary export folder -- at
the defaults (25 MHz sampling, 2.5 MHz MDC) and prints its wall time and peak
resident memory (the child's ``ru_maxrss``), with whether it is within 150 MB.
Memory should be flat: the smaller sessions show the trend.  Each output is
deleted once measured (at 1,000,000 transactions the text formats take over 2 GB).

``--via api`` runs ``iter_session`` into ``write_capture`` in the child instead
of the command line, to tell the library's memory from the command's.  About three
minutes in all, most of it at 1,000,000 transactions.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from physcapy.capture.session import SessionMeta, SessionWriter
from physcapy.mdio.transactions import Transaction

LIMIT_MB = 150.0
OUTPUTS = {"sr": "out.sr", "vcd": "out.vcd", "csv": "out.csv", "dir": "out_dir"}
# What the command does, as a library call: the session streamed into write_capture.
API = (
    "import sys\n"
    "from physcapy.capture.session import iter_session\n"
    "from physcapy.capture.synth import Timing, write_capture\n"
    "_, transactions = iter_session(sys.argv[1])\n"
    "write_capture(sys.argv[2], transactions, Timing(samplerate=25e6, mdc_hz=2.5e6))\n"
)


def transactions(n: int, seed: int = 1) -> Iterator[Transaction]:
    """benchmarks/decode.py's transactions, made one at a time."""
    rng = random.Random(seed)
    for _ in range(n):
        clause = rng.choice([22, 45])
        op = rng.choice(
            ["read", "write"] if clause == 22 else ["address", "write", "read", "read_inc"]
        )
        yield Transaction(
            0.0, 0, clause, op, rng.randrange(32), rng.randrange(32), rng.randrange(0x10000)
        )


def make_session(n: int, path: Path) -> None:
    with SessionWriter(path, SessionMeta(source="benchmarks/synth_memory.py")) as writer:
        for t in transactions(n):
            writer.write(t)


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command, output discarded."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed ({status}): {err}")
    return elapsed, usage.ru_maxrss / 1024


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000,1000000")
    parser.add_argument("--formats", default="sr,vcd,csv,dir")
    parser.add_argument("--via", choices=["cli", "api"], default="cli")
    parser.add_argument("--workdir", help="keep the sessions here (default: a temporary folder)")
    parser.add_argument("--make", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:  # a child process: writes one session and exits
        make_session(int(args.make[0]), Path(args.make[1]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    for fmt in formats:
        if fmt not in OUTPUTS:
            raise SystemExit(f"unknown format {fmt!r}: allowed {', '.join(OUTPUTS)}")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    temp = None if args.workdir else tempfile.TemporaryDirectory(prefix="physcapy-synth-")
    workdir = Path(args.workdir) if temp is None else Path(temp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.via == "cli":
        command = [sys.executable, "-m", "physcapy", "synth", "{session}", "-o", "{out}"]
    else:
        command = [sys.executable, "-c", API, "{session}", "{out}"]
    print(f"physcapy synth ({args.via}), 25 MHz sampling, 2.5 MHz MDC; peak RSS of the process")
    worst = 0.0
    try:
        for n in sizes:
            session = workdir / f"session-{n}.jsonl"
            if not session.exists():
                # In a child: the parent stays small, so the children it starts do too.
                part = session.with_name(session.name + ".tmp")
                subprocess.run([sys.executable, __file__, "--make", str(n), str(part)], check=True)
                part.replace(session)
            for fmt in formats:
                out = workdir / OUTPUTS[fmt]
                remove(out)
                argv = [a.format(session=session, out=out) for a in command]
                seconds, peak = run(argv)
                remove(out)
                worst = max(worst, peak)
                verdict = "met" if peak <= LIMIT_MB else "MISSED"
                print(
                    f"{n:>9,} transactions  {fmt:<3}  {seconds:6.1f} s  peak {peak:6.1f} MB"
                    f"  (<= {LIMIT_MB:g} MB: {verdict})",
                    flush=True,
                )
    finally:
        if temp is not None:
            temp.cleanup()
    print(
        f"largest peak {worst:.1f} MB: target {LIMIT_MB:g} MB "
        f"{'met' if worst <= LIMIT_MB else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
