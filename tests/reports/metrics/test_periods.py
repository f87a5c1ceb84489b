"""Periods: months, quarters, years and spans of days; their tokens, labels and predecessors."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang.matters.errors import InvalidInput
from xinfang.reports.metrics.periods import Period, default_period, parse_period


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
