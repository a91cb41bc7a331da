"""Chat texts: a direct message reuses the step's email text; a team post has its own template.

Team posts live in `templates/chat/<locale>/<journey>/<step>.md.j2`, rendered by the one Jinja2
environment and checked like the email templates. A team post is about the new hire but goes to
the whole channel, so its context carries no personal links (goals, share, done, reflection);
a post that renders empty (say, the hire did not opt in to a shout-out) is not sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from integrations.context import build_context
from integrations.learning.context import learning_view
from integrations.learning.links import LearningLinks
from integrations.rendering import Renderer, RenderingError
from journeys.catalog import Catalog
from journeys.dsl import LOCALES, Step
from journeys.profile import EmployerProfile
from models.outbound import StepBundle
from models.planning import zone_of

POST_ROUTES = ("slack-channel", "teams-channel")


def post_template(template: str, locale: str) -> str:
    """The template name of a step's team post."""
    return f"chat/{locale}/{template}.md.j2"


def team_context(
    bundle: StepBundle,
    *,
    step: Step,
    locale: str,
    profile: EmployerProfile,
    links: LearningLinks | None,
    now: datetime,
) -> dict[str, Any]:
    """The context of a team post: the email context, seen by the team, without personal links."""
    hire = bundle.people.get("new_hire") or bundle.people.get("candidate")
    learning = learning_view(bundle, locale=locale, recipient_uid=None, links=links, now=now)
    if learning is not None:
        learning |= {"goals_url": None, "share_url": None, "reflection_url": None}
        learning["playlist"] = [dict(i, done_url=None) for i in learning["playlist"]]
        learning["item"] = dict(learning["item"], done_url=None) if learning["item"] else None
    zone = zone_of(hire, profile)
    return build_context(
        bundle=bundle,
        step=step,
        step_title=step.title.get(locale),
        recipient=hire,  # type: ignore[arg-type]
        locale=locale,
        profile=profile,
        due_local=bundle.step.due_at.astimezone(zone),
        invite=None,
        learning=learning,
    )


def render_post(renderer: Renderer, *, template: str, locale: str, context: dict) -> str:
    """Render a team post; '' when the template decides there is nothing to post.

    Raises:
        RenderingError: the template is missing, invalid, or uses a missing value.
    """
    name = post_template(template, locale)
    text = renderer._render(name, context)  # noqa: SLF001 (the one environment, strict)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def validate_posts(catalog: Catalog, renderer: Renderer) -> list[str]:
    """Problems of every team-post template the journeys need, in every language, or []."""
    problems: list[str] = []
    seen: set[str] = set()
    for journey in catalog.journeys.values():
        for step in journey.steps:
            if not any(r in POST_ROUTES for r in step.channels):
                continue
            for locale in LOCALES:
                name = post_template(step.template_key(journey.key), locale)
                problems += renderer._check(name, seen=seen)  # noqa: SLF001
    return problems


__all__ = ["POST_ROUTES", "RenderingError", "render_post", "team_context", "validate_posts"]
