"""Running a student's function for a check: whatever the function does, the check gets a verdict.

:func:`run_student` calls the function on copies of the arguments, catches every exception
(even ``SystemExit``; only ``KeyboardInterrupt`` gets through), hides what it prints and
watches, at run time, whether it calls one of the package functions the exercise asks the
student to write (so an alias or a wrapper is seen too). :func:`stopped` turns an exception
into a ✘ message that quotes the student's failing line; :func:`in_thetas_terms` explains it in
the lecture's terms: a shape error with Θ's shapes, a missing key with the layer numbers.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import sys
import sysconfig
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..validation import sub, sup

Explain = Callable[[BaseException, str, tuple], str]
"""An exercise's own explanation of an exception: ``explain(exc, failing_code, args)``."""


@dataclass(frozen=True)
class Run:
    """What the student's function did on one problem."""

    value: Any
    error: BaseException | None
    called: tuple[str, ...]
    """The forbidden package functions it called, as ``nb.name``."""
    given: tuple
    """The copies of the arguments it was given, as it left them (to see changes in place)."""


def run_student(function: Callable[..., Any], args: Sequence[Any],
                forbidden: Sequence[Callable[..., Any]] = ()) -> Run:
    """Call ``function`` on deep copies of ``args`` (so that changes in place stay with the
    student), its prints and numpy's warnings hidden, and record which of the ``forbidden``
    package functions it calls directly (a call they make in turn is theirs, not the student's)."""
    codes = {f.__code__: f"nb.{f.__name__}" for f in forbidden}
    called: list[str] = []
    inside: list[Any] = []                     # forbidden frames running now

    def watch(frame: Any, event: str, arg: Any) -> None:
        if frame.f_code not in codes:
            return
        if event == "call":
            if not inside and codes[frame.f_code] not in called:
                called.append(codes[frame.f_code])
            inside.append(frame)
        elif event == "return" and inside and inside[-1] is frame:
            inside.pop()

    given = copy.deepcopy(tuple(args))
    previous = sys.getprofile()
    value: Any = None
    error: BaseException | None = None
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
            np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if codes:
            sys.setprofile(watch)
        try:
            value = function(*given)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # the student's bug (even sys.exit): a verdict, not a crash
            error = exc
        finally:
            if codes:
                sys.setprofile(previous)
    return Run(value, error, tuple(called), given)


def refused(name: str, called: Sequence[str], task: str) -> str:
    """The ✘ message for code (a function, or an exercise cell) that calls the package's own
    version of the exercise."""
    listed = " and ".join(called)
    return (f"✘ {name} calls {listed}. {task} Code that calls the package's own {listed} only "
            "hands back the package's numbers, the very ones the check compares with: yours "
            "must come from your own code.")


# ---- where the student's code failed ------------------------------------------------------------

def _library_dirs() -> tuple[str, ...]:
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths.add(str(Path(__file__).resolve().parents[1]))              # nbhelpers itself
    return tuple(str(Path(p).resolve()) for p in paths)


def student_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The last traceback frame in the student's own code (not numpy's, not the package's)."""
    library = _library_dirs()
    mine = [f for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.startswith("<") or not str(Path(f.filename).resolve()).startswith(library)]
    return mine[-1] if mine else None


def failing_line(exc: BaseException, function: Callable[..., Any]) -> str:
    """'in your line   <code>   (line N of your function)', or "" when no frame is the student's."""
    frame = student_frame(exc)
    if frame is None:
        return ""
    code = getattr(function, "__code__", None)
    inside = code is not None and frame.filename == code.co_filename and (
        frame.name == code.co_name          # or a comprehension or lambda inside the function
        or (frame.name.startswith("<") and (frame.lineno or 0) >= code.co_firstlineno))
    if inside:
        where = f"line {(frame.lineno or 0) - code.co_firstlineno + 1} of your function"
    else:
        where = f"your function {frame.name}, line {frame.lineno}"
    return f"in your line   {(frame.line or '').strip()}   ({where})"


