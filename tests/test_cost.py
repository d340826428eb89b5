"""The cost J(Θ): logistic cost over K outputs averaged over m, plus λ/(2m)·Σ non-bias Θ²."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nbhelpers as nb

LN2, LN3 = math.log(2.0), math.log(3.0)


def test_cost_one_example_hand_worked(hand) -> None:
    """x = (1, 2), y = (1, 0) and h = (1/2, 1/2) (see test_forward):

    J = −[y₁ ln h₁ + (1 − y₁) ln(1 − h₁)] − [y₂ ln h₂ + (1 − y₂) ln(1 − h₂)]
      = −[1·ln ½ + 0] − [0 + 1·ln ½] = ln 2 + ln 2 = 2 ln 2.
    """
    Theta, X, Y = hand
    assert nb.cost(Theta, X[:1], Y[:1]) == pytest.approx(2 * LN2, rel=1e-15)


def test_cost_averages_over_the_examples(hand) -> None:
    """Both examples have h = (1/2, 1/2) and y = (1, 0), so each costs 2 ln 2, and the average
    over m = 2 is 2 ln 2 again (a sum instead of the mean would give 4 ln 2)."""
    Theta, X, Y = hand
    assert nb.cost(Theta, X, Y) == pytest.approx(2 * LN2, rel=1e-15)


def test_cost_with_regularization_hand_worked(hand) -> None:
    """λ = 1, m = 2. Σ over the non-bias columns (j ≥ 1) of Θ²:

    Θ⁽¹⁾: 2² + (−1)² + 1² + (−½)² = 4 + 1 + 1 + ¼ = 25/4
    Θ⁽²⁾: 2² + 4² + 1² + (−2)²    = 4 + 16 + 1 + 4 = 25
    λ/(2m) · (25/4 + 25) = ¼ · 125/4 = 125/16, so J = 2 ln 2 + 125/16.
    (Counting the bias column too would add ¼·((ln 3)² + 16 + 1).)
    """
    Theta, X, Y = hand
    assert nb.cost(Theta, X, Y, lam=1.0) == pytest.approx(2 * LN2 + 125 / 16, rel=1e-15)
    assert nb.regularization_cost(Theta, 2, 1.0) == pytest.approx(125 / 16, rel=1e-15)


def test_cost_one_output_unit_hand_worked() -> None:
    """L = 2, Θ⁽¹⁾ = [[ln 3, 1, −1]], both x = (2, 2), so h = g(ln 3) = 3/4 for both.
    y = 0: −ln(1 − 3/4) = ln 4;  y = 1: −ln(3/4) = ln(4/3);  mean: (ln 4 + ln 4/3)/2."""
    Theta = {1: [[LN3, 1, -1]]}
    J = nb.cost(Theta, [[2, 2], [2, 2]], [[0], [1]])
    assert J == pytest.approx((math.log(4) + math.log(4 / 3)) / 2, rel=1e-14)


def test_cost_matches_the_written_out_formula() -> None:
    """−(1/m) Σᵢ Σₖ [y log h + (1 − y) log(1 − h)] + λ/(2m) Σ non-bias Θ², written out."""
    prob = nb.lecture_network(m=5)
    h = nb.forward_propagate(prob.Theta, prob.X).h
    m, lam = 5, 0.7
    data = -np.sum(prob.Y * np.log(h) + (1 - prob.Y) * np.log(1 - h)) / m
    reg = lam / (2 * m) * sum(np.sum(T[:, 1:] ** 2) for T in prob.Theta.values())
    assert nb.cost(prob.Theta, prob.X, prob.Y, lam) == pytest.approx(data + reg, rel=1e-13)


def test_the_bias_column_is_not_regularized(hand) -> None:
    Theta = hand[0]
    shifted = {l: T.copy() for l, T in Theta.items()}
    shifted[1][:, 0] += 5.0
    shifted[2][:, 0] -= 3.0
    assert nb.regularization_cost(shifted, 2, 1.0) == nb.regularization_cost(Theta, 2, 1.0)


def test_cost_is_finite_when_h_rounds_to_0_or_1() -> None:
    """z = 1000: h = g(1000) is 1.0 in floating point, so log(1 − h) would be −inf. The true cost
    of y = 0 is ln(1 + e¹⁰⁰⁰) = 1000 + ln(1 + e⁻¹⁰⁰⁰) = 1000 to double precision, and for y = 1
    it is ln(1 + e⁻¹⁰⁰⁰) ≈ e⁻¹⁰⁰⁰ (0 in floating point)."""
    Theta = {1: [[0.0, 1000.0]]}
    with np.errstate(over="raise", divide="raise", invalid="raise"):   # underflow is fine
        wrong = nb.cost(Theta, [[1.0]], [[0.0]])
        right = nb.cost(Theta, [[1.0]], [[1.0]])
    assert wrong == pytest.approx(1000.0, rel=1e-15)
    assert 0.0 <= right < 1e-300
