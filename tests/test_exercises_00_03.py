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
from nbhelpers.course.exercises import nb00, nb02, nb03
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


def test_n_params_right_answer_passes(capsys: pytest.CaptureFixture[str]) -> None:
    answer = sum(T.size for T in THETA.values())
    assert nb00.check_n_params(answer, THETA) == answer
    assert _verdict(capsys).startswith("✔")
    assert feedback.VERDICTS["00-n-params"] is True


@pytest.mark.parametrize(("student", "named"), [
    (lambda: sum(T[:, 1:].size for T in THETA.values()), "left out the bias columns"),
    (lambda: sum(nb.layer_sizes(THETA)), "counted the units"),
    (lambda: len(THETA), "counted the matrices"),
    (lambda: THETA[1].size, "counted only Θ⁽¹⁾"),
])
def test_n_params_names_the_mistake(capsys: pytest.CaptureFixture[str],
                                    student: Callable[[], int], named: str) -> None:
    value = nb00.check_n_params(student(), THETA)
    out = _verdict(capsys)
    assert out.startswith("✘") and named in out
    assert value == sum(T.size for T in THETA.values()), "the cells below get the right count"
    assert feedback.VERDICTS["00-n-params"] is False


# --- 02-j-unreg and 02-reg ----------------------------------------------------------------------

H = nb.forward_propagate(THETA, X).h
M = X.shape[0]


def test_j_unreg_right_answer_passes(capsys: pytest.CaptureFixture[str]) -> None:
    J = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / M
    assert nb02.check_j_unreg(J, H, Y) == pytest.approx(nb.cost(THETA, X, Y), rel=1e-12)
    assert _verdict(capsys).startswith("✔")


@pytest.mark.parametrize(("student", "named"), [
    (lambda: -np.mean(Y * np.log(H) + (1 - Y) * np.log(1 - H)), "averaged over all m·K"),
    (lambda: np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / M, "minus sign"),
    (lambda: -np.sum(Y * np.log(H)) / M, "left out the (1 − y) log(1 − h) term"),
    (lambda: -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)), "forgot the 1/m"),
    (lambda: -np.sum(Y * np.log(1 - H) + (1 - Y) * np.log(H)) / M, "swapped log h"),
])
def test_j_unreg_names_the_mistake(capsys: pytest.CaptureFixture[str],
                                   student: Callable[[], float], named: str) -> None:
    nb02.check_j_unreg(student(), H, Y)
    out = _verdict(capsys)
    assert out.startswith("✘") and named in out


def test_reg_right_answer_passes(capsys: pytest.CaptureFixture[str]) -> None:
    lam = 1.0
    reg = lam / (2 * M) * sum(np.sum(THETA[l][:, 1:] ** 2) for l in THETA)
    assert nb02.check_reg(reg, THETA, M, lam) == pytest.approx(
        nb.cost(THETA, X, Y, lam) - nb.cost(THETA, X, Y), rel=1e-12)
    assert _verdict(capsys).startswith("✔")


@pytest.mark.parametrize(("student", "named"), [
    (lambda lam: lam / (2 * M) * sum(np.sum(T ** 2) for T in THETA.values()), "bias column j = 0"),
    (lambda lam: lam / M * sum(np.sum(T[:, 1:] ** 2) for T in THETA.values()), "λ/m instead"),
    (lambda lam: lam / 2 * sum(np.sum(T[:, 1:] ** 2) for T in THETA.values()), "divide by m"),
    (lambda lam: lam / (2 * M) * sum(np.sum(T[:, 1:]) for T in THETA.values()), "without squaring"),
    (lambda lam: lam / (2 * M) * sum(np.sum(T[1:] ** 2) for T in THETA.values()), "row 0"),
])
def test_reg_names_the_mistake(capsys: pytest.CaptureFixture[str],
                               student: Callable[[float], float], named: str) -> None:
    nb02.check_reg(student(2.0), THETA, M, 2.0)
    out = _verdict(capsys)
    assert out.startswith("✘") and named in out


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


@pytest.fixture
def shell() -> Any:
    """A real IPython shell whose input history (``In``) the value checks read back."""
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    sh.run_cell("import numpy as np\nimport nbhelpers as nb\n"
                "from nbhelpers.course.exercises import nb02\n"
                "p = nb.lecture_network()\nTheta, X, Y = p.Theta, p.X, p.Y\n"
                "H = nb.forward_propagate(Theta, X).h\nm = X.shape[0]\nlam = 1.0",
                store_history=True)
    yield sh
    InteractiveShell.clear_instance()


