# SPDX-License-Identifier: GPL-2.0-only
"""The generic PHY driver's operations (genphy_*), as each era of phylib does them.

Register effects follow phylib-reference.md §2.3-§2.6 (2.6.32, the 2005 import and
v6.x); the registers and bits are IEEE 802.3 Clause 22 (22.2.4).  Every function
takes a :class:`~physcapy.pal.device.PhyDevice` and raises
:class:`~physcapy.errors.PalError` where Linux returns a negative errno; each
dispatches on the device's profile so that a vendor driver table that names
``genphy_read_status`` gets the behaviour of the kernel it runs in::

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://generic@1")
    >>> dev = pal.device("0:01")
    >>> genphy_config_init(dev); hex(dev.supported)
    '0xfff'
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    AUTONEG_DISABLE,
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    DUPLEX_UNKNOWN,
    SPEED_UNKNOWN,
    SUPPORTED,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = [
    "genphy_aneg_done",
    "genphy_config_advert",
    "genphy_config_aneg",
    "genphy_config_init",
    "genphy_read_abilities",
    "genphy_read_status",
    "genphy_restart_aneg",
    "genphy_resume",
    "genphy_setup_forced",
    "genphy_soft_reset",
    "genphy_suspend",
    "genphy_update_link",
]

# Clause 22 registers and bits (22.2.4; Linux mii.h names).
MII_BMCR, MII_BMSR, MII_ADVERTISE, MII_LPA = 0, 1, 4, 5
MII_CTRL1000, MII_STAT1000, MII_ESTATUS = 9, 10, 15
BMCR_RESET, BMCR_LOOPBACK, BMCR_SPEED100, BMCR_ANENABLE = 0x8000, 0x4000, 0x2000, 0x1000
BMCR_PDOWN, BMCR_ISOLATE, BMCR_ANRESTART, BMCR_FULLDPLX = 0x0800, 0x0400, 0x0200, 0x0100
BMCR_SPEED1000 = 0x0040
BMSR_ESTATEN, BMSR_ANEGCOMPLETE, BMSR_ANEGCAPABLE, BMSR_LSTATUS = 0x0100, 0x0020, 0x0008, 0x0004
ADVERTISE_10HALF, ADVERTISE_10FULL = 0x0020, 0x0040
ADVERTISE_100HALF, ADVERTISE_100FULL = 0x0080, 0x0100
ADVERTISE_PAUSE_CAP, ADVERTISE_PAUSE_ASYM = 0x0400, 0x0800
#: What genphy_config_advert owns in ADVERTISE: 10/100, 100BASE-T4 and the pause bits.
ADVERTISE_OWNED = 0x0FE0
ADVERTISE_1000FULL, ADVERTISE_1000HALF = 0x0200, 0x0100
LPA_1000FULL, LPA_1000HALF, LPA_1000MSFAIL, LPA_1000MSRES = 0x0800, 0x0400, 0x8000, 0x4000
ESTATUS_1000_TFULL, ESTATUS_1000_THALF, ESTATUS_1000_XFULL = 0x2000, 0x1000, 0x8000

_S = SUPPORTED
_GIGABIT = _S["1000baseT_Half"] | _S["1000baseT_Full"]
# ethtool advertisement bits <-> ADVERTISE (r4) bits, in genphy_config_advert's order.
_ADV_R4 = (
    (_S["10baseT_Half"], ADVERTISE_10HALF),
    (_S["10baseT_Full"], ADVERTISE_10FULL),
    (_S["100baseT_Half"], ADVERTISE_100HALF),
    (_S["100baseT_Full"], ADVERTISE_100FULL),
    (_S["Pause"], ADVERTISE_PAUSE_CAP),
    (_S["Asym_Pause"], ADVERTISE_PAUSE_ASYM),
)
# Modern resolution order: highest speed first, full before half (phy_resolve_aneg_linkmode).
_RESOLVE = (
    (_S["10000baseT_Full"], 10000, DUPLEX_FULL),
    (_S["5000baseT_Full"], 5000, DUPLEX_FULL),
    (_S["2500baseT_Full"], 2500, DUPLEX_FULL),
    (_S["1000baseT_Full"], 1000, DUPLEX_FULL),
    (_S["1000baseT_Half"], 1000, DUPLEX_HALF),
    (_S["100baseT_Full"], 100, DUPLEX_FULL),
    (_S["100baseT1_Full"], 100, DUPLEX_FULL),
    (_S["100baseT_Half"], 100, DUPLEX_HALF),
    (_S["10baseT_Full"], 10, DUPLEX_FULL),
    (_S["10baseT_Half"], 10, DUPLEX_HALF),
    (_S["10baseT1S_Full"], 10, DUPLEX_FULL),
    (_S["10baseT1S_Half"], 10, DUPLEX_HALF),
    (_S["10baseT1S_P2MP_Half"], 10, DUPLEX_HALF),
)


# -- features -----------------------------------------------------------------------------


def genphy_config_init(phydev: PhyDevice) -> None:
    """2.6: ``supported`` and ``advertising`` from BMSR (and ESTATUS) (§2.3).

    The generic driver claims every port (TP, MII, AUI, FIBRE, BNC); pause and the
    100BASE-T4/T2 abilities are not learnt.  Modern kernels learn abilities at probe
    (:func:`genphy_read_abilities`) and this hook does nothing.
    """
    if phydev.profile.modern:
        return
    ports = _S["TP"] | _S["MII"] | _S["AUI"] | _S["FIBRE"] | _S["BNC"]
    features = ports | _abilities(phydev, _ESTATUS_MODES[:2])
    phydev.supported = features
    phydev.advertising = features


#: BMSR ability bits (22.2.4.2) and ESTATUS (22.2.4.4) as ethtool modes.
_BMSR_MODES = (
    (0x4000, "100baseT_Full"),
    (0x2000, "100baseT_Half"),
    (0x1000, "10baseT_Full"),
    (0x0800, "10baseT_Half"),
)
_ESTATUS_MODES = (
    (ESTATUS_1000_TFULL, "1000baseT_Full"),
    (ESTATUS_1000_THALF, "1000baseT_Half"),
    (ESTATUS_1000_XFULL, "1000baseX_Full"),
)


def _abilities(phydev: PhyDevice, estatus_modes: tuple[tuple[int, str], ...]) -> int:
    """Autoneg and the speed modes from BMSR, and ``estatus_modes`` from ESTATUS when
    BMSR says it exists (2.6 knows only the two 1000BASE-T bits of ESTATUS; v6 also
    1000BASE-X full)."""
    bmsr = phydev.read(MII_BMSR)
    out = _S["Autoneg"] if bmsr & BMSR_ANEGCAPABLE else 0
    for bit, name in _BMSR_MODES:
        if bmsr & bit:
            out |= _S[name]
    if bmsr & BMSR_ESTATEN:
        estatus = phydev.read(MII_ESTATUS)
        for bit, name in estatus_modes:
            if estatus & bit:
                out |= _S[name]
    return out


def genphy_read_abilities(phydev: PhyDevice) -> int:
    """v6.12 genphy_read_abilities: the "basic ports" (Autoneg, TP, MII), Autoneg from
    BMSR bit 3, 10/100 from BMSR, 1000BASE-T and 1000BASE-X full from ESTATUS, then the
    EEE abilities (genphy_c45_read_eee_abilities, whose failure is ignored).  Sets and
    returns the supported mask."""
    supported = _S["TP"] | _S["MII"] | _abilities(phydev, _ESTATUS_MODES)
    phydev.supported = supported
    with contextlib.suppress(PalError):  # "optional functionality": an error is ignored
        genphy_c45_read_eee_abilities(phydev)
    return supported


# -- EEE (v6.12 phy-c45.c) --------------------------------------------------------------------

MDIO_PCS_EEE_ABLE = 20  # 3.20 EEE control and capability 1 (45.2.3.10)
MDIO_AN_EEE_ADV = 60  # 7.60 EEE advertisement 1 (45.2.7.13)
#: 3.20 / 7.60 bits and the link modes they stand for (mii_eee_cap1_mod_linkmode_t);
#: their union is PHY_EEE_CAP1_FEATURES as far as physcapy has the modes.
_EEE_CAP1 = (
    (0x0002, _S["100baseT_Full"]),
    (0x0004, _S["1000baseT_Full"]),
    (0x0008, _S["10000baseT_Full"]),
    (0x0010, _S["1000baseKX_Full"]),
)
_EEE_CAP1_MODES = 0
for _bit, _mode in _EEE_CAP1:
    _EEE_CAP1_MODES |= _mode
#: What genphy_c45_write_eee_adv owns in 7.60: 100TX, 1000T, 10GT, 1000KX, 10GKX4, 10GKR.
_EEE_ADV_OWNED = 0x007E


#: 3.21 / 7.62 (IEEE 802.3-2022 45.2.3.11, 45.2.7.16): 2.5GBASE-T and 5GBASE-T EEE.
MDIO_PCS_EEE_ABLE2, MDIO_AN_EEE_ADV2 = 21, 62
_EEE_CAP2 = ((0x0001, _S["2500baseT_Full"]), (0x0002, _S["5000baseT_Full"]))
_EEE_CAP2_MODES = _S["2500baseT_Full"] | _S["5000baseT_Full"]


def _eee_modes(value: int, table: tuple[tuple[int, int], ...] = _EEE_CAP1) -> int:
    return sum(mode for bit, mode in table if value & bit)


def _eee_reg(modes: int, table: tuple[tuple[int, int], ...] = _EEE_CAP1) -> int:
    return sum(bit for bit, mode in table if modes & mode)


def genphy_c45_read_eee_abilities(phydev: PhyDevice) -> None:
    """v6.12: when ``supported`` has an EEE-capable mode, read 3.20 (through registers
    13/14 on a Clause 22 PHY); 0xFFFF means no EEE; the modes found, limited to what the
    PHY supports, become ``supported_eee``.  With 2.5G or 5GBASE-T also 3.21
    (genphy_c45_read_eee_cap2, not limited to ``supported``)."""
    if phydev.supported & _EEE_CAP1_MODES:
        val = phydev.read_mmd(MDIO_MMD_PCS, MDIO_PCS_EEE_ABLE)
        if val != 0xFFFF:
            phydev.supported_eee = _eee_modes(val) & phydev.supported
    if phydev.supported & _EEE_CAP2_MODES:
        val = phydev.read_mmd(MDIO_MMD_PCS, MDIO_PCS_EEE_ABLE2)
        if val != 0xFFFF:
            phydev.supported_eee |= _eee_modes(val, _EEE_CAP2)


def genphy_c45_read_eee_adv(phydev: PhyDevice) -> int:
    """v6.12: the EEE modes the PHY advertises: 7.60 when ``supported_eee`` has a
    3.20 mode, 7.62 when it has 2.5G/5GBASE-T."""
    adv = 0
    if phydev.supported_eee & _EEE_CAP1_MODES:
        adv = _eee_modes(phydev.read_mmd(MDIO_MMD_AN, MDIO_AN_EEE_ADV))
    if phydev.supported_eee & _EEE_CAP2_MODES:
        adv |= _eee_modes(phydev.read_mmd(MDIO_MMD_AN, MDIO_AN_EEE_ADV2), _EEE_CAP2)
    return adv


def genphy_c45_an_config_eee_aneg(phydev: PhyDevice) -> int:
    """v6.12 (genphy_c45_write_eee_adv): write the EEE advertisement (nothing when EEE
    is off) into 7.60, then 7.62 for 2.5G/5G, each with a read-modify-write that writes
    only a change; 1 if one changed.  Nothing at all without ``supported_eee``."""
    adv = phydev.advertising_eee if phydev.eee_enabled else 0
    changed = 0
    for modes, reg, owned, table in (
        (_EEE_CAP1_MODES, MDIO_AN_EEE_ADV, _EEE_ADV_OWNED, _EEE_CAP1),
        (_EEE_CAP2_MODES, MDIO_AN_EEE_ADV2, 0x0003, _EEE_CAP2),
    ):
        if not phydev.supported_eee & modes:
            continue
        old = phydev.read_mmd(MDIO_MMD_AN, reg)
        new = (old & ~owned) | _eee_reg(adv, table)
        if new != old:
            phydev.write_mmd(MDIO_MMD_AN, reg, new)
            changed = 1
    return changed


# -- programming negotiation --------------------------------------------------------------


def genphy_config_advert(phydev: PhyDevice, advert: int | None = None) -> int:
    """Program ADVERTISE (and CTRL1000) from ``advertising``; 1 if a register changed.

    2.6.32 writes only what changed and programs CTRL1000 when ``supported`` has a
    1000BASE-T mode; v6 programs it when BMSR has ESTATEN; the 2005 import always
    writes and returns the last value written (§2.4).
    """
    profile = phydev.profile
    phydev.advertising &= phydev.supported
    adv = phydev.advertising if advert is None else advert
    old = phydev.read(MII_ADVERTISE)
    new = old & ~ADVERTISE_OWNED
    for bit, reg_bit in _ADV_R4:
        if adv & bit:
            new |= reg_bit
    changed = 0
    if profile.v2005 or new != old:
        phydev.write(MII_ADVERTISE, new)
        changed = 1
    result = new
    if profile.modern:
        gigabit = bool(phydev.read(MII_BMSR) & BMSR_ESTATEN)
    else:
        gigabit = bool(phydev.supported & _GIGABIT)
    if gigabit:
        old = phydev.read(MII_CTRL1000)
        new = old & ~(ADVERTISE_1000FULL | ADVERTISE_1000HALF)
        if adv & _S["1000baseT_Half"]:
            new |= ADVERTISE_1000HALF
        if adv & _S["1000baseT_Full"]:
            new |= ADVERTISE_1000FULL
        if profile.v2005 or new != old:
            phydev.write(MII_CTRL1000, new)
            changed = 1
        result = new
    return result if profile.v2005 else changed


def genphy_setup_forced(phydev: PhyDevice) -> None:
    """Program a forced speed and duplex into BMCR (§2.4).

    2.6.32 writes the whole register (AN, isolate, power-down, loopback cleared);
    2005 also sets RESET and re-runs the driver's config_init; v6 keeps loopback,
    isolate and power-down.
    """
    profile = phydev.profile
    phydev.pause = phydev.asym_pause = 0
    ctl = 0
    if phydev.speed == 1000:
        ctl = BMCR_SPEED1000
    elif phydev.speed == 100:
        ctl = BMCR_SPEED100
    if phydev.duplex == DUPLEX_FULL:
        ctl |= BMCR_FULLDPLX
    if profile.modern:
        old = phydev.read(MII_BMCR)
        keep = old & (BMCR_LOOPBACK | BMCR_ISOLATE | BMCR_PDOWN)
        if keep | ctl != old:
            phydev.write(MII_BMCR, keep | ctl)
        return
    if profile.v2005:
        ctl |= BMCR_RESET
    phydev.write(MII_BMCR, ctl)
    if profile.v2005 and phydev.drv is not None and phydev.drv.config_init is not None:
        phydev.drv.config_init(phydev)


def genphy_restart_aneg(phydev: PhyDevice) -> None:
    """BMCR: set AN enable and restart, clear isolate (2.6.32 reads and writes; v6.12
    is phy_modify, which skips the write when nothing changes)."""
    phydev.modify(MII_BMCR, BMCR_ISOLATE, BMCR_ANENABLE | BMCR_ANRESTART)


#: CTRL1000 MASTER-SLAVE configuration bits (IEEE 802.3 40.5.1.1, 40.5.2; Linux mii.h):
#: manual configuration enable, manual value MASTER, port type multiport.
CTL1000_ENABLE_MASTER, CTL1000_AS_MASTER, CTL1000_PREFER_MASTER = 0x1000, 0x0800, 0x0400
#: ethtool's MASTER-SLAVE settings and the CTRL1000 bits each stands for.
MASTER_SLAVE_BITS = {
    "preferred-master": CTL1000_PREFER_MASTER,
    "preferred-slave": 0,
    "forced-master": CTL1000_ENABLE_MASTER | CTL1000_AS_MASTER,
    "forced-slave": CTL1000_ENABLE_MASTER,
}


def genphy_setup_master_slave(phydev: PhyDevice) -> int:
    """v6: program ``master_slave_set`` into CTRL1000 bits 12:10 (nothing while it is
    "unknown" or "unsupported", nor on a PHY without 1000BASE-T: ethtool refuses the
    setting there); 1 if the register changed.  The 2.6 core has no such setting."""
    wanted = MASTER_SLAVE_BITS.get(phydev.master_slave_set)
    if wanted is None or not phydev.supported & _GIGABIT:
        return 0
    old = phydev.read(MII_CTRL1000)
    mask = CTL1000_ENABLE_MASTER | CTL1000_AS_MASTER | CTL1000_PREFER_MASTER
    new = (old & ~mask) | wanted
    if new == old:
        return 0
    phydev.write(MII_CTRL1000, new)
    return 1


def _master_slave_config(ctrl1000: int) -> str:
    """The MASTER-SLAVE configuration CTRL1000 holds, by ethtool's names."""
    if ctrl1000 & CTL1000_ENABLE_MASTER:
        return "forced-master" if ctrl1000 & CTL1000_AS_MASTER else "forced-slave"
    return "preferred-master" if ctrl1000 & CTL1000_PREFER_MASTER else "preferred-slave"


