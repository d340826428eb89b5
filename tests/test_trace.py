"""The trace of one example: the lecture's steps in order, values from backprop itself."""

import re

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.display.trace import d_steps, trace_backprop
from nbhelpers.display.typeset import array_text, number_text

NETWORKS = {3: [2, 3, 2], 4: [3, 5, 5, 4], 5: [2, 4, 3, 3, 2]}


def _problem(L: int) -> nb.Problem:
    return nb.lecture_network() if L == 4 else nb.debug_problem(NETWORKS[L], m=3)


def _required(L: int) -> list[str]:
    return (["a[1]"] + [f"{v}[{l}]" for l in range(2, L + 1) for v in ("z", "a")]
            + [f"delta[{l}]" for l in range(L, 1, -1)]
            + [f"Delta[{l}]" for l in range(L - 1, 0, -1)])


@pytest.mark.parametrize("L", [3, 4, 5])
def test_symbols_in_the_lecture_order(L):
    p = _problem(L)
    steps = trace_backprop(p.Theta, p.X[0], p.Y[0])
    symbols = [s.symbol for s in steps]
    assert [s for s in symbols if not s.startswith("g'")] == _required(L)
    # the explanatory g′(z⁽ˡ⁾) step sits right before the δ⁽ˡ⁾ that uses it
    for l in range(2, L):
        assert symbols[symbols.index(f"delta[{l}]") - 1] == f"g'(z[{l}])"
    assert [s.phase for s in steps] == sorted((s.phase for s in steps),
                                              key=["forward", "backward", "accumulate"].index)


@pytest.mark.parametrize("L", [3, 4, 5])
def test_values_are_backprop_examples(L):
    p = _problem(L)
    i = 1
    bp = nb.backprop_example(p.Theta, p.X[i], p.Y[i])
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[i], p.Y[i])}
    for l in range(1, L + 1):
        np.testing.assert_array_equal(steps[f"a[{l}]"].value, bp.a[l])
        assert steps[f"a[{l}]"].value.size == NETWORKS[L][l - 1] + (l < L)   # bias for l < L
    for l in range(2, L + 1):
        np.testing.assert_array_equal(steps[f"z[{l}]"].value, bp.z[l])
        np.testing.assert_array_equal(steps[f"delta[{l}]"].value, bp.delta[l])
    for l in range(2, L):
        np.testing.assert_allclose(steps[f"g'(z[{l}])"].value, nb.sigmoid_gradient(bp.z[l]))


@pytest.mark.parametrize("L", [3, 4, 5])
def test_delta_steps_are_the_loops_accumulators_for_one_example(L):
    p = _problem(L)
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[2], p.Y[2])}
    Delta = nb.accumulate(p.Theta, p.X[2:3], p.Y[2:3])
    for l in range(1, L):
        np.testing.assert_allclose(steps[f"Delta[{l}]"].value, Delta[l], rtol=0, atol=1e-15)
        assert steps[f"Delta[{l}]"].value.shape == p.Theta[l].shape


def test_the_steps_sum_to_the_loops_delta_over_all_examples():
    p = nb.lecture_network()
    total = {l: sum(next(s for s in trace_backprop(p.Theta, x, y) if s.symbol == f"Delta[{l}]")
                    .value for x, y in zip(p.X, p.Y, strict=True)) for l in (1, 2, 3)}
    Delta = nb.accumulate(p.Theta, p.X, p.Y)
    for l in total:
        np.testing.assert_allclose(total[l], Delta[l], atol=1e-15)


