"""Answers to every exercise of the series but the capstone, as students write them.

A function exercise is answered by a function; a top-level exercise by the source of its
exercise cell, exactly as typed, with the names the notebook's earlier cells define (``p``,
``Theta``, ``a1``, ``H``, ``lam``, ``D_step``, …) and ``np`` and ``nb``. The module's globals
below stand for the notebook globals a student's function can read by mistake: notebook 01's
own ``g``, and notebook 06's ``X``, ``Y``, ``lam`` and ``D``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

import nbhelpers as nb

from . import Entry

ENTRIES: list[Entry] = []


def g(z):
    """Notebook 01's g (section 3), which its forward exercise is told to use."""
    return 1 / (1 + np.exp(-z))


_lecture = nb.lecture_network()
X, Y, lam = _lecture.X, _lecture.Y, 1.0              # notebook 06's training set and λ
D = nb.backprop(_lecture.Theta, X, Y, lam)            # notebook 06's D, computed in its cell 3


def right(exercise: str, note: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        ENTRIES.append(Entry(fn.__name__, exercise, fn, True, None, None, note))
        return fn
    return add


def wrong(exercise: str, step: str | tuple[str, ...], mistake: str | tuple[str, ...] | None,
          note: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        ENTRIES.append(Entry(fn.__name__, exercise, fn, False, step, mistake, note))
        return fn
    return add


def right_cell(exercise: str, name: str, source: str, note: str) -> None:
    ENTRIES.append(Entry(name, exercise, source.strip() + "\n", True, None, None, note))


def wrong_cell(exercise: str, name: str, step: str | tuple[str, ...], mistake: str | None,
               source: str, note: str) -> None:
    ENTRIES.append(Entry(name, exercise, source.strip() + "\n", False, step, mistake, note))


# ==== 00-n-params: the number of parameters, from p.Theta ===========================================

right_cell("00-n-params", "n_params_from_sizes", """
n_params = sum(s[l + 1] * (s[l] + 1) for l in range(1, L))
""", "s₍ₗ₊₁₎ × (sₗ + 1) per layer, from the notebook's s and L (computed from p.Theta in section 2)")

right_cell("00-n-params", "n_params_rows_times_columns", """
n_params = 0
for T in p.Theta.values():
    rows, cols = T.shape
    n_params += rows * cols
""", "rows × columns of each matrix, added up in a loop")

wrong_cell("00-n-params", "n_params_without_bias", "parameters", "bias_unit_missing", """
n_params = sum(T[:, 1:].size for T in p.Theta.values())
""", "'the bias column is not a real weight': leaves column 0 of every Θ⁽ˡ⁾ out")

wrong_cell("00-n-params", "n_params_counts_units", "parameters", "units_counted", """
n_params = sum(s.values())
""", "counts the units of the layers, 3 + 5 + 5 + 4, instead of the weights between them")

wrong_cell("00-n-params", "n_params_typed_from_shapes", "parameters", None, """
n_params = 5 * 4 + 5 * 6 + 4 * 6
""", "the shapes printed in section 2 typed in: right for this network, not computed from p.Theta")

wrong_cell("00-n-params", "n_params_iterates_the_dict", "parameters", None, """
n_params = sum(T.size for T in p.Theta)
""", "iterates over the dict itself, which gives the keys 1, 2, 3: AttributeError, int has no .size")


# ==== 01-z2: z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ ==========================================================================

right_cell("01-z2", "z2_bias_column_apart", """
z2 = Theta[1][:, 0] + Theta[1][:, 1:] @ x
""", "the bias column times a₀ = 1 written apart, the other columns times x")

right_cell("01-z2", "z2_row_by_row", """
z2 = np.array([row @ a1 for row in Theta[1]])
""", "'each entry is one row of Θ⁽¹⁾ times a⁽¹⁾', literally, row by row")

right_cell("01-z2", "z2_einsum", """
z2 = np.einsum("ij,j->i", Theta[1], a1)
""", "the sum over j of Θ⁽¹⁾ᵢⱼa⁽¹⁾ⱼ as an einsum")

wrong_cell("01-z2", "z2_from_x", "forward", "bias_unit_missing", """
z2 = Theta[1] @ x
""", "x instead of a1: the bias unit is missing, and numpy refuses the product (4 columns, 3 entries)")

wrong_cell("01-z2", "z2_bias_appended", "forward", "bias_unit_last", """
z2 = Theta[1] @ np.append(x, 1.0)
""", "builds a⁽¹⁾ again, with the 1 appended at the end")

wrong_cell("01-z2", "z2_summed_down_the_columns", "forward", None, """
z2 = (Theta[1] * a1).sum(axis=0)
""", "entry by entry, then the sum over the wrong axis: one number per column of Θ⁽¹⁾, not per row")

wrong_cell("01-z2", "z2_with_g", "forward", "g_applied_to_z", """
z2 = g(Theta[1] @ a1)
""", "applies g already: that is a⁽²⁾ without its bias unit, not z⁽²⁾")

wrong_cell("01-z2", "z2_bias_weight_twice", "forward", None, """
z2 = Theta[1][:, 0] + Theta[1] @ a1
""", "Θᵢ₀ + Σⱼ Θᵢⱼaⱼ from the hint, but with a1, which brings the bias unit already: Θᵢ₀ counts twice")


# ==== 01-forward: forward(Theta, x) for any depth ==================================================

@right("01-forward", "recursive: one layer, then the rest of the network on the result")
def forward_recursive(Theta, x, l=1):
    if l not in Theta:
        return x
    return forward_recursive(Theta, g(Theta[l] @ np.insert(x, 0, 1.0)), l + 1)


@right("01-forward", "x as a batch of one row, Z = A(Θ)ᵀ as in section 8, flattened at the end")
def forward_one_row_batch(Theta, x):
    A = np.atleast_2d(np.asarray(x, dtype=float))
    for l in sorted(Theta):
        A = g(np.hstack([np.ones((A.shape[0], 1)), A]) @ Theta[l].T)
    return A.ravel()


@wrong("01-forward", "forward", None,
       "range(1, len(Theta)) stops one layer early: it returns a⁽ᴸ⁻¹⁾ without its bias unit")
def forward_stops_early(Theta, x):
    a = np.asarray(x, dtype=float)
    for l in range(1, len(Theta)):
        a = g(Theta[l] @ np.concatenate(([1.0], a)))
    return a


@wrong("01-forward", "forward", "no_sigmoid_at_output",
       "g in the loop over the hidden layers, and the output layer's z returned as it is")
def forward_returns_z(Theta, x):
    a = np.asarray(x, dtype=float)
    L = len(Theta) + 1
    for l in range(1, L - 1):
        a = g(Theta[l] @ np.concatenate(([1.0], a)))
    return Theta[L - 1] @ np.concatenate(([1.0], a))


@wrong("01-forward", "forward", "bias_unit_last", "the bias unit appended at the end of every layer")
def forward_bias_last(Theta, x):
    a = x
    for l in range(1, len(Theta) + 1):
        a = g(Theta[l] @ np.append(a, 1.0))
    return a


@wrong("01-forward", "forward", None,
       "the lecture's three matrices written into the loop: fails on the 3- and 5-layer networks")
def forward_three_matrices(Theta, x):
    a = x
    for l in (1, 2, 3):
        a = g(Theta[l] @ np.concatenate(([1.0], a)))
    return a


@wrong("01-forward", "forward", "bias_unit_missing",
       "a₀ = 1 put in front of x once, before the loop, and never for the hidden layers")
def forward_bias_only_on_input(Theta, x):
    a = np.concatenate(([1.0], x))
    for l in range(1, len(Theta) + 1):
        a = g(Theta[l] @ a)
    return a


@wrong("01-forward", "package", "package_call", "nb.forward_propagate, which section 5 showed")
def forward_from_package(Theta, x):
    return nb.forward_propagate(Theta, x).h


# ==== 02-j-unreg: J(Θ) without regularization, in one line ==========================================

right_cell("02-j-unreg", "j_mean_of_example_costs", """
J_unreg = -np.mean(np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H), axis=1))
""", "each example's cost c⁽ⁱ⁾ as a row sum, then the mean over the m rows")

right_cell("02-j-unreg", "j_trace", """
J_unreg = -np.trace(Y.T @ np.log(H) + (1 - Y).T @ np.log(1 - H)) / m
""", "the double sum as the trace of a matrix product")

right_cell("02-j-unreg", "j_labels_pick_the_log", """
J_unreg = -(np.log(H[Y == 1]).sum() + np.log(1 - H[Y == 0]).sum()) / m
""", "section 3's 'one logarithm survives': log h where y = 1, log(1 − h) where y = 0 (Y is "
           "one-hot, so every label is 0 or 1)")

wrong_cell("02-j-unreg", "j_no_minus", "cost", "cost_sign", """
J_unreg = np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m
""", "the minus in front of the sum left out")

wrong_cell("02-j-unreg", "j_np_mean", "cost", "cost_over_mK", """
J_unreg = -np.mean(Y * np.log(H) + (1 - Y) * np.log(1 - H))
""", "np.mean for 'the average', which divides by m·K")

wrong_cell("02-j-unreg", "j_no_average", "cost", "cost_missing_1_over_m", """
J_unreg = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H))
""", "the double sum without the 1/m")

wrong_cell("02-j-unreg", "j_first_term_only", "cost", "cost_second_term_missing", """
J_unreg = -np.sum(Y * np.log(H)) / m
""", "only y log h, as in the cross-entropy the student knew")

wrong_cell("02-j-unreg", "j_nb_cost", "package", "package_call", """
J_unreg = nb.cost(Theta, X, Y)
""", "nb.cost, which the next cells compare with")

wrong_cell("02-j-unreg", "j_lowercase_h", "cost", None, """
J_unreg = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m
""", "h for H: h is section 3's 400 plotting points, so numpy cannot broadcast (3, 4) with (400,)")


# ==== 02-reg: the regularization term ===============================================================

right_cell("02-reg", "reg_norms", """
reg = lam / 2 / m * sum(np.linalg.norm(T[:, 1:]) ** 2 for T in Theta.values())
""", "the sum of squares of a matrix as its (Frobenius) norm squared")

right_cell("02-reg", "reg_per_layer", """
reg = sum(lam * np.sum(np.square(Theta[l][:, 1:])) / (2 * m) for l in Theta)
""", "the whole term per layer, then added up over the layers")

right_cell("02-reg", "reg_row_loops", """
squares = 0.0
for l in Theta:
    for row in Theta[l]:
        squares += np.dot(row[1:], row[1:])
reg = lam * squares / (2 * m)
""", "the three sums as loops: layers, rows i, and the columns j ≥ 1 as a dot product")

wrong_cell("02-reg", "reg_without_lambda", "regularization", "lambda_missing", """
reg = sum(np.sum(T[:, 1:] ** 2) for T in Theta.values()) / (2 * m)
""", "λ forgotten; the check today passes it, as it uses λ = 1")

wrong_cell("02-reg", "reg_with_bias_column", "regularization", "bias_regularized", """
reg = lam / (2 * m) * sum(np.sum(T ** 2) for T in Theta.values())
""", "every weight squared, the bias column included")

wrong_cell("02-reg", "reg_lambda_over_m", "regularization", "lambda_over_m", """
reg = lam / m * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())
""", "λ/m, the factor of the gradient, instead of the cost's λ/(2m)")

wrong_cell("02-reg", "reg_not_over_m", "regularization", "regularization_not_over_m", """
reg = lam / 2 * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())
""", "λ/2, 'the usual half', without the m")

wrong_cell("02-reg", "reg_nb_regularization_cost", "package", "package_call", """
reg = nb.regularization_cost(Theta, m, lam)
""", "nb.regularization_cost, found in the package's index")

wrong_cell("02-reg", "reg_difference_of_costs", "package", "package_call", """
reg = nb.cost(Theta, X, Y, lam) - nb.cost(Theta, X, Y)
""", "the cost with λ minus the cost without: the package computes the term")


# ==== 03-deltas: every δ⁽ˡ⁾ of one example ========================================================

@right("03-deltas", "the Octave habit: the whole product with a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) over a⁽ˡ⁾'s bias "
       "unit, then δ₀ dropped at the end of the step")
def deltas_drop_delta0_after(Theta, a, z, y):
    L = max(a)
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        with_bias = (Theta[l].T @ delta[l + 1]) * a[l] * (1 - a[l])
        delta[l] = with_bias[1:]
    return delta


@right("03-deltas", "a while loop going down, δ⁽ˡ⁺¹⁾ as a row times Θ⁽ˡ⁾ without column 0, g′ from a")
def deltas_while_loop(Theta, a, z, y):
    l = len(Theta) + 1
    delta = {l: a[l] - y}
    while l > 2:
        l -= 1
        s = a[l][1:]
        delta[l] = np.dot(delta[l + 1], Theta[l][:, 1:]) * s * (1 - s)
    return delta


@wrong("03-deltas", "hidden_delta", "delta0_kept",
       "every column of Θ⁽ˡ⁾ kept, in a dict named d: numpy stops at .* g′(z⁽ˡ⁾). The check today "
       "reads the name d and calls it a missing bias unit")
def deltas_named_d_keeps_delta0(Theta, a, z, y):
    L = len(Theta) + 1
    d = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1]) * nb.sigmoid_gradient(z[l])
    return d


