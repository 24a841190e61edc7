# SPDX-License-Identifier: GPL-2.0-only
"""Annotation pinned line by line over varied traffic (issue 23: mutants of annotate.py).

The hand-written tests in test_replay.py/test_sessions_shipped.py check the labels a person
looks for; mutation testing showed most of the annotator's corners (Clause 45 read_inc,
PHYSID over Clause 45, indirect spaces written and read, shadow read-selects, undescribed
pages, damaged frames, 13/14 functions) were reached but not pinned.  Here a fixed,
seeded mix of such traffic for parts of every kind is annotated, and every annotation
(its text, model, register key, decoded fields, register description) is compared with
tests/data/annotate_golden.txt.  After a deliberate change to the annotator, review the
difference and rewrite the file with ``python tests/test_mutants_annotate.py``.
"""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import pytest

from physcapy.capture.session import read_session
from physcapy.mdio.transactions import Transaction
from physcapy.registers.models import model
from physcapy.resources import sessions_dir
from physcapy.traffic import annotate as annotate_module
from physcapy.traffic.annotate import Annotation, Annotator, annotate

GOLDEN = Path(__file__).parent / "data" / "annotate_golden.txt"

#: Parts of every kind: plain, paged (RTL8211F, with page aliases), MMD over 13/14
#: (KSZ9031, DP83867), indirect address space (YT8521 EXT), shadow spaces with a read
#: select (BCM54213PE SHD/AUX, EXP), a PAGE register without modelled pages (88E1111),
#: Clause 45 parts, and the IEEE fallback.
C22 = ["ieee802.3", "lan8720a", "rtl8211f", "ksz9031", "dp83867", "yt8521", "bcm54213pe", "88e1111"]
C45 = ["generic-c45", "aqr113c"]
BMCR = [0x8000, 0x1200, 0x3300, 0x0200, 0x0100, 0x1000, 0x0000, 0x2100, 0x0001, 0x1001, 0x1201]


def _line(a: Annotation) -> str:
    fields = ",".join(str(v) for v in a.fields.values())  # their names come from the spec
    spec = a.spec.name if a.spec is not None else "-"
    return f"{a}|{a.model}|{a.key}|{spec}|{fields}"


