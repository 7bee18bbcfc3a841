"""Stochastic gradient descent with (optional) heavy-ball momentum on one flat vector.

``v ← μ·v + g``; ``θ ← θ − η·v``. With μ = 0 this is plain SGD, ``θ ← θ − η·g`` as in the
seeds. Working on the network's flat parameter vector makes the update two vector ops.
"""

from __future__ import annotations

import numpy as np


class SGD:
    """Updates ``params`` in place from ``grads``; its only state is the velocity."""

    def __init__(self, size: int, learning_rate: float, momentum: float = 0.0) -> None:
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
        self.learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self.velocity = np.zeros(size)
        self._scratch = np.empty(size)

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        if self.momentum:
            self.velocity *= self.momentum
            self.velocity += grads
            direction = self.velocity
        else:
            direction = grads
        np.multiply(direction, self.learning_rate, out=self._scratch)
        params -= self._scratch
