"""Where the HUD's panels go, for any window: 16:9, 16:10, 4:3, square and portrait.

Contract: ``hud_layout(size, text_scale=1.0)`` returns a ``HudLayout`` of non-overlapping
rectangles in pixels (origin top-left) and the text unit. Text is sized from the screen
height (the shorter side's worth in portrait), never below ``MIN_TEXT_PX``, so that on a
1080p screen body text is about 23 px: readable from three metres; ``text_scale``
(``ui.text_scale``) makes it larger still, and the panels, bars and buttons, all measured
in text units, follow.

Landscape: a status bar on top, "this batch" on the left, the learning curves and the
test images on the right, the speed slider at the bottom, the network in the middle;
where the top bar is too narrow, in text units, for the epoch, the numbers and the phase
(large text on a small screen), the phase goes above the network, between the panels.
Portrait: status on top, the network, then the panels in two columns, then the slider.
In either, the language switch (``language``) ends the top bar, at its right: a button
touch-sized at 720p (``LANGUAGE_HEIGHT`` text units, 45 px), in no other part's way. Where
it would leave the phase no room in the top bar (large text on a small screen) it is
narrower (``LANGUAGE_COMPACT_WIDTH``: the globe and the language's code), and where even
that does not fit and the controls are stacked, it ends the slider's row instead, before
the lesson picker's button.

The controls bar holds the speed slider and up to ``ROW_BUTTONS`` buttons (the views' and
the lesson picker's, ``hud/toggles.py``, ``hud/picker.py``), placed the same whichever of
them show, so the slider never moves. In landscape they follow the slider in one row,
narrower (down to ``MIN_BUTTON_WIDTH``) and then beside a shorter track (down to
``MIN_TRACK_LENGTH``) where the row is short of room; where even that does not fit, and in
portrait, the bar is taller and they take a row of their own under the slider
(``stacked``), the lesson picker's at the slider's end.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.scene.layout import Rect

MIN_TEXT_PX = 13.0
TEXT_SHARE = 0.021  # body text height as a share of the (effective) screen height

# The controls bar, in text units.
ROW_BUTTONS = 6  # the views' buttons and the lesson picker's: the most the bar holds
BUTTON_WIDTH = 6.4  # room for a label and its key …
MIN_BUTTON_WIDTH = 5.4  # … or a little less, where the row is short of room
BUTTON_HEIGHT = 1.9
STACKED_BUTTON_HEIGHT = 1.3  # a row of their own is lower than the slider's
BUTTON_GAP = 0.5
SPEED_LABEL = 5.0  # "Speed", before the slider's track
TRACK_LENGTH = 16.0  # the slider's track, at most …
MIN_TRACK_LENGTH = 8.0  # … and, beside the buttons, at least
TRACK_TO_BUTTONS = 2.6  # from the track's end, clear of the last speed's label

# The top bar's parts at their narrowest, in text units.
STATUS_WIDTH = 12.5  # "200 / 200" and "15 / 15" side by side
NUMBERS_WIDTH = 13.0  # three labels over their values
PHASE_WIDTH = 18.0  # the phase's title, and its caption in two lines …
PHASE_HEIGHT = 5.4  # … or, above the network, in three
LANGUAGE_WIDTH = 7.4  # the language switch: a globe and the language's own name …
LANGUAGE_COMPACT_WIDTH = 4.4  # … or, short of room, a globe and its code …
LANGUAGE_HEIGHT = 3.0  # … at least 44 px tall on a 720p screen


@dataclass(frozen=True)
class HudLayout:
    size: tuple[int, int]
    unit: float  # body text size in pixels; headings and small print derive from it
    margin: float
    stage: Rect  # the network
    status: Rect  # epoch and batch
    phase: Rect  # the phase, its caption and progress
    numbers: Rect  # loss and accuracies
    batch: Rect  # the images of this batch
    output: Rect  # the output probabilities
    curves: Rect  # loss and accuracy over time
    tests: Rect  # the held-out test images
    controls: Rect  # the speed slider and the key hints
    portrait: bool
    track_length: float  # the speed slider's track, in pixels
    button_width: float  # each button in the controls bar, in pixels
    stacked: bool  # the buttons have a row of their own under the slider
    language: Rect  # the language switch, at the top bar's right end

    @property
    def panels(self) -> tuple[Rect, ...]:
        """The rectangles painted with a panel background."""
        return (self.batch, self.output, self.curves, self.tests)

    @property
    def regions(self) -> tuple[Rect, ...]:
        """Everything the HUD owns, out to the screen's edges and over the gaps between its
        panels (repainted when its content changes); the stage is never inside."""
        w, h = self.size
        half = self.margin / 2
        top = Rect(0, 0, w, max(self.status.bottom, self.numbers.bottom) + half)
        bottom = Rect(0, self.controls.y - half, w, h - self.controls.y + half)
        if self.portrait:
            panels_top = self.batch.y - half
            return top, Rect(0, panels_top, w, bottom.y - panels_top), bottom
        height = bottom.y - top.bottom
        left = Rect(0, top.bottom, self.batch.x + self.batch.width + half, height)
        right_x = self.curves.x - half
        return top, left, Rect(right_x, top.bottom, w - right_x, height), bottom


def hud_layout(size: tuple[int, int], text_scale: float = 1.0) -> HudLayout:
    w, h = size
    portrait = w < 1.15 * h
    unit = max(MIN_TEXT_PX, TEXT_SHARE * min(h, 1.3 * w)) * text_scale
    margin = round(0.9 * unit)
    bar = round(3.6 * unit)  # the top bar's height
    track_length, button_width, stacked = _controls_row(w - 2 * margin, unit, portrait)
    footer = round((4.4 if stacked else 2.8) * unit)  # stacked: a row under the slider
    controls = Rect(margin, h - margin - footer, w - 2 * margin, footer)
    top, language = _language_switch(w, unit, margin, bar, portrait)
    if stacked and not portrait and _top_widths(top, unit, margin, w)[1] < PHASE_WIDTH * unit:
        # The slider's row has room at its end, before the lesson picker's button.
        middle = controls.y + 1.2 * unit  # as ``slider_track`` places it
        right = controls.x + controls.width - button_width - BUTTON_GAP * unit
        height, switch = BUTTON_HEIGHT * unit, LANGUAGE_WIDTH * unit
        language = Rect(right - switch, middle - height / 2, switch, height)
        top = Rect(margin, margin, w - 2 * margin, bar)
    if portrait:
        parts = _portrait(size, margin, top, controls)
    else:
        parts = _landscape(size, unit, margin, top, controls)
    stage, status, phase, numbers, batch, output, curves, tests = parts
    return HudLayout(
        size,
        unit,
        margin,
        stage,
        status,
        phase,
        numbers,
        batch,
        output,
        curves,
        tests,
        controls,
        portrait,
        track_length,
        button_width,
        stacked,
        language,
    )


def _controls_row(width: float, unit: float, portrait: bool) -> tuple[float, float, bool]:
    """The slider's track length, the buttons' width and whether they are stacked under
    the slider, for a controls bar ``width`` pixels wide."""
    track = min(TRACK_LENGTH * unit, 0.45 * width)
    gap = BUTTON_GAP * unit
    if not portrait:
        room = width - (SPEED_LABEL + TRACK_TO_BUTTONS) * unit - (ROW_BUTTONS - 1) * gap
        button = min(BUTTON_WIDTH * unit, (room - track) / ROW_BUTTONS)
        if button >= MIN_BUTTON_WIDTH * unit:
            return track, button, False
        button = MIN_BUTTON_WIDTH * unit
        if room - ROW_BUTTONS * button >= MIN_TRACK_LENGTH * unit:
            return room - ROW_BUTTONS * button, button, False
    # A row of their own, without the lesson picker's (it ends the slider's row).
    views = ROW_BUTTONS - 1
    return track, min(BUTTON_WIDTH * unit, (width - (views - 1) * gap) / views), True


def _landscape(size, unit, margin, top, controls) -> tuple[Rect, ...]:
    """Stage, status, phase, numbers, batch, output, curves and tests, side by side."""
    w = size[0]
    side = min(max(0.23 * w, 15.5 * unit), 0.3 * w)
    body_top = top.bottom + margin
    body_bottom = controls.y - margin
    body = body_bottom - body_top
    left = Rect(margin, body_top, side, body)
    right = Rect(w - margin - side, body_top, side, body)
    batch, output = _split(left, 0.68, margin)
    curves, tests = _split(right, 0.5, margin)
    stage = Rect(left.x + side + margin, body_top, right.x - left.x - side - 2 * margin, body)
    usable = top.width - 2 * margin
    status_width, phase_width, numbers_width = _top_widths(top, unit, margin, w)
    if phase_width >= PHASE_WIDTH * unit:
        shares = (status_width / usable, phase_width / usable, numbers_width / usable)
        status, phase, numbers = _three(top, margin, shares)
        return stage, status, phase, numbers, batch, output, curves, tests
    # Too narrow for all three: the phase above the network, between the panels.
    status = Rect(top.x, top.y, status_width, top.height)
    numbers = Rect(top.x + top.width - numbers_width, top.y, numbers_width, top.height)
    phase = Rect(stage.x, stage.y, stage.width, PHASE_HEIGHT * unit)
    below = phase.bottom + margin
    stage = Rect(stage.x, below, stage.width, body_bottom - below)
    return stage, status, phase, numbers, batch, output, curves, tests


def _language_switch(
    w: float, unit: float, margin: float, bar: float, portrait: bool
) -> tuple[Rect, Rect]:
    """The top bar left for the epoch, the phase and the numbers, and the language switch
    at its right end: as wide as its name, or, where that would cost the phase some of its
    share of the bar (landscape), as wide as its code."""
    for width in (LANGUAGE_WIDTH,) if portrait else (LANGUAGE_WIDTH, LANGUAGE_COMPACT_WIDTH):
        switch = width * unit
        top = Rect(margin, margin, w - 3 * margin - switch, bar)
        if _top_widths(top, unit, margin, w)[1] >= TOP_SHARES[1] * (w - 4 * margin):
            break
    height = LANGUAGE_HEIGHT * unit
    return top, Rect(w - margin - switch, margin + (bar - height) / 2, switch, height)


TOP_SHARES = (0.24, 0.48, 0.28)  # of the top bar: the epoch, the phase, the numbers


def _top_widths(
    top: Rect, unit: float, margin: float, screen_width: float
) -> tuple[float, float, float]:
    """The epoch's, the phase's and the numbers' widths in ``top`` (the top bar less the
    language switch): the phase its share of the whole bar, as far as the epoch and the
    numbers keep their narrowest; those two share the rest."""
    usable = top.width - 2 * margin
    whole = screen_width - 4 * margin  # the bar's three parts' room without the switch
    least = (STATUS_WIDTH + NUMBERS_WIDTH) * unit
    phase = min(TOP_SHARES[1] * whole, usable - least)
    rest = usable - phase
    status = max(rest * TOP_SHARES[0] / (TOP_SHARES[0] + TOP_SHARES[2]), STATUS_WIDTH * unit)
    return status, phase, rest - status


def _portrait(size, margin, top, controls) -> tuple[Rect, ...]:
    """The same parts stacked: status, the network, the panels in two columns."""
    w, h = size
    top = Rect(top.x, top.y, top.width, 2 * top.height)  # two rows of status
    upper, lower = _split(top, 0.5, 0.0)
    status, numbers = _two(upper, margin, 0.45)
    phase = lower
    panels_height = 0.42 * h  # the network keeps the rest: its wires need no more
    panels = Rect(margin, controls.y - margin - panels_height, w - 2 * margin, panels_height)
    stage = Rect(margin, top.bottom + margin, w - 2 * margin, panels.y - top.bottom - 2 * margin)
    left, right = _two(panels, margin, 0.5)
    batch, output = _split(left, 0.68, margin)
    curves, tests = _split(right, 0.5, margin)
    return stage, status, phase, numbers, batch, output, curves, tests


def _split(rect: Rect, share: float, gap: float) -> tuple[Rect, Rect]:
    """Top and bottom parts, ``share`` of the height for the top one."""
    first = (rect.height - gap) * share
    return (
        Rect(rect.x, rect.y, rect.width, first),
        Rect(rect.x, rect.y + first + gap, rect.width, rect.height - first - gap),
    )


def _two(rect: Rect, gap: float, share: float) -> tuple[Rect, Rect]:
    first = (rect.width - gap) * share
    return (
        Rect(rect.x, rect.y, first, rect.height),
        Rect(rect.x + first + gap, rect.y, rect.width - first - gap, rect.height),
    )


def _three(rect: Rect, gap: float, shares: tuple[float, float, float]) -> tuple[Rect, Rect, Rect]:
    usable = rect.width - 2 * gap
    x = rect.x
    parts = []
    for share in shares:
        parts.append(Rect(x, rect.y, usable * share, rect.height))
        x += usable * share + gap
    return parts[0], parts[1], parts[2]


def slider_track(layout: HudLayout) -> Rect:
    """The speed slider's track inside the controls bar (drawn and hit-tested alike)."""
    controls, unit = layout.controls, layout.unit
    start = controls.x + SPEED_LABEL * unit  # after the "Speed" label
    middle = controls.y + (1.2 * unit if layout.stacked else controls.height * 0.42)
    return Rect(start, middle - 0.15 * unit, layout.track_length, 0.3 * unit)
