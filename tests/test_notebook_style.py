"""Chapter code stays short: a code cell longer than MAX_LINES belongs in the package.

The book's style asks for chapter code cells of about 25 lines at most; drawings,
repeated bookkeeping and anything a second chapter could use go into
``lstm_tutorial`` (tested). The allow-list names each exception and its reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
MAX_LINES = 25

# (notebook file name, cell id) -> why the cell may be longer.
ALLOWED: dict[tuple[str, str], str] = {
}


def _code_cells(path: Path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            yield cell["id"], len("".join(cell["source"]).splitlines())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_code_cells_are_short(path):
    too_long = [f"cell {cell_id} ({n} lines)" for cell_id, n in _code_cells(path)
                if n > MAX_LINES and (path.name, cell_id) not in ALLOWED]
    assert not too_long, (f"{path.name}: code cells over {MAX_LINES} lines; move drawing or "
                          f"bookkeeping into lstm_tutorial, or allow-list it: {too_long}")


def test_allow_list_names_existing_long_cells():
    present = {(p.name, cell_id) for p in NOTEBOOKS for cell_id, n in _code_cells(p)
               if n > MAX_LINES}
    stale = set(ALLOWED) - present
    assert not stale, f"allow-list entries that match no long cell (remove them): {sorted(stale)}"
