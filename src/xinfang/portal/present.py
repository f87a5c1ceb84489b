"""What the petitioner sees of their matter, in plain words.

Only public events are shown, and of those only what is addressed to the petitioner: the
written decisions, the reasons for refusing or extending, their own requests. Notes staff
typed when forwarding or accepting, the names of staff, other matters' numbers and the
petitioners' identities never appear (the state and timeline are written from the event kinds
and the units' names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinfang.deadlines.clocks import Clock
from xinfang.deadlines.labels import clock_article
from xinfang.deadlines.services import matter_clocks, rules_for
from xinfang.matters.errors import InvalidInput
from xinfang.matters.models import (
    Decision,
    Evaluation,
    Event,
    EventKind,
    LegalChannel,
    Matter,
    MatterType,
    Rating,
    ReviewOutcome,
    State,
)
from xinfang.matters.services._core import format_day
from xinfang.matters.services.handling import MAX_EXTENSION_DAYS, RATABLE
from xinfang.matters.services.review import higher_body
from xinfang.org.models import Unit

# The clocks that protect the petitioner, with what each means for them. The objection window
# is a matter between units and is left out.
_CLOCK_WORDS = {
    "route": gettext_lazy("The petition office sends your matter to the body responsible"),
    "acceptance": gettext_lazy(
        "The body responsible tells you in writing whether it accepts your matter"
    ),
    "handling": gettext_lazy("You receive a written reply"),
    "simplified": gettext_lazy("You receive a written reply (simplified handling)"),
    "first_visit": gettext_lazy("Your first visit is dealt with"),
    "review_request": gettext_lazy("You may ask for a review"),
    "review": gettext_lazy("The review body gives its decision"),
    "re_review_request": gettext_lazy("You may ask for a re-review"),
    "re_review": gettext_lazy("The re-review body gives its decision"),
}

# Kinds whose text is written to the petitioner (a decision, the reasons of a refusal) or by
# them (their request's reasons). Every other kind's text may be a staff note: never shown.
# An approved extension is not among them: its text is the approver's own note. What the
# petitioner is told of it (art. 34: the reason) is the reason of the extension request.
_TEXT_FOR_PETITIONER = {
    EventKind.NOT_ACCEPTED,
    EventKind.GUIDED,
    EventKind.REPLIED,
    EventKind.REVIEW_REQUESTED,
    EventKind.REVIEWED,
    EventKind.RE_REVIEW_REQUESTED,
    EventKind.RE_REVIEWED,
}

# Written decisions issued to the petitioner, with their document title.
_DOCUMENTS = {
    EventKind.NOT_ACCEPTED: gettext_lazy("Notice of non-acceptance"),
    EventKind.GUIDED: gettext_lazy("Notice: where to pursue your matter"),
    EventKind.EXTENSION_APPROVED: gettext_lazy("Notice of extension"),
    EventKind.REPLIED: gettext_lazy("Written reply (信访处理意见书)"),
    EventKind.REVIEWED: gettext_lazy("Review decision (复查意见书)"),
    EventKind.RE_REVIEWED: gettext_lazy("Re-review decision (复核意见书)"),
}


# Documents (文书) issued on paper from the staff side (reports: DOCUMENT_ISSUED), by the kind
# recorded in the event: named by a fixed title, never by the office's own template title or
# the document's number (the file names the petitioner and is not offered here).
_ISSUED = {
    "acceptance": gettext_lazy("Notice of acceptance (信访事项受理告知书)"),
    "non_acceptance": gettext_lazy("Notice of non-acceptance (信访事项不予受理告知书)"),
    "guidance": gettext_lazy("Notice of guidance to a legal procedure (信访事项引导告知书)"),
    "forwarding": gettext_lazy("Notice of forwarding or assignment (信访事项转送、交办告知书)"),
    "extension": gettext_lazy("Notice of extension (信访事项延期办理告知书)"),
    "reply": gettext_lazy("Written reply (信访处理意见书)"),
    "review": gettext_lazy("Review decision (复查意见书)"),
    "re_review": gettext_lazy("Re-review decision (复核意见书)"),
}


def day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return format_day(value)


@dataclass(frozen=True)
class Rules:
    """Day counts of the clocks that protect the petitioner, from the office's clock rules."""

    route: int
    acceptance: int
    handling: int
    extension: int
    review_request: int
    review: int
    re_review_request: int
    re_review: int


