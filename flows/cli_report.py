"""`leerpad report`: HR's overview, vacancies and learning culture as one static HTML file.

No Prefect: it only reads aggregates from the database and renders a template.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.cli_errors import OperationalProblem, UsageProblem


@click.command("report")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this HTML file (e.g. report.html).")
@click.option("--json", "as_json", is_flag=True, help="Print the aggregates as JSON on stdout.")
@click.option("--months", type=click.IntRange(1, 36), default=12, show_default=True,
              help="How many months, up to this one, the culture view covers.")
@click.option("--lang", type=click.Choice(["nl", "en"]),
              help="Language of the report (default: the employer profile's).")
def report(out: Path | None, as_json: bool, months: int, lang: str | None) -> None:
    """Write HR's report: journeys, vacancies by learning score, and the learning culture.

    One self-contained HTML file (inline CSS and SVG charts, no scripts, nothing loaded from
    elsewhere) that can be mailed or archived. Aggregates only: no names, addresses or anyone's
    own scores; teams smaller than the employer profile's hr_min_group are folded together.
    """  # fmt: skip
    if out is None and not as_json:
        raise UsageProblem("say where the report goes: --out report.html, --json, or both")
    from sqlalchemy.exc import OperationalError

    from flows.runner import ready_app
    from integrations.hr_report import load_report, render_report, report_json

    status = click.get_text_stream("stderr")
    click.echo("report: reading aggregates…", file=status)
    try:
        app = ready_app()
        profile = app.composer.profile
        found = load_report(engine=app.engine, now=app.clock.now(), months=months,
                            min_group=profile.hr_min_group)  # fmt: skip
    except OperationalError as exc:
        raise OperationalProblem(
            f"cannot read the database ({exc.orig}); check LEERPAD_DATABASE_URL"
        ) from None
    if out is not None:
        html = render_report(found, renderer=app.composer.renderer, profile=profile,
                             lang=lang or profile.default_locale)  # fmt: skip
        try:
            out.write_text(html, encoding="utf-8")
        except OSError as exc:
            raise UsageProblem(f"cannot write {out}: {exc.strerror}; pick another --out") from None
        size = len(html.encode("utf-8"))
        click.echo(
            f"report: wrote {out} ({size / 1024:.0f} KiB; {len(found.vacancies)} vacancies, "
            f"{len(found.culture.months)} months, {len(found.culture.teams.groups)} team groups)",
            file=status,
        )
    if as_json:
        click.echo(json.dumps(report_json(found), ensure_ascii=False, sort_keys=True))
