# SPDX-License-Identifier: GPL-2.0-only
"""Register values: a 16-bit number with named, decoded, range-checked fields.

One class per register and model, generated from the description in ``layers/``::

    >>> from physcapy import BMCR, BMSR
    >>> r = BMSR(0x796D)
    >>> r.link_status, r.autoneg_complete, int(r)
    (1, 1, 31085)
    >>> r.flags().split()[:3]
    ['-100-b4', '+100-f', '+100-h']
    >>> c = BMCR(); c.autoneg_enable = 0; c.speed_lsb = 1; c
    BMCR(0x2140)
    >>> register("0x1f", 0x1058, model="lan8720a").speed_indication.name
    '100BASE-TX full duplex'

``BMCR()`` is the reset value; keyword arguments set fields after the value.
"""

from __future__ import annotations

import operator
from functools import cache
from typing import Any, ClassVar

from physcapy.errors import RangeError, UnknownNameError, check_range, parse_int
from physcapy.registers.models import Model, model
from physcapy.registers.regdesc import FieldSpec, RegisterSpec

__all__ = [
    "EnumValue",
    "RegisterValue",
    "register",
    "register_class",
    "register_packet",
    "register_packet_class",
]


class EnumValue(int):
    """A field value that has a name in the register description (``duplex == 1 == 'full'``)."""

    name: str

    def __new__(cls, value: int, name: str) -> EnumValue:
        obj = super().__new__(cls, value)
        obj.name = name
        return obj

    def __repr__(self) -> str:
        return f"{int(self)} ({self.name})"

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other == self.name
        return int(self) == other

    def __hash__(self) -> int:
        return int.__hash__(self)