def _run(sh: Any, *cells: str) -> None:
    for cell in cells:
        result = sh.run_cell(cell, store_history=True)
        assert result.error_in_exec is None, result.error_in_exec


def test_a_wrong_number_is_called_a_number_not_a_shape(capsys: pytest.CaptureFixture[str]) -> None:
    nb00.check_n_params(len(THETA), THETA)
    out = _verdict(capsys)
    assert out.startswith("✘ n_params is a number, as it should be, but it is exactly what you "
                          "get if you counted the matrices")
    assert "shape" not in out


def test_an_unexplained_wrong_number_does_not_print_the_answer(
        capsys: pytest.CaptureFixture[str]) -> None:
    right = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / M
    nb02.check_j_unreg(1.25, H, Y)
    out = _verdict(capsys)
    assert out.startswith("✘ J(Θ) without regularization is a number, as it should be")
    assert "1.25" in out and "too small" in out
    assert f"{right:.6g}" not in out and f"{right:.4f}" not in out and "right shape" not in out


def test_j_unreg_copied_from_the_loop_version_is_refused(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "J_loops = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m",
         "J_unreg = J_loops", "J_unreg = nb02.check_j_unreg(J_unreg, H, Y)")
    out = _verdict(capsys)
    assert out.startswith("✘ J_unreg is a copy of J_loops")
    assert feedback.VERDICTS["02-j-unreg"] is False


@pytest.mark.parametrize(("cell", "used"), [
    ("J_unreg = nb.cost(Theta, X, Y)", "nb.cost"),
    ("from nbhelpers import cost\nJ_unreg = cost(Theta, X, Y, 0.0)", "nb.cost"),
])
def test_j_unreg_from_the_package_is_refused(shell: Any, capsys: pytest.CaptureFixture[str],
                                             cell: str, used: str) -> None:
    _run(shell, cell, "J_unreg = nb02.check_j_unreg(J_unreg, H, Y)")
    out = _verdict(capsys)
    assert out.startswith("✘ J_unreg calls " + used)
    assert feedback.VERDICTS["02-j-unreg"] is False


def test_j_unreg_written_in_the_shell_passes(shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "J_unreg = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m",
         "J_unreg = nb02.check_j_unreg(J_unreg, H, Y)")
    assert _verdict(capsys).startswith("✔")
    assert feedback.VERDICTS["02-j-unreg"] is True


def test_reg_from_the_package_is_refused(shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "reg = nb.regularization_cost(Theta, m, lam)",
         "reg = nb02.check_reg(reg, Theta, m, lam)")
    out = _verdict(capsys)
    assert out.startswith("✘ reg calls nb.regularization_cost")
    assert feedback.VERDICTS["02-reg"] is False


def test_answer_source_finds_the_exercise_cell_not_the_check() -> None:
    history = ["import numpy as np", "J_unreg = -np.sum(Y) / m",
               "J_unreg = nb02.check_j_unreg(J_unreg, H, Y)", "%%magic cell that is not python"]
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
    (["J_unreg = 2.3870035757198584", "J_unreg = nb02.check_j_unreg(J_unreg, H, Y)"],
     "✘ J_unreg is typed in as numbers"),
    (["reg = 3.051667", "reg = nb02.check_reg(reg, Theta, m, lam)"], "✘ reg is typed in as numbers"),
    (["from nbhelpers.course.exercises import nb00\nn_params = 74",
      "n_params = nb00.check_n_params(n_params, Theta)"], "✘ n_params is typed in as numbers"),
])
def test_a_value_typed_in_from_an_output_is_refused(shell: Any, capsys: pytest.CaptureFixture[str],
                                                     cells: list[str], said: str) -> None:
    _run(shell, *cells)
    out = _verdict(capsys)
    assert out.startswith(said) and "(The cells below use the reference value.)" in out


def test_computed_values_are_not_taken_for_typed_in_ones(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "from nbhelpers.course.exercises import nb00",
         "n_params = sum(T.size for T in p.Theta.values())",
         "n_params = nb00.check_n_params(n_params, p.Theta)",
         "reg = lam / (2 * m) * sum(np.sum(Theta[l][:, 1:] ** 2) for l in Theta)",
         "reg = nb02.check_reg(reg, Theta, m, lam)")
    out = _verdict(capsys)
    assert out.count("✔") == 2 and "✘" not in out


def test_the_handed_out_placeholder_is_not_taken_for_a_typed_in_number(
        shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _run(shell, "J_unreg = ...", "J_unreg = nb02.check_j_unreg(J_unreg, H, Y)")
    assert _verdict(capsys).startswith("… J(Θ) without regularization is not implemented yet")
