# SPDX-License-Identifier: GPL-2.0-only
"""The ``[sim]`` table of a register description: how a simulated part behaves.

Registers and access codes come from the description itself; ``[sim]`` adds what
a datasheet says about timing and about which vendor status fields follow the
link (schema in ``layers/README.md``)::

    [sim]
    reset_time = 0.0005            # seconds BMCR.reset stays set
    address_field = "SMR.phyad"    # reads back the strapped PHY address
    [sim.status]
    "PSCSR.autodone" = "an_complete"
    "PSCSR.speed_indication" = { by = "mode", map = { "10half" = 1, "100full" = 6 } }
    [sim.interrupts]
    status = "ISFR"
    enable = "IMR"
    events = { link_down = "link_down", an_complete = "autoneg_complete" }
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from physcapy.errors import LayerFileError, PhyscapyError
from physcapy.registers.models import Model
from physcapy.registers.regdesc import FieldSpec, RegisterSpec
from physcapy.sim.partner import PRIORITY

__all__ = [
    "EVENTS",
    "STATE_VARS",
    "FieldRef",
    "InterruptConfig",
    "SimConfig",
    "StatusRule",
    "sim_config",
]

#: What a status rule can follow (see SimPhy.state()).
STATE_VARS = (
    "link",
    "an_complete",
    "speed",
    "full",
    "mode",
    "energy",
    "resolved",
    "master",
    "lp_autoneg_able",
    "speed10",
    "speed100",
    "speed1000",
    "link1000",
    "plca",
    "one",
)
#: Interrupt sources a model can latch.
EVENTS = (
    "link_up",
    "link_down",
    "link_change",
    "an_complete",
    "page_received",
    "speed_change",
    "duplex_change",
    "energy_on",
    "energy_change",
    "remote_fault",
    "parallel_detection_fault",
    "ms_fault",
    "an_error",
    "false_carrier",
    "jabber",
)

#: The values each state variable takes, as map keys write them.
_STATE_VALUES: dict[str, tuple[str, ...]] = {
    "mode": ("none", *PRIORITY),
    "speed": ("0", "10", "100", "1000", "2500", "5000", "10000"),
    # every other state is a 0/1 flag
    **{v: ("0", "1") for v in STATE_VARS if v not in ("mode", "speed")},
}

_KEYS = {
    "reset_time",
    "restart_time",
    "an_time",
    "link_time",
    "gigabit_link_time",
    "power_on_time",
    "native_c45",
    "address_field",
    "undescribed",
    "fixed",
    "status",
    "interrupts",
    "reset_reads",
    "clause22",
    "reset_fields",
    "restart_fields",
    "page_alias",
    "reset_keeps",
    "reset_applies",
    "notes",
    "mirrors",
    "advertise",
    "lp",
    "base_t1",
    "role_field",
    "plca_enable",
    "plca_node",
}


@dataclass(frozen=True, eq=False)
class FieldRef:
    reg: RegisterSpec
    field: FieldSpec

    def __str__(self) -> str:
        return f"{self.reg.name}.{self.field.name}"


@dataclass(frozen=True, eq=False)
class StatusRule:
    """``target`` follows state variable ``var``, through ``mapping`` when given."""

    target: FieldRef
    var: str
    mapping: dict[str, int] | None = None
    default: int = 0

    def value(self, state: dict[str, Any]) -> int:
        current = state[self.var]
        if self.mapping is None:
            return int(current) & self.target.field.maximum
        return self.mapping.get(str(current), self.default)


@dataclass(frozen=True, eq=False)
class InterruptConfig:
    status: RegisterSpec
    events: dict[str, FieldSpec]
    enable: RegisterSpec | None = None
    enables: dict[str, FieldSpec] = field(default_factory=dict)
    enable_active_low: bool = False  # Davicom: writing 1 masks the source


@dataclass(frozen=True, eq=False)
class SimConfig:
    """Timing and status behaviour of one simulated model (IEEE defaults when absent)."""

    reset_time: float = 0.0005  # BMCR.reset stays set this long (IEEE: at most 0.5 s)
    restart_time: float = 0.00005  # BMCR.restart_autoneg self-clears after this
    an_time: float = 1.5  # FLP exchange until AN complete and link (10/100)
    link_time: float = 0.2  # forced mode or parallel detection: signal to link up
    gigabit_link_time: float = 1.5  # extra 1000BASE-T training after AN complete
    power_on_time: float = 0.02  # after power-on: no answer on MDIO until this
    native_c45: bool = False  # answers Clause 45 frames (ST=00)
    clause22: bool = True  # answers Clause 22 frames (a pure Clause 45 part does not)
    address_field: FieldRef | None = None
    undescribed: int = 0x0000  # what registers the description leaves out read
    fixed: dict[int, int] = field(default_factory=dict)
    reset_reads: int | None = None  # BMCR value read while a soft reset is in progress
    status: tuple[StatusRule, ...] = ()
    interrupts: InterruptConfig | None = None
    reset_fields: tuple[FieldRef, ...] = ()  # vendor soft-reset bits (DP83867 CTRL.sw_reset)
    restart_fields: tuple[FieldRef, ...] = ()  # vendor "restart the PHY" bits (self-clearing)
    page_alias: dict[int, int] = field(default_factory=dict)  # RTL8211F: page 0 is 0xa42
    reset_keeps: tuple[RegisterSpec, ...] = ()  # registers a soft reset leaves alone
    #: registers whose value written with the reset bit takes effect after the reset
    reset_applies: tuple[RegisterSpec, ...] = ()
    #: one register seen at two addresses: (alias, target), the alias reads the target's storage
    mirrors: tuple[tuple[RegisterSpec, RegisterSpec], ...] = ()
    #: vendor fields an ability is advertised in / a partner's ability is reported in
    advertise: dict[str, FieldRef] = field(default_factory=dict)
    lp: dict[str, FieldRef] = field(default_factory=dict)
    #: BASE-T1: the mode the link comes up in without auto-negotiation ("100full", "10half")
    base_t1: str | None = None
    role_field: FieldRef | None = None  # forced MASTER (1) / SLAVE (0) of a BASE-T1 PHY
    plca_enable: FieldRef | None = None  # 10BASE-T1S PLCA enable (Clause 148)
    plca_node: FieldRef | None = None  # PLCA local node ID (255: not configured)


class _Check:
    def __init__(self, m: Model):
        self.m = m

    def fail(self, key: str, message: str) -> None:
        path, line = self.m.sim_origin.get(key, (self.m.path, None))
        raise LayerFileError(Path(path), line, f"[sim] {key}: {message}")

    def ref(self, key: str, text: object) -> FieldRef:
        if not isinstance(text, str) or "." not in text:
            self.fail(key, f'{text!r} must name a field as "REGISTER.field"')
        assert isinstance(text, str)
        reg_name, field_name = text.rsplit(".", 1)
        try:
            reg = self.m.register(reg_name)
            return FieldRef(reg, reg.field(field_name))
        except PhyscapyError as exc:
            self.fail(key, str(exc))
        raise AssertionError  # pragma: no cover

    def number(self, key: str, value: object, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"{value!r} must be a number")
        assert isinstance(value, (int, float))
        if not low <= value <= high:
            self.fail(key, f"{value} is out of range {low}-{high}")
        return float(value)


@cache
def sim_config(m: Model) -> SimConfig:
    """Validate and resolve ``m.sim``; mistakes raise LayerFileError with file and line."""
    check = _Check(m)
    raw = m.sim
    for key in raw:
        if key not in _KEYS:
            check.fail(key, f"unknown key: allowed {', '.join(sorted(_KEYS))}")
    kwargs: dict[str, Any] = {}
    for key in (
        "reset_time",
        "restart_time",
        "an_time",
        "link_time",
        "gigabit_link_time",
        "power_on_time",
    ):
        if key in raw:
            kwargs[key] = check.number(key, raw[key], 0.0, 60.0)
    for key in ("native_c45", "clause22"):
        if key in raw:
            if not isinstance(raw[key], bool):
                check.fail(key, "must be true or false")
            kwargs[key] = raw[key]
    if "address_field" in raw:
        kwargs["address_field"] = check.ref("address_field", raw["address_field"])
    for key in ("undescribed", "reset_reads"):
        if key in raw:
            kwargs[key] = int(check.number(key, raw[key], 0, 0xFFFF))
    for key in ("fixed", "status", "page_alias"):
        if key in raw and not isinstance(raw[key], dict):
            check.fail(key, f"must be a table: write [sim.{key}]")
    if "fixed" in raw:
        fixed = {}
        for addr, value in raw["fixed"].items():
            try:
                number = int(addr, 0)
            except ValueError:
                check.fail("fixed", f"register {addr!r} is not a number")
            a = int(check.number("fixed", number, 0, 31))
            if a in m.registers:
                check.fail(
                    "fixed",
                    f"register {a} is described ({m.registers[a].name}); fixed "
                    "values are for registers the description leaves out",
                )
            fixed[a] = int(check.number("fixed", value, 0, 0xFFFF))
        kwargs["fixed"] = fixed
    if "status" in raw:
        rules = []
        for target, rule in raw["status"].items():
            ref = check.ref("status", target)
            if isinstance(rule, str):
                var, mapping, default = rule, None, 0
            elif isinstance(rule, dict) and set(rule) <= {"by", "map", "default"} and "by" in rule:
                var = rule["by"]
                table = rule.get("map", {})
                if not isinstance(table, dict) or not all(
                    isinstance(v, int) and not isinstance(v, bool) for v in table.values()
                ):
                    check.fail("status", f"{target}: map must be a table of value = number")
                mapping = {str(k): int(v) for k, v in table.items()}
                default = rule.get("default", 0)
                if not isinstance(default, int) or isinstance(default, bool):
                    check.fail("status", f"{target}: default must be a number")
                allowed = _STATE_VALUES.get(str(var))
                if allowed is not None:
                    for k in mapping:
                        if k not in allowed:
                            check.fail(
                                "status",
                                f"{target}: {var} is never {k!r}: allowed {', '.join(allowed)}",
                            )
                for v in (*mapping.values(), default):
                    if not 0 <= v <= ref.field.maximum:
                        check.fail(
                            "status",
                            f"{target}: value {v} does not fit the field (0-{ref.field.maximum})",
                        )
            else:
                check.fail(
                    "status", f"{target}: write a state name or {{ by = ..., map = {{ ... }} }}}}"
                )
            if var not in STATE_VARS:
                check.fail(
                    "status", f"{target}: state {var!r} is unknown: allowed {', '.join(STATE_VARS)}"
                )
            rules.append(StatusRule(ref, var, mapping, default))
        kwargs["status"] = tuple(rules)
    if "interrupts" in raw:
        kwargs["interrupts"] = _interrupts(check, raw["interrupts"])
    for key in ("reset_fields", "restart_fields"):
        if key in raw:
            if not isinstance(raw[key], list):
                check.fail(key, 'must be a list of "REGISTER.field"')
            kwargs[key] = tuple(check.ref(key, item) for item in raw[key])
    for key in ("reset_keeps", "reset_applies"):
        if key in raw:
            regs = []
            for name in raw[key] if isinstance(raw[key], list) else [None]:
                try:
                    regs.append(m.register(str(name)))
                except PhyscapyError as exc:
                    check.fail(key, f"{exc} (write a list of register names)")
            kwargs[key] = tuple(regs)
    _vendor_keys(check, raw, kwargs)
    if "page_alias" in raw:
        aliases = {}
        for page, target in raw["page_alias"].items():
            try:
                number = int(page, 0)
            except ValueError:
                check.fail("page_alias", f"page {page!r} is not a number")
            aliases[int(check.number("page_alias", number, 0, 0xFFFF))] = int(
                check.number("page_alias", target, 0, 0xFFFF)
            )
        kwargs["page_alias"] = aliases
    return SimConfig(**kwargs)


def _register(check: _Check, key: str, name: object) -> RegisterSpec:
    try:
        return check.m.register(str(name))
    except PhyscapyError as exc:
        check.fail(key, str(exc))
    raise AssertionError  # pragma: no cover


def _vendor_keys(check: _Check, raw: dict[str, Any], kwargs: dict[str, Any]) -> None:
    """mirrors, advertise, lp, base_t1, role_field, plca_enable, plca_node."""
    for key in ("mirrors", "advertise", "lp"):
        if key in raw and not isinstance(raw[key], dict):
            check.fail(key, f"must be a table: write [sim.{key}]")
    if "mirrors" in raw:
        pairs = []
        for alias, target in raw["mirrors"].items():
            a, t = _register(check, "mirrors", alias), _register(check, "mirrors", target)
            if a is t:
                check.fail("mirrors", f"{alias} mirrors itself")
            pairs.append((a, t))
        kwargs["mirrors"] = tuple(pairs)
    abilities = [m for m in PRIORITY]
    for key in ("advertise", "lp"):
        if key in raw:
            table = {}
            for ability, ref in raw[key].items():
                if ability not in abilities:
                    check.fail(
                        key, f"ability {ability!r} is unknown: allowed {', '.join(abilities)}"
                    )
                table[ability] = check.ref(key, ref)
            kwargs[key] = table
    if "base_t1" in raw:
        if raw["base_t1"] not in abilities:
            check.fail(
                "base_t1", f"{raw['base_t1']!r} is not a mode: allowed {', '.join(abilities)}"
            )
        kwargs["base_t1"] = raw["base_t1"]
    for key in ("role_field", "plca_enable", "plca_node"):
        if key in raw:
            kwargs[key] = check.ref(key, raw[key])


def _interrupts(check: _Check, raw: Any) -> InterruptConfig:
    if not isinstance(raw, dict):
        check.fail("interrupts", "must be a table")
    allowed = {"status", "enable", "events", "enables", "enable_active_low"}
    for key in raw:
        if key not in allowed:
            check.fail("interrupts", f"unknown key {key!r}: allowed {', '.join(sorted(allowed))}")
    if "status" not in raw or "events" not in raw:
        check.fail("interrupts", "needs status (the register) and events (event = field)")

    def reg(name: str) -> RegisterSpec:
        try:
            return check.m.register(name)
        except PhyscapyError as exc:
            check.fail("interrupts", str(exc))
        raise AssertionError  # pragma: no cover

    status = reg(raw["status"])
    enable = reg(raw["enable"]) if "enable" in raw else None

    def fields(table: Any, where: RegisterSpec, what: str) -> dict[str, FieldSpec]:
        out = {}
        for event, name in table.items():
            if event not in EVENTS:
                check.fail(
                    "interrupts", f"{what}: event {event!r} is unknown: allowed {', '.join(EVENTS)}"
                )
            try:
                out[event] = where.field(name)
            except PhyscapyError as exc:
                check.fail("interrupts", f"{what}: {exc}")
        return out

    for key in ("events", "enables"):
        if key in raw and not isinstance(raw[key], dict):
            check.fail("interrupts", f"{key} must be a table of event = field")
    active_low = raw.get("enable_active_low", False)
    if not isinstance(active_low, bool):
        check.fail("interrupts", "enable_active_low must be true or false")
    events = fields(raw["events"], status, "events")
    enables = fields(raw.get("enables", {}), enable or status, "enables")
    return InterruptConfig(status, events, enable, enables, active_low)
