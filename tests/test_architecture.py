# SPDX-License-Identifier: GPL-2.0-only
"""The package's shape: which folder may import which, and no import circles.

Every import statement counts, wherever it is: at the top, inside a function (a lazy
import is still a dependency) or under ``if TYPE_CHECKING`` (a type is one too).  The
order is design.md §2, refined: each tier may import itself and the tiers before it,
never a tier after it nor a sibling in its own tier.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "physcapy"

#: Lowest first.  Folders of one tier are siblings and do not import each other.
TIERS: list[tuple[str, ...]] = [
    ("_version", "errors"),  # the floor
    ("resources", "plugins"),  # where data and plug-ins are found
    ("registers",),  # core (no I/O): descriptions, models, values
    ("mdio",),  # core: frames, transactions, Scapy frame layers
    ("capture",),  # data: captures and session logs
    ("bus",),  # devices: the bus interface, its registry, linux://
    ("sim",),  # devices: simulated PHYs
    ("ftdi",),  # devices: FTDI, real and emulated (its PHYs are simulated)
    ("traffic", "pal", "sigrok"),  # behaviour: annotate/replay/diff; phylib; sigrok decoder
    ("shell",),  # faces: the shell, the IPython extension, plots
    ("cli",),  # faces: the command line
    ("__main__",),
]
#: The package root is the public facade (``from physcapy import BMSR``): it may
#: import anything, and nothing in the package may import it.
FACADE = "physcapy"
#: At most this many modules at the top of the package (the issue's bar).
TOP_LEVEL_LIMIT = 6


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every physcapy module ``name`` imports, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from physcapy.bus import open_bus`` imports physcapy.bus; ``from
            # physcapy.registers import values`` imports the submodule.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target == FACADE or target.startswith(FACADE + "."):
                while target not in MODULES:
                    target = target.rpartition(".")[0]
                yield node.lineno, target


GRAPH = {
    name: {target for _, target in _imports(name, path) if target != name}
    for name, path in MODULES.items()
}


def _tier(module: str) -> tuple[int, str]:
    top = module.split(".")[1]
    for rank, folders in enumerate(TIERS):
        if top in folders:
            return rank, top
    raise AssertionError(f"{module} is in no tier: add physcapy/{top} to TIERS in {__file__}")


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    assert _cycles() == []


def test_imports_point_down() -> None:
    wrong = []
    for name, path in sorted(MODULES.items()):
        if name == FACADE:
            continue
        rank, folder = _tier(name)
        for line, target in _imports(name, path):
            where = f"{path.relative_to(PACKAGE.parent)}:{line}: {name} imports {target}"
            if target == FACADE:
                wrong.append(f"{where} (the facade; import the module that defines the name)")
                continue
            their_rank, their_folder = _tier(target)
            if their_rank > rank or (their_rank == rank and their_folder != folder):
                wrong.append(f"{where} ({their_folder} is not below {folder})")
    assert wrong == []


def test_few_modules_at_the_top_and_every_folder_says_what_it_holds() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= TOP_LEVEL_LIMIT, top
    for folder in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        init = folder / "__init__.py"
        assert init.is_file(), f"{folder} has no __init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and len(doc.split()) >= 20, f"{init}: say what lives here and what it imports"


# -- the checker itself catches what it is for ---------------------------------------------


@pytest.fixture
def graph_with(monkeypatch: pytest.MonkeyPatch) -> object:
    def add(edge: tuple[str, str]) -> None:
        monkeypatch.setitem(GRAPH, edge[0], GRAPH[edge[0]] | {edge[1]})

    return add


def test_a_circle_is_found(graph_with: object) -> None:
    # pal.device -> pal.kernel closes a circle (kernel imports device).
    graph_with(("physcapy.pal.device", "physcapy.pal.kernel"))  # type: ignore[operator]
    assert any("physcapy.pal.kernel" in c and "physcapy.pal.device" in c for c in _cycles())


def test_an_upward_import_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "physcapy" / "bus" / "upward.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from physcapy.sim.bus import SimBus\n"
        "def f():\n    from physcapy.pal import Pal\n    import physcapy\n"
    )
    monkeypatch.setitem(MODULES, "physcapy.bus.upward", module)
    found = sorted(_imports("physcapy.bus.upward", module))
    assert found == [(3, "physcapy.sim.bus"), (5, "physcapy.pal"), (6, "physcapy")]
    assert _tier("physcapy.sim.bus")[0] > _tier("physcapy.bus.upward")[0]
    assert _tier("physcapy.pal")[0] > _tier("physcapy.bus.upward")[0]
