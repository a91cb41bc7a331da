"""Every default journey step renders in every locale, full and sparse; validate() catches typos."""

from __future__ import annotations

import os
from pathlib import Path

import css_inline
import pytest

from integrations.rendering import DEFAULT_TEMPLATES_DIR, Renderer, RenderingError, money
from integrations.sample_context import sample_context
from journeys.catalog import DEFAULTS_DIR
from journeys.dsl import LOCALES, load_journey

JOURNEYS = ("candidate", "new-hire", "leader")
INVITE_CHANGES = (
    ("_invite", "update", "invite"),
    ("_invite", "cancel", "invite"),
    ("_handover", "brief", "email"),
    ("_learning", "playlist-badge", "badge"),
    ("_learning", "shout-out", "email"),
)


def _steps() -> list[tuple[str, str, str, str]]:
    """(journey, step key, channel, template) of every default step and system message."""
    steps = []
    for key in JOURNEYS:
        journey = load_journey(DEFAULTS_DIR / f"{key}.yaml")
        steps += [(key, step.key, step.channel, step.template_key(key)) for step in journey.steps]
    return steps + [(j, s, c, f"{j}/{s}") for j, s, c in INVITE_CHANGES]


CASES = [
    pytest.param(journey, step, channel, locale, template, id=f"{journey}/{step}/{locale}")
    for journey, step, channel, template in _steps()
    for locale in LOCALES
]
ARGS = ("journey", "step", "channel", "locale", "template")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _check(rendered, *, locale: str, first_name: str) -> None:
    assert rendered.subject.strip()
    assert "\n" not in rendered.subject and "\r" not in rendered.subject
    assert f'lang="{locale}"' in rendered.html
    assert first_name in rendered.text
    for part in (rendered.subject, rendered.text, rendered.html):
        assert "None" not in part, "an optional value was printed without a guard"
    for forbidden in ("<script", "<img", "src=", "<link"):
        assert forbidden not in rendered.html


class TestDefaultTemplates:
    def test_the_defaults_cover_the_three_journeys(self):
        assert len(CASES) >= 2 * (4 + 12 + 6)

    @pytest.mark.parametrize(ARGS, CASES)
    def test_every_step_has_subject_text_and_html(
        self, renderer, journey, step, channel, locale, template
    ):
        assert renderer.has_email(template=template, locale=locale)

    @pytest.mark.parametrize(ARGS, CASES)
    def test_validate_finds_no_problems(self, renderer, journey, step, channel, locale, template):
        assert renderer.validate(template=template, locale=locale) == []

    @pytest.mark.parametrize(ARGS, CASES)
    def test_renders_with_a_full_context(self, renderer, journey, step, channel, locale, template):
        context = sample_context(journey=journey, step_key=step, locale=locale, channel=channel)
        rendered = renderer.render_email(template=template, locale=locale, context=context)
        _check(rendered, locale=locale, first_name=context["recipient"]["first_name"])

    @pytest.mark.parametrize(ARGS, CASES)
    def test_renders_with_a_sparse_context(
        self, renderer, journey, step, channel, locale, template
    ):
        context = sample_context(
            journey=journey, step_key=step, locale=locale, channel=channel, sparse=True
        )
        assert (
            context["leader"] is context["coach"] is context["buddy"] is context["vacancy"] is None
        )
        assert context["org"]["learning"]["budget_per_year"] is None
        rendered = renderer.render_email(template=template, locale=locale, context=context)
        _check(rendered, locale=locale, first_name=context["recipient"]["first_name"])

    @pytest.mark.parametrize(ARGS, CASES)
    def test_html_survives_css_inlining(self, renderer, journey, step, channel, locale, template):
        context = sample_context(journey=journey, step_key=step, locale=locale, channel=channel)
        html = renderer.render_email(template=template, locale=locale, context=context).html
        inlined = css_inline.CSSInliner(load_remote_stylesheets=False).inline(html)
        assert 'style="' in inlined and "<style" not in inlined

    @pytest.mark.parametrize("locale", LOCALES)
    def test_a_nameless_recipient_is_greeted_by_display_name(self, renderer, locale):
        context = sample_context(
            journey="new-hire", step_key="welcome", locale=locale, channel="email"
        )
        context["recipient"] = {"first_name": None, "last_name": None, "display_name": "collega"}
        rendered = renderer.render_email(
            template="new-hire/welcome", locale=locale, context=context
        )
        assert "collega," in rendered.text.splitlines()[0]
        assert "None" not in rendered.text

    @pytest.mark.parametrize("locale", LOCALES)
    def test_the_offer_renders_when_the_employment_is_already_known(self, renderer, locale):
        context = sample_context(
            journey="candidate", step_key="offer", locale=locale, channel="email"
        )
        hire = sample_context(
            journey="new-hire", step_key="welcome", locale=locale, channel="email"
        )
        context["candidate"], context["new_hire"] = None, hire["new_hire"]
        rendered = renderer.render_email(template="candidate/offer", locale=locale, context=context)
        assert hire["new_hire"]["start_date_text"] in rendered.text


