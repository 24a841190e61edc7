# SPDX-License-Identifier: GPL-2.0-only
"""Shell start-up time: ``physcapy`` against plain ``ipython`` (issue 8: < 2x).

    python benchmarks/startup.py [--runs 5]

Both are started in a pseudo-terminal, as a person starts them, and timed from
the spawn to the first ``In [1]`` prompt (physcapy's banner includes a scan of
the simulated bus); then the process is told to exit.  Also times
``physcapy --version``, which must not import IPython.  Prints the medians and
the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect


def to_prompt(argv: list[str], ipython_dir: str) -> float:
    env = dict(os.environ, TERM="xterm", NO_COLOR="1", IPYTHONDIR=ipython_dir)
    t0 = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", timeout=60, env=env)
    child.expect(r"In \[")
    elapsed = time.perf_counter() - t0
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as ipython_dir:
        to_prompt([py, "-m", "IPython"], ipython_dir)  # warm the disk cache and profile
        ipy, phy = [], []
        for _ in range(args.runs):
            ipy.append(to_prompt([py, "-m", "IPython"], ipython_dir))
            phy.append(to_prompt([py, "-m", "physcapy"], ipython_dir))
    versions = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([py, "-m", "physcapy", "--version"], check=True, capture_output=True)
        versions.append(time.perf_counter() - t0)
    a, b = statistics.median(ipy), statistics.median(phy)
    print(f"ipython to first prompt   {a:6.3f} s (median of {args.runs})")
    print(f"physcapy to first prompt  {b:6.3f} s")
    print(f"ratio                     {b / a:6.2f}x   (target < 2x)")
    print(f"physcapy --version        {statistics.median(versions):6.3f} s")


if __name__ == "__main__":
    main()
