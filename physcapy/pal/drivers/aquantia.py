# SPDX-License-Identifier: GPL-2.0-only
"""Marvell (Aquantia) AQR113C as Linux v6.12 ``drivers/net/phy/aquantia/aquantia_main.c``
drives it ("Aquantia AQR113C", ``PHY_ID_MATCH_MODEL(0x31c31c12)``).

A native Clause 45 part with firmware: probe waits for the firmware ID (VEND1 0x20);
config_init accepts only SerDes host interfaces (ENODEV for GMII/RGMII), waits for the
firmware again, sets downshift (AN 0xC400), enables the PMD transmitter (1.9) and reads
the per-speed SerDes configuration (VEND1 0x031B ... 0x031F).  config_aneg is the
Clause 45 advertisement plus the vendor 1000BASE-T/2.5G/5G bits in AN 0xC400;
read_status is genphy_c45_read_status with the partner's 1000BASE-T from AN 0xE820,
then the host interface (PHY XS 0xE812) and the rate the PHY really runs (AN 0xC800,
which covers a downshift) with its rate-adaptation setting (VEND1 0x031x).  Interrupts:
AN 0xD401 (link), VEND1 0xFF00/0xFF01 (global masks), status AN 0xCC01.

No AQR113C existed in Linux v2.6.32, whose bus scan is Clause 22 only: there the part
is not found at all.  Kernel-source facts only (the datasheet is under NDA).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_DISABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    PHY_INTERRUPT_ENABLED,
    SPEED_UNKNOWN,
    SUPPORTED,
    Interface,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.phy_c45 import (
    MDIO_CTRL1,
    MDIO_CTRL1_LPOWER,
    MDIO_MMD_AN,
    MDIO_MMD_PHYXS,
    MDIO_MMD_PMAPMD,
    MDIO_MMD_VEND1,
    MDIO_PMA_TXDIS,
    genphy_c45_an_config_aneg,
    genphy_c45_check_and_restart_aneg,
    genphy_c45_pma_setup_forced,
    genphy_c45_read_status,
    modify_mmd_changed,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

_S = SUPPORTED
PHY_ID_AQR113C = 0x31C31C12
MATCH_MODEL = 0xFFFFFFF0  # PHY_ID_MATCH_MODEL

# AN MMD vendor registers (aquantia_main.c).
MDIO_AN_VEND_PROV = 0xC400
MDIO_AN_VEND_PROV_1000BASET_FULL, MDIO_AN_VEND_PROV_1000BASET_HALF = 0x8000, 0x4000
MDIO_AN_VEND_PROV_5000BASET_FULL, MDIO_AN_VEND_PROV_2500BASET_FULL = 0x0800, 0x0400
MDIO_AN_VEND_PROV_DOWNSHIFT_EN, MDIO_AN_VEND_PROV_DOWNSHIFT_MASK = 0x0010, 0x000F
MDIO_AN_VEND_PROV_DOWNSHIFT_DFLT = 4
MDIO_AN_TX_VEND_STATUS1 = 0xC800
MDIO_AN_TX_VEND_STATUS1_FULL_DUPLEX = 0x0001
MDIO_AN_TX_VEND_INT_STATUS2, MDIO_AN_TX_VEND_INT_STATUS2_MASK = 0xCC01, 0x0001
MDIO_AN_TX_VEND_INT_MASK2, MDIO_AN_TX_VEND_INT_MASK2_LINK = 0xD401, 0x0001
MDIO_AN_RX_LP_STAT1 = 0xE820
MDIO_AN_RX_LP_STAT1_1000BASET_FULL, MDIO_AN_RX_LP_STAT1_1000BASET_HALF = 0x8000, 0x4000
MDIO_PHYXS_VEND_IF_STATUS = 0xE812
# VEND1 global registers (aquantia.h).
VEND1_GLOBAL_FW_ID = 0x0020
VEND1_GLOBAL_RSVD_STAT1 = 0xC885
VEND1_GLOBAL_GEN_STAT2, VEND1_GLOBAL_GEN_STAT2_OP_IN_PROG = 0xC831, 0x8000
VEND1_GLOBAL_INT_STD_MASK, VEND1_GLOBAL_INT_STD_MASK_ALL = 0xFF00, 0x0001
VEND1_GLOBAL_INT_VEND_MASK = 0xFF01
VEND1_GLOBAL_INT_VEND_MASK_AN, VEND1_GLOBAL_INT_VEND_MASK_GLOBAL3 = 0x1000, 0x0001
VEND1_GLOBAL_CFG_10M, VEND1_GLOBAL_CFG_100M, VEND1_GLOBAL_CFG_1G = 0x0310, 0x031B, 0x031C
VEND1_GLOBAL_CFG_2_5G, VEND1_GLOBAL_CFG_5G, VEND1_GLOBAL_CFG_10G = 0x031D, 0x031E, 0x031F
AQR_GLOBAL_CFG_REGS = (
    VEND1_GLOBAL_CFG_10M,
    VEND1_GLOBAL_CFG_100M,
    VEND1_GLOBAL_CFG_1G,
    VEND1_GLOBAL_CFG_2_5G,
    VEND1_GLOBAL_CFG_5G,
    VEND1_GLOBAL_CFG_10G,
)
MDIO_PMD_TXDIS_GLOBAL = 0x0001
#: AN 0xC800 bits 3:1 -> (speed, VEND1 configuration register of that speed).
RATES = {
    0: (10, VEND1_GLOBAL_CFG_10M),
    1: (100, VEND1_GLOBAL_CFG_100M),
    2: (1000, VEND1_GLOBAL_CFG_1G),
    3: (10000, VEND1_GLOBAL_CFG_10G),
    4: (2500, VEND1_GLOBAL_CFG_2_5G),
    5: (5000, VEND1_GLOBAL_CFG_5G),
}
#: PHY XS 0xE812 bits 7:3 -> the host interface aqr107_read_status reports.
HOST_INTERFACES = {
    0: Interface.BASEKR_10G,
    2: Interface.BASER_10G,
    3: Interface.USXGMII,
    4: Interface.XAUI,
    6: Interface.SGMII,
    7: Interface.RXAUI,
    10: Interface.BASEX_2500,
}
#: aqr107_config_init: the host interfaces the AQR107 family can drive.
AQR107_INTERFACES = (
    Interface.SGMII,
    Interface.BASEX_2500,
    Interface.XGMII,
    Interface.USXGMII,
    Interface.BASEKR_10G,
    Interface.BASER_10G,
    Interface.XAUI,
    Interface.RXAUI,
)
#: read_poll_timeout intervals and limits (microseconds in the kernel).
AQR_FW_WAIT_SLEEP, AQR_FW_WAIT_TIMEOUT = 0.020, 2.0
AQR107_OP_IN_PROG_SLEEP, AQR107_OP_IN_PROG_TIMEOUT = 0.001, 0.1


def _poll_mmd(
    dev: PhyDevice, devad: int, reg: int, done: object, sleep: float, limit: float
) -> int:
    """read_poll_timeout(phy_read_mmd, ..., sleep_before_read = false): read, test,
    sleep, until ``done(value)`` or ``limit`` seconds (ETIMEDOUT after one last read)."""
    assert callable(done)
    waited = 0.0
    while True:
        val = dev.read_mmd(devad, reg)
        if done(val):
            return val
        if waited >= limit - 1e-9:
            raise PalError(110, f"{dev.name}: MMD {devad}.{reg:#06x} poll timed out")
        dev.kernel.sleep(sleep)
        waited += sleep


def aqr_wait_reset_complete(dev: PhyDevice) -> None:
    """Poll VEND1 0x20 (firmware ID) every 20 ms, for up to 2 s, until non-zero."""
    _poll_mmd(
        dev,
        MDIO_MMD_VEND1,
        VEND1_GLOBAL_FW_ID,
        lambda v: v != 0,
        AQR_FW_WAIT_SLEEP,
        AQR_FW_WAIT_TIMEOUT,
    )


def aqr107_probe(dev: PhyDevice) -> None:
    """aqr107_probe: aqr_firmware_load finds firmware running (aqr_wait_reset_complete
    succeeds), so no image is loaded; aqr_hwmon_probe touches no register."""
    aqr_wait_reset_complete(dev)


def aqr107_chip_info(dev: PhyDevice) -> None:
    """Firmware version (VEND1 0x20) and build/provisioning IDs (VEND1 0xC885): debug
    output only, but the reads happen."""
    dev.read_mmd(MDIO_MMD_VEND1, VEND1_GLOBAL_FW_ID)
    dev.read_mmd(MDIO_MMD_VEND1, VEND1_GLOBAL_RSVD_STAT1)


def aqr107_set_downshift(dev: PhyDevice, count: int) -> None:
    """AN 0xC400: downshift enable and retry count (phy_modify_mmd)."""
    val = MDIO_AN_VEND_PROV_DOWNSHIFT_EN | count if count else 0
    mask = MDIO_AN_VEND_PROV_DOWNSHIFT_EN | MDIO_AN_VEND_PROV_DOWNSHIFT_MASK
    modify_mmd_changed(dev, MDIO_MMD_AN, MDIO_AN_VEND_PROV, mask, val)


def aqr107_wait_processor_intensive_op(dev: PhyDevice) -> None:
    """1-5 ms (1 ms here), then VEND1 0xC831 until bit 15 (operation in progress)
    clears: every 1 ms for up to 100 ms."""
    dev.kernel.sleep(0.001)
    _poll_mmd(
        dev,
        MDIO_MMD_VEND1,
        VEND1_GLOBAL_GEN_STAT2,
        lambda v: not v & VEND1_GLOBAL_GEN_STAT2_OP_IN_PROG,
        AQR107_OP_IN_PROG_SLEEP,
        AQR107_OP_IN_PROG_TIMEOUT,
    )


def aqr113c_config_init(dev: PhyDevice) -> None:
    """aqr107_config_init (interface check: ENODEV unless SGMII, 2500BASE-X, XGMII,
    USXGMII, 10GBASE-KR/R, XAUI or RXAUI; firmware wait; chip info; downshift 4; no LED
    polarity to restore), then PMD transmitter on (1.9 bit 0 cleared), the
    processor-intensive-operation wait and aqr113c_fill_interface_modes (VEND1 0x031B
    until non-zero, then the six VEND1 0x031x configuration registers)."""
    if dev.interface not in AQR107_INTERFACES:
        raise PalError(
            19, f"{dev.name}: AQR113C cannot drive a {dev.interface.name} host interface"
        )
    aqr_wait_reset_complete(dev)
    aqr107_chip_info(dev)
    aqr107_set_downshift(dev, MDIO_AN_VEND_PROV_DOWNSHIFT_DFLT)
    modify_mmd_changed(dev, MDIO_MMD_PMAPMD, MDIO_PMA_TXDIS, MDIO_PMD_TXDIS_GLOBAL, 0)
    aqr107_wait_processor_intensive_op(dev)
    _poll_mmd(dev, MDIO_MMD_VEND1, VEND1_GLOBAL_CFG_100M, lambda v: v != 0, 0.001, 0.1)
    for reg in AQR_GLOBAL_CFG_REGS:
        dev.read_mmd(MDIO_MMD_VEND1, reg)


def aqr_config_aneg(dev: PhyDevice) -> int:
    """Forced: genphy_c45_pma_setup_forced.  Else genphy_c45_an_config_aneg, then the
    vendor advertisement AN 0xC400 (1000BASE-T full/half, 2.5G, 5G; Clause 45 has no
    standard 1000BASE-T register), written only on a change; restart AN on any change."""
    if dev.autoneg == AUTONEG_DISABLE:
        genphy_c45_pma_setup_forced(dev)
        return 0
    changed = genphy_c45_an_config_aneg(dev)
    reg = 0
    for mode, bit in (
        (_S["1000baseT_Full"], MDIO_AN_VEND_PROV_1000BASET_FULL),
        (_S["1000baseT_Half"], MDIO_AN_VEND_PROV_1000BASET_HALF),
        (_S["2500baseT_Full"], MDIO_AN_VEND_PROV_2500BASET_FULL),
        (_S["5000baseT_Full"], MDIO_AN_VEND_PROV_5000BASET_FULL),
    ):
        if dev.advertising & mode:
            reg |= bit
    mask = (
        MDIO_AN_VEND_PROV_1000BASET_HALF
        | MDIO_AN_VEND_PROV_1000BASET_FULL
        | MDIO_AN_VEND_PROV_2500BASET_FULL
        | MDIO_AN_VEND_PROV_5000BASET_FULL
    )
    changed |= modify_mmd_changed(dev, MDIO_MMD_AN, MDIO_AN_VEND_PROV, mask, reg)
    genphy_c45_check_and_restart_aneg(dev, bool(changed))
    return changed


def aqr_config_intr(dev: PhyDevice) -> None:
    """On: AN 0xCC01 read (clears what is pending), AN 0xD401 ← link, VEND1 0xFF00 ←
    all, VEND1 0xFF01 ← global3 | AN.  Off: the three masks ← 0, then AN 0xCC01."""
    on = dev.interrupts == PHY_INTERRUPT_ENABLED
    if on:
        dev.read_mmd(MDIO_MMD_AN, MDIO_AN_TX_VEND_INT_STATUS2)
    dev.write_mmd(
        MDIO_MMD_AN, MDIO_AN_TX_VEND_INT_MASK2, MDIO_AN_TX_VEND_INT_MASK2_LINK if on else 0
    )
    dev.write_mmd(
        MDIO_MMD_VEND1, VEND1_GLOBAL_INT_STD_MASK, VEND1_GLOBAL_INT_STD_MASK_ALL if on else 0
    )
    vend = VEND1_GLOBAL_INT_VEND_MASK_GLOBAL3 | VEND1_GLOBAL_INT_VEND_MASK_AN
    dev.write_mmd(MDIO_MMD_VEND1, VEND1_GLOBAL_INT_VEND_MASK, vend if on else 0)
    if not on:
        dev.read_mmd(MDIO_MMD_AN, MDIO_AN_TX_VEND_INT_STATUS2)


def aqr_handle_interrupt(dev: PhyDevice) -> bool:
    """AN 0xCC01 (clear on read); ours when bit 0 (link) is set."""
    return bool(
        dev.read_mmd(MDIO_MMD_AN, MDIO_AN_TX_VEND_INT_STATUS2) & MDIO_AN_TX_VEND_INT_STATUS2_MASK
    )


def aqr_read_status(dev: PhyDevice) -> None:
    """With AN: the partner's 1000BASE-T full/half from AN 0xE820 into lp_advertising;
    then genphy_c45_read_status."""
    if dev.autoneg != AUTONEG_DISABLE:
        val = dev.read_mmd(MDIO_MMD_AN, MDIO_AN_RX_LP_STAT1)
        lp = dev.lp_advertising & ~(_S["1000baseT_Full"] | _S["1000baseT_Half"])
        if val & MDIO_AN_RX_LP_STAT1_1000BASET_FULL:
            lp |= _S["1000baseT_Full"]
        if val & MDIO_AN_RX_LP_STAT1_1000BASET_HALF:
            lp |= _S["1000baseT_Half"]
        dev.lp_advertising = lp
    genphy_c45_read_status(dev)


def aqr107_read_rate(dev: PhyDevice) -> None:
    """AN 0xC800: duplex (bit 0) and rate (bits 3:1); then that speed's VEND1
    configuration register (rate adaptation).  An unknown rate is SPEED_UNKNOWN."""
    val = dev.read_mmd(MDIO_MMD_AN, MDIO_AN_TX_VEND_STATUS1)
    dev.duplex = DUPLEX_FULL if val & MDIO_AN_TX_VEND_STATUS1_FULL_DUPLEX else DUPLEX_HALF
    rate = RATES.get((val >> 1) & 7)
    if rate is None:
        dev.speed = SPEED_UNKNOWN
        return
    dev.speed = rate[0]
    dev.read_mmd(MDIO_MMD_VEND1, rate[1])


def aqr107_read_status(dev: PhyDevice) -> None:
    """aqr_read_status; with a link under AN, the host interface from PHY XS 0xE812
    bits 7:3, then aqr107_read_rate (a downshifted rate overrides the resolution)."""
    aqr_read_status(dev)
    if not dev.link or dev.autoneg == AUTONEG_DISABLE:
        return
    val = dev.read_mmd(MDIO_MMD_PHYXS, MDIO_PHYXS_VEND_IF_STATUS)
    host = HOST_INTERFACES.get((val >> 3) & 0x1F)
    if host is not None:
        dev.interface = host
    aqr107_read_rate(dev)


def aqr107_suspend(dev: PhyDevice) -> None:
    """VEND1 0.0 |= low power, then the processor-intensive-operation wait."""
    modify_mmd_changed(dev, MDIO_MMD_VEND1, MDIO_CTRL1, 0, MDIO_CTRL1_LPOWER)
    aqr107_wait_processor_intensive_op(dev)


def aqr107_resume(dev: PhyDevice) -> None:
    """VEND1 0.0 &= ~low power, then the processor-intensive-operation wait."""
    modify_mmd_changed(dev, MDIO_MMD_VEND1, MDIO_CTRL1, MDIO_CTRL1_LPOWER, 0)
    aqr107_wait_processor_intensive_op(dev)


AQR113C = PhyDriver(
    PHY_ID_AQR113C,
    MATCH_MODEL,
    "Aquantia AQR113C",
    probe=aqr107_probe,
    config_init=aqr113c_config_init,
    config_aneg=aqr_config_aneg,
    config_intr=aqr_config_intr,
    handle_interrupt=aqr_handle_interrupt,
    read_status=aqr107_read_status,
    suspend=aqr107_suspend,
    resume=aqr107_resume,
    model="aqr113c",
)

#: Linux v2.6.32 has no Aquantia driver (and no Clause 45 scan).
DRIVERS: list[PhyDriver] = []
MODERN_DRIVERS: list[PhyDriver] = [AQR113C]
