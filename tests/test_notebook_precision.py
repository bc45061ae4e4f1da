"""No compared notebook output shows more digits than every CPU can reproduce.

``pytest --nbval`` compares committed outputs with a fresh run on the reader's
machine, whose BLAS kernels differ in the last bits from ours. A glued float
printed with 17 digits (``0.19439111109434307`` here, ``...4307`` elsewhere)
fails there. This reads every committed chapter and fails on any number with
more than `MAX_SIGNIFICANT` significant digits, so the problem cannot creep back.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lstm_tutorial.course.notebook import MAX_SIGNIFICANT, overprecise_numbers, significant_digits

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_chapters_to_check():
    assert len(NOTEBOOKS) >= 8


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_show_at_most_seven_significant_digits(path):
    found = overprecise_numbers(read(path))
    assert not found, (
        f"{path.name}: {len(found)} output number(s) with more than {MAX_SIGNIFICANT} "
        f"significant digits, e.g. {found[:3]}; glue with glue_number or print at a "
        "stated precision"
    )


def glue_output(value_text: str) -> dict:
    """A glue record as myst-nb stores it in a notebook."""
    return {"output_type": "display_data", "metadata": {"scrapbook": {"name": "x"}},
            "data": {"application/papermill.record/text/plain": value_text}}


def test_an_injected_17_digit_glue_value_is_caught():
    nb = copy.deepcopy(read(NOTEBOOKS[0]))
    assert overprecise_numbers(nb) == []
    code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    nb["cells"][code]["outputs"].append(glue_output("0.19439111109434307"))
    found = overprecise_numbers(nb)
    assert [(f.cell, f.number) for f in found] == [(code, "0.19439111109434307")]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("rmse 0.9254 skill -4.3123", []),
        ("loss 1.2345678e-05", ["1.2345678e-05"]),          # 8 digits in the mantissa
        ("[3.81, 4.24, 3.81, 9616100.0]", ["9616100.0"]),   # exact, but 8 digits shown
        ("keras 3.15.1, 2018-01-29, 117619 parameters", []),  # versions, dates, integers
        ("<td>0.123456789</td>", ["0.123456789"]),           # HTML tables too
    ],
)
def test_what_counts_as_too_precise(text, flagged):
    nb = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "stream", "name": "stdout", "text": [text]}]}]}
    assert [f.number for f in overprecise_numbers(nb)] == flagged


def test_trailing_zeros_count_as_shown_digits():
    assert significant_digits("0.000120") == 3
    assert significant_digits("117.620000") == 9
