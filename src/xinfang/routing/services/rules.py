"""The routing table: who may edit it, and its edits (one transaction each)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from xinfang.matters.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinfang.matters.models import Category, MatterType
from xinfang.org.access import memberships_of
from xinfang.org.models import Region, Role, Unit
from xinfang.routing import directory
from xinfang.routing.core import units as core_units
from xinfang.routing.models import RoutingRule

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# The routing table is the office's registration practice: its registrars keep it, its
# director answers for it.
EDIT_ROLES = frozenset({Role.REGISTRAR, Role.DIRECTOR})


def routing_office(user: User | AnonymousUser, office: Unit | None = None) -> Unit:
    """The office whose routing a user asks about: the one given, if they belong to it, else
    the unit where they register matters."""
    memberships = memberships_of(user)
    if office is not None:
        if not any(m.unit_id == office.pk for m in memberships):
            raise Forbidden(_("您不是该单位的工作人员，不能使用其分办建议。"))
        return office
    for m in memberships:
        if m.can_register or m.can_route:
            return m.unit
    raise Forbidden(_("您没有登记或分办信访事项的权限。"))


def rule_offices(user: User | AnonymousUser) -> list[Unit]:
    """The offices whose routing table the user may edit."""
    seen: dict[int, Unit] = {}
    for m in memberships_of(user):
        if m.role in EDIT_ROLES:
            seen.setdefault(m.unit_id, m.unit)
    return list(seen.values())


def can_edit_rules(user: User | AnonymousUser, office: Unit) -> bool:
    return any(m.unit_id == office.pk and m.role in EDIT_ROLES for m in memberships_of(user))


def _require_editor(actor: User, office: Unit) -> None:
    if not can_edit_rules(actor, office):
        raise Forbidden(_("只有本单位的登记人员和负责人可以修改分办规则。"))


def _in_jurisdiction(office: Unit, code: str) -> bool:
    return code.startswith(office.region.subtree_prefix)


def _validate(
    office: Unit,
    *,
    category: Category | None,
    matter_type: str,
    region: Region | None,
    unit: Unit | None,
    exclude: int | None,
) -> Unit:
    if unit is None:
        raise InvalidInput(_("请选择责任单位。"), field="unit")
    if not unit.is_active:
        raise InvalidInput(
            _("%(unit)s已停用，不能作为责任单位。") % {"unit": unit.name}, field="unit"
        )
    if not _in_jurisdiction(office, unit.region.code):
        raise InvalidInput(_("责任单位不在本单位的管辖范围内。"), field="unit")
    if region is not None and not _in_jurisdiction(office, region.code):
        raise InvalidInput(_("所选区划不在本单位的管辖范围内。"), field="region")
    if matter_type and matter_type not in MatterType.values:
        raise InvalidInput(_("事项类型不正确。"), field="matter_type")
    if category is None and region is None and not matter_type:
        raise InvalidInput(
            _("请至少指定内容分类、事项类型或区划中的一项（否则会匹配所有事项）。"),
            field="category",
        )
    same = RoutingRule.objects.filter(
        office=office, is_active=True, category=category, region=region, matter_type=matter_type
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise InvalidInput(
            _("已有相同内容分类、事项类型和区划的规则，请修改那一条。"), field="category"
        )
    return unit


def _lock_office(office: Unit) -> None:
    """Lock the office's row for this transaction: two writers of its table take turns, so
    the duplicate check one makes sees what the other wrote (PostgreSQL; SQLite writes one at
    a time anyway)."""
    Unit.objects.select_for_update().order_by().filter(pk=office.pk).values_list("pk").first()


def _forget(office_id: int) -> None:
    # Now, for this thread, and again at commit, for a cache another request filled meanwhile
    # with the table as it was before this transaction.
    transaction.on_commit(lambda: directory.forget(office_id))
    directory.forget(office_id)


@transaction.atomic
def rule_create(
    *,
    actor: User,
    office: Unit,
    unit: Unit | None,
    category: Category | None = None,
    matter_type: str = "",
    region: Region | None = None,
    note: str = "",
) -> RoutingRule:
    _require_editor(actor, office)
    _lock_office(office)
    unit = _validate(
        office, category=category, matter_type=matter_type, region=region, unit=unit, exclude=None
    )
    rule = RoutingRule.objects.create(
        office=office,
        category=category,
        matter_type=matter_type,
        region=region,
        unit=unit,
        note=note.strip()[:200],
        updated_by=actor,
    )
    _forget(office.pk)
    return rule


def _lock(rule: RoutingRule, expected_version: int | None) -> RoutingRule:
    # No ordering: the default one joins categories and regions, which FOR UPDATE refuses.
    locked = RoutingRule.objects.select_for_update().order_by().filter(pk=rule.pk).first()
    if locked is None:
        raise NotFound(_("没有找到该分办规则。"))
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("该规则已被他人修改，请刷新后重试。"))
    return locked


@transaction.atomic
def rule_update(
    *,
    actor: User,
    rule: RoutingRule,
    unit: Unit | None,
    category: Category | None = None,
    matter_type: str = "",
    region: Region | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> RoutingRule:
    _lock_office(rule.office)  # the office before the rule, so that writers queue in one order
    rule = _lock(rule, expected_version)
    _require_editor(actor, rule.office)
    rule.unit = _validate(
        rule.office,
        category=category,
        matter_type=matter_type,
        region=region,
        unit=unit,
        exclude=rule.pk,
    )
    rule.category = category
    rule.matter_type = matter_type
    rule.region = region
    rule.note = note.strip()[:200]
    rule.updated_by = actor
    rule.version += 1
    rule.save(
        update_fields=[
            "unit",
            "category",
            "matter_type",
            "region",
            "note",
            "updated_by",
            "version",
            "updated_at",
        ]
    )
    _forget(rule.office_id)
    return rule


@transaction.atomic
def rule_deactivate(
    *, actor: User, rule: RoutingRule, expected_version: int | None = None
) -> RoutingRule:
    """Rules are switched off, not deleted: the table's history stays readable."""
    rule = _lock(rule, expected_version)
    _require_editor(actor, rule.office)
    if not rule.is_active:
        raise InvalidInput(_("该规则已停用。"), field="rule")
    rule.is_active = False
    rule.updated_by = actor
    rule.version += 1
    rule.save(update_fields=["is_active", "updated_by", "version", "updated_at"])
    _forget(rule.office_id)
    return rule


@transaction.atomic
def rules_fill_defaults(*, actor: User, office: Unit) -> list[RoutingRule]:
    """Write the default category → unit rules (from the units' names) into the office's
    table for every active category it does not route yet, so the office can edit them."""
    _require_editor(actor, office)
    _lock_office(office)
    units = directory.routable_units(office)
    infos = [core_units.UnitInfo(key=u.pk, name=u.name, kind=u.kind) for u in units]
    by_pk = {u.pk: u for u in units}
    covered = set(
        RoutingRule.objects.filter(office=office, is_active=True, region=None, matter_type="")
        .exclude(category=None)
        .values_list("category__name", flat=True)
    )
    categories = {c.name: c for c in Category.objects.filter(is_active=True)}
    created = []
    for rule in core_units.default_rules(infos):
        if rule.category in covered or rule.category not in categories:
            continue
        created.append(
            RoutingRule.objects.create(
                office=office,
                category=categories[rule.category],
                unit=by_pk[int(rule.unit)],
                note=_("默认规则（按单位名称）"),
                updated_by=actor,
            )
        )
    _forget(office.pk)
    return created
