"""The exercises of notebooks 00–03: each check passes the right answer, names the mistake in
wrong answers written the way a student writes them, never lets a student's exception through,
and its hints teach without giving the answer away."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course import feedback, mistakes
from nbhelpers.course.exercises import nb00, nb03
from nbhelpers.course.hints import hint_text

ROOT = Path(__file__).resolve().parents[1]
P = nb.lecture_network()
THETA, X, Y = P.Theta, P.X, P.Y
g = nb.sigmoid


def _out(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out


def _verdict(capsys: pytest.CaptureFixture[str]) -> str:
    out = _out(capsys)
    assert "Traceback" not in out
    return out


# --- 00-n-params --------------------------------------------------------------------------------
# (tests/corpus holds more answers and their verdicts; these keep what the old checks asserted:
# the mistakes they named, and their words.)

N_PARAMS = sum(T.size for T in THETA.values())


def test_n_params_right_answer_passes() -> None:
    verdict = feedback.diagnose("00-n-params", "n_params = sum(T.size for T in p.Theta.values())")
    assert verdict.passed and verdict.value == N_PARAMS
    assert verdict.message == "✔ n_params is correct on all 4 problems the check tried."


@pytest.mark.parametrize(("cell", "mistake", "named"), [
    ("n_params = sum(T[:, 1:].size for T in p.Theta.values())", "bias_unit_missing",
     "the bias weights left out"),
    ("n_params = sum(nb.layer_sizes(p.Theta))", "units_counted", "the units counted"),
    ("n_params = len(p.Theta)", "matrices_counted", "the matrices counted"),
    ("n_params = p.Theta[1].size", "first_layer_only", "only Θ⁽¹⁾ counted"),
])
def test_n_params_names_the_mistake(cell: str, mistake: str, named: str) -> None:
    verdict = feedback.diagnose("00-n-params", cell)
    assert not verdict.passed and verdict.step == "parameters" and verdict.mistake == mistake
    assert verdict.message.startswith("✘") and named in verdict.message
    assert str(N_PARAMS) not in verdict.message


def test_n_params_probes_other_networks_and_the_notebooks_own_first() -> None:
    from nbhelpers.course.exercises.nb00 import n_params_probes

    probes = n_params_probes(None, None)
    assert {len(p.values["p"].Theta) + 1 for p in probes} == {2, 3, 4, 5}
    assert len({p.expected for p in probes}) == len(probes), "every probe a count of its own"
    own = n_params_probes(None, {"p": P, "s": {1: 3}, "L": 4, "figure": object()})
    assert own[0].own and own[0].expected == N_PARAMS and "figure" not in own[0].values
    shapes = [[T.shape for T in q.values["p"].Theta.values()] for q in n_params_probes(1, None)]
    again = [[T.shape for T in q.values["p"].Theta.values()] for q in n_params_probes(2, None)]
    assert shapes == again, "a seed changes the probes' values, never their shapes"
    assert not np.array_equal(n_params_probes(1, None)[1].values["p"].Theta[1],
                              n_params_probes(2, None)[1].values["p"].Theta[1])


# --- 02-j-unreg and 02-reg ----------------------------------------------------------------------

H = nb.forward_propagate(THETA, X).h
M = X.shape[0]


def test_j_unreg_right_answer_passes() -> None:
    verdict = feedback.diagnose(
        "02-j-unreg", "J_unreg = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m")
    assert verdict.passed and verdict.value == pytest.approx(nb.cost(THETA, X, Y), rel=1e-12)


@pytest.mark.parametrize(("cell", "mistake", "named"), [
    ("J_unreg = -np.sum(Y * np.log(1 - H) + (1 - Y) * np.log(H)) / m", "cost_logs_swapped",
     "log h and log(1 − h) swapped"),
    ("J_unreg = -np.mean(np.sum(Y * np.log(H), axis=1) + np.sum((1 - Y) * np.log(1 - H), axis=1)"
     ") / K", "cost_over_mK", "divided by m·K"),
    ("J_unreg = -(Y * np.log(H)).sum() / m", "cost_second_term_missing",
     "the term (1 − y) log(1 − h) left out"),
])
def test_j_unreg_names_the_mistake(cell: str, mistake: str, named: str) -> None:
    verdict = feedback.diagnose("02-j-unreg", cell)
    assert not verdict.passed and verdict.step == "cost" and verdict.mistake == mistake
    assert verdict.message.startswith("✘") and named in verdict.message


def test_reg_right_answer_passes() -> None:
    verdict = feedback.diagnose(
        "02-reg", "reg = lam / (2 * m) * sum(np.sum(Theta[l][:, 1:] ** 2) for l in Theta)")
    assert verdict.passed and verdict.value == pytest.approx(
        nb.cost(THETA, X, Y, 1.0) - nb.cost(THETA, X, Y), rel=1e-12)
    assert verdict.message == "✔ the regularization term is correct on all 4 problems the check tried."


@pytest.mark.parametrize(("cell", "mistake", "named"), [
    ("reg = lam / (2 * m) * sum(np.sum(T[:, 1:]) for T in Theta.values())", "not_squared",
     "without squaring"),
    ("reg = lam / (2 * m) * sum(np.sum(T[1:] ** 2) for T in Theta.values())", "bias_row_left_out",
     "row 0"),
    ("reg = lam / (2 * m) * np.sum(Theta[1][:, 1:] ** 2)", "first_layer_only", "only Θ⁽¹⁾"),
    ("reg = 1.0 / (2 * m) * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())", "lambda_missing",
     "λ left out"),
])
def test_reg_names_the_mistake(cell: str, mistake: str, named: str) -> None:
    verdict = feedback.diagnose("02-reg", cell)
    assert not verdict.passed and verdict.step == "regularization" and verdict.mistake == mistake
    assert verdict.message.startswith("✘") and named in verdict.message


def test_reg_is_tried_with_lambda_zero_and_lambdas_other_than_one() -> None:
    from nbhelpers.course.exercises.nb02 import reg_probes

    probes = reg_probes(None, None)
    lams = [p.values["lam"] for p in probes]
    assert 0.0 in lams and any(lam not in (0.0, 1.0) for lam in lams)
    assert {p.values["m"] for p in probes} >= {1, 3, 4, 5}
    for p in probes:
        assert p.expected == pytest.approx(nb.regularization_cost(p.values["Theta"], p.values["m"],
                                                                  p.values["lam"]), rel=1e-12)


# --- 03-deltas ----------------------------------------------------------------------------------


def deltas_right(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
    return delta


def deltas_row_form(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    """Right too: δ as a row vector times Θ without column 0, and g′ written as a(1 − a)."""
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    l = L - 1
    while l >= 2:
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * a[l][1:] * (1 - a[l][1:])
        l -= 1
    return delta


def deltas_g_prime_at_a(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        gp = nb.sigmoid_gradient(a[l][1:])
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * gp
    return delta


def deltas_no_g_prime(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in reversed(range(2, L)):
        delta[l] = Theta[l][:, 1:].T @ delta[l + 1]
    return delta


def deltas_keep_delta0(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = Theta[l].T @ delta[l + 1] * nb.sigmoid_gradient(z[l])
    return delta


def deltas_sign_reversed(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: y - a[L]}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
    return delta


def deltas_previous_theta(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l - 1][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
    return delta


def deltas_not_transposed(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:] @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
    return delta


def deltas_last_entry_dropped(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l].T @ delta[l + 1])[:-1] * nb.sigmoid_gradient(z[l])
    return delta


def deltas_only_lecture_depth(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    delta = {4: a[4] - y}
    delta[3] = (Theta[3][:, 1:].T @ delta[4]) * nb.sigmoid_gradient(z[3])
    delta[2] = (Theta[2][:, 1:].T @ delta[3]) * nb.sigmoid_gradient(z[2])
    return delta


def deltas_list(Theta: dict, a: dict, z: dict, y: np.ndarray) -> list:
    out = [a[len(Theta) + 1] - y]
    for l in range(len(Theta), 1, -1):
        out.append((Theta[l][:, 1:].T @ out[-1]) * nb.sigmoid_gradient(z[l]))
    return out


def deltas_zero_based(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    right = deltas_right(Theta, a, z, y)
    return {l - 2: d for l, d in right.items()}


def deltas_with_delta1(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 0, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * a[l][1:] * (1 - a[l][1:])
    return delta


def deltas_stops_early(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 2, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
    return delta


def deltas_forgets_return(Theta: dict, a: dict, z: dict, y: np.ndarray) -> None:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])


def deltas_typo(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l]) * nb.sigmoid_gradient(z[l])
    return delta


def deltas_cheat(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    return nb.backprop_example(Theta, a[1][1:], y).delta


def deltas_not_written(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    raise NotImplementedError("write the body of deltas")


def _deltas(student: Any) -> Any:
    """The verdict on a deltas function, printing nothing."""
    return feedback.diagnose(nb03.DELTAS, student)


@pytest.mark.parametrize("student", [deltas_right, deltas_row_form])
def test_deltas_right_answers_pass_and_are_returned(capsys: pytest.CaptureFixture[str],
                                                    student: Callable[..., Any]) -> None:
    verdict = _deltas(student)
    assert verdict.passed and verdict.value is student
    assert verdict.message.startswith("✔ deltas is correct on all 6 problems")
    assert capsys.readouterr().out == ""


def test_the_reference_matches_backprop_example_and_finite_differences() -> None:
    x, y = X[0], Y[0]
    fp = nb.forward_propagate(THETA, x)
    ref = nb03.reference_deltas(THETA, fp.a, fp.z, y)
    bp = nb.backprop_example(THETA, x, y)
    assert sorted(ref) == [2, 3, 4]
    for l in ref:
        np.testing.assert_allclose(ref[l], bp.delta[l], rtol=1e-12, atol=1e-15)
    # δ⁽²⁾ⱼ = ∂c/∂z⁽²⁾ⱼ: nudge z⁽²⁾ⱼ and finish the forward pass by hand.
    def c_of_z2(z2: np.ndarray) -> float:
        a = np.concatenate(([1.0], g(z2)))
        a = np.concatenate(([1.0], g(THETA[2] @ a)))
        h = g(THETA[3] @ a)
        return float(-np.sum(y * np.log(h) + (1 - y) * np.log(1 - h)))
    eps = 1e-6
    numeric = [(c_of_z2(fp.z[2] + eps * e) - c_of_z2(fp.z[2] - eps * e)) / (2 * eps)
               for e in np.eye(5)]
    np.testing.assert_allclose(ref[2], numeric, rtol=1e-6, atol=1e-10)


def test_the_probes_have_every_depth_and_sizes_that_differ() -> None:
    probes = nb03.probes(None, None)
    depths = {p.problem.L for p in probes}
    assert depths == {2, 3, 4, 5}
    assert probes[0].title == "the lecture's 3-5-5-4 network, example 1"
    five = next(p for p in probes if p.problem.sizes == [3, 5, 7, 9, 2])
    assert len(set(five.problem.sizes)) == 5, "no transpose fits on it"
    other = nb03.probes(7, None)
    assert [p.problem.sizes for p in other] == [p.problem.sizes for p in probes]
    assert not np.array_equal(other[0].args()[0][1], probes[0].args()[0][1]), "a seed draws new Θ"


@pytest.mark.parametrize(("student", "step", "mistake", "layer"), [
    (deltas_g_prime_at_a, "hidden_delta", "g_prime_at_a", 3),
    (deltas_no_g_prime, "hidden_delta", "g_prime_missing", 3),
    (deltas_sign_reversed, "output_delta", "delta_L_sign", 4),
    (deltas_last_entry_dropped, "hidden_delta", "off_by_one_slice", 3),
])
def test_deltas_value_mistakes_are_located_and_named(student: Callable[..., Any], step: str,
                                                     mistake: str, layer: int) -> None:
    verdict = _deltas(student)
    assert (verdict.passed, verdict.step, verdict.mistake, verdict.layer) == (
        False, step, mistake, layer)
    assert verdict.message.startswith("✘ On the lecture's 3-5-5-4 network, example 1, δ")
    assert f"The mistake: {mistakes.BY_ID[mistake].title}" in verdict.message


def test_keeping_delta0_gives_a_shape_error_explained_in_thetas_terms() -> None:
    verdict = _deltas(deltas_keep_delta0)
    out = verdict.message
    assert (verdict.step, verdict.mistake, verdict.layer) == ("hidden_delta", "delta0_kept", 3)
    assert out.startswith("✘ deltas stopped with ValueError on the lecture's 3-5-5-4 network")
    assert "`delta[l] = Theta[l].T @ delta[l + 1] * nb.sigmoid_gradient(z[l])`" in out
    assert "((Θ⁽³⁾)ᵀδ⁽⁴⁾ over all columns, δ₀ first) is 6 entries" in out
    assert "(g′(z⁽³⁾)) is 5 entries" in out and "Θ⁽²⁾ is 5 × 6" in out
    assert "column 0" in out and "a₀ = 1 is a constant" in out


@pytest.mark.parametrize(("student", "mistake", "operand"), [
    (deltas_previous_theta, "theta_wrong_layer", "(Θ⁽²⁾ without its bias column)ᵀ) is 5 × 5"),
    (deltas_not_transposed, "theta_not_transposed", "(Θ⁽³⁾ without its bias column) is 4 × 5"),
])
def test_index_and_transpose_mistakes_are_named_from_the_stop_and_the_square_network(
        student: Callable[..., Any], mistake: str, operand: str) -> None:
    """They stop on networks whose sizes differ; on the one whose layers all have 3 units they
    run, and the loop with the mistake's line gives the very same δ there."""
    verdict = _deltas(student)
    assert (verdict.step, verdict.mistake) == ("hidden_delta", mistake)
    assert verdict.message.startswith("✘ deltas stopped with ValueError")
    assert "The operation `@` was given" in verdict.message and operand in verdict.message


