"""One writer at a time on the warehouse: a file lock around build, validate and publish.

DuckDB allows one read-write process per file and refuses even a read-only open while a
writer holds it, so two transforms started together (two CLI runs, a CLI run beside
Airflow) must queue, not fail. The lock is an ``flock`` on ``<home>/.warehouse.lock``; it
is re-entrant within a process and released by the kernel when the holder dies, so a
crash never leaves it stuck. Child processes (dbt) inherit the descriptor, so the lock
lasts until they are gone too.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager

from parkwatch import config

log = logging.getLogger(__name__)
_state = threading.local()


def lock_fd() -> int | None:
    """The descriptor holding the lock in this thread (to pass to child processes), if any."""
    return getattr(_state, "fd", None)


@contextmanager
def warehouse_lock(timeout_s: float | None = None, poll_s: float = 0.5):
    """Hold the warehouse lock; wait for another holder (logging who waits), or raise TimeoutError."""
    if getattr(_state, "depth", 0):
        _state.depth += 1
        try:
            yield
        finally:
            _state.depth -= 1
        return
    path = config.home() / ".warehouse.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    started = time.monotonic()
    waited = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as busy:
                if not waited:
                    log.info("warehouse %s is busy (another build/validate/publish); waiting", config.home())
                    waited = True
                if timeout_s is not None and time.monotonic() - started > timeout_s:
                    raise TimeoutError(f"warehouse {config.home()} still locked after {timeout_s}s ({path})") from busy
                time.sleep(poll_s)
        if waited:
            log.info("warehouse lock acquired after %.1fs", time.monotonic() - started)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        _state.fd, _state.depth = fd, 1
        yield
    finally:
        if getattr(_state, "fd", None) == fd:
            _state.fd, _state.depth = None, 0
        os.close(fd)  # closing releases the flock (children holding a copy keep it until they exit)
