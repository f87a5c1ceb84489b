"""The stored due date is always the nearest running clock computed from the events."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import register
from tests.matters.flows import fresh, on, reply
from xinfang.deadlines.clocks import nearest_due
from xinfang.deadlines.models import CoveredYear
from xinfang.deadlines.services import (
    find_drift,
    holidays_load,
    matter_clocks,
    refresh_due,
)
from xinfang.matters import services
from xinfang.matters.models import Matter, ReviewOutcome

pytestmark = pytest.mark.django_db


def stored(m: Matter) -> tuple[str | None, bool]:
    m = fresh(m)
    return (m.due_date.isoformat() if m.due_date else None, m.calendar_warning)


def computed(m: Matter) -> str | None:
    due = nearest_due(matter_clocks(m))
    return due.isoformat() if due else None


def test_the_due_date_follows_every_step_of_the_lifecycle(world):
    w = world
    seen = []

    def check(m: Matter, expected: str | None) -> Matter:
        assert stored(m) == (expected, False)
        assert computed(m) == expected
        assert find_drift() == []
        seen.append(expected)
        return m

    with on(date(2026, 3, 2)):
        m = check(register(w), "2026-03-17")  # route: 15 days
    with on(date(2026, 3, 3)):
        m = check(
            services.matter_forward(matter=m, actor=w.registrar, to_unit=w.dept), "2026-03-18"
        )  # acceptance: 15 days
    with on(date(2026, 3, 4)):
        m = check(
            services.matter_accept(matter=m, actor=w.unit_lead), "2026-05-06"
        )  # handling: 60 days, over Labour Day
        m = check(
            services.matter_assign_owners(
                matter=m, actor=w.unit_lead, leader=w.leader, handler=w.handler
            ),
            "2026-05-06",
        )
        m = check(
            services.matter_add_co_units(matter=m, actor=w.unit_lead, units=[w.other]), "2026-05-06"
        )
    with on(date(2026, 4, 30)):
        m = check(
            services.matter_request_extension(
                matter=m, actor=w.handler, days=20, reason="需要调查"
            ),
            "2026-05-06",
        )
        m = check(
            services.matter_decide_extension(matter=m, actor=w.unit_lead, approve=True),
            "2026-05-25",
        )  # 4 March + 80 days = Sun 23 May: Mon 25 May
    with on(date(2026, 5, 20)):
        m = check(reply(w, m), None)  # the review window is the petitioner's
        services.matter_rate(matter=m, actor=None, rating="unsatisfied")
        m = check(m, None)
    with on(date(2026, 5, 22)):
        m = check(
            services.matter_request_review(matter=m, actor=None, reasons="不服"), "2026-06-22"
        )  # review: 30 days from Fri 22 May = Sun 21 June: Mon 22 June
    with on(date(2026, 6, 10)):
        m = check(
            services.matter_decide_review(
                matter=m, actor=w.gov_lead, outcome=ReviewOutcome.UPHELD, text="维持"
            ),
            None,
        )
    with on(date(2026, 6, 15)):
        m = check(
            services.matter_request_re_review(matter=m, actor=None, reasons="不服"), "2026-07-15"
        )
    with on(date(2026, 6, 25)):
        m = check(
            services.matter_record_hearing(
                matter=m, actor=w.city_lead, start=date(2026, 6, 22), end=date(2026, 6, 24)
            ),
            "2026-07-20",
        )
    with on(date(2026, 7, 1)):
        m = check(
            services.matter_decide_re_review(
                matter=m, actor=w.city_lead, outcome=ReviewOutcome.UPHELD, text="维持"
            ),
            None,
        )
        m = check(services.matter_close(matter=m, actor=w.registrar), None)
    assert len(seen) == 15


def test_drift_is_found_after_a_raw_update_and_cleared_by_refresh(world):
    with on(date(2026, 3, 2)):
        m = register(world)
        other = register(world)
    assert find_drift() == []
    Matter.objects.filter(pk=m.pk).update(due_date=date(2026, 12, 31))
    drift = find_drift()
    assert [(d.matter_id, d.number, d.stored, d.computed) for d in drift] == [
        (m.pk, m.number, date(2026, 12, 31), date(2026, 3, 17))
    ]
    assert find_drift(Matter.objects.filter(pk=other.pk)) == []
    assert refresh_due(fresh(m)) is True
    assert find_drift() == []
    assert refresh_due(fresh(m)) is False


def test_a_due_date_in_an_unpublished_year_is_flagged_until_the_schedule_is_loaded(world):
    # Registered Thu 17 Dec 2026: the route clock ends 1 Jan 2027. chinese_calendar 1.11 has no
    # 2027, so Friday 1 January is taken for a working day and the date is flagged as a guess.
    with on(date(2026, 12, 17)):
        m = register(world)
        within_2026 = register(world, received_at=date(2026, 12, 1))
    assert stored(m) == ("2027-01-01", True)
    assert stored(within_2026) == ("2026-12-16", False)
    # The administrator loads the 2027 schedule. (Test data standing in for the State Council's
    # notice, which is not out yet: New Year's Day off.)
    with on(date(2026, 12, 18)):
        moved = holidays_load(
            year=2027,
            days=[(date(2027, 1, 1), False, "元旦")],
            source="国办发明电〔2026〕示例号（测试数据）",
        )
    assert moved == 1
    assert CoveredYear.objects.get().year == 2027
    # 1 Jan is now a day off and 2-3 Jan a weekend: the period ends Mon 4 Jan, no longer a guess.
    assert stored(m) == ("2027-01-04", False)
    assert stored(within_2026) == ("2026-12-16", False)
    assert find_drift() == []
    # Later steps use the loaded calendar too.
    with on(date(2026, 12, 18)):
        m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.dept)
    assert stored(m) == ("2027-01-04", False)  # 18 Dec + 15 days = Sat 2 Jan: Mon 4 Jan
