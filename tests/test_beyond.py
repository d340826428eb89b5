"""Beyond the lecture: the squared-error cost and tanh/ReLU hidden layers.

Every combination of loss × activation is checked against finite differences of its own J(Θ),
the loop against the matrix form, a 2-2-2 example against numbers worked out on paper, and
the defaults against the lecture's own operations, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

import nbhelpers as nb
from nbhelpers.activation import ACTIVATIONS
from nbhelpers.display.trace import trace_backprop
from nbhelpers.loss import LOSSES
from nbhelpers.vectorized import _cost_and_gradient

LOSS_NAMES = list(LOSSES)
ACTIVATION_NAMES = list(ACTIVATIONS)
COMBINATIONS = [(loss, g) for loss in LOSS_NAMES for g in ACTIVATION_NAMES]
EPSILON = 1e-4

# (layer sizes, seed, λ): random networks, chosen (see test_relu_problems_stay_off_the_kink) so
# that no hidden z comes near ReLU's kink at 0; the same networks serve every activation.
NETWORKS = [([3, 4, 2], 0, 0.0), ([4, 5, 4, 3], 14, 0.7), ([2, 3, 4, 3, 2], 28, 1.5)]


def random_problem(sizes: list[int], seed: int, m: int = 6) -> nb.Problem:
    """Θ⁽ˡ⁾ and X drawn from normal distributions (σ = 0.7 and 1), labels uniform over K."""
    rng = np.random.default_rng(seed)
    Theta = {l: rng.normal(0.0, 0.7, size=(sizes[l], sizes[l - 1] + 1))
             for l in range(1, len(sizes))}
    X = rng.normal(0.0, 1.0, size=(m, sizes[0]))
    return nb.Problem(Theta, X, nb.one_hot(rng.integers(0, sizes[-1], size=m), sizes[-1]))


# --- every combination against finite differences -----------------------------------------

@pytest.mark.parametrize(("sizes", "seed", "lam"), NETWORKS)
def test_relu_problems_stay_off_the_kink(sizes, seed, lam) -> None:
    """The precondition of the ReLU gradient checks: the finite differences never reach g′'s
    jump at z = 0 (g′(0) is a choice, 0; the slope there is undefined), with a factor 10 to
    spare (see nb.kink_clearance for the bound). Every hidden layer also has units on both
    sides of 0, so both branches of g′ are exercised."""
    p = random_problem(sizes, seed)
    clearance = nb.kink_clearance(p.Theta, p.X, EPSILON)
    assert clearance.reach < 0.1 * clearance.distance, clearance
    fp = nb.forward_propagate(p.Theta, p.X, activation="relu")
    for l in range(2, len(sizes)):
        assert (fp.z[l] > 0).any() and (fp.z[l] < 0).any()


@pytest.mark.parametrize(("loss", "activation"), COMBINATIONS)
@pytest.mark.parametrize(("sizes", "seed", "lam"), NETWORKS)
def test_gradient_check_every_combination(loss, activation, sizes, seed, lam) -> None:
    """Both backprops match two-sided differences of their own J(Θ).

    The central difference is off by about ε²/6·J‴ ≈ 1e-9 (relative) with ε = 1e-4, and by
    rounding of about 1e-16·J/ε ≈ 1e-12; a wrong δ⁽ᴸ⁾ or g′ is off by 1e-2 or more (see the
    last assertion: the other cost's gradient fails the same check). 1e-7 separates the two.
    """
    p = random_problem(sizes, seed)
    if activation == "relu":
        assert nb.kink_clearance(p.Theta, p.X, EPSILON).clear, "the check would cross the kink"
    for gradient in (nb.backprop, nb.backprop_vectorized):
        difference = nb.gradient_check(p.Theta, p.X, p.Y, lam, epsilon=EPSILON,
                                       gradient=gradient, loss=loss, activation=activation)
        assert difference < 1e-7, (gradient.__name__, difference)
    numeric = nb.numerical_gradient(
        lambda T: nb.cost(T, p.X, p.Y, lam, loss=loss, activation=activation), p.Theta, EPSILON)
    other = "squared" if loss == "logistic" else "logistic"
    wrong = nb.backprop(p.Theta, p.X, p.Y, lam, loss=other, activation=activation)
    assert nb.relative_difference(numeric, wrong) > 1e-2


def test_kink_clearance_by_hand() -> None:
    """A 1-2-2-1 network, x = 1:  Θ⁽¹⁾ = [[0.5, 1], [−1, 2]] gives z⁽²⁾ = (1.5, 1), all positive,
    a⁽²⁾ = (1, 1.5, 1);  Θ⁽²⁾ = [[0, 1, −2], [0.5, 0.5, −0.25]] gives z⁽³⁾ = (1.5 − 2,
    0.5 + 0.75 − 0.25) = (−0.5, 1).  Smallest |z|: 0.5.  Largest |a| feeding a hidden layer
    (a⁽¹⁾ = (1, 1), a⁽²⁾): 1.5.  Θ⁽²⁾'s largest row sum without column 0: |1| + |−2| = 3.
    So reach = ε·1.5·3 = 4.5ε: clear for ε = 0.1 (0.45 < 0.5), not for ε = 0.2 (0.9)."""
    Theta = {1: [[0.5, 1.0], [-1.0, 2.0]], 2: [[0.0, 1.0, -2.0], [0.5, 0.5, -0.25]],
             3: [[0.0, 1.0, 1.0]]}
    clearance = nb.kink_clearance(Theta, [[1.0]], epsilon=0.1)
    assert clearance.distance == 0.5
    assert clearance.reach == pytest.approx(0.45, rel=1e-15)
    assert clearance.clear
    assert not nb.kink_clearance(Theta, [[1.0]], epsilon=0.2).clear
    assert nb.kink_clearance({1: [[0.0, 1.0]]}, [[1.0]]).clear         # no hidden layer
    with pytest.raises(ValueError, match="epsilon"):
        nb.kink_clearance(Theta, [[1.0]], epsilon=0)


def test_a_check_across_the_kink_fails() -> None:
    """Why the precondition matters: with m = 5, the lecture's one-decimal network puts a
    hidden z exactly on the kink (0 up to rounding). The central difference there averages the
    slopes 0 and 1 of max(0, z), backpropagation takes one of them, and the check fails;
    with the first 3 examples, clear of every kink, it passes."""
    p = nb.lecture_network(m=5)
    assert not nb.kink_clearance(p.Theta, p.X).clear
    assert nb.kink_clearance(p.Theta, p.X).distance < 1e-15
    assert nb.gradient_check(p.Theta, p.X, p.Y, activation="relu") > 1e-4
    assert nb.kink_clearance(p.Theta, p.X[:3]).clear
    assert nb.gradient_check(p.Theta, p.X[:3], p.Y[:3], activation="relu") < 1e-7


@pytest.mark.parametrize(("loss", "activation"), COMBINATIONS)
def test_gradient_check_passes_the_choice_to_a_custom_gradient(loss, activation) -> None:
    p = random_problem([3, 4, 2], 0)
    seen = []

    def gradient(Theta, X, Y, lam, **keywords):
        seen.append(keywords)
        return nb.backprop(Theta, X, Y, lam, **keywords)

    assert nb.gradient_check(p.Theta, p.X, p.Y, 0.5, gradient=gradient, loss=loss,
                             activation=activation) < 1e-7
    lecture = (loss, activation) == ("logistic", "sigmoid")
    assert seen == [{} if lecture else {"loss": loss, "activation": activation}]


# --- the loop against the matrix form ------------------------------------------------------

@pytest.mark.parametrize(("loss", "activation"), COMBINATIONS)
@pytest.mark.parametrize(("sizes", "seed", "lam"), NETWORKS)
def test_loop_equals_vectorized_every_combination(loss, activation, sizes, seed, lam) -> None:
    p = random_problem(sizes, seed, m=9)
    loop = nb.backprop(p.Theta, p.X, p.Y, lam, loss=loss, activation=activation)
    matrix = nb.backprop_vectorized(p.Theta, p.X, p.Y, lam, loss=loss, activation=activation)
    summed = nb.accumulate(p.Theta, p.X, p.Y, loss=loss, activation=activation)
    for l in p.Theta:
        np.testing.assert_allclose(matrix[l], loop[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(matrix.Delta[l], loop.Delta[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_array_equal(summed[l], loop.Delta[l])


@pytest.mark.parametrize(("loss", "activation"), COMBINATIONS)
def test_each_example_is_a_row_of_the_batch(loss, activation) -> None:
    """backprop_example for example i gives row i of the batch forward pass, and its
    contributions δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ add up to the loop's accumulators."""
    p = random_problem([4, 5, 4, 3], 14)
    batch = nb.forward_propagate(p.Theta, p.X, activation=activation)
    Delta = {l: np.zeros_like(T) for l, T in p.Theta.items()}
    for i in range(p.X.shape[0]):
        bp = nb.backprop_example(p.Theta, p.X[i], p.Y[i], loss=loss, activation=activation)
        for l in bp.a:
            np.testing.assert_allclose(bp.a[l], batch.a[l][i], rtol=1e-14, atol=1e-15)
        for l in Delta:
            Delta[l] += np.outer(bp.delta[l + 1], bp.a[l])
    history = nb.accumulation_history(p.Theta, p.X, p.Y, loss=loss, activation=activation)
    for l in Delta:
        np.testing.assert_allclose(history[-1][l], Delta[l], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(("loss", "activation"), COMBINATIONS)
def test_training_uses_the_chosen_cost_and_gradient(loss, activation) -> None:
    """What the optimizers evaluate (one forward pass for J and D) is cost() and
    backprop_vectorized(); one gradient-descent step is Θ − αD; L-BFGS-B lowers that J."""
    p = random_problem([4, 5, 4, 3], 14, m=9)
    chosen = {"loss": loss, "activation": activation}
    J, D = _cost_and_gradient(p.Theta, p.X, p.Y, 0.7, LOSSES[loss], ACTIVATIONS[activation])
    assert J == pytest.approx(nb.cost(p.Theta, p.X, p.Y, 0.7, **chosen), rel=1e-13)
    D_ref = nb.backprop_vectorized(p.Theta, p.X, p.Y, 0.7, **chosen)
    for l in D:
        np.testing.assert_array_equal(D[l], D_ref[l])
    step = nb.train(p.Theta, p.X, p.Y, 0.7, method="gradient-descent", learning_rate=0.5,
                    max_iter=1, **chosen)
    for l in D:
        np.testing.assert_array_equal(step.Theta[l], p.Theta[l] - 0.5 * D[l])
    assert step.costs[1] == pytest.approx(nb.cost(step.Theta, p.X, p.Y, 0.7, **chosen), rel=1e-13)
    fit = nb.train(p.Theta, p.X, p.Y, 0.7, max_iter=30, **chosen)
    assert fit.costs[-1] == pytest.approx(nb.cost(fit.Theta, p.X, p.Y, 0.7, **chosen), rel=1e-12)
    assert fit.costs[-1] < 0.9 * fit.costs[0]


def test_predict_uses_the_hidden_activation() -> None:
    """A network trained with tanh units must be read with tanh units: sigmoid units give
    other outputs, hence (here) other predictions."""
    p = random_problem([4, 5, 4, 3], 14, m=40)
    h = nb.forward_propagate(p.Theta, p.X, activation="tanh").h
    predicted = nb.predict(p.Theta, p.X, activation="tanh")
    np.testing.assert_array_equal(predicted, np.argmax(h, axis=1))
    assert (predicted != nb.predict(p.Theta, p.X)).any()
    assert nb.accuracy(p.Theta, p.X, p.Y, activation="tanh") == np.mean(predicted == p.labels)


# --- what the choices mean ----------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_hidden_layers_use_the_activation_and_the_output_the_sigmoid(activation) -> None:
    g = {"sigmoid": nb.sigmoid, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0)}[activation]
    p = random_problem([2, 3, 4, 3, 2], 28)
    fp = nb.forward_propagate(p.Theta, p.X, activation=activation)
    L = fp.L
    for l in range(2, L):
        np.testing.assert_array_equal(fp.a[l][:, 0], 1.0)
        np.testing.assert_array_equal(fp.a[l][:, 1:], g(fp.z[l]))
        np.testing.assert_array_equal(fp.z[l + 1], fp.a[l] @ p.Theta[l].T)
    np.testing.assert_array_equal(fp.h, expit(fp.z[L]))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_output_delta_of_each_loss(activation) -> None:
    """Logistic: δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y (g′ cancelled). Squared: δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾) with the
    output's sigmoid g′, whatever the hidden activation; the hidden δ⁽ˡ⁾ use that activation's g′."""
    p = random_problem([4, 5, 4, 3], 14)
    slope = {"sigmoid": nb.sigmoid_gradient, "tanh": nb.tanh_gradient,
             "relu": nb.relu_gradient}[activation]
    x, y = p.X[2], p.Y[2]
    logistic = nb.backprop_example(p.Theta, x, y, activation=activation)
    squared = nb.backprop_example(p.Theta, x, y, loss="squared", activation=activation)
    L = logistic.L
    np.testing.assert_array_equal(logistic.delta[L], logistic.h - y)
    np.testing.assert_allclose(squared.delta[L], (squared.h - y) * nb.sigmoid_gradient(squared.z[L]),
                               rtol=1e-14, atol=1e-17)
    for bp in (logistic, squared):
        for l in range(L - 1, 1, -1):
            back = p.Theta[l][:, 1:].T @ bp.delta[l + 1]
            np.testing.assert_allclose(bp.delta[l], back * slope(bp.z[l]), rtol=1e-14, atol=1e-17)


@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_output_delta_is_the_derivative_of_the_cost_term(loss) -> None:
    """δ⁽ᴸ⁾ₖ = ∂c/∂z⁽ᴸ⁾ₖ for one example's cost c: a central difference in z, entry by entry,
    for outputs from strongly wrong to strongly right (z from −6 to 6, y = 1 and y = 0)."""
    chosen = LOSSES[loss]
    z = np.linspace(-6.0, 6.0, 25)
    for y in (np.ones_like(z), np.zeros_like(z)):
        plus, minus = chosen.terms(z + 1e-6, expit(z + 1e-6), y), chosen.terms(z - 1e-6, expit(z - 1e-6), y)
        np.testing.assert_allclose(chosen.output_delta(expit(z), y), (plus - minus) / 2e-6,
                                   rtol=1e-7, atol=1e-10)


def test_squared_cost_is_half_the_squared_distance_plus_regularization() -> None:
    """J = (1/m)·Σᵢ ½‖h⁽ⁱ⁾ − y⁽ⁱ⁾‖² + λ/(2m)·Σ non-bias Θ², computed here from its definition."""
    p = random_problem([4, 5, 4, 3], 14)
    m, lam = p.X.shape[0], 0.7
    for activation in ACTIVATION_NAMES:
        h = nb.forward_propagate(p.Theta, p.X, activation=activation).h
        data = sum(0.5 * np.sum((h[i] - p.Y[i]) ** 2) for i in range(m)) / m
        reg = lam / (2 * m) * sum(np.sum(T[:, 1:] ** 2) for T in p.Theta.values())
        got = nb.cost(p.Theta, p.X, p.Y, lam, loss="squared", activation=activation)
        assert got == pytest.approx(data + reg, rel=1e-14)
        assert got - nb.cost(p.Theta, p.X, p.Y, loss="squared", activation=activation) == \
            pytest.approx(reg, rel=1e-12)


def test_activation_functions_and_their_slopes() -> None:
    """tanh(0) = 0, tanh′(0) = 1 − 0² = 1, tanh′(±∞) = 0; tanh(z) = 2·sigmoid(2z) − 1.
    ReLU: max(0, z), slope 1 right of 0, 0 left of it, and 0 at z = 0 itself (our choice)."""
    z = np.array([-3.0, -0.5, 0.0, 0.25, 2.0])
    np.testing.assert_allclose(nb.tanh(z), 2 * nb.sigmoid(2 * z) - 1, rtol=1e-14, atol=1e-16)
    assert nb.tanh(0.0) == 0.0 and nb.tanh_gradient(0.0) == 1.0
    assert nb.tanh_gradient(50.0) == 0.0
    np.testing.assert_array_equal(nb.relu(z), [0.0, 0.0, 0.0, 0.25, 2.0])
    np.testing.assert_array_equal(nb.relu_gradient(z), [0.0, 0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(nb.relu([[-1, 3]]), [[0.0, 3.0]])      # lists, integers
    away = np.array([-2.0, -0.3, 0.3, 1.7])                               # off the kink
    for g, slope in ((nb.tanh, nb.tanh_gradient), (nb.relu, nb.relu_gradient),
                     (nb.sigmoid, nb.sigmoid_gradient)):
        numeric = (g(away + 1e-6) - g(away - 1e-6)) / 2e-6
        np.testing.assert_allclose(slope(away), numeric, rtol=1e-8, atol=1e-10)
    with pytest.raises(TypeError, match="z must be an array of numbers"):
        nb.relu("one")


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_slope_from_the_stored_activation(activation) -> None:
    """The matrix form takes g′(z) from a = g(z), which it already has; the loop evaluates
    g′(z). Both must be the same numbers, including at the kink z = 0 for ReLU."""
    chosen = ACTIVATIONS[activation]
    z = np.array([[-4.0, -1.0, 0.0, 0.5, 3.0]])
    s = np.array([[0.3, -2.0, 1.5, -0.7, 1.0]])
    np.testing.assert_allclose(chosen.times_g_prime(s, chosen.g(z)), s * chosen.g_prime(z),
                               rtol=1e-14, atol=1e-17)


# --- bad names -----------------------------------------------------------------------------

def _calls(loss, activation):
    p = random_problem([3, 4, 2], 0)
    T, X, Y = p.Theta, p.X, p.Y
    k = {"loss": loss, "activation": activation}
    return {
        "cost": lambda: nb.cost(T, X, Y, **k),
        "backprop": lambda: nb.backprop(T, X, Y, **k),
        "backprop_vectorized": lambda: nb.backprop_vectorized(T, X, Y, **k),
        "backprop_example": lambda: nb.backprop_example(T, X[0], Y[0], **k),
        "forward_propagate": lambda: nb.forward_propagate(T, X, activation=activation),
        "accumulate": lambda: nb.accumulate(T, X, Y, **k),
        "accumulation_history": lambda: nb.accumulation_history(T, X, Y, **k),
        "gradient_check": lambda: nb.gradient_check(T, X, Y, **k),
        "train": lambda: nb.train(T, X, Y, max_iter=1, **k),
    }


BAD_NAMES = [("loss", "cross-entropy", ValueError, "unknown loss 'cross-entropy'.*'logistic', 'squared'"),
             ("loss", "Squared", ValueError, "lower-case.*'logistic', 'squared'"),
             ("loss", None, TypeError, "loss must be a name.*'logistic', 'squared'.*NoneType"),
             ("activation", "softplus", ValueError,
              "unknown activation 'softplus'.*'sigmoid', 'tanh', 'relu'.*output layer"),
             ("activation", nb.relu, TypeError,
              "activation must be a name.*'sigmoid', 'tanh', 'relu'.*function"),
             ("activation", ["relu"], TypeError, "activation must be a name.*list")]


BAD_CALLS = [(function, *bad) for bad in BAD_NAMES for function in _calls("logistic", "sigmoid")
             if not (function == "forward_propagate" and bad[0] == "loss")]   # takes no loss


@pytest.mark.parametrize(("function", "argument", "value", "error", "message"), BAD_CALLS,
                         ids=[f"{a}={getattr(v, '__name__', repr(v))}-{f}"   # no address in an id
                              for f, a, v, _, _ in BAD_CALLS])
def test_bad_names_are_refused_with_the_valid_ones(function, argument, value, error, message) -> None:
    names = {"loss": "logistic", "activation": "sigmoid", argument: value}
    with pytest.raises(error, match=message):
        _calls(**names)[function]()


@pytest.mark.parametrize("function", [nb.predict, nb.accuracy])
def test_predict_and_accuracy_refuse_a_bad_activation(function) -> None:
    p = random_problem([3, 4, 2], 0)
    args = (p.Theta, p.X) if function is nb.predict else (p.Theta, p.X, p.labels)
    with pytest.raises(ValueError, match="'sigmoid', 'tanh', 'relu'"):
        function(*args, activation="Tanh")


# --- the defaults are the lecture, bit for bit ---------------------------------------------

def _lecture_loop(Theta, X, Y, lam):
    """The lecture's loop with the operations the course has always used: g′ as
    expit(z)·(1 − expit(z)), δ⁽ᴸ⁾ = a − y, Δ += δ aᵀ, D = Δ/m + (λ/m)Θ off column 0.
    These references pin the order of the floating-point operations, which a tolerance
    would not."""
    L = len(Theta) + 1
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a = {1: np.concatenate(([1.0], x))}
        z = {}
        for l in range(1, L):
            z[l + 1] = a[l] @ Theta[l].T
            a[l + 1] = expit(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], expit(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * (expit(z[l]) * (1.0 - expit(z[l])))
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return _d_terms(Delta, Theta, X.shape[0], lam)


def _lecture_matrix_form(Theta, X, Y, lam):
    """J and D with the matrix form's operations: rows are examples, the bias enters through
    column 0 of Θ, g′ = a·(1 − a) from the stored a, J from z with one exp and one log."""
    L = len(Theta) + 1
    G = {1: X}
    for l in range(1, L):
        Z = G[l] @ Theta[l][:, 1:].T + Theta[l][:, 0]
        G[l + 1] = expit(Z)
    m = X.shape[0]
    J = float(np.sum(np.maximum(Z, 0.0) - Y * Z + np.log1p(np.exp(-np.abs(Z)))) / m)
    delta, Delta = G[L] - Y, {}
    for l in range(L - 1, 0, -1):
        Delta[l] = np.column_stack([delta.sum(axis=0), (G[l].T @ delta).T])
        if l > 1:
            delta = (delta @ Theta[l][:, 1:]) * G[l] * (1.0 - G[l])
    return J + nb.regularization_cost(Theta, m, lam), _d_terms(Delta, Theta, m, lam)


def _d_terms(Delta, Theta, m, lam):
    D = {}
    for l, T in Theta.items():
        R = np.zeros_like(T)
        R[:, 1:] = (lam / m) * T[:, 1:]
        D[l] = Delta[l] / m + R
    return D


@pytest.mark.parametrize(("sizes", "seed", "lam"), NETWORKS)
def test_defaults_are_the_lecture_bit_for_bit(sizes, seed, lam) -> None:
    """Without the keywords, with the default names spelled out, and against the lecture's
    operations written out above: the same bits (np.array_equal, not a tolerance)."""
    p = random_problem(sizes, seed)
    T, X, Y = p.Theta, p.X, p.Y
    spelled = {"loss": "logistic", "activation": "sigmoid"}
    reference = _lecture_loop(T, X, Y, lam)
    for D in (nb.backprop(T, X, Y, lam), nb.backprop(T, X, Y, lam, **spelled)):
        for l in T:
            assert np.array_equal(D[l], reference[l])
    pairs = [
        (nb.backprop_vectorized(T, X, Y, lam), nb.backprop_vectorized(T, X, Y, lam, **spelled)),
        (nb.accumulate(T, X, Y), nb.accumulate(T, X, Y, **spelled)),
        (nb.forward_propagate(T, X).a, nb.forward_propagate(T, X, activation="sigmoid").a),
        (nb.backprop_example(T, X[1], Y[1]).delta,
         nb.backprop_example(T, X[1], Y[1], **spelled).delta),
    ]
    for plain, explicit in pairs:
        for l in plain:
            assert np.array_equal(plain[l], explicit[l])
    J_ref, D_ref = _lecture_matrix_form(T, X, Y, lam)
    J, D = _cost_and_gradient(T, X, Y, lam)                  # what train() evaluates
    assert J == J_ref
    for l in T:
        assert np.array_equal(pairs[0][0][l], D_ref[l])
        assert np.array_equal(D[l], D_ref[l])
    zL = nb.forward_propagate(T, X).z[len(T) + 1]
    by_hand = float(np.sum(Y * np.logaddexp(0.0, -zL) + (1 - Y) * np.logaddexp(0.0, zL))
                    / X.shape[0]) + nb.regularization_cost(T, X.shape[0], lam)
    assert nb.cost(T, X, Y, lam) == nb.cost(T, X, Y, lam, **spelled) == by_hand
    assert nb.gradient_check(T, X, Y, lam) == nb.gradient_check(T, X, Y, lam, **spelled)
    runs = [nb.train(T, X, Y, lam, method="gradient-descent", max_iter=3, **k) for k in ({}, spelled)]
    assert runs[0].costs == runs[1].costs
    for l in T:
        assert np.array_equal(runs[0].Theta[l], runs[1].Theta[l])


# --- a squared-error example worked out on paper -------------------------------------------

def test_squared_error_by_hand_2_2_2() -> None:
    """A 2-2-2 network, one example x = (1, 2), y = (1, 0), with the squared-error cost.

        Θ⁽¹⁾ = [[ 2, 0, −1],       Θ⁽²⁾ = [[0, 1, −1],
                [−1, 1,  0]]               [0, 2, −2]]

    Forward:  a⁽¹⁾ = (1, 1, 2).  z⁽²⁾ = (2 + 0·1 − 1·2, −1 + 1·1 + 0·2) = (0, 0), so
              g(z⁽²⁾) = (½, ½) and a⁽²⁾ = (1, ½, ½).
              z⁽³⁾ = (0 + ½ − ½, 0 + 2·½ − 2·½) = (0, 0), so h = a⁽³⁾ = (½, ½).
    Cost:     J = ½‖h − y‖² = ½((½ − 1)² + (½ − 0)²) = ½(¼ + ¼) = ¼  (m = 1, λ = 0).
    δ⁽³⁾:     g′(z⁽³⁾) = g(0)(1 − g(0)) = ¼ for both units, so
              δ⁽³⁾ = (a⁽³⁾ − y) .* g′(z⁽³⁾) = (−½, ½)·¼ = (−⅛, ⅛).
              (The logistic cost would give a⁽³⁾ − y = (−½, ½): four times as large.)
    δ⁽²⁾:     (Θ⁽²⁾)ᵀδ⁽³⁾ without the bias row = (1·(−⅛) + 2·⅛, −1·(−⅛) − 2·⅛) = (⅛, −⅛);
              g′(z⁽²⁾) = (¼, ¼), so δ⁽²⁾ = (1/32, −1/32).
    D = Δ (m = 1, λ = 0):
              D⁽²⁾ = δ⁽³⁾(a⁽²⁾)ᵀ = [[−⅛, −1/16, −1/16], [⅛, 1/16, 1/16]],
              D⁽¹⁾ = δ⁽²⁾(a⁽¹⁾)ᵀ = [[1/32, 1/32, 1/16], [−1/32, −1/32, −1/16]].
    With λ = 1: J adds λ/(2m)·Σ non-bias Θ² = ½·((0 + 1 + 1 + 0) + (1 + 1 + 4 + 4)) = 6, so
              J = 6¼, and D adds (λ/m)Θ off column 0: D⁽¹⁾ += [[0, 0, −1], [0, 1, 0]],
              D⁽²⁾ += [[0, 1, −1], [0, 2, −2]].

    Every number is a short binary fraction, so the code must give them exactly.
    """
    Theta = {1: np.array([[2.0, 0.0, -1.0], [-1.0, 1.0, 0.0]]),
             2: np.array([[0.0, 1.0, -1.0], [0.0, 2.0, -2.0]])}
    x, y = np.array([1.0, 2.0]), np.array([1.0, 0.0])
    bp = nb.backprop_example(Theta, x, y, loss="squared")
    np.testing.assert_array_equal(bp.z[2], [0.0, 0.0])
    np.testing.assert_array_equal(bp.a[2], [1.0, 0.5, 0.5])
    np.testing.assert_array_equal(bp.h, [0.5, 0.5])
    np.testing.assert_array_equal(bp.delta[3], [-1 / 8, 1 / 8])
    np.testing.assert_array_equal(bp.delta[2], [1 / 32, -1 / 32])
    np.testing.assert_array_equal(nb.backprop_example(Theta, x, y).delta[3], [-0.5, 0.5])

    X, Y = x[np.newaxis, :], y[np.newaxis, :]
    D1 = np.array([[1 / 32, 1 / 32, 1 / 16], [-1 / 32, -1 / 32, -1 / 16]])
    D2 = np.array([[-1 / 8, -1 / 16, -1 / 16], [1 / 8, 1 / 16, 1 / 16]])
    assert nb.cost(Theta, X, Y, loss="squared") == 0.25
    assert nb.cost(Theta, X, Y, 1.0, loss="squared") == 6.25
    for backprop in (nb.backprop, nb.backprop_vectorized):
        D = backprop(Theta, X, Y, loss="squared")
        np.testing.assert_array_equal(D[1], D1)
        np.testing.assert_array_equal(D[2], D2)
        D = backprop(Theta, X, Y, 1.0, loss="squared")
        np.testing.assert_array_equal(D[1], D1 + np.array([[0, 0, -1], [0, 1, 0]]))
        np.testing.assert_array_equal(D[2], D2 + np.array([[0, 1, -1], [0, 2, -2]]))


# --- the trace and the stepper --------------------------------------------------------------

@pytest.mark.parametrize(("loss", "activation"), COMBINATIONS)
def test_trace_shows_the_variants_numbers(loss, activation) -> None:
    """Every value of the trace is backprop_example's with the same choice, the g′ steps are
    the hidden activation's g′, and this example's Δ contributions are the loop's."""
    from nbhelpers.display.notation import activation_notation
    from nbhelpers.display.trace import d_steps, trace_backprop

    p = random_problem([2, 3, 4, 3, 2], 28)
    chosen = {"loss": loss, "activation": activation}
    slope = ACTIVATIONS[activation].g_prime
    bp = nb.backprop_example(p.Theta, p.X[3], p.Y[3], **chosen)
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[3], p.Y[3], **chosen)}
    L = bp.L
    for l in range(2, L + 1):
        np.testing.assert_array_equal(steps[f"a[{l}]"].value, bp.a[l])
        np.testing.assert_array_equal(steps[f"delta[{l}]"].value, bp.delta[l])
    for l in range(2, L):
        np.testing.assert_array_equal(steps[f"g'(z[{l}])"].value, slope(bp.z[l]))
        assert activation_notation(activation).label in steps[f"a[{l}]"].title
    Delta = nb.accumulate(p.Theta, p.X[3:4], p.Y[3:4], **chosen)
    for l in range(1, L):
        np.testing.assert_allclose(steps[f"Delta[{l}]"].value, Delta[l], rtol=0, atol=1e-16)
    D = nb.backprop(p.Theta, p.X, p.Y, 0.5, **chosen)
    for step in d_steps(p.Theta, p.X, p.Y, 0.5, **chosen):
        np.testing.assert_array_equal(step.value, D[step.layer])


def test_trace_of_the_squared_error_writes_its_delta() -> None:
    """The δ⁽ᴸ⁾ step of the squared error shows (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾) with the label itself and
    the output's slope a⁽ᴸ⁾(1 − a⁽ᴸ⁾) among its operands; the lecture's shows a⁽ᴸ⁾ − y."""
    p = nb.lecture_network()
    squared = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0], loss="squared")}
    lecture = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0])}
    step = squared["delta[4]"]
    assert step.equation_text == "δ⁽⁴⁾ = (a⁽⁴⁾ − y) .* g′(z⁽⁴⁾)"
    assert step.equation == r"\delta^{(4)} = (a^{(4)} - y) \mathbin{.*} g'(z^{(4)})"
    operands = {o.name: o.value for o in step.operands}
    np.testing.assert_array_equal(operands["y"], p.Y[0])
    h = lecture["a[4]"].value
    np.testing.assert_array_equal(operands["g′(z⁽⁴⁾)"], h * (1 - h))
    np.testing.assert_allclose(step.value, (h - p.Y[0]) * h * (1 - h), rtol=1e-15)
    assert lecture["delta[4]"].equation_text == "δ⁽⁴⁾ = a⁽⁴⁾ − y"
    relu = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0], activation="relu")}
    assert relu["g'(z[3])"].equation_text == "g′(z⁽³⁾) = 1 if z⁽³⁾ > 0, else 0"
    tanh = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0], activation="tanh")}
    assert tanh["g'(z[2])"].equation_text == "g′(z⁽²⁾) = 1 − g(z⁽²⁾)²"


