# SPDX-License-Identifier: GPL-2.0-only
"""NXP TJA1102 port 0 as Linux v6.12 ``drivers/net/phy/nxp-tja11xx.c`` drives it ("NXP
TJA1102 Port 0", 0x0180dc80 under the file's PHY_ID_MASK 0xfffffff0, bound by
``tja1102_p0_match_phy_device``).

100BASE-T1 (Clause 96) has no auto-negotiation: ``.features`` is PHY_BASIC_T1_FEATURES
(TP and 100baseT1_Full, no Autoneg), and ``tja11xx_config_init`` forces autoneg off,
100 Mb/s, full duplex after enabling configuration writes (ECTRL r17 bit 2), setting
COMMCFG r27 bit 15 (autonomous operation), clearing CFG1 r18 bit 6 (sleep confirm),
setting CFG2 r19 bits 1:0 to 16 ms, waking the PHY (``tja11xx_wakeup``: from standby,
normal mode and a wait for the PLL lock in GENSTAT r24 bit 14, then link control) and
acknowledging INTSRC r21.

``tja11xx_config_aneg`` programs a forced MASTER/SLAVE role into CFG1 bit 15, then, with
the link down, runs the polled cable test of ``tja11xx_config_aneg_cable_test`` (the
entry has PHY_POLL_CABLE_TEST and cable_test_start/get_status), then
``__genphy_config_aneg`` (forced: genphy_setup_forced).  ``tja11xx_read_status`` is
genphy_update_link, CFG1 (the role) and, with a link, COMMSTAT r23 bit 15.

Not modelled: port 1 (its PHYSID2 reads 0; it is registered from a device-tree child
node, which physcapy boards have none of), hwmon and statistics (no MDIO until read).
The simulated model does not gate its link on ECTRL.link_control, which the cable test
clears and nothing in v6.12 sets again until the next wake-up from standby.

Linux v2.6.32 has no nxp-tja11xx.c: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    DUPLEX_FULL,
    PHY_INTERRUPT_ENABLED,
    SUPPORTED,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    genphy_resume,
    genphy_setup_forced,
    genphy_soft_reset,
    genphy_suspend,
    genphy_update_link,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS", "TJA1102_P0"]

PHY_ID_MASK = 0xFFFFFFF0
PHY_ID_TJA1102 = 0x0180DC80
MII_PHYSID2 = 3
# nxp-tja11xx.c registers and bits.
MII_ECTRL = 17
MII_ECTRL_LINK_CONTROL, MII_ECTRL_POWER_MODE_MASK = 0x8000, 0x7800
MII_ECTRL_POWER_MODE_NO_CHANGE, MII_ECTRL_POWER_MODE_NORMAL = 0x0000, 0x1800
MII_ECTRL_POWER_MODE_STANDBY = 0x6000
MII_ECTRL_CABLE_TEST, MII_ECTRL_CONFIG_EN, MII_ECTRL_WAKE_REQUEST = 0x0020, 0x0004, 0x0001
MII_CFG1 = 18
MII_CFG1_MASTER_SLAVE, MII_CFG1_SLEEP_CONFIRM = 0x8000, 0x0040
MII_CFG2 = 19
MII_CFG2_SLEEP_REQUEST_TO, MII_CFG2_SLEEP_REQUEST_TO_16MS = 0x0003, 0x0003
MII_INTSRC = 21
MII_INTSRC_LINK_FAIL, MII_INTSRC_LINK_UP = 0x0400, 0x0200
MII_INTSRC_MASK = MII_INTSRC_LINK_FAIL | MII_INTSRC_LINK_UP
MII_INTSRC_UV_ERR, MII_INTSRC_TEMP_ERR = 0x0008, 0x0002
MII_INTEN = 22
#: tja11xx_config_intr: link fail | link up | undervoltage | overtemperature.
MII_INTEN_ALL = 0x0400 | 0x0200 | 0x0008 | 0x0002
MII_COMMSTAT = 23
MII_COMMSTAT_LINK_UP = 0x8000
MII_GENSTAT = 24
MII_GENSTAT_PLL_LOCKED = 0x4000
MII_EXTSTAT = 25
MII_COMMCFG = 27
MII_COMMCFG_AUTO_OP = 0x8000
#: tja11xx_check: phy_read_poll_timeout(150 us, 30 ms, no sleep before the first read).
TJA11XX_CHECK_SLEEP, TJA11XX_CHECK_TIMEOUT = 150e-6, 0.030
#: PHY_BASIC_T1_FEATURES (drivers/net/phy/phy_device.c): TP and 100baseT1_Full.
PHY_BASIC_T1_FEATURES = SUPPORTED["TP"] | SUPPORTED["100baseT1_Full"]
#: PHY_POLL_CABLE_TEST (include/linux/phy.h).
PHY_POLL_CABLE_TEST = 0x00000004


def tja11xx_check(dev: PhyDevice, reg: int, mask: int, value: int) -> None:
    """nxp-tja11xx.c tja11xx_check: read ``reg`` every 150 us until the bits under
    ``mask`` equal ``value``, for up to 30 ms (ETIMEDOUT after one last read)."""
    waited = 0.0
    while True:
        if dev.read(reg) & mask == value:
            return
        if waited >= TJA11XX_CHECK_TIMEOUT - 1e-9:
            raise PalError(110, f"{dev.name}: r{reg} poll timed out")
        dev.kernel.sleep(TJA11XX_CHECK_SLEEP)
        waited += TJA11XX_CHECK_SLEEP


def phy_modify_check(dev: PhyDevice, reg: int, mask: int, value: int) -> None:
    """nxp-tja11xx.c phy_modify_check: phy_modify, then tja11xx_check."""
    dev.modify(reg, mask, value)
    tja11xx_check(dev, reg, mask, value)


def tja11xx_wakeup(dev: PhyDevice) -> None:
    """nxp-tja11xx.c tja11xx_wakeup: by ECTRL's power mode: no change, nothing; normal,
    a wake-up request (set, then cleared: two phy_modify calls); standby, confirm
    standby, go to normal, wait for the PLL lock (GENSTAT bit 14), link control on."""
    mode = dev.read(MII_ECTRL) & MII_ECTRL_POWER_MODE_MASK
    if mode == MII_ECTRL_POWER_MODE_NORMAL:
        dev.modify(MII_ECTRL, 0, MII_ECTRL_WAKE_REQUEST)
        dev.modify(MII_ECTRL, MII_ECTRL_WAKE_REQUEST, 0)
    elif mode == MII_ECTRL_POWER_MODE_STANDBY:
        mask = MII_ECTRL_POWER_MODE_MASK
        phy_modify_check(dev, MII_ECTRL, mask, MII_ECTRL_POWER_MODE_STANDBY)
        dev.modify(MII_ECTRL, mask, MII_ECTRL_POWER_MODE_NORMAL)
        phy_modify_check(dev, MII_GENSTAT, MII_GENSTAT_PLL_LOCKED, MII_GENSTAT_PLL_LOCKED)
        dev.modify(MII_ECTRL, 0, MII_ECTRL_LINK_CONTROL)


def tja11xx_soft_reset(dev: PhyDevice) -> None:
    """nxp-tja11xx.c tja11xx_soft_reset: tja11xx_enable_reg_write (ECTRL bit 2, written
    on change), then genphy_soft_reset."""
    dev.modify(MII_ECTRL, 0, MII_ECTRL_CONFIG_EN)
    genphy_soft_reset(dev)


def tja11xx_config_init(dev: PhyDevice) -> None:
    """nxp-tja11xx.c tja11xx_config_init for PHY_ID_TJA1102: ECTRL bit 2; autoneg off,
    100/Full; COMMCFG bit 15 set; CFG1 bit 6 cleared; CFG2 bits 1:0 ← 16 ms (each a
    phy_modify, written on change); tja11xx_wakeup; INTSRC read (acknowledge)."""
    dev.modify(MII_ECTRL, 0, MII_ECTRL_CONFIG_EN)
    dev.autoneg = 0
    dev.speed = 100
    dev.duplex = DUPLEX_FULL
    dev.modify(MII_COMMCFG, 0, MII_COMMCFG_AUTO_OP)
    dev.modify(MII_CFG1, MII_CFG1_SLEEP_CONFIRM, 0)
    dev.modify(MII_CFG2, MII_CFG2_SLEEP_REQUEST_TO, MII_CFG2_SLEEP_REQUEST_TO_16MS)
    tja11xx_wakeup(dev)
    dev.read(MII_INTSRC)


def tja11xx_cable_test_start(dev: PhyDevice) -> None:
    """nxp-tja11xx.c tja11xx_cable_test_start: COMMCFG bit 15 cleared, tja11xx_wakeup,
    link control off (ECTRL bit 15 cleared), ECTRL bit 5 (start the test)."""
    dev.modify(MII_COMMCFG, MII_COMMCFG_AUTO_OP, 0)
    tja11xx_wakeup(dev)
    dev.modify(MII_ECTRL, MII_ECTRL_LINK_CONTROL, 0)
    dev.modify(MII_ECTRL, 0, MII_ECTRL_CABLE_TEST)


def tja11xx_cable_test_get_status(dev: PhyDevice) -> bool:
    """nxp-tja11xx.c tja11xx_cable_test_get_status: ECTRL; once bit 5 has cleared,
    COMMCFG bit 15 set again and tja11xx_cable_test_report reads EXTSTAT r25 (open,
    short); True when finished."""
    if dev.read(MII_ECTRL) & MII_ECTRL_CABLE_TEST:
        return False
    dev.modify(MII_COMMCFG, 0, MII_COMMCFG_AUTO_OP)
    dev.priv["cable_test_extstat"] = dev.read(MII_EXTSTAT)
    return True


def tja11xx_config_aneg(dev: PhyDevice) -> int:
    """nxp-tja11xx.c tja11xx_config_aneg: a forced role into CFG1 bit 15
    (phy_modify_changed; unknown/unsupported skip it, the preferred roles are
    EOPNOTSUPP); tja11xx_config_aneg_cable_test (link down only: start, 100-200 us,
    get_status); __genphy_config_aneg, which for autoneg off is genphy_setup_forced (the
    role and EEE steps do nothing on a non-gigabit PHY without EEE modes)."""
    setting = dev.master_slave_set
    if setting in ("forced-master", "forced-slave"):
        ctl = MII_CFG1_MASTER_SLAVE if setting == "forced-master" else 0
        dev.modify(MII_CFG1, MII_CFG1_MASTER_SLAVE, ctl)
    elif setting not in ("unknown", "unsupported"):
        dev.log(f"{dev.drv.name if dev.drv else ''} {dev.name}: Unsupported Master/Slave mode")
        raise PalError(524, f"{dev.name}: unsupported MASTER/SLAVE mode {setting!r}")
    if not dev.link:
        tja11xx_cable_test_start(dev)
        dev.kernel.sleep(200e-6)  # usleep_range(100, 200)
        tja11xx_cable_test_get_status(dev)
    genphy_setup_forced(dev)
    return 0


def tja11xx_read_status(dev: PhyDevice) -> None:
    """nxp-tja11xx.c tja11xx_read_status: genphy_update_link (BMCR, BMSR), CFG1 (the
    forced role), and with a link COMMSTAT bit 15 (no PHY link: link down).  Speed and
    duplex stay what config_init set."""
    dev.master_slave_get = "unknown"
    dev.master_slave_state = "unsupported"
    genphy_update_link(dev)
    cfg1 = dev.read(MII_CFG1)
    dev.master_slave_get = "forced-master" if cfg1 & MII_CFG1_MASTER_SLAVE else "forced-slave"
    if dev.link and not dev.read(MII_COMMSTAT) & MII_COMMSTAT_LINK_UP:
        dev.link = 0


def tja11xx_config_intr(dev: PhyDevice) -> None:
    """nxp-tja11xx.c tja11xx_config_intr: on, acknowledge (INTSRC) then INTEN ← link
    fail | link up | undervoltage | overtemperature; off, INTEN ← 0 then acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        dev.read(MII_INTSRC)
        dev.write(MII_INTEN, MII_INTEN_ALL)
    else:
        dev.write(MII_INTEN, 0)
        dev.read(MII_INTSRC)


