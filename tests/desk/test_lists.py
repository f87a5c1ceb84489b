"""The home page's queues and the matter list: filters, sorting, pages, search, htmx."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.conftest import at, register
from tests.matters.flows import on, walk
from xinfang.desk.selectors import COUNT_CAP, queue
from xinfang.matters import services
from xinfang.matters.models import Channel, Matter, MatterType, Rating
from xinfang.matters.services.registration import register_at_office

LIST = reverse("desk:list")


def numbers(response: Any) -> set[str]:
    body = response.content.decode()
    return {m.number for m in Matter.objects.all() if f">{m.number}</a>" in body}


def test_filters_by_state_type_channel_unit_and_dates(client: Any, world: Any) -> None:
    letter = register(world, received_at=at(2026, 3, 2))
    visit = register(world, channel=Channel.VISIT, type=MatterType.SUGGESTION)
    forwarded = walk(world, "forwarded")
    client.force_login(world.registrar)
    assert numbers(client.get(LIST)) == {letter.number, visit.number, forwarded.number}
    assert numbers(client.get(LIST, {"state": "forwarded"})) == {forwarded.number}
    assert numbers(client.get(LIST, {"type": "suggestion"})) == {visit.number}
    assert numbers(client.get(LIST, {"channel": "visit"})) == {visit.number}
    assert numbers(client.get(LIST, {"unit": world.dept.pk})) == {forwarded.number}
    march = {"received_from": "2026-03-01", "received_to": "2026-03-02"}
    assert numbers(client.get(LIST, march)) == {letter.number, forwarded.number}


def test_overdue_is_derived_from_the_due_date(client: Any, world: Any) -> None:
    late = walk(world, "registered")  # registered 2 March 2026: the 15-day route clock ran out
    fresh = register(world)
    client.force_login(world.registrar)
    assert numbers(client.get(LIST, {"overdue": "on"})) == {late.number}
    body = client.get(LIST).content.decode()
    assert "已超期" in body
    assert fresh.number in body


def test_sorted_by_due_date_either_way(client: Any, world: Any) -> None:
    old = walk(world, "registered")
    new = register(world)
    client.force_login(world.registrar)
    body = client.get(LIST, {"sort": "due"}).content.decode()
    assert body.index(old.number) < body.index(new.number)
    body = client.get(LIST, {"sort": "-due"}).content.decode()
    assert body.index(new.number) < body.index(old.number)


def test_pages_of_fifty(client: Any, world: Any) -> None:
    for i in range(52):
        register(world, title=f"来信{i}")
    client.force_login(world.registrar)
    first = client.get(LIST, {"type": "request"})
    assert len(numbers(first)) == 50
    assert "第1页，共2页" in first.content.decode()
    second = client.get(LIST, {"type": "request", "page": "2"})
    assert len(numbers(second)) == 2
    assert not numbers(first) & numbers(second)


def test_search_finds_a_substring_and_combines_with_filters(client: Any, world: Any) -> None:
    quarry = register(
        world, title="采石放炮", content="双井村村民反映宏达建材有限公司采石震裂房屋。"
    )
    wages = register(world)
    client.force_login(world.registrar)
    assert numbers(client.get(LIST, {"q": "宏达建材"})) == {quarry.number}
    assert numbers(client.get(LIST, {"q": "双井村"})) == {quarry.number}
    assert numbers(client.get(LIST, {"q": "拖欠"})) == {wages.number}
    assert numbers(client.get(LIST, {"q": "拖欠", "state": "forwarded"})) == set()
    assert numbers(client.get(LIST, {"q": "无此公司"})) == set()


def test_a_one_character_search_is_refused_with_a_message(client: Any, world: Any) -> None:
    register(world)
    client.force_login(world.registrar)
    response = client.get(LIST, {"q": "村"})
    assert response.status_code == 400
    assert "请输入至少两个字进行搜索。" in response.content.decode()


def test_htmx_gets_the_results_alone(client: Any, world: Any) -> None:
    m = register(world)
    client.force_login(world.registrar)
    response = client.get(LIST, {"q": "工资"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert m.number in body and "<html" not in body


def test_home_counts_each_queue(client: Any, world: Any) -> None:
    # What the portal does with an online submission: registered at the office, no staff actor.
    online = register_at_office(
        office=world.bureau,
        actor=None,
        channel=Channel.ONLINE,
        received_at=timezone.now(),
        content="网上反映：小区路灯不亮。",
        type=MatterType.SUGGESTION,
        petitioners=[services.PetitionerInput(name="赵六")],
    )
    touched = register_at_office(
        office=world.bureau,
        actor=None,
        channel=Channel.ONLINE,
        received_at=timezone.now(),
        content="网上反映：路面坑洼。",
        type=MatterType.SUGGESTION,
        petitioners=[services.PetitionerInput(name="钱七")],
    )
    services.attachment_add(  # a registrar has worked on this one already
        matter=touched,
        actor=world.registrar,
        upload=services.Upload(name="补充.txt", stream=io.BytesIO(b"note")),
    )
    forwarded = walk(world, "forwarded")
    handled = walk(world, "in_handling")
    with on(date(2026, 3, 10)):
        services.matter_request_extension(
            matter=handled, actor=world.handler, days=10, reason="会商"
        )
    replied = walk(world, "replied")
    services.matter_rate(matter=replied, actor=world.registrar, rating=Rating.UNSATISFIED)
    services.matter_add_co_units(matter=handled, actor=world.unit_lead, units=[world.town])

    def keys(user: Any, key: str) -> set[int]:
        return set(queue(user, key).values_list("pk", flat=True))

    assert keys(world.registrar, "to_register") == {online.pk}
    assert keys(world.unit_lead, "to_register") == set()  # the department registers no portal
    assert online.pk in keys(world.registrar, "to_route")
    assert keys(world.unit_lead, "to_route") == {forwarded.pk}
    assert keys(world.unit_lead, "extensions") == {handled.pk}
    assert keys(world.leader, "leading") == {handled.pk}
    assert keys(world.town_lead, "co_handling") == {handled.pk}
    assert keys(world.unit_lead, "unsatisfied") == {replied.pk}
    assert handled.pk in keys(world.handler, "overdue")  # 2026-03 accepted, long past 60 days
    assert keys(world.handler2, "overdue") == set()
    # A supervisor watches every deadline in the jurisdiction; an auditor has no queue.
    assert {handled.pk, forwarded.pk} <= keys(world.supervisor, "overdue")
    assert keys(world.auditor, "overdue") == set()

    client.force_login(world.unit_lead)
    body = client.get(reverse("desk:home")).content.decode()
    assert "待我审批的延期申请" in body and handled.number in body
    client.force_login(world.handler)
    body = client.get(reverse("desk:home")).content.decode()
    assert "待登记" not in body  # a handler never registers: the queue is not shown
    assert "已超期" in body


def test_a_queue_links_to_its_full_list(client: Any, world: Any) -> None:
    forwarded = walk(world, "forwarded")
    register(world)
    client.force_login(world.unit_lead)
    response = client.get(LIST, {"queue": "to_route"})
    assert numbers(response) == {forwarded.number}
    assert "待转送交办或受理" in response.content.decode()


def test_a_huge_queue_count_is_capped_on_the_home_page(
    client: Any, world: Any, settings: Any
) -> None:
    import xinfang.desk.selectors as selectors

    for _ in range(7):
        register(world)
    original = selectors.COUNT_CAP
    selectors.COUNT_CAP = 6
    try:
        client.force_login(world.registrar)
        body = client.get(reverse("desk:home")).content.decode()
    finally:
        selectors.COUNT_CAP = original
    assert ">6+</a>" in body
    assert COUNT_CAP == 1000


def test_states_are_shown_translated(client: Any, world: Any) -> None:
    register(world)
    client.force_login(world.registrar)
    assert ">已登记<" in client.get(LIST).content.decode()


def test_home_rows_merge_the_states_nearest_due_first(world: Any) -> None:
    from xinfang.desk.selectors import home_queues

    newer = register(world)  # registered today: route clock due in 15 days
    older = walk(world, "registered")  # March: due long ago
    sent_back = walk(world, "forwarded", to_unit=world.town)  # at the township, not ours
    rows = {q["queue"].key: q for q in home_queues(world.registrar)}
    to_route = [r["id"] for r in rows["to_route"]["rows"]]
    assert to_route == [older.pk, newer.pk]
    assert sent_back.pk not in to_route
    overdue = rows["overdue"]
    assert [r["id"] for r in overdue["rows"]] == [older.pk] and overdue["count"] == 1
    assert overdue["rows"][0]["overdue"] and overdue["rows"][0]["late"] > 200
