# SPDX-License-Identifier: GPL-2.0-only
"""Text and HTML renderings of register values.

Three styles an engineer already knows:

* a field table (Scapy's ``show()``, with the enum meaning of each value);
* phytool's flag list: ``+link -jabber``;
* U-Boot's ``mii dump``: ``(8000:0000) 0.15 = 0 reset``.

    >>> from physcapy.registers.values import register
    >>> print(mii_dump(register("BMSR", 0x796D)).splitlines()[13])
    (0004:0004) 1.2 = 1 link status
"""

from __future__ import annotations

import html as _html
from typing import Protocol

from physcapy.registers.regdesc import ACCESS_CODES, RegisterSpec


class RegisterValue(Protocol):
    """What a display needs of a register value: its description and its 16 bits
    (:class:`physcapy.registers.values.RegisterValue` is one)."""

    @property
    def spec(self) -> RegisterSpec: ...

    @property
    def value(self) -> int: ...


__all__ = ["flags", "html", "mii_dump", "summary", "table"]

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def flags(reg: RegisterValue) -> str:
    """One-bit named fields without an enum, ``+label`` when set and ``-label`` when clear."""
    out = []
    for f in reg.spec.named_fields:
        if f.width == 1 and not f.enum:
            out.append(("+" if f.extract(reg.value) else "-") + f.label)
    return " ".join(out)


def summary(reg: RegisterValue) -> str:
    """One line: phytool flags for single bits, ``name=value`` for the other fields."""
    parts = []
    for f in reg.spec.named_fields:
        raw = f.extract(reg.value)
        if f.width == 1 and not f.enum:
            parts.append(("+" if raw else "-") + f.label)
        elif f.enum:
            parts.append(f"{f.name}={f.meaning(raw)}")
        else:
            parts.append(f"{f.name}=0x{raw:x}")
    return " ".join(parts)


def table(reg: RegisterValue, color: bool = False) -> str:
    """A field table: bits, name, access, value and meaning, one line per field."""
    spec = reg.spec
    where = _location(reg)
    lines = [f"{spec.name} = 0x{reg.value:04x}  ({where}, {spec.title})"]
    width = max(len(f.name) for f in spec.fields)
    for f in spec.fields:
        raw = f.extract(reg.value)
        if f.reserved and raw == 0:
            continue
        shown = str(raw) if f.width == 1 else f"0x{raw:0{(f.width + 3) // 4}x}"
        meaning = "" if f.reserved else f.meaning(raw)
        line = f"  {f.bits:>5}  {f.name:<{width}}  {f.access:<2}  {shown:>6}  {meaning}"
        if color:
            line = (_BOLD + line + _RESET) if raw and not f.reserved else line
        lines.append(line.rstrip())
    summary = flags(reg)
    if summary:
        lines.append(f"  {summary}")
    return "\n".join(lines)


def _location(reg: RegisterValue) -> str:
    spec = reg.spec
    if spec.devad is not None:
        return f"register {spec.devad}.{spec.address}"
    if spec.page is not None:
        return f"page 0x{spec.page:x} register {spec.address}"
    if spec.space is not None:
        return f"indirect register {spec.space}:{spec.address:#x}"
    return f"register {spec.address}"


def mii_dump(reg: RegisterValue) -> str:
    """Lines of ``(mask:value) REG.BIT = v meaning`` as U-Boot's ``mii dump`` prints them."""
    spec = reg.spec
    lines = []
    for f in spec.named_fields:
        raw = f.extract(reg.value)
        shown = str(raw) if f.width == 1 else f"0x{raw:x}"
        text = f.name.replace("_", " ")
        if f.enum:
            text += f": {f.meaning(raw)}"
        lines.append(f"({f.mask:04x}:{f.insert(0, raw):04x}) {spec.key}.{f.bits} = {shown} {text}")
    return "\n".join(lines)


def html(reg: RegisterValue) -> str:
    """An HTML bit-field table for notebooks."""
    spec = reg.spec
    esc = _html.escape
    rows = []
    for f in spec.fields:
        raw = f.extract(reg.value)
        if f.reserved and raw == 0:
            continue
        meaning = "" if f.reserved else esc(f.meaning(raw))
        style = ' style="font-weight:bold"' if raw and not f.reserved else ""
        rows.append(
            f"<tr{style}><td>{esc(f.bits)}</td><td><code>{esc(f.name)}</code></td>"
            f'<td title="{esc(ACCESS_CODES[f.access])}">{esc(f.access)}</td>'
            f"<td>{raw:#x}</td><td>{meaning}</td></tr>"
        )
    return (
        f'<table class="physcapy-register"><caption><b>{esc(spec.name)}</b> = '
        f"<code>0x{reg.value:04x}</code> ({esc(_location(reg))}, {esc(spec.title)})</caption>"
        "<thead><tr><th>bits</th><th>field</th><th>access</th><th>value</th><th>meaning</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
