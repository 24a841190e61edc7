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
