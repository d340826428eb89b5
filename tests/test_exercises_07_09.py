"""The checks of notebooks 07–09, fed student-style answers: the right one passes, each wrong one
gets a verdict that names its mistake, and no student code makes a check raise."""

from __future__ import annotations

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


def _h_test():
    digits = nb.load_digits()
    Theta = nb.init_weights([64, 25, 10], rng=0)
    return nb.forward_propagate(Theta, digits.X_test[:40]).h


@pytest.mark.parametrize(("answer", "named"), [
    (lambda h: np.argmax(h, axis=1) + 1, "add 1 to the index"),
    (lambda h: np.argmin(h, axis=1), "smallest output"),
    (lambda h: np.max(h, axis=1), "largest activation itself"),
    (lambda h: np.argmax(h, axis=0), "should have shape"),
])
def test_07_wrong_predictions_are_named(answer, named, capsys) -> None:
    h = _h_test()
    used = nb07.check_predicted(answer(h), h)
    out = capsys.readouterr().out
    assert named in out and feedback.VERDICTS[nb07.PREDICTED] is False
    np.testing.assert_array_equal(used, np.argmax(h, axis=1))


def test_07_right_predictions_pass(capsys) -> None:
    h = _h_test()
    nb07.check_predicted(np.argmax(h, axis=1), h)
    assert capsys.readouterr().out.startswith("✔") and feedback.VERDICTS[nb07.PREDICTED]


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


def _example():
    p = nb.lecture_network()
    h = nb.forward_propagate(p.Theta, p.X[0]).h
    return p.Theta, p.X[0], p.Y[0], h


@pytest.mark.parametrize(("answer", "named"), [
    (lambda h, y: h - y, "leave out g′(z⁽ᴸ⁾)"),
    (lambda h, y: (h - y) * nb.sigmoid_gradient(h), "evaluate g′ at h"),
    (lambda h, y: (y - h) * h * (1 - h), "take y − a⁽ᴸ⁾"),
    (lambda h, y: (h - y) * h, "instead of its slope"),
    (lambda h, y: (h - y) * (1 - h), "forgetting the factor h"),
    (lambda h, y: np.outer(h - y, h * (1 - h)), "should have shape"),
])
def test_09_wrong_delta_L_is_named(answer, named, capsys) -> None:
    Theta, x, y, h = _example()
    used = nb09.check_delta_L_squared(answer(h, y), Theta, x, y)
    out = capsys.readouterr().out
    assert named in out and feedback.VERDICTS[nb09.DELTA_L_SQUARED] is False
    L = len(Theta) + 1
    np.testing.assert_allclose(used, nb.backprop_example(Theta, x, y, loss="squared").delta[L])


def test_09_right_delta_L_passes(capsys) -> None:
    Theta, x, y, h = _example()
    nb09.check_delta_L_squared((h - y) * h * (1 - h), Theta, x, y)
    assert capsys.readouterr().out.startswith("✔") and feedback.VERDICTS[nb09.DELTA_L_SQUARED]


def relu_right(z):
    return (z > 0).astype(float)


def relu_where(z):
    return np.where(z > 0, 1.0, 0.0)


def relu_ge(z):
    return (z >= 0).astype(float)


def relu_value(z):
    return np.maximum(z, 0)


def relu_sign(z):
    return np.sign(z)


def relu_scalar_if(z):
    return 1.0 if z > 0 else 0.0


@pytest.mark.parametrize("function", [relu_right, relu_where])
def test_09_right_relu_passes(function, capsys) -> None:
    assert nb09.check_relu_gradient(function) is function
    assert capsys.readouterr().out.startswith("✔")


@pytest.mark.parametrize(("function", "named"), [
    (relu_ge, "g′(0) = 1"), (relu_value, "instead of its slope"), (relu_sign, "sign of z"),
    (relu_scalar_if, "stopped with ValueError"),
])
def test_09_wrong_relu_is_named(function, named, capsys) -> None:
    assert nb09.check_relu_gradient(function) is nb.relu_gradient
    out = capsys.readouterr().out
    assert named in out and feedback.VERDICTS[nb09.RELU_GRADIENT] is False


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


def test_09_untouched_exercises_say_what_to_do(capsys) -> None:
    Theta, x, y, _ = _example()

    def relu_gradient(z):
        raise NotImplementedError("write the body")

    nb09.check_delta_L_squared(..., Theta, x, y)
    nb09.check_relu_gradient(relu_gradient)
    out = capsys.readouterr().out
    assert out.count("in the cell above") == 2 and out.count("then run this cell") == 2, out
