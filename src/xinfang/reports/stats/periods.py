"""Reporting periods in local time: a month, a quarter, a year or a range of days.

A matter belongs to the period in which it was received, in the office's local time
(settings.TIME_ZONE, Asia/Shanghai): one received on 31 October at 23:30 in Beijing is an
October matter although it is 15:30 UTC. Bounds are [first day 00:00, day after last 00:00).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
MAX_DAYS = 5 * 366  # a custom range of at most five years: 60 monthly bars stay legible


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, n: int) -> date:
    """The first day of the month n months after d's month."""
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year without one
        return d.replace(year=d.year + years, day=28)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = RANGE

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == QUARTER:
            return _("%(year)d Q%(quarter)d") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        if self.kind == YEAR:
            return _("year %(year)d") % {"year": self.start.year}
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the current (local) time zone."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tz),
        )

    def previous(self) -> Period:
        """The period of the same length just before: the month, quarter or year before, or
        as many days as the range ending the day before it starts."""
        if self.kind == MONTH:
            start = _add_months(self.start, -1)
            return Period(start, self.start - timedelta(days=1), MONTH)
        if self.kind == QUARTER:
            start = _add_months(self.start, -3)
            return Period(start, self.start - timedelta(days=1), QUARTER)
        if self.kind == YEAR:
            return Period(date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31), YEAR)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, RANGE)

    def year_earlier(self) -> Period:
        if self.kind == MONTH:
            start = _shift_year(self.start, -1)
            return Period(start, _add_months(start, 1) - timedelta(days=1), MONTH)
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1), self.kind)

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period. A whole month is a
        MONTH; a cut one is a RANGE, so that a year earlier it is the same days, not the whole
        month."""
        result = []
        cursor = _month_start(self.start)
        while cursor <= self.end:
            last = _add_months(cursor, 1) - timedelta(days=1)
            start, end = max(cursor, self.start), min(last, self.end)
            whole = (start, end) == (cursor, last)
            result.append(Period(start, end, MONTH if whole else RANGE))
            cursor = last + timedelta(days=1)
        return result


def month(year: int, month_: int) -> Period:
    start = date(year, month_, 1)
    return Period(start, _add_months(start, 1) - timedelta(days=1), MONTH)


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    return Period(start, _add_months(start, 3) - timedelta(days=1), QUARTER)


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), YEAR)


def last_full_month(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    start = _add_months(_month_start(today), -1)
    return month(start.year, start.month)
