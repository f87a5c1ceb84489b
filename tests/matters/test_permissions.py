"""Scope and role checks of every lifecycle service.

Each action is tried on a matter of the county's human resources department (县人社局) in the
state where it is allowed: by the right person it succeeds; by someone of another department it
is NotFound (ids cannot be probed); by the read-only roles it is Forbidden; in every refusal
nothing changes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import register
from tests.matters.flows import on, refused, snapshot, walk
from xinfang.matters import services
from xinfang.matters.errors import Forbidden, NotFound
from xinfang.matters.models import Decision, LegalChannel, Matter, Rating, ReviewOutcome

pytestmark = pytest.mark.django_db

Action = Callable[[SimpleNamespace, Matter, Any], Any]


def _prepare(w: SimpleNamespace, stage: str) -> Matter:
    if stage == "registered_at_dept":
        with on(date(2026, 3, 2)):
            return register(w, actor=w.dept_registrar)
    if stage == "extension_pending":
        m = walk(w, "in_handling")
        with on(date(2026, 3, 9)):
            return services.matter_request_extension(
                matter=m, actor=w.handler, days=10, reason="需要调查"
            )
    return walk(w, stage)


def _link(w: SimpleNamespace, m: Matter, actor: Any) -> Any:
    original = Matter.objects.get(title="原事项")
    return services.matter_link_repeat(matter=m, actor=actor, original=original)


def _reveal(w: SimpleNamespace, m: Matter, actor: Any) -> Any:
    return services.petitioner_reveal(
        petitioner=m.petitioners.get(), actor=actor, field="phone", purpose="回访"
    )


# name: (stage, day, the person allowed, the action)
ACTIONS: dict[str, tuple[str, date, str, Action]] = {
    "forward": (
        "registered_at_dept",
        date(2026, 3, 10),
        "dept_registrar",
        lambda w, m, a: services.matter_forward(matter=m, actor=a, to_unit=w.town),
    ),
    "assign": (
        "registered_at_dept",
        date(2026, 3, 10),
        "unit_lead",
        lambda w, m, a: services.matter_assign(matter=m, actor=a, to_unit=w.town),
    ),
    "link_repeat": ("registered_at_dept", date(2026, 3, 10), "dept_registrar", _link),
    "object": (
        "forwarded",
        date(2026, 3, 10),
        "unit_lead",
        lambda w, m, a: services.matter_object(matter=m, actor=a, reason="非本单位职责"),
    ),
    "accept": (
        "forwarded",
        date(2026, 3, 10),
        "unit_lead",
        lambda w, m, a: services.matter_accept(matter=m, actor=a),
    ),
    "decline": (
        "forwarded",
        date(2026, 3, 10),
        "unit_lead",
        lambda w, m, a: services.matter_decline(matter=m, actor=a, reason="不予受理"),
    ),
    "guide": (
        "forwarded",
        date(2026, 3, 10),
        "dept_registrar",
        lambda w, m, a: services.matter_guide(
            matter=m, actor=a, reason="请仲裁", legal_channel=LegalChannel.ARBITRATION
        ),
    ),
    "assign_owners": (
        "accepted",
        date(2026, 3, 10),
        "unit_lead",
        lambda w, m, a: services.matter_assign_owners(
            matter=m, actor=a, leader=w.leader, handler=w.handler
        ),
    ),
    "add_co_units": (
        "in_handling",
        date(2026, 3, 10),
        "unit_lead",
        lambda w, m, a: services.matter_add_co_units(matter=m, actor=a, units=[w.town]),
    ),
    "declare_interest": (
        "in_handling",
        date(2026, 3, 10),
        "handler2",
        lambda w, m, a: services.matter_declare_interest(matter=m, actor=a, reason="亲属"),
    ),
    "request_extension": (
        "in_handling",
        date(2026, 3, 10),
        "handler",
        lambda w, m, a: services.matter_request_extension(
            matter=m, actor=a, days=10, reason="需要调查"
        ),
    ),
    "decide_extension": (
        "extension_pending",
        date(2026, 3, 10),
        "unit_lead",
        lambda w, m, a: services.matter_decide_extension(matter=m, actor=a, approve=True),
    ),
    "reply": (
        "in_handling",
        date(2026, 3, 10),
        "handler",
        lambda w, m, a: services.matter_reply(
            matter=m, actor=a, text="答复", decision=Decision.EXPLAIN, basis="规定"
        ),
    ),
    "attachment_add": (
        "in_handling",
        date(2026, 3, 10),
        "handler",
        lambda w, m, a: services.attachment_add(
            matter=m, actor=a, upload=services.Upload(name="a.txt", stream=io.BytesIO(b"a"))
        ),
    ),
    "request_review": (
        "replied",
        date(2026, 3, 20),
        "dept_registrar",
        lambda w, m, a: services.matter_request_review(matter=m, actor=a, reasons="不服"),
    ),
    "rate": (
        "replied",
        date(2026, 3, 20),
        "handler",
        lambda w, m, a: services.matter_rate(matter=m, actor=a, rating=Rating.SATISFIED),
    ),
    "close": (
        "replied",
        date(2026, 4, 16),
        "unit_lead",
        lambda w, m, a: services.matter_close(matter=m, actor=a),
    ),
    "decide_review": (
        "review_requested",
        date(2026, 3, 25),
        "gov_lead",
        lambda w, m, a: services.matter_decide_review(
            matter=m, actor=a, outcome=ReviewOutcome.UPHELD, text="维持"
        ),
    ),
    "request_re_review": (
        "reviewed",
        date(2026, 3, 30),
        "registrar",
        lambda w, m, a: services.matter_request_re_review(matter=m, actor=a, reasons="不服"),
    ),
    "record_hearing": (
        "re_review_requested",
        date(2026, 4, 3),
        "city_lead",
        lambda w, m, a: services.matter_record_hearing(
            matter=m, actor=a, start=date(2026, 4, 1), end=date(2026, 4, 2)
        ),
    ),
    "decide_re_review": (
        "re_review_requested",
        date(2026, 4, 3),
        "city_lead",
        lambda w, m, a: services.matter_decide_re_review(
            matter=m, actor=a, outcome=ReviewOutcome.UPHELD, text="维持"
        ),
    ),
    "petitioner_reveal": ("in_handling", date(2026, 3, 10), "handler", _reveal),
}

# Reading a petitioner's phone is not a change to the matter: the read-only roles may, logged.
CHANGES = [name for name in ACTIONS if name != "petitioner_reveal"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def setup(w: SimpleNamespace, name: str) -> tuple[Matter, date, Action]:
    stage, day, _, action = ACTIONS[name]
    if name == "link_repeat":
        with on(date(2026, 3, 2)):
            original = register(w, actor=w.dept_registrar, title="原事项")
        with on(date(2026, 3, 3)):
            services.matter_accept(matter=original, actor=w.unit_lead)
    return _prepare(w, stage), day, action


@pytest.mark.parametrize("name", list(ACTIONS))
def test_the_right_person_may_take_the_action(world, media, name):
    m, day, action = setup(world, name)
    before = snapshot(m)
    with on(day):
        result = action(world, m, getattr(world, ACTIONS[name][2]))
    assert result is not None
    # It did something: a new timeline entry, or (for a reveal) an access log row.
    assert snapshot(m) != before
    assert len(snapshot(m)["_events"]) > len(before["_events"]) or name == "petitioner_reveal"


@pytest.mark.parametrize("name", list(ACTIONS))
def test_a_user_of_another_department_gets_not_found(world, media, name):
    m, day, action = setup(world, name)
    with on(day), refused(m, NotFound, "没有找到该信访事项"):
        action(world, m, world.outsider)


@pytest.mark.parametrize("who", ["auditor", "supervisor"])
@pytest.mark.parametrize("name", CHANGES)
def test_a_read_only_role_is_forbidden_to_act(world, media, name, who):
    m, day, action = setup(world, name)
    with on(day), refused(m, Forbidden):
        action(world, m, getattr(world, who))


def test_a_read_only_role_may_reveal_a_phone_and_it_is_logged(world):
    from xinfang.audit.models import AccessLog

    m = walk(world, "in_handling")
    assert _reveal(world, m, world.auditor) == "13800138000"
    assert AccessLog.objects.get().user == world.auditor


def test_registering_is_forbidden_to_the_read_only_roles(world):
    for who in (world.auditor, world.supervisor):
        with pytest.raises(Forbidden):
            register(world, actor=who)
    assert Matter.objects.count() == 0


def test_a_handler_cannot_approve_an_extension(world):
    m = _prepare(world, "extension_pending")
    with on(date(2026, 3, 10)), refused(m, Forbidden, "县人社局.*审批延期"):
        services.matter_decide_extension(matter=m, actor=world.handler, approve=True)


def test_the_petition_office_may_act_on_a_matter_it_registered_only_while_it_is_there(world):
    m = walk(world, "forwarded")
    # The matter is now the department's: the office can see it but not accept it for them.
    with on(date(2026, 3, 10)), refused(m, Forbidden, "县人社局.*受理"):
        services.matter_accept(matter=m, actor=world.director)


def test_the_unit_above_cannot_act_for_the_responsible_unit(world):
    m = walk(world, "forwarded")
    with on(date(2026, 3, 10)), refused(m, Forbidden, "受理"):
        services.matter_accept(matter=m, actor=world.gov_lead)
