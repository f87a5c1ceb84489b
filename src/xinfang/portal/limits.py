"""Rate limits and the self-hosted challenge of the public side.

Counts live in the database (RateWindow), in fixed windows of XINFANG_PORTAL_WINDOW_MINUTES, so
several app servers share them. Clients and numbers are counted under keyed hashes: no address
or number is stored in clear. The challenge is an arithmetic question written out in words
(readable by a screen reader, no image), its answer bound to a signed, expiring token that is
good for one try.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from xinfang.portal.models import RateWindow, UsedChallenge

CHALLENGE_SECONDS = 15 * 60
_CHALLENGE_SALT = "xinfang.portal.challenge"


def client_address(request: HttpRequest) -> str:
    header = settings.XINFANG_PORTAL_PROXY_HEADER
    if header:
        forwarded = request.META.get(header, "")
        # The proxy appends the address it saw: the last entry is the one to trust.
        last = forwarded.split(",")[-1].strip() if forwarded else ""
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def _keyed(kind: str, value: str) -> str:
    digest = hmac.new(
        str(settings.SECRET_KEY).encode(), f"{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{kind}:{digest[:40]}"


def client_key(kind: str, request: HttpRequest) -> str:
    return _keyed(kind, client_address(request))


def number_key(number: str) -> str:
    return _keyed("number", number)


def _window() -> timedelta:
    return timedelta(minutes=max(1, settings.XINFANG_PORTAL_WINDOW_MINUTES))


def _window_start(now: datetime) -> datetime:
    size = int(_window().total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % size, tz=now.tzinfo)


def window_ends(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return _window_start(now) + _window()


def count(key: str, now: datetime | None = None) -> int:
    start = _window_start(now or timezone.now())
    found = RateWindow.objects.filter(key=key, window_start=start).values_list("count", flat=True)
    return next(iter(found), 0)


def hit(*keys: str, now: datetime | None = None) -> None:
    """Count one more occurrence for each key in the current window."""
    now = now or timezone.now()
    start = _window_start(now)
    with transaction.atomic():
        for key in keys:
            row, created = RateWindow.objects.get_or_create(key=key, window_start=start)
            RateWindow.objects.filter(pk=row.pk).update(count=F("count") + 1)
            if created:
                # Cheap housekeeping when a window opens: counts a day old serve nothing.
                RateWindow.objects.filter(window_start__lt=now - timedelta(days=1)).delete()


@dataclass(frozen=True)
class Verdict:
    """What the limits say about one more attempt."""

    refused_until: datetime | None = None
    needs_challenge: bool = False

    @property
    def refused(self) -> bool:
        return self.refused_until is not None


def judge(key: str, soft: int, hard: int, *, also_soft: tuple[str, int] | None = None) -> Verdict:
    now = timezone.now()
    seen = count(key, now)
    if seen >= hard:
        return Verdict(refused_until=window_ends(now))
    needs = seen >= soft
    if also_soft is not None and count(also_soft[0], now) >= also_soft[1]:
        needs = True
    return Verdict(needs_challenge=needs)


# --- The challenge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _answer_mac(nonce: str, answer: int) -> str:
    return hmac.new(
        str(settings.SECRET_KEY).encode(),
        f"{_CHALLENGE_SALT}:{nonce}:{answer}".encode(),
        hashlib.sha256,
    ).hexdigest()


def new_challenge() -> Challenge:
    a = secrets.randbelow(9) + 2
    b = secrets.randbelow(9) + 2
    if secrets.randbelow(2):
        question = _("What is %(a)d plus %(b)d?") % {"a": a, "b": b}
        answer = a + b
    else:
        a, b = max(a, b) + 5, min(a, b)
        question = _("What is %(a)d minus %(b)d?") % {"a": a, "b": b}
        answer = a - b
    nonce = secrets.token_hex(16)
    token = signing.dumps({"n": nonce, "m": _answer_mac(nonce, answer)}, salt=_CHALLENGE_SALT)
    return Challenge(question=question, token=token)


def check_challenge(token: str, answer: str) -> bool:
    """True once for a right answer to a live challenge; every token is spent by its first try."""
    try:
        payload = signing.loads(token or "", salt=_CHALLENGE_SALT, max_age=CHALLENGE_SECONDS)
        nonce, mac = str(payload["n"]), str(payload["m"])
    except (signing.BadSignature, KeyError, TypeError):
        return False
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(nonce=nonce, used_at=timezone.now())
    except IntegrityError:
        return False  # already tried
    UsedChallenge.objects.filter(
        used_at__lt=timezone.now() - timedelta(seconds=2 * CHALLENGE_SECONDS)
    ).delete()
    try:
        given = int(answer.strip())
    except (ValueError, AttributeError):
        return False
    return hmac.compare_digest(_answer_mac(nonce, given), mac)
