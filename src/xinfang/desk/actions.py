"""The lifecycle actions the matter page offers: which form, which service, and when to offer it.

`offered` mirrors the services' own checks (state and role) so that the page shows only what
the user may do now; the services check again and refuse anything else, so a hand-made POST
gets the same clear refusal as the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinfang.desk import forms as f
from xinfang.matters import services
from xinfang.matters.errors import InvalidInput
from xinfang.matters.models import Event, EventKind, Matter, MatterType, State
from xinfang.matters.selectors import is_visible
from xinfang.matters.services import Upload
from xinfang.matters.services.handling import CLOSABLE, RATABLE
from xinfang.matters.services.routing import BEFORE_ACCEPTANCE
from xinfang.org.access import memberships_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Where the lifecycle allows each step comes from the services (BEFORE_ACCEPTANCE, RATABLE,
# CLOSABLE), so that what the page offers and what a service accepts cannot drift apart.
HANDLING = {State.ACCEPTED, State.IN_HANDLING}


@dataclass
class Facts:
    """What the offers depend on, read once per page."""

    user: User
    matter: Matter
    events: list[Event]
    rated: bool

    def can(self, capability: str, unit_id: int | None) -> bool:
        return any(
            getattr(m, capability) for m in memberships_of(self.user) if m.unit_id == unit_id
        )

    def anywhere(self, capability: str) -> bool:
        return any(getattr(m, capability) for m in memberships_of(self.user))

    @property
    def lead(self) -> int:
        return self.matter.lead_unit_id

    @property
    def pending_extension(self) -> bool:
        kinds = {
            EventKind.EXTENSION_REQUESTED,
            EventKind.EXTENSION_APPROVED,
            EventKind.EXTENSION_REFUSED,
        }
        last = [e for e in self.events if e.kind in kinds]
        return bool(last) and last[-1].kind == EventKind.EXTENSION_REQUESTED

    @property
    def handles(self) -> bool:
        return self.can("can_handle", self.lead) and (
            self.can("can_approve", self.lead) or self.matter.handler_id == self.user.pk
        )

    @property
    def declared(self) -> bool:
        return any(
            e.kind == EventKind.INTEREST_DECLARED and e.actor_id == self.user.pk
            for e in self.events
        )


# What the page says after the step succeeded.
DONE = gettext_lazy("Done.")

Run = Callable[[Matter, "User", dict[str, Any], int], Any]


@dataclass(frozen=True)
class Action:
    key: str
    label: Promise
    form: type[f.ActionForm]
    offered: Callable[[Facts], bool]
    run: Run
    # Shown first and open on the page: the steps that move the matter on (a function: when
    # that depends on the matter).
    primary: bool | Callable[[Facts], bool] = True
    done: Promise = DONE

    def is_primary(self, facts: Facts) -> bool:
        return self.primary(facts) if callable(self.primary) else self.primary


def _original(matter: Matter, user: User, number: str) -> Matter:
    original = Matter.objects.filter(number=number.strip()).first()
    if original is None or not is_visible(user, original):
        raise InvalidInput(_("没有找到要关联的原事项，或您无权查看。"), field="original")
    return original


def _upload(data: dict[str, Any]) -> Upload:
    file = data["file"]
    return Upload(name=file.name, stream=file, content_type=file.content_type or "")


def _classify(m: Matter, u: User, d: dict[str, Any], v: int) -> Matter:
    """Only what changed: an unchanged field is not a correction."""
    return services.matter_classify(
        matter=m,
        actor=u,
        type=d["type"] if d["type"] != m.type else None,
        category=d["category"],
        region=d["region"],
        expected_version=v,
    )


ACTIONS: tuple[Action, ...] = (
    Action(
        "classify",
        gettext_lazy("Check type and category"),
        f.ClassifyForm,
        lambda x: (
            x.matter.state in BEFORE_ACCEPTANCE
            and (x.can("can_register", x.matter.office_id) or x.can("can_route", x.lead))
        ),
        _classify,
        # First on a matter nobody has classified yet (an online submission); else further down.
        primary=lambda x: x.matter.category_id is None,
        done=gettext_lazy("Classification saved."),
    ),
    Action(
        "accept",
        gettext_lazy("Accept"),
        f.AcceptForm,
        lambda x: x.matter.state in BEFORE_ACCEPTANCE and x.can("can_route", x.lead),
        lambda m, u, d, v: services.matter_accept(
            matter=m, actor=u, simplified=d["simplified"], note=d["note"], expected_version=v
        ),
        done=gettext_lazy("Accepted: the handling clock is running."),
    ),
    Action(
        "forward",
        gettext_lazy("Forward (转送)"),
        f.ForwardForm,
        lambda x: x.matter.state in BEFORE_ACCEPTANCE and x.can("can_route", x.lead),
        lambda m, u, d, v: services.matter_forward(
            matter=m, actor=u, to_unit=d["to_unit"], note=d["note"], expected_version=v
        ),
        done=gettext_lazy("Forwarded."),
    ),
    Action(
        "assign",
        gettext_lazy("Assign (交办)"),
        f.AssignForm,
        lambda x: x.matter.state in BEFORE_ACCEPTANCE and x.can("can_route", x.lead),
        lambda m, u, d, v: services.matter_assign(
            matter=m, actor=u, to_unit=d["to_unit"], note=d["note"], expected_version=v
        ),
        done=gettext_lazy("Assigned."),
    ),
    Action(
        "link",
        gettext_lazy("Link as a repeat"),
        f.LinkRepeatForm,
        lambda x: x.matter.state == State.REGISTERED and x.can("can_route", x.lead),
        lambda m, u, d, v: services.matter_link_repeat(
            matter=m,
            actor=u,
            original=_original(m, u, d["original"]),
            note=d["note"],
            expected_version=v,
        ),
        primary=False,
        done=gettext_lazy("Linked as a repeat."),
    ),
    Action(
        "object",
        gettext_lazy("Object: not competent"),
        f.ObjectForm,
        lambda x: (
            x.matter.state in (State.FORWARDED, State.ASSIGNED) and x.can("can_route", x.lead)
        ),
        lambda m, u, d, v: services.matter_object(
            matter=m, actor=u, reason=d["reason"], expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Objection recorded; the matter went back."),
    ),
    Action(
        "decline",
        gettext_lazy("Do not accept"),
        f.DeclineForm,
        lambda x: x.matter.state in BEFORE_ACCEPTANCE and x.can("can_route", x.lead),
        lambda m, u, d, v: services.matter_decline(
            matter=m, actor=u, reason=d["reason"], expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Recorded as not accepted."),
    ),
    Action(
        "guide",
        gettext_lazy("Guide to the legal channel"),
        f.GuideForm,
        lambda x: (
            x.matter.state in BEFORE_ACCEPTANCE
            and x.matter.type == MatterType.REQUEST
            and x.can("can_route", x.lead)
        ),
        lambda m, u, d, v: services.matter_guide(
            matter=m,
            actor=u,
            legal_channel=d["legal_channel"],
            reason=d["reason"],
            expected_version=v,
        ),
        primary=False,
        done=gettext_lazy("Guided to the legal channel."),
    ),
    Action(
        "owners",
        gettext_lazy("Assign leader and handler"),
        f.OwnersForm,
        lambda x: x.matter.state in HANDLING and x.can("can_assign", x.lead),
        lambda m, u, d, v: services.matter_assign_owners(
            matter=m, actor=u, leader=d["leader"], handler=d["handler"], expected_version=v
        ),
        done=gettext_lazy("Leader and handler assigned."),
    ),
    Action(
        "reply",
        gettext_lazy("Reply with a decision"),
        f.ReplyForm,
        lambda x: x.matter.state in HANDLING and x.handles,
        lambda m, u, d, v: services.matter_reply(
            matter=m,
            actor=u,
            text=d["text"],
            decision=d["decision"],
            basis=d["basis"],
            expected_version=v,
        ),
        done=gettext_lazy("Reply recorded."),
    ),
    Action(
        "extension_decision",
        gettext_lazy("Decide the extension"),
        f.ExtensionDecisionForm,
        lambda x: (
            x.matter.state in HANDLING and x.pending_extension and x.can("can_approve", x.lead)
        ),
        lambda m, u, d, v: services.matter_decide_extension(
            matter=m, actor=u, approve=d["approve"], note=d["note"], expected_version=v
        ),
        done=gettext_lazy("Extension decided."),
    ),
    Action(
        "extension",
        gettext_lazy("Request an extension"),
        f.ExtensionRequestForm,
        lambda x: (
            x.matter.state in HANDLING
            and x.handles
            and not x.matter.simplified
            and not x.matter.extension_days
            and not x.pending_extension
        ),
        lambda m, u, d, v: services.matter_request_extension(
            matter=m, actor=u, days=d["days"], reason=d["reason"], expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Extension requested."),
    ),
    Action(
        "co_units",
        gettext_lazy("Add co-handling units"),
        f.CoUnitsForm,
        lambda x: x.matter.state in HANDLING and x.can("can_assign", x.lead),
        lambda m, u, d, v: services.matter_add_co_units(
            matter=m, actor=u, units=list(d["units"]), expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Co-handling units added."),
    ),
    Action(
        "review_request",
        gettext_lazy("Record a review request"),
        f.ReviewRequestForm,
        lambda x: x.matter.state == State.REPLIED and x.anywhere("can_record_for_petitioner"),
        lambda m, u, d, v: services.matter_request_review(
            matter=m, actor=u, reasons=d["reasons"], review_unit=d["body"], expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Review request recorded."),
    ),
    Action(
        "review_decision",
        gettext_lazy("Decide the review"),
        f.ReviewDecisionForm,
        lambda x: (
            x.matter.state == State.REVIEW_REQUESTED
            and x.can("can_approve", x.matter.review_unit_id)
        ),
        lambda m, u, d, v: services.matter_decide_review(
            matter=m, actor=u, outcome=d["outcome"], text=d["text"], expected_version=v
        ),
        done=gettext_lazy("Review decided."),
    ),
    Action(
        "re_review_request",
        gettext_lazy("Record a re-review request"),
        f.ReReviewRequestForm,
        lambda x: x.matter.state == State.REVIEWED and x.anywhere("can_record_for_petitioner"),
        lambda m, u, d, v: services.matter_request_re_review(
            matter=m,
            actor=u,
            reasons=d["reasons"],
            re_review_unit=d["body"],
            expected_version=v,
        ),
        primary=False,
        done=gettext_lazy("Re-review request recorded."),
    ),
    Action(
        "hearing",
        gettext_lazy("Record a hearing"),
        f.HearingForm,
        lambda x: (
            x.matter.state == State.RE_REVIEW_REQUESTED
            and x.can("can_approve", x.matter.re_review_unit_id)
        ),
        lambda m, u, d, v: services.matter_record_hearing(
            matter=m, actor=u, start=d["start"], end=d["end"], note=d["note"], expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Hearing recorded."),
    ),
    Action(
        "re_review_decision",
        gettext_lazy("Decide the re-review"),
        f.ReReviewDecisionForm,
        lambda x: (
            x.matter.state == State.RE_REVIEW_REQUESTED
            and x.can("can_approve", x.matter.re_review_unit_id)
        ),
        lambda m, u, d, v: services.matter_decide_re_review(
            matter=m, actor=u, outcome=d["outcome"], text=d["text"], expected_version=v
        ),
        done=gettext_lazy("Re-review decided."),
    ),
    Action(
        "rate",
        gettext_lazy("Record the petitioner's rating"),
        f.RateForm,
        lambda x: (
            x.matter.state in RATABLE and not x.rated and x.anywhere("can_record_for_petitioner")
        ),
        lambda m, u, d, v: services.matter_rate(
            matter=m, actor=u, rating=d["rating"], comment=d["comment"]
        ),
        primary=False,
        done=gettext_lazy("Rating recorded."),
    ),
    Action(
        "close",
        gettext_lazy("Close the matter"),
        f.CloseForm,
        lambda x: (
            x.matter.state in CLOSABLE
            and (x.can("can_route", x.lead) or x.can("can_route", x.matter.office_id))
        ),
        lambda m, u, d, v: services.matter_close(
            matter=m, actor=u, note=d["note"], expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Closed."),
    ),
    Action(
        "attach",
        gettext_lazy("Add an attachment"),
        f.AttachForm,
        lambda x: any(not m.is_read_only for m in memberships_of(x.user)),
        lambda m, u, d, v: services.attachment_add(
            matter=m, actor=u, upload=_upload(d), note=d["note"]
        ),
        primary=False,
        done=gettext_lazy("Attachment added."),
    ),
    Action(
        "interest",
        gettext_lazy("Declare an interest (recusal)"),
        f.InterestForm,
        lambda x: (
            x.matter.is_open
            and not x.declared
            and any(not m.is_read_only for m in memberships_of(x.user))
        ),
        lambda m, u, d, v: services.matter_declare_interest(
            matter=m, actor=u, reason=d["reason"], expected_version=v
        ),
        primary=False,
        done=gettext_lazy("Interest declared."),
    ),
)
BY_KEY = {a.key: a for a in ACTIONS}


def offered(facts: Facts) -> list[Action]:
    return [a for a in ACTIONS if a.offered(facts)]
