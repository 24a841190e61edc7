# SPDX-License-Identifier: GPL-2.0-only
"""ftdi://: opening through pyftdi, mapping its failures onto clear errors, batches
that die half-way, and recording a session and replaying it byte for byte.

No adapter is attached to these machines: pyftdi's real ``Ftdi`` talks through pyusb to
the emulated USB chips of :mod:`physcapy.ftdi.usb_emulator`.  Failures that chip cannot
produce (a pyusb EACCES error, an ``ic_name`` physcapy does not know) use small stand-ins
for ``Ftdi`` that do no I/O."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from usb.core import USBError

from physcapy import open_bus
from physcapy.errors import PhyscapyError
from physcapy.ftdi.device import NoDeviceError, open_ftdi, open_replay
from physcapy.ftdi.mpsse import plan_batches
from physcapy.ftdi.port import ReplayError
from physcapy.ftdi.portbus import TransferError
from physcapy.ftdi.usb_emulator import emulated_usb
from physcapy.mdio.frames import Frame
from physcapy.sim.bus import SimBus
from tests.conftest import run_physcapy


def unknown_chip(ic_name: str):
    """A stand-in for the ``Ftdi`` class that opens and names itself ``ic_name``: the
    emulated USB chips are all chips pyftdi and physcapy know, so an MPSSE chip
    physcapy does not know can only be faked."""

    class Unknown:
        closed = False

        def open_mpsse_from_url(self, url: str, **kwargs: Any) -> float:
            self.ic_name = ic_name
            return float(kwargs["frequency"])

        def close(self) -> None:
            Unknown.closed = True

    return Unknown


def test_no_adapter_is_one_line_and_exit_2() -> None:
    # The real pyftdi, on a machine without an FTDI adapter (with or without libusb).
    if os.environ.get("PHYSCAPY_FTDI_URL"):
        pytest.skip("an adapter is attached")
    result = run_physcapy("scan", "ftdi://ftdi:232h/1")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "no FTDI device found for ftdi://ftdi:232h/1" in result.stderr


@pytest.mark.parametrize(("chip", "wiring"), [("232h", "drivezero"), ("2232d", "tristate")])
def test_ftdi_bus_reads_what_the_simulator_holds(chip: str, wiring: str) -> None:
    with emulated_usb(f"ft{chip}", phys="lan8720a@1", wiring=wiring) as usb:
        bus = open_ftdi(f"ftdi://ftdi:{chip}/1?wiring={wiring}&freq=1e6&latency=4")
        sim = SimBus.from_url("sim://lan8720a@1")
        assert [bus.read(1, r) for r in range(32)] == [sim.read(1, r) for r in range(32)]
        channel = usb.devices[0].channel(1)
        # pyftdi got physcapy's latency and clock; MDC and MDIO out are outputs, MDIO
        # idling high, so that a failed set-up never holds it low.
        assert channel.latency_ms == 4 and channel.mpsse.low_dir & 0x03 == 0x03
        assert channel.mpsse.low_value & 0x02
        bus.close()
        assert channel.mode == "uart"  # pyftdi closed the device


def test_drivezero_needs_an_ft232h() -> None:
    with emulated_usb("ft2232h"), pytest.raises(PhyscapyError, match="drivezero.*FT232H only"):
        open_ftdi("ftdi://ftdi:2232h/1?wiring=drivezero")


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
    with emulated_usb("ft232h"), pytest.raises(PhyscapyError, match=match):
        open_ftdi(url)


def test_no_device_lists_what_pyftdi_sees() -> None:
    with emulated_usb() as usb:
        usb.add("ft232h", serial="FT1234")
        with pytest.raises(NoDeviceError, match=r"sees: 0403:6014 Single RS232-HS \(serial FT1234"):
            open_ftdi("ftdi://ftdi:2232h/1")


def test_access_denied_names_the_udev_rule() -> None:
    # pyusb's own EACCES error: the emulated chip's refusal comes out of pyusb as a
    # ValueError (no langid) instead, tested in tests/test_ftdi_usb.py.
    class Denied:
        def open_mpsse_from_url(self, url: str, **kwargs: Any) -> float:
            raise USBError("Access denied (insufficient permissions)", errno=errno.EACCES)

    with pytest.raises(PhyscapyError, match=r"denied.*udev rule.*idVendor.*0403.*11-ftdi"):
        open_ftdi("ftdi://ftdi:232h/1", Denied)


def test_an_mpsse_chip_physcapy_does_not_know_is_refused() -> None:
    factory = unknown_chip("ft9999")
    with pytest.raises(PhyscapyError, match=r"unknown MPSSE chip at ftdi://ftdi:9999/1 'ft9999'"):
        open_ftdi("ftdi://ftdi:9999/1", factory)
    assert factory.closed


def test_unplugged_mid_batch_says_what_ran() -> None:
    with emulated_usb("ft232h", phys="generic@1") as usb:
        bus = open_ftdi("ftdi://ftdi:232h/1")
        frames = [Frame(22, "read", 1, 2)] * 600  # 3 reply bytes each: 340 fit 1 KiB - 2
        # pyftdi writes the first exchange in 1 KiB bulk transfers; the cable goes in
        # the first transfer of the second exchange.
        first = plan_batches(frames, "tristate", "ft232h")[0]
        usb.devices[0].unplug(after_writes=-(-len(first.commands) // 1024))
        with pytest.raises(
            TransferError, match=r"exchange 2 .*frames 1-340 completed, frames 341-600"
        ):
            bus.batch(frames)
        with pytest.raises(TransferError) as caught:  # unplugged for good
            bus.batch(frames)
        assert len(caught.value.completed) == 0 and len(caught.value.pending) == 600
        bus.close()


def test_a_short_reply_times_out_with_the_byte_count() -> None:
    # physcapy's own deadline: pyftdi keeps returning nothing (a chip too slow to
    # answer, which the emulated chip, answering in virtual time, never is).
    with emulated_usb("ft232h", phys="lan8720a@1"):
        bus = open_ftdi("ftdi://ftdi:232h/1")
        bus.timeout = 0.01
        bus.port.read_data_bytes = lambda size, attempt=1: b""  # type: ignore[method-assign]
        with pytest.raises(
            PhyscapyError, match="ft232h sent 0 of 3 reply bytes for the exchange 1"
        ):
            bus.read(1, 2)


def session(bus) -> list[int]:
    """What the recorded session does: single reads, a batch, a write."""
    values = [bus.read(1, r) for r in range(32)]
    values += [f.data for f in bus.batch([Frame(22, "read", 1, r) for r in (2, 3, 1)])]
    bus.write(1, 4, 0x01E1)
    return values


def test_a_late_reply_does_not_answer_the_next_read() -> None:
    with emulated_usb("ft232h", phys="lan8720a@1") as usb:
        bus = open_ftdi("ftdi://ftdi:232h/1")
        bus.timeout = 0.01
        port = bus.port
        real_read, late = port.read_data_bytes, [True]

        def late_read(size: int, attempt: int = 1) -> bytes:
            return b"" if late[0] else real_read(size, attempt)

        port.read_data_bytes = late_read  # type: ignore[method-assign]
        with pytest.raises(TransferError, match="sent 0 of 3 reply bytes"):
            bus.read(1, 2)
        late[0] = False
        assert usb.devices[0].channel(1).to_host  # the reply is waiting in the chip
        sim = SimBus.from_url("sim://lan8720a@1")
        assert [bus.read(1, 3), bus.read(1, 2)] == [sim.read(1, 3), sim.read(1, 2)]
        bus.close()


def test_usb_failure_during_set_up_is_one_line_and_closes() -> None:
    with emulated_usb("ft232h", phys="lan8720a@1") as usb:
        # pyftdi's MPSSE open makes 3 bulk writes; the cable goes at physcapy's probe.
        usb.devices[0].unplug(after_writes=3)
        with pytest.raises(PhyscapyError, match="USB failed while setting up the MPSSE.*No such"):
            open_ftdi("ftdi://ftdi:232h/1")


def test_ft2232d_channel_b_has_no_mpsse() -> None:
    with emulated_usb("ft2232d"), pytest.raises(PhyscapyError, match="channel B of an FT2232C/D"):
        open_ftdi("ftdi://ftdi:2232/2")


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
    bus.usb_device.unplug()  # type: ignore[attr-defined]
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
