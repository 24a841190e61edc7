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


__all__ = ["CSS", "bits", "flags", "html", "mii_dump", "summary", "table"]

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


#: The stylesheet of every physcapy HTML view (register tables, dumps, reports):
#: JupyterLab's theme variables, with fallbacks, so light and dark themes both read;
#: alignment set here because JupyterLab right-aligns table cells (with a selector of
#: specificity 0,2,1: ``.physcapy table.physcapy td`` is 0,2,2 and wins).
CSS = """<style>
.physcapy{color:var(--jp-content-font-color1,inherit)}
.physcapy table.physcapy{border-collapse:collapse;margin:4px 0;font-size:var(--jp-code-font-size,12px)}
.physcapy table.physcapy caption{text-align:left;caption-side:top;padding:2px 0;
 color:var(--jp-content-font-color1,inherit)}
.physcapy table.physcapy th,.physcapy table.physcapy td{text-align:left;vertical-align:top;padding:1px 8px;
 border:none;border-bottom:1px solid var(--jp-border-color2,#ddd);white-space:nowrap}
.physcapy table.physcapy th{color:var(--jp-content-font-color2,#555);font-weight:600}
.physcapy table.physcapy td.num,.physcapy table.physcapy th.num{text-align:right;font-variant-numeric:tabular-nums}
.physcapy table.physcapy td.wrap{white-space:normal;max-width:48em}
.physcapy code,.physcapy .mono{font-family:var(--jp-code-font-family,monospace)}
.physcapy .dim{color:var(--jp-content-font-color3,#888)}
.physcapy .set{color:var(--jp-brand-color1,#1565c0);font-weight:600}
.physcapy .ok{color:var(--jp-success-color1,#2e7d32)}
.physcapy .bad{color:var(--jp-error-color1,#c62828)}
.physcapy .warn{color:var(--jp-warn-color1,#ef6c00)}
.physcapy .info{color:var(--jp-info-color1,#00838f)}
.physcapy .bits{display:inline-flex;font-family:var(--jp-code-font-family,monospace)}
.physcapy .bits span{width:1.15em;text-align:center;margin-left:1px;
 border:1px solid var(--jp-border-color1,#bbb);color:var(--jp-content-font-color2,#555)}
.physcapy .bits span.f{margin-left:4px}
.physcapy .bits span.b1{background:var(--jp-brand-color1,#1565c0);
 color:var(--jp-ui-inverse-font-color0,#fff)}
.physcapy .bits span.r{border-style:dotted;opacity:.6}
.physcapy details>summary{cursor:pointer}
</style>"""


def bits(reg: RegisterValue) -> str:
    """The 16 bits as a row of boxes, MSB first: set bits filled, a gap where a field
    starts, reserved bits dotted, each box titled with its bit and field."""
    spec = reg.spec
    owner = {b: f for f in spec.fields for b in range(f.lsb, f.lsb + f.width)}
    out = []
    for b in range(15, -1, -1):
        field = owner.get(b)
        on = (reg.value >> b) & 1
        classes = [
            c
            for c, yes in (
                ("b1", on),
                ("f", field and b == field.lsb + field.width - 1 and b != 15),
                ("r", field is None or field.reserved),
            )
            if yes
        ]
        title = f"{b}: {field.name} ({field.access})" if field else f"{b}: -"
        cls = f' class="{" ".join(classes)}"' if classes else ""
        out.append(f'<span{cls} title="{_html.escape(title)}">{on}</span>')
    return f'<span class="bits">{"".join(out)}</span>'


def html(reg: RegisterValue, style: bool = True) -> str:
    """An HTML bit-field table for notebooks: the 16 bits, then one row per field
    (bits, name, access, value, meaning); ``style=False`` leaves the stylesheet out
    (a dump shows it once for all its registers)."""
    spec = reg.spec
    esc = _html.escape
    rows = []
    for f in spec.fields:
        raw = f.extract(reg.value)
        if f.reserved and raw == 0:
            continue
        meaning = "" if f.reserved else esc(f.meaning(raw))
        shown = str(raw) if f.width == 1 else f"0x{raw:0{(f.width + 3) // 4}x}"
        on = ' class="num set"' if raw and not f.reserved else ' class="num"'
        rows.append(
            f'<tr><td class="num">{esc(f.bits)}</td><td><code>{esc(f.name)}</code></td>'
            f'<td title="{esc(ACCESS_CODES[f.access])}">{esc(f.access)}</td>'
            f'<td{on}>{shown}</td><td class="wrap">{meaning}</td></tr>'
        )
    table = (
        f'<table class="physcapy physcapy-register"><caption><b>{esc(spec.name)}</b> = '
        f'<code>0x{reg.value:04x}</code> {bits(reg)} <span class="dim">'
        f"({esc(_location(reg))}, {esc(spec.title)})</span></caption>"
        '<thead><tr><th class="num">bits</th><th>field</th><th>access</th>'
        f'<th class="num">value</th><th>meaning</th></tr></thead><tbody>{"".join(rows)}'
        "</tbody></table>"
    )
    return f'<div class="physcapy">{CSS}{table}</div>' if style else table
