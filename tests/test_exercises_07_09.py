"""The checks of notebooks 07–09, fed student-style answers: the right one passes, each wrong one
gets a verdict that names its mistake, and no student code makes a check raise."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course import feedback
from nbhelpers.course.exercises import nb07, nb08, nb09
from nbhelpers.course.hints import hint_text

# ---------------------------------------------------------------- 07: the gradient-descent loop


def gd_right(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] = Theta[l] - alpha * D[l]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_plus(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] = Theta[l] + alpha * D[l]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_no_alpha(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] = Theta[l] - D[l]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_gradient_once(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    D = nb.backprop(Theta, X, Y, lam)
    for _ in range(iterations):
        for l in Theta:
            Theta[l] = Theta[l] - alpha * D[l]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_first_layer_only(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        Theta[1] = Theta[1] - alpha * D[1]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_no_bias(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l][:, 1:] = Theta[l][:, 1:] - alpha * D[l][:, 1:]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_in_place(Theta, X, Y, lam, alpha, iterations):
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] -= alpha * D[l]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_extra_step(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations + 1):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] = Theta[l] - alpha * D[l]
    return Theta, costs


def gd_costs_after_only(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = []
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] = Theta[l] - alpha * D[l]
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def gd_zero_based(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        Theta = {l: Theta[l] - alpha * D[l] for l in Theta}
        costs.append(nb.cost(Theta, X, Y, lam))
    return [Theta[l] for l in Theta], costs


def gd_only_theta(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        Theta = {l: Theta[l] - alpha * D[l] for l in Theta}
    return Theta


def gd_key_error(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in range(len(Theta)):
            Theta[l] = Theta[l] - alpha * D[l]
    return Theta, costs


def gd_matmul(Theta, X, Y, lam, alpha, iterations):
    Theta = {l: T.copy() for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        for l in Theta:
            Theta[l] = Theta[l] - alpha * D[l] @ Theta[l]
    return Theta, costs


def gd_calls_train(Theta, X, Y, lam, alpha, iterations):
    result = nb.train(Theta, X, Y, lam, method="gradient-descent", learning_rate=alpha,
                      max_iter=iterations)
    return result.Theta, result.costs


def gd_not_written(Theta, X, Y, lam, alpha, iterations):
    raise NotImplementedError("write the body of gradient_descent")


def _gd(function):
    return feedback.diagnose(nb07.GD, function)


def test_07_right_loop_passes() -> None:
    verdict = _gd(gd_right)
    assert verdict.passed and verdict.value is gd_right
    assert verdict.message.startswith("✔ gradient_descent is correct on all 4 problems")


def test_07_probes_have_three_depths_lambda_zero_and_one_step() -> None:
    probes = nb07.gd_probes(None, None)
    assert {len(p.args()[0]) + 1 for p in probes} == {3, 4}
    assert {p.args()[3] for p in probes} >= {0.0, 0.3, 1.0} and 1 in {p.args()[5] for p in probes}


@pytest.mark.parametrize(("function", "step", "mistake", "said"), [
    (gd_plus, "gradient_descent", "gradient_ascent", "+αD where −αD belongs"),
    (gd_no_alpha, "gradient_descent", "alpha_missing", "the learning rate α left out"),
    (gd_gradient_once, "gradient_descent", "gradient_not_recomputed", "D computed once"),
    (gd_first_layer_only, "gradient_descent", None, "Θ⁽²⁾, Θ⁽³⁾ did not change: the update must"),
    (gd_no_bias, "gradient_descent", "bias_not_updated", "the bias column left out of the update"),
    (gd_in_place, "inputs", "inputs_mutated", "changes Theta[1] in place"),
    (gd_extra_step, "gradient_descent", "iterations_off_by_one", "one step too many or too few"),
    (gd_costs_after_only, "gradient_descent", None, "costs misses its first entry"),
    (gd_zero_based, "return", "wrong_return", "return a dict keyed by the layer numbers"),
    (gd_only_theta, "return", "wrong_return", "it must return two things"),
    (gd_key_error, "gradient_descent", None, "stopped with KeyError"),
    (gd_matmul, "gradient_descent", None, "stopped with ValueError"),
    (gd_calls_train, "package", "package_call", "calls nb.train from the package"),
])
def test_07_wrong_loop_is_located_and_named(function, step, mistake, said) -> None:
    verdict = _gd(function)
    assert (verdict.passed, verdict.step, verdict.mistake) == (False, step, mistake)
    assert said in verdict.message, verdict.message


def test_07_not_written() -> None:
    for function in (gd_not_written, ..., None):
        verdict = _gd(function)
        assert verdict.not_written and verdict.message.startswith(
            "… gradient_descent is not written yet")


def test_07_exception_quotes_the_failing_line() -> None:
    out = _gd(gd_key_error).message
    assert "`Theta[l] = Theta[l] - alpha * D[l]`" in out
    assert "there is no key 0 in that dict" in out and "keyed by the layer numbers 1, 2, 3" in out


def test_07_reference_is_what_nb_train_does() -> None:
    p = nb.lecture_network(m=4)
    Theta, costs = nb07.reference_gradient_descent(p.Theta, p.X, p.Y, 1.0, 0.5, 6)
    trained = nb.train(p.Theta, p.X, p.Y, 1.0, method="gradient-descent", learning_rate=0.5,
                       max_iter=6)
    assert nb07.compare_runs(Theta, costs, trained.Theta, trained.costs) < 1e-12


# ---------------------------------------------------------------- 07: the predicted digits
# (tests/corpus holds more answers; the shell tests below run the check cell as notebook 07 does)

SHELL_07 = """
from types import SimpleNamespace
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb07
X_test = np.random.default_rng(5).uniform(0, 1, size=(30, 64))
lbfgs = SimpleNamespace(Theta=nb.init_weights([64, 25, 10], rng=0))
digits = SimpleNamespace(X_test=X_test, labels_test=np.arange(30) % 10)
h_test = nb.forward_propagate(lbfgs.Theta, digits.X_test).h
K = 10
"""


@pytest.fixture
def shell_07(notebook_shell):
    """A real IPython shell set up as notebook 07 is when its predictions exercise comes."""
    return notebook_shell(SHELL_07)


def _run(sh, *cells):
    for cell in cells:
        result = sh.run_cell(cell, store_history=True)
        assert result.error_in_exec is None, result.error_in_exec


@pytest.mark.parametrize(("cell", "mistake", "named"), [
    ("predicted = np.argmin(h_test, axis=1)", "argmin_for_argmax", "the smallest output"),
    ("predicted = np.max(h_test, axis=1)", "max_for_argmax", "the largest output itself"),
    ("predicted = h_test.argmax(axis=1) + 1", "digit_plus_one", "1 added to the index"),
])
def test_07_wrong_predictions_are_named(cell, mistake, named) -> None:
    verdict = feedback.diagnose(nb07.PREDICTED, cell)
    assert not verdict.passed and verdict.step == "predict" and verdict.mistake == mistake
    assert named in verdict.message


def test_07_a_prediction_per_column_is_explained_by_its_shape() -> None:
    verdict = feedback.diagnose(nb07.PREDICTED, "predicted = np.argmax(h_test, axis=0)")
    assert verdict.step == "predict" and verdict.mistake is None
    assert "should have shape" in verdict.message
    assert "one entry per column of h_test (per output unit)" in verdict.message


def test_07_right_predictions_pass_and_are_handed_on(shell_07, capsys) -> None:
    _run(shell_07, "predicted = np.argmax(h_test, axis=1)", "predicted = nb07.check_predicted()")
    out = capsys.readouterr().out
    assert out.startswith("✔ predicted is correct, on the notebook's values and on 3 other")
    assert feedback.VERDICTS[nb07.PREDICTED] is True
    np.testing.assert_array_equal(shell_07.user_ns["predicted"],
                                  np.argmax(shell_07.user_ns["h_test"], axis=1))


def test_07_predictions_from_nb_predict_are_refused(shell_07, capsys) -> None:
    _run(shell_07, "predicted = nb.predict(lbfgs.Theta, digits.X_test)",
         "predicted = nb07.check_predicted()")
    out = capsys.readouterr().out
    assert out.startswith("✘ predicted calls nb.predict from the package")
    assert feedback.MISTAKES[nb07.PREDICTED] == "package_call"
    np.testing.assert_array_equal(shell_07.user_ns["predicted"],
                                  np.argmax(shell_07.user_ns["h_test"], axis=1))


def test_07_predictions_typed_in_do_not_pass(shell_07, capsys) -> None:
    digits = np.argmax(shell_07.user_ns["h_test"], axis=1)
    _run(shell_07, f"predicted = np.array({digits.tolist()})", "predicted = nb07.check_predicted()")
    out = capsys.readouterr().out
    assert out.startswith("✘ predicted is the same on every problem the check tried")


def test_07_not_written_says_what_to_do() -> None:
    verdict = feedback.diagnose(nb07.PREDICTED, "predicted = ...")
    assert verdict.not_written and "in the cell above, then run this cell again" in verdict.message

# ---------------------------------------------------------------- 08: stacked δ and Δ


def _lecture():
    p = nb.lecture_network(m=5)
    return p.Theta, p.X, p.Y


def stacked_right(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    Delta = {l: delta[l + 1].T @ A[l] for l in range(1, L)}
    return delta, Delta


def stacked_a_times_one_minus_a(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        a = A[l][:, 1:]
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * a * (1 - a)
    Delta = {l: delta[l + 1].T @ A[l] for l in range(1, L)}
    return delta, Delta


def stacked_sign(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: Y - A[L]}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def stacked_g_prime_of_a(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(A[l][:, 1:])
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def stacked_no_g_prime(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = delta[l + 1] @ Theta[l][:, 1:]
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def stacked_keeps_bias(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l]) * np.hstack([np.ones((len(Y), 1)),
                                                          nb.sigmoid_gradient(Z[l])])
    return delta, {}


def stacked_drops_last(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l])[:, :-1] * nb.sigmoid_gradient(Z[l])
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def stacked_with_delta1(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 0, -1):
        zl = Z[l] if l in Z else A[1][:, 1:]
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(zl)
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def Delta_transposed(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta, _ = stacked_right(Theta, A, Z, Y)
    return delta, {l: A[l].T @ delta[l + 1] for l in range(1, L)}


def Delta_no_bias_column(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta, _ = stacked_right(Theta, A, Z, Y)
    return delta, {l: delta[l + 1].T @ A[l][:, 1:] for l in range(1, L)}


def Delta_over_m(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta, _ = stacked_right(Theta, A, Z, Y)
    return delta, {l: delta[l + 1].T @ A[l] / len(Y) for l in range(1, L)}


def Delta_own_layer(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta, _ = stacked_right(Theta, A, Z, Y)
    Delta = {l: delta[l + 1].T @ A[l] for l in range(1, L)}
    if L > 2:
        Delta[2] = delta[3].T @ A[3]
    return delta, Delta


def Delta_zero_based(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta, _ = stacked_right(Theta, A, Z, Y)
    return delta, {l - 1: delta[l + 1].T @ A[l] for l in range(1, L)}


def stacked_from_the_loop(Theta, A, Z, Y):
    L = len(Theta) + 1
    passes = [nb.backprop_example(Theta, a[1:], y) for a, y in zip(A[1], Y, strict=True)]
    delta = {l: np.array([bp.delta[l] for bp in passes]) for l in range(L, 1, -1)}
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def _sb(function):
    return feedback.diagnose(nb08.STACKED, function)


@pytest.mark.parametrize("function", [stacked_right, stacked_a_times_one_minus_a])
def test_08_right_answers_pass(function) -> None:
    verdict = _sb(function)
    assert verdict.passed and verdict.value is function, verdict.message
    assert verdict.message.startswith("✔ stacked_backward is correct on all 7 problems")


@pytest.mark.parametrize(("function", "step", "mistake", "said"), [
    (stacked_sign, "output_delta", "delta_L_sign", "δ⁽ᴸ⁾ with its sign reversed"),
    (stacked_g_prime_of_a, "hidden_delta", "g_prime_at_a", "g′ evaluated at a⁽ˡ⁾"),
    (stacked_no_g_prime, "hidden_delta", "g_prime_missing", "the factor .* g′(z⁽ˡ⁾) left out"),
    (stacked_keeps_bias, "hidden_delta", None, "δ⁽²⁾ has shape (3, 6), but it has one row per "
     "example (m = 3) and one column per unit of layer 2 (s₂ = 5), no bias column: (3, 5); it has "
     "one column too many"),
    (stacked_drops_last, "hidden_delta", "off_by_one_slice", "the last entry dropped"),
    (stacked_with_delta1, "return", "wrong_return", "there is no δ⁽¹⁾"),
    (Delta_transposed, "accumulate", "outer_transposed", "it is transposed"),
    (Delta_no_bias_column, "accumulate", None, "without column 0, the bias weights' share"),
    (Delta_over_m, "accumulate", None, "(1/m, with m = 5): Δ⁽ˡ⁾ is the plain sum"),
    (Delta_own_layer, "accumulate", None, "Δ⁽²⁾ has the right shape and not the loop's values"),
    (Delta_zero_based, "return", "wrong_return", "0-based keys"),
    (stacked_from_the_loop, "package", "package_call", "calls nb.backprop_example"),
])
def test_08_wrong_answers_are_located_and_named(function, step, mistake, said) -> None:
    verdict = _sb(function)
    assert (verdict.passed, verdict.step, verdict.mistake) == (False, step, mistake)
    assert said in verdict.message, verdict.message


def stacked_keeps_delta0(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l]) * nb.sigmoid_gradient(Z[l])
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def test_08_keeping_delta0_quotes_the_failing_line() -> None:
    verdict = _sb(stacked_keeps_delta0)
    assert (verdict.step, verdict.mistake, verdict.layer) == ("hidden_delta", "delta0_kept", 3)
    assert "`delta[l] = (delta[l + 1] @ Theta[l]) * nb.sigmoid_gradient(Z[l])`" in verdict.message
    assert "over all columns, δ₀ first (all examples)) is 5 × 6" in verdict.message


def stacked_loop_in_Delta_only(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta, _ = stacked_right(Theta, A, Z, Y)
    Delta = {l: sum(np.outer(delta[l + 1][i], A[l][i]) for i in range(len(Y))) for l in range(1, L)}
    return delta, Delta


def stacked_rows_one_by_one(Theta, A, Z, Y):
    L = len(Theta) + 1
    delta = {L: np.array([A[L][i] - Y[i] for i in range(len(Y))])}
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    return delta, {l: delta[l + 1].T @ A[l] for l in range(1, L)}


def stacked_helper_per_layer(Theta, A, Z, Y):
    def back(l, d):
        return (d @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    L = len(Theta) + 1
    delta = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = back(l, delta[l + 1])
    return delta, {l: np.einsum("mi,mj->ij", delta[l + 1], A[l]) for l in range(1, L)}


@pytest.mark.parametrize("function", [stacked_loop_in_Delta_only, stacked_rows_one_by_one])
def test_08_a_python_loop_over_the_examples_fails_whatever_it_is_written_as(function) -> None:
    verdict = _sb(function)
    assert (verdict.step, verdict.mistake) == ("method", "loop_over_examples"), verdict.message
    assert "with m = 5 examples more of its lines run than with m = 2" in verdict.message


def test_08_loops_over_the_layers_and_helpers_are_no_loop_over_the_examples() -> None:
    assert _sb(stacked_helper_per_layer).passed


def test_08_reference_is_the_loop() -> None:
    Theta, X, Y = _lecture()
    A = {1: nb.add_bias(X)}
    Z = {}
    for l in range(1, 4):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.add_bias(nb.sigmoid(Z[l + 1])) if l < 3 else nb.sigmoid(Z[l + 1])
    delta, Delta = nb08.reference_stacked_backward(Theta, A, Z, Y)
    assert nb08.largest_difference(Delta, nb.backprop(Theta, X, Y).Delta) < 1e-12
    mine, _ = stacked_right(Theta, A, Z, Y)
    assert nb08.largest_difference(delta, mine) < 1e-12


def test_08_nothing_written_is_not_an_error() -> None:
    def stacked_backward(Theta, A, Z, Y):
        raise NotImplementedError("write the body of stacked_backward")
    verdict = _sb(stacked_backward)
    assert verdict.not_written and verdict.message.startswith("… stacked_backward is not written yet")


# ---------------------------------------------------------------- 09: δ⁽ᴸ⁾ and ReLU's slope
# (tests/corpus holds more answers; the shell tests below run the check cells as notebook 09 does)

SHELL_09 = """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb09
p = nb.lecture_network()
Theta, X, Y = p.Theta, p.X, p.Y
L = len(Theta) + 1
x, y = X[0], Y[0]
fp = nb.forward_propagate(Theta, x)
z, h = fp.z[L], fp.h
"""


@pytest.fixture
def shell_09(notebook_shell):
    """A real IPython shell set up as notebook 09 is when its exercises come."""
    return notebook_shell(SHELL_09)


def _squared_delta():
    p = nb.lecture_network()
    return nb.backprop_example(p.Theta, p.X[0], p.Y[0], loss="squared").delta[4]


DECIMAL = r"\d\.\d|\d{3,}"
"""A number a message about a short answer must not show (entry indices and counts are small
whole numbers)."""


@pytest.mark.parametrize(("cell", "mistake", "named"), [
    ("delta_L_squared = (h - y) * h", "g_instead_of_g_prime", "h where its slope"),
    ("delta_L_squared = (h - y) * nb.sigmoid(z) * (1 - nb.sigmoid(z)) * h", None, "none of the"),
    ("delta_L_squared = np.outer(h - y, h * (1 - h))", None, "should have shape"),
    ("delta_L_squared = 0.5 * (h - y) ** 2", None, "is too large"),
])
def test_09_wrong_delta_L_is_located_and_gives_no_entry_away(cell, mistake, named) -> None:
    verdict = feedback.diagnose(nb09.DELTA_L_SQUARED, cell)
    assert not verdict.passed and verdict.step == "output_delta" and verdict.mistake == mistake
    assert named in verdict.message
    assert not re.search(DECIMAL, verdict.message), verdict.message


def test_09_right_delta_L_passes_and_is_handed_on(shell_09, capsys) -> None:
    _run(shell_09, "delta_L_squared = (h - y) * h * (1 - h)",
         "delta_L_squared = nb09.check_delta_L_squared()")
    out = capsys.readouterr().out
    assert out.startswith("✔ δ⁽ᴸ⁾ (squared error) is correct, on the notebook's values and on 5")
    assert feedback.VERDICTS[nb09.DELTA_L_SQUARED] is True
    np.testing.assert_allclose(shell_09.user_ns["delta_L_squared"], _squared_delta())


def test_09_delta_L_pasted_from_printed_numbers_does_not_pass(shell_09, capsys) -> None:
    printed = np.array2string(_squared_delta(), precision=17, separator=", ")
    _run(shell_09, f"delta_L_squared = np.array({printed})",
         "delta_L_squared = nb09.check_delta_L_squared()")
    out = capsys.readouterr().out
    assert out.startswith("✘ delta_L_squared is the same on every problem the check tried")
    assert feedback.VERDICTS[nb09.DELTA_L_SQUARED] is False
    np.testing.assert_allclose(shell_09.user_ns["delta_L_squared"], _squared_delta())


def test_09_a_wrong_delta_L_in_the_notebook_shows_no_expected_entry(shell_09, capsys) -> None:
    _run(shell_09, "delta_L_squared = (h - y) * (1 - h) ** 2",
         "delta_L_squared = nb09.check_delta_L_squared()")
    out = capsys.readouterr().out
    assert out.startswith("✘") and not re.search(DECIMAL, out), out
    assert feedback.VERDICTS[nb09.DELTA_L_SQUARED] is False


def relu_right(z):
    return (z > 0).astype(float)


def relu_value(z):
    return np.maximum(z, 0)


def relu_sign(z):
    return np.sign(z)


def relu_scalar_if(z):
    return 1.0 if z > 0 else 0.0


def relu_bool(z):
    return z > 0


@pytest.mark.parametrize("function", [relu_right, relu_bool])
def test_09_right_relu_passes(function) -> None:
    verdict = feedback.diagnose(nb09.RELU_GRADIENT, function)
    assert verdict.passed and verdict.value is function
    assert verdict.message.startswith("✔ relu_gradient is correct on all 4 arrays")


@pytest.mark.parametrize(("function", "mistake", "named"), [
    (relu_value, "relu_instead_of_gradient", "instead of its slope"),
    (relu_sign, "relu_sign", "the sign of z"),
    (relu_scalar_if, None, "stopped with ValueError"),
])
def test_09_wrong_relu_is_named(function, mistake, named) -> None:
    verdict = feedback.diagnose(nb09.RELU_GRADIENT, function)
    assert not verdict.passed and verdict.step == "g_prime" and verdict.mistake == mistake
    assert named in verdict.message


def test_09_relu_is_tried_on_zeros_and_on_arrays_of_several_shapes() -> None:
    probes = nb09.relu_probes(None, None)
    assert {p.args()[0].ndim for p in probes} == {1, 2, 3}
    assert all(np.any(p.args()[0] == 0) and np.any(p.args()[0] < 0) and np.any(p.args()[0] > 0)
               for p in probes)
    assert [p.args()[0].shape for p in nb09.relu_probes(1, None)] == [
        p.args()[0].shape for p in nb09.relu_probes(2, None)]


def test_09_relu_that_overwrites_z_is_refused_in_the_notebook(shell_09, capsys) -> None:
    _run(shell_09, "def relu_gradient(z):\n    z[z > 0] = 1.0\n    z[z <= 0] = 0.0\n    return z",
         "relu_gradient = nb09.check_relu_gradient()")
    out = capsys.readouterr().out
    assert out.startswith("✘ relu_gradient changes z in place")
    assert feedback.MISTAKES[nb09.RELU_GRADIENT] == "inputs_mutated"
    assert shell_09.user_ns["relu_gradient"] is nb09.reference_relu_gradient


def test_09_relu_from_the_package_is_refused_in_the_notebook(shell_09, capsys) -> None:
    _run(shell_09, "def relu_gradient(z):\n    return nb.relu_gradient(z)",
         "relu_gradient = nb09.check_relu_gradient()")
    out = capsys.readouterr().out
    assert out.startswith("✘ relu_gradient calls nb.relu_gradient from the package")
    assert feedback.VERDICTS[nb09.RELU_GRADIENT] is False


def test_09_a_right_relu_is_handed_on_itself(shell_09, capsys) -> None:
    _run(shell_09, "def relu_gradient(z):\n    return np.where(z > 0, 1.0, 0.0)", "mine = relu_gradient",
         "relu_gradient = nb09.check_relu_gradient()")
    assert capsys.readouterr().out.startswith("✔ relu_gradient is correct")
    assert shell_09.user_ns["relu_gradient"] is shell_09.user_ns["mine"]


# ---------------------------------------------------------------- hints never give the answer


@pytest.mark.parametrize(("exercise", "solution"), [
    (nb07.GD, "Theta[l] - alpha * D[l]"),
    (nb07.PREDICTED, "np.argmax(h_test, axis=1)"),
    (nb08.STACKED, "(delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])"),
    (nb08.STACKED, "delta[l + 1].T @ A[l]"),
    (nb09.DELTA_L_SQUARED, "(h - y) * h * (1 - h)"),
    (nb09.RELU_GRADIENT, "(z > 0).astype(float)"),
])
def test_three_tiers_and_no_solution_line(exercise, solution) -> None:
    tiers = [hint_text(exercise, level) for level in (1, 2, 3)]
    assert "code skeleton" in tiers[2] and "___" in tiers[2]
    assert not any(solution in tier for tier in tiers)


# ---------------------------------------------------------------- messages: what to do, and where


def Delta_one_entry_off(Theta, A, Z, Y):
    delta, Delta = stacked_right(Theta, A, Z, Y)
    Delta[1][1, 0] += 0.5                              # the lecture's row i = 2, column j = 0
    return delta, Delta


def stacked_one_example_off(Theta, A, Z, Y):
    delta, Delta = stacked_right(Theta, A, Z, Y)
    if len(Theta) > 1 and len(Y) > 1:
        delta[2][1] += 0.5                             # the row of example i = 2
    return delta, Delta


def test_08_wrong_accumulator_entries_are_named_in_the_lectures_numbering() -> None:
    verdict = _sb(Delta_one_entry_off)
    assert verdict.step == "accumulate" and verdict.mistake is None
    assert "at row 1, column 0 (the lecture's i = 2, j = 0) is 0.5 too large" in verdict.message


def test_08_wrong_delta_rows_are_named_by_their_example() -> None:
    verdict = _sb(stacked_one_example_off)
    assert verdict.step == "hidden_delta" and verdict.layer == 2
    assert "Only the rows of examples i = [2] are wrong" in verdict.message


def test_07_08_untouched_exercises_say_what_to_do() -> None:
    def gradient_descent(Theta, X, Y, lam, alpha, iterations):
        raise NotImplementedError("write the loop")

    def stacked_backward(Theta, A, Z, Y):
        raise NotImplementedError("write the body")

    for verdict in (_gd(gradient_descent), _sb(stacked_backward), _gd(...)):
        assert "write it in the cell above, then run this cell again" in verdict.message


def test_09_shape_hints_give_shapes_not_the_code() -> None:
    delta_tier2 = hint_text(nb09.DELTA_L_SQUARED, 2)
    for giveaway in ("h(1 − h)", "1 − h", "1 - h", "is h"):
        assert giveaway not in delta_tier2
    relu_tier2 = hint_text(nb09.RELU_GRADIENT, 2)
    for giveaway in ("z >", "z>", "astype", "0.0 and 1.0", "where("):
        assert giveaway not in relu_tier2
    assert "shape" in delta_tier2 and "shape" in relu_tier2


def test_09_untouched_exercises_say_what_to_do() -> None:
    def relu_gradient(z):
        raise NotImplementedError("write the body")

    for verdict in (feedback.diagnose(nb09.DELTA_L_SQUARED, "delta_L_squared = ..."),
                    feedback.diagnose(nb09.RELU_GRADIENT, relu_gradient)):
        assert verdict.not_written and not verdict.passed
        assert "in the cell above, then run this cell again" in verdict.message
