# SPDX-License-Identifier: GPL-2.0-only
"""A live panel: one notebook output that a background thread updates in place.

A PAL running beside the notebook (``pal(1)``) used to print ``[pal]`` lines into
whichever cell ran last; here it owns one display (a Jupyter ``display_id``) and
replaces its content on each change.  The panel appears in the cell that made it,
once, whether the result is assigned or not (as :class:`~physcapy.shell.figure.Plot`
does); in a terminal :func:`in_kernel` is false and the caller prints lines instead.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from physcapy.shell.figure import kernel_shell

__all__ = ["LivePanel", "in_kernel"]


def in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (a notebook), not a terminal."""
    return kernel_shell() is not None


class LivePanel:
    """One updatable output showing ``render()`` (HTML); ``text()`` is its plain form.

    ``update()`` may be called from any thread; updates closer together than
    ``interval`` seconds are merged (the last one wins, sent by a timer).
    """

    def __init__(
        self, render: Callable[[], str], text: Callable[[], str], interval: float = 0.2
    ) -> None:
        self.render = render
        self.text = text
        self.interval = interval
        self.display_id = f"physcapy-{uuid.uuid4().hex}"
        self.shown = False
        self._last = 0.0
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        shell = kernel_shell()
        if shell is not None:

            def end_of_cell(*_: Any) -> None:
                shell.events.unregister("post_execute", end_of_cell)
                if not self.shown:
                    self.show()

            shell.events.register("post_execute", end_of_cell)

    def _bundle(self) -> dict[str, str]:
        return {"text/html": self.render(), "text/plain": self.text()}

    def show(self) -> None:
        """Put the panel in the current cell's output (each copy updates together)."""
        from IPython.display import display

        self.shown = True
        display(self._bundle(), raw=True, display_id=self.display_id)

    def update(self) -> None:
        """Refresh every copy of the panel (at most every ``interval`` seconds)."""
        if not self.shown:
            return
        with self._lock:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self._send)
                    self._timer.daemon = True
                    self._timer.start()
                return
        self._send()

    def flush(self) -> None:
        """Send the last state now (a pending merged update is dropped): the final
        update must reach the cell that made it, before the kernel moves on."""
        if not self.shown:
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self._send()

    def _send(self) -> None:
        from IPython.display import update_display

        with self._lock:
            self._timer = None
            self._last = time.monotonic()
        update_display(self._bundle(), raw=True, display_id=self.display_id)
