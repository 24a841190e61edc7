# SPDX-License-Identifier: GPL-2.0-only
"""``ftdi://``: a real FTDI adapter through pyftdi (design.md §3.2, ftdi-mdio.md).

The URL is pyftdi's (``ftdi://VENDOR:PRODUCT[:SERIAL]/INTERFACE``) plus physcapy's
options ``wiring`` (tristate, drivezero, resistor), ``freq`` (MDC in Hz, default
2.5 MHz, never exceeded), ``latency`` (the chip's latency timer in ms) and
``record=PATH`` (log every USB write and read as JSONL for replay).

Opening maps pyftdi's and pyusb's failures onto one-line errors:

    >>> open_ftdi("ftdi://ftdi:232h/1?wiring=sideways")
    Traceback (most recent call last):
    ...
    physcapy.errors.UnknownNameError: unknown MDIO wiring 'sideways': choose from drivezero, resistor, tristate
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from physcapy.bus.clock import Clock, RealClock
from physcapy.bus.url import url_options
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError
from physcapy.ftdi.bitbang import BITBANG_CHIPS, MDC, MDO
from physcapy.ftdi.bitbangbus import BitbangBus
from physcapy.ftdi.mpsse import CHIPS, WIRINGS, chip
from physcapy.ftdi.mpssebus import MpsseBus
from physcapy.ftdi.port import FtdiPort, RecordingPort, ReplayError, ReplayPort

__all__ = ["FtdiBus", "NoDeviceError", "open_ftdi", "open_replay"]

_OPTIONS = ("wiring", "freq", "latency", "record")

#: pyftdi's ``ic_name`` for each MPSSE chip physcapy knows (the FT2232C and FT2232D
#: share a device version, 0x0500, and an MPSSE without the H-series commands).
_IC_NAMES = {
    "ft232h": "ft232h",
    "ft2232h": "ft2232h",
    "ft4232h": "ft4232h",
    "ft4232ha": "ft4232h",
    "ft4232hp": "ft4232h",
    "ft2232c": "ft2232d",
}

#: What to add when Linux refuses access to the adapter (ftdi-mdio.md §3, pyftdi docs).
UDEV_RULE = (
    'SUBSYSTEM=="usb", ATTR{idVendor}=="0403", GROUP="plugdev", MODE="0664" '
    "in /etc/udev/rules.d/11-ftdi.rules, then `udevadm control --reload-rules` and replug"
)


#: Bit-bang MDC: pyftdi refuses sync bit-bang rates above 3 MBd on the FT232R and FT-X
#: (pyftdi 0.57), and every MDC period takes two bytes; 500 kHz leaves margin.
BITBANG_MAX_MDC = 1.5e6
#: Below about 1.5 kHz MDC pyftdi's bit-bang divisor overflows and sets another rate.
BITBANG_MIN_MDC = 2e3
BITBANG_DEFAULT_MDC = 500e3


class NoDeviceError(PhyscapyError):
    """No FTDI adapter matches the URL."""


class FtdiBus(MpsseBus):
    """MDIO through an FTDI MPSSE adapter."""

    scheme = "ftdi"


def _options(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    options = {k: v[-1] for k, v in url_options(url, _OPTIONS).items()}
    if options.get("wiring", "tristate") not in WIRINGS:
        raise UnknownNameError("MDIO wiring", options["wiring"], WIRINGS)
    return urlunsplit(parts._replace(query="")), options


def _number(
    options: dict[str, str],
    key: str,
    default: str,
    low: float,
    high: float,
    unit: str,
    shown: str = "ftdi://",
) -> float:
    text = options.get(key, default)
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise RangeError(f"{shown} {key}={text!r}: allowed {low:,.0f} to {high:,.0f} {unit}")
    return value


def _describe_devices(ftdi_class: Any) -> str:
    try:
        devices = ftdi_class.list_devices()
    except Exception:  # enumeration is only for the message; never hide the first error
        return "and listing FTDI devices failed too"
    if not devices:
        return "pyftdi sees no FTDI device on this machine"
    seen = ", ".join(
        f"{d.vid:04x}:{d.pid:04x} {d.description or '?'} (serial {d.sn or '?'}, "
        f"{count} interface{'s' if count > 1 else ''})"
        for d, count in devices
    )
    return f"pyftdi sees: {seen}"


def _call(opener: Callable[[], object], device_url: str, ftdi_class: Any) -> None:
    """Run a pyftdi open call, turning its failures into one-line errors."""
    try:
        from pyftdi.usbtools import UsbToolsError
        from usb.core import NoBackendError
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise PhyscapyError(f"ftdi:// needs pyftdi and pyusb: {exc}") from None
    try:
        opener()
    except NoBackendError:
        raise NoDeviceError(
            f"no FTDI device found for {device_url}: pyusb has no libusb backend "
            "(install libusb-1.0, e.g. apt-get install libusb-1.0-0)"
        ) from None
    except UsbToolsError as exc:
        raise NoDeviceError(
            f"no FTDI device found for {device_url} ({exc}); {_describe_devices(ftdi_class)}"
        ) from None
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM) or "Access denied" in str(exc):
            raise PhyscapyError(
                f"access to {device_url} denied ({exc}): add the udev rule {UDEV_RULE}"
            ) from None
        if type(exc).__name__ == "FtdiMpsseError":
            raise  # the caller falls back to bit-bang
        raise PhyscapyError(f"cannot open {device_url}: {exc}") from None
    except ValueError as exc:  # pyftdi's refusal of a clock or baud rate
        if str(exc) == "No backend available":  # pyftdi: no pyusb back end loaded
            raise NoDeviceError(
                f"no FTDI device found for {device_url}: pyusb has no libusb backend "
                "(install libusb-1.0, e.g. apt-get install libusb-1.0-0)"
            ) from None
        if "langid" in str(exc):  # pyusb's way of saying the device may not be opened
            raise PhyscapyError(
                f"access to {device_url} denied ({exc}): add the udev rule {UDEV_RULE}"
            ) from None
        raise PhyscapyError(f"cannot open {device_url}: {exc}") from None


def _ic_name(device: Any) -> str:
    """pyftdi's name for the chip; after a refused MPSSE open it may not know it."""
    try:
        return str(device.ic_name)
    except Exception:  # pyftdi raises when the device is not open: only for a message
        return "FTDI"


