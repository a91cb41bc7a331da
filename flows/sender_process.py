"""Send and record in a process of its own, while the dispatcher composes the next messages.

A dispatcher that sends over SMTP spends a third of its time waiting for the server's replies
(four round trips a message). With a sender process the dispatcher claims, loads, composes and
builds MIME; the sender process takes each prebuilt message, delivers it over one SMTP
connection and records it in the ledger (`record_sent`) before it takes the next, so the ledger
rule holds as in one process: at most the message in flight can be sent but unrecorded.

The child is started once per dispatcher process and SMTP server (`sender_for`), fed over a pipe
(`python -m flows.sender_process IN OUT PARENT`, file descriptors), and stops when the pipe
closes. It is killed with its parent (PR_SET_PDEATHSIG on Linux; elsewhere it checks before
every message), so a killed dispatcher leaves at most the message in flight unrecorded, as
before; it sends nothing past a job's deadline (half the claim lease) but reports it unsent, so
the step is released. Personal data (addresses, bodies) only goes through the pipe: never argv,
environment or logs.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

from flows.heap import freeze_startup_heap
from flows.sender_ledger import Ledger, ledger_config, open_ledger, uses_record_params
from integrations.mail.message import DeliveryResult, OutgoingMessage
from integrations.mail.mime import build_mime
from integrations.mail.smtp import SmtpMailer, SmtpSettings, SmtpUnreachable, frame_data

if TYPE_CHECKING:
    from models.outbound import StepOutcome

READY_TIMEOUT = 120.0  # seconds for the child to import and connect to the database
_ROOT = Path(__file__).resolve().parents[1]


class SenderFailed(RuntimeError):
    """The sender process died or could not record a sent message; the batch fails."""


@dataclass(frozen=True)
class SendJob:
    """One message: built into MIME and framed for DATA already (`data`, from `frame_data`), or
    composed only (`message`), for the sender process to build while the server takes the
    message before it in. `record` is the outcome to record once it is sent (None for a message
    the dispatcher records itself, such as a cancel to a former calendar); for a sender process
    on PostgreSQL the dispatcher encodes it as the record statement's parameters instead
    (`record_params`, see flows/sender_ledger.py)."""

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    data: bytes | None
    message: OutgoingMessage | None
    worker: str
    now: datetime
    deadline: float  # time.time() after which the message is not sent (reported "unsent")
    record: StepOutcome | None = None
    record_params: tuple[bytes | None, ...] | None = None

    @property
    def recorded_by_sender(self) -> bool:
        """Whether the sender process records this job once it is sent."""
        return self.record is not None or self.record_params is not None


@dataclass(frozen=True)
class SendReport:
    """What became of one job: delivered (see `result`; `recorded` tells whether the ledger took
    it, False when this worker had lost the step), unsent (past its deadline) or error."""

    message_id: str
    status: Literal["delivered", "unsent", "error"]
    result: DeliveryResult | None = None
    recorded: bool | None = None
    detail: str = ""


PIPE_BYTES = 1 << 20  # room for ~60 messages queued for the child (a pipe holds 64 KiB)


def _widen(fd: int) -> None:
    """Let a pipe hold PIPE_BYTES (Linux), so the dispatcher can compose ahead of the child;
    elsewhere, or above the system's limit, the pipe keeps its size."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        pass


