# SPDX-License-Identifier: GPL-2.0-only
"""Value Change Dump files (IEEE 1364 §18): stream MDC and MDIO out, write them back.

The reader takes the two 1-bit wires it is asked for (by reference name, in any
scope, or by index into the file's 1-bit wires in declaration order) and streams
their changes as :class:`~physcapy.capture.base.TransitionBlock` objects; every
other signal, vectors and reals included, is skipped.  ``x`` and ``z`` come out
as :data:`~physcapy.capture.base.UNKNOWN`.  The body is tokenised with numpy
half a MiB at a time and blocks are cut every 256k changes or so, so memory
stays bounded and a 3 M-change file reads in under a second::

    >>> import tempfile
    >>> from pathlib import Path
    >>> vcd = Path(tempfile.mkdtemp()) / "bus.vcd"
    >>> write_vcd(vcd, [0, 1e-6, 2e-6], [0, 1, 0], [0, 1.5e-6], [1, 0], timescale="10 ns")
    >>> with VcdReader(vcd) as r:
    ...     print(r.channels, r.initial, r.timescale)
    ...     for b in r.blocks():
    ...         print(b.mdc_times, b.mdc_levels, b.mdio_times, b.mdio_levels)
    ['MDC', 'MDIO'] (0, 1) 1e-08
    [1.e-06 2.e-06] [1 0] [1.5e-06] [0]

Levels at the first timestamp (``$dumpvars`` or plain changes, and any before
it) are the reader's ``initial``; a wire the file leaves unset there starts at
MDC 0, MDIO 1.  The last block ends at the last timestamp (or just after the
last change, if that is later).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from physcapy.capture.base import (
    UNKNOWN,
    CaptureReader,
    TransitionBlock,
    capture_error,
    pick_channel,
)
from physcapy.errors import CaptureError

__all__ = ["Changes", "VcdReader", "parse_timescale", "write_vcd", "write_vcd_chunks"]

# Tokens are runs of bytes above space; every control byte separates them.
_TOKEN = re.compile(rb"[^\x00-\x20]+")
_TIMESCALE = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*([munpf]?s)\s*$")
_UNITS = {"s": 0, "ms": -3, "us": -6, "ns": -9, "ps": -12, "fs": -15}
_HEADER_KEYWORDS = {
    b"$var",
    b"$scope",
    b"$upscope",
    b"$timescale",
    b"$enddefinitions",
    b"$date",
    b"$version",
    b"$comment",
}
_BODY_KEYWORDS = {b"$dumpvars", b"$dumpall", b"$dumpon", b"$dumpoff", b"$end"}
# Variable types that are not a logic wire, whatever their declared size.
_NOT_WIRES = {"real", "realtime", "shortreal", "event", "string"}
_MAX_TOKEN = 1 << 20
_MAX_DIGITS = 18  # a tick fits int64; 10**18 fs is still 1000 s

#: Scalar value character -> level, 255 where the byte is not a scalar value.
#: l/h are the weak levels VHDL simulators dump; x, z, u, w and - are unknown.
_LEVEL = np.full(256, 255, np.uint8)
for _chars, _level in ((b"0lL", 0), (b"1hH", 1), (b"xXzZuUwW-", UNKNOWN)):
    _LEVEL[list(_chars)] = _level
_VECTOR = np.zeros(256, bool)
_VECTOR[list(b"bBrRsS")] = True  # the next token is the identifier

_Changes = tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8], npt.NDArray[np.int64]]
_Keyed = tuple[npt.NDArray[Any], npt.NDArray[np.uint8], npt.NDArray[np.int64]]


def parse_timescale(text: str) -> float:
    """Seconds per tick of a ``$timescale`` body: ``1ns``, ``10 ns``, ``100 ps``, ``1 s``.

    >>> parse_timescale("10 ns")
    1e-08
    """
    num, den = _tick_ratio(text)
    return num / den


def _tick_ratio(text: str) -> tuple[float, float]:
    """A timescale as numerator and power-of-ten denominator: ``ticks * num / den``
    is then the double nearest the exact time (``10 ns`` is 10 / 1e9)."""
    m = _TIMESCALE.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(
            f"timescale {text.strip()!r} is not a number and a unit: allowed e.g. "
            "1ns, 10 ns, 100 ps (units s, ms, us, ns, ps, fs)"
        )
    return float(m.group(1)), 10.0 ** -_UNITS[m.group(2)]


@dataclass
class _Var:
    ident: bytes
    width: int
    kind: str
    name: str
    scoped: str
    line: int


def _iter_tokens(body: bytes, line: int, base: int = 0) -> Iterator[tuple[bytes, int, int]]:
    """(token, line, byte offset) of every token in ``body``, counting lines as it goes."""
    pos = 0
    for m in _TOKEN.finditer(body):
        start = m.start()
        line += body.count(b"\n", pos, start)
        pos = start
        yield m.group(), line, base + start


def _last_space(block: bytes) -> int:
    """Index just after the last whitespace byte of ``block``, 0 if there is none."""
    cut = block.rfind(b"\n") + 1
    if not cut:
        cut = max(block.rfind(b" "), block.rfind(b"\t"), block.rfind(b"\r")) + 1
    return cut


def _tokenize(
    path: Path, f: BinaryIO, offset: int, line: int, read_size: int = 1 << 16
) -> Iterator[tuple[bytes, int, int]]:
    """Stream the tokens of ``f`` from ``offset`` (at line ``line``) in bounded reads."""
    f.seek(offset)
    carry = b""
    while True:
        data = f.read(read_size)
        block = carry + data
        if not block:
            return
        cut = _last_space(block) if data else len(block)
        if not cut:
            if len(block) > _MAX_TOKEN:
                raise CaptureError(f"{path}:{line}: a token longer than {_MAX_TOKEN} bytes")
            carry = block
            continue
        body, carry = block[:cut], block[cut:]
        yield from _iter_tokens(body, line, offset)
        line += body.count(b"\n")
        offset += cut


def _parse_tick(path: Path, tok: bytes, line: int) -> int:
    digits = tok[1:]
    if not digits.isdigit() or len(digits) > _MAX_DIGITS:
        raise CaptureError(
            f"{path}:{line}: bad timestamp {_show(tok)}: allowed # and 1-{_MAX_DIGITS} digits"
        )
    return int(digits)


def _raise(message: str) -> None:
    raise CaptureError(message)


def _show(tok: bytes) -> str:
    text = tok[:40].decode("utf-8", "replace")
    return repr(text + "..." if len(tok) > 40 else text)


class _Body:
    """State of the body scan: the current time, an open ``$comment``, a vector
    value waiting for its identifier; and the MDC/MDIO changes seen so far."""

    def __init__(self, path: Path, ids: tuple[bytes, bytes], names: tuple[str, str]) -> None:
        self.path = path
        self.ids = ids
        self.names = names
        self.time: int | None = None
        self.in_comment = False
        self.vector: tuple[bytes, int] | None = None
        self.rec: tuple[list[list[int]], list[list[int]]] = ([[], [], []], [[], [], []])

    # -- one token at a time (the first time step, and chunks holding comments)

    def feed(self, tok: bytes, line: int) -> None:
        if self.in_comment:
            if tok == b"$end":
                self.in_comment = False
            return
        if self.vector is not None:
            value, vline = self.vector
            self.vector = None
            for ch in (0, 1):
                if tok == self.ids[ch]:
                    self._record(ch, self._vector_level(value, vline, ch), vline)
            return
        c = tok[0]
        if c == 0x23:  # '#'
            t = _parse_tick(self.path, tok, line)
            if self.time is not None and t < self.time:
                raise CaptureError(
                    f"{self.path}:{line}: time goes backwards: #{t} after #{self.time}"
                )
            self.time = t
        elif _LEVEL[c] != 255:
            if len(tok) < 2:
                raise CaptureError(f"{self.path}:{line}: value {_show(tok)} has no identifier")
            ident = tok[1:]
            for ch in (0, 1):
                if ident == self.ids[ch]:
                    self._record(ch, int(_LEVEL[c]), line)
        elif _VECTOR[c]:
            self.vector = (tok, line)
        elif c == 0x24:  # '$'
            if tok == b"$comment":
                self.in_comment = True
            elif tok not in _BODY_KEYWORDS:
                raise CaptureError(
                    f"{self.path}:{line}: unexpected {_show(tok)} after $enddefinitions: "
                    "allowed #time, value changes, $dumpvars/$dumpall/$dumpon/$dumpoff, $comment"
                )
        else:
            raise CaptureError(
                f"{self.path}:{line}: syntax error at {_show(tok)}: expected #time, a value "
                "change (0 1 x z followed by an identifier, b/r values) or a $keyword"
            )

    def _record(self, ch: int, level: int, line: int) -> None:
        rec = self.rec[ch]
        rec[0].append(self.time if self.time is not None else 0)
        rec[1].append(level)
        rec[2].append(line)

    def _vector_level(self, value: bytes, line: int, ch: int) -> int:
        bits = value[1:]
        if value[:1] in (b"b", b"B") and bits and all(_LEVEL[b] != 255 for b in bits):
            return int(_LEVEL[bits[-1]])  # a 1-bit wire's value is its last bit
        raise CaptureError(
            f"{self.path}:{line}: value {_show(value)} for the 1-bit wire {self.names[ch]}: "
            "allowed 0, 1, x, z or b<bit>"
        )

    def finish(self, line: int) -> None:
        """Check nothing is left open at the end of the file."""
        if self.in_comment:
            raise CaptureError(f"{self.path}:{line}: $comment has no $end")
        if self.vector is not None:
            raise CaptureError(
                f"{self.path}:{self.vector[1]}: value {_show(self.vector[0])} has no identifier"
            )

    def take_recorded(self) -> list[_Keyed]:
        out = []
        for rec in self.rec:
            out.append(
                (
                    np.array(rec[0], np.int64),
                    np.array(rec[1], np.uint8),
                    np.array(rec[2], np.int64),
                )
            )
            for column in rec:
                column.clear()
        return out

    # -- a whole chunk at once

    def scan(self, body: bytes, line: int) -> list[_Keyed]:
        """Changes of MDC and MDIO in ``body`` (complete tokens starting at ``line``)."""
        if self.in_comment or b"$comment" in body:
            for tok, tline, _ in _iter_tokens(body, line):
                self.feed(tok, tline)
            return self.take_recorded()
        return self._scan_fast(body, line)

    def _scan_fast(self, body: bytes, line: int) -> list[_Keyed]:
        buf = np.frombuffer(body, np.uint8)
        solid = (buf > 0x20).view(np.int8)
        edges = np.diff(solid, prepend=np.int8(0), append=np.int8(0))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        n = starts.size
        if not n:
            return self.take_recorded()
        first = buf[starts]
        newlines = np.flatnonzero(buf == 0x0A)

        def line_of(i: int | npt.NDArray[np.int64]) -> Any:
            return line + np.searchsorted(newlines, starts[i])

        skip = np.zeros(n, bool)
        pending: tuple[bytes, int] | None = None
        if self.vector is not None:  # the identifier of the last chunk's vector value
            self.feed(body[starts[0] : ends[0]], int(line_of(0)))
            skip[0] = True

        # Vector values: the token after one is its identifier, whatever it looks
        # like (identifiers may start with b, # or $).  In a run of consecutive
        # candidates the 1st, 3rd... are values and the others identifiers.
        cand = np.flatnonzero(_VECTOR[first] & ~skip)
        vectors = cand
        if cand.size:
            run_start = np.ones(cand.size, bool)
            run_start[1:] = cand[1:] != cand[:-1] + 1
            first_of_run = np.maximum.accumulate(np.where(run_start, np.arange(cand.size), 0))
            vectors = cand[(np.arange(cand.size) - first_of_run) % 2 == 0]
            if vectors[-1] == n - 1:  # its identifier is in the next chunk
                pending = (body[starts[-1] : ends[-1]], int(line_of(n - 1)))
                skip[-1] = True
                vectors = vectors[:-1]
            skip[vectors] = True
            skip[vectors + 1] = True

        # Errors: find the first offender of each kind, then report the earliest one
        # the way the token-by-token path words it.
        problems: list[tuple[int, Callable[[], object]]] = []

        def refeed(i: int) -> None:
            self.feed(body[starts[i] : ends[i]], int(line_of(i)))

        for i in np.flatnonzero((first == 0x24) & ~skip).tolist():
            if body[starts[i] : ends[i]] not in _BODY_KEYWORDS:
                problems.append((i, partial(refeed, i)))
                break
        is_time = (first == 0x23) & ~skip
        is_value = (_LEVEL[first] != 255) & ~skip
        wrong = ~(is_time | is_value | skip | (first == 0x24))
        if wrong.any():
            i = int(np.argmax(wrong))
            problems.append((i, partial(refeed, i)))

        # Timestamps: up to 18 digits, turned into integers one digit column at a time.
        t_idx = np.flatnonzero(is_time)
        ticks = np.zeros(t_idx.size, np.int64)
        if t_idx.size:
            t_start = starts[t_idx] + 1
            t_len = ends[t_idx] - t_start
            bad = (t_len == 0) | (t_len > _MAX_DIGITS)
            last = buf.size - 1
            for col in range(int(min(t_len.max(), _MAX_DIGITS))):
                inside = col < t_len
                digit = (buf[np.minimum(t_start + col, last)] - np.uint8(0x30)).astype(np.int64)
                bad |= inside & (digit > 9)
                ticks = np.where(inside, ticks * 10 + digit, ticks)
            if bad.any():
                i = int(t_idx[np.argmax(bad)])
                problems.append((i, partial(refeed, i)))
            before = np.empty_like(ticks)
            before[0] = self.time if self.time is not None else 0
            before[1:] = ticks[:-1]
            back = ticks < before
            if back.any():
                k = int(np.argmax(back))
                message = (
                    f"{self.path}:{int(line_of(t_idx[k]))}: time goes backwards: "
                    f"#{int(ticks[k])} after #{int(before[k])}"
                )
                problems.append((int(t_idx[k]), partial(_raise, message)))

        v_idx = np.flatnonzero(is_value)
        short = ends[v_idx] - starts[v_idx] < 2
        if short.any():
            i = int(v_idx[np.argmax(short)])
            problems.append((i, partial(refeed, i)))

        # Vector values for a chosen wire (rare) must be one bit.
        vec_changes = []
        for ch, ident in enumerate(self.ids):
            vec_tok = self._matching(buf, starts, ends, vectors + 1, 0, ident) - 1
            for i in vec_tok.tolist():
                value = body[starts[i] : ends[i]]
                if value[:1] not in (b"b", b"B") or not all(_LEVEL[b] != 255 for b in value[1:]):
                    problems.append((i, partial(self._vector_level, value, int(line_of(i)), ch)))
            vec_changes.append(vec_tok)
        if problems:
            min(problems, key=lambda p: p[0])[1]()
            raise AssertionError("a problem the token-by-token path does not see")

        self.vector = pending
        start_time = self.time if self.time is not None else 0
        if t_idx.size:
            self.time = int(ticks[-1])
        recorded = self.take_recorded()  # from the identifier that opened the chunk
        out: list[_Keyed] = []
        for ch, ident in enumerate(self.ids):
            tok_idx = self._matching(buf, starts, ends, v_idx, 1, ident)
            levels = _LEVEL[first[tok_idx]]
            vec_tok = vec_changes[ch]
            if vec_tok.size:
                vec_levels = [
                    self._vector_level(body[starts[i] : ends[i]], int(line_of(i)), ch)
                    for i in vec_tok.tolist()
                ]
                tok_idx = np.concatenate((tok_idx, vec_tok))
                levels = np.concatenate((levels, np.array(vec_levels, np.uint8)))
                order = np.argsort(tok_idx, kind="stable")
                tok_idx, levels = tok_idx[order], levels[order]
            step = np.searchsorted(t_idx, tok_idx) - 1  # the timestamp each change follows
            times = np.where(step >= 0, ticks[np.maximum(step, 0)] if ticks.size else 0, start_time)
            r_ticks, r_levels, r_lines = recorded[ch]
            out.append(
                (
                    np.concatenate((r_ticks, times.astype(np.int64))),
                    np.concatenate((r_levels, levels)),
                    np.concatenate((r_lines, line_of(tok_idx).astype(np.int64))),
                )
            )
        return out

    @staticmethod
    def _matching(
        buf: npt.NDArray[np.uint8],
        starts: npt.NDArray[np.intp],
        ends: npt.NDArray[np.intp],
        idx: npt.NDArray[np.intp],
        skip: int,
        ident: bytes,
    ) -> npt.NDArray[np.intp]:
        """The token indices in ``idx`` whose bytes after the first ``skip`` are ``ident``."""
        sel = idx[ends[idx] - starts[idx] == len(ident) + skip]
        for j, byte in enumerate(ident):
            sel = sel[buf[starts[sel] + skip + j] == byte]
        return sel


def _settle(held: _Keyed | None, new: _Keyed, cur: Any) -> tuple[_Keyed, _Keyed | None]:
    """Split changes into those before time ``cur`` (final: the last change at each
    time wins) and the last one at ``cur``, which a later change at ``cur`` may
    still replace."""
    keys, levels, pos = new
    if held is not None:
        keys = np.concatenate((held[0], keys))
        levels = np.concatenate((held[1], levels))
        pos = np.concatenate((held[2], pos))
    n = int(np.searchsorted(keys, cur, "left"))
    later = (keys[-1:], levels[-1:], pos[-1:]) if n < keys.size else None
    keys, levels, pos = keys[:n], levels[:n], pos[:n]
    if keys.size > 1:
        last = np.ones(keys.size, bool)
        last[:-1] = keys[1:] != keys[:-1]
        if not last.all():
            keys, levels, pos = keys[last], levels[last], pos[last]
    return (keys, levels, pos), later


class _BlockBuilder:
    """Collects the final changes of MDC and MDIO, drops those that repeat the
    current level, and cuts them into blocks at times the caller chooses."""

    def __init__(self, t_begin: float, initial: tuple[int, int]) -> None:
        self.t_begin = t_begin
        self.level = list(initial)
        self.parts: tuple[list[_Changes], list[_Changes]] = ([], [])
        self.count = 0
        self.last = -math.inf

    def add(
        self,
        ch: int,
        times: npt.NDArray[np.float64],
        levels: npt.NDArray[np.uint8],
        pos: npt.NDArray[np.int64],
    ) -> None:
        if not levels.size:
            return
        prev = np.empty_like(levels)
        prev[0] = self.level[ch]
        prev[1:] = levels[:-1]
        keep = levels != prev
        if not keep.all():
            times, levels, pos = times[keep], levels[keep], pos[keep]
        if levels.size:
            self.level[ch] = int(levels[-1])
            self.parts[ch].append((times, levels, pos))
            self.count += levels.size
            self.last = max(self.last, float(times[-1]))

    def cut(self, t_end: float) -> TransitionBlock:
        joined = []
        for parts in self.parts:
            if len(parts) == 1:
                joined.append(parts[0])
            else:
                joined.append(
                    (
                        np.concatenate([p[0] for p in parts] or [np.zeros(0)]).astype(np.float64),
                        np.concatenate([p[1] for p in parts] or [np.zeros(0, np.uint8)]),
                        np.concatenate([p[2] for p in parts] or [np.zeros(0, np.int64)]),
                    )
                )
            parts.clear()
        block = TransitionBlock(
            t_begin=self.t_begin,
            t_end=t_end,
            mdc_times=joined[0][0],
            mdc_levels=joined[0][1],
            mdio_times=joined[1][0],
            mdio_levels=joined[1][1],
            mdc_pos=joined[0][2],
            mdio_pos=joined[1][2],
        )
        self.t_begin = t_end
        self.count = 0
        return block

    def cut_last(self, t_end: float) -> TransitionBlock:
        """The last block: it ends at ``t_end`` or just after the last change."""
        if self.last >= t_end:
            t_end = math.nextafter(self.last, math.inf)
        return self.cut(max(t_end, self.t_begin))


class VcdReader(CaptureReader):
    """Stream MDC and MDIO from a VCD file.

    ``mdc``/``mdio`` name a wire (reference name, case-insensitive, or the dotted
    scope path) or give its index among the file's 1-bit wires; by default the
    wires named MDC and MDIO.  ``timescale`` is seconds per tick.
    """

    kind = "vcd"

    def __init__(
        self,
        path: str | Path,
        mdc: str | int | None = None,
        mdio: str | int | None = None,
        *,
        chunk_bytes: int = 1 << 19,
        block_changes: int = 1 << 18,
    ) -> None:
        self.path = Path(path)
        self.samplerate = None
        self._ratio = (1.0, 1e9)  # 1 ns, GTKWave's choice when the file gives none
        self.timescale = 1e-9
        self.chunk_bytes = max(chunk_bytes, 1)
        self.block_changes = max(block_changes, 1)
        self._vars: list[_Var] = []
        try:
            with open(self.path, "rb") as f:
                offset, line = self._read_header(f)
                wires = [v for v in self._vars if v.width == 1 and v.kind not in _NOT_WIRES]
                self.channels = [v.name for v in wires]
                self.mdc = self._choose(wires, mdc, "MDC")
                self.mdio = self._choose(wires, mdio, "MDIO")
                chosen = (wires[self.mdc], wires[self.mdio])
                if chosen[0].ident == chosen[1].ident:
                    raise CaptureError(
                        f"{self.path}: MDC and MDIO are the same signal "
                        f"({chosen[0].scoped}, {chosen[1].scoped}): choose two different wires"
                    )
                self._ids = (chosen[0].ident, chosen[1].ident)
                self._names = (chosen[0].scoped, chosen[1].scoped)
                self._first_step(f, offset, line)
        except CaptureError:
            raise
        except (OSError, ValueError) as exc:  # unreadable, or a parse error we did not word
            raise capture_error(self.path, exc) from None

    # -- header

    def _read_header(self, f: BinaryIO) -> tuple[int, int]:
        """Read declarations up to ``$enddefinitions $end``; return where the body starts."""
        scope: list[str] = []
        tokens = _tokenize(self.path, f, 0, 1)
        for tok, line, _ in tokens:
            if not tok.startswith(b"$"):
                raise CaptureError(
                    f"{self.path}:{line}: expected a $keyword in the VCD header, "
                    f"found {_show(tok)}: not a VCD file?"
                )
            keep = tok in (b"$var", b"$scope", b"$timescale")
            words: list[bytes] = []
            end_at: tuple[int, int] | None = None
            for word, wline, woff in tokens:
                if word == b"$end":
                    end_at = (woff + 4, wline)
                    break
                if keep and word in _HEADER_KEYWORDS:
                    raise CaptureError(
                        f"{self.path}:{wline}: {_show(tok)} (line {line}) has no $end "
                        f"before {_show(word)}"
                    )
                if keep:
                    if len(words) >= 16:
                        raise CaptureError(f"{self.path}:{line}: {_show(tok)} is too long")
                    words.append(word)
            if end_at is None:
                raise CaptureError(f"{self.path}:{line}: {_show(tok)} has no $end")
            text = [w.decode("utf-8", "replace") for w in words]
            if tok == b"$enddefinitions":
                return end_at
            if tok == b"$var":
                self._declare(text, words, scope, line)
            elif tok == b"$scope":
                scope.append(text[-1] if text else "")
            elif tok == b"$upscope":
                if not scope:
                    raise CaptureError(f"{self.path}:{line}: $upscope without $scope")
                scope.pop()
            elif tok == b"$timescale":
                try:
                    self._ratio = _tick_ratio(" ".join(text))
                    self.timescale = self._ratio[0] / self._ratio[1]
                except ValueError as exc:
                    raise CaptureError(f"{self.path}:{line}: {exc}") from None
            # $date, $version, $comment and tool extensions carry nothing we need.
        raise CaptureError(f"{self.path}: no $enddefinitions: not a VCD file or truncated")

    def _declare(self, text: list[str], words: list[bytes], scope: list[str], line: int) -> None:
        if len(words) < 4 or not words[1].isdigit():
            raise CaptureError(
                f"{self.path}:{line}: bad $var: expected '$var TYPE SIZE ID NAME $end', "
                f"found '$var {' '.join(text)} $end'"
            )
        name = text[3]
        self._vars.append(
            _Var(words[2], int(text[1]), text[0].lower(), name, ".".join([*scope, name]), line)
        )

    def _choose(self, wires: list[_Var], wanted: str | int | None, role: str) -> int:
        try:
            return pick_channel(self.path, self.channels, wanted, role)
        except CaptureError:
            key = (role if wanted is None else str(wanted)).strip().lower()
            for i, v in enumerate(wires):
                if v.scoped.lower() == key:
                    return i
            for v in self._vars:
                if key in (v.name.lower(), v.scoped.lower()):
                    what = f"a {v.kind}" if v.kind in _NOT_WIRES else f"{v.width} bits wide"
                    raise CaptureError(
                        f"{self.path}:{v.line}: {v.scoped} is {what}: {role} must be a 1-bit wire"
                    ) from None
            raise

    # -- body

    def _first_step(self, f: BinaryIO, offset: int, line: int) -> None:
        """Take ``initial`` from the changes up to the end of the first time step."""
        body = _Body(self.path, self._ids, self._names)
        self._resume: tuple[int, int] | None = None
        last_line = line
        for tok, tline, toff in _tokenize(self.path, f, offset, line):
            last_line = tline
            if tok[0] == 0x23 and not body.in_comment and body.vector is None:
                t = _parse_tick(self.path, tok, tline)
                if body.time is not None and t > body.time:
                    self._resume = (toff, tline)
                    break
            body.feed(tok, tline)
        else:
            body.finish(last_line)
        self._t0 = body.time if body.time is not None else 0
        mdc, mdio = (levels for _, levels, _ in body.take_recorded())
        self.initial = (
            int(mdc[-1]) if mdc.size else 0,
            int(mdio[-1]) if mdio.size else 1,
        )

    def blocks(self) -> Iterator[TransitionBlock]:
        """The changes of MDC and MDIO after the first time step, in time order."""
        return self._file_errors(self._blocks())

    def _blocks(self) -> Iterator[TransitionBlock]:
        num, den = self._ratio

        def seconds(ticks: Any) -> Any:
            return ticks * num / den

        out = _BlockBuilder(seconds(self._t0), self.initial)
        body = _Body(self.path, self._ids, self._names)
        body.time = self._t0
        held: list[_Keyed | None] = [None, None]
        if self._resume is not None:
            offset, line = self._resume
            with open(self.path, "rb") as f:
                f.seek(offset)
                carry = b""
                while True:
                    data = f.read(self.chunk_bytes)
                    self._fraction = f.tell() / max(1, self.path.stat().st_size)
                    block = carry + data
                    if not block:
                        break
                    cut = _last_space(block) if data else len(block)
                    if not cut:
                        if len(block) > _MAX_TOKEN:
                            raise CaptureError(
                                f"{self.path}:{line}: a token longer than {_MAX_TOKEN} bytes"
                            )
                        carry = block
                        continue
                    text, carry = block[:cut], block[cut:]
                    changes = body.scan(text, line)
                    line += text.count(b"\n")
                    cur = body.time
                    for ch in (0, 1):
                        (ticks, levels, pos), held[ch] = _settle(held[ch], changes[ch], cur)
                        out.add(ch, seconds(ticks), levels, pos)
                    if out.count >= self.block_changes:
                        yield out.cut(seconds(float(cur or 0)))
            body.finish(line)
        for ch in (0, 1):
            rest = held[ch]
            if rest is not None:
                out.add(ch, seconds(rest[0]), rest[1], rest[2])
        end = body.time if body.time is not None else 0
        yield out.cut_last(seconds(float(end)))


# -- writing


def _digits(values: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
    """Decimal digits of non-negative ``values``, one row each, right-aligned with
    0 bytes in front; the caller drops all 0 bytes from the finished text."""
    width = len(str(int(values.max()))) if values.size else 1
    out = np.zeros((values.size, width), np.uint8)
    rest = values.copy()
    for col in range(width - 1, -1, -1):
        digit = (rest % 10).astype(np.uint8) + np.uint8(0x30)
        out[:, col] = np.where((rest > 0) | (col == width - 1), digit, 0)
        rest //= 10
    return out


def _text(*columns: npt.NDArray[np.uint8]) -> bytes:
    """Join per-row byte columns (2-D uint8, 0 = nothing) into text."""
    table = np.concatenate([c.reshape(c.shape[0], -1) for c in columns], axis=1)
    flat = table.ravel()
    return flat[flat != 0].tobytes()


def _vcd_id(index: int) -> bytes:
    """Short identifiers from the 94 printable characters: ! " # ... ~ !! "! ..."""
    out = bytearray()
    index += 1
    while index:
        index, r = divmod(index - 1, 94)
        out.append(33 + r)
    return bytes(out)


def _check_changes(
    what: str, times: npt.ArrayLike, levels: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    t = np.asarray(times, np.float64).ravel()
    lv = np.asarray(levels).ravel()
    if t.size != lv.size:
        raise ValueError(f"{what}: {t.size} times but {lv.size} levels")
    if not np.isfinite(t).all() or (np.diff(t) < 0).any():
        raise ValueError(f"{what}: times must be finite and in increasing order")
    if lv.size and not np.isin(lv, (0, 1, UNKNOWN)).all():
        raise ValueError(f"{what}: levels must be 0, 1 or UNKNOWN ({UNKNOWN})")
    return t, lv.astype(np.uint8)


def _channels(
    t_mdc: npt.ArrayLike,
    mdc_levels: npt.ArrayLike,
    t_mdio: npt.ArrayLike,
    mdio_levels: npt.ArrayLike,
    initial: tuple[int, int],
    start_time: float | None,
) -> tuple[list[tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]], float]:
    """Check the writers' input; give each channel an entry at the capture's start
    (``start_time``, by default 0 or the earliest entry if that is earlier), holding
    its ``initial`` level unless the channel has its own entry there."""
    chans = [_check_changes("MDC", t_mdc, mdc_levels), _check_changes("MDIO", t_mdio, mdio_levels)]
    earliest = min((float(t[0]) for t, _ in chans if t.size), default=0.0)
    start = min(earliest, 0.0) if start_time is None else float(start_time)
    if start > earliest:
        raise ValueError(f"start_time {start} is after the first change at {earliest}")
    if len(initial) != 2 or not all(level in (0, 1, UNKNOWN) for level in initial):
        raise ValueError(f"initial {initial} must be two levels: 0, 1 or UNKNOWN ({UNKNOWN})")
    out = []
    for (t, lv), level in zip(chans, initial, strict=True):
        if not t.size or t[0] > start:
            t = np.concatenate(([start], t))
            lv = np.concatenate((np.array([level], np.uint8), lv))
        out.append((t, lv))
    return out, start


def _layout(extra_channels: int, positions: tuple[int, int] | None) -> tuple[int, tuple[int, int]]:
    """Number of channels and the indices of MDC and MDIO among them."""
    count = 2 + extra_channels
    pos = positions if positions is not None else (0, 1)
    if extra_channels < 0 or pos[0] == pos[1] or not all(0 <= p < count for p in pos):
        raise ValueError(
            f"positions {pos} must be two different indices in 0-{count - 1} "
            f"(2 + extra_channels={extra_channels} channels)"
        )
    return count, (pos[0], pos[1])


#: MDC's and MDIO's changes, one chunk of them: times and levels of each.
Changes = tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike, npt.ArrayLike]
_Channel = tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]
#: Lines formatted at a time (about 60 bytes each while formatted).
_TEXT_ROWS = 1 << 16


def _chunked_channels(
    chunks: Iterable[Changes], initial: tuple[int, int], start_time: float | None
) -> Iterator[tuple[list[_Channel], float]]:
    """:func:`_channels` for changes that come in chunks: yields each chunk's two
    channels, checked (times also in order from one chunk to the next), and the
    capture's start; the first carries the entries at the start.  Chunks are held
    until both channels have had an entry (the start depends on the earliest); at
    least one item comes, with the start entries, even for no chunks at all."""
    held: list[list[_Channel]] = []
    last = [-math.inf, -math.inf]
    start: float | None = None
    for t_mdc, l_mdc, t_mdio, l_mdio in chunks:
        chans = [_check_changes("MDC", t_mdc, l_mdc), _check_changes("MDIO", t_mdio, l_mdio)]
        for k, ((t, _), what) in enumerate(zip(chans, ("MDC", "MDIO"), strict=True)):
            if t.size:
                if t[0] < last[k]:
                    raise ValueError(f"{what}: times must be finite and in increasing order")
                last[k] = float(t[-1])
        if start is not None:
            yield chans, start
            continue
        held.append(chans)
        if all(t > -math.inf for t in last):
            first, start = _channels(*_joined(held), initial, start_time)
            held.clear()
            yield first, start
    if start is None:
        yield _channels(*_joined(held), initial, start_time)


def _joined(
    chunks: list[list[_Channel]],
) -> tuple[
    npt.NDArray[np.float64], npt.NDArray[np.uint8], npt.NDArray[np.float64], npt.NDArray[np.uint8]
]:
    """Held chunks as one: (t_mdc, mdc_levels, t_mdio, mdio_levels)."""
    if len(chunks) == 1:
        (t_mdc, l_mdc), (t_mdio, l_mdio) = chunks[0]
        return t_mdc, l_mdc, t_mdio, l_mdio
    cat = [
        np.concatenate([c[k][j] for c in chunks]) if chunks else np.zeros(0)
        for k in (0, 1)
        for j in (0, 1)
    ]
    return cat[0], cat[1].astype(np.uint8), cat[2], cat[3].astype(np.uint8)


class _Pending:
    """One channel's changes not yet written, by key (ticks, rounded times) in order;
    ``last`` is the latest key seen, so later chunks hold none before it."""

    def __init__(self) -> None:
        self.keys: npt.NDArray[Any] = np.zeros(0)
        self.levels: npt.NDArray[np.uint8] = np.zeros(0, np.uint8)
        self.last: Any = None

    def add(self, keys: npt.NDArray[Any], levels: npt.NDArray[np.uint8]) -> None:
        if keys.size:
            self.last = keys[-1]
            if self.keys.size:
                keys = np.concatenate((self.keys, keys))
                levels = np.concatenate((self.levels, levels))
            self.keys, self.levels = keys, levels

    def take(self, limit: Any = None) -> tuple[npt.NDArray[Any], npt.NDArray[np.uint8]]:
        """The changes before ``limit`` (all of them for None), no longer pending."""
        n = self.keys.size if limit is None else int(np.searchsorted(self.keys, limit, "left"))
        out = self.keys[:n], self.levels[:n]
        self.keys, self.levels = self.keys[n:], self.levels[n:]
        return out


def _limit(pending: Sequence[_Pending]) -> Any:
    """Keys below this are final: no chunk to come has any (each channel's are in order)."""
    lasts = [p.last for p in pending]
    return None if any(x is None for x in lasts) else min(lasts)


def write_vcd(
    path: str | Path,
    t_mdc: npt.ArrayLike,
    mdc_levels: npt.ArrayLike,
    t_mdio: npt.ArrayLike,
    mdio_levels: npt.ArrayLike,
    *,
    timescale: str = "1ns",
    names: Sequence[str] = ("MDC", "MDIO"),
    extra_channels: int = 0,
    positions: tuple[int, int] | None = None,
    initial: tuple[int, int] = (0, 1),
    start_time: float | None = None,
    end_time: float | None = None,
    dumpvars: bool = True,
) -> None:
    """Write MDC and MDIO as a VCD file.

    ``*_levels[i]`` (0, 1 or UNKNOWN, written ``x``) holds from ``t_*[i]`` seconds
    on; times are rounded to the ``timescale``.  The dump starts at ``start_time``
    (default 0) with the levels ``initial`` (MDC, MDIO) unless the channels have
    entries there, and 0 on the ``extra_channels`` dummy wires ``D<k>``; that first
    step is a ``$dumpvars`` block, or one ``#t`` line when ``dumpvars`` is false.
    Later changes at one time share a line, as sigrok writes them.  ``positions``
    puts MDC/MDIO at other indices among the 2 + ``extra_channels`` wires;
    ``end_time`` adds a last timestamp.  :func:`write_vcd_chunks` writes changes
    that come in chunks.
    """
    write_vcd_chunks(
        path,
        [(t_mdc, mdc_levels, t_mdio, mdio_levels)],
        timescale=timescale,
        names=names,
        extra_channels=extra_channels,
        positions=positions,
        initial=initial,
        start_time=start_time,
        end_time=end_time,
        dumpvars=dumpvars,
    )


def write_vcd_chunks(
    path: str | Path,
    chunks: Iterable[Changes],
    *,
    timescale: str = "1ns",
    names: Sequence[str] = ("MDC", "MDIO"),
    extra_channels: int = 0,
    positions: tuple[int, int] | None = None,
    initial: tuple[int, int] = (0, 1),
    start_time: float | None = None,
    end_time: float | None = None,
    dumpvars: bool = True,
) -> None:
    """:func:`write_vcd` for changes that come in chunks ``(t_mdc, mdc_levels, t_mdio,
    mdio_levels)``, each channel's times in order across them: the same file as
    :func:`write_vcd` of the chunks joined, written as they come (a change is held
    only until no later chunk can hold one at the same or an earlier tick).

    The first chunk is checked before the file is opened; a later bad one raises
    ValueError with the file half written.
    """
    num, den = _tick_ratio(timescale)
    count, pos = _layout(extra_channels, positions)
    if any(not n or re.search(r"[\x00-\x20]", n) for n in names[:2]):
        raise ValueError(f"VCD names {tuple(names[:2])} must be non-empty, without spaces")
    ids = [_vcd_id(k) for k in range(count)]
    labels = [f"D{k}" for k in range(count)]
    labels[pos[0]], labels[pos[1]] = names[0], names[1]
    id_width = max(len(i) for i in ids)
    id_table = np.zeros((count, id_width), np.uint8)
    for k, ident in enumerate(ids):
        id_table[k, : len(ident)] = list(ident)
    pending = [_Pending(), _Pending()]
    t0 = 0
    last: int | None = None  # the tick of the last change written
    f: BinaryIO | None = None
    try:
        for number, (chans, start) in enumerate(_chunked_channels(chunks, initial, start_time)):
            if number == 0 and start < 0:
                raise ValueError(f"VCD times cannot be negative (start {start})")
            for held, (t, levels) in zip(pending, chans, strict=True):
                held.add(np.rint(t * den / num).astype(np.int64), levels)
            if number == 0:
                t0 = int(pending[0].keys[0])  # MDC has an entry at the start
            if f is None:
                # The first step needs every change at t0: wait for one after it.
                if any(p.last is None or p.last <= t0 for p in pending):
                    continue
                f = open(path, "wb")  # noqa: SIM115 - closed below
                _vcd_head(f, pending, t0, timescale, ids, labels, pos, dumpvars)
            written = _vcd_body(f, pending, _limit(pending), pos, id_table)
            last = last if written is None else written
        if f is None:
            f = open(path, "wb")  # noqa: SIM115 - closed below
            _vcd_head(f, pending, t0, timescale, ids, labels, pos, dumpvars)
        written = _vcd_body(f, pending, None, pos, id_table)
        last = last if written is None else written
        if end_time is not None:
            end = int(np.rint(end_time * den / num))
            last = t0 if last is None else last
            if end < last:
                raise ValueError(f"end_time {end_time} is before the last change")
            if end > last:
                f.write(f"#{end}\n".encode())
    finally:
        if f is not None:
            f.close()


def _vcd_head(
    f: BinaryIO,
    pending: Sequence[_Pending],
    t0: int,
    timescale: str,
    ids: Sequence[bytes],
    labels: Sequence[str],
    pos: tuple[int, int],
    dumpvars: bool,
) -> None:
    """The declarations and the first step (the levels at t0, taken from ``pending``)."""
    count = len(ids)
    head = [
        "$version physcapy $end",
        f"$timescale {timescale} $end",
        "$scope module physcapy $end",
        *(f"$var wire 1 {ids[k].decode()} {labels[k]} $end" for k in range(count)),
        "$upscope $end",
        "$enddefinitions $end",
    ]
    first = [b"0"] * count
    for held, k in zip(pending, pos, strict=True):
        at_t0 = int(np.searchsorted(held.keys, t0, "right"))
        _, levels = held.take(t0 + 1)
        first[k] = b"01x"[int(levels[at_t0 - 1]) :][:1] if at_t0 else b"x"
    step = [v + ids[k] for k, v in enumerate(first)]
    if dumpvars:
        head += [f"#{t0}", "$dumpvars", *(s.decode() for s in step), "$end"]
    else:
        head.append(f"#{t0} " + " ".join(s.decode() for s in step))
    f.write(("\n".join(head) + "\n").encode())


def _vcd_body(
    f: BinaryIO,
    pending: Sequence[_Pending],
    limit: Any,
    pos: tuple[int, int],
    id_table: npt.NDArray[np.uint8],
) -> int | None:
    """Write the pending changes before tick ``limit`` (all for None): changes at one
    tick share a line, MDC's first.  Returns the last one's tick (None: none)."""
    ready = [held.take(limit) for held in pending]
    ev_ticks = np.concatenate([tk for tk, _ in ready])
    if not ev_ticks.size:
        return None
    ev_levels = np.concatenate([lv for _, lv in ready])
    ev_chan = np.concatenate([np.full(tk.size, k) for (tk, _), k in zip(ready, pos, strict=True)])
    order = np.argsort(ev_ticks, kind="stable")
    ev_ticks, ev_levels, ev_chan = ev_ticks[order], ev_levels[order], ev_chan[order]
    new_time = np.ones(ev_ticks.size, bool)
    new_time[1:] = ev_ticks[1:] != ev_ticks[:-1]
    ends_time = np.ones(ev_ticks.size, bool)
    ends_time[:-1] = new_time[1:]
    chars = np.frombuffer(b"01x", np.uint8)
    for lo in range(0, ev_ticks.size, _TEXT_ROWS):
        sl = slice(lo, lo + _TEXT_ROWS)
        starts = new_time[sl][:, None]
        f.write(
            _text(
                np.where(starts, np.uint8(0x23), np.uint8(0)),
                np.where(starts, _digits(ev_ticks[sl]), np.uint8(0)),
                np.where(starts, np.uint8(0x20), np.uint8(0)),
                chars[ev_levels[sl]],
                id_table[ev_chan[sl]],
                np.where(ends_time[sl], np.uint8(0x0A), np.uint8(0x20)),
            )
        )
    return int(ev_ticks[-1])