def _no_mpsse(exc_or_ic: object) -> bool:
    return type(exc_or_ic).__name__ == "FtdiMpsseError"


#: Makes the bus once the device is open: (url, port, chip, wiring, freq, clock).
MpsseMaker = Callable[[str, FtdiPort, str, str, float, Clock], MpsseBus]
#: The same for bit-bang: (url, port, chip, freq, clock).
BitbangMaker = Callable[[str, FtdiPort, str, float, Clock], BitbangBus]


def open_ftdi(
    url: str,
    ftdi_class: Callable[[], Any] | None = None,
    *,
    bus_url: str | None = None,
    clock: Clock | None = None,
    mpsse_bus: MpsseMaker | None = None,
    bitbang_bus: BitbangMaker | None = None,
) -> MpsseBus | BitbangBus:
    """Open ``ftdi://...``; ``ftdi_class`` replaces ``pyftdi.ftdi.Ftdi`` (tests).

    Chips with an MPSSE get :class:`FtdiBus`; an FT232R or FT-X, which have none, falls
    back to synchronous bit-bang (:class:`BitbangBus`), which needs ``wiring=resistor``.
    ``ftdi-emu://`` opens its emulated chip through here, with its own ``bus_url``
    (the bus's url and the recording's, and the URL every error names, never the
    internal ``ftdi://`` one), ``clock`` and bus classes.
    """
    url_of_bus = url if bus_url is None else bus_url
    the_clock: Clock = RealClock() if clock is None else clock
    make_mpsse: MpsseMaker = FtdiBus if mpsse_bus is None else mpsse_bus
    make_bitbang: BitbangMaker = BitbangBus if bitbang_bus is None else bitbang_bus
    device_url, options = _options(url)
    # What errors name: the URL the user typed (for ftdi-emu://, not the internal one).
    shown = device_url if bus_url is None else bus_url
    scheme = urlsplit(shown).scheme + "://"
    if ftdi_class is None:
        from pyftdi.ftdi import Ftdi

        ftdi_class = Ftdi
    wiring = options.get("wiring", "tristate")
    freq = _number(options, "freq", "2.5e6", 1e3, 30e6, "Hz", scheme)
    latency = int(_number(options, "latency", "2", 1, 255, "ms", scheme))
    device = ftdi_class()
    try:
        # MDC (AD0) low and MDIO out (AD1) high: the idle bus, so that a failed set-up
        # never leaves MDIO driven low (init_commands sets the same again).
        _call(
            lambda: device.open_mpsse_from_url(
                device_url, direction=0x03, initial=0x02, frequency=freq, latency=latency
            ),
            shown,
            ftdi_class,
        )
        ic = _ic_name(device)
        has_mpsse = True
        if ic == "ft2232c" and urlsplit(device_url).path.strip("/") == "2":
            # pyftdi lets channel B of an FT2232C/D open as MPSSE, but only channel A
            # has one (FTDI AN_135): the sync probe would fail with a misleading message.
            device.close()
            raise PhyscapyError(
                f"{shown}: channel B of an FT2232C/D has no MPSSE; use channel A (/1)"
            )
        if ic not in _IC_NAMES:
            device.close()
            raise UnknownNameError(
                f"MPSSE chip at {shown}",
                ic,
                sorted(_IC_NAMES),
                hint="its buffer and clock are not known to physcapy",
            )
    except OSError as exc:
        if not _no_mpsse(exc):
            raise
        # An FT232R or FT-X, or channel C or D of an FT4232H: bit-bang only.  pyftdi
        # closes the device before refusing, so the chip's name is not known here.
        has_mpsse = False
    if not has_mpsse:
        if wiring != "resistor":
            raise UnknownNameError(
                f"wiring for {shown} (no MPSSE on it: an FT232R, FT-X or FT4232H C/D)",
                wiring,
                ["resistor"],
                hint="it can only bit-bang, and bit-bang cannot release MDIO mid-frame",
            )
        if "freq" not in options:
            freq = BITBANG_DEFAULT_MDC
        elif not BITBANG_MIN_MDC <= freq <= BITBANG_MAX_MDC:
            raise RangeError(
                f"{scheme} freq={options['freq']!r} is out of range for bit-bang on "
                f"{shown}: allowed {BITBANG_MIN_MDC:,.0f} to {BITBANG_MAX_MDC:,.0f} Hz"
            )
        # Two bytes per MDC period; pyftdi takes the bit-bang pace as a byte rate and
        # returns the rate it really set.
        rate: list[object] = []
        _call(
            lambda: rate.append(
                device.open_bitbang_from_url(
                    device_url,
                    direction=MDC | MDO,
                    latency=latency,
                    baudrate=int(2 * freq),
                    sync=True,
                )
            ),
            shown,
            ftdi_class,
        )
        if rate and isinstance(rate[0], (int, float)) and rate[0] > 0:
            freq = float(rate[0]) / 2
        chip_name = _ic_name(device)
        meta = {
            "url": url_of_bus,
            "chip": chip_name,
            "mode": "bitbang",
            "wiring": wiring,
            "freq": freq,
        }
        return _build(
            device,
            options.get("record"),
            shown,
            meta,
            lambda port: make_bitbang(url_of_bus, port, chip_name, freq, the_clock),
        )
    chip_name = _IC_NAMES[ic]
    if wiring == "drivezero" and not chip(chip_name).drivezero:
        device.close()
        raise UnknownNameError(
            f"wiring for {chip_name}",
            wiring,
            ["tristate", "resistor"],
            hint="open-drain (drive-zero) mode exists on the FT232H only",
        )
    meta = {"url": url_of_bus, "chip": chip_name, "mode": "mpsse", "wiring": wiring, "freq": freq}
    return _build(
        device,
        options.get("record"),
        shown,
        meta,
        lambda port: make_mpsse(url_of_bus, port, chip_name, wiring, freq, the_clock),
    )


