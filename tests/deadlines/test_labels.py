"""Clock words in the user's language: Chinese by default, English on request."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from xinfang.deadlines.calendar import WorkingCalendar
from xinfang.deadlines.clocks import DEFAULT_RULES, ClockEvent, compute_clocks
from xinfang.deadlines.labels import clock_article, clock_label, clock_warnings


def handling_into_2027():
    events = [ClockEvent("accepted", date(2026, 12, 1))]
    (clock,) = compute_clocks(events, DEFAULT_RULES, WorkingCalendar())
    return clock


def test_every_default_rule_has_an_english_label_and_article():
    for key, rule in DEFAULT_RULES.items():
        events = [ClockEvent(kind, date(2026, 3, 2)) for kind in sorted(rule.starts_on)[:1]]
        clocks = [
            c
            for c in compute_clocks(
                events, {key: rule.with_changes(enabled=True)}, WorkingCalendar()
            )
        ]
        (clock,) = clocks
        assert clock_label(clock) == rule.label
        with translation.override("en"):
            assert clock_label(clock) != rule.label, key
            assert clock_article(clock) != rule.article, key
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in clock_label(clock)), key


def test_uncovered_year_warning_in_both_languages():
    clock = handling_into_2027()
    assert clock.uncovered_years == (2027,)
    assert clock_warnings(clock) == list(clock.warnings)
    assert "2027年的法定节假日安排尚未载入" in clock_warnings(clock)[0]
    with translation.override("en"):
        assert clock_warnings(clock) == [
            "The official holidays of 2027 are not loaded yet, so this due date assumes "
            "weekends only. An administrator should load them; then check it again."
        ]
        assert clock_label(clock) == "Handling time limit"
        assert clock_article(clock) == "Regulations on Letters and Visits, art. 34"
