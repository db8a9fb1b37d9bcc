"""The house kept in shape, measured: file and function sizes, which package may import which, no private name
imported across modules, no import cycle, and the map (ARCHITECTURE.md, linked from README.md) against the tree.

Every failure names the file (and the function or the cycle) and the bound it breaks. The bounds are CONTRIBUTING's
and ARCHITECTURE.md's; raise one here only with a reason in the commit.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80
MAX_PARAMETERS = 12

MAP = REPO / "ARCHITECTURE.md"
README = REPO / "README.md"

#: The project's own top-level packages (a private name of a third-party package is that package's business).
PROJECT = ("geo", "planning", "app_pages")

#: What each part of the code must never import (top-level package names), anywhere in a file.
FORBIDDEN = {
    "geo": ("planning", "app_pages", "streamlit"),
    "planning": ("streamlit", "app_pages"),
    "app_pages": ("geo",),
    "app.py": ("geo",),
}


def sources(*roots: str) -> list[Path]:
    """The .py files under ``roots`` (folders or files of the repository), sorted."""
    found: list[Path] = []
    for root in roots:
        path = REPO / root
        found.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return [p for p in found if "__pycache__" not in p.parts]


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# --- what the checks read from the code -------------------------------------------------------------------------


def functions(module: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method with its qualified name (``Class.method``, ``outer.inner``)."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield prefix + child.name, child
                yield from walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(module, "")


def parameter_count(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Parameters of ``fn``, ``*args`` and ``**kwargs`` included, ``self``/``cls`` not counted."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    n = len(positional) + len(a.kwonlyargs) + (a.vararg is not None) + (a.kwarg is not None)
    if positional and positional[0].arg in ("self", "cls"):
        n -= 1
    return n


def imports(module: ast.AST) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """Every absolute import anywhere in ``module``: (line, imported module, names taken from it)."""
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, tuple(alias.name for alias in node.names)


def top_imports(module: ast.Module) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """The imports that run when ``module`` is imported: at module level, inside top-level ``if``/``try`` blocks, but
    not under ``if TYPE_CHECKING``."""

    def body(stmts: list[ast.stmt]) -> Iterator[ast.stmt]:
        for stmt in stmts:
            if isinstance(stmt, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(stmt.test):
                    yield from body(stmt.body)
                yield from body(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                for part in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                    yield from body(part)
            else:
                yield stmt

    for stmt in body(module.body):
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            yield from imports(stmt)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def import_graph(paths: list[Path]) -> dict[str, set[str]]:
    """Module -> the modules among ``paths`` it imports at load time. ``from pkg import name`` points at ``pkg.name``
    when that is a module, else at ``pkg`` (its ``__init__``)."""
    names = {module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        for _, target, taken in top_imports(tree(path)):
            for item in taken or ("",):
                sub = f"{target}.{item}"
                graph[name].add(sub if sub in names else target)
        graph[name] &= set(names)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) for each strongly connected part of ``graph`` that has one (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    parts: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.add(w)
                if w == v:
                    break
            if len(part) > 1 or v in graph.get(v, ()):
                parts.append(part)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_in(graph, part) for part in parts]


def _cycle_in(graph: dict[str, set[str]], part: set[str]) -> list[str]:
    """A shortest cycle through the first module of ``part`` (breadth-first within the part)."""
    start = min(part)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & part):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if w not in previous:
                    previous[w] = v
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle in {sorted(part)}")  # unreachable: a strongly connected part has one


# --- sizes ------------------------------------------------------------------------------------------------------


def test_no_file_in_geo_or_planning_is_over_600_lines() -> None:
    too_long = [
        f"{rel(p)}: {n} lines (bound: {MAX_FILE_LINES})"
        for p in sources("geo", "planning")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    ]
    assert not too_long, "files over the bound; split them by concern:\n" + "\n".join(too_long)


def test_no_function_is_over_80_lines() -> None:
    too_long = [
        f"{rel(p)}:{fn.lineno} {name}: {n} lines (bound: {MAX_FUNCTION_LINES})"
        for p in sources("geo", "planning", "app_pages", "app.py")
        for name, fn in functions(tree(p))
        if (n := (fn.end_lineno or fn.lineno) - fn.lineno + 1) > MAX_FUNCTION_LINES
    ]
    assert not too_long, "functions over the bound:\n" + "\n".join(too_long)


def test_no_function_takes_over_12_parameters() -> None:
    too_many = [
        f"{rel(p)}:{fn.lineno} {name}: {n} parameters (bound: {MAX_PARAMETERS}; self/cls not counted)"
        for p in sources("geo", "planning", "app_pages", "app.py")
        for name, fn in functions(tree(p))
        if (n := parameter_count(fn)) > MAX_PARAMETERS
    ]
    assert not too_many, "functions over the bound; group options in a frozen dataclass:\n" + "\n".join(
        too_many
    )


# --- imports ----------------------------------------------------------------------------------------------------


def test_imports_run_one_way_app_to_planning_to_geo() -> None:
    wrong = [
        f"{rel(p)}:{line} imports {target} ({root} must not import {', '.join(banned)})"
        for root, banned in FORBIDDEN.items()
        for p in sources(root)
        for line, target, _ in imports(tree(p))
        if target.split(".")[0] in banned
    ]
    assert not wrong, "imports against the direction app_pages/app.py -> planning -> geo:\n" + "\n".join(
        wrong
    )


def test_no_private_name_is_imported_across_modules() -> None:
    private = [
        f"{rel(p)}:{line} imports {target}: {', '.join(sorted(found))} (bound: no _private name across modules; "
        "make it public in its module or move the caller there)"
        for p in sources("geo", "planning", "app_pages", "app.py")
        for line, target, taken in imports(tree(p))
        if target.split(".")[0] in PROJECT
        and (found := {n for n in taken if is_private(n)} | {s for s in target.split(".") if is_private(s)})
    ]
    assert not private, "private names imported across modules:\n" + "\n".join(private)


def test_no_import_cycle_between_modules_of_geo_and_planning() -> None:
    found = cycles(import_graph(sources("geo", "planning")))
    assert not found, "import cycles (module-level imports; bound: none):\n" + "\n".join(
        " -> ".join(c) for c in found
    )


def test_the_cycle_check_finds_and_names_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["e", "e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_checks_read_functions_parameters_and_imports() -> None:
    planted = ast.parse(
        "import geo.x\n"
        "from planning.y import _hidden, shown\n"
        "if TYPE_CHECKING:\n    from geo.z import T\n"
        "class C:\n    def m(self, a, *b, c, **d):\n        def inner():\n            import streamlit\n"
    )
    assert [(n, parameter_count(f)) for n, f in functions(planted)] == [("C.m", 4), ("C.m.inner", 0)]
    assert [t for _, t, _ in imports(planted)] == ["geo.x", "planning.y", "geo.z", "streamlit"]
    assert [t for _, t, _ in top_imports(planted)] == ["geo.x", "planning.y"]
    assert [is_private(n) for n in ("_hidden", "shown", "__all__")] == [True, False, False]


# --- the map ----------------------------------------------------------------------------------------------------

#: A path in backticks the map names (``geo/network/``, ``app_pages/common.py``, ``app.py``).
PATH = re.compile(r"`((?:geo|planning|app_pages|tests|bench|data|\.ci|\.streamlit)(?:/[\w.-]+)*/?|app\.py)`")
#: A dotted name in backticks (``planning.siting.siting_of_study``).
DOTTED = re.compile(r"`((?:geo|planning)(?:\.\w+)+)`")


def ignored(path: str) -> bool:
    """True when ``path`` (relative, ``/`` separated) is ignored by .gitignore: generated, so it may be absent."""
    patterns = [
        line.strip().strip("/")
        for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = path.strip("/").split("/")
    return any(fnmatch.fnmatch("/".join(parts[: i + 1]), pat) for pat in patterns for i in range(len(parts)))


def package_dirs() -> list[str]:
    """Every package directory of the code: geo/, planning/, app_pages/ and those below them."""
    dirs = [p.parent for root in ("geo", "planning", "app_pages") for p in (REPO / root).rglob("__init__.py")]
    return sorted({rel(d) + "/" for d in dirs if "__pycache__" not in d.parts})


def resolves(dotted: str) -> bool:
    """True when ``dotted`` is a module, or an attribute reached from the longest importable module prefix."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_the_map_names_every_package() -> None:
    text = MAP.read_text(encoding="utf-8")
    named = set(PATH.findall(text))
    missing = [f"{d} (add a paragraph for it to {MAP.name})" for d in package_dirs() if d not in named]
    assert not missing, f"packages {MAP.name} does not name:\n" + "\n".join(missing)


