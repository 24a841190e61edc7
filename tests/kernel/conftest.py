# SPDX-License-Identifier: GPL-2.0-only
"""The QEMU guest's interfaces, found by the driver bound to them.

These tests run inside the guest that ``make test-kernel`` boots
(``PHYSCAPY_KERNEL_GUEST=1``); on an ordinary host there is no e1000 interface and they
are skipped.  In the guest a missing interface is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_GUEST = os.environ.get("PHYSCAPY_KERNEL_GUEST") == "1"


def interface(driver: str) -> str:
    """The network interface whose device is bound to ``driver`` (e1000, virtio_net)."""
    for dev in sorted(Path("/sys/class/net").iterdir()):
        bound = dev / "device" / "driver"
        if bound.exists() and bound.resolve().name == driver:
            return dev.name
    if IN_GUEST:
        pytest.fail(f"the guest has no {driver} interface (is the module loaded?)")
    pytest.skip(f"no {driver} interface here: these tests run in `make test-kernel`'s guest")


@pytest.fixture(scope="session")
def e1000() -> str:
    return interface("e1000")


@pytest.fixture(scope="session")
def e1000e() -> str:
    return interface("e1000e")


@pytest.fixture(scope="session")
def virtio() -> str:
    return interface("virtio_net")
