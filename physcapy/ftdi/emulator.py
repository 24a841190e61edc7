# SPDX-License-Identifier: GPL-2.0-only
"""An emulated FTDI MPSSE engine wired to simulated PHYs, at the pin level.

The emulator executes the command bytes an MDIO master sends to the chip: it
clocks MDC on AD0, drives MDIO from AD1 (or releases it), samples AD2, and moves
a PHY state machine on the other end of the wire one MDC edge at a time.  The
PHY side samples on rising edges and drives TA and read data after them, as
IEEE 802.3 22.3.4 describes; the line is open-drain with a pull-up, so a station
that drives 1 while the PHY drives 0 is caught as contention.

    >>> from physcapy.mdio.frames import Frame
    >>> from physcapy.ftdi.mpsse import encode_frame, init_commands
    >>> from physcapy.sim.bus import SimBus
    >>> emu = MpsseEmulator("ft232h", SimBus.from_url("sim://"), wiring="tristate")
    >>> _ = emu.execute(init_commands("ft232h", 2.5e6, "tristate"))
    >>> e = encode_frame(Frame(22, "read", 1, 1), "tristate")
    >>> e.decode(emu.execute(e.commands + b"\\x87"))
    (31085, True)
"""

from __future__ import annotations

from collections.abc import Iterable

from physcapy.errors import PhyscapyError
from physcapy.ftdi.mpsse import _wiring
from physcapy.ftdi.mpsse import chip as chip_spec
from physcapy.sim.bus import SimBus

__all__ = ["EmulatorError", "MpsseEmulator", "PhyPins"]


#: The clock-data commands the MDIO encoder may use: out on the falling edge (bit 0),
#: in on the rising edge (bit 2 clear), MSB first (bit 3 clear); bytes or bits.
_DATA_OPS = frozenset({0x11, 0x13, 0x20, 0x22, 0x31, 0x33})

#: The commands of H-series chips alone (AN_108 3.8): divide-by-5, three-phase and adaptive
#: clocking, clocks without data.  (Drive-zero, 0x9E, is the FT232H's alone.)
_H_ONLY = frozenset({0x8A, 0x8B, 0x8C, 0x8D, 0x96, 0x97, 0x8E, 0x8F})


def _data_op_mistake(op: int) -> str:
    """What is wrong with a clock-data opcode (AN_108 §3.2 bit layout) for MDIO."""
    if op & 0x11 == 0x10:  # writes, on the rising edge
        return (
            "changes MDIO on the rising edge of MDC, where the PHY samples it "
            "(IEEE 802.3 22.3.4: 10 ns setup and hold around the rising edge)"
        )
    if op & 0x20 and op & 0x04:
        return (
            "samples MDIO on the falling edge, but the PHY may drive read data up to "
            "300 ns after the rising edge (IEEE 802.3 22.3.4)"
        )
    if op & 0x08:
        return "shifts LSB first; MDIO frames go MSB first"
    return "clocks MDC without moving MDIO the way an MDIO frame needs"


def _msb_first(data: Iterable[int], bits: int) -> list[int | None]:
    """The first ``bits`` bits of each byte, most significant first: what a clock-data
    command puts on AD1, one per MDC period."""
    return [(byte >> (7 - b)) & 1 for byte in data for b in range(bits)]


class EmulatorError(PhyscapyError):
    """The byte stream would misbehave on real hardware (contention, an MDC edge from
    SET_BITS_LOW, a clock faster than MDIO allows...)."""


