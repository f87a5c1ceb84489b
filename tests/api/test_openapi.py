"""The OpenAPI document and the docs page, which must work on a closed intranet."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from django.test import Client

from tests.api.conftest import BASE

ACTIONS = [
    "classify",
    "forward",
    "assign",
    "object",
    "accept",
    "decline",
    "guide",
    "owners",
    "co-units",
    "interest",
    "extension-request",
    "extension-decision",
    "reply",
    "review-request",
    "review-decision",
    "re-review-request",
    "hearing",
    "re-review-decision",
    "link-repeat",
    "rating",
    "close",
]


def test_the_openapi_document_lists_every_path(db):
    r = Client().get(f"{BASE}/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["info"]["version"] == "1"
    paths = doc["paths"]
    assert set(paths[f"{BASE}/matters"]) == {"get", "post"}
    assert "get" in paths[f"{BASE}/matters/{{ref}}"]
    assert "post" in paths[f"{BASE}/matters/{{ref}}/petitioners/{{pid}}/reveal"]
    for action in ACTIONS:
        operation = paths[f"{BASE}/matters/{{ref}}/{action}"]["post"]
        assert operation["summary"], action
        assert "409" in operation["responses"], action
    matters = [p for p in paths if p.startswith(f"{BASE}/matters")]
    assert len(matters) == 3 + len(ACTIONS)


def test_the_schemas_carry_chinese_descriptions(db):
    doc = Client().get(f"{BASE}/openapi.json").json()
    register = doc["components"]["schemas"]["RegisterIn"]["properties"]
    assert "信访形式" in register["channel"]["description"]
    assert "代表不超过5人" in register["petitioners"]["description"]
    assert set(doc["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_the_docs_page_loads_nothing_from_outside(db):
    r = Client().get(f"{BASE}/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "external asset on the page"
    assets = re.findall(r"(?:src|href)=[\"']([^\"']+)[\"']", html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not served locally"
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    assert settings_json is not None
    swagger = json.loads(settings_json.group(1))
    # Swagger UI would otherwise call validator.swagger.io for its badge.
    assert swagger["validatorUrl"] is None
    assert swagger["url"] == f"{BASE}/openapi.json"
    init = finders.find("ninja/swagger-ui-init.js")
    with open(init, encoding="utf-8") as f:
        assert "http" not in f.read()
