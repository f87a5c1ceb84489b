"""How a matter is shown through the API: plain dicts shaped like the response schemas.

Identity rules are the services' (petitioners_for); this module only arranges what they give.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xinfang.deadlines.clocks import Clock
from xinfang.deadlines.labels import clock_article, clock_label, clock_warnings
from xinfang.deadlines.services import matter_clocks
from xinfang.matters.models import (
    Channel,
    Evaluation,
    EventKind,
    Matter,
    MatterType,
    Rating,
    State,
)
from xinfang.matters.selectors import can_see_identity, is_visible
from xinfang.matters.services import petitioners_for
from xinfang.matters.services.petitioners import CONFIDENTIAL

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from xinfang.org.models import Unit

# What a detail needs in one query besides the lists.
DETAIL_RELATED = (
    "office",
    "lead_unit",
    "category",
    "region",
    "leader",
    "handler",
    "review_unit",
    "re_review_unit",
    "repeat_of",
)


def _label(choices: type[Any], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def person_name(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _unit(unit: Unit | None) -> dict[str, Any] | None:
    return None if unit is None else {"id": unit.pk, "name": unit.name}


def _user(user: Any) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": person_name(user)}


def matter_summary(matter: Matter, today: date) -> dict[str, Any]:
    return {
        "id": matter.pk,
        "number": matter.number,
        "title": matter.title,
        "type": matter.type,
        "channel": matter.channel,
        "state": matter.state,
        "state_label": _label(State, matter.state),
        "received_at": timezone.localtime(matter.received_at),
        "due_date": matter.due_date,
        "overdue": matter.due_date is not None and today > matter.due_date,
        "office": _unit(matter.office),
        "lead_unit": _unit(matter.lead_unit),
        "version": matter.version,
    }


def clock_out(clock: Clock, today: date) -> dict[str, Any]:
    return {
        "key": clock.key,
        "label": clock_label(clock),
        "article": clock_article(clock),
        "started_on": clock.started_on,
        "due_on": clock.due_on,
        "days_left": clock.days_left(today),
        "overdue": clock.overdue(today),
        "expired": clock.expired(today),
        "running": clock.running,
        "stopped_on": clock.stopped_on,
        "late": clock.late,
        "extra_days": clock.extra_days,
        "is_window": clock.rule.is_window,
        "warnings": clock_warnings(clock),
    }


def matter_detail(user: User, matter: Matter) -> dict[str, Any]:
    """Everything the matter page shows, as `user` may see it."""
    today = timezone.localdate()
    events = list(matter.events.select_related("actor", "actor_unit").order_by("seq"))
    evaluation = Evaluation.objects.filter(matter=matter).first()
    # Whoever may not know an accuser's identity gets neither the attachments' names (a signed
    # letter's file name, "张三举报信.pdf") nor the notes written with them (arts. 30, 46).
    sealed = not can_see_identity(user, matter)
    withheld = _(CONFIDENTIAL)
    return {
        **matter_summary(matter, today),
        "query_code": matter.query_code,
        "type_label": _label(MatterType, matter.type),
        "channel_label": _label(Channel, matter.channel),
        "registered_at": timezone.localtime(matter.registered_at),
        "source_reference": matter.source_reference,
        "content": matter.content,
        "category": (
            None
            if matter.category is None
            else {"id": matter.category.pk, "name": matter.category.name}
        ),
        "region": (
            None
            if matter.region is None
            else {"code": matter.region.code, "name": matter.region.name}
        ),
        "is_collective": matter.is_collective,
        "head_count": matter.head_count,
        "is_open": matter.is_open,
        "co_units": [_unit(u) for u in matter.co_units.order_by("cohandling__added_at", "pk")],
        "accused_units": [_unit(u) for u in matter.accused_units.order_by("pk")],
        "leader": _user(matter.leader),
        "handler": _user(matter.handler),
        "review_unit": _unit(matter.review_unit),
        "re_review_unit": _unit(matter.re_review_unit),
        "repeat_of": (
            None
            if matter.repeat_of is None or not is_visible(user, matter.repeat_of)
            else {"id": matter.repeat_of.pk, "number": matter.repeat_of.number}
        ),
        "simplified": matter.simplified,
        "extension_days": matter.extension_days,
        "decision": matter.decision,
        "legal_channel": matter.legal_channel,
        "is_final": matter.is_final,
        "calendar_warning": matter.calendar_warning,
        "petitioners": [vars(p) for p in petitioners_for(user, matter)],
        "clocks": [clock_out(c, today) for c in matter_clocks(matter, events)],
        "timeline": [
            {
                "seq": e.seq,
                "kind": e.kind,
                "label": _label(EventKind, e.kind),
                "at": timezone.localtime(e.occurred_at),
                "recorded_at": timezone.localtime(e.recorded_at),
                "actor": person_name(e.actor),
                "unit": e.actor_unit.name if e.actor_unit else None,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "text": withheld if sealed and e.kind == EventKind.ATTACHED else e.text,
                "data": e.data,
                "is_public": e.is_public,
            }
            for e in events
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": withheld if sealed else a.original_name,
                "size": a.size,
                "sha256": a.sha256,
                "content_type": a.content_type,
                "uploaded_at": timezone.localtime(a.uploaded_at),
            }
            for a in matter.attachments.order_by("uploaded_at", "pk")
        ],
        "evaluation": (
            None
            if evaluation is None
            else {
                "rating": evaluation.rating,
                "label": _label(Rating, evaluation.rating),
                "comment": evaluation.comment,
                "recorded_at": timezone.localtime(evaluation.recorded_at),
            }
        ),
    }
