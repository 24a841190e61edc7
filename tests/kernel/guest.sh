#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the QEMU guest (scripts/kernel_test.py): load the NIC drivers, bring the
# interfaces up, run tests/kernel with the project's venv, leave the result in $1.
out=$1
cd "$(dirname "$0")/../.." || exit 1
{
    # No udev in a virtme guest: the drivers are loaded by hand.
    for m in e1000 e1000e virtio_net; do modprobe "$m" || echo "modprobe $m failed"; done
    for dev in /sys/class/net/*; do ip link set "$(basename "$dev")" up; done
    # e1000 reports link only once QEMU's auto-negotiation timer (about 500 ms) ran.
    sleep 2
    uname -r
    ip -br link
    PHYSCAPY_KERNEL_GUEST=1 PYTHONDONTWRITEBYTECODE=1 XDG_CACHE_HOME=/tmp/cache \
        .venv/bin/python -m pytest -p no:cacheprovider -o addopts= -rs -v --durations=5 tests/kernel
    echo $? >"$out/status.part"
} >"$out/pytest.log" 2>&1
mv "$out/status.part" "$out/status"
