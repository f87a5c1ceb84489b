"""Handling services: owning leader and handler, co-handling units, recusal, the reply."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import person
from tests.matters.flows import fresh, kinds, on, refused, reply, walk
from xinfang.deadlines.services import matter_clocks
from xinfang.matters import services
from xinfang.matters.errors import Forbidden, InvalidInput, InvalidState
from xinfang.matters.models import Decision, Interest, MatterType, State
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

LATER = date(2026, 3, 10)


# --- owners (领导包案) ------------------------------------------------------------------------


def test_the_unit_lead_names_the_owning_leader_and_the_handler(world):
    m = walk(world, "in_handling")
    assert (m.state, m.leader, m.handler) == (State.IN_HANDLING, world.leader, world.handler)
    event = m.events.last()
    assert (event.kind, event.text) == ("owners_assigned", "包案领导：分管领导；承办人：承办人")
    assert event.data == {"leader": world.leader.pk, "handler": world.handler.pk}
    # Owners do not move the handling clock.
    assert fresh(m).due_date.isoformat() == "2026-05-06"


def test_the_owning_leader_may_come_from_a_unit_above(world):
    m = walk(world, "accepted")
    with on(LATER):
        m = services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.county_leader, handler=world.handler
        )
    assert m.leader == world.county_leader


def test_owners_can_be_changed_while_in_handling(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.leader, handler=world.handler2
        )
    assert m.handler == world.handler2
    assert kinds(m).count("owners_assigned") == 2


def test_a_leader_from_an_unrelated_unit_is_refused(world):
    other_leader = person("other_leader", world.other, Role.LEADER)
    m = walk(world, "accepted")
    with on(LATER), refused(m, InvalidInput, "不是县人社局或其上级单位的领导") as info:
        services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=other_leader, handler=world.handler
        )
    assert info.value.field == "leader"


def test_a_person_who_is_not_a_leader_cannot_own_the_matter(world):
    m = walk(world, "accepted")
    with on(LATER), refused(m, InvalidInput, "领导"):
        services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.handler2, handler=world.handler
        )


@pytest.mark.parametrize("who", ["outsider", "leader", "unit_lead"])
def test_the_handler_must_be_a_handler_of_the_responsible_unit(world, who):
    m = walk(world, "accepted")
    with on(LATER), refused(m, InvalidInput, "不是县人社局的承办人员") as info:
        services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.leader, handler=getattr(world, who)
        )
    assert info.value.field == "handler"


@pytest.mark.parametrize("who", ["handler", "leader", "dept_registrar"])
def test_only_the_unit_lead_assigns_owners(world, who):
    m = walk(world, "accepted")
    with on(LATER), refused(m, Forbidden, "指定包案领导和承办人"):
        services.matter_assign_owners(
            matter=m, actor=getattr(world, who), leader=world.leader, handler=world.handler
        )


def test_owners_cannot_be_assigned_before_acceptance(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, InvalidState, "指定包案领导和承办人"):
        services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.leader, handler=world.handler
        )


# --- co-handling (联合办案) --------------------------------------------------------------------


def test_co_handling_units_are_added_once_each(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = services.matter_add_co_units(
            matter=m, actor=world.unit_lead, units=[world.other, world.town]
        )
    assert set(m.co_units.all()) == {world.other, world.town}
    assert m.events.last().text == "协办单位：县住建局、永安镇政府"
    # Adding the same units again, or the responsible unit itself, adds nothing.
    with on(LATER), refused(m, InvalidInput, "尚未参与办理"):
        services.matter_add_co_units(
            matter=m, actor=world.unit_lead, units=[world.other, world.dept]
        )
    with on(LATER):
        m = services.matter_add_co_units(
            matter=m, actor=world.unit_lead, units=[world.other, world.gov]
        )
    assert set(m.co_units.all()) == {world.other, world.town, world.gov}
    assert m.events.last().data == {"units": [world.gov.pk]}


def test_a_co_handling_unit_sees_the_matter(world):
    from xinfang.matters.selectors import visible_matters

    m = walk(world, "in_handling")
    assert m not in visible_matters(world.outsider)
    with on(LATER):
        services.matter_add_co_units(matter=m, actor=world.unit_lead, units=[world.other])
    assert list(visible_matters(world.outsider)) == [m]


def test_an_accused_unit_cannot_co_handle(world):
    m = walk(world, "in_handling", type=MatterType.ACCUSATION, accused_units=[world.town])
    with on(LATER), refused(m, InvalidInput, "被检举控告的单位"):
        services.matter_add_co_units(
            matter=m, actor=world.unit_lead, units=[world.other, world.town]
        )


def test_a_handler_cannot_add_co_handling_units(world):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, Forbidden, "协办单位"):
        services.matter_add_co_units(matter=m, actor=world.handler, units=[world.other])


# --- recusal (art. 28 ¶3) -------------------------------------------------------------------


def test_a_person_who_declared_an_interest_cannot_be_assigned(world):
    m = walk(world, "accepted")
    with on(LATER):
        m = services.matter_declare_interest(
            matter=m, actor=world.handler, reason="信访人是我的亲属"
        )
    interest = Interest.objects.get(matter=m)
    assert (interest.user, interest.reason) == (world.handler, "信访人是我的亲属")
    event = m.events.last()
    assert (event.kind, event.is_public, event.text) == (
        "interest_declared",
        False,
        "申报利害关系并回避",
    )
    assert event.actor_unit == world.dept
    with on(LATER), refused(m, InvalidInput, "回避") as info:
        services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.leader, handler=world.handler
        )
    assert info.value.field == "handler"
    with on(LATER):
        m = services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.leader, handler=world.handler2
        )
    assert m.handler == world.handler2


def test_a_leader_who_declared_an_interest_cannot_own_the_matter(world):
    m = walk(world, "accepted")
    with on(LATER):
        m = services.matter_declare_interest(matter=m, actor=world.leader, reason="利害关系")
        with refused(m, InvalidInput, "回避") as info:
            services.matter_assign_owners(
                matter=m, actor=world.unit_lead, leader=world.leader, handler=world.handler
            )
    assert info.value.field == "leader"


def test_declaring_an_interest_while_assigned_takes_the_person_off_the_matter(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = services.matter_declare_interest(matter=m, actor=world.handler, reason="亲属")
    assert (m.handler, m.leader, m.state) == (None, world.leader, State.ACCEPTED)
    assert m.events.last().text == "申报利害关系并回避，已解除其包案/承办"
    # The handling clock runs on: recusal does not buy time.
    assert fresh(m).due_date.isoformat() == "2026-05-06"


def test_the_owning_leader_declaring_an_interest_is_taken_off_too(world):
    m = walk(world, "accepted")
    with on(LATER):
        m = services.matter_assign_owners(
            matter=m, actor=world.unit_lead, leader=world.county_leader, handler=world.handler
        )
        m = services.matter_declare_interest(matter=m, actor=world.county_leader, reason="亲属")
    assert (m.leader, m.handler, m.state) == (None, world.handler, State.ACCEPTED)
    # Booked to the leader's own unit, the county government.
    assert m.events.last().actor_unit == world.gov


def test_an_interest_is_declared_once(world):
    m = walk(world, "accepted")
    with on(LATER):
        m = services.matter_declare_interest(matter=m, actor=world.handler, reason="亲属")
        with refused(m, InvalidState, "已申报过"):
            services.matter_declare_interest(matter=m, actor=world.handler, reason="再次")


def test_an_interest_needs_an_explanation(world):
    m = walk(world, "accepted")
    with on(LATER), refused(m, InvalidInput, "利害关系的说明"):
        services.matter_declare_interest(matter=m, actor=world.handler, reason=" ")


# --- reply ----------------------------------------------------------------------------------


def test_the_handler_replies_and_the_review_window_opens(world):
    m = walk(world, "in_handling")
    with on(date(2026, 3, 16)):
        m = reply(world, m)
    assert (m.state, m.decision) == (State.REPLIED, Decision.SUPPORT)
    event = m.events.last()
    assert (event.kind, event.is_public) == ("replied", True)
    assert event.data == {"decision": "support", "basis": "《劳动合同法》第三十条"}
    clocks = {c.key: c for c in matter_clocks(m)}
    assert clocks["handling"].stopped_on == date(2026, 3, 16)
    assert not clocks["handling"].late
    assert clocks["review_request"].running
    # The review window is the petitioner's, not a debt of the office.
    assert fresh(m).due_date is None


def test_the_unit_lead_may_reply_without_owners_assigned(world):
    m = walk(world, "accepted")
    with on(LATER):
        m = reply(world, m, actor=world.unit_lead)
    assert m.state == State.REPLIED


@pytest.mark.parametrize(
    ("decision", "basis", "message", "field"),
    [
        ("", "《劳动合同法》", "请选择处理意见", "decision"),
        ("maybe", "《劳动合同法》", "请选择处理意见", "decision"),
        (Decision.REJECT, "", "处理依据", "basis"),
        (Decision.REJECT, "   ", "处理依据", "basis"),
    ],
)
def test_a_reply_to_a_request_needs_a_decision_and_its_basis(
    world, decision, basis, message, field
):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, InvalidInput, message) as info:
        services.matter_reply(
            matter=m, actor=world.handler, text="答复", decision=decision, basis=basis
        )
    assert info.value.field == field


def test_a_reply_to_a_suggestion_needs_no_decision(world):
    m = walk(world, "in_handling", type=MatterType.SUGGESTION)
    with on(LATER):
        m = services.matter_reply(matter=m, actor=world.handler, text="感谢您的建议，已采纳。")
    assert (m.state, m.decision) == (State.REPLIED, "")


def test_a_reply_to_a_suggestion_with_an_unknown_decision_is_refused(world):
    m = walk(world, "in_handling", type=MatterType.SUGGESTION)
    with on(LATER), refused(m, InvalidInput, "处理意见"):
        services.matter_reply(matter=m, actor=world.handler, text="答复", decision="maybe")


def test_an_empty_reply_is_refused(world):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, InvalidInput, "答复意见"):
        services.matter_reply(
            matter=m, actor=world.handler, text="  ", decision=Decision.SUPPORT, basis="x"
        )


def test_another_handler_of_the_unit_cannot_reply(world):
    m = walk(world, "in_handling")
    with on(LATER), refused(m, Forbidden, "承办人或单位负责人"):
        reply(world, m, actor=world.handler2)


def test_a_handler_who_was_taken_off_cannot_reply(world):
    m = walk(world, "in_handling")
    with on(LATER):
        m = services.matter_declare_interest(matter=m, actor=world.handler, reason="亲属")
        with refused(m, Forbidden, "承办人或单位负责人"):
            reply(world, m)


def test_a_matter_is_replied_to_once(world):
    m = walk(world, "replied")
    with on(date(2026, 3, 17)), refused(m, InvalidState, "答复"):
        reply(world, m)


def test_a_reply_after_the_deadline_is_accepted_and_marked_late(world):
    m = walk(world, "in_handling")
    with on(date(2026, 5, 8)):
        m = reply(world, m)
    handling = next(c for c in matter_clocks(m) if c.key == "handling")
    assert handling.late
