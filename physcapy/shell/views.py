# SPDX-License-Identifier: GPL-2.0-only
"""How physcapy's results look when a user evaluates them: HTML in a notebook, text
in the terminal.

:class:`DumpView` (``dump(1)``) and :class:`ScanView` (``scan()``) are lists that
show as one compact table; reports made below the shell (replay, diff, PAL events,
the bus) get their views through :func:`register_formatters`, which
``%load_ext physcapy`` calls.  Only what differs is listed, values in hex, absent
PHYs folded to one line, long lists cut with "N more"::

    >>> from physcapy.bus import open_bus
    >>> from physcapy.bus.access import scan
    >>> v = ScanView(scan(open_bus("sim://lan8720a@1,dp83848@3")))
    >>> print(v.text())
    PHY  clause  ID          OUI       model     link
      1  C22     0x0007c0f1  00:80:0f  lan8720a  up
      3  C22     0x20005c90  10:00:e8  dp83848   up
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from physcapy.shell.html import ROW_LIMIT, cell, esc, hex16, limited, more_row, styled, table

if TYPE_CHECKING:
    from physcapy.bus.access import ScanEntry
    from physcapy.bus.base import Bus
    from physcapy.pal.events import Event
    from physcapy.traffic.diff import Diff, RegisterDiff
    from physcapy.traffic.replay import Mismatch, ReplayReport

__all__ = [
    "DumpView",
    "ScanView",
    "bus_html",
    "diff_html",
    "diff_text",
    "events_html",
    "events_text",
    "register_formatters",
    "replay_html",
    "replay_text",
]


def _columns(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> str:
    """Rows of text as aligned columns (``right``: the columns aligned right)."""
    right = set(right)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    )


# -- registers ----------------------------------------------------------------------------


class DumpView(list[Any]):
    """``dump(phy)``: the register values (and unreadable rows) of one PHY, shown as one
    table -- address, name, value, its 16 bits, the set flags -- each row opening to
    the register's field table."""

    def __init__(self, items: Iterable[Any], phy: int, model: str, keys: Sequence[str]):
        super().__init__(items)
        self.phy = phy
        self.model = model
        self.keys = list(keys)

    def _rows(self) -> Iterable[tuple[str, Any]]:
        return zip(self.keys, self, strict=True)

    def text(self) -> str:
        rows = [["reg", "name", "value", "flags / fields"]]
        for key, v in self._rows():
            if not hasattr(v, "spec"):
                rows.append([key, "", "", str(v)])
                continue
            from physcapy.registers.display import summary

            rows.append([key, v.spec.name, f"0x{int(v):04x}", summary(v)])
        return f"PHY {self.phy} ({self.model}), {len(self)} registers\n" + _columns(rows, [0])

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("DumpView(...)" if cycle else self.text())

    @property
    def _ipython_display_(self) -> Any:
        # In a live kernel, above the table: Edit for a register picked from it (the
        # values know their bus: Console.dump binds them).  Elsewhere, and for a dump
        # of values that know no bus, IPython finds no such method: the tables as usual.
        from physcapy.shell.bound import (
            BoundRegisterValue,
            DumpEditView,
            show_with_edit,
            widgets_live,
        )

        bound = [(k, v) for k, v in self._rows() if isinstance(v, BoundRegisterValue)]
        if not bound or not widgets_live():
            raise AttributeError("_ipython_display_")
        return lambda: show_with_edit(self, lambda: DumpEditView(bound), above=True)

    def _repr_html_(self) -> str:
        from physcapy.registers.display import bits, flags, html

        rows = []
        for key, v in self._rows():
            if not hasattr(v, "spec"):
                rows.append([cell(key, "num"), cell(""), cell(""), cell(""), cell(v, "bad")])
                continue
            detail = (
                f"<details><summary>{esc(flags(v) or v.spec.title)}</summary>"
                f"{html(v, style=False)}</details>"
            )
            rows.append(
                [
                    cell(key, "num"),
                    cell(f"<code>{esc(v.spec.name)}</code>", raw=True, title=v.spec.title),
                    cell(f"<code>0x{int(v):04x}</code>", raw=True),
                    cell(bits(v), raw=True),
                    cell(detail, "wrap", raw=True),
                ]
            )
        caption = f"PHY {self.phy} ({self.model}): {len(self)} registers"
        return styled(
            table(["reg", "name", "value", "bits 15..0", "flags (open for fields)"], rows, caption)
        )


# -- the bus and what is on it --------------------------------------------------------------


