# SPDX-License-Identifier: GPL-2.0-only
"""``ftdi-emu://``: the whole FTDI path (encoder, MPSSE byte streams, batching)
against an emulated chip wired to simulated PHYs (design.md §3.2).

The bytes go physcapy -> pyftdi's ``Ftdi`` -> pyusb -> the emulated USB chip of
:mod:`physcapy.ftdi.usb_emulator` -> the pin-level MPSSE or bit-bang emulator, so
pyftdi's device lookup, vendor requests, chunking and modem-status stripping run.

    >>> bus = open_emulated("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1")
    >>> hex(bus.read(1, 31))
    '0x1058'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import suppress
from typing import Any
from urllib.parse import urlencode, urlsplit

from usb.core import USBError
from usb.util import dispose_resources

from physcapy.bus.clock import Clock
from physcapy.bus.url import url_options
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError
from physcapy.ftdi.bitbang import SyncBitbangEmulator
from physcapy.ftdi.bitbangbus import BitbangBus
from physcapy.ftdi.device import open_ftdi
from physcapy.ftdi.emulator import MpsseEmulator
from physcapy.ftdi.mpsse import CHIPS, WIRINGS
from physcapy.ftdi.mpssebus import MpsseBus
from physcapy.ftdi.port import FtdiPort
from physcapy.ftdi.usb_emulator import (
    EmulatedChannel,
    EmulatedDevice,
    UsbEmulator,
    chip_spec,
    get_backend,
)
from physcapy.sim.bus import SimBus

__all__ = ["BitbangEmuBus", "FtdiEmuBus", "open_emulated"]

_OPTIONS = ("wiring", "freq", "phy", "record", "partner", "start", "fault", "time")


class _SimSide:
    """What the PAL asks of a bus, answered by the simulated PHYs behind the emulator.

    Their own events in time are visible (negotiation finishing...), but no interrupt
    line: an FTDI adapter carries MDC and MDIO only, so phylib polls, as it would on
    the real adapter.
    """

    sim: SimBus
    #: The emulated chip's channel this bus talks to through pyftdi and pyusb.
    channel: EmulatedChannel
    _unplug: Callable[[], None] | None = None

    @property
    def usb_device(self) -> EmulatedDevice:
        """The emulated USB chip (for faults: unplug, timeouts...)."""
        return self.channel.device

    @property
    def emulator(self) -> MpsseEmulator | SyncBitbangEmulator:
        """The pin-level engine the channel's bulk bytes go to now."""
        engine = self.channel.mpsse or self.channel.bitbang
        if engine is None:
            raise PhyscapyError(f"{self.channel.device!r} channel {self.channel.number} is idle")
        return engine

    @property
    def phys(self) -> dict[int, object]:
        return dict(self.sim.phys)

    def known_models(self) -> dict[int, str]:
        return self.sim.known_models()

    def next_event_time(self) -> float | None:
        return self.sim.next_event_time()

    def run_events(self) -> None:
        self.sim.run_events()

    def _unplug_chip(self) -> None:
        """After pyftdi closed the device: free pyusb's handle and take the chip away."""
        unplug, self._unplug = self._unplug, None
        if unplug is not None:
            unplug()


class FtdiEmuBus(_SimSide, MpsseBus):
    """An MDIO bus whose frames go through pyftdi's ``Ftdi`` and pyusb as MPSSE bytes
    into an emulated FTDI chip."""

    scheme = "ftdi-emu"

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._unplug_chip()


class BitbangEmuBus(_SimSide, BitbangBus):
    """An MDIO bus bit-banged through pyftdi's ``Ftdi`` and pyusb into an emulated
    FT232R wired to simulated PHYs."""

    scheme = "ftdi-emu"

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._unplug_chip()


#: Serial numbers of the emulated chips: each ftdi-emu:// bus has its own.
_SERIALS = itertools.count(1)


def _forget(usb_dev: Any) -> None:
    """Take an open device out of pyftdi's cache without releasing it, so that putting
    pyftdi's real back ends back leaves the emulated device open."""
    from pyftdi.usbtools import UsbTools

    with UsbTools.Lock:
        for key, (dev, _count) in list(UsbTools.Devices.items()):
            if dev is usb_dev:
                del UsbTools.Devices[key]


