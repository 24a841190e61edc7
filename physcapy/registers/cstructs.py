# SPDX-License-Identifier: GPL-2.0-only
"""construct structures for MDIO frames and registers.

construct is the declarative description a reader checks against the
standard's figure; it is not the fast path (``BitStruct`` is interpreted even
when compiled, ~15 µs a call; :mod:`physcapy.mdio.batch` does 10 ns a frame).

    >>> c = MDIO_FRAME.parse(bytes.fromhex("ffffffff51829140"))
    >>> (int(c.st), c.op, c.phyad, c.regad, hex(c.data))
    (1, 1, 3, 0, '0x9140')
    >>> MDIO_FRAME.build(c).hex()
    'ffffffff51829140'
"""

from __future__ import annotations

from functools import cache
from typing import Any

from construct import BitsInteger, BitStruct, Construct, Enum

from physcapy.registers.regdesc import RegisterSpec

__all__ = ["MDIO_FRAME", "MDIO_FRAME32", "register_struct"]

_BODY = (
    "st" / Enum(BitsInteger(2), c45=0b00, c22=0b01),
    # OP names depend on ST (Clause 22: 01 write, 10 read; Clause 45: 00 address,
    # 01 write, 10 read_inc, 11 read), so the raw code is kept here.
    "op" / BitsInteger(2),
    "phyad" / BitsInteger(5),  # PRTAD in Clause 45
    "regad" / BitsInteger(5),  # DEVAD in Clause 45
    "ta" / BitsInteger(2),
    "data" / BitsInteger(16),
)

#: The 64-bit frame of Clause 22.2.4.5 / 45.3: 32-bit preamble, then ST..DATA.
MDIO_FRAME: Construct = BitStruct("pre" / BitsInteger(32), *_BODY)

#: The 32 bits after the preamble (what the Scapy layer ``MDIO`` carries).
MDIO_FRAME32: Construct = BitStruct(*_BODY)


@cache
def register_struct(spec: RegisterSpec) -> Construct:
    """A 16-bit ``BitStruct`` with one member per field (reserved gaps included).

    Enum fields parse to construct's ``EnumIntegerString`` (equal to both the
    number and the name).
    """
    members: list[Any] = []
    for f in spec.fields:
        sub: Any = BitsInteger(f.width)
        if f.enum:
            sub = Enum(sub, **{label: number for number, label in f.enum.items()})
        members.append(f.name / sub)
    return BitStruct(*members)