def test_equations_in_the_lectures_notation():
    p = nb.lecture_network()
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0])}
    assert steps["delta[4]"].equation_text == "δ⁽⁴⁾ = a⁽⁴⁾ − y"
    assert steps["delta[4]"].equation == r"\delta^{(4)} = a^{(4)} - y"
    assert steps["delta[3]"].equation_text == "δ⁽³⁾ = (Θ⁽³⁾)ᵀδ⁽⁴⁾ .* g′(z⁽³⁾)"
    assert steps["z[2]"].equation_text == "z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾"
    assert steps["a[4]"].equation_text == "a⁽⁴⁾ = h_Θ(x) = g(z⁽⁴⁾)"
    assert steps["Delta[1]"].equation_text == "Δ⁽¹⁾ := Δ⁽¹⁾ + δ⁽²⁾(a⁽¹⁾)ᵀ"


def test_numbers_are_the_equation_with_this_examples_values():
    p = nb.lecture_network()
    bp = nb.backprop_example(p.Theta, p.X[0], p.Y[0])
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0])}
    assert steps["delta[4]"].numbers_text == (
        f"δ⁽⁴⁾ = {array_text(bp.a[4])} − {array_text(p.Y[0])} = {array_text(bp.delta[4])}")
    z2 = steps["z[2]"]
    assert z2.numbers_text.endswith(f"= {array_text(bp.z[2])}")
    assert array_text(p.Theta[1]) in z2.numbers_text and array_text(bp.a[1]) in z2.numbers_text
    # the LaTeX version holds the same numbers, one bmatrix per operand
    first = number_text(bp.delta[4][0]).replace("−", "-")
    assert first in steps["delta[4]"].numbers
    assert steps["delta[4]"].numbers.count(r"\begin{bmatrix}") == 3
    # δ⁽³⁾ uses (Θ⁽³⁾)ᵀ without the bias row: 5 × 4
    assert array_text(p.Theta[3][:, 1:].T) in steps["delta[3]"].numbers_text


def test_layers_units_and_diagram_data():
    p = nb.lecture_network()
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0])}
    assert (steps["a[2]"].layer, steps["a[2]"].units) == (2, (0, 1, 2, 3, 4, 5))
    assert (steps["z[3]"].layer, steps["z[3]"].units, steps["z[3]"].edges) == (3, (1, 2, 3, 4, 5), 2)
    assert (steps["delta[4]"].layer, steps["delta[4]"].units) == (4, (1, 2, 3, 4))
    assert steps["delta[3]"].edges == 3
    assert steps["z[3]"].legend == "a on layers 1…2, z⁽³⁾ on layer 3"
    assert steps["g'(z[2])"].legend == "δ on layers 3…4, g′(z⁽²⁾) on layer 2"
    assert set(steps["delta[2]"].shown) == {2, 3, 4}           # the deltas found so far
    assert set(steps["z[3]"].shown) == {1, 2, 3}
    assert steps["Delta[2]"].highlight == {2: (0, 1, 2, 3, 4, 5), 3: (1, 2, 3, 4, 5)}
    forward = [s for s in steps.values() if s.phase == "forward"]
    assert len({s.vmax for s in forward}) == 1                 # one colour scale going forward


@pytest.mark.parametrize("lam, m", [(0.0, 3), (1.0, 3), (1.0, 2)])
def test_d_steps_follow_d_terms(lam, m):
    p = nb.lecture_network(m=3)
    steps = d_steps(p.Theta, p.X, p.Y, lam=lam, m=m)
    assert [s.symbol for s in steps] == ["D[3]", "D[2]", "D[1]"]
    D = nb.backprop(p.Theta, p.X[:m], p.Y[:m], lam)
    for s in steps:
        l = int(s.symbol[2])
        np.testing.assert_array_equal(s.value, D[l])
        expected = nb.accumulate(p.Theta, p.X[:m], p.Y[:m])[l] / m
        expected[:, 1:] += lam / m * p.Theta[l][:, 1:]
        np.testing.assert_allclose(s.value, expected, atol=1e-15)
        assert f"(1/{m})·" in s.numbers_text and f"λ = {number_text(lam)}" in s.numbers_text


