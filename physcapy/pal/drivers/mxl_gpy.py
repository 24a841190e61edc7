# SPDX-License-Identifier: GPL-2.0-only
"""MaxLinear GPY211C 2.5GBASE-T PHY as Linux v6.12 ``drivers/net/phy/mxl-gpy.c`` drives it
("Maxlinear Ethernet GPY211C", ``PHY_ID_MATCH_MODEL(0x67c9de10)``).

The part answers Clause 22 and Clause 45; found by the Clause 22 scan it stays a
Clause 22 device whose MMDs are reached through registers 13/14 (the driver has no
read_mmd hook), after ``gpy_probe`` filled ``c45_ids`` with native Clause 45 reads
(``phy_get_c45_ids``).  Then:

* probe: the firmware version (r0x1e) logged; without the device-tree property
  ``maxlinear,use-broken-interrupts`` (``priv``) the PHY gets ``PHY_F_NO_IRQ`` and is
  polled;
* get_features: ``genphy_c45_pma_read_abilities`` (7.1, 1.8, 1.11, 1.21, EEE);
* config_aneg, ``gpy_config_aneg``: MDI-X (r0x13, only once ``mdix_ctrl`` is known),
  ``genphy_c45_an_config_aneg``, CTRL1000 (on change), check-and-restart; then for an
  SGMII-style host on firmware that needs it (``gpy_sgmii_need_reaneg``) the SGMII
  re-negotiation workaround (r0x18, VEND1 8, BMSR poll, VEND1 8 restart);
* read_status, ``gpy_read_status``: genphy_update_link, with AN complete
  ``genphy_c45_read_lpa`` and STAT1000, then PHY_MIISTAT r0x18 for link, duplex and
  speed; with link ``gpy_update_interface`` (VEND1 8 SGMII AN, master-slave at 1G/2.5G,
  ``gpy_update_mdix``: r0x13 and PMA 0x82);
* interrupts: ``gpy_config_intr`` (r0x1a read, r0x19 ← 0x0427 or 0),
  ``gpy_handle_interrupt`` (r0x1a; on a link state or speed change the mailbox read of
  GPIO0_OUT the driver uses to wait out a stuck line).

No GPY existed in Linux v2.6.32: the generic driver binds there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_DISABLE,
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    DUPLEX_UNKNOWN,
    PHY_INTERRUPT_ENABLED,
    PHY_POLL,
    SPEED_UNKNOWN,
    SUPPORTED,
    Interface,
    Linux6State,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    MII_BMSR,
    MII_CTRL1000,
    MII_STAT1000,
    _master_slave_config,
    genphy_resume,
    genphy_setup_forced,
    genphy_suspend,
    genphy_update_link,
)
from physcapy.pal.phy_c45 import (
    MDIO_MMD_PMAPMD,
    MDIO_MMD_VEND1,
    genphy_c45_an_config_aneg,
    genphy_c45_aneg_done,
    genphy_c45_check_and_restart_aneg,
    genphy_c45_pma_read_abilities,
    genphy_c45_pma_setup_forced,
    genphy_c45_read_lpa,
    genphy_c45_restart_aneg,
    modify_mmd_changed,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "GPY211C", "MODERN_DRIVERS"]

_S = SUPPORTED
PHY_ID_GPY211C = 0x67C9DE10
MATCH_MODEL = 0xFFFFFFF0  # PHY_ID_MATCH_MODEL
# mxl-gpy.c registers and bits.
PHY_CTL1 = 0x13
PHY_CTL1_MDICD, PHY_CTL1_MDIAB, PHY_CTL1_AMDIX = 0x0008, 0x0004, 0x0001
PHY_MIISTAT, PHY_IMASK, PHY_ISTAT, PHY_FWV = 0x18, 0x19, 0x1A, 0x1E
PHY_MIISTAT_SPD_MASK, PHY_MIISTAT_DPX, PHY_MIISTAT_LS = 0x0007, 0x0008, 0x0400
MIISTAT_SPEED = {0: 10, 1: 100, 2: 1000, 4: 2500}
PHY_IMASK_WOL, PHY_IMASK_ANC, PHY_IMASK_ADSC = 0x8000, 0x0400, 0x0020
PHY_IMASK_DXMC, PHY_IMASK_LSPC, PHY_IMASK_LSTC = 0x0004, 0x0002, 0x0001
PHY_IMASK_MASK = PHY_IMASK_LSTC | PHY_IMASK_LSPC | PHY_IMASK_DXMC | PHY_IMASK_ADSC | PHY_IMASK_ANC
PHY_FWV_REL_MASK = 0x8000
PHY_PMA_MGBT_POLARITY = 0x82
PHY_MDI_MDI_X_MASK, PHY_MDI_MDI_X_NORMAL = 0x0003, 0x3
VSPEC1_SGMII_CTRL = 0x08
VSPEC1_SGMII_CTRL_ANEN, VSPEC1_SGMII_CTRL_ANRS = 0x1000, 0x0200
VSPEC1_MBOX_DATA, VSPEC1_MBOX_ADDRLO, VSPEC1_MBOX_CMD = 0x5, 0x6, 0x7
VSPEC1_MBOX_CMD_READY = 0x8000
REG_GPIO0_OUT = 0xD3CE00
ADVERTISE_1000FULL, ADVERTISE_1000HALF = 0x0200, 0x0100
LPA_1000FULL, LPA_1000HALF = 0x0800, 0x0400
# ethtool MDI-X values (include/uapi/linux/ethtool.h).
ETH_TP_MDI_INVALID, ETH_TP_MDI, ETH_TP_MDI_X, ETH_TP_MDI_AUTO = 0, 1, 2, 3
#: ver_need_sgmii_reaneg: firmware major -> the first minor without the SGMII AN bug.
VER_NEED_SGMII_REANEG = {7: 0x6D, 8: 0x6D, 9: 0x73}


def _get_c45_ids(dev: PhyDevice) -> None:
    """phy_device.c phy_get_c45_ids -> get_phy_c45_ids: devices in package and the ID
    of each present MMD, by native Clause 45 reads (mdiobus_c45_read)."""
    from physcapy.pal.mdiobus import _c45_ids

    found = _c45_ids(dev.bus, dev.addr)  # type: ignore[arg-type]
    if found is None:
        raise PalError(19, f"{dev.name}: no Clause 45 IDs")
    in_package, ids = found
    dev.c45_ids = ids
    dev.mmds_present = in_package & ~1


def gpy_probe(dev: PhyDevice) -> None:
    """mxl-gpy.c gpy_probe: c45_ids of a Clause 22 device (native Clause 45), PHY_F_NO_IRQ
    unless ``maxlinear,use-broken-interrupts``, r0x1e firmware version, logged.

    The kernel applies PHY_F_NO_IRQ at phy_attach_direct; it is applied here (polling
    from probe on), which issues the same MDIO: phy_probe's phy_disable_interrupts runs
    config_intr whatever the line."""
    if not dev.is_c45:
        _get_c45_ids(dev)
    if not dev.priv.get("maxlinear,use-broken-interrupts"):
        dev.priv["PHY_F_NO_IRQ"] = True
        dev.irq = PHY_POLL
    fw = dev.read(PHY_FWV)
    major, minor = (fw >> 8) & 0xF, fw & 0xFF
    dev.priv.update(fw_major=major, fw_minor=minor)
    test = "" if fw & PHY_FWV_REL_MASK else " test version"
    # phydev_info: the driver's name, the device's, the text.
    dev.log(f"{GPY211C.name} {dev.name}: Firmware Version: {major}.{minor} (0x{fw:04X}{test})")


def gpy_config_intr(dev: PhyDevice) -> None:
    """mxl-gpy.c gpy_config_intr: acknowledge (r0x1a read), then r0x19 ← the mask
    (LSTC|LSPC|DXMC|ADSC|ANC when enabled; no Wake-on-LAN here) or 0."""
    dev.read(PHY_ISTAT)
    mask = PHY_IMASK_MASK if dev.interrupts == PHY_INTERRUPT_ENABLED else 0
    dev.write(PHY_IMASK, mask)


def gpy_mbox_read(dev: PhyDevice, addr: int) -> int:
    """mxl-gpy.c gpy_mbox_read: VEND1 6 ← address low, VEND1 7 ← read | address high,
    poll VEND1 7 for READY (500 us steps, 10 ms), VEND1 5."""
    dev.write_mmd(MDIO_MMD_VEND1, VSPEC1_MBOX_ADDRLO, addr & 0xFFFF)
    dev.write_mmd(MDIO_MMD_VEND1, VSPEC1_MBOX_CMD, (addr >> 16) & 0xFF)
    waited = 0.0
    while not dev.read_mmd(MDIO_MMD_VEND1, VSPEC1_MBOX_CMD) & VSPEC1_MBOX_CMD_READY:
        if waited >= 0.010:
            raise PalError(110, f"{dev.name}: mailbox not ready")
        dev.kernel.sleep(0.0005)
        waited += 0.0005
    return dev.read_mmd(MDIO_MMD_VEND1, VSPEC1_MBOX_DATA)


def gpy_handle_interrupt(dev: PhyDevice) -> bool:
    """mxl-gpy.c gpy_handle_interrupt: r0x1a; none of the mask: not ours; a link state
    or speed change: the GPIO0_OUT mailbox read (waits out a stuck line)."""
    reg = dev.read(PHY_ISTAT)
    if not reg & PHY_IMASK_MASK:
        return False
    if reg & (PHY_IMASK_LSTC | PHY_IMASK_LSPC):
        gpy_mbox_read(dev, REG_GPIO0_OUT)
    return True


def gpy_config_mdix(dev: PhyDevice, ctrl: int) -> None:
    """mxl-gpy.c gpy_config_mdix: for a known setting, r0x13 MDI-X bits (phy_modify),
    then genphy_c45_restart_aneg (7.0 |= enable | restart, through 13/14)."""
    values = {
        ETH_TP_MDI_AUTO: PHY_CTL1_AMDIX,
        ETH_TP_MDI_X: PHY_CTL1_MDIAB | PHY_CTL1_MDICD,
        ETH_TP_MDI: 0,
    }
    if ctrl not in values:
        return
    dev.modify(PHY_CTL1, PHY_CTL1_AMDIX | PHY_CTL1_MDIAB | PHY_CTL1_MDICD, values[ctrl])
    genphy_c45_restart_aneg(dev)


def _sgmii_need_reaneg(dev: PhyDevice) -> bool:
    """gpy_sgmii_need_reaneg: firmware 7.x/8.x before minor 0x6D, 9.x before 0x73."""
    first_good = VER_NEED_SGMII_REANEG.get(int(dev.priv.get("fw_major", 0)))
    return first_good is not None and int(dev.priv.get("fw_minor", 0)) < first_good


def _2500basex_chk(dev: PhyDevice) -> bool:
    """gpy_2500basex_chk: r0x18; at 2.5G with link, 2500BASE-X and VEND1 8 AN off."""
    ret = dev.read(PHY_MIISTAT)
    if not ret & PHY_MIISTAT_LS or ret & PHY_MIISTAT_SPD_MASK != 4:
        return False
    dev.speed = 2500
    dev.interface = Interface.BASEX_2500
    modify_mmd_changed(dev, MDIO_MMD_VEND1, VSPEC1_SGMII_CTRL, VSPEC1_SGMII_CTRL_ANEN, 0)
    return True


def _sgmii_aneg_en(dev: PhyDevice) -> bool:
    """gpy_sgmii_aneg_en: VEND1 8 bit 12."""
    return bool(dev.read_mmd(MDIO_MMD_VEND1, VSPEC1_SGMII_CTRL) & VSPEC1_SGMII_CTRL_ANEN)


def gpy_config_aneg(dev: PhyDevice) -> int:
    """mxl-gpy.c gpy_config_aneg (see the module docstring for the order)."""
    if dev.autoneg == AUTONEG_DISABLE:
        if dev.duplex != DUPLEX_FULL:
            genphy_setup_forced(dev)
        else:
            genphy_c45_pma_setup_forced(dev)
        return 0
    gpy_config_mdix(dev, int(dev.priv.get("mdix_ctrl", ETH_TP_MDI_INVALID)))
    changed = genphy_c45_an_config_aneg(dev)
    adv = ADVERTISE_1000FULL if dev.advertising & _S["1000baseT_Full"] else 0
    adv |= ADVERTISE_1000HALF if dev.advertising & _S["1000baseT_Half"] else 0
    old = dev.read(MII_CTRL1000)
    new = (old & ~(ADVERTISE_1000FULL | ADVERTISE_1000HALF)) | adv
    if new != old:
        dev.write(MII_CTRL1000, new)
        changed = 1
    genphy_c45_check_and_restart_aneg(dev, bool(changed))
    if dev.interface == Interface.USXGMII:  # (or INTERNAL, which physcapy has not)
        return changed
    if not _sgmii_need_reaneg(dev) or _2500basex_chk(dev) or not _sgmii_aneg_en(dev):
        return changed
    if dev.state != Linux6State.UP:
        return changed
    # phy_read_poll_timeout(BMSR, link status, 20 ms, 4 s, no sleep before the read).
    waited = 0.0
    while not dev.read(MII_BMSR) & 0x0004:
        if waited >= 4.0:
            return changed
        dev.kernel.sleep(0.020)
        waited += 0.020
    modify_mmd_changed(
        dev, MDIO_MMD_VEND1, VSPEC1_SGMII_CTRL, VSPEC1_SGMII_CTRL_ANRS, VSPEC1_SGMII_CTRL_ANRS
    )
    return changed


def _read_master_slave(dev: PhyDevice) -> None:
    """phy_device.c genphy_read_master_slave: CTRL1000 (the configuration), STAT1000
    (fault, or the resolved role with link)."""
    dev.master_slave_get = _master_slave_config(dev.read(MII_CTRL1000))
    stat = dev.read(MII_STAT1000)
    if stat & 0x8000:
        dev.master_slave_state = "err"
    elif dev.link:
        dev.master_slave_state = "master" if stat & 0x4000 else "slave"
    else:
        dev.master_slave_state = "unknown"


def gpy_update_mdix(dev: PhyDevice) -> None:
    """mxl-gpy.c gpy_update_mdix: r0x13 into mdix_ctrl, PMA 0x82 bits 1:0 into mdix."""
    ret = dev.read(PHY_CTL1)
    if ret & PHY_CTL1_AMDIX:
        dev.priv["mdix_ctrl"] = ETH_TP_MDI_AUTO
    elif ret & (PHY_CTL1_MDICD | PHY_CTL1_MDIAB):
        dev.priv["mdix_ctrl"] = ETH_TP_MDI_X
    else:
        dev.priv["mdix_ctrl"] = ETH_TP_MDI
    pol = dev.read_mmd(MDIO_MMD_PMAPMD, PHY_PMA_MGBT_POLARITY)
    dev.priv["mdix"] = (
        ETH_TP_MDI_X if pol & PHY_MDI_MDI_X_MASK < PHY_MDI_MDI_X_NORMAL else ETH_TP_MDI
    )


def gpy_update_interface(dev: PhyDevice) -> None:
    """mxl-gpy.c gpy_update_interface: nothing for USXGMII/internal; at 2.5G 2500BASE-X
    with VEND1 8 AN off; at 10/100/1000 SGMII, VEND1 8 AN (re)enabled when off; the
    master-slave state at 1G/2.5G; gpy_update_mdix."""
    if dev.interface == Interface.USXGMII:  # (or INTERNAL, which physcapy has not)
        return
    if dev.speed == 2500:
        dev.interface = Interface.BASEX_2500
        modify_mmd_changed(dev, MDIO_MMD_VEND1, VSPEC1_SGMII_CTRL, VSPEC1_SGMII_CTRL_ANEN, 0)
    elif dev.speed in (10, 100, 1000):
        dev.interface = Interface.SGMII
        if not _sgmii_aneg_en(dev):
            both = VSPEC1_SGMII_CTRL_ANEN | VSPEC1_SGMII_CTRL_ANRS
            modify_mmd_changed(dev, MDIO_MMD_VEND1, VSPEC1_SGMII_CTRL, both, both)
    if dev.speed in (2500, 1000):
        _read_master_slave(dev)
    gpy_update_mdix(dev)


def gpy_read_status(dev: PhyDevice) -> None:
    """mxl-gpy.c gpy_read_status: genphy_update_link; speed/duplex/pause reset; with AN
    complete genphy_c45_read_lpa and STAT1000 (partner 1000BASE-T); r0x18 for link,
    duplex and speed; with link gpy_update_interface."""
    genphy_update_link(dev)
    dev.speed, dev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    dev.pause = dev.asym_pause = 0
    if dev.autoneg == AUTONEG_ENABLE and dev.autoneg_complete:
        genphy_c45_read_lpa(dev)
        stat = dev.read(MII_STAT1000)
        lp = dev.lp_advertising & ~(_S["1000baseT_Full"] | _S["1000baseT_Half"])
        lp |= _S["1000baseT_Full"] if stat & LPA_1000FULL else 0
        lp |= _S["1000baseT_Half"] if stat & LPA_1000HALF else 0
        dev.lp_advertising = lp
    elif dev.autoneg == AUTONEG_DISABLE:
        dev.lp_advertising = 0
    ret = dev.read(PHY_MIISTAT)
    dev.link = int(bool(ret & PHY_MIISTAT_LS))
    dev.duplex = DUPLEX_FULL if ret & PHY_MIISTAT_DPX else DUPLEX_HALF
    speed = MIISTAT_SPEED.get(ret & PHY_MIISTAT_SPD_MASK)
    if speed is not None:
        dev.speed = speed
    if dev.link:
        gpy_update_interface(dev)


GPY211C = PhyDriver(
    PHY_ID_GPY211C,
    MATCH_MODEL,
    "Maxlinear Ethernet GPY211C",
    get_features=genphy_c45_pma_read_abilities,
    probe=gpy_probe,
    suspend=genphy_suspend,
    resume=genphy_resume,
    config_aneg=gpy_config_aneg,
    aneg_done=genphy_c45_aneg_done,
    read_status=gpy_read_status,
    config_intr=gpy_config_intr,
    handle_interrupt=gpy_handle_interrupt,
    model="gpy211",
)

#: Linux v2.6.32 has no mxl-gpy.c.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 mxl-gpy.c's GPY211C entry (gpy21x_config_init only fills
#: possible_interfaces: no MDIO, so no config_init here).
MODERN_DRIVERS: list[PhyDriver] = [GPY211C]
