# SPDX-License-Identifier: GPL-2.0-only
"""Vectorised MDIO frame codec on numpy arrays.

The capture decoder, the waveform synthesiser and the FTDI encoder work on
millions of frames; this module does what :class:`physcapy.mdio.frames.Frame` does,
one array operation at a time.  Frames are a structured array of
:data:`FRAME_DTYPE` (raw ST and OP codes, like the wire), words are ``uint32``
(ST..DATA), and bits are ``uint8`` arrays of shape ``(n, preamble + 32)``.

    >>> import numpy as np
    >>> f = frames(st=1, op=0b01, phy=3, reg=0, data=0x9140)
    >>> hex(int(encode_words(f)[0]))
    '0x51829140'
    >>> b = encode_bits(f)
    >>> b.shape, bool((decode_bits(b) == f).all())
    ((1, 64), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from physcapy.errors import FrameError, RangeError

__all__ = [
    "FRAME_DTYPE",
    "decode_bits",
    "decode_words",
    "encode_bits",
    "encode_words",
    "frames",
    "validate",
]

#: One frame per element: raw wire codes, so invalid frames can be represented too.
FRAME_DTYPE = np.dtype(
    [
        ("st", np.uint8),
        ("op", np.uint8),
        ("phy", np.uint8),
        ("reg", np.uint8),
        ("ta", np.uint8),
        ("data", np.uint16),
    ]
)

_LIMITS = {"st": 3, "op": 3, "phy": 31, "reg": 31, "ta": 3, "data": 0xFFFF}
_NAMES = {
    "st": "ST",
    "op": "OP",
    "phy": "PHYAD/PRTAD",
    "reg": "REGAD/DEVAD",
    "ta": "TA",
    "data": "DATA",
}

# The eight bits of every byte value, MSB first, one bit per byte.  Seen as uint64
# (8 bit-bytes at once) a frame's 32 bits become 4 gathers and the preamble 4
# stores, about twice as fast as np.unpackbits.
_BYTE_BITS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1)
_BYTE_BITS64 = np.ascontiguousarray(_BYTE_BITS).view(np.uint64).reshape(256)


def frames(n: int | None = None, *, ta: Any = 0b10, **fields: Any) -> np.ndarray:
    """Build a frame array from scalars or arrays (broadcast), checking every range.

    ``frames(st=1, op=2, phy=1, reg=np.arange(32))`` is a read of registers 0-31.
    """
    fields.setdefault("st", 1)
    fields.setdefault("op", 2)
    fields.setdefault("phy", 0)
    fields.setdefault("reg", 0)
    fields.setdefault("data", 0)
    fields["ta"] = ta
    unknown = set(fields) - set(_LIMITS)
    if unknown:
        raise FrameError(
            f"unknown frame field {sorted(unknown)[0]!r}: allowed {', '.join(_LIMITS)}"
        )
    arrays = {k: np.asarray(v) for k, v in fields.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()), (n,) if n else ())
    if len(shape) == 0:
        shape = (1,)
    out = np.empty(shape, dtype=FRAME_DTYPE)
    for name, arr in arrays.items():
        _check(name, arr)
        out[name] = arr
    return out


def _check(name: str, arr: npt.NDArray[Any]) -> None:
    if arr.size == 0:
        return
    if not np.issubdtype(arr.dtype, np.integer):
        raise RangeError(f"{_NAMES[name]} values must be integers, got {arr.dtype}")
    bad = np.flatnonzero((arr < 0) | (arr > _LIMITS[name]))
    if bad.size:
        i = int(bad[0])
        value = int(arr.flat[i])
        raise RangeError(
            f"{_NAMES[name]} {value} at index {i} is out of range: allowed 0-{_LIMITS[name]}"
        )


def validate(f: np.ndarray) -> np.ndarray:
    """Indices of frames whose ST/OP pair no standard defines (ST 1x, or C22 OP 00/11)."""
    st, op = f["st"], f["op"]
    bad = (st >= 2) | ((st == 1) & ((op == 0) | (op == 3)))
    return np.flatnonzero(bad)


def encode_words(f: np.ndarray) -> npt.NDArray[np.uint32]:
    """Frames to the 32-bit words ST..DATA."""
    # Shift-and-or in place: one uint32 temporary instead of one per field.
    w = f["st"].astype(np.uint32)
    for name, width in (("op", 2), ("phy", 5), ("reg", 5), ("ta", 2), ("data", 16)):
        w <<= width
        w |= f[name]
    return w


def decode_words(words: npt.ArrayLike) -> np.ndarray:
    """32-bit words ST..DATA to frames, by bit pattern: arrays of wider or signed integers
    are taken modulo 2**32 (an int32 -1 is the all-ones word an idle line reads)."""
    w = np.asarray(words, dtype=np.uint32)
    out = np.empty(w.shape, dtype=FRAME_DTYPE)
    out["st"] = w >> 30
    out["op"] = (w >> 28) & 3
    out["phy"] = (w >> 23) & 31
    out["reg"] = (w >> 18) & 31
    out["ta"] = (w >> 16) & 3
    out["data"] = w & 0xFFFF
    return out


def encode_bits(f: np.ndarray, preamble: int = 32) -> npt.NDArray[np.uint8]:
    """Frames to bit rows ``(n, preamble + 32)`` of 0/1, MSB first, as the line carries them."""
    if preamble < 0:
        raise RangeError(f"preamble {preamble} is not a bit count: allowed 0 or more")
    words = encode_words(f)
    n = words.shape[0]
    # A big-endian copy, so that viewing it as bytes gives each frame MSB first.
    frame_bytes = words.astype(">u4").view(np.uint8).reshape(n, 4)
    whole, odd = divmod(preamble, 8)
    if not odd:
        # One gather builds the whole row: index 0xff is eight 1-bits, i.e. preamble.
        index = np.empty((n, whole + 4), dtype=np.uint8)
        index[:, :whole] = 0xFF
        index[:, whole:] = frame_bytes
        return _BYTE_BITS64[index].view(np.uint8).reshape(n, preamble + 32)
    out = np.empty((n, preamble + 32), dtype=np.uint8)
    out[:, :preamble] = 1
    out[:, preamble:] = _BYTE_BITS[frame_bytes].reshape(n, 32)
    return out


def decode_bits(bits: npt.ArrayLike, preamble: int | None = None) -> np.ndarray:
    """Bit rows (each ending in the 32 frame bits) to frames; any non-zero byte is a 1.

    The bits before the last 32 of each row are the preamble and must all be 1;
    ``preamble`` (when given) must equal their count.
    """
    b = np.asarray(bits, dtype=np.uint8)
    if b.ndim != 2 or b.shape[1] < 32:
        raise FrameError(f"bit array of shape {b.shape} is not (frames, bits >= 32)")
    pre = b.shape[1] - 32
    if preamble is not None and preamble != pre:
        raise FrameError(f"rows have {pre} preamble bits, expected {preamble}")
    if pre == 32:
        # The common 64-bit row: pack everything once and test the preamble as one word
        # (rows are whole bytes, so packing the flattened array packs row by row).
        both = np.packbits(b).view(">u8")
        short = np.flatnonzero((both >> np.uint64(32)) != 0xFFFFFFFF)
        if short.size:
            raise FrameError(f"frame {int(short[0])} has a 0 inside its 32-bit preamble")
        return decode_words(both)  # which keeps the low 32 bits, ST..DATA
    if pre:
        short = np.flatnonzero(np.count_nonzero(b[:, :pre], axis=1) != pre)
        if short.size:
            raise FrameError(f"frame {int(short[0])} has a 0 inside its {pre}-bit preamble")
    return decode_words(np.packbits(b[:, pre:]).view(">u4"))
