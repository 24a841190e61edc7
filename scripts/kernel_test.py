# SPDX-License-Identifier: GPL-2.0-only
"""``make test-kernel``: boot a Debian kernel under QEMU and run tests/kernel inside it.

The guest has three NICs whose drivers answer the MII ioctls differently: Intel e1000
(QEMU's 88E1011-like PHY; the driver ignores the PHY address and masks the register to
5 bits), Intel e1000e (answers a few registers from a cached copy, refuses writes) and
virtio-net (no MII ioctls at all).  virtme-ng boots the kernel with this machine's file
system shared read-only, so the project's own virtual environment runs in the guest;
the results come back through one writable folder.

The kernel is Debian's ``linux-image-amd64`` flavour (the cloud flavour lacks e1000 and
9p), fetched with ``apt-get download`` into ``.cache/kernel`` and unpacked, never
installed.  ``PHYSCAPY_KERNEL`` may name a ``vmlinuz`` whose modules lie in
``../lib/modules`` beside it instead.

Exit status: the guest pytest's; 0 with a "skipped" line when something is missing
here (QEMU, virtme-ng, a kernel), unless ``CI=true``, where a missing piece fails.

    $ python scripts/kernel_test.py            # or: make test-kernel
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "kernel"
IN_CI = os.environ.get("CI", "").lower() == "true"
#: The whole boot-test-poweroff must fit the issue's 3 minutes, with a margin.
TIMEOUT_S = 170
#: QEMU's NICs: one per driver the guest tests talk to.
NICS = (
    "-netdev user,id=n0 -device e1000,netdev=n0 "
    "-netdev user,id=n1 -device e1000e,netdev=n1 "
    "-netdev user,id=n2 -device virtio-net-pci,netdev=n2"
)


class Missing(Exception):
    """Something the kernel tests need is not on this machine."""


def _bin(name: str) -> str:
    """A program from the venv this script runs in, else from PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise Missing(f"{name} is not installed")
    return found


def _deb_kernel() -> Path:
    """vmlinuz of Debian's default amd64 kernel, downloaded and unpacked once."""
    images = sorted(CACHE.glob("root/boot/vmlinuz-*"))
    if images:
        return images[-1]
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        raise Missing("no kernel in .cache/kernel and no apt-get/dpkg-deb to fetch one")
    depends = subprocess.run(
        ["apt-cache", "depends", "linux-image-amd64"], capture_output=True, text=True
    ).stdout
    packages = [
        line.split()[-1]
        for line in depends.splitlines()
        if line.strip().startswith("Depends: linux-image-")
    ]
    if not packages:
        raise Missing("apt-cache knows no linux-image-amd64 (run apt-get update)")
    download = CACHE / "deb"
    download.mkdir(parents=True, exist_ok=True)
    got = subprocess.run(
        ["apt-get", "download", packages[0]], cwd=download, capture_output=True, text=True
    )
    debs = sorted(download.glob(f"{packages[0]}_*.deb"))
    if got.returncode != 0 or not debs:
        raise Missing(f"apt-get download {packages[0]} failed: {got.stderr.strip()[-200:]}")
    unpacked = CACHE / "root.part"
    shutil.rmtree(unpacked, ignore_errors=True)
    subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(unpacked)], check=True)
    unpacked.rename(CACHE / "root")
    for deb in debs:
        deb.unlink()  # 70 MB; the unpacked tree is what is used
    return sorted(CACHE.glob("root/boot/vmlinuz-*"))[-1]


def _kernel() -> Path:
    named = os.environ.get("PHYSCAPY_KERNEL")
    if named:
        path = Path(named)
        if not path.is_file():
            raise Missing(f"PHYSCAPY_KERNEL={named} is not a file")
        return path
    return _deb_kernel()


def _run_guest(kernel: Path, vng: str, out: Path) -> int:
    env = dict(os.environ)
    # vng starts virtme-run from PATH; both live in this venv.
    env["PATH"] = f"{Path(vng).parent}{os.pathsep}{env.get('PATH', '')}"
    guest = f"sh {ROOT / 'tests' / 'kernel' / 'guest.sh'} {out}"
    cmd = [
        vng,
        "--disable-kvm",  # nested KVM is not usable on CI machines: TCG
        "--memory",
        "1G",
        "--rwdir",
        str(out),
        "--run",
        str(kernel),
        f"--qemu-opts={NICS}",  # one argument: the value starts with "-"
        "--exec",
        guest,
    ]
    log = out / "console.log"
    with open(log, "w") as console:
        try:
            subprocess.run(
                cmd,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            print(f"test-kernel: the guest did not finish in {TIMEOUT_S} s", file=sys.stderr)
    report = out / "pytest.log"
    if report.exists():
        sys.stdout.write(report.read_text(errors="replace"))
    status = out / "status"
    if not status.exists():
        print("test-kernel: the guest wrote no status; its console:", file=sys.stderr)
        sys.stderr.write(log.read_text(errors="replace")[-4000:])
        return 1
    return int(status.read_text().strip() or 1)


def main() -> int:
    start = time.monotonic()
    try:
        if not sys.platform.startswith("linux") or os.uname().machine != "x86_64":
            raise Missing("the kernel tests boot an x86_64 Debian kernel on Linux")
        _bin("qemu-system-x86_64")
        vng = _bin("vng")
        kernel = _kernel()
    except Missing as exc:
        if IN_CI:
            print(f"test-kernel: {exc}, and CI must have it", file=sys.stderr)
            return 1
        print(f"test-kernel: skipped: {exc}")
        return 0
    print(f"test-kernel: booting {kernel} under QEMU (TCG) with e1000, e1000e and virtio-net")
    with tempfile.TemporaryDirectory(prefix="physcapy-kernel-") as tmp:
        status = _run_guest(kernel, vng, Path(tmp))
    print(f"test-kernel: guest exit status {status}, {time.monotonic() - start:.0f} s in all")
    return status


if __name__ == "__main__":
    sys.exit(main())
