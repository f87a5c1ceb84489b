"""Reads for the workbench: the home page's queues and the filtered matter list.

Everything starts from xinfang.matters.selectors.visible_matters(user), so scope (and the
accusation safeguard) is enforced in one place. Overdue is derived from due_date and today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinfang.desk import search
from xinfang.matters.models import (
    OPEN_STATES,
    Channel,
    CoHandling,
    Evaluation,
    Event,
    EventKind,
    MatterQuerySet,
    Rating,
    State,
)
from xinfang.matters.selectors import visible_matters
from xinfang.matters.services.routing import BEFORE_ACCEPTANCE
from xinfang.org.access import memberships_of
from xinfang.org.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.utils.functional import _StrPromise

SOON_DAYS = 3
RECENT_RATING_DAYS = 30
HANDLING = (State.ACCEPTED, State.IN_HANDLING)
LIST_COLUMNS = (
    "id",
    "number",
    "title",
    "state",
    "type",
    "channel",
    "due_date",
    "received_at",
    "lead_unit__name",
    "version",
)


def _units(user: User, capability: str) -> set[int]:
    return {m.unit_id for m in memberships_of(user) if getattr(m, capability)}


def _own_units(user: User) -> set[int]:
    return {m.unit_id for m in memberships_of(user) if not m.is_read_only}


def _mine(user: User) -> Q:
    """Matters this person works on: their unit's when they decide for it (a registrar, a unit
    lead), the ones they handle, the ones they own as leader; for a supervisor, all they see.

    Only the terms their roles can fill: a registrar's is then `lead_unit IN (…)`, which the
    (lead_unit, state, due_date) index serves, rather than an OR no index serves.
    """
    roles = {m.role for m in memberships_of(user)}
    if Role.SUPERVISOR in roles:
        return Q()  # 督办: every deadline in their jurisdiction is theirs to watch
    deciding = _units(user, "can_route") | _units(user, "can_assign")
    terms = []
    if deciding:
        terms.append(Q(lead_unit_id__in=deciding))
    if Role.HANDLER in roles:
        terms.append(Q(handler=user))
    if Role.LEADER in roles:
        terms.append(Q(leader=user))
    if not terms:
        return Q(pk__in=[])
    mine = terms[0]
    for term in terms[1:]:
        mine |= term
    return mine


def _pending_extension() -> Subquery:
    latest = (
        Event.objects.filter(
            matter=OuterRef("pk"),
            kind__in=[
                EventKind.EXTENSION_REQUESTED,
                EventKind.EXTENSION_APPROVED,
                EventKind.EXTENSION_REFUSED,
            ],
        )
        .order_by("-seq")
        .values("kind")[:1]
    )
    return Subquery(latest)


@dataclass(frozen=True)
class Queue:
    key: str
    label: _StrPromise
    hint: _StrPromise


QUEUES = (
    Queue("to_register", _("To register"), _("online submissions waiting for a registrar")),
    Queue(
        "to_route",
        _("To forward or accept"),
        _("within 15 days of receipt (arts. 22, 23)"),
    ),
    Queue("due_soon", _("Due within 3 days"), _("nearest due date first")),
    Queue("overdue", _("Overdue"), _("past the due date and still open")),
    Queue("extensions", _("Extensions waiting for my approval"), _("art. 34")),
    Queue("leading", _("Matters I own as leader"), _("leader case ownership")),
    Queue("co_handling", _("Matters my unit co-handles"), _("joint handling")),
    Queue("unsatisfied", _("Recently rated unsatisfied"), _("in the last 30 days")),
)
QUEUE_KEYS = frozenset(q.key for q in QUEUES)


def queue(user: User, key: str, today: date | None = None) -> MatterQuerySet:
    """The matters of one home-page queue, nearest due date first."""
    today = today or timezone.localdate()
    base = visible_matters(user)
    if key == "to_register":
        # Portal submissions: registered online with no staff step yet (the registration event
        # is the only one).
        qs = base.filter(
            state=State.REGISTERED,
            channel=Channel.ONLINE,
            office_id__in=_units(user, "can_register"),
            last_event_seq__lte=1,
        )
        # Due 15 days after receipt: oldest first is nearest due date first, and the
        # (office, received_at) index serves it.
        return qs.order_by("received_at", "id")
    elif key == "to_route":
        qs = base.filter(state__in=BEFORE_ACCEPTANCE, lead_unit_id__in=_units(user, "can_route"))
    elif key == "due_soon":
        qs = base.filter(
            _mine(user),
            state__in=OPEN_STATES,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=SOON_DAYS),
        )
    elif key == "overdue":
        qs = base.filter(_mine(user), state__in=OPEN_STATES, due_date__lt=today)
    elif key == "extensions":
        qs = (
            base.filter(state__in=HANDLING, lead_unit_id__in=_units(user, "can_approve"))
            .annotate(_last_extension=_pending_extension())
            .filter(_last_extension=EventKind.EXTENSION_REQUESTED)
        )
    elif key == "leading":
        qs = base.filter(leader=user, state__in=OPEN_STATES)
    elif key == "co_handling":
        # Few matters are co-handled or rated: the sub-read picks the open ones of the person's
        # own units, and the visible matters are those among them (pk IN (sub-query), no list
        # of ids read into Python and cut short).
        co = CoHandling.objects.filter(
            unit_id__in=_own_units(user), matter__state__in=OPEN_STATES
        ).values("matter_id")
        qs = base.filter(pk__in=co, state__in=OPEN_STATES)
    elif key == "unsatisfied":
        since = timezone.now() - timedelta(days=RECENT_RATING_DAYS)
        own = _own_units(user)
        rated = (
            Evaluation.objects.filter(rating=Rating.UNSATISFIED, recorded_at__gte=since)
            .filter(
                Q(matter__lead_unit_id__in=own)
                | Q(matter__office_id__in=own)
                | Q(matter__handler=user)
                | Q(matter__leader=user)
            )
            .values("matter_id")
        )
        qs = base.filter(pk__in=rated)
    else:
        raise KeyError(key)
    # Open matters always have a running clock, so no NULL due dates to place: the plain order
    # lets the (state, due_date) indexes serve it.
    return qs.order_by("due_date", "id")


# Above this a count on the home page reads "1000+": counting 60,000 overdue matters of a whole
# county tells nobody more, and costs a scan; the list page shows the exact figure.
COUNT_CAP = 1000


def home_queues(user: User, limit: int = 5) -> list[dict[str, Any]]:
    """Every queue with its count (capped) and first rows; queues the person's roles never
    fill are left out (a handler sees no registration queue)."""
    today = timezone.localdate()
    relevant = {
        "to_register": bool(_units(user, "can_register")),
        "to_route": bool(_units(user, "can_route")),
        "extensions": bool(_units(user, "can_approve")),
        "leading": any(m.role == Role.LEADER for m in memberships_of(user)),
    }
    # Someone who handles or leads matters finds theirs through the handler/leader indexes;
    # reading state by state would scan each state instead.
    by_state = not {m.role for m in memberships_of(user)} & {Role.HANDLER, Role.LEADER}
    result = []
    for q in QUEUES:
        if not relevant.get(q.key, True):
            continue
        qs = queue(user, q.key, today)
        rows = _first_rows(qs, q.key, limit, by_state=by_state)
        count = len(rows) if len(rows) < limit else qs.order_by()[: COUNT_CAP + 1].count()
        result.append(
            {
                "queue": q,
                "count": min(count, COUNT_CAP),
                "more": count > COUNT_CAP,
                "rows": _decorate(rows, today),
            }
        )
    return result


# The states a queue spans: its first rows are read state by state, each read in due-date order
# straight from the (lead_unit, state, due_date) / (state, due_date) indexes, then merged. One
# query over all the states would sort every candidate first: 60,000 at a busy county office.
_QUEUE_STATES = {
    "to_route": BEFORE_ACCEPTANCE,
    "due_soon": tuple(OPEN_STATES),
    "overdue": tuple(OPEN_STATES),
}


def _first_rows(
    qs: MatterQuerySet, key: str, limit: int, *, by_state: bool
) -> list[dict[str, Any]]:
    states = _QUEUE_STATES.get(key) if by_state or key == "to_route" else None
    if states is None:
        return list(qs.values(*LIST_COLUMNS)[:limit])
    rows = [row for state in states for row in qs.filter(state=state).values(*LIST_COLUMNS)[:limit]]
    rows.sort(key=lambda r: (r["due_date"] is None, r["due_date"], r["id"]))
    return rows[:limit]


def _decorate(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    for row in rows:
        due = row["due_date"]
        row["days_left"] = None if due is None else (due - today).days
        row["overdue"] = due is not None and due < today and row["state"] in OPEN_STATES
        row["late"] = -row["days_left"] if row["overdue"] else 0
        row["state_label"] = State(row["state"]).label
    return rows


@dataclass
class ListFilters:
    q: str = ""
    state: str = ""
    type: str = ""
    category: int | None = None
    unit: int | None = None
    region: str = ""
    channel: str = ""
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    open_only: bool = False
    queue: str = ""
    sort: str = "due"


# Matters with no running clock (closed, replied) come last either way, on both databases.
SORTS: dict[str, tuple[Any, ...]] = {
    "due": (F("due_date").asc(nulls_last=True), "id"),
    "-due": (F("due_date").desc(nulls_last=True), "-id"),
    "-received": ("-received_at", "-id"),
    "received": ("received_at", "id"),
}


def matter_list(user: User, f: ListFilters, today: date | None = None) -> MatterQuerySet:
    """The visible matters matching the filters, sorted. Raises search.QueryTooShort."""
    today = today or timezone.localdate()
    qs = queue(user, f.queue, today) if f.queue in QUEUE_KEYS else visible_matters(user)
    if f.q.strip():
        qs = qs.filter(pk__in=search.matching_ids(f.q))
    if f.state:
        qs = qs.filter(state=f.state)
    if f.open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if f.type:
        qs = qs.filter(type=f.type)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.unit:
        qs = qs.filter(lead_unit_id=f.unit)
    if f.region:
        qs = qs.filter(region__code__startswith=f.region)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    tz = timezone.get_current_timezone()
    if f.received_from:
        qs = qs.filter(received_at__gte=datetime.combine(f.received_from, time.min, tz))
    if f.received_to:
        end = datetime.combine(f.received_to + timedelta(days=1), time.min, tz)
        qs = qs.filter(received_at__lt=end)
    if f.overdue:
        qs = qs.filter(state__in=OPEN_STATES, due_date__lt=today)
    order = SORTS.get(f.sort, SORTS["due"])
    only_open = f.open_only or f.overdue or f.queue in QUEUE_KEYS or f.state in OPEN_STATES
    if only_open and f.sort in ("due", "-due"):
        # Open matters all have a due date: the plain order lets an index on due_date serve
        # it (NULLS LAST is an expression no SQLite index can).
        order = ("due_date", "id") if f.sort == "due" else ("-due_date", "-id")
    return qs.order_by(*order)


def decorate(rows: list[dict[str, Any]], today: date | None = None) -> list[dict[str, Any]]:
    return _decorate(rows, today or timezone.localdate())
