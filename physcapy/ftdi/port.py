# SPDX-License-Identifier: GPL-2.0-only
"""The byte pipe to an FTDI chip, and recording and replaying it.

physcapy needs only two methods of pyftdi's ``Ftdi``: ``write_data(bytes)`` and
``read_data_bytes(size, attempt)``.  Anything that has them is a port: the real
``Ftdi``, the emulator's :class:`EmulatedFtdi`, or a :class:`ReplayPort` that plays
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

    The first line is ``{"meta": {...}}``; then ``{"write": HEX}`` and
    ``{"read": HEX, "size": N}`` in the order they happened.
    """

    def __init__(self, port: FtdiPort, log: IO[str], meta: dict[str, Any]):
        self.port = port
        self.log = log
        log.write(json.dumps({"meta": meta}) + "\n")

    def write_data(self, data: bytes) -> int:
        self.log.write(json.dumps({"write": bytes(data).hex()}) + "\n")
        self.log.flush()  # a session that dies mid-way still leaves its record
        return self.port.write_data(data)

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        data = bytes(self.port.read_data_bytes(size, attempt))
        self.log.write(json.dumps({"read": data.hex(), "size": size}) + "\n")
        self.log.flush()
        return data

    def close(self) -> None:
        self.log.close()
        closer = getattr(self.port, "close", None)
        if closer is not None:
            closer()


class ReplayPort:
    """Play a recording back: each write must equal the recorded one, each read
    returns the recorded bytes.  A divergence names the record line."""

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
            if not isinstance(record, dict) or not record.keys() & {"meta", "write", "read"}:
                raise ReplayError(
                    f"{name}:{lineno}: expected an object with 'meta', 'write' or 'read'"
                )
            self.records.append((lineno, record))
        if not self.records or "meta" not in self.records[0][1]:
            raise ReplayError(f'{name}: the first record must be {{"meta": {{...}}}}')
        self.meta: dict[str, Any] = self.records[0][1]["meta"]
        self._next = 1

    def _take(self, kind: str) -> tuple[int, dict[str, Any]]:
        if self._next >= len(self.records):
            raise ReplayError(f"{self.name}: the recording ended but the session went on ({kind})")
        lineno, record = self.records[self._next]
        if kind not in record:
            raise ReplayError(
                f"{self.name}:{lineno}: recorded {next(iter(record))}, but the session did a {kind}"
            )
        self._next += 1
        return lineno, record

    def write_data(self, data: bytes) -> int:
        lineno, record = self._take("write")
        if bytes(data).hex() != record["write"]:
            raise ReplayError(
                f"{self.name}:{lineno}: the session wrote {bytes(data).hex()[:64]}..., "
                f"the recording has {record['write'][:64]}..."
            )
        return len(data)

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        lineno, record = self._take("read")
        if record.get("size", size) != size:
            raise ReplayError(
                f"{self.name}:{lineno}: the session read {size} bytes, "
                f"the recording read {record['size']}"
            )
        return bytes.fromhex(record["read"])

    @property
    def finished(self) -> bool:
        """True when every recorded write and read has been replayed."""
        return self._next >= len(self.records)
