# SPDX-License-Identifier: GPL-2.0-only
"""``ftdi://`` and ``ftdi-emu://``: MDIO through an FTDI chip, real or emulated.

``mpsse`` and ``bitbang`` encode frames as the chip's byte streams; ``port`` and
``device`` talk to the chip through pyftdi; ``portbus``, ``mpssebus`` and ``bitbangbus``
are the bus back ends; ``emulator`` is a pin-level FTDI chip wired to simulated PHYs and
``emubus`` the ``ftdi-emu://`` back end on it.  Devices and data: may import ``sim``
(the emulator's PHYs), ``bus``, ``capture``, ``mdio`` and ``registers``.
"""
