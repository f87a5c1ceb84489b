"""The public portal on a phone, in a real browser: submit with an attachment, keep the receipt,
look the matter up, see it move as staff act (through the services), rate it, ask for a review;
and the refusals: a wrong code, a too-large or disguised upload, a flood of look-ups."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS, _file_name, screenshot_dir
from tests.matters.flows import snapshot
from tests.portal.conftest import EXE_BYTES, png_bytes
from xinfang.audit.chain import verify_all
from xinfang.matters import services
from xinfang.matters.models import Decision, Evaluation, Matter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A phone-sized, touch, zh-CN page in a fresh context (no cookies)."""
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True, device_scale_factor=2
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    try:
        if not page.is_closed():
            page.screenshot(path=screenshot_dir() / f"{_file_name(request.node.name)}.png")
    finally:
        context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    def take(page: Any, step: str) -> Path:
        path = screenshot_dir() / f"{_file_name(request.node.name)}-{_file_name(step)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def fill_the_form(page: Any, **overrides: str) -> None:
    page.get_by_label("申诉求决", exact=False).first.check()
    page.get_by_label("请用您自己的话写明事项").fill(
        overrides.get(
            "content", "某公司拖欠我和工友三个月工资共计两万元，多次讨要未果，请求督促支付。"
        )
    )
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("电子邮箱", exact=False).fill("zhang@example.org")
    page.get_by_label("住址").fill("永安镇幸福村3组")
    page.get_by_label("我已阅读办理流程说明", exact=False).check()


