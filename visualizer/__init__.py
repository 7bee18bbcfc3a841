"""Neural Particles: a real 64 → 16 → 2 network learning circles from squares, shown as light.

The package is cut along the one-way data flow of docs/architecture.md:
``training`` (numpy only) → ``choreography`` (pure pacing) → ``render`` (moderngl) → ``app``.
"""

__version__ = "0.1.0"
