"""The one Jinja2 environment: email templates per locale, rendered strictly and checked statically.

Templates live in `templates/email/<locale>/<journey>/<step>.{subject,txt,html}.j2`. HTML is
autoescaped, text and subject are not. Every variable must be in the context contract
(`CONTEXT_SCHEMA`); `validate` finds unknown names and attributes without rendering anything.
"""

from __future__ import annotations

import difflib
import threading
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    meta,
    nodes,
    select_autoescape,
)

from integrations.errors import IntegrationError
from journeys.dsl import LOCALES

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
PARTS: tuple[str, ...] = ("subject", "txt", "html")

_PERSON: dict[str, Any] = {"first_name": None, "last_name": None, "display_name": None}
_LEARNING = (
    "budget_per_year currency study_hours_per_month training_days_per_year academy_name "
    "academy_url coaching_sessions coaching_every_weeks coaching_duration_minutes knowledge_sharing"
)
_INVITE = (
    "summary start_text end_text duration_minutes location series_text sequence is_update removed "
    "moved agenda"
)
_ITEM = "title url minutes platform kind language reason question done done_url position total"
_LEARNING_VIEW: dict[str, Any] = {
    "goals": None,
    "goals_url": None,
    "playlist": None,
    "item": dict.fromkeys(_ITEM.split()),
    "progress": dict.fromkeys(("done", "total")),
    "agenda": None,
    "share_url": None,
    "shares": None,
    "shares_new": None,
    "shares_total": None,
    "reflection_url": None,
    "badge": dict.fromkeys(("name", "description", "url")),
    "shout_out": None,
}

# Every top-level name a template may use, and the keys below it (None: any attribute is fine).
CONTEXT_SCHEMA: dict[str, Any] = {
    "locale": None,
    "recipient": _PERSON,
    "new_hire": _PERSON | dict.fromkeys(("title", "department", "start_date", "start_date_text")),
    "candidate": _PERSON,
    "leader": _PERSON,
    "coach": _PERSON,
    "buddy": _PERSON,
    "vacancy": dict.fromkeys(("title", "department", "promises", "plan_preview")),
    "application": dict.fromkeys(("stage", "rejection_reason")),
    "org": {"name": None, "website": None, "learning": dict.fromkeys(_LEARNING.split())},
    "step": dict.fromkeys(("key", "title", "channel", "at_text")),
    "invite": dict.fromkeys(_INVITE.split()),
    "handover": dict.fromkeys(("done", "upcoming")),
    "learning": _LEARNING_VIEW,
    "retention": dict.fromkeys(("weeks", "consent_months")),
}
_DICT_METHODS = frozenset({"get", "items", "keys", "values"})
_JINJA_SPECIALS = frozenset({"super", "self", "loop", "caller", "varargs", "kwargs"})
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


class RenderingError(IntegrationError):
    """A template is missing, invalid, or uses a value the context does not have."""


@dataclass(frozen=True)
class RenderedEmail:
    """One message's three rendered parts."""

    subject: str
    text: str
    html: str


def money(amount: int, currency: str = "EUR", locale: str = "nl") -> str:
    """Format a whole amount: '€ 1.500' in Dutch (a no-break space), '€1,500' in English."""
    digits = f"{amount:,}"
    symbol = _SYMBOLS.get(currency.upper())
    if locale == "nl":
        return f"{symbol or currency}\u00a0{digits.replace(',', '.')}"
    return f"{symbol}{digits}" if symbol else f"{currency}\u00a0{digits}"


