"""The checks and hints of notebooks 04–06, against answers written as a student would."""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course import feedback
from nbhelpers.course.exercises import nb04, nb05, nb06
from nbhelpers.course.feedback import VERDICTS
from nbhelpers.course.hints import hint_text
from nbhelpers.course.mistakes import BY_ID

P = nb.lecture_network(4)
Theta, X, Y = P.Theta, P.X, P.Y
M = X.shape[0]


LOOP = """Delta = {{l: {zero} for l, T in Theta.items()}}
for i in range(1, m + 1 - {stop}):
    bp_i = nb.backprop_example(Theta, X[i - 1], Y[i - 1])
    for l in {layers}:
        Delta[l] {update} {share}
"""


def student_loop(update="+=", layers="Delta", share="np.outer(bp_i.delta[l + 1], bp_i.a[l])",
                 stop=0, zero="np.zeros_like(T)", after=""):
    """The source of a Delta cell as a student writes it (the right loop by default)."""
    return LOOP.format(update=update, layers=layers, share=share, stop=stop, zero=zero) + after


def _cell(source, **notebook):
    return feedback.diagnose(nb04.ACCUMULATE, source, notebook=notebook or None)


# ---- 04: the derivation's numeric check and the loop -------------------------------------------

def test_derivation_a_times_delta_is_the_slope_of_the_one_example_cost():
    bp = nb.backprop_example(Theta, X[0], Y[0])
    for l, i, j in [(1, 1, 0), (2, 3, 4), (3, 4, 5)]:
        assert nb04.slope_of_c(Theta, X[0], Y[0], l, i, j) == pytest.approx(
            bp.a[l][j] * bp.delta[l + 1][i - 1], rel=1e-7, abs=1e-10)
    share = np.outer(bp.delta[3], bp.a[2])
    assert nb04.largest_gap_to_finite_differences(share, Theta, X[0], Y[0], 2) < 1e-9
    assert nb04.largest_gap_to_finite_differences(share.T.T * 1.01, Theta, X[0], Y[0], 2) > 1e-4


def test_one_example_cost_is_j_with_m_1():
    assert nb04.one_example_cost(Theta, X[1], Y[1]) == pytest.approx(
        nb.cost(Theta, X[1:2], Y[1:2]), rel=1e-14)


def test_example_1_is_the_same_as_in_notebook_03():
    three = nb.lecture_network(3)
    np.testing.assert_array_equal(X[0], three.X[0])
    np.testing.assert_array_equal(Y[0], three.Y[0])


def test_the_right_loop_passes_on_the_notebooks_values_and_others():
    verdict = _cell(student_loop(), Theta=Theta, X=X, Y=Y, m=M, L=4)
    assert verdict.passed and verdict.message.startswith(
        "✔ Δ is correct for every layer, on the notebook's values and on 3 other problems")
    ref = nb.accumulate(Theta, X, Y)
    assert all(np.allclose(verdict.value[l], ref[l], rtol=1e-12, atol=1e-15) for l in ref)


def test_the_probes_start_with_the_notebooks_own_names():
    probes = nb04.probes(None, {"Theta": Theta, "X": X, "Y": Y, "m": M, "plt": object()})
    assert probes[0].own and probes[0].title == "the notebook's Θ, X and Y"
    assert "plt" not in probes[0].values, "only the notebook's data reach the cell"
    assert {len(p.values["Theta"]) + 1 for p in probes} == {2, 3, 4}
    assert all(p.values["m"] == len(p.values["X"]) > 1 for p in probes)
    for p in probes[1:]:                  # each probe defines the names section 2 defines
        v = p.values
        np.testing.assert_array_equal(v["share"], np.outer(v["bp"].delta[v["l"] + 1], v["bp"].a[v["l"]]))


