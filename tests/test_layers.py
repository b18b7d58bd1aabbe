"""The import contract: the core imports nothing of the interface, and no module imports itself.

Read from the source with `ast`, so imports inside functions (the lazy ones that keep the
reader's start-up path short) count as much as those at the top; imports under
`if TYPE_CHECKING:` do not, as they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "tui"
INTERFACE = ("tui.app", "tui.keys", "tui.palette", "tui.screens", "tui.widgets")
ENTRY = ("tui.cli", "tui.__main__", "tui.serve")
FORBIDDEN_IN_CORE = ("textual", "textual_serve", *INTERFACE, *ENTRY)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module path imports (absolute names), those under TYPE_CHECKING left out."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(
                    submodule
                    if (ROOT / (submodule.replace(".", "/") + ".py")).exists()
                    or (ROOT / submodule.replace(".", "/")).is_dir()
                    else target
                )
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def is_under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def reach(edges: dict[str, set[str]], start: str) -> dict[str, str]:
    """Every module start imports, directly or not, each with the module that imports it."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo:
        current = todo.pop()
        for target in edges.get(current, ()):
            if target not in seen:
                seen[target] = current
                todo.append(target)
    return seen


def test_the_core_imports_nothing_of_the_interface() -> None:
    edges = graph()
    core = [m for m in edges if not is_under(m, INTERFACE + ENTRY) and m != "tui"]
    assert "tui.loader" in core and "tui.schema" in core and "tui.source" in core
    # What the screens ask, moved out of them so a test reaches it without one.
    assert {"tui.finding", "tui.links", "tui.saving", "tui.index.rows"} <= set(core)
    assert {"tui.yaml_edit", "tui.editing"} <= set(core)  # the workbench's edits, screen-free
    assert "tui.changes" in core  # what each edit-mode change does, moved out of the screen
    assert "tui.selection" in core  # the caret's motions, tested without a screen
    assert "tui.forms" in core  # the item form's fields and checks (issue 14)
    assert {"tui.anchoring", "tui.prefill", "tui.drafting", "tui.countries"} <= set(core)
    problems = []
    for module in core:
        for target, via in reach(edges, module).items():
            if is_under(target, FORBIDDEN_IN_CORE):
                problems.append(f"{module} reaches {target} (imported by {via})")
    assert problems == []


def test_no_import_cycles() -> None:
    edges = graph()
    inside = {m: {t for t in targets if t in edges} for m, targets in edges.items()}
    cycles = sorted(m for m in inside if m in reach(inside, m))
    assert cycles == []


def test_the_contract_can_fail() -> None:
    """The checks above see lazy imports and relative ones: a known lazy import is found."""
    edges = graph()
    assert "tui.screens.briefing" in reach(edges, "tui.app")
    assert "textual" in {t.split(".")[0] for t in edges["tui.widgets.outline"]}
