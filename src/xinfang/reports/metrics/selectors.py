"""Computing the service-quality metrics from the matters' timelines and the real clocks.

Each metric is a list of *items*: one clock, one reply, one rating, one decision, with the unit
it belongs to, the date that places it in a period, and whether it is in the numerator. A figure
is the count of its items in a period (the denominator) and of those counted (the numerator);
the drill-down lists exactly these items. Clocks are the deadlines app's: what `matter_clocks`
computes (the office's rules, the working-day calendar), with its clock events kept to tell
whose clock each is; nothing here does deadline arithmetic of its own.

Attribution: the route clock (art. 22) to the petition office that had to route the matter; an
acceptance clock (art. 23) to the body the matter was forwarded or assigned to (or that registered
it directly); everything else to the responsible unit (`Matter.lead_unit`). Only units in the
user's scope appear, and only matters the user may see are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xinfang.deadlines.calendar import WorkingCalendar
from xinfang.deadlines.clocks import (
    DEFAULT_RULES,
    Clock,
    ClockEvent,
    ClockRule,
    DayKind,
    compute_clocks,
)
from xinfang.deadlines.models import ClockRuleSetting
from xinfang.deadlines.services import _CLOCK_KINDS, clock_events, rules_for, working_calendar
from xinfang.matters.models import OPEN_STATES, Event, Matter, State
from xinfang.matters.selectors import visible_matters
from xinfang.org.access import scope_unit_ids
from xinfang.org.models import Unit
from xinfang.reports.metrics import definitions as d
from xinfang.reports.periods import Period

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class MetricValue:
    key: str
    label: str
    definition: str
    article: str
    numerator: int
    denominator: int
    rate: float | None  # None when denominator == 0


@dataclass(frozen=True)
class Item:
    """One thing counted in a metric's denominator."""

    metric: str
    matter_id: int
    unit_id: int
    counted: bool  # in the numerator
    reason: str  # a key of definitions.REASONS
    step: str  # a key of definitions.STEPS
    reckoned_on: date  # places the item in a period
    due_on: date | None = None
    done_on: date | None = None
    days_late: int | None = None


class MatterRow(Protocol):
    """What the metrics read of a matter (a Matter, or a row of the candidate query)."""

    @property
    def pk(self) -> int: ...
    @property
    def office_id(self) -> int: ...
    @property
    def lead_unit_id(self) -> int: ...


class _Matter(NamedTuple):
    pk: int
    office_id: int
    lead_unit_id: int


class _Event:
    """An event as the metrics read it: what `clock_events` and `matter_items` look at, without
    building a model instance for each of the many thousands of rows."""

    __slots__ = ("data", "kind", "occurred_at")

    def __init__(self, kind: str, occurred_at: datetime, data: Any) -> None:
        self.kind = kind
        self.occurred_at = occurred_at
        self.data = data


class _MemoCalendar(WorkingCalendar):
    """The office's working-day calendar, remembering its answers for the length of one
    computation (the same few hundred start days and lengths come up for thousands of clocks).
    The arithmetic is the deadlines app's own; only its results are kept."""

    def __init__(self, base: WorkingCalendar) -> None:
        super().__init__(base.overrides, base.covered_years)
        self._period_end: dict[tuple[date, int], date] = {}
        self._working: dict[tuple[date, int], date] = {}
        self._uncovered: dict[tuple[date, date], list[int]] = {}

    def period_end(self, start: date, days: int) -> date:
        key = (start, days)
        found = self._period_end.get(key)
        if found is None:
            found = self._period_end[key] = super().period_end(start, days)
        return found

    def add_working_days(self, start: date, n: int) -> date:
        key = (start, n)
        found = self._working.get(key)
        if found is None:
            found = self._working[key] = super().add_working_days(start, n)
        return found

    def uncovered_years(self, a: date, b: date) -> list[int]:
        key = (a, b)
        found = self._uncovered.get(key)
        if found is None:
            found = self._uncovered[key] = super().uncovered_years(a, b)
        return list(found)


