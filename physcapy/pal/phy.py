# SPDX-License-Identifier: GPL-2.0-only
"""The PHY state machine and the phy_* entry points (phy.c), in both profiles.

``linux26`` is the twelve-state machine of 2.6.32 (phylib-reference.md §1.4-§1.7),
with the first import's differences (§1.8) under the ``2005`` variant; ``linux6``
is the v6.x machine (§1.10).  A tick runs on the bus clock, re-arms itself one
second after the current jiffy (delays count whole jiffies of ``Pal.HZ`` = 250, so
a tick's few hundred microseconds of MDIO do not make the next one drift), and records every state
change, carrier change, adjust_link call and log line on the kernel's timeline::

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://generic@1")
    >>> dev = pal.phy_connect(pal.netdev(), "0:01")
    >>> pal.phy_start(dev); pal.run(3)
    >>> [(round(t, 4), a, b) for t, a, b in pal.events.states()]
    [(0.0017, 'READY', 'UP'), (1.0, 'UP', 'AN'), (2.0, 'AN', 'RUNNING'), (3.0, 'RUNNING', 'CHANGELINK')]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AN_TIMEOUT,
    AUTONEG_DISABLE,
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_UNKNOWN,
    FORCE_TIMEOUT,
    PHY_HAS_MAGICANEG,
    PHY_INTERRUPT_DISABLED,
    PHY_INTERRUPT_ENABLED,
    PHY_POLL,
    PHY_STATE_TIME,
    SETTINGS,
    SETTINGS_612,
    SPEED_UNKNOWN,
    SUPPORTED,
    Linux6State,
    State,
    find_setting,
    find_valid,
)
from physcapy.pal.genphy import genphy_aneg_done, genphy_update_link

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice
    from physcapy.pal.events import NetDevice

__all__ = [
    "phy_error",
    "phy_print_status",
    "phy_read",
    "phy_read_status",
    "phy_resume",
    "phy_sanitize_settings",
    "phy_start",
    "phy_start_aneg",
    "phy_start_interrupts",
    "phy_start_machine",
    "phy_stop",
    "phy_stop_interrupts",
    "phy_stop_machine",
    "phy_suspend",
    "phy_trigger_machine",
    "phy_write",
]

ENODEV = 19


# -- small helpers: state, carrier, adjust_link ------------------------------------------


def _t(dev: PhyDevice) -> float:
    return dev.kernel.event_time()


def _set_state(dev: PhyDevice, new: State | Linux6State) -> None:
    if new != dev.state:
        old = dev.state
        dev.state = new
        dev.kernel.events.emit(_t(dev), "state", dev.name, **{"from": old.name, "to": new.name})


def _carrier(dev: PhyDevice, on: bool) -> None:
    """netif_carrier_on/off: only a change is an event (the kernel's are no-ops else)."""
    net = dev.attached_dev
    if net is None or net.carrier == on:
        return
    net.carrier = on
    net.carrier_changes.append((_t(dev), on))
    dev.kernel.events.emit(_t(dev), "carrier", dev.name, on=on)


def _adjust_link(dev: PhyDevice) -> None:
    net = dev.attached_dev
    if net is None:
        return
    t = _t(dev)
    duplex = {DUPLEX_FULL: "full", 0: "half"}.get(dev.duplex, "unknown")
    net.adjust_calls.append((t, dev.link, dev.speed, dev.duplex, dev.pause))
    dev.kernel.events.emit(
        t, "adjust_link", dev.name, link=dev.link, speed=dev.speed, duplex=duplex, pause=dev.pause
    )
    if dev.adjust_link is not None:
        dev.adjust_link(net)


# -- register access ---------------------------------------------------------------------


def phy_read(dev: PhyDevice, reg: int) -> int:
    """phy_read: one Clause 22 read at the device's address."""
    return dev.read(reg)


def phy_write(dev: PhyDevice, reg: int, value: int) -> None:
    """phy_write."""
    dev.write(reg, value)


def phy_read_status(dev: PhyDevice) -> None:
    """The driver's read_status."""
    assert dev.drv is not None
    dev.drv.read_status(dev)


# -- status printing ---------------------------------------------------------------------


#: v6.12 phy_speed_to_str, for the speeds physcapy's parts reach.
_MODERN_SPEED = {
    10: "10Mbps",
    100: "100Mbps",
    1000: "1Gbps",
    2500: "2.5Gbps",
    5000: "5Gbps",
    10000: "10Gbps",
}


def phy_print_status(dev: PhyDevice) -> str:
    """``PHY: 0:01 - Link is Up - 100/Full`` (2.6.32) or ``physcapy-mac eth0: Link is Up -
    100Mbps/Full - flow control rx/tx`` (v6.12: netdev_info on the MAC's net_device);
    logged and returned."""
    full = dev.duplex == DUPLEX_FULL
    if dev.profile.modern:
        # v6.12 phy_print_status is netdev_info on the attached net_device:
        # "<MAC driver> <ifname>: ...".
        net = dev.attached_dev
        who = f"{net.driver} {net.name}" if net is not None else dev.name
        if dev.link:
            speed = _MODERN_SPEED.get(dev.speed, "Unknown")
            duplex = "Full" if full else ("Half" if dev.duplex == 0 else "Unknown")
            text = f"{who}: Link is Up - {speed}/{duplex} - flow control {_pause_str(dev)}"
        else:
            text = f"{who}: Link is Down"
    else:
        # 2005 printed the bus id alone; 2.6.32 prefixes "PHY: ".
        who = dev.name if dev.profile.v2005 else f"PHY: {dev.name} -"
        if dev.link:
            text = f"{who} Link is Up - {dev.speed}/{'Full' if full else 'Half'}"
        else:
            text = f"{who} Link is Down"
        if dev.profile.v2005:
            text = text.replace(f"{dev.name} Link", f"{dev.name}: Link")
    dev.kernel.log(dev, text)
    return text


def _pause_str(dev: PhyDevice) -> str:
    """v6 phy_pause_str: what flows, from our advertisement and the resolved pause bits."""
    if dev.autoneg == AUTONEG_DISABLE:
        return "off"
    local_pause = bool(dev.advertising & SUPPORTED["Pause"])
    local_asym = bool(dev.advertising & SUPPORTED["Asym_Pause"])
    if local_pause and dev.pause:
        return "rx/tx"
    if local_asym and dev.asym_pause:
        if local_pause:
            return "rx"
        if dev.pause:
            return "tx"
    return "off"


# -- settings ----------------------------------------------------------------------------


def phy_sanitize_settings(dev: PhyDevice) -> None:
    """Make forced settings something the PHY supports (§2.7).

    2.6: autoneg off without Autoneg support; speed/duplex to the first supported row
    at or after the requested one (10/HALF when nothing fits).  v6: the requested
    mode if supported, else the fastest supported at or below it, else UNKNOWN.
    """
    features = dev.supported
    if not features & SUPPORTED["Autoneg"]:
        dev.autoneg = AUTONEG_DISABLE
    if not dev.profile.modern:
        idx = find_valid(find_setting(dev.speed, dev.duplex), features)
        dev.speed, dev.duplex = SETTINGS[idx][0], SETTINGS[idx][1]
        return
    rows = [(s, d) for s, d, bit in SETTINGS_612 if features & bit]
    if (dev.speed, dev.duplex) in rows:
        return
    # v6.12 phy_lookup_setting, not exact: the fastest mode at or below the request, else the
    # slowest supported; UNKNOWN only when nothing is supported.
    lower = [(s, d) for s, d in rows if s <= dev.speed]
    if lower or rows:
        dev.speed, dev.duplex = lower[0] if lower else rows[-1]
    else:
        dev.speed, dev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN


def _force_reduction(dev: PhyDevice) -> None:
    """Step forced speed/duplex down one supported row and say so (2.6 phy_force_reduction)."""
    idx = find_valid(find_setting(dev.speed, dev.duplex) + 1, dev.supported)
    dev.speed, dev.duplex = SETTINGS[idx][0], SETTINGS[idx][1]
    dev.kernel.log(dev, f"Trying {dev.speed}/{'FULL' if dev.duplex == DUPLEX_FULL else 'HALF'}")


# -- aneg ------------------------------------------------------------------------------------


def phy_start_aneg(dev: PhyDevice) -> None:
    """Program negotiation (or forced mode) and, in 2.6, enter AN or FORCING.

    v6: no state change of its own; if the machine is started the link status is
    checked right away (§1.10).
    """
    assert dev.drv is not None
    if dev.autoneg == AUTONEG_DISABLE:
        phy_sanitize_settings(dev)
    dev.drv.config_aneg(dev)
    if dev.profile.modern:
        if dev.state >= Linux6State.UP:
            _check_link_status(dev)
        return
    if dev.state != State.HALTED:
        if dev.autoneg == AUTONEG_ENABLE:
            dev.link_timeout = AN_TIMEOUT
            _set_state(dev, State.AN)
        else:
            dev.link_timeout = FORCE_TIMEOUT
            _set_state(dev, State.FORCING)


# -- machine control ---------------------------------------------------------------------


def _schedule(dev: PhyDevice, delay: float) -> None:
    """schedule_delayed_work: due ``delay`` after the current jiffy."""
    if dev.timer is not None:
        dev.timer.cancel()
    when = dev.kernel.jiffies_time() + delay
    dev.timer = dev.kernel.scheduler.at(when, lambda: _run(dev))


def phy_start_machine(dev: PhyDevice, handler: Callable[[NetDevice], None] | None = None) -> None:
    """2.6: remember ``handler`` (run at the start of every tick) and schedule the first
    tick one second from now.  v6: run the machine now."""
    dev.adjust_state = handler
    if dev.profile.modern:
        phy_trigger_machine(dev)
        return
    _schedule(dev, PHY_STATE_TIME)


def phy_trigger_machine(dev: PhyDevice) -> None:
    """Cancel the pending run and run the machine as soon as possible (delay 0)."""
    if dev.timer is not None:
        dev.timer.cancel()
    dev.timer = dev.kernel.scheduler.at(dev.kernel.now(), lambda: _run(dev))


def phy_stop_machine(dev: PhyDevice) -> None:
    """Cancel the pending tick; a started machine falls back to UP."""
    if dev.timer is not None:
        dev.timer.cancel()
        dev.timer = None
    if dev.profile.modern:
        if dev.state >= Linux6State.UP:
            _set_state(dev, Linux6State.UP)
    elif dev.state > State.UP:
        _set_state(dev, State.UP)
    dev.adjust_state = None


def phy_error(dev: PhyDevice, exc: PalError | None = None) -> None:
    """2.6: HALTED, nothing else.  v6: WARN (logged), ERROR, and the machine runs again
    at once."""
    if dev.profile.modern:
        dev.kernel.log(dev, f"{dev.name}: phy_error: {exc}")
        _set_state(dev, Linux6State.ERROR)
        phy_trigger_machine(dev)
    else:
        _set_state(dev, State.HALTED)


def phy_start(dev: PhyDevice) -> None:
    """2.6: STARTING->PENDING, READY->UP, HALTED->RESUMING (no register access).
    v6: from READY or HALTED only: resume the PHY, UP, run the machine now."""
    if dev.profile.modern:
        if dev.state not in (Linux6State.READY, Linux6State.HALTED):
            dev.kernel.log(dev, f"{dev.name}: called from state {dev.state.name}")
            return
        phy_resume(dev)
        _set_state(dev, Linux6State.UP)
        phy_trigger_machine(dev)  # v6 phy_start_machine
        return
    step = {State.STARTING: State.PENDING, State.READY: State.UP, State.HALTED: State.RESUMING}
    new = step.get(State(dev.state))
    if new is not None:
        _set_state(dev, new)


def phy_stop(dev: PhyDevice) -> None:
    """2.6: interrupts off (disable then ack; 2005: ack then disable), HALTED; the next
    tick drops the carrier.  v6: HALTED, the machine runs now (link down, suspend),
    then no more ticks."""
    if dev.profile.modern:
        if dev.state < Linux6State.UP and dev.state not in (
            Linux6State.DOWN,
            Linux6State.ERROR,
        ):
            dev.kernel.log(dev, f"{dev.name}: called from state {dev.state.name}")
            return
        _set_state(dev, Linux6State.HALTED)
        _run(dev)
        phy_stop_machine(dev)
        return
    if dev.state == State.HALTED:
        return
    if dev.irq != PHY_POLL:
        # Both calls are made and their results ignored (2005: ack first).
        calls = (_clear_interrupt, _disable_interrupt)
        for call in calls if dev.profile.v2005 else reversed(calls):
            try:
                call(dev)
            except PalError as exc:
                dev.kernel.log(dev, f"{dev.name}: {exc}")
    _set_state(dev, State.HALTED)


def phy_suspend(dev: PhyDevice) -> None:
    if dev.profile.modern and dev.suspended:
        return  # v6: already suspended, nothing to do
    if dev.drv is not None and dev.drv.suspend is not None:
        dev.drv.suspend(dev)
    dev.suspended = True


def phy_resume(dev: PhyDevice) -> None:
    if dev.drv is not None and dev.drv.resume is not None:
        dev.drv.resume(dev)
    dev.suspended = False


# -- the tick --------------------------------------------------------------------------------


def _run(dev: PhyDevice) -> None:
    dev.timer = None
    if dev.profile.modern:
        again = _tick_modern(dev)
        if again and dev.polling() and dev.state >= Linux6State.UP and dev.timer is None:
            _schedule(dev, PHY_STATE_TIME)
        return
    _tick_26(dev)
    if dev.timer is None:
        _schedule(dev, PHY_STATE_TIME)


def _tick_26(dev: PhyDevice) -> None:
    """One run of the 2.6.32 machine (§1.5), or of the 2005 one (§1.8)."""
    drv = dev.drv
    assert drv is not None
    v2005 = dev.profile.v2005
    needs_aneg = False
    try:
        if dev.adjust_state is not None and dev.attached_dev is not None:
            dev.adjust_state(dev.attached_dev)
        s = dev.state
        if s == State.UP:
            needs_aneg = True  # phy_start_aneg sets the AN or forcing timeout
        elif s == State.AN and v2005:
            needs_aneg = _an_2005(dev)
        elif s == State.AN:
            drv.read_status(dev)
            if not dev.link:
                _set_state(dev, State.NOLINK)
                _carrier(dev, False)
                _adjust_link(dev)
            elif genphy_aneg_done(dev):
                _set_state(dev, State.RUNNING)
                _carrier(dev, True)
                _adjust_link(dev)
            elif _expired(dev):
                needs_aneg = True
                if not drv.flags & PHY_HAS_MAGICANEG:
                    _force_fastest(dev)
        elif s == State.NOLINK:
            drv.read_status(dev)
            if dev.link:
                _set_state(dev, State.RUNNING)
                _carrier(dev, True)
                _adjust_link(dev)
        elif s == State.FORCING:
            if v2005:
                drv.read_status(dev)
            else:
                genphy_update_link(dev)
            if dev.link:
                _set_state(dev, State.RUNNING)
                _carrier(dev, True)
            elif _expired(dev):
                _force_reduction(dev)
                needs_aneg = True
            _adjust_link(dev)
        elif s == State.RUNNING:
            # Poll the link every other tick; with an interrupt, wait for it.
            if dev.irq == PHY_POLL:
                _set_state(dev, State.CHANGELINK)
        elif s == State.CHANGELINK:
            _status_to_state(dev)
            if dev.irq != PHY_POLL:
                _config_interrupt(dev, PHY_INTERRUPT_ENABLED)
        elif s == State.HALTED:
            if dev.link:
                dev.link = 0
                _carrier(dev, False)
                _adjust_link(dev)
        elif s == State.RESUMING:
            _resuming(dev)
        if needs_aneg:
            phy_start_aneg(dev)
    except PalError:
        phy_error(dev)  # 2.6 phy_error takes no error


def _expired(dev: PhyDevice) -> bool:
    """``link_timeout-- == 0``: compare, then decrement (fires on the 11th tick)."""
    fired = dev.link_timeout == 0
    dev.link_timeout -= 1
    return fired


def _force_fastest(dev: PhyDevice) -> None:
    """AN timed out: force the fastest supported row, and say so."""
    idx = find_valid(0, dev.supported)
    dev.speed, dev.duplex = SETTINGS[idx][0], SETTINGS[idx][1]
    dev.autoneg = AUTONEG_DISABLE
    dev.kernel.log(dev, f"Trying {dev.speed}/{'FULL' if dev.duplex == DUPLEX_FULL else 'HALF'}")


def _an_2005(dev: PhyDevice) -> bool:
    """The first import's AN tick: AN done first; timeout forces FORCING directly."""
    drv = dev.drv
    assert drv is not None
    if genphy_aneg_done(dev):
        _status_to_state(dev)
        return False
    if not _expired(dev):
        return False
    if not drv.flags & PHY_HAS_MAGICANEG:
        _force_fastest(dev)
        _set_state(dev, State.FORCING)  # phy_start_aneg then sets the forcing timeout
    return True


def _resuming(dev: PhyDevice) -> None:
    drv = dev.drv
    assert drv is not None
    # Done even when polling if the driver has the hooks (§1.5 RESUMING row).
    _clear_interrupt(dev)
    _config_interrupt(dev, PHY_INTERRUPT_ENABLED)
    if dev.autoneg == AUTONEG_ENABLE:
        if genphy_aneg_done(dev):
            if dev.profile.v2005:
                _set_state(dev, State.RUNNING)
                return
            drv.read_status(dev)
            _link_to_state(dev)
        else:
            _set_state(dev, State.AN)
            dev.link_timeout = AN_TIMEOUT
    elif dev.profile.v2005:
        _set_state(dev, State.RUNNING)  # the first import: no status read, no adjust_link
    else:
        drv.read_status(dev)
        _link_to_state(dev)


def _status_to_state(dev: PhyDevice) -> None:
    """Read the status; RUNNING with carrier on, or NOLINK with carrier off; then
    adjust_link (the 2.6 CHANGELINK step, also after AN completes)."""
    assert dev.drv is not None
    dev.drv.read_status(dev)
    if dev.link:
        _set_state(dev, State.RUNNING)
        _carrier(dev, True)
    else:
        _set_state(dev, State.NOLINK)
        _carrier(dev, False)
    _adjust_link(dev)


def _link_to_state(dev: PhyDevice) -> None:
    if dev.link:
        _set_state(dev, State.RUNNING)
        _carrier(dev, True)
    else:
        _set_state(dev, State.NOLINK)
    _adjust_link(dev)


# -- the v6 machine ----------------------------------------------------------------------


def _link_up(dev: PhyDevice) -> None:
    _carrier(dev, True)
    _adjust_link(dev)


def _link_down(dev: PhyDevice) -> None:
    _carrier(dev, False)
    _adjust_link(dev)
    dev.link_down_events += 1


def _check_link_status(dev: PhyDevice) -> None:
    """phy_check_link_status: read status; a change of link moves RUNNING/NOLINK and
    tells the MAC (only then: adjust_link fires on transitions alone)."""
    assert dev.drv is not None
    dev.drv.read_status(dev)
    if dev.link and dev.state != Linux6State.RUNNING:
        _set_state(dev, Linux6State.RUNNING)
        _link_up(dev)
    elif not dev.link and dev.state != Linux6State.NOLINK:
        _set_state(dev, Linux6State.NOLINK)
        _link_down(dev)


def _tick_modern(dev: PhyDevice) -> bool:
    """One run of the v6 machine; False when it must not re-arm (-ENODEV)."""
    s = dev.state
    suspend = False
    try:
        if s == Linux6State.UP:
            phy_start_aneg(dev)
        elif s in (Linux6State.NOLINK, Linux6State.RUNNING):
            _check_link_status(dev)
        elif s in (Linux6State.HALTED, Linux6State.ERROR):
            # v6.12 only drops the link here; clearing speed, duplex and the partner's
            # pages on HALTED is a later (2025 net-next) change, not v6.12.
            if dev.link:
                dev.link = 0
                _link_down(dev)
            suspend = True
    except PalError as exc:
        if exc.errno == ENODEV:
            return False
        phy_error(dev, exc)  # runs the machine again at once (dev.timer is set)
    if suspend:
        try:
            phy_suspend(dev)
        except PalError as exc:
            dev.kernel.log(dev, f"{dev.name}: suspend failed: {exc}")
    return True


# -- interrupts ----------------------------------------------------------------------------


def _config_interrupt(dev: PhyDevice, interrupts: int) -> None:
    dev.interrupts = interrupts
    if dev.drv is not None and dev.drv.config_intr is not None:
        dev.drv.config_intr(dev)


def _disable_interrupt(dev: PhyDevice) -> None:
    _config_interrupt(dev, PHY_INTERRUPT_DISABLED)


def _clear_interrupt(dev: PhyDevice) -> None:
    if dev.drv is not None and dev.drv.ack_interrupt is not None:
        dev.drv.ack_interrupt(dev)


def phy_start_interrupts(dev: PhyDevice) -> None:
    """2.6: ask for the (shared) line; failure is a warning and polling, not an error;
    then ack and enable the PHY's interrupt.  An ack or enable failure is only returned
    in 2.6.32 (phy_connect ignores it), so it is logged here, not a phy_error."""
    kernel = dev.kernel
    dev.irq_disable = 0
    if not kernel.request_irq(dev.irq, dev, lambda: _phy_interrupt(dev)):
        kernel.log(dev, f"{dev.bus.name}: Can't get IRQ {dev.irq} (PHY)")
        dev.irq = PHY_POLL
        return
    try:
        _clear_interrupt(dev)
        _config_interrupt(dev, PHY_INTERRUPT_ENABLED)
    except PalError as exc:
        kernel.log(dev, f"{dev.name}: enabling the PHY interrupt failed: {exc}")


def phy_stop_interrupts(dev: PhyDevice) -> None:
    """2.6: disable and ack the PHY's interrupt, release the line, cancel a queued
    phy_change and undo the line masking it left behind."""
    try:
        _config_interrupt(dev, PHY_INTERRUPT_DISABLED)
        _clear_interrupt(dev)
    except PalError:
        phy_error(dev)  # 2.6 phy_error takes no error
    kernel = dev.kernel
    kernel.free_irq(dev.irq, dev)
    work = dev.priv.pop("phy_change", None)
    if work is not None:
        work.cancel()
    # A cancelled phy_change never re-enabled the line its interrupt masked.
    for _ in range(dev.irq_disable):
        kernel.enable_irq(dev.irq)
    dev.irq_disable = 0


def _phy_interrupt(dev: PhyDevice) -> bool:
    """The hard IRQ handler: no MDIO here.  Returns False for "not ours"."""
    kernel = dev.kernel
    if dev.profile.modern:
        # v6: a threaded handler; IRQF_ONESHOT keeps the line masked until it is done.
        kernel.disable_irq(dev.irq)
        kernel.scheduler.at(kernel.now(), lambda: _irq_thread(dev))
        return True
    if dev.state == State.HALTED and not dev.profile.v2005:
        return False
    kernel.disable_irq(dev.irq)
    if not dev.profile.v2005:
        dev.irq_disable += 1
    dev.priv["phy_change"] = kernel.scheduler.at(kernel.now(), lambda: _phy_change(dev))
    return True


def _phy_change(dev: PhyDevice) -> None:
    """2.6.32 phy_change (process context): §1.7 steps 1-5, with its error labels: a
    failed disable leaves the line masked; a failed re-enable masks it again."""
    drv = dev.drv
    assert drv is not None
    kernel = dev.kernel
    dev.priv.pop("phy_change", None)
    v2005 = dev.profile.v2005
    if not v2005 and drv.did_interrupt is not None and not drv.did_interrupt(dev):
        # "ignore": unmask the line.  One still asserted interrupts again at once, and
        # phy_interrupt returns IRQ_HANDLED (so the IRQ core never calls it spurious):
        # the kernel repeats this round until did_interrupt says "ours".  Each repeat
        # asks the same PHY until something else happens, so the model runs the next
        # one when the next timer or PHY event is due, not again at this instant.
        dev.irq_disable -= 1
        kernel.enable_irq(dev.irq)
        again = dev.priv.get("phy_change")
        if again is not None:
            again.cancel()
            when = kernel.scheduler.next_time()
            dev.priv["phy_change"] = kernel.scheduler.at(when, lambda: _phy_change(dev))
        return
    try:
        _config_interrupt(dev, PHY_INTERRUPT_DISABLED)
        _clear_interrupt(dev)
    except PalError:
        phy_error(dev)  # 2.6 phy_error takes no error
        return
    if dev.state in (State.RUNNING, State.NOLINK):
        _set_state(dev, State.CHANGELINK)
    if not v2005:
        dev.irq_disable -= 1
    kernel.enable_irq(dev.irq)
    if dev.state != State.HALTED or v2005:  # 2005 re-enables whatever the state
        try:
            _config_interrupt(dev, PHY_INTERRUPT_ENABLED)
        except PalError:
            kernel.disable_irq(dev.irq)
            dev.irq_disable += 1
            phy_error(dev)  # 2.6 phy_error takes no error
            return
    if not v2005:
        phy_trigger_machine(dev)


def _irq_thread(dev: PhyDevice) -> None:
    """v6 threaded handler: the driver's handle_interrupt reads and acks its status and
    triggers the machine; then the line is unmasked.  A thread that did not handle it
    counts towards the IRQ core's "nobody cared" (note_interrupt), so a PHY whose line
    stays asserted while its handler fails has the line disabled, not served forever."""
    # phy_probe leaves an IRQ only to a driver with handle_interrupt.
    assert dev.drv is not None
    handle = dev.drv.handle_interrupt
    assert handle is not None
    handled = False
    try:
        handled = handle(dev)
        if handled:
            phy_trigger_machine(dev)
    except PalError as exc:
        phy_error(dev, exc)  # and IRQ_NONE, as the drivers return after phy_error
    dev.kernel.note_interrupt(dev.irq, handled)
    dev.kernel.enable_irq(dev.irq)


def phy_request_interrupt(dev: PhyDevice) -> None:
    """v6: request the threaded IRQ and enable the PHY's interrupt; failing either
    falls back to polling with a warning."""
    kernel = dev.kernel
    if not kernel.request_irq(dev.irq, dev, lambda: _phy_interrupt(dev)):
        kernel.log(dev, f"{dev.name}: Error -6 requesting IRQ {dev.irq}, falling back to polling")
        dev.irq = PHY_POLL
        return
    try:
        _config_interrupt(dev, PHY_INTERRUPT_ENABLED)
    except PalError:
        kernel.free_irq(dev.irq, dev)
        kernel.log(dev, f"{dev.name}: Can't enable interrupt, falling back to polling")
        dev.irq = PHY_POLL


def phy_free_interrupt(dev: PhyDevice) -> None:
    """v6: disable the PHY's interrupt and free the line."""
    try:
        _config_interrupt(dev, PHY_INTERRUPT_DISABLED)
    except PalError as exc:
        dev.kernel.log(dev, f"{dev.name}: {exc}")
    dev.kernel.free_irq(dev.irq, dev)


def phy_mac_interrupt(dev: PhyDevice) -> None:
    """v6: the MAC saw the PHY's interrupt (PHY_MAC_INTERRUPT): run the machine now."""
    phy_trigger_machine(dev)
