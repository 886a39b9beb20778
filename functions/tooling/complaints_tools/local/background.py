"""The local stack's background workers (the stream, queue and schedule pollers): a daemon
thread calling ``poll_once`` until stopped, resting ``interval`` seconds when there was
nothing to do. An error is reported by its type alone (it may quote a person) and the loop
goes on: the stack must not die silently."""

from __future__ import annotations

import threading
from collections.abc import Callable


class BackgroundLoop:
    label = "worker"  # how an error names the worker
    interval: float
    on_error: Callable[[str], None]

    def _prepare_thread(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def poll_once(self) -> bool:
        """Do one piece of work; ``False`` when there was nothing to do."""
        raise NotImplementedError

    def _finished(self, worked: bool) -> bool:
        """Whether the loop ends after this pass (a worker draining before it stops)."""
        return False

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.poll_once()
            except Exception as error:
                self.on_error(f"{self.label}: {type(error).__name__}")
                worked = False
            if self._finished(worked):
                return
            if not worked:
                self._stop.wait(self.interval)