def genphy_config_aneg(phydev: PhyDevice) -> int:
    """Forced: setup_forced.  Autoneg: program the advertisement and restart AN if it
    changed, or if AN was off or the PHY isolated (2.6.32, v6); 2005 always restarts.
    v6 first programs the MASTER-SLAVE setting, whose change also restarts AN.
    Returns 0, as every kernel version does on success (errors raise)."""
    if phydev.profile.modern:
        return _config_aneg_612(phydev)
    if phydev.autoneg != AUTONEG_ENABLE:
        genphy_setup_forced(phydev)
        return 0
    changed = genphy_config_advert(phydev)
    if not phydev.profile.v2005 and not changed:
        ctl = phydev.read(MII_BMCR)
        changed = not ctl & BMCR_ANENABLE or ctl & BMCR_ISOLATE
    if changed or phydev.profile.v2005:
        genphy_restart_aneg(phydev)
    return 0


def _config_aneg_612(phydev: PhyDevice) -> int:
    """v6.12 __genphy_config_aneg: EEE advertisement, MASTER-SLAVE, then (autoneg, or a
    forced 1000 Mb/s, which 1000BASE-T can only reach by negotiation) the advertisement
    and genphy_check_and_restart_aneg; forced 10/100 is genphy_setup_forced."""
    changed = genphy_c45_an_config_eee_aneg(phydev)
    changed |= genphy_setup_master_slave(phydev)
    if phydev.autoneg == AUTONEG_ENABLE:
        advert = None
    elif phydev.speed < 1000:
        genphy_setup_forced(phydev)
        return 0
    else:
        # phy_lookup_setting(speed, duplex, supported, exact): one mode or none.
        name = f"{phydev.speed}baseT_{'Full' if phydev.duplex == DUPLEX_FULL else 'Half'}"
        bit = _S.get(name, 0)
        advert = bit if phydev.supported & bit else 0
    changed |= genphy_config_advert(phydev, advert)
    return genphy_check_and_restart_aneg(phydev, bool(changed))


