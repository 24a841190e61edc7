# SPDX-License-Identifier: GPL-2.0-only
"""Micrel (Microchip) KSZ9031 gigabit RGMII PHY (phylib-reference.md §4.1 and §4.12).

config_init loads board pad skews into MMD 2, then re-centres the FLP burst timing
(MMD 0 r4 ← 0x0006, r3 ← 0x1A80) and restarts AN; read_status is generic plus a
check of the 1000BASE-T idle-error counter (STAT1000 low byte): 0xFF means a wedged
PHY, which is re-initialised and renegotiated.  Interrupts: r0x1b (enables in the
high byte, status in the low byte; phylib enables link up | link down = 0x0500).

Features are the generic ones but never Asym_Pause (an erratum: link-up may fail
after a link drop when it is advertised) and always Pause.  ``DRIVERS`` states that
as a fixed feature set (the 2.6 core takes features from the table);
``MODERN_DRIVERS`` learns the abilities from the PHY in get_features and applies the
same rule, as v6 does.

Board settings are read from ``dev.priv`` under their device-tree names at
config_init (set them after the bus scan, before ``phy_connect``): the pad skews in
picoseconds (``"rxc-skew-ps"``, ``"txc-skew-ps"``, ``"txen-skew-ps"``,
``"rxdv-skew-ps"``, ``"rxd0-skew-ps"`` … ``"rxd3-skew-ps"``, ``"txd0-skew-ps"`` …
``"txd3-skew-ps"``; 60 ps per register step), ``"micrel,force-master"`` and
``"edpd"`` (energy-detect power-down, MMD 0x1c 0x23 bit 0).  ``"of_node"`` says
the PHY has a device-tree node without any of those (any of them implies one): the
v6 driver then programs RGMII delays for the interface mode first (see
:func:`ksz9031_config_rgmii_delay`).

    >>> hex(KSZ9031.features), KSZ9031.matches(0xff221622)
    ('0x22ff', True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import (
    PHY_GBIT_FEATURES,
    PHY_HAS_INTERRUPT,
    PHY_IGNORE_INTERRUPT,
    PHY_INTERRUPT_ENABLED,
    PHY_POLL,
    SUPPORTED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    MII_CTRL1000,
    MII_STAT1000,
    genphy_config_aneg,
    genphy_read_abilities,
    genphy_read_status,
    genphy_restart_aneg,
    genphy_resume,
    genphy_soft_reset,
    genphy_suspend,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

MII_KSZPHY_INTCS = 0x1B  # interrupt control/status
KSZPHY_INTCS_ALL = 0x0500  # link up (bit 8) | link down (bit 10) enables
MII_KSZPHY_CTRL = 0x1F  # PHY control
KSZ9031_CTRL_INT_ACTIVE_HIGH = 0x4000  # bit 14: interrupt polarity
# MMD 0: FLP burst timing.
MII_KSZ9031RN_MMD_CTRL_REG = 0
MII_KSZ9031RN_FLP_BURST_TX_LO = 3
MII_KSZ9031RN_FLP_BURST_TX_HI = 4
FLP_BURST_TX_HI_CENTRED = 0x0006
FLP_BURST_TX_LO_CENTRED = 0x1A80
# MMD 2: pad skews.
MII_KSZ9031RN_PAD_SKEW_MMD = 2
MII_KSZ9031RN_CONTROL_PAD_SKEW = 4
MII_KSZ9031RN_RX_DATA_PAD_SKEW = 5
MII_KSZ9031RN_TX_DATA_PAD_SKEW = 6
MII_KSZ9031RN_CLK_PAD_SKEW = 8
KSZ9031_PS_TO_REG = 60
# MMD 0x1c: energy-detect power-down.
MII_KSZ9031RN_EDPD_MMD = 0x1C
MII_KSZ9031RN_EDPD = 0x23
MII_KSZ9031RN_EDPD_ENABLE = 0x0001
CTL1000_AS_MASTER = 0x0800
CTL1000_ENABLE_MASTER = 0x1000

#: (MMD 2 register, field width, DT properties from field 0 = lowest bits up), in the
#: order the kernel loads them.  The reference lists the registers (4/5/6/8) and the
#: fields but not the order.
SKEWS = (
    (MII_KSZ9031RN_CLK_PAD_SKEW, 5, ("rxc-skew-ps", "txc-skew-ps")),
    (MII_KSZ9031RN_CONTROL_PAD_SKEW, 4, ("txen-skew-ps", "rxdv-skew-ps")),
    (
        MII_KSZ9031RN_RX_DATA_PAD_SKEW,
        4,
        ("rxd0-skew-ps", "rxd1-skew-ps", "rxd2-skew-ps", "rxd3-skew-ps"),
    ),
    (
        MII_KSZ9031RN_TX_DATA_PAD_SKEW,
        4,
        ("txd0-skew-ps", "txd1-skew-ps", "txd2-skew-ps", "txd3-skew-ps"),
    ),
)


#: Pad skews the v6 driver (Linux >= 5.9, ``ksz9031_config_rgmii_delay``) writes per
#: RGMII mode, in 60 ps steps: 4-bit fields have no adjustment at 0x7, 5-bit ones at
#: 0xf; the chip delays RXC by 1.2 ns itself.  (rx data/ctl, rx clock) and
#: (tx data/ctl, tx clock), delayed (ID) or not (ND).
RGMII_RX_ID = (0x7, 0x19)  # data as is, RXC +0.60 ns: 1.80 ns in all
RGMII_RX_ND = (0xC, 0x00)  # data +0.30 ns, RXC -0.90 ns: the built-in 1.2 ns undone
RGMII_TX_ID = (0x0, 0x1F)  # data -0.42 ns, GTX_CLK +0.96 ns: 1.38 ns
RGMII_TX_ND = (0x7, 0x0F)  # no adjustment
RGMII_DELAYS = {
    Interface.RGMII: (RGMII_RX_ND, RGMII_TX_ND),
    Interface.RGMII_ID: (RGMII_RX_ID, RGMII_TX_ID),
    Interface.RGMII_RXID: (RGMII_RX_ID, RGMII_TX_ND),
    Interface.RGMII_TXID: (RGMII_RX_ND, RGMII_TX_ID),
}


def ksz9031_config_rgmii_delay(dev: PhyDevice) -> None:
    """The RGMII delays of the interface mode (v6 driver, boards with a device-tree
    node): MMD 2 r4 ← RX_CTL/TX_CTL, r5 ← each RXD, r6 ← each TXD, r8 ← TX clock
    (bits 9:5) / RX clock (bits 4:0); nothing for other modes.  The board's skew
    properties are applied after, over these."""
    if dev.interface not in RGMII_DELAYS:
        return
    (rx, rx_clk), (tx, tx_clk) = RGMII_DELAYS[Interface(dev.interface)]
    mmd = MII_KSZ9031RN_PAD_SKEW_MMD
    dev.write_mmd(mmd, MII_KSZ9031RN_CONTROL_PAD_SKEW, rx << 4 | tx)
    dev.write_mmd(mmd, MII_KSZ9031RN_RX_DATA_PAD_SKEW, rx * 0x1111)
    dev.write_mmd(mmd, MII_KSZ9031RN_TX_DATA_PAD_SKEW, tx * 0x1111)
    dev.write_mmd(mmd, MII_KSZ9031RN_CLK_PAD_SKEW, tx_clk << 5 | rx_clk)


def _of_node(dev: PhyDevice) -> bool:
    """Whether the board describes the PHY in a device tree (the v6 driver applies
    skews and force-master only then)."""
    names = ("of_node", "micrel,force-master", *(n for _, _, ns in SKEWS for n in ns))
    # A skew of 0 ps is a value like any other: only None and False mean "not given".
    return any(dev.priv.get(n) is not None and dev.priv.get(n) is not False for n in names)


def _load_skews(dev: PhyDevice, reg: int, width: int, names: tuple[str, ...]) -> None:
    """One pad-skew register from the board's picosecond values (§4.12): nothing when
    none is given; all given: written from scratch; some given: merged into the
    register's current value (read first)."""
    given = {i: dev.priv[n] for i, n in enumerate(names) if dev.priv.get(n) is not None}
    if not given:
        return
    value = 0
    if len(given) < len(names):
        value = dev.read_mmd(MII_KSZ9031RN_PAD_SKEW_MMD, reg)
    maximum = (1 << width) - 1
    for i, ps in given.items():
        shift = width * i
        value = (value & ~(maximum << shift)) | ((int(ps) // KSZ9031_PS_TO_REG & maximum) << shift)
    dev.write_mmd(MII_KSZ9031RN_PAD_SKEW_MMD, reg, value & 0xFFFF)


def ksz9031_center_flp_timing(dev: PhyDevice) -> None:
    """§4.12 "center FLP timing": MMD 0 r4 ← 0x0006, MMD 0 r3 ← 0x1A80, restart AN."""
    dev.write_mmd(
        MII_KSZ9031RN_MMD_CTRL_REG, MII_KSZ9031RN_FLP_BURST_TX_HI, FLP_BURST_TX_HI_CENTRED
    )
    dev.write_mmd(
        MII_KSZ9031RN_MMD_CTRL_REG, MII_KSZ9031RN_FLP_BURST_TX_LO, FLP_BURST_TX_LO_CENTRED
    )
    genphy_restart_aneg(dev)


def ksz9031_config_init(dev: PhyDevice) -> None:
    """config_init (§4.12): optional EDPD (MMD 0x1c 0x23 |= 1, when ``priv["edpd"]``);
    board pad skews into MMD 2 regs 8, 4, 5, 6; optional force-master (CTRL1000 |=
    0x1800: manual configuration, MASTER); then centre the FLP timing and restart AN.

    The optional steps run in the kernel's order (EDPD first, force-master before
    the FLP centring); with no board settings only the FLP centring and the AN
    restart happen.  This is the driver's first form, without RGMII delay defaults.
    """
    _config_init(dev, rgmii_delays=False)


def ksz9031_config_init_modern(dev: PhyDevice) -> None:
    """v6 config_init: as :func:`ksz9031_config_init`, but EDPD is always enabled, and
    the board settings apply only with a device-tree node (the kernel walks up from
    the PHY to the MAC for one: on a device-tree board set ``priv["of_node"]``), and
    then first the RGMII delays of the interface mode
    (:func:`ksz9031_config_rgmii_delay`, Linux >= 5.9)."""
    _config_init(dev, rgmii_delays=True)


def _config_init(dev: PhyDevice, rgmii_delays: bool) -> None:
    # The v6 driver always enables energy-detect power-down; the first form on request.
    if rgmii_delays or dev.priv.get("edpd"):
        reg = dev.read_mmd(MII_KSZ9031RN_EDPD_MMD, MII_KSZ9031RN_EDPD)
        dev.write_mmd(MII_KSZ9031RN_EDPD_MMD, MII_KSZ9031RN_EDPD, reg | MII_KSZ9031RN_EDPD_ENABLE)
    if not rgmii_delays or _of_node(dev):
        if rgmii_delays:
            ksz9031_config_rgmii_delay(dev)
        for reg, width, names in SKEWS:
            _load_skews(dev, reg, width, names)
        if dev.priv.get("micrel,force-master"):
            ctl = dev.read(MII_CTRL1000)
            dev.write(MII_CTRL1000, ctl | CTL1000_ENABLE_MASTER | CTL1000_AS_MASTER)
    ksz9031_center_flp_timing(dev)


def _irq_valid(dev: PhyDevice) -> bool:
    return dev.irq not in (PHY_POLL, PHY_IGNORE_INTERRUPT)


def ksz9031_read_status(dev: PhyDevice) -> None:
    """read_status (§4.12): generic, then STAT1000; when its idle-error count (low
    byte) is 0xFF the PHY is wedged: re-initialise it (phy_init_hw), report link down,
    re-enable interrupts (config_intr, when the PHY has an interrupt line) and run
    genphy_config_aneg again."""
    from physcapy.pal.phy_device import phy_init_hw

    genphy_read_status(dev)
    if dev.read(MII_STAT1000) & 0x00FF != 0x00FF:
        return
    phy_init_hw(dev)
    dev.link = 0
    drv = dev.drv
    if drv is not None and drv.config_intr is not None and _irq_valid(dev):
        drv.config_intr(dev)
    genphy_config_aneg(dev)


def kszphy_ack_interrupt(dev: PhyDevice) -> None:
    """Read r0x1b (the status byte clears on read)."""
    dev.read(MII_KSZPHY_INTCS)


def kszphy_config_intr(dev: PhyDevice) -> None:
    """Interrupts through r0x1b (§4.12), in the kernel's sequence (the reference gives
    the registers and the 0x0500 value): r0x1f bit 14 cleared (pin active low, read
    then written); on: acknowledge, r0x1b ← 0x0500; off: r0x1b ← 0, acknowledge."""
    ctrl = dev.read(MII_KSZPHY_CTRL)
    dev.write(MII_KSZPHY_CTRL, ctrl & ~KSZ9031_CTRL_INT_ACTIVE_HIGH)
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        kszphy_ack_interrupt(dev)
        dev.write(MII_KSZPHY_INTCS, KSZPHY_INTCS_ALL)
    else:
        dev.write(MII_KSZPHY_INTCS, 0)
        kszphy_ack_interrupt(dev)


#: r0x1b status bits phylib's link up | link down enables report (bits 2 and 0).
KSZPHY_INTCS_STATUS = 0x0005


def kszphy_handle_interrupt(dev: PhyDevice) -> bool:
    """v6 threaded interrupt: read r0x1b (which acknowledges it); ours when the link
    down or link up status bit is set.  The reference names the register only; this is
    the v6 driver's test."""
    return bool(dev.read(MII_KSZPHY_INTCS) & KSZPHY_INTCS_STATUS)


def ksz9031_get_features(dev: PhyDevice) -> int:
    """Modern get_features (§4.12): genphy_read_abilities, Asym_Pause removed (erratum),
    Pause added (else the core would add Asym_Pause with it)."""
    supported = genphy_read_abilities(dev)
    return (supported & ~SUPPORTED["Asym_Pause"]) | SUPPORTED["Pause"]


KSZ9031 = PhyDriver(
    0x00221620,
    0x00FFFFF0,
    "Micrel KSZ9031 Gigabit PHY",
    features=PHY_GBIT_FEATURES | SUPPORTED["Pause"],
    flags=PHY_HAS_INTERRUPT,
    config_init=ksz9031_config_init,
    read_status=ksz9031_read_status,
    ack_interrupt=kszphy_ack_interrupt,
    config_intr=kszphy_config_intr,
    suspend=genphy_suspend,
    resume=genphy_resume,
    model="ksz9031",
)


def kszphy_suspend(dev: PhyDevice) -> None:
    """v6.12: with an interrupt line, interrupts off first; then genphy_suspend."""
    if _irq_valid(dev):
        dev.interrupts = 0
        kszphy_config_intr(dev)
    genphy_suspend(dev)


def kszphy_resume(dev: PhyDevice) -> None:
    """v6.12: genphy_resume, 1-2 ms (2 ms here), kszphy_config_reset (no MDIO without
    an RMII clock selection or an LED mode, which physcapy boards do not set), then
    interrupts on again when the PHY has a line."""
    genphy_resume(dev)
    dev.kernel.sleep(0.002)
    if _irq_valid(dev):
        dev.interrupts = PHY_INTERRUPT_ENABLED
        kszphy_config_intr(dev)


KSZ9031_MODERN = PhyDriver(
    0x00221620,
    0x00FFFFF0,
    "Micrel KSZ9031 Gigabit PHY",
    get_features=ksz9031_get_features,
    soft_reset=genphy_soft_reset,
    config_init=ksz9031_config_init_modern,
    read_status=ksz9031_read_status,
    config_intr=kszphy_config_intr,
    handle_interrupt=kszphy_handle_interrupt,
    suspend=kszphy_suspend,
    resume=kszphy_resume,
    model="ksz9031",
)

#: Linux v2.6.32 has no micrel.c at all: the KSZ9031 gets the generic driver there.
DRIVERS: list[PhyDriver] = []
#: The first form of the driver ([S15]), kept for reference and for tests that name it.
DRIVERS_REFERENCE: list[PhyDriver] = [KSZ9031]
#: Linux v6.12 micrel.c's KSZ9031 entry.
MODERN_DRIVERS: list[PhyDriver] = [KSZ9031_MODERN]
