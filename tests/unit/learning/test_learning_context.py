"""The `learning` variable: the hire's own links reach the hire only; leaders get a reflection."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from integrations.learning.context import learning_view
from integrations.learning.links import LearningLinks
from integrations.learning.tokens import FormTokens
from journeys.catalog import load_catalog
from journeys.learning.prompts import REFLECTION_PROMPTS, coaching_agenda
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.learning import LearningPlan, PlaylistItem
from models.learning_snapshot import LearningSnapshot
from models.outbound import StepBundle

NOW = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)
LINKS = LearningLinks("https://l.example", FormTokens("a-signing-key-of-some-length"))
ITEM = PlaylistItem(
    uid="i" * 32, plan_id=1, position=1, item_key="sqlbolt", title="SQLBolt", url=None,
    minutes=120, language="en", platform="SQLBolt", kind="e-learning", reason="goal",
    question_nl="Vraag?", question_en="Question?", created_at=NOW, updated_at=NOW,
)  # fmt: skip


def bundle(channel: str = "email", role: str = "new_hire", key: str = "playlist-1") -> StepBundle:
    plan = LearningPlan(uid="p" * 32, employment_id=1, person_id=1, level="intermediate",
                        actor_name="a", created_at=NOW, updated_at=NOW)  # fmt: skip
    step = ScheduledStep(uid="s" * 32, enrollment_id=1, step_key=key, channel=channel,
                         recipient_role=role, template="new-hire/playlist-item", due_at=NOW,
                         created_at=NOW, updated_at=NOW)  # fmt: skip
    snapshot = LearningSnapshot(
        plan=plan, hire_uid="hire-uid", goals=("Leer SQL",), items=(ITEM,), item=ITEM,
        shares=(), shares_new=(), badge=None, promises=(),
    )  # fmt: skip
    return StepBundle(
        step=step, enrollment=Enrollment(journey_key="new-hire", subject_key="e:1", person_id=1),
        people={}, employment=Employment(person_id=1, source="t", start_date=date(2027, 3, 1)),
        application=None, vacancy=None, calendar_event=None, learning=snapshot,
    )  # fmt: skip


class TestLearningView:
    def test_the_hire_gets_goals_done_and_share_links(self):
        view = learning_view(bundle(), locale="nl", recipient_uid="hire-uid", links=LINKS, now=NOW)
        assert view["goals_url"].startswith("https://l.example/forms/goals/")
        assert view["item"]["done_url"] and view["item"]["question"] == "Vraag?"
        assert view["reflection_url"] is None

    def test_a_leader_never_gets_the_hires_links_but_gets_a_reflection_link(self):
        prompt = bundle(channel="prompt", role="leader", key="own-learning-goals")
        view = learning_view(prompt, locale="en", recipient_uid="leader-uid", links=LINKS, now=NOW)
        assert view["goals_url"] is None and view["share_url"] is None
        assert all(item["done_url"] is None for item in view["playlist"])
        assert view["reflection_url"].startswith("https://l.example/forms/reflection/")
        assert view["goals"] == ["Leer SQL"]

    def test_an_invite_to_hire_and_coach_carries_no_personal_links(self):
        view = learning_view(
            bundle(channel="invite"), locale="nl", recipient_uid="hire-uid", links=LINKS,
            now=NOW, private=False,
        )  # fmt: skip
        assert view["goals_url"] is None and view["item"]["done_url"] is None

    def test_without_a_signing_key_there_are_no_links_at_all(self):
        view = learning_view(bundle(), locale="nl", recipient_uid="hire-uid", links=None, now=NOW)
        assert view["goals_url"] is None and view["item"]["done_url"] is None
        no_key = replace(LINKS, tokens=None)
        view = learning_view(bundle(), locale="nl", recipient_uid="hire-uid", links=no_key, now=NOW)
        assert view["goals_url"] is None


    def test_the_playlist_is_built_only_when_a_template_uses_it(self, monkeypatch):
        import integrations.learning.context as context

        built: list[str] = []
        real = context.item_view

        def counting(item, **kw):  # noqa: ANN001, ANN003
            built.append(item.item_key)
            return real(item, **kw)

        monkeypatch.setattr(context, "item_view", counting)
        view = learning_view(bundle(), locale="nl", recipient_uid="hire-uid", links=LINKS, now=NOW)
        assert built == ["sqlbolt"]  # the slot's own item only
        assert len(view["playlist"]) == 1 and view["progress"] == {"done": 0, "total": 1}
        assert built == ["sqlbolt"]  # counting needs no views
        entry = view["playlist"][0]
        assert entry["title"] == "SQLBolt" and entry["done_url"].startswith("https://l.example/")
        assert [e["position"] for e in view["playlist"][:3]] == [1]
        assert built == ["sqlbolt", "sqlbolt"]  # built once, on first use


class TestPrompts:
    def test_every_leader_reflection_step_has_a_question_in_both_languages(self):
        leader = load_catalog().get("leader")
        prompts = [s.key for s in leader.steps if s.channel == "prompt"]
        assert sorted(prompts) == sorted(REFLECTION_PROMPTS)

    def test_the_coaching_agenda_starts_with_the_goals(self):
        agenda = coaching_agenda(goals=["Leer SQL"], playlist=["A", "B"], promises=["coaching"],
                                 locale="nl")  # fmt: skip
        assert agenda[0] == "Leerdoel: Leer SQL" and "A; B" in agenda[1]
        assert agenda[2] == "Beloofd in de vacature: coaching en loopbaanbegeleiding"
