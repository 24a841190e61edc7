# SPDX-License-Identifier: GPL-2.0-only
"""The command line's shared checks and its progress lines, pinned exactly (issue 23:
mutants of physcapy/cli/common.py that the CLI tests reached but did not pin)."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import time
from pathlib import Path

import pytest

from physcapy.cli.common import _Progress, _Ticker
from physcapy.cli.main import main
from tests.conftest import SHARED, need

CAPTURE = SHARED / "captures" / "lan8720a_read_all_unplugged.sr"
SESSION = Path(__file__).resolve().parents[1] / "sessions" / "lan8720a-linux6-bringup.jsonl"


class _Terminal(io.StringIO):
    """stderr as a terminal: progress lines are written only there."""

    def isatty(self) -> bool:
        return True


def _run(*args: str) -> tuple[int, str, str]:
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue(), ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "1="], "physcapy: error: --model '1=' must be ADDR=MODEL (e.g. 1=lan8720a)\n"),
        (
            ["--model", "lan8720a"],
            "physcapy: error: --model 'lan8720a' must be ADDR=MODEL (e.g. 1=lan8720a)\n",
        ),
        (
            ["--model", "32=lan8720a"],
            "physcapy: error: --model address 32 (0x20) is out of range: allowed 0-31 (0x00-0x1f)\n",
        ),
        # ADDR is what comes before the first '=': the rest is the model's name.
        (["--model", "1=lan=x"], "physcapy: error: unknown model 'lan=x'"),
        (
            ["--glitch", "1e-3"],
            "physcapy: error: --glitch 0.001 is out of range: allowed 0 (off) up to 1e-3 s\n",
        ),
        (
            ["--glitch", "nan"],
            "physcapy: error: --glitch nan is out of range: allowed 0 (off) up to 1e-3 s\n",
        ),
        (
            ["--glitch", "30ns"],
            "physcapy: error: --glitch '30ns' is not a number of seconds (e.g. 30e-9)\n",
        ),
    ],
)
def test_decode_option_errors_are_one_exact_line_and_exit_2(
    cli, args: list[str], message: str
) -> None:
    need(CAPTURE.exists(), "the shared captures")
    status, out, err = cli("decode", str(CAPTURE), "--annotate", *args)
    assert (status, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1


def test_model_addresses_0_and_31_are_accepted_and_name_the_model(cli) -> None:
    status, out, err = cli(
        "decode", str(SESSION), "--annotate", "--format", "jsonl",
        "--model", "0=LAN8720A", "--model", "31=rtl8211f",
    )  # fmt: skip
    assert (status, err) == (0, "")
    models = {(line["phy"], line["model"]) for line in map(json.loads, out.splitlines())}
    assert {m for m in models if m[1]} == {(0, "lan8720a"), (1, "lan8720a"), (31, "rtl8211f")}


def test_glitch_filter_just_below_1_ms_is_accepted(cli) -> None:
    need(CAPTURE.exists(), "the shared captures")
    status, out, err = cli("decode", str(CAPTURE), "--glitch", "0.00099")
    # Accepted, and it does filter: every MDC pulse of the capture is shorter, so every
    # edge goes (pulses in a row too) and nothing is left to decode.
    assert (status, out, err) == (0, "", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samplerate", "0"], "--samplerate 0 is out of range: allowed above 0 up to 1e+11"),
        (
            ["--samplerate", "2e11"],
            "--samplerate 2e+11 is out of range: allowed above 0 up to 1e+11",
        ),
        (["--samplerate", "fast"], "--samplerate 'fast' is not a number (e.g. 25e6)"),
        (["--mdc-freq", "2e9"], "--mdc-freq 2e+09 is out of range: allowed above 0 up to 1e+09"),
    ],
)
def test_synth_number_errors_quote_the_real_range(
    cli, tmp_path: Path, args: list[str], message: str
) -> None:
    status, _, err = cli("synth", str(SESSION), "-o", str(tmp_path / "x.sr"), *args)
    assert (status, err) == (2, f"physcapy: error: {message}\n")


def test_synth_accepts_the_top_of_each_range(cli, tmp_path: Path) -> None:
    status, _, err = cli(
        "synth",
        str(SESSION),
        "-o",
        str(tmp_path / "x.vcd"),
        "--samplerate",
        "1e11",
        "--mdc-freq",
        "1e9",
    )
    assert (status, err) == (0, "")


def _clock(monkeypatch: pytest.MonkeyPatch, step: float) -> None:
    ticks = itertools.count()
    monkeypatch.setattr(time, "monotonic", lambda: next(ticks) * step)


def test_decode_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every update at least 0.5 s after the last shows the fraction read; done clears it."""
    need(CAPTURE.exists(), "the shared captures")
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    _clock(monkeypatch, 0.5)
    status, out, _ = _run("decode", str(CAPTURE))
    assert status == 0 and out
    lines = err.getvalue().split("\r")
    assert lines[0] == "" and lines[-1] == ""
    shown = lines[1:-2]
    assert shown and all(s.startswith(f"decoding {CAPTURE.name}: ") for s in shown)
    assert shown[-1] == f"decoding {CAPTURE.name}: 100.0 %"
    assert lines[-2] == " " * 60