def rules_summary(office: Unit | None) -> Rules:
    rules = rules_for(office.pk if office is not None else None)
    return Rules(
        route=rules["route"].days,
        acceptance=rules["acceptance"].days,
        handling=rules["handling"].days,
        extension=MAX_EXTENSION_DAYS,
        review_request=rules["review_request"].days,
        review=rules["review"].days,
        re_review_request=rules["re_review_request"].days,
        re_review=rules["re_review"].days,
    )


@dataclass(frozen=True)
class PublicClock:
    key: str
    words: str
    article: str
    due_on: date
    due_text: str
    status: str  # running, late, expired, done
    note: str


def public_clocks(matter: Matter, today: date, clocks: list[Clock]) -> list[PublicClock]:
    result = []
    for c in clocks:
        words = _CLOCK_WORDS.get(c.key)
        if words is None:
            continue
        if c.running:
            left = (c.due_on - today).days
            if c.overdue(today):
                status, note = "late", _("Overdue: the office has not yet done this.")
            elif c.expired(today):
                status, note = "expired", _("This period has ended.")
            elif left == 0:
                status, note = "running", _("Due today.")
            else:
                status, note = "running", _("%(n)d days left.") % {"n": left}
        else:
            assert c.stopped_on is not None
            status = "done"
            note = _("Done on %(date)s.") % {"date": day(c.stopped_on)}
        result.append(
            PublicClock(
                key=c.key,
                words=str(words),
                article=clock_article(c),
                due_on=c.due_on,
                due_text=day(c.due_on),
                status=status,
                note=note,
            )
        )
    # Running ones first, soonest first; then the finished ones, latest first.
    running = sorted((c for c in result if c.status != "done"), key=lambda c: c.due_on)
    done = [c for c in reversed(result) if c.status == "done"]
    return running + done


@dataclass(frozen=True)
class PublicEntry:
    seq: int
    when: str
    title: str
    text: str = ""
    details: list[str] = field(default_factory=list)


def _entry_title(event: Event) -> str | None:
    data = event.data or {}
    unit = event.actor_unit.name if event.actor_unit is not None else ""
    kind = event.kind
    if kind == EventKind.REGISTERED:
        if data.get("channel") == "online":
            return _("You submitted your matter online; %(unit)s received it.") % {"unit": unit}
        return _("%(unit)s registered your matter.") % {"unit": unit}
    if kind == EventKind.FORWARDED:
        return _("Sent to %(unit)s, the body responsible.") % {"unit": data.get("to_unit_name")}
    if kind == EventKind.ASSIGNED:
        return _("Assigned to %(unit)s, which reports back on the outcome.") % {
            "unit": data.get("to_unit_name")
        }
    if kind == EventKind.OBJECTED:
        return _("%(unit)s found it is not the body responsible; the matter is sent on again.") % {
            "unit": unit
        }
    if kind == EventKind.ACCEPTED:
        return _("%(unit)s accepted your matter.") % {"unit": unit}
    if kind == EventKind.NOT_ACCEPTED:
        return _("%(unit)s did not accept your matter.") % {"unit": unit}
    if kind == EventKind.GUIDED:
        return _("%(unit)s directed your matter to a legal procedure.") % {"unit": unit}
    if kind == EventKind.OWNERS_ASSIGNED:
        return _("%(unit)s named a responsible leader and the person handling it.") % {"unit": unit}
    if kind == EventKind.CO_UNITS_SET:
        return _("Other bodies were asked to help handle it.")
    if kind == EventKind.EXTENSION_APPROVED:
        return _("The time for the reply was extended by %(days)d days.") % {"days": _days(data)}
    if kind == EventKind.REPLIED:
        return _("%(unit)s replied in writing.") % {"unit": unit}
    if kind == EventKind.REVIEW_REQUESTED:
        return _("You asked %(unit)s for a review.") % {"unit": data.get("review_unit_name")}
    if kind == EventKind.REVIEWED:
        return _("%(unit)s decided on the review.") % {"unit": unit}
    if kind == EventKind.RE_REVIEW_REQUESTED:
        return _("You asked %(unit)s for a re-review.") % {"unit": data.get("re_review_unit_name")}
    if kind == EventKind.HEARING:
        return _("A hearing was held.")
    if kind == EventKind.RE_REVIEWED:
        return _("%(unit)s decided on the re-review. This decision is final.") % {"unit": unit}
    if kind == EventKind.LINKED:
        return _("It is the same as a matter already being handled; it is handled there.")
    if kind == EventKind.NOTE and data.get("repeat"):
        return _("You raised the same matter again; it is handled together with this one.")
    if kind == EventKind.RATED:
        return _("You rated the reply: %(rating)s.") % {
            "rating": _rating_label(str(data.get("rating", "")))
        }
    if kind == EventKind.CLOSED:
        return _("The matter was closed.")
    if kind == EventKind.DOCUMENT_ISSUED and str(data.get("kind", "")) in _ISSUED:
        return _("%(unit)s issued you a written document: %(document)s.") % {
            "unit": unit,
            "document": _ISSUED[str(data["kind"])],
        }
    return None


