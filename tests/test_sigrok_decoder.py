# SPDX-License-Identifier: GPL-2.0-only
"""The generated sigrok decoder, mdio_phy, run by the real sigrok-cli.

Its register names, values, fields and driver-sequence notes must equal what
physcapy's own annotator says about the same capture (``physcapy decode --annotate``),
on the real captures and on synthesized ones with pages, 13/14 MMD access, Clause 45
and the driver sequences; anything on sigrok-cli's stderr fails the test (a Python
exception inside a decoder still exits 0).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from physcapy import open_bus
from physcapy.bus.access import dump
from physcapy.registers.display import summary
from physcapy.registers.values import register_class
from physcapy.sigrok.export import TEMPLATE, export, install, tables, user_decoder_dir
from physcapy.traffic.annotate import Annotation, Annotator
from tests.conftest import SHARED, need

Cli = Callable[..., tuple[int, str, str]]
CAPTURES = SHARED / "captures"
REAL = sorted(CAPTURES.glob("*.sr"))


@pytest.fixture(scope="module")
def decoders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("decoders")
    export(folder)
    return folder


def _sigrok(decoders: Path, capture: Path, row: str, options: str = "") -> list[tuple[int, str]]:
    """(start sample, text) of each ``row`` annotation mdio_phy puts on ``capture``."""
    sigrok = shutil.which("sigrok-cli")
    need(sigrok is not None, "sigrok-cli (Debian package sigrok-cli)")
    assert sigrok is not None
    run = subprocess.run(
        [
            sigrok,
            "-i",
            str(capture),
            "-P",
            f"mdio:mdc=MDC:mdio=MDIO,mdio_phy{options}",
            "-A",
            f"mdio_phy={row}",
            "--protocol-decoder-samplenum",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "SIGROKDECODE_DIR": str(decoders)},
        timeout=120,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    out = []
    for line in run.stdout.splitlines():
        span, _, text = line.partition(" mdio_phy-1: ")
        out.append((int(span.split("-")[0]), text))
    return out


def _physcapy(cli: Cli, capture: Path, models: dict[int, str] | None = None) -> list[Annotation]:
    """physcapy decode --annotate's view, minus the Clause 45 address frames (the mdio
    decoder emits nothing for them)."""
    args = ["decode", str(capture), "--annotate", "--format", "jsonl"]
    for address, name in (models or {}).items():
        args += ["--model", f"{address}={name}"]
    status, out, err = cli(*args)
    assert status == 0, err
    # The same transactions through the annotator in-process, for the register specs.
    from physcapy.mdio.transactions import Transaction

    rows = [json.loads(line) for line in out.splitlines()]
    annotator = Annotator(dict(models or {}))
    found = []
    for row in rows:
        t = Transaction.from_dict({k: v for k, v in row.items() if k in _TRANSACTION})
        a = annotator(t)
        assert a.name == row["name"] and a.note == row.get("note", "")
        if t.op != "address":
            found.append(a)
    return found


_TRANSACTION = ("start", "end", "clause", "op", "phy", "reg", "data", "addr", "errors")


def _register_text(a: Annotation) -> str:
    what = a.name or "?"
    if a.key and a.key != str(a.transaction.reg):
        what += f" ({a.key})"
    return f"{what} = 0x{a.transaction.data:04X}"


def _compare(decoders: Path, capture: Path, cli: Cli, models: dict[int, str] | None = None) -> int:
    options = ""
    if models:
        options = ":model=" + ",".join(f"{a}={m}" for a, m in models.items())
    theirs = _sigrok(decoders, capture, "register", options)
    ours = _physcapy(cli, capture, models)
    assert [text for _, text in theirs] == [_register_text(a) for a in ours]
    start = {ss: i for i, (ss, _) in enumerate(theirs)}
    notes = {start[ss]: text for ss, text in _sigrok(decoders, capture, "note", options)}
    expected_notes = {
        i: a.note
        for i, a in enumerate(ours)
        # mdio reports a post-read-increment read as a read: the decoder cannot say so.
        if a.note and a.note != "post-read-increment"
    }
    assert notes == expected_notes
    fields = {start[ss]: text for ss, text in _sigrok(decoders, capture, "fields", options)}
    expected_fields = {}
    for i, a in enumerate(ours):
        if a.spec is not None:
            text = summary(register_class(a.spec)(a.transaction.data))
            if text:
                expected_fields[i] = text
    assert fields == expected_fields
    return len(ours)


@pytest.mark.parametrize("capture", REAL, ids=[p.stem for p in REAL])
def test_real_captures_match_physcapy(decoders: Path, capture: Path, cli: Cli) -> None:
    need(bool(REAL), f"the real captures in {CAPTURES}")
    assert _compare(decoders, capture, cli) > 0


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Pages (RTL8211F register 31, Marvell register 22), indirect registers (Motorcomm
    extended, Broadcom expansion and shadow), MMD access through 13/14,
    Clause 45 with post-read-increment, a soft reset polled, genphy's BMSR pair and an
    AN restart, recorded from simulated PHYs and rendered as a .sr capture."""
    from physcapy.cli.main import main

    folder = tmp_path_factory.mktemp("synth")
    session = folder / "traffic.jsonl"
    bus = open_bus("sim://lan8720a@1,rtl8211f@2,88e1118@3,yt8521@4,generic-c45@5,bcm54213pe@6")
    rec = bus.record(str(session))
    for phy in (2, 3, 4, 5, 6):  # pages, Motorcomm 0x1E/0x1F, Clause 45, Broadcom shadows
        dump(bus, phy)
    assert bus.read_c45_burst(5, 1, 0, 4)
    bus.write(1, 0, 0x8000)  # soft reset, then poll it
    while bus.read(1, 0) & 0x8000:
        pass
    bus.read(1, 1)
    bus.read(1, 1)
    bus.write(1, 0, 0x1200)  # restart auto-negotiation
    bus.write_mmd(1, 3, 20, 0x0006)  # a 13/14 write
    rec.close()
    capture = folder / "traffic.sr"
    assert main(["synth", str(session), "-o", str(capture), "--samplerate", "10e6"]) == 0
    yield capture


