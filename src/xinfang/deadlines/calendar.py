"""Working-day calendar for statutory periods.

The State Council publishes each year's holidays and adjusted working weekends (调休) late in the
previous year, so the `chinese_calendar` package only knows a fixed range of years. Beyond that
range we fall back to Monday-Friday, but we record every year we had to guess for so that callers
can show a warning instead of presenting a guessed deadline as certain.

Plain Python on purpose: no Django imports, so the clock engine is testable without a database.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import chinese_calendar

_ONE_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=32_768)
def _package_is_workday(day: date) -> bool | None:
    """The package's answer, or None when it has no data for the year.

    Cached at module level because every calendar instance (one per request, say) asks about the
    same few hundred dates, and the package does several dict lookups per call.
    """
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@functools.lru_cache(maxsize=256)
def _package_covers(year: int) -> bool:
    # Probing is sturdier than reading the package's private data layout across versions.
    return _package_is_workday(date(year, 1, 1)) is not None


class WorkingCalendar:
    """Answers "is this a working day?" using overrides, then `chinese_calendar`, then Mon-Fri.

    ``overrides`` maps a date to True (working day) or False (day off); they are what an
    administrator loaded and always win, so an office can correct or extend the package.
    ``covered_years`` lists years for which an administrator loaded the complete official schedule:
    for those, a day without an override is an ordinary weekday/weekend and no warning is due.
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        covered_years: Iterable[int] = (),
    ) -> None:
        self.overrides: dict[date, bool] = dict(overrides or {})
        self.covered_years: frozenset[int] = frozenset(covered_years)
        self.uncovered_years_seen: set[int] = set()

    def covers(self, year: int) -> bool:
        return year in self.covered_years or _package_covers(year)

    def is_workday(self, day: date) -> bool:
        if isinstance(day, datetime):
            # A datetime never equals a date, so it would silently miss every override.
            day = day.date()
        override = self.overrides.get(day)
        if override is not None:
            return override
        answer = _package_is_workday(day)
        if answer is not None:
            return answer
        if day.year not in self.covered_years:
            self.uncovered_years_seen.add(day.year)
        return day.weekday() < 5

    def next_workday_on_or_after(self, day: date) -> date:
        while not self.is_workday(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; ``start`` itself is never counted."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        day = start
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self.is_workday(day):
                remaining -= 1
        return day

    def period_end(self, start: date, days: int) -> date:
        """Last day of a period counted in calendar days (日).

        The day the period starts is not counted, so ``start + days`` is the last day; when that
        day is a day off the period ends on the next working day (期间届满的最后一日是法定休假日的，
        以法定休假日结束的次日为期间届满的日期). An adjusted working weekend day is a working
        day, so a period can end on it.
        """
        if days < 1:
            raise ValueError(f"days must be at least 1, got {days}")
        return self.next_workday_on_or_after(start + timedelta(days=days))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in the half-open interval (a, b]; 0 when b is not after a."""
        count = 0
        day = a + _ONE_DAY
        while day <= b:
            if self.is_workday(day):
                count += 1
            day += _ONE_DAY
        return count

    def uncovered_years(self, a: date, b: date) -> list[int]:
        low, high = sorted((a.year, b.year))
        return [year for year in range(low, high + 1) if not self.covers(year)]
