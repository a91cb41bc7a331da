"""The demo's vacancy: checked for learning offers and obligations, then rendered for publishing."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from journeys.profile import EmployerProfile

VACANCY = {
    "nl": """---
title: Data Engineer
department: Data
location: {city: Utrecht, region: Utrecht, country: NL}
remote: hybrid
employment_type: FULL_TIME
hours_per_week: 36
salary: {min: 4200, max: 5600, currency: EUR, unit: MONTH}
date_posted: 2027-01-11
valid_through: 2027-02-28
language: nl
external_id: job-77
---
Als Data Engineer bouw je mee aan de datapijplijnen waarmee onze collega's betere
beslissingen nemen.

Leren hoort bij je werk: samen met je leidinggevende stel je in je eerste maand een persoonlijk
ontwikkelplan op met je eigen leerdoelen. Je krijgt een opleidingsbudget van € 1.500 per jaar en
acht uur studietijd per maand. Een loopbaancoach begeleidt je in tweewekelijkse gesprekken.
Elke vrijdag delen collega's in een lunchsessie wat ze hebben geleerd.

Binnen zes maanden behaal je de verplichte certificering Cloud Data Security.
""",
    "en": """---
title: Data Engineer
department: Data
location: {city: Utrecht, region: Utrecht, country: NL}
remote: hybrid
employment_type: FULL_TIME
hours_per_week: 36
salary: {min: 4200, max: 5600, currency: EUR, unit: MONTH}
date_posted: 2027-01-11
valid_through: 2027-02-28
language: en
external_id: job-77
---
As a Data Engineer you help build the data pipelines our colleagues use to make better decisions.

Learning is part of the job: in your first month you and your manager draw up a personal
development plan with your own learning goals. You get a learning budget of €1,500 a year and
eight hours of study time a month. A career coach meets you every two weeks.
Every Friday colleagues share what they learned in a lunch session.

Within six months you must obtain the mandatory Cloud Data Security certification.
""",
}


def check_and_render(*, out: Path, lang: str, profile: EmployerProfile, console: Console) -> None:
    """Write the vacancy file, print its learning check, and render the publishable page."""
    from integrations.vacancy.render import render_vacancy
    from journeys.vacancy import check_vacancy, parse_vacancy

    source = out / "vacancy-data-engineer.md"
    source.write_text(VACANCY[lang], encoding="utf-8")
    vacancy = parse_vacancy(VACANCY[lang], file=str(source))
    report = check_vacancy(vacancy, profile=profile)
    found = ", ".join(sorted({f.category for f in report.found}))
    console.print(
        f"  vacancy check: score {report.score}/100 · found: {found}"
        + (f" · missing: {', '.join(report.missing)}" if report.missing else "")
    )
    page = out / "vacancy-data-engineer.html"
    page.write_text(render_vacancy(vacancy, profile=profile, fmt="html", lang=lang), "utf-8")
    console.print(f"  vacancy rendered with schema.org JobPosting: {page}")
