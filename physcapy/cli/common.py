# SPDX-License-Identifier: GPL-2.0-only
"""What the command groups share: the --format and --record options, argument checks,
progress lines on stderr, opening the bus, JSON output, and the state of the command
being run (its arguments, the sessions --record opened).

The names keep their underscore: they belong to the command line, not to the API.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from typing import Any

from physcapy.errors import PhyscapyError, parse_int

_BUS_HELP = "bus URL: sim://, sim://lan8720a@1?partner=none, ftdi://..., linux://eth0"


def _formats(parser: argparse.ArgumentParser, *choices: str) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format (default {choices[0]})",
    )


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

    if record is not None:  # checked before the bus is opened; '' is no file name
        from physcapy.capture.files import check_output

        check_output(record, "--record")
    bus = open_bus(url)
    if record is not None:
        source = "physcapy " + " ".join(shlex.quote(a) for a in _ARGV)
        _RECORDINGS.append(bus.record(record, source=source))
    return bus


def _session_input(path: str) -> None:
    """A session to read: a regular file, or a FIFO (a stream), said so on stderr, as
    reading one waits for its writer."""
    import stat

    from physcapy.capture.files import check_input

    if stat.S_ISFIFO(check_input(path, "a session", stream=True).stat().st_mode):
        print(f"physcapy: reading {path} from a pipe: waiting for its writer", file=sys.stderr)


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=None if isinstance(obj, list) else 2))


def _model_args(items: list[str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for item in items:
        from physcapy.registers.models import model  # only when asked: decode must start fast

        addr, sep, name = item.partition("=")
        if not sep or not name:
            raise PhyscapyError(f"--model {item!r} must be ADDR=MODEL (e.g. 1=lan8720a)")
        out[parse_int("--model address", addr, 0, 31)] = model(name).name
    return out


def _glitch_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PhyscapyError(f"--glitch {text!r} is not a number of seconds (e.g. 30e-9)") from None
    if not 0 <= value < 1e-3:  # also refuses nan; an MDC period is far below 1 ms
        raise PhyscapyError(f"--glitch {value:g} is out of range: allowed 0 (off) up to 1e-3 s")
    return value


def _float_arg(what: str, text: str, high: float) -> float:
    """A positive number up to ``high``; the message quotes the real range."""
    try:
        value = float(text)
    except ValueError:
        raise PhyscapyError(f"{what} {text!r} is not a number (e.g. 25e6)") from None
    if not 0 < value <= high:  # also refuses nan
        raise PhyscapyError(f"{what} {value:g} is out of range: allowed above 0 up to {high:g}")
    return value


class _Ticker:
    """A running count on stderr when it is a terminal (work of unknown length)."""

    def __init__(self, what: str, unit: str):
        import time

        self.what, self.unit = what, unit
        self.on = sys.stderr.isatty()
        self.last = time.monotonic()

    def update(self, done: float) -> None:
        import time

        if not self.on or time.monotonic() - self.last < 0.5:
            return
        self.last = time.monotonic()
        sys.stderr.write(f"\r{self.what}: {done:g} {self.unit}")
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
        fraction = self.reader.progress()  # CaptureReader.progress: None when unknown
        if fraction is not None:
            sys.stderr.write(f"\rdecoding {self.reader.path.name}: {100 * fraction:5.1f} %")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * 60 + "\r")
