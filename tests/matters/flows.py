"""Helpers for the service tests: frozen days, a matter walked to a given state, and `refused`,
which checks that a refused call raised the right error and changed nothing.

The default timeline (2026, no holidays in between) is the same in every test that uses `walk`,
so dates in assertions can be read off the table below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from tests.conftest import at, register
from xinfang.audit.models import AccessLog
from xinfang.matters import services
from xinfang.matters.errors import DomainError
from xinfang.matters.models import (
    Attachment,
    CoHandling,
    Decision,
    Evaluation,
    Event,
    Interest,
    Matter,
    ReviewOutcome,
)

# The default timeline of `walk` (all working days of 2026).
REGISTERED_ON = date(2026, 3, 2)  # Monday
FORWARDED_ON = date(2026, 3, 3)
ACCEPTED_ON = date(2026, 3, 4)
OWNERS_ON = date(2026, 3, 5)
REPLIED_ON = date(2026, 3, 16)
REVIEW_REQUESTED_ON = date(2026, 3, 20)
REVIEWED_ON = date(2026, 3, 25)
RE_REVIEW_REQUESTED_ON = date(2026, 3, 30)
RE_REVIEWED_ON = date(2026, 4, 3)

STEPS = (
    "registered",
    "forwarded",
    "accepted",
    "in_handling",
    "replied",
    "review_requested",
    "reviewed",
    "re_review_requested",
    "re_reviewed",
)

_HAN = re.compile(r"[\u4e00-\u9fff]")


@contextmanager
def on(day: date, hour: int = 12) -> Iterator[None]:
    """Freeze the clock at `hour` o'clock local time on `day`."""
    with time_machine.travel(at(day.year, day.month, day.day, hour), tick=False):
        yield


def walk(
    w: SimpleNamespace,
    until: str,
    *,
    to_unit: Any = None,
    simplified: bool = False,
    **register_kwargs: Any,
) -> Matter:
    """Register a matter at the county petition bureau and take it, on the default timeline,
    through the lifecycle up to and including the step `until`."""
    if until not in STEPS:
        raise ValueError(f"unknown step {until!r}")
    last = STEPS.index(until)

    def reached(step: str) -> bool:
        return STEPS.index(step) <= last

    with on(REGISTERED_ON):
        m = register(w, **register_kwargs)
    if reached("forwarded"):
        with on(FORWARDED_ON):
            m = services.matter_forward(matter=m, actor=w.registrar, to_unit=to_unit or w.dept)
    if reached("accepted"):
        with on(ACCEPTED_ON):
            m = services.matter_accept(matter=m, actor=w.unit_lead, simplified=simplified)
    if reached("in_handling"):
        with on(OWNERS_ON):
            m = services.matter_assign_owners(
                matter=m, actor=w.unit_lead, leader=w.leader, handler=w.handler
            )
    if reached("replied"):
        with on(REPLIED_ON):
            m = reply(w, m)
    if reached("review_requested"):
        with on(REVIEW_REQUESTED_ON):
            m = services.matter_request_review(matter=m, actor=w.registrar, reasons="仍未解决")
    if reached("reviewed"):
        with on(REVIEWED_ON):
            m = services.matter_decide_review(
                matter=m, actor=w.gov_lead, outcome=ReviewOutcome.UPHELD, text="维持原处理意见"
            )
    if reached("re_review_requested"):
        with on(RE_REVIEW_REQUESTED_ON):
            m = services.matter_request_re_review(matter=m, actor=w.registrar, reasons="不服复查")
    if reached("re_reviewed"):
        with on(RE_REVIEWED_ON):
            m = services.matter_decide_re_review(
                matter=m, actor=w.city_lead, outcome=ReviewOutcome.UPHELD, text="维持"
            )
    return m


def reply(w: SimpleNamespace, m: Matter, actor: Any = None) -> Matter:
    """The handler's written reply with the decision and basis a 申诉求决 matter needs."""
    return services.matter_reply(
        matter=m,
        actor=actor or w.handler,
        text="经调查，已督促支付。",
        decision=Decision.SUPPORT,
        basis="《劳动合同法》第三十条",
    )


def fresh(m: Matter) -> Matter:
    return Matter.objects.get(pk=m.pk)


def kinds(m: Matter) -> list[str]:
    return list(Event.objects.filter(matter_id=m.pk).order_by("seq").values_list("kind", flat=True))


def snapshot(m: Matter) -> dict[str, Any]:
    """Everything a service could change about a matter, read back from the database."""
    row = Matter.objects.filter(pk=m.pk).values().get()
    row["_events"] = list(
        Event.objects.filter(matter_id=m.pk).order_by("seq").values_list("seq", "kind", "hash")
    )
    row["_co_units"] = sorted(
        CoHandling.objects.filter(matter_id=m.pk).values_list("unit_id", flat=True)
    )
    row["_accused"] = sorted(m.accused_units.values_list("id", flat=True))
    row["_interests"] = sorted(
        Interest.objects.filter(matter_id=m.pk).values_list("user_id", flat=True)
    )
    row["_evaluation"] = list(Evaluation.objects.filter(matter_id=m.pk).values_list("rating"))
    row["_attachments"] = Attachment.objects.filter(matter_id=m.pk).count()
    row["_access_log"] = AccessLog.objects.filter(matter_id=m.pk).count()
    return row


@contextmanager
def refused(
    m: Matter, error: type[DomainError], match: str | None = None, *, others: Sequence[Matter] = ()
) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """Expect exactly `error` (not a sibling class) with a Chinese message matching `match`,
    and no change at all to `m` (or to `others`) in the database."""
    watched = [m, *others]
    before = [snapshot(x) for x in watched]
    with pytest.raises(DomainError) as info:
        yield info
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value.message}"
    assert _HAN.search(info.value.message), info.value.message
    if match is not None:
        assert re.search(match, info.value.message), info.value.message
    assert [snapshot(x) for x in watched] == before
