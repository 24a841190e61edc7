# SPDX-License-Identifier: GPL-2.0-only
"""Texas Instruments (National) PHYs: the DP83848 family (TI DP83848C, NS DP83848C,
TI DP83620, TI TLK10X) and the DP83867 gigabit RGMII/SGMII PHY
(phylib-reference.md §4.1, §4.9 and §4.10).

None of these drivers exists in Linux v2.6.32, so ``DRIVERS`` is empty: under
``linux26`` the parts get the generic driver and are polled.  ``MODERN_DRIVERS`` are
the Linux v6.12 forms (dp83848.c: no features, config_intr that acknowledges MISR
before enabling and after disabling, handle_interrupt; dp83867.c: the DSP FFE write
and SW_RESTART in soft_reset, interrupt-aware suspend/resume).  The [S12]/[S13] forms
the reference describes stay as ``DRIVERS_REFERENCE``.

DP83867 board settings (the kernel's device-tree properties) are read from
``dev.priv`` at config_init; set them after the bus scan, before ``phy_connect``:

* ``"ti,rx-internal-delay"`` / ``"ti,tx-internal-delay"``: RGMIIDCTL codes 0-15
  (0.25 ns steps from 0.25 ns).  Required when the interface mode asks the PHY for
  that delay (RGMII_ID/RXID resp. RGMII_ID/TXID), as the kernel requires them:
  missing is ``EINVAL``.
* ``"tx-fifo-depth"`` / ``"rx-fifo-depth"``: PHYCR FIFO depth codes (default 1, four
  bytes/nibbles, the kernel's default);
* ``"ti,sgmii-ref-clock-output-enable"``: SGMII 6-wire mode (default off).

The DP83867's revision nibble is masked away, like DP83865's in §4.1::

    >>> DP83867.matches(0x2000a230), DP83867.matches(0x2000a23f)
    (True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_DISABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    PHY_BASIC_FEATURES,
    PHY_GBIT_FEATURES,
    PHY_HAS_INTERRUPT,
    PHY_IGNORE_INTERRUPT,
    PHY_INTERRUPT_DISABLED,
    PHY_INTERRUPT_ENABLED,
    PHY_POLL,
    Interface,
)
from physcapy.pal.driver import Op, PhyDriver
from physcapy.pal.genphy import (
    BMCR_ANENABLE,
    MII_BMCR,
    genphy_config_init,
    genphy_read_status,
    genphy_resume,
    genphy_soft_reset,
    genphy_suspend,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

EINVAL = 22
_RGMII = (Interface.RGMII, Interface.RGMII_ID, Interface.RGMII_RXID, Interface.RGMII_TXID)

# -- DP83848 family (§4.9) ----------------------------------------------------------------

DP83848_MICR = 0x11  # MII interrupt control
DP83848_MICR_INT_OE = 0x0001  # interrupt output enable
DP83848_MICR_INTEN = 0x0002  # interrupt enable
DP83848_MISR = 0x12  # MII interrupt status and event control
#: MISR low-byte enables: AN complete (bit 2), duplex (3), speed (4), link (5).
DP83848_INT_EN_MASK = 0x003C


def dp83848_ack_interrupt(dev: PhyDevice) -> None:
    """§4.9: read MISR (reading clears the status bits)."""
    dev.read(DP83848_MISR)


def dp83848_config_intr(dev: PhyDevice) -> None:
    """§4.9: read MICR; on: MISR ← 0x3c, then MICR |= 0x3 (INTEN | INT_OE); off:
    MICR &= ~0x2 (INTEN).  MICR is always written back (a read, then a write)."""
    control = dev.read(DP83848_MICR)
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        control |= DP83848_MICR_INT_OE | DP83848_MICR_INTEN
        dev.write(DP83848_MISR, DP83848_INT_EN_MASK)
    else:
        control &= ~DP83848_MICR_INTEN
    dev.write(DP83848_MICR, control)


def dp83848_handle_interrupt(dev: PhyDevice) -> bool:
    """v6 threaded interrupt (used by the ``linux6`` core only): read MISR (which
    acknowledges it); the interrupt is ours when an event is flagged (high byte) whose
    enable (the bit 8 places lower) is set.  The reference describes the older
    ack_interrupt only; v6 replaced it with this read-and-claim."""
    status = dev.read(DP83848_MISR)
    return bool((status >> 8) & status & 0xFF)


def dp83620_config_init(dev: PhyDevice) -> None:
    """DP83620 (§4.9): the generic config_init, then autoneg off when BMCR has AN
    disabled (this part always reports AN ability in BMSR)."""
    genphy_config_init(dev)
    if not dev.read(MII_BMCR) & BMCR_ANENABLE:
        dev.autoneg = AUTONEG_DISABLE


def _dp83848(phy_id: int, name: str, model: str, config_init: Op) -> PhyDriver:
    return PhyDriver(
        phy_id,
        0xFFFFFFF0,
        name,
        features=PHY_BASIC_FEATURES,
        flags=PHY_HAS_INTERRUPT,
        config_init=config_init,
        soft_reset=genphy_soft_reset,
        suspend=genphy_suspend,
        resume=genphy_resume,
        ack_interrupt=dp83848_ack_interrupt,
        config_intr=dp83848_config_intr,
        handle_interrupt=dp83848_handle_interrupt,
        model=model,
    )


TI_DP83848C = _dp83848(0x20005CA0, "TI DP83848C 10/100 Mbps PHY", "dp83848ti", genphy_config_init)
NS_DP83848C = _dp83848(0x20005C90, "NS DP83848C 10/100 Mbps PHY", "dp83848", genphy_config_init)
TI_DP83620 = _dp83848(0x20005CE0, "TI DP83620 10/100 Mbps PHY", "dp83620", dp83620_config_init)
TI_TLK10X = _dp83848(0x2000A210, "TI TLK10X 10/100 Mbps PHY", "tlk105", genphy_config_init)

# -- DP83867 (§4.10) -----------------------------------------------------------------------

DP83867_DEVADDR = 0x1F  # MMD of the extended registers (through r13/r14)
MII_DP83867_PHYCTRL = 0x10  # PHYCR
DP83867_PHYCR_TX_FIFO_SHIFT = 14
DP83867_PHYCR_RX_FIFO_SHIFT = 12
DP83867_PHYCR_TX_FIFO_MASK = 0xC000
DP83867_PHYCR_RX_FIFO_MASK = 0x3000
DP83867_PHYCR_RESERVED_MASK = 0x0800  # bit 11
DP83867_PHYCR_FORCE_LINK_GOOD = 0x0400  # bit 10
DP83867_PHYCR_FIFO_DEPTH_4_B_NIB = 0x1
MII_DP83867_PHYSTS = 0x11
DP83867_PHYSTS_1000 = 0x8000
DP83867_PHYSTS_100 = 0x4000
DP83867_PHYSTS_DUPLEX = 0x2000
MII_DP83867_MICR = 0x12
MII_DP83867_MICR_AN_ERR_INT_EN = 0x8000
MII_DP83867_MICR_SPEED_CHNG_INT_EN = 0x4000
MII_DP83867_MICR_DUP_MODE_CHNG_INT_EN = 0x2000
MII_DP83867_MICR_AUTONEG_COMP_INT_EN = 0x0800
MII_DP83867_MICR_LINK_STS_CHNG_INT_EN = 0x0400
MII_DP83867_MICR_SLEEP_MODE_CHNG_INT_EN = 0x0010
DP83867_MICR_ENABLE = (
    MII_DP83867_MICR_AN_ERR_INT_EN
    | MII_DP83867_MICR_SPEED_CHNG_INT_EN
    | MII_DP83867_MICR_AUTONEG_COMP_INT_EN
    | MII_DP83867_MICR_LINK_STS_CHNG_INT_EN
    | MII_DP83867_MICR_DUP_MODE_CHNG_INT_EN
    | MII_DP83867_MICR_SLEEP_MODE_CHNG_INT_EN
)
MII_DP83867_ISR = 0x13
DP83867_CFG2 = 0x14
DP83867_DOWNSHIFT_EN = 0x0300  # bits 9:8
DP83867_CFG3 = 0x1E
DP83867_CFG3_INT_OE = 0x0080  # bit 7
DP83867_CFG3_ROBUST_AUTO_MDIX = 0x0200  # bit 9
DP83867_CTRL = 0x1F
DP83867_SW_RESET = 0x8000
# Extended registers (MMD 0x1f).
DP83867_CFG4 = 0x31
DP83867_CFG4_SGMII_ANEG_MASK = 0x0060  # bits 6:5
#: dp83867.c (v6.12): 16 ms, the longest SGMII AN timer, is 0b00 in bits 6:5 (0b11 is
#: 11 ms, 0b01 the 2 us reset value).
DP83867_CFG4_SGMII_ANEG_TIMER_16MS = 0x0000
DP83867_RGMIICTL = 0x32
DP83867_RGMII_TX_CLK_DELAY_EN = 0x0002
DP83867_RGMII_RX_CLK_DELAY_EN = 0x0001
DP83867_STRAP_STS1 = 0x6E
DP83867_STRAP_STS1_RESERVED = 0x0800  # bit 11
DP83867_STRAP_STS2 = 0x6F
DP83867_STRAP_STS2_STRAP_FLD = 0x0400  # bit 10: fast link drop strapped on
DP83867_FLD_THR_CFG = 0x2E
DP83867_FLD_THR_CFG_ENERGY_LOST_THR_MASK = 0x0007
DP83867_RGMIIDCTL = 0x86
DP83867_RGMII_TX_CLK_DELAY_SHIFT = 4
DP83867_SGMIICTL = 0xD3
DP83867_SGMII_TYPE = 0x4000  # bit 14: 6-wire
DP83867_10M_SGMII_CFG = 0x16F
DP83867_10M_SGMII_RATE_ADAPT = 0x0080  # bit 7

#: Reset settling time: the reference's "wait 10-20 µs" (usleep_range upper bound).
DP83867_RESET_WAIT = 20e-6


def dp83867_phy_reset(dev: PhyDevice) -> None:
    """soft_reset (§4.10): CTRL r0x1f ← 0x8000, wait 10-20 µs, clear PHYCR bit 10
    (force link good; phy_modify, so written only when set)."""
    dev.write(DP83867_CTRL, DP83867_SW_RESET)
    dev.kernel.sleep(DP83867_RESET_WAIT)
    dev.modify(MII_DP83867_PHYCTRL, DP83867_PHYCR_FORCE_LINK_GOOD, 0)


def _irq_valid(dev: PhyDevice) -> bool:
    """phy_interrupt_is_valid: an interrupt line, not polling, not the MAC's."""
    return dev.irq not in (PHY_POLL, PHY_IGNORE_INTERRUPT)


