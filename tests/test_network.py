"""Θ's plumbing: the bias unit, initial weights, debug weights, unroll and roll."""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb


def test_add_bias_to_a_vector_and_to_a_batch() -> None:
    np.testing.assert_array_equal(nb.add_bias([3, 4]), [1.0, 3.0, 4.0])
    np.testing.assert_array_equal(nb.add_bias([[3, 4], [5, 6]]), [[1, 3, 4], [1, 5, 6]])


def test_unroll_goes_layer_by_layer_and_row_by_row() -> None:
    Theta = {1: [[1, 2, 3], [4, 5, 6]], 2: [[7, 8, 9]]}
    np.testing.assert_array_equal(nb.unroll(Theta), np.arange(1.0, 10.0))


def test_roll_undoes_unroll() -> None:
    Theta = nb.init_weights([4, 3, 5, 2], rng=7)
    vector = nb.unroll(Theta)
    assert vector.shape == (3 * 5 + 5 * 4 + 2 * 6,)
    back = nb.roll(vector, [4, 3, 5, 2])
    assert list(back) == [1, 2, 3]
    for l in Theta:
        np.testing.assert_array_equal(back[l], Theta[l])
    np.testing.assert_array_equal(nb.unroll(back), vector)
    back[1][0, 0] = 99.0                      # roll copies: the vector is left alone
    assert vector[0] == Theta[1][0, 0]


def test_init_weights_shapes_follow_the_layer_sizes() -> None:
    Theta = nb.init_weights(nb.LECTURE_SIZES, rng=0)
    assert list(Theta) == [1, 2, 3]
    assert [T.shape for T in Theta.values()] == [(5, 4), (5, 6), (4, 6)]
    assert nb.layer_sizes(Theta) == [3, 5, 5, 4]


def test_init_weights_lie_in_the_range_and_fill_it() -> None:
    Theta = nb.init_weights([30, 40, 10], epsilon_init=0.25, rng=1)
    values = nb.unroll(Theta)
    assert values.min() >= -0.25 and values.max() <= 0.25
    assert values.min() < -0.24 and values.max() > 0.24      # 1,650 draws reach both ends
    assert abs(values.mean()) < 0.02                          # centred on 0


def test_init_weights_seeded_is_repeatable_and_seed_dependent() -> None:
    a = nb.init_weights([3, 4, 2], rng=42)
    b = nb.init_weights([3, 4, 2], rng=np.random.default_rng(42))
    c = nb.init_weights([3, 4, 2], rng=43)
    for l in a:
        np.testing.assert_array_equal(a[l], b[l])
    assert not np.array_equal(nb.unroll(a), nb.unroll(c))


def test_init_weights_break_the_symmetry_between_hidden_units() -> None:
    """With Θ = 0 all hidden units compute the same a⁽²⁾ⱼ and get the same row of D⁽¹⁾, so they
    stay identical forever; random Θ gives every unit its own row of D⁽¹⁾."""
    prob = nb.debug_problem([3, 4, 2], m=5)
    zero = {l: np.zeros_like(T) for l, T in prob.Theta.items()}
    D_zero = nb.backprop(zero, prob.X, prob.Y)[1]
    assert np.allclose(D_zero, D_zero[0])                     # the symmetry problem itself

    Theta = nb.init_weights([3, 4, 2], rng=0)
    D = nb.backprop(Theta, prob.X, prob.Y)[1]
    for T in (Theta[1], D):
        rows = {tuple(np.round(r, 12)) for r in T}
        assert len(rows) == T.shape[0]                        # no two units alike


def test_debug_weights_are_fixed_sines() -> None:
    """debug_weights(2, 3) is sin(1), …, sin(8) divided by 10, filled row by row."""
    W = nb.debug_weights(2, 3)
    assert W.shape == (2, 4)
    np.testing.assert_allclose(W, np.sin(np.arange(1, 9)).reshape(2, 4) / 10, rtol=1e-15)
    assert W[0, 0] == np.sin(1) / 10 and W[1, 0] == np.sin(5) / 10


def test_debug_weights_are_deterministic_and_not_symmetric() -> None:
    # numpy's legacy global random state must play no part
    np.random.seed(0)  # noqa: NPY002
    first = nb.debug_weights(5, 4)
    np.random.seed(1)  # noqa: NPY002
    np.testing.assert_array_equal(first, nb.debug_weights(5, 4))
    assert len({tuple(r) for r in first}) == 5                 # every unit different
    assert len({tuple(c) for c in first.T}) == 5               # every input weighted differently


def test_problem_sizes_are_the_layer_sizes_of_its_theta() -> None:
    assert nb.lecture_network().sizes == list(nb.LECTURE_SIZES)
    assert nb.debug_problem([4, 6, 2], m=3).sizes == [4, 6, 2]


@pytest.mark.parametrize("m", [1, 2, 4, 5, 30])
def test_lecture_network_example_i_is_the_same_for_every_m(m):
    """Example i has the same x⁽ⁱ⁾ and y⁽ⁱ⁾ whatever m is, so every notebook shows the same
    numbers for it (the default m = 3 is the reference)."""
    small, other = nb.lecture_network(), nb.lecture_network(m=m)
    k = min(m, 3)
    np.testing.assert_array_equal(other.X[:k], small.X[:k])
    np.testing.assert_array_equal(other.Y[:k], small.Y[:k])
    for l in small.Theta:
        np.testing.assert_array_equal(other.Theta[l], small.Theta[l])
    assert list(other.labels) == [(0, 2, 1, 3)[i % 4] for i in range(m)]
