"""Validation and preview of journeys, shared by the CLI and the tests. No Prefect, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from integrations.rendering import Renderer
from integrations.settings import LeerpadSettings
from journeys.catalog import Catalog, load_catalog, load_employer_profile
from journeys.errors import DefinitionErrors
from journeys.planner import plan_anchor_step, plan_event_step
from journeys.workcalendar import WorkCalendar

SYSTEM_TEMPLATES = (
    "_invite/update",
    "_invite/cancel",
    "_handover/brief",
    "_learning/playlist-badge",
    "_learning/shout-out",
)


@dataclass
class ValidationReport:
    """What `journeys validate` found."""

    files: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {"journeys": self.files, "problems": self.problems, "valid": not self.problems}


def check_journeys(directory: Path | None) -> ValidationReport:
    """Validate journey files and every template their steps name, in every locale."""
    report = ValidationReport()
    settings = LeerpadSettings()
    try:
        catalog = load_catalog(*([directory] if directory else []))
        profile = load_employer_profile(settings.organization)
    except DefinitionErrors as exc:
        report.problems += [str(e) for e in exc.errors]
        return report
    renderer = Renderer()
    report.files = {key: str(path) for key, path in catalog.files.items()}
    for key, journey in catalog.journeys.items():
        for step in journey.steps:
            template = step.template_key(key)
            for locale in profile.locales:
                for problem in renderer.validate(template=template, locale=locale):
                    report.problems.append(f"{catalog.files[key]}: steps.{step.key}: {problem}")
    for template in SYSTEM_TEMPLATES:
        for locale in profile.locales:
            report.problems += renderer.validate(template=template, locale=locale)
    from integrations.chat.render import validate_posts

    report.problems += validate_posts(catalog, renderer)
    return report


def preview_rows(
    *, key: str, anchor: date, zone_name: str | None, locale: str, directory: Path | None
) -> list[dict[str, Any]]:
    """Plan a journey from an anchor without storing anything (CONTRACTS §5)."""
    settings = LeerpadSettings()
    catalog: Catalog = load_catalog(*([directory] if directory else []))
    profile = load_employer_profile(settings.organization)
    journey = catalog.get(key)
    try:
        zone = ZoneInfo(zone_name) if zone_name else profile.zone
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {zone_name!r}; use an IANA name like Europe/Amsterdam"
        ) from None
    calendar = WorkCalendar.from_profile(profile)
    window = profile.send_window
    rows = []
    for step in journey.steps:
        if journey.anchor == "event":
            event_at = datetime.combine(anchor, time(10, 0), tzinfo=zone)
            planned = plan_event_step(
                step, event_at=event_at, zone=zone, calendar=calendar, window=window
            )
        else:
            planned = plan_anchor_step(
                step, anchor=anchor, zone=zone, calendar=calendar, window=window
            )
        rows.append(
            {
                "journey": key,
                "step": step.key,
                "channel": step.channel,
                "to": step.to,
                "template": step.template_key(key),
                "at_local": planned.due_local.isoformat(),
                "at_utc": planned.due_utc.isoformat(),
                "title": step.title.get(locale),
            }
        )
    rows.sort(key=lambda r: r["at_utc"])
    return rows
