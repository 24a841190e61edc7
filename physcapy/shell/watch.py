# SPDX-License-Identifier: GPL-2.0-only
"""Watch a register the way ``mii-tool -w`` watches a link: poll, print what changed.

Each poll reads the register; a new value is printed with the bus time and the
fields that changed.  On a virtual clock the polls take no real time, so a
simulated PHY coming out of reset is watched instantly::

    >>> from physcapy import open_bus
    >>> bus = open_bus("sim://lan8720a@1?start=power-on")
    >>> bus.clock.advance(1.0)  # out of reset, auto-negotiating
    >>> changes = watch(bus, 1, "BMSR", interval=1.0, count=3)
       1.000 s  BMSR 0x7809
       2.000 s  BMSR 0x7809 -> 0x782d  link_status 0->1, autoneg_complete 0->1
    >>> [(round(c.t), hex(c.new)) for c in changes]
    [(2, '0x782d')]

In a Jupyter kernel the register's field table and the change log are shown in
one output that is updated in place instead of printed line after line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from physcapy.errors import PhyscapyError, RangeError

if TYPE_CHECKING:
    from physcapy.bus.base import Bus
    from physcapy.registers.models import Model
    from physcapy.registers.regdesc import RegisterSpec

__all__ = ["Change", "watch"]

#: Change-log lines kept in the notebook display (the returned list keeps them all).
_SHOWN = 50


@dataclass(frozen=True)
class Change:
    """One new value: bus time, register name, old and new value, and the changed
    fields as ``{name: (old, new)}``, least significant first."""

    t: float
    register: str
    old: int
    new: int
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __str__(self) -> str:
        changed = ", ".join(f"{name} {a}->{b}" for name, (a, b) in self.fields.items())
        return f"{self.t:8.3f} s  {self.register} 0x{self.old:04x} -> 0x{self.new:04x}  {changed}"


def _diff(spec: RegisterSpec, old: int, new: int) -> dict[str, tuple[int, int]]:
    # Least significant field first: the order mii-tool's bit list reads in.
    return {
        f.name: (f.extract(old), f.extract(new))
        for f in sorted(spec.fields, key=lambda f: f.lsb)
        if f.extract(old) != f.extract(new)
    }


def _reader(bus: Bus, phy: int, spec: RegisterSpec, m: Model) -> Callable[[], int]:
    """How to read the register: Clause 22, Clause 45, or an MMD through 13/14."""
    if spec.page is not None and spec.page != m.default_page:
        raise PhyscapyError(
            f"{spec.name} ({spec.key}) is on page {spec.page:#x}: watch does not switch "
            "pages under a running driver; read it with the page selected instead"
        )
    if spec.space is not None:
        raise PhyscapyError(
            f"{spec.name} ({spec.key}) is reached through the {spec.space} select and data "
            "registers: watch does not move that selector under a running driver; read "
            f"it with rd(phy, {spec.key!r}) instead"
        )
    if spec.devad is None:
        address = spec.address
        return lambda: bus.read(phy, address)
    devad, reg = spec.devad, spec.address
    if 0 in m.registers and 13 in m.registers:
        # A Clause 22 PHY with MMDs (KSZ9031, DP83867...): reached through 13/14.
        return lambda: bus.read_mmd(phy, devad, reg)
    return lambda: bus.read_c45(phy, devad, reg)


def _kernel_display(html: str) -> Any:
    """A display handle when running in a Jupyter kernel (None in a terminal)."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    return display(HTML(html), display_id=True)


def _html(spec: RegisterSpec, value: int, log: list[str]) -> str:
    import html

    from physcapy.registers.values import register_class

    reg = register_class(spec)(value)
    table = reg._repr_html_() if hasattr(reg, "_repr_html_") else html.escape(repr(reg))
    lines = html.escape("\n".join(log[-_SHOWN:]))
    return f"{table}<pre>{lines}</pre>"


def watch(
    bus: Bus,
    phy: int,
    reg: int | str,
    interval: float = 1.0,
    count: int | None = None,
    *,
    model: str | Model | None = None,
    out: TextIO | None = None,
) -> list[Change]:
    """Poll ``reg`` of ``phy`` every ``interval`` seconds of bus time and report changes.

    ``reg`` is a number, a name or ``DEVAD.REG`` of ``model`` (default: the model the
    bus knows at that address, else the IEEE set).  Stops after ``count`` polls (never
    when None) or on Ctrl-C; returns the changes.  Lines go to ``out`` (stdout by
    default; in a Jupyter kernel one display is updated instead, unless ``out`` is
    given).  A virtual clock is advanced, a real one slept on.
    """
    from physcapy.registers.models import Model
    from physcapy.registers.models import model as find_model

    if not interval > 0:
        raise RangeError(f"interval {interval!r} s is out of range: allowed above 0")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise RangeError(f"count {count!r} is out of range: allowed 1 or more, or None")
    m = model if isinstance(model, Model) else find_model(model or bus.known_models().get(phy))
    spec = m.register(reg)
    read = _reader(bus, phy, spec, m)
    clock = bus.clock
    handle: Any = None if out is not None else _kernel_display(f"<pre>watching {spec.name}</pre>")
    stream = out if out is not None else sys.stdout
    changes: list[Change] = []
    log: list[str] = []

    def report(line: str, value: int) -> None:
        log.append(line)
        if handle is not None:
            handle.update(_html_object(_html(spec, value, log)))
        else:
            stream.write(line + "\n")
            stream.flush()

    old: int | None = None
    polls = 0
    due = clock.time()
    try:
        while count is None or polls < count:
            t = clock.time()
            value = read()
            polls += 1
            if old is None:
                report(f"{t:8.3f} s  {spec.name} 0x{value:04x}", value)
            elif value != old:
                change = Change(t, spec.name, old, value, _diff(spec, old, value))
                changes.append(change)
                report(str(change), value)
            old = value
            if count is not None and polls >= count:
                break
            due += interval
            # Virtual time jumps a whole interval; real time sleeps what is left of it,
            # so slow reads do not stretch the polling period.
            clock.advance(interval if clock.virtual else max(0.0, due - clock.time()))
    except KeyboardInterrupt:
        pass
    return changes


def _html_object(text: str) -> Any:
    from IPython.display import HTML

    return HTML(text)