class ScanView(list["ScanEntry"]):
    """``scan()``: the PHYs found, their IDs in hex, the model matched and the link."""

    def _row(self, e: ScanEntry) -> list[str]:
        link = {True: "up", False: "down", None: "?"}[e.link]
        every = " (every address)" if e.all_addresses else ""
        return [
            str(e.address),
            f"C{e.clause}",
            f"0x{e.phy_id:08x}",
            e.oui,
            (e.model or "?") + every,
            link,
        ]

    def text(self) -> str:
        if not self:
            return "no PHY answered"
        return _columns(
            [["PHY", "clause", "ID", "OUI", "model", "link"], *map(self._row, self)], [0]
        )

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("ScanView(...)" if cycle else self.text())

    def _repr_html_(self) -> str:
        rows = []
        for e in self:
            r = self._row(e)
            linked = {"up": "ok", "down": "bad"}.get(r[5], "dim")
            rows.append(
                [
                    cell(r[0], "num"),
                    cell(r[1]),
                    cell(r[2], "mono"),
                    cell(r[3], "mono"),
                    cell(r[4]),
                    cell(r[5], linked),
                ]
            )
        caption = (
            f"{len(self)} PHY{'s' if len(self) != 1 else ''} found" if self else "no PHY answered"
        )
        return styled(table(["PHY", "clause", "ID", "OUI", "model", "link"], rows, caption))


def _sim_phys(bus: Bus) -> dict[int, Any]:
    sim = getattr(bus, "sim", bus)
    return dict(getattr(sim, "phys", {}) or {})


def bus_rows(bus: Bus) -> list[list[str]]:
    """What the bus knows without a frame on the wire: the configured PHYs, their
    models' IDs and, for simulated PHYs, the simulated link."""
    from physcapy.registers.models import model

    sims = _sim_phys(bus)
    rows = []
    for address, name in bus.known_models().items():
        m = model(name)
        ident = f"0x{m.phy_id:08x}" if m.phy_id is not None else "?"
        phy = sims.get(address)
        link = "?" if phy is None else (f"up {phy.mode}" if phy.link else "down")
        rows.append([str(address), name, ident, link])
    return rows


def bus_text(bus: Bus) -> str:
    clock = "virtual" if bus.clock.virtual else "real"
    head = f"{bus.url}  ({type(bus).__name__}, {clock} time)"
    rows = bus_rows(bus)
    if not rows:
        return head + "\nno PHYs configured: scan() probes the bus"
    return head + "\n" + _columns([["PHY", "model", "ID", "link"], *rows], [0])


def bus_html(bus: Bus) -> str:
    clock = "virtual" if bus.clock.virtual else "real"
    rows = [
        [
            cell(a, "num"),
            cell(n),
            cell(i, "mono"),
            cell(link, "ok" if link.startswith("up") else "bad" if link == "down" else "dim"),
        ]
        for a, n, i, link in bus_rows(bus)
    ]
    caption = f"<code>{esc(bus.url)}</code> <span class='dim'>({esc(type(bus).__name__)}, {clock} time; scan() probes it)</span>"
    return styled(table(["PHY", "model", "ID", "link"], rows, caption, raw_caption=True))


# -- replay and diff reports ----------------------------------------------------------------


def _spans(numbers: Sequence[int]) -> str:
    """``0, 2-31``."""
    out: list[str] = []
    for n in sorted(numbers):
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def _absent(m: Mismatch) -> bool:
    return m.note == "no turnaround from the device" or (m.actual < 0 and "no PHY" in m.note)


def _split_replay(r: ReplayReport) -> tuple[list[Mismatch], dict[int, list[Mismatch]]]:
    """The mismatches to list, and those of PHYs that never answered, by PHY."""
    by_phy: dict[int, list[Mismatch]] = {}
    for m in r.mismatches:
        by_phy.setdefault(m.phy, []).append(m)
    absent = {phy: ms for phy, ms in by_phy.items() if all(_absent(m) for m in ms)}
    return [m for m in r.mismatches if m.phy not in absent], absent


def _summary_line(r: ReplayReport) -> str:
    s = r.summary
    verdict = "matches" if r.ok else "differs"
    parts = [
        f"{s['reads']} reads",
        f"{s['matched']} matched",
        f"{s['mismatched']} mismatched",
        f"{s['writes']} writes",
    ]
    parts += [f"{s[k]} {k}" for k in ("errors", "ignored", "skipped") if s[k]]
    return f"replay {verdict}: " + ", ".join(parts)