def _rating_label(value: str) -> str:
    return str(Rating(value).label) if value in Rating.values else value


def _days(data: dict[str, object]) -> int:
    try:
        return int(str(data.get("days", 0)))
    except ValueError:
        return 0


@dataclass(frozen=True)
class _Extension:
    days: int
    new_due: str  # the reply's new due date, "" when no clock says it
    reason: str  # the reason of the request the approval granted


def _extensions(events: list[Event], clocks: list[Clock]) -> dict[int, _Extension]:
    """Each approved extension (by seq) with what art. 34 has the petitioner told: the days,
    the new due date, and the reason, which is the handler's request's (never the approver's
    note, an internal text)."""
    handling = [c for c in clocks if c.key == "handling"]
    result = {}
    reason = ""
    for event in events:
        if event.kind == EventKind.EXTENSION_REQUESTED:
            reason = event.text
        elif event.kind == EventKind.EXTENSION_APPROVED:
            on = timezone.localtime(event.occurred_at).date()
            clock = next(
                (c for c in reversed(handling) if c.started_on <= on and c.extra_days), None
            )
            result[event.seq] = _Extension(
                days=_days(event.data or {}),
                new_due=day(clock.due_on) if clock is not None else "",
                reason=reason,
            )
            reason = ""
    return result


def _extension_details(extension: _Extension) -> list[str]:
    lines = [_("Extended by %(days)d days.") % {"days": extension.days}]
    if extension.new_due:
        lines.append(_("New due date of the reply: %(date)s") % {"date": extension.new_due})
    return lines


def _extension_text(extension: _Extension) -> str:
    return _("Reason: %(reason)s") % {"reason": extension.reason} if extension.reason else ""


def _details(event: Event) -> list[str]:
    data = event.data or {}
    lines = []
    decision = data.get("decision")
    if event.kind == EventKind.REPLIED and decision in Decision.values:
        lines.append(_("Decision: %(decision)s") % {"decision": Decision(decision).label})
    outcome = data.get("outcome")
    if event.kind in (EventKind.REVIEWED, EventKind.RE_REVIEWED) and outcome in (
        ReviewOutcome.values
    ):
        lines.append(_("Outcome: %(outcome)s") % {"outcome": ReviewOutcome(outcome).label})
    channel = data.get("legal_channel")
    if event.kind == EventKind.GUIDED and channel in LegalChannel.values:
        lines.append(_("Procedure: %(channel)s") % {"channel": LegalChannel(channel).label})
    if event.kind == EventKind.REPLIED and data.get("basis"):
        lines.append(_("Basis: %(basis)s") % {"basis": data["basis"]})
    return lines


def public_timeline(events: list[Event], clocks: list[Clock]) -> list[PublicEntry]:
    extensions = _extensions(events, clocks)
    entries = []
    for event in events:
        if not event.is_public:
            continue
        title = _entry_title(event)
        if title is None:
            continue
        text = event.text if event.kind in _TEXT_FOR_PETITIONER else ""
        details = _details(event)
        if event.seq in extensions:
            text = _extension_text(extensions[event.seq])
            details = _extension_details(extensions[event.seq])[1:]
        entries.append(
            PublicEntry(
                seq=event.seq,
                when=day(event.occurred_at),
                title=title,
                text=text,
                details=details,
            )
        )
    return entries


@dataclass(frozen=True)
class PublicDocument:
    seq: int
    title: str
    issued_on: str
    unit: str
    text: str
    details: list[str]