class PhyPins:
    """The PHYs' end of the MDIO wire: a frame receiver clocked by MDC rising edges."""

    _header: tuple[int, int, int, int]  # a write's clause, op, PHY and register
    _state: str  # idle (waiting for an idle bit, then ST), header, write or read
    _idle: bool  # an idle bit (1) came since the last frame
    _bits: list[int]  # the frame's bits from ST on
    _out: list[int | None]  # what the PHY drives in the coming bit periods

    def __init__(self, sim: SimBus):
        self.sim = sim
        self.drive: int | None = None  # what the PHY drives on MDIO (None: released)
        self._reset()

    def rising(self, level: int) -> None:
        """MDC rises: sample MDIO, then set what the PHY drives for the next bit."""
        if self._state == "idle":
            if level == 1:
                self._idle = True
            elif self._idle:
                self._state, self._bits = "header", [0]  # ST's first bit
            self.drive = None
            return
        self._bits.append(level)
        if self._state == "header":
            if len(self._bits) == 14:  # ST OP PHYAD REGAD
                self._header_done()
        elif self._state == "write" and len(self._bits) == 32:
            self._write_done()
        if self._out:
            self.drive = self._out.pop(0)
        elif self._state == "read":  # its last bit driven for a period: let go
            self.drive = None
            self._reset()

    def _fields(self) -> tuple[int, int, int, int]:
        word = int("".join(map(str, self._bits)), 2)  # the 14 bits of ST OP PHYAD REGAD
        return word >> 12, (word >> 10) & 3, (word >> 5) & 31, word & 31

    def _header_done(self) -> None:
        st, op, phy, reg = self._fields()
        clause = 22 if st == 0b01 else 45
        reads = (clause == 22 and op == 0b10) or (clause == 45 and op in (0b10, 0b11))
        if not reads:
            self._state, self._header = "write", (clause, op, phy, reg)
            return
        value, answered = self.sim._transfer(clause, op, phy, reg, 0xFFFF)
        self._state = "read"
        if not answered:
            self._out = [None] * 18  # nobody there: the line stays pulled up
        else:
            # TA1 released, TA2 driven low, then DATA MSB first (22.2.4.5.5).
            self._out = [None, 0, *[(value >> (15 - k)) & 1 for k in range(16)]]

    def _write_done(self) -> None:
        data = int("".join(map(str, self._bits[16:])), 2)  # after ST..REGAD and TA
        self.sim._transfer(*self._header, data)
        self._reset()

    def _reset(self) -> None:
        self._state, self._bits, self._idle, self._out = "idle", [], False, []


