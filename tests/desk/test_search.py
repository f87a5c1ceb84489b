"""Chinese full-text search: any substring of two or more characters, in the database's index."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import register
from xinfang.desk import search
from xinfang.matters.models import Matter

COMPANY = "清河县宏达建材有限公司"
CONTENT = (
    f"永安镇双井村村民反映，{COMPANY}在村东采石，炮声震裂房屋，"
    "多次协商未果，请求停止爆破并赔偿损失。"
)


def found(query: str) -> set[int]:
    return set(
        Matter.objects.filter(pk__in=search.matching_ids(query)).values_list("pk", flat=True)
    )


@pytest.fixture
def matters(world: Any) -> dict[str, Matter]:
    return {
        "quarry": register(world, title="采石放炮震裂房屋", content=CONTENT),
        "wages": register(world),  # 工资被拖欠 / 某公司拖欠工人工资三个月
        "school": register(world, title="校车", content="希望增加双井小学的校车班次。"),
    }


def test_bigrams_overlap_and_break_at_punctuation() -> None:
    assert search.bigrams("双井村") == ["双井", "井村"]
    assert search.bigrams("双井，井村") == ["双井", search.GAP, "井村"]
    assert search.bigrams("ＡＢＣ公司") == ["ab", "bc", "c公", "公司"]  # full width, upper case
    assert search.bigrams("镇") == ["镇"]


def test_a_company_name_is_found(matters: dict[str, Matter]) -> None:
    assert found(COMPANY) == {matters["quarry"].pk}
    assert found("宏达建材") == {matters["quarry"].pk}


def test_a_village_is_found(matters: dict[str, Matter]) -> None:
    assert found("双井村") == {matters["quarry"].pk}
    assert found("双井") == {matters["quarry"].pk, matters["school"].pk}


def test_a_two_character_word_is_found_in_title_or_content(matters: dict[str, Matter]) -> None:
    assert found("拖欠") == {matters["wages"].pk}
    assert found("校车") == {matters["school"].pk}
    assert found("房屋") == {matters["quarry"].pk}


def test_a_non_matching_query_finds_nothing(matters: dict[str, Matter]) -> None:
    assert found("双井镇") == set()
    assert found("宏达建筑") == set()
    assert found("工资 采石") == set()  # both words, in no single matter


def test_no_match_across_punctuation(world: Any) -> None:
    register(world, title="来信", content="地点：双井，井村路口。")
    assert found("双井村") == set()


def test_words_separated_by_a_space_must_all_occur(matters: dict[str, Matter]) -> None:
    assert found("村民 赔偿") == {matters["quarry"].pk}


def test_a_single_character_cannot_be_searched(matters: dict[str, Matter]) -> None:
    with pytest.raises(search.QueryTooShort):
        search.matching_ids("村")
    with pytest.raises(search.QueryTooShort):
        search.matching_ids("，。 ")


def test_rebuild_gives_the_same_answers(matters: dict[str, Matter]) -> None:
    from django.db import connection

    rows = Matter.objects.values_list("pk", "title", "content")
    assert search.rebuild(rows, connection) == 3
    assert found("双井村") == {matters["quarry"].pk}
    assert found("拖欠") == {matters["wages"].pk}


def test_a_full_save_that_changes_the_text_reindexes_it(matters: dict[str, Matter]) -> None:
    quarry = matters["quarry"]
    quarry.content = "改为：河道采砂扰民。"
    quarry.save()
    assert found("双井村") == set()
    assert found("采砂") == {quarry.pk}


def test_the_rebuild_command_fills_an_emptied_index(matters: dict[str, Matter]) -> None:
    from io import StringIO

    from django.core.management import call_command

    search.rebuild([])
    assert found("双井村") == set()
    out = StringIO()
    call_command("search_index", "rebuild", stdout=out)
    assert out.getvalue().strip() == "3"
    assert found("双井村") == {matters["quarry"].pk}
