from __future__ import annotations

from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from tests.conftest import register
from xinfang.matters.services import PetitionerInput
from xinfang.routing.models import Cluster, RoutingRule
from xinfang.routing.services.indexing import catch_up


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_rules_page_lists_and_adds_rules(rworld: SimpleNamespace) -> None:
    w = rworld
    client = login(w.registrar)
    page = client.get(reverse("routing:rules"))
    assert page.status_code == 200 and "分办规则" in page.content.decode()
    response = client.post(
        reverse("routing:rules") + f"?office={w.bureau.pk}",
        {"category": w.categories["教育"].pk, "unit": w.edu.pk, "note": "教育归口"},
    )
    assert response.status_code == 302
    assert RoutingRule.objects.get().unit == w.edu
    page = client.get(reverse("routing:rules"))
    assert "教育归口" in page.content.decode()


def test_a_refused_rule_shows_why(rworld: SimpleNamespace) -> None:
    response = login(rworld.registrar).post(reverse("routing:rules"), {"unit": rworld.edu.pk})
    assert response.status_code == 400
    assert "请至少指定" in response.content.decode()


def test_the_rules_page_is_not_there_for_others(rworld: SimpleNamespace) -> None:
    assert login(rworld.handler).get(reverse("routing:rules")).status_code == 404
    rule = RoutingRule.objects.create(
        office=rworld.bureau, category=rworld.categories["教育"], unit=rworld.edu
    )
    client = login(rworld.handler)
    assert client.get(reverse("routing:rule_edit", args=[rule.pk])).status_code == 404
    assert client.post(reverse("routing:rule_deactivate", args=[rule.pk])).status_code == 404
    assert (
        login(rworld.registrar).get(reverse("routing:rule_deactivate", args=[rule.pk])).status_code
        == 405
    )


def test_edit_and_switch_off(rworld: SimpleNamespace) -> None:
    w = rworld
    rule = RoutingRule.objects.create(office=w.bureau, category=w.categories["教育"], unit=w.edu)
    client = login(w.director)
    response = client.post(
        reverse("routing:rule_edit", args=[rule.pk]),
        {"category": w.categories["教育"].pk, "unit": w.dept.pk, "version": 0},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.unit == w.dept
    stale = client.post(
        reverse("routing:rule_edit", args=[rule.pk]),
        {"category": w.categories["教育"].pk, "unit": w.edu.pk, "version": 0},
    )
    assert stale.status_code == 409
    client.post(reverse("routing:rule_deactivate", args=[rule.pk]), {"version": 1})
    rule.refresh_from_db()
    assert not rule.is_active


def test_clusters_pages(rworld: SimpleNamespace) -> None:
    w = rworld
    for i, text in enumerate(
        (
            "宏达机械厂拖欠工人三个月工资，老板躲着不见。",
            "我在宏达机械厂上班，厂里三个月没发工资了，请督促支付。",
        )
    ):
        register(
            w,
            content=text,
            petitioners=[PetitionerInput(name=f"工人{i}", phone=f"1390000000{i}")],
        )
    catch_up()
    cluster = Cluster.objects.get()
    page = login(w.registrar).get(reverse("routing:clusters"))
    body = page.content.decode()
    assert page.status_code == 200 and cluster.label in body and "清河县信访局" in body
    detail = login(w.registrar).get(reverse("routing:cluster", args=[cluster.pk]))
    assert detail.status_code == 200 and "宏达机械厂" in detail.content.decode()
    assert login(w.outsider).get(reverse("routing:cluster", args=[cluster.pk])).status_code == 404
    assert "宏达" not in login(w.outsider).get(reverse("routing:clusters")).content.decode()


def test_pages_need_login(rworld: SimpleNamespace) -> None:
    response = Client().get(reverse("routing:clusters"))
    assert response.status_code == 302


def test_an_edit_without_the_version_it_was_made_on_is_refused(rworld: SimpleNamespace) -> None:
    """A missing version is not taken as "whatever the row is now": the edit could overwrite
    a change made meanwhile."""
    w = rworld
    rule = RoutingRule.objects.create(office=w.bureau, category=w.categories["教育"], unit=w.edu)
    response = login(w.director).post(
        reverse("routing:rule_edit", args=[rule.pk]),
        {"category": w.categories["教育"].pk, "unit": w.dept.pk},
    )
    assert response.status_code == 400
    rule.refresh_from_db()
    assert (rule.unit, rule.version) == (w.edu, 0)
    # Nor is a row switched off without it.
    off = login(w.director).post(reverse("routing:rule_deactivate", args=[rule.pk]), follow=True)
    assert "缺少规则的版本号" in off.content.decode()
    rule.refresh_from_db()
    assert rule.is_active