def genphy_check_and_restart_aneg(phydev: PhyDevice, restart: bool) -> int:
    """v6.12: restart AN if asked, or if BMCR shows AN off or the PHY isolated; 0 (the
    kernel's phy_modify result) either way."""
    if not restart:
        ctl = phydev.read(MII_BMCR)
        restart = not ctl & BMCR_ANENABLE or bool(ctl & BMCR_ISOLATE)
    if restart:
        genphy_restart_aneg(phydev)
    return 0


def genphy_aneg_done(phydev: PhyDevice) -> bool:
    """BMSR bit 5 (one read): what the 2.6 core's phy_aneg_done reads."""
    return bool(phydev.read(MII_BMSR) & BMSR_ANEGCOMPLETE)


# -- status -------------------------------------------------------------------------------


def genphy_update_link(phydev: PhyDevice) -> None:
    """``link`` from BMSR (§2.5).

    2.6: two reads, the second counts (the first flushes the latched-low bit).  v6:
    BMCR first (a pending AN restart means link down); then one read if polling with
    the link up, so a latched drop is seen, otherwise the double read; link is forced
    down while AN is enabled and incomplete.
    """
    if not phydev.profile.modern:
        phydev.read(MII_BMSR)
        status = phydev.read(MII_BMSR)
        phydev.link = int(bool(status & BMSR_LSTATUS))
        return
    status = 0
    bmcr = phydev.read(MII_BMCR)
    if not bmcr & BMCR_ANRESTART:
        if not phydev.polling() or not phydev.link:
            status = phydev.read(MII_BMSR)
        if not status & BMSR_LSTATUS:
            status = phydev.read(MII_BMSR)
    phydev.link = int(bool(status & BMSR_LSTATUS))
    phydev.autoneg_complete = int(bool(status & BMSR_ANEGCOMPLETE))
    if phydev.autoneg == AUTONEG_ENABLE and not phydev.autoneg_complete:
        phydev.link = 0


