# SPDX-License-Identifier: GPL-2.0-only
"""The capture decoder's corners pinned exactly (issue 23: mutants of
physcapy/capture/decode.py)."""

from __future__ import annotations

from physcapy.capture.decode import decode
from tests.conftest import SHARED, need


def test_shared_capture_decodes_to_its_exact_transactions() -> None:
    path = SHARED / "captures" / "lan8720a_read_write_read.sr"
    need(path.exists(), "the shared captures")
    got = [(round(t.start * 24e6), round(t.end * 24e6), t.op, t.phy, t.reg, t.data, t.errors)
           for t in decode(path)]  # fmt: skip
    # Sample numbers at 24 MHz: BMCR read, soft reset written, the reset bit read back set.
    assert got == [
        (100, 982, "read", 1, 0, 0x3000, []),
        (1396, 2278, "write", 1, 0, 0x8000, []),
        (2306, 3188, "read", 1, 0, 0x8000, []),
    ]
