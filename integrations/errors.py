"""Errors raised by adapters; every integration error derives from IntegrationError."""


class IntegrationError(Exception):
    """An adapter could not talk to, or make sense of, an outside system."""
