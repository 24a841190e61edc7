# SPDX-License-Identifier: GPL-2.0-only
"""The ``physcapy`` command line (design.md §3.3).

Exit status: 0 on success, 2 on bad input with a one-line error and no traceback.
This module parses and dispatches; the commands live in one module per group (bus,
capture, pal, traffic, regs), sharing the helpers of common.

    $ physcapy regs decode BMSR 0x796D
    $ physcapy regs decode 0x1f 0x1058 --model lan8720a --format json
    $ physcapy frame build --op write --phy 3 --reg BMCR --data 0x9140
    $ physcapy frame parse 0xffffffff6086796d
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from physcapy._version import __version__
from physcapy.cli.common import _ARGV, _RECORDINGS
from physcapy.errors import NoAnswerError, PhyscapyError

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

#: The module of each subcommand.  Only the module of the subcommand on the command
#: line is imported: without .pyc files to load (PYTHONDONTWRITEBYTECODE) compiling
#: the others costs ~5 ms of each start.  A name missing here, or under the wrong
#: module, costs that time, not correctness: every module is then imported.
_GROUPS = {
    **dict.fromkeys(["shell", "read", "write", "modify", "dump", "scan", "bench"], "bus"),
    **dict.fromkeys(["decode", "synth"], "capture"),
    "pal": "pal",
    **dict.fromkeys(["replay", "diff"], "traffic"),
    **dict.fromkeys(["regs", "frame"], "regs"),
}


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
    _add_parsers(sub, _GROUPS.get(only) if only is not None else None)
    if only is not None and not sub.found:
        return build_parser()  # not a subcommand: argparse lists the ones there are
    return parser


def _add_parsers(sub: Any, group: str | None) -> None:
    """The subcommands of one group module, or of all of them (group None) in the order
    --help lists them.  Each module adds the subcommands _GROUPS says it does:

    >>> def names(group: str | None) -> list[str]:
    ...     sub = _OnlyCommand(argparse.ArgumentParser().add_subparsers(), None)
    ...     _add_parsers(sub, group)
    ...     return list(sub.sub.choices)
    >>> names(None) == list(_GROUPS)
    True
    >>> all(names(group) == [n for n, g in _GROUPS.items() if g == group]
    ...     for group in set(_GROUPS.values()))
    True
    """
    if group in (None, "bus"):
        from physcapy.cli import bus

        bus.add_parsers(sub)
    if group in (None, "capture"):
        from physcapy.cli import capture

        capture.add_parsers(sub)
    if group in (None, "pal"):
        from physcapy.cli import pal

        pal.add_parsers(sub)
    if group in (None, "traffic"):
        from physcapy.cli import traffic

        traffic.add_parsers(sub)
    if group in (None, "regs"):
        from physcapy.cli import regs

        regs.add_parsers(sub)


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
        from physcapy.cli.bus import _cmd_shell

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
