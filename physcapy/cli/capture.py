# SPDX-License-Identifier: GPL-2.0-only
"""The commands on capture files: decode (plain, annotated, to a session), synth and
timing."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from physcapy.cli.common import (
    _ARGV,
    _RECORDINGS,
    _float_arg,
    _formats,
    _glitch_arg,
    _model_args,
    _print_json,
    _Progress,
    _session_input,
)
from physcapy.errors import PhyscapyError, parse_int


def add_parsers(sub: Any) -> None:
    """Add the decode, synth and timing subcommands to ``sub`` (``build_parser``'s)."""
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
    synth.add_argument("--duty", default="0.5", help="fraction of MDC's period high (0.2-0.8)")
    margins = synth.add_mutually_exclusive_group()
    margins.add_argument(
        "--setup",
        help="seconds the STA's MDIO is set up before each MDC rise (default: "
        "it changes one sample after the fall)",
    )
    margins.add_argument("--hold", help="seconds the STA's MDIO is held after each MDC rise")
    synth.add_argument(
        "--phy-delay", help="seconds after an MDC rise the PHY changes MDIO (default 1.5 samples)"
    )
    synth.add_argument("--jitter", default="0", help="+- fraction each MDC period varies (0-0.3)")
    synth.set_defaults(func=_cmd_synth)

    timing = sub.add_parser(
        "timing",
        help="check a capture's MDC/MDIO timing against IEEE 802.3 22.3.4",
        description="Measure MDC frequency, high and low times, duty and jitter, preambles "
        "and idle gaps, STA setup and hold at every STA-driven MDC rise, the PHY's output "
        "delay of every bit it drives and the turnaround, and check each 22.3.4 limit. "
        "Every figure carries the capture's resolution: a limit the resolution cannot "
        "decide is 'not resolvable', never passed or failed. Exit status 1 when a check "
        "fails.",
        epilog="examples:\n  physcapy timing capture.sr\n  physcapy timing sim.vcd --mdc clk "
        "--mdio data --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    timing.add_argument("capture", metavar="CAPTURE", help=".sr, .vcd, Saleae .csv or export")
    timing.add_argument("--mdc", help="MDC channel: name or index (default: the one named MDC)")
    timing.add_argument("--mdio", help="MDIO channel: name or index (default: named MDIO)")
    _formats(timing, "text", "json")
    timing.set_defaults(func=_cmd_timing)


#: Encodings in which ASCII text is its own bytes.
_ASCII_SUPERSETS = {"utf-8", "utf8", "ascii", "us-ascii", "latin-1", "iso-8859-1", "cp1252"}


def _cmd_decode(args: argparse.Namespace) -> int:
    from physcapy.capture.decode import decode_arrays, open_capture, to_transactions

    models = _model_args(args.model)
    if args.model and not args.annotate:
        raise PhyscapyError("--model only applies with --annotate")
    if args.output is not None:  # before anything is read or written
        from physcapy.capture.files import check_output

        check_output(args.output, "-o", inputs=(args.capture,))
    if args.capture.endswith(".jsonl"):
        _no_channels(args, args.capture)
        if args.output is not None:
            raise PhyscapyError(
                f"-o writes a capture's transactions as a session; {args.capture} is a "
                "session already (copy it, or decode a capture)"
            )
        _session_input(args.capture)
        return _annotate_session(args, models)
    min_pre = parse_int("--min-preamble", args.min_preamble, 0, 64)
    reader = open_capture(args.capture, args.mdc, args.mdio)
    if args.output is not None:
        _RECORDINGS.append(_capture_session(args, reader, models))
    if args.annotate or args.output is not None:
        holder_a: list[Any] = []
        progress_a = _Progress(reader)

        def stream() -> Any:
            writer = _RECORDINGS[-1] if args.output is not None else None
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
    """Decoded chunks as JSON lines.  One thread both decodes the chunks and formats
    them (numpy, mostly without the GIL), a chunk or two ahead of the writes here, so
    memory stays bounded.  One thread rather than one per chunk: each chunk's rows are
    formatted while they are still in that core's cache, and a new thread per chunk
    made malloc hand out fresh memory (an arena per thread) whose every page faulted
    (dense 72 M-sample capture: ~50 ms less CPU, ~20 ms less time).  ASCII bytes go
    straight to the binary stream when the text layer would not change them (no
    newline translation, an ASCII-compatible encoding)."""
    import threading

    from physcapy.capture.jsonl import jsonl_buffer, prepare
    from physcapy.capture.threads import prefetch

    raw = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("_", "-")
    if raw is None or os.linesep != "\n" or encoding not in _ASCII_SUPERSETS:
        raw = None
    else:
        out.flush()
    write = raw.write if raw is not None else lambda b: out.write(str(b, "ascii"))
    # The formatting tables are made while the first chunk is read and decoded.
    threading.Thread(target=prepare, name="physcapy-jsonl-tables", daemon=True).start()
    for data in prefetch(map(jsonl_buffer, arrays)):
        progress.update()
        write(data)


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


def _no_channels(args: argparse.Namespace, session: str) -> None:
    """--mdc/--mdio pick a capture's channels; given with a session they would be ignored."""
    for option, value in (("--mdc", args.mdc), ("--mdio", args.mdio)):
        if value is not None:
            raise PhyscapyError(
                f"{option} {value} chooses a capture's channel; {session} is a session, "
                "which has none"
            )


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
    decoder = holder[0] if holder else None
    sync = decoder.synced_by if decoder else None
    for skip in decoder.skipped if decoder else []:
        if skip.ambiguous:
            why = (
                "alignments at "
                + ", ".join(f"{unit} {p}" for p in skip.ambiguous)
                + " each parse as many frames in a row and never meet, so none is guessed"
            )
        elif sync is not None and sync.how == "alignment" and skip.position < sync.position:
            why = "they come before the first frame every plausible alignment agrees on"
        else:
            why = "the capture begins mid-frame, or the bus does not look like MDIO"
        print(
            f"physcapy: {args.capture}: {skip.bits} MDC edge(s) from {unit} {skip.position} "
            f"(t={skip.time:.7f} s) do not form a whole frame ({why})",
            file=sys.stderr,
        )
    if sync is not None and sync.how == "alignment":
        # IEEE 802.3 22.2.4.5.3: preamble suppression on a continuously clocked bus.
        print(
            f"physcapy: {args.capture}: no idle gap or 17-one preamble before {unit} "
            f"{sync.position} (t={sync.time:.7f} s): frames aligned there, where "
            f"{sync.frames} consecutive frames parse (valid ST/OP and turnaround, idle "
            f"ones between frames) and {sync.alternatives} other alignment(s) meet",
            file=sys.stderr,
        )


def _fraction(what: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PhyscapyError(f"{what} {text!r} is not a number (e.g. 0.5)") from None
    if not low <= value <= high:
        raise PhyscapyError(f"{what} {value:g} is out of range: allowed {low:g}-{high:g}")
    return value


def _cmd_timing(args: argparse.Namespace) -> int:
    from physcapy.capture.decode import open_capture
    from physcapy.capture.timing import timing

    reader = open_capture(args.capture, args.mdc, args.mdio)
    try:
        report = timing(reader)
    finally:
        reader.close()
    if args.format == "json":
        _print_json(report.to_json())
    else:
        print(report.text())
    return 1 if any(c.verdict == "fail" for c in report.checks.values()) else 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from physcapy.capture.synth import Timing, write_capture
    from physcapy.errors import CaptureError

    # 100 GHz: beyond any logic analyzer; 1 GHz: far beyond any MDC (IEEE 802.3 asks
    # 2.5 MHz at most; adapters reach tens of MHz).
    rate = _float_arg("--samplerate", args.samplerate, 1e11)
    mdc = _float_arg("--mdc-freq", args.mdc_freq, 1e9)
    from physcapy.capture.files import check_output
    from physcapy.capture.session import iter_session

    _session_input(args.session)
    out = check_output(args.output, "-o", inputs=(args.session,), folder=True)
    if out.exists() and not (out.is_file() or out.is_dir()):
        raise PhyscapyError(f"-o {args.output} is a device or pipe: a capture is written to a file")
    duty = _fraction("--duty", args.duty, 0.2, 0.8)
    sta_delay = None
    period = 1.0 / mdc
    if args.setup is not None:
        sta_delay = (1 - duty) * period - _float_arg("--setup", args.setup, period)
    elif args.hold is not None:
        sta_delay = _float_arg("--hold", args.hold, period) - duty * period
    phy_delay = (
        None if args.phy_delay is None else _float_arg("--phy-delay", args.phy_delay, period)
    )
    timing = Timing(
        samplerate=rate,
        mdc_hz=mdc,
        preamble=parse_int("--preamble", args.preamble, 0, 1024),
        duty=duty,
        sta_delay=sta_delay,
        phy_delay=phy_delay,
        jitter=_fraction("--jitter", args.jitter, 0.0, 0.3),
    )
    # Streamed: a session of millions of transactions is rendered in bounded memory.
    _, transactions = iter_session(args.session)
    first = next(transactions, None)
    if first is None:
        raise CaptureError(f"{args.session}: holds no transactions")
    written = write_capture(args.output, itertools.chain([first], transactions), timing)
    print(
        f"{args.output}: {written.transactions} transactions at {mdc:g} Hz MDC, {rate:g} samples/s"
    )
    return 0
