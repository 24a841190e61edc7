# SPDX-License-Identifier: GPL-2.0-only
"""Decoded transactions as design.md §3.4 JSON lines, formatted with numpy.

The lines are byte for byte those of ``Transaction.to_json()`` (same keys, order
and spacing; times as decimals with 0.1 ns resolution), but built for a whole
chunk at once: each value, together with the literal text that follows it, is
gathered from a table into one byte matrix (a row per line) whose padding is NUL
(which JSON text never holds), and one mask then drops it.  About 0.3 us a line,
against ~2 us for ``json.dumps``::

    >>> import numpy as np
    >>> from physcapy.capture.decode import TRANSACTION_DTYPE
    >>> row = np.zeros(1, TRANSACTION_DTYPE)
    >>> row[["start", "end", "clause", "op", "phy", "reg", "data", "addr"]] = (
    ...     1.5e-6, 2.6e-5, 22, 2, 1, 1, 0x796D, -1)
    >>> print(jsonl_bytes(row).decode(), end="")
    {"start": 0.0000015, "end": 0.000026, "clause": 22, "op": "read", "phy": 1, "reg": 1, "data": 31085, "addr": null, "errors": []}
"""

from __future__ import annotations

import json
import math
import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from physcapy.capture.decode import _C22_OPS, _C45_OPS, _ERRORS, to_transactions

if TYPE_CHECKING:
    from physcapy.mdio.transactions import Transaction

__all__ = ["jsonl_buffer", "jsonl_bytes", "prepare", "to_jsonl"]

#: Rows of text, right aligned: NUL bytes are padding, dropped from the lines.
_Table = npt.NDArray[np.uint8]

_DIGITS = np.frombuffer(b"0123456789", np.uint8)
_OP_NAMES = (
    {(22, code): name for code, name in _C22_OPS.items()}
    | {(45, code): name for code, name in _C45_OPS.items()}
    | {(22, 0): "write", (22, 3): "read"}  # bad op codes keep the direction of the TA
)
_OP_KEYS = sorted(_OP_NAMES)
_OP_INDEX = np.zeros((46, 4), np.intp)  # (clause, op code) -> row of the clause/op table
for _row, _key in enumerate(_OP_KEYS):
    _OP_INDEX[_key] = _row
_ERROR_TEXT = [
    "[" + ", ".join(f'"{e}"' for k, e in enumerate(_ERRORS) if mask >> k & 1) + "]"
    for mask in range(32)
]