def genphy_read_status(phydev: PhyDevice) -> None:
    """Link, speed, duplex and pause (§2.5), in the device's era."""
    if phydev.profile.modern:
        _read_status_modern(phydev)
        return
    genphy_update_link(phydev)
    if phydev.autoneg == AUTONEG_ENABLE:
        lpagb = 0
        if phydev.supported & _GIGABIT:
            lpagb = phydev.read(MII_STAT1000)
            adv = phydev.read(MII_CTRL1000)
            # CTRL1000 bits 9/8 shifted by two line up with STAT1000 bits 11/10: one AND
            # gives "both ends can do it".
            lpagb &= adv << 2
        lpa = phydev.read(MII_LPA)
        lpa &= phydev.read(MII_ADVERTISE)
        phydev.speed, phydev.duplex = 10, DUPLEX_HALF
        phydev.pause = phydev.asym_pause = 0
        if lpagb & (LPA_1000FULL | LPA_1000HALF):
            phydev.speed = 1000
            if lpagb & LPA_1000FULL:
                phydev.duplex = DUPLEX_FULL
        elif lpa & (ADVERTISE_100FULL | ADVERTISE_100HALF):
            phydev.speed = 100
            if lpa & ADVERTISE_100FULL:
                phydev.duplex = DUPLEX_FULL
        elif lpa & ADVERTISE_10FULL:
            phydev.duplex = DUPLEX_FULL
        if phydev.duplex == DUPLEX_FULL:
            phydev.pause = int(bool(lpa & ADVERTISE_PAUSE_CAP))
            phydev.asym_pause = int(bool(lpa & ADVERTISE_PAUSE_ASYM))
    else:
        genphy_read_status_fixed(phydev)
        phydev.pause = phydev.asym_pause = 0


