# SPDX-License-Identifier: GPL-2.0-only
"""Registers: descriptions, models and the values built from them (the core).

``regdesc`` is the schema and validating loader of ``layers/*.toml``; ``models`` joins
the files into PHY models (the IEEE sets plus each vendor part) and finds register
packs; ``cache`` keeps parsed descriptions between runs; ``values`` makes the value
classes (``BMSR(0x796D).link_status``); ``display`` renders them as tables, phytool
flags, ``mii dump`` lines and HTML; ``cstructs`` and ``scapy`` are the construct and
Scapy layers of the same descriptions.  No I/O but reading descriptions; imports only
``physcapy.errors``, ``physcapy.resources`` and ``physcapy._version`` from outside.
"""
