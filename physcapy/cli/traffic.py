# SPDX-License-Identifier: GPL-2.0-only
"""The commands on recorded traffic: replay (against a bus) and diff (two recordings)."""

from __future__ import annotations

import argparse
from typing import Any

from physcapy.cli.common import (
    _BUS_HELP,
    _formats,
    _model_args,
    _open,
    _print_json,
    _session_input,
    _Ticker,
)
from physcapy.errors import PhyscapyError, parse_int


def add_parsers(sub: Any) -> None:
    """Add the replay and diff subcommands to ``sub`` (``build_parser``'s)."""
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

        for option, value in (("--mdc", mdc), ("--mdio", mdio)):
            if value is not None:
                raise PhyscapyError(
                    f"{option} {value} chooses a capture's channel; {path} is a session, "
                    "which has none"
                )
        _session_input(path)
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