class SenderProcess:
    """The parent's end: submit jobs, read reports as they come, end a batch to drain it."""

    def __init__(
        self, *, smtp: SmtpSettings, retry_delays: tuple[float, ...], database_url: str
    ) -> None:
        jobs_read, jobs_write = os.pipe()
        _widen(jobs_write)
        reports_read, reports_write = os.pipe()
        _widen(reports_write)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "flows.sender_process", str(jobs_read), str(reports_write),
             str(os.getpid())],  # fmt: skip
            pass_fds=(jobs_read, reports_write),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        os.close(jobs_read)
        os.close(reports_write)
        self._jobs = Connection(jobs_write, readable=False)
        self._reports = Connection(reports_read, writable=False)
        ledger = ledger_config(database_url)
        self.encodes_records = uses_record_params(ledger)  # jobs carry `record_params`
        self._jobs.send({"smtp": smtp, "retry_delays": retry_delays, "ledger": ledger})
        self._ready = False
        self._received: deque[object] = deque()  # reports come in groups (_Reports)
        self.in_flight = 0
        self.lock = threading.Lock()  # one batch at a time uses a sender

    def _wait_ready(self) -> None:
        if self._ready:
            return
        if not self._reports.poll(READY_TIMEOUT):
            raise SenderFailed("the sender process did not start in time")
        if self._receive() != ("ready",):
            raise SenderFailed("the sender process started wrongly")
        self._ready = True

    def _receive(self) -> object:
        if self._received:
            return self._received.popleft()
        try:
            item = self._reports.recv()
        except (EOFError, OSError) as exc:
            raise SenderFailed("the sender process stopped") from exc
        if isinstance(item, list):  # a group of reports
            self._received.extend(item)
            return self._received.popleft()
        return item

    def submit(self, job: SendJob) -> None:
        """Hand one job to the sender process (it queues in the pipe)."""
        self._wait_ready()
        try:
            self._jobs.send(job)
        except OSError as exc:
            raise SenderFailed("the sender process stopped") from exc
        self.in_flight += 1

    def reports(self, *, keep_at_most: int) -> Iterator[SendReport]:
        """Yield the reports that are ready, and wait for more while over `keep_at_most` jobs
        are in flight (so the dispatcher stays a bounded distance ahead of the sender)."""
        while self.in_flight and (
            self.in_flight > keep_at_most or self._received or self._reports.poll(0)
        ):
            report = self._receive()
            assert isinstance(report, SendReport)
            self.in_flight -= 1
            yield report

    def next_report(self) -> SendReport:
        """Wait for the next report."""
        report = self._receive()
        assert isinstance(report, SendReport)
        self.in_flight -= 1
        return report

    def next_batch(self) -> None:
        """Mark where the next batch's jobs begin: the child tries the server again then (a
        server that could not be reached fails the rest of a batch at once, not of the next)."""
        self._wait_ready()
        try:
            self._jobs.send(("next",))
        except OSError as exc:
            raise SenderFailed("the sender process stopped") from exc

    def end_batch(self) -> Iterator[SendReport]:
        """Yield the reports of every job still in flight; the child closes its SMTP
        connection, as a batch sent in the dispatcher's own process does."""
        if not self._ready and not self.in_flight:
            return
        self._wait_ready()
        self._jobs.send(("end",))
        while (report := self._receive()) != ("ended",):
            assert isinstance(report, SendReport)
            self.in_flight -= 1
            yield report

    def alive(self) -> bool:
        """Whether the child still runs."""
        return self._process.poll() is None

    def close(self) -> None:
        """Close the pipe (the child finishes and exits) and wait for it, or kill it."""
        self._jobs.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reports.close()


_SENDERS: dict[tuple[SmtpSettings, tuple[float, ...], str], SenderProcess] = {}
_SENDERS_LOCK = threading.Lock()


def sender_for(mailer: SmtpMailer, database_url: str) -> SenderProcess:
    """This process's sender process for an SMTP server and database (started on first use)."""
    key = (mailer.settings, tuple(mailer.retry_delays), database_url)
    with _SENDERS_LOCK:
        sender = _SENDERS.get(key)
        if sender is None or not sender.alive():
            sender = SenderProcess(smtp=key[0], retry_delays=key[1], database_url=database_url)
            _SENDERS[key] = sender
        return sender


def close_senders() -> None:
    """Stop every sender process this process started (at the end of a dispatch run, at exit)."""
    with _SENDERS_LOCK:
        senders = list(_SENDERS.values())
        _SENDERS.clear()
    for sender in senders:
        sender.close()


atexit.register(close_senders)


REPORTS_AT_ONCE = 16  # reports the child sends as one group (one write, one wake-up)


