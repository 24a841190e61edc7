# SPDX-License-Identifier: GPL-2.0-only
"""The register editor (issue 19 item 5) without a browser: its widgets and the bus.
tests/test_browser.py clicks it in JupyterLab."""

from __future__ import annotations

import pytest

from physcapy.bus import open_bus
from physcapy.shell.editor import RegisterEditor


@pytest.mark.parametrize(
    "url", ["sim://lan8720a@1", "ftdi-emu://232h?wiring=tristate&phy=lan8720a@1"]
)
def test_edit_write_read_back_on_any_bus(url: str) -> None:
    bus = open_bus(url)
    ed = RegisterEditor(bus, 1, "BMCR")
    assert ed.value == bus.read(1, 0)
    ed.toggles[15].value = True  # reset: self-clearing
    ed.write()
    assert "wrote 0x" in ed.status.value
    bus.clock.advance(0.1)
    ed.read_back()
    assert not ed.toggles[15].value and "read 0x" in ed.status.value


def test_access_codes() -> None:
    ed = RegisterEditor(open_bus("sim://"), 1, "BMSR")
    assert all(t.disabled for t in ed.toggles.values())  # BMSR is read-only throughout
    assert ed.toggles[2].description == "2 LL" and ed.toggles[4].description == "4 LH"
    assert "link_status (LL, not writable)" in ed.toggles[2].tooltip
    bmcr = RegisterEditor(open_bus("sim://"), 1, "BMCR")
    assert bmcr.toggles[15].description == "15 SC" and not bmcr.toggles[12].disabled
    assert bmcr.toggles[0].disabled  # reserved


def test_enum_dropdown_sets_the_field() -> None:
    ed = RegisterEditor(open_bus("sim://lan8720a@1"), 1, "PSCSR")
    (name, dropdown), *_ = ed.dropdowns.items()
    assert name == "speed_indication" and dropdown.disabled  # read-only field
    ed2 = RegisterEditor(open_bus("sim://lan8720a@1"), 1, "SMR")
    mode = ed2.dropdowns["mode"]
    mode.value = 0b011
    assert (ed2.value >> 5) & 0b111 == 0b011 and ed2.toggles[6].value


def test_bad_register_names_suggest() -> None:
    from physcapy.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="did you mean BMCR"):
        RegisterEditor(open_bus("sim://"), 1, "BMCRR")


# -- the editor from a register's view: rd() and dump() values know their bus ----------------

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_rd_value_is_the_register_value_and_knows_its_bus() -> None:
    import copy
    import pickle

    from physcapy.registers.values import register_class
    from physcapy.shell.console import Console

    c = Console("sim://lan8720a@1")
    v = c.rd(1, "BMCR")
    plain = register_class(v.spec)(c.bus.read(1, 0))
    # The same value as an unbound read: class, equality, int-ness, fields, text.
    assert isinstance(v, type(plain)) and v == plain and v == int(plain) and hash(v) == hash(plain)
    assert repr(v) == repr(plain) == "BMCR(0x3000)" and hex(v) == "0x3000"
    assert v.autoneg_enable == 1 and v.fields() == plain.fields() and v.table() == plain.table()
    assert v._repr_html_() == plain._repr_html_()
    # Pickles as the plain value (a bus is no data); a copy keeps the bus.
    back = pickle.loads(pickle.dumps(v))
    assert back == v and type(back) is type(plain) and pickle.loads(pickle.dumps(plain)) == plain
    assert copy.copy(v)._bus is c.bus and copy.deepcopy(v) == v
    # Setting a field still sets the field (the binding is in underscored slots).
    v.loopback = 1
    assert int(v) == 0x7000 and c.bus.read(1, 0) == 0x3000  # nothing written
    # The editor it opens is on the same bus, PHY and register.
    ed = v.edit()
    assert (ed.bus, ed.phy, ed.reg, ed.value) == (c.bus, 1, "BMCR", 0x3000)
    # PHYSID2's field "model" is still the field (the binding's slots are underscored).
    assert c.rd(1, "PHYSID2").model == (0xC0F1 >> 4) & 0x3F


def _displayed(value: object) -> list[dict[str, object]]:
    """The outputs a cell ending in ``value`` makes (IPython's displayhook)."""
    from IPython.testing.globalipapp import get_ipython
    from IPython.utils.capture import capture_output

    formatter = get_ipython().display_formatter
    active = formatter.active_types
    formatter.active_types = list(formatter.formatters)  # as in a kernel, not a terminal
    try:
        with capture_output() as cap:
            fmt, _ = formatter.format(value)
            if fmt:  # no _ipython_display_: the displayhook would show this bundle
                from IPython.display import display

                display(fmt, raw=True)
    finally:
        formatter.active_types = active
    return [
        {k: v for k, v in o.data.items() if k in ("text/html", "text/plain", WIDGET_VIEW)}
        for o in cap.outputs
    ]


