# SPDX-License-Identifier: GPL-2.0-only
"""linux://IFACE: the MII ioctl back end, without root or PHY hardware.

The loopback interface exists everywhere and has no MII support, which gives the real
kernel's error path; everything else runs against a fake ioctl.
"""

from __future__ import annotations

import errno
import socket
import struct
import sys
from collections.abc import Callable

import pytest

from physcapy import open_bus
from physcapy.bus.linux import (
    SIOCGMIIPHY,
    SIOCGMIIREG,
    SIOCSMIIREG,
    BusError,
    LinuxBus,
    c45_phy_id,
    pack_mii_ifreq,
    unpack_mii_ifreq,
)
from physcapy.errors import PhyscapyError, RangeError
from physcapy.mdio.transactions import Transaction

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

LE = sys.byteorder == "little"


def _has_net_admin() -> bool:
    """CAP_NET_ADMIN (bit 12) in this process's effective set: the kernel checks it
    before it asks the driver, for MII reads as for writes."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> 12 & 1)
    except OSError:
        pass
    return False


#: What reading a register of linux://lo says: no MII support, or (unprivileged) no
#: permission to ask.
LO_ERROR = (
    "interface lo does not support MII access"
    if _has_net_admin()
    else "reading PHY registers on interface lo needs CAP_NET_ADMIN"
)


class FakeKernel:
    """Stands in for fcntl.ioctl: records calls, answers from a register dict."""

    def __init__(self, attached: int = 1, fail: dict[int, int] | None = None):
        self.attached = attached
        self.regs: dict[tuple[int, int], int] = {}
        self.calls: list[tuple[int, int, int, int]] = []
        self.fail = fail or {}  # request -> errno

    def __call__(self, request: int, buf: bytes) -> bytes:
        assert len(buf) == 40
        assert buf[:16].rstrip(b"\0") == b"eth7"
        phy_id, reg_num, val_in, _ = struct.unpack_from("=4H", buf, 16)
        self.calls.append((request, phy_id, reg_num, val_in))
        if request in self.fail:
            code = self.fail[request]
            raise OSError(code, "fake")
        if request == SIOCGMIIPHY:
            phy_id = self.attached
            request = SIOCGMIIREG
        if request == SIOCGMIIREG:
            val_out = self.regs.get((phy_id, reg_num), 0xFFFF)
            return buf[:16] + struct.pack("=4H", phy_id, reg_num, val_in, val_out) + buf[24:]
        assert request == SIOCSMIIREG
        self.regs[(phy_id, reg_num)] = val_in
        return buf


@pytest.fixture
def kernel() -> FakeKernel:
    return FakeKernel()


@pytest.fixture
def bus(kernel: FakeKernel) -> LinuxBus:
    return LinuxBus("eth7", ioctl=kernel)


# -- ifreq packing -------------------------------------------------------------------------


def test_pack_ifreq_bytes() -> None:
    buf = pack_mii_ifreq("eth0", 0x8021, 0x0102, 0xBEEF)
    name = b"eth0" + b"\0" * 12
    # phy_id 0x8021, reg_num 0x0102, val_in 0xbeef, val_out 0, each a native u16.
    mii = bytes.fromhex("21 80 02 01 ef be 00 00" if LE else "80 21 01 02 be ef 00 00")
    assert buf == name + mii + b"\0" * 16
    assert len(buf) == 40


def test_unpack_ifreq_bytes() -> None:
    name = b"lo" + b"\0" * 14
    mii = bytes.fromhex("01 00 01 00 00 00 6d 79" if LE else "00 01 00 01 00 00 79 6d")
    assert unpack_mii_ifreq(name + mii + b"\0" * 16) == (1, 1, 0, 0x796D)


def test_pack_round_trip_and_masking() -> None:
    assert unpack_mii_ifreq(pack_mii_ifreq("eth0", 3, 31, 0xFFFF)) == (3, 31, 0xFFFF, 0)


@pytest.mark.parametrize("name", ["", "x" * 16, "a\0b"])
def test_bad_interface_names(name: str) -> None:
    with pytest.raises(BusError, match="interface name"):
        pack_mii_ifreq(name)


def test_fifteen_byte_name_fits() -> None:
    assert pack_mii_ifreq("x" * 15)[:16] == b"x" * 15 + b"\0"


# -- Clause 45 phy_id ----------------------------------------------------------------------


def test_c45_phy_id_encoding() -> None:
    assert c45_phy_id(0, 0) == 0x8000
    assert c45_phy_id(5, 1) == 0x8000 | 5 << 5 | 1 == 0x80A1
    assert c45_phy_id(31, 31) == 0x83FF
    with pytest.raises(RangeError):
        c45_phy_id(32, 1)
    with pytest.raises(RangeError):
        c45_phy_id(1, 32)


# -- Clause 22 through the fake ioctl ------------------------------------------------------


def test_c22_read_and_write(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.regs[(1, 1)] = 0x796D
    assert bus.read(1, "BMSR") == 0x796D
    assert kernel.calls[-1] == (SIOCGMIIREG, 1, 1, 0)
    bus.write(3, 0, 0x1200)
    assert kernel.calls[-1] == (SIOCSMIIREG, 3, 0, 0x1200)
    assert kernel.regs[(3, 0)] == 0x1200


def test_phy_address(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.attached = 7
    assert bus.phy_address() == 7
    assert kernel.calls[-1][0] == SIOCGMIIPHY


def test_transactions_are_logged(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.regs[(1, 2)] = 0x0022
    seen: list[Transaction] = []
    bus.subscribe(seen.append)
    bus.read(1, 2)
    assert [(t.op, t.phy, t.reg, t.data, t.errors) for t in seen] == [("read", 1, 2, 0x22, [])]


def test_eio_read_is_an_unanswered_frame(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.fail[SIOCGMIIREG] = errno.EIO
    seen: list[Transaction] = []
    bus.subscribe(seen.append)
    assert bus.read(9, 1) == 0xFFFF
    assert seen[0].errors == ["turnaround"]


# -- Clause 45 through the fake ioctl ------------------------------------------------------


def test_c45_read_write_use_kept_address(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.regs[(0x80A1, 0x0002)] = 0x0141
    assert bus.read_c45(5, 1, 2) == 0x0141
    # ADDRESS does not reach the kernel; READ carries it as reg_num.
    assert kernel.calls == [(SIOCGMIIREG, 0x80A1, 2, 0)]
    assert bus.mmd_address[(5, 1)] == 2
    bus.write_c45(5, "AN", 0x10, 0xABCD)
    assert kernel.calls[-1] == (SIOCSMIIREG, 0x8000 | 5 << 5 | 7, 0x10, 0xABCD)
    # A bare READ reuses the last ADDRESS of that (PRTAD, DEVAD) only.
    bus.c45_read(5, 1)
    assert kernel.calls[-1] == (SIOCGMIIREG, 0x80A1, 2, 0)
    bus.c45_read(5, 7)
    assert kernel.calls[-1] == (SIOCGMIIREG, 0x80A7, 0x10, 0)


def test_c45_read_inc_advances(bus: LinuxBus, kernel: FakeKernel) -> None:
    for i in range(3):
        kernel.regs[(c45_phy_id(2, 3), 0xFFFE + i & 0xFFFF)] = 0x100 + i
    assert bus.read_c45_burst(2, 3, 0xFFFE, 3) == [0x100, 0x101, 0x102]
    assert [c[2] for c in kernel.calls] == [0xFFFE, 0xFFFF, 0x0000]
    assert bus.mmd_address[(2, 3)] == 0x0001  # wrapped like a 16-bit pointer
    bus.c45_read(2, 3)
    assert kernel.calls[-1][2] == 0x0001


def test_c45_without_address_is_an_error(bus: LinuxBus, kernel: FakeKernel) -> None:
    with pytest.raises(BusError, match=r"no Clause 45 ADDRESS .* PRTAD 4 DEVAD 1"):
        bus.c45_read(4, 1)
    assert kernel.calls == []


def test_reset_forgets_addresses(bus: LinuxBus) -> None:
    bus.c45_address(1, 1, 5)
    bus.reset()
    with pytest.raises(BusError):
        bus.c45_write(1, 1, 0)


def test_c45_rejected_by_driver(kernel: FakeKernel) -> None:
    class C22Only(FakeKernel):
        def __call__(self, request: int, buf: bytes) -> bytes:
            phy_id = struct.unpack_from("=H", buf, 16)[0]
            if phy_id & 0x8000:
                raise OSError(errno.EINVAL, "fake")
            return super().__call__(request, buf)

    bus = LinuxBus("eth7", ioctl=C22Only())
    with pytest.raises(BusError) as info:
        bus.read_c45(1, 3, 0)
    msg = str(info.value)
    assert "interface eth7 rejected Clause 45 PRTAD 1 DEVAD 3" in msg
    assert "read_mmd" in msg and "\n" not in msg


# -- error messages ------------------------------------------------------------------------


def test_eperm_on_read(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.fail[SIOCGMIIREG] = errno.EPERM
    with pytest.raises(BusError, match=r"^reading PHY registers on interface eth7 needs CAP_NET"):
        bus.read(1, 0)


def test_eperm_on_write(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.fail[SIOCSMIIREG] = errno.EPERM
    with pytest.raises(
        BusError,
        match=r"^writing PHY registers on interface eth7 needs CAP_NET_ADMIN \(run as root\)$",
    ):
        bus.write(1, 0, 0)


@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EINVAL])
def test_no_mii_support(bus: LinuxBus, kernel: FakeKernel, code: int) -> None:
    kernel.fail = {SIOCGMIIPHY: code, SIOCGMIIREG: code}
    with pytest.raises(BusError, match="interface eth7 does not support MII access"):
        bus.read(1, 1)
    with pytest.raises(BusError, match="does not implement SIOCGMIIPHY"):
        bus.phy_address()
    # Clause 45 on a driver with no MII at all says so, not "Clause 45 rejected".
    with pytest.raises(BusError, match="does not support MII access"):
        bus.read_c45(1, 1, 0)


def test_enodev_for_existing_interface_means_no_phy() -> None:
    bus = LinuxBus("lo", ioctl=_raises(errno.ENODEV))
    with pytest.raises(BusError, match="interface lo has no PHY attached or is down"):
        bus.read(1, 1)


def test_other_errno_is_named(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.fail[SIOCSMIIREG] = errno.EBUSY
    with pytest.raises(BusError, match=r"interface eth7: SIOCSMIIREG failed: .*\(EBUSY\)"):
        bus.write(1, 0, 0)


def _raises(code: int) -> Callable[[int, bytes], bytes]:
    def ioctl(request: int, buf: bytes) -> bytes:
        raise OSError(code, "fake")

    return ioctl


# -- the real kernel ---------------------------------------------------------------------


def test_loopback_has_no_mii() -> None:
    bus = open_bus("linux://lo")
    assert isinstance(bus, LinuxBus) and bus.iface == "lo"
    with pytest.raises(PhyscapyError) as info:
        bus.read(1, 1)
    msg = str(info.value)
    assert msg.startswith(LO_ERROR) and "\n" not in msg
    if _has_net_admin():
        assert "SIOCGMIIREG" in msg
        with pytest.raises(PhyscapyError, match="does not implement SIOCGMIIPHY"):
            bus.phy_address()
    bus.close()


def test_no_such_interface_lists_interfaces() -> None:
    with pytest.raises(PhyscapyError) as info:
        open_bus("linux://does-not-exist")
    msg = str(info.value)
    assert "no network interface 'does-not-exist'" in msg
    for _, name in socket.if_nameindex():
        assert name in msg
    assert "\n" not in msg


@pytest.mark.parametrize("url", ["linux://", "linux:///", "linux://eth0/extra", "linux://a?b=1"])
def test_url_must_name_one_interface(url: str) -> None:
    with pytest.raises(PhyscapyError, match="linux://IFACE"):
        open_bus(url)


def test_url_name_too_long() -> None:
    with pytest.raises(PhyscapyError, match="interface name"):
        open_bus("linux://" + "x" * 20)


def test_cli_read_loopback(cli: Callable[..., tuple[int, str, str]]) -> None:
    status, out, err = cli("read", "linux://lo", "1", "1")
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("physcapy: error: " + LO_ERROR)
    assert "Traceback" not in err


def test_scheme_is_registered_by_physcapy() -> None:
    from physcapy.bus import schemes

    assert schemes()["linux"] == "physcapy.bus.linux:LinuxBus.from_url"
