# SPDX-License-Identifier: GPL-2.0-only
"""Frame building, the batch codec, the MPSSE encoder and the FT2232H emulator's checks,
pinned exactly (issue 23: mutants of physcapy/mdio/frames.py, mdio/batch.py,
ftdi/mpsse.py and ftdi/emulator.py)."""

from __future__ import annotations

import pytest

from physcapy.errors import FrameError, RangeError
from physcapy.mdio.frames import Frame, c45_frames, c45_over_c22_frames


def _ops(frames: list[Frame]) -> list[tuple[int, str, int, int, int]]:
    return [(f.clause, f.op, f.phy, f.reg, f.data) for f in frames]


def test_clause45_access_is_an_address_frame_then_the_operation() -> None:
    assert _ops(c45_frames("read", 1, 3, 0x20)) == [
        (45, "address", 1, 3, 0x20),
        (45, "read", 1, 3, 0),
    ]
    assert _ops(c45_frames("post-read-increment", 2, 1, 0)) == [
        (45, "address", 2, 1, 0), (45, "read_inc", 2, 1, 0),
    ]  # fmt: skip
    assert _ops(c45_frames("write", 31, 31, 0xFFFF, 0xABCD)) == [
        (45, "address", 31, 31, 0xFFFF), (45, "write", 31, 31, 0xABCD),
    ]  # fmt: skip


def test_clause45_over_22_is_the_four_writes_of_22_2_4_3_11() -> None:
    assert _ops(c45_over_c22_frames("read", 1, 3, 0x14)) == [
        (22, "write", 1, 13, 0x0003), (22, "write", 1, 14, 0x0014),
        (22, "write", 1, 13, 0x4003), (22, "read", 1, 14, 0),
    ]  # fmt: skip
    # A read carries no data even when some is given; a write carries it.
    assert _ops(c45_over_c22_frames("read", 1, 0, 0, 0x55AA))[-1] == (22, "read", 1, 14, 0)
    assert _ops(c45_over_c22_frames("write", 1, 31, 0xFFFF, 0x1234, function=2)) == [
        (22, "write", 1, 13, 0x001F), (22, "write", 1, 14, 0xFFFF),
        (22, "write", 1, 13, 0x801F), (22, "write", 1, 14, 0x1234),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("function", "code"),
    [("data", 1), ("DATA", 1), ("noincr", 1), ("1", 1), (1, 1), ("data_inc", 2), ("incr_rdwt", 2),
     ("data_inc_write", 3), ("INCR_ON_WT", 3), (3, 3), ("address", 0), (0, 0)],
)  # fmt: skip
def test_mmd_functions_by_name_alias_and_number(function: str | int, code: int) -> None:
    assert c45_over_c22_frames("read", 4, 7, 0x3C, function=function)[2].data == code << 14 | 7


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: c45_frames("address", 1, 3, 1), FrameError,
         "op 'address' is the first frame of every access: ask for read, write or read_inc"),
        (lambda: c45_frames("read", 1, 3, 0x10000), RangeError,
         "Clause 45 register address 65536 (0x10000) is out of range: allowed 0-65535 (0x0000-0xffff)"),
        (lambda: c45_frames("read", 1, 3, -1), RangeError,
         "Clause 45 register address -1 (0x-1) is out of range: allowed 0-65535 (0x0000-0xffff)"),
        (lambda: c45_over_c22_frames("read", 1, 32, 1), RangeError,
         "DEVAD 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)"),
        (lambda: c45_over_c22_frames("read", 1, -1, 1), RangeError,
         "DEVAD -1 (0x-1) is out of range: allowed 0-31 (0x00-0x1f)"),
        (lambda: c45_over_c22_frames("read", 1, 3, 0x10000), RangeError,
         "Clause 45 register address 65536 (0x10000) is out of range: allowed 0-65535 (0x0000-0xffff)"),
        (lambda: c45_over_c22_frames("read", 1, 3, 1, function="bogus"), FrameError,
         "MMD function 'bogus' is unknown: allowed address (00), data (01), data_inc (10), "
         "data_inc_write (11)"),
    ],
)  # fmt: skip
def test_bad_clause45_requests_name_the_value_and_what_is_allowed(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        call()  # type: ignore[operator]
    assert str(exc.value) == message


def test_clause45_accepts_devad_0_and_register_0() -> None:
    assert _ops(c45_over_c22_frames("read", 0, 0, 0))[0] == (22, "write", 0, 13, 0)
    assert _ops(c45_frames("read", 0, 0, 0))[0] == (45, "address", 0, 0, 0)
