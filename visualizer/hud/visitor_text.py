"""Every word visitor mode puts on screen, in one place: the invitation, the "still
watching?" countdown and the story's captions (``visualizer.story``).

Contract: each text is a whole sentence with named placeholders (never built from
pieces), so that a language catalogue can replace this table. ``story_headline(view,
frame)`` is the title (None: the phase's own) and caption the HUD shows while a story
plays, every number in it from the record on screen or the story's first batch;
``still_watching(seconds)`` the countdown's notice.
"""

from __future__ import annotations

import math

from visualizer.choreography import Frame, Phase
from visualizer.story import StoryStage, StoryView

INVITATION = "Touch the screen to watch a new network learn, from its very first guess"
STILL_WATCHING = "Still watching? Touch the screen to stay; the show rests in {seconds} s"

STORY_CAPTIONS = {
    (StoryStage.FIRST, Phase.FORWARD): (
        "A brand-new network with random weights: whatever it predicts now is a guess"
    ),
    (StoryStage.FIRST, Phase.BACKWARD): (
        "Each mistake flows back down: every weight learns which way it should move"
    ),
    (StoryStage.FIRST, Phase.UPDATE): (
        "Every weight takes one small step: the network's very first lesson"
    ),
    (StoryStage.LATE, Phase.FORWARD): (
        "{trained} batches later, slowly again: the first batch got {right} of {size} right"
    ),
    (StoryStage.LATE, Phase.BACKWARD): (
        "Loss {loss}, against {first_loss} at the first batch: the smaller, the less error"
        " flows back"
    ),
    (StoryStage.LATE, Phase.UPDATE): (
        "The story ends here; the network goes on learning at its usual pace"
    ),
}
TIMELAPSE_TITLE = "Time-lapse"
TIMELAPSE_MANY = "{count} batches trained for each one shown: watch the curves and the test images"
TIMELAPSE_ONE = "Every batch trained is shown, sped up: watch the curves and the test images"


def story_headline(view: StoryView, frame: Frame) -> tuple[str | None, str] | None:
    """The title (None: the phase's) and the caption for the story's stage and phase."""
    record = frame.record
    if record is None or frame.phase is Phase.WAITING:
        return None
    if view.stage is StoryStage.TIMELAPSE:
        count = record.batches_trained
        caption = TIMELAPSE_MANY.format(count=count) if count > 1 else TIMELAPSE_ONE
        return TIMELAPSE_TITLE, caption
    template = STORY_CAPTIONS.get((view.stage, frame.phase))
    if template is None:
        return None
    first = view.first
    figures = {}
    if first is not None:
        figures = {
            "trained": f"{record.step - first.step:,}",
            "right": first.right,
            "size": first.size,
            "loss": f"{record.loss:.2f}",
            "first_loss": f"{first.loss:.2f}",
        }
    return None, template.format(**figures)


def still_watching(seconds: float) -> str:
    """The countdown: whole seconds, never "0 s" while it runs."""
    return STILL_WATCHING.format(seconds=max(math.ceil(seconds), 1))
