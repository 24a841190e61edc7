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

import threading
from collections.abc import Iterable
from typing import Any

from scapy.fields import BitEnumField, BitField, StrField, XBitField
from scapy.packet import NoPayload, Packet, bind_layers, bind_top_down
from scapy.volatile import VolatileValue

from physcapy.errors import FrameError, PhyscapyError, UnknownNameError, check_range
from physcapy.mdio.frames import C22_OPS, C45_OPS, Frame
from physcapy.mdio.transactions import Transaction
from physcapy.registers.models import MMD_NAMES, Model, model
from physcapy.registers.regdesc import RegisterSpec
from physcapy.registers.scapy import RegisterPacket
from physcapy.registers.values import register_packet_class

__all__ = [
    "MDIO",
    "MDIO45",
    "MDIOPreamble",
    "conf",
    "explore",
    "from_frame",
    "from_transaction",
    "ls",
    "register_layer",
    "to_frame",
    "to_frames",
    "to_transaction",
]


class MDIOConf:
    """What dissection cannot learn from one frame, as Scapy's ``conf`` holds such things.

    ``models`` maps a PHY address to its model (``{1: "lan8720a"}``), so that a vendor
    register at that address dissects by name; without an entry the IEEE set is used.
    Sockets and capture readers know better per frame (they identify the PHY from its
    ID reads and follow pages and Clause 45 addresses), and say so on the packets.
    """

    def __init__(self) -> None:
        self.models: dict[int, str] = {}

    def model_at(self, address: int) -> Model:
        name = self.models.get(address)
        return model(name) if name else model()


#: Dissection settings (``conf.models[1] = "lan8720a"``).
conf = MDIOConf()

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


class _WireBitEnumField(BitEnumField):
    """ST and TA: what makes the frame an MDIO frame at all, so ``fuzz()`` leaves them
    (a fuzzed ST would turn a Clause 22 frame into a Clause 45 one; the PHY, not the
    station, drives a read's TA)."""

    def randval(self) -> Any:
        return None


def _dispatch(cls: type[Packet], _pkt: bytes | None = None, *args: Any, **kargs: Any) -> type:
    """Pick the class from the ST bits, so ``MDIO(raw)`` dissects Clause 45 frames too."""
    if _pkt:
        return MDIO45 if _pkt[0] >> 6 == 0b00 else MDIO
    return cls


def _shown(value: Any, fmt: str = "{:d}") -> str:
    """A field value for a summary; a fuzzed (volatile) one shows as what it is."""
    if isinstance(value, VolatileValue):
        return f"<{type(value).__name__}>"
    return fmt.format(value)


def _layer_name(cls: Any) -> Any:
    """``pkt[BMSR]``: register layers match by name, whichever class stands for them
    (the value class the shell calls ``BMSR``, or a model's Scapy layer)."""
    spec = getattr(cls, "spec", None)
    if isinstance(cls, type) and isinstance(spec, RegisterSpec):
        return spec.name
    return cls


#: from_transaction's default: dissect DATA as the IEEE set binds it.
_IEEE: Any = object()
#: The register from_transaction has been told DATA is, while it dissects (per thread).
_DISSECT = threading.local()


