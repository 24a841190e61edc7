# SPDX-License-Identifier: GPL-2.0-only
"""``struct mii_bus`` over any physcapy bus, registration and the PHY scan.

``mdiobus_register`` probes every address not masked by ``phy_mask`` with the rules
of the profile (phylib-reference.md §2.1): 2.6.32 reads PHYSID1/PHYSID2, takes
``(id & 0x1fffffff) == 0x1fffffff`` for "no PHY" and aborts the whole registration
on a read error; v6 runs a Clause 22 pass (-EIO/-ENODEV reads mean "nobody here"),
re-probes an ID of 0 as Clause 45 when the bus can, then a Clause 45 pass over the
addresses still empty unless a Micrel PHY was found::

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://lan8720a@1,dp83848@3")
    >>> sorted(pal.mii.phy_map)
    [1, 3]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from physcapy.bus.base import Bus
from physcapy.errors import PalError, PhyscapyError, RangeError, UnsupportedError
from physcapy.mdio.frames import Frame
from physcapy.pal.constants import PHY_MAX_ADDR, PHY_POLL
from physcapy.pal.types import Kernel

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["MICREL_OUI", "MiiBus", "mdiobus_register", "mdiobus_unregister"]

EIO, ENODEV, EINVAL, EOPNOTSUPP = 5, 19, 22, 95
#: The OUI field (``phy_id >> 10``) of Micrel parts: their Clause 22 PHYs misbehave on
#: Clause 45 frames, so a modern scan skips the C45 pass when it finds one.
MICREL_OUI = 0x000885


class MiiBus:
    """A registered-or-not MDIO bus as phylib sees it.

    ``read``/``write`` return/raise as the kernel's bus ops do: a back-end failure is
    ``EIO``; a read nobody answered gives 0xFFFF (what the pull-up and the kernel's
    bit-bang driver give), or ``EIO`` with ``turnaround_errors=True`` (a controller
    that checks the turnaround).  ``error`` set to an errno makes every access fail
    with it (a dead adapter, for fault scenarios).
    """

    def __init__(
        self,
        kernel: Kernel,
        bus: Bus,
        id: str = "0",
        name: str | None = None,
        *,
        phy_mask: int = 0,
        irq: Sequence[int] | None = None,
        reset: Callable[[MiiBus], None] | None = None,
        c45: bool = True,
        turnaround_errors: bool = False,
    ):
        if not id or len(id) > 16:
            raise RangeError(f"mii_bus id {id!r} must be 1-16 characters (MII_BUS_ID_SIZE 17)")
        if not 0 <= phy_mask <= 0xFFFFFFFF:
            raise RangeError(f"phy_mask {phy_mask:#x} is out of range: allowed 0-0xffffffff")
        if irq is not None and len(irq) != PHY_MAX_ADDR:
            raise RangeError(f"irq table has {len(irq)} entries: needs {PHY_MAX_ADDR}")
        self.kernel = kernel
        self.bus = bus
        self.id = id
        self.name = name or f"physcapy {bus.url}"
        self.phy_mask = phy_mask
        self.irq: list[int] | None = list(irq) if irq is not None else None
        self.reset_hook = reset
        self.c45 = c45
        self.turnaround_errors = turnaround_errors
        self.error: int | None = None
        self.state = "ALLOCATED"
        self.phy_map: dict[int, PhyDevice] = {}
        #: Bus time of the last scan (mdiobus_register), for "why no PHY" errors.
        self.scanned_at: float | None = None

    # -- the bus ops --------------------------------------------------------------------

    def _fail(self, what: str, exc: Exception | None = None) -> PalError:
        why = f": {exc}" if exc is not None else ""
        return PalError(self.error or EIO, f"{self.id}: {what} failed{why}")

    def read(self, addr: int, reg: int) -> int:
        if self.error is not None:
            raise self._fail(f"read of PHY {addr} register {reg}")
        try:
            if not self.turnaround_errors:
                return self.bus.read(addr, reg)
            (f,) = self.bus.batch([Frame(22, "read", addr, reg)])
        except PhyscapyError as exc:
            raise self._fail(f"read of PHY {addr} register {reg}", exc) from None
        if not f.ta_ok:
            raise PalError(EIO, f"{self.id}: no turnaround from PHY {addr} (register {reg})")
        return f.data

    def write(self, addr: int, reg: int, value: int) -> None:
        if self.error is not None:
            raise self._fail(f"write of PHY {addr} register {reg}")
        try:
            self.bus.write(addr, reg, value)
        except PhyscapyError as exc:
            raise self._fail(f"write of PHY {addr} register {reg}", exc) from None

    def read_c45(self, addr: int, devad: int, reg: int) -> int:
        if self.error is not None:
            raise self._fail(f"Clause 45 read of {addr}:{devad}.{reg}")
        try:
            if not self.turnaround_errors:
                return self.bus.read_c45(addr, devad, reg)
            _, f = self.bus.batch(
                [Frame(45, "address", addr, devad, reg), Frame(45, "read", addr, devad)]
            )
        except UnsupportedError as exc:
            # The back end cannot pass Clause 45 (a MAC driver's MII ioctl): as
            # mdiobus_c45_read on a bus without read_c45, -EOPNOTSUPP.
            raise PalError(EOPNOTSUPP, f"{self.id}: {exc}") from None
        except PhyscapyError as exc:
            raise self._fail(f"Clause 45 read of {addr}:{devad}.{reg}", exc) from None
        if not f.ta_ok:
            raise PalError(EIO, f"{self.id}: no turnaround from PRTAD {addr} DEVAD {devad}")
        return f.data

    def write_c45(self, addr: int, devad: int, reg: int, value: int) -> None:
        if self.error is not None:
            raise self._fail(f"Clause 45 write of {addr}:{devad}.{reg}")
        try:
            self.bus.write_c45(addr, devad, reg, value)
        except PhyscapyError as exc:
            raise self._fail(f"Clause 45 write of {addr}:{devad}.{reg}", exc) from None

    def reset(self) -> None:
        if self.reset_hook is not None:
            self.reset_hook(self)

    def __repr__(self) -> str:
        return f"<MiiBus {self.id} {self.state} {sorted(self.phy_map)} on {self.bus.url}>"


# -- registration ------------------------------------------------------------------------


def mdiobus_register(bus: MiiBus) -> None:
    """Register ``bus`` and scan it (§2.1)."""
    kernel = bus.kernel
    if bus.state not in ("ALLOCATED", "UNREGISTERED"):
        raise PalError(EINVAL, f"mii_bus {bus.id} is {bus.state}: register it only once")
    if any(b.id == bus.id for b in kernel.buses):
        raise PalError(17, f"an mii_bus named {bus.id!r} is already registered")
    bus.reset()
    kernel.buses.append(bus)
    bus.state = "REGISTERED"
    bus.scanned_at = kernel.now()
    try:
        if kernel.profile.modern:
            _scan_modern(bus)
        else:
            _scan_26(bus)
    except PalError:
        for dev in list(bus.phy_map.values()):
            _remove(dev)
        kernel.buses.remove(bus)
        bus.state = "UNREGISTERED"
        raise
    kernel.log(None, f"{bus.name}: probed")


def mdiobus_unregister(bus: MiiBus) -> None:
    """Remove every PHY of ``bus`` (they must be detached first) and unregister it."""
    for dev in bus.phy_map.values():
        if dev.attached_dev is not None:
            raise PalError(16, f"{dev.name} is still attached to {dev.attached_dev.name}")
    for dev in list(bus.phy_map.values()):
        _remove(dev)
    if bus in bus.kernel.buses:
        bus.kernel.buses.remove(bus)
    bus.state = "UNREGISTERED"


def _remove(dev: PhyDevice) -> None:
    drv = dev.drv
    if dev.timer is not None:
        dev.timer.cancel()
        dev.timer = None
    if drv is not None and drv.remove is not None:
        drv.remove(dev)
    dev.drv = None
    dev.bus.phy_map.pop(dev.addr, None)


def _masked(bus: MiiBus, addr: int) -> bool:
    return bool(bus.phy_mask & (1 << addr))


def _scan_26(bus: MiiBus) -> None:
    from physcapy.pal.phy_device import phy_device_register

    v2005 = bus.kernel.profile.v2005
    for addr in range(PHY_MAX_ADDR):
        if _masked(bus, addr):
            continue
        try:
            phy_id = (bus.read(addr, 2) & 0xFFFF) << 16 | (bus.read(addr, 3) & 0xFFFF)
        except PalError as exc:
            raise PalError(EIO, f"scan of {bus.id} address {addr}: {exc}") from None
        absent = phy_id == 0xFFFFFFFF if v2005 else (phy_id & 0x1FFFFFFF) == 0x1FFFFFFF
        if absent:
            continue
        phy_device_register(bus, addr, phy_id)


def _c22_id(bus: MiiBus, addr: int) -> int | None:
    """get_phy_c22_id: None is "no device" (-ENODEV); other failures raise EIO."""
    try:
        phy_id = (bus.read(addr, 2) & 0xFFFF) << 16 | (bus.read(addr, 3) & 0xFFFF)
    except PalError as exc:
        if exc.errno in (EIO, ENODEV):
            return None
        raise PalError(EIO, str(exc)) from None
    if (phy_id & 0x1FFFFFFF) == 0x1FFFFFFF:
        return None
    return phy_id


def _mostly_f(value: int) -> bool:
    return (value & 0x1FFFFFFF) == 0x1FFFFFFF


def _c45_ids(bus: MiiBus, addr: int) -> tuple[int, dict[int, int]] | None:
    """get_phy_c45_ids: devices in package, then the ID of each present MMD.

    None is "no device" (-ENODEV); a read error raises EIO and aborts the scan.
    """

    def devs(devad: int) -> int:
        return bus.read_c45(addr, devad, 6) << 16 | bus.read_c45(addr, devad, 5)

    def present(devad: int) -> bool:
        # Vendor MMDs 30/31 must say "device present" (STAT2 bits 15:14 = 10) first.
        return devad < 30 or (bus.read_c45(addr, devad, 8) >> 14) == 0b10

    try:
        # The first MMD (from 1) whose devices-in-package is non-zero; MMD 0 only when
        # that value is mostly ones (some 10G PHYs report zero everywhere but MMD 0).
        in_package = 0
        for devad in range(1, 32):
            if in_package & 0x1FFFFFFF:
                break
            if present(devad):
                in_package = devs(devad)
        if _mostly_f(in_package):
            in_package = devs(0)
            if _mostly_f(in_package):
                return None
        ids: dict[int, int] = {}
        for devad in range(1, 32):
            if not in_package & (1 << devad):
                continue
            if devad >= 30 and not present(devad):
                continue
            ids[devad] = bus.read_c45(addr, devad, 2) << 16 | bus.read_c45(addr, devad, 3)
    except PalError as exc:
        if exc.errno == EOPNOTSUPP:
            raise  # no Clause 45 on this bus at all: the caller ends the pass
        raise PalError(EIO, f"Clause 45 probe of {bus.id} address {addr}: {exc}") from None
    return in_package, ids


def _scan_modern(bus: MiiBus) -> None:
    from physcapy.pal.phy_device import phy_device_register

    micrel = False
    for addr in range(PHY_MAX_ADDR):
        if _masked(bus, addr):
            continue
        phy_id = _c22_id(bus, addr)
        if phy_id is None:
            continue
        if phy_id == 0 and bus.c45:
            # Linux does not take ID 0 for "absent": it asks Clause 45 (88E2110).
            found = _c45_ids(bus, addr)
            if found is not None:
                _register_c45(bus, addr, *found)
                continue
        if phy_id >> 10 == MICREL_OUI:
            micrel = True
        phy_device_register(bus, addr, phy_id)
    if not bus.c45 or micrel:
        return
    for addr in range(PHY_MAX_ADDR):
        if _masked(bus, addr) or addr in bus.phy_map:
            continue
        try:
            found = _c45_ids(bus, addr)
        except PalError as exc:
            if exc.errno != EOPNOTSUPP:
                raise
            return  # mdiobus_scan_bus_c45 is not run on a bus without read_c45
        if found is not None:
            _register_c45(bus, addr, *found)


def _register_c45(bus: MiiBus, addr: int, in_package: int, ids: dict[int, int]) -> None:
    from physcapy.pal.phy_device import phy_device_register

    # A Clause 45 device keeps phy_id 0; its identity is the ID of each MMD.
    phy_device_register(bus, addr, 0, is_c45=True, c45_ids=ids, mmds_present=in_package & ~1)


def bus_irq_table(irqs: dict[int, int]) -> list[int]:
    """A 32-entry irq table, PHY_POLL except at the given addresses."""
    table = [PHY_POLL] * PHY_MAX_ADDR
    for addr, irq in irqs.items():
        table[addr] = irq
    return table
