"""Review (复查, art. 35) and re-review (复核, art. 36)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinfang.matters.errors import Forbidden, InvalidInput
from xinfang.matters.models import EventKind, Matter, ReviewOutcome, State
from xinfang.matters.services._core import (
    begin,
    require_role,
    require_state,
    require_text,
    require_window_open,
    step,
    timeline,
)
from xinfang.org.access import memberships_of
from xinfang.org.models import Membership, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _recorder(actor: User | None) -> Membership | None:
    """Staff recording a petitioner's request made on paper or in person; None on the portal."""
    if actor is None:
        return None
    membership = next((m for m in memberships_of(actor) if m.can_record_for_petitioner), None)
    if membership is None:
        raise Forbidden(_("您没有代为登记复查、复核申请的权限。"))
    return membership


def higher_body(matter: Matter, below: Unit | None, given: Unit | None, *, re_review: bool) -> Unit:
    """The body one level up from `below`, or the one the petitioner named; never the body
    whose decision is challenged, an inactive one, or one the matter accuses.

    One sentence per step (复查 or 复核), each a message of its own for the translations."""
    body = given or (below.parent if below is not None else None)
    if body is None:
        raise InvalidInput(
            _("请指定复核机关（原办理机关的上一级机关）。")
            if re_review
            else _("请指定复查机关（原办理机关的上一级机关）。"),
            field="body",
        )
    if not body.is_active:
        message = (
            _("%(unit)s已停用，不能作为复核机关。")
            if re_review
            else _("%(unit)s已停用，不能作为复查机关。")
        )
        raise InvalidInput(message % {"unit": body.name}, field="body")
    if below is not None and body.pk == below.pk:
        raise InvalidInput(
            _("复核机关不能是原办理机关本身。")
            if re_review
            else _("复查机关不能是原办理机关本身。"),
            field="body",
        )
    if matter.accused_units.filter(pk=body.pk).exists():
        raise InvalidInput(
            _("被检举控告的单位不能作为复核机关（第四十六条）。")
            if re_review
            else _("被检举控告的单位不能作为复查机关（第四十六条）。"),
            field="body",
        )
    return body


@transaction.atomic
def matter_request_review(
    *,
    matter: Matter,
    actor: User | None,
    reasons: str,
    review_unit: Unit | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """The petitioner asks the body one level up to review the reply, within 30 days."""
    matter, when = begin(matter, actor, expected_version, at)
    require_state(matter, [State.REPLIED], pgettext("action", "申请复查"))
    membership = _recorder(actor)
    reasons = require_text(reasons, "reasons", _("申请复查的理由"))
    require_window_open(
        matter,
        "review_request",
        timezone.localtime(when).date(),
        _("请求复查应当自收到书面答复之日起30日内提出（《信访工作条例》第三十五条）。"),
    )
    matter.review_unit = higher_body(matter, matter.lead_unit, review_unit, re_review=False)
    step(
        matter,
        kind=EventKind.REVIEW_REQUESTED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.REVIEW_REQUESTED,
        fields=["review_unit"],
        text=reasons,
        data={"review_unit": matter.review_unit.pk, "review_unit_name": matter.review_unit.name},
    )
    return matter


@transaction.atomic
def matter_decide_review(
    *,
    matter: Matter,
    actor: User,
    outcome: str,
    text: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """复查意见书, within 30 days of the request."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "作出复查意见")
    require_state(matter, [State.REVIEW_REQUESTED], action)
    membership = require_role(actor, "can_approve", matter.review_unit, action)
    if outcome not in ReviewOutcome.values:
        raise InvalidInput(_("请选择复查结论：维持、变更或撤销。"), field="outcome")
    text = require_text(text, "text", _("复查意见"))
    step(
        matter,
        kind=EventKind.REVIEWED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.REVIEWED,
        text=text,
        data={"outcome": outcome},
    )
    return matter


@transaction.atomic
def matter_request_re_review(
    *,
    matter: Matter,
    actor: User | None,
    reasons: str,
    re_review_unit: Unit | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """The petitioner asks for re-review of the review decision, within 30 days."""
    matter, when = begin(matter, actor, expected_version, at)
    require_state(matter, [State.REVIEWED], pgettext("action", "申请复核"))
    membership = _recorder(actor)
    reasons = require_text(reasons, "reasons", _("申请复核的理由"))
    require_window_open(
        matter,
        "re_review_request",
        timezone.localtime(when).date(),
        _("请求复核应当自收到复查意见之日起30日内提出（《信访工作条例》第三十六条）。"),
    )
    matter.re_review_unit = higher_body(matter, matter.review_unit, re_review_unit, re_review=True)
    step(
        matter,
        kind=EventKind.RE_REVIEW_REQUESTED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.RE_REVIEW_REQUESTED,
        fields=["re_review_unit"],
        text=reasons,
        data={
            "re_review_unit": matter.re_review_unit.pk,
            "re_review_unit_name": matter.re_review_unit.name,
        },
    )
    return matter


@transaction.atomic
def matter_record_hearing(
    *,
    matter: Matter,
    actor: User,
    start: date,
    end: date,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """A hearing held during re-review; its days are not counted in the 30 days (art. 36).

    Recorded once it has ended: now, or at a past moment (`at`) after its last day."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "登记听证")
    require_state(matter, [State.RE_REVIEW_REQUESTED], action)
    membership = require_role(actor, "can_approve", matter.re_review_unit, action)
    if end < start:
        raise InvalidInput(_("听证结束日期不能早于开始日期。"), field="end")
    if end > timezone.localtime(when).date():
        raise InvalidInput(_("听证结束后再登记听证时间。"), field="end")
    requested = [e for e in timeline(matter) if e.kind == EventKind.RE_REVIEW_REQUESTED]
    if requested and start < timezone.localtime(requested[-1].occurred_at).date():
        raise InvalidInput(_("听证不能早于复核申请。"), field="start")
    step(
        matter,
        kind=EventKind.HEARING,
        actor=actor,
        membership=membership,
        at=when,
        text=note.strip() or f"听证：{start:%Y-%m-%d}至{end:%Y-%m-%d}",
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    return matter


@transaction.atomic
def matter_decide_re_review(
    *,
    matter: Matter,
    actor: User,
    outcome: str,
    text: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Matter:
    """复核意见书. The same facts and reasons are then closed for good (art. 36 ¶3)."""
    matter, when = begin(matter, actor, expected_version, at)
    action = pgettext("action", "作出复核意见")
    require_state(matter, [State.RE_REVIEW_REQUESTED], action)
    membership = require_role(actor, "can_approve", matter.re_review_unit, action)
    if outcome not in ReviewOutcome.values:
        raise InvalidInput(_("请选择复核结论：维持、变更或撤销。"), field="outcome")
    text = require_text(text, "text", _("复核意见"))
    matter.is_final = True
    step(
        matter,
        kind=EventKind.RE_REVIEWED,
        actor=actor,
        membership=membership,
        at=when,
        to_state=State.RE_REVIEWED,
        fields=["is_final"],
        text=text,
        data={"outcome": outcome},
    )
    return matter


def review_window_closes(matter: Matter) -> date | None:
    """For screens: the last day the petitioner may still ask for review or re-review."""
    from xinfang.matters.services._core import clock

    key = {State.REPLIED: "review_request", State.REVIEWED: "re_review_request"}.get(
        State(matter.state)
    )
    window = clock(matter, key) if key else None
    return window.due_on if window is not None and window.running else None
