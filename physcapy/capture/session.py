# SPDX-License-Identifier: GPL-2.0-only
"""Recorded sessions: a metadata line, then one design.md §3.4 transaction per line.

The metadata line says what the traffic is: format version, where it came from
(a command or a capture, with the capture's name, SHA-256, sample rate and
channels), the PHY model at each address, and notes.  Files without it (the
output of ``physcapy decode --format jsonl``) read as sessions with empty
metadata.  Every problem is reported with the file and line::

    >>> import io
    >>> text = ('{"physcapy_session": 1, "source": "doc", "models": {"1": "lan8720a"}}\\n'
    ...         '{"start": 0.0, "end": 2.56e-05, "clause": 22, "op": "read", "phy": 1, '
    ...         '"reg": 1, "data": 30765, "addr": null, "errors": []}\\n')
    >>> s = read_session(io.StringIO(text), name="doc.jsonl")
    >>> s.meta.models, s.transactions[0].data
    ({1: 'lan8720a'}, 30765)
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import time
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from physcapy.capture.files import AtomicFile, check_output
from physcapy.errors import FrameError, PhyscapyError, SessionError
from physcapy.mdio.frames import Frame
from physcapy.mdio.transactions import ERRORS, Transaction

__all__ = [
    "FORMAT_VERSION",
    "Session",
    "SessionMeta",
    "SessionWriter",
    "file_sha256",
    "iter_session",
    "read_session",
]

FORMAT_VERSION = 1
_META_KEY = "physcapy_session"
_META_FIELDS = ("source", "capture", "models", "notes", "created")


@dataclass
class SessionMeta:
    """What a session's first line says.  ``capture``: ``{"file", "sha256",
    "samplerate", "channels": {"mdc": ..., "mdio": ...}}`` when it came from a capture."""

    source: str = ""
    capture: dict[str, Any] | None = None
    models: dict[int, str] = field(default_factory=dict)
    notes: str = ""
    created: str | None = None
    version: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            _META_KEY: self.version,
            "source": self.source,
            "capture": self.capture,
            "models": {str(a): m for a, m in sorted(self.models.items())},
            "notes": self.notes,
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> SessionMeta:
        version = doc.get(_META_KEY)
        if version != FORMAT_VERSION:
            raise PhyscapyError(
                f"session format version {version!r} is not supported: allowed {FORMAT_VERSION}"
            )
        unknown = sorted(set(doc) - {_META_KEY, *_META_FIELDS})
        if unknown:
            raise PhyscapyError(
                f"unknown metadata key(s) {', '.join(unknown)}: allowed {', '.join(_META_FIELDS)}"
            )
        models: dict[int, str] = {}
        raw = doc.get("models") or {}
        if not isinstance(raw, dict):
            raise PhyscapyError(f"models {raw!r} must map PHY addresses to model names")
        for key, name in raw.items():
            try:
                address = int(key)
            except ValueError:
                address = -1
            if not 0 <= address <= 31 or not isinstance(name, str):
                raise PhyscapyError(
                    f"models entry {key!r}: {name!r} must be ADDR (0-31): model name"
                )
            from physcapy.registers.models import model

            models[address] = model(name).name  # an unknown model names the choices
        capture = doc.get("capture")
        if capture is not None and not isinstance(capture, dict):
            raise PhyscapyError(f"capture {capture!r} must be an object or null")
        return cls(
            source=str(doc.get("source") or ""),
            capture=capture,
            models=models,
            notes=str(doc.get("notes") or ""),
            created=doc.get("created"),
            version=version,
        )


@dataclass
class Session:
    meta: SessionMeta
    transactions: list[Transaction]
    name: str = ""

    def __len__(self) -> int:
        return len(self.transactions)


_KEYS = {"start", "end", "clause", "op", "phy", "reg", "data", "addr", "errors"}
#: What --annotate and replay add to a line; accepted so annotated output reads back.
_ANNOTATION_KEYS = {"name", "fields", "model", "register", "note"}


def _transaction(doc: object) -> Transaction:
    """One transaction line, checked against the frame rules."""
    if not isinstance(doc, dict):
        raise PhyscapyError("a transaction is a JSON object")
    unknown = sorted(set(doc) - _KEYS - _ANNOTATION_KEYS)
    if unknown:
        raise PhyscapyError(
            f"unknown key(s) {', '.join(unknown)}: a transaction has {', '.join(sorted(_KEYS))}"
        )
    errors = doc.get("errors", [])
    if not isinstance(errors, list) or not all(e in ERRORS for e in errors):
        raise PhyscapyError(f"errors {errors!r} must be a list of {', '.join(ERRORS)}")
    addr = doc.get("addr")
    if addr is not None and (
        not isinstance(addr, int) or isinstance(addr, bool) or not 0 <= addr <= 0xFFFF
    ):
        raise PhyscapyError(f"addr {addr!r} is out of range: allowed null or 0-0xffff")
    for key in ("phy", "reg", "data"):
        if key in doc and (not isinstance(doc[key], int) or isinstance(doc[key], bool)):
            raise PhyscapyError(f"{key} {doc[key]!r} is not an integer")
    try:
        t = Transaction.from_dict(doc)
    except FrameError as exc:
        raise PhyscapyError(str(exc)) from None
    if t.clause not in (22, 45) or not isinstance(doc.get("errors", []), list):
        raise PhyscapyError(
            f"clause {t.clause} / errors {doc.get('errors')!r}: allowed clause 22 or 45 and "
            "errors as a list"
        )
    Frame(t.clause, t.op, t.phy, t.reg, t.data)  # ranges and opcodes, with their messages
    if not 0 <= t.start < 1e6:  # also refuses nan
        raise PhyscapyError(f"start {t.start!r} is out of range: allowed 0-1e6 s")
    if not t.end >= t.start:
        raise PhyscapyError(f"end {t.end!r} is before start {t.start!r}")
    return t


def iter_session(
    source: str | Path | IO[str], name: str | None = None
) -> tuple[SessionMeta, Iterator[Transaction]]:
    """The metadata and a streaming iterator of transactions; errors are
    :class:`~physcapy.errors.SessionError` naming ``FILE:LINE``."""
    label = name or (str(source) if isinstance(source, (str, Path)) else "session")
    fh: IO[Any]
    if isinstance(source, (str, Path)):
        try:
            fh = open(source, "rb")  # noqa: SIM115 - closed by the iterator
        except OSError as exc:
            raise SessionError(f"{label}: cannot read: {exc.strerror}") from None
    else:
        fh = source
    lines = _lines(fh, label)
    meta = SessionMeta()
    first: tuple[int, object] | None = None
    for number, line in lines:
        if not line.strip():
            continue
        doc = _json(label, number, line)
        if isinstance(doc, dict) and _META_KEY in doc:
            try:
                meta = SessionMeta.from_dict(doc)
            except PhyscapyError as exc:
                raise SessionError(f"{label}:{number}: {exc}") from None
        else:
            first = (number, doc)
        break

    def transactions() -> Iterator[Transaction]:
        try:
            if first is not None:
                yield _checked(label, *first)
            for number, line in lines:
                if line.strip():
                    yield _checked(label, number, _json(label, number, line))
        finally:
            if isinstance(source, (str, Path)):
                fh.close()

    return meta, transactions()


#: The longest line a session may have: a transaction is ~200 bytes, metadata with
#: notes a few kB; a longer line is not a session (and would cost memory to hold).
MAX_LINE = 1 << 20


def _lines(fh: IO[Any], label: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of a session file, each line checked for length and UTF-8."""
    number = 0
    while True:
        raw = fh.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE:
            raise SessionError(
                f"{label}:{number}: line longer than {MAX_LINE} bytes: a session line holds "
                "one transaction (or the metadata)"
            )
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SessionError(
                    f"{label}:{number}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                    f"column {exc.start + 1}): a session is JSON lines"
                ) from None
        yield number, raw