def test_decode_progress_waits_half_a_second_between_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    need(CAPTURE.exists(), "the shared captures")
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    _clock(monkeypatch, 0.2)  # never 0.5 s apart: only the clearing line
    assert _run("decode", str(CAPTURE), "--annotate")[0] == 0
    assert err.getvalue() == "\r" + " " * 60 + "\r"


def test_decode_is_silent_on_stderr_when_it_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    need(CAPTURE.exists(), "the shared captures")
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    _clock(monkeypatch, 1.0)
    assert _run("decode", str(CAPTURE))[0] == 0
    assert err.getvalue() == ""


def test_replay_count_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    _clock(monkeypatch, 1.0)
    status, out, _ = _run("replay", str(SESSION), "--against", "sim://lan8720a@1")
    assert status == 1 and "expected 0x782d, got 0x7809" in out  # no link partner here
    assert err.getvalue() == "\rreplaying: 0 transactions" + "\r" + " " * 60 + "\r"


def test_reading_a_session_from_a_pipe_says_so(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A FIFO is read as a stream, and stderr says the command waits for its writer."""
    fifo = tmp_path / "s.jsonl"
    os.mkfifo(fifo)
    import threading

    def writer() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "w") as f:
            f.write(SESSION.read_text())

    t = threading.Thread(target=writer)
    t.start()
    status = main(["decode", str(fifo), "--annotate"])
    # If the command refused the FIFO unopened, the writer still waits for a reader:
    # open and close one so that the writer ends (writing into no reader) and the test
    # fails on the status rather than hanging.
    os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    t.join()
    out, err = capfd.readouterr()
    assert status == 0 and "[soft reset (BMCR.reset)]" in out
    assert err == f"physcapy: reading {fifo} from a pipe: waiting for its writer\n"


class _Reader:
    """A capture reader as _Progress sees it: a path and the fraction read so far."""

    def __init__(self, fractions: list[float | None]) -> None:
        self.path = Path("/captures/big.sr")
        self.fractions = iter(fractions)

    def progress(self) -> float | None:
        return next(self.fractions)


def test_progress_lines_show_each_fraction_at_most_every_half_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    progress = _Progress(_Reader([0.25, None, 0.5, 0.999]))
    for step in (0.5, 0.25, 0.125, 0.5, 0.75, 0.5):  # exact in binary
        now[0] += step
        progress.update()
    progress.done()
    # Due at +0.5 (0.25), +1.375 (nothing known yet), +2.125 (0.5), +2.625 (0.999).
    assert err.getvalue().split("\r") == [
        "", "decoding big.sr:  25.0 %", "decoding big.sr:  50.0 %", "decoding big.sr:  99.9 %",
        " " * 60, "",
    ]  # fmt: skip


def test_ticker_counts_at_most_every_half_second(monkeypatch: pytest.MonkeyPatch) -> None:
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    now = [500.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    ticker = _Ticker("replaying", "transactions")
    for step, done in ((0.25, 1), (0.25, 4096), (0.375, 8192), (0.125, 12288.5)):
        now[0] += step
        ticker.update(done)
    ticker.done()
    assert err.getvalue().split("\r") == [
        "", "replaying: 4096 transactions", "replaying: 12288.5 transactions", " " * 60, "",
    ]  # fmt: skip
    silent = io.StringIO()
    monkeypatch.setattr("sys.stderr", silent)
    quiet = _Ticker("replaying", "transactions")
    now[0] += 10
    quiet.update(1)
    quiet.done()
    assert silent.getvalue() == ""


def test_record_writes_a_session_naming_the_command_and_json_is_indented(
    cli, tmp_path: Path
) -> None:
    path = tmp_path / "my session.jsonl"
    status, out, err = cli(
        "read", "sim://lan8720a@1", "1", "1", "--format", "json", "--record", str(path)
    )
    assert (status, err) == (0, "")
    assert out.startswith(
        '{\n  "phy": 1,\n  "register": "BMSR",\n  "address": 1,\n  "value": 30765,\n'
    )
    head, *frames = [json.loads(line) for line in path.read_text().splitlines()]
    assert head["source"] == f"physcapy read sim://lan8720a@1 1 1 --format json --record '{path}'"
    assert head["models"] == {"1": "lan8720a"}
    assert frames[-1]["reg"] == 1 and frames[-1]["data"] == 30765
    status, out, err = cli("read", "sim://lan8720a@1", "1", "1", "--record", "")
    assert (status, out) == (2, "") and err.startswith("physcapy: error: --record")


@pytest.mark.parametrize(
    ("command", "choices"),
    [
        (["read", "sim://lan8720a@1", "1", "1"], "'text', 'json'"),
        (["frame", "build", "--op", "read", "--phy", "1", "--reg", "1"], "'text', 'bits', 'hex'"),
    ],
)
def test_an_unknown_format_is_a_usage_error_naming_the_choices(
    cli, command: list[str], choices: str
) -> None:
    """--format takes only the formats the command can write: anything else is exit 2 and
    one line, before the command runs (design.md §3.3)."""
    status, out, err = cli(*command, "--format", "xml")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "argument --format: invalid choice: 'xml' (choose from " + choices in err


def test_help_shows_the_format_default_and_the_record_file(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--help names each option's argument and says which format is the default (the
    first choice)."""
    monkeypatch.setenv("COLUMNS", "200")
    status, out, _ = cli("read", "--help")
    assert status == 0
    text = " ".join(out.split())  # as read, whatever argparse's line breaks
    assert " --format {text,json} output format (default text) " in text
    assert (
        " --record FILE also write every MDIO transaction to FILE as a session (JSON Lines) "
        in text
    )
    status, out, _ = cli("frame", "build", "--help")
    text = " ".join(out.split())
    assert " --format {text,bits,hex,scapy,json} output format (default text) " in text


def test_json_lists_are_one_line_and_objects_are_indented(cli) -> None:
    """A JSON list (scan) is printed on one line, one object indented (read)."""
    status, out, err = cli("scan", "sim://lan8720a@1,dp83848@3", "--format", "json")
    assert (status, err) == (0, "")
    assert out.count("\n") == 1
    assert [e["address"] for e in json.loads(out)] == [1, 3]


def test_a_positive_time_below_one_second_is_accepted(cli) -> None:
    """--seconds takes any number above 0 (here half a second of bus time)."""
    status, out, err = cli("pal", "sim://lan8720a@1", "1", "--seconds", "0.5")
    assert (status, err) == (0, "")
    assert "READY -> UP" in out
    status, out, err = cli("pal", "sim://lan8720a@1", "1", "--seconds", "0")
    assert (status, out) == (2, "")
    assert err == "physcapy: error: --seconds 0 is out of range: allowed above 0 up to 1e+06\n"
