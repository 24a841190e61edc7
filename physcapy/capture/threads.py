# SPDX-License-Identifier: GPL-2.0-only
"""Background work for the capture pipeline: inflating, edge finding and formatting
are zlib and numpy work that release the GIL, so on two cores they overlap.

Plain threads rather than ``concurrent.futures``, whose import (with ``logging``)
costs a few milliseconds of every ``physcapy decode`` start::

    >>> list(prefetch(iter(range(5))))
    [0, 1, 2, 3, 4]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

__all__ = ["prefetch"]

T = TypeVar("T")


def prefetch(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Run ``items`` in a thread, ``depth`` results ahead (the bound keeps memory
    bounded); an error in the thread is raised in the consumer."""
    q: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(("end", None))
        except BaseException as exc:  # re-raised in the consumer
            q.put(("error", exc))

    thread = threading.Thread(target=run, name="physcapy-capture-reader", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = q.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