class Renderer:
    """Renders and validates email templates with the one strict, autoescaping environment."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        self.templates_dir = Path(templates_dir) if templates_dir else DEFAULT_TEMPLATES_DIR
        self.env = Environment(
            loader=FileSystemLoader(str(self.templates_dir), encoding="utf-8"),
            undefined=StrictUndefined,
            autoescape=select_autoescape(
                enabled_extensions=("html.j2", "html"), default_for_string=False, default=False
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            cache_size=1000,
        )
        self.env.filters["money"] = money
        self._steady_lock, self._steady_blocks = threading.Lock(), 0

    @contextmanager
    def steady(self) -> Iterator[None]:
        """Within the block, templates (and the layouts they extend) are taken from Jinja's
        cache without checking that their files changed (auto-reload costs a stat per template
        per render). For one dispatch batch; while any block is open, in every thread."""
        with self._steady_lock:
            self._steady_blocks += 1
            self.env.auto_reload = False
        try:
            yield
        finally:
            with self._steady_lock:
                self._steady_blocks -= 1
                if not self._steady_blocks:
                    self.env.auto_reload = True

    def template_names(self, *, template: str, locale: str) -> list[str]:
        """Return the subject, text and HTML template names of one email."""
        return [f"email/{locale}/{template}.{part}.j2" for part in PARTS]

    def has_email(self, *, template: str, locale: str) -> bool:
        """Tell whether all three parts of an email exist."""
        return all(
            self._exists(name) for name in self.template_names(template=template, locale=locale)
        )

    def render_email(
        self, *, template: str, locale: str, context: Mapping[str, Any]
    ) -> RenderedEmail:
        """Render subject, text and HTML of one email (template like 'new-hire/welcome').

        Raises:
            RenderingError: unknown locale, a missing or invalid template, or a missing value.
        """
        if locale not in LOCALES:
            raise RenderingError(f"unknown locale {locale!r}; use one of {', '.join(LOCALES)}")
        subject, text, html = (
            self._render(name, context)
            for name in self.template_names(template=template, locale=locale)
        )
        return RenderedEmail(subject=" ".join(subject.split()), text=text, html=html)

    def validate(self, *, template: str, locale: str) -> list[str]:
        """Return the problems of one email's templates and the templates they use, or []."""
        problems: list[str] = []
        seen: set[str] = set()
        for name in self.template_names(template=template, locale=locale):
            problems += self._check(name, seen=seen)
        return problems

    def _exists(self, name: str) -> bool:
        return (self.templates_dir / name).is_file()

    def _render(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            return self.env.get_template(name).render(context)
        except TemplateNotFound as exc:
            raise RenderingError(f"{name}: missing template {exc.name}") from None
        except TemplateSyntaxError as exc:
            raise RenderingError(f"{exc.name or name}:{exc.lineno}: {exc.message}") from None
        except TemplateError as exc:
            raise RenderingError(f"{_where(exc, name)}: {exc}") from None

    def _check(self, name: str, *, seen: set[str]) -> list[str]:
        if name in seen:
            return []
        seen.add(name)
        if not self._exists(name):
            return [f"{name}: missing template"]
        source = (self.templates_dir / name).read_text(encoding="utf-8")
        try:
            tree = self.env.parse(source, name)
            self.env.compile(source, name)  # also catches unknown filters and tests
        except TemplateSyntaxError as exc:
            return [f"{name}:{exc.lineno}: {exc.message}"]
        problems = _unknown_names(
            tree, name, allowed=set(CONTEXT_SCHEMA) | set(self.env.globals) | _JINJA_SPECIALS
        )
        problems += _unknown_attributes(tree, name)
        for line, ref in _references(tree):
            if not self._exists(ref):
                problems.append(f"{name}:{line}: uses missing template {ref!r}")
            else:
                problems += self._check(ref, seen=seen)
        return problems


def _references(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    """Yield (line, name) of every template a template extends, includes or imports by name."""
    kinds = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
    for node in tree.find_all(kinds):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            yield node.lineno, target.value


def _where(exc: BaseException, fallback: str) -> str:
    """Return 'template:line' of the innermost template frame of an error."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return fallback
    frame = frames[-1]
    return f"{_relative(frame.filename)}:{frame.lineno}"


def _relative(filename: str) -> str:
    parts = Path(filename).parts
    return "/".join(parts[parts.index("email") :]) if "email" in parts else filename


def _unknown_names(tree: nodes.Template, name: str, *, allowed: set[str]) -> list[str]:
    problems = []
    for unknown in sorted(meta.find_undeclared_variables(tree) - allowed):
        lines = sorted({n.lineno for n in tree.find_all(nodes.Name) if n.name == unknown})
        close = difflib.get_close_matches(unknown, sorted(CONTEXT_SCHEMA), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems += [f"{name}:{line}: unknown variable {unknown!r}{hint}" for line in lines]
    return problems


def _chain(node: nodes.Node) -> tuple[str, list[str]] | None:
    """Return (root name, [attr, ...]) for `a.b.c` or `a['b']`, else None."""
    path: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            path.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            path.append(str(node.arg.value))
            node = node.node
        elif isinstance(node, nodes.Name) and node.ctx == "load":
            return node.name, path[::-1]
        else:
            return None


def _assigned(tree: nodes.Template) -> set[str]:
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}


def _walk_attributes(tree: nodes.Template) -> Iterator[tuple[int, str, str]]:
    shadowed = _assigned(tree)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        found = _chain(node)
        if found is None or found[0] not in CONTEXT_SCHEMA or found[0] in shadowed:
            continue
        root, path = found
        schema: Any = CONTEXT_SCHEMA[root]
        for depth, attr in enumerate(path):
            if schema is None or attr in _DICT_METHODS:
                break
            if attr not in schema:
                yield node.lineno, ".".join([root, *path[: depth + 1]]), ", ".join(sorted(schema))
                break
            schema = schema[attr]


def _unknown_attributes(tree: nodes.Template, name: str) -> list[str]:
    problems = []
    seen: set[tuple[int, str]] = set()
    for line, dotted, known in _walk_attributes(tree):
        if (line, dotted) not in seen:
            seen.add((line, dotted))
            problems.append(f"{name}:{line}: unknown field {dotted!r} (known: {known})")
    return problems
