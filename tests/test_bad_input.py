# SPDX-License-Identifier: GPL-2.0-only
"""Bad input, by class (issue 15): one clear error naming the value and what is
allowed, exit 2 on the command line, nothing lost, nothing hanging."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from physcapy import BMCR
from physcapy.capture.session import MAX_LINE, read_session
from physcapy.errors import LayerFileError, PhyscapyError, RangeError, SessionError
from physcapy.registers.regdesc import load_file
from tests.conftest import run_physcapy

LINE = (
    '{"start": 0, "end": 1e-05, "clause": 22, "op": "read", "phy": 1, "reg": 1, '
    '"data": 5, "addr": null, "errors": []}\n'
)


def one_line_exit_2(result: object) -> str:
    """The command-line contract for bad input; returns the message."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)  # type: ignore[attr-defined]
    err: str = result.stderr  # type: ignore[attr-defined]
    assert err.count("\n") == 1 and err.startswith("physcapy: error: "), err
    assert "Traceback" not in err
    return err


# -- Python API values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "BMCR value 'abc' is not a number: allowed 0-65535"),
        (1.5, "BMCR value 1.5 is not an integer: allowed 0-65535"),
        (1.0, "BMCR value 1.0 is not an integer"),
        (True, "BMCR value True is not an integer"),
        ([1], "BMCR value [1] is not an integer"),
        (0x10000, "BMCR value 65536 (0x10000) is out of range: allowed 0-65535"),
    ],
)
def test_register_values_refuse_what_is_not_a_16_bit_integer(value: object, message: str) -> None:
    with pytest.raises(RangeError, match=re.escape(message)):
        BMCR(value)  # type: ignore[arg-type]


def test_register_values_take_what_stands_for_an_integer() -> None:
    assert int(BMCR("0x1200")) == int(BMCR(np.uint16(0x1200))) == int(BMCR(BMCR(0x1200))) == 0x1200


# -- sessions: not UTF-8, nested too deep, lines too long ----------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (LINE.encode() + b"\xff\xfe\n", r"s.jsonl:2: not UTF-8 text \(byte 0xff at column 1\)"),
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", r"s.jsonl:1: JSON nested too deep"),
        (
            LINE.encode() + b"x" * (MAX_LINE + 10) + b"\n",
            r"s.jsonl:2: line longer than 1048576 bytes",
        ),
    ],
    ids=["not-utf8", "deep", "long"],
)
def test_broken_sessions_name_file_and_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(content)
    with pytest.raises(SessionError, match=message):
        read_session(path)
    one_line_exit_2(run_physcapy("replay", str(path), "--against", "sim://"))