class _FrameMixin:
    """What MDIO and MDIO45 share: dispatch on ST, request/response matching, Frame view,
    and the register payload, which is DATA seen as the addressed register."""

    # -- the register payload overlays DATA -----------------------------------------------

    def do_build(self) -> bytes:
        # A payload (register layer, or raw bytes) is the DATA field, not bytes after it.
        # Always, also for a dissected frame (Packet.do_build skips post_build then).
        p: Any = self
        pkt, pay = p.self_build(), p.do_build_payload()
        if isinstance(p.payload, RegisterPacket):
            return pkt[:2] + pay
        return pkt + pay  # Raw/Padding: bytes after the frame

    def do_dissect_payload(self, s: bytes) -> None:
        p: Any = self
        data = p.data
        if not isinstance(data, int):
            return
        raw = data.to_bytes(2, "big")
        told = getattr(_DISSECT, "spec", _IEEE)  # from_transaction knows the register
        if told is not _IEEE:
            cls = register_packet_class(told) if told is not None else None
        else:
            cls = p.guess_payload_class(raw)
        if cls is None or cls is NoPayload or not issubclass(cls, RegisterPacket):
            return  # DATA that is no register (an address frame, an unknown register)
        p.add_payload(cls(raw, _internal=1, _underlayer=self))

    def add_payload(self, payload: Any) -> None:
        # Any register layer stacks on a frame: bind it on first use (vendor registers
        # are not bound in advance) so Scapy sets REGAD/DEVAD from it, as bind_layers does.
        if isinstance(payload, RegisterPacket) and type(self) in (MDIO, MDIO45):
            _bind(type(payload))
        super().add_payload(payload)  # type: ignore[misc]

    def _payload_data(self) -> int | None:
        layer = self.payload  # type: ignore[attr-defined]
        if isinstance(layer, RegisterPacket):
            return int.from_bytes(bytes(layer)[:2], "big")
        return None

    # DATA is the register payload when there is one: pkt.data, show(), summaries and
    # the built frame all agree, whichever was set last (setting data replaces the
    # payload; setting a payload field changes data).
    def getfieldval(self, attr: str) -> Any:
        if attr == "data" and (data := self._payload_data()) is not None:
            return data
        return super().getfieldval(attr)  # type: ignore[misc]

    def setfieldval(self, attr: str, val: Any) -> None:
        # pkt.data = X on a frame with a register payload: the payload becomes X.
        layer = self.payload  # type: ignore[attr-defined]
        if attr == "data" and isinstance(layer, RegisterPacket) and isinstance(val, int):
            fresh = type(layer)(check_range("DATA", val, 0, 0xFFFF).to_bytes(2, "big"))
            self.remove_payload()  # type: ignore[attr-defined]
            self.add_payload(fresh)
        super().setfieldval(attr, val)  # type: ignore[misc]

    def getfield_and_val(self, attr: str) -> Any:
        if attr == "data" and (data := self._payload_data()) is not None:
            return self.fieldtype["data"], data  # type: ignore[attr-defined]
        return super().getfield_and_val(attr)  # type: ignore[misc]

    def getlayer(self, cls: Any, *args: Any, **kwargs: Any) -> Any:
        return super().getlayer(_layer_name(cls), *args, **kwargs)  # type: ignore[misc]

    def haslayer(self, cls: Any, _subclass: Any = None) -> Any:
        return super().haslayer(_layer_name(cls), _subclass)  # type: ignore[misc]

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
        return b"", s  # the payload is DATA; trailing bytes are the next frame

    def _data(self) -> Any:
        """DATA as it goes on the wire: the register payload's bits when there is one."""
        p: Any = self
        if isinstance(p.payload, RegisterPacket):
            return int.from_bytes(bytes(p.payload)[:2], "big")
        return p.data

    def register_spec(self) -> RegisterSpec | None:
        """The description of the register in the payload, if it is one."""
        p: Any = self
        layer = p.payload
        return getattr(layer, "spec", None) if isinstance(layer, RegisterPacket) else None


