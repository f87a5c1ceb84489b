"""Statutory clocks computed from events, against the official 2025/2026 schedules.

Dates used (from chinese_calendar 1.11): 2025 Labour Day May 1-5 off; Dragon Boat May 31-Jun 2 off;
National Day Oct 1-8 off with Sun Sep 28 and Sat Oct 11 worked; 2026 Spring Festival Feb 15-23
off with Sat Feb 14 and Sat Feb 28 worked. 2027 is not in the package.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from xinfang.deadlines.calendar import WorkingCalendar
from xinfang.deadlines.clocks import (
    DEFAULT_RULES,
    Clock,
    ClockEvent,
    ClockRule,
    DayKind,
    compute_clocks,
    nearest_due,
    running,
)

WARNING_2027 = "2027年的法定节假日安排尚未载入，截止日按周末推算，请管理员载入后再核对。"


def ev(kind: str, on: date, **data: Any) -> ClockEvent:
    return ClockEvent(kind=kind, on=on, data=data)


def clocks_for(
    *events: ClockEvent,
    rules: Mapping[str, ClockRule] = DEFAULT_RULES,
    calendar: WorkingCalendar | None = None,
) -> list[Clock]:
    return compute_clocks(list(events), rules, calendar or WorkingCalendar())


def only(clocks: list[Clock], key: str) -> Clock:
    matching = [clock for clock in clocks if clock.rule.key == key]
    assert len(matching) == 1, [c.rule.key for c in clocks]
    return matching[0]


def keys(clocks: list[Clock]) -> list[str]:
    return [clock.rule.key for clock in clocks]


class TestRuleTable:
    EXPECTED: dict[str, tuple[int, DayKind, set[str], set[str], bool]] = {
        "route": (
            15, DayKind.CALENDAR, {"registered_at_office", "objected"},
            {"forwarded", "assigned", "accepted", "accepted_simplified", "not_accepted",
             "guided", "linked", "closed"},
            False,
        ),
        "acceptance": (
            15, DayKind.CALENDAR, {"registered_direct", "forwarded", "assigned"},
            {"accepted", "accepted_simplified", "not_accepted", "guided", "linked", "closed",
             "objected"},
            False,
        ),
        "objection": (
            5, DayKind.WORKING, {"forwarded", "assigned"},
            {"objected", "accepted", "accepted_simplified", "not_accepted", "guided", "linked",
             "closed"},
            True,
        ),
        "handling": (60, DayKind.CALENDAR, {"accepted"}, {"replied", "closed", "linked"}, False),
        "simplified": (10, DayKind.WORKING, {"accepted_simplified"}, {"replied", "closed"}, False),
        "review_request": (
            30, DayKind.CALENDAR, {"replied"}, {"review_requested", "closed"}, True,
        ),
        "review": (30, DayKind.CALENDAR, {"review_requested"}, {"reviewed", "closed"}, False),
        "re_review_request": (
            30, DayKind.CALENDAR, {"reviewed"}, {"re_review_requested", "closed"}, True,
        ),
        "re_review": (
            30, DayKind.CALENDAR, {"re_review_requested"}, {"re_reviewed", "closed"}, False,
        ),
        "first_visit": (
            7, DayKind.WORKING, {"accepted_first_visit"}, {"replied", "closed"}, False
        ),
    }  # fmt: skip

    def test_table_matches_regulation(self) -> None:
        assert set(DEFAULT_RULES) == set(self.EXPECTED)
        for key, (days, kind, starts, stops, window) in self.EXPECTED.items():
            rule = DEFAULT_RULES[key]
            assert rule.key == key
            assert (rule.days, rule.day_kind, rule.is_window) == (days, kind, window), key
            assert rule.starts_on == starts, key
            assert rule.stops_on == stops, key

    def test_articles_and_labels(self) -> None:
        assert DEFAULT_RULES["route"].article == "《信访工作条例》第二十二条"
        assert DEFAULT_RULES["acceptance"].article == "《信访工作条例》第二十三条"
        assert DEFAULT_RULES["objection"].article == "《信访工作条例》第二十三条第三款"
        assert DEFAULT_RULES["handling"].article == "《信访工作条例》第三十四条"
        assert DEFAULT_RULES["review"].article == "《信访工作条例》第三十五条"
        assert DEFAULT_RULES["re_review"].article == "《信访工作条例》第三十六条"
        assert DEFAULT_RULES["route"].label == "转送交办期限"
        assert DEFAULT_RULES["handling"].label == "办理期限"
        assert all(rule.label and rule.article for rule in DEFAULT_RULES.values())

    def test_only_first_visit_is_local_and_disabled(self) -> None:
        assert [k for k, r in DEFAULT_RULES.items() if r.local] == ["first_visit"]
        assert [k for k, r in DEFAULT_RULES.items() if not r.enabled] == ["first_visit"]

    def test_with_changes_returns_new_rule(self) -> None:
        changed = DEFAULT_RULES["handling"].with_changes(days=30, day_kind=DayKind.WORKING)
        assert (changed.days, changed.day_kind) == (30, DayKind.WORKING)
        assert changed.extended_by == DEFAULT_RULES["handling"].extended_by
        assert DEFAULT_RULES["handling"].days == 60

    def test_zero_day_rule_rejected(self) -> None:
        with pytest.raises(ValueError):
            DEFAULT_RULES["route"].with_changes(days=0)


# For each enabled default rule: one start kind and its stop kinds.
START_STOP_CASES = [
    (key, sorted(rule.starts_on)[0], stop)
    for key, rule in DEFAULT_RULES.items()
    if rule.enabled
    for stop in sorted(rule.stops_on)
]


class TestStartsAndStops:
    @pytest.mark.parametrize(("key", "start", "stop"), START_STOP_CASES)
    def test_each_stop_event_stops_the_clock(self, key: str, start: str, stop: str) -> None:
        clocks = clocks_for(ev(start, date(2025, 3, 10)), ev(stop, date(2025, 3, 12)))
        clock = next(c for c in clocks if c.rule.key == key)
        assert clock.started_on == date(2025, 3, 10)
        assert clock.stopped_on == date(2025, 3, 12)
        assert not clock.running

    @pytest.mark.parametrize(
        ("kind", "started"),
        [
            ("registered_at_office", ["route"]),
            ("registered_direct", ["acceptance"]),
            ("forwarded", ["acceptance", "objection"]),
            ("assigned", ["acceptance", "objection"]),
            ("accepted", ["handling"]),
            ("accepted_simplified", ["simplified"]),
            ("replied", ["review_request"]),
            ("review_requested", ["review"]),
            ("reviewed", ["re_review_request"]),
            ("re_review_requested", ["re_review"]),
            ("objected", ["route"]),
            ("not_accepted", []),
            ("guided", []),
            ("linked", []),
            ("closed", []),
            ("re_reviewed", []),
            ("extension_approved", []),
        ],
    )
    def test_which_clocks_an_event_starts(self, kind: str, started: list[str]) -> None:
        data: dict[str, Any] = {"days": 30} if kind == "extension_approved" else {}
        clocks = clocks_for(ClockEvent(kind, date(2025, 3, 10), data))
        assert keys(clocks) == started
        assert all(clock.running for clock in clocks)

    def test_unrelated_event_does_not_stop(self) -> None:
        clocks = clocks_for(ev("accepted", date(2025, 3, 3)), ev("reviewed", date(2025, 3, 5)))
        assert only(clocks, "handling").running

    def test_events_are_sorted_by_date(self) -> None:
        clocks = clocks_for(
            ev("replied", date(2025, 4, 1)),
            ev("accepted", date(2025, 3, 3)),
        )
        assert keys(clocks) == ["handling", "review_request"]
        assert only(clocks, "handling").stopped_on == date(2025, 4, 1)

    def test_same_day_events_keep_their_order(self) -> None:
        # Registered and forwarded on the same day: route opens and closes at once.
        day = date(2025, 3, 10)
        clocks = clocks_for(ev("registered_at_office", day), ev("forwarded", day))
        assert keys(clocks) == ["route", "acceptance", "objection"]
        route = only(clocks, "route")
        assert route.stopped_on == day
        assert not route.late


class TestRoute:
    def test_petition_office_route_clock(self) -> None:
        # 2025-09-16 + 15 = Oct 1 (National Day) -> Thu Oct 9.
        clocks = clocks_for(ev("registered_at_office", date(2025, 9, 16)))
        route = only(clocks, "route")
        assert route.rule.article == "《信访工作条例》第二十二条"
        assert route.due_on == date(2025, 10, 9)
        assert route.running
        assert route.warnings == ()
        assert route.days_left(date(2025, 9, 30)) == 9

    def test_forwarded_in_time_then_acceptance_starts(self) -> None:
        clocks = clocks_for(
            ev("registered_at_office", date(2025, 9, 16)),
            ev("forwarded", date(2025, 9, 26)),
        )
        assert keys(clocks) == ["route", "acceptance", "objection"]
        route = only(clocks, "route")
        assert route.stopped_on == date(2025, 9, 26)
        assert not route.late
        assert route.days_left(date(2025, 9, 30)) is None

    def test_forwarded_late(self) -> None:
        clocks = clocks_for(
            ev("registered_at_office", date(2025, 9, 16)),
            ev("forwarded", date(2025, 10, 10)),
        )
        assert only(clocks, "route").late


class TestAcceptanceAndObjection:
    def test_direct_registration(self) -> None:
        # Mon 2025-03-10 + 15 = Tue Mar 25.
        clocks = clocks_for(ev("registered_direct", date(2025, 3, 10)))
        assert keys(clocks) == ["acceptance"]
        assert only(clocks, "acceptance").due_on == date(2025, 3, 25)

    def test_objection_window_around_national_day(self) -> None:
        # From Fri 2025-09-26: Sun 28 (adjusted), Mon 29, Tue 30, Thu Oct 9, Fri Oct 10.
        clocks = clocks_for(ev("forwarded", date(2025, 9, 26)))
        objection = only(clocks, "objection")
        assert objection.rule.is_window
        assert objection.due_on == date(2025, 10, 10)
        assert not objection.expired(date(2025, 10, 10))
        assert objection.expired(date(2025, 10, 11))
        assert not objection.overdue(date(2025, 10, 11))
        # Sep 26 + 15 = Sat Oct 11, an adjusted working day: no roll.
        assert only(clocks, "acceptance").due_on == date(2025, 10, 11)

    def test_acceptance_restarts_after_objection_and_reforward(self) -> None:
        clocks = clocks_for(
            ev("forwarded", date(2025, 9, 26)),
            ev("objected", date(2025, 10, 9)),
            ev("forwarded", date(2025, 10, 13)),
        )
        assert keys(clocks) == ["acceptance", "objection", "route", "acceptance", "objection"]
        first_acc, first_obj, route, second_acc, second_obj = clocks
        assert first_acc.stopped_on == first_obj.stopped_on == date(2025, 10, 9)
        # Back at the office, the office must route it again within 15 days.
        assert (route.started_on, route.stopped_on) == (date(2025, 10, 9), date(2025, 10, 13))
        assert not first_acc.late
        assert not first_obj.late
        # Mon Oct 13 + 15 = Tue Oct 28; five working days: Oct 14, 15, 16, 17, 20.
        assert second_acc.started_on == date(2025, 10, 13)
        assert second_acc.due_on == date(2025, 10, 28)
        assert second_obj.due_on == date(2025, 10, 20)
        assert [c.due_on for c in running(clocks)] == [date(2025, 10, 28), date(2025, 10, 20)]

    def test_reforward_without_objection_restarts(self) -> None:
        clocks = clocks_for(
            ev("assigned", date(2025, 3, 10)),
            ev("forwarded", date(2025, 3, 14)),
        )
        acceptance = [c for c in clocks if c.rule.key == "acceptance"]
        assert [c.stopped_on for c in acceptance] == [date(2025, 3, 14), None]
        # Fri Mar 14 + 15 = Sat Mar 29 -> Mon Mar 31.
        assert acceptance[1].due_on == date(2025, 3, 31)

    def test_accepted_stops_both_and_starts_handling(self) -> None:
        clocks = clocks_for(ev("forwarded", date(2025, 9, 26)), ev("accepted", date(2025, 10, 9)))
        assert keys(clocks) == ["acceptance", "objection", "handling"]
        assert running(clocks) == [only(clocks, "handling")]


class TestHandling:
    def test_sixty_days_rolling_past_labour_day(self) -> None:
        # Mon 2025-03-03 + 60 = Fri May 2 (Labour Day, May 1-5 off) -> Tue May 6.
        handling = only(clocks_for(ev("accepted", date(2025, 3, 3))), "handling")
        assert handling.due_on == date(2025, 5, 6)
        assert handling.extra_days == 0

    def test_extension_moves_due_date(self) -> None:
        # + 90 = Sun Jun 1, Dragon Boat (May 31-Jun 2 off) -> Tue Jun 3.
        clocks = clocks_for(
            ev("accepted", date(2025, 3, 3)),
            ev("extension_approved", date(2025, 4, 25), days=30),
        )
        handling = only(clocks, "handling")
        assert handling.extra_days == 30
        assert handling.due_on == date(2025, 6, 3)

    def test_extension_only_touches_handling(self) -> None:
        clocks = clocks_for(
            ev("forwarded", date(2025, 3, 3)),
            ev("extension_approved", date(2025, 3, 5), days=30),
        )
        assert all(clock.extra_days == 0 for clock in clocks)

    def test_extension_after_reply_ignored(self) -> None:
        clocks = clocks_for(
            ev("accepted", date(2025, 3, 3)),
            ev("replied", date(2025, 4, 1)),
            ev("extension_approved", date(2025, 4, 2), days=30),
        )
        assert only(clocks, "handling").due_on == date(2025, 5, 6)

    def test_malformed_extension_raises(self) -> None:
        with pytest.raises(ValueError):
            clocks_for(
                ev("accepted", date(2025, 3, 3)),
                ev("extension_approved", date(2025, 4, 1), days=-5),
            )
        with pytest.raises(ValueError):
            clocks_for(ev("accepted", date(2025, 3, 3)), ev("extension_approved", date(2025, 4, 1)))

    def test_days_left_overdue_late(self) -> None:
        handling = only(clocks_for(ev("accepted", date(2025, 3, 3))), "handling")
        assert handling.days_left(date(2025, 5, 1)) == 5
        assert handling.days_left(date(2025, 5, 6)) == 0
        assert not handling.overdue(date(2025, 5, 6))
        assert handling.days_left(date(2025, 5, 7)) == -1
        assert handling.overdue(date(2025, 5, 7))
        assert not handling.expired(date(2025, 5, 7))
        assert not handling.late

        on_time = only(
            clocks_for(ev("accepted", date(2025, 3, 3)), ev("replied", date(2025, 5, 6))),
            "handling",
        )
        assert not on_time.late
        assert not on_time.overdue(date(2025, 6, 1))

        late = only(
            clocks_for(ev("accepted", date(2025, 3, 3)), ev("replied", date(2025, 5, 7))),
            "handling",
        )
        assert late.late
        assert not late.running
        assert late.days_left(date(2025, 5, 7)) is None
        assert not late.overdue(date(2025, 5, 8))

    def test_thirty_working_days_local_rule(self) -> None:
        rules = dict(DEFAULT_RULES)
        rules["handling"] = rules["handling"].with_changes(days=30, day_kind=DayKind.WORKING)
        # From Fri 2025-09-26: Sep 28, 29, 30, Oct 9, 10, 11 (6), Oct 13-17 (11), 20-24 (16),
        # 27-31 (21), Nov 3-7 (26), Nov 10, 11, 12, 13 (30).
        clocks = clocks_for(ev("accepted", date(2025, 9, 26)), rules=rules)
        assert only(clocks, "handling").due_on == date(2025, 11, 13)
        # A 10-day extension counts in the rule's own unit: Nov 14, 17-21, 24-27 -> Nov 27.
        clocks = clocks_for(
            ev("accepted", date(2025, 9, 26)),
            ev("extension_approved", date(2025, 10, 20), days=10),
            rules=rules,
        )
        assert only(clocks, "handling").due_on == date(2025, 11, 27)


class TestSimplified:
    def test_ten_working_days_across_spring_festival(self) -> None:
        # From Thu 2026-02-12: 13, Sat 14, 24, 25, 26, 27, Sat 28, Mar 2, 3, 4.
        clocks = clocks_for(ev("accepted_simplified", date(2026, 2, 12)))
        assert keys(clocks) == ["simplified"]
        assert only(clocks, "simplified").due_on == date(2026, 3, 4)


class TestReview:
    def test_request_window_day_30_vs_31(self) -> None:
        # Tue 2025-06-10 + 30 = Thu Jul 10, a working day.
        clocks = clocks_for(ev("replied", date(2025, 6, 10)))
        window = only(clocks, "review_request")
        assert window.rule.is_window
        assert window.due_on == date(2025, 7, 10)
        assert not window.expired(date(2025, 7, 10))
        assert window.expired(date(2025, 7, 11))
        assert not window.overdue(date(2025, 7, 11))
        assert nearest_due(clocks) is None

    def test_request_on_day_30_starts_review(self) -> None:
        clocks = clocks_for(
            ev("replied", date(2025, 6, 10)),
            ev("review_requested", date(2025, 7, 10)),
        )
        window = only(clocks, "review_request")
        assert window.stopped_on == date(2025, 7, 10)
        assert not window.expired(date(2025, 7, 11))
        # Jul 10 + 30 = Sat Aug 9 -> Mon Aug 11.
        review = only(clocks, "review")
        assert review.due_on == date(2025, 8, 11)
        assert review.rule.article == "《信访工作条例》第三十五条"

    def test_window_stopped_after_due_is_not_late(self) -> None:
        # Refusing a day-31 request is the service's job; the engine never calls a window late.
        clocks = clocks_for(
            ev("replied", date(2025, 6, 10)),
            ev("review_requested", date(2025, 7, 11)),
        )
        assert not only(clocks, "review_request").late

    def test_window_ending_on_holiday_extends_for_petitioner(self) -> None:
        # Mon 2025-09-01 + 30 = Oct 1 -> Thu Oct 9.
        window = only(clocks_for(ev("replied", date(2025, 9, 1))), "review_request")
        assert window.due_on == date(2025, 10, 9)
        assert not window.expired(date(2025, 10, 9))

    def test_re_review_with_hearing_excluded(self) -> None:
        # Tue 2025-06-10 + 30 = Jul 10; a hearing Jun 20-22 (3 days, inclusive) is not counted:
        # + 33 = Sun Jul 13 -> Mon Jul 14.
        plain = only(clocks_for(ev("re_review_requested", date(2025, 6, 10))), "re_review")
        assert plain.due_on == date(2025, 7, 10)
        clocks = clocks_for(
            ev("re_review_requested", date(2025, 6, 10)),
            ev("hearing", date(2025, 6, 22), start="2025-06-20", end="2025-06-22"),
        )
        re_review = only(clocks, "re_review")
        assert re_review.extra_days == 3
        assert re_review.due_on == date(2025, 7, 14)
        assert re_review.rule.article == "《信访工作条例》第三十六条"

    def test_one_day_hearing_counts_one(self) -> None:
        clocks = clocks_for(
            ev("re_review_requested", date(2025, 6, 10)),
            ev("hearing", date(2025, 6, 20), start=date(2025, 6, 20), end=date(2025, 6, 20)),
        )
        # + 31 = Fri Jul 11.
        assert only(clocks, "re_review").due_on == date(2025, 7, 11)

    def test_hearing_does_not_touch_review(self) -> None:
        clocks = clocks_for(
            ev("review_requested", date(2025, 6, 10)),
            ev("hearing", date(2025, 6, 22), start="2025-06-20", end="2025-06-22"),
        )
        assert only(clocks, "review").extra_days == 0

    def test_bad_hearing_dates_raise(self) -> None:
        with pytest.raises(ValueError):
            clocks_for(
                ev("re_review_requested", date(2025, 6, 10)),
                ev("hearing", date(2025, 6, 22), start="2025-06-22", end="2025-06-20"),
            )
        with pytest.raises(ValueError):
            clocks_for(
                ev("re_review_requested", date(2025, 6, 10)),
                ev("hearing", date(2025, 6, 22), start="not a date", end="2025-06-20"),
            )

    def test_re_review_request_window(self) -> None:
        clocks = clocks_for(ev("reviewed", date(2025, 6, 10)))
        window = only(clocks, "re_review_request")
        assert window.rule.is_window
        assert window.due_on == date(2025, 7, 10)


class TestWholeLifecycle:
    def test_from_registration_to_re_review(self) -> None:
        clocks = clocks_for(
            ev("registered_at_office", date(2025, 3, 3)),
            ev("assigned", date(2025, 3, 10)),
            ev("accepted", date(2025, 3, 17)),
            ev("extension_approved", date(2025, 5, 6), days=30),
            ev("replied", date(2025, 6, 3)),
            ev("review_requested", date(2025, 6, 20)),
            ev("reviewed", date(2025, 7, 15)),
            ev("re_review_requested", date(2025, 8, 1)),
            ev("hearing", date(2025, 8, 12), start="2025-08-11", end="2025-08-12"),
            ev("re_reviewed", date(2025, 9, 2)),
        )
        assert keys(clocks) == [
            "route",
            "acceptance",
            "objection",
            "handling",
            "review_request",
            "review",
            "re_review_request",
            "re_review",
        ]
        assert running(clocks) == []
        assert not any(clock.late for clock in clocks)
        assert nearest_due(clocks) is None
        # Mon Mar 17 + 90 = Sun Jun 15 -> Mon Jun 16.
        assert only(clocks, "handling").due_on == date(2025, 6, 16)
        # Fri Aug 1 + 32 = Tue Sep 2, the day it was decided.
        assert only(clocks, "re_review").due_on == date(2025, 9, 2)


class TestNearestDue:
    def test_ignores_windows(self) -> None:
        # Objection window Oct 10 is earlier, but it is the unit's right, not the office's debt.
        clocks = clocks_for(ev("forwarded", date(2025, 9, 26)))
        assert nearest_due(clocks) == date(2025, 10, 11)

    def test_ignores_stopped_clocks(self) -> None:
        # Thu Oct 9 + 60 = Mon Dec 8.
        clocks = clocks_for(ev("forwarded", date(2025, 9, 26)), ev("accepted", date(2025, 10, 9)))
        assert nearest_due(clocks) == date(2025, 12, 8)

    def test_earliest_of_several(self) -> None:
        rules = dict(DEFAULT_RULES)
        rules["first_visit"] = rules["first_visit"].with_changes(enabled=True)
        clocks = clocks_for(
            ev("accepted", date(2025, 9, 26)),
            ev("accepted_first_visit", date(2025, 9, 26)),
            rules=rules,
        )
        # From Fri Sep 26: Sep 28, 29, 30, Oct 9, 10, 11, 13 -> the 7th is Mon Oct 13.
        assert only(clocks, "first_visit").due_on == date(2025, 10, 13)
        assert nearest_due(clocks) == date(2025, 10, 13)

    def test_empty(self) -> None:
        assert nearest_due([]) is None
        assert running([]) == []


class TestRuleSwitches:
    def test_disabled_rule_produces_nothing(self) -> None:
        clocks = clocks_for(ev("accepted", date(2025, 9, 26)))
        assert keys(clocks) == ["handling"]
        rules = dict(DEFAULT_RULES)
        rules["route"] = rules["route"].with_changes(enabled=False)
        assert clocks_for(ev("registered_at_office", date(2025, 9, 16)), rules=rules) == []

    def test_rules_missing_from_mapping_are_ignored(self) -> None:
        rules = {"handling": DEFAULT_RULES["handling"]}
        clocks = clocks_for(ev("forwarded", date(2025, 3, 3)), ev("accepted", date(2025, 3, 10)))
        assert "acceptance" in keys(clocks)
        only_handling = clocks_for(
            ev("forwarded", date(2025, 3, 3)), ev("accepted", date(2025, 3, 10)), rules=rules
        )
        assert keys(only_handling) == ["handling"]


class TestWarnings:
    def test_uncovered_year_warns(self) -> None:
        # 2026-12-18 + 15 = Sat Jan 2 2027 -> Mon Jan 4 by weekends alone.
        route = only(clocks_for(ev("registered_at_office", date(2026, 12, 18))), "route")
        assert route.due_on == date(2027, 1, 4)
        assert route.warnings == (WARNING_2027,)

    def test_covered_span_has_no_warning(self) -> None:
        route = only(clocks_for(ev("registered_at_office", date(2026, 12, 1))), "route")
        assert route.due_on == date(2026, 12, 16)
        assert route.warnings == ()

    def test_loaded_year_removes_warning(self) -> None:
        calendar = WorkingCalendar(overrides={date(2027, 1, 1): False}, covered_years={2027})
        # 2026-12-17 + 15 = Fri Jan 1 2027, loaded as a holiday -> Mon Jan 4.
        route = only(
            clocks_for(ev("registered_at_office", date(2026, 12, 17)), calendar=calendar), "route"
        )
        assert route.due_on == date(2027, 1, 4)
        assert route.warnings == ()

    def test_one_warning_per_uncovered_year(self) -> None:
        rules = dict(DEFAULT_RULES)
        rules["handling"] = rules["handling"].with_changes(days=400)
        # 2026-12-01 + 400 = Wed 2028-01-05.
        handling = only(clocks_for(ev("accepted", date(2026, 12, 1)), rules=rules), "handling")
        assert handling.due_on == date(2028, 1, 5)
        assert handling.warnings == (
            WARNING_2027,
            WARNING_2027.replace("2027", "2028"),
        )

    def test_stopped_clock_keeps_its_warning(self) -> None:
        clocks = clocks_for(
            ev("registered_at_office", date(2026, 12, 18)),
            ev("forwarded", date(2026, 12, 21)),
        )
        assert only(clocks, "route").warnings == (WARNING_2027,)
