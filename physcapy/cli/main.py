# SPDX-License-Identifier: GPL-2.0-only
"""The ``physcapy`` command line (design.md §3.3).

Exit status: 0 on success, 2 on bad input with a one-line error and no traceback.

    $ physcapy regs decode BMSR 0x796D
    $ physcapy regs decode 0x1f 0x1058 --model lan8720a --format json
    $ physcapy frame build --op write --phy 3 --reg BMCR --data 0x9140
    $ physcapy frame parse 0xffffffff6086796d
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from physcapy._version import __version__
from physcapy.errors import NoAnswerError, PhyscapyError, parse_int

__all__ = ["main"]

EXAMPLES = """\
examples:
  physcapy                                   the shell on sim:// (also: physcapy shell BUS)
  physcapy -c "print(rd(1, 'BMSR'))" --bus 'sim://lan8720a@1'
  physcapy read sim:// 1 BMSR
  physcapy scan 'sim://lan8720a@1,dp83848@3'
  physcapy pal sim://lan8720a@1 1 --seconds 20 --event 8:unplug --event 12:plug
  physcapy decode capture.sr --annotate
  physcapy replay capture.sr --against 'sim://lan8720a@1?partner=none'
  physcapy regs decode BMSR 0x796D
  physcapy regs decode 0x1f 0x1058 --model lan8720a --format json
  physcapy regs list --model rtl8211f
  physcapy frame build --op write --phy 3 --reg BMCR --data 0x9140
  physcapy frame build --clause 45 --op read --phy 0 --reg PMA --mmd-reg 0x0008
  physcapy frame parse 0xffffffff6086796d
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit status 2."""

    #: Whether --help lists the installed bus URL schemes (the top-level parser).
    list_schemes = False

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def format_help(self) -> str:
        text = super().format_help()
        if not self.list_schemes:
            return text
        # Read from the entry points only when help is shown: it costs ~15 ms.
        from physcapy.bus.schemes import schemes

        installed = ", ".join(f"{name}://" for name in schemes())
        return f"{text}\nbus URL schemes installed: {installed}\n"


def _formats(parser: argparse.ArgumentParser, *choices: str) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format (default {choices[0]})",
    )


class _Unused:
    """Stands in for the parser of a subcommand that is not on the command line: every
    call on it (add_argument, set_defaults...) does nothing."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


