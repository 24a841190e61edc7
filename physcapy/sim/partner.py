# SPDX-License-Identifier: GPL-2.0-only
"""The far end of the cable and IEEE 802.3 auto-negotiation arithmetic.

A :class:`LinkPartner` is what a simulated PHY sees on its wire: a switch port
or NIC with abilities, negotiating or forced, plugged or not.  The functions
here decide what two ends settle on (Annex 28B.3 priority, Clause 28.2.3.1
parallel detection, 40.5.2 MASTER-SLAVE resolution)::

    >>> p = LinkPartner.parse("100full,100half,pause")
    >>> resolve({"100full", "100half", "10full", "10half"}, p.abilities)
    '100full'
"""

from __future__ import annotations

from dataclasses import dataclass

from physcapy.errors import UnknownNameError

__all__ = ["ABILITIES", "PRIORITY", "SWITCH_PORT", "LinkPartner", "resolve", "resolve_master"]

#: Technology abilities, most preferred first (IEEE 802.3 Annex 28B.3 for 10-1000 Mb/s,
#: 28.2.3.2 note and Clause 55/126 for the multi-gigabit BASE-T modes; 100BASE-T2 and
#: 100BASE-T4 are left out: no PHY physcapy models has them).
PRIORITY = (
    "10000full",
    "5000full",
    "2500full",
    "1000full",
    "1000half",
    "100full",
    "100half",
    "10full",
    "10half",
)
#: Everything a partner string may name.
ABILITIES = (*PRIORITY, "pause", "asym_pause", "next_page")
_ALIASES = {
    "asym": "asym_pause",
    "np": "next_page",
    "1000": "1000full",
    "100": "100full",
    "10": "10full",
    "10g": "10000full",
    "10gfull": "10000full",
    "5g": "5000full",
    "2.5g": "2500full",
    "2500": "2500full",
    "all": "ALL",
}

#: A typical switch port: 10/100/1000 (no 1000 half duplex), symmetric and asymmetric pause.
DEFAULT_ABILITIES = frozenset(
    {"10half", "10full", "100half", "100full", "1000full", "pause", "asym_pause"}
)


@dataclass(frozen=True)
class LinkPartner:
    """The device at the other end of the cable.

    ``forced`` (``"100full"``...) makes it a partner that does not negotiate: the
    local PHY can then only link by parallel detection (10/100) or by being forced
    to the same mode.  ``master`` is its 1000BASE-T MASTER-SLAVE preference:
    ``"auto"`` (multiport switch port), ``"master"``/``"slave"`` (manual).
    """

    abilities: frozenset[str] = DEFAULT_ABILITIES
    forced: str | None = None
    plugged: bool = True
    master: str = "auto"
    multiport: bool = True
    remote_fault: bool = False

    @property
    def autoneg(self) -> bool:
        return self.forced is None

    @classmethod
    def parse(cls, text: str) -> LinkPartner | None:
        """``"100full,100half,pause"``, ``"forced-100full"``, ``"all"``, or ``"none"``
        (no cable: returns None)."""
        text = text.strip().lower()
        if text in ("none", "unplugged"):
            return None
        if not text:
            raise UnknownNameError(
                "partner",
                text,
                [*ABILITIES, "forced-<mode>", "none"],
                hint="write partner=none for no cable",
            )
        items = [t.strip().replace("-", "_") for t in text.split(",") if t.strip()]
        forced = None
        abilities: set[str] = set()
        master = "auto"
        for item in items:
            if item.startswith("forced_"):
                mode = item[len("forced_") :]
                mode = _ALIASES.get(mode, mode)
                if mode not in PRIORITY:
                    raise UnknownNameError("forced partner mode", mode, PRIORITY)
                if forced is not None:
                    raise UnknownNameError(
                        "partner",
                        text,
                        [f"forced-{m}" for m in PRIORITY],
                        hint="a forced partner has exactly one mode",
                    )
                forced = mode
                abilities.add(mode)
                continue
            if item in ("master", "slave"):
                master = item
                continue
            name = _ALIASES.get(item, item)
            if name == "ALL":
                abilities.update(ABILITIES)
                continue
            if name not in ABILITIES:
                raise UnknownNameError(
                    "partner ability",
                    item,
                    [*ABILITIES, "forced-<mode>", "master", "slave", "none"],
                )
            abilities.add(name)
        if not abilities & set(PRIORITY):
            raise UnknownNameError(
                "partner (no speed given)", text, PRIORITY, hint="name at least one of these"
            )
        return cls(frozenset(abilities), forced, True, master)

    def __str__(self) -> str:
        if not self.plugged:
            return "unplugged"
        if self.forced:
            return f"forced-{self.forced}"
        return ",".join(a for a in ABILITIES if a in self.abilities)


#: The partner a cable is plugged into unless told otherwise: a gigabit switch port.
SWITCH_PORT = LinkPartner()


def resolve(local: set[str] | frozenset[str], remote: set[str] | frozenset[str]) -> str | None:
    """The highest common denominator technology (Annex 28B.3), or None."""
    for mode in PRIORITY:
        if mode in local and mode in remote:
            return mode
    return None


def resolve_master(
    local_manual: bool, local_master: bool, local_multiport: bool, partner: LinkPartner
) -> bool | None:
    """1000BASE-T MASTER-SLAVE resolution (40.5.2); True = local is MASTER, None = fault.

    Two manual ends asking for the same role is a configuration fault.  A manual
    end gets its role; otherwise a multiport device becomes MASTER over a
    single-port one.  Between equals the standard draws random seeds; the
    simulation lets the partner win (local SLAVE) so runs are repeatable.
    """
    remote_manual = partner.master in ("master", "slave")
    if local_manual and remote_manual:
        remote_is_master = partner.master == "master"
        return None if local_master == remote_is_master else local_master
    if local_manual:
        return local_master
    if remote_manual:
        return partner.master == "slave"
    if local_multiport != partner.multiport:
        return local_multiport
    return False