def test_trace_defaults_are_unchanged_field_by_field() -> None:
    import dataclasses

    p = nb.lecture_network()
    plain = trace_backprop(p.Theta, p.X[1], p.Y[1])
    spelled = trace_backprop(p.Theta, p.X[1], p.Y[1], loss="logistic", activation="sigmoid")
    for a, b in zip(plain, spelled, strict=True):
        for f in dataclasses.fields(a):
            x, y = getattr(a, f.name), getattr(b, f.name)
            assert np.array_equal(x, y) if isinstance(x, np.ndarray) else repr(x) == repr(y)


def test_stepper_steps_through_the_squared_error_with_tanh() -> None:
    from nbhelpers.display.widgets import BackpropStepper

    p = nb.lecture_network(m=4)
    stepper = BackpropStepper(p.Theta, p.X, p.Y, lam=1.0, loss="squared", activation="tanh")
    try:
        stepper.example = 3
        symbols = [s.symbol for s in stepper.steps]
        stepper.step = symbols.index("delta[4]")
        bp = nb.backprop_example(p.Theta, p.X[2], p.Y[2], loss="squared", activation="tanh")
        assert stepper.current.equation_text == "δ⁽⁴⁾ = (a⁽⁴⁾ − y) .* g′(z⁽⁴⁾)"
        np.testing.assert_array_equal(stepper.current.value, bp.delta[4])
        stepper.next()
        assert stepper.current.symbol == "g'(z[3])"
        np.testing.assert_array_equal(stepper.current.value, nb.tanh_gradient(bp.z[3]))
        stepper.lam = 2.0
        D = nb.backprop(p.Theta, p.X, p.Y, 2.0, loss="squared", activation="tanh")
        stepper.step = len(stepper.steps) - 1
        np.testing.assert_array_equal(stepper.current.value, D[1])
    finally:
        stepper.close()
    with pytest.raises(ValueError, match="'logistic', 'squared'"):
        BackpropStepper(p.Theta, p.X, p.Y, loss="mse")
    with pytest.raises(ValueError, match="'sigmoid', 'tanh', 'relu'"):
        trace_backprop(p.Theta, p.X[0], p.Y[0], activation="leaky")
