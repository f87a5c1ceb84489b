"""Reads: the clusters a user may see, with their matters, units and clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from xinfang.matters.models import Matter
from xinfang.matters.selectors import visible_matters
from xinfang.org.models import Unit
from xinfang.routing.models import Cluster, ClusterMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MAX_CLUSTERS = 200


@dataclass
class ClusterRow:
    cluster: Cluster
    matters: list[Matter]  # the members this user may see, oldest first
    units: list[Unit]  # their responsible units, most matters first
    open: int
    overdue: int
    next_due: date | None


def _rows(user: User | AnonymousUser, clusters: list[Cluster]) -> list[ClusterRow]:
    visible = visible_matters(user)
    members: dict[int, list[Matter]] = {c.pk: [] for c in clusters}
    for member in (
        ClusterMember.objects.filter(cluster__in=clusters, matter__in=visible)
        .select_related("matter", "matter__lead_unit", "matter__category")
        .order_by("matter__received_at", "matter_id")
    ):
        members[member.cluster_id].append(member.matter)
    today = timezone.localdate()
    rows = []
    for cluster in clusters:
        matters = members[cluster.pk]
        if not matters:
            continue
        counts: dict[int, int] = {}
        units: dict[int, Unit] = {}
        for m in matters:
            counts[m.lead_unit_id] = counts.get(m.lead_unit_id, 0) + 1
            units[m.lead_unit_id] = m.lead_unit
        open_ = [m for m in matters if m.is_open]
        dues = [m.due_date for m in open_ if m.due_date]
        rows.append(
            ClusterRow(
                cluster=cluster,
                matters=matters,
                units=[units[k] for k in sorted(counts, key=lambda k: (-counts[k], k))],
                open=len(open_),
                overdue=sum(1 for d in dues if d < today),
                next_due=min(dues) if dues else None,
            )
        )
    return rows


def clusters_for(user: User | AnonymousUser) -> list[ClusterRow]:
    """Clusters with at least one matter the user may see, most recently active first."""
    visible = visible_matters(user)
    ids = (
        ClusterMember.objects.filter(matter__in=visible)
        .values_list("cluster_id", flat=True)
        .distinct()
    )
    clusters = list(
        Cluster.objects.filter(pk__in=ids, size__gte=2)
        .select_related("category")
        .order_by("-last_at")[:MAX_CLUSTERS]
    )
    return _rows(user, clusters)


def cluster_for(user: User | AnonymousUser, pk: int) -> ClusterRow | None:
    """The cluster with the members the user may see; None when they may see none (404)."""
    cluster = Cluster.objects.filter(pk=pk).select_related("category").first()
    if cluster is None:
        return None
    rows = _rows(user, [cluster])
    return rows[0] if rows else None
