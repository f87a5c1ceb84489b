"""Handling an accepted matter: owners, co-handling, recusal, extension, reply, rating, closure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinfang.matters.errors import Forbidden, InvalidInput, InvalidState
from xinfang.matters.models import (
    CoHandling,
    Decision,
    Evaluation,
    EventKind,
    Interest,
    Matter,
    MatterType,
    Rating,
    State,
)
from xinfang.matters.services._core import (
    begin,
    clock,
    format_day,
    in_records,
    require_role,
    require_state,
    require_text,
    step,
    timeline,
)
from xinfang.org.access import memberships_of
from xinfang.org.models import Membership, Role, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_EXTENSION_DAYS = 30  # art. 34
HANDLING = (State.ACCEPTED, State.IN_HANDLING)


def _ancestors(unit: Unit) -> list[int]:
    ids = []
    current: Unit | None = unit
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def _declared(matter: Matter, user: User) -> bool:
    return Interest.objects.filter(matter=matter, user=user).exists()


@transaction.atomic
def matter_assign_owners(
    *,
    matter: Matter,
    actor: User,
    leader: User,
    handler: User,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """领导包案: exactly one owning leader, and the handler who does the work."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "指定包案领导和承办人")
    require_state(matter, HANDLING, action)
    membership = require_role(actor, "can_assign", matter.lead_unit, action)
    leader_units = _ancestors(matter.lead_unit)
    if not Membership.objects.filter(
        user=leader, role=Role.LEADER, unit_id__in=leader_units
    ).exists():
        raise InvalidInput(
            _("%(person)s不是%(unit)s或其上级单位的领导。")
            % {"person": leader, "unit": matter.lead_unit.name},
            field="leader",
        )
    if not Membership.objects.filter(
        user=handler, role=Role.HANDLER, unit=matter.lead_unit
    ).exists():
        raise InvalidInput(
            _("%(person)s不是%(unit)s的承办人员。")
            % {"person": handler, "unit": matter.lead_unit.name},
            field="handler",
        )
    for person, field in ((leader, "leader"), (handler, "handler")):
        if _declared(matter, person):
            raise InvalidInput(
                _("%(person)s已申报与本事项有利害关系，应当回避（第二十八条）。")
                % {"person": person},
                field=field,
            )
    matter.leader, matter.handler = leader, handler
    step(
        matter,
        kind=EventKind.OWNERS_ASSIGNED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.IN_HANDLING,
        fields=["leader", "handler"],
        text=f"包案领导：{_name(leader)}；承办人：{_name(handler)}",
        data={"leader": leader.pk, "handler": handler.pk},
    )
    return matter


def _name(user: User) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return full or user.get_username()


