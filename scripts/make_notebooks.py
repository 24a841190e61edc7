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
        (
            MD,
            """`dump(1)` reads every register of the PHY's model into one table: the value, its 16
bits (set bits filled), the flags; open a row for its field table. A mistyped name gets the
closest names:""",
        ),
        (
            CODE,
            """try:
    rd(1, "BMSRR")
except LookupError as e:
    print(e)
d = dump(1)
assert d[1].spec.name == "BMSR"
d""",
        ),
        (
            MD,
            """`edit(1, "BMCR")` is a register editor (ipywidgets): a toggle per bit (read-only bits
greyed, `SC`/`LL`/`LH` marked), a dropdown per enum field, **Write** and **Read back**. It
needs a live kernel: on a static page only its text form shows. In a live notebook the tables
of `rd(...)` and `dump(...)` above also have an **Edit** button (for `dump`, after picking a
register) that opens this editor under the table; a stored page shows their tables.""",
        ),
        (
            CODE,
            """ed = edit(1, "BMCR")
assert ed.toggles[15].description == "15 SC"
ed""",
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
plot_timeline(pal, phy="0:01")""",
        ),
        (
            MD,
            """With pandas (`pip install 'physcapy[pandas]'`) the events are a DataFrame; in a live
notebook `explore_timeline(pal)` is the same timeline, zoomable, each log line on hover.""",
        ),
        (
            CODE,
            """df = pal.events.to_dataframe()
df[df.event != "mdio"].head(8)""",
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
plot_waveform(CAPTURE, txs[0].start - 2e-6, txs[1].end + 2e-6)""",
        ),
        (
            MD,
            """In a live notebook `explore_waveform(CAPTURE)` is the same capture zoomable: an overview
of frames per time bin (the capture is never held whole), the traces once a few dozen frames
are in view, each field labelled once it fits:""",
        ),
        (
            CODE,
            """ex = explore_waveform(CAPTURE)
ex.zoom(txs[0].start - 2e-6, txs[0].end + 2e-6)
assert "DATA 0x3000" in ex.labels()
ex""",
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
assert {m.name for m in r.mismatches} == {"BMSR", "LPA", "EXPANSION", "MCSR", "ISFR", "PSCSR"}
r""",
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
plot_register_history(session, 1, "BMSR", fields=["link_status", "autoneg_complete"])""",
        ),
        (
            MD,
            "What differs between the unplugged capture and the linked bring-up, register by register:",
        ),
        (
            CODE,
            """from physcapy.traffic.diff import diff
d = diff(decode(CAPTURE), s, {}, s.models)
assert {"BMSR", "LPA"} <= {r.name for r in d.registers}
d""",
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
    "05-scapy-workflow": [
        (
            MD,
            """# Scapy's workflow on MDIO

For a Scapy user: `sr`, `sr1`, `srloop`, `send` and `sniff` work on an MDIO bus as they do
on a network interface, with Scapy's results (`SndRcvList`, `PacketList`) and Scapy's
`fuzz`, `ls`, `hexdump` and `raw`. A PHY's answer to a read is the frame as the bus
completed it, its DATA dissected as the register it is. `%load_ext physcapy` has the names
(and `sr()` goes to the current bus); in a script, `from physcapy import sr, sr1, sniff,
rdcapture, MDIO, open_bus`... and pass `bus=`.

Implicit sets expand as in Scapy: two PHY addresses times two registers are four reads.
Nothing answers at address 3, so its reads are unanswered.""",
        ),
        (
            CODE,
            """%load_ext physcapy
connect("sim://lan8720a@1")
ans, unans = sr(MDIO(op="read", phyad=[1, 3], regad=["BMCR", "BMSR"]))
assert len(ans) == 2 and [p.phyad for p in unans] == [3, 3]
ans.nsummary()
unans.nsummary()""",
        ),
        (
            MD,
            """`sr1` gives the one answer (or None). It is an `MDIO` packet with a `BMSR` layer on
top: `a[BMSR]` works with the shell's `BMSR` (or `register_layer("BMSR")`), and so do
`show()`, `sprintf()` and `summary()`.""",
        ),
        (
            CODE,
            """a = sr1(MDIO(op="read", phyad=1, regad="BMSR"))
assert a[BMSR].link_status == 1
a.show()
print(a.sprintf("%MDIO.regad%: link %BMSR.link_status%, autoneg done %BMSR.autoneg_complete%"))
assert sr1(MDIO(op="read", phyad=3, regad="BMSR")) is None""",
        ),
        (
            MD,
            """A whole register map is `regad=(0, 31)`. The simulated bus knows its PHY is a
LAN8720A, so the vendor registers (16-31) decode too; reads of registers the chip does
not have return 0xFFFF, and `lfilter` leaves them out. `srloop` repeats a set and prints
each round, as Scapy's does.""",
        ),
        (
            CODE,
            """ans, _ = sr(MDIO(op="read", phyad=1, regad=(0, 31)))
assert len(ans) == 32 and ans[31][1].summary().startswith("MDIO read PHY 1 PSCSR")
ans.nsummary(lfilter=lambda sent, answer: answer.data != 0xFFFF)
looped, _ = srloop(MDIO(op="read", phyad=1, regad=31), count=3, inter=0)
assert len(looped) == 3""",
        ),
        (
            MD,
            """The layers: `ls()` lists an `MDIO` frame's fields and a register's; `explore()` lists
a model's registers. `raw()` and `hexdump()` give the 32 bits from ST to DATA (the
preamble is `MDIOPreamble`, when you want it on the wire).""",
        ),
        (
            CODE,
            """ls(MDIO)
ls(BMSR)
explore("lan8720a")
hexdump(a)
assert raw(a) == bytes.fromhex("6086782d")""",
        ),
        (
            MD,
            """Two ways to put a register in a frame. A register layer (`register_layer("BMCR")`)
is a Scapy packet bound to MDIO's DATA: its fields default to 0, so a write carries the
fields you name and nothing else (0x1200 here), and stacking sets REGAD. A value object
(`BMCR(...)`) starts from a value, `BMCR()` from the reset value, and is for decoding a
number and editing it field by field; it stacks too, and carries every other field at
its reset value along (0x1340: the speed bits say 1000 Mb/s). Compose frames with layers;
inspect and edit values with value objects.""",
        ),
        (
            CODE,
            """BMCRLayer = register_layer("BMCR")
w = MDIO(op="write", phyad=1) / BMCRLayer(restart_autoneg=1, autoneg_enable=1)
print(w.summary())
hexdump(w)
assert MDIO(raw(w)).regad == 0 and MDIO(raw(w)).data == 0x1200
c = BMCR()                 # the reset value, 0x1140
c.restart_autoneg = 1
print((MDIO(op="write", phyad=1) / c).summary())
c""",
        ),
        (
            MD,
            """A write is answered by the frame as sent (`send()` sends without waiting for
answers); read the register back to see what the PHY kept: BMCR.restart_autoneg clears
itself once negotiation restarts.""",
        ),
        (
            CODE,
            """echo = sr1(w)
assert echo.data == 0x1200 and echo.op == 1
back = rd(1, "BMCR")
assert back.autoneg_enable == 1 and back.restart_autoneg == 0
back""",
        ),
        (
            MD,
            """`sniff` sees every transaction anyone performs on the bus. Here it is Linux phylib
(`physcapy.pal`) bringing up a LAN8720A: `started_callback` runs three seconds of the PAL
in virtual time while the sniffer listens.""",
        ),
        (
            CODE,
            """from physcapy.pal import Pal
pal = Pal("sim://lan8720a@1")
dev = pal.phy_connect(pal.netdev(), "0:01")
pal.phy_start(dev)
pkts = sniff(pal.bus, count=10, started_callback=lambda: pal.run(3))
assert len(pkts) == 10 and pkts[-1][BMSR].link_status == 1
for p in pkts:
    print(f"{p.time:9.6f} s  {p.summary()}")""",
        ),
        (
            MD,
            """`lfilter` and `prn` as in Scapy: only BMSR, one line each, while the cable is pulled
out for a few seconds (`timeout` is wall time; the PAL runs in virtual time).""",
        ),
        (
            CODE,
            """pal.at(4, lambda: pal.bus.unplug(1))
pal.at(6, lambda: pal.bus.plug(1))
link = sniff(
    pal.bus,
    timeout=0.5,
    lfilter=lambda p: p.haslayer(BMSR),
    prn=lambda p: f"{p.time:6.3f} s  " + p.sprintf("%MDIO.regad% link=%BMSR.link_status%"),
    started_callback=lambda: pal.run(6),
)
assert {p[BMSR].link_status for p in link} == {0, 1}""",
        ),
        (
            MD,
            """Fuzzing with a seed: `fuzz()` randomises the fields left unset, `count` repeats the
set and `seed` makes the session reproducible (what is recorded as sent is what went out).
Each round writes a random ADVERTISE and reads it back, on a PHY whose bit 10 has a fault
injected (`fault=1:stuck:4:0x0400:0x0000`: PHY 1, register 4, bit 10 stuck at 0).""",
        ),
        (
            CODE,
            """from scapy.packet import fuzz
session = [
    fuzz(MDIO(op="write", phyad=1, regad="ADVERTISE")),
    MDIO(op="read", phyad=1, regad="ADVERTISE"),
]
faulty = open_bus("sim://?fault=1:stuck:4:0x0400:0x0000")
ans, _ = sr(session, bus=faulty, count=20, seed=7)
ans[:4].nsummary()
again, _ = sr(session, bus=open_bus("sim://?fault=1:stuck:4:0x0400:0x0000"), count=20, seed=7)
assert [a.data for _, a in again] == [a.data for _, a in ans]""",
        ),
        (
            MD,
            """Pairs of answers (write, read-back) give the bits that did not follow. The same seed on
a healthy PHY separates the fault from the standard: ADVERTISE bit 14 is reserved
(28.2.4.1.3) and reads 0 on both PHYs; bit 10 (pause) fails only on the faulty one.""",
        ),
        (
            CODE,
            """def lost(ans):
    bits = 0
    for (_, written), (_, readback) in zip(ans[0::2], ans[1::2]):
        bits |= written.data ^ readback.data
    return bits

healthy, _ = sr(session, bus=open_bus("sim://"), count=20, seed=7)
print(f"faulty PHY: {lost(ans):#06x}, healthy PHY: {lost(healthy):#06x}")
assert lost(ans) & ~lost(healthy) == 0x0400
ADVERTISE(lost(ans) & ~lost(healthy))""",
        ),
        (
            MD,
            """A real capture (a Linux host reading every register of an unplugged LAN8720A, sigrok
`.sr`) is a `PacketList`: `rdcapture` decodes it, with the times from the capture, and
dissects the vendor registers once the PHYSID reads name the PHY (or give
`models={1: "lan8720a"}`). `filter`, `nsummary(lfilter=...)` and
`sniff(offline=..., lfilter=...)` select from it as from a pcap.""",
        ),
        (
            CODE,
            """CAPTURE = "../../shared/captures/lan8720a_read_all_unplugged.sr"
cap = rdcapture(CAPTURE)
assert len(cap) == 32 and cap[1][BMSR].link_status == 0
print(cap)
cap.nsummary(lfilter=lambda p: p.regad >= 29)
for p in cap.filter(lambda p: p.haslayer(BMSR)):
    print(f"{p.time * 1e6:.1f} us: {p.summary()}")
assert len(sniff(offline=CAPTURE, lfilter=lambda p: p.haslayer(BMSR))) == 1""",
        ),
        (
            MD,
            """Sent again to an unplugged simulated LAN8720A, the captured reads get the same answers;
and `wrcapture` turns packets back into a capture (`.sr`, `.vcd`, `.csv`, or a session
`.jsonl`, at 25 MS/s and 2.5 MHz MDC by default) that decodes to the same frames at the
same times, to within a sample.""",
        ),
        (
            CODE,
            """live, unanswered = sr(cap, bus=open_bus("sim://lan8720a@1?partner=none"))
assert not unanswered and [a.data for _, a in live] == [p.data for p in cap]
import tempfile
from pathlib import Path
with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "again.sr"
    wrcapture(out, cap)
    back = rdcapture(out)
    print(out.name, out.stat().st_size, "bytes,", len(back), "packets")
assert [raw(p) for p in back] == [raw(p) for p in cap]
assert max(abs(p.time - q.time) for p, q in zip(back, cap)) < 1 / 25e6  # one sample""",
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
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        # A widget's state (the zoomable waveform's points) would make a notebook of MBs
        # that no static page can draw anyway; a live kernel makes it again.
        store_widget_state=False,
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