def genphy_read_status_fixed(phydev: PhyDevice) -> None:
    """Forced mode: duplex and speed from BMCR."""
    bmcr = phydev.read(MII_BMCR)
    phydev.duplex = DUPLEX_FULL if bmcr & BMCR_FULLDPLX else DUPLEX_HALF
    if bmcr & BMCR_SPEED1000:
        phydev.speed = 1000
    elif bmcr & BMCR_SPEED100:
        phydev.speed = 100
    else:
        phydev.speed = 10


def _read_status_modern(phydev: PhyDevice) -> None:
    old_link = phydev.link
    genphy_update_link(phydev)
    if phydev.autoneg == AUTONEG_ENABLE and old_link and phydev.link:
        return  # an up link that stayed up is not re-read (v6 genphy_read_status)
    phydev.speed, phydev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    phydev.pause = phydev.asym_pause = 0
    gigabit = bool(phydev.supported & _GIGABIT)
    if gigabit:  # genphy_read_master_slave
        phydev.master_slave_get = _master_slave_config(phydev.read(MII_CTRL1000))
        stat = phydev.read(MII_STAT1000)
        if stat & LPA_1000MSFAIL:
            phydev.master_slave_state = "err"
        elif phydev.link:
            phydev.master_slave_state = "master" if stat & LPA_1000MSRES else "slave"
        else:
            phydev.master_slave_state = "unknown"
    genphy_read_lpa(phydev)
    if phydev.autoneg == AUTONEG_ENABLE:
        if phydev.autoneg_complete:
            lp = phydev.lp_advertising
            common = phydev.advertising & lp
            for bit, speed, duplex in _RESOLVE:
                if common & bit:
                    phydev.speed, phydev.duplex = speed, duplex
                    break
            if phydev.duplex == DUPLEX_FULL:
                # v6 takes pause from the partner's advertisement alone.
                phydev.pause = int(bool(lp & _S["Pause"]))
                phydev.asym_pause = int(bool(lp & _S["Asym_Pause"]))
    else:
        genphy_read_status_fixed(phydev)


