"""The checks and hints of notebooks 04–06, against answers written as a student would."""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course.exercises import nb04, nb05, nb06
from nbhelpers.course.feedback import VERDICTS
from nbhelpers.course.hints import hint_text

P = nb.lecture_network(4)
Theta, X, Y = P.Theta, P.X, P.Y
M = X.shape[0]


def student_loop(update="+=", layers="all", order=lambda a, d: np.outer(d, a), stop=0,
                 zero=np.zeros_like):
    Delta = {l: zero(T) for l, T in Theta.items()}
    for i in range(1, M + 1 - stop):
        bp = nb.backprop_example(Theta, X[i - 1], Y[i - 1])
        for l in (Delta if layers == "all" else [1]):
            share = order(bp.a[l], bp.delta[l + 1])
            Delta[l] = Delta[l] + share if update == "+=" else share
    return Delta


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


def test_the_right_loop_passes(capsys):
    Delta = student_loop()
    out = nb04.check_accumulators(Delta, Theta, X, Y)
    assert out is Delta and VERDICTS["04-accumulate"] is True
    assert capsys.readouterr().out.startswith("✔")


@pytest.mark.parametrize(("answer", "phrase"), [
    (lambda: student_loop(update="="), "replaced Δ with the last example's share (= instead of +=)"),
    (lambda: student_loop(layers="first"), "only Δ⁽¹⁾"),
    (lambda: student_loop(stop=1), "leave out the last example"),
    (lambda: {l: D / M for l, D in student_loop().items()}, "divide by m"),
    (lambda: student_loop(order=np.outer, zero=lambda T: 0), "transposed"),
    (lambda: student_loop(order=lambda a, d: np.outer(d, a[1:]), zero=lambda T: 0),
     "bias unit missing"),
    (lambda: [student_loop()[l] for l in (1, 2, 3)], "list"),
    (lambda: {l - 1: D for l, D in student_loop().items()}, "0-based"),
    (lambda: {1: "Δ", 2: None, 3: 0}, "not an array of numbers"),
    (lambda: 0.0, "float"),
])
def test_each_wrong_loop_is_named(answer, phrase, capsys):
    out = nb04.check_accumulators(answer(), Theta, X, Y)
    text = capsys.readouterr().out
    assert text.startswith("✘") and phrase in text, text
    assert VERDICTS["04-accumulate"] is False
    ref = nb.accumulate(Theta, X, Y)
    assert all(np.array_equal(out[l], ref[l]) for l in ref)        # later cells get the reference


def test_nothing_written_yet(capsys):
    nb04.check_accumulators(..., Theta, X, Y)
    assert capsys.readouterr().out.startswith("… Δ is not implemented yet")


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


def test_d_from_accumulators_right(capsys):
    fn = nb05.check_d_from_accumulators(d_right, DELTA3, P3.Theta, 3, LAM)
    assert fn is d_right and capsys.readouterr().out.startswith("✔")
    assert VERDICTS["05-d-from-accumulators"] is True


@pytest.mark.parametrize(("fn", "phrase"), [
    (d_bias_too, "bias column"), (d_lecture, "λΘ, as printed"), (d_no_m, "1/m"),
    (d_no_reg, "leave out the regularization"), (d_crashes, "stopped with ValueError"),
    (d_todo, "not implemented yet")])
def test_d_from_accumulators_mistakes(fn, phrase, capsys):
    got = nb05.check_d_from_accumulators(fn, DELTA3, P3.Theta, 3, LAM)
    text = capsys.readouterr().out
    assert phrase in text and got is not fn
    assert VERDICTS["05-d-from-accumulators"] is False


def test_a_crash_quotes_the_students_line_and_explains_the_slice(capsys):
    nb05.check_d_from_accumulators(d_crashes, DELTA3, P3.Theta, 3, LAM)
    text = capsys.readouterr().out
    assert text.startswith("✘ d_from_accumulators stopped with ValueError")
    assert "line 2 of your function" in text
    assert "return Delta_l / m + lam / m * Theta_l[1:]" in text
    assert "[:, 1:]" in text and "s₍ₗ₊₁₎ × (sₗ + 1)" in text


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


def test_two_sided_crash_is_quoted_and_explained(capsys):
    got = nb06.check_two_sided_difference(copies_the_keys, J, P3.Theta)
    text = capsys.readouterr().out
    assert text.startswith("✘ two_sided_difference stopped with AttributeError")
    assert "line 2 of your function" in text and "plus = [T.copy() for T in Theta]" in text
    assert "layer by layer" in text and got is not copies_the_keys


