"""Statutory clocks of the 信访工作条例 (2022), computed from a case's events.

The rules are data rather than code because offices may tighten them (local targets in working
days) or switch local practices on; the Django side loads overrides from the database and passes
the resulting mapping in. Nothing here is stored: overdue is always derived from dates.

Plain Python on purpose: no Django imports, so the engine is testable without a database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from xinfang.deadlines.calendar import WorkingCalendar

REGULATION = "《信访工作条例》"

UNCOVERED_YEAR_WARNING = (
    "{year}年的法定节假日安排尚未载入，截止日按周末推算，请管理员载入后再核对。"
)


class DayKind(StrEnum):
    CALENDAR = "calendar"  # 日: calendar days, last day rolls forward off a day off
    WORKING = "working"  # 工作日


@dataclass(frozen=True)
class ClockRule:
    key: str
    label: str
    article: str
    days: int
    day_kind: DayKind
    starts_on: frozenset[str]
    stops_on: frozenset[str]
    # A period for someone's right to act (the petitioner's request for review, a unit's
    # objection): missing it is not a breach by the office, so it "expires" rather than "overdue".
    is_window: bool = False
    enabled: bool = True
    local: bool = False
    # Event kinds whose data["days"] lengthen the running instance (an approved extension).
    extended_by: frozenset[str] = frozenset()
    # Event kinds whose data["start"]..data["end"] (inclusive) do not count (听证时间不计入).
    excluded_by: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"clock rule {self.key!r}: days must be at least 1, got {self.days}")

    def with_changes(self, **changes: Any) -> ClockRule:
        return dataclasses.replace(self, **changes)


def _rule(
    key: str,
    label: str,
    article: str,
    days: int,
    day_kind: DayKind,
    starts_on: Sequence[str],
    stops_on: Sequence[str],
    **options: Any,
) -> ClockRule:
    return ClockRule(
        key=key,
        label=label,
        article=article,
        days=days,
        day_kind=day_kind,
        starts_on=frozenset(starts_on),
        stops_on=frozenset(stops_on),
        **options,
    )


_ROUTING_OUTCOMES = (
    "accepted",
    "accepted_simplified",
    "not_accepted",
    "guided",
    "linked",
    "closed",
)

DEFAULT_RULES: dict[str, ClockRule] = {
    rule.key: rule
    for rule in (
        _rule(
            "route",
            "转送交办期限",
            f"{REGULATION}第二十二条",
            15,
            DayKind.CALENDAR,
            # An objection sends the matter back to the office, which must route it again.
            starts_on=["registered_at_office", "objected"],
            stops_on=["forwarded", "assigned", *_ROUTING_OUTCOMES],
        ),
        _rule(
            "acceptance",
            "受理告知期限",
            f"{REGULATION}第二十三条",
            15,
            DayKind.CALENDAR,
            starts_on=["registered_direct", "forwarded", "assigned"],
            stops_on=[*_ROUTING_OUTCOMES, "objected"],
        ),
        _rule(
            "objection",
            "异议期限",
            f"{REGULATION}第二十三条第三款",
            5,
            DayKind.WORKING,
            starts_on=["forwarded", "assigned"],
            stops_on=["objected", *_ROUTING_OUTCOMES],
            is_window=True,
        ),
        _rule(
            "handling",
            "办理期限",
            f"{REGULATION}第三十四条",
            60,
            DayKind.CALENDAR,
            starts_on=["accepted"],
            stops_on=["replied", "closed", "linked"],
            extended_by=frozenset({"extension_approved"}),
        ),
        _rule(
            "simplified",
            "简易办理期限",
            "《信访事项简易办理办法（试行）》",
            10,
            DayKind.WORKING,
            starts_on=["accepted_simplified"],
            stops_on=["replied", "closed"],
        ),
        _rule(
            "review_request",
            "申请复查期限",
            f"{REGULATION}第三十五条",
            30,
            DayKind.CALENDAR,
            starts_on=["replied"],
            stops_on=["review_requested", "closed"],
            is_window=True,
        ),
        _rule(
            "review",
            "复查期限",
            f"{REGULATION}第三十五条",
            30,
            DayKind.CALENDAR,
            starts_on=["review_requested"],
            stops_on=["reviewed", "closed"],
        ),
        _rule(
            "re_review_request",
            "申请复核期限",
            f"{REGULATION}第三十六条",
            30,
            DayKind.CALENDAR,
            starts_on=["reviewed"],
            stops_on=["re_review_requested", "closed"],
            is_window=True,
        ),
        _rule(
            "re_review",
            "复核期限",
            f"{REGULATION}第三十六条",
            30,
            DayKind.CALENDAR,
            starts_on=["re_review_requested"],
            stops_on=["re_reviewed", "closed"],
            excluded_by=frozenset({"hearing"}),
        ),
        _rule(
            "first_visit",
            "初访办理期限",
            "本地规定：初次来访",
            7,
            DayKind.WORKING,
            # The Django side adds this event when it accepts a first-time visit.
            starts_on=["accepted_first_visit"],
            stops_on=["replied", "closed"],
            enabled=False,
            local=True,
        ),
    )
}


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    on: date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Clock:
    rule: ClockRule
    started_on: date
    due_on: date
    stopped_on: date | None
    extra_days: int
    warnings: tuple[str, ...]
    # The years the span touches that the calendar does not cover (the warnings' subject).
    uncovered_years: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def running(self) -> bool:
        return self.stopped_on is None

    def days_left(self, today: date) -> int | None:
        if not self.running:
            return None
        return (self.due_on - today).days

    def overdue(self, today: date) -> bool:
        return self.running and not self.rule.is_window and today > self.due_on

    def expired(self, today: date) -> bool:
        return self.running and self.rule.is_window and today > self.due_on

    @property
    def late(self) -> bool:
        return (
            not self.rule.is_window
            and self.stopped_on is not None
            and self.stopped_on > self.due_on
        )


def due_date(rule: ClockRule, started_on: date, extra_days: int, calendar: WorkingCalendar) -> date:
    length = rule.days + extra_days
    if rule.day_kind is DayKind.WORKING:
        return calendar.add_working_days(started_on, length)
    return calendar.period_end(started_on, length)


def _parse_day(value: Any, event: ClockEvent, name: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{event.kind} event on {event.on}: data[{name!r}] is not a date: {value!r}")


def _extension_days(event: ClockEvent) -> int:
    days = event.data.get("days")
    # A malformed extension must fail loudly rather than quietly move (or not move) a deadline.
    # Zero is tolerated: it changes nothing. bool is an int subclass but never a day count.
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValueError(
            f"{event.kind} event on {event.on}: data['days'] must be a non-negative int, "
            f"got {days!r}"
        )
    return days


def _excluded_days(event: ClockEvent) -> int:
    start = _parse_day(event.data.get("start"), event, "start")
    end = _parse_day(event.data.get("end"), event, "end")
    if end < start:
        raise ValueError(f"{event.kind} event on {event.on}: end {end} is before start {start}")
    return (end - start).days + 1


@dataclass
class _Instance:
    rule: ClockRule
    started_on: date
    extra_days: int = 0
    stopped_on: date | None = None

    def freeze(self, calendar: WorkingCalendar) -> Clock:
        due_on = due_date(self.rule, self.started_on, self.extra_days, calendar)
        uncovered = tuple(calendar.uncovered_years(self.started_on, due_on))
        warnings = tuple(UNCOVERED_YEAR_WARNING.format(year=year) for year in uncovered)
        return Clock(
            rule=self.rule,
            started_on=self.started_on,
            due_on=due_on,
            stopped_on=self.stopped_on,
            extra_days=self.extra_days,
            warnings=warnings,
            uncovered_years=uncovered,
        )


def compute_clocks(
    events: Sequence[ClockEvent],
    rules: Mapping[str, ClockRule],
    calendar: WorkingCalendar,
) -> list[Clock]:
    """Every clock instance the events give rise to, running or stopped, in start order.

    A start event for a rule that is already running stops the old instance on that date and opens
    a new one (a re-forwarded matter gets a fresh acceptance period). On a single event the stop
    is applied before the start, so a kind that is in both sets restarts the clock.
    """
    ordered = sorted(events, key=lambda event: event.on)
    active_rules = [rule for rule in rules.values() if rule.enabled]
    instances: list[_Instance] = []
    current: dict[str, _Instance] = {}

    for event in ordered:
        for rule in active_rules:
            instance = current.get(rule.key)
            if instance is not None:
                if event.kind in rule.extended_by:
                    instance.extra_days += _extension_days(event)
                if event.kind in rule.excluded_by:
                    instance.extra_days += _excluded_days(event)
                if event.kind in rule.stops_on or event.kind in rule.starts_on:
                    instance.stopped_on = event.on
                    del current[rule.key]
            if event.kind in rule.starts_on:
                fresh = _Instance(rule=rule, started_on=event.on)
                instances.append(fresh)
                current[rule.key] = fresh

    # Appended as their date-sorted start events came, so this is already start order: same-day
    # starts follow the events' given order, then the rule table's order.
    return [instance.freeze(calendar) for instance in instances]


def running(clocks: Sequence[Clock]) -> list[Clock]:
    return [clock for clock in clocks if clock.running]


def nearest_due(clocks: Sequence[Clock]) -> date | None:
    """The earliest date the office owes something by; windows are not the office's debt."""
    dues = [clock.due_on for clock in clocks if clock.running and not clock.rule.is_window]
    return min(dues, default=None)
