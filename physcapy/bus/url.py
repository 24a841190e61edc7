# SPDX-License-Identifier: GPL-2.0-only
"""The ``?NAME=VALUE&...`` options of a bus URL, checked against what the scheme takes.

>>> url_options("sim://lan8720a@1?partner=none&start=power-on", ("partner", "start"))
{'partner': ['none'], 'start': ['power-on']}
>>> url_options("sim://?speed=1", ("partner", "start"))
Traceback (most recent call last):
...
physcapy.errors.UnknownNameError: unknown sim:// option 'speed': choose from partner, start
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs, urlsplit

from physcapy.errors import PhyscapyError, UnknownNameError

__all__ = ["url_options"]


def url_options(url: str, allowed: Sequence[str]) -> dict[str, list[str]]:
    """Every option in ``url``'s query, each with all its values (the last one wins
    where a scheme takes one); an unknown option or a malformed query is an error."""
    parts = urlsplit(url)
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise PhyscapyError(
            f"{parts.scheme}:// options {parts.query!r} are not NAME=VALUE pairs: "
            f"allowed {', '.join(allowed)}"
        ) from None
    for key in query:
        if key not in allowed:
            raise UnknownNameError(f"{parts.scheme}:// option", key, allowed)
    return query
