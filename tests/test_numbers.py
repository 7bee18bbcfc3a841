"""The numbers written on a small network: the worked example of seed 003, as a viewer sees it.

Every value comes from the record; here the test checks them against arithmetic written
out by hand (docs/maths.md: the seed's own printout slips from z² on), and checks that
each number appears only once its wave has reached it.
"""

from __future__ import annotations

import math

import pytest
from conftest import make_frame

from visualizer.choreography import Phase
from visualizer.config import ConfigError, load_config
from visualizer.render.context import OffscreenTarget
from visualizer.render.renderer import Renderer
from visualizer.scene.layout import Rect, layout_network
from visualizer.scene.numbers import Kind, Moment, moment_of, stage_numbers
from visualizer.training.run import TrainingRun

WORKED = [
    "data.source=worked-example",
    "network.sizes=[2, 2, 1]",
    "network.hidden_activation=sigmoid",
    "network.output=sigmoid",
    "training.batch_size=1",
    "training.learning_rate=0.1",
    "network.initial_parameters={W1: [[0.1, 0.2], [0.3, 0.4]], b1: [0.01, 0.02],"
    " W2: [[0.5, 0.6]], b2: [0.05]}",
    "hud.numbers=true",
]


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# Seed 003 by hand: x = [1, 2], y = 1.
Z1 = (0.1 * 1 + 0.2 * 2 + 0.01, 0.3 * 1 + 0.4 * 2 + 0.02)
A1 = tuple(sigmoid(z) for z in Z1)
Z2 = 0.5 * A1[0] + 0.6 * A1[1] + 0.05
Y_HAT = sigmoid(Z2)
D2 = Y_HAT - 1
D1 = (0.5 * D2 * A1[0] * (1 - A1[0]), 0.6 * D2 * A1[1] * (1 - A1[1]))


@pytest.fixture(scope="module")
def worked():
    config = load_config(None, WORKED)
    return config, TrainingRun(config, 0).next_record()


def texts(record, moment) -> dict[str, Kind]:
    layout = layout_network((2, 2, 1), Rect(0, 0, 470, 560), None)
    numbers = stage_numbers(record, layout, moment, lambda text: (7.0 * len(text), 14.0))
    return {number.text: number.kind for number in numbers}


def test_forward_numbers_appear_as_the_wave_reaches_them(worked):
    _, record = worked
    inputs_only = texts(record, Moment(0, None, False))
    assert "x₁ = 1" in inputs_only and "x₂ = 2" in inputs_only
    assert "w¹₁₂ = 0.2000" in inputs_only  # W¹ written one row per hidden neuron
    assert not any(text.startswith("z") for text in inputs_only)
    hidden = texts(record, Moment(1, None, False))
    assert f"z¹₁ = {Z1[0]:.4f}" in hidden and f"a¹₂ = {A1[1]:.4f}" in hidden
    assert "w²₁₂ = 0.6000" in hidden and not any(t.startswith("ŷ") for t in hidden)
    everything = texts(record, Moment(2, None, False))
    assert f"z² = {Z2:.4f}" in everything and f"ŷ = {Y_HAT:.4f}" in everything
    assert f"{Z2:.4f}" == "0.8148"  # not the seed's slip, 0.854


def test_backward_numbers_follow_the_falling_wave(worked):
    _, record = worked
    top = texts(record, Moment(2, 2, False))
    assert top[f"δ² = {D2:+.4f}"] is Kind.BACKWARD
    assert f"J = {-math.log(Y_HAT):.4f}" in top
    assert not any(text.startswith("δ¹") or "∂J/∂w" in text for text in top)
    hidden = texts(record, Moment(2, 1, False))
    assert f"∂J/∂w²₁₁ = {D2 * A1[0]:+.4f}" in hidden
    assert f"δ¹₁ = {D1[0]:+.4f}" in hidden and f"δ¹₂ = {D1[1]:+.4f}" in hidden
    assert "w¹₁₁ = 0.1000" in hidden  # not passed yet: still the weight
    bottom = texts(record, Moment(2, 0, False))
    assert f"∂J/∂w¹₂₂ = {D1[1] * 2:+.4f}" in bottom


def test_after_the_update_the_new_values(worked):
    _, record = worked
    landed = texts(record, Moment(2, 0, True))
    assert landed[f"w²₁₁ → {0.5 - 0.1 * D2 * A1[0]:.4f}"] is Kind.UPDATE
    assert f"w¹₁₂ → {0.2 - 0.1 * D1[0] * 2:.4f}" in landed
    assert f"b² → {0.05 - 0.1 * D2:.4f}" in landed and f"b¹₁ → {0.01 - 0.1 * D1[0]:.4f}" in landed
    assert not any(text.startswith(("z", "δ")) for text in landed)


def test_the_moment_follows_the_frame(worked):
    _, record = worked
    assert moment_of(make_frame(record, Phase.FORWARD, 0.0)) == Moment(0, None, False)
    assert moment_of(make_frame(record, Phase.FORWARD, 0.9)) == Moment(2, None, False)
    assert moment_of(make_frame(record, Phase.BACKWARD, 0.0)) == Moment(2, 2, False)
    assert moment_of(make_frame(record, Phase.BACKWARD, 0.9)) == Moment(2, 0, False)
    assert moment_of(make_frame(record, Phase.UPDATE, 0.9)) == Moment(2, 0, True)


def test_numbers_on_screen_do_not_cover_each_other(ctx, worked):
    config, record = worked
    renderer = Renderer(ctx, config, (1280, 720))
    target = OffscreenTarget(ctx, (1280, 720))
    boxes = []
    real = renderer.text.draw

    def spy(size, text, position, px, colour, anchor="topleft", bold=False):
        width, height = real(size, text, position, px, colour, anchor, bold)
        if "=" in text or "→" in text:
            dx = {"left": 0, "right": -width, "centre": -width / 2}[anchor]
            boxes.append(Rect(position[0] + dx, position[1] - height / 2, width, height))
        return width, height

    renderer.text.draw = spy
    try:
        for phase, progress in ((Phase.FORWARD, 0.9), (Phase.BACKWARD, 0.9), (Phase.UPDATE, 0.9)):
            boxes.clear()
            renderer.draw(make_frame(record, phase, progress), target.framebuffer)
            assert len(boxes) >= 7
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    overlap = a.x < b.x + b.width and b.x < a.x + a.width
                    assert not (overlap and a.y < b.bottom and b.y < a.bottom), (phase, a, b)
    finally:
        target.release()
        renderer.release()


def test_numbers_on_a_network_too_large_to_hold_them_are_refused():
    with pytest.raises(ConfigError, match=r"hud\.numbers .* at most 6 neurons per layer"):
        load_config(None, ["hud.numbers=true"])
