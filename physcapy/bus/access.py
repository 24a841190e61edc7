# SPDX-License-Identifier: GPL-2.0-only
"""Register access by name on any bus: identify, read, write, dump and scan.

What phytool, mdio-tools and U-Boot's ``mii`` do, on top of :class:`Bus`:

    >>> from physcapy import open_bus
    >>> bus = open_bus("sim://lan8720a@1,dp83848@3")
    >>> [(e.address, e.model) for e in scan(bus)]
    [(1, 'lan8720a'), (3, 'dp83848')]
    >>> read_register(bus, 1, "PSCSR").speed_indication.name
    '100BASE-TX full duplex'

A register is a number, a name, ``DEVAD.REG`` (Clause 45: native frames when the
PHY answers them, else registers 13/14) or ``PAGE:REG`` (the page register is
switched and restored, as Linux ``phy_read_paged`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from physcapy.bus.base import Bus
from physcapy.errors import (
    NoAnswerError,
    PhyscapyError,
    RangeError,
    ReadFailedError,
    UnknownNameError,
    UnsupportedError,
    WriteFailedError,
    parse_int,
)
from physcapy.mdio.frames import Frame
from physcapy.registers.models import Model, model, model_for_id
from physcapy.registers.regdesc import IndirectDesc, RegisterSpec
from physcapy.registers.values import RegisterValue, register_class

__all__ = [
    "ScanEntry",
    "Target",
    "Unreadable",
    "dump",
    "identify",
    "oui",
    "oui_msb_first",
    "read_register",
    "resolve_target",
    "scan",
    "write_register",
]


@dataclass(frozen=True)
class Target:
    """Where a register lives: Clause 22 ``address``, or ``devad``/``address``, or
    ``page``/``address``; ``spec`` when the model describes it."""

    address: int
    devad: int | None = None
    page: int | None = None
    spec: RegisterSpec | None = None
    page_register: int | None = None  # the model's page select register, for PAGE:REG
    space: IndirectDesc | None = None  # reached through select/data registers (EXT:0xA001)

    @property
    def key(self) -> str:
        if self.devad is not None:
            return f"{self.devad}.{self.address}"
        if self.space is not None:
            return f"{self.space.name}:{self.address:#x}"
        if self.page is not None:
            return f"{self.page:#x}:{self.address}"
        return str(self.address)

    @property
    def name(self) -> str:
        return self.spec.name if self.spec else f"reg {self.key}"


def resolve_target(m: Model, text: str | int) -> Target:
    """Resolve ``text`` against model ``m``; numbers the model leaves out stay raw."""
    try:
        spec = m.register(text)
    except UnknownNameError as unknown:
        raw = str(text).strip()
        if "." in raw:
            devad_text, reg_text = raw.split(".", 1)
            if _is_name(reg_text):
                raise unknown from None  # MMD.NAME misspelt: its message has suggestions
            return Target(
                parse_int("Clause 45 register", reg_text, 0, 0xFFFF),
                _mmd_number(m, devad_text),
                page_register=m.page_register,
            )
        if ":" in raw:
            page_text, reg_text = raw.split(":", 1)
            return Target(
                parse_int("register", reg_text, 0, 31),
                page=parse_int("page", page_text, 0, 0xFFFF),
                page_register=m.page_register,
            )
        try:
            number = parse_int("Clause 22 register", raw, 0, 31)
        except RangeError:
            if _is_name(raw):
                raise unknown from None  # a name: its message lists the names there are
            raise
        return Target(number, page_register=m.page_register)
    return _target(m, spec)


def _target(m: Model, spec: RegisterSpec) -> Target:
    space = m.spaces[spec.space] if spec.space is not None else None
    return Target(spec.address, spec.devad, spec.page, spec, m.page_register, space)


def _is_name(text: str) -> bool:
    """Whether ``text`` is meant as a name (``BMSRR``), not a number (``0x1f``)."""
    return any(c.isalpha() for c in text) and not text.lower().startswith(("0x", "0b", "0o"))


def _mmd_number(m: Model, text: str) -> int:
    from physcapy.registers.models import MMD_NAMES

    try:
        return parse_int("DEVAD", text, 0, 31)
    except RangeError:
        for devad, name in {**MMD_NAMES, **{d: x.name for d, x in m.mmds.items()}}.items():
            if name.upper() == text.upper():
                return devad
        raise UnknownNameError("MMD", text, MMD_NAMES.values()) from None


def answers_c22(bus: Bus, phy: int) -> bool:
    """Does a PHY drive the turnaround of a Clause 22 read at ``phy``?"""
    (frame,) = bus.batch([Frame(22, "read", phy, 2)])
    return frame.ta_ok


def answers_c45(bus: Bus, phy: int, devad: int = 1) -> bool:
    """Does a PHY answer a Clause 45 read of ``devad`` DEVID1 at ``phy``?"""
    _, frame = bus.batch([Frame(45, "address", phy, devad, 2), Frame(45, "read", phy, devad)])
    return frame.ta_ok


def identify(bus: Bus, phy: int) -> tuple[int | None, Model | None, int]:
    """(PHY identifier, the model physcapy knows it as, clause that answered) at ``phy``.

    The identifier is None when nothing answers.
    """
    f2, f3 = bus.batch([Frame(22, "read", phy, 2), Frame(22, "read", phy, 3)])
    if f2.ta_ok and f3.ta_ok and (f2.data, f3.data) != (0xFFFF, 0xFFFF):
        ident = f2.data << 16 | f3.data
        return ident, model_for_id(ident), 22
    for devad in (1, 3, 7, 30, 31):
        frames = bus.batch(
            [
                Frame(45, "address", phy, devad, 2),
                Frame(45, "read", phy, devad),
                Frame(45, "address", phy, devad, 3),
                Frame(45, "read", phy, devad),
            ]
        )
        if (
            frames[1].ta_ok
            and frames[3].ta_ok
            and (frames[1].data, frames[3].data) != (0xFFFF, 0xFFFF)
        ):
            ident = frames[1].data << 16 | frames[3].data
            return ident, model_for_id(ident), 45
    return None, None, 0


def phy_model(bus: Bus, phy: int, name: str | None = None) -> Model:
    """The model to decode ``phy`` with: the one named, else the one its ID matches,
    else the IEEE set."""
    if name is not None:
        return model(name)
    _, found, _ = identify(bus, phy)
    return found or model()


def choose_via(bus: Bus, phy: int, via: str) -> str:
    """``c22`` (registers 13/14) or ``c45`` (native frames) for MMD registers at ``phy``:
    ``auto`` picks 13/14 when the PHY answers Clause 22, as Linux does for C22 PHYs."""
    return _via(bus, phy, via)


def _via(bus: Bus, phy: int, via: str) -> str:
    if via not in ("auto", "c45", "c22"):
        raise UnknownNameError("Clause 45 access method", via, ["auto", "c45", "c22"])
    if via != "auto":
        return via
    return "c22" if answers_c22(bus, phy) else "c45"


def read_raw(bus: Bus, phy: int, target: Target, via: str = "auto") -> int:
    """Read the register ``target`` names, switching pages or using 13/14 as needed."""
    if target.space is not None:
        return _indirect(bus, phy, target.space, target.address, None)
    if target.devad is not None:
        if _via(bus, phy, via) == "c45":
            return bus.read_c45(phy, target.devad, target.address)
        return bus.read_mmd(phy, target.devad, target.address)
    if target.page is not None:
        page_reg = _page_register(target)
        saved = bus.read(phy, page_reg)
        bus.write(phy, page_reg, target.page)
        try:
            return bus.read(phy, target.address)
        finally:
            bus.write(phy, page_reg, saved)
    return bus.read(phy, target.address)


def write_raw(bus: Bus, phy: int, target: Target, value: int, via: str = "auto") -> None:
    """Write the register ``target`` names (pages restored, 13/14 or native Clause 45)."""
    value = parse_int("value", value, 0, 0xFFFF)
    if target.space is not None:
        _indirect(bus, phy, target.space, target.address, value)
        return
    if target.devad is not None:
        if _via(bus, phy, via) == "c45":
            bus.write_c45(phy, target.devad, target.address, value)
        else:
            bus.write_mmd(phy, target.devad, target.address, value)
        return
    if target.page is not None:
        page_reg = _page_register(target)
        saved = bus.read(phy, page_reg)
        bus.write(phy, page_reg, target.page)
        try:
            bus.write(phy, target.address, value)
        finally:
            bus.write(phy, page_reg, saved)
        return
    bus.write(phy, target.address, value)


def _indirect(bus: Bus, phy: int, space: IndirectDesc, address: int, value: int | None) -> int:
    """An indirect register, as Linux reaches it: ``ytphy_read_ext`` (address to 0x1E,
    data at 0x1F), ``bcm_phy_read_exp`` (0x0F00 | reg to 0x17, data at 0x15) or
    ``bcm_phy_read_shadow`` (shadow number into 0x1C bits 14:10, then read 0x1C)."""
    if space.kind == "shadow":
        msb, lsb = space.selector
        select = (address << lsb) & (((1 << (msb - lsb + 1)) - 1) << lsb)
        if value is None:
            if space.read_select is not None:  # bcm54xx_auxctl_read
                rmsb, rlsb = space.read_selector
                rmask = ((1 << (rmsb - rlsb + 1)) - 1) << rlsb
                select = space.read_select << lsb | (address << rlsb) & rmask
            bus.write(phy, space.select, select)
            return bus.read(phy, space.data)
        flag = 1 << space.write_enable if space.write_enable is not None else 0
        if space.read_select is not None and address != space.read_select:
            flag = 0  # bcm54xx_auxctl_write: no write enable outside MISC
        keep = ~(flag | (((1 << (msb - lsb + 1)) - 1) << lsb)) & 0xFFFF
        bus.write(phy, space.data, flag | select | (value & keep))
        return value
    bus.write(phy, space.select, space.select_base | address)
    if value is None:
        return bus.read(phy, space.data)
    bus.write(phy, space.data, value)
    return value


def _page_register(target: Target) -> int:
    if target.page_register is not None:
        return target.page_register
    raise PhyscapyError(
        f"register {target.key}: the model has no page register, so pages cannot be selected"
    )


def read_register(
    bus: Bus, phy: int, reg: str | int, model_name: str | None = None, via: str = "auto"
) -> RegisterValue | int:
    """Read and decode: a RegisterValue when the model describes the register, else int."""
    phy = parse_int("PHY address", phy, 0, 31)
    m = phy_model(bus, phy, model_name)
    target = resolve_target(m, reg)
    value = read_raw(bus, phy, target, via)
    return register_class(target.spec)(value) if target.spec else value


def write_register(
    bus: Bus, phy: int, reg: str | int, value: int, model_name: str | None = None, via: str = "auto"
) -> Target:
    phy = parse_int("PHY address", phy, 0, 31)
    m = phy_model(bus, phy, model_name)
    target = resolve_target(m, reg)
    write_raw(bus, phy, target, value, via)
    return target


@dataclass(frozen=True)
class Unreadable:
    """A register :func:`dump` could not read: the back end said why (a MAC driver's
    ``EIO``), and no value is made up for it."""

    reason: str

    def __str__(self) -> str:
        return f"unreadable: {self.reason}"


def dump(
    bus: Bus, phy: int, model_name: str | None = None, via: str = "auto"
) -> tuple[Model, list[tuple[Target, int | Unreadable]]]:
    """Every register of the PHY's model: Clause 22, each page, then each MMD.

    MMD registers go through native Clause 45 frames or registers 13/14 (``via``);
    Clause 22 registers are read when the PHY answers Clause 22 at all.  A register the
    back end fails to read is an :class:`Unreadable` row; the dump goes on.
    """
    phy = parse_int("PHY address", phy, 0, 31)
    ident, found, clause = identify(bus, phy)
    if ident is None and model_name is None:
        raise NoAnswerError(
            f"no PHY answered at address {phy} (neither Clause 22 nor Clause 45): nothing to dump"
        )
    m = model(model_name) if model_name is not None else (found or model())
    c22 = clause == 22 or (ident is None and answers_c22(bus, phy))
    mmd_via = _via(bus, phy, via) if via != "auto" else ("c22" if c22 else "c45")
    out: list[tuple[Target, int | Unreadable]] = []
    for spec in m.all_registers():
        if spec.devad is None and not c22:
            continue  # a Clause 45-only part has no Clause 22 registers
        target = _target(m, spec)
        try:
            out.append((target, read_raw(bus, phy, target, mmd_via)))
        except (ReadFailedError, WriteFailedError) as exc:
            # A write fails on the way to a paged or 13/14 register: it is unreadable too.
            out.append((target, Unreadable(str(exc))))
    return m, out


def oui(phy_id: int) -> str:
    """The OUI from a PHY identifier, by the standard's bit mapping (``00:80:0f``).

    PHYSID1 holds OUI bits 3-18 and PHYSID2[15:10] bits 19-24 (22.2.4.3.1), and OUI
    bit 1 is the least significant bit of the first octet.  SMSC/Microchip, Realtek
    and Micrel IDs decode to their registered OUIs this way; Marvell, National/TI and
    Davicom put their OUIs in MSB first, which :func:`oui_msb_first` (mii-tool's
    ``phy_id >> 10``) reads.
    """
    bits = [0, 0] + [(phy_id >> (31 - i)) & 1 for i in range(22)]  # OUI bits 1..24
    octets = [sum(bits[8 * k + i] << i for i in range(8)) for k in range(3)]
    return ":".join(f"{o:02x}" for o in octets)


def oui_msb_first(phy_id: int) -> str:
    """The OUI as mii-tool prints it: ``phy_id >> 10`` as three octets (``00:50:43``)."""
    value = (phy_id >> 10) & 0x3FFFFF
    return f"{value >> 16 & 0xFF:02x}:{value >> 8 & 0xFF:02x}:{value & 0xFF:02x}"


#: Micrel's OUI as phy_id >> 10 (Linux MICREL_OUI).
MICREL_OUI = 0x0885


@dataclass(frozen=True)
class ScanEntry:
    """One PHY found by :func:`scan`."""

    address: int
    clause: int
    phy_id: int
    model: str | None
    link: bool | None
    #: The back end ignores PHYAD: every address answered as this PHY (listed once).
    all_addresses: bool = False

    @property
    def oui(self) -> str:
        return oui(self.phy_id)

    @property
    def model_number(self) -> int:
        return (self.phy_id >> 4) & 0x3F

    @property
    def revision(self) -> int:
        return self.phy_id & 0xF

    def to_json(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "clause": self.clause,
            "phy_id": self.phy_id,
            "oui": self.oui,
            "oui_msb_first": oui_msb_first(self.phy_id),
            "model_number": self.model_number,
            "revision": self.revision,
            "model": self.model,
            "link": self.link,
            "all_addresses": self.all_addresses,
        }


def scan(bus: Bus, clause45: bool = True) -> list[ScanEntry]:
    """Probe every address: a Clause 22 pass, then a Clause 45 pass for the rest.

    A Clause 22 PHY is present when it drives the turnaround and PHYSID1/2 are not
    both 0xFFFF (as mdio-tools' probe); its link comes from BMSR read twice (the
    first read returns the latched-low value).  A back end that ignores the address
    (:meth:`Bus.single_phy_address`) gives one entry with ``all_addresses`` set; an
    address whose reads the back end fails is skipped as empty.
    """
    single = bus.single_phy_address()
    found: list[ScanEntry] = []
    for address in range(32) if single is None else (single,):
        try:
            f2, f3 = bus.batch([Frame(22, "read", address, 2), Frame(22, "read", address, 3)])
        except ReadFailedError:
            continue
        if not (f2.ta_ok and f3.ta_ok) or (f2.data, f3.data) == (0xFFFF, 0xFFFF):
            continue
        ident = f2.data << 16 | f3.data
        m = model_for_id(ident)
        bus.read(address, 1)
        link = bool(bus.read(address, 1) & 0x0004)
        found.append(ScanEntry(address, 22, ident, m.name if m else None, link, single is not None))
    if single is not None:
        return found
    # Linux (mdiobus_prevent_c45_scan) skips the Clause 45 pass when a Micrel PHY is on
    # the bus: those parts take a Clause 45 read for a write to one of their registers.
    micrel = [e for e in found if e.phy_id >> 10 == MICREL_OUI]
    if clause45 and not micrel:
        seen = {e.address for e in found}
        try:
            for address in range(32):
                if address in seen or not _answers_c45(bus, address):
                    continue
                c45_id, c45_model, _ = identify(bus, address)
                if c45_id is None:
                    continue
                bus.read_c45(address, 1, 1)
                link = bool(bus.read_c45(address, 1, 1) & 0x0004)
                name = c45_model.name if c45_model else None
                found.append(ScanEntry(address, 45, c45_id, name, link))
        except UnsupportedError:
            pass  # the back end cannot pass Clause 45 at all: there is no Clause 45 pass
    return found


def _answers_c45(bus: Bus, phy: int) -> bool:
    try:
        return answers_c45(bus, phy)
    except ReadFailedError:
        return False