@pytest.mark.parametrize(("student", "said"), [
    (deltas_list, "deltas returns a list (a list counts from 0"),
    (deltas_zero_based, "its keys are shifted"),
    (deltas_with_delta1, "there is no δ⁽¹⁾"),
    (deltas_stops_early, "δ is missing for layer(s) [2]"),
    (deltas_forgets_return, "deltas returns None"),
])
def test_deltas_structure_mistakes_are_explained(student: Callable[..., Any], said: str) -> None:
    verdict = _deltas(student)
    assert (verdict.passed, verdict.step, verdict.mistake) == (False, "return", "wrong_return")
    assert verdict.message.startswith("✘") and said in verdict.message


def test_deltas_with_a_key_error_quotes_the_line_and_says_what_it_reads() -> None:
    verdict = _deltas(deltas_typo)
    out = verdict.message
    assert out.startswith("✘ deltas stopped with KeyError")
    assert "delta[l] = (Theta[l][:, 1:].T @ delta[l]) * nb.sigmoid_gradient(z[l])" in out
    assert "reads the entry 3 of the dict it is storing into, before that entry exists" in out
    assert (verdict.step, verdict.layer, verdict.mistake) == ("hidden_delta", 3, None)
    assert "number of layers" not in out, "it fails on the lecture's network: not the depth"


