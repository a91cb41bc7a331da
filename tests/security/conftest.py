"""Hypothesis profiles for the security package, and strings that try to break out of a field.

`LEERPAD_FUZZ_PROFILE=security-deep` runs ten times the examples (locally, before a release);
CI runs the default `security` profile, which keeps the whole package under two minutes.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "security",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=False,
)
settings.register_profile(
    "security-deep",
    parent=settings.get_profile("security"),
    max_examples=400,
)
PROFILE = settings.get_profile(os.environ.get("LEERPAD_FUZZ_PROFILE", "security"))


def fuzz(examples: int | None = None) -> settings:
    """Settings from the active profile; `examples` scales with it (a tenth of deep = default)."""
    if examples is None:
        return settings(PROFILE)
    scale = PROFILE.max_examples / 40
    return settings(PROFILE, max_examples=max(5, int(examples * scale)))


HOSTILE = [
    "Evil\r\nBcc: victim@example.org",
    "Evil\nX-Injected: yes",
    "Evil\rX-Injected: yes",
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Ann\u202egnp.exe",
    "Zoë 🎉👩🏽‍💻",
    "Name;CN=evil:mailto:x@evil.example",
    "A\r\nATTENDEE:mailto:evil@example.org",
    "Line\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:pwned",
    "back\\slash, comma; semi: colon",
    "=?utf-8?q?encoded?=",
    "=?utf-8?q?Boss=0D=0ABcc:_x@evil.example?=",
    "\u2028sep\u2029para\x0bvt\x0cff\x85nel",
    "x" * 5000,
    "Noor " * 400,
]
hostile_text = st.sampled_from(HOSTILE) | st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=200
)
