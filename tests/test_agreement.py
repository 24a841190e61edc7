# SPDX-License-Identifier: GPL-2.0-only
"""The frame representations agree bit for bit: Frame, Scapy, construct and the batch codec."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physcapy.errors import FrameError, RangeError
from physcapy.mdio import batch
from physcapy.mdio.frames import C22_OPS, C45_OPS, Frame
from physcapy.mdio.scapy import MDIO, MDIO45, MDIOPreamble
from physcapy.registers.cstructs import MDIO_FRAME

#: Under `make mutate` (derandomized: every mutant meets the same frames) 400 examples
#: do what 10,000 random ones do in the suite, at 0.6 s a mutant instead of 15 s.
N = 400 if os.environ.get("PHYSCAPY_HYPOTHESIS") == "mutate" else 10_000


def random_frames(n: int, seed: int = 2026) -> np.ndarray:
    rng = np.random.default_rng(seed)
    st_ = rng.integers(0, 2, n)
    # Clause 22 has opcodes 01/10 only; Clause 45 all four.
    op = np.where(st_ == 1, rng.integers(1, 3, n), rng.integers(0, 4, n))
    return batch.frames(
        st=st_,
        op=op,
        phy=rng.integers(0, 32, n),
        reg=rng.integers(0, 32, n),
        ta=rng.integers(0, 4, n),
        data=rng.integers(0, 0x10000, n),
    )


def test_four_representations_agree_on_10000_random_frames() -> None:
    f = random_frames(N)
    assert batch.validate(f).size == 0
    codec_bits = batch.encode_bits(f)
    codec_bytes = np.packbits(codec_bits, axis=1)
    op_names = {1: {v: k for k, v in C22_OPS.items()}, 0: {v: k for k, v in C45_OPS.items()}}
    for i in range(N):
        st_, op, phy, reg, ta, data = (int(x) for x in f[i])
        wire = codec_bytes[i].tobytes()
        frame = Frame(22 if st_ == 1 else 45, op_names[st_][op], phy, reg, data, ta)
        assert frame.wire_bytes() == wire
        assert frame.bits() == "".join(map(str, codec_bits[i]))

        c = MDIO_FRAME.parse(wire)
        assert (c.pre, int(c.st), c.op, c.phyad, c.regad, c.ta, c.data) == (
            0xFFFFFFFF,
            st_,
            op,
            phy,
            reg,
            ta,
            data,
        )
        assert (
            MDIO_FRAME.build(
                {
                    "pre": 0xFFFFFFFF,
                    "st": st_,
                    "op": op,
                    "phyad": phy,
                    "regad": reg,
                    "ta": ta,
                    "data": data,
                }
            )
            == wire
        )

        cls = MDIO if st_ == 1 else MDIO45
        a1, a2 = ("phyad", "regad") if st_ == 1 else ("prtad", "devad")
        pkt = cls(op=op, ta=ta, data=data, **{a1: phy, a2: reg})
        assert bytes(MDIOPreamble() / pkt) == wire
        dissected = MDIOPreamble(wire).payload
        assert type(dissected) is cls
        assert (
            dissected.op,
            getattr(dissected, a1),
            getattr(dissected, a2),
            dissected.ta,
            dissected.data,
        ) == (op, phy, reg, ta, data)
    assert (batch.decode_bits(codec_bits) == f).all()


@st.composite
def valid_frames(draw: st.DrawFn) -> Frame:
    clause = draw(st.sampled_from([22, 45]))
    ops = C22_OPS if clause == 22 else C45_OPS
    return Frame(
        clause,
        draw(st.sampled_from(sorted(ops))),
        draw(st.integers(0, 31)),
        draw(st.integers(0, 31)),
        draw(st.integers(0, 0xFFFF)),
        draw(st.integers(0, 3)),
    )


@settings(max_examples=N, deadline=None)
@given(valid_frames())
def test_property_scapy_construct_codec_agree(frame: Frame) -> None:
    """For 10,000 generated frames: build -> parse is the identity in every representation."""
    wire = frame.wire_bytes()
    codec = batch.frames(
        st=frame.st, op=frame.opcode, phy=frame.phy, reg=frame.reg, ta=frame.ta, data=frame.data
    )
    assert np.packbits(batch.encode_bits(codec)).tobytes() == wire
    assert (batch.decode_bits(batch.encode_bits(codec)) == codec).all()
    c = MDIO_FRAME.parse(wire)
    assert MDIO_FRAME.build(c) == wire
    assert (c.phyad, c.regad, c.ta, c.data) == (frame.phy, frame.reg, frame.ta, frame.data)
    cls = MDIO if frame.clause == 22 else MDIO45
    pkt = MDIOPreamble(wire).payload
    assert type(pkt) is cls and bytes(MDIOPreamble() / cls(bytes(pkt))) == wire
    assert pkt.frame() == frame
    assert Frame.from_bits(frame.bits()) == frame


@given(st.integers(0, 0xFFFFFFFF))
def test_any_word_decodes_the_same_everywhere(word: int) -> None:
    """Every 32-bit pattern, valid or not: the batch codec, construct and Scapy split it alike."""
    raw = word.to_bytes(4, "big")
    d = batch.decode_words(np.array([word], dtype=np.uint32))[0]
    c = MDIO_FRAME.parse(b"\xff" * 4 + raw)
    p = MDIO(raw)
    fields = (
        int(d["st"]),
        int(d["op"]),
        int(d["phy"]),
        int(d["reg"]),
        int(d["ta"]),
        int(d["data"]),
    )
    assert fields == (int(c.st), c.op, c.phyad, c.regad, c.ta, c.data)
    assert fields == (
        p.st,
        p.op,
        p.fields[p.fields_desc[2].name],
        p.fields[p.fields_desc[3].name],
        p.ta,
        p.data,
    )
    assert int(batch.encode_words(batch.decode_words([word]))[0]) == word
    try:
        frame = Frame.from_word(word)
    except FrameError:
        assert batch.validate(d.reshape(1)).size == 1
    else:
        assert frame.word == word and batch.validate(d.reshape(1)).size == 0


def test_batch_codec_errors_name_the_frame() -> None:
    with pytest.raises(RangeError, match="PHYAD/PRTAD 32 at index 2 is out of range: allowed 0-31"):
        batch.frames(phy=[0, 1, 32])
    with pytest.raises(RangeError, match="DATA 65536 at index 0"):
        batch.frames(data=[0x10000])
    bits = batch.encode_bits(batch.frames(phy=[1, 2, 3]))
    bits[1, 5] = 0
    with pytest.raises(FrameError, match="frame 1 has a 0 inside its 32-bit preamble"):
        batch.decode_bits(bits)
    with pytest.raises(FrameError, match="not \\(frames, bits >= 32\\)"):
        batch.decode_bits(np.zeros((3, 31), dtype=np.uint8))


@pytest.mark.parametrize("preamble", [0, 1, 7, 8, 31, 32, 33])
def test_batch_codec_any_preamble(preamble: int) -> None:
    f = random_frames(100, seed=preamble)
    bits = batch.encode_bits(f, preamble=preamble)
    assert bits.shape == (100, preamble + 32)
    assert (batch.decode_bits(bits, preamble=preamble) == f).all()
    one = Frame.from_bits("".join(map(str, bits[0])))
    assert one.preamble == preamble and one.word == int(batch.encode_words(f[:1])[0])


def test_scapy_request_response_matching() -> None:
    req = MDIO(op="read", phyad=1, regad="BMSR")
    resp = MDIO(op="read", phyad=1, regad=1, data=0x796D)
    assert resp.answers(req) and req.hashret() == resp.hashret()
    assert not MDIO(op="read", phyad=2, regad=1).answers(req)
    assert not MDIO(op="write", phyad=1, regad=1).answers(req)
    assert not MDIO45(op="read", prtad=1, devad=1).answers(req)
    assert MDIO45(op="read", prtad=0, devad="AN", data=5).answers(MDIO45(op="read", devad=7))


def test_scapy_layer_conveniences() -> None:
    p = MDIO(op="write", phyad=3, regad="BMCR", data=0x9140)
    assert p.summary() == "MDIO write PHY 3 BMCR = 0x9140"
    assert p.command() == "MDIO(op=1, phyad=3, regad=0, data=37184)"
    assert eval(p.command(), {"MDIO": MDIO}) == p
    assert p.frame() == Frame(22, "write", 3, 0, 0x9140)
    assert "BMCR" in p.show(dump=True) and "0x9140" in p.show2(dump=True)
    assert [x.regad for x in MDIO(op="read", phyad=1, regad=(0, 31))] == list(range(32))
    assert len(list(MDIO(op="read", phyad=(0, 3), regad=["BMCR", "BMSR"]))) == 8
    from physcapy.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="unknown Clause 22 register name 'FOO'"):
        MDIO(regad="FOO")
    # Any field values physcapy's layer is given come back from its own bytes.
    for op, phyad, regad, data in [(2, 31, 31, 0xFFFF), (1, 0, 0, 0), (2, 17, 5, 0xA5C3)]:
        wire = bytes(MDIO(op=op, phyad=phyad, regad=regad, data=data))
        back = MDIO(wire)
        assert (back.op, back.phyad, back.regad, back.data) == (op, phyad, regad, data)
    from scapy.utils import hexdump

    assert "51 82 91 40" in hexdump(p, dump=True)
    assert MDIO(op="read", phyad=1, regad=1, data=0x796D).register().link_status == 1


@pytest.mark.parametrize("pre", [1, 5, 31, 32, 40])
def test_batch_decode_refuses_a_0_anywhere_in_a_preamble_of_any_length(pre: int) -> None:
    f = batch.frames(3, op=2, phy=[1, 2, 3], reg=1, data=0x796D)
    bits = batch.encode_bits(f, preamble=pre)
    assert (batch.decode_bits(bits) == f).all()
    for where in (0, pre - 1):
        bad = bits.copy()
        bad[1, where] = 0
        with pytest.raises(FrameError, match=f"frame 1 has a 0 inside its {pre}-bit preamble"):
            batch.decode_bits(bad)
