# SPDX-License-Identifier: GPL-2.0-only
"""PHY models: register descriptions merged with what they inherit, and register look-up.

A model is what one PHY (or the IEEE standard set) looks like over MDIO: its
Clause 22 registers, its vendor pages and its MMDs.  Look-up accepts what an
engineer types::

    >>> m = model("lan8720a")
    >>> m.register("BMSR").address, m.register(0x1F).name
    (1, 'PSCSR')
    >>> model().register("PMA.0").key, model().register("7.0x20").name
    ('1.0', 'AN_10GBT_CTRL')

``model()`` with no name is the IEEE set (Clause 22 plus the Clause 45 MMDs).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from physcapy.errors import LayerFileError, PhyscapyError, UnknownNameError, check_range
from physcapy.registers.cache import load_folder
from physcapy.registers.packs import packs
from physcapy.registers.regdesc import FileDesc, IndirectDesc, RegisterSpec, load_file
from physcapy.resources import data_dir

__all__ = ["DEFAULT_MODEL", "MMD_NAMES", "Model", "all_models", "model", "model_for_id"]

#: The model used when none is named: every IEEE register physcapy describes.
DEFAULT_MODEL = "ieee802.3"

#: MMD numbers and their names (IEEE 802.3 Table 45-1, Linux ``MDIO_MMD_*``).
MMD_NAMES: dict[int, str] = {
    1: "PMA",
    2: "WIS",
    3: "PCS",
    4: "PHYXS",
    5: "DTEXS",
    6: "TC",
    7: "AN",
    8: "SEPPMA1",
    9: "SEPPMA2",
    10: "SEPPMA3",
    11: "SEPPMA4",
    12: "OFDM",
    13: "POWER",
    29: "C22EXT",
    30: "VEND1",
    31: "VEND2",
}
_MMD_NUMBERS = {name: num for num, name in MMD_NAMES.items()}


@dataclass(slots=True)
class Mmd:
    devad: int
    name: str
    title: str
    registers: dict[int, RegisterSpec] = field(default_factory=dict)


@dataclass(slots=True, eq=False)  # identity: models are cached, and keys of caches
class Model:
    """One PHY model (or standard set) with inheritance resolved."""

    name: str
    title: str
    source: str
    kind: str
    path: Path
    aliases: tuple[str, ...] = ()
    phy_id: int | None = None
    phy_id_mask: int | None = None
    page_register: int | None = None
    default_page: int = 0
    #: Lowest Clause 22 address the page register pages (16, or 0 for Marvell).
    paged_from: int = 16
    registers: dict[int, RegisterSpec] = field(default_factory=dict)
    pages: dict[int, dict[int, RegisterSpec]] = field(default_factory=dict)
    mmds: dict[int, Mmd] = field(default_factory=dict)
    #: indirect register spaces (Motorcomm extended, Broadcom shadow), by name
    spaces: dict[str, IndirectDesc] = field(default_factory=dict)
    lineage: tuple[str, ...] = ()
    #: The merged [sim] tables (inherited first) and, per key, the file and line it came from.
    sim: dict[str, Any] = field(default_factory=dict)
    sim_origin: dict[str, tuple[Path, int | None]] = field(default_factory=dict)
    #: The register pack it comes from (``physcapy`` for the shipped layers/).
    pack: str = "physcapy"

    def __repr__(self) -> str:
        ident = (
            f" id={self.phy_id:#010x}/{self.phy_id_mask:#010x}" if self.phy_id is not None else ""
        )
        return f"<Model {self.name}{ident}: {self.title}>"

    # -- iteration ---------------------------------------------------------------------

    def all_registers(self) -> Iterator[RegisterSpec]:
        """Clause 22 registers, then each page, then each MMD, in address order."""
        yield from (self.registers[a] for a in sorted(self.registers))
        for page in sorted(self.pages):
            yield from (self.pages[page][a] for a in sorted(self.pages[page]))
        for devad in sorted(self.mmds):
            regs = self.mmds[devad].registers
            yield from (regs[a] for a in sorted(regs))
        for name in sorted(self.spaces):
            regs = self.spaces[name].registers
            yield from (regs[a] for a in sorted(regs))

    def names(self) -> list[str]:
        """Every name :meth:`register` accepts, for completion and error messages."""
        out: list[str] = []
        for reg in self.all_registers():
            if reg.devad is not None:
                out.append(f"{self.mmd_name(reg.devad)}.{reg.name}")
            elif reg.space is not None:
                out.append(f"{reg.space}:{reg.name}")
            else:
                out.append(reg.name)
        return out

    def mmd_name(self, devad: int) -> str:
        mmd = self.mmds.get(devad)
        return mmd.name if mmd else MMD_NAMES.get(devad, str(devad))

    def matches(self, phy_id: int) -> bool:
        """Linux phylib's rule: ``(drv.phy_id & mask) == (phy_id & mask)``."""
        if self.phy_id is None or self.phy_id_mask is None:
            return False
        return (self.phy_id & self.phy_id_mask) == (phy_id & self.phy_id_mask)

    # -- look-up -------------------------------------------------------------------------

    def register(self, spec: int | str, *, page: int | None = None) -> RegisterSpec:
        """Find a register by number, name, ``DEVAD.REG`` or ``PAGE:REG``.

        Numbers may be decimal or ``0x`` hex; ``DEVAD`` may be an MMD name (``PMA``,
        ``AN``...) and ``REG`` a register name within that MMD.
        """
        if isinstance(spec, int) and not isinstance(spec, bool):
            return self._c22(check_range("register address", spec, 0, 31), page)
        text = str(spec).strip()
        m = re.fullmatch(r"([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)", text)
        if m:
            return self._c45(m.group(1), m.group(2))
        m = re.fullmatch(r"([A-Za-z0-9_]+):([A-Za-z0-9_]+)", text)
        if m and m.group(1).upper() in self.spaces:
            return self._indirect(self.spaces[m.group(1).upper()], m.group(2))
        if m:
            pg = _number(m.group(1))
            if pg is None:
                raise UnknownNameError("page", m.group(1), [f"{p:#x}" for p in self.pages])
            return self._paged(pg, m.group(2))
        number = _number(text)
        if number is not None:
            return self._c22(check_range("register address", number, 0, 31), page)
        return self._by_name(text, page)

    def _c22(self, address: int, page: int | None) -> RegisterSpec:
        if page is not None and page in self.pages and address in self.pages[page]:
            return self.pages[page][address]
        if address in self.registers:
            return self.registers[address]
        raise UnknownNameError(
            f"Clause 22 register of model {self.name}",
            address,
            [f"{a} ({r.name})" for a, r in sorted(self.registers.items())],
        )

    def _paged(self, page: int, reg: str) -> RegisterSpec:
        if page not in self.pages:
            raise UnknownNameError(
                f"page of model {self.name}", f"{page:#x}", [f"{p:#x}" for p in self.pages]
            )
        regs = self.pages[page]
        number = _number(reg)
        for r in regs.values():
            if number == r.address or reg.upper() in (r.name, *r.aliases):
                return r
        # Page-independent registers (0-15 and the page register) are visible on every page.
        if number is not None and number in self.registers:
            return self.registers[number]
        raise UnknownNameError(
            f"register of page {page:#x}", reg, [f"{r.address} ({r.name})" for r in regs.values()]
        )

    def _c45(self, mmd: str, reg: str) -> RegisterSpec:
        devad = _number(mmd)
        if devad is None:
            devad = _MMD_NUMBERS.get(mmd.upper())
            for d, m in self.mmds.items():
                if m.name.upper() == mmd.upper():
                    devad = d
        if devad is None:
            raise UnknownNameError("MMD", mmd, [f"{m.name} ({d})" for d, m in self.mmds.items()])
        check_range("DEVAD", devad, 0, 31)
        if devad not in self.mmds:
            raise UnknownNameError(
                f"MMD of model {self.name}",
                mmd,
                [f"{m.name} ({d})" for d, m in sorted(self.mmds.items())],
            )
        regs = self.mmds[devad].registers
        number = _number(reg)
        if number is not None:
            check_range("Clause 45 register address", number, 0, 0xFFFF)
            if number in regs:
                return regs[number]
        else:
            for r in regs.values():
                if reg.upper() in (r.name, *r.aliases):
                    return r
        name = self.mmds[devad].name
        raise UnknownNameError(
            f"register of MMD {devad} ({name})",
            reg,
            [f"{devad}.{r.address} ({r.name})" for r in regs.values()],
        )

    def _indirect(self, space: IndirectDesc, reg: str) -> RegisterSpec:
        number = _number(reg)
        for r in space.registers.values():
            if number == r.address or reg.upper() in (r.name, *r.aliases):
                return r
        raise UnknownNameError(
            f"register of indirect space {space.name}",
            reg,
            [f"{space.name}:{r.address:#x} ({r.name})" for r in space.registers.values()],
        )

    def _by_name(self, name: str, page: int | None) -> RegisterSpec:
        wanted = name.upper()
        if page is not None and page in self.pages:
            for r in self.pages[page].values():
                if wanted in (r.name, *r.aliases):
                    return r
        for r in self.registers.values():
            if wanted in (r.name, *r.aliases):
                return r
        found = [r for r in self.all_registers() if wanted in (r.name, *r.aliases)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UnknownNameError(
                f"register of model {self.name} (ambiguous)",
                name,
                [f"{r.key} ({r.name})" for r in found],
                hint="qualify it as DEVAD.REG or PAGE:REG",
            )
        raise UnknownNameError(f"register of model {self.name}", name, self.names())


def _number(text: str) -> int | None:
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------
# Loading and merging


#: The installed register packs, as (name, folder): the key of the caches below.
Sources = tuple[tuple[str, Path], ...]


def _descs(folder: Path) -> list[FileDesc]:
    # The shipped descriptions are parsed once and then read from the user's cache;
    # a folder of one's own (PHYSCAPY_LAYERS, another pack) is parsed on each start.
    if folder == _shipped_folder():
        return load_folder(folder, load_file)
    return [load_file(path) for path in sorted(folder.glob("*.toml"))]


def _files(sources: Sources) -> dict[str, FileDesc]:
    """Every description of every pack, by model name."""
    return _catalog(sources)[0]


def _pack_of(sources: Sources) -> dict[str, str]:
    """Model name -> the pack it comes from."""
    return _catalog(sources)[1]


@cache
def _catalog(sources: Sources) -> tuple[dict[str, FileDesc], dict[str, str]]:
    files: dict[str, FileDesc] = {}
    pack_of: dict[str, str] = {}
    descs = [(pack, desc) for pack, folder in sources for desc in _descs(folder)]
    override = os.environ.get("PHYSCAPY_LAYERS")
    if override and not any(pack == sources[0][0] for pack, _ in descs):
        raise PhyscapyError(
            f"PHYSCAPY_LAYERS={override!r} holds no register descriptions (*.toml): "
            "point it at a folder of them, or unset it for the shipped ones"
        )
    for pack, desc in descs:
        if desc.name in files:
            raise LayerFileError(
                desc.path,
                desc.line_of("model", key="name"),
                f"model name {desc.name!r} is also used by {files[desc.name].path}",
            )
        files[desc.name] = desc
        pack_of[desc.name] = pack
    aliases: dict[str, str] = {}
    for desc in files.values():
        for alias in (*desc.aliases, desc.path.stem):
            other = aliases.get(alias)
            if (alias in files and alias != desc.name) or other not in (None, desc.name):
                raise LayerFileError(
                    desc.path,
                    desc.line_of("model", key="aliases"),
                    f"alias {alias!r} is already taken by another model",
                )
            aliases[alias] = desc.name
    return files, pack_of


@cache
def _aliases(sources: Sources) -> dict[str, str]:
    out: dict[str, str] = {}
    for desc in _files(sources).values():
        out[desc.name] = desc.name
        out[desc.path.stem] = desc.name
        for alias in desc.aliases:
            out[alias] = desc.name
    return out


@cache
def _resolve(sources: Sources, name: str, chain: tuple[str, ...] = ()) -> Model:
    files = _files(sources)
    desc = files[name]
    out = Model(
        name=desc.name,
        title=desc.title,
        source=desc.source,
        kind=desc.kind,
        path=desc.path,
        aliases=desc.aliases,
        phy_id=desc.phy_id,
        phy_id_mask=desc.phy_id_mask,
        page_register=desc.page_register,
        default_page=desc.default_page,
        paged_from=desc.paged_from,
        pack=_pack_of(sources)[name],
    )
    lineage: list[str] = []
    for parent_name in desc.inherits:
        line = desc.line_of("model", key="inherits")
        if parent_name not in _aliases(sources):
            raise LayerFileError(
                desc.path,
                line,
                f"inherits unknown model {parent_name!r}: choose from {', '.join(sorted(files))}",
            )
        parent_name = _aliases(sources)[parent_name]
        if parent_name == name or parent_name in chain:
            raise LayerFileError(desc.path, line, f"inheritance loop through {parent_name!r}")
        parent = _resolve(sources, parent_name, (*chain, name))
        lineage.extend((*parent.lineage, parent.name))
        out.registers.update({a: _adopt(r, name) for a, r in parent.registers.items()})
        for number, regs in parent.pages.items():
            out.pages.setdefault(number, {}).update({a: _adopt(r, name) for a, r in regs.items()})
        for devad, mmd in parent.mmds.items():
            mine = out.mmds.setdefault(devad, Mmd(devad, mmd.name, mmd.title))
            mine.registers.update({a: _adopt(r, name) for a, r in mmd.registers.items()})
        for space_name, space in parent.spaces.items():
            regs = {a: _adopt(r, name) for a, r in space.registers.items()}
            out.spaces[space_name] = replace(space, registers=regs)
        if out.page_register is None:
            out.page_register = parent.page_register
        _merge_sim(out, parent.sim, parent.sim_origin)
    out.lineage = tuple(dict.fromkeys(lineage))
    for address in desc.exclude:
        if address not in out.registers:
            raise LayerFileError(
                desc.path,
                desc.line_of("model", key="exclude"),
                f"exclude names register {address}, which is not inherited",
            )
        del out.registers[address]
    out.registers.update(desc.registers)
    for number, page in desc.pages.items():
        out.pages.setdefault(number, {}).update(page.registers)
    for devad, mmd_desc in desc.mmds.items():
        mine = out.mmds.setdefault(devad, Mmd(devad, mmd_desc.name, mmd_desc.title))
        mine.name, mine.title = mmd_desc.name, mmd_desc.title
        mine.registers.update(mmd_desc.registers)
    for space_name, space in desc.indirect.items():
        inherited = out.spaces.get(space_name)
        regs = {**(inherited.registers if inherited else {}), **space.registers}
        out.spaces[space_name] = replace(space, registers=regs)
    origin = {
        k: (desc.path, desc.line_of("sim", key=k) or desc.line_of("sim", k)) for k in desc.sim
    }
    _merge_sim(out, desc.sim, origin)
    for reg_name, value in desc.resets.items():
        line = desc.line_of("resets", key=reg_name)
        try:
            reg = out.register(reg_name)
        except UnknownNameError as exc:
            raise LayerFileError(desc.path, line, f"[resets] {exc}") from None
        _store(out, replace(reg, reset=value, model=name))
    _check_ids(out, desc)
    return out


def _merge_sim(out: Model, sim: dict[str, Any], origin: dict[str, tuple[Path, int | None]]) -> None:
    """Later tables win key by key; nested tables (status, fixed...) merge one level down."""
    for key, value in sim.items():
        if isinstance(value, dict) and isinstance(out.sim.get(key), dict):
            out.sim[key] = {**out.sim[key], **value}
        else:
            out.sim[key] = value
        out.sim_origin[key] = origin[key]


def _adopt(reg: RegisterSpec, model_name: str) -> RegisterSpec:
    """An inherited register keeps its file and line but reports the child model."""
    return replace(reg, model=model_name)


def _store(m: Model, reg: RegisterSpec) -> None:
    if reg.space is not None:
        m.spaces[reg.space].registers[reg.address] = reg
    elif reg.devad is not None:
        m.mmds[reg.devad].registers[reg.address] = reg
    elif reg.page is not None:
        m.pages[reg.page][reg.address] = reg
    else:
        m.registers[reg.address] = reg


def _check_ids(m: Model, desc: FileDesc) -> None:
    """PHYSID1/2 reset values must spell the model's phy_id under its mask."""
    if m.phy_id is None or m.phy_id_mask is None or 2 not in m.registers or 3 not in m.registers:
        return
    ident = m.registers[2].reset << 16 | m.registers[3].reset
    if ident == 0 and not (desc.resets.keys() & {"PHYSID1", "PHYSID2"}):
        # The file gives no ID resets: derive them from phy_id so that a simulated
        # part reads its own identifier.
        _store(m, replace(m.registers[2], reset=m.phy_id >> 16, model=m.name))
        _store(m, replace(m.registers[3], reset=m.phy_id & 0xFFFF, model=m.name))
        return
    if not m.matches(ident):
        raise LayerFileError(
            desc.path,
            desc.line_of("resets", key="PHYSID2"),
            f"PHYSID1/PHYSID2 resets give {ident:#010x}, which does not match "
            f"phy_id {m.phy_id:#010x} under mask {m.phy_id_mask:#010x}",
        )


def _sources() -> Sources:
    return packs()


def _shipped_folder() -> Path | None:
    try:
        return data_dir("layers").resolve()
    except FileNotFoundError:
        return None


def model(name: str | None = None) -> Model:
    """The model called ``name`` (or one of its aliases); the IEEE set when None."""
    sources = _sources()
    if name is not None and not str(name).strip():
        raise UnknownNameError("model", name, sorted(_files(sources)), hint="the name is empty")
    key = (name or DEFAULT_MODEL).strip().lower()
    aliases = _aliases(sources)
    if key not in aliases:
        raise UnknownNameError("model", name, sorted(_files(sources)))
    return _resolve(sources, aliases[key])


def all_models() -> list[Model]:
    """Every model of every register pack, standard sets first."""
    sources = _sources()
    models = [_resolve(sources, n) for n in _files(sources)]
    return sorted(models, key=lambda m: (m.kind != "standard", m.name))


def model_for_id(phy_id: int) -> Model | None:
    """The first PHY model whose ``phy_id & mask`` matches, as phylib binds drivers."""
    for m in all_models():
        if m.kind == "phy" and m.matches(phy_id):
            return m
    return None