class ClockReader:
    """The deadlines app's clocks for many timelines in one go: the time zone, calendar and each
    office's rules read once, and the clocks of identical timelines (the same clock events on the
    same days at the same office, as for the many matters registered on one day and not yet
    routed) computed once by `compute_clocks`."""

    def __init__(self) -> None:
        self.tz: tzinfo = timezone.get_current_timezone()
        self.calendar = _MemoCalendar(working_calendar())
        self._rules: dict[int | None, tuple[dict[str, ClockRule], frozenset[str]]] = {}
        self._memo: dict[tuple[Any, ...], list[Clock]] = {}

    def day(self, moment: datetime) -> date:
        return timezone.localtime(moment, self.tz).date()

    def events(self, events: Sequence[Event]) -> list[ClockEvent]:
        return clock_events(events, self.tz)

    def clocks(self, office_id: int | None, ces: Sequence[ClockEvent]) -> list[Clock]:
        found = self._rules.get(office_id)
        if found is None:
            rules = rules_for(office_id)
            # The only kinds whose data the engine reads (extensions, excluded hearing days).
            with_data = frozenset().union(*(r.extended_by | r.excluded_by for r in rules.values()))
            found = self._rules[office_id] = (rules, with_data)
        rules, with_data = found
        try:
            key = (
                office_id,
                tuple(
                    (ce.kind, ce.on, tuple(sorted(ce.data.items())) if ce.kind in with_data else ())
                    for ce in ces
                ),
            )
            clocks = self._memo.get(key)
        except TypeError:  # unhashable data: compute without the memo
            return compute_clocks(ces, rules, self.calendar)
        if clocks is None:
            clocks = self._memo[key] = compute_clocks(ces, rules, self.calendar)
        return clocks


def _clock_item(
    metric: str, clock: Clock, unit_id: int, matter_id: int, today: date
) -> Item | None:
    """A duty clock as an item, or None while it is running and not yet due (pending).

    It is placed on the earlier of its stop date and its due date: a clock decided on time counts
    when it was decided, a late or still undecided one when it fell due, so none counts twice.
    """
    due, stopped = clock.due_on, clock.stopped_on
    if stopped is None and today <= due:
        return None
    if stopped is not None and stopped <= due:
        return Item(metric, matter_id, unit_id, True, "on_time", clock.key, stopped, due, stopped)
    if stopped is not None:
        late = (stopped - due).days
        return Item(metric, matter_id, unit_id, False, "late", clock.key, due, due, stopped, late)
    late = (today - due).days
    return Item(metric, matter_id, unit_id, False, "overdue", clock.key, due, due, None, late)


def _start_units(ces: Sequence[ClockEvent], matter: MatterRow) -> dict[str, list[int]]:
    """For the route and acceptance clocks, the unit owing each instance, in the order
    compute_clocks opens them (one per start event, sorted by day, stable)."""
    units: dict[str, list[int]] = defaultdict(list)
    for ce in sorted(ces, key=lambda e: e.on):
        for key in ("route", "acceptance"):
            if ce.kind not in DEFAULT_RULES[key].starts_on:
                continue
            data: dict[str, Any] = dict(ce.data)
            if ce.kind.startswith("registered"):
                owner = matter.office_id  # the office that registered it owes the first step
            elif ce.kind == "objected":
                owner = int(data.get("back_to") or matter.office_id)
            else:  # forwarded, assigned: the body it was sent to
                owner = int(data.get("to_unit") or matter.lead_unit_id)
            units[key].append(owner)
    return units


