"""Forward propagation: a⁽¹⁾ = x, z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾), h = a⁽ᴸ⁾."""

from __future__ import annotations

import math

import numpy as np

import nbhelpers as nb

LN3 = math.log(3.0)


def test_forward_hand_worked(hand) -> None:
    """The 2-2-2 network of ``hand`` on x = (1, 2):

    a⁽¹⁾ = (1, 1, 2)                              (bias unit a₀ = 1 in front)
    z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ = (0·1 + 2·1 − 1·2, ln 3·1 + 1·1 − ½·2) = (0, ln 3)
    a⁽²⁾ = (1, g(0), g(ln 3)) = (1, 1/2, 3/4)
    z⁽³⁾ = Θ⁽²⁾a⁽²⁾ = (−4 + 2·½ + 4·¾, 1 + 1·½ − 2·¾) = (−4 + 1 + 3, 1 + ½ − 3/2) = (0, 0)
    h = a⁽³⁾ = (g(0), g(0)) = (1/2, 1/2)          (no bias unit in the output layer)
    """
    Theta, X, _ = hand
    fp = nb.forward_propagate(Theta, X[0])
    np.testing.assert_allclose(fp.a[1], [1, 1, 2], rtol=1e-15)
    np.testing.assert_allclose(fp.z[2], [0, LN3], atol=1e-15)
    np.testing.assert_allclose(fp.a[2], [1, 0.5, 0.75], rtol=1e-15)
    np.testing.assert_allclose(fp.z[3], [0, 0], atol=1e-15)
    np.testing.assert_allclose(fp.h, [0.5, 0.5], rtol=1e-15)


def test_forward_hand_worked_without_hidden_layer() -> None:
    """L = 2, Θ⁽¹⁾ = [[ln 3, 1, −1]], x = (2, 2): z⁽²⁾ = ln 3 + 2 − 2 = ln 3, h = g(ln 3) = 3/4."""
    fp = nb.forward_propagate({1: [[LN3, 1, -1]]}, [2, 2])
    np.testing.assert_allclose(fp.z[2], [LN3], rtol=1e-15)
    np.testing.assert_allclose(fp.h, [0.75], rtol=1e-15)
    assert list(fp.a) == [1, 2] and list(fp.z) == [2]


def test_keys_and_bias_units_follow_the_lecture() -> None:
    prob = nb.lecture_network(m=3)
    fp = nb.forward_propagate(prob.Theta, prob.X)
    L = 4
    assert fp.L == L
    assert sorted(fp.a) == [1, 2, 3, 4]
    assert sorted(fp.z) == [2, 3, 4]                          # no z⁽¹⁾
    for l, s in zip(range(1, L + 1), nb.LECTURE_SIZES, strict=True):
        if l < L:
            assert fp.a[l].shape == (3, s + 1)
            np.testing.assert_array_equal(fp.a[l][:, 0], 1.0)   # the bias unit a₀ = 1
        else:
            assert fp.a[l].shape == (3, s)                      # no bias unit in layer L
        if l > 1:
            assert fp.z[l].shape == (3, s)
            np.testing.assert_allclose(fp.a[l][:, -s:], nb.sigmoid(fp.z[l]), rtol=1e-15)
    assert fp.h is fp.a[L]


def test_single_example_and_batch_agree() -> None:
    prob = nb.lecture_network(m=4)
    batch = nb.forward_propagate(prob.Theta, prob.X)
    for i, x in enumerate(prob.X):
        one = nb.forward_propagate(prob.Theta, x)
        assert one.a[1].ndim == 1
        for l in one.a:
            np.testing.assert_allclose(one.a[l], batch.a[l][i], rtol=1e-14)
        for l in one.z:
            np.testing.assert_allclose(one.z[l], batch.z[l][i], rtol=1e-14, atol=1e-15)


def test_forward_matches_plain_matrix_products() -> None:
    """The same numbers written out with numpy for the lecture's 3-5-5-4 network."""
    prob = nb.lecture_network(m=1)
    T, x = prob.Theta, prob.X[0]
    a1 = np.concatenate(([1.0], x))
    a2 = np.concatenate(([1.0], 1 / (1 + np.exp(-(T[1] @ a1)))))
    a3 = np.concatenate(([1.0], 1 / (1 + np.exp(-(T[2] @ a2)))))
    a4 = 1 / (1 + np.exp(-(T[3] @ a3)))
    fp = nb.forward_propagate(T, x)
    np.testing.assert_allclose(fp.a[2], a2, rtol=1e-14)
    np.testing.assert_allclose(fp.a[3], a3, rtol=1e-14)
    np.testing.assert_allclose(fp.h, a4, rtol=1e-14)


def test_a_list_of_matrices_means_the_same_as_the_mapping(hand) -> None:
    Theta, X, _ = hand
    as_dict = nb.forward_propagate(Theta, X)
    as_list = nb.forward_propagate([Theta[1].tolist(), Theta[2].tolist()], X.tolist())
    for l in as_dict.a:
        np.testing.assert_array_equal(as_list.a[l], as_dict.a[l])
