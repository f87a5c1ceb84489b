"""The user's matters for counting: visible_matters split into disjoint parts each an index can
serve.

`visible_matters` tests one OR over four unit columns plus an EXISTS on co-handling: no index
serves that, so every row of the period would be tested. For counting, the same set is cut
into disjoint parts, each a plain conjunction on one indexed column:

    1. office ∈ S                                          (matter_office_received)
    2. office ∉ S, lead_unit ∈ S
    3. office ∉ S, lead_unit ∉ S, review_unit ∈ S
    4. office, lead_unit, review_unit ∉ S, re_review_unit ∈ S
    5. none of the four in S, co-handled by a unit of S     (cohandling's unit index)

S is scope_unit_ids(user). Counts add up over the parts because they are disjoint, and their
union is exactly visible_matters(user): tests/reports/stats/test_scope.py proves both for every
role of the test world. The accusation safeguard (an accusation is never counted for the people
of a unit it accuses) is applied to each part with visible_matters' own condition.

"∉ S" is written as "∈ C", C being the units outside S (every unit column is a foreign key to
a unit; the nullable review columns add "or NULL"): C is short for whoever sees most units, and
then parts 2–5 are a few narrow ranges of the (office, received_at) index, as part 1 is. When C
is empty (a county office of a county on its own) part 1 is every matter and no unit condition
is written at all; when the user's units are accused in no matter, the safeguard's sub-query is
left out (it could exclude nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from xinfang.matters.models import CoHandling, Matter, MatterQuerySet, MatterType
from xinfang.org.access import memberships_of, scope_unit_ids
from xinfang.org.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


@dataclass(frozen=True)
class Scope:
    """The parts (disjoint Matter querysets) and the unit ids they were cut from."""

    parts: tuple[MatterQuerySet, ...]
    unit_ids: frozenset[int]
    everything: bool  # S holds every unit: part 1 has no unit condition

    def filter(self, *args: Q, **kwargs: object) -> tuple[MatterQuerySet, ...]:
        return tuple(part.filter(*args, **kwargs) for part in self.parts)


def _accusation_guard(user: User | AnonymousUser) -> Q | None:
    """visible_matters' exclusion, or None when it cannot exclude anything for this user."""
    own = {m.unit_id for m in memberships_of(user)}
    through = Matter.accused_units.through
    if not own or not through.objects.filter(unit_id__in=own).exists():
        return None
    accusing_own = through.objects.filter(matter_id=OuterRef("pk"), unit_id__in=own).exclude(
        unit_id=OuterRef("office_id")
    )
    return Q(type=MatterType.ACCUSATION) & Q(Exists(accusing_own))


def counting_scope(user: User | AnonymousUser, *, lead_unit_id: int | None = None) -> Scope:
    """The user's visible matters as disjoint parts; with `lead_unit_id` (a unit in scope),
    only the matters that unit is responsible for (the desk list's `unit` filter)."""
    scope = scope_unit_ids(user)
    if not scope or (lead_unit_id is not None and lead_unit_id not in scope):
        return Scope(parts=(), unit_ids=scope, everything=False)
    guard = _accusation_guard(user)
    base = Matter.objects.all()
    if guard is not None:
        base = base.exclude(guard)
    if lead_unit_id is not None:
        # Parts 2–5 all need lead_unit ∉ S: with the responsible unit in S they are empty.
        return Scope(
            parts=(base.filter(lead_unit_id=lead_unit_id),), unit_ids=scope, everything=False
        )
    # Every unit column is a foreign key to a unit: "not in S" is "in the complement C" (or
    # NULL, for the review columns), and C is small for whoever sees most of the units. Written
    # as IN (C), each part is a range of the (office, received_at) index for a period.
    others = sorted(set(Unit.objects.values_list("pk", flat=True)) - scope)
    if not others:
        return Scope(parts=(base,), unit_ids=scope, everything=True)
    ids = sorted(scope)
    in_c = {f"{column}__in": others for column in ("office_id", "lead_unit_id")}
    review_c = Q(review_unit__isnull=True) | Q(review_unit_id__in=others)
    re_review_c = Q(re_review_unit__isnull=True) | Q(re_review_unit_id__in=others)
    co = CoHandling.objects.filter(unit_id__in=ids).values("matter_id")
    parts = (
        base.filter(office_id__in=ids),
        base.filter(office_id__in=others, lead_unit_id__in=ids),
        base.filter(review_unit_id__in=ids, **in_c),
        base.filter(review_c, re_review_unit_id__in=ids, **in_c),
        base.filter(review_c, re_review_c, pk__in=co, **in_c),
    )
    # A part that holds no matter at all (no co-handling, no matter registered outside S) is
    # left out once here rather than counted empty a dozen times per page.
    kept = (parts[0], *(p for p in parts[1:] if p.order_by().exists()))
    return Scope(parts=kept, unit_ids=scope, everything=False)
