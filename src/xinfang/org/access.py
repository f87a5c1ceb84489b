"""Who may see which units' matters. Services and views ask here, never decide on their own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from xinfang.org.models import JURISDICTION_ROLES, Membership, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def memberships_of(user: User | AnonymousUser) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_xinfang_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, unit__is_active=True).select_related(
                "unit", "unit__region"
            )
        )
        user._xinfang_memberships = cached  # type: ignore[union-attr,attr-defined]
    return cached


def forget_memberships(user: User) -> None:
    """Drop the per-object cache after memberships change (tests, admin)."""
    for attr in ("_xinfang_memberships", "_xinfang_scope"):
        if hasattr(user, attr):
            delattr(user, attr)


def _descendants(root_ids: Iterable[int]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in Unit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    seen: set[int] = set()
    stack = list(root_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        stack.extend(children.get(unit_id, []))
    return seen


def units_within(root_ids: Iterable[int], region_prefixes: Iterable[str] = ()) -> set[int]:
    """The given units with every unit below them, and every unit of the given regions
    (`Region.subtree_prefix`): what a role sees from there (see scope_unit_ids)."""
    ids = _descendants(root_ids)
    for prefix in region_prefixes:
        ids.update(
            Unit.objects.filter(region__code__startswith=prefix).values_list("id", flat=True)
        )
    return ids


def scope_unit_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The units whose matters this user may see.

    A petition office and the jurisdiction-wide roles (supervisor, director, auditor, admin) see
    every unit in their unit's jurisdiction (属地管理); every other role sees its own unit and the
    units below it.
    """
    cached = getattr(user, "_xinfang_scope", None)
    if cached is not None:
        return cached
    tree_roots: set[int] = set()
    region_prefixes: set[str] = set()
    for membership in memberships_of(user):
        if membership.role in JURISDICTION_ROLES or membership.unit.is_petition_office:
            region_prefixes.add(membership.unit.region.subtree_prefix)
        else:
            tree_roots.add(membership.unit_id)
    scope = frozenset(units_within(tree_roots, region_prefixes))
    if user.is_authenticated:
        user._xinfang_scope = scope  # type: ignore[union-attr,attr-defined]
    return scope


def roles_in(user: User | AnonymousUser, unit_id: int | None) -> list[Membership]:
    return [m for m in memberships_of(user) if m.unit_id == unit_id]


def can(user: User | AnonymousUser, capability: str, unit_id: int | None) -> bool:
    """True when the user holds, in that unit, a role with the named capability."""
    return any(getattr(m, capability) for m in roles_in(user, unit_id))