@wrong("03-deltas", "hidden_delta", "g_prime_at_a", "nb.sigmoid_gradient of the activations")
def deltas_g_prime_of_a(Theta, a, z, y):
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(a[l][1:])
    return delta


@wrong("03-deltas", "output_delta", "delta_L_sign", "'the error is target minus output': y − a⁽ᴸ⁾")
def deltas_target_minus_output(Theta, a, z, y):
    L = len(Theta) + 1
    delta = {L: y - a[L]}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
    return delta


@wrong("03-deltas", "inputs", "inputs_mutated",
       "strips the bias units from the caller's dict a first (a[l] = a[l][1:]); the δ are right")
def deltas_strips_bias_from_a(Theta, a, z, y):
    L = len(Theta) + 1
    for l in range(2, L):
        a[l] = a[l][1:]
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = Theta[l][:, 1:].T @ delta[l + 1] * a[l] * (1 - a[l])
    return delta


@wrong("03-deltas", "hidden_delta", "theta_not_transposed",
       "Θ⁽ˡ⁾ without its bias column but not transposed: stops where sₗ ≠ s₍ₗ₊₁₎")
def deltas_theta_not_transposed(Theta, a, z, y):
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:] @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
    return delta


@wrong("03-deltas", "package", "package_call",
       "nb.backprop_example on x = a⁽¹⁾ without its bias unit, which notebook 00 showed")