def stopped(name: str, exc: BaseException, function: Callable[..., Any], called: str,
            explanation: str = "") -> str:
    """The ✘ message for an exception inside the student's function: what Python said, the
    failing line, how it was called (``called``, e.g. "on the lecture's network") and why."""
    text = str(exc).strip()
    lines = [f"✘ {name} stopped with {type(exc).__name__}" + (f": {text}" if text else "")]
    where = failing_line(exc, function)
    lines += [where] if where else []
    lines.append(f"It was called {called}.")
    lines += [explanation] if explanation else []
    return "\n  ".join(lines)


def did_not_return(name: str, run: Run, function: Callable[..., Any], *, task: str, hint_id: str,
                   case: str, explain: Callable[[BaseException], str]) -> str | None:
    """The message for a run of the student's function that gave no value to check: it called
    the package's own version (refused, ``task`` says what to write instead), is not written yet
    (``hint_id`` names its hints), or stopped with an error (quoted; ``explain`` says why, on
    ``case``). None when it returned."""
    if run.called:
        return refused(name, run.called, task)
    if isinstance(run.error, NotImplementedError):
        return (f"… {name} is not implemented yet — that's fine: write it in the cell above, then "
                f"run this cell again. Stuck? hint({hint_id!r}) gives the idea.")
    if run.error is not None:  # a student's bug: explained, never a traceback
        return stopped(name, run.error, function, f"on {case}", explain(run.error))
    return None


def failing_code(exc: BaseException) -> str:
    """The text of the student's failing line, or ""."""
    frame = student_frame(exc)
    return (frame.line or "").strip() if frame is not None else ""


# ---- what an exception means, in the lecture's terms ----------------------------------------------

def theta_shapes(Theta: Mapping[int, Any]) -> str:
    """'Θ⁽¹⁾ is 5 × 4, Θ⁽²⁾ is 5 × 6, …' for a network Θ."""
    return ", ".join(f"Θ{sup(l)} is {np.shape(T)[0]} × {np.shape(T)[1]}" for l, T in Theta.items())


def _sizes(Theta: Mapping[int, Any]) -> list[int]:
    """[s₁, …, s_L] of the network Θ."""
    return [np.shape(Theta[min(Theta)])[1] - 1] + [np.shape(Theta[l])[0] for l in sorted(Theta)]


def in_thetas_terms(exc: BaseException, line: str, Theta: Mapping[int, Any],
                    m: int | None = None, *, depth: bool = True) -> str:
    """What ``exc``, raised by the student's ``line`` on network Θ (with m examples, if any),
    means in the lecture's terms; "" when there is nothing to add to Python's words.
    ``depth=False`` leaves out the guess that a missing key comes from a loop written for a
    fixed number of layers (for a caller that knows, and says, whether it does)."""
    s, L = _sizes(Theta), len(Theta) + 1
    if isinstance(exc, ValueError) and re.search(r"shape|size|dimension|broadcast|aligned",
                                                 str(exc)):
        return _shape_error(str(exc), line, Theta, m)
    if isinstance(exc, KeyError):
        text = (f"There is no such key. On this network L = {L}: Θ has keys 1…{L - 1} (there is "
                f"no Θ{sup(L)}), a⁽ˡ⁾ exists for l = 1…{L}, z⁽ˡ⁾ and δ⁽ˡ⁾ for l = 2…{L} (there "
                "is no δ⁽¹⁾).")
        if _is_delta_step(line):
            text += (f" δ{sup(L)} comes first, then δ{sup(L - 1)}, …, δ⁽²⁾: read δ⁽ˡ⁺¹⁾ only "
                     "after it is stored.")
        if not depth:
            return text
        return text + (" A loop written for a fixed number of layers breaks on a network of "
                       "another depth: take L from Θ (loop over l = 1…len(Theta)), so that the "
                       "function works for any number of layers.")
    if isinstance(exc, IndexError):
        examples = f" and m = {m}: example i is row i − 1 of X and Y" if m else ""
        return (f"An index beyond the end of an array. On this network the sizes are {s}"
                f"{examples}. Unit j of a⁽ˡ⁾ is entry j (entry 0 is the bias unit); z⁽ˡ⁾ and "
                "δ⁽ˡ⁾ have no bias entry, so their entries are 0…sₗ − 1.")
    if isinstance(exc, NameError):
        return ("A name your function uses is not defined where it runs: define it inside the "
                "function or import it (np, a sigmoid, …).")
    return ""


