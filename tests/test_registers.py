# SPDX-License-Identifier: GPL-2.0-only
"""Register descriptions: every file loads, and every register decodes the same three ways."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from physcapy.errors import RangeError, UnknownNameError
from physcapy.registers.cstructs import register_struct
from physcapy.registers.models import all_models, model, model_for_id
from physcapy.registers.regdesc import RegisterSpec
from physcapy.registers.values import EnumValue, register, register_class, register_packet_class


def unique_specs() -> Iterator[RegisterSpec]:
    """Each register definition once (inherited copies share their file and line)."""
    seen: set[tuple[object, ...]] = set()
    for m in all_models():
        for spec in m.all_registers():
            key = (spec.file, spec.line, spec.devad, spec.page, spec.address)
            if key not in seen:
                seen.add(key)
                yield spec


SPECS = list(unique_specs())


def values_for(spec: RegisterSpec) -> list[int]:
    """Every value of every field up to 8 bits wide (others random), walking bits, extremes."""
    rng = random.Random(f"{spec.model}/{spec.key}")
    out = {0, 0xFFFF, spec.reset, 0xAAAA, 0x5555}
    out |= {1 << b for b in range(16)} | {0xFFFF ^ (1 << b) for b in range(16)}
    for f in spec.fields:
        choices = (
            range(f.maximum + 1)
            if f.width <= 8
            else [rng.randrange(f.maximum + 1) for _ in range(64)]
        )
        for v in choices:
            out.add(f.insert(rng.randrange(0x10000), v))
    return sorted(out)


def check_round_trip(spec: RegisterSpec, values: list[int], cross: bool = True) -> None:
    """Decode and rebuild each value as value object, Scapy layer and construct structure.

    ``cross`` also converts between them (value object -> packet/Container), which the
    sampled test does; the exhaustive tests skip it to halve their time.
    """
    value_cls = register_class(spec)
    packet_cls = register_packet_class(spec)
    struct = register_struct(spec)
    names = [f.name for f in spec.fields]
    for v in values:
        raw = v.to_bytes(2, "big")
        expected = {f.name: (v >> f.lsb) & ((1 << f.width) - 1) for f in spec.fields}
        obj = value_cls(v)
        assert obj.fields(reserved=True) == expected, (spec.name, hex(v))
        assert int(value_cls(0, **{n: expected[n] for n in names})) == v
        pkt = packet_cls(raw)
        assert {n: int(pkt.getfieldval(n)) for n in names} == expected, (spec.name, hex(v))
        assert bytes(packet_cls(**{n: expected[n] for n in names})) == raw
        parsed = struct.parse(raw)
        assert {n: int(parsed[n]) for n in names} == expected, (spec.name, hex(v))
        assert struct.build(parsed) == raw
        if cross:
            assert bytes(obj.packet()) == raw and struct.build(obj.parsed()) == raw


def test_there_are_many_registers() -> None:
    assert len(SPECS) > 150


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.model}:{s.key}:{s.name}")
def test_register_round_trips(spec: RegisterSpec) -> None:
    assert [f for f in spec.fields if f.msb < f.lsb] == []
    covered = 0
    for f in spec.fields:
        assert covered & f.mask == 0
        covered |= f.mask
    assert covered == 0xFFFF, "fields and reserved gaps must cover all 16 bits"
    check_round_trip(spec, values_for(spec))


@pytest.mark.parametrize(
    ("model_name", "reg"),
    [
        (None, "BMCR"),
        (None, "BMSR"),
        ("lan8720a", "0x1f"),
    ],
)
def test_every_16_bit_value_of_key_registers(model_name: str | None, reg: str) -> None:
    check_round_trip(model(model_name).register(reg), list(range(0x10000)), cross=False)


# -- the value object ------------------------------------------------------------------------


def test_bmsr_0x796d() -> None:
    from physcapy import BMSR

    r = BMSR(0x796D)
    assert (r.link_status, r.autoneg_complete, r.autoneg_ability, r.extended_status) == (1, 1, 1, 1)
    assert (r.cap_100base_x_fd, r.cap_10_hd, r.cap_100base_t4, r.jabber_detect) == (1, 1, 0, 0)
    assert int(r) == 0x796D and r == 0x796D and repr(r) == "BMSR(0x796d)"
    assert "+link" in r.flags() and "-jabber" in r.flags() and "+aneg-complete" in r.flags()
    assert "(0004:0004) 1.2 = 1 link status" in r.mii_dump()
    assert "link_status" in dir(r)
    assert r.diff(0x7969) == {"link_status": (1, 0)}


def test_value_object_assignment_and_errors() -> None:
    from physcapy import BMCR

    c = BMCR()
    assert int(c) == 0x1140  # reset value
    c.reset = 1
    c.duplex = "half"
    assert int(c) == 0x9040 and c.duplex == "half" and c.duplex == 0
    assert isinstance(c.duplex, EnumValue) and repr(c.duplex) == "0 (half)"
    assert int(BMCR(0, autoneg_enable=1, speed_msb=1)) == 0x1040
    with pytest.raises(
        RangeError, match=r"BMCR.duplex 2 \(0x2\) does not fit 1 bit \(8\): allowed 0-1"
    ):
        c.duplex = 2
    with pytest.raises(UnknownNameError, match="unknown value of BMCR.duplex 'quarter'"):
        c.duplex = "quarter"
    with pytest.raises(AttributeError, match="unknown field of BMCR 'speed'"):
        c.speed = 1
    with pytest.raises(RangeError, match="BMCR value 65536"):
        BMCR(0x10000)


def test_values_hash_and_format_as_their_integer() -> None:
    """A value equals its integer, so it hashes as it (sets and dict keys mix them);
    an integer format spec applies to the value, no spec shows the repr."""
    from physcapy import BMCR, BMSR

    v = BMCR(0x1140)
    assert v == 0x1140 and hash(v) == hash(0x1140)
    assert 0x1140 in {v} and {0x1140: "reset"}[v] == "reset"
    assert BMSR(0x1140) != v and len({v, BMCR(0x1140)}) == 1
    assert f"{v:#06x} {v:016b} {v:d}" == "0x1140 0001000101000000 4416"
    assert f"{v}" == str(v) == "BMCR(0x1140)"


def test_lan8720a_special_control_status() -> None:
    r = register(0x1F, 0x1058, model="lan8720a")
    assert r.spec.name == "PSCSR"
    assert r.autodone == 1
    assert r.speed_indication == "100BASE-TX full duplex"
    assert r.to_json()["fields"]["speed_indication"] == "100BASE-TX full duplex"


def test_lookup_by_number_name_and_clause45() -> None:
    ieee = model()
    assert ieee.register(1).name == ieee.register("0x01").name == "BMSR"
    assert ieee.register("bmsr").address == 1
    assert ieee.register("ANAR").name == "ADVERTISE"  # a datasheet alias
    assert ieee.register("1.0").key == "1.0" == ieee.register("PMA.0").key
    assert ieee.register("PMA.CTRL1").address == 0
    assert ieee.register("7.0x20").devad == 7
    assert ieee.register("AN.0x20").address == 0x20
    with pytest.raises(UnknownNameError, match="unknown register of model ieee802.3 'NOPE'"):
        ieee.register("NOPE")
    with pytest.raises(UnknownNameError, match="unknown MMD 'XYZ'"):
        ieee.register("XYZ.0")
    with pytest.raises(RangeError, match="register address 32"):
        ieee.register(32)


def test_vendor_models_see_their_vendor_registers() -> None:
    lan = model("lan8720a")
    assert lan.register("BMSR").reset == 0x7809
    with pytest.raises(UnknownNameError):
        model().register(0x1F)  # the IEEE set has no register 31
    rtl = model("rtl8211f")
    assert rtl.page_register == 31 and rtl.pages
    phycr2 = rtl.register("0xa43:0x19")
    assert phycr2.page == 0xA43
    ksz = model("ksz9031")
    assert ksz.mmds and 2 in ksz.mmds
    assert model("dp83867").mmds[31].registers


def test_every_phy_model_matches_its_own_id() -> None:
    phys = [m for m in all_models() if m.kind == "phy"]
    assert {m.name for m in phys} >= {
        "88e1111",
        "cis8201",
        "dm9161e",
        "lxt971",
        "qs6612",
        "lan8720a",
        "dp83848",
        "rtl8211f",
        "ksz9031",
        "dp83867",
    }
    for m in phys:
        id1, id2 = ("PMA.DEVID1", "PMA.DEVID2") if 2 not in m.registers else (2, 3)
        ident = m.register(id1).reset << 16 | m.register(id2).reset
        assert m.matches(ident), m.name
        assert model_for_id(ident) is m, m.name
    # phylib's masks: Davicom ignores the top nibble, Realtek the top 11 bits
    assert model("dm9161e").matches(0xF181B881)
    assert model("rtl8211f").matches(0xFFFCC916)
    assert model_for_id(0x12345678) is None


def test_model_names_and_errors() -> None:
    assert model("LAN8720").name == "lan8720a"  # aliases, any case
    assert model("microchip-lan8720a").name == "lan8720a"  # the file name works too
    with pytest.raises(UnknownNameError, match="unknown model 'lan9999': choose from"):
        model("lan9999")


def test_displays() -> None:
    r = register("BMSR", 0x796D)
    text = r.table()
    assert text.splitlines()[0] == "BMSR = 0x796d  (register 1, Basic Mode Status)"
    assert "link_status" in text and "LL" in text
    html = r._repr_html_()
    assert html.startswith('<div class="physcapy"><style>') and "<code>link_status</code>" in html
    from IPython.lib.pretty import pretty

    assert "autoneg_complete" in pretty(r)
