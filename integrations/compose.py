"""Compose one claimed step into an outgoing message: context, templates, invite, headers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from integrations.calendar.invite import Meeting, build_cancel, build_request
from integrations.context import build_context, datetime_text, series_text
from integrations.learning.context import learning_view
from integrations.learning.links import LearningLinks
from integrations.learning.steps import AGENDA_STEPS, LEARNING_STEPS, agenda_text
from integrations.mail.message import Address, CalendarPart, OutgoingMessage, make_message_id
from integrations.rendering import Renderer
from journeys.addressing import HIRE_ROLES, ChosenAddress, colleague_address, hire_address
from journeys.catalog import Catalog
from journeys.dsl import Journey, Localized, Step
from journeys.learning.catalog import LearningCatalog
from journeys.learning.preview import plan_preview
from journeys.learning.spacing import is_playlist_slot
from journeys.profile import EmployerProfile
from journeys.workcalendar import WorkCalendar
from models.outbound import StepBundle
from models.people import Person
from models.planning import zone_of

SYSTEM_STEPS: dict[str, Step] = {
    "handover": Step(
        key="handover",
        title=Localized(nl="Overdracht van de onboarding", en="Onboarding handover"),
        channel="email",
        to="leader",
    ),
    **LEARNING_STEPS,
}
_DONE = ("sent", "skipped", "failed", "cancelled")


def step_of(journey: Journey, key: str) -> Step:
    """Return a journey's step, or a system step such as the handover brief."""
    if key in SYSTEM_STEPS:
        return SYSTEM_STEPS[key]
    return journey.step(key)


@dataclass(frozen=True)
class Composed:
    """A message ready to send, or the reason the step is skipped."""

    message: OutgoingMessage | None
    sequence: int | None = None
    skip_reason: str = ""
    address: ChosenAddress | None = None  # the step recipient's address and its kind
    # Besides the message: cancels that take the invite out of a calendar it no longer lives in.
    also: tuple[OutgoingMessage, ...] = ()
    also_sent_to: tuple[str, str | None] | None = None  # (address, kind) the `also` messages use


def parse_sender(value: str) -> Address:
    """Turn LEERPAD_MAIL_FROM ('Name <addr>') into an Address."""
    name, email = parseaddr(value)
    return Address(email=email or value, name=name or None)


def choose_address(
    person: Person | None,
    *,
    role: str = "colleague",
    bundle: StepBundle | None = None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    profile: EmployerProfile | None = None,
) -> ChosenAddress | None:
    """Choose the address a person gets this message at (journeys/addressing.py has the rule).

    A candidate or new hire gets their personal address before the first working day of the
    bundle's employment and their work address from then on; colleagues their work address.
    """
    if person is None or person.erased_at is not None:
        return None
    if role not in HIRE_ROLES or now is None:
        return colleague_address(
            personal=person.personal_email, work=person.work_email, legacy=person.email
        )
    employment = bundle.employment if bundle is not None else None
    zone = zone_of(person, profile) if profile is not None else ZoneInfo("UTC")
    return hire_address(
        personal=person.personal_email,
        work=person.work_email,
        legacy=person.email,
        start_date=employment.start_date if employment is not None else None,
        zone=zone,
        at=now,
        calendar=calendar,
    )


def address_of(person: Person | None, chosen: ChosenAddress | None = None) -> Address | None:
    """Return where a person gets mail (their colleague address unless `chosen`), or None."""
    chosen = chosen or choose_address(person)
    if person is None or chosen is None:
        return None
    name = " ".join(p for p in (person.first_name, person.last_name) if p) or None
    return Address(email=chosen.email, name=name)