def _open_through_usb(
    url: str,
    chip_name: str,
    sim: SimBus,
    wiring: str,
    freq: str | None,
    record: str | None,
) -> FtdiEmuBus | BitbangEmuBus:
    """Plug an emulated chip wired to ``sim`` into an emulated USB bus and open it with
    :func:`physcapy.ftdi.device.open_ftdi`, i.e. through pyftdi's ``Ftdi`` and
    ``UsbTools`` and pyusb.

    pyftdi finds its pyusb back end by module name in ``UsbTools.BACKENDS``, for the
    whole process.  Replacing that for as long as the bus lives would hide real
    adapters from everything else in the process, so the emulated back end is put in
    only while the device is looked up and opened, under pyftdi's own (re-entrant) lock,
    which every other lookup takes too; afterwards the real back ends (and pyftdi's
    device caches) are back.  The open device keeps its emulated back end: pyusb's
    ``Device`` holds the back end it was found on, and every transfer goes to it.
    Inside :func:`physcapy.ftdi.usb_emulator.emulated_usb` (a test's own emulated bus)
    the chip is plugged into that bus instead.
    """
    from pyftdi.usbtools import UsbTools

    serial = f"EMU{next(_SERIALS):05d}"
    spec = chip_spec(chip_name)
    query = {"wiring": wiring}
    if freq is not None:
        query["freq"] = freq
    if record is not None:
        query["record"] = record
    device_url = f"ftdi://ftdi:{spec.name.removeprefix('ft')}:{serial}/1?{urlencode(query)}"
    with UsbTools.Lock:
        shared = get_backend()
        usb = shared if shared is not None else UsbEmulator()
        device = usb.add(spec.name, sim, serial=serial, wiring=wiring)
        channel = device.channel(1)
        made: list[FtdiEmuBus | BitbangEmuBus] = []

        def mpsse_bus(
            url_: str, port: FtdiPort, chip_: str, wiring_: str, freq_: float, clock: Clock
        ) -> FtdiEmuBus:
            bus = FtdiEmuBus.__new__(FtdiEmuBus)
            bus.sim, bus.channel = sim, channel
            made.append(bus)
            FtdiEmuBus.__init__(bus, url_, port, chip_, wiring_, freq_, clock)
            return bus

        def bitbang_bus(
            url_: str, port: FtdiPort, chip_: str, freq_: float, clock: Clock
        ) -> BitbangEmuBus:
            bus = BitbangEmuBus.__new__(BitbangEmuBus)
            bus.sim, bus.channel = sim, channel
            made.append(bus)
            BitbangEmuBus.__init__(bus, url_, port, chip_, freq_, clock)
            return bus

        if shared is None:
            usb.install()
        try:
            opened = open_ftdi(
                device_url,
                bus_url=url,
                clock=sim.clock,
                mpsse_bus=mpsse_bus,
                bitbang_bus=bitbang_bus,
            )
        except BaseException:
            if shared is None:
                usb.uninstall()
            usb.remove(device)
            raise
        bus = made[-1]
        assert opened is bus
        ftdi: Any = getattr(bus.port, "port", bus.port)  # pyftdi's Ftdi, maybe recorded
        usb_dev = ftdi.usb_dev
        if shared is None:
            _forget(usb_dev)
            usb.uninstall()

    def unplug() -> None:
        if shared is None:
            with suppress(USBError):
                dispose_resources(usb_dev)
        usb.remove(device)

    bus._unplug = unplug
    return bus


def open_emulated(url: str) -> FtdiEmuBus | BitbangEmuBus:
    """``ftdi-emu://CHIP?wiring=...&freq=...&phy=MODEL@ADDR,...`` (and sim:// options).

    ``record=PATH`` writes every USB write and read to PATH as JSONL, for
    :class:`physcapy.ftdi.port.ReplayPort`.
    """
    parts = urlsplit(url)
    chip_name = "ft" + parts.netloc.lower().removeprefix("ft") if parts.netloc else "ft232h"
    if chip_name not in CHIPS and chip_name != "ft232r":
        raise UnknownNameError(
            "emulated FTDI chip", parts.netloc, [c.removeprefix("ft") for c in (*CHIPS, "ft232r")]
        )
    query = url_options(url, _OPTIONS)
    bitbang = chip_name == "ft232r"
    wiring = query.get("wiring", ["resistor" if bitbang else "tristate"])[-1]
    if wiring not in WIRINGS:
        raise UnknownNameError("MDIO wiring", wiring, WIRINGS)
    if bitbang and wiring != "resistor":
        raise UnknownNameError(
            "wiring for a bit-banged 232r",
            wiring,
            ["resistor"],
            hint="sync bit-bang cannot release MDIO mid-frame",
        )
    if "freq" in query:
        try:
            float(query["freq"][-1])
        except ValueError:
            raise RangeError(
                f"ftdi-emu:// freq {query['freq'][-1]!r} is not a frequency in Hz"
            ) from None
    sim_query = {k: v for k, v in query.items() if k in ("partner", "start", "fault", "time")}
    phys = query.get("phy", ["generic@1"])[-1]
    sim = SimBus.from_url(
        f"sim://{phys}" + (f"?{urlencode(sim_query, doseq=True)}" if sim_query else "")
    )
    return _open_through_usb(
        url,
        chip_name,
        sim,
        wiring,
        query["freq"][-1] if "freq" in query else None,
        query["record"][-1] if "record" in query else None,
    )
