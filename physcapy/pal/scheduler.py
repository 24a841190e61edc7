# SPDX-License-Identifier: GPL-2.0-only
"""Work items on the bus clock: the PAL's timers, interrupts and scenario events.

Linux runs the PHY state machine as delayed work re-armed ``HZ`` jiffies after
each run.  Here work runs on the bus's :class:`~physcapy.bus.clock.Clock`: virtual
time jumps straight to the next item (deterministic and fast), real time sleeps.
Between items the scheduler lets a simulated bus run its PHYs' own events, so an
interrupt line that rises at t=2.4 s is seen at 2.4 s, not at the next tick::

    >>> from physcapy.bus.clock import VirtualClock
    >>> s = Scheduler(VirtualClock())
    >>> seen = []
    >>> _ = s.at(2.0, lambda: seen.append(s.now()))
    >>> _ = s.at(1.0, lambda: seen.append(s.now()))
    >>> s.run_until(5.0); seen, s.now()
    ([1.0, 2.0], 5.0)
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any

from physcapy.bus.clock import Clock

__all__ = ["Scheduler", "Work"]


class Work:
    """One scheduled call; :meth:`cancel` stops it from running."""

    __slots__ = ("cancelled", "fn", "when")

    def __init__(self, when: float, fn: Callable[[], None]):
        self.when = when
        self.fn = fn
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    """Timers in time order on one clock; ``sources`` are buses whose devices keep their
    own events (simulated PHYs), stepped through when an interrupt line is wired."""

    #: Work items run at one instant before the model calls it a livelock (time stands
    #: still while they run, where a kernel's would go on): an error, not a hang.
    LIVELOCK = 10_000

    def __init__(self, clock: Clock):
        self.clock = clock
        self._heap: list[tuple[float, int, Work]] = []
        self._seq = 0
        #: Buses with ``next_event_time()`` / ``run_events()`` to step through.
        self.sources: list[Any] = []
        #: The scheduled time of the item running now (None outside work).
        self.work_time: float | None = None

    def now(self) -> float:
        return self.clock.time()

    def at(self, when: float, fn: Callable[[], None]) -> Work:
        """Run ``fn`` at ``when`` (now, if that has passed)."""
        w = Work(when, fn)
        self._seq += 1
        heapq.heappush(self._heap, (when, self._seq, w))
        return w

    def after(self, delay: float, fn: Callable[[], None]) -> Work:
        return self.at(self.now() + delay, fn)

    def _next_source(self) -> float:
        best = math.inf
        for src in self.sources:
            t = src.next_event_time()
            if t is not None and t < best:
                best = t
        return best

    def _advance_to(self, t: float) -> None:
        gap = t - self.clock.time()
        if gap > 0:
            if self.clock.virtual:
                # Jump exactly to the target: adding the gap could land a rounding error
                # short of it, and a tick at 3.0 would then run at 2.9999999999999996.
                self.clock.now = t  # type: ignore[attr-defined]
            else:
                self.clock.advance(gap)

    def next_time(self) -> float:
        """When the next item or source event is due (``inf``: nothing is)."""
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        t_work = heap[0][0] if heap else math.inf
        return min(t_work, self._next_source() if self.sources else math.inf)

    def run_until(self, end: float) -> None:
        """Run every item due up to ``end`` in order, then let the clock reach ``end``."""
        heap = self._heap
        same, last = 0, math.nan
        while True:
            t_work = heap[0][0] if heap else math.inf
            t_src = self._next_source() if self.sources else math.inf
            t = min(t_work, t_src)
            if t > end:
                break
            self._advance_to(t)
            if t_src <= t_work:
                for src in self.sources:
                    src.run_events()
                continue
            _, _, w = heapq.heappop(heap)
            same = same + 1 if t == last else 0
            last = t
            if same > self.LIVELOCK:
                raise RuntimeError(f"livelock: over {self.LIVELOCK} work items at t={t!r}")
            if not w.cancelled:
                self.work_time = w.when
                try:
                    w.fn()
                finally:
                    self.work_time = None
        self._advance_to(end)

    def run_for(self, seconds: float) -> None:
        self.run_until(self.now() + seconds)

    def pending(self) -> list[Work]:
        return [w for _, _, w in sorted(self._heap) if not w.cancelled]
