# SPDX-License-Identifier: GPL-2.0-only
"""Register description files (``layers/*.toml``): schema, loader and validator.

One file describes one standard clause or one PHY family (design.md §3.1).  The
loader checks everything a person can get wrong when typing a datasheet table
into TOML and reports the file and line of the mistake::

    >>> from physcapy.resources import layers_dir
    >>> desc = load_file(layers_dir() / "ieee802.3-c22.toml")
    >>> desc.registers[1].name, desc.registers[1].field("link_status").bits
    ('BMSR', '2')

The schema, key by key, is documented in ``layers/README.md``.  This module only
reads and checks single files; :mod:`physcapy.registers.models` resolves inheritance.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from physcapy.errors import LayerFileError

__all__ = [
    "ACCESS_CODES",
    "FieldSpec",
    "FileDesc",
    "IndirectDesc",
    "MmdDesc",
    "PageDesc",
    "RegisterSpec",
    "load_file",
]

#: Access codes (design.md §3.1; semantics in phylib-reference.md §3.3).
ACCESS_CODES: dict[str, str] = {
    "RW": "read/write",
    "RO": "read-only",
    "SC": "read/write, self-clearing",
    "LL": "read-only, latched low until read",
    "LH": "read-only, latched high until read",
    "RC": "read-only, cleared on read",
    "WO": "write-only (reads return 0)",
}

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REGISTER_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_MODEL_NAME = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
_BITS = re.compile(r"^\s*(\d+)\s*(?::\s*(\d+)\s*)?$")


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: enum is a dict
class FieldSpec:
    """One bit field of a register, bits ``msb..lsb`` inclusive."""

    name: str
    msb: int
    lsb: int
    access: str
    desc: str
    enum: Mapping[int, str] = field(default_factory=dict)
    short: str = ""
    reserved: bool = False  # a gap filled in by the loader, not written in the file
    line: int | None = None

    @property
    def width(self) -> int:
        return self.msb - self.lsb + 1

    @property
    def mask(self) -> int:
        """The field's bits in place (``0x0004`` for BMSR bit 2)."""
        return ((1 << self.width) - 1) << self.lsb

    @property
    def maximum(self) -> int:
        return (1 << self.width) - 1

    @property
    def bits(self) -> str:
        """The bit range as datasheets print it: ``"15"`` or ``"14:13"``."""
        return str(self.msb) if self.msb == self.lsb else f"{self.msb}:{self.lsb}"

    @property
    def label(self) -> str:
        """The phytool-style flag label (``link-status``)."""
        return self.short or self.name.replace("_", "-")

    def extract(self, value: int) -> int:
        return (value >> self.lsb) & self.maximum

    def insert(self, value: int, field_value: int) -> int:
        return (value & ~self.mask & 0xFFFF) | (field_value << self.lsb)

    def meaning(self, field_value: int) -> str:
        """The enum name of ``field_value`` or the field's one-line description."""
        if self.enum:
            return self.enum.get(field_value, f"reserved value {field_value:#x}")
        return self.desc


@dataclass(frozen=True, slots=True, eq=False)  # one value class per spec object
class RegisterSpec:
    """One 16-bit register: where it is, what it is called and its fields MSB first.

    ``fields`` covers all 16 bits: bits the description leaves out appear as
    ``reserved`` fields (``reserved_5_0``) so that every representation of the
    register round-trips the whole value.
    """

    name: str
    address: int
    title: str
    fields: tuple[FieldSpec, ...]
    reset: int = 0
    description: str = ""
    aliases: tuple[str, ...] = ()  # other names in datasheets (ANAR for ADVERTISE)
    devad: int | None = None  # Clause 45 MMD, None for a Clause 22 register
    page: int | None = None  # vendor page, None when page-independent
    space: str | None = None  # indirect register space (EXT, SHD...), None when direct
    model: str = ""
    file: Path | None = None
    line: int | None = None

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        from physcapy.errors import UnknownNameError

        raise UnknownNameError(f"field of {self.name}", name, self.field_names())

    def field_names(self, reserved: bool = False) -> list[str]:
        return [f.name for f in self.fields if reserved or not f.reserved]

    @property
    def named_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if not f.reserved)

    @property
    def key(self) -> str:
        """Where the register lives, as a standard reader writes it.

        ``"1"`` (Clause 22), ``"1.0x0"`` style is avoided: Clause 45 is ``"1.0"``,
        paged is ``"0xa43:24"``.
        """
        if self.devad is not None:
            return f"{self.devad}.{self.address}"
        if self.space is not None:
            return f"{self.space}:{self.address:#x}"
        if self.page is not None:
            return f"{self.page:#x}:{self.address}"
        return str(self.address)

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else self.name


