"""The office's units, townships and routing table as the routing core sees them, cached for a
few seconds per office (rule edits clear the cache at once in this process)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from xinfang.matters.models import MatterType
from xinfang.org.models import Level, Region, Unit
from xinfang.routing.core import evaluate
from xinfang.routing.core import units as core_units
from xinfang.routing.core.classify import TYPE_NAMES
from xinfang.routing.models import RoutingRule

CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Directory:
    office_id: int
    units: list[core_units.UnitInfo]
    by_pk: dict[int, Unit]
    townships: list[str]  # township region names in the office's jurisdiction
    rules: list[core_units.Rule]


_cache: dict[int, tuple[float, Directory]] = {}


def forget(office_id: int | None = None) -> None:
    if office_id is None:
        _cache.clear()
    else:
        _cache.pop(office_id, None)


def routable_units(office: Unit) -> list[Unit]:
    """Active bodies in the office's jurisdiction that matters can be routed to: departments,
    township governments, discipline inspection, courts, other bodies (not village committees,
    whose matters the township leads, nor the office itself)."""
    prefix = office.region.subtree_prefix
    return list(
        Unit.objects.filter(is_active=True, region__code__startswith=prefix)
        .exclude(kind=Unit.Kind.VILLAGE)
        .exclude(pk=office.pk)
        .select_related("region")
        .order_by("level", "name")
    )


def _township_of(region: Region | None) -> str | None:
    if region is None:
        return None
    if region.level == Level.TOWNSHIP:
        return region.name
    if region.level == Level.VILLAGE and region.parent is not None:
        return region.parent.name
    return None


def table_rules(office: Unit) -> list[core_units.Rule]:
    rows = (
        RoutingRule.objects.filter(office=office, is_active=True)
        .select_related("category", "region", "region__parent")
        .order_by("pk")
    )
    return [
        core_units.Rule(
            unit=row.unit_id,
            category=row.category.name if row.category_id else None,  # type: ignore[union-attr]
            type=TYPE_NAMES.get(row.matter_type) if row.matter_type else None,
            township=_township_of(row.region),
            label=f"路由规则第{row.pk}条",
        )
        for row in rows
    ]


def directory(office: Unit) -> Directory:
    now = time.monotonic()
    cached = _cache.get(office.pk)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    units = routable_units(office)
    infos = [
        core_units.UnitInfo(
            key=u.pk,
            name=u.name,
            kind=u.kind,
            township=u.region.name if u.kind == Unit.Kind.TOWNSHIP else "",
        )
        for u in units
    ]
    prefix = office.region.subtree_prefix
    townships = list(
        Region.objects.filter(level=Level.TOWNSHIP, code__startswith=prefix).values_list(
            "name", flat=True
        )
    )
    table = table_rules(office)
    covered = {r.category for r in table if r.category}
    rules = table + [r for r in core_units.default_rules(infos) if r.category not in covered]
    found = Directory(
        office_id=office.pk,
        units=infos,
        by_pk={u.pk: u for u in units},
        townships=townships,
        rules=rules,
    )
    _cache[office.pk] = (now, found)
    return found


def named_directory(office: Unit) -> evaluate.Directory:
    """The office's directory keyed by unit names, as labelled files name units."""
    found = directory(office)
    names = {u.key: u.name for u in found.units}
    return evaluate.directory_from(
        [
            core_units.UnitInfo(key=u.name, name=u.name, kind=u.kind, township=u.township)
            for u in found.units
        ],
        found.townships,
        [
            core_units.Rule(
                unit=names[r.unit],
                category=r.category,
                type=r.type,
                township=r.township,
                label=r.label,
            )
            for r in found.rules
            if r.unit in names
        ],
    )


__all__ = ["Directory", "MatterType", "directory", "forget", "named_directory", "routable_units"]
