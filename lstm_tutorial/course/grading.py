"""Autograding of the exercises with otter-grader: hidden tests, autograders, grades.

Every exercise ``ex-NN-K`` has hidden tests in otter-grader's exception-based
format, one file per exercise: ``grading/tests/<chapter>/ex-NN-K.py``; data
set-up that several exercises share lives in ``grading/support/`` and ships in
every autograder. A test
function's parameters are the names the student defines in the notebook
(otter passes them from the notebook's globals); each starts with the
exercise's prefix (``ex-03-2`` -> ``ex_03_2_``), so that no chapter variable can
pass a test in the student's place. `lstm_tutorial.course.student` builds the student
copies and one autograder zip per chapter; this module grades with them::

    python -m lstm_tutorial.course.grading dist/instructor/03_bptt-autograder.zip \\
        submissions/*/03_bptt.ipynb --out grades-03.csv

Each submission is executed top to bottom in the current environment (otter's
non-containerised ``otter run``), then graded; the CSV has one row per
submission and one column per exercise.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

__all__ = ["answer_names", "answer_prefix", "build_autograder", "check_assignments",
           "grade_notebook", "grade_submissions", "main"]


def answer_prefix(label: str) -> str:
    """The prefix of every answer name of an exercise.

    Examples
    --------
    >>> answer_prefix("ex-03-2"), answer_prefix("ex-03b-1")
    ('ex_03_2_', 'ex_03b_1_')
    """
    return label.replace("-", "_") + "_"


def _test_file_answers(path: Path) -> tuple[str, list[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    label = None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "name"
                and isinstance(node.value, ast.Constant)):
            label = node.value.value
    if label != path.stem:
        raise ValueError(f"{path}: its name = {label!r} must be the file's name {path.stem!r}")
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
                "test_case" in ast.unparse(d) for d in node.decorator_list):
            names += [a.arg for a in node.args.args if a.arg not in names]
    prefix = answer_prefix(label)
    wrong = [n for n in names if not n.startswith(prefix)]
    if not names or wrong:
        raise ValueError(f"{path}: every test reads answer names starting with {prefix!r}; "
                         f"found {names or 'no test'}")
    return label, names


def answer_names(tests_dir: str | Path) -> dict[str, list[str]]:
    """Exercise label -> the names its hidden tests read, for every test file in ``tests_dir``.

    Examples
    --------
    >>> from pathlib import Path
    >>> answer_names(Path("grading/tests/04_parameter_arithmetic"))["ex-04-1"]  # doctest: +SKIP
    ['ex_04_1_params']
    """
    files = sorted(Path(tests_dir).glob("*.py"))
    if not files:
        raise FileNotFoundError(f"no hidden tests (*.py) in {tests_dir}")
    return dict(_test_file_answers(f) for f in files)


def build_autograder(tests_dir: str | Path, out_zip: str | Path,
                     support: str | Path | None = None) -> Path:
    """Write otter-grader's autograder zip for the tests in ``tests_dir``.

    The zip holds the tests and the modules in ``support`` (default:
    ``grading/support``, beside the folder of all chapters' tests), which the
    tests import for data set-up that several exercises share; otter puts them
    beside the submission when it grades. Grading runs in the book's
    environment (`grade_notebook`), which already has every requirement.
    """
    import os

    from otter.generate import main as otter_generate

    tests_dir = Path(tests_dir).resolve()
    answer_names(tests_dir)  # refuse a malformed test file before building
    support_dir = Path(support) if support is not None else tests_dir.parent.parent / "support"
    files = sorted(p.name for p in support_dir.glob("*.py")) if support_dir.is_dir() else []
    out = Path(out_zip).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    here = Path.cwd()
    try:
        if files:
            os.chdir(support_dir)  # otter stores files relative to the working folder
        otter_generate(tests_dir=str(tests_dir), output_path=str(partial), no_config=True,
                       no_requirements=True, no_environment=True, files=files)
    finally:
        os.chdir(here)
    partial.replace(out)
    return out


def grade_notebook(autograder: str | Path, notebook: str | Path) -> dict[str, tuple[float, float]]:
    """Execute ``notebook`` and grade it: exercise label -> (score, max score).

    Runs ``otter run`` in a subprocess (the notebook is executed in a fresh
    kernel, errors included, then every hidden test runs on its globals).
    """
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run(
            [sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(autograder),
             "-o", out, str(notebook)],
            capture_output=True, text=True,
        )
        results = Path(out) / "results.json"
        if proc.returncode != 0 or not results.is_file():
            raise RuntimeError(f"otter run failed on {notebook} (exit {proc.returncode}):\n"
                               f"{proc.stderr[-2000:]}")
        tests = json.loads(results.read_text())["tests"]
    return {t["name"]: (float(t["score"]), float(t["max_score"]))
            for t in tests if "max_score" in t}


def grade_submissions(autograder: str | Path, submissions: Sequence[str | Path],
                      jobs: int = 1) -> pd.DataFrame:
    """One row per submission: the score of every exercise, the total and the maximum."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        graded = list(pool.map(lambda s: grade_notebook(autograder, s), submissions))
    rows = []
    for sub, scores in zip(submissions, graded, strict=True):
        row = {"submission": str(sub)}
        row.update({label: score for label, (score, _) in scores.items()})
        row["total"] = sum(score for score, _ in scores.values())
        row["max"] = sum(most for _, most in scores.values())
        rows.append(row)
    return pd.DataFrame(rows)


def check_assignments(built: Sequence[tuple[Path, Path, Path]], jobs: int = 2) -> pd.DataFrame:
    """Prove the hidden tests are not vacuous.

    For every (solution notebook, student copy, autograder), grade both: each
    exercise must get full marks on the solution and less than full marks on the
    student copy. Returns one row per exercise with an ``ok`` column.
    """
    jobs_list = [(zip_path, path) for sol, student, zip_path in built for path in (sol, student)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        graded = list(pool.map(lambda job: grade_notebook(*job), jobs_list))
    rows = []
    for i, (sol, _, _) in enumerate(built):
        solution, student = graded[2 * i], graded[2 * i + 1]
        for label, (score, most) in solution.items():
            student_score = student.get(label, (0.0, most))[0]
            rows.append({"chapter": sol.stem, "exercise": label, "solution": score,
                         "student copy": student_score, "max": most,
                         "ok": score == most and student_score < most})
    return pd.DataFrame(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m lstm_tutorial.course.grading AUTOGRADER SUBMISSION... --out F``."""
    parser = argparse.ArgumentParser(
        prog="python -m lstm_tutorial.course.grading",
        description="Grade submitted notebooks with a chapter's autograder "
                    "(built by python -m lstm_tutorial.course.student).",
    )
    parser.add_argument("autograder", type=Path, help="dist/instructor/<chapter>-autograder.zip")
    parser.add_argument("submissions", nargs="+", type=Path, help="submitted notebooks")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="CSV of grades")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    args = parser.parse_args(argv)
    missing = [str(p) for p in [args.autograder, *args.submissions] if not p.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    grades = grade_submissions(args.autograder, args.submissions, jobs=args.jobs)
    grades.to_csv(args.out, index=False)
    print(grades.to_string(index=False))
    print(f"grades written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