def test_a_petitioner_submits_keeps_the_receipt_follows_rates_and_asks_for_review(
    phone: Any, live_server: Any, world: Any, shot: Any, tmp_path: Path
) -> None:
    page = phone
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(live_server.url + "/portal/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="网上信访")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "1-home")
    page.get_by_role("link", name=re.compile("^提交信访事项")).first.click()

    expect(page.get_by_role("heading", name="提交信访事项")).to_be_visible()
    # Before submitting: what happens next, with the time limits.
    promises = page.locator(".promises")
    expect(promises).to_contain_text("15日内")
    expect(promises).to_contain_text("60日内")
    expect(promises).to_contain_text("30日内申请复核")
    fill_the_form(page)
    photo = tmp_path / "工资条.png"
    photo.write_bytes(png_bytes((300, 200)))
    page.get_by_label("照片或材料（可不填）").set_input_files(str(photo))
    no_sideways_scroll(page)
    shot(page, "2-form")
    page.get_by_role("button", name="提交事项").click()

    # The receipt: number and query code, printable and downloadable.
    expect(page.get_by_role("heading", name="您的事项已收到")).to_be_visible()
    matter = Matter.objects.get()
    number = page.locator("#receipt-number").inner_text().strip()
    code = page.locator("#receipt-code").inner_text().strip()
    assert number == matter.number
    assert code.replace("-", "") == matter.query_code
    expect(page.locator(".receipt")).to_contain_text("工资条.png")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "3-receipt")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载回执").click()
    saved = tmp_path / "receipt.txt"
    download_info.value.save_as(saved)
    receipt_text = saved.read_text(encoding="utf-8")
    assert number in receipt_text and code in receipt_text
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body
    assert matter.channel == "online" and matter.state == "registered"
    assert matter.attachments.get().content_type == "image/png"

    # Later, on another day: look it up with the receipt (a fresh browser, no session).
    page.context.clear_cookies()
    page.goto(live_server.url + "/portal/lookup/")
    page.get_by_label("事项编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#state-headline")).to_contain_text("清河县信访局已收到并登记")
    expect(page.get_by_role("heading", name="保障您权利的期限")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "4-registered")

    # Staff act, through the services: forwarded, accepted, owners, replied.
    m = services.matter_forward(matter=matter, actor=world.registrar, to_unit=world.dept)
    page.reload()
    expect(page.locator("#state-headline")).to_contain_text("已转送县人社局")
    expect(page.locator("#handling-unit")).to_have_text("县人社局")
    m = services.matter_accept(matter=m, actor=world.unit_lead)
    m = services.matter_assign_owners(
        matter=m, actor=world.unit_lead, leader=world.leader, handler=world.handler
    )
    page.reload()
    expect(page.locator("#state-headline")).to_contain_text("已受理，县人社局正在办理")
    shot(page, "5-in-handling")
    # An extension: the petitioner is told the days, the new due date and the reason of the
    # request (art. 34), never the approver's note.
    m = services.matter_request_extension(
        matter=m, actor=world.handler, days=15, reason="需要向多家单位调取工资发放记录"
    )
    m = services.matter_decide_extension(
        matter=m, actor=world.unit_lead, approve=True, note="内部：同意，注意口径"
    )
    page.reload()
    notice = page.locator(".doc").filter(has_text="延期告知")
    expect(notice).to_contain_text("延期理由：需要向多家单位调取工资发放记录")
    expect(notice).to_contain_text("延长15日。")
    expect(notice).to_contain_text("新的答复期限：")
    expect(page.locator("body")).not_to_contain_text("注意口径")
    no_sideways_scroll(page)
    shot(page, "5b-extended")
    services.matter_reply(
        matter=m,
        actor=world.handler,
        text="经调查，该公司已承诺于本月底前支付全部拖欠工资，县人社局将跟踪落实。",
        decision=Decision.SUPPORT,
        basis="《劳动合同法》第三十条",
    )
    page.reload()
    expect(page.locator("#state-headline")).to_contain_text("县人社局已作出书面答复")
    expect(page.get_by_role("heading", name="给您的书面文书")).to_be_visible()
    expect(page.locator(".doc").filter(has_text="信访处理意见书")).to_contain_text("处理意见：支持")
    no_sideways_scroll(page)
    shot(page, "6-replied")

    # Rate it, once.
    page.get_by_label("基本满意", exact=False).check()
    page.get_by_label("意见（可不填）").fill("答复及时，希望尽快落实。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("谢谢，您的评价已记录")
    expect(page.locator("#rate-note")).to_contain_text("基本满意")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    assert Evaluation.objects.get(matter=m).rating == "basically"

    # Ask for a review, with reasons.
    page.get_by_label("请写明理由", exact=False).fill("至今仍未收到工资。")
    page.get_by_role("button", name="申请复查").click()
    expect(page.get_by_role("status")).to_contain_text("您的申请已记录")
    expect(page.locator("#state-headline")).to_contain_text("清河县人民政府正在复查")
    expect(page.locator(".timeline")).to_contain_text("至今仍未收到工资。")
    no_sideways_scroll(page)
    shot(page, "7-review-requested")
    m.refresh_from_db()
    assert m.state == "review_requested"
    assert verify_all() == []

    outside = [url for url in requests if not url.startswith(live_server.url + "/")]
    assert outside == []
    assert errors == []


def test_refusals_are_clear_and_change_nothing(
    phone: Any, live_server: Any, world: Any, shot: Any, tmp_path: Path, settings: Any
) -> None:
    page = phone
    settings.XINFANG_PORTAL_MAX_FILE_BYTES = 200 * 1024
    settings.XINFANG_PORTAL_LOOKUP_SOFT = 2
    settings.XINFANG_PORTAL_LOOKUP_HARD = 4

    # A disguised file: an executable renamed .jpg.
    page.goto(live_server.url + "/portal/submit/")
    fill_the_form(page)
    fake = tmp_path / "照片.jpg"
    fake.write_bytes(EXE_BYTES)
    page.get_by_label("照片或材料（可不填）").set_input_files(str(fake))
    page.get_by_role("button", name="提交事项").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("您的事项尚未提交")
    expect(alert).to_contain_text("附件“照片.jpg”不是有效的图片（JPEG、PNG）或PDF文件")
    expect(alert).to_contain_text("请重新选择文件")
    # What they typed is kept; only the file must be chosen again.
    expect(page.get_by_label("您的姓名")).to_have_value("张三")
    no_sideways_scroll(page)
    shot(page, "1-disguised-upload")
    assert Matter.objects.count() == 0

    # A file over the limit.
    big = tmp_path / "大照片.png"
    big.write_bytes(png_bytes((64, 64)) + b"\0" * (300 * 1024))
    page.get_by_label("我已阅读办理流程说明", exact=False).check()
    page.get_by_label("照片或材料（可不填）").set_input_files(str(big))
    page.get_by_role("button", name="提交事项").click()
    expect(page.get_by_role("alert")).to_contain_text("附件“大照片.png”太大：每个文件不超过0.20MB")
    shot(page, "2-too-large")
    assert Matter.objects.count() == 0

    # A real matter, then a wrong code for it.
    from tests.conftest import register

    matter = register(world)
    before = snapshot(matter)
    page.goto(live_server.url + "/portal/lookup/")
    page.get_by_label("事项编号").fill(matter.number)
    page.get_by_label("查询码").fill("ABCD-EFGH-JKLM")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_contain_text("没有与该编号和查询码相符的事项")
    expect(page.get_by_label("查询码")).to_have_value("")
    no_sideways_scroll(page)
    shot(page, "3-wrong-code")

    # A flood: the second failure brings a question in words, then a refusal with a time.
    page.get_by_label("事项编号").fill(matter.number)
    page.get_by_label("查询码").fill("ABCD-EFGH-JKLN")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("请回答一个简单问题")).to_be_visible()
    expect(page.get_by_label("您的答案")).to_be_visible()
    shot(page, "4-challenge")
    for attempt in range(3):
        if page.get_by_label("事项编号").count() == 0:
            break
        page.get_by_label("事项编号").fill(matter.number)
        page.get_by_label("查询码").fill(f"ABCD-EFGH-JKL{attempt}")
        page.get_by_label("您的答案").fill("0")
        page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="请稍后再试")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"请在\d{2}:\d{2}以后再试"))
    no_sideways_scroll(page)
    shot(page, "5-refused")
    # Even the right code is refused until then; nothing changed.
    page.goto(live_server.url + "/portal/lookup/")
    expect(page.get_by_role("heading", name="请稍后再试")).to_be_visible()
    assert snapshot(matter) == before


