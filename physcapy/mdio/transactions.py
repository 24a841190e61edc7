# SPDX-License-Identifier: GPL-2.0-only
"""MDIO transactions: one frame on the bus, with when it happened (design.md §3.4).

The bus log, the capture decoder and recorded sessions all speak this form::

    >>> t = Transaction(0.0012, 0.0013, 22, "read", 1, 1, 0x796D)
    >>> t.to_json()
    '{"start": 0.0012, "end": 0.0013, "clause": 22, "op": "read", "phy": 1, "reg": 1, "data": 31085, "addr": null, "errors": []}'
    >>> Transaction.from_dict(t.to_dict()) == t
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from physcapy.errors import FrameError

__all__ = ["OPS", "Transaction"]

OPS = ("read", "write", "address", "read_inc")
#: What can be wrong with a frame (``unknown``: the capture had x/z levels in it).
ERRORS = ("turnaround", "short_preamble", "truncated", "bad_opcode", "bad_start", "unknown")


@dataclass(slots=True)
class Transaction:
    """``phy`` is PHYAD or PRTAD, ``reg`` REGAD or DEVAD; ``addr`` the Clause 45 register
    address the frame acted on (None for Clause 22, or when unknown)."""

    start: float
    end: float
    clause: int
    op: str
    phy: int
    reg: int
    data: int
    addr: int | None = None
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "clause": self.clause,
            "op": self.op,
            "phy": self.phy,
            "reg": self.reg,
            "data": self.data,
            "addr": self.addr,
            "errors": list(self.errors),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Transaction:
        try:
            t = cls(
                float(d["start"]),
                float(d["end"]),
                int(d["clause"]),
                str(d["op"]),
                int(d["phy"]),
                int(d["reg"]),
                int(d["data"]),
                None if d.get("addr") is None else int(d["addr"]),
                list(d.get("errors", [])),
            )
        except KeyError as exc:
            raise FrameError(
                f"transaction lacks {exc.args[0]!r}: needs start, end, clause, op, phy, reg, data"
            ) from None
        except (TypeError, ValueError) as exc:
            raise FrameError(f"transaction has a bad value: {exc}") from None
        if t.op not in OPS:
            raise FrameError(f"transaction op {t.op!r} is unknown: allowed {', '.join(OPS)}")
        return t

    def __str__(self) -> str:
        where = (
            f"PHY {self.phy} REG {self.reg}"
            if self.clause == 22
            else (
                f"PRTAD {self.phy} DEVAD {self.reg}"
                + (f" ADDR {self.addr:#06x}" if self.addr is not None else "")
            )
        )
        errors = f" [{', '.join(self.errors)}]" if self.errors else ""
        return (
            f"{self.start:12.7f}  C{self.clause} {self.op:<8} {where} = 0x{self.data:04x}{errors}"
        )
