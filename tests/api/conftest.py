"""API test helpers: a JSON client per user, authenticated with a real API token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from tests.conftest import VALID_ID
from xinfang.api.models import ApiToken
from xinfang.audit.models import AccessLog
from xinfang.matters.models import Event, Matter, NumberSequence, Petitioner

BASE = "/api/v1"


@dataclass
class Response:
    status: int
    body: Any
    headers: Any


class ApiClient:
    """Calls /api/v1 as one user with `Authorization: Bearer <token>`."""

    def __init__(self, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = Client(headers=headers)

    def _wrap(self, response: Any) -> Response:
        body = (
            json.loads(response.content)
            if response.get("Content-Type", "").startswith("application/json")
            else response.content
        )
        return Response(response.status_code, body, response.headers)

    def get(self, path: str, **params: Any) -> Response:
        return self._wrap(self.client.get(BASE + path, params))

    def post(self, path: str, data: Any = None, *, raw: str | None = None) -> Response:
        content = raw if raw is not None else json.dumps(data or {}, default=str)
        return self._wrap(self.client.post(BASE + path, content, content_type="application/json"))


@pytest.fixture
def api(world: SimpleNamespace) -> Any:
    """`api(user)` → an ApiClient holding a fresh token for that user."""
    clients: dict[int, ApiClient] = {}

    def for_user(user: Any) -> ApiClient:
        if user.pk not in clients:
            _, token = ApiToken.objects.create_token(user=user, name="tests")
            clients[user.pk] = ApiClient(token)
        return clients[user.pk]

    return for_user


def path_of(matter: Matter) -> str:
    """The matter's path by its number, URL-encoded as a client must send it."""
    return f"/matters/{quote(matter.number)}"


def registration(**overrides: Any) -> dict[str, Any]:
    """A valid POST /matters body: a letter about unpaid wages."""
    body: dict[str, Any] = {
        "channel": "letter",
        "received_at": "2026-03-02T09:30:00+08:00",
        "title": "工资被拖欠",
        "content": "某公司拖欠工人工资三个月，请求督促支付。",
        "type": "request",
        "petitioners": [
            {"name": "张三", "phone": "13800138000", "id_number": VALID_ID, "address": "永安镇"}
        ],
    }
    body.update(overrides)
    return body


def snapshot(matter: Matter | None = None) -> tuple[Any, ...]:
    """What a refused request must leave exactly as it was."""
    counts = (
        Matter.objects.count(),
        Event.objects.count(),
        Petitioner.objects.count(),
        AccessLog.objects.count(),
        list(NumberSequence.objects.values_list("last")),
    )
    if matter is None:
        return counts
    row = Matter.objects.values("state", "version", "lead_unit_id", "due_date").get(pk=matter.pk)
    return (*counts, row)
