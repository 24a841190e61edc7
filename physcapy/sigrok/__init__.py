# SPDX-License-Identifier: GPL-2.0-only
"""A sigrok/PulseView protocol decoder, ``mdio_phy``, generated from the register
descriptions: register names, fields and driver sequences on the waveform.

``template/`` holds the decoder's code (GPL-2.0-or-later, portable down to Python 3.4,
standard library only: libsigrokdecode embeds the system Python); :mod:`.export`
writes it with a ``tables.json`` made from the loaded models, third-party packs
included.  May import registers and sim (for page aliases); nothing imports it but cli.
"""
