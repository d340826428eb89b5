"""Figures for learning on the digits: what is drawn where, with which colours and limits."""

import matplotlib

matplotlib.use("Agg")
import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba

from nbhelpers.display.plots import (
    FONT_SIZE,
    confusion_matrix_plot,
    hidden_units,
    image_grid,
    matrix_plot,
    use_projector_style,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _shown(fig):
    """The drawn images of a figure, in reading order (axes without an image are skipped)."""
    return [ax.images[0] for ax in fig.axes if ax.images]


def test_image_grid_draws_each_row_of_64_pixels_as_an_8x8_image_in_order():
    X = np.arange(3 * 64, dtype=float).reshape(3, 64) / (3 * 64)
    fig = image_grid(X, ["a", "b", "c"], ncols=2)
    images = _shown(fig)
    assert len(images) == 3
    for k, im in enumerate(images):
        np.testing.assert_array_equal(im.get_array(), X[k].reshape(8, 8))
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["a", "b", "c"]
    assert len(fig.axes) == 4                 # 2 × 2 grid, the fourth panel left empty
    assert images[0].get_cmap().name == "gray_r"
    assert images[0].get_clim() == (0.0, 1.0)   # pixels in [0, 1]: 0 white, 1 black


def test_signed_images_share_limits_symmetric_about_zero():
    W = np.zeros((2, 8, 8))
    W[0, 0, 0] = -3.0
    W[1, 7, 7] = 1.5
    fig = image_grid(W, signed=True)
    for im in _shown(fig):
        assert im.get_clim() == (-3.0, 3.0)       # white is 0 in every image alike
        assert im.get_cmap().name == "RdBu"
    assert len(fig.axes) == 3                     # two images and the colour bar


def test_hidden_units_drop_the_bias_column_and_number_units_from_1():
    rng = np.random.default_rng(0)
    Theta1 = rng.uniform(-0.5, 0.5, size=(4, 65))
    Theta1[:, 0] = 99.0                            # a bias weight must not be drawn
    fig = hidden_units(Theta1, ncols=4)
    images = _shown(fig)
    assert len(images) == 4
    for i, im in enumerate(images):
        np.testing.assert_array_equal(im.get_array(), Theta1[i, 1:].reshape(8, 8))
    limit = np.abs(Theta1[:, 1:]).max()
    assert images[0].get_clim() == (-limit, limit)
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["unit 1", "unit 2", "unit 3", "unit 4"]


def test_confusion_matrix_shows_every_count_in_its_cell_with_readable_text():
    C = np.array([[5, 0, 1], [2, 7, 0], [0, 0, 9]])
    ax = confusion_matrix_plot(C)
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}
    assert set(cells) == {(i, j) for i in range(3) for j in range(3)}
    for (i, j), text in cells.items():
        assert text.get_text() == str(C[i, j])
    # cividis is dark blue at 0 and pale yellow at the maximum: white text on 0, black on 9
    assert to_hex(cells[(0, 1)].get_color()) == "#ffffff"
    assert to_hex(cells[(2, 2)].get_color()) == "#000000"
    assert ax.get_xlabel() == "predicted label" and ax.get_ylabel() == "true label"
    assert ax.images[0].get_clim() == (0.0, 9.0)
    assert min(t.get_fontsize() for t in ax.texts) >= 11


