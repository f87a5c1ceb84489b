"""Each metric on a hand-built set of matters, walked through the real services on given days.

The right answers are worked out in the comments from the regulation's rules: calendar-day
periods do not count the first day and roll forward off a day off; working-day periods count
working days only (2026: National Day 1-7 October off, Saturday 10 October an adjusted working
day 调休). "Today" is 20 November 2026 for every computation.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import register
from tests.reports.metrics.builders import TODAY, accepted, noon, rate, replied, reply, routed
from xinfang.deadlines.services import clock_rule_set, invalidate_caches, matter_clocks
from xinfang.matters import services
from xinfang.matters.models import Channel, Matter, ReviewOutcome
from xinfang.matters.selectors import visible_matters
from xinfang.org.access import scope_unit_ids
from xinfang.reports.metrics import MetricValue, Period, metrics_by_unit, scope_metrics
from xinfang.reports.metrics.selectors import (
    Item,
    candidates,
    collect_items,
    matter_items,
    metric_items,
)

pytestmark = pytest.mark.django_db

SEP, OCT, NOV = Period.month(2026, 9), Period.month(2026, 10), Period.month(2026, 11)
AUG = Period.month(2026, 8)


def figure(user, key: str, period: Period, unit=None) -> tuple[int, int, float | None]:
    values = {v.key: v for v in scope_metrics(user, period, unit, today=TODAY)}
    v = values[key]
    return v.numerator, v.denominator, v.rate


def listed(user, key: str, period: Period, unit=None) -> dict[str, set[tuple[int, str]]]:
    items = metric_items(user, key, period, unit, today=TODAY)
    out: dict[str, set[tuple[int, str]]] = {"counted": set(), "rest": set()}
    for item in items:
        out["counted" if item.counted else "rest"].add((item.matter_id, item.reason))
    return out


def test_timely_acceptance_with_a_working_day_clock_across_national_day(world):
    w = world
    # The acceptance clock (art. 23) as a local 5-working-day target; the route clock stays 15
    # calendar days (art. 22).
    clock_rule_set(office_id=None, key="acceptance", days=5, day_kind="working")
    invalidate_caches()

    # Forwarded Tue 29 Sep: working days Wed 30 Sep (1), [1-7 Oct off], Thu 8 (2), Fri 9 (3),
    # Sat 10 调休 (4), [Sun 11 off], Mon 12 (5): due Mon 12 Oct.
    w1 = routed(w, date(2026, 9, 28), date(2026, 9, 29))
    services.matter_accept(matter=w1, actor=w.unit_lead, at=noon(date(2026, 10, 12)))  # on time
    w2 = routed(w, date(2026, 9, 28), date(2026, 9, 29))
    services.matter_accept(matter=w2, actor=w.unit_lead, at=noon(date(2026, 10, 13)))  # 1 late
    # Forwarded Thu 1 Oct: 8, 9, 10 (调休), 12, 13: due Tue 13 Oct; never decided: overdue,
    # counted in October (its due date), 38 days late on 20 Nov.
    w3 = routed(w, date(2026, 9, 30), date(2026, 10, 1))
    # Forwarded Fri 23 Oct: 26, 27, 28, 29, 30: due Fri 30 Oct; accepted Mon 2 Nov, late: counted
    # in October (the due date comes first), not in November.
    w5 = routed(w, date(2026, 10, 22), date(2026, 10, 23))
    services.matter_accept(matter=w5, actor=w.unit_lead, at=noon(date(2026, 11, 2)))
    # Forwarded Wed 28 Oct: due Wed 4 Nov; accepted Fri 30 Oct: on time, counted in October.
    w6 = routed(w, date(2026, 10, 27), date(2026, 10, 28))
    services.matter_accept(matter=w6, actor=w.unit_lead, at=noon(date(2026, 10, 30)))
    # Forwarded Wed 18 Nov, due after today and undecided: pending, in no period.
    w4 = routed(w, date(2026, 11, 17), date(2026, 11, 18))
    # Registered Tue 1 Sep, route clock due Wed 16 Sep, forwarded Fri 9 Oct: the bureau was late
    # (counted in September). Acceptance: 10 (调休), 12, 13, 14, 15 Oct: due Thu 15 Oct, accepted
    # that very day: on time.
    r1 = routed(w, date(2026, 9, 1), date(2026, 10, 9))
    services.matter_accept(matter=r1, actor=w.unit_lead, at=noon(date(2026, 10, 15)))
    # Registered Thu 1 Oct, never routed: route clock due Fri 16 Oct, overdue (October).
    r2 = routed(w, date(2026, 10, 1))

    # Route clocks (bureau): w1, w2, r1 routed in Sep [w1, w2 on time; r1 late, due 16 Sep];
    # w3 (1 Oct), w5 (23 Oct), w6 (28 Oct) on time in Oct; r2 overdue in Oct; w4 in Nov.
    # Acceptance clocks (department), October: w1 ✓, w2 ✗ late, w3 ✗ overdue, w5 ✗ late, w6 ✓,
    # r1 ✓ (on its due date) = 3/6.
    assert figure(w.registrar, "timely_acceptance", OCT, w.bureau) == (3, 4, 0.75)
    assert figure(w.registrar, "timely_acceptance", OCT, w.dept) == (3, 6, 0.5)
    assert figure(w.registrar, "timely_acceptance", OCT) == (6, 10, 0.6)
    # September: route w1 ✓, w2 ✓, r1 ✗ = 2/3; the department had nothing due: no rate at all.
    assert figure(w.registrar, "timely_acceptance", SEP) == (2, 3, pytest.approx(2 / 3))
    assert figure(w.registrar, "timely_acceptance", SEP, w.dept) == (0, 0, None)
    # November: w4's route clock (stopped 18 Nov, on time); its acceptance clock is pending.
    assert figure(w.registrar, "timely_acceptance", NOV) == (1, 1, 1.0)

    # The drill-down lists exactly what was counted, with why.
    assert listed(w.registrar, "timely_acceptance", OCT, w.dept) == {
        "counted": {(w1.pk, "on_time"), (w6.pk, "on_time"), (r1.pk, "on_time")},
        "rest": {(w2.pk, "late"), (w3.pk, "overdue"), (w5.pk, "late")},
    }
    items = {
        i.matter_id: i
        for i in metric_items(w.registrar, "timely_acceptance", OCT, w.dept, today=TODAY)
    }
    # The deadlines app's own clock says the same (the matter page shows this one).
    acceptance = [c for c in matter_clocks(w2) if c.key == "acceptance"]
    assert [(c.due_on, c.stopped_on) for c in acceptance] == [
        (date(2026, 10, 12), date(2026, 10, 13))
    ]
    assert (items[w2.pk].due_on, items[w2.pk].done_on, items[w2.pk].days_late) == (
        date(2026, 10, 12),
        date(2026, 10, 13),
        1,
    )
    assert (items[w3.pk].due_on, items[w3.pk].done_on, items[w3.pk].days_late) == (
        date(2026, 10, 13),
        None,
        38,
    )
    assert (items[w5.pk].due_on, items[w5.pk].days_late) == (date(2026, 10, 30), 3)
    assert items[r1.pk].due_on == items[r1.pk].done_on == date(2026, 10, 15)
    assert listed(w.registrar, "timely_acceptance", OCT, w.bureau) == {
        "counted": {(w3.pk, "on_time"), (w5.pk, "on_time"), (w6.pk, "on_time")},
        "rest": {(r2.pk, "overdue")},
    }
    assert w4.pk not in {
        i.matter_id
        for i in metric_items(w.registrar, "timely_acceptance", NOV, w.dept, today=TODAY)
    }


def test_on_time_reply_with_approved_and_refused_extensions(world):
    w = world

    def extended(m: Matter, on: date, approve: bool) -> Matter:
        m = services.matter_request_extension(
            matter=m, actor=w.handler, days=30, reason="需要调查", at=noon(on)
        )
        return services.matter_decide_extension(
            matter=m, actor=w.unit_lead, approve=approve, note="理由不充分", at=noon(on)
        )

    # Accepted Wed 1 Jul: 60 days end Sun 30 Aug, a day off: due Mon 31 Aug. With the approved 30
    # days: 1 Jul + 90 = Tue 29 Sep. Replying on day 80 (Sat 19 Sep) is on time with the
    # extension (counted in September), 19 days late without it (counted on 31 Aug: August).
    e1 = extended(accepted(w, date(2026, 7, 1)), date(2026, 8, 20), approve=True)
    e1 = reply(w, e1, date(2026, 9, 19))
    e2 = reply(w, accepted(w, date(2026, 7, 1)), date(2026, 9, 19))
    e3 = extended(accepted(w, date(2026, 7, 1)), date(2026, 8, 20), approve=False)
    e3 = reply(w, e3, date(2026, 9, 19))
    # Accepted Fri 10 Jul: due Tue 8 Sep; replied that very day: on time.
    e4 = reply(w, accepted(w, date(2026, 7, 10)), date(2026, 9, 8))
    # Accepted Mon 20 Jul: due Fri 18 Sep; never replied: overdue, counted in September.
    e5 = accepted(w, date(2026, 7, 20))
    # Accepted Sun 1 Nov: due Thu 31 Dec: pending.
    e6 = accepted(w, date(2026, 11, 1))
    # Simplified handling, accepted Mon 28 Sep: 10 working days 29, 30 Sep, 8, 9, 10 (调休), 12,
    # 13, 14, 15, 16 Oct: due Fri 16 Oct; replied that day: on time, October.
    e7 = reply(w, accepted(w, date(2026, 9, 28), simplified=True), date(2026, 10, 16))

    assert figure(w.unit_lead, "on_time_reply", SEP) == (2, 3, pytest.approx(2 / 3))
    assert figure(w.unit_lead, "on_time_reply", AUG) == (0, 2, 0.0)
    assert figure(w.unit_lead, "on_time_reply", OCT) == (1, 1, 1.0)
    assert figure(w.unit_lead, "on_time_reply", NOV) == (0, 0, None)
    assert listed(w.unit_lead, "on_time_reply", SEP) == {
        "counted": {(e1.pk, "on_time"), (e4.pk, "on_time")},
        "rest": {(e5.pk, "overdue")},
    }
    assert listed(w.unit_lead, "on_time_reply", AUG) == {
        "counted": set(),
        "rest": {(e2.pk, "late"), (e3.pk, "late")},
    }
    items = {i.matter_id: i for i in metric_items(w.unit_lead, "on_time_reply", AUG, today=TODAY)}
    assert (items[e2.pk].due_on, items[e2.pk].done_on, items[e2.pk].days_late) == (
        date(2026, 8, 31),
        date(2026, 9, 19),
        19,
    )
    assert listed(w.unit_lead, "on_time_reply", OCT)["counted"] == {(e7.pk, "on_time")}
    every = {
        i.matter_id
        for p in (AUG, SEP, OCT, NOV)
        for i in metric_items(w.unit_lead, "on_time_reply", p, today=TODAY)
    }
    assert e6.pk not in every
    # A quarter is the sum of its months: Q3 = Aug + Sep (0/2 + 2/3); e7 falls in Q4.
    assert figure(w.unit_lead, "on_time_reply", Period.quarter(2026, 3)) == (2, 5, 0.4)


def test_rating_participation_and_satisfaction(world):
    w = world
    # Replied in October: q1 (rated satisfied 12 Oct), q2 (rated basically satisfied 2 Nov),
    # q3 (not rated). Replied in September: q4, rated unsatisfied on 3 Oct.
    q1 = replied(w, date(2026, 10, 10))
    rate(q1, "satisfied", date(2026, 10, 12))
    q2 = replied(w, date(2026, 10, 15))
    rate(q2, "basically", date(2026, 11, 2))
    q3 = replied(w, date(2026, 10, 20))
    q4 = replied(w, date(2026, 9, 25))
    rate(q4, "unsatisfied", date(2026, 10, 3))

    # Participation (first reply in the period, rated by today): Oct q1 ✓ q2 ✓ q3 ✗ = 2/3;
    # Sep q4 ✓ = 1/1.
    assert figure(w.registrar, "rating_participation", OCT) == (2, 3, pytest.approx(2 / 3))
    assert figure(w.registrar, "rating_participation", SEP) == (1, 1, 1.0)
    assert listed(w.registrar, "rating_participation", OCT) == {
        "counted": {(q1.pk, "rated"), (q2.pk, "rated")},
        "rest": {(q3.pk, "not_rated")},
    }
    # Satisfaction (ratings recorded in the period): Oct q1 satisfied, q4 unsatisfied = 1/2;
    # Nov q2 basically satisfied = 1/1; Sep no rating: none.
    assert figure(w.registrar, "satisfaction", OCT) == (1, 2, 0.5)
    assert figure(w.registrar, "satisfaction", NOV) == (1, 1, 1.0)
    assert figure(w.registrar, "satisfaction", SEP) == (0, 0, None)
    assert listed(w.registrar, "satisfaction", OCT) == {
        "counted": {(q1.pk, "satisfied")},
        "rest": {(q4.pk, "unsatisfied")},
    }


def test_first_time_resolution_and_repeat_rate(world):
    w = world
    # Replied Mon 10 Aug: review window (art. 35) to Wed 9 Sep; expired unused: resolved, Sep.
    f1 = replied(w, date(2026, 8, 10))
    # Replied Thu 20 Aug, review requested Tue 1 Sep: not resolved, Sep.
    f2 = replied(w, date(2026, 8, 20))
    services.matter_request_review(
        matter=f2, actor=w.registrar, reasons="仍未解决", at=noon(date(2026, 9, 1))
    )
    # Replied Tue 1 Sep, rated 2 Sep and closed Thu 3 Sep: the window ended at closing: resolved.
    f3 = replied(w, date(2026, 9, 1))
    rate(f3, "satisfied", date(2026, 9, 2))
    services.matter_close(matter=f3, actor=w.unit_lead, at=noon(date(2026, 9, 3)))
    # Replied Thu 10 Sep: 30 days end Sat 10 Oct, an adjusted working day (调休): the window
    # ends that day, in October, not rolled to Monday.
    f4 = replied(w, date(2026, 9, 10))
    # Accepted 1 Aug; the petitioner wrote again and the new letter was linked as a repeat on
    # 5 Aug (art. 19 ¶3); replied Wed 12 Aug, window to Fri 11 Sep: not resolved (repeat), Sep.
    f5 = accepted(w, date(2026, 8, 1))
    again = routed(w, date(2026, 8, 5))
    services.matter_link_repeat(
        matter=again, actor=w.registrar, original=f5, at=noon(date(2026, 8, 5))
    )
    f5 = reply(w, f5, date(2026, 8, 12))
    # Replied Tue 10 Nov: the window runs to 10 Dec: pending.
    f6 = replied(w, date(2026, 11, 10))

    # September: f1 ✓, f2 ✗ (review), f3 ✓, f5 ✗ (repeat) = 2/4. October: f4 ✓ = 1/1.
    assert figure(w.registrar, "first_time_resolution", SEP) == (2, 4, 0.5)
    assert listed(w.registrar, "first_time_resolution", SEP) == {
        "counted": {(f1.pk, "resolved"), (f3.pk, "resolved")},
        "rest": {(f2.pk, "review_requested"), (f5.pk, "repeated")},
    }
    assert figure(w.registrar, "first_time_resolution", OCT) == (1, 1, 1.0)
    assert listed(w.registrar, "first_time_resolution", OCT)["counted"] == {(f4.pk, "resolved")}
    assert {
        i.due_on for i in metric_items(w.registrar, "first_time_resolution", OCT, today=TODAY)
    } == {date(2026, 10, 10)}
    assert figure(w.registrar, "first_time_resolution", NOV) == (0, 0, None)
    assert f6.pk not in {
        i.matter_id
        for i in metric_items(w.registrar, "first_time_resolution", Period.year(2026), today=TODAY)
    }

    # Repeat rate (matters accepted in the period, with a repeat linked to them). Accepted (ten
    # days before the reply): f1 31 Jul, f2 10 Aug, f3 22 Aug, f4 31 Aug, f5 1 Aug, f6 31 Oct.
    # August: f2, f3, f4, f5, of which f5 was raised again = 1/4. July: f1 = 0/1.
    assert figure(w.registrar, "repeat_rate", AUG) == (1, 4, 0.25)
    assert listed(w.registrar, "repeat_rate", AUG)["counted"] == {(f5.pk, "repeated")}
    assert figure(w.registrar, "repeat_rate", Period.month(2026, 7)) == (0, 1, 0.0)


def test_review_outcomes(world):
    w = world

    def reviewed(reply_on: date, asked: date, decided: date, outcome: str) -> Matter:
        m = replied(w, reply_on)
        m = services.matter_request_review(
            matter=m, actor=w.registrar, reasons="不服", at=noon(asked)
        )
        return services.matter_decide_review(
            matter=m, actor=w.gov_lead, outcome=outcome, text="复查意见", at=noon(decided)
        )

    v1 = reviewed(date(2026, 9, 1), date(2026, 9, 10), date(2026, 10, 5), ReviewOutcome.UPHELD)
    v2 = reviewed(date(2026, 9, 1), date(2026, 9, 10), date(2026, 10, 8), ReviewOutcome.CHANGED)
    v3 = reviewed(date(2026, 8, 20), date(2026, 9, 1), date(2026, 9, 20), ReviewOutcome.UPHELD)
    v3 = services.matter_request_re_review(
        matter=v3, actor=w.registrar, reasons="不服复查", at=noon(date(2026, 9, 25))
    )
    services.matter_decide_re_review(
        matter=v3,
        actor=w.city_lead,
        outcome=ReviewOutcome.REVOKED,
        text="撤销",
        at=noon(date(2026, 10, 15)),
    )

    # October: review v1 upheld, review v2 changed, re-review v3 revoked = 1/3 upheld.
    # September: review v3 upheld = 1/1. All count for the department, whose reply was reviewed.
    assert figure(w.registrar, "review_upheld", OCT, w.dept) == (1, 3, pytest.approx(1 / 3))
    assert figure(w.registrar, "review_upheld", SEP) == (1, 1, 1.0)
    items = metric_items(w.registrar, "review_upheld", OCT, today=TODAY)
    assert {(i.matter_id, i.step, i.reason) for i in items} == {
        (v1.pk, "review", "upheld"),
        (v2.pk, "review", "changed"),
        (v3.pk, "re_review", "revoked"),
    }


def test_a_unit_sees_only_its_own_figures(world):
    w = world
    # One matter forwarded to the department, one to 县住建局 (another department), both
    # accepted on time in October.
    mine = routed(w, date(2026, 10, 5), date(2026, 10, 6))
    services.matter_accept(matter=mine, actor=w.unit_lead, at=noon(date(2026, 10, 8)))
    theirs = register(w, received_at=noon(date(2026, 10, 5)))
    theirs = services.matter_forward(
        matter=theirs, actor=w.registrar, to_unit=w.other, at=noon(date(2026, 10, 6))
    )
    services.matter_accept(matter=theirs, actor=w.outsider, at=noon(date(2026, 10, 9)))

    # The department's lead: its own acceptance clock only (the bureau's route clocks and the
    # other department's are not in its scope).
    assert figure(w.unit_lead, "timely_acceptance", OCT) == (1, 1, 1.0)
    assert [u for u, _ in metrics_by_unit(w.unit_lead, OCT, today=TODAY)] == [w.dept]
    assert {
        i.matter_id for i in metric_items(w.unit_lead, "timely_acceptance", OCT, today=TODAY)
    } == {mine.pk}
    # Asking for another unit's figures gives nothing, not its numbers.
    assert figure(w.unit_lead, "timely_acceptance", OCT, w.other) == (0, 0, None)
    assert metric_items(w.unit_lead, "timely_acceptance", OCT, w.other, today=TODAY) == []
    # The other department sees its own; the township sees nothing at all.
    assert figure(w.outsider, "timely_acceptance", OCT) == (1, 1, 1.0)
    assert all(v.rate is None for v in scope_metrics(w.town_lead, OCT, today=TODAY))
    # The bureau sees the county: two route clocks and two acceptance clocks, all on time.
    by_unit = dict(metrics_by_unit(w.registrar, OCT, today=TODAY))
    assert set(by_unit) == {w.bureau, w.dept, w.other}
    assert figure(w.registrar, "timely_acceptance", OCT) == (4, 4, 1.0)


def test_the_api_contract(world):
    p = Period.month(2026, 10)
    assert (p.start, p.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert p.previous() == Period.month(2026, 9)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period(date(2026, 10, 5), date(2026, 10, 14)).previous() == Period(
        date(2026, 9, 25), date(2026, 10, 4)
    )
    assert p.label == "2026年10月"
    values = scope_metrics(world.registrar, p, today=TODAY)
    assert [v.key for v in values] == [
        "timely_acceptance",
        "on_time_reply",
        "rating_participation",
        "satisfaction",
        "first_time_resolution",
        "repeat_rate",
        "review_upheld",
    ]
    for v in values:
        assert isinstance(v, MetricValue)
        assert (v.numerator, v.denominator, v.rate) == (0, 0, None)
        assert v.label and v.definition and v.article
        assert "条" in v.article or v.key == "satisfaction"


def brute_force(user, period: Period) -> set[Item]:
    """Every item of every visible matter, read without the candidate query's shortcuts."""
    scope = scope_unit_ids(user)
    out = set()
    for m in visible_matters(user):
        events = list(m.events.order_by("seq"))
        repeats = m.repeats.exists()
        for item in matter_items(m, events, has_repeats=repeats, today=TODAY):
            if item.unit_id in scope and period.start <= item.reckoned_on <= period.end:
                out.add(item)
    return out


