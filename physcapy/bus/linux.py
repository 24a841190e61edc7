# SPDX-License-Identifier: GPL-2.0-only
"""``linux://IFACE``: PHY registers through a Linux network interface's MII ioctls.

The MAC driver behind the interface does the MDIO frames; physcapy asks it with
``SIOCGMIIREG`` (read) and ``SIOCSMIIREG`` (write) on an ``AF_INET`` datagram socket,
and ``SIOCGMIIPHY`` tells which PHY address the driver is attached to::

    >>> from physcapy import open_bus
    >>> bus = open_bus("linux://eth0")          # doctest: +SKIP
    >>> bus.phy_address()                       # doctest: +SKIP
    1
    >>> hex(bus.read(1, "BMSR"))                # doctest: +SKIP
    '0x796d'

The kernel checks ``CAP_NET_ADMIN`` before it asks the driver, for reads
(``SIOCGMIIPHY``, ``SIOCGMIIREG``) as for writes (``SIOCSMIIREG``): run as root.

Clause 45 goes through the same ioctls with ``phy_id = 0x8000 | PRTAD << 5 | DEVAD`` and
``reg_num`` the 16-bit register. The ioctl has no ADDRESS frame of its own, so this bus
keeps the last ADDRESS per (PRTAD, DEVAD) and sends it with each READ or WRITE; a
POST-READ-INCREMENT read advances the kept address.

Not every driver passes what it is asked, and this bus does not show made-up data as
real (the rules, and the drivers they were tried on, are in ``docs/linux-mii.md``):

* **A driver that ignores the PHY address** (Intel e1000 and e1000e, Atheros atl2 and
  others answer every address from their one PHY).  Before the first access to an
  address other than the one ``SIOCGMIIPHY`` reports, PHYSID1/2 are read at all 32
  addresses; when every one answers with the same identifier the driver is taken to
  ignore the address, :meth:`LinuxBus.single_phy_address` says which address the PHY
  has, ``scan`` lists it once, and accesses to any other address are refused.
* **A driver that cannot pass Clause 45** (``generic_mii_ioctl`` users and drivers that
  mask ``reg_num`` to 5 bits read a Clause 22 register instead).  Before the first
  Clause 45 access to a (PRTAD, DEVAD), registers 2, 3, 34 and 35 of it are read: when
  34/35 repeat 2/3 and all four repeat PHYSID1/2 of the Clause 22 PHY the masked
  address would reach, the driver aliased them and the access is refused, naming the
  register 13/14 route that works.
* **A read the driver fails** (``EIO``, as e1000 answers for registers its PHY lacks) is
  a :class:`~physcapy.errors.ReadFailedError`, not a value.

No frame timing or turnaround is visible through the ioctl: a read the driver completes
counts as answered.
"""

from __future__ import annotations

import errno
import os
import socket
import struct
from collections.abc import Callable

from physcapy.bus.base import Bus
from physcapy.bus.clock import Clock, RealClock
from physcapy.errors import (
    PhyscapyError,
    ReadFailedError,
    UnsupportedError,
    WriteFailedError,
    parse_int,
)
from physcapy.mdio.frames import OP_NAMES

__all__ = [
    "IFREQ_SIZE",
    "SIOCGMIIPHY",
    "SIOCGMIIREG",
    "SIOCSMIIREG",
    "BusError",
    "Clause45Error",
    "Ioctl",
    "LinuxBus",
    "WriteRefusedError",
    "c45_phy_id",
    "pack_mii_ifreq",
    "unpack_mii_ifreq",
]

#: ``<linux/sockios.h>`` request numbers.
SIOCGMIIPHY = 0x8947
SIOCGMIIREG = 0x8948
SIOCSMIIREG = 0x8949

