# SPDX-License-Identifier: GPL-2.0-only
"""Write the ``mdio_phy`` sigrok decoder: its code and register tables from ``layers/``.

libsigrokdecode loads every package in ``$SIGROKDECODE_DIR``,
``$XDG_DATA_HOME/libsigrokdecode/decoders`` (``~/.local/share/...``), the
``$XDG_DATA_DIRS`` folders and the system folder; PulseView loads the same at start-up::

    >>> import tempfile
    >>> folder = export(tempfile.mkdtemp())
    >>> sorted(p.name for p in folder.iterdir())
    ['__init__.py', 'pd.py', 'physcapy-generated', 'tables.json']
    >>> tables()["models"][0]["registers"]["1"]["name"]
    'BMSR'
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from physcapy._version import __version__
from physcapy.errors import PhyscapyError
from physcapy.registers.models import Model, all_models, model
from physcapy.registers.regdesc import RegisterSpec

__all__ = ["DECODER_ID", "export", "install", "tables", "user_decoder_dir"]

#: The decoder's id (and folder name): ``sigrok-cli -P mdio,mdio_phy``.
DECODER_ID = "mdio_phy"
TEMPLATE = Path(__file__).resolve().parent / "template"
#: Written into every generated folder: install replaces only folders that have it.
MARKER = "physcapy-generated"


def _register(spec: RegisterSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "key": spec.key,
        "paged": spec.page is not None,
        "fields": [
            [
                f.name,
                f.label,
                f.lsb,
                f.maximum,
                f.width,
                {str(raw): text for raw, text in f.enum.items()} if f.enum else None,
            ]
            for f in spec.named_fields
        ],
    }


def _regs(table: dict[int, RegisterSpec]) -> dict[str, Any]:
    return {str(a): _register(spec) for a, spec in sorted(table.items())}


def _page_select(m: Model) -> int | None:
    """The page register, or a register named PAGE (Marvell's 22 on unpaged models),
    as the annotator picks it."""
    if m.page_register is not None:
        return m.page_register
    for address, spec in sorted(m.registers.items()):
        if "PAGE" in (spec.name, *spec.aliases):
            return address
    return None


def _page_alias(m: Model) -> dict[str, int]:
    from physcapy.sim.config import sim_config

    try:
        return {str(a): b for a, b in sim_config(m).page_alias.items()}
    except PhyscapyError:  # a model without a usable [sim] table has no aliases
        return {}


def _model(m: Model) -> dict[str, Any]:
    return {
        "name": m.name,
        "aliases": list(m.aliases),
        "title": m.title,
        "kind": m.kind,
        "pack": m.pack,
        "id": m.phy_id,
        "mask": m.phy_id_mask,
        "page_register": m.page_register,
        "page_select": _page_select(m),
        "default_page": m.default_page,
        "paged_from": m.paged_from,
        "page_alias": _page_alias(m),
        "registers": _regs(m.registers),
        "pages": {str(p): _regs(regs) for p, regs in sorted(m.pages.items())},
        "mmds": {str(d): _regs(mmd.registers) for d, mmd in sorted(m.mmds.items())},
        # Indirect spaces in the description's order: the annotator tries them in it.
        "spaces": [
            {
                "name": sp.name,
                "kind": sp.kind,
                "select": sp.select,
                "data": sp.data,
                "select_base": sp.select_base,
                "selector": list(sp.selector),
                "write_enable": sp.write_enable,
                "read_select": sp.read_select,
                "read_selector": list(sp.read_selector),
                "registers": _regs(sp.registers),
            }
            for sp in m.spaces.values()
        ],
    }


def tables() -> dict[str, Any]:
    """Every loaded model as the decoder's ``tables.json`` holds it, in the order
    :func:`~physcapy.registers.models.model_for_id` tries them (first match binds)."""
    ieee = model("ieee802.3")
    models = [ieee, *(m for m in all_models() if m is not ieee)]
    return {
        "format": 1,
        "generator": f"physcapy {__version__}",
        "license": "GPL-2.0-or-later",
        "ieee": ieee.name,
        "models": [_model(m) for m in models],
    }


def export(directory: str | os.PathLike[str]) -> Path:
    """Write ``DIRECTORY/mdio_phy/`` (``__init__.py``, ``pd.py``, ``tables.json``);
    returns that folder.  An existing ``mdio_phy`` that physcapy did not write is
    left alone (an error says so)."""
    target = Path(directory) / DECODER_ID
    if target.exists() and not (target / MARKER).exists():
        raise PhyscapyError(
            f"{target} exists and was not written by physcapy: move it away or choose another --dir"
        )
    part = Path(directory) / f".{DECODER_ID}.part"
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    for name in ("__init__.py", "pd.py"):
        shutil.copyfile(TEMPLATE / name, part / name)
    with open(part / "tables.json", "w") as f:
        json.dump(tables(), f, separators=(",", ":"))
    (part / MARKER).write_text(f"physcapy {__version__}\n")
    shutil.rmtree(target, ignore_errors=True)
    part.rename(target)
    return target


def user_decoder_dir() -> Path:
    """``$XDG_DATA_HOME/libsigrokdecode/decoders`` (``~/.local/share/...``): the
    per-user folder libsigrokdecode searches."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "libsigrokdecode" / "decoders"


def install(directory: str | os.PathLike[str] | None = None) -> Path:
    """:func:`export` into the user's decoder folder (or ``directory``), creating it."""
    folder = Path(directory) if directory is not None else user_decoder_dir()
    if folder.exists() and not folder.is_dir():
        raise PhyscapyError(f"{folder} is not a folder: give one to write {DECODER_ID}/ into")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PhyscapyError(f"cannot create {folder}: {exc.strerror}") from None
    return export(folder)