def test_the_candidate_query_misses_nothing(world):
    """The same items as reading every matter, for every month of a varied set: overdue open
    matters (counted once, in the month they fell due), replied matters whose review window
    ran out with no later step, repeats, reviews."""
    w = world
    accepted(w, date(2026, 7, 20))  # handling due 18 Sep, never replied
    routed(w, date(2026, 6, 1))  # route clock due 16 Jun, never routed
    f = replied(w, date(2026, 8, 10))  # window to 9 Sep, nothing after
    rate(f, "satisfied", date(2026, 8, 12))
    g = accepted(w, date(2026, 8, 1))
    again = routed(w, date(2026, 8, 5))
    services.matter_link_repeat(
        matter=again, actor=w.registrar, original=g, at=noon(date(2026, 8, 5))
    )
    g = reply(w, g, date(2026, 8, 20))
    services.matter_request_review(
        matter=g, actor=w.registrar, reasons="不服", at=noon(date(2026, 9, 1))
    )
    for month in range(5, 12):
        period = Period.month(2026, month)
        for user in (w.registrar, w.unit_lead):
            found = collect_items(user, [period], today=TODAY)[period]
            assert len(found) == len(set(found))
            assert set(found) == brute_force(user, period), period
    assert collect_items(w.registrar, [SEP], today=TODAY)[SEP]  # not vacuous


