"""The journey catalog: the default definitions plus an employer's own folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from journeys.dsl import Journey, load_journey
from journeys.errors import DefinitionError, DefinitionErrors, UnknownJourney
from journeys.profile import EmployerProfile, load_profile

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
PROFILE_FILE = "organization.yaml"
LEARNING_CATALOG_FILE = "catalog.yaml"  # the learning catalog (journeys/learning), not a journey


@dataclass(frozen=True)
class Catalog:
    """Every journey definition by key."""

    journeys: dict[str, Journey] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    def get(self, key: str) -> Journey:
        """Return one journey.

        Raises:
            UnknownJourney: no definition has this key.
        """
        try:
            return self.journeys[key]
        except KeyError:
            known = ", ".join(sorted(self.journeys)) or "none"
            raise UnknownJourney(f"no journey {key!r}; known journeys: {known}") from None


def journey_files(directory: Path) -> list[Path]:
    """List the journey YAML files of a folder (the employer profile and catalog excluded)."""
    return sorted(
        p
        for p in directory.glob("*.y*ml")
        if p.suffix in (".yaml", ".yml") and p.name not in (PROFILE_FILE, LEARNING_CATALOG_FILE)
    )


def load_catalog(*directories: Path) -> Catalog:
    """Load journeys from the defaults, then from each folder given (later ones override).

    Raises:
        DefinitionErrors: every invalid file's problems, each with file, line and field.
    """
    journeys: dict[str, Journey] = {}
    files: dict[str, Path] = {}
    problems: list[DefinitionError] = []
    for directory in (DEFAULTS_DIR, *directories):
        if not directory.is_dir():
            problems.append(
                DefinitionError(
                    file=str(directory), line=None, field="(folder)", message="not a folder"
                )
            )
            continue
        for path in journey_files(directory):
            try:
                journey = load_journey(path)
            except DefinitionErrors as exc:
                problems += exc.errors
                continue
            except DefinitionError as exc:
                problems.append(exc)
                continue
            journeys[journey.key] = journey
            files[journey.key] = path
    if problems:
        raise DefinitionErrors(problems)
    return Catalog(journeys=journeys, files=files)


def load_employer_profile(path: Path | None) -> EmployerProfile:
    """Load the employer profile from a path, or the default one."""
    return load_profile(path or DEFAULTS_DIR / PROFILE_FILE)
