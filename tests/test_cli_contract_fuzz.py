# SPDX-License-Identifier: GPL-2.0-only
"""The command line's error contract, driven with generated bad arguments (issue 15).

For every subcommand a grammar of plausible-but-wrong input: numbers out of range or
malformed, unknown register and model names, bad DEVAD.REG, bad bus URLs (unknown
scheme, model, address or option, 10,000 characters long, control characters), garbage
capture and session files, bad option values and missing arguments.  One slot of a valid
command is spoiled at a time (test_the_grammars_start_from_valid_commands checks the
unspoiled commands work), so each generated command is bad input for one known reason,
and the contract for bad input is:

* exit status 2 (1 is for "no answer" and "differences found" only), no traceback;
* exactly one line on stderr, starting ``physcapy: error: ``, naming the bad value;
* nothing on stdout, but for a streamed session whose fault is found mid-file (what
  came before it is printed; the error names FILE:LINE);
* no raw control characters in that line, and a bounded length: a 10,000-character
  value is cut when echoed.

The cases run in-process (the ``cli`` fixture) with Hypothesis, derandomized so every run
tries the same commands; a handful run the real entry point in a child process.  Each
test collects every violation over all its examples and then fails once with the whole
list, grouped by what went wrong, so one run shows every distinct failure.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import shlex
import signal
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tests.conftest import ROOT, SHARED, need, run_physcapy

PREFIX = "physcapy: error: "
MAX_LINE = 1000  # any error line; the longest today list ~40 choices in ~600 characters
MAX_LONG_URL_LINE = 500  # the line for a 10,000-character bus URL
MAX_ECHO = 200  # consecutive characters of a 10,000-character value echoed back
LONG = 10_000
TIMEOUT = 10.0  # seconds for one in-process command: bad input is refused at once
EXAMPLES = 60  # generated commands per grammar, on top of the explicit ones

CAPTURES = SHARED / "captures"
CAPTURE = CAPTURES / "lan8720a_read_write_read.sr"  # 2,500 samples: decodes in milliseconds
UNPLUGGED = CAPTURES / "lan8720a_read_all_unplugged.sr"
SESSION = ROOT / "sessions" / "lan8720a-linux6-bringup.jsonl"
SESSION_B = ROOT / "sessions" / "dp83848-linux26-bringup.jsonl"
GOOD_URL = "sim://lan8720a@1"

TRANSACTION = {
    "start": 0,
    "end": 1e-05,
    "clause": 22,
    "op": "read",
    "phy": 1,
    "reg": 1,
    "data": 0x796D,
    "addr": None,
    "errors": [],
}


# -- one bad command and what the contract asks of its answer --------------------------------


@dataclass(frozen=True)
class Val:
    """A bad value for one slot of a command."""

    text: str
    why: str
    mention: tuple[str, ...] = ()  # the error line names the value: one of these appears
    unit: str = ""  # a 10,000-character value made of this character (its echo is cut)
    url: bool = False  # a long bus URL: the whole line stays under MAX_LONG_URL_LINE


@dataclass(frozen=True)
class Bad:
    """A command line that is bad input for one reason (``why``)."""

    args: tuple[str, ...]
    why: str
    mention: tuple[str, ...] = ()
    unit: str = ""
    url: bool = False


def _printable(text: str) -> bool:
    return all(ch.isprintable() for ch in text)


def _mentions(text: str) -> tuple[str, ...]:
    """How an error line may name ``text``: as typed, or the number it stands for (the
    messages show 0b100000 as 32 (0x20), 1e300 as 1e+300); '' for the empty value;
    nothing for blank values and ones with control characters (they are escaped)."""
    if not text:
        return ("''",)
    if not text.strip() or not _printable(text):
        return ()
    out = {text[:40]}
    with contextlib.suppress(ValueError):
        out.add(str(int(text, 0)))
    with contextlib.suppress(ValueError, OverflowError):
        out.add(f"{float(text):g}")
    return tuple(sorted(out))


def _val(why: str) -> Callable[[str], Val]:
    return lambda text: Val(text, f"{why} {_show(text)}", _mentions(text))


def _at(base: Sequence[str], index: int) -> Callable[[Val], Bad]:
    """Put the bad value in positional slot ``index`` of ``base``."""

    def make(v: Val) -> Bad:
        args = list(base)
        args[index] = v.text
        return Bad(tuple(args), v.why, v.mention, v.unit, v.url)

    return make


def _opt(base: Sequence[str], option: str, *more: str) -> Callable[[Val], Bad]:
    """Add ``option VALUE`` (and ``more``) to ``base``; the option's name counts as naming
    the value (argparse says "argument --ops: expected one argument" for ``--ops -0x1``)."""

    def make(v: Val) -> Bad:
        mention = (*v.mention, option) if v.mention or _printable(v.text) else ()
        why = v.why if v.why.startswith(option) else f"{option} {v.why}"
        return Bad((*base, *more, option, v.text), why, mention, v.unit, v.url)

    return make


def _missing(args: Sequence[str], what: str) -> Bad:
    return Bad(tuple(args), f"missing {what}", (what,))


def _problems(bad: Bad, status: int | str, out: str, err: str) -> list[tuple[str, str]]:
    """What in the answer to ``bad`` breaks the contract: (kind, detail) pairs."""
    found: list[tuple[str, str]] = []
    if isinstance(status, str):
        found.append((status.split(":")[0], status))
    elif status != 2:
        found.append((f"exit {status}", f"exit status {status}"))
    if "Traceback" in err:
        found.append(("traceback", "a Python traceback on stderr"))
    # Captures and sessions are streamed (a capture may be larger than memory): what
    # came before a fault found mid-file is printed, and the error names FILE:LINE.
    streamed = re.search(r"\.jsonl:\d+: ", err) is not None
    if out.strip() and not streamed:
        found.append(("stdout", f"stdout {_cut(out, 120)!r}"))
    lines = err.count("\n")
    if lines != 1 or not err.endswith("\n"):
        found.append(("lines", f"{lines} line(s) on stderr, not exactly one"))
    line = err.split("\n", 1)[0]
    if not line.startswith(PREFIX):
        found.append(("prefix", f"stderr does not start with {PREFIX!r}"))
    raw = sorted({repr(ch) for ch in line if unicodedata.category(ch) == "Cc"})
    if raw:
        found.append(("control", f"raw control character(s) {', '.join(raw)} in the line"))
    limit = MAX_LONG_URL_LINE if bad.url else MAX_LINE
    if len(line) >= limit:
        found.append(("length", f"the line is {len(line)} characters long (limit {limit})"))
    if bad.unit and bad.unit * MAX_ECHO in line:
        found.append(("echo", f"the line echoes more than {MAX_ECHO} characters of the value"))
    if not found and bad.mention:
        folded = line.casefold()
        if not any(m.casefold() in folded for m in bad.mention):
            found.append(("naming", f"does not name the bad value (none of {bad.mention!r})"))
    return found


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else f"{text[:n]}...({len(text)} chars)"


def _show(arg: str) -> str:
    """An argument as a shell would take it, cut and with control characters visible."""
    if len(arg) > 60:
        arg = f"{arg[:30]}...<{len(arg)} chars>"
    if not _printable(arg) or not arg:
        return repr(arg)
    return shlex.quote(arg)


def _command(args: Sequence[str]) -> str:
    return "physcapy " + " ".join(_show(a) for a in args)


class Violations:
    """Every broken promise of one test, reported together at the end."""

    def __init__(self) -> None:
        self.checked = 0
        self.found: dict[tuple[str, ...], tuple[Bad, list[tuple[str, str]], str, str]] = {}

    def check(self, bad: Bad, status: int | str, out: str, err: str) -> None:
        self.checked += 1
        problems = _problems(bad, status, out, err)
        if problems:
            self.found.setdefault(bad.args, (bad, problems, out, err))

    def report(self) -> str:
        """The violations grouped by the first thing that went wrong (exit 0: bad input
        accepted; traceback; stdout...), each with its command and stderr."""
        groups: dict[str, list[str]] = defaultdict(list)
        for bad, problems, out, err in self.found.values():
            groups[problems[0][0]].append(
                f"  {_command(bad.args)}\n      ({bad.why}): "
                + "; ".join(d for _, d in problems)
                + (f"\n      stdout: {_cut(out, 120)!r}" if out else "")
                + f"\n      stderr: {_cut(err, 200)!r}"
            )
        text = [f"{len(self.found)} of {self.checked} bad commands break the contract"]
        for kind, lines in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            text.append(f"[{kind}] {len(lines)} command(s):")
            text.extend(lines[:25])
            if len(lines) > 25:
                text.append(f"  ... and {len(lines) - 25} more")
        return "\n".join(text)


# -- running a command in-process, with a deadline ----------------------------------------------


class _Hang(BaseException):  # not an Exception: the code under test must not swallow it
    pass


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise _Hang

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def run_in(cli: Callable[..., tuple[int, str, str]], capsys: pytest.CaptureFixture[str]):
    """``cli``, but an exception out of main() (a traceback at the command line) or a
    command still running after TIMEOUT is an answer too, not the end of the test."""

    def run(args: Sequence[str]) -> tuple[int | str, str, str]:
        try:
            with _deadline(TIMEOUT):
                return cli(*args)
        except _Hang:
            out, err = capsys.readouterr()
            return f"hang: still running after {TIMEOUT:g} s", out, err
        except Exception as exc:  # what escapes main() is a traceback in a shell
            out, err = capsys.readouterr()
            return f"traceback: {type(exc).__name__}: {_cut(str(exc), 150)}", out, err

    return run


# -- names that exist, so that generated ones surely do not ---------------------------------


@functools.cache
def _register_names() -> frozenset[str]:
    from physcapy.registers.models import all_models

    names: set[str] = set()
    for m in all_models():
        for r in m.all_registers():
            names.add(r.name.upper())
            names.update(a.upper() for a in r.aliases)
        names.update(mmd.name.upper() for mmd in m.mmds.values())
    return frozenset(names)


@functools.cache
def _is_model(name: str) -> bool:
    from physcapy.errors import UnknownNameError
    from physcapy.registers.models import model

    try:
        model(name)
    except UnknownNameError:
        return False
    return True


@functools.cache
def _schemes() -> frozenset[str]:
    from physcapy.bus.schemes import schemes

    return frozenset(schemes())


def _long(prefix: str, unit: str, suffix: str = "", why: str = "", url: bool = False) -> Val:
    text = prefix + unit * LONG + suffix
    return Val(text, why or f"{LONG}-character value", (unit * 10,), unit, url)


# -- value grammars -------------------------------------------------------------------------

MALFORMED = (
    "0x",
    "0b",
    "0o",
    "0o8",
    "0b2",
    "0xg",
    "1e300",
    "1e3",
    "nan",
    "inf",
    "1.5",
    "1.0",
    "",
    "abc",
    "one",
    "1,0",
    "0x1.8",
    "-",
    "1 2",
    "½",
    "99999999999999999999",
)


def _formatted(n: int, base: str) -> str:
    return {"d": str(n), "x": hex(n), "X": f"0X{n:X}", "b": bin(n), "o": oct(n)}[base]


def integers(low: int, high: int, what: str) -> SearchStrategy[Val]:
    """Integers outside low..high in any base, and things that are not integers.
    Negative ones in decimal only: argparse reads -0x1 as an option, not a value."""
    edges = [str(high + 1), hex(high + 1), str(low - 1), *MALFORMED]
    above = st.integers(min_value=high + 1, max_value=10**24)
    below = st.integers(min_value=-(10**24), max_value=low - 1)
    return st.one_of(
        st.sampled_from(edges),
        st.builds(_formatted, above, st.sampled_from("dxXbo")),
        below.map(str),
    ).map(_val(what))


def positive_floats(far_above: float, what: str) -> SearchStrategy[Val]:
    """Not above zero, far above any sensible value, or not a number."""
    fixed = ["0", "-1", "-0.0", "nan", "inf", "-inf", "abc", "", "1e300", "0x10", "1,5"]
    generated = st.one_of(
        st.floats(max_value=0.0), st.floats(min_value=far_above, allow_infinity=True)
    ).map(repr)
    return st.one_of(st.sampled_from(fixed), generated).map(_val(what))


def unknown_register_names() -> SearchStrategy[str]:
    return st.from_regex(r"[A-Z][A-Z0-9_]{2,11}", fullmatch=True).filter(
        lambda n: n.upper() not in _register_names()
    )


BAD_REGISTERS = (
    "99.1",  # DEVAD above 31
    "1.0x10000",  # Clause 45 register above 0xFFFF
    "PMA.",
    "AN.",
    "1.",
    ".1",
    "FOO.1",
    "AN.NOSUCH",
    "1.2.3",
    "32",
    "0x20",
    "0x10000",
    "32.0",
    ":",
    "1:2:3",
    "BMSR.1",
    "",
)


def registers(what: str = "register") -> SearchStrategy[Val]:
    return st.one_of(
        st.sampled_from(BAD_REGISTERS),
        unknown_register_names(),
        st.builds(
            lambda n, c: n[:2] + c + n[2:],
            unknown_register_names(),
            st.sampled_from(["\n", "\x1b[31m", "\t", "\x7f"]),
        ),
        st.just("B" * LONG),
    ).map(
        lambda t: (
            _long("", "B", why=f"{what} of {LONG} characters")
            if t == "B" * LONG
            else Val(t, f"{what} {_show(t)}", _register_mentions(t))
        )
    )


def _register_val(text: str) -> Val:
    return Val(text, f"register {_show(text)}", _register_mentions(text))


def _register_mentions(text: str) -> tuple[str, ...]:
    """DEVAD.REG and PAGE:REG: the message may name the part that is wrong ('DEVAD 99'
    for 99.1, "Clause 45 register ''" for PMA.)."""
    parts = re.split(r"[.:]", text) if text else []
    out = {m for part in [text, *parts] for m in _mentions(part)}
    return tuple(sorted(out))


def unknown_model_names() -> SearchStrategy[str]:
    return st.from_regex(r"[a-z][a-z0-9-]{2,10}", fullmatch=True).filter(lambda n: not _is_model(n))


def models() -> SearchStrategy[Val]:
    fixed = ["lan9999", "nosuch", "", "ieee802.4", "lan8720a,dp83848", "lan8720a@1", "\x1b[31m"]
    return st.one_of(
        st.sampled_from(fixed).map(_val("model")),
        unknown_model_names().map(_val("model")),
        st.just(_long("", "m", why=f"model name of {LONG} characters")),
    )


GOOD_URLS = (
    GOOD_URL,
    "sim://lan8720a@1?partner=100full",
    "sim://lan8720a@1,dp83848@3",
    "ftdi-emu://232h?wiring=tristate&phy=lan8720a@1",
)

BAD_URLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bogus://", ("bogus",)),
    ("sim", ("sim",)),
    ("sim:", ("sim",)),
    ("", ()),
    ("://", ()),
    ("sim://lan9999@1", ("lan9999",)),
    ("sim://lan8720a@", ("lan8720a",)),  # an @ and no address
    ("sim://@1", ()),
    ("sim://generic@1?partner=bogus", ("bogus",)),
    ("sim://lan8720a@1?bogus=1", ("bogus",)),
    ("sim://lan8720a@1?start=bogus", ("bogus",)),
    ("sim://lan8720a@1?time=bogus", ("bogus",)),
    ("sim://lan8720a@1?mdc=0", ("mdc",)),
    ("sim://lan8720a@1?mdc=nan", ("mdc",)),
    ("sim://lan8720a@1?fault=bogus", ("bogus",)),
    ("sim://lan8720a@1?fault=1:stuck:99:1:1", ("99",)),
    ("sim://lan8720a@1?fault=5:drop-writes", ("5",)),
    ("sim://lan8720a@1?partner", ("partner",)),
    ("sim://lan8720a@1?&&", ("&&",)),
    ("sim://lan8720a@1,dp83848@1", ("1",)),
    ("sim://lan8720a,dp83848@3", ("lan8720a",)),
    ("ftdi-emu://999h?wiring=tristate&phy=lan8720a@1", ("999h",)),
    ("ftdi-emu://232h?wiring=bogus&phy=lan8720a@1", ("bogus",)),
    ("ftdi-emu://232h?wiring=tristate&phy=lan9999@1", ("lan9999",)),
    ("ftdi-emu://232h?wiring=tristate&phy=lan8720a@99", ("99",)),
    ("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1&bogus=1", ("bogus",)),
    ("linux://", ("linux",)),
    ("linux://nosuchif0", ("nosuchif0",)),
    ("sim://[::1", ()),
    ("sim://lan8720a@1]", ()),
)

LONG_URLS = (
    _long("sim://", "a", "@1", "bus URL: model of 10,000 characters", url=True),
    _long("sim://lan8720a@1?partner=", "x", "", "bus URL: partner of 10,000 characters", True),
    _long("", "q", "://", "bus URL: scheme of 10,000 characters", url=True),
    _long("sim://lan8720a@", "9", "", "bus URL: address of 10,000 digits", url=True),
    _long("sim://lan8720a@1?", "k", "=1", "bus URL: option of 10,000 characters", url=True),
    _long("sim://lan8720a@1?fault=", "1", ":drop-writes", "bus URL: fault address", url=True),
    _long("ftdi-emu://", "c", "?wiring=tristate&phy=lan8720a@1", "bus URL: FTDI chip", True),
)

CONTROL = ("\n", "\t", "\r", "\x1b", "\x1b[31m", "\x00", "\x7f", "\x08")


def _insert(url: str, text: str, at: int) -> Val:
    at = min(at, len(url))
    return Val(url[:at] + text + url[at:], f"bus URL with {text!r} at {at}")


def urls() -> SearchStrategy[Val]:
    """Bad bus URLs: unknown scheme, model, address or option, long, control characters."""
    schemes = st.from_regex(r"[a-z][a-z0-9]{1,7}", fullmatch=True).filter(
        lambda s: s not in _schemes()
    )
    return st.one_of(
        st.sampled_from(BAD_URLS).map(lambda u: Val(u[0], f"bus URL {_show(u[0])}", u[1])),
        schemes.map(lambda s: Val(f"{s}://lan8720a@1", f"bus URL scheme {s}", (s,))),
        unknown_model_names().map(lambda m: Val(f"sim://{m}@1", f"sim:// model {m}", (m,))),
        integers(0, 31, "sim:// address").map(
            lambda v: replace(
                v,
                text=f"sim://lan8720a@{v.text}",
                why=f"sim:// {v.why}",
                mention=(*v.mention, "address", "lan8720a@") if v.mention else (),
            )
        ),
        st.sampled_from(LONG_URLS),
        st.builds(
            _insert,
            st.sampled_from(GOOD_URLS),
            st.sampled_from(CONTROL),
            st.integers(min_value=0, max_value=60),
        ),
        st.builds(
            _insert,
            st.sampled_from(GOOD_URLS),
            st.sampled_from(["[", "]"]),
            st.integers(min_value=0, max_value=60),
        ),
    )


FORMATS = st.sampled_from(["xml", "yaml", "TEXT", "", "json5"]).map(_val("--format"))


# -- garbage files --------------------------------------------------------------------------


@dataclass
class Files:
    """Garbage captures and sessions under one folder, and a place for outputs."""

    folder: Path
    captures: dict[str, Path]  # what is wrong -> a capture that is wrong so
    sessions: dict[str, Path]  # what is wrong -> a session that is wrong so
    small_session: Path  # two good transactions: synth renders it in milliseconds
    out: Path  # an output folder

    def garbage(self, suffix: str, data: bytes, why: str) -> Val:
        """``data`` written to a file of its own (a Saleae .bin looks at its folder)."""
        name = "digital_0.bin" if suffix == ".bin" else f"garbage{suffix}"
        folder = self.folder / "generated" / hashlib.sha1(data + suffix.encode()).hexdigest()
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return Val(str(path), f"{why} ({len(data)} bytes{suffix})", (path.name,))

    def fixed(self, table: dict[str, Path]) -> SearchStrategy[Val]:
        return st.sampled_from(sorted(table.items())).map(lambda kv: self._named(*kv))

    @staticmethod
    def _named(why: str, path: Path) -> Val:
        return Val(str(path), why, (path.name,) if _printable(path.name) else ())

    def every(self, *, empty_session_is_valid: bool) -> list[Val]:
        """Each fixed garbage capture and session (decode and diff take an empty session:
        no transactions, nothing to show or compare)."""
        table = {**self.captures, **self.sessions}
        if empty_session_is_valid:
            del table["empty session"]
        return [self._named(why, path) for why, path in sorted(table.items())]


def _blank_session(data: bytes) -> bool:
    """An empty or all-blank .jsonl is a valid session of no transactions."""
    try:
        return not data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return False


def _cut_session(data: bytes, at: int) -> bytes | None:
    """``data`` cut inside a line so that the last line is not JSON, else None."""
    head = data[:at]
    last = head.rsplit(b"\n", 1)[-1]
    if not last.strip():
        return None
    try:
        json.loads(last)
    except ValueError:
        return head
    return None


def garbage_inputs(files: Files, *, sessions_need_transactions: bool) -> SearchStrategy[Val]:
    """Captures and sessions that cannot be read: random bytes, truncated, empty, folders,
    missing, bad transactions.  Where an empty session is a valid input (decode, diff)
    no blank .jsonl is generated."""
    suffixes = [".sr", ".vcd", ".csv", ".jsonl", ".bin", ".txt"]
    random_files = st.tuples(st.sampled_from(suffixes), st.binary(max_size=300))
    if not sessions_need_transactions:
        random_files = random_files.filter(lambda t: t[0] != ".jsonl" or not _blank_session(t[1]))
    capture = CAPTURE.read_bytes()
    session = SESSION.read_bytes()[:3000]  # a metadata line, then transactions
    sessions = dict(files.sessions)
    if not sessions_need_transactions:
        sessions.pop("empty session", None)
    return st.one_of(
        files.fixed(files.captures),
        files.fixed(sessions),
        random_files.map(lambda t: files.garbage(t[0], t[1], "random bytes")),
        st.integers(min_value=0, max_value=len(capture) - 1).map(
            lambda n: files.garbage(".sr", capture[:n], "sigrok capture cut short")
        ),
        st.integers(min_value=1, max_value=len(session) - 1)
        .map(lambda n: _cut_session(session, n))
        .filter(lambda b: b is not None)
        .map(lambda b: files.garbage(".jsonl", b or b"", "session cut inside a line")),
        st.just(_long(str(files.folder) + "/", "p", ".sr", why=f"path of {LONG} characters")),
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    need(CAPTURE.exists() and UNPLUGGED.exists(), f"the real captures in {CAPTURES}")
    folder = tmp_path_factory.mktemp("garbage")
    out = folder / "out"
    out.mkdir()

    def write(name: str, data: bytes | str) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def zipped(name: str, members: dict[str, bytes | str]) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w") as z:
            for member, data in members.items():
                z.writestr(member, data)
        return path

    def session_line(**changes: Any) -> str:
        return json.dumps({**TRANSACTION, **changes}) + "\n"

    good = session_line()
    (folder / "folder").mkdir()
    (folder / "folder.sr").mkdir()
    export = folder / "export"
    export.mkdir()
    (export / "digital_0.bin").write_bytes(b"\x00\x01garbage" * 8)
    (export / "digital_1.bin").write_bytes(b"<SALEAE>" + b"\xff" * 40)
    captures = {
        "empty .sr": write("empty.sr", b""),
        "empty .vcd": write("empty.vcd", b""),
        "empty .csv": write("empty.csv", b""),
        "empty Saleae .bin": write("bin/digital_0.bin", b""),
        "a folder, not a capture": folder / "folder",
        "a folder named .sr": folder / "folder.sr",
        "Saleae export of garbage": export,
        "no such capture": folder / "missing.sr",
        "zip without sigrok members": zipped("members.sr", {"foo": "x"}),
        "sigrok metadata that is garbage": zipped(
            "metadata.sr", {"version": "2", "metadata": b"\x00\xff\x1b[31m\n[device 1]\n"}
        ),
        "sigrok session without logic": zipped(
            "nologic.sr",
            {
                "version": "2",
                "metadata": "[global]\n[device 1]\ncapturefile=logic-1\ntotal probes=2\n"
                "samplerate=1 MHz\nprobe1=MDC\nprobe2=MDIO\nunitsize=1\n",
            },
        ),
        "VCD with bad timestamps": write(
            "times.vcd",
            "$timescale 1ns $end\n$scope module top $end\n$var wire 1 ! MDC $end\n"
            '$var wire 1 " MDIO $end\n$upscope $end\n$enddefinitions $end\n#0\n1!\n#zz\n',
        ),
        "CSV with garbage rows": write("rows.csv", "Time [s],MDC,MDIO\n0,1,1\nabc,2,x\n"),
        "capture name with control characters": write("ctl\n\x1b[31m.sr", b"PK\x03\x04junk"),
    }
    sessions = {
        "empty session": write("empty.jsonl", b""),
        "no such session": folder / "missing.jsonl",
        "session: a 5000-digit PHY address": write(
            "bigint.jsonl", good.replace('"phy": 1', '"phy": ' + "9" * 5000)
        ),
        "session: PHY 99": write("phy99.jsonl", session_line(phy=99)),
        "session: op bogus": write("op.jsonl", session_line(op="bogus")),
        "session: start 'x'": write("start.jsonl", session_line(start="x")),
        "session: start NaN": write("nan.jsonl", good.replace('"start": 0', '"start": NaN')),
        "session: errors 5": write("errors.jsonl", session_line(errors=5)),
        "session: a list": write("list.jsonl", "[1, 2, 3]\n"),
        "session: unknown key": write("key.jsonl", '{"a": 1}\n'),
        "session: not UTF-8": write("utf8.jsonl", good.encode() + b"\xff\xfe\n"),
        "session: JSON cut short after 3 lines": write("cut.jsonl", good * 3 + '{"start": 0,\n'),
        "session: PHY 99 on line 4": write("phy99late.jsonl", good * 3 + session_line(phy=99)),
        "session: control characters in op": write("ctl.jsonl", session_line(op="\x1b[2J\n")),
        "session: NUL bytes": write("nul.jsonl", b"\x00\x00\n"),
    }
    small = write("small.jsonl", good + session_line(start=1e-4, end=1.1e-4, op="write", reg=0))
    return Files(folder, captures, sessions, small, out)


# -- the grammar of each subcommand ---------------------------------------------------------


@dataclass
class Grammar:
    base: tuple[str, ...]  # a valid command; every case spoils one slot of it
    ok: tuple[int, ...]  # what the base command exits with
    explicit: list[Bad]  # always tried (the cases issue 15 names)
    generated: SearchStrategy[Bad]
    others: tuple[tuple[str, ...], ...] = ()  # more valid commands cases start from


def _bus_grammar(files: Files, base: tuple[str, ...], slots: dict[str, int]) -> Grammar:
    """read, write, modify, dump and scan: BUS and the positional numbers and names."""
    command = base[0]
    parts: list[SearchStrategy[Bad]] = [urls().map(_at(base, slots["BUS"]))]
    if "PHY" in slots:
        parts.append(integers(0, 31, "PHY").map(_at(base, slots["PHY"])))
    if "REG" in slots:
        parts.append(registers().map(_at(base, slots["REG"])))
    for name in ("VALUE", "MASK"):
        if name in slots:
            parts.append(integers(0, 0xFFFF, name).map(_at(base, slots[name])))
    if command != "scan":
        parts.append(models().map(_opt(base, "--model")))
        parts.append(
            st.sampled_from(["c46", "C22", "", "none"]).map(_val("--via")).map(_opt(base, "--via"))
        )
    parts.append(FORMATS.map(_opt(base, "--format")))
    records = [str(files.folder / "nowhere" / "r.jsonl"), str(files.folder / "folder"), ""]
    parts.append(st.sampled_from(records).map(_val("--record")).map(_opt(base, "--record")))
    missing = [_missing(base[:i], name) for name, i in slots.items()]
    explicit = [
        *missing,
        _at(base, slots["BUS"])(Val("bogus://", "unknown scheme", ("bogus",))),
        _at(base, slots["BUS"])(Val("sim://lan9999@1", "unknown sim model", ("lan9999",))),
        _at(base, slots["BUS"])(Val("sim://lan8720a@", "sim:// model without address")),
        _at(base, slots["BUS"])(Val("sim://generic@1?partner=bogus", "partner", ("bogus",))),
        _at(base, slots["BUS"])(LONG_URLS[0]),
        _at(base, slots["BUS"])(_insert(GOOD_URL, "\n", len(GOOD_URL))),
        _at(base, slots["BUS"])(_insert(GOOD_URL, "\t", 3)),
        _at(base, slots["BUS"])(_insert(GOOD_URL, "\x1b[31m", 9)),
    ]
    if "PHY" in slots:
        explicit += [
            _at(base, slots["PHY"])(_val("PHY")(t))
            for t in ("32", "-1", "0x", "1e300", "nan", "99999999999999999999")
        ]
    if "REG" in slots:
        explicit += [
            _at(base, slots["REG"])(_register_val(t))
            for t in ("99.1", "1.0x10000", "PMA.", "NOSUCHREG")
        ]
    if command != "scan":
        explicit.append(_opt(base, "--model")(_val("model")("lan9999")))
        explicit.append(_opt(base, "--model")(_val("model")("")))
    explicit.append(_opt(base, "--format")(_val("--format")("xml")))
    return Grammar(base, (0,), explicit, st.one_of(parts))


def _grammars(files: Files) -> dict[str, Grammar]:
    g: dict[str, Grammar] = {}
    out = files.out

    g["read"] = _bus_grammar(files, ("read", GOOD_URL, "1", "BMSR"), {"BUS": 1, "PHY": 2, "REG": 3})
    g["write"] = _bus_grammar(
        files,
        ("write", GOOD_URL, "1", "BMCR", "0x1200"),
        {"BUS": 1, "PHY": 2, "REG": 3, "VALUE": 4},
    )
    g["modify"] = _bus_grammar(
        files,
        ("modify", GOOD_URL, "1", "BMCR", "0x0200", "0x0200"),
        {"BUS": 1, "PHY": 2, "REG": 3, "VALUE": 4, "MASK": 5},
    )
    g["dump"] = _bus_grammar(files, ("dump", GOOD_URL, "1"), {"BUS": 1, "PHY": 2})
    g["scan"] = _bus_grammar(files, ("scan", GOOD_URL), {"BUS": 1})

    bench = ("bench", GOOD_URL, "--ops", "10")
    g["bench"] = Grammar(
        bench,
        (0,),
        [
            _opt(bench, "--ops")(_val("--ops")(t))
            for t in ("0", "-1", "nan", "1e3", "0x", "99999999999999999999")
        ]
        + [_missing(("bench",), "BUS"), _opt(bench, "--reg")(_val("--reg")("AN.1"))],
        st.one_of(
            urls().map(_at(bench, 1)),
            integers(1, 100_000_000, "--ops").map(_opt(bench, "--ops")),
            integers(0, 31, "--phy").map(_opt(bench, "--phy")),
            st.one_of(
                registers(), st.sampled_from(["AN.1", "PMA.0", "3.0x20"]).map(_val("C45"))
            ).map(_opt(bench, "--reg")),
            FORMATS.map(_opt(bench, "--format")),
        ),
    )

    decode_reg = ("regs", "decode", "BMSR", "0x796D")
    g["regs"] = Grammar(
        decode_reg,
        (0,),
        [
            _missing(("regs", "decode", "BMSR"), "VALUE"),
            _missing(("regs",), "ACTION"),
            Bad(("regs", "bogus"), "unknown action", ("bogus",)),
            Bad(("regs", "list", "--model", "lan9999"), "unknown model", ("lan9999",)),
            Bad(("regs", "models", "--format", "xml"), "--format xml", ("xml",)),
            _at(decode_reg, 2)(_register_val("99.1")),
            _at(decode_reg, 2)(_register_val("1.0x10000")),
            _at(decode_reg, 2)(_register_val("PMA.")),
            _at(decode_reg, 3)(_val("VALUE")("0x10000")),
            _opt(decode_reg, "--model")(_val("model")("lan9999")),
        ],
        st.one_of(
            registers().map(_at(decode_reg, 2)),
            integers(0, 0xFFFF, "VALUE").map(_at(decode_reg, 3)),
            models().map(_opt(decode_reg, "--model")),
            st.sampled_from(["table2", "json", ""])
            .map(_val("--style"))
            .map(_opt(decode_reg, "--style")),
            FORMATS.map(_opt(decode_reg, "--format")),
            models().map(_opt(("regs", "list"), "--model")),
            FORMATS.map(_opt(("regs", "list"), "--format")),
            FORMATS.map(_opt(("regs", "models"), "--format")),
            st.from_regex(r"[a-z]{3,8}", fullmatch=True)
            .filter(lambda a: a not in ("decode", "list", "models"))
            .map(lambda a: Bad(("regs", a), f"regs action {a}", (a,))),
        ),
        (("regs", "list"), ("regs", "models")),
    )

    c22 = ("frame", "build", "--op", "read", "--phy", "1", "--reg", "BMSR")
    c45 = ("frame", "build", "--clause", "45", "--op", "read", "--phy", "0", "--reg", "PMA")
    via = ("frame", "build", "--op", "read", "--phy", "1", "--reg", "3", "--mmd-reg", "0x14")
    via += ("--via-c22",)
    parse = ("frame", "parse", "0x6086796d")

    def frame_text(text: str) -> Val:  # "3 bytes is too short for an MDIO frame" names it
        return Val(text, f"frame {_show(text)}", (*_mentions(text), "frame", "bytes", "bit"))

    not_frames = st.text(alphabet="0123456789abcdefgx_ ", min_size=1, max_size=40).filter(
        lambda t: "g" in t
    )
    g["frame"] = Grammar(
        c22,
        (0,),
        [
            _opt(c22, "--phy")(_val("--phy")("32")),
            _opt(c22, "--data")(_val("--data")("0x10000")),
            _opt(c22, "--op")(_val("--op")("address")),
            _opt(c45, "--mmd-reg")(_val("--mmd-reg")("0x10000")),
            _opt(c22, "--function")(_val("--function")("bogus")),
            Bad((*c22, "--via-c22"), "--via-c22 without --mmd-reg", ("--via-c22",)),
            _opt(via, "--function")(_val("--function")("bogus")),
            _at(parse, 2)(frame_text("0xzz")),
            _at(parse, 2)(frame_text("0x")),
            _opt(parse, "--model")(_val("model")("lan9999")),
            _missing(("frame",), "ACTION"),
            _missing(("frame", "parse"), "HEX"),
        ],
        st.one_of(
            integers(0, 31, "--phy").map(_opt(c22, "--phy")),
            integers(0, 31, "--phy").map(_opt(c45, "--phy")),
            st.sampled_from(["address", "read_inc", "bogus", "", "reed"])
            .map(_val("--op"))
            .map(_opt(c22, "--op")),
            st.sampled_from(["bogus", "", "reed", "read inc"])
            .map(_val("--op"))
            .map(_opt(c45, "--op")),
            registers().map(_opt(c22, "--reg")),
            st.one_of(
                integers(0, 31, "--reg (DEVAD)"),
                st.sampled_from(["PMA.", "FOO", "BMSR", "AN.1"]).map(_val("--reg (MMD)")),
            ).map(_opt(c45, "--reg")),
            integers(0, 0xFFFF, "--data").map(_opt(c22, "--data")),
            integers(0, 3, "--ta").map(_opt(c22, "--ta")),
            integers(0, 4096, "--preamble").map(_opt(c22, "--preamble")),
            integers(0, 0xFFFF, "--mmd-reg").map(_opt(c45, "--mmd-reg")),
            st.sampled_from(["33", "22.0", "c45", ""])
            .map(_val("--clause"))
            .map(_opt(c22, "--clause")),
            st.sampled_from(["bogus", "", "DATA_INC_READ"])
            .map(_val("--function"))
            .map(_opt(via, "--function")),
            st.sampled_from(["address", "data_inc"])
            .map(_val("--function without --via-c22"))
            .map(_opt(c22, "--function")),
            st.sampled_from(["xml", "", "bin"]).map(_val("--format")).map(_opt(c22, "--format")),
            st.one_of(
                st.sampled_from(["0xzz", "", "0x", "0b", "0b2", "0x608679", "0xffffffff"]),
                not_frames,
                st.just("0b" + "1" * 31),
            )
            .map(frame_text)
            .map(_at(parse, 2)),
            models().map(_opt(parse, "--model")),
        ),
        (c45, via, parse),
    )

    decode = ("decode", str(CAPTURE))
    same_channel = [("0", "0"), ("1", "1"), ("MDC", "MDC"), ("MDIO", "MDIO"), ("0", "MDC")]
    same_channel += [("MDIO", "1"), ("D2", "2"), ("15", "D15")]

    def channels(args: tuple[str, ...], pair: tuple[str, str], why: str) -> Bad:
        return Bad(
            (*args, "--mdc", pair[0], "--mdio", pair[1]), why, ("MDC", "MDIO", "--mdc", "--mdio")
        )

    outputs = [str(files.folder / "nowhere" / "s.jsonl"), str(files.folder / "folder"), ""]
    g["decode"] = Grammar(
        decode,
        (0,),
        [
            *[_at(decode, 1)(v) for v in files.every(empty_session_is_valid=True)],
            channels(decode, ("MDC", "MDC"), "--mdc and --mdio the same channel"),
            channels(decode, ("0", "0"), "--mdc and --mdio the same channel"),
            channels(("decode", str(SESSION)), ("0", "0"), "--mdc/--mdio on a session"),
            Bad(
                ("decode", str(SESSION), "--mdc", "99"),
                "--mdc on a session (channels only apply to captures)",
                ("--mdc", "99"),
            ),
            _missing(("decode",), "CAPTURE"),
            _opt(decode, "--glitch")(_val("--glitch")("nan")),
            _opt(decode, "--model", "--annotate")(Val("1=lan9999", "model", ("lan9999",))),
            _opt(decode, "--model")(Val("1=lan8720a", "without --annotate", ("--model",))),
        ],
        st.one_of(
            garbage_inputs(files, sessions_need_transactions=False).map(_at(decode, 1)),
            st.sampled_from(same_channel).map(
                lambda p: channels(decode, p, f"--mdc {p[0]} --mdio {p[1]}: one channel")
            ),
            st.sampled_from(["99", "16", "-1", "nosuch", "", "MDC2"])
            .map(_val("--mdc"))
            .map(_opt(decode, "--mdc")),
            st.sampled_from(["99", "nosuch", ""]).map(_val("--mdio")).map(_opt(decode, "--mdio")),
            integers(0, 64, "--min-preamble").map(_opt(decode, "--min-preamble")),
            st.sampled_from(["nan", "-1", "1", "0.5", "abc", "", "inf", "0x1"])
            .map(_val("--glitch"))
            .map(_opt(decode, "--glitch")),
            st.one_of(
                st.sampled_from(["lan8720a", "1=", "=lan8720a", "99=lan8720a", "x=lan8720a"]).map(
                    _val("ADDR=MODEL")
                ),
                models().map(lambda v: replace(v, text=f"1={v.text}")),
            ).map(_opt(decode, "--model", "--annotate")),
            st.sampled_from(outputs).map(_val("-o")).map(_opt(decode, "-o")),
            FORMATS.map(_opt(decode, "--format")),
        ),
    )

    synth = ("synth", str(files.small_session), "-o", str(out / "synth.vcd"))

    def output(text: str) -> Val:  # "-o: the path is empty" names the option
        return Val(text, f"-o {_show(text)}", (*_mentions(text), "-o", "--output"))

    g["synth"] = Grammar(
        synth,
        (0,),
        [
            *[_at(synth, 1)(v) for v in files.every(empty_session_is_valid=False)],
            _opt(synth, "--samplerate")(_val("--samplerate")("0")),
            _opt(synth, "--mdc-freq")(_val("--mdc-freq")("-1")),
            Bad((*synth, "--samplerate", "1e6", "--mdc-freq", "2.5e6"), "under 4 samples/MDC"),
            _missing(("synth", str(files.small_session)), "--output"),
            _missing(("synth",), "SESSION"),
            _at(synth, 3)(output(str(out / "synth.xml"))),
            _at(synth, 3)(output("")),
        ],
        st.one_of(
            garbage_inputs(files, sessions_need_transactions=True).map(_at(synth, 1)),
            positive_floats(1e13, "--samplerate").map(_opt(synth, "--samplerate")),
            positive_floats(1e11, "--mdc-freq").map(_opt(synth, "--mdc-freq")),
            integers(0, 1024, "--preamble").map(_opt(synth, "--preamble")),
            st.sampled_from(
                [
                    str(out / "synth.xml"),
                    str(out / "synth.sr.bak"),
                    str(files.folder / "nowhere" / "s.sr"),
                    "",
                ]
            )
            .map(output)
            .map(_at(synth, 3)),
        ),
    )

    replay = ("replay", str(UNPLUGGED), "--against", "sim://lan8720a@1?partner=none")
    on_session = ("replay", str(SESSION), "--against", GOOD_URL)
    g["replay"] = Grammar(
        replay,
        (0, 1),  # 1: the session differs from the simulated PHY
        [
            *[_at(replay, 1)(v) for v in files.every(empty_session_is_valid=False)],
            _opt(replay, "--ignore")(_val("--ignore")("99.1")),
            _opt(replay, "--ignore")(_val("--ignore")("32")),
            _opt(replay, "--ignore")(_val("--ignore")("1.0x10000")),
            _at(replay, 3)(Val("sim://lan8720a@", "sim:// model without address")),
            channels(replay, ("0", "0"), "--mdc and --mdio the same channel"),
            channels(on_session, ("0", "0"), "--mdc/--mdio on a session"),
            _missing(("replay", str(UNPLUGGED)), "--against"),
        ],
        st.one_of(
            garbage_inputs(files, sessions_need_transactions=True).map(_at(replay, 1)),
            urls().map(_at(replay, 3)),
            registers("--ignore register").map(_opt(replay, "--ignore")),
            st.sampled_from(["1", "1=", "=1", "1=32", "32=1", "x=1", "1=x", "1=1=1", "-1=1"])
            .map(_val("--map"))
            .map(_opt(replay, "--map")),
            st.one_of(
                st.sampled_from(["lan8720a", "1=", "99=lan8720a"]).map(_val("ADDR=MODEL")),
                models().map(lambda v: replace(v, text=f"1={v.text}")),
            ).map(_opt(replay, "--model")),
            st.sampled_from(same_channel).map(
                lambda p: channels(replay, p, f"--mdc {p[0]} --mdio {p[1]}: one channel")
            ),
            st.sampled_from(["99", "nosuch", ""]).map(_val("--mdc")).map(_opt(replay, "--mdc")),
            FORMATS.map(_opt(replay, "--format")),
        ),
        (on_session,),
    )

    diff = ("diff", str(SESSION), str(SESSION_B))
    g["diff"] = Grammar(
        diff,
        (0, 1),
        [
            *[_at(diff, 2)(v) for v in files.every(empty_session_is_valid=True)],
            _missing(("diff", str(SESSION)), "B"),
            _missing(("diff",), "A"),
            _opt(diff, "--model")(Val("1=lan9999", "model", ("lan9999",))),
        ],
        st.one_of(
            garbage_inputs(files, sessions_need_transactions=False).map(_at(diff, 1)),
            garbage_inputs(files, sessions_need_transactions=False).map(_at(diff, 2)),
            st.one_of(
                st.sampled_from(["lan8720a", "1=", "99=lan8720a"]).map(_val("ADDR=MODEL")),
                models().map(lambda v: replace(v, text=f"1={v.text}")),
            ).map(_opt(diff, "--model")),
            FORMATS.map(_opt(diff, "--format")),
        ),
    )

    pal = ("pal", GOOD_URL, "1", "--seconds", "1")
    events = st.one_of(
        st.sampled_from(["unplug", "bogus", "", "1", "1:", ":unplug", "-1:unplug"]),
        st.sampled_from(["nan", "inf", "abc", "1e300", "2e7", "1,5"]).map(lambda t: f"{t}:unplug"),
        st.sampled_from(
            [
                "bogus",
                "unplug2",
                "partner=bogus",
                "partner=",
                "ethtool=bogus",
                "ethtool=",
                "fault=bogus",
                "fault=",
                "fault=stuck:99:1:1",
            ]
        ).map(lambda w: f"0.5:{w}"),
        st.from_regex(r"[a-z]{3,8}", fullmatch=True)
        .filter(lambda w: w not in ("unplug", "plug", "stop", "start"))
        .map(lambda w: f"0.5:{w}"),
    )
    names = st.sampled_from(["0:99", "9:01", "0:", ":1", "0:zz", "0:1f:1", "x:01"])

    def event(text: str) -> Val:
        """'unknown partner ability 'bogus'' names the value inside T:partner=bogus."""
        parts = {text, text.partition(":")[2], text.partition("=")[2]} - {""}
        shown = tuple(p for p in parts if _mentions(p)) if text else ("''",)
        return Val(text, f"event {_show(text)}", shown)

    g["pal"] = Grammar(
        pal,
        (0,),
        [
            _at(pal, 2)(_val("PHY")("32")),
            _opt(pal, "--seconds")(_val("--seconds")("-1")),
            _opt(pal, "--seconds")(_val("--seconds")("nan")),
            _opt(pal, "--event")(event("0.5:fault=bogus")),
            _opt(pal, "--interface")(_val("--interface")("bogus")),
            _at(pal, 2)(_val("PHY name")("0:99")),
            Bad((*pal, "--profile", "linux6", "--variant", "2005"), "linux6 has no 2005 variant"),
            _missing(("pal", GOOD_URL), "PHY"),
        ],
        st.one_of(
            urls().map(_at(pal, 1)),
            st.one_of(integers(0, 31, "PHY"), names.map(_val("PHY name"))).map(_at(pal, 2)),
            positive_floats(1e9, "--seconds").map(_opt(pal, "--seconds")),
            events.map(event).map(_opt(pal, "--event")),
            st.one_of(
                st.from_regex(r"[a-z]{3,8}", fullmatch=True).filter(
                    lambda i: i not in ("mii", "gmii", "rmii", "rgmii", "sgmii", "tbi", "rtbi")
                ),
                st.just("q" * LONG),
            )
            .map(
                lambda i: (
                    _long("", "q", why="--interface of 10,000 characters")
                    if len(i) == LONG
                    else _val("--interface")(i)
                )
            )
            .map(_opt(pal, "--interface")),
            st.sampled_from(["linux5", "", "LINUX6"])
            .map(_val("--profile"))
            .map(_opt(pal, "--profile")),
            st.sampled_from(["2.6.33", "", "6"]).map(_val("--variant")).map(_opt(pal, "--variant")),
            st.sampled_from(["xml", "json", ""]).map(_val("--format")).map(_opt(pal, "--format")),
            st.sampled_from([str(files.folder / "nowhere" / "p.jsonl"), ""])
            .map(_val("--record"))
            .map(_opt(pal, "--record")),
        ),
    )

    commands = ("shell", "read", "write", "modify", "dump", "scan", "bench", "decode")
    commands += ("synth", "pal", "replay", "diff", "regs", "frame")
    complete = (
        ("read", GOOD_URL, "1", "BMSR"),
        ("scan", GOOD_URL),
        ("regs", "list"),
        ("frame", "parse", "0x6086796d"),
        ("decode", str(CAPTURE)),
        pal,
    )
    g["top"] = Grammar(
        ("regs", "models"),
        (0,),
        [
            Bad(("nosuchcmd",), "unknown command", ("nosuchcmd",)),
            Bad(("--bogus",), "unknown option", ("--bogus",)),
            Bad(("-c",), "-c without code", ("-c",)),
            Bad(("read", GOOD_URL, "1", "BMSR", "extra"), "extra argument", ("extra",)),
            Bad(("frame", "bogus"), "unknown frame action", ("bogus",)),
        ],
        st.one_of(
            st.from_regex(r"[a-z]{3,10}", fullmatch=True)
            .filter(lambda c: c not in commands)
            .map(lambda c: Bad((c,), f"unknown command {c}", (c,))),
            st.builds(
                lambda c, o: Bad((*c, o), f"unknown option {o}", (o,)),
                st.sampled_from(complete),
                st.sampled_from(["--bogus", "--formats", "-x", "--recrod"]),
            ),
        ),
        complete,
    )
    return g


GROUPS = ["read", "write", "modify", "dump", "scan", "bench", "regs", "frame"]
GROUPS += ["decode", "synth", "replay", "diff", "pal", "top"]


# -- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("group", GROUPS)
def test_the_grammars_start_from_valid_commands(group: str, files: Files, run_in) -> None:
    """Each case spoils one slot of a valid command: the unspoiled one works."""
    grammar = _grammars(files)[group]
    for args in (grammar.base, *grammar.others):
        status, out, err = run_in(args)
        assert status in grammar.ok, (_command(args), status, out[:300], err[:300])


@pytest.mark.parametrize("group", GROUPS)
def test_generated_bad_input_is_one_line_and_exit_2(group: str, files: Files, run_in) -> None:
    grammar = _grammars(files)[group]
    found = Violations()
    for bad in grammar.explicit:
        found.check(bad, *run_in(bad.args))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    @given(bad=grammar.generated)
    def try_one(bad: Bad) -> None:
        found.check(bad, *run_in(bad.args))  # collected: reported together below

    try_one()
    assert found.checked >= len(grammar.explicit) + EXAMPLES // 2
    assert not found.found, found.report()


def _child_cases(files: Files) -> list[Bad]:
    """The real entry point, in a child process: what in-process calls cannot show (the
    traceback Python prints, argv with control characters, the exit status)."""
    return [
        Bad(("read", GOOD_URL, "32", "BMSR"), "PHY 32", ("32",)),
        Bad(("write", GOOD_URL, "1", "BMCR", "0x10000"), "VALUE 0x10000", ("0x10000", "65536")),
        Bad(("bench", GOOD_URL, "--ops", "0"), "--ops 0", ("--ops",)),
        Bad(("scan", "bogus://"), "unknown scheme", ("bogus",)),
        Bad(("nosuchcmd",), "unknown command", ("nosuchcmd",)),
        Bad(("regs", "decode", "BMSR"), "missing VALUE", ("VALUE",)),
        _at(("read", GOOD_URL, "1", "BMSR"), 1)(LONG_URLS[0]),
        _at(("read", GOOD_URL, "1", "BMSR"), 1)(LONG_URLS[1]),
        Bad(("read", GOOD_URL + "\n", "1", "BMSR"), "URL ending in a newline"),
        Bad(("read", "sim://lan\x1b[31m8720a@1", "1", "BMSR"), "URL with an escape sequence"),
        Bad(("read", "sim://[lan8720a@1", "1", "BMSR"), "URL with an unclosed ["),
        Bad(("regs", "decode", "BM\x1b[2JSR", "0x1"), "register name with an escape sequence"),
        Bad(("regs", "list", "--model", "lan\n9999"), "model name with a newline"),
        Bad(("frame", "parse", "0x6086796d", "--model", "lan9999"), "unknown model", ("lan9999",)),
        Bad(("decode", str(files.sessions["session: a 5000-digit PHY address"])), "5000 digits"),
        Bad(("decode", str(files.captures["capture name with control characters"])), "name"),
        Bad(
            ("decode", str(CAPTURE), "--mdc", "MDC", "--mdio", "MDC"),
            "--mdc and --mdio the same channel",
            ("MDC",),
        ),
        Bad(
            (
                "synth",
                str(files.small_session),
                "-o",
                str(files.out / "c.vcd"),
                "--samplerate",
                "0",
            ),
            "--samplerate 0",
            ("--samplerate",),
        ),
        Bad(
            ("replay", str(SESSION), "--against", GOOD_URL, "--ignore", "99.1"),
            "--ignore 99.1",
            ("99",),
        ),
        Bad(("pal", GOOD_URL, "1", "--seconds", "1", "--interface", "bogus"), "--interface"),
    ]


def test_the_entry_point_keeps_the_contract(files: Files) -> None:
    cases = _child_cases(files)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda bad: run_physcapy(*bad.args), cases))
    found = Violations()
    for bad, result in zip(cases, results, strict=True):
        found.check(bad, result.returncode, result.stdout, result.stderr)
    assert not found.found, found.report()