class RegisterValue:
    """Base class of the generated register classes; ``spec`` describes the register."""

    __slots__ = ("_value",)
    spec: ClassVar[RegisterSpec]
    _by_name: ClassVar[dict[str, FieldSpec]]

    def __init__(self, value: int | str | None = None, **fields: int | str):
        what = f"{self.spec.name} value"
        if value is None:
            value = self.spec.reset
        elif isinstance(value, str):  # "0x796d", as typed
            value = parse_int(what, value, 0, 0xFFFF)
        elif not isinstance(value, bool):
            # Integers and what stands for one (numpy integers, another register value);
            # a float is not a register value, even 1.0.
            try:
                value = operator.index(value)
            except TypeError:
                raise RangeError(
                    f"{what} {value!r} is not an integer: allowed 0-65535 (0x0000-0xffff)"
                ) from None
        object.__setattr__(self, "_value", check_range(what, value, 0, 0xFFFF))
        for name, field_value in fields.items():
            setattr(self, name, field_value)

    # -- numbers -----------------------------------------------------------------------

    @property
    def value(self) -> int:
        return self._value

    def __int__(self) -> int:
        return self._value

    def __index__(self) -> int:
        return self._value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RegisterValue):
            return self.spec is other.spec and self._value == other._value
        if isinstance(other, int):
            return self._value == other
        return NotImplemented

    def __hash__(self) -> int:
        # Equal to its integer, so hashed as it: {BMCR(0x1140)} holds 0x1140.
        return hash(self._value)

    def __repr__(self) -> str:
        return f"{self.spec.name}(0x{self._value:04x})"

    def __format__(self, spec: str) -> str:
        """An integer's format spec applies to the value (``f"{v:#06x}"``); without
        one the value shows as ``str()`` does."""
        return format(self._value, spec) if spec else str(self)

    # -- copies and pickles ------------------------------------------------------------

    def __reduce__(self) -> tuple[Any, ...]:
        # The classes are made at run time, so pickle names the register by its model
        # and key (a lookup that gives back the same description, hence the same
        # class); a value read from a bus pickles as the plain value, without the bus.
        return (_unpickle, (self.spec.model, self.spec.key, self._value))

    def __copy__(self) -> RegisterValue:
        return self._copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> RegisterValue:
        return self._copy()

    def _copy(self) -> RegisterValue:
        return type(self)(self._value)

    # -- fields ------------------------------------------------------------------------

    def __getattr__(self, name: str) -> int:
        spec = type(self)._by_name.get(name)
        if spec is None:
            if name.startswith("__"):  # copy, pickle and IPython probe dunders
                raise AttributeError(name)
            from physcapy.errors import UnknownFieldError

            raise UnknownFieldError(f"field of {self.spec.name}", name, self.spec.field_names())
        raw = spec.extract(self._value)
        if spec.enum and raw in spec.enum:
            return EnumValue(raw, spec.enum[raw])
        return raw

    def __setattr__(self, name: str, field_value: int | str) -> None:
        spec = type(self)._by_name.get(name)
        if spec is None:
            if name.startswith("__"):  # copy, pickle and IPython probe dunders
                raise AttributeError(name)
            from physcapy.errors import UnknownFieldError

            raise UnknownFieldError(f"field of {self.spec.name}", name, self.spec.field_names())
        object.__setattr__(
            self,
            "_value",
            spec.insert(self._value, _field_value(spec, field_value, self.spec.name)),
        )

    def __getitem__(self, name: str) -> int:
        value: int = getattr(self, name)
        return value

    def __setitem__(self, name: str, field_value: int | str) -> None:
        setattr(self, name, field_value)

    def __dir__(self) -> list[str]:
        # Field names first so that IPython's completion offers them.
        return [*self.spec.field_names(), *super().__dir__()]

    def _ipython_key_completions_(self) -> list[str]:
        return self.spec.field_names()

    def fields(self, reserved: bool = False) -> dict[str, int]:
        """Field values as plain integers, MSB first."""
        return {
            f.name: f.extract(self._value) for f in self.spec.fields if reserved or not f.reserved
        }

    def decoded(self) -> dict[str, int | str]:
        """Field values with enum fields given by name (the JSON form)."""
        out: dict[str, int | str] = {}
        for f in self.spec.named_fields:
            raw = f.extract(self._value)
            out[f.name] = f.enum.get(raw, raw) if f.enum else raw
        return out

    def diff(self, other: int | RegisterValue) -> dict[str, tuple[int, int]]:
        """Fields that differ from ``other``: ``{"link_status": (1, 0)}``."""
        theirs = int(other)
        return {
            f.name: (f.extract(self._value), f.extract(theirs))
            for f in self.spec.fields
            if f.extract(self._value) != f.extract(theirs)
        }

    # -- displays ----------------------------------------------------------------------

    def flags(self) -> str:
        """One-bit fields as phytool prints them: ``+link -jabber``."""
        from physcapy.registers import display

        return display.flags(self)

    def table(self) -> str:
        from physcapy.registers import display

        return display.table(self)

    def show(self) -> None:
        """Print the field table (like Scapy's ``show()``)."""
        print(self.table())

    def mii_dump(self) -> str:
        """Field-by-field lines in the style of U-Boot ``mii dump``."""
        from physcapy.registers import display

        return display.mii_dump(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        # Bold set fields on a terminal; plain text in notebooks, pipes and under NO_COLOR.
        import os
        import sys

        from physcapy.registers import display

        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        p.text(repr(self) if cycle else display.table(self, color=color))

    def _repr_html_(self) -> str:
        from physcapy.registers import display

        return display.html(self)

    # -- other representations ---------------------------------------------------------

    def packet(self) -> Any:
        """The Scapy ``Packet`` for this value (imports Scapy)."""
        return register_packet_class(self.spec)(self._value.to_bytes(2, "big"))

    def __rdiv__(self, frame: Any) -> Any:
        """``MDIO(op="write", phyad=1) / BMCR(0x1200)``: the value as the frame's DATA
        (Scapy asks the right-hand side when it is not a packet)."""
        return frame / self.packet()

    __rtruediv__ = __rdiv__

    def parsed(self) -> Any:
        """The construct ``Container`` for this value."""
        from physcapy.registers.cstructs import register_struct

        return register_struct(self.spec).parse(self._value.to_bytes(2, "big"))

    def to_json(self) -> dict[str, Any]:
        return {
            "register": self.spec.name,
            "address": _json_address(self.spec),
            "value": self._value,
            "fields": self.decoded(),
        }


def _unpickle(model_name: str, key: str, value: int) -> RegisterValue:
    return register_class(model(model_name).register(key))(value)


def _json_address(spec: RegisterSpec) -> int | str:
    return (
        spec.address
        if spec.devad is None and spec.page is None and spec.space is None
        else spec.key
    )


def _field_value(spec: FieldSpec, value: int | str, register_name: str) -> int:
    what = f"{register_name}.{spec.name}"
    if isinstance(value, str):
        for number, label in spec.enum.items():
            if value == label or value.lower() == label.lower():
                return number
        if not spec.enum:
            try:
                value = int(value, 0)
            except ValueError:
                raise RangeError(
                    f"{what} {value!r} is not a number: allowed 0-{spec.maximum}"
                ) from None
        else:
            raise UnknownNameError(
                f"value of {what}",
                value,
                [f"{label} ({n})" for n, label in spec.enum.items()],
                hint=f"or a number 0-{spec.maximum}",
            )
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, int):
        raise RangeError(f"{what} {value!r} is not a number: allowed 0-{spec.maximum}")
    if not 0 <= value <= spec.maximum:
        raise RangeError(
            f"{what} {value} (0x{value:x}) does not fit {spec.width} bit"
            f"{'s' if spec.width > 1 else ''} ({spec.bits}): allowed "
            f"0-{spec.maximum}"
        )
    return value


@cache
def register_class(spec: RegisterSpec) -> type[RegisterValue]:
    """The value class for one register description (cached, so classes compare equal)."""
    namespace = {
        "__slots__": (),
        "__doc__": f"{spec.name}: {spec.title}. {spec.description}".strip(),
        "spec": spec,
        "_by_name": {f.name: f for f in spec.fields},
    }
    return type(spec.name, (RegisterValue,), namespace)


def register(
    reg: int | str,
    value: int | None = None,
    *,
    model: str | Model | None = None,
    page: int | None = None,
    **fields: int | str,
) -> RegisterValue:
    """A register value by register number/name/``DEVAD.REG`` and optional model.

    >>> register("PMA.CTRL1", 0x2040).speed_msb
    1
    """
    m = model if isinstance(model, Model) else _model(model)
    return register_class(m.register(reg, page=page))(value, **fields)


@cache
def register_packet_class(spec: RegisterSpec) -> Any:
    """The Scapy layer for one register description (cached; imports Scapy)."""
    from physcapy.registers.scapy import packet_class

    return packet_class(spec, register_class(spec))


def register_packet(reg: int | str, model_name: str | None = None) -> Any:
    """The Scapy layer of a register by number, name or ``DEVAD.REG`` (imports Scapy).

    >>> BMSR = register_packet("BMSR")
    >>> BMSR(bytes.fromhex("796d")).link_status
    1
    """
    return register_packet_class(_model(model_name).register(reg))


def _model(name: str | None) -> Model:
    return model(name)