def matter_items(
    matter: MatterRow,
    events: Sequence[Event],
    *,
    has_repeats: bool,
    today: date,
    reader: ClockReader | None = None,
) -> Iterator[Item]:
    """Every item of every metric that this matter gives, whatever the period."""
    reader = reader or ClockReader()
    _local_day = reader.day
    mid, lead = matter.pk, matter.lead_unit_id
    # What matter_clocks does, keeping the timeline's clock events for the attribution.
    ces = reader.events(events)
    clocks = reader.clocks(matter.office_id, ces)
    units = _start_units(ces, matter)
    seen: dict[str, int] = defaultdict(int)
    window: Clock | None = None
    for clock in clocks:
        n = seen[clock.key]
        seen[clock.key] += 1
        if clock.key in ("route", "acceptance"):
            owners = units[clock.key]
            unit = owners[n] if n < len(owners) else lead
            item = _clock_item(d.TIMELY_ACCEPTANCE, clock, unit, mid, today)
        elif clock.key in ("handling", "simplified"):
            item = _clock_item(d.ON_TIME_REPLY, clock, lead, mid, today)
        else:
            if clock.key == "review_request" and window is None:
                window = clock
            continue
        if item is not None:
            yield item

    replied = [e for e in events if e.kind == "replied"]
    rated = next((e for e in events if e.kind == "rated"), None)
    accepted = next((e for e in events if e.kind == "accepted"), None)
    review_asked = any(e.kind == "review_requested" for e in events)

    if replied:
        first = _local_day(replied[0].occurred_at)
        done = _local_day(rated.occurred_at) if rated else None
        yield Item(
            d.RATING_PARTICIPATION,
            mid,
            lead,
            rated is not None,
            "rated" if rated else "not_rated",
            "reply",
            first,
            done_on=done,
        )
    if rated is not None:
        rating = str((rated.data or {}).get("rating", ""))
        on = _local_day(rated.occurred_at)
        good = rating in ("satisfied", "basically")
        reason = rating if rating in d.REASONS else "unsatisfied"
        yield Item(d.SATISFACTION, mid, lead, good, reason, "rating", on, done_on=on)
    if window is not None and (window.stopped_on is not None or today > window.due_on):
        ended = (
            window.due_on if window.stopped_on is None else min(window.stopped_on, window.due_on)
        )
        if review_asked:
            reason = "review_requested"
        elif has_repeats:
            reason = "repeated"
        else:
            reason = "resolved"
        yield Item(
            d.FIRST_TIME_RESOLUTION,
            mid,
            lead,
            reason == "resolved",
            reason,
            "review_request",
            ended,
            due_on=window.due_on,
            done_on=window.stopped_on,
        )
    if accepted is not None:
        on = _local_day(accepted.occurred_at)
        yield Item(
            d.REPEAT_RATE,
            mid,
            lead,
            has_repeats,
            "repeated" if has_repeats else "not_repeated",
            "accepted",
            on,
            done_on=on,
        )
    for e in events:
        if e.kind in ("reviewed", "re_reviewed"):
            outcome = str((e.data or {}).get("outcome", ""))
            on = _local_day(e.occurred_at)
            yield Item(
                d.REVIEW_UPHELD,
                mid,
                lead,
                outcome == "upheld",
                outcome if outcome in d.REASONS else "changed",
                "review" if e.kind == "reviewed" else "re_review",
                on,
                done_on=on,
            )


# The timeline kinds an item can come from or be dated by: those the clocks read, the rating
# and the review decisions. Notes, attachments and the like never give or move a figure.
READ_KINDS = sorted(
    _CLOCK_KINDS
    | {
        "registered",
        "accepted",
        "extension_approved",
        "hearing",
        "rated",
        "reviewed",
        "re_reviewed",
    }
)

# Those among them whose day can place an item: every stop of a clock (a decision, a reply, a
# request), the rating and the review decisions. Registration only starts clocks, and an
# extension or a hearing only moves a running clock's due date, which the stored due date shows.
DATING_KINDS = sorted(set(READ_KINDS) - {"registered", "extension_approved", "hearing"})


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _window_reach() -> int:
    """Days after a reply within which its review window (art. 35) can still be running: the
    rule's length (working days counted double), plus room for a holiday roll-forward."""
    longest = DEFAULT_RULES["review_request"].days
    working = DEFAULT_RULES["review_request"].day_kind is DayKind.WORKING
    for days, kind in ClockRuleSetting.objects.filter(key="review_request").values_list(
        "days", "day_kind"
    ):
        longest = max(longest, days)
        working = working or kind == DayKind.WORKING
    return longest * (2 if working else 1) + 20


