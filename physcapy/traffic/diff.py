# SPDX-License-Identifier: GPL-2.0-only
"""Compare two captures or sessions register by register, field by field.

"What does the working board do differently from the broken one": for each PHY
address and register, the last value read on each side, with the fields that
differ, the registers only one side read, and the sequences of writes::

    >>> from physcapy.mdio.transactions import Transaction as T
    >>> a = [T(0, 0, 22, "read", 1, 1, 0x7809)]
    >>> b = [T(0, 0, 22, "read", 1, 1, 0x782D)]
    >>> d = diff(a, b)
    >>> d.registers[0].name, d.registers[0].fields
    ('BMSR', {'autoneg_complete': [0, 1], 'link_status': [0, 1]})
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from physcapy.mdio.transactions import Transaction
from physcapy.traffic.annotate import Annotation, Annotator, good

__all__ = ["Diff", "RegisterDiff", "diff"]


@dataclass
class RegisterDiff:
    phy: int
    key: str
    name: str | None
    a: int | str | None
    b: int | str | None
    fields: dict[str, list[Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "phy": self.phy,
            "register": self.key,
            "name": self.name,
            "a": self.a,
            "b": self.b,
            "fields": self.fields,
        }

    def __str__(self) -> str:
        def hx(v: int | str | None) -> str:
            if v is None:
                return "not read"
            return v if isinstance(v, str) else f"0x{v:04x}"

        where = f"PHY {self.phy} {self.name or '?'} ({self.key})"
        fields = ", ".join(f"{k} {x} -> {y}" for k, (x, y) in self.fields.items())
        return f"{where}: A {hx(self.a)}, B {hx(self.b)}" + (f"  {fields}" if fields else "")


@dataclass
class Diff:
    registers: list[RegisterDiff]
    writes_a: list[str]
    writes_b: list[str]
    #: Registers both sides wrote, last values differing, field by field (what a
    #: driver programs differently: ADVERTISE with or without pause...).
    written: list[RegisterDiff] = field(default_factory=list)

    @property
    def writes_differ(self) -> bool:
        return self.writes_a != self.writes_b

    @property
    def same(self) -> bool:
        return not self.registers and not self.writes_differ

    def write_delta(self) -> list[str]:
        """A unified diff of the two write sequences (``-`` A only, ``+`` B only)."""
        return [
            line
            for line in difflib.unified_diff(self.writes_a, self.writes_b, "A", "B", lineterm="")
            if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "registers": [r.to_dict() for r in self.registers],
            "writes": {
                "a": self.writes_a,
                "b": self.writes_b,
                "same": not self.writes_differ,
                "registers": [r.to_dict() for r in self.written],
            },
        }


Side = tuple[dict[tuple[int, str], Annotation], list[str], dict[tuple[int, str], Annotation]]


def _side(transactions: Iterable[Transaction], models: dict[int, str] | None) -> Side:
    """Last read per register, the write sequence as text, last write per register."""
    annotator = Annotator(dict(models or {}))
    last: dict[tuple[int, str], Annotation] = {}
    writes: list[str] = []
    written: dict[tuple[int, str], Annotation] = {}
    for t in transactions:
        a = annotator.annotate(t)
        key = a.key or str(t.reg)
        if t.op in ("read", "read_inc"):
            # A read nobody answered counts too: "no answer" is a difference to report.
            last[(t.phy, key)] = a
        elif t.op == "write":
            writes.append(f"PHY {t.phy} {a.name or '?'} ({key}) = 0x{t.data:04x}")
            if a.name and key not in ("13", "14"):  # 13/14 set-up, not programming
                written[(t.phy, key)] = a
    return last, writes, written


def _value(a: Annotation | None) -> int | str | None:
    """The last value read; "no answer" for a read nobody answered; None if never read."""
    if a is None:
        return None
    return a.transaction.data if good(a.transaction) else "no answer"


def _order(item: tuple[int, str]) -> tuple[int, int, int, str]:
    phy, key = item
    if "." in key:
        devad, _, reg = key.partition(".")
        return (phy, 1, int(devad) << 16 | int(reg, 0), key)
    if ":" in key:
        return (phy, 2, 0, key)
    return (phy, 0, int(key), key)


def diff(
    a: Iterable[Transaction],
    b: Iterable[Transaction],
    models_a: dict[int, str] | None = None,
    models_b: dict[int, str] | None = None,
) -> Diff:
    last_a, writes_a, written_a = _side(a, models_a)
    last_b, writes_b, written_b = _side(b, models_b)
    out: list[RegisterDiff] = []
    for item in sorted(set(last_a) | set(last_b), key=_order):
        x, y = last_a.get(item), last_b.get(item)
        va = _value(x)
        vb = _value(y)
        if va == vb:
            continue
        fields: dict[str, list[Any]] = {}
        if x and y and good(x.transaction) and good(y.transaction):
            fields = {k: [v, y.fields.get(k)] for k, v in x.fields.items() if y.fields.get(k) != v}
        name = (x or y).name  # type: ignore[union-attr]
        out.append(RegisterDiff(item[0], item[1], name, va, vb, fields))
    programmed: list[RegisterDiff] = []
    for item in sorted(set(written_a) & set(written_b), key=_order):
        x, y = written_a[item], written_b[item]
        if x.transaction.data == y.transaction.data:
            continue
        fields = {k: [v, y.fields.get(k)] for k, v in x.fields.items() if y.fields.get(k) != v}
        programmed.append(
            RegisterDiff(item[0], item[1], x.name, x.transaction.data, y.transaction.data, fields)
        )
    return Diff(out, writes_a, writes_b, programmed)