def tja11xx_handle_interrupt(dev: PhyDevice) -> bool:
    """nxp-tja11xx.c tja11xx_handle_interrupt: INTSRC (read clears); overtemperature and
    undervoltage are warned about; ours when link fail or link up is set."""
    status = dev.read(MII_INTSRC)
    if status & MII_INTSRC_TEMP_ERR:
        dev.log(f"{dev.name}: Overtemperature error detected (temp > 155C°).")
    if status & MII_INTSRC_UV_ERR:
        dev.log(f"{dev.name}: Undervoltage error detected.")
    return bool(status & MII_INTSRC_MASK)


def tja1102_p0_match_phy_device(dev: PhyDevice) -> bool:
    """nxp-tja11xx.c tja1102_match_phy_device(port0): the TJA1102 ID, then PHYSID2 read
    again: port 0 has a non-zero one (port 1 reads 0)."""
    if dev.phy_id & PHY_ID_MASK != PHY_ID_TJA1102:
        return False
    return dev.read(MII_PHYSID2) != 0


TJA1102_P0 = PhyDriver(
    PHY_ID_TJA1102,
    PHY_ID_MASK,
    "NXP TJA1102 Port 0",
    features=PHY_BASIC_T1_FEATURES,
    flags=PHY_POLL_CABLE_TEST,
    soft_reset=tja11xx_soft_reset,
    config_init=tja11xx_config_init,
    config_aneg=tja11xx_config_aneg,
    read_status=tja11xx_read_status,
    config_intr=tja11xx_config_intr,
    handle_interrupt=tja11xx_handle_interrupt,
    match_phy_device=tja1102_p0_match_phy_device,
    suspend=genphy_suspend,
    resume=genphy_resume,
    model="tja1102",
)

#: Linux v2.6.32 has no nxp-tja11xx.c.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 nxp-tja11xx.c's TJA1102 port 0 entry (TJA1100/TJA1101/port 1 not here).
MODERN_DRIVERS: list[PhyDriver] = [TJA1102_P0]
