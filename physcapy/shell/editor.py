# SPDX-License-Identifier: GPL-2.0-only
"""A register editor for notebooks: ``edit(1, "BMCR")`` (ipywidgets, on any bus).

One toggle per bit (MSB first), a dropdown per enum field, the value in hex as it
is being edited, and two buttons: **Write** puts the value on the bus, **Read back**
reads the register again.  Read-only bits (RO, LL, LH, RC) are disabled and
reserved ones too; self-clearing and latched bits carry their code on the toggle
(``15 SC``, ``2 LL``) and every toggle's tooltip names its field and access.
ipywidgets is imported here only, when an editor is made.

The widget state is the value being edited; nothing reaches the bus before Write::

    >>> from physcapy.bus import open_bus
    >>> bus = open_bus("sim://")
    >>> ed = RegisterEditor(bus, 1, "BMCR")
    >>> hex(ed.value), ed.toggles[14].disabled, ed.toggles[15].description
    ('0x1140', False, '15 SC')
    >>> ed.toggles[14].value = True  # loopback, not yet written
    >>> hex(ed.value), hex(bus.read(1, 0))
    ('0x5140', '0x1140')
    >>> ed.write(); hex(bus.read(1, 0))
    '0x5140'
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from physcapy.bus.access import read_register, write_register
from physcapy.errors import PhyscapyError

if TYPE_CHECKING:
    from physcapy.bus.base import Bus
    from physcapy.registers.regdesc import FieldSpec, RegisterSpec

__all__ = ["READ_ONLY", "RegisterEditor", "edit"]

#: Access codes whose bits a write cannot change.
READ_ONLY = frozenset({"RO", "LL", "LH", "RC"})
#: Access codes marked on the toggle (the others are plain RW or read-only greyed).
_MARKED = frozenset({"SC", "LL", "LH", "RC", "WO"})


class RegisterEditor:
    """The editor's widgets and logic; ``widget`` is what a notebook shows."""

    def __init__(self, bus: Bus, phy: int, reg: int | str, model: str | None = None):
        from physcapy.plugins import optional

        w = optional("ipywidgets", "notebook")
        self.bus, self.phy, self.model = bus, phy, model
        first = self._read(reg)
        self.spec: RegisterSpec = first.spec
        self.reg = self.spec.name
        self._value = int(first)
        self._quiet = False  # set while widgets are updated from code, not the user
        owner = {b: f for f in self.spec.fields for b in range(f.lsb, f.lsb + f.width)}
        self.toggles: dict[int, Any] = {}
        for b in range(15, -1, -1):
            self.toggles[b] = self._toggle(w, b, owner.get(b))
        self.dropdowns: dict[str, Any] = {}
        for f in self.spec.named_fields:
            if f.enum:
                self.dropdowns[f.name] = self._dropdown(w, f)
        self.hex = w.HTML(layout=w.Layout(margin="0 1em 0 0"))
        self.status = w.HTML()
        write = w.Button(description="Write", button_style="primary", icon="upload")
        read = w.Button(description="Read back", icon="refresh")
        write.on_click(lambda _: self._guarded(self.write))
        read.on_click(lambda _: self._guarded(self.read_back))
        write.add_class("physcapy-write")
        read.add_class("physcapy-read")
        title = w.HTML(
            f"<b>{self.spec.name}</b> <span style='opacity:.7'>PHY {phy}, "
            f"register {self.spec.key}: {self.spec.title}</span>"
        )
        bits = w.HBox(list(self.toggles.values()), layout=w.Layout(flex_flow="row wrap"))
        self.widget = w.VBox(
            [
                title,
                bits,
                *self.dropdowns.values(),
                w.HBox([self.hex, write, read, self.status]),
            ]
        )
        self.widget.add_class("physcapy-editor")
        self._refresh()

    # -- widgets ---------------------------------------------------------------------------

    def _toggle(self, w: Any, bit: int, f: FieldSpec | None) -> Any:
        access = f.access if f is not None else "RO"
        fixed = f is None or f.reserved or access in READ_ONLY
        label = f"{bit} {access}" if access in _MARKED else str(bit)
        name = "reserved" if f is None or f.reserved else f.name
        tip = f"bit {bit}: {name} ({access}{', not writable' if fixed else ''})"
        t = w.ToggleButton(
            # 16 of them fit one row of a notebook's output area (about 1000 px)
            description=label,
            tooltip=tip,
            disabled=fixed,
            layout=w.Layout(width="4em", padding="0 2px"),
        )
        t.add_class(f"physcapy-bit-{bit}")
        t.observe(lambda change, b=bit: self._bit_changed(b, change["new"]), names="value")
        return t

    def _dropdown(self, w: Any, f: FieldSpec) -> Any:
        options = [(f"{label} ({n})", n) for n, label in f.enum.items()]
        current = f.extract(self._value)
        if current not in f.enum:
            options.append((f"{current} (no name)", current))
        d = w.Dropdown(
            description=f.name,
            options=options,
            disabled=f.access in READ_ONLY,
            style={"description_width": "initial"},
        )
        d.observe(lambda change, fs=f: self._field_changed(fs, change["new"]), names="value")
        return d

    # -- the value -------------------------------------------------------------------------

    @property
    def value(self) -> int:
        """The value as edited (not necessarily written)."""
        return self._value

    def _bit_changed(self, bit: int, on: bool) -> None:
        if not self._quiet:
            self._value = self._value | (1 << bit) if on else self._value & ~(1 << bit)
            self._refresh()

    def _field_changed(self, f: FieldSpec, raw: int) -> None:
        if not self._quiet:
            self._value = f.insert(self._value, raw)
            self._refresh()

    def _refresh(self, note: str = "") -> None:
        self._quiet = True
        try:
            for b, t in self.toggles.items():
                t.value = bool(self._value >> b & 1)
                t.button_style = "info" if t.value else ""
            for name, d in self.dropdowns.items():
                raw = next(f for f in self.spec.fields if f.name == name).extract(self._value)
                with contextlib.suppress(Exception):  # a value with no name stays as is
                    d.value = raw
        finally:
            self._quiet = False
        self.hex.value = f"<code style='font-size:1.2em'>0x{self._value:04x}</code>"
        if note:
            self.status.value = note

    # -- the bus ---------------------------------------------------------------------------

    def _lock(self) -> Any:
        return self.bus.lock or contextlib.nullcontext()

    def _read(self, reg: int | str) -> Any:
        with self._lock():
            value = read_register(self.bus, self.phy, reg, self.model)
        if not hasattr(value, "spec"):
            raise PhyscapyError(
                f"register {reg!r} of PHY {self.phy} has no description: the editor needs "
                "one for its fields (give model=)"
            )
        return value

    def write(self) -> None:
        """Write the edited value to the register."""
        with self._lock():
            write_register(self.bus, self.phy, self.reg, self._value, self.model)
        self._refresh(f"wrote 0x{self._value:04x}")

    def read_back(self) -> None:
        """Read the register again (self-clearing bits show cleared, latches reset)."""
        self._value = int(self._read(self.reg))
        self._refresh(f"read 0x{self._value:04x}")

    def _guarded(self, action: Any) -> None:
        # A button callback's exception would vanish into the kernel log: say it here.
        try:
            action()
        except PhyscapyError as exc:
            self.status.value = f"<span style='color:var(--jp-error-color1,red)'>{exc}</span>"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def __repr__(self) -> str:
        return f"<RegisterEditor PHY {self.phy} {self.reg} 0x{self._value:04x}>"


def edit(bus: Bus, phy: int, reg: int | str, model: str | None = None) -> RegisterEditor:
    """An editor for register ``reg`` of PHY ``phy`` on ``bus``."""
    return RegisterEditor(bus, phy, reg, model)
