"""The contrast helpers of the dark-theme test, on colours and images with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from contrast import contrast, effective_background, image_contrast, luminance, rgba


def test_wcag_contrast_of_known_pairs() -> None:
    assert contrast([0, 0, 0], [255, 255, 255]) == pytest.approx(21.0)
    assert contrast([255, 255, 255], [255, 255, 255]) == pytest.approx(1.0)
    # #777777 on white is the classic borderline grey: 4.48, just under AA's 4.5
    assert contrast([0x77] * 3, [255] * 3) == pytest.approx(4.48, abs=0.01)
    assert luminance([255, 0, 0]) == pytest.approx(0.2126)


def test_backgrounds_are_painted_outermost_first() -> None:
    assert rgba("rgb(1, 2, 3)") == (1, 2, 3, 1.0)
    assert rgba("rgba(10, 20, 30, 0.5)") == (10, 20, 30, 0.5)
    dark = ["rgba(0, 0, 0, 0)", "rgb(17, 17, 17)", "rgb(255, 255, 255)"]
    np.testing.assert_allclose(effective_background(dark), [17, 17, 17])
    half = ["rgba(255, 255, 255, 0.5)", "rgb(0, 0, 0)"]
    np.testing.assert_allclose(effective_background(half), [127.5] * 3)


def test_an_image_without_its_own_background_is_told_apart() -> None:
    page = np.array([17.0, 17.0, 17.0])
    image = np.zeros((40, 40, 4))
    image[10:12, 5:35] = [0, 0, 0, 1]                  # black "text" on a transparent image
    own, ratio = image_contrast(image, page)
    assert not own and ratio < 1.5
    image[..., 3] = 1.0                                # the same on an opaque white paper
    image[..., :3] = 1.0
    image[10:12, 5:35, :3] = 0.0
    own, ratio = image_contrast(image, page)
    assert own and ratio == pytest.approx(21.0)
