"""The core does not depend on its edges: no module under ozg/ imports loaders/, dashboard/ or streamlit.

Two checks, because each misses what the other sees: the source of every ozg module is parsed for import
statements (also those inside functions, which run only later), and every ozg module is imported in a fresh
interpreter to see what it pulls in at import time (also through third-party code).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("loaders", "dashboard", "streamlit")


def _ozg_modules() -> list[str]:
    paths = sorted((ROOT / "ozg").rglob("*.py"))
    return [".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for p in paths]


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_ozg_source_imports_the_edges():
    offending = {}
    for path in sorted((ROOT / "ozg").rglob("*.py")):
        bad = sorted(n for n in _imported_names(path) if n.split(".")[0] in FORBIDDEN)
        if bad:
            offending[str(path.relative_to(ROOT))] = bad
    assert offending == {}


def test_importing_every_ozg_module_pulls_in_no_edge():
    modules = _ozg_modules()
    assert len(modules) > 20 and "ozg.status" in modules and "ozg.users" in modules  # the walk found the core
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n"
              "    importlib.import_module(name)\n"
              f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_check_would_see_a_forbidden_import(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    from loaders import importer\n    import streamlit as st\n", encoding="utf-8")
    assert {"loaders", "streamlit"} <= _imported_names(planted)
