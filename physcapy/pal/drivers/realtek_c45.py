# SPDX-License-Identifier: GPL-2.0-only
"""Realtek RTL8221B-VB-CG 2.5GBASE-T PHY as Linux v6.12 ``drivers/net/phy/realtek.c``
drives it.

The part answers Clause 22 and Clause 45.  v6.12 has two entries for it, chosen by
``rtlgen_is_c45_match``: "RTL8221B-VB-CG 2.5Gbps PHY (C22)" when the device was found
by the Clause 22 scan (``phy_id`` 0x001cc849), "RTL8221B-VB-CG 2.5Gbps PHY (C45)" when it
was found by the Clause 45 scan (PCS-or-PMA ``c45_ids.device_ids[1]``).  The v6.12 scan
asks Clause 22 first, so a bus that passes both binds the C22 entry.

C22 entry (no read_mmd/write_mmd hooks: MMD accesses go through registers 13/14):

* get_features, ``rtl822x_get_features``: page 0xa61 register 0x13 (the 2.5G/5G/10G
  bits of the PMA speed ability), then genphy_read_abilities;
* config_init, ``rtl822xb_config_init``: only for a 2500BASE-X or SGMII host: VEND1
  0x75f3 ← 0, the SerDes option (VEND1 0x697a bits 5:0) written on change, then VEND1
  0x6a04/0x6f10/0x6f11;
* config_aneg, ``rtl822x_config_aneg``: page 0xa5d register 0x12 (the 2.5G/5G
  advertisement, written on change), then ``__genphy_config_aneg`` with that change;
* read_status, ``rtl822xb_read_status``: page 0xa5d register 0x13 (partner 2.5G/5G/
  10G), genphy_read_status, with link page 0xa43 register 0x12 (``rtlgen_decode_speed``:
  the speed really run, which covers a downshift), then ``rtl822xb_update_interface``
  (VEND1 0x7580, with link).

Paged accesses are ``phy_read_paged``/``phy_modify_paged_changed`` with
``rtl821x_read_page``/``rtl821x_write_page`` (register 0x1f): the page register is
read, the page written if it differs, and the old page written back.

No RTL8221B existed in Linux v2.6.32: the generic driver binds there.  Kernel-source
facts only (the datasheet is under NDA).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import AUTONEG_ENABLE, SUPPORTED, Interface
from physcapy.pal.driver import PhyDriver

# phy_modify_paged_changed through r0x1f: one implementation for every Realtek driver.
from physcapy.pal.drivers.realtek import _paged_changed
from physcapy.pal.genphy import (
    _ESTATUS_MODES,
    _abilities,
    genphy_c45_an_config_eee_aneg,
    genphy_c45_read_eee_abilities,
    genphy_check_and_restart_aneg,
    genphy_config_advert,
    genphy_read_status,
    genphy_resume,
    genphy_setup_forced,
    genphy_setup_master_slave,
    genphy_suspend,
)
from physcapy.pal.phy_c45 import (
    ADV_10GBT,
    LP_10GBT,
    MDIO_AN_10GBT_CTRL_ADV2_5G,
    MDIO_AN_10GBT_CTRL_ADV5G,
    MDIO_MMD_VEND1,
    MDIO_MMD_VEND2,
    _bits,
    _reg,
    genphy_c45_an_config_aneg,
    genphy_c45_check_and_restart_aneg,
    genphy_c45_pma_read_abilities,
    genphy_c45_pma_resume,
    genphy_c45_pma_setup_forced,
    genphy_c45_pma_suspend,
    genphy_c45_read_status,
    modify_mmd_changed,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS", "RTL8221B_VB_CG_C22", "RTL8221B_VB_CG_C45"]

_S = SUPPORTED
RTL_8221B_VB_CG = 0x001CC849
RTL821X_PAGE_SELECT = 0x1F
# realtek.c register names.
RTL822X_VND1_SERDES_OPTION = 0x697A
RTL822X_VND1_SERDES_OPTION_MODE_MASK = 0x003F
RTL822X_VND1_SERDES_OPTION_MODE_2500BASEX_SGMII = 0
RTL822X_VND1_SERDES_OPTION_MODE_2500BASEX = 2
RTL822X_VND1_SERDES_CTRL3 = 0x7580
RTL822X_VND1_SERDES_CTRL3_MODE_MASK = 0x003F
RTL822X_VND1_SERDES_CTRL3_MODE_SGMII = 0x02
RTL822X_VND1_SERDES_CTRL3_MODE_2500BASEX = 0x16
RTL822X_VND2_GBCR, RTL822X_VND2_GANLPAR, RTL822X_VND2_PHYSR = 0xA412, 0xA414, 0xA434
RTLGEN_SPEED_MASK = 0x0630
# include/uapi/linux/mdio.h: PMA speed ability bits read from page 0xa61 register 0x13.
MDIO_PMA_SPEED_2_5G, MDIO_PMA_SPEED_5G, MDIO_SPEED_10G = 0x2000, 0x4000, 0x0001
ADVERTISE_1000FULL = 0x0200  # CTRL1000 layout, used for VEND2 0xA412
LPA_1000FULL, LPA_1000HALF = 0x0800, 0x0400

#: What genphy_read_abilities owns: Autoneg and the BMSR/ESTATUS modes.
_C22_MODES = sum(
    _S[n]
    for n in (
        "Autoneg",
        "10baseT_Half",
        "10baseT_Full",
        "100baseT_Half",
        "100baseT_Full",
        "1000baseT_Half",
        "1000baseT_Full",
        "1000baseX_Full",
    )
)

#: rtlgen_decode_speed: page 0xa43 r0x12 / VEND2 0xA434 bits 10:9 and 5:4.
DECODE_SPEED = {0x0000: 10, 0x0010: 100, 0x0020: 1000, 0x0200: 10000, 0x0210: 2500, 0x0220: 5000}


def rtlgen_decode_speed(dev: PhyDevice, val: int) -> None:
    """realtek.c rtlgen_decode_speed: the speed the PHY runs (unknown codes leave it)."""
    speed = DECODE_SPEED.get(val & RTLGEN_SPEED_MASK)
    if speed is not None:
        dev.speed = speed


def rtl822x_get_features(dev: PhyDevice) -> int:
    """realtek.c rtl822x_get_features: page 0xa61 r0x13 for 2.5G/5G/10G, then
    genphy_read_abilities (BMSR, ESTATUS, EEE through 13/14)."""
    val = dev.read_paged(RTL821X_PAGE_SELECT, 0xA61, 0x13)
    for bit, mode in (
        (MDIO_PMA_SPEED_2_5G, _S["2500baseT_Full"]),
        (MDIO_PMA_SPEED_5G, _S["5000baseT_Full"]),
        (MDIO_SPEED_10G, _S["10000baseT_Full"]),
    ):
        dev.supported = (dev.supported & ~mode) | (mode if val & bit else 0)
    # genphy_read_abilities (as v6.12: it changes only the Clause 22 modes and the
    # ports, so the multi-gigabit bits are in place when the EEE abilities are read:
    # 3.20 and, with 2.5G/5G, 3.21, through 13/14 as this entry has no read_mmd).
    dev.supported |= _S["TP"] | _S["MII"]
    dev.supported = (dev.supported & ~_C22_MODES) | _abilities(dev, _ESTATUS_MODES)
    with contextlib.suppress(PalError):  # "optional functionality": an error is ignored
        genphy_c45_read_eee_abilities(dev)
    return dev.supported


def rtl822xb_config_init(dev: PhyDevice) -> None:
    """realtek.c rtl822xb_config_init: nothing unless the host is 2500BASE-X or SGMII
    (physcapy boards have no SFP host_interfaces: the MAC interface alone decides);
    then VEND1 0x75f3 ← 0, SERDES_OPTION mode (2 for 2500BASE-X alone, else 0) written
    on change, VEND1 0x6a04 ← 0x0503, 0x6f10 ← 0xd455, 0x6f11 ← 0x8020."""
    has_2500 = dev.interface == Interface.BASEX_2500
    has_sgmii = dev.interface == Interface.SGMII
    if not has_2500 and not has_sgmii:
        return
    if has_2500 and not has_sgmii:
        mode = RTL822X_VND1_SERDES_OPTION_MODE_2500BASEX
    else:
        mode = RTL822X_VND1_SERDES_OPTION_MODE_2500BASEX_SGMII
    dev.write_mmd(MDIO_MMD_VEND1, 0x75F3, 0)
    modify_mmd_changed(
        dev, MDIO_MMD_VEND1, RTL822X_VND1_SERDES_OPTION, RTL822X_VND1_SERDES_OPTION_MODE_MASK, mode
    )
    dev.write_mmd(MDIO_MMD_VEND1, 0x6A04, 0x0503)
    dev.write_mmd(MDIO_MMD_VEND1, 0x6F10, 0xD455)
    dev.write_mmd(MDIO_MMD_VEND1, 0x6F11, 0x8020)


def genphy_config_aneg_changed(dev: PhyDevice, changed: int) -> int:
    """phy_device.c __genphy_config_aneg(phydev, changed): as genphy_config_aneg, with a
    change the caller already made counted (it forces the AN restart)."""
    changed |= genphy_c45_an_config_eee_aneg(dev)
    changed |= genphy_setup_master_slave(dev)
    if dev.autoneg != AUTONEG_ENABLE and dev.speed < 1000:
        genphy_setup_forced(dev)
        return 0
    advert = None
    if dev.autoneg != AUTONEG_ENABLE:
        name = f"{dev.speed}baseT_{'Full' if dev.duplex == 1 else 'Half'}"
        bit = _S.get(name, 0)
        advert = bit if dev.supported & bit else 0
    changed |= genphy_config_advert(dev, advert)
    return genphy_check_and_restart_aneg(dev, bool(changed))


def rtl822x_config_aneg(dev: PhyDevice) -> int:
    """realtek.c rtl822x_config_aneg: with AN, page 0xa5d r0x12 bits 8:7 (5G, 2.5G) ←
    the advertisement (written on change); then __genphy_config_aneg with the change."""
    changed = 0
    if dev.autoneg == AUTONEG_ENABLE:
        adv = _reg(dev.advertising, ADV_10GBT)
        changed = _paged_changed(
            dev, 0xA5D, 0x12, MDIO_AN_10GBT_CTRL_ADV2_5G | MDIO_AN_10GBT_CTRL_ADV5G, adv
        )
    return genphy_config_aneg_changed(dev, changed)


def rtl822xb_update_interface(dev: PhyDevice) -> None:
    """realtek.c rtl822xb_update_interface: with link, VEND1 0x7580 (SerDes mode):
    0x16 is 2500BASE-X, 0x02 SGMII (others leave the interface)."""
    if not dev.link:
        return
    val = dev.read_mmd(MDIO_MMD_VEND1, RTL822X_VND1_SERDES_CTRL3)
    mode = val & RTL822X_VND1_SERDES_CTRL3_MODE_MASK
    if mode == RTL822X_VND1_SERDES_CTRL3_MODE_2500BASEX:
        dev.interface = Interface.BASEX_2500
    elif mode == RTL822X_VND1_SERDES_CTRL3_MODE_SGMII:
        dev.interface = Interface.SGMII


def rtl822xb_read_status(dev: PhyDevice) -> None:
    """realtek.c rtl822xb_read_status: rtl822x_read_status (with AN page 0xa5d r0x13
    into the partner's 2.5G/5G/10G modes; then rtlgen_read_status: genphy_read_status
    and, with link, page 0xa43 r0x12 decoded), then rtl822xb_update_interface."""
    if dev.autoneg == AUTONEG_ENABLE:
        lpadv = dev.read_paged(RTL821X_PAGE_SELECT, 0xA5D, 0x13)
        owned = sum(mode for mode, _ in LP_10GBT)
        dev.lp_advertising = (dev.lp_advertising & ~owned) | _bits(lpadv, LP_10GBT)
    genphy_read_status(dev)
    if dev.link:
        rtlgen_decode_speed(dev, dev.read_paged(RTL821X_PAGE_SELECT, 0xA43, 0x12))
    rtl822xb_update_interface(dev)


def rtlgen_resume(dev: PhyDevice) -> None:
    """realtek.c rtlgen_resume: genphy_resume, then 20 ms."""
    genphy_resume(dev)
    dev.kernel.sleep(0.020)


# -- the C45 entry --------------------------------------------------------------------------


def rtl822x_c45_get_features(dev: PhyDevice) -> int:
    """realtek.c rtl822x_c45_get_features: TP, then genphy_c45_pma_read_abilities."""
    dev.supported |= _S["TP"]
    return genphy_c45_pma_read_abilities(dev)


def rtl822x_c45_config_aneg(dev: PhyDevice) -> int:
    """realtek.c rtl822x_c45_config_aneg: forced: genphy_c45_pma_setup_forced; else
    genphy_c45_an_config_aneg, VEND2 0xA412 1000BASE-T full (written on change), and
    genphy_c45_check_and_restart_aneg."""
    if dev.autoneg != AUTONEG_ENABLE:
        genphy_c45_pma_setup_forced(dev)
        return 0
    changed = genphy_c45_an_config_aneg(dev)
    val = ADVERTISE_1000FULL if dev.advertising & _S["1000baseT_Full"] else 0
    changed |= modify_mmd_changed(dev, MDIO_MMD_VEND2, RTL822X_VND2_GBCR, ADVERTISE_1000FULL, val)
    genphy_c45_check_and_restart_aneg(dev, bool(changed))
    return changed


def rtl822xb_c45_read_status(dev: PhyDevice) -> None:
    """realtek.c rtl822xb_c45_read_status: genphy_c45_read_status; with AN VEND2 0xA414
    (partner 1000BASE-T); with link VEND2 0xA434 decoded; rtl822xb_update_interface.

    (The partner's 1000BASE-T is read after genphy_c45_read_status resolved the speed,
    as in the kernel: the vendor speed register then sets the speed really run.)"""
    genphy_c45_read_status(dev)
    if dev.autoneg == AUTONEG_ENABLE:
        val = dev.read_mmd(MDIO_MMD_VEND2, RTL822X_VND2_GANLPAR)
        lp = dev.lp_advertising & ~(_S["1000baseT_Full"] | _S["1000baseT_Half"])
        lp |= _S["1000baseT_Full"] if val & LPA_1000FULL else 0
        lp |= _S["1000baseT_Half"] if val & LPA_1000HALF else 0
        dev.lp_advertising = lp
    if not dev.link:
        return
    rtlgen_decode_speed(dev, dev.read_mmd(MDIO_MMD_VEND2, RTL822X_VND2_PHYSR))
    rtl822xb_update_interface(dev)


def rtlgen_c45_resume(dev: PhyDevice) -> None:
    """realtek.c rtlgen_c45_resume: genphy_c45_pma_resume, then 20 ms."""
    genphy_c45_pma_resume(dev)
    dev.kernel.sleep(0.020)


def _c22_match(dev: PhyDevice) -> bool:
    """rtl8221b_vb_cg_c22_match_phy_device (rtlgen_is_c45_match(.., false))."""
    return not dev.is_c45 and dev.phy_id == RTL_8221B_VB_CG


def _c45_match(dev: PhyDevice) -> bool:
    """rtl8221b_vb_cg_c45_match_phy_device: a Clause 45 device whose MMD 1 ID is it."""
    return dev.is_c45 and dev.c45_ids.get(1) == RTL_8221B_VB_CG


#: The kernel entries have no phy_id (match_phy_device decides); the ID is kept here
#: for listings.
RTL8221B_VB_CG_C22 = PhyDriver(
    RTL_8221B_VB_CG,
    0xFFFFFFFF,
    "RTL8221B-VB-CG 2.5Gbps PHY (C22)",
    get_features=rtl822x_get_features,
    config_aneg=rtl822x_config_aneg,
    config_init=rtl822xb_config_init,
    read_status=rtl822xb_read_status,
    suspend=genphy_suspend,
    resume=rtlgen_resume,
    match_phy_device=_c22_match,
    model="rtl8221b",
)
RTL8221B_VB_CG_C45 = PhyDriver(
    RTL_8221B_VB_CG,
    0xFFFFFFFF,
    "RTL8221B-VB-CG 2.5Gbps PHY (C45)",
    config_init=rtl822xb_config_init,
    get_features=rtl822x_c45_get_features,
    config_aneg=rtl822x_c45_config_aneg,
    read_status=rtl822xb_c45_read_status,
    suspend=genphy_c45_pma_suspend,
    resume=rtlgen_c45_resume,
    match_phy_device=_c45_match,
    model="rtl8221b",
)

#: Linux v2.6.32 has none of these.
DRIVERS: list[PhyDriver] = []
#: Linux v6.12 realtek.c's RTL8221B-VB-CG C22 entry.  The C45 entry is defined but not
#: registered: physcapy's buses pass Clause 22, whose scan finds the part first, so it
#: would never bind (and every registered driver must bind its simulated model).
MODERN_DRIVERS: list[PhyDriver] = [RTL8221B_VB_CG_C22]
