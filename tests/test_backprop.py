"""Delta terms δ⁽ˡ⁾, accumulators Δ⁽ˡ⁾ and D terms: hand-worked, finite differences, loop vs
vectorized."""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb

# Δ and D of the hand-worked 2-2-2 network (both examples), derived in the tests below.
DELTA_HAND = {1: np.array([[-1 / 4, -1 / 8, -1 / 4], [-9 / 8, -9 / 16, -9 / 8]]),
              2: np.array([[-1.0, -1 / 2, -3 / 4], [1.0, 1 / 2, 3 / 4]])}


def test_delta_terms_hand_worked(hand) -> None:
    """x = (1, 2), y = (1, 0); from test_forward: a⁽²⁾ = (1, ½, ¾), z⁽²⁾ = (0, ln 3), h = (½, ½).

    δ⁽³⁾ = a⁽³⁾ − y = (½ − 1, ½ − 0) = (−½, ½)
    (Θ⁽²⁾)ᵀδ⁽³⁾ without the bias entry (Θ⁽²⁾ without column 0 is [[2, 4], [1, −2]]):
        (2·(−½) + 1·½,  4·(−½) + (−2)·½) = (−½, −3)
    g′(z⁽²⁾) = (g′(0), g′(ln 3)) = (½·½, ¾·¼) = (1/4, 3/16)
    δ⁽²⁾ = (−½·¼, −3·3/16) = (−1/8, −9/16)
    """
    Theta, X, Y = hand
    bp = nb.backprop_example(Theta, X[0], Y[0])
    assert sorted(bp.delta) == [2, 3]                 # no δ⁽¹⁾
    np.testing.assert_allclose(bp.delta[3], [-0.5, 0.5], rtol=1e-15)
    np.testing.assert_allclose(bp.delta[2], [-1 / 8, -9 / 16], rtol=1e-15)
    np.testing.assert_allclose(bp.a[2], [1, 0.5, 0.75], rtol=1e-15)   # the forward pass too


def test_delta_has_no_bias_entry_and_no_layer_one() -> None:
    prob = nb.lecture_network(m=1)
    bp = nb.backprop_example(prob.Theta, prob.X[0], prob.Y[0])
    assert sorted(bp.delta) == [2, 3, 4]
    for l, s in zip((2, 3, 4), nb.LECTURE_SIZES[1:], strict=True):
        assert bp.delta[l].shape == (s,)              # sₗ entries: the bias unit has no δ


def _cost_from_z(Theta: dict, l: int, z_l: np.ndarray, y: np.ndarray) -> float:
    """One example's logistic cost as a function of z⁽ˡ⁾: continue the forward pass from there."""
    L = len(Theta) + 1
    a = 1 / (1 + np.exp(-z_l))
    for k in range(l, L):
        a = 1 / (1 + np.exp(-(Theta[k] @ np.concatenate(([1.0], a)))))
    return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))


@pytest.mark.parametrize("i", [0, 1, 2])
def test_delta_is_the_derivative_of_the_cost_with_respect_to_z(i) -> None:
    """For the logistic cost, δ⁽ˡ⁾ⱼ = ∂J/∂z⁽ˡ⁾ⱼ (one example, λ = 0). Checked by two-sided finite
    differences in every z⁽ˡ⁾ⱼ of the lecture's 3-5-5-4 network (error ≈ h² ≈ 1e-10)."""
    prob = nb.lecture_network(m=3)
    x, y = prob.X[i], prob.Y[i]
    bp = nb.backprop_example(prob.Theta, x, y)
    h = 1e-5
    for l in (2, 3, 4):
        numeric = np.empty_like(bp.z[l])
        for j in range(bp.z[l].size):
            step = np.zeros_like(bp.z[l])
            step[j] = h
            numeric[j] = (_cost_from_z(prob.Theta, l, bp.z[l] + step, y)
                          - _cost_from_z(prob.Theta, l, bp.z[l] - step, y)) / (2 * h)
        np.testing.assert_allclose(bp.delta[l], numeric, rtol=0, atol=1e-8)
        assert np.abs(numeric).max() > 1e-3           # a real derivative, not zeros


def test_accumulators_hand_worked(hand) -> None:
    """Δ⁽ˡ⁾ = Σᵢ δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ. Example 1: δ⁽³⁾ = (−½, ½), a⁽²⁾ = (1, ½, ¾), δ⁽²⁾ = (−1/8, −9/16),
    a⁽¹⁾ = (1, 1, 2). Example 2 (x = (0, 0), y = (1, 0)) has the same z⁽²⁾, h and y, hence the
    same δ's, but a⁽¹⁾ = (1, 0, 0).

    Δ⁽²⁾ = 2 · δ⁽³⁾(a⁽²⁾)ᵀ = 2 · [[−½, −¼, −3/8], [½, ¼, 3/8]] = [[−1, −½, −¾], [1, ½, ¾]]
    Δ⁽¹⁾ = δ⁽²⁾(1, 1, 2) + δ⁽²⁾(1, 0, 0) = δ⁽²⁾(2, 1, 2)
         = [[−1/4, −1/8, −1/4], [−9/8, −9/16, −9/8]]
    """
    Theta, X, Y = hand
    D = nb.backprop(Theta, X, Y)
    for l in (1, 2):
        np.testing.assert_allclose(D.Delta[l], DELTA_HAND[l], rtol=1e-15)
        np.testing.assert_allclose(nb.accumulate(Theta, X, Y)[l], DELTA_HAND[l], rtol=1e-15)