def _digits(width: int, leading_zeros: bool = False) -> _Table:
    """Every number below 10**width in decimal, right aligned, without leading zeros
    (a lone 0 stays) unless asked for."""
    size = 10**width
    text = np.empty((size, width), np.uint8)
    for j in range(width):  # column j counts through 0-9, each held for 10**place rows
        place = 10 ** (width - 1 - j)
        text[:, j] = np.tile(np.repeat(_DIGITS, place), size // (10 * place))
        if place > 1 and not leading_zeros:
            text[:place, j] = 0  # not shown until the number reaches 10**place
    return text


def _strings(strings: list[str]) -> _Table:
    """A few strings as rows."""
    width = max(len(x) for x in strings)
    return np.array([list(x.rjust(width, "\0").encode()) for x in strings], np.uint8)


def _join(*parts: _Table | str) -> _Table:
    """Tables side by side (the same rows), literal strings repeated on every row."""
    rows = next(p.shape[0] for p in parts if not isinstance(p, str))
    return np.concatenate(
        [
            np.broadcast_to(np.frombuffer(p.encode(), np.uint8), (rows, len(p)))
            if isinstance(p, str)
            else p
            for p in parts
        ],
        axis=1,
    )


#: Times from this many tenths of a nanosecond on (1000 s) have no row in the tables.
_LAST_SECOND = 1000 * 10**10

_TABLES: dict[str, _Table] = {}
#: Formatting runs on several threads at once: the first to need a table makes it.
_TABLES_LOCK = threading.Lock()


def _table(name: str) -> _Table:
    """The tables of the line's pieces, each value with the text that follows it,
    made on first use (a few ms, once)."""
    with _TABLES_LOCK:
        return _table_locked(name)


def _table_locked(name: str) -> _Table:
    if name not in _TABLES:
        if name == "digits5":
            table = _digits(5)
        elif name == "fraction5":
            table = _fraction_halves()
        elif name in ("start", "end"):  # the key, whole seconds up to 999, the point
            table = _join('{"start": ' if name == "start" else ', "end": ', _digits(3), ".")
        elif name == "clause_op":
            table = _strings(
                [f', "clause": {c}, "op": "{_OP_NAMES[c, o]}", "phy": ' for c, o in _OP_KEYS]
            )
        elif name == "phy":
            table = _join(_digits(2)[:32], ', "reg": ')
        elif name == "reg":
            table = _join(_digits(2)[:32], ', "data": ')
        elif name == "data":
            table = _join(_table_locked("digits5")[: 1 << 16], ', "addr": ')
        elif name == "addr":  # row 0: no address (null), row a + 1: address a
            null = np.frombuffer(b"\0null", np.uint8)[None]
            table = _join(
                np.concatenate((null, _table_locked("digits5")[: 1 << 16])), ', "errors": '
            )
        else:
            assert name == "errors", name
            table = _strings([text + "}\n" for text in _ERROR_TEXT])
        _TABLES[name] = table
    return _TABLES[name]


def _fraction_halves() -> _Table:
    """The ten decimals of a time are written as two halves of five, each gathered
    whole from this table, so no mask pass drops the trailing zeros.  Rows 0 to 99999:
    the five digits with leading zeros (a first half followed by a non-zero second);
    rows 100000 to 199999: the same with trailing zeros blanked (the last non-zero half;
    0 keeps one "0", for "1.0"); row 200000: blank (a second half that is zero)."""
    full = _digits(5, leading_zeros=True)
    trimmed = full.copy()
    for k in range(1, 6):
        trimmed[:: 10**k, 5 - k :] = 0  # multiples of 10**k end in k zeros
    trimmed[0, 0] = _DIGITS[0]
    return np.concatenate((full, trimmed, np.zeros((1, 5), np.uint8)))


def prepare() -> None:
    """Make the tables now, e.g. on an idle thread while the capture is being read
    (~6 ms, otherwise spent by the first chunk's formatting)."""
    for name in ("start", "end", "clause_op", "phy", "reg", "data", "addr", "errors", "fraction5"):
        _table(name)


class _Matrix:
    """The lines being built, filled left to right."""

    def __init__(self, rows: int, width: int) -> None:
        self.text = np.empty((rows, width), np.uint8)
        self.at = 0

    def gather(self, table: _Table, index: npt.NDArray[Any]) -> None:
        w = table.shape[1]
        self.text[:, self.at : self.at + w] = table.take(index, axis=0)
        self.at += w

    def seconds(self, name: str, values: npt.NDArray[np.float64]) -> None:
        """``"start": S.FFFFFFFFFF`` without needless zeros (0.1 ns resolution)."""
        tenths_ns = np.round(values * 1e10).astype(np.int64)
        whole, frac = np.divmod(tenths_ns, 10**10)
        self.gather(_table(name), whole)
        high, low = np.divmod(frac, 10**5)  # two table gathers instead of ten divisions
        last = low == 0  # the first half ends the number: its trailing zeros go
        halves = _table("fraction5")
        self.gather(halves, high + last * 10**5)
        self.gather(halves, np.where(last, 2 * 10**5, low + 10**5))

    def lines(self) -> memoryview:
        return memoryview(self.text[self.text != 0])


def _narrowest(table: _Table, index: npt.NDArray[Any]) -> _Table:
    """The table less the leading columns that are blank on every row used: the error
    lists are up to 72 bytes wide but nearly always ``[]``, and every byte of width is
    a byte of each row to drop again at the end."""
    leading = (table != 0).argmax(axis=1)  # rows are right aligned; none is blank
    return np.ascontiguousarray(table[:, int(leading[index].min()) :])


def _in_tables(arr: np.ndarray) -> bool:
    """Whether every value has its row in the tables.  Times count as they are written,
    rounded to 0.1 ns: 999.99999999996 s is written 1000.0."""
    return bool(
        ((arr["start"] >= 0) & (np.round(arr["start"] * 1e10) < _LAST_SECOND)).all()
        and ((arr["end"] >= 0) & (np.round(arr["end"] * 1e10) < _LAST_SECOND)).all()
        and ((arr["clause"] == 22) | (arr["clause"] == 45)).all()
        and (arr["op"] < 4).all()
        and (arr["phy"] < 32).all()
        and (arr["reg"] < 32).all()
        and (arr["addr"] >= -1).all()
        and (arr["addr"] <= 0xFFFF).all()
        and (arr["errors"] < 32).all()
    )


def jsonl_bytes(arr: np.ndarray) -> bytes:
    """TRANSACTION_DTYPE rows as JSON lines (ASCII bytes, one ``\n`` ended line each)."""
    return bytes(jsonl_buffer(arr))


def jsonl_buffer(arr: np.ndarray) -> memoryview:
    """The text of :func:`jsonl_bytes` as a read-only buffer, not copied into a bytes
    object: a binary stream writes it as it is (the copy is ~1 ms a megabyte, and
    holds the GIL)."""
    n = arr.size
    if n == 0:
        return memoryview(b"")
    if not _in_tables(arr):
        # Pre-trigger (negative) times, captures over 1000 s, or rows no decoder makes
        # (an array built by hand): one line at a time, in the same form.
        return memoryview("".join(map(_line, to_transactions(arr))).encode("ascii"))
    errors = _narrowest(_table("errors"), arr["errors"])
    pieces = ("start", "end", "clause_op", "phy", "reg", "data", "addr")
    m = _Matrix(n, sum(_table(p).shape[1] for p in pieces) + 20 + errors.shape[1])
    m.seconds("start", arr["start"])
    m.seconds("end", arr["end"])
    m.gather(_table("clause_op"), _OP_INDEX[arr["clause"], arr["op"]])
    m.gather(_table("phy"), arr["phy"])
    m.gather(_table("reg"), arr["reg"])
    m.gather(_table("data"), arr["data"])
    m.gather(_table("addr"), arr["addr"] + 1)
    m.gather(errors, arr["errors"])
    return m.lines()


def _seconds(value: float) -> str:
    """A time as the tables write it: decimal, 0.1 ns resolution, no needless zeros."""
    if not math.isfinite(value):
        return json.dumps(value)
    tenths_ns = round(value * 1e10)
    whole, frac = divmod(abs(tenths_ns), 10**10)
    return f"{'-' if tenths_ns < 0 else ''}{whole}.{f'{frac:010d}'.rstrip('0') or '0'}"


def _line(t: Transaction) -> str:
    d = t.to_dict()
    d["start"] = d["end"] = 0  # placeholders keep json.dumps's spacing and escaping
    text = json.dumps(d)
    start, end = _seconds(t.start), _seconds(t.end)
    return (
        text.replace('"start": 0', f'"start": {start}', 1).replace('"end": 0', f'"end": {end}', 1)
        + "\n"
    )


def to_jsonl(arr: np.ndarray) -> str:
    """TRANSACTION_DTYPE rows as JSON lines (see :func:`jsonl_bytes`)."""
    return jsonl_bytes(arr).decode("ascii")
