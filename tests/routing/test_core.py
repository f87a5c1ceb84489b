"""The routing core without a database: classifier, units, similarity, evaluation."""

from __future__ import annotations

from pathlib import Path

from xinfang.routing.core import evaluate, similar
from xinfang.routing.core import units as core_units
from xinfang.routing.core.classify import KeywordClassifier
from xinfang.routing.core.learn import LearnedClassifier
from xinfang.routing.core.text import normalize

DATA = Path(__file__).parent / "data" / "petitions.jsonl"
RULES = KeywordClassifier()


def fixture_directory() -> evaluate.Directory:
    names = {
        "县自然资源局": "department",
        "县住建局": "department",
        "县人社局": "department",
        "县农业农村局": "department",
        "县退役军人事务局": "department",
        "县国资办": "department",
        "县法院": "judicial",
        "县公安局": "department",
        "县纪委监委": "discipline",
        "县妇联": "other",
        "县教育局": "department",
        "县卫健委": "department",
        "县民政局": "department",
        "县生态环境局": "department",
        "县交通运输局": "department",
        "县市场监管局": "department",
        "县城管局": "department",
        "县政府办": "department",
    }
    units = [core_units.UnitInfo(key=n, name=n, kind=k) for n, k in names.items()]
    units += [
        core_units.UnitInfo(key=f"{t}政府", name=f"{t}政府", kind="township", township=t)
        for t in ("北岭镇", "南河镇")
    ]
    return evaluate.directory_from(units, ["北岭镇", "南河镇"], core_units.default_rules(units))


def test_traditional_script_reads_as_simplified() -> None:
    assert normalize("關於職工養老保險問題") == "关于职工养老保险问题"


def test_keyword_rules_read_the_subject_and_the_type() -> None:
    p = RULES.predict("举报村支书贪污扶贫款", "村党支部书记虚报冒领扶贫资金，请纪委查处。")
    assert p.categories[0][0] == "纪检监察"
    assert p.types[0][0] == "检举控告"
    p = RULES.predict("建议增设公交站点", "建议在医院门口增设一个公交站点，方便老人看病。")
    assert p.types[0][0] == "建议意见"
    assert p.categories[0][0] == "交通运输"
    assert abs(sum(c for _, c in p.categories) - 1.0) < 1e-6


def test_a_judgment_not_carried_out_is_flagged_for_the_legal_channel() -> None:
    p = RULES.predict("判决生效了对方不还钱", "法院判决对方还款，我申请强制执行半年了还没结果。")
    assert p.legal_channel and "判决" in p.legal_reason
    p = RULES.predict("路灯坏了", "小区门口的路灯坏了一个月，晚上出行不便。")
    assert not p.legal_channel


def test_a_matter_addressed_to_the_township_goes_to_its_government() -> None:
    d = fixture_directory()
    routed = evaluate.route(
        RULES, d, "承包地被收回", "北岭镇人民政府：村民小组把我家的承包地收回另行发包，请求处理。"
    )
    assert routed.units[0] == "北岭镇政府"
    routed = evaluate.route(
        RULES, d, "化肥是假的", "在北岭镇农资店买的化肥是假的，庄稼不长，请农业部门查处。"
    )
    assert routed.units[0] == "县农业农村局"
    assert "北岭镇政府" in routed.units  # offered, since it arises there


def test_accusations_against_officials_go_to_discipline_inspection() -> None:
    d = fixture_directory()
    routed = evaluate.route(
        RULES, d, "举报镇干部收受红包", "南河镇有干部办事收受红包，吃拿卡要，请纪委查处。"
    )
    assert routed.units[0] == "县纪委监委"


def test_a_repeat_in_other_words_scores_above_a_different_matter_of_the_same_person() -> None:
    first = similar.profile("低保被取消", "我和瘫痪的老伴靠低保生活，今年低保被取消了，请求恢复。")
    again = similar.profile(
        "", "来电人称上月写信反映家中低保被停，老伴瘫痪，至今没有答复，生活困难，再次要求恢复。"
    )
    other = similar.profile("烧烤摊扰民", "楼下夜市烧烤摊每天营业到凌晨，油烟噪音扰民。")
    repeat, _ = similar.repeat_score(again, first, new_text="再次要求恢复", same_category=True)
    different, _ = similar.repeat_score(other, first, same_category=False)
    assert repeat >= similar.REPEAT_THRESHOLD > different


def test_named_things_are_found_and_shared() -> None:
    a = similar.profile("", "瑞达化工有限公司夜里排放废气")
    b = similar.profile("", "南河镇的瑞达化工厂气味太大")
    assert "瑞达化工" in similar.shared_things(a, b)
    assert similar.term_hash("瑞达化工") == similar.term_hash("瑞达化工") < 2**63


def test_the_learned_classifier_trains_and_predicts() -> None:
    rows = evaluate.read_jsonl(DATA)
    model = evaluate.train(rows)
    p = model.predict("工资被拖欠", "老板拖欠我们三个月工资不给。")
    assert p.categories[0][0] == "劳动与社会保障"
    assert isinstance(model, LearnedClassifier)
    assert model.unit_rules["劳动与社会保障"] == "县人社局"


def test_evaluation_reports_every_figure_and_never_scores_what_it_trained_on() -> None:
    rows = evaluate.read_jsonl(DATA)
    result = evaluate.evaluate(rows, fixture_directory())
    assert result["category"]["accuracy"] >= 0.8
    assert result["type"]["accuracy"] >= 0.8
    for key in ("type", "category", "unit"):
        assert {"accuracy", "macro_f1"} <= set(result[key])
    assert "top3_accuracy" in result["unit"]
    assert {"precision", "recall"} <= set(result["legal_channel"])
    assert result["repeats"]["precision"] == 1.0 and result["repeats"]["recall"] == 1.0
    assert result["clusters"]["purity"] >= 0.9
    assert set(result["throughput"]) >= {
        "routing_items_per_s",
        "repeats_items_per_s",
        "clusters_items_per_s",
    }
    cv = evaluate.evaluate(rows, fixture_directory(), cv=3)
    assert cv["mode"].startswith("3-fold") and cv["folds"] == 3


def test_the_server_model_is_not_scored_on_what_it_learned_from() -> None:
    rows = evaluate.read_jsonl(DATA)
    model = evaluate.train(rows[:20])
    result = evaluate.evaluate(rows, fixture_directory(), classifier=model)
    assert result["left_out_as_trained_on"] == 20


def test_evaluation_clusters_as_the_server_does_without_accusations() -> None:
    rows = evaluate.read_jsonl(DATA)
    accusation = {**rows[2], "type": "检举控告", "cluster": "", "petitioner": "另一人"}
    plain = {**rows[2], "type": "申诉求决", "cluster": "", "petitioner": "另一人"}
    base = evaluate.clusters(rows)[0]
    assert base["accusations_left_out"] == sum(1 for r in rows if r["type"] == "检举控告")
    # The same words as an accusation join nothing; as a request they join a cluster.
    assert evaluate.clusters([*rows, accusation])[0]["clustered_items"] == base["clustered_items"]
    assert evaluate.clusters([*rows, plain])[0]["clustered_items"] > base["clustered_items"]
