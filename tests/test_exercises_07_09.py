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


def _run_07(function, capsys):
    feedback.VERDICTS.pop(nb07.GD, None)
    used = nb07.check_gradient_descent(function)
    return used, capsys.readouterr().out, feedback.VERDICTS[nb07.GD]


def test_07_right_loop_passes(capsys) -> None:
    used, out, verdict = _run_07(gd_right, capsys)
    assert verdict is True and used is gd_right and out.startswith("✔")


@pytest.mark.parametrize(("function", "named"), [
    (gd_plus, "instead of subtracting it"),
    (gd_no_alpha, "leave out the learning rate α"),
    (gd_gradient_once, "compute D only once"),
    (gd_first_layer_only, "did not change: the update must reach every layer"),
    (gd_no_bias, "bias column j = 0 out of the update"),
    (gd_in_place, "changed the Θ it was given"),
    (gd_extra_step, "one step too many"),
    (gd_costs_after_only, "misses its first entry"),
    (gd_zero_based, "return a dict keyed by the layer numbers"),
    (gd_only_theta, "must return two things"),
    (gd_key_error, "KeyError"),
    (gd_matmul, "matrix product whose inner dimensions do not match"),
    (gd_calls_train, "calls nb.train"),
    (gd_not_written, "not implemented yet"),
])
def test_07_wrong_loop_is_named(function, named, capsys) -> None:
    used, out, verdict = _run_07(function, capsys)
    assert verdict is False
    assert used is nb07.reference_gradient_descent
    assert named in out, out


def test_07_exception_quotes_the_failing_line(capsys) -> None:
    _, out, _ = _run_07(gd_key_error, capsys)
    assert "Theta[l] = Theta[l] - alpha * D[l]" in out


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


def _run_08(function, capsys):
    feedback.VERDICTS.pop(nb08.STACKED, None)
    used = nb08.check_stacked_backward(function)
    return used, capsys.readouterr().out, feedback.VERDICTS[nb08.STACKED]


@pytest.mark.parametrize("function", [stacked_right, stacked_a_times_one_minus_a])
def test_08_right_answers_pass(function, capsys) -> None:
    used, out, verdict = _run_08(function, capsys)
    assert verdict is True and used is function and out.startswith("✔"), out


@pytest.mark.parametrize(("function", "named"), [
    (stacked_sign, "Y − A⁽ᴸ⁾"),
    (stacked_g_prime_of_a, "evaluate g′ at the activations a⁽³⁾"),
    (stacked_no_g_prime, "leave out g′(z⁽³⁾)"),
    (stacked_keeps_bias, "δ₀ kept"),
    (stacked_drops_last, "drop the last column"),
    (stacked_with_delta1, "there is no δ⁽¹⁾"),
    (Delta_transposed, "It looks transposed"),
    (Delta_no_bias_column, "One column too few"),
    (Delta_over_m, "divide by m"),
    (Delta_own_layer, "pair δ⁽³⁾ with A⁽³⁾"),
    (Delta_zero_based, "0-based keys"),
    (stacked_from_the_loop, "calls nb.backprop_example"),
])
def test_08_wrong_answers_are_named(function, named, capsys) -> None:
    used, out, verdict = _run_08(function, capsys)
    assert verdict is False and used is nb08.reference_stacked_backward
    assert named in out, out


def test_08_keeping_delta0_quotes_the_failing_line(capsys) -> None:
    _, out, _ = _run_08(stacked_keeps_bias, capsys)
    assert "delta[l] = (delta[l + 1] @ Theta[l])" in out


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


def test_08_nothing_written_is_not_an_error(capsys) -> None:
    def stacked_backward(Theta, A, Z, Y):
        raise NotImplementedError("write the body of stacked_backward")
    used, out, verdict = _run_08(stacked_backward, capsys)
    assert "not implemented yet" in out and verdict is False
    assert used is nb08.reference_stacked_backward


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
    Delta[1][2, 0] += 0.5                              # the lecture's row i = 3, column j = 0
    return delta, Delta


def stacked_one_example_off(Theta, A, Z, Y):
    delta, Delta = stacked_right(Theta, A, Z, Y)
    delta[2][1] += 0.5                                 # the row of example i = 2
    return delta, Delta


def test_08_wrong_accumulator_entries_are_named_in_the_lectures_numbering(capsys) -> None:
    _, out, verdict = _run_08(Delta_one_entry_off, capsys)
    assert verdict is False and "row i = 3, column j = 0" in out
    assert "rows [" not in out


def test_08_wrong_delta_rows_are_named_by_their_example(capsys) -> None:
    _, out, verdict = _run_08(stacked_one_example_off, capsys)
    assert verdict is False and "the rows of examples i = [2]" in out


def test_07_08_untouched_exercises_say_what_to_do(capsys) -> None:
    def gradient_descent(Theta, X, Y, lam, alpha, iterations):
        raise NotImplementedError("write the loop")

    def stacked_backward(Theta, A, Z, Y):
        raise NotImplementedError("write the body")

    nb07.check_gradient_descent(gradient_descent)
    nb07.check_predicted(..., np.eye(3))
    nb08.check_stacked_backward(stacked_backward)
    nb07.check_gradient_descent(...)
    out = capsys.readouterr().out
    assert out.count("in the cell above, then run this cell again") == 4, out


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
