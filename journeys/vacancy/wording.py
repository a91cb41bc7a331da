"""Small text helpers for user-facing Dutch and English: money and lists."""

from __future__ import annotations

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money(amount: float, currency: str = "EUR", language: str = "nl") -> str:
    """Format an amount: '€ 1.500' in Dutch (a no-break space), '€1,500' in English."""
    whole = round(amount)
    digits = f"{whole:,}" if abs(amount - whole) < 0.005 else f"{amount:,.2f}"
    symbol = _SYMBOLS.get(currency.upper())
    if language == "nl":
        digits = digits.translate(str.maketrans(",.", ".,"))
        return f"{symbol or currency}\u00a0{digits}"
    return f"{symbol}{digits}" if symbol else f"{currency}\u00a0{digits}"


def joined(items: list[str], language: str) -> str:
    """Join items as prose: 'a, b en c' / 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    last = " en " if language == "nl" else " and "
    return ", ".join(items[:-1]) + last + items[-1]
