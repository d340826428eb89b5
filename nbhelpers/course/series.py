"""The course map: which notebook teaches which step of the lecture, and the notation table.

Notebook 00, the README test and the notebook structure tests read these lists, so the map
is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..examples import LECTURE_SIZES
from ..validation import sup


@dataclass(frozen=True)
class Lesson:
    """One notebook of the series."""

    file: str
    title: str
    lecture_step: str
    minutes: int
    """Estimated time for a student to work through the notebook, exercises included."""


COURSE: tuple[Lesson, ...] = (
    Lesson("00-start-here.ipynb", "Start here: environment check, course map, notation",
           "Setup, conventions and notation", 15),
    Lesson("01-forward-propagation.ipynb", "Forward propagation; you write forward(Theta, x)",
           "Gradient computation: a⁽¹⁾ = x, z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾)", 35),
    Lesson("02-cost-function.ipynb", "The cost J(Θ), one example's cost c, regularization",
           "min_Θ J(Θ): the quantity whose partial derivatives we want", 30),
    Lesson("03-delta-terms.ipynb",
           "Delta terms δ⁽ˡ⁾ derived with the chain rule; you write every δ; the backward-pass stepper",
           "δ⁽ˡ⁾ = ∂c/∂z⁽ˡ⁾: δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾): loop steps 3–4", 50),
    Lesson("04-accumulators.ipynb",
           "Accumulators Δ⁽ˡ⁾: ∂c/∂Θ = aδ derived; you write the loop over i = 1…m; the explorer",
           "Δ⁽ˡ⁾ᵢⱼ := Δ⁽ˡ⁾ᵢⱼ + a⁽ˡ⁾ⱼδ⁽ˡ⁺¹⁾ᵢ over i = 1…m: loop steps 1–5", 35),
    Lesson("05-d-terms.ipynb",
           "The D terms; the lecture's λΘ settled by computation; capstone: your own backprop",
           "D⁽ˡ⁾ᵢⱼ from Δ⁽ˡ⁾ with regularization; D = ∂J/∂Θ", 60),
    Lesson("06-gradient-checking.ipynb", "Gradient checking, choosing ε, a bug zoo, why backprop is fast",
           "Checking that D really is ∂J/∂Θ", 45),
    Lesson("07-learning.ipynb", "Learning: you write gradient descent; handwritten digits",
           "Using the D terms in gradient descent, on handwritten digits", 45),
    Lesson("08-vectorized.ipynb", "Vectorized: you write the stacked backward pass; timed",
           "The same D for all m examples at once", 40),
    Lesson("09-beyond-the-lecture.ipynb",
           "Beyond the lecture: squared error, tanh, ReLU; the whole algorithm on one page",
           "Other costs and activations: why δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y", 50),
)


@dataclass(frozen=True)
class Symbol:
    """A row of the notation table."""

    symbol: str
    meaning: str
    shape: str
    code: str


NOTATION: tuple[Symbol, ...] = (
    Symbol("L", "number of layers; layer 1 is the input, layer L the output", "number",
           "L = len(Theta) + 1"),
    Symbol("sₗ", "units in layer l, not counting the bias unit", "number",
           "s[l], with s = dict(enumerate(nb.layer_sizes(Theta), start=1))"),
    Symbol("K", "output units (classes), K = s_L", "number", "Y.shape[1]"),
    Symbol("m", "training examples", "number", "X.shape[0]"),
    Symbol("x⁽ⁱ⁾, y⁽ⁱ⁾", "example i = 1…m and its one-hot label; the lecture counts examples "
           "from 1, Python counts rows from 0, so example i is row i − 1", "s₁ and K",
           "X[i - 1], Y[i - 1]"),
    Symbol("Θ⁽ˡ⁾", "weights from layer l to layer l+1; column 0 multiplies the bias unit",
           "s₍ₗ₊₁₎ × (sₗ + 1)", "Theta[l]"),
    Symbol("a₀ = 1", "the bias unit, in front of every layer l < L", "—", "fp.a[l][0]"),
    Symbol("a⁽ˡ⁾", "activations of layer l (a⁽¹⁾ = x), with the bias unit for l < L",
           "sₗ + 1 (s_L for l = L)", "fp.a[l]"),
    Symbol("z⁽ˡ⁾", "weighted inputs of layer l, z⁽ˡ⁾ = Θ⁽ˡ⁻¹⁾a⁽ˡ⁻¹⁾, for l = 2…L", "sₗ", "fp.z[l]"),
    Symbol("g, g′", "the sigmoid and its derivative g′(z) = g(z)(1 − g(z))", "element-wise",
           "nb.sigmoid, nb.sigmoid_gradient"),
    Symbol("h_Θ(x)", "the network's output, a⁽ᴸ⁾", "K", "fp.h"),
    Symbol("c(Θ)", "the cost of one example (x, y): −Σₖ [yₖ log a⁽ᴸ⁾ₖ + (1 − yₖ) log(1 − a⁽ᴸ⁾ₖ)]",
           "number", "nb.cost(Theta, x[None], y[None])"),
    Symbol("J(Θ)", "the cost: (1/m)Σᵢ c⁽ⁱ⁾(Θ), plus λ/(2m)·Σ non-bias Θ²", "number",
           "nb.cost(Theta, X, Y, lam)"),
    Symbol("δ⁽ˡ⁾", "error term of layer l, δ⁽ˡ⁾ⱼ = ∂c/∂z⁽ˡ⁾ⱼ, for l = 2…L (no δ⁽¹⁾, no δ₀)", "sₗ",
           "bp.delta[l]"),
    Symbol("Δ⁽ˡ⁾", "accumulator: Σᵢ δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ over the m examples", "like Θ⁽ˡ⁾",
           "nb.backprop(Theta, X, Y).Delta[l]"),
    Symbol("λ", "regularization strength", "number ≥ 0", "lam"),
    Symbol("D⁽ˡ⁾", "∂J/∂Θ⁽ˡ⁾: Δ⁽ˡ⁾/m, plus (λ/m)Θ⁽ˡ⁾ except in column j = 0 (the lecture "
           "prints λΘ⁽ˡ⁾; notebook 05 settles which is right by computing both)", "like Θ⁽ˡ⁾",
           "nb.backprop(Theta, X, Y, lam)[l]"),
)


def course_map_markdown(current: str | None = None, folder: str = "") -> str:
    """The course map as a Markdown table (the current notebook's row in bold); ``folder`` goes
    in front of each link (``"notebooks/"`` for the README)."""
    rows = ["| Notebook | What it teaches | Lecture step | Time |", "|---|---|---|---:|"]
    for lesson in COURSE:
        name = lesson.file.removesuffix(".ipynb")
        cell = f"[{name}]({folder}{lesson.file})"
        title = f"**{lesson.title}**" if lesson.file == current else lesson.title
        rows.append(f"| {cell} | {title} | {lesson.lecture_step} | {lesson.minutes} min |")
    hours, minutes = divmod(total_minutes(), 60)
    rows.append(f"| | **The whole series** | | **{hours} h {minutes:02d} min** |")
    return "\n".join(rows)


def total_minutes() -> int:
    """The estimated time of the whole series, in minutes."""
    return sum(lesson.minutes for lesson in COURSE)


def notation_markdown(sizes: tuple[int, ...] = LECTURE_SIZES) -> str:
    """The notation table as Markdown, with each Θ⁽ˡ⁾'s shape worked out for ``sizes``."""
    rows = ["| Symbol | Meaning | Shape | In code |", "|---|---|---|---|"]
    rows += [f"| {s.symbol} | {s.meaning} | {s.shape} | `{s.code}` |" for s in NOTATION]
    s = dict(enumerate(sizes, start=1))                     # s[l] = sₗ, layers 1…L
    shapes = ", ".join(f"Θ{sup(l)}: {s[l + 1]} × {s[l] + 1}" for l in range(1, len(s)))
    where = ("In code, for one example x, y: `fp = nb.forward_propagate(Theta, x)` and "
             "`bp = nb.backprop_example(Theta, x, y)`.")
    return ("\n".join(rows) + f"\n\n{where}\n\n"
            f"For the lecture's {'-'.join(map(str, sizes))} network: {shapes}.")