def deltas_from_package(Theta, a, z, y):
    return nb.backprop_example(Theta, a[1][1:], y).delta


# ==== 04-accumulate: the loop over the m examples ==================================================

right_cell("04-accumulate", "Delta_comprehension", """
shares = [nb.backprop_example(Theta, x, y) for x, y in zip(X, Y, strict=True)]
Delta = {l: sum(np.outer(b.delta[l + 1], b.a[l]) for b in shares) for l in Theta}
""", "steps 1–4 for every example first, then each Δ⁽ˡ⁾ as one sum")

right_cell("04-accumulate", "Delta_broadcast_reversed", """
Delta = {l: np.zeros(Theta[l].shape) for l in Theta}
for x, y in zip(X[::-1], Y[::-1], strict=True):
    b = nb.backprop_example(Theta, x, y)
    for l in Delta:
        Delta[l] = Delta[l] + b.delta[l + 1][:, None] * b.a[l][None, :]
""", "the outer product as a column times a row by broadcasting, examples from last to first")

right_cell("04-accumulate", "Delta_einsum_get", """
Delta = {}
for i in range(m):
    bp_i = nb.backprop_example(Theta, X[i], Y[i])
    for l in Theta:
        Delta[l] = Delta.get(l, 0) + np.einsum("i,j->ij", bp_i.delta[l + 1], bp_i.a[l])
""", "no zeros to start with: Delta.get(l, 0) starts each sum, einsum for δᵢaⱼ")

