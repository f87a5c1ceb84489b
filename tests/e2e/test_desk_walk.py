"""The whole path as staff walk it, in a real browser, every step through the workbench's forms:
a registrar registers a collective visit and forwards it; the department accepts it and names
the leader and handler; the handler asks for an extension, the unit lead approves it, the handler
replies. The clocks on the page change at each step, and a handler of another unit gets 404."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import VALID_ID
from xinfang.deadlines.services import matter_clocks
from xinfang.matters.models import Matter, State

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests"  # tests/factories.py UserFactory


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("^我的工作"))).to_be_visible()


def log_out(page: Any) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()


def clock_row(page: Any, label: str) -> Any:
    return page.locator("table.clocks tr").filter(has_text=label)


def handling_due(matter: Matter) -> date:
    """The handling clock's due date as the deadlines service computes it."""
    matter.refresh_from_db()
    clocks = [c for c in matter_clocks(matter) if c.key == "handling"]
    return clocks[-1].due_on


def open_action(page: Any, label: str) -> Any:
    """The action's form (a <details> on the side of the matter page), opened."""
    summary = page.locator("aside.actions summary").filter(
        has_text=re.compile(f"^{re.escape(label)}$")
    )
    details = summary.locator("xpath=..")
    if details.get_attribute("open") is None:
        summary.click()
    return details


