"""Chat for a batch of composed steps: send what the steps name, record it, leave email the rest.

A step's `channels:` may name Slack or Teams, as a direct message (`slack`, `teams`) or a post in
the employer's team channel (`slack-channel`, `teams-channel`). Routes the employer did not set up,
or a direct message to someone without a chat id, are passed over. Each chat message has a
deterministic id derived from the step; the ledger row is written right after the send, and a
message id already in the ledger is never sent again (a failed one was already made up for by
email). The person's email still goes when the step names `email` too, and whenever no direct
message reached them (a team post is in addition, never instead): email is the default and the
fallback.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flows.bootstrap import App
from integrations.chat.channels import ChatChannels
from integrations.chat.message import ChatMessage, ChatResult
from integrations.chat.render import POST_ROUTES, render_post, team_context
from integrations.compose import Composed, step_of
from integrations.mail.message import make_message_id
from journeys.dsl import Step
from models.chat import chat_identities, ledger_status, record_chat_send
from models.db import session_scope
from models.outbound import StepBundle, StepOutcome

log = logging.getLogger("leerpad.chat")
Pending = list[tuple[int, Composed]]


def deliver_chat(
    *, app: App, bundles: list[StepBundle], composed: Pending, now: datetime
) -> tuple[Pending, list[StepOutcome]]:
    """Send the chat messages of composed steps; return those that still go by email, and outcomes.

    The outcomes are of steps a direct message fully took care of (their email is not sent).
    """
    chat: ChatChannels | None = getattr(app, "chat", None)
    if chat is None or not composed:
        return composed, []
    by_id = {int(b.step.id or 0): b for b in bundles}
    plans = {}
    for sid, composition in composed:
        found = _chat_step(app, by_id.get(sid), composition)
        if found is not None:
            plans[sid] = found
    if not plans:
        return composed, []
    ids = _chat_ids(app, [b for _, b in plans.values()])
    email, outcomes = [], []
    for sid, composition in composed:
        if sid not in plans:
            email.append((sid, composition))
            continue
        step, bundle = plans[sid]
        messages = _messages(app, chat, step, bundle, composition, ids, now)
        results = [_send_once(app, chat, bundle, composition, m, now) for m in messages]
        sent = [(m, r) for m, r in zip(messages, results, strict=True) if r.ok]
        reached = any(m.target.kind == "dm" for m, _ in sent)  # a team post is never instead
        if step.email_always or not reached:
            email.append((sid, composition))  # the email goes too, or instead (fallback)
            continue
        routes = ",".join(m.target.route for m, _ in sent)
        outcomes.append(
            StepOutcome(sid, "sent", None, composition.sequence, f"chat: {routes}", "apprise")
        )
    return email, outcomes


def _chat_step(
    app: App, bundle: StepBundle | None, composed: Composed
) -> tuple[Step, StepBundle] | None:
    if bundle is None or composed.message is None or bundle.step.action != "send":
        return None
    journey = app.composer.catalog.journeys.get(bundle.enrollment.journey_key)
    if journey is None:
        return None
    step = step_of(journey, bundle.step.step_key)
    return (step, bundle) if step.chat_routes else None


def _recipient_id(bundle: StepBundle) -> int | None:
    person = bundle.recipient_override or bundle.people.get(bundle.step.recipient_role)
    if person is None or person.erased_at is not None or person.id is None:
        return None
    return int(person.id)


def _chat_ids(app: App, bundles: list[StepBundle]) -> dict[tuple[int, str], str]:
    people = {pid for b in bundles if (pid := _recipient_id(b)) is not None}
    with session_scope(app.engine) as session:
        return chat_identities(session=session, person_ids=people)


def _messages(
    app: App,
    chat: ChatChannels,
    step: Step,
    bundle: StepBundle,
    composed: Composed,
    ids: dict[tuple[int, str], str],
    now: datetime,
) -> list[ChatMessage]:
    """The chat messages of one step: one per route that is set up and has somewhere to go."""
    email = composed.message
    if email is None:
        return []
    row, person_id = bundle.step, _recipient_id(bundle)
    messages = []
    for route in step.chat_routes:
        service = "slack" if route.startswith("slack") else "teams"
        chat_id = ids.get((person_id, service)) if person_id is not None else None
        target = chat.target(route, chat_id=chat_id)
        if target is None:
            continue
        if route in POST_ROUTES:
            text, title = _team_post(app, chat, step, bundle, now), ""
        else:
            text, title = email.text, email.subject
        if not text.strip():
            continue  # nothing to post (e.g. the hire did not opt in to a shout-out)
        key = f"{row.uid}:{row.action}:{composed.sequence or 0}:chat:{route}"
        message_id = make_message_id(key=key, domain=app.composer.profile.mail_domain)
        messages.append(ChatMessage(message_id=message_id, target=target, text=text, title=title))
    return messages


def _team_post(app: App, chat: ChatChannels, step: Step, bundle: StepBundle, now: datetime) -> str:
    composer = app.composer
    bundle = composer.with_default_coach(bundle)
    context = team_context(
        bundle,
        step=step,
        locale=chat.team_locale,
        profile=composer.profile,
        links=composer.learning,
        now=now,
    )
    template = bundle.step.template
    try:
        return render_post(composer.renderer, template=template, locale=chat.team_locale,
                           context=context)  # fmt: skip
    except Exception as exc:  # a broken team post must not stop the step's email
        log.warning("step %s: team post not rendered: %s", bundle.step.id, type(exc).__name__)
        return ""


def _send_once(
    app: App,
    chat: ChatChannels,
    bundle: StepBundle,
    composed: Composed,
    message: ChatMessage,
    now: datetime,
) -> ChatResult:
    """Send a chat message unless the ledger has it; record the result right away."""
    with session_scope(app.engine) as session:
        known = ledger_status(session=session, message_ids=[message.message_id])
    if message.message_id in known:
        ok = known[message.message_id] == "sent"
        return ChatResult(message.message_id, ok=ok, permanent=not ok, detail="in the ledger")
    try:
        result = chat.send(message)
    except Exception as exc:  # a broken chat setup must not hold the step: email takes over
        result = ChatResult(message.message_id, ok=False, permanent=True, detail=type(exc).__name__)
    if not result.ok:
        log.warning(
            "step %s: %s not sent (%s, %s)",
            bundle.step.id,
            message.target.route,
            result.outcome,
            result.detail,
        )
    with session_scope(app.engine) as session:
        record_chat_send(
            session=session,
            step_id=int(bundle.step.id or 0),
            action=bundle.step.action,
            sequence=composed.sequence or 0,
            message_id=message.message_id,
            route=message.target.route,
            ok=result.ok,
            detail=f"{result.outcome}: {result.detail}",
            now=now,
        )
    return result
