# SPDX-License-Identifier: GPL-2.0-only
"""``physcapy timing`` against ``physcapy decode`` on the same captures (issue 20: timing
within 2x of decode, streaming, bounded memory).

    python benchmarks/timing.py [--only dense,sparse,vcd] [--repeat N] [--workdir DIR]

Uses the captures benchmarks/decode.py builds (cached in --workdir): dense (100,000
transactions, 72 million samples), sparse (>= 150 million samples, a few frames) and
the VCD.  Runs both commands end to end, alternating, N times each, and prints the
median times, timing's as a multiple of decode's, and both peak memories.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from decode import build, run  # the sibling benchmark builds the captures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="dense,sparse,vcd")
    parser.add_argument("--workdir", default="/tmp/physcapy-bench")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    here = Path(__file__).resolve().parent
    base = [sys.executable, "-m", "physcapy"]
    for kind in args.only.split(","):
        subprocess.run(
            [sys.executable, str(here / "decode.py"), "--build", kind, "--workdir", args.workdir],
            check=True,
        )
        path = build(kind, Path(args.workdir))
        decode_cmd = [*base, "decode", "--format", "jsonl", str(path)]
        timing_cmd = [*base, "timing", "--format", "json", str(path)]
        run(decode_cmd)  # warm-up: bytecode and the page cache
        subprocess.run(timing_cmd, stdout=subprocess.DEVNULL, check=False)
        d_runs, t_runs, d_rss, t_rss = [], [], 0.0, 0.0
        for _ in range(max(args.repeat, 1)):
            seconds, peak = run(decode_cmd)
            d_runs.append(seconds)
            d_rss = max(d_rss, peak)
            seconds, peak = _run_any(timing_cmd)
            t_runs.append(seconds)
            t_rss = max(t_rss, peak)
        d, t = statistics.median(d_runs), statistics.median(t_runs)
        ratio = t / d
        print(
            f"{kind:<7} decode {d:6.3f} s ({d_rss:5.1f} MB) | timing {t:6.3f} s "
            f"({t_rss:5.1f} MB) | timing/decode {ratio:.2f}x "
            f"(target <= 2x: {'met' if ratio <= 2 else 'MISSED'})",
            flush=True,
        )


def _run_any(cmd: list[str]) -> tuple[float, float]:
    """As decode.run, but exit status 1 (a limit failed) is a result, not an error."""
    import time

    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"timing failed ({status}): {err}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


if __name__ == "__main__":
    main()