@dataclass(frozen=True, slots=True)
class MmdDesc:
    devad: int
    name: str
    title: str
    registers: dict[int, RegisterSpec]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class PageDesc:
    number: int
    name: str
    registers: dict[int, RegisterSpec]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class IndirectDesc:
    """Registers reached through other registers (Motorcomm extended, Broadcom shadow).

    ``kind = "address"``: the register address (ORed with ``select_base``) is written to
    ``select``, then ``data`` reads or writes the register.  ``kind = "shadow"``: one
    register is both: writing it with ``selector`` holding N (and bit ``write_enable``
    clear) selects shadow N, reading it returns that shadow (selector bits included),
    writing it with ``write_enable`` set stores the value into shadow N.  With
    ``read_select`` (Broadcom AUXCTL, register 0x18: bcm54xx_auxctl_read/_write), a
    write whose selector holds another number stores into that shadow at once, while
    selector = ``read_select`` without ``write_enable`` picks the shadow to read from the
    ``read_selector`` bits (and with ``write_enable`` stores into shadow ``read_select``).
    """

    name: str
    title: str
    kind: str
    select: int
    data: int
    registers: dict[int, RegisterSpec]
    select_base: int = 0
    selector: tuple[int, int] = (0, 0)  # (msb, lsb) of the shadow number (shadow kind)
    write_enable: int | None = None  # bit that makes a shadow-kind access a write
    read_select: int | None = None  # selector value that selects for reading (AUXCTL: 7)
    read_selector: tuple[int, int] = (0, 0)  # (msb, lsb) of the shadow to read
    line: int | None = None


@dataclass(slots=True)
class FileDesc:
    """Everything one TOML file says, checked but not yet merged with what it inherits."""

    path: Path
    name: str
    title: str
    source: str
    kind: str
    aliases: tuple[str, ...] = ()
    inherits: tuple[str, ...] = ()
    phy_id: int | None = None
    phy_id_mask: int | None = None
    page_register: int | None = None
    default_page: int = 0
    #: Lowest Clause 22 address the page register pages: 16 (vendor registers 16-30,
    #: RTL8211F style) or 0 (Marvell: every register but the page register).
    paged_from: int = 16
    exclude: tuple[int, ...] = ()  # inherited Clause 22 addresses this part does not implement
    resets: dict[str, int] = field(default_factory=dict)
    registers: dict[int, RegisterSpec] = field(default_factory=dict)
    mmds: dict[int, MmdDesc] = field(default_factory=dict)
    pages: dict[int, PageDesc] = field(default_factory=dict)
    indirect: dict[str, IndirectDesc] = field(default_factory=dict)
    sim: dict[str, Any] = field(default_factory=dict)  # checked by physcapy.sim.config
    lines: _LineMap | None = None

    def line_of(self, *path: object, key: str | None = None) -> int | None:
        return self.lines.line_of(tuple(path), key) if self.lines else None


# --------------------------------------------------------------------------------------
# Line numbers.  tomllib returns plain dicts with no positions, so the loader keeps a
# map from "the n-th [[register.field]] of the m-th [[register]]" to its header line.
# Arrays of tables append in file order, which makes the ordinal path exact.


