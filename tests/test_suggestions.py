# SPDX-License-Identifier: GPL-2.0-only
"""A mistyped register, field, model or MMD name is answered with "did you mean"
(issue 19 item 3): ranked by likeness, at most five, in the API, the shell's helpers,
the magics and the command line alike."""

from __future__ import annotations

import pytest

from physcapy.errors import UnknownNameError, suggest
from physcapy.registers.models import model
from physcapy.registers.values import register
from physcapy.shell.console import Console


def test_ranked_and_at_most_five() -> None:
    names = ["BMCR", "BMSR", "PHYSID1", "PHYSID2", "AN.AN_LPA", "AN.AN_LPA_2", "ESTATUS"]
    assert suggest("BMSRR", names) == ["BMSR", "BMCR"]
    assert suggest("physid", names) == ["PHYSID1", "PHYSID2"]  # case does not matter
    assert suggest("AN_LPA", names)[0] == "AN.AN_LPA"  # the MMD prefix may be left out
    assert suggest("zzzz", names) == []
    many = [f"REG{i}" for i in range(20)]
    assert len(suggest("REG", many)) == 5


@pytest.mark.parametrize(
    ("lookup", "first"),
    [
        (lambda: model().register("BMSRR"), "BMSR"),
        (lambda: model("lan8720a").register("PSCRS"), "PSCSR"),
        (lambda: register("BMSR", 0).link_stat, "link_status"),
        (lambda: register("BMCR", 0, autoneg_enabled=1), "autoneg_enable"),
        (lambda: model("dp8384"), "dp83848"),
        (lambda: model().register("PCS.CTRL3"), "3.0 (CTRL1)"),
        (lambda: model().register("AM.CTRL1"), "AN (7)"),
    ],
    ids=["register", "vendor-register", "field", "field-keyword", "model", "mmd-register", "mmd"],
)
def test_every_kind_of_name_gets_suggestions(lookup, first) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownNameError) as caught:
        lookup()
    assert caught.value.suggestions[0] == first
    assert f"did you mean {first}" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_long_list_does_not_bury_the_suggestion() -> None:
    with pytest.raises(UnknownNameError) as caught:
        model().register("BMSRR")
    message = str(caught.value)
    assert "AN.AN_10GBT_CTRL" not in message and message.endswith("choices)")


def test_shell_helpers() -> None:
    c = Console("sim://")
    for reg in ("BMSRR", "7.AN_LPAA", "AN.AN_LPAA"):
        with pytest.raises(UnknownNameError, match="did you mean"):
            c.rd(1, reg)


def test_magic(capsys: pytest.CaptureFixture[str]) -> None:
    from IPython.testing.globalipapp import get_ipython

    ip = get_ipython()
    ip.user_ns.pop("bus", None)
    ip.run_line_magic("load_ext", "physcapy")
    ip.run_line_magic("reload_ext", "physcapy")
    ip.run_line_magic("mdio", "read 1 BMSRR")
    err = capsys.readouterr().err
    assert "did you mean BMSR" in err and err.count("\n") == 1
    ip.run_cell("rd(1, 'PHYSID').oui")
    assert "did you mean PHYSID1, PHYSID2?" in capsys.readouterr().err


def test_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli("read", "sim://", "1", "BMSRR")
    assert status == 2 and out == "" and "did you mean BMSR" in err
    status, _, err = cli("regs", "list", "--model", "lan872a")
    assert status == 2 and "did you mean lan8720a" in err
