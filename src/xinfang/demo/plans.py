"""What each demo matter is, and when each step of its life happened. No Django here.

A plan picks the state a matter should be in today (its target), writes the steps that lead
there with realistic gaps between them, and places the whole timeline in the past year so that
today falls where the target says: a matter waiting for acceptance was forwarded a few days ago,
an overdue one was accepted more than 60 days ago, a closed one may be from any month. The seeder
then replays the steps through the services, each with its `at=` time, in order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from xinfang.demo import texts
from xinfang.demo.paths import NO_SEND_BODIES, Gap, build_path
from xinfang.demo.petitions import Filing, compose

# The first matters cover every state and the notable variants, so even a small demo shows them;
# the rest are drawn by weight.
SHOWCASE: tuple[tuple[str, dict[str, Any]], ...] = (
    ("registered", {}),
    ("forwarded", {}),
    ("assigned", {}),
    ("accepted", {"kind": "accusation"}),
    ("not_accepted", {}),
    ("guided", {}),
    ("in_handling", {"collective": True}),
    ("in_handling_extended", {}),
    ("replied", {}),
    ("review_requested", {}),
    ("reviewed", {}),
    ("re_review_requested", {"hearing": True}),
    ("re_reviewed", {}),
    ("linked", {}),
    ("closed", {"kind": "accusation"}),
    ("in_handling_overdue", {}),
    ("registered_overdue", {}),
    ("closed_after_re_review", {}),
    ("in_handling_simplified", {}),
    ("forwarded_overdue", {}),
    ("review_overdue", {}),
    ("closed_after_review", {}),
    ("in_handling", {"office": "ya"}),
    ("closed", {"collective": True}),
    ("closed", {"objection": True}),
)

TARGET_WEIGHTS: dict[str, float] = {
    "registered": 3,
    "registered_overdue": 1,
    "forwarded": 3,
    "assigned": 1.5,
    "forwarded_overdue": 1,
    "accepted": 2,
    "not_accepted": 2.5,
    "closed_not_accepted": 2,
    "guided": 2,
    "closed_guided": 1,
    "in_handling": 12,
    "in_handling_simplified": 3,
    "in_handling_extended": 3,
    "in_handling_overdue": 3,
    "replied": 9,
    "review_requested": 2,
    "review_overdue": 0.7,
    "reviewed": 2,
    "closed_after_review": 3,
    "re_review_requested": 1.3,
    "re_reviewed": 1.3,
    "closed_after_re_review": 2,
    "linked": 3,
    "closed": 38,
}

# The state each target leaves the matter in.
FINAL_STATE: dict[str, str] = {
    "registered": "registered",
    "registered_overdue": "registered",
    "forwarded": "forwarded",
    "forwarded_overdue": "forwarded",
    "assigned": "assigned",
    "accepted": "accepted",
    "not_accepted": "not_accepted",
    "closed_not_accepted": "closed",
    "guided": "guided",
    "closed_guided": "closed",
    "in_handling": "in_handling",
    "in_handling_simplified": "in_handling",
    "in_handling_extended": "in_handling",
    "in_handling_overdue": "in_handling",
    "replied": "replied",
    "review_requested": "review_requested",
    "review_overdue": "review_requested",
    "reviewed": "reviewed",
    "closed_after_review": "closed",
    "re_review_requested": "re_review_requested",
    "re_reviewed": "re_reviewed",
    "closed_after_re_review": "closed",
    "linked": "linked",
    "closed": "closed",
}

# Targets whose matter is "accepted and within its time limit" (art. 19): a repeat may join it.
_JOINABLE = {
    "accepted",
    "in_handling",
    "in_handling_simplified",
    "in_handling_extended",
    "in_handling_overdue",
    "review_requested",
    "review_overdue",
    "re_review_requested",
}
_REVIEW_TARGETS = {
    "review_requested",
    "review_overdue",
    "reviewed",
    "closed_after_review",
    "re_review_requested",
    "re_reviewed",
    "closed_after_re_review",
}
_BEFORE_ROUTING = {"registered", "registered_overdue"}
_SENT_ONLY = {"forwarded", "forwarded_overdue", "assigned"}
_TERMINAL = {
    "closed",
    "closed_after_review",
    "closed_after_re_review",
    "closed_not_accepted",
    "closed_guided",
    "not_accepted",
    "guided",
}


@dataclass
class Step:
    action: str
    at: datetime | None  # None: now (a hearing can only be recorded after it happened)
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class MatterPlan:
    key: int
    target: str
    office: str  # "bureau" (the petition bureau) or "ya" (永安镇政府, registered directly)
    filing: Filing
    received_at: datetime
    steps: list[Step]
    repeat_of: int | None = None

    @property
    def state(self) -> str:
        return FINAL_STATE[self.target]

    @property
    def last_at(self) -> datetime:
        times = [s.at for s in self.steps if s.at is not None]
        return times[-1] if times else self.received_at


class Planner:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.today: date = now.date()

    # --- the whole set ---------------------------------------------------------------------
    def plan(self, n: int) -> list[MatterPlan]:
        targets = list(SHOWCASE[:n])
        names, weights = zip(*TARGET_WEIGHTS.items(), strict=True)
        targets += [(t, {}) for t in self.rng.choices(names, weights, k=n - len(targets))]
        plans: list[MatterPlan] = []
        repeats: list[tuple[int, dict[str, Any]]] = []
        for key, (target, opts) in enumerate(targets):
            if target == "linked":
                repeats.append((key, opts))
            else:
                plans.append(self.plan_one(key, target, opts))
        used: set[int] = set()
        for key, _opts in repeats:
            plans.append(self._plan_repeat(key, plans, used))
        plans.sort(key=lambda p: (p.received_at, p.key))
        return plans

    # --- one matter ------------------------------------------------------------------------
    def plan_one(self, key: int, target: str, opts: dict[str, Any] | None = None) -> MatterPlan:
        opts = opts or {}
        template_index = self._pick_template(target, opts)
        template = texts.TEMPLATES[template_index]
        office = "bureau"
        if opts.get("office") == "ya" or (
            template.unit == "township"
            and "永安镇" in template.townships
            and target not in _SENT_ONLY
            and not opts.get("objection")
            and self.rng.random() < 0.4
        ):
            office = "ya"
        filing = compose(
            self.rng,
            template_index,
            today=self.today,
            office=office,
            collective=bool(opts.get("collective")),
        )
        gaps, wait = build_path(self.rng, target, filing, office, opts)
        received, steps = self._place(gaps, wait, filing.channel, terminal=target in _TERMINAL)
        if opts.get("hearing"):
            self._add_hearing(steps)
        return MatterPlan(key, target, office, filing, received, steps)

    def _pick_template(self, target: str, opts: dict[str, Any]) -> int:
        def fits(t: texts.Template) -> bool:
            if opts.get("kind") == "accusation" and t.type != "accusation":
                return False
            if opts.get("collective") and not t.collective:
                return False
            if opts.get("office") == "ya" and not (
                t.unit == "township" and "永安镇" in t.townships
            ):
                return False
            if opts.get("objection") and (t.unit in NO_SEND_BODIES or t.legal):
                return False
            if target in ("guided", "closed_guided"):
                return bool(t.legal)
            if t.legal and target not in _BEFORE_ROUTING | _SENT_ONLY | {"not_accepted"}:
                return False
            if target == "assigned" and t.unit in NO_SEND_BODIES:
                return False
            if target in _REVIEW_TARGETS:
                return t.type == "request" and t.unit not in NO_SEND_BODIES
            if target == "in_handling_simplified":
                return t.type != "accusation"
            return True

        candidates = [i for i, t in enumerate(texts.TEMPLATES) if fits(t)]
        return self.rng.choice(candidates)

    # --- placing the timeline in the past year ---------------------------------------------
    def _place(
        self, gaps: list[Gap], wait: float, channel: str, *, terminal: bool
    ) -> tuple[datetime, list[Step]]:
        rng = self.rng
        total = sum(g.days for g in gaps)
        if terminal:
            wait = rng.uniform(0, max(0.5, 362 - total))
        received = self._receipt_time(self.now - timedelta(days=total + wait), channel)
        times: list[datetime] = []
        current = received
        for gap in gaps:
            moment = current + timedelta(days=gap.days)
            if gap.staff:
                moment = self._office_time(moment)
            if moment <= current:
                moment = current + timedelta(minutes=rng.uniform(5, 90))
            times.append(moment)
            current = moment
        # Office hours and weekends may have pushed the last step past now: move it all back.
        latest = self.now - timedelta(minutes=3)
        if current > latest:
            shift = current - latest + timedelta(minutes=rng.uniform(0, 120))
            received -= shift
            times = [t - shift for t in times]
        steps = [Step(g.action, t, g.args) for g, t in zip(gaps, times, strict=True)]
        return received, steps

    def _receipt_time(self, moment: datetime, channel: str) -> datetime:
        if channel in ("online", "phone"):
            if not 7 <= moment.hour < 23:
                moment = moment.replace(hour=self.rng.randint(8, 21))
            return moment
        return self._office_time(moment)

    def _office_time(self, moment: datetime) -> datetime:
        if not 9 <= moment.hour < 17:
            moment = moment.replace(hour=self.rng.randint(9, 16), minute=self.rng.randint(0, 59))
        while moment.weekday() >= 5:
            moment += timedelta(days=1)
        return moment

    def _add_hearing(self, steps: list[Step]) -> None:
        requested = steps[-1]
        assert requested.action == "re_review_request" and requested.at is not None
        start = requested.at.date() + timedelta(days=self.rng.randint(1, 3))
        end = start + timedelta(days=self.rng.randint(0, 1))
        if end < self.today:
            steps.append(
                Step(
                    "hearing",
                    None,
                    {"start": start, "end": end, "by": "city_lead", "note": "复核听证会"},
                )
            )

    # --- repeats -----------------------------------------------------------------------------
    def _plan_repeat(self, key: int, plans: list[MatterPlan], used: set[int]) -> MatterPlan:
        """A matter raised again while the first is still being handled: linked to it."""
        rng = self.rng
        day = timedelta(days=1)
        candidates = [
            p
            for p in plans
            if p.target in _JOINABLE
            and p.key not in used
            and not any(s.action == "hearing" for s in p.steps)
            and self.now - p.last_at > day
        ]
        if not candidates:
            return self.plan_one(key, "registered")
        original = rng.choice(candidates)
        used.add(original.key)
        latest = self.now - timedelta(minutes=3)
        room = (latest - original.last_at) / day
        channel = "phone" if rng.random() < 0.5 else "online"
        received = self._receipt_time(
            original.last_at + timedelta(days=rng.uniform(0.1, min(20.0, room * 0.7))), channel
        )
        # Raised again after the original's last step, and registered before now.
        if not original.last_at < received < latest:
            received = original.last_at + (latest - original.last_at) / 3
        link_at = self._office_time(received + timedelta(days=rng.uniform(0.05, 2)))
        if not received < link_at <= latest:
            link_at = received + (latest - received) / 2
        steps = [Step("link", link_at, {"by": "registrar"})]
        if rng.random() < 0.3 and latest - link_at > day:
            close_at = link_at + (latest - link_at) * rng.uniform(0.1, 0.9)
            steps.append(Step("close", close_at, {"by": "registrar"}))
        f = original.filing
        filing = replace(
            f,
            title=f"再次反映：{f.title}"[:200],
            content="信访人再次反映：" + f.content,
            channel=channel,
            source_reference="",
        )
        return MatterPlan(key, "linked", "bureau", filing, received, steps, repeat_of=original.key)
