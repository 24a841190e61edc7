# SPDX-License-Identifier: GPL-2.0-only
"""``struct phy_device`` and the profile (which kernel's phylib) it lives under.

Fields and their creation defaults are phylib-reference.md §1.1 (2.6.32
``phy_device_create``): speed 0, duplex -1, link 1 (yes, 1), interface GMII,
autoneg on, irq from the bus's table or PHY_POLL, state DOWN::

    >>> from physcapy.pal import Pal
    >>> dev = Pal("sim://lan8720a@1").device("0:01")
    >>> dev.name, hex(dev.phy_id), dev.state.name, dev.drv.name
    ('0:01', '0x7c0f1', 'READY', 'SMSC LAN8710/LAN8720')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_ENABLE,
    DUPLEX_UNKNOWN,
    PHY_INTERRUPT_DISABLED,
    PHY_POLL,
    SPEED_UNKNOWN,
    Interface,
    Linux6State,
    State,
)
from physcapy.pal.types import PROFILES, Driver, Kernel, MdioBus, Profile

if TYPE_CHECKING:
    from physcapy.pal.events import NetDevice
    from physcapy.pal.scheduler import Work

__all__ = ["PROFILES", "PhyDevice", "Profile"]


class PhyDevice:
    """One PHY found on a :class:`~physcapy.pal.mdiobus.MiiBus`."""

    def __init__(self, bus: MdioBus, addr: int, phy_id: int, *, is_c45: bool = False):
        self.bus = bus
        self.kernel: Kernel = bus.kernel
        self.profile: Profile = bus.kernel.profile
        self.addr = addr
        self.phy_id = phy_id
        self.is_c45 = is_c45
        #: Modern C45 probe: ID per MMD (index = DEVAD) and the MMDs present.
        self.c45_ids: dict[int, int] = {}
        self.mmds_present = 0
        #: v6.12 ``pma_extable`` (1.11), read once by genphy_c45_baset1_able.
        self.pma_extable: int | None = None
        self.name = f"{bus.id}:{addr:02x}"
        self.drv: Driver | None = None
        self.state: State | Linux6State = Linux6State.DOWN if self.profile.modern else State.DOWN
        self.dev_flags = 0
        self.pause = 0
        self.asym_pause = 0
        if self.profile.modern:
            self.speed, self.duplex, self.link = SPEED_UNKNOWN, DUPLEX_UNKNOWN, 0
        else:
            # 2.6 phy_device_create: speed 0, duplex -1 and link 1 (the first status
            # read corrects it).
            self.speed, self.duplex, self.link = 0, DUPLEX_UNKNOWN, 1
        self.autoneg_complete = 0
        self.interrupts = PHY_INTERRUPT_DISABLED
        self.supported = 0
        self.advertising = 0
        self.lp_advertising = 0
        #: v6.12 EEE: modes with EEE (3.20), the EEE advertisement (7.60) and whether
        #: EEE is on (the PHY advertised some at probe).
        self.supported_eee = 0
        self.advertising_eee = 0
        self.eee_enabled = False
        self.autoneg = AUTONEG_ENABLE
        self.link_timeout = 0
        self.master_slave_state = "unknown"
        # v6 1000BASE-T MASTER-SLAVE configuration (ethtool names): what ethtool asked
        # for, and what CTRL1000 holds; "unsupported" until set or read.
        self.master_slave_set = "unsupported"
        self.master_slave_get = "unsupported"
        self.suspended = False
        self.link_down_events = 0
        if self.profile.v2005:
            # The first import did not set interface or irq at creation (§1.1).
            self.interface = Interface.MII
            self.irq = PHY_POLL
        else:
            self.interface = Interface.GMII
            self.irq = bus.irq[addr] if bus.irq is not None else PHY_POLL
        self.attached_dev: NetDevice | None = None
        self.adjust_link: Any = None
        self.adjust_state: Any = None
        #: Work item of the next state-machine run.
        self.timer: Work | None = None
        #: How many times the interrupt line has been masked (irq_disable in 2.6.32).
        self.irq_disable = 0
        #: Driver-private data (the kernel's ``priv``).
        self.priv: dict[str, Any] = {}

    # -- register access (phy_read / phy_write) ---------------------------------------

    def read(self, reg: int) -> int:
        """phy_read: a Clause 22 read at this PHY's address."""
        return self.bus.read(self.addr, reg)

    def write(self, reg: int, value: int) -> None:
        """phy_write."""
        self.bus.write(self.addr, reg, value)

    def modify(self, reg: int, clear: int, setbits: int) -> int:
        """Read, clear ``clear``, set ``setbits``, write; returns the old value.

        v6 (phy_modify) skips the write when nothing changes; 2.6 drivers open-code a
        read and a write, so the write always happens.
        """
        old = self.read(reg)
        new = (old & ~clear) | setbits
        if new != old or not self.profile.modern:
            self.write(reg, new)
        return old

    def read_mmd(self, devad: int, reg: int) -> int:
        """phy_read_mmd: native Clause 45 for a C45 device, else registers 13/14 (§3.6);
        EOPNOTSUPP without MDIO for a driver whose read_mmd is
        genphy_read_mmd_unsupported (v6.12 Realtek RTL8211/RTL8211B/RTL8208)."""
        self._check_mmd()
        if self.is_c45:
            return self.bus.read_c45(self.addr, devad, reg)
        self.write(13, devad)
        self.write(14, reg)
        self.write(13, 0x4000 | devad)
        return self.read(14)

    def write_mmd(self, devad: int, reg: int, value: int) -> None:
        """phy_write_mmd."""
        self._check_mmd()
        if self.is_c45:
            self.bus.write_c45(self.addr, devad, reg, value)
            return
        self.write(13, devad)
        self.write(14, reg)
        self.write(13, 0x4000 | devad)
        self.write(14, value)

    def _check_mmd(self) -> None:
        if self.drv is not None and getattr(self.drv, "mmd_unsupported", False):
            raise PalError(95, f"{self.name}: {self.drv.name} has no MMD access")

    def select_page(self, page_reg: int, page: int) -> int:
        """phy_select_page: read the page register, write ``page`` if it differs;
        returns the page to restore."""
        old = self.read(page_reg)
        if old != page:
            self.write(page_reg, page)
        return old

    def read_paged(self, page_reg: int, page: int, reg: int) -> int:
        """phy_read_paged: select ``page``, read ``reg``, restore the previous page."""
        old = self.select_page(page_reg, page)
        try:
            return self.read(reg)
        finally:
            self.write(page_reg, old)

    def write_paged(self, page_reg: int, page: int, reg: int, value: int) -> None:
        """phy_write_paged."""
        old = self.select_page(page_reg, page)
        try:
            self.write(reg, value)
        finally:
            self.write(page_reg, old)

    # -- what the core asks -----------------------------------------------------------

    def polling(self) -> bool:
        """phy_polling_mode: no interrupt line."""
        return self.irq == PHY_POLL

    def log(self, text: str) -> None:
        """A kernel log line (dev_info/printk) on the timeline."""
        self.kernel.log(self, text)

    def __repr__(self) -> str:
        drv = self.drv.name if self.drv else "no driver"
        return (
            f"<PhyDevice {self.name} id={self.phy_id:#010x} {drv} {self.state.name} "
            f"link={self.link} {self.speed}/{'Full' if self.duplex == 1 else 'Half'}>"
        )
