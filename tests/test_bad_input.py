# SPDX-License-Identifier: GPL-2.0-only
"""Bad input, by class (issue 15): one clear error naming the value and what is
allowed, exit 2 on the command line, nothing lost, nothing hanging."""

from __future__ import annotations

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
