"""BatchNorm made visible: each hidden neuron's batch of values, before and after normalising.

Contract: ``normalisation_strips(record, layout, tiles_top, labels_bottom)`` returns one
``NormalisationStrip`` per hidden layer of a network with BatchNorm (none without). A
strip is a band just above its layer's row, clear of the neurons' glow and halo (and, in
the first hidden layer, of the weight tiles while they are on: above ``tiles_top``, the
tiles' top edge) and below the next row's (and, under the outputs, below
``labels_bottom``, where their probabilities end); as tall as that room allows, up to a
share of the stage. Where the rows leave less than ``MIN_HALF_HEIGHT`` (two hidden layers
on a landscape screen), that layer has no strip. Each strip has a column over each
neuron: one short tick per image of the batch, at the height of that image's value — the
Linear output z (``before``) or the normalised x̂ = (z − μ)/√(σ² + ε) (``after``), both
from the record. z and x̂ share one scale, the largest |z| or |x̂| of the layer in this
batch, with 0 on the band's middle line, so the move from one to the other is the
normalisation itself: each column's ticks are shifted by −μ and stretched or squeezed
to unit spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.scene.layout import NetworkLayout, Rect
from visualizer.training.records import StepRecord

HALF_HEIGHT = 0.045  # a band's half height, as a share of the stage's height at most …
ROW_SHARE = 0.22  # … and of the distance to the next row up
MIN_HALF_HEIGHT = 0.012  # a band with less room than this (of the stage's height) is left out
CLEARANCE = 2.9  # from a neuron's centre to the band, in radii: clear of glow and halo
VALUE_ROOM = 0.92  # the largest value reaches this share of the half height
MARGIN = 0.6  # between the band and the tiles or labels it makes way for, in radii


@dataclass(frozen=True)
class NormalisationStrip:
    layer: int  # the hidden layer (1 … L−1), which the forward wave reaches at ``layer``
    band: Rect
    middle: float  # y of the middle line: the value 0, for z and x̂ alike
    pixels_per_unit: float  # one scale for z and x̂: (largest |z| or |x̂|) ↦ VALUE_ROOM
    columns: np.ndarray  # (n,) x of each neuron's column
    tick_half_width: float
    before: np.ndarray  # (B, n) y of each image's z
    after: np.ndarray  # (B, n) y of each image's x̂
    focus: int  # the batch row of the focused image, whose tick stands out


def normalisation_strips(
    record: StepRecord,
    layout: NetworkLayout,
    tiles_top: float | None = None,
    labels_bottom: float | None = None,
) -> tuple[NormalisationStrip, ...]:
    strips = []
    last_hidden = len(layout.positions) - 2
    for gap, (z, normalised) in enumerate(zip(record.pre_normalisation, record.normalised)):
        layer = gap + 1
        row, radius = layout.positions[layer], layout.radii[layer]
        y, y_next = row[0, 1], layout.positions[layer + 1][0, 1]
        bottom = y - CLEARANCE * radius
        if layer == 1 and tiles_top is not None:
            bottom = min(bottom, tiles_top - MARGIN * radius)
        ceiling = y_next + CLEARANCE * layout.radii[layer + 1]
        if layer == last_hidden and labels_bottom is not None:
            ceiling = max(ceiling, labels_bottom + MARGIN * radius)
        half = min(
            HALF_HEIGHT * layout.stage.height, ROW_SHARE * (y - y_next), (bottom - ceiling) / 2
        )
        if half < MIN_HALF_HEIGHT * layout.stage.height:
            continue  # no room between the rows
        middle = bottom - half
        xs = row[:, 0]
        spacing = float(np.min(np.diff(xs))) if len(xs) > 1 else 4.0 * radius
        largest = max(float(np.abs(z).max()), float(np.abs(normalised).max()))
        scale = VALUE_ROOM * half / largest if largest > 0 else 0.0
        band = Rect(xs[0] - spacing / 2, middle - half, xs[-1] - xs[0] + spacing, 2 * half)
        strips.append(
            NormalisationStrip(
                layer=layer,
                band=band,
                middle=middle,
                pixels_per_unit=scale,
                columns=xs,
                tick_half_width=min(0.32 * spacing, 1.6 * radius),
                before=middle - z * scale,
                after=middle - normalised * scale,
                focus=record.focus,
            )
        )
    return tuple(strips)