#: The partner modes genphy_read_lpa owns: 10/100/1000 half and full, pause, Autoneg.
_LPA_OWNED = sum(bit for bit, _ in _ADV_R4) | _GIGABIT | _S["Autoneg"]


def genphy_read_lpa(phydev: PhyDevice) -> None:
    """v6.12 genphy_read_lpa: the partner's pages into ``lp_advertising`` (nothing read
    while AN is incomplete; STAT1000 first on a gigabit PHY, whose MASTER-SLAVE fault is
    ENOLINK; then LPA); cleared when forced."""
    if phydev.autoneg != AUTONEG_ENABLE:
        phydev.lp_advertising = 0
        return
    # mii_stat1000/mii_lpa_mod_linkmode_lpa_t change their own modes only: what a
    # driver put there before (the RTL822x's 2.5G partner bits) stays.
    kept = phydev.lp_advertising & ~_LPA_OWNED
    if not phydev.autoneg_complete:
        phydev.lp_advertising = kept
        return
    lp = 0
    if phydev.supported & _GIGABIT:
        stat = phydev.read(MII_STAT1000)
        if stat & LPA_1000MSFAIL:
            manual = phydev.read(MII_CTRL1000) & CTL1000_ENABLE_MASTER
            hint = ", maybe conflicting manual settings?" if manual else ""
            raise PalError(67, f"{phydev.name}: Master/Slave resolution failed{hint}")
        if stat & LPA_1000HALF:
            lp |= _S["1000baseT_Half"]
        if stat & LPA_1000FULL:
            lp |= _S["1000baseT_Full"]
    lpa = phydev.read(MII_LPA)
    for bit, reg_bit in _ADV_R4:
        if lpa & reg_bit:
            lp |= bit
    if lpa & 0x4000:  # LPACK: the partner negotiates
        lp |= _S["Autoneg"]
    phydev.lp_advertising = kept | lp


