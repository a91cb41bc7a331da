"""The leader's reflection form: the answer is stored for, and shown to, that leader only."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import select

from integrations.learning.access import Opened, display_name
from integrations.learning.pages import denied, render_page
from integrations.learning.wiring import LearningDeps
from journeys.learning.forms import check_reflection, message
from journeys.learning.prompts import REFLECTION_PROMPTS
from models.db import session_scope
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.learning_records import leader_reflection, save_reflection
from models.people import Person

GENERIC = ("Wat neem je mee uit deze reflectie?", "What do you take away from this reflection?")


def reflection_form(
    deps: LearningDeps,
    opened: Opened,
    *,
    form: Mapping[str, str] | None = None,
    saved: bool = False,
) -> HTMLResponse | RedirectResponse:
    """Show the prompt with the leader's own earlier answer, or save a new answer."""
    locale = opened.locale
    errors: dict[str, str] = {}
    with session_scope(deps.engine) as session:
        step = session.exec(
            select(ScheduledStep).where(ScheduledStep.uid == opened.claims.ref)
        ).first()
        leader = session.get(Person, opened.person_id)
        enrollment = session.get(Enrollment, step.enrollment_id) if step else None
        if step is None or leader is None or enrollment is None or step.channel != "prompt":
            return denied(deps.renderer, reason="gone", locale=locale, profile=deps.profile)
        employment = (
            session.get(Employment, enrollment.employment_id) if enrollment.employment_id else None
        )
        # the link's person must be this step's leader, not just any genuine link holder
        recipients = {step.recipient_person_id, employment.manager_id if employment else None}
        if leader.id not in recipients - {None}:
            return denied(deps.renderer, reason="gone", locale=locale, profile=deps.profile)
        hire = session.get(Person, employment.person_id) if employment else None
        prompt = REFLECTION_PROMPTS.get(step.step_key)
        question = prompt.question.get(locale) if prompt else GENERIC[locale != "nl"]
        own = leader_reflection(session=session, step_id=step.id, leader_id=leader.id)
        answer = own.answer if own else ""
        if form is not None:
            checked = check_reflection(form.get("answer"))
            if checked.ok:
                save_reflection(
                    session=session, step=step, leader=leader,
                    prompt_key=prompt.theme if prompt else step.step_key,
                    answer=str(checked.values["answer"]), now=deps.now(),
                )  # fmt: skip
                return RedirectResponse("?saved=1", status_code=303)
            answer = form.get("answer", "")
            errors = {k: message(code, locale) for k, code in checked.errors.items()}
        names = {
            "leader_name": display_name(leader, locale, ("", "")),
            "hire_name": display_name(hire, locale, ("je nieuwe collega", "your new colleague")),
        }
    return render_page(
        deps.renderer, "reflection", locale=locale, profile=deps.profile,
        status=400 if errors else 200, question=question, answer=answer, errors=errors,
        saved=saved, **names,
    )  # fmt: skip
