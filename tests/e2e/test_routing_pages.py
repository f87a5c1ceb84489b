"""The routing pages in a real browser: the rules table and the clusters, as a registrar."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import register
from tests.routing.conftest import rworld  # noqa: F401  (the world with the categories)
from xinfang.matters.services import PetitionerInput

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests"  # tests/factories.py UserFactory


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_registrar_edits_the_rules_and_sees_a_cluster(
    page: Any,
    live_server: Any,
    rworld: Any,  # noqa: F811
    screenshot: Any,
) -> None:
    w = rworld
    # Three workers of one employer write in: the commit hook groups them as they arrive.
    for i, text in enumerate(
        (
            "宏达机械厂拖欠工人三个月工资，老板躲着不见，请求督促支付。",
            "我在宏达机械厂当焊工，厂里三个月没发工资了，二十多个工人都一样。",
            "宏达机械厂欠薪，我们去厂里讨要工资，老板说没钱。",
        )
    ):
        register(
            w,
            title="宏达机械厂欠薪",
            content=text,
            petitioners=[PetitionerInput(name=f"工人{i}", phone=f"1390000000{i}")],
        )
    log_in(page, live_server, "registrar")

    page.goto(live_server.url + "/routing/rules/")
    expect(page.get_by_role("heading", name="分办规则")).to_be_visible()
    page.get_by_label("内容分类").select_option(label="教育")
    page.get_by_label("责任单位").select_option(label="县教育局")
    page.get_by_label("备注").fill("教育类归口教育局")
    page.get_by_role("button", name="保存规则").click()
    expect(page.get_by_text("规则已保存。")).to_be_visible()
    expect(page.get_by_role("cell", name="教育类归口教育局")).to_be_visible()
    screenshot("1-rules")

    page.goto(live_server.url + "/routing/clusters/")
    expect(page.get_by_role("heading", name="事项群")).to_be_visible()
    link = page.get_by_role("link", name="宏达机械厂")
    expect(link).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("清河县信访局")
    screenshot("2-clusters")
    link.click()
    expect(page.locator("tbody tr")).to_have_count(3)
    screenshot("3-cluster")
