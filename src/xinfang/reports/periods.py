"""Reporting periods, one kind for every report: a month, a quarter, a year or any span of
days, inclusive at both ends. What a period is (its kind) is read off its dates.

A period travels in URLs as a short token: ``2026-10`` (month), ``2026-Q4`` (quarter), ``2026``
(year) or ``2026-10-01_2026-12-31`` (from/to). Matters belong to a period by their local time
(settings.TIME_ZONE, Asia/Shanghai): `bounds()` gives [first day 00:00, day after last 00:00)
there, so one received on 31 October at 23:30 in Beijing is an October matter although it is
15:30 UTC.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from xinfang.matters.errors import InvalidInput

# The longest span one page computes: a few years is a trend (60 monthly bars stay legible),
# more is a data export.
MAX_DAYS = 366 * 5
MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year without one
        return d.replace(year=d.year + years, day=28)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), cls.month(year, first + 2).end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def kind(self) -> str:
        """month, quarter, year or range: what the period is, read off its dates."""
        s, e = self.start, self.end
        if s.day != 1 or (e + timedelta(days=1)).day != 1:
            return RANGE
        if s.month == e.month and s.year == e.year:
            return MONTH
        if s.year == e.year and s.month % 3 == 1 and e.month == s.month + 2:
            return QUARTER
        if s.year == e.year and s.month == 1 and e.month == 12:
            return YEAR
        return RANGE

    def previous(self) -> Period:
        """The period of the same kind (or, for a span of days, the same length) just before."""
        kind = self.kind
        before = self.start - timedelta(days=1)
        if kind == "month":
            return Period.month(before.year, before.month)
        if kind == "quarter":
            return Period.quarter(before.year, (before.month - 1) // 3 + 1)
        if kind == "year":
            return Period.year(before.year)
        return Period(self.start - timedelta(days=self.days), before)

    def year_earlier(self) -> Period:
        """The same period a year before: the whole month for a month (February whole in a
        year without the 29th), else the same days."""
        if self.kind == MONTH:
            return Period.month(self.start.year - 1, self.start.month)
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1))

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period (a cut month is a
        span of days, so that a year earlier it is the same days, not the whole month)."""
        result = []
        cursor = self.start.replace(day=1)
        while cursor <= self.end:
            whole = Period.month(cursor.year, cursor.month)
            result.append(Period(max(whole.start, self.start), min(whole.end, self.end)))
            cursor = whole.end + timedelta(days=1)
        return result

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the current (local) time zone."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tz),
        )

    @property
    def label(self) -> str:
        s = self.start
        kind = self.kind
        if kind == "month":
            return _("%(year)d年%(month)d月") % {"year": s.year, "month": s.month}
        if kind == "quarter":
            return _("%(year)d年第%(quarter)d季度") % {
                "year": s.year,
                "quarter": (s.month - 1) // 3 + 1,
            }
        if kind == "year":
            return _("%(year)d年") % {"year": s.year}
        return f"{self.start.isoformat()} — {self.end.isoformat()}"

    @property
    def token(self) -> str:
        s = self.start
        kind = self.kind
        if kind == "month":
            return f"{s.year:04d}-{s.month:02d}"
        if kind == "quarter":
            return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
        if kind == "year":
            return f"{s.year:04d}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("统计年份应在2000年至2100年之间。"), field="period")


def make_range(start: date, end: date) -> Period:
    if end < start:
        raise InvalidInput(_("统计期的结束日期早于开始日期。"), field="end")
    _check_year(start.year)
    _check_year(end.year)
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(_("统计期最长五年，请缩短起止日期。"), field="end")
    return Period(start, end)


def parse_period(token: str) -> Period:
    """A period from its URL token; InvalidInput (400) with a clear message otherwise."""
    token = (token or "").strip()
    if m := _MONTH.match(token):
        year, month = int(m[1]), int(m[2])
        _check_year(year)
        if not 1 <= month <= 12:
            raise InvalidInput(_("月份应在1到12之间。"), field="period")
        return Period.month(year, month)
    if m := _QUARTER.match(token):
        _check_year(int(m[1]))
        return Period.quarter(int(m[1]), int(m[2]))
    if m := _YEAR.match(token):
        _check_year(int(m[1]))
        return Period.year(int(m[1]))
    if m := _RANGE.match(token):
        try:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError:
            raise InvalidInput(_("统计期的日期无效。"), field="period") from None
        return make_range(start, end)
    raise InvalidInput(
        _("无法识别统计期“%(value)s”：请写成2026-10（月）、2026-Q4（季度）、2026（年）或起止日期。")
        % {"value": token[:40]},
        field="period",
    )


def default_period(today: date | None = None) -> Period:
    """The last complete month: what a monthly bulletin reports, and what report pages show
    first."""
    before = (today or timezone.localdate()).replace(day=1) - timedelta(days=1)
    return Period.month(before.year, before.month)
