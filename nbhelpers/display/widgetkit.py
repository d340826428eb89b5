"""What the stepper and the explorers share: sizes, a theme-aware style, stepping in the browser.

Stepping in the browser
-----------------------
A widget whose pictures depend on one whole number (the stepper's step, the accumulator's i,
the gradient check's ε on its grid) renders every picture once, into the children of an
ipywidgets ``Tab`` with its tab bar hidden (:func:`linked_stack`), and links the number's
slider to the tab's ``selected_index`` with ``jslink``. Moving the slider, pressing Play, or
clicking Next/Prev then changes the picture in the browser alone, with no round trip to the
kernel (the kernel still hears of the new value, and updates small things such as a disabled
button when it gets to it).

The Next/Prev/Reset buttons are ordinary ``ipywidgets.Button`` objects (so ``button.click()``
works from Python). In the browser, a small script in the widget's style block catches a
click on them before the button sends it to the kernel, and moves the linked slider instead:
by one, exactly as the arrow keys on its handle do, or back to the start with the Play
widget's own stop button. The same script enables and disables Prev and Next at the two ends
whenever the slider moves, so the buttons work where no kernel answers (the website renders
the saved widget state with ``@jupyter-widgets/html-manager``). Where the script does not
run, the click goes to the kernel as before, and the kernel moves the slider: slower, but the
same result.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

SIZES = ("normal", "projector")
"""The widgets' sizes: ``"normal"`` for a lesson on a laptop, ``"projector"`` for a 1024 × 768
projector (larger type, picture and equations side by side, value tables folded away)."""


def check_size(size: Any) -> str:
    """``size`` if it is one of :data:`SIZES`, else a ValueError naming them."""
    if not isinstance(size, str) or size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(map(repr, SIZES))}, "
                         f"but it is {size!r}.")
    return size


def close_tree(widget: w.Widget) -> None:
    """Close a widget and every widget inside it (never any other widget)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


def show(widget: w.Widget) -> None:
    """Display a widget tree in the notebook (what a cell ending in a widget object does)."""
    from IPython.display import display
    display(widget)


class WidgetTree:
    """What the stepper and the explorers share: ``widget``, the tree of ipywidgets a notebook
    shows, and ``_links``, the links between them that live in the browser."""

    widget: w.Widget
    _links: list[Any]

    def _ipython_display_(self) -> None:
        show(self.widget)

    def close(self) -> None:
        """Close this widget's links and widgets (and only these)."""
        for link in self._links:
            link.close()
        close_tree(self.widget)


def html(css_class: str, value: str = "") -> w.HTML:
    """An HTML widget carrying ``css_class`` (a stable DOM hook)."""
    return w.HTML(value).add_class(css_class)


NEEDS_KERNEL = "bp-needs-kernel"
"""The DOM class of a control whose effect is computed by the kernel (the stepper's example, λ
and m, the gradient check's bug): where no kernel runs (the website renders the saved widget
state) such a control would change its own label and leave the picture as it was, so the
website shows it disabled, with a note."""


def needs_kernel(control: w.Widget) -> w.Widget:
    """Mark ``control`` as one that only works with a kernel (see :data:`NEEDS_KERNEL`)."""
    return control.add_class(NEEDS_KERNEL)


def button(label: str, css_class: str, icon: str, action: Any) -> w.Button:
    """A button that calls ``action()`` when clicked (in the browser or with ``.click()``)."""
    b = w.Button(description=label, icon=icon, layout=w.Layout(width="auto"))
    b.on_click(lambda _: action())
    return b.add_class(css_class)


def linked_stack(children: list[w.Widget], control: w.Widget, trait: str = "value"
                 ) -> tuple[w.Tab, w.Link]:
    """Pre-rendered pictures, one shown at a time, following ``control.<trait>`` in the browser
    (a ``jslink``: no kernel round trip). The trait must be the shown child's index.

    The container is a ``Tab`` with its tab bar hidden: unlike ``Stack``, which builds the view
    of the new child on every change, a Tab keeps every child's view (typeset once) and only
    hides the others, so a change of picture is a change of CSS class.
    """
    stack = w.Tab(children, selected_index=getattr(control, trait)).add_class("bp-stack")
    return stack, w.jslink((control, trait), (stack, "selected_index"))


