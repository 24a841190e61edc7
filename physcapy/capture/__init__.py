# SPDX-License-Identifier: GPL-2.0-only
"""Captures and session logs: what was on the wire, read and written.

Readers stream sigrok ``.sr`` (``sr``), VCD (``vcd``) and Saleae Logic 2 exports
(``saleae``) through a common interface (``base``); ``decode`` turns MDC/MDIO samples
into transactions, ``jsonl`` formats them in bulk, ``synth`` renders transactions back
into waveforms, and ``session`` reads and writes recorded sessions (JSONL with a
metadata line).  Devices and data: may import ``mdio`` and ``registers``, not buses.
"""
