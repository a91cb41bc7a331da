"""xAPI statements: read incoming ones (no raw emails kept) and write pseudonymous ones out."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from integrations.errors import IntegrationError
from journeys.learning.credential import iso_z

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {f"{ADL}{v}": v for v in ("completed", "experienced", "attended", "answered")}
COMPLETING = {"completed", "attended"}
_LANG = {"nl": "nl-NL", "en": "en-US"}


class StatementError(IntegrationError):
    """An xAPI statement this endpoint cannot accept."""


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class Account(_Loose):
    homePage: str  # noqa: N815 - xAPI property names
    name: str


class Actor(_Loose):
    account: Account | None = None
    mbox_sha1sum: str | None = Field(default=None, pattern=r"^[0-9a-fA-F]{40}$")
    mbox: str | None = None


class Verb(_Loose):
    id: str


class Activity(_Loose):
    id: str = Field(min_length=1, max_length=500)


class Statement(_Loose):
    id: uuid.UUID | None = None
    actor: Actor
    verb: Verb
    object: Activity


@dataclass(frozen=True)
class Incoming:
    """What Leerpad keeps of a statement: ids, the verb, and a pseudonymous actor reference."""

    statement_id: str
    verb: str
    object_id: str
    account_name: str | None
    mbox_sha1: str | None


def read_statement(data: Any) -> Incoming:
    """Validate one statement; a plain `mbox` is hashed at once and never kept.

    Raises:
        StatementError: not a statement, an unknown verb, or an actor without an identifier.
    """
    try:
        statement = Statement.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StatementError(f"invalid statement at {where}: {first['msg']}") from None
    verb = VERBS.get(statement.verb.id)
    if verb is None:
        raise StatementError(f"unsupported verb {statement.verb.id!r}; use {', '.join(VERBS)}")
    actor = statement.actor
    mbox_sha1 = actor.mbox_sha1sum.lower() if actor.mbox_sha1sum else None
    if actor.mbox and not mbox_sha1:
        mbox_sha1 = hashlib.sha1(actor.mbox.strip().lower().encode()).hexdigest()  # noqa: S324
    account = actor.account.name if actor.account else None
    if not (account or mbox_sha1):
        raise StatementError("actor needs an account or an mbox_sha1sum")
    return Incoming(
        statement_id=str(statement.id or uuid.uuid4()),
        verb=verb,
        object_id=statement.object.id,
        account_name=account,
        mbox_sha1=mbox_sha1,
    )


def statement_id(*, home_page: str, actor_name: str, verb: str, object_id: str) -> str:
    """A deterministic statement id (UUID v5), so re-sending is idempotent at the LRS."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, home_page)
    return str(uuid.uuid5(namespace, f"{actor_name}|{verb}|{object_id}"))


def completion_statement(
    *, home_page: str, actor_name: str, object_id: str, title: str, language: str,
    completed_at: datetime,
) -> dict[str, Any]:  # fmt: skip
    """A 'completed' statement about a playlist item with a pseudonymous account actor."""
    lang = _LANG.get(language, "en-US")
    return {
        "id": statement_id(
            home_page=home_page, actor_name=actor_name, verb="completed", object_id=object_id
        ),
        "actor": {"objectType": "Agent", "account": {"homePage": home_page, "name": actor_name}},
        "verb": {"id": f"{ADL}completed", "display": {"en-US": "completed", "nl-NL": "voltooide"}},
        "object": {
            "objectType": "Activity",
            "id": object_id,
            "definition": {"name": {lang: title}},
        },
        "timestamp": iso_z(completed_at),
        "context": {"platform": "Leerpad", "language": lang},
    }