wrong_cell("04-accumulate", "Delta_overwritten", "accumulate", "delta_overwritten", """
Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
for i in range(m):
    bp_i = nb.backprop_example(Theta, X[i], Y[i])
    for l in Delta:
        Delta[l] = np.outer(bp_i.delta[l + 1], bp_i.a[l])
""", "= where the lecture's := means 'add to': only the last example's share is left")

wrong_cell("04-accumulate", "Delta_outer_lecture_order", "accumulate", "outer_transposed", """
Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
for i in range(m):
    bp_i = nb.backprop_example(Theta, X[i], Y[i])
    for l in Delta:
        Delta[l] += np.outer(bp_i.a[l], bp_i.delta[l + 1])
""", "a⁽ˡ⁾ⱼδ⁽ˡ⁺¹⁾ᵢ read left to right: the share is transposed and numpy refuses the +=")

wrong_cell("04-accumulate", "Delta_skips_layer_1", "accumulate", "layer_skipped", """
Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
for i in range(m):
    bp_i = nb.backprop_example(Theta, X[i], Y[i])
    for l in range(2, L):
        Delta[l] += np.outer(bp_i.delta[l + 1], bp_i.a[l])
""", "range(2, L) remembered from 'there is no δ⁽¹⁾': Δ⁽¹⁾ stays zero")

wrong_cell("04-accumulate", "Delta_reuses_bp", "accumulate", None, """
Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
for i in range(m):
    for l in Delta:
        Delta[l] += np.outer(bp.delta[l + 1], bp.a[l])
""", "loops over the examples but uses bp, example 1's pass from section 1, every time")

wrong_cell("04-accumulate", "Delta_nb_accumulate", "package", "package_call", """
Delta = nb.accumulate(Theta, X, Y)
""", "nb.accumulate, which the text under the check mentions")

wrong_cell("04-accumulate", "Delta_from_nb_backprop", "package", "package_call", """
Delta = dict(nb.backprop(Theta, X, Y).Delta)
""", "the accumulators nb.backprop keeps as .Delta")

wrong_cell("04-accumulate", "Delta_same_layer_delta", "accumulate", None, """
Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
for i in range(m):
    bp_i = nb.backprop_example(Theta, X[i], Y[i])
    for l in Delta:
        Delta[l] += np.outer(bp_i.delta[l], bp_i.a[l])
""", "δ⁽ˡ⁾ with a⁽ˡ⁾, 'same layer': there is no δ⁽¹⁾, so the cell stops with a KeyError")


# ==== 05-d-from-accumulators: D⁽ˡ⁾ from one layer's Δ⁽ˡ⁾ ========================================

@right("05-d-from-accumulators", "the bias column and the others built apart, then put side by side")
def d_side_by_side(Delta_l, Theta_l, m, lam):
    return np.hstack([Delta_l[:, :1] / m, (Delta_l[:, 1:] + lam * Theta_l[:, 1:]) / m])


@right("05-d-from-accumulators", "a 0/1 mask of the columns j ≠ 0 multiplies Θ")
def d_column_mask(Delta_l, Theta_l, m, lam):
    return (Delta_l + lam * Theta_l * (np.arange(Theta_l.shape[1]) > 0)) / m