class MDIO(_FrameMixin, Packet):
    """A Clause 22 management frame (IEEE 802.3 22.2.4.5), 32 bits from ST to DATA."""

    name = "MDIO"
    # Scapy looks for dispatch_hook in the class's own __dict__, not in its bases.
    dispatch_hook = classmethod(_dispatch)
    fields_desc = [
        _WireBitEnumField("st", 0b01, 2, _ST),
        BitEnumField("op", C22_OPS["read"], 2, _C22_OP_NAMES),
        BitField("phyad", 0, 5),
        _RegisterNameField("regad", 0, 5),
        _WireBitEnumField("ta", 0b10, 2, _TA),
        XBitField("data", 0, 16),
    ]

    def mysummary(self) -> str:
        op = _shown(self.op) if not isinstance(self.op, int) else _C22_OP_NAMES.get(self.op)
        spec = self.register_spec()
        if spec is not None:
            name = spec.name
        elif isinstance(self.regad, int):
            reg = (
                conf.model_at(self.phyad).registers.get(self.regad)
                if isinstance(self.phyad, int)
                else model().registers.get(self.regad)
            )
            name = reg.name if reg else f"REG {self.regad}"
        else:
            name = f"REG {_shown(self.regad)}"
        data = f"0x{self._data():04x}" if isinstance(self._data(), int) else _shown(self.data)
        return f"MDIO {op or f'op{self.op:02b}'} PHY {_shown(self.phyad)} {name} = {data}"

    def guess_payload_class(self, payload: bytes) -> Any:
        # A vendor register when the model at this address is known (conf.models),
        # else the IEEE Clause 22 layer bound to this REGAD (bind_layers below).
        if isinstance(self.phyad, int) and self.phyad in conf.models:
            spec = conf.model_at(self.phyad).registers.get(self.regad)
            return register_packet_class(spec) if spec is not None else None
        return super().guess_payload_class(payload)

    def register(self, model_name: str | None = None) -> Any:
        """The data decoded as the addressed register (:class:`RegisterValue`)."""
        from physcapy.registers.values import register

        return register(self.regad, self.data, model=model_name)


class MDIO45(_FrameMixin, Packet):
    """A Clause 45 management frame (IEEE 802.3 45.3), 32 bits from ST to DATA."""

    name = "MDIO45"
    dispatch_hook = classmethod(_dispatch)
    fields_desc = [
        _WireBitEnumField("st", 0b00, 2, _ST),
        BitEnumField("op", C45_OPS["address"], 2, _C45_OP_NAMES),
        BitField("prtad", 0, 5),
        _DevadField("devad", 1, 5),
        _WireBitEnumField("ta", 0b10, 2, _TA),
        XBitField("data", 0, 16),
    ]

    def mysummary(self) -> str:
        op = _C45_OP_NAMES[self.op] if isinstance(self.op, int) else _shown(self.op)
        spec = self.register_spec()
        if spec is not None:
            mmd = spec.name
        elif isinstance(self.devad, int):
            mmd = MMD_NAMES.get(self.devad, f"DEVAD {self.devad}")
        else:
            mmd = f"DEVAD {_shown(self.devad)}"
        data = f"0x{self._data():04x}" if isinstance(self._data(), int) else _shown(self.data)
        return f"MDIO45 {op} PRTAD {_shown(self.prtad)} {mmd} = {data}"

    def guess_payload_class(self, payload: bytes) -> Any:
        # DATA names no register by itself: which one depends on the address frame
        # before it, which only a socket or capture reader knows (see set_register).
        return None


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


# -- register layers bound to DATA ------------------------------------------------------


def _bind(cls: type[RegisterPacket]) -> None:
    """Stacking ``MDIO()/cls()`` sets REGAD (Clause 22) or ``MDIO45()/cls()`` DEVAD."""
    spec = cls.spec
    if spec.devad is not None:
        if MDIO45 not in cls._overload_fields:
            bind_top_down(MDIO45, cls, devad=spec.devad)
    elif MDIO not in cls._overload_fields:
        bind_top_down(MDIO, cls, regad=spec.address)


def register_layer(reg: int | str, model_name: str | None = None) -> type[RegisterPacket]:
    """The Scapy layer of a register, bound to the frames' DATA.

    >>> BMCR = register_layer("BMCR")
    >>> p = MDIO(op="write", phyad=1) / BMCR(restart_autoneg=1, autoneg_enable=1)
    >>> p.regad, hex(p._data()), bytes(p).hex()
    (0, '0x1200', '50821200')
    """
    cls: type[RegisterPacket] = register_packet_class(model(model_name).register(reg))
    _bind(cls)
    return cls


def _bind_ieee() -> None:
    """bind_layers for the IEEE set: Clause 22 registers by REGAD (both ways: building
    sets REGAD, dissecting finds the register), Clause 45 ones by DEVAD (building only:
    which register a DATA frame carries depends on the address frame before it)."""
    ieee = model()
    for address, spec in ieee.registers.items():
        bind_layers(MDIO, register_packet_class(spec), regad=address)
    for mmd in ieee.mmds.values():
        for spec in mmd.registers.values():
            _bind(register_packet_class(spec))


