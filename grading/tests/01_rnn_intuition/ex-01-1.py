"""Exercise 1.1: the pattern and the Keras input and output shapes of the four tasks."""
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-01-1"
points = 3

PATTERNS = ("one-to-one", "one-to-many", "many-to-one", "many-to-many")


@test_case(points=1, hidden=True)
def test_patterns(ex_01_1_patterns):
    assert isinstance(ex_01_1_patterns, (list, tuple)) and len(ex_01_1_patterns) == 4, \
        "ex_01_1_patterns must be a list of four strings, one per task"
    assert all(p in PATTERNS for p in ex_01_1_patterns), f"each pattern must be one of {PATTERNS}"
    assert list(ex_01_1_patterns) == ["many-to-one", "many-to-many", "one-to-one",
                                      "many-to-many"], \
        "at least one pattern is wrong: does the task read a sequence, and does it write one?"


@test_case(points=1, hidden=True)
def test_input_shapes(ex_01_1_input_shapes):
    assert isinstance(ex_01_1_input_shapes, (list, tuple)) and len(ex_01_1_input_shapes) == 4, \
        "ex_01_1_input_shapes must be a list of four tuples such as (None, 10, 1)"
    shapes = [tuple(s) for s in ex_01_1_input_shapes]
    assert all(s[0] is None for s in shapes), "the batch axis comes first and is None"
    assert shapes[0] != (None, 2, 30), "task 1: (None, 2, 30) would be 2 time steps of 30 features"
    assert shapes == [(None, 30, 2), (None, 20, 1), (None, 1), (None, 60, 1)], \
        "an input shape is wrong: Keras reads (batch, time steps, features) for a sequence"


@test_case(points=1, hidden=True)
def test_output_shapes(ex_01_1_output_shapes):
    assert isinstance(ex_01_1_output_shapes, (list, tuple)) and len(ex_01_1_output_shapes) == 4, \
        "ex_01_1_output_shapes must be a list of four tuples"
    shapes = [tuple(s) for s in ex_01_1_output_shapes]
    accepted = [{(None, 1)}, {(None, 5), (None, 5, 1)}, {(None, 1)}, {(None, 60, 1)}]
    for k, (shape, ok) in enumerate(zip(shapes, accepted, strict=True), start=1):
        assert shape in ok, f"task {k}: output shape {shape} is not right"
