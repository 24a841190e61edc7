# SPDX-License-Identifier: GPL-2.0-only
"""Session files: metadata, round trips, errors by line, recording on buses and commands."""

from __future__ import annotations

import io
import json

import pytest

from physcapy import open_bus
from physcapy.capture.session import SessionMeta, SessionWriter, iter_session, read_session
from physcapy.errors import SessionError
from physcapy.mdio.transactions import Transaction


def test_round_trip_keeps_metadata_and_transactions():
    out = io.StringIO()
    meta = SessionMeta(
        source="test",
        models={1: "lan8720a", 3: "dp83848"},
        notes="n",
        capture={
            "file": "x.sr",
            "sha256": "ab",
            "samplerate": 1e6,
            "channels": {"mdc": "D0", "mdio": "D1"},
        },
    )
    ts = [
        Transaction(0.0, 1e-5, 22, "read", 1, 1, 0x796D),
        Transaction(1e-5, 2e-5, 45, "address", 3, 7, 0x20, 0x20),
    ]
    with SessionWriter(out, meta) as w:
        w.write_all(ts)
    s = read_session(io.StringIO(out.getvalue()))
    assert s.transactions == ts
    assert (s.meta.source, s.meta.models, s.meta.notes) == (
        "test",
        {1: "lan8720a", 3: "dp83848"},
        "n",
    )
    assert s.meta.capture["channels"] == {"mdc": "D0", "mdio": "D1"}
    assert s.meta.created  # stamped when written
    first = json.loads(out.getvalue().splitlines()[0])
    assert first["physcapy_session"] == 1 and first["models"] == {"1": "lan8720a", "3": "dp83848"}


def test_plain_decode_output_reads_as_a_session():
    line = Transaction(0.0, 1e-5, 22, "write", 1, 0, 0x8000).to_json()
    s = read_session(io.StringIO(line + "\n\n"))
    assert s.meta.source == "" and len(s) == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"physcapy_session": 1}', "{nope"], "f.jsonl:2: not JSON"),
        (
            ['{"physcapy_session": 1}', '{"start": 0, "end": 0, "clause": 22, "op": "read"}'],
            "f.jsonl:2: transaction lacks 'phy'",
        ),
        (
            ['{"start": 0, "end": 0, "clause": 22, "op": "read", "phy": 32, "reg": 1, "data": 1}'],
            "f.jsonl:1: PHYAD 32",
        ),
        (['{"physcapy_session": 2}'], "f.jsonl:1: session format version 2"),
        (['{"physcapy_session": 1, "models": {"40": "x"}}'], "f.jsonl:1: models entry '40'"),
        (['{"physcapy_session": 1, "color": 1}'], "f.jsonl:1: unknown metadata key(s) color"),
        (['{"physcapy_session": 1}', '{"physcapy_session": 1}'], "f.jsonl:2: a metadata line"),
        (
            [
                '{"start": 0, "end": 0, "clause": 22, "op": "read", "phy": true, "reg": 1, "data": 1}'
            ],
            "f.jsonl:1: phy True is not an integer",
        ),
    ],
)
def test_bad_lines_name_the_line(lines, message):
    with pytest.raises(SessionError) as info:
        read_session(io.StringIO("\n".join(lines) + "\n"), name="f.jsonl")
    assert str(info.value).startswith(message)


def test_iter_session_streams():
    text = "".join(Transaction(i, i, 22, "read", 1, 1, i).to_json() + "\n" for i in range(5))
    _meta, it = iter_session(io.StringIO(text + "{bad\n"), name="s")
    assert next(it).data == 0
    with pytest.raises(SessionError, match="^s:6: not JSON"):
        list(it)


def test_bus_record_knows_the_models(tmp_path):
    bus = open_bus("sim://lan8720a@1,dp83848@3")
    path = tmp_path / "r.jsonl"
    rec = bus.record(path, notes="two PHYs")
    bus.read(1, 1)
    bus.write(3, 0, 0x3100)
    rec.close()
    bus.read(1, 2)  # after close: not recorded
    s = read_session(path)
    assert s.meta.models == {1: "lan8720a", 3: "dp83848"} and s.meta.notes == "two PHYs"
    assert [(t.op, t.phy, t.reg) for t in s.transactions] == [("read", 1, 1), ("write", 3, 0)]


@pytest.mark.parametrize(
    "command",
    [
        ("read", "sim://lan8720a@1", "1", "BMSR"),
        ("write", "sim://lan8720a@1", "1", "BMCR", "0x3100"),
        ("modify", "sim://lan8720a@1", "1", "BMCR", "0x0200", "0x0200"),
        ("dump", "sim://lan8720a@1", "1"),
        ("scan", "sim://lan8720a@1"),
        ("pal", "sim://lan8720a@1", "1", "--seconds", "3"),
    ],
)
def test_record_option_on_commands(cli, tmp_path, command):
    path = tmp_path / "c.jsonl"
    status, _, err = cli(*command, "--record", str(path))
    assert status == 0, err
    s = read_session(path)
    assert s.meta.models == {1: "lan8720a"} and len(s) > 0
    assert s.meta.source.startswith("physcapy ")
    assert all(t.phy in range(32) for t in s.transactions)
    if command[0] == "write":
        # The command reads PHYSID1/2 to name the model, then writes.
        assert [(t.op, t.reg, t.data) for t in s.transactions if t.op == "write"] == [
            ("write", 0, 0x3100)
        ]


def test_record_to_an_unwritable_place_is_one_line(cli, tmp_path):
    status, _, err = cli("read", "sim://", "1", "1", "--record", str(tmp_path / "no" / "x.jsonl"))
    assert status == 2 and err.count("\n") == 1 and "does not exist" in err


def test_decode_output_session_describes_the_capture(cli, tmp_path):
    import hashlib

    from tests.conftest import SHARED

    capture = SHARED / "captures" / "lan8720a_read_all_unplugged.sr"
    out = tmp_path / "u.jsonl"
    status, _, err = cli("decode", str(capture), "-o", str(out), "--format", "jsonl")
    assert status == 0, err
    s = read_session(out)
    assert s.meta.capture == {
        "file": capture.name,
        "sha256": hashlib.sha256(capture.read_bytes()).hexdigest(),
        "samplerate": 12e6,
        "channels": {"mdc": "MDC", "mdio": "MDIO"},
        "format": "sr",
    }
    assert len(s) == 32 and s.meta.source.startswith("physcapy decode ")
