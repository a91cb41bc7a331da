"""Render a vacancy as a publishable HTML page, Markdown or JobPosting JSON-LD."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from jinja2 import TemplateError, TemplateNotFound

from integrations.rendering import Renderer, RenderingError
from integrations.vacancy.jsonld import job_posting, script_json
from integrations.vacancy.markdown import to_html, to_markdown
from integrations.vacancy.view import vacancy_view
from journeys.profile import EmployerProfile
from journeys.vacancy import Language, Vacancy, check_vacancy, detect_language
from journeys.vacancy.promises import learning_obligations, learning_promises
from journeys.vacancy.publish import ensure_publishable

Format = Literal["html", "md", "jsonld"]
FORMATS: tuple[Format, ...] = ("html", "md", "jsonld")


def render_vacancy(
    vacancy: Vacancy,
    *,
    profile: EmployerProfile,
    fmt: Format = "html",
    lang: Language | None = None,
    today: date | None = None,
    renderer: Renderer | None = None,
) -> str:
    """Render a publishable vacancy; `lang` is the page's language (default: the text's).

    Raises:
        VacancyNotPublishable: no title, no location, or a Dutch vacancy without pay.
        RenderingError: a vacancy template is missing or broken.
    """
    ensure_publishable(vacancy)
    text_lang: Language = vacancy.meta.language or detect_language(vacancy.text)
    page_lang: Language = lang or text_lang
    check = check_vacancy(vacancy, profile=profile, lang=text_lang)
    promises = learning_promises(
        check=check, text=vacancy.text, profile=profile, language=page_lang
    )
    body_html = to_html(vacancy.text)
    posting = job_posting(
        vacancy,
        profile=profile,
        description_html=str(body_html),
        promises=promises,
        today=today or date.today(),
    )
    if fmt == "jsonld":
        return json.dumps(posting, ensure_ascii=False, indent=2) + "\n"
    context = {
        "lang": page_lang,
        "text_lang": text_lang,
        "org": {"name": profile.name, "website": profile.website},
        "vacancy": vacancy_view(vacancy, page_lang),
        "body_html": body_html,
        "body_md": to_markdown(vacancy.text),
        "employer_promises": [p for p in promises if p.source == "employer"],
        "vacancy_promises": [p for p in promises if p.source == "vacancy"],
        "obligations": learning_obligations(check=check, text=vacancy.text),
        "jsonld_script": script_json(posting),
    }
    name = f"vacancy/{page_lang}/vacancy.{fmt}.j2"
    env = (renderer or Renderer()).env
    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as exc:
        raise RenderingError(f"{name}: missing template {exc.name}") from None
    except TemplateError as exc:
        raise RenderingError(f"{name}: {exc}") from None
