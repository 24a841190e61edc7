# SPDX-License-Identifier: GPL-2.0-only
"""FTDI-attached MDIO: the MPSSE encoder (more of issue 6 to come: the ftdi:// bus and
the emulated chip)."""
