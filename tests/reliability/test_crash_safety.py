"""A dispatcher or event processor killed with SIGKILL loses nothing; a restart after the lease
finishes the work, and the receiving SMTP server sees each message once (checked by Message-ID)."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from models.db import session_scope
from models.delivery import Delivery
from models.enrollment import ScheduledStep
from tests.reliability.conftest import LEASE_SECONDS, start_worker, wait_until
from tests.reliability.seed import DUE_FROM, seed_due_steps

FIRST_RUN = DUE_FROM + timedelta(days=1)
AFTER_LEASE = timedelta(seconds=LEASE_SECONDS + 1)


def ledger(database) -> tuple[int, dict[str, int]]:
    """Return (ledger rows, step count by status)."""
    with session_scope(database.engine) as session:
        rows = session.exec(select(func.count()).select_from(Delivery)).one()
        statuses = session.exec(
            select(ScheduledStep.status, func.count()).group_by(ScheduledStep.status)
        ).all()
    return int(rows), {status: int(n) for status, n in statuses}


def finish(database, port, *, until) -> dict[str, int]:
    """Run one dispatcher to the end and return its counts."""
    worker = start_worker(database, port, until=until)
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def kill_while_sending(worker, handler, *, delay: float) -> bool:
    """SIGKILL the worker `delay` seconds after the server accepted its first message; False
    when it finished first."""
    before = handler.accepted
    wait_until(lambda: handler.accepted > before or worker.poll() is not None)
    wait_until(lambda: worker.poll() is not None, timeout=delay)
    if worker.poll() is not None:
        return False
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    return True


def test_a_dispatcher_killed_mid_batch_resends_nothing_it_already_sent(database, sink):
    """Kill while the server holds the reply to message 23 of a 50-step batch: the 22 accepted
    before were recorded one by one, so the restart sends only the 28 that remain."""
    handler, port = sink()
    handler.hold_at = 23
    total = seed_due_steps(database.engine, hires=10)
    worker = start_worker(database, port, until=FIRST_RUN, batch=50)
    assert wait_until(handler.held.is_set, timeout=60), "the dispatcher never reached message 23"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    handler.release.set()
    assert handler.accepted == 22
    rows, statuses = ledger(database)
    assert rows == 22 and statuses == {"sent": 22, "claimed": total - 22}

    counts = finish(database, port, until=FIRST_RUN + AFTER_LEASE)
    assert counts == {"claimed": total - 22, "sent": total - 22}
    assert len(handler.ids) == total and handler.duplicates == 0
    assert ledger(database) == (total, {"sent": total})


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def gone(pid: int) -> bool:
    """Whether a process has exited (a zombie counts as exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads child processes from /proc")
def test_a_killed_dispatcher_takes_its_sender_process_with_it(database, sink):
    """The sender process sends and records; killed with its dispatcher while the server holds
    the reply to message 5, it records nothing more (4 rows), and a restart sends the rest."""
    handler, port = sink()
    handler.hold_at = 5
    total = seed_due_steps(database.engine, hires=10)
    worker = start_worker(
        database, port, until=FIRST_RUN, batch=50, LEERPAD_DISPATCH_SENDER="process"
    )
    assert wait_until(handler.held.is_set, timeout=60), "the dispatcher never reached message 5"
    children = children_of(worker.pid)
    senders = [
        c for c in children if b"flows.sender_process" in Path(f"/proc/{c}/cmdline").read_bytes()
    ]
    assert len(senders) == 1, "the message went out through a sender process"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert wait_until(lambda: gone(senders[0]), timeout=10), "the sender process outlived it"
    handler.release.set()
    time.sleep(0.5)  # were it alive, it would now get the 250 and record message 5
    rows, statuses = ledger(database)
    assert handler.accepted == 4 and rows == 4 and statuses == {"sent": 4, "claimed": total - 4}

    counts = finish(database, port, until=FIRST_RUN + AFTER_LEASE)
    assert counts["sent"] == total - 4
    assert ledger(database) == (total, {"sent": total})


def test_random_kills_lose_nothing_and_repeat_at_most_the_message_in_flight(database, sink):
    """Kill dispatchers at random moments while they send, restart each time after the lease:
    every step arrives, the ledger holds each once, and a repeat (same Message-ID) is only ever
    the one message whose 250 reply arrived just before the kill, before its ledger commit."""
    handler, port = sink()
    total = seed_due_steps(database.engine, hires=80)
    rng = random.Random(6)
    kills, until = 0, FIRST_RUN
    for _ in range(8):
        worker = start_worker(database, port, until=until, batch=40)
        if not kill_while_sending(worker, handler, delay=rng.uniform(0.0, 0.3)):
            break
        kills += 1
        until += AFTER_LEASE
    finish(database, port, until=until + AFTER_LEASE)
    assert kills >= 4
    assert len(handler.ids) == total  # nothing lost
    assert handler.duplicates <= kills  # at most the message in flight, per kill
    assert ledger(database) == (total, {"sent": total})
    print(f"random kills: {kills}, repeated on the server: {handler.duplicates}")
