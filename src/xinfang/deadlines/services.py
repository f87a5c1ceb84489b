"""The Django side of the clocks: load the office's calendar and rules, compute a matter's clocks
from its timeline, keep the stored due date in step, and find drift."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinfang.deadlines.calendar import WorkingCalendar
from xinfang.deadlines.clocks import (
    DEFAULT_RULES,
    Clock,
    ClockEvent,
    ClockRule,
    DayKind,
    compute_clocks,
    nearest_due,
)
from xinfang.deadlines.models import ClockRuleSetting, CoveredYear, HolidayOverride

if TYPE_CHECKING:
    from xinfang.matters.models import Event, Matter

# Another app server's change reaches this process within this many seconds; the stored due
# dates are recomputed at once by the process that made the change.
CACHE_SECONDS = 30.0
_calendar: tuple[float, WorkingCalendar] | None = None
_rules: tuple[float, dict[int | None, dict[str, ClockRuleSetting]]] | None = None


def invalidate_caches() -> None:
    global _calendar, _rules
    _calendar = None
    _rules = None


def working_calendar() -> WorkingCalendar:
    global _calendar
    now = time.monotonic()
    if _calendar is None or now - _calendar[0] > CACHE_SECONDS:
        overrides = dict(HolidayOverride.objects.values_list("day", "is_workday"))
        covered = CoveredYear.objects.values_list("year", flat=True)
        _calendar = (now, WorkingCalendar(overrides, covered))
    return _calendar[1]


def rules_for(office_id: int | None) -> dict[str, ClockRule]:
    """The default table with the global changes, then the office's own, applied."""
    global _rules
    now = time.monotonic()
    if _rules is None or now - _rules[0] > CACHE_SECONDS:
        by_office: dict[int | None, dict[str, ClockRuleSetting]] = {}
        for setting in ClockRuleSetting.objects.all():
            by_office.setdefault(setting.office_id, {})[setting.key] = setting
        _rules = (now, by_office)
    rules = dict(DEFAULT_RULES)
    for scope in (None, office_id):
        for key, setting in _rules[1].get(scope, {}).items():
            if key in rules:
                rules[key] = rules[key].with_changes(
                    days=setting.days, day_kind=DayKind(setting.day_kind), enabled=setting.enabled
                )
    return rules


# Timeline kinds that move a clock; everything else (notes, ratings, attachments) does not.
_CLOCK_KINDS = frozenset(
    {
        "forwarded",
        "assigned",
        "objected",
        "not_accepted",
        "guided",
        "replied",
        "review_requested",
        "reviewed",
        "re_review_requested",
        "re_reviewed",
        "linked",
        "closed",
    }
)


def clock_events(events: Iterable[Event], tz: tzinfo | None = None) -> list[ClockEvent]:
    """The clock engine's view of a timeline. `tz` (default: the current time zone) lets a caller
    that reads many timelines look the zone up once."""
    if tz is None:
        tz = timezone.get_current_timezone()
    result: list[ClockEvent] = []
    for event in events:
        on = timezone.localtime(event.occurred_at, tz).date()
        kind = event.kind
        data: dict[str, Any] = event.data or {}
        if kind == "registered":
            kind = "registered_at_office" if data.get("at_office") else "registered_direct"
        elif kind == "accepted":
            if data.get("first_visit"):
                result.append(ClockEvent(kind="accepted_first_visit", on=on))
            kind = "accepted_simplified" if data.get("simplified") else "accepted"
        elif kind == "extension_approved":
            data = {"days": int(data.get("days", 0))}
        elif kind == "hearing":
            data = {"start": data["start"], "end": data["end"]}
        elif kind not in _CLOCK_KINDS:
            continue
        result.append(ClockEvent(kind=kind, on=on, data=data))
    return result


def matter_clocks(matter: Matter, events: Sequence[Event] | None = None) -> list[Clock]:
    if events is None:
        events = list(matter.events.order_by("seq"))
    return compute_clocks(clock_events(events), rules_for(matter.office_id), working_calendar())


@dataclass(frozen=True)
class DueFields:
    due_date: date | None
    calendar_warning: bool


def due_fields(clocks: Sequence[Clock]) -> DueFields:
    running = [c for c in clocks if c.running]
    return DueFields(nearest_due(clocks), any(c.warnings for c in running))


