"""The sender process's reports go to the dispatcher in groups: one write and one wake-up for
REPORTS_AT_ONCE messages, in order, and never held back while anyone waits for them."""

from __future__ import annotations

from multiprocessing import Pipe

from flows.sender_process import REPORTS_AT_ONCE, SendReport, _Reports


def _report(n: int) -> SendReport:
    return SendReport(f"<{n}@x>", "delivered")


def _ids(items: list[SendReport]) -> list[str]:
    return [r.message_id for r in items]


def test_reports_go_in_groups_in_order():
    reading, writing = Pipe(duplex=False)
    reports = _Reports(writing)
    for n in range(REPORTS_AT_ONCE - 1):
        reports.send(_report(n))
    assert not reading.poll(0)  # a group is not full yet: nothing written
    reports.send(_report(REPORTS_AT_ONCE - 1))
    group = reading.recv()
    assert _ids(group) == [f"<{n}@x>" for n in range(REPORTS_AT_ONCE)]
    assert not reading.poll(0)


def test_anything_else_goes_after_the_reports_before_it():
    reading, writing = Pipe(duplex=False)
    reports = _Reports(writing)
    reports.send(_report(1))
    reports.send(_report(2))
    reports.send(("ended",))
    assert _ids(reading.recv()) == ["<1@x>", "<2@x>"]
    assert reading.recv() == ("ended",)
    assert not reading.poll(0)


def test_flush_sends_what_waits_and_nothing_when_nothing_does():
    reading, writing = Pipe(duplex=False)
    reports = _Reports(writing)
    reports.flush()
    assert not reading.poll(0)
    reports.send(_report(7))
    reports.flush()
    assert _ids(reading.recv()) == ["<7@x>"]
    reports.flush()
    assert not reading.poll(0)
