"""The import contract, read from the source with ``ast`` (import-linter's layers, in a test).

* ``ui`` sits above ``app``: nothing in ``app/`` imports ``ui`` or Qt, not even lazily.
* Inside ``app``, the lower rooms (tools, llm, store, models, net, text) never import the
  agents or anything built on them (runtime, cli, server, mcp).
* No circle between modules of ``app/`` and ``ui/``, counting imports inside functions too;
  the lazy imports that close a circle on purpose are listed in ``ALLOWED_LAZY`` with the
  reason.

``make lint`` runs this file, and ``make test`` runs it with everything else. Run as a
script it prints the graph between packages (Graphviz dot), e.g.
``python tests/unit/test_import_layers.py | dot -Tsvg > imports.svg``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")
LOWER = ("app.tools", "app.llm", "app.store", "app.models", "app.net", "app.text")
ABOVE_AGENTS = ("app.agents", "app.runtime", "app.cli", "app.server", "app.mcp")

# (importer, imported): lazy imports allowed to close a circle, each with its reason.
ALLOWED_LAZY = {
    # `mcp serve` is one of the `mcp` commands, and the served process starts the MCP
    # servers of its own mcp.json through the commands' helper; each side imports the other
    # only when that command runs.
    ("app.mcp.commands", "app.mcp.serve"),
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    lazy: bool  # inside a function: runs only when the function does
    line: int

    def __str__(self) -> str:
        where = " (inside a function)" if self.lazy else ""
        return f"{self.importer}:{self.line} imports {self.imported}{where}"


def module_names(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    names = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names[".".join(parts)] = path
    return names


def imports(root: Path, packages: tuple[str, ...]) -> list[Import]:
    """Every import statement in ``packages`` (``if TYPE_CHECKING:`` blocks left out)."""
    modules = module_names(root, packages)
    found: list[Import] = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, lazy in _walk(tree, lazy=False):
            if isinstance(node, ast.Import):
                found += [Import(name, alias.name, lazy, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(kept + ([node.module] if node.module else []))
                for alias in node.names:
                    target = f"{base}.{alias.name}"  # `from app.models import hardware`
                    found.append(
                        Import(name, target if target in modules else base, lazy, node.lineno)
                    )
    return found


def _walk(node: ast.AST, lazy: bool) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if _is_type_checking_block(child):
            continue
        inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield child, inner
        yield from _walk(child, inner)


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def cycles(edges: list[Import], allowed: set[tuple[str, str]]) -> list[list[str]]:
    """The circles (strongly connected groups of two or more modules) among ``edges``."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        if edge.importer != edge.imported and (edge.importer, edge.imported) not in allowed:
            graph.setdefault(edge.importer, set()).add(edge.imported)
            graph.setdefault(edge.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graph is a few hundred nodes
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def internal(edges: list[Import]) -> list[Import]:
    """The imports from one module of app/ or ui/ to another."""
    names = module_names(ROOT, ("app", "ui"))
    return [e for e in edges if e.importer in names and e.imported in names]


def package_graph(edges: list[Import]) -> str:
    """The imports between packages (``app.tools``, ``ui``, …) as Graphviz dot."""

    def package(name: str) -> str:
        return ".".join(name.split(".")[:2]) if name.startswith("app.") else name.split(".")[0]

    pairs = sorted({(package(e.importer), package(e.imported)) for e in internal(edges)})
    lines = [f'  "{a}" -> "{b}";' for a, b in pairs if a != b]
    return "digraph imports {\n" + "\n".join(lines) + "\n}\n"


EDGES = imports(ROOT, ("app", "ui"))


def test_the_core_never_imports_the_front_end_or_qt() -> None:
    bad = [
        str(e)
        for e in EDGES
        if within(e.importer, ("app",)) and within(e.imported, ("ui", *QT_PACKAGES))
    ]
    assert bad == []


def test_lower_rooms_never_import_the_agents_or_what_is_built_on_them() -> None:
    bad = [
        str(e) for e in EDGES if within(e.importer, LOWER) and within(e.imported, ABOVE_AGENTS)
    ]
    assert bad == []


def test_no_circle_between_modules() -> None:
    assert cycles(internal(EDGES), ALLOWED_LAZY) == []


def test_the_package_graph_has_no_edge_from_the_core_to_the_front_end() -> None:
    graph = package_graph(EDGES)
    assert '"ui" -> "app.' in graph and '-> "ui"' not in graph


def test_every_allowed_lazy_import_exists_and_is_lazy() -> None:
    """An entry that no longer matches a lazy import is stale: remove it."""
    lazy = {(e.importer, e.imported) for e in EDGES if e.lazy}
    assert ALLOWED_LAZY <= lazy


def test_the_checker_sees_circles_lazy_imports_and_qt(tmp_path: Path) -> None:
    """The reader itself, on a small tree: a circle closed inside a function, a relative
    import, ``from package import module``, and Qt behind ``TYPE_CHECKING`` (ignored)."""
    (tmp_path / "app" / "tools").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "tools" / "__init__.py").write_text("")
    (tmp_path / "app" / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from app.tools import b\n"
        "if TYPE_CHECKING:\n    from PySide6 import QtCore\n"
    )
    (tmp_path / "app" / "tools" / "b.py").write_text("def f():\n    from .. import a\n")
    (tmp_path / "app" / "tools" / "c.py").write_text("import PySide6.QtCore\n")
    edges = imports(tmp_path, ("app",))
    seen = {(e.importer, e.imported, e.lazy) for e in edges}
    assert ("app.a", "app.tools.b", False) in seen
    assert ("app.tools.b", "app.a", True) in seen
    assert ("app.tools.c", "PySide6.QtCore", False) in seen
    assert not any(e.imported.startswith("PySide6") for e in edges if e.importer == "app.a")
    assert cycles(edges, set()) == [["app.a", "app.tools.b"]]
    assert cycles(edges, {("app.tools.b", "app.a")}) == []


if __name__ == "__main__":
    print(package_graph(EDGES), end="")
