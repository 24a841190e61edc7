# SPDX-License-Identifier: GPL-2.0-only
"""The pieces every physcapy HTML view is made of: one stylesheet, tables, hex, limits.

Colours come from JupyterLab's CSS variables (``--jp-content-font-color1``,
``--jp-brand-color1``, ``--jp-error-color1``...), with plain fallbacks elsewhere, so
the same output reads in the light and the dark theme; alignment is set explicitly
(JupyterLab right-aligns table cells by default).  Everything sits under the class
``physcapy``, so nothing leaks into the rest of the page::

    >>> t = table(["PHY", "ID"], [[cell(1, "num"), cell("0x0007c0f1")]], caption="1 PHY")
    >>> t[t.index("<tbody>") :]
    '<tbody><tr><td class="num">1</td><td>0x0007c0f1</td></tr></tbody></table>'
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Sequence
from typing import Any

from physcapy.registers.display import CSS

__all__ = ["CSS", "cell", "esc", "hex16", "limited", "more_row", "styled", "table"]

#: Rows a view shows before it says how many more there are.
ROW_LIMIT = 200


def esc(text: object) -> str:
    return _html.escape(str(text))


def hex16(value: int | None) -> str:
    """``0x796d``; a value never read is an empty cell."""
    return "" if value is None else f"0x{value:04x}"


def cell(content: object, cls: str = "", *, raw: bool = False, title: str = "") -> str:
    """One ``<td>``: ``content`` escaped unless ``raw``; ``cls`` one of the stylesheet's
    classes (``num`` right-aligns, ``bad``/``ok``/``warn``/``dim`` colour)."""
    text = str(content) if raw else esc(content)
    attrs = (f' class="{cls}"' if cls else "") + (f' title="{esc(title)}"' if title else "")
    return f"<td{attrs}>{text}</td>"


def table(
    head: Sequence[str],
    rows: Iterable[Sequence[str] | str],
    caption: str = "",
    cls: str = "",
    *,
    raw_caption: bool = False,
) -> str:
    """A table: ``head`` as text, each row a list of :func:`cell` strings (or one whole
    ``<tr>`` string); ``caption`` escaped unless ``raw_caption``."""
    cap = "" if not caption else f"<caption>{caption if raw_caption else esc(caption)}</caption>"
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join(r if isinstance(r, str) else f"<tr>{''.join(r)}</tr>" for r in rows)
    extra = f" {cls}" if cls else ""
    return (
        f'<table class="physcapy{extra}">{cap}<thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def more_row(hidden: int, columns: int, what: str = "rows") -> str:
    """The last row of a cut table: how many were left out."""
    return f'<tr><td class="dim" colspan="{columns}">... {hidden} more {what}</td></tr>'


def limited(items: Sequence[Any], limit: int = ROW_LIMIT) -> tuple[Sequence[Any], int]:
    """The first ``limit`` items and how many were left out."""
    return items[:limit], max(0, len(items) - limit)


def styled(body: str) -> str:
    """``body`` with the stylesheet, in one ``physcapy`` block."""
    return f'<div class="physcapy">{CSS}{body}</div>'
