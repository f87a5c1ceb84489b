from __future__ import annotations

import time_machine

from tests.conftest import at, register
from xinfang.audit.chain import verify_all
from xinfang.deadlines.services import find_drift, matter_clocks
from xinfang.matters import services
from xinfang.matters.models import Decision, ReviewOutcome, State


def test_a_matter_goes_the_whole_way_from_registration_to_final_re_review(world):
    w = world
    with time_machine.travel(at(2026, 3, 2), tick=False):
        m = register(w)
    assert m.number == "清信〔2026〕1号"
    assert m.due_date.isoformat() == "2026-03-17"
    with time_machine.travel(at(2026, 3, 3), tick=False):
        m = services.matter_forward(matter=m, actor=w.registrar, to_unit=w.dept)
    with time_machine.travel(at(2026, 3, 4), tick=False):
        m = services.matter_accept(matter=m, actor=w.unit_lead)
        m = services.matter_assign_owners(
            matter=m, actor=w.unit_lead, leader=w.leader, handler=w.handler
        )
        assert m.state == State.IN_HANDLING
        m = services.matter_request_extension(
            matter=m, actor=w.handler, days=30, reason="需要调查取证"
        )
        m = services.matter_decide_extension(matter=m, actor=w.unit_lead, approve=True)
    handling = [c for c in matter_clocks(m) if c.key == "handling"][-1]
    assert handling.extra_days == 30
    with time_machine.travel(at(2026, 4, 20), tick=False):
        m = services.matter_reply(
            matter=m,
            actor=w.handler,
            text="已督促支付",
            decision=Decision.SUPPORT,
            basis="《劳动合同法》第三十条",
        )
    with time_machine.travel(at(2026, 5, 10), tick=False):
        m = services.matter_request_review(matter=m, actor=w.registrar, reasons="仍未足额支付")
        assert m.review_unit == w.gov
        m = services.matter_decide_review(
            matter=m, actor=w.gov_lead, outcome=ReviewOutcome.UPHELD, text="维持"
        )
    with time_machine.travel(at(2026, 5, 20), tick=False):
        m = services.matter_request_re_review(matter=m, actor=None, reasons="不服")
        assert m.re_review_unit == w.city
        m = services.matter_decide_re_review(
            matter=m, actor=w.city_lead, outcome=ReviewOutcome.UPHELD, text="维持"
        )
        m = services.matter_close(matter=m, actor=w.registrar)
    assert m.state == State.CLOSED and m.is_final
    assert [e.kind for e in m.events.all()][:3] == ["registered", "forwarded", "accepted"]
    assert verify_all() == []
    assert find_drift() == []
