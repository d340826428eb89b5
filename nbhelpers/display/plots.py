"""Figures for the D terms and for learning: matrices with their values, 8×8 images (digits
and hidden units) and a confusion matrix.

Every figure is meant to be read on a projector: large text (:data:`FONT_SIZE` and up) and
colour maps that stay readable with the common colour-vision deficiencies (grey for pixels,
the diverging ``RdBu`` of :mod:`.style` for signed weights, ``cividis`` for counts, Okabe–Ito
for lines). Numbers written on coloured cells follow the one text-on-fill rule of
:func:`~nbhelpers.display.style.ink_on`, and every figure has an opaque white background, so
that it stays legible in a dark notebook theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..validation import as_float_array
from .style import BACKGROUND, CMAP, colours, ink_on, opaque, scale_of

FONT_SIZE = 13
"""The smallest text size of these figures, in points."""

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000")
"""The Okabe–Ito palette (blue first), distinguishable with every common colour deficiency."""

IMAGE_SIDE = 8
"""The digits are 8 × 8 pixels, so s₁ = 64 inputs."""


def use_projector_style() -> None:
    """Large fonts, the Okabe–Ito colours and an opaque white background (legible in a dark
    theme too) for every later matplotlib figure."""
    mpl.rcParams.update({
        "font.size": FONT_SIZE, "axes.titlesize": FONT_SIZE + 1, "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": FONT_SIZE - 1, "ytick.labelsize": FONT_SIZE - 1,
        "legend.fontsize": FONT_SIZE - 1, "lines.linewidth": 2.5,
        "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
        "figure.facecolor": BACKGROUND, "axes.facecolor": BACKGROUND,
        "savefig.facecolor": BACKGROUND, "savefig.transparent": False,
    })


def _as_images(images: Any, name: str) -> np.ndarray:
    """``images`` as an n × 8 × 8 array: one image per row of 64 pixels, or n × 8 × 8 already."""
    arr = as_float_array(images, name)
    side = IMAGE_SIDE
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    if arr.ndim == 2 and arr.shape[1] == side * side:
        arr = arr.reshape(-1, side, side)
    if arr.ndim != 3 or arr.shape[1:] != (side, side):
        raise ValueError(f"{name} must hold 8 × 8 images, one per row of {side * side} values "
                         f"(like the rows of X), but it has shape {np.shape(images)}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} holds no images; there is nothing to draw.")
    return arr


def image_grid(images: Any, titles: Sequence[str] | None = None, *, ncols: int = 5,
               signed: bool = False, size: float = 1.8, colorbar_label: str | None = None,
               title: str | None = None) -> Figure:
    """Draw 8 × 8 images side by side, ``ncols`` to a row, each with its title, and an
    optional ``title`` above them all.

    Pixels (``signed=False``) are drawn in grey, dark for ink. Signed values such as weights
    (``signed=True``) use ``RdBu`` with limits ±max|value| shared by every image, so that white
    means 0, red negative and blue positive, in every image alike.
    """
    imgs = _as_images(images, "images")
    n = imgs.shape[0]
    if titles is not None and len(titles) != n:
        raise ValueError(f"there are {n} images but {len(titles)} titles; give one per image.")
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a whole number ≥ 1, not {ncols!r}.")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    lines = 1 + max((t.count("\n") for t in titles), default=0) if titles is not None else 0
    title_h, gap = 0.3 * lines, 0.15                  # inches: titles, and space between images
    bar_w = 1.4 if signed else 0.0                    # inches kept free for the colour bar
    images_w = ncols * size + (ncols - 1) * gap
    head_h = 0.55 if title else 0.0                   # inches for the title of the figure
    W, H = images_w + bar_w, nrows * (size + title_h) + (nrows - 1) * gap + head_h
    # Placed by hand (no layout engine): every image is exactly size × size inches, and a grid
    # of many small images is drawn several times faster than with constrained layout.
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, figsize=(W, H), gridspec_kw={
        "left": 0.0, "right": images_w / W, "bottom": 0.0, "top": 1 - (title_h + head_h) / H,
        "wspace": gap / size, "hspace": (title_h + gap) / size})
    opaque(fig)
    if signed:
        limit = scale_of(imgs)
        style = {"cmap": CMAP, "vmin": -limit, "vmax": limit}
    else:
        style = {"cmap": "gray_r", "vmin": min(0.0, float(imgs.min())),
                 "vmax": max(1.0, float(imgs.max()))}
    for k, ax in enumerate(axes.ravel()):
        if k >= n:
            ax.set_axis_off()
            continue
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():             # a thin frame: white pixels stay inside
            spine.set_edgecolor("#999999")
        shown = ax.imshow(imgs[k], interpolation="nearest", **style)
        if titles is not None:
            ax.set_title(titles[k], fontsize=FONT_SIZE)
    if title:
        fig.suptitle(title, x=images_w / (2 * W), y=1.0, va="top", fontsize=FONT_SIZE + 1)
    if signed:
        cax = fig.add_axes((images_w / W + 0.3 / W, 0.1, 0.25 / W, 0.8))
        bar = fig.colorbar(shown, cax=cax)
        bar.ax.tick_params(labelsize=FONT_SIZE - 1)
        if colorbar_label:
            bar.set_label(colorbar_label, fontsize=FONT_SIZE)
    return fig


def hidden_units(Theta1: Any, *, ncols: int = 5, size: float = 1.8,
                 title: str | None = None) -> Figure:
    """Each hidden unit of layer 2 as the 8 × 8 picture of the weights it gives the pixels.

    Row i of Θ⁽¹⁾ (the lecture's unit i = 1…s₂ of layer 2) without its column 0 (the bias
    weight) has one weight Θ⁽¹⁾ᵢⱼ per pixel j = 1…64; drawn at the pixel's place, it shows
    which strokes excite (blue) or inhibit (red) that unit.
    """
    T = as_float_array(Theta1, "Theta1", "a matrix")
    pixels = IMAGE_SIDE * IMAGE_SIDE
    if T.ndim != 2 or T.shape[1] != pixels + 1:
        raise ValueError(f"Theta1 must be Θ⁽¹⁾ of a network on the 8 × 8 digits, of shape "
                         f"s₂ × (64 + 1) (a bias column and one column per pixel), but it has "
                         f"shape {T.shape}.")
    titles = [f"unit {i}" for i in range(1, T.shape[0] + 1)]
    return image_grid(T[:, 1:], titles, ncols=ncols, signed=True, size=size,
                      colorbar_label="weight Θ⁽¹⁾ᵢⱼ", title=title)


def confusion_matrix_plot(C: Any, ax: Axes | None = None) -> Axes:
    """Draw a K × K confusion matrix: row = true label, column = predicted label.

    Cells are coloured by count (``cividis``, readable in grey too) and show their count;
    the text is dark on light cells and light on dark ones.
    """
    C = as_float_array(C, "C", "a matrix")
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] == 0:
        raise ValueError(f"C must be a square K × K matrix of counts (row: true label, column: "
                         f"predicted label), but it has shape {C.shape}.")
    if np.any(C < 0) or np.any(C != np.round(C)):
        raise ValueError("C must hold counts: whole numbers ≥ 0.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 6.5), layout="constrained")
    opaque(ax.figure)
    K = C.shape[0]
    cmap = plt.get_cmap("cividis")
    top = scale_of(C)
    shown = ax.imshow(C, cmap=cmap, vmin=0, vmax=top)
    for i in range(K):
        for j in range(K):
            ax.text(j, i, f"{int(C[i, j])}", ha="center", va="center", fontsize=FONT_SIZE - 1,
                    color=ink_on(cmap(C[i, j] / top)))
    ax.set_xticks(range(K))
    ax.set_yticks(range(K))
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.set_xlabel("predicted label", fontsize=FONT_SIZE)
    ax.set_ylabel("true label", fontsize=FONT_SIZE)
    bar = ax.figure.colorbar(shown, ax=ax, shrink=0.85)
    bar.set_label("number of test examples", fontsize=FONT_SIZE)
    bar.ax.tick_params(labelsize=FONT_SIZE - 1)
    return ax


def matrix_plot(M: Any, ax: Axes | None = None, *, title: str | None = None,
                limit: float | None = None, digits: int = 3) -> Axes:
    """Draw a weight-shaped matrix (like Θ⁽ˡ⁾, Δ⁽ˡ⁾ or D⁽ˡ⁾) with its value in every cell.

    Rows are numbered i = 1, 2, … (the units of layer l + 1) and columns j = 0, 1, … (column
    0 belongs to the bias unit), as in the lecture's Θ⁽ˡ⁾ᵢⱼ. Colours: ``RdBu`` between
    −``limit`` and +``limit`` (default: the largest |value|), so white is 0; pass the same
    ``limit`` to several panels to compare them.
    """
    M = as_float_array(M, "M", "a matrix")
    if M.ndim != 2 or M.size == 0:
        raise ValueError(f"M must be a matrix (2-D, not empty), but it has shape {M.shape}.")
    if limit is None:
        limit = scale_of(M)
    if not limit > 0:
        raise ValueError(f"limit must be > 0 (the colour scale runs from −limit to +limit), "
                         f"not {limit}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.9 * M.shape[1] + 1.5, 0.6 * M.shape[0] + 1.2),
                             layout="constrained")
    opaque(ax.figure)
    ax.imshow(M, cmap=CMAP, vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(M):
        ax.text(j, i, f"{value:.{digits}f}", ha="center", va="center", fontsize=FONT_SIZE - 2,
                color=colours(value, limit)[1])
    ax.set_xticks(range(M.shape[1]))
    ax.set_yticks(range(M.shape[0]), [str(i) for i in range(1, M.shape[0] + 1)])
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.set_xlabel("column j", fontsize=FONT_SIZE)
    ax.set_ylabel("row i", fontsize=FONT_SIZE)
    if title:
        ax.set_title(title, fontsize=FONT_SIZE + 1)
    return ax


__all__ = ["FONT_SIZE", "IMAGE_SIDE", "OKABE_ITO", "confusion_matrix_plot", "hidden_units",
           "image_grid", "matrix_plot", "use_projector_style"]
