# SPDX-License-Identifier: GPL-2.0-only
"""What to make of recorded MDIO traffic: annotation, replay and comparison.

``annotate`` names every register of a transaction list from the PHY its ID reads
identify (pages, 13/14 MMD access, driver sequences); ``replay`` performs a capture or
session on a bus and reports what the device answered differently; ``diff`` compares
two recordings.  Behaviour: may import the devices and data below (``sim``, ``bus``,
``capture``...), never ``pal``, ``shell`` or ``cli``.
"""
