"""Repeat detection (art. 19 ¶3): the same person's same matter, in other words, is found; a
different matter of the same person, or the same words from someone else, is not."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import VALID_ID, register
from tests.matters.flows import walk
from xinfang.matters.models import Matter, MatterType
from xinfang.matters.selectors import visible_matters
from xinfang.matters.services import PetitionerInput
from xinfang.routing import suggest
from xinfang.routing.models import Indexed
from xinfang.routing.services import indexing
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


ACCUSATION = "检举县人社局某科长在办理工伤认定时收受宏达机械厂老板红包两万元，帮其压下工伤案件。"
ACCUSATION_AGAIN = (
    "再次检举：县人社局那位科长收了宏达机械厂老板两万元红包，工伤认定至今被压着不办。"
)


def test_who_filed_an_accusation_is_not_revealed_to_the_units_it_reached(
    world: SimpleNamespace,
) -> None:
    """A handler of a department an accusation was forwarded to must not learn, by testing a
    suspect's identifiers, whether that person filed it (arts. 30, 46)."""
    accusation = walk(
        world,
        "forwarded",
        type=MatterType.ACCUSATION,
        accused_units=[world.town],
        title="检举收受红包",
        content=ACCUSATION,
    )
    assert accusation.lead_unit_id == world.dept.pk
    for user in (world.handler, world.unit_lead):
        assert visible_matters(user).filter(pk=accusation.pk).exists()  # the matter, yes
        for who in (me(), PetitionerInput(name="张三", address="永安镇")):
            found = find_repeats(user=user, petitioners=[who], title="", content=ACCUSATION_AGAIN)
            assert found == [], user.username
    # The registering office, which may see who filed it, is still told of the repeat.
    found = find_repeats(
        user=world.registrar, petitioners=[me()], title="", content=ACCUSATION_AGAIN
    )
    assert [c.matter for c in found] == [accusation]


def test_a_matter_that_cannot_be_indexed_breaks_no_look_up(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Indexing helps registrars; when it fails for one matter, the look-ups that catch up
    on the way (the registration form's repeat check) still answer, and it is logged."""
    broken = register(
        world,
        content=NOISE,
        petitioners=[PetitionerInput(name="李四", phone="13900139000", address="白沙乡")],
    )
    original = register(world, content=WAGES)
    real = indexing.subject_of

    def subject_of(matter: Matter) -> str:
        if matter.pk == broken.pk:
            raise RuntimeError("indexing failed")
        return real(matter)

    monkeypatch.setattr(indexing, "subject_of", subject_of)
    found = find_repeats(user=world.registrar, petitioners=[me()], title="", content=WAGES_AGAIN)
    assert [c.matter for c in found] == [original]
    assert "routing index of matter" in caplog.text and "indexing failed" in caplog.text
    assert not Indexed.objects.filter(matter=broken).exists()
    monkeypatch.undo()
    # The next look-up tries again.
    assert indexing.catch_up() == 1 and Indexed.objects.filter(matter=broken).exists()


def test_matters_the_user_cannot_see_do_not_crowd_out_one_they_can(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look-up reads a bounded number of index rows: only open matters the user may see
    count towards it, newest first."""
    monkeypatch.setattr(suggest, "MAX_KEY_MATCHES", 2)
    for _ in range(3):  # registered at the bureau: the department cannot see them
        register(world, content=WAGES)
    mine = register(world, actor=world.dept_registrar, content=WAGES)
    found = find_repeats(
        user=world.dept_registrar, petitioners=[me()], title="", content=WAGES_AGAIN
    )
    assert [c.matter for c in found] == [mine]
