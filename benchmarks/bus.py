# SPDX-License-Identifier: GPL-2.0-only
"""Register reads per second: the physcapy bus API against Scapy sr1().

    python benchmarks/bus.py [--reads 200000] [--scapy-reads 2000]

Both sides read BMSR of PHY 1 over and over in the same run:

* physcapy: ``bus.read(1, 1)`` on ``sim://`` (a simulated generic PHY, full register
  semantics: latches, virtual time, frame time on the bus clock);
* baseline: Scapy's ``sr1()`` of an ``MDIO`` read frame over a minimal
  ``SuperSocket`` that answers from a dict of register values.

Prints both rates and the ratio.  Issue 3's targets: >= 200,000 reads/s and >= 50x
the Scapy baseline.
"""

from __future__ import annotations

import argparse
import time
from collections import deque
from typing import Any

from scapy.supersocket import SuperSocket

from physcapy import open_bus
from physcapy.mdio.scapy import MDIO


class DictSocket(SuperSocket):  # type: ignore[misc]
    """A Scapy socket whose 'PHYs' are a dict {(phyad, regad): value}."""

    nonblocking_socket = True

    def __init__(self, registers: dict[tuple[int, int], int]):
        # SuperSocket.__init__ would open an OS socket; this one has none.
        self.registers = registers
        self.pending: deque[bytes] = deque()
        self.closed = False
        self.basecls = MDIO

    def send(self, x: Any) -> int:
        frame = MDIO(bytes(x))
        frame.data = self.registers.get((frame.phyad, frame.regad), 0xFFFF)
        raw = bytes(frame)
        self.pending.append(raw)
        return len(raw)

    def recv_raw(self, x: int = 65535) -> tuple[type, bytes, float]:
        return MDIO, self.pending.popleft(), time.time()

    @staticmethod
    def select(sockets: list[SuperSocket], remain: float | None = None) -> list[SuperSocket]:
        return [s for s in sockets if s.pending]

    def close(self) -> None:
        self.closed = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200_000)
    parser.add_argument("--scapy-reads", type=int, default=2_000)
    args = parser.parse_args()

    bus = open_bus("sim://")
    read = bus.read
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(args.reads):
            read(1, 1)
        best = min(best, time.perf_counter() - start)
    ours = args.reads / best

    sock = DictSocket({(1, 1): 0x796D})
    request = MDIO(op="read", phyad=1, regad=1)
    answer = sock.sr1(request, verbose=0, timeout=1)
    assert answer is not None and answer.data == 0x796D
    best_scapy = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(args.scapy_reads):
            sock.sr1(request, verbose=0, timeout=1)
        best_scapy = min(best_scapy, time.perf_counter() - start)
    theirs = args.scapy_reads / best_scapy

    print(
        f"physcapy bus.read on sim://   : {ours:12,.0f} reads/s ({1e6 / ours:.2f} us/read, "
        f"{args.reads:,} reads)"
    )
    print(
        f"scapy sr1 over a dict socket  : {theirs:12,.0f} reads/s ({1e6 / theirs:.1f} us/read, "
        f"{args.scapy_reads:,} reads)"
    )
    print(f"ratio                         : {ours / theirs:,.0f}x")
    ok = ours >= 200_000 and ours / theirs >= 50
    print(f"targets (>= 200,000 reads/s, >= 50x): {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
