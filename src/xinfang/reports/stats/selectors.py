"""The statistics: counts grouped in SQL over the user's counting scope, never a loop over
matters in Python (the loops below run over grouped rows: a few dozen per table)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinfang.desk.selectors import COUNT_CAP
from xinfang.matters.models import (
    Category,
    Channel,
    Decision,
    EventKind,
    MatterType,
)
from xinfang.org.access import memberships_of
from xinfang.org.models import Level, Region, Unit
from xinfang.reports.periods import Period
from xinfang.reports.stats.drill import NONE, Drill, bounds
from xinfang.reports.stats.scope import Scope, counting_scope
from xinfang.routing.models import Cluster
from xinfang.routing.selectors import MIN_VISIBLE

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHART_TOP = 15  # bars in a chart; the table beside it lists every row
TOP_CATEGORIES = 5
TOP_CLUSTERS = 10
TOP_BODIES = 15


# --- counting ---------------------------------------------------------------------------------


def _received(parts: Iterable[Any], period: Period | tuple[date, date]) -> list[Any]:
    start, end = (period.start, period.end) if isinstance(period, Period) else period
    lo, hi = bounds(start, end)
    # order_by(): the model's default ordering would join the GROUP BY.
    return [p.filter(received_at__gte=lo, received_at__lt=hi).order_by() for p in parts]


def grouped_by_all(parts: Iterable[Any], columns: list[str]) -> dict[str, Counter[Any]]:
    """COUNT(*) GROUP BY all the columns at once, folded into one count per column.

    One scan of the period's rows instead of one per breakdown: the groups are the
    combinations that occur (a few thousand at most for a year of a county: channel × type ×
    category × region × unit), not the matters."""
    totals: dict[str, Counter[Any]] = {c: Counter() for c in columns}
    for part in parts:
        for row in part.values_list(*columns).annotate(n=Count("pk")):
            n = row[-1]
            for column, value in zip(columns, row[:-1], strict=True):
                totals[column][value] += n
    return totals


def by_month(parts: Iterable[Any], months: list[Period]) -> Counter[int]:
    """Counts per month index, in one query per part: a CASE over the months' local-time
    bounds (no per-row time-zone function, which SQLite runs in Python)."""
    whens = [
        When(received_at__lt=bounds(m.start, m.end)[1], then=Value(i)) for i, m in enumerate(months)
    ]
    case = Case(*whens, default=Value(len(months)), output_field=IntegerField())
    total: Counter[int] = Counter()
    for part in parts:
        for row in part.annotate(_m=case).values("_m").annotate(n=Count("pk")):
            total[row["_m"]] += row["n"]
    return total


# --- tables -----------------------------------------------------------------------------------


@dataclass
class Cell:
    count: int
    href: str


@dataclass
class Row:
    key: str
    label: str
    current: Cell
    previous: Cell
    year_ago: Cell | None

    @property
    def change(self) -> int:
        return self.current.count - self.previous.count

    @property
    def pct(self) -> float | None:
        if not self.previous.count:
            return None
        return round(100 * self.change / self.previous.count, 1)


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row]
    chart_rows: list[Row] = field(default_factory=list)
    # Monthly tables compare each month with the same month a year earlier only.
    monthly: bool = False
    chart: Any = None  # set by the view (charts.Chart)


@dataclass
class ClusterFigure:
    cluster_id: int
    label: str
    category: str
    count: int
    href: str


@dataclass
class Statistics:
    period: Period
    previous: Period
    year_ago: Period
    has_year_ago: bool
    total: Row
    tables: list[Table]
    top_categories: list[Row]
    clusters: list[ClusterFigure]

    @property
    def total_rows(self) -> list[Row]:
        return [self.total]


class Context:
    """Who is counting and how links are made for them."""

    def __init__(self, user: User, unit: int | None) -> None:
        self.user = user
        self.unit = unit
        self.scope: Scope = counting_scope(user, lead_unit_id=unit)
        self.region_prefixes = frozenset(m.unit.region.subtree_prefix for m in memberships_of(user))
        self._regions: dict[int, Region] | None = None

    @property
    def regions(self) -> dict[int, Region]:
        if self._regions is None:
            self._regions = Region.objects.in_bulk()
        return self._regions

    def region_of(self, drill: Drill) -> Region | None:
        if not drill.region or drill.region == NONE:
            return None
        return self.regions.get(int(drill.region))

    def href(self, drill: Drill, count: int) -> str:
        """The desk's list when it can say the same thing and will show the exact number (it
        counts at most COUNT_CAP rows, then reads "1000+"); else the statistics' own list."""
        if count > COUNT_CAP:
            return drill.own_href()
        return drill.href(self.scope, self.region_prefixes, self.region_of(drill))

    def bucket(self, region_id: int | None) -> int | None:
        """A matter's region rolled up to its township or street (a village counts there)."""
        if region_id is None:
            return None
        region = self.regions.get(region_id)
        if region is not None and region.level == Level.VILLAGE and region.parent_id:
            return region.parent_id
        return region_id


