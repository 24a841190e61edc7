# SPDX-License-Identifier: GPL-2.0-only
"""ftdi://: opening through pyftdi, mapping its failures onto clear errors, batches
that die half-way, and recording a session and replaying it byte for byte.

No adapter is attached to these machines, so ``FakeFtdi`` stands in for
``pyftdi.ftdi.Ftdi``: its I/O goes to the pin-level MPSSE emulator."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from pyftdi.usbtools import UsbToolsError
from usb.core import USBError

from physcapy import open_bus
from physcapy.errors import PhyscapyError
from physcapy.ftdi.device import NoDeviceError, open_ftdi, open_replay
from physcapy.ftdi.emubus import EmulatedFtdi
from physcapy.ftdi.emulator import MpsseEmulator
from physcapy.ftdi.mpsse import CHIPS
from physcapy.ftdi.port import ReplayError
from physcapy.ftdi.portbus import TransferError
from physcapy.mdio.frames import Frame
from physcapy.sim.bus import SimBus
from tests.conftest import run_physcapy


def fake_ftdi(ic_name: str = "ft232h", phys: str = "lan8720a@1", wiring: str = "tristate"):
    """A stand-in for the ``Ftdi`` class whose chip is the MPSSE emulator."""
    chip_name = {"ft2232c": "ft2232d"}.get(ic_name, ic_name)

    class FakeFtdi:
        opened: ClassVar[list[dict[str, Any]]] = []

        def __init__(self) -> None:
            self.sim = SimBus.from_url(f"sim://{phys}")
            # A chip without an MPSSE has no emulator: physcapy must refuse it first.
            self.port = (
                EmulatedFtdi(MpsseEmulator(chip_name, self.sim, wiring))
                if chip_name in CHIPS
                else None
            )
            self.ic_name = ic_name
            self.closed = False

        def open_mpsse_from_url(self, url: str, **kwargs: Any) -> float:
            FakeFtdi.opened.append({"url": url, **kwargs})
            return float(kwargs["frequency"])

        def write_data(self, data: bytes) -> int:
            return self.port.write_data(data)

        def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
            return self.port.read_data_bytes(size, attempt)

        def purge_buffers(self) -> None:
            self.port.purge_buffers()

        def close(self) -> None:
            self.closed = True

    return FakeFtdi


def test_no_adapter_is_one_line_and_exit_2() -> None:
    # The real pyftdi, on a machine without an FTDI adapter (with or without libusb).
    if os.environ.get("PHYSCAPY_FTDI_URL"):
        pytest.skip("an adapter is attached")
    result = run_physcapy("scan", "ftdi://ftdi:232h/1")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "no FTDI device found for ftdi://ftdi:232h/1" in result.stderr


@pytest.mark.parametrize(("ic_name", "wiring"), [("ft232h", "drivezero"), ("ft2232c", "tristate")])
def test_ftdi_bus_reads_what_the_simulator_holds(ic_name: str, wiring: str) -> None:
    factory = fake_ftdi(ic_name, wiring=wiring)
    bus = open_ftdi(f"ftdi://ftdi:232h/1?wiring={wiring}&freq=1e6&latency=4", factory)
    sim = SimBus.from_url("sim://lan8720a@1")
    assert [bus.read(1, r) for r in range(32)] == [sim.read(1, r) for r in range(32)]
    # pyftdi gets its own URL, without physcapy's options, and our pin directions.
    assert factory.opened[-1] == {
        "url": "ftdi://ftdi:232h/1",
        "direction": 0x03,
        "initial": 0x02,  # MDIO out idles high: a failed set-up never holds it low
        "frequency": 1e6,
        "latency": 4,
    }
    bus.close()
    assert bus.port.closed  # type: ignore[attr-defined]


def test_drivezero_needs_an_ft232h() -> None:
    with pytest.raises(PhyscapyError, match="drivezero.*FT232H only"):
        open_ftdi("ftdi://ftdi:2232h/1?wiring=drivezero", fake_ftdi("ft2232h"))


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("ftdi://ftdi:232h/1?speed=1", "unknown ftdi:// option 'speed'"),
        ("ftdi://ftdi:232h/1?freq=fast", "freq='fast': allowed 1,000 to 30,000,000 Hz"),
        ("ftdi://ftdi:232h/1?latency=0", "latency='0': allowed 1 to 255 ms"),
        ("ftdi://ftdi:232h/1?wiring=wired", "MDIO wiring 'wired'"),
    ],
)
def test_bad_options_are_named(url: str, match: str) -> None:
    with pytest.raises(PhyscapyError, match=match):
        open_ftdi(url, fake_ftdi())


def test_no_device_lists_what_pyftdi_sees() -> None:
    class Absent:
        @classmethod
        def list_devices(cls) -> list[Any]:
            desc = SimpleNamespace(vid=0x0403, pid=0x6014, description="C232HM", sn="FT1234")
            return [(desc, 1)]

        def open_mpsse_from_url(self, url: str, **kwargs: Any) -> float:
            raise UsbToolsError(f"No USB device matches URL {url}")

    with pytest.raises(NoDeviceError, match=r"pyftdi sees: 0403:6014 C232HM \(serial FT1234"):
        open_ftdi("ftdi://ftdi:2232h/1", Absent)


def test_access_denied_names_the_udev_rule() -> None:
    class Denied:
        def open_mpsse_from_url(self, url: str, **kwargs: Any) -> float:
            raise USBError("Access denied (insufficient permissions)", errno=errno.EACCES)

    with pytest.raises(PhyscapyError, match=r"denied.*udev rule.*idVendor.*0403.*11-ftdi"):
        open_ftdi("ftdi://ftdi:232h/1", Denied)


def test_an_mpsse_chip_physcapy_does_not_know_is_refused() -> None:
    factory = fake_ftdi("ft9999")
    with pytest.raises(PhyscapyError, match=r"unknown MPSSE chip at ftdi://ftdi:9999/1 'ft9999'"):
        open_ftdi("ftdi://ftdi:9999/1", factory)


def test_unplugged_mid_batch_says_what_ran() -> None:
    factory = fake_ftdi("ft232h", phys="generic@1")
    bus = open_ftdi("ftdi://ftdi:232h/1", factory)
    port = bus.port
    real_write, writes = port.write_data, []

    def dies_on_second_batch(data: bytes) -> int:
        writes.append(data)
        if len(writes) >= 2:
            raise USBError("No such device (it may have been disconnected)", errno=errno.ENODEV)
        return real_write(data)

    port.write_data = dies_on_second_batch  # type: ignore[method-assign]
    frames = [Frame(22, "read", 1, 2)] * 300  # 3 reply bytes each: 340 fit 1 KiB - 2
    frames = frames + frames
    with pytest.raises(TransferError, match=r"exchange 2 .*frames 1-340 completed, frames 341-600"):
        bus.batch(frames)
    try:
        bus.batch(frames)
    except TransferError as exc:
        assert len(exc.completed) == 0 and len(exc.pending) == 600  # unplugged for good
    else:  # pragma: no cover - the port is dead, so the batch must fail
        raise AssertionError("a dead port answered")


def test_a_short_reply_times_out_with_the_byte_count() -> None:
    bus = open_ftdi("ftdi://ftdi:232h/1", fake_ftdi())
    bus.timeout = 0.01
    bus.port.read_data_bytes = lambda size, attempt=1: b""  # type: ignore[method-assign]
    with pytest.raises(PhyscapyError, match="ft232h sent 0 of 3 reply bytes for the exchange 1"):
        bus.read(1, 2)


def session(bus) -> list[int]:
    """What the recorded session does: single reads, a batch, a write."""
    values = [bus.read(1, r) for r in range(32)]
    values += [f.data for f in bus.batch([Frame(22, "read", 1, r) for r in (2, 3, 1)])]
    bus.write(1, 4, 0x01E1)
    return values


def test_a_late_reply_does_not_answer_the_next_read() -> None:
    bus = open_ftdi("ftdi://ftdi:232h/1", fake_ftdi())
    bus.timeout = 0.01
    port = bus.port
    real_read, late = port.read_data_bytes, [True]

    def late_read(size: int, attempt: int = 1) -> bytes:
        return b"" if late[0] else real_read(size, attempt)

    port.read_data_bytes = late_read  # type: ignore[method-assign]
    with pytest.raises(TransferError, match="sent 0 of 3 reply bytes"):
        bus.read(1, 2)
    late[0] = False  # the reply to the failed read is now waiting in the chip
    sim = SimBus.from_url("sim://lan8720a@1")
    assert [bus.read(1, 3), bus.read(1, 2)] == [sim.read(1, 3), sim.read(1, 2)]


def test_usb_failure_during_set_up_is_one_line_and_closes() -> None:
    factory = fake_ftdi()

    class Unplugged(factory):  # type: ignore[misc, valid-type]
        def write_data(self, data: bytes) -> int:
            raise USBError("No such device (it may have been disconnected)", errno=errno.ENODEV)

    with pytest.raises(PhyscapyError, match="USB failed while setting up the MPSSE.*No such"):
        open_ftdi("ftdi://ftdi:232h/1", Unplugged)


def test_ft2232d_channel_b_has_no_mpsse() -> None:
    with pytest.raises(PhyscapyError, match="channel B of an FT2232C/D has no MPSSE"):
        open_ftdi("ftdi://ftdi:2232/2", fake_ftdi("ft2232c"))


def test_record_then_replay(tmp_path: Path, cli) -> None:
    log = tmp_path / "session.jsonl"
    url = f"ftdi-emu://232h?wiring=resistor&phy=lan8720a@1&record={log}"
    bus = open_bus(url)
    recorded = session(bus)
    bus.close()
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert records[0]["meta"] == {
        "url": url,
        "chip": "ft232h",
        "mode": "mpsse",
        "wiring": "resistor",
        "freq": 2.5e6,
    }
    # The bad-opcode probe (0xAA) and its echo come first, before the set-up commands.
    assert records[1] == {"write": "aa87"} and records[2] == {"read": "faaa", "size": 2}

    # The same session against the recording: same bytes out, same registers back.
    replay = open_replay(str(log))
    assert session(replay) == recorded
    assert recorded[:32] == [open_bus("sim://lan8720a@1").read(1, r) for r in range(32)]
    assert replay.port.finished  # type: ignore[attr-defined]

    # A session that does something else fails at the record where it diverges.
    other = open_replay(str(log))
    with pytest.raises(ReplayError, match=r"session\.jsonl:\d+: the session wrote"):
        other.write(1, 0, 0x8000)

    # The command line records too.
    status, _, _ = cli("dump", url, "1", "--format", "json")
    assert status == 0 and log.read_text().count("\n") > 10


def test_replay_does_not_depend_on_how_reads_were_split(tmp_path: Path) -> None:
    log = tmp_path / "split.jsonl"
    bus = open_bus(f"ftdi-emu://232h?phy=lan8720a@1&record={log}")
    expected = session(bus)
    bus.close()
    # Re-chunk every recorded reply into one-byte reads, as a slower reader would see it.
    lines = []
    for line in log.read_text().splitlines():
        record = json.loads(line)
        if "read" in record:
            data = bytes.fromhex(record["read"])
            lines += [
                json.dumps({"read": data[k : k + 1].hex(), "size": 1}) for k in range(len(data))
            ]
        else:
            lines.append(line)
    log.write_text("\n".join(lines) + "\n")
    replay = open_replay(str(log))
    assert session(replay) == expected
    assert replay.port.finished  # type: ignore[attr-defined]


def test_a_recorded_usb_failure_replays_as_the_same_failure(tmp_path: Path) -> None:
    log = tmp_path / "unplug.jsonl"
    bus = open_bus(f"ftdi-emu://232h?phy=lan8720a@1&record={log}")
    bus.read(1, 2)
    inner = bus.port.port  # type: ignore[attr-defined]

    def unplugged(data: bytes) -> int:
        raise USBError("No such device (it may have been disconnected)", errno=errno.ENODEV)

    inner.write_data = unplugged
    with pytest.raises(TransferError, match="No such device"):
        bus.read(1, 3)
    bus.close()
    assert json.loads(log.read_text().splitlines()[-1])["error"] == "write"
    replay = open_replay(str(log))
    assert replay.read(1, 2) == 0x0007
    with pytest.raises(TransferError, match=r"No such device.*\(replayed\)"):
        replay.read(1, 3)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"meta": {"chip": "ft232h"}}\n{"read": "zz"}\n', r":2: 'read' must be a hex string"),
        ('{"meta": []}\n', r":1: 'meta' must be an object"),
        (
            '{"meta": {"chip": "ft232h", "freq": "fast"}}\n',
            r"meta 'freq' 'fast' is not a frequency",
        ),
        ('{"meta": {}}\n{"error": "sideways"}\n', r":2: 'error' must be 'write' or 'read'"),
    ],
)
def test_a_corrupt_recording_is_one_clear_error(tmp_path: Path, text: str, match: str) -> None:
    log = tmp_path / "corrupt.jsonl"
    log.write_text(text)
    with pytest.raises(PhyscapyError, match=match):
        open_replay(str(log))


def test_replay_of_a_bad_file_names_the_line(tmp_path: Path) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_text('{"meta": {"chip": "ft232h"}}\n{"write": "ab"}\nnot json\n')
    with pytest.raises(ReplayError, match=r"bad\.jsonl:3: not JSON"):
        open_replay(str(log))
    log.write_text('{"meta": {"chip": "ft9000"}}\n')
    with pytest.raises(PhyscapyError, match="ft9000"):
        open_replay(str(log))


@pytest.mark.skipif(not os.environ.get("PHYSCAPY_FTDI_URL"), reason="no adapter named")
def test_hardware_reads_a_phy_id_and_replays_it(tmp_path: Path) -> None:  # pragma: no cover
    # PHYSCAPY_FTDI_URL names an adapter with a PHY at PHYSCAPY_FTDI_PHY (default 0).
    url = os.environ["PHYSCAPY_FTDI_URL"]
    log = tmp_path / "hardware.jsonl"
    phy = int(os.environ.get("PHYSCAPY_FTDI_PHY", "0"))
    bus = open_bus(f"{url}{'&' if '?' in url else '?'}record={log}")
    ids = [bus.read(phy, 2), bus.read(phy, 3)]
    bus.close()
    assert ids[0] not in (0x0000, 0xFFFF)
    # The recording is a fixture: keep it (PHYSCAPY_FTDI_KEEP=DIR) to replay in CI.
    replay = open_replay(str(log))
    assert [replay.read(phy, 2), replay.read(phy, 3)] == ids
    if os.environ.get("PHYSCAPY_FTDI_KEEP"):
        Path(os.environ["PHYSCAPY_FTDI_KEEP"], "hardware.jsonl").write_text(log.read_text())


def test_without_libusb_the_error_says_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # pyftdi finds no pyusb back end: what a machine without libusb-1.0 shows.
    from pyftdi.usbtools import UsbTools

    class NoBackend:
        @staticmethod
        def get_backend() -> None:
            return None

    monkeypatch.setattr(UsbTools, "BACKENDS", ("physcapy_test_no_backend",))
    monkeypatch.setitem(sys.modules, "physcapy_test_no_backend", NoBackend)
    monkeypatch.setattr(UsbTools, "UsbDevices", {})  # no cached devices from other tests
    monkeypatch.setattr(UsbTools, "Devices", {})
    with pytest.raises(PhyscapyError, match="no FTDI device found for .*install libusb-1.0"):
        open_ftdi("ftdi://ftdi:232h/1")
