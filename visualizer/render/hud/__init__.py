"""The HUD's rooms on the GL side: each paints one part of what ``visualizer.hud`` decided.

``painter.HudPainter`` is the door: it paints the static HUD into a baked picture and
draws the live parts on top each frame. The rooms — ``panels`` (status, numbers, output,
controls), ``samples`` (the batch strip and the test grid), ``curves``, ``legend`` and
``live`` — are functions that draw with a ``pen.Pen``.
"""
