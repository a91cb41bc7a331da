"""One SQLite writer at a time, across the threads and processes of one database file.

SQLite lets one connection write at a time; a writer that finds the database locked sleeps in
SQLite's busy handler (1, 2, 5 … 100 ms between tries). Under load the waiters spend most of
their time asleep while a busy writer in another process (the deferred processor) takes the lock
again and again. Here threads queue on a lock and processes on an advisory lock on a file next to
the database (`<database>-writer.lock`), tried every 0.2–2 ms, so a freed database is taken within
milliseconds. SQLite's own lock stays the final word: past the timeout a writer goes on anyway.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # Windows: threads queue, processes meet at SQLite's lock
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    """A re-entrant writer lock: a thread lock, plus a file lock across processes."""

    def __init__(self, database: str | None) -> None:
        self._thread = threading.RLock()
        on_disk = database not in (None, "", ":memory:") and fcntl is not None
        self._path = f"{database}-writer.lock" if on_disk else None
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0  # only the thread holding _thread touches these two
        self._file_held = False

    @contextmanager
    def held(self, timeout: float) -> Iterator[None]:
        """Hold the lock for a write transaction; after `timeout` seconds go on without it."""
        deadline = time.monotonic() + timeout
        if not self._thread.acquire(timeout=timeout):
            yield
            return
        try:
            self._depth += 1
            if self._depth == 1:
                self._file_held = self._lock_file(deadline)
            yield
        finally:
            self._depth -= 1
            if self._depth == 0 and self._file_held:
                fcntl.flock(self._fd, fcntl.LOCK_UN)  # type: ignore[union-attr,arg-type]
                self._file_held = False
            self._thread.release()

    def _lock_file(self, deadline: float) -> bool:
        if self._path is None:
            return False
        if self._fd is None or self._pid != os.getpid():  # a forked child opens its own
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:  # a read-only folder: SQLite's lock alone
                self._path = None
                return False
            self._pid = os.getpid()
        delay = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[union-attr]
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(delay)
                delay = min(delay * 2, 0.002)
