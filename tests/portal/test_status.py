"""The status page: plain words, the clocks, the documents, rating and review, and what it
never shows (staff notes, staff names, other matters, an accuser's identity)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.conftest import register
from tests.matters.flows import on, snapshot
from tests.portal.conftest import (
    REPLIED_ON,
    REVIEWED_ON,
    STAFF_NOTE,
    SUBMITTED_ON,
    advance,
    last_matter,
    lookup,
    submit,
)
from xinfang.audit.chain import verify_all
from xinfang.deadlines.services import find_drift, matter_clocks
from xinfang.matters import services
from xinfang.matters.models import Evaluation, Event, LegalChannel, Matter, MatterType
from xinfang.org.models import Unit


def opened(matter: Matter) -> Client:
    client = Client()
    assert lookup(client, matter.number, matter.query_code).status_code == 302
    return client


def page_of(client: Client) -> str:
    response = client.get("/portal/matter/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_follows_the_matter_as_staff_act(world: Any, portal_matter: Matter) -> None:
    with on(date(2026, 3, 2)):
        page = page_of(opened(portal_matter))
    assert "清河县信访局已收到并登记" in page
    assert "2026年03月17日" in page  # route: 15 days after 2 March
    assert "《信访工作条例》第二十二条" in page

    advance(world, portal_matter, "forwarded")
    with on(date(2026, 3, 3)):
        page = page_of(opened(portal_matter))
    assert "已转送县人社局" in page
    assert "县人社局将在2026年03月18日前书面告知您是否受理" in page
    assert 'id="handling-unit">县人社局<' in page

    m = Matter.objects.get(pk=portal_matter.pk)
    services.matter_accept(matter=m, actor=world.unit_lead)
    m.refresh_from_db()
    page = page_of(opened(m))
    assert "已受理，县人社局正在办理" in page
    assert "您收到书面答复" in page


def test_after_the_reply_the_petitioner_rates_once_and_asks_for_review(
    world: Any, portal_matter: Matter
) -> None:
    m = advance(world, portal_matter, "replied")
    with on(date(2026, 3, 18)):
        client = opened(m)
        page = page_of(client)
        # The written reply, as a document to read and download.
        assert "信访处理意见书" in page
        assert "经调查，已督促该公司于三月底前支付全部工资。" in page
        assert "处理意见：支持" in page and "《劳动合同法》第三十条" in page
        doc_seq = Event.objects.get(matter=m, kind="replied").seq
        download = client.get(f"/portal/matter/documents/{doc_seq}/")
        assert download.status_code == 200
        assert "经调查" in download.content.decode()
        assert download["Content-Disposition"].startswith("attachment;")
        # Rating: once.
        assert "2026年04月15日" in page  # review window: 30 days after 16 March
        response = client.post(
            "/portal/matter/rate/", {"rating": "basically", "comment": "还算及时"}
        )
        assert response.status_code == 302
        evaluation = Evaluation.objects.get(matter=m)
        assert (evaluation.rating, evaluation.comment, evaluation.recorded_by) == (
            "basically",
            "还算及时",
            None,
        )
        page = page_of(client)
        assert "您已于2026年03月18日评价：基本满意" in page
        before = snapshot(m)
        response = client.post("/portal/matter/rate/", {"rating": "unsatisfied"})
        assert response.status_code == 409
        assert "该事项已经评价过，每件事项只能评价一次" in response.content.decode()
        assert snapshot(m) == before
        # Review: with reasons; the body one level up.
        response = client.post("/portal/matter/review/", {"reasons": ""})
        assert response.status_code == 400
        assert snapshot(m) == before
        response = client.post("/portal/matter/review/", {"reasons": "工资仍未全部支付"})
        assert response.status_code == 302
    m.refresh_from_db()
    assert m.state == "review_requested" and m.review_unit == world.gov
    event = Event.objects.filter(matter=m).order_by("-seq").first()
    assert event is not None and (event.kind, event.actor_id) == ("review_requested", None)
    with on(date(2026, 3, 18)):
        page = page_of(client)
    assert "清河县人民政府正在复查" in page
    assert "工资仍未全部支付" in page
    assert verify_all() == [] and find_drift() == []


def test_after_the_window_the_page_says_plainly_why_review_is_not_possible(
    world: Any, portal_matter: Matter
) -> None:
    m = advance(world, portal_matter, "replied")
    with on(date(2026, 4, 16)):
        client = opened(m)
        page = page_of(client)
        assert "已不能申请复查" in page and "已于2026年04月15日届满" in page
        assert 'action="/portal/matter/review/"' not in page
        before = snapshot(m)
        response = client.post("/portal/matter/review/", {"reasons": "不服"})
        assert response.status_code == 409
        assert "请求复查应当自收到书面答复之日起30日内提出" in response.content.decode()
        assert snapshot(m) == before


def test_re_review_within_its_window_and_not_after(world: Any, portal_matter: Matter) -> None:
    m = advance(world, portal_matter, "reviewed")
    with on(date(2026, 3, 26)):
        client = opened(m)
        page = page_of(client)
        assert "复查意见书" in page and "维持原处理意见" in page
        assert "申请复核" in page and "2026年04月24日" in page
        assert client.post("/portal/matter/review/", {"reasons": "不服复查"}).status_code == 302
    m.refresh_from_db()
    assert m.state == "re_review_requested" and m.re_review_unit == world.city

    other = advance(world, _submitted(world), "reviewed")
    with on(date(2026, 4, 30)):
        page = page_of(opened(other))
    assert "已不能申请复核" in page and "已于2026年04月24日届满" in page


def _submitted(world: Any) -> Matter:
    with on(SUBMITTED_ON):
        assert submit(Client()).status_code == 302
    return last_matter()


def test_the_public_page_never_shows_staff_notes_names_or_other_matters(
    world: Any, portal_matter: Matter
) -> None:
    m = advance(world, portal_matter, "in_handling", note=STAFF_NOTE)
    with on(date(2026, 3, 6)):
        services.matter_declare_interest(matter=m, actor=world.handler2, reason="是其亲属")
        services.matter_request_extension(matter=m, actor=world.handler, days=20, reason="内部原因")
    # A second matter by the same person, linked to this one as a repeat.
    with on(date(2026, 3, 7)):
        repeat = register(world, title="再次反映工资问题")
        services.matter_link_repeat(matter=repeat, actor=world.registrar, original=m)
    with on(date(2026, 3, 8)):
        page = page_of(opened(m))
    assert STAFF_NOTE not in page
    for staff in ("包案领导：", "分管领导", "登记员", "人社局长", "是其亲属", "内部原因"):
        assert staff not in page, staff
    assert repeat.number not in page
    assert "您再次反映的同一事项已并入本事项一并办理" in page
    # Nor the petitioner's own identifiers.
    assert "110101197003070012" not in page and "13800138000" not in page
    # The repeat's page does not show the original's number either.
    repeat.refresh_from_db()
    with on(date(2026, 3, 8)):
        page = page_of(opened(repeat))
    assert m.number not in page
    assert "已并入该事项办理" in page


def test_one_visitor_sees_only_the_matter_they_proved(world: Any, portal_matter: Matter) -> None:
    other = register(world, title="另一件事项的标题", content="另一人的内容")
    client = opened(portal_matter)
    page = page_of(client)
    assert "另一件事项的标题" not in page and other.number not in page
    # Documents are looked up on the proven matter only: another matter's event number is 404.
    other_event = Event.objects.get(matter=other)
    response = client.get(f"/portal/matter/documents/{other_event.seq}/")
    assert response.status_code == 404
    # Proving the other matter replaces the first one.
    assert lookup(client, other.number, other.query_code).status_code == 302
    page = page_of(client)
    assert other.number in page and portal_matter.number not in page
    # Leaving forgets it.
    assert client.post("/portal/leave/").status_code == 302
    assert client.get("/portal/matter/")["Location"] == "/portal/lookup/"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_accusers_identity_is_shown_on_no_public_page(world: Any, language: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert (
        submit(client, type="accusation", name="王检举", content="某局长收受贿赂").status_code
        == 302
    )
    m = last_matter()
    assert m.type == MatterType.ACCUSATION
    pages = [
        client.get("/portal/receipt/").content.decode(),
        client.get("/portal/receipt/download/").content.decode(),
        client.get("/portal/matter/").content.decode(),
    ]
    with on(date.today()):
        services.matter_forward(matter=m, actor=world.registrar, to_unit=world.discipline)
    pages.append(page_of(opened(m)))
    for page in pages:
        assert "王检举" not in page
        assert "13800138000" not in page and "110101197003070012" not in page
    assert "王**" in pages[0]
    assert REPLIED_ON < REVIEWED_ON  # the timeline constants used above stay ordered


# --- What the petitioner is told of an extension, a refusal, a guidance --------------------------

APPROVER_NOTE = "审批备注：同意，注意控制该人上访"
EXTENSION_REASON = "涉及多个部门，需要补充调查取证"


def test_an_approved_extension_shows_its_days_new_due_date_and_reason_never_the_note(
    world: Any, portal_matter: Matter
) -> None:
    m = advance(world, portal_matter, "in_handling")
    with on(date(2026, 3, 10)):
        m = services.matter_request_extension(
            matter=m, actor=world.handler, days=20, reason=EXTENSION_REASON
        )
        m = services.matter_decide_extension(
            matter=m, actor=world.unit_lead, approve=True, note=APPROVER_NOTE
        )
    handling = next(c for c in matter_clocks(m) if c.key == "handling")
    assert handling.extra_days == 20
    new_due = handling.due_on.strftime("%Y年%m月%d日")
    approved = Event.objects.get(matter=m, kind="extension_approved")
    assert approved.text == APPROVER_NOTE  # kept for the record, inside
    with on(date(2026, 3, 11)):
        client = opened(m)
        page = page_of(client)
        download = client.get(f"/portal/matter/documents/{approved.seq}/")
        receipt = client.get("/portal/receipt/").content.decode()
        receipt_file = client.get("/portal/receipt/download/").content.decode()
    assert download.status_code == 200
    document = download.content.decode()
    for text in (page, document, receipt, receipt_file):
        assert APPROVER_NOTE not in text and "注意控制" not in text
    # The notice: the days, the new due date and the statutory reason (the request's).
    assert "延期告知" in page
    assert "答复期限经批准延长20日。" in page
    assert f"延期理由：{EXTENSION_REASON}" in page
    assert f"新的答复期限：{new_due}" in page
    assert f"延期理由：{EXTENSION_REASON}" in document
    assert "延长20日。" in document and f"新的答复期限：{new_due}" in document


def test_the_reasons_of_a_refusal_and_of_a_guidance_are_on_the_status_page(
    world: Any, portal_matter: Matter
) -> None:
    m = advance(world, portal_matter, "forwarded")
    with on(date(2026, 3, 4)):
        services.matter_decline(matter=m, actor=world.unit_lead, reason="该事项已经人民法院判决")
        page = page_of(opened(m))
    assert "县人社局决定不予受理。" in page
    assert "该事项已经人民法院判决" in page

    other = advance(world, _submitted(world), "forwarded")
    with on(date(2026, 3, 4)):
        services.matter_guide(
            matter=other,
            actor=world.unit_lead,
            legal_channel=LegalChannel.ARBITRATION,
            reason="属于劳动争议，请向劳动人事争议仲裁委员会申请仲裁",
        )
        page = page_of(opened(other))
    assert "属于劳动争议，请向劳动人事争议仲裁委员会申请仲裁" in page
    assert "县人社局告知您通过法定途径解决。" in page
    assert "法定途径：仲裁" in page


# --- Review when no body one level up is on record -----------------------------------------------


def test_without_a_higher_body_the_review_form_is_hidden_and_the_office_named(
    world: Any, portal_matter: Matter
) -> None:
    m = advance(world, portal_matter, "replied")
    Unit.objects.filter(pk=m.lead_unit_id).update(parent=None)
    with on(date(2026, 3, 18)):
        client = opened(m)
        page = page_of(client)
        assert 'action="/portal/matter/review/"' not in page
        assert (
            "本事项无法在网上申请复查：这里无法确定上一级复查机关。请联系清河县信访局，"
            "由其告知您向哪个机关申请。"
        ) in page
        # Posting anyway is refused plainly, and nothing changes.
        before = snapshot(m)
        response = client.post("/portal/matter/review/", {"reasons": "不服答复"})
        assert response.status_code == 409
        assert "请联系清河县信访局" in response.content.decode()
        assert "请指定复查机关" not in response.content.decode()
        assert snapshot(m) == before
