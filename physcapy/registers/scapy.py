# SPDX-License-Identifier: GPL-2.0-only
"""Scapy layers of PHY registers: 16 bits, one Scapy field per register field.

The layers are made from the register descriptions, MSB first.  Every field defaults
to 0, as Scapy fields do, so a layer built for a write carries exactly the fields named
(``BMCR(restart_autoneg=1, autoneg_enable=1)`` is 0x1200); the value classes
(``physcapy.BMCR()``) are the ones that start from the reset value::

    >>> from physcapy.registers.models import model
    >>> from physcapy.registers.values import register_class
    >>> spec = model().register("BMSR")
    >>> BMSR = packet_class(spec, register_class(spec))
    >>> BMSR(bytes.fromhex("796d")).link_status
    1

Users reach them through :func:`physcapy.registers.values.register_packet` (or
``physcapy.register_packet``), which pairs each layer with its value class.  Only
``scapy.packet`` and ``scapy.fields`` are imported, never ``scapy.all``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from scapy.fields import BitEnumField, BitField
from scapy.packet import Packet

from physcapy.registers.display import summary
from physcapy.registers.regdesc import FieldSpec, RegisterSpec

__all__ = ["RegisterPacket", "packet_class"]


def _field(spec_field: FieldSpec) -> Any:
    if spec_field.enum:
        return BitEnumField(spec_field.name, 0, spec_field.width, dict(spec_field.enum))
    return BitField(spec_field.name, 0, spec_field.width)


class _Shown:
    """A register value for the displays (display.RegisterValue)."""

    __slots__ = ("spec", "value")

    def __init__(self, spec: RegisterSpec, value: int):
        self.spec, self.value = spec, value


class RegisterPacket(Packet):
    """Base of the generated 16-bit register layers."""

    spec: ClassVar[RegisterSpec]
    #: The :class:`~physcapy.registers.values.RegisterValue` class of the same register.
    value_class: ClassVar[type]

    def mysummary(self) -> Any:
        value = int.from_bytes(bytes(self)[:2], "big")
        # Set bits and field values (phytool's +flags); clear bits would drown them.
        shown = [x for x in summary(_Shown(self.spec, value)).split() if x[0] != "-"]
        text = " ".join([self.spec.name, *shown])
        # Under a frame, the frame's own summary (op, address) is shown too.
        return (text, [type(self.underlayer)]) if self.underlayer is not None else text

    def value(self) -> Any:
        """The same register as a :class:`physcapy.registers.values.RegisterValue`."""
        return self.value_class(int.from_bytes(bytes(self), "big"))


def packet_class(spec: RegisterSpec, value_class: type) -> type[RegisterPacket]:
    """A new Scapy layer for one register description, fields MSB first, all 0 by
    default (the value module keeps one layer per register)."""
    fields = [_field(f) for f in spec.fields]
    return type(
        spec.name,
        (RegisterPacket,),
        {
            "name": f"{spec.name} ({spec.title})",
            "fields_desc": fields,
            "spec": spec,
            "value_class": value_class,
            "__doc__": f"{spec.name}: {spec.title}",
        },
    )
