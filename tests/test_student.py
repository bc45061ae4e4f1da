"""lstm_tutorial.course.student: student copies keep everything but the solutions."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lstm_tutorial.course.student import first_exercise_index, main, make_student_copy

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


HIDDEN_TEST = '''
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-09-1"
points = 1

@test_case(points=1, hidden=True)
def test_doubled(ex_09_1_doubled):
    assert ex_09_1_doubled == {expected}, "ex_09_1_doubled should be x doubled"
'''


def hidden_tests(tmp_path: Path, expected: str = "84") -> Path:
    """A tests folder for chapter_like: one exercise, one hidden test."""
    folder = tmp_path / "tests" / "09_chapter"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ex-09-1.py").write_text(HIDDEN_TEST.format(expected=expected))
    return tmp_path / "tests"


def solved_chapter(tmp_path: Path) -> Path:
    """chapter_like whose solution defines the answer name (and no cell fails)."""
    src = chapter_like(tmp_path)
    nb = nbformat.read(src, as_version=4)
    nb.cells[4].source = "ex_09_1_doubled = x * 2\nprint(ex_09_1_doubled)"
    nb.cells[6].source = "print('after the exercise')"
    nbformat.write(nb, src)
    return src


def test_answer_cell_takes_the_place_of_the_solution(tmp_path):
    src = chapter_like(tmp_path)
    dest = make_student_copy(src, tmp_path / "student", answers={"ex-09-1": ["ex_09_1_doubled"]})
    copy = nbformat.read(dest, as_version=4)
    assert [c.cell_type for c in copy.cells] == ["markdown", "code", "markdown", "code", "code"]
    answer = copy.cells[3]
    assert answer.source.splitlines()[-1] == "ex_09_1_doubled = ..."
    assert "ex-09-1" in answer.source and answer.metadata["tags"] == ["answer"]
    # an exercise without hidden tests gets no answer cell
    dest = make_student_copy(src, tmp_path / "other", answers={"ex-09-2": ["ex_09_2_y"]})
    assert len(nbformat.read(dest, as_version=4).cells) == 4


def test_command_line(tmp_path, capsys):
    src = chapter_like(tmp_path)
    tests = hidden_tests(tmp_path)
    assert main([str(src), "--out", str(tmp_path / "out"), "--tests", str(tests)]) == 0
    out = capsys.readouterr().out
    assert "3 solution cell(s) removed" in out and "1 answer cell(s)" in out
    assert (tmp_path / "out" / "student" / src.name).is_file()
    assert (tmp_path / "out" / "instructor" / "09_chapter-autograder.zip").is_file()


def test_autograder_ships_the_shared_support_modules(tmp_path):
    import zipfile

    from lstm_tutorial.course import grading

    tests = hidden_tests(tmp_path)
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / "chapter09.py").write_text("X = 1\n")
    zip_path = grading.build_autograder(tests / "09_chapter", tmp_path / "ag.zip")
    names = zipfile.ZipFile(zip_path).namelist()
    assert "files/chapter09.py" in names and "tests/ex-09-1.py" in names
    assert Path.cwd() != tmp_path / "support"  # the working folder is restored


def test_check_grades_solutions_and_student_copies_with_otter(tmp_path, capsys):
    """End to end: otter runs the solution (full marks) and the student copy (none)."""
    src = solved_chapter(tmp_path)
    assert main([str(src), "--out", str(tmp_path / "out"), "--tests", str(hidden_tests(tmp_path)),
                 "--check"]) == 0
    out = capsys.readouterr().out
    assert "OK: 1 exercise(s)" in out
    # solution 1.0 of 1.0, student copy 0.0
    assert re.search(r"ex-09-1\s+1\.0\s+0\.0\s+1\.0\s+True", out), out


def test_check_without_hidden_tests_fails(tmp_path, capsys):
    src = chapter_like(tmp_path)
    assert main([str(src), "--out", str(tmp_path / "out"), "--tests", str(tmp_path / "none"),
                 "--check"]) == 1
    assert "no chapter has hidden tests" in capsys.readouterr().out


def fake_grades(monkeypatch, by_notebook):
    from lstm_tutorial.course import grading

    monkeypatch.setattr(grading, "grade_notebook", lambda ag, nb: by_notebook[Path(nb).name])


def test_check_fails_when_a_student_copy_passes_or_a_solution_fails(tmp_path, monkeypatch):
    from lstm_tutorial.course import grading

    built = [(Path("a/09_x.ipynb"), Path("s/09_x_student.ipynb"), Path("ag.zip")),
             (Path("a/10_y.ipynb"), Path("s/10_y_student.ipynb"), Path("ag.zip"))]
    fake_grades(monkeypatch, {
        "09_x.ipynb": {"ex-09-1": (2.0, 2.0), "ex-09-2": (1.0, 1.0)},
        "09_x_student.ipynb": {"ex-09-1": (1.0, 2.0), "ex-09-2": (1.0, 1.0)},  # vacuous
        "10_y.ipynb": {"ex-10-1": (0.0, 1.0)},                                  # solution fails
        "10_y_student.ipynb": {"ex-10-1": (0.0, 1.0)},
    })
    report = grading.check_assignments(built, jobs=1)
    assert report.set_index("exercise")["ok"].to_dict() == {
        "ex-09-1": True, "ex-09-2": False, "ex-10-1": False}


def test_grading_command_writes_one_row_per_submission(tmp_path, monkeypatch, capsys):
    import pandas as pd

    from lstm_tutorial.course import grading

    for name in ("ag.zip", "alice.ipynb", "bob.ipynb"):
        (tmp_path / name).write_text("{}")
    fake_grades(monkeypatch, {"alice.ipynb": {"ex-09-1": (1.0, 1.0), "ex-09-2": (0.5, 2.0)},
                              "bob.ipynb": {"ex-09-1": (0.0, 1.0), "ex-09-2": (2.0, 2.0)}})
    csv = tmp_path / "grades.csv"
    args = [str(tmp_path / n) for n in ("ag.zip", "alice.ipynb", "bob.ipynb")]
    assert grading.main([*args, "--out", str(csv)]) == 0
    grades = pd.read_csv(csv)
    assert grades[["ex-09-1", "ex-09-2", "total", "max"]].values.tolist() == [
        [1.0, 0.5, 1.5, 3.0], [0.0, 2.0, 2.0, 3.0]]
    with pytest.raises(SystemExit):
        grading.main([args[0], str(tmp_path / "missing.ipynb")])
    assert "no such file" in capsys.readouterr().err


def test_test_files_must_read_prefixed_answer_names(tmp_path):
    from lstm_tutorial.course import grading

    folder = hidden_tests(tmp_path) / "09_chapter"
    assert grading.answer_names(folder) == {"ex-09-1": ["ex_09_1_doubled"]}
    bad = folder / "ex-09-1.py"
    bad.write_text(HIDDEN_TEST.format(expected="84").replace("ex_09_1_doubled", "doubled"))
    with pytest.raises(ValueError, match="starting with 'ex_09_1_'"):
        grading.answer_names(folder)
    bad.write_text(HIDDEN_TEST.format(expected="84").replace('name = "ex-09-1"', 'name = "q1"'))
    with pytest.raises(ValueError, match="must be the file's name"):
        grading.answer_names(folder)
    with pytest.raises(FileNotFoundError, match="no hidden tests"):
        grading.answer_names(tmp_path / "empty")


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
        [sys.executable, "-m", "lstm_tutorial.course.student", str(src),
         "--out", str(tmp_path / "s")],
        capture_output=True, text=True, check=True,
    )
    assert "-> " in out.stdout


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_exercise_has_hidden_tests_it_names(notebook):
    """Issue 17: every exercise is autograded, and its text says what the grader reads."""
    from lstm_tutorial.course.grading import answer_names

    nb = nbformat.read(notebook, as_version=4)
    texts = {re.search(r":label:\s*(\S+)", c.source).group(1): c.source for c in nb.cells
             if c.cell_type == "markdown" and "{exercise}" in c.source}
    answers = answer_names(notebook.parents[1] / "grading" / "tests" / notebook.stem)
    assert sorted(answers) == sorted(texts), "one hidden-test file per exercise, no more"
    for label, names in answers.items():
        missing = [n for n in names if not re.search(rf"`{n}[`(]", texts[label])]
        assert not missing, f"{label}: the exercise text does not name {missing}"
