"""Issuing and revoking API tokens. The token itself is shown once and never stored."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinfang.api.models import TOKEN_PREFIX, ApiToken
from xinfang.matters.errors import InvalidInput, InvalidState, NotFound


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("没有用户名为 %(username)s 的用户。") % {"username": username})
    return user


@transaction.atomic
def api_token_create(*, username: str, name: str) -> tuple[ApiToken, str]:
    """A new token for the user: the row, and the token to hand over (shown only now)."""
    user = _user(username)
    if not user.is_active:
        raise InvalidState(_("用户 %(username)s 已停用，不能签发令牌。") % {"username": username})
    name = name.strip()
    if not name:
        raise InvalidInput(_("请填写令牌用途（--name），如“数据交换”。"), field="name")
    return ApiToken.objects.create_token(user=user, name=name[:100])


def api_tokens_of(*, username: str) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=_user(username)).order_by("created_at", "pk"))


@transaction.atomic
def api_token_revoke(*, prefix: str, username: str | None = None) -> ApiToken:
    """Revoke the one live token that starts with `prefix` (as `list` shows it)."""
    prefix = prefix.strip().rstrip("…")
    if len(prefix) < len(TOKEN_PREFIX) + 2 or not prefix.startswith(TOKEN_PREFIX):
        raise InvalidInput(
            _("请给出令牌前缀，如 %(example)s（见 xinfang api_token list）。")
            % {"example": f"{TOKEN_PREFIX}Ab1c"},
            field="prefix",
        )
    live = ApiToken.objects.select_for_update().filter(
        prefix__startswith=prefix[:8], revoked_at__isnull=True
    )
    if username is not None:
        live = live.filter(user=_user(username))
    found = list(live[:2])
    if not found:
        raise NotFound(_("没有以 %(prefix)s 开头的有效令牌。") % {"prefix": prefix})
    if len(found) > 1:
        raise InvalidInput(
            _("有多个以 %(prefix)s 开头的有效令牌，请用 --user 指明用户。") % {"prefix": prefix},
            field="prefix",
        )
    token = found[0]
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token
