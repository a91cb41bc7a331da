"""Signed form links: bound to purpose, person, reference and expiry; verified in constant time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.learning.tokens import FormTokens, TokenError, TokenExpired, TokenWrongPurpose

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TOKENS = FormTokens("a-signing-key-of-some-length")


def issue(purpose: str = "goals", **kw) -> str:
    values = {"subject": "person-uid", "ref": "plan-uid", "expires_at": NOW + timedelta(days=30)}
    return TOKENS.issue(purpose=purpose, **(values | kw))


class TestTokens:
    def test_a_genuine_link_gives_back_its_claims(self):
        claims = TOKENS.verify(issue(), purpose="goals", now=NOW)
        assert (claims.purpose, claims.subject, claims.ref) == ("goals", "person-uid", "plan-uid")
        assert claims.expires_at == NOW + timedelta(days=30)

    def test_an_expired_link_is_refused_but_says_whose_it_was(self):
        with pytest.raises(TokenExpired) as caught:
            TOKENS.verify(issue(), purpose="goals", now=NOW + timedelta(days=30))
        assert caught.value.claims.subject == "person-uid" and caught.value.reason == "expired"

    def test_a_link_for_another_purpose_is_refused(self):
        with pytest.raises(TokenWrongPurpose):
            TOKENS.verify(issue("done"), purpose="goals", now=NOW)

    def test_another_key_does_not_verify(self):
        with pytest.raises(TokenError, match="signature"):
            FormTokens("another-signing-key-here").verify(issue(), purpose="goals", now=NOW)

    def test_a_changed_payload_is_refused(self):
        payload, signature = issue().split(".")
        other = issue(subject="someone-else").split(".")[0]
        with pytest.raises(TokenError):
            TOKENS.verify(f"{other}.{signature}", purpose="goals", now=NOW)
        with pytest.raises(TokenError):
            TOKENS.verify(f"{payload}.{signature[:-1]}", purpose="goals", now=NOW)

    @given(st.text(max_size=300))
    def test_garbage_is_always_a_token_error(self, text):
        with pytest.raises(TokenError):
            TOKENS.verify(text, purpose="goals", now=NOW)

    def test_a_short_key_or_unknown_purpose_is_a_programming_error(self):
        with pytest.raises(ValueError):
            FormTokens("short")
        with pytest.raises(ValueError):
            issue("admin")