def _delay(dev: PhyDevice, key: str, needed: bool) -> int:
    value = dev.priv.get(key)
    if value is None:
        if needed:
            raise PalError(
                EINVAL,
                f"{dev.name}: {key} must be specified for {dev.interface.name.lower()} "
                f"(set dev.priv[{key!r}] to an RGMIIDCTL code 0-15)",
            )
        return 0
    if not 0 <= int(value) <= 0xF:
        raise PalError(EINVAL, f"{dev.name}: {key} = {value} is out of range 0-15")
    return int(value)


def dp83867_config_init(dev: PhyDevice) -> None:
    """config_init (§4.10), in this order:

    1. CFG2 r0x14 |= 0x0300: enable speed optimisation (downshift), even if strapped
       off (phy_modify: written only on change);
    2. RGMII or SGMII: PHYCR TX FIFO depth (bits 15:14; SGMII also RX, 13:12) from
       the board settings, read then written;
    3. RGMII: PHYCR read again; if strap status STS1 (MMD 0x1f 0x6e) bit 11 is set,
       PHYCR bit 11 cleared; PHYCR written;
    4. RGMII: RGMIICTL (0x32) delay enables per mode (RGMII_ID both, RGMII_TXID bit 1,
       RGMII_RXID bit 0, plain RGMII neither), read-modify-write; RGMIIDCTL (0x86) ←
       rx | tx << 4 from the board settings;
    5. SGMII: 10M SGMII rate adaptation (0x16f bit 7) cleared, CFG4 (0x31) AN timer
       bits 6:5 ← 00 (16 ms; phy_modify_mmd), SGMIICTL (0xd3) bit 14 per the 6-wire
       setting.  The reference names these registers but not the steps; they are what
       the kernel does;
    6. CFG3 r0x1e |= robust auto-MDIX (bit 9), and INT_OE (bit 7) when the PHY has an
       interrupt line; read then written.

    The kernel's checks of the board settings (a delay the mode needs must be given)
    come before any register access, as here.  Its optional extras (strap FLD
    threshold, port mirroring, I/O impedance, clock output) are left out: the
    reference does not list them and the default board asks for none.  The v6.12
    form is :func:`dp83867_config_init_612`.
    """
    _dp83867_config_init(dev, v612=False)


