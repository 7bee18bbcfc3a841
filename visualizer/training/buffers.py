"""The preallocated arrays a batch's forward and backward pass work in.

One ``BatchBuffers`` per batch size, made once and reused, so a training step allocates
nothing (``network.py`` explains the augmented ``[a, 1]`` layout, ``layers.py`` what
BatchNorm and Dropout keep here).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class BatchBuffers:
    """Preallocated buffers for one batch size; after a pass they hold its z, a and δ.

    ``inputs[l]`` is layer l+1's input with a ones column appended (the augmented form);
    ``a[l]`` is a view of the activation columns of ``inputs[l + 1]`` for hidden layers.
    Per hidden layer, ``activation_inputs`` is what φ receives (z itself without
    BatchNorm) and ``unit_outputs`` what φ gives in training (``a`` itself without
    Dropout); the BatchNorm and Dropout lists are empty in a network without them.
    """

    def __init__(
        self, sizes: Sequence[int], batch: int, batch_norm: bool = False, dropout: bool = False
    ) -> None:
        widths = sizes[1:]
        self.inputs = [np.ones((batch, n + 1)) for n in sizes[:-1]]
        self.z = [np.empty((batch, n)) for n in widths]
        self.a = [inp[:, :-1] for inp in self.inputs[1:]] + [np.empty((batch, widths[-1]))]
        self.delta = [np.empty((batch, n)) for n in widths]
        self.derivative = [np.empty((batch, n)) for n in widths[:-1]]
        self.x = self.inputs[0][:, :-1]  # the input batch itself, without the ones column
        self.onehot = np.empty((batch, widths[-1]))
        self.class_ids = np.arange(widths[-1])
        self.row_max = np.empty((batch, 1))
        self.shifted = np.empty((batch, widths[-1]))  # z − max(z) per row
        self.row_sum = np.empty((batch, 1))
        self.log_sum = np.empty(batch)
        self.error = np.empty((batch, widths[-1]))  # p − y, for the squared error
        self.row_dot = np.empty((batch, 1))  # per row, (p − y)·p: the softmax Jacobian's term
        # Column views of the output logits: a row maximum over a few columns is cheaper
        # as elementwise maxima than as an axis reduction.
        self.logit_columns = [self.z[-1][:, k : k + 1] for k in range(widths[-1])]
        self.ones_batch = np.ones(batch)
        self.ones_out = np.ones((widths[-1], 1))

        hidden = widths[:-1] if batch_norm else []
        self.normalised = [np.empty((batch, n)) for n in hidden]  # x̂, before γ and β
        self.activation_inputs = [np.empty((batch, n)) for n in hidden] or self.z[:-1]
        self.batch_mean = [np.empty(n) for n in hidden]  # μ of z over the batch
        self.batch_var = [np.empty(n) for n in hidden]  # σ² of z over the batch (÷ B)
        self.inv_std = [np.empty(n) for n in hidden]  # 1/√(σ² + ε), of the statistics used
        self.feature_scratch = [np.empty(n) for n in hidden]
        self.batch_scratch = [np.empty((batch, n)) for n in hidden]

        hidden = widths[:-1] if dropout else []
        self.masks = [np.empty((batch, n)) for n in hidden]  # 1 kept, 0 dropped
        self.scaled_masks = [np.empty((batch, n)) for n in hidden]  # mask / (1 − p)
        self.unit_outputs = [np.empty((batch, n)) for n in hidden] or self.a[:-1]
