"""Extension of the handling period (art. 34): requested by the handler, approved once by the
head of the body, at most 30 days, before the period runs out."""

from __future__ import annotations

from datetime import date

import pytest

from tests.matters.flows import fresh, kinds, on, refused, walk
from xinfang.deadlines.services import matter_clocks
from xinfang.matters import services
from xinfang.matters.errors import Forbidden, InvalidInput, InvalidState
from xinfang.matters.models import Matter

pytestmark = pytest.mark.django_db

LATER = date(2026, 3, 10)


def handling_due(m: Matter) -> str:
    return [c for c in matter_clocks(m) if c.key == "handling"][-1].due_on.isoformat()


def request(w, m: Matter, days: int = 30, actor=None) -> Matter:
    return services.matter_request_extension(
        matter=m, actor=actor or w.handler, days=days, reason="需要调取三年工资台账"
    )


def test_an_approved_extension_lengthens_the_handling_period(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m, days=30)
    event = m.events.last()
    assert (event.kind, event.is_public, event.data) == ("extension_requested", False, {"days": 30})
    assert m.extension_days == 0 and handling_due(m) == "2026-05-06"
    with on(LATER):
        m = services.matter_decide_extension(matter=m, actor=world.unit_lead, approve=True)
    assert m.extension_days == 30
    event = m.events.last()
    assert (event.kind, event.is_public, event.text) == (
        "extension_approved",
        True,
        "经单位负责人批准，办理期限延长30日",
    )
    # 4 March + 60 + 30 days = 2 June.
    assert handling_due(m) == "2026-06-02"
    assert fresh(m).due_date.isoformat() == "2026-06-02"
    assert m.state == "in_handling"


def test_a_refused_extension_changes_no_deadline(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m, days=10)
        m = services.matter_decide_extension(
            matter=m, actor=world.unit_lead, approve=False, note="情况并不复杂"
        )
    assert m.extension_days == 0
    assert (m.events.last().kind, m.events.last().is_public) == ("extension_refused", False)
    assert fresh(m).due_date.isoformat() == "2026-05-06"


def test_refusing_an_extension_needs_reasons(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m)
        with refused(m, InvalidInput, "不予批准的理由"):
            services.matter_decide_extension(matter=m, actor=world.unit_lead, approve=False)


def test_after_a_refusal_the_handler_may_ask_again(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m, days=30)
        m = services.matter_decide_extension(
            matter=m, actor=world.unit_lead, approve=False, note="理由不充分"
        )
        m = request(world, m, days=15)
        m = services.matter_decide_extension(matter=m, actor=world.unit_lead, approve=True)
    assert m.extension_days == 15
    assert handling_due(m) == "2026-05-18"  # 4 March + 75 days


def test_a_second_extension_after_one_was_approved_is_refused(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m, days=10)
        m = services.matter_decide_extension(matter=m, actor=world.unit_lead, approve=True)
        with refused(m, InvalidState, "只能延长一次"):
            request(world, m, days=10)


@pytest.mark.parametrize("days", [31, 60, 0, -5])
def test_an_extension_outside_1_to_30_days_is_refused(world, days):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, InvalidInput, "1至30日") as info:
        request(world, m, days=days)
    assert info.value.field == "days"


@pytest.mark.parametrize("days", ["30", 10.0, True])
def test_an_extension_that_is_not_a_whole_number_of_days_is_refused(world, days):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, InvalidInput, "1至30日"):
        request(world, m, days=days)


def test_an_extension_needs_a_reason(world):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, InvalidInput, "延期理由"):
        services.matter_request_extension(matter=m, actor=world.handler, days=10, reason="")


def test_a_second_request_while_one_is_pending_is_refused(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m, days=10)
        with refused(m, InvalidState, "待审批"):
            request(world, m, days=20, actor=world.unit_lead)


def test_an_extension_asked_on_the_last_day_is_accepted(world):
    m = walk(world, "in_handling")
    with on(date(2026, 5, 6)):
        m = request(world, m)
    assert kinds(m)[-1] == "extension_requested"


def test_an_extension_asked_after_the_handling_deadline_is_refused(world):
    m = walk(world, "in_handling")
    with on(date(2026, 5, 7)), refused(m, InvalidState, "已于2026年05月06日届满"):
        request(world, m)


def test_a_simplified_matter_cannot_be_extended(world):
    m = walk(world, "accepted", simplified=True)
    with on(LATER), refused(m, InvalidState, "简易办理"):
        request(world, m, actor=world.unit_lead)


def test_a_replied_matter_cannot_be_extended(world):
    m = walk(world, "replied")
    with on(date(2026, 3, 17)), refused(m, InvalidState, "申请延期"):
        request(world, m)


@pytest.mark.parametrize("who", ["handler", "leader", "handler2", "county_leader"])
def test_only_the_head_of_the_body_approves_an_extension(world, who):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m)
        with refused(m, Forbidden, "审批延期"):
            services.matter_decide_extension(matter=m, actor=getattr(world, who), approve=True)


def test_a_handler_not_on_the_matter_cannot_ask_for_an_extension(world):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, Forbidden, "承办人或单位负责人"):
        request(world, m, actor=world.handler2)


def test_deciding_without_a_pending_request_is_refused(world):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, InvalidState, "没有待审批"):
        services.matter_decide_extension(matter=m, actor=world.unit_lead, approve=True)


def test_a_decided_request_cannot_be_decided_again(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = request(world, m, days=10)
        m = services.matter_decide_extension(
            matter=m, actor=world.unit_lead, approve=False, note="不必"
        )
        with refused(m, InvalidState, "没有待审批"):
            services.matter_decide_extension(matter=m, actor=world.unit_lead, approve=True)
