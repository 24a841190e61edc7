# SPDX-License-Identifier: GPL-2.0-only
"""Build and run the tutorials in ``notebooks/`` and store them with their outputs.

    python scripts/make_notebooks.py [--only 02]

Each notebook is written from the cells below, executed top to bottom in a fresh
kernel (nbclient, from the notebooks folder, the shared captures at
``../../shared/captures``), and saved with its outputs so that it reads well on a
code host.  Cells ``assert`` what they show; ``make test`` executes the notebooks
again (tests/test_notebooks.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

MD, CODE = "markdown", "code"

BOOKS: dict[str, list[tuple[str, str]]] = {
    "01-frames-and-registers": [
        (
            MD,
            """# Frames and registers

MDIO frames (IEEE 802.3 Clause 22.2.4.5 and Clause 45.3) and PHY registers are objects with
named fields. `%load_ext physcapy` loads the names, the magics and a simulated bus (`sim://`,
one gigabit PHY at address 1 with a link partner, in virtual time).""",
        ),
        (CODE, "%load_ext physcapy\nbus"),
        (MD, "A Clause 22 read of BMSR, as 64 bits on the wire, and back:"),
        (
            CODE,
            """f = Frame(22, "read", phy=1, reg=1)
print(f.bits())
g = Frame.from_bits(f.bits())
assert (g.clause, g.op, g.phy, g.reg) == (22, "read", 1, 1)
f""",
        ),
        (MD, "The same frame as a Scapy layer (field names as Scapy users expect):"),
        (
            CODE,
            """p = MDIO(op="read", phyad=1, regad="BMSR")
p.show()
assert bytes(p)[:4] == f.to_bytes()[:4]""",
        ),
        (
            MD,
            "A register value decodes into its fields; in a notebook it shows as a bit-field table:",
        ),
        (
            CODE,
            """v = BMSR(0x796D)
assert v.link_status == 1 and v.autoneg_complete == 1
v""",
        ),
        (MD, "Read registers from the PHY on the bus (`rd`, `wr`, or the `%mdio` magic):"),
        (
            CODE,
            """%mdio read 1 BMSR
bmcr = rd(1, "BMCR")
assert bmcr.autoneg_enable == 1
bmcr""",
        ),
        (
            CODE,
            """wr(1, "BMCR", 0x9140)   # soft reset (22.2.4.1.1): BMCR.reset self-clears
assert rd(1, "BMCR").reset == 1
bus.clock.advance(0.01)
assert rd(1, "BMCR").reset == 0
ls("ESTATUS")""",
        ),
        (MD, "Clause 45 registers, natively or through registers 13/14:"),
        (
            CODE,
            """connect("sim://generic-c45@5")
print(hex(bus.read_c45(5, "PMA", 2)), hex(bus.read_c45(5, "PMA", 3)))
an = rd(5, "AN.STAT1")
assert an.autoneg_complete == 1
an""",
        ),
    ],
    "02-simulated-phy-and-pal": [
        (
            MD,
            """# A simulated PHY and Linux phylib

`physcapy.pal` runs Linux phylib's state machine (the 2.6-era twelve-state machine here)
against a simulated LAN8720A, in virtual time: 20 s take a moment. The cable is pulled at
8 s and plugged back at 12 s.""",
        ),
        (
            CODE,
            """%load_ext physcapy
from physcapy.pal import Pal
pal = Pal("sim://lan8720a@1", "linux26")
dev = pal.phy_connect(pal.netdev("eth0"), "0:01")
pal.phy_start(dev)
pal.at(8, lambda: pal.bus.unplug(1))
pal.at(12, lambda: pal.bus.plug(1))
pal.run(20)
states = [(a, b) for _, a, b in pal.events.states()]
assert ("CHANGELINK", "NOLINK") in states and states[-1][1] in ("RUNNING", "CHANGELINK")
pal.events""",
        ),
        (MD, "The same timeline as a picture: the state, the link and the speed over time."),
        (
            CODE,
            """from physcapy.shell.plots import plot_timeline
fig = plot_timeline(pal, phy="0:01")
assert len(fig.axes) >= 3""",
        ),
        (
            MD,
            """`ethtool -s eth0 autoneg off speed 100 duplex full` through phylib: `phy_ethtool_sset`
writes BMCR = 0x2100 (2.6.32 writes the whole register) and the machine goes to FORCING.""",
        ),
        (
            CODE,
            """from physcapy.pal.ethtool import phy_ethtool_gset, phy_ethtool_sset
cmd = phy_ethtool_gset(dev)
cmd.autoneg, cmd.speed, cmd.duplex = 0, 100, 1
phy_ethtool_sset(dev, cmd)
assert pal.bus.read(1, 0) == 0x2100 and dev.state.name == "FORCING"
pal.run(2)
print(dev)""",
        ),
        (
            MD,
            """`watch` polls a register like `mii-tool -w` and updates one display in place; here the
cable is pulled at 2.5 s and plugged back at 5.5 s (the LAN8720A negotiates for 1.5 s).""",
        ),
        (
            CODE,
            """from physcapy import open_bus
