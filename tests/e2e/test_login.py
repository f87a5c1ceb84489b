"""A staff member logs in, sees their work and logs out, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests"  # tests/factories.py UserFactory


def test_staff_member_logs_in_sees_their_work_and_logs_out(
    page: Any, live_server: Any, world: Any, screenshot: Any
) -> None:
    matter = register(world)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # Not logged in: the home page sends them to the Chinese login page.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    expect(page.get_by_label("用户名")).to_be_focused()  # autofocus
    screenshot("1-login")

    # A wrong password: a clear message, and still the login page with the name kept.
    page.get_by_label("用户名").fill("registrar")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("registrar")
    expect(page.get_by_label("密码")).to_be_focused()  # the field to correct
    screenshot("2-wrong-password")

    # The right one: their work, with their unit and its matter.
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    # Their unit and role under the heading; the matter waits in "to forward or accept".
    expect(page.get_by_role("heading", name=re.compile("我的工作.*清河县信访局"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^待转送交办或受理"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text=matter.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("工资被拖欠")
    expect(page.locator("header")).to_contain_text("登记员")
    screenshot("3-my-work")

    # Logging out returns to the login page, and the home page is closed again.
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
    screenshot("4-logged-out")
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))

    # Everything came from the live server: no CDN, no web font, no outside call.
    assert requests, "the browser made no requests at all?"
    outside = [url for url in requests if not url.startswith(live_server.url + "/")]
    assert outside == []
    assert any(url.endswith("/static/xinfang/base.css") for url in requests)
    assert errors == []


def test_language_switcher_changes_to_english_and_back(
    page: Any, live_server: Any, db: Any, screenshot: Any
) -> None:
    page.goto(live_server.url + "/login/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", name="Staff log in")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_label("User name")).to_be_visible()
    screenshot("english")

    # The choice sticks for the next page.
    page.reload()
    expect(page.get_by_role("heading", name="Staff log in")).to_be_visible()

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_keyboard_alone_logs_in(page: Any, live_server: Any, world: Any) -> None:
    page.goto(live_server.url + "/login/?next=/")
    username = page.get_by_label("用户名")
    expect(username).to_be_focused()
    page.keyboard.type("registrar")

    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type(PASSWORD)

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="登录")).to_be_focused()

    # Enter in the password field submits the form.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()


# Draws two different characters with the page's own font stack: where no installed font has
# Chinese, both come out as the same empty box (tofu) and the staff would read nothing.
_SAME_GLYPH_JS = """
([a, b]) => {
  const font = getComputedStyle(document.body).font;
  const draw = (ch) => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext("2d");
    ctx.font = font.replace(/\\d+px/, "48px");
    ctx.fillText(ch, 4, 52);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(",");
  };
  return draw(a) === draw(b);
}
"""


def test_chinese_is_drawn_with_a_real_font(page: Any, live_server: Any, db: Any) -> None:
    page.goto(live_server.url + "/login/")
    assert not page.evaluate(_SAME_GLYPH_JS, ["信", "访"]), (
        "Chinese characters render as identical boxes: no font with Chinese is installed "
        "(scripts/ensure-chromium.sh installs fonts-wqy-microhei)"
    )