def test_every_path_and_name_the_map_gives_exists() -> None:
    text = MAP.read_text(encoding="utf-8")
    gone = [
        f"{MAP.name}: {path} does not exist"
        for path in sorted(set(PATH.findall(text)))
        if not (REPO / path).exists() and not ignored(path)
    ]
    gone += [
        f"{MAP.name}: {name} is not importable"
        for name in sorted(set(DOTTED.findall(text)))
        if not resolves(name)
    ]
    assert not gone, "the map names what is not there (moved or renamed?):\n" + "\n".join(gone)


def layout_block() -> list[str]:
    """The lines of the file tree under README's "## Layout"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1].strip("\n").splitlines()


def test_readme_links_the_map_and_its_tree_matches_the_real_one() -> None:
    problems = (
        []
        if f"]({MAP.name})" in README.read_text(encoding="utf-8")
        else [f"README.md does not link {MAP.name}"]
    )
    listed: list[str] = []
    entry = ""
    for line in layout_block():
        if not line.startswith(" "):
            entry = line.split()[0]
            listed.append(entry)
            if not (REPO / entry).exists():
                problems.append(f"README.md Layout: {entry} does not exist")
        folder = REPO / entry if (REPO / entry).is_dir() else REPO
        for sub in re.findall(
            r"(?<![\w/.])([\w.]+/)(?=[\s,;)]|$)", line.split(None, 1)[1] if line[:1] != " " else line
        ):
            if not (folder / sub).is_dir() and not (REPO / sub).is_dir():
                problems.append(f"README.md Layout: {entry} line names {sub}, which does not exist")
    top = sorted(
        p.name + "/"
        for p in REPO.iterdir()
        if p.is_dir() and not p.name.startswith(".") and not ignored(p.name) and any(p.rglob("*.*"))
    )
    problems += [
        f"README.md Layout does not list the folder {d}"
        for d in top
        if not any(e == d or e.startswith(d) for e in listed)
    ]
    assert not problems, "\n".join(problems)