def test_a_collective_visit_walks_from_registration_to_reply(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    today = timezone.localdate()

    # --- The registrar registers a collective visit with two representatives.
    log_in(page, base, "registrar")
    screenshot("01-registrar-home")
    page.get_by_role("link", name="登记新事项").click()
    expect(page.get_by_role("heading", name=re.compile("^登记信访事项"))).to_be_visible()
    page.get_by_label("信访形式").select_option("visit")
    page.get_by_label("姓名 1").fill("王大山")
    page.get_by_label("电话 1").fill("13800138000")
    page.get_by_label("身份证号码 1").fill(VALID_ID)
    page.get_by_label("住址 1").fill("永安镇双井村")
    page.get_by_label("姓名 2").fill("李秀兰")
    page.get_by_label("电话 2").fill("13900139000")
    page.get_by_label("集体访（信）（多人）").check()
    page.get_by_label("人数").fill("12")
    page.get_by_label("类型").select_option("request")
    page.get_by_label("标题").fill("双井村征地补偿款未发放")
    page.get_by_label("内容", exact=True).fill(
        "永安镇双井村十二户村民反映，2025年征地的补偿款至今未发放，请求尽快发放。"
    )
    screenshot("02-registration-form")
    page.get_by_role("button", name="登记", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("已登记，编号清信")
    matter = Matter.objects.get(title="双井村征地补偿款未发放")
    assert matter.is_collective and matter.head_count == 12
    assert matter.petitioners.count() == 2
    expect(page.locator("#state")).to_have_text("已登记")
    route = clock_row(page, "转送交办期限")
    expect(route).to_contain_text("剩15天")
    expect(route).to_contain_text("第二十二条")
    # The ID number is masked on the page.
    expect(page.get_by_role("cell", name=VALID_ID)).to_have_count(0)
    expect(page.locator("body")).to_contain_text(VALID_ID[:3])
    screenshot("03-registered")

    # --- It is forwarded to the county department of human resources.
    form = open_action(page, "转送")
    form.get_by_label("接收单位").select_option(label="县人社局")
    form.get_by_role("button", name="转送").click()
    expect(page.locator("#state")).to_have_text("已转送")
    expect(page.get_by_role("status")).to_be_focused()  # the keyboard lands on the news
    expect(page.locator("#lead-unit")).to_have_text("县人社局")
    expect(clock_row(page, "受理告知期限")).to_contain_text("剩15天")
    expect(clock_row(page, "转送交办期限")).to_contain_text(f"{today:%Y-%m-%d}完成")
    screenshot("04-forwarded")
    # The registrar's part is done: nothing left to offer them but the side actions.
    expect(page.locator("aside.actions summary", has_text=re.compile("^受理$"))).to_have_count(0)
    log_out(page)

    # --- The department's unit lead sees it waiting, accepts it, names leader and handler.
    log_in(page, base, "unit_lead")
    waiting = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("待转送交办或受理"))
    )
    expect(waiting.locator("a.count")).to_have_text("1")
    screenshot("05-unit-lead-home")
    waiting.get_by_role("link", name=matter.number).click()
    form = open_action(page, "受理")
    form.get_by_role("button", name="受理").click()
    expect(page.locator("#state")).to_have_text("已受理")
    handling = clock_row(page, "办理期限")
    expect(handling).to_contain_text("第三十四条")
    due_before = handling_due(matter)
    # 60 days from today, moved to the next working day when it falls on a day off.
    assert timedelta(days=60) <= due_before - today <= timedelta(days=63)
    expect(handling).to_contain_text(f"{due_before:%Y-%m-%d}")
    expect(handling).to_contain_text(f"剩{(due_before - today).days}天")

    form = open_action(page, "指定包案领导和承办人")
    form.get_by_label("包案领导").select_option(label="分管领导")
    form.get_by_label("承办人").select_option(label="承办人")
    form.get_by_role("button", name="指定包案领导和承办人").click()
    expect(page.locator("#state")).to_have_text("办理中")
    expect(page.locator("dl.facts")).to_contain_text("分管领导")
    screenshot("06-accepted-and-assigned")
    log_out(page)

    # --- The handler asks for a 30-day extension.
    log_in(page, base, "handler")
    page.goto(base + f"/matters/{matter.pk}/")
    form = open_action(page, "申请延期")
    form.get_by_label("延长天数（不超过30日）").fill("30")
    form.get_by_label("理由").fill("需要会同自然资源部门核实征地面积。")
    form.get_by_role("button", name="申请延期").click()
    expect(page.get_by_role("status")).to_contain_text("已申请延期")
    expect(page.locator("aside.actions summary", has_text=re.compile("^申请延期$"))).to_have_count(
        0
    )
    log_out(page)

    # --- The unit lead finds it among the extensions to approve, and approves it.
    log_in(page, base, "unit_lead")
    pending = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("待我审批的延期申请"))
    )
    expect(pending.locator("a.count")).to_have_text("1")
    pending.get_by_role("link", name=matter.number).click()
    form = open_action(page, "审批延期申请")
    form.get_by_label("同意", exact=True).check()
    form.get_by_role("button", name="审批延期申请").click()
    handling = clock_row(page, "办理期限")
    expect(handling).to_contain_text("延长30日")
    due_after = handling_due(matter)
    assert timedelta(days=90) <= due_after - today <= timedelta(days=93)
    expect(handling).to_contain_text(f"{due_after:%Y-%m-%d}")
    expect(handling).to_contain_text(f"剩{(due_after - today).days}天")
    expect(handling).not_to_contain_text(f"{due_before:%Y-%m-%d}")
    screenshot("07-extension-approved")
    log_out(page)

    # --- The handler replies with a decision; the petitioner's review window opens.
    log_in(page, base, "handler")
    page.goto(base + f"/matters/{matter.pk}/")
    form = open_action(page, "出具处理意见（答复）")
    form.get_by_label("处理意见").select_option("support")
    form.get_by_label("书面答复").fill("经核实，补偿款将于本月底前发放到户。")
    form.get_by_role("button", name="出具处理意见（答复）").click()
    # The basis is required with a decision: refused with the reason, nothing changed.
    expect(page.get_by_role("alert")).to_contain_text("请填写处理依据")
    expect(page.locator("#state")).to_have_text("办理中")
    form = open_action(page, "出具处理意见（答复）")
    expect(form.get_by_label("书面答复")).to_have_value("经核实，补偿款将于本月底前发放到户。")
    form.get_by_label("依据").fill("《土地管理法》第四十八条")
    form.get_by_role("button", name="出具处理意见（答复）").click()
    expect(page.locator("#state")).to_have_text("已答复")
    expect(clock_row(page, "办理期限")).to_contain_text(f"{today:%Y-%m-%d}完成")
    expect(clock_row(page, "申请复查期限")).to_contain_text("剩30天")
    expect(page.locator("ol.timeline")).to_contain_text("经核实，补偿款将于本月底前发放到户。")
    screenshot("08-replied")
    log_out(page)
    matter.refresh_from_db()
    assert matter.state == State.REPLIED and matter.extension_days == 30

    # --- A handler of another unit cannot even learn that the matter exists.
    log_in(page, base, "outsider")
    response = page.goto(base + f"/matters/{matter.pk}/")
    assert response is not None and response.status == 404
    screenshot("09-other-unit-404")
    assert errors == []


def test_without_javascript_the_forms_still_work(
    browser: Any, live_server: Any, world: Any, request: Any
) -> None:
    from tests.conftest import register
    from tests.e2e.conftest import LOCALE, VIEWPORT

    matter = register(world)
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORT, locale=LOCALE)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "registrar")
        page.goto(live_server.url + f"/matters/{matter.pk}/")
        # No JavaScript: <details> still opens natively; the form posts and redirects back.
        form = open_action(page, "转送")
        form.get_by_label("接收单位").select_option(label="县人社局")
        form.get_by_role("button", name="转送").click()
        expect(page).to_have_url(re.compile(rf"/matters/{matter.pk}/$"))
        expect(page.get_by_role("status")).to_contain_text("已转送")
        expect(page.locator("#state")).to_have_text("已转送")
    finally:
        context.close()
