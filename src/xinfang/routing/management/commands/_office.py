"""Which office a routing command works for."""

from __future__ import annotations

from django.core.management.base import CommandError

from xinfang.org.models import Unit


def find_office(name: str | None) -> Unit | None:
    """The named unit; without a name, the highest-level petition office, if there is one."""
    if name:
        office = Unit.objects.filter(name=name).select_related("region").first()
        if office is None:
            raise CommandError(f"no unit named {name!r}")
        return office
    return (
        Unit.objects.filter(kind=Unit.Kind.PETITION_OFFICE, is_active=True)
        .select_related("region")
        .order_by("level", "name")
        .first()
    )