class TestRejectedCandidate:
    @pytest.mark.parametrize(("locale", "notice"), [("nl", "4 weken"), ("en", "4 weeks")])
    def test_mentions_the_retention_period_and_never_the_reason(self, renderer, locale, notice):
        context = sample_context(
            journey="candidate", step_key="rejected", locale=locale, channel="email"
        )
        reason = context["application"]["rejection_reason"]
        assert reason
        rendered = renderer.render_email(
            template="candidate/rejected", locale=locale, context=context
        )
        assert notice in rendered.text and notice in rendered.html
        for part in (rendered.subject, rendered.text, rendered.html):
            assert reason not in part


class TestAutoescape:
    NAME = "<script>alert(1)</script>"

    def test_html_is_escaped_and_text_is_verbatim(self, tmp_path):
        _write(tmp_path, "email/nl/t/x.subject.j2", "Hoi {{ recipient.display_name }}\n")
        _write(tmp_path, "email/nl/t/x.txt.j2", "Hoi {{ recipient.display_name }},\n")
        _write(tmp_path, "email/nl/t/x.html.j2", "<p>Hoi {{ recipient.display_name }},</p>\n")
        context = {"recipient": {"display_name": self.NAME}}
        rendered = Renderer(tmp_path).render_email(template="t/x", locale="nl", context=context)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
        assert "<script>" not in rendered.html
        assert self.NAME in rendered.text
        assert rendered.subject == f"Hoi {self.NAME}"

    def test_the_default_templates_escape_names_in_html(self, renderer):
        context = sample_context(
            journey="new-hire", step_key="welcome", locale="nl", channel="email"
        )
        context["recipient"] = context["recipient"] | {"first_name": self.NAME}
        rendered = renderer.render_email(template="new-hire/welcome", locale="nl", context=context)
        assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
        assert self.NAME in rendered.text


class TestValidate:
    def _email(self, root: Path, *, txt: str, html: str = "<p>ok</p>\n") -> Renderer:
        _write(root, "email/nl/x/y.subject.j2", "Onderwerp\n")
        _write(root, "email/nl/x/y.txt.j2", txt)
        _write(root, "email/nl/x/y.html.j2", html)
        return Renderer(root)

    def test_reports_a_misspelled_variable_with_its_line(self, tmp_path):
        renderer = self._email(
            tmp_path, txt="Hoi {{ recipient.first_name }},\n\nJe start: {{ new_hier.first_name }}\n"
        )
        problems = renderer.validate(template="x/y", locale="nl")
        assert len(problems) == 1
        assert problems[0].startswith("email/nl/x/y.txt.j2:3:")
        assert "'new_hier'" in problems[0] and "did you mean 'new_hire'" in problems[0]

    def test_reports_an_unknown_field_of_a_known_variable(self, tmp_path):
        renderer = self._email(tmp_path, txt="x\n{{ org.learning.budjet }}\n")
        (problem,) = renderer.validate(template="x/y", locale="nl")
        assert problem.startswith("email/nl/x/y.txt.j2:2:") and "org.learning.budjet" in problem

    def test_reports_a_syntax_error_with_its_line(self, tmp_path):
        renderer = self._email(tmp_path, txt="ok\n{% if leader %}\nno endif\n")
        (problem,) = renderer.validate(template="x/y", locale="nl")
        assert problem.startswith("email/nl/x/y.txt.j2:")
        assert "endif" in problem or "end of template" in problem

    def test_reports_an_unknown_filter(self, tmp_path):
        renderer = self._email(tmp_path, txt="{{ org.name|shout }}\n")
        (problem,) = renderer.validate(template="x/y", locale="nl")
        assert "email/nl/x/y.txt.j2:1:" in problem and "shout" in problem

    def test_reports_missing_parts(self, tmp_path):
        _write(tmp_path, "email/en/x/y.txt.j2", "ok\n")
        problems = Renderer(tmp_path).validate(template="x/y", locale="en")
        assert problems == [
            "email/en/x/y.subject.j2: missing template",
            "email/en/x/y.html.j2: missing template",
        ]

    def test_follows_includes_and_layouts(self, tmp_path):
        _write(tmp_path, "email/base.html.j2", "{{ orgg.name }}{% block c %}{% endblock %}\n")
        renderer = self._email(
            tmp_path,
            txt='{% include "email/nl/_nope.txt.j2" %}\n',
            html='{% extends "email/base.html.j2" %}{% block c %}{{ step.title }}{% endblock %}\n',
        )
        problems = renderer.validate(template="x/y", locale="nl")
        assert "email/nl/x/y.txt.j2:1: uses missing template 'email/nl/_nope.txt.j2'" in problems
        assert any(p.startswith("email/base.html.j2:1:") and "'orgg'" in p for p in problems)

    def test_set_variables_loops_and_dict_methods_are_fine(self, tmp_path):
        txt = (
            "{% set name = recipient.first_name or recipient.display_name %}{{ name }}\n"
            "{% for k, v in org.learning.items() %}{{ loop.index }} {{ k }}{% endfor %}\n"
            "{{ new_hire.start_date.year }} {{ range(2)|list }}\n"
        )
        assert self._email(tmp_path, txt=txt).validate(template="x/y", locale="nl") == []