@transaction.atomic
def matter_add_co_units(
    *,
    matter: Matter,
    actor: User,
    units: Sequence[Unit],
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """联合办案: add units that handle the matter together with the responsible unit."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "增加协办单位")
    require_state(matter, HANDLING, action)
    membership = require_role(actor, "can_assign", matter.lead_unit, action)
    existing = set(CoHandling.objects.filter(matter=matter).values_list("unit_id", flat=True))
    new = [u for u in units if u.pk not in existing and u.pk != matter.lead_unit_id]
    if not new:
        raise InvalidInput(_("请选择尚未参与办理的其他单位。"), field="units")
    accused = set(matter.accused_units.values_list("id", flat=True))
    if any(u.pk in accused for u in new):
        raise InvalidInput(_("被检举控告的单位不能参与办理（第四十六条）。"), field="units")
    CoHandling.objects.bulk_create(CoHandling(matter=matter, unit=u, added_at=when) for u in new)
    step(
        matter,
        kind=EventKind.CO_UNITS_SET,
        actor=actor,
        membership=membership,
        at=when,
        text="协办单位：" + "、".join(u.name for u in new),
        data={"units": [u.pk for u in new]},
    )
    return matter


@transaction.atomic
def matter_declare_interest(
    *,
    matter: Matter,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """回避: the actor declares an interest; they are taken off the matter if assigned."""
    matter, when = begin(matter, actor, expected_version, at)
    # Read-only roles (auditor, supervisor) never lead or handle a matter and must not write to
    # its timeline; the event is booked to the actor's unit on the matter where there is one.
    acting = [m for m in memberships_of(actor) if not m.is_read_only]
    if not acting:
        raise Forbidden(_("您的角色只能查看信访事项，不承办，无需申报利害关系。"))
    membership = next((m for m in acting if m.unit_id == matter.lead_unit_id), acting[0])
    reason = require_text(reason, "reason", _("利害关系的说明"))
    if _declared(matter, actor):
        raise InvalidState(_("您已申报过与本事项的利害关系。"))
    Interest.objects.create(matter=matter, user=actor, reason=reason, declared_at=when)
    fields = []
    if matter.leader_id == actor.pk:
        matter.leader = None
        fields.append("leader")
    if matter.handler_id == actor.pk:
        matter.handler = None
        fields.append("handler")
    to_state = State.ACCEPTED if fields and matter.state == State.IN_HANDLING else None
    step(
        matter,
        kind=EventKind.INTEREST_DECLARED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=to_state,
        fields=fields,
        is_public=False,
        text="申报利害关系并回避" + ("，已解除其包案/承办" if fields else ""),
        data={"user": actor.pk},
    )
    return matter


def _pending_extension(matter: Matter) -> dict | None:
    kinds = {
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.EXTENSION_REFUSED,
    }
    decisions = [e for e in timeline(matter) if e.kind in kinds]
    if decisions and decisions[-1].kind == EventKind.EXTENSION_REQUESTED:
        return dict(decisions[-1].data)
    return None


def _require_handler(actor: User, matter: Matter, action: str) -> Membership:
    """`action` as for require_role: translated already."""
    membership = require_role(actor, "can_handle", matter.lead_unit, action)
    is_lead = any(m.can_approve for m in memberships_of(actor) if m.unit_id == matter.lead_unit_id)
    if not is_lead and matter.handler_id != actor.pk:
        raise Forbidden(_("只有本事项的承办人或单位负责人可以%(action)s。") % {"action": action})
    return membership


@transaction.atomic
def matter_request_extension(
    *,
    matter: Matter,
    actor: User,
    days: int,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """Ask the head of the body for the one extension the regulation allows (art. 34)."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "申请延期")
    require_state(matter, HANDLING, action)
    membership = _require_handler(actor, matter, action)
    if matter.simplified:
        raise InvalidState(_("简易办理的事项不能延期；如情况复杂，请转为普通程序办理。"))
    if matter.extension_days:
        raise InvalidState(_("办理期限只能延长一次（第三十四条），本事项已经延期。"))
    if _pending_extension(matter) is not None:
        raise InvalidState(_("已有待审批的延期申请。"))
    # bool is an int subclass, but True is not "1 day" (a form or JSON slip); clocks.py refuses
    # it too, so letting it through would store a request its approval cannot honour as asked.
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("延长期限为1至%(max)d日（第三十四条）。") % {"max": MAX_EXTENSION_DAYS}, field="days"
        )
    reason = require_text(reason, "reason", _("延期理由"))
    handling = clock(matter, "handling")
    on = timezone.localtime(when).date()
    if handling is None or not handling.running:
        raise InvalidState(_("该事项没有正在计算的办理期限。"))
    if on > handling.due_on:
        raise InvalidState(
            _("办理期限已于%(date)s届满，应在期限内申请延期。")
            % {"date": format_day(handling.due_on)}
        )
    step(
        matter,
        kind=EventKind.EXTENSION_REQUESTED,
        actor=actor,
        membership=membership,
        at=when,
        text=reason,
        data={"days": days},
        is_public=False,
    )
    return matter


