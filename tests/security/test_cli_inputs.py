"""Bad files through the real commands: exit code 2, a line naming the file, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli

BAD_FILES = {
    "binary": b"\x00\x01\x02\xff\xfe\x00" * 50,
    "not-utf8": "Tr\u00e8s bien: caf\u00e9".encode("latin-1"),
    "bad-date": b"---\ntitle: x\ndate_posted: 2027-02-30\n---\ntext",
    "deep": b"---\n" + b"[" * 5000 + b"\n---\ntext",
    "unclosed": b"---\ntitle: x\ntext without an end",
    "list-key": b"---\n[a]: 1\n---\ntext",
    "python-tag": b"---\na: !!python/object/apply:os.system [echo]\n---\ntext",
}


def run(*args: str) -> tuple[int, str]:
    """Run a leerpad command; return its exit code and everything it printed."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_vacancy_check_and_render_refuse_a_bad_file_clearly(tmp_path: Path, kind):
    path = tmp_path / f"{kind}.md"
    path.write_bytes(BAD_FILES[kind])
    for command in (["vacancy", "check", str(path)], ["vacancy", "render", str(path)]):
        code, output = run(*command)
        assert "Traceback" not in output
        if kind in ("binary", "not-utf8"):
            assert code == 2 and str(path) in output, output
        else:
            assert code in (0, 2), output
            if code == 2:
                assert str(path) in output, output


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_journeys_validate_refuses_a_bad_journey_file_clearly(tmp_path: Path, kind):
    folder = tmp_path / "journeys"
    folder.mkdir()
    raw = BAD_FILES[kind].replace(b"---\n", b"").replace(b"\n---\ntext", b"")
    (folder / "broken.yaml").write_bytes(raw)
    code, output = run("journeys", "validate", str(folder))
    assert "Traceback" not in output
    assert code == 2 and "broken.yaml" in output, output


@pytest.mark.parametrize("kind", ["binary", "not-utf8", "stray-cr", "huge-field"])
def test_hires_import_refuses_an_unreadable_csv_clearly(tmp_path: Path, monkeypatch, kind):
    monkeypatch.setenv("LEERPAD_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setenv("LEERPAD_OUTBOX_DIR", str(tmp_path / "outbox"))
    path = tmp_path / "hires.csv"
    data = {
        "stray-cr": b'email,start_date\r\n"a@b.org\r,2027-03-01\n"x\rq",2027\r\n',
        "huge-field": b"email,start_date\n" + b'"' + b"x" * 200_000 + b'",2027-03-01\n',
    }.get(kind) or BAD_FILES[kind]
    path.write_bytes(data)
    code, output = run("hires", "import", str(path))
    assert "Traceback" not in output
    assert code == 2 and "hires.csv" in output, output
