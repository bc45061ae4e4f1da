"""Student copies of chapters: solutions removed, outputs cleared, answer cells added.

Usage::

    python -m lstm_tutorial.course.student notebooks/*.ipynb --out dist/

writes, for every chapter,

- ``dist/student/<chapter>.ipynb``: every cell tagged ``solution`` removed
  (nbconvert's `TagRemovePreprocessor`), every output and execution count cleared
  (`ClearOutputPreprocessor`), and, where a solution was, an *answer cell* that
  defines each name the exercise's hidden tests read (``ex_03_2_max_error = ...``),
  for the student to fill in; everything else is kept, so the copy runs top to
  bottom;
- ``dist/instructor/<chapter>-autograder.zip``: the otter-grader autograder built
  from the chapter's hidden tests in ``grading/tests/<chapter>/`` (one file per
  exercise, see `lstm_tutorial.course.grading`).

``--check`` then grades every chapter as a solution (all hidden tests must pass)
and its student copy (every exercise must fail at least one test), which proves
that no test passes without its solution.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor
from nbformat.v4 import new_code_cell

__all__ = ["SOLUTION_TAG", "answer_cell", "first_exercise_index", "main", "make_student_copy",
           "student_notebook"]

SOLUTION_TAG = "solution"
EXERCISE_MARK = "{exercise}"
_SOLUTION_START = re.compile(r"\{solution-start\}\s*(\S+)")


def answer_cell(label: str, names: Sequence[str]) -> nbformat.NotebookNode:
    """The code cell a student copy gets where the solution of ``label`` was.

    Examples
    --------
    >>> print(answer_cell("ex-03-2", ["ex_03_2_max_error"]).source)
    # Exercise ex-03-2: your answer. The autograder reads the names below;
    # replace each ... with your result (add cells above this one as you need).
    ex_03_2_max_error = ...
    """
    lines = [f"# Exercise {label}: your answer. The autograder reads the names below;",
             "# replace each ... with your result (add cells above this one as you need)."]
    lines += [f"{name} = ..." for name in names]
    return new_code_cell("\n".join(lines), metadata={"tags": ["answer"]})


def student_notebook(nb: nbformat.NotebookNode, tag: str = SOLUTION_TAG,
                     answers: Mapping[str, Sequence[str]] | None = None) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without the cells tagged ``tag`` and without outputs.

    With ``answers`` (exercise label -> names its hidden tests read), each removed
    solution block whose ``{solution-start}`` names a label in ``answers`` is
    replaced by that exercise's `answer_cell`.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell
    >>> sol = {"tags": ["solution"]}
    >>> nb = new_notebook(cells=[new_code_cell("1 + 1"),
    ...     new_markdown_cell("```{solution-start} ex-01-1\\n```", metadata=sol),
    ...     new_code_cell("ex_01_1_x = 2 + 2", metadata=sol)])
    >>> [c.source for c in student_notebook(nb).cells]
    ['1 + 1']
    >>> student_notebook(nb, answers={"ex-01-1": ["ex_01_1_x"]}).cells[-1].source.splitlines()[-1]
    'ex_01_1_x = ...'
    """
    copy = nbformat.from_dict(nb)
    if answers:
        cells, in_block = [], False
        for cell in copy.cells:
            tagged = tag in cell.metadata.get("tags", [])
            if tagged and not in_block:
                match = (_SOLUTION_START.search(cell.source)
                         if cell.cell_type == "markdown" else None)
                if match and match.group(1) in answers:
                    cells.append(answer_cell(match.group(1), answers[match.group(1)]))
            in_block = tagged
            cells.append(cell)
        copy.cells = cells
    remover = TagRemovePreprocessor(remove_cell_tags={tag}, enabled=True)
    copy, _ = remover.preprocess(copy, {})
    copy, _ = ClearOutputPreprocessor().preprocess(copy, {})
    return copy


def first_exercise_index(nb: nbformat.NotebookNode) -> int | None:
    """Position of the first markdown cell that opens an ``{exercise}`` directive."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and EXERCISE_MARK in cell.source:
            return i
    return None


def make_student_copy(notebook: str | Path, out_dir: str | Path, tag: str = SOLUTION_TAG,
                      answers: Mapping[str, Sequence[str]] | None = None) -> Path:
    """Write the student copy of ``notebook`` into ``out_dir`` (same file name).

    Returns the path written. Refuses to overwrite the source notebook.
    """
    src = Path(notebook)
    if not src.is_file():
        raise FileNotFoundError(f"no notebook at {src}")
    dest_dir = Path(out_dir)
    dest = dest_dir / src.name
    if dest.resolve() == src.resolve():
        raise ValueError(f"--out {dest_dir} is the notebook's own folder; choose another folder")
    nb = nbformat.read(src, as_version=4)
    copy = student_notebook(nb, tag, answers)
    dest_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(copy, dest)
    return dest


def _default_tests(notebooks: Sequence[Path]) -> Path:
    """``grading/tests`` beside the notebooks' folder (the repository's layout)."""
    return Path(notebooks[0]).resolve().parent.parent / "grading" / "tests"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m lstm_tutorial.course.student NOTEBOOK... --out DIR [--check]``."""
    from lstm_tutorial.course import grading

    parser = argparse.ArgumentParser(
        prog="python -m lstm_tutorial.course.student",
        description="Student copies of chapters (solution cells replaced by answer cells, "
                    "outputs cleared) in OUT/student, and each chapter's autograder "
                    "(otter-grader, from its hidden tests) in OUT/instructor.",
    )
    parser.add_argument("notebooks", nargs="+", type=Path, help="chapter notebooks (.ipynb)")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="output folder")
    parser.add_argument("--tests", type=Path, default=None,
                        help="folder of hidden tests, one subfolder per chapter "
                             "(default: grading/tests beside the notebooks' folder)")
    parser.add_argument("--tag", default=SOLUTION_TAG, help="cell tag to remove")
    parser.add_argument("--check", action="store_true",
                        help="grade every chapter and its student copy: solutions must pass "
                             "every hidden test, student copies must fail every exercise")
    parser.add_argument("--jobs", type=int, default=2, help="gradings run at once (--check)")
    args = parser.parse_args(argv)
    tests_root = args.tests or _default_tests(args.notebooks)
    student_dir, instructor_dir = args.out / "student", args.out / "instructor"
    built = []
    for nb in args.notebooks:
        tests_dir = tests_root / nb.stem
        answers = grading.answer_names(tests_dir) if tests_dir.is_dir() else {}
        nb_in = nbformat.read(nb, as_version=4)
        removed = sum(args.tag in c.metadata.get("tags", []) for c in nb_in.cells)
        dest = make_student_copy(nb, student_dir, args.tag, answers)
        line = f"{nb} -> {dest} ({removed} solution cell(s) removed, outputs cleared"
        if answers:
            zip_path = grading.build_autograder(
                tests_dir, instructor_dir / f"{nb.stem}-autograder.zip")
            built.append((nb, dest, zip_path))
            line += f"; {len(answers)} answer cell(s)) and {zip_path}"
        else:
            line += "; no hidden tests)"
        print(line)
    if args.check:
        if not built:
            print(f"FAILED: no chapter has hidden tests in {tests_root}")
            return 1
        report = grading.check_assignments(built, jobs=args.jobs)
        print(report.to_string(index=False))
        bad = report[~report["ok"]]
        if len(bad):
            print(f"FAILED: {len(bad)} exercise(s) whose hidden tests are not proven; see above")
            return 1
        print(f"OK: {len(report)} exercise(s); solutions pass every hidden test and every "
              "student copy fails each exercise")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
