"""Learning with the D terms: gradient descent, scipy's optimizers, predict and accuracy."""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb


def test_one_gradient_descent_step_is_theta_minus_alpha_d(hand) -> None:
    """Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − α·D⁽ˡ⁾ with α = 0.5 and the hand-worked D (λ = 1, see test_backprop):
    Θ⁽²⁾ = [[−4, 2, 4], [1, 1, −2]] − ½·[[−½, ¾, 13/8], [½, ¾, −5/8]]
         = [[−15/4, 13/8, 51/16], [3/4, 5/8, −27/16]]."""
    Theta, X, Y = hand
    result = nb.train(Theta, X, Y, lam=1.0, method="gradient-descent", max_iter=1,
                      learning_rate=0.5)
    np.testing.assert_allclose(result.Theta[2], [[-15 / 4, 13 / 8, 51 / 16],
                                                 [3 / 4, 5 / 8, -27 / 16]], rtol=1e-15)
    D = nb.backprop(Theta, X, Y, 1.0)
    np.testing.assert_allclose(result.Theta[1], Theta[1] - 0.5 * D[1], rtol=1e-15)
    assert result.iterations == 1
    assert result.costs[0] == pytest.approx(nb.cost(Theta, X, Y, 1.0), rel=1e-14)
    assert result.costs[1] == pytest.approx(nb.cost(result.Theta, X, Y, 1.0), rel=1e-14)


def test_train_leaves_the_starting_theta_alone(hand) -> None:
    Theta, X, Y = hand
    before = {l: T.copy() for l, T in Theta.items()}
    nb.train(Theta, X, Y, method="gradient-descent", max_iter=3)
    nb.train(Theta, X, Y, max_iter=3)
    for l in Theta:
        np.testing.assert_array_equal(Theta[l], before[l])


def test_gradient_descent_lowers_the_cost_at_every_step() -> None:
    """α = 1 on the lecture's 3-5-5-4 network is small enough that every step goes downhill."""
    prob = nb.lecture_network(m=6)
    result = nb.train(prob.Theta, prob.X, prob.Y, lam=0.1, method="gradient-descent",
                      max_iter=40, learning_rate=1.0)
    costs = np.array(result.costs)
    assert len(costs) == 41
    assert np.all(np.diff(costs) < 0)
    assert costs[-1] < 0.9 * costs[0]                         # and it really went somewhere
    assert costs[-1] == pytest.approx(nb.cost(result.Theta, prob.X, prob.Y, 0.1), rel=1e-13)


def test_lbfgs_learns_xor_with_a_hidden_layer() -> None:
    X, Y = nb.xor()
    Theta = nb.init_weights([2, 3, 1], epsilon_init=1.0, rng=0)
    assert nb.accuracy(Theta, X, Y) < 1.0                     # not solved from the start
    result = nb.train(Theta, X, Y, method="L-BFGS-B", max_iter=200)
    assert nb.accuracy(result.Theta, X, Y) == 1.0
    np.testing.assert_array_equal(nb.predict(result.Theta, X), [0, 1, 1, 0])
    assert result.costs[-1] < 0.01 and result.method == "L-BFGS-B"


def test_digits_held_out_accuracy() -> None:
    """The 64-25-10 network on the 8×8 digits, λ = 1, 100 L-BFGS-B iterations (about a second)."""
    digits = nb.load_digits()
    Theta = nb.init_weights([64, 25, 10], rng=0)
    result = nb.train(Theta, digits.X_train, digits.Y_train, lam=1.0, max_iter=100)
    assert nb.accuracy(result.Theta, digits.X_test, digits.labels_test) >= 0.95
    assert result.costs[-1] < result.costs[0] / 5


@pytest.mark.parametrize("method", ["gradient-descent", "L-BFGS-B"])
def test_the_callback_sees_each_iteration_and_can_stop_training(method) -> None:
    prob = nb.debug_problem([3, 4, 2], m=6)
    seen = []

    def callback(iteration, Theta, J):
        seen.append((iteration, J))
        assert sorted(Theta) == [1, 2]
        assert J == pytest.approx(nb.cost(Theta, prob.X, prob.Y), rel=1e-12)
        return iteration == 3

    result = nb.train(prob.Theta, prob.X, prob.Y, method=method, max_iter=50, callback=callback)
    assert [it for it, _ in seen] == [1, 2, 3]
    assert result.iterations == 3
    assert len(result.costs) == 4
    assert result.costs[1:] == pytest.approx([J for _, J in seen], rel=1e-12)


def test_predict_takes_the_largest_output() -> None:
    """L = 2, Θ⁽¹⁾ = [[0, 1, −1], [0, −1, 1]]: x = (2, 0) gives z = (2, −2), label 0;
    x = (0, 3) gives z = (−3, 3), label 1."""
    Theta = {1: [[0, 1, -1], [0, -1, 1]]}
    np.testing.assert_array_equal(nb.predict(Theta, [[2, 0], [0, 3]]), [0, 1])
    assert nb.predict(Theta, [0, 3]) == 1                      # one example, one label


def test_predict_with_one_output_unit_thresholds_at_one_half() -> None:
    """Θ⁽¹⁾ = [[0, 1]]: h = g(x); g(0) = ½ counts as class 1, g(−0.1) < ½ as class 0."""
    labels = nb.predict({1: [[0, 1]]}, [[1.0], [0.0], [-0.1], [-5.0]])
    np.testing.assert_array_equal(labels, [1, 1, 0, 0])


def test_accuracy_accepts_labels_and_one_hot_y() -> None:
    """Predictions 0, 1, 1 (see test_predict_takes_the_largest_output) against truth 0, 1, 0:
    2 of 3 right."""
    Theta = {1: [[0, 1, -1], [0, -1, 1]]}
    X = [[2, 0], [0, 3], [0, 1]]
    assert nb.accuracy(Theta, X, [0, 1, 0]) == pytest.approx(2 / 3)
    assert nb.accuracy(Theta, X, nb.one_hot([0, 1, 0], 2)) == pytest.approx(2 / 3)
    assert nb.accuracy(Theta, X, np.array([0, 1, 1])) == 1.0


def test_scipy_training_uses_one_blas_thread_and_restores_the_count() -> None:
    """numpy's and scipy's OpenBLAS fight over the cores when both keep several threads, so the
    optimizer runs with one; afterwards every BLAS library has its thread count back. (The
    tests otherwise run with one thread, see conftest.py, so two are set here.)"""
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> set[int]:
        return {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}

    during: list[set[int]] = []
    prob = nb.debug_problem([3, 4, 2], m=5)
    with threadpool_limits(limits=2, user_api="blas"):
        assert blas_threads() == {2}
        nb.train(prob.Theta, prob.X, prob.Y, max_iter=3,
                 callback=lambda it, Theta, J: during.append(blas_threads()))
        assert blas_threads() == {2}
    assert during and all(counts == {1} for counts in during)
