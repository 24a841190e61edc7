# SPDX-License-Identifier: GPL-2.0-only
"""Bus URL schemes, found through the entry-point group ``physcapy.buses``.

Each entry point is named after its scheme and points at a callable that takes the
whole URL and returns a :class:`~physcapy.bus.base.Bus`.  physcapy declares its own
four in ``pyproject.toml``; another package adds ``mybridge://`` with one line in its
own::

    [project.entry-points."physcapy.buses"]
    mybridge = "mybridge:open_bridge"

Only the entry point of the scheme asked for is imported (``sim://`` never imports
pyftdi), as python-can loads its interfaces::

    >>> sorted(schemes())[:4]
    ['ftdi', 'ftdi-emu', 'linux', 'sim']
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from physcapy.errors import PhyscapyError, UnknownNameError
from physcapy.plugins import EntryPoint, entry_points

if TYPE_CHECKING:
    from physcapy.bus.base import Bus

__all__ = ["GROUP", "open_bus", "opener", "schemes"]

#: The entry-point group bus back ends register in.
GROUP = "physcapy.buses"


@cache
def _entry_points() -> dict[str, list[EntryPoint]]:
    found: dict[str, list[EntryPoint]] = {}
    for ep in entry_points(GROUP):
        found.setdefault(ep.name, []).append(ep)
    return found


def schemes() -> dict[str, str]:
    """The installed schemes and what provides each (``module:callable``)."""
    return {name: eps[0].value for name, eps in sorted(_entry_points().items())}


@cache
def opener(scheme: str) -> Callable[[str], Bus]:
    """The callable that opens ``scheme://`` URLs, imported on first use."""
    eps = _entry_points().get(scheme)
    if not eps:
        raise UnknownNameError(
            "bus URL scheme",
            scheme,
            [f"{s}://" for s in schemes()],
            hint="installed through the entry points physcapy.buses",
        )
    if len(eps) > 1:
        raise PhyscapyError(
            f"bus URL scheme {scheme}:// is registered twice: by "
            f"{' and by '.join(str(ep) for ep in eps)}; uninstall one of them"
        )
    try:
        target: Any = eps[0].load()
    except Exception as exc:  # a broken plug-in is the plug-in's fault: say whose
        raise PhyscapyError(f"cannot load the {scheme}:// back end {eps[0]}: {exc}") from exc
    if not callable(target):
        raise PhyscapyError(
            f"the {scheme}:// back end {eps[0]} is not callable: an entry "
            "point in physcapy.buses must name a function taking the URL"
        )
    return target


def open_bus(url: str = "sim://") -> Bus:
    """Build the bus a URL names: ``sim://``, ``ftdi://``, ``ftdi-emu://``, ``linux://``,
    or any scheme an installed package registers."""
    from physcapy.bus.base import Bus

    if not isinstance(url, str) or not url.isprintable():
        # urlsplit would drop a tab or newline silently: the bus opened would not be
        # the one typed.
        raise PhyscapyError(f"bus URL {url!r} holds control characters: type it again")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "sim://[lan8720a@1": an unclosed IPv6 bracket
        raise PhyscapyError(f"bus URL {url!r} is not a URL: {exc}") from None
    scheme = parts.scheme if "://" in url else ""
    if not scheme:
        raise UnknownNameError(
            "bus URL scheme", url, [f"{s}://" for s in schemes()], hint="for example sim://"
        )
    open_scheme = opener(scheme)
    try:
        bus = open_scheme(url)
    except PhyscapyError:
        raise
    except Exception as exc:  # a plug-in's own exception: name the plug-in, no traceback
        raise PhyscapyError(
            f"the {scheme}:// back end {schemes()[scheme]} could not open {url}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(bus, Bus):
        raise PhyscapyError(
            f"the {scheme}:// back end {schemes()[scheme]} returned {type(bus).__name__}, "
            "not a physcapy Bus"
        )
    return bus
