"""Exercise 3.4: Pascanu et al.'s clipping, and a global-norm clip written by hand."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-03-4"
points = 3


@test_case(points=1, hidden=True)
def test_which_is_pascanu(ex_03_4_pascanu):
    options = ("clipvalue", "clipnorm", "global_clipnorm")
    assert ex_03_4_pascanu in options, f"ex_03_4_pascanu must be one of {options}"
    assert ex_03_4_pascanu == "global_clipnorm", \
        "Pascanu et al. rescale the whole gradient by its norm"


@test_case(points=1, hidden=True)
def test_clip_rescales_the_whole_gradient(ex_03_4_clip_global):
    assert callable(ex_03_4_clip_global), \
        "ex_03_4_clip_global must be a function (list of arrays, c) -> list of arrays"
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 4)) * 10, rng.normal(size=5)]
    clipped = [np.asarray(g, dtype=float) for g in ex_03_4_clip_global(grads, 1.0)]
    assert [g.shape for g in clipped] == [(3, 4), (5,)], "return one array per input array"
    total = np.sqrt(sum(np.sum(g ** 2) for g in clipped))
    assert abs(total - 1.0) < 1e-9, "the clipped gradient must have global norm c"
    flat, raw = np.concatenate([g.ravel() for g in clipped]), np.concatenate(
        [g.ravel() for g in grads])
    assert flat @ raw / (np.linalg.norm(flat) * np.linalg.norm(raw)) > 1 - 1e-12, \
        "clipping by the global norm keeps the direction of the whole gradient"


@test_case(points=1, hidden=True)
def test_small_gradient_unchanged(ex_03_4_clip_global):
    assert callable(ex_03_4_clip_global), "ex_03_4_clip_global must be a function"
    grads = [np.full((2, 2), 0.1), np.array([0.05])]
    clipped = ex_03_4_clip_global(grads, 1.0)
    assert all(np.allclose(a, b) for a, b in zip(clipped, grads, strict=True)), \
        "a gradient whose norm is already below c must not change"
