# SPDX-License-Identifier: GPL-2.0-only
"""The command line: regs, frame, --version, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from physcapy import __version__
from tests.conftest import run_physcapy


def test_version(cli) -> None:
    status, out, _ = cli("--version")
    assert (status, out.strip()) == (0, f"physcapy {__version__}")


def test_regs_decode_bmsr_json(cli) -> None:
    status, out, _ = cli("regs", "decode", "BMSR", "0x796D", "--format", "json")
    assert status == 0
    doc = json.loads(out)
    assert (doc["register"], doc["address"], doc["value"]) == ("BMSR", 1, 0x796D)
    fields = doc["fields"]
    assert fields["link_status"] == 1 and fields["autoneg_complete"] == 1
    assert fields["cap_100base_x_fd"] == fields["cap_10_hd"] == fields["extended_status"] == 1
    assert fields["cap_100base_t4"] == 0 and fields["jabber_detect"] == 0


def test_regs_decode_lan8720a_special_register(cli) -> None:
    status, out, _ = cli(
        "regs", "decode", "0x1f", "0x1058", "--model", "lan8720a", "--format", "json"
    )
    doc = json.loads(out)
    assert status == 0 and doc["register"] == "PSCSR" and doc["address"] == 31
    assert doc["fields"]["speed_indication"] == "100BASE-TX full duplex"
    assert doc["fields"]["autodone"] == 1
    status, out, _ = cli("regs", "decode", "31", "0x1058", "-m", "lan8720a")
    assert "100BASE-TX full duplex" in out and "autodone" in out


def test_regs_decode_text_styles(cli) -> None:
    _, table, _ = cli("regs", "decode", "BMSR", "0x796D")
    assert table.startswith("BMSR = 0x796d") and "link_status" in table
    _, flags, _ = cli("regs", "decode", "1", "0x7949", "--style", "flags")
    assert "-link" in flags and "+aneg-capable" in flags
    _, dump, _ = cli("regs", "decode", "BMCR", "0x1140", "--style", "mii-dump")
    assert "(1000:1000) 0.12 = 1 autoneg enable" in dump
    _, c45, _ = cli("regs", "decode", "7.0x20", "0x1000", "--format", "json")
    assert json.loads(c45)["address"] == "7.32"


def test_regs_list_and_models(cli) -> None:
    status, out, _ = cli("regs", "list", "--model", "rtl8211f")
    assert status == 0 and "0x001cc916" in out and "BMCR" in out
    status, out, _ = cli("regs", "list", "--format", "json")
    doc = json.loads(out)
    assert doc["model"] == "ieee802.3" and any(r["address"] == "1.0" for r in doc["registers"])
    status, out, _ = cli("regs", "models")
    assert "lan8720a" in out and "0x0007c0f0/0xfffffff0" in out


def test_frame_build_and_parse(cli) -> None:
    status, out, _ = cli(
        "frame",
        "build",
        "--op",
        "write",
        "--phy",
        "3",
        "--reg",
        "BMCR",
        "--data",
        "0x9140",
        "--format",
        "hex",
    )
    assert (status, out.strip()) == (0, "ffffffff51829140")
    _, out, _ = cli("frame", "build", "--op", "read", "--phy", "1", "--reg", "BMSR")
    assert "C22 read PHY 1 REG 1 (BMSR)" in out and "01 10 00001 00001 10" in out
    _, out, _ = cli(
        "frame",
        "build",
        "--clause",
        "45",
        "--op",
        "read_inc",
        "--phy",
        "0",
        "--reg",
        "AN",
        "--mmd-reg",
        "0x20",
        "--format",
        "json",
    )
    frames = json.loads(out)
    assert [(f["op"], f["reg"], f["data"]) for f in frames] == [
        ("address", 7, 0x20),
        ("read_inc", 7, 0),
    ]
    _, out, _ = cli(
        "frame",
        "build",
        "--phy",
        "1",
        "--reg",
        "3",
        "--mmd-reg",
        "0x14",
        "--via-c22",
        "--function",
        "data_inc",
        "--format",
        "json",
    )
    assert [f["data"] for f in json.loads(out)][:3] == [0x0003, 0x0014, 0x8003]
    _, out, _ = cli("frame", "build", "--preamble", "0", "--format", "bits")
    assert out.strip() == "0110" + "00000" + "00000" + "10" + "0" * 16
    _, out, _ = cli("frame", "parse", "ffffffff6086796d")
    assert "C22 read PHY 1 REG 1 (BMSR) = 0x796d" in out and "autoneg_complete" in out
    _, out, _ = cli("frame", "parse", "0b1" + "0110" + "00001" + "00001" + "11" + "1" * 16)
    assert "1-bit preamble" in out and "no PHY drove" in out
    _, out, _ = cli("frame", "parse", "0x30060000", "--format", "json")
    assert json.loads(out)["op"] == "read" and json.loads(out)["clause"] == 45


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["regs", "decode", "BMSR", "0x10000"],
            "BMSR value 65536 (0x10000) is out of range: allowed 0-65535",
        ),
        (["frame", "build", "--phy", "32"], "PHYAD 32 (0x20) is out of range: allowed 0-31"),
        (
            ["regs", "decode", "BMSX", "1"],
            "unknown register of model ieee802.3 'BMSX': did you mean BMSR?",
        ),
        (["regs", "decode", "BMSR", "lots"], "BMSR value 'lots' is not a number"),
        (["regs", "decode", "1", "1", "--model", "nope"], "unknown model 'nope'"),
        (["frame", "build", "--op", "address"], "op 'address' is not valid for Clause 22"),
        (["frame", "build", "--clause", "45", "--reg", "XYZ"], "unknown MMD name 'XYZ'"),
        (["frame", "parse", "0b0101"], "frame truncated"),
        (["frame", "parse", "zz"], "neither bits"),
        (["regs", "frobnicate"], "invalid choice: 'frobnicate'"),
        (["frame", "build", "--clause", "23"], "invalid choice: 23"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args: list[str], message: str) -> None:
    status, out, err = cli(*args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_bad_input_through_the_real_entry_point() -> None:
    result = run_physcapy("regs", "decode", "BMSR", "0x10000")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("physcapy: error: BMSR value 65536")
    script = subprocess.run(
        [sys.executable, "-c", "import shutil; print(shutil.which('physcapy'))"],
        capture_output=True,
        text=True,
    )
    assert script.returncode == 0


def test_imports_stay_light() -> None:
    """`import physcapy` and `physcapy regs decode` load neither scapy.all nor IPython."""
    code = (
        "import sys, io, contextlib\n"
        "import physcapy\n"
        "heavy = [m for m in sys.modules if m == 'scapy.all' or m.startswith('IPython')]\n"
        "assert not heavy and 'scapy' not in sys.modules, heavy\n"
        "from physcapy.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['regs', 'decode', 'BMSR', '0x796D', '--format', 'json']) == 0\n"
        "    assert main(['regs', 'decode', '0x1f', '0x1058', '--model', 'lan8720a']) == 0\n"
        "heavy = [m for m in sys.modules if m == 'scapy.all' or m.startswith('IPython')]\n"
        "assert not heavy, heavy\n"
        "physcapy.BMSR(0x796D)\n"
        "assert 'scapy' not in sys.modules\n"
        "physcapy.MDIO\n"
        "assert 'scapy.packet' in sys.modules and 'scapy.all' not in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_shell_shows_decoded_registers() -> None:
    """What `make run` opens: an IPython shell where BMSR(0x796D) shows its fields."""
    result = subprocess.run(
        [sys.executable, "-m", "physcapy", "shell"],
        input="BMSR(0x796D)\nMDIO(op='read', phyad=1, regad='BMSR').summary()\nexit\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "BMSR = 0x796d" in result.stdout
    assert "link_status" in result.stdout and "+link" in result.stdout
    assert "MDIO read PHY 1 BMSR = 0x0000" in result.stdout
    assert "\x1b[1m" not in result.stdout  # no terminal escapes when piped


# -- bus commands (issue 3) ----------------------------------------------------------------------


def test_read_write_modify(cli) -> None:
    status, out, _ = cli("read", "sim://", "1", "BMSR")
    assert status == 0 and out.startswith("BMSR = 0x796d") and "+link" in out
    status, out, _ = cli("read", "sim://", "1", "BMSR", "--format", "json")
    doc = json.loads(out)
    assert (doc["phy"], doc["register"], doc["address"], doc["value"]) == (1, "BMSR", 1, 0x796D)
    assert doc["fields"]["link_status"] == 1
    status, out, _ = cli("read", "sim://", "1", "1", "--raw")
    assert out.strip() == "0x796d"
    status, out, _ = cli("read", "sim://generic-c45@5", "5", "PMA.DEVID2", "--format", "json")
    assert json.loads(out)["value"] == 0x0030 and json.loads(out)["address"] == "1.3"
    status, out, _ = cli("read", "sim://", "1", "AN.0x3c")  # through 13/14
    assert "AN_EEE_ADV = 0x0006" in out
    status, out, _ = cli("read", "sim://lan8720a@1", "1", "31", "--format", "json")
    assert json.loads(out)["fields"]["speed_indication"] == "100BASE-TX full duplex"
    status, out, _ = cli("write", "sim://", "1", "BMCR", "0x1200")
    assert (status, out.strip()) == (0, "PHY 1 BMCR <- 0x1200")
    status, out, _ = cli("modify", "sim://", "1", "BMCR", "0x0000", "0x1000", "--format", "json")
    doc = json.loads(out)
    assert (doc["old"], doc["value"]) == (0x1140, 0x0140)


def test_read_of_an_absent_phy_is_a_negative_result(cli) -> None:
    status, out, err = cli("read", "sim://", "4", "BMSR")
    assert status == 1 and "0xffff" in out and "no PHY answered at address 4" in err


def test_dump_text_and_json(cli) -> None:
    status, out, _ = cli("dump", "sim://lan8720a@1", "1")
    assert status == 0 and out.splitlines()[0].startswith("PHY 1: lan8720a")
    assert "PSCSR" in out and "speed_indication=100BASE-TX full duplex" in out
    status, out, _ = cli("dump", "sim://lan8720a@1", "1", "--format", "json")
    doc = json.loads(out)
    assert doc["phy"] == 1 and doc["model"] == "lan8720a"
    first = doc["registers"][0]
    assert (first["address"], first["name"], first["value"]) == (0, "BMCR", 0x3000)
    assert first["fields"]["autoneg_enable"] == 1
    assert {r["address"] for r in doc["registers"]} >= {0, 1, 2, 3, 4, 5, 6, 31}
    status, out, _ = cli("dump", "sim://generic-c45@5", "5", "--format", "json")
    addresses = [r["address"] for r in json.loads(out)["registers"]]
    assert "1.0" in addresses and "7.32" in addresses and 0 not in addresses


def test_scan_text_and_json(cli) -> None:
    url = "sim://lan8720a@1,dp83848@3,generic-c45@5"
    status, out, _ = cli("scan", url)
    lines = out.splitlines()
    assert status == 0 and lines[0].split()[:3] == ["ADDR", "CLAUSE", "PHY-ID"]
    assert lines[1].split() == ["1", "22", "0x0007c0f1", "00:80:0f", "15", "1", "lan8720a", "up"]
    assert lines[3].split()[:3] == ["5", "45", "0x00000030"]
    status, out, _ = cli("scan", url + "?partner=none", "--format", "json")
    found = json.loads(out)
    assert [(e["address"], e["clause"], e["model"], e["link"]) for e in found] == [
        (1, 22, "lan8720a", False),
        (3, 22, "dp83848", False),
        (5, 45, "generic-c45", False),
    ]
    assert found[1]["oui_msb_first"] == "08:00:17"  # National Semiconductor, as mii-tool says
    status, _, err = cli("scan", "sim://?fault=1:no-turnaround")
    assert status == 1 and "no PHY found" in err


def test_bench(cli) -> None:
    status, out, _ = cli("bench", "sim://", "--ops", "2000", "--format", "json")
    doc = json.loads(out)
    assert status == 0 and doc["bus"] == "sim://" and doc["ops"] == 2000 and doc["ops_per_s"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["read", "sim://", "32", "1"], "PHY address 32 (0x20) is out of range: allowed 0-31"),
        (
            ["read", "sim://", "1", "0x20"],
            "register address 32 (0x20) is out of range: allowed 0-31",
        ),
        (["write", "sim://", "1", "0", "0x10000"], "value 65536 (0x10000) is out of range"),
        (["read", "sim://lan9999@1", "1", "1"], "unknown simulated PHY model 'lan9999'"),
        (["read", "sim://?colour=red", "1", "1"], "unknown sim:// option 'colour': choose from"),
        (["scan", "nope://"], "unknown bus URL scheme 'nope'"),
        (["dump", "sim://", "1", "--model", "lan9999"], "unknown model 'lan9999'"),
    ],
)
def test_bus_command_bad_input(cli, args: list[str], message: str) -> None:
    status, out, err = cli(*args)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err, err


def test_bus_commands_review_cases(cli) -> None:
    status, out, err = cli("read", "sim://", "1", "FOO")
    assert status == 2 and err.count("\n") == 1 and "unknown register of model generic 'FOO'" in err
    status, out, _ = cli("read", "sim://", "01", "1", "--raw")  # leading zeros, as phytool
    assert (status, out.strip()) == (0, "0x796d")
    status, out, err = cli("read", "sim://generic-c45@5", "5", "PMA.DEVID2")
    assert status == 0 and err == "" and "DEVID2 = 0x0030" in out
    status, _, err = cli("read", "sim://", "1", "7.60", "--via", "c45")
    assert status == 1 and "answers Clause 22 but not native Clause 45" in err
    status, _, err = cli("modify", "sim://", "5", "BMCR", "0", "0x8000")
    assert status == 1 and "nothing written" in err
    status, out, _ = cli("read", "sim://rtl8211f@1", "1", "0xd08:0x12")
    assert status == 0 and out.startswith("reg 0xd08:18 = ")
    status, _, err = cli("dump", "sim://", "5")
    assert status == 1 and "nothing to dump" in err
    status, _, err = cli("bench", "sim://", "--phy", "9")
    assert status == 1 and "nothing to time" in err
    status, out, _ = cli("scan", "sim://ksz9031@1,generic-c45@5", "--format", "json")
    # Micrel PHY on the bus: no Clause 45 pass (Linux mdiobus_prevent_c45_scan)
    assert [e["address"] for e in json.loads(out)] == [1]


# -- capture commands (issue 4) -------------------------------------------------------------------


def test_decode_formats(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SHARED, need

    path = SHARED / "captures" / "lan8720a_read_write_read.sr"
    need(path.exists(), str(path))
    status, out, _ = cli("decode", str(path))
    assert status == 0
    assert [line.split()[1:4] for line in out.splitlines()] == [
        ["C22", "read", "PHY"],
        ["C22", "write", "PHY"],
        ["C22", "read", "PHY"],
    ]
    assert "(BMCR) = 0x8000" in out.splitlines()[1]
    status, out, _ = cli("decode", str(path), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["op"], r["reg"], r["data"]) for r in rows] == [
        ("read", 0, 0x3000),
        ("write", 0, 0x8000),
        ("read", 0, 0x8000),
    ]
    assert set(rows[0]) == {"start", "end", "clause", "op", "phy", "reg", "data", "addr", "errors"}
    status, out, _ = cli("decode", str(path), "--format", "csv")
    assert out.splitlines()[0] == "start,end,clause,op,phy,reg,data,addr,errors"
    assert out.splitlines()[2].split(",")[3:7] == ["write", "1", "0", "32768"]


def test_decode_program_ends_with_its_status_and_whole_output(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The program skips the interpreter's teardown after a decode (cli.main.run): the
    output is still whole and the status main()'s; a registered exit handler (coverage's,
    a user's) keeps the normal exit, so it still runs."""
    from tests.conftest import SHARED, need

    path = SHARED / "captures" / "lan8720a_read_write_read.sr"
    need(path.exists(), str(path))
    _, expected, _ = cli("decode", str(path), "--format", "jsonl")
    result = run_physcapy("decode", str(path), "--format", "jsonl")
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")
    missing = run_physcapy("decode", str(tmp_path / "none.sr"))
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "none.sr" in missing.stderr
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran'))\n"
        f"sys.argv = ['physcapy', 'decode', {str(path)!r}, '--format', 'jsonl']\n"
        "from physcapy.cli.main import run\n"
        "run()\n"
    )
    handled = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (handled.returncode, handled.stdout) == (0, expected + "handler ran\n")


