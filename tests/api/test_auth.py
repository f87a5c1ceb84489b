"""Who may call the API: a live token, or a signed-in browser with its CSRF token."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from tests.api.conftest import BASE, ApiClient, registration
from tests.conftest import at
from xinfang.api.models import ApiToken
from xinfang.matters.models import Matter


def test_no_token_is_refused_with_a_json_401(world):
    r = ApiClient(None).get("/matters")
    assert r.status == 401
    assert r.body["code"] == "unauthorized"
    assert "Authorization: Bearer" in r.body["message"]
    assert r.body["field"] is None
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_refused(world):
    ApiToken.objects.create_token(user=world.registrar, name="real")
    for bad in ("xf_not-a-real-token", "not-even-our-prefix", ""):
        r = ApiClient(bad).get("/matters")
        assert r.status == 401, bad
        assert r.body["code"] == "unauthorized"


def test_a_revoked_token_is_refused(world):
    row, token = ApiToken.objects.create_token(user=world.registrar, name="old")
    assert ApiClient(token).get("/matters").status == 200
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    assert ApiClient(token).get("/matters").status == 401


def test_the_token_of_a_deactivated_user_is_refused(world):
    _, token = ApiToken.objects.create_token(user=world.registrar, name="x")
    world.registrar.is_active = False
    world.registrar.save(update_fields=["is_active"])
    assert ApiClient(token).get("/matters").status == 401


def test_a_valid_token_acts_as_its_user(world):
    _, token = ApiToken.objects.create_token(user=world.registrar, name="script")
    r = ApiClient(token).post("/matters", registration(received_at=timezone.now().isoformat()))
    assert r.status == 201
    assert Matter.objects.get(pk=r.body["id"]).created_by == world.registrar


def test_only_the_hash_of_the_token_is_stored(world):
    row, token = ApiToken.objects.create_token(user=world.registrar, name="x")
    assert token.startswith("xf_")
    assert token not in {row.key_hash, row.prefix}
    assert not ApiToken.objects.filter(key_hash=token).exists()


def test_last_used_is_written_at_most_once_a_minute(world):
    row, token = ApiToken.objects.create_token(user=world.registrar, name="x")
    client = ApiClient(token)
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        client.get("/matters")
    row.refresh_from_db()
    assert row.last_used_at == at(2026, 3, 2, 9)
    with time_machine.travel(at(2026, 3, 2, 9) + timedelta(seconds=59), tick=False):
        client.get("/matters")
    row.refresh_from_db()
    assert row.last_used_at == at(2026, 3, 2, 9)
    with time_machine.travel(at(2026, 3, 2, 9) + timedelta(seconds=61), tick=False):
        client.get("/matters")
    row.refresh_from_db()
    assert row.last_used_at == at(2026, 3, 2, 9) + timedelta(seconds=61)


def test_the_signed_in_browser_may_read(world):
    client = Client()
    client.force_login(world.registrar)
    assert client.get(f"{BASE}/matters").status_code == 200


def test_the_browser_must_send_the_csrf_token_to_change_anything(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.registrar)
    body = registration(received_at=timezone.now().isoformat())
    refused = client.post(f"{BASE}/matters", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    assert Matter.objects.count() == 0

    csrf = get_random_string(32)  # what the page's {% csrf_token %} would have set
    client.cookies["csrftoken"] = csrf
    accepted = client.post(
        f"{BASE}/matters", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201


def test_a_token_needs_no_csrf_token(world):
    _, token = ApiToken.objects.create_token(user=world.registrar, name="x")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})
    body = registration(received_at=timezone.now().isoformat())
    assert client.post(f"{BASE}/matters", body, content_type="application/json").status_code == 201


def test_a_post_without_any_credentials_is_401_not_a_csrf_error(world):
    client = Client(enforce_csrf_checks=True)
    r = client.post(f"{BASE}/matters", {}, content_type="application/json")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
