"""WCAG contrast ratios of what a page shows: text against the background under it."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

# In the page: the colour of an element's text and the background colours of the element and
# its ancestors, innermost first (CSS rgb()/rgba() strings).
COLOURS = """(el) => {
  const backgrounds = [];
  for (let e = el; e; e = e.parentElement) {
    backgrounds.push(getComputedStyle(e).backgroundColor);
  }
  backgrounds.push(getComputedStyle(document.documentElement).backgroundColor);
  return {ink: getComputedStyle(el).color, backgrounds,
          fontSize: parseFloat(getComputedStyle(el).fontSize)};
}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' → (r, g, b, a) with r, g, b in 0…255."""
    numbers = [float(x) for x in re.findall(r"[\d.]+", css)]
    if len(numbers) == 3:
        numbers.append(1.0)
    r, g, b, a = numbers[:4]
    return r, g, b, a


def over(top: tuple[float, float, float, float], under: np.ndarray) -> np.ndarray:
    """A colour with alpha painted over an opaque one."""
    r, g, b, a = top
    return a * np.array([r, g, b]) + (1 - a) * under


def effective_background(backgrounds: list[str]) -> np.ndarray:
    """The opaque colour behind an element: its ancestors' backgrounds painted in order
    (outermost first, on white, as a browser does)."""
    colour = np.array([255.0, 255.0, 255.0])
    for css in reversed(backgrounds):
        colour = over(rgba(css), colour)
    return colour


def luminance(rgb: Any) -> float:
    """WCAG relative luminance of an sRGB colour (0…255 per channel)."""
    c = np.asarray(rgb, dtype=float) / 255
    linear = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])


def contrast(one: Any, two: Any) -> float:
    """WCAG contrast ratio (1…21) of two opaque colours."""
    a, b = sorted([luminance(one), luminance(two)], reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_contrast(locator: Any) -> tuple[float, float]:
    """(contrast ratio of the element's text against what is behind it, its font size px)."""
    found = locator.evaluate(COLOURS)
    background = effective_background(found["backgrounds"])
    ink = over(rgba(found["ink"]), background)
    return contrast(ink, background), found["fontSize"]


def image_contrast(pixels: np.ndarray, page_background: np.ndarray) -> tuple[bool, float]:
    """For an RGBA image (floats 0…1) shown on ``page_background``: whether it carries its own
    opaque background (all four corners opaque), and the contrast between that background
    (the commonest colour) and its ink (the colour of strongest contrast that covers at least
    0.1 % of the pixels, such as text and axes)."""
    rgb = pixels[..., :3] * 255
    alpha = pixels[..., 3:4] if pixels.shape[-1] == 4 else np.ones((*pixels.shape[:2], 1))
    shown = alpha * rgb + (1 - alpha) * page_background          # as painted on the page
    corners = [alpha[0, 0, 0], alpha[0, -1, 0], alpha[-1, 0, 0], alpha[-1, -1, 0]]
    own_background = bool(min(corners) > 0.99)
    colours, counts = np.unique(np.round(shown.reshape(-1, 3)), axis=0, return_counts=True)
    paper = colours[np.argmax(counts)]
    common = colours[counts >= 0.001 * counts.sum()]
    return own_background, max(contrast(c, paper) for c in common)
