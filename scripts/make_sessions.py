# SPDX-License-Identifier: GPL-2.0-only
"""Make the recorded sessions shipped in ``sessions/`` (issue 7), reproducibly.

    python scripts/make_sessions.py [--out sessions]

Every session is traffic physcapy itself produced on simulated PHYs, in virtual
time, so running this again gives the same files (apart from the ``created``
stamp).  ``SESSIONS`` below is also what the tests replay: each entry names the
bus the traffic was made on.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from physcapy import open_bus
from physcapy.capture.session import SessionMeta, SessionWriter
from physcapy.pal import Pal


@dataclass(frozen=True)
class Recipe:
    """``run`` drives the bus from Python; ``command`` is a physcapy command line run
    with ``--record`` instead (its bus is ``bus``)."""

    file: str
    bus: str
    what: str
    run: Callable[[Any], None] | None = None
    command: tuple[str, ...] = ()


def _pal(phy: str, seconds: float, interface: str = "gmii", profile: str = "linux26"):  # type: ignore[no-untyped-def]
    def run(bus: Any) -> None:
        pal = Pal(bus, profile, record_mdio=False)
        dev = pal.phy_connect(pal.netdev("eth0"), phy, interface=interface)
        pal.phy_start(dev)
        pal.run_until(seconds)

    return run


def _c45_bursts(bus: Any) -> None:
    bus.read_c45(5, 1, 2)
    bus.read_c45(5, 1, 3)
    bus.read_c45_burst(5, 1, 0, 12)  # PMA control, status, IDs, speed, devices...
    bus.read_c45_burst(5, 7, 0, 2)  # AN control and status
    bus.read_c45_burst(5, 7, 32, 2)  # 10GBASE-T AN control and status


SESSIONS = (
    Recipe(
        "lan8720a-linux26-bringup.jsonl",
        "sim://lan8720a@1",
        "2.6-era phylib bring-up of a LAN8720A (scan, SMSC driver, AN restart, RUNNING)",
        command=("pal", "sim://lan8720a@1", "1", "--seconds", "6"),
    ),
    Recipe(
        "lan8720a-linux6-bringup.jsonl",
        "sim://lan8720a@1",
        "v6 phylib bring-up of a LAN8720A: Clause 22 and 45 scan passes, soft reset and "
        "its BMCR polling, energy-detect power-down, link notifications on transitions",
        _pal("0:01", 4.0, profile="linux6"),
    ),
    Recipe(
        "dp83848-linux26-bringup.jsonl",
        "sim://dp83848@1",
        "2.6-era phylib bring-up of a DP83848",
        _pal("0:01", 6.0),
    ),
    Recipe(
        "rtl8211f-linux26-paged.jsonl",
        "sim://rtl8211f@1",
        "RTL8211F bring-up in RGMII-ID: paged accesses (page 0xd08 TX delay, then page 0)",
        _pal("0:01", 4.0, interface="rgmii_id"),
    ),
    Recipe(
        "ksz9031-linux26-mmd.jsonl",
        "sim://ksz9031@1",
        "KSZ9031 bring-up: MMD accesses through registers 13/14 (FLP timing, pad skews)",
        _pal("0:01", 4.0, interface="rgmii_id"),
    ),
    Recipe(
        "generic-c45-bursts.jsonl",
        "sim://generic-c45@5",
        "Clause 45 10GBASE-T PHY read natively, with post-read-increment bursts",
        _c45_bursts,
    ),
    Recipe(
        "generic-no-an-complete.jsonl",
        "sim://generic@1?fault=1:stuck:1:0x20:0",
        "a failing case: the link comes up but AN never completes; 2.6 phylib times out "
        "and steps through forced modes",
        _pal("0:01", 36.0),
    ),
)


def make(recipe: Recipe, out: Path) -> int:
    if recipe.command:
        import contextlib
        import io
        import os

        from physcapy.capture.session import read_session
        from physcapy.cli.main import main as physcapy_main

        path = out / recipe.file
        with contextlib.redirect_stdout(io.StringIO()):
            status = physcapy_main([*recipe.command, "--record", os.path.relpath(path)])
        if status:
            raise SystemExit(f"{recipe.file}: physcapy {' '.join(recipe.command)} failed")
        return len(read_session(path))
    assert recipe.run is not None
    bus = open_bus(recipe.bus)
    meta = SessionMeta(
        source=f"scripts/make_sessions.py on {recipe.bus}",
        models=bus.known_models(),
        notes=recipe.what,
    )
    with SessionWriter(out / recipe.file, meta) as writer:
        bus.subscribe(writer)
        recipe.run(bus)
        return writer.count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "sessions")
    args = ap.parse_args()
    for recipe in SESSIONS:
        n = make(recipe, args.out)
        print(f"{recipe.file}: {n} transactions ({recipe.bus})")


if __name__ == "__main__":
    main()
