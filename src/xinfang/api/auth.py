"""Who is calling: a per-user API token (scripts, other systems) or the browser's session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from xinfang.api.models import TOKEN_PREFIX, ApiToken, hash_token

# last_used_at is for people deciding which tokens to revoke; a minute's precision is plenty
# and spares a write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer xf_…`: found by its SHA-256 hash, refused once revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token.startswith(TOKEN_PREFIX):
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            # Conditional, so concurrent requests with the same token write at most once.
            ApiToken.objects.filter(pk=row.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
            ).update(last_used_at=now)
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser. Unsafe methods need the CSRF token (X-CSRFToken header).

    Unlike ninja's django_auth, the CSRF check runs only for a signed-in session, so a request
    with neither a token nor a session is answered 401, not 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check Failed")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None  # pragma: no cover - __call__ does the work


token_auth = TokenAuth()
session_auth = SessionAuth()


def caller(request: HttpRequest) -> Any:
    """The user an endpoint acts for: ninja ran the auth above and put the user in .auth."""
    return request.auth  # type: ignore[attr-defined]