def dp83867_config_init_612(dev: PhyDevice) -> None:
    """v6.12 dp83867.c dp83867_config_init with the default board (no
    rxctrl-strap-quirk, I/O impedance, port mirroring or clock output properties): as
    :func:`dp83867_config_init`, except that

    * the board's delays are checked (dp83867_verify_rgmii_cfg) *after* the CFG2
      phy_modify, so a refused mode has CFG2 written already;
    * dp83867_verify_rgmii_cfg reads STRAP_STS2 (MMD 0x1f 0x6f) for plain RGMII (only
      to warn about strapped clock skews);
    * STRAP_STS2 is then read for every mode: with the fast-link-drop strap (bit 10)
      set, FLD_THR_CFG (MMD 0x1f 0x2e) bits 2:0 are set back to 1 by phy_modify_mmd.
    """
    _dp83867_config_init(dev, v612=True)


def _dp83867_config_init(dev: PhyDevice, *, v612: bool) -> None:
    """The reference form's steps, or with ``v612`` those of v6.12 dp83867.c."""
    iface = dev.interface
    if v612:
        # v6.12 dp83867_config_init: CFG2 first, then dp83867_verify_rgmii_cfg.
        dev.modify(DP83867_CFG2, DP83867_DOWNSHIFT_EN, DP83867_DOWNSHIFT_EN)
        if iface == Interface.RGMII:
            dev.read_mmd(DP83867_DEVADDR, DP83867_STRAP_STS2)  # strapped-skew warning
    rx_delay = tx_delay = 0
    if iface in _RGMII:
        rx_delay = _delay(
            dev, "ti,rx-internal-delay", iface in (Interface.RGMII_ID, Interface.RGMII_RXID)
        )
        tx_delay = _delay(
            dev, "ti,tx-internal-delay", iface in (Interface.RGMII_ID, Interface.RGMII_TXID)
        )
    if v612:
        # v6.12 dp83867_config_init: the FLD strap leaves ENERGY_LOST_FLD_THR at 2.
        if dev.read_mmd(DP83867_DEVADDR, DP83867_STRAP_STS2) & DP83867_STRAP_STS2_STRAP_FLD:
            _modify_mmd(dev, DP83867_FLD_THR_CFG, DP83867_FLD_THR_CFG_ENERGY_LOST_THR_MASK, 0x1)
    else:
        dev.modify(DP83867_CFG2, DP83867_DOWNSHIFT_EN, DP83867_DOWNSHIFT_EN)
    if iface in _RGMII or iface == Interface.SGMII:
        val = dev.read(MII_DP83867_PHYCTRL)
        tx_fifo = int(dev.priv.get("tx-fifo-depth", DP83867_PHYCR_FIFO_DEPTH_4_B_NIB))
        val = (val & ~DP83867_PHYCR_TX_FIFO_MASK) | (tx_fifo << DP83867_PHYCR_TX_FIFO_SHIFT)
        if iface == Interface.SGMII:
            rx_fifo = int(dev.priv.get("rx-fifo-depth", DP83867_PHYCR_FIFO_DEPTH_4_B_NIB))
            val = (val & ~DP83867_PHYCR_RX_FIFO_MASK) | (rx_fifo << DP83867_PHYCR_RX_FIFO_SHIFT)
        dev.write(MII_DP83867_PHYCTRL, val & 0xFFFF)
    if iface in _RGMII:
        val = dev.read(MII_DP83867_PHYCTRL)
        if dev.read_mmd(DP83867_DEVADDR, DP83867_STRAP_STS1) & DP83867_STRAP_STS1_RESERVED:
            val &= ~DP83867_PHYCR_RESERVED_MASK
        dev.write(MII_DP83867_PHYCTRL, val)
        val = dev.read_mmd(DP83867_DEVADDR, DP83867_RGMIICTL)
        val &= ~(DP83867_RGMII_TX_CLK_DELAY_EN | DP83867_RGMII_RX_CLK_DELAY_EN)
        if iface in (Interface.RGMII_ID, Interface.RGMII_TXID):
            val |= DP83867_RGMII_TX_CLK_DELAY_EN
        if iface in (Interface.RGMII_ID, Interface.RGMII_RXID):
            val |= DP83867_RGMII_RX_CLK_DELAY_EN
        dev.write_mmd(DP83867_DEVADDR, DP83867_RGMIICTL, val)
        dev.write_mmd(
            DP83867_DEVADDR,
            DP83867_RGMIIDCTL,
            rx_delay | tx_delay << DP83867_RGMII_TX_CLK_DELAY_SHIFT,
        )
    if iface == Interface.SGMII:
        _modify_mmd(dev, DP83867_10M_SGMII_CFG, DP83867_10M_SGMII_RATE_ADAPT, 0)
        _modify_mmd(
            dev, DP83867_CFG4, DP83867_CFG4_SGMII_ANEG_MASK, DP83867_CFG4_SGMII_ANEG_TIMER_16MS
        )
        val = dev.read_mmd(DP83867_DEVADDR, DP83867_SGMIICTL)
        if dev.priv.get("ti,sgmii-ref-clock-output-enable"):
            val |= DP83867_SGMII_TYPE
        else:
            val &= ~DP83867_SGMII_TYPE
        dev.write_mmd(DP83867_DEVADDR, DP83867_SGMIICTL, val)
    val = dev.read(DP83867_CFG3)
    if _irq_valid(dev):
        val |= DP83867_CFG3_INT_OE
    val |= DP83867_CFG3_ROBUST_AUTO_MDIX
    dev.write(DP83867_CFG3, val)