# Theme-aware colours: JupyterLab's theme variables, with light-theme fallbacks for other
# front ends. Text in full contrast; figures (the SVG diagram) carry their own light
# background and ink (style.BACKGROUND, style.INK), so they read the same in a light and a
# dark theme.
TEXT = "var(--jp-content-font-color0, #000000)"
TEXT_SOFT = "var(--jp-content-font-color1, #1A1A1A)"
PAPER = "var(--jp-layout-color0, #FFFFFF)"
RULE = "var(--jp-border-color1, #BDBDBD)"
FIGURE_PAPER = "#FFFFFF"

FONT = {  # px per size: body text, headings, equations
    "normal": {"body": 16, "title": 20, "equation": 19, "table": 15},
    "projector": {"body": 21, "title": 23, "equation": 23, "table": 18},
}

# A click on Next, Prev or Reset inside a stepper moves its step slider in the browser (see the
# module docstring); Prev and Next are then enabled or disabled at the two ends by the page
# itself, so that they also work where no kernel answers (the website, a static viewer), and
# the kernel's own update, when there is one, agrees. Installed once per page by an image
# that fails to load on purpose: ipywidgets' HTML widget sets innerHTML, where a <script>
# would not run but an event handler does.
_FRONT_END_STEPS = (
    "if(!window.bpFrontEndSteps){window.bpFrontEndSteps=true;"
    "var handle=function(root){return root.querySelector('.bp-slider .noUi-handle');};"
    "var ends=function(root){var h=handle(root);if(!h)return;"
    "var v=+h.getAttribute('aria-valuenow');"
    "var p=root.querySelector('button.bp-prev'),n=root.querySelector('button.bp-next');"
    "if(p)p.disabled=v<=+h.getAttribute('aria-valuemin');"
    "if(n)n.disabled=v>=+h.getAttribute('aria-valuemax');};"
    "document.addEventListener('click',function(e){"
    "var b=e.target&&e.target.closest?e.target.closest('.bp-next,.bp-prev,.bp-reset'):null;"
    "if(!b||b.disabled)return;var root=b.closest('.bp-stepper');if(!root)return;"
    "var h=handle(root);if(!h)return;"
    "var stop=b.classList.contains('bp-reset')?root.querySelector('.bp-play .fa-stop'):null;"
    "if(b.classList.contains('bp-reset')&&!stop)return;"
    "e.stopPropagation();e.preventDefault();"
    "if(stop){stop.closest('button').click();}else{"
    "h.dispatchEvent(new KeyboardEvent('keydown',{key:b.classList.contains('bp-next')?"
    "'ArrowRight':'ArrowLeft',bubbles:true,cancelable:true}));}ends(root);},true);"
    "new MutationObserver(function(changes){changes.forEach(function(c){"
    "var root=c.target.closest?c.target.closest('.bp-stepper'):null;"
    "if(root&&c.target.matches('.bp-slider .noUi-handle'))ends(root);});})"
    ".observe(document,{subtree:true,attributes:true,attributeFilter:['aria-valuenow']});}"
)
FRONT_END_STEPS = (f'<img class="bp-front-end" alt="" src="data:," style="display:none" '
                   f'onerror="{_FRONT_END_STEPS}">')


def base_css(root: str, size: str) -> str:
    """The theme-aware style shared by every widget under ``.{root}``."""
    f = FONT[check_size(size)]
    return f"""
.{root} {{font-size: {f['body']}px; color: {TEXT};}}
.{root} .widget-label, .{root} .widget-readout, .{root} .widget-html-content,
.{root} .widget-dropdown select, .{root} .widget-button {{font-size: {f['body']}px;}}
.{root} .widget-html-content {{color: {TEXT}; line-height: 1.35;}}
.{root} .bp-table {{font-size: {f['table']}px; color: {TEXT};}}
.{root} .bp-table caption {{color: {TEXT};}}
.{root} .bp-table th {{color: {TEXT_SOFT}; font-size: {f['table'] - 2}px;}}
.{root} .bp-table td {{border-color: {RULE};}}
.{root} .bp-figure {{background: {FIGURE_PAPER}; color: #000000; border-radius: 6px;
                     padding: 4px;}}
.{root} details > summary {{cursor: pointer; color: {TEXT_SOFT};}}
.{root} .bp-stack > .widget-tab-bar {{display: none;}}
.{root} .bp-stack > .widget-tab-contents {{border: none; padding: 0; background: transparent;
                                          overflow: visible;}}
"""


__all__ = [
    "FONT",
    "FRONT_END_STEPS",
    "NEEDS_KERNEL",
    "PAPER",
    "SIZES",
    "TEXT",
    "TEXT_SOFT",
    "WidgetTree",
    "base_css",
    "button",
    "check_size",
    "close_tree",
    "html",
    "linked_stack",
    "needs_kernel",
    "show",
]
