"""From registration to acceptance: forward, assign, object, accept, decline, guide, link."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinfang.matters.errors import InvalidInput, InvalidState
from xinfang.matters.models import Channel, EventKind, LegalChannel, Matter, MatterType, State
from xinfang.matters.selectors import is_visible
from xinfang.matters.services._core import (
    begin,
    last_event,
    lock,
    require_role,
    require_state,
    require_text,
    require_visible,
    require_window_open,
    resolve_time,
    step,
    timeline,
)
from xinfang.org.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BEFORE_ACCEPTANCE = (State.REGISTERED, State.FORWARDED, State.ASSIGNED)
# A matter "already accepted and within its time limit" that a repeat submission joins (art. 19).
IN_HANDLING = (State.ACCEPTED, State.IN_HANDLING, State.REVIEW_REQUESTED, State.RE_REVIEW_REQUESTED)


def _send(
    matter: Matter,
    *,
    actor: User,
    to_unit: Unit,
    kind: str,
    to_state: str,
    note: str,
    expected_version: int | None,
    at: datetime | None,
) -> Matter:
    forward = kind == EventKind.FORWARDED
    # `recorded` goes into the timeline text, a record that stays in the primary language;
    # `action` is for messages, in the user's.
    recorded = "转送" if forward else "交办"
    action = pgettext("action", "转送") if forward else pgettext("action", "交办")
    matter, when = begin(matter, actor, expected_version, at)
    # A body that received a matter may pass it on before accepting it (a county department
    # assigning it down to the township where it arises).
    require_state(matter, BEFORE_ACCEPTANCE, action)
    membership = require_role(actor, "can_route", matter.lead_unit, action)
    if not to_unit.is_active:
        message = _("%(unit)s已停用，不能转送。") if forward else _("%(unit)s已停用，不能交办。")
        raise InvalidInput(message % {"unit": to_unit.name}, field="to_unit")
    if to_unit.pk == matter.lead_unit_id:
        raise InvalidInput(
            _("不能转送给本单位。") if forward else _("不能交办给本单位。"), field="to_unit"
        )
    if matter.type == MatterType.ACCUSATION and matter.accused_units.filter(pk=to_unit.pk).exists():
        raise InvalidInput(
            _("检举控告材料不得转给被检举控告的单位（《信访工作条例》第四十六条）。"),
            field="to_unit",
        )
    from_unit = matter.lead_unit
    matter.lead_unit = to_unit
    step(
        matter,
        kind=kind,
        actor=actor,
        membership=membership,
        at=when,
        to_state=to_state,
        fields=["lead_unit"],
        text=note.strip() or f"{recorded}{to_unit.name}",
        data={"from_unit": from_unit.pk, "to_unit": to_unit.pk, "to_unit_name": to_unit.name},
    )
    return matter


@transaction.atomic
def matter_forward(
    *,
    matter: Matter,
    actor: User,
    to_unit: Unit,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """转送: send the matter to the body responsible for it (art. 22)."""
    return _send(
        matter,
        actor=actor,
        to_unit=to_unit,
        kind=EventKind.FORWARDED,
        to_state=State.FORWARDED,
        note=note,
        expected_version=expected_version,
        at=at,
    )


@transaction.atomic
def matter_assign(
    *,
    matter: Matter,
    actor: User,
    to_unit: Unit,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """交办: assign the matter to a body, which reports back on the outcome (art. 22)."""
    return _send(
        matter,
        actor=actor,
        to_unit=to_unit,
        kind=EventKind.ASSIGNED,
        to_state=State.ASSIGNED,
        note=note,
        expected_version=expected_version,
        at=at,
    )


@transaction.atomic
def matter_object(
    *,
    matter: Matter,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """The receiving body is not competent: object within 5 working days, with reasons (art. 23)."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "提出异议")
    require_state(matter, [State.FORWARDED, State.ASSIGNED], action)
    membership = require_role(actor, "can_route", matter.lead_unit, action)
    reason = require_text(reason, "reason", _("异议理由"))
    require_window_open(
        matter,
        "objection",
        timezone.localtime(when).date(),
        _("认为不属于本单位职责范围的，应当自收到之日起5个工作日内提出异议（第二十三条）。"),
    )
    sent = next(
        (
            e
            for e in reversed(timeline(matter))
            if e.kind in (EventKind.FORWARDED, EventKind.ASSIGNED)
        ),
        None,
    )
    back_to = Unit.objects.get(pk=sent.data["from_unit"]) if sent else matter.office
    objecting = matter.lead_unit
    matter.lead_unit = back_to
    step(
        matter,
        kind=EventKind.OBJECTED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.REGISTERED,
        fields=["lead_unit"],
        text=reason,
        data={"objecting_unit": objecting.pk, "back_to": back_to.pk},
    )
    return matter


def _repeat_of_final(matter: Matter) -> bool:
    original = matter.repeat_of
    return original is not None and original.is_final