def _build(
    device: Any,
    record: str | None,
    shown: str,
    meta: dict[str, Any],
    make: Callable[[FtdiPort], MpsseBus | BitbangBus],
) -> MpsseBus | BitbangBus:
    """Make the bus, recording to ``record`` if given; if anything fails after the
    open, close the device (and the recording) so the adapter is not left in MPSSE or
    bit-bang mode."""
    port: FtdiPort = device
    try:
        if record is not None:
            port = RecordingPort(device, _open_record(record, shown), meta)
        return make(port)
    except BaseException:
        closer = getattr(port, "close", None) or getattr(device, "close", None)
        if closer is not None:
            with contextlib.suppress(Exception):
                closer()
        raise


def _open_record(path: str, shown: str) -> IO[str]:
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise PhyscapyError(f"{shown}: record={path!r}: {exc.strerror}") from None


def open_replay(path: str) -> FtdiBus | BitbangBus:
    """A bus that replays a JSONL recording (``record=PATH``) instead of a chip.

    Every USB write the session makes must equal the recorded one, in order; the
    reads return the recorded bytes, so a hardware run becomes a test fixture.
    """
    try:
        with open(path, encoding="utf-8") as log:
            port = ReplayPort(log, path)
    except OSError as exc:
        raise PhyscapyError(f"recording {path!r}: {exc.strerror}") from None
    meta = port.meta
    chip_name = str(meta.get("chip", ""))
    url = str(meta.get("url", f"ftdi://replay/{path}"))
    try:
        freq = float(meta.get("freq", 2.5e6))
    except (TypeError, ValueError):
        raise ReplayError(f"{path}: meta 'freq' {meta.get('freq')!r} is not a frequency") from None
    # An FT4232H's channels C and D bit-bang too: the mode, not the chip, decides.
    if meta.get("mode") == "bitbang" or chip_name in BITBANG_CHIPS:
        return BitbangBus(url, port, chip_name, freq)
    if chip_name not in CHIPS:
        raise UnknownNameError(f"chip in {path}", chip_name, (*CHIPS, *BITBANG_CHIPS))
    return FtdiBus(url, port, chip_name, str(meta.get("wiring", "tristate")), freq)
