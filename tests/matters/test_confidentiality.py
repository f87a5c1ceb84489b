"""Who may know who accused whom (arts. 30, 46), and the logged reveal of ID numbers and phones."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import VALID_ID, person, register
from tests.factories import MembershipFactory
from tests.matters.flows import on, refused, walk
from xinfang.audit.models import AccessLog
from xinfang.matters import services
from xinfang.matters.errors import Forbidden, InvalidInput, NotFound
from xinfang.matters.models import Matter, MatterType, Petitioner
from xinfang.matters.selectors import get_matter_for_user, visible_matters
from xinfang.matters.services.petitioners import CONFIDENTIAL
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

SHOWN = ("张三", "永安镇", "138****8000", "1101**********0012")
WITHHELD = (CONFIDENTIAL,) * 4


def accusation(w, *, accused, to_unit=None) -> Matter:
    """An accusation registered at the county petition bureau, sent on to `to_unit`."""
    with on(date(2026, 3, 2)):
        m = register(
            w, type=MatterType.ACCUSATION, accused_units=accused, title="检举某单位负责人收受好处"
        )
        if to_unit is not None:
            m = services.matter_forward(matter=m, actor=w.registrar, to_unit=to_unit)
    return m


def seen_by(user, m: Matter) -> tuple[str, str, str, str]:
    (p,) = services.petitioners_for(user, m)
    return (p.name, p.address, p.phone, p.id_number)


# --- who sees the identity ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar", "director", "inspector", "discipline_lead"])
def test_the_registering_office_and_discipline_inspection_see_the_accuser(world, who):
    m = accusation(world, accused=[world.town], to_unit=world.discipline)
    assert seen_by(getattr(world, who), m) == SHOWN
    assert services.petitioners_for(getattr(world, who), m)[0].confidential is False


@pytest.mark.parametrize("who", ["handler", "unit_lead", "leader", "dept_registrar"])
def test_the_handling_department_does_not_see_the_accuser(world, who):
    m = accusation(world, accused=[world.town], to_unit=world.dept)
    user = getattr(world, who)
    assert get_matter_for_user(user, pk=m.pk) == m  # it sees the matter...
    assert seen_by(user, m) == WITHHELD  # ...but not who sent it
    assert services.petitioners_for(user, m)[0].confidential is True


def test_no_one_in_an_accused_unit_sees_the_accuser_whatever_their_role(world):
    m = accusation(world, accused=[world.town], to_unit=world.discipline)
    town_director = person("town_director", world.town, Role.DIRECTOR)
    # Also an inspector stationed in discipline inspection who belongs to the accused unit.
    inside_inspector = person("inside_inspector", world.discipline, Role.DISCIPLINE_INSPECTOR)
    MembershipFactory(user=inside_inspector, unit=world.town, role=Role.HANDLER)
    for user in (world.town_lead, town_director, inside_inspector):
        assert seen_by(user, m) == WITHHELD, user


def test_a_collective_accusation_hides_every_representative(world):
    with on(date(2026, 3, 2)):
        m = register(
            world,
            type=MatterType.ACCUSATION,
            accused_units=[world.town],
            petitioners=[services.PetitionerInput(name=f"代表{i}") for i in range(3)],
        )
        m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.dept)
    views = services.petitioners_for(world.handler, m)
    assert [v.name for v in views] == [CONFIDENTIAL] * 3
    assert [v.is_representative for v in views] == [True] * 3


def test_the_petitioner_of_other_matters_is_shown_masked_to_the_handling_unit(world):
    m = walk(world, "forwarded")
    assert seen_by(world.handler, m) == SHOWN


def test_an_anonymous_accusation_has_no_one_to_show(world):
    with on(date(2026, 3, 2)):
        m = register(world, type=MatterType.ACCUSATION, petitioners=[])
    assert services.petitioners_for(world.registrar, m) == []


# --- the accused unit does not see the matter at all ----------------------------------------


def test_an_accusation_cannot_be_forwarded_or_assigned_to_the_accused_unit(world):
    m = accusation(world, accused=[world.town, world.other])
    with on(date(2026, 3, 3)):
        for send in (services.matter_forward, services.matter_assign):
            for unit in (world.town, world.other):
                with refused(m, InvalidInput, "第四十六条"):
                    send(matter=m, actor=world.registrar, to_unit=unit)


def test_the_accused_unit_does_not_see_the_matter_even_with_a_wide_scope(world):
    # The county government is accused; its lead's scope covers the bureau that registered it.
    m = accusation(world, accused=[world.gov], to_unit=world.discipline)
    dept_director = person("dept_director", world.dept, Role.DIRECTOR)
    assert m not in visible_matters(world.gov_lead)
    assert m not in visible_matters(world.county_leader)
    with pytest.raises(NotFound):
        get_matter_for_user(world.gov_lead, pk=m.pk)
    # Someone with county-wide scope in another unit still sees it.
    assert m in visible_matters(dept_director)
    assert seen_by(dept_director, m) == WITHHELD


def test_a_county_wide_role_in_the_accused_unit_does_not_see_the_matter(world):
    m = accusation(world, accused=[world.dept], to_unit=world.discipline)
    dept_director = person("dept_director", world.dept, Role.DIRECTOR)
    assert m not in visible_matters(dept_director)
    with on(date(2026, 3, 4)), refused(m, NotFound):
        services.matter_accept(matter=m, actor=dept_director)


def test_an_office_that_registers_an_accusation_against_itself_may_pass_it_on(world):
    m = accusation(world, accused=[world.bureau])
    # It must still send it to discipline inspection, without learning who wrote.
    assert get_matter_for_user(world.registrar, pk=m.pk) == m
    assert seen_by(world.registrar, m) == WITHHELD
    with on(date(2026, 3, 3)):
        m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.discipline)
    assert seen_by(world.inspector, m) == SHOWN


# --- revealing ID numbers and phones --------------------------------------------------------


def test_revealing_an_id_number_returns_it_and_logs_who_looked(world):
    m = accusation(world, accused=[world.town], to_unit=world.discipline)
    p = m.petitioners.get()
    with on(date(2026, 3, 4)):
        number = services.petitioner_reveal(
            petitioner=p, actor=world.inspector, field="id_number", purpose=" 核实身份 "
        )
    assert number == VALID_ID
    log = AccessLog.objects.get()
    assert (log.user, log.matter, log.petitioner, log.field, log.purpose) == (
        world.inspector,
        m,
        p,
        "id_number",
        "核实身份",
    )
    with on(date(2026, 3, 4)):
        assert (
            services.petitioner_reveal(petitioner=p, actor=world.registrar, field="phone")
            == "13800138000"
        )
    assert AccessLog.objects.count() == 2  # every look is logged


def test_a_user_who_may_not_know_the_accuser_cannot_reveal_and_nothing_is_logged(world):
    m = accusation(world, accused=[world.town], to_unit=world.dept)
    p = m.petitioners.get()
    for field in ("id_number", "phone"):
        with refused(m, Forbidden, "第四十六条"):
            services.petitioner_reveal(petitioner=p, actor=world.unit_lead, field=field)
    assert AccessLog.objects.count() == 0


def test_a_user_who_cannot_see_the_matter_gets_not_found_and_nothing_is_logged(world):
    m = walk(world, "forwarded")
    with refused(m, NotFound):
        services.petitioner_reveal(
            petitioner=m.petitioners.get(), actor=world.outsider, field="phone"
        )
    assert AccessLog.objects.count() == 0


def test_the_handling_unit_may_reveal_the_phone_of_other_petitioners_logged(world):
    m = walk(world, "forwarded")
    assert (
        services.petitioner_reveal(
            petitioner=m.petitioners.get(), actor=world.handler, field="phone"
        )
        == "13800138000"
    )
    assert AccessLog.objects.get().user == world.handler


def test_revealing_a_detail_the_petitioner_did_not_give_is_refused(world):
    with on(date(2026, 3, 2)):
        m = register(world, petitioners=[services.PetitionerInput(name="李四")])
    p = m.petitioners.get()
    with refused(m, InvalidInput, "没有提供"):
        services.petitioner_reveal(petitioner=p, actor=world.registrar, field="id_number")
    with refused(m, InvalidInput, "身份证号码或电话号码"):
        services.petitioner_reveal(petitioner=p, actor=world.registrar, field="address")
    assert AccessLog.objects.count() == 0
    assert Petitioner.objects.get(pk=p.pk).id_sealed == ""
