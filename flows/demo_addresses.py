"""Which of the hire's addresses each of her messages used: personal before day one, then work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rich.console import Console
from sqlmodel import col, select

from flows.bootstrap import App
from integrations.context import date_text
from journeys.addressing import switch_moment
from models.db import session_scope
from models.delivery import Delivery
from models.employment import Employment
from models.enrollment import ScheduledStep
from models.people import Person
from models.planning import zone_of

TEXT = {
    "nl": "[bold]Adressen van de nieuwe collega[/]: {personal} berichten naar haar privéadres "
    "({personal_address}) vóór haar eerste werkdag, {first_day}; {work} naar haar werkadres "
    "({work_address}) vanaf die dag, en {moved} uitnodiging(en) uit haar privéagenda gehaald "
    "(nu in haar werkagenda). De verschoven startdatum verschoof de overstap mee.",
    "en": "[bold]The new hire's addresses[/]: {personal} messages to her personal address "
    "({personal_address}) before her first working day, {first_day}; {work} to her work address "
    "({work_address}) from that day on, and {moved} invite(s) taken out of her personal calendar "
    "(now in her work calendar). The moved start date moved the switch with it.",
}


@dataclass(frozen=True)
class HireMessage:
    """One message sent to the new hire, with the address it used."""

    at: datetime
    step_key: str
    action: str
    kind: str | None
    address: str | None


def hire_messages(app: App) -> tuple[list[HireMessage], datetime | None]:
    """The new hire's sent messages in time order, and when her work mail starts."""
    with session_scope(app.engine) as session:
        rows = session.exec(
            select(Delivery, ScheduledStep.step_key)
            .join(ScheduledStep, col(ScheduledStep.id) == col(Delivery.step_id))
            .where(ScheduledStep.recipient_role == "new_hire", Delivery.status == "sent")
            .order_by(col(Delivery.at), col(Delivery.id))
        ).all()
        employment = session.exec(select(Employment)).first()
        switch = None
        if employment is not None:
            hire = session.get(Person, employment.person_id)
            switch = switch_moment(
                employment.start_date,
                zone=zone_of(hire, app.rules.profile),
                calendar=app.rules.calendar,
            )
    messages = [HireMessage(d.at, key, d.action, d.address_kind, d.address) for d, key in rows]
    return messages, switch


def print_addresses(app: App, *, console: Console, lang: str) -> None:
    """Print how many of the hire's messages went to each address, and where the switch was."""
    messages, switch = hire_messages(app)
    if switch is None:
        return
    moved = [m for m in messages if m.kind == "personal" and m.at >= switch]  # former calendar
    by_kind = {
        k: [m for m in messages if m.kind == k and m not in moved] for k in ("personal", "work")
    }
    first_day: date = switch.date()
    console.print(
        TEXT[lang].format(
            personal=len(by_kind["personal"]),
            work=len(by_kind["work"]),
            moved=len(moved),
            personal_address=by_kind["personal"][0].address if by_kind["personal"] else "—",
            work_address=by_kind["work"][0].address if by_kind["work"] else "—",
            first_day=date_text(first_day, lang),
        )
    )
