# SPDX-License-Identifier: GPL-2.0-only
"""The shell's working set: one current bus, short helpers, a PAL running beside you.

``physcapy`` (the shell) and ``%load_ext physcapy`` put a :class:`Console`'s
helpers in the user namespace: ``rd``/``wr``/``modify``/``dump``/``scan`` on the
current bus, ``connect(url)`` to change it, ``decode``/``replay`` for captures and
sessions, ``pal(...)`` to run Linux phylib's state machine in the background (in
real time, so ``unplug(1)`` at the prompt is seen by the running PAL), ``ls()``::

    >>> c = Console("sim://lan8720a@1")
    >>> c.rd(1, "BMSR").link_status, hex(int(c.rd(1, 31)))
    (1, '0x1058')
    >>> [e.address for e in c.scan()]
    [1]
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from physcapy.bus.base import Bus
from physcapy.errors import PhyscapyError, parse_int
from physcapy.mdio.transactions import Transaction
from physcapy.shell.html import ROW_LIMIT
from physcapy.shell.views import DumpView, ScanView

__all__ = ["Console", "PalRunner", "TransactionList", "shell_url"]


def shell_url(url: str) -> str:
    """Simulated buses run in real time in the shell unless the URL says otherwise."""
    parts = urlsplit(url)
    if parts.scheme in ("sim", "ftdi-emu") and "time=" not in parts.query:
        return url + ("&" if parts.query else "?") + "time=real"
    return url


class TransactionList(list[Transaction]):
    """Transactions that show as a table (terminal) or an HTML table (notebook), each
    with its register decoded."""

    def __init__(self, items: Iterable[Transaction] = (), models: dict[int, str] | None = None):
        super().__init__(items)
        self.models = dict(models or {})

    def annotations(self) -> Iterator[Any]:
        from physcapy.traffic.annotate import Annotator

        a = Annotator(dict(self.models))
        for t in self:
            yield a.annotate(t)

    def to_dataframe(self) -> Any:
        """One row per transaction, the register named and its fields decoded (design.md
        §3.4 columns plus ``name``, ``fields`` and ``note``; needs pandas)."""
        from physcapy.plugins import optional

        rows = []
        for a in self.annotations():
            row = a.transaction.to_dict()
            row.update(name=a.name, fields=dict(a.fields), note=a.note)
            rows.append(row)
        columns = ["start", "end", "clause", "op", "phy", "reg", "data", "addr", "errors"]
        return optional("pandas", "pandas").DataFrame(
            rows, columns=[*columns, "name", "fields", "note"]
        )

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        if cycle:
            p.text("TransactionList(...)")
            return
        lines = [str(a) for a in self.annotations()]
        if len(lines) > ROW_LIMIT:
            half = ROW_LIMIT // 2
            lines = [*lines[:half], f"... {len(lines) - ROW_LIMIT} more ...", *lines[-half:]]
        p.text(f"{len(self)} transactions\n" + "\n".join(lines))

    def _repr_html_(self) -> str:
        from physcapy.shell.html import cell, esc, hex16, more_row, styled, table

        rows: list[Any] = []
        for i, a in enumerate(self.annotations()):
            if i == ROW_LIMIT:
                rows.append(more_row(len(self) - ROW_LIMIT, 7, "transactions"))
                break
            t = a.transaction
            fields = ", ".join(f"{k}={v}" for k, v in a.fields.items())
            note = f"<br><i class='dim'>{esc(a.note)}</i>" if a.note else ""
            errors = f" <span class='bad'>{esc(', '.join(t.errors))}</span>" if t.errors else ""
            rows.append(
                [
                    cell(f"{t.start:.7f}", "num"),
                    cell(f"C{t.clause}"),
                    cell(t.op, "set" if t.op == "write" else ""),
                    cell(t.phy, "num"),
                    cell(a.name or str(t.reg)),
                    cell(hex16(t.data), "mono"),
                    cell(esc(fields) + note + errors, "wrap", raw=True),
                ]
            )
        head = ["time (s)", "", "op", "PHY", "register", "data", "fields"]
        return styled(table(head, rows, f"{len(self)} transactions", "physcapy-transactions"))


class PalRunner:
    """Linux phylib on a background thread, in real time, for the shell.

    The bus gets a lock that the runner holds for each tick and the shell helpers
    hold for each access, as the kernel's MDIO bus lock does.  In a terminal, carrier
    and log events are printed as they happen unless ``quiet``; in a notebook one live
    panel (state, link, speed/duplex, the last events) is updated in place instead.
    """

    #: Events the notebook panel lists.
    PANEL_EVENTS = 6

    def __init__(self, bus: Bus, phy: int | str = 1, profile: str = "linux26", **kw: Any):
        from physcapy.pal import Pal

        if bus.lock is None:
            bus.lock = threading.RLock()
        self.bus = bus
        self.quiet = kw.pop("quiet", False)
        #: Also print every state change (linux26 alternates RUNNING/CHANGELINK each
        #: second); by default only what dmesg would show: carrier and log lines.
        self.verbose = kw.pop("verbose", False)
        with bus.lock:
            self.pal = Pal(bus, profile, record_mdio=False, **kw)
            name = phy if isinstance(phy, str) else f"{self.pal.mii.id}:{phy:02x}"
            self.dev = self.pal.phy_connect(self.pal.netdev("eth0"), name)
        from physcapy.shell.panel import LivePanel, in_kernel

        self.panel = LivePanel(self._panel_html, self.text) if in_kernel() else None
        self.pal.events.listeners.append(self._show)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="physcapy-pal", daemon=True)
        with bus.lock:
            self.pal.phy_start(self.dev)
        self._thread.start()

    @property
    def events(self) -> Any:
        return self.pal.events

    def _show(self, e: Any) -> None:
        if self.panel is not None:
            if e.kind != "mdio":
                self.panel.update()
            return
        kinds = ("state", "carrier", "log") if self.verbose else ("carrier", "log")
        if not self.quiet and e.kind in kinds:
            print(f"[pal] {e}", flush=True)

    def _loop(self) -> None:
        scheduler = self.pal.scheduler
        while not self._stop.is_set():
            pending = scheduler.pending()
            due = pending[0].when if pending else self.pal.now() + 0.1
            wait = min(max(due - self.pal.now(), 0.0), 0.1)
            if self._stop.wait(wait):
                break
            assert self.bus.lock is not None
            with self.bus.lock:
                if self.bus.clock.virtual:
                    self.pal.run(0.1)  # a virtual bus: keep pace with the wall clock
                else:
                    self.pal.run_until(self.pal.now())

    def _link(self) -> str:
        """``link up, 100/Full``; no link before the first poll, no speed before
        phylib has resolved one."""
        d = self.dev
        if d.state.name in ("STARTING", "READY", "PENDING", "UP"):
            # phylib starts a device with link = 1 (2.6) before it has read anything.
            return "link not checked yet"
        if not d.link:
            return "link down"
        duplex = {1: "Full", 0: "Half"}.get(d.duplex)
        if d.speed is None or d.speed <= 0 or duplex is None:
            return "link up, speed not resolved yet"
        return f"link up, {d.speed}/{duplex}"

    def status(self) -> str:
        """One line: the state, link, speed and duplex, as phylib sees them now."""
        d = self.dev
        return (
            f"{d.name} [{d.drv.name if d.drv else 'no driver'}] {d.state.name}: "
            f"{self._link()}, t={self.pal.now():.1f} s"
        )

    def _recent(self) -> list[Any]:
        return self.pal.events.of("state", "carrier", "adjust_link", "log")[-self.PANEL_EVENTS :]

    def text(self) -> str:
        """The status line and the last few events (the panel, as text)."""
        return "\n".join([self.status(), *(str(e) for e in self._recent())])

    def _panel_html(self) -> str:
        from physcapy.shell.html import esc, styled
        from physcapy.shell.views import events_html

        d = self.dev
        link = self._link()
        state = (
            f"<b>{esc(d.name)}</b> <span class='dim'>[{esc(d.drv.name if d.drv else 'no driver')}]"
            f"</span> <span class='info'>{esc(d.state.name)}</span> "
            f"<span class='{'ok' if d.link else 'bad'}'>{esc(link)}</span> "
            f"<span class='dim'>t={self.pal.now():.1f} s</span>"
        )
        return styled(f"<div>{state}</div>") + events_html(self._recent())

    def _ipython_display_(self) -> None:
        if self.panel is not None:
            self.panel.show()
        else:
            from IPython.display import display

            display({"text/plain": self.text()}, raw=True)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self) if cycle else self.text())

    def stop(self) -> None:
        """phy_stop, then stop the thread."""
        with self.bus.lock or threading.RLock():
            self.pal.phy_stop(self.dev)
        self._stop.set()
        self._thread.join(timeout=2)
        if self.panel is not None:  # HALTED, now, in this cell (not from a timer later)
            self.panel.flush()

    def __repr__(self) -> str:
        return f"<PalRunner {self.status()}>"


class Console:
    """The shell's state: the current bus and a PAL runner, with short helpers."""

    def __init__(self, url: str | Bus = "sim://", *, real_time: bool = False):
        #: The terminal shell runs simulated buses in real time (see shell_url).
        self.real_time = real_time
        self.bus: Bus = self._open(url)
        self.runner: PalRunner | None = None
        #: The Pal that phy_connect() made (the kernel you step yourself).
        self.kernel: Any = None
        #: Called with the new bus after connect() (the shell rebinds its ``bus``).
        self.on_connect: Any = None

    def _open(self, url: str | Bus) -> Bus:
        if isinstance(url, Bus):
            return url
        from physcapy.bus import open_bus

        if self.real_time:
            url = shell_url(url)
        return open_bus(url)

    def _locked(self) -> Any:
        return self.bus.lock or _NoLock()

    # -- the bus --------------------------------------------------------------------------

    def connect(self, url: str) -> Bus:
        """Make ``url`` the current bus (a running PAL is stopped first)."""
        bus = self._open(url)
        if self.runner is not None:
            self.runner.stop()
            self.runner = None
        self.bus = bus
        if self.on_connect is not None:
            self.on_connect(bus)
        return bus

    def rd(self, phy: int, reg: int | str, model: str | None = None) -> Any:
        """Read and decode a register (``rd(1, "BMSR")``, ``rd(0, "1.0x8")``); the value
        knows where it was read, so a notebook shows it with an Edit button."""
        from physcapy.shell.bound import bound_read

        with self._locked():
            return bound_read(self.bus, phy, reg, model)

    def wr(self, phy: int, reg: int | str, value: int, model: str | None = None) -> None:
        """Write a register (``wr(1, "BMCR", 0x1200)``)."""
        from physcapy.bus.access import write_register

        with self._locked():
            write_register(self.bus, phy, reg, parse_int("value", value, 0, 0xFFFF), model)

    def modify(self, phy: int, reg: int | str, value: int, mask: int) -> int:
        """Masked read-modify-write (U-Boot ``mii modify``); returns the value written."""
        with self._locked():
            return self.bus.modify(phy, reg, value, mask)

    def dump(self, phy: int = 1, model: str | None = None) -> DumpView:
        """Every register of the PHY's model, decoded (a list, shown as one table)."""
        from physcapy.bus.access import dump
        from physcapy.registers.values import register_class
        from physcapy.shell.bound import bind

        with self._locked():
            m, rows = dump(self.bus, phy, model)
        # An Unreadable row (the driver failed the read) stays one, saying why; the
        # values know where they were read (the notebook's Edit), by their model's key.
        values = [
            bind(register_class(t.spec)(v), self.bus, phy, t.spec.key, m.name)
            if t.spec and isinstance(v, int)
            else v
            for t, v in rows
        ]
        return DumpView(values, int(phy), m.name, [t.key for t, _ in rows])

    def scan(self) -> ScanView:
        """The PHYs on the bus (Clause 22 then Clause 45), shown as a table."""
        from physcapy.bus.access import scan

        with self._locked():
            return ScanView(scan(self.bus))

    def unplug(self, phy: int = 1) -> None:
        """Pull the simulated cable (sim:// and ftdi-emu://)."""
        self._sim().unplug(phy)

    def plug(self, phy: int = 1, partner: str | None = None) -> None:
        """Plug the simulated cable back (into ``partner``, e.g. ``"100full,100half"``)."""
        from physcapy.sim.partner import LinkPartner

        with self._locked():
            self._sim().plug(phy, LinkPartner.parse(partner) if partner else None)

    def _sim(self) -> Any:
        sim = getattr(self.bus, "sim", self.bus)
        if not hasattr(sim, "unplug"):
            raise PhyscapyError(f"{self.bus.url} has no simulated cable to pull")
        return sim

    # -- captures and sessions ----------------------------------------------------------

    def decode(self, path: str, mdc: str | None = None, mdio: str | None = None) -> TransactionList:
        """Decode a capture (``.sr``, VCD, Saleae) or read a session ``.jsonl``."""
        if str(path).endswith(".jsonl"):
            from physcapy.capture.session import read_session

            s = read_session(path)
            return TransactionList(s.transactions, s.meta.models)
        from physcapy.capture.decode import decode

        return TransactionList(decode(path, mdc=mdc, mdio=mdio))

    def replay(
        self, source: str | Iterable[Transaction], against: str | None = None, **kw: Any
    ) -> Any:
        """Replay a capture, session or transaction list against ``against`` (default:
        the current bus); returns the report (``.summary``, ``.mismatches``)."""
        from physcapy.traffic.replay import replay

        items: Iterable[Transaction] = self.decode(source) if isinstance(source, str) else source
        models = getattr(items, "models", None)
        bus = self._open(against) if against else self.bus
        with self._locked():
            return replay(items, bus, models=models, **kw)

    # -- the PAL ------------------------------------------------------------------------

    def phy_connect(
        self, name: str = "0:01", netdev: str = "eth0", profile: str = "linux26", **kw: Any
    ) -> Any:
        """phylib's phy_connect on the current bus, for stepping the machine yourself:
        ``dev = phy_connect("0:01"); phy_start(dev); kernel.run(5); kernel.events``.
        (``pal()`` runs it in the background instead.)"""
        from physcapy.pal import Pal

        if self.kernel is None or self.kernel.bus is not self.bus:
            self.kernel = Pal(self.bus, profile, **kw)
        return self.kernel.phy_connect(self.kernel.netdev(netdev), name)

    def pal(self, phy: int | str = 1, profile: str = "linux26", **kw: Any) -> PalRunner:
        """Connect and start phylib on ``phy`` and keep it running in the background."""
        if self.runner is not None:
            self.runner.stop()
        self.runner = PalRunner(self.bus, phy, profile, **kw)
        return self.runner

    def watch(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Poll a register and show each change (``mii-tool -w``): ``watch(1, "BMSR")``
        on the current bus, or ``watch(bus, 1, "BMSR", interval=1.0, count=None)``."""
        from physcapy.shell.watch import watch

        if args and isinstance(args[0], Bus):
            return watch(*args, **kwargs)
        phy = args[0] if args else kwargs.pop("phy", 1)
        reg = args[1] if len(args) > 1 else kwargs.pop("reg", "BMSR")
        return watch(self.bus, parse_int("PHY address", phy, 0, 31), reg, *args[2:], **kwargs)

    def edit(self, phy: int, reg: int | str, model: str | None = None) -> Any:
        """A register editor (ipywidgets, in a notebook) on the current bus: a toggle
        per bit, a dropdown per enum field, Write and Read back."""
        from physcapy.shell.editor import edit

        return edit(self.bus, parse_int("PHY address", phy, 0, 31), reg, model)

    # -- what there is ----------------------------------------------------------------------

    def ls(self, what: Any = None, **kwargs: Any) -> None:
        """``ls()``: models and helpers; ``ls("lan8720a")``: a model's registers;
        ``ls("BMSR")``: a register's fields; ``ls(MDIO)``, ``ls(BMSR)``: a layer's
        fields, as Scapy's ``ls`` lists them."""
        from physcapy.registers.models import all_models, model

        if what is None:
            phys = [m.name for m in all_models() if m.kind == "phy"]
            print(
                "helpers: rd wr modify dump scan connect decode replay pal unplug plug watch edit "
                "ls plot_waveform plot_timeline plot_register_history explore_waveform explore_timeline\n"
                "scapy: sr sr1 srloop send sniff rdcapture wrcapture fuzz explore "
                "MDIO MDIO45 MDIOPreamble register_layer"
            )
            print(f"bus: {self.bus.url}")
            print(f"models: {', '.join(phys)}")
            return
        if not isinstance(what, str):  # a layer or a register class: Scapy's ls
            from physcapy.mdio.scapy import ls

            ls(what, **kwargs)
            return
        try:
            m = model(what)
        except PhyscapyError:
            spec = model().register(what)
            for f in spec.named_fields:
                print(f"  {f.bits:>5}  {f.name:<28} {f.access:<3} {f.desc}")
            return
        for spec in m.all_registers():
            print(f"  {spec.key:>10}  {spec.name:<14} {spec.title}")

    def namespace(self) -> dict[str, Any]:
        from physcapy.pal import Pal
        from physcapy.pal import phy as phylib
        from physcapy.pal.ethtool import phy_ethtool_gset, phy_ethtool_sset, phy_mii_ioctl

        return {
            "Pal": Pal,
            "phy_connect": self.phy_connect,
            "phy_start": phylib.phy_start,
            "phy_stop": phylib.phy_stop,
            "phy_start_aneg": phylib.phy_start_aneg,
            "phy_print_status": phylib.phy_print_status,
            "phy_ethtool_gset": phy_ethtool_gset,
            "phy_ethtool_sset": phy_ethtool_sset,
            "phy_mii_ioctl": phy_mii_ioctl,
            "plot_waveform": _lazy("plot_waveform"),
            "plot_timeline": _lazy("plot_timeline"),
            "plot_register_history": _lazy("plot_register_history"),
            "explore_waveform": _lazy("explore_waveform", "interactive"),
            "explore_timeline": _lazy("explore_timeline", "interactive"),
            "watch": self.watch,
            "edit": self.edit,
            "rd": self.rd,
            "wr": self.wr,
            "modify": self.modify,
            "dump": self.dump,
            "scan": self.scan,
            "connect": self.connect,
            "decode": self.decode,
            "replay": self.replay,
            "pal": self.pal,
            "unplug": self.unplug,
            "plug": self.plug,
            "ls": self.ls,
            "console": self,
        }


def _lazy(name: str, module: str = "plots") -> Any:
    """A plotting function that imports its module (and numpy, matplotlib or plotly)
    when first called, so the shell starts without them."""

    def call(*args: Any, **kwargs: Any) -> Any:
        from importlib import import_module

        return getattr(import_module(f"physcapy.shell.{module}"), name)(*args, **kwargs)

    call.__name__ = name
    call.__doc__ = f"physcapy.shell.{module}.{name} (see its help once imported)."
    return call


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
