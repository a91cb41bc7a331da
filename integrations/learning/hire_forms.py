"""The hire's forms: learning goals, ticking off a playlist item, sharing what was learned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, select

from integrations.learning.access import Opened, display_name, send_moment
from integrations.learning.pages import denied, render_page
from integrations.learning.wiring import LearningDeps
from journeys.learning.forms import check_goals, check_share, message
from journeys.learning.prompts import SHARE_KIND_TEXT
from models.db import session_scope
from models.employment import Employment
from models.learning import BadgeAward, LearningPlan, PlaylistItem
from models.learning_plans import goals_of, items_of, set_goals
from models.learning_progress import complete_item, queue_invite_update
from models.learning_records import save_share
from models.people import Person

MANAGER = ("je leidinggevende", "your manager")
HIRE = ("collega", "colleague")


@dataclass(frozen=True)
class Found:
    """The plan (and item) a hire's link points to, checked against the link's person."""

    plan: LearningPlan
    employment: Employment
    hire: Person
    item: PlaylistItem | None = None


def find(session: Session, opened: Opened) -> Found | None:
    """Resolve the link's reference: a playlist item uid or a plan uid of this very person."""
    ref = opened.claims.ref
    item = session.exec(select(PlaylistItem).where(PlaylistItem.uid == ref)).first()
    plan_id = item.plan_id if item else None
    query = select(LearningPlan).where(
        LearningPlan.id == plan_id if item else LearningPlan.uid == ref
    )
    plan = session.exec(query).first()
    if plan is None or plan.person_id != opened.person_id:
        return None
    employment, hire = (
        session.get(Employment, plan.employment_id),
        session.get(Person, plan.person_id),
    )
    if employment is None or hire is None:
        return None
    return Found(plan=plan, employment=employment, hire=hire, item=item)


def _not_found(deps: LearningDeps, opened: Opened) -> HTMLResponse:
    return denied(deps.renderer, reason="gone", locale=opened.locale, profile=deps.profile)


def _names(session: Session, found: Found, deps: LearningDeps, locale: str) -> dict[str, str]:
    employment = found.employment
    leader = session.get(Person, employment.manager_id) if employment.manager_id else None
    coach = session.get(Person, employment.coach_id) if employment.coach_id else None
    contact = deps.profile.learning.coaching.coach
    coach_name = display_name(coach, locale, ("", "")) or (contact.name if contact else "")
    return {
        "hire_name": display_name(found.hire, locale, HIRE),
        "leader_name": display_name(leader, locale, MANAGER),
        "coach_name": coach_name,
    }


def goals_form(
    deps: LearningDeps,
    opened: Opened,
    *,
    form: Mapping[str, str] | None = None,
    saved: bool = False,
) -> HTMLResponse | RedirectResponse:
    """Show the goals form (GET), or check and save it (POST, then 303 back with ?saved=1)."""
    locale = opened.locale
    with session_scope(deps.engine) as session:
        found = find(session, opened)
        if found is None:
            return _not_found(deps, opened)
        names = _names(session, found, deps, locale)
        goals, shout_out, errors = goals_of(session, found.plan.id), found.plan.shout_out, {}
        if form is not None:
            raw = [form.get(f"goal{n}") for n in (1, 2, 3)]
            checked = check_goals(raw, shout_out=form.get("shout_out") == "yes")
            if checked.ok:
                set_goals(
                    session=session, plan=found.plan, employment=found.employment,
                    goals=checked.values["goals"], shout_out=bool(checked.values["shout_out"]),
                    sources=deps.sources, now=deps.now(),
                )  # fmt: skip
                queue_invite_update(
                    session=session, employment_id=found.employment.id or 0,
                    step_key="coaching-series", due_at=send_moment(deps, found.hire),
                    now=deps.now(),
                )  # fmt: skip
                return RedirectResponse("?saved=1", status_code=303)
            goals, shout_out = [r or "" for r in raw], bool(checked.values["shout_out"])
            errors = {k: message(code, locale) for k, code in checked.errors.items()}
    return render_page(
        deps.renderer, "goals", locale=locale, profile=deps.profile,
        status=400 if errors else 200, goals=goals, shout_out=shout_out, errors=errors,
        saved=saved, **names,
    )  # fmt: skip


def done_form(
    deps: LearningDeps, opened: Opened, *, confirm: bool = False, just_done: bool = False
) -> HTMLResponse | RedirectResponse:
    """Ask to confirm (GET: a link scanner must not tick anything off), then tick off (POST)."""
    locale = opened.locale
    with session_scope(deps.engine) as session:
        found = find(session, opened)
        if found is None or found.item is None:
            return _not_found(deps, opened)
        item = found.item
        if confirm:
            complete_item(
                session=session, item=item, via="link", due_at=send_moment(deps, found.hire),
                now=deps.now(),
            )  # fmt: skip
            return RedirectResponse("?done=1", status_code=303)
        items = items_of(session, found.plan.id)
        award = session.exec(
            select(BadgeAward).where(
                BadgeAward.plan_id == found.plan.id, BadgeAward.achievement_key == "playlist"
            )
        ).first()
        state = "confirm" if item.status != "completed" else ("done" if just_done else "already")
        share_url = deps.links.form("share", subject=found.hire.uid, ref=item.uid, now=deps.now())
        context = {
            "item": {"title": item.title, "url": item.url, "platform": item.platform},
            "state": state,
            "progress": {"done": sum(i.status == "completed" for i in items), "total": len(items)},
            "share_url": share_url,
            "badge_url": deps.links.badge(award.uid) if award else None,
            "hire_name": display_name(found.hire, locale, HIRE),
        }
    return render_page(deps.renderer, "done", locale=locale, profile=deps.profile, **context)


def share_form(
    deps: LearningDeps,
    opened: Opened,
    *,
    form: Mapping[str, str] | None = None,
    saved: bool = False,
) -> HTMLResponse | RedirectResponse:
    """Show the knowledge-share form, or record a share (then 303 back with ?saved=1)."""
    locale = opened.locale
    values: dict[str, object] = {"kind": "", "title": "", "summary": "", "planned_on": ""}
    errors: dict[str, str] = {}
    with session_scope(deps.engine) as session:
        found = find(session, opened)
        if found is None:
            return _not_found(deps, opened)
        names = _names(session, found, deps, locale)
        if form is not None:
            checked = check_share(form, today=deps.now().date())
            if checked.ok:
                v = checked.values
                save_share(
                    session=session, plan=found.plan, kind=str(v["kind"]), title=str(v["title"]),
                    summary=str(v["summary"]), planned_on=v["planned_on"],  # type: ignore[arg-type]
                    item=found.item, now=deps.now(),
                )  # fmt: skip
                return RedirectResponse("?saved=1", status_code=303)
            values = {k: form.get(k, "") for k in values}
            errors = {k: message(code, locale) for k, code in checked.errors.items()}
        kinds = [(key, text.get(locale)) for key, text in SHARE_KIND_TEXT.items()]
        item_title = found.item.title if found.item else None
    return render_page(
        deps.renderer, "share", locale=locale, profile=deps.profile,
        status=400 if errors else 200, values=values, errors=errors, kinds=kinds, saved=saved,
        item_title=item_title, **names,
    )  # fmt: skip
