# SPDX-License-Identifier: GPL-2.0-only
"""The commands that work on a bus: shell, read, write, modify, dump, scan and bench."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from physcapy.cli.common import _BUS_HELP, _formats, _open, _print_json, _record_option
from physcapy.errors import NoAnswerError, PhyscapyError, parse_int

_REG_HELP = "register: number (1, 0x01), name (BMSR), DEVAD.REG (1.0, AN.0x20) or PAGE:REG"


def add_parsers(sub: Any) -> None:
    """Add the shell, read, write, modify, dump, scan and bench subcommands to ``sub``
    (``build_parser``'s)."""
    shell = sub.add_parser(
        "shell",
        help="open the interactive physcapy shell (IPython)",
        description="Open an IPython shell with physcapy's helpers (rd, wr, dump, scan, "
        "decode, replay, pal...), registers, frame layers and magics (%mdio, %pal, "
        "%decode). Simulated buses run in real time there. physcapy -c CODE and "
        "physcapy SCRIPT.py [--bus URL] run code with the same names.",
        epilog="examples:\n  physcapy shell 'sim://lan8720a@1'\n"
        "  physcapy -c \"print(rd(1, 'BMSR'))\" --bus sim://lan8720a@1",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    shell.add_argument(
        "bus",
        metavar="BUS",
        nargs="?",
        default="sim://",
        help="bus URL (default sim://, one simulated gigabit PHY at address 1)",
    )
    shell.set_defaults(func=_cmd_shell)

    def add(name: str, help_text: str, example: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("bus", metavar="BUS", help=_BUS_HELP)
        if name != "bench":
            _record_option(p)
        return p

    def phy_reg(p: argparse.ArgumentParser) -> None:
        p.add_argument("phy", metavar="PHY", help="PHY address (PHYAD/PRTAD), 0-31")
        p.add_argument("reg", metavar="REG", help=_REG_HELP)
        p.add_argument("--model", "-m", help="decode as this model (default: from the PHY ID)")
        p.add_argument(
            "--via",
            choices=["auto", "c45", "c22"],
            default="auto",
            help="Clause 45 registers: native frames (c45) or registers 13/14 (c22)",
        )

    read = add("read", "read a register and decode it", "physcapy read sim:// 1 BMSR")
    phy_reg(read)
    read.add_argument("--raw", action="store_true", help="print only the value (like phytool)")
    _formats(read, "text", "json")
    read.set_defaults(func=_cmd_read)

    write = add("write", "write a register", "physcapy write sim:// 1 BMCR 0x1200")
    phy_reg(write)
    write.add_argument("value", metavar="VALUE", help="16-bit value")
    _formats(write, "text", "json")
    write.set_defaults(func=_cmd_write)

    modify = add(
        "modify",
        "masked read-modify-write: new = (old & ~MASK) | (VALUE & MASK)",
        "physcapy modify sim:// 1 BMCR 0x0200 0x0200",
    )
    phy_reg(modify)
    modify.add_argument("value", metavar="VALUE", help="16-bit value")
    modify.add_argument("mask", metavar="MASK", help="bits to change (as U-Boot mii modify)")
    _formats(modify, "text", "json")
    modify.set_defaults(func=_cmd_modify)

    dump = add(
        "dump",
        "read and decode every register of a PHY's model",
        "physcapy dump sim://lan8720a@1 1",
    )
    dump.add_argument("phy", metavar="PHY", help="PHY address, 0-31")
    dump.add_argument("--model", "-m", help="decode as this model (default: from the PHY ID)")
    dump.add_argument(
        "--via",
        choices=["auto", "c45", "c22"],
        default="auto",
        help="MMD registers: native Clause 45 frames or registers 13/14",
    )
    _formats(dump, "text", "json")
    dump.set_defaults(func=_cmd_dump)

    scan = add(
        "scan",
        "find the PHYs on a bus (Clause 22 and Clause 45 passes)",
        "physcapy scan 'sim://lan8720a@1,dp83848@3,generic-c45@5'",
    )
    scan.add_argument("--no-c45", action="store_true", help="skip the Clause 45 pass")
    _formats(scan, "text", "json")
    scan.set_defaults(func=_cmd_scan)

    bench = add(
        "bench", "time register reads through the bus API", "physcapy bench sim:// --ops 100000"
    )
    bench.add_argument("--ops", default="10000", help="number of reads (default 10000)")
    bench.add_argument("--phy", default="1", help="PHY address (default 1)")
    bench.add_argument("--reg", default="1", help="Clause 22 register (default 1, BMSR)")
    _formats(bench, "text", "json")
    bench.set_defaults(func=_cmd_bench)


def _cmd_shell(args: argparse.Namespace) -> int:
    from physcapy.shell.launch import start_shell

    return start_shell(getattr(args, "bus", "sim://"))


class _Turnaround:
    """Collects turnaround errors while a command runs (no PHY answered)."""

    def __init__(self, bus: Any):
        self.bus = bus
        self.errors: list[Any] = []
        bus.subscribe(lambda t: self.errors.append(t) if t.errors else None)

    def verdict(self, phy: int, via: str = "c22") -> int:
        """0 when every frame was answered, else one line on stderr and status 1."""
        if not self.errors:
            return 0
        from physcapy.bus.access import answers_c22

        if via == "c45" and answers_c22(self.bus, phy):
            print(
                f"physcapy: the PHY at address {phy} answers Clause 22 but not native "
                "Clause 45 frames: use --via c22 (registers 13/14)",
                file=sys.stderr,
            )
        else:
            print(
                f"physcapy: no PHY answered at address {phy} (turnaround not driven; "
                "reads return 0xffff)",
                file=sys.stderr,
            )
        return 1


def _target(bus: Any, args: argparse.Namespace) -> tuple[int, Any, str]:
    """PHY address, register target and Clause 45 method, decided before any logging."""
    from physcapy.bus.access import choose_via, phy_model, resolve_target

    phy = parse_int("PHY address", args.phy, 0, 31)
    target = resolve_target(phy_model(bus, phy, args.model), args.reg)
    via = choose_via(bus, phy, args.via) if target.devad is not None else "c22"
    return phy, target, via


def _reg_json(phy: int, target: Any, value: int) -> dict[str, Any]:
    from physcapy.registers.values import register_class

    out: dict[str, Any] = {
        "phy": phy,
        "register": target.name,
        "address": target.address if target.devad is None and target.page is None else target.key,
        "value": value,
    }
    if target.spec is not None:
        out["fields"] = register_class(target.spec)(value).decoded()
    return out


def _cmd_read(args: argparse.Namespace) -> int:
    from physcapy.bus.access import read_raw
    from physcapy.registers.values import register_class

    bus = _open(args.bus, getattr(args, "record", None))
    phy, target, via = _target(bus, args)
    watch = _Turnaround(bus)
    value = read_raw(bus, phy, target, via)
    if args.format == "json":
        _print_json(_reg_json(phy, target, value))
    elif args.raw or target.spec is None or watch.errors:
        print(f"0x{value:04x}" if args.raw else f"{target.name} = 0x{value:04x}")
    else:
        print(register_class(target.spec)(value).table())
    return watch.verdict(phy, via)


def _cmd_write(args: argparse.Namespace) -> int:
    from physcapy.bus.access import write_raw

    bus = _open(args.bus, getattr(args, "record", None))
    phy, target, via = _target(bus, args)
    value = parse_int("value", args.value, 0, 0xFFFF)
    watch = _Turnaround(bus)
    write_raw(bus, phy, target, value, via)
    if args.format == "json":
        _print_json(_reg_json(phy, target, value))
    else:
        print(f"PHY {phy} {target.name} <- 0x{value:04x}")
    return watch.verdict(phy, via)


def _cmd_modify(args: argparse.Namespace) -> int:
    from physcapy.bus.access import read_raw, write_raw

    bus = _open(args.bus, getattr(args, "record", None))
    phy, target, via = _target(bus, args)
    value = parse_int("value", args.value, 0, 0xFFFF)
    mask = parse_int("mask", args.mask, 0, 0xFFFF)
    watch = _Turnaround(bus)
    old = read_raw(bus, phy, target, via)
    if watch.errors:  # as U-Boot's mii modify: no write after a failed read
        raise NoAnswerError(
            f"no PHY answered the read of PHY {phy} {target.name} (turnaround not driven): "
            "nothing written"
        )
    new = (old & ~mask & 0xFFFF) | (value & mask)
    write_raw(bus, phy, target, new, via)
    if args.format == "json":
        _print_json({**_reg_json(phy, target, new), "old": old})
    else:
        print(f"PHY {phy} {target.name}: 0x{old:04x} -> 0x{new:04x}")
    return watch.verdict(phy, via)


def _cmd_dump(args: argparse.Namespace) -> int:
    from physcapy.bus.access import dump
    from physcapy.registers import display
    from physcapy.registers.values import register_class

    bus = _open(args.bus, getattr(args, "record", None))
    phy = parse_int("PHY address", args.phy, 0, 31)
    m, regs = dump(bus, phy, args.model, args.via)
    watch = _Turnaround(bus)
    if args.format == "json":
        rows = []
        for t, value in regs:
            if isinstance(value, int):
                row = {k: v for k, v in _reg_json(phy, t, value).items() if k != "phy"}
            else:  # the back end failed the read: no value is made up
                row = {"register": t.name, "address": t.key, "value": None, "error": value.reason}
            rows.append(row | {"name": t.name})
        _print_json({"phy": phy, "model": m.name, "registers": rows})
        return _unreadable_verdict(regs) or watch.verdict(phy)
    ident = f" (phy_id 0x{m.phy_id:08x})" if m.phy_id is not None else ""
    print(f"PHY {phy}: {m.name}{ident}, {m.title}")
    for t, value in regs:
        assert t.spec is not None
        if isinstance(value, int):
            shown = f"0x{value:04x}  {display.summary(register_class(t.spec)(value))}"
        else:
            shown = f"------  {value}"
        print(f"  {t.key:>9}  {t.name:<16} {shown}")
    return _unreadable_verdict(regs) or watch.verdict(phy)


def _unreadable_verdict(regs: list[tuple[Any, Any]]) -> int:
    """1 and one line on stderr when the back end failed some reads of a dump."""
    failed = [t.name for t, value in regs if not isinstance(value, int)]
    if not failed:
        return 0
    print(
        f"physcapy: {len(failed)} of {len(regs)} registers could not be read "
        f"({', '.join(failed[:6])}{', ...' if len(failed) > 6 else ''}): marked unreadable",
        file=sys.stderr,
    )
    return 1


def _cmd_scan(args: argparse.Namespace) -> int:
    from physcapy.bus.access import scan

    bus = _open(args.bus, getattr(args, "record", None))
    found = scan(bus, clause45=not args.no_c45)
    if args.format == "json":
        _print_json([e.to_json() for e in found])
        return 0 if found else 1
    if not found:
        print("no PHY found", file=sys.stderr)
        return 1
    print(
        f"{'ADDR':>4}  {'CLAUSE':<6}  {'PHY-ID':<10}  {'OUI':<8}  {'MODEL':>5}  {'REV':>3}  "
        f"{'NAME':<12}  LINK"
    )
    for e in found:
        link = "up" if e.link else "down"
        print(
            f"{e.address:>4}  {e.clause:<6}  0x{e.phy_id:08x}  {e.oui}  {e.model_number:>5}  "
            f"{e.revision:>3}  {e.model or '-':<12}  {link}"
        )
        if e.all_addresses:
            print(
                f"note: every address 0-31 answers as this PHY: the {args.bus} driver ignores "
                f"the PHY address, so it is listed once, at {e.address}"
            )
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    import time

    bus = _open(args.bus, getattr(args, "record", None))
    ops = parse_int("--ops", args.ops, 1, 100_000_000)
    phy = parse_int("PHY address", args.phy, 0, 31)
    from physcapy.bus.access import answers_c22, resolve_target
    from physcapy.registers.models import model

    target = resolve_target(model(), args.reg)
    if target.devad is not None or target.page is not None:
        raise PhyscapyError(
            f"--reg {args.reg}: bench reads a Clause 22 register (0-31 or a name such as BMSR)"
        )
    reg = target.address
    if not answers_c22(bus, phy):
        print(f"physcapy: no PHY answers at address {phy}: nothing to time", file=sys.stderr)
        return 1
    from physcapy.ftdi.portbus import PortBus

    extra: dict[str, float] = {}
    start = time.perf_counter()
    if isinstance(bus, PortBus):
        # An FTDI path: the reads go out batched, as a driver would send them.
        from physcapy.mdio.frames import Frame

        emulator = getattr(bus, "emulator", None)

        def counters() -> tuple[int, int, int, int]:
            edges = emulator.edges if emulator is not None else 0
            return bus.bytes_out, bus.bytes_in, bus.usb_writes, edges

        before = counters()
        bus.batch([Frame(22, "read", phy, reg)] * ops)
        elapsed = time.perf_counter() - start
        out_b, in_b, writes, edges = (
            now - then for now, then in zip(counters(), before, strict=True)
        )
        extra = {
            "bytes_out_per_op": out_b / ops,
            "bytes_in_per_op": in_b / ops,
            "usb_transfers_per_1000_ops": 1000 * writes / ops,
        }
        if emulator is not None:
            # Modelled hardware: MDC periods at the configured rate plus a USB round
            # trip per write (125 us on high-speed chips, 1 ms on full-speed ones).
            wire = edges / bus.mdc_hz + writes * bus.usb_round_trip
            extra["modelled_reads_per_s"] = ops / wire
    else:
        read = bus.read
        for _ in range(ops):
            read(phy, reg)
        elapsed = time.perf_counter() - start
    rate = ops / elapsed
    if args.format == "json":
        _print_json({"bus": args.bus, "ops": ops, "ops_per_s": rate, **extra})
    else:
        print(
            f"{args.bus}: {ops} reads of PHY {phy} register {reg} in {elapsed:.3f} s = "
            f"{rate:,.0f} reads/s"
        )
        for key, value in extra.items():
            print(f"  {key.replace('_', ' ')}: {value:,.1f}")
    return 0
