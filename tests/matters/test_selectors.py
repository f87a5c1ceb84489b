"""Reads: which matters each user sees, the fetch-and-authorize helper, the unit worklist."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import person, register
from tests.matters.flows import on, walk
from xinfang.matters import services
from xinfang.matters.errors import NotFound
from xinfang.matters.models import Matter, MatterType
from xinfang.matters.selectors import (
    get_matter_for_user,
    is_visible,
    unit_worklist,
    visible_matters,
)
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def matters(world) -> SimpleNamespace:
    """One matter in each corner of the county, and one at the city."""
    w = world
    with on(date(2026, 3, 2)):
        at_dept = register(w, title="转人社局")
        at_dept = services.matter_forward(matter=at_dept, actor=w.registrar, to_unit=w.dept)
        direct = register(w, actor=w.dept_registrar, title="人社局直接登记")
        at_other = register(w, title="转住建局")
        at_other = services.matter_forward(matter=at_other, actor=w.registrar, to_unit=w.other)
        at_town = register(w, actor=w.town_lead, title="永安镇登记")
        at_city = register(w, actor=w.city_lead, title="市政府登记")
        at_bureau = register(w, title="仍在信访局")
        accusation = register(w, title="检举", type=MatterType.ACCUSATION, accused_units=[w.town])
        accusation = services.matter_forward(
            matter=accusation, actor=w.registrar, to_unit=w.discipline
        )
    return SimpleNamespace(
        at_dept=at_dept,
        direct=direct,
        at_other=at_other,
        at_town=at_town,
        at_city=at_city,
        at_bureau=at_bureau,
        accusation=accusation,
    )


def titles(user) -> set[str]:
    return set(visible_matters(user).values_list("title", flat=True))


COUNTY = {"转人社局", "人社局直接登记", "转住建局", "永安镇登记", "仍在信访局", "检举"}
EXPECTED = {
    # The petition office and the county-wide roles see everything in the county, not above.
    "registrar": COUNTY,
    "director": COUNTY,
    "supervisor": COUNTY,
    "auditor": COUNTY,
    # A department sees what it registered or was sent.
    "handler": {"转人社局", "人社局直接登记"},
    "unit_lead": {"转人社局", "人社局直接登记"},
    "leader": {"转人社局", "人社局直接登记"},
    "dept_registrar": {"转人社局", "人社局直接登记"},
    "outsider": {"转住建局"},
    "town_lead": {"永安镇登记"},
    # Discipline inspection sees the accusation sent to it and nothing else.
    "inspector": {"检举"},
    "discipline_lead": {"检举"},
    # The county government sees its own tree: every county unit except discipline inspection,
    # which sees the accusation through the bureau that registered it.
    "gov_lead": COUNTY,
    "county_leader": COUNTY,
    # The city sees the county government's tree and its own.
    "city_lead": COUNTY | {"市政府登记"},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_user_sees_exactly_the_matters_of_their_scope(world, matters, who):
    user = getattr(world, who)
    assert titles(user) == EXPECTED[who]
    # is_visible agrees with visible_matters, matter by matter.
    for m in Matter.objects.all():
        assert is_visible(user, m) == (m.title in EXPECTED[who]), m.title


def test_an_anonymous_user_or_a_user_without_a_unit_sees_nothing(world, matters):
    nobody = person("nobody", world.bureau)
    assert not visible_matters(AnonymousUser()).exists()
    assert not visible_matters(nobody).exists()
    assert not is_visible(nobody, matters.at_bureau)


def test_a_member_of_an_inactive_unit_sees_nothing_through_it(world, matters):
    world.other.is_active = False
    world.other.save(update_fields=["is_active"])
    assert titles(world.outsider) == set()


def test_the_review_and_re_review_units_see_the_matter(world):
    reviewer = person("reviewer", world.city, Role.HANDLER)
    m = walk(world, "re_review_requested")
    assert m.review_unit == world.gov and m.re_review_unit == world.city
    assert list(visible_matters(reviewer)) == [m]


def test_the_petition_office_finds_any_county_matter_by_number(world, matters):
    for user in (world.registrar, world.director):
        for m in (matters.at_dept, matters.direct, matters.at_town, matters.accusation):
            assert get_matter_for_user(user, number=m.number) == m
            assert get_matter_for_user(user, pk=m.pk) == m


def test_a_matter_outside_the_users_scope_is_not_found_by_id_or_number(world, matters):
    with pytest.raises(NotFound, match="没有找到该信访事项"):
        get_matter_for_user(world.outsider, pk=matters.at_dept.pk)
    with pytest.raises(NotFound, match="没有找到该信访事项"):
        get_matter_for_user(world.outsider, number=matters.at_dept.number)
    # Missing and forbidden read the same.
    with pytest.raises(NotFound, match="没有找到该信访事项"):
        get_matter_for_user(world.outsider, pk=10**9)


def test_the_petition_office_does_not_see_the_city_above_it(world, matters):
    with pytest.raises(NotFound):
        get_matter_for_user(world.director, pk=matters.at_city.pk)


def test_the_worklist_lists_a_units_open_matters_nearest_due_first(world):
    with on(date(2026, 3, 2)):
        first = register(world, actor=world.dept_registrar, title="先")
    with on(date(2026, 3, 5)):
        second = register(world, actor=world.dept_registrar, title="后")
        closed = register(world, actor=world.dept_registrar, title="结")
        closed = services.matter_decline(matter=closed, actor=world.unit_lead, reason="重复")
    with on(date(2026, 3, 3)):
        earlier_due = register(world, actor=world.dept_registrar, title="中")
    assert list(unit_worklist(world.dept.pk)) == [first, earlier_due, second]
    assert closed not in unit_worklist(world.dept.pk)
    assert not unit_worklist(world.other.pk).exists()