def refresh_due(matter: Matter, events: Sequence[Event] | None = None) -> bool:
    """Store the matter's nearest due date again from its events. True when it changed."""
    fields = due_fields(matter_clocks(matter, events))
    if (matter.due_date, matter.calendar_warning) == (fields.due_date, fields.calendar_warning):
        return False
    matter.due_date = fields.due_date
    matter.calendar_warning = fields.calendar_warning
    matter.save(update_fields=["due_date", "calendar_warning"])
    return True


@dataclass(frozen=True)
class Drift:
    matter_id: int
    number: str
    stored: date | None
    computed: date | None


def _iter_with_events(matters: Iterable[Matter]) -> Iterable[tuple[Matter, list[Event]]]:
    from xinfang.matters.models import Event

    batch: list[Matter] = []

    def flush() -> Iterable[tuple[Matter, list[Event]]]:
        by_matter: dict[int, list[Event]] = {m.pk: [] for m in batch}
        for event in Event.objects.filter(matter_id__in=by_matter).order_by("matter_id", "seq"):
            by_matter[event.matter_id].append(event)
        for m in batch:
            yield m, by_matter[m.pk]

    for matter in matters:
        batch.append(matter)
        if len(batch) >= 500:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def find_drift(matters: Iterable[Matter] | None = None) -> list[Drift]:
    """Matters whose stored due date differs from what their events give now."""
    from xinfang.matters.models import Matter

    if matters is None:
        matters = Matter.objects.only("id", "number", "office_id", "due_date").iterator(2000)
    drifts = []
    for matter, events in _iter_with_events(matters):
        computed = due_fields(matter_clocks(matter, events)).due_date
        if computed != matter.due_date:
            drifts.append(Drift(matter.pk, matter.number, matter.due_date, computed))
    return drifts


def recompute_due_dates(office_id: int | None = None) -> int:
    """Recompute every stored due date (after a calendar or rule change).

    Returns the count changed."""
    from xinfang.matters.models import Matter

    invalidate_caches()
    qs = Matter.objects.only("id", "office_id", "due_date", "calendar_warning")
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    changed = 0
    for matter, events in _iter_with_events(qs.iterator(2000)):
        if refresh_due(matter, events):
            changed += 1
    return changed


@transaction.atomic
def holidays_load(*, year: int, days: Sequence[tuple[date, bool, str]], source: str) -> int:
    """Load one year's official schedule (only the exceptions to Monday-Friday are needed).

    Replaces the year's earlier overrides, marks the year covered and recomputes every stored due
    date in the same transaction. Returns the number of matters whose due date moved.
    """
    from xinfang.matters.errors import InvalidInput

    if not source.strip():
        raise InvalidInput(_("请注明节假日安排的来源（如国务院办公厅通知文号）。"), field="source")
    for day, _is_workday, _name in days:
        if day.year != year:
            raise InvalidInput(
                _("%(day)s 不属于 %(year)d 年。") % {"day": day.isoformat(), "year": year},
                field="days",
            )
    HolidayOverride.objects.filter(day__year=year).delete()
    HolidayOverride.objects.bulk_create(
        HolidayOverride(day=day, is_workday=is_workday, name=name) for day, is_workday, name in days
    )
    CoveredYear.objects.update_or_create(year=year, defaults={"source": source})
    transaction.on_commit(invalidate_caches)
    return recompute_due_dates()


@transaction.atomic
def clock_rule_set(
    *, office_id: int | None, key: str, days: int, day_kind: str, enabled: bool = True
) -> int:
    """Change one clock rule for an office (or everywhere) and recompute the due dates it moves."""
    from xinfang.matters.errors import InvalidInput

    if key not in DEFAULT_RULES:
        raise InvalidInput(_("没有名为 %(key)s 的期限规则。") % {"key": key}, field="key")
    if days < 1 or days > 365:
        raise InvalidInput(_("期限天数应在1到365之间。"), field="days")
    if day_kind not in {k.value for k in DayKind}:
        raise InvalidInput(_("期限按自然日（calendar）或工作日（working）计算。"), field="day_kind")
    ClockRuleSetting.objects.update_or_create(
        office_id=office_id,
        key=key,
        defaults={"days": days, "day_kind": day_kind, "enabled": enabled},
    )
    transaction.on_commit(invalidate_caches)
    return recompute_due_dates(office_id)
