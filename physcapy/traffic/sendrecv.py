# SPDX-License-Identifier: GPL-2.0-only
"""Scapy's ``sr``, ``sr1``, ``srloop``, ``send`` and ``sniff``, on MDIO buses.

They take Scapy's arguments and give Scapy's results (``SndRcvList``, ``PacketList``),
through Scapy's own ``sndrcv`` and ``sniff`` on an :class:`MDIOSocket`.  The bus is
``bus=``, else ``conf.bus`` (the shell keeps it on its current bus), else ``sim://``::

    >>> from physcapy import open_bus
    >>> from physcapy.mdio.scapy import MDIO
    >>> bus = open_bus("sim://lan8720a@1,dp83848@3?partner=none")
    >>> ans, unans = sr(MDIO(op="read", phyad=[1, 2, 3], regad="PHYSID1"), bus=bus)
    >>> [(a.phyad, hex(a.data)) for _, a in ans], [u.phyad for u in unans]
    ([(1, '0x7'), (3, '0x2000')], [2])
    >>> sr1(MDIO(op="read", phyad=1, regad=31), bus=bus)[MDIO].payload.name
    'PSCSR (PHY Special Control/Status)'

``sr(fuzz(MDIO(op="write", phyad=1, regad=(0, 31))), count=100, seed=7)`` is a
register-fuzzing session that runs the same way each time: the fuzzed fields are drawn
from Python's ``random`` seeded with ``seed``, and the packets recorded as sent are the
frames that went out (fixed values, not new random draws).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable
from typing import Any

from scapy.packet import NoPayload, Packet
from scapy.plist import PacketList, SndRcvList
from scapy.volatile import VolatileValue

from physcapy.bus.base import Bus
from physcapy.errors import PhyscapyError
from physcapy.mdio.frames import Frame, c45_over_c22_frames
from physcapy.mdio.scapy import MDIO, from_frame, to_frame
from physcapy.traffic.socket import MDIOSocket, is_single

__all__ = ["c45_over_c22_packets", "conf", "send", "sniff", "sr", "sr1", "srloop"]


class SendRecvConf:
    """Where ``sr()`` and friends go when no ``bus=`` is given."""

    def __init__(self) -> None:
        #: The default bus; ``sim://`` is opened for it on first use.
        self.bus: Bus | None = None
        #: Where the default bus is asked for first (the shell: its current bus).
        self.bus_source: Callable[[], Bus] | None = None

    def default_bus(self) -> Bus:
        if self.bus_source is not None:
            return self.bus_source()
        if self.bus is None:
            from physcapy.bus import open_bus

            self.bus = open_bus("sim://")
        return self.bus


conf = SendRecvConf()


def _bus(bus: Bus | str | None) -> Bus:
    if bus is None:
        return conf.default_bus()
    if isinstance(bus, str):
        from physcapy.bus import open_bus

        return open_bus(bus)
    if not isinstance(bus, Bus):
        raise PhyscapyError(f"bus must be a physcapy Bus or a bus URL, not {bus!r}")
    return bus


def _volatile(p: Packet) -> bool:
    layer: Any = p
    while isinstance(layer, Packet) and not isinstance(layer, NoPayload):
        if any(isinstance(v, VolatileValue) for v in layer.fields.values()) or any(
            isinstance(v, VolatileValue) for v in layer.default_fields.values()
        ):
            return True
        layer = layer.payload
    return False


def _fixed(p: Any) -> Any:
    """A fuzzed packet with its random values drawn once: what goes out is what is kept."""
    if not isinstance(p, Packet) or not _volatile(p):
        return p
    frozen = type(p)(bytes(p))
    frozen.time = p.time
    return frozen


def _expand(pkts: Any, count: int) -> list[Any]:
    """The packets to send: implicit sets expanded, ``count`` rounds, fuzz fixed."""
    if isinstance(pkts, (Packet, Frame)):
        pkts = [pkts]
    if count < 1:
        raise PhyscapyError(f"count {count} is out of range: allowed 1 or more")
    if isinstance(pkts, (str, bytes)) or not isinstance(pkts, Iterable):
        raise PhyscapyError(f"cannot send {pkts!r}: allowed MDIO, MDIO45 or Frame objects")
    out = []
    for _ in range(count):
        for item in pkts:
            if isinstance(item, Frame):
                out.append(from_frame(item))
            elif isinstance(item, Packet) and is_single(item):
                out.append(_fixed(item))  # iterating would copy it for nothing
            elif isinstance(item, Packet):
                out.extend(_fixed(p) for p in item)  # a packet iterates its implicit sets
            else:
                raise PhyscapyError(
                    f"cannot send {type(item).__name__}: allowed MDIO, MDIO45 or Frame"
                )
    for p in out:
        to_frame(p)  # every field fits on the wire, before anything is sent
    return out


def sr(
    pkts: Any,
    bus: Bus | str | None = None,
    *,
    count: int = 1,
    seed: int | None = None,
    models: dict[int, str] | None = None,
    **kargs: Any,
) -> tuple[SndRcvList, PacketList]:
    """Send packets, return (answered, unanswered) as Scapy does.

    ``count`` repeats the whole set (fresh fuzz values each round); ``seed`` seeds
    ``random`` first, for a fuzzing session that can be run again; ``models`` fixes the
    PHY model at addresses for dissecting answers.  Other keywords go to Scapy's
    ``sndrcv`` (``timeout``, ``retry``, ``multi``, ``verbose``...).
    """
    if seed is not None:
        random.seed(seed)
    to_send = _expand(pkts, count)
    sock = MDIOSocket(_bus(bus), models=models)
    try:
        result: tuple[SndRcvList, PacketList] = sock.sr(to_send, **kargs)
        return result
    finally:
        sock.close()


def sr1(pkt: Any, bus: Bus | str | None = None, **kargs: Any) -> Any:
    """Send packets, return the first answer (None when no PHY answered)."""
    ans, _ = sr(pkt, bus, **kargs)
    return ans[0][1] if len(ans) else None


def srloop(
    pkts: Any,
    bus: Bus | str | None = None,
    *,
    count: int | None = None,
    inter: float = 1.0,
    prn: Callable[[Any], Any] | None = None,
    prnfail: Callable[[Any], Any] | None = None,
    verbose: bool = True,
    store: bool = True,
    **kargs: Any,
) -> tuple[SndRcvList, PacketList]:
    """``sr`` every ``inter`` seconds, ``count`` times (forever without), printing each
    round's answers as Scapy's ``srloop`` does; Ctrl-C stops it."""
    target = _bus(bus)
    answered: list[Any] = []
    unanswered: list[Any] = []
    show = prn or (lambda qa: qa[1].summary())
    rounds = 0
    try:
        while count is None or rounds < count:
            start = time.monotonic()
            ans, unans = sr(pkts, target, **kargs)
            rounds += 1
            if verbose:
                for qa in ans:
                    line = show(qa)
                    if line is not None:
                        print(f"RECV {len(ans)}: {line}")
                for p in unans:
                    line = prnfail(p) if prnfail else p.summary()
                    if line is not None:
                        print(f"fail {len(unans)}: {line}")
            if store:
                answered.extend(ans)
                unanswered.extend(unans)
            if count is None or rounds < count:
                time.sleep(max(0.0, inter - (time.monotonic() - start)))
    except KeyboardInterrupt:
        pass
    if verbose:
        print(f"Sent {rounds * len(_expand(pkts, 1))} packets, received {len(answered)}")
    return SndRcvList(answered), PacketList(unanswered, "Unanswered")


def send(
    pkts: Any,
    bus: Bus | str | None = None,
    *,
    count: int = 1,
    inter: float = 0.0,
    seed: int | None = None,
    verbose: bool = False,
    return_packets: bool = False,
) -> PacketList | None:
    """Send packets without collecting answers (writes, mostly)."""
    if seed is not None:
        random.seed(seed)
    to_send = _expand(pkts, count)
    sock = MDIOSocket(_bus(bus))
    try:
        for p in to_send:
            sock.send(p)
            if inter:
                time.sleep(inter)
    finally:
        sock.close()
    if verbose:
        print(f"Sent {len(to_send)} packets.")
    return PacketList(to_send, "Sent") if return_packets else None


def sniff(
    bus: Bus | str | None = None,
    *,
    count: int = 0,
    timeout: float | None = None,
    prn: Callable[[Any], Any] | None = None,
    lfilter: Callable[[Any], bool] | None = None,
    store: bool = True,
    offline: Any = None,
    models: dict[int, str] | None = None,
    **kargs: Any,
) -> PacketList:
    """Packets of every transaction anyone performs on the bus (the PAL, the shell,
    another thread), as Scapy's ``sniff``; or of a capture or session (``offline=``).

    ``started_callback``, ``stop_filter`` and Scapy's other keywords are passed on.
    """
    from scapy.sendrecv import sniff as scapy_sniff

    if offline is not None:
        return _sniff_offline(offline, count, prn, lfilter, store, models, **kargs)
    sock = MDIOSocket(_bus(bus), models=models, sniff=True)
    try:
        live: PacketList = scapy_sniff(
            opened_socket=sock,
            count=count,
            timeout=timeout,
            prn=prn,
            lfilter=lfilter,
            store=store,
            **kargs,
        )
        return live
    finally:
        sock.close()


def _sniff_offline(
    offline: Any,
    count: int,
    prn: Callable[[Any], Any] | None,
    lfilter: Callable[[Any], bool] | None,
    store: bool,
    models: dict[int, str] | None,
    stop_filter: Callable[[Any], bool] | None = None,
    **kargs: Any,
) -> PacketList:
    """sniff(offline=CAPTURE | packets): Scapy's sniff would rebuild every packet from
    its bytes, losing the capture's times and the registers the PHY's model names."""
    if kargs:
        raise PhyscapyError(
            f"sniff(offline=...) does not take {', '.join(sorted(kargs))}: allowed count, "
            "prn, lfilter, store, stop_filter, models"
        )
    if isinstance(offline, (str, os.PathLike)):
        from physcapy.traffic.packets import rdcapture

        pkts: Iterable[Any] = rdcapture(offline, models=models)
        name = os.path.basename(os.fspath(offline))
    else:
        pkts, name = offline, "Sniffed"
    kept: list[Any] = []
    seen = 0
    for p in pkts:
        if lfilter is not None and not lfilter(p):
            continue
        seen += 1
        if store:
            kept.append(p)
        if prn is not None:
            shown = prn(p)
            if shown is not None:
                print(shown)
        if (stop_filter is not None and stop_filter(p)) or (count and seen >= count):
            break
    return PacketList(kept, name)


def c45_over_c22_packets(
    op: str, phyad: int, devad: int, reg: int, data: int = 0, function: str = "data"
) -> list[MDIO]:
    """The four Clause 22 packets of a Clause 45 access through registers 13/14
    (IEEE 802.3 22.2.4.3.11/12, Annex 22D): DEVAD, address, function, data.

    >>> [p.summary() for p in c45_over_c22_packets("read", 1, 3, 0x14)][-1]
    'MDIO read PHY 1 MMD_DATA = 0x0000'
    """
    frames: Iterable[Frame] = c45_over_c22_frames(op, phyad, devad, reg, data, function)
    return [from_frame(f) for f in frames]  # type: ignore[misc]
