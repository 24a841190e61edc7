# SPDX-License-Identifier: GPL-2.0-only
"""SMSC / Microchip 10/100 PHYs: LAN83C185, LAN8187, LAN8700, the LAN911x internal PHY
and LAN8710/LAN8720.

``DRIVERS`` are the 2.6.32 forms (phylib-reference.md §4.1 and §4.7 "2.6.32"): generic
negotiation and status, interrupts through r29 (source flags, read clears) and r30
(mask; phylib enables AN complete | link down = 0x50), config_init only acknowledges,
and ``PHY_HAS_MAGICANEG``, so that an AN timeout restarts AN instead of forcing speeds.

``MODERN_DRIVERS`` are the Linux v6.12 smsc.c forms: no features (phy_probe reads
BMSR), energy-detect power-down (EDPD) set or cleared in config_init (off in interrupt
mode), a soft reset that first leaves the power-down mode, interrupts through r29/r30
with ack-then-enable and a handle_interrupt that reads r29 alone; the LAN8700 and
LAN8710/LAN8720 also have the MDI-X config_aneg (r27; r16 bit 0 only for the exact
ID 0x0007c0f0) and a read_status that wakes a sleeping PHY to look for energy.

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
    PHY_POLL,
    SUPPORTED,
)
from physcapy.pal.driver import Op, PhyDriver
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


# -- v6.12 smsc.c ----------------------------------------------------------------------------


def smsc_phy_probe(dev: PhyDevice) -> None:
    """v6.12: EDPD on (and a 640 ms wake-up wait) unless the board says
    ``smsc,disable-energy-detect`` (here: ``priv["energy_enable"] = False``).  The
    optional 50 MHz reference clock has no counterpart in the simulation."""
    dev.priv.setdefault("energy_enable", True)


def smsc_phy_config_intr_612(dev: PhyDevice) -> None:
    """v6.12 smsc_phy_config_intr: on: acknowledge (read r29), r30 ← 0x50 (AN complete |
    link down); off: r30 ← 0, acknowledge."""
    if dev.interrupts == PHY_INTERRUPT_ENABLED:
        smsc_phy_ack_interrupt(dev)
        dev.write(MII_LAN83C185_IM, MII_LAN83C185_ISF_INT_PHYLIB_EVENTS)
    else:
        dev.write(MII_LAN83C185_IM, 0)
        smsc_phy_ack_interrupt(dev)


def smsc_phy_handle_interrupt(dev: PhyDevice) -> bool:
    """v6.12: read r29 only (which clears it); ours when AN complete or link down is set."""
    return bool(dev.read(MII_LAN83C185_ISF) & MII_LAN83C185_ISF_INT_PHYLIB_EVENTS)


def smsc_phy_config_init_612(dev: PhyDevice) -> None:
    """v6.12: in interrupt mode (irq not PHY_POLL) EDPD is turned off, unless a user set
    it (ethtool tunable, ``priv["edpd_set_by_user"]``); then r17 bit 13 set or cleared
    (phy_modify: written only on change).  No r29 read any more."""
    if not dev.priv.get("edpd_set_by_user"):
        # The board's setting (known at probe in the kernel; physcapy boards set priv
        # after the scan), then "don't use EDPD in irq mode".
        energy = bool(dev.priv.get("energy_enable", True))
        dev.priv["edpd_enable"] = energy and dev.irq == PHY_POLL
    if dev.priv["edpd_enable"]:
        dev.modify(MII_LAN83C185_CTRL_STATUS, 0, MII_LAN83C185_EDPWRDOWN)
    else:
        dev.modify(MII_LAN83C185_CTRL_STATUS, MII_LAN83C185_EDPWRDOWN, 0)


def smsc_phy_reset(dev: PhyDevice) -> None:
    """v6.12 soft_reset: if r18 bits 7:5 say power-down (110), set them to 111 (all
    capable); then genphy_soft_reset (BMCR reset and the 50 ms / 600 ms poll)."""
    modes = dev.read(MII_LAN83C185_SPECIAL_MODES)
    if modes & MII_LAN83C185_MODE_MASK == MII_LAN83C185_MODE_POWERDOWN:
        dev.write(MII_LAN83C185_SPECIAL_MODES, modes | MII_LAN83C185_MODE_ALL)
    genphy_soft_reset(dev)


def lan87xx_config_aneg(dev: PhyDevice) -> int:
    """v6.12: with an MDI-X choice, r27 read and written (MDI 0x8000, MDI-X 0xA000, auto
    0x4000 after clearing those bits); then genphy_config_aneg.  Unset (the default,
    ETH_TP_MDI_INVALID): r27 untouched."""
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


#: The one ID for which v6.12 extends the crossover timer (LAN9500A/LAN9505A).
LAN95XXA_PHY_ID = 0x0007C0F0


def lan95xx_config_aneg_ext(dev: PhyDevice) -> int:
    """v6.12 LAN8710/LAN8720 config_aneg: r16 |= 1 (extend the manual Auto-MDIX timer)
    only when phy_id is exactly 0x0007c0f0; then lan87xx_config_aneg."""
    if dev.phy_id == LAN95XXA_PHY_ID:
        dev.modify(PHY_EDPD_CONFIG, 0, PHY_EDPD_CONFIG_EXT_CROSSOVER)
    return lan87xx_config_aneg(dev)


def lan87xx_read_status(dev: PhyDevice) -> None:
    """v6.12: generic; then, without link and with EDPD on, wake the PHY: clear
    EDPWRDOWN, poll ENERGYON (r17 bit 1) every 10 ms for up to 640 ms (a timeout is
    not an error), set EDPWRDOWN again.

    The poll is read_poll_timeout's: sleep before the first read, and one more read
    once the 640 ms have passed.  EDPD is off in interrupt mode (config_init), so
    this happens only when polling.
    """
    genphy_read_status(dev)
    if dev.link or not dev.priv.get("edpd_enable", False):
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


def _smsc612(
    phy_id: int, name: str, model: str, *, basic: bool = True, lan87xx: Op | None = None
) -> PhyDriver:
    """A v6.12 smsc.c entry: no features (probe reads BMSR), smsc_phy_probe, the
    interrupt pair, genphy suspend/resume; ``basic`` adds config_init and soft_reset;
    ``lan87xx`` names the config_aneg of the entries with lan87xx_read_status."""
    return PhyDriver(
        phy_id,
        0xFFFFFFF0,
        name,
        probe=smsc_phy_probe,
        config_init=smsc_phy_config_init_612 if basic else None,
        soft_reset=smsc_phy_reset if basic else None,
        config_aneg=lan87xx if lan87xx is not None else genphy_config_aneg,
        read_status=lan87xx_read_status if lan87xx is not None else genphy_read_status,
        config_intr=smsc_phy_config_intr_612,
        handle_interrupt=smsc_phy_handle_interrupt,
        suspend=genphy_suspend,
        resume=genphy_resume,
        model=model,
    )


LAN8710_MODERN = _smsc612(
    0x0007C0F0, "SMSC LAN8710/LAN8720", "lan8720a", lan87xx=lan95xx_config_aneg_ext
)

#: 2.6.32 smsc.c, in its registration order.
DRIVERS: list[PhyDriver] = [LAN83C185, LAN8187, LAN8700, LAN911X_INT, LAN8710_26]
#: v6.12 smsc.c, in its registration order (its LAN8742 entry is in ``smsc_lan874x``;
#: the LAN8740 is left out: physcapy has no model of it).
MODERN_DRIVERS: list[PhyDriver] = [
    _smsc612(0x0007C0A0, "SMSC LAN83C185", "lan83c185"),
    _smsc612(0x0007C0B0, "SMSC LAN8187", "lan8187"),
    _smsc612(0x0007C0C0, "SMSC LAN8700", "lan8700", lan87xx=lan87xx_config_aneg),
    _smsc612(0x0007C0D0, "SMSC LAN911x Internal PHY", "lan911x", basic=False),
    LAN8710_MODERN,
]
