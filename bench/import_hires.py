"""Bulk import benchmark: N hires from CSV through `leerpad hires import`, every step planned.

Writes a CSV of N hires (nl/en, several time zones, 50 managers, some coaches, personal emails),
upgrades a fresh database and runs `leerpad hires import FILE --json` in a subprocess. Reports
wall time, hires/s, the child's peak RSS and the steps planned. The baseline in the same run is a
plain executemany insert of N person rows into the same database (rolled back): the floor for
writing one row per hire.

    .venv/bin/python bench/import_hires.py --hires 10000
    .venv/bin/python bench/import_hires.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
LEERPAD = str(Path(sys.executable).parent / "leerpad")
ZONES = ("Europe/Amsterdam", "Europe/Amsterdam", "Europe/Brussels", "Europe/London",
         "America/New_York", "Asia/Kolkata", "")  # fmt: skip
TITLES = (
    ("Data-analist", "Klantinzicht"),
    ("Backend developer", "Platform"),
    ("Recruiter", "HR"),
    ("Accountmanager", "Sales"),
    ("Support engineer", "Service"),
)
HEADER = ("email", "first_name", "last_name", "start_date", "locale", "timezone", "title",
          "department", "manager_email", "coach_email", "personal_email")  # fmt: skip


def write_csv(path: Path, hires: int, *, seed: int = 7) -> None:
    """A realistic export: start dates over the next four months, 50 managers, 1 in 5 coached."""
    rnd, today = random.Random(seed), date.today()
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(hires):
            title, department = rnd.choice(TITLES)
            start = today + timedelta(days=rnd.randint(7, 120))
            out.writerow(
                (
                    f"hire{i}@voorbeeld.example", f"Voornaam{i}", f"Achternaam{i}",
                    start.isoformat(), rnd.choice(("nl", "nl", "en")), rnd.choice(ZONES),
                    title, department, f"manager{i % 50}@voorbeeld.example",
                    f"coach{rnd.randint(0, 19)}@voorbeeld.example" if rnd.random() < 0.2 else "",
                    f"prive{i}@example.net" if rnd.random() < 0.7 else "",
                )
            )  # fmt: skip


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run a child; return (seconds, its CPU seconds and peak RSS in MB from wait4, stdout).

    CPU seconds (user + system) say more than wall time on a machine shared with other work.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if proc.returncode not in (0, 2):  # 2: some rows refused; reported in the JSON
            raise SystemExit(f"{' '.join(argv[1:3])} failed: {err.read().decode()[-2000:]}")
        cpu = usage.ru_utime + usage.ru_stime
        return seconds, cpu, usage.ru_maxrss // 1024, out.read().decode()


def _baseline(url: str, hires: int) -> float:
    """Seconds for one executemany of N person rows, rolled back."""
    engine = create_engine(url)
    rows = [
        {"uid": uuid.uuid4().hex, "source": "bench", "email": f"base{i}@voorbeeld.example",
         "created_at": datetime.now(UTC).isoformat(sep=" ")}
        for i in range(hires)
    ]  # fmt: skip
    with engine.connect() as conn:
        columns = {c["name"] for c in _columns(conn)}
        rows = [{k: v for k, v in r.items() if k in columns} for r in rows]
        names = ", ".join(rows[0])
        values = ", ".join(f":{k}" for k in rows[0])
        started = time.perf_counter()
        conn.execute(text(f"INSERT INTO person ({names}) VALUES ({values})"), rows)
        seconds = time.perf_counter() - started
        conn.rollback()
    engine.dispose()
    return seconds


def _columns(conn):  # type: ignore[no-untyped-def]
    from sqlalchemy import inspect

    return inspect(conn).get_columns("person")


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {
            table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("person", "enrollment", "scheduled_step", "step_change", "inbox_event")
        }
    engine.dispose()
    return counts


def _fresh_postgres(url: str) -> tuple[str, object]:
    """Create a uniquely named database next to `url`; return its URL and a drop function."""
    name = f"leerpad_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def run(hires: int, db: str | None, leerpad: str = LEERPAD) -> dict[str, object]:
    """Generate, upgrade, import, count, and measure the baseline."""
    with tempfile.TemporaryDirectory() as tmp:
        drop = None
        if db and db.startswith("postgresql"):
            url, drop = _fresh_postgres(db)
        else:
            url = f"sqlite:///{tmp}/import.db"
        try:
            csv_path = Path(tmp) / "hires.csv"
            write_csv(csv_path, hires)
            env = os.environ | {"LEERPAD_DATABASE_URL": url, "LEERPAD_OUTBOX_DIR": f"{tmp}/out"}
            env.pop("PREFECT_API_URL", None)
            _child([leerpad, "db", "upgrade"], env)
            seconds, cpu, rss_mb, stdout = _child(
                [leerpad, "hires", "import", str(csv_path), "--json"], env
            )
            outcome = json.loads(stdout)
            counts = _counts(url)
            baseline = _baseline(url, hires)
        finally:
            if drop is not None:
                drop()  # type: ignore[operator]
    return {
        "database": make_url(url).get_backend_name(),
        "hires": hires,
        "imported": outcome["imported"],
        "errors": len(outcome["errors"]),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "hires_per_second": round(hires / seconds, 1),
        "peak_rss_mb": rss_mb,
        "planned_steps": counts["scheduled_step"],
        "step_changes": counts["step_change"],
        "enrollments": counts["enrollment"],
        "baseline_insert_seconds": round(baseline, 3),
        "ratio_to_baseline": round(seconds / baseline, 1) if baseline else None,
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hires", type=int, default=10_000, help="rows in the CSV (10000)")
    parser.add_argument("--db", help="PostgreSQL server URL; a fresh database is made and dropped")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    parser.add_argument("--leerpad", default=LEERPAD, help="executable to measure (another build)")
    args = parser.parse_args()
    result = run(args.hires, args.db, args.leerpad)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