def _fields(fields: dict[str, list[Any]]) -> str:
    return ", ".join(f"{k} {a}\u2192{b}" for k, (a, b) in fields.items())


def replay_text(r: ReplayReport, limit: int = ROW_LIMIT) -> str:
    shown, absent = _split_replay(r)
    lines = [_summary_line(r)]
    head, hidden = limited(shown, limit)
    lines += [str(m) for m in head]
    if hidden:
        lines.append(f"... {hidden} more mismatches")
    if absent:
        n = sum(len(ms) for ms in absent.values())
        lines.append(
            f"PHY {_spans(list(absent))}: absent on the device ({n} reads without an answer)"
        )
    return "\n".join(lines)


def replay_html(r: ReplayReport, limit: int = ROW_LIMIT) -> str:
    shown, absent = _split_replay(r)
    head, hidden = limited(shown, limit)
    rows: list[Sequence[str] | str] = []
    for m in head:
        name = f"{m.name or '?'} ({m.reg})"
        if m.actual < 0:
            rows.append(
                [
                    cell(f"{m.t:.7f}", "num"),
                    cell(m.phy, "num"),
                    cell(name),
                    cell(hex16(m.expected), "mono"),
                    cell("error", "bad"),
                    cell(m.note, "wrap bad"),
                ]
            )
            continue
        what = _fields(m.fields) + (f" [{m.note}]" if m.note else "")
        rows.append(
            [
                cell(f"{m.t:.7f}", "num"),
                cell(m.phy, "num"),
                cell(name),
                cell(hex16(m.expected), "mono"),
                cell(hex16(m.actual), "mono bad"),
                cell(what, "wrap"),
            ]
        )
    if hidden:
        rows.append(more_row(hidden, 6, "mismatches"))
    if absent:
        n = sum(len(ms) for ms in absent.values())
        rows.append(
            f'<tr><td class="dim" colspan="6">PHY {esc(_spans(list(absent)))}: absent on the device ({n} reads without an answer)</td></tr>'
        )
    caption = f"<span class='{'ok' if r.ok else 'bad'}'>{esc(_summary_line(r))}</span>"
    if not rows:
        return styled(f"<div>{caption}</div>")
    return styled(
        table(
            ["t (s)", "PHY", "register", "capture", "device", "fields (capture\u2192device)"],
            rows,
            caption,
            raw_caption=True,
        )
    )


def _value(v: int | str | None) -> str:
    return "not read" if v is None else v if isinstance(v, str) else f"0x{v:04x}"


def _split_diff(
    d: Diff,
) -> tuple[list[RegisterDiff], list[RegisterDiff], dict[int, list[RegisterDiff]]]:
    """Registers both sides read with different values; read on one side only; and
    the PHYs no side got a value from (absent), by PHY."""
    both: list[RegisterDiff] = []
    one: list[RegisterDiff] = []
    by_phy: dict[int, list[RegisterDiff]] = {}
    for r in d.registers:
        by_phy.setdefault(r.phy, []).append(r)
    absent = {
        phy: rs
        for phy, rs in by_phy.items()
        if all(not isinstance(x, int) for r in rs for x in (r.a, r.b))
    }
    for r in d.registers:
        if r.phy in absent:
            continue
        (both if isinstance(r.a, int) and isinstance(r.b, int) else one).append(r)
    return both, one, absent


def _absent_line(absent: dict[int, list[RegisterDiff]]) -> str:
    names = sorted({r.name or r.key for rs in absent.values() for r in rs})
    return f"PHY {_spans(list(absent))}: no value on either side (not read or no answer: {', '.join(names)})"


def diff_text(d: Diff, limit: int = ROW_LIMIT) -> str:
    if d.same:
        return "no difference"
    both, one, absent = _split_diff(d)
    lines = [
        f"{len(both)} registers differ" + (f", {len(one)} read on one side only" if one else "")
    ]
    lines += [str(r) for r in [*both, *one][:limit]]
    if len(both) + len(one) > limit:
        lines.append(f"... {len(both) + len(one) - limit} more")
    if absent:
        lines.append(_absent_line(absent))
    if d.writes_differ:
        lines.append("writes differ:")
        lines += [f"  {x}" for x in d.write_delta()]
    lines += [f"written differently: {r}" for r in d.written]
    return "\n".join(lines)


