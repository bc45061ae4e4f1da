"""The package's layout: a small core, course tooling and the app layer, each documented.

Every module has a section in the API reference (``book/api.md``), every public
function or class a module defines is in its ``__all__`` (and every name in
``__all__`` exists), chapters import modules and call them qualified, and the
modules and names the restructure removed stay removed.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

import lstm_tutorial

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MODULES = sorted(
    m.name for m in pkgutil.walk_packages(lstm_tutorial.__path__, "lstm_tutorial.")
    if not m.ispkg and not m.name.endswith("__main__")
)
# Bookkeeping helpers a chapter may import by name; everything else is called qualified.
BARE_NAMES_ALLOWED = {
    "lstm_tutorial.course.notebook": {"glue_results", "show_table", "p_text", "round_significant"},
}


def test_the_layout_is_the_documented_one():
    assert set(MODULES) == {
        "lstm_tutorial." + m for m in (
            "data", "windowing", "preprocessing", "models", "training", "baselines",
            "metrics", "stats", "evaluation", "backtest", "plotting", "diagrams",
            "numpy_lstm", "params", "long_memory", "volatility", "repro", "errors",
            "course.notebook", "course.student", "course.grading", "app.study", "app.cli",
        )
    }


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_a_section_in_the_api_reference(name):
    api = (ROOT / "book" / "api.md").read_text(encoding="utf-8")
    assert re.search(rf"^\.\. automodule:: {re.escape(name)}$", api, re.M), (
        f"book/api.md has no section for {name}")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## The package, one line per module", 1)[1].split("```text", 1)[1]
    layout = layout.split("```", 1)[0]
    parts = name.split(".")[1:]
    if len(parts) == 1:   # a core module: a line of its own
        listed = re.search(rf"^  {parts[0]}\.py\s", layout, re.M)
    else:                 # course/ or app/: named on its subpackage's lines
        listed = re.search(rf"^  {parts[0]}/[^\n]*(\n {{4,}}[^\n]*)*\b{parts[1]}\b", layout,
                           re.M)
    assert listed, f"README's layout does not list {name}"


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_is_in_all(name):
    module = importlib.import_module(name)
    exported = set(module.__all__)
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it lacks: {missing}"
    defined = {n for n, obj in vars(module).items()
               if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
               and getattr(obj, "__module__", None) == name}
    assert defined <= exported, f"{name}: public but not in __all__: {sorted(defined - exported)}"


def test_removed_names_stay_removed():
    for old in ("seeds", "tasks", "tips", "window_norm", "notebook", "student", "grading",
                "study", "cli"):
        assert not (ROOT / "lstm_tutorial" / f"{old}.py").exists(), old
    data = importlib.import_module("lstm_tutorial.data")
    assert not hasattr(data, "adjust_for_splits")


def _imports(path: Path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lstm_tutorial"):
                yield node.module, [a.name for a in node.names]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_chapters_import_modules_and_call_them_qualified(path):
    bare = []
    for module, names in _imports(path):
        for name in names:
            full = f"{module}.{name}"
            is_module = full in MODULES or full in ("lstm_tutorial.course", "lstm_tutorial.app")
            if not is_module and name not in BARE_NAMES_ALLOWED.get(module, ()):
                bare.append(full)
    assert not bare, f"{path.name} imports bare names; import the module and qualify: {bare}"
