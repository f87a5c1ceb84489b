"""Clusters: matters of different people about one problem are grouped as they arrive."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests.conftest import at, register
from xinfang.matters import services
from xinfang.matters.models import Matter, MatterType
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
    assert cluster.members.count() == 3 and "宏达机械" in cluster.label
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
    assert Cluster.objects.get().members.count() == 3
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
    assert row.size == 3 and row.matters == sorted(row.matters, key=lambda m: m.received_at)
    assert row.last_at == row.matters[-1].received_at
    assert row.units == [world.bureau]
    assert row.open == 3 and row.overdue == 0 and row.next_due is not None
    assert clusters_for(world.outsider) == []
    assert cluster_for(world.outsider, row.cluster.pk) is None


def test_a_user_is_shown_only_the_members_they_may_see(world: SimpleNamespace) -> None:
    """Three workers' matters at the bureau; the department gets one, then two of them. Its
    handler sees no cluster for one matter, and for two sees only those two: no total, no
    date of the matter hidden from them."""
    first, second, third = (
        register(
            world,
            title=title,
            content=content,
            received_at=at(2026, 3, day),
            petitioners=[PetitionerInput(name=name, phone=phone, address="永安镇")],
        )
        for day, (name, phone, title, content) in zip((2, 3, 4), WORKERS, strict=True)
    )
    catch_up()
    cluster = Cluster.objects.get()
    assert cluster.members.count() == 3
    services.matter_forward(matter=first, actor=world.registrar, to_unit=world.dept)
    assert clusters_for(world.handler) == []
    assert cluster_for(world.handler, cluster.pk) is None
    services.matter_forward(matter=second, actor=world.registrar, to_unit=world.dept)
    [row] = clusters_for(world.handler)
    assert [m.pk for m in row.matters] == [first.pk, second.pk] and row.size == 2
    assert row.last_at == second.received_at  # not the third, newer, hidden matter's
    assert row.units == [world.dept] and row.open == 2
    detail = cluster_for(world.handler, cluster.pk)
    assert detail is not None and detail.size == 2
    [everything] = clusters_for(world.registrar)
    assert everything.size == 3 and everything.last_at == third.received_at


def test_accusations_are_never_clustered(world: SimpleNamespace) -> None:
    """An accusation's content is confidential to those it was sent to: it joins no cluster,
    and no cluster forms around it."""
    accusations = [
        register(
            world,
            type=MatterType.ACCUSATION,
            accused_units=[world.town],
            title=title,
            content=content,
            petitioners=[PetitionerInput(name=name, phone=phone, address="永安镇")],
        )
        for name, phone, title, content in WORKERS[:2]
    ]
    catch_up()
    assert Indexed.objects.filter(matter__in=accusations).count() == 2  # repeats still work
    assert not Cluster.objects.exists()
    # Ordinary matters about the same problem cluster among themselves, without them.
    plain = worker(world, *WORKERS[2])
    other = worker(world, "赵敏", "13800000009", "", WORKERS[0][3])
    catch_up()
    [row] = clusters_for(world.registrar)
    assert {m.pk for m in row.matters} == {plain.pk, other.pk}
    assert not ClusterMember.objects.filter(matter__in=accusations).exists()
