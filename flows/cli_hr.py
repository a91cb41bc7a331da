"""`leerpad hr hash-password`: make a password hash for LEERPAD_HR_USERS (no Prefect needed)."""

from __future__ import annotations

import sys

import click

from flows.cli_errors import UsageProblem


@click.group()
def hr() -> None:
    """Sign-in for the HR pages (/hr)."""


@hr.command("hash-password")
@click.option("--user", "name", help="Print `NAME:hash`, ready for LEERPAD_HR_USERS.")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from stdin.")
def hash_password_command(name: str | None, from_stdin: bool) -> None:
    """Hash an HR user's password with salted scrypt; the password itself is never printed.

    Put the `name:hash` pairs, separated by commas, in LEERPAD_HR_USERS and restart
    `leerpad serve`. Without --stdin the password is asked twice, without echo.
    """
    from integrations.http.hr_passwords import MAX_PASSWORD, NAME, hash_password

    if name is not None and not NAME.match(name):
        raise UsageProblem("--user takes 1-64 letters, digits or ._@- (e.g. --user anna)")
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
    if not password:
        raise UsageProblem("the password is empty; give one on stdin or at the prompt")
    if len(password) > MAX_PASSWORD:
        raise UsageProblem(f"the password is longer than {MAX_PASSWORD} characters")
    if len(password) < 12:
        raise UsageProblem("use a password of at least 12 characters")
    hashed = hash_password(password)
    click.echo(f"{name}:{hashed}" if name else hashed)