def test_each_clock_counts_for_the_unit_that_owed_it(world):
    w = world
    # Registered Mon 5 Oct at the bureau, forwarded to the department Tue 6 Oct, which objects
    # (not competent) on Thu 8 Oct, within its 5 working days: its acceptance clock stopped on
    # time. The route clock starts again for the bureau (due 23 Oct), which forwards to 县住建局
    # on Fri 9 Oct (on time); 县住建局 accepts on Fri 30 Oct, its clock due Sat 24 Oct rolled to
    # Mon 26 Oct: 4 days late.
    m = routed(w, date(2026, 10, 5), date(2026, 10, 6))
    m = services.matter_object(
        matter=m, actor=w.unit_lead, reason="不属于本单位职责", at=noon(date(2026, 10, 8))
    )
    m = services.matter_forward(
        matter=m, actor=w.registrar, to_unit=w.other, at=noon(date(2026, 10, 9))
    )
    services.matter_accept(matter=m, actor=w.outsider, at=noon(date(2026, 10, 30)))

    items = metric_items(w.registrar, "timely_acceptance", OCT, today=TODAY)
    assert sorted((i.unit_id, i.step, i.reason, i.days_late) for i in items) == sorted(
        [
            (w.bureau.pk, "route", "on_time", None),  # 5 → 6 Oct
            (w.bureau.pk, "route", "on_time", None),  # 8 → 9 Oct, after the objection
            (w.dept.pk, "acceptance", "on_time", None),  # objected 8 Oct
            (w.other.pk, "acceptance", "late", 4),  # due 26 Oct, accepted 30 Oct
        ]
    )
    # The department's figure holds its own clock, though the matter is now 县住建局's...
    assert figure(w.registrar, "timely_acceptance", OCT, w.dept) == (1, 1, 1.0)
    # ...in the view of those who may still see the matter: the department itself no longer
    # may (it went elsewhere), and figures are only ever read from visible matters.
    assert figure(w.unit_lead, "timely_acceptance", OCT) == (0, 0, None)
    assert figure(w.registrar, "timely_acceptance", OCT, w.other) == (0, 1, 0.0)


