# SPDX-License-Identifier: GPL-2.0-only
"""sigrok session files (``.sr``): a zip of ``version``, ``metadata`` and logic chunks.

Layout (libsigrok srzip, ecosystem-notes.md §4.1): ``metadata`` is an INI file
whose ``[device 1]`` gives ``samplerate`` (``12 MHz``), ``total probes``,
``probe<k>`` names (1-based, enabled channels only) and ``unitsize``; samples are
little-endian ``unitsize``-byte words in ``logic-1-1``, ``logic-1-2``, ... (or one
``logic-1``), channel *k* in bit *k*.  Members are read in blocks, so a capture
larger than memory (or a member that inflates to far more than it should) streams.

    >>> import tempfile, numpy as np, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.sr"
    >>> write_sr(path, [np.array([0, 1, 3, 2], np.uint8)], 1e6, ["MDC", "MDIO"])
    >>> r = SrReader(path); (r.samplerate, r.channels, r.mdc, r.mdio)
    (1000000.0, ['MDC', 'MDIO'], 0, 1)
    >>> [b.samples.tolist() for b in r.blocks()]
    [[0, 1, 3, 2]]
"""

from __future__ import annotations

import configparser
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt

from physcapy.capture.base import CaptureReader, SampleBlock, pick_channel
from physcapy.capture.inflate import InflateError, handled, stream_member
from physcapy.errors import CaptureError

__all__ = ["SrReader", "parse_samplerate", "write_sr"]

# What zipfile and (its) zlib raise on damaged or hostile archives (encrypted members,
# unknown compression methods, bad headers...): all become CaptureError.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    KeyError,
    struct.error,
    IndexError,
)

_DTYPES: dict[int, np.dtype[np.unsignedinteger]] = {
    1: np.dtype(np.uint8),
    2: np.dtype("<u2"),
    4: np.dtype("<u4"),
    8: np.dtype("<u8"),
}
#: Bytes inflated per read: bounds memory whatever a member inflates to.  A block this
#: size is reused by the allocator for the next one while it is still in the CPU's
#: cache, so the decoder's passes over it neither fault in fresh pages nor wait on
#: memory: 2 MiB blocks decode a sparse 152 M-sample capture in half the time 8 MiB
#: blocks (or whole 4 MiB members) take.
BLOCK_BYTES = 2 << 20
#: libsigrok's chunk size for logic data (srzip CHUNK_SIZE).
CHUNK_BYTES = 4 << 20
#: The highest sample rate a capture may claim (100 GHz: far beyond any logic analyzer).
MAX_SAMPLERATE = 1e11


def parse_samplerate(text: str) -> float:
    """``"12 MHz"``, ``"2.5 MHz"``, ``"100 kHz"``, ``"1 GHz"``, ``"400000"`` -> Hz.

    >>> parse_samplerate("2.5 MHz")
    2500000.0
    """
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?)\s*([kKMG]?)\s*(?:Hz)?\s*", text)
    if not m:
        raise CaptureError(f"samplerate {text!r} is not a rate such as '12 MHz' or '400000'")
    scale = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]
    rate = float(m.group(1)) * scale
    # Logic analyzers sample at up to a few GHz; an absurd rate would put every
    # timestamp at 0.
    if not 0 < rate <= MAX_SAMPLERATE:
        raise CaptureError(f"samplerate {text!r} is out of range: allowed above 0 up to 100 GHz")
    return rate


def _member_order(name: str) -> int:
    m = re.fullmatch(r"logic-1(?:-(\d+))?", name)
    return int(m.group(1) or 0) if m else -1