from physcapy.shell.watch import watch
b = open_bus("sim://lan8720a@1")
phy = b.phys[1]
phy.at(2.5, phy.unplug)
phy.at(5.5, phy.plug)
changes = watch(b, 1, "BMSR", interval=1.0, count=9)
assert [c.fields["link_status"] for c in changes] == [(1, 0), (0, 1)]""",
        ),
    ],
    "03-decode-annotate-replay": [
        (
            MD,
            """# Decode, annotate, replay

A real capture (sigrok `.sr`) of a Linux host reading every register of an unplugged
LAN8720A: decoded, each register named and its fields decoded, the PHY identified from its
ID reads; then replayed against simulated PHYs.""",
        ),
        (
            CODE,
            """%load_ext physcapy
CAPTURE = "../../shared/captures/lan8720a_read_all_unplugged.sr"
txs = decode(CAPTURE)
assert len(txs) == 32
txs""",
        ),
        (
            CODE,
            """from physcapy.shell.plots import plot_waveform
fig = plot_waveform(CAPTURE, txs[0].start - 2e-6, txs[1].end + 2e-6)
assert fig.axes""",
        ),
        (
            MD,
            "Against an unplugged simulated LAN8720A every read matches; against a linked one, only the link fields differ:",
        ),
        (
            CODE,
            """r = replay(CAPTURE, against="sim://lan8720a@1?partner=none")
assert r.ok and r.matched == 32
r = replay(CAPTURE, against="sim://lan8720a@1")
for m in r.mismatches:
    print(m)
assert {m.name for m in r.mismatches} == {"BMSR", "LPA", "EXPANSION", "MCSR", "ISFR", "PSCSR"}""",
        ),
        (
            MD,
            "A recorded phylib bring-up (a session shipped with physcapy), and BMSR over time in it:",
        ),
        (
            CODE,
            """from physcapy.resources import sessions_dir
from physcapy.shell.plots import plot_register_history
session = sessions_dir() / "lan8720a-linux26-bringup.jsonl"
s = decode(str(session))
print(len(s), "transactions;", sum(1 for a in s.annotations() if a.note), "labelled")
fig = plot_register_history(session, 1, "BMSR", fields=["link_status", "autoneg_complete"])
assert fig.axes""",
        ),
        (
            MD,
            "What differs between the unplugged capture and the linked bring-up, register by register:",
        ),
        (
            CODE,
            """from physcapy.traffic.diff import diff
d = diff(decode(CAPTURE), s, {}, s.models)
for reg in d.registers:
    print(reg)
assert {"BMSR", "LPA"} <= {r.name for r in d.registers}""",
        ),
    ],
    "04-ftdi": [
        (
            MD,
            """# MDIO through an FTDI adapter

`ftdi://ftdi:232h/1?wiring=tristate` drives MDC/MDIO from an FT232H's MPSSE. Here the same
byte streams go to `ftdi-emu://`, a pin-level emulator of the chip wired to simulated PHYs,
so this notebook runs anywhere. With a real adapter: wire it as `docs/ftdi-wiring.md` shows
(AD0 = MDC, AD1/AD2 = MDIO, 1.5 kΩ pull-up), add the udev rule for its VID:PID, and change
the URL to `ftdi://ftdi:232h/1?wiring=tristate&freq=2.5e6`.""",
        ),
        (
            CODE,
            """%load_ext physcapy
connect("ftdi-emu://232h?wiring=tristate&phy=lan8720a@1")
found = scan()
assert [e.address for e in found] == [1] and found[0].model == "lan8720a"
found""",
        ),
        (
            CODE,
            """v = rd(1, "PSCSR")
assert v.speed_indication == "100BASE-TX full duplex"
v""",
        ),
        (
            MD,
            "The MPSSE bytes of one Clause 22 read (the encoder is pure code; `tristate` releases AD1 around the turnaround):",
        ),
        (
            CODE,
            """from physcapy.ftdi.mpsse import encode_frame
from physcapy.mdio.frames import Frame
enc = encode_frame(Frame(22, "read", 1, 1), "tristate")
print(len(enc.commands), "command bytes, reply", enc.reply_len, "bytes:")
print(enc.commands.hex(" "))
assert enc.reply_len == 3  # TA bits, then the two data bytes""",
        ),
        (MD, "Many reads go in one USB transfer: the bus batches them."),
        (
            CODE,
            """frames = [Frame(22, "read", 1, r) for r in range(32)]
out = bus.batch(frames)
assert out[2].data == 0x0007 and out[3].data == 0xC0F1
print("PHYSID", hex(out[2].data), hex(out[3].data))""",
        ),
    ],
}


def build(name: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for kind, text in BOOKS[name]:
        cell = (
            nbformat.v4.new_markdown_cell(text) if kind == MD else nbformat.v4.new_code_cell(text)
        )
        nb.cells.append(cell)
    return nb


def run(nb: nbformat.NotebookNode, timeout: int = 120) -> nbformat.NotebookNode:
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    return nb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    NOTEBOOKS.mkdir(exist_ok=True)
    for name in BOOKS:
        if args.only and not name.startswith(args.only):
            continue
        nb = run(build(name))
        nbformat.write(nb, NOTEBOOKS / f"{name}.ipynb")
        print(f"notebooks/{name}.ipynb: {len(nb.cells)} cells")


if __name__ == "__main__":
    main()