class _Traffic:
    """Seeded transactions: start times sometimes closer than the BMSR pair gap."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = 0.0

    def t(
        self, clause: int, op: str, phy: int, reg: int, data: int, addr: int | None = None
    ) -> Transaction:
        self.now += self.rng.choice([0.0002, 0.0004, 0.02])
        errors = self.rng.choices([[], ["turnaround"], ["preamble"], ["truncated"]], [16, 2, 1, 1])[
            0
        ]
        if op not in ("read", "read_inc"):
            errors = [e for e in errors if e == "preamble"]
        return Transaction(
            self.now, self.now + 0.0001, clause, op, phy, reg, data, addr, list(errors)
        )


def _c22_traffic(name: str, seed: int) -> list[Transaction]:
    m = model(name)
    g = _Traffic(seed)
    rng = g.rng
    pid = m.phy_id or 0
    out = [g.t(22, "read", 1, 2, pid >> 16), g.t(22, "read", 1, 3, pid & 0xFFFF)]
    regs = [0, 0, 1, 1, 1, 2, 3, 13, 14, 14, 22, 31, rng.randrange(32)]
    for space in m.spaces.values():
        regs += [space.select] * 6 + ([space.data] * 4 if space.kind == "address" else [])
    pages = [*sorted(m.pages), 0, 0xA42, 5, 3]
    for _ in range(100):
        reg = rng.choice(regs)
        op = rng.choice(["read", "read", "write"])
        data = rng.randrange(0x10000)
        if reg == 0 and op == "write":
            data = rng.choice(BMCR)
        elif reg == 0:
            data = rng.choice([0x8000, 0x1140, 0x0000, 0x0001, 0x8001])
        elif reg == 13:
            data = rng.randrange(4) << 14 | rng.choice([1, 3, 7, 31, 2, 28])
        elif reg == 14 and rng.random() < 0.5:
            data = rng.choice([0, 1, 2, 4, 5, 0x14, 0x3C, 0x8F])
        elif reg in (22, 31) and op == "write" and rng.random() < 0.7:
            data = rng.choice(pages)
        for space in m.spaces.values():
            if reg == space.select and space.kind == "address" and rng.random() < 0.7:
                data = space.select_base | rng.choice([*sorted(space.registers), 0x77])
            elif reg == space.select and space.kind == "shadow" and rng.random() < 0.7:
                msb, lsb = space.selector
                number = rng.choice([*sorted(space.registers), 0])
                data = (number << lsb) | rng.randrange(0x10000) & ~(
                    ((1 << (msb - lsb + 1)) - 1) << lsb
                )
        out.append(g.t(22, op, 1, reg, data))
    return out


def _c45_traffic(name: str, seed: int) -> list[Transaction]:
    m = model(name)
    g = _Traffic(seed)
    rng = g.rng
    pid = m.phy_id or 0
    devads = [1, 3, 7, *sorted(m.mmds)[-1:]]
    out = [
        g.t(45, "read", 2, 1, 0x1234),  # no address frame seen yet
        g.t(45, "address", 2, 1, 2),
        g.t(45, "read_inc", 2, 1, pid >> 16),
        g.t(45, "read", 2, 1, pid & 0xFFFF),
    ]
    for _ in range(60):
        op = rng.choice(["address", "address", "read", "read_inc", "write"])
        devad = rng.choice(devads)
        data = (
            rng.choice([0, 1, 2, 3, 4, 5, 7, 8, 0x10, 0x20, 0xFFFF])
            if op == "address"
            else rng.randrange(0x10000)
        )
        addr = rng.choice([None, None, None, 0, 2, 0xFFFF]) if op != "address" else None
        out.append(g.t(45, op, 2, devad, data, addr))
    return out


def golden_lines() -> list[str]:
    lines: list[str] = []
    for i, name in enumerate(C22):
        traffic = _c22_traffic(name, i)
        lines.append(f"# {name}, identified from PHYSID")
        lines += [_line(a) for a in annotate(traffic)]
        lines.append(f"# {name}, given")
        lines += [_line(a) for a in annotate(traffic, {1: name})]
    for i, name in enumerate(C45):
        traffic = _c45_traffic(name, 100 + i)
        lines.append(f"# {name}, identified over Clause 45")
        lines += [_line(a) for a in annotate(traffic)]
        lines.append(f"# {name}, given")
        lines += [_line(a) for a in annotate(traffic, {2: model(name)})]
    for path in sorted(sessions_dir().glob("*.jsonl")):
        lines.append(f"# session {path.name}")
        s = read_session(path)
        lines += [_line(a) for a in annotate(s.transactions, dict(s.meta.models))]
    return lines


def test_annotations_match_the_pinned_golden_file() -> None:
    # From cold caches (field plans, page selects and aliases are memoised per model).
    annotate_module._FIELDS.clear()
    annotate_module._SELECT.clear()
    annotate_module._ALIASES.clear()
    expected = GOLDEN.read_text().splitlines()
    got = golden_lines()
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert g == e, f"line {i + 1}"


def test_annotator_remembers_per_address_and_reports_model_at() -> None:
    a = Annotator({3: "rtl8211f"})
    assert a.model_at(3) is None  # nothing seen at 3 yet
    a(Transaction(0, 1e-4, 22, "read", 3, 0, 0x1140))
    assert a.model_at(3) is model("rtl8211f")
    a(Transaction(0, 1e-4, 22, "read", 4, 0, 0x1140))
    assert a.model_at(4) is None  # the IEEE fallback is no identification


def test_to_dict_adds_name_fields_model_and_only_a_known_register_and_a_note() -> None:
    a = Annotator()
    bmcr = a(Transaction(0.5, 0.6, 22, "write", 1, 0, 0x8000))
    assert bmcr.to_dict() == {
        **bmcr.transaction.to_dict(),
        "name": "BMCR",
        "fields": bmcr.fields,
        "model": None,
        "register": "0",
        "note": "soft reset (BMCR.reset)",
    }
    assert bmcr.fields["reset"] == 1
    unknown = a(Transaction(0.7, 0.8, 45, "read", 1, 1, 0x1234))
    assert unknown.to_dict() == {
        **unknown.transaction.to_dict(),
        "name": None,
        "fields": {},
        "model": None,
        "note": "register address unknown (set before the capture)",
    }
    plain = a(Transaction(0.9, 1.0, 22, "read", 1, 2, 0x0007))
    assert "note" not in plain.to_dict() and plain.to_dict()["register"] == "2"


def test_two_bmsr_reads_are_one_genphy_update_link_when_under_1_ms_apart() -> None:
    a = Annotator()
    second = "second BMSR read (genphy_update_link: the first flushes the latch)"
    reads = [(-1e-4, 0.0), (0.001, 0.0011), (0.002, 0.0021), (0.0029, 0.003)]  # gaps 1, 0.9, 0.8 ms
    notes = [a(Transaction(start, end, 22, "read", 1, 1, 0x7809)).note for start, end in reads]
    assert notes == ["", "", second, ""]  # exactly 1 ms is no pair; a third read starts over


def test_every_model_describes_mmd_control_and_data_together() -> None:
    """22.2.4.3.11: registers 13 and 14 come as a pair (the annotator tests for 13)."""
    from physcapy.registers.models import all_models

    assert [m.name for m in all_models() if (13 in m.registers) != (14 in m.registers)] == []


def test_broadcom_shadow_selects_reads_and_writes() -> None:
    """0x18 AUXCTL: a write of shadow 7 without bit 15 selects the shadow to read
    (bits 14:12); shadows 0-6 and MISC with bit 15 are written at once.  0x1C: bit 15
    writes, else selects."""
    traffic = [
        (24, "write", 0x7007), (24, "read", 0x71F7), (24, "write", 0x0C00), (24, "write", 0xF1F7),
        (24, "write", 0x2007), (24, "write", 0x0002), (28, "write", 0x2C00), (28, "read", 0x2C1F),
        (28, "write", 0xB4FF),
    ]  # fmt: skip
    got = [
        (a.key, a.name, a.note, a.fields)
        for a in annotate(
            [
                Transaction(i / 10, i / 10, 22, op, 1, reg, data)
                for i, (reg, op, data) in enumerate(traffic)
            ],
            {1: "bcm54213pe"},
        )
    ]
    assert got == [
        ("AUX:0x7", None, "AUX select MISC", {}),
        ("AUX:0x7", "MISC", "AUX read", {"write_enable": 0, "read_shadow": 7, "force_amdix": 0,
                                         "rgmii_skew_en": 1, "rgmii_en": 1, "wirespeed_en": 1, "shadow": 7}),
        ("AUX:0x0", "AUXCTL", "AUX write", {"ext_pkt_len": 0, "smdsp_ena": 1, "tx_6db": 1, "shadow": 0}),
        ("AUX:0x7", "MISC", "AUX write", {"write_enable": 1, "read_shadow": 7, "force_amdix": 0,
                                          "rgmii_skew_en": 1, "rgmii_en": 1, "wirespeed_en": 1, "shadow": 7}),
        ("AUX:0x2", None, "AUX select 0x2", {}),
        ("AUX:0x2", None, "AUX write", {}),
        ("SHD:0xb", None, "SHD select RGMII_MODE", {}),
        ("SHD:0xb", "RGMII_MODE", "SHD read", {"write_enable": 0, "shadow": 11, "mode": 31}),
        ("SHD:0xd", "LEDS1", "SHD write", {"write_enable": 1, "shadow": 13, "led3": "on", "led1": "on"}),
    ]  # fmt: skip


def _notes(
    traffic: list[tuple[float, int, str, int]], models: dict[int, str] | None = None
) -> list[tuple[str | None, str | None, str]]:
    """(key, name, note) of each (start, reg, op, data) access to PHY 1, 0.1 ms long."""
    ts = [Transaction(t, t + 1e-4, 22, op, 1, reg, data) for t, reg, op, data in traffic]
    return [(a.key, a.name, a.note) for a in annotate(ts, models)]


def test_mmd_functions_increment_the_address_as_22_2_4_3_11_says() -> None:
    """Register 13's function: 01 data (no increment), 10 post-increment on reads and
    writes, 11 post-increment on writes only; the address wraps at 16 bits."""
    traffic = [
        (0.0, 13, "write", 0x0003), (0.1, 14, "write", 0x0014),  # DEVAD 3, register 0x14
        (0.2, 13, "write", 0x4003), (0.3, 14, "read", 0), (0.4, 14, "read", 0),
        (0.5, 13, "write", 0x8003), (0.6, 14, "read", 0), (0.7, 14, "write", 0), (0.8, 14, "read", 0),
        (0.9, 13, "write", 0xC003), (1.0, 14, "read", 0), (1.1, 14, "write", 0), (1.2, 14, "read", 0),
        (1.3, 13, "write", 0x0003), (1.4, 14, "write", 0xFFFF),
        (1.5, 13, "write", 0x8003), (1.6, 14, "read", 0), (1.7, 14, "read", 0),
    ]  # fmt: skip
    keys = [k for k, _, _ in _notes(traffic)]
    assert keys[3:5] == ["3.0x14", "3.0x14"]
    assert keys[6:9] == ["3.0x14", "3.0x15", "3.0x16"]
    assert keys[10:13] == ["3.0x17", "3.0x17", "3.0x18"]
    assert keys[16:] == ["3.0xffff", "3.0x0"]


def test_mmd_register_names_and_fields_come_from_its_description_and_a_good_frame() -> None:
    """An MMD register no description lists has no name or fields; a damaged read of a
    described one is named but not decoded (its data is not trustworthy)."""
    setup = [Transaction(0, 0, 22, "write", 1, 13, 0x0003), Transaction(0, 0, 22, "write", 1, 14, 0x7777),
             Transaction(0, 0, 22, "write", 1, 13, 0x4003)]  # fmt: skip
    (unknown,) = list(annotate([*setup, Transaction(1, 1, 22, "read", 1, 14, 0x1234)]))[3:]
    assert (unknown.key, unknown.name, unknown.spec, unknown.fields) == ("3.0x7777", None, None, {})
    setup[1] = Transaction(0, 0, 22, "write", 1, 14, 0x0001)  # PCS status 1
    bad = Transaction(1, 1, 22, "read", 1, 14, 0x0004, None, ["turnaround"])
    good = Transaction(2, 2, 22, "read", 1, 14, 0x0004)
    damaged, fine = list(annotate([*setup, bad, good]))[3:]
    assert (damaged.key, damaged.name, damaged.fields) == ("3.0x1", fine.name, {})
    assert fine.name is not None and fine.fields


SECOND = "second BMSR read (genphy_update_link: the first flushes the latch)"


@pytest.mark.parametrize(
    ("between", "model_name"),
    [((13, "write", 0x0003), "ieee802.3"), ((30, "write", 0x0000), "yt8521"),
     ((31, "read", 0x0000), "yt8521"), ((28, "write", 0x2C00), "bcm54213pe"),
     ((0, "read", 0x1140), "ieee802.3")],
)  # fmt: skip
def test_any_access_between_two_bmsr_reads_makes_them_no_pair(
    between: tuple[int, str, int], model_name: str
) -> None:
    """genphy_update_link reads BMSR twice in a row: with an access between (13/14, an
    indirect register space, any register) the reads are separate, even within 1 ms."""
    reg, op, data = between
    notes = _notes([(0.0, 1, "read", 0x7809), (0.0002, reg, op, data), (0.0004, 1, "read", 0x7809),
                    (0.0006, 1, "read", 0x7809)], {1: model_name})  # fmt: skip
    assert [n for _, _, n in notes][2:] == ["", SECOND]


def test_bmsr_reads_pair_up_two_by_two_and_a_first_read_is_never_second() -> None:
    """Back-to-back genphy_update_link calls: reads 2 and 4 complete pairs; a BMSR read
    right after another access (an indirect one) starts a pair."""
    notes = _notes([(0.0, 1, "read", 0), (0.0002, 1, "read", 0), (0.0004, 1, "read", 0),
                    (0.0006, 1, "read", 0)])  # fmt: skip
    assert [n for _, _, n in notes] == ["", SECOND, "", SECOND]
    notes = _notes([(0.0, 30, "write", 0xA001), (0.0002, 1, "read", 0)], {1: "yt8521"})
    assert notes[1] == ("1", "BMSR", "")


def test_a_damaged_bmcr_read_does_not_end_a_reset_poll() -> None:
    """22.2.4.1.1: the reset bit (15; the others, reserved bit 0 too, do not matter)
    reads 1 until the reset is done; a read whose data the capture did not hold whole
    says nothing about it."""
    ts = [Transaction(0.0, 0.0, 22, "write", 1, 0, 0x8000),
          Transaction(0.1, 0.1, 22, "read", 1, 0, 0x0000, None, ["truncated"]),
          Transaction(0.2, 0.2, 22, "read", 1, 0, 0x8000),
          Transaction(0.3, 0.3, 22, "read", 1, 0, 0x1141),  # bit 0: reserved, ignored on read
          Transaction(0.4, 0.4, 22, "read", 1, 0, 0x1140)]  # fmt: skip
    assert [a.note for a in annotate(ts)] == [
        "soft reset (BMCR.reset)", "", "reset poll: still in reset", "reset poll: reset done", "",
    ]  # fmt: skip


def test_marvell_pages_hold_registers_16_to_30_and_the_default_page_is_page_0() -> None:
    """88E1118: register 22 selects the page of registers 16-30 (not 22 itself, not 31);
    before any select (as after reset) page 0 is in use; a page the description does not
    cover is named by page."""
    notes = _notes(
        [(0.0, 16, "read", 0), (0.1, 22, "write", 3), (0.2, 16, "read", 0), (0.3, 17, "read", 0),
         (0.4, 30, "read", 0), (0.5, 15, "read", 0), (0.6, 22, "write", 0), (0.7, 17, "read", 0),
         (0.8, 30, "read", 0)],
        {1: "88e1118"},
    )  # fmt: skip
    assert [(k, n) for k, n, _ in notes] == [
        ("16", "PSCR"), ("22", "EXT_ADDR"), ("0x3:16", "LEDFCR"), ("0x3:17", None), ("0x3:30", None),
        ("15", "ESTATUS"), ("22", "EXT_ADDR"), ("17", "PSSR"), ("30", "UNDOC_DATA"),
    ]  # fmt: skip


def test_register_31_is_never_paged_and_a_model_without_sim_table_has_no_page_aliases() -> None:
    """The description format's rule: pages hold registers paged_from-30 except the page
    register, so a register 31 a file describes is the same on every page."""
    base = model("88e1118")
    extra = dataclasses.replace(base.registers[30], address=31, name="EXTRA31")
    custom = dataclasses.replace(
        base, name="test-88e1118-r31", registers={**base.registers, 31: extra}, sim={"bogus": 1}
    )
    ts = [Transaction(0, 0, 22, "write", 1, 22, 3), Transaction(1, 1, 22, "read", 1, 31, 0),
          Transaction(2, 2, 22, "read", 1, 16, 0)]  # fmt: skip
    assert [(a.key, a.name) for a in annotate(ts, {1: custom})][1:] == [
        ("31", "EXTRA31"), ("0x3:16", "LEDFCR"),
    ]  # fmt: skip


def test_a_shadow_access_is_named_by_its_space_even_if_the_register_is_described() -> None:
    """Broadcom 0x1C: the shadow selected (bits 14:10) names the access, not a
    description of register 0x1C itself."""
    base = model("bcm54213pe")
    own = dataclasses.replace(base.registers[0], address=28, name="SHADOW_1C")
    custom = dataclasses.replace(base, name="test-bcm-1c", registers={**base.registers, 28: own})
    ts = [
        Transaction(0, 0, 22, "write", 1, 28, 0x2C00),
        Transaction(1, 1, 22, "read", 1, 28, 0x2C1F),
    ]
    assert [(a.key, a.name, a.note) for a in annotate(ts, {1: custom})] == [
        ("SHD:0xb", None, "SHD select RGMII_MODE"), ("SHD:0xb", "RGMII_MODE", "SHD read"),
    ]  # fmt: skip


def test_each_description_decodes_with_its_own_fields_even_after_others_are_freed() -> None:
    """Models made and dropped in turn (a notebook reloading a register file): each
    register description decodes by its own fields, whatever memory it reuses."""
    base = model("ieee802.3")
    for i, source in enumerate([0, 1, 4, 5] * 3):
        spec = dataclasses.replace(base.registers[source], address=0, name=f"R{i}")
        custom = dataclasses.replace(base, name=f"test-fields-{i}", registers={0: spec})
        (a,) = annotate([Transaction(0, 0, 22, "read", 1, 0, 0xFFFF)], {1: custom})
        assert list(a.fields) == [f.name for f in base.registers[source].named_fields]
        del spec, custom, a


def test_clause45_physid_reads_identify_only_when_no_model_was_given() -> None:
    """1.2/1.3 (45.2.1.3) identify the part, unless the user gave the model; PHYSID2
    without PHYSID1 identifies nothing."""
    aqr = model("aqr113c").phy_id or 0
    ts = [Transaction(0, 0, 45, "read", 2, 1, aqr >> 16, addr=2),
          Transaction(1, 1, 45, "read", 2, 1, aqr & 0xFFFF, addr=3)]  # fmt: skip
    assert [a.model for a in annotate(ts)] == [None, "aqr113c"]
    assert [a.model for a in annotate(ts, {2: "generic-c45"})] == ["generic-c45", "generic-c45"]
    assert [a.model for a in annotate(ts[1:])] == [None]


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text("\n".join(golden_lines()) + "\n")
    sys.exit(0)