def candidates(user: AnyUser, span: Period, unit_ids: Iterable[int] | None) -> QuerySet[Matter]:
    """The visible matters that can give an item dated within `span`, received by its end:

    - those with a step of DATING_KINDS on or after the span's start (every stopped clock,
      reply, rating, acceptance and decision dated in the span has one; a clock stopped late is
      dated by its due date, on or before its stop);
    - open matters whose running clock falls due within the span (the stored nearest due date,
      kept in step with the events by the deadlines app); when the local first-visit clock runs
      beside the handling clock somewhere, every open matter, since the nearest due date then
      hides the later one;
    - replied matters whose review window may still have been running in the span.
    """
    start = _midnight(span.start)
    # Uncorrelated subqueries (each read once, through the events' index on kind and time), not
    # an EXISTS probe for every matter.
    recent = Event.objects.filter(occurred_at__gte=start, kind__in=DATING_KINDS).values("matter_id")
    reach = start - timedelta(days=_window_reach())
    replied = Event.objects.filter(kind="replied", occurred_at__gte=reach).values("matter_id")
    if ClockRuleSetting.objects.filter(key="first_visit", enabled=True).exists():
        running = Q(state__in=OPEN_STATES)
    else:
        running = Q(state__in=OPEN_STATES, due_date__gte=span.start, due_date__lte=span.end)
    qs = visible_matters(user).filter(received_at__lt=_midnight(span.end + timedelta(days=1)))
    qs = qs.filter(running | Q(state=State.REPLIED, pk__in=replied) | Q(pk__in=recent))
    if unit_ids is not None:
        ids = list(unit_ids)
        sent = Event.objects.filter(matter=OuterRef("pk")).filter(
            Q(kind__in=["forwarded", "assigned"], data__to_unit__in=ids)
            | Q(kind="objected", data__back_to__in=ids)
        )
        qs = qs.filter(Q(lead_unit_id__in=ids) | Q(office_id__in=ids) | Exists(sent))
    return qs.order_by().only("id", "office_id", "lead_unit_id")


def _timelines(qs: QuerySet[Matter]) -> Iterator[tuple[_Matter, list[_Event]]]:
    """Each candidate matter with its timeline (the kinds in READ_KINDS, in order), streamed
    from one query over the events of the candidates. A matter without such events gives no
    item, so it is not missed."""
    rows = (
        Event.objects.filter(matter_id__in=qs.values("pk"), kind__in=READ_KINDS)
        .order_by("matter_id", "seq")
        .values_list(
            "matter_id", "matter__office_id", "matter__lead_unit_id", "kind", "occurred_at", "data"
        )
    )
    matter: _Matter | None = None
    events: list[_Event] = []
    for mid, office_id, lead_unit_id, kind, occurred_at, data in rows.iterator(chunk_size=5000):
        if matter is None or matter.pk != mid:
            if matter is not None:
                yield matter, events
            matter, events = _Matter(mid, office_id, lead_unit_id), []
        events.append(_Event(kind, occurred_at, data))
    if matter is not None:
        yield matter, events


def _signature(
    matter: _Matter, events: Sequence[_Event], has_repeats: bool, reader: ClockReader
) -> tuple[Any, ...] | None:
    """Everything `matter_items` reads of a matter but its id (the events' kinds, local days and
    data), or None when some data cannot be compared."""
    try:
        return (
            matter.office_id,
            matter.lead_unit_id,
            has_repeats,
            tuple(
                (e.kind, reader.day(e.occurred_at), tuple(sorted((e.data or {}).items())))
                for e in events
            ),
        )
    except TypeError:  # a list or a dict among the data's values
        return None


