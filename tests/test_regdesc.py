# SPDX-License-Identifier: GPL-2.0-only
"""The register description loader: every shipped file loads; mistakes name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from physcapy.errors import LayerFileError
from physcapy.registers.regdesc import load_file
from physcapy.resources import layers_dir

HEADER = """\
[model]
name = "test"
title = "Test"
source = "a test"
kind = "standard"

[[register]]
address = 16
name = "VENDOR"
title = "Vendor register"
"""


def write(tmp_path: Path, fields: str, header: str = HEADER) -> Path:
    path = tmp_path / "test.toml"
    path.write_text(header + fields)
    return path


def field(bits: str, name: str, access: str = "RW") -> str:
    return (
        f'\n[[register.field]]\nbits = "{bits}"\nname = "{name}"\naccess = "{access}"\ndesc = "x"\n'
    )


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(text)


@pytest.mark.parametrize("path", sorted(layers_dir().glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_file_loads(path: Path) -> None:
    desc = load_file(path)
    assert desc.source and desc.title
    for reg in desc.registers.values():
        assert reg.fields


def test_overlapping_field(tmp_path: Path) -> None:
    path = write(tmp_path, field("15:13", "mode") + field("13:12", "speed"))
    with pytest.raises(LayerFileError) as err:
        load_file(path)
    assert err.value.file == path
    assert err.value.line == line_of(path, 'bits = "13:12"')
    assert "VENDOR.speed bits 13:12 overlap VENDOR.mode bits 15:13" in str(err.value)
    assert str(err.value).startswith(f"{path}:{err.value.line}: ")


def test_unknown_access_code(tmp_path: Path) -> None:
    path = write(tmp_path, field("15", "enable") + field("14", "busy", access="RWC"))
    with pytest.raises(LayerFileError) as err:
        load_file(path)
    assert err.value.line == line_of(path, 'access = "RWC"')
    assert "access 'RWC' is unknown: allowed RW, RO, SC, LL, LH, RC, WO" in str(err.value)


def test_seventeen_bit_field(tmp_path: Path) -> None:
    path = write(tmp_path, field("16:0", "counter"))
    with pytest.raises(LayerFileError) as err:
        load_file(path)
    assert err.value.line == line_of(path, 'bits = "16:0"')
    assert "is 17 bits wide ending at bit 16: registers are 16 bits" in str(err.value)


@pytest.mark.parametrize(
    ("fields", "message", "anchor"),
    [
        (field("3:5", "x"), "write the high bit first", 'bits = "3:5"'),
        (field("3", "low") + field("9", "high"), "list fields MSB first", 'bits = "9"'),
        (
            field("3", "x") + field("2", "x").replace('"x"\n', '"x"  # again\n', 1),
            "field name 'x' is used twice",
            '"x"  # again',
        ),
        (field("3", "Bad"), "must be lower case", 'name = "Bad"'),
        (field("3", "reserved_3"), "not start with 'reserved'", 'name = "reserved_3"'),
        (field("3", "x") + "colour = 1\n", "unknown key 'colour'", "colour = 1"),
        (
            field("1:0", "mode") + '[register.field.enum]\n4 = "four"\n',
            "enum value 4 does not fit",
            '4 = "four"',
        ),
    ],
)
def test_other_mistakes(tmp_path: Path, fields: str, message: str, anchor: str) -> None:
    path = write(tmp_path, fields)
    with pytest.raises(LayerFileError, match=message) as err:
        load_file(path)
    assert err.value.line == line_of(path, anchor)


def test_duplicate_register_and_bad_toml(tmp_path: Path) -> None:
    again = '\n[[register]]\naddress = 16\nname = "OTHER"\ntitle = "x"\n'
    path = write(tmp_path, field("1", "a") + again)
    with pytest.raises(LayerFileError, match="register address 16 is described twice") as err:
        load_file(path)
    assert err.value.line == line_of(path, 'name = "OTHER"') - 1
    bad = write(tmp_path, "oops = [\n")
    with pytest.raises(LayerFileError, match="not valid TOML") as err:
        load_file(bad)
    assert err.value.line is not None


def test_phy_models_need_an_id(tmp_path: Path) -> None:
    path = write(tmp_path, field("1", "a"), HEADER.replace('"standard"', '"phy"'))
    with pytest.raises(LayerFileError, match="a PHY model needs phy_id"):
        load_file(path)


def test_a_broken_file_is_a_one_line_cli_error(tmp_path: Path) -> None:
    import os

    from tests.conftest import run_physcapy

    write(tmp_path, field("16:0", "counter"))
    result = run_physcapy("regs", "list", env={**os.environ, "PHYSCAPY_LAYERS": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "test.toml:" in result.stderr and "17 bits wide" in result.stderr


AUX = """
[[indirect]]
name = "AUX"
title = "AUXCTL shadows"
kind = "{kind}"
select = 24
data = 24
{extra}
"""


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("address", "read_select = 7", "read_select/read_selector belong to a shadow space"),
        ("shadow", 'selector = "2:0"\nread_select = 7', "read_select needs read_selector"),
        ("shadow", 'selector = "2:0"\nread_select = 8\nread_selector = "14:12"', "read_select"),
        (
            "shadow",
            'selector = "2:0"\nread_select = 7\nread_selector = "12:14"',
            "read_selector '12:14' must be",
        ),
    ],
)
def test_auxctl_read_select_mistakes(tmp_path: Path, kind: str, extra: str, message: str) -> None:
    path = write(tmp_path, field("1", "a") + AUX.format(kind=kind, extra=extra))
    with pytest.raises(LayerFileError, match=message):
        load_file(path)


def test_paged_from_lets_a_page_hold_registers_below_16(tmp_path: Path) -> None:
    header = HEADER.replace('kind = "standard"', 'kind = "standard"\npage_register = 22')
    page = '\n[[page]]\nnumber = 0xfb\n[[page.register]]\naddress = 7\nname = "E7"\ntitle = "x"\n'
    with pytest.raises(LayerFileError, match="outside the paged window"):
        load_file(write(tmp_path, field("1", "a") + page, header))
    header = header.replace("page_register = 22", "page_register = 22\npaged_from = 0")
    assert load_file(write(tmp_path, field("1", "a") + page, header)).pages[0xFB].registers[7]