class _LineMap:
    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"-]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*\"?([A-Za-z0-9_-]+)\"?\s*=")

    def __init__(self, text: str):
        self.tables: dict[tuple[object, ...], int] = {}
        self.keys: dict[tuple[object, ...], dict[str, int]] = {(): {}}
        counters: dict[tuple[object, ...], int] = {}
        current: dict[str, tuple[object, ...]] = {}  # dotted name -> ordinal path
        where: tuple[object, ...] = ()
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = self._HEADER.match(line)
            if m and line.startswith("["):
                brackets, dotted = m.group(1), m.group(2).replace('"', "")
                parts = dotted.split(".")
                parent = current.get(".".join(parts[:-1]), ()) if len(parts) > 1 else ()
                if brackets == "[[":
                    slot = (*parent, parts[-1])
                    n = counters.get(slot, 0)
                    counters[slot] = n + 1
                    for stale in [c for c in counters if c[: len(slot) + 1] == (*slot, n)]:
                        del counters[stale]
                    where = (*slot, n)
                else:
                    where = (*parent, parts[-1])
                current[dotted] = where
                for child in [c for c in current if c.startswith(dotted + ".")]:
                    del current[child]
                self.tables[where] = lineno
                self.keys.setdefault(where, {})
                continue
            key = self._KEY.match(raw)
            if key:
                self.keys.setdefault(where, {}).setdefault(key.group(1), lineno)

    def line_of(self, path: tuple[object, ...], key: str | None = None) -> int | None:
        if key is not None and key in self.keys.get(path, {}):
            return self.keys[path][key]
        return self.tables.get(path)


# --------------------------------------------------------------------------------------


class _Checker:
    """Validates one parsed file; every complaint becomes a LayerFileError with a line."""

    def __init__(self, path: Path, lines: _LineMap):
        self.path = path
        self.lines = lines

    def fail(self, where: tuple[object, ...], message: str, key: str | None = None) -> None:
        raise LayerFileError(self.path, self.lines.line_of(where, key), message)

    def keys(
        self,
        table: Mapping[str, Any],
        where: tuple[object, ...],
        what: str,
        required: set[str],
        optional: set[str],
    ) -> None:
        if not isinstance(table, dict):
            form = f"[{what.strip('[]')}]" if what.startswith("[[") else what
            self.fail(where, f"{what} must be a table (write {form}), not {table!r:.40}")
        for key in table:
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.fail(where, f"unknown key {key!r} in {what}: allowed {allowed}", key)
        for key in sorted(required - set(table)):
            self.fail(where, f"{what} lacks the required key {key!r}")

    def typed(
        self,
        table: Mapping[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        where: tuple[object, ...],
        what: str,
    ) -> Any:
        value = table[key]
        if (isinstance(value, bool) and kind is int) or not isinstance(value, kind):
            name = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            self.fail(where, f"{what} {key} = {value!r} must be {_article(name)}", key)
        return value

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        low: int,
        high: int,
        where: tuple[object, ...],
        what: str,
    ) -> int:
        value = self.typed(table, key, int, where, what)
        if not low <= value <= high:
            self.fail(where, f"{what} {key} = {value:#x} is out of range {low:#x}-{high:#x}", key)
        return int(value)


def _article(name: str) -> str:
    return ("an " if name[0] in "aeiou" else "a ") + name


_MODEL_KEYS_REQUIRED = {"name", "title", "source", "kind"}
_MODEL_KEYS_OPTIONAL = {
    "aliases",
    "inherits",
    "phy_id",
    "phy_id_mask",
    "page_register",
    "default_page",
    "paged_from",
    "notes",
    "exclude",
}
_REGISTER_KEYS_REQUIRED = {"address", "name", "title"}
_REGISTER_KEYS_OPTIONAL = {"description", "reset", "field", "aliases"}
_FIELD_KEYS_REQUIRED = {"bits", "name", "access", "desc"}
_FIELD_KEYS_OPTIONAL = {"enum", "short"}


