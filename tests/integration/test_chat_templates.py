"""Team-post templates: every one the journeys need exists, validates and renders in nl and en."""

from __future__ import annotations

import shutil

import pytest

from integrations.chat.render import POST_ROUTES, render_post, validate_posts
from integrations.rendering import DEFAULT_TEMPLATES_DIR, Renderer, RenderingError
from integrations.sample_context import sample_context
from journeys.catalog import load_catalog
from journeys.dsl import LOCALES

CATALOG = load_catalog()
POSTS = [
    (journey.key, step.key, step.channel, step.template_key(journey.key))
    for journey in CATALOG.journeys.values()
    for step in journey.steps
    if any(r in POST_ROUTES for r in step.channels)
]


def test_the_defaults_have_team_posts():
    assert {("new-hire", "knowledge-sharing-2"), ("new-hire", "onboarding-badge")} <= {
        (j, s) for j, s, _, _ in POSTS
    }


def test_every_team_post_validates():
    assert validate_posts(CATALOG, Renderer()) == []


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("journey", "step", "channel", "template"), POSTS)
def test_team_posts_render_and_carry_no_personal_links(journey, step, channel, template, locale):
    context = sample_context(journey=journey, step_key=step, locale=locale, channel=channel)
    if context["learning"]:
        context["learning"] |= {"goals_url": None, "share_url": None, "reflection_url": None}
    text = render_post(Renderer(), template=template, locale=locale, context=context)
    assert text.strip()
    assert "{{" not in text and "/forms/" not in text
    sparse = sample_context(
        journey=journey, step_key=step, locale=locale, channel=channel, sparse=True
    )
    render_post(Renderer(), template=template, locale=locale, context=sparse)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_shout_out_is_posted_only_with_the_hires_consent(locale):
    context = sample_context(
        journey="new-hire", step_key="onboarding-badge", locale=locale, channel="badge"
    )
    context["learning"]["shout_out"] = True
    name = context["new_hire"]["first_name"]
    posted = render_post(
        Renderer(), template="new-hire/onboarding-badge", locale=locale, context=context
    )
    assert name in posted
    context["learning"]["shout_out"] = False
    template = "new-hire/onboarding-badge"
    assert render_post(Renderer(), template=template, locale=locale, context=context) == ""


def test_validation_names_the_template_line_and_the_unknown_variable(tmp_path):
    shutil.copytree(DEFAULT_TEMPLATES_DIR, tmp_path / "templates")
    broken = tmp_path / "templates/chat/en/new-hire/knowledge-sharing-2.md.j2"
    broken.write_text("Hi\n{{ org.nmae }} and {{ hire_name }}\n", encoding="utf-8")
    problems = validate_posts(CATALOG, Renderer(tmp_path / "templates"))
    assert any("chat/en/new-hire/knowledge-sharing-2.md.j2:2" in p and "org.nmae" in p
               for p in problems)  # fmt: skip
    assert any("unknown variable 'hire_name'" in p for p in problems)
    (tmp_path / "templates/chat/nl/new-hire/onboarding-badge.md.j2").unlink()
    problems = validate_posts(CATALOG, Renderer(tmp_path / "templates"))
    assert "chat/nl/new-hire/onboarding-badge.md.j2: missing template" in problems
    with pytest.raises(RenderingError):
        render_post(
            Renderer(tmp_path / "templates"),
            template="new-hire/onboarding-badge",
            locale="nl",
            context={},
        )
