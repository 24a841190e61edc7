# SPDX-License-Identifier: GPL-2.0-only
"""Register-level annotation of MDIO traffic: names, decoded fields, driver sequences.

An :class:`Annotator` follows the traffic of each PHY address the way a person
reading a capture would: it identifies the part from its PHYSID1/PHYSID2 reads
(or is told the model), tracks vendor page selects and the register 13/14 MMD
state (IEEE 802.3 22.2.4.3.11) and Clause 45 address frames, and labels the
sequences drivers are made of: a soft reset and its polling, an AN restart,
``genphy_update_link``'s double BMSR read, an MMD indirect access, a page switch::

    >>> from physcapy.mdio.transactions import Transaction as T
    >>> a = Annotator()
    >>> for t in [T(0, 0, 22, "read", 1, 2, 0x0007), T(0, 0, 22, "read", 1, 3, 0xC0F1),
    ...           T(0, 0, 22, "read", 1, 31, 0x1058)]:
    ...     n = a.annotate(t)
    >>> n.name, n.model, n.fields["speed_indication"]
    ('PSCSR', 'lan8720a', '100BASE-TX full duplex')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from physcapy.errors import PhyscapyError
from physcapy.mdio.transactions import Transaction
from physcapy.registers.models import Model, model, model_for_id
from physcapy.registers.regdesc import RegisterSpec

__all__ = ["DAMAGED", "Annotation", "Annotator", "annotate", "good"]

_MMD_FUNCTION = {0: "address", 1: "data", 2: "data, post-increment", 3: "data, increment on write"}
#: Frame errors that leave no trustworthy data (a short preamble does not: preamble
#: suppression is legal, 22.2.4.5.1, and the frame is whole).
DAMAGED = frozenset({"turnaround", "truncated", "unknown", "bad_opcode", "bad_start"})
#: Two BMSR reads closer than this are one genphy_update_link (it reads twice in a row).
_PAIR_GAP = 1e-3


def good(t: Transaction) -> bool:
    """The frame carries data that can be decoded (see :data:`DAMAGED`)."""
    return not t.errors or DAMAGED.isdisjoint(t.errors)


@dataclass(slots=True)
class Annotation:
    """What a transaction means.  ``key`` is the logical register (``"1"``, ``"3.0x14"``,
    ``"0xa43:26"``); ``note`` labels the driver sequence it belongs to."""

    transaction: Transaction
    model: str | None = None
    name: str | None = None
    key: str | None = None
    fields: dict[str, int | str] = field(default_factory=dict)
    note: str = ""
    #: The register whose contents DATA is (None for address frames, 13/14 set-up
    #: frames of unknown MMDs, undescribed pages).
    spec: RegisterSpec | None = None

    def to_dict(self) -> dict[str, Any]:
        out = self.transaction.to_dict()
        out["name"] = self.name
        out["fields"] = self.fields
        out["model"] = self.model
        if self.key is not None:
            out["register"] = self.key
        if self.note:
            out["note"] = self.note
        return out

    def __str__(self) -> str:
        what = self.name or "?"
        if self.key and self.key != str(self.transaction.reg):
            what += f" ({self.key})"
        note = f"  [{self.note}]" if self.note else ""
        return f"{self.transaction}  {what}{note}"


# Per register spec: (name, lsb, max, enum) of its named fields, decoded fast.  Keyed by
# the spec itself (hashable, frozen), not its id(): a spec freed and another allocated at
# the same address would get the first one's fields.
_FIELDS: dict[RegisterSpec, tuple[tuple[str, int, int, Any], ...]] = {}


def _bits(value: int, msb: int, lsb: int) -> int:
    """Bits msb..lsb of ``value``."""
    return (value >> lsb) & ((1 << (msb - lsb + 1)) - 1)


def _decode(spec: RegisterSpec, value: int) -> dict[str, int | str]:
    plan = _FIELDS.get(spec)
    if plan is None:
        plan = tuple((f.name, f.lsb, f.maximum, f.enum or None) for f in spec.named_fields)
        _FIELDS[spec] = plan
    out: dict[str, int | str] = {}
    for name, lsb, maximum, enum in plan:
        raw = (value >> lsb) & maximum
        out[name] = enum.get(raw, raw) if enum else raw
    return out


class _Phy:
    """What is known about one address."""

    __slots__ = (
        "bmsr_end",
        "c45_addr",
        "id_hi",
        "mmd_addr",
        "mmd_ctrl",
        "model",
        "page",
        "resetting",
        "space_ptr",
        "told",
    )

    def __init__(self, m: Model, told: bool):
        self.model = m
        self.told = told
        self.id_hi: int | None = None
        self.page: int | None = None
        self.mmd_ctrl = 0
        self.mmd_addr: dict[int, int] = {}
        self.resetting = False
        #: The end of a BMSR read that the next access may pair with (None: none).
        self.bmsr_end: float | None = None
        self.c45_addr: dict[int, int] = {}
        self.space_ptr: dict[str, int] = {}  # indirect space -> selected register


class Annotator:
    """Annotates a stream of transactions; ``models`` fixes the model at addresses."""

    def __init__(self, models: dict[int, str | Model] | None = None):
        self._ieee = model()  # the IEEE set
        self._given = {a: model(m) if isinstance(m, str) else m for a, m in (models or {}).items()}
        self._phys: dict[int, _Phy] = {}

    def _phy(self, address: int) -> _Phy:
        p = self._phys.get(address)
        if p is None:
            given = self._given.get(address)
            p = _Phy(given or self._ieee, given is not None)
            self._phys[address] = p
        return p

    def model_at(self, address: int) -> Model | None:
        """The model identified (or given) at ``address``; None while unknown."""
        p = self._phys.get(address)
        return p.model if p is not None and p.model is not self._ieee else None

    def __call__(self, t: Transaction) -> Annotation:
        return self.annotate(t)

    def annotate(self, t: Transaction) -> Annotation:
        p = self._phy(t.phy)
        if t.clause == 45:
            return self._c45(p, t)
        return self._c22(p, t)

    # -- Clause 22 ----------------------------------------------------------------------

    def _c22(self, p: _Phy, t: Transaction) -> Annotation:
        m = p.model
        reg, data, read = t.reg, t.data, t.op == "read"
        a = Annotation(t, m.name if m is not self._ieee else None)
        answered = good(t)
        # Identification from PHYSID1 then PHYSID2 (22.2.4.3.1).
        if read and answered and reg == 2:
            p.id_hi = data
        elif read and answered and reg == 3 and p.id_hi is not None and not p.told:
            found = model_for_id(p.id_hi << 16 | data)
            if found is not None and found is not p.model:
                p.model = m = found
                p.page = None
                a.model = m.name
        if reg in (13, 14) and reg in m.registers:
            self._mmd(p, a, t)
        elif not (m.spaces and self._indirect(p, a, t)):
            self._c22_register(p, a, t, answered)
        # genphy_update_link reads BMSR twice in a row; any other Clause 22 access between
        # the two (13/14 and indirect ones too) makes them two separate reads.
        if reg == 1 and read:
            paired = p.bmsr_end is not None and t.start - p.bmsr_end < _PAIR_GAP
            if paired and not a.note:
                a.note = "second BMSR read (genphy_update_link: the first flushes the latch)"
            p.bmsr_end = None if paired else t.end
        else:
            p.bmsr_end = None
        return a

    def _c22_register(self, p: _Phy, a: Annotation, t: Transaction, answered: bool) -> None:
        """Name and decode a Clause 22 register (paged or not); label page switches and
        BMCR writes and reset polls."""
        m, reg, data, read = p.model, t.reg, t.data, t.op == "read"
        select = _page_select(m)
        spec = self._c22_spec(p, reg)
        if spec is None and select is not None and p.page and reg != select:
            # A page the description does not cover (a Marvell 88E1111's fibre page):
            # named by its page, not decoded as the copper register it is not.
            a.key = f"{p.page:#x}:{reg}"
            a.note = f"page {p.page:#x} (not described)"
        elif spec is not None:
            a.name, a.spec, a.key = spec.name, spec, spec.key
            if answered or not read:
                a.fields = _decode(spec, data)
        if select is not None and reg == select and not read:
            p.page = data
            a.note = f"page switch to {data:#x}"
        elif reg == 0 and not a.note and (answered or not read):
            # A damaged read of BMCR says nothing about the reset bit.
            self._bmcr(p, a, read, data)

    def _indirect(self, p: _Phy, a: Annotation, t: Transaction) -> bool:
        """Name the register behind an indirect access (Motorcomm 0x1E/0x1F, Broadcom
        0x17/0x15 expansion and 0x1C shadow); False when ``t`` is not one, or is a write
        of an address register (which is then named and decoded as any register)."""
        reg, data, read = t.reg, t.data, t.op == "read"
        for space in p.model.spaces.values():
            if space.kind == "address" and reg == space.select and not read:
                address = data & ~space.select_base & 0xFFFF
                p.space_ptr[space.name] = address
                target = space.registers.get(address)
                label = target.name if target is not None else f"{address:#x}"
                a.note = f"{space.name} select {label}"
                return False
            if space.kind == "shadow" and reg == space.select:
                number = _bits(data, *space.selector)
                flag = space.write_enable
                writing = not read and flag is not None and bool(data >> flag & 1)
                if space.read_select is not None and not read:
                    if number != space.read_select:
                        writing = True
                    elif not writing:
                        number = _bits(data, *space.read_selector)
                if not read and not writing:
                    target = space.registers.get(number)
                    a.key = f"{space.name}:{number:#x}"
                    a.note = f"{space.name} select {target.name if target else hex(number)}"
                    return True
                self._indirect_register(a, space.registers.get(number), space.name, number, t)
                a.note = f"{space.name} {'write' if writing else 'read'}"
                return True
            if space.kind == "address" and reg == space.data:
                selected = p.space_ptr.get(space.name)
                if selected is None:
                    a.key = f"{space.name}:?"
                    a.note = f"{space.name} data (address unknown: selected before the capture)"
                    return True
                self._indirect_register(a, space.registers.get(selected), space.name, selected, t)
                return True
        return False

    @staticmethod
    def _indirect_register(
        a: Annotation, spec: RegisterSpec | None, space: str, address: int, t: Transaction
    ) -> None:
        a.key = f"{space}:{address:#x}"
        if spec is not None:
            a.name, a.spec = spec.name, spec
            if good(t) or t.op != "read":
                a.fields = _decode(spec, t.data)

    def _c22_spec(self, p: _Phy, reg: int) -> RegisterSpec | None:
        m = p.model
        if m.page_register is None and p.page and reg != _page_select(m):
            return None  # an undescribed page of a part whose pages are not modelled
        paged = m.paged_from <= reg <= 30
        if p.page is not None and m.pages and paged and reg != m.page_register:
            page = _page_alias(m).get(p.page, p.page)
            regs = m.pages.get(page)
            if regs is not None and reg in regs:
                return regs[reg]
            if page != m.default_page:
                return None  # a page this model does not describe
        return m.registers.get(reg)

    def _bmcr(self, p: _Phy, a: Annotation, read: bool, data: int) -> None:
        if not read:
            if data & 0x8000:
                p.resetting = True
                a.note = "soft reset (BMCR.reset)"
            elif data & 0x0200:
                a.note = "restart auto-negotiation"
            elif not data & 0x1000:
                a.note = "forced mode"
            return
        if p.resetting:
            if data & 0x8000:
                a.note = "reset poll: still in reset"
            else:
                a.note = "reset poll: reset done"
                p.resetting = False

    def _mmd(self, p: _Phy, a: Annotation, t: Transaction) -> None:
        """Registers 13/14: show the logical MMD access they make."""
        m, data, read = p.model, t.data, t.op == "read"
        if t.reg == 13:
            a.name, a.key = "MMD_CTRL", "13"
            spec = m.registers.get(13)
            a.spec = spec
            if spec is not None:
                a.fields = _decode(spec, data)
            if not read:
                p.mmd_ctrl = data
                fn, devad = data >> 14, data & 0x1F
                a.note = f"MMD indirect access: DEVAD {devad}, {_MMD_FUNCTION[fn]}"
            return
        fn, devad = p.mmd_ctrl >> 14, p.mmd_ctrl & 0x1F
        if fn == 0:
            a.name, a.key = "MMD_ADDR", "14"
            if not read:
                p.mmd_addr[devad] = data
            a.note = f"MMD indirect access: register address {data:#x} of DEVAD {devad}"
            return
        address = p.mmd_addr.get(devad)
        if address is None:
            a.name, a.key = "MMD_DATA", "14"
            a.note = f"MMD {devad} data (address unknown: set before the capture)"
            return
        key = f"{devad}.{address:#x}"
        a.key = key
        spec = self._mmd_spec(m, devad, address)
        a.name = spec.name if spec is not None else None
        a.spec = spec
        if spec is not None and good(t):
            a.fields = _decode(spec, data)
        a.note = f"{key} = {data:#06x} via 13/14" + ("" if read else " (write)")
        if fn == 2 or (fn == 3 and not read):
            p.mmd_addr[devad] = (address + 1) & 0xFFFF  # post-increment

    def _mmd_spec(self, m: Model, devad: int, address: int) -> RegisterSpec | None:
        """The model's MMD register, else the IEEE Clause 45 one (a vendor file lists
        only the MMD registers it adds)."""
        for source in (m, self._ieee):
            if devad in source.mmds and address in source.mmds[devad].registers:
                return source.mmds[devad].registers[address]
        return None

    # -- Clause 45 ----------------------------------------------------------------------

    def _c45(self, p: _Phy, t: Transaction) -> Annotation:
        m = p.model
        devad = t.reg
        a = Annotation(t, m.name if m is not self._ieee else None)
        address = t.addr if t.addr is not None else p.c45_addr.get(devad)
        if t.op == "address":
            p.c45_addr[devad] = t.data
            address = t.data
        elif t.op == "read_inc" and address is not None:
            p.c45_addr[devad] = (address + 1) & 0xFFFF
        if address is None:
            a.note = "register address unknown (set before the capture)"
            return a
        if t.op in ("read", "read_inc") and good(t) and address in (2, 3):
            if address == 2:
                p.id_hi = t.data
            elif p.id_hi is not None and not p.told:
                found = model_for_id(p.id_hi << 16 | t.data)
                if found is not None and found is not m:
                    p.model = m = found
                    a.model = m.name
        a.key = f"{devad}.{address:#x}"
        spec = self._mmd_spec(m, devad, address)
        if spec is not None:
            a.name = spec.name
            a.spec = spec if t.op != "address" else None
            if t.op != "address" and good(t):
                a.fields = _decode(spec, t.data)
        if t.op == "address":
            a.note = f"address {a.key}"
        elif t.op == "read_inc":
            a.note = "post-read-increment"
        return a


_ALIASES: dict[str, dict[int, int]] = {}
_SELECT: dict[str, int | None] = {}


def _page_select(m: Model) -> int | None:
    """The register that selects pages: the model's page register, or a register the
    description names PAGE (Marvell's register 22 on parts whose pages are not modelled)."""
    if m.name not in _SELECT:
        found = m.page_register
        if found is None:
            for address, spec in m.registers.items():
                if "PAGE" in (spec.name, *spec.aliases):
                    found = address
                    break
        _SELECT[m.name] = found
    return _SELECT[m.name]


def _page_alias(m: Model) -> dict[int, int]:
    if m.name not in _ALIASES:
        from physcapy.sim.config import sim_config

        try:
            _ALIASES[m.name] = dict(sim_config(m).page_alias)
        except PhyscapyError:  # a model without a usable [sim] table has no aliases
            _ALIASES[m.name] = {}
    return _ALIASES[m.name]


def annotate(
    transactions: Iterable[Transaction], models: dict[int, str | Model] | None = None
) -> Iterator[Annotation]:
    """Annotate a stream (a capture's decode, a session) in order."""
    a = Annotator(models)
    for t in transactions:
        yield a.annotate(t)