def test_two_sided_right(capsys):
    assert nb06.check_two_sided_difference(two_sided_right, J, P3.Theta) is two_sided_right
    assert capsys.readouterr().out.startswith("✔")
    assert VERDICTS["06-two-sided-difference"] is True


@pytest.mark.parametrize(("fn", "phrase"), [
    (one_sided, "one-sided"), (over_epsilon, "instead of 2ε"), (in_place, "changed the Θ")])
def test_two_sided_mistakes(fn, phrase, capsys):
    got = nb06.check_two_sided_difference(fn, J, P3.Theta)
    text = capsys.readouterr().out
    assert text.startswith("✘") and phrase in text and got is not fn
    assert VERDICTS["06-two-sided-difference"] is False


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
    ("Delta = {}\nfor l in Theta:\n    Delta[l] = sum(nb04.shares(Theta, X, Y, l))", "nb.shares"),
])
def test_a_loop_calling_the_package_is_refused(shell, capsys, cell, used):
    for source in (cell, "Delta = nb04.check_accumulators(Delta, Theta, X, Y)"):
        assert shell.run_cell(source, store_history=True).error_in_exec is None
    out = capsys.readouterr().out
    assert out.startswith("✘ Delta calls " + used), out
    assert VERDICTS["04-accumulate"] is False


def test_the_students_own_loop_in_the_shell_passes(shell, capsys):
    loop = ("Delta = {l: np.zeros_like(T) for l, T in Theta.items()}\n"
            "for i in range(1, m + 1):\n"
            "    bp_i = nb.backprop_example(Theta, X[i - 1], Y[i - 1])\n"
            "    for l in Delta:\n"
            "        Delta[l] += np.outer(bp_i.delta[l + 1], bp_i.a[l])")
    for source in (loop, "Delta = nb04.check_accumulators(Delta, Theta, X, Y)"):
        assert shell.run_cell(source, store_history=True).error_in_exec is None
    assert capsys.readouterr().out.startswith("✔")
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


@pytest.mark.parametrize(("fn", "argument"), [(d_divides_delta_in_place, "Delta_l (Δ⁽ˡ⁾)"),
                                              (d_zeroes_theta_bias_in_place, "Theta_l (Θ⁽ˡ⁾)")])
def test_d_from_accumulators_that_changes_its_arguments_in_place_fails(fn, argument, capsys):
    Delta = {l: D.copy() for l, D in DELTA3.items()}
    Theta = {l: T.copy() for l, T in P3.Theta.items()}
    got = nb05.check_d_from_accumulators(fn, Delta, Theta, 3, LAM)
    text = capsys.readouterr().out
    assert text.startswith("✘") and f"changes its argument {argument} in place" in text
    assert got is not fn and VERDICTS["05-d-from-accumulators"] is False
    for l in DELTA3:                                  # the check itself works on copies
        np.testing.assert_array_equal(Delta[l], DELTA3[l])
        np.testing.assert_array_equal(Theta[l], P3.Theta[l])


def test_d_from_accumulators_names_wrong_entries_in_the_lectures_numbering(capsys):
    nb05.check_d_from_accumulators(d_one_entry_off, DELTA3, P3.Theta, 3, LAM)
    text = capsys.readouterr().out
    assert "row i = 2, column j = 2: yours is" in text       # numpy's entry (1, 2)
    assert "entry (" not in text


def test_untouched_05_exercises_say_what_to_do(capsys):
    nb05.check_d_from_accumulators(d_todo, DELTA3, P3.Theta, 3, LAM)
    text = capsys.readouterr().out
    assert text.count("in the cell above, then run this cell again") == 1


def test_predicted_change_hints_do_not_spell_the_formula():
    tiers = " ".join(hint_text("05-predicted-change", level) for level in (1, 2, 3))
    assert "** 2" not in tiers and "-ALPHA" not in tiers and "-alpha" not in tiers


def test_the_capstone_check_of_05_is_feedbacks_under_the_capstone_id(capsys):
    from nbhelpers.course.feedback import CAPSTONE

    assert nb05.BACKPROP == CAPSTONE == "05-backprop"

    def backprop(Theta, X, Y, lam):
        return nb.backprop(Theta, X, Y, lam)

    assert nb05.check_backprop(backprop) is False            # the package's own: refused
    assert "calls the package's own" in capsys.readouterr().out
    assert VERDICTS["05-backprop"] is False
