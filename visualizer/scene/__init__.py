"""What to draw, in plain numpy: layout, per-record visual signals and particle plans.

No GL here, so every visual rule is testable without a display.
"""