def _modify_mmd(dev: PhyDevice, reg: int, clear: int, setbits: int) -> None:
    """phy_modify_mmd: read, and write only when the value changes."""
    old = dev.read_mmd(DP83867_DEVADDR, reg)
    new = (old & ~clear) | setbits
    if new != old:
        dev.write_mmd(DP83867_DEVADDR, reg, new)


def dp83867_read_status(dev: PhyDevice) -> None:
    """read_status (§4.10): the generic status, then speed and duplex overridden from
    PHYSTS r0x11 (bit 15 1000, bit 14 100, else 10; bit 13 full duplex).  PHYSTS is
    read before the generic status, as the kernel does (the reference gives no order)."""
    status = dev.read(MII_DP83867_PHYSTS)
    genphy_read_status(dev)
    dev.duplex = DUPLEX_FULL if status & DP83867_PHYSTS_DUPLEX else DUPLEX_HALF
    if status & DP83867_PHYSTS_1000:
        dev.speed = 1000
    elif status & DP83867_PHYSTS_100:
        dev.speed = 100
    else:
        dev.speed = 10


def dp83867_ack_interrupt(dev: PhyDevice) -> None:
    """§4.10: read ISR r0x13."""
    dev.read(MII_DP83867_ISR)


def dp83867_config_intr(dev: PhyDevice) -> None:
    """§4.10: on: MICR |= AN error | speed | AN complete | link | duplex | sleep
    (0xEC10), read then written; off: MICR ← 0."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        micr = dev.read(MII_DP83867_MICR)
        dev.write(MII_DP83867_MICR, micr | DP83867_MICR_ENABLE)
    else:
        dev.write(MII_DP83867_MICR, 0)


def dp83867_handle_interrupt(dev: PhyDevice) -> bool:
    """v6 threaded interrupt (used by the ``linux6`` core only): read ISR (which
    acknowledges it), then MICR; ours when they overlap.  The reference describes the
    older ack_interrupt only; the register order is the v6 driver's."""
    status = dev.read(MII_DP83867_ISR)
    enabled = dev.read(MII_DP83867_MICR)
    return bool(status & enabled)


