# SPDX-License-Identifier: GPL-2.0-only
"""Frame codec speed: the numpy batch codec against the Scapy layer and construct.

    python benchmarks/frames.py [--frames 1000000] [--sample 20000]

Prints frames/s for the batch codec (encode to 64-bit bit rows + decode back, 1,000,000
frames by default) and µs per frame for the Scapy layer (build + dissect) and construct
(build + parse) on the same random frames, and the ratios.  Each figure is the best of
three runs.  The target from issue 2 is >= 10 million frames/s for the batch codec.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from physcapy.mdio import batch
from physcapy.mdio.scapy import MDIO, MDIO45, MDIOPreamble
from physcapy.registers.cstructs import MDIO_FRAME


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument(
        "--sample",
        type=int,
        default=20_000,
        help="frames timed for Scapy and construct (they are ~1000x slower)",
    )
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    n = args.frames
    st = rng.integers(0, 2, n)
    f = batch.frames(
        st=st,
        op=np.where(st == 1, rng.integers(1, 3, n), rng.integers(0, 4, n)),
        phy=rng.integers(0, 32, n),
        reg=rng.integers(0, 32, n),
        data=rng.integers(0, 0x10000, n),
    )

    def codec() -> None:
        decoded = batch.decode_bits(batch.encode_bits(f))
        assert decoded.shape == f.shape

    t_codec = best_of(3, codec)
    assert (batch.decode_bits(batch.encode_bits(f)) == f).all()

    sample = f[: args.sample]
    wires = [bytes(np.packbits(row)) for row in batch.encode_bits(sample)]
    rows = [tuple(int(x) for x in row) for row in sample]

    def scapy() -> None:
        for (s, op, phy, reg, ta, data), wire in zip(rows, wires, strict=True):
            if s == 1:
                pkt = MDIO(op=op, phyad=phy, regad=reg, ta=ta, data=data)
            else:
                pkt = MDIO45(op=op, prtad=phy, devad=reg, ta=ta, data=data)
            bytes(MDIOPreamble() / pkt)
            MDIOPreamble(wire)

    def construct() -> None:
        for (s, op, phy, reg, ta, data), wire in zip(rows, wires, strict=True):
            MDIO_FRAME.build(
                {
                    "pre": 0xFFFFFFFF,
                    "st": s,
                    "op": op,
                    "phyad": phy,
                    "regad": reg,
                    "ta": ta,
                    "data": data,
                }
            )
            MDIO_FRAME.parse(wire)

    t_scapy = best_of(3, scapy) / len(rows)
    t_construct = best_of(3, construct) / len(rows)
    per_frame_codec = t_codec / n
    print(
        f"batch codec : {n:,} frames encoded to bits and decoded in {t_codec * 1e3:.1f} ms "
        f"= {n / t_codec / 1e6:.1f} million frames/s ({per_frame_codec * 1e9:.0f} ns/frame)"
    )
    print(f"scapy layer : {t_scapy * 1e6:.1f} us/frame (build + dissect, {len(rows):,} frames)")
    print(f"construct   : {t_construct * 1e6:.1f} us/frame (build + parse, {len(rows):,} frames)")
    print(
        f"ratio       : batch codec is {t_scapy / per_frame_codec:,.0f}x Scapy and "
        f"{t_construct / per_frame_codec:,.0f}x construct"
    )
    target = 10e6
    verdict = "meets" if n / t_codec >= target else "MISSES"
    print(f"target      : {verdict} >= {target / 1e6:.0f} million frames/s")


if __name__ == "__main__":
    main()
