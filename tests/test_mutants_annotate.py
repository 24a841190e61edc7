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

import random
import sys
from pathlib import Path

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


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text("\n".join(golden_lines()) + "\n")
    sys.exit(0)