@transaction.atomic
def matter_decide_extension(
    *,
    matter: Matter,
    actor: User,
    approve: bool,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """The head of the body approves or refuses a pending extension request."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "审批延期")
    require_state(matter, HANDLING, action)
    membership = require_role(actor, "can_approve", matter.lead_unit, action)
    pending = _pending_extension(matter)
    if pending is None:
        raise InvalidState(_("没有待审批的延期申请。"))
    if approve:
        days = int(pending["days"])
        matter.extension_days = days
        step(
            matter,
            kind=EventKind.EXTENSION_APPROVED,
            actor=actor,
            membership=membership,
            at=when,
            fields=["extension_days"],
            data={"days": days},
            text=note.strip() or f"经单位负责人批准，办理期限延长{days}日",
        )
    else:
        step(
            matter,
            kind=EventKind.EXTENSION_REFUSED,
            actor=actor,
            membership=membership,
            at=when,
            text=require_text(note, "note", _("不予批准的理由")),
            is_public=False,
        )
    return matter


@transaction.atomic
def matter_reply(
    *,
    matter: Matter,
    actor: User,
    text: str,
    decision: str = "",
    basis: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """The written reply. A 申诉求决 reply states its decision and legal basis (art. 32)."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "答复")
    require_state(matter, HANDLING, action)
    membership = _require_handler(actor, matter, action)
    text = require_text(text, "text", _("答复意见"))
    if matter.type == MatterType.REQUEST:
        if decision not in Decision.values:
            raise InvalidInput(
                _("请选择处理意见：支持、解释说明或不予支持（第三十二条）。"), field="decision"
            )
        basis = require_text(basis, "basis", _("处理依据"))
    elif decision and decision not in Decision.values:
        raise InvalidInput(_("处理意见只能是支持、解释说明或不予支持。"), field="decision")
    matter.decision = decision
    step(
        matter,
        kind=EventKind.REPLIED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.REPLIED,
        fields=["decision"],
        text=text,
        data={"decision": decision, "basis": basis.strip()},
    )
    return matter


RATABLE = (
    State.REPLIED,
    State.REVIEW_REQUESTED,
    State.REVIEWED,
    State.RE_REVIEW_REQUESTED,
    State.RE_REVIEWED,
    State.CLOSED,
)


@transaction.atomic
def matter_rate(
    *,
    matter: Matter,
    actor: User | None,
    rating: str,
    comment: str = "",
    at: datetime | None = None,
) -> Evaluation:
    """The petitioner's rating of the reply, once. `actor` is the staff member recording it
    (by phone or on paper), or None when the petitioner rates on the public side."""
    matter, when = begin(matter, actor, None, at)
    membership = None
    if actor is not None:
        candidates = [m for m in memberships_of(actor) if m.can_record_for_petitioner]
        if not candidates:
            raise Forbidden(_("您没有代为记录评价的权限。"))
        membership = candidates[0]
    replied = any(e.kind == EventKind.REPLIED for e in timeline(matter))
    if matter.state not in RATABLE or not replied:
        raise InvalidState(_("答复之后才能评价。"))
    if Evaluation.objects.filter(matter=matter).exists():
        raise InvalidState(_("该事项已经评价过，每件事项只能评价一次。"))
    if rating not in Rating.values:
        raise InvalidInput(_("请选择满意、基本满意或不满意。"), field="rating")
    evaluation = Evaluation.objects.create(
        matter=matter,
        rating=rating,
        comment=comment.strip(),
        recorded_at=when,
        recorded_by=actor,
    )
    step(
        matter,
        kind=EventKind.RATED,
        actor=actor,
        membership=membership,
        at=when,
        # A plain str in the primary language: the label is a lazy translation, which the
        # event hash cannot serialise and which would follow the actor's language.
        text=in_records(Rating(rating).label),
        data={"rating": rating},
    )
    return evaluation


ALWAYS_CLOSABLE = (State.NOT_ACCEPTED, State.GUIDED, State.LINKED, State.RE_REVIEWED)
# Also closable once the petitioner's window for review (or re-review) has passed.
CLOSABLE = (*ALWAYS_CLOSABLE, State.REPLIED, State.REVIEWED)


@transaction.atomic
def matter_close(
    *,
    matter: Matter,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """办结. After a reply or a review decision the petitioner's window to ask for the next step
    must have passed, unless they have rated the outcome."""
    matter, when = begin(matter, actor, expected_version, at)
    require_state(matter, CLOSABLE, pgettext("action", "办结"))
    membership = None
    for unit in (matter.lead_unit, matter.office):
        membership = next(
            (m for m in memberships_of(actor) if m.unit_id == unit.pk and m.can_route), None
        )
        if membership:
            break
    if membership is None:
        raise Forbidden(_("只有责任单位或登记机关可以办结该事项。"))
    if matter.state in (State.REPLIED, State.REVIEWED):
        key = "review_request" if matter.state == State.REPLIED else "re_review_request"
        window = clock(matter, key)
        rated = Evaluation.objects.filter(matter=matter).exists()
        on = timezone.localtime(when).date()
        if window is not None and window.running and on <= window.due_on and not rated:
            message = (
                _("信访人可在%(date)s前申请复查，期限届满或信访人评价后方可办结。")
                if key == "review_request"
                else _("信访人可在%(date)s前申请复核，期限届满或信访人评价后方可办结。")
            )
            raise InvalidState(message % {"date": format_day(window.due_on)})
    step(
        matter,
        kind=EventKind.CLOSED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.CLOSED,
        text=note.strip() or "办结",
    )
    return matter
