# SPDX-License-Identifier: GPL-2.0-only
"""Vendor PHY drivers (phylib-reference.md §4), in registration order."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from physcapy.pal.device import Profile
    from physcapy.pal.driver import PhyDriver

__all__ = ["default_drivers"]


def default_drivers(profile: Profile) -> list[PhyDriver]:
    """Every vendor driver physcapy has, as the kernel would register them."""
    return []
