"""Replay demo plans through the lifecycle services: every row is written by a service, with the
step's `at=` time, never directly."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from xinfang.demo import data
from xinfang.demo.org import Org
from xinfang.demo.petitions import Filing
from xinfang.demo.plans import MatterPlan, Planner, Step
from xinfang.matters import services
from xinfang.matters.errors import DomainError
from xinfang.matters.models import Channel, Matter
from xinfang.matters.services.registration import register_at_office

DEFAULT_SEED = 20260301


class SeedError(RuntimeError):
    """A service refused a planned step: a bug in the plan (or in a service), never ignored."""


def petitioner_inputs(filing: Filing) -> list[services.PetitionerInput]:
    return [
        services.PetitionerInput(
            name=p.name, phone=p.phone, id_number=p.id_number, address=p.address
        )
        for p in filing.petitioners
    ]


def registration_kwargs(
    org: Org, filing: Filing, *, office: str, received_at: datetime
) -> dict[str, Any]:
    """The arguments of services.matter_register for one filled-in petition, registered at the
    bureau ("bureau") or directly at 永安镇 ("ya")."""
    accused = [
        org.villages[key.removeprefix("village:")] if key.startswith("village:") else org.units[key]
        for key in filing.accused
    ]
    return {
        "actor": org.user("registrar" if office == "bureau" else "town_registrar"),
        "office": org.units[office],
        "channel": filing.channel,
        "received_at": received_at,
        "title": filing.title,
        "content": filing.content,
        "type": filing.type,
        "petitioners": petitioner_inputs(filing),
        "category": org.categories[filing.category],
        "region": org.regions[filing.village or filing.township or data.COUNTY[1]],
        "is_collective": filing.is_collective,
        "head_count": filing.head_count,
        "source_reference": filing.source_reference,
        "accused_units": accused,
    }


def register_filing(org: Org, filing: Filing, *, office: str, received_at: datetime) -> Matter:
    kwargs = registration_kwargs(org, filing, office=office, received_at=received_at)
    if filing.channel == Channel.ONLINE and office == "bureau":
        # Submitted on the public portal: no registrar, no category until one checks it.
        del kwargs["actor"], kwargs["category"]
        unit = kwargs.pop("office")
        return register_at_office(
            office=unit, actor=None, record_text=f"信访人网上提交，{unit.name}收到", **kwargs
        )
    return services.matter_register(**kwargs)


class Seeder:
    def __init__(self, org: Org) -> None:
        self.org = org
        self.slug_of = {unit.pk: slug for slug, unit in org.units.items()}
        # The same user objects throughout: each caches its memberships and scope.
        self.user_by_pk = {user.pk: user for user in org.users.values()}
        self.done: dict[int, Matter] = {}

    def run(self, plan: MatterPlan) -> Matter:
        matter = register_filing(
            self.org, plan.filing, office=plan.office, received_at=plan.received_at
        )
        if matter.category_id is None and plan.steps:
            # A registrar checks an online submission before routing it.
            matter = services.matter_classify(
                matter=matter,
                actor=self.org.user("registrar"),
                category=self.org.categories[plan.filing.category],
                at=plan.steps[0].at,
            )
        for step in plan.steps:
            try:
                matter = self._apply(plan, matter, step)
            except DomainError as exc:
                raise SeedError(
                    f"demo matter #{plan.key} ({plan.target}, {matter.number}): step "
                    f"{step.action} at {step.at} refused: {exc.message}"
                ) from exc
        self.done[plan.key] = matter
        return matter

    def _actor(self, plan: MatterPlan, matter: Matter, by: str) -> Any:
        if by == "portal":
            return None  # the petitioner on the public side
        if by == "registrar":
            return self.org.user("registrar" if plan.office == "bureau" else "town_registrar")
        if by == "lead":
            return self.org.user(self.org.staff[self.slug_of[matter.lead_unit_id]].lead)
        if by == "handler":
            return self.user_by_pk[matter.handler_id]
        return self.org.user(by)  # director, gov_lead, city_lead

    def _apply(self, plan: MatterPlan, matter: Matter, step: Step) -> Matter:
        args = dict(step.args)
        actor = self._actor(plan, matter, args.pop("by"))
        at = step.at
        units = self.org.units
        s = services
        calls: dict[str, Callable[[], Any]] = {
            "forward": lambda: s.matter_forward(
                matter=matter, actor=actor, to_unit=units[args["to"]], at=at
            ),
            "assign": lambda: s.matter_assign(
                matter=matter, actor=actor, to_unit=units[args["to"]], at=at
            ),
            "object": lambda: s.matter_object(
                matter=matter, actor=actor, reason=args["reason"], at=at
            ),
            "accept": lambda: s.matter_accept(
                matter=matter, actor=actor, simplified=args["simplified"], at=at
            ),
            "decline": lambda: s.matter_decline(
                matter=matter, actor=actor, reason=args["reason"], at=at
            ),
            "guide": lambda: s.matter_guide(
                matter=matter,
                actor=actor,
                legal_channel=args["legal_channel"],
                reason=args["reason"],
                at=at,
            ),
            "owners": lambda: self._owners(plan, matter, actor, at),
            "co_units": lambda: s.matter_add_co_units(
                matter=matter, actor=actor, units=[units[u] for u in args["units"]], at=at
            ),
            "extension_request": lambda: s.matter_request_extension(
                matter=matter, actor=actor, days=args["days"], reason=args["reason"], at=at
            ),
            "extension_decide": lambda: s.matter_decide_extension(
                matter=matter, actor=actor, approve=args["approve"], note=args["note"], at=at
            ),
            "reply": lambda: s.matter_reply(
                matter=matter,
                actor=actor,
                text=args["text"],
                decision=args["decision"],
                basis=args["basis"],
                at=at,
            ),
            "rate": lambda: s.matter_rate(matter=matter, actor=actor, rating=args["rating"], at=at),
            "review_request": lambda: s.matter_request_review(
                matter=matter, actor=actor, reasons=args["reasons"], at=at
            ),
            "review_decide": lambda: s.matter_decide_review(
                matter=matter, actor=actor, outcome=args["outcome"], text=args["text"], at=at
            ),
            "re_review_request": lambda: s.matter_request_re_review(
                matter=matter, actor=actor, reasons=args["reasons"], at=at
            ),
            "re_review_decide": lambda: s.matter_decide_re_review(
                matter=matter, actor=actor, outcome=args["outcome"], text=args["text"], at=at
            ),
            "hearing": lambda: s.matter_record_hearing(
                matter=matter, actor=actor, start=args["start"], end=args["end"], note=args["note"]
            ),
            "link": lambda: s.matter_link_repeat(
                matter=matter, actor=actor, original=self._original(plan), at=at
            ),
            "close": lambda: s.matter_close(matter=matter, actor=actor, at=at),
        }
        result = calls[step.action]()
        if step.action == "rate":  # matter_rate returns the evaluation
            return Matter.objects.get(pk=matter.pk)
        return result

    def _owners(self, plan: MatterPlan, matter: Matter, actor: Any, at: datetime | None) -> Matter:
        crew = self.org.staff[self.slug_of[matter.lead_unit_id]]
        leader = crew.leader or self.org.county_leaders[plan.key % len(self.org.county_leaders)]
        return services.matter_assign_owners(
            matter=matter,
            actor=actor,
            leader=self.org.user(leader),
            handler=self.org.user(crew.handler),
            at=at,
        )

    def _original(self, plan: MatterPlan) -> Matter:
        assert plan.repeat_of is not None
        return Matter.objects.get(pk=self.done[plan.repeat_of].pk)


def seed_matters(
    org: Org,
    *,
    count: int,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Matter]:
    """Plan `count` matters over the past year and replay them, oldest first, through the
    services. The caller holds the transaction."""
    moment = timezone.localtime(now)
    plans = Planner(random.Random(seed), moment).plan(count)
    seeder = Seeder(org)
    matters = []
    for index, plan in enumerate(plans, start=1):
        matters.append(seeder.run(plan))
        if progress is not None:
            progress(index, len(plans))
    return matters
