# SPDX-License-Identifier: GPL-2.0-only
"""Scapy layers for MDIO frames.

``MDIO`` is a Clause 22 frame and ``MDIO45`` a Clause 45 frame, both the 32
bits after the preamble (ST..DATA); dissecting either class picks the right one
from the ST bits.  ``MDIOPreamble()/MDIO(...)`` is the frame with its 32-bit
preamble, as the line carries it.  The 16-bit DATA decodes as the addressed
register (:mod:`physcapy.registers.scapy` holds the register layers)::

    >>> p = MDIO(op="write", phyad=3, regad="BMCR", data=0x9140)
    >>> bytes(p).hex(), p.summary()
    ('51829140', 'MDIO write PHY 3 BMCR = 0x9140')
    >>> type(MDIO(bytes.fromhex("03860000"))).__name__
    'MDIO45'
    >>> len(list(MDIO(op="read", phyad=1, regad=(0, 31))))
    32

Only ``scapy.packet``, ``scapy.fields`` and ``scapy.config`` are imported, never
``scapy.all`` (0.5 s and host route probing).
"""

from __future__ import annotations

from typing import Any

from scapy.fields import BitEnumField, BitField, StrField, XBitField
from scapy.packet import Packet

from physcapy.errors import UnknownNameError
from physcapy.mdio.frames import C22_OPS, C45_OPS, Frame
from physcapy.registers.models import MMD_NAMES, model

__all__ = ["MDIO", "MDIO45", "MDIOPreamble"]

_ST = {0b01: "c22", 0b00: "c45"}
_C22_OP_NAMES = {v: k for k, v in C22_OPS.items()}
_C45_OP_NAMES = {v: k for k, v in C45_OPS.items()}
_TA = {0b10: "10", 0b11: "11", 0b00: "00", 0b01: "01"}


class _RegisterNameField(BitEnumField):
    """REGAD: a number 0-31 or a Clause 22 register name of the IEEE set (``"BMSR"``)."""

    def __init__(self, name: str, default: int, size: int):
        c22 = model().registers
        super().__init__(name, default, size, {a: r.name for a, r in c22.items()})

    def any2i_one(self, pkt: Packet | None, x: Any) -> Any:
        if isinstance(x, str):
            try:
                return model().register(x).address
            except UnknownNameError:
                raise UnknownNameError("Clause 22 register name", x, model().names()) from None
        return super().any2i_one(pkt, x)


class _DevadField(BitEnumField):
    """DEVAD: a number 0-31 or an MMD name (``"PMA"``, ``"AN"``)."""

    def __init__(self, name: str, default: int, size: int):
        super().__init__(name, default, size, dict(MMD_NAMES))

    def any2i_one(self, pkt: Packet | None, x: Any) -> Any:
        if isinstance(x, str) and x.upper() not in MMD_NAMES.values():
            raise UnknownNameError("MMD name", x, MMD_NAMES.values())
        return super().any2i_one(pkt, x.upper() if isinstance(x, str) else x)


def _dispatch(cls: type[Packet], _pkt: bytes | None = None, *args: Any, **kargs: Any) -> type:
    """Pick the class from the ST bits, so ``MDIO(raw)`` dissects Clause 45 frames too."""
    if _pkt:
        return MDIO45 if _pkt[0] >> 6 == 0b00 else MDIO
    return cls


class _FrameMixin:
    """What MDIO and MDIO45 share: dispatch on ST, request/response matching, Frame view."""

    def hashret(self) -> bytes:
        # A request and its completed frame share ST, OP and both addresses.
        p: Any = self
        return bytes(
            [p.st, p.op, p.getfieldval(_ADDR1[type(self)]), p.getfieldval(_ADDR2[type(self)])]
        )

    def answers(self, other: Packet) -> bool:
        """A frame answers a request with the same ST, OP and addresses (the data differs)."""
        return isinstance(other, type(self)) and self.hashret() == other.hashret()

    def frame(self) -> Frame:
        """The frame as a :class:`physcapy.mdio.frames.Frame` (32-bit preamble)."""
        return Frame.from_bytes(bytes(self))  # type: ignore[call-overload]

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes | None]:
        return b"", s  # a frame carries no payload; trailing bytes are the next frame


class MDIO(_FrameMixin, Packet):
    """A Clause 22 management frame (IEEE 802.3 22.2.4.5), 32 bits from ST to DATA."""

    name = "MDIO"
    # Scapy looks for dispatch_hook in the class's own __dict__, not in its bases.
    dispatch_hook = classmethod(_dispatch)
    fields_desc = [
        BitEnumField("st", 0b01, 2, _ST),
        BitEnumField("op", C22_OPS["read"], 2, _C22_OP_NAMES),
        BitField("phyad", 0, 5),
        _RegisterNameField("regad", 0, 5),
        BitEnumField("ta", 0b10, 2, _TA),
        XBitField("data", 0, 16),
    ]

    def mysummary(self) -> str:
        op = _C22_OP_NAMES.get(self.op, f"op{self.op:02b}")
        reg = model().registers.get(self.regad)
        name = reg.name if reg else f"REG {self.regad}"
        return f"MDIO {op} PHY {self.phyad} {name} = 0x{self.data:04x}"

    def register(self, model_name: str | None = None) -> Any:
        """The data decoded as the addressed register (:class:`RegisterValue`)."""
        from physcapy.registers.values import register

        return register(self.regad, self.data, model=model_name)


class MDIO45(_FrameMixin, Packet):
    """A Clause 45 management frame (IEEE 802.3 45.3), 32 bits from ST to DATA."""

    name = "MDIO45"
    dispatch_hook = classmethod(_dispatch)
    fields_desc = [
        BitEnumField("st", 0b00, 2, _ST),
        BitEnumField("op", C45_OPS["address"], 2, _C45_OP_NAMES),
        BitField("prtad", 0, 5),
        _DevadField("devad", 1, 5),
        BitEnumField("ta", 0b10, 2, _TA),
        XBitField("data", 0, 16),
    ]

    def mysummary(self) -> str:
        op = _C45_OP_NAMES[self.op]
        mmd = MMD_NAMES.get(self.devad, f"DEVAD {self.devad}")
        return f"MDIO45 {op} PRTAD {self.prtad} {mmd} = 0x{self.data:04x}"


_ADDR1: dict[type, str] = {MDIO: "phyad", MDIO45: "prtad"}
_ADDR2: dict[type, str] = {MDIO: "regad", MDIO45: "devad"}


class _PreambleField(StrField):
    """Leading 0xff bytes; the frame proper always starts with a 0 bit (ST = 0x)."""

    def getfield(self, pkt: Packet, s: bytes) -> tuple[bytes, bytes]:
        body = s.lstrip(b"\xff")
        return body, s[: len(s) - len(body)]


class MDIOPreamble(Packet):
    """The preamble (32 ones by default) in front of an MDIO or MDIO45 frame."""

    name = "MDIO preamble"
    fields_desc = [_PreambleField("pre", b"\xff" * 4)]

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        return MDIO
