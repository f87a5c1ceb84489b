"""The workbench's pages in a real browser: the list with its filters and search, the keyboard,
English, and the 1366×768 office screen (nothing scrolls sideways)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.conftest import register
from tests.e2e.test_desk_walk import log_in
from tests.matters.flows import walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_list_filters_and_searches_chinese_substrings(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    quarry = register(
        world,
        title="采石放炮震裂房屋",
        content="永安镇双井村村民反映，宏达建材有限公司在村东采石，炮声震裂房屋。",
    )
    wages = register(world)
    old = walk(world, "registered")  # March 2026: its route clock ran out long ago
    log_in(page, live_server.url, "registrar")
    page.get_by_role("link", name="全部事项").click()
    expect(page.get_by_role("heading", name="共3件")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("已超期")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot("1-list")

    search = page.get_by_label("搜索标题和内容")
    # 拖欠 is in both wage matters (the new one and the old one from March).
    for query, found in (("宏达建材", [quarry]), ("双井村", [quarry]), ("拖欠", [wages, old])):
        search.fill(query)
        search.press("Enter")  # htmx swaps the results in place and then updates the address
        # Wait for this query's answer: the previous one's heading may read the same.
        expect(page).to_have_url(re.compile(r"q=" + re.escape(quote(query))))
        expect(page.get_by_role("heading", name=f"共{len(found)}件")).to_be_visible()
        for matter in found:
            expect(page.locator("#results")).to_contain_text(matter.number)
    screenshot("2-search")
    search.fill("无此公司")
    search.press("Enter")
    expect(page.get_by_role("heading", name="共0件")).to_be_visible()
    search.fill("村")
    search.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("请输入至少两个字进行搜索。")

    search.fill("")
    page.get_by_label("仅看超期").check()
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("heading", name="共1件")).to_be_visible()
    expect(page.locator("#results")).to_contain_text(old.number)
    # The filtered address is the page's own: a reload (or a bookmark) shows the same.
    page.reload()
    expect(page.get_by_role("heading", name="共1件")).to_be_visible()
    expect(page.get_by_label("仅看超期")).to_be_checked()


def test_the_keyboard_reaches_everything_with_a_visible_focus(
    page: Any, live_server: Any, world: Any
) -> None:
    m = register(world)
    log_in(page, live_server.url, "registrar")
    page.goto(live_server.url + f"/matters/{m.pk}/")
    # The first Tab lands on the skip link, which takes the focus past the navigation.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    # Tab on to the first action's summary and its fields; the focus ring is drawn.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    # Every form field on the page has a label.
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => !e.labels || e.labels.length === 0).map(e => e.name)"""
    )
    assert unlabelled == []


@pytest.mark.parametrize("path", ["/", "/matters/", "/matters/new/", "matter"])
def test_every_page_fits_a_1366_screen(
    page: Any, live_server: Any, world: Any, screenshot: Any, path: str
) -> None:
    m = walk(world, "in_handling")
    log_in(page, live_server.url, "unit_lead")
    page.goto(live_server.url + (f"/matters/{m.pk}/" if path == "matter" else path))
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => !e.labels || e.labels.length === 0 ).map(e => e.name)"""
    )
    assert unlabelled == []
    screenshot("page")


def test_english_is_switchable_on_the_workbench(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    m = walk(world, "accepted")
    log_in(page, live_server.url, "unit_lead")
    page.goto(live_server.url + f"/matters/{m.pk}/")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", name="What you can do now")).to_be_visible()
    expect(page.locator("table.clocks")).to_contain_text(re.compile("handl", re.I))
    expect(page.get_by_role("link", name="All matters")).to_be_visible()
    screenshot("matter-in-english")


def test_an_accusations_attachments_are_confidential_in_the_browser(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinfang.matters.models import MatterType
    from xinfang.matters.services import Upload

    m = register(
        world,
        type=MatterType.ACCUSATION,
        accused_units=[world.other],
        attachments=[
            Upload(
                name="张三举报信.pdf",
                stream=SimpleUploadedFile("张三举报信.pdf", b"%PDF-1.4 signed"),
                content_type="application/pdf",
            )
        ],
    )
    log_in(page, live_server.url, "gov_lead")
    page.goto(live_server.url + f"/matters/{m.pk}/")
    files = page.locator("section[aria-labelledby=files-h]")
    expect(files).to_contain_text("附件1（保密）")
    expect(files.get_by_role("link")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("张三")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot("confidential")


def test_a_bad_date_is_named_and_the_search_still_applies(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    wages = register(world)
    register(world, title="道路积水", content="村口道路积水严重。")
    log_in(page, live_server.url, "registrar")
    page.goto(live_server.url + "/matters/?q=拖欠&received_from=x")
    expect(page.get_by_role("heading", name="共1件")).to_be_visible()
    expect(page.locator("#results")).to_contain_text(wages.number)
    expect(page.get_by_role("alert")).to_contain_text("以下筛选条件未生效，请更正：收到日期自。")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot("bad-date")
