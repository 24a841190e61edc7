# SPDX-License-Identifier: GPL-2.0-only
"""A simulated PHY that behaves like silicon, driven by its register description.

Access semantics come from the access codes of ``layers/*.toml`` (IEEE 802.3
22.2.4, phylib-reference.md §3.3):

* RW bits take what is written, RO/LL/LH/RC bits ignore writes, WO bits read 0;
* LL bits (BMSR link status) read 0 once after the condition dropped, then live;
* LH bits (remote fault, page received...) read 1 once after the event;
* RC bits (counters, interrupt status) clear when read;
* SC bits (BMCR reset, restart AN) stay set until their action is done.

Behaviour follows virtual time: a soft reset lasts ``reset_time`` (writes are
ignored meanwhile, then every register returns to its reset value), and
auto-negotiation with the :class:`~physcapy.sim.partner.LinkPartner` completes
``an_time`` after it starts.  Vendor status registers follow the link through the
model's ``[sim.status]`` rules and interrupt sources latch into its interrupt
status register (``[sim.interrupts]``).

    >>> from physcapy.bus.clock import VirtualClock
    >>> from physcapy.registers.models import model
    >>> phy = SimPhy(model("lan8720a"), 1, VirtualClock())
    >>> hex(phy.read(1)), hex(phy.read(31))
    ('0x782d', '0x1058')
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from physcapy.bus.clock import Clock
from physcapy.errors import RangeError, UnknownNameError
from physcapy.registers.models import Model
from physcapy.registers.regdesc import RegisterSpec
from physcapy.sim.config import SimConfig, sim_config
from physcapy.sim.partner import SWITCH_PORT, LinkPartner, resolve, resolve_master

__all__ = ["Faults", "SimPhy"]

# Storage keys: Clause 22 registers are their address; vendor page banks and MMD
# registers get their own ranges so that one dict holds every register.
_PAGE = 1 << 32
_MMD = 2 << 32
_SPACE = 3 << 32  # indirect spaces: _SPACE | index << 16 | address

# IEEE abilities <-> base-page / 1000BASE-T / 10GBASE-T fields (Annex 28B.2, 40.5.1.1,
# 45.2.7.10/11).  (ability, register kind, field name)
_ADV_FIELDS = (
    ("10half", "base", "cap_10base_t_hd"),
    ("10full", "base", "cap_10base_t_fd"),
    ("100half", "base", "cap_100base_tx_hd"),
    ("100full", "base", "cap_100base_tx_fd"),
    ("pause", "base", "pause"),
    ("asym_pause", "base", "asym_pause"),
    ("next_page", "base", "next_page"),
    ("1000half", "gig", "cap_1000base_t_hd"),
    ("1000full", "gig", "cap_1000base_t_fd"),
    ("10000full", "multi", "adv_10gbase_t"),
    ("5000full", "multi", "adv_5gbase_t"),
    ("2500full", "multi", "adv_2_5gbase_t"),
)
_LP_GIG = (("1000half", "lp_1000base_t_hd"), ("1000full", "lp_1000base_t_fd"))
_LP_MULTI = (
    ("10000full", "lp_10gbase_t"),
    ("5000full", "lp_5gbase_t"),
    ("2500full", "lp_2_5gbase_t"),
)
# What the PHY can do at all (BMSR, ESTATUS, PMA speed ability), whatever it advertises.
_CAP_FIELDS = (
    ("10half", 1, "cap_10_hd"),
    ("10full", 1, "cap_10_fd"),
    ("100half", 1, "cap_100base_x_hd"),
    ("100full", 1, "cap_100base_x_fd"),
    ("1000half", 15, "cap_1000base_t_hd"),
    ("1000full", 15, "cap_1000base_t_fd"),
)

#: The IEEE status fields the link state drives: (register, field, state() variable).
#: BMSR and 1.1/3.1/7.1 link and AN status (22.2.4.2, 45.2.x.2), the partner's AN
#: ability (28.2.4.1.6, 45.2.7.2), 1000BASE-T and MultiGBASE-T status (40.5.1.1,
#: 45.2.7.11) and 1.129 LP information valid (45.2.1.64).
_IEEE_STATUS = (
    ("BMSR", "link_status", "link"),
    ("BMSR", "autoneg_complete", "an_complete"),
    ("EXPANSION", "lp_autoneg_able", "lp_autoneg_able"),
    ("STAT1000", "ms_resolution", "gig_master"),
    ("STAT1000", "local_rx_ok", "link1000"),
    ("STAT1000", "remote_rx_ok", "link1000"),
    ("PMA.STAT1", "link_status", "link"),
    ("PCS.STAT1", "link_status", "link"),
    ("AN.STAT1", "link_status", "link"),
    ("AN.STAT1", "autoneg_complete", "an_complete"),
    ("AN.STAT1", "lp_autoneg_able", "lp_autoneg_able"),
    ("AN.AN_10GBT_STAT", "ms_resolution", "gig_master"),
    ("AN.AN_10GBT_STAT", "local_rx_ok", "link1000"),
    ("AN.AN_10GBT_STAT", "remote_rx_ok", "link1000"),
    ("PMA.PMA_10GBT_STAT", "lp_info_valid", "an_complete"),
)


@dataclass
class Faults:
    """Faults injected at one address.

    ``no_turnaround``: the PHY never drives TA (reads 0xFFFF, writes lost), as if
    absent.  ``stuck``: ``{reg: (mask, value)}`` bits that read as ``value``.
    ``flip``: ``{reg: mask}`` bits inverted on read.  ``drop_writes``: writes are
    lost (True for all, or a set of registers).  ``reset_time``: a slow reset.
    """

    no_turnaround: bool = False
    stuck: dict[int, tuple[int, int]] = field(default_factory=dict)
    flip: dict[int, int] = field(default_factory=dict)
    drop_writes: bool | set[int] = False
    reset_time: float | None = None


@dataclass(slots=True)
class _Info:
    """Access masks of one register, precomputed from its description."""

    spec: RegisterSpec
    writable: int
    ll: int
    lh: int
    rc: int
    wo: int


def _info(spec: RegisterSpec) -> _Info:
    masks: defaultdict[str, int] = defaultdict(int)  # access code -> its bits
    for f in spec.fields:
        if not f.reserved:
            masks[f.access] |= f.mask
    return _Info(
        spec,
        masks["RW"] | masks["SC"] | masks["WO"],
        masks["LL"],
        masks["LH"],
        masks["RC"],
        masks["WO"],
    )


class SimPhy:
    """One simulated PHY at one MDIO address."""

    _gen: int  # the current generation (_new_gen)
    # State of the link (see state()), set by _no_link and the link's changes.
    _link: bool
    _an_complete: bool
    _mode: str | None  # "100full"...
    _lp_autoneg_able: bool

    def __init__(
        self,
        m: Model,
        address: int,
        clock: Clock,
        partner: LinkPartner | None = SWITCH_PORT,
        *,
        start: str = "settled",
        config: SimConfig | None = None,
    ):
        if start not in ("settled", "power-on"):
            raise UnknownNameError("start state", start, ["settled", "power-on"])
        self.model = m
        self.address = address
        self.clock = clock
        self.config = config or sim_config(m)
        self.faults = Faults()
        #: Called with (address, level) when the interrupt output changes.
        self.on_interrupt: Callable[[int, bool], None] | None = None
        self._partner = partner
        self._infos: dict[int, _Info] = {}
        self._store: dict[int, int] = {}
        self._ll: dict[int, int] = {}
        self._lh: dict[int, int] = {}
        self._mmd_addr: dict[int, int] = {}
        self._events: list[tuple[float, int, Callable[[], None]]] = []
        self._event_time: float | None = None
        self._seq = itertools.count()
        # A new number on every (re)start of negotiation, reset or power-down: events
        # scheduled under an older one are stale (they check it when they run).
        self._gens = itertools.count()
        self._irq = False
        self._named: dict[tuple[str, str], tuple[int, int, int] | None] = {}
        self._build_infos()
        self._no_link()  # what a booting part shows (start=power-on) until _boot_done
        self._master = False
        self.booting_until = -math.inf  # answering since ever (settled)
        self.resetting_until = -math.inf  # no reset has run
        now = clock.time()
        #: When the part was powered (``start=power-on``); None: long ago (settled).
        self.powered_at: float | None = now if start == "power-on" else None
        self._load_defaults()
        if start == "power-on":
            self.booting_until = now + self.config.power_on_time
            self._at(self.booting_until, self._boot_done)
        else:
            self._boot_done(settle=True)

    # -- structure -----------------------------------------------------------------------

    def _build_infos(self) -> None:
        m = self.model
        for a, spec in m.registers.items():
            self._infos[a] = _info(spec)
        for page, regs in m.pages.items():
            for a, spec in regs.items():
                self._infos[_PAGE | page << 8 | a] = _info(spec)
        for devad, mmd in m.mmds.items():
            for a, spec in mmd.registers.items():
                self._infos[_MMD | devad << 16 | a] = _info(spec)
        #: indirect spaces by index, and which Clause 22 addresses reach them
        self._spaces = [m.spaces[name] for name in sorted(m.spaces)]
        self._space_regs: dict[int, list[tuple[int, bool]]] = {}  # (space, is its data)
        self._pointer: dict[int, int] = {}  # space index -> selected address / shadow
        for i, space in enumerate(self._spaces):
            for a, spec in space.registers.items():
                self._infos[_SPACE | i << 16 | a] = _info(spec)
            self._space_regs.setdefault(space.select, []).append((i, False))
            if space.data != space.select:
                self._space_regs.setdefault(space.data, []).append((i, True))
        #: mirrored registers: storage key of the alias -> storage key of the target
        self._alias = {self._raw_key(a): self._raw_key(t) for a, t in self.config.mirrors}

    def _load_defaults(self) -> None:
        """Every register back to its reset value (power-on and soft reset)."""
        store = self._store
        store.clear()
        self._ll.clear()
        self._lh.clear()
        for key, info in self._infos.items():
            if key not in self._alias:
                store[key] = info.spec.reset
        ref = self.config.address_field
        if ref is not None:
            key = self._key_of(ref.reg)
            store[key] = ref.field.insert(store[key], self.address & ref.field.maximum)
        self._mmd_addr.clear()
        self._pointer.clear()

    def _key_of(self, spec: RegisterSpec) -> int:
        """Where ``spec``'s value is stored (a mirrored register shares its target's)."""
        key = self._raw_key(spec)
        return self._alias.get(key, key)

    def _raw_key(self, spec: RegisterSpec) -> int:
        if spec.space is not None:
            index = next(i for i, s in enumerate(self._spaces) if s.name == spec.space)
            return _SPACE | index << 16 | spec.address
        if spec.devad is not None:
            return _MMD | spec.devad << 16 | spec.address
        if spec.page is not None:
            return _PAGE | spec.page << 8 | spec.address
        return spec.address

    def _c22_key(self, reg: int) -> int:
        """The storage key a Clause 22 address reaches, following the page register."""
        pr = self.model.page_register
        if pr is not None and self.model.paged_from <= reg <= 30 and reg != pr:
            page = self._store[pr]
            page = self.config.page_alias.get(page, page)
            key = _PAGE | page << 8 | reg
            if key in self._infos or page != self.model.default_page:
                return key
        return reg

    # -- time ----------------------------------------------------------------------------

    def _at(self, when: float, action: Callable[[], None]) -> None:
        # The sequence number orders events due at the same time: first scheduled, first run.
        heapq.heappush(self._events, (when, next(self._seq), action))

    def _catch_up(self) -> None:
        now = self.clock.time()
        events = self._events
        while events and events[0][0] <= now:
            when, _, action = heapq.heappop(events)
            # Run the action at its own time, so what it schedules is not late.
            self._event_time = when
            try:
                action()
            finally:
                self._event_time = None

    def _time(self) -> float:
        """Now, as the PHY sees it: the time of the event being run, else the clock's."""
        return self._event_time if self._event_time is not None else self.clock.time()

    def advance(self) -> None:
        """Run everything that is due at the clock's current time."""
        self._catch_up()

    def at(self, when: float, action: Callable[[], None]) -> None:
        """Do ``action`` (``phy.unplug``...) at bus time ``when``: a scripted scenario.

        It runs when the PHY next catches up with the clock (any access after
        ``when``), at its own time, like the PHY's own events.
        """
        self._at(when, action)

    def next_event_time(self) -> float | None:
        """When the PHY next changes on its own (None: nothing scheduled)."""
        return self._events[0][0] if self._events else None

    # -- the wire ------------------------------------------------------------------------

    def answers(self) -> bool:
        """Does the PHY drive MDIO now (present, powered, not faulted)?"""
        return not self.faults.no_turnaround and self.clock.time() >= self.booting_until

    def c22(self, write: bool, reg: int, data: int) -> tuple[int, bool]:
        """One Clause 22 frame; returns (data on the line, turnaround driven)."""
        if not self.config.clause22 or not self.answers():
            return 0xFFFF, False
        if write:
            self.write(reg, data)
            return data, True
        return self.read(reg), True

    def c45(self, op: int, devad: int, data: int) -> tuple[int, bool]:
        """One Clause 45 frame (op: 0 address, 1 write, 2 read-inc, 3 read)."""
        if self._events and self._events[0][0] <= self.clock.time():
            self._catch_up()
        if not self.config.native_c45 or not self.answers():
            return 0xFFFF, False
        address = self._mmd_addr.get(devad, 0)
        if op >= 2:
            value = self._read_key(_MMD | devad << 16 | address)
            if op == 2:
                self._mmd_addr[devad] = (address + 1) & 0xFFFF
            return value, True
        if op == 0:
            self._mmd_addr[devad] = data
        elif self.faults.drop_writes is not True and self.resetting_until <= self._time():
            self._write_key(_MMD | devad << 16 | address, data)
        # Address and write frames: the station drives TA and data (a write during a
        # reset or with writes dropped is taken off the wire, then ignored).
        return data, True

    # -- register access -----------------------------------------------------------------

    def read(self, reg: int) -> int:
        """Read Clause 22 register ``reg`` with all its side effects (latches, clear-on-read)."""
        if self._events and self._events[0][0] <= self.clock.time():
            self._catch_up()
        if reg == 14 and 13 in self._infos:
            value = self._mmd_access(None)
        elif reg in self._space_regs:
            value = self._space_read(reg)
        else:
            value = self._read_key(self._c22_key(reg))
        if self.faults.stuck or self.faults.flip:
            if reg in self.faults.stuck:
                mask, forced = self.faults.stuck[reg]
                value = (value & ~mask) | (forced & mask)
            value ^= self.faults.flip.get(reg, 0)
        return value

    def _read_key(self, key: int) -> int:
        info = self._infos.get(key)
        if info is None:
            if key < _PAGE:
                return self.config.fixed.get(key, self.config.undescribed)
            return self._store.get(key, 0)
        if self._alias:
            key = self._alias.get(key, key)
        value = self._store[key]
        if info.ll or info.lh:
            value = (value & ~self._ll.pop(key, 0)) | self._lh.pop(key, 0)
        if info.rc:
            self._store[key] &= ~info.rc
            if self.config.interrupts and info.spec is self.config.interrupts.status:
                self._update_irq()
        return value & ~info.wo

    def write(self, reg: int, value: int) -> None:
        """Write Clause 22 register ``reg`` as the PHY would take it."""
        if self._events and self._events[0][0] <= self.clock.time():
            self._catch_up()
        drop = self.faults.drop_writes
        if drop is True or (drop and reg in drop):
            return
        if self.resetting_until > self._time():
            return  # a PHY in soft reset ignores writes (22.2.4.1.1)
        if reg == 14 and 13 in self._infos:
            self._mmd_access(value)
            return
        if reg in self._space_regs:
            self._space_write(reg, value)
            return
        self._write_key(self._c22_key(reg), value)

    def _space_read(self, reg: int) -> int:
        """Register ``reg`` is the data (or shadow) register of an indirect space."""
        for i, data in self._space_regs[reg]:
            space = self._spaces[i]
            if data or space.kind == "shadow":
                return self._read_key(_SPACE | i << 16 | self._pointer.get(i, 0))
        return self._read_key(self._c22_key(reg))  # a select register reads back

    def _space_write(self, reg: int, value: int) -> None:
        """Select an indirect register, or write through the data register.

        Motorcomm: address to 0x1E, data at 0x1F (ytphy_write_ext); Broadcom expansion:
        0x0F00 | register to 0x17, data at 0x15; Broadcom 0x1C shadow: bits 14:10 pick
        the shadow, bit 15 set writes bits 9:0 into it (bcm_phy_write_shadow).
        """
        for i, data in self._space_regs[reg]:
            space = self._spaces[i]
            if space.kind == "shadow":
                msb, lsb = space.selector
                number = (value >> lsb) & ((1 << (msb - lsb + 1)) - 1)
                flag = space.write_enable
                enabled = flag is not None and bool(value >> flag & 1)
                if space.read_select is not None and number != space.read_select:
                    enabled = True  # AUXCTL: shadows 0-6 are written by selecting them
                elif space.read_select is not None and not enabled:
                    # AUXCTL read select (bcm54xx_auxctl_read): the shadow to read back.
                    rmsb, rlsb = space.read_selector
                    number = (value >> rlsb) & ((1 << (rmsb - rlsb + 1)) - 1)
                if enabled:
                    self._write_key(_SPACE | i << 16 | number, value)
                self._pointer[i] = number
            elif data:
                self._write_key(_SPACE | i << 16 | self._pointer.get(i, 0), value)
            else:
                self._pointer[i] = value & ~space.select_base & 0xFFFF
                self._write_key(self._c22_key(reg), value)

    def _write_key(self, key: int, value: int) -> None:
        info = self._infos.get(key)
        if info is None:
            if key >= _PAGE:  # an undescribed register of a page or MMD: plain storage
                self._store[key] = value
            return
        if self._alias:
            key = self._alias.get(key, key)
        old = self._store[key]
        new = (old & ~info.writable) | (value & info.writable)
        self._store[key] = new
        self._after_write(info.spec, old, new)

    def _mmd_access(self, value: int | None) -> int:
        """Register 14 through the function and DEVAD in register 13 (22.2.4.3.11)."""
        ctrl = self._store[13]
        function, devad = ctrl >> 14, ctrl & 0x1F
        if function == 0:
            if value is None:
                return self._mmd_addr.get(devad, 0)
            self._mmd_addr[devad] = value
            return value
        address = self._mmd_addr.get(devad, 0)
        key = _MMD | devad << 16 | address
        if value is None:
            result = self._read_key(key)
            if function == 2:
                self._mmd_addr[devad] = (address + 1) & 0xFFFF
            return result
        self._write_key(key, value)
        if function in (2, 3):
            self._mmd_addr[devad] = (address + 1) & 0xFFFF
        return value

    # -- what writes do ------------------------------------------------------------------

    def _after_write(self, spec: RegisterSpec, old: int, new: int) -> None:
        for ref in self.config.reset_fields:
            if ref.reg is spec and new & ref.field.mask:
                self._begin_reset(self._time())
                return
        for ref in self.config.restart_fields:
            if ref.reg is spec and new & ref.field.mask:
                key = self._key_of(spec)
                self._restart(self._time())
                self._at(
                    self._time() + self.config.restart_time,
                    partial(self._clear_bits, key, ref.field.mask),
                )
                return
        cfg = self.config
        role = cfg.role_field
        if role is not None and spec is role.reg and (old ^ new) & role.field.mask:
            self._restart(self._time())  # a new forced role: the link retrains
        if any(r is not None and spec is r.reg for r in (cfg.plca_enable, cfg.plca_node)):
            self._compose()
        if spec.devad is None and spec.page is None and spec.address == 0:
            self._bmcr_written(old, new)
        elif spec.devad in (1, 3, 7) and spec.address == 0:
            self._c45_ctrl1_written(spec.devad, old, new)
        ints = self.config.interrupts
        if ints is not None and (spec is ints.enable or spec is ints.status):
            self._update_irq()

    def _bmcr_written(self, old: int, new: int) -> None:
        now = self._time()
        if new & 0x8000:
            self._begin_reset(now)
            return
        if new & 0x0200:
            # Restart AN self-clears whether or not it had anything to restart.
            self._at(now + self.config.restart_time, self._clear_restart)
        changed = old ^ new
        forced_change = not new & 0x1000 and changed & 0x2140
        if changed & (0x0800 | 0x4000 | 0x1000) or forced_change or (new & 0x1200 == 0x1200):
            self._restart(now)  # power down, loopback, AN on/off, new forced mode, restart AN

    def _c45_ctrl1_written(self, devad: int, old: int, new: int) -> None:
        now = self._time()
        if new & 0x8000:
            self._begin_reset(now)
        elif devad == 7 and new & 0x0200 and new & 0x1000:
            self._start_an(now)
            self._at(now + self.config.restart_time, self._clear_restart)
        elif devad == 7 and (old ^ new) & 0x1000:
            self._restart(now)

    def _clear_bits(self, key: int, mask: int) -> None:
        if key in self._store:
            self._store[key] &= ~mask

    def _clear_restart(self) -> None:
        for key in (0, _MMD | 7 << 16):
            if key in self._store:
                self._store[key] &= ~0x0200

    def _begin_reset(self, now: float) -> None:
        duration = (
            self.faults.reset_time if self.faults.reset_time is not None else self.config.reset_time
        )
        self.resetting_until = now + duration
        self._new_gen()
        self._link_down()
        # What was written with the reset bit, for parts that apply it after the reset.
        applied = {
            k: self._store[k] & ~0x8200 for k in map(self._key_of, self.config.reset_applies)
        }
        if self.config.reset_reads is not None:
            self._store[0] = self.config.reset_reads
        self._at(self.resetting_until, partial(self._end_reset, applied))

    def _end_reset(self, applied: dict[int, int]) -> None:
        kept = {k: self._store[k] for k in map(self._key_of, self.config.reset_keeps)}
        self._load_defaults()
        self._store.update(kept)
        self._store.update(applied)
        self._update_irq()  # status and enables are back at their defaults
        self._boot_done()

    def _no_link(self) -> None:
        """No link and nothing learnt from a partner (power-on, the end of a reset)."""
        self._link = self._an_complete = self._lp_autoneg_able = False
        self._mode = None

    def _boot_done(self, settle: bool = False) -> None:
        """Registers at their defaults: the link is down; negotiate or force from here."""
        self._no_link()
        self._compose()
        self._event("link_down")
        if self.partner is not None:
            self._event("energy_on")
        self._restart(self._time(), settle=settle)

    # -- link behaviour ------------------------------------------------------------------

    @property
    def partner(self) -> LinkPartner | None:
        """The far end of the cable; None when nothing is plugged in."""
        return self._partner if self._partner is not None and self._partner.plugged else None

    @partner.setter
    def partner(self, partner: LinkPartner | None) -> None:
        self._catch_up()
        had_energy = self.partner is not None
        self._partner = partner
        self._compose()
        if (self.partner is not None) != had_energy:
            self._event("energy_change")
            if self.partner is not None:
                self._event("energy_on")
        self._restart(self._time())

    def unplug(self) -> None:
        """Pull the cable: the link drops now."""
        self.partner = None

    def plug(self, partner: LinkPartner | None = None) -> None:
        """Plug a cable (to ``partner``, or to a default switch port)."""
        self.partner = partner or LinkPartner()

    def _bmcr(self) -> int:
        return self._store.get(0, 0x1140)

    def _an_enabled(self) -> bool:
        if self.config.clause22 and 0 in self._infos:
            return bool(self._bmcr() & 0x1000)
        return bool(self._store.get(_MMD | 7 << 16, 0x1000) & 0x1000)

    def _powered(self) -> bool:
        return not self._bmcr() & 0x0800  # a part without BMCR: its default, powered

    def _restart(self, now: float, settle: bool = False) -> None:
        """(Re)start whatever brings the link up: negotiation or forced mode."""
        if self.resetting_until > now or self.booting_until > now:
            return  # in a reset or still powering up: _boot_done starts the link then
        if not self._powered():
            self._new_gen()  # powered down: no link, nothing scheduled survives
            self._link_down()
            return
        if self._bmcr() & 0x4000:
            self._new_gen()  # loopback: linked to itself whatever is on the cable
            self._link_up(self._forced_mode())
            return
        if self.config.base_t1 is not None:
            self._start_t1(now, settle)
        elif self._an_enabled():
            self._start_an(now, settle)
        else:
            self._start_forced(now, settle)

    def _start_t1(self, now: float, settle: bool) -> None:
        """BASE-T1 (Clauses 96, 147): no auto-negotiation; the PMA comes up when the far
        end is there and the forced roles differ (one MASTER, one SLAVE)."""
        gen = self._new_gen()
        self._link_down()
        self._an_complete = self._lp_autoneg_able = False
        self._compose()
        partner = self.partner
        if partner is None:
            return
        ref = self.config.role_field
        master = ref is None or bool(self._store[self._key_of(ref.reg)] & ref.field.mask)
        if partner.master in ("master", "slave") and (partner.master == "master") == master:
            self._event("ms_fault")  # both ends forced to the same role: no link
            return
        self._master = master
        mode = self.config.base_t1
        assert mode is not None
        if settle:
            self._link_up(mode)
        else:
            self._at(now + self.config.link_time, lambda: self._link_up_if(gen, mode))

    def _start_an(self, now: float, settle: bool = False) -> None:
        gen = self._new_gen()
        self._link_down()
        self._an_complete = self._lp_autoneg_able = False
        self._compose()
        if self.partner is None:
            return  # no energy on the wire: negotiation waits for a cable
        if settle:
            self._an_done(gen, settle=True)
        else:
            self._at(now + self.config.an_time, lambda: self._an_done(gen))

    def _an_done(self, gen: int, settle: bool = False) -> None:
        if gen != self._gen or self.partner is None:
            return
        partner = self.partner
        now = self._time()
        if not partner.autoneg:
            self._parallel_detect(gen, partner, settle)
            return
        self._lp_autoneg_able = True
        self._event("page_received")
        self._latch_named("EXPANSION", "page_received")
        self._latch_named("AN.STAT1", "page_received")
        local = self.advertised()
        mode = resolve(local, partner.abilities)
        self._lp_pages(partner)
        if mode is None:
            # No common technology: AN does not complete and tries again (28.3.4).
            self._compose()
            self._at(now + self.config.an_time, lambda: self._retry(gen))
            return
        master = False
        fast = mode in ("100full", "100half", "10full", "10half")
        if not fast:
            # MASTER-SLAVE control: CTRL1000 (40.5.1.1) or 7.32 (45.2.7.10).
            ctrl = "CTRL1000" if mode.startswith("1000") else "AN.AN_10GBT_CTRL"
            resolved = resolve_master(
                self._bit(ctrl, "ms_manual"),
                self._bit(ctrl, "ms_value"),
                self._bit(ctrl, "port_type"),
                partner,
            )
            if resolved is None:  # both ends manual and equal: configuration fault
                self._latch_named("STAT1000", "ms_fault")
                self._latch_named("AN.AN_10GBT_STAT", "ms_fault")
                self._event("ms_fault")
                self._at(now + self.config.an_time, lambda: self._retry(gen))
                return
            master = resolved
        self._master = master
        if settle or fast:
            self._an_up(mode)
        else:
            # 1000BASE-T and faster train after the page exchange; AN completes (FLP LINK
            # GOOD, 28.3.4) only once the resolved PMA reports link.
            self._at(now + self.config.gigabit_link_time, lambda: self._an_up_if(gen, mode))

    def _new_gen(self) -> int:
        """Start a new generation: what is scheduled under the old one will not act."""
        self._gen = next(self._gens)
        return self._gen

    def _an_up_if(self, gen: int, mode: str) -> None:
        if gen == self._gen and self.partner is not None:
            self._an_up(mode)

    def _an_up(self, mode: str) -> None:
        self._an_complete = True
        self._compose()
        self._event("an_complete")
        self._link_up(mode)

    def _retry(self, gen: int) -> None:
        """Negotiate again after a failed attempt, unless something restarted it since."""
        if gen == self._gen:
            self._restart(self._time())

    def _parallel_detect(self, gen: int, partner: LinkPartner, settle: bool) -> None:
        """The partner sends NLPs or idles instead of FLPs (28.2.3.1)."""
        assert partner.forced is not None  # not negotiating: a forced mode
        speed = partner.forced[:-4]
        if speed not in ("10", "100") or not {speed + "half", speed + "full"} & self.abilities():
            self._compose()  # nothing detectable: keep listening
            return
        self._lp_autoneg_able = False
        mode = speed + "half"  # parallel detection cannot learn the duplex
        self._lp_pages(None, detected=mode)
        self._compose()
        if settle:
            self._an_up(mode)
        else:
            self._at(self._time() + self.config.link_time, lambda: self._an_up_if(gen, mode))

    def _start_forced(self, now: float, settle: bool) -> None:
        gen = self._new_gen()
        self._link_down()
        self._an_complete = self._lp_autoneg_able = False
        self._compose()
        partner = self.partner
        mode = self._forced_mode()
        if (
            partner is None
            or mode not in self.abilities()
            or not self._forced_compatible(mode, partner)
        ):
            return
        if settle:
            self._link_up(mode)
        else:
            self._at(now + self.config.link_time, lambda: self._link_up_if(gen, mode))

    def _forced_mode(self) -> str:
        bmcr = self._bmcr()
        # 0.6 and 0.13 both set (reserved, 22.2.4.1.3) read as 1000 Mb/s, as Linux's
        # genphy_read_status_fixed decodes them.
        speed = "1000" if bmcr & 0x0040 else "100" if bmcr & 0x2000 else "10"
        return speed + ("full" if bmcr & 0x0100 else "half")

    @staticmethod
    def _forced_compatible(mode: str, partner: LinkPartner) -> bool:
        speed = mode[:-4]
        if partner.autoneg:
            # The partner parallel-detects 10BASE-T and 100BASE-TX only.
            return speed in ("10", "100") and bool(
                {speed + "half", speed + "full"} & partner.abilities
            )
        assert partner.forced is not None
        return partner.forced[:-4] == speed

    def _link_up_if(self, gen: int, mode: str) -> None:
        if gen == self._gen and self.partner is not None:
            self._link_up(mode)

    def _link_up(self, mode: str) -> None:
        old_mode = self._mode
        self._link = True
        self._mode = mode
        self._compose()
        self._event("link_up")
        self._event("link_change")
        if old_mode is not None and old_mode[:-4] != mode[:-4]:
            self._event("speed_change")
        if old_mode is not None and old_mode[-4:] != mode[-4:]:
            self._event("duplex_change")

    def _link_down(self) -> None:
        was = self._link
        self._link = False
        self._compose()
        if was:
            self._event("link_down")
            self._event("link_change")

    # -- abilities -----------------------------------------------------------------------

    def abilities(self) -> set[str]:
        """Technologies the PHY can do (BMSR, ESTATUS, PMA/AN abilities)."""
        out: set[str] = set()
        for ability, reg, name in _CAP_FIELDS:
            if self._bit(str(reg), name):
                out.add(ability)
        if self.config.native_c45:
            for ability, name in (
                ("10000full", "cap_10g"),
                ("5000full", "cap_5g"),
                ("2500full", "cap_2_5g"),
                ("1000full", "cap_1000m"),
                ("100full", "cap_100m"),
            ):
                if self._bit("PMA.SPEED", name):
                    out.add(ability)
            if "100full" in out:
                out.add("100half")
        return out

    def advertised(self) -> set[str]:
        """What the PHY offers in its next negotiation, limited to what it can do."""
        out: set[str] = set()
        # The base page: register 4 on a Clause 22 part, else 7.16 (45.2.7.6).
        base = "ADVERTISE" if self._field_of("ADVERTISE", "selector") else "AN.AN_ADVERTISE"
        regs = {"base": base, "gig": "CTRL1000", "multi": "AN.AN_10GBT_CTRL"}
        for ability, kind, name in _ADV_FIELDS:
            if self._bit(regs[kind], name):
                out.add(ability)
        for ability, ref in self.config.advertise.items():  # vendor advertisement fields
            if self._store[self._key_of(ref.reg)] & ref.field.mask:
                out.add(ability)
        able = self.abilities() | {"pause", "asym_pause", "next_page"}
        return out & able

    # -- status composition --------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The link as status rules see it."""
        mode = self._mode if self._link else None
        speed = int(mode[:-4]) if mode else 0
        return {
            "link": int(self._link),
            "an_complete": int(self._an_complete),
            "speed": speed,
            "full": int(bool(mode and mode.endswith("full"))),
            "mode": mode or "none",
            "energy": int(self.partner is not None),
            "resolved": int(self._link),
            "master": int(self._master and self._link),
            "lp_autoneg_able": int(self._lp_autoneg_able),
            "speed10": int(speed == 10),
            "speed100": int(speed == 100),
            "speed1000": int(speed == 1000),
            "link1000": int(speed >= 1000),
            "plca": self._plca_active(),
            "one": 1,
        }

    def _plca_active(self) -> int:
        """PLCA status (Clause 148, aPLCAStatus): enabled, configured and BEACONs on the
        wire, which needs the link (a coordinator: node 0 here or one on the segment)."""
        en, node = self.config.plca_enable, self.config.plca_node
        if en is None or not self._link:
            return 0
        if not self._store[self._key_of(en.reg)] & en.field.mask:
            return 0
        if node is not None:
            ident = node.field.extract(self._store[self._key_of(node.reg)])
            if ident == node.field.maximum:  # 255: not configured
                return 0
        return 1

    def _field_of(self, reg: str, name: str) -> tuple[int, int, int] | None:
        """(storage key, mask, lsb) of a named field, or None if the model lacks it."""
        cache_key = (reg, name)
        if cache_key not in self._named:
            hit: tuple[int, int, int] | None
            try:
                spec = self.model.register(reg)  # "1" is register 1, as 1 is
                f = spec.field(name)
                hit = (self._key_of(spec), f.mask, f.lsb)
            except (UnknownNameError, RangeError):
                hit = None
            self._named[cache_key] = hit
        return self._named[cache_key]

    def _bit(self, reg: str, name: str) -> bool:
        """Is the named field set (not zero)?  False when the model lacks it."""
        hit = self._field_of(reg, name)
        return hit is not None and bool(self._store[hit[0]] & hit[1])

    def _set_live(self, key: int, mask: int, bits: int) -> None:
        """A live condition changes: LL bits that fall and LH bits that rise latch."""
        old = self._store[key]
        new = (old & ~mask) | (bits & mask)
        info = self._infos[key]
        self._ll[key] = self._ll.get(key, 0) | (info.ll & old & ~new)
        self._lh[key] = self._lh.get(key, 0) | (info.lh & new & ~old)
        self._store[key] = new

    def _set_named(self, reg: str, name: str, value: int) -> None:
        hit = self._field_of(reg, name)
        if hit is not None:
            self._set_live(hit[0], hit[1], value << hit[2])

    def _latch_named(self, reg: str, name: str) -> None:
        """An LH event: the bit reads 1 once, whatever the live condition."""
        hit = self._field_of(reg, name)
        if hit is not None:
            self._lh[hit[0]] = self._lh.get(hit[0], 0) | hit[1]

    def _lp_pages(self, partner: LinkPartner | None, detected: str | None = None) -> None:
        """Fill the link partner ability registers from the partner's pages.

        They keep the last page received until a new one arrives or a reset: what a
        driver reads there is only meaningful once AN is complete (28.2.4.1.4).
        """
        lp = set(partner.abilities) if partner is not None else set()
        if lp & {"1000full", "1000half", "2500full", "5000full", "10000full"}:
            lp.add("next_page")  # 1000BASE-T abilities travel in next pages (40.5.1.2)
        if detected:
            lp = {detected}
        # The base page's bits (Annex 28B.2): abilities, Acknowledge, Remote Fault.
        page = {name for ability, kind, name in _ADV_FIELDS if kind == "base" and ability in lp}
        if partner is not None:
            page.add("acknowledge")
            if partner.remote_fault:
                page.add("remote_fault")
        for reg in ("LPA", "AN.AN_LPA"):
            base = self._field_of(reg, "selector")
            if base is None:
                continue
            value = 0x0001 if partner is not None else 0  # selector: IEEE 802.3
            for name in page:
                hit = self._field_of(reg, name)
                if hit is not None:
                    value |= hit[1]
            self._set_live(base[0], 0xFFFF, value)
        for ability, name in _LP_GIG:
            self._set_named("STAT1000", name, int(ability in lp))
        for ability, name in _LP_MULTI:
            self._set_named("AN.AN_10GBT_STAT", name, int(ability in lp))
        for ability, ref in self.config.lp.items():  # vendor partner-ability fields
            mask = ref.field.mask
            self._set_live(self._key_of(ref.reg), mask, mask * (ability in lp))
        self._set_named("EXPANSION", "lp_next_page_able", int("next_page" in lp))
        if partner is not None and partner.remote_fault:
            self._latch_named("BMSR", "remote_fault")
            self._latch_named("AN.STAT1", "remote_fault")
            self._event("remote_fault")

    def _compose(self) -> None:
        """Write the live state into every status field (IEEE and vendor)."""
        s = self.state()
        # MASTER-SLAVE resolution is reported for a 1000BASE-T (or faster) link only.
        values = {**s, "gig_master": s["master"] & s["link1000"]}
        for reg, name, var in _IEEE_STATUS:
            self._set_named(reg, name, values[var])
        for rule in self.config.status:
            key = self._key_of(rule.target.reg)
            f = rule.target.field
            self._set_live(key, f.mask, rule.value(s) << f.lsb)

    # -- interrupts ----------------------------------------------------------------------

    def _event(self, name: str) -> None:
        ints = self.config.interrupts
        if ints is None or name not in ints.events:
            return
        key = self._key_of(ints.status)
        f = ints.events[name]
        self._store[key] |= f.mask
        self._update_irq()

    def _update_irq(self) -> None:
        ints = self.config.interrupts
        if ints is None:
            return
        status = self._store[self._key_of(ints.status)]
        # No enable register: every source is on (its status bit, set here, enables it).
        enable = self._store[self._key_of(ints.enable or ints.status)]
        level = False
        for event, f in ints.events.items():
            if not status & f.mask:
                continue
            en = ints.enables.get(event, f)
            on = bool(enable & en.mask)
            if ints.enable_active_low:
                on = not on
            if on:
                level = True
                break
        if level != self._irq:
            self._irq = level
            if self.on_interrupt is not None:
                self.on_interrupt(self.address, level)

    # The link as of the clock's current time (pending events run first).
    @property
    def link(self) -> bool:
        self._catch_up()
        return self._link

    @property
    def mode(self) -> str | None:
        """``"100full"`` ... while the link is up, else None."""
        self._catch_up()
        return self._mode if self._link else None

    @property
    def an_complete(self) -> bool:
        self._catch_up()
        return self._an_complete

    @property
    def master(self) -> bool:
        """1000BASE-T (and faster) MASTER-SLAVE resolution: True when MASTER."""
        self._catch_up()
        return self._master

    @property
    def irq(self) -> bool:
        """The interrupt output (True = asserted)."""
        self._catch_up()
        return self._irq

    def __repr__(self) -> str:
        link = f"link {self._mode}" if self._link else "no link"
        return f"<SimPhy {self.model.name}@{self.address} {link}, partner {self.partner}>"