class MpsseEmulator:
    """Executes MPSSE command bytes against simulated PHYs; returns the reply bytes.

    ``wiring`` is how MDIO reaches the pins (see physcapy.ftdi.mpsse); ``max_mdc_hz``
    is the fastest MDC the PHYs take (IEEE 802.3: 2.5 MHz).
    """

    def __init__(
        self, chip_name: str, sim: SimBus, wiring: str = "tristate", max_mdc_hz: float = 2.5e6
    ):
        self.chip = chip_spec(chip_name)
        self.sim = sim
        self.wiring = _wiring(wiring)
        self.max_mdc_hz = max_mdc_hz
        self.phy = PhyPins(sim)
        self.low_value = 0x02
        self.low_dir = 0x00
        self.drive_zero = 0
        self.divisor: int | None = None
        self.div5 = True  # H-series chips power up dividing by 5
        self.edges = 0  # MDC rising edges so far

    # -- the wire ------------------------------------------------------------------------

    def _sta_output(self) -> int | None:
        """What the station puts on MDIO through AD1 (None: released)."""
        if not self.low_dir & 0x02:
            return None
        level = (self.low_value >> 1) & 1
        if self.drive_zero & 0x02 and level:
            return None  # open drain: a 1 lets go of the line
        return level

    def line(self) -> int:
        sta = self._sta_output()
        phy = self.phy.drive
        if self.wiring == "resistor":
            # AD1 reaches MDIO through a series resistor: a PHY driving the line wins.
            return phy if phy is not None else (1 if sta is None else sta)
        if sta is not None and phy is not None and sta != phy:
            raise EmulatorError(
                f"MDIO contention at MDC edge {self.edges}: the station drives "
                f"{sta} while the PHY drives {phy} (release AD1 before the "
                "turnaround)"
            )
        if sta == 0 or phy == 0:
            return 0
        return 1

    def _clock(self, out_bit: int | None) -> int:
        """One MDC period: data out (falling edge), rising edge (sample), back low."""
        if self.divisor is None:
            raise EmulatorError("MDC clocked before SET_TCK_DIVISOR: its frequency is unknown")
        base = self.chip.base_hz / (5 if self.chip.h_series and self.div5 else 1)
        freq = base / ((1 + self.divisor) * 2)
        if freq > self.max_mdc_hz:  # both exact: the base over an even whole number
            raise EmulatorError(
                f"MDC at {freq:g} Hz is faster than the PHYs take ({self.max_mdc_hz:g} Hz)"
            )
        if out_bit is not None:
            self.low_value = (self.low_value & ~0x02) | (out_bit << 1)
        sampled = self.line()
        self.edges += 1
        self.phy.rising(sampled)
        return sampled

    # -- the command interpreter ---------------------------------------------------------

    def execute(self, commands: bytes) -> bytes:
        """Run a USB write's worth of commands; return what the chip sends back."""
        reply = bytearray()
        rest = memoryview(commands)  # the commands not run yet

        def need(count: int) -> memoryview:
            if len(rest) < 1 + count:
                raise EmulatorError(
                    f"command 0x{op:02x} at byte {i} lacks its {count} parameter byte(s)"
                )
            return rest[1 : 1 + count]

        while rest:
            i, op = len(commands) - len(rest), rest[0]
            params = 0  # parameter bytes after the opcode, set below
            if op in _H_ONLY and not self.chip.h_series:
                reply += bytes([0xFA, op])  # the chip rejects what it does not know
            elif 0x10 <= op <= 0x3F and op not in _DATA_OPS:
                raise EmulatorError(f"command 0x{op:02x} at byte {i} {_data_op_mistake(op)}")
            elif op in (0x11, 0x31, 0x20):  # bytes: write -ve / rw / read +ve
                lo, hi = need(2)
                count = lo + (hi << 8) + 1
                # MSB first; a read (0x20) leaves AD1 as it is.  need(): all the data or an error.
                outs = [None] * (8 * count) if op == 0x20 else _msb_first(need(2 + count)[2:], 8)
                for k in range(0, len(outs), 8):
                    value = 0
                    for out in outs[k : k + 8]:
                        value = value << 1 | self._clock(out)
                    if op != 0x11:
                        reply.append(value)
                params = 2 + (count if op != 0x20 else 0)
            elif op in (0x13, 0x33, 0x22):  # bits: write -ve / rw / read +ve
                length = need(1)[0] + 1
                if length > 8:
                    raise EmulatorError(
                        f"bit command 0x{op:02x} at byte {i} asks for {length} bits: at most 8"
                    )
                outs = [None] * length if op == 0x22 else _msb_first(need(2)[1:], length)
                value = 0
                for out in outs:
                    value = value << 1 | self._clock(out)
                if op != 0x13:
                    reply.append(value)  # right-aligned, as the MPSSE returns bits
                params = 2 if op != 0x22 else 1
            elif op == 0x80:
                value, direction = need(2)
                if value & direction & 0x01:
                    raise EmulatorError(
                        f"SET_BITS_LOW at byte {i} raises AD0: an MDC edge outside a clock command"
                    )
                self.low_value, self.low_dir = value, direction
                params = 2
            elif op == 0x81:
                reply.append((self.low_value & self.low_dir) | (self.line() << 2))
            elif op == 0x86:
                self.divisor = int.from_bytes(need(2), "little")
                params = 2
            elif op in (0x8A, 0x8B):
                self.div5 = op == 0x8B
            elif op in (0x8C, 0x8D, 0x96, 0x97, 0x84, 0x85, 0x87):
                pass  # three-phase, adaptive, loopback, send immediate: no MDIO effect
            elif op == 0x8E:
                for _ in range(need(1)[0] + 1):
                    self._clock(None)
                params = 1
            elif op == 0x8F:
                lo, hi = need(2)
                for _ in range(8 * (lo + (hi << 8) + 1)):
                    self._clock(None)
                params = 2
            elif op == 0x9E and self.chip.drivezero:  # elsewhere a bad command
                self.drive_zero = need(2)[0]
                params = 2
            elif op in (0x82, 0x83) and self.chip.name != "ft4232h":
                # The high byte (ACBUS/BCBUS, AN_108 3.6): no MDIO pin there, but the chip
                # knows the command (pyftdi sets it on every open of a wide-port chip);
                # the FT4232H has no high byte and rejects it.
                if op == 0x82:
                    need(2)
                    params = 2
                else:
                    reply.append(0x00)
            else:
                reply += bytes([0xFA, op])  # bad command: echoed, as the chip does
            rest = rest[1 + params :]
        if len(reply) > self.chip.rx_buffer:
            # The MPSSE stops clocking when its reply buffer is full, so MDC would pause
            # mid-frame until the host reads: the batch must be split.
            raise EmulatorError(
                f"one write asks for {len(reply)} reply bytes, more than the "
                f"{self.chip.name}'s {self.chip.rx_buffer}-byte buffer holds"
            )
        return bytes(reply)