def _json(label: str, number: int, line: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise SessionError(f"{label}:{number}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise SessionError(
            f"{label}:{number}: JSON nested too deep: a transaction is one flat object"
        ) from None
    except ValueError as exc:  # an integer of thousands of digits (Python's own limit)
        raise SessionError(f"{label}:{number}: not a session line: {exc}") from None


def _checked(label: str, number: int, doc: object) -> Transaction:
    if isinstance(doc, dict) and _META_KEY in doc:
        raise SessionError(f"{label}:{number}: a metadata line belongs on line 1 only")
    try:
        return _transaction(doc)
    except PhyscapyError as exc:
        raise SessionError(f"{label}:{number}: {exc}") from None


def read_session(source: str | Path | IO[str], name: str | None = None) -> Session:
    """Read a whole session (see :func:`iter_session` to stream one)."""
    meta, it = iter_session(source, name)
    label = name or (str(source) if isinstance(source, (str, Path)) else "session")
    return Session(meta, list(it), label)


class SessionWriter:
    """Write a session: the metadata line first, then each transaction as it comes.

    Use it as a bus listener (``bus.subscribe(writer)``) or call :meth:`write`.  A path
    is written as ``PATH.part`` and renamed by :meth:`close`; :meth:`abort` (or an
    exception in a ``with`` block) discards it, leaving an older ``PATH`` as it was.
    """

    def __init__(self, target: str | Path | IO[str], meta: SessionMeta | None = None):
        self.meta = meta or SessionMeta()
        if self.meta.created is None:
            self.meta.created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self._file: AtomicFile | None = None
        self._fh: Any
        if isinstance(target, (str, Path)):
            self._file = AtomicFile(check_output(target, "session"))
            self._fh = self._file
            # A recording nobody closed (a shell or script that just exits) is kept,
            # as it was when sessions were written in place.
            weakref.finalize(self, self._file.commit)
        else:
            self._fh = target
        self._closed = False
        self._failed: PhyscapyError | None = None
        self._put(json.dumps(self.meta.to_dict()) + "\n")
        self.count = 0
        #: The bus this writer listens to (set by Bus.record), let go on close().
        self.bus: Any = None

    def _put(self, text: str) -> None:
        if self._failed is not None:
            return  # said once; the bus it listens to goes on working
        try:
            self._fh.write(text)
        except (OSError, PhyscapyError) as exc:
            # A full disk: stop recording (and listening), say so once.
            err = (
                exc
                if isinstance(exc, PhyscapyError)
                else SessionError(f"session: cannot write: {exc.strerror}")
            )
            self._failed = err
            self._unsubscribe()
            raise err from None

    def write(self, t: Transaction) -> None:
        self._put(t.to_json() + "\n")
        self.count += 1

    __call__ = write

    def write_all(self, transactions: Iterable[Transaction]) -> None:
        for t in transactions:
            self.write(t)

    def _unsubscribe(self) -> None:
        bus, self.bus = self.bus, None
        if bus is not None:
            # Under the bus's lock: a PAL thread may be inside a frame, writing to us.
            with bus.lock or contextlib.nullcontext():
                bus.unsubscribe(self)

    def _release(self) -> bool:
        self._unsubscribe()
        if self._closed:
            return False
        self._closed = True
        return True

    def close(self) -> None:
        """Finish the session: a file is renamed into place, a stream flushed."""
        if not self._release():
            return
        if self._failed is not None:
            if self._file is not None:
                self._file.abort()
            raise self._failed
        if self._file is not None:
            self._file.commit()
        else:
            self._fh.flush()

    def abort(self) -> None:
        """Stop without keeping the file (a failed command): an older one stays."""
        if not self._release():
            return
        if self._file is not None:
            self._file.abort()

    def __enter__(self) -> SessionWriter:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def session_text(session: Session) -> str:
    """The session as it would be written (for tests and round trips)."""
    out = io.StringIO()
    w = SessionWriter(out, session.meta)
    w.write_all(session.transactions)
    return out.getvalue()
