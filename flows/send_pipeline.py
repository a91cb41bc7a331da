"""Send on a thread of its own while the caller composes what goes next. Plain Python.

The sender thread runs the mailer's `send_batch` over the messages as they are put in, telling
`on_result` each outcome before it takes the next message, so the ledger rule of a batch holds
(each sent message recorded before the next goes out). Jobs put in between messages (recording
steps that were skipped, say) run on the sender thread in order, so one thread does the writes.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from integrations.mail.message import OnResult, OutgoingMessage

# After a socket reply the sender needs the GIL back quickly; the default hand-off is every 5 ms.
SWITCH_INTERVAL = 0.0005
_END = object()


@contextmanager
def quick_switching(interval: float = SWITCH_INTERVAL) -> Iterator[None]:
    """Lower the interpreter's thread switch interval for a while (it is process-wide)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, previous))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


class SendPipeline:
    """Feed a mailer from another thread: `put` messages and jobs, then `close`.

    The queue is bounded (`depth`), so composing runs at most that far ahead of sending. When
    the sender stops early (an exception from `on_result`, the mailer failing), `put` returns
    False and `close` raises that exception; what was still queued is not sent or run.
    """

    def __init__(
        self,
        send_batch: Callable[[Iterator[OutgoingMessage], OnResult], object],
        on_result: OnResult,
        *,
        depth: int = 16,
    ) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stopped = threading.Event()
        self._error: BaseException | None = None
        self._send_batch, self._on_result = send_batch, on_result
        self._thread = threading.Thread(target=self._run, name="leerpad-send", daemon=True)
        self._thread.start()

    def _items(self) -> Iterator[OutgoingMessage]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, OutgoingMessage):
                yield item
            else:
                item()  # type: ignore[operator]

    def _run(self) -> None:
        try:
            self._send_batch(self._items(), self._on_result)
        except BaseException as exc:  # handed to the caller in close()
            self._error = exc
        finally:
            self._stopped.set()

    def put(self, item: OutgoingMessage | Callable[[], None]) -> bool:
        """Queue a message to send or a job to run in order; False once the sender stopped."""
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        """Wait for everything queued to be sent; raise what stopped the sender, if anything."""
        self.put(_END)
        self._thread.join()
        if self._error is not None:
            raise self._error
