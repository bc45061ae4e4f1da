"""Student copies of chapters: solutions removed, outputs cleared.

Usage::

    python -m lstm_tutorial.student notebooks/03_bptt.ipynb notebooks/04_*.ipynb --out student/

Every cell tagged ``solution`` is removed (nbconvert's `TagRemovePreprocessor`),
every output and execution count is cleared (`ClearOutputPreprocessor`), and
everything else is kept as it is, so the copy still runs top to bottom.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

__all__ = ["SOLUTION_TAG", "first_exercise_index", "make_student_copy", "student_notebook"]

SOLUTION_TAG = "solution"
EXERCISE_MARK = "{exercise}"


def student_notebook(nb: nbformat.NotebookNode, tag: str = SOLUTION_TAG) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without the cells tagged ``tag`` and without outputs.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> nb = new_notebook(cells=[new_code_cell("1 + 1"),
    ...                          new_code_cell("2 + 2", metadata={"tags": ["solution"]})])
    >>> [c.source for c in student_notebook(nb).cells]
    ['1 + 1']
    """
    copy = nbformat.from_dict(nb)
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


def make_student_copy(notebook: str | Path, out_dir: str | Path, tag: str = SOLUTION_TAG) -> Path:
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
    copy = student_notebook(nb, tag)
    dest_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(copy, dest)
    return dest


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m lstm_tutorial.student NOTEBOOK... --out FOLDER``."""
    parser = argparse.ArgumentParser(
        prog="python -m lstm_tutorial.student",
        description="Write student copies of chapters: solution cells removed, outputs cleared.",
    )
    parser.add_argument("notebooks", nargs="+", type=Path, help="chapter notebooks (.ipynb)")
    parser.add_argument("--out", type=Path, default=Path("student"), help="output folder")
    parser.add_argument("--tag", default=SOLUTION_TAG, help="cell tag to remove")
    args = parser.parse_args(argv)
    for nb in args.notebooks:
        nb_in = nbformat.read(nb, as_version=4)
        removed = sum(args.tag in c.metadata.get("tags", []) for c in nb_in.cells)
        dest = make_student_copy(nb, args.out, args.tag)
        print(f"{nb} -> {dest} ({removed} solution cell(s) removed, outputs cleared)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
