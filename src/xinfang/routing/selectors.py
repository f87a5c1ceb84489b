"""Reads: the clusters a user may see, with their matters, units and clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from xinfang.matters.models import Matter, MatterType
from xinfang.matters.selectors import visible_matters
from xinfang.org.models import Unit
from xinfang.routing.models import Cluster, ClusterMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MAX_CLUSTERS = 200


MIN_VISIBLE = 2  # a cluster is shown only when the user may see two of its matters


@dataclass
class ClusterRow:
    """A cluster as one user may see it: every figure comes from the members this user may
    see, never from the whole cluster (its size or dates would tell of matters hidden from
    them)."""

    cluster: Cluster
    matters: list[Matter]  # the members this user may see, oldest first
    units: list[Unit]  # their responsible units, most matters first
    open: int
    overdue: int
    next_due: date | None
    last_at: datetime  # when the newest of these matters was received

    @property
    def size(self) -> int:
        return len(self.matters)


def _visible_members(user: User | AnonymousUser) -> QuerySet[ClusterMember]:
    # An accusation is never part of a cluster (its content is confidential to its
    # recipients): indexing keeps it out, and this keeps out one reclassified later.
    return ClusterMember.objects.filter(matter__in=visible_matters(user)).exclude(
        matter__type=MatterType.ACCUSATION
    )


def _rows(user: User | AnonymousUser, clusters: list[Cluster]) -> list[ClusterRow]:
    members: dict[int, list[Matter]] = {c.pk: [] for c in clusters}
    for member in (
        _visible_members(user)
        .filter(cluster__in=clusters)
        .select_related("matter", "matter__lead_unit", "matter__category")
        .order_by("matter__received_at", "matter_id")
    ):
        members[member.cluster_id].append(member.matter)
    today = timezone.localdate()
    rows = []
    for cluster in clusters:
        matters = members[cluster.pk]
        if len(matters) < MIN_VISIBLE:
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
                last_at=max(m.received_at for m in matters),
            )
        )
    return rows


def clusters_for(user: User | AnonymousUser) -> list[ClusterRow]:
    """Clusters of which the user may see at least two matters, the one whose newest such
    matter is most recent first."""
    found = (
        _visible_members(user)
        .values("cluster_id")
        .annotate(n=Count("id"), newest=Max("matter__received_at"))
        .filter(n__gte=MIN_VISIBLE)
        .order_by("-newest", "-cluster_id")[:MAX_CLUSTERS]
    )
    ids = [row["cluster_id"] for row in found]
    by_pk = Cluster.objects.select_related("category").in_bulk(ids)
    return _rows(user, [by_pk[i] for i in ids if i in by_pk])


def cluster_for(user: User | AnonymousUser, pk: int) -> ClusterRow | None:
    """The cluster with the members the user may see; None when they may see fewer than two
    (404: one matter alone tells nothing about a problem shared, and would hint at others)."""
    cluster = Cluster.objects.filter(pk=pk).select_related("category").first()
    if cluster is None:
        return None
    rows = _rows(user, [cluster])
    return rows[0] if rows else None
