"""Correcting how a matter is classified before it is accepted: its type, category and region.

An online submission arrives with the type the petitioner chose and no category; a registrar
checks it, and a suggestion (xinfang.routing) is only a suggestion until staff confirm it. The
correction is one event on the timeline, with what was and what is now.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinfang.matters.errors import InvalidInput
from xinfang.matters.models import Category, EventKind, Matter, MatterType
from xinfang.matters.services._core import begin, in_records, require_role, require_state, step
from xinfang.matters.services.routing import BEFORE_ACCEPTANCE
from xinfang.org.access import memberships_of
from xinfang.org.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def matter_classify(
    *,
    matter: Matter,
    actor: User,
    type: str | None = None,
    category: Category | None = None,
    region: Region | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """Set or correct type, category and region (None: leave as it is), before acceptance, by
    whoever may route the matter where it now is, or register at its office."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "更正分类")
    require_state(matter, BEFORE_ACCEPTANCE, action)
    if any(m.unit_id == matter.office_id and m.can_register for m in memberships_of(actor)):
        membership = require_role(actor, "can_register", matter.office, action)
    else:
        membership = require_role(actor, "can_route", matter.lead_unit, action)
    if type is not None and type not in MatterType.values:
        raise InvalidInput(_("请选择信访事项类型（建议意见、检举控告、申诉求决）。"), field="type")
    if type is not None and matter.type == MatterType.ACCUSATION and type != MatterType.ACCUSATION:
        # The accuser's identity is sealed from everyone but the registering office and
        # discipline inspection (arts. 30, 46); a new type would unseal it.
        raise InvalidInput(
            _("检举控告事项不能改为其他类型：检举人的身份须继续保密（第四十六条）。"),
            field="type",
        )
    if category is not None and not category.is_active:
        raise InvalidInput(_("该类别已停用。"), field="category")
    changes: list[str] = []
    data: dict[str, object] = {}
    fields: list[str] = []
    if type is not None and type != matter.type:
        old, new = in_records(MatterType(matter.type).label), in_records(MatterType(type).label)
        changes.append(f"类型：{old}→{new}")
        data["type"] = [matter.type, type]
        matter.type = type
        fields.append("type")
    if category is not None and category.pk != matter.category_id:
        before = matter.category.name if matter.category else "未分类"
        changes.append(f"类别：{before}→{category.name}")
        data["category"] = [matter.category_id, category.pk]
        matter.category = category
        fields.append("category")
    if region is not None and region.pk != matter.region_id:
        before = matter.region.name if matter.region else "未填"
        changes.append(f"地区：{before}→{region.name}")
        data["region"] = [matter.region_id, region.pk]
        matter.region = region
        fields.append("region")
    if not changes:
        raise InvalidInput(_("分类没有变化。"))
    step(
        matter,
        kind=EventKind.CLASSIFIED,
        actor=actor,
        membership=membership,
        at=when,
        fields=fields,
        # Chinese, like every timeline text: a hashed record, whatever the actor's language.
        text="；".join(changes),
        data=data,
        is_public=False,
    )
    return matter
