"""What one figure counts, written once: the count, the drill-down list and the desk link all
read the same `Drill`.

A figure is "matters received in [start, end]" narrowed by at most a few conditions (channel,
type, category, region bucket, responsible unit, accused unit, cluster), or, for the annual
figures, "matters with an event of this kind in [start, end]" (forwarded, replied...).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from xinfang.matters.models import Decision, Event, MatterType
from xinfang.org.models import Level, Region

if TYPE_CHECKING:
    from xinfang.reports.stats.scope import Scope

NONE = "none"  # the bucket of matters with no category or no region


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tz),
        datetime.combine(end + timedelta(days=1), time.min, tz),
    )


def region_bucket(region: Region | None) -> Q:
    """The matters counted under a region's bar: a township or street with its villages; a
    county or city (a matter placed at that level, not below) on its own."""
    if region is None:
        return Q(region__isnull=True)
    if region.level in (Level.TOWNSHIP, Level.VILLAGE):
        return Q(region__code__startswith=region.code)
    return Q(region_id=region.pk)


@dataclass(frozen=True)
class Drill:
    start: date
    end: date
    unit: int | None = None  # the page's filter: the responsible unit
    channel: str = ""
    type: str = ""
    category: str = ""  # a category id, or NONE
    region: str = ""  # a region id, or NONE
    lead: int | None = None  # the responsible unit of this figure
    accused: int | None = None
    cluster: int | None = None
    event: str = ""  # an EventKind: matters with that event in the period
    adopted: bool = False  # 建议意见 answered 支持

    def narrow(self, **changes: object) -> Drill:
        return replace(self, **changes)  # type: ignore[arg-type]

    def matter_q(self, region: Region | None = None) -> Q:
        """The conditions on the matter itself (not the period)."""
        q = Q()
        if self.unit is not None:
            q &= Q(lead_unit_id=self.unit)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.type:
            q &= Q(type=self.type)
        if self.category:
            q &= (
                Q(category__isnull=True)
                if self.category == NONE
                else Q(category_id=int(self.category))
            )
        if self.region:
            q &= region_bucket(None if self.region == NONE else region)
        if self.lead is not None:
            q &= Q(lead_unit_id=self.lead)
        if self.accused is not None:
            q &= Q(accused_units=self.accused)
        if self.cluster is not None:
            # Accusations are never clustered; a reclassified one is kept out here too.
            q &= Q(routing_cluster__cluster_id=self.cluster) & ~Q(type=MatterType.ACCUSATION)
        if self.adopted:
            q &= Q(type=MatterType.SUGGESTION, decision=Decision.SUPPORT)
        return q

    def period_q(self) -> Q:
        lo, hi = bounds(self.start, self.end)
        if self.event:
            events = Event.objects.filter(
                matter=OuterRef("pk"), kind=self.event, occurred_at__gte=lo, occurred_at__lt=hi
            )
            return Q(Exists(events))
        return Q(received_at__gte=lo, received_at__lt=hi)

    def region_obj(self) -> Region | None:
        if not self.region or self.region == NONE:
            return None
        return Region.objects.filter(pk=int(self.region)).first()

    def q(self) -> Q:
        return self.matter_q(self.region_obj()) & self.period_q()

    # --- links ----------------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for name in ("channel", "type", "category", "region", "event"):
            value = getattr(self, name)
            if value:
                out[name] = value
        for name in ("unit", "lead", "accused", "cluster"):
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value)
        if self.adopted:
            out["adopted"] = "1"
        return out

    def own_href(self) -> str:
        return reverse("reports:stats_matters") + "?" + urlencode(self.params())

    def desk_href(
        self, scope: Scope, region_prefixes: frozenset[str], region: Region | None
    ) -> str:
        """The desk's list with the same filters, when its filters can say the same thing;
        else "" (the caller links to the own list). The desk filters `unit` by responsible
        unit and only among the units in scope, `region` by code prefix among the regions of
        the person's units: anything else would be dropped there and the counts would differ."""
        if self.event or self.adopted or self.accused is not None or self.cluster is not None:
            return ""
        if self.category == NONE or self.region == NONE:
            return ""
        unit = self.lead if self.lead is not None else self.unit
        if self.lead is not None and self.unit is not None and self.lead != self.unit:
            return ""
        if unit is not None and unit not in scope.unit_ids:
            return ""
        params = {
            "received_from": self.start.isoformat(),
            "received_to": self.end.isoformat(),
        }
        if self.region:
            if region is None or region.level not in (Level.TOWNSHIP, Level.VILLAGE):
                return ""
            if not any(region.code.startswith(p) for p in region_prefixes):
                return ""
            params["region"] = region.code
        for name in ("channel", "type", "category"):
            value = getattr(self, name)
            if value:
                params[name] = value
        if unit is not None:
            params["unit"] = str(unit)
        params["sort"] = "-received"
        return reverse("desk:list") + "?" + urlencode(params)

    def href(self, scope: Scope, region_prefixes: frozenset[str], region: Region | None) -> str:
        return self.desk_href(scope, region_prefixes, region) or self.own_href()