def _is_delta_step(line: str) -> bool:
    return "delta" in line or "δ" in line or re.search(r"\bd\w*\s*=", line) is not None


def _size_glossary(numbers: Sequence[int], s: Sequence[int], m: int | None) -> str:
    """What each size means on this network: sₗ, sₗ + 1 or m."""
    L = len(s)
    parts = []
    for n in dict.fromkeys(numbers):
        meaning = [f"s{sub(l)} (the units of layer {l}: z{sup(l)}, δ{sup(l)}, g′(z{sup(l)}))"
                   for l in range(2, L + 1) if s[l - 1] == n]
        meaning += [f"s{sub(l)} + 1 (a{sup(l)} with its bias unit, the columns of Θ{sup(l)})"
                    for l in range(1, L) if s[l - 1] + 1 == n]
        meaning += [f"s{sub(1)} (the inputs x, without the bias unit)"] if s[0] == n else []
        meaning += ["m (the number of examples)"] if m == n and n > 1 else []
        if meaning:
            parts.append(f"{n} = " + " or ".join(meaning))
    return "; ".join(parts)


def _shape_error(message: str, line: str, Theta: Mapping[int, Any], m: int | None) -> str:
    """A numpy shape error explained with Θ's shapes, from the sizes in its message and the
    failing line."""
    shapes = [tuple(int(k) for k in g.split(",") if k.strip())
              for g in re.findall(r"\((\d+(?:,\s*\d+)*),?\)", message)]
    sizes = [int(k) for pair in re.findall(r"size (\d+) is different from (\d+)", message)
             for k in pair]
    numbers = sizes or [k for sh in shapes for k in sh]
    product = "matmul" in message or "aligned" in message or bool(sizes)
    lines = [("A matrix product whose inner sizes do not agree." if product else
              "Two arrays of different shapes were combined entry by entry."),
             f"On this network {theta_shapes(Theta)}: Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1), one row per "
             "unit of layer l + 1 and one column per unit of layer l plus column 0 for the bias "
             "unit a₀ = 1."]
    glossary = _size_glossary(numbers, _sizes(Theta), m)
    if glossary:
        lines.append(f"The sizes in numpy's message: {glossary}.")
    lines.append(_shape_diagnosis(line, shapes, numbers, product))
    return "\n  ".join(lines)


