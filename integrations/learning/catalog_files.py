"""Read a learning catalog from a YAML or CSV file (LEERPAD_LEARNING_CATALOG)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from journeys.errors import DefinitionError, DefinitionErrors
from journeys.learning.catalog import LearningCatalog, catalog_from_rows, load_default_catalog
from journeys.learning.catalog import parse_catalog as parse_yaml_catalog

CSV_COLUMNS = (
    "id, title, url, minutes, language, platform, kind, roles, skills, levels, "
    "question_nl, question_en"
)


def parse_csv_catalog(text: str, *, file: str) -> LearningCatalog:
    """Validate a CSV catalog: a header row, tags separated by ';'; errors give the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise DefinitionErrors(
            [DefinitionError(file=file, line=1, field="(header)",
                             message=f"expected a header row with: {CSV_COLUMNS}")]
        )  # fmt: skip
    return catalog_from_rows(reader, file=file)


def load_catalog_file(path: Path | None) -> LearningCatalog:
    """Read the employer's catalog (YAML or CSV by suffix), or the starter catalog.

    Raises:
        DefinitionErrors: every problem, each with file, line and field.
    """
    if path is None:
        return load_default_catalog()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionErrors(
            [DefinitionError(file=str(path), line=None, field="(file)", message=str(exc))]
        ) from None
    if path.suffix.lower() == ".csv":
        return parse_csv_catalog(text, file=str(path))
    return parse_yaml_catalog(text, file=str(path))