def load_file(path: Path | str) -> FileDesc:
    """Read and validate one register description; raise :class:`LayerFileError`."""
    path = Path(path)
    try:
        # Only a regular file: a FIFO or a device named x.toml would block or never end.
        if not stat.S_ISREG(path.stat().st_mode):
            raise LayerFileError(path, None, "not a regular file: a register description is a file")
        raw = path.read_bytes()
    except OSError as exc:
        raise LayerFileError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LayerFileError(
            path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): TOML files are UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise LayerFileError(
            path, None, "values nested too deep to be a register description"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        # tomllib says "at end of document" instead of a line for unterminated values.
        line = int(m.group(1)) if m else max(1, text.count("\n"))
        raise LayerFileError(path, line, f"not valid TOML: {exc}") from None
    lines = _LineMap(text)
    check = _Checker(path, lines)
    try:
        return _validate(path, data, lines, check)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        if isinstance(exc, LayerFileError):
            raise
        # A value of a type no check above expected: still the file's mistake, not ours.
        raise LayerFileError(
            path, None, f"a value has the wrong type for the schema (layers/README.md): {exc}"
        ) from None


def _validate(path: Path, data: dict[str, Any], lines: _LineMap, check: _Checker) -> FileDesc:

    for key in data:
        if key not in {"model", "resets", "register", "mmd", "page", "indirect", "sim"}:
            check.fail(
                (key,),
                f"unknown table {key!r}: allowed model, resets, register, mmd, page, indirect, sim",
            )
    if "model" not in data:
        check.fail((), "the file has no [model] table")
    model = data["model"]
    where_m: tuple[object, ...] = ("model",)
    check.keys(model, where_m, "[model]", _MODEL_KEYS_REQUIRED, _MODEL_KEYS_OPTIONAL)
    for key in ("name", "title", "source", "kind"):
        check.typed(model, key, str, where_m, "[model]")
    if not _MODEL_NAME.match(model["name"]):
        check.fail(
            where_m,
            f"model name {model['name']!r} must be lower case (letters, digits, '.', '+', '-')",
            "name",
        )
    if model["kind"] not in ("standard", "phy"):
        check.fail(where_m, f"kind {model['kind']!r} is not 'standard' or 'phy'", "kind")

    desc = FileDesc(
        path=path,
        name=model["name"],
        title=model["title"],
        source=model["source"],
        kind=model["kind"],
        lines=lines,
    )
    for key in ("aliases", "inherits"):
        if key in model:
            items = check.typed(model, key, list, where_m, "[model]")
            if not all(isinstance(i, str) for i in items):
                check.fail(where_m, f"[model] {key} must be a list of model names", key)
            setattr(desc, key, tuple(i.lower() for i in items))
    if model["kind"] == "phy":
        for key in ("phy_id", "phy_id_mask"):
            if key not in model:
                check.fail(where_m, f"a PHY model needs {key} (PHYSID1 << 16 | PHYSID2)")
    if "phy_id" in model:
        desc.phy_id = check.number(model, "phy_id", 0, 0xFFFFFFFF, where_m, "[model]")
    if "phy_id_mask" in model:
        desc.phy_id_mask = check.number(model, "phy_id_mask", 0, 0xFFFFFFFF, where_m, "[model]")
    if "page_register" in model:
        desc.page_register = check.number(model, "page_register", 16, 31, where_m, "[model]")
    if "default_page" in model:
        desc.default_page = check.number(model, "default_page", 0, 0xFFFF, where_m, "[model]")
    if "paged_from" in model:
        desc.paged_from = check.number(model, "paged_from", 0, 16, where_m, "[model]")

    if "exclude" in model:
        items = check.typed(model, "exclude", list, where_m, "[model]")
        if not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i <= 31 for i in items):
            check.fail(where_m, "[model] exclude must list Clause 22 addresses 0-31", "exclude")
        desc.exclude = tuple(items)

    if "resets" in data:
        if not isinstance(data["resets"], dict):
            check.fail(("resets",), "'resets' must be a table: write [resets]")
        for name, value in data["resets"].items():
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 0xFFFF:
                check.fail(("resets",), f"reset of {name} = {value!r} must be 0x0000-0xffff", name)
            desc.resets[name] = value

    desc.registers = _registers(check, data.get("register", []), (), desc, 31, None, None)

    for i, mmd in enumerate(_array(check, data, "mmd")):
        where = ("mmd", i)
        check.keys(mmd, where, "[[mmd]]", {"devad", "name", "title"}, {"register"})
        devad = check.number(mmd, "devad", 0, 31, where, "[[mmd]]")
        if devad in desc.mmds:
            check.fail(
                where,
                f"MMD {devad} is described twice (first at line {desc.mmds[devad].line})",
                "devad",
            )
        regs = _registers(check, mmd.get("register", []), where, desc, 0xFFFF, devad, None)
        desc.mmds[devad] = MmdDesc(
            devad,
            check.typed(mmd, "name", str, where, "[[mmd]]"),
            check.typed(mmd, "title", str, where, "[[mmd]]"),
            regs,
            lines.line_of(where),
        )

    if "sim" in data:
        if not isinstance(data["sim"], dict):
            check.fail(("sim",), "'sim' must be a table: write [sim]")
        desc.sim = data["sim"]

    pages = _array(check, data, "page")
    if pages and desc.page_register is None:
        check.fail(
            ("page", 0),
            "[[page]] tables need [model] page_register (the page select "
            "register, e.g. 31 for RTL8211F, 22 for Marvell)",
        )
    for i, page in enumerate(pages):
        where = ("page", i)
        check.keys(page, where, "[[page]]", {"number"}, {"name", "register"})
        number = check.number(page, "number", 0, 0xFFFF, where, "[[page]]")
        if number in desc.pages:
            check.fail(where, f"page {number:#x} is described twice", "number")
        regs = _registers(check, page.get("register", []), where, desc, 31, None, number)
        for address in regs:
            if address < desc.paged_from or address == desc.page_register:
                check.fail(
                    where,
                    f"page {number:#x} register {address} is outside the paged "
                    f"window: pages hold registers {desc.paged_from}-30 except the page "
                    "register ([model] paged_from)",
                )
        name = check.typed(page, "name", str, where, "[[page]]") if "name" in page else ""
        desc.pages[number] = PageDesc(number, name, regs, lines.line_of(where))
    for i, table in enumerate(_array(check, data, "indirect")):
        space = _indirect(check, table, ("indirect", i), desc)
        if space.name in desc.indirect:
            check.fail(("indirect", i), f"indirect space {space.name} is described twice", "name")
        desc.indirect[space.name] = space
    return desc