@pytest.mark.parametrize(("source", "mistake", "said"), [
    (student_loop(update="="), "delta_overwritten", "holds the share δ⁽²⁾(a⁽¹⁾)ᵀ of example 4 only"),
    (student_loop(layers="range(2, L)"), "layer_skipped", "Δ⁽¹⁾ is all zeros"),
    (student_loop(layers="[1]"), None, "Δ⁽²⁾ is all zeros"),
    (student_loop(stop=1), None, "with the weights (1, 1, 1, 0) for examples 1…4"),
    (student_loop(after="Delta = {l: D / m for l, D in Delta.items()}\n"), None,
     "Δ⁽¹⁾ is 0.25 times the sum of the 4 examples' shares"),
    (student_loop(share="np.outer(bp.delta[l + 1], bp.a[l])"), None,
     "holds the share δ⁽²⁾(a⁽¹⁾)ᵀ of example 1 only (4 times)"),
    (student_loop(share="np.outer(bp_i.a[l], bp_i.delta[l + 1])", zero="0"), "outer_transposed",
     "it is transposed"),
    (student_loop(share="np.outer(bp_i.delta[l + 1], bp_i.a[l][1:])", zero="0"), None,
     "without column 0, the bias weights' share"),
    (student_loop(after="Delta = [Delta[l] for l in sorted(Delta)]\n"), None, "Delta is a list"),
    (student_loop(after="Delta = {l - 1: D for l, D in Delta.items()}\n"), None, "counted from 0"),
    ("Delta = {1: 'Δ', 2: None, 3: 0}\n", None, "not an array of numbers"),
    ("Delta = 0.0\n", None, "Delta is a float"),
    ("Delta = {1: np.ones((5, 4)), 2: np.ones((5, 6)), 3: np.ones((4, 6))}\n", None, "typed in?"),
])
def test_each_wrong_loop_is_located_and_named_where_the_catalogue_has_it(source, mistake, said):
    verdict = _cell(source, Theta=Theta, X=X, Y=Y, m=M, L=4)
    assert (verdict.passed, verdict.step, verdict.mistake) == (False, "accumulate", mistake)
    assert verdict.message.startswith("✘") and said in verdict.message, verdict.message


def test_a_cell_that_stops_is_explained_with_what_it_was_given():
    verdict = _cell(student_loop(share="np.outer(bp_i.a[l], bp_i.delta[l + 1])"))
    assert (verdict.step, verdict.mistake, verdict.layer) == ("accumulate", "outer_transposed", 1)
    assert "stopped with ValueError" in verdict.message
    assert "(a⁽¹⁾(δ⁽²⁾)ᵀ, the share transposed) is 4 × 5" in verdict.message
    verdict = _cell(student_loop(share="np.outer(bp_i.delta[l], bp_i.a[l])"))
    assert verdict.step == "accumulate" and verdict.mistake is None
    assert "there is no δ⁽¹⁾" in verdict.message and "KeyError" in verdict.message


def test_nothing_written_yet():
    verdict = _cell("Delta = ...  # your loop\n")
    assert verdict.not_written
    assert verdict.message.startswith("… your Delta cell is not written yet")


def test_a_cell_that_changes_theta_fails():
    verdict = _cell(student_loop(after="Theta[1][0, 0] = 0.0\n"))
    assert (verdict.step, verdict.mistake) == ("inputs", "inputs_mutated")


def test_shares_are_the_outer_products_and_sum_to_delta():
    parts = nb04.shares(Theta, X, Y, 2)
    bp = nb.backprop_example(Theta, X[2], Y[2])
    np.testing.assert_allclose(parts[2], np.outer(bp.delta[3], bp.a[2]), rtol=1e-14)
    np.testing.assert_allclose(sum(parts), nb.accumulate(Theta, X, Y)[2], rtol=1e-12, atol=1e-15)


def test_share_ranks_one_per_example():
    ranks, total = nb04.share_ranks(Theta, X, Y, 2)
    assert ranks == [1] * M and total == M


# ---- 05: D from the accumulators, the predicted change ------------------------------------------

P3 = nb.lecture_network(3)
LAM = 0.3
DELTA3 = nb.accumulate(P3.Theta, P3.X, P3.Y)


def d_right(Delta_l, Theta_l, m, lam):
    D_l = Delta_l / m
    D_l[:, 1:] = D_l[:, 1:] + lam / m * Theta_l[:, 1:]
    return D_l


def d_bias_too(Delta_l, Theta_l, m, lam):
    return Delta_l / m + lam / m * Theta_l


