"""Webhook sources (ATS, HRIS, generic): verify on the raw bytes, dedupe, normalise to an Event."""
