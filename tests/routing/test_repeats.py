"""Repeat detection (art. 19 ¶3): the same person's same matter, in other words, is found; a
different matter of the same person, or the same words from someone else, is not."""

from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import VALID_ID, register
from tests.matters.flows import walk
from xinfang.matters.services import PetitionerInput
from xinfang.routing.suggest import find_repeats

WAGES = "宏达机械厂拖欠我三个月工资共一万二千元，老板说厂里没钱，一直不给，请求帮忙追讨。"
WAGES_AGAIN = (
    "上个月写信反映宏达机械厂欠薪的事，到现在工资还是没拿到。我在厂里做焊工，"
    "三个月工钱一万二，老板又说要等年底。这次补充一下：厂里还有十几个工友也没发工资。"
)
NOISE = "我家楼下的饭店每天夜里油烟和噪音扰民，多次反映没人管，请城管处理。"


def me(**kw: str) -> PetitionerInput:
    base = {"name": "张三", "phone": "13800138000", "id_number": VALID_ID, "address": "永安镇"}
    base.update(kw)
    return PetitionerInput(**base)


def test_a_repeat_in_different_words_by_another_channel_is_found(world: SimpleNamespace) -> None:
    original = register(world, title="工资被拖欠", content=WAGES, channel="letter")
    found = find_repeats(
        user=world.registrar, petitioners=[me()], title="再次反映欠薪", content=WAGES_AGAIN
    )
    assert [c.matter for c in found] == [original]
    assert "同一身份证号" in found[0].reasons and "同一联系电话" in found[0].reasons


def test_found_by_phone_alone_and_by_name_with_address(world: SimpleNamespace) -> None:
    original = register(world, content=WAGES)
    by_phone = find_repeats(
        user=world.registrar,
        petitioners=[PetitionerInput(name="张叁", phone="138-0013-8000")],
        title="",
        content=WAGES_AGAIN,
    )
    assert [c.matter for c in by_phone] == [original]
    by_name = find_repeats(
        user=world.registrar,
        petitioners=[PetitionerInput(name="张 三", address="永安镇")],
        title="",
        content=WAGES_AGAIN,
    )
    assert [c.matter for c in by_name] == [original]
    assert "姓名和地址相同" in by_name[0].reasons


def test_a_different_matter_of_the_same_person_is_not_linked(world: SimpleNamespace) -> None:
    register(world, content=WAGES)
    assert find_repeats(user=world.registrar, petitioners=[me()], title="", content=NOISE) == []


def test_the_same_words_from_someone_else_are_not_a_repeat(world: SimpleNamespace) -> None:
    register(world, content=WAGES)
    other = PetitionerInput(name="李四", phone="13900139000", address="白沙乡")
    assert find_repeats(user=world.registrar, petitioners=[other], title="", content=WAGES) == []


def test_only_open_matters_the_user_may_see(world: SimpleNamespace) -> None:
    original = register(world, content=WAGES)
    # Someone who cannot see the matter is not told it exists.
    assert find_repeats(user=world.outsider, petitioners=[me()], title="", content=WAGES) == []
    # The matter being registered itself is left out.
    assert (
        find_repeats(
            user=world.registrar, petitioners=[me()], title="", content=WAGES, exclude=original
        )
        == []
    )
    closed = walk(world, "replied")  # answered: the office owes nothing more
    found = find_repeats(
        user=world.registrar, petitioners=[me()], title=closed.title, content=closed.content
    )
    assert closed not in [c.matter for c in found]


def test_no_identity_no_candidates(world: SimpleNamespace) -> None:
    register(world, content=WAGES)
    anonymous = PetitionerInput(name="匿名")
    assert (
        find_repeats(user=world.registrar, petitioners=[anonymous], title="", content=WAGES) == []
    )
