"""YAML loading that remembers the line of every key, for precise error messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from journeys.errors import DefinitionError, DefinitionErrors


class LineDict(dict):
    """A mapping that knows the line (1-based) of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence that knows the line (1-based) of each of its items."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise DefinitionError(
                    file="",
                    line=key_node.start_mark.line + 1,
                    field="(key)",
                    message="a key must be a word or a number, not a list or a mapping",
                )
            if key in mapping:
                raise DefinitionError(
                    file="",
                    line=key_node.start_mark.line + 1,
                    field=str(key),
                    message="duplicate key",
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        seq = LineList(self.construct_object(child, deep=True) for child in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [child.start_mark.line + 1 for child in node.value]
        return seq

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date or time; an impossible one (2027-02-30, year 0) is an error on its line."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise DefinitionError(
                file="", line=node.start_mark.line + 1, field="(date)",
                message=f"{node.value!r} is not a valid date or time ({exc})",
            ) from None  # fmt: skip


# YAML 1.2 booleans only: `on:`, `yes`, `no`, `off` stay strings (a step's `on:` key must work).
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


def load_yaml(text: str, *, file: str) -> Any:
    """Parse YAML text into LineDict/LineList values; syntax errors become DefinitionErrors."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except DefinitionError as exc:
        raise DefinitionErrors(
            [DefinitionError(file=file, line=exc.line, field=exc.field, message=exc.message)]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DefinitionErrors(
            [
                DefinitionError(
                    file=file, line=line, field="(syntax)", message=str(exc.problem or exc)
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise DefinitionErrors(
            [DefinitionError(file=file, line=None, field="(syntax)", message=str(exc))]
        ) from None
    except RecursionError:
        message = "nested too deeply to read; flatten the lists and mappings"
        raise DefinitionErrors(
            [DefinitionError(file=file, line=None, field="(syntax)", message=message)]
        ) from None


def load_yaml_file(path: Path) -> Any:
    """Read and parse one YAML file, keeping line numbers."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error = DefinitionError(file=str(path), line=None, field="(file)", message=str(exc))
        raise DefinitionErrors([error]) from None
    return load_yaml(text, file=str(path))


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """Return the best line for a pydantic error location inside parsed YAML."""
    best = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            best = node.key_lines.get(part, best)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_lines[part]
            node = node[part]
        else:
            break
    return best


def field_path(loc: tuple[Any, ...]) -> str:
    """Render a pydantic location as a dotted path, e.g. steps[3].channel."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(root)"


def validation_errors(exc: Any, *, data: Any, file: str) -> list[DefinitionError]:
    """Turn a pydantic ValidationError on YAML data into DefinitionErrors with lines."""
    errors = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # pydantic adds union/tag names to loc; keep only parts that exist in the data
        errors.append(
            DefinitionError(
                file=file,
                line=line_of(data, loc),
                field=field_path(loc),
                message=err["msg"],
            )
        )
    return errors
