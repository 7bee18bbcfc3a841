"""The trainer thread: trains in lockstep with whoever consumes its records.

Contract:

- ``Trainer(config, seed=None)``; ``start()`` launches a daemon thread that owns a
  ``TrainingRun`` (network, data, Generators). Only that thread touches the weights.
- Lockstep: the thread computes the next record only once the previous one has been
  taken, so while the show displays record N the weights are at most one batch ahead
  (record N+1 waits in a one-slot outbox). ``take()`` never blocks; ``wait(timeout)`` does.
- Every ``choreography.batches_per_cycle``-th batch becomes a record; the ones between
  are trained silently (their losses travel in the next record's ``silent_losses``).
- Events: ``StepRecord``; ``RunFinished`` after the last epoch; ``Diverged`` when the
  loss is NaN or infinite (the run halts until a reset); ``TrainerFailed`` when the thread
  raises (the thread ends; never swallowed).
- Commands, applied by the thread between batches: ``pause``, ``resume``, ``reset(seed)``
  (drops the pending record and starts run + 1), ``set_learning_rate``. ``stop()`` joins
  within its timeout (a batch takes well under a millisecond).
"""

from __future__ import annotations

import math
import threading
import traceback
from collections import deque
from collections.abc import Callable

from visualizer.config import Config
from visualizer.training.records import (
    Diverged,
    RunFinished,
    StepRecord,
    TrainerEvent,
    TrainerFailed,
)
from visualizer.training.run import TrainingRun

Command = Callable[[], None]


class Trainer:
    """A background thread producing ``TrainerEvent``s one batch ahead of the consumer."""

    def __init__(self, config: Config, seed: int | None = None, run: int = 1) -> None:
        self._config = config
        self._batches_per_cycle = config.choreography.batches_per_cycle
        self._next_run = (config.training.seed if seed is None else seed, run)
        self._run: TrainingRun | None = None
        self._lock = threading.Condition()
        self._outbox: deque[TrainerEvent] = deque(maxlen=1)
        self._commands: deque[Command] = deque()
        self._paused = False
        self._halted = False  # finished or diverged: wait for a reset
        self._stopping = False
        self._steps_computed = 0
        self._thread = threading.Thread(target=self._main, name="trainer", daemon=True)

    # ------------------------------------------------------------ consumer side

    def start(self) -> None:
        self._thread.start()

    def take(self) -> TrainerEvent | None:
        """The next event if one is ready, else None; taking a record lets the next start."""
        with self._lock:
            if not self._outbox:
                return None
            event = self._outbox.popleft()
            self._lock.notify_all()
            return event

    def wait(self, timeout: float | None = None) -> TrainerEvent | None:
        """Block until an event is ready (or the timeout passes) and take it."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._outbox or not self.alive, timeout):
                return None
        return self.take()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def steps_computed(self) -> int:
        """Records produced so far in all runs (for tests of the lockstep bound)."""
        return self._steps_computed

    def pause(self) -> None:
        self._send(lambda: setattr(self, "_paused", True))

    def resume(self) -> None:
        self._send(lambda: setattr(self, "_paused", False))

    def reset(self, seed: int) -> None:
        """Start a fresh run from ``seed``; a record still waiting in the outbox is dropped."""
        self._send(lambda: self._begin_run(seed))

    def set_learning_rate(self, learning_rate: float) -> None:
        if not learning_rate > 0:
            raise ValueError(f"learning rate must be > 0, got {learning_rate}")
        self._send(lambda: self._run.set_learning_rate(learning_rate))

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
            seed, run = self._next_run
            self._run = TrainingRun(self._config, seed, run)
            while self._wait_for_work():
                self._produce()
        except Exception as error:  # reported to the consumer, never swallowed
            self._publish(TrainerFailed(f"{type(error).__name__}: {error}", traceback.format_exc()))

    def _wait_for_work(self) -> bool:
        """Apply commands; wait until the outbox is empty and training may go on."""
        with self._lock:
            while True:
                while self._commands:
                    self._commands.popleft()()
                if self._stopping:
                    return False
                if not (self._outbox or self._paused or self._halted):
                    return True
                self._lock.wait()

    def _produce(self) -> None:
        record = self._run.next_record(self._batches_per_cycle)
        if record is None:
            event: TrainerEvent = RunFinished(self._run.run, self._run.seed)
        elif not math.isfinite(record.loss):
            event = Diverged(record.run, record.seed, record.epoch, record.batch, record.loss)
        else:
            event = record
        self._publish(event)

    def _publish(self, event: TrainerEvent) -> None:
        with self._lock:
            if isinstance(event, StepRecord):
                self._steps_computed += 1
            else:
                self._halted = True
            self._outbox.append(event)
            self._lock.notify_all()

    def _begin_run(self, seed: int) -> None:
        """Runs on the thread, under the lock, between batches."""
        self._run = TrainingRun(self._config, seed, self._run.run + 1)
        self._outbox.clear()
        self._halted = False
