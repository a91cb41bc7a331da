"""The domain core stays pure: journeys/ imports no infrastructure library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"
FORBIDDEN = {
    "prefect",
    "sqlmodel",
    "sqlalchemy",
    "emails",
    "icalendar",
    "jinja2",
    "httpx",
    "requests",
    "smtplib",
    "alembic",
    "psycopg",
    "fastapi",
    "models",
    "integrations",
    "flows",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_journeys_imports_no_infrastructure():
    files = sorted(JOURNEYS.rglob("*.py"))
    assert len(files) >= 8
    offenders = {p.name: imported_roots(p) & FORBIDDEN for p in files}
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_the_checker_catches_a_forbidden_import(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("from prefect import flow\nimport sqlmodel.main\n", encoding="utf-8")
    assert imported_roots(bad) & FORBIDDEN == {"prefect", "sqlmodel"}


def test_help_does_not_import_prefect():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom flows.cli import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "print('prefect' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
