"""The trainer thread: trains in lockstep with whoever consumes its records.

Contract:

- ``Trainer(config, seed=None)``; ``start()`` launches a daemon thread that owns a
  ``TrainingRun`` (network, data, Generators). Only that thread touches the weights.
- Lockstep: the thread computes the next record only once the previous one has been
  taken, so while the show displays record N the weights are at most one batch ahead
  (record N+1 waits in a one-slot outbox). ``take()`` never blocks; ``wait(timeout)`` does.
- Every ``choreography.batches_per_cycle``-th batch becomes a record; the ones between
  are trained silently (their losses travel in the next record's ``silent_losses``). The
  consumer changes that number as it goes (a visitor's time-lapse, ``visualizer.story``):
  ``take(batches_per_cycle=k)`` makes the record computed after the one it takes train
  k batches, and ``reset(seed, batches_per_cycle=k)`` the new run's first. Since the
  thread starts a record only once the previous one is taken, which record a change
  reaches never depends on the threads' timing.
- Events: ``StepRecord``; ``RunFinished`` after the last epoch; ``Diverged`` when the
  loss is NaN or infinite, or has exploded (``health.py``; the run halts until a reset);
  ``TrainerFailed`` when the thread raises (the thread ends; never swallowed).
- Commands, applied by the thread between batches: ``pause``, ``resume``, ``reset(seed)``
  (drops the pending record and starts run + 1), ``set_learning_rate``. ``stop()`` joins
  within its timeout (a batch takes well under a millisecond).
- ``snapshot`` is the run (number, seed) and its state after the last record the
  consumer took (or as it resumed): the record on screen, not the one computed ahead. A
  replacement trainer given that state as ``restore`` continues with the next record the
  viewer has not seen (``visualizer.supervisor`` does so after a failure).
- Checkpoints (docs/checkpoints.md), with ``checkpoint_dir``: the directory is checked
  in the constructor (``UserError`` if it cannot be written). A checkpoint always holds
  the ``snapshot``, so a resumed run continues exactly where the viewer left it: after
  every ``checkpoint_every``-th finished epoch (and the run's last) once that epoch's
  last record has been taken, and on ``save_now(timeout)``, which writes at the
  thread's next safe point and waits (for a clean shutdown). ``resume=True`` starts from
  the saved run when there is a usable one. A diverged run is never saved, and a failed
  write is logged while training goes on.
- ``wait_until_idle(timeout)`` returns once the thread has nothing to do but wait, so a
  test can check that nothing more is produced without sleeping.
"""

from __future__ import annotations

import functools
import logging
import threading
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from visualizer.config import Config
from visualizer.errors import UserError
from visualizer.training.checkpoint import load_checkpoint, prepare_directory, save_checkpoint
from visualizer.training.health import broken_loss
from visualizer.training.records import (
    Diverged,
    Resumed,
    RunFinished,
    StepRecord,
    TrainerEvent,
    TrainerFailed,
)
from visualizer.training.run import RunState, TrainingRun

logger = logging.getLogger(__name__)

Command = Callable[[], None]


class Snapshot(NamedTuple):
    """A run's state after a record, and which run it is."""

    run: int
    seed: int
    state: RunState