_bind_ieee()


# -- frames, packets and transactions ------------------------------------------------------


def to_frame(pkt: Any) -> Frame:
    """The :class:`Frame` a packet stands for, with every field checked against its
    width (Scapy would silently let ``phyad=40`` spill into REGAD).

    >>> to_frame(MDIO(op="read", phyad=1, regad="BMSR"))
    Frame(clause=22, op='read', phy=1, reg=1, data=0, ta=2, preamble=32)
    >>> to_frame(MDIO(phyad=40))
    Traceback (most recent call last):
    ...
    physcapy.errors.RangeError: PHYAD 40 (0x28) is out of range: allowed 0-31 (0x00-0x1f)
    """
    if isinstance(pkt, Frame):
        return pkt
    preamble = 32
    if isinstance(pkt, MDIOPreamble):
        pre = pkt.pre if isinstance(pkt.pre, bytes) else bytes(pkt.pre)
        preamble = 8 * len(pre)
        pkt = pkt.payload
    if not isinstance(pkt, (MDIO, MDIO45)):
        raise FrameError(
            f"cannot send {type(pkt).__name__}: allowed MDIO, MDIO45 (optionally under "
            "MDIOPreamble) or physcapy Frame objects"
        )
    values = {}
    for name in ("st", "op", pkt.fields_desc[2].name, pkt.fields_desc[3].name, "ta"):
        v = pkt.getfieldval(name)
        if isinstance(v, VolatileValue):
            v = v._fix()
        values[name] = v
    data = pkt._data()
    if isinstance(data, VolatileValue):
        data = data._fix()
    if values["st"] not in (0b00, 0b01):
        raise FrameError(
            f"ST {values['st']!r} is not an MDIO start: allowed 01 (Clause 22), 00 (Clause 45)"
        )
    clause = 22 if values["st"] == 0b01 else 45
    ops = C22_OPS if clause == 22 else C45_OPS
    names = {v: k for k, v in ops.items()}
    if values["op"] not in names:
        raise FrameError(
            f"OP {values['op']!r} is not a Clause {clause} opcode: allowed "
            + ", ".join(f"{v:02b} {k}" for k, v in ops.items())
        )
    addr1, addr2 = (values[pkt.fields_desc[i].name] for i in (2, 3))
    return Frame(clause, names[values["op"]], addr1, addr2, data, values["ta"], preamble)


def from_frame(frame: Frame) -> MDIO | MDIO45:
    """The packet of a frame, fields set (no register payload: a request, not a capture).

    >>> from_frame(Frame(22, "write", 3, 0, 0x9140)).summary()
    'MDIO write PHY 3 BMCR = 0x9140'
    """
    if frame.clause == 22:
        return MDIO(op=frame.opcode, phyad=frame.phy, regad=frame.reg, ta=frame.ta, data=frame.data)
    return MDIO45(op=frame.opcode, prtad=frame.phy, devad=frame.reg, ta=frame.ta, data=frame.data)


def to_frames(items: Any) -> list[Frame]:
    """Frames from a packet (implicit sets expanded), a Frame, or an iterable of either."""
    if isinstance(items, (Frame, Packet)):
        items = [items]
    out: list[Frame] = []
    for item in items:
        if isinstance(item, Packet):
            out.extend(to_frame(p) for p in item)  # iterating a packet expands its sets
        else:
            out.append(to_frame(item))
    return out


