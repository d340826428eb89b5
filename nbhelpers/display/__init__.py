"""Pictures and widgets of the algorithm: diagrams, plots, tables, the stepper and the explorers.

Nothing here computes the algorithm: every number comes from the lecture's modules one level up.
"""