def test_english_and_the_keyboard(phone: Any, live_server: Any, world: Any, shot: Any) -> None:
    page = phone
    page.goto(live_server.url + "/portal/lookup/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Look up my matter")).to_be_visible()
    expect(page.get_by_label("Matter number")).to_be_visible()
    shot(page, "1-english")
    # The first Tab reaches the skip link, which moves to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Matter number")).to_be_focused()

    # A replied matter, read in English: the state, the clocks and the written reply.
    from tests.conftest import register

    m = register(world)
    m = services.matter_forward(matter=m, actor=world.registrar, to_unit=world.dept)
    m = services.matter_accept(matter=m, actor=world.unit_lead)
    m = services.matter_assign_owners(
        matter=m, actor=world.unit_lead, leader=world.leader, handler=world.handler
    )
    services.matter_reply(
        matter=m, actor=world.handler, text="已督促支付。", decision=Decision.EXPLAIN, basis="法"
    )
    page.get_by_label("Matter number").fill(m.number)
    page.get_by_label("Query code").fill(m.query_code)
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#state-headline")).to_have_text("县人社局 has replied in writing.")
    expect(page.get_by_role("heading", name="Time limits that protect you")).to_be_visible()
    expect(page.get_by_text("You may ask for a review", exact=True)).to_be_visible()
    expect(page.locator(".doc")).to_contain_text("Decision: 解释说明 (explained)")
    no_sideways_scroll(page)
    shot(page, "2-english-status")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("#state-headline")).to_have_text("县人社局已作出书面答复。")
