"""Who may see which units (属地管理, 分级负责) and what each role may do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import person
from tests.factories import MembershipFactory
from xinfang.org.access import can, forget_memberships, memberships_of, roles_in, scope_unit_ids
from xinfang.org.models import Membership, Role

pytestmark = pytest.mark.django_db


def names(user) -> set[str]:
    from xinfang.org.models import Unit

    return set(Unit.objects.filter(id__in=scope_unit_ids(user)).values_list("name", flat=True))


COUNTY_UNITS = {
    "清河县人民政府",
    "清河县信访局",
    "县人社局",
    "县住建局",
    "县纪委监委",
    "永安镇政府",
}
GOV_TREE = COUNTY_UNITS - {"县纪委监委"}  # discipline inspection has no parent unit here


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # The petition office sees every unit of its jurisdiction, whatever the role.
        ("registrar", COUNTY_UNITS),
        ("director", COUNTY_UNITS),
        ("supervisor", COUNTY_UNITS),
        ("auditor", COUNTY_UNITS),
        # Other roles see their unit and the units below it.
        ("handler", {"县人社局"}),
        ("unit_lead", {"县人社局"}),
        ("outsider", {"县住建局"}),
        ("town_lead", {"永安镇政府"}),
        ("inspector", {"县纪委监委"}),
        ("gov_lead", GOV_TREE),
        ("city_lead", GOV_TREE | {"江州市人民政府"}),
    ],
)
def test_each_role_sees_the_units_of_its_scope(world, who, expected):
    assert names(getattr(world, who)) == expected


def test_a_county_wide_role_in_a_department_sees_the_whole_county(world):
    inspector_general = person("dept_supervisor", world.dept, Role.SUPERVISOR)
    assert names(inspector_general) == COUNTY_UNITS


def test_a_county_wide_role_in_a_township_sees_only_the_township(world):
    town_director = person("town_director", world.town, Role.DIRECTOR)
    assert names(town_director) == {"永安镇政府"}


def test_an_anonymous_user_has_no_scope_and_no_roles(world):
    anonymous = AnonymousUser()
    assert scope_unit_ids(anonymous) == frozenset()
    assert memberships_of(anonymous) == []
    assert not can(anonymous, "can_register", world.bureau.pk)


def test_memberships_in_an_inactive_unit_do_not_count(world):
    world.other.is_active = False
    world.other.save(update_fields=["is_active"])
    assert memberships_of(world.outsider) == []
    assert scope_unit_ids(world.outsider) == frozenset()


def test_memberships_are_cached_on_the_user_until_forgotten(world):
    assert not can(world.handler, "can_approve", world.dept.pk)
    MembershipFactory(user=world.handler, unit=world.dept, role=Role.UNIT_LEAD)
    assert not can(world.handler, "can_approve", world.dept.pk)  # the cached answer
    forget_memberships(world.handler)
    assert can(world.handler, "can_approve", world.dept.pk)


def test_roles_in_lists_the_memberships_of_one_unit(world):
    assert {m.role for m in roles_in(world.outsider, world.other.pk)} == {
        Role.HANDLER,
        Role.UNIT_LEAD,
    }
    assert roles_in(world.outsider, world.dept.pk) == []


CAPABILITIES = {
    # role: register, route, assign, handle, approve, record_for_petitioner, read_only
    Role.REGISTRAR: (1, 1, 0, 0, 0, 1, 0),
    Role.HANDLER: (0, 0, 0, 1, 0, 1, 0),
    Role.UNIT_LEAD: (1, 1, 1, 1, 1, 1, 0),
    Role.LEADER: (0, 0, 0, 0, 0, 0, 0),
    Role.SUPERVISOR: (0, 0, 0, 0, 0, 0, 1),
    Role.DISCIPLINE_INSPECTOR: (0, 0, 0, 0, 0, 0, 0),
    Role.DIRECTOR: (1, 1, 1, 1, 1, 1, 0),
    Role.AUDITOR: (0, 0, 0, 0, 0, 0, 1),
    Role.ADMIN: (0, 0, 0, 0, 0, 0, 0),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_capabilities(role):
    m = Membership(role=role)
    got = (
        m.can_register,
        m.can_route,
        m.can_assign,
        m.can_handle,
        m.can_approve,
        m.can_record_for_petitioner,
        m.is_read_only,
    )
    assert tuple(int(x) for x in got) == CAPABILITIES[role]


def test_a_capability_counts_only_in_the_unit_that_grants_it(world):
    assert can(world.unit_lead, "can_approve", world.dept.pk)
    assert not can(world.unit_lead, "can_approve", world.other.pk)
    assert not can(world.unit_lead, "can_approve", None)


def test_a_person_may_hold_several_roles(world):
    both = person("both", world.dept, Role.HANDLER, Role.LEADER)
    assert {m.role for m in memberships_of(both)} == {Role.HANDLER, Role.LEADER}
    assert can(both, "can_handle", world.dept.pk)
    assert not can(both, "can_approve", world.dept.pk)
