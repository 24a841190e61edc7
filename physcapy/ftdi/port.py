# SPDX-License-Identifier: GPL-2.0-only
"""The byte pipe to an FTDI chip, and recording and replaying it.

physcapy needs only two methods of pyftdi's ``Ftdi``: ``write_data(bytes)`` and
``read_data_bytes(size, attempt)``.  Anything that has them is a port: the real
``Ftdi`` (on an adapter, or on the emulated USB chip of ``ftdi-emu://``), or a
:class:`ReplayPort` that plays
back a JSONL recording made on real hardware (one line per USB write or read, as
Glasgow records its MDIO pipe), so a hardware run can be recorded once and replayed in
tests.

    >>> import io
    >>> log = io.StringIO()
    >>> rec = RecordingPort(EchoPort(), log, {"chip": "ft232h"})
    >>> rec.write_data(b"\\xab"); rec.read_data_bytes(2)
    1
    b'\\xfa\\xab'
    >>> play = ReplayPort(io.StringIO(log.getvalue()), "demo.jsonl")
    >>> play.meta, play.write_data(b"\\xab"), play.read_data_bytes(2)
    ({'chip': 'ft232h'}, 1, b'\\xfa\\xab')
"""

from __future__ import annotations

import json
from typing import IO, Any, Protocol

from physcapy.errors import PhyscapyError

__all__ = ["EchoPort", "FtdiPort", "RecordingPort", "ReplayError", "ReplayPort"]


class FtdiPort(Protocol):
    """The subset of ``pyftdi.ftdi.Ftdi`` physcapy drives."""

    def write_data(self, data: bytes) -> int: ...

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes: ...


class ReplayError(PhyscapyError):
    """A replayed session diverged from its recording."""


class EchoPort:
    """A port that answers every byte as a bad opcode (``0xFA`` + byte); for examples."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def write_data(self, data: bytes) -> int:
        for b in data:
            self._pending += bytes([0xFA, b])
        return len(data)

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        out, self._pending = bytes(self._pending[:size]), self._pending[size:]
        return out


class RecordingPort:
    """Pass everything through to ``port`` and log it, one JSON object per line.

    The first line is ``{"meta": {...}}``; then ``{"write": HEX}``,
    ``{"read": HEX, "size": N}`` and, where the USB failed,
    ``{"error": "write"|"read", "errno": N, "message": TEXT}``, in the order they
    happened.
    """

    def __init__(self, port: FtdiPort, log: IO[str], meta: dict[str, Any]):
        self.port = port
        self.log = log
        self._log({"meta": meta})

    def _log(self, record: dict[str, Any]) -> None:
        self.log.write(json.dumps(record) + "\n")
        self.log.flush()  # a session that dies mid-way still leaves its record

    def _failed(self, kind: str, exc: OSError) -> None:
        self._log({"error": kind, "errno": exc.errno, "message": str(exc)})

    def write_data(self, data: bytes) -> int:
        try:
            count = self.port.write_data(data)
        except OSError as exc:
            self._failed("write", exc)
            raise
        self._log({"write": bytes(data).hex()})
        return count

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        try:
            data = bytes(self.port.read_data_bytes(size, attempt))
        except OSError as exc:
            self._failed("read", exc)
            raise
        self._log({"read": data.hex(), "size": size})
        return data

    def close(self) -> None:
        self.log.close()
        closer = getattr(self.port, "close", None)
        if closer is not None:
            closer()


def _check_record(record: object, name: str, lineno: int) -> dict[str, Any]:
    where = f"{name}:{lineno}"
    if not isinstance(record, dict) or len(record.keys() & {"meta", "write", "read", "error"}) != 1:
        raise ReplayError(
            f"{where}: expected an object with one of 'meta', 'write', 'read', 'error'"
        )
    if "meta" in record and not isinstance(record["meta"], dict):
        raise ReplayError(f"{where}: 'meta' must be an object")
    for key in ("write", "read"):
        if key in record:
            try:
                bytes.fromhex(record[key])
            except (TypeError, ValueError):
                raise ReplayError(f"{where}: {key!r} must be a hex string") from None
    if "error" in record and record["error"] not in ("write", "read"):
        raise ReplayError(f"{where}: 'error' must be 'write' or 'read'")
    return record


class ReplayPort:
    """Play a recording back: each write must equal the recorded one, reads return the
    recorded bytes as one stream (however the reads were split when recording), and a
    recorded USB failure is raised again.  A divergence names the record line."""

    def __init__(self, log: IO[str], name: str):
        self.name = name
        self.records: list[tuple[int, dict[str, Any]]] = []
        for lineno, line in enumerate(log, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReplayError(f"{name}:{lineno}: not JSON ({exc.msg})") from None
            self.records.append((lineno, _check_record(record, name, lineno)))
        if not self.records or "meta" not in self.records[0][1]:
            raise ReplayError(f'{name}: the first record must be {{"meta": {{...}}}}')
        self.meta: dict[str, Any] = self.records[0][1]["meta"]
        self._next = 1
        self._pending = bytearray()  # recorded reply bytes the session has not read yet

    def _peek(self) -> tuple[int, dict[str, Any]] | None:
        return self.records[self._next] if self._next < len(self.records) else None

    def _gather_reads(self, size: int | None = None) -> None:
        """Move recorded read bytes into the pending stream (up to ``size`` bytes)."""
        while (size is None or len(self._pending) < size) and (nxt := self._peek()):
            if "read" not in nxt[1]:
                break
            self._pending += bytes.fromhex(nxt[1]["read"])
            self._next += 1

    def _raise_recorded_error(self, kind: str) -> None:
        nxt = self._peek()
        if nxt and nxt[1].get("error") == kind:
            self._next += 1
            raise OSError(nxt[1].get("errno"), f"{nxt[1].get('message')} (replayed)")

    def write_data(self, data: bytes) -> int:
        self._gather_reads()  # replies the session left unread stay in the "chip"
        self._raise_recorded_error("write")
        nxt = self._peek()
        if nxt is None:
            raise ReplayError(f"{self.name}: the recording ended but the session went on (write)")
        lineno, record = nxt
        if "write" not in record:
            raise ReplayError(
                f"{self.name}:{lineno}: recorded {next(iter(record))}, but the session wrote"
            )
        if bytes(data).hex() != record["write"]:
            raise ReplayError(
                f"{self.name}:{lineno}: the session wrote {bytes(data).hex()[:64]}..., "
                f"the recording has {record['write'][:64]}..."
            )
        self._next += 1
        return len(data)

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        self._gather_reads(size)
        if not self._pending:
            self._raise_recorded_error("read")
        out = bytes(self._pending[:size])
        del self._pending[:size]
        return out  # empty when the recording had no more reply: a timeout replays

    @property
    def finished(self) -> bool:
        """True when every recorded write, read and error has been replayed."""
        return self._next >= len(self.records) and not self._pending