def test_synthesized_capture_matches_physcapy(decoders: Path, synthesized: Path, cli: Cli) -> None:
    count = _compare(decoders, synthesized, cli)
    assert count > 150
    texts = [t for _, t in _sigrok(decoders, synthesized, "note")]
    for expected in (
        "page switch to 0xa43",
        "reset poll: reset done",
        "second BMSR read (genphy_update_link: the first flushes the latch)",
        "restart auto-negotiation",
        "3.0x14 = 0x0006 via 13/14 (write)",
    ):
        assert any(expected in t for t in texts), expected
    assert any(t.startswith("EXT select ") for t in texts)
    registers = [t for _, t in _sigrok(decoders, synthesized, "register")]
    assert any("(EXT:0x" in t and not t.startswith("?") for t in registers)
    assert any(t.startswith("CTRL1 (1.0x0) = ") for t in registers), registers[-40:]


def test_model_option_overrides_identification(decoders: Path, cli: Cli) -> None:
    capture = CAPTURES / "lan8720a_read_all_unplugged.sr"
    need(capture.exists(), str(capture))
    _compare(decoders, capture, cli, {1: "dp83848"})
    names = [t for _, t in _sigrok(decoders, capture, "register", ":model=1=dp83848")]
    assert any(t.startswith("PHYSTS = ") for t in names)  # DP83848 register 16


def test_tables_hold_every_loaded_model() -> None:
    from physcapy.registers.models import all_models

    got = tables()
    assert got["license"] == "GPL-2.0-or-later" and got["ieee"] == "ieee802.3"
    assert {m["name"] for m in got["models"]} == {m.name for m in all_models()}
    rtl = next(m for m in got["models"] if m["name"] == "rtl8211f")
    assert rtl["page_register"] == 31 and rtl["pages"]