def phy_resolve_aneg_pause(phydev: PhyDevice) -> None:
    """v6.12: at full duplex, pause and asym pause from the partner's pages alone."""
    if phydev.duplex == DUPLEX_FULL:
        phydev.pause = int(bool(phydev.lp_advertising & _S["Pause"]))
        phydev.asym_pause = int(bool(phydev.lp_advertising & _S["Asym_Pause"]))


# -- power and reset ----------------------------------------------------------------------


def genphy_suspend(phydev: PhyDevice) -> None:
    """BMCR |= power-down (§2.6): 2.6 reads and writes back; v6 writes only a change.
    (``suspended`` is phy_suspend's to set, as in the kernel.)"""
    phydev.modify(MII_BMCR, 0, BMCR_PDOWN)


def genphy_resume(phydev: PhyDevice) -> None:
    """BMCR &= ~power-down (§2.6); ``suspended`` is phy_resume's to clear."""
    phydev.modify(MII_BMCR, BMCR_PDOWN, 0)


def genphy_soft_reset(phydev: PhyDevice) -> None:
    """Modern soft reset: BMCR reset (+ restart AN), then poll BMCR until bit 15 clears,
    every 50 ms for up to 600 ms (IEEE 802.3 22.2.4.1.1 allows 0.5 s), then 1 ms more.

    Raises ``ETIMEDOUT`` when the PHY is still in reset after 600 ms.
    """
    ctl = BMCR_RESET
    if phydev.autoneg == AUTONEG_ENABLE:
        ctl |= BMCR_ANRESTART
    old = phydev.read(MII_BMCR)
    phydev.write(MII_BMCR, (old & ~BMCR_ISOLATE) | ctl)
    for _ in range(12):  # phy_poll_reset: sleep first, every 50 ms, up to 600 ms
        phydev.kernel.sleep(0.05)
        if not phydev.read(MII_BMCR) & BMCR_RESET:
            break
    else:
        raise PalError(110, f"{phydev.name}: BMCR reset bit still set after 600 ms")
    phydev.kernel.sleep(0.001)
    if phydev.autoneg == AUTONEG_DISABLE:
        genphy_setup_forced(phydev)


# -- Clause 45 (modern "Generic Clause 45 PHY") ---------------------------------------------

# MMDs and registers (IEEE 802.3 45.2; Linux mdio.h names).
MDIO_MMD_PMAPMD, MDIO_MMD_PCS, MDIO_MMD_AN = 1, 3, 7
MDIO_STAT1, MDIO_SPEED = 1, 4
MDIO_AN_ADVERTISE, MDIO_AN_LPA = 16, 19
MDIO_AN_10GBT_CTRL, MDIO_AN_10GBT_STAT = 32, 33
MDIO_STAT1_LSTATUS, MDIO_AN_STAT1_COMPLETE = 0x0004, 0x0020
MDIO_AN_CTRL1_ENABLE, MDIO_AN_CTRL1_RESTART = 0x1000, 0x0200
MDIO_AN_10GBT_CTRL_ADV10G, MDIO_AN_10GBT_STAT_LP10G = 0x1000, 0x0800
MDIO_PMA_SPEED_10G, MDIO_PMA_SPEED_1000, MDIO_PMA_SPEED_100 = 0x0001, 0x0010, 0x0020


