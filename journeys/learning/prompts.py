"""Questions: the leader's reflection prompts, a playlist item's question, the coaching agenda."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from journeys.dsl import Localized


@dataclass(frozen=True)
class ReflectionPrompt:
    """One leader reflection: the behaviour or building block it is about, and its question."""

    theme: str
    question: Localized


def _q(nl: str, en: str) -> Localized:
    return Localized(nl=nl, en=en)


# Keyed by the leader journey's step keys; themes follow Garvin, Edmondson & Gino (HBR, 2008).
REFLECTION_PROMPTS: dict[str, ReflectionPrompt] = {
    "own-learning-goals": ReflectionPrompt("own-learning-goals", _q(
        "Wat wil jij dit jaar leren, en weet je team dat?",
        "What do you want to learn this year, and does your team know?")),
    "psychological-safety": ReflectionPrompt("psychological-safety", _q(
        "Hoe makkelijk is het in je team om te zeggen wat je denkt, "
        "ook als dat ongemakkelijk is?",
        "How easy is it in your team to say what you think, even when it's uncomfortable?")),
    "training-followed": ReflectionPrompt("training-followed", _q(
        "Denk aan de laatste training, cursus of conferentie die je volgde. "
        "Wat doe je sindsdien anders?",
        "Think of the last training, course or conference you attended. "
        "What have you done differently since?")),
    "ask-for-feedback": ReflectionPrompt("openness-to-feedback", _q(
        "Hoe open sta jij voor feedback, ook van iemand die net binnen is?",
        "How open are you to feedback, even from someone who has only just joined?")),
    "reflect-on-mistakes": ReflectionPrompt("reflecting-on-mistakes", _q(
        "Hoe ga jij om met fouten, die van jezelf en die van je team?",
        "How do you deal with mistakes, your own and your team's?")),
    "new-ideas": ReflectionPrompt("openness-to-new-ideas", _q(
        "Hoeveel ruimte is er in je team voor andere meningen en nieuwe ideeën?",
        "How much room is there in your team for different opinions and new ideas?")),
    "team-learning": ReflectionPrompt("learning-processes", _q(
        "Is leren in je team iets wat gebeurt als er tijd over is, "
        "of iets wat jullie organiseren?",
        "Is learning in your team something that happens when there's time left over, "
        "or something you organise?")),
}  # fmt: skip

ITEM_QUESTIONS: tuple[Localized, ...] = (
    _q("Wat neem je hieruit mee naar je werk van deze week?",
       "What will you take from this into your work this week?"),
    _q("Wat verraste je, en wat wist je al?", "What surprised you, and what did you already know?"),
    _q("Aan wie in je team zou je dit willen uitleggen, en waarom?",
       "Who in your team would you explain this to, and why?"),
    _q("Welke vraag heb je nu die je nog niet had?",
       "What question do you have now that you didn't have before?"),
    _q("Wat ga je anders doen, en hoe merk je dat het werkt?",
       "What will you do differently, and how will you know it works?"),
)  # fmt: skip

SHARE_KIND_TEXT: dict[str, Localized] = {
    "teach-back": _q("Korte uitleg aan een collega", "Short teach-back to a colleague"),
    "lunch-session": _q("Lunchsessie", "Lunch session"),
    "write-up": _q("Stukje op intranet of wiki", "Write-up on the intranet or wiki"),
    "pairing": _q("Samen aan het werk (pairen)", "Working on it together (pairing)"),
}


PROMISE_TEXT: dict[str, Localized] = {
    "learning_value": _q("leren als kernwaarde", "learning as a core value"),
    "personal_plan": _q("een persoonlijk leerplan", "a personal learning plan"),
    "coaching": _q("coaching en loopbaanbegeleiding", "coaching and career guidance"),
    "leader_example": _q("leidinggevenden die zelf leren", "leaders who learn themselves"),
    "recognition": _q("erkenning voor wat je leert", "recognition for what you learn"),
    "budget_time": _q("leerbudget en studietijd", "a learning budget and study time"),
    "learning_environment": _q("een academy en trainingen", "an academy and trainings"),
    "knowledge_sharing": _q("kennis delen met collega's", "sharing knowledge with colleagues"),
    "obligations": _q("verplichte trainingen voor je rol", "mandatory training for your role"),
}


def promise_text(promise: str, locale: str) -> str:
    """A vacancy promise as people read it: a known category translated, free text as is."""
    known = PROMISE_TEXT.get(promise)
    return known.get(locale) if known else promise


def item_question(position: int, own: Localized | None = None) -> Localized:
    """The item's own question, else one from the bank, rotating with the item's position."""
    return own or ITEM_QUESTIONS[(position - 1) % len(ITEM_QUESTIONS)]


def coaching_agenda(
    *, goals: Sequence[str], playlist: Sequence[str], promises: Sequence[str] = (), locale: str
) -> list[str]:
    """An agenda for the coaching series: goals first, then the playlist, then the long view."""
    nl = locale == "nl"
    lines = [("Leerdoel: " if nl else "Learning goal: ") + goal for goal in goals]
    if not goals:
        lines.append(
            "Leerdoelen: wat wil je de komende drie maanden leren?"
            if nl
            else "Learning goals: what do you want to learn in the next three months?"
        )
    if playlist:
        head = "Uit de leerplaylist: " if nl else "From the learning playlist: "
        lines.append(head + "; ".join(playlist[:3]))
    head = "Beloofd in de vacature: " if nl else "Promised in the job ad: "
    lines += [head + promise_text(p, locale) for p in promises]
    lines.append(
        "Waar wil je over drie jaar staan, en wat heb je daarvoor nodig?"
        if nl
        else "Where do you want to be in three years, and what do you need to get there?"
    )
    return lines