class SrReader(CaptureReader):
    """Read a sigrok ``.sr`` session, streaming its logic chunks."""

    kind = "sr"

    def __init__(
        self, path: str | Path, mdc: str | int | None = None, mdio: str | int | None = None
    ):
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except _ZIP_ERRORS as exc:
            raise CaptureError(f"{self.path}: not a sigrok session (.sr zip): {exc}") from None
        names = set(self._zip.namelist())
        for member in ("version", "metadata"):
            if member not in names:
                raise CaptureError(
                    f"{self.path}: the zip has no {member!r} member, so it is "
                    f"not a sigrok session (members: {', '.join(sorted(names))})"
                )
        version = self._read_small("version").strip()
        if version not in (b"1", b"2"):
            raise CaptureError(
                f"{self.path}: session version {version!r} is not supported: allowed 1 or 2"
            )
        meta = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            meta.read_string(self._read_small("metadata").decode("utf-8", "replace"))
        except configparser.Error as exc:
            raise CaptureError(
                f"{self.path}: metadata is not a key file: {str(exc).splitlines()[0]}"
            ) from None
        if not meta.has_section("device 1"):
            raise CaptureError(f"{self.path}: metadata has no [device 1] section")
        dev = meta["device 1"]
        if "samplerate" not in dev:
            raise CaptureError(f"{self.path}: metadata gives no samplerate")
        self.samplerate = parse_samplerate(dev["samplerate"])
        try:
            self.unitsize = int(dev.get("unitsize", "1"))
            total = int(dev.get("total probes", "0"))
        except ValueError as exc:
            raise CaptureError(f"{self.path}: metadata has a bad number: {exc}") from None
        if self.unitsize not in _DTYPES:
            raise CaptureError(
                f"{self.path}: unitsize {self.unitsize} is not supported: allowed 1, 2, 4, 8"
            )
        probes = {}
        for key, value in dev.items():
            m = re.fullmatch(r"probe(\d+)", key)
            if m:
                probes[int(m.group(1))] = value
        total = max(total, max(probes, default=0))
        if total > 8 * self.unitsize:
            raise CaptureError(f"{self.path}: {total} probes do not fit unitsize {self.unitsize}")
        self.channels = [probes.get(k, f"D{k - 1}") for k in range(1, total + 1)]
        if not self.channels:
            raise CaptureError(f"{self.path}: metadata names no logic channels")
        self.mdc = pick_channel(self.path, self.channels, mdc, "MDC")
        self.mdio = pick_channel(self.path, self.channels, mdio, "MDIO")
        self._members = sorted((n for n in names if _member_order(n) >= 0), key=_member_order)
        if not self._members:
            raise CaptureError(
                f"{self.path}: the session holds no logic data (no logic-1-N members)"
            )
        self.initial = (0, 1)
        self._total = sum(self._zip.getinfo(n).file_size for n in self._members) // self.unitsize
        self._done = 0

    def progress(self) -> float | None:
        """Fraction of the samples read so far."""
        return self._done / self._total if self._total else None

    def _read_small(self, name: str) -> bytes:
        try:
            with self._zip.open(name) as f:
                data = f.read(1 << 20)
        except _ZIP_ERRORS as exc:
            raise CaptureError(f"{self.path}: member {name!r} is damaged: {exc}") from None
        return data

    def blocks(self) -> Iterator[SampleBlock]:
        dtype = _DTYPES[self.unitsize]
        position = 0
        rest = b""
        for name in self._members:
            try:
                for data in self._stream(name):
                    data = rest + data
                    usable = len(data) - len(data) % self.unitsize
                    rest = data[usable:]
                    samples = np.frombuffer(data, dtype=dtype, count=usable // self.unitsize)
                    if samples.size:
                        yield SampleBlock(position, samples)
                        position += samples.size
                        self._done = position
            except (InflateError, *_ZIP_ERRORS) as exc:
                raise CaptureError(
                    f"{self.path}: member {name!r} is truncated or damaged "
                    f"after sample {position}: {exc}"
                ) from None
        if rest:
            raise CaptureError(
                f"{self.path}: logic data ends with {len(rest)} byte(s), not a "
                f"whole {self.unitsize}-byte sample"
            )

    def _stream(self, name: str) -> Iterator[bytes]:
        """A member BLOCK_BYTES at a time: through inflate.py, or zipfile for what it
        does not handle (zipfile then refuses it)."""
        info = self._zip.getinfo(name)
        if handled(info):
            yield from stream_member(self.path, info, BLOCK_BYTES)
            return
        with self._zip.open(name) as f:
            while data := f.read(BLOCK_BYTES):
                yield data

    def close(self) -> None:
        self._zip.close()


def write_sr(
    path: str | Path,
    blocks: Iterable[npt.NDArray[np.unsignedinteger]],
    samplerate: float,
    channels: list[str],
    unitsize: int | None = None,
) -> None:
    """Write sample blocks (channel k in bit k) as a sigrok session in 4 MiB chunks."""
    unitsize = unitsize or max(1, (len(channels) + 7) // 8)
    if unitsize not in _DTYPES:
        raise CaptureError(f"unitsize {unitsize} is not supported: allowed 1, 2, 4, 8")
    dtype = _DTYPES[unitsize]
    probes = "".join(f"probe{i + 1}={name}\n" for i, name in enumerate(channels))
    metadata = (
        "[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\n"
        f"total probes={len(channels)}\nsamplerate={_rate_string(samplerate)}\n"
        f"total analog=0\n{probes}unitsize={unitsize}\n"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("version", "2")
        z.writestr("metadata", metadata)
        chunk = 1
        pending: list[bytes] = []
        size = 0
        for block in blocks:
            raw = np.asarray(block).astype(dtype, copy=False).tobytes()
            pending.append(raw)
            size += len(raw)
            while size >= CHUNK_BYTES:
                data = b"".join(pending)
                z.writestr(f"logic-1-{chunk}", data[:CHUNK_BYTES])
                chunk += 1
                pending, size = [data[CHUNK_BYTES:]], len(data) - CHUNK_BYTES
        if size or chunk == 1:
            z.writestr(f"logic-1-{chunk}", b"".join(pending))


def _rate_string(rate: float) -> str:
    """libsigrok's form (``12 MHz``) when it is exact, else the rate in Hz."""
    for scale, unit in ((1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz")):
        if rate >= scale and float(f"{rate / scale:g}") * scale == rate:
            return f"{rate / scale:g} {unit}"
    return f"{rate:.0f} Hz" if rate == int(rate) else f"{rate!r} Hz"
