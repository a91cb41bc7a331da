"""Named errors of the domain core."""

from __future__ import annotations


class JourneyError(Exception):
    """Base class for every error the domain raises."""


class DefinitionError(JourneyError):
    """A journey or profile file is invalid; names file, line and field."""

    def __init__(self, *, file: str, line: int | None, field: str, message: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field}: {message}")


class DefinitionErrors(JourneyError):
    """Several definition errors found in one pass."""

    def __init__(self, errors: list[DefinitionError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class UnknownJourney(JourneyError):
    """A journey key that no definition has."""


class InvalidEvent(JourneyError):
    """A canonical event that does not hold together."""


class PlanningError(JourneyError):
    """A step could not be placed on the calendar."""