# -- register descriptions: wrong types, not UTF-8, nested too deep ------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"model = 5\n", r"x.toml: \[model\] must be a table \(write \[model\]\), not 5"),
        (b'[model]\nname = "x"\ntitle = "\xff"\n', r"x.toml:3: not UTF-8 text \(byte 0xff\)"),
        (b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", r"x.toml: values nested too deep"),
        (
            b'register = [5]\n[model]\nname = "x"\ntitle = "t"\nsource = "s"\nkind = "standard"\n',
            r"\[\[register\]\] must be a table",
        ),
        (
            b'resets = 3\n[model]\nname = "x"\ntitle = "t"\nsource = "s"\nkind = "standard"\n',
            r"'resets' must be a table: write \[resets\]",
        ),
    ],
    ids=["model-int", "not-utf8", "deep", "register-int", "resets-int"],
)
def test_broken_register_descriptions_name_the_file(
    tmp_path: Path, text: bytes, message: str
) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(text)
    with pytest.raises(LayerFileError, match=message):
        load_file(path)
    result = run_physcapy("regs", "list", env={**os.environ, "PHYSCAPY_LAYERS": str(tmp_path)})
    assert "x.toml" in one_line_exit_2(result)


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_physcapy_layers_pointing_nowhere_is_named(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "layers"
    if kind == "empty":
        folder.mkdir()
    env = {**os.environ, "PHYSCAPY_LAYERS": str(folder)}
    for args in (("regs", "list"), ("read", "sim://", "1", "BMSR")):
        err = one_line_exit_2(run_physcapy(*args, env=env))
        assert f"PHYSCAPY_LAYERS='{folder}'" in err
        assert ("is not a folder" if kind == "missing" else "holds no register descriptions") in err


def test_api_errors_are_physcapy_errors() -> None:
    with pytest.raises(PhyscapyError):
        BMCR("0xZZ")


# -- data loss: outputs equal to inputs, opened early, not atomic, missing folders ---------------


def _capture(tmp_path: Path) -> Path:
    from tests.conftest import SHARED

    src = SHARED / "captures" / "lan8720a_read_write_read.sr"
    need_file(src)
    dst = tmp_path / "capture.sr"
    dst.write_bytes(src.read_bytes())
    return dst


def need_file(path: Path) -> None:
    from tests.conftest import need

    need(path.exists(), str(path))


def test_an_output_that_is_the_input_is_refused(tmp_path: Path) -> None:
    capture = _capture(tmp_path)
    before = capture.read_bytes()
    err = one_line_exit_2(run_physcapy("decode", str(capture), "-o", str(capture)))
    assert "is also the input" in err and capture.read_bytes() == before
    # The same file by another name (a symlink) is the same file.
    link = tmp_path / "link.jsonl"
    link.symlink_to(capture)
    one_line_exit_2(run_physcapy("decode", str(capture), "-o", str(link)))
    assert capture.read_bytes() == before
    session = tmp_path / "s.jsonl"
    session.write_text(LINE)
    err = one_line_exit_2(run_physcapy("synth", str(session), "-o", str(session)))
    assert "is also the input" in err and session.read_text() == LINE


@pytest.mark.parametrize(
    "args",
    [
        ("read", "sim://", "32", "BMSR"),
        ("read", "nope://", "1", "BMSR"),
        ("pal", "sim://", "1", "--seconds", "-1"),
        ("dump", "sim://", "40"),
    ],
)
def test_a_failed_command_leaves_the_old_recording(tmp_path: Path, args: tuple[str, ...]) -> None:
    keep = tmp_path / "keep.jsonl"
    keep.write_text("precious\n")
    one_line_exit_2(run_physcapy(*args, "--record", str(keep)))
    assert keep.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.jsonl"]  # no .part left


def test_a_failed_decode_leaves_the_old_session(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sr"
    good = _capture(tmp_path).read_bytes()
    damaged.write_bytes(good[: len(good) // 2])  # a zip cut in half
    keep = tmp_path / "keep.jsonl"
    keep.write_text("precious\n")
    result = run_physcapy("decode", str(damaged), "-o", str(keep))
    assert result.returncode == 2
    assert keep.read_text() == "precious\n"
    assert not list(tmp_path.glob("*.part"))


def test_successful_outputs_are_complete_and_a_negative_result_keeps_its_recording(
    tmp_path: Path,
) -> None:
    out = tmp_path / "s.jsonl"
    assert run_physcapy("decode", str(_capture(tmp_path)), "-o", str(out)).returncode == 0
    assert len(out.read_text().splitlines()) == 4  # metadata and three transactions
    rec = tmp_path / "rec.jsonl"
    result = run_physcapy("read", "sim://", "7", "BMSR", "--record", str(rec))
    assert result.returncode == 1  # nobody at 7: a negative result, not a failure
    assert rec.read_text().count('"reg": 1') >= 1


@pytest.mark.parametrize("option", ["-o", "--record"])
def test_empty_and_folderless_outputs_are_refused(tmp_path: Path, option: str) -> None:
    capture = str(_capture(tmp_path))
    base = ("decode", capture) if option == "-o" else ("read", "sim://", "1", "BMSR")
    err = one_line_exit_2(run_physcapy(*base, option, ""))
    assert "the path is empty" in err
    missing = tmp_path / "no" / "such" / "x.jsonl"
    err = one_line_exit_2(run_physcapy(*base, option, str(missing)))
    assert "does not exist (physcapy does not create folders" in err
    assert not (tmp_path / "no").exists()
    err = one_line_exit_2(run_physcapy(*base, option, "x" * 300 + ".jsonl"))
    assert "allowed up to 250" in err


def test_synth_creates_no_folders(tmp_path: Path) -> None:
    session = tmp_path / "s.jsonl"
    session.write_text(LINE)
    err = one_line_exit_2(run_physcapy("synth", str(session), "-o", str(tmp_path / "a" / "b.sr")))
    assert "does not exist" in err and not (tmp_path / "a").exists()


# -- hangs: FIFOs and devices --------------------------------------------------------------------


def test_fifos_and_devices_are_refused_or_announced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.sr"
    os.mkfifo(fifo)
    err = one_line_exit_2(run_physcapy("decode", str(fifo)))
    assert "is a named pipe (FIFO): a capture must be a regular file" in err
    device = tmp_path / "random.vcd"
    device.symlink_to("/dev/urandom")
    assert "is a device" in one_line_exit_2(run_physcapy("decode", str(device)))
    script = tmp_path / "script.py"
    os.mkfifo(script)
    assert "is a named pipe" in one_line_exit_2(run_physcapy(str(script)))
    layers = tmp_path / "layers"
    layers.mkdir()
    os.mkfifo(layers / "x.toml")
    env = {**os.environ, "PHYSCAPY_LAYERS": str(layers)}
    assert "not a regular file" in one_line_exit_2(run_physcapy("regs", "list", env=env))


def test_a_session_fifo_is_read_as_a_stream_and_said_so(tmp_path: Path) -> None:
    import subprocess
    import sys
    import threading

    fifo = tmp_path / "s.jsonl"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w") as fh:
            fh.write(LINE)

    writer = threading.Thread(target=feed)
    writer.start()
    result = subprocess.run(
        [sys.executable, "-m", "physcapy", "decode", str(fifo), "--annotate"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    writer.join()
    assert result.returncode == 0, result.stderr
    assert "waiting for its writer" in result.stderr and "BMSR" in result.stdout


# -- tracebacks: output errors, odd scripts, Ctrl-C ---------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "args",
    [
        ("regs", "list"),
        ("read", "sim://", "1", "BMSR"),
        ("dump", "sim://", "1"),
        ("frame", "build", "--op", "read", "--phy", "1", "--reg", "BMSR"),
    ],
)
def test_stdout_to_a_full_disk_is_one_line(args: tuple[str, ...]) -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "physcapy", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    one_line_exit_2(result)
    assert "No space left on device" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_outputs_to_a_full_disk_are_one_line_and_leave_the_device(tmp_path: Path) -> None:
    capture = str(_capture(tmp_path))
    for args in (
        ("decode", capture, "-o", "/dev/full"),
        ("read", "sim://", "1", "BMSR", "--record", "/dev/full"),
    ):
        assert "No space left on device" in one_line_exit_2(run_physcapy(*args))
    assert Path("/dev/full").is_char_device()  # written in place, never renamed over


def test_a_script_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    script = tmp_path / "s.py"
    script.write_bytes(b"print('ok')\n# \xff\n")
    assert "s.py:2: not UTF-8 text" in one_line_exit_2(run_physcapy(str(script)))


def test_ctrl_c_in_user_code_is_quiet() -> None:
    result = run_physcapy("-c", "raise KeyboardInterrupt")
    assert result.returncode == 130 and "Traceback" not in result.stderr


# -- messages: control characters, length ------------------------------------------------------------


def test_echoed_values_are_escaped_and_cut() -> None:
    err = one_line_exit_2(run_physcapy("scan", "sim://" + "x" * 100_000))
    assert len(err) < 500 and "\u2026" in err
    err = one_line_exit_2(run_physcapy("decode", "bad\nname\x1b[31m.sr"))
    assert "\\n" in err and "\x1b" not in err


# -- bad input that was accepted with exit 0 ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("scan", "sim://lan8720a@"), "has nothing after '@'"),
        (
            ("frame", "build", "--op", "read", "--phy", "1", "--reg", "3", "--via-c22"),
            "--via-c22 needs --mmd-reg",
        ),
        (
            (
                "frame",
                "build",
                "--op",
                "read",
                "--phy",
                "1",
                "--reg",
                "3",
                "--function",
                "data_inc",
            ),
            "--function data_inc applies with --via-c22 only",
        ),
        (("frame", "parse", "0x6086796d", "--model", "nope"), "unknown model 'nope'"),
        (("pal", "sim://", "1", "--seconds", "1e300"), "allowed above 0 up to 1e+06"),
        (("pal", "sim://", "1", "--seconds", "nan"), "--seconds nan is out of range"),
    ],
)
def test_inconsistent_options_are_refused(args: tuple[str, ...], message: str) -> None:
    assert message in one_line_exit_2(run_physcapy(*args))


def test_capture_and_replay_options_that_cannot_be_right(tmp_path: Path) -> None:
    capture = str(_capture(tmp_path))
    err = one_line_exit_2(run_physcapy("decode", capture, "--mdc", "0", "--mdio", "MDC"))
    assert "MDC and MDIO are both channel 0" in err
    err = one_line_exit_2(
        run_physcapy("replay", capture, "--against", "sim://lan8720a@1", "--ignore", "99.1")
    )
    assert "--ignore DEVAD 99 (0x63) is out of range: allowed 0-31" in err
    session = tmp_path / "s.jsonl"
    session.write_text(LINE)
    err = one_line_exit_2(
        run_physcapy("synth", str(session), "-o", str(tmp_path / "x.sr"), "--samplerate", "1e15")
    )
    assert "allowed above 0 up to 1e+11" in err
    err = one_line_exit_2(run_physcapy("decode", str(session), "-o", str(tmp_path / "y.jsonl")))
    assert "is a session already" in err


def test_an_absurd_capture_samplerate_is_refused(tmp_path: Path) -> None:
    from physcapy.capture.sr import parse_samplerate
    from physcapy.errors import CaptureError

    for text in ("1e300", "1e15 Hz", "200 G"):
        with pytest.raises(CaptureError, match="out of range: allowed above 0 up to 100 GHz"):
            parse_samplerate(text)
    with pytest.raises(CaptureError, match="'inf' is not a rate"):
        parse_samplerate("inf")


def test_modify_of_an_absent_phy_is_one_line_and_exit_1() -> None:
    result = run_physcapy("modify", "sim://", "7", "BMCR", "0x1000", "0x1000")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "nothing written" in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sim://lan8720a@1\n", "holds control characters"),
        ("sim\t://lan8720a@1", "holds control characters"),
        ("sim://[lan8720a@1", "is not a URL: Invalid IPv6 URL"),
    ],
)
def test_urls_that_would_be_read_as_another_url_are_refused(url: str, message: str) -> None:
    assert message in one_line_exit_2(run_physcapy("read", url, "1", "BMSR"))


def test_more_accepted_bad_input(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    big.write_text(LINE.replace('"data": 5', '"data": ' + "9" * 5000))
    assert "big.jsonl:1: not a session line" in one_line_exit_2(run_physcapy("decode", str(big)))
    assert "unknown model ''" in one_line_exit_2(
        run_physcapy("read", "sim://", "1", "BMSR", "--model", "")
    )
    capture = str(_capture(tmp_path))
    err = one_line_exit_2(
        run_physcapy("replay", capture, "--against", "sim://lan8720a@1", "--ignore", "32")
    )
    assert "--ignore register 32 (0x20) is out of range: allowed 0-31" in err
    session = tmp_path / "s.jsonl"
    session.write_text(LINE)
    err = one_line_exit_2(run_physcapy("decode", str(session), "--mdc", "0"))
    assert "--mdc 0 chooses a capture's channel" in err
    err = one_line_exit_2(run_physcapy("pal", "sim://lan8720a@1", "0:09", "--seconds", "1"))
    assert "ENODEV" in err  # and no timeline before it


def test_usage_errors_have_the_same_prefix() -> None:
    err = one_line_exit_2(run_physcapy("read", "sim://", "1", "BMSR", "--format", "xml"))
    assert err.startswith("physcapy: error: read: argument --format: invalid choice: 'xml'")


# -- found by review: recordings ---------------------------------------------------------------


def test_a_recording_nobody_closed_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "sh.jsonl"
    result = run_physcapy("-c", f"r = bus.record({str(out)!r}); rd(1, 'BMSR')")
    assert result.returncode == 0, result.stderr
    assert out.read_text().count("\n") >= 2 and '"reg": 1,' in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sh.jsonl"]


def test_a_users_part_file_and_a_symlinked_target_are_respected(tmp_path: Path) -> None:
    own = tmp_path / "out.jsonl.part"
    own.write_text("my notes\n")
    assert (
        run_physcapy(
            "read", "sim://", "1", "BMSR", "--record", str(tmp_path / "out.jsonl")
        ).returncode
        == 0
    )
    assert own.read_text() == "my notes\n" and (tmp_path / "out.jsonl").exists()
    real = tmp_path / "real"
    real.mkdir()
    target = real / "target.jsonl"
    target.write_text("old\n")
    target.chmod(0o600)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert run_physcapy("read", "sim://", "1", "BMSR", "--record", str(link)).returncode == 0
    assert link.is_symlink() and '"reg": 1' in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_closed_pipe_keeps_what_was_recorded(tmp_path: Path) -> None:
    import subprocess
    import sys

    rec = tmp_path / "rec.jsonl"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "physcapy",
            "pal",
            "sim://lan8720a@1",
            "1",
            "--seconds",
            "5",
            "--format",
            "jsonl",
            "--record",
            str(rec),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    child.stdout.readline()
    child.stdout.close()  # `| head -1`
    assert child.wait(timeout=60) == 0
    assert rec.read_text().startswith('{"physcapy_session": 1')


def test_a_recording_that_cannot_write_lets_go_of_the_bus() -> None:
    from physcapy import open_bus

    class Full:
        def __init__(self) -> None:
            self.lines = 0

        def write(self, text: str) -> int:
            self.lines += 1
            if self.lines > 2:
                raise OSError(28, "No space left on device")
            return len(text)

        def flush(self) -> None:
            pass

    bus = open_bus("sim://")
    rec = bus.record(Full())  # type: ignore[arg-type]
    bus.read(1, 1)
    with pytest.raises(SessionError, match="No space left on device"):
        bus.read(1, 1)
    assert isinstance(bus.read(1, 2), int)  # the bus goes on; the recording let go of it
    assert rec not in bus._listeners
    with pytest.raises(SessionError):
        rec.close()


# -- found by review: packets, sockets, packs, entry points --------------------------------------


def test_setting_data_replaces_the_register_payload_and_raw_stays_after() -> None:
    from scapy.packet import Raw

    from physcapy.mdio.scapy import MDIO

    answer = MDIO(bytes.fromhex("6182796d"))
    answer.data = 0
    assert bytes(answer).hex() == "61820000" and answer["BMCR"].autoneg_enable == 0
    assert bytes(MDIO(op="write", phyad=1) / Raw(b"\x12\x34")).hex() == "508200001234"


def test_retries_threaded_exchanges_and_a_closing_bus_end() -> None:
    import threading
    import time

    from physcapy import open_bus
    from physcapy.mdio.scapy import MDIO
    from physcapy.traffic.sendrecv import sniff, sr

    bus = open_bus("sim://lan8720a@1?partner=none")
    ans, unans = sr(MDIO(op="read", phyad=[1, 7], regad="BMSR"), bus=bus, retry=2)
    assert (len(ans), len(unans)) == (1, 1)
    start = time.monotonic()
    ans, unans = sr(MDIO(op="read", phyad=7, regad="BMSR"), bus=bus, threaded=True)
    assert len(unans) == 1 and time.monotonic() - start < 5
    threading.Timer(0.2, bus.close).start()
    start = time.monotonic()
    sniff(bus, count=5)  # ends when the bus closes, not never
    assert time.monotonic() - start < 5


def test_a_broken_pack_is_named(tmp_path: Path) -> None:
    dist = tmp_path / "brokenpack-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenpack\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[physcapy.layers]\nbroken = brokenpack:folder\n")
    (tmp_path / "brokenpack.py").write_text("def folder():\n    raise RuntimeError('boom')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    err = one_line_exit_2(run_physcapy("regs", "list", env=env))
    assert "register pack brokenpack (brokenpack:folder) failed: boom" in err


def test_the_entry_point_reader_finds_what_importlib_finds_in_odd_layouts(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    upper = tmp_path / "Up_Pkg-1.0.DIST-INFO"
    upper.mkdir()
    (upper / "METADATA").write_text("Metadata-Version: 2.1\nName: Up-Pkg\nVersion: 1.0\n")
    (upper / "entry_points.txt").write_text("[physcapy.buses]\nupbus = x:y\n")
    egg = tmp_path / "eggpkg-1.0-py3.11.egg" / "EGG-INFO"
    egg.mkdir(parents=True)
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: eggpkg\nVersion: 1.0\n")
    (egg / "entry_points.txt").write_text("[physcapy.buses]\neggbus = x:y\n")
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as z:
        z.writestr(
            "zpkg-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zpkg\nVersion: 1.0\n"
        )
        z.writestr("zpkg-1.0.dist-info/entry_points.txt", "[physcapy.buses]\nzipbus = x:y\n")
    code = (
        "import importlib.metadata as m, json\n"
        "from physcapy import plugins\n"
        "print(json.dumps([sorted(e.name for e in m.entry_points(group='physcapy.buses')),"
        " sorted(e.name for e in plugins.entry_points('physcapy.buses'))]))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(tmp_path), str(tmp_path / "eggpkg-1.0-py3.11.egg"), str(tmp_path / "z.zip")]
        ),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    theirs, ours = json.loads(out.stdout)
    assert {"upbus", "zipbus"} <= set(ours)
    assert ours == theirs
