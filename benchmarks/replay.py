# SPDX-License-Identifier: GPL-2.0-only
"""Replay and annotation throughput (issue 7's targets: >= 50,000 and >= 100,000 per s).

    python benchmarks/replay.py [--count 100000]

The input is real traffic: the transactions of ``lan8720a_read_all_unplugged.sr``
(a register dump of an unplugged LAN8720A, decoded by physcapy) repeated to
``--count`` transactions, with an MMD access through registers 13/14 mixed in so the
annotator's sequence tracking runs too.  Replay runs against
``sim://lan8720a@1?partner=none`` (every read compared except the read-to-clear
ISFR, no mismatch expected);
annotation runs the :class:`physcapy.traffic.annotate.Annotator` over the same list.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from physcapy import open_bus
from physcapy.capture.decode import decode
from physcapy.mdio.transactions import Transaction
from physcapy.traffic.annotate import Annotator
from physcapy.traffic.replay import replay

CAPTURE = Path(__file__).resolve().parents[2] / "shared" / "captures"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--captures", type=Path, default=CAPTURE)
    args = ap.parse_args()
    base = list(decode(args.captures / "lan8720a_read_all_unplugged.sr"))
    extra = [
        Transaction(0, 0, 22, "write", 1, 13, 0x0003),
        Transaction(0, 0, 22, "write", 1, 14, 0x0014),
        Transaction(0, 0, 22, "write", 1, 13, 0x4003),
        Transaction(0, 0, 22, "read", 1, 14, 0xFFFF),
    ]
    traffic: list[Transaction] = []
    while len(traffic) < args.count:
        traffic.extend(base)
        traffic.extend(extra)
    traffic = traffic[: args.count]

    t0 = time.perf_counter()
    annotator = Annotator()
    for t in traffic:
        annotator.annotate(t)
    annotate_s = time.perf_counter() - t0

    bus = open_bus("sim://lan8720a@1?partner=none")
    t0 = time.perf_counter()
    # ISFR (29) clears when read: only the first pass of the dump can match it.
    report = replay(traffic, bus, ignore={"29"})
    replay_s = time.perf_counter() - t0
    n = len(traffic)
    print(f"{n:,} transactions ({len(base)}-transaction LAN8720A dump + MMD access, repeated)")
    print(f"  annotate  {annotate_s:8.3f} s  {n / annotate_s:12,.0f} /s   (target >= 100,000)")
    print(
        f"  replay    {replay_s:8.3f} s  {n / replay_s:12,.0f} /s   (target >= 50,000)  "
        f"summary {report.summary}"
    )


if __name__ == "__main__":
    main()
