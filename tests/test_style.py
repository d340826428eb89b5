"""The shared colours: one colour map, one scale, one text-on-fill rule, theme-aware tables."""

import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from nbhelpers.display.style import (
    CMAP,
    colours,
    contrast_ratio,
    fill_colour,
    ink_on,
    relative_luminance,
    scale_of,
)
from nbhelpers.display.tables import TABLE_CSS, html_table


def test_luminance_and_contrast_are_wcags():
    assert relative_luminance("#000000") == 0.0 and relative_luminance("#FFFFFF") == 1.0
    assert relative_luminance("#808080") == pytest.approx(0.2159, abs=1e-4)   # not 0.5: gamma
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("cmap", [CMAP, "cividis"])
def test_text_on_any_fill_has_the_larger_contrast_and_at_least_wcags_4_5(cmap):
    """The old rules (sRGB luma above 0.45 or 0.5) put white text on RdBu's mid reds at a
    contrast of 3.9; the rule "the larger contrast" never goes below 4.58."""
    for fill in matplotlib.colormaps[cmap](np.linspace(0, 1, 513)):
        ink = ink_on(fill)
        other = "#FFFFFF" if ink == "#000000" else "#000000"
        assert contrast_ratio(ink, fill) >= max(4.5, contrast_ratio(other, fill))


def test_the_rule_switches_at_the_luminance_where_both_inks_contrast_equally():
    switch = np.sqrt(1.05 * 0.05) - 0.05                      # ≈ 0.179
    greys = [matplotlib.colors.to_hex((v, v, v)) for v in np.linspace(0, 1, 256)]
    for g in greys:
        if abs(relative_luminance(g) - switch) > 1e-3:
            assert ink_on(g) == ("#000000" if relative_luminance(g) > switch else "#FFFFFF")


def test_colours_diverge_on_one_scale():
    assert colours(-2.0, 1.0) == colours(-1.0, 1.0)           # clipped at −vmax
    assert fill_colour(0.0, 3.0) == fill_colour(0.0, 0.1)     # zero: the map's middle
    assert colours(-1.0, 1.0)[1] == "#FFFFFF" and colours(0.0, 1.0)[1] == "#000000"
    assert scale_of(np.array([0.5, -3.0]), [[2.0]], np.zeros(0)) == 3.0
    assert scale_of(np.zeros((2, 3))) == 1.0


# --- tables in JupyterLab's light and dark themes --------------------------------------------

def _theme(name: str) -> dict[str, str]:
    """The CSS variables of one of JupyterLab's installed themes, resolved."""
    import jupyterlab

    css = (Path(jupyterlab.__file__).parent / "themes" / "@jupyterlab" / f"theme-{name}-extension"
           / "index.css").read_text()
    found = dict(re.findall(r"(--jp-[\w-]+):\s*([^;}]+)", css))
    return {k: _resolve(v, found) for k, v in found.items()}


def _resolve(value: str, variables: dict[str, str]) -> str:
    """``var(--x, fallback)`` → the value of --x (or the fallback), recursively."""
    match = re.fullmatch(r"\s*var\((--[\w-]+)\s*(?:,\s*(.+))?\)\s*", value)
    if not match:
        return value.strip()
    name, fallback = match.groups()
    return _resolve(variables[name], variables) if name in variables else _resolve(fallback, {})


def _over(colour: str, background: str) -> str:
    """An rgba(…) text colour drawn over an opaque background, as one opaque colour."""
    match = re.fullmatch(r"rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)", colour)
    if not match:
        return colour
    *rgb, alpha = (float(v) for v in match.groups())
    under = np.array(matplotlib.colors.to_rgb(background))
    return matplotlib.colors.to_hex(float(alpha) * np.array(rgb) / 255 + (1 - alpha) * under)


def _rules(css: str) -> dict[str, dict[str, str]]:
    return {sel.strip(): dict((k.strip(), v.strip()) for k, v in
                              (d.split(":", 1) for d in body.split(";") if ":" in d))
            for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css.replace("<style>", ""))}


def test_table_css_takes_every_colour_from_the_theme_with_a_fallback():
    rules = _rules(TABLE_CSS)
    colour_props = 0
    for declarations in rules.values():
        for prop, value in declarations.items():
            if prop in ("color", "background", "background-color", "border", "border-color"):
                colour_props += 1
                assert re.search(r"var\(--jp-[\w-]+, #[0-9A-Fa-f]{6}\)", value), (prop, value)
    assert colour_props >= 4


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_table_text_contrasts_with_the_table_in_both_themes(theme):
    """Captions, headers and the ⋯ cells in the theme's colours; value cells bring their own."""
    variables = _theme(theme)
    rules = _rules(TABLE_CSS)
    background = _resolve(rules[".bp-table"]["background"], variables)
    for selector in (".bp-table", ".bp-table caption", ".bp-table th"):
        text = _over(_resolve(rules[selector]["color"], variables), background)
        assert contrast_ratio(text, background) >= 4.5, (theme, selector, text, background)


def test_table_css_fallbacks_are_legible_without_jupyterlab():
    rules = _rules(TABLE_CSS)
    background = _resolve(rules[".bp-table"]["background"], {})
    for selector in (".bp-table", ".bp-table caption", ".bp-table th"):
        assert contrast_ratio(_resolve(rules[selector]["color"], {}), background) >= 4.5


def test_value_cells_set_their_own_fill_and_contrasting_text():
    html = html_table(np.array([[-1.0, -0.45, 0.0, 0.3, 1.0]]), "M")
    cells = re.findall(r'<td style="background:(#[0-9a-f]{6});color:(#[0-9A-F]{6})"', html)
    assert len(cells) == 5
    assert all(contrast_ratio(ink, fill) >= 4.5 for fill, ink in cells)
