"""Exit codes of the command line: 2 for bad input, 1 for operational failures."""

from __future__ import annotations

import click


class UsageProblem(click.ClickException):
    """Bad input: one clear line on stderr and exit code 2."""

    exit_code = 2


class OperationalProblem(click.ClickException):
    """A server down or a send that failed: exit code 1."""

    exit_code = 1
