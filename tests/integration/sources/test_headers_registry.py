"""Header parsing for the CLI and the fixtures; the registry of sources."""

from __future__ import annotations

import pytest

from integrations.sources.base import SourceError, UnknownSource
from integrations.sources.headers import HeaderMap, parse_header, parse_header_lines
from integrations.sources.registry import FETCHING_SOURCES, SOURCES, adapter_for
from tests.integration.sources.support import headers_of


class TestHeaders:
    def test_lookups_ignore_case_and_repeated_names_are_joined(self):
        found = HeaderMap([("Signature", "a"), ("signature", "b"), ("X-One", "1")])
        assert found["SIGNATURE"] == "a, b" and found.get("x-one") == "1"
        assert set(found) == {"signature", "x-one"} and len(found) == 2

    def test_a_cli_header_is_name_colon_value(self):
        assert parse_header("Signature: sha256 abc: def ") == ("Signature", "sha256 abc: def")
        assert parse_header("link:<http://x>; rel=self") == ("link", "<http://x>; rel=self")
        for bad in ("no colon", ": value", "two words: x", ""):
            with pytest.raises(ValueError, match="Name: value"):
                parse_header(bad)

    def test_strict_lines_refuse_comments_and_lenient_lines_skip_them(self):
        lines = ["# a comment", "POST /hook HTTP/1.1", "", "Event-Name: x"]
        with pytest.raises(ValueError):
            parse_header_lines(lines)
        assert dict(parse_header_lines(lines, lenient=True)) == {"event-name": "x"}

    def test_the_documented_header_files_read(self):
        found = headers_of("teamtailor/partner_event_trigger.headers.txt")
        assert found["authorization"] == "Bearer xxx-provider-key"
        assert found["teamtailor-signature"].startswith("t=1539756759,v1=")
        assert headers_of("lever/candidateStageChange.headers.txt")["user-agent"] == (
            '"Lever-Webhooks"'
        )


class TestRegistry:
    def test_every_source_has_an_adapter_named_after_it(self):
        assert len(SOURCES) == 11 and set(FETCHING_SOURCES) <= set(SOURCES)
        for source in SOURCES:
            assert adapter_for(source).name == source

    def test_an_unknown_source_names_the_known_ones(self):
        with pytest.raises(UnknownSource, match="known: greenhouse, ") as caught:
            adapter_for("acme")
        assert isinstance(caught.value, SourceError)