class _Reports:
    """The child's reports to the dispatcher, sent in groups of REPORTS_AT_ONCE, and whenever
    the child would wait for its next job or sends anything else (so none waits while the
    dispatcher waits for it)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._waiting: list[SendReport] = []

    def send(self, item: object) -> None:
        """A report joins the group; anything else goes at once, after the group."""
        if isinstance(item, SendReport):
            self._waiting.append(item)
            if len(self._waiting) >= REPORTS_AT_ONCE:
                self.flush()
            return
        self.flush()
        self._connection.send(item)

    def flush(self) -> None:
        """Send the reports waiting, if any."""
        if self._waiting:
            waiting, self._waiting = self._waiting, []
            self._connection.send(waiting)


class _Sent:
    """A delivered message whose ledger row is still to be written, and its report."""

    def __init__(self, job: SendJob, result: DeliveryResult) -> None:
        self.job, self.result = job, result


class _Child:
    """The child's state: its SMTP mailer, its ledger (a database connection), the message sent
    last, recorded while the server answers the next message's MAIL FROM, RCPT TO and DATA (on
    PostgreSQL the record goes out with MAIL FROM and its answer is read just before the next
    message's data: no data goes out before the message before is in the ledger), and the next
    job, taken early and built into MIME while the server takes a message in."""

    def __init__(self, config: dict, jobs: Connection, reports: Connection) -> None:
        self.mailer = SmtpMailer(config["smtp"], retry_delays=config["retry_delays"])
        self.ledger: Ledger = open_ledger(config["ledger"])
        self.jobs, self.reports = jobs, _Reports(reports)
        self.unrecorded: _Sent | None = None
        self.recording: tuple[_Sent, Callable[[], bool]] | None = None  # record sent, not read
        self.failure = ""  # the server cannot be reached, or recording failed: the rest fails
        self.early: object = None  # the next item of the pipe, taken early (None: not taken)
        self.built: tuple[str, bytes | Exception] | None = None  # its MIME, or why not

    def has_next(self) -> bool:
        """Whether an item is waiting (taken early, or in the pipe)."""
        return self.early is not None or self.jobs.poll(0)

    def next_item(self) -> object:
        """The next item of the pipe: a SendJob, ("next",) or ("end",); EOFError at the end."""
        item, self.early = self.early, None
        if item is not None:
            return item
        if not self.jobs.poll(0):
            self.reports.flush()  # about to wait: the dispatcher gets what there is
        return self.jobs.recv()

    def build_ahead(self) -> None:
        """While the server takes a message in: take the next job early, if there is one, and
        build its MIME (never raises: a failure is kept for that job)."""
        try:
            if self.early is None and self.jobs.poll(0):
                self.early = self.jobs.recv()
        except (EOFError, OSError):
            return  # the pipe closed: the loop ends after this message
        job, built = self.early, self.built
        if not isinstance(job, SendJob) or job.message is None:
            return  # nothing to build
        if built is not None and built[0] == job.message_id:
            return  # built already (this message's data went out again)
        if time.time() < job.deadline:
            self.built = (job.message_id, _built(job.message))

    def data_for(self, job: SendJob) -> bytes:
        """The job's message as DATA sends it (built ahead, or now); raises if it cannot be."""
        if job.data is not None:
            return job.data
        assert job.message is not None
        built, self.built = self.built, None
        data = built[1] if built is not None and built[0] == job.message_id else None
        data = data if data is not None else _built(job.message)
        if isinstance(data, Exception):
            raise data
        return data

    def record_last(self) -> None:
        """Record the message sent last (if any) and report it; a failure fails the batch."""
        self.start_record()
        self.finish_record()

    def start_record(self) -> None:
        """Start recording the message sent last (if any): on PostgreSQL its statement goes out
        now and `finish_record` reads the answer, so the server's next replies come meanwhile;
        elsewhere it is written now (flows/sender_ledger.py). A failure fails the batch."""
        sent, self.unrecorded = self.unrecorded, None
        if sent is None:
            return
        try:
            waiter = self.ledger.start(sent.job)
        except Exception as exc:
            self._record_failed(sent, exc)
        self.recording = (sent, waiter)

    def finish_record(self) -> None:
        """Wait for the record `start_record` sent (if any) and report the message."""
        recording, self.recording = self.recording, None
        if recording is None:
            return
        sent, waiter = recording
        try:
            recorded = waiter()
        except Exception as exc:
            self._record_failed(sent, exc)
        self.reports.send(SendReport(sent.job.message_id, "delivered", sent.result, recorded))

    def _record_failed(self, sent: _Sent, exc: Exception) -> NoReturn:
        self.failure = f"recording a sent message failed: {type(exc).__name__}"  # no personal data
        report = SendReport(sent.job.message_id, "error", sent.result, detail=self.failure)
        self.reports.send(report)
        raise _RecordingFailed from exc

    def end_batch(self) -> None:
        self.mailer.close()
        self.ledger.end_batch()
        self.failure = ""
        self.reports.send(("ended",))

    def next_batch(self) -> None:
        """A next batch begins behind this one, on the same connection: it tries a server that
        could not be reached again (a recording failure stays until the batch is ended)."""
        if not self.failure.startswith("recording"):
            self.failure = ""

    def take(self, job: SendJob) -> None:
        """Deliver one job (recording the one before meanwhile) and report it."""
        try:
            self._take(job)
        except _RecordingFailed:  # the one before was not recorded: this one is not sent
            self.reports.send(SendReport(job.message_id, "error", detail=self.failure))

    def _take(self, job: SendJob) -> None:
        if self.failure.startswith("recording"):
            self.reports.send(SendReport(job.message_id, "error", detail=self.failure))
            return
        if time.time() >= job.deadline:
            self.record_last()
            self.reports.send(SendReport(job.message_id, "unsent"))
            return
        if self.failure:  # the server could not be reached: the rest of the batch fails too
            self.record_last()
            result = DeliveryResult(job.message_id, ok=False, detail=self.failure)
            self.reports.send(SendReport(job.message_id, "delivered", result))
            return
        try:
            data = self.data_for(job)
        except Exception as exc:  # a message that cannot be built fails; the batch goes on
            self.record_last()
            detail = f"building the message failed: {type(exc).__name__}"
            result = DeliveryResult(job.message_id, ok=False, permanent=True, detail=detail)
            self.reports.send(SendReport(job.message_id, "delivered", result))
            return
        try:
            result = self.mailer.deliver_data(
                job.message_id, job.sender, job.recipients, data,
                meanwhile=self.start_record, settle=self.finish_record, framed=True,
                while_answered=self.build_ahead,
            )  # fmt: skip
        except SmtpUnreachable as exc:
            self.failure = str(exc)
            result = DeliveryResult(job.message_id, ok=False, detail=self.failure)
        except _RecordingFailed:
            self.mailer.abort()  # mid-transaction (dropped already): no QUIT inside its data
            raise
        if result.ok and job.recorded_by_sender:
            self.unrecorded = _Sent(job, result)
        else:
            self.reports.send(SendReport(job.message_id, "delivered", result))


