"""Source names to adapters: the one place that knows every vendor."""

from __future__ import annotations

from integrations.sources.bamboohr import BambooHRAdapter
from integrations.sources.base import SourceAdapter, UnknownSource
from integrations.sources.generic import GenericAdapter
from integrations.sources.greenhouse import GreenhouseAdapter
from integrations.sources.greenhouse_onboarding import GreenhouseOnboardingAdapter
from integrations.sources.hibob import HiBobAdapter
from integrations.sources.lever import LeverAdapter
from integrations.sources.personio import PersonioAdapter
from integrations.sources.recruitee import RecruiteeAdapter
from integrations.sources.smartrecruiters import SmartRecruitersAdapter
from integrations.sources.teamtailor import TeamtailorAdapter
from integrations.sources.workable import WorkableAdapter

_ADAPTERS: dict[str, SourceAdapter] = {
    adapter.name: adapter
    for adapter in (
        GreenhouseAdapter(),
        GreenhouseOnboardingAdapter(),
        LeverAdapter(),
        RecruiteeAdapter(),
        TeamtailorAdapter(),
        WorkableAdapter(),
        SmartRecruitersAdapter(),
        BambooHRAdapter(),
        PersonioAdapter(),
        HiBobAdapter(),
        GenericAdapter(),
    )
}
SOURCES: tuple[str, ...] = tuple(_ADAPTERS)
# Sources whose webhooks carry only ids: the record is fetched from the vendor's API.
FETCHING_SOURCES: tuple[str, ...] = (
    "lever",
    "smartrecruiters",
    "bamboohr",
    "personio",
    "hibob",
    "greenhouse_onboarding",
)


def adapter_for(source: str) -> SourceAdapter:
    """Return the adapter of a source, or raise UnknownSource naming the known ones."""
    try:
        return _ADAPTERS[source]
    except KeyError:
        raise UnknownSource(f"unknown source {source!r}; known: {', '.join(SOURCES)}") from None
