"""Chapters glue only what their prose quotes, in few calls, in hidden bookkeeping cells.

myst-nb's ``glue`` is how a number gets from code into the prose. A glued value
that no sentence quotes is noise a reader scrolls past, so every glued key is
quoted by the chapter's markdown, or read by a test (listed below with the
test that reads it). Each section keeps its glue bookkeeping in one code cell
tagged ``remove-cell`` (hidden in the rendered book), and all chapters together
make at most `MAX_GLUE_CALLS` glue calls.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lstm_tutorial.course.notebook import glued_values

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_GLUE_CALLS = 120
GLUE_CALL = re.compile(
    r"(?<![\w.])(?:glue|glue_number|glue_results|glue_stopping|glue_\w+)\("
    r"|\.(?:glue_number|glue_results|glue_stopping)\(")
QUOTE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)|```\{glue(?::\w+)?\}\s+(\S+)")

# Glued but not quoted in the prose: what a test reads from the committed chapter.
READ_BY_TESTS = {
    "*": (r"(epochs_run|epoch_cap|converged|seeds)_\w+", "test_convergence.py"),
    "03b_long_memory": (r"\w+_\d+_(solved|min|max|low|high|first|last)|\w+_fails_at|patience|cap"
                        r"|wait_solved_max|latest_solve|n_seeds", "test_long_memory_chapter.py"),
    "appendix_common_mistakes": (r"n_seeds|n_better_naive|n_better_ref|n_worse_ref|ref_lo_min"
                                 r"|ref_hi_max", "test_tips.py"),
}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _glue_calls(source: str) -> int:
    return sum(len(GLUE_CALL.findall(line)) for line in source.splitlines()
               if not line.lstrip().startswith(("def ", "#")))


def _quoted(cells: list[dict]) -> set[str]:
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return {a or b for a, b in QUOTE.findall(text)}


def test_all_chapters_together_make_few_glue_calls():
    calls = {p.stem: sum(_glue_calls("".join(c["source"])) for c in _cells(p)
                         if c["cell_type"] == "code") for p in NOTEBOOKS}
    assert sum(calls.values()) <= MAX_GLUE_CALLS, calls


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_glue_lives_in_one_hidden_bookkeeping_cell_per_section(path):
    section, seen, wrong = "(top)", {}, []
    for index, cell in enumerate(_cells(path)):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            heading = re.search(r"^## (.+)$", source, re.M)
            section = heading.group(1) if heading else section
            continue
        if not _glue_calls(source):
            continue
        if "remove-cell" not in cell["metadata"].get("tags", []):
            wrong.append(f"cell {index}: glue in a visible cell")
        seen.setdefault(section, []).append(index)
    wrong += [f"section {s!r}: {len(i)} glue cells {i}" for s, i in seen.items() if len(i) > 1]
    assert not wrong, f"{path.name}: {wrong}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_glued_value_is_quoted_or_read_by_a_test(path):
    cells = _cells(path)
    glued, quoted = set(glued_values({"cells": cells})), _quoted(cells)
    patterns = [READ_BY_TESTS["*"][0]]
    if path.stem in READ_BY_TESTS:
        patterns.append(READ_BY_TESTS[path.stem][0])
    unused = sorted(k for k in glued - quoted
                    if not any(re.fullmatch(p, k) for p in patterns))
    assert not unused, f"{path.name} glues values no sentence quotes: {unused}"
    assert quoted <= glued, f"{path.name} quotes values it never glues: {sorted(quoted - glued)}"


def test_the_rules_catch_what_they_should():
    visible = {"cell_type": "code", "metadata": {}, "source": ["glue_results({'a': 1})\n"]}
    assert _glue_calls("".join(visible["source"])) == 1
    assert _glue_calls("def glue_x(k):\n    pass\n") == 0
    assert _quoted([{"cell_type": "markdown", "source": ["{glue:text}`a:.2f` and {glue}`b`"]}]) \
        == {"a", "b"}
