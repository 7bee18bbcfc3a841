"""The show: the trainer's supervisor, the choreographer, the HUD and the renderer, wired once.

Contract: ``Show(config, ctx, size)`` starts a supervised trainer and draws for a target of
``size`` pixels (``renderer.resize`` follows a new size); ``tick(dt)`` advances the
choreography and returns the ``Frame``; ``draw(frame, target)`` renders it with its HUD;
``close()`` saves a checkpoint (when checkpointing) and stops the trainer. Records flow
one way: supervisor → choreographer → renderer. When a cycle finishes, its record joins
the history behind the curves, and if it ended an epoch its metrics line is written.

The ``Supervisor`` keeps the trainer going whatever it does (``visualizer.supervisor``);
the show acts on what it hands back: a resumed run's history goes to the curves, and when
a run is gone (a reset, a divergence, a failed trainer) its record, curves and drawing go
too. Its notices take the phase's caption for a while. In kiosk mode, a finished run is
held on screen (with the legend) for ``kiosk.hold_seconds``, then the next run starts
with the next seed: the attract cycle.

Visitor mode (``kiosk.visitor_mode``, in a kiosk): the show starts asleep, in the attract
state (the legend, and an invitation in place of the caption). ``visitor_touch(pressed)``
tells it of a visitor's pointer: a press on the sleeping show wakes it and starts a
fresh run that tells its story (``visualizer.story``: the story sets the speed as each
record starts, and how many batches the trainer trains for each one shown); that press
does nothing else. Once no story plays, ``kiosk.idle_seconds`` without a touch bring a
"still watching?" countdown (``kiosk.still_watching_seconds``), then sleep again
(``visualizer.kiosk.IdleTiers``). ``visitor_present``: a visitor picked this lesson, so
its story starts at once.

Lessons (``lessons``, a ``LessonMenu``; the window's shows have one): the HUD gets the
lesson picker, and ``take_lesson_request()`` hands over, once, a lesson to start in this
show's place — one a visitor picked (from its own seed), or, when ``kiosk.lessons``
rotates, the next one at the end of the attract cycle's hold (with the next seed). The
show cannot replace itself: whoever owns it builds the next (``visualizer.stage``).
``resume=False`` starts afresh even when a checkpoint is there to resume.

Languages: the HUD's words are in ``controller.language``'s, switched among
``controller.languages`` (``visualizer.kiosk.offered_languages``: in a kiosk those of
``kiosk.languages``, the first of them home; else every shipped one, ``ui.language``
first). A show for another lesson goes on in the language on screen (``language``). In a
kiosk the show goes back to the home language after ``kiosk.idle_seconds`` without a
touch; in visitor mode as it falls asleep, so that "still watching?" asks in the visitor's
language. ``notice()`` is said in the language on screen when it shows (a notice is a key
and its values: ``visualizer.said``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import moderngl

from visualizer.choreography import Choreographer, Frame
from visualizer.config import Config
from visualizer.hud import visitor_text
from visualizer.hud.controller import HudController, View
from visualizer.hud.history import ShowHistory
from visualizer.hud.model import build_hud
from visualizer.hud.picker import LessonPicker
from visualizer.kiosk import (
    AttractCycle,
    IdleTiers,
    LanguageReturn,
    next_lesson,
    offered_languages,
)
from visualizer.lessons import LessonMenu
from visualizer.metrics_log import MetricsLog
from visualizer.render.renderer import Renderer
from visualizer.said import Said
from visualizer.scene.decision_map import DecisionMaps
from visualizer.story import Story
from visualizer.supervisor import StartOver, Supervisor
from visualizer.training.data import data_widths
from visualizer.training.records import Resumed, StepRecord
from visualizer.words import Words, available_languages, words_for

log = logging.getLogger(__name__)

MAP_RESOLUTION = 64  # points per side of a decision map: smooth once filtered, cheap to run


@dataclass(frozen=True)
class LessonRequest:
    """A lesson to start in the show's place, from its config's seed or from ``seed``."""

    name: str
    seed: int | None = None


class Show:
    def __init__(
        self,
        config: Config,
        ctx: moderngl.Context,
        size: tuple[int, int],
        *,
        wait_for_records: bool = False,
        metrics: MetricsLog | None = None,
        checkpoint_dir: Path | None = None,
        lessons: LessonMenu | None = None,
        resume: bool = True,
        visitor_present: bool = False,
        language: str | None = None,
    ) -> None:
        """``wait_for_records``: block for the trainer when a cycle ends (offscreen runs are
        then the same on any machine); a window never blocks and shows "waiting" instead.
        ``checkpoint_dir``: save there every ``kiosk.checkpoint_every_epochs`` epochs and
        resume from it (kiosk mode) unless not to ``resume``. ``lessons``: what the lesson
        picker offers, and which lesson this is. ``language``: the one on screen (another
        lesson's show goes on in it); else the home language."""
        self.config = config
        self._metrics = metrics
        self.history = ShowHistory()
        self.choreographer = Choreographer(
            config.choreography, self._next_record, self._cycle_ended
        )
        self.renderer = Renderer(ctx, config, size)
        hold = config.hud.drawing_hold_seconds
        picker = LessonPicker(lessons, hold) if lessons is not None and lessons.lessons else None
        self.controller = HudController(self.choreographer, config.network, hold, picker)
        kiosk = config.kiosk
        self.controller.keys_enabled = not kiosk.enabled or kiosk.allow_keys
        self.controller.touch_controls = kiosk.enabled  # a kiosk's screen is touched
        self.controller.reduced_motion = config.ui.reduced_motion
        self.controller.languages = offered_languages(
            config.ui.language, kiosk.languages if kiosk.enabled else (), available_languages()
        )
        self.home_language = self.controller.languages[0]
        self.controller.language = language or self.home_language
        self._shown_language = self.controller.language  # a switch is a touch, too
        if kiosk.enabled:  # no one to press Space: a lesson that opens paused plays
            self.choreographer.paused = False
        self._attract = AttractCycle(kiosk.hold_seconds) if kiosk.enabled else None
        self._attract_legend = False  # what the attract state last asked of the legend
        visiting = kiosk.enabled and kiosk.visitor_mode
        self._idle = (
            IdleTiers(kiosk.idle_seconds, kiosk.still_watching_seconds) if visiting else None
        )
        self.story = Story(kiosk, config.choreography) if visiting else None
        # Visitor mode goes home as it falls asleep; another kiosk after idle_seconds.
        kiosk_only = kiosk.enabled and not visiting
        self._language_return = LanguageReturn(kiosk.idle_seconds) if kiosk_only else None
        self.lesson = lessons.current if lessons is not None else None
        # The attract cycle moves on to the next lesson only where another show can be built.
        self._rotation = kiosk.lessons if lessons is not None else ()
        self._request: LessonRequest | None = None
        self.frame: Frame | None = None
        self._closed = False
        # A network with two inputs (not an image) shows its decision map.
        two_inputs = config.network.sizes[0] == 2 and data_widths(config).image_side is None
        self._maps = DecisionMaps(config.network, MAP_RESOLUTION) if two_inputs else None
        self.supervisor = Supervisor(
            config,
            checkpoint_dir=checkpoint_dir,
            wait_for_records=wait_for_records,
            resume=resume,
        )
        if visitor_present and self._idle is not None and self.story is not None:
            self._idle.touch()
            # The run is fresh: its first record is the story's first.
            self._set_speed(self.story.begin())

    def tick(self, dt: float) -> Frame:
        self.controller.tick(dt)
        self.supervisor.tick(dt)
        if self.controller.language != self._shown_language:  # the switch was touched
            self._shown_language = self.controller.language
            self._touched()
        if self._idle is not None and self.story is not None:
            if not self.choreographer.paused:
                self.story.tick(dt)
            if not self.story.playing and self._idle.tick(dt):  # a story is told to its end
                log.info("no touch for %.0f s: the attract state", self._idle.idle)
                self._go_home()
        if self._language_return is not None and self._language_return.tick(dt):
            self._go_home()
        if self._attract is not None:
            finished = self.supervisor.finished
            self._explain_attract(finished or (self._idle is not None and self._idle.asleep))
            if self._attract.tick(dt, finished):
                seed = self.supervisor.seed + 1
                if self._rotation:
                    self._request = LessonRequest(next_lesson(self._rotation, self.lesson), seed)
                else:
                    self.reset(seed)
        self.frame = self.choreographer.tick(dt)
        return self.frame

    def draw(self, frame: Frame, target: moderngl.Framebuffer) -> None:
        view = self.view(frame)
        hud = build_hud(
            frame,
            view.hud,
            self.history,
            self.controller.interaction(view),
            self.config.choreography.speeds,
            self.supervisor.finished,
            self.notice(),
            self._maps,
            self._headline(frame, self.words),
        )
        self.renderer.reduced_motion = self.controller.reduced_motion  # Z, or its button
        self.renderer.draw(frame, target, hud, self.controller.drawing_look)

    @property
    def words(self) -> Words:
        """The catalogue of the language on screen."""
        return words_for(self.controller.language)

    def notice(self) -> str | None:
        """What the HUD says instead of the phase's caption, if anything, in the
        language on screen."""
        said = self._notice()
        return said.text(self.words) if said is not None else None

    def visitor_touch(self, pressed: bool) -> bool:
        """A visitor's pointer moved (``pressed``: or pressed). True if the press woke
        the sleeping show and began a story: it is then used for nothing else."""
        self._touched()
        idle, story = self._idle, self.story
        if idle is None or story is None or (idle.asleep and not pressed):
            return False
        if not idle.touch():
            return False
        self.reset(self.supervisor.seed + 1, batches_per_cycle=1)  # the first batch, alone
        log.info("a visitor: a fresh run (seed %d) tells its story", self.supervisor.seed)
        self._set_speed(story.begin())
        self._explain_attract(False)
        return True

    def say(self, key: str, **values: int | str) -> None:
        """Put the catalogue's ``key`` in the HUD's caption for a while (a clip that
        could not be saved …), said in whatever language is on screen meanwhile."""
        self.supervisor.say(Said.of(key, **values))

    def view(self, frame: Frame) -> View:
        """What ``frame`` puts on screen, for the HUD's hit testing."""
        renderer = self.renderer
        return View(frame, renderer.hud_layout, renderer.layout, renderer.input_grid())

    def take_lesson_request(self) -> LessonRequest | None:
        """A lesson to start instead of this show, once (see the module's contract)."""
        request, self._request = self._request, None
        picker = self.controller.picker
        picked = picker.take_choice() if picker is not None else None
        return LessonRequest(picked) if picked is not None else request

    def reset(self, seed: int, batches_per_cycle: int | None = None) -> None:
        """Start a fresh run from ``seed``: new weights, and new images if the seed is new
        (its first record trains ``batches_per_cycle`` batches, if given)."""
        self.supervisor.reset(seed, batches_per_cycle)
        self._start_over()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.supervisor.close()
        self.renderer.release()

    def save_checkpoint(self) -> bool:
        """Save the run now, when checkpointing (the display is gone); True if saved."""
        return self.supervisor.save_checkpoint()

    # ---------------------------------------------------------------- internals

    def _cycle_ended(self, record: StepRecord) -> None:
        """The curves advance, and an epoch's metrics line is written, as its cycle ends."""
        self.history.add(record)
        if record.ends_epoch and self._metrics is not None:
            failure = self._metrics.write_or_report(record)  # a full disk: the show goes on
            if failure is not None:
                self.supervisor.say(failure)

    def _notice(self) -> Said | None:
        if self.supervisor.finished and self._attract is not None:
            return Said.of("show.notice.next_run", seconds=round(self._attract.seconds_left))
        notice = self.supervisor.notice
        if notice:
            return notice.said
        idle = self._idle
        if idle is not None and idle.asking:
            return visitor_text.still_watching(idle.seconds_left)
        if idle is not None and idle.asleep:
            return visitor_text.INVITATION
        return None

    def _touched(self) -> None:
        if self._language_return is not None:
            self._language_return.touch()

    def _go_home(self) -> None:
        """Back to the home language, for the next visitor."""
        if self.controller.language != self.home_language:
            log.info("no touch: back to the language %s", self.home_language)
            self.controller.language = self._shown_language = self.home_language

    def _next_record(self) -> StepRecord | None:
        story = self.story
        while True:
            event = self.supervisor.take(story.batches_after_next if story else None)
            if isinstance(event, StartOver):
                self._start_over()
            elif isinstance(event, Resumed):
                self.history.resume(event)
            else:
                if event is not None and story is not None:
                    self._set_speed(story.started(event))
                return event  # a record, or None: nothing to show yet

    def _start_over(self) -> None:
        """Forget the run on screen: its record, its curves, a visitor's drawing, and
        the story it was telling."""
        self.history.reset()
        self.controller.stop_drawing()
        self.choreographer.restart()
        if self.story is not None:
            self._set_speed(self.story.stop())

    def _set_speed(self, speed: float | None) -> None:
        if speed is not None:
            self.choreographer.set_speed(speed)

    def _explain_attract(self, attracting: bool) -> None:
        """The attract state explains itself with the legend, shown as it begins and put
        away as it ends; a visitor may open or close it meanwhile."""
        if attracting != self._attract_legend:
            self._attract_legend = attracting
            self.controller.legend = attracting

    def _headline(self, frame: Frame, words: Words) -> tuple[str | None, str] | None:
        """The story's title and caption, while one is told."""
        view = self.story.view if self.story is not None else None
        return visitor_text.story_headline(view, frame, words) if view is not None else None
