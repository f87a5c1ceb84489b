"""Periods: the previous period of the same length, a year earlier, months, local bounds."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from xinfang.reports.stats import periods
from xinfang.reports.stats.periods import Period


def test_month_previous_and_year_earlier() -> None:
    march = periods.month(2026, 3)
    assert (march.start, march.end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert march.previous() == periods.month(2026, 2)
    assert periods.month(2026, 1).previous() == periods.month(2025, 12)
    assert march.year_earlier() == periods.month(2025, 3)
    assert periods.month(2024, 2).year_earlier().end == date(2023, 2, 28)


def test_quarter_and_year() -> None:
    q1 = periods.quarter(2026, 1)
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q1.previous() == periods.quarter(2025, 4)
    assert periods.year(2026).previous() == periods.year(2025)
    assert periods.year(2026).year_earlier() == periods.year(2025)


def test_a_range_is_compared_with_as_many_days_just_before() -> None:
    r = Period(date(2026, 10, 1), date(2026, 10, 10))
    assert r.days == 10
    assert r.previous() == Period(date(2026, 9, 21), date(2026, 9, 30))
    leap = Period(date(2024, 2, 29), date(2024, 3, 5))
    assert leap.year_earlier() == Period(date(2023, 2, 28), date(2023, 3, 5))


def test_months_of_a_range_are_cut_to_it() -> None:
    r = Period(date(2026, 1, 15), date(2026, 3, 10))
    assert [(m.start, m.end) for m in r.months()] == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 10)),
    ]
    assert len(periods.year(2026).months()) == 12


def test_last_full_month() -> None:
    assert periods.last_full_month(date(2026, 11, 20)) == periods.month(2026, 10)
    assert periods.last_full_month(date(2026, 1, 1)) == periods.month(2025, 12)


@pytest.mark.django_db
def test_bounds_are_local_midnights(settings: object) -> None:
    start, end = periods.month(2026, 10).bounds()
    shanghai = ZoneInfo("Asia/Shanghai")
    assert timezone.get_current_timezone() == shanghai
    assert start == datetime(2026, 10, 1, tzinfo=shanghai)
    assert end == datetime(2026, 11, 1, tzinfo=shanghai)
    assert end.astimezone(ZoneInfo("UTC")) == datetime(2026, 10, 31, 16, tzinfo=ZoneInfo("UTC"))


def test_a_month_cut_by_the_range_is_compared_with_the_same_days() -> None:
    first, middle, last = Period(date(2026, 1, 15), date(2026, 3, 10)).months()
    assert first.year_earlier() == Period(date(2025, 1, 15), date(2025, 1, 31))
    assert middle.year_earlier() == periods.month(2025, 2)
    assert last.year_earlier() == Period(date(2025, 3, 1), date(2025, 3, 10))
    # A whole February of a leap year a year earlier: the whole February before.
    (feb,) = periods.month(2028, 2).months()
    assert feb.year_earlier() == periods.month(2027, 2)
    (feb,) = periods.month(2029, 2).months()
    assert feb.year_earlier() == periods.month(2028, 2)  # with the 29th
