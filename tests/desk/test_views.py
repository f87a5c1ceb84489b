"""Every workbench page: login required, 404 outside scope, 403 where read-only, 405 on the wrong
method, and what each answers inside its scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import VALID_ID, register
from tests.matters.flows import fresh, on, snapshot, walk
from xinfang.matters.models import Attachment, Category, Matter, MatterType, State
from xinfang.matters.services import Upload


def detail(m: Matter) -> str:
    return reverse("desk:matter", kwargs={"pk": m.pk})


def action(m: Matter, key: str) -> str:
    return reverse("desk:action", kwargs={"pk": m.pk, "action": key})


def as_user(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


@pytest.fixture
def attached(world: Any) -> tuple[Matter, Attachment]:
    m = register(
        world,
        attachments=[
            Upload(
                name="来信扫描.pdf",
                stream=SimpleUploadedFile("来信扫描.pdf", b"%PDF-1.4 scan"),
                content_type="application/pdf",
            )
        ],
    )
    return m, m.attachments.get()


# --- login, methods ----------------------------------------------------------------------------


def pages(m: Matter, a: Attachment) -> dict[str, str]:
    return {
        "home": reverse("desk:home"),
        "list": reverse("desk:list"),
        "register": reverse("desk:register"),
        "matter": detail(m),
        "attachment": reverse("desk:attachment", kwargs={"pk": m.pk, "attachment_id": a.pk}),
    }


def test_every_page_needs_login(client: Any, attached: Any) -> None:
    m, a = attached
    for url in [*pages(m, a).values(), action(m, "forward")]:
        method = client.post if "forward" in url else client.get
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize(
    ("page", "method"),
    [
        ("home", "post"),
        ("list", "post"),
        ("matter", "post"),
        ("attachment", "post"),
        ("register", "put"),
        ("register", "delete"),
    ],
)
def test_wrong_method_is_405(
    client: Any, world: Any, attached: Any, page: str, method: str
) -> None:
    m, a = attached
    as_user(client, world.registrar)
    assert getattr(client, method)(pages(m, a)[page]).status_code == 405


def test_an_action_is_a_post_only(client: Any, world: Any) -> None:
    m = register(world)
    as_user(client, world.registrar)
    assert client.get(action(m, "forward")).status_code == 405
    assert fresh(m).state == State.REGISTERED


# --- 404 outside scope -------------------------------------------------------------------------


def test_a_matter_outside_the_scope_is_404_on_every_page(
    client: Any, world: Any, attached: Any
) -> None:
    m, a = attached
    before = snapshot(m)
    as_user(client, world.outsider)  # 县住建局: another department
    assert client.get(detail(m)).status_code == 404
    assert client.get(pages(m, a)["attachment"]).status_code == 404
    response = client.post(action(m, "accept"), {"accept-expected_version": m.version})
    assert response.status_code == 404
    assert snapshot(m) == before


def test_a_missing_matter_and_an_unknown_action_are_404(client: Any, world: Any) -> None:
    m = register(world)
    as_user(client, world.registrar)
    assert client.get(reverse("desk:matter", kwargs={"pk": 999999})).status_code == 404
    assert client.post(action(m, "teleport")).status_code == 404


def test_outside_matters_are_not_listed_nor_found_by_search(client: Any, world: Any) -> None:
    m = register(world, title="采石放炮")
    as_user(client, world.outsider)
    body = client.get(reverse("desk:list"), {"q": "采石"}).content.decode()
    assert m.number not in body
    assert m.number not in client.get(reverse("desk:home")).content.decode()


def test_another_units_attachment_id_is_404(client: Any, world: Any, attached: Any) -> None:
    m, a = attached
    other = register(world)
    as_user(client, world.registrar)
    url = reverse("desk:attachment", kwargs={"pk": other.pk, "attachment_id": a.pk})
    assert client.get(url).status_code == 404
    response = client.get(reverse("desk:attachment", kwargs={"pk": m.pk, "attachment_id": a.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert "attachment;" in response["Content-Disposition"]


# --- 403 read-only -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "auditor"])
def test_read_only_roles_see_the_matter_but_may_not_act(client: Any, world: Any, who: str) -> None:
    m = register(world)
    before = snapshot(m)
    as_user(client, getattr(world, who))
    page = client.get(detail(m))
    assert page.status_code == 200
    body = page.content.decode()
    assert m.number in body
    assert 'id="do-' not in body  # no action offered
    refused = client.get(reverse("desk:register"))
    assert refused.status_code == 403
    assert "您的角色不能登记信访事项。" in refused.content.decode()
    response = client.post(
        action(m, "forward"),
        {"forward-expected_version": m.version, "forward-to_unit": world.dept.pk},
    )
    assert response.status_code == 403
    assert "您的角色只能查看信访事项。" in response.content.decode()
    assert snapshot(m) == before


def test_a_handler_may_not_register(client: Any, world: Any) -> None:
    as_user(client, world.handler)
    assert client.get(reverse("desk:register")).status_code == 403


# --- the matter page and its actions -----------------------------------------------------------


def test_the_page_offers_only_what_the_user_may_do_now(client: Any, world: Any) -> None:
    m = register(world)
    body = as_user(client, world.registrar).get(detail(m)).content.decode()
    for key in ("accept", "forward", "assign", "decline", "guide", "link"):
        assert f'id="do-{key}"' in body
    assert 'id="do-owners"' not in body and 'id="do-reply"' not in body

    forwarded = walk(world, "forwarded")
    body = as_user(client, world.registrar).get(detail(forwarded)).content.decode()
    assert 'id="do-accept"' not in body and 'id="do-forward"' not in body
    body = as_user(client, world.unit_lead).get(detail(forwarded)).content.decode()
    assert 'id="do-accept"' in body and 'id="do-object"' in body
    body = as_user(client, world.handler).get(detail(forwarded)).content.decode()
    assert 'id="do-accept"' not in body

    handled = walk(world, "in_handling")
    body = as_user(client, world.handler).get(detail(handled)).content.decode()
    assert 'id="do-reply"' in body and 'id="do-extension"' in body
    assert 'id="do-extension_decision"' not in body
    body = as_user(client, world.handler2).get(detail(handled)).content.decode()
    assert 'id="do-reply"' not in body  # not their matter


def test_the_page_shows_clocks_petitioners_masked_and_the_timeline(client: Any, world: Any) -> None:
    m = walk(world, "accepted")
    body = as_user(client, world.unit_lead).get(detail(m)).content.decode()
    assert "办理期限" in body and "《信访工作条例》第三十四条" in body
    assert "张三" in body
    assert VALID_ID not in body and "13800138000" not in body
    assert "138****8000" in body
    assert "县人社局受理" in body  # the timeline's record


def test_an_accusers_identity_is_withheld_from_who_may_not_know_it(client: Any, world: Any) -> None:
    m = register(world, type=MatterType.ACCUSATION, accused_units=[world.other])
    body = as_user(client, world.gov_lead).get(detail(m)).content.decode()
    assert "（保密）" in body and "张三" not in body
    body = as_user(client, world.registrar).get(detail(m)).content.decode()
    assert "张三" in body
    assert as_user(client, world.outsider).get(detail(m)).status_code == 404  # the accused


def test_an_action_without_javascript_redirects_back_with_a_message(
    client: Any, world: Any
) -> None:
    m = register(world)
    as_user(client, world.registrar)
    response = client.post(
        action(m, "forward"),
        {"forward-expected_version": m.version, "forward-to_unit": world.dept.pk},
    )
    assert response.status_code == 303
    assert response["Location"] == detail(m)
    m = fresh(m)
    assert m.state == State.FORWARDED and m.lead_unit == world.dept
    page = client.get(response["Location"]).content.decode()
    assert "已转送。" in page


def test_an_action_with_htmx_answers_with_the_matter_body_alone(client: Any, world: Any) -> None:
    m = register(world)
    as_user(client, world.registrar)
    response = client.post(
        action(m, "accept"),
        {"accept-expected_version": m.version, "accept-note": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="matter-body">')
    assert "<html" not in body
    assert "已受理，办理期限开始计算。" in body
    assert fresh(m).state == State.ACCEPTED


def test_a_stale_version_is_refused_with_a_clear_message_and_changes_nothing(
    client: Any, world: Any
) -> None:
    m = register(world)
    stale = m.version
    as_user(client, world.registrar)
    client.post(action(m, "accept"), {"accept-expected_version": stale})  # someone else
    before = snapshot(m)
    response = client.post(
        action(m, "forward"), {"forward-expected_version": stale, "forward-to_unit": world.dept.pk}
    )
    assert response.status_code == 409
    assert "该事项已被他人更新，请刷新页面" in response.content.decode()
    assert snapshot(m) == before


def test_a_refused_action_shows_the_reason_with_its_status(client: Any, world: Any) -> None:
    m = walk(world, "accepted")
    before = snapshot(m)
    # Accepted already: the service refuses (409), the page says why.
    response = as_user(client, world.unit_lead).post(
        action(m, "accept"), {"accept-expected_version": m.version}
    )
    assert response.status_code == 409
    assert "不能受理" in response.content.decode()
    # A handler may not accept for the unit (403), though the form is valid.
    forwarded = walk(world, "forwarded")
    response = as_user(client, world.handler).post(
        action(forwarded, "accept"), {"accept-expected_version": forwarded.version}
    )
    assert response.status_code == 403
    assert "没有受理的权限" in response.content.decode()
    assert snapshot(m) == before


def test_bad_input_is_400_keeps_what_was_typed_and_changes_nothing(client: Any, world: Any) -> None:
    m = walk(world, "in_handling")
    before = snapshot(m)
    as_user(client, world.handler)
    response = client.post(
        action(m, "extension"),
        {
            "extension-expected_version": m.version,
            "extension-days": "45",
            "extension-reason": "复杂",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请修改标出的内容。" in body and "复杂" in body
    # A reply whose decision lacks its basis: the service's InvalidInput, on the field.
    response = client.post(
        action(m, "reply"),
        {"reply-expected_version": m.version, "reply-decision": "support", "reply-text": "已解决"},
    )
    assert response.status_code == 400
    assert "已解决" in response.content.decode()
    assert snapshot(m) == before


def test_extension_request_and_approval_move_the_handling_due_date(client: Any, world: Any) -> None:
    m = walk(world, "in_handling")  # accepted on 4 March 2026
    due = fresh(m).due_date
    with on(date(2026, 3, 10)):
        response = as_user(client, world.handler).post(
            action(m, "extension"),
            {
                "extension-expected_version": m.version,
                "extension-days": "20",
                "extension-reason": "需会商",
            },
        )
        assert response.status_code == 303
        m = fresh(m)
        body = as_user(client, world.unit_lead).get(detail(m)).content.decode()
        assert 'id="do-extension_decision"' in body
        response = client.post(
            action(m, "extension_decision"),
            {"extension_decision-expected_version": m.version, "extension_decision-approve": "yes"},
        )
        assert response.status_code == 303
    m = fresh(m)
    assert m.extension_days == 20
    assert m.due_date is not None and due is not None and m.due_date > due


def test_an_attachment_is_added_from_the_page(client: Any, world: Any) -> None:
    m = register(world)
    as_user(client, world.registrar)
    response = client.post(
        action(m, "attach"),
        {
            "attach-expected_version": m.version,
            "attach-file": SimpleUploadedFile("补充材料.jpg", b"\xff\xd8\xff jpeg"),
            "attach-note": "补充照片",
        },
    )
    assert response.status_code == 303
    assert fresh(m).attachments.get().original_name == "补充材料.jpg"


def test_link_as_repeat_from_the_page(client: Any, world: Any) -> None:
    original = walk(world, "accepted")
    repeat = register(world)
    response = as_user(client, world.registrar).post(
        action(repeat, "link"),
        {"link-expected_version": repeat.version, "link-original": original.number},
    )
    assert response.status_code == 303
    repeat = fresh(repeat)
    assert repeat.state == State.LINKED and repeat.repeat_of_id == original.pk
    body = client.get(detail(original)).content.decode()
    assert repeat.number in body  # listed as a repeat on the original


def test_english_is_switchable(client: Any, world: Any) -> None:
    m = register(world)
    as_user(client, world.registrar)
    body = client.get(detail(m), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What you can do now" in body and "Clocks" in body
    body = client.get(detail(m)).content.decode()
    assert "您现在可以办理" in body


def test_an_online_submission_shows_the_petitioner_as_its_author(client: Any, world: Any) -> None:
    from django.utils import timezone

    from xinfang.matters.models import Channel
    from xinfang.matters.services import PetitionerInput
    from xinfang.matters.services.registration import register_at_office

    m = register_at_office(
        office=world.bureau,
        actor=None,
        channel=Channel.ONLINE,
        received_at=timezone.now(),
        content="网上反映：小区路灯不亮。",
        type=MatterType.SUGGESTION,
        petitioners=[PetitionerInput(name="赵六", phone="13800138000")],
    )
    body = as_user(client, world.registrar).get(detail(m)).content.decode()
    assert "信访人（网上）" in body and 'id="do-forward"' in body
    home = client.get(reverse("desk:home")).content.decode()
    assert m.number in home


def test_an_unclassified_matter_offers_classification_first_and_saves_it(
    client: Any, world: Any
) -> None:
    labour = Category.objects.create(name="劳动与社会保障")
    m = register(world)  # no category: classification comes first
    body = as_user(client, world.registrar).get(detail(m)).content.decode()
    assert body.index('id="do-classify"') < body.index('id="do-forward"')

    response = client.post(
        action(m, "classify"),
        {
            "classify-expected_version": m.version,
            "classify-type": MatterType.REQUEST,
            "classify-category": labour.pk,
            "classify-region": "",
        },
    )
    assert response.status_code == 303
    m = fresh(m)
    assert (m.category, m.type, m.state) == (labour, MatterType.REQUEST, State.REGISTERED)
    assert m.events.filter(kind="classified").count() == 1
    assert "分类已保存。" in client.get(detail(m)).content.decode()

    # Classified now: still offered, but no longer first; after acceptance not at all.
    body = client.get(detail(m)).content.decode()
    assert body.index('id="do-forward"') < body.index('id="do-classify"')
    accepted = walk(world, "accepted")
    body = as_user(client, world.unit_lead).get(detail(accepted)).content.decode()
    assert 'id="do-classify"' not in body


def test_an_unchanged_classification_is_refused_and_changes_nothing(
    client: Any, world: Any
) -> None:
    m = register(world)
    before = snapshot(m)
    response = as_user(client, world.registrar).post(
        action(m, "classify"),
        {"classify-expected_version": m.version, "classify-type": m.type},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "分类没有变化。" in response.content.decode()
    assert snapshot(m) == before