def d_lecture(Delta_l, Theta_l, m, lam):
    D_l = Delta_l / m
    D_l[:, 1:] += lam * Theta_l[:, 1:]
    return D_l


def d_no_m(Delta_l, Theta_l, m, lam):
    D_l = Delta_l.copy()
    D_l[:, 1:] += lam / m * Theta_l[:, 1:]
    return D_l


def d_no_reg(Delta_l, Theta_l, m, lam):
    return Delta_l / m


def d_crashes(Delta_l, Theta_l, m, lam):
    return Delta_l / m + lam / m * Theta_l[1:]


def d_todo(Delta_l, Theta_l, m, lam):
    raise NotImplementedError("write the body of d_from_accumulators")


def _d(fn):
    return feedback.diagnose(nb05.D_FROM_ACCUMULATORS, fn)


def test_d_from_accumulators_right():
    verdict = _d(d_right)
    assert verdict.passed and verdict.value is d_right
    assert verdict.message.startswith("✔ d_from_accumulators is correct on all 11 layers")


def test_the_d_probes_have_lambda_zero_and_not_one_and_one_example():
    probes = nb05.d_probes(None, None)
    assert {p.args()[3] for p in probes} == {0.0, 0.3, 0.7, 2.5}
    assert {p.args()[2] for p in probes} == {1, 3, 4, 10}
    assert all(p.args()[0].shape[0] != p.args()[0].shape[1] for p in probes), "no square Θ⁽ˡ⁾"


@pytest.mark.parametrize(("fn", "mistake"), [
    (d_bias_too, "bias_regularized"), (d_lecture, "lambda_not_over_m"), (d_no_m, "missing_1_over_m"),
    (d_no_reg, "regularization_missing")])
def test_d_from_accumulators_mistakes_are_named(fn, mistake):
    verdict = _d(fn)
    assert (verdict.passed, verdict.step, verdict.mistake) == (False, "d_terms", mistake)
    assert f"The mistake: {BY_ID[mistake].title}" in verdict.message


def test_d_from_accumulators_reading_the_notebooks_lambda_is_named_uses_globals():
    namespace = {"np": np, "lam": 0.3}
    exec("def d_global(Delta_l, Theta_l, m, lam_arg):\n"
         "    D_l = Delta_l / m\n"
         "    D_l[:, 1:] += lam / m * Theta_l[:, 1:]\n"
         "    return D_l\n", namespace)
    verdict = _d(namespace["d_global"])
    assert (verdict.step, verdict.mistake) == ("d_terms", "uses_globals")


def test_a_crash_quotes_the_students_line_and_explains_the_slice():
    verdict = _d(d_crashes)
    text = verdict.message
    assert text.startswith("✘ d_from_accumulators stopped with ValueError")
    assert "`return Delta_l / m + lam / m * Theta_l[1:]` (line 2)" in text
    assert "one row fewer than Θ⁽ˡ⁾" in text and "[:, 1:]" in text
    assert "s₍ₗ₊₁₎ × (sₗ + 1)" in text and verdict.step == "d_terms"


def test_d_from_accumulators_not_written():
    verdict = _d(d_todo)
    assert verdict.not_written
    assert "write it in the cell above, then run this cell again" in verdict.message


# ---- 05-predicted-change (tests/corpus holds more answers and their verdicts) ------------------

SHELL_05 = """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb05
p = nb.lecture_network()
m = p.X.shape[0]
lam = 0.3
G = nb.backprop(p.Theta, p.X, p.Y, lam)
D = {l: np.array(G[l]) for l in G}
def J(Theta):
    return nb.cost(Theta, p.X, p.Y, lam)
D_step = D
ALPHA = 0.1
J_before = J(p.Theta)
J_after = J({l: p.Theta[l] - ALPHA * D_step[l] for l in p.Theta})
"""


@pytest.fixture
def shell_05(notebook_shell):
    """A real IPython shell set up as notebook 05 is when its predicted-change exercise comes."""
    return notebook_shell(SHELL_05)


def _predicted_right():
    D = nb.backprop(P3.Theta, P3.X, P3.Y, LAM)
    return -0.1 * sum(float(np.sum(D[l] ** 2)) for l in D)