def collect_items(
    user: AnyUser,
    periods: Sequence[Period],
    *,
    unit_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> dict[Period, list[Item]]:
    """The items of every metric dated within each period, for the units in the user's scope
    (or those of `unit_ids` among them).

    Many matters have the same timeline but for their id (registered the same day and not yet
    routed, say): their items are worked out once and copied with each matter's id."""
    today = today or timezone.localdate()
    scope = scope_unit_ids(user)
    allowed = set(scope) if unit_ids is None else set(unit_ids) & set(scope)
    result: dict[Period, list[Item]] = {p: [] for p in periods}
    if not allowed or not periods:
        return result
    span = Period(min(p.start for p in periods), max(p.end for p in periods))
    qs = candidates(user, span, None if unit_ids is None else allowed)
    # The matters a repeat was linked to (few, through the index), rather than a second pass
    # of the candidate query.
    repeated = set(
        Matter.objects.filter(repeat_of__isnull=False).values_list("repeat_of_id", flat=True)
    )
    reader = ClockReader()
    memo: dict[tuple[Any, ...], list[Item]] = {}
    for matter, events in _timelines(qs):
        has_repeats = matter.pk in repeated
        key = _signature(matter, events, has_repeats, reader)
        found = memo.get(key) if key is not None else None
        if found is None:
            found = [
                item
                for item in matter_items(
                    matter,
                    cast("list[Event]", events),  # the fields they read
                    has_repeats=has_repeats,
                    today=today,
                    reader=reader,
                )
                if item.unit_id in allowed and span.start <= item.reckoned_on <= span.end
            ]
            if key is not None:
                memo[key] = found
        for t in found:
            item = (
                t
                if t.matter_id == matter.pk
                else Item(
                    t.metric,
                    matter.pk,
                    t.unit_id,
                    t.counted,
                    t.reason,
                    t.step,
                    t.reckoned_on,
                    t.due_on,
                    t.done_on,
                    t.days_late,
                )
            )
            for period in periods:
                if period.start <= item.reckoned_on <= period.end:
                    result[period].append(item)
    return result


def value_of(key: str, items: Iterable[Item]) -> MetricValue:
    definition = d.DEFINITIONS[key]
    denominator = numerator = 0
    for item in items:
        if item.metric == key:
            denominator += 1
            numerator += item.counted
    return MetricValue(
        key=key,
        label=str(definition.label),
        definition=str(definition.definition),
        article=str(definition.article),
        numerator=numerator,
        denominator=denominator,
        rate=numerator / denominator if denominator else None,
    )


def values_of(items: Sequence[Item]) -> list[MetricValue]:
    by_key: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_key[item.metric].append(item)
    return [value_of(key, by_key[key]) for key in d.KEYS]


def _one_unit(unit: Unit | int | None) -> list[int] | None:
    if unit is None:
        return None
    return [unit if isinstance(unit, int) else unit.pk]


def scope_metrics(
    user: AnyUser, period: Period, unit: Unit | None = None, *, today: date | None = None
) -> list[MetricValue]:
    """The seven metrics over everything the user may see in the period, or over one unit."""
    items = collect_items(user, [period], unit_ids=_one_unit(unit), today=today)[period]
    return values_of(items)


def group_by_unit(items: Iterable[Item]) -> dict[int, list[Item]]:
    grouped: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        grouped[item.unit_id].append(item)
    return grouped


def units_in_order(unit_ids: Iterable[int]) -> list[Unit]:
    """Units by level and name (the model's order): never ordered by any figure."""
    return list(Unit.objects.filter(pk__in=set(unit_ids)))


def metric_items(
    user: AnyUser,
    key: str,
    period: Period,
    unit: Unit | int | None = None,
    *,
    today: date | None = None,
) -> list[Item]:
    """The items behind one figure: counted first, then the rest, each by date."""
    items = collect_items(user, [period], unit_ids=_one_unit(unit), today=today)[period]
    chosen = [i for i in items if i.metric == key]
    chosen.sort(key=lambda i: (not i.counted, i.reckoned_on, i.matter_id))
    return chosen


def metrics_by_unit(
    user: AnyUser, period: Period, *, today: date | None = None
) -> list[tuple[Unit, list[MetricValue]]]:
    """The seven metrics for each unit in the user's scope that has anything in the period."""
    items = collect_items(user, [period], today=today)[period]
    grouped = group_by_unit(items)
    return [(unit, values_of(grouped[unit.pk])) for unit in units_in_order(grouped)]
