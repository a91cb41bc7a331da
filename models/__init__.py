"""Persistence: SQLModel tables, engine, migrations and keyword-only queries."""

from models.chat import ChatIdentity
from models.consent import RetentionConsent
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.erasure_log import ErasureLog
from models.inbox import InboxEvent
from models.invite_responses import InviteResponse
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
from models.step_history import StepChange
from models.vacancy_promises import VacancyPromise

__all__ = [
    "Application",
    "BadgeAward",
    "CalendarEvent",
    "ChatIdentity",
    "Delivery",
    "Employment",
    "Enrollment",
    "ErasureLog",
    "InboxEvent",
    "InviteResponse",
    "KnowledgeShare",
    "LearningGoal",
    "LearningPlan",
    "Person",
    "PlaylistItem",
    "Reflection",
    "RetentionConsent",
    "ScheduledStep",
    "StepChange",
    "Vacancy",
    "VacancyPromise",
    "XapiStatement",
]
