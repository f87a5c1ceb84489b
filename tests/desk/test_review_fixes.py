"""The desk after review: an accuser's attachments are confidential like the petitioners, a
registration linked as a repeat is one transaction, one bad filter keeps the others, the list
counts at most COUNT_CAP+1 rows, the queues' contents, the search's indexed length, and the
htmx/Vary details."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import register
from xinfang.matters.models import Matter, MatterType
from xinfang.matters.services import Upload, attachment_add


def detail(m: Matter) -> str:
    return reverse("desk:matter", kwargs={"pk": m.pk})


def download(m: Matter, attachment_id: int) -> str:
    return reverse("desk:attachment", kwargs={"pk": m.pk, "attachment_id": attachment_id})


def as_user(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


# --- 1. an accuser's attachments ---------------------------------------------------------------


def _accusation_with_files(world: Any) -> Matter:
    m = register(
        world,
        type=MatterType.ACCUSATION,
        accused_units=[world.other],
        attachments=[
            Upload(
                name="张三举报信.pdf",
                stream=SimpleUploadedFile("张三举报信.pdf", b"%PDF-1.4 signed letter"),
                content_type="application/pdf",
            )
        ],
    )
    attachment_add(
        matter=m,
        actor=world.registrar,
        upload=Upload(
            name="补充.jpg",
            stream=SimpleUploadedFile("补充.jpg", b"\xff\xd8\xff jpeg"),
            content_type="image/jpeg",
        ),
        note="张三补交的签名页",
    )
    return Matter.objects.get(pk=m.pk)


def test_an_accusers_attachments_are_withheld_from_who_may_not_see_the_identity(
    client: Any, world: Any
) -> None:
    m = _accusation_with_files(world)
    files = list(m.attachments.order_by("uploaded_at", "pk"))
    assert len(files) == 2
    body = as_user(client, world.gov_lead).get(detail(m)).content.decode()
    assert "（保密）" in body  # the petitioners table
    assert "张三" not in body  # neither the file name nor the timeline's note
    assert "补充.jpg" not in body
    assert "附件1（保密）" in body and "附件2（保密）" in body
    assert "（附件名称和说明保密）" in body  # the attached event, neutral
    for a in files:
        assert f'href="{download(m, a.pk)}"' not in body
        assert client.get(download(m, a.pk)).status_code == 404


def test_the_registering_office_sees_and_downloads_an_accusers_attachments(
    client: Any, world: Any
) -> None:
    m = _accusation_with_files(world)
    body = as_user(client, world.registrar).get(detail(m)).content.decode()
    assert "张三举报信.pdf" in body and "张三补交的签名页" in body
    a = m.attachments.get(original_name="张三举报信.pdf")
    response = client.get(download(m, a.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed letter"  # type: ignore[attr-defined]


def test_a_request_matters_attachments_stay_visible_to_everyone_who_sees_it(
    client: Any, world: Any
) -> None:
    m = register(
        world,
        attachments=[
            Upload(
                name="来信.pdf",
                stream=SimpleUploadedFile("来信.pdf", b"%PDF-1.4"),
                content_type="application/pdf",
            )
        ],
    )
    body = as_user(client, world.gov_lead).get(detail(m)).content.decode()
    assert "来信.pdf" in body
    assert client.get(download(m, m.attachments.get().pk)).status_code == 200


# --- 2. register and link as a repeat: one transaction -----------------------------------------


def _registration(world: Any, **overrides: Any) -> dict[str, Any]:
    from tests.desk.test_register import form_data

    return {**form_data(), "office": world.bureau.pk, **overrides}


def test_a_refused_link_saves_no_new_matter_and_shows_the_problem(client: Any, world: Any) -> None:
    from tests.matters.flows import walk

    original = walk(world, "accepted")
    closed_to_links = register(world)  # still registered: not in handling, cannot be linked to
    before = set(Matter.objects.values_list("pk", flat=True))
    client.force_login(world.registrar)
    response = client.post(
        reverse("desk:register"),
        _registration(world, repeat_decision=f"link:{closed_to_links.pk}"),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "不在办理期限内" in body  # the service's reason
    assert 'value="工资被拖欠"' in body  # the form as typed
    assert original.number in body  # the choice is offered again
    assert set(Matter.objects.values_list("pk", flat=True)) == before  # nothing saved


def test_a_link_to_a_missing_or_garbled_matter_is_400_and_saves_nothing(
    client: Any, world: Any
) -> None:
    client.force_login(world.registrar)
    for decision in ("link:999999", "link:abc"):
        response = client.post(
            reverse("desk:register"), _registration(world, repeat_decision=decision)
        )
        assert response.status_code == 400, decision
        assert 'class="problem"' in response.content.decode()
    assert not Matter.objects.exists()


# --- 3. one bad filter keeps the others --------------------------------------------------------


def _listed(response: Any) -> set[str]:
    body = response.content.decode()
    return {m.number for m in Matter.objects.all() if f">{m.number}</a>" in body}


def test_a_garbled_date_is_left_out_and_shown_while_the_search_still_filters(
    client: Any, world: Any
) -> None:
    wages = register(world, title="工资被拖欠", content="某公司拖欠工资。")
    register(world, title="道路积水", content="村口道路积水严重。")
    client.force_login(world.registrar)
    response = client.get(reverse("desk:list"), {"q": "宏达建材", "received_from": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert _listed(response) == set()  # q still filters: nothing matches 宏达建材
    assert "以下筛选条件未生效，请更正：收到日期自。" in body
    assert 'class="errorlist' in body  # the date field's own error
    response = client.get(reverse("desk:list"), {"q": "拖欠", "received_from": "x"})
    assert _listed(response) == {wages.number}
    # htmx swaps the results alone: the problem is shown there too
    response = client.get(
        reverse("desk:list"), {"q": "拖欠", "received_from": "x"}, HTTP_HX_REQUEST="true"
    )
    assert "以下筛选条件未生效" in response.content.decode()
    assert _listed(response) == {wages.number}


# --- 4. the list counts at most COUNT_CAP + 1 rows ---------------------------------------------


def test_the_list_count_is_capped_and_its_pages_still_work(
    client: Any, world: Any, monkeypatch: Any
) -> None:
    import xinfang.desk.selectors as selectors
    import xinfang.desk.views as views

    numbers = [register(world, title=f"来信{i}").number for i in range(7)]
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(world.registrar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("desk:list"), {"sort": "received"})
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 5" in sql for sql in counts)  # cap + 1, never the whole table
    body = first.content.decode()
    assert "共4件以上" in body
    assert "第1页" in body and "共3页" not in body  # no last page claimed
    assert _listed(first) == set(numbers[:3])
    assert 'rel="next"' in body and 'rel="prev"' not in body
    third = client.get(reverse("desk:list"), {"sort": "received", "page": "3"})
    assert _listed(third) == {numbers[6]}
    assert 'rel="prev"' in third.content.decode() and 'rel="next"' not in third.content.decode()
    # far past the end: the last page, counted once
    far = client.get(reverse("desk:list"), {"sort": "received", "page": "99"})
    assert _listed(far) == {numbers[6]}
    # below the cap the exact figure and the number of pages
    monkeypatch.setattr(selectors, "COUNT_CAP", 1000)
    under = client.get(reverse("desk:list"), {"sort": "received"})
    assert "共7件" in under.content.decode() and "第1页，共3页" in under.content.decode()


# --- 5. the co-handling and unsatisfied queues -------------------------------------------------


def _queue(user: Any, key: str) -> set[int]:
    from xinfang.desk.selectors import queue

    return set(queue(user, key).values_list("pk", flat=True))


def test_the_co_handling_queue_lists_the_open_co_handled_matters_only(
    world: Any, monkeypatch: Any
) -> None:
    import xinfang.desk.selectors as selectors
    from tests.matters.flows import reply, walk
    from xinfang.matters import services
    from xinfang.matters.models import Rating

    # The old code read the first ID_LIMIT co-handled ids, closed ones included, in no order.
    monkeypatch.setattr(selectors, "ID_LIMIT", 1, raising=False)
    done = walk(world, "in_handling")
    services.matter_add_co_units(matter=done, actor=world.unit_lead, units=[world.town])
    done = reply(world, Matter.objects.get(pk=done.pk))
    services.matter_rate(matter=done, actor=world.registrar, rating=Rating.SATISFIED)
    done = services.matter_close(matter=Matter.objects.get(pk=done.pk), actor=world.unit_lead)
    assert not done.is_open
    open_one = walk(world, "in_handling")
    services.matter_add_co_units(matter=open_one, actor=world.unit_lead, units=[world.town])
    elsewhere = walk(world, "in_handling")
    services.matter_add_co_units(matter=elsewhere, actor=world.unit_lead, units=[world.other])
    assert _queue(world.town_lead, "co_handling") == {open_one.pk}
    assert _queue(world.outsider, "co_handling") == {elsewhere.pk}
    assert _queue(world.unit_lead, "co_handling") == set()  # the lead unit co-handles nothing


def test_the_unsatisfied_queue_holds_my_units_matters_only(world: Any, monkeypatch: Any) -> None:
    import xinfang.desk.selectors as selectors
    from tests.matters.flows import reply, walk
    from xinfang.matters import services
    from xinfang.matters.models import Rating

    monkeypatch.setattr(selectors, "ID_LIMIT", 1, raising=False)
    # Another unit's matter (县住建局), rated unsatisfied first.
    theirs = register(world)
    theirs = services.matter_forward(matter=theirs, actor=world.registrar, to_unit=world.other)
    theirs = services.matter_accept(matter=theirs, actor=world.outsider)
    theirs = services.matter_assign_owners(
        matter=theirs, actor=world.outsider, leader=world.county_leader, handler=world.outsider
    )
    theirs = reply(world, theirs, actor=world.outsider)
    services.matter_rate(matter=theirs, actor=world.registrar, rating=Rating.UNSATISFIED)
    mine = walk(world, "replied")
    services.matter_rate(matter=mine, actor=world.registrar, rating=Rating.UNSATISFIED)
    content = walk(world, "replied")
    services.matter_rate(matter=content, actor=world.registrar, rating=Rating.SATISFIED)
    assert _queue(world.unit_lead, "unsatisfied") == {mine.pk}
    assert _queue(world.outsider, "unsatisfied") == {theirs.pk}
    assert _queue(world.handler, "unsatisfied") == {mine.pk}  # the one they handled
    assert _queue(world.registrar, "unsatisfied") == {mine.pk, theirs.pk}  # registered both


# --- 6. the indexed length, the same on both databases -----------------------------------------


def _found(query: str) -> set[int]:
    from xinfang.desk import search

    return set(
        Matter.objects.filter(pk__in=search.matching_ids(query)).values_list("pk", flat=True)
    )


def test_only_the_first_indexed_chars_are_searched_on_either_database(world: Any) -> None:
    from xinfang.desk import search

    assert search.INDEXED_CHARS == 10_000
    title = "长篇来信"
    filler = "某某" * 3000  # 6,000 characters
    # 宏达建材 ends exactly at the limit (title, a newline, then the content), 双井村 is after it
    head = filler + "甲" * (search.INDEXED_CHARS - len(title) - 1 - len(filler) - 4)
    content = f"{head}宏达建材有限公司{'乙' * 20}双井村{'丙' * 20000}"
    assert len(search.document_text(title, content)) == search.INDEXED_CHARS
    assert search.document_text(title, content).endswith("宏达建材")
    m = register(world, title=title, content=content)
    assert len(m.content) > 30_000  # a very long content registers fine
    assert _found("宏达建材") == {m.pk}  # within the first 10,000 characters
    assert _found("双井村") == set()  # beyond them: not indexed, on SQLite as on PostgreSQL
    assert _found("材有") == set()  # the bigram across the limit is not indexed either


def test_a_bigram_is_indexed_at_most_max_positions_times_on_either_database(world: Any) -> None:
    from xinfang.desk import search

    content = "拖欠，" * search.MAX_POSITIONS + "拖欠宏达"
    m = register(world, title="反复", content=content)
    assert _found("拖欠") == {m.pk}
    assert _found("欠宏达") == {m.pk}
    # the 257th 拖欠 is not indexed, as PostgreSQL would drop its position
    assert _found("拖欠宏达") == set()


def test_a_huge_content_registers_and_is_searchable(client: Any, world: Any) -> None:
    from tests.desk.test_register import form_data

    content = "村民反映道路积水。" + "情况说明" * 200_000  # 800,000 characters
    client.force_login(world.registrar)
    response = client.post(
        reverse("desk:register"),
        {**form_data(content=content, title="道路积水"), "office": world.bureau.pk},
    )
    assert response.status_code == 302
    m = Matter.objects.get()
    assert len(m.content) == len(content)
    assert _found("道路积水") == {m.pk}


# --- 7. loaddata, the original of a repeat, htmx and caches ------------------------------------


def test_loaddata_leaves_the_index_to_the_rebuild_command(world: Any, tmp_path: Any) -> None:
    from io import StringIO

    from django.core import serializers
    from django.core.management import call_command

    from xinfang.desk import search

    m = register(world, title="采石放炮", content="双井村村民反映采石震裂房屋。")
    fixture = tmp_path / "matters.json"
    fixture.write_text(serializers.serialize("json", [m]), encoding="utf-8")
    search.rebuild([])  # an empty index, as before a load
    call_command("loaddata", str(fixture), verbosity=0)
    assert _found("双井村") == set()  # raw rows are not indexed one by one
    call_command("search_index", "rebuild", stdout=StringIO())
    assert _found("双井村") == {m.pk}


def test_the_original_of_a_repeat_is_named_only_to_who_may_see_it(client: Any, world: Any) -> None:
    from tests.matters.flows import walk
    from xinfang.matters import services
    from xinfang.matters.selectors import is_visible

    # An accusation against the county government: its people may not see it.
    original = walk(world, "accepted", type=MatterType.ACCUSATION, accused_units=[world.gov])
    repeat = register(world)
    repeat = services.matter_link_repeat(matter=repeat, actor=world.registrar, original=original)
    assert is_visible(world.gov_lead, repeat) and not is_visible(world.gov_lead, original)
    body = as_user(client, world.gov_lead).get(detail(repeat)).content.decode()
    assert original.number not in body  # neither in the facts nor in the timeline
    assert detail(original) not in body
    assert "（涉及您无权查看的事项）" in body
    body = as_user(client, world.registrar).get(detail(repeat)).content.decode()
    assert original.number in body and f'href="{detail(original)}"' in body
    assert "（涉及您无权查看的事项）" not in body
    # and the original's page names the repeat only to who may see the repeat
    body = as_user(client, world.registrar).get(detail(original)).content.decode()
    assert repeat.number in body


def test_htmx_fragments_vary_on_hx_request_and_a_history_restore_gets_the_page(
    client: Any, world: Any
) -> None:
    m = register(world)
    client.force_login(world.registrar)
    full = client.get(reverse("desk:list"))
    fragment = client.get(reverse("desk:list"), HTTP_HX_REQUEST="true")
    restore = client.get(
        reverse("desk:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    for response in (full, fragment, restore):
        assert "HX-Request" in response["Vary"]
    assert "<html" in full.content.decode() and "<html" not in fragment.content.decode()
    assert 'id="results"' in fragment.content.decode()
    assert "<html" in restore.content.decode()  # the whole page, not the fragment
    posted = client.post(
        reverse("desk:action", kwargs={"pk": m.pk, "action": "attach"}),
        {
            "attach-expected_version": m.version,
            "attach-file": SimpleUploadedFile("补充.txt", b"note"),
        },
        HTTP_HX_REQUEST="true",
    )
    assert posted.status_code == 200 and "HX-Request" in posted["Vary"]
    assert "<html" not in posted.content.decode()


# --- the repeat warning keeps an accuser's identity (routing.find_repeats) ---------------------


def test_the_repeat_warning_does_not_reveal_who_filed_an_accusation(
    client: Any, world: Any
) -> None:
    from tests.matters.flows import walk

    accusation = walk(
        world, "accepted", type=MatterType.ACCUSATION, accused_units=[world.other]
    )  # forwarded to 县人社局, which may not know who filed it
    data = _registration(world, office=world.dept.pk)
    client.force_login(world.dept_registrar)
    response = client.post(reverse("desk:register"), data)
    assert response.status_code == 302  # no warning: it would tell them 张三 filed it
    assert accusation.number not in client.get(response["Location"]).content.decode()
    # the registering office, which knows the accuser, is warned
    client.force_login(world.registrar)
    response = client.post(reverse("desk:register"), _registration(world))
    assert response.status_code == 200
    assert accusation.number in response.content.decode()
