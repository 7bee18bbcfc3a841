"""What the HUD says: plain data built from the frame, the history and the interaction.

Contract: ``build_hud(...)`` returns ``(HudContent, HudDynamic)``. ``HudContent`` is what
is painted into the backplate; it compares by value, and a change means a repaint (twice
per cycle: a new batch, then its predictions). ``HudDynamic`` is drawn on top every frame
(the phase and its caption, the progress bar, the time left, the slider's knob, the
inspector, the drawing canvas).

Every number is read from a record or the history, at the moment the show has reached
it: a batch's predictions, loss and output probabilities appear when the forward wave
reaches the outputs; epoch figures when the cycle that ends the epoch finishes.

Every word is the catalogue's of ``interaction.language`` (``show.yaml``: the phases'
titles and captions, the keys' hints), every figure in prose written as that language
writes numbers; ``HudContent.words`` is that catalogue, for the painted rooms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from visualizer.choreography import TRAVEL_FRACTION, Frame, Phase
from visualizer.hud.confusion import ConfusionView, confusion_counts
from visualizer.hud.equations import Explanation, explain, explained_neuron
from visualizer.hud.history import ShowHistory
from visualizer.hud.inspector import NeuronValues, as_shown, reached
from visualizer.hud.layout import HudLayout
from visualizer.hud.picker import PickerView
from visualizer.hud.toggles import Toggle
from visualizer.scene.decision_map import DecisionMap, DecisionMaps
from visualizer.training.records import StepRecord
from visualizer.words import DEFAULT_LANGUAGE, Words, words_for


@dataclass(frozen=True)
class BatchView:
    """The batch on screen: its samples, labels and, once predicted, the predictions."""

    key: tuple[int, int]  # (run, step): what the image atlas holds
    focus: int
    labels: tuple[int, ...]
    predictions: tuple[int, ...] | None  # None until the forward pass reaches the outputs
    confidences: tuple[float, ...] | None  # the probability of each prediction
    inputs: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class TestView:
    """The held-out samples and the predictions of the last finished epoch."""

    key: tuple[int, int]  # (run, epoch)
    epoch: int
    labels: tuple[int, ...]
    predictions: tuple[int, ...] | None
    confidences: tuple[float, ...] | None
    inputs: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class PlaneView:
    """A network with two inputs: its decision map, with the run's samples on it."""

    map: DecisionMap
    train: tuple[np.ndarray, np.ndarray] = field(compare=False, repr=False)  # points, labels
    test: tuple[np.ndarray, np.ndarray] = field(compare=False, repr=False)


@dataclass(frozen=True)
class HudContent:
    layout: HudLayout
    class_names: tuple[str, ...]  # what each label means (the record's data); () before one
    image_side: int | None  # the samples are images of this side (else: bar charts)
    value_scale: float  # bar charts: the largest |value| among the test samples and batch
    epoch: int | None
    epochs: int | None
    batch_number: int | None
    batches: int | None
    # This batch's objective J, once its forward pass is done: what the loss curve plots
    # (the mean of the configured loss ℓ, plus the L2 term when ``l2``).
    loss: float | None
    l2: bool  # the loss includes the weights' L2 penalty (training.l2 > 0)
    momentum: float  # μ of the update on screen (0: plain SGD)
    batch_norm: bool  # the hidden layers normalise their batch (the legend explains it) …
    dropout: bool  # … and drop neurons in training
    train_accuracy: float | None  # the last finished epoch's
    test_accuracy: float | None
    batch: BatchView | None
    output: tuple[float, ...] | None  # the highlighted image's class probabilities
    truth: int | None
    history_version: int
    tests: TestView | None
    plane: PlaneView | None  # two inputs: the decision map (in place of the test samples)
    speed: float
    speeds: tuple[float, ...]
    legend: bool
    hints: str
    history: ShowHistory = field(compare=False, repr=False)
    explanation: Explanation | None = None  # the equations, in the curves' place
    confusion: ConfusionView | None = None  # the matrix, in the test samples' place
    toggles: tuple[tuple[Toggle, bool], ...] = ()  # the view buttons shown, each on or off
    weights: bool = False  # the weight tiles over the first hidden layer
    lesson_button: bool | None = None  # the lesson picker's button: shown, lit while open
    words: Words = field(default_factory=lambda: words_for(DEFAULT_LANGUAGE))  # the language's


