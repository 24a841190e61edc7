# SPDX-License-Identifier: GPL-2.0-only
"""Exception types raised by physcapy.

Every message names the bad value and what is allowed, so that the command line
can print it as its one-line error::

    >>> from physcapy.errors import check_range
    >>> check_range("PHYAD", 32, 0, 31)
    Traceback (most recent call last):
    ...
    physcapy.errors.RangeError: PHYAD 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "CaptureError",
    "FrameError",
    "LayerFileError",
    "NoAnswerError",
    "PalError",
    "PhyscapyError",
    "RangeError",
    "ReadFailedError",
    "SessionError",
    "UnknownFieldError",
    "UnknownNameError",
    "UnsupportedError",
    "WriteFailedError",
    "check_range",
    "parse_int",
    "suggest",
]


class PhyscapyError(Exception):
    """Base class of every error physcapy raises on purpose."""


class RangeError(PhyscapyError, ValueError):
    """A number is outside the range the standard or the register allows."""


class FrameError(PhyscapyError, ValueError):
    """An MDIO frame cannot be built or parsed (bad ST/OP combination, short bits...)."""


class NoAnswerError(PhyscapyError):
    """No PHY drove the turnaround: nothing answered at that address (a negative result,
    exit status 1 at the command line, not bad input)."""


class ReadFailedError(NoAnswerError):
    """The back end says a read failed (a MAC driver answered ``EIO``): there is no value
    to show, so none is made up.  Exit status 1 at the command line, as no answer."""


class WriteFailedError(NoAnswerError):
    """The back end says a write failed (a MAC driver answered ``EIO``: its PHY has no
    such writable register)."""


class UnsupportedError(PhyscapyError):
    """The back end cannot do what was asked (a MAC driver that cannot pass Clause 45):
    no answer would be a real one, so none is given."""


class PalError(PhyscapyError):
    """A phylib operation failed with the errno Linux would return (``ENODEV``, ``EBUSY``,
    ``EINVAL``, ``EIO``...); ``errno`` holds the positive number, the message starts with
    its name.

    >>> str(PalError(19, "no PHY named 0:05"))
    'ENODEV: no PHY named 0:05'
    """

    def __init__(self, errno: int, message: str):
        import errno as _errno

        self.errno = abs(errno)
        # Linux's headers name 95 EOPNOTSUPP (the MII ioctl's answer); Python says ENOTSUP.
        names = {95: "EOPNOTSUPP"}
        self.name = names.get(self.errno) or _errno.errorcode.get(self.errno, f"errno {self.errno}")
        super().__init__(f"{self.name}: {message}")


class SessionError(PhyscapyError, ValueError):
    """A session file cannot be read or written; the message names the file and line."""


class CaptureError(PhyscapyError, ValueError):
    """A capture file cannot be read: not the format, truncated, inconsistent.

    The message names the file and, where there is one, the line, member or offset.
    """


def _fits(names: list[str], most: int, width: int) -> int:
    """How many of ``names`` (at most ``most``) fit in ``width`` characters, joined."""
    used = 0
    for i, name in enumerate(names[:most]):
        used += len(name) + 2
        if used > width and i:
            return i
    return min(len(names), most)


class UnknownNameError(PhyscapyError, LookupError):
    """A register, field, model or enum name does not exist; the message lists what does."""

    def __init__(self, kind: str, name: object, choices: Iterable[str] = (), hint: str = ""):
        self.kind = kind
        self.name = name
        self.choices = sorted(set(choices), key=_natural_key)
        #: The choices closest to ``name``, best first (at most 5): "did you mean".
        self.suggestions = suggest(str(name), self.choices)
        msg = f"unknown {kind} {name!r}"
        if self.suggestions:
            msg += f": did you mean {', '.join(self.suggestions)}?"
            if len(self.choices) <= _LISTED:
                msg += f" (choose from {', '.join(self.choices)})"
            else:  # a long list would bury the suggestions
                msg += f" ({len(self.choices)} choices)"
        elif self.choices:
            count = _fits(self.choices, 40, 260)  # keep the one-line error readable
            shown = ", ".join(self.choices[:count])
            more = f", ... ({len(self.choices) - count} more)" if len(self.choices) > count else ""
            msg += f": choose from {shown}{more}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return str(self.args[0])


class UnknownFieldError(UnknownNameError, AttributeError):  # type: ignore[misc]
    """A register has no field of that name (an AttributeError too, so ``hasattr`` and
    ``getattr(v, name, default)`` work as usual; its ``name`` is the field asked for,
    which is what AttributeError.name means too, hence the type override above)."""


class LayerFileError(PhyscapyError, ValueError):
    """A register description file (``layers/*.toml``) is malformed.

    ``file`` and ``line`` point at the mistake; the message reads
    ``layers/x.toml:42: field 'speed' bits 14:13 overlap field 'reset' bits 15:13``.
    """

    def __init__(self, file: Path | str, line: int | None, message: str):
        self.file = Path(file)
        self.line = line
        self.message = message
        where = f"{self.file}:{line}" if line is not None else str(self.file)
        super().__init__(f"{where}: {message}")


#: Choices listed in full after the suggestions (a longer list is only counted).
_LISTED = 12


def suggest(name: str, choices: Iterable[str], limit: int = 5) -> list[str]:
    """The ``choices`` that look most like ``name``, best first, at most ``limit``.

    Case is ignored; a choice is compared whole and by its last dotted part (``BMSR``
    is close to ``AN.BMSR``), and by what it has in brackets (``"7.0 (CTRL1)"``) or
    without them (``"AN (7)"``); one that starts with ``name`` (or ``name`` with it)
    ranks higher.

    >>> suggest("BMSRR", ["BMCR", "BMSR", "AN.AN_10GBT_CTRL", "PHYSID1"])
    ['BMSR', 'BMCR']
    >>> suggest("an", ["AN (7)", "PMA (1)", "VEND1 (30)"])
    ['AN (7)']
    """
    from difflib import SequenceMatcher

    typed = name.strip().upper()
    if not typed:
        return []
    scored = []
    for choice in choices:
        key, _, aside = choice.upper().partition(" (")
        forms = {(typed, key), (typed.rpartition(".")[2], key.rpartition(".")[2])}
        if aside:  # "7.0 (CTRL1)": the name is in brackets
            forms.add((typed.rpartition(".")[2], aside.rstrip(")")))
        score = 0.0
        for mine, form in forms:
            ratio = SequenceMatcher(None, mine, form).ratio()
            if form.startswith(mine) or mine.startswith(form):
                ratio += 0.2
            score = max(score, ratio)
        if score >= (0.6 if len(typed) > 3 else 0.5):  # one letter of two is a lot
            scored.append((-score, _natural_key(choice), choice))
    return [choice for *_, choice in sorted(scored)[:limit]]


def _natural_key(text: str) -> tuple[object, ...]:
    """Sort ``reg2`` before ``reg10``."""
    import re

    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text))


def check_range(what: str, value: int, low: int, high: int) -> int:
    """Return ``value`` if ``low <= value <= high``, else raise :class:`RangeError`.

    >>> check_range("REGAD", 31, 0, 31)
    31
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise RangeError(f"{what} {value!r} is not an integer: allowed {_span(low, high)}")
    if not low <= value <= high:
        raise RangeError(f"{what} {_show(value, high)} is out of range: allowed {_span(low, high)}")
    return value


def parse_int(what: str, text: str | int, low: int, high: int) -> int:
    """Parse ``42``, ``0x2a``, ``0b101010`` or ``0o52`` and check the range.

    >>> parse_int("DATA", "0x796D", 0, 0xFFFF)
    31085
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return check_range(what, text, low, high)
    raw = str(text).strip().replace("_", "")
    try:
        # Base 0 understands 0x/0b/0o; plain digits with leading zeros ("01", as phytool
        # and U-Boot accept them) are decimal.
        value = int(raw, 0) if not (raw.isdigit() and raw.startswith("0")) else int(raw, 10)
    except ValueError:
        raise RangeError(
            f"{what} {text!r} is not a number: allowed {_span(low, high)} "
            "(decimal, 0x hex, 0b binary or 0o octal)"
        ) from None
    return check_range(what, value, low, high)


def _show(value: int, high: int) -> str:
    return f"{value} (0x{value:x})" if high > 9 else str(value)


def _span(low: int, high: int) -> str:
    if high <= 9:
        return f"{low}-{high}"
    width = max(2, (high.bit_length() + 3) // 4)
    return f"{low}-{high} (0x{low:0{width}x}-0x{high:0{width}x})"


def one_line(message: str, longest: int = 120) -> str:
    """An error message as one printable line: control characters escaped (a newline in
    a file name must not split it, an escape sequence must not reach the terminal) and
    any single value longer than ``longest`` characters cut with an ellipsis.

    >>> print(one_line("no such file: capture" + chr(10) + ".sr"))
    no such file: capture\\n.sr
    >>> len(one_line("x" * 100_000))
    121
    """
    shown = "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in message
    )
    words = shown.split(" ")
    for i, word in enumerate(words):
        if len(word) > longest:
            words[i] = word[: longest * 2 // 3] + "\u2026" + word[-(longest // 3) :]
    return " ".join(words)
