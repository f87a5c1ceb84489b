from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import register


def test_login_page_is_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "工作人员登录" in body
    assert "用户名" in body and "密码" in body


def test_login_page_switches_to_english(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Staff log in" in response.content.decode()


def test_wrong_password_gets_a_clear_message_in_chinese(client, world):
    response = client.post(reverse("login"), {"username": "registrar", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_home_needs_login(client, db):
    response = client.get(reverse("desk:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_lists_the_units_open_matters_by_due_date(client, world):
    matter = register(world)
    client.force_login(world.registrar)
    response = client.get(reverse("desk:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "清河县信访局" in body
    assert matter.number in body


def test_home_refuses_post(client, world):
    client.force_login(world.registrar)
    assert client.post(reverse("desk:home")).status_code == 405


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_real_server_serves_the_chinese_login_page_with_local_assets(tmp_path: Path):
    """What `make run` does, minus the demo data: migrate, then serve, then fetch the page."""
    env = {
        **os.environ,
        "XINFANG_DEV": "1",
        "XINFANG_DEBUG": "1",
        "XINFANG_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
    }
    env.pop("DATABASE_URL")
    cli = [sys.executable, "-m", "xinfang.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    page = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the server did not answer within 60 s")
                time.sleep(0.3)
        assert "工作人员登录" in page
        assert "http://" not in page.replace(f"http://127.0.0.1:{port}", "")
        assert "https://" not in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/xinfang/base.css") as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