def public_documents(events: list[Event], clocks: list[Clock]) -> list[PublicDocument]:
    extensions = _extensions(events, clocks)
    documents = []
    for e in events:
        if not e.is_public or e.kind not in _DOCUMENTS:
            continue
        text, details = e.text, _details(e)
        if e.seq in extensions:
            # Never the approver's note: the days, the new due date and the request's reason.
            text = _extension_text(extensions[e.seq])
            details = _extension_details(extensions[e.seq])
        documents.append(
            PublicDocument(
                seq=e.seq,
                title=str(_DOCUMENTS[EventKind(e.kind)]),
                issued_on=day(e.occurred_at),
                unit=e.actor_unit.name if e.actor_unit is not None else "",
                text=text,
                details=details,
            )
        )
    return documents


def _running(clocks: list[Clock], key: str) -> Clock | None:
    found = [c for c in clocks if c.key == key and c.running]
    return found[-1] if found else None


def state_words(matter: Matter, clocks: list[Clock], rules: Rules) -> tuple[str, str]:
    """The state in one plain sentence, and what happens next."""
    state = matter.state
    unit = matter.lead_unit.name

    def due(key: str) -> str:
        c = _running(clocks, key)
        return day(c.due_on) if c is not None else ""

    if state == State.REGISTERED:
        return _("Received and registered by %(unit)s.") % {"unit": matter.office.name}, _(
            "The petition office decides which body is responsible and sends your matter there "
            "by %(date)s (within %(days)d days)."
        ) % {"date": due("route") or due("acceptance"), "days": rules.route}
    if state in (State.FORWARDED, State.ASSIGNED):
        return _("Sent to %(unit)s.") % {"unit": unit}, _(
            "%(unit)s tells you in writing by %(date)s whether it accepts your matter."
        ) % {"unit": unit, "date": due("acceptance")}
    if state in (State.ACCEPTED, State.IN_HANDLING):
        reply_due = due("handling") or due("simplified")
        return _("Accepted; %(unit)s is handling it.") % {"unit": unit}, _(
            "You will receive a written reply by %(date)s."
        ) % {"date": reply_due}
    if state == State.NOT_ACCEPTED:
        return _("Not accepted by %(unit)s.") % {"unit": unit}, _(
            "The reasons are in the written notice below."
        )
    if state == State.GUIDED:
        return _("Directed to a legal procedure."), _(
            "The notice below says which procedure to use and why."
        )
    if state == State.REPLIED:
        return _("%(unit)s has replied in writing.") % {"unit": unit}, _(
            "Please read the reply below. If you disagree, you may ask for a review by %(date)s."
        ) % {"date": due("review_request") or "—"}
    if state == State.REVIEW_REQUESTED:
        review_unit = matter.review_unit.name if matter.review_unit else ""
        return _("Under review by %(unit)s.") % {"unit": review_unit}, _(
            "The review decision is due by %(date)s."
        ) % {"date": due("review")}
    if state == State.REVIEWED:
        return _("The review has been decided."), _(
            "Please read the review decision below. If you disagree, you may ask for a re-review "
            "by %(date)s."
        ) % {"date": due("re_review_request") or "—"}
    if state == State.RE_REVIEW_REQUESTED:
        body = matter.re_review_unit.name if matter.re_review_unit else ""
        return _("Under re-review by %(unit)s.") % {"unit": body}, _(
            "The re-review decision is due by %(date)s (hearing days are not counted)."
        ) % {"date": due("re_review")}
    if state == State.RE_REVIEWED:
        return _("The re-review has been decided; the matter is settled for good."), _(
            "The same facts and reasons will not be accepted again (art. 36)."
        )
    if state == State.LINKED:
        return _("Handled together with an earlier matter with the same content."), _(
            "Use the number and query code you received for the earlier matter."
        )
    return _("Closed."), _("Nothing more is due on this matter.")


@dataclass(frozen=True)
class Actions:
    can_rate: bool
    rate_note: str
    review_kind: str  # "review", "re_review" or ""
    review_closes: str
    review_note: str


def _window(clocks: list[Clock], key: str) -> Clock | None:
    found = [c for c in clocks if c.key == key]
    return found[-1] if found else None