class TestRenderer:
    def test_finds_the_repository_templates_by_default(self):
        assert Renderer().templates_dir == DEFAULT_TEMPLATES_DIR
        assert (DEFAULT_TEMPLATES_DIR / "email" / "_layout.html.j2").is_file()

    def test_names_the_three_parts(self, renderer):
        assert renderer.template_names(template="new-hire/welcome", locale="en") == [
            "email/en/new-hire/welcome.subject.j2",
            "email/en/new-hire/welcome.txt.j2",
            "email/en/new-hire/welcome.html.j2",
        ]
        assert not renderer.has_email(template="new-hire/nope", locale="nl")

    def test_collapses_the_subject_to_one_line(self, tmp_path):
        _write(tmp_path, "email/nl/s/x.subject.j2", "  Een\r\nonderwerp  \n")
        _write(tmp_path, "email/nl/s/x.txt.j2", "t\n")
        _write(tmp_path, "email/nl/s/x.html.j2", "h\n")
        rendered = Renderer(tmp_path).render_email(template="s/x", locale="nl", context={})
        assert rendered.subject == "Een onderwerp"
        assert rendered.text == "t\n"

    def test_a_missing_value_names_template_and_line(self, tmp_path):
        _write(tmp_path, "email/nl/s/x.subject.j2", "s\n")
        _write(tmp_path, "email/nl/s/x.txt.j2", "a\n{{ leader.first_name }}\n")
        _write(tmp_path, "email/nl/s/x.html.j2", "h\n")
        with pytest.raises(RenderingError, match=r"email/nl/s/x\.txt\.j2:2"):
            Renderer(tmp_path).render_email(template="s/x", locale="nl", context={"leader": {}})

    def test_a_missing_template_or_locale_is_a_rendering_error(self, renderer):
        with pytest.raises(RenderingError, match="missing template"):
            renderer.render_email(template="new-hire/nope", locale="nl", context={})
        with pytest.raises(RenderingError, match="unknown locale"):
            renderer.render_email(template="new-hire/welcome", locale="de", context={})

    def test_formats_money_per_locale(self):
        assert money(1500, "EUR", "nl") == "€\u00a01.500"
        assert money(1500, "EUR", "en") == "€1,500"
        assert money(2000, "CHF", "en") == "CHF\u00a02,000"


class TestSampleContext:
    def test_invite_steps_get_an_invite_with_their_series(self):
        context = sample_context(
            journey="new-hire", step_key="coaching-series", locale="nl", channel="invite"
        )
        assert context["invite"]["duration_minutes"] == 45
        assert context["invite"]["series_text"] == "6 sessies, om de 2 weken"
        assert context["recipient"]["first_name"] == "Sanne"

    def test_leader_steps_go_to_the_leader_and_are_about_the_hire(self):
        context = sample_context(
            journey="leader", step_key="own-learning-goals", locale="en", channel="prompt"
        )
        assert context["recipient"] == context["leader"]
        assert context["new_hire"]["first_name"] == "Priya"
        assert context["invite"] is None and context["candidate"] is None

    def test_candidate_steps_have_a_candidate_and_no_new_hire(self):
        context = sample_context(
            journey="candidate", step_key="applied", locale="nl", channel="email"
        )
        assert context["candidate"] == context["recipient"] and context["new_hire"] is None


def test_within_steady_a_template_is_looked_up_once_and_after_it_again(tmp_path):
    """A dispatch batch renders in `steady()`: no file check per render; outside it, an edited
    template is picked up as before."""
    for part, body in (("subject", "Hallo"), ("txt", "tekst {{ n }}"), ("html", "<p>{{ n }}</p>")):
        path = tmp_path / "email" / "nl" / f"t.{part}.j2"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    renderer = Renderer(tmp_path)
    text_file = tmp_path / "email" / "nl" / "t.txt.j2"
    with renderer.steady():
        assert renderer.render_email(template="t", locale="nl", context={"n": 1}).text == "tekst 1"
        text_file.write_text("nieuw {{ n }}", encoding="utf-8")
        os.utime(text_file, (1e9 + 10**8, 1e9 + 10**8))  # a later mtime, whatever the clock
        assert renderer.render_email(template="t", locale="nl", context={"n": 2}).text == "tekst 2"
    assert renderer.render_email(template="t", locale="nl", context={"n": 3}).text == "nieuw 3"