DP83867 = PhyDriver(
    0x2000A231,
    0xFFFFFFF0,
    "TI DP83867",
    features=PHY_GBIT_FEATURES,
    flags=PHY_HAS_INTERRUPT,
    soft_reset=dp83867_phy_reset,
    config_init=dp83867_config_init,
    read_status=dp83867_read_status,
    ack_interrupt=dp83867_ack_interrupt,
    config_intr=dp83867_config_intr,
    handle_interrupt=dp83867_handle_interrupt,
    suspend=genphy_suspend,
    resume=genphy_resume,
    model="dp83867",
)

#: Linux v2.6.32 has none of these (its national.c drives only the DP83865): such PHYs
#: get the generic driver, which has no PHY_HAS_INTERRUPT, so they are polled.
DRIVERS: list[PhyDriver] = []
#: The forms of [S12]/[S13] (kept for reference and for tests that name them).
DRIVERS_REFERENCE: list[PhyDriver] = [TI_DP83848C, NS_DP83848C, TI_DP83620, TI_TLK10X, DP83867]


# -- v6.12 dp83848.c ------------------------------------------------------------------------

#: MISR event bits (high byte): AN complete, duplex, speed, link (DP83848_INT_MASK).
DP83848_INT_MASK = 0x3C00


def dp83848_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: read MICR; on: acknowledge (read MISR), MISR ← 0x3c, MICR |= INTEN |
    INT_OE; off: MICR &= ~INTEN, then acknowledge (read MISR)."""
    control = dev.read(DP83848_MICR)
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dp83848_ack_interrupt(dev)
        dev.write(DP83848_MISR, DP83848_INT_EN_MASK)
        dev.write(DP83848_MICR, control | DP83848_MICR_INT_OE | DP83848_MICR_INTEN)
    else:
        dev.write(DP83848_MICR, control & ~DP83848_MICR_INTEN)
        dp83848_ack_interrupt(dev)


def dp83848_handle_interrupt_612(dev: PhyDevice) -> bool:
    """v6.12: read MISR (which clears it); ours when an event of 0x3c00 is flagged."""
    return bool(dev.read(DP83848_MISR) & DP83848_INT_MASK)


def dp83620_config_init_612(dev: PhyDevice) -> None:
    """v6.12 DP83620 (dp83848_config_init): autoneg off when BMCR has AN disabled (one
    BMCR read; no generic config_init any more)."""
    if not dev.read(MII_BMCR) & BMCR_ANENABLE:
        dev.autoneg = AUTONEG_DISABLE


def _dp83848_612(phy_id: int, name: str, model: str, config_init: Op | None) -> PhyDriver:
    """DP83848_PHY_DRIVER of v6.12: no features (probe reads BMSR), generic soft reset,
    config_intr/handle_interrupt, genphy suspend/resume (PHY_RST_AFTER_CLK_EN has no
    MDIO effect)."""
    return PhyDriver(
        phy_id,
        0xFFFFFFF0,
        name,
        soft_reset=genphy_soft_reset,
        config_init=config_init,
        suspend=genphy_suspend,
        resume=genphy_resume,
        config_intr=dp83848_config_intr_612,
        handle_interrupt=dp83848_handle_interrupt_612,
        model=model,
    )


# -- v6.12 dp83867.c ------------------------------------------------------------------------

DP83867_DSP_FFE_CFG = 0x012C
DP83867_SW_RESTART = 0x4000


def dp83867_phy_reset_612(dev: PhyDevice) -> None:
    """v6.12 soft_reset: CTRL ← SW_RESET, 10-20 us, PHYCR bit 10 cleared (phy_modify),
    MMD 0x1f 0x12c ← 0x0e81 (DSP FFE), CTRL ← SW_RESTART, 10-20 us."""
    dp83867_phy_reset(dev)
    dev.write_mmd(DP83867_DEVADDR, DP83867_DSP_FFE_CFG, 0x0E81)
    dev.write(DP83867_CTRL, DP83867_SW_RESTART)
    dev.kernel.sleep(DP83867_RESET_WAIT)


def dp83867_config_intr_612(dev: PhyDevice) -> None:
    """v6.12: on: acknowledge (read ISR), MICR |= 0xEC10 (read then written); off:
    MICR ← 0, acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dp83867_ack_interrupt(dev)
        micr = dev.read(MII_DP83867_MICR)
        dev.write(MII_DP83867_MICR, micr | DP83867_MICR_ENABLE)
    else:
        dev.write(MII_DP83867_MICR, 0)
        dp83867_ack_interrupt(dev)


