"""Dispatch benchmark: due emails and invites through the Prefect `dispatch` flow vs the floor.

The floor is the same messages, pre-rendered, pushed over one reused smtplib connection to the
same loopback sink. Each phase runs in its own process so peak RSS is its own; `cpu_seconds` is
that process's CPU time over the timed part (steadier than wall time on a shared machine; the
sink's and Prefect's server's CPU are not in it).

    .venv/bin/python bench/dispatch.py --steps 10000            # all phases, prints a table
    .venv/bin/python bench/dispatch.py --steps 10000 --json
    .venv/bin/python bench/dispatch.py --steps 10000 \
        --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test  # on PostgreSQL

On PostgreSQL the seed goes into a scratch database made on that server; each phase gets its
own copy (CREATE DATABASE … TEMPLATE), and all of them are dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
START = date(2027, 3, 1)
NOW = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)
SETTLE_SECONDS = 1.0  # after the warm-up run, before the timed one (see leerpad())


def _url(db: Path | str) -> str:
    return db if isinstance(db, str) and "://" in db else f"sqlite:///{db}"


def _app(db: Path | str, smtp_port: int | None):
    from flows.bootstrap import bootstrap
    from integrations.settings import LeerpadSettings
    from journeys.clock import SimulatedClock

    settings = LeerpadSettings(
        database_url=_url(db),
        journeys_dir=ROOT / "bench" / "journeys",
        smtp_url=f"smtp://127.0.0.1:{smtp_port}" if smtp_port else None,
        outbox_dir=Path(tempfile.gettempdir()) / "leerpad-bench-outbox",
    )
    return bootstrap(settings=settings, clock=SimulatedClock(NOW))


def seed(db: Path | str, steps: int) -> None:
    """Create steps/5 hires enrolled in the bench journey (4 emails, 1 invite each)."""
    from models import Employment, Person
    from models.db import session_scope
    from models.migrate import upgrade_engine
    from models.planning import enroll_employment

    app = _app(db, None)
    upgrade_engine(app.engine)
    with session_scope(app.engine) as session:
        for i in range(steps // 5):
            person = Person(
                source="bench",
                external_id=f"h{i}",
                email=f"hire{i}@example.org",
                first_name="Bench",
                last_name=f"Hire {i}",
                locale="nl",
            )
            manager = Person(
                source="bench",
                external_id=f"m{i}",
                email=f"lead{i}@example.org",
                first_name="Lead",
                last_name=f"{i}",
            )
            session.add_all([person, manager])
            session.flush()
            employment = Employment(
                person_id=person.id,
                manager_id=manager.id,
                source="bench",
                start_date=START,
                created_at=NOW,
                updated_at=NOW,
            )
            session.add(employment)
            session.flush()
            enroll_employment(
                session=session,
                rules=app.rules,
                journey_key="bench",
                employment=employment,
                now=NOW - timedelta(days=90),
            )


def floor(db: Path | str, port: int) -> dict[str, float]:
    """Pre-render every due message, then time pushing them over one smtplib connection."""
    from sqlmodel import select

    from integrations.mail.mime import build_mime
    from models.db import session_scope
    from models.enrollment import ScheduledStep
    from models.outbound import load_bundles

    app = _app(db, None)
    with session_scope(app.engine) as session:
        ids = [int(i) for i in session.exec(select(ScheduledStep.id)).all()]
        bundles = load_bundles(session=session, step_ids=ids)
    messages = []
    for bundle in bundles:
        composed = app.composer.compose(bundle, now=NOW)
        message = composed.message
        messages.append((message.sender.email, [a.email for a in message.to], build_mime(message)))
    started, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, to, data in messages:
            smtp.sendmail(sender, to, data)
    return {
        "seconds": time.perf_counter() - started,
        "started_at": started,
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "messages": len(messages),
    }


def leerpad(db: Path | str, port: int, batch: int, processes: int = 0) -> dict[str, float]:
    """Time the Prefect dispatch flow delivering every due step to the sink (with `processes`
    above 1, batches in that many processes; their CPU time is counted in `cpu_seconds`)."""
    # a busy machine can take longer than Prefect's default to start its ephemeral server
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from flows.runner import prefect_session

    _app(db, port)  # bootstrap() makes it the app the flow uses
    with prefect_session():
        from flows.dispatch import dispatch

        dispatch(until=(NOW - timedelta(days=300)).isoformat())  # warm up: start Prefect
        # The ephemeral Prefect server records the warm-up's task runs just after it ends; a
        # flow run created meanwhile can get a 503 from its SQLite ("database is locked",
        # Prefect issue #18934) and its client retries ~2 s later. A scheduled run does not
        # start on the heels of another one: let the server settle first (BENCHMARKS.md).
        time.sleep(SETTLE_SECONDS)
        started, cpu, before = time.perf_counter(), time.process_time(), os.times()
        totals = dispatch(until=NOW.isoformat(), batch_size=batch, processes=processes)
        seconds, cpu, after = time.perf_counter() - started, time.process_time() - cpu, os.times()
    children = after.children_user + after.children_system
    children -= before.children_user + before.children_system  # the batch processes, reaped
    return {
        "seconds": seconds,
        "started_at": started,  # time.perf_counter(), as the sink's first_at and last_at
        "cpu_seconds": round(cpu + children, 2),
        "children_cpu_seconds": round(children, 2),
        "children_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "processes": processes,
        "messages": totals.get("sent", 0),
    }


def _sink(port: int, report: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port), str(report)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def _phase(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


class _Databases:
    """Scratch databases: SQLite files in a temporary directory, or PostgreSQL databases made
    from a template on the server of `server_url`."""

    def __init__(self, tmp: Path, server_url: str | None) -> None:
        self.tmp, self.server_url = tmp, server_url
        self.made: list[str] = []

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(sql))
        finally:
            engine.dispose()

    def _pg(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def seed(self) -> Path | str:
        if self.server_url is None:
            return self.tmp / "bench.db"
        name = f"leerpad_bench_{os.getpid()}_seed"
        self._admin(f"CREATE DATABASE {name}")
        self.made.append(name)
        return self._pg(name)

    def copy(self, seeded: Path | str, phase: str) -> Path | str:
        if self.server_url is None:
            copy = self.tmp / f"{phase}.db"
            copy.write_bytes(Path(seeded).read_bytes())
            return copy
        name = f"leerpad_bench_{os.getpid()}_{phase}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {self.made[0]}")
        self.made.append(name)
        return self._pg(name)

    def drop(self) -> None:
        for name in reversed(self.made):
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(steps: int, batch: int, db_url: str | None = None, processes: int = 0) -> dict:
    """Seed, then run floor and leerpad phases in separate processes against their own sinks."""
    results: dict = {
        "steps": steps,
        "batch": batch,
        "processes": processes,
        "database": "postgresql" if db_url else "sqlite",
    }
    with tempfile.TemporaryDirectory() as tmp:
        databases = _Databases(Path(tmp), db_url)
        try:
            db = databases.seed()
            t0 = time.perf_counter()
            _phase(["--phase", "seed", "--db", str(db), "--steps", str(steps)])
            results["seed_seconds"] = round(time.perf_counter() - t0, 1)
            for name in ("floor", "leerpad"):
                copy = databases.copy(db, name)
                port = 20000 + os.getpid() % 20000 + (1 if name == "floor" else 2)
                report = Path(tmp) / f"{name}.json"
                sink = _sink(port, report)
                try:
                    phase = _phase(
                        ["--phase", name, "--db", str(copy), "--port", str(port),
                         "--batch", str(batch), "--processes", str(processes)]
                    )  # fmt: skip
                finally:
                    sink.terminate()
                    sink.wait(timeout=30)
                sink_report = json.loads(report.read_text())
                started_at = phase.pop("started_at")
                phase["first_message_seconds"] = round(sink_report.pop("first_at") - started_at, 2)
                phase["after_last_message_seconds"] = round(
                    started_at + phase["seconds"] - sink_report.pop("last_at"), 2
                )  # the timed part: start -> first message at the sink ... last message -> end
                phase["sink"] = sink_report
                phase["per_second"] = round(phase["messages"] / phase["seconds"], 1)
                results[name] = phase
        finally:
            databases.drop()
    results["ratio"] = round(results["leerpad"]["per_second"] / results["floor"]["per_second"], 3)
    return results


def main() -> None:
    """Command line: run all phases (default) or one phase in this process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--phase", choices=["seed", "floor", "leerpad"])
    parser.add_argument("--db", help="a phase's database: SQLite file or database URL")
    parser.add_argument(
        "--db-url", help="run on PostgreSQL: a URL of the server (scratch databases are made)"
    )
    parser.add_argument("--port", type=int)
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="dispatch batches in this many processes (0: automatic, as the setting)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.phase == "seed":
        seed(args.db, args.steps)
        print(json.dumps({"ok": True}))
        return
    if args.phase:
        phase = {
            "floor": lambda: floor(args.db, args.port),
            "leerpad": lambda: leerpad(args.db, args.port, args.batch, args.processes),
        }[args.phase]()
        phase["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        phase["load_average"] = round(os.getloadavg()[0], 1)  # how busy the machine was
        print(json.dumps(phase))
        return
    results = run(args.steps, args.batch, args.db_url, args.processes)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"{results['steps']} due steps, batch {results['batch']}, {results['database']}, "
        f"{results['processes']} process(es) "
        f"(seed {results['seed_seconds']} s)"
    )
    for name in ("floor", "leerpad"):
        r = results[name]
        print(
            f"  {name:8} {r['messages']:>6} msgs  {r['seconds']:7.1f} s  {r['per_second']:8.1f}/s  "
            f"first after {r['first_message_seconds']} s, "
            f"end {r['after_last_message_seconds']} s after the last  "
            f"peak RSS {r['peak_rss_mb']} MB  "
            f"sink: {r['sink']}"
        )
    print(f"  leerpad / floor throughput: {results['ratio']:.3f}")


if __name__ == "__main__":
    main()
