"""`xinfang api_token create|list|revoke`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.api.conftest import ApiClient
from xinfang.api.models import ApiToken, hash_token


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_token_once_and_stores_only_its_hash(world):
    out, err = run("create", "registrar", "--name", "数据交换")
    token = out.strip()
    assert token.startswith("xf_")
    assert "cannot be shown again" in err
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.key_hash, row.prefix) == (
        world.registrar,
        "数据交换",
        hash_token(token),
        token[:8],
    )
    assert ApiClient(token).get("/matters").status == 200


def test_list_shows_prefixes_never_tokens(world):
    token = run("create", "registrar", "--name", "脚本")[0].strip()
    out, _ = run("list", "registrar")
    assert token[:8] in out and "脚本" in out
    assert token not in out


def test_revoke_by_prefix_stops_the_token(world):
    token = run("create", "registrar", "--name", "旧脚本")[0].strip()
    out, _ = run("revoke", token[:8])
    assert "Revoked" in out
    assert ApiToken.objects.get().revoked_at is not None
    assert ApiClient(token).get("/matters").status == 401
    with pytest.raises(CommandError, match="没有以"):
        run("revoke", token[:8])  # already revoked


def test_an_unknown_user_is_a_clear_error(world):
    with pytest.raises(CommandError, match="没有用户名为 nobody 的用户"):
        run("create", "nobody", "--name", "x")


def test_a_prefix_shared_by_two_live_tokens_needs_the_user(world):
    for user in (world.registrar, world.handler):
        ApiToken.objects.create(
            user=user,
            name="x",
            prefix="xf_same1",
            key_hash=hash_token(user.username),
            created_at=timezone.now(),
        )
    with pytest.raises(CommandError, match="--user"):
        run("revoke", "xf_same1")
    run("revoke", "xf_same1", "--user", "handler")
    assert list(
        ApiToken.objects.filter(revoked_at__isnull=False).values_list("user__username", flat=True)
    ) == ["handler"]
