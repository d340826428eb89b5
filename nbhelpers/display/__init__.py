"""Pictures and widgets of the algorithm: diagrams, plots, tables, the stepper and the explorers.

Nothing here computes the algorithm: every number comes from the lecture's modules one level up.
``trace`` turns one example's backward pass into structured steps; ``diagram``, ``plots`` and
``tables`` draw them; ``style`` holds the one colour scale and text-on-fill rule, ``notation``
the words and formulas of each cost and activation, ``typeset`` the number formats; the widgets
(``stepper``, ``explorers``, shared parts in ``widgetkit``) are gathered in ``widgets``.
"""
