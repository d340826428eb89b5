"""A corpus of answers written the way students of the course write them, with what the feedback
must say about each one.

Every answer belongs to one exercise of notebooks 00–09. A function exercise (and the capstone
``05-backprop``) is answered by a function; a top-level exercise by the source of its exercise
cell, exactly as typed, using the names the notebook's earlier cells define. Each entry records
whether the answer is right, and, when it is not, the lecture step the feedback must locate and
the catalogue id it must name (None when the mistake is not one the catalogue lists: then the
feedback must say that it cannot name it).

``capstone.py`` holds the ``backprop(Theta, X, Y, lam)`` functions, ``exercises.py`` the answers
to every other exercise, ``problems.py`` the notebooks' names and the problems the answers are
tried on. :func:`entries` collects them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CAPSTONE = "05-backprop"

FUNCTION_EXERCISES = ("01-forward", "03-deltas", "05-d-from-accumulators", "06-two-sided-difference",
                      "07-gradient-descent", "08-stacked-backward", "09-relu-gradient")
"""The exercises answered by a function (besides the capstone)."""

TOP_LEVEL_EXERCISES = ("00-n-params", "01-z2", "02-j-unreg", "02-reg", "04-accumulate",
                       "05-predicted-change", "07-predicted", "09-delta-l-squared")
"""The exercises answered by the source of a cell."""

EXERCISES = ("00-n-params", "01-z2", "01-forward", "02-j-unreg", "02-reg", "03-deltas",
             "04-accumulate", "05-d-from-accumulators", "05-predicted-change",
             "06-two-sided-difference", "07-gradient-descent", "07-predicted",
             "08-stacked-backward", "09-delta-l-squared", "09-relu-gradient")
"""Every exercise of the series but the capstone, in the order of the notebooks."""

STEPS = ("forward", "output_delta", "hidden_delta", "accumulate", "d_terms", "return", "inputs",
         "package", "parameters", "cost", "regularization", "gradient_descent", "gradient_check",
         "predict", "g_prime", "method")
"""The ``.step`` vocabulary of the feedback (notes/feedback-spec.md)."""

CAPSTONE_MISTAKES = (
    # forward
    "bias_unit_missing", "bias_unit_last", "no_sigmoid_at_output", "no_sigmoid_hidden",
    "theta_transposed_forward",
    # output_delta
    "delta_L_sign", "g_prime_at_output",
    # hidden_delta
    "g_prime_at_a", "g_prime_missing", "g_instead_of_g_prime", "delta0_kept",
    "theta_not_transposed", "theta_wrong_layer", "off_by_one_slice", "g_prime_wrong_layer",
    # accumulate
    "outer_transposed", "delta_overwritten", "layer_skipped", "outer_with_a_next",
    # d_terms
    "bias_regularized", "lambda_not_over_m", "lambda_over_2m", "missing_1_over_m",
    "regularization_missing", "regularization_sign", "uses_globals",
    # return, inputs, package
    "wrong_return", "inputs_mutated", "package_call",
)
"""The catalogue ids the spec lists for the capstone's steps: each appears in the corpus."""

EXERCISE_MISTAKES = (
    "cost_sign", "cost_missing_1_over_m", "cost_over_mK", "cost_second_term_missing",
    "lambda_over_m", "lambda_missing", "regularization_not_over_m",
    "one_sided_difference", "epsilon_not_doubled", "theta_not_restored",
    "relu_gradient_at_zero", "relu_instead_of_gradient", "loop_over_examples",
    "g_applied_to_z",
    # notebooks 00, 02, 05 (predicted change), 07 (predicted), 09
    "units_counted", "step_sign", "alpha_missing", "not_squared", "digit_plus_one",
    "g_prime_without_h",
    # gradient descent (07), named since its loop has pieces of its own
    "gradient_ascent", "gradient_not_recomputed", "lambda_not_passed",
)
"""The catalogue ids the spec lists for the other exercises, beyond the capstone's."""


@dataclass(frozen=True)
class Entry:
    """One student's answer to one exercise, and what the feedback must say about it.

    ``step`` and ``mistake`` are None for a right answer. A tuple lists the acceptable values
    where the spec itself leaves a choice (its reason is in ``note``). ``hidden_on`` names a
    problem on which this wrong answer gives the right numbers (see ``problems.HIDING``), to show
    why the check needs more than that problem.
    """

    name: str
    exercise: str
    answer: Callable[..., Any] | str
    passes: bool
    step: str | tuple[str, ...] | None
    mistake: str | tuple[str | None, ...] | None
    note: str
    hidden_on: str = ""

    def __post_init__(self) -> None:
        if self.passes != (self.step is None):
            raise ValueError(f"{self.name}: a right answer has no step, a wrong one has one")
        if self.passes and self.mistake is not None:
            raise ValueError(f"{self.name}: a right answer has no mistake")
        if not set(self.steps) <= set(STEPS):
            raise ValueError(f"{self.name}: unknown step {self.step!r}")
        if (self.exercise in TOP_LEVEL_EXERCISES) != isinstance(self.answer, str):
            raise ValueError(f"{self.name}: a top-level exercise is answered by a cell's source, "
                             "a function exercise by a function")
        if not self.note:
            raise ValueError(f"{self.name}: say what the student was thinking")

    @property
    def steps(self) -> tuple[str, ...]:
        """The acceptable steps (empty for a right answer)."""
        if self.step is None:
            return ()
        return self.step if isinstance(self.step, tuple) else (self.step,)

    @property
    def mistakes(self) -> tuple[str | None, ...]:
        """The acceptable mistake ids (None meaning: the check must not name one)."""
        return self.mistake if isinstance(self.mistake, tuple) else (self.mistake,)

    @property
    def is_function(self) -> bool:
        return not isinstance(self.answer, str)


def entries() -> list[Entry]:
    """Every entry of the corpus: the capstone's, then the other exercises'."""
    from . import capstone, exercises

    return [*capstone.ENTRIES, *exercises.ENTRIES]
