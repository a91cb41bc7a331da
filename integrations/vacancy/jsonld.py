"""schema.org JobPosting JSON-LD for a vacancy, and how to embed it safely in HTML."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from markupsafe import Markup

from journeys.profile import EmployerProfile
from journeys.vacancy import Vacancy
from journeys.vacancy.promises import LearningPromise

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def job_posting(
    vacancy: Vacancy,
    *,
    profile: EmployerProfile,
    description_html: str,
    promises: list[LearningPromise],
    today: date,
) -> dict[str, Any]:
    """Build a JobPosting with Google's required and recommended properties."""
    meta = vacancy.meta
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": meta.title,
        "description": description_html,
        "datePosted": (meta.date_posted or today).isoformat(),
        "hiringOrganization": _organization(profile),
    }
    if meta.valid_through:
        posting["validThrough"] = meta.valid_through.isoformat()
    if meta.employment_type:
        kind = meta.employment_type
        posting["employmentType"] = kind if isinstance(kind, str) else list(kind)
    if meta.location:
        address = {
            "@type": "PostalAddress",
            "addressLocality": meta.location.city,
            "addressRegion": meta.location.region,
            "addressCountry": meta.location.country,
        }
        address = {k: v for k, v in address.items() if v}
        posting["jobLocation"] = {"@type": "Place", "address": address}
    if meta.remote is True:
        posting["jobLocationType"] = "TELECOMMUTE"
        country = (meta.location.country if meta.location else None) or profile.holidays.country
        posting["applicantLocationRequirements"] = {"@type": "Country", "name": country}
    if meta.salary:
        value = {"@type": "QuantitativeValue", "unitText": meta.salary.unit}
        if meta.salary.min is not None:
            value["minValue"] = _number(meta.salary.min)
        if meta.salary.max is not None:
            value["maxValue"] = _number(meta.salary.max)
        posting["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": meta.salary.currency,
            "value": value,
        }
    if meta.hours_per_week:
        posting["workHours"] = f"{_number(meta.hours_per_week)} hours per week"
    if meta.external_id:
        posting["identifier"] = {
            "@type": "PropertyValue",
            "name": profile.name,
            "value": meta.external_id,
        }
    if promises:
        posting["jobBenefits"] = " ".join(_sentence(p.text) for p in promises)
    return posting


def script_json(data: dict[str, Any]) -> Markup:
    """Serialise JSON for a <script type="application/ld+json"> element: '<', '>' and '&' are
    written as \\u escapes, so no text can close the element ("</script>") or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


def _organization(profile: EmployerProfile) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": profile.name}
    if profile.website:
        org["sameAs"] = profile.website
        org["url"] = profile.website
    return org


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