class Trainer:
    """A background thread producing ``TrainerEvent``s one batch ahead of the consumer."""

    def __init__(
        self,
        config: Config,
        seed: int | None = None,
        run: int = 1,
        checkpoint_dir: Path | None = None,
        checkpoint_every: int = 1,
        resume: bool = False,
        restore: RunState | None = None,
    ) -> None:
        """``restore``: continue run ``run`` of ``seed`` from this state (before any
        checkpoint); ``resume``: else continue the checkpoint's run if there is one."""
        if checkpoint_every < 1:
            raise ValueError(f"checkpoint_every must be >= 1, got {checkpoint_every}")
        if resume and checkpoint_dir is None:
            raise ValueError("resume needs a checkpoint_dir to resume from")
        if checkpoint_dir is not None:
            checkpoint_dir = Path(checkpoint_dir)
            prepare_directory(checkpoint_dir)  # fail here, on the caller's thread
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_every = checkpoint_every
        self._resume_from = checkpoint_dir if resume else None
        self._restore = restore
        self._snapshot: Snapshot | None = None  # after the record the consumer took …
        self._ahead: Snapshot | None = None  # … and after the record waiting in the outbox
        self._checkpoint_owed = False  # an epoch's checkpoint, once its record is taken
        self._config = config
        self._batches_per_cycle = config.choreography.batches_per_cycle
        self._next_run = (config.training.seed if seed is None else seed, run)
        # Built by the thread before its first task (making the data takes a while), and
        # only ever read there.
        self._run: TrainingRun
        self._lock = threading.Condition()
        self._outbox: deque[TrainerEvent] = deque(maxlen=1)
        self._commands: deque[Command] = deque()
        self._paused = False
        self._halted = False  # finished or diverged: wait for a reset
        self._stopping = False
        self._ended = False
        self._diverged = False  # the current run's weights are not worth saving
        self._saves_requested = 0  # save_now tickets handed out ...
        self._saves_done = 0  # ... and the highest one served, with its outcome:
        self._last_save_ok = False
        self._steps_computed = 0
        self._thread = threading.Thread(target=self._main, name="trainer", daemon=True)

    # ------------------------------------------------------------ consumer side

    def start(self) -> None:
        self._thread.start()

    def take(self, batches_per_cycle: int | None = None) -> TrainerEvent | None:
        """The next event if one is ready, else None; taking a record lets the next start,
        which then trains ``batches_per_cycle`` batches if given (else as many as before)."""
        _check_batches(batches_per_cycle)
        with self._lock:
            if not self._outbox:
                return None
            event = self._outbox.popleft()
            if isinstance(event, StepRecord):
                self._snapshot, self._ahead = self._ahead, None
                if batches_per_cycle is not None:  # the thread waits: nothing is under way
                    self._batches_per_cycle = batches_per_cycle
            self._lock.notify_all()
            return event

    def wait(
        self, timeout: float | None = None, batches_per_cycle: int | None = None
    ) -> TrainerEvent | None:
        """Block until an event is ready (or the timeout passes) and take it (as ``take``)."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._outbox or not self.alive, timeout):
                return None
        return self.take(batches_per_cycle)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def snapshot(self) -> Snapshot | None:
        """The run's state after the last record taken (None before the first)."""
        with self._lock:
            return self._snapshot

    @property
    def steps_computed(self) -> int:
        """Records produced so far in all runs (for tests of the lockstep bound)."""
        return self._steps_computed

    def wait_until_idle(self, timeout: float) -> bool:
        """Block until the thread has nothing to do (its record waits to be taken, or it is
        paused, finished or diverged, with no command or save pending) or has ended; True
        if so within ``timeout`` seconds. Tests use it to see that nothing more comes."""
        with self._lock:
            return self._lock.wait_for(
                lambda: (
                    self._ended
                    or not (
                        self._commands
                        or self._save_pending
                        or self._may_produce
                        or (self._checkpoint_owed and not self._outbox)
                    )
                ),
                timeout,
            )

    def pause(self) -> None:
        self._send(lambda: setattr(self, "_paused", True))

    def resume(self) -> None:
        self._send(lambda: setattr(self, "_paused", False))

    def reset(self, seed: int, batches_per_cycle: int | None = None) -> None:
        """Start a fresh run from ``seed``; a record still waiting in the outbox is dropped.
        ``batches_per_cycle``: how many batches its first record trains (else as before)."""
        _check_batches(batches_per_cycle)
        self._send(lambda: self._begin_run(seed, batches_per_cycle))

    def set_learning_rate(self, learning_rate: float) -> None:
        if not learning_rate > 0:
            raise ValueError(f"learning rate must be > 0, got {learning_rate}")
        self._send(lambda: self._run.set_learning_rate(learning_rate))

    def save_now(self, timeout: float = 5.0) -> bool:
        """Write a checkpoint at the thread's next safe point and wait for it.

        The thread serves the request between batches, also while paused, waiting or
        finished. True if a checkpoint was written within ``timeout`` seconds; False on a
        timeout, a failed write or a diverged run (whose last good checkpoint stands).
        """
        if self._checkpoint_dir is None:
            raise ValueError("save_now needs a Trainer with a checkpoint_dir")
        with self._lock:
            self._saves_requested += 1
            ticket = self._saves_requested
            self._lock.notify_all()
            self._lock.wait_for(lambda: self._saves_done >= ticket or self._ended, timeout)
            return self._saves_done >= ticket and self._last_save_ok

    def stop(self, timeout: float = 1.0) -> bool:
        """Ask the thread to end and join it; True if it ended within ``timeout`` seconds."""
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    # ------------------------------------------------------------ thread side

    def _send(self, command: Command) -> None:
        with self._lock:
            self._commands.append(command)
            self._lock.notify_all()

    def _main(self) -> None:
        try:
            self._run = self._first_run()
            if self._run.step:  # resumed: the consumer gets the history before the records
                self._take_snapshot()  # a replacement trainer can start from here too
                history = self._run.history
                self._publish(
                    Resumed(
                        self._run.run,
                        self._run.seed,
                        tuple(history.batch_losses.losses),
                        tuple(history.epochs),
                        tuple(history.batch_losses.steps),
                    )
                )
            while (task := self._next_task()) is not None:
                task()
        except Exception as error:  # reported to the consumer, never swallowed
            self._publish(TrainerFailed(f"{type(error).__name__}: {error}", traceback.format_exc()))
        finally:
            with self._lock:
                self._ended = True  # releases a save_now that would wait in vain
                self._lock.notify_all()

    def _first_run(self) -> TrainingRun:
        seed, run = self._next_run
        if self._restore is not None:
            training = TrainingRun(self._config, seed, run)
            training.restore(self._restore)
            return training
        if self._resume_from is not None:
            restored = load_checkpoint(self._resume_from, self._config)
            if restored is not None:
                return restored
        return TrainingRun(self._config, seed, run)

    def _next_task(self) -> Callable[[], object] | None:
        """Apply commands; wait for work: a requested save, or the next batch once the
        outbox is empty and training may go on. None when the thread should end."""
        with self._lock:
            while True:
                if self._commands:
                    while self._commands:
                        self._commands.popleft()()
                    self._lock.notify_all()  # a pause may have left nothing to do
                if self._save_pending:  # before a stop: save, then stop
                    return functools.partial(self._save_on_request, self._saves_requested)
                if self._stopping:
                    return None
                if self._checkpoint_owed and not self._outbox:  # its record was taken
                    self._checkpoint_owed = False
                    return self._save
                if self._may_produce:
                    return functools.partial(self._produce, self._batches_per_cycle)
                self._lock.wait()

    @property
    def _save_pending(self) -> bool:
        return self._saves_done < self._saves_requested

    @property
    def _may_produce(self) -> bool:
        """Under the lock: the outbox is empty and training may go on."""
        return not (self._outbox or self._paused or self._halted)

    def _produce(self, batches_per_cycle: int) -> None:
        record = self._run.next_record(batches_per_cycle)
        if record is None:
            event: TrainerEvent = RunFinished(self._run.run, self._run.seed)
        elif (broken := broken_loss(record)) is not None:  # NaN, or exploded (health.py)
            event = Diverged(record.run, record.seed, record.epoch, record.batch, broken)
            self._diverged = True
        else:
            event = record
            ahead = Snapshot(self._run.run, self._run.seed, self._run.state())
            with self._lock:
                self._ahead = ahead  # the batch and its update are complete
                self._checkpoint_owed = self._checkpoint_due(record)
        self._publish(event)

    def _checkpoint_due(self, record: StepRecord) -> bool:
        return (
            self._checkpoint_dir is not None
            and record.ends_epoch
            and (record.epoch % self._checkpoint_every == 0 or record.ends_run)
        )

    def _take_snapshot(self) -> None:
        """The run as it resumed: what the viewer's history shows. Runs on the thread (the
        only one that changes the run), outside the lock."""
        snapshot = Snapshot(self._run.run, self._run.seed, self._run.state())
        with self._lock:
            self._snapshot = snapshot

    def _save_on_request(self, ticket: int) -> None:
        written = self._save()
        with self._lock:
            self._saves_done, self._last_save_ok = ticket, written
            self._lock.notify_all()

    def _save(self) -> bool:
        """Checkpoint the run at ``snapshot`` (outside the lock: only this thread changes
        the run); True if written."""
        with self._lock:
            snapshot = self._snapshot
        # Nothing shown yet: nothing to keep; no directory: nowhere to keep it.
        if self._diverged or snapshot is None or self._checkpoint_dir is None:
            return False
        try:
            save_checkpoint(self._checkpoint_dir, self._run, snapshot.state)
        except UserError as error:  # the exhibit goes on; the next epoch's save tries again
            logger.error("%s; training goes on", error)
            return False
        return True

    def _publish(self, event: TrainerEvent) -> None:
        with self._lock:
            if isinstance(event, StepRecord):
                self._steps_computed += 1
            elif not isinstance(event, Resumed):
                self._halted = True  # finished, diverged or failed: nothing more until a reset
            self._outbox.append(event)
            self._lock.notify_all()

    def _begin_run(self, seed: int, batches_per_cycle: int | None) -> None:
        """Runs on the thread, under the lock, between batches."""
        self._run = TrainingRun(self._config, seed, self._run.run + 1)
        if batches_per_cycle is not None:
            self._batches_per_cycle = batches_per_cycle
        self._snapshot = self._ahead = None
        self._checkpoint_owed = False
        self._outbox.clear()
        self._halted = False
        self._diverged = False


def _check_batches(batches_per_cycle: int | None) -> None:
    if batches_per_cycle is not None and batches_per_cycle < 1:
        raise ValueError(f"batches_per_cycle must be >= 1, got {batches_per_cycle}")
