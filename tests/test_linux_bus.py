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
    Clause45Error,
    LinuxBus,
    WriteRefusedError,
    c45_phy_id,
    pack_mii_ifreq,
    unpack_mii_ifreq,
)
from physcapy.errors import (
    PhyscapyError,
    RangeError,
    ReadFailedError,
    UnsupportedError,
    WriteFailedError,
)
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


def test_eio_read_is_an_error_not_a_value(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.fail[SIOCGMIIREG] = errno.EIO
    seen: list[Transaction] = []
    bus.subscribe(seen.append)
    with pytest.raises(
        ReadFailedError,
        match=r"^linux://eth7: the driver failed the read of "
        r"PHY 1 register 15 \(EIO\)",
    ):
        bus.read(1, 15)
    assert seen == []  # nothing is logged as if a frame had come back
    with pytest.raises(ReadFailedError, match=r"PRTAD 1 DEVAD 3 register 0x0010 \(EIO\)"):
        bus.read_c45(1, 3, 0x10)


# -- Clause 45 through the fake ioctl ------------------------------------------------------


def test_c45_read_write_use_kept_address(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.regs[(0x80A1, 0x0002)] = 0x0141
    assert bus.read_c45(5, 1, 2) == 0x0141
    # ADDRESS does not reach the kernel; READ carries it as reg_num (after the one-off
    # aliasing check of that PRTAD/DEVAD).
    assert kernel.calls == [*_alias_check(0x80A1), (SIOCGMIIREG, 0x80A1, 2, 0)]
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
    assert kernel.calls[:4] == _alias_check(c45_phy_id(2, 3))
    assert [c[2] for c in kernel.calls[4:]] == [0xFFFE, 0xFFFF, 0x0000]
    assert bus.mmd_address[(2, 3)] == 0x0001  # wrapped like a 16-bit pointer
    bus.c45_read(2, 3)
    assert kernel.calls[-1][2] == 0x0001


def _alias_check(phy_id: int) -> list[tuple[int, int, int, int]]:
    """The reads LinuxBus makes before the first Clause 45 access to a PRTAD/DEVAD."""
    return [(SIOCGMIIREG, phy_id, reg, 0) for reg in (2, 3, 34, 35)]


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


# -- drivers that cannot do what is asked (what e1000 does in the QEMU guest tests) -------

#: QEMU's e1000 PHY (an 88E1011): the registers it implements; the rest fail with EIO.
E1000_PHY = {0: 0x1140, 1: 0x796D, 2: 0x0141, 3: 0x0C20, 4: 0x0DE1, 5: 0x41E0, 6: 0, 9: 0x0E00}


class OnePhyDriver(FakeKernel):
    """A MAC driver with one PHY and its own MII ioctl: e1000's ``e1000_mii_ioctl``
    (PHY address ignored, ``reg_num & 0x1F``, EIO for registers the PHY lacks) or, with
    ``mask_id``, ``generic_mii_ioctl`` (``phy_id & 0x1F``, ``reg_num & 0x1F``)."""

    def __init__(self, mask_id: bool = False, home: int = 0):
        super().__init__(attached=home)
        self.mask_id = mask_id

    def __call__(self, request: int, buf: bytes) -> bytes:
        phy_id, reg_num, val_in, _ = struct.unpack_from("=4H", buf, 16)
        self.calls.append((request, phy_id, reg_num, val_in))
        if request == SIOCGMIIPHY:
            phy_id = self.attached
        addressed = (phy_id & 0x1F) == self.attached if self.mask_id else True
        reg = reg_num & 0x1F
        if request == SIOCSMIIREG:
            if reg not in (0, 4, 9):  # QEMU flags other writes as errors: EIO
                raise OSError(errno.EIO, "fake")
            if addressed:
                self.regs[(0, reg)] = val_in
            return buf
        if not addressed:
            val = 0xFFFF
        elif (0, reg) in self.regs:
            val = self.regs[(0, reg)]
        elif reg in E1000_PHY:
            val = E1000_PHY[reg]
        else:
            raise OSError(errno.EIO, "fake")
        return buf[:16] + struct.pack("=4H", phy_id, reg_num, val_in, val) + buf[24:]


def test_driver_ignoring_the_address_is_scanned_once() -> None:
    from physcapy.bus.access import scan

    bus = LinuxBus("eth7", ioctl=OnePhyDriver())
    assert bus.single_phy_address() == 0
    (entry,) = scan(bus)  # not 32 copies, and no Clause 45 "PHYs" made of aliases
    assert (entry.address, entry.clause, entry.phy_id) == (0, 22, 0x01410C20)
    assert entry.all_addresses and entry.to_json()["all_addresses"] is True
    assert entry.link is True


def test_driver_ignoring_the_address_refuses_other_addresses() -> None:
    bus = LinuxBus("eth7", ioctl=OnePhyDriver())
    assert bus.read(0, 2) == 0x0141
    with pytest.raises(BusError) as info:
        bus.read(5, "BMSR")
    msg = str(info.value)
    assert "ignores the PHY address" in msg and "use PHY address 0, not 5" in msg
    with pytest.raises(BusError, match="ignores the PHY address"):
        bus.write(1, 4, 0x01E1)


def test_address_check_reads_each_address_once() -> None:
    kernel = OnePhyDriver()
    bus = LinuxBus("eth7", ioctl=kernel)
    with pytest.raises(BusError):
        bus.read(3, 1)
    first = len(kernel.calls)
    assert first == 1 + 2 * 32  # SIOCGMIIPHY, then PHYSID1/2 at every address
    with pytest.raises(BusError):
        bus.read(4, 1)
    assert len(kernel.calls) == first  # the answer is kept


def test_decoding_bus_is_not_taken_for_a_mirror(bus: LinuxBus, kernel: FakeKernel) -> None:
    from physcapy.bus.access import scan

    for phy in (1, 2):  # two identical PHYs, as on a switch: real, distinct addresses
        kernel.regs[(phy, 2)], kernel.regs[(phy, 3)] = 0x0007, 0xC0F1
        kernel.regs[(phy, 1)] = 0x782D
    assert bus.single_phy_address() is None
    assert [(e.address, e.all_addresses) for e in scan(bus, clause45=False)] == [
        (1, False),
        (2, False),
    ]
    assert bus.read(2, 1) == 0x782D


@pytest.mark.parametrize("mask_id", [False, True], ids=["e1000", "generic_mii_ioctl"])
def test_clause45_aliased_to_clause22_is_refused(mask_id: bool) -> None:
    # e1000 read C45 1.2 back as 0x0141 (PHYSID1): the silent wrong answer.
    home = 1 if mask_id else 0
    bus = LinuxBus("eth7", ioctl=OnePhyDriver(mask_id=mask_id, home=home))
    with pytest.raises(Clause45Error) as info:
        bus.read_c45(0, home, 2)  # generic_mii_ioctl lands on PHY (phy_id & 0x1F) = DEVAD
    msg = str(info.value)
    assert "cannot pass Clause 45 to PRTAD 0 DEVAD" in msg
    assert "0x0141 0x0c20" in msg and "registers 13/14" in msg and "\n" not in msg
    with pytest.raises(UnsupportedError):
        bus.write_c45(0, home, 0, 0x8000)  # refused before anything is written
    assert bus.read(home, 0) == 0x1140


def test_real_clause45_with_the_same_id_passes(bus: LinuxBus, kernel: FakeKernel) -> None:
    # Many PHYs report one identifier in PHYSID1/2 and in every MMD's DEVID: not aliasing,
    # because registers 34/35 of the MMD hold something else.
    kernel.regs[(1, 2)], kernel.regs[(1, 3)] = 0x001C, 0xC849
    kernel.regs[(c45_phy_id(1, 1), 2)], kernel.regs[(c45_phy_id(1, 1), 3)] = 0x001C, 0xC849
    kernel.regs[(c45_phy_id(1, 1), 34)] = 0x0000
    assert bus.read_c45(1, 1, 2) == 0x001C
    assert bus.read_c45(1, 1, 3) == 0xC849


def test_dump_marks_registers_the_driver_fails() -> None:
    from physcapy.bus.access import Unreadable, dump

    bus = LinuxBus("eth7", ioctl=OnePhyDriver())
    _, rows = dump(bus, 0, "generic")
    values = {t.name: v for t, v in rows}
    assert values["BMSR"] == 0x796D and values["PHYSID1"] == 0x0141
    estatus = values["ESTATUS"]  # BMSR says extended status exists; e1000 says EIO
    assert isinstance(estatus, Unreadable)
    assert "failed the read of PHY 0 register 15 (EIO)" in estatus.reason
    assert not any(v == 0xFFFF for v in values.values())  # no made-up values
    # MMD registers go through 13/14, whose writes the driver fails: unreadable, and said.
    mmd = [v for t, v in rows if t.devad is not None]
    assert mmd and all(isinstance(v, Unreadable) for v in mmd)
    assert "failed the write of PHY 0 register 13 (EIO)" in str(mmd[0])


def test_driver_refusing_writes_says_reads_work(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.fail[SIOCSMIIREG] = errno.EOPNOTSUPP  # e1000e in the QEMU guest
    kernel.regs[(1, 4)] = 0x0DE1
    with pytest.raises(WriteRefusedError) as info:
        bus.write(1, 4, 0x01E1)
    assert str(info.value) == (
        "the driver of interface eth7 answers PHY register reads but refuses writes "
        "(SIOCSMIIREG: EOPNOTSUPP): nothing was written"
    )
    assert bus.read(1, 4) == 0x0DE1


def test_eio_write_is_an_error(bus: LinuxBus, kernel: FakeKernel) -> None:
    kernel.fail[SIOCSMIIREG] = errno.EIO
    with pytest.raises(WriteFailedError, match=r"failed the write of PHY 1 register 13 \(EIO\)"):
        bus.write(1, 13, 0x0007)


@pytest.mark.parametrize("profile", ["linux26", "linux6"])
def test_pal_on_a_driver_that_ignores_the_address(profile: str) -> None:
    """The PAL scans only the driver's own address, as such a driver's phy_mask would
    say, and ends its Clause 45 pass when the driver cannot pass Clause 45 (v6.12 runs
    no Clause 45 scan on a bus without read_c45)."""
    from physcapy.pal import Pal

    pal = Pal(LinuxBus("eth7", ioctl=OnePhyDriver()), profile, record_mdio=False)
    assert [d.addr for d in pal.devices] == [0]
    assert pal.devices[0].phy_id == 0x01410C20
