"""matter_register: channels, petitioners, bad input, who may register."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import VALID_ID, at, person, register
from tests.matters.flows import REGISTERED_ON, on
from xinfang.matters.errors import Forbidden, InvalidInput
from xinfang.matters.models import (
    Attachment,
    Channel,
    Event,
    Matter,
    MatterType,
    NumberSequence,
    Petitioner,
    State,
)
from xinfang.matters.services import PetitionerInput
from xinfang.matters.services._core import keyring
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    with on(REGISTERED_ON):
        yield


def assert_nothing_registered() -> None:
    assert Matter.objects.count() == 0
    assert Petitioner.objects.count() == 0
    assert Event.objects.count() == 0
    assert NumberSequence.objects.count() == 0
    assert Attachment.objects.count() == 0


# --- channels -------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [c for c in Channel.values if c != Channel.TRANSFERRED])
def test_registering_by_each_channel_at_the_petition_office_starts_the_routing_clock(
    world, today, channel
):
    m = register(world, channel=channel)
    assert (m.channel, m.state, m.office, m.lead_unit) == (
        channel,
        State.REGISTERED,
        world.bureau,
        world.bureau,
    )
    assert m.number == "清信〔2026〕1号"
    assert len(m.query_code) == 12
    event = m.events.get()
    assert (event.kind, event.to_state, event.actor, event.actor_unit) == (
        "registered",
        State.REGISTERED,
        world.registrar,
        world.bureau,
    )
    assert event.data == {"at_office": True, "channel": channel}
    # Art. 22: forward or assign within 15 days.
    assert m.due_date.isoformat() == "2026-03-17"


def test_a_transfer_from_above_is_registered_with_its_reference(world, today):
    m = register(world, channel=Channel.TRANSFERRED, source_reference=" 江信转〔2026〕12号 ")
    assert m.channel == Channel.TRANSFERRED
    assert m.source_reference == "江信转〔2026〕12号"


@pytest.mark.parametrize("reference", ["", "   "])
def test_a_transfer_from_above_without_its_reference_is_refused(world, today, reference):
    with pytest.raises(InvalidInput, match="文号") as info:
        register(world, channel=Channel.TRANSFERRED, source_reference=reference)
    assert info.value.field == "source_reference"
    assert_nothing_registered()


def test_a_body_registering_a_matter_directly_starts_the_acceptance_clock(world, today):
    m = register(world, actor=world.dept_registrar)
    assert (m.office, m.lead_unit, m.number) == (world.dept, world.dept, "清人社〔2026〕1号")
    assert m.events.get().data["at_office"] is False
    # Art. 23 ¶2: tell the petitioner within 15 days.
    assert m.due_date.isoformat() == "2026-03-17"


def test_registration_records_when_the_letter_arrived_not_when_it_was_typed_in(world, today):
    m = register(world, received_at=at(2026, 2, 26, 9))
    assert m.received_at == at(2026, 2, 26, 9)
    assert m.registered_at == at(2026, 3, 2)
    assert m.events.get().occurred_at == at(2026, 2, 26, 9)
    assert m.due_date.isoformat() == "2026-03-13"  # 15 days from receipt


def test_title_defaults_to_the_start_of_the_content(world, today):
    content = "  村里道路损坏多年\n无人维修，请求尽快修复道路以便出行  "
    m = register(world, title="", content=content)
    assert m.title == "村里道路损坏多年 无人维修，请求尽快修复道路以便出行"[:30]


# --- petitioners ----------------------------------------------------------------------------


def test_petitioner_identifiers_are_stored_sealed_hashed_and_masked(world, today):
    m = register(
        world,
        petitioners=[
            PetitionerInput(name=" 张三 ", phone="+86 138-0013-8000", id_number=VALID_ID.lower())
        ],
    )
    p = m.petitioners.get()
    assert p.name == "张三"
    assert (p.phone_masked, p.id_masked) == ("138****8000", "1101**********0012")
    ring = keyring()
    assert ring.unseal(p.phone_sealed) == "13800138000"
    assert ring.unseal(p.id_sealed) == VALID_ID
    assert p.id_hash == ring.match_hash("id", VALID_ID)
    assert p.phone_hash == ring.match_hash("phone", "13800138000")
    # Nothing in clear text anywhere on the row.
    assert VALID_ID not in p.id_sealed and "13800138000" not in p.phone_sealed
    assert not p.is_representative and not m.is_collective


def test_a_collective_visit_marks_its_representatives_and_keeps_the_head_count(world, today):
    people = [PetitionerInput(name=f"代表{i}") for i in range(1, 6)]
    m = register(world, channel=Channel.VISIT, petitioners=people, head_count=40)
    assert m.is_collective and m.head_count == 40
    assert list(m.petitioners.values_list("position", "is_representative")) == [
        (i, True) for i in range(1, 6)
    ]


def test_an_accusation_may_be_anonymous(world, today):
    m = register(world, type=MatterType.ACCUSATION, petitioners=[])
    assert m.petitioners.count() == 0
    assert m.head_count == 1


def test_a_matter_other_than_an_accusation_needs_a_petitioner(world, today):
    with pytest.raises(InvalidInput, match="匿名"):
        register(world, petitioners=[])
    assert_nothing_registered()


# --- bad input: a clear error, and nothing written, not even a number -------------------------

BAD_ID_NUMBERS = {
    "bad check digit": ("110101197003070013", "校验位"),
    "bad birth date": ("110101197002300015", "出生日期"),  # 30 February, valid check digit
    "future birth date": ("110101203001010014", "出生日期"),
    "born before 1900": ("11010118991231001X", "出生日期"),
    "too short": ("11010119700307001", "18位"),
    "too long": ("1101011970030700121", "18位"),
    "letters": ("11010119700307001A", "18位"),
}


@pytest.mark.parametrize("case", BAD_ID_NUMBERS, ids=list(BAD_ID_NUMBERS))
def test_an_invalid_id_number_is_refused_and_nothing_is_registered(world, today, case):
    number, reason = BAD_ID_NUMBERS[case]
    with pytest.raises(InvalidInput, match=reason) as info:
        register(world, petitioners=[PetitionerInput(name="张三", id_number=number)])
    assert "张三" in info.value.message and info.value.field == "petitioners"
    assert_nothing_registered()


BAD_INPUT = {
    "six representatives": (
        {"petitioners": [PetitionerInput(name=f"代表{i}") for i in range(6)]},
        "不超过5人",
        "petitioners",
    ),
    "empty content": ({"content": ""}, "内容", "content"),
    "whitespace content": ({"content": " \n\t "}, "内容", "content"),
    "received in the future": (
        {"received_at": at(2026, 3, 3)},
        "不能晚于当前时间",
        None,
    ),
    "unknown channel": ({"channel": "pigeon"}, "信访形式", "channel"),
    "unknown type": ({"type": "gossip"}, "类型", "type"),
    "head count below the representatives": (
        {
            "petitioners": [
                PetitionerInput(name="甲"),
                PetitionerInput(name="乙"),
                PetitionerInput(name="丙"),
            ],
            "head_count": 2,
        },
        "人数",
        "head_count",
    ),
    "head count zero": ({"head_count": 0}, "人数", "head_count"),
    "accused units on a request": (
        {"type": MatterType.REQUEST, "accused_units": "dept"},
        "检举控告",
        "accused_units",
    ),
    "nameless petitioner": ({"petitioners": [PetitionerInput(name="  ")]}, "姓名", "petitioners"),
    "bad phone": (
        {"petitioners": [PetitionerInput(name="张三", phone="call me")]},
        "电话",
        "petitioners",
    ),
    "title too long": ({"title": "长" * 201}, "标题", "title"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_refused_with_a_clear_message_and_consumes_no_number(world, today, case):
    overrides, message, field = BAD_INPUT[case]
    if overrides.get("accused_units") == "dept":
        overrides = {**overrides, "accused_units": [world.dept]}
    with pytest.raises(InvalidInput, match=message) as info:
        register(world, **overrides)
    if field is not None:
        assert info.value.field == field
    assert_nothing_registered()
    # The number was not consumed: the next good registration is still number 1.
    m = register(world)
    assert (m.seq, m.number) == (1, "清信〔2026〕1号")


def test_a_phone_number_without_digits_is_refused(world, today):
    with pytest.raises(InvalidInput, match="电话"):
        register(world, petitioners=[PetitionerInput(name="张三", phone="+++++")])
    assert_nothing_registered()


# --- who may register -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["handler", "leader", "auditor", "supervisor", "inspector"])
def test_a_user_without_a_registering_role_cannot_register(world, today, who):
    with pytest.raises(Forbidden, match="登记"):
        register(world, actor=getattr(world, who))
    assert_nothing_registered()


def test_registering_for_an_office_the_user_does_not_belong_to_is_refused(world, today):
    with pytest.raises(Forbidden, match="县人社局"):
        register(world, actor=world.registrar, office=world.dept)
    assert_nothing_registered()


def test_a_registrar_of_two_offices_must_choose_one(world, today):
    both = person("both", world.bureau, Role.REGISTRAR)
    from tests.factories import MembershipFactory

    MembershipFactory(user=both, unit=world.town, role=Role.REGISTRAR)
    with pytest.raises(InvalidInput, match="选择登记单位"):
        register(world, actor=both)
    assert_nothing_registered()
    m = register(world, actor=both, office=world.town)
    assert m.number == "永安〔2026〕1号"


# --- clock skew ---------------------------------------------------------------------------


def test_received_at_a_minute_ahead_of_the_server_clock_is_tolerated(world, today):
    # App servers' clocks drift a little; two minutes of slack.
    m = register(world, received_at=timezone.now() + timedelta(minutes=1))
    assert m.state == State.REGISTERED
