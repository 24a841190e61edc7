# SPDX-License-Identifier: GPL-2.0-only
"""Files physcapy reads and writes, checked before any work starts, written atomically.

* An input must be what it claims: a regular file (or a folder, for a Saleae binary
  export); a FIFO is accepted only where a stream makes sense (sessions), so that
  nothing blocks on ``/dev/urandom`` or a pipe nobody writes to without saying so.
* An output must not be one of the inputs, its folder must exist (physcapy creates no
  folders the user did not ask for), and it is written beside the target as
  ``.NAME.XXXX.part`` and renamed when complete (through a symlink, keeping the old
  file's permissions), so a failed run leaves the old file as it was.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> with AtomicFile(os.path.join(d, "out.txt")) as f:
    ...     _ = f.write("done")
    >>> open(os.path.join(d, "out.txt")).read(), os.listdir(d)
    ('done', ['out.txt'])
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from physcapy.errors import PhyscapyError

__all__ = ["AtomicFile", "check_input", "check_output", "reserve_part"]


def _shown(path: str | os.PathLike[str]) -> str:
    """A path for a message: quoted when it holds control characters or is empty."""
    text = os.fspath(path)
    return repr(text) if not text or not text.isprintable() else text


def check_input(
    path: str | os.PathLike[str], what: str = "input", *, folder: bool = False, stream: bool = False
) -> Path:
    """``path`` if it can be read as ``what``: a regular file, a folder when ``folder``,
    a FIFO when ``stream``; else a :class:`PhyscapyError` saying what it is instead."""
    p = Path(path)
    if not os.fspath(path):
        raise PhyscapyError(f"{what}: the path is empty")
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise PhyscapyError(f"{_shown(path)}: no such file ({what})") from None
    except OSError as exc:
        raise PhyscapyError(f"{_shown(path)}: cannot read ({what}): {exc.strerror}") from None
    if stat.S_ISREG(mode) or (folder and stat.S_ISDIR(mode)) or (stream and stat.S_ISFIFO(mode)):
        return p
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    allowed = (
        "a regular file" + (" or a folder" if folder else "") + (" or a FIFO" if stream else "")
    )
    raise PhyscapyError(f"{_shown(path)} is {kind}: {what} must be {allowed}")


def check_output(
    path: str | os.PathLike[str],
    what: str = "output",
    *,
    inputs: tuple[str | os.PathLike[str], ...] = (),
    folder: bool = False,
) -> Path:
    """``path`` if it can be written as ``what`` without surprises: not empty, not one of
    ``inputs``, in a folder that exists, not a folder itself (unless ``folder``)."""
    text = os.fspath(path)
    if not text:
        raise PhyscapyError(f"{what}: the path is empty: name a file")
    p = Path(text)
    if len(p.name.encode()) > 250:  # NAME_MAX is 255 on Linux, and ".part" is added
        raise PhyscapyError(
            f"{what}: the file name is {len(p.name.encode())} bytes: allowed up to 250"
        )
    for source in inputs:
        if _same(p, Path(source)):
            raise PhyscapyError(
                f"{what} {_shown(path)} is also the input {_shown(source)}: writing it would "
                "destroy what is being read; choose another name"
            )
    parent = p.parent if p.name else p
    if not parent.is_dir():
        raise PhyscapyError(
            f"{what} {_shown(path)}: the folder {_shown(parent)} does not exist "
            "(physcapy does not create folders: make it first)"
        )
    if p.is_dir() and not folder:
        raise PhyscapyError(f"{what} {_shown(path)} is a folder: name a file")
    return p


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _new_part(target: Path) -> tuple[Path, IO[bytes]]:
    """A part file of our own beside ``target``, created exclusively and open for
    writing: never a file of the user's nor another writer's (and made with the umask,
    as the target would be)."""
    import secrets  # here: its hmac and hashlib imports cost every decode 5 ms

    while True:
        part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            return part, open(part, "xb")
        except FileExistsError:
            continue


def reserve_part(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """(part, target) for a writer that opens files by name itself (the capture
    writers): ``part`` exists, empty, and is renamed onto ``target`` (``path`` with
    symlinks followed) when complete."""
    target = Path(os.path.realpath(path))
    part, fh = _new_part(target)
    fh.close()
    return part, target


class AtomicFile:
    """A text (or binary, ``mode="wb"``) file written as ``NAME.part`` and renamed onto
    ``NAME`` by :meth:`commit` (or leaving a ``with`` block normally); :meth:`abort`
    (or an exception in the block) removes the part and leaves ``NAME`` untouched."""

    def __init__(self, path: str | os.PathLike[str], mode: str = "w"):
        self.path = Path(path)
        # A symlink is followed: the file it names is the one replaced, not the link.
        target = Path(os.path.realpath(self.path))
        # A device or pipe (/dev/stdout, a FIFO) is written in place: renaming a file
        # over /dev/null would replace the device.
        self.in_place = target.exists() and not target.is_file()
        self.target = target
        try:
            if self.in_place:
                self.part = target
                raw: IO[Any] = open(target, "wb")  # noqa: SIM115 - closed in commit/abort
            else:
                self.part, raw = _new_part(target)
        except OSError as exc:
            raise PhyscapyError(f"{_shown(self.path)}: cannot write: {exc.strerror}") from None
        self.fh: IO[Any] = raw if "b" in mode else io.TextIOWrapper(raw, encoding="utf-8")
        self.done = False

    def write(self, data: Any) -> int:
        try:
            return self.fh.write(data)
        except OSError as exc:
            self.abort()
            raise PhyscapyError(f"{_shown(self.path)}: cannot write: {exc.strerror}") from None

    def commit(self) -> None:
        """Close and rename onto the target (a write error discards the part)."""
        if self.done:
            return
        self.done = True
        try:
            self.fh.close()
            if not self.in_place:
                if self.target.exists():  # the old file's permissions carry over
                    import shutil

                    shutil.copymode(self.target, self.part)
                os.replace(self.part, self.target)
        except OSError as exc:
            if not self.in_place:
                self.part.unlink(missing_ok=True)
            raise PhyscapyError(f"{_shown(self.path)}: cannot write: {exc.strerror}") from None

    def abort(self) -> None:
        """Discard what was written; the target keeps its old contents."""
        if self.done:
            return
        self.done = True
        # Closing a file being thrown away may fail (a full disk): no matter.
        with contextlib.suppress(OSError):
            self.fh.close()
        if not self.in_place:
            self.part.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()
