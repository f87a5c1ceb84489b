"""Clusters: matters of different people about one problem are grouped as they arrive."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests.conftest import register
from xinfang.matters.models import Matter
from xinfang.matters.services import PetitionerInput
from xinfang.routing.models import Cluster, ClusterMember, IdentityKey, Indexed
from xinfang.routing.selectors import cluster_for, clusters_for
from xinfang.routing.services.indexing import catch_up

WORKERS = (
    (
        "王大力",
        "13800000001",
        "宏达机械厂拖欠工资",
        "我在宏达机械厂做焊工，厂里已经三个月没发工资，老板说资金周转不开。",
    ),
    (
        "陈小芳",
        "13800000002",
        "",
        "宏达机械厂欠我们车间二十多名工人三个月工资，请人社部门督促支付。",
    ),
    (
        "刘建业",
        "13800000003",
        "宏达机械厂欠薪问题",
        "宏达机械厂的工人都拿不到工资了，我们去厂里讨薪，老板躲着不见。",
    ),
)


def worker(w: SimpleNamespace, name: str, phone: str, title: str, content: str) -> Matter:
    return register(
        w,
        title=title,
        content=content,
        petitioners=[PetitionerInput(name=name, phone=phone, address="永安镇")],
    )


def test_workers_of_one_employer_form_one_cluster_as_they_arrive(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    matters = []
    for name, phone, title, content in WORKERS:
        # The commit hook indexes each matter as its registration commits.
        with django_capture_on_commit_callbacks(execute=True):
            matters.append(worker(world, name, phone, title, content))
    clusters = list(Cluster.objects.all())
    assert len(clusters) == 1
    cluster = clusters[0]
    assert cluster.size == 3 and "宏达机械" in cluster.label
    assert {m.matter_id for m in ClusterMember.objects.filter(cluster=cluster)} == {
        m.pk for m in matters
    }
    assert IdentityKey.objects.filter(matter=matters[0]).count() == 2  # phone, name+address


def test_a_different_problem_does_not_join(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = worker(world, *WORKERS[0])
        second = worker(world, *WORKERS[1])
        other = worker(
            world,
            "赵敏",
            "13800000009",
            "噪音扰民",
            "宏达机械厂旁边新开的烧烤店每天深夜还在营业，油烟噪音扰民，请城管处理。",
        )
    assert (
        ClusterMember.objects.get(matter=first).cluster
        == ClusterMember.objects.get(matter=second).cluster
    )
    assert not ClusterMember.objects.filter(matter=other).exists()


def test_the_same_person_again_is_a_repeat_not_a_cluster(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    name, phone, title, content = WORKERS[0]
    with django_capture_on_commit_callbacks(execute=True):
        worker(world, name, phone, title, content)
        worker(world, name, phone, "再次反映", content + "至今没有结果。")
    assert not Cluster.objects.exists()


def test_matters_the_hook_missed_are_caught_up(world: SimpleNamespace) -> None:
    # Inside this test's transaction no commit hook runs: the look-up takes them in.
    for row in WORKERS:
        worker(world, *row)
    assert not Indexed.objects.exists()
    assert catch_up() == 3
    assert Cluster.objects.get().size == 3
    assert catch_up() == 0


def test_clusters_show_size_units_and_clocks_only_for_what_the_user_sees(
    world: SimpleNamespace,
) -> None:
    for row in WORKERS:
        worker(world, *row)
    catch_up()
    rows = clusters_for(world.registrar)
    assert len(rows) == 1
    row = rows[0]
    assert row.cluster.size == 3 and len(row.matters) == 3
    assert row.units == [world.bureau]
    assert row.open == 3 and row.overdue == 0 and row.next_due is not None
    assert clusters_for(world.outsider) == []
    assert cluster_for(world.outsider, row.cluster.pk) is None
