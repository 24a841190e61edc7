# SPDX-License-Identifier: GPL-2.0-only
"""Simulated seconds per wall second of the PAL state machine (issue 5's target: >= 1,000).

    python benchmarks/pal.py [--phys 32] [--hours 1] [--profile linux26] [--model generic]

32 simulated PHYs on one ``sim://`` bus, each connected to its own network device
and started; then one simulated hour of the 2.6.32 machine (a tick per PHY per
second, RUNNING/CHANGELINK alternating, a status read every two seconds) with a
link flap per PHY every three minutes (cable out for 10 s, staggered by PHY).
MDIO transactions are not put on the timeline (the machine still makes every
one); state, carrier, adjust_link and log events are.  Prints the MDIO frames,
events, wall time and the ratio simulated/wall.
"""

from __future__ import annotations

import argparse
import time

from physcapy.pal import Pal


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phys", type=int, default=32)
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--profile", default="linux26", choices=["linux26", "linux6"])
    ap.add_argument("--model", default="generic")
    ap.add_argument("--flap-every", type=float, default=180.0, help="seconds between flaps")
    args = ap.parse_args()

    url = "sim://" + ",".join(f"{args.model}@{a}" for a in range(args.phys))
    t0 = time.perf_counter()
    pal = Pal(url, args.profile, record_mdio=False)
    frames = [0]
    pal.bus.subscribe(lambda t: frames.__setitem__(0, frames[0] + 1))
    sim = pal.bus
    end = args.hours * 3600.0
    flaps = 0
    for dev in pal.devices:
        pal.phy_connect(pal.netdev(f"eth{dev.addr}"), dev.name)
        pal.phy_start(dev)
        t = 60.0 + 5.0 * dev.addr
        while t < end:
            pal.at(t, lambda a=dev.addr: sim.unplug(a))  # type: ignore[attr-defined,misc]
            pal.at(t + 10.0, lambda a=dev.addr: sim.plug(a))  # type: ignore[attr-defined,misc]
            t += args.flap_every
            flaps += 1
    setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    pal.run_until(end)
    wall = time.perf_counter() - t1
    carriers = len(pal.events.of("carrier"))
    print(f"PAL benchmark: {args.profile}, {args.phys} x {args.model} on one sim:// bus")
    print(f"  simulated            {end:12,.0f} s  ({flaps} link flaps)")
    print(f"  MDIO frames          {frames[0]:12,d}")
    print(f"  events (no mdio)     {len(pal.events):12,d}  ({carriers} carrier changes)")
    print(f"  setup (scan+connect) {setup:12.3f} s wall")
    print(f"  run                  {wall:12.3f} s wall")
    print(f"  simulated s / wall s {end / wall:12,.0f}   (target >= 1,000)")


if __name__ == "__main__":
    main()
