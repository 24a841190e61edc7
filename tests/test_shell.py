# SPDX-License-Identifier: GPL-2.0-only
"""The shell, the IPython extension and non-interactive use (issue 8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Terminal escape sequences prompt_toolkit puts between the characters we look for.
E = r"(?:\x1b\[[0-9;?]*[a-zA-Z])*"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(TERM="xterm", NO_COLOR="1", HOME=str(ROOT / ".pytest_cache"))
    return env


def test_shell_in_a_terminal_as_a_person_uses_it(tmp_path):
    child = pexpect.spawn(
        sys.executable,
        ["-m", "physcapy", "shell", "sim://lan8720a@1"],
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
        env={**_env(), "IPYTHONDIR": str(tmp_path)},
        cwd=str(ROOT),
    )
    child.logfile_read = open(tmp_path / "pty.log", "w")  # noqa: SIM115
    try:
        child.expect("physcapy [0-9.]+ - MDIO frames and PHY registers")
        child.expect("scan: 1: lan8720a \\(link up\\)")
        child.expect(r"In \[1\]")
        child.sendline("rd(1, 'BMSR').link_status")
        child.expect(r"Out\[1\]: " + E + "1")
        child.sendline("wr(1, 'BMCR', 0x3100)")
        child.expect(r"In \[3\]")
        child.sendline("%mdio read 1 BMCR")
        child.expect(r"BMCR = 0x3100  \(register 0, Basic Mode Control\)")
        # Tab inside the string completes the register name.
        child.send("x = rd(1, 'PSCS")
        child.send("\t")
        child.expect("PSCSR")
        child.sendline("')")
        child.sendline("x.spec.name")
        child.expect(r"Out\[\d+\]: " + E + "'PSCSR'")
        child.sendline("rd(1, 'NOPE')")
        child.expect("physcapy: error: unknown register of model lan8720a 'NOPE'")
        # phylib in the background, in real time: pull the cable, see the link go.
        child.sendline("r = pal(1, verbose=True)")
        child.expect("PHY: 0:01 - Link is Up - 100/Full", timeout=20)
        child.sendline("unplug(1)")
        child.expect("PHY: 0:01 - Link is Down", timeout=20)
        child.sendline("%pal status")
        child.expect("0:01 \\[SMSC LAN8710/LAN8720\\] (NOLINK|CHANGELINK): link down")
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (tmp_path / "pty.log").read_text()


@pytest.fixture
def ip():
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    shell.user_ns.pop("bus", None)
    shell.run_line_magic("load_ext", "physcapy")
    shell.run_line_magic("reload_ext", "physcapy")
    return shell


def test_extension_magics(ip, capsys):
    v = ip.run_line_magic("mdio", "read 1 BMSR")
    assert (v.spec.name, int(v)) == ("BMSR", 0x796D) and "<table" in v._repr_html_()
    ip.run_line_magic("mdio", "write 1 BMCR 0x1200")
    ip.run_line_magic("mdio", "modify 1 BMCR 0x0000 0x0200")
    assert capsys.readouterr().out.splitlines() == ["PHY 1 BMCR <- 0x1200", "PHY 1 BMCR <- 0x1000"]
    found = ip.run_line_magic("mdio", "scan")
    assert found.text().splitlines()[1].split() == [
        "1",
        "C22",
        "0x00000010",
        "00:00:00",
        "generic",
        "down",  # auto-negotiation restarted by the write above
    ]
    dumped = ip.run_line_magic("mdio", "dump 1")
    assert "   3  PHYSID2           0x0010" in dumped.text() and "PHYSID2" in dumped._repr_html_()
    ip.run_line_magic("mdio", "connect sim://lan8720a@1?time=virtual")
    assert ip.user_ns["bus"].url == "sim://lan8720a@1?time=virtual"
    ip.run_line_magic("pal", "start 1")
    assert "0:01 [SMSC LAN8710/LAN8720]" in capsys.readouterr().out
    ip.run_line_magic("pal", "stop")
    txs = ip.run_line_magic(
        "decode", str(ROOT.parent / "shared/captures/lan8720a_read_all_unplugged.sr")
    )
    assert len(txs) == 32 and "PSCSR" in txs._repr_html_()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("rd(1, 'NOPE')", "physcapy: error: unknown register of model generic 'NOPE'"),
        ("connect('bogus://x')", "physcapy: error: unknown bus URL scheme 'bogus'"),
        ("decode('/nonexistent.sr')", "physcapy: error: /nonexistent.sr"),
        ("%mdio read 1", "physcapy: error: %mdio read takes 2 argument(s), got 1"),
        ("%mdio frobnicate", "physcapy: error: %mdio: argument action: invalid choice"),
        ("%pal status", "physcapy: error: no PAL is running"),
        ("%decode /nonexistent.sr", "physcapy: error: /nonexistent.sr"),
        ("rd(40, 1)", "physcapy: error: PHY address 40"),
    ],
)
def test_mistakes_are_one_line(ip, capsys, cell, message):
    ip.run_cell(cell)
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def _complete(ip, line: str) -> set[str]:  # type: ignore[no-untyped-def]
    from IPython.core.completer import provisionalcompleter

    with provisionalcompleter():
        return {c.text for c in ip.Completer.completions(line, len(line))}


def test_completion_of_registers_fields_and_magic_arguments(ip):
    assert "BMSR" in _complete(ip, "rd(1, 'BMS")
    # Names of the PHYs on the bus (and the IEEE sets) only: a LAN8720A offers its own
    # PSCSR, not Marvell's PSCR.
    ip.run_line_magic("mdio", "connect sim://lan8720a@1?time=virtual")
    assert "PSCSR" in _complete(ip, "rd(1, 'PSC") and "PSCR" not in _complete(ip, "rd(1, 'PSC")
    ip.run_line_magic("mdio", "connect sim://")
    assert "AN.AN_10GBT_CTRL" in _complete(ip, "rd(1, 'AN.AN_10")
    assert "read" in _complete(ip, "%mdio re")
    assert "ESTATUS" in _complete(ip, "%mdio read 1 ESTA")
    # Clause 45 registers by DEVAD number, by name or by address (as design.md writes them).
    assert {"3.STAT1", "3.STAT2"} <= _complete(ip, "%mdio read 1 3.ST")
    assert "3.0x0001" in _complete(ip, "rd(1, '3.0x000")
    assert "7.0x20" in _complete(ip, "rd(1, '7.0x2")
    assert "start" in _complete(ip, "%pal st")
    assert "linux6" in _complete(ip, "%pal start 1 linux")
    assert "lan8720a" in _complete(ip, "%mdio dump 1 --model lan")
    ip.run_cell("v = BMSR(0x796d)")
    found = _complete(ip, "v.link_s")
    assert "v.link_status" in found or "link_status" in found
    # Fields of a register made or read in the same expression; rd() is not called
    # (no bus traffic on Tab): its register is looked up in the PHY's model.
    assert {".speed_lsb", ".speed_msb"} <= _complete(ip, "x = BMCR(0x1140).spe")
    # Beside IPython's own attributes of the value, not instead of them; not in strings.
    found = _complete(ip, "v.")
    assert {"v.link_status", "v.table"} <= found or {"link_status", "table"} <= found
    assert not {c for c in _complete(ip, "print('v.link_") if "link_status" in c}
    assert not {c for c in _complete(ip, "# v.link_") if "link_status" in c}
    ip.run_line_magic("mdio", "connect sim://lan8720a@1?time=virtual")
    frames = ip.user_ns["bus"].subscribe([].append).__self__
    assert ".autodone" in _complete(ip, "print(rd(1, 'PSCSR').auto")
    assert ".link_status" in _complete(ip, 'rd(1, "BMSR").link_s')
    assert not _complete(ip, "rd(1, 'NOPE').li")
    assert frames == []
    ip.run_cell("rd(1, 'BMSR')")
    assert frames  # the listener does see reads
    ip.run_line_magic("mdio", "connect sim://")  # the shared shell's default bus again


def test_load_ext_in_plain_ipython():
    code = "%load_ext physcapy\nprint(rd(1, 'BMSR').link_status, hex(int(bus.read(1, 2))))"
    r = subprocess.run(
        [sys.executable, "-m", "IPython", "--no-banner", "--colors=nocolor", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        cwd=str(ROOT),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "1 0x0"


def test_script_and_dash_c(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("print(rd(1, 'PSCSR').speed_indication)\n")
    r = subprocess.run(
        [sys.executable, "-m", "physcapy", str(script), "--bus", "sim://lan8720a@1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (r.returncode, r.stdout.strip()) == (0, "100BASE-TX full duplex")
    r = subprocess.run(
        [sys.executable, "-m", "physcapy", "-c", "rd(1, 'NOPE')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "NOPE" in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "physcapy", str(tmp_path / "missing.py")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "missing.py: no such file (a script)" in r.stderr


def test_version_imports_neither_ipython_nor_scapy_all():
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "physcapy", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0 and r.stdout.startswith("physcapy ")
    modules = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "|" in line}
    assert "IPython" not in modules and "scapy.all" not in modules and "scapy" not in modules


def test_pal_names_in_the_namespace(tmp_path):
    code = (
        "dev = phy_connect('0:01'); phy_start(dev); console.kernel.run(3)\n"
        "print(dev.state.name, phy_ethtool_gset(dev).speed, isinstance(console.kernel, Pal))"
    )
    r = subprocess.run(
        [sys.executable, "-m", "physcapy", "-c", code, "--bus", "sim://lan8720a@1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (r.returncode, r.stdout.strip()) == (0, "RUNNING 100 True"), r.stderr