def test_bad_input_is_explained():
    p = nb.lecture_network()
    with pytest.raises(ValueError, match="x must be one example"):
        trace_backprop(p.Theta, p.X, p.Y)
    with pytest.raises(ValueError, match=re.escape("one_hot(1, 4)")):
        trace_backprop(p.Theta, p.X[0], 1)
    with pytest.raises(ValueError, match="m must be a whole number of examples from 1 to 3"):
        d_steps(p.Theta, p.X, p.Y, m=4)


def test_steps_carry_their_quantity_and_layer_as_data():
    p = nb.lecture_network()
    steps = trace_backprop(p.Theta, p.X[0], p.Y[0]) + d_steps(p.Theta, p.X, p.Y)
    for s in steps:
        assert isinstance(s.layer, int)
        expected = f"g'(z[{s.layer}])" if s.quantity == "g'" else f"{s.quantity}[{s.layer}]"
        assert s.symbol == expected
    assert [s.layer for s in steps if s.quantity == "Delta"] == [3, 2, 1]
    assert {s.quantity for s in steps} == {"a", "z", "g'", "delta", "Delta", "D"}


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["logistic", "squared"])
def test_the_words_and_formulas_come_from_the_display_notation(loss, activation):
    """What a step says about g and the cost is the display table's text for their names."""
    from nbhelpers.display.notation import activation_notation, loss_notation

    p = nb.lecture_network()
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0], loss=loss,
                                                 activation=activation)}
    g = activation_notation(activation)
    assert steps["a[2]"].title == f"Apply the {g.label} g to z⁽²⁾ and add the bias unit a₀ = 1"
    assert steps["a[2]"].explanation.startswith(f"The {g.label} {g.effect};")
    latex, text = loss_notation(loss).output_delta_at(4)
    assert (steps["delta[4]"].equation, steps["delta[4]"].equation_text) == (latex, text)
    if activation != "sigmoid":
        assert (steps["g'(z[3])"].equation, steps["g'(z[3])"].equation_text) == g.slope_at(3)
        assert g.saturation in steps["g'(z[3])"].explanation


def test_every_choice_of_the_algorithm_has_a_notation():
    from nbhelpers.activation import ACTIVATIONS
    from nbhelpers.display.notation import ACTIVATION_NOTATION, LOSS_NOTATION, loss_notation
    from nbhelpers.loss import LOSSES

    assert set(ACTIVATION_NOTATION) == set(ACTIVATIONS)
    assert set(LOSS_NOTATION) == set(LOSSES)
    assert loss_notation("squared").output_delta_at(3)[1] == "δ⁽³⁾ = (a⁽³⁾ − y) .* g′(z⁽³⁾)"
    with pytest.raises(KeyError, match="no notation for the loss 'hinge'"):
        loss_notation("hinge")


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["logistic", "squared"])
def test_the_trace_reads_no_display_text_from_the_algorithms_objects(loss, activation,
                                                                      monkeypatch):
    """Activation and Loss need carry only a name and functions: with every other text field
    of theirs spoiled, the trace reads exactly as before."""
    import dataclasses

    import nbhelpers.display.trace
    from nbhelpers.variant import Variant, variant

    def spoiled(obj):
        return dataclasses.replace(obj, **{f.name: "✗" for f in dataclasses.fields(obj)
                                          if f.name != "name" and isinstance(getattr(obj, f.name), str)})

    p = nb.lecture_network()
    before = trace_backprop(p.Theta, p.X[0], p.Y[0], loss=loss, activation=activation)
    chosen = variant(loss, activation)
    monkeypatch.setattr(nbhelpers.display.trace, "variant", lambda *_: Variant(
        spoiled(chosen.loss), spoiled(chosen.activation)))
    after = trace_backprop(p.Theta, p.X[0], p.Y[0], loss=loss, activation=activation)
    for b, a in zip(before, after, strict=True):
        for field in ("title", "equation", "equation_text", "explanation", "legend"):
            assert getattr(a, field) == getattr(b, field)
            assert "✗" not in getattr(a, field)