#: ``IFNAMSIZ``: the interface name field, NUL included.
IFNAMSIZ = 16
#: Bytes passed to the ioctl: the name, ``struct mii_ioctl_data`` and padding up to the
#: size of the ``struct ifreq`` union (40 bytes on 64-bit kernels covers it).
IFREQ_SIZE = 40
_IFREQ = struct.Struct(f"={IFNAMSIZ}s4H{IFREQ_SIZE - IFNAMSIZ - 8}x")

#: ``MDIO_PHY_ID_C45``: bit 15 of ``phy_id`` marks a Clause 45 address.
MDIO_PHY_ID_C45 = 0x8000

#: ``ioctl(request, buffer) -> buffer``: how the bus reaches the kernel (injectable).
Ioctl = Callable[[int, bytes], bytes]

_REQUEST_NAMES = {
    SIOCGMIIPHY: "SIOCGMIIPHY",
    SIOCGMIIREG: "SIOCGMIIREG",
    SIOCSMIIREG: "SIOCSMIIREG",
}


class BusError(PhyscapyError):
    """The interface or its driver refused an MII ioctl; the message says what to do."""


class Clause45Error(BusError, UnsupportedError):
    """The driver cannot pass Clause 45: it refuses it, or answers it from a Clause 22
    register (what it returned is not the register asked for)."""


class WriteRefusedError(BusError, UnsupportedError):
    """The driver answers reads but refuses every PHY register write (e1000e)."""


#: Registers the Clause 45 check reads: the device identifier (2, 3) and the two
#: registers that alias them when a driver keeps only 5 bits of ``reg_num`` (34, 35).
_ALIAS_PROBE = (2, 3, 34, 35)
#: Not asked yet (the address and the address check are found once, on first use).
_UNPROBED = -1


def pack_mii_ifreq(iface: str, phy_id: int = 0, reg_num: int = 0, val_in: int = 0) -> bytes:
    """A ``struct ifreq`` holding ``struct mii_ioctl_data`` (native byte order).

    >>> buf = pack_mii_ifreq("lo", 1, 2, 0x1234)
    >>> len(buf), buf[:3], unpack_mii_ifreq(buf)
    (40, b'lo\\x00', (1, 2, 4660, 0))
    """
    name = iface.encode()
    if not name or len(name) >= IFNAMSIZ or b"\0" in name:
        raise BusError(
            f"interface name {iface!r} is not valid: 1-{IFNAMSIZ - 1} bytes, as `ip link` lists"
        )
    return _IFREQ.pack(name, phy_id & 0xFFFF, reg_num & 0xFFFF, val_in & 0xFFFF, 0)


def unpack_mii_ifreq(buf: bytes) -> tuple[int, int, int, int]:
    """``(phy_id, reg_num, val_in, val_out)`` from an ifreq the kernel filled in."""
    _, phy_id, reg_num, val_in, val_out = _IFREQ.unpack(bytes(buf[: _IFREQ.size]))
    return phy_id, reg_num, val_in, val_out


def c45_phy_id(prtad: int, devad: int) -> int:
    """The ioctl ``phy_id`` of a Clause 45 device: ``0x8000 | PRTAD << 5 | DEVAD``.

    >>> hex(c45_phy_id(5, 1))
    '0x80a1'
    """
    prtad = parse_int("PRTAD", prtad, 0, 31)
    devad = parse_int("DEVAD", devad, 0, 31)
    return MDIO_PHY_ID_C45 | prtad << 5 | devad


def _interfaces() -> str:
    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return "(cannot list interfaces)"
    return ", ".join(names) if names else "(none)"


