"""matter_classify: type, category and region corrected before acceptance, as one event."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.conftest import register
from tests.matters.flows import refused, walk
from xinfang.audit.chain import verify_all
from xinfang.deadlines.services import find_drift
from xinfang.matters import services
from xinfang.matters.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from xinfang.matters.models import Category, Event, EventKind, MatterType, State


@pytest.fixture
def labour(db):
    return Category.objects.create(name="劳动与社会保障")


def test_a_registrar_sets_the_category_and_corrects_the_type(world, labour):
    m = register(world, type=MatterType.SUGGESTION)
    version = m.version

    with translation.override("en"):  # the record stays Chinese whatever the actor's language
        m = services.matter_classify(
            matter=m,
            actor=world.registrar,
            type=MatterType.REQUEST,
            category=labour,
            region=world.township,
            expected_version=version,
        )

    m.refresh_from_db()
    assert (m.type, m.category, m.region, m.state) == (
        MatterType.REQUEST,
        labour,
        world.township,
        State.REGISTERED,
    )
    assert m.version == version + 1
    event = Event.objects.get(matter=m, kind=EventKind.CLASSIFIED)
    assert event.text == "类型：建议意见→申诉求决；类别：未分类→劳动与社会保障；地区：未填→永安镇"
    assert event.data == {
        "type": ["suggestion", "request"],
        "category": [None, labour.pk],
        "region": [None, world.township.pk],
    }
    assert event.is_public is False
    assert event.actor == world.registrar and event.actor_unit == world.bureau
    assert verify_all() == [] and find_drift() == []


def test_the_receiving_unit_may_correct_it_before_accepting(world, labour):
    m = walk(world, "forwarded")
    m = services.matter_classify(matter=m, actor=world.unit_lead, category=labour)
    assert m.category == labour and m.state == State.FORWARDED


def test_nothing_to_change_is_refused(world, labour):
    m = register(world, category=labour)
    with refused(m, InvalidInput, "分类没有变化"):
        services.matter_classify(matter=m, actor=world.registrar, category=labour)


def test_an_accusation_keeps_its_type(world):
    m = register(world, type=MatterType.ACCUSATION, accused_units=[world.town])
    with refused(m, InvalidInput, "检举控告事项不能改为其他类型"):
        services.matter_classify(matter=m, actor=world.registrar, type=MatterType.REQUEST)


def test_an_unknown_type_or_an_inactive_category_is_refused(world):
    m = register(world)
    with refused(m, InvalidInput, "请选择信访事项类型"):
        services.matter_classify(matter=m, actor=world.registrar, type="rumour")
    old = Category.objects.create(name="旧类别", is_active=False)
    with refused(m, InvalidInput, "该类别已停用"):
        services.matter_classify(matter=m, actor=world.registrar, category=old)


def test_after_acceptance_it_is_refused(world, labour):
    m = walk(world, "accepted")
    with refused(m, InvalidState):
        services.matter_classify(matter=m, actor=world.unit_lead, category=labour)


def test_who_may_not(world, labour):
    m = register(world)
    with refused(m, NotFound):  # another unit does not see the matter at all
        services.matter_classify(matter=m, actor=world.dept_registrar, category=labour)
    with refused(m, Forbidden):  # read-only in the office
        services.matter_classify(matter=m, actor=world.auditor, category=labour)


def test_a_stale_version_is_refused(world, labour):
    m = register(world)
    stale = m.version
    services.matter_classify(matter=m, actor=world.registrar, type=MatterType.SUGGESTION)
    with refused(m, Conflict):
        services.matter_classify(
            matter=m, actor=world.registrar, category=labour, expected_version=stale
        )
