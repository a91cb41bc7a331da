"""`leerpad demo`: the whole story on embedded defaults with a simulated clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.console import Console

from flows.bootstrap import App, bootstrap
from flows.demo_addresses import print_addresses
from flows.demo_learning import demo_secrets, learning_summary, play_learning, save_badge
from flows.demo_report import print_summary, print_timeline, reschedule_snapshot
from flows.demo_story import END, RESCHEDULE_AT, start_date_moved, story
from flows.demo_vacancy import check_and_render
from flows.runner import prefect_session
from flows.simulation import run_until as simulate
from integrations.settings import LeerpadSettings
from journeys.clock import SimulatedClock
from models.migrate import upgrade_engine

DEMO_DB = Path("leerpad-demo.db")


def _fresh(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for pattern in ("*.eml", "vacancy-*", "*.jwt"):
        for old in out.glob(pattern):
            old.unlink()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DEMO_DB}{suffix}").unlink(missing_ok=True)


def run_demo(*, out_dir: str, lang: str, console: Console | None = None) -> App:
    """Play the story: events in through handle-event, every step out through dispatch."""
    console = console or Console(width=None if Console().is_terminal else 150)
    out = Path(out_dir)
    _fresh(out)
    env = LeerpadSettings()
    settings = env.model_copy(
        update={"database_url": f"sqlite:///{DEMO_DB}", "outbox_dir": out, **demo_secrets()}
    )
    clock = SimulatedClock(story(lang)[0][0])
    app = bootstrap(settings=settings, clock=clock)
    upgrade_engine(app.engine)
    console.print(f"[bold]Leerpad demo[/] · {app.rules.profile.name} · transport: {app.transport}")
    check_and_render(out=out, lang=lang, profile=app.rules.profile, console=console)
    console.print("Starting Prefect (ephemeral mode) …")
    with prefect_session():
        from flows.dispatch import dispatch
        from flows.handle_event import handle_event
        from flows.processing import store

        def run_until(limit: datetime) -> None:
            simulate(app, limit, dispatch=lambda moment: dispatch(until=moment.isoformat()))

        def deliver(at: datetime, event) -> None:  # type: ignore[no-untyped-def]
            run_until(at)
            inbox_id, _ = store(app=app, event=event, now=clock.now())
            handle_event(inbox_event_id=inbox_id, as_of=clock.now().isoformat())
            console.print(f"  {at:%Y-%m-%d %H:%M} event {event.type}")

        for at, event in story(lang):
            deliver(at, event)
        run_until(RESCHEDULE_AT)
        before = reschedule_snapshot(app)
        deliver(*start_date_moved(lang))
        after = reschedule_snapshot(app)
        play_learning(app=app, out=out, lang=lang, run_until=run_until, console=console)
        with console.status("dispatching every step up to day 90 …"):
            run_until(END)
    print_timeline(app, console=console, lang=lang)
    print_summary(app, console=console, before=before, after=after, out=out)
    print_addresses(app, console=console, lang=lang)
    save_badge(app=app, out=out, console=console)
    totals = ", ".join(f"{k} {v}" for k, v in learning_summary(app).items())
    console.print(f"[bold]Learning (aggregates, as HR sees them)[/]: {totals}")
    return app