@pytest.mark.parametrize(
    ("args", "preset", "seen"),
    [
        (["regs", "decode", "BMSR", "0"], None, "1"),  # no linear algebra: one BLAS thread
        (["regs", "decode", "BMSR", "0"], "3", "3"),  # the user's choice is kept
        (["-c", "pass"], None, None),  # user code may want BLAS threads
    ],
)
def test_commands_keep_openblas_to_one_thread(
    args: list[str], preset: str | None, seen: str | None
) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    code = (
        "import contextlib, io, os, sys\n"
        "from physcapy.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({args!r})\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.strip() == str(seen), result.stderr


def test_synth_then_decode(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = tmp_path / "s.jsonl"
    session.write_text(
        '{"physcapy_session": 1, "source": "test"}\n'
        '{"start": 0, "end": 0, "clause": 22, "op": "read", "phy": 1, "reg": 1, "data": 31085, '
        '"addr": null, "errors": []}\n'
        '{"start": 0, "end": 0, "clause": 45, "op": "address", "phy": 2, "reg": 7, "data": 32, '
        '"addr": 32, "errors": []}\n'
        '{"start": 0, "end": 0, "clause": 45, "op": "read_inc", "phy": 2, "reg": 7, '
        '"data": 4096, "addr": 32, "errors": []}\n'
    )
    out_sr = tmp_path / "out.sr"
    status, out, _ = cli("synth", str(session), "-o", str(out_sr), "--samplerate", "10e6")
    assert status == 0 and "3 transactions" in out
    status, out, _ = cli("decode", str(out_sr), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["clause"], r["op"], r["phy"], r["reg"], r["data"], r["addr"]) for r in rows] == [
        (22, "read", 1, 1, 31085, None),
        (45, "address", 2, 7, 32, 32),
        (45, "read_inc", 2, 7, 4096, 32),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["decode", "/nonexistent.sr"], "no such file"),
        (["decode", "README.md"], "unknown capture format '.md'"),
        (
            ["decode", "../shared/captures/lan8720a_read_write_read.sr", "--mdc", "CLK"],
            "MDC channel 'CLK' does not exist: the file has 0:MDC, 1:MDIO",
        ),
        (
            ["decode", "../shared/captures/lan8720a_read_write_read.sr", "--glitch", "fast"],
            "--glitch 'fast' is not a number",
        ),
        (["synth", "/nonexistent.jsonl", "-o", "/tmp/x.sr"], "no such file (a session)"),
        (["synth", "README.md", "-o", "/tmp/x.sr"], "README.md:1: not JSON"),
    ],
)
def test_capture_commands_bad_input(cli, args: list[str], message: str) -> None:
    status, _, err = cli(*args)
    assert status == 2 and err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"start": 0, "end": 0, "clause": 22, "op": "address", "phy": 1, "reg": 1, "data": 1}',
            "s.jsonl:1: op 'address' is not valid for Clause 22",
        ),
        (
            '{"start": 0, "end": 0, "clause": 22, "op": "read", "phy": 1, "reg": 1, "data": 70000}',
            "s.jsonl:1: DATA 70000",
        ),
        (
            '{"start": 0, "end": 0, "clause": 23, "op": "read", "phy": 1, "reg": 1, "data": 1}',
            "s.jsonl:1: clause 23",
        ),
        (
            '{"start": 1e9, "end": 0, "clause": 22, "op": "read", "phy": 1, "reg": 1, "data": 1}',
            "s.jsonl:1: start 1000000000.0 is out of range",
        ),
        ("", "holds no transactions"),
    ],
)
def test_synth_rejects_bad_sessions(cli, tmp_path, line: str, message: str) -> None:  # type: ignore[no-untyped-def]
    session = tmp_path / "s.jsonl"
    session.write_text(line + "\n")
    out = tmp_path / "o.sr"
    status, _, err = cli("synth", str(session), "-o", str(out))
    assert status == 2 and err.count("\n") == 1 and message in err, err
    assert not out.exists() and not (tmp_path / "o.sr.part").exists()