def test_a_local_first_visit_clock_does_not_hide_the_handling_clock(world):
    w = world
    # The local first-visit target (7 working days) switched on: it runs beside the 60-day
    # handling clock, so the matter's stored nearest due date is the first-visit one.
    clock_rule_set(office_id=None, key="first_visit", days=7, day_kind="working", enabled=True)
    invalidate_caches()
    m = routed(w, date(2026, 6, 29), date(2026, 6, 30), channel=Channel.VISIT)
    m = services.matter_accept(matter=m, actor=w.unit_lead, at=noon(date(2026, 7, 1)))
    assert Matter.objects.get(pk=m.pk).due_date == date(2026, 7, 10)  # 7 working days
    # Handling: 1 Jul + 60 = Sun 30 Aug → Mon 31 Aug, never replied: missed, in August.
    assert figure(w.registrar, "on_time_reply", AUG) == (0, 1, 0.0)
    assert set(collect_items(w.registrar, [AUG], today=TODAY)[AUG]) == brute_force(w.registrar, AUG)


def test_matters_with_the_same_timeline_each_count_once(world):
    w = world
    june = Period.month(2026, 6)
    # Three matters registered on Mon 1 Jun and never routed: the same clocks (route, due 1 Jun
    # + 15 = Tue 16 Jun), so each is an overdue route clock of the bureau in June, under its own
    # id (they are worked out once and copied).
    ms = [routed(w, date(2026, 6, 1)) for _ in range(3)]
    # A step that gives no figure (the category corrected on 2 Sep) and a matter registered on
    # 25 Sep (route due 10 Oct) give nothing in September: neither is read for it.
    services.matter_classify(
        matter=ms[0], actor=w.registrar, type="suggestion", at=noon(date(2026, 9, 2))
    )
    routed(w, date(2026, 9, 25))
    items = metric_items(w.registrar, "timely_acceptance", june, today=TODAY)
    assert sorted(i.matter_id for i in items) == sorted(m.pk for m in ms)
    assert {(i.reason, i.unit_id, i.due_on, i.days_late) for i in items} == {
        ("overdue", w.bureau.pk, date(2026, 6, 16), (TODAY - date(2026, 6, 16)).days)
    }
    assert collect_items(w.registrar, [SEP], today=TODAY)[SEP] == []
    assert not candidates(w.registrar, SEP, None).exists()
    for period in (june, SEP, OCT):
        found = collect_items(w.registrar, [period], today=TODAY)[period]
        assert len(found) == len(set(found)) and set(found) == brute_force(w.registrar, period)
