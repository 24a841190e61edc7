# SPDX-License-Identifier: GPL-2.0-only
"""Bus clocks: virtual time (deterministic, the default) and real time.

Simulated PHYs schedule their resets and auto-negotiation against the bus clock,
so tests step time instead of sleeping::

    >>> c = VirtualClock()
    >>> c.advance(1.5); c.time()
    1.5
"""

from __future__ import annotations

import time as _time

from physcapy.errors import RangeError

__all__ = ["Clock", "RealClock", "VirtualClock"]


class Clock:
    """Seconds since the bus was opened."""

    virtual: bool = True

    def time(self) -> float:
        raise NotImplementedError

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass (virtual: instantly; real: by sleeping)."""
        raise NotImplementedError


class VirtualClock(Clock):
    virtual = True

    def __init__(self, start: float = 0.0):
        self.now = float(start)

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise RangeError(f"cannot advance a clock by {seconds} s: time only moves forward")
        self.now += seconds

    def __repr__(self) -> str:
        return f"<VirtualClock t={self.now:.6f}s>"


class RealClock(Clock):
    virtual = False

    def __init__(self) -> None:
        self._t0 = _time.monotonic()

    def time(self) -> float:
        return _time.monotonic() - self._t0

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise RangeError(f"cannot advance a clock by {seconds} s: time only moves forward")
        _time.sleep(seconds)

    def __repr__(self) -> str:
        return f"<RealClock t={self.time():.3f}s>"