def from_transaction(t: Transaction, spec: Any = _IEEE) -> MDIO | MDIO45:
    """The packet of one transaction: TA as sampled, ``.time`` its start, DATA decoded as
    ``spec`` (None: as no register, the register is not known; by default: as the IEEE
    set binds REGAD); damage other than the TA in ``.comment``."""
    reads = t.op in ("read", "read_inc")
    ta = (0b11 if "turnaround" in t.errors else 0b10) if reads else 0b10
    if not reads and "turnaround" in t.errors:
        ta = 0b11
    frame = Frame(t.clause, t.op, t.phy, t.reg, t.data, ta)
    # Dissected once, DATA as the register we were told (not guessed, then replaced).
    _DISSECT.spec = spec if t.op != "address" or spec is _IEEE else None
    try:
        pkt: Any = (MDIO if t.clause == 22 else MDIO45)(frame.to_bytes())
    finally:
        _DISSECT.spec = _IEEE
    pkt.time = t.start
    others = [e for e in t.errors if e != "turnaround"]
    if others:
        pkt.comment = ",".join(others).encode()
    return pkt


def set_register(pkt: Any, spec: RegisterSpec) -> None:
    """Dissect the packet's DATA as the register ``spec`` (a known model, page or
    Clause 45 address says which)."""
    pkt.remove_payload()
    cls = register_packet_class(spec)
    pkt.add_payload(cls(pkt.data.to_bytes(2, "big"), _internal=1, _underlayer=pkt))


def to_transaction(pkt: Any, end: float | None = None) -> Transaction:
    """The transaction a packet records (``.time`` as its start)."""
    frame = to_frame(pkt)
    errors = [] if frame.ta_ok else ["turnaround"]
    comment = getattr(pkt, "comment", None)
    if comment:
        errors += [e for e in bytes(comment).decode().split(",") if e]
    start = float(pkt.time)
    return Transaction(
        start,
        end if end is not None else start + 64 / 2.5e6,
        frame.clause,
        frame.op,
        frame.phy,
        frame.reg,
        frame.data,
        None,
        errors,
    )


def packets(transactions: Iterable[Transaction]) -> list[Any]:
    """Packets of transactions, payloads decoded where the IEEE set names the register."""
    return [from_transaction(t) for t in transactions]


def _check(pkt: Any) -> None:
    if not isinstance(pkt, (MDIO, MDIO45, MDIOPreamble, Frame)):
        raise PhyscapyError(f"not an MDIO packet: {pkt!r}")


# -- listing layers, as Scapy's ls() and explore() do --------------------------------------


def _layer_of(obj: Any, model_name: str | None) -> Any:
    spec = getattr(obj, "spec", None)
    if isinstance(obj, type) and isinstance(spec, RegisterSpec):
        return register_packet_class(spec)  # a value class (the shell's BMSR)
    if isinstance(obj, str) and obj not in ("MDIO", "MDIO45", "MDIOPreamble"):
        return register_layer(obj, model_name)
    return {"MDIO": MDIO, "MDIO45": MDIO45, "MDIOPreamble": MDIOPreamble}.get(obj, obj)


def ls(obj: Any = None, *, model: str | None = None, verbose: bool = False) -> None:
    """Scapy's ``ls``: the fields of a layer (``ls(MDIO)``, ``ls(BMSR)``, ``ls("PSCSR",
    model="lan8720a")``), or with no argument physcapy's layers (:func:`explore`)."""
    from scapy.packet import ls as scapy_ls

    if obj is None:
        explore(model)
        return
    scapy_ls(_layer_of(obj, model), verbose=verbose)


def explore(model_name: str | None = None) -> None:
    """physcapy's layers: the frames, then the register layers of a model (the IEEE set
    by default) by Clause 22 address, vendor page and MMD."""
    m = model(model_name)
    print("Frames:")
    for cls in (MDIOPreamble, MDIO, MDIO45):
        print(f"  {cls.__name__:<14} {(cls.__doc__ or '').splitlines()[0]}")
    print(f"Registers of {m.name} ({m.title}):")
    for address, spec in sorted(m.registers.items()):
        print(f"  {address:>8}  {spec.name:<16} {spec.title}")
    for page, regs in sorted(m.pages.items()):
        for address, spec in sorted(regs.items()):
            print(f"  {page:#x}:{address:<4} {spec.name:<16} {spec.title}")
    for devad, mmd in sorted(m.mmds.items()):
        for address, spec in sorted(mmd.registers.items()):
            key = f"{devad}.{address:#x}"
            print(f"  {key:>8}  {spec.name:<16} {spec.title}")
