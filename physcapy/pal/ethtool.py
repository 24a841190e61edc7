# SPDX-License-Identifier: GPL-2.0-only
"""ethtool get/set and the MII ioctls as phylib implements them (phylib-reference.md §2.8).

``phy_ethtool_sset`` validates in the kernel's order and fails with ``EINVAL``;
``phy_mii_ioctl`` handles SIOCGMIIPHY / SIOCGMIIREG / SIOCSMIIREG, shadowing BMCR
and ADVERTISE writes into the device's settings (2.6.32: own address only, the raw
ADVERTISE bits stored as an ethtool mask; v6: any address, Clause 45 through the
``0x8000 | prtad << 5 | devad`` phy_id, CTRL1000 too, and a renegotiation)::

    >>> from physcapy.pal import Pal
    >>> pal = Pal("sim://generic@1", record_mdio=False)
    >>> dev = pal.phy_connect(pal.netdev(), "0:01")
    >>> cmd = phy_ethtool_gset(dev)
    >>> cmd.autoneg, cmd.speed, cmd.duplex = 0, 100, 1
    >>> phy_ethtool_sset(dev, cmd)
    >>> hex(pal.bus.read(1, 0))
    '0x2100'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from physcapy.errors import PalError
from physcapy.pal.constants import (
    ADVERTISED,
    AUTONEG_DISABLE,
    AUTONEG_ENABLE,
    DUPLEX_FULL,
    DUPLEX_HALF,
    PORT_MII,
    SUPPORTED,
    XCVR_EXTERNAL,
    Linux6State,
)
from physcapy.pal.genphy import MASTER_SLAVE_BITS

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = [
    "SIOCETHTOOL",
    "SIOCGMIIPHY",
    "SIOCGMIIREG",
    "SIOCSMIIREG",
    "EthtoolCmd",
    "MiiIoctlData",
    "phy_ethtool_gset",
    "phy_ethtool_sset",
    "phy_mii_ioctl",
]

# linux/sockios.h
SIOCETHTOOL, SIOCGMIIPHY, SIOCGMIIREG, SIOCSMIIREG = 0x8946, 0x8947, 0x8948, 0x8949
EINVAL, EOPNOTSUPP, EPERM = 22, 95, 1
# linux/mdio.h: the Clause 45 form of mii_ioctl_data.phy_id (§3.7)
MDIO_PHY_ID_C45, MDIO_PHY_ID_PRTAD, MDIO_PHY_ID_DEVAD = 0x8000, 0x03E0, 0x001F
_BMCR_RESET, _BMCR_ANENABLE, _BMCR_FULLDPLX = 0x8000, 0x1000, 0x0100
_BMCR_SPEED100, _BMCR_SPEED1000 = 0x2000, 0x0040


@dataclass
class EthtoolCmd:
    """``struct ethtool_cmd`` (2.6.32), the fields phylib reads and fills."""

    supported: int = 0
    advertising: int = 0
    speed: int = 0
    duplex: int = 0
    port: int = PORT_MII
    phy_address: int = 0
    transceiver: int = XCVR_EXTERNAL
    autoneg: int = AUTONEG_ENABLE
    lp_advertising: int = 0
    #: v6 ``master_slave_cfg`` / ``master_slave_state`` (ethtool's names; "unsupported"
    #: on 2.6, which has neither).
    master_slave_cfg: str = "unsupported"
    master_slave_state: str = "unsupported"


@dataclass
class MiiIoctlData:
    """``struct mii_ioctl_data``: phy_id, reg_num, val_in, val_out (all u16)."""

    phy_id: int = 0
    reg_num: int = 0
    val_in: int = 0
    val_out: int = 0


def phy_ethtool_gset(dev: PhyDevice) -> EthtoolCmd:
    """What ``ethtool eth0`` shows: supported, advertising, speed, duplex, port MII,
    this PHY's address, external transceiver, autoneg (v6 adds the partner's modes)."""
    return EthtoolCmd(
        supported=dev.supported,
        advertising=dev.advertising,
        speed=dev.speed,
        duplex=dev.duplex,
        phy_address=dev.addr,
        autoneg=dev.autoneg,
        lp_advertising=dev.lp_advertising if dev.profile.modern else 0,
        master_slave_cfg=dev.master_slave_get if dev.profile.modern else "unsupported",
        master_slave_state=(
            dev.master_slave_state
            if dev.profile.modern and dev.master_slave_get != "unsupported"
            else "unsupported"
        ),
    )


def _einval(dev: PhyDevice, why: str) -> PalError:
    return PalError(EINVAL, f"{dev.name}: {why}")


def phy_ethtool_sset(dev: PhyDevice, cmd: EthtoolCmd) -> None:
    """Validate and apply ``ethtool -s`` settings, in the kernel's order (§2.8), then
    renegotiate (2.6.32 ignores phy_start_aneg's result)."""
    from physcapy.pal.phy import phy_start_aneg, phy_trigger_machine

    if cmd.phy_address != dev.addr:
        raise _einval(dev, f"phy_address {cmd.phy_address} is not this PHY's address {dev.addr}")
    cmd = replace(cmd, advertising=cmd.advertising & dev.supported)
    if cmd.autoneg not in (AUTONEG_DISABLE, AUTONEG_ENABLE):
        raise _einval(dev, f"autoneg {cmd.autoneg} is not 0 (off) or 1 (on)")
    modern = dev.profile.modern
    if cmd.autoneg == AUTONEG_ENABLE:
        if modern and not dev.supported & SUPPORTED["Autoneg"]:
            raise _einval(dev, "the PHY does not support auto-negotiation")
        if cmd.advertising == 0:
            raise _einval(dev, "auto-negotiation with nothing advertised (after masking)")
    else:
        # v2.6.32 and v6.12 phy_ethtool_ksettings_set check the speed and duplex values
        # only (phy_check_valid against ``supported`` came after v6.12); an unsupported
        # mode is then made valid by phy_sanitize_settings.
        valid = cmd.speed in (10, 100, 1000) and cmd.duplex in (DUPLEX_HALF, DUPLEX_FULL)
        if not valid:
            allowed = "speed 10, 100 or 1000, duplex 0 or 1"
            raise _einval(
                dev, f"forced speed {cmd.speed} duplex {cmd.duplex} is invalid: allowed {allowed}"
            )
    if modern and cmd.master_slave_cfg in MASTER_SLAVE_BITS:
        # ethtool netlink refuses a MASTER-SLAVE setting the PHY does not report.
        if dev.master_slave_get == "unsupported":
            raise PalError(
                EOPNOTSUPP, f"{dev.name}: master/slave configuration not supported by device"
            )
    elif cmd.master_slave_cfg not in ("unknown", "unsupported"):
        allowed = ", ".join(MASTER_SLAVE_BITS) if modern else "none on 2.6.32"
        raise _einval(dev, f"master/slave {cmd.master_slave_cfg!r} is unknown: allowed {allowed}")
    dev.autoneg = cmd.autoneg
    if modern:
        dev.master_slave_set = cmd.master_slave_cfg
    if cmd.autoneg == AUTONEG_ENABLE:
        dev.advertising = cmd.advertising | ADVERTISED["Autoneg"]
    else:
        dev.advertising = cmd.advertising & ~ADVERTISED["Autoneg"]
    if not modern or cmd.autoneg == AUTONEG_DISABLE:
        dev.speed, dev.duplex = cmd.speed, cmd.duplex
    if modern:
        if dev.state >= Linux6State.UP:
            from physcapy.pal.phy import _set_state

            _set_state(dev, Linux6State.UP)  # renegotiate on the next run, which is now
            phy_trigger_machine(dev)
        else:
            phy_start_aneg(dev)
        return
    try:
        phy_start_aneg(dev)
    except PalError as exc:
        dev.log(f"{dev.name}: {exc}")


def _shadow_26(dev: PhyDevice, reg: int, val: int) -> None:
    if reg == 0:
        # 2005 had the test inverted: RESET or ANENABLE meant autoneg *off* (§1.8).
        an = bool(val & (_BMCR_RESET | _BMCR_ANENABLE))
        if dev.profile.v2005:
            an = not an
        dev.autoneg = AUTONEG_ENABLE if an else AUTONEG_DISABLE
        # Duplex is set on every BMCR write: FULL only when forced with the bit, so a
        # write that enables autoneg sets HALF (2.6.32 source; the reference's "when
        # forced also duplex" is looser than the code).  2005 set the duplex alone.
        forced = dev.autoneg == AUTONEG_DISABLE
        dev.duplex = DUPLEX_FULL if forced and val & _BMCR_FULLDPLX else DUPLEX_HALF
        if dev.profile.v2005:
            return
        if forced and val & _BMCR_SPEED1000:
            dev.speed = 1000
        elif forced and val & _BMCR_SPEED100:
            dev.speed = 100
        # 10 Mb/s is not set explicitly in 2.6.32: the old speed stays.
    elif reg == 4:
        dev.advertising = val  # raw register bits into an ethtool mask: the kernel's wart


def _adv_from_reg(advertising: int, reg: int, val: int) -> int:
    """v6 mii_adv_mod / mii_ctrl1000_mod: replace the modes a register carries."""
    pairs: tuple[tuple[str, int], ...]
    if reg == 4:
        pairs = (
            ("10baseT_Half", 0x0020),
            ("10baseT_Full", 0x0040),
            ("100baseT_Half", 0x0080),
            ("100baseT_Full", 0x0100),
            ("Pause", 0x0400),
            ("Asym_Pause", 0x0800),
        )
    else:
        pairs = (("1000baseT_Half", 0x0100), ("1000baseT_Full", 0x0200))
    for name, bit in pairs:
        if val & bit:
            advertising |= SUPPORTED[name]
        else:
            advertising &= ~SUPPORTED[name]
    return advertising


def phy_mii_ioctl(
    dev: PhyDevice, cmd: int, data: MiiIoctlData, *, capable: bool = True
) -> MiiIoctlData:
    """SIOCGMIIPHY / SIOCGMIIREG / SIOCSMIIREG on ``dev``; other commands EOPNOTSUPP.

    Returns ``data`` with ``phy_id``/``val_out`` filled in.  ``capable`` is
    CAP_NET_ADMIN, which the 2005 code checked for writes (EPERM).
    """
    from physcapy.pal.phy import phy_start_aneg

    if cmd not in (SIOCGMIIPHY, SIOCGMIIREG, SIOCSMIIREG):
        if dev.profile.v2005:
            return data  # the first import returned 0 for anything else
        raise PalError(EOPNOTSUPP, f"ioctl {cmd:#06x} is not an MII ioctl: allowed 0x8947-0x8949")
    modern = dev.profile.modern
    c45 = modern and bool(data.phy_id & MDIO_PHY_ID_C45) and not data.phy_id & ~0x83FF
    if c45:
        prtad, devad = (data.phy_id & MDIO_PHY_ID_PRTAD) >> 5, data.phy_id & MDIO_PHY_ID_DEVAD
    else:
        prtad, devad = data.phy_id, data.reg_num
    if cmd == SIOCGMIIPHY:
        data.phy_id = dev.addr
        prtad, devad, c45 = dev.addr, data.reg_num, False
        if dev.profile.v2005:
            return data  # no fall-through to a read in the first import
    if cmd in (SIOCGMIIPHY, SIOCGMIIREG):
        if not modern:
            data.val_out = dev.read(data.reg_num)  # 2.6: always this PHY's own address
        elif c45:
            data.val_out = dev.bus.read_c45(prtad, devad, data.reg_num)
        else:
            data.val_out = dev.bus.read(prtad & 0x1F, devad & 0x1F)
        return data
    val = data.val_in & 0xFFFF
    if not modern:
        if dev.profile.v2005 and not capable:
            raise PalError(EPERM, "writing PHY registers needs CAP_NET_ADMIN")
        if data.phy_id == dev.addr:
            _shadow_26(dev, data.reg_num, val)
        dev.write(data.reg_num, val)
        if data.reg_num == 0 and val & _BMCR_RESET and dev.drv and dev.drv.config_init:
            from physcapy.pal.phy_device import phy_scan_fixups

            phy_scan_fixups(dev)
            dev.drv.config_init(dev)
        return data
    change_autoneg = False
    own = prtad == dev.addr and not c45
    if own and devad == 0:
        if not val & (_BMCR_RESET | _BMCR_ANENABLE):
            change_autoneg = dev.autoneg == AUTONEG_ENABLE
            dev.autoneg = AUTONEG_DISABLE
            dev.duplex = DUPLEX_FULL if val & _BMCR_FULLDPLX else DUPLEX_HALF
            dev.speed = 1000 if val & _BMCR_SPEED1000 else 100 if val & _BMCR_SPEED100 else 10
        else:
            change_autoneg = dev.autoneg == AUTONEG_DISABLE
            dev.autoneg = AUTONEG_ENABLE
    elif own and devad in (4, 9):
        dev.advertising = _adv_from_reg(dev.advertising, devad, val)
        change_autoneg = True
    if c45:
        dev.bus.write_c45(prtad, devad, data.reg_num, val)
    else:
        dev.bus.write(prtad & 0x1F, devad & 0x1F, val)
    if own and devad == 0 and val & _BMCR_RESET:
        from physcapy.pal.phy_device import phy_init_hw

        phy_init_hw(dev)
    elif change_autoneg:
        phy_start_aneg(dev)
    return data
