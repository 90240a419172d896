"""The package's shape: no import cycles, and the agent's generic layers know no world and no server."""

from __future__ import annotations

import ast
from pathlib import Path

from neuronaut.settings import PROJECT_ROOT

GENERIC_LAYERS = ("nodes", "learning", "skills", "memory", "tools", "llm")
# The World protocol is the agent's side of the plug-in boundary; every other module under worlds/ is a world's.
PROTOCOL = {"neuronaut.worlds", "neuronaut.worlds.base", "neuronaut.worlds.capabilities",
            "neuronaut.worlds.configured", "neuronaut.worlds.joined"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in (PROJECT_ROOT / "neuronaut").rglob("*.py"):
        name = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``path`` imports ("from pkg import sub" imports pkg.sub, not pkg)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            subs = {f"{node.module}.{alias.name}" for alias in node.names} & set(modules)
            found |= subs if len(subs) == len(node.names) else {node.module, *subs}
    return found & set(modules)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while (other := stack.pop()) != module:
                component.append(other)
            if component:
                found.append(sorted([module, *component]))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_module_of_the_package_is_part_of_an_import_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}

    assert _cycles(graph) == []


def test_the_generic_layers_import_no_world_and_no_server() -> None:
    modules = _modules()
    leaks = {
        name: sorted(target for target in _imports(path, modules)
                     if target.startswith("neuronaut.servers")
                     or (target.startswith("neuronaut.worlds") and target not in PROTOCOL))
        for name, path in modules.items() if name.split(".")[1:2] and name.split(".")[1] in GENERIC_LAYERS
    }

    assert {name: targets for name, targets in leaks.items() if targets} == {}