@right("05-d-from-accumulators", "a copy of Θ⁽ˡ⁾ with its bias column zeroed, as the notebook advises")
def d_zeroed_copy(Delta_l, Theta_l, m, lam):
    reg = Theta_l.copy()
    reg[:, 0] = 0
    return Delta_l / m + (lam / m) * reg


@wrong("05-d-from-accumulators", "inputs", "inputs_mutated",
       "D_l = Delta_l then D_l /= m: 'D_l is a new name', but it is the caller's array; D is right")
def d_divides_in_place(Delta_l, Theta_l, m, lam):
    D_l = Delta_l
    D_l /= m
    D_l[:, 1:] += lam / m * Theta_l[:, 1:]
    return D_l


@wrong("05-d-from-accumulators", "d_terms", "bias_regularized", "(λ/m)Θ added to every column")
def d_regularizes_bias(Delta_l, Theta_l, m, lam):
    return Delta_l / m + lam / m * Theta_l


@wrong("05-d-from-accumulators", "d_terms", "lambda_not_over_m", "λΘ as the lecture prints it")
def d_printed_lambda(Delta_l, Theta_l, m, lam):
    D_l = Delta_l / m
    D_l[:, 1:] += lam * Theta_l[:, 1:]
    return D_l


@wrong("05-d-from-accumulators", "d_terms", "regularization_sign", "the regularization subtracted")
def d_subtracts(Delta_l, Theta_l, m, lam):
    D_l = Delta_l / m
    D_l[:, 1:] -= lam / m * Theta_l[:, 1:]
    return D_l


@wrong("05-d-from-accumulators", "d_terms", "missing_1_over_m",
       "a copy of Δ⁽ˡ⁾ plus (λ/m)Θ: the 1/m in front of Δ forgotten")
def d_forgets_average(Delta_l, Theta_l, m, lam):
    D_l = Delta_l.copy()
    D_l[:, 1:] += lam / m * Theta_l[:, 1:]
    return D_l


@wrong("05-d-from-accumulators", "d_terms", None,
       "[1:] on both sides, rows where columns were meant: row 0 is left out, column 0 is not")
def d_rows_for_columns(Delta_l, Theta_l, m, lam):
    D_l = Delta_l / m
    D_l[1:] += lam / m * Theta_l[1:]
    return D_l


@wrong("05-d-from-accumulators", "d_terms", None,
       "[:, 1:] on the left, [1:] on the right: numpy cannot broadcast the two slices")
def d_mixed_slices(Delta_l, Theta_l, m, lam):
    D_l = Delta_l / m
    D_l[:, 1:] += lam / m * Theta_l[1:]
    return D_l


# ==== 05-predicted-change: −α ΣD² ==================================================================

right_cell("05-predicted-change", "predicted_change_one_vector", """
v = np.concatenate([D_step[l].ravel() for l in D_step])
predicted_change = -ALPHA * (v @ v)
""", "every entry of D in one vector: slope times movement is −α·(v · v)")

right_cell("05-predicted-change", "predicted_change_slope_times_move", """
predicted_change = sum(np.sum(D_step[l] * (-ALPHA * D_step[l])) for l in D_step)
""", "the formula as written: each slope D times its move −αD, summed")

right_cell("05-predicted-change", "predicted_change_norms", """
predicted_change = -ALPHA * sum(np.linalg.norm(D_l) ** 2 for D_l in D_step.values())
""", "ΣD² of a layer as its norm squared")

wrong_cell("05-predicted-change", "predicted_change_is_real_change", ("gradient_descent", "method"),
           None, """
predicted_change = J_after - J_before
""", "the real change of the cell above, not the first-order prediction: wrong numbers (the "
           "gradient_descent step) by the method the spec calls `method`, so either step")

wrong_cell("05-predicted-change", "predicted_change_no_minus", "gradient_descent", "step_sign", """
predicted_change = ALPHA * sum(np.sum(D_step[l] ** 2) for l in D_step)
""", "forgets that the step goes against D")

wrong_cell("05-predicted-change", "predicted_change_no_alpha", "gradient_descent",
           "alpha_missing", """
predicted_change = -sum(np.sum(D_step[l] ** 2) for l in D_step)
""", "the slopes squared, but the move is αD, not D")

wrong_cell("05-predicted-change", "predicted_change_not_squared", "gradient_descent",
           "not_squared", """
predicted_change = -ALPHA * sum(np.sum(D_step[l]) for l in D_step)
""", "the sum of D's entries, not of their squares")


# ==== 06-two-sided-difference: one entry of ∂J/∂Θ from J alone ==================================

@right("06-two-sided-difference", "copy.deepcopy of the whole dict for each point")
def tsd_deepcopy(J, Theta, l, row, col, epsilon=1e-4):
    plus, minus = copy.deepcopy(Theta), copy.deepcopy(Theta)
    plus[l][row, col] += epsilon
    minus[l][row, col] -= epsilon
    return (J(plus) - J(minus)) / (2 * epsilon)


