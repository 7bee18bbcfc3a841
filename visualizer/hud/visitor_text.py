"""Every word visitor mode puts on screen: the invitation, the "still watching?" countdown
and the story's captions (``visualizer.story``), from the catalogues' ``show.visitor``.

Contract: each text is a whole sentence with named placeholders (never built from
pieces), so that each language words it its own way. ``story_headline(view, frame,
words)`` is the title (None: the phase's own) and caption the HUD shows while a story
plays, every number in it from the record on screen or the story's first batch, written
as ``words``' language writes numbers; ``INVITATION`` and ``still_watching(seconds)`` are
notices (``visualizer.said``), said in the language on screen when they show.
"""

from __future__ import annotations

import math

from visualizer.choreography import Frame, Phase
from visualizer.said import Said
from visualizer.story import StoryStage, StoryView
from visualizer.words import Words

INVITATION = Said("show.visitor.invitation")

STAGE_KEYS = {StoryStage.FIRST: "show.visitor.first", StoryStage.LATE: "show.visitor.late"}


def story_headline(view: StoryView, frame: Frame, words: Words) -> tuple[str | None, str] | None:
    """The title (None: the phase's) and the caption for the story's stage and phase."""
    record = frame.record
    if record is None or frame.phase is Phase.WAITING:
        return None
    if view.stage is StoryStage.TIMELAPSE:
        count = record.batches_trained
        caption = (
            words("show.visitor.timelapse.many", count=words.number(count))
            if count > 1
            else words("show.visitor.timelapse.one")
        )
        return words("show.visitor.timelapse.title"), caption
    stage = STAGE_KEYS.get(view.stage)
    if stage is None:
        return None
    first = view.first
    figures = {}
    if first is not None:
        figures = {
            "trained": words.number(record.step - first.step),
            "right": words.number(first.right),
            "size": words.number(first.size),
            "loss": words.number(record.loss, 2),
            "first_loss": words.number(first.loss, 2),
        }
    return None, words(f"{stage}.{frame.phase.value}", **figures)


def still_watching(seconds: float) -> Said:
    """The countdown: whole seconds, never "0 s" while it runs."""
    return Said.of("show.visitor.still_watching", seconds=max(math.ceil(seconds), 1))