_INDIRECT_REQUIRED = {"name", "title", "kind", "select", "data"}
_INDIRECT_OPTIONAL = {
    "select_base",
    "selector",
    "write_enable",
    "read_select",
    "read_selector",
    "register",
}


def _indirect(
    check: _Checker, table: dict[str, Any], where: tuple[object, ...], desc: FileDesc
) -> IndirectDesc:
    check.keys(table, where, "[[indirect]]", _INDIRECT_REQUIRED, _INDIRECT_OPTIONAL)
    name = check.typed(table, "name", str, where, "[[indirect]]")
    if not _REGISTER_NAME.match(name) or not name.isalpha():
        check.fail(where, f"indirect space name {name!r} must be upper-case letters (EXT)", "name")
    kind = check.typed(table, "kind", str, where, "[[indirect]]")
    if kind not in ("address", "shadow"):
        check.fail(where, f"indirect kind {kind!r} is unknown: allowed address, shadow", "kind")
    select = check.number(table, "select", 0, 31, where, "[[indirect]]")
    data = check.number(table, "data", 0, 31, where, "[[indirect]]")
    base = (
        check.number(table, "select_base", 0, 0xFFFF, where, "[[indirect]]")
        if ("select_base" in table)
        else 0
    )
    selector = (0, 0)
    write_enable = None
    read_select: int | None = None
    read_selector = (0, 0)
    if kind == "shadow":
        if select != data:
            check.fail(where, "a shadow space reads and writes one register: select = data", "data")
        if "selector" not in table:
            check.fail(where, 'a shadow space needs selector = "MSB:LSB" (the shadow number)')
        m = _BITS.match(check.typed(table, "selector", str, where, "[[indirect]]"))
        if not m or m.group(2) is None or int(m.group(1)) > 15 or int(m.group(2)) > int(m.group(1)):
            check.fail(
                where, f'selector {table["selector"]!r} must be "MSB:LSB" within 15:0', "selector"
            )
        assert m
        selector = (int(m.group(1)), int(m.group(2)))
        if "write_enable" in table:
            write_enable = check.number(table, "write_enable", 0, 15, where, "[[indirect]]")
        if "read_select" in table:
            width = selector[0] - selector[1] + 1
            limit_sel = (1 << width) - 1
            read_select = check.number(table, "read_select", 0, limit_sel, where, "[[indirect]]")
            if "read_selector" not in table:
                check.fail(where, 'read_select needs read_selector = "MSB:LSB"', "read_select")
            rm = _BITS.match(check.typed(table, "read_selector", str, where, "[[indirect]]"))
            if (
                not rm
                or rm.group(2) is None
                or int(rm.group(1)) > 15
                or int(rm.group(2)) > int(rm.group(1))
            ):
                check.fail(
                    where,
                    f'read_selector {table["read_selector"]!r} must be "MSB:LSB" within 15:0',
                    "read_selector",
                )
            assert rm
            read_selector = (int(rm.group(1)), int(rm.group(2)))
    elif "read_select" in table or "read_selector" in table:
        check.fail(where, "read_select/read_selector belong to a shadow space", "read_select")
    limit = (1 << (selector[0] - selector[1] + 1)) - 1 if kind == "shadow" else 0xFFFF
    regs = _registers(check, table.get("register", []), where, desc, limit, None, None)
    regs = {a: replace(r, space=name) for a, r in regs.items()}
    return IndirectDesc(
        name,
        check.typed(table, "title", str, where, "[[indirect]]"),
        kind,
        select,
        data,
        regs,
        base,
        selector,
        write_enable,
        read_select,
        read_selector,
        check.lines.line_of(where),
    )