def diff_html(d: Diff, limit: int = ROW_LIMIT) -> str:
    if d.same:
        return styled("<div class='ok'>no difference</div>")
    both, one, absent = _split_diff(d)

    def row(r: RegisterDiff) -> list[str]:
        return [
            cell(r.phy, "num"),
            cell(f"{r.name or '?'} ({r.key})"),
            cell(_value(r.a), "mono" if isinstance(r.a, int) else "dim"),
            cell(_value(r.b), "mono" if isinstance(r.b, int) else "dim"),
            cell(_fields(r.fields), "wrap"),
        ]

    head = ["PHY", "register", "A", "B", "fields (A\u2192B)"]
    rows: list[Sequence[str] | str] = [row(r) for r in both[:limit]]
    if len(both) > limit:
        rows.append(more_row(len(both) - limit, 5))
    if absent:
        rows.append(f'<tr><td class="dim" colspan="5">{esc(_absent_line(absent))}</td></tr>')
    out = table(head, rows, f"{len(both)} registers read on both sides differ")
    if one:
        shown, hidden = limited(one, limit)
        extra: list[Sequence[str] | str] = [row(r) for r in shown]
        if hidden:
            extra.append(more_row(hidden, 5))
        out += f"<details><summary>{len(one)} registers read on one side only</summary>{table(head, extra)}</details>"
    if d.writes_differ:
        delta = "".join(
            f"<div class='mono {'bad' if x.startswith('-') else 'ok'}'>{esc(x)}</div>"
            for x in d.write_delta()
        )
        out += f"<details><summary>the writes differ ({len(d.write_delta())} lines)</summary>{delta}</details>"
    if d.written:
        out += table(head, [row(r) for r in d.written], "registers both sides wrote, differently")
    return styled(out)


# -- PAL events ------------------------------------------------------------------------------

#: What the events table shows (the MDIO frames are there but left out, as
#: ``physcapy pal`` leaves them out of its text).
SHOWN_KINDS = ("state", "carrier", "adjust_link", "log")
_KIND_CLASS = {"state": "info", "carrier": "ok", "adjust_link": "set", "log": ""}


def _what(e: Event) -> str:
    return str(e).split(None, 3)[-1] if e.kind != "log" else e.data["text"]


def events_text(log: Sequence[Event], limit: int = ROW_LIMIT) -> str:
    shown = [e for e in log if e.kind in SHOWN_KINDS]
    hidden_mdio = len(log) - len(shown)
    head = f"{len(shown)} events" + (
        f" ({hidden_mdio} MDIO transactions not shown)" if hidden_mdio else ""
    )
    cut = max(0, len(shown) - limit)
    lines = [head] + ([f"... {cut} earlier events"] if cut else []) + [str(e) for e in shown[cut:]]
    return "\n".join(lines)


def events_html(log: Sequence[Event], limit: int = ROW_LIMIT) -> str:
    """The last ``limit`` events, each kind in its theme colour, "N more" above them."""
    shown = [e for e in log if e.kind in SHOWN_KINDS]
    cut = max(0, len(shown) - limit)
    rows: list[Sequence[str] | str] = [more_row(cut, 4, "earlier events")] if cut else []
    for e in shown[cut:]:
        rows.append(
            [
                cell(f"{e.t:.6f}", "num"),
                cell(e.phy),
                cell(e.kind, _KIND_CLASS[e.kind]),
                cell(_what(e), "wrap"),
            ]
        )
    hidden_mdio = len(log) - len(shown)
    caption = f"{len(shown)} events" + (
        f" ({hidden_mdio} MDIO transactions not shown)" if hidden_mdio else ""
    )
    return styled(table(["t (s)", "PHY", "event", "what"], rows, caption))


def register_formatters(ip: Any) -> None:
    """Teach ``ip`` the views of objects made below the shell.  By class name, so that
    nothing is imported for it (the shell's start-up stays short) and subclasses
    (``SimBus``) and objects made before the extension was loaded are covered."""
    formatters = ip.display_formatter.formatters
    html, plain = formatters["text/html"], formatters["text/plain"]
    for module, name, to_html, to_text in (
        ("physcapy.pal.events", "EventLog", events_html, events_text),
        ("physcapy.traffic.replay", "ReplayReport", replay_html, replay_text),
        ("physcapy.traffic.diff", "Diff", diff_html, diff_text),
        ("physcapy.bus.base", "Bus", bus_html, bus_text),
    ):
        html.for_type_by_name(module, name, to_html)
        plain.for_type_by_name(module, name, lambda obj, p, cycle, f=to_text: p.text(f(obj)))
