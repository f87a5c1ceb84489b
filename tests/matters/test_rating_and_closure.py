"""The petitioner's rating (once, after the reply) and closure (办结) after the windows."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import register
from tests.matters.flows import fresh, kinds, on, refused, walk
from xinfang.matters import services
from xinfang.matters.errors import Forbidden, InvalidInput, InvalidState
from xinfang.matters.models import Evaluation, LegalChannel, Rating, State

pytestmark = pytest.mark.django_db

AFTER_REPLY = date(2026, 3, 17)  # replied 16 March; the review window runs to 15 April


# --- rating ---------------------------------------------------------------------------------


def test_the_petitioner_rates_the_reply_on_the_public_side(world):
    m = walk(world, "replied")
    with on(AFTER_REPLY):
        evaluation = services.matter_rate(
            matter=m, actor=None, rating=Rating.SATISFIED, comment=" 办得很快 "
        )
    assert (evaluation.rating, evaluation.comment, evaluation.recorded_by) == (
        "satisfied",
        "办得很快",
        None,
    )
    event = fresh(m).events.last()
    assert (event.kind, event.actor, event.data) == ("rated", None, {"rating": "satisfied"})
    # Rating moves no state.
    assert fresh(m).state == State.REPLIED


def test_staff_record_a_rating_given_by_phone(world):
    m = walk(world, "replied")
    with on(AFTER_REPLY):
        evaluation = services.matter_rate(
            matter=m, actor=world.registrar, rating=Rating.UNSATISFIED
        )
    assert evaluation.recorded_by == world.registrar
    assert fresh(m).events.last().actor_unit == world.bureau


def test_a_matter_is_rated_once(world):
    m = walk(world, "replied")
    with on(AFTER_REPLY):
        services.matter_rate(matter=m, actor=None, rating=Rating.BASICALLY)
        with refused(m, InvalidState, "只能评价一次"):
            services.matter_rate(matter=m, actor=None, rating=Rating.SATISFIED)
    assert Evaluation.objects.get(matter=m).rating == "basically"


@pytest.mark.parametrize("step", ["registered", "forwarded", "accepted", "in_handling"])
def test_rating_before_the_reply_is_refused(world, step):
    m = walk(world, step)
    with on(AFTER_REPLY), refused(m, InvalidState, "答复之后"):
        services.matter_rate(matter=m, actor=None, rating=Rating.SATISFIED)


def test_a_declined_and_closed_matter_cannot_be_rated(world):
    m = walk(world, "forwarded")
    with on(AFTER_REPLY):
        m = services.matter_decline(matter=m, actor=world.unit_lead, reason="不属于信访事项")
        m = services.matter_close(matter=m, actor=world.unit_lead)
        with refused(m, InvalidState, "答复之后"):
            services.matter_rate(matter=m, actor=None, rating=Rating.SATISFIED)


def test_an_unknown_rating_is_refused(world):
    m = walk(world, "replied")
    with on(AFTER_REPLY), refused(m, InvalidInput, "满意"):
        services.matter_rate(matter=m, actor=None, rating="great")


@pytest.mark.parametrize("who", ["auditor", "supervisor", "leader"])
def test_a_user_who_may_not_record_for_the_petitioner_cannot_rate(world, who):
    m = walk(world, "replied")
    with on(AFTER_REPLY), refused(m, Forbidden, "评价"):
        services.matter_rate(matter=m, actor=getattr(world, who), rating=Rating.SATISFIED)


def test_a_matter_under_review_may_still_be_rated(world):
    m = walk(world, "review_requested")
    with on(date(2026, 3, 21)):
        services.matter_rate(matter=m, actor=None, rating=Rating.UNSATISFIED)
    assert kinds(m)[-1] == "rated"


# --- closing --------------------------------------------------------------------------------


def test_closing_a_replied_matter_is_refused_while_the_review_window_is_open(world):
    m = walk(world, "replied")
    with on(date(2026, 4, 15)), refused(m, InvalidState, "2026年04月15日前申请复查"):
        services.matter_close(matter=m, actor=world.unit_lead)


def test_a_replied_matter_is_closed_after_the_review_window(world):
    m = walk(world, "replied")
    with on(date(2026, 4, 16)):
        m = services.matter_close(matter=m, actor=world.unit_lead, note="信访人未申请复查")
    assert m.state == State.CLOSED
    assert (m.events.last().kind, m.events.last().text) == ("closed", "信访人未申请复查")
    assert fresh(m).due_date is None


def test_a_rated_matter_may_be_closed_at_once(world):
    m = walk(world, "replied")
    with on(AFTER_REPLY):
        services.matter_rate(matter=m, actor=None, rating=Rating.SATISFIED)
        m = services.matter_close(matter=m, actor=world.unit_lead)
    assert m.state == State.CLOSED


def test_a_reviewed_matter_waits_for_the_re_review_window(world):
    m = walk(world, "reviewed")  # re-review window to 24 April
    with on(date(2026, 4, 24)), refused(m, InvalidState, "2026年04月24日前申请复核"):
        services.matter_close(matter=m, actor=world.registrar)
    with on(date(2026, 4, 27)):
        m = services.matter_close(matter=m, actor=world.registrar)
    assert m.state == State.CLOSED


def test_a_re_reviewed_matter_is_closed_for_good(world):
    m = walk(world, "re_reviewed")
    with on(date(2026, 4, 3)):
        m = services.matter_close(matter=m, actor=world.registrar)
    assert (m.state, m.is_final) == (State.CLOSED, True)


@pytest.mark.parametrize("outcome", ["decline", "guide", "link"])
def test_a_matter_that_was_not_handled_may_be_closed_at_once(world, outcome):
    original = walk(world, "in_handling")
    with on(date(2026, 3, 10)):
        m = register(world)
        if outcome == "link":
            m = services.matter_link_repeat(matter=m, actor=world.registrar, original=original)
        else:
            m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.dept)
            if outcome == "decline":
                m = services.matter_decline(matter=m, actor=world.unit_lead, reason="不予受理")
            else:
                m = services.matter_guide(
                    matter=m,
                    actor=world.unit_lead,
                    legal_channel=LegalChannel.LITIGATION,
                    reason="起诉",
                )
        m = services.matter_close(matter=m, actor=world.director)
    assert m.state == State.CLOSED


@pytest.mark.parametrize(
    "step",
    [
        "registered",
        "forwarded",
        "accepted",
        "in_handling",
        "review_requested",
        "re_review_requested",
    ],
)
def test_a_matter_still_owed_an_answer_cannot_be_closed(world, step):
    m = walk(world, step)
    with on(date(2026, 4, 7)), refused(m, InvalidState, "办结"):
        services.matter_close(matter=m, actor=world.director)


def test_a_closed_matter_cannot_be_closed_again(world):
    m = walk(world, "re_reviewed")
    with on(date(2026, 4, 3)):
        m = services.matter_close(matter=m, actor=world.registrar)
        with refused(m, InvalidState, "办结"):
            services.matter_close(matter=m, actor=world.registrar)


@pytest.mark.parametrize("who", ["handler", "leader", "auditor", "supervisor"])
def test_only_the_responsible_unit_or_the_registering_office_closes(world, who):
    m = walk(world, "replied")
    with on(date(2026, 4, 16)), refused(m, Forbidden, "办结"):
        services.matter_close(matter=m, actor=getattr(world, who))