def test_decoder_is_portable_python() -> None:
    """Nothing newer than Python 3.4 (libsigrokdecode embeds the system's Python; the
    Windows installers bundle 3.4), and only the standard library."""
    allowed = {"json", "os", "sigrokdecode"}
    for path in TEMPLATE.glob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            assert not isinstance(node, ast.JoinedStr), f"f-string at {where}"
            assert not isinstance(node, ast.NamedExpr), f"walrus at {where}"
            assert not isinstance(node, ast.AnnAssign), f"variable annotation at {where}"
            assert not isinstance(node, (ast.AsyncFunctionDef, ast.Await)), where
            assert not isinstance(node, ast.Match), f"match at {where}"
            if isinstance(node, ast.FunctionDef):
                assert node.returns is None and all(a.annotation is None for a in node.args.args), (
                    f"annotation at {where}"
                )
                assert not node.args.posonlyargs, f"positional-only at {where}"
            if isinstance(node, ast.Dict):
                assert None not in node.keys, f"{{**x}} at {where}"
            if isinstance(node, ast.Call):
                assert not any(isinstance(a, ast.Starred) for a in node.args[:-1]), where
            if isinstance(node, ast.Import):
                assert {a.name.split(".")[0] for a in node.names} <= allowed, where
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert (node.module or "").split(".")[0] in allowed, where
        assert "from __future__ import annotations" not in path.read_text()
    header = (TEMPLATE / "pd.py").read_text()
    assert "SPDX-License-Identifier: GPL-2.0-or-later" in header


def test_install_into_the_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert user_decoder_dir() == tmp_path / "data" / "libsigrokdecode" / "decoders"
    folder = install()
    assert folder == user_decoder_dir() / "mdio_phy"
    assert sorted(p.name for p in folder.iterdir()) == [
        "__init__.py",
        "pd.py",
        "physcapy-generated",
        "tables.json",
    ]
    # Only decoder packages may sit in a decoder folder: no leftovers beside it.
    assert [p.name for p in user_decoder_dir().iterdir()] == ["mdio_phy"]
    install()  # replacing our own earlier install is fine


def test_cli_install_and_refusals(tmp_path: Path, cli: Cli) -> None:
    status, out, err = cli("sigrok", "install", "--dir", str(tmp_path / "d"))
    assert status == 0 and out.startswith("installed "), err
    assert (tmp_path / "d" / "mdio_phy" / "tables.json").exists()
    status, _, err = cli("sigrok", "export", str(tmp_path / "e"))
    assert status == 0 and (tmp_path / "e" / "mdio_phy" / "pd.py").exists()
    theirs = tmp_path / "f" / "mdio_phy"
    theirs.mkdir(parents=True)
    status, _, err = cli("sigrok", "export", str(tmp_path / "f"))
    assert status == 2 and "was not written by physcapy" in err and len(err.splitlines()) == 1
    (tmp_path / "file").write_text("x")
    status, _, err = cli("sigrok", "export", str(tmp_path / "file"))
    assert status == 2 and "is not a folder" in err
    status, _, err = cli("sigrok")
    assert status == 2 and "ACTION" in err


def test_unknown_model_option_is_reported(decoders: Path) -> None:
    sigrok = shutil.which("sigrok-cli")
    need(sigrok is not None, "sigrok-cli")
    assert sigrok is not None
    capture = CAPTURES / "lan8720a_read_write_read.sr"
    run = subprocess.run(
        [sigrok, "-i", str(capture), "-P", "mdio:mdc=MDC:mdio=MDIO,mdio_phy:model=nope"],
        capture_output=True,
        text=True,
        env={**os.environ, "SIGROKDECODE_DIR": str(decoders)},
        timeout=60,
    )
    assert "mdio_phy: unknown model 'nope'" in run.stderr
