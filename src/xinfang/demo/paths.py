"""The steps that lead a matter to its target state, with realistic gaps between them. No Django.

Gaps are in days; the planner turns them into times. They respect what the services check: an
objection within 5 working days, an extension asked for within the 60 days, a review or re-review
asked for within its 30 days, closure only once the petitioner's window has passed or they rated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from xinfang.demo import data, texts
from xinfang.demo.petitions import Filing

DEPARTMENTS = [slug for slug, *_ in data.DEPARTMENTS]
NO_SEND_BODIES = {"jw", "fy"}  # forwarded to, never assigned (交办) to
_RATING_WEIGHTS = {
    "support": (0.75, 0.2, 0.05),
    "explain": (0.45, 0.4, 0.15),
    "reject": (0.15, 0.35, 0.5),
    "": (0.6, 0.3, 0.1),
}
_RATINGS = ("satisfied", "basically", "unsatisfied")


@dataclass
class Gap:
    action: str
    days: float
    staff: bool
    args: dict[str, Any]


def build_path(
    rng: random.Random, target: str, filing: Filing, office: str, opts: dict[str, Any]
) -> tuple[list[Gap], float]:
    """The steps that lead to the target, each with its gap in days, and how long the matter
    has been waiting since its last step."""
    u = rng.uniform
    gaps: list[Gap] = []

    def add(action: str, gap: float, staff: bool = True, **args: Any) -> None:
        gaps.append(Gap(action, gap, staff, args))

    def by_office() -> str:
        return "director" if office == "bureau" and rng.random() < 0.2 else "registrar"

    def route(mode: str = "") -> None:
        if office != "bureau":
            return
        if not mode:
            sendable = filing.unit not in NO_SEND_BODIES
            mode = "assign" if sendable and rng.random() < 0.25 else "forward"
        if opts.get("objection") or (filing.unit not in NO_SEND_BODIES and rng.random() < 0.06):
            wrong = rng.choice(
                [d for d in DEPARTMENTS if d != filing.unit and d not in filing.accused]
            )
            add("forward", u(0.1, 4), to=wrong, by=by_office())
            add("object", u(0.3, 2.5), by="lead", reason=rng.choice(texts.OBJECTION_REASONS))
            add(mode, u(0.1, 3), to=filing.unit, by=by_office())
        else:
            add(mode, u(0.1, 6), to=filing.unit, by=by_office())

    def accept(simplified: bool = False) -> None:
        add(
            "accept",
            u(0.3, 7) if office == "bureau" else u(0.1, 4),
            by="lead",
            simplified=simplified,
        )

    def owners() -> None:
        add("owners", u(0, 2.5), by="lead")
        if filing.unit in DEPARTMENTS and filing.type != "accusation" and rng.random() < 0.12:
            others = [d for d in DEPARTMENTS if d != filing.unit and d not in filing.accused]
            add("co_units", u(0, 3), by="lead", units=rng.sample(others, rng.randint(1, 2)))

    def extension(approve: bool = True) -> None:
        add(
            "extension_request",
            u(30, 48),
            by="handler",
            days=rng.choice((15, 20, 30)),
            reason=rng.choice(texts.EXTENSION_REASONS),
        )
        add(
            "extension_decide",
            u(0.5, 3),
            by="lead",
            approve=approve,
            note="" if approve else "理由不充分，请按期办结。",
        )

    def reply_args() -> dict[str, Any]:
        t = texts.TEMPLATES[filing.template]
        decision = rng.choice(t.decisions) if filing.type == "request" else ""
        text = t.reply.format(
            village=filing.village or "该村",
            road=rng.choice(data.ROADS),
            company=rng.choice(data.COMPANIES),
        )
        basis = t.basis or ("《信访工作条例》第三十二条" if filing.type == "request" else "")
        return {"decision": decision, "text": text, "basis": basis, "by": "handler"}

    def handle_to_reply() -> str:
        simple_ok = filing.type != "accusation"
        roll = rng.random()
        simplified = simple_ok and roll < (0.6 if filing.type == "suggestion" else 0.1)
        route()
        accept(simplified)
        owners()
        args = reply_args()
        if simplified:
            add("reply", u(2, 9), **args)
        elif roll > 0.88:
            extension()
            add("reply", u(8, 25), **args)
        else:
            add("reply", u(8, 50), **args)
        return str(args["decision"])

    def rate(decision: str, days: float) -> None:
        rating = rng.choices(_RATINGS, _RATING_WEIGHTS[decision])[0]
        add(
            "rate",
            days,
            staff=False,
            rating=rating,
            by="portal" if rng.random() < 0.5 else "registrar",
        )

    def close(after_window: bool, decision: str) -> None:
        by = "lead" if office == "bureau" and rng.random() < 0.3 else "registrar"
        if after_window:
            # The petitioner's 30 days to ask for the next step, rolled past any holiday,
            # are over.
            add("close", u(40, 55), by=by)
        else:
            rate(decision, u(0.5, 20))
            add("close", u(0.2, 8), by=by)

    def review(decide: bool) -> None:
        add(
            "review_request",
            u(3, 25),
            staff=False,
            reasons=rng.choice(texts.REVIEW_REASONS),
            by="portal" if rng.random() < 0.5 else "registrar",
        )
        if decide:
            outcome = rng.choices(("upheld", "changed", "revoked"), (0.7, 0.2, 0.1))[0]
            add(
                "review_decide",
                u(5, 27),
                by="gov_lead",
                outcome=outcome,
                text=texts.OUTCOME_TEXT[outcome],
            )

    def re_review(decide: bool) -> None:
        add(
            "re_review_request",
            u(3, 25),
            staff=False,
            reasons=rng.choice(texts.RE_REVIEW_REASONS),
            by="portal" if rng.random() < 0.5 else "registrar",
        )
        if decide:
            outcome = rng.choices(("upheld", "changed", "revoked"), (0.8, 0.15, 0.05))[0]
            add(
                "re_review_decide",
                u(5, 27),
                by="city_lead",
                outcome=outcome,
                text=texts.OUTCOME_TEXT[outcome],
            )

    if target == "registered":
        return gaps, u(0.05, 10)
    if target == "registered_overdue":
        return gaps, u(16, 45)
    if target in ("forwarded", "assigned", "forwarded_overdue"):
        route("assign" if target == "assigned" else "forward")
        return gaps, u(16, 40) if target == "forwarded_overdue" else u(0.05, 12)
    if target == "accepted":
        route()
        accept()
        return gaps, u(0.05, 2.5)
    if target in ("not_accepted", "closed_not_accepted", "guided", "closed_guided"):
        guided = "guided" in target
        if office != "bureau" or rng.random() < 0.5:
            route()
            by = "lead"
        else:
            by = "registrar"
        if guided:
            add(
                "guide",
                u(0.3, 8),
                by=by,
                legal_channel=filing.legal,
                reason=texts.GUIDE_REASONS[filing.legal],
            )
        else:
            add("decline", u(0.3, 8), by=by, reason=rng.choice(texts.DECLINE_REASONS))
        if target.startswith("closed"):
            add("close", u(0.5, 15), by="registrar")
        return gaps, u(0, 90)
    if target.startswith("in_handling"):
        route()
        accept(simplified=target == "in_handling_simplified")
        owners()
        if target == "in_handling_extended":
            extension()
            return gaps, u(0, 20)
        if target == "in_handling_simplified":
            return gaps, u(0, 8)
        if target == "in_handling_overdue":
            if rng.random() < 0.3:
                extension(approve=False)
            return gaps, u(62, 130)
        return gaps, u(0, 45)

    decision = handle_to_reply()
    if target == "replied":
        if rng.random() < 0.3:
            rate(decision, u(0.5, 20))
        return gaps, u(0, 25) if rng.random() < 0.85 else u(40, 90)
    if target == "closed":
        close(rng.random() < 0.4, decision)
        return gaps, 0.0
    review(decide=target not in ("review_requested", "review_overdue"))
    if target == "review_requested":
        return gaps, u(0, 25)
    if target == "review_overdue":
        return gaps, u(32, 70)
    if target == "reviewed":
        return gaps, u(0, 25)
    if target == "closed_after_review":
        close(rng.random() < 0.5, decision)
        return gaps, 0.0
    re_review(decide=target != "re_review_requested")
    if target == "re_review_requested":
        return gaps, u(7, 25) if opts.get("hearing") else u(0, 25)
    if target == "re_reviewed":
        if rng.random() < 0.4:
            rate(decision, u(0.5, 10))
        return gaps, u(0, 25)
    if rng.random() < 0.4:
        rate(decision, u(0.5, 10))
    add("close", u(0.5, 10), by="registrar")
    return gaps, 0.0
