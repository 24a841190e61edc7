# SPDX-License-Identifier: GPL-2.0-only
"""linux://IFACE against real kernel drivers, in the QEMU guest of ``make test-kernel``.

The e1000 interface reaches QEMU's emulated PHY (an 88E1011, ID 0x01410C20) through
``e1000_mii_ioctl``; e1000e and virtio-net show a driver that refuses writes and one
with no MII ioctls at all.  On an ordinary host every test here is skipped (see
conftest.py).  The command line runs in-process (a Python start costs seconds under
QEMU's emulation); only the unprivileged run starts a process.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from physcapy import open_bus
from physcapy.bus.linux import Clause45Error, LinuxBus, WriteRefusedError
from physcapy.errors import PhyscapyError, ReadFailedError
from tests.kernel.conftest import IN_GUEST

Cli = Callable[..., tuple[int, str, str]]

#: QEMU's e1000 PHY identifier (hw/net/e1000.c: PHY_ID1 0x141, PHY_ID2 0xc20).
E1000_PHY_ID = 0x01410C20


@pytest.fixture
def bus(e1000: str) -> Iterator[LinuxBus]:
    b = open_bus(f"linux://{e1000}")
    assert isinstance(b, LinuxBus)
    yield b
    b.close()


def _one_line_error(status: int, out: str, err: str, expect: str) -> None:
    assert status == 2, (status, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("physcapy: error: ") and expect in lines[0], lines[0]


# -- reads, writes, dump through open_bus and the command line ---------------------------


def test_phy_address_and_id(bus: LinuxBus) -> None:
    assert bus.phy_address() == 0  # e1000 always says 0
    assert bus.read(0, "PHYSID1") << 16 | bus.read(0, "PHYSID2") == E1000_PHY_ID


def test_bmsr_link_up(bus: LinuxBus, e1000: str) -> None:
    bus.read(0, "BMSR")  # the first read returns the latched-low link status
    bmsr = bus.read(0, "BMSR")
    assert bmsr & 0x0004, hex(bmsr)  # link status (22.2.4.2.13)
    with open(f"/sys/class/net/{e1000}/carrier") as f:
        assert f.read().strip() == "1"


def test_cli_read_decodes(cli: Cli, e1000: str) -> None:
    status, out, err = cli("read", f"linux://{e1000}", "0", "BMSR", "--format", "json")
    assert status == 0, err
    got = json.loads(out)
    assert got["register"] == "BMSR" and got["value"] & 0x0004
    assert got["fields"]["link_status"] == 1


def test_write_advertise_reads_back(bus: LinuxBus, cli: Cli, e1000: str) -> None:
    old = bus.read(0, "ADVERTISE")
    try:
        bus.write(0, "ADVERTISE", 0x01E1)  # 100/10 full/half, selector 802.3
        assert bus.read(0, "ADVERTISE") == 0x01E1
        status, out, err = cli("modify", f"linux://{e1000}", "0", "ADVERTISE", "0", "0x0020")
        assert status == 0, err
        assert out.strip() == "PHY 0 ADVERTISE: 0x01e1 -> 0x01c1"
        assert bus.read(0, 4) == 0x01C1
    finally:
        bus.write(0, "ADVERTISE", old)
    assert bus.read(0, "ADVERTISE") == old


def test_autoneg_restart_seen_in_bmsr(bus: LinuxBus) -> None:
    bmcr = bus.read(0, "BMCR")
    bus.write(0, "BMCR", bmcr | 0x0200)  # restart auto-negotiation (22.2.4.1.7)
    # QEMU drops the link and completes AN about 500 ms later.
    first = bus.read(0, "BMSR")
    assert not first & 0x0020, f"AN complete right after the restart: 0x{first:04x}"
    deadline = time.monotonic() + 10
    while not bus.read(0, "BMSR") & 0x0020:
        assert time.monotonic() < deadline, "auto-negotiation did not complete in 10 s"
        time.sleep(0.1)
    bus.read(0, "BMSR")
    assert bus.read(0, "BMSR") & 0x0024 == 0x0024
    assert not bus.read(0, "BMCR") & 0x0200  # the restart bit clears itself


def test_cli_dump_marks_unreadable_registers(cli: Cli, e1000: str) -> None:
    status, out, err = cli("dump", f"linux://{e1000}", "0", "--format", "json")
    got = json.loads(out)
    rows = {r["name"]: r for r in got["registers"]}
    assert rows["PHYSID1"]["value"] == 0x0141 and rows["PHYSID2"]["value"] == 0x0C20
    # BMSR says extended status exists; e1000 answers register 15 with EIO: an error.
    assert rows["ESTATUS"]["value"] is None and "(EIO)" in rows["ESTATUS"]["error"]
    assert not any(r["value"] == 0xFFFF for r in rows.values())
    assert status == 1 and re.fullmatch(
        r"physcapy: \d+ of \d+ registers could not be read \(.*\): marked unreadable\n", err
    ), err
    status, out, _ = cli("dump", f"linux://{e1000}", "0")
    assert re.search(r"ESTATUS\s+------  unreadable: .*\(EIO\)", out), out


def test_read_failure_is_an_error(bus: LinuxBus) -> None:
    with pytest.raises(ReadFailedError, match=r"e1000 driver failed the read of PHY 0 register 15"):
        bus.read(0, 15)


# -- what the driver cannot do -----------------------------------------------------------


def test_driver_ignores_the_address(bus: LinuxBus, cli: Cli, e1000: str) -> None:
    assert bus.single_phy_address() == 0
    with pytest.raises(PhyscapyError, match="e1000 driver ignores the PHY address"):
        bus.read(5, "BMSR")
    status, out, err = cli("scan", f"linux://{e1000}")
    assert status == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 3, out  # header, one PHY, the note: not 32 identical PHYs
    assert lines[1].split()[:3] == ["0", "22", "0x01410c20"]
    assert lines[2].startswith("note: every address 0-31 answers as this PHY")
    status, out, _ = cli("scan", f"linux://{e1000}", "--format", "json")
    (entry,) = json.loads(out)
    assert entry["all_addresses"] is True and entry["clause"] == 22
    _one_line_error(*cli("read", f"linux://{e1000}", "7", "BMSR"), "use PHY address 0, not 7")


def test_clause45_is_refused_not_aliased(bus: LinuxBus, cli: Cli, e1000: str) -> None:
    # Through e1000, C45 1.2 used to come back as 0x0141: PHYSID1 through a 5-bit mask.
    with pytest.raises(Clause45Error, match="cannot pass Clause 45 to PRTAD 0 DEVAD 1"):
        bus.read_c45(0, 1, 2)
    _one_line_error(
        *cli("read", f"linux://{e1000}", "0", "1.2", "--via", "c45"), "cannot pass Clause 45"
    )


def test_e1000e_refuses_writes(e1000e: str) -> None:
    b = open_bus(f"linux://{e1000e}")
    home = b.phy_address()
    assert b.single_phy_address() == home  # it ignores the address too
    before = b.read(home, "ADVERTISE")
    with pytest.raises(WriteRefusedError, match="answers PHY register reads but refuses writes"):
        b.write(home, "ADVERTISE", 0x01E1)
    assert b.read(home, "ADVERTISE") == before
    # e1000e answers from its cached copy: registers outside it fail, C45 aliases.
    with pytest.raises(ReadFailedError, match="e1000e driver failed the read"):
        b.read(home, 16)
    with pytest.raises(Clause45Error):
        b.read_c45(0, home, 2)
    b.close()


def test_virtio_net_has_no_mii(cli: Cli, virtio: str) -> None:
    _one_line_error(*cli("read", f"linux://{virtio}", "0", "BMSR"), "does not support MII access")


def test_unprivileged_run_is_told_to_be_root(e1000: str) -> None:
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to drop CAP_NET_ADMIN"
    run = subprocess.run(
        [
            setpriv,
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            sys.executable,
            "-m",
            "physcapy",
            "read",
            f"linux://{e1000}",
            "0",
            "BMSR",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    _one_line_error(run.returncode, run.stdout, run.stderr, "needs CAP_NET_ADMIN (run as root)")


# -- the kernel's own view next to physcapy's ------------------------------------------------


def _resolved(bus: LinuxBus) -> tuple[int, str]:
    """Speed and duplex from the registers: the highest common ability (Annex 28B.3)."""
    from physcapy.sim.partner import resolve

    adv, lpa = bus.read(0, "ADVERTISE"), bus.read(0, "LPA")
    ctrl1000, stat1000 = bus.read(0, "CTRL1000"), bus.read(0, "STAT1000")
    local = {m for bit, m in _C22_MODES if adv & bit}
    remote = {m for bit, m in _C22_MODES if lpa & bit}
    local |= {m for bit, m in ((0x200, "1000full"), (0x100, "1000half")) if ctrl1000 & bit}
    remote |= {m for bit, m in ((0x800, "1000full"), (0x400, "1000half")) if stat1000 & bit}
    mode = resolve(local, remote)
    assert mode is not None
    return int(mode[:-4]), mode[-4:]


_C22_MODES = ((0x100, "100full"), (0x80, "100half"), (0x40, "10full"), (0x20, "10half"))


def test_ethtool_agrees_on_link_and_speed(bus: LinuxBus, e1000: str) -> None:
    ethtool = shutil.which("ethtool") or ("/sbin/ethtool" if IN_GUEST else None)
    assert ethtool, "ethtool (Debian's ethtool package) is needed in the guest"
    out = subprocess.run([ethtool, e1000], capture_output=True, text=True, timeout=30).stdout
    speed = re.search(r"Speed: (\d+)Mb/s", out)
    duplex = re.search(r"Duplex: (\w+)", out)
    link = re.search(r"Link detected: (\w+)", out)
    assert speed and duplex and link, out
    bus.read(0, "BMSR")
    assert (link.group(1) == "yes") == bool(bus.read(0, "BMSR") & 0x0004)
    assert _resolved(bus) == (int(speed.group(1)), duplex.group(1).lower())


def test_pal_on_the_real_phy_fails_as_phylib_would(cli: Cli, e1000: str) -> None:
    """The PAL's phylib drives the real PHY through the ioctls.  It scans only address 0
    (the driver ignores the address) and no Clause 45, then genphy_read_abilities reads
    ESTATUS because BMSR says it exists; e1000 fails that read, so phylib's probe fails
    with EIO -- said in one line, not papered over with 0xffff."""
    _one_line_error(
        *cli("pal", f"linux://{e1000}", "0", "--profile", "linux6", "--seconds", "1"),
        "read of PHY 0 register 15 failed",
    )
