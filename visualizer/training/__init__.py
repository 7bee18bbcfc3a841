"""The training core: network, dataset, optimizer and the lockstep trainer thread.

Nothing here imports GL, pygame or the renderer; records flow out, commands flow in.
"""
