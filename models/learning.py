"""Learning tables: plans, goals, playlist items, reflections, shares, badges, xAPI statements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import new_uid, utc_field


# One hire's learning plan: level, opt-ins and the pseudonymous actor name used in xAPI.
class LearningPlan(SQLModel, table=True):
    __tablename__ = "learning_plan"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=32)
    employment_id: int = Field(foreign_key="employment.id", unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    level: str = Field(max_length=20)
    actor_name: str = Field(unique=True, max_length=64)  # sha256 of the person's random uid
    shout_out: bool = False  # the hire agreed that their team hears about a badge
    goals_set_at: datetime | None = utc_field()
    completed_at: datetime | None = utc_field()  # every playlist item done
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)


# One of the hire's one to three learning goals, in their own words.
class LearningGoal(SQLModel, table=True):
    __tablename__ = "learning_goal"
    __table_args__ = (UniqueConstraint("plan_id", "position", name="uq_goal_position"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="learning_plan.id", index=True)
    position: int
    text: str = Field(max_length=300)
    created_at: datetime = utc_field(nullable=False)


# One item of a personal playlist, a snapshot of the catalog item, delivered by one slot step.
class PlaylistItem(SQLModel, table=True):
    __tablename__ = "playlist_item"
    __table_args__ = (UniqueConstraint("plan_id", "item_key", name="uq_playlist_item"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=32)
    plan_id: int = Field(foreign_key="learning_plan.id", index=True)
    position: int
    item_key: str = Field(max_length=80)
    title: str = Field(max_length=200)
    url: str | None = Field(default=None, max_length=500)
    minutes: int
    language: str = Field(max_length=5)
    platform: str = Field(max_length=80)
    kind: str = Field(max_length=20)
    reason: str = Field(max_length=20)  # goal|promise|role|basics
    question_nl: str = Field(max_length=300)
    question_en: str = Field(max_length=300)
    step_id: int | None = Field(default=None, foreign_key="scheduled_step.id", unique=True)
    status: str = Field(default="planned", max_length=12)  # planned|started|completed|dropped
    completed_at: datetime | None = utc_field()
    completed_via: str | None = Field(default=None, max_length=10)  # link|xapi
    lrs_sent_at: datetime | None = utc_field()
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)


# A leader's answer to one reflection prompt: private to that leader, never shown to HR.
class Reflection(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("step_id", "leader_id", name="uq_reflection_step_leader"),)

    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="scheduled_step.id", index=True)
    leader_id: int = Field(foreign_key="person.id", index=True)
    prompt_key: str = Field(max_length=60)
    answer: str = Field(sa_column=Column(Text, nullable=False))
    answered_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)


# Something the hire shared: a teach-back, a lunch session, a write-up; recognised and counted.
class KnowledgeShare(SQLModel, table=True):
    __tablename__ = "knowledge_share"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="learning_plan.id", index=True)
    playlist_item_id: int | None = Field(default=None, foreign_key="playlist_item.id")
    kind: str = Field(max_length=20)
    title: str = Field(max_length=200)
    summary: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    planned_on: date | None = None
    created_at: datetime = utc_field(nullable=False)


# A badge awarded on a milestone; the signed credential is kept once it has been built.
class BadgeAward(SQLModel, table=True):
    __tablename__ = "badge_award"
    __table_args__ = (UniqueConstraint("plan_id", "achievement_key", name="uq_badge_plan"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=32)
    plan_id: int = Field(foreign_key="learning_plan.id", index=True)
    achievement_key: str = Field(max_length=40)
    identity_salt: str = Field(max_length=64)
    identity_hash: str = Field(max_length=80)  # sha256$… of the email and the salt
    locale: str = Field(max_length=5)
    issued_at: datetime = utc_field(nullable=False)
    credential_jwt: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


# An xAPI statement received: ids and the verb only (no actor identity, no raw body).
class XapiStatement(SQLModel, table=True):
    __tablename__ = "xapi_statement"

    id: int | None = Field(default=None, primary_key=True)
    statement_id: str = Field(unique=True, max_length=36)
    verb: str = Field(max_length=20)
    object_id: str = Field(max_length=500)
    plan_id: int | None = Field(default=None, foreign_key="learning_plan.id", index=True)
    playlist_item_id: int | None = Field(default=None, foreign_key="playlist_item.id")
    received_at: datetime = utc_field(nullable=False)
