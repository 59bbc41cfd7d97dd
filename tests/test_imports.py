"""No import circle inside the package at run time, deferred imports included.

Every module is read (its syntax tree, not imported): each import of another
module of the package, at the top or inside a function, is an edge; imports
under ``if TYPE_CHECKING:`` are not (they never run). A cycle among the edges
is a circle: a module that can be half-initialised when another one needs it,
or a pair that cannot be read, tested or replaced one without the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "purecloud_internal_message"
TOP = "__init__"  # the package itself, as a node of the graph


def module_of(path: Path) -> str:
    """A source file's module, dotted from the package (``_codegen.plan``; the
    package's own ``__init__`` is ``__init__``, a subpackage's its name).
    """
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or TOP


# The compiled modules too: their .pyx sources are Cython, read by no one here.
MODULES = {module_of(path) for path in PACKAGE.rglob("*.py")} | {
    module_of(path.with_suffix(".py")) for path in PACKAGE.rglob("*.pyx")
}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def _resolve(base: list[str], names: list[str]) -> set[str]:
    """The modules ``from <base> import <names>`` imports: each name that is a
    module, else the module ``base`` itself (its attribute).
    """
    found = set()
    for name in names:
        dotted = ".".join([*base, name])
        found.add(dotted if dotted in MODULES else ".".join(base) or TOP)
    return found


def _imported(node: ast.AST, package: list[str]) -> set[str]:
    """The modules of the package an import statement in ``package`` (its dotted
    parts) imports.
    """
    if isinstance(node, ast.ImportFrom):
        module = (node.module or "").split(".") if node.module else []
        names = [alias.name for alias in node.names]
        if node.level:
            base = package[: len(package) - (node.level - 1)] + module
            return _resolve(base, names)
        if module[:1] == ["purecloud_internal_message"]:
            return _resolve(module[1:], names)
    elif isinstance(node, ast.Import):
        return {
            ".".join(alias.name.split(".")[1:]) or TOP
            for alias in node.names
            if alias.name.split(".")[0] == "purecloud_internal_message"
        }
    return set()


def imports_in(source: str, package: list[str] | None = None) -> set[str]:
    """Every module of the package that ``source`` (a module of ``package``, the
    top one by default) imports at run time, at any depth.
    """
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(source)]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            for statement in child.orelse if _type_checking_only(child) else [child]:  # type: ignore[attr-defined]
                found |= _imported(statement, package or [])
                pending.append(statement)
    return found


def circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in graph:
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.add(frozenset(group))
    return found


def graph_of_package() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_of(path)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        if name == TOP:
            package = []
        graph[name] = imports_in(path.read_text(encoding="utf-8"), package) - {name}
    return graph


def test_no_import_circle_at_run_time() -> None:
    found = circles(graph_of_package())
    assert not found, f"import circles: {[sorted(group) for group in found]}"


def test_the_readers_are_in_no_circle() -> None:
    readers = {"_shape", "_jsonlines", "_stream", "_reader", "_problems", "_scan", "_scan_py"}
    for group in circles(graph_of_package()):
        assert not group & readers, sorted(group)


def test_the_reading_finds_circles_and_deferred_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == {frozenset({"a", "b", "c"})}
    code = (
        "from . import _shape, __version__\n"
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n"
        "    from ._stream import Document\n"
        "else:\n"
        "    from ._scan import value_end\n"
        "def f():\n"
        "    from ._reader import Reader\n"
        "    import purecloud_internal_message.cli\n"
        "    import json\n"
    )
    # The package's own names come from __init__; what only type checkers read is no edge.
    assert imports_in(code) == {"_shape", "__init__", "_scan", "_reader", "cli"}
    # In a subpackage, relative to it.
    assert imports_in("from . import x\nfrom .. import _shape", ["sub"]) == {"sub", "_shape"}


def test_problems_and_readers_need_no_pyarrow() -> None:
    # pyarrow is the arrow extra's: only converting to Arrow may need it.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['pyarrow'] = None\n"
        "from purecloud_internal_message import _problems, _reader, cli, dask, documents\n"
        "from purecloud_internal_message._problems import Counts, Problem, problem_json\n"
        "print(problem_json(Problem('f', 1, 'invalid', 'id', 'm')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ('{"file":"f","line":1,"kind":"invalid","path":"id","message":"m"}\n')