def test_display_without_a_widget_manager_is_the_static_table() -> None:
    from physcapy.shell.console import Console

    c = Console("sim://lan8720a@1")
    v = c.rd(1, "BMSR")
    (shown,) = _displayed(v)  # no kernel: one output, no widget
    assert sorted(shown) == ["text/html", "text/plain"]
    assert shown["text/html"] == v._repr_html_() and "link_status" in str(shown["text/html"])
    assert str(shown["text/plain"]).startswith("BMSR = 0x782d")
    ((dump),) = _displayed(c.dump(1))
    assert sorted(dump) == ["text/html", "text/plain"]


def test_display_in_a_kernel_adds_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    import physcapy.shell.panel
    from physcapy.shell.bound import RegisterView
    from physcapy.shell.console import Console

    monkeypatch.setattr(physcapy.shell.panel, "in_kernel", lambda: True)
    c = Console("sim://lan8720a@1")
    v = c.rd(1, "BMCR")
    # The table as on any page, then the Edit bar (nothing to show without widgets).
    table, bar = _displayed(v)
    assert table == {"text/html": v._repr_html_(), "text/plain": table["text/plain"]}
    assert str(table["text/plain"]).startswith("BMCR = 0x3000")
    assert sorted(bar) == [WIDGET_VIEW, "text/plain"] and bar["text/plain"] == ""
    view = RegisterView(v)
    assert view.button.description == "Edit" and view.slot.children == ()
    view.button.click()
    assert view.editor is not None and view.slot.children == (view.editor.widget,)
    view.editor.toggles[14].value = True  # loopback
    view.editor.write()
    assert c.bus.read(1, 0) == 0x7000 and "wrote 0x7000" in view.editor.status.value
    view.button.click()  # Close
    assert view.editor is None and view.slot.children == () and view.button.description == "Edit"
    view.button.click()  # opened again: read afresh
    assert view.editor is not None and view.editor.value == 0x7000
    # A value with no bus (BMCR(...), read_register) displays as before, kernel or not.
    from physcapy import BMCR

    assert [sorted(o) for o in _displayed(BMCR(0x1140))] == [["text/html", "text/plain"]]


def test_dump_in_a_kernel_edits_the_register_picked(monkeypatch: pytest.MonkeyPatch) -> None:
    import physcapy.shell.panel
    from physcapy.shell.bound import DumpEditView
    from physcapy.shell.console import Console

    monkeypatch.setattr(physcapy.shell.panel, "in_kernel", lambda: True)
    c = Console("sim://lan8720a@1,dp83848@3")
    d = c.dump(3)
    bar, table = _displayed(d)  # the bar above the (long) table
    assert WIDGET_VIEW in bar and table["text/html"] == d._repr_html_()
    view = DumpEditView(list(zip(d.keys, d, strict=True)))
    labels = [label for label, _ in view.pick.options]
    assert labels[:2] == ["0 BMCR", "1 BMSR"] and len(labels) == len(d)
    view.button.click()
    assert view.editor is not None and view.editor.reg == "BMCR" and view.editor.phy == 3
    view.pick.value = labels.index("4 ADVERTISE")  # another register: its editor instead
    assert view.editor is not None and view.editor.reg == "ADVERTISE"
    view.editor.toggles[8].value = not view.editor.toggles[8].value  # 100BASE-TX full
    view.editor.write()
    assert c.bus.read(3, 4) == view.editor.value


def test_edit_failure_is_shown_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from physcapy.errors import PhyscapyError
    from physcapy.shell.bound import RegisterView
    from physcapy.shell.console import Console

    c = Console("sim://lan8720a@1")
    view = RegisterView(c.rd(1, "BMCR"))

    def fail() -> None:
        raise PhyscapyError("PHY 1 did not answer")

    monkeypatch.setattr(view, "make_editor", fail)
    view.button.click()
    assert "PHY 1 did not answer" in view.status.value and view.editor is None


def test_no_widgets_imported_outside_a_kernel() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom physcapy.shell.console import Console\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "c = Console('sim://')\nfmt, _ = InteractiveShell.instance().display_formatter.format("
        "c.rd(1, 'BMCR'))\nfmt, _ = InteractiveShell.instance().display_formatter.format(c.dump(1))\n"
        "print(sorted(fmt), 'ipywidgets' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['text/html', 'text/plain'] False"
