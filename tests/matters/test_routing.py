"""Routing services: forward, assign, object, accept, decline, guide, link a repeat."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import at, register
from tests.matters.flows import (
    ACCEPTED_ON,
    FORWARDED_ON,
    REGISTERED_ON,
    fresh,
    kinds,
    on,
    refused,
    walk,
)
from xinfang.deadlines.services import matter_clocks
from xinfang.matters import services
from xinfang.matters.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from xinfang.matters.models import LegalChannel, Matter, MatterType, State

pytestmark = pytest.mark.django_db

LATER = date(2026, 3, 6)


def running(m: Matter) -> dict[str, str]:
    return {c.key: c.due_on.isoformat() for c in matter_clocks(m) if c.running}


# --- forward and assign ---------------------------------------------------------------------


def test_forwarding_hands_the_matter_to_the_responsible_unit(world):
    m = walk(world, "forwarded")
    assert (m.state, m.lead_unit, m.office) == (State.FORWARDED, world.dept, world.bureau)
    event = m.events.last()
    assert (event.kind, event.from_state, event.to_state) == (
        "forwarded",
        State.REGISTERED,
        State.FORWARDED,
    )
    assert event.data["from_unit"] == world.bureau.pk and event.data["to_unit"] == world.dept.pk
    assert event.text == "转送县人社局"
    # Art. 23: acceptance within 15 days; the 5-working-day objection window is not the office's
    # debt, so the stored due date is the acceptance clock's.
    assert running(m) == {"acceptance": "2026-03-18", "objection": "2026-03-10"}
    assert fresh(m).due_date.isoformat() == "2026-03-18"


def test_assigning_hands_the_matter_over_for_a_report_back(world):
    with on(REGISTERED_ON):
        m = register(world)
    with on(FORWARDED_ON):
        m = services.matter_assign(
            matter=m, actor=world.director, to_unit=world.town, note="请永安镇调查处理并报结果"
        )
    assert (m.state, m.lead_unit) == (State.ASSIGNED, world.town)
    assert m.events.last().text == "请永安镇调查处理并报结果"
    assert set(running(m)) == {"acceptance", "objection"}


def test_forwarding_to_the_unit_itself_is_refused(world):
    with on(REGISTERED_ON):
        m = register(world)
        with refused(m, InvalidInput, "本单位"):
            services.matter_forward(matter=m, actor=world.registrar, to_unit=world.bureau)


def test_forwarding_to_an_inactive_unit_is_refused(world):
    world.other.is_active = False
    world.other.save(update_fields=["is_active"])
    with on(REGISTERED_ON):
        m = register(world)
        with refused(m, InvalidInput, "已停用"):
            services.matter_forward(matter=m, actor=world.registrar, to_unit=world.other)


def test_a_forwarded_matter_cannot_be_forwarded_again_by_the_office(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, Forbidden, "县人社局.*转送"):
        services.matter_forward(matter=m, actor=world.director, to_unit=world.other)


def test_the_receiving_department_may_assign_it_down_to_the_township(world):
    m = walk(world, "forwarded")
    with on(LATER):
        m = services.matter_assign(matter=m, actor=world.unit_lead, to_unit=world.town)
    assert (m.state, m.lead_unit) == (State.ASSIGNED, world.town)
    with on(LATER):
        m = services.matter_object(matter=m, actor=world.town_lead, reason="不属本镇职责")
    # The objection goes back to the department that sent it, not to the petition office.
    assert (m.state, m.lead_unit) == (State.REGISTERED, world.dept)


def test_a_handler_cannot_forward(world):
    with on(REGISTERED_ON):
        m = register(world, actor=world.dept_registrar)
        with refused(m, Forbidden, "县人社局.*转送"):
            services.matter_forward(matter=m, actor=world.handler, to_unit=world.other)


def test_a_step_dated_before_the_previous_step_is_refused(world):
    m = walk(world, "registered")
    with on(LATER), refused(m, InvalidInput, "不能早于"):
        services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, at=at(2026, 3, 1)
        )


def test_a_step_dated_in_the_future_is_refused(world):
    m = walk(world, "registered")
    with on(LATER), refused(m, InvalidInput, "不能晚于"):
        services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, at=at(2026, 3, 7)
        )


def test_a_step_may_be_recorded_after_the_fact(world):
    m = walk(world, "registered")
    with on(LATER):
        m = services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, at=date(2026, 3, 3)
        )
    assert m.events.last().occurred_at == at(2026, 3, 3)
    assert running(m)["acceptance"] == "2026-03-18"


def test_a_step_dated_today_is_accepted_in_the_morning(world):
    m = walk(world, "registered")
    with on(date(2026, 3, 3), hour=9):
        m = services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, at=date(2026, 3, 3)
        )
    assert m.events.last().occurred_at == at(2026, 3, 3, 9)


def test_a_step_dated_the_day_of_an_afternoon_step_is_not_put_before_it(world):
    with on(date(2026, 3, 2), hour=15):
        m = register(world, received_at=at(2026, 3, 2, 14))
    with on(LATER):
        m = services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, at=date(2026, 3, 2)
        )
    assert m.events.last().occurred_at == at(2026, 3, 2, 14)
    assert kinds(m) == ["registered", "forwarded"]


def test_a_step_dated_tomorrow_is_refused(world):
    m = walk(world, "registered")
    with on(date(2026, 3, 3), hour=9), refused(m, InvalidInput, "不能晚于"):
        services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, at=date(2026, 3, 4)
        )


def test_a_stale_expected_version_is_refused_as_a_conflict(world):
    m = walk(world, "registered")
    with on(LATER), refused(m, Conflict, "已被他人更新"):
        services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, expected_version=m.version - 1
        )
    with on(LATER):
        m = services.matter_forward(
            matter=m, actor=world.registrar, to_unit=world.dept, expected_version=m.version
        )
    assert m.state == State.FORWARDED


# --- objection (art. 23 ¶3) -----------------------------------------------------------------


def test_objecting_within_five_working_days_sends_the_matter_back(world):
    m = walk(world, "forwarded")
    with on(date(2026, 3, 10)):  # the fifth working day after 3 March
        m = services.matter_object(matter=m, actor=world.unit_lead, reason="属于住建部门职责")
    assert (m.state, m.lead_unit) == (State.REGISTERED, world.bureau)
    event = m.events.last()
    assert (event.kind, event.text) == ("objected", "属于住建部门职责")
    assert event.data == {"objecting_unit": world.dept.pk, "back_to": world.bureau.pk}
    # Back at the office, which may forward it to the right unit.
    with on(date(2026, 3, 11)):
        m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.other)
    assert m.lead_unit == world.other


def test_objecting_after_five_working_days_is_refused_naming_the_date(world):
    m = walk(world, "forwarded")
    with on(date(2026, 3, 11)), refused(m, InvalidState, "2026年03月10日届满"):
        services.matter_object(matter=m, actor=world.unit_lead, reason="不属于本单位职责")


def test_the_objection_window_skips_the_national_day_holiday(world):
    # Forwarded Tue 29 Sep 2026: 30 Sep (1), 1-7 Oct off, 8 Oct (2), 9 Oct (3), Sat 10 Oct is
    # an adjusted working day (4), Mon 12 Oct (5).
    with on(date(2026, 9, 28)):
        m = register(world)
    with on(date(2026, 9, 29)):
        m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.dept)
    assert running(m)["objection"] == "2026-10-12"
    with on(date(2026, 10, 13)), refused(m, InvalidState, "2026年10月12日"):
        services.matter_object(matter=m, actor=world.unit_lead, reason="不属于本单位职责")
    with on(date(2026, 10, 12)):
        m = services.matter_object(matter=m, actor=world.unit_lead, reason="不属于本单位职责")
    assert m.state == State.REGISTERED


def test_an_objection_needs_reasons(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, InvalidInput, "异议理由"):
        services.matter_object(matter=m, actor=world.unit_lead, reason="  ")


def test_the_forwarding_office_cannot_object_for_the_receiving_unit(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, Forbidden, "县人社局"):
        services.matter_object(matter=m, actor=world.registrar, reason="x")


def test_an_accepted_matter_cannot_be_objected_to(world):
    m = walk(world, "accepted")
    with on(LATER), refused(m, InvalidState, "受理"):
        services.matter_object(matter=m, actor=world.unit_lead, reason="不属于本单位职责")


# --- acceptance -----------------------------------------------------------------------------


def test_accepting_starts_the_60_day_handling_clock(world):
    m = walk(world, "accepted")
    assert (m.state, m.simplified) == (State.ACCEPTED, False)
    event = m.events.last()
    assert (event.kind, event.text) == ("accepted", "县人社局受理")
    assert event.data["simplified"] is False
    # 4 March + 60 days = Sun 3 May, inside the Labour Day break (1-5 May): rolls to 6 May.
    assert running(m) == {"handling": "2026-05-06"}
    assert fresh(m).due_date.isoformat() == "2026-05-06"


def test_simplified_acceptance_starts_the_10_working_day_clock_instead(world):
    m = walk(world, "accepted", simplified=True)
    assert m.simplified is True
    assert m.events.last().text == "县人社局受理（简易办理）"
    assert running(m) == {"simplified": "2026-03-18"}
    assert fresh(m).due_date.isoformat() == "2026-03-18"


def test_a_unit_accepts_a_matter_it_registered_directly(world):
    with on(REGISTERED_ON):
        m = register(world, actor=world.dept_registrar)
    with on(ACCEPTED_ON):
        m = services.matter_accept(matter=m, actor=world.dept_registrar)
    assert m.state == State.ACCEPTED
    assert running(m) == {"handling": "2026-05-06"}


def test_a_matter_cannot_be_accepted_twice(world):
    m = walk(world, "accepted")
    with on(LATER), refused(m, InvalidState, "当前状态为“accepted”|受理"):
        services.matter_accept(matter=m, actor=world.unit_lead)


def test_a_handler_cannot_accept(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, Forbidden, "受理"):
        services.matter_accept(matter=m, actor=world.handler)


# --- decline and guide ----------------------------------------------------------------------


def test_declining_records_the_reasons_and_stops_every_clock(world):
    m = walk(world, "forwarded")
    with on(LATER):
        m = services.matter_decline(matter=m, actor=world.unit_lead, reason="已通过诉讼解决")
    assert m.state == State.NOT_ACCEPTED
    assert (m.events.last().kind, m.events.last().text) == ("not_accepted", "已通过诉讼解决")
    assert running(m) == {}
    assert fresh(m).due_date is None


def test_declining_without_reasons_is_refused(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, InvalidInput, "不予受理的理由"):
        services.matter_decline(matter=m, actor=world.unit_lead, reason="")


def test_a_declined_matter_cannot_then_be_accepted(world):
    m = walk(world, "forwarded")
    with on(LATER):
        m = services.matter_decline(matter=m, actor=world.unit_lead, reason="重复")
        with refused(m, InvalidState, "受理"):
            services.matter_accept(matter=m, actor=world.unit_lead)


def test_a_request_is_guided_to_the_legal_channel(world):
    m = walk(world, "forwarded")
    with on(LATER):
        m = services.matter_guide(
            matter=m,
            actor=world.unit_lead,
            legal_channel=LegalChannel.ARBITRATION,
            reason="属于劳动争议，请向劳动人事争议仲裁委员会申请仲裁",
        )
    assert (m.state, m.legal_channel) == (State.GUIDED, LegalChannel.ARBITRATION)
    assert m.events.last().data == {"legal_channel": "arbitration"}
    assert running(m) == {}


@pytest.mark.parametrize("type_", [MatterType.SUGGESTION, MatterType.ACCUSATION])
def test_only_a_request_can_be_guided_to_the_legal_channel(world, type_):
    m = walk(world, "forwarded", type=type_)
    with on(LATER), refused(m, InvalidInput, "申诉求决"):
        services.matter_guide(
            matter=m, actor=world.unit_lead, legal_channel=LegalChannel.LITIGATION, reason="请起诉"
        )


def test_guiding_to_an_unknown_channel_is_refused(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, InvalidInput, "法定途径"):
        services.matter_guide(matter=m, actor=world.unit_lead, legal_channel="petition", reason="x")


def test_guiding_needs_the_reasons(world):
    m = walk(world, "forwarded")
    with on(LATER), refused(m, InvalidInput, "引导的理由"):
        services.matter_guide(
            matter=m, actor=world.unit_lead, legal_channel=LegalChannel.LITIGATION, reason=" "
        )


# --- repeats (art. 19 ¶3) -------------------------------------------------------------------


def test_a_repeat_is_linked_to_the_matter_in_handling_and_not_accepted_anew(world):
    original = walk(world, "in_handling")
    with on(LATER):
        repeat = register(world, title="再次反映欠薪")
        repeat = services.matter_link_repeat(
            matter=repeat, actor=world.registrar, original=original
        )
    assert (repeat.state, repeat.repeat_of) == (State.LINKED, original)
    assert repeat.events.last().data["original_number"] == original.number
    assert running(repeat) == {}
    # The original's timeline says so; its state and clocks are untouched.
    original = fresh(original)
    assert original.state == State.IN_HANDLING
    assert kinds(original)[-1] == "note"
    assert repeat.number in original.events.last().text
    assert running(original) == {"handling": "2026-05-06"}


def test_a_link_recorded_after_the_fact_cannot_predate_the_originals_last_step(world):
    # The repeat arrived first (1 March); the original was accepted later. Linking "as of"
    # 2 March would write a note on the original before its own acceptance.
    with on(date(2026, 3, 1)):
        repeat = register(world, received_at=at(2026, 3, 1, 9))
    original = walk(world, "in_handling")
    accepted = original.events.get(kind="accepted").occurred_at
    with on(LATER), refused(repeat, InvalidInput, "不能早于"):
        services.matter_link_repeat(
            matter=repeat, actor=world.registrar, original=original, at=at(2026, 3, 2)
        )
    with on(LATER):
        services.matter_link_repeat(matter=repeat, actor=world.registrar, original=original)
    note = fresh(original).events.last()
    assert note.kind == "note" and note.occurred_at >= accepted


@pytest.mark.parametrize("step", ["review_requested", "re_review_requested"])
def test_a_repeat_may_join_a_matter_under_review(world, step):
    original = walk(world, step)
    with on(date(2026, 4, 3)):
        repeat = register(world)
        repeat = services.matter_link_repeat(
            matter=repeat, actor=world.registrar, original=original
        )
    assert repeat.state == State.LINKED


def test_a_matter_cannot_be_linked_to_itself(world):
    with on(LATER):
        m = register(world)
        with refused(m, InvalidInput, "它自己"):
            services.matter_link_repeat(matter=m, actor=world.registrar, original=m)


@pytest.mark.parametrize("step", ["registered", "forwarded", "replied", "reviewed"])
def test_a_repeat_cannot_be_linked_to_a_matter_not_in_handling(world, step):
    original = walk(world, step)
    with on(date(2026, 3, 31)):
        repeat = register(world)
        with refused(repeat, InvalidState, "不在办理期限内", others=[original]):
            services.matter_link_repeat(matter=repeat, actor=world.registrar, original=original)


def test_a_repeat_cannot_be_linked_to_a_final_matter(world):
    original = walk(world, "re_reviewed")
    assert original.is_final
    with on(date(2026, 4, 7)):
        repeat = register(world)
        with refused(repeat, InvalidState, "第三十六条", others=[original]):
            services.matter_link_repeat(matter=repeat, actor=world.registrar, original=original)


def test_only_a_matter_not_yet_routed_can_be_linked_as_a_repeat(world):
    original = walk(world, "in_handling")
    with on(LATER):
        repeat = register(world)
        repeat = services.matter_forward(matter=repeat, actor=world.registrar, to_unit=world.other)
        with refused(repeat, InvalidState, "重复件", others=[original]):
            services.matter_link_repeat(matter=repeat, actor=world.director, original=original)


def test_linking_to_a_matter_the_user_cannot_see_is_refused(world):
    with on(REGISTERED_ON):
        original = register(world, actor=world.outsider)
    with on(ACCEPTED_ON):
        original = services.matter_accept(matter=original, actor=world.outsider)
    with on(LATER):
        repeat = register(world, actor=world.dept_registrar)
        with refused(repeat, InvalidInput, "无权查看", others=[original]):
            services.matter_link_repeat(
                matter=repeat, actor=world.dept_registrar, original=original
            )


def test_a_repeat_of_a_matter_that_became_final_cannot_be_accepted(world):
    original = walk(world, "re_review_requested")
    with on(date(2026, 4, 1)):
        repeat = register(world)
        repeat = services.matter_link_repeat(
            matter=repeat, actor=world.registrar, original=original
        )
    with on(date(2026, 4, 3)):
        services.matter_decide_re_review(
            matter=original, actor=world.city_lead, outcome="upheld", text="维持"
        )
    assert fresh(original).is_final
    with on(date(2026, 4, 7)), refused(repeat, InvalidState):
        services.matter_accept(matter=repeat, actor=world.registrar)


def test_a_new_matter_marked_as_a_repeat_of_a_final_one_cannot_be_accepted(world):
    # Repeat detection may mark the link before anyone routes the new matter.
    original = walk(world, "re_reviewed")
    with on(date(2026, 4, 7)):
        repeat = register(world)
        Matter.objects.filter(pk=repeat.pk).update(repeat_of=original)
        with refused(repeat, InvalidState, "不再受理（第三十六条）"):
            services.matter_accept(matter=fresh(repeat), actor=world.registrar)


def test_the_outsider_cannot_link_a_matter_of_another_unit(world):
    original = walk(world, "in_handling")
    with on(LATER):
        repeat = register(world, actor=world.dept_registrar)
        with refused(repeat, NotFound, others=[original]):
            services.matter_link_repeat(matter=repeat, actor=world.outsider, original=original)
