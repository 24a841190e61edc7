# SPDX-License-Identifier: GPL-2.0-only
"""``sim://``: simulated PHYs that behave like silicon.

``config`` turns a model (``physcapy.registers``) into per-register access semantics;
``phy`` is one simulated PHY (latched bits, soft reset, pages, MMDs, faults); ``partner``
is the link partner and its auto-negotiation timing; ``bus`` is the ``sim://`` back end.
Devices and data: may import ``bus``, ``capture``, ``mdio`` and ``registers``.
"""
