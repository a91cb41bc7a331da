"""Persistence: SQLModel tables, engine, migrations and keyword-only queries."""

from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.inbox import InboxEvent
from models.learning import (
    BadgeAward,
    KnowledgeShare,
    LearningGoal,
    LearningPlan,
    PlaylistItem,
    Reflection,
    XapiStatement,
)
from models.people import Person
from models.recruitment import Application, Vacancy
from models.vacancy_promises import VacancyPromise

__all__ = [
    "Application",
    "BadgeAward",
    "CalendarEvent",
    "Delivery",
    "Employment",
    "Enrollment",
    "InboxEvent",
    "KnowledgeShare",
    "LearningGoal",
    "LearningPlan",
    "Person",
    "PlaylistItem",
    "Reflection",
    "ScheduledStep",
    "Vacancy",
    "VacancyPromise",
    "XapiStatement",
]
