"""The dispatch flow with its batches in several processes: every step once, counts summed."""

from __future__ import annotations

import email
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from flows.dispatch import dispatch
from flows.processing import process_stored_event, store
from tests.conftest import AMS
from tests.factories import make_event

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
LATER = datetime(2027, 3, 20, 18, 0, tzinfo=AMS)


@pytest.fixture
def papp(engine, tmp_path: Path, start_clock):
    """The app on a database URL a fresh process can open by itself (the schema in the URL)."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    url = engine.url
    if url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            schema = connection.execute(text("select current_schema()")).scalar_one()
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    settings = LeerpadSettings(
        database_url=url.render_as_string(hide_password=False),
        outbox_dir=tmp_path / "outbox",
        smtp_url=None,
    )
    application = bootstrap(settings=settings, clock=start_clock)
    yield application
    reset()


def test_batches_in_two_processes_send_every_due_step_once(papp):
    for n in range(1, 7):
        event = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), n=n)
        inbox_id, _ = store(app=papp, event=event, now=HIRED_AT)
        process_stored_event(app=papp, inbox_id=inbox_id, now=HIRED_AT)

    totals = dispatch(until=LATER.isoformat(), batch_size=4, processes=2)

    files = list(Path(papp.settings.outbox_dir).glob("*.eml"))
    ids = Counter(email.message_from_bytes(f.read_bytes())["Message-ID"] for f in files)
    assert totals["claimed"] > 8 and totals["sent"] == len(files) == len(ids)
    assert max(ids.values()) == 1
    assert dispatch(until=LATER.isoformat(), batch_size=4, processes=2) == {"claimed": 0}
