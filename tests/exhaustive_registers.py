# SPDX-License-Identifier: GPL-2.0-only
"""Every register of every model x every 16-bit value, through all three representations.

Too slow for the suite (~180 registers x 65,536 values x ~60 us); ``make exhaustive``
runs it.  The suite checks every register on a covering sample of values and three
registers on all 65,536 (tests/test_registers.py).
"""

from __future__ import annotations

import pytest

from physcapy.registers.regdesc import RegisterSpec
from tests.test_registers import SPECS, check_round_trip


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.model}:{s.key}:{s.name}")
def test_every_16_bit_value_of_every_register(spec: RegisterSpec) -> None:
    check_round_trip(spec, list(range(0x10000)), cross=False)
