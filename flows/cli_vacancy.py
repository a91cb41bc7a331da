"""`leerpad vacancy check | render | publish`: what a vacancy promises for learning; publishing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flows.cli_errors import UsageProblem

if TYPE_CHECKING:
    from journeys.profile import EmployerProfile
    from journeys.vacancy import Vacancy


@click.group()
def vacancy() -> None:
    """Vacancies: check what they offer for learning; render them for publishing."""


@vacancy.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["nl", "en", "auto"]),
    default="auto",
    show_default=True,
    help="Language of the text (auto: front matter, else detected).",
)
@click.option("--json", "as_json", is_flag=True, help="Print CONTRACTS §6 JSON (+ gender_coded).")
def check(file: Path, lang: str, as_json: bool) -> None:
    """Report the learning offers and obligations in a vacancy, its score and what to add."""
    from journeys.vacancy import check_vacancy

    parsed = _read(file)
    report = check_vacancy(parsed, profile=_profile(), lang=lang)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    from integrations.vacancy.terminal import print_report

    print_report(report, vacancy=parsed)


@vacancy.command("render")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "jsonld"]),
    default="html",
    show_default=True,
    help="HTML page, Markdown, or schema.org JobPosting JSON-LD.",
)
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), help="Page language (default: the text's)."
)
@click.option(
    "--out", "out", type=click.Path(path_type=Path), help="Write to this file instead of stdout."
)
def render(file: Path, fmt: str, lang: str | None, out: Path | None) -> None:
    """Render a publishable vacancy with a learning section and JobPosting JSON-LD."""
    from integrations.rendering import RenderingError
    from integrations.vacancy import render_vacancy
    from journeys.vacancy.publish import VacancyNotPublishable

    parsed = _read(file)
    try:
        text = render_vacancy(parsed, profile=_profile(), fmt=fmt, lang=lang)  # type: ignore[arg-type]
    except VacancyNotPublishable as exc:
        for line in str(exc).splitlines()[:-1]:
            click.echo(f"error {line}", err=True)
        raise UsageProblem(str(exc).splitlines()[-1]) from None
    except RenderingError as exc:
        raise UsageProblem(f"cannot render: {exc}") from None
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"wrote {out}", err=True)


@vacancy.command("publish")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--source", default="generic", show_default=True, help="The system the vacancy belongs to."
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("published"),
    show_default=True,
    help="Folder for the HTML page and the JSON-LD.",
)
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), help="Page language (default: the text's)."
)
def publish(file: Path, source: str, out: Path, lang: str | None) -> None:
    """Store a vacancy and its learning promises, then render it (publish-vacancy flow)."""
    from flows.runner import prefect_session, ready_app
    from journeys.vacancy import check_vacancy, detect_language
    from journeys.vacancy.promises import learning_obligations, learning_promises
    from journeys.vacancy.publish import VacancyNotPublishable, ensure_publishable
    from models.db import session_scope
    from models.vacancy_store import save_vacancy

    parsed = _read(file)
    try:
        ensure_publishable(parsed)
    except VacancyNotPublishable as exc:
        for line in str(exc).splitlines()[:-1]:
            click.echo(f"error {line}", err=True)
        raise UsageProblem(str(exc).splitlines()[-1]) from None
    external_id = parsed.meta.external_id
    if not external_id:
        raise UsageProblem(
            f"{file}: add 'external_id: …' to the front matter; the vacancy is stored under it"
        )
    text_lang = parsed.meta.language or detect_language(parsed.text)
    report = check_vacancy(parsed, profile=_profile(), lang=text_lang)
    # The vacancy's own words only: the employer's standing offer is in every email already.
    promises = learning_promises(check=report, text=parsed.text, profile=None, language=text_lang)
    obligations = learning_obligations(check=report, text=parsed.text)
    app = ready_app()
    with session_scope(app.engine) as session:
        row = save_vacancy(
            session=session,
            source=source,
            external_id=external_id,
            meta_title=parsed.meta.title,
            department=parsed.meta.department,
            language=text_lang,
            text=file.read_text(encoding="utf-8"),  # the whole file: the flow renders from it
            score=report.score,
            promises=promises,
            obligations=obligations,
            now=app.clock.now(),
        )
        vacancy_id = row.id
    with prefect_session():
        from flows.publish_vacancy import publish_vacancy

        written = publish_vacancy(vacancy_id=vacancy_id, out_dir=str(out), lang=lang)
    click.echo(
        f"stored vacancy {source}:{external_id} (id {vacancy_id}, score {report.score}, "
        f"{len(promises)} promises, {len(obligations)} obligations)"
    )
    for path in written:
        click.echo(f"wrote {path}")


def _read(file: Path) -> Vacancy:
    """Read and parse a vacancy file, turning every problem into one clear usage error."""
    from journeys.errors import DefinitionErrors
    from journeys.vacancy import parse_vacancy

    try:
        source = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageProblem(f"{file}: no such file; give the path of a vacancy text") from None
    except IsADirectoryError:
        raise UsageProblem(f"{file}: is a folder; give the path of a vacancy text") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"{file}: not UTF-8 text; save the vacancy as UTF-8") from None
    except OSError as exc:
        raise UsageProblem(f"{file}: cannot read it ({exc.strerror})") from None
    try:
        return parse_vacancy(source, file=str(file))
    except DefinitionErrors as exc:
        for error in exc.errors[:-1]:
            click.echo(f"error {error}", err=True)
        raise UsageProblem(f"{exc.errors[-1]} (fix the front matter)") from None


def _organization_path() -> Path | None:
    """LEERPAD_ORGANIZATION as the settings read it; without a .env file the environment alone
    decides, so the settings machinery (pydantic-settings, ~0.06 s) is not imported."""
    if "LEERPAD_ORGANIZATION" in os.environ or not Path(".env").exists():
        value = os.environ.get("LEERPAD_ORGANIZATION")
        return Path(value) if value else None
    from integrations.settings import LeerpadSettings

    return LeerpadSettings().organization


def _profile() -> EmployerProfile:
    """Load the employer profile named by LEERPAD_ORGANIZATION (or the default one)."""
    from journeys.catalog import load_employer_profile
    from journeys.errors import DefinitionErrors

    path = _organization_path()
    try:
        return load_employer_profile(path)
    except DefinitionErrors as exc:
        raise UsageProblem(f"employer profile: {exc.errors[0]}") from None
    except OSError as exc:
        raise UsageProblem(f"employer profile {path}: cannot read it ({exc.strerror})") from None
