# SPDX-License-Identifier: GPL-2.0-only
"""Scapy layers of PHY registers: 16 bits, one Scapy field per register field.

The layers are made from the register descriptions, MSB first, each field's default
being its bit of the register's reset value::

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

from physcapy.registers.regdesc import FieldSpec, RegisterSpec

__all__ = ["RegisterPacket", "packet_class"]


def _field(spec_field: FieldSpec) -> Any:
    if spec_field.enum:
        return BitEnumField(spec_field.name, 0, spec_field.width, dict(spec_field.enum))
    return BitField(spec_field.name, 0, spec_field.width)


class RegisterPacket(Packet):
    """Base of the generated 16-bit register layers."""

    spec: ClassVar[RegisterSpec]
    #: The :class:`~physcapy.registers.values.RegisterValue` class of the same register.
    value_class: ClassVar[type]

    def mysummary(self) -> str:
        return f"{self.spec.name} 0x{int.from_bytes(bytes(self), 'big'):04x}"

    def value(self) -> Any:
        """The same register as a :class:`physcapy.registers.values.RegisterValue`."""
        return self.value_class(int.from_bytes(bytes(self), "big"))


def packet_class(spec: RegisterSpec, value_class: type) -> type[RegisterPacket]:
    """A new Scapy layer for one register description, fields MSB first (the value
    module keeps one per register)."""
    fields = [_field(f) for f in spec.fields]
    for f, desc in zip(fields, spec.fields, strict=True):
        f.default = f.any2i(None, desc.extract(spec.reset))
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
