# SPDX-License-Identifier: GPL-2.0-only
"""Creating, binding, attaching and detaching PHY devices (phy_device.c).

Effects are phylib-reference.md §1.1, §1.4 and §2.9: ``phy_connect`` finds the
device by name (``ENODEV``), attaches it (the generic driver if nothing matched,
``EBUSY`` if attached), runs board fixups and ``config_init``, installs the
adjust_link handler and starts the machine (2.6) or asks for the interrupt (v6)::

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://generic@1")
    >>> net = pal.netdev()
    >>> dev = phy_connect(pal, net, "0:01")
    >>> dev.attached_dev is net, dev.drv.name
    (True, 'Generic PHY')
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from physcapy.errors import PalError
from physcapy.pal.constants import (
    PHY_HAS_INTERRUPT,
    PHY_INTERRUPT_DISABLED,
    PHY_POLL,
    SUPPORTED,
    Interface,
    Linux6State,
    State,
)
from physcapy.pal.device import PhyDevice
from physcapy.pal.driver import PhyDriver, generic_driver
from physcapy.pal.types import Kernel, MdioBus

if TYPE_CHECKING:
    from physcapy.pal.events import NetDevice

__all__ = [
    "PHY_ANY_ID",
    "PHY_ANY_UID",
    "Fixup",
    "phy_attach",
    "phy_connect",
    "phy_detach",
    "phy_device_register",
    "phy_disconnect",
    "phy_register_fixup",
    "phy_register_fixup_for_id",
    "phy_register_fixup_for_uid",
]

ENODEV, EBUSY, EINVAL = 19, 16, 22
PHY_ANY_ID = "MATCH ANY PHY"
PHY_ANY_UID = 0xFFFFFFFF


@dataclass(frozen=True)
class Fixup:
    """A board fixup: run ``run(phydev)`` on devices matching bus_id and uid/mask."""

    bus_id: str
    phy_uid: int
    phy_uid_mask: int
    run: Callable[[PhyDevice], Any]

    def applies(self, dev: PhyDevice) -> bool:
        if self.bus_id != PHY_ANY_ID and self.bus_id != dev.name:
            return False
        return self.phy_uid == PHY_ANY_UID or (self.phy_uid & self.phy_uid_mask) == (
            dev.phy_id & self.phy_uid_mask
        )


def phy_register_fixup(
    kernel: Kernel, bus_id: str, phy_uid: int, phy_uid_mask: int, run: Callable[[PhyDevice], Any]
) -> Fixup:
    """Register a fixup run at device registration, before config_init at attach, and
    after an ioctl BMCR reset (§2.9)."""
    fixup = Fixup(bus_id, phy_uid, phy_uid_mask, run)
    kernel.fixups.append(fixup)
    return fixup


def phy_register_fixup_for_uid(
    kernel: Kernel, phy_uid: int, phy_uid_mask: int, run: Callable[[PhyDevice], Any]
) -> Fixup:
    return phy_register_fixup(kernel, PHY_ANY_ID, phy_uid, phy_uid_mask, run)


def phy_register_fixup_for_id(
    kernel: Kernel, bus_id: str, run: Callable[[PhyDevice], Any]
) -> Fixup:
    return phy_register_fixup(kernel, bus_id, PHY_ANY_UID, 0xFFFFFFFF, run)


def phy_scan_fixups(dev: PhyDevice) -> None:
    """Run every matching fixup in registration order; the first failure raises.
    (The first import had no fixups at all.)"""
    if dev.profile.v2005:
        return
    for fixup in dev.kernel.fixups:
        if fixup.applies(dev):
            result = fixup.run(dev)
            if isinstance(result, int) and result < 0:
                raise PalError(-result, f"{dev.name}: board fixup failed")


# -- creation and binding ----------------------------------------------------------------


def phy_device_register(
    bus: MdioBus,
    addr: int,
    phy_id: int,
    *,
    is_c45: bool = False,
    c45_ids: dict[int, int] | None = None,
    mmds_present: int = 0,
) -> PhyDevice | None:
    """phy_device_create + phy_device_register: fixups, then the driver core matches
    and probes.  An address already taken is dropped silently (2.6.32)."""
    if addr in bus.phy_map:
        return None
    dev = PhyDevice(bus, addr, phy_id, is_c45=is_c45)
    if c45_ids:
        dev.c45_ids = dict(c45_ids)
    # get_phy_c45_ids fills c45_ids.mmds_present before the device exists: probe and
    # get_features see it.
    dev.mmds_present = mmds_present
    bus.phy_map[addr] = dev
    if dev.profile.v2005 and bus.irq is not None:
        dev.irq = bus.irq[addr]  # the first import set it in mdiobus_register
    try:
        phy_scan_fixups(dev)
    except PalError as exc:
        if dev.profile.modern:
            # v6 drops this PHY (-ENODEV) and the scan goes on; 2.6.32 ignores the result.
            del bus.phy_map[addr]
            dev.kernel.log(dev, f"{dev.name}: board fixup failed, PHY not registered: {exc}")
            return None
        dev.kernel.log(dev, f"{dev.name}: board fixup failed (ignored): {exc}")
    drv = _match(dev)
    if drv is not None:
        phy_probe(dev, drv)
    return dev


def _match(dev: PhyDevice) -> PhyDriver | None:
    """The first registered driver that claims the device (the driver core tries them
    in order; a Clause 45 device matches on any of its MMDs' IDs)."""
    for drv in dev.kernel.drivers:
        if drv.matches_device(dev):
            return drv
    return None


def phy_probe(dev: PhyDevice, drv: PhyDriver) -> None:
    """Bind ``drv`` (§1.1 Probe): IRQ to POLL without PHY_HAS_INTERRUPT, features,
    READY, the driver's probe; 2005 also ran config_init here; v6 learns features from
    the PHY when the driver does not list them."""
    profile = dev.profile
    dev.drv = drv
    if profile.modern:
        _phy_probe_612(dev, drv)
        return
    if not drv.flags & PHY_HAS_INTERRUPT:
        dev.irq = PHY_POLL
    dev.supported = dev.advertising = drv.features
    dev.state = State.READY
    if drv.probe is not None:
        drv.probe(dev)
    if profile.v2005 and drv.config_init is not None:
        drv.config_init(dev)


def _phy_probe_612(dev: PhyDevice, drv: PhyDriver) -> None:
    """v6.12 phy_probe (drivers/net/phy/phy_device.c), in its order: IRQ to POLL unless
    the driver has both config_intr and handle_interrupt; the driver's probe;
    phy_disable_interrupts (config_intr with interrupts off: MDIO even when polling);
    the features (the driver's, plus the EEE abilities; or get_features; or
    genphy_read_abilities: BMSR, ESTATUS, 3.20 through 13/14); autoneg off without the
    Autoneg ability; advertising from supported; the EEE advertisement (7.60) when the
    PHY has EEE; both pause bits; READY."""
    from physcapy.pal import genphy

    if (drv.config_intr is None or drv.handle_interrupt is None) and dev.irq > 0:
        dev.irq = PHY_POLL
    if drv.probe is not None:
        drv.probe(dev)
    if drv.config_intr is not None:
        dev.interrupts = PHY_INTERRUPT_DISABLED
        with contextlib.suppress(PalError):  # phy_probe ignores phy_disable_interrupts
            drv.config_intr(dev)
    if drv.features:
        dev.supported = drv.features
        with contextlib.suppress(PalError):
            genphy.genphy_c45_read_eee_abilities(dev)
    elif drv.get_features is not None:
        dev.supported = int(drv.get_features(dev))
    elif dev.is_c45:
        from physcapy.pal.phy_c45 import genphy_c45_pma_read_abilities

        dev.supported = genphy_c45_pma_read_abilities(dev)
    else:
        dev.supported = genphy.genphy_read_abilities(dev)
    if not dev.supported & SUPPORTED["Autoneg"]:
        dev.autoneg = 0
    # phy_advertise_supported keeps the pause bits advertising had (none yet)...
    pause = SUPPORTED["Pause"] | SUPPORTED["Asym_Pause"]
    dev.advertising = dev.supported & ~pause
    dev.advertising_eee = genphy.genphy_c45_read_eee_adv(dev)
    dev.eee_enabled = bool(dev.advertising_eee)
    if dev.eee_enabled:
        dev.advertising_eee &= dev.supported_eee
    # ...then the PHY passes pause frames whatever it is, so both are supported;
    # the MAC decides what to advertise (phy_support_asym_pause).
    if not dev.supported & pause:
        dev.supported |= pause
    dev.state = Linux6State.READY


# -- attach / connect ---------------------------------------------------------------------


def find_device(kernel: Kernel, bus_id: str) -> PhyDevice:
    """The device named ``bus_id`` (``"0:01"``), or ENODEV naming the devices there are."""
    for bus in kernel.buses:
        for dev in bus.phy_map.values():
            if dev.name == bus_id:
                return dev
    names = [d.name for b in kernel.buses for d in b.phy_map.values()]
    why = _why_absent(kernel, bus_id)
    raise PalError(
        ENODEV,
        f"no PHY named {bus_id!r} (devices: {', '.join(names) or 'none'}; "
        f"names are BUSID:ADDR with ADDR as two hex digits){why}",
    )


def _why_absent(kernel: Kernel, bus_id: str) -> str:
    """Why the scan found no PHY at the address of ``bus_id``: nobody drove MDIO when
    it read the IDs, and for a simulated PHY still powering up, until when."""
    bus_name, _, tail = bus_id.rpartition(":")
    try:
        addr = int(tail, 16)
    except ValueError:
        return ""
    for bus in kernel.buses:
        if bus.id != bus_name or getattr(bus, "scanned_at", None) is None:
            continue
        t = bus.scanned_at
        text = f": the scan at {t:.4f} s read no ID at address {addr} (no PHY drove MDIO)"
        sim = (getattr(getattr(bus, "bus", None), "phys", None) or {}).get(addr)
        until = getattr(sim, "booting_until", -1.0)
        if sim is not None and until > t:
            text += (
                f"; the PHY there was still powering up until {until:.4f} s: probe later "
                "(--probe-delay, Pal(probe_delay=...))"
            )
        return text
    return ""


def phy_attach_direct(
    netdev: NetDevice, dev: PhyDevice, flags: int = 0, interface: Interface = Interface.GMII
) -> PhyDevice:
    """Bind the generic driver if needed, refuse a second MAC (EBUSY), store the MAC's
    settings, then fixups + config_init (2.6.32) or phy_init_hw + resume (v6)."""
    if dev.drv is None:
        phy_probe(dev, generic_driver(dev.profile, dev.is_c45))
        dev.priv["generic_bound"] = True
    if dev.attached_dev is not None:
        raise PalError(
            EBUSY, f"{dev.name} is already attached to {dev.attached_dev.name}: detach it first"
        )
    dev.attached_dev = netdev
    netdev.phydev = dev
    dev.dev_flags = flags
    dev.interface = Interface(interface)
    drv = dev.drv
    assert drv is not None
    if dev.profile.modern:
        dev.interrupts = PHY_INTERRUPT_DISABLED
        dev.state = Linux6State.READY
        # v6.12 phy_attach_direct: netif_carrier_off (2.6.32 never turns it off here).
        from physcapy.pal.phy import _carrier

        _carrier(dev, False)
        try:
            phy_init_hw(dev)
        except PalError:
            dev.attached_dev = None
            netdev.phydev = None
            raise
        from physcapy.pal.phy import phy_resume

        phy_resume(dev)
    elif drv.config_init is not None and not dev.profile.v2005:
        # A failure leaves the MAC attached (2.6.32 returns without undoing it).
        phy_scan_fixups(dev)
        drv.config_init(dev)
    return dev


def _attached_info(dev: PhyDevice) -> None:
    """The line MAC drivers print (2.6) / phy_attached_info prints (v6) after connecting."""
    assert dev.drv is not None and dev.attached_dev is not None
    if dev.profile.modern:
        irq = "POLL" if dev.irq == PHY_POLL else "MAC" if dev.irq == -2 else str(dev.irq)
        dev.log(
            f"{dev.drv.name} {dev.name}: attached PHY driver (mii_bus:phy_addr={dev.name}, irq={irq})"
        )
    else:
        dev.log(
            f"{dev.attached_dev.name}: attached PHY driver [{dev.drv.name}] "
            f"(mii_bus:phy_addr={dev.name}, irq={dev.irq})"
        )


def phy_init_hw(dev: PhyDevice) -> None:
    """v6 (attach, resume, ioctl reset): soft reset, fixups, config_init, then the
    interrupt configured as ``interrupts`` says."""
    drv = dev.drv
    assert drv is not None
    if drv.soft_reset is not None:
        drv.soft_reset(dev)
        dev.suspended = False
    phy_scan_fixups(dev)
    if drv.config_init is not None:
        drv.config_init(dev)
    if drv.config_intr is not None:
        drv.config_intr(dev)


def phy_attach(
    kernel: Kernel,
    netdev: NetDevice,
    bus_id: str,
    flags: int = 0,
    interface: Interface = Interface.GMII,
) -> PhyDevice:
    """Find the device and attach it; no state machine, no interrupt (the MAC "does it
    all itself")."""
    dev = phy_attach_direct(netdev, find_device(kernel, bus_id), flags, interface)
    _attached_info(dev)
    return dev


def phy_connect(
    kernel: Kernel,
    netdev: NetDevice,
    bus_id: str,
    handler: Callable[[NetDevice], None] | None = None,
    flags: int = 0,
    interface: Interface = Interface.GMII,
) -> PhyDevice:
    """Attach, install ``handler`` as adjust_link, start the machine (2.6, first tick in
    1 s) and the interrupt (if the device has one)."""
    from physcapy.pal import phy

    dev = phy_attach_direct(netdev, find_device(kernel, bus_id), flags, interface)
    dev.adjust_link = handler if handler is not None else netdev.handler
    if dev.profile.modern:
        if dev.irq > 0:
            phy.phy_request_interrupt(dev)
    else:
        phy.phy_start_machine(dev, None)
        if dev.irq > 0:
            phy.phy_start_interrupts(dev)
    _attached_info(dev)
    return dev


def phy_detach(dev: PhyDevice) -> None:
    """Forget the MAC; unbind the generic driver so that a real one could bind later."""
    if dev.attached_dev is not None:
        dev.attached_dev.phydev = None
    dev.attached_dev = None
    if dev.profile.modern and dev.drv is not None and dev.drv.suspend is not None:
        from physcapy.pal.phy import phy_suspend

        phy_suspend(dev)
    if dev.priv.pop("generic_bound", False):
        dev.drv = None
        dev.state = Linux6State.DOWN if dev.profile.modern else State.DOWN


def phy_disconnect(dev: PhyDevice) -> None:
    """Stop interrupts and the machine, drop the handler, detach."""
    from physcapy.pal import phy

    if dev.profile.modern:
        # v6: stop a started PHY (link down, suspend), free the IRQ, detach.
        if dev.state >= Linux6State.UP:
            phy.phy_stop(dev)
        if dev.irq > 0:
            phy.phy_free_interrupt(dev)
        dev.adjust_link = None
        phy_detach(dev)
        return
    if dev.irq > 0:
        phy.phy_stop_interrupts(dev)
    phy.phy_stop_machine(dev)
    dev.adjust_link = None
    phy_detach(dev)