@right("06-two-sided-difference", "the formula's E⁽ˡ⁾ᵢⱼ built as a dict of zeros with ε at (row, col)")
def tsd_unit_matrix(J, Theta, l, row, col, epsilon=1e-4):
    E = {k: np.zeros_like(T) for k, T in Theta.items()}
    E[l][row, col] = epsilon
    plus = {k: Theta[k] + E[k] for k in Theta}
    minus = {k: Theta[k] - E[k] for k in Theta}
    return (J(plus) - J(minus)) / (2 * epsilon)


@wrong("06-two-sided-difference", "gradient_check", "one_sided_difference",
       "one new point only, (J(Θ + εE) − J(Θ))/ε, 'half the work'")
def tsd_one_sided(J, Theta, l, row, col, epsilon=1e-4):
    plus = {k: T.copy() for k, T in Theta.items()}
    plus[l][row, col] += epsilon
    return (J(plus) - J(Theta)) / epsilon


@wrong("06-two-sided-difference", "gradient_check", "epsilon_not_doubled",
       "both points, but divided by ε: 'the step is ε'")
def tsd_divides_by_epsilon(J, Theta, l, row, col, epsilon=1e-4):
    plus = {k: T.copy() for k, T in Theta.items()}
    minus = {k: T.copy() for k, T in Theta.items()}
    plus[l][row, col] += epsilon
    minus[l][row, col] -= epsilon
    return (J(plus) - J(minus)) / epsilon


@wrong("06-two-sided-difference", ("inputs", "gradient_check"), ("inputs_mutated", "theta_not_restored"),
       "moves the caller's weight up, then down by 2ε, and never puts it back: the estimate is "
       "right, Θ is left ε too low. The spec lists theta_not_restored / inputs_mutated for this")
def tsd_not_restored(J, Theta, l, row, col, epsilon=1e-4):
    Theta[l][row, col] += epsilon
    up = J(Theta)
    Theta[l][row, col] -= 2 * epsilon
    down = J(Theta)
    return (up - down) / (2 * epsilon)


@wrong("06-two-sided-difference", "gradient_check", None,
       "one copy, moved up by ε and then back down by ε (not to −ε): the 'minus' point is Θ itself")
def tsd_back_to_start(J, Theta, l, row, col, epsilon=1e-4):
    T = {k: W.copy() for k, W in Theta.items()}
    T[l][row, col] += epsilon
    J_plus = J(T)
    T[l][row, col] -= epsilon
    J_minus = J(T)
    return (J_plus - J_minus) / (2 * epsilon)


@wrong("06-two-sided-difference", "package", "package_call",
       "nb.numerical_gradient of every weight, then the one entry asked for")
def tsd_numerical_gradient(J, Theta, l, row, col, epsilon=1e-4):
    return nb.numerical_gradient(J, Theta, epsilon)[l][row, col]


@wrong("06-two-sided-difference", "package", "package_call",
       "the analytic D from nb.backprop on the notebook's X, Y and λ: what the check compares with")
def tsd_backprop_entry(J, Theta, l, row, col, epsilon=1e-4):
    return nb.backprop(Theta, X, Y, lam)[l][row, col]


@wrong("06-two-sided-difference", "method", None,
       "returns the entry of the notebook's D (cell 3): an analytic gradient, J never evaluated")
def tsd_returns_notebook_D(J, Theta, l, row, col, epsilon=1e-4):
    return D[l][row, col]


# ==== 07-gradient-descent: Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − αD⁽ˡ⁾ ==================================================

@right("07-gradient-descent", "a new dict every step from a comprehension; the start is a deep copy")
def gd_comprehension(Theta, X, Y, lam, alpha, iterations):
    Theta = copy.deepcopy(Theta)
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        Theta = {l: T - alpha * D[l] for l, T in Theta.items()}
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


@right("07-gradient-descent", "records J at the top of every pass of a while loop and stops after "
       "the last one; updates its own float copies in place")
def gd_while_loop(Theta, X, Y, lam, alpha, iterations):
    T = {l: np.array(W, dtype=float) for l, W in Theta.items()}
    costs = []
    step = 0
    while True:
        costs.append(nb.cost(T, X, Y, lam))
        if step == iterations:
            return T, costs
        D = nb.backprop(T, X, Y, lam)
        for l in T:
            T[l] -= alpha * D[l]
        step += 1


@wrong("07-gradient-descent", "inputs", "inputs_mutated",
       "Theta[l] -= αD on the caller's own arrays: the trained Θ is right, the start is lost")
def gd_updates_callers_theta(Theta, X, Y, lam, alpha, iterations):
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] -= alpha * D[l]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


