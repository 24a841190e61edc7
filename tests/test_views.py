# SPDX-License-Identifier: GPL-2.0-only
"""The views of issue 19 item 2 outside a kernel: terminal text, register tables,
``to_dataframe()`` (what the notebook sees is in tests/test_kernel_display.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from physcapy import BMCR, BMSR
from physcapy.mdio.transactions import Transaction as T
from physcapy.pal import Pal
from physcapy.shell.console import Console, TransactionList
from physcapy.traffic.replay import replay


@pytest.fixture
def ip():  # type: ignore[no-untyped-def]
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    shell.user_ns.pop("bus", None)
    shell.run_line_magic("load_ext", "physcapy")
    shell.run_line_magic("reload_ext", "physcapy")
    return shell


def _absent_phys() -> list[T]:
    return [T(0, 0, 22, "read", a, 2, 0x0007) for a in range(2, 32)]


def test_register_table_reads_in_both_themes() -> None:
    html = BMSR(0x796D)._repr_html_()
    assert "font-weight:bold" not in html.split("</style>")[1]  # no bold rows, a class
    assert '<td class="num set">1</td>' in html and "0x1" not in html  # 1-bit values: 0/1
    assert "text-align:left" in html and "var(--jp-brand-color1" in html
    assert html.count("<span") >= 16  # the bit diagram
    assert '<td class="num">0x0</td>' not in BMCR(0)._repr_html_()


def test_dump_and_scan_in_the_terminal() -> None:
    c = Console("sim://lan8720a@1")
    dumped = c.dump(1)
    assert isinstance(dumped, list) and dumped[1].spec.name == "BMSR"
    lines = dumped.text().splitlines()
    assert lines[0] == "PHY 1 (lan8720a), 32 registers" or lines[0].startswith("PHY 1 (lan8720a)")
    assert any(line.split()[:3] == ["31", "PSCSR", "0x1058"] for line in lines)
    assert c.scan().text().splitlines()[1].split()[:3] == ["1", "C22", "0x0007c0f1"]


def test_reports_fold_absent_phys_in_the_terminal(ip) -> None:  # type: ignore[no-untyped-def]
    c = Console("sim://?partner=none")
    report = replay([T(0, 0, 22, "read", 1, 1, 0x796D), *_absent_phys()], c.bus)
    text = ip.display_formatter.format(report)[0]["text/plain"]
    lines = text.splitlines()
    assert lines[0].startswith("replay differs: 31 reads, 0 matched, 31 mismatched")
    assert "expected 0x796d, got 0x7949" in lines[1]
    assert lines[2] == "PHY 2-31: absent on the device (30 reads without an answer)"
    assert len(lines) == 3


def test_to_dataframe() -> None:
    txs = TransactionList([T(0.5, 0.6, 22, "read", 1, 1, 0x796D)])
    df = txs.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert df.loc[0, "name"] == "BMSR" and df.loc[0, "data"] == 0x796D
    assert df.loc[0, "fields"]["link_status"] == 1

    c = Console("sim://?partner=none")
    report = replay([T(0, 0, 22, "read", 1, 1, 0x796D), *_absent_phys()], c.bus)
    rdf = report.to_dataframe()
    assert len(rdf) == 31 and rdf.loc[0, "actual"] == 0x7949
    assert set(rdf.loc[1:, "note"]) == {"no turnaround from the device"}

    pal = Pal(Console("sim://").bus, "linux26")
    dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
    pal.phy_start(dev)
    pal.run(4)
    edf = pal.events.to_dataframe()
    assert list(edf.columns[:3]) == ["t", "event", "phy"] and len(edf) == len(pal.events)
    assert "Link is Up" in edf.loc[edf.event == "log", "text"].str.cat()


def test_without_pandas_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from physcapy.errors import UnsupportedError

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(UnsupportedError, match=r"pip install 'physcapy\[pandas\]'"):
        TransactionList([]).to_dataframe()
