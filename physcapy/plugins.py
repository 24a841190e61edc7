# SPDX-License-Identifier: GPL-2.0-only
"""Entry points of physcapy's open registries (``physcapy.buses``, ``physcapy.layers``).

The entry points of every distribution installed on ``sys.path`` are read from their
``*.dist-info``/``*.egg-info`` folders' ``entry_points.txt``, as importlib.metadata's
path finder does, but without importing importlib.metadata: that import (email parsing
and all) costs ~15 ms, a sixth of ``physcapy read``.  The same distribution on
``sys.path`` twice counts once (the first, as Python would import it), and
tests/test_plugins.py holds the result equal to ``importlib.metadata.entry_points()``.

    >>> sorted(ep.name for ep in entry_points("physcapy.buses"))[:4]
    ['ftdi', 'ftdi-emu', 'linux', 'sim']
    >>> next(ep for ep in entry_points("physcapy.buses") if ep.name == "sim").dist
    'physcapy'
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

__all__ = ["EntryPoint", "entry_points", "optional"]


@dataclass(frozen=True)
class EntryPoint:
    """One ``name = module:attr`` line of a distribution's ``entry_points.txt``."""

    group: str
    name: str
    value: str
    #: The distribution that declared it.
    dist: str

    def load(self) -> Any:
        """Import the module and follow the attribute path (extras are ignored)."""
        target = self.value.partition("[")[0].strip()  # "module:attr [extra]"
        module, _, attrs = target.partition(":")
        obj: Any = import_module(module.strip())
        for attr in filter(None, attrs.strip().split(".")):
            obj = getattr(obj, attr)
        return obj

    def __str__(self) -> str:
        return f"{self.dist} ({self.value})"


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(text: str, dist: str) -> list[EntryPoint]:
    """entry_points.txt: INI sections named by group, ``name = value`` lines."""
    found, group = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1].strip()
        elif group is not None and "=" in line:
            name, _, value = line.partition("=")
            found.append(EntryPoint(group, name.strip(), value.strip(), dist))
    return found


def _metadata_dirs(folder: str) -> list[tuple[str, str]]:
    """(distribution name, metadata folder) in ``folder``: ``*.dist-info`` before
    ``*.egg-info`` (suffixes in any case), and an ``*.egg`` folder's ``EGG-INFO``, as
    importlib.metadata's path finder lists them."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:  # a missing folder
        return []
    found: list[tuple[int, str, str]] = []
    for name in names:
        stem, dot, kind = name.rpartition(".")
        kind = kind.lower()
        if dot and kind in ("dist-info", "egg-info"):
            found.append((kind == "egg-info", stem.split("-")[0], os.path.join(folder, name)))
        elif dot and kind == "egg":
            found.append((True, stem.split("-")[0], os.path.join(folder, name, "EGG-INFO")))
    return [(dist, path) for _, dist, path in sorted(found, key=lambda f: f[0])]


def _from_zip(entry: str) -> list[EntryPoint]:
    """A zip file on sys.path: rare enough to leave to importlib.metadata (~15 ms)."""
    from importlib.metadata import distributions

    out = []
    for dist in distributions(path=[entry]):
        name = dist.metadata["Name"] or "?"
        out += [EntryPoint(ep.group, ep.name, ep.value, name) for ep in dist.entry_points]
    return out


@cache
def _installed() -> tuple[EntryPoint, ...]:
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for entry in sys.path:
        folder = entry or os.curdir
        if os.path.isfile(folder):  # a zip of packages
            for ep in _from_zip(folder):
                if _normal(ep.dist) not in seen:
                    found.append(ep)
            seen.update(_normal(ep.dist) for ep in found)
            continue
        for dist, meta in _metadata_dirs(folder):
            if _normal(dist) in seen:
                continue
            seen.add(_normal(dist))
            try:
                with open(os.path.join(meta, "entry_points.txt"), encoding="utf-8") as f:
                    found.extend(_parse(f.read(), dist))
            except OSError:  # no entry points (or an egg-info file, not a folder)
                continue
    return tuple(found)


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group``, in the order their distributions were found."""
    return [ep for ep in _installed() if ep.group == group]


def optional(module: str, extra: str) -> Any:
    """Import an optional dependency, or say in one line which extra installs it.

    >>> optional("no_such_module_here", "pandas")
    Traceback (most recent call last):
    ...
    physcapy.errors.UnsupportedError: this needs no_such_module_here, which is not installed: pip install 'physcapy[pandas]'
    """
    from physcapy.errors import UnsupportedError

    try:
        return import_module(module)
    except ImportError:
        raise UnsupportedError(
            f"this needs {module}, which is not installed: pip install 'physcapy[{extra}]'"
        ) from None