class LinuxBus(Bus):
    """An MDIO bus reached through the MII ioctls of one Linux network interface.

    ``ioctl`` replaces the kernel call (``ioctl(request, ifreq_bytes) -> ifreq_bytes``,
    raising ``OSError`` with an errno as ``fcntl.ioctl`` does), for tests; without it
    the interface must exist and a socket is opened.
    """

    scheme = "linux"

    def __init__(
        self,
        iface: str,
        *,
        ioctl: Ioctl | None = None,
        url: str | None = None,
        clock: Clock | None = None,
    ):
        super().__init__(url or f"linux://{iface}", clock or RealClock())
        pack_mii_ifreq(iface)  # checks the name
        self.iface = iface
        #: The last ADDRESS sent to each (PRTAD, DEVAD).
        self.mmd_address: dict[tuple[int, int], int] = {}
        #: (PRTAD, DEVAD) pairs whose Clause 45 answers passed the aliasing check.
        self._c45_checked: set[tuple[int, int]] = set()
        #: SIOCGMIIPHY's address, and whether the driver ignores the address; found once.
        self._home: int | None = _UNPROBED
        self._single: int | None = _UNPROBED
        self._sock: socket.socket | None = None
        if ioctl is None:
            try:
                socket.if_nametoindex(iface)
            except OSError:
                raise self._no_such_interface() from None
            self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            ioctl = self._kernel_ioctl
        self._ioctl: Ioctl = ioctl

    @classmethod
    def from_url(cls, url: str, *, ioctl: Ioctl | None = None) -> LinuxBus:
        """``linux://IFACE``, e.g. ``linux://eth0``."""
        prefix = "linux://"
        if not url.startswith(prefix):
            raise BusError(f"bus URL {url!r} is not linux://IFACE (for example linux://eth0)")
        iface = url[len(prefix) :].rstrip("/")
        if not iface or any(c in iface for c in "/?#"):
            raise BusError(
                f"bus URL {url!r} does not name one network interface: use linux://IFACE "
                f"(interfaces here: {_interfaces()})"
            )
        return cls(iface, ioctl=ioctl, url=url)

    # -- the kernel call -------------------------------------------------------------------

    def _kernel_ioctl(self, request: int, buf: bytes) -> bytes:
        import fcntl

        if self._sock is None:
            raise BusError(f"linux://{self.iface} is closed")
        return fcntl.ioctl(self._sock.fileno(), request, buf)

    def _mii(self, request: int, phy_id: int, reg_num: int, val_in: int = 0) -> tuple[int, int]:
        """One MII ioctl; returns (phy_id, val_out) as the kernel left them."""
        buf = pack_mii_ifreq(self.iface, phy_id, reg_num, val_in)
        try:
            out = self._ioctl(request, buf)
        except OSError as exc:
            raise self._error(exc, request, phy_id, reg_num) from None
        got_id, _, _, val_out = unpack_mii_ifreq(out)
        return got_id, val_out

    # -- the back end's primitive ----------------------------------------------------------

    def _transfer(self, clause: int, op: int, phy: int, reg: int, data: int) -> tuple[int, bool]:
        name = OP_NAMES.get(clause, {}).get(op)
        if clause == 22:
            self._check_address(phy)
            if name == "read":
                return self._read(phy, reg)
            if name == "write":
                self._mii(SIOCSMIIREG, phy, reg, data)
                return data, True
        elif clause == 45:
            key = (phy, reg)  # reg is the DEVAD in Clause 45 frames
            if name == "address":
                self.mmd_address[key] = data & 0xFFFF
                return data, True
            address = self._address_of(phy, reg)
            phy_id = c45_phy_id(phy, reg)
            self._check_c45(phy, reg)
            if name == "write":
                self._mii(SIOCSMIIREG, phy_id, address, data)
                return data, True
            if name in ("read", "read_inc"):
                result = self._read(phy_id, address)
                if name == "read_inc":
                    self.mmd_address[key] = (address + 1) & 0xFFFF
                return result
        raise BusError(f"Clause {clause} op {op:02b} cannot be sent through an MII ioctl")

    def _read(self, phy_id: int, reg_num: int) -> tuple[int, bool]:
        try:
            return self._mii(SIOCGMIIREG, phy_id, reg_num)[1], True
        except _NoAnswer:
            raise ReadFailedError(
                f"{self.url}: the {self._driver()} failed the read of {_where(phy_id, reg_num)} "
                "(EIO): it cannot read that register, so there is no value to show"
            ) from None

    # -- what the driver cannot do -----------------------------------------------------------

    def _driver(self) -> str:
        """``e1000 driver`` from sysfs, or ``driver`` when sysfs does not say."""
        try:
            name = os.path.basename(os.readlink(f"/sys/class/net/{self.iface}/device/driver"))
        except OSError:
            return "driver"
        return f"{name} driver"

    def _id_at(self, phy: int) -> tuple[int, int] | None:
        """PHYSID1/2 at ``phy`` straight from the driver, or None (no PHY, read failed)."""
        try:
            ident = (self._mii(SIOCGMIIREG, phy, 2)[1], self._mii(SIOCGMIIREG, phy, 3)[1])
        except (_NoAnswer, BusError):
            return None
        return None if ident in ((0xFFFF, 0xFFFF), (0, 0)) else ident

    def single_phy_address(self) -> int | None:
        """The PHY's address when the driver ignores the PHY address, else None.

        Probed once: the address ``SIOCGMIIPHY`` reports, then PHYSID1/2 at all 32
        addresses.  Every address answering the same identifier is the signature of a
        driver with one PHY and no address decoding (e1000: ``reg_num & 0x1F`` of its
        own PHY whatever ``phy_id`` says); a real bus of 32 identical PHYs behind one
        interface does not occur.
        """
        if self._single == _UNPROBED:
            self._single = None
            home = self._home_address()
            ident = self._id_at(home) if home is not None else None
            if ident is not None and all(self._id_at(a) == ident for a in range(32) if a != home):
                self._single = home
        return self._single

    def _home_address(self) -> int | None:
        if self._home == _UNPROBED:
            try:
                self._home = self.phy_address()
            except BusError:
                self._home = None
        return self._home

    def _check_address(self, phy: int) -> None:
        if self._home_address() in (None, phy):
            return
        single = self.single_phy_address()
        if single is not None and phy != single:
            raise BusError(
                f"{self.url}: the {self._driver()} ignores the PHY address (all 32 addresses "
                f"answer as its one PHY, at address {single}): use PHY address {single}, "
                f"not {phy}"
            )

    def _check_c45(self, prtad: int, devad: int) -> None:
        """Refuse Clause 45 to (PRTAD, DEVAD) when the driver answers it from Clause 22."""
        key = (prtad, devad)
        if key in self._c45_checked:
            return
        phy_id = c45_phy_id(prtad, devad)
        try:
            got = [self._mii(SIOCGMIIREG, phy_id, r)[1] for r in _ALIAS_PROBE]
        except _NoAnswer:
            got = []  # the reads themselves will report the failure
        if got and got[:2] == got[2:] and got[:2] != [0xFFFF, 0xFFFF]:
            home = self._home_address()
            # generic_mii_ioctl keeps phy_id & 0x1F (the DEVAD); others use PRTAD or their
            # own PHY.
            for phy in dict.fromkeys(a for a in (devad, prtad, home) if a is not None):
                if self._id_at(phy) == (got[0], got[1]):
                    raise Clause45Error(
                        f"{self.url}: the {self._driver()} cannot pass Clause 45 to PRTAD "
                        f"{prtad} DEVAD {devad}: its registers 2, 3, 34 and 35 came back as "
                        f"0x{got[0]:04x} 0x{got[1]:04x} twice, the Clause 22 PHYSID1/2 of "
                        f"PHY {phy} (it keeps 5 bits of the address); reach MMD registers "
                        "through registers 13/14 instead (read_mmd/write_mmd, --via c22)"
                    )
        self._c45_checked.add(key)

    def _address_of(self, prtad: int, devad: int) -> int:
        try:
            return self.mmd_address[(prtad, devad)]
        except KeyError:
            raise BusError(
                f"linux://{self.iface}: no Clause 45 ADDRESS sent to PRTAD {prtad} DEVAD "
                f"{devad} yet, and the MII ioctl needs the register number: use read_c45/"
                "write_c45, or send an ADDRESS frame first"
            ) from None

    # -- extras ----------------------------------------------------------------------------

    def phy_address(self) -> int:
        """The PHY address the interface's driver is attached to (``SIOCGMIIPHY``)."""
        # The kernel also reads reg_num of that PHY; BMCR (0) has no side effects.
        return self._mii(SIOCGMIIPHY, 0, 0)[0] & 0x1F

    def reset(self) -> None:
        super().reset()
        self.mmd_address.clear()
        self._c45_checked.clear()
        self._home = self._single = _UNPROBED

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        super().close()

    # -- errors ----------------------------------------------------------------------------

    def _no_such_interface(self) -> BusError:
        return BusError(
            f"no network interface {self.iface!r}: choose from {_interfaces()} (see `ip link`)"
        )

    def _error(self, exc: OSError, request: int, phy_id: int, reg_num: int = 0) -> Exception:
        code = exc.errno
        name = _REQUEST_NAMES.get(request, hex(request))
        where = f"interface {self.iface}"
        c45 = bool(phy_id & MDIO_PHY_ID_C45)
        if code == errno.ENODEV:
            if self.iface not in [n for _, n in _safe_nameindex()]:
                return self._no_such_interface()
            return BusError(
                f"{where} has no PHY attached or is down "
                f"(bring it up with `ip link set {self.iface} up`)"
            )
        if code in (errno.EPERM, errno.EACCES):
            what = "writing" if request == SIOCSMIIREG else "reading"
            return BusError(f"{what} PHY registers on {where} needs CAP_NET_ADMIN (run as root)")
        if code in (errno.EOPNOTSUPP, errno.ENOTTY, errno.EINVAL):
            if c45 and self._driver_has_mii():
                return Clause45Error(
                    f"{where} rejected Clause 45 PRTAD {(phy_id >> 5) & 0x1F} "
                    f"DEVAD {phy_id & 0x1F} (the driver does not pass Clause 45 MII ioctls "
                    "through): try read_mmd/write_mmd (registers 13/14) instead"
                )
            if request == SIOCSMIIREG and not c45 and self._driver_has_mii():
                return WriteRefusedError(
                    f"the {self._driver()} of {where} answers PHY register reads but refuses "
                    f"writes (SIOCSMIIREG: {_errname(code)}): nothing "
                    "was written"
                )
            down = ""
            if code == errno.EINVAL:
                down = f", or the interface is down: try `ip link set {self.iface} up`"
            return BusError(
                f"{where} does not support MII access (the driver does not implement {name}{down})"
            )
        if code == errno.EIO and request == SIOCGMIIREG:
            return _NoAnswer()
        if code == errno.EIO and request == SIOCSMIIREG:
            return WriteFailedError(
                f"{self.url}: the {self._driver()} failed the write of "
                f"{_where(phy_id, reg_num)} (EIO): nothing was written"
            )
        return BusError(f"{where}: {name} failed: {os.strerror(code or 0)} ({_errname(code)})")

    def _driver_has_mii(self) -> bool:
        try:
            self._ioctl(SIOCGMIIPHY, pack_mii_ifreq(self.iface))
        except OSError:
            return False
        return True


def _errname(code: int | None) -> str:
    """The errno's name as Linux's headers spell it (Python calls 95 ENOTSUP)."""
    if code == errno.EOPNOTSUPP:
        return "EOPNOTSUPP"
    return errno.errorcode.get(code or 0, str(code))


def _where(phy_id: int, reg_num: int) -> str:
    if phy_id & MDIO_PHY_ID_C45:
        return f"PRTAD {(phy_id >> 5) & 0x1F} DEVAD {phy_id & 0x1F} register 0x{reg_num:04x}"
    return f"PHY {phy_id} register {reg_num}"


class _NoAnswer(Exception):
    """Internal: the driver reported an MDIO read error (no PHY drove the turnaround)."""


def _safe_nameindex() -> list[tuple[int, str]]:
    try:
        return socket.if_nameindex()
    except OSError:
        return []
