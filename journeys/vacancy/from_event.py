"""A vacancy file (CONTRACTS §6b) from the job ad an ATS sends with `vacancy.published`."""

from __future__ import annotations

import yaml

from journeys.events import VacancyRef
from journeys.vacancy.frontmatter import split_front_matter


def vacancy_file(ref: VacancyRef, *, stored: str | None = None) -> str | None:
    """The vacancy file to store for a published job ad; None when the event carries no text.

    A vacancy stored before (by `leerpad vacancy publish`) keeps its front matter — salary,
    location and employment type are rarely in a webhook — and gets the new text below it.
    """
    if not ref.description:
        return None
    body = ref.description.strip() + "\n"
    if stored:
        split = split_front_matter(stored, file="stored vacancy")
        if split.front_matter is not None:
            return f"---\n{split.front_matter}---\n{body}"
    meta = {
        key: value
        for key, value in (
            ("title", ref.title),
            ("department", ref.department),
            ("external_id", ref.external_id),
        )
        if value
    }
    if not meta:
        return body
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000)
    return f"---\n{front}---\n{body}"
