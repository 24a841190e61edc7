# SPDX-License-Identifier: GPL-2.0-only
"""Saleae Logic 2 exports: the digital CSV and the binary export, read and written.

* CSV (``digital.csv``): a ``Time [s],<name>,...`` header, then one row per time
  any channel changes, values ``0``, ``1`` or ``X`` (no data).  Parsed with numpy
  a few hundred thousand rows at a time: 2.5 M rows read in about a second.
* Binary (a directory of ``digital_<n>.bin``): per channel an initial state and
  the times at which the level flips, little-endian doubles after a 44-byte (v0)
  or per-chunk (v1) header.  Read a piece at a time; v1 gaps between chunks are
  missing data and come out as :data:`~physcapy.capture.base.UNKNOWN`.

Both stream :class:`~physcapy.capture.base.TransitionBlock` objects::

    >>> import tempfile
    >>> from pathlib import Path
    >>> out = Path(tempfile.mkdtemp())
    >>> write_saleae_binary(out, [0, 1e-6, 2e-6], [0, 1, 0], [0, 1.5e-6], [1, 0])
    >>> sorted(p.name for p in out.iterdir())
    ['digital_0.bin', 'digital_1.bin']
    >>> with SaleaeBinaryReader(out, mdc=0, mdio="digital_1") as r:
    ...     print(r.channels, r.initial)
    ...     for b in r.blocks():
    ...         print(b.mdc_times, b.mdc_levels, b.mdio_times, b.mdio_levels)
    ['digital_0', 'digital_1'] (0, 1)
    [1.e-06 2.e-06] [1 0] [1.5e-06] [0]
    >>> write_saleae_csv(out / "digital.csv", [0, 1e-6], [0, 1], [0], [1])
    >>> print((out / "digital.csv").read_text(), end="")
    Time [s],MDC,MDIO
    0.000000000,0,1
    0.000001000,1,1
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import re
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from physcapy.capture.base import (
    UNKNOWN,
    CaptureReader,
    TransitionBlock,
    capture_error,
    pick_channel,
)
from physcapy.capture.vcd import (
    _TEXT_ROWS,
    Changes,
    _BlockBuilder,
    _Changes,
    _chunked_channels,
    _digits,
    _layout,
    _limit,
    _Pending,
    _settle,
    _text,
)
from physcapy.errors import CaptureError

__all__ = [
    "SaleaeBinaryReader",
    "SaleaeCsvReader",
    "write_saleae_binary",
    "write_saleae_binary_chunks",
    "write_saleae_csv",
    "write_saleae_csv_chunks",
]

_MAX_LINE = 1 << 16
#: CSV value byte -> level, 255 where the byte is not a value.
_CSV_LEVEL = np.full(256, 255, np.uint8)
_CSV_LEVEL[[ord("0"), ord("1"), ord("X")]] = [0, 1, UNKNOWN]


class SaleaeCsvReader(CaptureReader):
    """Stream MDC and MDIO from a Logic 2 ``digital.csv``.

    ``mdc``/``mdio`` are column names (case-insensitive) or indices among the
    channel columns (the time column not counted); by default the columns named
    MDC and MDIO.  The first row gives ``initial``.
    """

    kind = "saleae-csv"

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
        self.chunk_bytes = max(chunk_bytes, 1)
        self.block_changes = max(block_changes, 1)
        try:
            with open(self.path, "rb") as f:
                self._read_header(f)
                self.mdc = pick_channel(self.path, self.channels, mdc, "MDC")
                self.mdio = pick_channel(self.path, self.channels, mdio, "MDIO")
                if self.mdc == self.mdio:
                    raise CaptureError(
                        f"{self.path}: MDC and MDIO are the same column "
                        f"({self.channels[self.mdc]}): choose two different channels"
                    )
                self._first_row(f)
        except CaptureError:
            raise
        except (OSError, ValueError) as exc:  # unreadable, or a parse error we did not word
            raise capture_error(self.path, exc) from None

    def _readline(self, f: BinaryIO, line: int) -> bytes:
        raw = f.readline(_MAX_LINE)
        if len(raw) == _MAX_LINE and not raw.endswith(b"\n"):
            raise CaptureError(f"{self.path}:{line}: line longer than {_MAX_LINE} bytes")
        return raw

    def _read_header(self, f: BinaryIO) -> None:
        raw = self._readline(f, 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CaptureError(f"{self.path}:1: the header is not UTF-8 text") from None
        expected = "expected 'Time [s],<channel>,<channel>...' (a Logic 2 digital CSV export)"
        try:
            fields = [x.strip() for x in next(csv.reader([text.rstrip("\r\n")]), [])]
        except csv.Error as exc:
            raise CaptureError(f"{self.path}:1: bad header ({exc}): {expected}") from None
        if not fields or not fields[0].lower().startswith("time"):
            shown = fields[0] if fields else ""
            what = "an analog export" if shown.lower().startswith("trigger") else "not a header"
            raise CaptureError(f"{self.path}:1: {shown!r} is {what}: {expected}")
        if len(fields) < 3:
            raise CaptureError(
                f"{self.path}:1: the header has {len(fields) - 1} channel(s): {expected}"
            )
        self.channels = fields[1:]
        self._ncols = len(fields)

    def _first_row(self, f: BinaryIO) -> None:
        line = 2
        self._t0 = 0.0
        self.initial = (0, 1)
        self._resume: tuple[int, int, float] | None = None
        while raw := self._readline(f, line):
            if raw.strip():
                t, levels = self._row(raw, line)
                self._t0 = t
                self.initial = (levels[self.mdc], levels[self.mdio])
                self._resume = (f.tell(), line + 1, t)
                return
            line += 1

    def _row(self, raw: bytes, line: int) -> tuple[float, list[int]]:
        """Parse one row; the slow path, also used to word the errors the fast one finds."""
        fields = raw.rstrip(b"\r\n").split(b",")
        if len(fields) != self._ncols:
            raise CaptureError(
                f"{self.path}:{line}: {len(fields)} fields: the header has {self._ncols} "
                f"(Time [s] and {self._ncols - 1} channels)"
            )
        try:
            t = float(fields[0]) if len(fields[0]) <= 64 else math.nan
        except ValueError:
            t = math.nan
        if not math.isfinite(t):
            raise CaptureError(
                f"{self.path}:{line}: time {fields[0].decode('utf-8', 'replace')!r} "
                "is not a number of seconds"
            )
        levels = []
        for col, value in enumerate(fields[1:]):
            level = _CSV_LEVEL[value[0]] if len(value) == 1 else 255
            if level == 255:
                raise CaptureError(
                    f"{self.path}:{line}: column {col + 2} ({self.channels[col]}) is "
                    f"{value.decode('utf-8', 'replace')!r}: allowed 0, 1 or X"
                )
            levels.append(int(level))
        return t, levels

    def blocks(self) -> Iterator[TransitionBlock]:
        """The changes of MDC and MDIO after the first row, in time order."""
        return self._file_errors(self._blocks())

    def _blocks(self) -> Iterator[TransitionBlock]:
        out = _BlockBuilder(self._t0, self.initial)
        held: list[_Changes | None] = [None, None]
        cur = self._t0
        if self._resume is not None:
            offset, line, _ = self._resume
            prev = (self._t0, line - 1)
            with open(self.path, "rb") as f:
                f.seek(offset)
                carry = b""
                while True:
                    data = f.read(self.chunk_bytes)
                    self._fraction = f.tell() / max(1, self.path.stat().st_size)
                    block = carry + data
                    if not block:
                        break
                    cut = block.rfind(b"\n") + 1 if data else len(block)
                    if not cut:
                        if len(block) > _MAX_LINE:
                            raise CaptureError(
                                f"{self.path}:{line}: line longer than {_MAX_LINE} bytes"
                            )
                        carry = block
                        continue
                    text, carry = block[:cut], block[cut:]
                    rows = self._parse(text, line, prev)
                    line += text.count(b"\n")
                    if rows is None:
                        continue
                    times, levels, lines = rows
                    prev = (float(times[-1]), int(lines[-1]))
                    cur = prev[0]
                    for ch, col in enumerate((self.mdc, self.mdio)):
                        (t, lv, pos), held[ch] = _settle(
                            held[ch], (times, np.ascontiguousarray(levels[:, col]), lines), cur
                        )
                        out.add(ch, t, lv, pos)
                    if out.count >= self.block_changes:
                        yield out.cut(cur)
        for ch in (0, 1):
            rest = held[ch]
            if rest is not None:
                out.add(ch, *rest)
        yield out.cut_last(cur)

    def _parse(
        self, text: bytes, line: int, prev: tuple[float, int]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8], npt.NDArray[np.int64]] | None:
        """Times, levels (row x channel) and line numbers of the rows in ``text``."""
        buf = np.frombuffer(text, np.uint8)
        ends = np.flatnonzero(buf == 0x0A)
        if not text.endswith(b"\n"):
            ends = np.append(ends, buf.size)
        begins = np.empty_like(ends)
        begins[0] = 0
        begins[1:] = ends[:-1] + 1
        lines = line + np.arange(ends.size, dtype=np.int64)
        # Strip a CR before the LF, then drop blank lines.
        stops = ends.copy()
        stops[(stops > begins) & (buf[np.maximum(stops - 1, 0)] == 0x0D)] -= 1
        full = stops > begins
        if not full.all():
            begins, stops, lines = begins[full], stops[full], lines[full]
        if not begins.size:
            return None

        def fail(row: int) -> None:
            self._row(text[begins[row] : stops[row]], int(lines[row]))
            raise AssertionError("the slow parser accepted a row the fast one refused")

        commas = np.flatnonzero(buf == 0x2C)
        first = np.searchsorted(commas, begins)
        count = np.searchsorted(commas, stops) - first
        wrong = count != self._ncols - 1
        if wrong.any():
            fail(int(np.argmax(wrong)))
        at = commas[first[:, None] + np.arange(self._ncols - 1)]
        # Channel values: one byte each, between a comma and the next comma or the end.
        after = np.empty_like(at)
        after[:, :-1] = at[:, 1:]
        after[:, -1] = stops
        levels = _CSV_LEVEL[buf[np.minimum(at + 1, buf.size - 1)]]
        bad = (after - at != 2) | (levels == 255)
        if bad.any():
            fail(int(np.argmax(bad.any(axis=1))))
        # Times: the bytes before the first comma, padded with NULs into a fixed-width
        # string array, which numpy converts to float in C.
        width = at[:, 0] - begins
        widest = int(width.max())
        if widest > 64 or width.min() == 0:
            fail(int(np.argmax((width > 64) | (width == 0))))
        cols = np.arange(widest)
        pad = cols >= width[:, None]
        table = buf[np.minimum(begins[:, None] + cols, buf.size - 1)]
        table[pad] = 0
        try:
            times = table.view(f"S{widest}").ravel().astype(np.float64)
        except ValueError:  # find the culprit, or take Python's reading of the times
            times = np.array(
                [
                    self._row(text[begins[row] : stops[row]], int(lines[row]))[0]
                    for row in range(begins.size)
                ]
            )
        finite = np.isfinite(times)
        if not finite.all():
            fail(int(np.argmin(finite)))
        before = np.empty_like(times)
        before[0] = prev[0]
        before[1:] = times[:-1]
        back = times < before
        if back.any():
            row = int(np.argmax(back))
            prev_line = int(lines[row - 1]) if row else prev[1]
            raise CaptureError(
                f"{self.path}:{int(lines[row])}: time {float(times[row])!r} s goes backwards "
                f"(line {prev_line} has {float(before[row])!r} s)"
            )
        return times, levels, lines


# -- binary export

_MAGIC = b"<SALEAE>"
_HEAD = struct.Struct("<8sii")  # magic, version, type
_V0 = struct.Struct("<IddQ")  # initial state, begin, end, transitions
_V1_COUNT = struct.Struct("<Q")  # chunks
_V1_CHUNK = struct.Struct("<IdddQ")  # initial state, sample rate, begin, end, transitions
_FILE_NAME = re.compile(r"^digital_(\d+)\.bin$", re.IGNORECASE)


@dataclass
class _Chunk:
    index: int
    initial: int
    begin: float
    end: float
    count: int
    offset: int  # of the first transition time


@dataclass
class _BinFile:
    path: Path
    version: int
    begin: float | None  # of the first chunk; None when the file has none
    end: float | None  # of the last chunk
    initial: int


def _version(path: Path, f: BinaryIO) -> int:
    """Check the common header of a digital export file; return its version."""
    f.seek(0)
    head = f.read(_HEAD.size)
    if len(head) < _HEAD.size or head[:8] != _MAGIC:
        raise CaptureError(f"{path}: not a Saleae binary export: no <SALEAE> magic at the start")
    _, version, kind = _HEAD.unpack(head)
    if kind != 0:
        what = "an analog channel" if kind == 1 else f"type {kind}"
        raise CaptureError(f"{path}: {what}: allowed type 0 (digital)")
    if version not in (0, 1):
        raise CaptureError(f"{path}: binary export version {version}: allowed 0 or 1")
    return int(version)


def _chunks(path: Path, f: BinaryIO) -> Iterator[_Chunk]:
    """Check the headers of a digital export file and walk its chunks."""
    size = os.fstat(f.fileno()).st_size
    version = _version(path, f)
    if version == 0:
        count, layout = 1, _V0
    else:
        raw = f.read(_V1_COUNT.size)
        if len(raw) < _V1_COUNT.size:
            raise CaptureError(f"{path}: truncated: the file ends inside the header")
        (count,) = _V1_COUNT.unpack(raw)
        layout = _V1_CHUNK
    offset = f.tell()
    for index in range(count):
        f.seek(offset)
        raw = f.read(layout.size)
        if len(raw) < layout.size:
            raise CaptureError(
                f"{path}: truncated: the file ends in the header of chunk {index} of {count}"
            )
        if version == 0:
            initial, begin, end, transitions = _V0.unpack(raw)
        else:
            initial, _, begin, end, transitions = _V1_CHUNK.unpack(raw)
        offset += layout.size
        where = f"{path}: chunk {index}" if version else str(path)
        if initial not in (0, 1):
            raise CaptureError(f"{where}: initial state {initial}: allowed 0 or 1")
        if not (math.isfinite(begin) and math.isfinite(end) and begin <= end):
            raise CaptureError(f"{where}: begin {begin} s and end {end} s are not a time span")
        held = (size - offset) // 8
        if transitions > held:
            raise CaptureError(
                f"{where}: truncated: the header says {transitions} transitions, "
                f"the file holds {held}"
            )
        yield _Chunk(index, initial, begin, end, transitions, offset)
        offset += 8 * transitions


def _scan(path: Path) -> _BinFile:
    """Check every header of a file; note where its data begins and ends."""
    with open(path, "rb") as f:
        version = _version(path, f)
        begin = end = None
        initial = UNKNOWN
        for chunk in _chunks(path, f):
            if begin is None:
                begin, initial = chunk.begin, chunk.initial
            end = chunk.end
    return _BinFile(path, version, begin, end, initial)


def _normalize(
    times: npt.NDArray[np.float64],
    levels: npt.NDArray[np.uint8],
    pos: npt.NDArray[np.int64],
    level: int,
) -> _Changes:
    """The last entry at each time wins; entries that repeat the level go."""
    if times.size > 1:
        last = np.ones(times.size, bool)
        last[:-1] = times[1:] != times[:-1]
        times, levels, pos = times[last], levels[last], pos[last]
    prev = np.empty_like(levels)
    if levels.size:
        prev[0] = level
        prev[1:] = levels[:-1]
    keep = levels != prev
    return times[keep], levels[keep], pos[keep]


class _Cursor:
    """Buffered changes of one channel, for cutting both channels at common times."""

    def __init__(self, pieces: Iterator[_Changes]) -> None:
        self.pieces = pieces
        self.buf: list[_Changes] = []
        self.count = 0
        self.done = False

    def fill(self, n: int) -> None:
        while not self.done and self.count < n:
            piece = next(self.pieces, None)
            if piece is None:
                self.done = True
            elif piece[0].size:
                self.buf.append(piece)
                self.count += piece[0].size

    def time_at(self, n: int) -> float:
        for times, _, _ in self.buf:
            if n < times.size:
                return float(times[n])
            n -= times.size
        raise IndexError(n)

    def take_before(self, t: float) -> _Changes:
        joined = tuple(np.concatenate(col) for col in zip(*self.buf, strict=True))
        times, levels, pos = (
            joined if joined else (np.zeros(0), np.zeros(0, np.uint8), np.zeros(0, np.int64))
        )
        n = int(np.searchsorted(times, t, "left"))
        rest = (times[n:], levels[n:], pos[n:])
        self.buf = [rest] if n < times.size else []
        self.count = times.size - n
        return times[:n], levels[:n], pos[:n]


class SaleaeBinaryReader(CaptureReader):
    """Stream MDC and MDIO from a Logic 2 binary export.

    ``path`` is the export directory or one of its ``digital_<n>.bin`` files.
    ``mdc``/``mdio`` choose a channel by name (``digital_3``), by number (``3`` or
    ``"3"``, Saleae's channel number), or give a ``.bin`` file's path.
    """

    kind = "saleae-binary"

    def __init__(
        self,
        path: str | Path,
        mdc: str | int | Path | None = None,
        mdio: str | int | Path | None = None,
        *,
        piece: int = 1 << 18,
        block_changes: int = 1 << 18,
    ) -> None:
        self.path = Path(path)
        self.samplerate = None
        self.piece = max(piece, 1)
        self.block_changes = max(block_changes, 4)
        try:
            self._find_files()
            self.mdc = self._choose(mdc, "MDC")
            self.mdio = self._choose(mdio, "MDIO")
            if self.mdc == self.mdio:
                raise CaptureError(
                    f"{self.path}: MDC and MDIO are the same channel "
                    f"({self.channels[self.mdc]}): choose two different channels"
                )
            self._info = (_scan(self._files[self.mdc]), _scan(self._files[self.mdio]))
        except CaptureError:
            raise
        except (OSError, ValueError) as exc:  # unreadable, or a parse error we did not word
            raise capture_error(self.path, exc) from None
        begins = [i.begin for i in self._info if i.begin is not None]
        ends = [i.end for i in self._info if i.end is not None]
        self._begin = min(begins, default=0.0)
        self._end = max(ends, default=self._begin)
        mdc_info, mdio_info = self._info
        self.initial = (
            mdc_info.initial if mdc_info.begin == self._begin else UNKNOWN,
            mdio_info.initial if mdio_info.begin == self._begin else UNKNOWN,
        )

    def _find_files(self) -> None:
        if not self.path.exists():
            raise CaptureError(f"{self.path}: no such file or directory")
        self._dir = self.path if self.path.is_dir() else self.path.parent
        found = []
        for entry in os.scandir(self._dir):
            m = _FILE_NAME.match(entry.name)
            if m and entry.is_file():
                found.append((int(m.group(1)), Path(entry.path)))
        found.sort()
        self._files = [p for _, p in found]
        self.channels = [f"digital_{n}" for n, _ in found]
        if self.path.is_file() and not any(p.name == self.path.name for p in self._files):
            self._files.append(self.path)
            self.channels.append(self.path.stem)

    def _choose(self, wanted: str | int | Path | None, role: str) -> int:
        if isinstance(wanted, Path) or (
            isinstance(wanted, str) and (wanted.lower().endswith(".bin") or os.sep in wanted)
        ):
            p = Path(wanted)
            if not p.exists() and not p.is_absolute() and (self._dir / p).exists():
                p = self._dir / p
            if not p.is_file():
                raise CaptureError(f"{p}: no such file (the {role} channel)")
            for i, known in enumerate(self._files):
                if known.resolve() == p.resolve():
                    return i
            self._files.append(p)
            self.channels.append(str(p))
            return len(self._files) - 1
        if isinstance(wanted, int) or (isinstance(wanted, str) and wanted.strip().isdigit()):
            wanted = f"digital_{int(wanted)}"  # Saleae's channel number, not a list index
        return pick_channel(self.path, self.channels, wanted, role)

    def blocks(self) -> Iterator[TransitionBlock]:
        """Both channels' transitions, merged into time windows."""
        return self._file_errors(self._blocks())

    def _blocks(self) -> Iterator[TransitionBlock]:
        out = _BlockBuilder(self._begin, self.initial)
        cursors = [
            _Cursor(self._pieces(info, level))
            for info, level in zip(self._info, self.initial, strict=True)
        ]
        # Cut where either channel has its k-th pending change, so a block holds
        # fewer than k changes of each.
        k = self.block_changes // 2
        while True:
            for c in cursors:
                c.fill(k)
            due = [c.time_at(k - 1) for c in cursors if c.count >= k]
            if not due:
                break
            t_end = min(due)
            for ch, c in enumerate(cursors):
                out.add(ch, *c.take_before(t_end))
            yield out.cut(t_end)
        for ch, c in enumerate(cursors):
            out.add(ch, *c.take_before(math.inf))
        yield out.cut_last(self._end)

    def _pieces(self, info: _BinFile, level: int) -> Iterator[_Changes]:
        """One channel's changes in pieces: transitions, plus UNKNOWN over gaps."""
        path = info.path
        last = -math.inf  # time of the last change handed out (or made up)
        last_real = -math.inf
        end = None  # where the previous chunk's data stops
        base = 0  # transitions in the chunks before
        with open(path, "rb") as f:
            for chunk in _chunks(path, f):
                where = f"{path}: chunk {chunk.index}" if info.version else str(path)
                if chunk.begin < last_real:
                    raise CaptureError(
                        f"{where}: begins at {chunk.begin!r} s, before the transition at "
                        f"{last_real!r} s: times not increasing"
                    )
                head_t, head_l = [], []
                if end is not None and chunk.begin > end:  # a gap: no data
                    head_t.append(end)
                    head_l.append(UNKNOWN)
                    last = end
                head_t.append(max(chunk.begin, math.nextafter(last, math.inf)))
                head_l.append(chunk.initial)
                lower = max(chunk.begin, math.nextafter(last, math.inf))
                f.seek(chunk.offset)
                done = 0
                while True:
                    n = min(self.piece, chunk.count - done)
                    raw = f.read(8 * n)
                    if len(raw) < 8 * n:
                        raise CaptureError(
                            f"{where}: truncated: transition {done + len(raw) // 8} of "
                            f"{chunk.count} is missing"
                        )
                    times = np.frombuffer(raw, "<f8").astype(np.float64)
                    if times.size:
                        rising = np.empty(times.size, bool)
                        rising[0] = times[0] >= lower
                        rising[1:] = times[1:] > times[:-1]
                        ok = rising & np.isfinite(times)
                        if not ok.all():
                            i = int(np.argmin(ok))
                            raise CaptureError(
                                f"{where}: transition {done + i} at {float(times[i])!r} s: times not "
                                "increasing (or outside the chunk)"
                            )
                        lower = math.nextafter(float(times[-1]), math.inf)
                        last_real = float(times[-1])
                    index = done + np.arange(n, dtype=np.int64)
                    levels = ((chunk.initial + 1 + index) & 1).astype(np.uint8)
                    index += base  # positions count transitions across chunks
                    if head_t:
                        times = np.concatenate((head_t, times))
                        levels = np.concatenate((np.array(head_l, np.uint8), levels))
                        index = np.concatenate((np.full(len(head_t), -1, np.int64), index))
                        head_t, head_l = [], []
                    piece = _normalize(times, levels, index, level)
                    if piece[1].size:
                        level = int(piece[1][-1])
                        last = max(last, float(piece[0][-1]))
                        yield piece
                    done += n
                    if done >= chunk.count:
                        break
                end = max(chunk.end, math.nextafter(last, math.inf))
                base += chunk.count
        if end is not None and end < self._end and level != UNKNOWN:  # data stops early
            yield np.array([end]), np.array([UNKNOWN], np.uint8), np.array([-1], np.int64)


# -- writing


def _fixed(values: npt.NDArray[np.float64], decimals: int) -> npt.NDArray[np.uint8]:
    """``values`` as fixed-point text with ``decimals`` digits, one row each (0 = nothing)."""
    q = np.rint(values * 10.0**decimals).astype(np.int64)
    whole, frac = np.divmod(np.abs(q), 10**decimals)
    cols = [np.where(q < 0, np.uint8(ord("-")), np.uint8(0)), _digits(whole)]
    if decimals:
        cols.append(np.full(q.size, ord("."), np.uint8))
        frac_cols = np.zeros((q.size, decimals), np.uint8)
        for col in range(decimals - 1, -1, -1):
            frac, digit = np.divmod(frac, 10)
            frac_cols[:, col] = digit + 0x30
        cols.append(frac_cols)
    return np.concatenate([c.reshape(q.size, -1) for c in cols], axis=1)


def write_saleae_csv(
    path: str | Path,
    t_mdc: npt.ArrayLike,
    mdc_levels: npt.ArrayLike,
    t_mdio: npt.ArrayLike,
    mdio_levels: npt.ArrayLike,
    *,
    names: Sequence[str] = ("MDC", "MDIO"),
    extra_channels: int = 0,
    positions: tuple[int, int] | None = None,
    initial: tuple[int, int] = (0, 1),
    start_time: float | None = None,
    decimals: int = 9,
) -> None:
    """Write MDC and MDIO as a Logic 2 digital CSV.

    ``*_levels[i]`` (0, 1 or UNKNOWN, written ``X``) holds from ``t_*[i]`` seconds
    on.  The first row is at ``start_time`` (default 0) with the levels
    ``initial`` unless the channels have entries there; then there is a row at
    every time either channel has an entry, giving every channel's level (the
    ``extra_channels`` dummy columns ``Channel <k>`` are 0).  Times are written
    with ``decimals`` digits after the point; ``positions`` puts MDC/MDIO at
    other columns.  :func:`write_saleae_csv_chunks` writes changes that come in
    chunks.
    """
    write_saleae_csv_chunks(
        path,
        [(t_mdc, mdc_levels, t_mdio, mdio_levels)],
        names=names,
        extra_channels=extra_channels,
        positions=positions,
        initial=initial,
        start_time=start_time,
        decimals=decimals,
    )


def write_saleae_csv_chunks(
    path: str | Path,
    chunks: Iterable[Changes],
    *,
    names: Sequence[str] = ("MDC", "MDIO"),
    extra_channels: int = 0,
    positions: tuple[int, int] | None = None,
    initial: tuple[int, int] = (0, 1),
    start_time: float | None = None,
    decimals: int = 9,
) -> None:
    """:func:`write_saleae_csv` for changes that come in chunks ``(t_mdc, mdc_levels,
    t_mdio, mdio_levels)``, each channel's times in order across them: the same file
    as :func:`write_saleae_csv` of the chunks joined, written as they come (a row
    waits only until no later chunk can have an entry at the same or an earlier time).

    The first chunk is checked before the file is opened; a later bad one raises
    ValueError with the file half written.
    """
    count, pos = _layout(extra_channels, positions)
    scale = 10.0**decimals
    labels = [f"Channel {k}" for k in range(count)]
    labels[pos[0]], labels[pos[1]] = names[0], names[1]
    pending = [_Pending(), _Pending()]
    before = [ord("X"), ord("X")]  # each channel's level ahead of its pending entries
    f: BinaryIO | None = None
    try:
        for chans, _ in _chunked_channels(chunks, initial, start_time):
            if f is None:
                with open(path, "w", newline="") as head:
                    csv.writer(head, lineterminator="\n").writerow(["Time [s]", *labels])
                f = open(path, "ab")  # noqa: SIM115 - closed below
            for held, (t, levels) in zip(pending, chans, strict=True):
                held.add(np.rint(t * scale), levels)
            _csv_rows(f, pending, _limit(pending), before, pos, count, scale, decimals)
        if f is not None:
            _csv_rows(f, pending, None, before, pos, count, scale, decimals)
    finally:
        if f is not None:
            f.close()


def _csv_rows(
    f: BinaryIO,
    pending: Sequence[_Pending],
    limit: float | None,
    before: list[int],
    pos: tuple[int, int],
    count: int,
    scale: float,
    decimals: int,
) -> None:
    """Write a row at each pending time before ``limit`` (all for None)."""
    ready = [held.take(limit) for held in pending]
    rows = np.unique(np.concatenate([q for q, _ in ready]))
    if not rows.size:
        return
    chars = np.frombuffer(b"01X", np.uint8)
    table = np.full((rows.size, count), ord("0"), np.uint8)
    for c, ((q, levels), k) in enumerate(zip(ready, pos, strict=True)):
        if not levels.size:
            table[:, k] = before[c]
            continue
        at = np.searchsorted(q, rows, "right") - 1
        table[:, k] = np.where(at >= 0, chars[levels[np.maximum(at, 0)]], before[c])
        before[c] = int(chars[levels[-1]])
    commas = np.full((1, count), ord(","), np.uint8)
    for lo in range(0, rows.size, _TEXT_ROWS):
        part = slice(lo, lo + _TEXT_ROWS)
        n = rows[part].size
        values = np.empty((n, 2 * count), np.uint8)
        values[:, 0::2] = commas
        values[:, 1::2] = table[part]
        f.write(
            _text(
                _fixed(rows[part] / scale, decimals),
                values,
                np.full(n, 0x0A, np.uint8),
            )
        )


def write_saleae_binary(
    directory: str | Path,
    t_mdc: npt.ArrayLike,
    mdc_levels: npt.ArrayLike,
    t_mdio: npt.ArrayLike,
    mdio_levels: npt.ArrayLike,
    *,
    version: int = 0,
    extra_channels: int = 0,
    positions: tuple[int, int] | None = None,
    initial: tuple[int, int] = (0, 1),
    start_time: float | None = None,
    end_time: float | None = None,
    sample_rate: float = 500e6,
) -> None:
    """Write MDC and MDIO as a Logic 2 binary export: ``digital_<n>.bin`` files.

    ``*_levels[i]`` holds from ``t_*[i]`` seconds on; the export begins at
    ``start_time`` (default 0) with the levels ``initial`` unless the channels
    have entries there, and ends at ``end_time`` (default: the last entry).
    Version 1 writes a chunk per stretch of known levels, so UNKNOWN entries
    become gaps; version 0 has one chunk and refuses UNKNOWN.  The
    ``extra_channels`` dummy files are constant 0; ``positions`` gives MDC's and
    MDIO's channel numbers.  :func:`write_saleae_binary_chunks` writes changes
    that come in chunks.
    """
    write_saleae_binary_chunks(
        directory,
        [(t_mdc, mdc_levels, t_mdio, mdio_levels)],
        version=version,
        extra_channels=extra_channels,
        positions=positions,
        initial=initial,
        start_time=start_time,
        end_time=end_time,
        sample_rate=sample_rate,
    )


def write_saleae_binary_chunks(
    directory: str | Path,
    chunks: Iterable[Changes],
    *,
    version: int = 0,
    extra_channels: int = 0,
    positions: tuple[int, int] | None = None,
    initial: tuple[int, int] = (0, 1),
    start_time: float | None = None,
    end_time: float | None = None,
    sample_rate: float = 500e6,
) -> None:
    """:func:`write_saleae_binary` for changes that come in chunks ``(t_mdc,
    mdc_levels, t_mdio, mdio_levels)``, each channel's times in order across them:
    the same files as :func:`write_saleae_binary` of the chunks joined, written as
    they come (a chunk header is completed when its end and count are known).

    The files are written as ``digital_<n>.bin.part`` and renamed when all are
    complete: an error (a bad chunk, a failed write) leaves older files as they were.
    """
    if version not in (0, 1):
        raise ValueError(f"binary export version {version}: allowed 0 or 1")
    count, pos = _layout(extra_channels, positions)
    out = Path(directory)
    made = not out.exists()
    parts = {k: out / f"digital_{k}.bin.part" for k in range(count)}
    writers: list[_BinWriter] = []
    last = [-math.inf, -math.inf]
    begin = 0.0
    try:
        for chans, start in _chunked_channels(chunks, initial, start_time):
            if not writers:
                begin = start
                out.mkdir(parents=True, exist_ok=True)
                for k, name in zip(pos, ("MDC", "MDIO"), strict=True):
                    writers.append(_BinWriter(parts[k], version, sample_rate, name))
            for c, (t, levels) in enumerate(chans):
                if t.size:
                    last[c] = float(t[-1])
                writers[c].add(t, levels)
        end = max(last) if end_time is None else float(end_time)
        if end < max(last):
            raise ValueError(f"end_time {end} is before the last entry at {max(last)}")
        for w in writers:
            w.finish(end)
        for k in range(count):
            if k not in pos:
                with open(parts[k], "wb") as f:
                    f.write(_HEAD.pack(_MAGIC, version, 0))
                    if version == 0:
                        f.write(_V0.pack(0, begin, end, 0))
                    else:
                        f.write(_V1_COUNT.pack(1) + _V1_CHUNK.pack(0, sample_rate, begin, end, 0))
        for k in range(count):
            os.replace(parts[k], out / f"digital_{k}.bin")
    except BaseException:
        for w in writers:
            w.close()
        for part in parts.values():
            part.unlink(missing_ok=True)
        if made:
            with contextlib.suppress(OSError):
                out.rmdir()  # only if empty: nothing of the caller's
        raise


class _BinWriter:
    """One channel's ``digital_<n>.bin``, written as its entries come: a chunk
    (a stretch of known levels) is started with a placeholder header, completed
    with its end and transition count when the stretch ends."""

    def __init__(self, path: Path, version: int, sample_rate: float, name: str) -> None:
        self.version, self.sample_rate, self.name = version, sample_rate, name
        self.f = open(path, "wb")  # noqa: SIM115 - closed by finish() or close()
        self.f.write(_HEAD.pack(_MAGIC, version, 0))
        if version == 1:
            self.f.write(_V1_COUNT.pack(0))
        self.runs = 0
        self.run: tuple[int, int, float] | None = None  # header offset, state, begin
        self.count = 0
        self.level = 0
        # The last entry: held until the next shows no later entry has its time
        # (of entries at one time, the last holds).
        self.held: tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]] = (
            np.zeros(0),
            np.zeros(0, np.uint8),
        )

    def add(self, t: npt.NDArray[np.float64], levels: npt.NDArray[np.uint8]) -> None:
        if not t.size:
            return
        t = np.concatenate((self.held[0], t))
        levels = np.concatenate((self.held[1], levels))
        self.held = (t[-1:], levels[-1:])
        last = t[1:] != t[:-1]
        self._feed(t[:-1][last], levels[:-1][last])

    def finish(self, end: float) -> None:
        self._feed(*self.held)
        if self.run is not None:
            self._close(end)
        if self.version == 0 and self.runs != 1:
            raise ValueError(
                f"{self.name}: version 0 holds one stretch of 0/1 levels: use version=1"
            )
        if self.version == 1:
            self.f.seek(_HEAD.size)
            self.f.write(_V1_COUNT.pack(self.runs))
        self.f.close()

    def close(self) -> None:
        self.f.close()

    def _header(self, state: int, begin: float, end: float, count: int) -> bytes:
        if self.version == 0:
            return _V0.pack(state, begin, end, count)
        return _V1_CHUNK.pack(state, self.sample_rate, begin, end, count)

    def _open(self, state: int, begin: float) -> None:
        if self.version == 0 and self.runs:
            raise ValueError(
                f"{self.name}: version 0 holds one stretch of 0/1 levels: use version=1"
            )
        self.runs += 1
        self.run = (self.f.tell(), state, begin)
        self.count = 0
        self.level = state
        self.f.write(self._header(state, begin, 0.0, 0))

    def _close(self, end: float) -> None:
        assert self.run is not None
        offset, state, begin = self.run
        here = self.f.tell()
        self.f.seek(offset)
        self.f.write(self._header(state, begin, end, self.count))
        self.f.seek(here)
        self.run = None

    def _feed(self, t: npt.NDArray[np.float64], levels: npt.NDArray[np.uint8]) -> None:
        """Entries with distinct times: UNKNOWN ends a stretch, a known level starts
        one; inside one, the times the level flips are written."""
        i, n = 0, t.size
        while i < n:
            if self.run is None:
                known = np.flatnonzero(levels[i:] != UNKNOWN)
                if not known.size:
                    return
                j = i + int(known[0])
                self._open(int(levels[j]), float(t[j]))
                i = j + 1
                continue
            unknown = np.flatnonzero(levels[i:] == UNKNOWN)
            j = i + int(unknown[0]) if unknown.size else n
            if j > i:
                seg = levels[i:j]
                prev = np.empty_like(seg)
                prev[0] = self.level
                prev[1:] = seg[:-1]
                flips = t[i:j][seg != prev]
                self.f.write(flips.astype("<f8").tobytes())
                self.count += flips.size
                self.level = int(seg[-1])
            if j < n:
                self._close(float(t[j]))
            i = j