def _array(check: _Checker, table: Mapping[str, Any], key: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        check.fail((key,), f"{key!r} must be an array of tables: write [[{key}]]")
    return list(value)


def _registers(
    check: _Checker,
    items: object,
    parent: tuple[object, ...],
    desc: FileDesc,
    max_address: int,
    devad: int | None,
    page: int | None,
) -> dict[int, RegisterSpec]:
    if not isinstance(items, list):
        check.fail(parent, "'register' must be an array of tables: write [[register]]")
    assert isinstance(items, list)
    out: dict[int, RegisterSpec] = {}
    names: dict[str, int] = {}
    for i, reg in enumerate(items):
        where = (*parent, "register", i)
        what = "[[register]]"
        check.keys(reg, where, what, _REGISTER_KEYS_REQUIRED, _REGISTER_KEYS_OPTIONAL)
        address = check.number(reg, "address", 0, max_address, where, what)
        name = check.typed(reg, "name", str, where, what)
        if not _REGISTER_NAME.match(name):
            check.fail(where, f"register name {name!r} must be upper case (A-Z, 0-9, _)", "name")
        if address in out:
            check.fail(
                where,
                f"register address {address} is described twice "
                f"({out[address].name} at line {out[address].line})",
                "address",
            )
        if name in names:
            check.fail(where, f"register name {name} is used twice (line {names[name]})", "name")
        reset = check.number(reg, "reset", 0, 0xFFFF, where, what) if "reset" in reg else 0
        aliases = check.typed(reg, "aliases", list, where, what) if "aliases" in reg else []
        for alias in aliases:
            if not isinstance(alias, str) or not _REGISTER_NAME.match(alias):
                check.fail(where, f"{name} alias {alias!r} must be an upper-case name", "aliases")
        fields = _fields(check, reg.get("field", []), where, name)
        line = check.lines.line_of(where)
        names[name] = line or 0
        out[address] = RegisterSpec(
            name=name,
            address=address,
            title=check.typed(reg, "title", str, where, what),
            fields=fields,
            reset=reset,
            description=check.typed(reg, "description", str, where, what)
            if "description" in reg
            else "",
            aliases=tuple(aliases),
            devad=devad,
            page=page,
            model=desc.name,
            file=desc.path,
            line=line,
        )
    return out


def _fields(
    check: _Checker, items: object, parent: tuple[object, ...], register: str
) -> tuple[FieldSpec, ...]:
    if not isinstance(items, list):
        check.fail(
            parent, f"{register}: 'field' must be an array of tables: write [[register.field]]"
        )
    assert isinstance(items, list)
    fields: list[FieldSpec] = []
    for i, fld in enumerate(items):
        where = (*parent, "field", i)
        what = f"{register} field"
        check.keys(fld, where, what, _FIELD_KEYS_REQUIRED, _FIELD_KEYS_OPTIONAL)
        name = check.typed(fld, "name", str, where, what)
        if not _FIELD_NAME.match(name) or name.startswith("reserved"):
            check.fail(
                where,
                f"{register} field name {name!r} must be lower case "
                "(a-z, 0-9, _) and not start with 'reserved' (gaps are implied)",
                "name",
            )
        bits = check.typed(fld, "bits", str, where, what)
        m = _BITS.match(bits)
        if not m:
            check.fail(where, f'{register}.{name} bits {bits!r} must be "N" or "MSB:LSB"', "bits")
        assert m
        msb = int(m.group(1))
        lsb = int(m.group(2)) if m.group(2) is not None else msb
        if lsb > msb:
            check.fail(
                where,
                f"{register}.{name} bits {bits!r}: write the high bit first ({lsb}:{msb})",
                "bits",
            )
        if msb > 15:
            check.fail(
                where,
                f"{register}.{name} bits {bits!r} is {msb - lsb + 1} bits wide "
                f"ending at bit {msb}: registers are 16 bits (bits 15..0)",
                "bits",
            )
        access = check.typed(fld, "access", str, where, what)
        if access not in ACCESS_CODES:
            check.fail(
                where,
                f"{register}.{name} access {access!r} is unknown: allowed "
                f"{', '.join(ACCESS_CODES)}",
                "access",
            )
        width = msb - lsb + 1
        enum: dict[int, str] = {}
        if "enum" in fld:
            table = fld["enum"]
            if not isinstance(table, dict):
                check.fail(
                    where, f'{register}.{name} enum must be a table of value = "name"', "enum"
                )
            ewhere = (*where, "enum")
            for key, label in table.items():
                try:
                    value = int(key, 0)
                except ValueError:
                    check.fail(ewhere, f"{register}.{name} enum key {key!r} is not a number", key)
                if not 0 <= value < (1 << width):
                    check.fail(
                        ewhere,
                        f"{register}.{name} enum value {key} does not fit the "
                        f"{width}-bit field (0-{(1 << width) - 1})",
                        key,
                    )
                if not isinstance(label, str) or not label:
                    check.fail(ewhere, f"{register}.{name} enum {key} needs a name", key)
                if label in enum.values():
                    check.fail(ewhere, f"{register}.{name} enum name {label!r} is used twice", key)
                enum[value] = label
        short = check.typed(fld, "short", str, where, what) if "short" in fld else ""
        spec = FieldSpec(
            name,
            msb,
            lsb,
            access,
            check.typed(fld, "desc", str, where, what),
            enum,
            short,
            False,
            check.lines.line_of(where),
        )
        for other in fields:
            if other.name == name:
                check.fail(
                    where,
                    f"{register} field name {name!r} is used twice (line {other.line})",
                    "name",
                )
            if spec.mask & other.mask:
                check.fail(
                    where,
                    f"{register}.{name} bits {spec.bits} overlap "
                    f"{register}.{other.name} bits {other.bits} (line {other.line})",
                    "bits",
                )
            if spec.msb > other.lsb:
                check.fail(
                    where,
                    f"{register}.{name} bits {spec.bits} come after "
                    f"{other.name} bits {other.bits}: list fields MSB first",
                    "bits",
                )
        fields.append(spec)
    return tuple(_fill_gaps(fields))


def _fill_gaps(fields: list[FieldSpec]) -> Iterator[FieldSpec]:
    """Yield the fields MSB first with ``reserved_M_L`` fields in the unnamed gaps."""
    bit = 15
    for f in fields:
        if f.msb < bit:
            yield _reserved(bit, f.msb + 1)
        yield f
        bit = f.lsb - 1
    if bit >= 0:
        yield _reserved(bit, 0)


def _reserved(msb: int, lsb: int) -> FieldSpec:
    name = f"reserved_{msb}" if msb == lsb else f"reserved_{msb}_{lsb}"
    return FieldSpec(name, msb, lsb, "RO", "reserved", {}, "", True, None)