@transaction.atomic
def matter_accept(
    *,
    matter: Matter,
    actor: User,
    simplified: bool = False,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """受理: the competent body accepts; the handling clock starts (60 days, art. 34), or the
    simplified one (10 working days) for a clear, simple matter."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "受理")
    require_state(matter, BEFORE_ACCEPTANCE, action)
    membership = require_role(actor, "can_route", matter.lead_unit, action)
    if _repeat_of_final(matter):
        raise InvalidState(_("该事项与已复核终结的事项属同一事实和理由，不再受理（第三十六条）。"))
    matter.simplified = simplified
    step(
        matter,
        kind=EventKind.ACCEPTED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.ACCEPTED,
        fields=["simplified"],
        text=note.strip()
        or f"{matter.lead_unit.name}受理" + ("（简易办理）" if simplified else ""),
        data={
            "simplified": simplified,
            "unit": matter.lead_unit_id,
            # A visit that repeats nothing: the local first-visit clock applies if enabled.
            "first_visit": matter.channel == Channel.VISIT and matter.repeat_of_id is None,
        },
    )
    return matter


@transaction.atomic
def matter_decline(
    *,
    matter: Matter,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """不予受理, with the reasons told to the petitioner in writing."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "作不予受理处理")
    require_state(matter, BEFORE_ACCEPTANCE, action)
    membership = require_role(actor, "can_route", matter.lead_unit, action)
    reason = require_text(reason, "reason", _("不予受理的理由"))
    step(
        matter,
        kind=EventKind.NOT_ACCEPTED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.NOT_ACCEPTED,
        text=reason,
    )
    return matter


@transaction.atomic
def matter_guide(
    *,
    matter: Matter,
    actor: User,
    legal_channel: str,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """诉访分离: a request that belongs in litigation, arbitration or reconsideration is guided
    there with a written notice (arts. 28, 31)."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "引导至法定途径")
    require_state(matter, BEFORE_ACCEPTANCE, action)
    membership = require_role(actor, "can_route", matter.lead_unit, action)
    if matter.type != MatterType.REQUEST:
        raise InvalidInput(
            _("只有申诉求决类事项引导通过法定途径解决（第三十一条）。"), field="type"
        )
    if legal_channel not in LegalChannel.values:
        raise InvalidInput(
            _("请选择法定途径：诉讼、仲裁、行政复议或其他法定程序。"), field="legal_channel"
        )
    reason = require_text(reason, "reason", _("引导的理由和途径说明"))
    matter.legal_channel = legal_channel
    step(
        matter,
        kind=EventKind.GUIDED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.GUIDED,
        fields=["legal_channel"],
        text=reason,
        data={"legal_channel": legal_channel},
    )
    return matter


@transaction.atomic
def matter_link_repeat(
    *,
    matter: Matter,
    actor: User,
    original: Matter,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """A matter already accepted and within its time limit, raised again, is linked to it and
    not accepted anew (art. 19 ¶3)."""
    require_visible(actor, matter)
    if original.pk == matter.pk:
        raise InvalidInput(_("不能把事项关联到它自己。"), field="original")
    if not is_visible(actor, original):
        raise InvalidInput(_("没有找到要关联的原事项，或您无权查看。"), field="original")
    # Lock both rows in id order so that two links in opposite directions cannot deadlock.
    first, second = sorted([matter, original], key=lambda m: m.pk)
    locked = {
        m.pk: lock(m, expected_version if m.pk == matter.pk else None) for m in (first, second)
    }
    matter, original = locked[matter.pk], locked[original.pk]
    # The step is written on both timelines: it may not come before the last step of either.
    latest = [e.occurred_at for e in (last_event(matter), last_event(original)) if e is not None]
    when = resolve_time(at, not_before=max(latest) if latest else None)
    action = pgettext("action", "作为重复件关联")
    require_state(matter, [State.REGISTERED], action)
    membership = require_role(actor, "can_route", matter.lead_unit, action)
    if original.is_final:
        raise InvalidState(
            _("原事项已复核终结，同一事实和理由不再受理（第三十六条），请作不予受理处理。")
        )
    if original.state not in IN_HANDLING:
        raise InvalidState(
            _("原事项当前为“%(state)s”，不在办理期限内，不能作为重复件关联；请按新事项处理。")
            % {"state": State(original.state).label}
        )
    if original.repeat_of_id == matter.pk:
        raise InvalidInput(_("两个事项不能互为重复件。"), field="original")
    matter.repeat_of = original
    step(
        matter,
        kind=EventKind.LINKED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.LINKED,
        fields=["repeat_of"],
        text=note.strip() or f"与{original.number}为同一事项，不再重复受理（第十九条）",
        data={"original": original.pk, "original_number": original.number},
    )
    step(
        original,
        kind=EventKind.NOTE,
        actor=actor,
        membership=membership,
        at=when,
        text=f"信访人再次提出同一事项（{matter.number}），已并入本件办理",
        data={"repeat": matter.pk, "repeat_number": matter.number},
    )
    return matter