def test_deltas_not_written_yet() -> None:
    for student in (deltas_not_written, ..., None):
        verdict = _deltas(student)
        assert verdict.not_written and not verdict.passed
        assert verdict.message.startswith("… deltas is not written yet")
        assert "hint('03-deltas')" in verdict.message


def test_deltas_calling_the_package_is_refused() -> None:
    verdict = _deltas(deltas_cheat)
    assert (verdict.step, verdict.mistake) == ("package", "package_call")
    assert verdict.message.startswith("✘ deltas calls nb.backprop_example from the package")


def test_deltas_that_changes_its_arguments_fails_and_the_next_problems_are_unchanged() -> None:
    """Changing Θ in place fails (inputs); the check runs every problem on copies, so a right
    function judged afterwards still passes."""
    def deltas_in_place(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
        result = deltas_right(Theta, a, z, y)
        for T in Theta.values():
            T *= 0
        return result
    verdict = _deltas(deltas_in_place)
    assert (verdict.step, verdict.mistake) == ("inputs", "inputs_mutated")
    assert "changes Theta[1] in place" in verdict.message
    assert _deltas(deltas_right).passed


def test_delta0_kept_in_a_dict_named_d_is_never_called_a_missing_bias_unit() -> None:
    """The diagnosis reads values and shapes, never names: the same mistake under any name."""
    def d_named(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
        L = len(Theta) + 1
        d = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            d[l] = (Theta[l].T @ d[l + 1]) * nb.sigmoid_gradient(z[l])
        return d
    verdict = _deltas(d_named)
    assert (verdict.step, verdict.mistake) == ("hidden_delta", "delta0_kept")
    assert "bias unit missing" not in verdict.message


def test_what_deltas_prints_is_shown_under_the_verdict() -> None:
    def chatty(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
        print("L is", len(Theta) + 1)
        return deltas_sign_reversed(Theta, a, z, y)
    verdict = _deltas(chatty)
    assert verdict.printed.startswith("L is 4") and "What your code printed" in verdict.report()


# --- hints and the notebooks ---------------------------------------------------------------------

EXERCISES = ("00-n-params", "01-z2", "01-forward", "02-j-unreg", "02-reg", "03-deltas")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-3]-*.ipynb"))


def _solution_lines() -> dict[str, list[str]]:
    """The solution lines of each exercise of notebooks 00–03, by exercise id."""
    found: dict[str, list[str]] = {}
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            src = "".join(cell["source"])
            if "### BEGIN SOLUTION" in src:
                body = src.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                found[cell["metadata"]["exercise"]] = [ln.strip() for ln in body.split("\n")
                                                       if ln.strip()]
    return found


def test_every_exercise_of_00_to_03_has_three_hint_tiers() -> None:
    assert set(_solution_lines()) == set(EXERCISES)
    for exercise in EXERCISES:
        texts = [hint_text(exercise, level) for level in (1, 2, 3)]
        assert "the idea" in texts[0] and "the shapes" in texts[1] and "skeleton" in texts[2]
        with pytest.raises(ValueError):
            hint_text(exercise, 4)


def test_no_hint_gives_a_solution_line_away() -> None:
    for exercise, lines in _solution_lines().items():
        tiers = " ".join(hint_text(exercise, level) for level in (1, 2, 3))
        squeezed = re.sub(r"\s", "", tiers)
        for line in lines:
            if line.startswith(("L = len(Theta) + 1", "return ")):
                continue  # bookkeeping lines the skeleton may show
            assert re.sub(r"\s", "", line) not in squeezed, f"{exercise}: hint shows {line!r}"
        assert "___" in hint_text(exercise, 3), "tier 3 is a skeleton with blanks"


def test_each_exercise_says_how_to_ask_for_hints_and_has_no_answer_hint() -> None:
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
        assert "# Hint:" not in text, f"{path.name}: a '# Hint:' line"
        for index, cell in enumerate(cells):
            exercise = cell.get("metadata", {}).get("exercise")
            if exercise and "exercise" in cell["metadata"].get("tags", []):
                above = "".join(cells[index - 1]["source"])
                assert f'`hint("{exercise}")` gives the idea' in above, (path.name, exercise)
                assert f'hint("{exercise}", 3)' in above


def test_check_cells_of_00_to_03_are_one_line() -> None:
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            if "check" in cell.get("metadata", {}).get("tags", []):
                lines = [ln for ln in "".join(cell["source"]).split("\n") if ln.strip()]
                assert len(lines) == 1, f"{path.name}: check cell {lines}"


def test_every_try_this_has_a_revealable_answer() -> None:
    for path in NOTEBOOKS:
        last = "".join(json.loads(path.read_text())["cells"][-1]["source"])
        questions = re.findall(r"^\d+\. ", last.split("### Try this", 1)[1], re.M)
        assert questions and last.count("<details>") == len(questions), path.name


def test_no_zero_based_layer_sizes_are_indexed() -> None:
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            src = "".join(cell["source"])
            assert not re.search(r"\.sizes\[", src), f"{path.name}: p.sizes[...] indexed"
            assert not re.search(r"layer_sizes\([^)]*\)\[", src), path.name


def _shaped_like_a(shape: Callable[[int], Any]) -> Callable[..., Any]:
    """A deltas returning, for every layer l = 2…L of the network it is given, shape(l)."""
    def student(Theta: dict, a: dict, z: dict, y: np.ndarray) -> Any:
        return {l: shape(len(a[l]) - (l < len(a))) for l in range(2, len(a) + 1)}
    return student


@pytest.mark.parametrize(("junk", "step", "said"), [
    (lambda Theta, a, z, y: 0, "return", "deltas returns an int; it must return a dict"),
    (lambda Theta, a, z, y: "delta", "return", "deltas returns a str"),
    (_shaped_like_a(lambda s: None), "return", "delta[4] is None"),
    (_shaped_like_a(lambda s: "x"), "return", "δ⁽⁴⁾ should be numbers, but it is a str"),
    (_shaped_like_a(lambda s: np.zeros((s, 1))), "output_delta",
     "keep δ a flat vector of entries"),
    (lambda Theta, a, z, y: {"2": 1}, "return", "keys ['2']"),
])
def test_deltas_returning_junk_gets_a_verdict_not_an_exception(junk: Any, step: str,
                                                               said: str) -> None:
    verdict = _deltas(junk)
    assert verdict.passed is False and verdict.step == step
    assert verdict.message.startswith("✘") and said in verdict.message, verdict.message


# --- review fixes: wording of the verdicts, refusals, hints, notation -----------------------------


SHELL_SETUP = """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb00, nb02
p = nb.lecture_network()
s = dict(enumerate(nb.layer_sizes(p.Theta), start=1))
L = len(s)
bp = nb.backprop_example(p.Theta, p.X[0], p.Y[0])
problem = p
Theta, X, Y = p.Theta, p.X, p.Y
m, K = Y.shape
H = nb.forward_propagate(Theta, X).h
h_values = np.array([0.01, 0.1, 0.5, 0.9, 0.99])
h = np.linspace(0.005, 0.995, 400)
lam = 1.0
"""


@pytest.fixture
def shell(notebook_shell: Any) -> Any:
    """A real IPython shell set up as notebooks 00 and 02 are when their exercises come; the
    check cells read the exercise cell back from it."""
    return notebook_shell(SHELL_SETUP)


def _run(sh: Any, *cells: str) -> None:
    for cell in cells:
        result = sh.run_cell(cell, store_history=True)
        assert result.error_in_exec is None, result.error_in_exec


def test_a_wrong_number_is_called_a_number_not_a_shape() -> None:
    message = feedback.diagnose("00-n-params", "n_params = len(p.Theta)").message
    assert message.startswith("✘ n_params is a number, as it should be, but it is exactly what "
                              "you get with the matrices counted")
    assert "shape" not in message


def test_an_unexplained_wrong_number_does_not_print_the_answer() -> None:
    right = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / M
    verdict = feedback.diagnose(
        "02-j-unreg", "J_unreg = -1.25 * np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m")
    assert verdict.step == "cost" and verdict.mistake is None
    assert verdict.message.startswith("✘ J(Θ) without regularization is a number, as it should "
                                      "be, but it is not the right one")
    assert "none of the common mistakes the check knows" in verdict.message
    assert "is too large" in verdict.message
    assert not re.search(r"\d\.\d", verdict.message), "no value at all, not even the error's size"
    assert f"{right:.2f}" not in verdict.message


def test_j_unreg_copied_from_the_loop_version_is_refused(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "J_loops = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m",
         "J_unreg = J_loops", "J_unreg = nb02.check_j_unreg()")
    out = _verdict(capsys)
    assert out.startswith("✘ your J_unreg cell reads J_loops, which another cell defines")
    assert "from H, Y and m" in out
    assert feedback.VERDICTS["02-j-unreg"] is False
    assert shell.user_ns["J_unreg"] == pytest.approx(nb.cost(THETA, X, Y), rel=1e-12)


def test_a_module_the_notebook_imported_may_be_used_a_function_of_another_cell_not(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "import math\ndef my_log(v):\n    return np.log(v)",
         "J_unreg = -sum(y * math.log(v) + (1 - y) * math.log(1 - v)\n"
         "               for y, v in zip(Y.ravel(), H.ravel())) / m",
         "J_unreg = nb02.check_j_unreg()",
         "J_unreg = -np.sum(Y * my_log(H) + (1 - Y) * my_log(1 - H)) / m",
         "J_unreg = nb02.check_j_unreg()")
    first, second = _verdict(capsys).split("\n✘")
    assert first.startswith("✔ J(Θ) without regularization is correct")
    assert second.startswith(" your J_unreg cell reads my_log, which another cell defines")


@pytest.mark.parametrize(("cell", "used"), [
    ("J_unreg = nb.cost(Theta, X, Y)", "nb.cost"),
    ("from nbhelpers import cost\nJ_unreg = cost(Theta, X, Y, 0.0)", "nb.cost"),
])
def test_j_unreg_from_the_package_is_refused(shell: Any, capsys: pytest.CaptureFixture[str],
                                             cell: str, used: str) -> None:
    _run(shell, cell, "J_unreg = nb02.check_j_unreg()")
    out = _verdict(capsys)
    assert out.startswith("✘ J_unreg calls " + used)
    assert feedback.VERDICTS["02-j-unreg"] is False
    assert feedback.MISTAKES["02-j-unreg"] == "package_call"


def test_j_unreg_written_in_the_shell_passes(shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "J_unreg = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m",
         "J_unreg = nb02.check_j_unreg()")
    assert _verdict(capsys).startswith("✔ J(Θ) without regularization is correct, on the "
                                       "notebook's values and on 4 other problems.")
    assert feedback.VERDICTS["02-j-unreg"] is True


def test_reg_from_the_package_is_refused(shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "reg = nb.regularization_cost(Theta, m, lam)", "reg = nb02.check_reg()")
    out = _verdict(capsys)
    assert out.startswith("✘ reg calls nb.regularization_cost")
    assert feedback.VERDICTS["02-reg"] is False


def test_reg_without_lambda_fails_although_the_notebooks_lambda_is_one(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "reg = sum(np.sum(T[:, 1:] ** 2) for T in Theta.values()) / (2 * m)",
         "reg = nb02.check_reg()")
    out = _verdict(capsys)
    assert out.startswith("✘ the regularization term is a number, as it should be, but it is "
                          "exactly what you get with λ left out")
    assert "(It is right on the notebook's values, but not on" in out
    assert feedback.MISTAKES["02-reg"] == "lambda_missing"
    assert shell.user_ns["reg"] == pytest.approx(nb.regularization_cost(THETA, M, 1.0))


def test_a_cell_that_stopped_is_explained_by_its_check_not_a_name_error(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    first = shell.run_cell("J_unreg = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m",
                           store_history=True)
    assert first.error_in_exec is not None
    capsys.readouterr()
    result = shell.run_cell("J_unreg = nb02.check_j_unreg()", store_history=True)
    out = capsys.readouterr().out
    assert result.error_in_exec is None, "the check cell itself never fails"
    assert out.startswith("✘ your J_unreg cell stopped with ValueError on the notebook's values")
    assert "`Y` is 3 × 4; `np.log(h)` is 400 entries" in out
    assert "The cells below use the right value" in out
    assert shell.user_ns["J_unreg"] == pytest.approx(nb.cost(THETA, X, Y), rel=1e-12)


def test_what_the_cell_prints_is_shown_under_the_verdict(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "print('layers:', len(p.Theta))\nn_params = len(p.Theta)")
    assert capsys.readouterr().out == "layers: 3\n"
    _run(shell, "n_params = nb00.check_n_params()")
    out = _verdict(capsys)
    assert out.startswith("✘") and "What your code printed" in out and "layers: 3" in out


@pytest.mark.parametrize(("cell", "said"), [
    ('J_unreg = "2.387"', "J_unreg is a str, not numbers"),
    ("J_unreg = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H), axis=0) / m",
     "J_unreg should be a single number, but it is an array of shape (4,)"),
    ("J = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m\nJ_unreg = None",
     "J_unreg is None"),
])
def test_junk_gets_a_verdict_not_an_exception(shell: Any, capsys: pytest.CaptureFixture[str],
                                              cell: str, said: str) -> None:
    _run(shell, cell, "J_unreg = nb02.check_j_unreg()")
    out = _verdict(capsys)
    assert out.startswith("✘") and said in out


def test_a_notebook_whose_cells_above_have_not_run_is_told_so(notebook_shell: Any,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    sh = notebook_shell("import numpy as np\nfrom nbhelpers.course.exercises import nb02\nm = 3")
    _run(sh, "reg = 0.5 * m", "reg = nb02.check_reg()")
    out = _verdict(capsys)
    assert out.startswith("✘ the notebook has no Theta yet, which the exercise needs: run "
                          "the cells above it first")
    assert sh.user_ns["reg"] is None, "nothing right to hand on"


def test_answer_source_finds_the_exercise_cell_not_the_check() -> None:
    history = ["import numpy as np", "J_unreg = -np.sum(Y) / m",
               "J_unreg = nb02.check_j_unreg()", "%%magic cell that is not python"]
    assert nb00.answer_source("J_unreg", history) == "J_unreg = -np.sum(Y) / m"
    assert nb00.answer_source("reg", history) is None
    assert nb00.names_used("Delta[l] += nb.accumulate(T, X, Y)[l]", ("accumulate",)) == "accumulate"
    assert nb00.names_used("bp = nb.backprop_example(T, x, y)", ("backprop",)) is None


def test_deltas_with_the_lecture_depth_written_in_says_the_layers_are_fixed() -> None:
    verdict = _deltas(deltas_only_lecture_depth)
    assert verdict.message.startswith("✘") and verdict.step in ("output_delta", "hidden_delta")
    assert "the number of layers seems to be written into the code" in verdict.message
    assert "right on the lecture's network (L = 4)" in verdict.message
    assert "goes wrong only on a network of another depth" in verdict.message


@pytest.mark.parametrize("exercise", ["00-n-params", "01-z2", "02-reg", "02-j-unreg", "03-deltas"])
def test_tier_two_hints_give_shapes_not_code(exercise: str) -> None:
    text = hint_text(exercise, 2)
    assert "`" not in text, text
    for code in ("Theta[", ".size", ".values", "[:, 1:]", "a1", "@", "np."):
        assert code not in text, (exercise, code)
    assert "×" in text or "entries" in text


def test_notation_table_counts_examples_like_the_lecture() -> None:
    from nbhelpers.course.series import notation_markdown

    table = notation_markdown()
    assert "`X[i - 1], Y[i - 1]`" in table and "`X[i], Y[i]`" not in table
    assert "row i − 1" in table
    assert "`nb.backprop(Theta, X, Y).Delta[l]`" in table and "D.Delta" not in table
    assert "the lecture prints λΘ⁽ˡ⁾" in table and "notebook 05" in table
    for name in ("fp = nb.forward_propagate(Theta, x)", "bp = nb.backprop_example(Theta, x, y)"):
        assert name in table


@pytest.mark.parametrize(("cells", "said"), [
    (["J_unreg = 2.3870035757198584", "J_unreg = nb02.check_j_unreg()"],
     "✘ J_unreg is the same on every problem the check tried"),
    (["reg = 3.051667", "reg = nb02.check_reg()"], "✘ reg is the same on every problem"),
    (["n_params = 74", "n_params = nb00.check_n_params()"],
     "✘ n_params is the same on every problem"),
    (["n_params = 5 * 4 + 5 * 6 + 4 * 6", "n_params = nb00.check_n_params()"],
     "✘ n_params is the same on every problem"),
])
def test_a_value_typed_in_from_an_output_is_refused(shell: Any, capsys: pytest.CaptureFixture[str],
                                                     cells: list[str], said: str) -> None:
    _run(shell, *cells)
    out = _verdict(capsys)
    assert out.startswith(said) and "typed in" in out
    assert "(The cells below use the right value.)" in out


def test_computed_values_are_not_taken_for_typed_in_ones(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "n_params = sum(T.size for T in p.Theta.values())",
         "n_params = nb00.check_n_params()",
         "reg = lam / (2 * m) * sum(np.sum(Theta[l][:, 1:] ** 2) for l in Theta)",
         "reg = nb02.check_reg()")
    out = _verdict(capsys)
    assert out.count("✔") == 2 and "✘" not in out
    assert shell.user_ns["n_params"] == N_PARAMS


def test_the_handed_out_placeholder_is_not_taken_for_a_typed_in_number(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "J_unreg = ...", "J_unreg = nb02.check_j_unreg()")
    out = _verdict(capsys)
    assert out.startswith("… J_unreg is not written yet")
    assert 'hint(\'02-j-unreg\')' in out