def genphy_c45_read_abilities(phydev: PhyDevice) -> int:
    """Abilities from the PMA speed ability register (45.2.1.4) and AN presence."""
    supported = _S["TP"] | _S["MII"]
    speed = phydev.read_mmd(MDIO_MMD_PMAPMD, MDIO_SPEED)
    if speed & MDIO_PMA_SPEED_10G:
        supported |= _S["10000baseT_Full"]
    if speed & MDIO_PMA_SPEED_1000:
        supported |= _S["1000baseT_Full"]
    if speed & MDIO_PMA_SPEED_100:
        supported |= _S["100baseT_Full"] | _S["100baseT_Half"]
    if phydev.mmds_present & (1 << MDIO_MMD_AN):
        supported |= _S["Autoneg"]
    return supported


def genphy_c45_config_aneg(phydev: PhyDevice) -> int:
    """Program AN advertisement (7.16, 7.32) and restart AN when it changed (45.2.7)."""
    if phydev.autoneg != AUTONEG_ENABLE:
        return 0  # forced 10G needs PMA control: phylib's c45 pma_setup_forced, not modelled
    adv = phydev.advertising & phydev.supported
    changed = 0
    old = phydev.read_mmd(MDIO_MMD_AN, MDIO_AN_ADVERTISE)
    new = old & ~ADVERTISE_OWNED
    for bit, reg_bit in _ADV_R4:
        if adv & bit:
            new |= reg_bit
    if new != old:
        phydev.write_mmd(MDIO_MMD_AN, MDIO_AN_ADVERTISE, new)
        changed = 1
    old = phydev.read_mmd(MDIO_MMD_AN, MDIO_AN_10GBT_CTRL)
    new = old & ~MDIO_AN_10GBT_CTRL_ADV10G
    if adv & _S["10000baseT_Full"]:
        new |= MDIO_AN_10GBT_CTRL_ADV10G
    if new != old:
        phydev.write_mmd(MDIO_MMD_AN, MDIO_AN_10GBT_CTRL, new)
        changed = 1
    ctrl = phydev.read_mmd(MDIO_MMD_AN, 0)
    if changed or not ctrl & MDIO_AN_CTRL1_ENABLE:
        phydev.write_mmd(MDIO_MMD_AN, 0, ctrl | MDIO_AN_CTRL1_ENABLE | MDIO_AN_CTRL1_RESTART)
    return changed


def genphy_c45_read_status(phydev: PhyDevice) -> None:
    """Link from every present MMD's STAT1 (latched low, so read twice), AN state and
    partner pages from the AN MMD, then the highest common mode."""
    link = True
    for devad in (MDIO_MMD_PMAPMD, MDIO_MMD_PCS, MDIO_MMD_AN):
        if not phydev.mmds_present & (1 << devad):
            continue
        phydev.read_mmd(devad, MDIO_STAT1)
        if not phydev.read_mmd(devad, MDIO_STAT1) & MDIO_STAT1_LSTATUS:
            link = False
    phydev.link = int(link)
    phydev.speed, phydev.duplex = SPEED_UNKNOWN, DUPLEX_UNKNOWN
    phydev.pause = phydev.asym_pause = 0
    stat = phydev.read_mmd(MDIO_MMD_AN, MDIO_STAT1)
    phydev.autoneg_complete = int(bool(stat & MDIO_AN_STAT1_COMPLETE))
    if not phydev.autoneg_complete:
        phydev.lp_advertising = 0
        return
    lp = 0
    lpa = phydev.read_mmd(MDIO_MMD_AN, MDIO_AN_LPA)
    for bit, reg_bit in _ADV_R4:
        if lpa & reg_bit:
            lp |= bit
    if phydev.read_mmd(MDIO_MMD_AN, MDIO_AN_10GBT_STAT) & MDIO_AN_10GBT_STAT_LP10G:
        lp |= _S["10000baseT_Full"]
    phydev.lp_advertising = lp
    common = phydev.advertising & lp
    for bit, speed, duplex in _RESOLVE:
        if common & bit:
            phydev.speed, phydev.duplex = speed, duplex
            break
    if phydev.duplex == DUPLEX_FULL:
        phydev.pause = int(bool(lp & _S["Pause"]))
        phydev.asym_pause = int(bool(lp & _S["Asym_Pause"]))
