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
import contextlib
import os
import stat
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from physcapy._version import __version__
from physcapy.cli.common import _ARGV, _RECORDINGS
from physcapy.errors import NoAnswerError, PhyscapyError, one_line

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
    **dict.fromkeys(["decode", "synth", "timing"], "capture"),
    "pal": "pal",
    **dict.fromkeys(["replay", "diff"], "traffic"),
    **dict.fromkeys(["regs", "frame"], "regs"),
    "sigrok": "sigrok",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit status 2."""

    #: Whether --help lists the installed bus URL schemes (the top-level parser).
    list_schemes = False

    def error(self, message: str) -> NoReturn:
        # "physcapy: error: read: ..." as every other error, the command named after it.
        command = self.prog.partition(" ")[2]
        where = f"{command}: " if command else ""
        self.exit(2, f"physcapy: error: {where}{one_line(message)} (see {self.prog} --help)\n")

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
    if group in (None, "sigrok"):
        from physcapy.cli import sigrok

        sigrok.add_parsers(sub)


def _run_script(argv: list[str]) -> int:
    """``physcapy -c CODE [--bus URL]`` and ``physcapy SCRIPT.py [--bus URL]``."""
    from physcapy.shell.launch import run_code

    words = list(argv)
    bus = "sim://"
    if "--bus" in words:
        i = words.index("--bus")
        if i + 1 >= len(words):
            return _fail("--bus needs a URL")
        bus = words[i + 1]
        del words[i : i + 2]
    try:
        if words[0] == "-c":
            if len(words) < 2:
                return _fail("-c needs the code to run")
            return _guarded(lambda: run_code(words[1], "<string>", bus))
        return _guarded(lambda: run_code(_script(words[0]), words[0], bus))
    except PhyscapyError as exc:
        return _fail(str(exc))


def _script(path: str) -> str:
    """The text of ``physcapy SCRIPT.py``: a regular UTF-8 file."""
    from physcapy.capture.files import check_input

    check_input(path, "a script")
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise PhyscapyError(f"{path}: {exc.strerror}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PhyscapyError(f"{path}:{line}: not UTF-8 text: a script must be UTF-8") from None


def _fail(message: str) -> int:
    print(f"physcapy: error: {one_line(message)}", file=sys.stderr)
    return 2


def _guarded(run: Callable[[], int]) -> int:
    """Run a command: physcapy's errors as one line, output errors too, Ctrl-C quietly.
    The sessions --record and -o opened are kept when the command ran to its end (also
    with a negative result, exit 1) and discarded when it failed."""
    try:
        try:
            status = int(run())
        except NoAnswerError as exc:  # a negative result, not bad input
            _finish_recordings()
            print(f"physcapy: {one_line(str(exc))}", file=sys.stderr)
            return 1
        _finish_recordings()  # a full disk shows here, as exit 2
        sys.stdout.flush()  # and here for stdout, not at exit
        return status
    except PhyscapyError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # `physcapy regs list | head`
        _quiet_stdout()
        try:  # the reader had enough; what was recorded until then is kept
            _finish_recordings()
        except PhyscapyError as exc:
            return _fail(str(exc))
        return 0
    except OSError as exc:  # writing the output (stdout to /dev/full, a vanished folder)
        _quiet_stdout()
        where = f"{exc.filename}: " if exc.filename else "output: "
        return _fail(f"{where}cannot write: {exc.strerror or exc}")
    except KeyboardInterrupt:
        return 130
    finally:
        while _RECORDINGS:  # left over: the command failed
            _RECORDINGS.pop().abort()


def _finish_recordings() -> None:
    while _RECORDINGS:
        _RECORDINGS.pop().close()


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):  # no real stdout (in-process tests)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


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
    if args.command not in (None, "shell"):
        _tune_for_numpy_work(
            getattr(args, "capture", None) if args.command in _FILE_COMMANDS else None
        )
    _COMMAND[:] = [args.command or "shell"]
    return _guarded(lambda: args.func(args))


#: The command main() ran last (for run()).
_COMMAND: list[str] = []
#: Commands that only read files and write their output: once that is flushed, nothing
#: is left for the interpreter's teardown to do.
_FILE_COMMANDS = ("decode", "timing")


def run() -> NoReturn:
    """The ``physcapy`` program: :func:`main`, then exit with its status.

    After ``decode`` and ``timing`` the process ends without the interpreter's teardown:
    with numpy loaded, freeing every module and object takes ~18 ms, 8 % of decoding
    a dense 72 M-sample capture, and a file command has nothing left to release (its
    output is flushed here, its threads are done, no exit handler was registered; if
    one was, the normal exit runs it).
    """
    status = main()
    if _COMMAND[-1:] and _COMMAND[-1] in _FILE_COMMANDS:
        import atexit

        handlers = getattr(atexit, "_ncallbacks", lambda: 1)()  # CPython; else assume some
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            handlers = 1  # let the normal exit report or ignore it as it always does
        if not handlers:
            os._exit(status)
    sys.exit(status)


def _tune_for_numpy_work(capture: str | None = None) -> None:
    """Tune the process for a command's numpy work; it does no linear algebra.

    * OpenBLAS is kept to the calling thread.  numpy's wheels load it at ``import
      numpy``, which starts a worker thread per core that busy-waits for work for a
      while (measured here: ``import numpy`` takes 0.13 s instead of 0.07 s, and the
      spinning thread takes a core from the decode pipeline).  The variable is set
      before numpy is first imported; a value the user set is kept, and the shell,
      where users may do linear algebra, is left alone.
    * glibc's malloc keeps freed blocks of up to 32 MiB for reuse instead of handing
      them back to the kernel (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD): a capture is
      decoded in blocks of the same few sizes, and each fresh block costs a page fault
      per 4 KiB (~20 % fewer faults and ~3 % less time on a dense 72 M-sample capture).
    * For a ``capture`` file of a MiB or more (decode, timing), the heap the pipeline
      will hold is faulted in on a thread while numpy is still being imported, which
      uses one core only (see :func:`_warm_heap`).

    Elsewhere (macOS, musl) the malloc settings do nothing.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # numpy imports it too

    libc = ctypes.CDLL(None)
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return
    mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: glibc's largest allowed value
    mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
    if capture is not None and _capture_bytes(capture) >= _WARM_FROM:
        mallopt(-8, 1)  # M_ARENA_MAX: the pipeline's threads share the warmed arena
        _warm_heap(libc, _PIPELINE_HEAP)


