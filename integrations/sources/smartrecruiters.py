"""SmartRecruiters webhooks: ids only; HMAC over timestamp.body.event-id.event-name.version.link."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from integrations.sources.base import Fetch, Ignored, Parsed, PayloadError, SignatureError
from integrations.sources.headers import HeaderMap
from integrations.sources.mapping import build_event, load_object, text
from integrations.sources.signing import check_fresh, hmac_hex, require_secret, same, signed_time
from journeys.events import body_hash

SIGNED_HEADERS = ("event-id", "event-name", "event-version", "link")
APPLICATION_EVENTS = (
    "application.created",
    "application.status.updated",
    "application.onboarding-status.updated",
    "offer.created",
    "offer.updated",
    "offer.approval.approved",
)


class SmartRecruitersAdapter:
    """SmartRecruiters: the event is named in headers; the body holds job and candidate ids."""

    name = "smartrecruiters"

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Check any `v1=` signature of the header, then the 5-minute window."""
        key = require_secret(self.name, secret)
        found = HeaderMap(headers)
        signature, stamp = (
            found.get("smartrecruiters-signature"),
            found.get("smartrecruiters-timestamp"),
        )
        if not signature or not stamp:
            raise SignatureError(
                "smartrecruiters: missing smartrecruiters-signature or "
                "smartrecruiters-timestamp header"
            )
        signed_at = signed_time(stamp, source=self.name, what="smartrecruiters-timestamp")
        parts = [stamp.strip().encode("ascii"), raw]
        parts += [found.get(name, "").encode("utf-8", "replace") for name in SIGNED_HEADERS]
        expected = hmac_hex(key, b".".join(parts), hashlib.sha256)
        given = [
            p.strip()[3:] for p in signature.replace(",", ";").split(";") if p.strip()[:3] == "v1="
        ]
        if not any(same(expected, value) for value in given):
            raise SignatureError(
                "smartrecruiters: no v1 signature matches; check LEERPAD_SECRET_SMARTRECRUITERS"
            )
        check_fresh(source=self.name, signed_at=signed_at, now=now)

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the event-id header, else the body hash."""
        return f"smartrecruiters:{text(HeaderMap(headers).get('event-id')) or body_hash(raw)}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Ask for the application, erase a deleted candidate, ignore the rest."""
        found = HeaderMap(headers)
        event = text(found.get("event-name"))
        if event is None:
            raise PayloadError(
                "smartrecruiters: no event-name header "
                "(SmartRecruiters webhooks name the event there)"
            )
        body = load_object(raw, source=self.name)
        candidate = text(body.get("candidate_id")) or text(body.get("candidateId"))
        job = text(body.get("job_id")) or text(body.get("jobId"))
        try:
            stamp = signed_time(found.get("smartrecruiters-timestamp"), source=self.name, what="t")
        except SignatureError:
            stamp = received_at
        event_id = self.dedupe_key(raw=raw, headers=headers)
        if event == "candidate.deleted":
            who = candidate or text(body.get("id"))
            if who is None:
                raise PayloadError("smartrecruiters candidate.deleted: no candidate id in the body")
            return build_event(
                {
                    "id": event_id,
                    "source": self.name,
                    "type": "candidate.erased",
                    "occurred_at": stamp,
                    "person": {"external_id": who},
                }
            )
        if event not in APPLICATION_EVENTS:
            return Ignored(f"smartrecruiters event {event!r} is not used by Leerpad")
        if candidate is None or job is None:
            raise PayloadError(f"smartrecruiters {event}: body needs candidate_id and job_id")
        return Fetch(
            kind="smartrecruiters.application",
            ids={"candidate": candidate, "job": job},
            event=event,
            event_id=event_id,
            occurred_at=stamp,
        )
