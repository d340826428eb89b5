"""The mistake catalogue: one record per common mistake, read by every check and the bug zoo.

A record says which lecture step the mistake belongs to, what it is (``title``), why it is
wrong in the lecture's terms (``explanation``), when it can show at all (``shows``), and how
it is made: the line of the algorithm it replaces (``piece``) and the line a student writes
instead (``lines``; a few records have more than one way of being written). The lines are
those of :mod:`nbhelpers.course.steps` for the backpropagation loop; the exercises outside the
loop (the cost, the parameter count, the finite difference, …) name their own pieces in
their modules under ``nbhelpers.course.exercises``.

A check names a mistake only when running its line instead of the right one reproduces the
student's numbers (or the step and layer where the code stops) on every problem the check
tried; otherwise it says where the student's result goes wrong and that it cannot name why.
Adding a mistake is adding one record here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Mistake:
    """One common mistake. ``lines`` are alternatives: each is a complete replacement of the
    ``piece``'s line; ``needs`` names variables a line uses beyond the piece's own (a
    student's global λ or m, ``lam_g``/``m_g``), so that it is tried only when they exist."""

    id: str
    step: str
    piece: str
    lines: tuple[str, ...]
    title: str
    explanation: str
    shows: str = "always"
    needs: tuple[str, ...] = ()
    zoo: bool = False
    """Whether notebook 06's bug zoo shows it (a wrong D that a gradient check catches)."""
    extra: tuple[dict[str, str], ...] = ({},)
    """Other pieces the mistake may write otherwise at the same time, each dict one way (e.g. a
    transposed share is added to a Δ started with Θ's shape, or to one started transposed)."""

    @property
    def line(self) -> str:
        """The first way of writing it: the line shown to students."""
        return self.lines[0]


def _m(**fields: object) -> Mistake:
    lines = fields.pop("lines")
    return Mistake(lines=(lines,) if isinstance(lines, str) else tuple(lines), **fields)  # type: ignore[arg-type]


CATALOGUE: tuple[Mistake, ...] = (
    # ---- forward propagation ------------------------------------------------------------------
    _m(id="bias_unit_missing", step="forward", piece="bias",
       lines=("v", "v if l > 1 else np.concatenate(([1.0], v))"),
       title="the bias unit missing",
       explanation="a⁽ˡ⁾ needs a₀ = 1 in front of the units' values before Θ⁽ˡ⁾ multiplies it: "
                   "column 0 of Θ⁽ˡ⁾ holds the bias weights, so Θ⁽ˡ⁾ has sₗ + 1 columns and "
                   "a⁽ˡ⁾ must have sₗ + 1 entries"),
    _m(id="bias_unit_last", step="forward", piece="bias", lines="np.concatenate((v, [1.0]))",
       title="the bias unit put last",
       explanation="a₀ = 1 goes in front, as entry 0, because column 0 of Θ⁽ˡ⁾ holds the bias "
                   "weights; appended at the end it is multiplied by the weights of the last "
                   "unit, and every unit's value by the weights of its neighbour"),
    _m(id="theta_transposed_forward", step="forward", piece="weigh", lines="Theta_l.T @ a_l",
       title="Θ⁽ˡ⁾ transposed in the forward pass",
       explanation="Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1): one row per unit of layer l + 1, so z⁽ˡ⁺¹⁾ = "
                   "Θ⁽ˡ⁾a⁽ˡ⁾ as it is; (Θ⁽ˡ⁾)ᵀ only fits when the layers happen to have "
                   "matching sizes",
       shows="only runs when sₗ + 1 = s₍ₗ₊₁₎; otherwise it stops with a shape error"),
    _m(id="no_sigmoid_hidden", step="forward", piece="activate",
       lines="z_next if not last else g(z_next)",
       title="g left out in the hidden layers",
       explanation="every layer after the input applies g: a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾) for the hidden "
                   "layers too, not only for the output",
       shows="needs a hidden layer (L ≥ 3)"),
    _m(id="no_sigmoid_at_output", step="output_delta", piece="activate",
       lines="z_next if last else g(z_next)",
       title="g left out at the output",
       explanation="h_Θ(x) = a⁽ᴸ⁾ = g(z⁽ᴸ⁾), and δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y needs that a⁽ᴸ⁾: with z⁽ᴸ⁾ in "
                   "its place the output is not a probability and δ⁽ᴸ⁾ is z⁽ᴸ⁾ − y (whether "
                   "g is missing in the forward pass or in the δ⁽ᴸ⁾ line, the numbers are the "
                   "same)"),
    # ---- δ⁽ᴸ⁾ -----------------------------------------------------------------------------------
    _m(id="delta_L_sign", step="output_delta", piece="output", lines="y - a_L",
       title="δ⁽ᴸ⁾ with its sign reversed",
       explanation="δ⁽ᴸ⁾ = ∂c/∂z⁽ᴸ⁾ = a⁽ᴸ⁾ − y: positive where the output is too large, so that "
                   "gradient descent lowers it; y − a⁽ᴸ⁾ points uphill", zoo=True),
    _m(id="g_prime_at_output", step="output_delta", piece="output",
       lines="(a_L - y) * g_prime(z_L)",
       title="δ⁽ᴸ⁾ multiplied by g′(z⁽ᴸ⁾)",
       explanation="with the lecture's logistic cost the factor g′(z⁽ᴸ⁾) cancels in ∂c/∂z⁽ᴸ⁾, "
                   "which leaves δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y; (a − y) .* g′(z) is the δ⁽ᴸ⁾ of the squared "
                   "error, another cost", zoo=True),
    _m(id="delta_L_column", step="output_delta", piece="output",
       lines=("(a_L - y).reshape(-1, 1)", "(a_L - y)[:, None]"),
       title="δ⁽ᴸ⁾ made a column matrix",
       explanation="δ⁽ᴸ⁾ is a vector of s_L entries; as an s_L × 1 matrix, multiplying it "
                   "entry by entry with the vector g′(z⁽ˡ⁾) broadcasts to a whole matrix, and "
                   "every δ below it comes out with the wrong shape"),
    # ---- δ⁽ˡ⁾ of the hidden layers --------------------------------------------------------------
    _m(id="g_prime_at_a", step="hidden_delta", piece="hidden",
       lines="(Theta_l[:, 1:].T @ delta_next) * g_prime(a_l[1:])",
       title="g′ evaluated at a⁽ˡ⁾ instead of z⁽ˡ⁾",
       explanation="g′(a⁽ˡ⁾) = g(a)(1 − g(a)) applies the sigmoid twice; the factor is "
                   "g′(z⁽ˡ⁾), which equals a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) because a⁽ˡ⁾ = g(z⁽ˡ⁾): use one "
                   "form or the other, not g′ of a", zoo=True),
    _m(id="g_prime_missing", step="hidden_delta", piece="hidden",
       lines="Theta_l[:, 1:].T @ delta_next",
       title="the factor .* g′(z⁽ˡ⁾) left out",
       explanation="the error reaching a hidden unit through the weights is scaled by how "
                   "much that unit's output moves with its input, g′(z⁽ˡ⁾)ⱼ: the chain rule "
                   "through a⁽ˡ⁾ = g(z⁽ˡ⁾)", zoo=True),
    _m(id="g_instead_of_g_prime", step="hidden_delta", piece="hidden",
       lines="(Theta_l[:, 1:].T @ delta_next) * g(z_l)",
       title="g(z⁽ˡ⁾) where g′(z⁽ˡ⁾) belongs",
       explanation="the factor is the slope g′(z⁽ˡ⁾) = a⁽ˡ⁾ .* (1 − a⁽ˡ⁾), not the value "
                   "g(z⁽ˡ⁾) = a⁽ˡ⁾"),
    _m(id="g_prime_wrong_layer", step="hidden_delta", piece="hidden",
       lines="(Theta_l[:, 1:].T @ delta_next) * g_prime(z_next)",
       title="g′ taken at z⁽ˡ⁺¹⁾ instead of z⁽ˡ⁾",
       explanation="δ⁽ˡ⁾ belongs to the units of layer l, so its factor is g′ at their inputs "
                   "z⁽ˡ⁾; z⁽ˡ⁺¹⁾ belongs to the layer above",
       shows="only runs when sₗ = s₍ₗ₊₁₎; otherwise it stops with a shape error"),
    _m(id="g_prime_with_bias_unit", step="hidden_delta", piece="hidden",
       lines=("(Theta_l[:, 1:].T @ delta_next) * a_l * (1 - a_l)",
              "(Theta_l[:, 1:].T @ delta_next) * (a_l * (1 - a_l))"),
       title="g′ computed from a⁽ˡ⁾ with its bias unit",
       explanation="g′(z⁽ˡ⁾) = a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) uses the units' activations only: a⁽ˡ⁾ with a₀ "
                   "has sₗ + 1 entries where (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ without column 0 has sₗ, and a₀ = 1 is "
                   "no unit's output (use a⁽ˡ⁾[1:])"),
    _m(id="hidden_delta_sign", step="hidden_delta", piece="hidden",
       lines="-(Theta_l[:, 1:].T @ delta_next) * g_prime(z_l)",
       title="a minus sign in the δ step",
       explanation="δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾) carries the error back with the weights' "
                   "own signs; there is no minus sign in the chain rule here"),
    _m(id="delta0_kept", step="hidden_delta", piece="hidden",
       lines=("(Theta_l.T @ delta_next) * g_prime(z_l)",
              "(Theta_l.T @ delta_next) * a_l * (1 - a_l)",
              "(Theta_l.T @ delta_next) * (a_l * (1 - a_l))"),
       title="δ₀ kept",
       explanation="(Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ over all columns of Θ⁽ˡ⁾ has sₗ + 1 entries, the first, δ₀, "
                   "from column 0, the bias unit's weights; but a₀ = 1 is a constant with no "
                   "incoming weights, so it has no error: leave column 0 of Θ⁽ˡ⁾ out, so that "
                   "δ⁽ˡ⁾ has the sₗ entries of the units"),
    _m(id="off_by_one_slice", step="hidden_delta", piece="hidden",
       lines="(Theta_l.T @ delta_next)[:-1] * g_prime(z_l)",
       title="the last entry dropped instead of δ₀",
       explanation="the bias unit's entry δ₀ is entry 0 of (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ (it comes from column "
                   "0 of Θ⁽ˡ⁾); cutting the last entry keeps δ₀ and shifts every unit's error "
                   "by one", zoo=True),
    _m(id="theta_not_transposed", step="hidden_delta", piece="hidden",
       lines="(Theta_l[:, 1:] @ delta_next) * g_prime(z_l)",
       title="Θ⁽ˡ⁾ not transposed in the δ step",
       explanation="Θ⁽ˡ⁾ carries layer l forward to layer l + 1; carrying δ⁽ˡ⁺¹⁾ back needs "
                   "(Θ⁽ˡ⁾)ᵀ, so that the error of unit j is collected along column j, the "
                   "weights that leave it", zoo=True,
       shows="only runs when s₍ₗ₊₁₎ = sₗ; otherwise it stops with a shape error"),
    _m(id="theta_wrong_layer", step="hidden_delta", piece="hidden",
       lines="(Theta[l - 1][:, 1:].T @ delta_next) * g_prime(z_l)",
       title="Θ⁽ˡ⁻¹⁾ used where Θ⁽ˡ⁾ belongs in the δ step",
       explanation="δ⁽ˡ⁺¹⁾ came forward through Θ⁽ˡ⁾ (layer l → l + 1), so it goes back "
                   "through (Θ⁽ˡ⁾)ᵀ; Θ⁽ˡ⁻¹⁾ connects two other layers"),
    # ---- Δ --------------------------------------------------------------------------------------
    _m(id="outer_transposed", step="accumulate", piece="accumulate",
       lines="Delta_l + np.outer(a_l, delta_next)",
       extra=({}, {"init": "np.zeros_like(Theta_l.T)"}),
       title="the outer product the wrong way round",
       explanation="Δ⁽ˡ⁾ has Θ⁽ˡ⁾'s shape s₍ₗ₊₁₎ × (sₗ + 1), so each example adds δ⁽ˡ⁺¹⁾ as a "
                   "column times (a⁽ˡ⁾)ᵀ as a row; a⁽ˡ⁾(δ⁽ˡ⁺¹⁾)ᵀ is its transpose"),
    _m(id="outer_with_a_next", step="accumulate", piece="accumulate",
       lines="Delta_l + np.outer(delta_next, a_next)",
       title="a⁽ˡ⁺¹⁾ where a⁽ˡ⁾ belongs in Δ⁽ˡ⁾",
       explanation="Δ⁽ˡ⁾ᵢⱼ collects the share of the weight Θ⁽ˡ⁾ᵢⱼ, which multiplies a⁽ˡ⁾ⱼ, the "
                   "unit it leaves: δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, the δ of the layer above and the a of the "
                   "layer below"),
    _m(id="delta_overwritten", step="accumulate", piece="accumulate",
       lines="np.outer(delta_next, a_l)",
       title="= where += belongs: Δ overwritten",
       explanation="Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ adds every example's share; assigning it "
                   "keeps only the last example's",
       shows="needs m > 1"),
    _m(id="layer_skipped", step="accumulate", piece="accumulate",
       lines=("Delta_l if l == 1 else Delta_l + np.outer(delta_next, a_l)",
              "Delta_l if l == L - 1 else Delta_l + np.outer(delta_next, a_l)"),
       title="a layer left out of the Δ loop",
       explanation="Δ⁽ˡ⁾ is accumulated for every l = 1…L − 1, Θ⁽¹⁾ included: the loop over "
                   "the layers must cover each Θ⁽ˡ⁾, or that D⁽ˡ⁾ keeps only its "
                   "regularization"),
    # ---- D --------------------------------------------------------------------------------------
    _m(id="bias_regularized", step="d_terms", piece="d", lines="Delta_l / m + lam / m * Theta_l",
       title="the bias column regularized",
       explanation="the penalty λ/(2m)·ΣΘ² leaves out the bias weights (j = 0), so its "
                   "derivative there is 0: D⁽ˡ⁾ᵢ₀ = Δ⁽ˡ⁾ᵢ₀/m", shows="needs λ > 0", zoo=True),
    _m(id="lambda_not_over_m", step="d_terms", piece="d",
       lines="Delta_l / m + lam * no_bias(Theta_l)",
       title="λΘ where (λ/m)Θ belongs (the lecture's printed formula)",
       explanation="the derivative of the penalty λ/(2m)·ΣΘ² is (λ/m)Θ; the lecture prints "
                   "λΘ, which is m times too large (notebook 05 settles it by a gradient check)",
       shows="needs λ > 0 and m > 1", zoo=True),
    _m(id="lambda_over_2m", step="d_terms", piece="d",
       lines="Delta_l / m + lam / (2 * m) * no_bias(Theta_l)",
       title="λ/(2m) kept in the derivative",
       explanation="differentiating λ/(2m)·Θ² gives 2·λ/(2m)·Θ = (λ/m)Θ: the 2 of the square "
                   "cancels the 2 in λ/(2m)", shows="needs λ > 0"),
    _m(id="missing_1_over_m", step="d_terms", piece="d",
       lines="Delta_l + lam / m * no_bias(Theta_l)",
       title="the 1/m missing",
       explanation="J(Θ) averages the examples' costs, so D averages their shares: Δ⁽ˡ⁾/m, "
                   "not the sum Δ⁽ˡ⁾", shows="needs m > 1", zoo=True),
    _m(id="regularization_missing", step="d_terms", piece="d", lines="Delta_l / m",
       title="the regularization term left out of D",
       explanation="J(Θ) includes the penalty λ/(2m)·ΣΘ², so D⁽ˡ⁾ includes its derivative "
                   "(λ/m)Θ⁽ˡ⁾ᵢⱼ for j ≠ 0", shows="needs λ > 0"),
    _m(id="regularization_sign", step="d_terms", piece="d",
       lines="Delta_l / m - lam / m * no_bias(Theta_l)",
       title="the regularization term subtracted",
       explanation="the penalty grows with every Θ², so its slope (λ/m)Θ is added to D: "
                   "gradient descent then pulls each weight toward 0", shows="needs λ > 0"),
    _m(id="uses_globals", step="d_terms", piece="d",
       lines=("Delta_l / m + lam_g / m * no_bias(Theta_l)",
              "Delta_l / m_g + lam / m_g * no_bias(Theta_l)",
              "Delta_l / m_g + lam_g / m_g * no_bias(Theta_l)",
              "Delta_l / m + lam / m_g * no_bias(Theta_l)"),
       needs=("lam_g", "m_g"),
       title="the notebook's λ or m used instead of the function's own",
       explanation="the function must compute D for the Θ, X, Y and λ it is given: λ is its "
                   "argument `lam`, and m is the number of rows of X; the notebook's variables "
                   "of the same name belong to one example problem only"),
    # ---- notebook 01: z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ in one cell (piece "z2": the line `z2 = Theta[1] @ a1`) --
    _m(id="bias_unit_missing", step="forward", piece="z2",
       lines=("Theta[1] @ x", "Theta[1][:, 1:] @ x"),
       title="the bias unit missing",
       explanation="Θ⁽¹⁾ multiplies a⁽¹⁾ = (1, x₁, …, x_s₁), the input with the bias unit a₀ = 1 "
                   "in front: its column 0 holds the bias weights, which x alone leaves out"),
    _m(id="bias_unit_last", step="forward", piece="z2",
       lines=("Theta[1] @ np.append(x, 1.0)", "Theta[1] @ np.concatenate((x, [1.0]))"),
       title="the bias unit put last",
       explanation="a₀ = 1 goes in front, as entry 0, because column 0 of Θ⁽¹⁾ holds the bias "
                   "weights; at the end it is multiplied by the last input's weights"),
    _m(id="g_applied_to_z", step="forward", piece="z2", lines="g(Theta[1] @ a1)",
       title="g applied already",
       explanation="z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ is the weighted input of layer 2, before the sigmoid; "
                   "g(z⁽²⁾) is a⁽²⁾ (without its bias unit), the next step"),
    # ---- notebooks 00, 02, 05 (predicted change), 07 (predicted), 09 ----
    # Each piece is the one line of a top-level exercise (or of 09's function), written in the
    # notebook's own names: a line is evaluated with the names the notebook's cells define
    # before the exercise (nbhelpers.course.exercises.nb00.line_value).
    # 00-n-params: `n_params = sum(T.size for T in p.Theta.values())` (piece "n_params")
    _m(id="bias_unit_missing", step="parameters", piece="n_params",
       lines=("sum(T[:, 1:].size for T in p.Theta.values())",),
       title="the bias weights left out",
       explanation="every unit of layer l + 1 also has a weight for the bias unit a₀ = 1 of "
                   "layer l: column 0 of Θ⁽ˡ⁾, so Θ⁽ˡ⁾ has sₗ + 1 columns, and those weights are "
                   "parameters like the others"),
    _m(id="units_counted", step="parameters", piece="n_params", lines=("sum(s.values())",),
       title="the units counted instead of the weights",
       explanation="the parameters are the weights between the layers, the entries of the "
                   "matrices Θ⁽ˡ⁾ (s₍ₗ₊₁₎ × (sₗ + 1) each), not the units sₗ of the layers"),
    _m(id="matrices_counted", step="parameters", piece="n_params", lines=("len(p.Theta)",),
       title="the matrices counted instead of their entries",
       explanation="each Θ⁽ˡ⁾ is a whole matrix of weights: the parameters are its entries, "
                   "s₍ₗ₊₁₎ × (sₗ + 1) of them, added up over every l"),
    _m(id="first_layer_only", step="parameters", piece="n_params", lines=("p.Theta[1].size",),
       title="only Θ⁽¹⁾ counted",
       explanation="the network has a matrix Θ⁽ˡ⁾ for every l = 1…L − 1, and each of them holds "
                   "parameters: add up the entries of all of them"),
    # 02-j-unreg: `J_unreg = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m` ("J_unreg")
    _m(id="cost_sign", step="cost", piece="J_unreg",
       lines=("np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m",),
       title="the minus sign left out",
       explanation="the logarithm of a probability is negative, so the sum of the brackets is "
                   "negative; J(Θ) has a minus in front, which makes the cost positive and small "
                   "for good predictions"),
    _m(id="cost_missing_1_over_m", step="cost", piece="J_unreg",
       lines=("-np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H))",),
       title="the 1/m left out",
       explanation="J(Θ) is an average over the m examples: the double sum is divided by m",
       shows="needs m > 1"),
    _m(id="cost_over_mK", step="cost", piece="J_unreg",
       lines=("-np.mean(Y * np.log(H) + (1 - Y) * np.log(1 - H))",),
       title="the sum divided by m·K (np.mean over every entry)",
       explanation="J(Θ) averages over the m examples only: each example's cost is the sum over "
                   "its K output units, not their mean, so the double sum is divided by m, not "
                   "by the m·K entries of H"),
    _m(id="cost_second_term_missing", step="cost", piece="J_unreg",
       lines=("-np.sum(Y * np.log(H)) / m",),
       title="the term (1 − y) log(1 − h) left out",
       explanation="each output unit is a yes/no classifier: where yₖ = 0 it is its log(1 − hₖ) "
                   "that costs, and without that term an output that should be 0 costs nothing"),
    _m(id="cost_logs_swapped", step="cost", piece="J_unreg",
       lines=("-np.sum(Y * np.log(1 - H) + (1 - Y) * np.log(H)) / m",),
       title="log h and log(1 − h) swapped",
       explanation="y log h rewards an output near 1 where the label is 1, and (1 − y) log(1 − h) "
                   "an output near 0 where the label is 0; swapped, the cost rewards the wrong "
                   "answers"),
    # 02-reg: `reg = lam / (2 * m) * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())` ("reg")
    _m(id="lambda_missing", step="regularization", piece="reg",
       lines=("sum(np.sum(T[:, 1:] ** 2) for T in Theta.values()) / (2 * m)",),
       title="λ left out",
       explanation="the term is λ/(2m) times the squared weights: λ sets how much the penalty "
                   "counts, and with λ = 0 there is no penalty at all", shows="needs λ ≠ 1"),
    _m(id="bias_regularized", step="regularization", piece="reg",
       lines=("lam / (2 * m) * sum(np.sum(T ** 2) for T in Theta.values())",),
       title="the bias column included",
       explanation="the sum over j starts at j = 1: column j = 0 of every Θ⁽ˡ⁾, the bias unit's "
                   "weights, is left out of the penalty", shows="needs λ > 0"),
    _m(id="bias_row_left_out", step="regularization", piece="reg",
       lines=("lam / (2 * m) * sum(np.sum(T[1:] ** 2) for T in Theta.values())",),
       title="row 0 left out instead of column 0",
       explanation="the bias weights are column 0 of Θ⁽ˡ⁾ (they multiply a₀ = 1); row 0 holds "
                   "the weights of the first unit of layer l + 1, which are penalized like the "
                   "others", shows="needs λ > 0"),
    _m(id="lambda_over_m", step="regularization", piece="reg",
       lines=("lam / m * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())",),
       title="λ/m where λ/(2m) belongs",
       explanation="the cost's penalty is λ/(2m)·ΣΘ²; λ/m is the factor of its derivative, the "
                   "(λ/m)Θ of the D terms, where the 2 of the square has cancelled the ½",
       shows="needs λ > 0"),
    _m(id="regularization_not_over_m", step="regularization", piece="reg",
       lines=("lam / 2 * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())",),
       title="the m left out (λ/2 instead of λ/(2m))",
       explanation="the penalty is divided by m like the first part of J(Θ), so that the "
                   "balance between fit and penalty does not change with the number of examples",
       shows="needs λ > 0 and m > 1"),
    _m(id="not_squared", step="regularization", piece="reg",
       lines=("lam / (2 * m) * sum(np.sum(T[:, 1:]) for T in Theta.values())",),
       title="the weights added up without squaring them",
       explanation="the penalty is the sum of the squares (Θ⁽ˡ⁾ᵢⱼ)²: a plain sum lets positive "
                   "and negative weights cancel, while large weights of either sign should cost",
       shows="needs λ > 0"),
    _m(id="first_layer_only", step="regularization", piece="reg",
       lines=("lam / (2 * m) * np.sum(Theta[1][:, 1:] ** 2)",),
       title="only Θ⁽¹⁾ regularized",
       explanation="the sum runs over every layer l = 1…L − 1: each Θ⁽ˡ⁾'s weights outside its "
                   "bias column are penalized", shows="needs λ > 0"),
    # 05-predicted-change: `predicted_change = -ALPHA * sum(np.sum(D_step[l] ** 2) for l in D_step)`
    _m(id="step_sign", step="gradient_descent", piece="predicted_change",
       lines=("ALPHA * sum(np.sum(D_step[l] ** 2) for l in D_step)",),
       title="the minus sign of the step left out",
       explanation="the step Θ − αD moves every weight against its slope, so each weight's "
                   "slope and movement have opposite signs: a step against D lowers J, and the "
                   "predicted change is never positive"),
    _m(id="alpha_missing", step="gradient_descent", piece="predicted_change",
       lines=("-sum(np.sum(D_step[l] ** 2) for l in D_step)",),
       title="α left out",
       explanation="the step moves each weight by α times its slope, not by the slope itself: "
                   "the learning rate scales every movement, and so the predicted change"),
    _m(id="not_squared", step="gradient_descent", piece="predicted_change",
       lines=("-ALPHA * sum(np.sum(D_step[l]) for l in D_step)",),
       title="the entries of D added up without squaring them",
       explanation="each weight contributes its slope times its movement, and in this step its "
                   "movement comes from its slope too: D⁽ˡ⁾ᵢⱼ enters each term twice, not once"),
    _m(id="first_layer_only", step="gradient_descent", piece="predicted_change",
       lines=("-ALPHA * np.sum(D_step[1] ** 2)",),
       title="only D⁽¹⁾ used",
       explanation="the step moves the weights of every layer l = 1…L − 1, and the change of J "
                   "adds up the contributions of all of them"),
    # 07-predicted: `predicted = np.argmax(h_test, axis=1)` (piece "predicted")
    _m(id="digit_plus_one", step="predict", piece="predicted",
       lines=("np.argmax(h_test, axis=1) + 1",),
       title="1 added to the index of the largest output",
       explanation="output unit k = 1…K stands for the digit k − 1, so numpy's 0-based column "
                   "index of the largest output is the digit itself"),
    _m(id="argmin_for_argmax", step="predict", piece="predicted",
       lines=("np.argmin(h_test, axis=1)",),
       title="the smallest output taken instead of the largest",
       explanation="h_Θ(x)ₖ is how sure the network is that the example belongs to class k: the "
                   "prediction is the class it is surest of, the largest output"),
    _m(id="max_for_argmax", step="predict", piece="predicted",
       lines=("np.max(h_test, axis=1)",),
       title="the largest output itself instead of where it is",
       explanation="the largest h_Θ(x)ₖ is how sure the network is; the predicted digit is its "
                   "position k in the row"),
    # 09-delta-l-squared: `delta_L_squared = (h - y) * h * (1 - h)` (piece "delta_L_squared")
    _m(id="g_prime_missing", step="output_delta", piece="delta_L_squared", lines=("h - y",),
       title="the factor g′(z⁽ᴸ⁾) left out",
       explanation="δ⁽ᴸ⁾ = ∂c/∂h .* g′(z⁽ᴸ⁾) by the chain rule; a⁽ᴸ⁾ − y alone is the logistic "
                   "cost's δ⁽ᴸ⁾, where the logarithm cancels g′, but for ½(h − y)² nothing "
                   "cancels it"),
    _m(id="delta_L_sign", step="output_delta", piece="delta_L_squared",
       lines=("(y - h) * h * (1 - h)",),
       title="the sign of h − y reversed",
       explanation="the derivative of ½(h − y)² with respect to h is h − y, positive where the "
                   "output is too large; y − h points uphill"),
    _m(id="g_prime_at_a", step="output_delta", piece="delta_L_squared",
       lines=("(h - y) * nb.sigmoid_gradient(h)",),
       title="g′ evaluated at h = a⁽ᴸ⁾ instead of z⁽ᴸ⁾",
       explanation="g′(h) = g(h)(1 − g(h)) applies the sigmoid twice; the factor is g′(z⁽ᴸ⁾), "
                   "which h alone gives because h = g(z⁽ᴸ⁾)"),
    _m(id="g_instead_of_g_prime", step="output_delta", piece="delta_L_squared",
       lines=("(h - y) * h",),
       title="g(z⁽ᴸ⁾) = h where its slope g′(z⁽ᴸ⁾) belongs",
       explanation="the chain rule multiplies by the slope of the output, g′(z⁽ᴸ⁾), not by the "
                   "output g(z⁽ᴸ⁾) = h itself"),
    _m(id="g_prime_without_h", step="output_delta", piece="delta_L_squared",
       lines=("(h - y) * (1 - h)",),
       title="only the factor (1 − h) of the sigmoid's slope",
       explanation="the sigmoid's slope g′(z) = g(z)(1 − g(z)) has two factors, and at the output "
                   "g(z⁽ᴸ⁾) = h: both belong in δ⁽ᴸ⁾"),
    # 09-relu-gradient: `return (z > 0).astype(float)` (piece "relu_gradient")
    _m(id="relu_gradient_at_zero", step="g_prime", piece="relu_gradient",
       lines=("(z >= 0).astype(float)",),
       title="g′(0) = 1 (z ≥ 0 instead of z > 0)",
       explanation="max(0, z) has no slope at its corner z = 0, and the course chooses g′(0) = 0, "
                   "as nbhelpers does: only entries with z > 0 get the slope 1"),
    _m(id="relu_instead_of_gradient", step="g_prime", piece="relu_gradient",
       lines=("np.maximum(z, 0.0)",),
       title="ReLU itself, max(0, z), instead of its slope",
       explanation="g′(z) is the slope of max(0, z): 0 left of the corner and 1 right of it, "
                   "whatever the size of z"),
    _m(id="relu_sign", step="g_prime", piece="relu_gradient", lines=("np.sign(z)",),
       title="the sign of z",
       explanation="the sign is −1 for negative z, but ReLU is flat there: its slope is 0 for "
                   "z < 0 and 1 for z > 0"),
    # ---- notebooks 03, 04, 05 (D), 06, 07 (descent), 08 ----------------------------------------
    # 03, 04, 05's D and 08 are pieces of the loop: they use the loop's records above. 06's
    # two-sided difference (piece "two_sided": `(J(plus) - J(minus)) / (2 * epsilon)`, with
    # plus and minus copies of Θ moved by ±ε at the one entry), 07's gradient descent (pieces
    # "descent_gradient": `backprop(T, X, Y, lam)`, "descent_update": `T_l - alpha * D_l`,
    # "descent_steps": `iterations`) and 08's method name their own.
    _m(id="one_sided_difference", step="gradient_check", piece="two_sided",
       lines="(J(plus) - J(Theta)) / epsilon",
       title="the one-sided difference",
       explanation="(J(Θ + εE) − J(Θ))/ε is off by about (ε/2)·J″, an error proportional to ε; "
                   "moving the weight both ways, (J(Θ + εE) − J(Θ − εE))/(2ε), cancels that "
                   "term and leaves an error proportional to ε²"),
    _m(id="epsilon_not_doubled", step="gradient_check", piece="two_sided",
       lines="(J(plus) - J(minus)) / epsilon",
       title="÷ε where ÷2ε belongs",
       explanation="Θ + εE and Θ − εE are 2ε apart, so the change in J is divided by 2ε: "
                   "divided by ε the estimate is twice the slope"),
    _m(id="difference_reversed", step="gradient_check", piece="two_sided",
       lines="(J(minus) - J(plus)) / (2 * epsilon)",
       title="the difference taken the wrong way round",
       explanation="the slope is the rise from the lower point to the upper one: J(Θ + εE) − "
                   "J(Θ − εE); the other order gives the slope with its sign reversed"),
    _m(id="gradient_ascent", step="gradient_descent", piece="descent_update",
       lines="T_l + alpha * D_l",
       title="+αD where −αD belongs",
       explanation="D⁽ˡ⁾ points the way J grows fastest, so Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − αD⁽ˡ⁾ steps the other "
                   "way, downhill; adding αD climbs up J"),
    _m(id="alpha_missing", step="gradient_descent", piece="descent_update", lines="T_l - D_l",
       title="the learning rate α left out",
       explanation="each step moves Θ⁽ˡ⁾ by α times the slope, Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − αD⁽ˡ⁾: without α "
                   "every step has the length of D itself"),
    _m(id="bias_not_updated", step="gradient_descent", piece="descent_update",
       lines="T_l - alpha * no_bias(D_l)",
       title="the bias column left out of the update",
       explanation="D⁽ˡ⁾ᵢ₀ is the slope of J along the bias weight like any other entry (only "
                   "the regularization leaves j = 0 out, and D already accounts for that): "
                   "every entry of Θ⁽ˡ⁾ moves, column 0 included"),
    _m(id="d_divided_by_m_again", step="gradient_descent", piece="descent_update",
       lines="T_l - alpha / m * D_l",
       title="D divided by m once more",
       explanation="D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ already holds the 1/m of the average over the "
                   "examples: the step is α·D⁽ˡ⁾"),
    _m(id="gradient_not_recomputed", step="gradient_descent", piece="descent_gradient",
       lines="backprop(Theta_start, X, Y, lam)",
       title="D computed once, at the starting Θ",
       explanation="D is the slope of J where Θ is now; after a step Θ is somewhere else, so D "
                   "is computed again before every step"),
    _m(id="lambda_not_passed", step="gradient_descent", piece="descent_gradient",
       lines=("backprop(T, X, Y)", "backprop(T, X, Y, 0.0)"),
       title="D computed without λ",
       explanation="the costs are J(Θ) with λ, so each step must follow the slope of that J: "
                   "D from nb.backprop with the same λ, which includes the regularization part "
                   "(λ/m)Θ⁽ˡ⁾"),
    _m(id="iterations_off_by_one", step="gradient_descent", piece="descent_steps",
       lines=("iterations + 1", "iterations - 1"),
       title="one step too many or too few",
       explanation="`iterations` steps, each followed by one cost: range(iterations) makes "
                   "exactly that many"),
    _m(id="loop_over_examples", step="method", piece="examples", lines="for i in range(m): …",
       title="a Python loop over the examples",
       explanation="the matrix form handles all m examples in each product: the sum over i "
                   "that the lecture's loop adds up one example at a time becomes the inner "
                   "dimension m of one matrix product, and the δ⁽ˡ⁾ of every example are the "
                   "rows of one product, so no line of the function runs once per example"),
)
"""Every mistake the course's checks know, in lecture order."""

BY_ID: dict[str, Mistake] = {}
"""The first record of each id (one id may have records for several pieces: the same mistake
written in the capstone's loop and in an exercise's own line)."""
for _mistake in CATALOGUE:
    BY_ID.setdefault(_mistake.id, _mistake)


def of_step(step: str, pieces: Iterable[str] | None = None) -> list[Mistake]:
    """The catalogue's mistakes of one lecture step (and, if given, of these pieces only)."""
    keep = set(pieces) if pieces is not None else None
    return [m for m in CATALOGUE if m.step == step and (keep is None or m.piece in keep)]


def of_piece(piece: str) -> list[Mistake]:
    """The catalogue's mistakes of one piece (one line of an exercise)."""
    return [m for m in CATALOGUE if m.piece == piece]


def replacements(mistake: Mistake) -> list[dict[str, str]]:
    """Each way of writing the mistake as a replacement of the loop's pieces (piece → line)."""
    return [{mistake.piece: line, **extra} for line in mistake.lines for extra in mistake.extra]


__all__ = ["BY_ID", "CATALOGUE", "Mistake", "of_piece", "of_step", "replacements"]
