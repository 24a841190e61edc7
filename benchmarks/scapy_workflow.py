# SPDX-License-Identifier: GPL-2.0-only
"""Scapy's send/receive workflow on MDIO: physcapy ``sr()`` against Scapy's own sr1().

    python benchmarks/scapy_workflow.py [--reads 1000] [--repeat N]

The same 1,000 Clause 22 reads (``MDIO(op="read", phyad=1, regad=(0, 31))``, the implicit
set repeated to --reads packets) go three ways in one run:

* physcapy: one ``sr(pkts, bus=bus)`` on ``sim://`` (expanding and checking the packets,
  Scapy's ``sndrcv`` on an ``MDIOSocket``, the simulated PHY, each answer dissected as
  the register the annotator names);
* anchor: Scapy's own ``SuperSocket.sr1(p, verbose=0, timeout=1)`` per packet over a
  minimal socket whose PHY is a dict {regad: value} (the values the sim PHY holds).
  Every answer arrives before sr1 looks for it, so the timeout is never waited for: this
  is Scapy's own build-and-dissect time for the same packets, the least any Scapy
  workflow on MDIO can cost;
* floor: ``bus.read(1, reg)`` for the same reads, no packets at all.

With --repeat N the three run N times, alternating, and the medians are compared (one
run can be off by 10 % on a busy machine).  The target: physcapy sr() <= 1.5x the
anchor, in wall time.  CPU time is printed too: Scapy's sndrcv calls
``time.sleep(inter)`` for every packet even with ``inter=0``, both sides pay it, and
where a zero sleep costs tens of microseconds (a VM, 50 us timer slack) it is much of
the wall time.  Then a cProfile of one sr() says where its time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from scapy.supersocket import SuperSocket

from physcapy import open_bus
from physcapy.bus.base import Bus
from physcapy.mdio.scapy import MDIO
from physcapy.traffic.sendrecv import sr

TARGET = 1.5


class DictSocket(SuperSocket):  # type: ignore[misc]
    """A Scapy socket whose one PHY is a dict {regad: value}: each frame sent is answered
    by the same frame with DATA filled in, built and dissected by Scapy."""

    nonblocking_socket = True

    def __init__(self, registers: dict[int, int]):
        # SuperSocket.__init__ would open an OS socket; this one has none.
        self.registers = registers
        self.pending: deque[Any] = deque()
        self.closed = False
        self.ins = self.outs = None
        self.basecls = MDIO

    def send(self, x: Any) -> int:
        raw = bytes(x)
        value = self.registers.get(x.regad, 0xFFFF)
        self.pending.append(MDIO(raw[:2] + value.to_bytes(2, "big")))
        return len(raw)

    def recv(self, x: int = 65535, **kwargs: Any) -> Any:
        return self.pending.popleft() if self.pending else None

    @staticmethod
    def select(sockets: list[Any], remain: float | None = None) -> list[Any]:
        return [s for s in sockets if s.pending]

    def close(self) -> None:
        self.closed = True


def packets(n: int) -> list[Any]:
    request = MDIO(op="read", phyad=1, regad=(0, 31))
    return [p for _ in range(n // 32 + 1) for p in request][:n]


def timed(run: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (Scapy's sndrcv sleeps ``inter`` per packet)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def breakdown(bus: Bus, pkts: list[Any]) -> list[tuple[str, float]]:
    """Cumulative seconds of one profiled sr() in its parts (nested, not exclusive)."""
    profile = cProfile.Profile()
    profile.enable()
    sr(pkts, bus=bus)
    profile.disable()
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profile).stats  # type: ignore[attr-defined]

    def cum(path: str, name: str) -> float:
        if path == "~":  # a built-in
            return sum(v[3] for (f, _, n), v in stats.items() if f == "~" and name in n)
        hits = [v[3] for (f, _, n), v in stats.items() if n == name and f.endswith(path)]
        return max(hits, default=0.0)  # the outermost, when a name recurses or overrides

    total = cum("physcapy/traffic/sendrecv.py", "sr")
    sndrcv = cum("scapy/sendrecv.py", "sndrcv")
    send = cum("physcapy/traffic/socket.py", "send")
    return [
        ("sr() total (under cProfile)", total),
        ("  _expand: expanding + validating packets", cum("traffic/sendrecv.py", "_expand")),
        ("  Scapy's sndrcv, all of it", sndrcv),
        ("    Scapy's own machinery (sndrcv - send)", sndrcv - send),
        ("      of which time.sleep(inter=0) per packet", cum("~", "time.sleep")),
        ("    MDIOSocket.send incl. the bus", send),
        ("      bus.batch (the sim PHY)", cum("physcapy/bus/base.py", "batch")),
        ("      from_transaction: answer packets", cum("mdio/scapy.py", "from_transaction")),
        ("      Annotator.annotate", cum("traffic/annotate.py", "annotate")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool (median)")
    args = parser.parse_args()

    bus = open_bus("sim://")
    pkts = packets(args.reads)
    regs = [p.regad for p in pkts]
    sock = DictSocket({reg: bus.read(1, reg) for reg in range(32)})

    def physcapy_sr() -> Any:
        return sr(pkts, bus=bus)

    def scapy_sr1() -> list[Any]:
        return [sock.sr1(p, verbose=0, timeout=1) for p in pkts]

    def bus_reads() -> list[int]:
        read = bus.read
        return [read(1, reg) for reg in regs]

    # Untimed warm-up, and the three agree on what was read.
    ans, unans = physcapy_sr()
    theirs = scapy_sr1()
    bus_reads()
    assert len(ans) == len(pkts) and not unans, (len(ans), len(unans))
    assert all(a is not None for a in theirs)
    assert [a.regad for _, a in ans] == [a.regad for a in theirs] == regs
    differ = sum(a.data != b.data for (_, a), b in zip(ans, theirs, strict=True))

    runs: dict[str, list[tuple[float, float]]] = {"sr": [], "sr1": [], "read": []}
    for _ in range(max(args.repeat, 1)):
        runs["sr"].append(timed(physcapy_sr))
        runs["sr1"].append(timed(scapy_sr1))
        runs["read"].append(timed(bus_reads))
    med = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    n = len(pkts)

    print(
        f"{n:,} reads (MDIO(op='read', phyad=1, regad=(0, 31)) repeated), "
        f"median of {args.repeat} runs, alternating"
    )
    rows = [
        ("physcapy sr() on sim://", med["sr"]),
        ("scapy sr1() loop, dict socket", med["sr1"]),
        ("physcapy bus.read() (floor)", med["read"]),
    ]
    for (label, seconds), key in zip(rows, ("sr", "sr1", "read"), strict=True):
        print(
            f"{label:<31}: {seconds * 1e3:8.2f} ms  {seconds / n * 1e6:8.2f} us/read"
            f"  (CPU {cpu[key] * 1e3:7.2f} ms)"
        )
    ratio = med["sr"] / med["sr1"]
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"ratio physcapy sr / scapy anchor: {ratio:.2f}x (target <= {TARGET}x: {verdict})")
    print(f"ratio physcapy sr / scapy anchor, CPU time: {cpu['sr'] / cpu['sr1']:.2f}x")
    print(f"ratio physcapy sr / bus.read    : {med['sr'] / med['read']:.1f}x")
    if differ:
        print(f"note: {differ} answers' DATA differ between sim:// and the dict (latched bits)")

    print("where sr() goes (cProfile, cumulative, nested; cProfile slows it down):")
    parts = breakdown(bus, pkts)
    total = parts[0][1] or 1.0
    for label, seconds in parts:
        print(f"  {label:<46} {seconds * 1e3:8.2f} ms  {seconds / total:6.1%}")


if __name__ == "__main__":
    main()