def review_body(matter: Matter, *, re_review: bool) -> Unit | None:
    """The body that would review (one level up from the one whose decision is challenged), or
    None when the lifecycle would ask for one to be named: then the petitioner cannot ask here
    and is told whom to contact."""
    below = matter.review_unit if re_review else matter.lead_unit
    try:
        return higher_body(matter, below, None, re_review=re_review)
    except InvalidInput:
        return None


def no_review_body_note(matter: Matter, *, re_review: bool) -> str:
    office = matter.office.name
    if re_review:
        return _(
            "A re-review cannot be requested online for this matter: the body one level up "
            "cannot be determined here. Please contact %(office)s, which will tell you where to "
            "ask for it."
        ) % {"office": office}
    return _(
        "A review cannot be requested online for this matter: the body one level up "
        "cannot be determined here. Please contact %(office)s, which will tell you where to "
        "ask for it."
    ) % {"office": office}


def actions(matter: Matter, today: date, clocks: list[Clock], events: list[Event]) -> Actions:
    rules = rules_summary(matter.office)
    replied = any(e.kind == EventKind.REPLIED for e in events)
    evaluation = Evaluation.objects.filter(matter=matter).first()
    if evaluation is not None:
        can_rate = False
        rate_note = _("You rated the reply on %(date)s: %(rating)s. Each matter is rated once.") % {
            "date": day(evaluation.recorded_at),
            "rating": _rating_label(evaluation.rating),
        }
    elif matter.state in RATABLE and replied:
        can_rate, rate_note = True, ""
    else:
        can_rate = False
        rate_note = _("You can rate the handling once you have the written reply.")

    kind, closes, note = "", "", ""
    if matter.state in (State.REPLIED, State.REVIEWED):
        key = "review_request" if matter.state == State.REPLIED else "re_review_request"
        window = _window(clocks, key)
        if window is not None and window.running and today <= window.due_on:
            re_review = key == "re_review_request"
            if review_body(matter, re_review=re_review) is None:
                note = no_review_body_note(matter, re_review=re_review)
            else:
                kind = "re_review" if re_review else "review"
                closes = day(window.due_on)
        elif key == "review_request":
            note = _(
                "A review can no longer be requested: the %(days)d days for it (art. 35, counted "
                "from the written reply) ended on %(date)s."
            ) % {
                "days": rules.review_request,
                "date": day(window.due_on) if window else "—",
            }
        else:
            note = _(
                "A re-review can no longer be requested: the %(days)d days for it (art. 36, "
                "counted from the review decision) ended on %(date)s."
            ) % {
                "days": rules.re_review_request,
                "date": day(window.due_on) if window else "—",
            }
    elif matter.state == State.REVIEW_REQUESTED:
        note = _("You have asked for a review; it is being dealt with.")
    elif matter.state == State.RE_REVIEW_REQUESTED:
        note = _("You have asked for a re-review; it is being dealt with.")
    elif matter.state == State.RE_REVIEWED:
        note = _("No further review is possible: the re-review decision is final (art. 36).")
    elif matter.state == State.CLOSED:
        note = _("The matter is closed; no review can be requested any more.")
    elif matter.state in (State.NOT_ACCEPTED, State.GUIDED, State.LINKED):
        note = _("A review is possible only after a written reply on the substance.")
    else:
        note = _(
            "Once you have the written reply you may ask for a review within %(days)d days."
        ) % {"days": rules.review_request}
    return Actions(
        can_rate=can_rate,
        rate_note=rate_note,
        review_kind=kind,
        review_closes=closes,
        review_note=note,
    )


@dataclass(frozen=True)
class StatusPage:
    matter: Matter
    headline: str
    next_step: str
    clocks: list[PublicClock]
    timeline: list[PublicEntry]
    documents: list[PublicDocument]
    actions: Actions
    type_label: str


def status_page(matter: Matter) -> StatusPage:
    events = list(Event.objects.filter(matter=matter).select_related("actor_unit").order_by("seq"))
    clocks = matter_clocks(matter, events)
    today = timezone.localdate()
    rules = rules_summary(matter.office)
    headline, next_step = state_words(matter, clocks, rules)
    return StatusPage(
        matter=matter,
        headline=headline,
        next_step=next_step,
        clocks=public_clocks(matter, today, clocks),
        timeline=public_timeline(events, clocks),
        documents=public_documents(events, clocks),
        actions=actions(matter, today, clocks, events),
        type_label=str(MatterType(matter.type).label),
    )