def dp83867_suspend(dev: PhyDevice) -> None:
    """v6.12: with an interrupt line, interrupts off first; then genphy_suspend."""
    if _irq_valid(dev):
        dev.interrupts = PHY_INTERRUPT_DISABLED
        dp83867_config_intr_612(dev)
    genphy_suspend(dev)


def dp83867_resume(dev: PhyDevice) -> None:
    """v6.12: with an interrupt line, interrupts on first; then genphy_resume."""
    if _irq_valid(dev):
        dev.interrupts = PHY_INTERRUPT_ENABLED
        dp83867_config_intr_612(dev)
    genphy_resume(dev)


DP83867_612 = PhyDriver(
    0x2000A231,
    0xFFFFFFF0,
    "TI DP83867",
    soft_reset=dp83867_phy_reset_612,
    config_init=dp83867_config_init_612,
    read_status=dp83867_read_status,
    config_intr=dp83867_config_intr_612,
    handle_interrupt=dp83867_handle_interrupt,
    suspend=dp83867_suspend,
    resume=dp83867_resume,
    model="dp83867",
)

#: v6.12 dp83848.c's table order, then dp83867.c.
MODERN_DRIVERS: list[PhyDriver] = [
    _dp83848_612(0x20005CA0, "TI DP83848C 10/100 Mbps PHY", "dp83848ti", None),
    _dp83848_612(0x20005C90, "NS DP83848C 10/100 Mbps PHY", "dp83848", None),
    _dp83848_612(0x20005CE0, "TI DP83620 10/100 Mbps PHY", "dp83620", dp83620_config_init_612),
    _dp83848_612(0x2000A210, "TI TLK10X 10/100 Mbps PHY", "tlk105", None),
    DP83867_612,
]