@dataclass(frozen=True)
class HudDynamic:
    title: str
    caption: str
    progress: float | None  # through the phase, or None when there is no phase
    backward: bool
    seconds_left: int | None
    speed: float
    inspector: tuple[NeuronValues, tuple[float, float]] | None  # values and where to show them
    canvas: np.ndarray | None  # the drawing (side²) while drawing your own
    picker: PickerView | None = None  # the lesson picker's list, while it is open


@dataclass(frozen=True)
class Interaction:
    """The HUD's own state, from the user's actions."""

    legend: bool = False
    inspector: tuple[NeuronValues, tuple[float, float]] | None = None
    canvas: np.ndarray | None = None
    drawing_answer: tuple[int, float] | None = None  # the drawing's predicted class, confidence
    keys_enabled: bool = True
    explain: bool = False  # the equations of a neuron, in the curves' place
    chosen: tuple[int, int] | None = None  # the neuron they explain (else the strongest)
    weights: bool = False  # each hidden neuron's incoming weights as a tile
    matrix: bool = False  # the confusion matrix in place of the test samples
    toggles: tuple[tuple[Toggle, bool], ...] = ()  # the view buttons shown, each on or off
    lessons: bool = False  # there is a lesson picker (K)
    lesson_button: bool | None = None  # its button, when shown: whether its list is open
    picker: PickerView | None = None  # its list, while open
    language: str = DEFAULT_LANGUAGE  # the catalogue the words on screen come from


def build_hud(
    frame: Frame,
    layout: HudLayout,
    history: ShowHistory,
    interaction: Interaction,
    speeds: tuple[float, ...],
    finished: bool,
    notice: str | None = None,
    maps: DecisionMaps | None = None,
    headline: tuple[str | None, str] | None = None,
) -> tuple[HudContent, HudDynamic]:
    """``notice``, when given, replaces the caption (a restart, the kiosk's countdown …);
    ``maps``, for a network with two inputs, draws its decision map; ``headline``, a
    title (None: the phase's) and caption told instead of the phase's while it plays (a
    visitor's story), unless the show is paused or a drawing plays."""
    record = frame.record
    words = words_for(interaction.language)
    predicted = record is not None and _past_prediction(frame)
    title, caption = _phase_text(frame, finished, interaction, headline, words)
    caption = notice or caption
    batch = loss = None
    output = truth = None
    if record is not None:
        focus = record.focus
        confidences = record.probabilities[np.arange(len(record.labels)), record.predictions]
        batch = BatchView(
            key=(record.run, record.step),
            focus=focus,
            labels=tuple(int(v) for v in record.labels),
            predictions=tuple(int(v) for v in record.predictions) if predicted else None,
            confidences=tuple(round(float(v), 2) for v in confidences) if predicted else None,
            inputs=record.inputs,
        )
        truth = int(record.labels[focus])
        if predicted:
            output = tuple(round(float(p), 2) for p in record.probabilities[focus])
            loss = round(record.loss, 3)
    latest = history.latest
    content = HudContent(
        layout=layout,
        class_names=record.class_names if record else (),
        image_side=record.test_set.image_side if record else None,
        value_scale=_value_scale(record),
        epoch=record.epoch if record else None,
        epochs=record.epochs if record else None,
        batch_number=record.batch if record else None,
        batches=record.batches_per_epoch if record else None,
        loss=loss,
        l2=record is not None and record.loss != record.data_loss,
        momentum=record.momentum if record is not None else 0.0,
        batch_norm=record is not None and record.batch_norm,
        dropout=record is not None and record.dropout > 0,
        train_accuracy=latest.train_accuracy if latest else None,
        test_accuracy=latest.test_accuracy if latest else None,
        batch=batch,
        output=output,
        truth=truth,
        history_version=history.version,
        tests=_tests(record, history),
        plane=_plane(record, frame, maps),
        speed=frame.speed,
        speeds=speeds,
        legend=interaction.legend,
        hints=_hints(interaction, record, words),
        history=history,
        explanation=_explanation(record, frame, interaction),
        confusion=_confusion(record, history) if interaction.matrix else None,
        toggles=interaction.toggles,
        weights=interaction.weights,
        lesson_button=interaction.lesson_button,
        words=words,
    )
    drawing = frame.drawing_progress is not None
    running = frame.phase is not Phase.WAITING and not drawing
    dynamic = HudDynamic(
        title=title,
        caption=caption,
        progress=frame.drawing_progress if drawing else (frame.progress if running else None),
        backward=frame.phase is Phase.BACKWARD and not drawing,
        # A countdown: "1 s left" until the phase is over, never "0 s left" while it runs.
        seconds_left=math.ceil(frame.seconds_left) if running else None,
        speed=frame.speed,
        inspector=_inspector(frame, interaction),
        canvas=interaction.canvas,
        picker=interaction.picker,
    )
    return content, dynamic