def test_d_terms_hand_worked(hand) -> None:
    """λ = 0: D⁽ˡ⁾ = Δ⁽ˡ⁾/m with m = 2:
    D⁽¹⁾ = [[−1/8, −1/16, −1/8], [−9/16, −9/32, −9/16]],  D⁽²⁾ = [[−½, −¼, −3/8], [½, ¼, 3/8]].
    """
    Theta, X, Y = hand
    D = nb.backprop(Theta, X, Y)
    assert list(D) == [1, 2]
    np.testing.assert_allclose(D[1], [[-1 / 8, -1 / 16, -1 / 8], [-9 / 16, -9 / 32, -9 / 16]],
                               rtol=1e-15)
    np.testing.assert_allclose(D[2], [[-0.5, -0.25, -3 / 8], [0.5, 0.25, 3 / 8]], rtol=1e-15)
    assert D.m == 2 and D.lam == 0.0


def test_d_terms_with_regularization_hand_worked(hand) -> None:
    """λ = 1, m = 2: add (λ/m)Θ = ½Θ in the columns j ≠ 0 only.

    ½Θ⁽¹⁾ without column 0: [[1, −½], [½, −¼]];  ½Θ⁽²⁾ without column 0: [[1, 2], [½, −1]].
    D⁽¹⁾ = [[−1/8, −1/16 + 1, −1/8 − ½], [−9/16, −9/32 + ½, −9/16 − ¼]]
         = [[−1/8, 15/16, −5/8], [−9/16, 7/32, −13/16]]
    D⁽²⁾ = [[−½, −¼ + 1, −3/8 + 2], [½, ¼ + ½, 3/8 − 1]] = [[−½, ¾, 13/8], [½, ¾, −5/8]]
    Column 0 keeps Δ/m although Θ's bias column (0, ln 3, −4, 1) is far from zero.
    """
    Theta, X, Y = hand
    D = nb.backprop(Theta, X, Y, lam=1.0)
    np.testing.assert_allclose(D[1], [[-1 / 8, 15 / 16, -5 / 8], [-9 / 16, 7 / 32, -13 / 16]],
                               rtol=1e-15)
    np.testing.assert_allclose(D[2], [[-0.5, 0.75, 13 / 8], [0.5, 0.75, -5 / 8]], rtol=1e-15)
    np.testing.assert_array_equal(D.regularization[1][:, 0], 0.0)
    np.testing.assert_allclose(D.regularization[2], [[0, 1, 2], [0, 0.5, -1]], rtol=1e-15)


def test_delta_is_the_sum_of_per_example_outer_products() -> None:
    prob = nb.lecture_network(m=5)
    D = nb.backprop(prob.Theta, prob.X, prob.Y)
    expected = {l: np.zeros_like(T) for l, T in prob.Theta.items()}
    for x, y in zip(prob.X, prob.Y, strict=True):
        bp = nb.backprop_example(prob.Theta, x, y)
        for l in expected:
            expected[l] += np.outer(bp.delta[l + 1], bp.a[l])
    for l in expected:
        np.testing.assert_allclose(D.Delta[l], expected[l], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(D[l], expected[l] / 5, rtol=1e-13, atol=1e-15)


def test_accumulation_history_fills_up_one_example_at_a_time(hand) -> None:
    Theta, X, Y = hand
    history = nb.accumulation_history(Theta, X, Y)
    assert len(history) == 3                              # before, after example 1, after 2
    for l in (1, 2):
        np.testing.assert_array_equal(history[0][l], 0.0)
        np.testing.assert_allclose(history[2][l], DELTA_HAND[l], rtol=1e-15)
    # after example 1: δ⁽²⁾(a⁽¹⁾)ᵀ = (−1/8, −9/16)ᵀ(1, 1, 2)
    np.testing.assert_allclose(history[1][1], [[-1 / 8, -1 / 8, -1 / 4], [-9 / 16, -9 / 16, -9 / 8]],
                               rtol=1e-15)


@pytest.mark.parametrize("lam", [0.0, 0.5, 3.0])
def test_loop_and_vectorized_agree(lam) -> None:
    prob = nb.lecture_network(m=7)
    loop = nb.backprop(prob.Theta, prob.X, prob.Y, lam)
    vec = nb.backprop_vectorized(prob.Theta, prob.X, prob.Y, lam)
    assert list(loop) == list(vec) == [1, 2, 3]
    for l in loop:
        np.testing.assert_allclose(vec[l], loop[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(vec.Delta[l], loop.Delta[l], rtol=1e-12, atol=1e-15)


def test_the_lecture_lambda_theta_fails_the_gradient_check_and_lambda_over_m_passes() -> None:
    """The lecture prints D = Δ/m + λΘ; the cost's λ/(2m)·ΣΘ² has derivative (λ/m)Θ. With m = 5
    and λ = 1 only the second matches finite differences of J."""
    prob = nb.debug_problem([3, 4, 2], m=5)

    def lecture_formula(Theta, X, Y, lam):
        D = nb.backprop(Theta, X, Y, 0.0)
        return {l: D[l] + lam * np.pad(Theta[l][:, 1:], ((0, 0), (1, 0))) for l in D}

    assert nb.gradient_check(prob.Theta, prob.X, prob.Y, 1.0) < 1e-9
    assert nb.gradient_check(prob.Theta, prob.X, prob.Y, 1.0, gradient=lecture_formula) > 1e-2
