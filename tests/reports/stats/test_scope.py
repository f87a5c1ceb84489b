"""The counting scope is visible_matters cut into disjoint parts: proved for every role."""

from __future__ import annotations

from itertools import combinations
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import at, person, register
from tests.matters.flows import walk
from xinfang.matters import services
from xinfang.matters.models import CoHandling, Matter, MatterType
from xinfang.matters.selectors import visible_matters
from xinfang.org.access import scope_unit_ids
from xinfang.org.models import Role
from xinfang.reports.stats.scope import counting_scope

USERS = [
    "registrar",
    "director",
    "supervisor",
    "auditor",
    "dept_registrar",
    "handler",
    "handler2",
    "unit_lead",
    "leader",
    "county_leader",
    "gov_lead",
    "city_lead",
    "inspector",
    "discipline_lead",
    "outsider",
    "town_lead",
]


@pytest.fixture
def mixed(world: SimpleNamespace) -> SimpleNamespace:
    """Matters reaching units in every way visible_matters knows."""
    w = world
    w.at_bureau = register(w)
    w.forwarded = services.matter_forward(matter=register(w), actor=w.registrar, to_unit=w.dept)
    w.to_town = services.matter_assign(matter=register(w), actor=w.registrar, to_unit=w.town)
    w.dept_own = register(w, actor=w.dept_registrar)
    co = services.matter_forward(matter=register(w), actor=w.registrar, to_unit=w.dept)
    co = services.matter_accept(matter=co, actor=w.unit_lead)
    w.co = services.matter_add_co_units(matter=co, actor=w.unit_lead, units=[w.other])
    w.walked = walk(w, "re_reviewed")  # reviewed by the county, re-reviewed by the city
    # Registered at the city, outside the county office's scope, handled in the county.
    w.from_city = services.matter_forward(
        matter=register(w, actor=w.city_lead), actor=w.city_lead, to_unit=w.dept
    )
    # Accusations: against the department, filed at the bureau, sent to discipline; one filed
    # at the department against itself; one against another bureau.
    w.acc_dept = services.matter_forward(
        matter=register(w, type=MatterType.ACCUSATION, accused_units=[w.dept]),
        actor=w.registrar,
        to_unit=w.discipline,
    )
    w.acc_own = register(
        w, actor=w.dept_registrar, type=MatterType.ACCUSATION, accused_units=[w.dept]
    )
    w.acc_other = services.matter_forward(
        matter=register(w, type=MatterType.ACCUSATION, accused_units=[w.other, w.gov]),
        actor=w.registrar,
        to_unit=w.discipline,
    )
    # Rows no service makes today but the scope must still count right: a city matter whose
    # review or re-review fell to a county unit, or that only a county unit co-handles.
    city_only = [register(w, actor=w.city_lead) for _ in range(4)]
    Matter.objects.filter(pk=city_only[0].pk).update(review_unit=w.gov)
    Matter.objects.filter(pk=city_only[1].pk).update(re_review_unit=w.town)
    Matter.objects.filter(pk=city_only[2].pk).update(review_unit=w.city, re_review_unit=w.gov)
    CoHandling.objects.create(matter=city_only[3], unit=w.other, added_at=at(2026, 11, 2))
    return w


def _ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.mark.parametrize("username", USERS)
def test_parts_are_disjoint_and_their_union_is_visible_matters(
    mixed: SimpleNamespace, username: str
) -> None:
    user = getattr(mixed, username)
    visible = _ids(visible_matters(user))
    scope = counting_scope(user)
    parts = [_ids(p) for p in scope.parts]
    for a, b in combinations(parts, 2):
        assert not a & b
    assert set().union(*parts) == visible
    # Counting adds the parts' counts: the same total as counting visible_matters.
    assert sum(p.count() for p in scope.parts) == visible_matters(user).count()


def test_the_county_office_reaches_matters_through_all_five_parts(mixed: SimpleNamespace) -> None:
    """Registered here; registered at the city and handled here; reviewed, re-reviewed or
    co-handled here only: every part holds a matter, so the proof above is not vacuous."""
    scope = counting_scope(mixed.registrar)
    assert len(scope.parts) == 5
    assert all(p.exists() for p in scope.parts)


@pytest.mark.parametrize("username", USERS)
def test_responsible_unit_filter_equals_visible_matters_of_that_unit(
    mixed: SimpleNamespace, username: str
) -> None:
    user = getattr(mixed, username)
    for unit_id in scope_unit_ids(user):
        scope = counting_scope(user, lead_unit_id=unit_id)
        counted = set().union(set(), *(_ids(p) for p in scope.parts))
        assert counted == _ids(visible_matters(user).filter(lead_unit_id=unit_id))


def test_a_unit_outside_the_scope_counts_nothing(mixed: SimpleNamespace) -> None:
    assert counting_scope(mixed.unit_lead, lead_unit_id=mixed.other.pk).parts == ()


def test_the_accused_department_counts_no_accusation_against_it(mixed: SimpleNamespace) -> None:
    for username in ("unit_lead", "handler", "leader"):
        counted = set().union(*(_ids(p) for p in counting_scope(getattr(mixed, username)).parts))
        assert mixed.acc_dept.pk not in counted
        # ...except the one its own registrar took in: it has to pass it on.
        assert mixed.acc_own.pk in counted


def test_when_every_unit_is_in_scope_one_part_without_unit_conditions(
    mixed: SimpleNamespace,
) -> None:
    # An administrator at the city sees the jurisdiction: every unit of the test world.
    admin = person("city_admin", mixed.city, Role.ADMIN)
    scope = counting_scope(admin)
    assert scope.everything and len(scope.parts) == 1
    assert _ids(scope.parts[0]) == _ids(visible_matters(admin)) == _ids(Matter.objects.all())
