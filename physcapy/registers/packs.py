# SPDX-License-Identifier: GPL-2.0-only
"""Register description packs, found through the entry-point group ``physcapy.layers``.

A pack is a folder of ``*.toml`` register descriptions (``layers/README.md`` is the
schema).  physcapy's own pack is the shipped ``layers/`` (or ``PHYSCAPY_LAYERS``); a
package adds its PHYs by shipping such a folder and declaring it::

    [project.entry-points."physcapy.layers"]
    acme-phys = "acme_phys"            # a package whose folder holds the *.toml files

The entry point may also name a callable returning the folder, or a ``Path``.  Models
of every pack share one namespace: a pack's PHY may inherit ``ieee802.3-c22``, and a
name used twice is an error naming both files.

    >>> [name for name, _ in packs()][:1]
    ['physcapy']
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from physcapy.errors import PhyscapyError
from physcapy.plugins import EntryPoint, entry_points

__all__ = ["GROUP", "OWN_PACK", "packs"]

#: The entry-point group register packs register in.
GROUP = "physcapy.layers"
#: The name of physcapy's own pack (the shipped ``layers/``).
OWN_PACK = "physcapy"


@cache
def _loaded() -> tuple[tuple[str, str, Any], ...]:
    """(pack name, provider, loaded object) per entry point, physcapy's own first."""
    seen: dict[str, EntryPoint] = {}
    for ep in entry_points(GROUP):
        other = seen.get(ep.name)
        if other is not None:
            raise PhyscapyError(
                f"register pack {ep.name!r} is registered twice: by {other} "
                f"and by {ep}; uninstall one of them"
            )
        seen[ep.name] = ep
    if OWN_PACK not in seen:
        raise PhyscapyError(
            "physcapy's register descriptions are not registered (no entry point "
            f"{OWN_PACK!r} in {GROUP}): reinstall physcapy, e.g. pip install -e ."
        )
    out = []
    for name in sorted(seen, key=lambda n: (n != OWN_PACK, n)):
        ep = seen[name]
        try:
            target = ep.load()
        except Exception as exc:  # a broken pack is the pack's fault: say whose
            raise PhyscapyError(f"cannot load register pack {ep}: {exc}") from exc
        out.append((name, str(ep), target))
    return tuple(out)


def _folder(name: str, provider: str, target: Any) -> Path:
    if isinstance(target, ModuleType):
        where = list(getattr(target, "__path__", ())) or [os.path.dirname(target.__file__ or "")]
        folder = Path(where[0])
    elif isinstance(target, (str, os.PathLike)):
        folder = Path(target)
    elif callable(target):
        try:
            given = target()
        except PhyscapyError:
            raise
        except Exception as exc:  # the pack's own failure: say whose
            raise PhyscapyError(f"register pack {provider} failed: {exc}") from exc
        if not isinstance(given, (str, os.PathLike)):
            raise PhyscapyError(
                f"register pack {provider} gave {type(given).__name__}, not a folder path"
            )
        folder = Path(given)
    else:
        raise PhyscapyError(
            f"register pack {provider} gives a {type(target).__name__}: an entry point in "
            f"{GROUP} must name a package, a path or a callable returning a folder"
        )
    if not folder.is_dir():
        raise PhyscapyError(f"register pack {name!r} ({provider}): {folder} is not a folder")
    return folder.resolve()


def packs() -> tuple[tuple[str, Path], ...]:
    """The installed packs as (name, folder), physcapy's own first.

    Resolved once per value of ``PHYSCAPY_LAYERS`` (model() asks on every call), so
    setting it while running still moves physcapy's own pack."""
    return _resolved(os.environ.get("PHYSCAPY_LAYERS"))


@cache
def _resolved(layers_env: str | None) -> tuple[tuple[str, Path], ...]:
    del layers_env  # the cache key: layers_dir() reads it
    return tuple((name, _folder(name, provider, t)) for name, provider, t in _loaded())