def _past_prediction(frame: Frame) -> bool:
    """Has the forward wave reached the outputs of the record on screen?"""
    # Every other phase of a record comes after its forward pass (waiting, too: a record
    # waits for its successor only once its cycle is over).
    return frame.phase is not Phase.FORWARD or frame.progress >= TRAVEL_FRACTION


def _phase_text(
    frame: Frame,
    finished: bool,
    interaction: Interaction,
    headline: tuple[str | None, str] | None,
    words: Words,
) -> tuple[str, str]:
    record = frame.record
    if record is None:  # and so no drawing either: a drawing is made over a record
        return _titled(words, "show.phase.getting_ready")
    if interaction.canvas is not None:
        if interaction.drawing_answer is None:
            return _titled(words, "show.drawing.draw")
        progress = frame.drawing_progress
        if progress is not None and progress < TRAVEL_FRACTION:
            return _titled(words, "show.drawing.flowing")
        label, confidence = interaction.drawing_answer
        name = words.class_name(record.class_names[label])
        return (
            words("show.drawing.answer.title", name=name, confidence=words.percent(confidence)),
            words("show.drawing.answer.caption"),
        )
    if frame.phase is Phase.WAITING:
        if finished:
            fresh = "new_images" if _images(record) else "new_weights"
            return (
                words("show.phase.finished.title"),
                words.count(f"show.phase.finished.{fresh}", record.epochs),
            )
        return _titled(words, "show.phase.waiting")
    title = words(f"show.phase.{frame.phase.value}.title")
    if frame.paused:
        return words("show.phase.paused.title", phase=title), words("show.phase.paused.caption")
    if headline is not None:
        told, caption = headline
        return told or title, caption
    return title, _phase_caption(frame.phase, record, words)


def _titled(words: Words, key: str) -> tuple[str, str]:
    """The catalogue's ``key.title`` and ``key.caption``."""
    return words(f"{key}.title"), words(f"{key}.caption")


def _phase_caption(phase: Phase, record: StepRecord, words: Words) -> str:
    """The phase's caption, counting what the record on screen holds, so any config
    reads right."""
    if phase is Phase.FORWARD:
        samples = "images" if _images(record) else "samples"
        return words.count(f"show.phase.forward.{samples}", len(record.labels))
    if phase is Phase.UPDATE:
        weights = sum(w.size for w in record.weights_before)
        biases = sum(record.layer_sizes[1:])  # one per neuron above the input
        return words(
            "show.phase.update.caption",
            weights=words.count("show.phase.update.weights", weights),
            biases=words.count("show.phase.update.biases", biases),
        )
    return words("show.phase.backward.caption")