def test_glitch_option_values(cli) -> None:
    path = "../shared/captures/lan8720a_read_write_read.sr"
    assert cli("decode", path, "--glitch", "0.00")[0] == 0
    assert cli("decode", path, "--glitch", "30e-9")[0] == 0
    status, _, err = cli("decode", path, "--glitch", "1")
    assert status == 2 and "allowed 0 (off) up to 1e-3 s" in err


SUBCOMMANDS = [
    ("shell",),
    ("read",),
    ("write",),
    ("modify",),
    ("dump",),
    ("scan",),
    ("bench",),
    ("decode",),
    ("synth",),
    ("pal",),
    ("replay",),
    ("diff",),
    ("regs", "decode"),
    ("regs", "list"),
    ("regs", "models"),
    ("frame", "build"),
    ("frame", "parse"),
]


@pytest.mark.parametrize("command", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_help_has_an_example(cli, command) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = cli(*command, "--help")
    assert status == 0 and "example" in out and "physcapy " + command[0] in out


def _warm_ups(capture: str) -> tuple[list[int], list[str]]:
    """The heap warm-ups ``physcapy decode CAPTURE`` started (sizes), and its lines."""
    code = (
        "import contextlib, io, json, sys\n"
        "from physcapy.cli import main as m\n"
        "sizes = []\n"
        "real = m._warm_heap\n"
        "m._warm_heap = lambda libc, size: (sizes.append(size), real(libc, size))\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    status = m.main(['decode', {capture!r}, '--format', 'jsonl'])\n"
        "print(json.dumps({'status': status, 'sizes': sizes, 'lines': out.getvalue().splitlines()}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["status"] == 0, result.stderr
    return got["sizes"], got["lines"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_a_capture_of_a_mebibyte_decodes_the_same_with_its_heap_warmed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """decode faults in its pipeline's heap on a thread while numpy is imported, for a
    capture of at least a MiB (main._warm_heap): the transactions are those of the
    library's decode, and a small capture is not warmed for."""
    import random

    from physcapy.capture.decode import decode
    from physcapy.capture.synth import Timing, write_capture
    from physcapy.mdio.transactions import Transaction

    rng = random.Random(3)
    ts = [
        Transaction(
            0,
            0,
            22,
            rng.choice(["read", "write"]),
            rng.randrange(32),
            rng.randrange(32),
            rng.randrange(1 << 16),
        )
        for _ in range(900)
    ]
    big, small = tmp_path / "big.vcd", tmp_path / "small.vcd"
    write_capture(big, ts, Timing(samplerate=10e6, mdc_hz=1e6))
    write_capture(small, ts[:20], Timing(samplerate=10e6, mdc_hz=1e6))
    assert big.stat().st_size >= 1 << 20 > small.stat().st_size
    for path, warmed in ((big, [32 << 20]), (small, [])):
        sizes, lines = _warm_ups(str(path))
        assert sizes == warmed
        expected = [json.loads(t.to_json()) for t in decode(path)]
        assert [json.loads(line) for line in lines] == expected
        assert len(expected) == (900 if path == big else 20)
