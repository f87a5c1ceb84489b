"""Reads: which matters a user may see, one fetch-and-authorize helper, worklists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from xinfang.matters.errors import NotFound
from xinfang.matters.models import CoHandling, Matter, MatterQuerySet, MatterType
from xinfang.org.access import memberships_of, scope_unit_ids
from xinfang.org.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def _own_unit_ids(user: AnyUser) -> set[int]:
    return {m.unit_id for m in memberships_of(user)}


def visible_matters(user: AnyUser) -> MatterQuerySet:
    """Matters registered by, handled by, co-handled by or reviewed by a unit in the user's scope.

    An accusation is never shown to the people of a unit it accuses (arts. 30, 46), even when
    their scope would cover it (the county government over its petition bureau, a director's
    county-wide scope), unless their unit registered it: it reached them already, and someone
    there has to pass it on to discipline inspection.
    """
    scope = scope_unit_ids(user)
    if not scope:
        return Matter.objects.none()
    co = CoHandling.objects.filter(matter=OuterRef("pk"), unit_id__in=scope)
    accusing_own = Matter.accused_units.through.objects.filter(
        matter_id=OuterRef("pk"), unit_id__in=_own_unit_ids(user)
    ).exclude(unit_id=OuterRef("office_id"))
    return Matter.objects.filter(
        Q(office_id__in=scope)
        | Q(lead_unit_id__in=scope)
        | Q(review_unit_id__in=scope)
        | Q(re_review_unit_id__in=scope)
        | Exists(co)
    ).exclude(Q(type=MatterType.ACCUSATION) & Exists(accusing_own))


def _accuses_own_unit(user: AnyUser, matter: Matter) -> bool:
    if matter.type != MatterType.ACCUSATION:
        return False
    own = _own_unit_ids(user) - {matter.office_id}
    return bool(own) and matter.accused_units.filter(id__in=own).exists()


def is_visible(user: AnyUser, matter: Matter) -> bool:
    scope = scope_unit_ids(user)
    if _accuses_own_unit(user, matter):
        return False
    if {
        matter.office_id,
        matter.lead_unit_id,
        matter.review_unit_id,
        matter.re_review_unit_id,
    } & scope:
        return True
    return CoHandling.objects.filter(matter=matter, unit_id__in=scope).exists()


def get_matter_for_user(
    user: AnyUser, *, pk: int | None = None, number: str | None = None
) -> Matter:
    """The matter if the user may see it; NotFound otherwise, so ids cannot be probed."""
    lookup = {"pk": pk} if pk is not None else {"number": number}
    try:
        return (
            visible_matters(user)
            .select_related("office", "lead_unit", "category", "region", "leader", "handler")
            .get(**lookup)
        )
    except Matter.DoesNotExist:
        raise NotFound(_("没有找到该信访事项，或您无权查看。")) from None


def can_see_identity(user: AnyUser, matter: Matter) -> bool:
    """Whether the user may see who the petitioners are (arts. 30, 46).

    The identity of a 检举控告 petitioner is visible only to the registering office and to
    discipline inspection, and never to anyone in a unit the matter accuses.
    """
    if matter.type != MatterType.ACCUSATION:
        return True
    return identity_visible(
        memberships_of(user),
        type=matter.type,
        office_id=matter.office_id,
        accused=set(matter.accused_units.values_list("id", flat=True)),
    )


def identity_visible(
    memberships: Iterable[Membership], *, type: str, office_id: int, accused: set[int]
) -> bool:
    """can_see_identity's rule without a query, for code that reads many matters at once: the
    person's memberships, the matter's type, registering office and accused units given."""
    if type != MatterType.ACCUSATION:
        return True
    memberships = list(memberships)
    if any(m.unit_id in accused for m in memberships):
        return False
    return any(
        m.unit_id == office_id or m.unit.is_discipline or m.role == Role.DISCIPLINE_INSPECTOR
        for m in memberships
    )


def unit_worklist(unit_id: int) -> MatterQuerySet:
    """A unit's open matters, nearest due date first (index matter_worklist)."""
    return (
        Matter.objects.open()
        .filter(lead_unit_id=unit_id)
        .order_by("due_date", "id")
        .only("id", "number", "title", "state", "due_date", "received_at", "lead_unit_id")
    )