@wrong("07-gradient-descent", "gradient_descent", "gradient_ascent", "+αD: 'move along the gradient'")
def gd_climbs(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        Theta = {l: Theta[l] + alpha * D[l] for l in Theta}
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


@wrong("07-gradient-descent", "gradient_descent", "gradient_not_recomputed",
       "D computed once, before the loop, and reused at every step (right for one step only)")
def gd_one_gradient(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    D = nb.backprop(Theta, X, Y, lam)
    for _ in range(iterations):
        Theta = {l: Theta[l] - alpha * D[l] for l in Theta}
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


@wrong("07-gradient-descent", "gradient_descent", "lambda_not_passed",
       "nb.backprop(Theta, X, Y) without λ: D has no regularization part (right for λ = 0 only)")
def gd_gradient_without_lambda(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y)
        Theta = {l: Theta[l] - alpha * D[l] for l in Theta}
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


@wrong("07-gradient-descent", "package", "package_call",
       "nb.train with method='gradient-descent', which section 2 used")
def gd_nb_train(Theta, X, Y, lam, alpha, iterations):
    result = nb.train(Theta, X, Y, lam, method="gradient-descent", learning_rate=alpha,
                      max_iter=iterations)
    return result.Theta, result.costs


# ==== 07-predicted: the predicted digit of every test example =====================================

right_cell("07-predicted", "predicted_method_call", """
predicted = h_test.argmax(axis=-1)
""", "the array's own argmax over the last axis")

right_cell("07-predicted", "predicted_list_index", """
predicted = np.array([list(row).index(max(row)) for row in h_test])
""", "plain Python: where the largest output of each row is")

right_cell("07-predicted", "predicted_argsort", """
predicted = np.argsort(h_test, axis=1)[:, -1]
""", "sorts each row and takes the position of the largest")

wrong_cell("07-predicted", "predicted_no_axis", "predict", None, """
predicted = np.argmax(h_test)
""", "np.argmax without axis: one index into the flattened matrix")

wrong_cell("07-predicted", "predicted_plus_one", "predict", "digit_plus_one", """
predicted = np.argmax(h_test, axis=1) + 1
""", "'output unit k means digit k', counting units from 1")

wrong_cell("07-predicted", "predicted_axis_0", "predict", None, """
predicted = np.argmax(h_test, axis=0)
""", "axis=0: the test digit that each output unit likes best")

wrong_cell("07-predicted", "predicted_axis_2", "predict", None, """
predicted = np.argmax(h_test, axis=2)
""", "axis=2 of a matrix: numpy raises an AxisError")

wrong_cell("07-predicted", "predicted_nb_predict", "package", "package_call", """
predicted = nb.predict(lbfgs.Theta, digits.X_test)
""", "nb.predict on the trained network")


# ==== 08-stacked-backward: δ⁽ˡ⁾ and Δ⁽ˡ⁾ of all examples at once ================================

@right("08-stacked-backward", "einsum for both products, g′ from the stored activations A⁽ˡ⁾")
def sb_einsum(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        G = A[l][:, 1:]
        delta[l] = np.einsum("mi,ij->mj", delta[l + 1], Theta[l][:, 1:]) * G * (1 - G)
    Delta = {l: np.einsum("mi,mj->ij", delta[l + 1], A[l]) for l in range(1, L)}
    return delta, Delta


@right("08-stacked-backward", "written with the lecture's column form and transposed back: "
       "((Θ⁽ˡ⁾)ᵀ(δ⁽ˡ⁺¹⁾)ᵀ)ᵀ and ((A⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾)ᵀ")
def sb_column_form_transposed(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1].T).T * nb.sigmoid_gradient(Z[l])
    Delta = {}
    for l in range(1, L):
        Delta[l] = (A[l].T @ delta[l + 1]).T
    return delta, Delta


@wrong("08-stacked-backward", "method", "loop_over_examples",
       "the δ rows filled one example at a time and Δ as a sum over the rows: the numbers are "
       "right, the matrix form is not there")
def sb_loop_over_examples(Theta, A, Z, Y):
    L = len(Theta) + 1
    m = Y.shape[0]
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = np.zeros((m, Theta[l].shape[1] - 1))
        for i in range(m):
            delta[l][i] = (Theta[l][:, 1:].T @ delta[l + 1][i]) * nb.sigmoid_gradient(Z[l][i])
    Delta = {l: sum(np.outer(delta[l + 1][i], A[l][i]) for i in range(m)) for l in range(1, L)}
    return delta, Delta


@wrong("08-stacked-backward", "accumulate", "outer_transposed",
       "Δ⁽ˡ⁾ = (A⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾: the factors in the wrong order, Δ comes out transposed")
def sb_transposed_Delta(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    Delta = {l: A[l].T @ delta[l + 1] for l in range(1, L)}
    return delta, Delta


@wrong("08-stacked-backward", "hidden_delta", "g_prime_at_a", "nb.sigmoid_gradient of A⁽ˡ⁾'s columns 1…")
def sb_g_prime_of_A(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(A[l][:, 1:])
    Delta = {l: delta[l + 1].T @ A[l] for l in range(1, L)}
    return delta, Delta


@wrong("08-stacked-backward", "hidden_delta", "delta0_kept",
       "δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾ with Θ's bias column: one column too many for g′(Z⁽ˡ⁾), numpy stops")
def sb_keeps_delta0(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l]) * nb.sigmoid_gradient(Z[l])
    Delta = {l: delta[l + 1].T @ A[l] for l in range(1, L)}
    return delta, Delta


@wrong("08-stacked-backward", "accumulate", None,
       "Δ⁽ˡ⁾ divided by m 'to average': that is D's first part, not the accumulator")
def sb_averages_Delta(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    Delta = {l: delta[l + 1].T @ A[l] / len(Y) for l in range(1, L)}
    return delta, Delta


@wrong("08-stacked-backward", "package", "package_call",
       "the stacked δ are the student's own, Δ from nb.accumulate on X = A⁽¹⁾ without its ones")
def sb_Delta_from_package(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    return delta, dict(nb.accumulate(Theta, A[1][:, 1:], Y))


# ==== 09-delta-l-squared: δ⁽ᴸ⁾ of the squared error ==============================================

right_cell("09-delta-l-squared", "delta_L_squared_from_z", """
delta_L_squared = (h - y) * nb.sigmoid_gradient(z)
""", "∂c/∂h times g′(z⁽ᴸ⁾) taken at z, which section 1 defines; the same numbers as h(1 − h)")

right_cell("09-delta-l-squared", "delta_L_squared_multiply", """
delta_L_squared = np.multiply(h - y, h - h ** 2)
""", "h(1 − h) expanded to h − h²")

right_cell("09-delta-l-squared", "delta_L_squared_minus_minus", """
delta_L_squared = -(y - h) * h * (1 - h)
""", "∂c/∂h as −(y − h), the derivative of ½(y − h)² taken the long way")

wrong_cell("09-delta-l-squared", "delta_L_squared_logistic", "output_delta",
           "g_prime_missing", """
delta_L_squared = h - y
""", "∂c/∂h only: expects g′ to cancel as with the logistic cost")

wrong_cell("09-delta-l-squared", "delta_L_squared_sign", "output_delta", "delta_L_sign", """
delta_L_squared = (y - h) * h * (1 - h)
""", "(y − h), the sign of the error 'target minus output'")

wrong_cell("09-delta-l-squared", "delta_L_squared_g_prime_of_h", "output_delta", "g_prime_at_a", """
delta_L_squared = (h - y) * nb.sigmoid_gradient(h)
""", "g′ given h = a⁽ᴸ⁾ instead of z⁽ᴸ⁾, the same mistake as g′(a⁽ˡ⁾) in a hidden layer")

wrong_cell("09-delta-l-squared", "delta_L_squared_half_slope", "output_delta",
           "g_prime_without_h", """
delta_L_squared = (h - y) * (1 - h)
""", "the slope h(1 − h) remembered as (1 − h)")

wrong_cell("09-delta-l-squared", "delta_L_squared_the_cost", "output_delta", None, """
delta_L_squared = 0.5 * (h - y) ** 2
""", "the squared error c itself, entry by entry, instead of its derivative")

wrong_cell("09-delta-l-squared", "delta_L_squared_from_package", "package", "package_call", """
delta_L_squared = nb.backprop_example(Theta, x, y, loss="squared").delta[L]
""", "nb.backprop_example with loss='squared', from the notebook's introduction")


# ==== 09-relu-gradient: g′ of max(0, z) ==========================================================

@right("09-relu-gradient", "numpy's Heaviside step with the value 0 at the kink")
def relu_heaviside(z):
    return np.heaviside(z, 0.0)


@right("09-relu-gradient", "np.where with float 1.0 and 0.0")
def relu_where(z):
    return np.where(z > 0, 1.0, 0.0)


@right("09-relu-gradient", "(sign(z) + 1) // 2: −1, 0, 1 become 0, 0, 1")
def relu_from_sign(z):
    return (np.sign(z) + 1) // 2


@wrong("09-relu-gradient", "g_prime", "relu_gradient_at_zero", "z ≥ 0, so g′(0) = 1")
def relu_at_zero_is_one(z):
    return (z >= 0).astype(float)


@wrong("09-relu-gradient", "g_prime", "relu_instead_of_gradient", "ReLU itself, max(0, z)")
def relu_itself(z):
    return np.maximum(z, 0.0)


@wrong("09-relu-gradient", "inputs", "inputs_mutated",
       "overwrites the caller's z with the slopes, in place; the values returned are right")
def relu_overwrites_z(z):
    z[z > 0] = 1.0
    z[z <= 0] = 0.0
    return z


@wrong("09-relu-gradient", "g_prime", None,
       "a Python if on the whole array: 'the truth value of an array is ambiguous'")
def relu_python_if(z):
    if z > 0:
        return 1.0
    return 0.0


@wrong("09-relu-gradient", "package", "package_call", "nb.relu_gradient, seen in the figure's code")
def relu_from_package(z):
    return nb.relu_gradient(z)
