# SPDX-License-Identifier: GPL-2.0-only
"""MDIO on the wire, without the wire: frames, transactions and their Scapy layers.

``frames`` builds and parses Clause 22/45 frames bit for bit (IEEE 802.3 22.2.4.5 and
45.3); ``batch`` is the numpy codec for millions of them; ``transactions`` is the record
of one access (design.md §3.4); ``scapy`` holds the ``MDIO``/``MDIO45`` packets.  The
core: may import ``physcapy.registers`` (register names for REGAD) and nothing above.
"""