def _shape_diagnosis(line: str, shapes: list[tuple[int, ...]], numbers: list[int],
                     product: bool) -> str:
    """The mistake most likely behind a shape error on ``line``, in the lecture's terms."""
    two_d = [sh for sh in shapes if len(sh) == 2]
    flat = [sh[0] for sh in shapes if len(sh) == 1]
    transposed = any(a == b[::-1] and a != b for a in two_d for b in two_d)
    pairs = list(zip(numbers[::2], numbers[1::2], strict=False))
    off_by_one = any(abs(a - b) == 1 for a, b in pairs) or any(
        abs(a[0] - b[0]) == 1 or abs(a[1] - b[1]) == 1 for a in two_d for b in two_d)
    rows_differ = any(abs(a[0] - b[0]) == 1 and a[1] == b[1] for a in two_d for b in two_d)
    cols_differ = any(abs(a[1] - b[1]) == 1 and a[0] == b[0] for a in two_d for b in two_d)
    accumulating = "Delta" in line or "outer" in line
    delta_step = _is_delta_step(line)
    untransposed = re.search(r"Theta\[[^\]]*\](\[[^\]]*\])?\s*@\s*delta", line) is not None
    dropped_column = "[:, 1:]" in line or "[:,1:]" in line
    if untransposed and delta_step:
        return ("In the δ step Θ⁽ˡ⁾ is not transposed: Θ⁽ˡ⁾ maps layer l to layer l+1 "
                "(s₍ₗ₊₁₎ × (sₗ + 1)), so the error δ⁽ˡ⁺¹⁾, with its s₍ₗ₊₁₎ entries, goes back "
                "through (Θ⁽ˡ⁾)ᵀ: (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾, the error of unit j collected along column j, "
                "the weights that leave it.")
    if transposed:
        return ("Two shapes are each other's transpose: Δ's outer product the wrong way round? "
                "Δ⁽ˡ⁾ has Θ⁽ˡ⁾'s shape, so each example adds δ⁽ˡ⁺¹⁾ (a column of s₍ₗ₊₁₎ "
                "entries) times (a⁽ˡ⁾)ᵀ (a row of sₗ + 1 entries), not (a)(δ)ᵀ.")
    if off_by_one and accumulating and (rows_differ or not cols_differ) and "delta" in line:
        return ("The sizes differ by one, in the rows of Δ: δ₀ kept? The δ you add has an "
                "entry for the bias unit, but a₀ has no incoming weights and so no error: "
                "δ⁽ˡ⁺¹⁾ has only the s₍ₗ₊₁₎ entries of its units.")
    if off_by_one and accumulating:
        return ("The sizes differ by one, in the columns of Δ: the bias unit missing in the "
                "forward pass? a⁽ˡ⁾ needs a₀ = 1 in front, because column 0 of Θ⁽ˡ⁾ and of "
                "Δ⁽ˡ⁾ belongs to the bias unit.")
    if off_by_one and delta_step and dropped_column and not product:
        return ("The sizes differ by one, and in the δ step that is the bias unit. "
                "(Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ without column 0 has the sₗ entries of the units, so the other "
                "factor has sₗ + 1: g′ computed from a⁽ˡ⁾ with its bias unit a₀. "
                "g′(z⁽ˡ⁾) = a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) uses the units' activations only, not a₀.")
    if off_by_one and delta_step and not dropped_column:
        lengths = (f"one has {max(flat)} entries, the other {min(flat)}: "
                   if len(flat) == 2 and abs(flat[0] - flat[1]) == 1 else "")
        return ("The sizes differ by one, and in the δ step that is the bias unit: δ₀ kept. "
                f"{lengths.capitalize()}(Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ taken over all columns of Θ⁽ˡ⁾ has "
                "sₗ + 1 entries, the first, δ₀, from column 0 (the bias unit's weights). The "
                "bias unit a₀ = 1 is a constant, not g of any z, so it has no error, and "
                "g′(z⁽ˡ⁾) has only sₗ entries: leave Θ⁽ˡ⁾'s column 0 out. (If you wrote g′ as "
                "a⁽ˡ⁾ .* (1 − a⁽ˡ⁾), that a⁽ˡ⁾ must not include a₀ either.)")
    if delta_step and product:
        return ("Going back, (Θ⁽ˡ⁾)ᵀ has s₍ₗ₊₁₎ columns, so it multiplies δ⁽ˡ⁺¹⁾ (s₍ₗ₊₁₎ "
                "entries), the δ of the layer that Θ⁽ˡ⁾ feeds: check the layer number of Θ "
                "(Θ⁽ˡ⁾, not Θ⁽ˡ⁻¹⁾), that it is transposed, and that δ⁽ˡ⁺¹⁾ is on its right.")
    if off_by_one:
        return ("The sizes differ by one: the bias unit missing in the forward pass? Θ⁽ˡ⁾ has "
                "sₗ + 1 columns, the first for a₀ = 1, so put the bias unit in front of a⁽ˡ⁾ (in "
                "front of x for l = 1) before multiplying.")
    if product:
        return ("Θ⁽ˡ⁾ multiplies a⁽ˡ⁾ with its bias unit in front (sₗ + 1 entries): check that "
                "a₀ = 1 is there before each product, and that Θ⁽ˡ⁾ is not transposed.")
    return ("Write the shape of each operand of that line next to it, in terms of sₗ and m, "
            "and compare with the lecture's formula.")
