"""Periods, one kind for every report: months, quarters, years and spans of days; their
tokens, labels, predecessors, the same period a year earlier, their months and local bounds."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from xinfang.matters.errors import InvalidInput
from xinfang.reports.periods import Period, default_period, parse_period


@pytest.mark.parametrize(
    ("token", "start", "end", "kind", "label"),
    [
        ("2026-10", date(2026, 10, 1), date(2026, 10, 31), "month", "2026年10月"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month", "2024年2月"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "quarter", "2026年第4季度"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "year", "2026年"),
        (
            "2026-10-05_2026-10-14",
            date(2026, 10, 5),
            date(2026, 10, 14),
            "range",
            "2026-10-05 — 2026-10-14",
        ),
        # Two whole months are a span, not a month or a quarter.
        ("2026-10-01_2026-11-30", date(2026, 10, 1), date(2026, 11, 30), "range", None),
    ],
)
def test_tokens_round_trip(token, start, end, kind, label):
    period = parse_period(token)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert parse_period(period.token) == period
    if label:
        assert period.label == label


def test_the_previous_period_is_the_same_kind_just_before():
    assert Period.month(2026, 3).previous() == Period.month(2026, 2)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.year(2026).previous() == Period.year(2025)
    # A span of ten days: the ten days before it.
    span = Period(date(2026, 3, 1), date(2026, 3, 10))
    assert span.previous() == Period(date(2026, 2, 19), date(2026, 2, 28))


def test_the_default_is_the_last_full_month():
    assert default_period(date(2026, 11, 20)) == Period.month(2026, 10)
    assert default_period(date(2026, 1, 1)) == Period.month(2025, 12)


@pytest.mark.parametrize(
    "token",
    ["", "2026-00", "2026-13", "2026-Q5", "1999", "2026-02-30_2026-03-01", "2026-10-31_2026-10-01"],
)
def test_unreadable_tokens_are_refused_with_a_message(token):
    with pytest.raises(InvalidInput) as info:
        parse_period(token)
    assert info.value.message


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2026, 10, 2), date(2026, 10, 1))


def test_month_previous_and_year_earlier() -> None:
    march = Period.month(2026, 3)
    assert (march.start, march.end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert march.previous() == Period.month(2026, 2)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert march.year_earlier() == Period.month(2025, 3)
    assert Period.month(2024, 2).year_earlier().end == date(2023, 2, 28)


def test_quarter_and_year() -> None:
    q1 = Period.quarter(2026, 1)
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q1.previous() == Period.quarter(2025, 4)
    assert Period.year(2026).previous() == Period.year(2025)
    assert Period.year(2026).year_earlier() == Period.year(2025)


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
    assert len(Period.year(2026).months()) == 12


def test_last_full_month() -> None:
    assert default_period(date(2026, 11, 20)) == Period.month(2026, 10)
    assert default_period(date(2026, 1, 1)) == Period.month(2025, 12)


@pytest.mark.django_db
def test_bounds_are_local_midnights(settings: object) -> None:
    start, end = Period.month(2026, 10).bounds()
    shanghai = ZoneInfo("Asia/Shanghai")
    assert timezone.get_current_timezone() == shanghai
    assert start == datetime(2026, 10, 1, tzinfo=shanghai)
    assert end == datetime(2026, 11, 1, tzinfo=shanghai)
    assert end.astimezone(ZoneInfo("UTC")) == datetime(2026, 10, 31, 16, tzinfo=ZoneInfo("UTC"))


def test_a_month_cut_by_the_range_is_compared_with_the_same_days() -> None:
    first, middle, last = Period(date(2026, 1, 15), date(2026, 3, 10)).months()
    assert first.year_earlier() == Period(date(2025, 1, 15), date(2025, 1, 31))
    assert middle.year_earlier() == Period.month(2025, 2)
    assert last.year_earlier() == Period(date(2025, 3, 1), date(2025, 3, 10))
    # A whole February of a leap year a year earlier: the whole February before.
    (feb,) = Period.month(2028, 2).months()
    assert feb.year_earlier() == Period.month(2027, 2)
    (feb,) = Period.month(2029, 2).months()
    assert feb.year_earlier() == Period.month(2028, 2)  # with the 29th
