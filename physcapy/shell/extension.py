# SPDX-License-Identifier: GPL-2.0-only
"""The IPython extension: ``%load_ext physcapy`` in IPython or Jupyter.

It puts the shell's helpers and names in the namespace (``bus``, ``rd``, ``wr``,
``dump``, ``scan``, ``decode``, ``replay``, ``pal``, ``BMCR``, ``BMSR``, ``MDIO``...),
adds the magics ``%mdio``, ``%pal`` and ``%decode``, completes register, field
and ``DEVAD.REG`` names (also inside the quotes of ``rd(1, "BM``), and turns a
physcapy error in a cell into one line instead of a traceback.  IPython is
imported here only.

    >>> from IPython.testing.globalipapp import get_ipython
    >>> ip = get_ipython(); load_ipython_extension(ip)
    >>> v = ip.run_line_magic("mdio", "read 1 BMSR")
    >>> v.spec.name, int(v), v.link_status
    ('BMSR', 31085, 1)
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from typing import Any

from physcapy.errors import NoAnswerError, PhyscapyError, one_line, parse_int

__all__ = ["load_ipython_extension", "unload_ipython_extension"]

_MDIO_ACTIONS = ("read", "write", "modify", "dump", "scan", "connect")
_PAL_ACTIONS = ("start", "status", "stop", "events", "unplug", "plug")


def _names(prefix: str, only: Any = None) -> list[str]:
    """Register names (and MMD-qualified names) starting with ``prefix``: of the models
    in ``only`` (the PHYs on the bus) and the IEEE sets, else of every model."""
    from physcapy.registers.models import all_models, model

    upper = prefix.upper()
    out: set[str] = set()
    models = all_models() if not only else [model("ieee802.3"), *(model(n) for n in only)]
    numbered = re.fullmatch(r"(\d+)\.(.*)", prefix)  # DEVAD as a number: 3.<Tab>, 3.0x<Tab>
    for m in models:
        for spec in m.all_registers():
            if numbered:
                if spec.devad != int(numbered.group(1)):
                    continue
                rest = numbered.group(2).lower()
                a = spec.address
                digits = [f"0x{a:04x}", f"0x{a:x}", str(a)]  # as one may type them
                forms = digits if rest[:1].isdigit() else [spec.name, *spec.aliases]
                out.update(f"{numbered.group(1)}.{f}" for f in forms if f.lower().startswith(rest))
                continue
            for name in (spec.name, *spec.aliases):
                full = f"{m.mmds[spec.devad].name}.{name}" if spec.devad is not None else name
                if full.startswith(upper):
                    out.add(full)
    return sorted(out)


class _ArgError(PhyscapyError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _ArgError(f"{self.prog}: {message}")


def _mdio_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="%mdio", add_help=False)
    p.add_argument("action", choices=_MDIO_ACTIONS)
    p.add_argument("args", nargs="*")
    p.add_argument("--model", "-m")
    return p


class _Magics:
    """The magic functions, bound to one shell and its Console."""

    def __init__(self, ip: Any, console: Any):
        self.ip = ip
        self.console = console

    def _run(self, fn: Any, line: str) -> Any:
        try:
            return fn(line)
        except NoAnswerError as exc:
            print(f"physcapy: {exc}", file=sys.stderr)
        except PhyscapyError as exc:
            print(f"physcapy: error: {exc}", file=sys.stderr)
        return None

    def mdio(self, line: str) -> Any:
        """%mdio read PHY REG | write PHY REG VALUE | modify PHY REG VALUE MASK |
        dump PHY | scan | connect URL   (on the current bus)"""
        return self._run(self._mdio, line)

    def _mdio(self, line: str) -> Any:
        ns = _mdio_parser().parse_args(shlex.split(line))
        c, a = self.console, ns.args
        need = {"read": 2, "write": 3, "modify": 4, "dump": 1, "scan": 0, "connect": 1}
        if ns.action == "dump" and not a:
            a = ["1"]
        if len(a) != need[ns.action]:
            raise _ArgError(
                f"%mdio {ns.action} takes {need[ns.action]} argument(s), got {len(a)}: "
                f"{(_mdio_help := self.mdio.__doc__ or '').split(chr(10))[0]}"
            )
        if ns.action == "connect":
            bus = c.connect(a[0])
            print(f"bus = {bus.url}")
            return None
        # scan and dump are returned, as read is: the cell shows them as one table (a
        # notebook) or aligned text (the terminal), and `found = %mdio scan` binds them.
        if ns.action == "scan":
            return c.scan()
        phy = parse_int("PHY address", a[0], 0, 31)
        if ns.action == "dump":
            return c.dump(phy, ns.model)
        if ns.action == "read":
            # Returned, not printed: `v = %mdio read 1 BMSR` binds it, and IPython shows
            # it as the field table (terminal) or bit-field table (notebook).
            return c.rd(phy, a[1], ns.model)
        value = parse_int("value", a[2], 0, 0xFFFF)
        if ns.action == "write":
            c.wr(phy, a[1], value, ns.model)
            print(f"PHY {phy} {a[1]} <- 0x{value:04x}")
            return None
        new = c.modify(phy, a[1], value, parse_int("mask", a[3], 0, 0xFFFF))
        print(f"PHY {phy} {a[1]} <- 0x{new:04x}")
        return None

    def pal(self, line: str) -> Any:
        """%pal start [PHY] [linux26|linux6] | status | stop | events [N] | unplug [PHY] |
        plug [PHY]   (Linux phylib running in the background on the current bus;
        ``%pal events`` is ``pal_runner.events``, ``%pal events N`` its last N)"""
        return self._run(self._pal, line)

    def _pal(self, line: str) -> Any:
        words = shlex.split(line) or ["status"]
        action, rest = words[0], words[1:]
        if action not in _PAL_ACTIONS:
            raise _ArgError(f"%pal {action!r} is unknown: allowed {', '.join(_PAL_ACTIONS)}")
        c = self.console
        if action == "start":
            phy = parse_int("PHY address", rest[0], 0, 31) if rest else 1
            profile = rest[1] if len(rest) > 1 else "linux26"
            runner = c.pal(phy, profile)
            self.ip.push({"pal_runner": runner})
            print(runner.status())
            return None
        if action in ("unplug", "plug"):
            phy = parse_int("PHY address", rest[0], 0, 31) if rest else 1
            getattr(c, action)(phy)
            return None
        if c.runner is None:
            raise _ArgError("no PAL is running: %pal start [PHY] first")
        if action == "status":
            print(c.runner.status())
        elif action == "stop":
            c.runner.stop()
            print(c.runner.status())
            c.runner = None
        else:
            # The same object (and so the same view) as pal.events; N keeps the last N.
            events = c.runner.events
            if not rest:
                return events
            n = parse_int("event count", rest[0], 1, 10**6)
            from physcapy.pal.events import EventLog

            last = EventLog()
            last.extend(events.of("state", "carrier", "adjust_link", "log")[-n:])
            return last
        return None

    def decode(self, line: str) -> Any:
        """%decode FILE [--mdc CH --mdio CH]: the transactions, registers decoded."""
        return self._run(self._decode, line)

    def _decode(self, line: str) -> Any:
        p = _Parser(prog="%decode", add_help=False)
        p.add_argument("path")
        p.add_argument("--mdc")
        p.add_argument("--mdio")
        ns = p.parse_args(shlex.split(line))
        return self.console.decode(ns.path, ns.mdc, ns.mdio)


def _complete_magic(ip: Any, event: Any) -> list[str]:
    words = event.line.split()
    if event.line.endswith(" "):
        words.append("")
    magic = words[0].lstrip("%")
    if len(words) == 2:
        return list(_MDIO_ACTIONS if magic == "mdio" else _PAL_ACTIONS)
    if len(words) >= 3 and words[-2] in ("--model", "-m"):
        from physcapy.registers.models import all_models

        return [m.name for m in all_models() if m.kind == "phy" and m.name.startswith(words[-1])]
    if magic == "mdio" and len(words) == 4 and words[1] in ("read", "write", "modify"):
        console = ip.user_ns.get("_physcapy_console")
        return _names(words[3], console.bus.known_models().values() if console else None)
    if magic == "pal" and words[1] == "start" and len(words) == 4:
        return [p for p in ("linux26", "linux6") if p.startswith(words[3])]
    return []


#: ``v.``, ``BMSR(0x796d).``, ``rd(1, 'BMSR').`` (and ``rd(1, 7.0x3c)``-style names)
#: right before the cursor, each followed by the start of a field name.
_VARIABLE = re.compile(r"(?<![\w.)\]])([A-Za-z_]\w*)\.(\w*)$")
_CONSTRUCTED = re.compile(
    r"(?<![\w.])([A-Za-z_]\w*)\(\s*(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)\s*\)\.(\w*)$"
)
_READ = re.compile(r"""(?<![\w.])rd\(\s*(\d+)\s*,\s*(['"])([\w.:]+)\2\s*\)\.(\w*)$""")


def _in_string_or_comment(code: str) -> bool:
    """Whether the end of ``code`` (one line) is inside a string literal or a comment."""
    quote = ""
    i = 0
    while i < len(code):
        c = code[i]
        if quote:
            if c == "\\":
                i += 1  # the escaped character
            elif code.startswith(quote, i):
                i += len(quote) - 1
                quote = ""
        elif c == "#":
            return True
        elif c in "'\"":
            quote = code[i : i + 3] if code[i : i + 3] in ('"""', "'''") else c
            i += len(quote) - 1
        i += 1
    return bool(quote)


def _spec_before_dot(ip: Any, before: str) -> Any:
    """The register description of the value whose fields are being completed, found
    without running anything that touches the bus (``rd(...)`` is not called: its
    register is looked up in the model of the PHY at that address)."""
    from physcapy.registers.values import RegisterValue

    if m := _VARIABLE.search(before):
        value = ip.user_ns.get(m.group(1))
        return value.spec if isinstance(value, RegisterValue) else None
    if m := _CONSTRUCTED.search(before):
        cls = ip.user_ns.get(m.group(1))
        is_register = isinstance(cls, type) and issubclass(cls, RegisterValue)
        return cls.spec if is_register and hasattr(cls, "spec") else None
    if m := _READ.search(before):
        from physcapy.bus.access import resolve_target
        from physcapy.registers.models import model

        console = ip.user_ns.get("_physcapy_console")
        known = console.bus.known_models() if console is not None else {}
        try:
            return resolve_target(model(known.get(int(m.group(1)))), m.group(3)).spec
        except PhyscapyError:
            return None
    return None


def _register_matcher(ip: Any) -> None:
    """Complete register names inside a string literal: ``rd(1, "BM<Tab>``."""
    from IPython.core.completer import (
        CompletionContext,
        SimpleCompletion,
        SimpleMatcherResult,
        context_matcher,
    )

    @context_matcher()
    def physcapy_registers(context: CompletionContext) -> SimpleMatcherResult:
        before = context.line_with_cursor[: context.cursor_position]
        quote = max(before.rfind('"'), before.rfind("'"))
        open_string = quote >= 0 and before.count(before[quote]) % 2 == 1
        token = before[quote + 1 :] if open_string else ""
        if not open_string or not token or not token.replace(".", "").replace("_", "").isalnum():
            return {"completions": [], "suppress": False}
        console = ip.user_ns.get("_physcapy_console")
        on_bus = console.bus.known_models().values() if console is not None else None
        names = _names(token, on_bus)
        return {
            "completions": [SimpleCompletion(n, type="register") for n in names],
            "suppress": bool(names),
        }

    @context_matcher()
    def physcapy_fields(context: CompletionContext) -> SimpleMatcherResult:
        # Field names of a register value (``v.link_<Tab>``, ``BMSR(0x796d).li<Tab>``,
        # ``rd(1, 'BMSR').li<Tab>``): jedi reads source, not the fields a register
        # description gives at run time.
        before = context.line_with_cursor[: context.cursor_position]
        spec = None if _in_string_or_comment(before) else _spec_before_dot(ip, before)
        if spec is None:
            return {"completions": [], "suppress": False}
        prefix = before.rpartition(".")[2]
        lead = context.token[: len(context.token) - len(prefix)]
        found = [f for f in spec.field_names() if f.startswith(prefix)]
        # Beside jedi's own (flags, table, to_json...), which it finds by itself.
        return {
            "completions": [SimpleCompletion(lead + f, type="field") for f in found],
            "suppress": False,
        }

    _remove_matchers(ip)
    ip.Completer.custom_matchers.append(physcapy_registers)
    ip.Completer.custom_matchers.append(physcapy_fields)


def _remove_matchers(ip: Any) -> None:
    """Take physcapy's matchers out (reload_ext must not stack them)."""
    ip.Completer.custom_matchers[:] = [
        m
        for m in ip.Completer.custom_matchers
        if getattr(m, "__name__", "") not in ("physcapy_registers", "physcapy_fields")
    ]


def _one_line_errors(ip: Any) -> None:
    """A physcapy error raised in a cell prints one line, not a traceback."""

    def handler(
        shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
    ) -> None:
        prefix = "physcapy: " if isinstance(value, NoAnswerError) else "physcapy: error: "
        print(f"{prefix}{one_line(str(value))}", file=sys.stderr)

    ip.set_custom_exc((PhyscapyError,), handler)


def load_ipython_extension(ip: Any, bus: Any = None) -> None:
    """Set up ``ip``: names, magics, completion, one-line errors.

    The bus is the namespace's ``bus`` if there is one, else ``bus`` (a URL or a
    Bus) given here, else ``sim://``.
    """
    from physcapy.shell.console import Console
    from physcapy.shell.namespace import shell_namespace

    existing = ip.user_ns.get("bus")
    from physcapy.bus.base import Bus

    target = existing if isinstance(existing, Bus) else (bus or "sim://")
    background = bool(ip.user_ns.pop("_physcapy_background_imports", False))
    console = Console(target, real_time=background)
    # The terminal shell asks for the Scapy layers to come in the background, after the
    # prompt; a notebook gets them now (its next cell may use them at once).
    ns = shell_namespace(console.bus, scapy=not background, current_bus=lambda: console.bus)
    ns.update(console.namespace())
    ns["bus"] = console.bus
    ip.push(ns)
    console.on_connect = lambda new: ip.push({"bus": new})
    magics = _Magics(ip, console)
    ip.register_magic_function(magics.mdio, "line", "mdio")
    ip.register_magic_function(magics.pal, "line", "pal")
    ip.register_magic_function(magics.decode, "line", "decode")
    for name in ("%mdio", "%pal"):
        ip.set_hook("complete_command", _complete_magic, str_key=name)
    _register_matcher(ip)
    _one_line_errors(ip)
    from physcapy.shell.views import register_formatters

    register_formatters(ip)
    ip.user_ns["_physcapy_console"] = console
    if background:
        _import_in_background(ip, console)


def _import_in_background(ip: Any, console: Any) -> None:
    """Import the Scapy layers while the first prompt is up; the first cell waits for
    them (a pre_run_cell hook), so no cell can run without them."""
    import threading

    from physcapy.shell.namespace import scapy_names

    names: dict[str, Any] = {}
    thread = threading.Thread(
        target=lambda: names.update(scapy_names(lambda: console.bus)),
        name="physcapy-imports",
        daemon=True,
    )
    thread.start()

    def ready(*_: Any) -> None:
        thread.join()
        ip.user_ns.update(names)
        ip.events.unregister("pre_run_cell", ready)

    ip.events.register("pre_run_cell", ready)


def unload_ipython_extension(ip: Any) -> None:
    console = ip.user_ns.get("_physcapy_console")
    if console is not None and console.runner is not None:
        console.runner.stop()
    _remove_matchers(ip)
