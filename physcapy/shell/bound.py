# SPDX-License-Identifier: GPL-2.0-only
"""Register values that remember where they were read, so a notebook can edit them.

``rd(1, "BMCR")`` in the shell or a notebook returns a :class:`BoundRegisterValue`:
the same value as :func:`~physcapy.bus.access.read_register` gives (a subclass of
the register's class: equal to it, an ``int``, the same fields, the same text and
HTML tables, pickled as the plain value), which also knows its bus, PHY address
and register.  In a live Jupyter kernel it shows as two outputs: the register's
static table (``text/html`` and ``text/plain``, exactly what it shows elsewhere)
and under it an **Edit** button (ipywidgets) that opens the
:class:`~physcapy.shell.editor.RegisterEditor` in place.  ``dump()`` does the same,
its bar (a register to pick, Edit) above its table.

Two outputs rather than one widget holding the table: a notebook saved without
widget state and opened again (trusted, as a user's own notebook is) shows a widget
output as "Error displaying widget: model not found"; so the table is an output of
its own that every renderer shows (JupyterLab, nbconvert, GitHub), and only the
button is lost.  Outside a kernel nothing changes and ipywidgets is not imported
(it is, on the first display in a kernel).

    >>> from physcapy.bus import open_bus
    >>> bus = open_bus("sim://")
    >>> v = bound_read(bus, 1, "BMCR")  # what rd(1, "BMCR") returns
    >>> v, v == 0x1140, v.autoneg_enable, hasattr(v, "_ipython_display_")
    (BMCR(0x1140), True, 1, False)
    >>> v.edit().toggles[14].value = True  # the editor on the same bus and register
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from physcapy.bus.access import read_register
from physcapy.registers.values import RegisterValue, register_class

if TYPE_CHECKING:
    from physcapy.bus.base import Bus
    from physcapy.registers.regdesc import RegisterSpec
    from physcapy.shell.editor import RegisterEditor

__all__ = ["BoundRegisterValue", "bind", "bound_read", "show_with_edit", "widgets_live"]


class BoundRegisterValue(RegisterValue):
    """A register value with the bus, PHY and register it was read from.

    Everything else is the register's value class: the slots below are underscored
    because field names are attributes (a field may be called ``model``)."""

    __slots__ = ("_bus", "_model", "_phy", "_reg")
    _bus: Bus
    _phy: int
    _reg: int | str
    _model: str | None

    def edit(self) -> RegisterEditor:
        """A register editor (ipywidgets) on the register this value was read from."""
        from physcapy.shell.editor import RegisterEditor

        return RegisterEditor(self._bus, self._phy, self._reg, self._model)

    def _copy(self) -> RegisterValue:
        return bind(type(self)(self._value), self._bus, self._phy, self._reg, self._model)

    @property
    def _ipython_display_(self) -> Callable[[], None]:
        # A property so that it exists only in a live kernel: elsewhere IPython finds
        # no such method and shows the value's tables (and Out[n]) as for any value.
        if not widgets_live():
            raise AttributeError("_ipython_display_")
        return lambda: show_with_edit(self, lambda: RegisterView(self), above=False)


@cache
def _bound_class(spec: RegisterSpec) -> type[BoundRegisterValue]:
    base = register_class(spec)
    # One class per register (cached): the register's class for isinstance, its name
    # for repr, and no new slots beyond BoundRegisterValue's.
    return type(spec.name, (BoundRegisterValue, base), {"__slots__": (), "__doc__": base.__doc__})


def bind(
    value: RegisterValue | int, bus: Bus, phy: int, reg: int | str, model: str | None = None
) -> Any:
    """``value`` (as read from ``reg`` of PHY ``phy`` on ``bus``) as a
    :class:`BoundRegisterValue`; a register without a description (a plain int) is
    returned as it is."""
    if not isinstance(value, RegisterValue):
        return value
    out = _bound_class(value.spec)(int(value))
    for name, v in (("_bus", bus), ("_phy", phy), ("_reg", reg), ("_model", model)):
        object.__setattr__(out, name, v)  # RegisterValue.__setattr__ sets fields
    return out


def bound_read(bus: Bus, phy: int, reg: int | str, model: str | None = None) -> Any:
    """:func:`~physcapy.bus.access.read_register`, bound to where it was read."""
    return bind(read_register(bus, phy, reg, model), bus, phy, reg, model)


# -- the live display ---------------------------------------------------------------------


def widgets_live() -> bool:
    """Whether a display may offer widgets: in a Jupyter kernel with ipywidgets
    installed (found without importing it).  A frontend without the widget manager
    still shows the ``text/html`` the bundle also carries."""
    from importlib.util import find_spec

    from physcapy.shell.panel import in_kernel

    return in_kernel() and find_spec("ipywidgets") is not None


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def static_bundle(obj: Any) -> dict[str, str]:
    """What ``obj`` shows on any page: its HTML table and its text table."""
    from IPython.lib.pretty import pretty

    return {"text/html": obj._repr_html_(), "text/plain": pretty(obj)}


def show_with_edit(obj: Any, view: Callable[[], _Opener], *, above: bool) -> None:
    """Display ``obj``'s static tables and the live ``view`` (its Edit bar) as two
    outputs, the bar under the table or ``above`` it.  The bar's ``text/plain`` is
    empty: a page without widgets shows nothing for it."""
    from IPython.display import display

    bar = view().widget._repr_mimebundle_()
    outputs = [static_bundle(obj), {WIDGET_VIEW: bar[WIDGET_VIEW], "text/plain": ""}]
    for bundle in reversed(outputs) if above else outputs:
        display(bundle, raw=True)


class _Opener:
    """The common part of the live views: an Edit button and the editor it opens
    (read afresh), one at a time, in a slot of the view."""

    widget: Any

    def __init__(self, tip: str) -> None:
        from physcapy.plugins import optional

        self.w = w = optional("ipywidgets", "notebook")
        self.button = w.Button(description="Edit", icon="pencil", tooltip=tip)
        self.button.layout.width = "6.5em"
        self.button.add_class("physcapy-edit")
        self.button.on_click(lambda _: self.toggle())
        self.status = w.HTML()
        self.editor: RegisterEditor | None = None
        self.slot = w.VBox([])

    def make_editor(self) -> RegisterEditor:
        raise NotImplementedError

    def toggle(self) -> None:
        """Open the editor, or close it when it is open."""
        from physcapy.errors import PhyscapyError

        if self.editor is not None:
            self.close()
            return
        try:
            self.editor = self.make_editor()
        except PhyscapyError as exc:  # a click's exception would only reach the log
            self.status.value = f"<span style='color:var(--jp-error-color1,red)'>{exc}</span>"
            return
        self.status.value = ""
        self.slot.children = [self.editor.widget]
        self.button.description, self.button.icon = "Close", "times"

    def close(self) -> None:
        """Close the editor (its widgets too: each holds a comm with the frontend)."""
        if self.editor is not None:
            _close(self.editor.widget)
        self.editor = None
        self.slot.children = []
        self.button.description, self.button.icon = "Edit", "pencil"


def _close(widget: Any) -> None:
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


class RegisterView(_Opener):
    """The live part of a register value's display: Edit, and the editor it opens."""

    def __init__(self, value: BoundRegisterValue) -> None:
        self.value = value
        super().__init__(f"edit {value.spec.name} of PHY {value._phy} on {value._bus.url}")
        w = self.w
        self.widget = w.VBox([w.HBox([self.button, self.status]), self.slot])
        self.widget.add_class("physcapy-live")

    def make_editor(self) -> RegisterEditor:
        return self.value.edit()


class DumpEditView(_Opener):
    """The live part of ``dump()``'s display: a register to pick, Edit, and the editor
    it opens (shown above the table: a dump is long)."""

    def __init__(self, values: list[tuple[str, BoundRegisterValue]]):
        self.values = [v for _, v in values]
        first = self.values[0]
        super().__init__(f"edit the register picked, PHY {first._phy} on {first._bus.url}")
        w = self.w
        options = [(f"{key} {v.spec.name}", i) for i, (key, v) in enumerate(values)]
        self.pick = w.Dropdown(options=options, layout=w.Layout(width="16em"))
        self.pick.add_class("physcapy-pick")
        # Another register picked while an editor is open: that one's editor instead.
        self.pick.observe(lambda _: self._reopen(), names="value")
        bar = w.HBox([w.Label("register"), self.pick, self.button, self.status])
        self.widget = w.VBox([bar, self.slot])
        self.widget.add_class("physcapy-live")

    def _reopen(self) -> None:
        if self.editor is not None:
            self.close()
            self.toggle()

    def make_editor(self) -> RegisterEditor:
        return self.values[self.pick.value].edit()
