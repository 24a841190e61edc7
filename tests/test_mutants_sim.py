# SPDX-License-Identifier: GPL-2.0-only
"""The simulator's partner strings and scripted scenarios, pinned exactly (issue 23:
mutants of physcapy/sim/partner.py and physcapy/sim/phy.py)."""

from __future__ import annotations

import pytest

from physcapy import open_bus
from physcapy.errors import UnknownNameError
from physcapy.sim.partner import ABILITIES, DEFAULT_ABILITIES, LinkPartner

CHOICES = "10full, 10half, 100full, 100half, 1000full, 1000half, 2500full, 5000full, 10000full"


@pytest.mark.parametrize(
    ("text", "abilities", "forced", "master", "shown"),
    [
        ("100full", {"100full"}, None, "auto", "100full"),
        (" 100FULL , pause,asym ", {"100full", "pause", "asym_pause"}, None, "auto", "100full,pause,asym_pause"),
        ("1000,np,slave", {"1000full", "next_page"}, None, "slave", "1000full,next_page"),
        ("10g,5g,2.5g,2500,10,100,master", {"10000full", "5000full", "2500full", "10full", "100full"},
         None, "master", "10000full,5000full,2500full,100full,10full"),
        ("10gfull", {"10000full"}, None, "auto", "10000full"),
        ("forced-100full", {"100full"}, "100full", "auto", "forced-100full"),
        ("forced_10half,pause", {"10half", "pause"}, "10half", "auto", "forced-10half"),
        ("forced-1000", {"1000full"}, "1000full", "auto", "forced-1000full"),
        ("all", set(ABILITIES), None, "auto", ",".join(ABILITIES)),
    ],
)  # fmt: skip
def test_partner_strings(
    text: str, abilities: set[str], forced: str | None, master: str, shown: str
) -> None:
    p = LinkPartner.parse(text)
    assert p is not None
    assert (set(p.abilities), p.forced, p.master, p.plugged, p.autoneg) == (
        abilities, forced, master, True, forced is None,
    )  # fmt: skip
    assert str(p) == shown


@pytest.mark.parametrize("text", ["none", " None ", "UNPLUGGED"])
def test_no_cable(text: str) -> None:
    assert LinkPartner.parse(text) is None


def test_partner_defaults_and_an_unplugged_one() -> None:
    p = LinkPartner()
    assert (p.abilities, p.forced, p.plugged, p.master, p.multiport, p.remote_fault) == (
        DEFAULT_ABILITIES, None, True, "auto", True, False,
    )  # fmt: skip
    assert str(LinkPartner(plugged=False)) == "unplugged"
    assert str(LinkPartner(forced="10full", plugged=False)) == "unplugged"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"unknown partner '': choose from {CHOICES}, asym_pause, forced-<mode>, next_page, none, "
             "pause (write partner=none for no cable)"),
        ("  ", "unknown partner ''"),
        ("forced-42full", "unknown forced partner mode '42full': did you mean 2500full, 10full, "
                          f"100full? (choose from {CHOICES})"),
        ("forced-100full,forced-10half", "unknown partner 'forced-100full,forced-10half': did you mean"),
        ("forced-100full,forced-10half", "(a forced partner has exactly one mode)"),
        ("foo", f"unknown partner ability 'foo': choose from {CHOICES}, asym_pause, forced-<mode>, "
                "master, next_page, none, pause, slave"),
        ("pause", f"unknown partner (no speed given) 'pause': choose from {CHOICES} "
                  "(name at least one of these)"),
        ("master,slave", "unknown partner (no speed given) 'master,slave'"),
    ],
)  # fmt: skip
def test_bad_partner_strings_name_the_value_and_the_choices(text: str, message: str) -> None:
    with pytest.raises(UnknownNameError) as exc:
        LinkPartner.parse(text)
    assert message in str(exc.value)
    assert str(exc.value).startswith("unknown ")


def test_repr_shows_model_address_link_and_partner() -> None:
    assert repr(open_bus("sim://lan8720a@1").phy(1)) == (
        "<SimPhy lan8720a@1 link 100full, partner 1000full,100full,100half,10full,10half,pause,asym_pause>"
    )
    assert repr(open_bus("sim://rtl8211f@3?partner=none").phy(3)) == (
        "<SimPhy rtl8211f@3 no link, partner None>"
    )


def test_a_scripted_action_runs_when_the_phy_catches_up_with_the_clock() -> None:
    bus = open_bus("sim://lan8720a@1")
    phy = bus.phy(1)
    start = bus.clock.time()
    phy.at(start + 0.5, phy.unplug)
    assert bus.read(1, 1) & 0x0004  # link up, the action is not due
    assert phy.next_event_time() == pytest.approx(start + 0.5)
    bus.clock.advance(0.6)
    assert bus.read(1, 1) & 0x0004 == 0  # latched low: the cable went at +0.5 s
    assert repr(phy) == "<SimPhy lan8720a@1 no link, partner None>"