class _OnlyCommand:
    """The subcommands action, making only the parser of the subcommand given.

    argparse sets up a help formatter and looks up translations for every parser and
    argument; for all twenty subcommands that is ~6 ms of each start, which a decode
    of a small capture notices.  ``found`` says whether the subcommand was one."""

    def __init__(self, sub: Any, only: str | None) -> None:
        self.sub, self.only, self.found = sub, only, False

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if self.only is not None and name != self.only:
            return _Unused()
        self.found = True
        return self.sub.add_parser(name, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``only``, just that subcommand's parser (None when the
    name is not a subcommand)."""
    parser = _Parser(
        prog="physcapy",
        description="Scapy-style MDIO and Ethernet PHY toolkit.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.list_schemes = True
    parser.add_argument("--version", action="version", version=f"physcapy {__version__}")
    sub: Any = _OnlyCommand(parser.add_subparsers(dest="command", metavar="COMMAND"), only)

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

    _bus_commands(sub)
    _capture_commands(sub)
    _pal_command(sub)
    _replay_commands(sub)

    regs = sub.add_parser(
        "regs",
        help="list and decode PHY registers",
        description="List a model's registers or decode a register value.",
        epilog="examples:\n  physcapy regs decode BMSR 0x796D\n"
        "  physcapy regs decode 7.0x20 0x1000\n"
        "  physcapy regs list --model lan8720a\n  physcapy regs models",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rsub = regs.add_subparsers(dest="regs_command", metavar="ACTION", required=True)
    decode = rsub.add_parser(
        "decode",
        help="decode a register value field by field",
        epilog="examples:\n  physcapy regs decode BMSR 0x796D\n"
        "  physcapy regs decode 0x1f 0x1058 --model lan8720a --style flags",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    decode.add_argument(
        "reg",
        metavar="REG",
        help="number (1, 0x01), name (BMSR), DEVAD.REG (1.0, AN.0x20) or PAGE:REG",
    )
    decode.add_argument("value", metavar="VALUE", help="16-bit value (0x796D, 31085, 0b...)")
    decode.add_argument("--model", "-m", help="PHY model (default: the IEEE register set)")
    decode.add_argument(
        "--style",
        choices=["table", "flags", "mii-dump"],
        default="table",
        help="text layout: field table, phytool flags or U-Boot mii dump",
    )
    _formats(decode, "text", "json")
    decode.set_defaults(func=_cmd_regs_decode)

    lst = rsub.add_parser(
        "list",
        help="list the registers of a model",
        epilog="example:\n  physcapy regs list --model rtl8211f",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lst.add_argument("--model", "-m", help="PHY model (default: the IEEE register set)")
    _formats(lst, "text", "json")
    lst.set_defaults(func=_cmd_regs_list)

    models = rsub.add_parser(
        "models",
        help="list the PHY models physcapy knows",
        epilog="example:\n  physcapy regs models --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _formats(models, "text", "json")
    models.set_defaults(func=_cmd_regs_models)

    frame = sub.add_parser(
        "frame",
        help="build and parse MDIO frames",
        description="Build MDIO frames to bits and bytes, or parse them.",
    )
    fsub = frame.add_subparsers(dest="frame_command", metavar="ACTION", required=True)
    build = fsub.add_parser(
        "build",
        help="build a frame (or the frames of a Clause 45 access)",
        epilog="examples:\n  physcapy frame build --op read --phy 1 --reg BMSR\n"
        "  physcapy frame build --clause 45 --op read --phy 0 --reg AN --mmd-reg 0x20\n"
        "  physcapy frame build --op read --phy 1 --reg 3 --mmd-reg 0x14 --via-c22",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("--clause", type=int, choices=[22, 45], default=22)
    build.add_argument(
        "--op", default="read", help="read, write (both clauses); address, read_inc (Clause 45)"
    )
    build.add_argument("--phy", default="0", help="PHYAD / PRTAD, 0-31")
    build.add_argument(
        "--reg", default="0", help="REGAD (number or Clause 22 name) / DEVAD (number or MMD name)"
    )
    build.add_argument("--data", default="0", help="16-bit data, 0-0xFFFF")
    build.add_argument("--ta", default=None, help="turnaround bits as sampled (default 0b10)")
    build.add_argument("--preamble", default="32", help="preamble length in bits (default 32)")
    build.add_argument(
        "--mmd-reg",
        default=None,
        help="expand a Clause 45 access to register MMD-REG into its frames",
    )
    build.add_argument(
        "--via-c22",
        action="store_true",
        help="with --mmd-reg: the four-frame register 13/14 sequence",
    )
    build.add_argument(
        "--function",
        default="data",
        help="with --via-c22: address, data, data_inc or data_inc_write",
    )
    _formats(build, "text", "bits", "hex", "scapy", "json")
    build.set_defaults(func=_cmd_frame_build)

    parse = fsub.add_parser(
        "parse",
        help="decode a frame from bits or hex",
        epilog="examples:\n  physcapy frame parse 0x6086796d\n"
        "  physcapy frame parse 0b0110000110000110100111100101101101",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument(
        "frame",
        metavar="BITS|HEX",
        help="0/1 bits (preamble = leading ones) or hex bytes (ff.. preamble)",
    )
    parse.add_argument("--model", "-m", help="PHY model used to decode the data")
    _formats(parse, "text", "json")
    parse.set_defaults(func=_cmd_frame_parse)
    if only is not None and not sub.found:
        return build_parser()  # not a subcommand: argparse lists the ones there are
    return parser


_BUS_HELP = "bus URL: sim://, sim://lan8720a@1?partner=none, ftdi://..., linux://eth0"
_REG_HELP = "register: number (1, 0x01), name (BMSR), DEVAD.REG (1.0, AN.0x20) or PAGE:REG"


def _bus_commands(sub: Any) -> None:
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


def _replay_commands(sub: Any) -> None:
    r = sub.add_parser(
        "replay",
        help="play a capture or session against a bus and report where the device differs",
        description="Perform the writes and reads of CAPTURE (or SESSION.jsonl) in order on "
        "BUS, compare every read and report mismatches field by field. Exit 1 when "
        "anything differs.",
        epilog="example:\n  physcapy replay ../shared/captures/lan8720a_read_all_unplugged.sr "
        "--against 'sim://lan8720a@1?partner=none'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("source", metavar="CAPTURE|SESSION", help="a capture or a session .jsonl")
    r.add_argument("--against", required=True, metavar="BUS", help=_BUS_HELP)
    r.add_argument("--realtime", action="store_true", help="keep the traffic's timing")
    r.add_argument(
        "--ignore", action="append", default=[], metavar="REG", help="do not compare REG"
    )
    r.add_argument(
        "--map", action="append", default=[], metavar="FROM=TO", help="move a PHY address"
    )
    r.add_argument("--dry-run", action="store_true", help="check and count, touch no bus")
    r.add_argument("--model", action="append", default=[], metavar="ADDR=MODEL")
    r.add_argument("--mdc", help="capture's MDC channel")
    r.add_argument("--mdio", help="capture's MDIO channel")
    _formats(r, "text", "json")
    r.set_defaults(func=_cmd_replay)

    d = sub.add_parser(
        "diff",
        help="compare two captures or sessions register by register",
        description="For each PHY address and register: the last value read in A and in B "
        "and the fields that differ; then the two sequences of writes. Exit 1 when they "
        "differ.",
        epilog="example:\n  physcapy diff broken.sr working.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("a", metavar="A", help="capture or session")
    d.add_argument("b", metavar="B", help="capture or session")
    d.add_argument("--model", action="append", default=[], metavar="ADDR=MODEL")
    _formats(d, "text", "json")
    d.set_defaults(func=_cmd_diff)


def _traffic(
    path: str, mdc: str | None = None, mdio: str | None = None
) -> tuple[Any, dict[int, str]]:
    """Transactions (streamed) and known models of a capture or a session."""
    if path.endswith(".jsonl"):
        from physcapy.capture.session import iter_session

        meta, transactions = iter_session(path)
        return transactions, dict(meta.models)
    from physcapy.capture.decode import decode_arrays, open_capture, to_transactions

    reader = open_capture(path, mdc, mdio)

    def stream() -> Any:
        for arr in decode_arrays(reader, 1, [], 0.0):
            yield from to_transactions(arr)

    return stream(), {}


def _cmd_replay(args: argparse.Namespace) -> int:
    from physcapy.registers.models import model
    from physcapy.traffic.replay import parse_ignore, replay

    transactions, models = _traffic(args.source, args.mdc, args.mdio)
    models.update(_model_args(args.model))
    amap: dict[int, int] = {}
    for item in args.map:
        a, sep, b = item.partition("=")
        if not sep:
            raise PhyscapyError(f"--map {item!r} must be FROM=TO (e.g. 1=3)")
        amap[parse_int("--map address", a, 0, 31)] = parse_int("--map address", b, 0, 31)
    first = next(iter(models.values()), None)
    ignore = parse_ignore(args.ignore, model(first) if first else None)
    bus = _open(args.against)
    ticker = _Ticker("replaying", "transactions")
    report = replay(
        transactions,
        bus,
        realtime=args.realtime,
        ignore=ignore,
        address_map=amap,
        dry_run=args.dry_run,
        models=models,
        progress=ticker.update,
    )
    ticker.done()
    if report.reads + report.writes + len(report.skipped) == 0 and not report.ignored:
        raise PhyscapyError(f"{args.source}: holds no transactions to replay")
    if args.format == "json":
        _print_json(report.to_dict())
    else:
        s = report.summary
        print(
            f"{s['reads']} reads: {s['matched']} matched, {s['mismatched']} mismatched, "
            f"{s['ignored']} ignored; {s['writes']} writes; {s['errors']} errors"
            + (" (dry run: nothing sent)" if args.dry_run else "")
        )
        for m in report.mismatches:
            print(m)
    return 0 if report.ok else 1


def _cmd_diff(args: argparse.Namespace) -> int:
    from physcapy.traffic.diff import diff

    given = _model_args(args.model)
    ta, ma = _traffic(args.a)
    tb, mb = _traffic(args.b)
    d = diff(ta, tb, {**ma, **given}, {**mb, **given})
    if args.format == "json":
        _print_json(d.to_dict())
    else:
        for r in d.registers:
            print(r)
        if d.writes_differ:
            print("writes differ (- A only, + B only):")
            for line in d.write_delta():
                print("  " + line)
            for r in d.written:
                print(f"  last written: {r}")
        if d.same:
            print("no difference in registers read or writes made")
    return 0 if d.same else 1


def _pal_command(sub: Any) -> None:
    p = sub.add_parser(
        "pal",
        help="run Linux phylib's PHY state machine against a PHY and print the timeline",
        description=(
            "Register the bus as mii_bus 0, phy_connect a network device to PHY, phy_start "
            "it and run the PHY state machine for --seconds of bus time (virtual on sim:// "
            "and ftdi-emu://), printing every state change, carrier change, adjust_link "
            "call, log line and (jsonl, or text with --mdio) MDIO transaction."
        ),
        epilog=(
            "events (T in seconds): T:unplug T:plug T:partner=100full,100half T:stop "
            "T:start T:bus-error T:bus-ok T:ethtool=100full|autoneg T:fault=KIND[:ARGS]\n"
            "example:\n  physcapy pal sim://lan8720a@1 1 --seconds 20 "
            "--event 8:unplug --event 12:plug"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("bus", metavar="BUS", help=_BUS_HELP)
    p.add_argument("phy", metavar="PHY", help="PHY address (0-31) or device name (0:01)")
    p.add_argument("--profile", choices=["linux26", "linux6"], default="linux26")
    p.add_argument(
        "--variant", choices=["2.6.32", "2005"], help="linux26 only: the 2005 first import"
    )
    p.add_argument("--seconds", default="10", help="bus time to run (default 10)")
    p.add_argument(
        "--interrupts",
        action="store_true",
        help="wire the PHY's interrupt output (simulated PHYs) instead of polling",
    )
    p.add_argument(
        "--interface", default="gmii", help="MAC interface mode: mii, gmii, rmii, rgmii-id..."
    )
    p.add_argument("--event", action="append", default=[], metavar="T:WHAT")
    p.add_argument(
        "--mdio",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include MDIO transactions (default: in jsonl, not in text)",
    )
    _record_option(p)
    _formats(p, "text", "jsonl")
    p.set_defaults(func=_cmd_pal)


def _cmd_pal(args: argparse.Namespace) -> int:
    from physcapy.cli.pal import run_pal

    seconds = _float_arg("--seconds", args.seconds)
    return run_pal(args, seconds, _open(args.bus, args.record))


def _capture_commands(sub: Any) -> None:
    decode = sub.add_parser(
        "decode",
        help="decode MDIO transactions from a logic-analyzer capture",
        description="Decode MDIO from a sigrok .sr, VCD, Saleae CSV or Saleae binary export.",
        epilog="examples:\n  physcapy decode capture.sr\n  physcapy decode trace.vcd --mdc clk "
        "--mdio data --format jsonl\n  physcapy decode export/ --mdc 0 --mdio 1",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    decode.add_argument(
        "capture",
        metavar="CAPTURE",
        help=".sr, .vcd, .csv, a Saleae binary export directory/.bin file, or a session "
        ".jsonl (annotated)",
    )
    decode.add_argument("--mdc", help="MDC channel: name or index (default: the one named MDC)")
    decode.add_argument("--mdio", help="MDIO channel: name or index (default: named MDIO)")
    decode.add_argument(
        "--min-preamble",
        default="1",
        help="fewest preamble ones that start a frame (default 1; sigrok: 17)",
    )
    decode.add_argument(
        "--glitch",
        default="0",
        help="ignore MDC pulses shorter than this many seconds (e.g. 30e-9)",
    )
    decode.add_argument(
        "-o",
        "--output",
        metavar="SESSION.jsonl",
        help="also write the transactions as a session, with the capture's name, SHA-256, "
        "sample rate and channels in its metadata",
    )
    decode.add_argument(
        "--annotate",
        action="store_true",
        help="add register names, decoded fields and driver-sequence notes",
    )
    decode.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="ADDR=MODEL",
        help="with --annotate: the model at an address (default: from its PHYSID reads)",
    )
    _formats(decode, "text", "jsonl", "csv")
    decode.set_defaults(func=_cmd_decode)

    synth = sub.add_parser(
        "synth",
        help="render a session's transactions as a capture file",
        description="Synthesise MDC/MDIO waveforms from transactions (JSON lines) and write "
        "them as .sr, .vcd, Saleae .csv or a Saleae binary export directory.",
        epilog="example:\n  physcapy synth session.jsonl -o out.sr --samplerate 25e6 "
        "--mdc-freq 2.5e6",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    synth.add_argument(
        "session",
        metavar="SESSION.jsonl",
        help="transactions, one JSON object per line (design.md 3.4)",
    )
    synth.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="output: .sr, .vcd, .csv, or a directory for Saleae binary",
    )
    synth.add_argument("--samplerate", default="25e6", help="samples per second (default 25e6)")
    synth.add_argument("--mdc-freq", default="2.5e6", help="MDC frequency in Hz (default 2.5e6)")
    synth.add_argument("--preamble", default="32", help="preamble ones per frame (default 32)")
    synth.set_defaults(func=_cmd_synth)


# ------------------------------------------------------------------------------------------


def _model_args(items: list[str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for item in items:
        from physcapy.registers.models import model  # only when asked: decode must start fast

        addr, sep, name = item.partition("=")
        if not sep or not name:
            raise PhyscapyError(f"--model {item!r} must be ADDR=MODEL (e.g. 1=lan8720a)")
        out[parse_int("--model address", addr, 0, 31)] = model(name).name
    return out


#: Encodings in which ASCII text is its own bytes.
_ASCII_SUPERSETS = {"utf-8", "utf8", "ascii", "us-ascii", "latin-1", "iso-8859-1", "cp1252"}


def _cmd_decode(args: argparse.Namespace) -> int:
    from physcapy.capture.decode import decode_arrays, open_capture, to_transactions

    models = _model_args(args.model)
    if args.model and not args.annotate:
        raise PhyscapyError("--model only applies with --annotate")
    if args.capture.endswith(".jsonl"):
        return _annotate_session(args, models)
    min_pre = parse_int("--min-preamble", args.min_preamble, 0, 64)
    reader = open_capture(args.capture, args.mdc, args.mdio)
    if args.output:
        _RECORDINGS.append(_capture_session(args, reader, models))
    if args.annotate or args.output:
        holder_a: list[Any] = []
        progress_a = _Progress(reader)

        def stream() -> Any:
            writer = _RECORDINGS[-1] if args.output else None
            for arr in decode_arrays(reader, min_pre, holder_a, _glitch_arg(args.glitch)):
                progress_a.update()
                for t in to_transactions(arr):
                    if writer is not None:
                        writer.write(t)
                    yield t

        if args.annotate:
            _print_annotated(stream(), models, args.format)
        else:
            _print_plain(stream(), args.format)
        progress_a.done()
        _report_skips(args, reader, holder_a)
        return 0
    out = sys.stdout
    progress = _Progress(reader)
    holder: list[Any] = []
    glitch = _glitch_arg(args.glitch)
    if args.format == "jsonl":
        _write_jsonl(out, decode_arrays(reader, min_pre, holder, glitch), progress)
    else:

        def stream() -> Any:
            for arr in decode_arrays(reader, min_pre, holder, glitch):
                progress.update()
                yield from to_transactions(arr)

        _print_plain(stream(), args.format)
    progress.done()
    _report_skips(args, reader, holder)
    return 0


def _write_jsonl(out: Any, arrays: Any, progress: _Progress) -> None:
    """Decoded chunks as JSON lines.  Each chunk is formatted on a thread of its own
    (numpy, mostly without the GIL) while the next is decoded; at most two wait, so
    memory stays bounded.  ASCII bytes go straight to the binary stream when the text
    layer would not change them (no newline translation, an ASCII-compatible
    encoding)."""
    from collections import deque

    from physcapy.capture.jsonl import jsonl_bytes
    from physcapy.capture.threads import Task

    raw = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("_", "-")
    if raw is None or os.linesep != "\n" or encoding not in _ASCII_SUPERSETS:
        raw = None
    else:
        out.flush()
    write = raw.write if raw is not None else lambda b: out.write(b.decode("ascii"))
    pending: deque[Task[bytes]] = deque()
    for arr in arrays:
        progress.update()
        pending.append(Task(jsonl_bytes, arr))
        while len(pending) > 2:
            write(pending.popleft().result())
    while pending:
        write(pending.popleft().result())


def _capture_session(args: argparse.Namespace, reader: Any, models: dict[int, str]) -> Any:
    """The session writer for ``decode -o``: the capture described in its metadata."""
    from physcapy.capture.session import SessionMeta, SessionWriter, file_sha256

    path = Path(args.capture)
    capture = {
        "file": path.name,
        "sha256": file_sha256(path) if path.is_file() else None,
        "samplerate": reader.samplerate,
        "channels": {"mdc": reader.channels[reader.mdc], "mdio": reader.channels[reader.mdio]},
        "format": reader.kind,
    }
    source = "physcapy " + " ".join(shlex.quote(a) for a in _ARGV)
    return SessionWriter(args.output, SessionMeta(source=source, capture=capture, models=models))


def _print_plain(transactions: Any, fmt: str) -> None:
    """Transactions as decode prints them: jsonl, csv, or text lines that name the
    Clause 22 standard registers."""
    out = sys.stdout
    names: dict[int, str] = {}
    if fmt == "text":
        from physcapy.registers.models import model

        names = {a: r.name for a, r in model().registers.items()}
    elif fmt == "csv":
        out.write("start,end,clause,op,phy,reg,data,addr,errors\n")
    for t in transactions:
        if fmt == "jsonl":
            out.write(t.to_json() + "\n")
            continue
        if fmt == "csv":
            addr = "" if t.addr is None else str(t.addr)
            out.write(
                f"{t.start!r},{t.end!r},{t.clause},{t.op},{t.phy},{t.reg},"
                f"{t.data},{addr},{' '.join(t.errors)}\n"
            )
            continue
        name = f" ({names[t.reg]})" if t.clause == 22 and t.reg in names else ""
        where = (
            f"PHY {t.phy:2} REG {t.reg:2}{name}"
            if t.clause == 22
            else f"PRTAD {t.phy:2} DEVAD {t.reg:2}"
            + (f" ADDR 0x{t.addr:04x}" if t.addr is not None else " ADDR ?")
        )
        errors = f"  [{', '.join(t.errors)}]" if t.errors else ""
        out.write(f"{t.start:12.7f}  C{t.clause}  {t.op:<8}  {where} = 0x{t.data:04x}{errors}\n")


def _annotate_session(args: argparse.Namespace, models: dict[int, str]) -> int:
    from physcapy.capture.session import iter_session

    meta, transactions = iter_session(args.capture)
    _print_annotated(transactions, {**meta.models, **models}, args.format)
    return 0


def _print_annotated(transactions: Any, models: dict[int, str], fmt: str) -> None:
    from physcapy.registers.values import register_class
    from physcapy.traffic.annotate import Annotator

    annotator = Annotator(dict(models))
    out = sys.stdout
    if fmt == "csv":
        out.write("start,end,clause,op,phy,reg,data,addr,errors,model,register,name,note\n")
    for t in transactions:
        a = annotator(t)
        if fmt == "jsonl":
            out.write(json.dumps(a.to_dict()) + "\n")
        elif fmt == "csv":
            addr = "" if t.addr is None else str(t.addr)
            note = a.note.replace('"', "'")
            out.write(
                f"{t.start!r},{t.end!r},{t.clause},{t.op},{t.phy},{t.reg},{t.data},{addr},"
                f'{" ".join(t.errors)},{a.model or ""},{a.key or ""},{a.name or ""},"{note}"\n'
            )
        else:
            flags = ""
            spec = _annotated_spec(annotator, a)
            if spec is not None and a.fields:
                flags = "  " + register_class(spec)(t.data).flags()
            note = f"  [{a.note}]" if a.note else ""
            name = a.name or "?"
            if a.key and a.key != str(t.reg):
                name += f" {a.key}"
            out.write(f"{t}  {name}{flags}{note}\n")


def _annotated_spec(annotator: Any, a: Any) -> Any:
    m = annotator.model_at(a.transaction.phy)
    from physcapy.registers.models import model

    m = m or model("ieee802.3")
    try:
        return (
            m.register(a.key)
            if a.key and "." in a.key
            else m.register(a.key if a.key else a.transaction.reg)
        )
    except PhyscapyError:
        return None


def _report_skips(args: argparse.Namespace, reader: Any, holder: list[Any]) -> None:
    unit = {"sr": "sample", "vcd": "line", "saleae-csv": "line"}.get(reader.kind, "transition")
    for skip in holder[0].skipped if holder else []:
        print(
            f"physcapy: {args.capture}: {skip.bits} MDC edge(s) from {unit} {skip.position} "
            f"(t={skip.time:.7f} s) do not form a whole frame (the capture begins mid-frame, "
            "or the bus does not look like MDIO)",
            file=sys.stderr,
        )


class _Ticker:
    """A running count on stderr when it is a terminal (work of unknown length)."""

    def __init__(self, what: str, unit: str, total: float | None = None):
        import time

        self.what, self.unit, self.total = what, unit, total
        self.on = sys.stderr.isatty()
        self.last = time.monotonic()

    def update(self, done: float) -> None:
        import time

        if not self.on or time.monotonic() - self.last < 0.5:
            return
        self.last = time.monotonic()
        of = f" of {self.total:g}" if self.total else ""
        sys.stderr.write(f"\r{self.what}: {done:g}{of} {self.unit}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * 60 + "\r")


class _Progress:
    """A progress line on stderr when it is a terminal; silent when piped."""

    def __init__(self, reader: Any):
        import time

        self.reader = reader
        self.on = sys.stderr.isatty()
        self.last = time.monotonic()

    def update(self) -> None:
        import time

        if not self.on or time.monotonic() - self.last < 0.5:
            return
        self.last = time.monotonic()
        fraction = getattr(self.reader, "progress", lambda: None)()
        if fraction is not None:
            sys.stderr.write(f"\rdecoding {self.reader.path.name}: {100 * fraction:5.1f} %")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * 60 + "\r")


def _cmd_synth(args: argparse.Namespace) -> int:
    from physcapy.capture.synth import Timing, write_capture
    from physcapy.errors import CaptureError

    rate = _float_arg("--samplerate", args.samplerate)
    mdc = _float_arg("--mdc-freq", args.mdc_freq)
    from physcapy.capture.session import read_session

    transactions = read_session(args.session).transactions
    if not transactions:
        raise CaptureError(f"{args.session}: holds no transactions")
    timing = Timing(
        samplerate=rate, mdc_hz=mdc, preamble=parse_int("--preamble", args.preamble, 0, 1024)
    )
    write_capture(args.output, transactions, timing)
    print(f"{args.output}: {len(transactions)} transactions at {mdc:g} Hz MDC, {rate:g} samples/s")
    return 0


def _glitch_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PhyscapyError(f"--glitch {text!r} is not a number of seconds (e.g. 30e-9)") from None
    if not 0 <= value < 1e-3:  # also refuses nan; an MDC period is far below 1 ms
        raise PhyscapyError(f"--glitch {value:g} is out of range: allowed 0 (off) up to 1e-3 s")
    return value


def _float_arg(what: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PhyscapyError(f"{what} {text!r} is not a number (e.g. 25e6)") from None
    if not 0 < value < 1e12:
        raise PhyscapyError(f"{what} {value:g} is out of range: allowed above 0")
    return value


def _record_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--record",
        metavar="FILE",
        help="also write every MDIO transaction to FILE as a session (JSON Lines)",
    )


#: Session writers opened by --record, closed when the command ends.
_RECORDINGS: list[Any] = []
#: The arguments of the command being run (a session's "source").
_ARGV: list[str] = []


def _open(url: str, record: str | None = None) -> Any:
    from physcapy.bus import open_bus

    bus = open_bus(url)
    if record:
        source = "physcapy " + " ".join(shlex.quote(a) for a in _ARGV)
        _RECORDINGS.append(bus.record(record, source=source))
    return bus


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
        print(
            f"physcapy: the read of PHY {phy} {target.name} was not answered: nothing written",
            file=sys.stderr,
        )
        return watch.verdict(phy, via)
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
        _print_json(
            {
                "phy": phy,
                "model": m.name,
                "registers": [
                    {k: v for k, v in _reg_json(phy, t, value).items() if k != "phy"}
                    | {"name": t.name}
                    for t, value in regs
                ],
            }
        )
        return watch.verdict(phy)
    ident = f" (phy_id 0x{m.phy_id:08x})" if m.phy_id is not None else ""
    print(f"PHY {phy}: {m.name}{ident}, {m.title}")
    for t, value in regs:
        assert t.spec is not None
        decoded = display.summary(register_class(t.spec)(value))
        print(f"  {t.key:>9}  {t.name:<16} 0x{value:04x}  {decoded}")
    return watch.verdict(phy)


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


def _cmd_shell(args: argparse.Namespace) -> int:
    from physcapy.shell.launch import start_shell

    return start_shell(getattr(args, "bus", "sim://"))


def _cmd_regs_decode(args: argparse.Namespace) -> int:
    from physcapy.registers.values import register

    value = register(args.reg, model=args.model)
    raw = parse_int(f"{value.spec.name} value", args.value, 0, 0xFFFF)
    value = type(value)(raw)
    if args.format == "json":
        _print_json(value.to_json())
    elif args.style == "flags":
        print(f"{value.spec.name} 0x{raw:04x}: {value.flags()}")
    elif args.style == "mii-dump":
        print(value.mii_dump())
    else:
        print(value.table())
    return 0


def _cmd_regs_list(args: argparse.Namespace) -> int:
    from physcapy.registers.models import model

    m = model(args.model)
    regs = list(m.all_registers())
    if args.format == "json":
        _print_json(
            {
                "model": m.name,
                "title": m.title,
                "source": m.source,
                "phy_id": m.phy_id,
                "phy_id_mask": m.phy_id_mask,
                "registers": [
                    {
                        "address": r.address if r.devad is None and r.page is None else r.key,
                        "name": r.name,
                        "title": r.title,
                        "reset": r.reset,
                        "fields": [
                            {
                                "bits": f.bits,
                                "name": f.name,
                                "access": f.access,
                                "description": f.desc,
                                **(
                                    {"enum": {str(k): v for k, v in f.enum.items()}}
                                    if f.enum
                                    else {}
                                ),
                            }
                            for f in r.named_fields
                        ],
                    }
                    for r in regs
                ],
            }
        )
        return 0
    ident = f", phy_id 0x{m.phy_id:08x} mask 0x{m.phy_id_mask:08x}" if m.phy_id is not None else ""
    print(f"{m.name}: {m.title}{ident}")
    print(f"source: {m.source}")
    for r in regs:
        print(f"  {r.key:>10}  {r.name:<16} reset 0x{r.reset:04x}  {r.title}")
    return 0


def _cmd_regs_models(args: argparse.Namespace) -> int:
    from physcapy.registers.models import all_models

    models = all_models()
    if args.format == "json":
        _print_json(
            [
                {
                    "name": m.name,
                    "title": m.title,
                    "kind": m.kind,
                    "aliases": m.aliases,
                    "phy_id": m.phy_id,
                    "phy_id_mask": m.phy_id_mask,
                    "source": m.source,
                    "pack": m.pack,
                }
                for m in models
            ]
        )
        return 0
    for m in models:
        ident = f"0x{m.phy_id:08x}/0x{m.phy_id_mask:08x}" if m.phy_id is not None else "standard"
        pack = "" if m.pack == "physcapy" else f"  [pack {m.pack}]"
        print(f"  {m.name:<18} {ident:<23} {m.title}{pack}")
    return 0


def _cmd_frame_build(args: argparse.Namespace) -> int:
    from physcapy.mdio.frames import Frame, c45_frames, c45_over_c22_frames, op_name

    phy = parse_int("PHYAD" if args.clause == 22 else "PRTAD", args.phy, 0, 31)
    reg = _frame_reg(args.clause, args.reg, args.mmd_reg is not None and args.via_c22)
    data = parse_int("DATA", args.data, 0, 0xFFFF)
    preamble = parse_int("preamble", args.preamble, 0, 4096)
    ta = parse_int("TA", args.ta, 0, 3) if args.ta is not None else 0b10
    frames: list[Frame]
    if args.mmd_reg is not None:
        if args.via_c22:
            frames = c45_over_c22_frames(args.op, phy, reg, args.mmd_reg, data, args.function)
        elif args.clause != 45:
            raise PhyscapyError(
                "--mmd-reg needs --clause 45 (native) or --via-c22 (through registers 13/14)"
            )
        else:
            frames = c45_frames(args.op, phy, reg, args.mmd_reg, data)
        frames = [Frame(f.clause, f.op, f.phy, f.reg, f.data, ta, preamble) for f in frames]
    else:
        frames = [Frame(args.clause, op_name(args.clause, args.op), phy, reg, data, ta, preamble)]
    _emit_frames(frames, args.format)
    return 0


def _frame_reg(clause: int, text: str, devad: bool) -> int:
    """REGAD (a Clause 22 number or name) or DEVAD (a number or MMD name)."""
    from physcapy.errors import UnknownNameError
    from physcapy.registers.models import MMD_NAMES, model

    try:
        return parse_int("DEVAD" if clause == 45 or devad else "REGAD", text, 0, 31)
    except PhyscapyError:
        if any(c.isalpha() for c in text) and not text.lower().startswith("0x"):
            if clause == 45 or devad:
                for number, name in MMD_NAMES.items():
                    if name == text.upper():
                        return number
                raise UnknownNameError("MMD name", text, MMD_NAMES.values()) from None
            return model().register(text).address
        raise


def _emit_frames(frames: list[Any], fmt: str) -> None:
    if fmt == "json":
        _print_json([_frame_json(f) for f in frames] if len(frames) > 1 else _frame_json(frames[0]))
        return
    for f in frames:
        if fmt == "bits":
            print(f.bits())
        elif fmt == "hex":
            print(f.wire_bytes().hex() if f.preamble % 8 == 0 else f.to_bytes().hex())
        elif fmt == "scapy":
            print(_scapy_packet(f).command())
        else:
            print(f"{f}")
            print(f"  bits  {_grouped_bits(f)}")
            hex_text = f.wire_bytes().hex() if f.preamble % 8 == 0 else f.to_bytes().hex()
            print(f"  hex   {hex_text}")
            print(f"  scapy {_scapy_packet(f).summary()}")


def _scapy_packet(f: Any) -> Any:
    from physcapy.mdio.scapy import MDIO

    return MDIO(f.to_bytes())


def _grouped_bits(f: Any) -> str:
    word = format(f.word, "032b")
    parts = ["1" * f.preamble] if f.preamble else []
    parts += [word[0:2], word[2:4], word[4:9], word[9:14], word[14:16], word[16:]]
    return " ".join(parts)


def _frame_json(f: Any) -> dict[str, Any]:
    return {
        "clause": f.clause,
        "op": f.op,
        "phy": f.phy,
        "reg": f.reg,
        "data": f.data,
        "ta": f"{f.ta:02b}",
        "ta_ok": f.ta_ok,
        "preamble": f.preamble,
        "bits": f.bits(),
        "hex": f.to_bytes().hex(),
    }


def _cmd_frame_parse(args: argparse.Namespace) -> int:
    from physcapy.mdio.frames import Frame
    from physcapy.registers.values import register

    text = args.frame.strip().replace("_", "").replace(" ", "")
    low = text.lower()
    if low.startswith("0b") or (len(text) >= 32 and set(text) <= {"0", "1"}):
        frame = Frame.from_bits(text)
    else:
        digits = low[2:] if low.startswith("0x") else low
        try:
            raw = bytes.fromhex(digits)
        except ValueError:
            raise PhyscapyError(
                f"frame {args.frame!r} is neither bits (0b..., 32 or more 0/1) "
                "nor hex bytes (8 hex digits, or more with ff preamble)"
            ) from None
        frame = Frame.from_bytes(raw)
    decoded = None
    if frame.clause == 22:
        try:
            decoded = register(frame.reg, frame.data, model=args.model)
        except PhyscapyError:
            decoded = None  # a vendor register the model does not describe: data stays raw
    if args.format == "json":
        out = _frame_json(frame)
        if decoded is not None:
            out["register"] = decoded.to_json()
        _print_json(out)
        return 0
    print(frame)
    print(f"  bits  {_grouped_bits(frame)}")
    if not frame.ta_ok:
        print(f"  turnaround {frame.ta:02b}: no PHY drove the second turnaround bit low")
    if decoded is not None:
        print("\n".join("  " + line for line in decoded.table().splitlines()))
    return 0


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=None if isinstance(obj, list) else 2))


def _run_script(argv: list[str]) -> int:
    """``physcapy -c CODE [--bus URL]`` and ``physcapy SCRIPT.py [--bus URL]``."""
    from physcapy.shell.launch import run_code

    words = list(argv)
    bus = "sim://"
    if "--bus" in words:
        i = words.index("--bus")
        if i + 1 >= len(words):
            print("physcapy: error: --bus needs a URL", file=sys.stderr)
            return 2
        bus = words[i + 1]
        del words[i : i + 2]
    try:
        if words[0] == "-c":
            if len(words) < 2:
                print("physcapy: error: -c needs the code to run", file=sys.stderr)
                return 2
            return run_code(words[1], "<string>", bus)
        try:
            code = open(words[0], encoding="utf-8").read()  # noqa: SIM115
        except OSError as exc:
            print(f"physcapy: error: {words[0]}: {exc.strerror}", file=sys.stderr)
            return 2
        return run_code(code, words[0], bus)
    except NoAnswerError as exc:
        print(f"physcapy: {exc}", file=sys.stderr)
        return 1
    except PhyscapyError as exc:
        print(f"physcapy: error: {exc}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    _ARGV[:] = list(sys.argv[1:] if argv is None else argv)
    words = list(_ARGV)
    if words[:1] == ["--bus"]:  # physcapy --bus URL -c CODE / SCRIPT.py
        words = words[2:] + words[:2]
    if words and (words[0] == "-c" or words[0].endswith(".py")):
        return _run_script(words)
    if len(words) == 1 and "://" in words[0]:  # physcapy URL: the shell on that bus
        words = ["shell", words[0]]
        argv = words
    seen = list(sys.argv[1:] if argv is None else argv)  # what parse_args reads
    parser = build_parser(seen[0] if seen and not seen[0].startswith("-") else None)
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = _cmd_shell
    try:
        return int(args.func(args))
    except NoAnswerError as exc:  # a negative result, not bad input
        print(f"physcapy: {exc}", file=sys.stderr)
        return 1
    except PhyscapyError as exc:
        print(f"physcapy: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `physcapy regs list | head`
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        while _RECORDINGS:
            _RECORDINGS.pop().close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
