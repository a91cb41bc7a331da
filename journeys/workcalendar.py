"""An employer's working days: weekdays, public holidays and the employer's own exceptions.

Public holidays come from the `holidays` package (category PUBLIC). Notes on the Netherlands as
that package (0.109) defines it, which is what counts unless the employer adds or removes dates:

- Koningsdag is 27 April, or Saturday 26 April when the 27th is a Sunday (e.g. 2025).
- Bevrijdingsdag (5 May) is listed only in lustrum years (2020, 2025, 2030, ...), the years
  in which most collective agreements give the day off; in other years it is a working day.
- Goede Vrijdag (Good Friday) is listed every year, although many employers work that day:
  they list it under `ignore` (by name, every year) or put single dates in `remove`.
- Easter Sunday and Whit Sunday are listed too; they only matter when Sunday is a working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

import holidays

if TYPE_CHECKING:
    from journeys.profile import EmployerProfile

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MAX_SCAN = 3660  # ten years of days: a calendar without any working day fails, not hangs
_LANGUAGES = {"nl": "nl", "en": "en_US"}


class WorkCalendar:
    """An employer's working days: weekdays minus public holidays, plus its own exceptions."""

    def __init__(
        self,
        *,
        working_weekdays: Iterable[int | str] = (0, 1, 2, 3, 4),
        country: str | None = "NL",
        subdivision: str | None = None,
        add: Iterable[date] = (),
        remove: Iterable[date] = (),
        ignore: Iterable[str] = (),
        language: str = "en_US",
    ) -> None:
        """Build a calendar; weekdays are 0-6 (Monday = 0) or 'mon'..'sun', country None = none."""
        self._weekdays = frozenset(
            _WEEKDAYS.index(day.lower()) if isinstance(day, str) else int(day)
            for day in working_weekdays
        )
        if not self._weekdays or not self._weekdays <= set(range(7)):
            raise ValueError("working_weekdays needs at least one day out of 0-6 / mon-sun")
        self.country = country
        self.subdivision = subdivision
        self.language = language
        self._added = frozenset(add)
        self._removed = frozenset(remove)
        self._ignored = frozenset(name.strip().casefold() for name in ignore)
        self._years: dict[int, dict[date, str]] = {}

    @classmethod
    def from_profile(cls, profile: EmployerProfile) -> WorkCalendar:
        """Build the calendar of an employer profile, naming holidays in its default language."""
        rules = profile.holidays
        return cls(
            working_weekdays=profile.working_days,
            country=rules.country,
            subdivision=rules.subdivision,
            add=rules.add,
            remove=rules.remove,
            ignore=rules.ignore,
            language=_LANGUAGES.get(profile.default_locale, "en_US"),
        )

    def _public(self, year: int) -> dict[date, str]:
        """Return the country's public holidays of one year, computed once per year."""
        if year not in self._years:
            if self.country is None:
                self._years[year] = {}
            else:
                self._years[year] = self._named(year, self.language)
                if self._ignored:
                    own = getattr(
                        holidays.country_holidays(str(self.country)), "default_language", None
                    )
                    others = [self._named(year, lang) for lang in ("en_US", own)]
                    self._years[year] = {
                        day: name
                        for day, name in self._years[year].items()
                        if not (
                            {n.casefold() for n in (name, *(o.get(day, "") for o in others))}
                            & self._ignored
                        )
                    }
        return self._years[year]

    def _named(self, year: int, language: str | None) -> dict[date, str]:
        found = holidays.country_holidays(
            str(self.country), subdiv=self.subdivision, years=year, language=language
        )
        return dict(found.items())

    def holiday_name(self, d: date) -> str | None:
        """Return why a date is a day off (public holiday or employer day off), else None."""
        if d in self._added:
            return self._public(d.year).get(d, "employer day off")
        if d in self._removed:
            return None
        return self._public(d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        """Tell whether people work on this date."""
        if d in self._added:
            return False
        if d.weekday() not in self._weekdays:
            return False
        return d in self._removed or d not in self._public(d.year)

    def next_working_day(self, d: date, *, include: bool = True) -> date:
        """Return the first working day on or after d (strictly after when include=False)."""
        return self._scan(d if include else d + timedelta(days=1), step=1)

    def previous_working_day(self, d: date, *, include: bool = True) -> date:
        """Return the last working day on or before d (strictly before when include=False)."""
        return self._scan(d if include else d - timedelta(days=1), step=-1)

    def add_working_days(self, d: date, n: int) -> date:
        """Move n working days from d; 0 is d itself if working, else the next working day."""
        if n == 0:
            return self.next_working_day(d)
        day = d
        for _ in range(abs(n)):
            if n > 0:
                day = self.next_working_day(day, include=False)
            else:
                day = self.previous_working_day(day, include=False)
        return day

    def _scan(self, d: date, *, step: int) -> date:
        """Walk from d in steps of one day until a working day."""
        day = d
        for _ in range(_MAX_SCAN):
            if self.is_working_day(day):
                return day
            day += timedelta(days=step)
        raise ValueError(f"no working day within {_MAX_SCAN} days of {d.isoformat()}")
