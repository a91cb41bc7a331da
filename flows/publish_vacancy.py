"""The `publish-vacancy` flow: render a stored vacancy as an HTML page and JobPosting JSON-LD."""

from __future__ import annotations

import re
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows.bootstrap import current_app

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class StoredVacancyMissing(LookupError):
    """No stored vacancy (with its text) has this id."""


def file_stem(*, source: str, external_id: str) -> str:
    """A safe file name for a vacancy's published files: `<source>-<external id>`."""
    return _UNSAFE.sub("-", f"{source}-{external_id}").strip("-.") or "vacancy"


@task(name="render-vacancy", persist_result=False)
def render_stored_vacancy(vacancy_id: int, out_dir: str, lang: str | None = None) -> list[str]:
    """Render the stored vacancy's text to `<stem>.html` and `<stem>.jsonld` in out_dir."""
    from integrations.vacancy import render_vacancy
    from journeys.vacancy import parse_vacancy
    from models.db import session_scope
    from models.recruitment import Vacancy

    app = current_app()
    with session_scope(app.engine) as session:
        row = session.get(Vacancy, vacancy_id)
        if row is None or not row.text:
            raise StoredVacancyMissing(f"no stored vacancy text for vacancy {vacancy_id}")
        source, stem = row.text, file_stem(source=row.source, external_id=row.external_id or "")
    parsed = parse_vacancy(source, file=f"vacancy {vacancy_id}")
    profile = app.composer.profile
    today = app.clock.now().date()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in ("html", "jsonld"):
        text = render_vacancy(parsed, profile=profile, fmt=fmt, lang=lang, today=today)  # type: ignore[arg-type]
        path = folder / f"{stem}.{fmt}"
        path.write_text(text, encoding="utf-8")
        written.append(str(path))
    return written


@flow(name="publish-vacancy", persist_result=False, log_prints=False)
def publish_vacancy(vacancy_id: int, out_dir: str, lang: str | None = None) -> list[str]:
    """Render the stored vacancy with this id into out_dir: ids and paths only, no personal data."""
    written = render_stored_vacancy(vacancy_id, out_dir, lang)
    get_run_logger().info("vacancy %s: wrote %d files", vacancy_id, len(written))
    return written