class _RecordingFailed(Exception):
    """Recording a sent message failed (reported already)."""


def _built(message: OutgoingMessage) -> bytes | Exception:
    """A message built into MIME and framed for DATA, or the exception that stopped it."""
    try:
        return frame_data(build_mime(message))
    except Exception as exc:  # kept for the job: it fails, the batch goes on
        return exc


def serve(jobs: Connection, reports: Connection) -> None:
    """The child's loop: deliver and record each job in order until the pipe closes."""
    child = _Child(jobs.recv(), jobs, reports)
    freeze_startup_heap()  # imports and the engine: out of the collector's way from now on
    parent = os.getppid()
    reports.send(("ready",))
    try:
        while True:
            try:
                if child.unrecorded is not None and not child.has_next():
                    child.record_last()  # nothing to overlap it with
                try:
                    job = child.next_item()
                except EOFError:
                    return
                if job == ("end",):
                    try:
                        child.record_last()
                    finally:
                        child.end_batch()
                elif job == ("next",):
                    child.next_batch()
                elif os.getppid() != parent:
                    return  # the dispatcher died: its claims lapse, send nothing more
                else:
                    child.take(job)
            except _RecordingFailed:
                continue  # reported; the rest of the batch reports the failure too
    finally:
        try:
            child.record_last()
        except _RecordingFailed:
            pass
        try:
            child.reports.flush()
        except OSError:
            pass  # the dispatcher went away
        child.mailer.close()
        child.ledger.close()


def _die_with(parent: int) -> None:
    """Be killed with the dispatcher (Linux: PR_SET_PDEATHSIG), as a dispatcher sending in its
    own process would be: nothing more is sent or recorded once it is gone. Elsewhere the loop
    checks the parent before each message."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(0)


def main() -> None:
    """Entry point of the child: `python -m flows.sender_process JOBS_FD REPORTS_FD PARENT`."""
    _die_with(int(sys.argv[3]))
    jobs = Connection(int(sys.argv[1]), writable=False)
    reports = Connection(int(sys.argv[2]), readable=False)
    try:
        serve(jobs, reports)
    except (BrokenPipeError, EOFError):
        pass  # the dispatcher went away
    except Exception as exc:  # no traceback: its messages could carry addresses
        print(f"leerpad sender process failed: {type(exc).__name__}", file=sys.stderr)
        sys.exit(1)  # the dispatcher's batch fails ("the sender process stopped")


if __name__ == "__main__":  # run as flows.sender_process, so reports unpickle by that name
    from flows import sender_process

    sender_process.main()
