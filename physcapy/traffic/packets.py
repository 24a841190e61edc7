# SPDX-License-Identifier: GPL-2.0-only
"""Captures and sessions as Scapy packet lists, and packet lists as captures.

``rdcapture`` reads anything ``physcapy decode`` reads (sigrok ``.sr``, VCD, Saleae
CSV and binary exports) and session JSONL, and gives a Scapy ``PacketList`` of
``MDIO``/``MDIO45`` packets: ``.time`` from the capture, the turnaround as sampled, DATA
decoded as the register it is once the PHY's model is known (its PHYSID reads, the
session's metadata, or ``models=``), pages and Clause 45 addresses followed.  Frame
damage other than the turnaround is in each packet's ``comment``.  ``wrcapture`` renders
a packet list back to a capture through the waveform synthesiser, or to a session::

    >>> import tempfile, os
    >>> from physcapy.mdio.scapy import MDIO
    >>> p = MDIO(op="read", phyad=1, regad="BMSR", data=0x796D); p.time = 0.001
    >>> with tempfile.TemporaryDirectory() as d:
    ...     wrcapture(os.path.join(d, "x.vcd"), [p])
    ...     [q.summary() for q in rdcapture(os.path.join(d, "x.vcd"))]
    ['MDIO read PHY 1 BMSR = 0x796d / BMSR +100-f +100-h +10-f +10-h +ext-status +mf-preamble-suppression +aneg-complete +aneg-capable +link +ext-register']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from scapy.plist import PacketList

from physcapy.capture.synth import Timing, write_capture
from physcapy.errors import PhyscapyError
from physcapy.mdio.scapy import from_transaction, to_transaction
from physcapy.mdio.transactions import Transaction
from physcapy.traffic.annotate import Annotator

__all__ = ["rdcapture", "read_transactions", "wrcapture"]


def read_transactions(
    path: str | os.PathLike[str], mdc: str | int | None = None, mdio: str | int | None = None
) -> tuple[Iterator[Transaction], dict[int, str]]:
    """Transactions (streamed) of a capture or session, and the models it names."""
    text = str(path)
    if text.endswith(".jsonl"):
        from physcapy.capture.session import iter_session

        meta, transactions = iter_session(text)
        return iter(transactions), dict(meta.models)
    from physcapy.capture.decode import decode

    return decode(text, mdc=mdc, mdio=mdio), {}


def rdcapture(
    path: str | os.PathLike[str],
    *,
    models: dict[int, str] | None = None,
    mdc: str | int | None = None,
    mdio: str | int | None = None,
) -> PacketList:
    """A capture or session as a ``PacketList`` of dissected MDIO/MDIO45 packets."""
    transactions, known = read_transactions(path, mdc, mdio)
    annotator = Annotator({**known, **(models or {})})
    out: list[Any] = [from_transaction(t, annotator.annotate(t).spec) for t in transactions]
    return PacketList(out, name=Path(path).name)


def _transactions(pkts: Iterable[Any], mdc_freq: float) -> list[Transaction]:
    frame = 64 / mdc_freq  # preamble and frame, on the wire
    out = []
    for i, p in enumerate(pkts):
        if getattr(p, "time", None) is None:
            raise PhyscapyError(f"packet {i} has no .time: set it (seconds) to place it")
        out.append(to_transaction(p, end=float(p.time) + frame))
    return out


def wrcapture(
    path: str | Path,
    pkts: Iterable[Any],
    *,
    samplerate: float = 25e6,
    mdc_freq: float = 2.5e6,
) -> None:
    """Write packets (MDIO, MDIO45, each placed at its ``.time``) as ``.sr``, ``.vcd``,
    Saleae ``.csv`` or binary export (a directory), or as a session (``.jsonl``)."""
    transactions = _transactions(pkts, mdc_freq)
    if str(path).endswith(".jsonl"):
        from physcapy.capture.session import SessionMeta, SessionWriter

        writer = SessionWriter(path, SessionMeta(source="physcapy wrcapture"))
        try:
            writer.write_all(transactions)
        finally:
            writer.close()
        return
    timing = Timing(samplerate=samplerate, mdc_hz=mdc_freq)
    timing.check()
    write_capture(path, transactions, timing)