#: Heap the decode pipeline holds at once on a busy capture: its 2 MiB sample blocks
#: and their temporaries, the edges queued between the threads (each 2 MiB block of
#: a dense capture has ~200,000 edges, 1.9 MB as positions and bits) and the frame
#: finder's and formatter's arrays.  Measured: 41 MB above the imports' 34 MB at the
#: peak of a dense 72 M-sample decode; a sparse one holds less.
_PIPELINE_HEAP = 32 << 20
#: Captures smaller than this file size are not worth warming for.
_WARM_FROM = 1 << 20


def _capture_bytes(capture: str) -> int:
    """The capture file's size, 0 for a session, a folder or a missing file (whose
    error the command reports)."""
    if capture.endswith(".jsonl"):
        return 0
    try:
        info = os.stat(capture)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def _warm_heap(libc: Any, size: int) -> None:
    """Fault in ``size`` bytes of malloc's heap on a background thread, then free them.

    A command's first use of each 4 KiB page costs a page fault (~1.5 us, with the
    kernel clearing the page): a dense capture's decode takes ~11,000 of them while
    both cores are busy.  Here they are taken on the core that is idle while the main
    thread imports numpy (~60 ms, one core), and the freed bytes stay in the arena
    (M_TRIM_THRESHOLD) for the pipeline's threads, which share it (M_ARENA_MAX 1).
    Pieces of 16 MiB stay below M_MMAP_THRESHOLD, so they come from the heap rather
    than from mappings that free() would hand back.  ``ctypes.memset`` releases the
    GIL, so the imports go on meanwhile.
    """
    import ctypes
    import threading

    malloc, free = libc.malloc, libc.free
    malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    free.restype, free.argtypes = None, [ctypes.c_void_p]
    piece = 16 << 20

    def warm() -> None:
        pieces = [malloc(piece) for _ in range(size // piece)]
        for p in pieces:
            if p:
                ctypes.memset(p, 0, piece)
        for p in pieces:
            free(p)

    threading.Thread(target=warm, name="physcapy-heap-warmup", daemon=True).start()


if __name__ == "__main__":  # pragma: no cover
    run()
