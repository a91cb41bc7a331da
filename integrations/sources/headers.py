"""Case-insensitive HTTP headers, and 'Name: value' lines as the CLI and fixtures give them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 field-name
_REQUEST_LINE = re.compile(r"^[A-Z]+ \S+ HTTP/\d(\.\d)?$")


class HeaderMap(Mapping[str, str]):
    """Headers looked up without regard to case; repeated names are joined with ", "."""

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._values: dict[str, str] = {}
        for name, value in pairs:
            key = str(name).strip().lower()
            text = str(value)
            self._values[key] = f"{self._values[key]}, {text}" if key in self._values else text

    def __getitem__(self, name: str) -> str:
        return self._values[str(name).lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"HeaderMap({sorted(self._values)})"


def parse_header(line: str) -> tuple[str, str]:
    """Split one 'Name: value' line, or raise ValueError saying what is wrong."""
    name, sep, value = line.partition(":")
    name = name.strip()
    if not sep or not _TOKEN.match(name):
        raise ValueError(f"header {line!r} is not of the form 'Name: value'")
    return name, value.strip()


def parse_header_lines(lines: Iterable[str], *, lenient: bool = False) -> HeaderMap:
    """Parse 'Name: value' lines; lenient skips blanks, # comments and an HTTP request line."""
    pairs: list[tuple[str, str]] = []
    for line in lines:
        stripped = line.strip()
        if lenient and (not stripped or stripped.startswith("#") or _REQUEST_LINE.match(stripped)):
            continue
        pairs.append(parse_header(stripped))
    return HeaderMap(pairs)


def read_header_file(path: Path) -> HeaderMap:
    """Read a headers file as the fixtures keep them (comments and request line allowed)."""
    return parse_header_lines(path.read_text(encoding="utf-8").splitlines(), lenient=True)
