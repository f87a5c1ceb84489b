"""Turning the ids and names in a request into the objects the services take."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinfang.matters.errors import Conflict, DomainError, InvalidInput
from xinfang.matters.models import Category, Matter
from xinfang.matters.selectors import get_matter_for_user
from xinfang.org.models import Region, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _as_id(ref: str) -> int | None:
    ref = ref.strip()
    return int(ref) if ref.isascii() and ref.isdigit() else None


def get_matter(user: User, ref: str) -> Matter:
    """By id (`42`) or by number (`清信〔2026〕1号`, URL-encoded in a path).

    Numbers always contain 〔〕, so an all-digit reference is an id. Outside the user's scope
    the answer is NotFound, the same as for a matter that does not exist.
    """
    pk = _as_id(ref)
    if pk is not None:
        return get_matter_for_user(user, pk=pk)
    return get_matter_for_user(user, number=ref.strip())


def find_original(ref: str) -> Matter:
    """The matter a repeat is linked to. The service checks the user may see it and answers
    in the same words when not, so an unknown and a hidden matter look alike."""
    pk = _as_id(ref)
    found = (
        Matter.objects.filter(pk=pk)
        if pk is not None
        else Matter.objects.filter(number=ref.strip())
    ).first()
    if found is None:
        raise InvalidInput(_("没有找到要关联的原事项，或您无权查看。"), field="original")
    return found


def find_unit(unit_id: int | None, field: str) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise InvalidInput(_("没有找到ID为%(ids)s的单位。") % {"ids": unit_id}, field=field)
    return unit


def require_unit(unit_id: int, field: str) -> Unit:
    unit = find_unit(unit_id, field)
    assert unit is not None
    return unit


def find_units(unit_ids: Sequence[int], field: str) -> list[Unit]:
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    missing = [str(i) for i in unit_ids if i not in units]
    if missing:
        ids = pgettext("list separator", "、").join(missing)
        raise InvalidInput(_("没有找到ID为%(ids)s的单位。") % {"ids": ids}, field=field)
    return [units[i] for i in dict.fromkeys(unit_ids)]


def find_user(user_id: int, field: str) -> Any:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidInput(_("没有找到ID为%(id)s的人员。") % {"id": user_id}, field=field)
    return user


def find_category(value: int | str | None) -> Category | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) or (value.isascii() and value.isdigit()):
        found = Category.objects.filter(pk=int(value), is_active=True).first()
    else:
        found = Category.objects.filter(name=value.strip(), is_active=True).first()
    if found is None:
        raise InvalidInput(_("没有找到内容分类“%(value)s”。") % {"value": value}, field="category")
    return found


def find_region(code: str | None) -> Region | None:
    if not code:
        return None
    found = Region.objects.filter(code=code.strip()).first()
    if found is None:
        raise InvalidInput(_("没有找到行政区划代码%(code)s。") % {"code": code}, field="region")
    return found


@contextmanager
def fields_renamed(**names: str) -> Iterator[None]:
    """Say a service's field name (`to_unit`) as the request spelled it (`to_unit_id`)."""
    try:
        yield
    except DomainError as exc:
        if exc.field in names:
            exc.field = names[exc.field]
        raise


@contextmanager
def version_checked(matter: Matter, version: int | None) -> Iterator[None]:
    """For the few services that take no expected_version: the same check, under the same row
    lock, in a transaction the service's own joins."""
    with transaction.atomic():
        if version is not None:
            current = (
                Matter.objects.select_for_update()
                .values_list("version", flat=True)
                .get(pk=matter.pk)
            )
            if current != version:
                raise Conflict(_("该事项已被他人更新，请刷新页面查看最新情况后再操作。"))
        yield
