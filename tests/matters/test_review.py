"""Review (复查, art. 35) and re-review (复核, art. 36): request windows, deciding bodies, the
hearing that does not count, finality."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import at, register
from tests.matters.flows import (
    RE_REVIEW_REQUESTED_ON,
    REVIEW_REQUESTED_ON,
    fresh,
    on,
    refused,
    reply,
    walk,
)
from xinfang.deadlines.services import matter_clocks
from xinfang.matters import services
from xinfang.matters.errors import Forbidden, InvalidInput, InvalidState
from xinfang.matters.models import Matter, MatterType, ReviewOutcome, State

pytestmark = pytest.mark.django_db


def clock(m: Matter, key: str):
    return [c for c in matter_clocks(m) if c.key == key][-1]


def request_review(w, m: Matter, actor=None, **kwargs) -> Matter:
    return services.matter_request_review(
        matter=m, actor=actor, reasons="工资仍未足额支付", **kwargs
    )


def request_re_review(w, m: Matter, actor=None, **kwargs) -> Matter:
    return services.matter_request_re_review(
        matter=m, actor=actor, reasons="不服复查意见", **kwargs
    )


def replied_on(w, day: date) -> Matter:
    """A matter handled by the department and replied to on `day`."""
    with on(day - timedelta(days=10)):
        m = register(w)
        m = services.matter_forward(matter=m, actor=w.registrar, to_unit=w.dept)
        m = services.matter_accept(matter=m, actor=w.unit_lead)
        m = services.matter_assign_owners(
            matter=m, actor=w.unit_lead, leader=w.leader, handler=w.handler
        )
    with on(day):
        return reply(w, m)


# --- requesting a review --------------------------------------------------------------------


def test_a_review_requested_on_day_30_goes_to_the_body_one_level_up(world):
    m = walk(world, "replied")  # replied 16 March: day 30 is Wed 15 April
    assert services.review_window_closes(m) == date(2026, 4, 15)
    with on(date(2026, 4, 15)):
        m = request_review(world, m)
    assert (m.state, m.review_unit) == (State.REVIEW_REQUESTED, world.gov)
    event = m.events.last()
    assert (event.kind, event.actor, event.text) == ("review_requested", None, "工资仍未足额支付")
    assert event.data["review_unit_name"] == "清河县人民政府"
    # The review body owes its decision within 30 days: 15 April + 30 = 15 May.
    assert fresh(m).due_date.isoformat() == "2026-05-15"
    assert services.review_window_closes(m) is None


def test_a_review_requested_on_day_31_is_refused_naming_the_last_day(world):
    m = walk(world, "replied")
    with on(date(2026, 4, 16)), refused(m, InvalidState, "第三十五条.*2026年04月15日届满"):
        request_review(world, m)


def test_the_review_window_ending_on_a_holiday_runs_to_the_next_working_day(world):
    # Replied 1 Sep 2026: day 30 is 1 Oct, National Day; the holiday runs to 7 Oct, so the
    # window closes on Thu 8 Oct.
    m = replied_on(world, date(2026, 9, 1))
    assert clock(m, "review_request").due_on == date(2026, 10, 8)
    with on(date(2026, 10, 9)), refused(m, InvalidState, "2026年10月08日届满"):
        request_review(world, m)
    with on(date(2026, 10, 8)):
        m = request_review(world, m)
    assert m.state == State.REVIEW_REQUESTED


def test_staff_may_record_a_review_request_made_on_paper(world):
    m = walk(world, "replied")
    with on(REVIEW_REQUESTED_ON):
        m = request_review(world, m, actor=world.registrar)
    assert m.events.last().actor == world.registrar
    assert m.events.last().actor_unit == world.bureau


def test_the_petitioner_may_name_the_review_body(world):
    m = walk(world, "replied")
    with on(REVIEW_REQUESTED_ON):
        m = request_review(world, m, review_unit=world.city)
    assert m.review_unit == world.city


def test_a_review_request_needs_reasons(world):
    m = walk(world, "replied")
    with on(REVIEW_REQUESTED_ON), refused(m, InvalidInput, "申请复查的理由"):
        services.matter_request_review(matter=m, actor=None, reasons=" ")


def test_a_review_cannot_be_requested_before_the_reply(world):
    m = walk(world, "in_handling")
    with on(REVIEW_REQUESTED_ON), refused(m, InvalidState, "申请复查"):
        request_review(world, m)


def test_a_review_of_a_body_with_no_parent_needs_the_review_body_named(world):
    with on(date(2026, 3, 2)):
        m = register(world, type=MatterType.ACCUSATION, accused_units=[world.town])
        m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.discipline)
        m = services.matter_accept(matter=m, actor=world.discipline_lead)
        m = services.matter_reply(matter=m, actor=world.discipline_lead, text="已立案调查")
    with on(REVIEW_REQUESTED_ON), refused(m, InvalidInput, "请指定复查机关") as info:
        request_review(world, m)
    assert info.value.field == "body"


@pytest.mark.parametrize("who", ["auditor", "supervisor", "leader"])
def test_a_user_who_may_not_record_for_the_petitioner_cannot_request_review(world, who):
    m = walk(world, "replied")
    with on(REVIEW_REQUESTED_ON), refused(m, Forbidden, "复查"):
        request_review(world, m, actor=getattr(world, who))


# --- deciding the review --------------------------------------------------------------------


def test_the_review_bodys_lead_decides_and_the_re_review_window_opens(world):
    m = walk(world, "reviewed")  # decided 25 March
    assert m.state == State.REVIEWED
    event = m.events.last()
    assert (event.kind, event.actor_unit, event.data) == (
        "reviewed",
        world.gov,
        {"outcome": "upheld"},
    )
    assert clock(m, "review").stopped_on == date(2026, 3, 25)
    assert clock(m, "re_review_request").due_on == date(2026, 4, 24)
    assert fresh(m).due_date is None


@pytest.mark.parametrize("who", ["unit_lead", "county_leader", "director", "city_lead", "handler"])
def test_only_the_review_units_lead_decides_a_review(world, who):
    m = walk(world, "review_requested")
    with on(date(2026, 3, 25)), refused(m, Forbidden, "复查意见"):
        services.matter_decide_review(
            matter=m, actor=getattr(world, who), outcome=ReviewOutcome.UPHELD, text="维持"
        )


def test_a_review_decision_needs_a_known_outcome_and_a_text(world):
    m = walk(world, "review_requested")
    with on(date(2026, 3, 25)):
        with refused(m, InvalidInput, "维持、变更或撤销"):
            services.matter_decide_review(
                matter=m, actor=world.gov_lead, outcome="maybe", text="维持"
            )
        with refused(m, InvalidInput, "复查意见"):
            services.matter_decide_review(
                matter=m, actor=world.gov_lead, outcome=ReviewOutcome.CHANGED, text=""
            )


def test_a_review_cannot_be_decided_twice(world):
    m = walk(world, "reviewed")
    with on(date(2026, 3, 26)), refused(m, InvalidState, "复查意见"):
        services.matter_decide_review(
            matter=m, actor=world.gov_lead, outcome=ReviewOutcome.CHANGED, text="变更"
        )


# --- re-review ------------------------------------------------------------------------------


def test_a_re_review_requested_on_day_30_goes_one_level_further_up(world):
    m = walk(world, "reviewed")
    with on(date(2026, 4, 24)):
        m = request_re_review(world, m)
    assert (m.state, m.re_review_unit) == (State.RE_REVIEW_REQUESTED, world.city)
    assert fresh(m).due_date.isoformat() == "2026-05-25"  # 24 April + 30 = Sun 24 May


def test_a_re_review_requested_after_its_window_is_refused_naming_the_last_day(world):
    m = walk(world, "reviewed")
    with on(date(2026, 4, 27)), refused(m, InvalidState, "第三十六条.*2026年04月24日届满"):
        request_re_review(world, m)


def test_a_re_review_cannot_be_requested_before_the_review(world):
    m = walk(world, "replied")
    with on(REVIEW_REQUESTED_ON), refused(m, InvalidState, "申请复核"):
        request_re_review(world, m)


def test_hearing_days_are_not_counted_in_the_re_review_period(world):
    m = walk(world, "re_review_requested")  # requested 30 March: due 29 April
    assert clock(m, "re_review").due_on == date(2026, 4, 29)
    with on(date(2026, 4, 10)):
        m = services.matter_record_hearing(
            matter=m, actor=world.city_lead, start=date(2026, 4, 8), end=date(2026, 4, 8)
        )
    event = m.events.last()
    assert (event.kind, event.text) == ("hearing", "听证：2026-04-08至2026-04-08")
    assert clock(m, "re_review").extra_days == 1
    assert clock(m, "re_review").due_on == date(2026, 4, 30)
    assert fresh(m).due_date == date(2026, 4, 30)
    # A second hearing adds its days as well (three days, 13-15 April).
    with on(date(2026, 4, 16)):
        m = services.matter_record_hearing(
            matter=m, actor=world.city_lead, start=date(2026, 4, 13), end=date(2026, 4, 15)
        )
    # 29 April + 4 days = Sun 3 May, in the Labour Day break (1-5 May): 6 May.
    assert clock(m, "re_review").due_on == date(2026, 5, 6)


def test_a_hearing_can_be_recorded_after_the_fact_but_not_before_it_ended(world):
    m = walk(world, "re_review_requested")
    with on(date(2026, 4, 20)):
        with refused(m, InvalidInput, "听证结束后"):
            services.matter_record_hearing(
                matter=m,
                actor=world.city_lead,
                start=date(2026, 4, 8),
                end=date(2026, 4, 9),
                at=at(2026, 4, 8, 15),
            )
        m = services.matter_record_hearing(
            matter=m,
            actor=world.city_lead,
            start=date(2026, 4, 8),
            end=date(2026, 4, 9),
            at=at(2026, 4, 9, 17),
        )
        # The decision can then be recorded as of a day before today.
        m = services.matter_decide_re_review(
            matter=m, actor=world.city_lead, outcome="upheld", text="维持", at=at(2026, 4, 15)
        )
    assert m.is_final
    assert clock(m, "re_review").extra_days == 2


@pytest.mark.parametrize(
    ("start", "end", "today", "message"),
    [
        (date(2026, 4, 9), date(2026, 4, 8), date(2026, 4, 10), "结束日期不能早于开始日期"),
        (date(2026, 4, 9), date(2026, 4, 11), date(2026, 4, 10), "听证结束后"),
        (date(2026, 3, 29), date(2026, 4, 1), date(2026, 4, 10), "不能早于复核申请"),
    ],
)
def test_an_impossible_hearing_is_refused(world, start, end, today, message):
    m = walk(world, "re_review_requested")
    with on(today), refused(m, InvalidInput, message):
        services.matter_record_hearing(matter=m, actor=world.city_lead, start=start, end=end)


def test_only_the_re_review_units_lead_records_a_hearing(world):
    m = walk(world, "re_review_requested")
    with on(date(2026, 4, 10)), refused(m, Forbidden, "听证"):
        services.matter_record_hearing(
            matter=m, actor=world.gov_lead, start=date(2026, 4, 8), end=date(2026, 4, 8)
        )


def test_the_re_review_decision_is_final(world):
    m = walk(world, "re_reviewed")
    assert (m.state, m.is_final) == (State.RE_REVIEWED, True)
    assert fresh(m).is_final
    assert fresh(m).due_date is None
    assert [c for c in matter_clocks(m) if c.running] == []


@pytest.mark.parametrize("who", ["gov_lead", "unit_lead", "director"])
def test_only_the_re_review_units_lead_decides_the_re_review(world, who):
    m = walk(world, "re_review_requested")
    with on(date(2026, 4, 3)), refused(m, Forbidden, "复核意见"):
        services.matter_decide_re_review(
            matter=m, actor=getattr(world, who), outcome=ReviewOutcome.UPHELD, text="维持"
        )


def test_a_re_review_decision_needs_a_known_outcome_and_a_text(world):
    m = walk(world, "re_review_requested")
    with on(date(2026, 4, 3)):
        with refused(m, InvalidInput, "维持、变更或撤销"):
            services.matter_decide_re_review(
                matter=m, actor=world.city_lead, outcome="", text="维持"
            )
        with refused(m, InvalidInput, "复核意见"):
            services.matter_decide_re_review(
                matter=m, actor=world.city_lead, outcome=ReviewOutcome.UPHELD, text=" "
            )


def test_no_further_review_after_the_re_review(world):
    m = walk(world, "re_reviewed")
    with on(date(2026, 4, 7)):
        with refused(m, InvalidState, "申请复核"):
            request_re_review(world, m)
        with refused(m, InvalidState, "申请复查"):
            request_review(world, m)


def test_the_re_review_request_of_a_matter_requested_on_paper_records_the_recorder(world):
    m = walk(world, "reviewed")
    with on(RE_REVIEW_REQUESTED_ON):
        m = request_re_review(world, m, actor=world.handler)
    assert m.events.last().actor_unit == world.dept
