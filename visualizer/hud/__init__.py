"""The heads-up display, in plain Python: layout, content, history and interaction.

No GL here: ``visualizer.render.hud`` draws what these modules decide.
"""