@pytest.mark.parametrize("images, message", [
    (np.zeros((2, 63)), "8 × 8 images, one per row of 64 values"),
    (np.zeros((2, 4, 4)), "but it has shape (2, 4, 4)"),
    (np.zeros((0, 64)), "holds no images"),
])
def test_image_grid_refuses_what_is_not_8x8_images(images, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        image_grid(images)


def test_image_grid_wants_one_title_per_image():
    with pytest.raises(ValueError, match="2 images but 1 titles"):
        image_grid(np.zeros((2, 64)), ["only one"])


def test_hidden_units_wants_theta1_of_a_digits_network():
    with pytest.raises(ValueError, match=r"s₂ × \(64 \+ 1\).*shape \(25, 64\)"):
        hidden_units(np.zeros((25, 64)))              # the bias column is missing


@pytest.mark.parametrize("C, message", [
    (np.zeros((3, 4)), "square K × K"),
    (np.array([[1, -1], [0, 2]]), "whole numbers ≥ 0"),
    (np.array([[1.5, 0], [0, 2]]), "whole numbers ≥ 0"),
])
def test_confusion_matrix_refuses_what_is_not_a_square_matrix_of_counts(C, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix_plot(C)


def test_projector_style_sets_large_text_and_okabe_ito_lines():
    with matplotlib.rc_context():
        use_projector_style()
        assert matplotlib.rcParams["font.size"] == FONT_SIZE >= 11
        assert min(matplotlib.rcParams[k] for k in ("xtick.labelsize", "legend.fontsize")) >= 11
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert colours[:2] == ["#0072B2", "#E69F00"]


def test_matrix_plot_writes_every_value_in_its_cell_and_numbers_like_the_lecture():
    M = np.array([[-0.5, 0.0, 0.25], [0.125, -0.0625, 1.0]])
    ax = matrix_plot(M, title="D⁽¹⁾", digits=2)
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
             for t in ax.texts}
    assert cells == {(0, 0): "-0.50", (0, 1): "0.00", (0, 2): "0.25",
                     (1, 0): "0.12", (1, 1): "-0.06", (1, 2): "1.00"}
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2"]      # rows i = 1, 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]  # j = 0 is the bias
    assert ax.images[0].get_clim() == (-1.0, 1.0)
    assert ax.get_title() == "D⁽¹⁾"


def test_matrix_plot_shares_a_given_limit_and_keeps_text_readable():
    M = np.array([[0.1, -1.9]])
    ax = matrix_plot(M, limit=2.0)
    assert ax.images[0].get_clim() == (-2.0, 2.0)
    colours = [to_hex(t.get_color()) for t in ax.texts]
    assert colours == ["#000000", "#ffffff"]  # dark red cell: white text; pale cell: black
    with pytest.raises(ValueError, match="limit must be > 0"):
        matrix_plot(M, limit=0.0)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        matrix_plot(np.zeros(3))


def test_a_figure_title_gets_its_own_space_above_the_images():
    fig = image_grid(np.zeros((2, 64)), ["a", "b"], title="Two blank digits")
    assert fig._suptitle.get_text() == "Two blank digits"
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title_box = fig._suptitle.get_window_extent(renderer)
    for ax in fig.axes:
        top_of_panel = ax.title.get_window_extent(renderer)
        assert title_box.y0 >= top_of_panel.y1           # no overlap with the panel titles


def _saved_alpha(fig) -> float:
    """The least opacity of any pixel of the figure saved as PNG, as a notebook shows it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=20, bbox_inches="tight")
    buffer.seek(0)
    return float(plt.imread(buffer)[..., 3].min())


def test_every_figure_has_an_opaque_white_background_even_if_the_default_is_transparent():
    """A dark notebook theme shows through a transparent figure and hides its black text."""
    with matplotlib.rc_context({"figure.facecolor": "none", "savefig.facecolor": "auto"}):
        figures = [image_grid(np.zeros((2, 64))), hidden_units(np.ones((3, 65)), ncols=3),
                   confusion_matrix_plot(np.eye(3)).figure, matrix_plot(np.eye(2)).figure]
        for fig in figures:
            assert to_rgba(fig.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)
            assert _saved_alpha(fig) == 1.0


def test_projector_style_makes_every_later_figure_opaque():
    with matplotlib.rc_context({"figure.facecolor": "none"}):
        use_projector_style()
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0])
        assert _saved_alpha(fig) == 1.0
        assert matplotlib.rcParams["savefig.transparent"] is False

