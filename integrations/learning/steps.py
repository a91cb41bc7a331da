"""Learning's system steps (messages a learning event adds) and the invite agenda text."""

from __future__ import annotations

from journeys.dsl import Localized, Step

AGENDA_STEPS = ("coaching-series",)  # invites whose description carries the learning agenda
_SHOUT_OUT = Localized(nl="Een felicitatie voor je team", en="Something to celebrate")

LEARNING_STEPS: dict[str, Step] = {
    "playlist-badge": Step(
        key="playlist-badge",
        title=Localized(nl="Je leerplaylist is af", en="You finished your learning playlist"),
        channel="badge",
        to="new_hire",
    ),
    **{
        key: Step(key=key, title=_SHOUT_OUT, channel="email", to="leader")
        for key in ("shout-out-playlist", "shout-out-onboarding")
    },
}


def agenda_text(title: str, agenda: list[str] | tuple[str, ...]) -> str:
    """An invite description: the title, then the agenda as a list."""
    if not agenda:
        return title
    return "\n".join([title, "", "Agenda:", *(f"- {line}" for line in agenda)])
