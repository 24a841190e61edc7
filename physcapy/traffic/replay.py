# SPDX-License-Identifier: GPL-2.0-only
"""Replay captured or recorded traffic against a bus and say where the device differs.

Writes are performed, reads are performed and compared, Clause 45 address frames
are sent as they were, in the order of the traffic.  Each mismatch carries the
time, the register and the field-level difference (design.md §3.5)::

    >>> from physcapy import open_bus
    >>> from physcapy.mdio.transactions import Transaction as T
    >>> r = replay([T(0.0, 0.0, 22, "read", 1, 1, 0x796D)], open_bus("sim://?partner=none"))
    >>> r.summary["mismatched"], r.mismatches[0].fields
    (1, {'autoneg_complete': [1, 0], 'link_status': [1, 0]})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from physcapy.bus.base import Bus
from physcapy.errors import PhyscapyError, UnknownNameError, parse_int
from physcapy.mdio.frames import Frame
from physcapy.mdio.transactions import Transaction
from physcapy.registers.models import Model, model
from physcapy.traffic.annotate import DAMAGED, Annotator, _decode

__all__ = ["Mismatch", "ReplayReport", "parse_ignore", "replay"]


@dataclass
class Mismatch:
    t: float
    phy: int
    reg: int | str
    name: str | None
    expected: int
    actual: int
    fields: dict[str, list[Any]] = field(default_factory=dict)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {
            "t": self.t,
            "phy": self.phy,
            "reg": self.reg,
            "name": self.name,
            "expected": self.expected,
            "actual": self.actual,
            "fields": self.fields,
        }
        if self.note:
            out["note"] = self.note
        return out

    def __str__(self) -> str:
        where = f"PHY {self.phy} {self.name or '?'} ({self.reg})"
        if self.actual < 0:
            return f"{self.t:12.7f}  {where}: bus error: {self.note}"
        diff = ", ".join(
            f"{self.name}.{k}: capture {a}, device {b}" for k, (a, b) in self.fields.items()
        )
        return (
            f"{self.t:12.7f}  {where}: expected 0x{self.expected:04x}, got "
            f"0x{self.actual:04x}"
            + (f"  ({diff})" if diff else "")
            + (f"  [{self.note}]" if self.note else "")
        )


@dataclass
class ReplayReport:
    reads: int = 0
    matched: int = 0
    mismatched: int = 0
    writes: int = 0
    errors: int = 0
    ignored: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    #: Damaged frames (truncated, x/z levels, bad opcode) that were not replayed.
    skipped: list[Transaction] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "reads": self.reads,
            "matched": self.matched,
            "mismatched": self.mismatched,
            "writes": self.writes,
            "errors": self.errors,
            "ignored": self.ignored,
            "skipped": len(self.skipped),
        }

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.errors

    def to_dataframe(self) -> Any:
        """One row per mismatch (``t``, ``phy``, ``reg``, ``name``, ``expected``,
        ``actual``, ``fields``, ``note``; needs pandas: ``pip install 'physcapy[pandas]'``)."""
        from physcapy.plugins import optional

        columns = ["t", "phy", "reg", "name", "expected", "actual", "fields", "note"]
        rows = [{"note": "", **m.to_dict()} for m in self.mismatches]
        return optional("pandas", "pandas").DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "mismatches": [m.to_dict() for m in self.mismatches],
            "skipped": [t.to_dict() for t in self.skipped],
        }


def parse_ignore(items: Iterable[str], m: Model | None = None) -> set[str]:
    """``--ignore`` values to register keys: ``26``/``0x1a`` -> ``"26"``, ``BMSR`` ->
    ``"1"``, ``3.0x14`` -> ``"3.0x14"``; a name ``m`` does not know (``SECR``) is kept
    and matched against the register names of the part the traffic identifies."""
    m = m or model()  # the IEEE set
    out: set[str] = set()
    for item in items:
        text = item.strip()
        if "." in text:
            devad, _, reg = text.partition(".")
            try:
                numbers = int(devad, 0), int(reg, 0)
            except ValueError:
                numbers = None
            if numbers is not None:
                # DEVAD is 5 bits and a register address 16 (IEEE 802.3 45.3).
                parse_int("--ignore DEVAD", numbers[0], 0, 31)
                parse_int("--ignore register address", numbers[1], 0, 0xFFFF)
                out.add(f"{numbers[0]}.{numbers[1]:#x}")
                continue
            else:
                spec = m.register(text)
                out.add(f"{spec.devad}.{spec.address:#x}")
                continue
        try:
            number = int(text, 0)
        except ValueError:
            number = None
        if number is not None:
            out.add(str(parse_int("--ignore register", number, 0, 31)))  # Clause 22: 5 bits
        else:
            try:
                out.add(m.register(text).key)
            except UnknownNameError:
                # A vendor register of a part identified later, from the traffic's ID
                # reads: matched by name as the annotator names it -- if any part has it.
                if text.upper() not in _all_register_names():
                    raise UnknownNameError(
                        "register to ignore", text, hint="no PHY model has a register so named"
                    ) from None
                out.add(text.upper())
    return out


def _all_register_names() -> set[str]:
    from physcapy.registers.models import all_models

    return {n for m in all_models() for r in m.all_registers() for n in (r.name, *r.aliases)}


def replay(
    transactions: Iterable[Transaction],
    bus: Bus,
    *,
    realtime: bool = False,
    ignore: set[str] | None = None,
    address_map: dict[int, int] | None = None,
    dry_run: bool = False,
    models: dict[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ReplayReport:
    """Play ``transactions`` on ``bus``; compare every read (see the module docstring).

    ``realtime`` keeps the traffic's timing (the bus clock waits until each frame's
    start), so a read made during a reset in the capture happens during the reset.
    ``ignore`` holds register keys (:func:`parse_ignore`) not compared (counters);
    ``address_map`` moves PHY addresses; ``dry_run`` checks and counts without a bus.
    """
    report = ReplayReport()
    ignore = ignore or set()
    amap = address_map or {}
    expect = Annotator(dict(models or {}))
    t0: float | None = None
    clock = bus.clock
    base = clock.time()
    for i, t in enumerate(transactions):
        if progress is not None and i % 4096 == 0:
            progress(i)
        note = expect.annotate(t)
        phy = amap.get(t.phy, t.phy)
        if t.errors and not DAMAGED.isdisjoint(t.errors) and t.errors != ["turnaround"]:
            # A frame the capture did not hold whole is not sent: a truncated write
            # could reconfigure the PHY with half a value.
            report.skipped.append(t)
            continue
        if realtime and not dry_run:
            t0 = t.start if t0 is None else t0
            clock.advance(max(base + (t.start - t0) - clock.time(), 0.0))
        reads = t.op in ("read", "read_inc")
        if not reads:
            report.writes += t.op == "write"
            if not dry_run:
                try:
                    _send(bus, t, phy)
                except PhyscapyError as exc:
                    report.errors += 1
                    report.mismatches.append(
                        Mismatch(t.start, phy, t.reg, note.name, t.data, -1, note=str(exc))
                    )
            continue
        report.reads += 1
        if dry_run:
            continue
        try:
            value, answered = _receive(bus, t, phy)
        except PhyscapyError as exc:
            report.errors += 1
            report.mismatches.append(
                Mismatch(t.start, phy, t.reg, note.name, t.data, -1, note=str(exc))
            )
            continue
        key = note.key or str(t.reg)
        if key in ignore or (note.name is not None and note.name in ignore):
            report.ignored += 1
            continue
        expected_answer = "turnaround" not in t.errors
        if value == t.data and answered == expected_answer:
            report.matched += 1
            continue
        report.mismatched += 1
        fields: dict[str, list[Any]] = {}
        if note.spec is not None:
            # Decoded with the register description the capture's value was (the
            # annotator's: for an MMD register a vendor file does not list, IEEE's).
            actual_fields = _decode(note.spec, value)
            fields = {
                k: [v, actual_fields.get(k)]
                for k, v in note.fields.items()
                if actual_fields.get(k) != v
            }
        m = Mismatch(
            t.start,
            phy,
            key if "." in key or ":" in key else t.reg,
            note.name,
            t.data,
            value,
            fields,
        )
        if answered != expected_answer:
            m.note = (
                "no turnaround from the device"
                if not answered
                else "the device answered where the capture had no turnaround"
            )
        report.mismatches.append(m)
    return report


def _send(bus: Bus, t: Transaction, phy: int) -> None:
    if t.clause == 22:
        bus.write(phy, t.reg, t.data)
    elif t.op == "address":
        bus.c45_address(phy, t.reg, t.data)
    else:
        bus.c45_write(phy, t.reg, t.data)


def _receive(bus: Bus, t: Transaction, phy: int) -> tuple[int, bool]:
    (f,) = bus.batch([Frame(t.clause, "read" if t.clause == 22 else t.op, phy, t.reg)])
    return f.data, f.ta_ok