DIMENSIONS: list[tuple[str, str, Any]] = [
    ("channel", "channel", gettext_lazy("By channel")),
    ("type", "type", gettext_lazy("By type")),
    ("category", "category_id", gettext_lazy("By category")),
    ("region", "region_id", gettext_lazy("By region (township or street)")),
    ("lead", "lead_unit_id", gettext_lazy("By responsible unit")),
]


def _keyed(ctx: Context, dim: str, counts: Counter[Any]) -> Counter[str]:
    out: Counter[str] = Counter()
    for value, n in counts.items():
        if dim == "region":
            value = ctx.bucket(value)
        out[NONE if value is None else str(value)] += n
    return out


def _labels(ctx: Context, dim: str, keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    if dim == "channel":
        return {k: str(Channel(k).label) for k in keys}
    if dim == "type":
        return {k: str(MatterType(k).label) for k in keys}
    ids = [int(k) for k in keys if k != NONE]
    if dim == "category":
        names = {str(c.pk): c.name for c in Category.objects.filter(pk__in=ids)}
        names[NONE] = _("(no category)")
    elif dim == "region":
        names = {str(i): ctx.regions[i].name for i in ids if i in ctx.regions}
        names[NONE] = _("(no region given)")
    else:
        names = {str(u.pk): u.name for u in Unit.objects.filter(pk__in=ids)}
    return {k: names.get(k, k) for k in keys}


def _order(dim: str, keys: set[str], current: Counter[str]) -> list[str]:
    if dim == "channel":
        return [c for c in Channel.values]
    if dim == "type":
        return [t for t in MatterType.values]
    return sorted(keys, key=lambda k: (-current[k], k == NONE, k))


def _row(
    ctx: Context,
    key: str,
    label: str,
    drills: tuple[Drill, Drill, Drill | None],
    counts: tuple[int, int, int | None],
) -> Row:
    cur, prev, ago = drills
    return Row(
        key=key,
        label=label,
        current=Cell(counts[0], ctx.href(cur, counts[0])),
        previous=Cell(counts[1], ctx.href(prev, counts[1])),
        year_ago=None
        if ago is None or counts[2] is None
        else Cell(counts[2], ctx.href(ago, counts[2])),
    )


def statistics(user: User, period: Period, unit: int | None = None) -> Statistics:
    ctx = Context(user, unit)
    previous, year_ago = period.previous(), period.year_earlier()
    periods = (period, previous, year_ago)
    base = [Drill(p.start, p.end, unit=unit) for p in periods]

    tables = []
    totals = [0, 0, 0]
    columns = [column for _d, column, _t in DIMENSIONS]
    # A year's previous period is also its year earlier: counted once.
    by_span: dict[tuple[date, date], dict[str, Counter[Any]]] = {}
    for p in periods:
        if (p.start, p.end) not in by_span:
            by_span[p.start, p.end] = grouped_by_all(_received(ctx.scope.parts, p), columns)
    folded = [by_span[p.start, p.end] for p in periods]
    for dim, column, title in DIMENSIONS:
        counts = [_keyed(ctx, dim, f[column]) for f in folded]
        if dim == "channel":
            totals = [sum(c.values()) for c in counts]
        keys = set(counts[0]) | set(counts[1]) | set(counts[2])
        order = _order(dim, {k for k in keys if any(c[k] for c in counts)}, counts[0])
        labels = _labels(ctx, dim, order)
        rows = []
        for key in order:
            drills = tuple(b.narrow(**{dim: int(key) if dim == "lead" else key}) for b in base)
            rows.append(
                _row(
                    ctx,
                    key,
                    labels[key],
                    (drills[0], drills[1], drills[2]),
                    (counts[0][key], counts[1][key], counts[2][key]),
                )
            )
        chart_rows = rows if dim in ("channel", "type") else rows[:CHART_TOP]
        tables.append(Table(dim, str(title), rows, chart_rows=chart_rows))

    has_year_ago = totals[2] > 0
    if not has_year_ago:
        for table in tables:
            for row in table.rows:
                row.year_ago = None

    tables.append(_monthly(ctx, period, has_year_ago))
    total = _row(
        ctx,
        "total",
        _("All matters"),
        (base[0], base[1], base[2]),
        (totals[0], totals[1], totals[2]),
    )
    if not has_year_ago:
        total.year_ago = None
    category = next(t for t in tables if t.key == "category")
    top = [r for r in category.rows if r.key != NONE and r.current.count][:TOP_CATEGORIES]
    return Statistics(
        period=period,
        previous=previous,
        year_ago=year_ago,
        has_year_ago=has_year_ago,
        total=total,
        tables=tables,
        top_categories=top,
        clusters=top_clusters(ctx, period),
    )


def _monthly(ctx: Context, period: Period, has_year_ago: bool) -> Table:
    months = period.months()
    ago_months = [m.year_earlier() for m in months]
    current = by_month(_received(ctx.scope.parts, period), months)
    ago: Counter[int] = Counter()
    if has_year_ago:
        span = (ago_months[0].start, ago_months[-1].end)
        ago = by_month(_received(ctx.scope.parts, span), ago_months)
    rows = []
    for i, m in enumerate(months):
        here = Drill(m.start, m.end, unit=ctx.unit)
        there = Drill(ago_months[i].start, ago_months[i].end, unit=ctx.unit)
        label = f"{m.start.year}-{m.start.month:02d}"
        rows.append(
            Row(
                key=label,
                label=label,
                current=Cell(current[i], ctx.href(here, current[i])),
                # The month before is the previous row: the comparison here is the year before.
                previous=Cell(0, ""),
                year_ago=Cell(ago[i], ctx.href(there, ago[i])) if has_year_ago else None,
            )
        )
    return Table("month", _("By month received"), rows, chart_rows=rows, monthly=True)


def top_clusters(ctx: Context, period: Period) -> list[ClusterFigure]:
    """The largest clusters of one problem among the matters received in the period, counted
    over the matters this user may count (never the whole cluster: it would tell of matters
    hidden from them), shown only when that is at least two. Accusations are never members,
    and are kept out here as well."""
    counts: Counter[int] = Counter()
    lo, hi = period.bounds()
    for part in ctx.scope.parts:
        # From the period's matters (an index range) to their membership (one row each).
        rows = (
            part.filter(received_at__gte=lo, received_at__lt=hi, routing_cluster__isnull=False)
            .exclude(type=MatterType.ACCUSATION)
            .order_by()
            .values("routing_cluster__cluster_id")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counts[row["routing_cluster__cluster_id"]] += row["n"]
    best = sorted(
        ((cid, n) for cid, n in counts.items() if n >= MIN_VISIBLE), key=lambda x: (-x[1], x[0])
    )[:TOP_CLUSTERS]
    clusters = Cluster.objects.select_related("category").in_bulk([cid for cid, _n in best])
    result = []
    for cid, n in best:
        cluster = clusters[cid]
        drill = Drill(period.start, period.end, unit=ctx.unit, cluster=cid)
        result.append(
            ClusterFigure(
                cluster_id=cid,
                label=cluster.label,
                category=cluster.category.name if cluster.category else "",
                count=n,
                href=drill.own_href(),
            )
        )
    return result


# --- the art. 41 annual figures ----------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    count: int | None  # None: the system records nothing to count
    href: str
    note: str = ""


@dataclass
class Annual:
    year: int
    received: Figure
    by_channel: list[Figure]
    by_type: list[Figure]
    by_category: list[Figure]
    bodies_responsible: list[Figure]
    bodies_accused: list[Figure]
    handling: list[Figure]


EVENT_FIGURES: list[tuple[str, Any]] = [
    (EventKind.FORWARDED, gettext_lazy("Matters forwarded (转送)")),
    (EventKind.ASSIGNED, gettext_lazy("Matters assigned (交办)")),
    (EventKind.REPLIED, gettext_lazy("Matters replied to in writing")),
    (EventKind.REVIEW_REQUESTED, gettext_lazy("Reviews requested (复查)")),
    (EventKind.REVIEWED, gettext_lazy("Reviews decided")),
    (EventKind.RE_REVIEW_REQUESTED, gettext_lazy("Re-reviews requested (复核)")),
    (EventKind.RE_REVIEWED, gettext_lazy("Re-reviews decided")),
]


def _event_counts(ctx: Context, lo: Any, hi: Any, kinds: list[str]) -> tuple[Counter[str], int]:
    """Matters with an event of each kind in [lo, hi), counted per kind (distinct matters),
    and among those with a reply the suggestions answered 支持 (adopted): one pass over the
    events of each disjoint part, joined to their matters (the adopted count needs the
    matter's type and decision, so the join is made once for both)."""
    total: Counter[str] = Counter()
    adopted = 0
    supported = Q(type=MatterType.SUGGESTION, decision=Decision.SUPPORT)
    for part in ctx.scope.parts:
        rows = (
            # One filter() call: the kind and the time name the same event (one join).
            part.filter(
                events__kind__in=kinds, events__occurred_at__gte=lo, events__occurred_at__lt=hi
            )
            .order_by()
            .values("events__kind")
            .annotate(
                n=Count("pk", distinct=True),
                supported=Count("pk", distinct=True, filter=supported),
            )
        )
        for row in rows:
            total[row["events__kind"]] += row["n"]
            if row["events__kind"] == EventKind.REPLIED:
                adopted += row["supported"]
    return total, adopted


def annual(user: User, year_: int) -> Annual:
    ctx = Context(user, None)
    start, end = date(year_, 1, 1), date(year_, 12, 31)
    base = Drill(start, end)
    parts = _received(ctx.scope.parts, (start, end))
    folded = grouped_by_all(parts, [column for _d, column, _t in DIMENSIONS])

    def figures(dim: str, column: str, limit: int | None = None) -> list[Figure]:
        counts = _keyed(ctx, dim, folded[column])
        keys = _order(dim, {k for k, n in counts.items() if n}, counts)
        if limit:
            keys = [k for k in keys if counts[k]][:limit]
        labels = _labels(ctx, dim, keys)
        return [
            Figure(
                k,
                labels[k],
                counts[k],
                ctx.href(base.narrow(**{dim: int(k) if dim == "lead" else k}), counts[k]),
            )
            for k in keys
        ]

    by_channel = figures("channel", "channel")
    by_type = figures("type", "type")
    accused: Counter[int] = Counter()
    for part in parts:
        for row in (
            part.filter(type=MatterType.ACCUSATION).values("accused_units").annotate(n=Count("pk"))
        ):
            if row["accused_units"] is not None:
                accused[row["accused_units"]] += row["n"]
    accused_top = sorted(accused.items(), key=lambda x: (-x[1], x[0]))[:TOP_BODIES]
    names = Unit.objects.in_bulk([u for u, _n in accused_top])
    bodies_accused = [
        Figure(
            str(u),
            names[u].name,
            n,
            ctx.href(base.narrow(accused=u, type=MatterType.ACCUSATION), n),
        )
        for u, n in accused_top
    ]
    lo, hi = bounds(start, end)
    kinds = [k for k, _label in EVENT_FIGURES]
    events, adopted = _event_counts(ctx, lo, hi, kinds)
    handling = [
        Figure(str(k), str(label), events[k], ctx.href(base.narrow(event=str(k)), events[k]))
        for k, label in EVENT_FIGURES
    ]
    handling.insert(
        2,
        Figure(
            "adopted",
            _("Suggestions adopted (建议意见 answered 支持)"),
            adopted,
            ctx.href(base.narrow(event=EventKind.REPLIED, adopted=True), adopted),
        ),
    )
    handling.insert(
        2,
        Figure(
            "supervision",
            _("Supervision (督办)"),
            None,
            "",
            note=_("The system does not record supervision yet: no figure is given."),
        ),
    )
    total = sum(f.count or 0 for f in by_channel)
    return Annual(
        year=year_,
        received=Figure("total", _("Matters received"), total, ctx.href(base, total)),
        by_channel=by_channel,
        by_type=by_type,
        by_category=figures("category", "category_id"),
        bodies_responsible=figures("lead", "lead_unit_id", TOP_BODIES),
        bodies_accused=bodies_accused,
        handling=handling,
    )


def drill_list(user: User, drill: Drill) -> Any:
    """The matters behind a figure, from visible_matters (the counts above come from the
    disjoint parts; the test suite holds them equal). No DISTINCT: no condition can repeat a
    matter (an accused unit is one row of a unique (matter, unit) pair, a cluster membership
    is one per matter, an event is tested with EXISTS), and DISTINCT made the database sort
    every matched row before it could count them or take the first page."""
    from xinfang.matters.selectors import visible_matters

    return visible_matters(user).filter(drill.q())
