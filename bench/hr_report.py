"""HR report benchmark: the culture counts and the whole report on a larger organisation.

Seeds N hires (tests/integration/hr_culture/seed.py's hire, spread over 20 teams) into SQLite
(and PostgreSQL with --postgres URL), then times, in the same run: the /hr overview counts
(baseline: the query behind GET /hr), the culture counts (all measures, 12 months), and
`load_report` + `render_report` (what `leerpad report` does).

    .venv/bin/python bench/hr_report.py --hires 1000
    .venv/bin/python bench/hr_report.py --hires 1000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _seed(engine, hires: int) -> None:
    from models.db import session_scope
    from models.people import Person
    from tests.integration.hr_culture.seed import NOW, Seeded, seed_hire, seed_vacancies

    seeded = Seeded()
    with session_scope(engine) as session:
        leader = Person(source="bench", external_id="lead", created_at=NOW)
        session.add(leader)
        session.flush()
        seed_vacancies(session, seeded)
        for n in range(1, hires + 1):
            seed_hire(session, n=n, team=f"Team {n % 20:02d}", leader=leader, seeded=seeded)


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def run(engine, hires: int, label: str) -> None:
    from integrations.hr_report import load_report, render_report
    from integrations.rendering import Renderer
    from journeys.catalog import load_employer_profile
    from journeys.culture import last_months, month_window
    from models.culture_queries import culture_counts, team_sizes
    from models.db import session_scope
    from models.hr_overview import hr_overview
    from tests.integration.hr_culture.seed import NOW

    began = time.perf_counter()
    _seed(engine, hires)
    seeded = time.perf_counter() - began
    start, end = month_window(last_months(NOW.date(), 12))
    profile, renderer = load_employer_profile(None), Renderer()

    def overview() -> None:
        with session_scope(engine) as session:
            hr_overview(session=session, now=NOW)

    def counts() -> None:
        with session_scope(engine) as session:
            team_sizes(session=session)
            culture_counts(session=session, start=start, end=end, now=NOW)

    def report() -> None:
        found = load_report(engine=engine, now=NOW, months=12, min_group=5)
        render_report(found, renderer=renderer, profile=profile, lang="en")

    base, culture, whole = _best(overview), _best(counts), _best(report)
    print(f"{label}: {hires} hires seeded in {seeded:.1f} s")
    print(f"  /hr overview counts (baseline) {base * 1000:8.1f} ms   1.0x")
    print(f"  culture counts, 12 months      {culture * 1000:8.1f} ms  {culture / base:5.1f}x")
    print(f"  load + render the report       {whole * 1000:8.1f} ms  {whole / base:5.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hires", type=int, default=1000)
    parser.add_argument("--postgres", help="also run on this PostgreSQL URL (a fresh schema)")
    args = parser.parse_args()
    if args.postgres:
        import os

        os.environ["LEERPAD_TEST_POSTGRES_URL"] = args.postgres  # read when tests.conftest loads
    from tests.conftest import drop_schema, postgres_engine, sqlite_engine

    with tempfile.TemporaryDirectory() as folder:
        engine = sqlite_engine(Path(folder))
        run(engine, args.hires, "SQLite")
        engine.dispose()
    if args.postgres:
        engine, schema = postgres_engine()
        try:
            run(engine, args.hires, "PostgreSQL")
        finally:
            engine.dispose()
            drop_schema(schema)


if __name__ == "__main__":
    main()
