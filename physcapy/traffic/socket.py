# SPDX-License-Identifier: GPL-2.0-only
"""A Scapy socket over any physcapy bus: Scapy's own ``sndrcv``, ``sr1`` and ``sniff`` on MDIO.

``send()`` performs MDIO/MDIO45 packets (or ``Frame`` objects) on the bus; ``recv()``
returns each completed frame as a dissected packet: DATA as the PHY drove it, the
turnaround as sampled, ``.time`` on the bus clock, and DATA decoded as the register it
is, from the PHY's model (known to the bus, given, or identified from its ID reads),
its page and its Clause 45 address.  A read that no PHY answered (TA not driven low)
gets no answer, so Scapy lists it as unanswered and ``sr1`` returns None.  A write is
answered by the frame as it went out: the station drives all of it.

    >>> from physcapy import open_bus
    >>> from physcapy.mdio.scapy import MDIO
    >>> sock = MDIOSocket(open_bus("sim://lan8720a@1?partner=none"))
    >>> sock.sr1(MDIO(op="read", phyad=1, regad="BMSR")).summary()
    'MDIO read PHY 1 BMSR = 0x7809 / BMSR +100-f +100-h +10-f +10-h +aneg-capable +ext-register'
    >>> sock.sr1(MDIO(op="read", phyad=7, regad="BMSR")) is None   # nobody at 7
    True

With ``sniff=True`` the socket receives every transaction anyone performs on the bus
(the PAL, the shell, another thread): what :func:`physcapy.traffic.sendrecv.sniff` reads.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from typing import Any

from scapy.base_classes import Gen
from scapy.packet import Packet
from scapy.supersocket import SuperSocket

from physcapy.bus.base import Bus
from physcapy.errors import PhyscapyError
from physcapy.mdio.scapy import from_transaction, to_frame, to_frames
from physcapy.mdio.transactions import Transaction
from physcapy.traffic.annotate import Annotator

__all__ = ["MAX_QUEUE", "MDIOSocket"]

#: Packets a socket holds for its reader, at most.
MAX_QUEUE = 1_000_000


class MDIOSocket(SuperSocket):
    """Scapy's SuperSocket on a physcapy bus; ``models`` fixes the model at addresses
    (``{1: "lan8720a"}``), else the bus's own knowledge and the ID reads decide."""

    nonblocking_socket = True

    # SuperSocket.__init__ opens an OS socket; there is none here.
    def __init__(
        self,
        bus: Bus,
        *,
        models: dict[int, str] | None = None,
        sniff: bool = False,
        _drain: bool = False,
        _annotator: Annotator | None = None,
    ):
        self.bus = bus
        self.iface = bus.url
        self.ins = self.outs = None  # type: ignore[assignment]  # no OS socket
        self.closed = False
        self.promisc = False
        # Once sending is over (non-threaded exchanges), an empty queue is the end.
        self._drain = _drain
        self._models = models
        self._annotator = _annotator or Annotator({**bus.known_models(), **(models or {})})
        # Bounded: a sniffing socket nobody reads (or closes) must not grow forever;
        # the oldest packets go first.
        self._queue: deque[Any] = deque(maxlen=MAX_QUEUE)
        self._ready = threading.Condition()
        self._listener = bus.subscribe(self._seen) if sniff else None

    # -- SuperSocket --------------------------------------------------------------------

    def send(self, x: Any) -> int:
        """Perform the frames of ``x`` (implicit sets expanded); returns the bytes sent."""
        # An exchange socket is closed by Scapy's sniff at the end of each round; a
        # retry round sends on it again.
        if self.closed and not self._drain:
            raise PhyscapyError(f"send on a closed MDIO socket (bus {self.bus.url})")
        # A packet sr() expanded has no implicit sets left: no need to iterate it again.
        frames = [to_frame(x)] if isinstance(x, Packet) and is_single(x) else to_frames(x)
        me = threading.get_ident()
        done: list[Transaction] = []

        def mine(t: Transaction) -> None:  # the PAL may use the bus from another thread
            if threading.get_ident() == me:
                done.append(t)

        self.bus.subscribe(mine)
        try:
            # One packet's frames together: the PAL (another thread) must not step in
            # between the frames of a page switch or a 13/14 sequence.
            with self.bus.lock or contextlib.nullcontext():
                self.bus.batch(frames)
        except PhyscapyError:
            raise
        except Exception as exc:  # a back end's own failure, as one clear line
            raise PhyscapyError(f"{self.bus.url}: sending failed: {exc}") from exc
        finally:
            self.bus.unsubscribe(mine)
        if self._listener is None:
            for t in done:
                self._answer(t)
        with contextlib.suppress(AttributeError):  # a Frame, or a list
            x.sent_time = done[0].start if done else self.bus.clock.time()
        return 4 * len(frames)

    def recv(self, x: int = 0, **kwargs: Any) -> Any:
        with self._ready:
            if self._queue:
                return self._queue.popleft()
        if self._drain or self.closed or self.bus.closed:
            raise EOFError  # everything sent has been answered or never will be
        return None

    @staticmethod
    def select(sockets: list[Any], remain: float | None = None) -> list[Any]:
        ready = [s for s in sockets if s._queue or s._drain or s.closed or s.bus.closed]
        if ready or not sockets:
            return ready
        # Wait for a frame on the first socket (the bus log wakes it), at most `remain`.
        first = sockets[0]
        with first._ready:
            first._ready.wait(0.05 if remain is None else min(remain, 0.05))
        return [s for s in sockets if s._queue or s.closed or s.bus.closed]

    def close(self) -> None:
        """Stop receiving; the bus stays open (it belongs to whoever opened it)."""
        if self.closed:
            return
        self.closed = True
        if self._listener is not None:
            self.bus.unsubscribe(self._listener)
            self._listener = None
        with self._ready:
            self._ready.notify_all()

    # -- the answers ----------------------------------------------------------------------

    def _packet(self, t: Transaction) -> Any:
        return from_transaction(t, self._annotator.annotate(t).spec)

    def _answer(self, t: Transaction) -> None:
        if t.op in ("read", "read_inc") and "turnaround" in t.errors:
            self._annotator.annotate(t)  # keep the context (PHYSID, pages) all the same
            return  # no PHY drove the turnaround: unanswered, as on a network
        self._put(self._packet(t))

    def _seen(self, t: Transaction) -> None:
        self._put(self._packet(t))

    def _put(self, pkt: Any) -> None:
        pkt.sniffed_on = self.bus.url
        with self._ready:
            self._queue.append(pkt)
            self._ready.notify_all()

    # -- Scapy's exchanges, made to end when the bus has answered ---------------------------

    def _exchange(self) -> MDIOSocket:
        """A socket for one non-threaded exchange: every answer is queued by the time the
        last frame is sent (the bus is synchronous), so an empty queue ends it at once
        instead of waiting for a timeout."""
        return MDIOSocket(self.bus, _drain=True, _annotator=self._annotator)

    def sr(self, *args: Any, **kargs: Any) -> Any:
        from scapy.sendrecv import sndrcv

        kargs.setdefault("threaded", False)
        kargs.setdefault("verbose", False)
        kargs.setdefault("chainEX", True)  # a bus error is the caller's, not a log line
        if kargs["threaded"]:
            # The bus answers as the frame is sent: a short wait after the last one is
            # plenty, and without one an unanswered read would wait forever.
            kargs.setdefault("timeout", 0.2)
        return sndrcv(self._exchange() if not kargs["threaded"] else self, *args, **kargs)

    def sr1(self, *args: Any, **kargs: Any) -> Any:
        ans, _ = self.sr(*args, **kargs)
        return ans[0][1] if len(ans) else None

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<MDIOSocket {self.bus.url} {state}>"


def is_single(pkt: Packet) -> bool:
    """Whether a packet stands for one frame (no list, range or Gen in any layer's fields)."""
    layer: Any = pkt
    while layer:  # NoPayload is false
        if any(isinstance(v, (list, tuple, Gen)) for v in layer.fields.values()):
            return False
        layer = layer.payload
    return True
