from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import register
from xinfang.routing import store
from xinfang.routing.core import evaluate
from xinfang.routing.models import ModelVersion
from xinfang.routing.services.rules import rule_create
from xinfang.routing.services.training import routing_train
from xinfang.routing.suggest import suggest, suggest_for_matter

DATA = Path(__file__).parent / "data" / "petitions.jsonl"


def test_unpaid_wages_go_to_the_labour_bureau(rworld: SimpleNamespace) -> None:
    w = rworld
    s = suggest(
        title="包工头拖欠我们的工资",
        content="我们在县城一处工地干了半年活，包工头一直拖欠工资，共计三万多元，请求帮助追讨。",
        office=w.bureau,
    )
    assert s.source == "rules"
    assert s.categories[0].value == "劳动与社会保障"
    assert s.types[0].value == "request"
    assert s.units[0].unit == w.dept
    assert "第二十二条" in s.units[0].rule
    assert len(s.units) <= 3 and len(s.categories) == 3
    assert s.units[0].confidence >= s.units[-1].confidence
    assert s.legal_channel is False


def test_an_accusation_against_an_official_goes_to_discipline(rworld: SimpleNamespace) -> None:
    s = suggest(
        title="实名举报村支书贪污",
        content="永安镇某村党支部书记挪用集体资金、虚报冒领补贴，请纪委调查处理。",
        office=rworld.bureau,
    )
    assert s.types[0].value == "accusation"
    assert s.units[0].unit == rworld.discipline
    assert "第三十条" in s.units[0].rule


def test_a_township_matter_goes_to_the_township_by_region(rworld: SimpleNamespace) -> None:
    w = rworld
    s = suggest(
        title="承包地被村里收回",
        content="镇政府领导：村民小组把我家承包地收回另行发包，村委会也不给说法，请求处理。",
        office=w.bureau,
        region=w.township,
    )
    assert s.units[0].unit == w.town
    assert "属地管理" in s.units[0].rule


def test_a_judgment_is_flagged_for_the_legal_channel(rworld: SimpleNamespace) -> None:
    s = suggest(
        title="法院判决了对方还是不还钱",
        content="借款纠纷县法院已经判决，对方拒不履行，我申请强制执行几个月了没有进展。",
        office=rworld.bureau,
    )
    assert s.legal_channel is True
    assert "诉访分离" in s.legal_channel_reason and "第二十八条" in s.legal_channel_reason


def test_the_office_routing_table_overrides_the_default(rworld: SimpleNamespace) -> None:
    w = rworld
    rule_create(
        actor=w.registrar, office=w.bureau, category=w.categories["劳动与社会保障"], unit=w.other
    )
    s = suggest(title="拖欠工资", content="老板拖欠工资三个月。", office=w.bureau)
    assert s.units[0].unit == w.other
    assert "路由规则" in s.units[0].rule


def test_suggestion_for_a_registered_matter(rworld: SimpleNamespace) -> None:
    matter = register(rworld)
    s = suggest_for_matter(matter)
    assert s.categories[0].value == "劳动与社会保障"


def test_a_trained_model_is_versioned_stored_and_used(
    rworld: SimpleNamespace, settings: object, tmp_path: Path
) -> None:
    w = rworld
    settings.XINFANG_ROUTING_MODEL_DIR = str(tmp_path)
    version = routing_train(office=w.bureau, rows=evaluate.read_jsonl(DATA))
    assert version.number == 1 and (tmp_path / version.path).exists()
    store.forget()
    s = suggest(title="拖欠工资", content="老板拖欠我们工资。", office=w.bureau)
    assert s.source == "model v1"
    assert s.categories[0].value == "劳动与社会保障"
    second = routing_train(office=w.bureau, rows=evaluate.read_jsonl(DATA))
    assert second.number == 2
    store.forget()  # the server would notice within store.CHECK_SECONDS
    assert suggest(title="x", content="老板拖欠工资", office=w.bureau).source == "model v2"


def test_a_damaged_model_file_falls_back_to_the_rules(
    rworld: SimpleNamespace, settings: object, tmp_path: Path
) -> None:
    settings.XINFANG_ROUTING_MODEL_DIR = str(tmp_path)
    version = routing_train(office=rworld.bureau, rows=evaluate.read_jsonl(DATA))
    (tmp_path / version.path).write_bytes(b"not a model")
    store.forget()
    assert suggest(title="x", content="拖欠工资", office=rworld.bureau).source == "rules"


def test_training_needs_enough_confirmed_routings(rworld: SimpleNamespace) -> None:
    from xinfang.matters.errors import InvalidInput

    with pytest.raises(InvalidInput):
        routing_train(office=rworld.bureau)
    assert not ModelVersion.objects.exists()


def test_a_unit_learned_from_confirmed_routings_is_used_unless_the_table_says_otherwise(
    rworld: SimpleNamespace, settings: object, tmp_path: Path
) -> None:
    w = rworld
    settings.XINFANG_ROUTING_MODEL_DIR = str(tmp_path)
    rows = evaluate.read_jsonl(DATA)
    for row in rows:
        if row["category"] == "教育":
            row["unit"] = "县住建局"  # this office sends school matters elsewhere
    routing_train(office=w.bureau, rows=rows)
    store.forget()
    text = {"title": "孩子入学难", "content": "孩子上小学被告知学位已满，要去很远的学校就读。"}
    s = suggest(**text, office=w.bureau)
    assert s.units[0].unit == w.other and "学得" in s.units[0].rule
    rule_create(actor=w.registrar, office=w.bureau, category=w.categories["教育"], unit=w.edu)
    assert suggest(**text, office=w.bureau).units[0].unit == w.edu


@pytest.mark.parametrize(
    "content",
    [
        b"cxinfang_no_such_module\nClassifier\n.",  # a module renamed since training
        b"cxinfang.routing.store\nNoSuchClassifier\n.",  # a class renamed since training
        b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00\xff\xfe.",  # not a pickle at all
        b"\x80\x04}\x94.",  # a pickle, but of a dict, not a classifier
    ],
    ids=["module", "attribute", "unpickling", "not-a-classifier"],
)
def test_a_model_file_that_does_not_unpickle_falls_back_to_the_rules(
    rworld: SimpleNamespace, settings: object, tmp_path: Path, content: bytes
) -> None:
    """The checksum matches (the file is what was recorded) but it cannot be read back as the
    classifier: suggestions and the desk's matter page go on with the rules."""
    settings.XINFANG_ROUTING_MODEL_DIR = str(tmp_path)
    version = routing_train(office=rworld.bureau, rows=evaluate.read_jsonl(DATA))
    path = tmp_path / version.path
    path.write_bytes(content)
    ModelVersion.objects.filter(pk=version.pk).update(sha256=store.sha256_of(path))
    store.forget()
    assert suggest(title="x", content="拖欠工资", office=rworld.bureau).source == "rules"
    assert suggest_for_matter(register(rworld)).source == "rules"
