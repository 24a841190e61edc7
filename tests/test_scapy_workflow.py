# SPDX-License-Identifier: GPL-2.0-only
"""Scapy's send-and-receive workflow on MDIO (issue 14): sockets, sr/sr1/srloop/send/sniff,
register payloads, fuzz, captures as packet lists, Scapy's manners, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from scapy.compat import raw
from scapy.packet import fuzz
from scapy.plist import PacketList, SndRcvList
from scapy.sendrecv import sndrcv

import physcapy
from physcapy import open_bus
from physcapy.errors import PhyscapyError, RangeError, UnknownNameError
from physcapy.mdio.scapy import MDIO, MDIO45, MDIOPreamble, conf, explore, ls, register_layer
from physcapy.pal import Pal
from physcapy.registers.models import model
from physcapy.registers.values import register_class
from physcapy.traffic.packets import rdcapture, wrcapture
from physcapy.traffic.sendrecv import c45_over_c22_packets, send, sniff, sr, sr1, srloop
from physcapy.traffic.socket import MDIOSocket
from tests.conftest import SHARED, need, run_physcapy

BMSR = register_class(model().register("BMSR"))  # the value class, as the shell has it
BMCR = register_class(model().register("BMCR"))
CAPTURES = sorted(SHARED.glob("captures/*.sr"))


# -- 1. the socket ---------------------------------------------------------------------------


def test_socket_answers_reads_and_leaves_absent_phys_unanswered() -> None:
    bus = open_bus("sim://lan8720a@1,dp83848@3?partner=none")
    sock = MDIOSocket(bus)
    ans, unans = sock.sr(MDIO(op="read", phyad=[1, 2, 3], regad="BMSR"))
    assert [a.phyad for _, a in ans] == [1, 3]
    assert [u.phyad for u in unans] == [2]
    answer = ans[0][1]
    assert answer.data == bus.read(1, "BMSR")
    assert answer.ta == 0b10  # driven low by the PHY, as sampled
    assert answer[BMSR].link_status == 0
    # .time is the bus clock's, and in order.
    times = [a.time for _, a in ans]
    assert times == sorted(times) and times[0] < bus.clock.time()
    assert sock.sr1(MDIO(op="read", phyad=9, regad=1)) is None


def test_scapys_own_sndrcv_and_sniff_work_on_the_socket() -> None:
    bus = open_bus("sim://lan8720a@1")
    sock = MDIOSocket(bus)
    # Scapy's threaded sndrcv, with a timeout as on any network socket.
    ans, unans = sndrcv(sock, MDIO(op="read", phyad=1, regad=(2, 3)), timeout=0.5, verbose=0)
    assert sorted(hex(a.data) for _, a in ans) == ["0x7", "0xc0f1"]
    assert len(unans) == 0
    # SuperSocket.sniff on a sniffing socket sees what another caller does on the bus.
    watcher = MDIOSocket(bus, sniff=True)
    got = watcher.sniff(
        count=2, timeout=5, started_callback=lambda: bus.read(1, 0) + bus.read(1, 1)
    )
    assert [p.regad for p in got] == [0, 1]
    watcher.close()
    sock.close()
    with pytest.raises(PhyscapyError, match="closed MDIO socket"):
        sock.send(MDIO())


def test_writes_are_answered_by_the_frame_and_reach_the_phy() -> None:
    bus = open_bus("sim://")
    ans, unans = sr(MDIO(op="write", phyad=1, regad="ADVERTISE", data=0x0061), bus=bus)
    assert len(ans) == 1 and len(unans) == 0
    assert bus.read(1, "ADVERTISE") == 0x0061


def test_the_same_exchange_on_the_emulated_ftdi_chip() -> None:
    bus = open_bus("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1")
    ans, unans = sr(MDIO(op="read", phyad=[1, 5], regad=["PHYSID1", "PHYSID2"]), bus=bus)
    assert [(a.phyad, a.regad, a.data) for _, a in ans] == [(1, 2, 0x0007), (1, 3, 0xC0F1)]
    assert {u.phyad for u in unans} == {5}
    # The model is known to the emulated bus: vendor registers decode by name.
    assert sr1(MDIO(op="read", phyad=1, regad=31), bus=bus).payload.name.startswith("PSCSR")


def test_clause_45_through_13_14_is_four_packets_and_names_the_mmd_register() -> None:
    bus = open_bus("sim://generic@1")
    ans, _ = sr(c45_over_c22_packets("read", 1, 3, 0x14), bus=bus)
    assert [q.regad for q, _ in ans] == [13, 14, 13, 14]
    last = ans[-1][1]
    assert last.payload.spec.key == "3.20"  # PCS EEE capability, read through 13/14
    assert last.data == bus.read_mmd(1, 3, 0x14)


def test_native_clause_45_answers_carry_the_register_from_the_address_frame() -> None:
    bus = open_bus("sim://generic-c45@5")
    ans, _ = sr(
        [
            MDIO45(op="address", prtad=5, devad="PMA", data=0),
            MDIO45(op="read", prtad=5, devad="PMA"),
        ],
        bus=bus,
    )
    address, data = (a for _, a in ans)
    assert address.payload.name == "NoPayload"  # DATA of an address frame is an address
    assert data.payload.spec.key == "1.0" and data.summary().startswith("MDIO45 read PRTAD 5 ")
    assert data.data == bus.read_c45(5, 1, 0)


# -- 2. the top-level functions ----------------------------------------------------------------


def test_implicit_sets_expand_as_in_scapy_and_results_are_scapy_lists() -> None:
    bus = open_bus("sim://lan8720a@1,dp83848@3")
    ans, unans = sr(MDIO(op="read", phyad=1, regad=(0, 31)), bus=bus)
    assert isinstance(ans, SndRcvList) and isinstance(unans, PacketList)
    assert len(ans) == 32
    ans, _ = sr(MDIO(op="read", phyad=[1, 3], regad=["BMCR", "BMSR"]), bus=bus)
    assert sorted((a.phyad, a.regad) for _, a in ans) == [(1, 0), (1, 1), (3, 0), (3, 1)]
    assert len(ans.filter(lambda q, a: a.phyad == 3)) == 2
    assert "MDIO read PHY 3 BMSR" in ans.filter(lambda q, a: a.phyad == 3)[-1][1].summary()
    assert ans.summary() is None and ans.nsummary() is None
    ans.show()
    import matplotlib

    matplotlib.use("Agg")
    lines = ans.plot(lambda q, a: a.data)  # Scapy's own plot of the answers' DATA
    assert list(lines[0].get_ydata()) == [a.data for _, a in ans]


def test_shell_functions_default_to_the_shells_bus(tmp_path: Path) -> None:
    code = (
        "connect('sim://dp83848@3')\n"
        "print(sr1(MDIO(op='read', phyad=3, regad='PHYSID1')).data)\n"
        "print(physcapy.sr1 is sr1)\n"
    )
    result = run_physcapy("-c", code)
    assert result.stdout.split() == ["8192", "True"], result.stderr


def test_srloop_and_send() -> None:
    bus = open_bus("sim://")
    ans, unans = srloop(
        MDIO(op="read", phyad=1, regad="BMSR"), bus, count=3, inter=0, verbose=False
    )
    assert len(ans) == 3 and len(unans) == 0
    sent = send(MDIO(op="write", phyad=1, regad="ADVERTISE", data=0x0021), bus, return_packets=True)
    assert len(sent) == 1 and bus.read(1, "ADVERTISE") == 0x0021


def test_live_sniff_sees_what_the_pal_does() -> None:
    pal = Pal("sim://lan8720a@1")
    dev = pal.phy_connect(pal.netdev(), "0:01")
    pal.phy_start(dev)
    got = sniff(pal.bus, count=10, timeout=10, started_callback=lambda: pal.run(3))
    assert len(got) == 10
    # phylib's polling: BMCR/BMSR reads of the state machine, decoded.
    assert {p.regad for p in got} <= set(range(32)) and any(p.haslayer("BMSR") for p in got)
    filtered = sniff(
        pal.bus,
        count=2,
        timeout=10,
        lfilter=lambda p: p.regad == 1,
        started_callback=lambda: pal.run(3),
    )
    assert [p.regad for p in filtered] == [1, 1]


# -- 3. register payloads ----------------------------------------------------------------------


def test_register_layers_stack_on_frames_and_carry_data() -> None:
    layer = register_layer("BMCR")
    pkt = MDIO(op="write", phyad=1, regad="BMCR") / layer(restart_autoneg=1, autoneg_enable=1)
    assert bytes(pkt).hex() == "50821200" and pkt.data == 0x1200
    pkt[layer].reset = 1  # DATA follows the register layer
    assert pkt.data == 0x9200 and bytes(pkt).hex() == "50829200"
    # REGAD comes from the layer when not given (bind_layers), as Scapy users expect.
    assert (MDIO(op="write", phyad=1) / layer(reset=1)).regad == 0
    # The value objects stack too: their whole value is DATA.
    assert bytes(MDIO(op="write", phyad=1) / BMCR(0x1200))[2:] == b"\x12\x00"
    answer = MDIO(bytes.fromhex("6086796d"))
    assert answer[BMSR].link_status == 1 and answer["BMSR"].autoneg_complete == 1
    assert BMSR in answer
    assert answer.sprintf("%MDIO.regad% %BMSR.link_status%") == "BMSR 1"
    answer.show()  # prints both layers


def test_vendor_registers_decode_when_the_model_is_known(monkeypatch: pytest.MonkeyPatch) -> None:
    raw_pscsr = bytes.fromhex("60fe1058")  # read PHY 1 register 31 = 0x1058
    assert MDIO(raw_pscsr).payload.name == "NoPayload"  # IEEE set: register 31 is vendor
    monkeypatch.setitem(conf.models, 1, "lan8720a")
    assert MDIO(raw_pscsr)["PSCSR"].speed_indication == 6
    bus = open_bus("sim://generic@1")
    # Identified on the bus by its ID reads / given with models=.
    answer = sr1(MDIO(op="read", phyad=1, regad=31), bus=bus, models={1: "lan8720a"})
    assert answer.payload.spec.model == "lan8720a"


# -- 4. fuzz -----------------------------------------------------------------------------------


def test_fuzzed_packets_summarise_show_build_and_send() -> None:
    for pkt in (
        fuzz(MDIO(op="write", phyad=1)),
        fuzz(MDIO45(op="write", prtad=2)),
        fuzz(register_layer("BMCR")()),
        fuzz(MDIO(op="write", phyad=1) / register_layer("BMCR")()),
    ):
        assert pkt.summary()
        pkt.show()
        assert len(raw(pkt)) in (2, 4)
    fuzzed = fuzz(MDIO(op="write", phyad=1, regad=(0, 3)))
    ans, _ = sr(fuzzed, bus=open_bus("sim://"), count=2)
    assert len(ans) == 2 * len(list(fuzzed))  # Scapy's own expansion of a fuzzed set


def _fuzz_session(seed: int, url: str) -> list[tuple[int, int]]:
    """Fuzzed writes to ADVERTISE, each read back: (written, read) pairs."""
    write = fuzz(MDIO(op="write", phyad=1, regad="ADVERTISE"))
    read = MDIO(op="read", phyad=1, regad="ADVERTISE")
    ans, _ = sr([write, read], bus=open_bus(url), count=20, seed=seed)
    answers = [a for _, a in ans]
    return [(w.data, r.data) for w, r in zip(answers[::2], answers[1::2], strict=True)]


def test_seeded_fuzzing_is_reproducible_and_finds_an_injected_fault() -> None:
    healthy = _fuzz_session(7, "sim://")
    assert healthy == _fuzz_session(7, "sim://")
    assert healthy != _fuzz_session(8, "sim://")
    # A stuck bit 10 (pause) in ADVERTISE: some fuzzed write does not read back.
    broken = _fuzz_session(7, "sim://?fault=1:stuck:4:0x0400:0x0000")
    assert [w for w, r in healthy if r & 0x0400 != w & 0x0400] == []
    assert [w for w, r in broken if r & 0x0400 != w & 0x0400]


# -- 5. captures and sessions as packet lists -----------------------------------------------------


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.name)
def test_rdcapture_gives_the_transactions_decode_gives(capture: Path) -> None:
    need(capture.exists(), str(capture))
    decoded = [
        json.loads(x)
        for x in run_physcapy("decode", str(capture), "--format", "jsonl").stdout.splitlines()
    ]
    pkts = rdcapture(capture)
    assert len(pkts) == len(decoded) > 0
    for p, t in zip(pkts, decoded, strict=True):
        assert p.time == pytest.approx(t["start"], abs=1e-9)
        assert p.data == t["data"]
        assert (p.phyad if isinstance(p, MDIO) else p.prtad) == t["phy"]
        assert (p.regad if isinstance(p, MDIO) else p.devad) == t["reg"]
    annotated = [
        json.loads(x)
        for x in run_physcapy(
            "decode", str(capture), "--annotate", "--format", "jsonl"
        ).stdout.splitlines()
    ]
    named = [p.register_spec().name if p.register_spec() else None for p in pkts]
    # The same registers the annotation names, but for what DATA is not the contents
    # of (an address frame, the address written to register 14).
    expected = [
        None if a["op"] == "address" or a["name"] == "MMD_ADDR" else a["name"] for a in annotated
    ]
    assert named == expected
    if "read_all" in capture.name:
        assert "PSCSR" in named  # the vendor register, once PHYSID identified the part
    offline = sniff(offline=str(capture))
    assert [bytes(p) for p in offline] == [bytes(p) for p in pkts]
    assert [p.time for p in offline] == [p.time for p in pkts]  # the capture's, not now
    assert [p.summary() for p in offline] == [p.summary() for p in pkts]
    later = sniff(offline=capture, count=2, lfilter=lambda p: p.time > pkts[0].time)
    assert [p.time for p in later] == [p.time for p in pkts[1:3]]


def _times(pkts: PacketList) -> list[float]:
    return [round(float(p.time), 9) for p in pkts]


@pytest.mark.parametrize("suffix", [".sr", ".vcd", ".csv", ".jsonl"])
def test_captures_round_trip_through_packets(tmp_path: Path, suffix: str) -> None:
    for capture in CAPTURES:
        first = rdcapture(capture)
        wrcapture(tmp_path / f"once{suffix}", first)
        second = rdcapture(tmp_path / f"once{suffix}")
        wrcapture(tmp_path / f"twice{suffix}", second)
        third = rdcapture(tmp_path / f"twice{suffix}")
        frames = [bytes(p) for p in first]
        assert [bytes(p) for p in second] == frames == [bytes(p) for p in third], capture
        assert [p.comment for p in third] == [p.comment for p in first]
        # Synthesised captures decode to the times they were written at; the real one
        # was sampled on another clock, so its frames move by under one sample period
        # of the synthesis (40 ns at 25 MHz), under 0.1 us.
        assert _times(third) == _times(second)
        assert all(abs(a - b) < 0.1e-6 for a, b in zip(_times(first), _times(second), strict=True))


# -- 6. Scapy's manners ----------------------------------------------------------------------------


def test_ls_explore_raw_hexdump_command_show2(capsys: pytest.CaptureFixture[str]) -> None:
    ls(MDIO)
    ls(BMSR)
    explore("lan8720a")
    out = capsys.readouterr().out
    assert "phyad      : BitField  (5 bits)" in out and "link_status" in out and "PSCSR" in out
    pkt = MDIOPreamble() / MDIO(op="read", phyad=1, regad="BMSR", data=0x796D)
    assert raw(pkt).hex() == "ffffffff6086796d"
    answer = MDIO(bytes.fromhex("6086796d"))
    rebuilt = eval(answer.command(), {"MDIO": MDIO, "BMSR": register_layer("BMSR")})
    assert bytes(rebuilt) == bytes(answer) and rebuilt.summary() == answer.summary()
    answer.show2()
    for layer in (MDIO(), MDIO45(), MDIOPreamble(), register_layer("BMSR")()):
        assert layer.summary()


# -- 7. bad input ------------------------------------------------------------------------------------


def test_bad_input_is_one_clear_error() -> None:
    bus = open_bus("sim://")
    with pytest.raises(RangeError, match="PHYAD 40 .* allowed 0-31"):
        sr(MDIO(op="read", phyad=40), bus=bus)
    with pytest.raises(UnknownNameError, match="Clause 22 register name 'BOGUS'"):
        MDIO(regad="BOGUS")
    with pytest.raises(PhyscapyError, match="allowed MDIO, MDIO45 or Frame"):
        sr("hello", bus=bus)
    with pytest.raises(PhyscapyError, match="OP .* is not a Clause 22 opcode"):
        sr(MDIO(op=0), bus=bus)
    bus.close()
    with pytest.raises(PhyscapyError, match="sim://: the bus is closed"):
        sr1(MDIO(op="read", phyad=1, regad="BMSR"), bus=bus)
    emulated = open_bus("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1")
    emulated.close()
    with pytest.raises(PhyscapyError, match="the bus is closed"):
        send(MDIO(op="write", phyad=1, regad="BMCR", data=0), emulated)


def test_the_shell_sends_and_shows_the_answer(tmp_path: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "physcapy", "shell", "sim://lan8720a@1"],
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 240),
        env={**os.environ, "TERM": "xterm", "NO_COLOR": "1", "IPYTHONDIR": str(tmp_path)},
    )
    try:
        child.expect(r"In \[1\]")
        child.sendline('sr1(MDIO(op="read", phyad=1, regad="BMSR"))')
        child.expect("BMSR")
        child.expect("link_status=1")
        child.sendline('sr1(MDIO(op="read", phyad=40, regad="BMSR"))')
        child.expect("physcapy: error: PHYAD 40 \\(0x28\\) is out of range")
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert "Traceback" not in (child.before or "")


def test_command_line_scripts_use_the_workflow() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "physcapy",
            "-c",
            "ans, unans = sr(MDIO(op='read', phyad=[1, 2], regad='BMSR')); print(len(ans), len(unans))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["1", "1"], result.stderr
    assert physcapy.sniff is sniff