class Composer:
    """Builds messages for steps with the one renderer, the catalog and the employer profile."""

    def __init__(
        self,
        *,
        renderer: Renderer,
        catalog: Catalog,
        profile: EmployerProfile,
        sender: Address,
        learning: LearningLinks | None = None,
        calendar: WorkCalendar | None = None,
        learning_catalog: LearningCatalog | None = None,
    ) -> None:
        self.renderer = renderer
        self.catalog = catalog
        self.profile = profile
        self.sender = sender
        self.learning = learning  # signed form links; None: emails carry no form links
        self.learning_catalog = learning_catalog  # previews a candidate's playlist; None: none
        self.calendar = calendar or WorkCalendar.from_profile(profile)  # when work mail starts
        self._default_coach: Person | None = None  # the profile's coaching contact, built once

    def choose(
        self, person: Person | None, *, role: str, bundle: StepBundle, now: datetime
    ) -> ChosenAddress | None:
        """The address `person`, in `role` on this step, gets a message sent at `now`."""
        return choose_address(
            person, role=role, bundle=bundle, now=now, calendar=self.calendar, profile=self.profile
        )

    def with_default_coach(self, bundle: StepBundle) -> StepBundle:
        """Fill in the employer's coaching contact when the HR system named no coach."""
        contact = self.profile.learning.coaching.coach
        if contact is None or bundle.employment is None or bundle.people.get("coach") is not None:
            return bundle
        if self._default_coach is None:  # one unsaved row for every message: building it is slow
            self._default_coach = Person(
                source="profile", first_name=contact.name, email=contact.email
            )
        return replace(bundle, people={**bundle.people, "coach": self._default_coach})

    def compose(self, bundle: StepBundle, *, now: datetime) -> Composed:
        """Compose the message for one step (send, invite update or invite cancel)."""
        bundle = self.with_default_coach(bundle)
        row = bundle.step
        journey = self.catalog.get(bundle.enrollment.journey_key)
        step = step_of(journey, row.step_key)
        recipient = bundle.recipient_override or bundle.people.get(row.recipient_role)
        role = "removed" if bundle.recipient_override else row.recipient_role
        chosen = self.choose(recipient, role=role, bundle=bundle, now=now)
        to = address_of(recipient, chosen)
        if recipient is None or to is None:
            return Composed(None, skip_reason=f"no {row.recipient_role} with an address")
        locale = recipient.locale if recipient.locale in self.profile.locales else None
        locale = locale or self.profile.default_locale
        zone = zone_of(recipient, self.profile)
        learning = learning_view(
            bundle,
            locale=locale,
            recipient_uid=recipient.uid,
            links=self.learning,
            now=now,
            private=step.invite is None,
        )
        if row.action == "send" and is_playlist_slot(row.template):
            if learning is None or learning["item"] is None:
                return Composed(None, skip_reason="no playlist item left for this slot")
        invite, meeting = self._invite(
            bundle,
            step=step,
            locale=locale,
            zone=zone,
            only=to if bundle.recipient_override else None,
            agenda=learning["agenda"] if learning and step.key in AGENDA_STEPS else [],
            now=now,
        )
        context = build_context(
            bundle=bundle,
            step=step,
            step_title=step.title.get(locale),
            recipient=recipient,
            locale=locale,
            profile=self.profile,
            due_local=row.due_at.astimezone(zone),
            invite=invite,
            handover=self._handover(bundle, locale=locale, zone=zone),
            learning=learning,
        )
        if context["vacancy"] is not None:
            context["vacancy"]["plan_preview"] = self._plan_preview(bundle, locale=locale)
        template = row.template if row.action == "send" else f"_invite/{row.action}"
        rendered = self.renderer.render_email(template=template, locale=locale, context=context)
        recipients = (to,)
        calendar = None
        sequence = None
        if meeting is not None:
            recipients = meeting.attendees or recipients
            sequence = meeting.sequence
            build = build_cancel if row.action == "cancel" else build_request
            method = "CANCEL" if row.action == "cancel" else "REQUEST"
            calendar = CalendarPart(ics=build(meeting, dtstamp=now), method=method)
        key = f"{row.uid}:{row.action}:{sequence if sequence is not None else 0}"
        message = OutgoingMessage(
            message_id=make_message_id(key=key, domain=self.profile.mail_domain),
            sender=self.sender,
            to=recipients,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            locale=locale,
            date=now,
            calendar=calendar,
            headers=(("Auto-Submitted", "auto-generated"), ("X-Leerpad-Step", row.uid)),
        )
        old = self._former_calendar(bundle, role=role, chosen=chosen, meeting=meeting)
        if old is None or meeting is None or invite is None:
            return Composed(message, sequence=sequence, address=chosen)
        copy = self._cancel_copy(
            bundle, meeting=meeting, invite=invite, context=context, to=to, old=old[0],
            locale=locale, now=now,
        )  # fmt: skip
        return Composed(message, sequence=sequence, address=chosen, also=(copy,), also_sent_to=old)

    def _former_calendar(
        self, bundle: StepBundle, *, role: str, chosen: ChosenAddress | None, meeting: Any
    ) -> tuple[str, str | None] | None:
        """The hire's former address when their invite went there and now goes elsewhere (the
        first working day moved it from the personal to the work address), else None."""
        before = bundle.invite_sent_to
        if meeting is None or bundle.recipient_override or role not in HIRE_ROLES:
            return None
        if before is None or chosen is None or before[0].lower() == chosen.email.lower():
            return None
        return before

    def _cancel_copy(
        self, bundle: StepBundle, *, meeting: Any, invite: dict[str, Any],
        context: dict[str, Any], to: Address, old: str, locale: str, now: datetime,
    ) -> OutgoingMessage:  # fmt: skip
        """METHOD:CANCEL for the copy of an invite in the hire's former calendar: same UID and
        SEQUENCE, only the former address as attendee; the mail says the meeting moved (or, for a
        cancelled meeting, that it is off)."""
        row = bundle.step
        former = Address(email=old, name=to.name)
        moved = row.action != "cancel"
        copy = replace(meeting, attendees=(former,))
        view = {**invite, "moved": moved, "removed": False}
        rendered = self.renderer.render_email(
            template="_invite/cancel", locale=locale, context={**context, "invite": view}
        )
        key = f"{row.uid}:former-calendar:{meeting.sequence}"
        return OutgoingMessage(
            message_id=make_message_id(key=key, domain=self.profile.mail_domain),
            sender=self.sender,
            to=(former,),
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            locale=locale,
            date=now,
            calendar=CalendarPart(ics=build_cancel(copy, dtstamp=now), method="CANCEL"),
            headers=(("Auto-Submitted", "auto-generated"), ("X-Leerpad-Step", row.uid)),
        )

    def _plan_preview(self, bundle: StepBundle, *, locale: str) -> list[dict[str, object]]:
        """A candidate's first playlist items, from the role and the vacancy's promises."""
        if self.learning_catalog is None or bundle.vacancy is None or bundle.employment:
            return []
        promises: list[str] = []
        for promise in bundle.promises:
            promises += [c for c in promise.category_list if c not in promises]
        promises += [p.text for p in bundle.promises]
        return plan_preview(
            self.learning_catalog,
            title=bundle.vacancy.title,
            department=bundle.vacancy.department,
            locale=locale,
            promises=promises,
        )

    def _handover(
        self, bundle: StepBundle, *, locale: str, zone: ZoneInfo
    ) -> dict[str, Any] | None:
        if not bundle.history:
            return None
        done, upcoming = [], []
        for item in bundle.history:
            journey = self.catalog.journeys.get(item.journey_key)
            if journey is None or item.step_key not in {s.key for s in journey.steps}:
                continue
            step = journey.step(item.step_key)
            moment = (item.sent_at or item.due_at).astimezone(zone)
            entry = {
                "title": step.title.get(locale),
                "to": step.to,
                "when_text": datetime_text(moment, locale),
                "status": item.status,
            }
            (done if item.status in _DONE else upcoming).append(entry)
        return {"done": done, "upcoming": upcoming}

    def _attendee(self, bundle: StepBundle, role: str, now: datetime) -> Address | None:
        person = bundle.people.get(role)
        return address_of(person, self.choose(person, role=role, bundle=bundle, now=now))

    def _invite(
        self,
        bundle: StepBundle,
        *,
        step: Any,
        locale: str,
        zone: ZoneInfo,
        only: Address | None = None,
        agenda: list[str] | tuple[str, ...] = (),
        now: datetime,
    ) -> tuple[dict[str, Any] | None, Meeting | None]:
        event = bundle.calendar_event
        if event is None or step.invite is None:
            return None, None
        tz = ZoneInfo(event.tzid)
        start, end = event.start_at.astimezone(tz), event.end_at.astimezone(tz)
        location = step.invite.location.get(locale) if step.invite.location else None
        summary = step.title.get(locale)
        attendees = (
            (only,)
            if only is not None
            else tuple(
                a
                for a in (self._attendee(bundle, role, now) for role in step.invite.attendees)
                if a is not None
            )
        )
        meeting = Meeting(
            uid=event.uid,
            sequence=event.sequence,
            summary=f"{summary} · {self.profile.name}",
            description=agenda_text(step.title.get(locale), agenda),
            start=start,
            end=end,
            tzid=event.tzid,
            location=location,
            organizer=self.sender,
            attendees=tuple(dict.fromkeys(attendees)),
            repeat_every_weeks=event.repeat_every_weeks,
            repeat_count=event.repeat_count,
            created=event.updated_at,
        )
        invite = {
            "summary": summary,
            "start_text": datetime_text(start.astimezone(zone), locale),
            "end_text": f"{end.astimezone(zone):%H:%M}",
            "duration_minutes": int((end - start).total_seconds() // 60),
            "location": location,
            "series_text": series_text(event.repeat_every_weeks, event.repeat_count, locale),
            "sequence": event.sequence,
            "is_update": bundle.step.action == "update",
            "removed": only is not None,
            "moved": False,  # True on the cancel that takes an invite out of a former calendar
            "agenda": list(agenda),
        }
        return invite, meeting
