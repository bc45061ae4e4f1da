"""lstm_tutorial.student: student copies keep everything but the solutions."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lstm_tutorial.student import first_exercise_index, main, make_student_copy

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9]*.ipynb"))
SOL = {"tags": ["solution"]}


def chapter_like(tmp_path: Path) -> Path:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 9. A chapter"),
            new_code_cell("x = 21 * 2\nprint(x)", outputs=[]),
            new_markdown_cell("```{exercise}\n:label: ex-09-1\nDouble x.\n```"),
            new_markdown_cell("```{solution-start} ex-09-1\n:class: dropdown\n```", metadata=SOL),
            new_code_cell("print(x * 2)", metadata=SOL),
            new_markdown_cell("```{solution-end}\n```", metadata=SOL),
            new_code_cell("undefined_name_only_students_see", metadata={}),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}},
    )
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nb.cells[1].execution_count = 1
    path = tmp_path / "09_chapter.ipynb"
    nbformat.write(nb, path)
    return path


def check_copy(src: Path, dest: Path) -> nbformat.NotebookNode:
    original = nbformat.read(src, as_version=4)
    copy = nbformat.read(dest, as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in copy.cells)
    kept = [c for c in original.cells if "solution" not in c.metadata.get("tags", [])]
    assert [(c.cell_type, c.source) for c in copy.cells] == [(c.cell_type, c.source) for c in kept]
    assert all(c.get("outputs", []) == [] for c in copy.cells if c.cell_type == "code")
    assert all(c.get("execution_count") is None for c in copy.cells if c.cell_type == "code")
    return copy


def run_until_first_exercise(nb: nbformat.NotebookNode, cwd: Path) -> None:
    stop = first_exercise_index(nb)
    assert stop is not None, "a chapter must have exercises"
    head = nbformat.from_dict(nb)
    head.cells = head.cells[:stop]
    NotebookClient(head, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()


def test_synthetic_chapter(tmp_path):
    src = chapter_like(tmp_path)
    dest = make_student_copy(src, tmp_path / "student")
    copy = check_copy(src, dest)
    assert len(copy.cells) == 4
    run_until_first_exercise(copy, tmp_path)


def test_command_line(tmp_path, capsys):
    src = chapter_like(tmp_path)
    assert main([str(src), "--out", str(tmp_path / "out")]) == 0
    assert "3 solution cell(s) removed" in capsys.readouterr().out
    assert (tmp_path / "out" / src.name).is_file()


def test_refuses_to_overwrite_the_source(tmp_path):
    src = chapter_like(tmp_path)
    with pytest.raises(ValueError, match="own folder"):
        make_student_copy(src, tmp_path)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_chapter_has_exercises_and_hidden_solutions(notebook, tmp_path):
    nb = nbformat.read(notebook, as_version=4)
    exercises = [c for c in nb.cells if c.cell_type == "markdown" and "{exercise}" in c.source]
    assert 3 <= len(exercises) <= 5, f"{notebook.name}: {len(exercises)} exercises"
    for c in nb.cells:
        if "{solution" in c.source and c.cell_type == "markdown":
            assert "solution" in c.metadata.get("tags", []), c.source[:60]
    dest = make_student_copy(notebook, tmp_path)
    check_copy(notebook, dest)


def test_the_book_has_its_ten_chapters_and_one_section():
    chapters = [p.name[:3] for p in NOTEBOOKS if p.name[2] == "_"]
    assert chapters == [f"{i:02d}_" for i in range(1, 11)]
    # a section of a chapter keeps the chapter's number plus a letter (03b: after 03)
    assert [p.stem for p in NOTEBOOKS if p.name[2] != "_"] == ["03b_long_memory"]


def test_a_real_student_copy_runs_up_to_its_first_exercise(tmp_path):
    """Chapter 4 is the quickest chapter to run (no training)."""
    src = next(p for p in NOTEBOOKS if p.name.startswith("04_"))
    dest = make_student_copy(src, tmp_path)
    run_until_first_exercise(nbformat.read(dest, as_version=4), src.parent)


def test_module_runs_as_a_script(tmp_path):
    import subprocess

    src = chapter_like(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "lstm_tutorial.student", str(src), "--out", str(tmp_path / "s")],
        capture_output=True, text=True, check=True,
    )
    assert "-> " in out.stdout