def test_predicted_change_right_in_the_notebook_is_handed_on(shell_05, capsys):
    cell = "predicted_change = -ALPHA * sum(np.sum(D_step[l] ** 2) for l in D_step)"
    for source in (cell, "predicted_change = nb05.check_predicted_change()"):
        assert shell_05.run_cell(source, store_history=True).error_in_exec is None
    assert capsys.readouterr().out.startswith(
        "✔ predicted_change is correct, on the notebook's values and on 4 other problems.")
    assert shell_05.user_ns["predicted_change"] == pytest.approx(_predicted_right(), rel=1e-12)
    assert VERDICTS["05-predicted-change"] is True


@pytest.mark.parametrize(("cell", "mistake", "said"), [
    ("predicted_change = -ALPHA * np.sum(D_step[1] ** 2)", "first_layer_only", "only D⁽¹⁾ used"),
    ("predicted_change = ALPHA * sum((D_step[l] ** 2).sum() for l in D_step)", "step_sign",
     "the minus sign of the step left out"),
    ('predicted_change = "0.5"', None, "is a str, not numbers"),
    ("predicted_change = -ALPHA * sum(np.sum(D_step[l] ** 3) for l in D_step)", None,
     "none of the common mistakes"),
])
def test_predicted_change_mistakes(cell, mistake, said):
    verdict = nb05_diagnose(cell)
    assert not verdict.passed and verdict.step == "gradient_descent"
    assert verdict.mistake == mistake and said in verdict.message
    assert f"{_predicted_right():.3g}" not in verdict.message


def nb05_diagnose(cell):
    from nbhelpers.course import feedback
    return feedback.diagnose(nb05.PREDICTED_CHANGE, cell)


def test_predicted_change_typed_in_or_from_the_real_change_fails(shell_05, capsys):
    typed = f"predicted_change = {_predicted_right()!r}"
    for source in (typed, "predicted_change = nb05.check_predicted_change()",
                   "predicted_change = J_after - J_before",
                   "predicted_change = nb05.check_predicted_change()"):
        assert shell_05.run_cell(source, store_history=True).error_in_exec is None
    out = capsys.readouterr().out.split("\n✘")
    assert out[0].startswith("✘ predicted_change is the same on every problem the check tried")
    assert out[1].startswith(" predicted_change is the real change J(Θ − αD) − J(Θ)")
    assert VERDICTS["05-predicted-change"] is False


def test_predicted_change_not_written_says_what_to_do():
    verdict = nb05_diagnose("predicted_change = ...")
    assert verdict.not_written and "in the cell above, then run this cell again" in verdict.message


def test_printed_d_is_lambda_theta_outside_the_bias_column():
    D = nb.backprop(P3.Theta, P3.X, P3.Y, LAM)
    printed = nb05.printed_d(P3.Theta, P3.X, P3.Y, LAM)
    for l in D:
        np.testing.assert_allclose(printed[l][:, 0], D[l][:, 0], rtol=1e-13)
        np.testing.assert_allclose(printed[l][:, 1:] - D[l][:, 1:],
                                   (LAM - LAM / 3) * P3.Theta[l][:, 1:], rtol=1e-12, atol=1e-15)


# ---- 06: the two-sided difference ---------------------------------------------------------------

def J(T):
    return nb.cost(T, P3.X, P3.Y, 1.0)


def two_sided_right(J, Theta, l, row, col, epsilon=1e-4):
    plus = {k: T.copy() for k, T in Theta.items()}
    minus = {k: T.copy() for k, T in Theta.items()}
    plus[l][row, col] += epsilon
    minus[l][row, col] -= epsilon
    return (J(plus) - J(minus)) / (2 * epsilon)


def one_sided(J, Theta, l, row, col, epsilon=1e-4):
    plus = {k: T.copy() for k, T in Theta.items()}
    plus[l][row, col] += epsilon
    return (J(plus) - J(Theta)) / epsilon


def over_epsilon(J, Theta, l, row, col, epsilon=1e-4):
    return 2 * two_sided_right(J, Theta, l, row, col, epsilon)


