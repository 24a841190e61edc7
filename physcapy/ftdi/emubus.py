# SPDX-License-Identifier: GPL-2.0-only
"""``ftdi-emu://``: the whole FTDI path (encoder, MPSSE byte streams, batching)
against an emulated chip wired to simulated PHYs (design.md §3.2).

    >>> bus = open_emulated("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1")
    >>> hex(bus.read(1, 31))
    '0x1058'
"""

from __future__ import annotations

from typing import IO
from urllib.parse import urlencode, urlsplit

from physcapy.bus.url import url_options
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError
from physcapy.ftdi.bitbang import SyncBitbangEmulator
from physcapy.ftdi.bitbangbus import BitbangBus
from physcapy.ftdi.emulator import EmulatorError, MpsseEmulator
from physcapy.ftdi.mpsse import CHIPS, WIRINGS
from physcapy.ftdi.mpssebus import MpsseBus
from physcapy.ftdi.port import FtdiPort, RecordingPort
from physcapy.sim.bus import SimBus

__all__ = ["BitbangEmuBus", "EmulatedFtdi", "FtdiEmuBus", "open_emulated"]

_OPTIONS = ("wiring", "freq", "phy", "record", "partner", "start", "fault", "time")


class EmulatedFtdi:
    """The two ``Ftdi`` methods physcapy uses, answered by the MPSSE emulator."""

    def __init__(self, emulator: MpsseEmulator):
        self.emulator = emulator
        self._reply = bytearray()

    def write_data(self, data: bytes) -> int:
        self._reply += self.emulator.execute(bytes(data))
        chip = self.emulator.chip
        if len(self._reply) > chip.rx_buffer:
            # Replies the host has not read yet stay in the chip's buffer too.
            raise EmulatorError(
                f"{len(self._reply)} reply bytes are waiting, more than the {chip.name}'s "
                f"{chip.rx_buffer}-byte buffer holds: read each batch's reply before the next"
            )
        return len(data)

    def read_data_bytes(self, size: int, attempt: int = 1) -> bytes:
        out, self._reply = bytes(self._reply[:size]), self._reply[size:]
        return out

    def purge_buffers(self) -> None:
        self._reply.clear()


class _SimSide:
    """What the PAL asks of a bus, answered by the simulated PHYs behind the emulator.

    Their own events in time are visible (negotiation finishing...), but no interrupt
    line: an FTDI adapter carries MDC and MDIO only, so phylib polls, as it would on
    the real adapter.
    """

    sim: SimBus

    @property
    def phys(self) -> dict[int, object]:
        return dict(self.sim.phys)

    def known_models(self) -> dict[int, str]:
        return self.sim.known_models()

    def next_event_time(self) -> float | None:
        return self.sim.next_event_time()

    def run_events(self) -> None:
        self.sim.run_events()


class FtdiEmuBus(_SimSide, MpsseBus):
    """An MDIO bus whose frames go through MPSSE bytes into an emulated FTDI chip."""

    scheme = "ftdi-emu"

    def __init__(
        self,
        url: str,
        chip_name: str,
        sim: SimBus,
        wiring: str,
        freq: float,
        record: IO[str] | None = None,
    ):
        self.sim = sim
        self.emulator = MpsseEmulator(chip_name, sim, wiring)
        port: FtdiPort = EmulatedFtdi(self.emulator)
        if record is not None:
            meta = {"url": url, "chip": chip_name, "mode": "mpsse", "wiring": wiring, "freq": freq}
            port = RecordingPort(port, record, meta)
        super().__init__(url, port, chip_name, wiring, freq, sim.clock)


class BitbangEmuBus(_SimSide, BitbangBus):
    """An MDIO bus bit-banged through an emulated FT232R wired to simulated PHYs."""

    scheme = "ftdi-emu"

    def __init__(self, url: str, sim: SimBus, freq: float, record: IO[str] | None = None):
        self.sim = sim
        self.emulator = SyncBitbangEmulator(sim)
        port: FtdiPort = self.emulator
        if record is not None:
            meta = {
                "url": url,
                "chip": "ft232r",
                "mode": "bitbang",
                "wiring": "resistor",
                "freq": freq,
            }
            port = RecordingPort(port, record, meta)
        super().__init__(url, port, "ft232r", freq, sim.clock)


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
    try:
        freq = float(query.get("freq", ["500e3" if bitbang else "2.5e6"])[-1])
    except ValueError:
        raise RangeError(
            f"ftdi-emu:// freq {query['freq'][-1]!r} is not a frequency in Hz"
        ) from None
    sim_query = {k: v for k, v in query.items() if k in ("partner", "start", "fault", "time")}
    phys = query.get("phy", ["generic@1"])[-1]
    sim = SimBus.from_url(
        f"sim://{phys}" + (f"?{urlencode(sim_query, doseq=True)}" if sim_query else "")
    )
    record = None
    if "record" in query:
        path = query["record"][-1]
        try:
            record = open(path, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the bus
        except OSError as exc:
            raise PhyscapyError(f"ftdi-emu:// record={path!r}: {exc.strerror}") from None
    if bitbang:
        return BitbangEmuBus(url, sim, freq, record)
    return FtdiEmuBus(url, chip_name, sim, wiring, freq, record)
