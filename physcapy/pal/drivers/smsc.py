# SPDX-License-Identifier: GPL-2.0-only
"""SMSC / Microchip 10/100 PHYs: LAN83C185, LAN8187, LAN8700, the LAN911x internal PHY
and LAN8710/LAN8720.

``DRIVERS`` are the 2.6.32 forms (phylib-reference.md §4.1 and §4.7 "2.6.32"): generic
negotiation and status, interrupts through r29 (source flags, read clears) and r30
(mask; phylib enables AN complete | link down = 0x50), config_init only acknowledges,
and ``PHY_HAS_MAGICANEG``, so that an AN timeout restarts AN instead of forcing speeds.

``MODERN_DRIVERS`` replaces the LAN8710/LAN8720 entry with the v6 form of §4.7
"Modern": energy-detect power-down (EDPD) in config_init, a soft reset that first
leaves the power-down mode, config_aneg through r16/r27, a read_status that wakes a
sleeping PHY to look for energy, and config_intr/handle_interrupt.

Driver-private settings live in ``dev.priv`` under their device-tree names; set them
after the bus scan and before ``phy_connect``, as a board's device tree would:

* ``"energy_enable"`` (default True; False = DT ``smsc,disable-energy-detect``);
* ``"mdix_ctrl"``: ``"mdi"``, ``"mdi-x"``, ``"auto"`` or None (unspecified; default).

    >>> from physcapy.pal import Pal
    >>> Pal("sim://lan8720a@1", "linux6", record_mdio=False).device("0:01").priv
    {'energy_enable': True}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from physcapy.pal.constants import (
    PHY_BASIC_FEATURES,
    PHY_HAS_INTERRUPT,
    PHY_HAS_MAGICANEG,
    PHY_INTERRUPT_ENABLED,
    SUPPORTED,
)
from physcapy.pal.driver import PhyDriver
from physcapy.pal.genphy import (
    genphy_config_aneg,
    genphy_read_status,
    genphy_resume,
    genphy_soft_reset,
    genphy_suspend,
)

if TYPE_CHECKING:
    from physcapy.pal.device import PhyDevice

__all__ = ["DRIVERS", "MODERN_DRIVERS"]

# Registers and bits (§4.7).
PHY_EDPD_CONFIG = 16  # EDPD/crossover configuration
PHY_EDPD_CONFIG_EXT_CROSSOVER = 0x0001  # extend the manual crossover timer
MII_LAN83C185_CTRL_STATUS = 17  # mode control/status
MII_LAN83C185_EDPWRDOWN = 0x2000  # energy-detect power-down
MII_LAN83C185_ENERGYON = 0x0002
MII_LAN83C185_SPECIAL_MODES = 18
MII_LAN83C185_MODE_MASK = 0x00E0  # bits 7:5
MII_LAN83C185_MODE_POWERDOWN = 0x00C0  # 110
MII_LAN83C185_MODE_ALL = 0x00E0  # 111: all capable
SPECIAL_CTRL_STS = 27
SPECIAL_CTRL_STS_OVRRD_AMDIX = 0x8000
SPECIAL_CTRL_STS_AMDIX_ENABLE = 0x4000
SPECIAL_CTRL_STS_AMDIX_STATE = 0x2000
MII_LAN83C185_ISF = 29  # interrupt source flags, cleared by reading
MII_LAN83C185_IM = 30  # interrupt mask
MII_LAN83C185_ISF_INT4 = 0x0010  # link down
MII_LAN83C185_ISF_INT6 = 0x0040  # AN complete
MII_LAN83C185_ISF_INT7 = 0x0080  # ENERGYON
MII_LAN83C185_ISF_INT_PHYLIB_EVENTS = MII_LAN83C185_ISF_INT6 | MII_LAN83C185_ISF_INT4

#: read_status: ENERGYON poll interval and limit (§4.7 "every 10 ms for up to 640 ms").
ENERGYON_POLL = 0.010
ENERGYON_TIMEOUT = 0.640

_MDIX_R27 = {
    "mdi": SPECIAL_CTRL_STS_OVRRD_AMDIX,
    "mdi-x": SPECIAL_CTRL_STS_OVRRD_AMDIX | SPECIAL_CTRL_STS_AMDIX_STATE,
    "auto": SPECIAL_CTRL_STS_AMDIX_ENABLE,
}


# -- shared -----------------------------------------------------------------------------


def smsc_phy_ack_interrupt(dev: PhyDevice) -> None:
    """Read r29 (clears the source flags)."""
    dev.read(MII_LAN83C185_ISF)


# -- 2.6.32 -----------------------------------------------------------------------------


def smsc_phy_config_intr(dev: PhyDevice) -> None:
    """2.6.32 (§4.7): r30 ← 0x50 (AN complete | link down) when enabled, else 0."""
    enabled = dev.interrupts == PHY_INTERRUPT_ENABLED
    dev.write(MII_LAN83C185_IM, MII_LAN83C185_ISF_INT_PHYLIB_EVENTS if enabled else 0)


def smsc_phy_config_init(dev: PhyDevice) -> None:
    """2.6.32 (§4.7): config_init only acknowledges pending interrupts (reads r29)."""
    smsc_phy_ack_interrupt(dev)


def _smsc26(phy_id: int, name: str, model: str) -> PhyDriver:
    return PhyDriver(
        phy_id,
        0xFFFFFFF0,
        name,
        features=PHY_BASIC_FEATURES | SUPPORTED["Pause"] | SUPPORTED["Asym_Pause"],
        flags=PHY_HAS_INTERRUPT | PHY_HAS_MAGICANEG,
        config_init=smsc_phy_config_init,
        ack_interrupt=smsc_phy_ack_interrupt,
        config_intr=smsc_phy_config_intr,
        # The reference's table has no suspend/resume column; 2.6.32 smsc.c names the
        # generic ones (the 2.6 core here never calls them).
        suspend=genphy_suspend,
        resume=genphy_resume,
        model=model,
    )


LAN83C185 = _smsc26(0x0007C0A0, "SMSC LAN83C185", "lan83c185")
LAN8187 = _smsc26(0x0007C0B0, "SMSC LAN8187", "lan8187")
LAN8700 = _smsc26(0x0007C0C0, "SMSC LAN8700", "lan8700")
LAN911X_INT = _smsc26(0x0007C0D0, "SMSC LAN911x Internal PHY", "lan911x")
LAN8710_26 = _smsc26(0x0007C0F0, "SMSC LAN8710/LAN8720", "lan8720a")


# -- modern LAN8710/LAN8720 ---------------------------------------------------------------


def smsc_phy_probe(dev: PhyDevice) -> None:
    """Modern (§4.7): energy detect on unless the board says
    ``smsc,disable-energy-detect`` (here: ``priv["energy_enable"] = False``).  The
    optional 50 MHz reference clock has no counterpart in the simulation."""
    dev.priv.setdefault("energy_enable", True)


def _energy_enabled(dev: PhyDevice) -> bool:
    return bool(dev.priv.get("energy_enable", True))


def lan87xx_config_init(dev: PhyDevice) -> None:
    """Modern (§4.7): with energy detect, r17 |= 0x2000 (EDPWRDOWN: a read and a write,
    as the driver open-codes it); then acknowledge (read r29)."""
    if _energy_enabled(dev):
        rc = dev.read(MII_LAN83C185_CTRL_STATUS)
        dev.write(MII_LAN83C185_CTRL_STATUS, rc | MII_LAN83C185_EDPWRDOWN)
    smsc_phy_ack_interrupt(dev)


def smsc_phy_reset(dev: PhyDevice) -> None:
    """Modern soft_reset (§4.7): if r18 bits 7:5 say power-down (110), set them to 111
    (all capable) with a read-modify-write; then genphy_soft_reset (BMCR reset and the
    50 ms / 600 ms poll)."""
    modes = dev.read(MII_LAN83C185_SPECIAL_MODES)
    if modes & MII_LAN83C185_MODE_MASK == MII_LAN83C185_MODE_POWERDOWN:
        dev.write(MII_LAN83C185_SPECIAL_MODES, modes | MII_LAN83C185_MODE_ALL)
    genphy_soft_reset(dev)


def lan87xx_config_aneg_ext(dev: PhyDevice) -> int:
    """Modern config_aneg (§4.7): r16 |= 0x0001 (extend the manual crossover timer;
    written only on change), then the MDI-X choice into r27 (MDI 0x8000, MDI-X 0xA000,
    auto 0x4000, after clearing those three bits; unspecified: r27 untouched), then
    genphy_config_aneg."""
    dev.modify(PHY_EDPD_CONFIG, 0, PHY_EDPD_CONFIG_EXT_CROSSOVER)
    mdix = dev.priv.get("mdix_ctrl")
    if mdix in _MDIX_R27:
        ctrl = dev.read(SPECIAL_CTRL_STS)
        ctrl &= ~(
            SPECIAL_CTRL_STS_OVRRD_AMDIX
            | SPECIAL_CTRL_STS_AMDIX_ENABLE
            | SPECIAL_CTRL_STS_AMDIX_STATE
        )
        dev.write(SPECIAL_CTRL_STS, ctrl | _MDIX_R27[mdix])
    return genphy_config_aneg(dev)


def lan87xx_read_status(dev: PhyDevice) -> None:
    """Modern read_status (§4.7): generic; then, without link and with energy detect
    on, wake the PHY: clear EDPWRDOWN, poll ENERGYON (r17 bit 1) every 10 ms for up
    to 640 ms (a timeout is not an error), set EDPWRDOWN again.

    The poll is read_poll_timeout's: sleep before the first read, and one more read
    once the 640 ms have passed.  (Kernels from v6.5 also skip the wake-up in
    interrupt mode; the reference's form does it whenever the link is down.)
    """
    genphy_read_status(dev)
    if dev.link or not _energy_enabled(dev):
        return
    kernel = dev.kernel
    rc = dev.read(MII_LAN83C185_CTRL_STATUS)
    dev.write(MII_LAN83C185_CTRL_STATUS, rc & ~MII_LAN83C185_EDPWRDOWN)
    deadline = kernel.now() + ENERGYON_TIMEOUT
    kernel.sleep(ENERGYON_POLL)
    while not dev.read(MII_LAN83C185_CTRL_STATUS) & MII_LAN83C185_ENERGYON:
        if kernel.now() > deadline:
            dev.read(MII_LAN83C185_CTRL_STATUS)
            break
        kernel.sleep(ENERGYON_POLL)
    rc = dev.read(MII_LAN83C185_CTRL_STATUS)
    dev.write(MII_LAN83C185_CTRL_STATUS, rc | MII_LAN83C185_EDPWRDOWN)


def lan87xx_config_intr(dev: PhyDevice) -> None:
    """Modern (§4.7): on: acknowledge, then r30 ← 0x10|0x40 (| 0x80 ENERGYON with energy
    detect); off: r30 ← 0, then acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        smsc_phy_ack_interrupt(dev)
        mask = MII_LAN83C185_ISF_INT_PHYLIB_EVENTS
        if _energy_enabled(dev):
            mask |= MII_LAN83C185_ISF_INT7
        dev.write(MII_LAN83C185_IM, mask)
    else:
        dev.write(MII_LAN83C185_IM, 0)
        smsc_phy_ack_interrupt(dev)


def lan87xx_handle_interrupt(dev: PhyDevice) -> bool:
    """Modern (§4.7): read r30 then r29; ours (the core triggers the machine) when they
    overlap."""
    enabled = dev.read(MII_LAN83C185_IM)
    status = dev.read(MII_LAN83C185_ISF)
    return bool(status & enabled)


LAN8710_MODERN = PhyDriver(
    0x0007C0F0,
    0xFFFFFFF0,
    "SMSC LAN8710/LAN8720",
    # No features: v6 reads the abilities from BMSR (the table's "(basic)").
    probe=smsc_phy_probe,
    soft_reset=smsc_phy_reset,
    config_init=lan87xx_config_init,
    config_aneg=lan87xx_config_aneg_ext,
    read_status=lan87xx_read_status,
    config_intr=lan87xx_config_intr,
    handle_interrupt=lan87xx_handle_interrupt,
    suspend=genphy_suspend,
    resume=genphy_resume,
    model="lan8720a",
)

#: 2.6.32 smsc.c, in its registration order.
DRIVERS: list[PhyDriver] = [LAN83C185, LAN8187, LAN8700, LAN911X_INT, LAN8710_26]
#: Under ``linux6``: the LAN8710/LAN8720 entry in its v6 form.
MODERN_DRIVERS: list[PhyDriver] = [LAN83C185, LAN8187, LAN8700, LAN911X_INT, LAN8710_MODERN]
