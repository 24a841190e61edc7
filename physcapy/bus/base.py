# SPDX-License-Identifier: GPL-2.0-only
"""The bus interface every back end implements.

A back end provides one primitive, :meth:`Bus._transfer`: put one frame on the
wire and say what came back (the data and whether the turnaround was driven).
Everything an engineer calls is built on it here, with the same argument
checking and the same transaction log whatever the back end::

    >>> from physcapy import open_bus
    >>> bus = open_bus("sim://")
    >>> hex(bus.read(1, "BMSR"))
    '0x796d'
    >>> c45 = open_bus("sim://generic-c45@5")
    >>> hex(c45.read_c45(5, 1, 3)), hex(c45.read_c45(5, "AN", 1))  # DEVID2, AN status
    ('0x30', '0x6d')

Clause 45 frames follow 45.3 (address, write, read, post-read-increment);
``read_mmd``/``write_mmd`` do the Clause 22 register 13/14 sequence of
22.2.4.3.11 with any of its four function codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from physcapy.bus.clock import Clock, VirtualClock
from physcapy.errors import (
    FrameError,
    NoAnswerError,
    PhyscapyError,
    RangeError,
    UnknownNameError,
    parse_int,
)
from physcapy.mdio.frames import C22_OPS, C45_OPS, MMD_FUNCTIONS, OP_NAMES, Frame
from physcapy.mdio.transactions import Transaction

__all__ = ["Bus", "Listener", "as_frame"]

Listener = Callable[[Transaction], None]

_READ, _WRITE = C22_OPS["read"], C22_OPS["write"]
_ADDRESS, _C45_WRITE, _READ_INC, _C45_READ = (
    C45_OPS["address"],
    C45_OPS["write"],
    C45_OPS["read_inc"],
    C45_OPS["read"],
)


class Bus:
    """An MDIO bus: Clause 22 and Clause 45 access, batches, a transaction log.

    ``phy`` is PHYAD/PRTAD (0-31); Clause 22 ``reg`` is a number 0-31 or a register
    name of the IEEE set (``"BMSR"``); values are 0-0xFFFF.
    """

    scheme = ""

    def __init__(self, url: str, clock: Clock | None = None, mdc_hz: float = 2.5e6):
        self.url = url
        self.clock: Clock = clock or VirtualClock()
        #: MDC frequency; a 64-bit frame lasts 64 / mdc_hz seconds on the wire.
        self.mdc_hz = mdc_hz
        self._listeners: list[Listener] = []
        #: Set (a threading.RLock) when more than one thread uses the bus, as the shell
        #: does while a PAL runs beside it; each frame then holds it.
        self.lock: Any = None
        # Clause 45 address context per (PRTAD, DEVAD), for the log's "addr".
        self._c45_addr: dict[tuple[int, int], int] = {}
        #: Set by close(); a closed bus refuses every frame.
        self.closed = False

    # -- the back end's primitive --------------------------------------------------------

    def _transfer(self, clause: int, op: int, phy: int, reg: int, data: int) -> tuple[int, bool]:
        """Clock one frame; return (data on the line, turnaround driven by the PHY)."""
        raise NotImplementedError

    # -- logging -------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Listener:
        """Call ``listener(transaction)`` for every frame on this bus; returns it."""
        self._listeners.append(listener)
        return listener

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def record(self, target: Any, notes: str = "", source: str | None = None) -> Any:
        """Record every frame from now on as a session file (physcapy.capture.session); returns
        the :class:`~physcapy.capture.session.SessionWriter` (``close()`` it to stop)::

            >>> import io
            >>> from physcapy import open_bus
            >>> bus, out = open_bus("sim://lan8720a@1"), io.StringIO()
            >>> rec = bus.record(out); _ = bus.read(1, 2); rec.close()
            >>> out.getvalue().splitlines()[1][:60]
            '{"start": 0.0, "end": 2.56e-05, "clause": 22, "op": "read", '
        """
        from physcapy.capture.session import SessionMeta, SessionWriter

        meta = SessionMeta(source=source or self.url, models=self.known_models(), notes=notes)
        writer = SessionWriter(target, meta)
        writer.bus = self
        self.subscribe(writer)
        return writer

    def known_models(self) -> dict[int, str]:
        """The PHY model at each address, where the back end knows it (simulated PHYs)."""
        return {}

    def single_phy_address(self) -> int | None:
        """The one address that answers when the back end ignores PHYAD (a MAC driver
        that reads its own PHY whatever address it is asked), else None."""
        return None

    def _check_open(self) -> None:
        if self.closed:
            raise PhyscapyError(f"{self.url}: the bus is closed (open it again with open_bus)")

    def _frame(self, clause: int, op: int, phy: int, reg: int, data: int) -> int:
        self._check_open()
        if self.lock is not None:
            with self.lock:
                return self._frame_unlocked(clause, op, phy, reg, data)
        return self._frame_unlocked(clause, op, phy, reg, data)

    def _frame_unlocked(self, clause: int, op: int, phy: int, reg: int, data: int) -> int:
        if not self._listeners:
            value, _ = self._transfer(clause, op, phy, reg, data)
            if clause == 45:
                self._track_c45(op, phy, reg, data)
            return value
        start = self.clock.time()
        value, ta_ok = self._transfer(clause, op, phy, reg, data)
        end = self.clock.time()
        addr = None
        if clause == 45:
            addr = data if op == _ADDRESS else self._c45_addr.get((phy, reg))
            self._track_c45(op, phy, reg, data)
        reads = op == _READ if clause == 22 else op in (_C45_READ, _READ_INC)
        errors = [] if ta_ok or not reads else ["turnaround"]
        # On the wire the station drives the data of writes and address frames, so that is
        # what a capture of this frame would show, whoever (if anyone) listens.
        logged = value if reads else data
        t = Transaction(start, end, clause, OP_NAMES[clause][op], phy, reg, logged, addr, errors)
        # A copy: another thread may (un)subscribe meanwhile (a sniffer, a recording).
        for listener in tuple(self._listeners):
            listener(t)
        return value

    def _track_c45(self, op: int, phy: int, devad: int, data: int) -> None:
        key = (phy, devad)
        if op == _ADDRESS:
            self._c45_addr[key] = data
        elif op == _READ_INC and key in self._c45_addr:
            self._c45_addr[key] = (self._c45_addr[key] + 1) & 0xFFFF

    def frame_time(self) -> float:
        """Seconds one 64-bit frame (32-bit preamble) takes at this bus's MDC rate."""
        return 64.0 / self.mdc_hz

    # -- Clause 22 -----------------------------------------------------------------------

    def read(self, phy: int, reg: int | str) -> int:
        """Read a Clause 22 register."""
        if type(phy) is not int or not 0 <= phy <= 31:
            _bad_phy(phy)
        if type(reg) is not int or not 0 <= reg <= 31:
            reg = _c22_reg(reg)
        return self._frame(22, _READ, phy, reg, 0xFFFF)

    def write(self, phy: int, reg: int | str, value: int) -> None:
        """Write a Clause 22 register."""
        if type(phy) is not int or not 0 <= phy <= 31:
            _bad_phy(phy)
        if type(reg) is not int or not 0 <= reg <= 31:
            reg = _c22_reg(reg)
        if type(value) is not int or not 0 <= value <= 0xFFFF:
            value = parse_int("value", value, 0, 0xFFFF)
        self._frame(22, _WRITE, phy, reg, value)

    def modify(self, phy: int, reg: int | str, value: int, mask: int) -> int:
        """Masked read-modify-write as U-Boot ``mii modify``: new = (old & ~mask) | (value & mask).

        Returns the value written.
        """
        value = parse_int("value", value, 0, 0xFFFF)
        mask = parse_int("mask", mask, 0, 0xFFFF)
        if type(reg) is not int:
            reg = _c22_reg(reg)
        (frame,) = self.batch([Frame(22, "read", parse_int("PHY address", phy, 0, 31), reg)])
        if not frame.ta_ok:
            # U-Boot's mii modify does not write after a failed read either.
            raise NoAnswerError(
                f"no PHY answered the read of PHY {phy} register {reg}: nothing written"
            )
        new = (frame.data & ~mask & 0xFFFF) | (value & mask)
        self.write(phy, reg, new)
        return new

    # -- Clause 45 -----------------------------------------------------------------------

    def c45_address(self, prtad: int, devad: int | str, address: int) -> None:
        """An ADDRESS frame: set the MMD's register address pointer."""
        self._frame(
            45, _ADDRESS, *_c45_args(prtad, devad), parse_int("address", address, 0, 0xFFFF)
        )

    def c45_read(self, prtad: int, devad: int | str) -> int:
        """A READ frame at the MMD's current address."""
        return self._frame(45, _C45_READ, *_c45_args(prtad, devad), 0xFFFF)

    def c45_read_inc(self, prtad: int, devad: int | str) -> int:
        """A POST-READ-INCREMENT-ADDRESS frame: read, then the MMD advances its address."""
        return self._frame(45, _READ_INC, *_c45_args(prtad, devad), 0xFFFF)

    def c45_write(self, prtad: int, devad: int | str, value: int) -> None:
        """A WRITE frame at the MMD's current address."""
        self._frame(45, _C45_WRITE, *_c45_args(prtad, devad), parse_int("value", value, 0, 0xFFFF))

    def read_c45(self, prtad: int, devad: int | str, reg: int) -> int:
        """One logical Clause 45 read: ADDRESS then READ."""
        self.c45_address(prtad, devad, reg)
        return self.c45_read(prtad, devad)

    def write_c45(self, prtad: int, devad: int | str, reg: int, value: int) -> None:
        """One logical Clause 45 write: ADDRESS then WRITE."""
        self.c45_address(prtad, devad, reg)
        self.c45_write(prtad, devad, value)

    def read_c45_burst(self, prtad: int, devad: int | str, reg: int, count: int) -> list[int]:
        """``count`` consecutive registers: one ADDRESS, then post-read-increment frames."""
        self.c45_address(prtad, devad, reg)
        return [self.c45_read_inc(prtad, devad) for _ in range(count)]

    # -- Clause 45 through Clause 22 registers 13/14 ------------------------------------

    def _mmd_setup(self, phy: int, devad: int, reg: int, function: str | int) -> None:
        code = _mmd_function(function)
        devad = parse_int("DEVAD", devad, 0, 31)
        reg = parse_int("MMD register", reg, 0, 0xFFFF)
        self.write(phy, 13, devad)  # function 00: register 14 is the address
        self.write(phy, 14, reg)
        self.write(phy, 13, code << 14 | devad)

    def read_mmd(self, phy: int, devad: int, reg: int, function: str | int = "data") -> int:
        """Read an MMD register through registers 13/14 (the four-frame sequence)."""
        self._mmd_setup(phy, devad, reg, function)
        return self.read(phy, 14)

    def write_mmd(
        self, phy: int, devad: int, reg: int, value: int, function: str | int = "data"
    ) -> None:
        """Write an MMD register through registers 13/14."""
        self._mmd_setup(phy, devad, reg, function)
        self.write(phy, 14, value)

    def read_mmd_burst(self, phy: int, devad: int, reg: int, count: int) -> list[int]:
        """``count`` consecutive MMD registers with function 10 (post-increment)."""
        self._mmd_setup(phy, devad, reg, "data_inc")
        return [self.read(phy, 14) for _ in range(count)]

    # -- batches -------------------------------------------------------------------------

    def batch(self, frames: Iterable[Frame]) -> list[Frame]:
        """Run many frames in order; return each completed (read data, sampled TA).

        A back end that can queue frames (FTDI) overrides this to send them in as few
        transfers as possible; the result is the same.
        """
        self._check_open()
        out = []
        for f in frames:
            if not isinstance(f, Frame):
                f = as_frame(f)
            value, ta_ok = self._batch_one(f)
            reads = f.is_read
            out.append(
                Frame(
                    f.clause,
                    f.op,
                    f.phy,
                    f.reg,
                    value if reads else f.data,
                    f.ta if not reads else (0b10 if ta_ok else 0b11),
                    f.preamble,
                )
            )
        return out

    def _batch_one(self, f: Frame) -> tuple[int, bool]:
        ok: list[bool] = []
        if not self._listeners:
            value, ta = self._transfer(
                f.clause, f.opcode, f.phy, f.reg, 0xFFFF if f.is_read else f.data
            )
            if f.clause == 45:
                self._track_c45(f.opcode, f.phy, f.reg, f.data)
            return value, ta

        # With listeners, go through _frame for the log and recover the TA from it.
        def grab(t: Transaction) -> None:
            ok.append(not t.errors)

        self._listeners.append(grab)
        try:
            value = self._frame(f.clause, f.opcode, f.phy, f.reg, 0xFFFF if f.is_read else f.data)
        finally:
            self._listeners.remove(grab)
        return value, ok[0]

    # -- what the PAL needs from a back end ----------------------------------------------

    def next_event_time(self) -> float | None:
        """When the devices on this bus next change on their own (a simulated PHY's
        negotiation finishing...); None when the back end cannot say."""
        return None

    def run_events(self) -> None:
        """Let the devices catch up with the clock (simulated back ends)."""

    def connect_interrupt(self, phy: int, callback: Callable[[int, bool], None] | None) -> bool:
        """Wire the interrupt output of the PHY at ``phy`` to ``callback(phy, level)``.

        Returns False when this back end has no interrupt line to offer (a real adapter
        carries only MDC/MDIO), so the caller polls instead, as phylib does.
        """
        return False

    # -- housekeeping --------------------------------------------------------------------

    def reset(self) -> None:
        """Reset the bus (a back end may pulse a reset line or re-initialise its adapter)."""
        self._c45_addr.clear()

    def close(self) -> None:
        """Release the adapter; the bus is unusable afterwards."""
        self.closed = True

    def __enter__(self) -> Bus:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def _bad_phy(phy: object) -> None:
    parse_int("PHY address", phy if isinstance(phy, (int, str)) else repr(phy), 0, 31)


