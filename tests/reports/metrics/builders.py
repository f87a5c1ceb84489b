"""Matters walked through the real services on given days, for the metrics tests.

Every matter is registered at the county petition bureau (清河县信访局) and, when a forwarding day
is given, forwarded to 县人社局 (the department), which accepts, handles and replies.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from tests.conftest import at, register
from xinfang.matters import services
from xinfang.matters.models import Decision, Matter

# "Today" for every computation in these tests: the figures are as of this day.
TODAY = date(2026, 11, 20)


def noon(day: date) -> Any:
    return at(day.year, day.month, day.day)


def routed(
    w: SimpleNamespace, received: date, forwarded: date | None = None, **kwargs: Any
) -> Matter:
    m = register(w, received_at=noon(received), **kwargs)
    if forwarded is not None:
        m = services.matter_forward(matter=m, actor=w.registrar, to_unit=w.dept, at=noon(forwarded))
    return m


def accepted(
    w: SimpleNamespace,
    accepted_on: date,
    *,
    received: date | None = None,
    forwarded: date | None = None,
    simplified: bool = False,
) -> Matter:
    """Received and forwarded the day before acceptance unless told otherwise."""
    forwarded = forwarded or date.fromordinal(accepted_on.toordinal() - 1)
    received = received or date.fromordinal(forwarded.toordinal() - 1)
    m = routed(w, received, forwarded)
    m = services.matter_accept(
        matter=m, actor=w.unit_lead, simplified=simplified, at=noon(accepted_on)
    )
    return services.matter_assign_owners(
        matter=m, actor=w.unit_lead, leader=w.leader, handler=w.handler, at=noon(accepted_on)
    )


def reply(w: SimpleNamespace, m: Matter, on: date) -> Matter:
    return services.matter_reply(
        matter=m,
        actor=w.handler,
        text="经调查，已督促支付。",
        decision=Decision.SUPPORT,
        basis="《劳动合同法》第三十条",
        at=noon(on),
    )


def replied(w: SimpleNamespace, on: date, *, accepted_on: date | None = None) -> Matter:
    """Accepted ten days before the reply unless told otherwise."""
    m = accepted(w, accepted_on or date.fromordinal(on.toordinal() - 10))
    return reply(w, m, on)


def rate(m: Matter, rating: str, on: date) -> None:
    services.matter_rate(matter=m, actor=None, rating=rating, at=noon(on))
