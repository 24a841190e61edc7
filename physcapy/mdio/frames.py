# SPDX-License-Identifier: GPL-2.0-only
"""MDIO management frames (IEEE 802.3 Clause 22.2.4.5 and Clause 45.3), no I/O.

A frame on the wire is PRE (ones), ST, OP, PHYAD/PRTAD, REGAD/DEVAD, TA and 16
bits of data, MSB first::

    Clause 22   PRE  01  10 read / 01 write                        PHYAD REGAD TA DATA
    Clause 45   PRE  00  00 address / 01 write / 11 read / 10 read-inc  PRTAD DEVAD TA DATA

TA is ``10`` when the station writes; on a read the station releases the line
(``Z``) and the PHY drives ``0`` in the second bit, so a correct read samples as
``10`` too (the pull-up supplies the first 1) and a read nobody answers samples
``11``.

    >>> f = Frame(22, "write", phy=3, reg=0, data=0x9140)
    >>> f.to_bytes().hex(), f.bits()[32:48]
    ('51829140', '0101000110000010')
    >>> Frame.from_bits(f.bits()) == f
    True
    >>> [str(x) for x in c45_frames("read", 0, 1, 0x0008)]
    ['C45 address PRTAD 0 DEVAD 1 = 0x0008', 'C45 read PRTAD 0 DEVAD 1 = 0x0000']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from physcapy.errors import FrameError, RangeError, check_range, parse_int

__all__ = [
    "C22_OPS",
    "C45_OPS",
    "MMD_FUNCTIONS",
    "ST",
    "Frame",
    "c45_frames",
    "c45_over_c22_frames",
    "op_name",
]

#: Start-of-frame bits per clause.
ST: dict[int, int] = {22: 0b01, 45: 0b00}
#: Opcodes, Clause 22.2.4.5.4 and Clause 45.3.
C22_OPS: dict[str, int] = {"write": 0b01, "read": 0b10}
C45_OPS: dict[str, int] = {"address": 0b00, "write": 0b01, "read_inc": 0b10, "read": 0b11}
#: OP code to name, per clause: ``OP_NAMES[45][0b10] == "read_inc"``.
OP_NAMES: dict[int, dict[int, str]] = {
    22: {v: k for k, v in C22_OPS.items()},
    45: {v: k for k, v in C45_OPS.items()},
}
_OPS = {22: C22_OPS, 45: C45_OPS}
_OP_NAMES = {clause: {v: k for k, v in ops.items()} for clause, ops in _OPS.items()}
_OP_ALIASES = {
    "rd": "read",
    "r": "read",
    "wr": "write",
    "w": "write",
    "addr": "address",
    "read-inc": "read_inc",
    "readinc": "read_inc",
    "post-read-increment": "read_inc",
    "post_read_increment": "read_inc",
    "pri": "read_inc",
    "read_increment": "read_inc",
}

#: Register 13 function codes (22.2.4.3.11, Linux ``MII_MMD_CTRL_*``).
MMD_FUNCTIONS: dict[str, int] = {
    "address": 0b00,  # register 14 holds the MMD register address
    "data": 0b01,  # data, no post increment
    "data_inc": 0b10,  # data, post increment on reads and writes
    "data_inc_write": 0b11,  # data, post increment on writes only
}
_FUNCTION_ALIASES = {
    "noincr": "data",
    "incr_rdwt": "data_inc",
    "incr_on_wt": "data_inc_write",
    "0": "address",
    "1": "data",
    "2": "data_inc",
    "3": "data_inc_write",
}


def op_name(clause: int, op: str | int) -> str:
    """Normalise an opcode given as a name, an alias or its 2-bit value.

    >>> op_name(45, "post-read-increment"), op_name(22, 0b10)
    ('read_inc', 'read')
    """
    ops = _OPS.get(clause)
    if ops is None:
        raise FrameError(f"clause {clause!r} is not an MDIO clause: allowed 22 or 45")
    if isinstance(op, int) and not isinstance(op, bool):
        check_range("OP", op, 0, 3)
        if op not in _OP_NAMES[clause]:
            raise FrameError(
                f"OP {op:02b} is not a Clause 22 opcode: allowed 10 read, 01 write "
                "(00 and 11 are Clause 45 opcodes)"
            )
        return _OP_NAMES[clause][op]
    name = _OP_ALIASES.get(str(op).lower(), str(op).lower())
    if name not in ops:
        allowed = ", ".join(f"{k} ({v:02b})" for k, v in ops.items())
        raise FrameError(f"op {op!r} is not valid for Clause {clause}: allowed {allowed}")
    return name


@dataclass(frozen=True, slots=True)
class Frame:
    """One MDIO frame.  ``phy`` is PHYAD (Clause 22) or PRTAD, ``reg`` REGAD or DEVAD.

    ``ta`` is the turnaround as sampled (``0b10`` when correct) and ``preamble``
    the number of leading ones (32 by the standard, fewer with preamble suppression).
    """

    clause: int = 22
    op: str = "read"
    phy: int = 0
    reg: int = 0
    data: int = 0
    ta: int = 0b10
    preamble: int = 32

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", op_name(self.clause, self.op))
        label = "PHYAD" if self.clause == 22 else "PRTAD"
        check_range(label, self.phy, 0, 31)
        check_range("REGAD" if self.clause == 22 else "DEVAD", self.reg, 0, 31)
        check_range("DATA", self.data, 0, 0xFFFF)
        check_range("TA", self.ta, 0, 3)
        if (
            isinstance(self.preamble, bool)
            or not isinstance(self.preamble, int)
            or self.preamble < 0
        ):
            raise RangeError(
                f"preamble {self.preamble!r} is not a bit count: allowed 0 or more "
                "(32 is the standard, 0 is preamble suppression)"
            )

    # Names the standard uses for the two address fields.
    @property
    def phyad(self) -> int:
        return self.phy

    @property
    def regad(self) -> int:
        return self.reg

    @property
    def prtad(self) -> int:
        return self.phy

    @property
    def devad(self) -> int:
        return self.reg

    @property
    def st(self) -> int:
        return ST[self.clause]

    @property
    def opcode(self) -> int:
        return _OPS[self.clause][self.op]

    @property
    def is_read(self) -> bool:
        """True for frames whose data the PHY drives (read, post-read-increment)."""
        return self.op in ("read", "read_inc")

    @property
    def ta_ok(self) -> bool:
        """Turnaround as the standard requires: ``10`` on writes, ``Z0`` on reads."""
        return (self.ta & 1) == 0 if self.is_read else self.ta == 0b10

    @property
    def word(self) -> int:
        """The 32 bits after the preamble: ST OP PHYAD REGAD TA DATA."""
        return (
            self.st << 30
            | self.opcode << 28
            | self.phy << 23
            | self.reg << 18
            | self.ta << 16
            | self.data
        )

    def bits(self) -> str:
        """The frame as the line carries it, preamble included, as ``'0'``/``'1'``."""
        return "1" * self.preamble + format(self.word, "032b")

    def to_bytes(self) -> bytes:
        """The 4 bytes ST..DATA (what the Scapy layer ``MDIO`` builds), MSB first."""
        return self.word.to_bytes(4)  # big-endian, int's default byte order

    def wire_bytes(self) -> bytes:
        """Preamble and frame as bytes; the preamble must be a whole number of bytes."""
        if self.preamble % 8:
            raise FrameError(
                f"preamble of {self.preamble} bits is not a whole number of bytes: "
                "use bits() for odd preamble lengths"
            )
        return b"\xff" * (self.preamble // 8) + self.to_bytes()

    @classmethod
    def from_word(cls, word: int, preamble: int = 32) -> Frame:
        """Decode the 32 bits ST..DATA."""
        check_range("frame word", word, 0, 0xFFFFFFFF)
        st = word >> 30
        clause = {0b01: 22, 0b00: 45}.get(st)
        if clause is None:
            raise FrameError(
                f"ST {st:02b} is not a start of frame: allowed 01 (Clause 22) or 00 (Clause 45)"
            )
        return cls(
            clause,
            op_name(clause, (word >> 28) & 3),
            (word >> 23) & 31,
            (word >> 18) & 31,
            word & 0xFFFF,
            (word >> 16) & 3,
            preamble,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Frame:
        """Decode 4 bytes (ST..DATA, preamble assumed 32) or 0xFF preamble bytes + 4 bytes."""
        if len(data) < 4:
            raise FrameError(
                f"{len(data)} bytes is too short for an MDIO frame: need 4 "
                "(ST..DATA) or more with leading 0xff preamble bytes"
            )
        head, body = data[:-4], data[-4:]
        if head.strip(b"\xff"):
            raise FrameError(f"bytes before the frame must be 0xff preamble, got {head.hex()}")
        return cls.from_word(int.from_bytes(body), 8 * len(head) if head else 32)  # MSB first

    @classmethod
    def from_bits(cls, bits: str | Iterable[int]) -> Frame:
        """Decode a bit string: any run of leading ones is the preamble, then 32 bits.

        Spaces, underscores and a ``0b`` prefix are ignored in strings.
        """
        if isinstance(bits, str):
            text = bits.strip()
            text = text[2:] if text[:2].lower() == "0b" else text
            text = re.sub(r"[\s_]", "", text)
        else:
            text = "".join("1" if b else "0" for b in bits)
        frame = text.lstrip("1")
        preamble = len(text) - len(frame)
        bad = re.search(r"[^01]", frame)
        if bad:
            raise FrameError(
                f"bit string has {bad.group()!r} at position {preamble + bad.start()}: "
                "allowed only 0 and 1"
            )
        what = "truncated" if len(frame) < 32 else "too long" if len(frame) > 32 else None
        if what:
            raise FrameError(
                f"frame {what}: {len(frame)} bits after the {preamble}-bit preamble, "
                "a frame has exactly 32 (ST OP PHYAD REGAD TA DATA)"
            )
        return cls.from_word(int(frame, 2), preamble)

    def __str__(self) -> str:
        if self.clause == 22:
            text = f"C22 {self.op} PHY {self.phy} REG {self.reg}{_c22_name(self.reg)} = 0x{self.data:04x}"
        else:
            text = f"C45 {self.op} PRTAD {self.phy} DEVAD {self.reg} = 0x{self.data:04x}"
        if not self.ta_ok:
            text += f" (turnaround {self.ta:02b})"
        if self.preamble != 32:
            text += f" ({self.preamble}-bit preamble)"
        return text


def _c22_name(reg: int) -> str:
    """`` (BMSR)`` for the IEEE Clause 22 registers, empty for vendor registers."""
    from physcapy.registers.models import model

    spec = model().registers.get(reg)
    return f" ({spec.name})" if spec else ""


def c45_frames(op: str, prtad: int, devad: int, reg: int, data: int = 0) -> list[Frame]:
    """A logical Clause 45 access as its two frames: ADDRESS then the operation.

    >>> [f.op for f in c45_frames("read_inc", 1, 3, 0x20)]
    ['address', 'read_inc']
    """
    op = op_name(45, op)
    if op == "address":
        raise FrameError(
            "op 'address' is the first frame of every access: ask for read, write or read_inc"
        )
    reg = parse_int("Clause 45 register address", reg, 0, 0xFFFF)
    return [Frame(45, "address", prtad, devad, reg), Frame(45, op, prtad, devad, data)]


def c45_over_c22_frames(
    op: str, phyad: int, devad: int, reg: int, data: int = 0, function: str | int = "data"
) -> list[Frame]:
    """A Clause 45 access through Clause 22 registers 13/14 (22.2.4.3.11, Annex 22D).

    The four frames Linux ``mmd_phy_indirect`` and mdio-tools' ``mmd-c22`` issue:
    write 13 = DEVAD, write 14 = register, write 13 = function | DEVAD, then read or
    write 14.  ``function`` picks what the last access does: ``address`` (00),
    ``data`` (01, no increment), ``data_inc`` (10, post-increment on reads and
    writes) or ``data_inc_write`` (11, post-increment on writes only).

    >>> [f"{f.op} {f.reg} {f.data:#06x}" for f in c45_over_c22_frames("read", 1, 3, 0x14)]
    ['write 13 0x0003', 'write 14 0x0014', 'write 13 0x4003', 'read 14 0x0000']
    """
    op = op_name(22, op)
    check_range("DEVAD", devad, 0, 31)
    reg = parse_int("Clause 45 register address", reg, 0, 0xFFFF)
    key = _FUNCTION_ALIASES.get(str(function).lower(), str(function).lower())
    if key not in MMD_FUNCTIONS:
        allowed = ", ".join(f"{k} ({v:02b})" for k, v in MMD_FUNCTIONS.items())
        raise FrameError(f"MMD function {function!r} is unknown: allowed {allowed}")
    code = MMD_FUNCTIONS[key]
    return [
        Frame(22, "write", phyad, 13, devad),  # function 00: register 14 takes the address
        Frame(22, "write", phyad, 14, reg),
        Frame(22, "write", phyad, 13, code << 14 | devad),
        Frame(22, op, phyad, 14, data if op == "write" else 0),
    ]