def in_place(J, Theta, l, row, col, epsilon=1e-4):
    Theta[l][row, col] += epsilon
    up = J(Theta)
    Theta[l][row, col] -= 2 * epsilon
    down = J(Theta)
    return (up - down) / (2 * epsilon)


def copies_the_keys(J, Theta, l, row, col, epsilon=1e-4):
    plus = [T.copy() for T in Theta]
    plus[l][row, col] += epsilon
    return (J(plus) - J(Theta)) / epsilon


def _tsd(fn):
    return feedback.diagnose(nb06.TWO_SIDED, fn)


def test_two_sided_crash_is_quoted_and_explained():
    verdict = _tsd(copies_the_keys)
    text = verdict.message
    assert text.startswith("✘ two_sided_difference stopped with AttributeError")
    assert "`plus = [T.copy() for T in Theta]` (line 2)" in text
    assert "Theta is a dict keyed by the layer numbers 1, 2, 3" in text
    assert verdict.step == "gradient_check"


def test_two_sided_right():
    verdict = _tsd(two_sided_right)
    assert verdict.passed and verdict.value is two_sided_right
    assert verdict.message.startswith("✔ two_sided_difference is correct on all 7 entries")


def test_the_probes_give_j_as_data_and_ask_one_entry_of_two_js():
    from functools import partial

    probes = nb06.probes(None, None)
    for p in probes:
        J = p.args()[0]
        assert isinstance(J, partial) and J.func is nb.cost and set(J.keywords) == {"X", "Y", "lam"}
    pair = [p for p in probes if "partner" in p.extra]
    assert len(pair) == 1
    other = probes[pair[0].extra["partner"]]
    assert other.args()[2:] == pair[0].args()[2:] and other.expected != pair[0].expected


@pytest.mark.parametrize(("fn", "step", "mistake"), [
    (one_sided, "gradient_check", "one_sided_difference"),
    (over_epsilon, "gradient_check", "epsilon_not_doubled"),
    (in_place, "inputs", "inputs_mutated")])
def test_two_sided_mistakes(fn, step, mistake):
    verdict = _tsd(fn)
    assert (verdict.passed, verdict.step, verdict.mistake) == (False, step, mistake)


def reversed_difference(J, Theta, l, row, col, epsilon=1e-4):
    return -two_sided_right(J, Theta, l, row, col, epsilon)