def _inspector(
    frame: Frame, interaction: Interaction
) -> tuple[NeuronValues, tuple[float, float]] | None:
    if interaction.inspector is None:
        return None
    values, point = interaction.inspector
    return as_shown(values, frame), point


def _tests(record, history: ShowHistory) -> TestView | None:
    if record is None:
        return None
    test_set = record.test_set
    labels = tuple(int(v) for v in test_set.labels)
    latest, probabilities = history.latest, history.test_probabilities
    if latest is None or probabilities is None:
        return TestView((record.run, 0), 0, labels, None, None, test_set.inputs)
    predictions = probabilities.argmax(axis=1)
    confidences = probabilities[np.arange(len(predictions)), predictions]
    return TestView(
        key=(record.run, latest.epoch),
        epoch=latest.epoch,
        labels=labels,
        predictions=tuple(int(v) for v in predictions),
        confidences=tuple(round(float(v), 2) for v in confidences),
        inputs=test_set.inputs,
    )


def _explanation(
    record: StepRecord | None, frame: Frame, interaction: Interaction
) -> Explanation | None:
    """The equations of the chosen (or strongest) neuron for the phase on screen."""
    if record is None or not interaction.explain:
        return None
    neuron = explained_neuron(record, interaction.chosen)
    chosen = neuron == interaction.chosen
    forward, backward = reached(neuron[0], frame)
    shown = {Phase.FORWARD: forward, Phase.BACKWARD: backward}.get(frame.phase, True)
    words = words_for(interaction.language)
    return explain(record, frame.phase, neuron, chosen, words, shown)


def _confusion(record: StepRecord | None, history: ShowHistory) -> ConfusionView | None:
    """The last finished epoch's test predictions against the test labels."""
    if record is None:
        return None
    latest, probabilities = history.latest, history.test_probabilities
    if latest is None or probabilities is None:
        return ConfusionView(0, None)
    counts = confusion_counts(record.test_set.labels, probabilities, len(record.class_names))
    return ConfusionView(latest.epoch, tuple(tuple(int(c) for c in row) for row in counts))


def _value_scale(record: StepRecord | None) -> float:
    """The largest |value| among the test samples and this batch: full-height bars."""
    if record is None:
        return 1.0
    largest = max(np.abs(record.test_set.inputs).max(), np.abs(record.inputs).max())
    return float(largest) or 1.0


def _plane(record: StepRecord | None, frame: Frame, maps: DecisionMaps | None) -> PlaneView | None:
    """The decision map at the weights the wires show, with the run's samples."""
    if record is None or maps is None:
        return None
    train, test = record.train_set, record.test_set
    return PlaneView(
        maps.of(record, frame.update_landed),
        (train.inputs, train.labels),
        (test.inputs, test.labels),
    )


def _images(record: StepRecord | None) -> bool:
    """Are the samples images (what N draws anew, and D lets you draw)? Fixed data keeps
    its samples: N starts it with new weights."""
    return record is None or record.test_set.image_side is not None


HINT_SEPARATOR = " · "


def _hints(interaction: Interaction, record: StepRecord | None, words: Words) -> str:
    """The keys' hint line: one catalogue item per key (``show.hints``)."""
    if interaction.canvas is not None:
        items = ["drawing.drag", "drawing.erase", "drawing.back"]
    elif not interaction.keys_enabled:
        return ""
    else:
        images = _images(record)
        items = ["pause", "step", *(["draw"] if images else []), "legend", "restart"]
        items += ["new_images" if images else "new_weights"]
        items += ["lessons"] if interaction.lessons else []
    return HINT_SEPARATOR.join(words(f"show.hints.{item}") for item in items)