def _c22_reg(reg: object) -> int:
    if isinstance(reg, str):
        try:
            return parse_int("Clause 22 register", reg, 0, 31)
        except RangeError:
            if any(c.isalpha() for c in reg) and not reg.lower().startswith("0x"):
                from physcapy.registers.models import model

                spec = model().register(reg)
                if spec.devad is None and spec.page is None:
                    return spec.address
                raise RangeError(
                    f"{spec.name} is Clause 45 register {spec.key}, not a Clause 22 "
                    "register: use read_c45/write_c45 (native) or "
                    "read_mmd/write_mmd (through registers 13/14)"
                ) from None
            raise
    return parse_int("Clause 22 register", reg if isinstance(reg, int) else repr(reg), 0, 31)


def _c45_args(prtad: int, devad: int | str) -> tuple[int, int]:
    if (
        isinstance(devad, str)
        and not devad.strip().isdigit()
        and not devad.lower().startswith("0x")
    ):
        from physcapy.registers.models import MMD_NAMES

        for number, name in MMD_NAMES.items():
            if name == devad.strip().upper():
                return parse_int("PRTAD", prtad, 0, 31), number
        raise UnknownNameError("MMD", devad, MMD_NAMES.values())
    return parse_int("PRTAD", prtad, 0, 31), parse_int("DEVAD", devad, 0, 31)


def _mmd_function(function: str | int) -> int:
    if isinstance(function, int) and not isinstance(function, bool):
        return parse_int("MMD function", function, 0, 3)
    key = {"noincr": "data", "incr_rdwt": "data_inc", "incr_on_wt": "data_inc_write"}.get(
        str(function), str(function)
    )
    if key not in MMD_FUNCTIONS:
        raise FrameError(
            f"MMD function {function!r} is unknown: allowed {', '.join(MMD_FUNCTIONS)} or 0-3"
        )
    return MMD_FUNCTIONS[key]


def as_frame(item: Any) -> Frame:
    """A Scapy MDIO/MDIO45 packet as the frame it stands for (checked field by field)."""
    if hasattr(item, "fields_desc"):  # a Scapy packet; Scapy is imported only then
        from physcapy.mdio.scapy import to_frame

        return to_frame(item)
    raise FrameError(
        f"batch items must be physcapy Frame objects or MDIO/MDIO45 packets, got {item!r}"
    )