def analytic_from_js_data(J, Theta, l, row, col, epsilon=1e-4):
    """The student's own backpropagation on the data inside J: the slope, but not from J."""
    X, Y, lam = J.keywords["X"], J.keywords["Y"], J.keywords["lam"]
    L = len(Theta) + 1
    Delta = {k: np.zeros_like(T) for k, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a = {1: np.concatenate(([1.0], x))}
        for k in range(1, L):
            h = 1 / (1 + np.exp(-(Theta[k] @ a[k])))
            a[k + 1] = h if k + 1 == L else np.concatenate(([1.0], h))
        d = {L: a[L] - y}
        for k in range(L - 1, 1, -1):
            d[k] = (Theta[k][:, 1:].T @ d[k + 1]) * a[k][1:] * (1 - a[k][1:])
        for k in Delta:
            Delta[k] += np.outer(d[k + 1], a[k])
    D = Delta[l] / len(X)
    D[:, 1:] += lam / len(X) * Theta[l][:, 1:]
    return D[row, col]


def J_of_the_notebook(J, Theta, l, row, col, epsilon=1e-4):
    return two_sided_right(lambda T: nb.cost(T, P3.X, P3.Y, 1.0), Theta, l, row, col, epsilon)


def test_a_reversed_difference_is_named():
    verdict = _tsd(reversed_difference)
    assert (verdict.step, verdict.mistake) == ("gradient_check", "difference_reversed")


@pytest.mark.parametrize(("fn", "said"), [
    (analytic_from_js_data, "returns the slope that backpropagation computes"),
    (J_of_the_notebook, "gives the very same number for two different J's")])
def test_a_difference_that_is_not_of_the_given_j_fails_as_a_method(fn, said):
    verdict = _tsd(fn)
    assert (verdict.passed, verdict.step, verdict.mistake) == (False, "method", None)
    assert said in verdict.message


def test_the_packages_gradients_are_refused():
    for fn, name in [(lambda J, Theta, l, row, col, epsilon=1e-4:
                      nb.numerical_gradient(J, Theta, epsilon)[l][row, col], "nb.numerical_gradient"),
                     (lambda J, Theta, l, row, col, epsilon=1e-4:
                      nb.backprop(Theta, P3.X, P3.Y, 1.0)[l][row, col], "nb.backprop")]:
        verdict = _tsd(fn)
        assert (verdict.step, verdict.mistake) == ("package", "package_call")
        assert f"calls {name} from the package" in verdict.message


# ---- hints teach without telling -----------------------------------------------------------------

SOLUTION_LINES = [
    "Delta[l] += np.outer(bp.delta[l + 1], bp.a[l])",
    "D_l[:, 1:] += lam / m * Theta_l[:, 1:]",
    "-ALPHA * sum(np.sum(D_step[l] ** 2) for l in D_step)",
    "(J(plus) - J(minus)) / (2 * epsilon)",
    "delta[l] = (Theta[l][:, 1:].T @ delta[l + 1])",
]


@pytest.mark.parametrize("exercise", ["04-accumulate", "05-d-from-accumulators",
                                      "05-predicted-change", "05-backprop",
                                      "06-two-sided-difference"])
def test_three_tiers_and_no_solution_line(exercise):
    tiers = [hint_text(exercise, level) for level in (1, 2, 3)]
    assert "___" in tiers[2]                      # the skeleton has blanks
    for text in tiers:
        for line in SOLUTION_LINES:
            assert line not in text


def test_the_two_figures_of_06_draw_what_they_say():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    eps = np.logspace(-1, -10, 19)
    two = 1e-11 * (eps ** 2 / 1e-8 + 1e-6 / eps)
    fig = nb06.plot_epsilon_v(eps, two, 10 * two)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 4                      # two curves, two stars
    star = ax.get_lines()[2]
    assert star.get_xdata()[0] == eps[two.argmin()]
    plt.close(fig)
    fig = nb06.plot_zoo({"correct": 1e-11, "stops": None, "bug": 1e-2}, 1e-7)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["correct", "bug"]
    passed, caught = (p.get_facecolor()[:3] for p in ax.patches)
    assert passed != caught
    plt.close(fig)


def test_the_figures_of_04_and_05():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = nb04.plot_shares(Theta, X, Y, 2)
    titles = [ax.get_title() for ax in fig.axes[:M + 1]]
    assert titles[:M] == [f"example {k}\nrank 1" for k in range(1, M + 1)]
    assert titles[M] == f"Δ⁽²⁾ = their sum\nrank {M}"
    plt.close(fig)
    fig = nb05.plot_two_formulas([1, 2, 3], [[1e-10, 1e-10], [1e-10, 0.3], [1e-10, 0.5]], 0.3, 1e-7)
    assert len(fig.axes[0].get_lines()) == 3
    plt.close(fig)


# ---- 04: a loop that hands the work to the package is refused ----------------------------------


@pytest.fixture
def shell():
    """A real IPython shell whose input history (``In``) the check reads back."""
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    sh.run_cell("import numpy as np\nimport nbhelpers as nb\n"
                "from nbhelpers.course.exercises import nb04\n"
                "p = nb.lecture_network(m=4)\nTheta, X, Y = p.Theta, p.X, p.Y\nm = X.shape[0]",
                store_history=True)
    yield sh
    InteractiveShell.clear_instance()


@pytest.mark.parametrize(("cell", "used"), [
    ("Delta = nb.accumulate(Theta, X, Y)", "nb.accumulate"),
    ("Delta = nb.backprop(Theta, X, Y).Delta", "nb.backprop"),
    ("Delta = {}\nfor l in Theta:\n    Delta[l] = sum(nb04.shares(Theta, X, Y, l))",
     "nbhelpers.course.exercises.nb04.shares"),
])
def test_a_loop_calling_the_package_is_refused(shell, capsys, cell, used):
    for source in (cell, "Delta = nb04.check_accumulators()"):
        assert shell.run_cell(source, store_history=True).error_in_exec is None
    out = capsys.readouterr().out
    assert out.startswith("✘ your Delta cell calls " + used), out
    assert VERDICTS["04-accumulate"] is False
    assert "The cells below use the right value" in out


def test_the_students_own_loop_in_the_shell_passes(shell, capsys):
    loop = ("Delta = {l: np.zeros_like(T) for l, T in Theta.items()}\n"
            "for i in range(1, m + 1):\n"
            "    bp_i = nb.backprop_example(Theta, X[i - 1], Y[i - 1])\n"
            "    for l in Delta:\n"
            "        Delta[l] += np.outer(bp_i.delta[l + 1], bp_i.a[l])")
    for source in (loop, "Delta = nb04.check_accumulators()"):
        assert shell.run_cell(source, store_history=True).error_in_exec is None
    assert capsys.readouterr().out.startswith("✔ Δ is correct for every layer, on the notebook's")
    assert VERDICTS["04-accumulate"] is True


def test_tier_two_of_04_gives_shapes_not_code():
    text = hint_text("04-accumulate", 2)
    for code in ("backprop_example", "np.outer", "bp.", "X["):
        assert code not in text
    assert "s₍ₗ₊₁₎ × (sₗ + 1)" in text


# ---- 05: in-place changes and the lecture's entry numbering ----------------------------------------

def d_divides_delta_in_place(Delta_l, Theta_l, m, lam):
    Delta_l /= m
    Delta_l[:, 1:] += lam / m * Theta_l[:, 1:]
    return Delta_l


def d_zeroes_theta_bias_in_place(Delta_l, Theta_l, m, lam):
    Theta_l[:, 0] = 0
    return Delta_l / m + lam / m * Theta_l


def d_one_entry_off(Delta_l, Theta_l, m, lam):
    D_l = Delta_l / m
    D_l[:, 1:] = D_l[:, 1:] + lam / m * Theta_l[:, 1:]
    D_l[1, 2] += 0.5
    return D_l


@pytest.mark.parametrize(("fn", "argument"), [(d_divides_delta_in_place, "Delta_l"),
                                              (d_zeroes_theta_bias_in_place, "Theta_l")])
def test_d_from_accumulators_that_changes_its_arguments_in_place_fails(fn, argument):
    verdict = _d(fn)
    assert (verdict.step, verdict.mistake) == ("inputs", "inputs_mutated")
    assert verdict.message.startswith(f"✘ d_from_accumulators changes {argument} in place")
    assert "`x / m` makes a new array" in verdict.message


def test_d_from_accumulators_names_a_wrong_entry_in_the_lectures_numbering():
    verdict = _d(d_one_entry_off)
    assert verdict.mistake is None and verdict.step == "d_terms"
    assert "D⁽ˡ⁾ at row 1, column 2 (the lecture's i = 2, j = 2) is 0.5 too large" in verdict.message
    assert "1 of its 20 entries are wrong" in verdict.message


def test_both_05_exercises_not_written_say_what_to_do():
    def d_from_accumulators(Delta_l, Theta_l, m, lam):
        raise NotImplementedError("write the body")
    for verdict in (feedback.diagnose("05-d-from-accumulators", d_from_accumulators),
                    feedback.diagnose("05-predicted-change", "predicted_change = ...")):
        assert verdict.not_written and not verdict.passed
        assert "write it in the cell above, then run this cell again" in verdict.message


def test_predicted_change_hints_do_not_spell_the_formula():
    tiers = " ".join(hint_text("05-predicted-change", level) for level in (1, 2, 3))
    assert "** 2" not in tiers and "-ALPHA" not in tiers and "-alpha" not in tiers


def test_the_capstone_check_of_05_is_feedbacks_under_the_capstone_id(capsys):
    from nbhelpers.course.feedback import CAPSTONE

    assert nb05.BACKPROP == CAPSTONE == "05-backprop"

    def backprop(Theta, X, Y, lam):
        return nb.backprop(Theta, X, Y, lam)

    assert nb05.check_backprop(backprop) is False            # the package's own: refused
    assert "calls nb.backprop from the package" in capsys.readouterr().out
    assert VERDICTS["05-backprop"] is False
